/*
 * tests/unit/cal/calstore.c: the vdir store and iTIP on it, from texts
 * written here (the Thunderbird flows from the corpus are in
 * tests/unit/engine/calendar.c).  TZ is UTC.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "cal/cal.h"
#include "tests/unit/tap.h"

static char	 tmp[] = "/tmp/satchel-calstore-XXXXXX";

#define HEAD	"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
#define TAIL	"END:VCALENDAR\r\n"

static const char organizer_copy[] = HEAD
    "BEGIN:VEVENT\r\nUID:meet-1@example.test\r\nSEQUENCE:1\r\n"
    "DTSTAMP:20270101T000000Z\r\nSUMMARY:Planning\r\n"
    "DTSTART:20270110T090000Z\r\nDTEND:20270110T100000Z\r\n"
    "ORGANIZER:mailto:me@example.test\r\n"
    "ATTENDEE;PARTSTAT=NEEDS-ACTION;CN=Bob:mailto:bob@example.test\r\n"
    "ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:carol@example.test\r\n"
    "RRULE:FREQ=DAILY;COUNT=5\r\n"
    "END:VEVENT\r\n" TAIL;
static const char bob_reply[] = HEAD "METHOD:REPLY\r\n"
    "BEGIN:VEVENT\r\nUID:meet-1@example.test\r\nSEQUENCE:1\r\n"
    "DTSTAMP:20270102T000000Z\r\n"
    "ORGANIZER:mailto:me@example.test\r\n"
    "ATTENDEE;PARTSTAT=ACCEPTED:mailto:BOB@example.test\r\n"
    "END:VEVENT\r\n" TAIL;
static const char cancel_one[] = HEAD "METHOD:CANCEL\r\n"
    "BEGIN:VEVENT\r\nUID:meet-1@example.test\r\nSEQUENCE:2\r\n"
    "DTSTAMP:20270103T000000Z\r\n"
    "RECURRENCE-ID:20270112T090000Z\r\n"
    "END:VEVENT\r\n" TAIL;
static const char other[] = HEAD
    "BEGIN:VEVENT\r\nUID:weird/uid with spaces\r\nSEQUENCE:0\r\n"
    "DTSTAMP:20270101T000000Z\r\nSUMMARY:Dentist\r\n"
    "DTSTART:20270111T093000Z\r\nDTEND:20270111T103000Z\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:free-1\r\nSUMMARY:Free time\r\nTRANSP:TRANSPARENT"
    "\r\nDTSTART:20270111T090000Z\r\nDTEND:20270111T120000Z\r\n"
    "END:VEVENT\r\n" TAIL;
static const char invitation[] = HEAD "METHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\nUID:inv-1@example.test\r\nSEQUENCE:4\r\n"
    "DTSTAMP:20270101T000000Z\r\nSUMMARY:Review\r\n"
    "DTSTART:20270120T140000Z\r\nDTEND:20270120T150000Z\r\n"
    "ORGANIZER:mailto:olga@example.test\r\n"
    "ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:alice@example.test\r\n"
    "END:VEVENT\r\n" TAIL;

static time_t
utc(const char *s)
{
	struct tm	 tm;

	memset(&tm, 0, sizeof tm);
	sscanf(s, "%4d%2d%2dT%2d%2d%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	    &tm.tm_hour, &tm.tm_min, &tm.tm_sec);
	tm.tm_year -= 1900;
	tm.tm_mon--;
	return (timegm(&tm));
}

static int
put(struct cal_calstore *cs, const char *text, const char *msgid)
{
	char	*cause = NULL;
	int	 rc;

	rc = cal_calstore_apply(cs, text, strlen(text), msgid, NULL, &cause);
	if (rc != 0)
		diag("%s", cause);
	free(cause);
	return (rc);
}

static enum cal_partstat
partstat(struct cal_calstore *cs, const char *uid, const char *addr)
{
	const char	*self[2] = { addr, NULL };

	return (cal_ical_partstat_of(cal_calstore_get(cs, uid), self));
}

static void
test_itip(struct cal_calstore *cs)
{
	struct cal_occurrence *occ;
	struct cal_event *ev;
	char		*path, **uids;
	size_t		 n;
	struct stat	 sb;

	ok(put(cs, organizer_copy, "m1@example.test") == 0, "organizer copy");
	path = cal_calstore_path(cs, "meet-1@example.test");
	ok(stat(path, &sb) == 0 && strstr(path, "/meet-1@example.test.ics") !=
	    NULL && (sb.st_mode & 077) == 0, "one private file per UID");
	free(path);

	ok(put(cs, bob_reply, "m2@example.test") == 0, "REPLY applied");
	ok(partstat(cs, "meet-1@example.test", "bob@example.test") ==
	    CAL_PARTSTAT_ACCEPTED, "Bob's PARTSTAT is ACCEPTED (any case)");
	ok(partstat(cs, "meet-1@example.test", "carol@example.test") ==
	    CAL_PARTSTAT_NEEDS_ACTION, "Carol's is untouched");

	ok(put(cs, cancel_one, NULL) == 0, "CANCEL of one instance");
	(void)cal_calstore_agenda(cs, utc("20270101T000000"),
	    utc("20270201T000000"), 0, &occ, &n, NULL);
	ok(n == 4 && occ[1].start == utc("20270111T090000") &&
	    occ[2].start == utc("20270113T090000"),
	    "the 12th left the agenda, four instances remain");
	cal_ical_occurrences_free(occ, n);
	cal_ical_events(cal_calstore_get(cs, "meet-1@example.test"), &ev, &n);
	ok(n == 2 && ev[1].rid == utc("20270112T090000") &&
	    strcmp(ev[1].status, "CANCELLED") == 0 && ev[0].status == NULL,
	    "kept as a CANCELLED override, the series untouched");
	cal_ical_events_free(ev, n);

	cal_calstore_by_message(cs, "m1@example.test", &uids, &n);
	ok(n == 1 && strcmp(uids[0], "meet-1@example.test") == 0,
	    "events of a message");
	cal_calstore_uids_free(uids, n);

	ok(put(cs, other, NULL) == 0, "two UIDs in one file");
	path = cal_calstore_path(cs, "weird/uid with spaces");
	ok(strchr(strrchr(path, '/') + 1, ' ') == NULL && stat(path, &sb) ==
	    0, "an unsafe UID gets a hashed file name");
	free(path);
	(void)cal_calstore_clashes(cs, "meet-1@example.test",
	    utc("20270111T090000"), utc("20270111T100000"), &occ, &n);
	ok(n == 1 && strcmp(occ[0].summary, "Dentist") == 0,
	    "clash: the dentist, not the transparent slot nor itself");
	cal_ical_occurrences_free(occ, n);
}

static void
test_answer(struct cal_calstore *cs)
{
	struct cal_cal	*req;
	const char	*self[] = { "nobody@example.test", "Alice@Example.test",
	    NULL };
	const char	*stranger[] = { "x@example.test", NULL };
	char		*reply, *cause = NULL;
	struct cal_cal	*back;
	struct cal_event *ev;
	size_t		 n;

	req = cal_ical_parse(invitation, sizeof invitation - 1, NULL);
	reply = cal_calstore_answer(cs, req, stranger, CAL_PARTSTAT_ACCEPTED,
	    NULL, 0, &cause);
	ok(reply == NULL && cause != NULL, "not invited: no answer");
	free(cause);
	reply = cal_calstore_answer(cs, req, self, CAL_PARTSTAT_TENTATIVE,
	    "maybe", utc("20270105T000000"), &cause);
	ok(reply != NULL, "answer: REPLY text");
	ok(partstat(cs, "inv-1@example.test", "alice@example.test") ==
	    CAL_PARTSTAT_TENTATIVE, "answer: stored with our PARTSTAT");
	back = reply != NULL ? cal_ical_parse(reply, strlen(reply), NULL) :
	    NULL;
	ok(back != NULL && cal_ical_method(back) == CAL_METHOD_REPLY,
	    "answer: the REPLY parses");
	if (back != NULL) {
		cal_ical_events(back, &ev, &n);
		ok(n == 1 && ev[0].sequence == 4 && strcmp(ev[0].uid,
		    "inv-1@example.test") == 0 && ev[0].n_attendees == 1 &&
		    ev[0].attendees[0].partstat == CAL_PARTSTAT_TENTATIVE,
		    "answer: UID, SEQUENCE 4, TENTATIVE");
		cal_ical_events_free(ev, n);
	}
	cal_ical_free(back);
	free(reply);

	/* Filed from its message first, the event keeps that link when
	 * answered (the calendar opens and answers through it). */
	ok(put(cs, invitation, "inv-msg@example.test") == 0,
	    "the invitation filed from its message");
	reply = cal_calstore_answer(cs, req, self, CAL_PARTSTAT_ACCEPTED, NULL,
	    utc("20270106T000000"), &cause);
	free(reply);
	cal_ical_events(cal_calstore_get(cs, "inv-1@example.test"), &ev, &n);
	ok(n >= 1 && ev[0].message_id != NULL && strcmp(ev[0].message_id,
	    "inv-msg@example.test") == 0, "answered, it still names its message");
	cal_ical_events_free(ev, n);
	cal_ical_free(req);
}

