/*
 * tests/unit/tap.h: a tiny TAP producer for unit tests, run by automake's
 * tap-driver.  Each test program prints "1..N" at the end (no plan needed
 * up front), "ok N - name" or "not ok N - name", and diagnostics as "# ".
 */
#ifndef TESTS_UNIT_TAP_H
#define TESTS_UNIT_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_count;
static int tap_failed;

static inline int
tap_ok(int cond, const char *file, int line, const char *name)
{
	tap_count++;
	if (cond)
		printf("ok %d - %s\n", tap_count, name);
	else {
		tap_failed++;
		printf("not ok %d - %s\n# at %s:%d\n", tap_count, name, file,
		    line);
	}
	fflush(stdout);
	return (cond);
}

static inline int
tap_is_str(const char *got, const char *want, const char *file, int line,
    const char *name)
{
	int	 same;

	if (got == NULL || want == NULL)
		same = (got == want);
	else
		same = (strcmp(got, want) == 0);
	if (!tap_ok(same, file, line, name)) {
		printf("#   got: '%s'\n", got == NULL ? "(null)" : got);
		printf("#  want: '%s'\n", want == NULL ? "(null)" : want);
	}
	return (same);
}

static inline int
tap_is_int(long long got, long long want, const char *file, int line,
    const char *name)
{
	if (!tap_ok(got == want, file, line, name)) {
		printf("#   got: %lld\n#  want: %lld\n", got, want);
		return (0);
	}
	return (1);
}

static inline int
tap_done(void)
{
	printf("1..%d\n", tap_count);
	return (tap_failed == 0 ? 0 : 1);
}

#define ok(c, n)	tap_ok((c), __FILE__, __LINE__, (n))
#define is_str(g, w, n)	tap_is_str((g), (w), __FILE__, __LINE__, (n))
#define is_int(g, w, n)	tap_is_int((g), (w), __FILE__, __LINE__, (n))
#define diag(...)	(printf("# "), printf(__VA_ARGS__), printf("\n"))

#endif /* TESTS_UNIT_TAP_H */
