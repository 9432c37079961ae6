/*
 * cmd/cmd-cal.c: the calendar and task commands: open the calendar or the
 * task list, move through the calendar, mark tasks, and make a task from
 * a message (Outlook's follow-up flag).  The views are ui/calendar.c and
 * ui/tasks.c; the store is the default one engine/calendar.c fills.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "store/store.h"
#include "cal/cal.h"
#include "ui/ui.h"
#include "cmd/cmd.h"
#include "private.h"

static const char *cmd_cal_days[] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday"
};

/* "2027-03-08", or "today" (-1); -2 with *cause for anything else. */
static time_t
cmd_cal_day(const char *s, char **cause)
{
	time_t	 t;

	if (strcmp(s, "today") == 0)
		return (-1);
	if ((t = ui_calendar_parse_day(s)) == -1) {
		xcause(cause, "'%s' is not a date (expected YYYY-MM-DD)", s);
		return (-2);
	}
	return (t);
}

/* "monday" or "mon" -> 1. */
static int
cmd_cal_weekday(const char *s)
{
	size_t	 i;

	for (i = 0; i < 7; i++) {
		if (strlen(s) >= 3 && strncasecmp(cmd_cal_days[i], s,
		    strlen(s)) == 0)
			return ((int)i);
	}
	return (-1);
}

/* Our addresses from the accounts, NULL-terminated; the caller frees
 * the vector only (the strings are the config's). */
static const char **
cmd_cal_self(void)
{
	const struct config	*cfg = cmd_get_env()->cfg;
	const char		**self;
	size_t			 i, n = 0;

	self = xcalloc((cfg != NULL ? cfg->n_accounts : 0) + 1,
	    sizeof *self);
	for (i = 0; cfg != NULL && i < cfg->n_accounts; i++) {
		if (cfg->accounts[i].email != NULL)
			self[n++] = cfg->accounts[i].email;
	}
	return (self);
}

/*
 * calendar [-d DAYS] [-w WEEKDAY] [MODE] [YYYY-MM-DD|today]: opens the
 * calendar, or on the calendar shows that mode and day.
 */
static int
cmd_calendar_exec(int argc, char **argv, char **cause)
{
	struct ui_calendar_options	 o;
	const char			**self, *errstr;
	time_t				 day = -1;
	int				 i, k, mode = -1, set_day = 0, rc;

	memset(&o, 0, sizeof o);
	o.agenda_days = 7;
	o.week_start = 1;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-d") == 0 && i + 1 < argc) {
			o.agenda_days = (int)strtonum(argv[++i], 1,
			    UI_CALENDAR_MAX_DAYS, &errstr);
			if (errstr != NULL) {
				xcause(cause, "calendar: -d expects 1 to %d "
				    "days, not '%s'", UI_CALENDAR_MAX_DAYS,
				    argv[i]);
				return (-1);
			}
		} else if (strcmp(argv[i], "-w") == 0 && i + 1 < argc) {
			if ((o.week_start = cmd_cal_weekday(argv[++i])) ==
			    -1) {
				xcause(cause, "calendar: -w expects a day of "
				    "the week, not '%s'", argv[i]);
				return (-1);
			}
		} else if ((k = ui_calendar_mode_from_name(argv[i])) != -1) {
			mode = k;
			o.mode = (enum ui_calendar_mode)mode;
		} else {
			if ((day = cmd_cal_day(argv[i], cause)) == -2)
				return (-1);
			set_day = 1;
		}
	}
	if (ui_calendar_on_top()) {
		if (mode != -1 && ui_calendar_set_mode(o.mode, cause) != 0)
			return (-1);
		if (set_day && ui_calendar_goto(day, cause) != 0)
			return (-1);
		return (0);
	}
	o.day = day;
	self = cmd_cal_self();
	o.self = self;
	rc = ui_calendar_push(&o, cause);
	free(self);
	return (rc);
}

