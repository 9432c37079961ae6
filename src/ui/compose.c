/*
 * ui/compose.c: the compose screen, between the editor and sending.  It
 * shows the headers of the draft, its attachments (name, type, size; a
 * cursor moves over them) and a line of keys.  What the keys do belongs
 * to the commands (cmd/cmd-compose.c), which hand this view copies of
 * what to show; the view knows nothing of drafts, files or sending.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "ui/ui.h"
#include "private.h"

struct ui_compose_line {
	char		*name;		/* sanitised */
	char		*value;		/* sanitised */
};
struct ui_compose_att {
	char		*name;		/* sanitised */
	char		*type;		/* sanitised */
	size_t		 size;
};
struct ui_compose {
	char			*title;		/* sanitised */
	char			*hint;		/* sanitised */
	struct ui_compose_line	*fields;
	size_t			 n_fields;
	struct ui_compose_att	*atts;
	size_t			 n_atts;
	size_t			 cursor;	/* attachment */
	size_t			 top;		/* first line shown */
	void			(*gone)(void *);
	void			*arg;
};

/* The one compose view, while it is on the stack. */
static struct ui_compose	*ui_compose_open;

static char *
ui_compose_clean(const char *s)
{
	return (text_sanitize(s != NULL ? s : "", s != NULL ? strlen(s) : 0,
	    0));
}

static void
ui_compose_clear(struct ui_compose *c)
{
	size_t	 i;

	for (i = 0; i < c->n_fields; i++) {
		free(c->fields[i].name);
		free(c->fields[i].value);
	}
	free(c->fields);
	for (i = 0; i < c->n_atts; i++) {
		free(c->atts[i].name);
		free(c->atts[i].type);
	}
	free(c->atts);
	free(c->title);
	free(c->hint);
	c->fields = NULL;
	c->atts = NULL;
	c->title = c->hint = NULL;
	c->n_fields = c->n_atts = 0;
}

/* The line the cursor is on: fields, a blank, the heading, then one
 * line per attachment. */
static size_t
ui_compose_cursor_line(const struct ui_compose *c)
{
	return (c->n_fields + 2 + c->cursor);
}

static void
ui_compose_draw(struct ui_view *v, int y, int rows, int cols)
{
	struct ui_compose	*c = v->data;
	struct buf		 b;
	size_t			 line, last, i, width = 0;
	int			 hl;

	if (rows < 1)
		return;
	for (i = 0; i < c->n_fields; i++) {
		if (text_width(c->fields[i].name) > width)
			width = text_width(c->fields[i].name);
	}
	/* Keep the cursor's line on the screen, the key line below. */
	last = ui_compose_cursor_line(c);
	if (rows > 2 && last >= c->top + (size_t)rows - 2)
		c->top = last - (size_t)rows + 3;
	else if (last < c->top)
		c->top = last;
	for (line = c->top; line < c->top + (size_t)rows; line++) {
		if (line < c->n_fields) {
			buf_init(&b);
			text_fit(&b, c->fields[line].name, width + 1,
			    TEXT_FIT_PAD);
			ui_draw_text(y, 1, cols - 1, b.data, UI_HEADER, 0);
			buf_release(&b);
			if ((int)width + 3 < cols)
				ui_draw_text(y, (int)width + 3,
				    cols - (int)width - 3,
				    c->fields[line].value, UI_NORMAL, 0);
		} else if (line == c->n_fields + 1)
			ui_draw_text(y, 1, cols - 1, c->n_atts == 0 ?
			    "No attachments" : "Attachments:", UI_HEADER, 0);
		else if (line >= c->n_fields + 2 &&
		    line < c->n_fields + 2 + c->n_atts) {
			i = line - c->n_fields - 2;
			hl = i == c->cursor;
			buf_init(&b);
			buf_printf(&b, "%3zu  ", i + 1);
			text_fit(&b, c->atts[i].name, 40, TEXT_FIT_PAD);
			buf_addstr(&b, "  ");
			text_fit(&b, c->atts[i].type, 24, TEXT_FIT_PAD);
			buf_addstr(&b, "  ");
			ui_pager_size(&b, c->atts[i].size);
			ui_draw_fill(y, 0, cols, hl ? UI_CURSOR : UI_NORMAL);
			ui_draw_text(y, 1, cols - 1, b.data, UI_ATTACHMENT, hl);
			buf_release(&b);
		}
		y++;
	}
	if (rows > 2 && c->hint != NULL)
		ui_draw_text(y - 1, 1, cols - 1, c->hint, UI_NOTE, 0);
}

