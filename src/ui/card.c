/*
 * ui/card.c: the card at the top of a message that carries a calendar.
 *
 * For an invitation (METHOD:REQUEST): what it is, who organises it, when
 * in the local zone (and which zone the organizer wrote it in), how long,
 * how often, where, who else is invited and what they answered, our own
 * answer as the calendar store has it, what it clashes with in the store,
 * and the zones that could not be resolved.  Shorter cards for a
 * cancellation, an answer (who answered what) and a published event.
 * Values come from mail and are sanitised here, at the sink; labels and
 * padding are ours and added after.
 *
 * The store is the one engine/calendar.c fills from new mail ("default"
 * under $XDG_DATA_HOME/satchel/calendars).  It is opened on the first
 * card and read again when its directory changed, so an answer given a
 * moment ago or an update the workers filed shows on the next render.
 */
#include "config.h"

#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "mime/mime.h"
#include "cal/cal.h"
#include "engine/engine.h"
#include "ui/ui.h"
#include "private.h"

#define UI_CARD_LABEL		11	/* "Organizer: " */
#define UI_CARD_MAX_PEOPLE	12	/* attendees listed */
#define UI_CARD_MAX_CLASHES	5

static struct {
	const struct config	*cfg;
	char			*dir;
	struct cal_calstore	*store;
	struct timespec		 mtime;
} ui_card;

struct ui_card_out {
	struct ui_card_line	*lines;
	size_t			 n;
};

void
ui_card_setup(const struct config *cfg)
{
	cal_calstore_close(ui_card.store);
	free(ui_card.dir);
	memset(&ui_card, 0, sizeof ui_card);
	if (cfg == NULL)
		return;
	ui_card.cfg = cfg;
	ui_card.dir = cal_calstore_default_dir(NULL);
}

/*
 * The calendar store, read again when its directory changed; NULL when
 * there is none yet (nothing is created just to show a card).
 */
static const struct cal_calstore *
ui_card_store(void)
{
	struct stat	 sb;
	char		*cause = NULL;

	if (ui_card.dir == NULL || stat(ui_card.dir, &sb) != 0) {
		cal_calstore_close(ui_card.store);
		ui_card.store = NULL;
		return (NULL);
	}
	if (ui_card.store != NULL &&
	    sb.st_mtim.tv_sec == ui_card.mtime.tv_sec &&
	    sb.st_mtim.tv_nsec == ui_card.mtime.tv_nsec)
		return (ui_card.store);
	if (ui_card.store == NULL)
		ui_card.store = cal_calstore_open(ui_card.dir, &cause);
	else if (cal_calstore_reload(ui_card.store, &cause) != 0) {
		cal_calstore_close(ui_card.store);
		ui_card.store = NULL;
	}
	if (ui_card.store == NULL) {
		log_warnx("card: calendar '%s' not read: %s", ui_card.dir,
		    cause);
		free(cause);
		return (NULL);
	}
	ui_card.mtime = sb.st_mtim;
	return (ui_card.store);
}

/* Whether root (a directory) holds path. */
static int
ui_card_under(const char *root, const char *path)
{
	size_t	 len = strlen(root);

	while (len > 1 && root[len - 1] == '/')
		len--;
	return (strncmp(path, root, len) == 0 && path[len] == '/');
}

static void
ui_card_add_address(char ***v, size_t *n, const char *addr)
{
	size_t	 i;

	if (addr == NULL || *addr == '\0')
		return;
	for (i = 0; i < *n; i++) {
		if (strcasecmp((*v)[i], addr) == 0)
			return;
	}
	*v = xreallocarray(*v, *n + 2, sizeof **v);
	(*v)[(*n)++] = xstrdup(addr);
	(*v)[*n] = NULL;
}

char **
ui_card_addresses(const struct config *cfg, const char *path, size_t *n)
{
	char	**v = NULL, *root;
	size_t	  i;

	*n = 0;
	for (i = 0; cfg != NULL && path != NULL && i < cfg->n_accounts; i++) {
		root = engine_account_root(cfg, &cfg->accounts[i]);
		if (ui_card_under(root, path))
			ui_card_add_address(&v, n, cfg->accounts[i].email);
		free(root);
	}
	for (i = 0; cfg != NULL && i < cfg->n_accounts; i++)
		ui_card_add_address(&v, n, cfg->accounts[i].email);
	if (v == NULL)
		v = xcalloc(1, sizeof *v);
	return (v);
}

void
ui_card_lines_free(struct ui_card_line *lines, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(lines[i].text);
	free(lines);
}

/*
 * Adds a line: label (ours, may be NULL) padded to the value column, then
 * value (from mail) sanitised to one line with bidi controls shown.
 */
