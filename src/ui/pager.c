/*
 * ui/pager.c: messages as text.
 *
 * A document is built once per thread: for each message its headers and
 * the blocks mime/ renders (text, attachments, notes), each split into
 * logical lines and sanitised for the terminal right here, at the sink.
 * The view wraps logical lines to the screen width (again after a
 * resize); "satchel show" prints the same logical lines without a
 * terminal, so the corpus tests exercise exactly what the pager shows.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "core/core.h"
#include "mime/mime.h"
#include "store/store.h"
#include "ui/ui.h"
#include "private.h"

/* Lines rendered before the first paint; the rest come in idle time. */
#define UI_PAGER_FIRST_LINES	400

enum ui_pager_kind {
	UI_PAGER_HEADER,
	UI_PAGER_BODY,
	UI_PAGER_QUOTE,
	UI_PAGER_ATTACHMENT,
	UI_PAGER_NOTE,
	UI_PAGER_SEPARATOR,
	UI_PAGER_WARNING,	/* a calendar card's warnings and clashes */
};

/* When a line shows: the pager's header and quote toggles pick. */
enum ui_pager_vis {
	UI_PAGER_ALWAYS,
	UI_PAGER_BRIEF,		/* the headers a reader wants */
	UI_PAGER_FULL,		/* every header, after toggle-headers */
	UI_PAGER_UNFOLDED,	/* quoted text */
	UI_PAGER_FOLDED,	/* "[-- 12 quoted lines --]" instead */
};

struct ui_pager_line {
	char			*text;	/* sanitised, no newline */
	enum ui_pager_kind	 kind;
	enum ui_pager_vis	 vis;
	size_t			 name_len;	/* header: "From:" bytes */
};

/* An attachment line: which message, and which of its attachments. */
struct ui_pager_att {
	size_t			 msg;
	size_t			 n;		/* from 1, as mime/ counts */
};

struct ui_pager_doc {
	struct ui_pager_line	*lines;
	size_t			 n;
	struct ui_pager_att	*atts;		/* numbered from 1 on screen */
	size_t			 n_atts;
	size_t			 msg;		/* the message being added */
	size_t			 msg_atts;	/* ... and its attachments */
};

/* A screen row: part of a logical line. */
struct ui_pager_row {
	size_t	 line;
	size_t	 off;
	size_t	 len;
};

struct ui_pager {
	struct ui_pager_doc	 doc;
	struct ui_pager_row	*rows;
	size_t			 n_rows;
	int			 wrapped_cols;	/* 0: not wrapped yet */
	size_t			 top;
	char			*subject;	/* sanitised */
	size_t			 n_messages;
	char			*thread_id;
	char			*query;		/* the thread list's */
	struct store_message	*msgs;		/* in reading order */
	size_t			*starts;	/* each one's first line */
	int			 full_headers;
	int			 folded;	/* quoted text folded */
	int			*collapsed;	/* per message: only its line */
	char			*start;		/* scroll to this Message-ID */
	size_t			 done;		/* messages rendered so far */
};

static void	ui_pager_draw(struct ui_view *, int, int, int);
static void	ui_pager_move(struct ui_view *, int);
static void	ui_pager_page(struct ui_view *, int);
static void	ui_pager_first(struct ui_view *);
static void	ui_pager_last(struct ui_view *);
static void	ui_pager_status(struct ui_view *, struct buf *);
static int	ui_pager_idle(struct ui_view *);
static void	ui_pager_free(struct ui_view *);
static char	*ui_pager_target(struct ui_view *, int, char **);
static void	ui_pager_refresh(struct ui_view *, int);
static int	ui_pager_toggle(struct ui_view *, const char *, char **);
static int	ui_pager_attachment(struct ui_view *, size_t, char **, size_t *,
		    char **);
static int	ui_pager_thread(struct ui_view *, char **, char **, char **,
		    char **);

static const struct ui_view_ops ui_pager_ops = {
	"pager",
	ui_pager_draw,
	ui_pager_move,
	ui_pager_page,
	ui_pager_first,
	ui_pager_last,
	NULL,
	ui_pager_status,
	ui_pager_idle,
	ui_pager_free,
	ui_pager_target,
	NULL,
	ui_pager_refresh,
	ui_pager_toggle,
	ui_pager_attachment,
	ui_pager_thread,
	NULL,	NULL,		/* predict, settle */
};

