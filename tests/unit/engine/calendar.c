/*
 * tests/unit/engine/calendar.c: calendar parts of real mail into the
 * store.  The iTIP flows use Thunderbird's invitation tests from
 * ../shared/corpus/mime/itip (skipped when the corpus is absent); the
 * cheap part test and the REPLY round trip run from the project alone.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "mime/mime.h"
#include "cal/cal.h"
#include "engine/engine.h"
#include "tests/unit/tap.h"

static char	*corpus;
static char	 tmp[] = "/tmp/satchel-calendar-XXXXXX";

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

static struct cal_calstore *
fresh_store(const char *name)
{
	struct cal_calstore	*cs;
	char			*dir, *cause = NULL;

	xasprintf(&dir, "%s/%s", tmp, name);
	cs = cal_calstore_open(dir, &cause);
	if (cs == NULL)
		diag("%s", cause);
	free(cause);
	free(dir);
	return (cs);
}

static int
apply(struct cal_calstore *cs, const char *file)
{
	char	*path, *cause = NULL;
	size_t	 found;
	int	 rc;

	xasprintf(&path, "%s/mime/itip/thunderbird/%s", corpus, file);
	rc = engine_calendar_apply_file(cs, path, NULL, &found, &cause);
	if (rc != 0 || found == 0)
		diag("%s: %s (%zu parts)", file, cause != NULL ? cause : "",
		    found);
	free(cause);
	free(path);
	return (rc == 0 && found > 0 ? 0 : -1);
}

/* The master event of the stored UID, copied into *ev. */
static int
stored_event(struct cal_calstore *cs, const char *uid, struct cal_event **ev,
    size_t *n)
{
	const struct cal_cal	*cal;

	*ev = NULL;
	*n = 0;
	if ((cal = cal_calstore_get(cs, uid)) == NULL)
		return (-1);
	cal_ical_events(cal, ev, n);
	return (*n > 0 ? 0 : -1);
}

static size_t
agenda(struct cal_calstore *cs, int with_cancelled,
    struct cal_occurrence **occ)
{
	size_t	 n;

	(void)cal_calstore_agenda(cs, utc("20220301T000000"),
	    utc("20220401T000000"), with_cancelled, occ, &n, NULL);
	return (n);
}

static void
test_single_flow(void)
{
	struct cal_calstore	*cs;
	struct cal_event	*ev;
	struct cal_occurrence	*occ;
	size_t			 n;

	if ((cs = fresh_store("single")) == NULL)
		return;
	ok(apply(cs, "single-event.eml") == 0, "single: request applied");
	ok(stored_event(cs, "02e79b96", &ev, &n) == 0 && n == 1 &&
	    ev[0].start == utc("20220316T110000") && ev[0].sequence == 0 &&
	    strcmp(ev[0].location, "Somewhere") == 0 &&
	    strcmp(ev[0].status, "CONFIRMED") == 0,
	    "single: stored at 11:00Z, SEQUENCE 0, Somewhere");
	cal_ical_events_free(ev, n);

	ok(apply(cs, "update-minor.eml") == 0, "minor update applied");
	ok(stored_event(cs, "02e79b96", &ev, &n) == 0 && n == 1 &&
	    strcmp(ev[0].location, "Updated location") == 0 &&
	    ev[0].start == utc("20220316T110000"),
	    "minor update (same SEQUENCE, later DTSTAMP): new location");
	cal_ical_events_free(ev, n);

	ok(apply(cs, "update-major.eml") == 0, "major update applied");
	ok(stored_event(cs, "02e79b96", &ev, &n) == 0 && n == 1 &&
	    ev[0].sequence == 2 && ev[0].start == utc("20220316T050000") &&
	    strcmp(ev[0].location, "Somewhere") == 0,
	    "major update (SEQUENCE 2): moved to 05:00Z");
	cal_ical_events_free(ev, n);

	ok(apply(cs, "cancel-single-event.eml") == 0, "cancel applied");
	ok(stored_event(cs, "02e79b96", &ev, &n) == 0 && n == 1 &&
	    strcmp(ev[0].status, "CANCELLED") == 0 && ev[0].sequence == 2,
	    "cancelled, SEQUENCE kept at 2");
	cal_ical_events_free(ev, n);
	n = agenda(cs, 0, &occ);
	is_int(n, 0, "a cancelled event leaves the agenda");
	cal_ical_occurrences_free(occ, n);
	n = agenda(cs, 1, &occ);
	ok(n == 1 && occ[0].cancelled, "... and shows as cancelled on demand");
	cal_ical_occurrences_free(occ, n);

	/* The old invitation again cannot bring it back. */
	ok(apply(cs, "single-event.eml") == 0, "old request again");
	ok(stored_event(cs, "02e79b96", &ev, &n) == 0 && n == 1 &&
	    strcmp(ev[0].status, "CANCELLED") == 0,
	    "an older request does not undo the cancel");
	cal_ical_events_free(ev, n);
	cal_calstore_close(cs);
}

