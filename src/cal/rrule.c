/*
 * cal/rrule.c: recurrence rules (RFC 5545 section 3.3.10) expanded from
 * the RFC's rules.  libical only reads the text of a rule: the iterator
 * of libical 3.0 gets BYSETPOS, BYWEEKNO with WKST and week 53, negative
 * month and year days with DAILY and HOURLY, unsorted or repeated BYxxx
 * values and INTERVAL on sub-daily rules wrong.
 *
 * A rule is expanded one interval period at a time (a year, a month, a
 * week, a day, an hour, a minute, a second).  The set of a period is its
 * days (the ones the BYxxx parts make, or let through, sorted) times the
 * hours, minutes and seconds the time parts make: a set in time order,
 * so BYSETPOS picks from it by index without building it.  Everything
 * counts in wall-clock seconds of DTSTART's zone ("wall time", days since
 * 1970-01-01 times 86400 plus the time of day); the caller's conversion
 * makes instants, so zones and DST stay where they were.
 *
 * Where RFC 5545 leaves a case open, the expansion does what the
 * recurrence expectations of libical's current test suite list (they are
 * the test oracle of issue 6): DTSTART is an instance only when the rule
 * makes it; a YEARLY rule with BYMONTHDAY and no BYMONTH keeps to
 * DTSTART's month; BYWEEKNO without BYDAY keeps DTSTART's weekday, and
 * its years are week-numbering years (week 1 is the first week, starting
 * on WKST, with four days in the year), counted from the one DTSTART is
 * in unless that year has nothing left at or after DTSTART.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libical/ical.h>

#include "core/core.h"
#include "cal/cal.h"

#define CAL_RRULE_DAY		86400
#define CAL_RRULE_MARGIN	(3 * CAL_RRULE_DAY)	/* any zone's offsets */
#define CAL_RRULE_MAX_DAYS	800	/* days in one period's set */
#define CAL_RRULE_MAX_YEAR	9999

enum cal_rrule_freq {
	CAL_RRULE_SECONDLY,
	CAL_RRULE_MINUTELY,
	CAL_RRULE_HOURLY,
	CAL_RRULE_DAILY,
	CAL_RRULE_WEEKLY,
	CAL_RRULE_MONTHLY,
	CAL_RRULE_YEARLY,
};
enum cal_rrule_skip {
	CAL_RRULE_OMIT,
	CAL_RRULE_BACKWARD,
	CAL_RRULE_FORWARD,
};
/* How BYDAY ordinals count when BYDAY limits a day. */
enum cal_rrule_scope {
	CAL_RRULE_PLAIN,	/* ordinals ignored */
	CAL_RRULE_IN_MONTH,
	CAL_RRULE_IN_YEAR,
};

struct cal_rrule_wday {
	int		 ord;		/* 0: every such weekday */
	int		 wday;		/* 0 Sunday .. 6 Saturday */
};

struct cal_rrule {
	enum cal_rrule_freq freq;
	int64_t		 interval;
	int64_t		 count;		/* 0: no COUNT */
	int		 until_set;
	int		 until_utc;	/* UNTIL is an instant */
	int64_t		 until;		/* wall time, or UTC seconds */
	int		 wkst;		/* 0 Sunday .. 6 Saturday */
	enum cal_rrule_skip skip;

	uint64_t	 second;	/* masks of BYSECOND, BYMINUTE, ... */
	uint64_t	 minute;
	uint32_t	 hour;
	uint32_t	 month;		/* bit m for month m */
	int		 monthday[64];	/* sorted, no repeats */
	int		 nmonthday;
	int		 yearday[740];
	int		 nyearday;
	int		 weekno[110];
	int		 nweekno;
	struct cal_rrule_wday wday[7 * 110];
	int		 nwday;
	int		 setpos[740];
	int		 nsetpos;
};

/* One expansion in progress. */
struct cal_rrule_exp {
	const struct cal_rrule *r;
	time_t		(*conv)(const struct cal_rrule_time *, void *);
	void		*arg;
	int		 date;		/* DTSTART is a date */
	int		 zoned;		/* and has a zone */
	int64_t		 start;		/* DTSTART, wall time */
	int64_t		 d0;		/* its day */
	int		 y0, m0, md0, h0, mi0, s0;
	time_t		 from;
	time_t		 to;
	int64_t		 lo;		/* [from, to) in wall time, widened */
	int64_t		 hi;
	int64_t		 until;		/* wall time (an estimate for UTC) */
	int64_t		 count;		/* instances so far */
	int64_t		 last;		/* the last one */
	size_t		 steps;
	time_t		**out;
	size_t		*n;
	size_t		 size;		/* of *out, at least *n */
	size_t		 max;
	int		 done;
	int		 cut;		/* 1: max reached, 2: steps */

	int64_t		 days[CAL_RRULE_MAX_DAYS];	/* one period's set */
	int		 ndays;
	int		 hours[24];
	int		 nhours;
	int		 minutes[60];
	int		 nminutes;
	int		 seconds[61];
	int		 nseconds;
};

/* -------------------------------------------------------------------- */
/* The Gregorian calendar in day numbers (0 is 1970-01-01). */

