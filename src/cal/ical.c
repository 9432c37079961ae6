/*
 * cal/ical.c: iCalendar through libical, the only file that calls it
 * (but for cal/rrule.c, which has it read the text of a rule).
 *
 * A parsed calendar keeps its VCALENDAR; every zone a TZID names is
 * resolved when it is parsed (LIBRARIES.md section 5): the embedded
 * VTIMEZONE, else a builtin (tzdata) zone, else a Windows name mapped to
 * IANA by ICU.  A zone found outside the text is added to the calendar
 * under the sender's name, so libical resolves it like an embedded one
 * and stored copies and replies carry it.  A zone nobody knows leaves the
 * time floating and says so in the warnings.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libical/ical.h>
#include <unicode/ucal.h>
#include <unicode/ustring.h>

#include "core/core.h"
#include "cal/cal.h"

#define CAL_ICAL_PRODID		"-//satchel//satchel//EN"
#define CAL_ICAL_MSGID		"X-SATCHEL-MESSAGE-ID"

struct cal_cal {
	icalcomponent	*top;		/* VCALENDAR */
	char		*warnings;
};

/* One override (RECURRENCE-ID) of a series, for expansion. */
struct cal_ical_override {
	icalcomponent	*c;
	time_t		 rid;
	int		 rid_year, rid_month, rid_day;
	int		 future;
	time_t		 start;
	time_t		 end;
};

void
cal_ical_init(void)
{
	icalerror_set_errors_are_fatal(0);
	icalerror_clear_errno();
}

/* Finds the zone a TZID names in this calendar (after resolution). */
static icaltimezone *
cal_ical_zone(icalcomponent *top, const char *tzid)
{
	icaltimezone	*z;

	if ((z = icalcomponent_get_timezone(top, tzid)) != NULL)
		return (z);
	if ((z = icaltimezone_get_builtin_timezone(tzid)) != NULL)
		return (z);
	return (icaltimezone_get_builtin_timezone_from_tzid(tzid));
}

/* An IANA name for a Windows zone name ("Pacific Standard Time"), or
 * NULL; ICU holds CLDR's mapping. */
static char *
cal_ical_windows_zone(const char *tzid)
{
	UChar		 win[128], id[128];
	char		 out[128];
	UErrorCode	 status = U_ZERO_ERROR;
	int32_t		 len;

	if (strlen(tzid) >= sizeof win / sizeof *win)
		return (NULL);
	u_strFromUTF8(win, sizeof win / sizeof *win, &len, tzid, -1, &status);
	if (U_FAILURE(status))
		return (NULL);
	len = ucal_getTimeZoneIDForWindowsID(win, len, NULL, id,
	    sizeof id / sizeof *id, &status);
	if (U_FAILURE(status) || len <= 0)
		return (NULL);
	u_strToUTF8(out, sizeof out, NULL, id, len, &status);
	if (U_FAILURE(status))
		return (NULL);
	return (xstrdup(out));
}

/* Adds a clone of zone z to the calendar under the name tzid. */
static void
cal_ical_add_zone(icalcomponent *top, icaltimezone *z, const char *tzid)
{
	icalcomponent	*vtz;
	icalproperty	*p;

	vtz = icaltimezone_get_component(z);
	if (vtz == NULL)
		return;
	vtz = icalcomponent_new_clone(vtz);
	p = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
	if (p != NULL)
		icalproperty_set_tzid(p, tzid);
	icalcomponent_add_component(top, vtz);
}

/* Resolves one TZID; returns 0, or -1 (a warning) when unknown. */
static int
cal_ical_resolve(struct cal_cal *cal, const char *tzid)
{
	icaltimezone	*z;
	char		*iana;

	if (icalcomponent_get_timezone(cal->top, tzid) != NULL)
		return (0);
	z = icaltimezone_get_builtin_timezone(tzid);
	if (z == NULL)
		z = icaltimezone_get_builtin_timezone_from_tzid(tzid);
	if (z == NULL && (iana = cal_ical_windows_zone(tzid)) != NULL) {
		z = icaltimezone_get_builtin_timezone(iana);
		free(iana);
	}
	if (z == NULL)
		return (-1);
	cal_ical_add_zone(cal->top, z, tzid);
	return (0);
}

int
cal_ical_zone_time(const struct cal_cal *cal, const char *tzid, time_t t,
    struct tm *tm)
{
	icaltimezone		*z;
	struct icaltimetype	 it;
	time_t			 wall;

	if (cal == NULL || tzid == NULL ||
	    (z = cal_ical_zone(cal->top, tzid)) == NULL)
		return (-1);
	it = icaltime_from_timet_with_zone(t, 0, icaltimezone_get_utc_timezone());
	icaltimezone_convert_time(&it, icaltimezone_get_utc_timezone(), z);
	memset(tm, 0, sizeof *tm);
	tm->tm_year = it.year - 1900;
	tm->tm_mon = it.month - 1;
	tm->tm_mday = it.day;
	tm->tm_hour = it.hour;
	tm->tm_min = it.minute;
	tm->tm_sec = it.second;
	/* The weekday and day of the year, as for any wall-clock time. */
	wall = timegm(tm);
	if (gmtime_r(&wall, tm) == NULL)
		return (-1);
	return (0);
}

/* Adds a warning line (once) quoting arg. */
static void
cal_ical_warn(struct cal_cal *cal, const char *what, const char *arg)
{
	struct buf	 b;

	buf_init(&b);
	if (cal->warnings != NULL) {
		if (*arg != '\0' && strstr(cal->warnings, arg) != NULL) {
			buf_release(&b);
			return;
		}
		buf_printf(&b, "%s\n", cal->warnings);
	}
	buf_printf(&b, "%s", what);
	if (*arg != '\0')
		buf_printf(&b, " '%s'", arg);
	if (strncmp(what, "unknown time zone", 17) == 0)
		buf_addstr(&b, ", taken as floating (local) time");
	free(cal->warnings);
	cal->warnings = buf_detach(&b, NULL);
}

/* Walks every property of every component below c for TZIDs. */
static void
cal_ical_resolve_all(struct cal_cal *cal, icalcomponent *c)
{
	icalcompiter	 it;
	icalcomponent	*sub;
	icalproperty	*p;
	icalparameter	*tz;
	const char	*tzid;

	for (p = icalcomponent_get_first_property(c, ICAL_ANY_PROPERTY);
	    p != NULL; p = icalcomponent_get_next_property(c,
	    ICAL_ANY_PROPERTY)) {
		tz = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
		if (tz == NULL || (tzid = icalparameter_get_tzid(tz)) == NULL)
			continue;
		if (cal_ical_resolve(cal, tzid) != 0)
			cal_ical_warn(cal, "unknown time zone", tzid);
	}
	for (it = icalcomponent_begin_component(c, ICAL_ANY_COMPONENT);
	    (sub = icalcompiter_deref(&it)) != NULL; icalcompiter_next(&it)) {
		if (icalcomponent_isa(sub) != ICAL_VTIMEZONE_COMPONENT)
			cal_ical_resolve_all(cal, sub);
	}
}

static struct cal_cal *
cal_ical_wrap(icalcomponent *top)
{
	struct cal_cal	*cal;

	cal = xcalloc(1, sizeof *cal);
	cal->top = top;
	return (cal);
}

struct cal_cal *
cal_ical_parse(const char *text, size_t len, char **cause)
{
	icalcomponent	*root, *top, *c;
	icalcompiter	 it;
	struct cal_cal	*cal;
	char		*copy;
	size_t		 n, i;

	if (len > CAL_MAX_TEXT) {
		xcause(cause, "calendar too large (%zu bytes, limit %u)", len,
		    CAL_MAX_TEXT);
		return (NULL);
	}
	if (memchr(text, '\0', len) != NULL) {
		xcause(cause, "not iCalendar: holds a NUL byte");
		return (NULL);
	}
	/* Count the components before libical builds them. */
	for (n = 0, c = NULL, i = 0; i + 6 <= len; i++) {
		if ((text[i] == 'B' || text[i] == 'b') &&
		    (i == 0 || text[i - 1] == '\n') &&
		    strncasecmp(text + i, "BEGIN:", 6) == 0)
			n++;
	}
	if (n > CAL_MAX_COMPONENTS) {
		xcause(cause, "calendar has too many components (%zu, limit "
		    "%u)", n, CAL_MAX_COMPONENTS);
		return (NULL);
	}
	copy = xstrndup(text, len);
	icalerror_clear_errno();
	root = icalparser_parse_string(copy);
	free(copy);
	if (root == NULL) {
		xcause(cause, "not iCalendar: %s", icalerrno != ICAL_NO_ERROR ?
		    icalerror_strerror(icalerrno) : "no component");
		return (NULL);
	}
	top = NULL;
	switch (icalcomponent_isa(root)) {
	case ICAL_VCALENDAR_COMPONENT:
		top = root;
		break;
	case ICAL_XROOT_COMPONENT:
		/* Several calendars in one text: the first one counts. */
		c = icalcomponent_get_first_component(root,
		    ICAL_VCALENDAR_COMPONENT);
		if (c != NULL) {
			icalcomponent_remove_component(root, c);
			top = c;
		}
		icalcomponent_free(root);
		break;
	case ICAL_VEVENT_COMPONENT:
	case ICAL_VTODO_COMPONENT:
		top = icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT,
		    icalproperty_new_version("2.0"),
		    icalproperty_new_prodid(CAL_ICAL_PRODID), (void *)0);
		icalcomponent_add_component(top, root);
		break;
	default:
		icalcomponent_free(root);
		break;
	}
	if (top == NULL) {
		xcause(cause, "not iCalendar: no VCALENDAR");
		return (NULL);
	}
	cal = cal_ical_wrap(top);
	/* Components the parser could not read at all are noted. */
	n = 0;
	for (it = icalcomponent_begin_component(top, ICAL_ANY_COMPONENT);
	    (c = icalcompiter_deref(&it)) != NULL; icalcompiter_next(&it)) {
		if (icalcomponent_isa(c) == ICAL_XLICINVALID_COMPONENT)
			n++;
	}
	if (n != 0)
		cal_ical_warn(cal, "some components could not be read", "");
	cal_ical_resolve_all(cal, top);
	return (cal);
}

