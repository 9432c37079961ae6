/*
 * main-cal.c: the calendar subcommands: agenda, tasks, import and
 * export-event.  They work on the default calendar store
 * ($XDG_DATA_HOME/satchel/calendars/default), which ingest fills from
 * mail.  Times are shown in the local zone (TZ is honoured); JSON has
 * ISO 8601 instants in UTC and the local time beside them.  The text
 * forms are the calendar and task views' (ui/calendar.c, ui/tasks.c),
 * so the shell and the screen agree.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "store/store.h"
#include "cal/cal.h"
#include "engine/engine.h"
#include "ui/ui.h"
#include "main.h"

/* Opens the default calendar; prints the error. */
static struct cal_calstore *
main_cal_open(const char *cmd)
{
	struct cal_calstore	*cs;
	char			*dir, *cause = NULL;

	cal_ical_init();
	dir = cal_calstore_default_dir(NULL);
	cs = cal_calstore_open(dir, &cause);
	if (cs == NULL) {
		main_error("%s: %s", cmd, cause);
		free(cause);
	}
	free(dir);
	return (cs);
}

/* Writes text from mail for the terminal: one line, no controls. */
static void
main_cal_put(const char *s)
{
	char	*clean;

	clean = text_sanitize(s, strlen(s), 0);
	fputs(clean, stdout);
	free(clean);
}

/* Lines of text from mail, each sanitised on its own. */
static void
main_cal_put_lines(char *s)
{
	char	*line;

	while ((line = strsep(&s, "\n")) != NULL) {
		if (*line == '\0')
			continue;
		fputs("  ", stdout);
		main_cal_put(line);
		putchar('\n');
	}
}

/* "2027-02-04T10:00:00-08:00": local time with its offset. */
static void
main_cal_local_iso(struct buf *b, time_t t)
{
	struct tm	 tm;
	char		 out[40];
	long		 off;

	localtime_r(&t, &tm);
	if (strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		out[0] = '\0';
	off = tm.tm_gmtoff / 60;
	buf_printf(b, "%s%c%02ld:%02ld", out, off < 0 ? '-' : '+',
	    (off < 0 ? -off : off) / 60, (off < 0 ? -off : off) % 60);
}

static void
main_cal_json_field(struct buf *b, const char *name, const char *value)
{
	buf_printf(b, ",\"%s\":", name);
	if (value == NULL)
		buf_addstr(b, "null");
	else
		json_string(b, value);
}

static void
main_cal_json_time(struct buf *b, const char *name, time_t t)
{
	buf_printf(b, ",\"%s\":", name);
	if (t == -1) {
		buf_addstr(b, "null");
		return;
	}
	buf_addch(b, '"');
	date_iso(b, t);
	buf_printf(b, "\",\"%s_local\":\"", name);
	main_cal_local_iso(b, t);
	buf_addch(b, '"');
}

/* satchel agenda ----------------------------------------------------- */

static void
main_agenda_usage(FILE *f)
{
	fprintf(f,
	    "usage: satchel agenda [--from YYYY-MM-DD] [--days N] "
	    "[--format=text|json]\n"
	    "The events of the calendar from a day (today) for N days (7),\n"
	    "in the local time zone (TZ).\n");
}

static void
main_agenda_json(const struct cal_occurrence *occ, size_t n)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	buf_addch(&b, '[');
	for (i = 0; i < n; i++) {
		buf_addstr(&b, i == 0 ? "\n{\"uid\":" : ",\n{\"uid\":");
		json_string(&b, occ[i].uid != NULL ? occ[i].uid : "");
		main_cal_json_field(&b, "summary", occ[i].summary);
		main_cal_json_field(&b, "location", occ[i].location);
		main_cal_json_time(&b, "start", occ[i].start);
		main_cal_json_time(&b, "end", occ[i].end);
		buf_printf(&b, ",\"all_day\":%s", occ[i].all_day ? "true" :
		    "false");
		main_cal_json_field(&b, "tzid", occ[i].tzid);
		main_cal_json_time(&b, "recurrence_id", occ[i].rid);
		buf_addch(&b, '}');
	}
	buf_addstr(&b, "\n]\n");
	fwrite(b.data, 1, b.len, stdout);
	buf_release(&b);
}

