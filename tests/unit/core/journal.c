/*
 * tests/unit/core/journal.c: the operation journal: adding, marking done
 * and compacting; escapes; torn and damaged files; two processes adding
 * at once, one compacting under the other; and a writer killed at random
 * moments, after which everything it was told was added is still there.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "tests/unit/tap.h"

#define CHILDREN	2
#define PER_CHILD	500
#define OLD		200
#define NEW		300
#define CRASHES		6

static char	*dir;

/* A path in the test directory, for the caller to free. */
static char *
tpath(const char *name)
{
	return (path_join(dir, name));
}

static char *
slurp(const char *path)
{
	struct buf	 b;

	buf_init(&b);
	if (buf_read_file(&b, path, 64 << 20, NULL) != 0)
		buf_clear(&b);
	return (buf_detach(&b, NULL));
}

static void
spit(const char *path, const char *data, size_t len)
{
	if (path_write_file(path, data, len, 0600, 0, NULL) == -1)
		fatal("write %s", path);
}

static int
rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	return (remove(p));
}

/* The pending entries as "SEQ:TEXT|SEQ:TEXT", for the caller to free. */
static char *
pending_str(struct journal *j)
{
	struct journal_entry	*e;
	struct buf		 b;
	size_t			 n, i;

	buf_init(&b);
	if (journal_pending(j, &e, &n, NULL) != 0) {
		buf_addstr(&b, "(failed)");
		return (buf_detach(&b, NULL));
	}
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%llu:%s", i == 0 ? "" : "|",
		    (unsigned long long)e[i].seq, e[i].text);
	journal_entries_free(e, n);
	return (buf_detach(&b, NULL));
}

#define check_pending(j, want, name) do {				\
	char	*got_ = pending_str(j);					\
									\
	is_str(got_, (want), (name));					\
	free(got_);							\
} while (0)

#define check_file(p, want, name) do {					\
	char	*got_ = slurp(p);					\
									\
	is_str(got_, (want), (name));					\
	free(got_);							\
} while (0)