static int
cal_rrule_leap(int y)
{
	return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

static int
cal_rrule_mdays(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	return (days[m - 1] + (m == 2 && cal_rrule_leap(y)));
}

static int
cal_rrule_ydays(int y)
{
	return (365 + cal_rrule_leap(y));
}

static int64_t
cal_rrule_daynum(int y, int m, int d)
{
	static const int before[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243,
	    273, 304, 334 };
	int64_t		 n, y1 = y - 1;

	/* Days from 0001-01-01 to the date; 1970-01-01 is day 719162. */
	n = 365 * y1 + y1 / 4 - y1 / 100 + y1 / 400;
	n += before[m - 1] + (m > 2 && cal_rrule_leap(y)) + d - 1;
	return (n - 719162);
}

static void
cal_rrule_civil(int64_t day, int *y, int *m, int *d)
{
	int64_t		 yy;
	int		 mm, left;

	yy = (day + 719162) * 400 / 146097 + 1;
	while (cal_rrule_daynum((int)yy + 1, 1, 1) <= day)
		yy++;
	while (cal_rrule_daynum((int)yy, 1, 1) > day)
		yy--;
	left = (int)(day - cal_rrule_daynum((int)yy, 1, 1));
	for (mm = 1; left >= cal_rrule_mdays((int)yy, mm); mm++)
		left -= cal_rrule_mdays((int)yy, mm);
	*y = (int)yy;
	*m = mm;
	*d = left + 1;
}

static int
cal_rrule_wday_of(int64_t day)
{
	/* 1970-01-01 was a Thursday. */
	return ((int)(((day % 7) + 7 + 4) % 7));
}

/* Floor division, for wall times before 1970. */
static int64_t
cal_rrule_fdiv(int64_t a, int64_t b)
{
	return (a >= 0 ? a / b : -((-a + b - 1) / b));
}

/* The first day of week 1 of year y: the week starting on wkst with at
 * least four days of the year. */
static int64_t
cal_rrule_week1(int y, int wkst)
{
	int64_t		 j1, s;

	j1 = cal_rrule_daynum(y, 1, 1);
	s = j1 - (cal_rrule_wday_of(j1) - wkst + 7) % 7;
	if (j1 - s > 3)
		s += 7;
	return (s);
}

/* The week-numbering year a day is in. */
static int
cal_rrule_weekyear(int64_t day, int wkst)
{
	int	 y, m, d;

	cal_rrule_civil(day, &y, &m, &d);
	if (y < CAL_RRULE_MAX_YEAR && day >= cal_rrule_week1(y + 1, wkst))
		return (y + 1);
	if (y > 1 && day < cal_rrule_week1(y, wkst))
		return (y - 1);
	return (y);
}

/* -------------------------------------------------------------------- */

static int
cal_rrule_wkday(icalrecurrencetype_weekday w)
{
	return ((int)w - (int)ICAL_SUNDAY_WEEKDAY);
}

/* Adds v to a sorted list without repeats. */
static void
cal_rrule_add(int *list, int *n, int size, int v)
{
	int	 i;

	for (i = 0; i < *n && list[i] < v; i++)
		;
	if ((i < *n && list[i] == v) || *n == size)
		return;
	memmove(list + i + 1, list + i, (*n - i) * sizeof *list);
	list[i] = v;
	(*n)++;
}

/* Reads a libical BYxxx array of values in [lo, hi] (0 not allowed when
 * nonzero); -1 for a value out of range. */
static int
cal_rrule_list(const short *a, int size, int lo, int hi, int nonzero,
    int *list, int *n, int lsize)
{
	int	 i;

	for (i = 0; i < size && a[i] != ICAL_RECURRENCE_ARRAY_MAX; i++) {
		if (a[i] < lo || a[i] > hi || (nonzero && a[i] == 0))
			return (-1);
		cal_rrule_add(list, n, lsize, a[i]);
	}
	return (0);
}

/* The same for a mask of values in [lo, hi]. */
static int
cal_rrule_mask(const short *a, int size, int lo, int hi, uint64_t *mask)
{
	int	 i;

	*mask = 0;
	for (i = 0; i < size && a[i] != ICAL_RECURRENCE_ARRAY_MAX; i++) {
		if (a[i] < lo || a[i] > hi)
			return (-1);
		*mask |= (uint64_t)1 << a[i];
	}
	return (0);
}

struct cal_rrule *
cal_rrule_parse(const char *s, char **cause)
{
	struct icalrecurrencetype ir;
	struct cal_rrule *r;
	struct icaltimetype u;
	uint64_t	 mask;
	int		 i, j, ord, wd, bad = 0;

	if (s == NULL || *s == '\0') {
		xcause(cause, "empty recurrence rule");
		return (NULL);
	}
	icalerror_clear_errno();
	ir = icalrecurrencetype_from_string(s);
	if (ir.freq == ICAL_NO_RECURRENCE || (int)ir.freq < 0 ||
	    ir.freq > ICAL_YEARLY_RECURRENCE) {
		free(ir.rscale);
		xcause(cause, "malformed recurrence rule");
		return (NULL);
	}
	if (ir.rscale != NULL && strcasecmp(ir.rscale, "GREGORIAN") != 0) {
		xcause(cause, "RSCALE=%s is not supported", ir.rscale);
		free(ir.rscale);
		return (NULL);
	}
	r = xcalloc(1, sizeof *r);
	r->freq = (enum cal_rrule_freq)(ir.freq - ICAL_SECONDLY_RECURRENCE);
	r->interval = ir.interval > 0 ? ir.interval : 1;
	r->count = ir.count > 0 ? ir.count : 0;
	r->wkst = ir.week_start == ICAL_NO_WEEKDAY ? 1 :
	    cal_rrule_wkday(ir.week_start);
	/* SKIP means something only with RSCALE (RFC 7529). */
	r->skip = CAL_RRULE_OMIT;
	if (ir.rscale != NULL && ir.skip == ICAL_SKIP_BACKWARD)
		r->skip = CAL_RRULE_BACKWARD;
	else if (ir.rscale != NULL && ir.skip == ICAL_SKIP_FORWARD)
		r->skip = CAL_RRULE_FORWARD;
	free(ir.rscale);

	u = ir.until;
	if (!icaltime_is_null_time(u)) {
		r->until_set = 1;
		r->until_utc = !u.is_date && icaltime_is_utc(u);
		if (u.year < 1 || u.year > CAL_RRULE_MAX_YEAR || u.month < 1 ||
		    u.month > 12 || u.day < 1 ||
		    u.day > cal_rrule_mdays(u.year, u.month))
			bad = 1;
		else {
			r->until = cal_rrule_daynum(u.year, u.month, u.day) *
			    CAL_RRULE_DAY;
			if (!u.is_date)
				r->until += u.hour * 3600 + u.minute * 60 +
				    u.second;
		}
	}

	bad |= cal_rrule_mask(ir.by_second, ICAL_BY_SECOND_SIZE, 0, 60,
	    &r->second);
	bad |= cal_rrule_mask(ir.by_minute, ICAL_BY_MINUTE_SIZE, 0, 59,
	    &r->minute);
	bad |= cal_rrule_mask(ir.by_hour, ICAL_BY_HOUR_SIZE, 0, 23, &mask);
	r->hour = (uint32_t)mask;
	bad |= cal_rrule_mask(ir.by_month, ICAL_BY_MONTH_SIZE, 1, 12, &mask);
	r->month = (uint32_t)mask;
	bad |= cal_rrule_list(ir.by_month_day, ICAL_BY_MONTHDAY_SIZE, -31, 31,
	    1, r->monthday, &r->nmonthday, 64);
	bad |= cal_rrule_list(ir.by_year_day, ICAL_BY_YEARDAY_SIZE, -366, 366,
	    1, r->yearday, &r->nyearday, 740);
	bad |= cal_rrule_list(ir.by_week_no, ICAL_BY_WEEKNO_SIZE, -53, 53, 1,
	    r->weekno, &r->nweekno, 110);
	bad |= cal_rrule_list(ir.by_set_pos, ICAL_BY_SETPOS_SIZE, -366, 366,
	    1, r->setpos, &r->nsetpos, 740);
	for (i = 0; i < ICAL_BY_DAY_SIZE &&
	    ir.by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++) {
		wd = cal_rrule_wkday(icalrecurrencetype_day_day_of_week(
		    ir.by_day[i]));
		ord = icalrecurrencetype_day_position(ir.by_day[i]);
		if (wd < 0 || wd > 6 || ord < -53 || ord > 53) {
			bad = 1;
			break;
		}
		for (j = 0; j < r->nwday; j++) {
			if (r->wday[j].ord == ord && r->wday[j].wday == wd)
				break;
		}
		if (j == r->nwday && r->nwday < 7 * 110) {
			r->wday[r->nwday].ord = ord;
			r->wday[r->nwday++].wday = wd;
		}
	}
	if (bad) {
		xcause(cause, "a recurrence rule value is out of range");
		goto fail;
	}

	/* RFC 5545's table: the parts it marks N/A for a frequency. */
	if (r->nweekno != 0 && r->freq != CAL_RRULE_YEARLY) {
		xcause(cause, "BYWEEKNO needs FREQ=YEARLY");
		goto fail;
	}
	if (r->nyearday != 0 && (r->freq == CAL_RRULE_DAILY ||
	    r->freq == CAL_RRULE_WEEKLY || r->freq == CAL_RRULE_MONTHLY)) {
		xcause(cause, "BYYEARDAY cannot be used with this FREQ");
		goto fail;
	}
	if (r->nmonthday != 0 && r->freq == CAL_RRULE_WEEKLY) {
		xcause(cause, "BYMONTHDAY cannot be used with FREQ=WEEKLY");
		goto fail;
	}
	/* Weeks and months, month days or year days: RFC 5545 says both
	 * expand and nothing says how; libical refuses it too. */
	if (r->nweekno != 0 && (r->month != 0 || r->nmonthday != 0 ||
	    r->nyearday != 0)) {
		xcause(cause, "BYWEEKNO with BYMONTH, BYMONTHDAY or BYYEARDAY "
		    "is not supported");
		goto fail;
	}
	return (r);

fail:
	free(r);
	return (NULL);
}

void
cal_rrule_free(struct cal_rrule *r)
{
	free(r);
}

/* -------------------------------------------------------------------- */
/* Days. */

/* Does a day match BYDAY?  Ordinals count as scope says. */
static int
cal_rrule_byday(const struct cal_rrule *r, int64_t day,
    enum cal_rrule_scope scope)
{
	int	 i, wd, y, m, d, pos, len, nth, nlast;

	wd = cal_rrule_wday_of(day);
	pos = len = 0;
	for (i = 0; i < r->nwday; i++) {
		if (r->wday[i].wday != wd)
			continue;
		if (r->wday[i].ord == 0 || scope == CAL_RRULE_PLAIN)
			return (1);
		if (len == 0) {
			cal_rrule_civil(day, &y, &m, &d);
			if (scope == CAL_RRULE_IN_MONTH) {
				pos = d;
				len = cal_rrule_mdays(y, m);
			} else {
				pos = (int)(day - cal_rrule_daynum(y, 1,
				    1)) + 1;
				len = cal_rrule_ydays(y);
			}
		}
		nth = (pos - 1) / 7 + 1;
		nlast = (len - pos) / 7 + 1;
		if (r->wday[i].ord == nth || r->wday[i].ord == -nlast)
			return (1);
	}
	return (0);
}

/* Is day pos of a span of len days (a month, a year) in a BYMONTHDAY or
 * BYYEARDAY list, which counts from either end? */
static int
cal_rrule_in(const int *list, int n, int pos, int len)
{
	int	 i;

	for (i = 0; i < n; i++) {
		if (list[i] == pos || list[i] == pos - len - 1)
			return (1);
	}
	return (0);
}

static int
cal_rrule_has_monthday(const struct cal_rrule *r, int64_t day)
{
	int	 y, m, d;

	cal_rrule_civil(day, &y, &m, &d);
	return (cal_rrule_in(r->monthday, r->nmonthday, d,
	    cal_rrule_mdays(y, m)));
}

static int
cal_rrule_has_yearday(const struct cal_rrule *r, int64_t day)
{
	int	 y, m, d;

	cal_rrule_civil(day, &y, &m, &d);
	return (cal_rrule_in(r->yearday, r->nyearday,
	    (int)(day - cal_rrule_daynum(y, 1, 1)) + 1, cal_rrule_ydays(y)));
}

static int
cal_rrule_has_month(const struct cal_rrule *r, int64_t day)
{
	int	 y, m, d;

	if (r->month == 0)
		return (1);
	cal_rrule_civil(day, &y, &m, &d);
	return ((r->month & (1u << m)) != 0);
}

/* Is a day let through by the parts that limit at DAILY and below? */
static int
cal_rrule_day_ok(const struct cal_rrule *r, int64_t day)
{
	if (!cal_rrule_has_month(r, day))
		return (0);
	if (r->nyearday != 0 && !cal_rrule_has_yearday(r, day))
		return (0);
	if (r->nmonthday != 0 && !cal_rrule_has_monthday(r, day))
		return (0);
	if (r->nwday != 0 && !cal_rrule_byday(r, day, CAL_RRULE_PLAIN))
		return (0);
	return (1);
}

static void
cal_rrule_add_day(struct cal_rrule_exp *x, int64_t day)
{
	if (x->ndays < CAL_RRULE_MAX_DAYS &&
	    day >= cal_rrule_daynum(1, 1, 1) &&
	    day <= cal_rrule_daynum(CAL_RRULE_MAX_YEAR, 12, 31))
		x->days[x->ndays++] = day;
}

/* Day v (negative: from the end) of the len days from first (a month,
 * a year), SKIP applied to one that does not exist: 0 when omitted. */
static int
cal_rrule_pick(const struct cal_rrule *r, int64_t first, int len, int v,
    int64_t *day)
{
	if (v < 0)
		v = len + v + 1;
	if (v >= 1 && v <= len) {
		*day = first + v - 1;
		return (1);
	}
	if (r->skip == CAL_RRULE_OMIT)
		return (0);
	if (v > len)		/* after the span */
		*day = r->skip == CAL_RRULE_FORWARD ? first + len :
		    first + len - 1;
	else			/* before it */
		*day = r->skip == CAL_RRULE_FORWARD ? first : first - 1;
	return (1);
}

static int
cal_rrule_monthday(const struct cal_rrule *r, int y, int m, int md,
    int64_t *day)
{
	return (cal_rrule_pick(r, cal_rrule_daynum(y, m, 1),
	    cal_rrule_mdays(y, m), md, day));
}

static int
cal_rrule_yearday(const struct cal_rrule *r, int y, int yd, int64_t *day)
{
	return (cal_rrule_pick(r, cal_rrule_daynum(y, 1, 1),
	    cal_rrule_ydays(y), yd, day));
}

static int
cal_rrule_cmp(const void *a, const void *b)
{
	int64_t	 x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x < y ? -1 : x > y);
}

