/*
 * tests/unit/engine/ingest.c: the incremental scan behind "satchel
 * index", on a real Maildir tree and notmuch database in a temporary
 * directory (HOME, NOTMUCH_CONFIG and XDG paths point inside it).  The
 * last cases check that the notmuch CLI sees what the scan wrote.
 */
#include "config.h"

#include <sys/stat.h>

#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "store/store.h"
#include "engine/engine.h"
#include "tests/unit/tap.h"
#include "tests/unit/mailtest.h"

static time_t	 aged;	/* the mtime age() gives */

static void
skip(const char *why)
{
	printf("ok %d # SKIP %s\n", ++tap_count, why);
}

static void
move(const char *from, const char *to)
{
	char	*a = mailtest_path(from), *b = mailtest_path(to);

	if (rename(a, b) == -1)
		fatal("rename %s", a);
	free(b);
	free(a);
}

static void
delete(const char *rel)
{
	char	*p = mailtest_path(rel);

	if (unlink(p) == -1)
		fatal("unlink %s", p);
	free(p);
}

/* Moves every directory's mtime an hour back, so scans may record it. */
static int
age_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	struct timespec	 ts[2];

	if (flag != FTW_DP)
		return (0);
	ts[0].tv_sec = ts[1].tv_sec = aged;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	return (utimensat(AT_FDCWD, p, ts, AT_SYMLINK_NOFOLLOW));
}

static void
age(void)
{
	aged = time(NULL) - 3600;
	(void)nftw(mailtest_root, age_one, 16, FTW_DEPTH|FTW_PHYS);
}

/* Every message as "id: tags" lines, sorted by id. */
static char *
dump(struct store_index *idx)
{
	struct store_messages	*ms;
	struct store_message	 sm;
	struct buf		 b;
	char			**lines = NULL, *tags;
	size_t			 n = 0, i;

	buf_init(&b);
	if (store_index_search_messages(idx, "*", STORE_SORT_NEWEST_FIRST, &ms,
	    NULL) != STORE_OK)
		return (buf_detach(&b, NULL));
	while (store_messages_next(ms, &sm)) {
		lines = xreallocarray(lines, n + 1, sizeof *lines);
		tags = mailtest_join(sm.tags, sm.n_tags);
		xasprintf(&lines[n++], "%s: %s", sm.message_id, tags);
		free(tags);
		store_message_release(&sm);
	}
	store_messages_free(ms);
	for (i = 0; i + 1 < n; i++) {	/* few lines: a simple sort */
		size_t	 j;
		char	*t;

		for (j = i + 1; j < n; j++) {
			if (strcmp(lines[j], lines[i]) < 0) {
				t = lines[i];
				lines[i] = lines[j];
				lines[j] = t;
			}
		}
	}
	for (i = 0; i < n; i++) {
		buf_printf(&b, "%s\n", lines[i]);
		free(lines[i]);
	}
	free(lines);
	return (buf_detach(&b, NULL));
}

struct progress {
	unsigned int			 calls;
	struct engine_ingest_stats	 last;
	int				 saw_apply;
	const char			*unlink;	/* when applying */
};

static void
progress_cb(const struct engine_ingest_stats *st, void *arg)
{
	struct progress	*p = arg;

	p->calls++;
	p->last = *st;
	if (st->phase == ENGINE_INGEST_APPLY) {
		p->saw_apply = 1;
		if (p->unlink != NULL) {
			delete(p->unlink);
			p->unlink = NULL;
		}
	}
}

static int
scan(struct store_index *idx, struct engine_ingest_stats *st)
{
	char	*cause = NULL;
	int	 rc;

	rc = engine_ingest_scan(idx, NULL, st, &cause);
	if (rc != 0) {
		diag("scan failed: %s", cause);
		free(cause);
	}
	return (rc);
}

/* Runs a shell command and returns its standard output. */
static char *
run(const char *cmd)
{
	struct buf	 b;
	FILE		*f;
	char		 line[1024];

	buf_init(&b);
	if ((f = popen(cmd, "r")) == NULL)
		return (buf_detach(&b, NULL));
	while (fgets(line, sizeof line, f) != NULL)
		buf_addstr(&b, line);
	(void)pclose(f);
	return (buf_detach(&b, NULL));
}

/*
 * Turns "notmuch dump" lines ("+a +b -- id:X") into our dump's form
 * ("X: a b"), sorted.
 */
