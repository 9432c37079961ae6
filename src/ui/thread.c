/*
 * ui/thread.c: one thread as a reply tree, a line per message, as mutt's
 * threaded index draws it:
 *
 *	Oct 24  Alice Martin       Release plan
 *	Oct 24  Bob Stone          ├─
 *	Oct 25  Alice Martin       │ └─
 *	Oct 25  Carol Diaz         └─ New subject
 *
 * Only metadata from the index is read (no message file is opened), so a
 * thread of a thousand messages opens as fast as the index answers.  A
 * message's subtree can be folded to its one line; Enter reads the
 * thread in the pager from the message at the cursor.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core.h"
#include "mime/mime.h"
#include "store/store.h"
#include "ui/ui.h"
#include "private.h"

#define UI_THREAD_DATE_COLS	10
#define UI_THREAD_MAX_DEPTH	32	/* deeper replies draw at this depth */

struct ui_thread {
	char			*thread_id;
	char			*query;
	struct store_message	*msgs;		/* in reading order */
	size_t			 n;
	char			**tree;		/* per message: "│ ├─" */
	int			*folded;	/* its replies hidden */
	size_t			*rows;		/* the visible messages */
	size_t			 n_rows;
	size_t			 cursor;	/* into rows */
	size_t			 top;
	time_t			 now;
};

static void	ui_thread_draw(struct ui_view *, int, int, int);
static void	ui_thread_move(struct ui_view *, int);
static void	ui_thread_page(struct ui_view *, int);
static void	ui_thread_first(struct ui_view *);
static void	ui_thread_last(struct ui_view *);
static int	ui_thread_open(struct ui_view *, char **);
static void	ui_thread_status(struct ui_view *, struct buf *);
static void	ui_thread_free(struct ui_view *);
static char	*ui_thread_target(struct ui_view *, int, char **);
static void	ui_thread_reload(struct ui_view *, int);
static int	ui_thread_toggle(struct ui_view *, const char *, char **);

static const struct ui_view_ops ui_thread_ops = {
	"thread",
	ui_thread_draw,
	ui_thread_move,
	ui_thread_page,
	ui_thread_first,
	ui_thread_last,
	ui_thread_open,
	ui_thread_status,
	NULL,
	ui_thread_free,
	ui_thread_target,
	NULL,
	ui_thread_reload,
	ui_thread_toggle,
	NULL,
	NULL,
	NULL,	NULL,		/* predict, settle */
};

static unsigned int
ui_thread_depth(const struct store_message *m)
{
	return (m->depth < UI_THREAD_MAX_DEPTH ? m->depth :
	    UI_THREAD_MAX_DEPTH);
}

/*
 * The tree drawing of every message.  Messages come in reading order (a
 * depth-first walk), so a message has a later sibling when a message of
 * its depth follows before any shallower one: one backward pass finds
 * that for all of them, and one forward pass draws each line from its
 * ancestors' answers.
 */
static void
ui_thread_build_tree(struct ui_thread *th)
{
	int		 open[UI_THREAD_MAX_DEPTH + 1];
	size_t		 anc[UI_THREAD_MAX_DEPTH + 1];
	int		*more;
	struct buf	 b;
	unsigned int	 d, l;
	size_t		 i;

	more = xcalloc(th->n + 1, sizeof *more);
	memset(open, 0, sizeof open);
	for (i = th->n; i > 0; i--) {
		d = ui_thread_depth(&th->msgs[i - 1]);
		more[i - 1] = open[d];
		open[d] = 1;
		for (l = d + 1; l <= UI_THREAD_MAX_DEPTH; l++)
			open[l] = 0;
	}
	th->tree = xcalloc(th->n + 1, sizeof *th->tree);
	for (i = 0; i < th->n; i++) {
		d = ui_thread_depth(&th->msgs[i]);
		anc[d] = i;
		buf_init(&b);
		for (l = 1; l < d; l++)
			buf_addstr(&b, more[anc[l]] ? "\xe2\x94\x82 " : "  ");
		if (d > 0)	/* ├─ or └─ */
			buf_addstr(&b, more[i] ? "\xe2\x94\x9c\xe2\x94\x80" :
			    "\xe2\x94\x94\xe2\x94\x80");
		th->tree[i] = buf_detach(&b, NULL);
	}
	free(more);
}

