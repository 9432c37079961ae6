/*
 * ui/calendar.c: the calendar view, in four modes over one list of
 * entries (an occurrence on a day; an event over three days is three
 * entries):
 *
 *	agenda	the days with events from a day on, as "satchel agenda"
 *		prints them
 *	day	one day by the hour
 *	week	seven columns, one per day, the events stacked by time
 *	month	six weeks of seven cells, as many titles as fit, "+N more"
 *
 * j and k walk the entries in that order in every mode; the period
 * follows commands (next, previous, today, a date).  Times are in the
 * local zone.  Text from calendars is sanitised where it is drawn.  The
 * store is re-read when its directory changes (mail ingest writes it
 * while the view is open) and when the index is re-read.
 *
 * The layout functions (dates, the days of a period, columns, what fits
 * a cell) do not touch curses: tests and "satchel agenda" use them.
 */
#include "config.h"

#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core.h"
#include "store/store.h"
#include "cal/cal.h"
#include "ui/ui.h"
#include "private.h"

#define UI_CALENDAR_WHEN_COLS	11	/* "13:00-14:00" */
#define UI_CALENDAR_DAY_HOURS	24
#define UI_CALENDAR_DAY_FROM	8	/* the day view starts at 08:00 */
#define UI_CALENDAR_WIDE	16	/* a cell this wide shows times */

static const char *ui_calendar_mode_names[] = {
	"agenda", "day", "week", "month"
};

/* One occurrence on one day: what j and k walk. */
struct ui_calendar_entry {
	int		 day;		/* index into days */
	size_t		 occ;		/* index into occ */
};

struct ui_calendar {
	struct cal_calstore	*cs;
	struct timespec		 mtime;
	char			**self;		/* NULL-terminated, or NULL */
	enum ui_calendar_mode	 mode;
	time_t			 anchor;	/* the day the period is for */
	time_t			 today;
	int			 agenda_days;
	int			 week_start;
	time_t			 first;		/* the period's first day */
	int			 ndays;
	struct cal_occurrence	*occ;
	size_t			 n_occ;
	enum cal_partstat	*partstat;	/* our answer, per occ */
	struct ui_calendar_day	*days;
	struct ui_calendar_entry *entries;
	size_t			 n_entries;
	size_t			 cursor;
	int			 top;		/* agenda, day: first line; -1
						   when it is to be chosen */
	struct ui_calendar	*below;		/* the calendar under it */
};

/* The open calendar views, the newest first: the one on top, when the
 * top view is a calendar at all. */
static struct ui_calendar	*ui_calendar_views;

static void	ui_calendar_draw(struct ui_view *, int, int, int);
static void	ui_calendar_move(struct ui_view *, int);
static void	ui_calendar_page(struct ui_view *, int);
static void	ui_calendar_first(struct ui_view *);
static void	ui_calendar_last(struct ui_view *);
static int	ui_calendar_open(struct ui_view *, char **);
static void	ui_calendar_status(struct ui_view *, struct buf *);
static void	ui_calendar_free(struct ui_view *);
static char	*ui_calendar_target(struct ui_view *, int, char **);
static void	ui_calendar_reload(struct ui_view *, int);

static const struct ui_view_ops ui_calendar_ops = {
	"calendar",
	ui_calendar_draw,
	ui_calendar_move,
	ui_calendar_page,
	ui_calendar_first,
	ui_calendar_last,
	ui_calendar_open,
	ui_calendar_status,
	NULL,
	ui_calendar_free,
	ui_calendar_target,
	NULL,
	ui_calendar_reload,
	NULL,
	NULL,
	NULL,
	NULL,	NULL,		/* predict, settle */
};

/* Dates -------------------------------------------------------------- */

/* Reads n digits (1 to max) at *p as a number. */
static int
ui_calendar_digits(const char **p, int min, int max, int *v)
{
	int	 k = 0;

	*v = 0;
	while (k < max && **p >= '0' && **p <= '9') {
		*v = *v * 10 + (**p - '0');
		(*p)++;
		k++;
	}
	return (k >= min ? 0 : -1);
}

time_t
ui_calendar_parse_day(const char *s)
{
	struct tm	 tm;
	time_t		 t;
	int		 y, m, d;

	if (ui_calendar_digits(&s, 4, 4, &y) != 0 || *s++ != '-' ||
	    ui_calendar_digits(&s, 1, 2, &m) != 0 || *s++ != '-' ||
	    ui_calendar_digits(&s, 1, 2, &d) != 0 || *s != '\0')
		return (-1);
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > 31)
		return (-1);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == -1)
		return (-1);
	/* mktime() makes 30 February the 2nd of March: not a day. */
	if (tm.tm_year != y - 1900 || tm.tm_mon != m - 1 || tm.tm_mday != d)
		return (-1);
	return (t);
}

time_t
ui_calendar_add_days(time_t t, int n)
{
	struct tm	 tm;

	localtime_r(&t, &tm);
	tm.tm_mday += n;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (mktime(&tm));
}

static int
ui_calendar_month_days(int year, int mon)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (mon == 1 && ((year % 4 == 0 && year % 100 != 0) ||
	    year % 400 == 0))
		return (29);
	return (days[mon]);
}

time_t
ui_calendar_add_months(time_t t, int n)
{
	struct tm	 tm;
	int		 m, last;

	localtime_r(&t, &tm);
	m = tm.tm_mon + n;
	tm.tm_year += m >= 0 ? m / 12 : -((11 - m) / 12);
	tm.tm_mon = ((m % 12) + 12) % 12;
	last = ui_calendar_month_days(tm.tm_year + 1900, tm.tm_mon);
	if (tm.tm_mday > last)
		tm.tm_mday = last;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (mktime(&tm));
}

