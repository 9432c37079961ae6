/*
 * tests/unit/engine/action.c: tag and move actions and their undo, on a
 * real Maildir tree and notmuch database, for mail outside any account
 * and for an IMAP account whose server is never reached: what matters
 * there is what the journal says the next sync will do.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "store/store.h"
#include "engine/engine.h"
#include "tests/unit/tap.h"
#include "tests/unit/mailtest.h"

static struct config		 cfg;
static struct store_index	*idx;

/* The one file name in rel's cur/, or "(none)" / "(many)". */
static char *
only_file(const char *rel)
{
	struct dirent	*de;
	DIR		*d;
	char		*dir, *p, *found = NULL;
	int		 n = 0;

	xasprintf(&dir, "%s/cur", rel);
	p = mailtest_path(dir);
	if ((d = opendir(p)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			if (n++ == 0)
				found = xstrdup(de->d_name);
		}
		closedir(d);
	}
	free(p);
	free(dir);
	if (n == 1)
		return (found);
	free(found);
	return (xstrdup(n == 0 ? "(none)" : "(many)"));
}

#define check_file(rel, want, name) do {				\
	char	*got_ = only_file(rel);					\
									\
	is_str(got_, (want), (name));					\
	free(got_);							\
} while (0)

/* The pending journal entries of account work, joined by '|'. */
static char *
pending(void)
{
	struct journal		*j;
	struct journal_entry	*e;
	struct buf		 b;
	char			*dir, *path;
	size_t			 n, i;

	dir = engine_account_statedir(&cfg.accounts[0]);
	path = path_join(dir, "journal");
	buf_init(&b);
	if (journal_open(path, &j, NULL) == 0 &&
	    journal_pending(j, &e, &n, NULL) == 0) {
		for (i = 0; i < n; i++)
			buf_printf(&b, "%s%s", i == 0 ? "" : "|", e[i].text);
		journal_entries_free(e, n);
	}
	journal_close(j);
	free(path);
	free(dir);
	return (buf_detach(&b, NULL));
}

#define check_journal(want, name) do {					\
	char	*got_ = pending();					\
									\
	is_str(got_, (want), (name));					\
	free(got_);							\
} while (0)

static void
scan(void)
{
	char	*cause = NULL;

	if (engine_ingest_scan(idx, NULL, NULL, &cause) != 0)
		fatalx("scan: %s", cause);
}

static void
setup(void)
{
	char	*text, *cause = NULL;

	mailtest_init("action");
	config_init(&cfg);
	xasprintf(&text, "mail_root = %s\n[account work]\ntype = imap\n"
	    "host = mail.example.test\nuser = u\n", mailtest_root);
	if (config_parse(&cfg, "test.conf", text, strlen(text), &cause) != 0)
		fatalx("config: %s", cause);
	free(text);
	mailtest_mkdirs("local/cur");
	mailtest_mkdirs("local/new");
	mailtest_mkdirs("local/tmp");
	mailtest_put("local/cur/1000.a:2,", "a@x");
	mailtest_put("local/cur/1001.b:2,FS", "b@x");
	mailtest_mkdirs("work/INBOX/cur");
	mailtest_mkdirs("work/INBOX/new");
	mailtest_mkdirs("work/INBOX/tmp");
	mailtest_put("work/INBOX/cur/2000.c,U=5:2,S", "c@x");
	idx = mailtest_open_rw(NULL, 0, 1, 1);
	scan();
}

static void
test_tag(void)
{
	struct engine_change	*c;
	char			*add[] = { (char *)"flagged", NULL };
	char			*del[] = { (char *)"unread", NULL };
	char			*cause = NULL;
	unsigned int		 n = 99;

	c = engine_change_new();
	ok(engine_change_empty(c), "a new change is empty");
	ok(engine_action_tag(&cfg, idx, "id:a@x or id:b@x", add, del, c, &n,
	    &cause) == 0 && n == 1, "tag: only the message that changes "
	    "counts");
	mailtest_check_tags(idx, "a@x", "flagged inbox", "tag: a flagged, read");
	check_file("local", "(many)", "two local files");
	ok(!engine_change_empty(c), "the change noted something");
	ok(engine_action_undo(&cfg, idx, c, &n, &cause) == 0 && n == 1,
	    "undo the tag");
	mailtest_check_tags(idx, "a@x", "inbox unread", "undo: a as it was");
	mailtest_check_tags(idx, "b@x", "flagged inbox", "undo: b keeps the "
	    "flag it had before");
	engine_change_free(c);
	engine_change_free(NULL);
}