static void
test_basics(void)
{
	struct journal		*j, *j2;
	struct journal_entry	*e;
	struct stat		 st;
	char			*p, *lock, *cause = NULL;
	uint64_t		 seq = 0;
	size_t			 n = 99;
	int			 taken = -1;

	p = tpath("state/deep/journal");
	ok(journal_open(p, &j, &cause) == 0, "open: creates the directory "
	    "and the file");
	ok(stat(p, &st) == 0 && st.st_size == 0 && (st.st_mode & 077) == 0,
	    "open: an empty private file");
	xasprintf(&lock, "%s.lock", p);
	ok(stat(lock, &st) == 0, "open: the lock file is beside it");
	ok(journal_pending(j, &e, &n, NULL) == 0 && n == 0,
	    "pending: none at first");
	journal_entries_free(e, n);

	ok(journal_add(j, "one", &seq, NULL) == 0 && seq == 1, "add: seq 1");
	ok(journal_add(j, "two", &seq, NULL) == 0 && seq == 2, "add: seq 2");
	ok(journal_add(j, "three", NULL, NULL) == 0, "add: seq may be NULL");
	check_file(p, "A 1 one\nA 2 two\nA 3 three\n", "add: the lines");
	check_pending(j, "1:one|2:two|3:three", "pending: oldest first");

	ok(journal_done(j, 2, &cause) == 0, "done 2");
	check_file(p, "A 1 one\nA 2 two\nA 3 three\nD 2\n", "done: a D line");
	check_pending(j, "1:one|3:three", "pending: without 2");
	ok(journal_done(j, 2, NULL) == 0, "done: again is fine");
	check_file(p, "A 1 one\nA 2 two\nA 3 three\nD 2\n",
	    "done: again writes nothing");
	ok(journal_done(j, 4, &cause) == -1 && cause != NULL &&
	    strstr(cause, "no entry 4") != NULL, "done: a number never "
	    "handed out fails");
	free(cause);
	cause = NULL;
	ok(journal_done(j, 0, NULL) == -1, "done: 0 fails");

	/* A second open, as another process would have. */
	ok(journal_open(p, &j2, NULL) == 0, "open a second handle");
	check_pending(j2, "1:one|3:three", "second handle: same entries");
	ok(journal_add(j2, "four", &seq, NULL) == 0 && seq == 4,
	    "second handle: next number");
	check_pending(j, "1:one|3:three|4:four", "first handle sees it");
	ok(journal_add(j, "five", &seq, NULL) == 0 && seq == 5,
	    "first handle: no number reused");

	ok(journal_compact(j, &cause) == 0, "compact");
	check_file(p, "A 1 one\nA 3 three\nA 4 four\nA 5 five\n",
	    "compact: only pending entries");
	ok(journal_done(j2, 1, NULL) == 0 && journal_done(j2, 5, NULL) == 0,
	    "second handle: done after the other compacted");
	check_pending(j, "3:three|4:four", "first handle sees those");
	ok(journal_compact(j2, NULL) == 0, "compact from the second");
	check_file(p, "A 3 three\nA 4 four\nD 5\n", "compact: a D line keeps "
	    "the highest number");
	ok(journal_add(j, "six", &seq, NULL) == 0 && seq == 6,
	    "add after compaction: the numbers go on");
	ok(journal_done(j, 3, NULL) == 0 && journal_done(j, 4, NULL) == 0 &&
	    journal_done(j, 6, NULL) == 0 && journal_compact(j, NULL) == 0,
	    "all done, compacted");
	check_file(p, "D 6\n", "compact: nothing pending leaves only the mark");
	ok(journal_add(j2, "seven", &seq, NULL) == 0 && seq == 7,
	    "an empty journal still goes on from 7");
	ok(journal_compact(j2, NULL) == 0, "compact with nothing done");
	check_file(p, "D 6\nA 7 seven\n", "compact: nothing done, unchanged");
	ok(journal_cancel(j, 6, &taken, NULL) == 0 && taken == 0,
	    "cancel: an entry already done is not taken");
	ok(journal_add(j, "eight", &seq, NULL) == 0 && seq == 8, "add: 8");
	ok(journal_cancel(j2, 8, &taken, NULL) == 0 && taken == 1,
	    "cancel: a pending entry is taken");
	ok(journal_cancel(j, 8, &taken, NULL) == 0 && taken == 0,
	    "cancel: only once, whichever handle");
	check_pending(j, "7:seven", "cancel: the entry is done");
	journal_close(j2);
	journal_close(j);
	journal_close(NULL);
	ok(1, "close (NULL too)");

	/* The file removed behind our back: made again. */
	ok(journal_open(p, &j, NULL) == 0, "open again");
	(void)unlink(p);
	ok(journal_add(j, "after unlink", &seq, NULL) == 0 && seq == 1,
	    "a removed file is created again");
	journal_close(j);
	free(lock);
	free(p);
}

static void
test_escapes(void)
{
	static const char *const texts[] = {
		"line one\nline two",
		"back\\slash",
		"\\n is not a newline",
		"\n\n\\\\\n",
		"",
		"trailing backslash \\",
		"caf\xc3\xa9 \xe2\x9c\x93 \xe6\x97\xa5\xe6\x9c\xac",
		"tab\tand\rcarriage return",
	};
	const char		*want = "A 1 line one\\nline two\n"
	    "A 2 back\\\\slash\nA 3 \\\\n is not a newline\n"
	    "A 4 \\n\\n\\\\\\\\\\n\nA 5 \n";
	struct journal		*j;
	struct journal_entry	*e;
	char			*p, *f;
	size_t			 i, n;
	int			 good = 1;

	p = tpath("escapes");
	if (journal_open(p, &j, NULL) != 0)
		fatalx("open");
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		if (journal_add(j, texts[i], NULL, NULL) != 0)
			good = 0;
	}
	ok(good, "escapes: added");
	f = slurp(p);
	ok(strncmp(f, want, strlen(want)) == 0, "escapes: on disk");
	free(f);
	journal_close(j);
	if (journal_open(p, &j, NULL) != 0)
		fatalx("open");
	if (journal_pending(j, &e, &n, NULL) != 0)
		fatalx("pending");
	good = (n == sizeof texts / sizeof texts[0]);
	for (i = 0; good && i < n; i++) {
		if (strcmp(e[i].text, texts[i]) != 0) {
			diag("entry %zu: '%s'", i, e[i].text);
			good = 0;
		}
	}
	ok(good, "escapes: newline, backslash and UTF-8 round trip");
	journal_entries_free(e, n);
	ok(journal_done(j, 1, NULL) == 0 && journal_compact(j, NULL) == 0,
	    "escapes: compact");
	journal_close(j);
	if (journal_open(p, &j, NULL) != 0)
		fatalx("open");
	if (journal_pending(j, &e, &n, NULL) != 0)
		fatalx("pending");
	good = (n == sizeof texts / sizeof texts[0] - 1);
	for (i = 0; good && i < n; i++)
		good = (strcmp(e[i].text, texts[i + 1]) == 0);
	ok(good, "escapes: compaction writes them escaped again");
	journal_entries_free(e, n);
	journal_close(j);
	free(p);
}

