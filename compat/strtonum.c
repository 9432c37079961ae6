/*
 * compat/strtonum.c: strtonum as in OpenBSD, for C libraries without it.
 * Parses a decimal number in [min, max]; on failure returns 0 and sets
 * *errstr to "invalid", "too small" or "too large".
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "core/core.h"

long long
strtonum(const char *s, long long min, long long max, const char **errstr)
{
	long long	 v;
	char		*end;

	*errstr = NULL;
	if (min > max) {
		*errstr = "invalid";
		return (0);
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (s == end || *end != '\0') {
		*errstr = "invalid";
		return (0);
	}
	if ((v == LLONG_MIN && errno == ERANGE) || v < min) {
		*errstr = "too small";
		return (0);
	}
	if ((v == LLONG_MAX && errno == ERANGE) || v > max) {
		*errstr = "too large";
		return (0);
	}
	return (v);
}
