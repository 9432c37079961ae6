/*
 * cal: calendars and tasks from iCalendar.  The only module that includes
 * libical or ICU headers, and only cal/ical.c (and cal/rrule.c, to read
 * a rule's text) does: callers above see plain C structures.  Nothing
 * here sanitises for the terminal: every string handed out is UTF-8 as
 * the sender wrote it (controls, bidi and escape sequences included); the
 * sink sanitises.
 */
#ifndef CAL_CAL_H
#define CAL_CAL_H

#include <stddef.h>
#include <time.h>

/* Hard limits, checked before anything is allocated for them. */
#define CAL_MAX_TEXT		(16u * 1024 * 1024)	/* bytes parsed */
#define CAL_MAX_COMPONENTS	10000	/* VEVENT, VTODO, VTIMEZONE, ... */
#define CAL_MAX_INSTANCES	10000	/* occurrences of one expansion */

/* cal/cal.c */
/* "libical 3.0.16, ICU 72.1"; static storage. */
const char	*cal_version(void);

/* cal/ical.c */
struct buf;
struct cal_cal;		/* one parsed VCALENDAR */

enum cal_method {
	CAL_METHOD_NONE,	/* a plain calendar file */
	CAL_METHOD_PUBLISH,
	CAL_METHOD_REQUEST,
	CAL_METHOD_REPLY,
	CAL_METHOD_CANCEL,
	CAL_METHOD_OTHER,	/* ADD, REFRESH, COUNTER, ... */
};
enum cal_partstat {
	CAL_PARTSTAT_NONE,
	CAL_PARTSTAT_NEEDS_ACTION,
	CAL_PARTSTAT_ACCEPTED,
	CAL_PARTSTAT_DECLINED,
	CAL_PARTSTAT_TENTATIVE,
	CAL_PARTSTAT_DELEGATED,
	CAL_PARTSTAT_OTHER,
};
struct cal_attendee {
	char		*address;	/* "bob@example.com", no "mailto:" */
	char		*cn;		/* or NULL */
	char		*role;		/* "REQ-PARTICIPANT", ... or NULL */
	enum cal_partstat partstat;
};
/*
 * One VEVENT.  Times are UTC instants; a date (all_day) or a floating
 * time counts in the local zone (TZ) when the calendar was parsed.  tzid
 * is the zone name as the sender wrote it ("W. Europe Standard Time"),
 * NULL for UTC, dates and floating times.  rid is the RECURRENCE-ID (or
 * -1), rid_future is set for RANGE=THISANDFUTURE.  warnings lists what
 * could not be understood ("unknown time zone 'X', taken as floating"),
 * one per line, or is NULL.
 */
struct cal_event {
	char		*uid;
	char		*summary;
	char		*location;
	char		*description;
	char		*organizer;	/* address, no "mailto:" */
	char		*organizer_cn;
	struct cal_attendee *attendees;
	size_t		 n_attendees;
	time_t		 start;
	time_t		 end;		/* start when there is no end */
	char		*tzid;
	int		 all_day;
	int		 floating;
	char		*rrule;		/* "every week on Thursday, 10 times" */
	int		 sequence;
	time_t		 rid;
	int		 rid_future;
	char		*status;	/* "CONFIRMED", "CANCELLED", or NULL */
	enum cal_method	 method;	/* of the calendar it came from */
	char		*message_id;	/* X-SATCHEL-MESSAGE-ID, or NULL */
	char		*warnings;
};
/* One VTODO.  due and completed are -1 when absent. */
struct cal_todo {
	char		*uid;
	char		*summary;
	char		*description;
	time_t		 due;
	int		 due_all_day;
	int		 priority;	/* 0 undefined, 1 highest .. 9 */
	char		*status;	/* "NEEDS-ACTION", "IN-PROCESS", ... */
	int		 percent;
	time_t		 completed;
	char		*message_id;
};
/*
 * One occurrence of an event in a window.  rid is the instance's
 * recurrence identifier (its original start; -1 for a single event).
 * cancelled is set for an instance or event with STATUS:CANCELLED.
 */
struct cal_occurrence {
	char		*uid;
	char		*summary;
	char		*location;
	char		*tzid;
	time_t		 start;
	time_t		 end;
	time_t		 rid;
	int		 all_day;
	int		 cancelled;
	int		 transparent;	/* TRANSP:TRANSPARENT: not busy */
};

