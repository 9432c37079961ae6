/*
 * tests/unit/store/index.c: the notmuch index behind store.h, on a real
 * database in a temporary directory.  HOME, NOTMUCH_CONFIG and the XDG
 * directories point inside it, so the user's notmuch files are never read
 * or written.
 */
#include "config.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "store/store.h"
#include "tests/unit/tap.h"
#include "tests/unit/mailtest.h"

/*
 * LeakSanitizer: libnotmuch 0.37 itself loses a string read from the
 * configuration file when it creates a database with one.  Matching its
 * frame needs full stacks: libnotmuch and GLib have no frame pointers.
 */
const char	*__asan_default_options(void);
const char	*__lsan_default_suppressions(void);
const char *
__asan_default_options(void)
{
	return ("fast_unwind_on_malloc=0");
}
const char *
__lsan_default_suppressions(void)
{
	return ("leak:notmuch_database_create_with_config\n");
}

static int
valid_utf8(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	int			 n, i;

	while (*p != '\0') {
		if (*p < 0x80)
			n = 0;
		else if (*p >= 0xc2 && *p <= 0xdf)
			n = 1;
		else if (*p >= 0xe0 && *p <= 0xef)
			n = 2;
		else if (*p >= 0xf0 && *p <= 0xf4)
			n = 3;
		else
			return (0);
		p++;
		for (i = 0; i < n; i++, p++) {
			if ((*p & 0xc0) != 0x80)
				return (0);
		}
	}
	return (1);
}

static void
test_open(void)
{
	struct store_index_options	 o;
	struct store_index		*idx = NULL;
	enum store_status		 st;
	char				*cause = NULL, *db;

	memset(&o, 0, sizeof o);
	o.mail_root = mailtest_root;
	o.synchronize_flags = -1;
	st = store_index_open(&o, STORE_INDEX_READ_ONLY, &idx, &cause);
	ok(st == STORE_ENOENT && idx == NULL,
	    "open: missing database is ENOENT");
	ok(cause != NULL && strstr(cause, mailtest_root) != NULL,
	    "open: missing database cause names the path");
	diag("%s", cause == NULL ? "(null)" : cause);
	free(cause);
	cause = NULL;

	memset(&o, 0, sizeof o);
	st = store_index_open(&o, STORE_INDEX_READ_ONLY, &idx, &cause);
	ok(st == STORE_ENOENT && cause != NULL, "open: no root, no database");
	free(cause);
	cause = NULL;

	o.mail_root = mailtest_root;
	o.synchronize_flags = -1;
	o.create = 1;
	st = store_index_open(&o, STORE_INDEX_READ_WRITE, &idx, &cause);
	ok(st == STORE_OK && idx != NULL, "open: create");
	if (st != STORE_OK) {
		diag("%s", cause);
		exit(1);
	}
	is_str(store_index_mail_root(idx), mailtest_root, "mail root");
	is_str(store_index_database_path(idx), mailtest_root, "database path");
	db = mailtest_path(".notmuch/xapian");
	ok(access(db, F_OK) == 0, "database made under the mail root");
	free(db);
	store_index_close(idx);
	idx = NULL;

	st = store_index_open(&o, STORE_INDEX_READ_WRITE, &idx, &cause);
	ok(st == STORE_OK, "open: create when it exists opens it");
	store_index_close(idx);
	idx = NULL;

	o.create = 0;
	st = store_index_open(&o, STORE_INDEX_READ_ONLY, &idx, &cause);
	ok(st == STORE_OK, "open: existing, read-only");
	ok(mailtest_count(idx, NULL) == 0, "empty database counts 0");
	store_index_close(idx);
	store_index_close(NULL);

	ok(strncmp(store_version(), "notmuch library 5.", 18) == 0,
	    "store_version");
	ok(strcmp(store_strerror(STORE_EQUERY), "bad query") == 0 &&
	    strcmp(store_strerror(STORE_ENOENT), "no such database") == 0 &&
	    strcmp(store_strerror((enum store_status)99), "unknown error") == 0,
	    "store_strerror");
}

