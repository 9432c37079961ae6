/*
 * tests/unit/cal/rrule.c: our RRULE expander, one family of rules at a
 * time (worked out by hand from RFC 5545), the rules it refuses, the
 * window and the limits, and hostile rules that must end quickly.  The
 * corpus of libical's expectations is run by tests/unit/cal/ical.c
 * through cal_ical_expand().  Times here are UTC (no conversion).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core.h"
#include "cal/cal.h"
#include "tests/unit/tap.h"

/* "20250101" or "20250101T090000" as a wall time. */
static struct cal_rrule_time
wall(const char *s)
{
	struct cal_rrule_time t;

	memset(&t, 0, sizeof t);
	if (sscanf(s, "%4d%2d%2dT%2d%2d%2d", &t.year, &t.month, &t.day,
	    &t.hour, &t.minute, &t.second) < 4)
		t.date = 1;
	return (t);
}

static time_t
utc(const char *s)
{
	struct cal_rrule_time t = wall(s);
	struct tm	 tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = t.year - 1900;
	tm.tm_mon = t.month - 1;
	tm.tm_mday = t.day;
	tm.tm_hour = t.hour;
	tm.tm_min = t.minute;
	tm.tm_sec = t.second;
	return (timegm(&tm));
}

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

/* Expands rule from dtstart in [from, to) (NULL: from DTSTART, to 2100)
 * and lists the instances as text; *rc gets cal_rrule_expand's result. */
static char *
expand(const char *rule, const char *dtstart, const char *from,
    const char *to, size_t max, int *rc)
{
	struct cal_rrule *r;
	struct cal_rrule_time dt = wall(dtstart);
	struct buf	 b;
	struct tm	 tm;
	time_t		*v = NULL;
	size_t		 n = 0, i;
	char		 s[32], *cause = NULL;

	*rc = -2;
	if ((r = cal_rrule_parse(rule, &cause)) == NULL) {
		diag("%s: %s", rule, cause);
		free(cause);
		return (xstrdup("(refused)"));
	}
	*rc = cal_rrule_expand(r, &dt, NULL, NULL, utc(from != NULL ? from :
	    dtstart), utc(to != NULL ? to : "21000101"), max, &v, &n);
	cal_rrule_free(r);
	buf_init(&b);
	for (i = 0; i < n; i++) {
		gmtime_r(&v[i], &tm);
		strftime(s, sizeof s, dt.date ? "%Y%m%d" : "%Y%m%dT%H%M%S",
		    &tm);
		if (i > 0)
			buf_addch(&b, ',');
		buf_addstr(&b, s);
	}
	free(v);
	return (buf_detach(&b, NULL));
}

struct rcase {
	const char	*name;
	const char	*rule;
	const char	*dtstart;
	const char	*from;		/* NULL: DTSTART */
	const char	*to;		/* NULL: 2100 */
	const char	*want;
};