/* Once, before the first parse: libical's errors are data, not fatal. */
void		 cal_ical_init(void);
/*
 * Parses an iCalendar text (n bytes, not necessarily NUL-terminated).
 * Zones are resolved for every TZID: the embedded VTIMEZONE, else an
 * IANA zone from tzdata, else a Windows zone name through ICU (the zone
 * is then added to the calendar under the sender's name, so a stored or
 * replied copy keeps it); an unknown zone is a warning on the events that
 * use it.  NULL with *cause for text that is not iCalendar at all, over
 * CAL_MAX_TEXT or CAL_MAX_COMPONENTS.  Free with cal_ical_free().
 */
struct cal_cal	*cal_ical_parse(const char *, size_t, char **);
void		 cal_ical_free(struct cal_cal *);	/* NULL ok */
struct cal_cal	*cal_ical_copy(const struct cal_cal *);
/* The calendar as iCalendar text, for the caller to free. */
char		*cal_ical_text(const struct cal_cal *);
enum cal_method	 cal_ical_method(const struct cal_cal *);
const char	*cal_ical_method_name(enum cal_method);	/* static */
/* Parse-time warnings (unknown zones, ...), one per line, or NULL. */
const char	*cal_ical_warnings(const struct cal_cal *);
/*
 * The events (masters and overrides in file order) and todos; the arrays
 * are the caller's, freed with cal_ical_events_free/_todos_free.
 */
void		 cal_ical_events(const struct cal_cal *, struct cal_event **,
		     size_t *);
void		 cal_ical_events_free(struct cal_event *, size_t);
void		 cal_ical_todos(const struct cal_cal *, struct cal_todo **,
		     size_t *);
void		 cal_ical_todos_free(struct cal_todo *, size_t);
/* Splits a calendar into one per UID, each with the METHOD and zones;
 * the vector and calendars are the caller's. */
void		 cal_ical_split(const struct cal_cal *, struct cal_cal ***,
		     size_t *);
/* The first UID in the calendar (borrowed), or NULL. */
const char	*cal_ical_uid(const struct cal_cal *);
/*
 * Appends to *occ (growing it, *n counts) the occurrences of every event
 * in the calendar overlapping [from, to): RRULE, RDATE and EXDATE,
 * RECURRENCE-ID overrides (with or without a master, RANGE=THISANDFUTURE
 * included), all-day and floating events.  Unsorted.  -1 with *cause
 * when more than CAL_MAX_INSTANCES would be made (those made are kept).
 */
int		 cal_ical_expand(const struct cal_cal *, time_t, time_t,
		     struct cal_occurrence **, size_t *, char **);
void		 cal_ical_occurrences_free(struct cal_occurrence *, size_t);
/* Sorts occurrences by start, then end, then summary. */
void		 cal_ical_occurrences_sort(struct cal_occurrence *, size_t);

/*
 * iTIP (RFC 5546) on one stored object.  *stored is the calendar kept for
 * the UID (NULL when there is none); incoming is a message's calendar for
 * the same UID.  On success *stored is replaced (or set, or freed and set
 * to NULL for an object to delete) and *what says what happened in
 * words for logs and status lines ("created", "updated", "merged
 * exception", "cancelled instance", "reply from bob@example.com:
 * ACCEPTED", "ignored: older SEQUENCE 1 < 2"), static.  message_id (may
 * be NULL) is recorded as X-SATCHEL-MESSAGE-ID.  -1 with *cause when the
 * incoming object makes no sense (no UID, a REPLY without an attendee).
 *
 *  - REQUEST, PUBLISH and plain files: a higher SEQUENCE replaces, an
 *    equal one merges component by component (an exception added to a
 *    series), a lower one is ignored.
 *  - CANCEL applies when its SEQUENCE is not lower than the stored one,
 *    or when its DTSTAMP is later (Thunderbird cancels with the SEQUENCE
 *    of the invitation it holds; a missed cancellation is worse than a
 *    stale one).  CANCEL of the whole object: every component gets
 *    STATUS:CANCELLED
 *    (kept, not deleted, so the user sees it was cancelled and an old
 *    REQUEST arriving later does not bring it back).  CANCEL of one
 *    instance: the instance is kept as an override with STATUS:CANCELLED
 *    rather than an EXDATE on the master, because an override also works
 *    without a master, keeps the SEQUENCE that cancelled it and shows as
 *    cancelled instead of silently vanishing.
 *  - REPLY: the attendee's PARTSTAT on the stored copy (the matching
 *    instance when the reply has a RECURRENCE-ID and such an override
 *    exists, else the master); a reply for an unknown UID is ignored.
 */
int		 cal_ical_itip(struct cal_cal **, const struct cal_cal *,
		     const char *, const char **, char **);
/*
 * Sets the PARTSTAT of attendee (an address) on the event with this
 * RECURRENCE-ID (-1: the master, or every component when it has no
 * master), adding the attendee when absent.  -1 with *cause when the
 * calendar has no such event.
 */