static void
ui_compose_step(struct ui_view *v, int n)
{
	struct ui_compose	*c = v->data;

	if (c->n_atts == 0)
		return;
	if (n < 0)
		c->cursor = (size_t)-n > c->cursor ? 0 : c->cursor - (size_t)-n;
	else if (c->cursor + (size_t)n >= c->n_atts)
		c->cursor = c->n_atts - 1;
	else
		c->cursor += (size_t)n;
}

static void
ui_compose_page(struct ui_view *v, int n)
{
	ui_compose_step(v, n * (v->rows > 2 ? v->rows - 1 : 1));
}

static void
ui_compose_first(struct ui_view *v)
{
	struct ui_compose	*c = v->data;

	c->cursor = 0;
	c->top = 0;
}

static void
ui_compose_last(struct ui_view *v)
{
	struct ui_compose	*c = v->data;

	c->cursor = c->n_atts > 0 ? c->n_atts - 1 : 0;
}

static void
ui_compose_status(struct ui_view *v, struct buf *b)
{
	struct ui_compose	*c = v->data;

	buf_printf(b, " %s  %zu attachment%s", c->title, c->n_atts,
	    c->n_atts == 1 ? "" : "s");
}

static void
ui_compose_free(struct ui_view *v)
{
	struct ui_compose	*c = v->data;

	if (ui_compose_open == c)
		ui_compose_open = NULL;
	if (c->gone != NULL)
		c->gone(c->arg);
	ui_compose_clear(c);
	free(c);
}

static const struct ui_view_ops ui_compose_ops = {
	"compose",
	ui_compose_draw,
	ui_compose_step,
	ui_compose_page,
	ui_compose_first,
	ui_compose_last,
	NULL,
	ui_compose_status,
	NULL,
	ui_compose_free,
	NULL,
	NULL,
	NULL,
	NULL,	NULL,	NULL,
	NULL,	NULL,		/* predict, settle */
};

void
ui_compose_show(const struct ui_compose_model *m, void (*gone)(void *),
    void *arg)
{
	struct ui_compose	*c;
	size_t			 i;
	int			 fresh = 0;

	if ((c = ui_compose_open) == NULL) {
		c = xcalloc(1, sizeof *c);
		fresh = 1;
	} else
		ui_compose_clear(c);
	c->title = ui_compose_clean(m->title);
	c->hint = m->hint != NULL ? ui_compose_clean(m->hint) : NULL;
	c->fields = xcalloc(m->n_fields + 1, sizeof *c->fields);
	for (i = 0; i < m->n_fields; i++) {
		c->fields[i].name = ui_compose_clean(m->fields[i].name);
		c->fields[i].value = ui_compose_clean(m->fields[i].value);
	}
	c->n_fields = m->n_fields;
	c->atts = xcalloc(m->n_atts + 1, sizeof *c->atts);
	for (i = 0; i < m->n_atts; i++) {
		c->atts[i].name = ui_compose_clean(m->atts[i].name);
		c->atts[i].type = ui_compose_clean(m->atts[i].type);
		c->atts[i].size = m->atts[i].size;
	}
	c->n_atts = m->n_atts;
	if (c->cursor >= c->n_atts)
		c->cursor = c->n_atts > 0 ? c->n_atts - 1 : 0;
	c->gone = gone;
	c->arg = arg;
	ui_set_dirty();
	if (!fresh)
		return;
	ui_compose_open = c;
	if (ui_view_push(&ui_compose_ops, c) == NULL)
		ui_compose_open = NULL;	/* freed, gone() called */
}

int
ui_compose_cursor(void)
{
	if (ui_compose_open == NULL || ui_compose_open->n_atts == 0)
		return (-1);
	return ((int)ui_compose_open->cursor);
}

int
ui_compose_active(void)
{
	return (ui_compose_open != NULL);
}

void
ui_compose_close(void)
{
	if (ui_compose_open != NULL && strcmp(ui_view_name(), "compose") == 0)
		ui_close();
}
