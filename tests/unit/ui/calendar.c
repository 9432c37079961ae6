/*
 * tests/unit/ui/calendar.c: the calendar's layout without a terminal:
 * dates (parsing, days and months on, weeks, periods) across DST changes
 * and month ends in New York and Tokyo, the days an occurrence shows on,
 * its time label, columns, what fits a cell, and the agenda text that
 * "satchel agenda" prints, with hostile summaries.
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core.h"
#include "cal/cal.h"
#include "ui/ui.h"
#include "tests/unit/tap.h"

static void
set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

/* "2027-03-14 00:00" for a local time. */
static const char *
fmt(time_t t)
{
	static char	 out[64];
	struct tm	 tm;

	if (t == -1)
		return ("-1");
	localtime_r(&t, &tm);
	strftime(out, sizeof out, "%Y-%m-%d %H:%M %a", &tm);
	return (out);
}

static time_t
day(const char *s)
{
	time_t	 t = ui_calendar_parse_day(s);

	if (t == -1)
		fatalx("bad test date %s", s);
	return (t);
}

static time_t
utc(int y, int mo, int d, int h, int mi)
{
	struct tm	 tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	return (timegm(&tm));
}

static void
test_parse(void)
{
	set_tz("America/New_York");
	is_str(fmt(ui_calendar_parse_day("2027-03-14")), "2027-03-14 00:00 Sun",
	    "a DST day starts at midnight");
	is_str(fmt(ui_calendar_parse_day("2027-3-8")), "2027-03-08 00:00 Mon",
	    "one-digit month and day");
	is_str(fmt(ui_calendar_parse_day("2028-02-29")), "2028-02-29 00:00 Tue",
	    "29 February in a leap year");
	ok(ui_calendar_parse_day("2027-02-29") == -1, "no 29 February 2027");
	ok(ui_calendar_parse_day("2027-02-30") == -1, "no 30 February");
	ok(ui_calendar_parse_day("2027-04-31") == -1, "no 31 April");
	ok(ui_calendar_parse_day("2027-13-01") == -1, "no month 13");
	ok(ui_calendar_parse_day("2027-00-10") == -1, "no month 0");
	ok(ui_calendar_parse_day("2027-01-00") == -1, "no day 0");
	ok(ui_calendar_parse_day("27-01-01") == -1, "two-digit year");
	ok(ui_calendar_parse_day("2027-01-01x") == -1, "trailing text");
	ok(ui_calendar_parse_day(" 2027-01-01") == -1, "leading space");
	ok(ui_calendar_parse_day("2027-001-01") == -1, "three-digit month");
	ok(ui_calendar_parse_day("+027-01-01") == -1, "a sign");
	ok(ui_calendar_parse_day("") == -1, "empty");
	ok(ui_calendar_parse_day("tomorrow") == -1, "words");
	ok(ui_calendar_parse_day("1899-12-31") == -1, "before 1900");
}

static void
test_days_months(void)
{
	time_t	 t;

	set_tz("America/New_York");
	/* US DST starts 14 March 2027: that day has 23 hours. */
	t = day("2027-03-13");
	is_str(fmt(ui_calendar_add_days(t, 1)), "2027-03-14 00:00 Sun",
	    "a day on, into the DST day");
	is_str(fmt(ui_calendar_add_days(t, 2)), "2027-03-15 00:00 Mon",
	    "two days on, over the DST change");
	is_int(ui_calendar_add_days(t, 2) - ui_calendar_add_days(t, 1), 23 *
	    3600, "the DST day is 23 hours long");
	is_str(fmt(ui_calendar_add_days(day("2027-11-08"), -1)),
	    "2027-11-07 00:00 Sun", "a day back, into the day DST ends");
	is_int(ui_calendar_add_days(day("2027-11-07"), 1) -
	    day("2027-11-07"), 25 * 3600, "the day DST ends is 25 hours");
	is_str(fmt(ui_calendar_add_days(day("2027-03-14") + 12 * 3600, 0)),
	    "2027-03-14 00:00 Sun", "noon to its midnight");
	is_str(fmt(ui_calendar_add_days(day("2026-12-31"), 1)),
	    "2027-01-01 00:00 Fri", "over the year's end");
	is_str(fmt(ui_calendar_add_days(day("2027-03-01"), -1)),
	    "2027-02-28 00:00 Sun", "back over February's end");

	is_str(fmt(ui_calendar_add_months(day("2027-01-31"), 1)),
	    "2027-02-28 00:00 Sun", "31 January + 1 month");
	is_str(fmt(ui_calendar_add_months(day("2028-01-31"), 1)),
	    "2028-02-29 00:00 Tue", "31 January + 1 month, leap year");
	is_str(fmt(ui_calendar_add_months(day("2027-03-31"), -1)),
	    "2027-02-28 00:00 Sun", "31 March - 1 month");
	is_str(fmt(ui_calendar_add_months(day("2027-12-15"), 1)),
	    "2028-01-15 00:00 Sat", "December + 1 month");
	is_str(fmt(ui_calendar_add_months(day("2027-01-15"), -1)),
	    "2026-12-15 00:00 Tue", "January - 1 month");
	is_str(fmt(ui_calendar_add_months(day("2027-01-15"), -13)),
	    "2025-12-15 00:00 Mon", "January - 13 months");
	is_str(fmt(ui_calendar_add_months(day("2027-02-14"), 1)),
	    "2027-03-14 00:00 Sun", "a month on, onto the DST day");
	is_str(fmt(ui_calendar_add_months(day("2027-05-31"), 24)),
	    "2029-05-31 00:00 Thu", "two years on");
}