int		 cal_ical_set_partstat(struct cal_cal *, time_t, const char *,
		     enum cal_partstat, char **);
/* Our own answer on a stored event: the PARTSTAT of the first address in
 * the NULL-terminated list that is an attendee, or CAL_PARTSTAT_NONE. */
enum cal_partstat cal_ical_partstat_of(const struct cal_cal *,
		     const char *const *);
const char	*cal_ical_partstat_name(enum cal_partstat);	/* static */
enum cal_partstat cal_ical_partstat_from_name(const char *);
/*
 * The iTIP REPLY for a request: METHOD:REPLY, one VEVENT with the
 * request's UID, SEQUENCE, RECURRENCE-ID, DTSTART/DTEND, SUMMARY and
 * ORGANIZER, DTSTAMP now, our ATTENDEE with partstat (and the CN the
 * request gave it), COMMENT when comment is not NULL or empty, and the
 * VTIMEZONEs its times use.  The event answered is the request's first
 * VEVENT.  Returns the text for the caller to free, or NULL with *cause.
 * MIME wrapping is mime/'s job.
 */
char		*cal_ical_reply(const struct cal_cal *, const char *,
		     enum cal_partstat, const char *, time_t, char **);
/*
 * Task edits on a calendar holding a VTODO.  set_status writes STATUS,
 * PERCENT-COMPLETE (100 for COMPLETED, kept or 0 otherwise unless
 * percent >= 0) and COMPLETED (now; removed when not completed).
 */
int		 cal_ical_todo_set_status(struct cal_cal *, const char *, int,
		     time_t, char **);
/* A new calendar with one VTODO: uid, summary, due (-1: none; a date
 * when due_all_day), X-SATCHEL-MESSAGE-ID when message_id is not NULL. */
struct cal_cal	*cal_ical_todo_new(const char *, const char *, time_t, int,
		     const char *, time_t);
/* Words for a recurrence rule ("every 2 weeks on Monday, Thursday until
 * 2027-03-01"), for the caller to free; NULL when unreadable. */
char		*cal_ical_rrule_words(const char *);
/*
 * The wall-clock time of instant t in zone tzid as the calendar resolves
 * it (its VTIMEZONE, else an IANA or Windows name): fills *tm like
 * gmtime_r() would for that wall time.  -1 when the zone is unknown.
 */
int		 cal_ical_zone_time(const struct cal_cal *, const char *,
		     time_t, struct tm *);

/*
 * cal/rrule.c: recurrence rules (RFC 5545 section 3.3.10), expanded by
 * our own code from the RFC's rules; libical only reads the text.  All
 * frequencies, INTERVAL, COUNT and UNTIL, every BYxxx part (BYSETPOS per
 * interval period, BYWEEKNO by WKST with week 53 and negative weeks),
 * invalid dates skipped (Feb 30), and RSCALE=GREGORIAN with SKIP (RFC
 * 7529).  A rule expands in the wall-clock time of its DTSTART; the
 * caller turns each instance into an instant (zones and DST are its).
 * Where the RFC leaves a case open it follows libical's current tests:
 * DTSTART is an instance only when the rule makes it.
 */
struct cal_rrule;
/*
 * A wall-clock time in DTSTART's zone; for a DATE the time is 0.  For
 * DTSTART, zoned says it has a zone (or is UTC): an UNTIL in UTC is then
 * compared with each instance's instant; for a date or a floating time,
 * with its wall-clock time, as libical does.
 */
struct cal_rrule_time {
	int		 year;		/* 1 .. 9998 */
	int		 month;		/* 1 .. 12 */
	int		 day;
	int		 hour;
	int		 minute;
	int		 second;
	int		 date;		/* a DATE, not a DATE-TIME */
	int		 zoned;
};
/* Periods and instances one expansion looks at before it gives up. */
#define CAL_MAX_RRULE_STEPS	2000000

/*
 * Parses an RRULE (or EXRULE) value.  NULL with *cause when it is
 * malformed, uses a part RFC 5545 forbids for its FREQ (BYWEEKNO other
 * than YEARLY, ...), combines BYWEEKNO with BYMONTH, BYMONTHDAY or
 * BYYEARDAY (which the RFC leaves undefined), or names another RSCALE
 * than GREGORIAN.
 */
struct cal_rrule *cal_rrule_parse(const char *, char **);
void		 cal_rrule_free(struct cal_rrule *);	/* NULL ok */
/*
 * Expands a rule from DTSTART dt: appends to *out (growing it, *n counts)
 * the instants of its instances in [from, to), in order, at most max of
 * them.  conv(t, arg) makes an instant of a wall time (NULL: the wall
 * time is UTC).  COUNT counts from DTSTART whatever the window; without
 * COUNT the periods before the window are skipped, so a long-running
 * rule costs what its window holds.  Returns 0; 1 when the window holds
 * more than max; 2 when the expansion gave up after CAL_MAX_RRULE_STEPS
 * (a hostile rule: FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30, ...), keeping
 * what it made; -1 for a DTSTART out of range.
 */