/* The number of replies under message i, at any depth. */
static size_t
ui_thread_subtree(const struct ui_thread *th, size_t i)
{
	size_t	 j;

	for (j = i + 1; j < th->n && th->msgs[j].depth > th->msgs[i].depth;
	    j++)
		;
	return (j - i - 1);
}

/* The visible messages: all but those under a folded one. */
static void
ui_thread_layout(struct ui_thread *th)
{
	size_t	 i;

	free(th->rows);
	th->rows = xcalloc(th->n + 1, sizeof *th->rows);
	th->n_rows = 0;
	for (i = 0; i < th->n; i++) {
		th->rows[th->n_rows++] = i;
		if (th->folded[i])
			i += ui_thread_subtree(th, i);
	}
	if (th->cursor >= th->n_rows)
		th->cursor = th->n_rows > 0 ? th->n_rows - 1 : 0;
}

static void
ui_thread_release(struct ui_thread *th)
{
	size_t	 i;

	for (i = 0; th->tree != NULL && i < th->n; i++)
		free(th->tree[i]);
	free(th->tree);
	th->tree = NULL;
	store_message_array_free(th->msgs, th->n);
	th->msgs = NULL;
	th->n = 0;
}

static void
ui_thread_destroy(struct ui_thread *th)
{
	ui_thread_release(th);
	free(th->folded);
	free(th->rows);
	free(th->thread_id);
	free(th->query);
	free(th);
}

/*
 * Reads the thread; the cursor goes to the message called at (NULL: it
 * stays where it was).  Folds are kept while the thread's shape is.
 */
static int
ui_thread_load(struct ui_thread *th, const char *at, char **cause)
{
	struct store_message	*msgs;
	size_t			 n, i;
	char			*why = NULL;

	if (store_index_thread_messages(ui_index(), th->thread_id, th->query,
	    &msgs, &n, &why) != STORE_OK) {
		xcause(cause, "cannot read thread: %s",
		    why != NULL ? why : "unknown error");
		free(why);
		return (-1);
	}
	if (n != th->n) {
		free(th->folded);
		th->folded = xcalloc(n + 1, sizeof *th->folded);
	}
	ui_thread_release(th);
	th->msgs = msgs;
	th->n = n;
	ui_thread_build_tree(th);
	ui_thread_layout(th);
	for (i = 0; at != NULL && i < th->n_rows; i++) {
		if (strcmp(th->msgs[th->rows[i]].message_id, at) == 0) {
			th->cursor = i;
			break;
		}
	}
	return (0);
}

int
ui_thread_push(const char *thread_id, const char *query, const char *at,
    char **cause)
{
	struct ui_thread	*th;

	th = xcalloc(1, sizeof *th);
	th->thread_id = xstrdup(thread_id);
	th->query = xstrdup(query);
	th->now = date_now();
	if (ui_thread_load(th, at, cause) != 0) {
		ui_thread_destroy(th);
		return (-1);
	}
	(void)ui_view_push(&ui_thread_ops, th);
	return (0);
}

static int
ui_thread_has_tag(const struct store_message *m, const char *tag)
{
	size_t	 i;

	for (i = 0; i < m->n_tags; i++) {
		if (strcmp(m->tags[i], tag) == 0)
			return (1);
	}
	return (0);
}

/* "Alice Martin" from "\"Alice Martin\" <alice@example.test>", else the
 * address; the caller frees it. */
static char *
ui_thread_sender(const char *from)
{
	const char	*lt;
	size_t		 len;

	if (from == NULL)
		return (xstrdup(""));
	from += strspn(from, " \t");
	if ((lt = strrchr(from, '<')) == NULL || lt == from)
		return (xstrdup(from));
	len = (size_t)(lt - from);
	while (len > 0 && (from[len - 1] == ' ' || from[len - 1] == '\t'))
		len--;
	if (len >= 2 && from[0] == '"' && from[len - 1] == '"') {
		from++;
		len -= 2;
	}
	return (len > 0 ? xstrndup(from, len) : xstrdup(lt));
}

