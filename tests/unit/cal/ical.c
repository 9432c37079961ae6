/*
 * tests/unit/cal/ical.c: parsing, zones, recurrence and REPLY.  The
 * corpus parts need ../shared/corpus and are skipped (visibly) without it;
 * the rest runs from the project alone.  TZ is UTC (the harness sets it).
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "core/core.h"
#include "cal/cal.h"
#include "tests/unit/tap.h"

static char *corpus;

/* 2027-02-04 10:00 Pacific, weekly on Thursday, 10 times, one EXDATE (18
 * Feb) and 11 Mar moved to Fri 12 Mar 14:00 (LIBRARIES.md section 5). */
static const char invite_vtz[] =
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Pacific Standard Time\r\n"
    "BEGIN:STANDARD\r\n"
    "DTSTART:16010101T020000\r\n"
    "TZOFFSETFROM:-0700\r\n"
    "TZOFFSETTO:-0800\r\n"
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=11\r\n"
    "END:STANDARD\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "DTSTART:16010101T020000\r\n"
    "TZOFFSETFROM:-0800\r\n"
    "TZOFFSETTO:-0700\r\n"
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=2SU;BYMONTH=3\r\n"
    "END:DAYLIGHT\r\n"
    "END:VTIMEZONE\r\n";
static const char invite_events[] =
    "BEGIN:VEVENT\r\n"
    "UID:weekly-1@example.test\r\n"
    "SEQUENCE:0\r\n"
    "DTSTAMP:20270101T000000Z\r\n"
    "SUMMARY:Weekly\r\n"
    "ORGANIZER;CN=Olga:mailto:olga@example.test\r\n"
    "ATTENDEE;CN=Alice;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:"
    "mailto:alice@example.test\r\n"
    "DTSTART;TZID=\"Pacific Standard Time\":20270204T100000\r\n"
    "DTEND;TZID=\"Pacific Standard Time\":20270204T110000\r\n"
    "RRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=10\r\n"
    "EXDATE;TZID=\"Pacific Standard Time\":20270218T100000\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:weekly-1@example.test\r\n"
    "SEQUENCE:0\r\n"
    "DTSTAMP:20270101T000000Z\r\n"
    "SUMMARY:Weekly (moved)\r\n"
    "RECURRENCE-ID;TZID=\"Pacific Standard Time\":20270311T100000\r\n"
    "DTSTART;TZID=\"Pacific Standard Time\":20270312T140000\r\n"
    "DTEND;TZID=\"Pacific Standard Time\":20270312T150000\r\n"
    "END:VEVENT\r\n";

static char *
invite(int with_vtz, const char *method)
{
	char	*s;

	xasprintf(&s, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
	    "%s%s%s%s%sEND:VCALENDAR\r\n", method != NULL ? "METHOD:" : "",
	    method != NULL ? method : "", method != NULL ? "\r\n" : "",
	    with_vtz ? invite_vtz : "", invite_events);
	return (s);
}