static void
test_add_remove(void)
{
	static const char *const	 fresh[] = { "fresh" };
	struct store_index		*idx;
	struct store_messages		*ms;
	struct store_message		 sm;
	enum store_status		 st;
	char				*cause = NULL, *p, *q;
	int				 is_new = -1;

	idx = mailtest_open_rw(NULL, 0, -1, 0);

	mailtest_put_full("INBOX/cur/a:2,", "a@x", NULL,
	    "Alice <alice@example.test>", "Mon, 01 Jan 2024 10:00:00 +0000",
	    "Hello");
	p = mailtest_path("INBOX/cur/a:2,");
	st = store_index_add_file(idx, p, &is_new, &cause);
	ok(st == STORE_OK && is_new == 1, "add: new message");
	mailtest_check_tags(idx, "a@x", "inbox unread",
	    "add: default new tags");
	st = store_index_add_file(idx, p, &is_new, &cause);
	ok(st == STORE_OK && is_new == 0, "add: same file again is not new");
	free(p);

	mailtest_put_full("INBOX/new/a-copy", "a@x", NULL,
	    "Alice <alice@example.test>", "Mon, 01 Jan 2024 10:00:00 +0000",
	    "Hello");
	p = mailtest_path("INBOX/new/a-copy");
	st = store_index_add_file(idx, p, &is_new, &cause);
	ok(st == STORE_OK && is_new == 0, "add: duplicate Message-ID");
	free(p);
	ok(mailtest_count(idx, NULL) == 1, "duplicate: still one message");
	ok(store_index_search_messages(idx, "id:a@x", STORE_SORT_NEWEST_FIRST,
	    &ms, NULL) == STORE_OK && store_messages_next(ms, &sm),
	    "search messages by id");
	ok(sm.n_filenames == 2, "duplicate: two files");
	ok(strncmp(sm.filename, mailtest_root, strlen(mailtest_root)) == 0,
	    "filename is absolute");
	is_str(sm.subject, "Hello", "message subject");
	is_str(sm.from, "Alice <alice@example.test>", "message from");
	is_str(sm.to, "Dave <dave@example.test>", "message to");
	is_str(sm.message_id, "a@x", "message id");
	ok(sm.date == 1704103200, "message date");
	ok(sm.depth == 0 && sm.matched == 1, "search result depth and match");
	store_message_release(&sm);
	ok(!store_messages_next(ms, &sm), "search messages: one result");
	store_messages_free(ms);
	store_messages_free(NULL);

	mailtest_write("INBOX/cur/junk", "hello world\nthis is not mail\n");
	p = mailtest_path("INBOX/cur/junk");
	st = store_index_add_file(idx, p, &is_new, &cause);
	ok(st == STORE_EMAIL && cause != NULL && strstr(cause, "junk") != NULL,
	    "add: non-mail file is STORE_EMAIL");
	diag("%s", cause);
	free(cause);
	cause = NULL;
	unlink(p);
	free(p);

	p = mailtest_path("INBOX/cur/nothing-here");
	st = store_index_add_file(idx, p, &is_new, &cause);
	ok(st == STORE_EIO && cause != NULL, "add: missing file is STORE_EIO");
	diag("%s", cause);
	free(cause);
	cause = NULL;
	free(p);

	st = store_index_add_file(idx, "/etc/passwd", &is_new, &cause);
	ok(st == STORE_EIO && cause != NULL && strstr(cause, "mail root") !=
	    NULL, "add: file outside the mail root");
	free(cause);
	cause = NULL;
	ok(store_index_remove_file(idx, "/etc/passwd") == STORE_EIO,
	    "remove: file outside the mail root");

	/* Maildir flags. */
	mailtest_put_full("INBOX/cur/b:2,FRS", "b@x", NULL,
	    "Bob <bob@example.test>", "Tue, 02 Jan 2024 10:00:00 +0000",
	    "Flags");
	p = mailtest_path("INBOX/cur/b:2,FRS");
	ok(store_index_add_file(idx, p, NULL, NULL) == STORE_OK, "add b");
	free(p);
	mailtest_check_tags(idx, "b@x", "flagged inbox replied",
	    "flags: F R S become flagged, replied, not unread");

	/* A Maildir rename that drops F: the tag goes with the old file. */
	mailtest_put_full("INBOX/cur/b:2,RS", "b@x", NULL,
	    "Bob <bob@example.test>", "Tue, 02 Jan 2024 10:00:00 +0000",
	    "Flags");
	p = mailtest_path("INBOX/cur/b:2,RS");
	ok(store_index_add_file(idx, p, &is_new, NULL) == STORE_OK &&
	    is_new == 0, "rename: new name added first");
	free(p);
	mailtest_check_tags(idx, "b@x", "flagged inbox replied",
	    "rename: flags of both files while both exist");
	p = mailtest_path("INBOX/cur/b:2,FRS");
	unlink(p);
	ok(store_index_remove_file(idx, p) == STORE_OK, "rename: old removed");
	free(p);
	mailtest_check_tags(idx, "b@x", "inbox replied",
	    "rename: tags re-read from the remaining file");
	ok(mailtest_count(idx, NULL) == 2, "rename: still two messages");

	p = mailtest_path("INBOX/cur/never-indexed");
	ok(store_index_remove_file(idx, p) == STORE_OK,
	    "remove: unknown file is not an error");
	free(p);

	p = mailtest_path("INBOX/new/a-copy");
	ok(store_index_remove_file(idx, p) == STORE_OK, "remove one of two");
	free(p);
	ok(mailtest_count(idx, "id:a@x") == 1,
	    "message stays with its other file");
	p = mailtest_path("INBOX/cur/a:2,");
	ok(store_index_remove_file(idx, p) == STORE_OK, "remove the last");
	free(p);
	ok(mailtest_count(idx, "id:a@x") == 0,
	    "message goes with its last file");
	store_index_close(idx);

	/* Our own new tags, and flags not synchronised. */
	idx = mailtest_open_rw(fresh, 1, 0, 0);
	mailtest_put_full("INBOX/cur/c:2,S", "c@x", NULL,
	    "Carol <carol@example.test>", "Wed, 03 Jan 2024 10:00:00 +0000",
	    "Fresh");
	p = mailtest_path("INBOX/cur/c:2,S");
	ok(store_index_add_file(idx, p, &is_new, NULL) == STORE_OK &&
	    is_new == 1, "add with own new tags");
	free(p);
	mailtest_check_tags(idx, "c@x", "fresh",
	    "new_tags applied, flags ignored");
	store_index_close(idx);

	/* Clean up for the query tests. */
	idx = mailtest_open_rw(NULL, 0, -1, 0);
	p = mailtest_path("INBOX");
	ok(store_index_dir_remove(idx, p) == STORE_OK, "dir_remove");
	free(p);
	ok(mailtest_count(idx, NULL) == 0, "dir_remove: every message gone");
	q = mailtest_path("INBOX/cur");
	ok(store_index_dir_mtime(idx, q) == 0, "dir_remove: record gone");
	free(q);
	store_index_close(idx);
}