static char *
notmuch_dump(void)
{
	char	*out, *line, *next, *id, *p, *tags, *t;
	char	**lines = NULL, *tmp;
	size_t	 n = 0, i, j;
	struct buf b, tb;

	out = run("notmuch dump 2>/dev/null");
	for (line = out; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (*line == '#' || (id = strstr(line, " -- id:")) == NULL)
			continue;
		*id = '\0';
		id += 7;
		buf_init(&tb);
		tags = line;
		while ((t = strsep(&tags, " ")) != NULL) {
			if (*t == '+')
				buf_printf(&tb, "%s%s", tb.len ? " " : "",
				    t + 1);
		}
		lines = xreallocarray(lines, n + 1, sizeof *lines);
		p = buf_detach(&tb, NULL);
		xasprintf(&lines[n++], "%s: %s", id, p);
		free(p);
	}
	free(out);
	for (i = 0; i + 1 < n; i++) {
		for (j = i + 1; j < n; j++) {
			if (strcmp(lines[j], lines[i]) < 0) {
				tmp = lines[i];
				lines[i] = lines[j];
				lines[j] = tmp;
			}
		}
	}
	buf_init(&b);
	for (i = 0; i < n; i++) {
		buf_printf(&b, "%s\n", lines[i]);
		free(lines[i]);
	}
	free(lines);
	return (buf_detach(&b, NULL));
}