void
cal_ical_free(struct cal_cal *cal)
{
	if (cal == NULL)
		return;
	icalcomponent_free(cal->top);
	free(cal->warnings);
	free(cal);
}

struct cal_cal *
cal_ical_copy(const struct cal_cal *cal)
{
	struct cal_cal	*new;

	new = cal_ical_wrap(icalcomponent_new_clone(cal->top));
	if (cal->warnings != NULL)
		new->warnings = xstrdup(cal->warnings);
	return (new);
}

char *
cal_ical_text(const struct cal_cal *cal)
{
	char	*s, *out;

	s = icalcomponent_as_ical_string_r(cal->top);
	out = xstrdup(s != NULL ? s : "");
	free(s);
	return (out);
}

enum cal_method
cal_ical_method(const struct cal_cal *cal)
{
	icalproperty	*p;

	p = icalcomponent_get_first_property(cal->top, ICAL_METHOD_PROPERTY);
	if (p == NULL)
		return (CAL_METHOD_NONE);
	switch (icalproperty_get_method(p)) {
	case ICAL_METHOD_PUBLISH:
		return (CAL_METHOD_PUBLISH);
	case ICAL_METHOD_REQUEST:
		return (CAL_METHOD_REQUEST);
	case ICAL_METHOD_REPLY:
		return (CAL_METHOD_REPLY);
	case ICAL_METHOD_CANCEL:
		return (CAL_METHOD_CANCEL);
	default:
		return (CAL_METHOD_OTHER);
	}
}

const char *
cal_ical_method_name(enum cal_method m)
{
	static const char *names[] = { "", "PUBLISH", "REQUEST", "REPLY",
	    "CANCEL", "OTHER" };

	if ((size_t)m >= sizeof names / sizeof *names)
		return ("OTHER");
	return (names[m]);
}

const char *
cal_ical_warnings(const struct cal_cal *cal)
{
	return (cal->warnings);
}

/* -------------------------------------------------------------------- */

/* A time property's value with its zone applied. */
static struct icaltimetype
cal_ical_prop_time(icalcomponent *top, icalproperty *p,
    struct icaltimetype t)
{
	icalparameter	*tz;
	icaltimezone	*z;
	const char	*tzid;

	if (icaltime_is_null_time(t) || t.is_date || icaltime_is_utc(t))
		return (t);
	tz = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
	if (tz == NULL || (tzid = icalparameter_get_tzid(tz)) == NULL)
		return (t);
	if ((z = cal_ical_zone(top, tzid)) != NULL)
		t = icaltime_set_timezone(&t, z);
	return (t);
}

static struct icaltimetype
cal_ical_get_time(icalcomponent *top, icalcomponent *c, icalproperty_kind k)
{
	icalproperty	*p;

	if ((p = icalcomponent_get_first_property(c, k)) == NULL)
		return (icaltime_null_time());
	return (cal_ical_prop_time(top, p,
	    icalvalue_get_datetime(icalproperty_get_value(p))));
}

/* A time as a UTC instant: dates and floating times count locally. */
static time_t
cal_ical_timet(struct icaltimetype t)
{
	struct tm	 tm;

	if (icaltime_is_null_time(t))
		return (-1);
	if (!t.is_date && icaltime_is_utc(t))
		return (icaltime_as_timet(t));
	if (!t.is_date && t.zone != NULL)
		return (icaltime_as_timet_with_zone(t, t.zone));
	memset(&tm, 0, sizeof tm);
	tm.tm_year = t.year - 1900;
	tm.tm_mon = t.month - 1;
	tm.tm_mday = t.day;
	if (!t.is_date) {
		tm.tm_hour = t.hour;
		tm.tm_min = t.minute;
		tm.tm_sec = t.second;
	}
	tm.tm_isdst = -1;
	return (mktime(&tm));
}

static const char *
cal_ical_tzid(icalcomponent *c, icalproperty_kind k)
{
	icalproperty	*p;
	icalparameter	*tz;

	if ((p = icalcomponent_get_first_property(c, k)) == NULL)
		return (NULL);
	tz = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
	return (tz != NULL ? icalparameter_get_tzid(tz) : NULL);
}

