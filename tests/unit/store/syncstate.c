/*
 * tests/unit/store/syncstate.c: the per-folder sync state: the sorted
 * UID map, the file format (round trip, and every kind of damage refused
 * with FILE:LINE), and speed at 100k messages.
 */
#include "config.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "store/store.h"
#include "tests/unit/tap.h"
#include "tests/unit/mailtest.h"

#define BIG		100000
#define RANDOM_UIDS	20000

static double
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6);
}

/* Are the entries strictly increasing by UID? */
static int
sorted(const struct syncstate *ss)
{
	size_t	 i;

	for (i = 1; i < ss->n; i++) {
		if (ss->v[i - 1].uid >= ss->v[i].uid)
			return (0);
	}
	return (1);
}

static int
same(const struct syncstate *a, const struct syncstate *b)
{
	if (a->uidvalidity != b->uidvalidity || a->uidnext != b->uidnext ||
	    a->highestmodseq != b->highestmodseq || a->n != b->n)
		return (0);
	return (a->n == 0 ||
	    memcmp(a->v, b->v, a->n * sizeof *a->v) == 0);
}

static void
test_map(void)
{
	struct syncstate	 ss;
	struct syncstate_entry	*e;
	unsigned char		*seen;
	size_t			 i, want = 0;
	uint32_t		 uid;
	int			 good = 1;

	syncstate_init(&ss);
	ok(ss.n == 0 && ss.uidvalidity == 0 && ss.uidnext == 0 &&
	    ss.highestmodseq == 0 && syncstate_find(&ss, 1) == NULL,
	    "init: empty");
	syncstate_remove(&ss, 1);
	ok(ss.n == 0, "remove from empty does nothing");
	syncstate_set(&ss, 5, MAILDIR_SEEN);
	syncstate_set(&ss, 3, 0);
	syncstate_set(&ss, 9, MAILDIR_FLAGGED);
	syncstate_set(&ss, 3, MAILDIR_REPLIED);
	ok(ss.n == 3 && ss.v[0].uid == 3 && ss.v[1].uid == 5 &&
	    ss.v[2].uid == 9, "set: sorted, an existing UID updated in place");
	e = syncstate_find(&ss, 3);
	ok(e != NULL && e->flags == MAILDIR_REPLIED, "find: updated flags");
	ok(syncstate_find(&ss, 4) == NULL && syncstate_find(&ss, 10) ==
	    NULL && syncstate_find(&ss, 0) == NULL, "find: absent UIDs");
	syncstate_set(&ss, 0, MAILDIR_SEEN);
	ok(ss.n == 3, "set: UID 0 is ignored");
	syncstate_set(&ss, 7, MAILDIR_SEEN | (1 << 12));
	e = syncstate_find(&ss, 7);
	ok(e != NULL && e->flags == MAILDIR_SEEN, "set: unknown flag bits "
	    "dropped");
	syncstate_set(&ss, UINT32_MAX, MAILDIR_TRASHED);
	ok(syncstate_find(&ss, UINT32_MAX) != NULL, "set: the largest UID");
	syncstate_remove(&ss, 5);
	syncstate_remove(&ss, 42);
	ok(ss.n == 4 && syncstate_find(&ss, 5) == NULL && sorted(&ss),
	    "remove: one gone, an absent one ignored");
	syncstate_remove(&ss, UINT32_MAX);
	syncstate_remove(&ss, 3);
	ok(ss.n == 2 && ss.v[0].uid == 7 && ss.v[1].uid == 9,
	    "remove: first and last");
	syncstate_clear_entries(&ss);
	ok(ss.n == 0 && syncstate_find(&ss, 7) == NULL, "clear_entries");

	/* Random order against a plain table. */
	seen = xcalloc(RANDOM_UIDS * 4 + 1, 1);
	srandom(12345);
	for (i = 0; i < RANDOM_UIDS; i++) {
		uid = 1 + (uint32_t)(random() % (RANDOM_UIDS * 4));
		syncstate_set(&ss, uid, (int)(uid % 64));
		seen[uid] = 1;
		if (i % 3 == 0) {
			uid = 1 + (uint32_t)(random() % (RANDOM_UIDS * 4));
			syncstate_remove(&ss, uid);
			seen[uid] = 0;
		}
	}
	for (uid = 1; uid <= RANDOM_UIDS * 4; uid++) {
		e = syncstate_find(&ss, uid);
		if (seen[uid])
			want++;
		if ((seen[uid] && (e == NULL || e->flags != (int)(uid % 64))) ||
		    (!seen[uid] && e != NULL))
			good = 0;
	}
	ok(good && ss.n == want && sorted(&ss), "random sets and removes "
	    "agree with a plain table");
	free(seen);
	syncstate_release(&ss);
	ok(ss.v == NULL && ss.n == 0, "release");
}