static void
test_dirs(void)
{
	struct store_index	*idx;
	char			**names = NULL, *p, *s;
	size_t			 n = 99;

	idx = mailtest_open_rw(NULL, 0, -1, 0);
	p = mailtest_path("D/cur");
	ok(store_index_dir_mtime(idx, p) == 0, "dir: unknown mtime is 0");
	ok(store_index_dir_files(idx, p, &names, &n) == STORE_OK && n == 0 &&
	    names == NULL, "dir: unknown directory has no files");
	ok(store_index_dir_set_mtime(idx, p, 1234) == STORE_OK &&
	    store_index_dir_mtime(idx, p) == 0,
	    "dir: no record for a directory without files");
	free(p);

	mailtest_put_full("D/cur/f2", "f2@x", NULL, "F <f@example.test>",
	    "Mon, 01 Jan 2024 10:00:00 +0000", "F2");
	mailtest_put_full("D/cur/f1", "f1@x", NULL, "F <f@example.test>",
	    "Mon, 01 Jan 2024 10:00:00 +0000", "F1");
	mailtest_put_full("D/sub/cur/g1", "g1@x", NULL, "G <g@example.test>",
	    "Mon, 01 Jan 2024 10:00:00 +0000", "G1");
	p = mailtest_path("D/cur/f2");
	ok(store_index_add_file(idx, p, NULL, NULL) == STORE_OK, "add f2");
	free(p);
	p = mailtest_path("D/cur/f1");
	ok(store_index_add_file(idx, p, NULL, NULL) == STORE_OK, "add f1");
	free(p);
	p = mailtest_path("D/sub/cur/g1");
	ok(store_index_add_file(idx, p, NULL, NULL) == STORE_OK, "add g1");
	free(p);

	p = mailtest_path("D/cur");
	ok(store_index_dir_files(idx, p, &names, &n) == STORE_OK, "dir_files");
	s = mailtest_join(names, n);
	is_str(s, "f1 f2", "dir_files: names, sorted");
	free(s);
	store_free_names(names, n);
	ok(store_index_dir_set_mtime(idx, p, 1234) == STORE_OK &&
	    store_index_dir_mtime(idx, p) == 1234, "dir: mtime recorded");
	free(p);
	p = mailtest_path("D");
	ok(store_index_dir_subdirs(idx, p, &names, &n) == STORE_OK,
	    "dir_subdirs");
	s = mailtest_join(names, n);
	is_str(s, "cur sub", "dir_subdirs: names, sorted");
	free(s);
	store_free_names(names, n);
	free(p);
	ok(store_index_dir_set_mtime(idx, mailtest_root, 4321) == STORE_OK &&
	    store_index_dir_mtime(idx, mailtest_root) == 4321,
	    "dir: the mail root itself has a record");
	ok(store_index_dir_mtime(idx, "/etc") == 0 &&
	    store_index_dir_files(idx, "/etc", &names, &n) == STORE_EIO,
	    "dir: outside the mail root");

	p = mailtest_path("D/sub");
	ok(store_index_dir_remove(idx, p) == STORE_OK, "dir_remove D/sub");
	free(p);
	ok(mailtest_count(idx, "id:g1@x") == 0 &&
	    mailtest_count(idx, "id:f1@x") == 1,
	    "dir_remove: only the files under it");
	p = mailtest_path("D");
	ok(store_index_dir_subdirs(idx, p, &names, &n) == STORE_OK, "subdirs");
	s = mailtest_join(names, n);
	is_str(s, "cur", "dir_remove: record of the subdirectory gone");
	free(s);
	store_free_names(names, n);
	ok(store_index_dir_remove(idx, p) == STORE_OK &&
	    mailtest_count(idx, NULL) == 0, "dir_remove D");
	free(p);
	store_index_close(idx);
}