static time_t
utc(const char *s)
{
	struct tm	 tm;

	memset(&tm, 0, sizeof tm);
	if (strlen(s) >= 15)
		sscanf(s, "%4d%2d%2dT%2d%2d%2d", &tm.tm_year, &tm.tm_mon,
		    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec);
	else
		sscanf(s, "%4d%2d%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
	tm.tm_year -= 1900;
	tm.tm_mon--;
	return (timegm(&tm));
}

static struct cal_cal *
parse_str(const char *s)
{
	char		*cause = NULL;
	struct cal_cal	*cal;

	cal = cal_ical_parse(s, strlen(s), &cause);
	if (cal == NULL)
		diag("parse: %s", cause);
	free(cause);
	return (cal);
}

static void
test_malformed(void)
{
	static const char *bad[] = {
		"",
		"hello world",
		"BEGIN:VCALENDAR",
		"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:garbage\r\n",
		"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nRRULE:FREQ=NONSENSE;"
		    "COUNT=-5\nDTSTART:20200101T000000\nEND:VEVENT\n"
		    "END:VCALENDAR\n",
		"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART;TZID=:2020\n"
		    "DTEND;TZID=\"\"\"\":x\nEND:VEVENT\nEND:VCALENDAR\n",
		"END:VCALENDAR\nEND:VEVENT\n",
		"BEGIN:VEVENT\nUID:lonely\nDTSTART:20200101T100000Z\n"
		    "END:VEVENT\n",
	};
	struct cal_cal	*cal;
	struct cal_event *ev;
	struct cal_occurrence *occ = NULL;
	struct buf	 b;
	char		*cause = NULL, nul[] = "BEGIN:VCALENDAR\0x";
	size_t		 i, n, nocc = 0;
	int		 survived = 1;

	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		cal = cal_ical_parse(bad[i], strlen(bad[i]), &cause);
		if (cal == NULL) {
			if (cause == NULL || *cause == '\0')
				survived = 0;
			free(cause);
			cause = NULL;
			continue;
		}
		cal_ical_events(cal, &ev, &n);
		cal_ical_events_free(ev, n);
		(void)cal_ical_expand(cal, 0, utc("20300101"), &occ, &nocc,
		    NULL);
		cal_ical_occurrences_free(occ, nocc);
		occ = NULL;
		nocc = 0;
		cal_ical_free(cal);
	}
	ok(survived, "malformed texts: no crash, a cause for each failure");

	cal = cal_ical_parse("hello", 5, &cause);
	ok(cal == NULL && cause != NULL && strncmp(cause, "not iCalendar",
	    13) == 0, "plain text is not iCalendar");
	free(cause);
	cause = NULL;
	cal = cal_ical_parse(nul, sizeof nul - 1, &cause);
	ok(cal == NULL && cause != NULL && strstr(cause, "NUL") != NULL,
	    "a NUL byte is refused");
	free(cause);
	cause = NULL;

	cal = parse_str(bad[7]);
	ok(cal != NULL && strcmp(cal_ical_uid(cal), "lonely") == 0,
	    "a bare VEVENT is wrapped in a calendar");
	cal_ical_free(cal);

	/* One past the component limit fails before libical sees it. */
	buf_init(&b);
	buf_addstr(&b, "BEGIN:VCALENDAR\n");
	for (i = 0; i < CAL_MAX_COMPONENTS; i++)
		buf_addstr(&b, "BEGIN:VTODO\nUID:x\nEND:VTODO\n");
	buf_addstr(&b, "END:VCALENDAR\n");
	cal = cal_ical_parse(b.data, b.len, &cause);
	ok(cal == NULL && cause != NULL && strstr(cause, "too many") != NULL,
	    "over CAL_MAX_COMPONENTS fails loudly");
	free(cause);
	cause = NULL;
	buf_release(&b);
	cal = cal_ical_parse("x", CAL_MAX_TEXT + 1, &cause);
	ok(cal == NULL && cause != NULL && strstr(cause, "too large") != NULL,
	    "over CAL_MAX_TEXT fails before reading");
	free(cause);
}

