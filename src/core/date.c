/*
 * core/date.c: dates for people.  Lists show short relative dates the
 * way mail clients do; scripts get ISO 8601.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core.h"

/*
 * The current time, or SATCHEL_NOW (seconds since the epoch) when set, so
 * tests can compare screens that show relative dates.
 */
time_t
date_now(void)
{
	const char	*v = getenv("SATCHEL_NOW"), *errstr;
	long long	 t;

	if (v != NULL) {
		t = strtonum(v, 0, 4102444800LL, &errstr);
		if (errstr == NULL)
			return ((time_t)t);
	}
	return (time(NULL));
}

/*
 * "14:05" today, "Yest 14:05", "Mon 14:05" within the last week, "Nov 03"
 * this year, "2024-11-03" before; at most 10 columns.  In local time.
 */
void
date_short(struct buf *b, time_t t, time_t now)
{
	struct tm	 tm, tnow;
	char		 out[32];
	time_t		 age = now - t;
	long		 days;
	size_t		 n;

	if (t <= 0) {
		buf_addstr(b, "-");
		return;
	}
	localtime_r(&t, &tm);
	localtime_r(&now, &tnow);
	days = (long)(tnow.tm_yday - tm.tm_yday) +
	    365L * (tnow.tm_year - tm.tm_year);
	/* Literal formats only: -Wformat-nonliteral checks every one. */
	if (age >= 0 && tm.tm_year == tnow.tm_year && days == 0)
		n = strftime(out, sizeof out, "%H:%M", &tm);
	else if (age >= 0 && days == 1 && age < 2 * 86400)
		n = strftime(out, sizeof out, "Yest %H:%M", &tm);
	else if (age >= 0 && age < 6 * 86400)
		n = strftime(out, sizeof out, "%a %H:%M", &tm);
	else if (tm.tm_year == tnow.tm_year)
		n = strftime(out, sizeof out, "%b %d", &tm);
	else
		n = strftime(out, sizeof out, "%Y-%m-%d", &tm);
	if (n == 0)
		out[0] = '\0';
	buf_addstr(b, out);
}

/* "2026-11-01T10:02:03Z": an instant for JSON. */
void
date_iso(struct buf *b, time_t t)
{
	struct tm	 tm;
	char		 out[32];

	gmtime_r(&t, &tm);
	if (strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		out[0] = '\0';
	buf_addstr(b, out);
}