static char *
cal_ical_dup(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

static const char *
cal_ical_strip_mailto(const char *s)
{
	if (s != NULL && strncasecmp(s, "mailto:", 7) == 0)
		return (s + 7);
	return (s);
}

static const char *
cal_ical_x(icalcomponent *c, const char *name)
{
	icalproperty	*p;
	const char	*n;

	for (p = icalcomponent_get_first_property(c, ICAL_X_PROPERTY);
	    p != NULL; p = icalcomponent_get_next_property(c,
	    ICAL_X_PROPERTY)) {
		n = icalproperty_get_x_name(p);
		if (n != NULL && strcasecmp(n, name) == 0)
			return (icalproperty_get_x(p));
	}
	return (NULL);
}

static void
cal_ical_set_x(icalcomponent *c, const char *name, const char *value)
{
	icalproperty	*p, *next;
	const char	*n;

	for (p = icalcomponent_get_first_property(c, ICAL_X_PROPERTY);
	    p != NULL; p = next) {
		next = icalcomponent_get_next_property(c, ICAL_X_PROPERTY);
		n = icalproperty_get_x_name(p);
		if (n != NULL && strcasecmp(n, name) == 0) {
			icalcomponent_remove_property(c, p);
			icalproperty_free(p);
		}
	}
	p = icalproperty_new_x(value);
	icalproperty_set_x_name(p, name);
	icalcomponent_add_property(c, p);
}

/* Our answers and libical's, both ways. */
static const struct {
	enum cal_partstat	 ours;
	icalparameter_partstat	 ical;
} cal_ical_partstats[] = {
	{ CAL_PARTSTAT_NEEDS_ACTION, ICAL_PARTSTAT_NEEDSACTION },
	{ CAL_PARTSTAT_ACCEPTED, ICAL_PARTSTAT_ACCEPTED },
	{ CAL_PARTSTAT_DECLINED, ICAL_PARTSTAT_DECLINED },
	{ CAL_PARTSTAT_TENTATIVE, ICAL_PARTSTAT_TENTATIVE },
	{ CAL_PARTSTAT_DELEGATED, ICAL_PARTSTAT_DELEGATED },
	{ CAL_PARTSTAT_NONE, ICAL_PARTSTAT_NONE },
};

static enum cal_partstat
cal_ical_partstat(icalparameter_partstat ps)
{
	size_t	 i;

	for (i = 0; i < sizeof cal_ical_partstats /
	    sizeof *cal_ical_partstats; i++) {
		if (cal_ical_partstats[i].ical == ps)
			return (cal_ical_partstats[i].ours);
	}
	return (CAL_PARTSTAT_OTHER);
}

/* NONE and OTHER are not answers one sends: NEEDS-ACTION. */
static icalparameter_partstat
cal_ical_ical_partstat(enum cal_partstat ps)
{
	size_t	 i;

	for (i = 0; i < sizeof cal_ical_partstats /
	    sizeof *cal_ical_partstats - 1; i++) {
		if (cal_ical_partstats[i].ours == ps)
			return (cal_ical_partstats[i].ical);
	}
	return (ICAL_PARTSTAT_NEEDSACTION);
}

const char *
cal_ical_partstat_name(enum cal_partstat ps)
{
	static const char *names[] = { "", "NEEDS-ACTION", "ACCEPTED",
	    "DECLINED", "TENTATIVE", "DELEGATED", "OTHER" };

	if ((size_t)ps >= sizeof names / sizeof *names)
		return ("OTHER");
	return (names[ps]);
}

enum cal_partstat
cal_ical_partstat_from_name(const char *s)
{
	size_t	 i;

	for (i = CAL_PARTSTAT_NEEDS_ACTION; i < CAL_PARTSTAT_OTHER; i++) {
		if (strcasecmp(s, cal_ical_partstat_name(i)) == 0)
			return (i);
	}
	return (CAL_PARTSTAT_NONE);
}

static const char *
cal_ical_status_name(icalcomponent *c)
{
	icalproperty	*p;

	if ((p = icalcomponent_get_first_property(c, ICAL_STATUS_PROPERTY))
	    == NULL)
		return (NULL);
	return (icalproperty_status_to_string(icalproperty_get_status(p)));
}

static int
cal_ical_cancelled(icalcomponent *c)
{
	const char	*s = cal_ical_status_name(c);

	return (s != NULL && strcmp(s, "CANCELLED") == 0);
}

static const char *
cal_ical_text_prop(icalcomponent *c, icalproperty_kind k)
{
	icalproperty	*p;

	if ((p = icalcomponent_get_first_property(c, k)) == NULL)
		return (NULL);
	return (icalvalue_get_text(icalproperty_get_value(p)));
}

/* The RECURRENCE-ID as an instant (pitfall 1: with its TZID), or -1. */
static time_t
cal_ical_rid(icalcomponent *top, icalcomponent *c, struct icaltimetype *tp,
    int *future)
{
	icalproperty	*p;
	icalparameter	*r;
	struct icaltimetype t;

	if (future != NULL)
		*future = 0;
	p = icalcomponent_get_first_property(c, ICAL_RECURRENCEID_PROPERTY);
	if (p == NULL)
		return (-1);
	t = cal_ical_prop_time(top, p, icalproperty_get_recurrenceid(p));
	if (tp != NULL)
		*tp = t;
	r = icalproperty_get_first_parameter(p, ICAL_RANGE_PARAMETER);
	if (future != NULL && r != NULL &&
	    icalparameter_get_range(r) == ICAL_RANGE_THISANDFUTURE)
		*future = 1;
	return (cal_ical_timet(t));
}

/* Start and end of one component as instants. */
static void
cal_ical_span(icalcomponent *top, icalcomponent *c, time_t *start,
    time_t *end, int *all_day, int *floating)
{
	struct icaltimetype s, e;
	icalproperty	*p;

	s = cal_ical_get_time(top, c, ICAL_DTSTART_PROPERTY);
	e = cal_ical_get_time(top, c, ICAL_DTEND_PROPERTY);
	if (icaltime_is_null_time(e) && !icaltime_is_null_time(s)) {
		p = icalcomponent_get_first_property(c, ICAL_DURATION_PROPERTY);
		if (p != NULL)
			e = icaltime_add(s, icalproperty_get_duration(p));
		else if (s.is_date) {
			e = s;
			icaltime_adjust(&e, 1, 0, 0, 0);
		}
	}
	*start = cal_ical_timet(s);
	*end = icaltime_is_null_time(e) ? *start : cal_ical_timet(e);
	if (*end < *start)
		*end = *start;
	if (all_day != NULL)
		*all_day = s.is_date;
	if (floating != NULL)
		*floating = !s.is_date && !icaltime_is_null_time(s) &&
		    !icaltime_is_utc(s) && s.zone == NULL;
}

static void
cal_ical_event_fill(const struct cal_cal *cal, icalcomponent *c,
    struct cal_event *ev)
{
	icalproperty	*p;
	icalparameter	*a;
	struct cal_attendee *at;
	size_t		 n;
	const char	*tzid;
	char		*rr;

	memset(ev, 0, sizeof *ev);
	ev->uid = cal_ical_dup(icalcomponent_get_uid(c));
	ev->summary = cal_ical_dup(cal_ical_text_prop(c,
	    ICAL_SUMMARY_PROPERTY));
	ev->location = cal_ical_dup(cal_ical_text_prop(c,
	    ICAL_LOCATION_PROPERTY));
	ev->description = cal_ical_dup(cal_ical_text_prop(c,
	    ICAL_DESCRIPTION_PROPERTY));
	if ((p = icalcomponent_get_first_property(c, ICAL_ORGANIZER_PROPERTY))
	    != NULL) {
		ev->organizer = cal_ical_dup(cal_ical_strip_mailto(
		    icalproperty_get_organizer(p)));
		a = icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER);
		if (a != NULL)
			ev->organizer_cn = cal_ical_dup(icalparameter_get_cn(a));
	}
	n = icalcomponent_count_properties(c, ICAL_ATTENDEE_PROPERTY);
	if (n != 0)
		ev->attendees = xcalloc(n, sizeof *ev->attendees);
	for (p = icalcomponent_get_first_property(c, ICAL_ATTENDEE_PROPERTY);
	    p != NULL && ev->n_attendees < n; p =
	    icalcomponent_get_next_property(c, ICAL_ATTENDEE_PROPERTY)) {
		at = &ev->attendees[ev->n_attendees++];
		at->address = cal_ical_dup(cal_ical_strip_mailto(
		    icalproperty_get_attendee(p)));
		if ((a = icalproperty_get_first_parameter(p,
		    ICAL_CN_PARAMETER)) != NULL)
			at->cn = cal_ical_dup(icalparameter_get_cn(a));
		if ((a = icalproperty_get_first_parameter(p,
		    ICAL_ROLE_PARAMETER)) != NULL)
			at->role = cal_ical_dup(icalparameter_enum_to_string(
			    icalparameter_get_role(a)));
		if ((a = icalproperty_get_first_parameter(p,
		    ICAL_PARTSTAT_PARAMETER)) != NULL)
			at->partstat = cal_ical_partstat(
			    icalparameter_get_partstat(a));
		else
			at->partstat = CAL_PARTSTAT_NEEDS_ACTION;
	}
	cal_ical_span(cal->top, c, &ev->start, &ev->end, &ev->all_day,
	    &ev->floating);
	tzid = cal_ical_tzid(c, ICAL_DTSTART_PROPERTY);
	if (tzid != NULL && !ev->all_day) {
		ev->tzid = xstrdup(tzid);
		if (cal_ical_zone(cal->top, tzid) == NULL) {
			ev->floating = 1;
			xasprintf(&ev->warnings, "unknown time zone '%s', "
			    "taken as floating (local) time", tzid);
		}
	}
	if ((p = icalcomponent_get_first_property(c, ICAL_RRULE_PROPERTY))
	    != NULL) {
		rr = icalproperty_get_value_as_string_r(p);
		if (rr != NULL)
			ev->rrule = cal_ical_rrule_words(rr);
		free(rr);
	}
	ev->sequence = icalcomponent_get_sequence(c);
	if (ev->sequence < 0)
		ev->sequence = 0;
	ev->rid = cal_ical_rid(cal->top, c, NULL, &ev->rid_future);
	ev->status = cal_ical_dup(cal_ical_status_name(c));
	ev->method = cal_ical_method(cal);
	ev->message_id = cal_ical_dup(cal_ical_x(c, CAL_ICAL_MSGID));
}

void
cal_ical_events(const struct cal_cal *cal, struct cal_event **evs,
    size_t *n)
{
	icalcompiter	 it;
	icalcomponent	*c;
	size_t		 max;

	*evs = NULL;
	*n = 0;
	max = icalcomponent_count_components(cal->top, ICAL_VEVENT_COMPONENT);
	if (max == 0)
		return;
	*evs = xcalloc(max, sizeof **evs);
	for (it = icalcomponent_begin_component(cal->top,
	    ICAL_VEVENT_COMPONENT); (c = icalcompiter_deref(&it)) != NULL &&
	    *n < max; icalcompiter_next(&it))
		cal_ical_event_fill(cal, c, &(*evs)[(*n)++]);
}

void
cal_ical_events_free(struct cal_event *evs, size_t n)
{
	size_t	 i, j;

	for (i = 0; i < n; i++) {
		free(evs[i].uid);
		free(evs[i].summary);
		free(evs[i].location);
		free(evs[i].description);
		free(evs[i].organizer);
		free(evs[i].organizer_cn);
		for (j = 0; j < evs[i].n_attendees; j++) {
			free(evs[i].attendees[j].address);
			free(evs[i].attendees[j].cn);
			free(evs[i].attendees[j].role);
		}
		free(evs[i].attendees);
		free(evs[i].tzid);
		free(evs[i].rrule);
		free(evs[i].status);
		free(evs[i].message_id);
		free(evs[i].warnings);
	}
	free(evs);
}

void
cal_ical_todos(const struct cal_cal *cal, struct cal_todo **tds, size_t *n)
{
	icalcompiter	 it;
	icalcomponent	*c;
	icalproperty	*p;
	struct cal_todo	*td;
	struct icaltimetype t;
	size_t		 max;

	*tds = NULL;
	*n = 0;
	max = icalcomponent_count_components(cal->top, ICAL_VTODO_COMPONENT);
	if (max == 0)
		return;
	*tds = xcalloc(max, sizeof **tds);
	for (it = icalcomponent_begin_component(cal->top,
	    ICAL_VTODO_COMPONENT); (c = icalcompiter_deref(&it)) != NULL &&
	    *n < max; icalcompiter_next(&it)) {
		td = &(*tds)[(*n)++];
		td->uid = cal_ical_dup(icalcomponent_get_uid(c));
		td->summary = cal_ical_dup(cal_ical_text_prop(c,
		    ICAL_SUMMARY_PROPERTY));
		td->description = cal_ical_dup(cal_ical_text_prop(c,
		    ICAL_DESCRIPTION_PROPERTY));
		t = cal_ical_get_time(cal->top, c, ICAL_DUE_PROPERTY);
		td->due = cal_ical_timet(t);
		td->due_all_day = !icaltime_is_null_time(t) && t.is_date;
		p = icalcomponent_get_first_property(c, ICAL_PRIORITY_PROPERTY);
		td->priority = p != NULL ? icalproperty_get_priority(p) : 0;
		if (td->priority < 0 || td->priority > 9)
			td->priority = 0;
		td->status = cal_ical_dup(cal_ical_status_name(c));
		if (td->status == NULL)
			td->status = xstrdup("NEEDS-ACTION");
		p = icalcomponent_get_first_property(c,
		    ICAL_PERCENTCOMPLETE_PROPERTY);
		td->percent = p != NULL ? icalproperty_get_percentcomplete(p) :
		    0;
		if (td->percent < 0 || td->percent > 100)
			td->percent = 0;
		t = cal_ical_get_time(cal->top, c, ICAL_COMPLETED_PROPERTY);
		td->completed = cal_ical_timet(t);
		td->message_id = cal_ical_dup(cal_ical_x(c, CAL_ICAL_MSGID));
	}
}