/* The weekly Pacific invitation: instants across the DST change. */
static void
test_invite(int with_vtz)
{
	struct cal_cal	*cal;
	struct cal_event *ev;
	struct cal_occurrence *occ = NULL;
	size_t		 n, nocc = 0, i;
	char		*s, name[128];
	const char	*what = with_vtz ? "with VTIMEZONE" : "Windows TZID alone";
	struct tm	 tm;
	static const char *want[] = { "20270204T180000Z", "20270211T180000Z",
	    "20270225T180000Z", "20270304T180000Z", "20270312T220000Z",
	    "20270318T170000Z", "20270325T170000Z", "20270401T170000Z",
	    "20270408T170000Z" };
	int		 same;

	s = invite(with_vtz, "REQUEST");
	cal = parse_str(s);
	free(s);
	if (!ok(cal != NULL, "invitation parses")) {
		return;
	}
	ok(cal_ical_warnings(cal) == NULL, "no unresolved zone");
	ok(cal_ical_method(cal) == CAL_METHOD_REQUEST, "METHOD:REQUEST");
	cal_ical_events(cal, &ev, &n);
	is_int(n, 2, "master and override");
	if (n == 2) {
		snprintf(name, sizeof name, "%s: DTSTART 10:00 PST is 18:00Z",
		    what);
		is_int(ev[0].start, utc("20270204T180000"), name);
		is_int(ev[0].end - ev[0].start, 3600, "one hour");
		is_str(ev[0].tzid, "Pacific Standard Time", "original zone");
		ok(!ev[0].floating && !ev[0].all_day, "zoned, not floating");
		is_str(ev[0].rrule, "every week on Thursday, 10 times",
		    "rrule in words");
		is_str(ev[0].organizer, "olga@example.test", "organizer");
		is_int(ev[0].n_attendees, 1, "one attendee");
		ok(ev[0].n_attendees == 1 && ev[0].attendees[0].partstat ==
		    CAL_PARTSTAT_NEEDS_ACTION && strcmp(ev[0].attendees[0].cn,
		    "Alice") == 0 && strcmp(ev[0].attendees[0].role,
		    "REQ-PARTICIPANT") == 0, "attendee CN, role, PARTSTAT");
		snprintf(name, sizeof name, "%s: RECURRENCE-ID keeps its "
		    "zone (pitfall 1)", what);
		is_int(ev[1].rid, utc("20270311T180000"), name);
		snprintf(name, sizeof name, "%s: the organizer's wall time "
		    "is Thu 10:00", what);
		ok(cal_ical_zone_time(cal, ev[0].tzid, ev[0].start, &tm) ==
		    0 && tm.tm_hour == 10 && tm.tm_min == 0 &&
		    tm.tm_mday == 4 && tm.tm_mon == 1 && tm.tm_wday == 4,
		    name);
		ok(cal_ical_zone_time(cal, ev[0].tzid,
		    utc("20270318T170000"), &tm) == 0 && tm.tm_hour == 10,
		    "10:00 again after the change to summer time");
	}
	cal_ical_events_free(ev, n);
	ok(cal_ical_expand(cal, utc("20270101"), utc("20280101"), &occ, &nocc,
	    NULL) == 0, "expands");
	cal_ical_occurrences_sort(occ, nocc);
	snprintf(name, sizeof name, "%s: 9 instances (COUNT counts the "
	    "EXDATE)", what);
	is_int(nocc, 9, name);
	same = nocc == 9;
	for (i = 0; i < nocc && i < 9; i++) {
		if (occ[i].start != utc(want[i])) {
			diag("instance %zu: %lld, want %s", i,
			    (long long)occ[i].start, want[i]);
			same = 0;
		}
	}
	snprintf(name, sizeof name, "%s: 18:00Z before 14 Mar, 17:00Z after, "
	    "override at 22:00Z", what);
	ok(same, name);
	cal_ical_occurrences_free(occ, nocc);

	/* A window that holds only the moved instance's original date. */
	occ = NULL;
	nocc = 0;
	(void)cal_ical_expand(cal, utc("20270311"), utc("20270312"), &occ,
	    &nocc, NULL);
	is_int(nocc, 0, "the moved instance is not on its old day");
	cal_ical_occurrences_free(occ, nocc);
	cal_ical_free(cal);
}

static void
test_unknown_zone(void)
{
	struct cal_cal	*cal;
	struct cal_event *ev;
	struct tm	 tm;
	size_t		 n;

	cal = parse_str("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:u\n"
	    "DTSTART;TZID=Nowhere Standard Time:20270101T100000\n"
	    "END:VEVENT\nEND:VCALENDAR\n");
	if (cal == NULL)
		return;
	ok(cal_ical_warnings(cal) != NULL && strstr(cal_ical_warnings(cal),
	    "Nowhere Standard Time") != NULL, "unknown zone is a warning");
	cal_ical_events(cal, &ev, &n);
	ok(n == 1 && ev[0].warnings != NULL && ev[0].floating,
	    "... on the event, which is floating and says so");
	ok(cal_ical_zone_time(cal, "Nowhere Standard Time", 0, &tm) == -1,
	    "no wall time in a zone nobody knows");
	cal_ical_events_free(ev, n);
	cal_ical_free(cal);

	cal = parse_str("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:u\n"
	    "DTSTART;TZID=Europe/Berlin:20270701T100000\n"
	    "END:VEVENT\nEND:VCALENDAR\n");
	if (cal == NULL)
		return;
	cal_ical_events(cal, &ev, &n);
	ok(n == 1 && ev[0].start == utc("20270701T080000") &&
	    ev[0].warnings == NULL, "IANA zone from tzdata (CEST)");
	cal_ical_events_free(ev, n);
	cal_ical_free(cal);
}