static void
test_weeks_periods(void)
{
	time_t	 first;
	int	 n;

	set_tz("America/New_York");
	is_str(fmt(ui_calendar_week_of(day("2027-03-14"), 1)),
	    "2027-03-08 00:00 Mon", "a Sunday's week from Monday");
	is_str(fmt(ui_calendar_week_of(day("2027-03-14"), 0)),
	    "2027-03-14 00:00 Sun", "a Sunday's week from Sunday");
	is_str(fmt(ui_calendar_week_of(day("2027-03-15") + 3600, 1)),
	    "2027-03-15 00:00 Mon", "a Monday's week from Monday");
	is_str(fmt(ui_calendar_week_of(day("2027-03-01"), 6)),
	    "2027-02-27 00:00 Sat", "from Saturday, into February");

	ui_calendar_period(UI_CALENDAR_AGENDA, day("2027-03-10") + 7200, 1,
	    7, &first, &n);
	ok(first == day("2027-03-10") && n == 7, "agenda: the day, 7 days");
	ui_calendar_period(UI_CALENDAR_DAY, day("2027-03-14") + 7200, 1, 7,
	    &first, &n);
	ok(first == day("2027-03-14") && n == 1, "day: the day");
	ui_calendar_period(UI_CALENDAR_WEEK, day("2027-03-14"), 1, 7, &first,
	    &n);
	ok(first == day("2027-03-08") && n == 7, "week from Monday");
	ui_calendar_period(UI_CALENDAR_MONTH, day("2027-03-20"), 1, 7, &first,
	    &n);
	ok(first == day("2027-03-01") && n == 42, "March 2027 starts on a "
	    "Monday");
	ui_calendar_period(UI_CALENDAR_MONTH, day("2027-06-30"), 1, 7, &first,
	    &n);
	is_str(fmt(first), "2027-05-31 00:00 Mon", "June 2027 from Monday");
	ui_calendar_period(UI_CALENDAR_MONTH, day("2027-06-30"), 0, 7, &first,
	    &n);
	is_str(fmt(first), "2027-05-30 00:00 Sun", "June 2027 from Sunday");
	is_str(fmt(ui_calendar_add_days(first, n)), "2027-07-11 00:00 Sun",
	    "six weeks later");

	is_str(fmt(ui_calendar_period_step(UI_CALENDAR_WEEK, day("2027-03-08"),
	    7, 1)), "2027-03-15 00:00 Mon", "next week over DST");
	is_str(fmt(ui_calendar_period_step(UI_CALENDAR_WEEK, day("2027-11-08"),
	    7, -1)), "2027-11-01 00:00 Mon", "previous week over DST's end");
	is_str(fmt(ui_calendar_period_step(UI_CALENDAR_DAY, day("2027-03-14"),
	    7, 1)), "2027-03-15 00:00 Mon", "next day after the 23-hour one");
	is_str(fmt(ui_calendar_period_step(UI_CALENDAR_AGENDA,
	    day("2027-03-10"), 5, 2)), "2027-03-20 00:00 Sat",
	    "two agendas of 5 days");
	is_str(fmt(ui_calendar_period_step(UI_CALENDAR_MONTH, day("2027-01-31"),
	    7, 1)), "2027-02-28 00:00 Sun", "next month from the 31st");
	is_str(fmt(ui_calendar_period_step(UI_CALENDAR_MONTH, day("2027-01-31"),
	    7, -1)), "2026-12-31 00:00 Thu", "previous month from the 31st");

	is_int(ui_calendar_mode_from_name("week"), UI_CALENDAR_WEEK, "week");
	is_int(ui_calendar_mode_from_name("Month"), -1, "names are lowercase");
	is_str(ui_calendar_mode_name(UI_CALENDAR_AGENDA), "agenda", "agenda");

	/* Tokyo has no DST: every day is 24 hours. */
	set_tz("Asia/Tokyo");
	is_int(ui_calendar_add_days(day("2027-03-14"), 1) - day("2027-03-14"),
	    24 * 3600, "Tokyo: 14 March has 24 hours");
	is_str(fmt(ui_calendar_week_of(day("2027-03-10"), 1)),
	    "2027-03-08 00:00 Mon", "Tokyo: the week");
}