int		 cal_rrule_expand(const struct cal_rrule *,
		     const struct cal_rrule_time *,
		     time_t (*)(const struct cal_rrule_time *, void *), void *,
		     time_t, time_t, size_t, time_t **, size_t *);

/*
 * cal/calstore.c: a calendar as a vdir: a directory with one .ics file
 * per UID, which khal and vdirsyncer read too.  The file name is the UID
 * when it is made of safe characters, else a hash of it.  Files are
 * replaced atomically (core/path.c).  The store reads the whole directory
 * when opened; another process's changes are seen after
 * cal_calstore_reload().  Files that do not parse are skipped and logged.
 */
struct cal_calstore;
/* $XDG_DATA_HOME/satchel/calendars/NAME; the caller's. */
char		*cal_calstore_default_dir(const char *);
/* Opens (creating the directory) and reads; NULL with *cause. */
struct cal_calstore *cal_calstore_open(const char *, char **);
void		 cal_calstore_close(struct cal_calstore *);	/* NULL ok */
int		 cal_calstore_reload(struct cal_calstore *, char **);
const char	*cal_calstore_dir(const struct cal_calstore *);
/* Objects in the store and one of them by UID (borrowed until the next
 * change or reload), or NULL. */
size_t		 cal_calstore_count(const struct cal_calstore *);
const struct cal_cal *cal_calstore_at(const struct cal_calstore *, size_t);
const struct cal_cal *cal_calstore_get(const struct cal_calstore *,
		     const char *);
/* The path of the file for a UID, for the caller to free. */
char		*cal_calstore_path(const struct cal_calstore *, const char *);
/*
 * Applies an iCalendar text from a message (message_id may be NULL) or a
 * file: every UID in it goes through cal_ical_itip() and its file is
 * written.  what (may be NULL) gets one line per UID ("UID: created").
 * -1 with *cause when the text does not parse or a file cannot be
 * written; objects already written stay written.
 */
int		 cal_calstore_apply(struct cal_calstore *, const char *, size_t,
		     const char *, struct buf *, char **);
/* Writes (replaces) the object for its UID; takes ownership on success. */
int		 cal_calstore_put(struct cal_calstore *, struct cal_cal *,
		     char **);
int		 cal_calstore_remove(struct cal_calstore *, const char *,
		     char **);
/* The occurrences of all events overlapping [from, to), sorted, with
 * cancelled ones left out unless with_cancelled. */
int		 cal_calstore_agenda(const struct cal_calstore *, time_t,
		     time_t, int, struct cal_occurrence **, size_t *, char **);
/* The occurrences of other UIDs (not cancelled, not transparent)
 * overlapping [start, end): clashes for an invitation card. */
int		 cal_calstore_clashes(const struct cal_calstore *, const char *,
		     time_t, time_t, struct cal_occurrence **, size_t *);
/* UIDs of the objects linked to a message (X-SATCHEL-MESSAGE-ID); the
 * vector and strings are the caller's (cal_calstore_uids_free). */
void		 cal_calstore_by_message(const struct cal_calstore *,
		     const char *, char ***, size_t *);
void		 cal_calstore_uids_free(char **, size_t);
/*
 * Our answer to an invitation: stores partstat for the first of self (a
 * NULL-terminated list of our addresses) that is an attendee of the
 * stored UID (the invitation is stored first when it is not there yet)
 * and returns the REPLY text (cal_ical_reply) for the caller to send and
 * free.  NULL with *cause when none of self is invited.
 */
char		*cal_calstore_answer(struct cal_calstore *,
		     const struct cal_cal *, const char *const *,
		     enum cal_partstat, const char *, time_t, char **);
/* All todos, ordered by due date (none last), then priority (1 first,
 * 0 last), then summary.  status NULL: all; "open": not COMPLETED or
 * CANCELLED; else a STATUS value. */
void		 cal_calstore_tasks(const struct cal_calstore *, const char *,
		     struct cal_todo **, size_t *);
int		 cal_calstore_task_set_status(struct cal_calstore *,
		     const char *, const char *, int, time_t, char **);
/* A new task linked to a message; *uid (may be NULL) gets its UID. */
int		 cal_calstore_task_new(struct cal_calstore *, const char *,
		     time_t, int, const char *, time_t, char **, char **);

#endif /* CAL_CAL_H */