/* Sorts the period's days and drops repeats. */
static void
cal_rrule_sort_days(struct cal_rrule_exp *x)
{
	int	 i, j;

	if (x->ndays < 2)
		return;
	qsort(x->days, x->ndays, sizeof *x->days, cal_rrule_cmp);
	for (i = j = 1; i < x->ndays; i++) {
		if (x->days[i] != x->days[j - 1])
			x->days[j++] = x->days[i];
	}
	x->ndays = j;
}

/* The days of month m of year y that MONTHLY (or YEARLY with BYMONTH)
 * makes; scope is how BYDAY ordinals count. */
static void
cal_rrule_month_days(struct cal_rrule_exp *x, int y, int m,
    enum cal_rrule_scope scope)
{
	const struct cal_rrule *r = x->r;
	int64_t		 day, first;
	int		 i, len;

	if (r->nmonthday != 0) {
		for (i = 0; i < r->nmonthday; i++) {
			if (!cal_rrule_monthday(r, y, m, r->monthday[i], &day))
				continue;
			if (r->nwday != 0 && !cal_rrule_byday(r, day, scope))
				continue;
			cal_rrule_add_day(x, day);
		}
	} else if (r->nwday != 0) {
		first = cal_rrule_daynum(y, m, 1);
		len = cal_rrule_mdays(y, m);
		for (i = 0; i < len; i++) {
			if (cal_rrule_byday(r, first + i, scope))
				cal_rrule_add_day(x, first + i);
		}
	} else if (cal_rrule_monthday(r, y, m, x->md0, &day))
		cal_rrule_add_day(x, day);
}