static const struct rcase rcases[] = {
	/* YEARLY */
	{ "yearly from Feb 29 skips the years without one",
	    "FREQ=YEARLY;COUNT=3", "20240229T090000", NULL, NULL,
	    "20240229T090000,20280229T090000,20320229T090000" },
	{ "yearly BYMONTH with 1MO counts in the month",
	    "FREQ=YEARLY;BYMONTH=1,7;BYDAY=1MO;COUNT=4", "20250106T100000",
	    NULL, NULL, "20250106T100000,20250707T100000,20260105T100000,"
	    "20260706T100000" },
	{ "yearly last Sunday of March",
	    "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;COUNT=3", "20250330T010000",
	    NULL, NULL, "20250330T010000,20260329T010000,20270328T010000" },
	{ "yearly 20MO counts in the year",
	    "FREQ=YEARLY;BYDAY=20MO;COUNT=2", "20250101", NULL, NULL,
	    "20250519,20260518" },
	{ "yearly last day of the year", "FREQ=YEARLY;BYYEARDAY=-1;COUNT=3",
	    "20231231", NULL, NULL, "20231231,20241231,20251231" },
	{ "yearly BYMONTHDAY alone keeps DTSTART's month",
	    "FREQ=YEARLY;BYMONTHDAY=1,-1;COUNT=3", "20250201", NULL, NULL,
	    "20250201,20250228,20260201" },
	{ "yearly Thanksgiving by BYSETPOS",
	    "FREQ=YEARLY;BYMONTH=11;BYDAY=TH;BYSETPOS=4;COUNT=2", "20251127",
	    NULL, NULL, "20251127,20261126" },
	{ "yearly every other year by INTERVAL",
	    "FREQ=YEARLY;INTERVAL=2;BYMONTH=6;BYMONTHDAY=15;COUNT=3",
	    "20250615T120000", NULL, NULL,
	    "20250615T120000,20270615T120000,20290615T120000" },
	/* BYWEEKNO and WKST */
	{ "week 1 can start in December",
	    "FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO;COUNT=3", "20241230", NULL, NULL,
	    "20241230,20251229,20270104" },
	{ "week 53 only in the years that have one",
	    "FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO;COUNT=2", "20200101", NULL,
	    NULL, "20201228,20261228" },
	{ "week -1 is week 52 or 53",
	    "FREQ=YEARLY;BYWEEKNO=-1;BYDAY=FR;COUNT=2", "20250101", NULL,
	    NULL, "20251226,20270101" },
	{ "BYWEEKNO without BYDAY keeps DTSTART's weekday",
	    "FREQ=YEARLY;BYWEEKNO=10;COUNT=2", "20250305", NULL, NULL,
	    "20250305,20260304" },
	{ "WKST=SA moves the weeks INTERVAL skips",
	    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,SA;WKST=SA;COUNT=4", "20250104",
	    NULL, NULL, "20250104,20250106,20250118,20250120" },
	{ "WKST=MO, the same rule",
	    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,SA;WKST=MO;COUNT=4", "20250104",
	    NULL, NULL, "20250104,20250113,20250118,20250127" },
	/* MONTHLY */
	{ "monthly last weekday (BYSETPOS=-1)",
	    "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=3",
	    "20250131", NULL, NULL, "20250131,20250228,20250331" },
	{ "monthly on the 31st skips short months",
	    "FREQ=MONTHLY;BYMONTHDAY=31;COUNT=3", "20250131T090000", NULL,
	    NULL, "20250131T090000,20250331T090000,20250531T090000" },
	{ "monthly on the last day", "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3",
	    "20250131", NULL, NULL, "20250131,20250228,20250331" },
	{ "monthly 2TU and -1FR",
	    "FREQ=MONTHLY;BYDAY=2TU,-1FR;COUNT=4", "20250101", NULL, NULL,
	    "20250114,20250131,20250211,20250228" },
	{ "monthly Friday the 13th (BYDAY limits BYMONTHDAY)",
	    "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13;COUNT=2", "20250101", NULL,
	    NULL, "20250613,20260213" },
	{ "DTSTART is no instance when the rule does not make it",
	    "FREQ=MONTHLY;BYDAY=1MO;COUNT=2", "20250102T080000", NULL, NULL,
	    "20250106T080000,20250203T080000" },
	/* WEEKLY and DAILY */
	{ "weekly with repeated BYDAY", "FREQ=WEEKLY;BYDAY=TH,MO,TH;COUNT=3",
	    "20250106", NULL, NULL, "20250106,20250109,20250113" },
	{ "daily limited by BYDAY and BYMONTH",
	    "FREQ=DAILY;BYDAY=MO,WE;BYMONTH=2;COUNT=3", "20250201", NULL,
	    NULL, "20250203,20250205,20250210" },
	{ "daily by negative month day",
	    "FREQ=DAILY;BYMONTHDAY=-1;COUNT=3", "20250101", NULL, NULL,
	    "20250131,20250228,20250331" },
	{ "UNTIL as a date ends at its midnight",
	    "FREQ=DAILY;UNTIL=20250105", "20250103T100000", NULL, NULL,
	    "20250103T100000,20250104T100000" },
	{ "UNTIL is inclusive", "FREQ=DAILY;UNTIL=20250104T100000Z",
	    "20250103T100000", NULL, NULL,
	    "20250103T100000,20250104T100000" },
	{ "a DATE DTSTART ignores BYHOUR",
	    "FREQ=DAILY;INTERVAL=3;BYHOUR=5;COUNT=2", "20250101", NULL, NULL,
	    "20250101,20250104" },
	/* HOURLY, MINUTELY, SECONDLY */
	{ "hourly INTERVAL with BYHOUR",
	    "FREQ=HOURLY;INTERVAL=5;BYHOUR=0,10;COUNT=3", "20250101T000000",
	    NULL, NULL, "20250101T000000,20250101T100000,20250106T000000" },
	{ "minutely limited by BYHOUR",
	    "FREQ=MINUTELY;INTERVAL=20;BYHOUR=9;COUNT=4", "20250101T084000",
	    NULL, NULL, "20250101T090000,20250101T092000,20250101T094000,"
	    "20250102T090000" },
	{ "secondly, once a day",
	    "FREQ=SECONDLY;BYHOUR=12;BYMINUTE=0;BYSECOND=0;COUNT=2",
	    "20250101T115959", NULL, NULL,
	    "20250101T120000,20250102T120000" },
	{ "hourly BYSETPOS picks in each hour",
	    "FREQ=HOURLY;BYMINUTE=0,15,30,45;BYSETPOS=1,-1;COUNT=4",
	    "20250101T090000", NULL, NULL, "20250101T090000,20250101T094500,"
	    "20250101T100000,20250101T104500" },
	/* RSCALE=GREGORIAN and SKIP (RFC 7529) */
	{ "SKIP=BACKWARD", "RSCALE=GREGORIAN;FREQ=MONTHLY;SKIP=BACKWARD;"
	    "COUNT=3", "20250131", NULL, NULL, "20250131,20250228,20250331" },
	{ "SKIP=FORWARD", "RSCALE=GREGORIAN;FREQ=YEARLY;SKIP=FORWARD;COUNT=3",
	    "20240229", NULL, NULL, "20240229,20250301,20260301" },
	{ "SKIP=OMIT", "RSCALE=GREGORIAN;FREQ=YEARLY;COUNT=2", "20240229",
	    NULL, NULL, "20240229,20280229" },
	/* The window */
	{ "an old weekly rule, a window today",
	    "FREQ=WEEKLY;BYDAY=MO", "20000103T090000", "20250101",
	    "20250115", "20250106T090000,20250113T090000" },
	{ "COUNT counts from DTSTART, not from the window",
	    "FREQ=DAILY;COUNT=10", "20250101", "20250108", "20250120",
	    "20250108,20250109,20250110" },
	{ "COUNT with whole days before the window",
	    "FREQ=DAILY;BYHOUR=8,20;COUNT=6", "20250101T080000",
	    "20250103T000000", NULL, "20250103T080000,20250103T200000" },
	{ "nothing after UNTIL", "FREQ=DAILY;UNTIL=20250110T000000Z",
	    "20250101", "20250201", NULL, "" },
};

