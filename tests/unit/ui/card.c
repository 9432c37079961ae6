/*
 * tests/unit/ui/card.c: the invitation card as the pager shows it, on a
 * bundled invitation (tests/unit/ui/data/invite-tokyo.eml: Asia/Tokyo
 * times, a recurrence, hostile summary and location, the same event
 * inline and attached) and small calendars written here; then on the
 * invitations of ../shared/corpus/mime/itip (skipped when absent).
 * Times are checked in America/New_York and Asia/Tokyo.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "mime/mime.h"
#include "cal/cal.h"
#include "ui/ui.h"
#include "../tap.h"

static char	 tmp[] = "/tmp/satchel-card-XXXXXX";
static const char *top;

static void
set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

/* The card's lines as one text, marks stripped, "\n" after each. */
static char *
join(struct ui_card_line *l, size_t n)
{
	struct buf	 b;
	char		*s;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		s = xstrdup(l[i].text);
		text_strip_marks(s);
		buf_printf(&b, "%s\n", s);
		free(s);
	}
	return (buf_detach(&b, NULL));
}

/* Whether no line holds a control byte (C0 but the marks, DEL, C1). */
static int
clean(struct ui_card_line *l, size_t n)
{
	const unsigned char	*p;
	size_t			 i;

	for (i = 0; i < n; i++) {
		for (p = (const unsigned char *)l[i].text; *p != '\0'; p++) {
			if ((*p < 0x20 && *p != TEXT_MARK_START &&
			    *p != TEXT_MARK_END) || *p == 0x7f)
				return (0);
			if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
				return (0);
		}
	}
	return (1);
}

/* The cards of a message file, as the pager makes them. */
static char *
message_card(const char *path, int *is_clean, size_t *lines)
{
	struct mime_message	*m;
	struct ui_card_line	*l;
	size_t			 n;
	char			*out;

	if ((m = mime_message_parse_file(path, NULL)) == NULL)
		return (xstrdup("(unreadable)"));
	ui_card_message(m, path, &l, &n);
	if (is_clean != NULL)
		*is_clean = clean(l, n);
	if (lines != NULL)
		*lines = n;
	out = join(l, n);
	ui_card_lines_free(l, n);
	mime_message_free(m);
	return (out);
}

/* The card of one calendar text, without a store. */
static char *
text_card(const char *ics, const char *const *self)
{
	struct cal_cal		*cal;
	struct ui_card_line	*l;
	size_t			 n;
	char			*out;

	if ((cal = cal_ical_parse(ics, strlen(ics), NULL)) == NULL)
		return (xstrdup("(no parse)"));
	ui_card_render(cal, NULL, self, &l, &n);
	out = join(l, n);
	ui_card_lines_free(l, n);
	cal_ical_free(cal);
	return (out);
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return (remove(path));
}

/* The first calendar part of a message file, parsed. */
static void
first_calendar(const char *data, size_t len, void *arg)
{
	struct cal_cal	**cal = arg;

	if (*cal == NULL)
		*cal = cal_ical_parse(data, len, NULL);
}

#define has(hay, needle, name) do {					\
	if (!ok(strstr((hay), (needle)) != NULL, (name)))		\
		diag("no '%s' in:\n%s", (needle), (hay));		\
} while (0)
#define hasnt(hay, needle, name)					\
	ok(strstr((hay), (needle)) == NULL, (name))