void
cal_ical_todos_free(struct cal_todo *tds, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(tds[i].uid);
		free(tds[i].summary);
		free(tds[i].description);
		free(tds[i].status);
		free(tds[i].message_id);
	}
	free(tds);
}

const char *
cal_ical_uid(const struct cal_cal *cal)
{
	icalcompiter	 it;
	icalcomponent	*c;
	const char	*uid;

	for (it = icalcomponent_begin_component(cal->top, ICAL_ANY_COMPONENT);
	    (c = icalcompiter_deref(&it)) != NULL; icalcompiter_next(&it)) {
		if (icalcomponent_isa(c) == ICAL_VTIMEZONE_COMPONENT)
			continue;
		if ((uid = icalcomponent_get_uid(c)) != NULL)
			return (uid);
	}
	return (NULL);
}

/* -------------------------------------------------------------------- */

struct cal_ical_expand {
	const struct cal_cal	*cal;
	time_t			 from;
	time_t			 to;
	struct cal_occurrence	**occ;
	size_t			*n;
	size_t			 size;		/* of *occ, at least *n */
	size_t			 made;
	int			 full;
};

static int
cal_ical_emit(struct cal_ical_expand *x, icalcomponent *c, time_t start,
    time_t end, time_t rid, int all_day, int cancelled)
{
	struct cal_occurrence *o;
	icalproperty	*p;
	const char	*tzid;

	if (start >= x->to || (end > start ? end <= x->from : start <
	    x->from))
		return (0);
	if (x->made >= CAL_MAX_INSTANCES) {
		x->full = 1;
		return (-1);
	}
	if (*x->n == x->size) {
		x->size = x->size < 16 ? 16 : x->size * 2;
		*x->occ = xreallocarray(*x->occ, x->size, sizeof **x->occ);
	}
	o = &(*x->occ)[(*x->n)++];
	x->made++;
	memset(o, 0, sizeof *o);
	o->uid = cal_ical_dup(icalcomponent_get_uid(c));
	o->summary = cal_ical_dup(cal_ical_text_prop(c,
	    ICAL_SUMMARY_PROPERTY));
	o->location = cal_ical_dup(cal_ical_text_prop(c,
	    ICAL_LOCATION_PROPERTY));
	tzid = cal_ical_tzid(c, ICAL_DTSTART_PROPERTY);
	if (tzid != NULL && !all_day)
		o->tzid = xstrdup(tzid);
	o->start = start;
	o->end = end;
	o->rid = rid;
	o->all_day = all_day;
	o->cancelled = cancelled || cal_ical_cancelled(c);
	p = icalcomponent_get_first_property(c, ICAL_TRANSP_PROPERTY);
	o->transparent = p != NULL &&
	    icalproperty_get_transp(p) == ICAL_TRANSP_TRANSPARENT;
	return (0);
}

static int
cal_ical_cmp_time(const void *a, const void *b)
{
	time_t	 x = *(const time_t *)a, y = *(const time_t *)b;

	return (x < y ? -1 : x > y);
}

/* cal_rrule_expand()'s conversion: a wall time in DTSTART's zone (or a
 * date, or floating), as cal_ical_timet() converts DTSTART itself. */
static time_t
cal_ical_rrule_conv(const struct cal_rrule_time *w, void *arg)
{
	struct icaltimetype t = *(const struct icaltimetype *)arg;

	t.year = w->year;
	t.month = w->month;
	t.day = w->day;
	if (!t.is_date) {
		t.hour = w->hour;
		t.minute = w->minute;
		t.second = w->second;
	}
	return (cal_ical_timet(t));
}

/*
 * A rule in another calendar than the Gregorian (RSCALE=HEBREW, ...):
 * cal/rrule.c does not know them, libical's iterator (with ICU) does,
 * so it still expands those, as before.
 */
static size_t
cal_ical_rule_libical(struct icalrecurrencetype r,
    struct icaltimetype dtstart, time_t lo, time_t hi, time_t **v, size_t n,
    int *cut)
{
	icalrecur_iterator *ri;
	struct icaltimetype t;
	size_t		 steps, made = 0;
	time_t		 tt;

	if ((ri = icalrecur_iterator_new(r, dtstart)) == NULL)
		return (n);
	for (steps = 0; steps < CAL_MAX_RRULE_STEPS; steps++) {
		t = icalrecur_iterator_next(ri);
		if (icaltime_is_null_time(t))
			break;
		t.zone = dtstart.zone;
		t.is_date = dtstart.is_date;
		if ((tt = cal_ical_timet(t)) >= hi)
			break;
		if (tt < lo)
			continue;
		if (made++ == CAL_MAX_INSTANCES) {
			*cut |= 1;
			break;
		}
		*v = xreallocarray(*v, n + 1, sizeof **v);
		(*v)[n++] = tt;
	}
	if (steps == CAL_MAX_RRULE_STEPS)
		*cut |= 2;
	icalrecur_iterator_free(ri);
	return (n);
}

/*
 * Appends to *v (n counts) the starts in [lo, hi) of a rule (an RRULE
 * or EXRULE property), at most CAL_MAX_INSTANCES; returns the new count.
 * *cut gets 1 when the window holds more, 2 when the rule was given up.
 */
static size_t
cal_ical_rule(icalproperty *p, struct icaltimetype dtstart, time_t lo,
    time_t hi, time_t **v, size_t n, int *cut)
{
	struct icalrecurrencetype r;
	struct cal_rrule *rr;
	struct cal_rrule_time w;
	char		*text;
	int		 rc;

	r = icalproperty_isa(p) == ICAL_RRULE_PROPERTY ?
	    icalproperty_get_rrule(p) : icalproperty_get_exrule(p);
	if (r.rscale != NULL && strcasecmp(r.rscale, "GREGORIAN") != 0)
		return (cal_ical_rule_libical(r, dtstart, lo, hi, v, n, cut));
	text = icalrecurrencetype_as_string_r(&r);
	rr = cal_rrule_parse(text, NULL);
	free(text);
	if (rr == NULL)
		return (n);
	memset(&w, 0, sizeof w);
	w.year = dtstart.year;
	w.month = dtstart.month;
	w.day = dtstart.day;
	w.date = dtstart.is_date;
	w.zoned = !dtstart.is_date && (icaltime_is_utc(dtstart) ||
	    dtstart.zone != NULL);
	if (!dtstart.is_date) {
		w.hour = dtstart.hour;
		w.minute = dtstart.minute;
		w.second = dtstart.second;
	}
	rc = cal_rrule_expand(rr, &w, cal_ical_rrule_conv, &dtstart, lo, hi,
	    CAL_MAX_INSTANCES, v, &n);
	if (rc > 0)
		*cut |= rc;
	cal_rrule_free(rr);
	return (n);
}

/*
 * Collects the instance starts of a master in [lo, hi): RRULEs less
 * EXRULEs, RDATEs, or DTSTART alone.  *cut as for cal_ical_rule().
 */
static size_t
cal_ical_instances(struct cal_ical_expand *x, icalcomponent *m,
    struct icaltimetype dtstart, time_t lo, time_t hi, time_t **out,
    int *cut)
{
	icalcomponent	*top = x->cal->top;
	icalproperty	*p;
	struct icaltimetype t;
	struct icaldatetimeperiodtype rd;
	time_t		*v = NULL, *ex;
	size_t		 n = 0, nex, i, j, k;
	int		 excut = 0;

	if ((p = icalcomponent_get_first_property(m, ICAL_RRULE_PROPERTY))
	    == NULL) {
		v = xmalloc(sizeof *v);
		v[n++] = cal_ical_timet(dtstart);
	}
	for (; p != NULL; p = icalcomponent_get_next_property(m,
	    ICAL_RRULE_PROPERTY))
		n = cal_ical_rule(p, dtstart, lo, hi, &v, n, cut);
	/* EXRULE (RFC 2445, gone from RFC 5545): its instances go.  Both
	 * lists sorted, one walk removes them. */
	for (p = icalcomponent_get_first_property(m, ICAL_EXRULE_PROPERTY);
	    p != NULL && n != 0; p = icalcomponent_get_next_property(m,
	    ICAL_EXRULE_PROPERTY)) {
		ex = NULL;
		nex = cal_ical_rule(p, dtstart, lo, hi, &ex, 0, &excut);
		if (n > 1)
			qsort(v, n, sizeof *v, cal_ical_cmp_time);
		if (nex > 1)
			qsort(ex, nex, sizeof *ex, cal_ical_cmp_time);
		for (i = j = k = 0; i < n; i++) {
			while (k < nex && ex[k] < v[i])
				k++;
			if (k == nex || ex[k] != v[i])
				v[j++] = v[i];
		}
		n = j;
		free(ex);
	}
	for (p = icalcomponent_get_first_property(m, ICAL_RDATE_PROPERTY);
	    p != NULL; p = icalcomponent_get_next_property(m,
	    ICAL_RDATE_PROPERTY)) {
		rd = icalproperty_get_rdate(p);
		t = icaltime_is_null_time(rd.time) ? rd.period.start : rd.time;
		t = cal_ical_prop_time(top, p, t);
		if (icaltime_is_null_time(t))
			continue;
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = cal_ical_timet(t);
	}
	if (n > 1)
		qsort(v, n, sizeof *v, cal_ical_cmp_time);
	*out = v;
	return (n);
}

