/*
 * tests/unit/store/maildir.c: Maildir file names, deliveries, flag
 * changes, moves, walks and the tmp/ clean-up, in a temporary directory.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "store/store.h"
#include "tests/unit/tap.h"
#include "tests/unit/mailtest.h"

#define THREADS		4
#define PER_THREAD	250
#define CHILDREN	2
#define PER_CHILD	200

static char	*inbox;
static char	*archive;

/* The contents of a file, or NULL when it cannot be read. */
static char *
slurp(const char *path)
{
	struct buf	 b;

	buf_init(&b);
	if (buf_read_file(&b, path, 1 << 20, NULL) != 0) {
		buf_release(&b);
		return (NULL);
	}
	return (buf_detach(&b, NULL));
}

static int
exists(const char *path)
{
	struct stat	 st;

	return (lstat(path, &st) == 0);
}

static int
count_one(const char *name, void *arg)
{
	(*(int *)arg)++;
	return (0);
}

/* Messages in cur/ and new/ of dir, -1 when the walk fails. */
static int
count_files(const char *dir)
{
	int	 n = 0;

	if (maildir_walk(dir, count_one, &n, NULL) != 0)
		return (-1);
	return (n);
}

/* Files in dir/sub (tmp/ has no walk of its own). */
static int
count_sub(const char *dir, const char *sub)
{
	struct dirent	*de;
	DIR		*d;
	char		*p = path_join(dir, sub);
	int		 n = 0;

	if ((d = opendir(p)) == NULL) {
		free(p);
		return (-1);
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] != '.')
			n++;
	}
	closedir(d);
	free(p);
	return (n);
}

/* The end of a run of (hex) digits at p, NULL when there is none. */
static const char *
digits(const char *p, int hex)
{
	const char	*start = p;

	while (hex ? isxdigit((unsigned char)*p) : isdigit((unsigned char)*p))
		p++;
	return (p == start ? NULL : p);
}

/* Is name "<time>.M<usec>P<pid>Q<n>R<16 hex>.<host>" and then ',' or ':'? */
static int
well_formed_base(const char *name)
{
	const char	*p = name, *q;
	const char	*marks = "MPQ";
	size_t		 i;

	if ((p = digits(p, 0)) == NULL || *p++ != '.')
		return (0);
	for (i = 0; marks[i] != '\0'; i++) {
		if (*p++ != marks[i] || (p = digits(p, 0)) == NULL)
			return (0);
	}
	if (*p++ != 'R' || (q = digits(p, 1)) == NULL || q - p != 16)
		return (0);
	p = q;
	if (*p++ != '.' || *p == '\0' || *p == ',' || *p == ':')
		return (0);
	for (; *p != '\0' && *p != ',' && *p != ':'; p++) {
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.' &&
		    *p != '_')
			return (0);
	}
	return (1);
}