/* Takes ownership of text, which must be sanitised and one line. */
static void
ui_pager_add(struct ui_pager_doc *doc, char *text, enum ui_pager_kind kind,
    size_t name_len)
{
	struct ui_pager_line	*l;

	doc->lines = xreallocarray(doc->lines, doc->n + 1, sizeof *doc->lines);
	l = &doc->lines[doc->n++];
	l->text = text;
	l->kind = kind;
	l->vis = kind == UI_PAGER_QUOTE ? UI_PAGER_UNFOLDED : UI_PAGER_ALWAYS;
	l->name_len = name_len;
}

/* Whether line l shows in pg's current mode (NULL: "satchel show"). */
static int
ui_pager_visible(const struct ui_pager *pg, const struct ui_pager_line *l)
{
	int	 full = pg != NULL && pg->full_headers;
	int	 folded = pg != NULL && pg->folded;

	switch (l->vis) {
	case UI_PAGER_BRIEF:
		return (!full);
	case UI_PAGER_FULL:
		return (full);
	case UI_PAGER_UNFOLDED:
		return (!folded);
	case UI_PAGER_FOLDED:
		return (folded);
	default:
		return (1);
	}
}

static void
ui_pager_add_header(struct ui_pager_doc *doc, const char *name,
    const char *value)
{
	char	*raw, *clean;
	int	 n;

	if (value == NULL || *value == '\0')
		return;
	n = xasprintf(&raw, "%s: %s", name, value);
	/* One line, but bidi controls in a Subject are shown, not hidden. */
	clean = text_sanitize(raw, (size_t)n, TEXT_VISIBLE);
	free(raw);
	ui_pager_add(doc, clean, UI_PAGER_HEADER, strlen(name) + 1);
}

/* Every header of m, shown instead of the brief ones on request. */
static void
ui_pager_add_all_headers(struct ui_pager_doc *doc, struct mime_message *m)
{
	char	*name, *value;
	size_t	 i, first = doc->n;

	for (i = 0; mime_message_header_at(m, i, &name, &value); i++) {
		ui_pager_add_header(doc, name, value);	/* none when empty */
		free(name);
		free(value);
	}
	for (i = first; i < doc->n; i++)
		doc->lines[i].vis = UI_PAGER_FULL;
}

static int
ui_pager_is_quote(const char *s)
{
	s += strspn(s, " ");
	return (*s == '>' || *s == '|');
}

/*
 * Puts a "[-- N quoted lines --]" line, shown only while quotes are
 * folded, before each run of quoted lines from line first on.
 */
static void
ui_pager_add_folds(struct ui_pager_doc *doc, size_t first)
{
	struct ui_pager_line	*l;
	size_t			 i, j, n;

	for (i = first; i < doc->n; i = j) {
		if (doc->lines[i].kind != UI_PAGER_QUOTE) {
			j = i + 1;
			continue;
		}
		for (j = i; j < doc->n && doc->lines[j].kind ==
		    UI_PAGER_QUOTE; j++)
			;
		n = j - i;
		doc->lines = xreallocarray(doc->lines, doc->n + 1,
		    sizeof *doc->lines);
		memmove(doc->lines + i + 1, doc->lines + i,
		    (doc->n - i) * sizeof *doc->lines);
		doc->n++;
		l = &doc->lines[i];
		xasprintf(&l->text, "[-- %zu quoted line%s --]", n,
		    n == 1 ? "" : "s");
		l->kind = UI_PAGER_QUOTE;
		l->vis = UI_PAGER_FOLDED;
		l->name_len = 0;
		j++;
	}
}

/* Adds a text block, one logical line per line of text. */
static void
ui_pager_add_text(struct ui_pager_doc *doc, const char *text)
{
	char		*clean, *p, *nl;
	size_t		 first = doc->n;

	clean = text_sanitize(text, strlen(text),
	    TEXT_MULTILINE | TEXT_VISIBLE);
	for (p = clean; *p != '\0' || p == clean; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		ui_pager_add(doc, xstrndup(p, (size_t)(nl - p)),
		    ui_pager_is_quote(p) ? UI_PAGER_QUOTE : UI_PAGER_BODY, 0);
		if (*nl == '\0')
			break;
	}
	/* Trailing blank lines carry nothing. */
	while (doc->n > first + 1 && doc->lines[doc->n - 1].text[0] == '\0') {
		free(doc->lines[--doc->n].text);
	}
	free(clean);
	ui_pager_add_folds(doc, first);
}