time_t
ui_calendar_week_of(time_t t, int week_start)
{
	struct tm	 tm;

	localtime_r(&t, &tm);
	return (ui_calendar_add_days(t, -((tm.tm_wday - week_start + 7) %
	    7)));
}

void
ui_calendar_period(enum ui_calendar_mode mode, time_t day, int week_start,
    int agenda_days, time_t *first, int *n)
{
	struct tm	 tm;

	switch (mode) {
	case UI_CALENDAR_AGENDA:
		*first = ui_calendar_add_days(day, 0);
		*n = agenda_days;
		break;
	case UI_CALENDAR_DAY:
		*first = ui_calendar_add_days(day, 0);
		*n = 1;
		break;
	case UI_CALENDAR_WEEK:
		*first = ui_calendar_week_of(day, week_start);
		*n = 7;
		break;
	case UI_CALENDAR_MONTH:
		localtime_r(&day, &tm);
		*first = ui_calendar_week_of(ui_calendar_add_days(day,
		    1 - tm.tm_mday), week_start);
		*n = 42;
		break;
	}
}

time_t
ui_calendar_period_step(enum ui_calendar_mode mode, time_t day,
    int agenda_days, int n)
{
	switch (mode) {
	case UI_CALENDAR_AGENDA:
		return (ui_calendar_add_days(day, n * agenda_days));
	case UI_CALENDAR_DAY:
		return (ui_calendar_add_days(day, n));
	case UI_CALENDAR_WEEK:
		return (ui_calendar_add_days(day, n * 7));
	case UI_CALENDAR_MONTH:
		break;
	}
	return (ui_calendar_add_months(day, n));
}

int
ui_calendar_mode_from_name(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof ui_calendar_mode_names /
	    sizeof *ui_calendar_mode_names; i++) {
		if (strcmp(name, ui_calendar_mode_names[i]) == 0)
			return ((int)i);
	}
	return (-1);
}

const char *
ui_calendar_mode_name(enum ui_calendar_mode mode)
{
	return (ui_calendar_mode_names[mode]);
}

/* Layout ------------------------------------------------------------- */

/* Whether an occurrence shows on the day [start, end): a day-long
 * all-day event without an end, and an instant on the day it is. */
static int
ui_calendar_overlaps(const struct cal_occurrence *o, time_t start,
    time_t end)
{
	time_t	 e = o->end;

	if (o->all_day && e <= o->start)
		e = ui_calendar_add_days(o->start, 1);
	if (e <= o->start)
		return (o->start >= start && o->start < end);
	return (o->start < end && e > start);
}

struct ui_calendar_day *
ui_calendar_days(time_t first, int ndays, const struct cal_occurrence *occ,
    size_t n)
{
	struct ui_calendar_day	*days, *d;
	size_t			 i;
	int			 k, pass;

	days = xcalloc(ndays > 0 ? (size_t)ndays : 1, sizeof *days);
	for (k = 0; k < ndays; k++) {
		d = &days[k];
		d->start = ui_calendar_add_days(first, k);
		d->end = ui_calendar_add_days(first, k + 1);
		d->occ = xcalloc(n + 1, sizeof *d->occ);
		/* All-day events first, then the rest in their order. */
		for (pass = 0; pass < 2; pass++) {
			for (i = 0; i < n; i++) {
				if ((occ[i].all_day != 0) != (pass == 0))
					continue;
				if (ui_calendar_overlaps(&occ[i], d->start,
				    d->end))
					d->occ[d->n++] = i;
			}
		}
	}
	return (days);
}

void
ui_calendar_days_free(struct ui_calendar_day *days, int ndays)
{
	int	 k;

	if (days == NULL)
		return;
	for (k = 0; k < ndays; k++)
		free(days[k].occ);
	free(days);
}

static void
ui_calendar_hhmm(char *out, size_t len, time_t t)
{
	struct tm	 tm;

	localtime_r(&t, &tm);
	if (strftime(out, len, "%H:%M", &tm) == 0 && len > 0)
		out[0] = '\0';
}

void
ui_calendar_when(char *out, size_t len, const struct cal_occurrence *o,
    const struct ui_calendar_day *d)
{
	char	 s[16], e[16];

	if (o->all_day) {
		strlcpy(out, "all day", len);
		return;
	}
	if (o->start >= d->start)
		ui_calendar_hhmm(s, sizeof s, o->start);
	else
		strlcpy(s, "...", sizeof s);
	if (o->end <= d->end)
		ui_calendar_hhmm(e, sizeof e, o->end > o->start ? o->end :
		    o->start);
	else
		strlcpy(e, "...", sizeof e);
	if (o->start < d->start && o->end > d->end)
		strlcpy(out, "...", len);
	else
		snprintf(out, len, "%s-%s", s, e);
}

void
ui_calendar_columns(int cols, int n, int *x, int *w)
{
	int	 usable, base, extra, i;

	if (n <= 0)
		return;
	usable = cols - (n - 1);
	if (usable < n)
		usable = n;
	base = usable / n;
	extra = usable % n;
	for (i = 0; i < n; i++) {
		w[i] = base + (i >= n - extra ? 1 : 0);
		x[i] = i == 0 ? 0 : x[i - 1] + w[i - 1] + 1;
	}
}

size_t
ui_calendar_fit(const int *heights, size_t n, int rows)
{
	size_t	 i;
	int	 used = 0;

	for (i = 0; i < n; i++)
		used += heights[i];
	if (used <= rows)
		return (n);
	used = 0;
	for (i = 0; i < n; i++) {
		if (used + heights[i] > rows - 1)
			break;
		used += heights[i];
	}
	return (i);
}