static void
test_move_local(void)
{
	struct engine_change	*c = engine_change_new();
	char			*cause = NULL;
	unsigned int		 n = 99;

	ok(engine_action_move(&cfg, idx, "id:a@x", "trash", c, &n, &cause) ==
	    0 && n == 1, "move local mail to trash");
	check_file("Trash", "1000.a:2,", "trash: the global trash_folder");
	ok(mailtest_count(idx, "folder:Trash") == 1, "the index follows");
	ok(engine_action_undo(&cfg, idx, c, &n, &cause) == 0 && n == 1,
	    "undo the move");
	check_file("Trash", "(none)", "undo: trash empty");
	ok(mailtest_count(idx, "folder:local and id:a@x") == 1,
	    "undo: indexed back in its folder");
	ok(engine_action_undo(&cfg, idx, c, &n, &cause) == 0 && n == 0,
	    "undo again: the file is not in trash, nothing to do");
	engine_change_free(c);
}

static void
test_move_imap(void)
{
	struct engine_change	*c = engine_change_new();
	struct journal		*j;
	char			*add[] = { (char *)"flagged", NULL };
	char			*del[] = { (char *)"inbox", NULL };
	char			*cause = NULL, *dir, *path, *from, *to;
	unsigned int		 n = 99;

	ok(engine_action_tag(&cfg, idx, "id:c@x", NULL, del, c, &n, &cause) ==
	    0 && n == 1, "imap: drop inbox");
	check_journal("", "imap: a local tag is not journaled");
	ok(engine_action_move(&cfg, idx, "id:c@x", "archive", c, &n, &cause) ==
	    0 && n == 1, "imap: archive");
	check_journal("move INBOX 5 Archive 2000.c", "imap: the move is "
	    "journaled with its UID");
	check_file("work/Archive", "2000.c:2,S", "imap: the file has no UID "
	    "in Archive yet");
	ok(engine_action_undo(&cfg, idx, c, &n, &cause) == 0 && n == 2,
	    "imap: undo tag and move");
	check_journal("", "imap: undo cancels the pending move");
	check_file("work/INBOX", "2000.c,U=5:2,S", "imap: home with its UID");
	mailtest_check_tags(idx, "c@x", "inbox", "imap: inbox again");
	engine_change_free(c);

	/* The server did the move (a sync replayed it and learnt UID 9). */
	c = engine_change_new();
	ok(engine_action_move(&cfg, idx, "id:c@x", "archive", c, &n, &cause) ==
	    0 && n == 1, "imap: archive again");
	dir = engine_account_statedir(&cfg.accounts[0]);
	path = path_join(dir, "journal");
	if (journal_open(path, &j, NULL) != 0 ||
	    journal_done(j, 2, NULL) != 0)
		fatalx("journal");
	journal_close(j);
	from = mailtest_path("work/Archive/cur/2000.c:2,S");
	to = mailtest_path("work/Archive/cur/2000.c,U=9:2,S");
	if (rename(from, to) != 0)
		fatalx("rename");
	scan();
	ok(engine_action_tag(&cfg, idx, "id:c@x", add, NULL, c, &n, &cause) ==
	    0 && n == 1, "imap: flag it in Archive");
	check_journal("tag Archive 9 +flagged", "imap: the flag is journaled");
	ok(engine_action_undo(&cfg, idx, c, &n, &cause) == 0 && n == 2,
	    "imap: undo flag and move");
	check_journal("tag Archive 9 +flagged|tag Archive 9 -flagged|"
	    "move Archive 9 INBOX 2000.c", "imap: undo of a done move is a "
	    "move back");
	check_file("work/INBOX", "2000.c:2,S", "imap: back without a UID, "
	    "the sync gives it one");
	mailtest_check_tags(idx, "c@x", "inbox", "imap: tags as before");
	engine_change_free(c);
	free(from);
	free(to);
	free(path);
	free(dir);
}

int
main(void)
{
	setup();
	test_tag();
	test_move_local();
	test_move_imap();
	store_index_close(idx);
	config_release(&cfg);
	mailtest_release();
	return (tap_done());
}