static void
test_bundled(const struct config *cfg)
{
	struct ui_card_line	*l;
	struct mime_message	*m;
	char			*path, *out;
	size_t			 n, i;
	int			 is_clean, labels = 1;

	xasprintf(&path, "%s/tests/unit/ui/data/invite-tokyo.eml", top);
	ui_card_setup(NULL);
	set_tz("America/New_York");
	out = message_card(path, &is_clean, &n);
	ok(is_clean, "no control byte in any line");
	has(out, "[-- Invitation --]\n", "titled as an invitation");
	has(out, "Event:     Planning <U+001B>[31mred<U+001B>[0m\n",
	    "an escape in SUMMARY is shown, not sent to the terminal");
	has(out, "Organizer: Kenji <kenji@example.jp>\n", "organizer");
	has(out, "When:      Wed 3 Feb 2027 20:00-21:30 EST\n",
	    "10:00 in Tokyo is 20:00 the evening before in New York");
	has(out, "Zone:      Thu 4 Feb 2027 10:00-11:30 Asia/Tokyo "
	    "(the organizer's)\n", "the time in the organizer's zone");
	has(out, "Duration:  1 h 30 min\n", "duration");
	has(out, "Repeats:   every week on Thursday, 4 times\n",
	    "recurrence in words");
	has(out, "Location:  Room <U+202E>7A\n", "a bidi override is shown");
	has(out, "Attendees: Alice <alice@example.test>: no answer yet\n",
	    "attendees with answers");
	has(out, "           Bob <bob@example.test>: accepted\n",
	    "... the next one under it");
	has(out, "carol@example.test (optional): tentative\n",
	    "an optional attendee");
	hasnt(out, "You:", "no answer line without the user's addresses");
	hasnt(out, "attached copy", "the attached copy of the same event "
	    "makes no second card");
	free(out);

	set_tz("Asia/Tokyo");
	out = message_card(path, NULL, NULL);
	has(out, "When:      Thu 4 Feb 2027 10:00-11:30 JST\n",
	    "in Tokyo: the organizer's own time");
	hasnt(out, "Zone:", "no zone line when it is the local one");
	free(out);

	/* Labels are the bytes drawn as header names. */
	set_tz("America/New_York");
	m = mime_message_parse_file(path, NULL);
	ui_card_message(m, path, &l, &n);
	for (i = 0; i < n; i++) {
		if (l[i].colour == UI_NORMAL && l[i].label_len > 0)
			labels &= l[i].text[l[i].label_len - 1] == ':';
	}
	ok(n > 0 && l[0].colour == UI_NOTE && labels,
	    "title as a note; labels end at their colon");
	ui_card_lines_free(l, n);
	mime_message_free(m);

	/* With the configuration: our address and the store. */
	ui_card_setup(cfg);
	out = message_card(path, NULL, NULL);
	has(out, "Alice <alice@example.test> (you): no answer yet\n",
	    "our address is marked");
	has(out, "You:       no answer yet\n", "our answer: none yet");
	hasnt(out, "Clashes:", "no clash in an empty calendar");
	free(out);
	free(path);
}

/* The store: a clash with another event, then our answer once given. */
static void
test_store(const struct config *cfg)
{
	static const char busy[] =
	    "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\n"
	    "BEGIN:VEVENT\nUID:dentist@example.test\nSUMMARY:Dentist\n"
	    "DTSTAMP:20270101T000000Z\n"
	    "DTSTART:20270204T011500Z\nDTEND:20270204T020000Z\n"
	    "END:VEVENT\nEND:VCALENDAR\n";
	struct cal_calstore	*cs;
	struct mime_message	*m;
	struct cal_cal		*req = NULL;
	const char		*self[] = { "alice@example.test", NULL };
	char			*path, *dir, *out, *reply, *cause = NULL;

	xasprintf(&path, "%s/tests/unit/ui/data/invite-tokyo.eml", top);
	dir = cal_calstore_default_dir(NULL);
	cs = cal_calstore_open(dir, &cause);
	ok(cs != NULL, "a calendar store in the test's XDG_DATA_HOME");
	if (cs == NULL) {
		diag("%s", cause);
		free(cause);
		free(dir);
		free(path);
		return;
	}
	ok(cal_calstore_apply(cs, busy, sizeof busy - 1, NULL, NULL,
	    NULL) == 0, "an event at the same time");
	set_tz("America/New_York");
	ui_card_setup(cfg);
	out = message_card(path, NULL, NULL);
	has(out, "Clashes:   Dentist, Wed 3 Feb 2027 20:15-21:00 EST\n",
	    "the clash, in local time");
	free(out);

	/* Answer as the rsvp command does; the card reads the store again. */
	if ((m = mime_message_parse_file(path, NULL)) != NULL)
		(void)mime_message_calendars(m, first_calendar, &req);
	reply = req != NULL ? cal_calstore_answer(cs, req, self,
	    CAL_PARTSTAT_TENTATIVE, NULL, 1801000000, &cause) : NULL;
	ok(reply != NULL, "cal_calstore_answer stores our answer");
	free(reply);
	out = message_card(path, NULL, NULL);
	has(out, "You:       tentative\n",
	    "the card shows the stored answer");
	has(out, "Attendees: Alice <alice@example.test> (you): tentative\n",
	    "... and the attendees as the store has them");
	hasnt(out, "Clashes:   Planning", "no clash with itself");
	free(out);

	cal_ical_free(req);
	mime_message_free(m);
	cal_calstore_close(cs);
	ui_card_setup(NULL);
	free(dir);
	free(path);
}