/* "Weekly sync (Room 1)" from the calendar, sanitised to one line. */
static void
ui_calendar_title(struct buf *b, const struct cal_occurrence *o)
{
	char	*clean;

	clean = o->summary != NULL && *o->summary != '\0' ?
	    text_sanitize(o->summary, strlen(o->summary), 0) :
	    xstrdup("(no title)");
	buf_addstr(b, clean);
	free(clean);
	if (o->location != NULL && *o->location != '\0') {
		clean = text_sanitize(o->location, strlen(o->location), 0);
		buf_printf(b, " (%s)", clean);
		free(clean);
	}
}

void
ui_calendar_agenda_text(struct buf *b, const struct cal_occurrence *occ,
    size_t n, time_t first, int ndays)
{
	struct ui_calendar_day	*days;
	struct tm		 tm;
	char			 head[32], when[32];
	size_t			 i;
	int			 k, any = 0;

	days = ui_calendar_days(first, ndays, occ, n);
	for (k = 0; k < ndays; k++) {
		if (days[k].n == 0)
			continue;
		localtime_r(&days[k].start, &tm);
		if (strftime(head, sizeof head, "%a %Y-%m-%d", &tm) == 0)
			head[0] = '\0';
		buf_printf(b, "%s%s\n", any++ ? "\n" : "", head);
		for (i = 0; i < days[k].n; i++) {
			ui_calendar_when(when, sizeof when,
			    &occ[days[k].occ[i]], &days[k]);
			buf_printf(b, "  %-15s", when);
			ui_calendar_title(b, &occ[days[k].occ[i]]);
			buf_addch(b, '\n');
		}
	}
	ui_calendar_days_free(days, ndays);
}

/* The store ---------------------------------------------------------- */

static void
ui_calendar_dir_time(struct cal_calstore *cs, struct timespec *ts)
{
	struct stat	 sb;

	if (stat(cal_calstore_dir(cs), &sb) == 0)
		*ts = sb.st_mtim;
	else
		memset(ts, 0, sizeof *ts);
}

struct cal_calstore *
ui_calendar_store_open(const char *dir, struct timespec *mtime, char **cause)
{
	struct cal_calstore	*cs;
	char			*path;

	cal_ical_init();
	path = dir != NULL ? xstrdup(dir) : cal_calstore_default_dir(NULL);
	if ((cs = cal_calstore_open(path, cause)) != NULL)
		ui_calendar_dir_time(cs, mtime);
	free(path);
	return (cs);
}

int
ui_calendar_store_fresh(struct cal_calstore *cs, struct timespec *mtime)
{
	struct timespec	 now;
	char		*cause = NULL;

	ui_calendar_dir_time(cs, &now);
	if (now.tv_sec == mtime->tv_sec && now.tv_nsec == mtime->tv_nsec)
		return (0);
	*mtime = now;
	if (cal_calstore_reload(cs, &cause) != 0) {
		ui_error("%s", cause);
		free(cause);
	}
	return (1);
}

int
ui_calendar_open_message(const char *msgid, char **cause)
{
	struct store_message	 m;
	char			*why = NULL;
	int			 rc;

	if (store_index_find_message(ui_index(), msgid, &m, &why) !=
	    STORE_OK) {
		xcause(cause, "message <%s> is not in the index%s%s", msgid,
		    why != NULL ? ": " : "", why != NULL ? why : "");
		free(why);
		return (-1);
	}
	rc = ui_pager_push(m.thread_id, "*", msgid, cause);
	store_message_release(&m);
	return (rc);
}

/* The view's data ---------------------------------------------------- */

static void
ui_calendar_clear(struct ui_calendar *c)
{
	ui_calendar_days_free(c->days, c->ndays);
	c->days = NULL;
	cal_ical_occurrences_free(c->occ, c->n_occ);
	c->occ = NULL;
	c->n_occ = 0;
	free(c->partstat);
	c->partstat = NULL;
	free(c->entries);
	c->entries = NULL;
	c->n_entries = 0;
}

/*
 * Reads the occurrences of the anchor's period.  The cursor goes to the
 * entry of the same occurrence on the same day when there is one (uid
 * not NULL), else to the first entry on or after the anchor.
 */
static void
ui_calendar_load(struct ui_calendar *c, const char *uid, time_t rid,
    time_t day)
{
	const struct cal_cal	*cal;
	const struct cal_occurrence *o;
	char			*cause = NULL;
	size_t			 i, k;
	int			 d, found = 0;

	ui_calendar_clear(c);
	ui_calendar_period(c->mode, c->anchor, c->week_start, c->agenda_days,
	    &c->first, &c->ndays);
	if (cal_calstore_agenda(c->cs, c->first, ui_calendar_add_days(
	    c->first, c->ndays), 1, &c->occ, &c->n_occ, &cause) != 0) {
		ui_error("%s", cause);
		free(cause);
	}
	c->partstat = xcalloc(c->n_occ + 1, sizeof *c->partstat);
	for (i = 0; c->self != NULL && i < c->n_occ; i++) {
		if (c->occ[i].uid == NULL ||
		    (cal = cal_calstore_get(c->cs, c->occ[i].uid)) == NULL)
			continue;
		c->partstat[i] = cal_ical_partstat_of(cal,
		    (const char *const *)c->self);
	}
	c->days = ui_calendar_days(c->first, c->ndays, c->occ, c->n_occ);
	for (d = 0; d < c->ndays; d++) {
		c->entries = xreallocarray(c->entries, c->n_entries +
		    c->days[d].n + 1, sizeof *c->entries);
		for (k = 0; k < c->days[d].n; k++) {
			c->entries[c->n_entries].day = d;
			c->entries[c->n_entries++].occ = c->days[d].occ[k];
		}
	}
	c->cursor = 0;
	for (i = 0; uid != NULL && i < c->n_entries; i++) {
		o = &c->occ[c->entries[i].occ];
		if (o->uid != NULL && strcmp(o->uid, uid) == 0 &&
		    o->rid == rid && c->days[c->entries[i].day].start == day) {
			c->cursor = i;
			found = 1;
			break;
		}
	}
	for (i = 0; !found && i < c->n_entries; i++) {
		if (c->days[c->entries[i].day].end > c->anchor) {
			c->cursor = i;
			break;
		}
	}
}