static void
test_cases(void)
{
	size_t	 i;
	char	*got;
	int	 rc;

	for (i = 0; i < sizeof rcases / sizeof *rcases; i++) {
		got = expand(rcases[i].rule, rcases[i].dtstart, rcases[i].from,
		    rcases[i].to, 1000, &rc);
		is_str(got, rcases[i].want, rcases[i].name);
		free(got);
	}
}

static void
test_refused(void)
{
	static const char *bad[] = {
		"",
		"FREQ=FORTNIGHTLY",
		"COUNT=3",
		"FREQ=DAILY;BYWEEKNO=3",
		"FREQ=YEARLY;BYWEEKNO=1;BYMONTH=1",
		"FREQ=YEARLY;BYWEEKNO=1;BYMONTHDAY=30",
		"FREQ=MONTHLY;BYYEARDAY=100",
		"FREQ=WEEKLY;BYMONTHDAY=1",
		"FREQ=DAILY;BYHOUR=24",
		"FREQ=MONTHLY;BYMONTHDAY=0",
		"RSCALE=HEBREW;FREQ=YEARLY",
		"RSCALE=RUSSIAN;FREQ=YEARLY",
	};
	struct cal_rrule *r;
	struct cal_rrule_time dt = wall("20250101");
	size_t	 i, n = 0;
	time_t	*v = NULL;
	char	*cause, name[128];

	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		cause = NULL;
		r = cal_rrule_parse(bad[i], &cause);
		snprintf(name, sizeof name, "refused with a cause: '%s'",
		    bad[i]);
		ok(r == NULL && cause != NULL && *cause != '\0', name);
		cal_rrule_free(r);
		free(cause);
	}
	ok(cal_rrule_parse(NULL, NULL) == NULL, "NULL rule refused");
	cal_rrule_free(NULL);

	/* DTSTART out of range, or not a date. */
	r = cal_rrule_parse("FREQ=DAILY", NULL);
	dt.day = 30;
	dt.month = 2;
	is_int(cal_rrule_expand(r, &dt, NULL, NULL, 0, utc("21000101"), 10,
	    &v, &n), -1, "DTSTART Feb 30 refused");
	dt = wall("99990101");
	is_int(cal_rrule_expand(r, &dt, NULL, NULL, 0, utc("21000101"), 10,
	    &v, &n), -1, "DTSTART in 9999 refused");
	ok(n == 0 && v == NULL, "nothing made for a bad DTSTART");
	cal_rrule_free(r);
}

