/*
 * ui/ui.c: the terminal session and the view stack.
 *
 * The screen is a key hint bar at the top, the top view's body, a status
 * line and a message line.  Keys are read one at a time; each is named,
 * looked up in the keymap for the top view and its command line handed to
 * the dispatcher.  While no key is waiting, views may do background work
 * (idle), one small step at a time, so input is never held up.
 */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "store/store.h"
#include "ui/ui.h"
#include "private.h"

#define UI_MAX_VIEWS	32
#define UI_SIDEBAR_COLS	26

/* The sidebar: the entries main.c gave, with unread counts read in
 * idle time. */
struct ui_sidebar_entry {
	char		*label;		/* sanitised */
	const char	*query;		/* borrowed from ui_options */
	int		 heading;
	int		 counted;
	unsigned int	 unread;
};

static struct {
	const struct ui_options	*opts;
	struct ui_view		*stack[UI_MAX_VIEWS];
	int			 depth;
	int			 quit;
	int			 dirty;
	int			 painted;
	char			*message;	/* sanitised */
	int			 message_error;
	char			*sync_status;	/* sanitised */
	struct ui_sidebar_entry	*sb;
	size_t			 n_sb;
	size_t			 sb_cursor;
	size_t			 sb_top;
	int			 sb_visible;
	char			*focus;		/* see ui_focus() */
	FILE			*trace_keys;
	int			 stderr_saved;	/* the real stderr, or -1 */
	int			 stderr_null;	/* during ui_suspend() */
	double			 key_time;	/* a key waits for its paint */
	char			 key_name[32];
} ui;

double
ui_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static struct ui_view *
ui_top(void)
{
	return (ui.depth > 0 ? ui.stack[ui.depth - 1] : NULL);
}

struct store_index *
ui_index(void)
{
	return (ui.opts->index);
}

struct engine_jobs *
ui_jobs(void)
{
	return (ui.opts->jobs);
}

void
ui_set_dirty(void)
{
	ui.dirty = 1;
}

void
ui_set_sync_status(const char *text)
{
	free(ui.sync_status);
	ui.sync_status = text != NULL ? text_sanitize(text, strlen(text), 0) :
	    NULL;
	ui.dirty = 1;
}

struct ui_view *
ui_view_push(const struct ui_view_ops *ops, void *data)
{
	struct ui_view	*v;

	if (ui.depth == UI_MAX_VIEWS) {
		ui_error("too many views open");
		v = xcalloc(1, sizeof *v);
		v->ops = ops;
		v->data = data;
		ops->free(v);
		free(v);
		return (NULL);
	}
	v = xcalloc(1, sizeof *v);
	v->ops = ops;
	v->data = data;
	ui.stack[ui.depth++] = v;
	ui.dirty = 1;
	return (v);
}

static void
ui_view_pop(void)
{
	struct ui_view	*v;

	if ((v = ui_top()) == NULL)
		return;
	ui.stack[--ui.depth] = NULL;
	v->ops->free(v);
	free(v);
	ui.dirty = 1;
	/* The view below was left as it was when the index changed. */
	if ((v = ui_top()) != NULL && v->stale && !ui.quit) {
		v->stale = 0;
		if (v->ops->reload != NULL)
			v->ops->reload(v, v->stale_clear);
		v->stale_clear = 0;
	}
}

static void
ui_set_message(int error, const char *fmt, va_list ap)
{
	char	*raw;
	int	 n;

	free(ui.message);
	n = xvasprintf(&raw, fmt, ap);
	ui.message = text_sanitize(raw, (size_t)n, 0);
	ui.message_error = error;
	free(raw);
	ui.dirty = 1;
}

void
ui_message(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	ui_set_message(0, fmt, ap);
	va_end(ap);
}

void
ui_error(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	ui_set_message(1, fmt, ap);
	va_end(ap);
}

void
ui_move(int n)
{
	if (ui_top() != NULL)
		ui_top()->ops->step(ui_top(), n);
	ui.dirty = 1;
}