/* Reads the period again, the cursor staying on its entry. */
static void
ui_calendar_reread(struct ui_calendar *c)
{
	const struct cal_occurrence *o;
	char			*uid = NULL;
	time_t			 rid = -1, day = -1;

	if (c->cursor < c->n_entries) {
		o = &c->occ[c->entries[c->cursor].occ];
		uid = o->uid != NULL ? xstrdup(o->uid) : NULL;
		rid = o->rid;
		day = c->days[c->entries[c->cursor].day].start;
	}
	ui_calendar_load(c, uid, rid, day);
	free(uid);
}

static void
ui_calendar_destroy(struct ui_calendar *c)
{
	size_t	 i;

	ui_calendar_clear(c);
	cal_calstore_close(c->cs);
	for (i = 0; c->self != NULL && c->self[i] != NULL; i++)
		free(c->self[i]);
	free(c->self);
	free(c);
}

int
ui_calendar_push(const struct ui_calendar_options *opts, char **cause)
{
	struct ui_calendar	*c;
	size_t			 n;

	c = xcalloc(1, sizeof *c);
	if ((c->cs = ui_calendar_store_open(opts->dir, &c->mtime, cause)) ==
	    NULL) {
		free(c);
		return (-1);
	}
	for (n = 0; opts->self != NULL && opts->self[n] != NULL; n++)
		;
	if (n > 0) {
		c->self = xcalloc(n + 1, sizeof *c->self);
		for (n = 0; opts->self[n] != NULL; n++)
			c->self[n] = xstrdup(opts->self[n]);
	}
	c->mode = opts->mode;
	c->today = ui_calendar_add_days(date_now(), 0);
	c->anchor = opts->day == -1 ? c->today :
	    ui_calendar_add_days(opts->day, 0);
	c->agenda_days = opts->agenda_days;
	if (c->agenda_days < 1 || c->agenda_days > UI_CALENDAR_MAX_DAYS)
		c->agenda_days = 7;
	c->week_start = opts->week_start >= 0 && opts->week_start <= 6 ?
	    opts->week_start : 1;
	c->top = -1;
	ui_calendar_load(c, NULL, -1, -1);
	if (ui_view_push(&ui_calendar_ops, c) == NULL)
		return (0);	/* freed, the error shown */
	c->below = ui_calendar_views;
	ui_calendar_views = c;
	return (0);
}

int
ui_calendar_on_top(void)
{
	return (ui_calendar_views != NULL &&
	    strcmp(ui_view_name(), "calendar") == 0);
}

static struct ui_calendar *
ui_calendar_top(char **cause)
{
	if (!ui_calendar_on_top()) {
		xcause(cause, "not in the calendar");
		return (NULL);
	}
	return (ui_calendar_views);
}

int
ui_calendar_set_mode(enum ui_calendar_mode mode, char **cause)
{
	struct ui_calendar	*c;

	if ((c = ui_calendar_top(cause)) == NULL)
		return (-1);
	/* The new period is the one of the day at the cursor. */
	if (c->cursor < c->n_entries)
		c->anchor = c->days[c->entries[c->cursor].day].start;
	c->mode = mode;
	c->top = -1;
	ui_calendar_reread(c);
	ui_set_dirty();
	return (0);
}

int
ui_calendar_step(int n, char **cause)
{
	struct ui_calendar	*c;

	if ((c = ui_calendar_top(cause)) == NULL)
		return (-1);
	c->anchor = ui_calendar_period_step(c->mode, c->anchor,
	    c->agenda_days, n);
	c->top = -1;
	ui_calendar_load(c, NULL, -1, -1);
	ui_set_dirty();
	return (0);
}

int
ui_calendar_goto(time_t day, char **cause)
{
	struct ui_calendar	*c;

	if ((c = ui_calendar_top(cause)) == NULL)
		return (-1);
	c->today = ui_calendar_add_days(date_now(), 0);
	c->anchor = day == -1 ? c->today : ui_calendar_add_days(day, 0);
	c->top = -1;
	ui_calendar_load(c, NULL, -1, -1);
	ui_set_dirty();
	return (0);
}

/* Drawing ------------------------------------------------------------ */

/* A mark for what is special about an occurrence: cancelled, or our
 * answer when it is not a yes. */
static const char *
ui_calendar_mark(const struct ui_calendar *c, size_t i)
{
	if (c->occ[i].cancelled)
		return ("x");
	switch (c->partstat[i]) {
	case CAL_PARTSTAT_DECLINED:
		return ("-");
	case CAL_PARTSTAT_TENTATIVE:
		return ("?");
	case CAL_PARTSTAT_NEEDS_ACTION:
		return ("!");
	default:
		return (NULL);
	}
}

/* The same in words, for the agenda, the day and the status line. */
static const char *
ui_calendar_mark_words(const struct ui_calendar *c, size_t i)
{
	if (c->occ[i].cancelled)
		return ("cancelled");
	switch (c->partstat[i]) {
	case CAL_PARTSTAT_ACCEPTED:
		return ("accepted");
	case CAL_PARTSTAT_DECLINED:
		return ("declined");
	case CAL_PARTSTAT_TENTATIVE:
		return ("tentative");
	case CAL_PARTSTAT_NEEDS_ACTION:
		return ("not answered");
	default:
		return (NULL);
	}
}