static void
test_round_trip(void)
{
	struct syncstate	 ss, back;
	char			*path, *cause = NULL, *tmp;
	struct buf		 b;
	struct stat		 st;

	syncstate_init(&ss);
	syncstate_init(&back);
	ss.uidvalidity = 7;
	ss.uidnext = 43;
	ss.highestmodseq = 9001;
	syncstate_set(&ss, 17, MAILDIR_FLAGGED|MAILDIR_SEEN);
	syncstate_set(&ss, 42, 0);
	syncstate_set(&ss, 20, MAILDIR_DRAFT|MAILDIR_FLAGGED|MAILDIR_PASSED|
	    MAILDIR_REPLIED|MAILDIR_SEEN|MAILDIR_TRASHED);
	path = mailtest_path("state/deep/er/INBOX");
	ok(syncstate_save(&ss, path, &cause) == STORE_OK, "save: parent "
	    "directories made");
	buf_init(&b);
	(void)buf_read_file(&b, path, 4096, NULL);
	is_str(b.data, "satchel-syncstate 1\nuidvalidity 7\nuidnext 43\n"
	    "highestmodseq 9001\n17 FS\n20 DFPRST\n42 -\n", "save: the format");
	buf_release(&b);
	ok(stat(path, &st) == 0 && (st.st_mode & 077) == 0,
	    "save: private to the user");
	xasprintf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	ok(stat(tmp, &st) == -1, "save: no tmp file left");
	free(tmp);
	ok(syncstate_load(&back, path, &cause) == STORE_OK && same(&ss, &back),
	    "load: round trip");

	ss.uidvalidity = UINT32_MAX;
	ss.uidnext = UINT32_MAX;
	ss.highestmodseq = UINT64_MAX;
	syncstate_set(&ss, UINT32_MAX, MAILDIR_SEEN);
	ok(syncstate_save(&ss, path, NULL) == STORE_OK &&
	    syncstate_load(&back, path, NULL) == STORE_OK && same(&ss, &back),
	    "round trip at the largest numbers, replacing the file");

	syncstate_release(&ss);
	ok(syncstate_save(&ss, path, NULL) == STORE_OK &&
	    syncstate_load(&back, path, NULL) == STORE_OK && same(&ss, &back),
	    "round trip of an empty state");
	free(path);

	syncstate_set(&back, 3, MAILDIR_SEEN);
	back.uidvalidity = 5;
	path = mailtest_path("state/nosuch");
	ok(syncstate_load(&back, path, &cause) == STORE_OK && back.n == 0 &&
	    back.uidvalidity == 0, "load: a missing file is an empty state");
	free(path);

	mailtest_write("afile", "");
	path = mailtest_path("afile/INBOX");
	ok(syncstate_save(&back, path, &cause) == STORE_EIO && cause != NULL &&
	    strstr(cause, "afile") != NULL, "save: failure names the path");
	diag("%s", cause == NULL ? "" : cause);
	free(cause);
	cause = NULL;
	free(path);
	path = mailtest_path("state");
	ok(syncstate_load(&back, path, &cause) == STORE_EIO && cause != NULL,
	    "load: a directory is refused");
	free(cause);
	free(path);
	syncstate_release(&back);
}

#define HDR "satchel-syncstate 1\n"
#define HDR3 HDR "uidvalidity 1\nuidnext 2\nhighestmodseq 3\n"

static const struct {
	const char	*text;
	size_t		 len;	/* 0: strlen */
	int		 line;
	const char	*want;
} bad[] = {
	{ "", 0, 1, "expected 'satchel-syncstate 1'" },
	{ "hello\n", 0, 1, "expected 'satchel-syncstate 1'" },
	{ "satchel-syncstate 1 \n", 0, 1, "expected version 1" },
	{ "satchel-syncstate 2\nuidvalidity 1\n", 0, 1, "expected version 1" },
	{ HDR, 0, 2, "expected 'uidvalidity NUMBER'" },
	{ HDR "uidvalidity\n", 0, 2, "expected 'uidvalidity NUMBER'" },
	{ HDR "uidvalidity x\n", 0, 2, "from 0 to 4294967295" },
	{ HDR "uidvalidity -1\n", 0, 2, "from 0 to 4294967295" },
	{ HDR "uidvalidity  1\n", 0, 2, "from 0 to 4294967295" },
	{ HDR "uidvalidity 1 \n", 0, 2, "from 0 to 4294967295" },
	{ HDR "uidvalidity 4294967296\n", 0, 2, "from 0 to 4294967295" },
	{ HDR "uidvalidity 1\nhighestmodseq 1\n", 0, 3,
	    "expected 'uidnext NUMBER'" },
	{ HDR "uidvalidity 1\nuidnext 2\n", 0, 4,
	    "expected 'highestmodseq NUMBER'" },
	{ HDR "uidvalidity 1\nuidnext 2\nhighestmodseq 18446744073709551616\n",
	    0, 4, "from 0 to 18446744073709551615" },
	{ HDR3 "0 S\n", 0, 5, "expected a UID from 1 to 4294967295, not '0'" },
	{ HDR3 "4294967296 S\n", 0, 5, "expected a UID from 1" },
	{ HDR3 "a S\n", 0, 5, "expected a UID from 1" },
	{ HDR3 "5\n", 0, 5, "expected 'UID FLAGS'" },
	{ HDR3 "\n", 0, 5, "expected 'UID FLAGS'" },
	{ HDR3 "5 \n", 0, 5, "expected '-' or flags" },
	{ HDR3 "5 X\n", 0, 5, "not 'X'" },
	{ HDR3 "5 s\n", 0, 5, "not 's'" },
	{ HDR3 "5 SS\n", 0, 5, "each once" },
	{ HDR3 "5 S-\n", 0, 5, "expected '-' or flags" },
	{ HDR3 "5 S\r\n", 0, 5, "expected '-' or flags" },
	{ HDR3 "5 S\n3 F\n", 0, 6, "expected a UID above 5, not 3" },
	{ HDR3 "5 S\n5 F\n", 0, 6, "expected a UID above 5, not 5" },
	{ HDR3 "5 S\n6 F\0\n", sizeof HDR3 + 8, 6, "unexpected NUL byte" },
	{ HDR3 "5 S\n6 FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
	    "FFFFFFF"
	    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
	    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
	    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
	    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\n",
	    0, 6, "line longer than 256 bytes" },
};