void
ui_pager_size(struct buf *b, size_t size)
{
	if (size < 1024)
		buf_printf(b, "%zu bytes", size);
	else if (size < 1024 * 1024)
		buf_printf(b, "%.1f KB", (double)size / 1024);
	else
		buf_printf(b, "%.1f MB", (double)size / (1024 * 1024));
}

static void
ui_pager_add_block(struct ui_pager_doc *doc, const struct mime_block *bl)
{
	struct buf	 b;
	char		*clean;

	switch (bl->kind) {
	case MIME_BLOCK_TEXT:
		if (bl->from_html)
			ui_pager_add(doc, xstrdup("[-- text from HTML --]"),
			    UI_PAGER_NOTE, 0);
		ui_pager_add_text(doc, bl->text != NULL ? bl->text : "");
		break;
	case MIME_BLOCK_ATTACHMENT:
		doc->atts = xreallocarray(doc->atts, doc->n_atts + 1,
		    sizeof *doc->atts);
		doc->atts[doc->n_atts].msg = doc->msg;
		doc->atts[doc->n_atts++].n = ++doc->msg_atts;
		buf_init(&b);
		buf_printf(&b, "[-- #%zu Attachment: %s (%s, ", doc->n_atts,
		    bl->filename != NULL ? bl->filename : "(no name)",
		    bl->content_type != NULL ? bl->content_type : "unknown");
		ui_pager_size(&b, bl->size);
		buf_addstr(&b, ") --]");
		clean = text_sanitize(b.data, b.len, TEXT_VISIBLE);
		buf_release(&b);
		ui_pager_add(doc, clean, UI_PAGER_ATTACHMENT, 0);
		break;
	case MIME_BLOCK_NOTE:
		buf_init(&b);
		buf_printf(&b, "[-- %s --]", bl->text != NULL ? bl->text : "");
		clean = text_sanitize(b.data, b.len, TEXT_VISIBLE);
		buf_release(&b);
		ui_pager_add(doc, clean, UI_PAGER_NOTE, 0);
		break;
	}
}

/* The card of a message with a calendar (ui/card.c), before its body;
 * its labels are drawn like header names. */
static void
ui_pager_add_card(struct ui_pager_doc *doc, struct mime_message *m,
    const char *path)
{
	struct ui_card_line	*cl;
	size_t			 i, n;

	ui_card_message(m, path, &cl, &n);
	for (i = 0; i < n; i++) {
		if (cl[i].colour == UI_NOTE)
			ui_pager_add(doc, cl[i].text, UI_PAGER_NOTE, 0);
		else if (cl[i].colour == UI_WARNING)
			ui_pager_add(doc, cl[i].text, UI_PAGER_WARNING, 0);
		else
			ui_pager_add(doc, cl[i].text, UI_PAGER_HEADER,
			    cl[i].label_len);
		cl[i].text = NULL;
	}
	if (n > 0)
		ui_pager_add(doc, xstrdup(""), UI_PAGER_BODY, 0);
	ui_card_lines_free(cl, n);
}

/*
 * "--- 3 of 6   └─ Alice Martin, Oct 24 ---": the message's place in the
 * thread, indented by its depth in the reply tree.  Sanitised here.
 */
static char *
ui_pager_separator(const struct store_message *sm, size_t i, size_t n)
{
	struct buf	 b;
	char		*clean;
	unsigned int	 d;

	buf_init(&b);
	buf_printf(&b, "--- message %zu of %zu ", i + 1, n);
	if (sm != NULL) {
		for (d = 1; d < sm->depth && d < 12; d++)
			buf_addstr(&b, "  ");
		if (sm->depth > 0)
			buf_addstr(&b, "\xe2\x94\x94\xe2\x94\x80 ");	/* └─ */
		buf_printf(&b, "%s ", sm->from != NULL ? sm->from : "");
	}
	buf_addstr(&b, "---");
	clean = text_sanitize(b.data, b.len, 0);
	buf_release(&b);
	return (clean);
}

/*
 * Adds one message: a separator naming its place in the thread, the
 * headers a reader wants, then the body.  A file that cannot be read is a
 * note, not an error: the rest of the thread still shows.  Returns 0 or
 * -1 when the file could not be read.
 */