int
main_agenda(struct main_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "days", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cal_calstore	*cs;
	struct cal_occurrence	*occ;
	struct buf		 text;
	const char		*errstr;
	char			*cause = NULL;
	size_t			 n;
	time_t			 from, to;
	int			 ch, days = 7, json = 0, rc;

	(void)ctx;
	from = ui_calendar_add_days(date_now(), 0);
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if ((from = ui_calendar_parse_day(optarg)) == -1) {
				main_error("agenda: --from expects YYYY-MM-DD, "
				    "not '%s'", optarg);
				return (MAIN_EXIT_USAGE);
			}
			break;
		case 'd':
			days = strtonum(optarg, 1, 3660, &errstr);
			if (errstr != NULL) {
				main_error("agenda: --days expects 1 to 3660, "
				    "not '%s'", optarg);
				return (MAIN_EXIT_USAGE);
			}
			break;
		case 'F':
			if (strcmp(optarg, "json") == 0)
				json = 1;
			else if (strcmp(optarg, "text") != 0) {
				main_error("agenda: --format expects text or "
				    "json, not '%s'", optarg);
				return (MAIN_EXIT_USAGE);
			}
			break;
		case 'h':
			main_agenda_usage(stdout);
			return (0);
		default:
			main_agenda_usage(stderr);
			return (MAIN_EXIT_USAGE);
		}
	}
	if (optind != argc) {
		main_agenda_usage(stderr);
		return (MAIN_EXIT_USAGE);
	}
	if ((cs = main_cal_open("agenda")) == NULL)
		return (MAIN_EXIT_FAILURE);
	to = ui_calendar_add_days(from, days);
	rc = cal_calstore_agenda(cs, from, to, 0, &occ, &n, &cause);
	if (rc != 0) {
		main_error("agenda: %s", cause);
		free(cause);
	}
	if (json)
		main_agenda_json(occ, n);
	else {
		buf_init(&text);
		ui_calendar_agenda_text(&text, occ, n, from, days);
		fwrite(text.data, 1, text.len, stdout);
		buf_release(&text);
	}
	cal_ical_occurrences_free(occ, n);
	cal_calstore_close(cs);
	return (rc == 0 ? 0 : MAIN_EXIT_FAILURE);
}

/* satchel tasks ------------------------------------------------------ */

static void
main_tasks_usage(FILE *f)
{
	fprintf(f,
	    "usage: satchel tasks [--status S] [--format=text|json]\n"
	    "       satchel tasks --set STATUS UID\n"
	    "The tasks of the calendar by due date, then priority.  S is\n"
	    "open (the default: neither completed nor cancelled), all,\n"
	    "needs-action, in-process, completed or cancelled.  --set marks\n"
	    "a task (STATUS as for S, but not open or all).\n");
}

static void
main_tasks_print(const struct cal_todo *td, size_t n, int json)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	if (!json) {
		for (i = 0; i < n; i++) {
			ui_tasks_line(&b, &td[i]);
			buf_addch(&b, '\n');
		}
		fwrite(b.data, 1, b.len, stdout);
		buf_release(&b);
		return;
	}
	buf_addch(&b, '[');
	for (i = 0; i < n; i++) {
		buf_addstr(&b, i == 0 ? "\n{\"uid\":" : ",\n{\"uid\":");
		json_string(&b, td[i].uid != NULL ? td[i].uid : "");
		main_cal_json_field(&b, "summary", td[i].summary);
		main_cal_json_time(&b, "due", td[i].due);
		buf_printf(&b, ",\"priority\":%d", td[i].priority);
		main_cal_json_field(&b, "status", td[i].status);
		buf_printf(&b, ",\"percent_complete\":%d", td[i].percent);
		main_cal_json_time(&b, "completed", td[i].completed);
		main_cal_json_field(&b, "message_id", td[i].message_id);
		buf_addch(&b, '}');
	}
	buf_addstr(&b, "\n]\n");
	fwrite(b.data, 1, b.len, stdout);
	buf_release(&b);
}

/* "in-process" -> "IN-PROCESS", for STATUS values. */
static char *
main_cal_upper(const char *s)
{
	char	*u, *p;

	u = xstrdup(s);
	for (p = u; *p != '\0'; p++) {
		if (*p >= 'a' && *p <= 'z')
			*p -= 'a' - 'A';
	}
	return (u);
}