/* Is instance tt excluded by an EXDATE? */
static int
cal_ical_excluded(icalcomponent *top, icalcomponent *m, time_t tt,
    int all_day)
{
	icalproperty	*p;
	struct icaltimetype t;
	struct tm	 tm;

	for (p = icalcomponent_get_first_property(m, ICAL_EXDATE_PROPERTY);
	    p != NULL; p = icalcomponent_get_next_property(m,
	    ICAL_EXDATE_PROPERTY)) {
		t = cal_ical_prop_time(top, p, icalproperty_get_exdate(p));
		if (t.is_date || all_day) {
			localtime_r(&tt, &tm);
			if (tm.tm_year + 1900 == t.year &&
			    tm.tm_mon + 1 == t.month && tm.tm_mday == t.day)
				return (1);
		} else if (cal_ical_timet(t) == tt)
			return (1);
	}
	return (0);
}

static int
cal_ical_rid_matches(const struct cal_ical_override *o, time_t tt,
    int all_day)
{
	struct tm	 tm;

	if (!all_day)
		return (o->rid == tt);
	localtime_r(&tt, &tm);
	return (tm.tm_year + 1900 == o->rid_year &&
	    tm.tm_mon + 1 == o->rid_month && tm.tm_mday == o->rid_day);
}

/* Expands one UID: its master (if any) and its overrides. */
static int
cal_ical_expand_uid(struct cal_ical_expand *x, const char *uid)
{
	icalcomponent	*top = x->cal->top, *c, *master = NULL;
	icalcompiter	 it;
	struct cal_ical_override *ov = NULL, *o, *fut;
	struct icaltimetype dtstart, ridt;
	size_t		 nov = 0, i, j, ninst;
	time_t		*inst, start, end, dur, back, fwd, shift;
	int		 all_day, skip, cut = 0, rc = 0;
	const char	*u;

	for (it = icalcomponent_begin_component(top, ICAL_VEVENT_COMPONENT);
	    (c = icalcompiter_deref(&it)) != NULL; icalcompiter_next(&it)) {
		u = icalcomponent_get_uid(c);
		if ((u == NULL) != (uid == NULL) || (u != NULL &&
		    strcmp(u, uid) != 0))
			continue;
		if (icalcomponent_get_first_property(c,
		    ICAL_RECURRENCEID_PROPERTY) == NULL) {
			if (master == NULL)
				master = c;
			continue;
		}
		ov = xreallocarray(ov, nov + 1, sizeof *ov);
		o = &ov[nov++];
		memset(o, 0, sizeof *o);
		o->c = c;
		ridt = icaltime_null_time();
		o->rid = cal_ical_rid(top, c, &ridt, &o->future);
		o->rid_year = ridt.year;
		o->rid_month = ridt.month;
		o->rid_day = ridt.day;
		cal_ical_span(top, c, &o->start, &o->end, NULL, NULL);
	}
	for (i = 0; i < nov; i++) {
		cal_ical_span(top, ov[i].c, &start, &end, &all_day, NULL);
		if (start == -1)
			continue;
		if (cal_ical_emit(x, ov[i].c, start, end, ov[i].rid, all_day,
		    master != NULL && cal_ical_cancelled(master)) != 0)
			rc = -1;
	}
	if (master == NULL || rc != 0)
		goto out;
	dtstart = cal_ical_get_time(top, master, ICAL_DTSTART_PROPERTY);
	if (icaltime_is_null_time(dtstart))
		goto out;
	cal_ical_span(top, master, &start, &end, &all_day, NULL);
	dur = end - start;
	/*
	 * The instances that can overlap the window: those starting less
	 * than a duration before it, and those a THISANDFUTURE override
	 * moves into it from before or after.
	 */
	back = dur;
	fwd = 0;
	for (j = 0; j < nov; j++) {
		if (!ov[j].future || ov[j].rid == -1 || ov[j].start == -1)
			continue;
		shift = ov[j].start - ov[j].rid;
		if (shift + (ov[j].end - ov[j].start) > back)
			back = shift + (ov[j].end - ov[j].start);
		if (-shift > fwd)
			fwd = -shift;
	}
	ninst = cal_ical_instances(x, master, dtstart, x->from - back - 1,
	    x->to + fwd, &inst, &cut);
	if (cut & 2)
		log_warnx("ical: '%s': recurrence given up after %u steps",
		    uid != NULL ? uid : "", CAL_MAX_RRULE_STEPS);
	for (i = 0; i < ninst && rc == 0; i++) {
		if (i > 0 && inst[i] == inst[i - 1])
			continue;
		if (cal_ical_excluded(top, master, inst[i], all_day))
			continue;
		skip = 0;
		fut = NULL;
		for (j = 0; j < nov; j++) {
			if (cal_ical_rid_matches(&ov[j], inst[i], all_day))
				skip = 1;
			else if (ov[j].future && ov[j].rid < inst[i] &&
			    (fut == NULL || ov[j].rid > fut->rid))
				fut = &ov[j];
		}
		if (skip)
			continue;
		start = inst[i];
		end = inst[i] + dur;
		c = master;
		if (fut != NULL) {
			start += fut->start - fut->rid;
			end = start + (fut->end - fut->start);
			c = fut->c;
		}
		if (cal_ical_emit(x, c, start, end, inst[i] == cal_ical_timet(
		    dtstart) && ninst == 1 ? -1 : inst[i], all_day, 0) != 0)
			rc = -1;
	}
	/* The window holds more instances than were made. */
	if ((cut & 1) && rc == 0) {
		x->full = 1;
		rc = -1;
	}
	free(inst);
out:
	free(ov);
	return (rc);
}

int
cal_ical_expand(const struct cal_cal *cal, time_t from, time_t to,
    struct cal_occurrence **occ, size_t *n, char **cause)
{
	struct cal_ical_expand x;
	icalcompiter	 it;
	icalcomponent	*c;
	const char	**seen = NULL, *uid;
	size_t		 nseen = 0, i;
	int		 rc = 0;

	memset(&x, 0, sizeof x);
	x.cal = cal;
	x.from = from;
	x.to = to;
	x.occ = occ;
	x.n = n;
	x.size = *n;
	for (it = icalcomponent_begin_component(cal->top,
	    ICAL_VEVENT_COMPONENT); (c = icalcompiter_deref(&it)) != NULL &&
	    rc == 0; icalcompiter_next(&it)) {
		uid = icalcomponent_get_uid(c);
		for (i = 0; i < nseen; i++) {
			if ((seen[i] == NULL && uid == NULL) || (seen[i] !=
			    NULL && uid != NULL && strcmp(seen[i], uid) == 0))
				break;
		}
		if (i < nseen)
			continue;
		seen = xreallocarray(seen, nseen + 1, sizeof *seen);
		seen[nseen++] = uid;
		rc = cal_ical_expand_uid(&x, uid);
	}
	free(seen);
	if (rc != 0)
		xcause(cause, "more than %u occurrences in the window",
		    CAL_MAX_INSTANCES);
	return (rc);
}

void
cal_ical_occurrences_free(struct cal_occurrence *occ, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(occ[i].uid);
		free(occ[i].summary);
		free(occ[i].location);
		free(occ[i].tzid);
	}
	free(occ);
}

static int
cal_ical_cmp_occ(const void *a, const void *b)
{
	const struct cal_occurrence *x = a, *y = b;

	if (x->start != y->start)
		return (x->start < y->start ? -1 : 1);
	if (x->end != y->end)
		return (x->end < y->end ? -1 : 1);
	return (strcmp(x->summary != NULL ? x->summary : "",
	    y->summary != NULL ? y->summary : ""));
}

void
cal_ical_occurrences_sort(struct cal_occurrence *occ, size_t n)
{
	if (n > 1)
		qsort(occ, n, sizeof *occ, cal_ical_cmp_occ);
}

/* -------------------------------------------------------------------- */

static const char *cal_ical_day_names[] = { "Sunday", "Monday", "Tuesday",
    "Wednesday", "Thursday", "Friday", "Saturday" };
static const char *cal_ical_month_names[] = { "January", "February",
    "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December" };

static const char *
cal_ical_ordinal(int n, char *buf, size_t size)
{
	const char	*suf = "th";

	if (n == -1)
		return ("last");
	if (n < 0) {
		snprintf(buf, size, "%d%s last", -n, -n == 2 ? "nd" : -n == 3 ?
		    "rd" : "th");
		return (buf);
	}
	if (n % 10 == 1 && n % 100 != 11)
		suf = "st";
	else if (n % 10 == 2 && n % 100 != 12)
		suf = "nd";
	else if (n % 10 == 3 && n % 100 != 13)
		suf = "rd";
	snprintf(buf, size, "%d%s", n, suf);
	return (buf);
}