static int
ui_pager_add_message(struct ui_pager_doc *doc, const char *path, size_t i,
    size_t n, const struct store_message *sm)
{
	struct mime_message	*m;
	struct mime_render	 r;
	char			*cause = NULL, *line, *clean;
	size_t			 k, first;

	doc->msg = i;
	doc->msg_atts = 0;
	if (n > 1) {
		ui_pager_add(doc, ui_pager_separator(sm, i, n),
		    UI_PAGER_SEPARATOR, 0);
	}
	if ((m = mime_message_parse_file(path, &cause)) == NULL) {
		xasprintf(&line, "[-- cannot read message: %s --]",
		    cause != NULL ? cause : "unknown error");
		clean = text_sanitize(line, strlen(line), TEXT_VISIBLE);
		ui_pager_add(doc, clean, UI_PAGER_NOTE, 0);
		free(line);
		free(cause);
		return (-1);
	}
	first = doc->n;
	ui_pager_add_header(doc, "From", mime_message_header(m, "From"));
	ui_pager_add_header(doc, "To", mime_message_header(m, "To"));
	ui_pager_add_header(doc, "Cc", mime_message_header(m, "Cc"));
	ui_pager_add_header(doc, "Date", mime_message_header(m, "Date"));
	ui_pager_add_header(doc, "Subject", mime_message_header(m, "Subject"));
	for (k = first; k < doc->n; k++)
		doc->lines[k].vis = UI_PAGER_BRIEF;
	ui_pager_add_all_headers(doc, m);
	ui_pager_add(doc, xstrdup(""), UI_PAGER_BODY, 0);
	ui_pager_add_card(doc, m, path);
	mime_message_render(m, &r);
	for (k = 0; k < r.n_blocks; k++)
		ui_pager_add_block(doc, &r.blocks[k]);
	mime_render_release(&r);
	mime_message_free(m);
	ui_pager_add(doc, xstrdup(""), UI_PAGER_BODY, 0);
	return (0);
}

static void
ui_pager_doc_release(struct ui_pager_doc *doc)
{
	size_t	 i;

	for (i = 0; i < doc->n; i++)
		free(doc->lines[i].text);
	free(doc->lines);
	free(doc->atts);
	memset(doc, 0, sizeof *doc);
}

/*
 * Splits every logical line into rows of at most cols columns, breaking
 * after a space where there is one in the row, else mid-word.  Marks are
 * never split.
 */
static size_t	ui_pager_msg_of_line(const struct ui_pager *, size_t);
static int	ui_pager_render_next(struct ui_pager *);
static void	ui_pager_render_upto(struct ui_pager *, size_t);

/* Appends the rows of the document's lines from first on. */
static void
ui_pager_wrap_from(struct ui_pager *pg, size_t first, int cols)
{
	struct ui_pager_line	*l;
	struct ui_pager_row	*r;
	mbstate_t		 ps;
	wchar_t			 wc;
	size_t			 i, off, pos, len, n, brk, width, msg;
	int			 w, in_mark;

	msg = ui_pager_msg_of_line(pg, first);
	for (i = first; i < pg->doc.n; i++) {
		l = &pg->doc.lines[i];
		while (msg + 1 < pg->done && pg->starts[msg + 1] <= i)
			msg++;
		if (!ui_pager_visible(pg, l))
			continue;
		/* A collapsed message keeps its separator line only. */
		if (pg->collapsed != NULL && pg->collapsed[msg] &&
		    i != pg->starts[msg])
			continue;
		len = strlen(l->text);
		off = 0;
		do {
			memset(&ps, 0, sizeof ps);
			pos = off;
			width = 0;
			brk = 0;
			in_mark = 0;
			while (pos < len) {
				if (l->text[pos] == TEXT_MARK_START ||
				    l->text[pos] == TEXT_MARK_END) {
					in_mark = l->text[pos] ==
					    TEXT_MARK_START;
					pos++;
					continue;
				}
				n = mbrtowc(&wc, l->text + pos, len - pos, &ps);
				if (n == 0 || n > len - pos)
					n = 1, wc = L'?';
				w = wcwidth(wc);
				if (w < 0)
					w = 1;
				if (width + (size_t)w > (size_t)cols &&
				    pos > off && !in_mark)
					break;
				if (wc == L' ' && !in_mark)
					brk = pos + 1;
				width += (size_t)w;
				pos += n;
			}
			if (pos < len && brk > off)
				pos = brk;
			pg->rows = xreallocarray(pg->rows, pg->n_rows + 1,
			    sizeof *pg->rows);
			r = &pg->rows[pg->n_rows++];
			r->line = i;
			r->off = off;
			r->len = pos - off;
			off = pos;
		} while (off < len);
	}
}