static enum ui_colour
ui_calendar_colour(const struct ui_calendar *c, size_t i)
{
	if (c->occ[i].cancelled || c->partstat[i] == CAL_PARTSTAT_DECLINED)
		return (UI_NOTE);
	if (c->partstat[i] == CAL_PARTSTAT_NEEDS_ACTION)
		return (UI_UNREAD);
	return (UI_NORMAL);
}

/* How a day is written; strftime() formats stay literals. */
enum ui_calendar_fmt {
	UI_CALENDAR_DATE,	/* "Thu 2027-02-04" */
	UI_CALENDAR_LONG_DATE,	/* "Thursday 2027-02-04" */
	UI_CALENDAR_SHORT_DATE,	/* "Thu 02-04" */
	UI_CALENDAR_MONTH_YEAR,	/* "February 2027" */
	UI_CALENDAR_WEEKDAY,	/* "Thu" */
	UI_CALENDAR_LONG_WEEKDAY, /* "Thursday" */
	UI_CALENDAR_MONTH_NAME,	/* "Feb" */
};

static void
ui_calendar_strftime(struct buf *b, enum ui_calendar_fmt fmt, time_t t)
{
	struct tm	 tm;
	char		 out[64];
	size_t		 n = 0;

	localtime_r(&t, &tm);
	switch (fmt) {
	case UI_CALENDAR_DATE:
		n = strftime(out, sizeof out, "%a %Y-%m-%d", &tm);
		break;
	case UI_CALENDAR_LONG_DATE:
		n = strftime(out, sizeof out, "%A %Y-%m-%d", &tm);
		break;
	case UI_CALENDAR_SHORT_DATE:
		n = strftime(out, sizeof out, "%a %m-%d", &tm);
		break;
	case UI_CALENDAR_MONTH_YEAR:
		n = strftime(out, sizeof out, "%B %Y", &tm);
		break;
	case UI_CALENDAR_WEEKDAY:
		n = strftime(out, sizeof out, "%a", &tm);
		break;
	case UI_CALENDAR_LONG_WEEKDAY:
		n = strftime(out, sizeof out, "%A", &tm);
		break;
	case UI_CALENDAR_MONTH_NAME:
		n = strftime(out, sizeof out, "%b", &tm);
		break;
	}
	if (n > 0)
		buf_add(b, out, n);
}

/* The line above the body: which period this is. */
static void
ui_calendar_draw_title(struct ui_calendar *c, int y, int cols)
{
	struct buf	 b;
	time_t		 last = ui_calendar_add_days(c->first, c->ndays - 1);

	buf_init(&b);
	switch (c->mode) {
	case UI_CALENDAR_AGENDA:
	case UI_CALENDAR_WEEK:
		buf_addstr(&b, c->mode == UI_CALENDAR_WEEK ? "Week " :
		    "Agenda ");
		ui_calendar_strftime(&b, UI_CALENDAR_DATE, c->first);
		buf_addstr(&b, " to ");
		ui_calendar_strftime(&b, UI_CALENDAR_DATE, last);
		break;
	case UI_CALENDAR_DAY:
		ui_calendar_strftime(&b, UI_CALENDAR_LONG_DATE, c->first);
		break;
	case UI_CALENDAR_MONTH:
		ui_calendar_strftime(&b, UI_CALENDAR_MONTH_YEAR, c->anchor);
		break;
	}
	ui_draw_fill(y, 0, cols, UI_HEADER);
	ui_draw_text(y, 1, cols - 1, b.data, UI_HEADER, 0);
	buf_release(&b);
}

/*
 * One entry as a list line (agenda and day): "13:00-14:00  ? Title
 * (Place)  [tentative]", from column x.
 */
static void
ui_calendar_draw_line(struct ui_calendar *c, size_t e, int y, int x,
    int cols)
{
	const struct ui_calendar_entry *en = &c->entries[e];
	const char	*mark, *words;
	struct buf	 b;
	char		 when[32];
	int		 hl = e == c->cursor;

	ui_calendar_when(when, sizeof when, &c->occ[en->occ],
	    &c->days[en->day]);
	mark = ui_calendar_mark(c, en->occ);
	words = ui_calendar_mark_words(c, en->occ);
	buf_init(&b);
	buf_printf(&b, "%-*s  %s ", UI_CALENDAR_WHEN_COLS, when,
	    mark != NULL ? mark : " ");
	ui_calendar_title(&b, &c->occ[en->occ]);
	if (words != NULL && c->partstat[en->occ] != CAL_PARTSTAT_ACCEPTED)
		buf_printf(&b, "  [%s]", words);
	if (hl)
		ui_draw_fill(y, x, cols - x, UI_CURSOR);
	(void)ui_draw_column(y, x, cols - x, b.data, ui_calendar_colour(c,
	    en->occ), hl, 0);
	buf_release(&b);
}

/* A line of a list mode: a day's heading, an entry or a blank. */
struct ui_calendar_line {
	int		 day;		/* heading: the day; else -1 */
	long		 entry;		/* an entry; else -1 */
	int		 hour;		/* day mode: the hour label, or -1 */
	int		 busy;		/* day mode: an event goes on */
};

static void
ui_calendar_add_line(struct ui_calendar_line **l, size_t *n, int day,
    long entry, int hour, int busy)
{
	*l = xreallocarray(*l, *n + 1, sizeof **l);
	(*l)[*n].day = day;
	(*l)[*n].entry = entry;
	(*l)[*n].hour = hour;
	(*l)[*n].busy = busy;
	(*n)++;
}