static struct cal_occurrence
occ(const char *summary, time_t start, time_t end, int all_day)
{
	struct cal_occurrence	 o;

	memset(&o, 0, sizeof o);
	o.summary = (char *)summary;
	o.start = start;
	o.end = end;
	o.all_day = all_day;
	o.rid = -1;
	return (o);
}

static void
test_layout(void)
{
	struct cal_occurrence	 o[6];
	struct ui_calendar_day	*d;
	char			 when[32];
	time_t			 first;

	set_tz("America/New_York");
	first = day("2027-03-15");
	/* Sorted by start as the store sorts them. */
	o[0] = occ("Conference", day("2027-03-15"), day("2027-03-18"), 1);
	o[1] = occ("Standup", utc(2027, 3, 15, 8, 0), utc(2027, 3, 15, 8, 30),
	    0);
	o[2] = occ("Late deploy", utc(2027, 3, 17, 3, 0), utc(2027, 3, 17, 6,
	    0), 0);
	o[3] = occ("Reminder", utc(2027, 3, 17, 16, 0), utc(2027, 3, 17, 16,
	    0), 0);
	o[4] = occ("Holiday", day("2027-03-19"), day("2027-03-19"), 1);
	o[5] = occ("Marathon", utc(2027, 3, 19, 12, 0), utc(2027, 3, 21, 12,
	    0), 0);
	d = ui_calendar_days(first, 7, o, 6);
	is_int(d[0].n, 2, "Monday: the conference and the standup");
	ok(d[0].n == 2 && d[0].occ[0] == 0 && d[0].occ[1] == 1,
	    "all-day first");
	is_int(d[1].n, 2, "Tuesday: conference, deploy from 23:00");
	ok(d[1].n == 2 && d[1].occ[1] == 2, "Tuesday: the deploy");
	is_int(d[2].n, 3, "Wednesday: conference, deploy, reminder");
	is_int(d[3].n, 0, "Thursday: the conference has ended");
	is_int(d[4].n, 2, "Friday: the holiday without end, the marathon");
	is_int(d[5].n, 1, "Saturday: the marathon");
	is_int(d[6].n, 1, "Sunday: the marathon until noon");
	is_str(fmt(d[6].end), "2027-03-22 00:00 Mon", "the last day's end");

	ui_calendar_when(when, sizeof when, &o[1], &d[0]);
	is_str(when, "04:00-04:30", "standup at 04:00 EDT");
	ui_calendar_when(when, sizeof when, &o[0], &d[1]);
	is_str(when, "all day", "all day");
	ui_calendar_when(when, sizeof when, &o[2], &d[1]);
	is_str(when, "23:00-...", "deploy goes on to Wednesday");
	ui_calendar_when(when, sizeof when, &o[2], &d[2]);
	is_str(when, "...-02:00", "deploy from Tuesday");
	ui_calendar_when(when, sizeof when, &o[3], &d[2]);
	is_str(when, "12:00-12:00", "an instant");
	ui_calendar_when(when, sizeof when, &o[5], &d[5]);
	is_str(when, "...", "the whole of Saturday");
	ui_calendar_days_free(d, 7);

	/* The same in Tokyo: the deploy is on Wednesday afternoon only. */
	set_tz("Asia/Tokyo");
	first = day("2027-03-15");
	o[0] = occ("Conference", day("2027-03-15"), day("2027-03-18"), 1);
	d = ui_calendar_days(first, 7, o, 4);
	is_int(d[1].n, 1, "Tokyo Tuesday: the conference only");
	is_int(d[2].n, 2, "Tokyo Wednesday: conference, deploy (the "
	    "reminder is at 01:00 on Thursday)");
	ui_calendar_when(when, sizeof when, &o[2], &d[2]);
	is_str(when, "12:00-15:00", "Tokyo: deploy at noon");
	ui_calendar_when(when, sizeof when, &o[1], &d[0]);
	is_str(when, "17:00-17:30", "Tokyo: standup at 17:00");
	ui_calendar_days_free(d, 7);
	ui_calendar_days_free(NULL, 3);
}