static void
test_reply(void)
{
	struct cal_cal	*req;
	char		*s, *reply, *cause = NULL;
	icalcomponent	*top, *ev;
	icalproperty	*p;
	icalparameter	*a;

	s = invite(0, "REQUEST");
	req = parse_str(s);
	free(s);
	if (req == NULL)
		return;
	reply = cal_ical_reply(req, "alice@example.test",
	    CAL_PARTSTAT_ACCEPTED, "see you", utc("20270120T120000"), &cause);
	ok(reply != NULL, "REPLY built");
	if (reply == NULL) {
		diag("%s", cause);
		free(cause);
		cal_ical_free(req);
		return;
	}
	top = icalparser_parse_string(reply);
	ok(top != NULL && icalproperty_get_method(
	    icalcomponent_get_first_property(top, ICAL_METHOD_PROPERTY)) ==
	    ICAL_METHOD_REPLY, "libical reads METHOD:REPLY back");
	ev = icalcomponent_get_first_component(top, ICAL_VEVENT_COMPONENT);
	is_str(icalcomponent_get_uid(ev), "weekly-1@example.test", "same UID");
	is_int(icalcomponent_get_sequence(ev), 0, "same SEQUENCE");
	p = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY);
	is_str(icalproperty_get_attendee(p), "mailto:alice@example.test",
	    "our ATTENDEE");
	a = icalproperty_get_first_parameter(p, ICAL_PARTSTAT_PARAMETER);
	ok(a != NULL && icalparameter_get_partstat(a) ==
	    ICAL_PARTSTAT_ACCEPTED, "PARTSTAT=ACCEPTED");
	a = icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER);
	ok(a != NULL && strcmp(icalparameter_get_cn(a), "Alice") == 0,
	    "the CN the request gave us");
	ok(icalcomponent_get_first_property(ev, ICAL_DTSTAMP_PROPERTY) !=
	    NULL && icalcomponent_get_first_property(ev,
	    ICAL_ORGANIZER_PROPERTY) != NULL, "DTSTAMP and ORGANIZER");
	ok(icalcomponent_get_first_property(ev, ICAL_RECURRENCEID_PROPERTY) ==
	    NULL, "no RECURRENCE-ID for the series");
	ok(icalcomponent_get_timezone(top, "Pacific Standard Time") != NULL,
	    "the VTIMEZONE of the request's zone travels along");
	ok(strstr(reply, "COMMENT:see you") != NULL, "COMMENT");
	icalcomponent_free(top);
	free(reply);
	cal_ical_free(req);

	/* An exception invitation: the reply names the instance. */
	req = parse_str("BEGIN:VCALENDAR\nMETHOD:REQUEST\nBEGIN:VEVENT\n"
	    "UID:x1\nSEQUENCE:3\nRECURRENCE-ID:20270311T180000Z\n"
	    "DTSTART:20270312T210000Z\nORGANIZER:mailto:o@example.test\n"
	    "ATTENDEE:mailto:a@example.test\nEND:VEVENT\nEND:VCALENDAR\n");
	reply = cal_ical_reply(req, "a@example.test", CAL_PARTSTAT_DECLINED,
	    NULL, 0, NULL);
	top = reply != NULL ? icalparser_parse_string(reply) : NULL;
	ev = top != NULL ? icalcomponent_get_first_component(top,
	    ICAL_VEVENT_COMPONENT) : NULL;
	ok(ev != NULL && icalcomponent_get_sequence(ev) == 3 &&
	    icaltime_compare(icalcomponent_get_recurrenceid(ev),
	    icaltime_from_string("20270311T180000Z")) == 0,
	    "exception reply: SEQUENCE and RECURRENCE-ID");
	ok(reply != NULL && strstr(reply, "PARTSTAT=DECLINED") != NULL,
	    "PARTSTAT=DECLINED");
	if (top != NULL)
		icalcomponent_free(top);
	free(reply);
	ok(cal_ical_reply(req, "", CAL_PARTSTAT_ACCEPTED, NULL, 0, NULL) ==
	    NULL, "no address: no reply");
	cal_ical_free(req);
}