/* Rules that could run for ever end within the limits. */
static void
test_hostile(void)
{
	static const struct {
		const char	*rule;
		const char	*dtstart;
		const char	*from;
		const char	*to;
		int		 rc;
		const char	*name;
	} hostile[] = {
		{ "FREQ=SECONDLY", "20250101T000000", NULL, "20260101", 1,
		    "SECONDLY without an end stops at max" },
		{ "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31;COUNT=1", "20250101",
		    NULL, "99980101", 0, "Feb 31 yearly: nothing, up to 9998" },
		{ "FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30;COUNT=5",
		    "20250101T000000", NULL, "99980101", 0,
		    "Feb 30 secondly: nothing, a month at a time" },
		{ "FREQ=SECONDLY;INTERVAL=60;BYSECOND=30", "20250101T000000",
		    NULL, "20350101", 2, "seconds the interval never meets" },
		{ "FREQ=MINUTELY;COUNT=2000000000", "19700101T000000",
		    "20250101", "20250102", 2, "a huge COUNT from 1970" },
		{ "FREQ=YEARLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;"
		    "BYMONTHDAY=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,"
		    "19,20,21,22,23,24,25,26,27,28,29,30,31;BYHOUR=0,1,2,3,4,5,"
		    "6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23;"
		    "BYMINUTE=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,"
		    "19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,"
		    "38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,"
		    "57,58,59;BYSECOND=0,10,20,30,40,50;BYSETPOS=-1;COUNT=3",
		    "20250101T000000", NULL, NULL, 0,
		    "BYSETPOS over 3 million instances a year" },
		{ "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=0,6,12,18;"
		    "BYMINUTE=0,30;COUNT=1000000000", "20000101T000000",
		    "20250101", "20250102", 0,
		    "a big COUNT counted past whole days" },
	};
	struct cal_rrule *r;
	struct cal_rrule_time dt;
	size_t	 i, n;
	time_t	*v;
	double	 t0, t;
	int	 rc;

	for (i = 0; i < sizeof hostile / sizeof *hostile; i++) {
		r = cal_rrule_parse(hostile[i].rule, NULL);
		if (!ok(r != NULL, hostile[i].name))
			continue;
		dt = wall(hostile[i].dtstart);
		v = NULL;
		n = 0;
		t0 = now();
		rc = cal_rrule_expand(r, &dt, NULL, NULL, utc(hostile[i].from !=
		    NULL ? hostile[i].from : hostile[i].dtstart),
		    utc(hostile[i].to != NULL ?
		    hostile[i].to : "21000101"), CAL_MAX_INSTANCES + 1, &v, &n);
		t = now() - t0;
		is_int(rc, hostile[i].rc, "  ... ends as expected");
		diag("%zu instances in %.3f s", n, t);
		if (i == 5) {
			is_int(n, 3, "  ... the last second of each year");
			if (n == 3)
				is_int(v[2], utc("20271231T235950"),
				    "  ... 2027-12-31 23:59:50");
		}
		if (i == 6)
			ok(n == 8 && v[7] == utc("20250101T183000"),
			    "  ... and the 8 of 2025-01-01 are right");
		free(v);
		cal_rrule_free(r);
	}
}

/* A zone nine hours east of UTC, without DST. */
static time_t
conv_east(const struct cal_rrule_time *t, void *arg)
{
	char	 s[32];

	(void)arg;
	snprintf(s, sizeof s, "%04d%02d%02dT%02d%02d%02d", t->year, t->month,
	    t->day, t->hour, t->minute, t->second);
	return (utc(s) - 9 * 3600);
}

/* An UNTIL in UTC: an instant for a zoned DTSTART, compared with the
 * wall-clock time of a date or a floating one (as libical did). */