void
ui_page(int n)
{
	if (ui_top() != NULL)
		ui_top()->ops->page(ui_top(), n);
	ui.dirty = 1;
}

void
ui_first(void)
{
	if (ui_top() != NULL)
		ui_top()->ops->first(ui_top());
	ui.dirty = 1;
}

void
ui_last(void)
{
	if (ui_top() != NULL)
		ui_top()->ops->last(ui_top());
	ui.dirty = 1;
}

int
ui_open(char **cause)
{
	struct ui_view	*v = ui_top();

	if (v == NULL || v->ops->open == NULL) {
		xcause(cause, "nothing to open here");
		return (-1);
	}
	return (v->ops->open(v, cause));
}

void
ui_close(void)
{
	ui_view_pop();
	if (ui.depth == 0)
		ui.quit = 1;
}

void
ui_quit(void)
{
	ui.quit = 1;
}

void
ui_redraw(void)
{
	clearok(curscr, TRUE);
	ui.dirty = 1;
}

void
ui_focus(const char *thread_id)
{
	free(ui.focus);
	ui.focus = thread_id != NULL ? xstrdup(thread_id) : NULL;
}

char *
ui_take_focus(void)
{
	char	*f = ui.focus;

	ui.focus = NULL;
	return (f);
}

/* While another program has the terminal, its stderr is the real one;
 * satchel's own goes back to /dev/null after. */
void
ui_suspend(void)
{
	def_prog_mode();
	endwin();
	fflush(stdout);
	if (ui.stderr_saved != -1) {
		ui.stderr_null = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
		(void)dup2(ui.stderr_saved, STDERR_FILENO);
	}
}

void
ui_resume(void)
{
	if (ui.stderr_saved != -1 && ui.stderr_null != -1) {
		(void)dup2(ui.stderr_null, STDERR_FILENO);
		close(ui.stderr_null);
		ui.stderr_null = -1;
	}
	reset_prog_mode();
	ui_redraw();
}

char *
ui_target(int thread, char **cause)
{
	struct ui_view	*v = ui_top();

	if (v == NULL || v->ops->target == NULL) {
		xcause(cause, "nothing here to act on");
		return (NULL);
	}
	return (v->ops->target(v, thread, cause));
}

static int
ui_select_op(const char *query, char **cause)
{
	struct ui_view	*v = ui_top();

	ui.dirty = 1;
	if (v == NULL || v->ops->select == NULL) {
		xcause(cause, "selecting works in the thread list");
		return (-1);
	}
	return (v->ops->select(v, query, cause));
}

int
ui_select(char **cause)
{
	return (ui_select_op(NULL, cause));
}

int
ui_select_query(const char *query, char **cause)
{
	if (*query == '\0') {
		xcause(cause, "select-query needs a query");
		return (-1);
	}
	return (ui_select_op(query, cause));
}

void
ui_select_clear(void)
{
	(void)ui_select_op("", NULL);
}

/* The sidebar's width with its line, 0 when hidden or too narrow. */
static int
ui_sidebar_cols(void)
{
	if (!ui.sb_visible || ui.n_sb == 0 || COLS < 60)
		return (0);
	return (UI_SIDEBAR_COLS);
}

static void
ui_sidebar_init(const struct ui_options *o)
{
	size_t	 i;

	ui.sb = xcalloc(o->n_sidebar + 1, sizeof *ui.sb);
	for (i = 0; i < o->n_sidebar; i++) {
		ui.sb[i].label = text_sanitize(o->sidebar[i].label,
		    strlen(o->sidebar[i].label), 0);
		ui.sb[i].query = o->sidebar[i].query;
		ui.sb[i].heading = o->sidebar[i].heading;
	}
	ui.n_sb = o->n_sidebar;
	ui.sb_visible = o->sidebar_visible;
	while (ui.sb_cursor < ui.n_sb && ui.sb[ui.sb_cursor].heading)
		ui.sb_cursor++;
}