static void
test_words(void)
{
	char	*s;

	s = cal_ical_rrule_words("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;"
	    "UNTIL=20270301T000000Z");
	is_str(s, "every 2 weeks on Monday, Thursday until 2027-03-01",
	    "words: interval, days, until");
	free(s);
	s = cal_ical_rrule_words("FREQ=MONTHLY;BYDAY=-1FR");
	is_str(s, "every month on the last Friday", "words: last Friday");
	free(s);
	s = cal_ical_rrule_words("FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=2;COUNT=1");
	is_str(s, "every year on day 2nd in June, 1 time", "words: yearly");
	free(s);
	ok(cal_ical_rrule_words("FREQ=BOGUS") == NULL, "words: unreadable");
}

/* RANGE=THISANDFUTURE, an override without its master, floating and
 * all-day times in the local zone. */
static void
test_edges(void)
{
	struct cal_cal	*cal;
	struct cal_occurrence *occ = NULL;
	struct cal_event *ev;
	size_t		 n = 0;

	cal = parse_str("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:f\n"
	    "SUMMARY:Old\nDTSTART:20270104T090000Z\nDTEND:20270104T100000Z\n"
	    "RRULE:FREQ=DAILY;COUNT=5\nEND:VEVENT\nBEGIN:VEVENT\nUID:f\n"
	    "SUMMARY:New\nRECURRENCE-ID;RANGE=THISANDFUTURE:20270106T090000Z\n"
	    "DTSTART:20270106T110000Z\nDTEND:20270106T113000Z\nEND:VEVENT\n"
	    "END:VCALENDAR\n");
	(void)cal_ical_expand(cal, utc("20270101"), utc("20270201"), &occ, &n,
	    NULL);
	cal_ical_occurrences_sort(occ, n);
	ok(n == 5 && occ[1].start == utc("20270105T090000") &&
	    strcmp(occ[1].summary, "Old") == 0 &&
	    occ[2].start == utc("20270106T110000") &&
	    occ[4].start == utc("20270108T110000") &&
	    occ[4].end - occ[4].start == 1800 &&
	    strcmp(occ[4].summary, "New") == 0 &&
	    occ[4].rid == utc("20270108T090000"),
	    "RANGE=THISANDFUTURE moves and renames the later instances");
	cal_ical_occurrences_free(occ, n);
	cal_ical_free(cal);

	occ = NULL;
	n = 0;
	cal = parse_str("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:o\nSUMMARY:Lone\n"
	    "RECURRENCE-ID:20270106T090000Z\nDTSTART:20270107T090000Z\n"
	    "END:VEVENT\nEND:VCALENDAR\n");
	(void)cal_ical_expand(cal, utc("20270101"), utc("20270201"), &occ, &n,
	    NULL);
	ok(n == 1 && occ[0].start == utc("20270107T090000") &&
	    occ[0].rid == utc("20270106T090000"),
	    "an override without its master is shown");
	cal_ical_occurrences_free(occ, n);
	cal_ical_free(cal);

	/* Floating and all-day count in the zone of TZ. */
	setenv("TZ", "Asia/Tokyo", 1);
	tzset();
	cal = parse_str("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:fl\n"
	    "DTSTART:20270110T100000\nEND:VEVENT\nBEGIN:VEVENT\nUID:ad\n"
	    "DTSTART;VALUE=DATE:20270111\nEND:VEVENT\nEND:VCALENDAR\n");
	cal_ical_events(cal, &ev, &n);
	ok(n == 2 && ev[0].floating && ev[0].tzid == NULL &&
	    ev[0].start == utc("20270110T010000"),
	    "floating 10:00 in Tokyo is 01:00Z");
	ok(n == 2 && ev[1].all_day && ev[1].start == utc("20270110T150000") &&
	    ev[1].end - ev[1].start == 86400,
	    "an all-day event is the local day");
	cal_ical_events_free(ev, n);
	cal_ical_free(cal);
	setenv("TZ", "UTC", 1);
	tzset();
}

/* ---- corpus ---------------------------------------------------------- */

static int
read_file(const char *path, struct buf *b)
{
	char	*cause = NULL;

	buf_clear(b);
	if (buf_read_file(b, path, CAL_MAX_TEXT * 2, &cause) != 0) {
		diag("%s", cause);
		free(cause);
		return (-1);
	}
	return (0);
}