static void
ui_pager_wrap(struct ui_pager *pg, int cols)
{
	size_t	 i, old_line = 0, old_off = 0, msg;

	if (pg->n_rows > 0 && pg->top < pg->n_rows) {
		old_line = pg->rows[pg->top].line;
		old_off = pg->rows[pg->top].off;
	}
	free(pg->rows);
	pg->rows = NULL;
	pg->n_rows = 0;
	ui_pager_wrap_from(pg, 0, cols);
	pg->wrapped_cols = cols;
	/* The first wrap may go to a message; later ones keep the same
	 * text at the top after a resize. */
	for (msg = 0; pg->start != NULL && msg < pg->done; msg++) {
		if (strcmp(pg->msgs[msg].message_id, pg->start) == 0) {
			old_line = pg->starts[msg];
			old_off = 0;
			break;
		}
	}
	free(pg->start);
	pg->start = NULL;
	pg->top = 0;
	for (i = 0; i < pg->n_rows; i++) {
		if (pg->rows[i].line > old_line ||
		    (pg->rows[i].line == old_line && pg->rows[i].off > old_off))
			break;
		pg->top = i;
	}
}

static enum ui_colour
ui_pager_colour(enum ui_pager_kind kind)
{
	switch (kind) {
	case UI_PAGER_HEADER:
		return (UI_NORMAL);
	case UI_PAGER_QUOTE:
		return (UI_QUOTE);
	case UI_PAGER_ATTACHMENT:
		return (UI_ATTACHMENT);
	case UI_PAGER_NOTE:
	case UI_PAGER_SEPARATOR:
		return (UI_NOTE);
	case UI_PAGER_WARNING:
		return (UI_WARNING);
	default:
		return (UI_NORMAL);
	}
}

/* The message line belongs to. */
static size_t
ui_pager_msg_of_line(const struct ui_pager *pg, size_t line)
{
	size_t	 i;

	for (i = pg->done; i > 1; i--) {
		if (pg->starts[i - 1] <= line)
			return (i - 1);
	}
	return (0);
}

static void
ui_pager_draw(struct ui_view *v, int y, int rows, int cols)
{
	struct ui_pager		*pg = v->data;
	struct ui_pager_row	*r;
	struct ui_pager_line	*l;
	char			*seg;
	size_t			 i, name;
	int			 x;

	if (pg->wrapped_cols != cols)
		ui_pager_wrap(pg, cols);
	for (i = pg->top; i < pg->n_rows && i < pg->top + (size_t)rows; i++) {
		r = &pg->rows[i];
		l = &pg->doc.lines[r->line];
		x = 0;
		name = 0;
		if (l->kind == UI_PAGER_HEADER && r->off < l->name_len)
			name = l->name_len - r->off;
		if (name > r->len)
			name = r->len;
		if (name > 0) {
			seg = xstrndup(l->text + r->off, name);
			x = ui_draw_text(y, 0, cols, seg, UI_HEADER, 0);
			free(seg);
		}
		seg = xstrndup(l->text + r->off + name, r->len - name);
		x += ui_draw_text(y, x, cols - x, seg, ui_pager_colour(l->kind),
		    0);
		free(seg);
		if (l->kind == UI_PAGER_SEPARATOR && pg->collapsed != NULL &&
		    pg->collapsed[ui_pager_msg_of_line(pg, r->line)])
			ui_draw_text(y, x, cols - x, " [+]", UI_ATTACHMENT, 0);
		y++;
	}
}

static size_t
ui_pager_max_top(struct ui_view *v)
{
	struct ui_pager	*pg = v->data;
	size_t		 rows = v->rows > 0 ? (size_t)v->rows : 1;

	return (pg->n_rows > rows ? pg->n_rows - rows : 0);
}

static void
ui_pager_move(struct ui_view *v, int n)
{
	struct ui_pager	*pg = v->data;
	size_t		 max = ui_pager_max_top(v);

	/* Scrolling past what is rendered renders more first. */
	while (n > 0 && pg->top + (size_t)n > max && ui_pager_render_next(pg))
		max = ui_pager_max_top(v);
	max = ui_pager_max_top(v);
	if (n < 0)
		pg->top = (size_t)-n > pg->top ? 0 : pg->top - (size_t)-n;
	else if (pg->top + (size_t)n <= max)
		pg->top += (size_t)n;
	else {
		if (pg->top == max)
			ui_message("end of thread");
		pg->top = max;
	}
}