/* The agenda's lines: as "satchel agenda" prints it. */
static struct ui_calendar_line *
ui_calendar_agenda_lines(struct ui_calendar *c, size_t *n)
{
	struct ui_calendar_line	*l = NULL;
	size_t			 e;
	int			 d = -1;

	*n = 0;
	for (e = 0; e < c->n_entries; e++) {
		if (c->entries[e].day != d) {
			if (d != -1)
				ui_calendar_add_line(&l, n, -1, -1, -1, 0);
			d = c->entries[e].day;
			ui_calendar_add_line(&l, n, d, -1, -1, 0);
		}
		ui_calendar_add_line(&l, n, -1, (long)e, -1, 0);
	}
	return (l);
}

/* The day's hours, a line each with the events starting in it (those
 * from the day before at 00:00); all-day events are drawn above. */
static struct ui_calendar_line *
ui_calendar_day_lines(struct ui_calendar *c, size_t *n)
{
	struct ui_calendar_line	*l = NULL;
	const struct cal_occurrence *o;
	struct tm		 tm;
	size_t			 e;
	time_t			 at;
	int			 h, hour, busy, any;

	*n = 0;
	for (h = 0; h < UI_CALENDAR_DAY_HOURS; h++) {
		any = busy = 0;
		localtime_r(&c->first, &tm);
		tm.tm_hour = h;
		tm.tm_isdst = -1;
		at = mktime(&tm);
		for (e = 0; e < c->n_entries; e++) {
			o = &c->occ[c->entries[e].occ];
			if (o->all_day)
				continue;
			hour = 0;
			if (o->start >= c->first) {
				localtime_r(&o->start, &tm);
				hour = tm.tm_hour;
			}
			if (hour == h) {
				ui_calendar_add_line(&l, n, -1, (long)e,
				    any ? -1 : h, 0);
				any = 1;
				continue;
			}
			/* Goes on through this hour? */
			if (hour < h && o->end > at)
				busy = 1;
		}
		if (!any)
			ui_calendar_add_line(&l, n, -1, -1, h, busy);
	}
	return (l);
}

/* Draws list lines from c->top, keeping the cursor's line on screen. */
static void
ui_calendar_draw_lines(struct ui_calendar *c, struct ui_calendar_line *l,
    size_t n, int y, int rows, int cols, int start)
{
	struct buf	 b;
	size_t		 i, at = 0;
	int		 x, found = 0;

	for (i = 0; i < n; i++) {
		if (l[i].entry == (long)c->cursor) {
			at = i;
			found = 1;
		}
	}
	if (c->top < 0)
		c->top = start;
	if (found && (size_t)c->top > at)
		c->top = (int)at;
	if (found && at >= (size_t)c->top + (size_t)rows)
		c->top = (int)(at - (size_t)rows + 1);
	if (c->top > 0 && (size_t)c->top + (size_t)rows > n)
		c->top = n > (size_t)rows ? (int)(n - (size_t)rows) : 0;
	for (i = (size_t)c->top; i < n && i < (size_t)c->top + (size_t)rows;
	    i++, y++) {
		x = 0;
		if (l[i].day != -1) {
			buf_init(&b);
			ui_calendar_strftime(&b, UI_CALENDAR_DATE,
			    c->days[l[i].day].start);
			ui_draw_text(y, 0, cols, b.data,
			    c->days[l[i].day].start == c->today ? UI_UNREAD :
			    UI_DATE, 0);
			buf_release(&b);
			continue;
		}
		if (c->mode == UI_CALENDAR_DAY) {
			buf_init(&b);
			if (l[i].hour != -1)
				buf_printf(&b, "%02d:00", l[i].hour);
			ui_draw_text(y, 0, cols, b.data, UI_DATE, 0);
			if (l[i].busy)
				ui_draw_text(y, 7, cols - 7, "\xe2\x94\x82",
				    UI_NOTE, 0);
			buf_release(&b);
			x = 7;
		} else
			x = 2;
		if (l[i].entry != -1 && x < cols)
			ui_calendar_draw_line(c, (size_t)l[i].entry, y, x,
			    cols);
	}
}

static void
ui_calendar_draw_list(struct ui_calendar *c, int y, int rows, int cols)
{
	struct ui_calendar_line	*l;
	size_t			 n, i, e;
	int			 start = 0, half;

	if (c->mode == UI_CALENDAR_AGENDA) {
		l = ui_calendar_agenda_lines(c, &n);
		if (n == 0) {
			ui_draw_text(y + 1, 2, cols - 2, "No events.", UI_NOTE,
			    0);
			free(l);
			return;
		}
	} else {
		/* All-day events stay above the hours, up to half the
		 * lines. */
		half = rows / 2;
		for (e = 0; e < c->n_entries && half > 0; e++) {
			if (!c->occ[c->entries[e].occ].all_day)
				continue;
			ui_calendar_draw_line(c, e, y++, 7, cols);
			rows--;
			half--;
		}
		l = ui_calendar_day_lines(c, &n);
		/* Start at 08:00, or at the first event when earlier. */
		for (i = 0; i < n; i++) {
			if (l[i].entry != -1 || l[i].hour ==
			    UI_CALENDAR_DAY_FROM)
				break;
		}
		start = (int)(i < n ? i : 0);
	}
	ui_calendar_draw_lines(c, l, n, y, rows, cols, start);
	free(l);
}

/* The first entry of day d. */
static size_t
ui_calendar_day_entry(const struct ui_calendar *c, int d)
{
	size_t	 e;

	for (e = 0; e < c->n_entries; e++) {
		if (c->entries[e].day == d)
			break;
	}
	return (e);
}

/*
 * The entries of day d in a cell of a grid: in a wide cell a line each
 * ("13:00 Title"), in a narrow one the time and the title on two lines;
 * "+N more" for those that do not fit.  h lines from y.
 */