static void
ui_card_add(struct ui_card_out *o, const char *label, const char *value,
    enum ui_colour colour)
{
	struct ui_card_line	*l;
	struct buf		 b;
	char			*clean;
	size_t			 len;

	buf_init(&b);
	if (label != NULL)
		buf_addstr(&b, label);
	len = b.len;
	if (value != NULL) {
		while (b.len < UI_CARD_LABEL)
			buf_addch(&b, ' ');
		clean = text_sanitize(value, strlen(value), TEXT_VISIBLE);
		buf_addstr(&b, clean);
		free(clean);
	}
	o->lines = xreallocarray(o->lines, o->n + 1, sizeof *o->lines);
	l = &o->lines[o->n++];
	l->text = buf_detach(&b, NULL);
	l->label_len = len;
	l->colour = colour;
}

/* "Thu 4 Feb 2027" in the local zone. */
static void
ui_card_day(struct buf *b, const struct tm *tm)
{
	char	 wd[32], mon[32];

	if (strftime(wd, sizeof wd, "%a", tm) == 0)
		wd[0] = '\0';
	if (strftime(mon, sizeof mon, "%b", tm) == 0)
		mon[0] = '\0';
	buf_printf(b, "%s %d %s %d", wd, tm->tm_mday, mon, tm->tm_year + 1900);
}

static int
ui_card_same_day(const struct tm *a, const struct tm *b)
{
	return (a->tm_year == b->tm_year && a->tm_yday == b->tm_yday);
}

/*
 * When, in the local zone: "Thu 4 Feb 2027 13:00-14:00 EST", a second
 * date when it ends on another day; dates alone for all-day events.
 */
static void
ui_card_when(struct buf *b, time_t start, time_t end, int all_day,
    int floating)
{
	struct tm	 s, e;
	time_t		 last;
	char		 zone[64];

	localtime_r(&start, &s);
	if (all_day) {
		last = end > start ? end - 1 : start;
		localtime_r(&last, &e);
		ui_card_day(b, &s);
		if (!ui_card_same_day(&s, &e)) {
			buf_addstr(b, " - ");
			ui_card_day(b, &e);
		}
		buf_addstr(b, ", all day");
		return;
	}
	localtime_r(&end, &e);
	ui_card_day(b, &s);
	buf_printf(b, " %02d:%02d", s.tm_hour, s.tm_min);
	if (end > start && ui_card_same_day(&s, &e))
		buf_printf(b, "-%02d:%02d", e.tm_hour, e.tm_min);
	else if (end > start) {
		buf_addstr(b, " - ");
		ui_card_day(b, &e);
		buf_printf(b, " %02d:%02d", e.tm_hour, e.tm_min);
	}
	if (floating)
		buf_addstr(b, " (floating: local time wherever you are)");
	else if (strftime(zone, sizeof zone, "%Z", &s) > 0)
		buf_printf(b, " %s", zone);
}

/* "1 h 30 min", "2 days"; nothing for an event with no length. */
static void
ui_card_duration(struct buf *b, time_t start, time_t end, int all_day)
{
	long long	 secs = (long long)(end - start), d, h, m;

	if (secs <= 0)
		return;
	if (all_day) {
		d = (secs + 43200) / 86400;
		buf_printf(b, "%lld day%s", d, d == 1 ? "" : "s");
		return;
	}
	d = secs / 86400;
	h = secs % 86400 / 3600;
	m = secs % 3600 / 60;
	if (d > 0)
		buf_printf(b, "%lld day%s", d, d == 1 ? "" : "s");
	if (h > 0)
		buf_printf(b, "%s%lld h", b->len > 0 ? " " : "", h);
	if (m > 0 || b->len == 0)
		buf_printf(b, "%s%lld min", b->len > 0 ? " " : "", m);
}

/* The local zone's name, as TZ or /etc/localtime say, or NULL. */
static char *
ui_card_local_zone(void)
{
	const char	*tz = getenv("TZ"), *p;
	char		 link[1024];
	ssize_t		 n;

	if (tz != NULL && *tz != '\0')
		return (xstrdup(*tz == ':' ? tz + 1 : tz));
	if ((n = readlink("/etc/localtime", link, sizeof link - 1)) <= 0)
		return (NULL);
	link[n] = '\0';
	if ((p = strstr(link, "zoneinfo/")) == NULL)
		return (NULL);
	return (xstrdup(p + strlen("zoneinfo/")));
}