char *
cal_ical_rrule_words(const char *s)
{
	static const char *units[] = { "second", "minute", "hour", "day",
	    "week", "month", "year" };
	struct icalrecurrencetype r;
	struct buf	 b;
	char		 ord[32];
	int		 i, dow, pos;

	icalerror_clear_errno();
	r = icalrecurrencetype_from_string(s);
	/* The parse hands us its RSCALE string to free. */
	free(r.rscale);
	r.rscale = NULL;
	if (r.freq == ICAL_NO_RECURRENCE || (int)r.freq < 0 ||
	    (size_t)r.freq >= sizeof units / sizeof *units)
		return (NULL);
	buf_init(&b);
	if (r.interval > 1)
		buf_printf(&b, "every %d %ss", r.interval, units[r.freq]);
	else
		buf_printf(&b, "every %s", units[r.freq]);
	for (i = 0; i < ICAL_BY_DAY_SIZE &&
	    r.by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++) {
		dow = icalrecurrencetype_day_day_of_week(r.by_day[i]);
		pos = icalrecurrencetype_day_position(r.by_day[i]);
		if (dow < 1 || dow > 7)
			continue;
		buf_addstr(&b, i == 0 ? " on " : ", ");
		if (pos != 0)
			buf_printf(&b, "the %s ", cal_ical_ordinal(pos, ord,
			    sizeof ord));
		buf_addstr(&b, cal_ical_day_names[dow - 1]);
	}
	for (i = 0; i < ICAL_BY_MONTHDAY_SIZE &&
	    r.by_month_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
		buf_printf(&b, "%s%s", i == 0 ? " on day " : ", ",
		    cal_ical_ordinal(r.by_month_day[i], ord, sizeof ord));
	for (i = 0; i < ICAL_BY_MONTH_SIZE &&
	    r.by_month[i] != ICAL_RECURRENCE_ARRAY_MAX; i++) {
		if (r.by_month[i] >= 1 && r.by_month[i] <= 12)
			buf_printf(&b, "%s%s", i == 0 ? " in " : ", ",
			    cal_ical_month_names[r.by_month[i] - 1]);
	}
	if (r.count > 0)
		buf_printf(&b, ", %d time%s", r.count, r.count == 1 ? "" : "s");
	else if (!icaltime_is_null_time(r.until))
		buf_printf(&b, " until %04d-%02d-%02d", r.until.year,
		    r.until.month, r.until.day);
	return (buf_detach(&b, NULL));
}

/* -------------------------------------------------------------------- */

static int
cal_ical_is_item(icalcomponent *c)
{
	icalcomponent_kind k = icalcomponent_isa(c);

	return (k == ICAL_VEVENT_COMPONENT || k == ICAL_VTODO_COMPONENT ||
	    k == ICAL_VJOURNAL_COMPONENT);
}

/* The component of the stored calendar with the same RECURRENCE-ID. */
static icalcomponent *
cal_ical_same(icalcomponent *top, icalcomponent *want_top, icalcomponent *w)
{
	icalcompiter	 it;
	icalcomponent	*c;
	time_t		 rid;

	rid = cal_ical_rid(want_top, w, NULL, NULL);
	for (it = icalcomponent_begin_component(top, ICAL_ANY_COMPONENT);
	    (c = icalcompiter_deref(&it)) != NULL; icalcompiter_next(&it)) {
		if (cal_ical_is_item(c) && icalcomponent_isa(c) ==
		    icalcomponent_isa(w) && cal_ical_rid(top, c, NULL, NULL) ==
		    rid)
			return (c);
	}
	return (NULL);
}

static icalcomponent *
cal_ical_master(icalcomponent *top)
{
	icalcompiter	 it;
	icalcomponent	*c;

	for (it = icalcomponent_begin_component(top, ICAL_ANY_COMPONENT);
	    (c = icalcompiter_deref(&it)) != NULL; icalcompiter_next(&it)) {
		if (cal_ical_is_item(c) && icalcomponent_get_first_property(c,
		    ICAL_RECURRENCEID_PROPERTY) == NULL)
			return (c);
	}
	return (NULL);
}

/* Copies the VTIMEZONEs of from that to lacks. */
static void
cal_ical_copy_zones(icalcomponent *to, icalcomponent *from)
{
	icalcompiter	 it;
	icalcomponent	*z;
	const char	*tzid;

	for (it = icalcomponent_begin_component(from,
	    ICAL_VTIMEZONE_COMPONENT); (z = icalcompiter_deref(&it)) != NULL;
	    icalcompiter_next(&it)) {
		tzid = icalproperty_get_tzid(icalcomponent_get_first_property(z,
		    ICAL_TZID_PROPERTY));
		if (tzid == NULL || icalcomponent_get_timezone(to, tzid) !=
		    NULL)
			continue;
		icalcomponent_add_component(to, icalcomponent_new_clone(z));
	}
}

/* A stored copy: no METHOD, and the source message on every item. */
static void
cal_ical_mark(icalcomponent *top, const char *message_id)
{
	icalproperty	*p;
	icalcompiter	 it;
	icalcomponent	*c;

	while ((p = icalcomponent_get_first_property(top,
	    ICAL_METHOD_PROPERTY)) != NULL) {
		icalcomponent_remove_property(top, p);
		icalproperty_free(p);
	}
	if (message_id == NULL)
		return;
	for (it = icalcomponent_begin_component(top, ICAL_ANY_COMPONENT);
	    (c = icalcompiter_deref(&it)) != NULL; icalcompiter_next(&it)) {
		if (cal_ical_is_item(c))
			cal_ical_set_x(c, CAL_ICAL_MSGID, message_id);
	}
}

static void
cal_ical_set_status(icalcomponent *c, icalproperty_status st)
{
	icalproperty	*p;

	if ((p = icalcomponent_get_first_property(c, ICAL_STATUS_PROPERTY))
	    != NULL)
		icalproperty_set_status(p, st);
	else
		icalcomponent_add_property(c, icalproperty_new_status(st));
}

static time_t
cal_ical_dtstamp(icalcomponent *c)
{
	icalproperty	*p;

	if ((p = icalcomponent_get_first_property(c, ICAL_DTSTAMP_PROPERTY))
	    == NULL)
		return (-1);
	return (cal_ical_timet(icalproperty_get_dtstamp(p)));
}

/* Is w (incoming) newer than or as new as s (stored)? */
static int
cal_ical_newer(icalcomponent *w, icalcomponent *s, int *strictly)
{
	int	 sw = icalcomponent_get_sequence(w);
	int	 ss = icalcomponent_get_sequence(s);

	if (sw < 0)
		sw = 0;
	if (ss < 0)
		ss = 0;
	*strictly = sw > ss;
	if (sw != ss)
		return (sw > ss);
	return (cal_ical_dtstamp(w) >= cal_ical_dtstamp(s));
}

static int
cal_ical_itip_request(struct cal_cal **stored, const struct cal_cal *in,
    const char *message_id, const char **what)
{
	icalcomponent	*top, *w, *s, *m;
	icalcompiter	 it;
	int		 strictly, changed = 0, added = 0;

	if (*stored == NULL) {
		*stored = cal_ical_copy(in);
		cal_ical_mark((*stored)->top, message_id);
		*what = "created";
		return (0);
	}
	top = (*stored)->top;
	m = cal_ical_master(in->top);
	s = cal_ical_master(top);
	if (m != NULL && s != NULL && cal_ical_newer(m, s, &strictly) &&
	    strictly) {
		cal_ical_free(*stored);
		*stored = cal_ical_copy(in);
		cal_ical_mark((*stored)->top, message_id);
		*what = "updated (higher SEQUENCE)";
		return (0);
	}
	for (it = icalcomponent_begin_component(in->top, ICAL_ANY_COMPONENT);
	    (w = icalcompiter_deref(&it)) != NULL; icalcompiter_next(&it)) {
		if (!cal_ical_is_item(w))
			continue;
		s = cal_ical_same(top, in->top, w);
		if (s != NULL && !cal_ical_newer(w, s, &strictly))
			continue;
		if (s != NULL) {
			icalcomponent_remove_component(top, s);
			icalcomponent_free(s);
			changed++;
		} else
			added++;
		icalcomponent_add_component(top, icalcomponent_new_clone(w));
	}
	if (changed == 0 && added == 0) {
		*what = "ignored (not newer than the stored copy)";
		return (0);
	}
	cal_ical_copy_zones(top, in->top);
	cal_ical_mark(top, message_id);
	*what = added != 0 && changed == 0 ? "merged (exception added)" :
	    "merged (same SEQUENCE)";
	return (0);
}

/* The stored SEQUENCE never goes down, so an old REQUEST seen again
 * cannot bring back what was cancelled. */
static void
cal_ical_max_sequence(icalcomponent *s, icalcomponent *w)
{
	if (icalcomponent_get_sequence(w) > icalcomponent_get_sequence(s))
		icalcomponent_set_sequence(s, icalcomponent_get_sequence(w));
}

/*
 * May a CANCEL component w act on the stored s?  When its SEQUENCE is
 * not lower, or when it was sent later (DTSTAMP): Thunderbird cancels
 * with the SEQUENCE of the invitation it holds, which may be older than
 * an update we have, and a cancellation missed is worse than one taken
 * from a stale message.
 */
static int
cal_ical_cancel_applies(icalcomponent *w, icalcomponent *s)
{
	int	 strictly;

	if (cal_ical_newer(w, s, &strictly))
		return (1);
	return (cal_ical_dtstamp(w) > cal_ical_dtstamp(s));
}

static int
cal_ical_itip_cancel(struct cal_cal **stored, const struct cal_cal *in,
    const char *message_id, const char **what)
{
	icalcomponent	*top, *w, *s, *copy;
	icalcompiter	 it, it2;
	icalproperty	*p;
	int		 whole = 0, one = 0;

	if (*stored == NULL) {
		*what = "ignored (cancels an unknown event)";
		return (0);
	}
	top = (*stored)->top;
	for (it = icalcomponent_begin_component(in->top, ICAL_ANY_COMPONENT);
	    (w = icalcompiter_deref(&it)) != NULL; icalcompiter_next(&it)) {
		if (!cal_ical_is_item(w))
			continue;
		s = cal_ical_same(top, in->top, w);
		if (icalcomponent_get_first_property(w,
		    ICAL_RECURRENCEID_PROPERTY) == NULL) {
			if (s != NULL && !cal_ical_cancel_applies(w, s))
				continue;
			/* The whole series: every component. */
			for (it2 = icalcomponent_begin_component(top,
			    ICAL_ANY_COMPONENT); (s = icalcompiter_deref(&it2))
			    != NULL; icalcompiter_next(&it2)) {
				if (!cal_ical_is_item(s))
					continue;
				cal_ical_set_status(s, ICAL_STATUS_CANCELLED);
				cal_ical_max_sequence(s, w);
			}
			whole++;
			continue;
		}
		if (s != NULL) {
			if (!cal_ical_cancel_applies(w, s))
				continue;
			cal_ical_set_status(s, ICAL_STATUS_CANCELLED);
			cal_ical_max_sequence(s, w);
		} else {
			copy = icalcomponent_new_clone(w);
			if (icalcomponent_get_first_property(copy,
			    ICAL_DTSTART_PROPERTY) == NULL) {
				p = icalproperty_new_clone(
				    icalcomponent_get_first_property(copy,
				    ICAL_RECURRENCEID_PROPERTY));
				icalcomponent_add_property(copy,
				    icalproperty_new_dtstart(
				    icalproperty_get_recurrenceid(p)));
				icalproperty_free(p);
			}
			cal_ical_set_status(copy, ICAL_STATUS_CANCELLED);
			icalcomponent_add_component(top, copy);
		}
		one++;
	}
	if (whole == 0 && one == 0) {
		*what = "ignored (older than the stored copy)";
		return (0);
	}
	cal_ical_copy_zones(top, in->top);
	cal_ical_mark(top, message_id);
	*what = whole != 0 ? "cancelled" : "cancelled instance";
	return (0);
}

static icalproperty *
cal_ical_attendee(icalcomponent *c, const char *addr)
{
	icalproperty	*p;
	const char	*a;

	for (p = icalcomponent_get_first_property(c, ICAL_ATTENDEE_PROPERTY);
	    p != NULL; p = icalcomponent_get_next_property(c,
	    ICAL_ATTENDEE_PROPERTY)) {
		a = cal_ical_strip_mailto(icalproperty_get_attendee(p));
		if (a != NULL && strcasecmp(a, addr) == 0)
			return (p);
	}
	return (NULL);
}

static void
cal_ical_put_partstat(icalcomponent *c, const char *addr,
    icalparameter_partstat ps)
{
	icalproperty	*p;
	icalparameter	*a;
	char		*mailto;

	if ((p = cal_ical_attendee(c, addr)) == NULL) {
		xasprintf(&mailto, "mailto:%s", addr);
		p = icalproperty_new_attendee(mailto);
		free(mailto);
		icalcomponent_add_property(c, p);
	}
	if ((a = icalproperty_get_first_parameter(p, ICAL_PARTSTAT_PARAMETER))
	    != NULL)
		icalparameter_set_partstat(a, ps);
	else
		icalproperty_add_parameter(p, icalparameter_new_partstat(ps));
	/* An answer given is no longer awaited. */
	while ((a = icalproperty_get_first_parameter(p,
	    ICAL_RSVP_PARAMETER)) != NULL)
		icalproperty_remove_parameter_by_ref(p, a);
}

static int
cal_ical_itip_reply(struct cal_cal **stored, const struct cal_cal *in,
    const char **what, char **cause)
{
	static char	 whatbuf[160];
	icalcomponent	*w, *s;
	icalcompiter	 it;
	icalproperty	*p;
	icalparameter	*a;
	const char	*addr = NULL;
	icalparameter_partstat ps = ICAL_PARTSTAT_NONE;

	if (*stored == NULL) {
		*what = "ignored (reply for an unknown event)";
		return (0);
	}
	for (it = icalcomponent_begin_component(in->top, ICAL_ANY_COMPONENT);
	    (w = icalcompiter_deref(&it)) != NULL; icalcompiter_next(&it)) {
		if (!cal_ical_is_item(w))
			continue;
		s = cal_ical_same((*stored)->top, in->top, w);
		if (s == NULL)
			s = cal_ical_master((*stored)->top);
		if (s == NULL)
			continue;
		for (p = icalcomponent_get_first_property(w,
		    ICAL_ATTENDEE_PROPERTY); p != NULL; p =
		    icalcomponent_get_next_property(w,
		    ICAL_ATTENDEE_PROPERTY)) {
			addr = cal_ical_strip_mailto(
			    icalproperty_get_attendee(p));
			a = icalproperty_get_first_parameter(p,
			    ICAL_PARTSTAT_PARAMETER);
			if (addr == NULL || a == NULL)
				continue;
			ps = icalparameter_get_partstat(a);
			cal_ical_put_partstat(s, addr, ps);
		}
	}
	if (addr == NULL) {
		xcause(cause, "reply without an attendee");
		return (-1);
	}
	snprintf(whatbuf, sizeof whatbuf, "reply from %s: %s", addr,
	    icalparameter_enum_to_string(ps) != NULL ?
	    icalparameter_enum_to_string(ps) : "?");
	*what = whatbuf;
	return (0);
}

int
cal_ical_itip(struct cal_cal **stored, const struct cal_cal *in,
    const char *message_id, const char **what, char **cause)
{
	const char	*dummy;

	if (what == NULL)
		what = &dummy;
	if (cal_ical_uid(in) == NULL) {
		xcause(cause, "calendar object without a UID");
		return (-1);
	}
	switch (cal_ical_method(in)) {
	case CAL_METHOD_CANCEL:
		return (cal_ical_itip_cancel(stored, in, message_id, what));
	case CAL_METHOD_REPLY:
		return (cal_ical_itip_reply(stored, in, what, cause));
	case CAL_METHOD_OTHER:
		*what = "ignored (method not handled)";
		return (0);
	default:
		return (cal_ical_itip_request(stored, in, message_id, what));
	}
}

int
cal_ical_set_partstat(struct cal_cal *cal, time_t rid, const char *addr,
    enum cal_partstat ps, char **cause)
{
	icalcompiter	 it;
	icalcomponent	*c;
	int		 done = 0;

	for (it = icalcomponent_begin_component(cal->top,
	    ICAL_VEVENT_COMPONENT); (c = icalcompiter_deref(&it)) != NULL;
	    icalcompiter_next(&it)) {
		if (rid != -1 && cal_ical_rid(cal->top, c, NULL, NULL) != rid)
			continue;
		if (rid == -1 && icalcomponent_get_first_property(c,
		    ICAL_RECURRENCEID_PROPERTY) != NULL &&
		    cal_ical_master(cal->top) != NULL &&
		    cal_ical_attendee(c, addr) == NULL)
			continue;
		cal_ical_put_partstat(c, addr, cal_ical_ical_partstat(ps));
		done++;
	}
	if (done == 0) {
		xcause(cause, "no such event to answer");
		return (-1);
	}
	return (0);
}

enum cal_partstat
cal_ical_partstat_of(const struct cal_cal *cal, const char *const *self)
{
	icalcomponent	*c;
	icalproperty	*p;
	icalparameter	*a;
	size_t		 i;

	if ((c = cal_ical_master(cal->top)) == NULL)
		c = icalcomponent_get_first_component(cal->top,
		    ICAL_VEVENT_COMPONENT);
	if (c == NULL || self == NULL)
		return (CAL_PARTSTAT_NONE);
	for (i = 0; self[i] != NULL; i++) {
		if ((p = cal_ical_attendee(c, self[i])) == NULL)
			continue;
		a = icalproperty_get_first_parameter(p,
		    ICAL_PARTSTAT_PARAMETER);
		return (a != NULL ? cal_ical_partstat(
		    icalparameter_get_partstat(a)) :
		    CAL_PARTSTAT_NEEDS_ACTION);
	}
	return (CAL_PARTSTAT_NONE);
}

/* Copies property k of from into to, with the zone it names. */
static void
cal_ical_reply_copy(icalcomponent *rtop, icalcomponent *to,
    icalcomponent *top, icalcomponent *from, icalproperty_kind k)
{
	icalproperty	*p, *zp;
	icalparameter	*tz;
	icalcomponent	*z;
	const char	*tzid;

	if ((p = icalcomponent_get_first_property(from, k)) == NULL)
		return;
	icalcomponent_add_property(to, icalproperty_new_clone(p));
	tz = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
	if (tz == NULL || (tzid = icalparameter_get_tzid(tz)) == NULL ||
	    icalcomponent_get_timezone(rtop, tzid) != NULL)
		return;
	for (z = icalcomponent_get_first_component(top,
	    ICAL_VTIMEZONE_COMPONENT); z != NULL; z =
	    icalcomponent_get_next_component(top, ICAL_VTIMEZONE_COMPONENT)) {
		zp = icalcomponent_get_first_property(z, ICAL_TZID_PROPERTY);
		if (zp != NULL && icalproperty_get_tzid(zp) != NULL &&
		    strcmp(icalproperty_get_tzid(zp), tzid) == 0) {
			icalcomponent_add_component(rtop,
			    icalcomponent_new_clone(z));
			break;
		}
	}
}

char *
cal_ical_reply(const struct cal_cal *req, const char *addr,
    enum cal_partstat ps, const char *comment, time_t now, char **cause)
{
	icalcomponent	*top, *ev, *r;
	icalproperty	*p, *q;
	icalparameter	*a;
	char		*mailto, *s, *out;

	ev = icalcomponent_get_first_component(req->top, ICAL_VEVENT_COMPONENT);
	if (ev == NULL || icalcomponent_get_uid(ev) == NULL) {
		xcause(cause, "no event to answer");
		return (NULL);
	}
	if (addr == NULL || *addr == '\0') {
		xcause(cause, "no address to answer as");
		return (NULL);
	}
	top = icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT,
	    icalproperty_new_version("2.0"),
	    icalproperty_new_prodid(CAL_ICAL_PRODID),
	    icalproperty_new_method(ICAL_METHOD_REPLY), (void *)0);
	r = icalcomponent_new(ICAL_VEVENT_COMPONENT);
	icalcomponent_add_property(r,
	    icalproperty_new_uid(icalcomponent_get_uid(ev)));
	icalcomponent_add_property(r, icalproperty_new_sequence(
	    icalcomponent_get_sequence(ev) < 0 ? 0 :
	    icalcomponent_get_sequence(ev)));
	icalcomponent_add_property(r, icalproperty_new_dtstamp(
	    icaltime_from_timet_with_zone(now, 0,
	    icaltimezone_get_utc_timezone())));
	cal_ical_reply_copy(top, r, req->top, ev, ICAL_RECURRENCEID_PROPERTY);
	cal_ical_reply_copy(top, r, req->top, ev, ICAL_DTSTART_PROPERTY);
	cal_ical_reply_copy(top, r, req->top, ev, ICAL_DTEND_PROPERTY);
	cal_ical_reply_copy(top, r, req->top, ev, ICAL_DURATION_PROPERTY);
	cal_ical_reply_copy(top, r, req->top, ev, ICAL_SUMMARY_PROPERTY);
	cal_ical_reply_copy(top, r, req->top, ev, ICAL_ORGANIZER_PROPERTY);
	xasprintf(&mailto, "mailto:%s", addr);
	p = icalproperty_new_attendee(mailto);
	free(mailto);
	icalproperty_add_parameter(p, icalparameter_new_partstat(
	    cal_ical_ical_partstat(ps)));
	q = cal_ical_attendee(ev, addr);
	if (q != NULL && (a = icalproperty_get_first_parameter(q,
	    ICAL_CN_PARAMETER)) != NULL && icalparameter_get_cn(a) != NULL)
		icalproperty_add_parameter(p,
		    icalparameter_new_cn(icalparameter_get_cn(a)));
	icalcomponent_add_property(r, p);
	if (comment != NULL && *comment != '\0')
		icalcomponent_add_property(r, icalproperty_new_comment(comment));
	icalcomponent_add_component(top, r);
	s = icalcomponent_as_ical_string_r(top);
	out = xstrdup(s != NULL ? s : "");
	free(s);
	icalcomponent_free(top);
	return (out);
}

