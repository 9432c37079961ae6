/*
 * ui/draw.c: the only code that writes to curses.  Text arrives already
 * sanitised (core/text.c), so it holds nothing but printable characters
 * and TEXT_MARK_* bytes around marks; this file turns it into wide
 * characters and keeps it inside the columns it was given.
 */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/core.h"
#include "ui/ui.h"
#include "private.h"

static struct ui_theme	 ui_draw_theme;
static int		 ui_draw_colour;
static int		 ui_draw_x0;	/* where column 0 is: after the sidebar */

void
ui_draw_origin(int x)
{
	ui_draw_x0 = x;
}

/*
 * Colour when the terminal has it and NO_COLOR (no-color.org) is unset or
 * empty; the theme's "mono" attributes otherwise, so every element stays
 * visible.  Colours the terminal does not have fall back to its default.
 */
void
ui_draw_init(const struct ui_theme *theme)
{
	const char	*nc = getenv("NO_COLOR");
	int		 i;

	ui_draw_theme = *theme;
	ui_draw_colour = has_colors() && (nc == NULL || *nc == '\0');
	if (!ui_draw_colour)
		return;
	start_color();
	use_default_colors();
	/* Each colour as near as this terminal gets: 8, 16, 256 or 24-bit. */
	for (i = 1; i < UI_NCOLOURS; i++) {
		init_extended_pair(i, ui_theme_fit(theme->styles[i].fg, COLORS),
		    ui_theme_fit(theme->styles[i].bg, COLORS));
	}
}

static attr_t
ui_draw_attr(enum ui_colour c)
{
	const struct ui_style	*st = &ui_draw_theme.styles[c];

	if (!ui_draw_colour)
		return ((attr_t)st->mono);
	return ((attr_t)st->colour | (c == UI_NORMAL ? 0 : COLOR_PAIR(c)));
}

int
ui_draw_text(int y, int x, int cols, const char *s, enum ui_colour c,
    int highlight)
{
	mbstate_t	 ps;
	wchar_t		 wc;
	size_t		 n, len = strlen(s);
	int		 used = 0, w, in_mark = 0;
	attr_t		 normal, mark;

	x += ui_draw_x0;
	if (cols <= 0 || y < 0 || y >= LINES || x >= COLS)
		return (0);
	if (x + cols > COLS)
		cols = COLS - x;
	normal = ui_draw_attr(highlight ? UI_CURSOR : c);
	mark = highlight ? normal | A_BOLD : ui_draw_attr(UI_WARNING);
	memset(&ps, 0, sizeof ps);
	move(y, x);
	attrset(normal);
	while (len > 0) {
		if (*s == TEXT_MARK_START || *s == TEXT_MARK_END) {
			in_mark = (*s == TEXT_MARK_START);
			attrset(in_mark ? mark : normal);
			s++;
			len--;
			continue;
		}
		n = mbrtowc(&wc, s, len, &ps);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			/* Cannot happen to sanitised text; stop safely. */
			break;
		}
		if ((w = wcwidth(wc)) < 0)
			w = 1, wc = L'?';
		if (used + w > cols)
			break;
		addnwstr(&wc, 1);
		used += w;
		s += n;
		len -= n;
	}
	attrset(A_NORMAL);
	return (used);
}

void
ui_draw_fill(int y, int x, int cols, enum ui_colour c)
{
	x += ui_draw_x0;
	if (y < 0 || y >= LINES || cols <= 0 || x >= COLS)
		return;
	if (x + cols > COLS)
		cols = COLS - x;
	mvhline(y, x, ' ' | ui_draw_attr(c), cols);
}

void
ui_draw_clear(void)
{
	ui_draw_x0 = 0;
	erase();
}

/* A vertical line of rows cells at column x (not moved by the origin). */
void
ui_draw_vline(int y, int x, int rows)
{
	if (x < 0 || x >= COLS || y < 0 || rows <= 0)
		return;
	mvvline(y, x, ACS_VLINE | ui_draw_attr(UI_NOTE), rows);
}

void
ui_draw_done(int y, int x)
{
	ui_draw_x0 = 0;
	if (y >= 0 && x >= 0 && y < LINES && x < COLS) {
		move(y, x);
		curs_set(1);
	} else
		curs_set(0);
	wnoutrefresh(stdscr);
	doupdate();
}

int
ui_draw_column(int y, int x, int cols, const char *raw, enum ui_colour c,
    int highlight, int flags)
{
	struct buf	 b;
	char		*clean;

	clean = text_sanitize(raw, strlen(raw), 0);
	buf_init(&b);
	text_fit(&b, clean, (size_t)cols, flags | TEXT_FIT_PAD);
	ui_draw_text(y, x, cols, b.data, c, highlight);
	buf_release(&b);
	free(clean);
	return (x + cols);
}