static void
ui_sidebar_free(void)
{
	size_t	 i;

	for (i = 0; i < ui.n_sb; i++)
		free(ui.sb[i].label);
	free(ui.sb);
	ui.sb = NULL;
	ui.n_sb = 0;
}

void
ui_sidebar_toggle(void)
{
	ui.sb_visible = !ui.sb_visible;
	ui.dirty = 1;
}

/* Moves the sidebar's cursor n entries, over headings. */
void
ui_sidebar_move(int n)
{
	size_t	 i = ui.sb_cursor;

	ui.sb_visible = 1;
	ui.dirty = 1;
	while (n != 0) {
		if (n > 0) {
			do
				i++;
			while (i < ui.n_sb && ui.sb[i].heading);
			if (i >= ui.n_sb)
				return;
			n--;
		} else {
			if (i == 0)
				return;
			do
				i--;
			while (i > 0 && ui.sb[i].heading);
			if (ui.sb[i].heading)
				return;
			n++;
		}
		ui.sb_cursor = i;
	}
}

int
ui_sidebar_open(char **cause)
{
	if (ui.sb_cursor >= ui.n_sb || ui.sb[ui.sb_cursor].heading) {
		xcause(cause, "no saved search or folder to open");
		return (-1);
	}
	return (ui_search(ui.sb[ui.sb_cursor].query, cause));
}

/* "Inbox           12": a label and its unread count. */
static void
ui_sidebar_draw(int y, int rows, int cols)
{
	struct ui_sidebar_entry	*e;
	struct buf		 b;
	char			 count[16];
	size_t			 i;
	int			 hl, w;

	if (ui.sb_cursor < ui.sb_top)
		ui.sb_top = ui.sb_cursor;
	else if (ui.sb_cursor >= ui.sb_top + (size_t)rows)
		ui.sb_top = ui.sb_cursor - (size_t)rows + 1;
	for (i = ui.sb_top; i < ui.n_sb && i < ui.sb_top + (size_t)rows;
	    i++) {
		e = &ui.sb[i];
		hl = (i == ui.sb_cursor);
		if (e->heading) {
			ui_draw_text(y++, 0, cols, e->label, UI_HEADER, 0);
			continue;
		}
		count[0] = '\0';
		if (e->counted && e->unread > 0)
			snprintf(count, sizeof count, " %u", e->unread);
		w = (int)strlen(count);
		buf_init(&b);
		text_fit(&b, e->label, (size_t)(cols - 1 - w > 1 ?
		    cols - 1 - w : 1), TEXT_FIT_PAD);
		ui_draw_fill(y, 0, cols, hl ? UI_CURSOR : UI_NORMAL);
		ui_draw_text(y, 1, cols - 1, b.data, e->unread > 0 ?
		    UI_UNREAD : UI_NORMAL, hl);
		if (w > 0)
			ui_draw_text(y, cols - w, w, count, UI_COUNT, hl);
		buf_release(&b);
		y++;
	}
}

/* One unread count, in idle time; 0 when all are known. */
static int
ui_sidebar_idle(void)
{
	size_t	 i;
	char	*q;

	if (ui_sidebar_cols() == 0)
		return (0);
	for (i = 0; i < ui.n_sb; i++) {
		if (ui.sb[i].heading || ui.sb[i].counted)
			continue;
		xasprintf(&q, "(%s) and tag:unread", ui.sb[i].query);
		if (store_index_count_messages(ui_index(), q, &ui.sb[i].unread,
		    NULL) != STORE_OK)
			ui.sb[i].unread = 0;
		free(q);
		ui.sb[i].counted = 1;
		return (1);
	}
	return (0);
}

/* The UI's handle sees what was written; the sidebar counts again. */
static void
ui_reopen(void)
{
	char	*cause = NULL;
	size_t	 k;

	if (store_index_reopen(ui.opts->index, &cause) != STORE_OK) {
		ui_error("%s", cause != NULL ? cause : "cannot reopen index");
		free(cause);
	}
	for (k = 0; k < ui.n_sb; k++)
		ui.sb[k].counted = 0;
	ui.dirty = 1;
}