static void
ui_pager_page(struct ui_view *v, int n)
{
	int	 rows = v->rows > 2 ? v->rows - 1 : 1;

	ui_pager_move(v, n * rows);
}

static void
ui_pager_first(struct ui_view *v)
{
	struct ui_pager	*pg = v->data;

	pg->top = 0;
}

static void
ui_pager_last(struct ui_view *v)
{
	struct ui_pager	*pg = v->data;

	ui_pager_render_upto(pg, 0);
	pg->top = ui_pager_max_top(v);
}

/* The message the top line of the screen belongs to. */
static size_t
ui_pager_current(const struct ui_pager *pg)
{
	if (pg->n_messages == 0)
		return (0);
	return (ui_pager_msg_of_line(pg, pg->top < pg->n_rows ?
	    pg->rows[pg->top].line : 0));
}

static void
ui_pager_status(struct ui_view *v, struct buf *b)
{
	struct ui_pager		*pg = v->data;
	struct store_message	*m;
	size_t			 rows = v->rows > 0 ? (size_t)v->rows : 1, pct, i;

	if (pg->n_rows <= rows || pg->top >= ui_pager_max_top(v))
		pct = 100;
	else
		pct = (pg->top + rows) * 100 / pg->n_rows;
	buf_printf(b, " %s  ", pg->subject);
	if (pg->n_messages > 1)
		buf_printf(b, "message %zu of %zu", ui_pager_current(pg) + 1,
		    pg->n_messages);
	else
		buf_printf(b, "%zu message", pg->n_messages);
	if (pg->n_messages > 0) {
		m = &pg->msgs[ui_pager_current(pg)];
		buf_addstr(b, "  [");
		for (i = 0; i < m->n_tags; i++)
			buf_printf(b, "%s%s", i == 0 ? "" : " ", m->tags[i]);
		buf_addch(b, ']');
	}
	buf_printf(b, "  %zu%%", pct);
}

static void
ui_pager_free(struct ui_view *v)
{
	struct ui_pager	*pg = v->data;

	ui_pager_doc_release(&pg->doc);
	free(pg->rows);
	free(pg->subject);
	free(pg->thread_id);
	free(pg->query);
	store_message_array_free(pg->msgs, pg->n_messages);
	free(pg->starts);
	free(pg->collapsed);
	free(pg->start);
	free(pg);
}

/*
 * Renders the next message into the document, and wraps its lines onto
 * the rows when the document is wrapped already.  Returns 0 when every
 * message is in.
 */
static int
ui_pager_render_next(struct ui_pager *pg)
{
	size_t	 i = pg->done, first = pg->doc.n;

	if (i >= pg->n_messages)
		return (0);
	pg->starts[i] = pg->doc.n;
	(void)ui_pager_add_message(&pg->doc, pg->msgs[i].filename, i,
	    pg->n_messages, &pg->msgs[i]);
	pg->done++;
	if (pg->wrapped_cols > 0)
		ui_pager_wrap_from(pg, first, pg->wrapped_cols);
	return (pg->done < pg->n_messages);
}

/* Renders until the document has lines lines (0: every message). */
static void
ui_pager_render_upto(struct ui_pager *pg, size_t lines)
{
	while (pg->done < pg->n_messages &&
	    (lines == 0 || pg->doc.n < lines))
		(void)ui_pager_render_next(pg);
}

/*
 * Reads the thread's messages.  Only the first few are rendered now (and
 * at least the first `least` of them, with the one to start at); the rest
 * follow in idle time, so a thread of a thousand opens at once.
 */
static int
ui_pager_load(struct ui_pager *pg, size_t least, char **cause)
{
	struct store_message	*msgs;
	size_t			 n, i;
	char			*why = NULL;
	const char		*subject;

	if (store_index_thread_messages(ui_index(), pg->thread_id, pg->query,
	    &msgs, &n, &why) != STORE_OK) {
		xcause(cause, "cannot read thread: %s",
		    why != NULL ? why : "unknown error");
		free(why);
		return (-1);
	}
	ui_pager_doc_release(&pg->doc);
	store_message_array_free(pg->msgs, pg->n_messages);
	free(pg->starts);
	free(pg->subject);
	pg->starts = xcalloc(n + 1, sizeof *pg->starts);
	if (n != pg->n_messages) {
		free(pg->collapsed);
		pg->collapsed = xcalloc(n + 1, sizeof *pg->collapsed);
	}
	subject = n > 0 && msgs[0].subject != NULL ? msgs[0].subject : "";
	pg->subject = text_sanitize(subject, strlen(subject), 0);
	pg->msgs = msgs;
	pg->n_messages = n;
	pg->done = 0;
	pg->wrapped_cols = 0;
	for (i = 0; pg->start != NULL && i < n; i++) {
		if (strcmp(msgs[i].message_id, pg->start) == 0 && i + 1 > least)
			least = i + 1;
	}
	while (pg->done < least)
		(void)ui_pager_render_next(pg);
	ui_pager_render_upto(pg, pg->doc.n + UI_PAGER_FIRST_LINES);
	return (0);
}