/* YEARLY: the days of year y (a week-numbering year with BYWEEKNO). */
static void
cal_rrule_year_days(struct cal_rrule_exp *x, int y)
{
	const struct cal_rrule *r = x->r;
	enum cal_rrule_scope scope;
	int64_t		 day, w1;
	int		 i, j, m, n, weeks, len;

	scope = r->month != 0 ? CAL_RRULE_IN_MONTH : CAL_RRULE_IN_YEAR;
	if (r->nweekno != 0) {
		w1 = cal_rrule_week1(y, r->wkst);
		weeks = (int)((cal_rrule_week1(y + 1, r->wkst) - w1) / 7);
		for (i = 0; i < r->nweekno; i++) {
			n = r->weekno[i] > 0 ? r->weekno[i] :
			    weeks + r->weekno[i] + 1;
			if (n < 1 || n > weeks)
				continue;
			for (j = 0; j < 7; j++) {
				day = w1 + (n - 1) * 7 + j;
				if (r->nwday != 0 ? cal_rrule_byday(r, day,
				    CAL_RRULE_PLAIN) : cal_rrule_wday_of(day) ==
				    cal_rrule_wday_of(x->d0))
					cal_rrule_add_day(x, day);
			}
		}
	} else if (r->nyearday != 0) {
		for (i = 0; i < r->nyearday; i++) {
			if (!cal_rrule_yearday(r, y, r->yearday[i], &day))
				continue;
			if (!cal_rrule_has_month(r, day))
				continue;
			if (r->nmonthday != 0 &&
			    !cal_rrule_has_monthday(r, day))
				continue;
			if (r->nwday != 0 && !cal_rrule_byday(r, day, scope))
				continue;
			cal_rrule_add_day(x, day);
		}
	} else if (r->month != 0 || r->nmonthday != 0 || r->nwday == 0) {
		/* Months: BYMONTH, else DTSTART's (BYMONTHDAY alone keeps
		 * to it, as a bare YEARLY rule does). */
		for (m = 1; m <= 12; m++) {
			if (r->month != 0 ? (r->month & (1u << m)) != 0 :
			    m == x->m0)
				cal_rrule_month_days(x, y, m, scope);
		}
	} else {
		day = cal_rrule_daynum(y, 1, 1);
		len = cal_rrule_ydays(y);
		for (i = 0; i < len; i++) {
			if (cal_rrule_byday(r, day + i, CAL_RRULE_IN_YEAR))
				cal_rrule_add_day(x, day + i);
		}
	}
	cal_rrule_sort_days(x);
}