/* Times of the test thread. */
#define T1	1704880800	/* Wed, 10 Jan 2024 10:00:00 +0000 */
#define T4	(T1 + 3 * 86400)

static char *
first_thread(struct store_index *idx, const char *q, enum store_sort sort,
    struct store_thread *t)
{
	struct store_threads	*ts;
	char			*id = NULL;

	memset(t, 0, sizeof *t);
	if (store_index_search_threads(idx, q, sort, &ts, NULL) != STORE_OK)
		return (NULL);
	if (store_threads_next(ts, t))
		id = xstrdup(t->thread_id);
	store_threads_free(ts);
	return (id);
}

static void
test_queries(void)
{
	struct store_index	*idx;
	struct store_threads	*ts;
	struct store_thread	 t;
	struct store_messages	*ms;
	struct store_message	*v;
	size_t			 n, i;
	unsigned int		 c;
	char			*cause = NULL, *tid, *s;

	idx = mailtest_open_rw(NULL, 0, -1, 0);
	mailtest_put_full("Q/cur/t1", "t1@x", NULL,
	    "Alice <alice@example.test>", "Wed, 10 Jan 2024 10:00:00 +0000",
	    "Plan");
	mailtest_put_full("Q/cur/t2", "t2@x", "t1@x", "Bob <bob@example.test>",
	    "Thu, 11 Jan 2024 10:00:00 +0000", "Re: Plan");
	mailtest_put_full("Q/cur/t3", "t3@x", "t1@x",
	    "Carol <carol@example.test>", "Fri, 12 Jan 2024 10:00:00 +0000",
	    "Re: Plan");
	mailtest_put_full("Q/cur/t4", "t4@x", "t2@x",
	    "Alice <alice@example.test>", "Sat, 13 Jan 2024 10:00:00 +0000",
	    "Re: Plan");
	mailtest_put_full("Q/cur/u1", "u1@x", NULL, "Eve <eve@example.test>",
	    "Sat, 20 Jan 2024 10:00:00 +0000", "Other");
	/* Out of order on purpose: the reply before its parent. */
	ok(store_index_add_file(idx, s = mailtest_path("Q/cur/t4"), NULL,
	    NULL) == STORE_OK, "add t4");
	free(s);
	ok(store_index_add_file(idx, s = mailtest_path("Q/cur/t3"), NULL,
	    NULL) == STORE_OK, "add t3");
	free(s);
	ok(store_index_add_file(idx, s = mailtest_path("Q/cur/t1"), NULL,
	    NULL) == STORE_OK, "add t1");
	free(s);
	ok(store_index_add_file(idx, s = mailtest_path("Q/cur/t2"), NULL,
	    NULL) == STORE_OK, "add t2");
	free(s);
	ok(store_index_add_file(idx, s = mailtest_path("Q/cur/u1"), NULL,
	    NULL) == STORE_OK, "add u1");
	free(s);

	ok(mailtest_count(idx, "*") == 5 && mailtest_count(idx, "") == 5 &&
	    mailtest_count(idx, NULL) == 5, "count messages: all");
	ok(mailtest_count(idx, "from:alice") == 2,
	    "count messages: from:alice");
	ok(store_index_count_threads(idx, NULL, &c, NULL) == STORE_OK && c == 2,
	    "count threads: all");
	ok(store_index_count_threads(idx, "from:alice", &c, NULL) ==
	    STORE_OK && c == 1, "count threads: from:alice");

	/* Lazy iteration, newest first. */
	ok(store_index_search_threads(idx, "*", STORE_SORT_NEWEST_FIRST, &ts,
	    &cause) == STORE_OK, "search threads");
	ok(store_threads_next(ts, &t), "first thread");
	is_str(t.subject, "Other", "newest first: the newer thread first");
	ok(t.total == 1 && t.matched == 1, "counts of a single message");
	is_str(t.authors, "Eve", "authors of a single message");
	store_thread_release(&t);
	ok(store_threads_next(ts, &t), "second thread");
	is_str(t.subject, "Plan", "thread subject");
	ok(t.total == 4 && t.matched == 4, "thread counts");
	ok(t.oldest == T1 && t.newest == T4, "thread oldest and newest");
	is_str(t.authors, "Alice, Bob, Carol", "thread authors");
	s = mailtest_join(t.tags, t.n_tags);
	is_str(s, "inbox unread", "thread tags, sorted");
	free(s);
	ok(strlen(t.thread_id) > 0, "thread id");
	store_thread_release(&t);
	ok(!store_threads_next(ts, &t), "no third thread");
	ok(!store_threads_next(ts, &t), "still none");
	store_threads_free(ts);
	store_threads_free(NULL);

	tid = first_thread(idx, "*", STORE_SORT_OLDEST_FIRST, &t);
	is_str(t.subject, "Plan", "oldest first: the older thread first");
	store_thread_release(&t);

	free(first_thread(idx, "from:bob", STORE_SORT_NEWEST_FIRST, &t));
	ok(t.matched == 1 && t.total == 4, "matched of total");
	is_str(t.authors, "Bob| Alice, Carol", "authors: matched | others");
	store_thread_release(&t);

	/* Stopping early frees what is left. */
	ok(store_index_search_threads(idx, NULL, STORE_SORT_NEWEST_FIRST, &ts,
	    NULL) == STORE_OK && store_threads_next(ts, &t), "one of two");
	store_thread_release(&t);
	store_threads_free(ts);

	/* Bad queries, each with its own reason. */
	ok(store_index_count_messages(idx, "a AND", &c, &cause) ==
	    STORE_EQUERY, "bad query: EQUERY");
	ok(cause != NULL && strstr(cause, "bad query 'a AND'") != NULL &&
	    strstr(cause, "AND <expression>") != NULL, "bad query: cause");
	diag("%s", cause);
	free(cause);
	cause = NULL;
	ok(store_index_search_threads(idx, "date:foo..bar",
	    STORE_SORT_NEWEST_FIRST, &ts, &cause) == STORE_EQUERY && ts == NULL,
	    "second bad query: EQUERY");
	ok(cause != NULL && strstr(cause, "date") != NULL &&
	    strstr(cause, "AND <expression>") == NULL,
	    "second bad query: its own reason");
	diag("%s", cause);
	free(cause);
	cause = NULL;
	ok(store_index_count_threads(idx, "a AND", &c, &cause) == STORE_EQUERY,
	    "bad query: count threads");
	free(cause);
	cause = NULL;
	ok(store_index_search_messages(idx, "x OR", STORE_SORT_NEWEST_FIRST,
	    &ms, &cause) == STORE_EQUERY && ms == NULL,
	    "bad query: search messages");
	free(cause);
	cause = NULL;
	ok(mailtest_count(idx, "from:alice") == 2, "good query after bad ones");

	/* A thread's messages in reading order. */
	ok(store_index_thread_messages(idx, tid, NULL, &v, &n, &cause) ==
	    STORE_OK && n == 4, "thread messages");
	if (n == 4) {
		is_str(v[0].message_id, "t1@x", "first: the root");
		is_str(v[1].message_id, "t2@x", "then its first reply");
		is_str(v[2].message_id, "t4@x", "then the reply to that");
		is_str(v[3].message_id, "t3@x", "then the second reply");
		ok(v[0].depth == 0 && v[1].depth == 1 && v[2].depth == 2 &&
		    v[3].depth == 1, "depths");
		ok(v[0].matched && v[1].matched && v[2].matched && v[3].matched,
		    "no query: all matched");
		is_str(v[2].from, "Alice <alice@example.test>", "message from");
		is_str(v[2].thread_id, tid, "message thread id");
	}
	store_message_array_free(v, n);

	ok(store_index_thread_messages(idx, tid, "from:alice", &v, &n, NULL) ==
	    STORE_OK && n == 4, "thread messages with a query");
	if (n == 4) {
		ok(v[0].matched && !v[1].matched && v[2].matched &&
		    !v[3].matched, "matched: Alice's two");
	}
	store_message_array_free(v, n);

	ok(store_index_thread_messages(idx, tid, "from:nobody", &v, &n,
	    NULL) == STORE_OK && n == 4, "query matching none of the thread");
	for (i = 0, c = 0; i < n; i++)
		c += v[i].matched;
	ok(c == 0, "none matched");
	store_message_array_free(v, n);

	ok(store_index_thread_messages(idx, "00000000deadbeef", NULL, &v, &n,
	    NULL) == STORE_OK && n == 0 && v == NULL, "missing thread: empty");
	ok(store_index_thread_messages(idx, "x y", NULL, &v, &n, &cause) ==
	    STORE_EQUERY && cause != NULL, "bad thread id");
	free(cause);
	cause = NULL;
	ok(store_index_thread_messages(idx, tid, "a AND", &v, &n, &cause) ==
	    STORE_EQUERY && n == 0, "thread messages: bad query");
	free(cause);
	cause = NULL;
	free(tid);
	store_index_close(idx);
}