int
main_tasks(struct main_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "status", required_argument, NULL, 's' },
		{ "set", required_argument, NULL, 'S' },
		{ "format", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cal_calstore	*cs;
	struct cal_todo		*td;
	char			*status = NULL, *set = NULL, *cause = NULL;
	size_t			 n;
	int			 ch, json = 0, rc = 0;

	(void)ctx;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			free(status);
			status = xstrdup(optarg);
			break;
		case 'S':
			free(set);
			set = main_cal_upper(optarg);
			break;
		case 'F':
			if (strcmp(optarg, "json") == 0)
				json = 1;
			else if (strcmp(optarg, "text") != 0) {
				main_error("tasks: --format expects text or "
				    "json, not '%s'", optarg);
				rc = MAIN_EXIT_USAGE;
				goto out;
			}
			break;
		case 'h':
			main_tasks_usage(stdout);
			goto out;
		default:
			main_tasks_usage(stderr);
			rc = MAIN_EXIT_USAGE;
			goto out;
		}
	}
	if ((set == NULL && optind != argc) || (set != NULL &&
	    optind + 1 != argc)) {
		main_tasks_usage(stderr);
		rc = MAIN_EXIT_USAGE;
		goto out;
	}
	if ((cs = main_cal_open("tasks")) == NULL) {
		rc = MAIN_EXIT_FAILURE;
		goto out;
	}
	if (set != NULL) {
		if (cal_calstore_task_set_status(cs, argv[optind], set, -1,
		    date_now(), &cause) != 0) {
			main_error("tasks: %s", cause);
			free(cause);
			rc = MAIN_EXIT_FAILURE;
		}
	} else {
		cal_calstore_tasks(cs, status != NULL ? status : "open", &td,
		    &n);
		main_tasks_print(td, n, json);
		cal_ical_todos_free(td, n);
	}
	cal_calstore_close(cs);
out:
	free(status);
	free(set);
	return (rc);
}

/* satchel import, export-event --------------------------------------- */

int
main_import(struct main_ctx *ctx, int argc, char **argv)
{
	struct cal_calstore	*cs;
	struct buf		 what;
	char			*cause = NULL;
	int			 i, rc = 0;

	(void)ctx;
	if (argc < 2 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0) {
		fprintf(argc < 2 ? stderr : stdout,
		    "usage: satchel import FILE.ics|FILE.eml...\n"
		    "Adds the events and tasks of iCalendar files, or of the "
		    "calendar parts\nof messages (invitations, replies, "
		    "cancellations), to the calendar.\n");
		return (argc < 2 ? MAIN_EXIT_USAGE : 0);
	}
	if ((cs = main_cal_open("import")) == NULL)
		return (MAIN_EXIT_FAILURE);
	buf_init(&what);
	for (i = 1; i < argc; i++) {
		buf_clear(&what);
		if (engine_calendar_import(cs, argv[i], &what, &cause) != 0) {
			main_error("import: %s", cause);
			free(cause);
			cause = NULL;
			rc = MAIN_EXIT_FAILURE;
		}
		if (what.len != 0) {
			main_cal_put(argv[i]);
			fputs(":\n", stdout);
			main_cal_put_lines(what.data);
		}
	}
	buf_release(&what);
	cal_calstore_close(cs);
	return (rc);
}

int
main_export_event(struct main_ctx *ctx, int argc, char **argv)
{
	struct cal_calstore	*cs;
	const struct cal_cal	*cal;
	char			*text;
	int			 rc = 0;

	(void)ctx;
	if (argc != 2 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0) {
		fprintf(argc != 2 ? stderr : stdout,
		    "usage: satchel export-event UID\n"
		    "Writes the stored event or task UID as iCalendar to the "
		    "standard output.\n");
		return (argc != 2 ? MAIN_EXIT_USAGE : 0);
	}
	if ((cs = main_cal_open("export-event")) == NULL)
		return (MAIN_EXIT_FAILURE);
	if ((cal = cal_calstore_get(cs, argv[1])) == NULL) {
		main_error("export-event: no event or task '%s'", argv[1]);
		rc = MAIN_EXIT_FAILURE;
	} else {
		text = cal_ical_text(cal);
		fputs(text, stdout);
		free(text);
	}
	cal_calstore_close(cs);
	return (rc);
}