static void
test_torn(void)
{
	struct journal	*j;
	char		*p;
	uint64_t	 seq = 0;

	p = tpath("torn");
	spit(p, "A 1 x\nA 2 half a li", 19);
	ok(journal_open(p, &j, NULL) == 0, "torn: opens");
	check_pending(j, "1:x", "torn: the torn line is ignored");
	ok(journal_add(j, "y", &seq, NULL) == 0 && seq == 2,
	    "torn: its number is free again");
	check_file(p, "A 1 x\nA 2 y\n", "torn: cut off before the append");
	journal_close(j);

	spit(p, "A 1 x\nD 1", 9);
	ok(journal_open(p, &j, NULL) == 0, "torn D: opens");
	check_pending(j, "1:x", "torn D: the entry is still pending");
	ok(journal_done(j, 1, NULL) == 0, "torn D: done");
	check_file(p, "A 1 x\nD 1\n", "torn D: replaced by a whole line");
	journal_close(j);

	spit(p, "A 1 x\n\0\0\0\0", 10);
	ok(journal_open(p, &j, NULL) == 0, "torn NULs: opens");
	check_pending(j, "1:x", "torn NULs: ignored");
	ok(journal_compact(j, NULL) == 0, "torn NULs: compact");
	check_file(p, "A 1 x\n", "torn NULs: compaction drops them");
	journal_close(j);
	free(p);
}

static const struct {
	const char	*text;
	size_t		 len;
	int		 line;
	const char	*want;
} bad[] = {
	{ "X 1 foo\n", 0, 1, "expected 'A SEQ TEXT' or 'D SEQ'" },
	{ "A 1 a\nA 1 b\n", 0, 2, "expected a sequence number above 1, "
	    "not 1" },
	{ "A 1 a\nA 3 b\nA 2 c\n", 0, 3, "above 3, not 2" },
	{ "A x y\n", 0, 1, "expected 'A SEQ TEXT' or 'D SEQ'" },
	{ "A -1 y\n", 0, 1, "expected 'A SEQ TEXT' or 'D SEQ'" },
	{ "A 0 y\n", 0, 1, "expected 'A SEQ TEXT' or 'D SEQ'" },
	{ "A 99999999999999999999 y\n", 0, 1, "expected 'A SEQ TEXT'" },
	{ "A 1\n", 0, 1, "expected 'A SEQ TEXT' or 'D SEQ'" },
	{ "A 1 bad \\t escape\n", 0, 1, "expected only \\n and \\\\ escapes" },
	{ "A 1 trailing \\\n", 0, 1, "expected only \\n and \\\\ escapes" },
	{ "A 1 a\nD\n", 0, 2, "expected 'A SEQ TEXT' or 'D SEQ'" },
	{ "A 1 a\nD 1 2\n", 0, 2, "expected 'A SEQ TEXT' or 'D SEQ'" },
	{ "A 1 a\nD x\n", 0, 2, "expected 'A SEQ TEXT' or 'D SEQ'" },
	{ "A 1 a\n\n", 0, 2, "expected 'A SEQ TEXT' or 'D SEQ'" },
	{ "A 1 a\nA 2 b\0c\n", 14, 2, "unexpected NUL byte" },
};