static const char *
ui_card_partstat(enum cal_partstat ps)
{
	switch (ps) {
	case CAL_PARTSTAT_ACCEPTED:
		return ("accepted");
	case CAL_PARTSTAT_DECLINED:
		return ("declined");
	case CAL_PARTSTAT_TENTATIVE:
		return ("tentative");
	case CAL_PARTSTAT_DELEGATED:
		return ("delegated");
	case CAL_PARTSTAT_OTHER:
		return ("other answer");
	default:
		return ("no answer yet");
	}
}

static int
ui_card_is_self(const char *addr, const char *const *self)
{
	size_t	 i;

	for (i = 0; addr != NULL && self != NULL && self[i] != NULL; i++) {
		if (strcasecmp(addr, self[i]) == 0)
			return (1);
	}
	return (0);
}

/* "Name <addr>" or "addr". */
static void
ui_card_person(struct buf *b, const char *cn, const char *addr)
{
	if (cn != NULL && *cn != '\0' && addr != NULL)
		buf_printf(b, "%s <%s>", cn, addr);
	else
		buf_addstr(b, addr != NULL ? addr : cn != NULL ? cn : "?");
}

/* One line per attendee (the first labelled), with the answer. */
static void
ui_card_attendees(struct ui_card_out *o, const struct cal_event *ev,
    const char *label, const char *const *self)
{
	const struct cal_attendee *a;
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < ev->n_attendees && i < UI_CARD_MAX_PEOPLE; i++) {
		a = &ev->attendees[i];
		buf_clear(&b);
		ui_card_person(&b, a->cn, a->address);
		if (ui_card_is_self(a->address, self))
			buf_addstr(&b, " (you)");
		if (a->role != NULL && strcasecmp(a->role,
		    "OPT-PARTICIPANT") == 0)
			buf_addstr(&b, " (optional)");
		buf_printf(&b, ": %s", ui_card_partstat(a->partstat));
		ui_card_add(o, i == 0 ? label : "", b.data, UI_NORMAL);
	}
	if (ev->n_attendees > UI_CARD_MAX_PEOPLE) {
		buf_clear(&b);
		buf_printf(&b, "and %zu more", ev->n_attendees -
		    UI_CARD_MAX_PEOPLE);
		ui_card_add(o, "", b.data, UI_NORMAL);
	}
	buf_release(&b);
}

/*
 * The attendees as the store's copy of the event has them (answers given
 * since the invitation came, ours included), else as the invitation
 * lists them.
 */
static void
ui_card_stored_attendees(struct ui_card_out *o, const struct cal_event *ev,
    const struct cal_calstore *cs, const char *const *self)
{
	const struct cal_cal *stored = NULL;
	const struct cal_event *use = ev;
	struct cal_event *evs = NULL;
	size_t		 ne = 0, i;

	if (cs != NULL && ev->uid != NULL)
		stored = cal_calstore_get(cs, ev->uid);
	if (stored != NULL)
		cal_ical_events(stored, &evs, &ne);
	for (i = 0; i < ne; i++) {
		if (evs[i].rid == ev->rid && evs[i].n_attendees > 0) {
			use = &evs[i];
			break;
		}
	}
	ui_card_attendees(o, use, "Attendees:", self);
	cal_ical_events_free(evs, ne);
}

/* Our answer: the store copy's PARTSTAT when it has the event, else the
 * invitation's own; says so when none of self is invited. */
static void
ui_card_answer(struct ui_card_out *o, const struct cal_cal *cal,
    const struct cal_event *ev, const struct cal_calstore *cs,
    const char *const *self)
{
	const struct cal_cal *stored = NULL;
	enum cal_partstat ps;
	size_t		 i;
	int		 invited = 0;

	if (self == NULL || self[0] == NULL)
		return;
	for (i = 0; i < ev->n_attendees; i++)
		invited |= ui_card_is_self(ev->attendees[i].address, self);
	if (cs != NULL && ev->uid != NULL)
		stored = cal_calstore_get(cs, ev->uid);
	ps = cal_ical_partstat_of(stored != NULL ? stored : cal, self);
	if (!invited && ps == CAL_PARTSTAT_NONE)
		ui_card_add(o, "You:", "not among the attendees", UI_NORMAL);
	else
		ui_card_add(o, "You:", ui_card_partstat(ps), UI_NORMAL);
}