static void
test_tasks(struct cal_calstore *cs)
{
	struct cal_todo	*td;
	char		*a = NULL, *b = NULL, *c = NULL;
	size_t		 n;
	int		 rc;

	rc = cal_calstore_task_new(cs, "later", utc("20270301T000000"), 1,
	    NULL, 0, &a, NULL);
	rc |= cal_calstore_task_new(cs, "sooner", utc("20270201T120000"), 0,
	    "m9@example.test", 0, &b, NULL);
	rc |= cal_calstore_task_new(cs, "whenever", -1, 0, NULL, 0, &c, NULL);
	ok(rc == 0 && a != NULL && b != NULL && c != NULL, "three tasks");
	(void)put(cs, HEAD "BEGIN:VTODO\r\nUID:t-prio\r\nSUMMARY:urgent\r\n"
	    "DUE:20270201T120000Z\r\nPRIORITY:1\r\nEND:VTODO\r\n" TAIL, NULL);
	cal_calstore_tasks(cs, NULL, &td, &n);
	ok(n == 4 && strcmp(td[0].summary, "urgent") == 0 &&
	    strcmp(td[1].summary, "sooner") == 0 &&
	    strcmp(td[2].summary, "later") == 0 &&
	    strcmp(td[3].summary, "whenever") == 0 && td[2].due_all_day,
	    "by due date, then priority; no due date last");
	ok(n == 4 && td[1].message_id != NULL &&
	    strcmp(td[1].message_id, "m9@example.test") == 0,
	    "a task keeps its message");
	cal_ical_todos_free(td, n);

	ok(cal_calstore_task_set_status(cs, b, "IN-PROCESS", 30, 0, NULL) ==
	    0, "mark in process");
	ok(cal_calstore_task_set_status(cs, a, "COMPLETED", -1,
	    utc("20270202T000000"), NULL) == 0, "mark complete");
	ok(cal_calstore_task_set_status(cs, a, "DONE-ISH", -1, 0, NULL) != 0,
	    "an unknown status is refused");
	cal_calstore_tasks(cs, "open", &td, &n);
	ok(n == 3 && strcmp(td[1].status, "IN-PROCESS") == 0 &&
	    td[1].percent == 30, "open tasks; IN-PROCESS at 30%");
	cal_ical_todos_free(td, n);
	cal_calstore_tasks(cs, "completed", &td, &n);
	ok(n == 1 && td[0].percent == 100 && td[0].completed ==
	    utc("20270202T000000"), "COMPLETED, 100%, COMPLETED time");
	cal_ical_todos_free(td, n);
	free(a);
	free(b);
	free(c);
}