static void
ui_calendar_draw_cell(struct ui_calendar *c, int d, int y, int x, int w,
    int h, int two_lines)
{
	const struct ui_calendar_day *day = &c->days[d];
	const struct cal_occurrence *o;
	struct buf	 b;
	const char	*mark;
	char		 when[32];
	int		*heights, hl, line = 0;
	size_t		 k, shown, e0 = ui_calendar_day_entry(c, d);

	if (h <= 0 || w <= 0)
		return;
	heights = xcalloc(day->n + 1, sizeof *heights);
	for (k = 0; k < day->n; k++)
		heights[k] = two_lines && !c->occ[day->occ[k]].all_day ? 2 : 1;
	shown = ui_calendar_fit(heights, day->n, h);
	for (k = 0; k < shown; k++) {
		o = &c->occ[day->occ[k]];
		hl = e0 + k == c->cursor;
		mark = ui_calendar_mark(c, day->occ[k]);
		buf_init(&b);
		if (mark != NULL)
			buf_printf(&b, "%s ", mark);
		if (!o->all_day && (two_lines || w >= UI_CALENDAR_WIDE)) {
			ui_calendar_when(when, sizeof when, o, day);
			when[strcspn(when, "-")] = '\0';
			buf_printf(&b, "%s%s", when[0] != '\0' ? when : "...",
			    two_lines ? "" : " ");
		}
		if (two_lines && !o->all_day) {
			(void)ui_draw_column(y + line++, x, w, b.data, UI_DATE,
			    hl, 0);
			buf_clear(&b);
		}
		ui_calendar_title(&b, o);
		(void)ui_draw_column(y + line++, x, w, b.data,
		    ui_calendar_colour(c, day->occ[k]), hl, 0);
		buf_release(&b);
	}
	if (shown < day->n) {
		buf_init(&b);
		buf_printf(&b, "+%zu more", day->n - shown);
		hl = c->cursor >= e0 + shown && c->cursor < e0 + day->n;
		(void)ui_draw_column(y + line, x, w, b.data, UI_NOTE, hl, 0);
		buf_release(&b);
	}
	free(heights);
}

static void
ui_calendar_draw_week(struct ui_calendar *c, int y, int rows, int cols)
{
	struct buf	 b;
	int		 x[7], w[7], d, r;

	ui_calendar_columns(cols, 7, x, w);
	for (d = 0; d < 7; d++) {
		buf_init(&b);
		ui_calendar_strftime(&b, w[d] >= 14 ? UI_CALENDAR_DATE :
		    UI_CALENDAR_SHORT_DATE, c->days[d].start);
		(void)ui_draw_column(y, x[d], w[d], b.data,
		    c->days[d].start == c->today ? UI_UNREAD : UI_DATE, 0, 0);
		buf_release(&b);
		for (r = 0; d > 0 && r < rows; r++)
			ui_draw_text(y + r, x[d] - 1, 1, "\xe2\x94\x82",
			    UI_NOTE, 0);
		ui_calendar_draw_cell(c, d, y + 1, x[d], w[d], rows - 1,
		    w[d] < UI_CALENDAR_WIDE);
	}
}

static void
ui_calendar_draw_month(struct ui_calendar *c, int y, int rows, int cols)
{
	struct buf	 b;
	struct tm	 tm, atm;
	int		 x[7], w[7], d, r, h, wk;
	enum ui_colour	 colour;

	ui_calendar_columns(cols, 7, x, w);
	h = (rows - 1) / 6;
	if (h < 1)
		h = 1;
	localtime_r(&c->anchor, &atm);
	for (d = 0; d < 7; d++) {
		buf_init(&b);
		ui_calendar_strftime(&b, w[d] >= 10 ?
		    UI_CALENDAR_LONG_WEEKDAY : UI_CALENDAR_WEEKDAY,
		    c->days[d].start);
		(void)ui_draw_column(y, x[d], w[d], b.data, UI_DATE, 0, 0);
		buf_release(&b);
		for (r = 0; d > 0 && r < rows; r++)
			ui_draw_text(y + r, x[d] - 1, 1, "\xe2\x94\x82",
			    UI_NOTE, 0);
	}
	for (wk = 0; wk < 6; wk++) {
		for (d = 0; d < 7; d++) {
			localtime_r(&c->days[wk * 7 + d].start, &tm);
			buf_init(&b);
			if (tm.tm_mday == 1 || (wk == 0 && d == 0))
				ui_calendar_strftime(&b, UI_CALENDAR_MONTH_NAME,
				    c->days[wk * 7 + d].start);
			buf_printf(&b, "%s%d", b.len > 0 ? " " : "",
			    tm.tm_mday);
			colour = tm.tm_mon != atm.tm_mon ? UI_NOTE : UI_DATE;
			if (c->days[wk * 7 + d].start == c->today)
				colour = UI_UNREAD;
			(void)ui_draw_column(y + 1 + wk * h, x[d], w[d], b.data,
			    colour, 0, 0);
			buf_release(&b);
			ui_calendar_draw_cell(c, wk * 7 + d, y + 2 + wk * h,
			    x[d], w[d], h - 1, 0);
		}
	}
}

static void
ui_calendar_draw(struct ui_view *v, int y, int rows, int cols)
{
	struct ui_calendar	*c = v->data;

	if (ui_calendar_store_fresh(c->cs, &c->mtime))
		ui_calendar_reread(c);
	if (rows < 3)
		return;
	ui_calendar_draw_title(c, y, cols);
	switch (c->mode) {
	case UI_CALENDAR_AGENDA:
	case UI_CALENDAR_DAY:
		ui_calendar_draw_list(c, y + 1, rows - 1, cols);
		break;
	case UI_CALENDAR_WEEK:
		ui_calendar_draw_week(c, y + 1, rows - 1, cols);
		break;
	case UI_CALENDAR_MONTH:
		ui_calendar_draw_month(c, y + 1, rows - 1, cols);
		break;
	}
}