static void
test_methods(void)
{
	static const char cancel[] =
	    "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\nMETHOD:CANCEL\n"
	    "BEGIN:VEVENT\nUID:x@example.test\nSEQUENCE:3\n"
	    "DTSTAMP:20270101T000000Z\nSUMMARY:Standup\nSTATUS:CANCELLED\n"
	    "ORGANIZER:mailto:olga@example.test\n"
	    "DTSTART;VALUE=DATE:20270205\nDTEND;VALUE=DATE:20270207\n"
	    "END:VEVENT\nEND:VCALENDAR\n";
	static const char reply[] =
	    "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\nMETHOD:REPLY\n"
	    "BEGIN:VEVENT\nUID:x@example.test\nSEQUENCE:3\n"
	    "DTSTAMP:20270101T000000Z\nSUMMARY:Standup\n"
	    "ORGANIZER:mailto:alice@example.test\n"
	    "ATTENDEE;CN=Bob;PARTSTAT=DECLINED:mailto:bob@example.test\n"
	    "DTSTART:20270205T150000Z\nDTEND:20270205T151500Z\n"
	    "END:VEVENT\nEND:VCALENDAR\n";
	static const char publish[] =
	    "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\nMETHOD:PUBLISH\n"
	    "BEGIN:VEVENT\nUID:y@example.test\nDTSTAMP:20270101T000000Z\n"
	    "SUMMARY:Launch\nLOCATION:Hall\n"
	    "DTSTART;TZID=Mars/Olympus_Mons:20270205T150000\n"
	    "DURATION:PT2H\nEND:VEVENT\nEND:VCALENDAR\n";
	static const char todo[] =
	    "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\n"
	    "BEGIN:VTODO\nUID:t@example.test\nSUMMARY:Task\n"
	    "END:VTODO\nEND:VCALENDAR\n";
	const char	*self[] = { "alice@example.test", NULL };
	char		*out, *path;
	FILE		*f;

	set_tz("America/New_York");
	out = text_card(cancel, self);
	has(out, "[-- Cancelled by the organizer --]\n", "CANCEL: its title");
	has(out, "When:      Fri 5 Feb 2027 - Sat 6 Feb 2027, all day\n",
	    "two all-day dates, the end exclusive");
	hasnt(out, "Attendees:", "CANCEL: a short card");
	free(out);

	out = text_card(reply, self);
	has(out, "[-- Answer to an invitation --]\n", "REPLY: its title");
	has(out, "Answer:    Bob <bob@example.test>: declined\n",
	    "REPLY: who answered what");
	hasnt(out, "Organizer:", "REPLY: the organizer is us");
	free(out);

	out = text_card(publish, NULL);
	has(out, "[-- Event --]\n", "PUBLISH: an event");
	has(out, "Duration:  2 h\n", "DURATION instead of DTEND");
	has(out, "Location:  Hall\n", "PUBLISH: where");
	has(out, "Warning:   unknown time zone 'Mars/Olympus_Mons'",
	    "an unresolved TZID is a warning line");
	has(out, "(floating: local time wherever you are)",
	    "... and the time says it is taken as floating");
	free(out);

	out = text_card(todo, self);
	is_str(out, "", "a calendar without an event makes no card");
	free(out);

	path = path_join(tmp, "plain.eml");
	f = fopen(path, "w");
	ok(f != NULL && fputs("From: a@example.test\nSubject: x\n\n"
	    "text/calendar is only mentioned\n", f) >= 0 && fclose(f) == 0,
	    "a message without a calendar part");
	out = message_card(path, NULL, NULL);
	is_str(out, "", "... has no card");
	free(out);
	free(path);
}

/* The card of a Thunderbird corpus file. */
static char *
corpus_card(const char *corpus, const char *file)
{
	char	*path, *out;

	xasprintf(&path, "%s/mime/itip/thunderbird/%s", corpus, file);
	out = message_card(path, NULL, NULL);
	free(path);
	return (out);
}