static void
test_malformed(void)
{
	struct journal	*j;
	char		*p, *cause, *want, name[64];
	size_t		 i, len;
	int		 good;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		(void)snprintf(name, sizeof name, "bad-%zu", i);
		p = tpath(name);
		len = bad[i].len == 0 ? strlen(bad[i].text) : bad[i].len;
		spit(p, bad[i].text, len);
		cause = NULL;
		j = NULL;
		xasprintf(&want, "%s:%d: ", p, bad[i].line);
		good = (journal_open(p, &j, &cause) == -1 && cause != NULL &&
		    strncmp(cause, want, strlen(want)) == 0 &&
		    strstr(cause, bad[i].want) != NULL);
		(void)snprintf(name, sizeof name, "malformed %zu refused with "
		    "FILE:%d", i, bad[i].line);
		if (!ok(good, name))
			diag("cause: %s", cause == NULL ? "(null)" : cause);
		journal_close(j);
		free(want);
		free(cause);
		free(p);
	}

	/* Damage appended under an open handle shows on its next call. */
	p = tpath("later");
	if (journal_open(p, &j, NULL) != 0 || journal_add(j, "a", NULL,
	    NULL) != 0)
		fatalx("open");
	spit(p, "A 1 a\nBAD\n", 10);
	cause = NULL;
	ok(journal_add(j, "b", NULL, &cause) == -1 && cause != NULL &&
	    strstr(cause, ":2: expected") != NULL, "damage seen by an open "
	    "handle fails its next call");
	free(cause);
	check_file(p, "A 1 a\nBAD\n", "nothing appended after damage");
	journal_close(j);
	free(p);
}

/* Adds n entries "<tag>-<i>" in a fresh open; for forked children. */
static int
child_add(const char *p, const char *tag, int n)
{
	struct journal	*j;
	char		 text[64];
	int		 i;

	if (journal_open(p, &j, NULL) != 0)
		return (1);
	for (i = 0; i < n; i++) {
		(void)snprintf(text, sizeof text, "%s-%d", tag, i);
		if (journal_add(j, text, NULL, NULL) != 0)
			return (1);
	}
	journal_close(j);
	return (0);
}

static int
wait_ok(pid_t pid)
{
	int	 status;

	return (waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0);
}

/* Are the n entries' numbers strictly increasing (so none repeats)? */
static int
increasing(const struct journal_entry *e, size_t n)
{
	size_t	 i;

	for (i = 1; i < n; i++) {
		if (e[i - 1].seq >= e[i].seq)
			return (0);
	}
	return (1);
}

/* Does e hold every "<tag>-<i>" for i below n, each once? */
static int
all_there(const struct journal_entry *e, size_t n, const char *tag, int want)
{
	char	*seen, prefix[32];
	size_t	 i, plen;
	int	 k, count = 0, good = 1;
	char	*end;

	seen = xcalloc((size_t)want, 1);
	plen = (size_t)snprintf(prefix, sizeof prefix, "%s-", tag);
	for (i = 0; i < n; i++) {
		if (strncmp(e[i].text, prefix, plen) != 0)
			continue;
		k = (int)strtol(e[i].text + plen, &end, 10);
		if (*end != '\0' || k < 0 || k >= want || seen[k])
			good = 0;
		else {
			seen[k] = 1;
			count++;
		}
	}
	free(seen);
	return (good && count == want);
}

static void
test_two_processes(void)
{
	struct journal		*j;
	struct journal_entry	*e;
	pid_t			 pid[CHILDREN];
	char			*p, tag[16];
	size_t			 n, i;
	int			 good = 1;

	p = tpath("shared");
	fflush(stdout);
	for (i = 0; i < CHILDREN; i++) {
		(void)snprintf(tag, sizeof tag, "child%zu", i);
		if ((pid[i] = fork()) == -1)
			fatal("fork");
		if (pid[i] == 0)
			_exit(child_add(p, tag, PER_CHILD));
	}
	for (i = 0; i < CHILDREN; i++)
		good = wait_ok(pid[i]) && good;
	ok(good, "two processes: both added all theirs");
	if (journal_open(p, &j, NULL) != 0 ||
	    journal_pending(j, &e, &n, NULL) != 0)
		fatalx("pending");
	is_int((long long)n, CHILDREN * PER_CHILD, "two processes: 1000 "
	    "entries");
	ok(increasing(e, n) && n > 0 && e[0].seq == 1 &&
	    e[n - 1].seq == CHILDREN * PER_CHILD, "two processes: 1000 "
	    "unique numbers, 1 to 1000");
	ok(all_there(e, n, "child0", PER_CHILD) &&
	    all_there(e, n, "child1", PER_CHILD), "two processes: every text "
	    "there once");
	journal_entries_free(e, n);
	journal_close(j);
	free(p);
}

/*
 * One process adds while the other marks its own entries done and
 * compacts again and again: every rename must be noticed, no entry lost.
 */