/* Keys --------------------------------------------------------------- */

static void
ui_calendar_move(struct ui_view *v, int n)
{
	struct ui_calendar	*c = v->data;

	if (c->n_entries == 0) {
		ui_message("no events here; ] and [ change the %s",
		    ui_calendar_mode_name(c->mode));
		return;
	}
	if (n < 0) {
		if (c->cursor == 0)
			ui_message("first event of this %s",
			    ui_calendar_mode_name(c->mode));
		c->cursor = (size_t)-n > c->cursor ? 0 : c->cursor -
		    (size_t)-n;
		return;
	}
	if (c->cursor + (size_t)n >= c->n_entries) {
		if (c->cursor == c->n_entries - 1)
			ui_message("last event of this %s",
			    ui_calendar_mode_name(c->mode));
		c->cursor = c->n_entries - 1;
	} else
		c->cursor += (size_t)n;
}

/* A page is a period. */
static void
ui_calendar_page(struct ui_view *v, int n)
{
	(void)v;
	(void)ui_calendar_step(n, NULL);
}

static void
ui_calendar_first(struct ui_view *v)
{
	struct ui_calendar	*c = v->data;

	c->cursor = 0;
}

static void
ui_calendar_last(struct ui_view *v)
{
	struct ui_calendar	*c = v->data;

	c->cursor = c->n_entries > 0 ? c->n_entries - 1 : 0;
}

/*
 * The Message-ID of the message the entry at the cursor came from: the
 * instance's own (an exception sent on its own) or the event's.  NULL
 * with *cause when there is none.
 */
static char *
ui_calendar_message_id(struct ui_calendar *c, char **cause)
{
	const struct cal_occurrence *o;
	const struct cal_cal	*cal;
	struct cal_event	*ev;
	size_t			 n, i;
	char			*id = NULL;

	if (c->cursor >= c->n_entries) {
		xcause(cause, "no event here");
		return (NULL);
	}
	o = &c->occ[c->entries[c->cursor].occ];
	if (o->uid == NULL || (cal = cal_calstore_get(c->cs, o->uid)) ==
	    NULL) {
		xcause(cause, "this event is no longer in the calendar");
		return (NULL);
	}
	cal_ical_events(cal, &ev, &n);
	for (i = 0; i < n && id == NULL; i++) {
		if (ev[i].message_id != NULL && ev[i].rid != -1 &&
		    ev[i].rid == o->rid)
			id = xstrdup(ev[i].message_id);
	}
	for (i = 0; i < n && id == NULL; i++) {
		if (ev[i].message_id != NULL)
			id = xstrdup(ev[i].message_id);
	}
	cal_ical_events_free(ev, n);
	if (id == NULL)
		xcause(cause, "this event did not come with a message");
	return (id);
}

static int
ui_calendar_open(struct ui_view *v, char **cause)
{
	char	*id;
	int	 rc;

	if ((id = ui_calendar_message_id(v->data, cause)) == NULL)
		return (-1);
	rc = ui_calendar_open_message(id, cause);
	free(id);
	return (rc);
}

/* The message the event at the cursor came from, so that commands
 * (rsvp, tag, archive) act on it; with thread set, its thread. */
static char *
ui_calendar_target(struct ui_view *v, int thread, char **cause)
{
	struct store_message	 m;
	char			*id, *q;

	if ((id = ui_calendar_message_id(v->data, cause)) == NULL)
		return (NULL);
	if (!thread) {
		q = store_query_term("id", id);
		free(id);
		return (q);
	}
	if (store_index_find_message(ui_index(), id, &m, NULL) != STORE_OK) {
		xcause(cause, "message <%s> is not in the index", id);
		free(id);
		return (NULL);
	}
	q = store_query_term("thread", m.thread_id);
	store_message_release(&m);
	free(id);
	return (q);
}

static void
ui_calendar_status(struct ui_view *v, struct buf *b)
{
	struct ui_calendar	*c = v->data;
	const struct ui_calendar_entry *en;
	const char		*words;
	char			 when[32];

	buf_printf(b, " calendar: %s", ui_calendar_mode_name(c->mode));
	if (c->cursor >= c->n_entries) {
		buf_addstr(b, "  no events");
		return;
	}
	en = &c->entries[c->cursor];
	buf_addstr(b, "  ");
	ui_calendar_strftime(b, UI_CALENDAR_DATE, c->days[en->day].start);
	ui_calendar_when(when, sizeof when, &c->occ[en->occ],
	    &c->days[en->day]);
	buf_printf(b, " %s ", when);
	ui_calendar_title(b, &c->occ[en->occ]);
	if ((words = ui_calendar_mark_words(c, en->occ)) != NULL)
		buf_printf(b, "  [%s]", words);
	buf_printf(b, "  %zu of %zu", c->cursor + 1, c->n_entries);
}

static void
ui_calendar_free(struct ui_view *v)
{
	struct ui_calendar	*c = v->data, **p;

	for (p = &ui_calendar_views; *p != NULL; p = &(*p)->below) {
		if (*p == c) {
			*p = c->below;
			break;
		}
	}
	ui_calendar_destroy(c);
}

/* After the index changed (new mail may have brought invitations). */
static void
ui_calendar_reload(struct ui_view *v, int clear)
{
	struct ui_calendar	*c = v->data;
	char			*cause = NULL;

	(void)clear;
	if (cal_calstore_reload(c->cs, &cause) != 0) {
		ui_error("%s", cause);
		free(cause);
	}
	ui_calendar_dir_time(c->cs, &c->mtime);
	ui_calendar_reread(c);
}