/* -------------------------------------------------------------------- */
/* Instances. */

static time_t
cal_rrule_instant(struct cal_rrule_exp *x, int64_t w)
{
	struct cal_rrule_time t;
	int64_t		 day = cal_rrule_fdiv(w, CAL_RRULE_DAY);
	int		 s = (int)(w - day * CAL_RRULE_DAY);

	if (x->conv == NULL)
		return ((time_t)w);
	memset(&t, 0, sizeof t);
	cal_rrule_civil(day, &t.year, &t.month, &t.day);
	t.hour = s / 3600;
	t.minute = s / 60 % 60;
	t.second = s % 60;
	t.date = x->date;
	return (x->conv(&t, x->arg));
}

/* Has instance w gone past UNTIL? */
static int
cal_rrule_after_until(struct cal_rrule_exp *x, int64_t w)
{
	const struct cal_rrule *r = x->r;

	if (!r->until_set)
		return (0);
	if (!r->until_utc || !x->zoned)
		return (w > r->until);
	if (w < x->until - CAL_RRULE_MARGIN)
		return (0);
	if (w > x->until + CAL_RRULE_MARGIN)
		return (1);
	return ((int64_t)cal_rrule_instant(x, w) > r->until);
}

/* One instance of the rule, in time order: counts it, keeps it when it
 * is in the window, and ends the expansion when the rule or the window
 * ends. */
static void
cal_rrule_instance(struct cal_rrule_exp *x, int64_t w)
{
	time_t	 t;

	if (++x->steps > CAL_MAX_RRULE_STEPS) {
		x->done = 1;
		x->cut = 2;
		return;
	}
	if (w < x->start || w <= x->last)
		return;
	if (cal_rrule_after_until(x, w) || w >= x->hi) {
		x->done = 1;
		return;
	}
	x->last = w;
	x->count++;
	if (w >= x->lo) {
		t = cal_rrule_instant(x, w);
		if (t >= x->to) {
			x->done = 1;
			return;
		}
		if (t >= x->from) {
			if (*x->n >= x->max) {
				x->done = x->cut = 1;
				return;
			}
			if (*x->n == x->size) {
				x->size = x->size < 16 ? 16 : x->size * 2;
				*x->out = xreallocarray(*x->out, x->size,
				    sizeof **x->out);
			}
			(*x->out)[(*x->n)++] = t;
		}
	}
	if (x->r->count != 0 && x->count >= x->r->count)
		x->done = 1;
}