static void
walk(const char *dir, size_t *files, size_t *parsed, size_t *bad)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 sb;
	struct buf	 b;
	struct cal_cal	*cal;
	struct cal_event *ev;
	struct cal_todo	*td;
	struct cal_occurrence *occ;
	char		*path, *cause = NULL, *text;
	size_t		 n, nocc;

	if ((d = opendir(dir)) == NULL)
		return;
	buf_init(&b);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		path = path_join(dir, de->d_name);
		if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			walk(path, files, parsed, bad);
			free(path);
			continue;
		}
		if (!S_ISREG(sb.st_mode) || read_file(path, &b) != 0) {
			free(path);
			continue;
		}
		(*files)++;
		cal = cal_ical_parse(b.data, b.len, &cause);
		if (cal == NULL) {
			if (cause == NULL)
				(*bad)++;
			free(cause);
			cause = NULL;
			free(path);
			continue;
		}
		(*parsed)++;
		cal_ical_events(cal, &ev, &n);
		cal_ical_events_free(ev, n);
		cal_ical_todos(cal, &td, &n);
		cal_ical_todos_free(td, n);
		occ = NULL;
		nocc = 0;
		(void)cal_ical_expand(cal, utc("19900101"), utc("20350101"),
		    &occ, &nocc, NULL);
		cal_ical_occurrences_free(occ, nocc);
		text = cal_ical_text(cal);
		free(text);
		cal_ical_free(cal);
		free(path);
	}
	closedir(d);
	buf_release(&b);
}

static void
test_corpus_parse(void)
{
	size_t	 files = 0, parsed = 0, bad = 0;
	char	*dir;

	xasprintf(&dir, "%s/ics", corpus);
	walk(dir, &files, &parsed, &bad);
	free(dir);
	diag("corpus/ics: %zu files, %zu parsed, %zu refused with a cause",
	    files, parsed, files - parsed);
	ok(files > 100, "the ics corpus was read");
	ok(bad == 0, "every refusal has a cause, nothing crashed");
}

/* A corpus file with its VTIMEZONEs cut out. */
static void
strip_vtimezones(struct buf *b)
{
	char	*s, *e;

	while ((s = strstr(b->data, "BEGIN:VTIMEZONE")) != NULL &&
	    (e = strstr(s, "END:VTIMEZONE")) != NULL) {
		e += strlen("END:VTIMEZONE");
		while (*e == '\r' || *e == '\n')
			e++;
		memmove(s, e, b->len - (e - b->data) + 1);
		b->len -= e - s;
	}
}

struct tzcase {
	const char	*file;
	const char	*summary;
	const char	*start;		/* the UTC instant */
	int		 windows;	/* Windows TZID: also without VTZ */
};
static const struct tzcase tzcases[] = {
	/* W. Europe, CEST: 09:00 local. */
	{ "outlook/node-ical__ms_timezones.ics", "test", "20200910T070000",
	    1 },
	/* Pacific, PDT: 08:30 local. */
	{ "outlook/node-ical__ms_timezones.ics", "Not the actual summary 1",
	    "20200915T153000", 1 },
	/* The embedded zone wins even when it is odd: khal's test file
	 * names New Zealand but defines CET (+01:00 in November). */
	{ "outlook/khal__tz_windows_format.ics",
	    "Event with Windows TZ name", "20191120T120000", 0 },
};

static void
test_corpus_zones(void)
{
	struct buf	 b;
	struct cal_cal	*cal;
	struct cal_event *ev;
	size_t		 i, j, n, pass;
	char		*path, name[256];
	time_t		 got;

	buf_init(&b);
	for (i = 0; i < sizeof tzcases / sizeof *tzcases; i++) {
		for (pass = 0; pass < (tzcases[i].windows ? 2u : 1u); pass++) {
			xasprintf(&path, "%s/ics/%s", corpus, tzcases[i].file);
			if (read_file(path, &b) != 0) {
				free(path);
				continue;
			}
			free(path);
			if (pass == 1)
				strip_vtimezones(&b);
			cal = cal_ical_parse(b.data, b.len, NULL);
			got = -1;
			if (cal != NULL) {
				cal_ical_events(cal, &ev, &n);
				for (j = 0; j < n; j++) {
					if (ev[j].summary != NULL && strcmp(
					    ev[j].summary, tzcases[i].summary)
					    == 0 && ev[j].warnings == NULL)
						got = ev[j].start;
				}
				cal_ical_events_free(ev, n);
			}
			cal_ical_free(cal);
			snprintf(name, sizeof name, "%s '%s' %s: %sZ",
			    tzcases[i].file, tzcases[i].summary, pass == 0 ?
			    "with VTIMEZONE" : "without VTIMEZONE (ICU)",
			    tzcases[i].start);
			is_int(got, utc(tzcases[i].start), name);
		}
	}
	buf_release(&b);
}