static void
test_names(void)
{
	ok(maildir_name_flags("1.2.h:2,S") == MAILDIR_SEEN, "flags: S");
	ok(maildir_name_flags("1.2.h:2,DFPRST") == (MAILDIR_DRAFT|
	    MAILDIR_FLAGGED|MAILDIR_PASSED|MAILDIR_REPLIED|MAILDIR_SEEN|
	    MAILDIR_TRASHED), "flags: all six");
	ok(maildir_name_flags("1.2.h:2,FSab") == (MAILDIR_FLAGGED|
	    MAILDIR_SEEN), "flags: keyword letters are not ours");
	ok(maildir_name_flags("1.2.h:2,s") == 0, "flags: lowercase s is "
	    "a keyword, not seen");
	ok(maildir_name_flags("1.2.h") == 0, "flags: none without info");
	ok(maildir_name_flags("1.2.h:2,") == 0, "flags: empty info");
	ok(maildir_name_flags("1.2.h:1,S") == 0, "flags: only ':2,' info");
	ok(maildir_name_flags("/m/INBOX/cur/1.2.h,U=3:2,RS") ==
	    (MAILDIR_REPLIED|MAILDIR_SEEN), "flags: from a path");
	ok(maildir_name_flags("/m/x:2,S/cur/1.2.h") == 0,
	    "flags: only the last component counts");
	ok(maildir_name_flags("") == 0, "flags: empty name");

	is_int(maildir_name_uid("1.2.h,U=42:2,S"), 42, "uid: before info");
	is_int(maildir_name_uid("1.2.h,U=42"), 42, "uid: no info");
	is_int(maildir_name_uid("1.2.h:2,S,U=42"), 0, "uid: after ':2,' "
	    "it is no UID");
	is_int(maildir_name_uid("1.2.h,U=7:2,S,U=42"), 7,
	    "uid: the one before ':2,' wins");
	is_int(maildir_name_uid("1.2.h,U=:2,S"), 0, "uid: no digits");
	is_int(maildir_name_uid("1.2.h,U=12a:2,S"), 0, "uid: not a number");
	is_int(maildir_name_uid("1.2.h,U=-1:2,S"), 0, "uid: negative");
	is_int(maildir_name_uid("1.2.h,U=+1:2,S"), 0, "uid: sign");
	is_int(maildir_name_uid("1.2.h,U=4294967295:2,"), 4294967295LL,
	    "uid: the largest");
	is_int(maildir_name_uid("1.2.h,U=4294967296:2,"), 0,
	    "uid: one past the largest");
	is_int(maildir_name_uid("1.2.h,U=99999999999999999999999999:2,"), 0,
	    "uid: huge number");
	is_int(maildir_name_uid("1.2.h,U=0:2,"), 0, "uid: zero");
	is_int(maildir_name_uid("1.2.h,U=0042:2,"), 42, "uid: leading zeros");
	is_int(maildir_name_uid("1.2.h,S=1200,U=5,W=1300:2,S"), 5,
	    "uid: between other ',X=' parts");
	is_int(maildir_name_uid("1.2.h,S=1200:2,S"), 0, "uid: none");
	is_int(maildir_name_uid("/m/x,U=9/cur/1.2.h:2,"), 0,
	    "uid: only the last component counts");
	is_int(maildir_name_uid("/m/INBOX/new/1.2.h,U=11"), 11,
	    "uid: from a path");
	is_int(maildir_name_uid(""), 0, "uid: empty name");
}

static void
test_create(void)
{
	char	*p, *cause = NULL;

	ok(maildir_create(inbox, &cause) == STORE_OK, "create");
	p = path_join(inbox, "tmp");
	ok(exists(p) && count_sub(inbox, "cur") == 0 &&
	    count_sub(inbox, "new") == 0, "create: cur, new and tmp made");
	free(p);
	ok(maildir_create(inbox, NULL) == STORE_OK, "create: again is fine");
	ok(maildir_create(archive, NULL) == STORE_OK, "create: a second");

	mailtest_write("afile", "x");
	p = mailtest_path("afile/box");
	ok(maildir_create(p, &cause) == STORE_EIO && cause != NULL &&
	    strstr(cause, "afile") != NULL, "create: under a file fails with "
	    "the path in the cause");
	diag("%s", cause == NULL ? "" : cause);
	free(cause);
	free(p);
}