void
ui_refresh(int clear)
{
	int	 i;

	ui_reopen();
	/* Only the view on screen now; the others when they are again. */
	for (i = 0; i < ui.depth - 1; i++) {
		ui.stack[i]->stale = 1;
		ui.stack[i]->stale_clear |= clear;
	}
	if (ui.depth > 0 && ui_top()->ops->reload != NULL)
		ui_top()->ops->reload(ui_top(), clear);
	free(ui_take_focus());	/* only the view on screen follows it */
}

int
ui_predict(char *const *threads, size_t n, char *const *add,
    char *const *del, int moves)
{
	ui.dirty = 1;
	if (ui.depth > 0 && ui_top()->ops->predict != NULL)
		return (ui_top()->ops->predict(ui_top(), threads, n, add, del,
		    moves));
	return (1);
}

void
ui_settle(char *const *threads, size_t n, int clear)
{
	struct ui_view	*v;
	int		 i;

	ui_reopen();
	for (i = 0; i < ui.depth; i++) {
		v = ui.stack[i];
		if (clear && v->ops->select != NULL)
			(void)v->ops->select(v, "", NULL);
		if (v->ops->settle != NULL)
			v->ops->settle(v, threads, n);
		else if (i == ui.depth - 1 && v->ops->reload != NULL)
			v->ops->reload(v, clear);
		else if (i < ui.depth - 1)
			v->stale = 1;
	}
}

int
ui_search(const char *query, char **cause)
{
	if (*query == '\0') {
		xcause(cause, "search needs a query");
		return (-1);
	}
	ui.dirty = 1;
	return (ui_index_push(query, cause));
}

int
ui_toggle(const char *what, char **cause)
{
	struct ui_view	*v = ui_top();

	ui.dirty = 1;
	if (v == NULL || v->ops->toggle == NULL) {
		xcause(cause, "nothing to toggle here");
		return (-1);
	}
	return (v->ops->toggle(v, what, cause));
}

int
ui_tree(char **cause)
{
	struct ui_view	*v = ui_top();
	char		*thread_id, *query, *at;
	int		 rc;

	if (v != NULL && strcmp(v->ops->name, "thread") == 0) {
		xcause(cause, "this is the thread's tree already");
		return (-1);
	}
	if (v == NULL || v->ops->thread == NULL) {
		xcause(cause, "no thread here");
		return (-1);
	}
	/* From a pager opened out of the tree: back to that tree. */
	if (ui.depth >= 2 && strcmp(ui.stack[ui.depth - 2]->ops->name,
	    "thread") == 0) {
		ui_view_pop();
		return (0);
	}
	if (v->ops->thread(v, &thread_id, &query, &at, cause) != 0)
		return (-1);
	rc = ui_thread_push(thread_id, query, at, cause);
	free(thread_id);
	free(query);
	free(at);
	return (rc);
}

int
ui_attachment(size_t k, char **path, size_t *n, char **cause)
{
	struct ui_view	*v = ui_top();

	if (v == NULL || v->ops->attachment == NULL) {
		xcause(cause, "attachments are in the pager");
		return (-1);
	}
	return (v->ops->attachment(v, k, path, n, cause));
}

int
ui_set_theme(const char *name, char **cause)
{
	struct ui_theme	 theme;

	if (ui_theme_load(&theme, name, cause) != 0)
		return (-1);
	ui_draw_init(&theme);
	ui_redraw();
	return (0);
}

const char *
ui_view_name(void)
{
	return (ui_top() != NULL ? ui_top()->ops->name : "global");
}

void
ui_text_show(const char *title, char **lines, size_t n)
{
	ui_textview_push(title, lines, n);
}