static void
test_reload(struct cal_calstore *cs)
{
	struct cal_calstore *again;
	char		*path, *cause = NULL;
	FILE		*f;
	size_t		 n;

	n = cal_calstore_count(cs);
	path = path_join(cal_calstore_dir(cs), "broken.ics");
	f = fopen(path, "w");
	fputs("this is no calendar", f);
	fclose(f);
	free(path);
	again = cal_calstore_open(cal_calstore_dir(cs), &cause);
	ok(again != NULL && cal_calstore_count(again) == n,
	    "reopened: the same objects, a broken file skipped");
	ok(again != NULL && cal_calstore_get(again, "weird/uid with spaces") !=
	    NULL, "a hashed file name is found by UID");
	ok(again != NULL && cal_calstore_remove(again, "free-1", NULL) == 0 &&
	    cal_calstore_get(again, "free-1") == NULL, "remove");
	cal_calstore_close(again);
	ok(cal_calstore_open("/proc/nonexistent/x", &cause) == NULL &&
	    cause != NULL, "an unusable directory is an error with a cause");
	free(cause);
}

static void
rmtree(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	char		*p;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' && (de->d_name[1] == '\0' ||
		    strcmp(de->d_name, "..") == 0))
			continue;
		p = path_join(dir, de->d_name);
		if (unlink(p) != 0)
			rmtree(p);
		free(p);
	}
	closedir(d);
	rmdir(dir);
}

int
main(void)
{
	struct cal_calstore *cs;
	char		*dir, *cause = NULL;

	if (mkdtemp(tmp) == NULL)
		fatal("mkdtemp");
	cal_ical_init();
	dir = path_join(tmp, "calendars/work");
	cs = cal_calstore_open(dir, &cause);
	free(dir);
	if (!ok(cs != NULL, "store opened (directory made)")) {
		diag("%s", cause);
		return (tap_done());
	}
	test_itip(cs);
	test_answer(cs);
	test_tasks(cs);
	test_reload(cs);
	cal_calstore_close(cs);
	setenv("XDG_DATA_HOME", "/x", 1);
	dir = cal_calstore_default_dir(NULL);
	is_str(dir, "/x/satchel/calendars/default", "default directory");
	free(dir);
	rmtree(tmp);
	return (tap_done());
}