static void
test_excludes(void)
{
	static const char *const	 del[] = { "inbox", "deleted" };
	struct store_index		*idx;
	struct store_thread		 t;
	struct store_message		*v;
	size_t				 n;
	unsigned int			 c;
	char				*tid, *s;

	idx = mailtest_open_rw(del, 2, -1, 0);
	mailtest_put_full("E/cur/x1", "x1@x", NULL, "Xena <x@example.test>",
	    "Mon, 01 Jan 2024 10:00:00 +0000", "Excl");
	mailtest_put_full("E/cur/x3", "x3@x", NULL, "Xena <x@example.test>",
	    "Mon, 01 Jan 2024 10:00:00 +0000", "Gone");
	ok(store_index_add_file(idx, s = mailtest_path("E/cur/x1"), NULL,
	    NULL) == STORE_OK, "add deleted x1");
	free(s);
	ok(store_index_add_file(idx, s = mailtest_path("E/cur/x3"), NULL,
	    NULL) == STORE_OK, "add deleted x3");
	free(s);
	store_index_close(idx);

	idx = mailtest_open_rw(NULL, 0, -1, 0);
	mailtest_put_full("E/cur/x2", "x2@x", "x1@x", "Yann <y@example.test>",
	    "Tue, 02 Jan 2024 10:00:00 +0000", "Re: Excl");
	ok(store_index_add_file(idx, s = mailtest_path("E/cur/x2"), NULL,
	    NULL) == STORE_OK, "add x2");
	free(s);

	ok(store_index_excludes(idx, "deleted") &&
	    !store_index_excludes(idx, "inbox"), "the excluded tags");
	ok(mailtest_count(idx, "subject:Excl") == 1,
	    "excluded message left out");
	ok(mailtest_count(idx, "subject:Excl and tag:deleted") == 1 &&
	    mailtest_count(idx, "tag:deleted") == 2,
	    "naming the tag includes it");
	ok(store_index_count_threads(idx, "subject:Gone", &c, NULL) ==
	    STORE_OK && c == 0, "thread of excluded messages only: left out");
	ok(store_index_count_threads(idx, "subject:Gone and tag:deleted", &c,
	    NULL) == STORE_OK && c == 1, "... unless asked for");

	tid = first_thread(idx, "subject:Excl", STORE_SORT_NEWEST_FIRST, &t);
	ok(tid != NULL && t.matched == 1 && t.total == 2,
	    "thread with an excluded message: 1 of 2 matched");
	store_thread_release(&t);
	ok(tid != NULL && store_index_thread_messages(idx, tid, "subject:Excl",
	    &v, &n, NULL) == STORE_OK && n == 2, "its messages: both");
	if (n == 2) {
		ok(!v[0].matched && v[1].matched,
		    "the excluded one is not matched");
		s = mailtest_join(v[0].tags, v[0].n_tags);
		is_str(s, "deleted inbox", "excluded message's tags");
		free(s);
	}
	store_message_array_free(v, n);
	free(tid);

	ok(store_index_dir_remove(idx, s = mailtest_path("E")) == STORE_OK,
	    "clean up E");
	free(s);
	store_index_close(idx);
}