static int
cmd_calendar_step(int argc, char **argv, int sign, char **cause)
{
	int	 n;

	if (cmd_count_arg(argc, argv, &n, cause) != 0)
		return (-1);
	return (ui_calendar_step(sign * n, cause));
}

static int
cmd_calendar_next_exec(int argc, char **argv, char **cause)
{
	return (cmd_calendar_step(argc, argv, 1, cause));
}

static int
cmd_calendar_previous_exec(int argc, char **argv, char **cause)
{
	return (cmd_calendar_step(argc, argv, -1, cause));
}

static void
cmd_calendar_jump_answer(const char *answer, void *arg)
{
	char	*cause = NULL;
	time_t	 day;

	(void)arg;
	if (answer == NULL || *answer == '\0')
		return;
	if ((day = cmd_cal_day(answer, &cause)) == -2 ||
	    ui_calendar_goto(day, &cause) != 0) {
		ui_error("%s", cause);
		free(cause);
	}
}

static int
cmd_calendar_jump_exec(int argc, char **argv, char **cause)
{
	time_t	 day;

	if (!ui_calendar_on_top()) {
		xcause(cause, "not in the calendar");
		return (-1);
	}
	if (argc == 1) {
		ui_ask("Go to (YYYY-MM-DD): ", cmd_calendar_jump_answer, NULL);
		return (0);
	}
	if ((day = cmd_cal_day(argv[1], cause)) == -2)
		return (-1);
	return (ui_calendar_goto(day, cause));
}

const struct cmd_entry cmd_calendar_entry = {
	"calendar", "[-d days] [-w weekday] [agenda|day|week|month] [date]",
	"open the calendar (from today, or a YYYY-MM-DD date), or change "
	"what it shows",
	0, 6, cmd_calendar_exec
};
const struct cmd_entry cmd_calendar_next_entry = {
	"calendar-next", "[count]", "the calendar's next agenda, day, week "
	"or month",
	0, 1, cmd_calendar_next_exec
};
const struct cmd_entry cmd_calendar_previous_entry = {
	"calendar-previous", "[count]", "the calendar's previous agenda, "
	"day, week or month",
	0, 1, cmd_calendar_previous_exec
};
const struct cmd_entry cmd_calendar_jump_entry = {
	"calendar-jump", "[date]", "show the calendar at a date (asked for "
	"when not given)",
	0, 1, cmd_calendar_jump_exec
};

/* tasks [all|open|needs-action|in-process|completed|cancelled] */
static int
cmd_tasks_exec(int argc, char **argv, char **cause)
{
	static const char *filters[] = { "all", "open", "needs-action",
	    "in-process", "completed", "cancelled" };
	const char	*filter = argc > 1 ? argv[1] : "open";
	size_t		 i;

	for (i = 0; i < sizeof filters / sizeof *filters; i++) {
		if (strcmp(filter, filters[i]) == 0)
			break;
	}
	if (i == sizeof filters / sizeof *filters) {
		xcause(cause, "tasks: no status '%s' (all, open, "
		    "needs-action, in-process, completed or cancelled)",
		    filter);
		return (-1);
	}
	if (ui_tasks_on_top())
		return (ui_tasks_filter(filter, cause));
	return (ui_tasks_push(NULL, filter, cause));
}

/* task-status needs-action|in-process|completed|cancelled */
static int
cmd_task_status_exec(int argc, char **argv, char **cause)
{
	static const char *names[][2] = {
		{ "needs-action", "NEEDS-ACTION" },
		{ "in-process", "IN-PROCESS" },
		{ "completed", "COMPLETED" },
		{ "cancelled", "CANCELLED" },
	};
	struct cal_calstore	*cs;
	const char		*uid;
	size_t			 i;

	(void)argc;
	for (i = 0; i < sizeof names / sizeof *names; i++) {
		if (strcmp(argv[1], names[i][0]) == 0)
			break;
	}
	if (i == sizeof names / sizeof *names) {
		xcause(cause, "task-status: no status '%s' (needs-action, "
		    "in-process, completed or cancelled)", argv[1]);
		return (-1);
	}
	if (ui_tasks_current(&cs, &uid, cause) != 0)
		return (-1);
	if (cal_calstore_task_set_status(cs, uid, names[i][1], -1, date_now(),
	    cause) != 0)
		return (-1);
	ui_tasks_reload();
	ui_message("task marked %s", argv[1]);
	return (0);
}

