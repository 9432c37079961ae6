/*
 * tests/unit/mailtest.c: the private Maildir tree and notmuch database of
 * the store/ and engine/ unit tests; see mailtest.h.  This file does not
 * include tap.h, whose counters are static: the results belong to the test
 * program, so the only TAP-producing helper is a macro in mailtest.h.
 */
#include "config.h"

#include <sys/stat.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "store/store.h"
#include "tests/unit/mailtest.h"

char	*mailtest_dir;
char	*mailtest_root;

/* Sets variable name to dir/rel. */
static void
mailtest_setenv(const char *name, const char *dir, const char *rel)
{
	char	*p = path_join(dir, rel);

	if (setenv(name, p, 1) == -1)
		fatal("setenv %s", name);
	free(p);
}

/*
 * libnotmuch reads HOME, NOTMUCH_CONFIG and the XDG directories to find a
 * configuration and a database, so all of them point into the sandbox.
 */
void
mailtest_init(const char *name)
{
	char	*home;

	xasprintf(&mailtest_dir, "/tmp/satchel-%s-XXXXXX", name);
	if (mkdtemp(mailtest_dir) == NULL)
		fatal("mkdtemp");
	home = path_join(mailtest_dir, "home");
	mailtest_root = path_join(mailtest_dir, "mail");
	(void)mkdir(home, 0700);
	(void)mkdir(mailtest_root, 0700);
	mailtest_setenv("HOME", mailtest_dir, "home");
	mailtest_setenv("NOTMUCH_CONFIG", home, "notmuch-config");
	mailtest_setenv("XDG_CONFIG_HOME", home, ".config");
	mailtest_setenv("XDG_DATA_HOME", home, ".local/share");
	unsetenv("NOTMUCH_DATABASE");
	unsetenv("NOTMUCH_PROFILE");
	free(home);
}

/* Removes one entry of a depth-first walk, files before their directory. */
static int
mailtest_rm_one(const char *p, const struct stat *sb, int flag,
    struct FTW *ftw)
{
	return (remove(p));
}

void
mailtest_release(void)
{
	(void)nftw(mailtest_dir, mailtest_rm_one, 16, FTW_DEPTH|FTW_PHYS);
	free(mailtest_root);
	mailtest_root = NULL;
	free(mailtest_dir);
	mailtest_dir = NULL;
}

char *
mailtest_path(const char *rel)
{
	return (path_join(mailtest_root, rel));
}

void
mailtest_mkdirs(const char *rel)
{
	char	*p = mailtest_path(rel);

	if (path_mkdirs(p, 0700, NULL) == -1)
		fatal("mkdir %s", p);
	free(p);
}

void
mailtest_rm_tree(const char *rel)
{
	char	*p = mailtest_path(rel);

	(void)nftw(p, mailtest_rm_one, 16, FTW_DEPTH|FTW_PHYS);
	free(p);
}

void
mailtest_write(const char *rel, const char *text)
{
	char	*p = mailtest_path(rel);
	FILE	*f;

	if ((f = fopen(p, "w")) == NULL)
		fatal("fopen %s", p);
	fputs(text, f);
	fclose(f);
	free(p);
}

void
mailtest_put_full(const char *rel, const char *id, const char *in_reply_to,
    const char *from, const char *date, const char *subject)
{
	struct buf	 b;

	buf_init(&b);
	buf_printf(&b, "From: %s\nTo: Dave <dave@example.test>\n"
	    "Subject: %s\nDate: %s\nMessage-ID: <%s>\n", from, subject, date,
	    id);
	if (in_reply_to != NULL)
		buf_printf(&b, "In-Reply-To: <%s>\nReferences: <%s>\n",
		    in_reply_to, in_reply_to);
	buf_printf(&b, "\nBody of %s.\n", id);
	mailtest_write(rel, b.data);
	buf_release(&b);
}

void
mailtest_put(const char *rel, const char *id)
{
	char	*subject;

	xasprintf(&subject, "Message %s", id);
	mailtest_put_full(rel, id, NULL, "Alice <alice@example.test>",
	    "Mon, 01 Jan 2024 10:00:00 +0000", subject);
	free(subject);
}

struct store_index *
mailtest_open_rw(const char *const *new_tags, size_t n, int synchronize_flags,
    int create)
{
	struct store_index_options	 o;
	struct store_index		*idx;
	char				*cause = NULL;

	memset(&o, 0, sizeof o);
	o.mail_root = mailtest_root;
	o.new_tags = new_tags;
	o.n_new_tags = n;
	o.synchronize_flags = synchronize_flags;
	o.create = create;
	if (store_index_open(&o, STORE_INDEX_READ_WRITE, &idx, &cause) !=
	    STORE_OK) {
		printf("# %s\n", cause);	/* as diag() writes it */
		exit(1);
	}
	return (idx);
}

char *
mailtest_join(char **v, size_t n)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i == 0 ? "" : " ", v[i]);
	return (buf_detach(&b, NULL));
}

char *
mailtest_tags(struct store_index *idx, const char *id)
{
	struct store_messages	*ms;
	struct store_message	 sm;
	char			*q, *s = xstrdup("(none)");

	xasprintf(&q, "id:%s", id);
	if (store_index_search_messages(idx, q, STORE_SORT_NEWEST_FIRST, &ms,
	    NULL) == STORE_OK) {
		if (store_messages_next(ms, &sm)) {
			free(s);
			s = mailtest_join(sm.tags, sm.n_tags);
			store_message_release(&sm);
		}
		store_messages_free(ms);
	}
	free(q);
	return (s);
}

unsigned int
mailtest_count(struct store_index *idx, const char *q)
{
	unsigned int	 n = 0;

	if (store_index_count_messages(idx, q, &n, NULL) != STORE_OK)
		return (99999);
	return (n);
}

/* The messages in Maildir rel of the mail root. */
int
mailtest_files(const char *rel)
{
	char		*dir, *cmd;
	FILE		*f;
	int		 n = -1;

	dir = mailtest_path(rel);
	xasprintf(&cmd, "find '%s/cur' '%s/new' -type f 2>/dev/null | wc -l",
	    dir, dir);
	if ((f = popen(cmd, "r")) != NULL) {
		if (fscanf(f, "%d", &n) != 1)
			n = -1;
		pclose(f);
	}
	free(cmd);
	free(dir);
	return (n);
}