static void
test_reopen(void)
{
	struct store_index_options	 o;
	struct store_index		*ro, *rw, *again = NULL;
	char				*cause = NULL, *s;
	unsigned int			 before;

	memset(&o, 0, sizeof o);
	o.mail_root = mailtest_root;
	o.synchronize_flags = -1;
	ok(store_index_open(&o, STORE_INDEX_READ_ONLY, &ro, &cause) ==
	    STORE_OK, "reader open");
	before = mailtest_count(ro, NULL);

	rw = mailtest_open_rw(NULL, 0, -1, 0);
	mailtest_put_full("R/cur/r1", "r1@x", NULL, "R <r@example.test>",
	    "Mon, 01 Jan 2024 10:00:00 +0000", "Reopen");
	ok(store_index_add_file(rw, s = mailtest_path("R/cur/r1"), NULL,
	    NULL) == STORE_OK, "writer adds a message");
	free(s);
	store_index_close(rw);

	ok(store_index_reopen(ro, &cause) == STORE_OK, "reopen");
	ok(mailtest_count(ro, NULL) == before + 1,
	    "reader sees the writer's message");
	ok(store_index_open_again(ro, &again, &cause) == STORE_OK,
	    "a second handle on the same database");
	ok(again != NULL && mailtest_count(again, NULL) == before + 1 &&
	    strcmp(store_index_mail_root(again), store_index_mail_root(ro)) ==
	    0 && store_index_excludes(again, "deleted") ==
	    store_index_excludes(ro, "deleted"), "with the same options");
	ok(again != NULL && store_index_add_file(again, s =
	    mailtest_path("R/cur/r1"), NULL, &cause) == STORE_EDB,
	    "and read-only");
	free(s);
	free(cause);
	cause = NULL;
	store_index_close(again);
	mailtest_check_tags(ro, "r1@x", "inbox unread", "with its tags");
	ok(store_index_add_file(ro, s = mailtest_path("R/cur/r1"), NULL,
	    &cause) == STORE_EDB && cause != NULL,
	    "read-only handle cannot index");
	diag("%s", cause);
	free(cause);
	free(s);
	store_index_close(ro);
}