static void
ui_thread_draw_row(struct ui_thread *th, size_t row, int y, int cols)
{
	const struct store_message	*m = &th->msgs[th->rows[row]];
	const char			*subject;
	char				*sender;
	struct buf			 b;
	size_t				 i = th->rows[row], hidden;
	int				 hl = row == th->cursor, x = 0, w;
	enum ui_colour			 main;

	main = ui_thread_has_tag(m, "unread") ? UI_UNREAD : UI_NORMAL;
	ui_draw_fill(y, 0, cols, hl ? UI_CURSOR : UI_NORMAL);
	buf_init(&b);
	date_short(&b, m->date, th->now);
	x = ui_draw_column(y, x, UI_THREAD_DATE_COLS, b.data, UI_DATE, hl,
	    TEXT_FIT_RIGHT) + 1;
	buf_release(&b);
	if (ui_thread_has_tag(m, "flagged"))
		ui_draw_text(y, x - 1, 1, "!", UI_WARNING, hl);
	w = cols >= 100 ? 24 : cols >= 60 ? 18 : 10;
	if (x + w > cols)
		return;
	sender = ui_thread_sender(m->from);
	x = ui_draw_column(y, x, w, sender, main != UI_NORMAL ? main :
	    UI_AUTHORS, hl, 0) + 1;
	free(sender);
	if (x >= cols)
		return;
	x += ui_draw_text(y, x, cols - x, th->tree[i], UI_NOTE, hl);
	if (th->folded[i] && (hidden = ui_thread_subtree(th, i)) > 0) {
		buf_init(&b);
		buf_printf(&b, "[+%zu]", hidden);
		x += ui_draw_text(y, x, cols - x, b.data, UI_ATTACHMENT, hl);
		buf_release(&b);
	}
	/* The subject only where it changes, as mutt does. */
	subject = m->subject != NULL ? m->subject : "";
	if (i > 0 && strcmp(mime_subject_base(subject),
	    mime_subject_base(th->msgs[i - 1].subject)) == 0)
		return;
	if (x + 1 < cols)
		(void)ui_draw_column(y, x + 1, cols - x - 1, subject, main, hl,
		    0);
}

static void
ui_thread_draw(struct ui_view *v, int y, int rows, int cols)
{
	struct ui_thread	*th = v->data;
	size_t			 i;

	if (th->n_rows == 0) {
		ui_draw_text(y, 1, cols - 1, "This thread has no messages "
		    "any more.", UI_NOTE, 0);
		return;
	}
	if (rows > 0) {
		if (th->cursor < th->top)
			th->top = th->cursor;
		else if (th->cursor >= th->top + (size_t)rows)
			th->top = th->cursor - (size_t)rows + 1;
	}
	for (i = th->top; i < th->n_rows && i < th->top + (size_t)rows; i++)
		ui_thread_draw_row(th, i, y + (int)(i - th->top), cols);
}

static void
ui_thread_move(struct ui_view *v, int n)
{
	struct ui_thread	*th = v->data;

	if (n < 0) {
		th->cursor = (size_t)-n > th->cursor ? 0 :
		    th->cursor - (size_t)-n;
		return;
	}
	if (th->n_rows == 0)
		return;
	if (th->cursor + (size_t)n >= th->n_rows) {
		if (th->cursor == th->n_rows - 1)
			ui_message("last message");
		th->cursor = th->n_rows - 1;
	} else
		th->cursor += (size_t)n;
}

static void
ui_thread_page(struct ui_view *v, int n)
{
	ui_thread_move(v, n * (v->rows > 1 ? v->rows - 1 : 1));
}

static void
ui_thread_first(struct ui_view *v)
{
	struct ui_thread	*th = v->data;

	th->cursor = 0;
}

static void
ui_thread_last(struct ui_view *v)
{
	struct ui_thread	*th = v->data;

	th->cursor = th->n_rows > 0 ? th->n_rows - 1 : 0;
}

