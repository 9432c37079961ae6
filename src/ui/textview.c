/*
 * ui/textview.c: a read-only list of lines (the help screen).  Lines are
 * short and already sanitised; they are cut, not wrapped.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "ui/ui.h"
#include "private.h"

struct ui_textview {
	char	*title;
	char	**lines;
	size_t	 n;
	size_t	 top;
};

static size_t
ui_textview_max_top(struct ui_view *v)
{
	struct ui_textview	*tv = v->data;
	size_t			 rows = v->rows > 0 ? (size_t)v->rows : 1;

	return (tv->n > rows ? tv->n - rows : 0);
}

static void
ui_textview_draw(struct ui_view *v, int y, int rows, int cols)
{
	struct ui_textview	*tv = v->data;
	size_t			 i;

	if (tv->top > ui_textview_max_top(v))
		tv->top = ui_textview_max_top(v);
	for (i = tv->top; i < tv->n && i < tv->top + (size_t)rows; i++)
		ui_draw_text(y++, 0, cols, tv->lines[i], UI_NORMAL, 0);
}

static void
ui_textview_move(struct ui_view *v, int n)
{
	struct ui_textview	*tv = v->data;
	size_t			 max = ui_textview_max_top(v);

	if (n < 0)
		tv->top = (size_t)-n > tv->top ? 0 : tv->top - (size_t)-n;
	else
		tv->top = tv->top + (size_t)n > max ? max : tv->top + (size_t)n;
}

static void
ui_textview_page(struct ui_view *v, int n)
{
	ui_textview_move(v, n * (v->rows > 2 ? v->rows - 1 : 1));
}

static void
ui_textview_first(struct ui_view *v)
{
	struct ui_textview	*tv = v->data;

	tv->top = 0;
}

static void
ui_textview_last(struct ui_view *v)
{
	struct ui_textview	*tv = v->data;

	tv->top = ui_textview_max_top(v);
}

static void
ui_textview_status(struct ui_view *v, struct buf *b)
{
	struct ui_textview	*tv = v->data;

	buf_printf(b, " %s  lines %zu-%zu of %zu", tv->title,
	    tv->n == 0 ? 0 : tv->top + 1,
	    tv->top + (size_t)v->rows < tv->n ? tv->top + (size_t)v->rows :
	    tv->n, tv->n);
}

static void
ui_textview_free(struct ui_view *v)
{
	struct ui_textview	*tv = v->data;
	size_t			 i;

	for (i = 0; i < tv->n; i++)
		free(tv->lines[i]);
	free(tv->lines);
	free(tv->title);
	free(tv);
}

static const struct ui_view_ops ui_textview_ops = {
	"help",
	ui_textview_draw,
	ui_textview_move,
	ui_textview_page,
	ui_textview_first,
	ui_textview_last,
	NULL,
	ui_textview_status,
	NULL,
	ui_textview_free,
	NULL,
	NULL,
	NULL,
	NULL,	NULL,	NULL,
	NULL,	NULL,		/* predict, settle */
};

void
ui_textview_push(const char *title, char **lines, size_t n)
{
	struct ui_textview	*tv;

	tv = xcalloc(1, sizeof *tv);
	tv->title = text_sanitize(title, strlen(title), 0);
	tv->lines = lines;
	tv->n = n;
	(void)ui_view_push(&ui_textview_ops, tv);
}