/* -------------------------------------------------------------------- */

static icalcomponent *
cal_ical_todo(struct cal_cal *cal, const char *uid)
{
	icalcompiter	 it;
	icalcomponent	*c;
	const char	*u;

	for (it = icalcomponent_begin_component(cal->top,
	    ICAL_VTODO_COMPONENT); (c = icalcompiter_deref(&it)) != NULL;
	    icalcompiter_next(&it)) {
		u = icalcomponent_get_uid(c);
		if (uid == NULL || (u != NULL && strcmp(u, uid) == 0))
			return (c);
	}
	return (NULL);
}

static void
cal_ical_remove_all(icalcomponent *c, icalproperty_kind k)
{
	icalproperty	*p;

	while ((p = icalcomponent_get_first_property(c, k)) != NULL) {
		icalcomponent_remove_property(c, p);
		icalproperty_free(p);
	}
}

int
cal_ical_todo_set_status(struct cal_cal *cal, const char *status,
    int percent, time_t now, char **cause)
{
	icalcomponent	*c;
	icalproperty_status st;
	icaltimezone	*utc = icaltimezone_get_utc_timezone();
	struct icaltimetype t;

	if ((c = cal_ical_todo(cal, NULL)) == NULL) {
		xcause(cause, "no task");
		return (-1);
	}
	st = icalproperty_string_to_status(status);
	if (st != ICAL_STATUS_NEEDSACTION && st != ICAL_STATUS_INPROCESS &&
	    st != ICAL_STATUS_COMPLETED && st != ICAL_STATUS_CANCELLED) {
		xcause(cause, "unknown task status '%s' (expected "
		    "NEEDS-ACTION, IN-PROCESS, COMPLETED or CANCELLED)", status);
		return (-1);
	}
	if (percent > 100)
		percent = 100;
	cal_ical_set_status(c, st);
	t = icaltime_from_timet_with_zone(now, 0, utc);
	if (st == ICAL_STATUS_COMPLETED)
		percent = 100;
	if (percent >= 0 || st == ICAL_STATUS_NEEDSACTION) {
		cal_ical_remove_all(c, ICAL_PERCENTCOMPLETE_PROPERTY);
		icalcomponent_add_property(c, icalproperty_new_percentcomplete(
		    percent >= 0 ? percent : 0));
	}
	cal_ical_remove_all(c, ICAL_COMPLETED_PROPERTY);
	if (st == ICAL_STATUS_COMPLETED)
		icalcomponent_add_property(c, icalproperty_new_completed(t));
	cal_ical_remove_all(c, ICAL_LASTMODIFIED_PROPERTY);
	icalcomponent_add_property(c, icalproperty_new_lastmodified(t));
	cal_ical_remove_all(c, ICAL_DTSTAMP_PROPERTY);
	icalcomponent_add_property(c, icalproperty_new_dtstamp(t));
	return (0);
}