/* An instant as "20250101T090000Z", for diagnostics. */
static const char *
show(time_t t, char *buf, size_t size)
{
	struct tm	 tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y%m%dT%H%M%SZ", &tm);
	return (buf);
}

/*
 * One case of the recurrence oracle: cal_ical_expand() must make exactly
 * the listed instances (none for a case marked UNIMPLEMENTED).  The
 * expansion is cal/rrule.c's, not libical's iterator, so a difference
 * is ours to fix.
 */
static void
recur_case(const char *title, const char *rrule, const char *dtstart,
    const char *instances, size_t *passed, size_t *failed)
{
	struct cal_cal	*cal;
	struct cal_occurrence *occ = NULL;
	char		*text, *list, *p, *w, name[512], b1[32], b2[32];
	static time_t	 want[4096];
	time_t		 from, to;
	size_t		 nwant = 0, nocc = 0, i;
	int		 finite, same, unimpl;

	unimpl = strstr(instances, "UNIMPLEMENTED") != NULL;
	list = xstrdup(instances);
	for (p = list; (w = strsep(&p, ",")) != NULL && nwant < 4096;) {
		while (*w == ' ')
			w++;
		if (*w != '\0' && !unimpl)
			want[nwant++] = utc(w);
	}
	free(list);
	xasprintf(&text, "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:r\n"
	    "DTSTART%s:%s\nRRULE:%s\nEND:VEVENT\nEND:VCALENDAR\n",
	    strlen(dtstart) == 8 ? ";VALUE=DATE" : "", dtstart, rrule);
	cal = cal_ical_parse(text, strlen(text), NULL);
	free(text);
	finite = strstr(rrule, "COUNT=") != NULL ||
	    strstr(rrule, "UNTIL=") != NULL;
	from = utc(dtstart);
	to = nwant == 0 ? from + 86400 * 366 * 5 : finite ? utc("21000101") :
	    want[nwant - 1] + 1;
	if (cal != NULL)
		(void)cal_ical_expand(cal, from, to, &occ, &nocc, NULL);
	cal_ical_occurrences_sort(occ, nocc);
	same = nocc == nwant;
	for (i = 0; same && i < nwant; i++)
		same = occ[i].start == want[i];
	snprintf(name, sizeof name, "recurrence:%s (%s)", title, rrule);
	if (ok(same, name))
		(*passed)++;
	else {
		(*failed)++;
		for (i = 0; i < nocc && i < nwant &&
		    occ[i].start == want[i]; i++)
			;
		diag("%zu instances, want %zu; instance %zu is %s, want %s",
		    nocc, nwant, i, i < nocc ? show(occ[i].start, b1,
		    sizeof b1) : "none", i < nwant ? show(want[i], b2,
		    sizeof b2) : "none");
	}
	cal_ical_occurrences_free(occ, nocc);
	cal_ical_free(cal);
}

static void
test_recurrence_file(const char *file, size_t *passed, size_t *failed)
{
	struct buf	 b;
	char		*path, *line, *p, *title = NULL, *rrule = NULL;
	char		*dtstart = NULL;

	xasprintf(&path, "%s/ics/libical/recurrence-expectations/%s", corpus,
	    file);
	buf_init(&b);
	if (read_file(path, &b) != 0) {
		free(path);
		buf_release(&b);
		return;
	}
	free(path);
	for (p = b.data; (line = strsep(&p, "\n")) != NULL;) {
		line[strcspn(line, "\r")] = '\0';
		if (line[0] == '#') {
			free(title);
			title = xstrdup(line + 1);
		} else if (strncmp(line, "RRULE:", 6) == 0) {
			free(rrule);
			rrule = xstrdup(line + 6);
		} else if (strncmp(line, "DTSTART:", 8) == 0) {
			free(dtstart);
			dtstart = xstrdup(line + 8);
		} else if (strncmp(line, "INSTANCES:", 10) == 0 &&
		    rrule != NULL && dtstart != NULL) {
			/* START-AT is for libical's own set_start test;
			 * INSTANCES lists every instance from DTSTART. */
			recur_case(title != NULL ? title : "", rrule, dtstart,
			    line + 10, passed, failed);
			free(rrule);
			free(dtstart);
			rrule = dtstart = NULL;
		}
	}
	free(title);
	free(rrule);
	free(dtstart);
	buf_release(&b);
}