static void
test_repeat_flow(void)
{
	struct cal_calstore	*cs;
	struct cal_event	*ev;
	struct cal_occurrence	*occ;
	size_t			 n;

	if ((cs = fresh_store("repeat")) == NULL)
		return;
	ok(apply(cs, "repeat-event.eml") == 0, "repeat: request applied");
	n = agenda(cs, 0, &occ);
	ok(n == 3 && occ[0].start == utc("20220316T110000") &&
	    occ[1].start == utc("20220317T110000") &&
	    occ[2].start == utc("20220318T110000"),
	    "repeat: three daily instances at 11:00Z");
	cal_ical_occurrences_free(occ, n);

	ok(apply(cs, "exception-minor.eml") == 0, "exception applied");
	ok(stored_event(cs, "02e79b96", &ev, &n) == 0 && n == 2 &&
	    ev[1].rid == utc("20220317T110000"),
	    "exception merged beside the master (same SEQUENCE)");
	cal_ical_events_free(ev, n);
	n = agenda(cs, 0, &occ);
	ok(n == 3 && strcmp(occ[1].summary, "Exception title") == 0 &&
	    strcmp(occ[1].location, "Exception location") == 0 &&
	    strcmp(occ[0].summary, "Repeat Event") == 0,
	    "the 17th is the exception, the others the series");
	cal_ical_occurrences_free(occ, n);

	ok(apply(cs, "cancel-repeat-event.eml") == 0, "cancel applied");
	n = agenda(cs, 0, &occ);
	is_int(n, 0, "the cancelled series leaves the agenda");
	cal_ical_occurrences_free(occ, n);
	ok(stored_event(cs, "02e79b96", &ev, &n) == 0 && n == 2 &&
	    strcmp(ev[0].status, "CANCELLED") == 0 &&
	    strcmp(ev[1].status, "CANCELLED") == 0,
	    "master and exception are CANCELLED");
	cal_ical_events_free(ev, n);
	cal_calstore_close(cs);
}

/* Outlook/Exchange invitations: FLE Standard Time, with and without
 * the VTIMEZONE Outlook sent. */