static void
test_utf8(void)
{
	struct store_index	*idx;
	struct store_thread	 t;
	struct store_message	*v;
	size_t			 n = 0;
	char			*tid, *s;

	idx = mailtest_open_rw(NULL, 0, -1, 0);
	mailtest_write("U/cur/u",
	    "From: =?UTF-8?Q?J=C3=B6rg?= <jorg@example.test>\n"
	    "To: =?ISO-8859-1?Q?Andr=E9?= <andre@example.test>\n"
	    "Subject: Caf\351 \377\376 end\n"
	    "Date: Mon, 01 Jan 2024 10:00:00 +0000\n"
	    "Message-ID: <utf@x>\n\nbody\n");
	ok(store_index_add_file(idx, s = mailtest_path("U/cur/u"), NULL,
	    NULL) == STORE_OK, "add a message with odd headers");
	free(s);
	tid = first_thread(idx, "id:utf@x", STORE_SORT_NEWEST_FIRST, &t);
	ok(tid != NULL && valid_utf8(t.subject) && valid_utf8(t.authors),
	    "thread strings are valid UTF-8");
	is_str(t.authors, "Jörg", "encoded-word author decoded");
	store_thread_release(&t);
	ok(tid != NULL && store_index_thread_messages(idx, tid, NULL, &v, &n,
	    NULL) == STORE_OK && n == 1, "its message");
	if (n == 1) {
		is_str(v[0].from, "Jörg <jorg@example.test>", "from decoded");
		is_str(v[0].to, "André <andre@example.test>", "to decoded");
		ok(valid_utf8(v[0].subject) && strstr(v[0].subject, "end") !=
		    NULL, "raw 8-bit subject made valid UTF-8");
		diag("subject: %s", v[0].subject);
	}
	store_message_array_free(v, n);
	free(tid);
	ok(store_index_dir_remove(idx, s = mailtest_path("U")) == STORE_OK,
	    "clean up U");
	free(s);
	store_index_close(idx);
}

static void
write_config(const char *path, const char *new_tags)
{
	FILE	*f;

	if ((f = fopen(path, "w")) == NULL)
		fatal("fopen %s", path);
	fprintf(f, "[database]\npath=%s/nmdb\nmail_root=%s\n"
	    "[new]\ntags=%s\n[search]\nexclude_tags=junk;\n"
	    "[maildir]\nsynchronize_flags=false\n"
	    "[user]\nprimary_email=dave@example.test\n", mailtest_dir,
	    mailtest_root, new_tags);
	fclose(f);
}