/* Other events in the store at the same time. */
static void
ui_card_clashes(struct ui_card_out *o, const struct cal_event *ev,
    const struct cal_calstore *cs)
{
	struct cal_occurrence *occ;
	struct buf	 b;
	size_t		 n, i;

	if (cs == NULL || cal_calstore_clashes(cs, ev->uid, ev->start,
	    ev->end, &occ, &n) != 0)
		return;
	buf_init(&b);
	for (i = 0; i < n && i < UI_CARD_MAX_CLASHES; i++) {
		buf_clear(&b);
		buf_printf(&b, "%s, ", occ[i].summary != NULL ?
		    occ[i].summary : "(no title)");
		ui_card_when(&b, occ[i].start, occ[i].end, occ[i].all_day, 0);
		ui_card_add(o, i == 0 ? "Clashes:" : "", b.data, UI_WARNING);
	}
	if (n > UI_CARD_MAX_CLASHES) {
		buf_clear(&b);
		buf_printf(&b, "and %zu more", n - UI_CARD_MAX_CLASHES);
		ui_card_add(o, "", b.data, UI_WARNING);
	}
	buf_release(&b);
	cal_ical_occurrences_free(occ, n);
}

/* Each line of the calendar's and the event's warnings. */
static void
ui_card_warnings(struct ui_card_out *o, const struct cal_cal *cal,
    const struct cal_event *ev)
{
	const char	*w[2], *p, *nl;
	char		*line;
	size_t		 k;

	w[0] = cal_ical_warnings(cal);
	w[1] = ev->warnings;
	if (w[0] != NULL && w[1] != NULL && strstr(w[0], w[1]) != NULL)
		w[1] = NULL;
	for (k = 0; k < 2; k++) {
		for (p = w[k]; p != NULL && *p != '\0'; p = nl) {
			nl = p + strcspn(p, "\n");
			if (nl > p) {
				line = xstrndup(p, (size_t)(nl - p));
				ui_card_add(o, "Warning:", line, UI_WARNING);
				free(line);
			}
			if (*nl == '\n')
				nl++;
		}
	}
}

/* Title, summary, organizer and when: what every card has. */
/* "Tue 10 Nov 2026 15:00-16:00 Europe/Berlin (the organizer's)": the
 * time in the zone the event was written in. */
static int
ui_card_zone_when(struct buf *b, const struct cal_cal *cal,
    const struct cal_event *ev)
{
	struct tm	 s, e;

	if (cal_ical_zone_time(cal, ev->tzid, ev->start, &s) != 0 ||
	    cal_ical_zone_time(cal, ev->tzid, ev->end, &e) != 0)
		return (-1);
	ui_card_day(b, &s);
	buf_printf(b, " %02d:%02d", s.tm_hour, s.tm_min);
	if (ev->end > ev->start && ui_card_same_day(&s, &e))
		buf_printf(b, "-%02d:%02d", e.tm_hour, e.tm_min);
	else if (ev->end > ev->start) {
		buf_addstr(b, " - ");
		ui_card_day(b, &e);
		buf_printf(b, " %02d:%02d", e.tm_hour, e.tm_min);
	}
	buf_printf(b, " %s (the organizer's)", ev->tzid);
	return (0);
}

static void
ui_card_head(struct ui_card_out *o, const char *title,
    const struct cal_cal *cal, const struct cal_event *ev, int organizer)
{
	struct buf	 b;
	char		*local;

	ui_card_add(o, title, NULL, UI_NOTE);
	ui_card_add(o, "Event:", ev->summary != NULL && *ev->summary != '\0' ?
	    ev->summary : "(no title)", UI_NORMAL);
	buf_init(&b);
	if (organizer && ev->organizer != NULL) {
		ui_card_person(&b, ev->organizer_cn, ev->organizer);
		ui_card_add(o, "Organizer:", b.data, UI_NORMAL);
	}
	buf_clear(&b);
	ui_card_when(&b, ev->start, ev->end, ev->all_day, ev->floating);
	ui_card_add(o, "When:", b.data, UI_NORMAL);
	local = ui_card_local_zone();
	if (ev->tzid != NULL && !ev->floating && (local == NULL ||
	    strcasecmp(local, ev->tzid) != 0)) {
		buf_clear(&b);
		if (ev->all_day || ui_card_zone_when(&b, cal, ev) != 0) {
			buf_clear(&b);
			buf_printf(&b, "organizer's is %s", ev->tzid);
			ui_card_add(o, "Zone:", b.data, UI_NORMAL);
		} else
			ui_card_add(o, "Zone:", b.data, UI_NORMAL);
	}
	free(local);
	if (ev->rid != -1) {
		buf_clear(&b);
		buf_addstr(&b, "one occurrence, first planned for ");
		ui_card_when(&b, ev->rid, ev->rid, 0, 0);
		if (ev->rid_future)
			buf_addstr(&b, ", and those after it");
		ui_card_add(o, "Instance:", b.data, UI_NORMAL);
	}
	buf_release(&b);
}