/* Reads the thread in the pager, from the message at the cursor on. */
static int
ui_thread_open(struct ui_view *v, char **cause)
{
	struct ui_thread	*th = v->data;

	if (th->n_rows == 0) {
		xcause(cause, "no message to open");
		return (-1);
	}
	return (ui_pager_push(th->thread_id, th->query,
	    th->msgs[th->rows[th->cursor]].message_id, cause));
}

static void
ui_thread_status(struct ui_view *v, struct buf *b)
{
	struct ui_thread	*th = v->data;
	struct store_message	*m;
	char			*subject;
	size_t			 i;

	if (th->n == 0) {
		buf_addstr(b, " empty thread");
		return;
	}
	subject = text_sanitize(th->msgs[0].subject != NULL ?
	    th->msgs[0].subject : "", th->msgs[0].subject != NULL ?
	    strlen(th->msgs[0].subject) : 0, 0);
	m = &th->msgs[th->rows[th->cursor]];
	buf_printf(b, " %s  message %zu of %zu", subject,
	    th->rows[th->cursor] + 1, th->n);
	if (th->n_rows < th->n)
		buf_printf(b, " (%zu folded)", th->n - th->n_rows);
	buf_addstr(b, "  [");
	for (i = 0; i < m->n_tags; i++)
		buf_printf(b, "%s%s", i == 0 ? "" : " ", m->tags[i]);
	buf_addch(b, ']');
	free(subject);
}

static void
ui_thread_free(struct ui_view *v)
{
	ui_thread_destroy(v->data);
}

/* The message at the cursor with its folded replies, or with thread set
 * every message of the thread the query matches. */
static char *
ui_thread_target(struct ui_view *v, int thread, char **cause)
{
	struct ui_thread	*th = v->data;
	struct buf		 b;
	size_t			 i, k, n;

	if (th->n_rows == 0) {
		xcause(cause, "no message here");
		return (NULL);
	}
	buf_init(&b);
	if (thread) {
		buf_printf(&b, "thread:%s and (%s)", th->thread_id, th->query);
		return (buf_detach(&b, NULL));
	}
	i = th->rows[th->cursor];
	n = th->folded[i] ? ui_thread_subtree(th, i) : 0;
	for (k = i; k <= i + n; k++) {
		char	*term = store_query_term("id", th->msgs[k].message_id);

		buf_printf(&b, "%s%s", k == i ? "" : " or ", term);
		free(term);
	}
	return (buf_detach(&b, NULL));
}

static void
ui_thread_reload(struct ui_view *v, int clear)
{
	struct ui_thread	*th = v->data;
	char			*at = NULL, *cause = NULL;

	(void)clear;
	if (th->n_rows > 0)
		at = xstrdup(th->msgs[th->rows[th->cursor]].message_id);
	if (ui_thread_load(th, at, &cause) != 0) {
		ui_error("%s", cause);
		free(cause);
	}
	free(at);
}

/*
 * "message" folds the replies under the cursor's message into its line,
 * or unfolds them; "all" folds every message that has replies, or, when
 * any is folded, unfolds them all.
 */
static int
ui_thread_toggle(struct ui_view *v, const char *what, char **cause)
{
	struct ui_thread	*th = v->data;
	size_t			 i, at;
	int			 any = 0;

	if (th->n_rows == 0) {
		xcause(cause, "no message here");
		return (-1);
	}
	at = th->rows[th->cursor];
	if (strcmp(what, "message") == 0) {
		if (ui_thread_subtree(th, at) == 0) {
			xcause(cause, "this message has no replies to fold");
			return (-1);
		}
		th->folded[at] ^= 1;
	} else if (strcmp(what, "all") == 0) {
		for (i = 0; i < th->n; i++)
			any |= th->folded[i];
		for (i = 0; i < th->n; i++)
			th->folded[i] = !any && ui_thread_subtree(th, i) > 0 &&
			    th->msgs[i].depth > 0;
	} else {
		xcause(cause, "nothing called '%s' to toggle here", what);
		return (-1);
	}
	/* A hidden cursor goes to the fold holding it: the last visible
	 * message before it, as a subtree follows its root. */
	ui_thread_layout(th);
	for (i = 0; i < th->n_rows; i++) {
		if (th->rows[i] <= at)
			th->cursor = i;
	}
	return (0);
}