struct cal_cal *
cal_ical_todo_new(const char *uid, const char *summary, time_t due,
    int due_all_day, const char *message_id, time_t now)
{
	icalcomponent	*top, *c;
	icaltimezone	*utc = icaltimezone_get_utc_timezone();
	struct icaltimetype t;
	struct tm	 tm;

	top = icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT,
	    icalproperty_new_version("2.0"),
	    icalproperty_new_prodid(CAL_ICAL_PRODID), (void *)0);
	c = icalcomponent_new(ICAL_VTODO_COMPONENT);
	t = icaltime_from_timet_with_zone(now, 0, utc);
	icalcomponent_add_property(c, icalproperty_new_uid(uid));
	icalcomponent_add_property(c, icalproperty_new_dtstamp(t));
	icalcomponent_add_property(c, icalproperty_new_created(t));
	icalcomponent_add_property(c, icalproperty_new_summary(summary));
	icalcomponent_add_property(c,
	    icalproperty_new_status(ICAL_STATUS_NEEDSACTION));
	if (due != -1 && due_all_day) {
		localtime_r(&due, &tm);
		t = icaltime_null_date();
		t.year = tm.tm_year + 1900;
		t.month = tm.tm_mon + 1;
		t.day = tm.tm_mday;
		icalcomponent_add_property(c, icalproperty_new_due(t));
	} else if (due != -1)
		icalcomponent_add_property(c, icalproperty_new_due(
		    icaltime_from_timet_with_zone(due, 0, utc)));
	if (message_id != NULL)
		cal_ical_set_x(c, CAL_ICAL_MSGID, message_id);
	icalcomponent_add_component(top, c);
	return (cal_ical_wrap(top));
}

/*
 * Splits a calendar into one calendar per UID (each with the zones and
 * the METHOD); *out is the caller's, each freed with cal_ical_free().
 */
void
cal_ical_split(const struct cal_cal *cal, struct cal_cal ***out, size_t *n)
{
	icalcompiter	 it;
	icalcomponent	*c, *p;
	icalproperty	*q;
	const char	*uid;
	size_t		 i;
	struct cal_cal	*one;

	*out = NULL;
	*n = 0;
	for (it = icalcomponent_begin_component(cal->top, ICAL_ANY_COMPONENT);
	    (c = icalcompiter_deref(&it)) != NULL; icalcompiter_next(&it)) {
		if (!cal_ical_is_item(c) || (uid = icalcomponent_get_uid(c)) ==
		    NULL)
			continue;
		for (i = 0; i < *n; i++) {
			if (strcmp(cal_ical_uid((*out)[i]), uid) == 0)
				break;
		}
		if (i == *n) {
			p = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
			for (q = icalcomponent_get_first_property(cal->top,
			    ICAL_ANY_PROPERTY); q != NULL; q =
			    icalcomponent_get_next_property(cal->top,
			    ICAL_ANY_PROPERTY))
				icalcomponent_add_property(p,
				    icalproperty_new_clone(q));
			one = cal_ical_wrap(p);
			if (cal->warnings != NULL)
				one->warnings = xstrdup(cal->warnings);
			*out = xreallocarray(*out, *n + 1, sizeof **out);
			(*out)[(*n)++] = one;
		}
		icalcomponent_add_component((*out)[i]->top,
		    icalcomponent_new_clone(c));
	}
	for (i = 0; i < *n; i++)
		cal_ical_copy_zones((*out)[i]->top, cal->top);
}