/* The event's length, recurrence and place. */
static void
ui_card_details(struct ui_card_out *o, const struct cal_event *ev)
{
	struct buf	 b;

	buf_init(&b);
	ui_card_duration(&b, ev->start, ev->end, ev->all_day);
	if (b.len > 0)
		ui_card_add(o, "Duration:", b.data, UI_NORMAL);
	buf_release(&b);
	if (ev->rrule != NULL)
		ui_card_add(o, "Repeats:", ev->rrule, UI_NORMAL);
	if (ev->location != NULL && *ev->location != '\0')
		ui_card_add(o, "Location:", ev->location, UI_NORMAL);
}

void
ui_card_render(const struct cal_cal *cal, const struct cal_calstore *cs,
    const char *const *self, struct ui_card_line **lines, size_t *n)
{
	struct ui_card_out	 o;
	struct cal_event	*evs;
	const struct cal_event	*ev;
	size_t			 ne;

	memset(&o, 0, sizeof o);
	cal_ical_events(cal, &evs, &ne);
	if (ne == 0)
		goto out;
	ev = &evs[0];
	switch (cal_ical_method(cal)) {
	case CAL_METHOD_REQUEST:
		ui_card_head(&o, "[-- Invitation --]", cal, ev, 1);
		ui_card_details(&o, ev);
		ui_card_stored_attendees(&o, ev, cs, self);
		ui_card_answer(&o, cal, ev, cs, self);
		ui_card_clashes(&o, ev, cs);
		break;
	case CAL_METHOD_CANCEL:
		ui_card_head(&o, "[-- Cancelled by the organizer --]", cal, ev,
		    1);
		if (ev->rrule != NULL)
			ui_card_add(&o, "Repeats:", ev->rrule, UI_NORMAL);
		break;
	case CAL_METHOD_REPLY:
		ui_card_head(&o, "[-- Answer to an invitation --]", cal, ev,
		    0);
		ui_card_attendees(&o, ev, "Answer:", self);
		break;
	case CAL_METHOD_OTHER:
		ui_card_head(&o, "[-- Calendar message --]", cal, ev, 1);
		break;
	default:
		ui_card_head(&o, "[-- Event --]", cal, ev, 1);
		ui_card_details(&o, ev);
		break;
	}
	ui_card_warnings(&o, cal, ev);
out:
	cal_ical_events_free(evs, ne);
	*lines = o.lines;
	*n = o.n;
}

/* Counts calendar parts, for the cheap test before the parse. */
static void
ui_card_count(const char *data, size_t len, void *arg)
{
	(void)data;
	(void)len;
	(void)arg;
}

/* Whether an earlier calendar of the message has the same UID and method
 * (Outlook sends the invitation inline and as an .ics attachment). */
static int
ui_card_seen(struct cal_cal **cals, size_t k)
{
	const char	*uid = cal_ical_uid(cals[k]), *other;
	size_t		 i;

	for (i = 0; i < k; i++) {
		other = cal_ical_uid(cals[i]);
		if (cal_ical_method(cals[i]) == cal_ical_method(cals[k]) &&
		    uid != NULL && other != NULL && strcmp(uid, other) == 0)
			return (1);
	}
	return (0);
}

/*
 * Most messages have no calendar: a walk over the parts the pager has
 * already parsed says so; only the others are read again by engine/ for
 * their parsed calendars.
 */
void
ui_card_message(struct mime_message *m, const char *path,
    struct ui_card_line **lines, size_t *n)
{
	struct cal_cal		**cals = NULL;
	struct ui_card_line	*one;
	const struct cal_calstore *cs;
	char			**self = NULL, *cause = NULL;
	size_t			 k, i, n_one, n_cals = 0, n_self = 0;

	*lines = NULL;
	*n = 0;
	if (mime_message_calendars(m, ui_card_count, NULL) == 0)
		return;
	if (engine_calendar_message(path, &cals, &n_cals, NULL, &cause) != 0) {
		log_debug("card: '%s' not read: %s", path, cause);
		free(cause);
		return;
	}
	cs = ui_card_store();
	if (ui_card.cfg != NULL)
		self = ui_card_addresses(ui_card.cfg, path, &n_self);
	for (k = 0; k < n_cals; k++) {
		if (ui_card_seen(cals, k))
			continue;
		ui_card_render(cals[k], cs, (const char *const *)self, &one,
		    &n_one);
		if (n_one > 0)
			*lines = xreallocarray(*lines, *n + n_one,
			    sizeof **lines);
		for (i = 0; i < n_one; i++)
			(*lines)[(*n)++] = one[i];
		free(one);
	}
	config_free_list(self, n_self);
	engine_calendar_free(cals, n_cals);
}
