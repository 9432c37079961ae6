/*
 * ui/index.c: the thread list of a query.
 *
 * Rows are read lazily: the store hands out one thread at a time, and the
 * view reads only as far as the screen (plus a screen ahead, in idle
 * time) needs, so a query matching 100k messages paints at once.  The
 * message count comes from a cheap count in idle time after the first
 * paint; the thread total is known only once the iterator runs dry.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <time.h>

#include "core/core.h"
#include "store/store.h"
#include "engine/engine.h"
#include "ui/ui.h"
#include "private.h"

#define UI_INDEX_DATE_COLS	10
#define UI_INDEX_FOCUS_AHEAD	500	/* rows read to find a focus */
#define UI_INDEX_SETTLE_MAX	50	/* threads re-read one by one */

/* A thread as the list shows it: tags joined and sanitised once. */
struct ui_index_row {
	struct store_thread	 t;
	char			*tags;
	int			 tags_cols;
};

struct ui_index_resume;

struct ui_index {
	char			*query;
	struct store_threads	*threads;	/* NULL: exhausted, or ... */
	struct ui_index_resume	*resume;	/* ... being found again */
	struct store_index	*own;		/* what threads reads, when
						   not ui_index() */
	struct ui_index_row	*rows;
	size_t			 n_rows;
	size_t			 cursor;
	size_t			 top;
	int			 counted;
	unsigned int		 n_messages;
	time_t			 now;
	char			**selected;	/* thread IDs, sorted */
	size_t			 n_selected;
	/* Threads that left the view since its search: the iterator, made
	 * before, would still hand them out.  Sorted. */
	char			**gone;
	size_t			 n_gone;
};

static void	ui_index_draw(struct ui_view *, int, int, int);
static void	ui_index_move(struct ui_view *, int);
static void	ui_index_page(struct ui_view *, int);
static void	ui_index_first(struct ui_view *);
static void	ui_index_last(struct ui_view *);
static int	ui_index_open(struct ui_view *, char **);
static void	ui_index_status(struct ui_view *, struct buf *);
static int	ui_index_idle(struct ui_view *);
static void	ui_index_free(struct ui_view *);
static char	*ui_index_target(struct ui_view *, int, char **);
static int	ui_index_select(struct ui_view *, const char *, char **);
static void	ui_index_refresh(struct ui_view *, int);
static int	ui_index_thread(struct ui_view *, char **, char **, char **,
		    char **);
static int	ui_index_predict(struct ui_view *, char *const *, size_t,
		    char *const *, char *const *, int);
static void	ui_index_settle(struct ui_view *, char *const *, size_t);

static const struct ui_view_ops ui_index_ops = {
	"index",
	ui_index_draw,
	ui_index_move,
	ui_index_page,
	ui_index_first,
	ui_index_last,
	ui_index_open,
	ui_index_status,
	ui_index_idle,
	ui_index_free,
	ui_index_target,
	ui_index_select,
	ui_index_refresh,
	NULL,	NULL,
	ui_index_thread,
	ui_index_predict,
	ui_index_settle,
};

/*
 * Sets of thread IDs (the selection, the threads gone from the view) are
 * sorted arrays.  Where id is, or would go; *found says which.
 */
static size_t
ui_idset_find(char *const *v, size_t n, const char *id, int *found)
{
	size_t	 lo = 0, hi = n, mid;
	int	 c;

	*found = 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(v[mid], id)) == 0) {
			*found = 1;
			return (mid);
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo);
}

static int
ui_idset_has(char *const *v, size_t n, const char *id)
{
	int	 found;

	(void)ui_idset_find(v, n, id, &found);
	return (found);
}

/* Adds (on 1) or removes (on 0) an ID; returns whether it changed. */
static int
ui_idset_mark(char ***v, size_t *n, const char *id, int on)
{
	size_t	 at;
	int	 found;

	at = ui_idset_find(*v, *n, id, &found);
	if (found == on)
		return (0);
	if (on) {
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		memmove(*v + at + 1, *v + at, (*n - at) * sizeof **v);
		(*v)[at] = xstrdup(id);
		(*n)++;
	} else {
		free((*v)[at]);
		memmove(*v + at, *v + at + 1, (*n - at - 1) * sizeof **v);
		(*n)--;
	}
	return (1);
}