/* The key hint bar: what the most useful keys of this view are. */
static void
ui_draw_bar(int cols)
{
	const struct keymap	*km = ui.opts->keymap;
	static const char	*wanted[] = { "close", "open", "next",
				    "previous", "help" };
	static const char	*labels[] = { "Back", "Open", "Next", "Prev",
				    "Help" };
	const struct keymap_binding *kb;
	const char		*view = ui_view_name(), *cmd;
	struct buf		 b;
	size_t			 i, k;

	buf_init(&b);
	buf_addstr(&b, "satchel");
	/* Show the first key bound to each command, view first. */
	for (i = 0; i < sizeof wanted / sizeof *wanted; i++) {
		for (k = 0; k < keymap_count(km); k++) {
			kb = keymap_get(km, k);
			if (strcmp(kb->view, view) != 0 &&
			    strcmp(kb->view, "global") != 0)
				continue;
			cmd = keymap_lookup(km, view, kb->key);
			if (cmd == NULL || strcmp(cmd, wanted[i]) != 0)
				continue;
			buf_printf(&b, "  %s:%s", kb->key,
			    ui.depth == 1 && i == 0 ? "Quit" : labels[i]);
			break;
		}
	}
	ui_draw_fill(0, 0, cols, UI_BAR);
	ui_draw_text(0, 0, cols, b.data, UI_BAR, 0);
	buf_release(&b);
}

static void
ui_paint(void)
{
	struct ui_view	*v = ui_top();
	struct buf	 b;
	int		 rows = LINES - 3, cols = COLS, cx = -1, sw;
	char		*clean;

	ui_draw_clear();
	if (LINES < 4 || COLS < 10) {
		ui_draw_text(0, 0, COLS, "terminal too small", UI_ERROR, 0);
		ui_draw_done(-1, -1);
		return;
	}
	ui_draw_bar(cols);
	if ((sw = ui_sidebar_cols()) > 0) {
		ui_sidebar_draw(1, rows, sw - 1);
		ui_draw_vline(1, sw - 1, rows);
	}
	if (v != NULL) {
		v->rows = rows;
		v->cols = cols - sw;
		ui_draw_origin(sw);
		v->ops->draw(v, 1, rows, cols - sw);
		ui_draw_origin(0);
		buf_init(&b);
		v->ops->status(v, &b);
		if (ui.sync_status != NULL)
			buf_printf(&b, "  | %s", ui.sync_status);
		clean = text_sanitize(b.data, b.len, 0);
		ui_draw_fill(LINES - 2, 0, cols, UI_STATUS);
		ui_draw_text(LINES - 2, 0, cols, clean, UI_STATUS, 0);
		free(clean);
		buf_release(&b);
	}
	if (ui_prompt_active())
		cx = ui_prompt_draw(LINES - 1, cols);
	else if (ui.message != NULL)
		ui_draw_text(LINES - 1, 0, cols, ui.message,
		    ui.message_error ? UI_ERROR : UI_NORMAL, 0);
	ui_draw_done(LINES - 1, cx);
	ui.dirty = 0;
}

/* Writes the launch-to-first-paint time for benchmarks. */
static void
ui_trace_paint(void)
{
	FILE	*f;

	if (ui.opts->trace_paint == NULL)
		return;
	if ((f = fopen(ui.opts->trace_paint, "w")) == NULL)
		return;
	fprintf(f, "%.1f\n", (ui_now() - ui.opts->start) * 1000.0);
	fclose(f);
}

/*
 * Names a key the way keymaps spell it.  Returns NULL for keys nothing can
 * be bound to.
 */