/* The message a new task is for: its Message-ID and subject. */
struct cmd_task_new {
	char	*message_id;
	char	*subject;
};

static void
cmd_task_new_free(struct cmd_task_new *tn)
{
	free(tn->message_id);
	free(tn->subject);
	free(tn);
}

/* Makes the task, due on a day ("" or NULL: no due date). */
static int
cmd_task_new_make(struct cmd_task_new *tn, const char *due, char **cause)
{
	struct cal_calstore	*cs;
	char			*dir, *clean;
	time_t			 t = -1;
	int			 rc;

	if (due != NULL && *due != '\0' && strcmp(due, "-") != 0 &&
	    (t = ui_calendar_parse_day(due)) == -1) {
		xcause(cause, "task-new: '%s' is not a date (expected "
		    "YYYY-MM-DD, or nothing for no due date)", due);
		return (-1);
	}
	cal_ical_init();
	dir = cal_calstore_default_dir(NULL);
	cs = cal_calstore_open(dir, cause);
	free(dir);
	if (cs == NULL)
		return (-1);
	rc = cal_calstore_task_new(cs, tn->subject, t, 1, tn->message_id,
	    date_now(), NULL, cause);
	cal_calstore_close(cs);
	if (rc == 0) {
		clean = text_sanitize(tn->subject, strlen(tn->subject), 0);
		ui_message("task made: %s%s%s", clean, t == -1 ? "" :
		    ", due ", t == -1 ? "" : due);
		free(clean);
		ui_tasks_reload();
	}
	return (rc);
}

static void
cmd_task_new_answer(const char *answer, void *arg)
{
	struct cmd_task_new	*tn = arg;
	char			*cause = NULL;

	if (answer != NULL && cmd_task_new_make(tn, answer, &cause) != 0) {
		ui_error("%s", cause);
		free(cause);
	}
	cmd_task_new_free(tn);
}

/* task-new [YYYY-MM-DD|-]: a task for the message at the cursor. */
static int
cmd_task_new_exec(int argc, char **argv, char **cause)
{
	struct store_messages	*ms;
	struct store_message	 m;
	struct cmd_task_new	*tn;
	int			 rc;

	if (cmd_target_messages(&ms, cause) != 0)
		return (-1);
	if (!store_messages_next(ms, &m)) {
		store_messages_free(ms);
		xcause(cause, "no message to make a task of");
		return (-1);
	}
	tn = xcalloc(1, sizeof *tn);
	tn->message_id = xstrdup(m.message_id);
	tn->subject = xstrdup(m.subject != NULL && *m.subject != '\0' ?
	    m.subject : "(no subject)");
	store_message_release(&m);
	store_messages_free(ms);
	if (argc == 1) {
		ui_ask("Task due (YYYY-MM-DD, empty: none): ",
		    cmd_task_new_answer, tn);
		return (0);
	}
	rc = cmd_task_new_make(tn, argv[1], cause);
	cmd_task_new_free(tn);
	return (rc);
}

const struct cmd_entry cmd_tasks_entry = {
	"tasks", "[all|open|needs-action|in-process|completed|cancelled]",
	"open the task list (open tasks), or show the tasks of a status",
	0, 1, cmd_tasks_exec
};
const struct cmd_entry cmd_task_status_entry = {
	"task-status", "needs-action|in-process|completed|cancelled",
	"mark the task at the cursor",
	1, 1, cmd_task_status_exec
};
const struct cmd_entry cmd_task_new_entry = {
	"task-new", "[date|-]", "make a task of the message, due on a "
	"YYYY-MM-DD date (asked for when not given; -: none)",
	0, 1, cmd_task_new_exec
};