static void
test_scan(void)
{
	struct store_index		*idx;
	struct engine_ingest_stats	 st, first;
	struct engine_ingest_opts	 opts;
	struct progress			 prog;
	volatile sig_atomic_t		 stop = 0;
	char				**names, *cause = NULL, *s, *p;
	size_t				 n, i;
	char				 rel[64], id[64];

	mailtest_mkdirs("INBOX/cur");
	mailtest_mkdirs("INBOX/new");
	mailtest_mkdirs("INBOX/tmp");
	mailtest_mkdirs("Archive/cur");
	mailtest_mkdirs("Archive/new");
	mailtest_mkdirs("Archive/tmp");
	mailtest_mkdirs(".Sent/cur");	/* Maildir++ folders start with a dot */
	mailtest_mkdirs(".Sent/new");
	mailtest_mkdirs(".Sent/tmp");
	mailtest_put("INBOX/cur/a:2,S", "a@x");
	mailtest_put("INBOX/cur/b:2,", "b@x");
	mailtest_put("INBOX/new/c", "c@x");
	mailtest_put("INBOX/tmp/partial", "partial@x");
	mailtest_write("INBOX/.uidvalidity", "1 2\n");
	mailtest_write("INBOX/.mbsyncstate", "FarUidValidity 1\n");
	mailtest_put("INBOX/cur/.hidden:2,S", "hidden@x");
	mailtest_put("Archive/cur/d:2,S", "d@x");
	mailtest_put("Archive/cur/e:2,FS", "e@x");
	mailtest_write("Archive/cur/junk", "hello world\nthis is not mail\n");
	mailtest_put(".Sent/cur/f:2,S", "f@x");
	age();

	idx = mailtest_open_rw(NULL, 0, -1, 1);

	/* First run. */
	memset(&prog, 0, sizeof prog);
	memset(&opts, 0, sizeof opts);
	opts.progress = progress_cb;
	opts.arg = &prog;
	ok(engine_ingest_scan(idx, &opts, &st, &cause) == 0, "first scan");
	first = st;
	ok(st.added == 6 && st.new_messages == 6 && st.updated == 0,
	    "first: six messages added");
	diag("dirs %u found %u added %u skipped %u failed %u %.3fs", st.dirs,
	    st.found, st.added, st.skipped, st.failed, st.elapsed);
	ok(st.skipped == 1 && st.failed == 0,
	    "first: the non-mail file skipped");
	ok(st.found == 7 && st.total == 7 && st.done == 7,
	    "first: files found and handled");
	ok(st.phase == ENGINE_INGEST_DONE && st.elapsed > 0, "first: done");
	ok(prog.calls >= 3 && prog.saw_apply &&
	    prog.last.phase == ENGINE_INGEST_DONE && prog.last.added == 6,
	    "progress: called per phase, last at the end");
	ok(mailtest_count(idx, NULL) == 6, "first: six messages");
	ok(mailtest_count(idx, "id:partial@x") == 0, "tmp/ not indexed");
	ok(mailtest_count(idx, "id:hidden@x") == 0, "dot-files not indexed");
	mailtest_check_tags(idx, "a@x", "inbox", "seen: not unread");
	mailtest_check_tags(idx, "b@x", "inbox unread", "unseen: unread");
	mailtest_check_tags(idx, "c@x", "inbox unread", "new/: unread");
	mailtest_check_tags(idx, "e@x", "flagged inbox", "F: flagged");
	mailtest_check_tags(idx, "f@x", "inbox", "Maildir++ folder indexed");
	p = mailtest_path("INBOX");
	ok(store_index_dir_subdirs(idx, p, &names, &n) == STORE_OK, "subdirs");
	s = mailtest_join(names, n);
	is_str(s, "cur new", "INBOX: tmp/ has no record");
	free(s);
	store_free_names(names, n);
	free(p);
	p = mailtest_path("INBOX/cur");
	ok(store_index_dir_mtime(idx, p) == aged, "directory mtime recorded");
	free(p);

	/* Nothing changed: no indexing at all. */
	ok(scan(idx, &st) == 0 && st.total == 0 && st.added == 0 &&
	    st.removed == 0 && st.skipped == 0, "second scan: nothing to do");
	ok(st.dirs < first.dirs, "second scan: unchanged leaves not read");
	diag("dirs read: %u, then %u", first.dirs, st.dirs);

	/* A new file. */
	mailtest_put("INBOX/new/g", "g@x");
	ok(scan(idx, &st) == 0 && st.added == 1 && st.new_messages == 1 &&
	    st.removed == 0 && st.total == 1, "new file: added");
	mailtest_check_tags(idx, "g@x", "inbox unread", "new file: tags");

	/* A file renamed away between the walk and its indexing. */
	mailtest_put("INBOX/new/gone", "gone@x");
	mailtest_put("INBOX/new/stays", "stays@x");
	memset(&prog, 0, sizeof prog);
	prog.unlink = "INBOX/new/gone";
	ok(engine_ingest_scan(idx, &opts, &st, &cause) == 0 && st.added == 1 &&
	    st.failed == 0, "a file gone before indexing is no failure");
	ok(mailtest_count(idx, "id:gone@x") == 0 &&
	    mailtest_count(idx, "id:stays@x") == 1, "the other file indexed");

	/* A deleted file. */
	delete("INBOX/cur/b:2,");
	ok(scan(idx, &st) == 0 && st.removed == 1 && st.added == 0,
	    "deleted file: removed");
	ok(mailtest_count(idx, "id:b@x") == 0, "deleted file: message gone");

	/* Flags change: :2,S becomes :2,FS. */
	move("INBOX/cur/a:2,S", "INBOX/cur/a:2,FS");
	ok(scan(idx, &st) == 0 && st.added == 1 && st.updated == 1 &&
	    st.new_messages == 0 && st.removed == 1,
	    "flag rename: one of each");
	mailtest_check_tags(idx, "a@x", "flagged inbox",
	    "flag rename: flagged added");

	/* Read: new/c moves to cur/c:2,S. */
	move("INBOX/new/c", "INBOX/cur/c:2,S");
	ok(scan(idx, &st) == 0 && st.updated == 1 && st.removed == 1,
	    "new/ to cur/: a rename");
	mailtest_check_tags(idx, "c@x", "inbox",
	    "new/ to cur/ with S: unread removed");

	/* Unflagged: :2,FS becomes :2,S. */
	move("Archive/cur/e:2,FS", "Archive/cur/e:2,S");
	ok(scan(idx, &st) == 0 && st.updated == 1 && st.removed == 1,
	    "unflag rename");
	mailtest_check_tags(idx, "e@x", "inbox",
	    "unflag rename: flagged removed");

	/* Moved to another folder. */
	move(".Sent/cur/f:2,S", "INBOX/cur/f:2,S");
	ok(scan(idx, &st) == 0 && st.updated == 1 && st.removed == 1 &&
	    mailtest_count(idx, "id:f@x") == 1, "moved between folders");
	ok(mailtest_count(idx, "folder:INBOX and id:f@x") == 1,
	    "moved: new folder");

	/* A removed directory. */
	mailtest_rm_tree("Archive");
	ok(scan(idx, &st) == 0 && st.removed_dirs == 1 && st.removed == 2,
	    "removed directory: its files removed");
	ok(mailtest_count(idx, "id:d@x") == 0 &&
	    mailtest_count(idx, "id:e@x") == 0,
	    "removed directory: messages gone");
	ok(store_index_dir_subdirs(idx, mailtest_root, &names, &n) == STORE_OK,
	    "root subdirs");
	s = mailtest_join(names, n);
	is_str(s, ".Sent INBOX", "removed directory: record gone");
	free(s);
	store_free_names(names, n);
	p = mailtest_path("Archive/cur");
	ok(store_index_dir_mtime(idx, p) == 0, "removed directory: no mtime");
	free(p);

	/* Many files, small batches. */
	for (i = 0; i < 25; i++) {
		(void)snprintf(rel, sizeof rel, "INBOX/new/many%zu", i);
		(void)snprintf(id, sizeof id, "many%zu@x", i);
		mailtest_put(rel, id);
	}
	memset(&opts, 0, sizeof opts);
	opts.batch = 2;
	ok(engine_ingest_scan(idx, &opts, &st, &cause) == 0 && st.added == 25,
	    "small batches");
	ok(mailtest_count(idx, "id:many24@x") == 1, "small batches: all there");

	/* Stopped. */
	mailtest_put("INBOX/new/h", "h@x");
	stop = 1;
	opts.stop = &stop;
	ok(engine_ingest_scan(idx, &opts, &st, &cause) == -1 && cause != NULL &&
	    strstr(cause, "interrupted") != NULL, "stop: -1 with a cause");
	free(cause);
	cause = NULL;
	stop = 0;
	ok(engine_ingest_scan(idx, &opts, &st, &cause) == 0 && st.added == 1,
	    "after a stop, the next scan finishes the work");

	/* A symlink loop is not followed forever. */
	p = mailtest_path("loop");
	ok(symlink(".", p) == 0, "make a symlink loop");
	ok(scan(idx, &st) == 0 && st.added == 0, "symlink loop: scan ends");
	unlink(p);
	free(p);

	store_index_close(idx);
}