/* Instance idx of the period's set (days x hours x minutes x seconds). */
static int64_t
cal_rrule_nth(struct cal_rrule_exp *x, int64_t idx)
{
	int64_t	 per = (int64_t)x->nhours * x->nminutes * x->nseconds, rem;
	int	 h, m;

	rem = idx % per;
	h = (int)(rem / (x->nminutes * x->nseconds));
	rem %= x->nminutes * x->nseconds;
	m = (int)(rem / x->nseconds);
	return (x->days[idx / per] * CAL_RRULE_DAY + x->hours[h] * 3600 +
	    x->minutes[m] * 60 + x->seconds[rem % x->nseconds]);
}

/* The selected instances of a period (BYSETPOS, or all of them), in
 * order, through cal_rrule_instance().  With last set, only returns
 * the last selected one (INT64_MIN when there is none). */
static int64_t
cal_rrule_emit(struct cal_rrule_exp *x, int last)
{
	const struct cal_rrule *r = x->r;
	int64_t		 total, per, idx, pick[740], first_w, last_w;
	int		 i, j, npick = 0, h, m, s;

	per = (int64_t)x->nhours * x->nminutes * x->nseconds;
	total = x->ndays * per;
	if (total == 0)
		return (INT64_MIN);
	if (r->nsetpos != 0) {
		for (i = 0; i < r->nsetpos; i++) {
			idx = r->setpos[i] > 0 ? r->setpos[i] - 1 :
			    total + r->setpos[i];
			if (idx >= 0 && idx < total)
				pick[npick++] = idx;
		}
		if (npick == 0)
			return (INT64_MIN);
		qsort(pick, npick, sizeof *pick, cal_rrule_cmp);
		if (last)
			return (cal_rrule_nth(x, pick[npick - 1]));
		for (i = 0; i < npick && !x->done; i++) {
			if (i == 0 || pick[i] != pick[i - 1])
				cal_rrule_instance(x, cal_rrule_nth(x,
				    pick[i]));
		}
		return (0);
	}
	if (last)
		return (cal_rrule_nth(x, total - 1));
	for (i = 0; i < x->ndays && !x->done; i++) {
		first_w = x->days[i] * CAL_RRULE_DAY + x->hours[0] * 3600 +
		    x->minutes[0] * 60 + x->seconds[0];
		last_w = cal_rrule_nth(x, (i + 1) * per - 1);
		if (last_w < x->start || last_w <= x->last)
			continue;
		/* A whole day before the window: counted, not looked at. */
		if (last_w < x->lo && first_w >= x->start &&
		    first_w > x->last && !cal_rrule_after_until(x, last_w) &&
		    (r->count == 0 || x->count + per < r->count)) {
			x->count += per;
			x->last = last_w;
			if (++x->steps > CAL_MAX_RRULE_STEPS) {
				x->done = 1;
				x->cut = 2;
			}
			continue;
		}
		for (h = 0; h < x->nhours && !x->done; h++) {
			for (m = 0; m < x->nminutes && !x->done; m++) {
				for (j = 0; j < x->nseconds && !x->done; j++) {
					s = x->seconds[j];
					cal_rrule_instance(x, x->days[i] *
					    CAL_RRULE_DAY + x->hours[h] * 3600 +
					    x->minutes[m] * 60 + s);
				}
			}
		}
	}
	return (0);
}

/* One time part of a period into out: the period's own value (own) when
 * the frequency is at or below the part, else the values of [0, n) in
 * the BYxxx mask, else DTSTART's (dflt).  Returns how many. */
static int
cal_rrule_part(int *out, int below, int own, uint64_t mask, int n, int dflt)
{
	int	 i, k = 0;

	if (below)
		out[k++] = own;
	else if (mask == 0)
		out[k++] = dflt;
	else {
		for (i = 0; i < n; i++)
			if (mask & ((uint64_t)1 << i))
				out[k++] = i;
	}
	return (k);
}

/* The times of day a period has: what the time parts make at and above
 * DAILY, the period's own hour (minute, second) below it. */
static void
cal_rrule_times(struct cal_rrule_exp *x, int64_t ps)
{
	const struct cal_rrule *r = x->r;
	int	 tod = (int)(ps - cal_rrule_fdiv(ps, CAL_RRULE_DAY) *
		    CAL_RRULE_DAY);

	if (x->date) {
		x->hours[0] = x->minutes[0] = x->seconds[0] = 0;
		x->nhours = x->nminutes = x->nseconds = 1;
		return;
	}
	x->nhours = cal_rrule_part(x->hours, r->freq <= CAL_RRULE_HOURLY,
	    tod / 3600, r->hour, 24, x->h0);
	x->nminutes = cal_rrule_part(x->minutes, r->freq <=
	    CAL_RRULE_MINUTELY, tod / 60 % 60, r->minute, 60, x->mi0);
	/* Second 60 (a leap second) never happens in wall time. */
	x->nseconds = cal_rrule_part(x->seconds, r->freq ==
	    CAL_RRULE_SECONDLY, tod % 60, r->second, 60, x->s0);
}

/* The next value at or after v in a mask of [0, n), or -1. */
static int
cal_rrule_next_in(uint64_t mask, int v, int n)
{
	for (; v < n; v++) {
		if (mask & ((uint64_t)1 << v))
			return (v);
	}
	return (-1);
}

/* Sub-daily rules: the first wall time at or after t whose day, hour,
 * minute and second (those that limit at this frequency) are allowed. */