static const char *
ui_key_name(int rc, wint_t wc, char *out, size_t len)
{
	mbstate_t	 ps;
	size_t		 n;

	if (rc == KEY_CODE_YES) {
		switch (wc) {
		case KEY_UP:		return ("Up");
		case KEY_DOWN:		return ("Down");
		case KEY_LEFT:		return ("Left");
		case KEY_RIGHT:		return ("Right");
		case KEY_NPAGE:		return ("PageDown");
		case KEY_PPAGE:		return ("PageUp");
		case KEY_HOME:		return ("Home");
		case KEY_END:		return ("End");
		case KEY_ENTER:		return ("Enter");
		case KEY_BACKSPACE:	return ("Backspace");
		case KEY_DC:		return ("Delete");
		case KEY_IC:		return ("Insert");
		case KEY_BTAB:		return ("BTab");
		}
		if (wc >= KEY_F(1) && wc <= KEY_F(12)) {
			snprintf(out, len, "F%d", (int)(wc - KEY_F0));
			return (out);
		}
		return (NULL);
	}
	switch (wc) {
	case L'\r':
	case L'\n':
		return ("Enter");
	case L'\t':
		return ("Tab");
	case L' ':
		return ("Space");
	case 27:
		return ("Escape");
	case 127:
	case 8:
		return ("Backspace");
	}
	if (wc >= 1 && wc <= 26) {
		snprintf(out, len, "C-%c", (char)('a' + wc - 1));
		return (out);
	}
	memset(&ps, 0, sizeof ps);
	n = wcrtomb(out, (wchar_t)wc, &ps);
	if (n == (size_t)-1 || n >= len)
		return (NULL);
	out[n] = '\0';
	return (out);
}

/* Runs a command line, showing its error. */
static void
ui_run_line(const char *line)
{
	char	*cause = NULL;

	if (ui.opts->dispatch(line, &cause) != 0) {
		ui_error("%s", cause != NULL ? cause : "command failed");
		free(cause);
	}
	ui.dirty = 1;
}

static void
ui_key(const char *key)
{
	const char	*cmd;
	char		*clean;

	if ((cmd = keymap_lookup(ui.opts->keymap, ui_view_name(), key)) ==
	    NULL) {
		clean = text_sanitize(key, strlen(key), 0);
		ui_error("key %s is not bound; ? lists the keys", clean);
		free(clean);
		return;
	}
	ui_run_line(cmd);
}

/* Background work for whichever views want it, top first. */
static int
ui_idle(void)
{
	int	 i;

	for (i = ui.depth - 1; i >= 0; i--) {
		if (ui.stack[i]->ops->idle != NULL &&
		    ui.stack[i]->ops->idle(ui.stack[i]))
			return (1);
	}
	return (ui_sidebar_idle());
}

#define UI_WAIT_KEY	1
#define UI_WAIT_NEWS	2

/*
 * Sleeps until the terminal or fd is readable; a signal (SIGWINCH) ends
 * the wait as a key would, so that get_wch() sees KEY_RESIZE.
 */
static int
ui_wait(const int fd[2])
{
	struct pollfd	 pfd[3];
	int		 ready = 0, i;

	pfd[0].fd = STDIN_FILENO;
	pfd[0].events = POLLIN;
	for (i = 0; i < 2; i++) {
		pfd[1 + i].fd = fd[i];	/* poll() skips a negative fd */
		pfd[1 + i].events = POLLIN;
		pfd[1 + i].revents = 0;
	}
	if (poll(pfd, 3, -1) <= 0)
		return (UI_WAIT_KEY);
	if (pfd[0].revents != 0)
		ready |= UI_WAIT_KEY;
	if (pfd[1].revents != 0 || pfd[2].revents != 0)
		ready |= UI_WAIT_NEWS;
	return (ready);
}

static void
ui_fatal_hook(void)
{
	if (!isendwin())
		endwin();
}

static void
ui_restore_stderr(void)
{
	if (ui.stderr_saved == -1)
		return;
	(void)dup2(ui.stderr_saved, STDERR_FILENO);
	close(ui.stderr_saved);
	ui.stderr_saved = -1;
}