static void
test_until_utc(void)
{
	struct cal_rrule *r;
	struct cal_rrule_time dt;
	time_t	*v = NULL;
	size_t	 n = 0;

	r = cal_rrule_parse("FREQ=DAILY;UNTIL=20250103T000000Z", NULL);
	dt = wall("20250101T090000");
	dt.zoned = 1;
	(void)cal_rrule_expand(r, &dt, conv_east, NULL, 0, utc("20260101"),
	    100, &v, &n);
	is_int(n, 3, "zoned: 09:00 at +09:00 on 3 Jan is 00:00Z, not after "
	    "UNTIL");
	free(v);
	v = NULL;
	n = 0;
	dt.zoned = 0;
	(void)cal_rrule_expand(r, &dt, conv_east, NULL, 0, utc("20260101"),
	    100, &v, &n);
	is_int(n, 2, "floating: 09:00 on 3 Jan is after UNTIL's 00:00");
	free(v);
	cal_rrule_free(r);

	r = cal_rrule_parse("FREQ=DAILY;UNTIL=20250102T230000Z", NULL);
	dt = wall("20250101");
	v = NULL;
	n = 0;
	(void)cal_rrule_expand(r, &dt, conv_east, NULL, 0, utc("20260101"),
	    100, &v, &n);
	is_int(n, 2, "dates: 2 Jan is not after UNTIL's 2 Jan 23:00");
	if (n == 2)
		is_int(v[1], utc("20250101T150000"), "  ... at local midnight");
	free(v);
	cal_rrule_free(r);
}

/* A hostile rule in a calendar: the agenda gets an error, not a hang. */
static void
test_agenda(void)
{
	static const char hostile[] =
	    "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:h\r\n"
	    "DTSTART:20250101T000000Z\r\nRRULE:FREQ=SECONDLY\r\n"
	    "END:VEVENT\r\nEND:VCALENDAR\r\n";
	static const char weekly[] =
	    "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:w\r\n"
	    "DTSTART;TZID=Europe/Berlin:20250106T090000\r\n"
	    "DURATION:PT1H\r\nRRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20250407T070000Z"
	    "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
	struct cal_cal	*cal;
	struct cal_occurrence *occ = NULL;
	size_t		 n = 0;
	char		*cause = NULL;
	double		 t0;
	int		 rc;

	cal = cal_ical_parse(hostile, sizeof hostile - 1, NULL);
	if (!ok(cal != NULL, "calendar with a SECONDLY event parses"))
		return;
	t0 = now();
	rc = cal_ical_expand(cal, utc("20250301"), utc("20250501"), &occ, &n,
	    &cause);
	ok(rc == -1 && cause != NULL, "SECONDLY event: too many occurrences");
	diag("%s (%.3f s)", cause != NULL ? cause : "(no cause)", now() - t0);
	free(cause);
	cal_ical_occurrences_free(occ, n);
	cal_ical_free(cal);

	/* A weekly event across the DST change of 30 March. */
	cal = cal_ical_parse(weekly, sizeof weekly - 1, NULL);
	if (!ok(cal != NULL, "weekly event in Europe/Berlin parses"))
		return;
	occ = NULL;
	n = 0;
	rc = cal_ical_expand(cal, utc("20250320"), utc("20250420"), &occ, &n,
	    NULL);
	cal_ical_occurrences_sort(occ, n);
	is_int(rc, 0, "weekly event expands");
	is_int(n, 3, "three Mondays in the window (24 Mar to 7 Apr)");
	if (n == 3) {
		is_int(occ[0].start, utc("20250324T080000"),
		    "09:00 CET is 08:00Z before the change");
		is_int(occ[1].start, utc("20250331T070000"),
		    "09:00 CEST is 07:00Z after it");
		is_int(occ[2].start, utc("20250407T070000"),
		    "UNTIL (07:00Z) includes 7 April");
		is_int(occ[2].end - occ[2].start, 3600, "an hour long");
	}
	cal_ical_occurrences_free(occ, n);
	cal_ical_free(cal);
}

/* Through cal_ical_expand(): EXRULE, and RSCALE calendars that are not
 * Gregorian, which libical's iterator (with ICU) still expands. */