static void
test_malformed(void)
{
	struct syncstate	 ss;
	char			*path, *cause, *want, name[64];
	FILE			*f;
	size_t			 i, len;
	int			 good;

	mailtest_mkdirs("bad");
	syncstate_init(&ss);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		(void)snprintf(name, sizeof name, "bad/%zu", i);
		path = mailtest_path(name);
		len = bad[i].len == 0 ? strlen(bad[i].text) : bad[i].len;
		if ((f = fopen(path, "w")) == NULL ||
		    fwrite(bad[i].text, 1, len, f) != len || fclose(f) != 0)
			fatal("write %s", path);
		syncstate_release(&ss);
		syncstate_set(&ss, 99, MAILDIR_SEEN);
		ss.uidvalidity = 77;
		cause = NULL;
		xasprintf(&want, "%s:%d: ", path, bad[i].line);
		good = (syncstate_load(&ss, path, &cause) == STORE_EIO &&
		    cause != NULL && strncmp(cause, want, strlen(want)) == 0 &&
		    strstr(cause, bad[i].want) != NULL);
		(void)snprintf(name, sizeof name, "malformed %zu refused with "
		    "FILE:%d", i, bad[i].line);
		if (!ok(good, name))
			diag("cause: %s", cause == NULL ? "(null)" : cause);
		ok(ss.n == 1 && ss.v[0].uid == 99 && ss.uidvalidity == 77,
		    "a failed load leaves the state as it was");
		free(want);
		free(cause);
		free(path);
	}
	syncstate_release(&ss);
}

static void
test_big(void)
{
	struct syncstate	 ss, back;
	char			*path, *cause = NULL;
	double			 t0, t_set, t_save, t_load;
	uint32_t		 uid;
	size_t			 i;
	int			 good = 1;

	syncstate_init(&ss);
	syncstate_init(&back);
	ss.uidvalidity = 1700000000;
	ss.uidnext = 3 * BIG + 1;
	ss.highestmodseq = 123456789012ULL;
	t0 = now_ms();
	for (i = 0; i < BIG; i++)
		syncstate_set(&ss, (uint32_t)(3 * i + 1), (int)(i % 64));
	t_set = now_ms() - t0;
	path = mailtest_path("state/big");
	t0 = now_ms();
	ok(syncstate_save(&ss, path, &cause) == STORE_OK, "100k: save");
	t_save = now_ms() - t0;
	t0 = now_ms();
	ok(syncstate_load(&back, path, &cause) == STORE_OK, "100k: load");
	t_load = now_ms() - t0;
	ok(same(&ss, &back), "100k: round trip");
	diag("100k entries: set %.1f ms, save %.1f ms, load %.1f ms", t_set,
	    t_save, t_load);
	/* Generous bounds, so a loaded machine does not fail the suite; a
	 * quadratic slip would take seconds. */
	ok(t_save < 500 && t_load < 500, "100k: save and load are fast");
	for (i = 0; i < BIG; i++) {
		uid = (uint32_t)(3 * i + 1);
		if (syncstate_find(&back, uid) == NULL ||
		    syncstate_find(&back, uid + 1) != NULL)
			good = 0;
	}
	ok(good, "100k: every UID found by binary search, no others");
	free(path);
	syncstate_release(&back);

	/* Increasing UIDs append: ten times more must not cost 100 times. */
	syncstate_clear_entries(&ss);
	t0 = now_ms();
	for (i = 0; i < 10 * BIG; i++)
		syncstate_set(&ss, (uint32_t)(i + 1), MAILDIR_SEEN);
	t_set = now_ms() - t0;
	diag("1M increasing sets: %.1f ms", t_set);
	ok(ss.n == 10 * BIG && sorted(&ss) && t_set < 1000,
	    "1M increasing sets are appends");
	syncstate_release(&ss);
}

int
main(void)
{
	mailtest_init("syncstate");
	test_map();
	test_round_trip();
	test_malformed();
	test_big();
	mailtest_release();
	return (tap_done());
}