static int64_t
cal_rrule_next_ok(struct cal_rrule_exp *x, int64_t t)
{
	const struct cal_rrule *r = x->r;
	int64_t		 day;
	int		 tod, h, m, s, v, y, mo, d;

	while (t < x->hi) {
		if (++x->steps > CAL_MAX_RRULE_STEPS) {
			x->done = 1;
			x->cut = 2;
			return (x->hi);
		}
		day = cal_rrule_fdiv(t, CAL_RRULE_DAY);
		tod = (int)(t - day * CAL_RRULE_DAY);
		h = tod / 3600;
		m = tod / 60 % 60;
		s = tod % 60;
		if (!cal_rrule_has_month(r, day)) {
			cal_rrule_civil(day, &y, &mo, &d);
			t = (day + cal_rrule_mdays(y, mo) - d + 1) *
			    CAL_RRULE_DAY;
			continue;
		}
		if (!cal_rrule_day_ok(r, day)) {
			t = (day + 1) * CAL_RRULE_DAY;
			continue;
		}
		if (x->date)
			return (t);
		if (r->hour != 0 && !(r->hour & (1u << h))) {
			if ((v = cal_rrule_next_in(r->hour, h, 24)) == -1)
				t = (day + 1) * CAL_RRULE_DAY;
			else
				t = day * CAL_RRULE_DAY + v * 3600;
			continue;
		}
		if (r->freq <= CAL_RRULE_MINUTELY && r->minute != 0 &&
		    !(r->minute & ((uint64_t)1 << m))) {
			if ((v = cal_rrule_next_in(r->minute, m, 60)) == -1)
				t = day * CAL_RRULE_DAY + (h + 1) * 3600;
			else
				t = day * CAL_RRULE_DAY + h * 3600 + v * 60;
			continue;
		}
		if (r->freq == CAL_RRULE_SECONDLY && r->second != 0 &&
		    !(r->second & ((uint64_t)1 << s))) {
			if ((v = cal_rrule_next_in(r->second, s, 60)) == -1)
				t = day * CAL_RRULE_DAY + h * 3600 +
				    (m + 1) * 60;
			else
				t = day * CAL_RRULE_DAY + h * 3600 + m * 60 + v;
			continue;
		}
		return (t);
	}
	return (t);
}

/* HOURLY, MINUTELY, SECONDLY: periods of unit seconds, INTERVAL apart,
 * aligned on DTSTART's. */
static void
cal_rrule_subdaily(struct cal_rrule_exp *x)
{
	const struct cal_rrule *r = x->r;
	int64_t		 unit, step, p0, k, t, ok;

	unit = r->freq == CAL_RRULE_HOURLY ? 3600 :
	    r->freq == CAL_RRULE_MINUTELY ? 60 : 1;
	step = unit * r->interval;
	p0 = cal_rrule_fdiv(x->start, unit) * unit;
	k = 0;
	if (r->count == 0 && x->lo - unit > p0)
		k = (x->lo - unit - p0) / step;
	while (!x->done) {
		if (++x->steps > CAL_MAX_RRULE_STEPS) {
			x->cut = 2;
			break;
		}
		t = p0 + k * step;
		if (t >= x->hi || (r->until_set && t > x->until +
		    CAL_RRULE_MARGIN))
			break;
		ok = cal_rrule_next_ok(x, t);
		if (ok != t) {
			k = (ok - p0 + step - 1) / step;
			continue;
		}
		x->ndays = 0;
		cal_rrule_add_day(x, cal_rrule_fdiv(t, CAL_RRULE_DAY));
		cal_rrule_times(x, t);
		cal_rrule_emit(x, 0);
		k++;
	}
}

/* Fills the set of period k of a DAILY rule and above; returns the wall
 * time its first day starts, or INT64_MAX past the last year. */
static int64_t
cal_rrule_period(struct cal_rrule_exp *x, int64_t base, int64_t k)
{
	const struct cal_rrule *r = x->r;
	int64_t		 day, ws, mi, y;
	int		 i, m;

	x->ndays = 0;
	switch (r->freq) {
	case CAL_RRULE_DAILY:
		day = base + k * r->interval;
		if (day > cal_rrule_daynum(CAL_RRULE_MAX_YEAR, 12, 31))
			return (INT64_MAX);
		if (cal_rrule_day_ok(r, day))
			cal_rrule_add_day(x, day);
		return (day * CAL_RRULE_DAY);
	case CAL_RRULE_WEEKLY:
		ws = base + k * 7 * r->interval;
		if (ws > cal_rrule_daynum(CAL_RRULE_MAX_YEAR, 12, 31))
			return (INT64_MAX);
		for (i = 0; i < 7; i++) {
			day = ws + i;
			if (r->nwday != 0 ? !cal_rrule_byday(r, day,
			    CAL_RRULE_PLAIN) : cal_rrule_wday_of(day) !=
			    cal_rrule_wday_of(x->d0))
				continue;
			if (cal_rrule_has_month(r, day))
				cal_rrule_add_day(x, day);
		}
		return (ws * CAL_RRULE_DAY);
	case CAL_RRULE_MONTHLY:
		mi = base + k * r->interval;
		if (mi / 12 + 1 > CAL_RRULE_MAX_YEAR)
			return (INT64_MAX);
		y = mi / 12 + 1;
		m = (int)(mi % 12) + 1;
		if (r->month == 0 || (r->month & (1u << m)))
			cal_rrule_month_days(x, (int)y, m, CAL_RRULE_IN_MONTH);
		cal_rrule_sort_days(x);
		return ((cal_rrule_daynum((int)y, m, 1) - 1) * CAL_RRULE_DAY);
	default:
		y = base + k * r->interval;
		if (y >= CAL_RRULE_MAX_YEAR)
			return (INT64_MAX);
		cal_rrule_year_days(x, (int)y);
		return ((cal_rrule_daynum((int)y, 1, 1) - 7) * CAL_RRULE_DAY);
	}
}