/* One message more in idle time. */
static int
ui_pager_idle(struct ui_view *v)
{
	return (ui_pager_render_next(v->data));
}

int
ui_pager_push(const char *thread_id, const char *query, const char *start,
    char **cause)
{
	struct ui_pager	*pg;

	pg = xcalloc(1, sizeof *pg);
	pg->thread_id = xstrdup(thread_id);
	pg->query = xstrdup(query);
	pg->start = start != NULL ? xstrdup(start) : NULL;
	if (ui_pager_load(pg, 0, cause) != 0) {
		free(pg->start);
		free(pg->thread_id);
		free(pg->query);
		free(pg);
		return (-1);
	}
	(void)ui_view_push(&ui_pager_ops, pg);
	return (0);
}

/* The message at the top of the screen, or with thread set all of the
 * thread that the list's query matches. */
static char *
ui_pager_target(struct ui_view *v, int thread, char **cause)
{
	struct ui_pager	*pg = v->data;
	char		*q, *term;

	if (pg->n_messages == 0) {
		xcause(cause, "no message here");
		return (NULL);
	}
	if (thread) {
		xasprintf(&q, "thread:%s and (%s)", pg->thread_id, pg->query);
		return (q);
	}
	term = store_query_term("id", pg->msgs[ui_pager_current(pg)].message_id);
	return (term);
}

static int
ui_pager_thread(struct ui_view *v, char **thread_id, char **query, char **at,
    char **cause)
{
	struct ui_pager	*pg = v->data;

	if (pg->n_messages == 0) {
		xcause(cause, "no message here");
		return (-1);
	}
	*thread_id = xstrdup(pg->thread_id);
	*query = xstrdup(pg->query);
	*at = xstrdup(pg->msgs[ui_pager_current(pg)].message_id);
	return (0);
}

/* URLs in text: http, https, ftp and mailto, up to a space or bracket. */
static void
ui_pager_find_urls(const char *text, char ***v, size_t *n)
{
	static const char *const schemes[] = {
		"https://", "http://", "ftp://", "mailto:",
	};
	const char	*p, *end;
	size_t		 k, i;
	char		*url;

	for (p = text; *p != '\0'; p++) {
		for (k = 0; k < sizeof schemes / sizeof schemes[0]; k++) {
			if (strncasecmp(p, schemes[k], strlen(schemes[k])) == 0)
				break;
		}
		if (k == sizeof schemes / sizeof schemes[0])
			continue;
		end = p + strcspn(p, " \t<>\"'`()[]{}|\\^");
		while (end > p && strchr(".,;:!?", end[-1]) != NULL)
			end--;
		if ((size_t)(end - p) <= strlen(schemes[k])) {
			p = end > p ? end - 1 : p;
			continue;
		}
		url = xstrndup(p, (size_t)(end - p));
		for (i = 0; i < *n; i++) {
			if (strcmp((*v)[i], url) == 0)
				break;
		}
		if (i == *n) {
			*v = xreallocarray(*v, *n + 1, sizeof **v);
			(*v)[(*n)++] = url;
		} else
			free(url);
		p = end - 1;
	}
}

/* Attachment k (from 1) of the thread: its message's file and number. */
static int
ui_pager_attachment(struct ui_view *v, size_t k, char **path, size_t *n,
    char **cause)
{
	struct ui_pager		*pg = v->data;
	struct ui_pager_att	*a;

	if (k > pg->doc.n_atts)
		ui_pager_render_upto(pg, 0);
	if (k == 0 || k > pg->doc.n_atts) {
		xcause(cause, "no attachment #%zu here (%zu in this thread)", k,
		    pg->doc.n_atts);
		return (-1);
	}
	a = &pg->doc.atts[k - 1];
	*path = xstrdup(pg->msgs[a->msg].filename);
	*n = a->n;
	return (0);
}