int
ui_run(const struct ui_options *opts, char **cause)
{
	struct ui_theme	 theme;
	SCREEN	*scr;
	wint_t	 wc;
	int	 rc, busy = 1, ready, waking;
	char	 name[32], *line;
	const char *key;
	int	 null;

	memset(&ui, 0, sizeof ui);
	ui.stderr_saved = ui.stderr_null = -1;
	ui.opts = opts;
	waking = opts->wake_fd[0] >= 0 || opts->wake_fd[1] >= 0;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		xcause(cause, "the interface needs a terminal (try 'satchel "
		    "search' for scripts)");
		return (-1);
	}
	if (ui_theme_load(&theme, opts->theme, cause) != 0)
		return (-1);
	if ((scr = newterm(NULL, stdout, stdin)) == NULL) {
		xcause(cause, "cannot use terminal type '%s'",
		    getenv("TERM") != NULL ? getenv("TERM") : "(unset)");
		return (-1);
	}
	set_term(scr);
	log_set_stderr(0);
	/* Libraries write to stderr (libical on a malformed invitation):
	 * text from mail must not reach the screen that way either. */
	fflush(stderr);
	ui.stderr_saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (ui.stderr_saved != -1 &&
	    (null = open("/dev/null", O_WRONLY | O_CLOEXEC)) != -1) {
		(void)dup2(null, STDERR_FILENO);
		close(null);
	}
	log_set_fatal_hook(ui_fatal_hook);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	ui_draw_init(&theme);

	if (ui_index_push(opts->query, cause) != 0) {
		endwin();
		delscreen(scr);
		ui_restore_stderr();
		log_set_stderr(1);
		return (-1);
	}
	ui_sidebar_init(opts);
	if (opts->notice != NULL)
		ui_message("%s", opts->notice);
	if (opts->trace_keys != NULL)
		ui.trace_keys = fopen(opts->trace_keys, "a");
	while (!ui.quit) {
		if (ui.dirty) {
			ui_paint();
			if (!ui.painted) {
				ui.painted = 1;
				ui_trace_paint();
			}
			if (ui.key_time > 0 && ui.trace_keys != NULL) {
				fprintf(ui.trace_keys, "%s %.3f\n", ui.key_name,
				    (ui_now() - ui.key_time) * 1000.0);
				fflush(ui.trace_keys);
			}
			ui.key_time = 0;
		}
		/* Wait for a key or news, unless there is work to do. */
		if (!busy && waking) {
			ready = ui_wait(opts->wake_fd);
			if (ready & UI_WAIT_NEWS) {
				opts->wake();
				ui.dirty = 1;
				busy = 1;	/* views may have idle work */
			}
			if (!(ready & UI_WAIT_KEY))
				continue;
		}
		timeout(busy || waking ? 0 : -1);
		rc = get_wch(&wc);
		if (rc == ERR) {
			busy = ui_idle();
			ui.dirty = 1;
			continue;
		}
		busy = 1;
		if (rc == KEY_CODE_YES && wc == KEY_RESIZE) {
			ui.dirty = 1;
			continue;
		}
		free(ui.message);
		ui.message = NULL;
		if (ui_prompt_active()) {
			ui.dirty = 1;
			if (ui_prompt_key(rc, wc, opts->complete, &line)) {
				ui_run_line(line);
				free(line);
			}
		} else if ((key = ui_key_name(rc, wc, name, sizeof name)) !=
		    NULL) {
			if (ui.trace_keys != NULL) {
				ui.key_time = ui_now();
				strlcpy(ui.key_name, key, sizeof ui.key_name);
			}
			ui_key(key);
			ui.dirty = 1;
		}
	}
	ui_prompt_free();
	while (ui.depth > 0)
		ui_view_pop();
	free(ui.sync_status);
	ui.sync_status = NULL;
	free(ui.focus);
	ui.focus = NULL;
	if (ui.trace_keys != NULL)
		fclose(ui.trace_keys);
	ui.trace_keys = NULL;
	ui_sidebar_free();
	free(ui.message);
	ui.message = NULL;
	endwin();
	delscreen(scr);
	ui_restore_stderr();
	log_set_stderr(1);
	log_set_fatal_hook(NULL);
	return (0);
}
