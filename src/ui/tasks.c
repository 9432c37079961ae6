/*
 * ui/tasks.c: the task list: the VTODOs of the calendar store by due date
 * (none last), then priority, a line each as "satchel tasks" prints them,
 * with a status filter (all, open, in-process, completed).  Enter opens
 * the message a task was made from.  Marking a task is a command's
 * work (cmd/cmd-cal.c): it takes the store and the task at the cursor
 * from here and calls ui_tasks_reload() after.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core.h"
#include "store/store.h"
#include "cal/cal.h"
#include "ui/ui.h"
#include "private.h"

struct ui_tasks {
	struct cal_calstore	*cs;
	struct timespec		 mtime;
	char			*filter;
	struct cal_todo		*td;
	size_t			 n;
	size_t			 cursor;
	size_t			 top;
	struct ui_tasks		*below;		/* the task list under it */
};

/* The open task lists, the newest first. */
static struct ui_tasks	*ui_tasks_views;

static void	ui_tasks_draw(struct ui_view *, int, int, int);
static void	ui_tasks_move(struct ui_view *, int);
static void	ui_tasks_page(struct ui_view *, int);
static void	ui_tasks_first(struct ui_view *);
static void	ui_tasks_last(struct ui_view *);
static int	ui_tasks_open(struct ui_view *, char **);
static void	ui_tasks_status(struct ui_view *, struct buf *);
static void	ui_tasks_free(struct ui_view *);
static char	*ui_tasks_target(struct ui_view *, int, char **);
static void	ui_tasks_reload_op(struct ui_view *, int);

static const struct ui_view_ops ui_tasks_ops = {
	"tasks",
	ui_tasks_draw,
	ui_tasks_move,
	ui_tasks_page,
	ui_tasks_first,
	ui_tasks_last,
	ui_tasks_open,
	ui_tasks_status,
	NULL,
	ui_tasks_free,
	ui_tasks_target,
	NULL,
	ui_tasks_reload_op,
	NULL,
	NULL,
	NULL,
	NULL,	NULL,		/* predict, settle */
};

void
ui_tasks_line(struct buf *b, const struct cal_todo *td)
{
	struct tm	 tm;
	char		 due[32], *clean;

	if (td->due == -1)
		strlcpy(due, "-", sizeof due);
	else {
		localtime_r(&td->due, &tm);
		if (strftime(due, sizeof due, td->due_all_day ? "%Y-%m-%d" :
		    "%Y-%m-%d %H:%M", &tm) == 0)
			due[0] = '\0';
	}
	clean = text_sanitize(td->status != NULL ? td->status : "",
	    td->status != NULL ? strlen(td->status) : 0, 0);
	buf_printf(b, "%-16s  %-12s  %d  %3d%%  ", due, clean, td->priority,
	    td->percent);
	free(clean);
	clean = td->summary != NULL && *td->summary != '\0' ?
	    text_sanitize(td->summary, strlen(td->summary), 0) :
	    xstrdup("(no title)");
	buf_addstr(b, clean);
	free(clean);
}

/* Reads the tasks again, the cursor staying on the same one (or at the
 * same place when it left the list). */
static void
ui_tasks_load(struct ui_tasks *t)
{
	char	*uid = NULL;
	size_t	 i;

	if (t->cursor < t->n && t->td[t->cursor].uid != NULL)
		uid = xstrdup(t->td[t->cursor].uid);
	cal_ical_todos_free(t->td, t->n);
	cal_calstore_tasks(t->cs, t->filter, &t->td, &t->n);
	for (i = 0; uid != NULL && i < t->n; i++) {
		if (t->td[i].uid != NULL && strcmp(t->td[i].uid, uid) == 0) {
			t->cursor = i;
			break;
		}
	}
	if (t->cursor >= t->n)
		t->cursor = t->n > 0 ? t->n - 1 : 0;
	free(uid);
}

int
ui_tasks_push(const char *dir, const char *filter, char **cause)
{
	struct ui_tasks	*t;

	t = xcalloc(1, sizeof *t);
	if ((t->cs = ui_calendar_store_open(dir, &t->mtime, cause)) == NULL) {
		free(t);
		return (-1);
	}
	t->filter = xstrdup(filter != NULL ? filter : "open");
	ui_tasks_load(t);
	if (ui_view_push(&ui_tasks_ops, t) == NULL)
		return (0);	/* freed, the error shown */
	t->below = ui_tasks_views;
	ui_tasks_views = t;
	return (0);
}

int
ui_tasks_on_top(void)
{
	return (ui_tasks_views != NULL && strcmp(ui_view_name(), "tasks") ==
	    0);
}

static struct ui_tasks *
ui_tasks_top(char **cause)
{
	if (!ui_tasks_on_top()) {
		xcause(cause, "not in the task list");
		return (NULL);
	}
	return (ui_tasks_views);
}

int
ui_tasks_filter(const char *filter, char **cause)
{
	struct ui_tasks	*t;

	if ((t = ui_tasks_top(cause)) == NULL)
		return (-1);
	free(t->filter);
	t->filter = xstrdup(filter);
	ui_tasks_load(t);
	ui_set_dirty();
	return (0);
}

int
ui_tasks_current(struct cal_calstore **cs, const char **uid, char **cause)
{
	struct ui_tasks	*t;

	if ((t = ui_tasks_top(cause)) == NULL)
		return (-1);
	if (t->cursor >= t->n || t->td[t->cursor].uid == NULL) {
		xcause(cause, "no task here");
		return (-1);
	}
	*cs = t->cs;
	*uid = t->td[t->cursor].uid;
	return (0);
}