static void
test_config(void)
{
	struct store_index_options	 o;
	struct store_index		*idx;
	char				*cause = NULL, *cfg, *cfg2, *db, *s;

	cfg = path_join(mailtest_dir, "home/notmuch-config");
	cfg2 = path_join(mailtest_dir, "home/notmuch-config-junk");
	db = path_join(mailtest_dir, "nmdb");
	write_config(cfg, "fresh;");
	write_config(cfg2, "junk;");
	(void)mkdir(db, 0700);

	memset(&o, 0, sizeof o);
	o.notmuch_config = cfg;
	o.mail_root = "/ignored";
	o.synchronize_flags = 1;
	o.create = 1;
	ok(store_index_open(&o, STORE_INDEX_READ_WRITE, &idx, &cause) ==
	    STORE_OK, "config: create");
	if (idx == NULL) {
		diag("%s", cause);
		exit(1);
	}
	is_str(store_index_mail_root(idx), mailtest_root, "config: mail root");
	is_str(store_index_database_path(idx), db, "config: database path");
	mailtest_put_full("K/cur/k:2,S", "k@x", NULL, "K <k@example.test>",
	    "Mon, 01 Jan 2024 10:00:00 +0000", "Config");
	ok(store_index_add_file(idx, s = mailtest_path("K/cur/k:2,S"), NULL,
	    NULL) == STORE_OK, "config: add");
	free(s);
	mailtest_check_tags(idx, "k@x", "fresh",
	    "config: new.tags, no flag sync");
	store_index_close(idx);

	o.notmuch_config = cfg2;
	o.create = 0;
	ok(store_index_open(&o, STORE_INDEX_READ_WRITE, &idx, &cause) ==
	    STORE_OK, "config 2: open");
	mailtest_put_full("K/cur/j", "j@x", NULL, "J <j@example.test>",
	    "Mon, 01 Jan 2024 10:00:00 +0000", "Config");
	ok(store_index_add_file(idx, s = mailtest_path("K/cur/j"), NULL,
	    NULL) == STORE_OK, "config 2: add");
	free(s);
	store_index_close(idx);

	o.notmuch_config = "";	/* $NOTMUCH_CONFIG, i.e. cfg */
	ok(store_index_open(&o, STORE_INDEX_READ_ONLY, &idx, &cause) ==
	    STORE_OK, "config: default file");
	ok(mailtest_count(idx, "subject:Config") == 1,
	    "config: exclude_tags applied");
	ok(mailtest_count(idx, "tag:junk") == 1, "config: unless named");
	store_index_close(idx);

	o.notmuch_config = "/nonexistent/notmuch-config";
	ok(store_index_open(&o, STORE_INDEX_READ_ONLY, &idx, &cause) ==
	    STORE_ENOENT && cause != NULL, "config: missing file is ENOENT");
	diag("%s", cause);
	free(cause);

	free(db);
	free(cfg2);
	free(cfg);
}

static void
test_database_elsewhere(void)
{
	struct store_index_options	 o;
	struct store_index		*idx;
	char				*cause = NULL, *db, *s;

	db = path_join(mailtest_dir, "elsewhere/db");
	memset(&o, 0, sizeof o);
	o.mail_root = mailtest_root;
	o.database = db;
	o.synchronize_flags = -1;
	o.create = 1;
	ok(store_index_open(&o, STORE_INDEX_READ_WRITE, &idx, &cause) ==
	    STORE_OK, "elsewhere: create, making directories");
	if (idx == NULL) {
		diag("%s", cause);
		exit(1);
	}
	is_str(store_index_database_path(idx), db, "elsewhere: database path");
	is_str(store_index_mail_root(idx), mailtest_root,
	    "elsewhere: mail root");
	mailtest_put_full("W/cur/w", "w@x", NULL, "W <w@example.test>",
	    "Mon, 01 Jan 2024 10:00:00 +0000", "Elsewhere");
	ok(store_index_add_file(idx, s = mailtest_path("W/cur/w"), NULL,
	    NULL) == STORE_OK, "elsewhere: add");
	free(s);
	store_index_close(idx);

	o.mail_root = NULL;
	o.create = 0;
	ok(store_index_open(&o, STORE_INDEX_READ_ONLY, &idx, &cause) ==
	    STORE_OK, "elsewhere: reopen by database alone");
	is_str(store_index_mail_root(idx), mailtest_root,
	    "elsewhere: mail root kept in the database");
	ok(mailtest_count(idx, NULL) == 1, "elsewhere: its own messages only");
	store_index_close(idx);
	free(db);
}

int
main(void)
{
	const char	*d;

	mailtest_init("store");
	for (d = "INBOX/cur\0INBOX/new\0INBOX/tmp\0D/cur\0D/sub/cur\0"
	    "Q/cur\0E/cur\0R/cur\0U/cur\0K/cur\0W/cur\0"; *d != '\0';
	    d += strlen(d) + 1)
		mailtest_mkdirs(d);

	test_open();
	test_add_remove();
	test_dirs();
	test_queries();
	test_excludes();
	test_reopen();
	test_utf8();
	test_config();
	test_database_elsewhere();

	mailtest_release();
	return (tap_done());
}