static void
test_compact_under_writer(void)
{
	struct journal		*j;
	struct journal_entry	*e;
	uint64_t		 old[OLD];
	pid_t			 pid;
	char			*p, text[32];
	size_t			 n;
	int			 i, good = 1;

	p = tpath("compacted");
	if (journal_open(p, &j, NULL) != 0)
		fatalx("open");
	for (i = 0; i < OLD; i++) {
		(void)snprintf(text, sizeof text, "old-%d", i);
		if (journal_add(j, text, &old[i], NULL) != 0)
			fatalx("add");
	}
	fflush(stdout);
	if ((pid = fork()) == -1)
		fatal("fork");
	if (pid == 0)
		_exit(child_add(p, "new", NEW));
	for (i = 0; i < OLD; i++) {
		if (journal_done(j, old[i], NULL) != 0)
			good = 0;
		if (i % 5 == 4 && journal_compact(j, NULL) != 0)
			good = 0;
	}
	ok(wait_ok(pid) && good, "compact under a writer: both sides worked");
	ok(journal_compact(j, NULL) == 0 &&
	    journal_pending(j, &e, &n, NULL) == 0, "compact under a writer: "
	    "pending");
	is_int((long long)n, NEW, "compact under a writer: the writer's "
	    "entries, and only those");
	ok(increasing(e, n) && all_there(e, n, "new", NEW),
	    "compact under a writer: each once, numbers unique");
	journal_entries_free(e, n);
	journal_close(j);
	free(p);
}

/*
 * A child adds in a loop and reports each add that returned on a pipe;
 * it is killed at a random moment.  What it reported must be there.
 */
static void
test_crash(void)
{
	struct journal		*j;
	struct journal_entry	*e;
	char			*p, tag[16];
	size_t			 n;
	pid_t			 pid;
	int			 fds[2], round, k, good, reported;
	int			 total = 0, all_good = 1, opened = 1;
	char			 text[32];

	p = tpath("crash");
	srandom((unsigned int)time(NULL) ^ (unsigned int)getpid());
	for (round = 0; round < CRASHES; round++) {
		if (pipe(fds) == -1)
			fatal("pipe");
		fflush(stdout);
		if ((pid = fork()) == -1)
			fatal("fork");
		if (pid == 0) {
			close(fds[0]);
			if (journal_open(p, &j, NULL) != 0)
				_exit(1);
			for (k = 0;; k++) {
				(void)snprintf(text, sizeof text, "r%d-%d",
				    round, k);
				if (journal_add(j, text, NULL, NULL) != 0)
					_exit(1);
				if (write(fds[1], &k, sizeof k) != sizeof k)
					_exit(1);
			}
		}
		close(fds[1]);
		usleep(1000 + (useconds_t)(random() % 40000));
		(void)kill(pid, SIGKILL);
		(void)waitpid(pid, NULL, 0);
		reported = 0;
		while (read(fds[0], &k, sizeof k) == sizeof k)
			reported = k + 1;
		close(fds[0]);
		total += reported;

		if (journal_open(p, &j, NULL) != 0) {
			opened = 0;
			break;
		}
		if (journal_pending(j, &e, &n, NULL) != 0)
			fatalx("pending");
		/* The last add may have landed without being reported. */
		(void)snprintf(tag, sizeof tag, "r%d", round);
		good = increasing(e, n) && (all_there(e, n, tag, reported) ||
		    all_there(e, n, tag, reported + 1));
		journal_entries_free(e, n);
		journal_close(j);
		if (!good) {
			diag("round %d: %d reported, not all found", round,
			    reported);
			all_good = 0;
		}
	}
	ok(opened, "crash: the file parses after every kill");
	ok(all_good, "crash: every add the child saw return is there");
	diag("crash: %d rounds, %d adds reported", CRASHES, total);
	free(p);
}

int
main(void)
{
	xasprintf(&dir, "/tmp/satchel-journal-XXXXXX");
	if (mkdtemp(dir) == NULL)
		fatal("mkdtemp");
	log_set_stderr(0);

	test_basics();
	test_escapes();
	test_torn();
	test_malformed();
	test_two_processes();
	test_compact_under_writer();
	test_crash();

	(void)nftw(dir, rm_one, 16, FTW_DEPTH|FTW_PHYS);
	free(dir);
	return (tap_done());
}