static void
test_errors(void)
{
	struct store_index_options	 o;
	struct store_index		*idx;
	struct engine_ingest_stats	 st;
	char				*cause = NULL, *db, *root;

	db = path_join(mailtest_dir, "db2");
	root = path_join(mailtest_dir, "no-such-root");
	memset(&o, 0, sizeof o);
	o.mail_root = root;
	o.database = db;
	o.synchronize_flags = -1;
	o.create = 1;
	ok(store_index_open(&o, STORE_INDEX_READ_WRITE, &idx, &cause) ==
	    STORE_OK, "database for a missing root");
	ok(engine_ingest_scan(idx, NULL, &st, &cause) == -1 && cause != NULL &&
	    strstr(cause, "no-such-root") != NULL, "missing root: -1");
	diag("%s", cause);
	free(cause);
	ok(engine_ingest_scan(idx, NULL, NULL, NULL) == -1,
	    "NULL stats and cause");
	store_index_close(idx);
	free(root);
	free(db);
}

/* The notmuch CLI, given a config naming the same database, agrees. */
static void
test_notmuch_cli(void)
{
	struct store_index		*idx;
	struct engine_ingest_stats	 st;
	char				*ours, *theirs, *out, *cfg;
	FILE				*f;
	int				 i;

	if (system("command -v notmuch >/dev/null 2>&1") != 0) {
		for (i = 0; i < 6; i++)
			skip("notmuch CLI not installed");
		return;
	}
	cfg = getenv("NOTMUCH_CONFIG");
	if ((f = fopen(cfg, "w")) == NULL)
		fatal("fopen %s", cfg);
	fprintf(f, "[database]\npath=%s\n[new]\ntags=inbox;unread;\n"
	    "[search]\nexclude_tags=deleted;spam;\n"
	    "[maildir]\nsynchronize_flags=true\n"
	    "[user]\nprimary_email=dave@example.test\n", mailtest_root);
	fclose(f);

	/* notmuch new takes dot-files; we never add them. */
	delete("INBOX/cur/.hidden:2,S");
	idx = mailtest_open_rw(NULL, 0, -1, 1);
	mailtest_put("INBOX/cur/cli:2,RS", "cli@x");
	ok(scan(idx, &st) == 0 && st.added == 1, "scan before the CLI");
	ours = dump(idx);
	store_index_close(idx);

	theirs = notmuch_dump();
	is_str(theirs, ours, "notmuch dump: same messages and tags");
	free(theirs);

	out = run("notmuch new 2>&1");
	ok(strstr(out, "No new mail") != NULL && strstr(out, "Removed") == NULL,
	    "notmuch new after our scan: nothing to do");
	diag("%s", out);
	free(out);

	/* And the other way round: what notmuch new indexed, we leave. */
	mailtest_put("INBOX/new/by-notmuch", "by-notmuch@x");
	mailtest_put("INBOX/cur/.dot:2,S", "dot@x");
	out = run("notmuch new 2>&1");
	ok(strstr(out, "Added 2 new messages") != NULL,
	    "notmuch new adds a file and a dot-file");
	free(out);
	idx = mailtest_open_rw(NULL, 0, -1, 1);
	ok(scan(idx, &st) == 0 && st.added == 0 && st.removed == 0 &&
	    mailtest_count(idx, "id:by-notmuch@x") == 1 &&
	    mailtest_count(idx, "id:dot@x") == 1,
	    "our scan after notmuch new: nothing to do");
	mailtest_check_tags(idx, "by-notmuch@x", "inbox unread",
	    "notmuch new's tags as ours");
	free(ours);
	store_index_close(idx);
}

int
main(void)
{
	mailtest_init("ingest");

	test_scan();
	test_errors();
	test_notmuch_cli();

	mailtest_release();
	return (tap_done());
}