/* DAILY, WEEKLY, MONTHLY, YEARLY. */
static void
cal_rrule_daily(struct cal_rrule_exp *x)
{
	const struct cal_rrule *r = x->r;
	int64_t		 base, k = 0, lo_day, ps, span;
	int		 wy, y, m, d;

	lo_day = cal_rrule_fdiv(x->lo, CAL_RRULE_DAY);
	switch (r->freq) {
	case CAL_RRULE_DAILY:
		base = x->d0;
		span = 1;
		break;
	case CAL_RRULE_WEEKLY:
		base = x->d0 - (cal_rrule_wday_of(x->d0) - r->wkst + 7) % 7;
		span = 7;
		break;
	case CAL_RRULE_MONTHLY:
		base = (int64_t)(x->y0 - 1) * 12 + x->m0 - 1;
		span = 0;
		break;
	default:
		base = x->y0;
		if (r->nweekno != 0) {
			/* Week-numbering years, from DTSTART's when it has
			 * an instance left, else from DTSTART's year. */
			wy = cal_rrule_weekyear(x->d0, r->wkst);
			base = wy;
			if (wy < x->y0) {
				cal_rrule_year_days(x, wy);
				cal_rrule_times(x, x->start);
				if (cal_rrule_emit(x, 1) < x->start)
					base = x->y0;
			}
		}
		span = 0;
		break;
	}
	/* Without COUNT, the periods before the window need no look. */
	if (r->count == 0 && lo_day > x->d0 + 7) {
		if (span != 0)
			k = (lo_day - span - base) / (span * r->interval);
		else if (r->freq == CAL_RRULE_MONTHLY) {
			cal_rrule_civil(lo_day, &y, &m, &d);
			k = ((int64_t)(y - 1) * 12 + m - 1 - 2 - base) /
			    r->interval;
		} else {
			cal_rrule_civil(lo_day, &y, &m, &d);
			k = (y - 2 - base) / r->interval;
		}
		if (k < 0)
			k = 0;
	}
	for (; !x->done; k++) {
		if (++x->steps > CAL_MAX_RRULE_STEPS) {
			x->cut = 2;
			break;
		}
		ps = cal_rrule_period(x, base, k);
		if (ps == INT64_MAX || ps >= x->hi || (r->until_set &&
		    ps > x->until + CAL_RRULE_MARGIN))
			break;
		if (x->ndays == 0)
			continue;
		cal_rrule_times(x, x->start);
		cal_rrule_emit(x, 0);
	}
}

static int64_t
cal_rrule_clamp(time_t t, int64_t lim)
{
	if ((int64_t)t < -lim)
		return (-lim);
	if ((int64_t)t > lim)
		return (lim);
	return ((int64_t)t);
}

int
cal_rrule_expand(const struct cal_rrule *r, const struct cal_rrule_time *dt,
    time_t (*conv)(const struct cal_rrule_time *, void *), void *arg,
    time_t from, time_t to, size_t max, time_t **out, size_t *n)
{
	struct cal_rrule_exp *x;
	int64_t		 delta, lim;
	int		 rc;

	if (dt->year < 1 || dt->year >= CAL_RRULE_MAX_YEAR || dt->month < 1 ||
	    dt->month > 12 || dt->day < 1 ||
	    dt->day > cal_rrule_mdays(dt->year, dt->month) || dt->hour < 0 ||
	    dt->hour > 23 || dt->minute < 0 || dt->minute > 59 ||
	    dt->second < 0 || dt->second > 59)
		return (-1);
	if (from >= to)
		return (0);
	x = xcalloc(1, sizeof *x);
	x->r = r;
	x->conv = conv;
	x->arg = arg;
	x->date = dt->date;
	x->zoned = dt->zoned && !dt->date;
	x->y0 = dt->year;
	x->m0 = dt->month;
	x->md0 = dt->day;
	if (!x->date) {
		x->h0 = dt->hour;
		x->mi0 = dt->minute;
		x->s0 = dt->second;
	}
	x->d0 = cal_rrule_daynum(dt->year, dt->month, dt->day);
	x->start = x->d0 * CAL_RRULE_DAY + x->h0 * 3600 + x->mi0 * 60 + x->s0;
	x->from = from;
	x->to = to;
	x->last = INT64_MIN;
	x->out = out;
	x->n = n;
	x->size = *n;
	x->max = max;

	/* The window in wall time: the zone's offset at DTSTART, give or
	 * take any offset change. */
	delta = x->start - (int64_t)cal_rrule_instant(x, x->start);
	lim = (cal_rrule_daynum(CAL_RRULE_MAX_YEAR, 12, 31) + 1) *
	    CAL_RRULE_DAY;
	x->lo = cal_rrule_clamp(from, lim) + delta - CAL_RRULE_MARGIN;
	x->hi = cal_rrule_clamp(to, lim) + delta + CAL_RRULE_MARGIN;
	x->until = r->until_utc && x->zoned ? r->until + delta : r->until;

	if (r->freq <= CAL_RRULE_HOURLY)
		cal_rrule_subdaily(x);
	else
		cal_rrule_daily(x);
	rc = x->cut;
	free(x);
	return (rc);
}