static void
test_outlook(const char *file, const char *want)
{
	struct cal_cal		**cals, *again;
	struct cal_event	*ev;
	char			*path, *text, *s, *e, *msgid = NULL;
	size_t			 n, ne;
	time_t			 got = -1, got2 = -1;

	xasprintf(&path, "%s/mime/itip/thunderbird/%s", corpus, file);
	if (engine_calendar_message(path, &cals, &n, &msgid, NULL) != 0)
		n = 0;
	free(path);
	free(msgid);
	if (n > 0) {
		cal_ical_events(cals[0], &ev, &ne);
		if (ne > 0 && ev[0].tzid != NULL &&
		    strcmp(ev[0].tzid, "FLE Standard Time") == 0)
			got = ev[0].start;
		cal_ical_events_free(ev, ne);
		text = cal_ical_text(cals[0]);
		while ((s = strstr(text, "BEGIN:VTIMEZONE")) != NULL &&
		    (e = strstr(s, "END:VTIMEZONE\r\n")) != NULL)
			memmove(s, e + 15, strlen(e + 15) + 1);
		if ((again = cal_ical_parse(text, strlen(text), NULL)) !=
		    NULL) {
			cal_ical_events(again, &ev, &ne);
			if (ne > 0 && ev[0].warnings == NULL &&
			    strstr(text, "VTIMEZONE") == NULL)
				got2 = ev[0].start;
			cal_ical_events_free(ev, ne);
			cal_ical_free(again);
		}
		free(text);
	}
	engine_calendar_free(cals, n);
	path = NULL;
	xasprintf(&path, "%s: FLE Standard Time with VTIMEZONE is %sZ", file,
	    want);
	is_int(got, utc(want), path);
	free(path);
	xasprintf(&path, "%s: without VTIMEZONE (ICU: Europe/Kiev) too",
	    file);
	is_int(got2, utc(want), path);
	free(path);
}

static void
test_all_itip(void)
{
	static const char	*sets[] = { "thunderbird", "libical" };
	struct cal_cal		**cals;
	struct dirent		*de;
	DIR			*d;
	char			*dir, *path;
	size_t			 i, n, files = 0, parts = 0;

	for (i = 0; i < sizeof sets / sizeof *sets; i++) {
		xasprintf(&dir, "%s/mime/itip/%s", corpus, sets[i]);
		if ((d = opendir(dir)) == NULL) {
			free(dir);
			continue;
		}
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			path = path_join(dir, de->d_name);
			files++;
			if (engine_calendar_message(path, &cals, &n, NULL,
			    NULL) == 0) {
				parts += n;
				engine_calendar_free(cals, n);
			}
			free(path);
		}
		closedir(d);
		free(dir);
	}
	diag("mime/itip: %zu messages, %zu calendars parsed", files, parts);
	ok(files >= 19 && parts >= 16, "every iTIP mail parses, no crash");
}

static void
test_has_parts(void)
{
	char	*path;
	FILE	*f;

	xasprintf(&path, "%s/plain.eml", tmp);
	f = fopen(path, "w");
	fprintf(f, "From: a@example.test\nSubject: hi\n\nno invitation\n");
	fclose(f);
	ok(!engine_calendar_has_parts(path), "plain mail: no calendar part");
	f = fopen(path, "w");
	fprintf(f, "From: a@example.test\nContent-Type: multipart/mixed; "
	    "boundary=b\n\n--b\nContent-Type: TEXT/Calendar; method=REQUEST"
	    "\n\nBEGIN:VCALENDAR\n--b--\n");
	fclose(f);
	ok(engine_calendar_has_parts(path), "Content-Type found, any case");
	ok(!engine_calendar_has_parts("/nonexistent/x"), "missing file: no");
	unlink(path);
	free(path);
}

static void
rmtree(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 sb;
	char		*p;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		p = path_join(dir, de->d_name);
		if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
			rmtree(p);
		else
			unlink(p);
		free(p);
	}
	closedir(d);
	rmdir(dir);
}

int
main(void)
{
	const char	*top = getenv("top_srcdir");
	struct stat	 sb;

	if (mkdtemp(tmp) == NULL)
		fatal("mkdtemp");
	mime_init();
	cal_ical_init();
	test_has_parts();
	xasprintf(&corpus, "%s/../shared/corpus", top != NULL ? top : ".");
	if (stat(corpus, &sb) != 0)
		printf("ok %d # SKIP corpus '%s' absent\n", ++tap_count,
		    corpus);
	else {
		test_single_flow();
		test_repeat_flow();
		test_outlook("outlook-test-invite.eml", "20211127T070000");
		test_outlook("teams-meeting-invite.eml", "20201202T170000");
		test_all_itip();
	}
	free(corpus);
	mime_shutdown();
	rmtree(tmp);
	return (tap_done());
}