/* Every corpus message renders, with clean lines; a few exactly. */
static void
test_corpus(const char *corpus)
{
	DIR		*d;
	struct dirent	*de;
	const char	*sets[] = { "thunderbird", "libical" };
	char		*dir, *path, *out;
	size_t		 k, files = 0, cards = 0, n;
	int		 is_clean, all_clean = 1;

	set_tz("UTC");
	for (k = 0; k < 2; k++) {
		xasprintf(&dir, "%s/mime/itip/%s", corpus, sets[k]);
		if ((d = opendir(dir)) == NULL) {
			free(dir);
			continue;
		}
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			path = path_join(dir, de->d_name);
			out = message_card(path, &is_clean, &n);
			files++;
			cards += n > 0;
			all_clean &= is_clean;
			free(out);
			free(path);
		}
		closedir(d);
		free(dir);
	}
	diag("corpus/mime/itip: %zu messages, %zu with a card", files, cards);
	ok(files >= 15 && cards >= 13, "the corpus invitations have cards");
	ok(all_clean, "no control byte in any corpus card");

	out = corpus_card(corpus, "outlook-test-invite.eml");
	has(out, "When:      Sat 27 Nov 2021 07:00-07:30 UTC\n"
	    "Zone:      Sat 27 Nov 2021 09:00-09:30 FLE Standard Time "
	    "(the organizer's)\n",
	    "Outlook: FLE Standard Time (UTC+2) resolved");
	has(out, "Attendees: Homer <homer@example.org>: no answer yet\n",
	    "Outlook: the attendee");
	free(out);

	set_tz("America/New_York");
	out = corpus_card(corpus, "repeat-update-major.eml");
	has(out, "[-- Invitation --]", "Thunderbird: a major update");
	has(out, "Repeats:   every day", "Thunderbird: its recurrence");
	free(out);
	out = corpus_card(corpus, "cancel-repeat-event.eml");
	has(out, "[-- Cancelled by the organizer --]",
	    "Thunderbird: a cancellation");
	free(out);
	out = corpus_card(corpus, "message-non-invite.eml");
	has(out, "[-- Event --]\n", "an event that is not an invitation");
	hasnt(out, "Attendees:", "... has a short card");
	free(out);
}

int
main(void)
{
	static const char conf[] =
	    "[account work]\nemail = alice.work@example.test\n"
	    "[account home]\nemail = alice@example.test\n";
	struct config	 cfg;
	struct stat	 sb;
	char		*corpus, *data, *cause = NULL, **self;
	size_t		 n;

	setlocale(LC_ALL, "C.UTF-8");
	text_init();
	mime_init();
	cal_ical_init();
	if ((top = getenv("top_srcdir")) == NULL)
		top = ".";
	if (mkdtemp(tmp) == NULL)
		fatal("mkdtemp");
	data = path_join(tmp, "data");
	setenv("XDG_DATA_HOME", data, 1);

	config_init(&cfg);
	if (config_parse(&cfg, "test", conf, sizeof conf - 1, &cause) != 0)
		fatalx("config: %s", cause);
	free(cfg.mail_root);
	cfg.mail_root = xstrdup("/m");
	self = ui_card_addresses(&cfg, "/m/home/INBOX/cur/1", &n);
	ok(n == 2 && strcmp(self[0], "alice@example.test") == 0 &&
	    strcmp(self[1], "alice.work@example.test") == 0 && self[2] == NULL,
	    "the account holding the file comes first");
	config_free_list(self, n);
	self = ui_card_addresses(&cfg, "/m/homeless/x", &n);
	ok(n == 2 && strcmp(self[0], "alice.work@example.test") == 0,
	    "else the order of the configuration");
	config_free_list(self, n);
	self = ui_card_addresses(NULL, NULL, &n);
	ok(n == 0 && self[0] == NULL, "no configuration: no address");
	config_free_list(self, n);

	test_bundled(&cfg);
	test_store(&cfg);
	test_methods();

	xasprintf(&corpus, "%s/../shared/corpus", top);
	if (stat(corpus, &sb) != 0)
		printf("ok %d # SKIP corpus '%s' absent\n", ++tap_count,
		    corpus);
	else
		test_corpus(corpus);
	free(corpus);

	ui_card_setup(NULL);
	config_release(&cfg);
	(void)nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(data);
	mime_shutdown();
	return (tap_done());
}