/*
 * Header and quote display, and the URL list: "headers" shows every
 * header (or the brief ones again), "quotes" folds quoted text into one
 * line per run, "urls" lists the links of the thread.
 */
static int
ui_pager_toggle(struct ui_view *v, const char *what, char **cause)
{
	struct ui_pager	*pg = v->data;
	char		**urls = NULL, **lines;
	size_t		 n = 0, i;

	if (strcmp(what, "headers") == 0) {
		pg->full_headers = !pg->full_headers;
		pg->wrapped_cols = 0;
		return (0);
	}
	if (strcmp(what, "quotes") == 0) {
		pg->folded = !pg->folded;
		pg->wrapped_cols = 0;
		return (0);
	}
	if (strcmp(what, "message") == 0 || strcmp(what, "all") == 0) {
		if (pg->n_messages < 2) {
			xcause(cause, "a thread of one message does not fold");
			return (-1);
		}
		if (strcmp(what, "message") == 0)
			pg->collapsed[ui_pager_current(pg)] ^= 1;
		else {
			/* Any open: close all; else open all. */
			for (i = 0; i < pg->n_messages; i++) {
				if (!pg->collapsed[i])
					break;
			}
			for (n = 0; n < pg->n_messages; n++)
				pg->collapsed[n] = i < pg->n_messages;
		}
		pg->wrapped_cols = 0;
		return (0);
	}
	if (strcmp(what, "urls") != 0) {
		xcause(cause, "nothing called '%s' to toggle here", what);
		return (-1);
	}
	ui_pager_render_upto(pg, 0);
	for (i = 0; i < pg->doc.n; i++) {
		if (pg->doc.lines[i].vis != UI_PAGER_FOLDED &&
		    pg->doc.lines[i].vis != UI_PAGER_FULL)
			ui_pager_find_urls(pg->doc.lines[i].text, &urls, &n);
	}
	if (n == 0) {
		xcause(cause, "no links in this thread");
		return (-1);
	}
	lines = xreallocarray(NULL, n, sizeof *lines);
	for (i = 0; i < n; i++) {
		xasprintf(&lines[i], "%3zu  %s", i + 1, urls[i]);
		free(urls[i]);
	}
	free(urls);
	ui_text_show("Links", lines, n);
	return (0);
}

/*
 * After a change: the tags may differ and messages may have gone (a file
 * moved, another program expunged), so read and render the thread again,
 * keeping the place on the screen.
 */
static void
ui_pager_refresh(struct ui_view *v, int clear)
{
	struct ui_pager	*pg = v->data;
	char		*cause = NULL;

	(void)clear;
	/* As many messages as before, so the place on screen is kept. */
	if (ui_pager_load(pg, pg->done, &cause) != 0) {
		ui_error("%s", cause);
		free(cause);
	}
}

static void
ui_pager_print(struct ui_pager_doc *doc, FILE *out)
{
	size_t	 i;

	for (i = 0; i < doc->n; i++) {
		if (!ui_pager_visible(NULL, &doc->lines[i]))
			continue;
		text_strip_marks(doc->lines[i].text);
		fprintf(out, "%s\n", doc->lines[i].text);
	}
}

int
ui_pager_render(struct store_index *idx, const char *query, char **files,
    size_t n_files, FILE *out, char **cause)
{
	struct ui_pager_doc	 doc;
	struct store_messages	*it;
	struct store_message	 m;
	size_t			 i;
	int			 failed = 0;

	memset(&doc, 0, sizeof doc);
	if (query == NULL) {
		for (i = 0; i < n_files; i++) {
			if (ui_pager_add_message(&doc, files[i], 0, 1,
			    NULL) != 0)
				failed++;
			ui_pager_print(&doc, out);
			ui_pager_doc_release(&doc);
		}
		return (failed);
	}
	if (store_index_search_messages(idx, query, STORE_SORT_OLDEST_FIRST,
	    &it, cause) != STORE_OK)
		return (-1);
	while (store_messages_next(it, &m)) {
		if (ui_pager_add_message(&doc, m.filename, 0, 1, &m) != 0)
			failed++;
		ui_pager_print(&doc, out);
		ui_pager_doc_release(&doc);
		store_message_release(&m);
	}
	store_messages_free(it);
	return (failed);
}