void
ui_tasks_reload(void)
{
	struct ui_tasks	*t;

	if ((t = ui_tasks_top(NULL)) == NULL)
		return;
	(void)ui_calendar_store_fresh(t->cs, &t->mtime);
	ui_tasks_load(t);
	ui_set_dirty();
}

/* Whether a task is late: due before now and not done. */
static int
ui_tasks_late(const struct cal_todo *td, time_t now)
{
	if (td->due == -1 || td->status == NULL)
		return (0);
	if (strcmp(td->status, "COMPLETED") == 0 ||
	    strcmp(td->status, "CANCELLED") == 0)
		return (0);
	if (td->due_all_day)
		return (ui_calendar_add_days(td->due, 1) <= now);
	return (td->due <= now);
}

static void
ui_tasks_draw(struct ui_view *v, int y, int rows, int cols)
{
	struct ui_tasks		*t = v->data;
	const struct cal_todo	*td;
	struct buf		 b;
	enum ui_colour		 colour;
	time_t			 now = date_now();
	size_t			 i;
	int			 hl;

	if (ui_calendar_store_fresh(t->cs, &t->mtime))
		ui_tasks_load(t);
	if (rows < 2)
		return;
	buf_init(&b);
	buf_printf(&b, "%-16s  %-12s  P  Done  Summary", "Due", "Status");
	ui_draw_fill(y, 0, cols, UI_HEADER);
	ui_draw_text(y, 0, cols, b.data, UI_HEADER, 0);
	buf_release(&b);
	y++;
	rows--;
	if (t->n == 0) {
		ui_draw_text(y, 1, cols - 1, "No tasks.", UI_NOTE, 0);
		return;
	}
	if (t->cursor < t->top)
		t->top = t->cursor;
	else if (t->cursor >= t->top + (size_t)rows)
		t->top = t->cursor - (size_t)rows + 1;
	for (i = t->top; i < t->n && i < t->top + (size_t)rows; i++, y++) {
		td = &t->td[i];
		hl = i == t->cursor;
		colour = UI_NORMAL;
		if (ui_tasks_late(td, now))
			colour = UI_UNREAD;
		else if (td->status != NULL &&
		    (strcmp(td->status, "COMPLETED") == 0 ||
		    strcmp(td->status, "CANCELLED") == 0))
			colour = UI_NOTE;
		buf_init(&b);
		ui_tasks_line(&b, td);
		if (hl)
			ui_draw_fill(y, 0, cols, UI_CURSOR);
		ui_draw_text(y, 0, cols, b.data, colour, hl);
		buf_release(&b);
	}
}

static void
ui_tasks_move(struct ui_view *v, int n)
{
	struct ui_tasks	*t = v->data;

	if (n < 0) {
		t->cursor = (size_t)-n > t->cursor ? 0 : t->cursor -
		    (size_t)-n;
		return;
	}
	if (t->n == 0)
		return;
	if (t->cursor + (size_t)n >= t->n) {
		if (t->cursor == t->n - 1)
			ui_message("last task");
		t->cursor = t->n - 1;
	} else
		t->cursor += (size_t)n;
}

static void
ui_tasks_page(struct ui_view *v, int n)
{
	ui_tasks_move(v, n * (v->rows > 2 ? v->rows - 2 : 1));
}

static void
ui_tasks_first(struct ui_view *v)
{
	struct ui_tasks	*t = v->data;

	t->cursor = 0;
}

static void
ui_tasks_last(struct ui_view *v)
{
	struct ui_tasks	*t = v->data;

	t->cursor = t->n > 0 ? t->n - 1 : 0;
}

/* The Message-ID of the task at the cursor's message (borrowed). */
static const char *
ui_tasks_message_id(struct ui_tasks *t, char **cause)
{
	if (t->cursor >= t->n) {
		xcause(cause, "no task here");
		return (NULL);
	}
	if (t->td[t->cursor].message_id == NULL) {
		xcause(cause, "this task was not made from a message");
		return (NULL);
	}
	return (t->td[t->cursor].message_id);
}

static int
ui_tasks_open(struct ui_view *v, char **cause)
{
	const char	*id;

	if ((id = ui_tasks_message_id(v->data, cause)) == NULL)
		return (-1);
	return (ui_calendar_open_message(id, cause));
}

/* The task's message, so that commands (tag, archive) act on it. */
static char *
ui_tasks_target(struct ui_view *v, int thread, char **cause)
{
	const char	*id;

	if (thread) {
		xcause(cause, "a task has a message, not a thread");
		return (NULL);
	}
	if ((id = ui_tasks_message_id(v->data, cause)) == NULL)
		return (NULL);
	return (store_query_term("id", id));
}

static void
ui_tasks_status(struct ui_view *v, struct buf *b)
{
	struct ui_tasks	*t = v->data;

	buf_printf(b, " tasks: %s  %zu of %zu", t->filter,
	    t->n == 0 ? 0 : t->cursor + 1, t->n);
	if (t->cursor < t->n && t->td[t->cursor].message_id != NULL)
		buf_addstr(b, "  (Enter: its message)");
}

static void
ui_tasks_free(struct ui_view *v)
{
	struct ui_tasks	*t = v->data, **p;

	for (p = &ui_tasks_views; *p != NULL; p = &(*p)->below) {
		if (*p == t) {
			*p = t->below;
			break;
		}
	}
	cal_ical_todos_free(t->td, t->n);
	cal_calstore_close(t->cs);
	free(t->filter);
	free(t);
}

static void
ui_tasks_reload_op(struct ui_view *v, int clear)
{
	struct ui_tasks	*t = v->data;

	(void)clear;
	(void)ui_calendar_store_fresh(t->cs, &t->mtime);
	ui_tasks_load(t);
}