static int
ui_index_cmp_id(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* The row of a thread, or -1. */
static ssize_t
ui_index_row_of(const struct ui_index *ix, const char *id)
{
	size_t	 i;

	for (i = 0; i < ix->n_rows; i++) {
		if (strcmp(ix->rows[i].t.thread_id, id) == 0)
			return ((ssize_t)i);
	}
	return (-1);
}

/* The row's tags as the list shows them, joined and sanitised once. */
static void
ui_index_row_tags(struct ui_index_row *r)
{
	struct buf	 b;
	size_t		 k;

	free(r->tags);
	buf_init(&b);
	for (k = 0; k < r->t.n_tags; k++)
		buf_printf(&b, "%s%s", k == 0 ? "" : " ", r->t.tags[k]);
	r->tags = text_sanitize(b.data, b.len, 0);
	r->tags_cols = (int)text_width(r->tags);
	buf_release(&b);
}

/*
 * After a change the view settles without searching its whole query
 * again on the UI thread: the rows it has are read again one by one
 * (ui_index_settle()), but its iterator, made on the UI's handle, died
 * with the reopen that showed the change.  The rest of the list is
 * found again on the jobs thread, on a handle of its own: the same
 * search, with the threads the view already has (or saw go) skipped.
 * Until that is done (tens of milliseconds) the list ends at its last
 * row, which is then no longer the last ("thread 9 of 40+").
 */
struct ui_index_resume {
	struct ui_index		*ix;		/* NULL: no longer wanted */
	struct store_index	*from;		/* borrowed: opened again */
	char			*query;
	char			**skip;		/* sorted thread IDs */
	size_t			 n_skip;
	/* From the jobs thread. */
	struct store_index	*idx;
	struct store_threads	*threads;	/* NULL: nothing more */
	struct store_thread	 next;		/* the first new thread */
	int			 have_next;
	char			*cause;
};

static void
ui_index_resume_run(void *arg)
{
	struct ui_index_resume	*r = arg;

	if (store_index_open_again(r->from, &r->idx, &r->cause) != STORE_OK)
		return;
	if (store_index_search_threads(r->idx, r->query,
	    STORE_SORT_NEWEST_FIRST, &r->threads, &r->cause) != STORE_OK)
		return;
	while (store_threads_next(r->threads, &r->next)) {
		if (!ui_idset_has(r->skip, r->n_skip, r->next.thread_id)) {
			r->have_next = 1;
			return;
		}
		store_thread_release(&r->next);
	}
	store_threads_free(r->threads);
	r->threads = NULL;
}

static void
ui_index_resume_free(struct ui_index_resume *r)
{
	if (r->have_next)
		store_thread_release(&r->next);
	store_threads_free(r->threads);
	store_index_close(r->idx);
	store_free_names(r->skip, r->n_skip);
	free(r->query);
	free(r->cause);
	free(r);
}

/* What the jobs thread found becomes the view's. */
static void
ui_index_resume_apply(struct ui_index *ix, struct ui_index_resume *r)
{
	struct ui_index_row	*row;

	ix->resume = NULL;
	r->ix = NULL;
	if (r->cause != NULL) {
		ui_error("cannot read '%s' further: %s", ix->query, r->cause);
		return;
	}
	if (r->threads == NULL)
		return;
	ix->own = r->idx;
	ix->threads = r->threads;
	r->idx = NULL;
	r->threads = NULL;
	if (!r->have_next)
		return;
	r->have_next = 0;
	if (ui_idset_has(ix->gone, ix->n_gone, r->next.thread_id) ||
	    ui_index_row_of(ix, r->next.thread_id) != -1) {
		store_thread_release(&r->next);
		return;
	}
	ix->rows = xreallocarray(ix->rows, ix->n_rows + 1, sizeof *ix->rows);
	row = &ix->rows[ix->n_rows++];
	row->t = r->next;
	row->tags = NULL;
	ui_index_row_tags(row);
}

static void
ui_index_resume_done(void *arg)
{
	struct ui_index_resume	*r = arg;

	if (r->ix != NULL) {
		ui_index_resume_apply(r->ix, r);
		ui_set_dirty();
	}
	ui_index_resume_free(r);
}

static void
ui_index_resume_drop(void *arg)
{
	struct ui_index_resume	*r = arg;

	if (r->ix != NULL)
		r->ix->resume = NULL;
	ui_index_resume_free(r);
}

static const struct engine_job_ops ui_index_resume_ops = {
	ui_index_resume_run, ui_index_resume_done, ui_index_resume_drop
};

/* Lets go of the iterator, its handle and a resume on its way. */
static void
ui_index_iter_free(struct ui_index *ix)
{
	store_threads_free(ix->threads);
	ix->threads = NULL;
	store_index_close(ix->own);
	ix->own = NULL;
	if (ix->resume != NULL) {
		ix->resume->ix = NULL;
		ix->resume = NULL;
	}
}

/* After a reopen: the rest of the list is found again in the background. */
static void
ui_index_resume_start(struct ui_index *ix)
{
	struct ui_index_resume	*r;
	size_t			 i;

	ui_index_iter_free(ix);
	r = xcalloc(1, sizeof *r);
	r->ix = ix;
	r->from = ui_index();
	r->query = xstrdup(ix->query);
	r->skip = xcalloc(ix->n_rows + ix->n_gone + 1, sizeof *r->skip);
	for (i = 0; i < ix->n_rows; i++)
		r->skip[r->n_skip++] = xstrdup(ix->rows[i].t.thread_id);
	for (i = 0; i < ix->n_gone; i++)
		r->skip[r->n_skip++] = xstrdup(ix->gone[i]);
	qsort(r->skip, r->n_skip, sizeof *r->skip, ui_index_cmp_id);
	ix->resume = r;
	if (ui_jobs() == NULL) {
		ui_index_resume_run(r);
		ui_index_resume_done(r);
	} else
		engine_jobs_add(ui_jobs(), &ui_index_resume_ops, r);
}

/* Reads rows until row n exists or the query has no more threads. */
static void
ui_index_load(struct ui_index *ix, size_t n)
{
	struct ui_index_row	*r;

	while (ix->threads != NULL && ix->n_rows <= n) {
		ix->rows = xreallocarray(ix->rows, ix->n_rows + 1,
		    sizeof *ix->rows);
		r = &ix->rows[ix->n_rows];
		if (!store_threads_next(ix->threads, &r->t)) {
			store_threads_free(ix->threads);
			ix->threads = NULL;
			break;
		}
		if (ix->n_gone > 0 && ui_idset_has(ix->gone, ix->n_gone,
		    r->t.thread_id)) {
			store_thread_release(&r->t);
			continue;
		}
		r->tags = NULL;
		ui_index_row_tags(r);
		ix->n_rows++;
	}
}

int
ui_index_push(const char *query, char **cause)
{
	struct ui_index		*ix;
	struct store_threads	*threads;
	char			*why = NULL;

	if (store_index_search_threads(ui_index(), query,
	    STORE_SORT_NEWEST_FIRST, &threads, &why) != STORE_OK) {
		xcause(cause, "cannot search '%s': %s", query,
		    why != NULL ? why : "unknown error");
		free(why);
		return (-1);
	}
	ix = xcalloc(1, sizeof *ix);
	ix->query = xstrdup(query);
	ix->threads = threads;
	ix->now = date_now();
	(void)ui_view_push(&ui_index_ops, ix);
	return (0);
}

static int
ui_index_is_selected(const struct ui_index *ix, const char *id)
{
	return (ui_idset_has(ix->selected, ix->n_selected, id));
}

static void
ui_index_clear_selection(struct ui_index *ix)
{
	store_free_names(ix->selected, ix->n_selected);
	ix->selected = NULL;
	ix->n_selected = 0;
}

static int
ui_index_has_tag(const struct store_thread *t, const char *tag)
{
	size_t	 i;

	for (i = 0; i < t->n_tags; i++) {
		if (strcmp(t->tags[i], tag) == 0)
			return (1);
	}
	return (0);
}

/*
 * "Nov 03   Alice, Bob         (3) Subject text           inbox unread"
 * The date and authors get fixed columns; the subject takes what is left
 * after the tags, which are cut first when space runs out.
 */
/* The authors column: wider on wide screens. */
static int
ui_index_author_cols(int cols)
{
	return (cols >= 100 ? 24 : cols >= 60 ? 18 : 10);
}

/* The columns left for subject and tags after date, authors and count. */
static int
ui_index_rest(int cols)
{
	return (cols - (UI_INDEX_DATE_COLS + 1 + ui_index_author_cols(cols) +
	    1 + 5 + 1));
}

static void
ui_index_draw_row(struct ui_index *ix, size_t i, int y, int cols, int tcols)
{
	struct ui_index_row	*r = &ix->rows[i];
	struct store_thread	*t = &r->t;
	struct buf		 b;
	int			 hl = (i == ix->cursor), x = 0, rest;
	enum ui_colour		 main;

	main = ui_index_has_tag(t, "unread") ? UI_UNREAD : UI_NORMAL;
	if (ix->n_selected > 0 && ui_index_is_selected(ix, t->thread_id))
		main = UI_SELECTED;
	ui_draw_fill(y, 0, cols, hl ? UI_CURSOR : UI_NORMAL);

	buf_init(&b);
	date_short(&b, t->newest, ix->now);
	x = ui_draw_column(y, x, UI_INDEX_DATE_COLS, b.data, UI_DATE, hl,
	    TEXT_FIT_RIGHT);
	/* The gap after the date marks a selected thread. */
	if (main == UI_SELECTED)
		ui_draw_text(y, x, 1, "*", UI_SELECTED, hl);
	x++;
	x = ui_draw_column(y, x, ui_index_author_cols(cols),
	    t->authors != NULL ? t->authors : "",
	    main != UI_NORMAL ? main : UI_AUTHORS, hl, 0) + 1;
	buf_clear(&b);
	if (t->total > 1)
		buf_printf(&b, "(%u)", t->total);
	x = ui_draw_column(y, x, 5, b.data, UI_COUNT, hl, TEXT_FIT_RIGHT) + 1;

	buf_release(&b);
	if ((rest = cols - x) <= 0)
		return;
	if (tcols > 0)
		rest -= tcols + 1;
	x = ui_draw_column(y, x, rest, t->subject != NULL ? t->subject : "",
	    main, hl, 0);
	if (tcols > 0)
		(void)ui_draw_column(y, x + 1, tcols, r->tags, UI_TAGS, hl, 0);
}

static void
ui_index_scroll(struct ui_index *ix, int rows)
{
	if (rows <= 0)
		return;
	if (ix->cursor < ix->top)
		ix->top = ix->cursor;
	else if (ix->cursor >= ix->top + (size_t)rows)
		ix->top = ix->cursor - (size_t)rows + 1;
}

static void
ui_index_draw(struct ui_view *v, int y, int rows, int cols)
{
	struct ui_index	*ix = v->data;
	size_t		 i;
	char		*clean, *msg;
	int		 tcols;

	ui_index_load(ix, ix->top + (size_t)rows);
	if (ix->n_rows == 0) {
		xasprintf(&msg, "No threads match '%s'.", ix->query);
		clean = text_sanitize(msg, strlen(msg), 0);
		ui_draw_text(y, 1, cols - 1, clean, UI_NOTE, 0);
		free(clean);
		free(msg);
		return;
	}
	if (ix->cursor >= ix->n_rows)
		ix->cursor = ix->n_rows - 1;
	ui_index_scroll(ix, rows);
	/* One tag column for the screen, as wide as its widest tags. */
	tcols = 0;
	for (i = ix->top; i < ix->n_rows && i < ix->top + (size_t)rows; i++) {
		if (ix->rows[i].tags_cols > tcols)
			tcols = ix->rows[i].tags_cols;
	}
	if (tcols > ui_index_rest(cols) / 3)
		tcols = ui_index_rest(cols) / 3;
	for (i = ix->top; i < ix->n_rows && i < ix->top + (size_t)rows; i++)
		ui_index_draw_row(ix, i, y + (int)(i - ix->top), cols, tcols);
}

static void
ui_index_move(struct ui_view *v, int n)
{
	struct ui_index	*ix = v->data;

	if (n < 0) {
		ix->cursor = (size_t)-n > ix->cursor ? 0 :
		    ix->cursor - (size_t)-n;
		return;
	}
	ui_index_load(ix, ix->cursor + (size_t)n);
	if (ix->n_rows == 0)
		return;
	ix->cursor += (size_t)n;
	if (ix->cursor >= ix->n_rows) {
		ix->cursor = ix->n_rows - 1;
		if (n == 1)
			ui_message("last thread");
	}
}

/* A page keeps the cursor's place on the screen, as less and mutt do. */
static void
ui_index_page(struct ui_view *v, int n)
{
	struct ui_index	*ix = v->data;
	size_t		 rows = v->rows > 1 ? (size_t)v->rows : 1, off;

	off = ix->cursor - ix->top;
	if (n > 0) {
		ui_index_load(ix, ix->top + 2 * rows);
		if (ix->top + rows < ix->n_rows)
			ix->top += rows;
		ix->cursor = ix->top + off;
		if (ix->cursor >= ix->n_rows && ix->n_rows > 0)
			ix->cursor = ix->n_rows - 1;
	} else {
		ix->top = ix->top > rows ? ix->top - rows : 0;
		ix->cursor = ix->top + off;
	}
}

static void
ui_index_first(struct ui_view *v)
{
	struct ui_index	*ix = v->data;

	ix->cursor = ix->top = 0;
}

/* The last row needs the whole result: read it, saying so on screen. */
static void
ui_index_last(struct ui_view *v)
{
	struct ui_index	*ix = v->data;

	ui_index_load(ix, (size_t)-2);
	if (ix->n_rows > 0)
		ix->cursor = ix->n_rows - 1;
}

static int
ui_index_open(struct ui_view *v, char **cause)
{
	struct ui_index	*ix = v->data;

	if (ix->n_rows == 0) {
		xcause(cause, "no thread to open");
		return (-1);
	}
	return (ui_pager_push(ix->rows[ix->cursor].t.thread_id, ix->query,
	    NULL, cause));
}

static int
ui_index_thread(struct ui_view *v, char **thread_id, char **query,
    char **at, char **cause)
{
	struct ui_index	*ix = v->data;

	if (ix->n_rows == 0) {
		xcause(cause, "no thread here");
		return (-1);
	}
	*thread_id = xstrdup(ix->rows[ix->cursor].t.thread_id);
	*query = xstrdup(ix->query);
	*at = NULL;
	return (0);
}

static void
ui_index_status(struct ui_view *v, struct buf *b)
{
	struct ui_index	*ix = v->data;

	buf_printf(b, " %s  ", ix->query);
	if (ix->n_rows > 0)
		buf_printf(b, "thread %zu of %zu%s", ix->cursor + 1,
		    ix->n_rows, ix->threads != NULL || ix->resume != NULL ?
		    "+" : "");
	else
		buf_addstr(b, "no threads");
	if (ix->n_selected > 0)
		buf_printf(b, "  %zu selected", ix->n_selected);
	if (ix->counted)
		buf_printf(b, "  (%u message%s)", ix->n_messages,
		    ix->n_messages == 1 ? "" : "s");
}

/*
 * After the first paint: count the messages once, then read a screen of
 * rows ahead, one row per step so a key is never kept waiting long.
 */
static int
ui_index_idle(struct ui_view *v)
{
	struct ui_index	*ix = v->data;
	size_t		 rows = v->rows > 0 ? (size_t)v->rows : 1;
	size_t		 ahead = ix->top + 2 * rows;

	if (!ix->counted) {
		if (store_index_count_messages(ui_index(), ix->query,
		    &ix->n_messages, NULL) != STORE_OK)
			ix->n_messages = 0;
		ix->counted = 1;
		return (1);
	}
	if (ix->threads != NULL && ix->n_rows < ahead) {
		ui_index_load(ix, ix->n_rows);
		return (1);
	}
	return (0);
}

/* Frees the rows read so far and the iterator. */
static void
ui_index_rows_free(struct ui_index *ix)
{
	size_t	 i;

	ui_index_iter_free(ix);
	for (i = 0; i < ix->n_rows; i++) {
		store_thread_release(&ix->rows[i].t);
		free(ix->rows[i].tags);
	}
	free(ix->rows);
	ix->rows = NULL;
	ix->n_rows = 0;
}

static void
ui_index_free(struct ui_view *v)
{
	struct ui_index	*ix = v->data;

	ui_index_rows_free(ix);
	ui_index_clear_selection(ix);
	store_free_names(ix->gone, ix->n_gone);
	free(ix->query);
	free(ix);
}

/* "(thread:A or thread:B) and (QUERY)": the selection, or the cursor's
 * thread, as far as it matches the view. */
static char *
ui_index_target(struct ui_view *v, int thread, char **cause)
{
	struct ui_index	*ix = v->data;
	struct buf	 b;
	size_t		 i;

	(void)thread;	/* a row is a thread already */
	if (ix->n_selected == 0 && ix->n_rows == 0) {
		xcause(cause, "no thread here");
		return (NULL);
	}
	buf_init(&b);
	buf_addch(&b, '(');
	if (ix->n_selected == 0)
		buf_printf(&b, "thread:%s", ix->rows[ix->cursor].t.thread_id);
	for (i = 0; i < ix->n_selected; i++)
		buf_printf(&b, "%sthread:%s", i == 0 ? "" : " or ",
		    ix->selected[i]);
	buf_printf(&b, ") and (%s)", ix->query);
	return (buf_detach(&b, NULL));
}

static int
ui_index_select(struct ui_view *v, const char *query, char **cause)
{
	struct ui_index		*ix = v->data;
	struct store_messages	*ms;
	struct store_message	 m;
	char			*q, **v_ids;
	size_t			 before = ix->n_selected, n_ids, i;
	int			 on;

	if (query != NULL && *query == '\0') {
		ui_index_clear_selection(ix);
		return (0);
	}
	if (query == NULL) {
		if (ix->n_rows == 0) {
			xcause(cause, "no thread to select");
			return (-1);
		}
		on = !ui_index_is_selected(ix, ix->rows[ix->cursor].t.thread_id);
		(void)ui_idset_mark(&ix->selected, &ix->n_selected,
		    ix->rows[ix->cursor].t.thread_id, on);
		ui_index_move(v, 1);
		return (0);
	}
	xasprintf(&q, "(%s) and (%s)", query, ix->query);
	if (store_index_search_messages(ui_index(), q,
	    STORE_SORT_NEWEST_FIRST, &ms, cause) != STORE_OK) {
		free(q);
		return (-1);
	}
	free(q);
	/* Gather, then sort once: marking one by one would move the
	 * sorted array for each of perhaps 100k messages. */
	v_ids = ix->selected;
	n_ids = ix->n_selected;
	while (store_messages_next(ms, &m)) {
		v_ids = xreallocarray(v_ids, n_ids + 1, sizeof *v_ids);
		v_ids[n_ids++] = m.thread_id;
		m.thread_id = NULL;
		store_message_release(&m);
	}
	store_messages_free(ms);
	if (n_ids > 1)
		qsort(v_ids, n_ids, sizeof *v_ids, ui_index_cmp_id);
	ix->selected = v_ids;
	ix->n_selected = 0;
	for (i = 0; i < n_ids; i++) {
		if (ix->n_selected > 0 && strcmp(v_ids[i],
		    v_ids[ix->n_selected - 1]) == 0)
			free(v_ids[i]);
		else
			v_ids[ix->n_selected++] = v_ids[i];
	}
	ui_message("%zu more thread%s selected, %zu in all",
	    ix->n_selected - before, ix->n_selected - before == 1 ? "" : "s",
	    ix->n_selected);
	return (0);
}

/*
 * Reads the query again after a change, as far as the screen needs.  The
 * cursor stays on its thread; when that thread left the view the one
 * after it takes its place, as in a mail client after an archive.
 */
static void
ui_index_refresh(struct ui_view *v, int clear)
{
	struct ui_index		*ix = v->data;
	struct store_threads	*threads;
	size_t			 want, i, cursor = ix->cursor;
	char			*keep = NULL, *why = NULL, *focus;

	if (clear)
		ui_index_clear_selection(ix);
	if (store_index_search_threads(ui_index(), ix->query,
	    STORE_SORT_NEWEST_FIRST, &threads, &why) != STORE_OK) {
		ui_error("cannot search '%s' again: %s", ix->query,
		    why != NULL ? why : "unknown error");
		free(why);
		return;
	}
	if (ix->n_rows > 0)
		keep = xstrdup(ix->rows[ix->cursor].t.thread_id);
	want = ix->top + (size_t)(v->rows > 0 ? v->rows : 1);
	if (cursor + 1 > want)
		want = cursor + 1;
	ui_index_rows_free(ix);
	store_free_names(ix->gone, ix->n_gone);
	ix->gone = NULL;
	ix->n_gone = 0;
	ix->threads = threads;
	ui_index_load(ix, want);
	ix->counted = 0;
	/* A thread to focus (the one an undo brought back) wins, looked
	 * for a few screens further than the rows read. */
	if ((focus = ui_take_focus()) != NULL) {
		for (i = 0; i < ix->n_rows || (ix->threads != NULL &&
		    i < want + UI_INDEX_FOCUS_AHEAD); i++) {
			ui_index_load(ix, i);
			if (i < ix->n_rows &&
			    strcmp(ix->rows[i].t.thread_id, focus) == 0) {
				free(keep);
				keep = focus;
				focus = NULL;
				break;
			}
		}
		free(focus);
	}
	for (i = 0; keep != NULL && i < ix->n_rows; i++) {
		if (strcmp(ix->rows[i].t.thread_id, keep) == 0) {
			cursor = i;
			break;
		}
	}
	ix->cursor = ix->n_rows == 0 ? 0 : cursor < ix->n_rows ? cursor :
	    ix->n_rows - 1;
	if (ix->top > ix->cursor)
		ix->top = ix->cursor;
	free(keep);
}

/* What a change does to a thread's place in a list. */
enum ui_index_fate {
	UI_INDEX_STAYS,
	UI_INDEX_LEAVES,
	UI_INDEX_UNSURE		/* only the index can say */
};

/* Whether tag is one of v (NULL-terminated, or NULL). */
static int
ui_index_in(char *const *v, const char *tag)
{
	size_t	 i;

	for (i = 0; v != NULL && v[i] != NULL; i++) {
		if (strcmp(v[i], tag) == 0)
			return (1);
	}
	return (0);
}

/*
 * What a change (tags added and removed, and perhaps a move) does to the
 * threads it touches in a list of query, decided from the query's words
 * alone.  When the query is a plain conjunction ("tag:inbox and not
 * tag:spam from:bob"), a change that removes a tag it asks for, or adds
 * one it excludes, from every message of a thread that matched makes
 * none of them match (the thread's other messages did not match before
 * and are not changed): the thread leaves.  A change that touches none
 * of its tags (and moves nothing, or the query names no folder) leaves
 * it where it is.  Anything else (or, parentheses, quotes, wildcards, a
 * tag that searches exclude) is for the index to say.
 */
static enum ui_index_fate
ui_index_fate(const char *query, char *const *add, char *const *del,
    int moves)
{
	enum ui_index_fate	 fate = UI_INDEX_STAYS;
	char			*copy, *p, *w, *tag;
	size_t			 i;
	int			 neg = 0;

	if (strpbrk(query, "()\"*") != NULL)
		return (UI_INDEX_UNSURE);
	for (i = 0; add != NULL && add[i] != NULL; i++) {
		if (store_index_excludes(ui_index(), add[i]))
			return (UI_INDEX_UNSURE);
	}
	copy = xstrdup(query);
	for (p = copy; (w = strsep(&p, " \t")) != NULL;) {
		if (*w == '\0' || strcasecmp(w, "and") == 0)
			continue;
		if (strcasecmp(w, "or") == 0 || strcasecmp(w, "xor") == 0 ||
		    strncasecmp(w, "near", 4) == 0 ||
		    strncasecmp(w, "adj", 3) == 0) {
			fate = UI_INDEX_UNSURE;
			break;
		}
		if (strcasecmp(w, "not") == 0) {
			neg = !neg;
			continue;
		}
		if (*w == '-' || *w == '+') {
			neg = *w == '-' ? !neg : neg;
			w++;
		}
		tag = NULL;
		if (strncmp(w, "tag:", 4) == 0)
			tag = w + 4;
		else if (strncmp(w, "is:", 3) == 0)
			tag = w + 3;
		else if (moves && (strncmp(w, "folder:", 7) == 0 ||
		    strncmp(w, "path:", 5) == 0) && fate != UI_INDEX_LEAVES)
			fate = UI_INDEX_UNSURE;
		if (tag != NULL && ui_index_in(neg ? add : del, tag))
			fate = UI_INDEX_LEAVES;
		neg = 0;
	}
	free(copy);
	return (fate);
}

/* The row of a thread, or -1. *//* Drops row i, keeping the cursor on its thread (or the next one). */
static void
ui_index_row_drop(struct ui_index *ix, size_t i)
{
	(void)ui_idset_mark(&ix->gone, &ix->n_gone, ix->rows[i].t.thread_id,
	    1);
	if (ix->counted)
		ix->n_messages -= ix->rows[i].t.matched < ix->n_messages ?
		    ix->rows[i].t.matched : ix->n_messages;
	store_thread_release(&ix->rows[i].t);
	free(ix->rows[i].tags);
	memmove(ix->rows + i, ix->rows + i + 1,
	    (ix->n_rows - i - 1) * sizeof *ix->rows);
	ix->n_rows--;
	if (i < ix->cursor)
		ix->cursor--;
	if (i < ix->top && ix->top > 0)
		ix->top--;
	/* Keep a screen's worth, as the draw would read. */
	ui_index_load(ix, ix->cursor);
	if (ix->cursor >= ix->n_rows && ix->n_rows > 0)
		ix->cursor = ix->n_rows - 1;
}

/*
 * A change is on its way to the index: its threads' rows show the tags
 * they will have, and leave the list now when the query says they will.
 * 0 when the rows may be wrong until the change settles.
 */
static int
ui_index_predict(struct ui_view *v, char *const *threads, size_t n,
    char *const *add, char *const *del, int moves)
{
	struct ui_index		*ix = v->data;
	struct ui_index_row	*r;
	enum ui_index_fate	 fate;
	ssize_t			 at;
	size_t			 i, k;

	fate = ui_index_fate(ix->query, add, del, moves);
	for (i = 0; i < n; i++) {
		if ((at = ui_index_row_of(ix, threads[i])) == -1)
			continue;
		if (fate == UI_INDEX_LEAVES) {
			ui_index_row_drop(ix, (size_t)at);
			continue;
		}
		r = &ix->rows[at];
		for (k = 0; add != NULL && add[k] != NULL; k++)
			(void)ui_idset_mark(&r->t.tags, &r->t.n_tags, add[k], 1);
		for (k = 0; del != NULL && del[k] != NULL; k++)
			(void)ui_idset_mark(&r->t.tags, &r->t.n_tags, del[k], 0);
		ui_index_row_tags(r);
	}
	return (fate != UI_INDEX_UNSURE);
}

/* Puts a thread that is back in the view in its place, newest first. */
static void
ui_index_row_insert(struct ui_index *ix, struct store_thread *t)
{
	struct ui_index_row	*r;
	size_t			 i;

	for (i = 0; i < ix->n_rows; i++) {
		if (ix->rows[i].t.newest < t->newest)
			break;
	}
	if (i == ix->n_rows && (ix->threads != NULL || ix->resume != NULL)) {
		/* Older than every row read: the iterator has it. */
		(void)ui_idset_mark(&ix->gone, &ix->n_gone, t->thread_id, 0);
		store_thread_release(t);
		return;
	}
	ix->rows = xreallocarray(ix->rows, ix->n_rows + 1, sizeof *ix->rows);
	memmove(ix->rows + i + 1, ix->rows + i,
	    (ix->n_rows - i) * sizeof *ix->rows);
	r = &ix->rows[i];
	r->t = *t;
	r->tags = NULL;
	ui_index_row_tags(r);
	ix->n_rows++;
	if (i <= ix->cursor && ix->n_rows > 1)
		ix->cursor++;
	(void)ui_idset_mark(&ix->gone, &ix->n_gone, t->thread_id, 0);
	if (ix->counted)
		ix->n_messages += t->matched;
}

/*
 * The change is in the index: each of its threads is read again, alone,
 * so the list is exact without searching the whole query again (which
 * costs tens of milliseconds on a large mailbox).  Beyond a few dozen
 * threads a full re-read is cheaper.
 */
static void
ui_index_settle(struct ui_view *v, char *const *threads, size_t n)
{
	struct ui_index		*ix = v->data;
	struct store_threads	*ts;
	struct store_thread	 t;
	char			*q, *why = NULL;
	ssize_t			 at;
	size_t			 i;
	int			 found, more;

	if (n > UI_INDEX_SETTLE_MAX) {
		ui_index_refresh(v, 0);
		return;
	}
	more = ix->threads != NULL || ix->resume != NULL;
	ui_index_iter_free(ix);		/* dead since the reopen */
	for (i = 0; i < n; i++) {
		xasprintf(&q, "thread:%s and (%s)", threads[i], ix->query);
		if (store_index_search_threads(ui_index(), q,
		    STORE_SORT_NEWEST_FIRST, &ts, &why) != STORE_OK) {
			free(q);
			free(why);
			ui_index_refresh(v, 0);
			return;
		}
		free(q);
		found = store_threads_next(ts, &t);
		store_threads_free(ts);
		at = ui_index_row_of(ix, threads[i]);
		if (found && at != -1) {
			if (ix->counted)
				ix->n_messages += t.matched -
				    ix->rows[at].t.matched;
			store_thread_release(&ix->rows[at].t);
			ix->rows[at].t = t;
			ui_index_row_tags(&ix->rows[at]);
		} else if (found)
			ui_index_row_insert(ix, &t);
		else if (at != -1)
			ui_index_row_drop(ix, (size_t)at);
		else if (ui_idset_mark(&ix->gone, &ix->n_gone, threads[i], 1))
			ix->counted = 0;	/* never read: count again */
	}
	if (more)
		ui_index_resume_start(ix);
}