static void
test_deliver(void)
{
	struct stat	 st;
	const char	*name;
	char		*path = NULL, *cause = NULL, *s, *p, *want;
	const char	*msg = "From: a@example.test\n\nhello\n";

	ok(maildir_deliver(inbox, msg, strlen(msg), -1, 0, &path,
	    &cause) == STORE_OK && path != NULL, "deliver into new/");
	xasprintf(&want, "%s/new/", inbox);
	ok(path != NULL && strncmp(path, want, strlen(want)) == 0,
	    "deliver: the path is in new/");
	free(want);
	name = path == NULL ? "" : strrchr(path, '/') + 1;
	ok(strstr(name, ":2,") == NULL && strstr(name, ",U=") == NULL,
	    "deliver: no info and no UID in new/");
	ok(well_formed_base(name), "deliver: <time>.M<usec>P<pid>Q<n>R<hex>."
	    "<host>");
	diag("name: %s", name);
	s = slurp(path);
	is_str(s, msg, "deliver: contents");
	free(s);
	ok(stat(path, &st) == 0 && (st.st_mode & 077) == 0,
	    "deliver: private to the user");
	is_int(count_sub(inbox, "tmp"), 0, "deliver: nothing left in tmp/");
	free(path);

	path = NULL;
	ok(maildir_deliver(inbox, msg, strlen(msg), MAILDIR_SEEN|
	    MAILDIR_FLAGGED, 42, &path, NULL) == STORE_OK,
	    "deliver into cur/ with flags and a UID");
	xasprintf(&want, "%s/cur/", inbox);
	ok(path != NULL && strncmp(path, want, strlen(want)) == 0,
	    "deliver: the path is in cur/");
	free(want);
	p = path == NULL ? NULL : strstr(path, ",U=42:2,FS");
	ok(p != NULL && strcmp(p, ",U=42:2,FS") == 0,
	    "deliver: name ends ',U=42:2,FS'");
	ok(maildir_name_uid(path) == 42 && maildir_name_flags(path) ==
	    (MAILDIR_SEEN|MAILDIR_FLAGGED), "deliver: the name reads back");
	free(path);

	path = NULL;
	ok(maildir_deliver(inbox, "", 0, 0, 0, &path, NULL) == STORE_OK &&
	    path != NULL && strcmp(path + strlen(path) - 3, ":2,") == 0,
	    "deliver: empty message, no flags, ends ':2,'");
	ok(path != NULL && stat(path, &st) == 0 && st.st_size == 0,
	    "deliver: the empty file is empty");
	free(path);
	ok(maildir_deliver(inbox, msg, strlen(msg), MAILDIR_DRAFT, 0, NULL,
	    NULL) == STORE_OK, "deliver: path and cause may be NULL");
	is_int(count_files(inbox), 4, "deliver: four messages");

	p = mailtest_path("nosuch");
	ok(maildir_deliver(p, msg, strlen(msg), -1, 0, &path, &cause) ==
	    STORE_EIO && cause != NULL && strstr(cause, "nosuch/tmp/") !=
	    NULL, "deliver: a missing Maildir fails naming the path");
	diag("%s", cause == NULL ? "" : cause);
	free(cause);
	cause = NULL;
	free(p);

	/* tmp/ is a file: ENOTDIR, which even root cannot get around. */
	mailtest_mkdirs("broken/cur");
	mailtest_mkdirs("broken/new");
	mailtest_write("broken/tmp", "");
	p = mailtest_path("broken");
	ok(maildir_deliver(p, msg, strlen(msg), 0, 1, NULL, &cause) ==
	    STORE_EIO && cause != NULL && strstr(cause, "broken/tmp") != NULL &&
	    strstr(cause, strerror(ENOTDIR)) != NULL,
	    "deliver: a file error names the path and the reason");
	diag("%s", cause == NULL ? "" : cause);
	free(cause);
	is_int(count_files(p), 0, "deliver: nothing delivered on failure");
	free(p);
}

static void *
deliver_thread(void *arg)
{
	char	 msg[64];
	int	 i, *failed = arg;

	for (i = 0; i < PER_THREAD; i++) {
		(void)snprintf(msg, sizeof msg, "message %d\n", i);
		if (maildir_deliver(archive, msg, strlen(msg), -1, 0, NULL,
		    NULL) != STORE_OK)
			(*failed)++;
	}
	return (NULL);
}