static void
test_cells(void)
{
	int	 x[7], w[7], h[5] = { 1, 2, 2, 1, 1 }, ones[4] = { 1, 1, 1, 1 };

	ui_calendar_columns(80, 7, x, w);
	ok(w[0] == 10 && w[2] == 10 && w[3] == 11 && w[6] == 11,
	    "80 columns: 10 or 11 cells, the wider ones right");
	ok(x[1] == 11 && x[3] == 33 && x[6] == 69 && x[6] + w[6] == 80,
	    "80 columns: the lines between fit exactly");
	ui_calendar_columns(160, 7, x, w);
	ok(w[0] == 22 && w[6] == 22 && x[6] == 138 && x[6] + w[6] == 160,
	    "160 columns: 22 cells each");
	ui_calendar_columns(5, 7, x, w);
	ok(w[0] == 1 && w[6] == 1, "too narrow: one cell each");

	is_int(ui_calendar_fit(ones, 4, 4), 4, "four in four lines");
	is_int(ui_calendar_fit(ones, 4, 3), 2, "two and +2 more");
	is_int(ui_calendar_fit(ones, 4, 1), 0, "only +4 more");
	is_int(ui_calendar_fit(ones, 4, 0), 0, "no lines");
	is_int(ui_calendar_fit(ones, 0, 3), 0, "nothing");
	is_int(ui_calendar_fit(h, 5, 7), 5, "two-line entries fit");
	is_int(ui_calendar_fit(h, 5, 6), 3, "1+2+2 and +2 more");
	is_int(ui_calendar_fit(h, 5, 4), 2, "1+2 and +3 more");
	is_int(ui_calendar_fit(h, 5, 3), 1, "a two-line entry does not fit");
}

static void
test_agenda_text(void)
{
	struct cal_occurrence	 o[4];
	struct buf		 b;

	set_tz("America/New_York");
	o[0] = occ("Holiday", day("2027-03-12"), day("2027-03-13"), 1);
	o[1] = occ("Weekly sync", utc(2027, 3, 12, 18, 0), utc(2027, 3, 12,
	    19, 0), 0);
	o[1].location = (char *)"Room 1";
	o[2] = occ("Bad \x1b]0;title\x07 \xe2\x80\xae" "evil", utc(2027, 3, 13,
	    3, 30), utc(2027, 3, 13, 6, 0), 0);
	o[3] = occ(NULL, utc(2027, 3, 16, 12, 0), utc(2027, 3, 16, 13, 0), 0);
	buf_init(&b);
	ui_calendar_agenda_text(&b, o, 4, day("2027-03-12"), 7);
	is_str(b.data,
	    "Fri 2027-03-12\n"
	    "  all day        Holiday\n"
	    "  13:00-14:00    Weekly sync (Room 1)\n"
	    "  22:30-...      Bad ]0;title evil\n"
	    "\n"
	    "Sat 2027-03-13\n"
	    "  ...-01:00      Bad ]0;title evil\n"
	    "\n"
	    "Tue 2027-03-16\n"
	    "  08:00-09:00    (no title)\n",
	    "agenda text, controls and bidi gone");
	buf_release(&b);
	buf_init(&b);
	ui_calendar_agenda_text(&b, o, 4, day("2027-03-20"), 7);
	is_str(b.data, "", "nothing in the period: no text");
	buf_release(&b);
}

int
main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	text_init();
	test_parse();
	test_days_months();
	test_weeks_periods();
	test_layout();
	test_cells();
	test_agenda_text();
	return (tap_done());
}