static void
test_ical_rules(void)
{
	static const char exrule[] =
	    "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n"
	    "DTSTART;VALUE=DATE:20250101\r\nRRULE:FREQ=DAILY;COUNT=14\r\n"
	    "EXRULE:FREQ=WEEKLY;BYDAY=SA,SU\r\n"
	    "END:VEVENT\r\nEND:VCALENDAR\r\n";
	static const char hebrew[] =
	    "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:h\r\n"
	    "DTSTART:20250101T100000Z\r\n"
	    "RRULE:RSCALE=HEBREW;FREQ=YEARLY;COUNT=3\r\n"
	    "END:VEVENT\r\nEND:VCALENDAR\r\n";
	struct cal_cal	*cal;
	struct cal_occurrence *occ = NULL;
	size_t		 n = 0, i, weekend = 0;
	struct tm	 tm;

	cal = cal_ical_parse(exrule, sizeof exrule - 1, NULL);
	if (cal != NULL)
		(void)cal_ical_expand(cal, utc("20250101"), utc("20260101"),
		    &occ, &n, NULL);
	for (i = 0; i < n; i++) {
		gmtime_r(&occ[i].start, &tm);
		if (tm.tm_wday == 0 || tm.tm_wday == 6)
			weekend++;
	}
	is_int(n, 10, "EXRULE takes the weekends out of 14 days");
	is_int(weekend, 0, "  ... and no Saturday or Sunday is left");
	cal_ical_occurrences_free(occ, n);
	cal_ical_free(cal);

	occ = NULL;
	n = 0;
	cal = cal_ical_parse(hebrew, sizeof hebrew - 1, NULL);
	if (cal != NULL)
		(void)cal_ical_expand(cal, utc("20250101"), utc("20300101"),
		    &occ, &n, NULL);
	cal_ical_occurrences_sort(occ, n);
	is_int(n, 3, "RSCALE=HEBREW: three years by libical's iterator");
	if (n == 3)
		is_int(occ[1].start, utc("20251221T100000"),
		    "  ... the second on 21 December 2025");
	cal_ical_occurrences_free(occ, n);
	cal_ical_free(cal);
}

/* The agenda expands every event on each call: what does a weekly rule
 * over five years cost?  A number for the log, not an assertion. */
static void
test_cost(void)
{
	struct cal_rrule *r;
	struct cal_rrule_time dt = wall("20210104T090000");
	size_t	 i, n, total = 0;
	time_t	*v;
	double	 t0;

	r = cal_rrule_parse("FREQ=WEEKLY;BYDAY=MO,WE,FR", NULL);
	t0 = now();
	for (i = 0; i < 1000; i++) {
		v = NULL;
		n = 0;
		(void)cal_rrule_expand(r, &dt, NULL, NULL, utc("20210101"),
		    utc("20260101"), CAL_MAX_INSTANCES, &v, &n);
		total += n;
		free(v);
	}
	diag("weekly MO,WE,FR over 5 years: %zu instances, %.1f us each "
	    "expansion", total / 1000, (now() - t0) * 1e6 / 1000);
	is_int(total / 1000, 782, "five years of MO, WE, FR");
	cal_rrule_free(r);
}

/* The same through cal_ical_expand(), zone conversions included. */
static void
test_cost_agenda(void)
{
	static const char text[] =
	    "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:c\r\n"
	    "DTSTART;TZID=America/New_York:20210104T090000\r\n"
	    "DURATION:PT30M\r\nRRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR\r\n"
	    "END:VEVENT\r\nEND:VCALENDAR\r\n";
	struct cal_cal	*cal;
	struct cal_occurrence *occ;
	size_t		 i, n, total = 0;
	double		 t0;

	if ((cal = cal_ical_parse(text, sizeof text - 1, NULL)) == NULL) {
		ok(0, "weekly New York event parses");
		return;
	}
	t0 = now();
	for (i = 0; i < 100; i++) {
		occ = NULL;
		n = 0;
		(void)cal_ical_expand(cal, utc("20210101"), utc("20260101"),
		    &occ, &n, NULL);
		total += n;
		cal_ical_occurrences_free(occ, n);
	}
	diag("the same in New York through cal_ical_expand: %.1f us each",
	    (now() - t0) * 1e6 / 100);
	is_int(total / 100, 782, "five years of MO, WE, FR in New York");
	cal_ical_free(cal);
}

int
main(void)
{
	cal_ical_init();
	test_cases();
	test_refused();
	test_hostile();
	test_until_utc();
	test_agenda();
	test_ical_rules();
	test_cost();
	test_cost_agenda();
	return (tap_done());
}