/* Every delivery must land in a name of its own: none renamed over. */
static void
test_unique(void)
{
	pthread_t	 t[THREADS];
	pid_t		 pid[CHILDREN];
	int		 failed[THREADS], i, j, status, children_ok = 1;
	int		 before;

	before = count_files(archive);
	fflush(stdout);
	for (i = 0; i < CHILDREN; i++) {
		if ((pid[i] = fork()) == -1)
			fatal("fork");
		if (pid[i] == 0) {
			for (j = 0; j < PER_CHILD; j++) {
				if (maildir_deliver(archive, "x", 1, -1, 0,
				    NULL, NULL) != STORE_OK)
					_exit(1);
			}
			_exit(0);
		}
	}
	for (i = 0; i < THREADS; i++) {
		failed[i] = 0;
		if (pthread_create(&t[i], NULL, deliver_thread,
		    &failed[i]) != 0)
			fatalx("pthread_create");
	}
	for (i = 0; i < THREADS; i++)
		(void)pthread_join(t[i], NULL);
	for (i = 0; i < CHILDREN; i++) {
		if (waitpid(pid[i], &status, 0) == -1 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			children_ok = 0;
	}
	for (i = 0; i < THREADS; i++)
		ok(failed[i] == 0, "unique: a thread's deliveries all worked");
	ok(children_ok, "unique: the processes' deliveries all worked");
	is_int(count_files(archive) - before, THREADS * PER_THREAD +
	    CHILDREN * PER_CHILD, "unique: every delivery has a file of its "
	    "own");
	is_int(count_sub(archive, "tmp"), 0, "unique: tmp/ is empty");
	mailtest_rm_tree("Archive");
	(void)maildir_create(archive, NULL);
}

/* Delivers msg and renames it to carry info (after ":2,") verbatim. */
static char *
deliver_as(const char *info, uint32_t uid)
{
	char	*path, *named;

	if (maildir_deliver(inbox, "m\n", 2, 0, uid, &path, NULL) !=
	    STORE_OK)
		fatalx("deliver");
	xasprintf(&named, "%s%s", path, info);
	if (rename(path, named) == -1)
		fatal("rename");
	free(path);
	return (named);
}

/* The part of a path after its last ":2,", or "" */
static const char *
info_of(const char *path)
{
	const char	*p;

	if (path == NULL || (p = strstr(path, ":2,")) == NULL)
		return ("");
	return (p + 3);
}

static void
test_set_flags(void)
{
	char	*path, *np = NULL, *np2 = NULL, *cause = NULL, *s, *want;
	char	*base;

	/* new/ to cur/. */
	if (maildir_deliver(inbox, "body\n", 5, -1, 0, &path, NULL) !=
	    STORE_OK)
		fatalx("deliver");
	ok(maildir_set_flags(path, MAILDIR_SEEN, 0, &np, &cause) ==
	    STORE_OK, "set_flags: new/ message");
	xasprintf(&want, "%s/cur/%s:2,S", inbox, strrchr(path, '/') + 1);
	is_str(np, want, "set_flags: moved to cur/ with ':2,S'");
	free(want);
	ok(!exists(path), "set_flags: the old name is gone");
	s = slurp(np);
	is_str(s, "body\n", "set_flags: contents unchanged");
	free(s);
	free(path);

	/* Same flags: no rename. */
	ok(maildir_set_flags(np, MAILDIR_SEEN, 0, &np2, NULL) == STORE_OK &&
	    np2 != NULL && strcmp(np, np2) == 0 && exists(np),
	    "set_flags: same flags keep the name");
	free(np2);
	np2 = NULL;

	/* Replacing flags, with a UID added. */
	ok(maildir_set_flags(np, MAILDIR_REPLIED|MAILDIR_DRAFT, 9, &np2,
	    NULL) == STORE_OK, "set_flags: new flags and a UID");
	is_str(info_of(np2), "DR", "set_flags: flags replaced, in order");
	ok(maildir_name_uid(np2) == 9 && strstr(np2, ",U=9:2,") != NULL,
	    "set_flags: ',U=9' added before ':2,'");
	free(np);
	np = np2;
	np2 = NULL;
	ok(maildir_set_flags(np, 0, 0, &np2, NULL) == STORE_OK &&
	    maildir_name_uid(np2) == 9 && strcmp(info_of(np2), "") == 0,
	    "set_flags: UID 0 keeps the UID; no flags is ':2,'");
	free(np);
	np = np2;
	np2 = NULL;
	ok(maildir_set_flags(np, MAILDIR_SEEN, 77, &np2, NULL) == STORE_OK &&
	    maildir_name_uid(np2) == 77 && strstr(np2, ",U=9") == NULL,
	    "set_flags: a UID replaces the old one");
	free(np);
	free(np2);
	np = np2 = NULL;

	/* Letters of other tools stay, sorted with ours. */
	path = deliver_as("zSaZ", 5);
	ok(maildir_set_flags(path, MAILDIR_DRAFT|MAILDIR_TRASHED, 0, &np,
	    NULL) == STORE_OK, "set_flags: name with unknown letters");
	is_str(info_of(np), "DTZaz", "set_flags: unknown letters kept, "
	    "known replaced, ASCII order");
	is_int(maildir_name_uid(np), 5, "set_flags: UID kept");
	free(path);
	free(np);
	np = NULL;

	/* The wanted name is taken: a fresh one, nothing overwritten. */
	path = deliver_as("S", 0);
	xasprintf(&base, "%.*s", (int)(strstr(path, ":2,") - path), path);
	xasprintf(&want, "%s:2,", base);
	mailtest_write("keep", "other\n");
	s = mailtest_path("keep");
	if (rename(s, want) == -1)
		fatal("rename");
	free(s);
	ok(maildir_set_flags(path, 0, 0, &np, &cause) == STORE_OK &&
	    np != NULL && strcmp(np, want) != 0,
	    "set_flags: a taken name gets a fresh one");
	s = slurp(want);
	is_str(s, "other\n", "set_flags: the other file is untouched");
	free(s);
	s = slurp(np);
	is_str(s, "m\n", "set_flags: the message is at its new name");
	free(s);
	is_str(info_of(np), "", "set_flags: the fresh name has the flags");
	(void)unlink(want);
	free(want);
	free(base);
	free(path);

	/* Failures. */
	ok(maildir_set_flags(np, 0, 0, &np2, NULL) == STORE_OK, "set_flags: "
	    "no-op");
	free(np2);
	np2 = NULL;
	(void)unlink(np);
	ok(maildir_set_flags(np, MAILDIR_SEEN, 0, &np2, &cause) ==
	    STORE_ENOENT && cause != NULL && np2 == NULL,
	    "set_flags: a vanished file is STORE_ENOENT");
	diag("%s", cause == NULL ? "" : cause);
	free(cause);
	cause = NULL;
	free(np);
	ok(maildir_set_flags("/tmp/x:2,S", MAILDIR_SEEN, 0, &np2, &cause) ==
	    STORE_EIO && cause != NULL && strstr(cause, "cur/ or new/") !=
	    NULL, "set_flags: a file outside cur/ and new/ is refused");
	free(cause);
	cause = NULL;
	ok(maildir_set_flags("nothing", MAILDIR_SEEN, 0, &np2, NULL) ==
	    STORE_EIO, "set_flags: a bare name is refused");
	ok(maildir_set_flags("/m/INBOX/cur/", MAILDIR_SEEN, 0, &np2, NULL) ==
	    STORE_EIO, "set_flags: an empty name is refused");
}

static void
test_move(void)
{
	char	*path, *np = NULL, *cause = NULL, *want, *s;

	path = deliver_as("FSa", 42);
	ok(maildir_move(path, archive, 0, &np, &cause) == STORE_OK,
	    "move to another folder");
	xasprintf(&want, "%s/cur/", archive);
	ok(np != NULL && strncmp(np, want, strlen(want)) == 0,
	    "move: into the destination's cur/");
	free(want);
	ok(np != NULL && strstr(np, ",U=") == NULL, "move: UID 0 drops "
	    "',U='");
	is_str(info_of(np), "FSa", "move: all flags kept");
	ok(!exists(path), "move: gone from the source");
	s = slurp(np);
	is_str(s, "m\n", "move: contents");
	free(s);
	free(path);
	path = np;
	np = NULL;
	ok(maildir_move(path, inbox, 17, &np, NULL) == STORE_OK &&
	    maildir_name_uid(np) == 17 && strstr(np, ",U=17:2,") != NULL,
	    "move back with a new UID");
	free(path);
	free(np);
	np = NULL;

	/* Other ",X=" parts of other tools stay where they were. */
	mailtest_write("INBOX/new/123.abc.host,S=500,U=42", "z\n");
	path = mailtest_path("INBOX/new/123.abc.host,S=500,U=42");
	ok(maildir_move(path, archive, 0, &np, NULL) == STORE_OK,
	    "move: from new/");
	xasprintf(&want, "%s/cur/123.abc.host,S=500:2,", archive);
	is_str(np, want, "move: ',S=' kept, ',U=' dropped, ':2,' added");
	free(want);
	free(path);
	path = np;
	np = NULL;
	ok(maildir_move(path, inbox, 9, &np, NULL) == STORE_OK, "move: "
	    "with a UID where there was none");
	xasprintf(&want, "%s/cur/123.abc.host,S=500,U=9:2,", inbox);
	is_str(np, want, "move: ',U=9' appended to the base");
	free(want);
	free(path);

	/* Into a folder that holds the same name already. */
	mailtest_write("Archive/cur/123.abc.host,S=500,U=9:2,", "other\n");
	path = np;
	np = NULL;
	ok(maildir_move(path, archive, 9, &np, NULL) == STORE_OK && np !=
	    NULL && strstr(np, "123.abc.host") == NULL &&
	    maildir_name_uid(np) == 9, "move: a taken name gets a fresh one");
	s = mailtest_path("Archive/cur/123.abc.host,S=500,U=9:2,");
	free(path);
	path = slurp(s);
	is_str(path, "other\n", "move: the other file is untouched");
	free(path);
	free(s);

	ok(maildir_move(np, archive, 0, NULL, &cause) == STORE_OK,
	    "move: within one folder, newpath may be NULL");
	ok(maildir_move(np, archive, 0, NULL, &cause) == STORE_ENOENT &&
	    cause != NULL, "move: a vanished file is STORE_ENOENT");
	free(cause);
	cause = NULL;
	free(np);
	np = NULL;
	path = deliver_as("S", 0);
	s = mailtest_path("nosuch");
	ok(maildir_move(path, s, 0, &np, &cause) == STORE_EIO && cause !=
	    NULL && strstr(cause, "nosuch") != NULL && np == NULL,
	    "move: a missing destination is STORE_EIO with the path");
	ok(exists(path), "move: the file stays where it was");
	free(cause);
	free(s);
	free(path);
}

static int
walk_check(const char *name, void *arg)
{
	int	*bad = arg;

	if ((strncmp(name, "cur/", 4) != 0 && strncmp(name, "new/", 4) != 0) ||
	    strchr(name + 4, '/') != NULL || name[4] == '.')
		(*bad)++;
	return (0);
}

static int
walk_stop(const char *name, void *arg)
{
	(*(int *)arg)++;
	return (7);
}

static void
test_walk(void)
{
	char	*w, *cause = NULL;
	int	 bad = 0, calls = 0;

	mailtest_mkdirs("Walk/cur/subdir");
	mailtest_mkdirs("Walk/new");
	mailtest_mkdirs("Walk/tmp");
	mailtest_write("Walk/cur/1.a:2,S", "1");
	mailtest_write("Walk/cur/2.b:2,", "2");
	mailtest_write("Walk/cur/.hidden", "x");
	mailtest_write("Walk/new/3.c", "3");
	mailtest_write("Walk/tmp/4.d", "4");
	w = mailtest_path("Walk");
	is_int(count_files(w), 3, "walk: files of cur/ and new/ only");
	ok(maildir_walk(w, walk_check, &bad, NULL) == 0 && bad == 0,
	    "walk: names like 'cur/NAME', no dot files or directories");
	ok(maildir_walk(w, walk_stop, &calls, NULL) == 7 && calls == 1,
	    "walk: a non-zero return stops the walk and is returned");
	free(w);
	w = mailtest_path("nosuch");
	ok(maildir_walk(w, walk_check, &bad, &cause) == -1 && cause != NULL &&
	    strstr(cause, "nosuch/cur") != NULL, "walk: a missing Maildir "
	    "fails with the path");
	free(cause);
	free(w);
}

static void
test_clean_tmp(void)
{
	struct timeval	 tv[2];
	char		*old, *fresh, *w;

	mailtest_write("Walk/tmp/old", "o");
	old = mailtest_path("Walk/tmp/old");
	fresh = mailtest_path("Walk/tmp/4.d");
	tv[0].tv_sec = tv[1].tv_sec = time(NULL) - 2 * 24 * 60 * 60;
	tv[0].tv_usec = tv[1].tv_usec = 0;
	if (utimes(old, tv) == -1)
		fatal("utimes");
	w = mailtest_path("Walk");
	maildir_clean_tmp(w);
	ok(!exists(old), "clean_tmp: a two-day-old file goes");
	ok(exists(fresh), "clean_tmp: a fresh one stays");
	is_int(count_files(w), 3, "clean_tmp: cur/ and new/ untouched");
	free(w);
	w = mailtest_path("nosuch");
	log_set_stderr(0);
	maildir_clean_tmp(w);
	ok(1, "clean_tmp: a missing Maildir is harmless");
	free(w);
	free(fresh);
	free(old);
}

int
main(void)
{
	mailtest_init("maildir");
	inbox = mailtest_path("INBOX");
	archive = mailtest_path("Archive");

	test_names();
	test_create();
	test_deliver();
	test_unique();
	test_set_flags();
	test_move();
	test_walk();
	test_clean_tmp();

	free(archive);
	free(inbox);
	mailtest_release();
	return (tap_done());
}