static void
test_recurrence(void)
{
	size_t	 passed = 0, failed = 0;

	/* icalrecur_test_rscale.txt: RSCALE=GREGORIAN with SKIP is
	 * ours; "Bad RSCALE" (RUSSIAN) is UNIMPLEMENTED: no instances. */
	test_recurrence_file("icalrecur_test.txt", &passed, &failed);
	test_recurrence_file("icalrecur_test_rscale.txt", &passed, &failed);
	diag("recurrence oracle: %zu cases pass, %zu fail", passed, failed);
	ok(passed + failed > 150, "the recurrence oracle was read");
}

/* recur-x-expect-numevents.txt: VEVENTs and their X-EXPECT-NUMEVENTS. */
static void
test_numevents(void)
{
	struct buf	 b, ev;
	struct cal_cal	*cal;
	struct cal_occurrence *occ;
	char		*path, *line, *p, *text;
	size_t		 nocc, passed = 0, failed = 0;
	int		 want = -1, in = 0;

	xasprintf(&path, "%s/ics/libical/recurrence-expectations/"
	    "recur-x-expect-numevents.txt", corpus);
	buf_init(&b);
	buf_init(&ev);
	if (read_file(path, &b) != 0) {
		free(path);
		buf_release(&b);
		buf_release(&ev);
		return;
	}
	free(path);
	for (p = b.data; (line = strsep(&p, "\n")) != NULL;) {
		if (line[0] == ';')
			continue;
		if (strncmp(line, "BEGIN:VEVENT", 12) == 0) {
			buf_clear(&ev);
			in = 1;
			want = -1;
		}
		if (strncmp(line, "X-EXPECT-NUMEVENTS:", 19) == 0)
			want = (int)strtol(line + 19, NULL, 10);
		if (in) {
			buf_addstr(&ev, line);
			buf_addch(&ev, '\n');
		}
		if (strncmp(line, "END:VEVENT", 10) != 0 || !in)
			continue;
		in = 0;
		xasprintf(&text, "BEGIN:VCALENDAR\nVERSION:2.0\n%s"
		    "END:VCALENDAR\n", ev.data);
		cal = cal_ical_parse(text, strlen(text), NULL);
		free(text);
		occ = NULL;
		nocc = 0;
		if (cal != NULL)
			(void)cal_ical_expand(cal, utc("19000101"),
			    utc("21000101"), &occ, &nocc, NULL);
		if ((int)nocc == want)
			passed++;
		else {
			failed++;
			diag("numevents: %zu, want %d: %.60s", nocc, want,
			    ev.data + 13);
		}
		cal_ical_occurrences_free(occ, nocc);
		cal_ical_free(cal);
	}
	buf_release(&ev);
	buf_release(&b);
	diag("recur-x-expect-numevents.txt: %zu pass, %zu fail", passed,
	    failed);
	ok(passed + failed > 40, "X-EXPECT-NUMEVENTS cases were read");
	ok(failed == 0, "every X-EXPECT-NUMEVENTS case has its count");
}

int
main(void)
{
	const char	*top = getenv("top_srcdir");
	struct stat	 sb;

	cal_ical_init();
	test_malformed();
	test_invite(1);
	test_invite(0);
	test_unknown_zone();
	test_reply();
	test_words();
	test_edges();

	xasprintf(&corpus, "%s/../shared/corpus", top != NULL ? top : ".");
	if (stat(corpus, &sb) != 0)
		printf("ok %d # SKIP corpus '%s' absent\n", ++tap_count,
		    corpus);
	else {
		test_corpus_parse();
		test_corpus_zones();
		test_recurrence();
		test_numevents();
	}
	free(corpus);
	return (tap_done());
}
