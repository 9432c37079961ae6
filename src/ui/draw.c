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

struct ui_draw_style {
	short	 fg;
	short	 bg;
	attr_t	 attr;	/* used with and without colour */
};

/* -1 is the terminal's own colour. */
static const struct ui_draw_style ui_draw_styles[UI_NCOLOURS] = {
	[UI_NORMAL] =		{ -1, -1, A_NORMAL },
	[UI_BAR] =		{ COLOR_WHITE, COLOR_BLUE, A_REVERSE },
	[UI_STATUS] =		{ COLOR_WHITE, COLOR_BLUE, A_REVERSE },
	[UI_CURSOR] =		{ COLOR_BLACK, COLOR_CYAN, A_REVERSE },
	[UI_UNREAD] =		{ -1, -1, A_BOLD },
	[UI_DATE] =		{ COLOR_YELLOW, -1, A_NORMAL },
	[UI_AUTHORS] =		{ -1, -1, A_NORMAL },
	[UI_COUNT] =		{ COLOR_GREEN, -1, A_NORMAL },
	[UI_TAGS] =		{ COLOR_CYAN, -1, A_NORMAL },
	[UI_HEADER] =		{ COLOR_GREEN, -1, A_BOLD },
	[UI_QUOTE] =		{ COLOR_CYAN, -1, A_NORMAL },
	[UI_ATTACHMENT] =	{ COLOR_MAGENTA, -1, A_BOLD },
	[UI_NOTE] =		{ COLOR_YELLOW, -1, A_NORMAL },
	[UI_WARNING] =		{ COLOR_RED, -1, A_BOLD },
	[UI_ERROR] =		{ COLOR_RED, -1, A_BOLD },
};

static int	 ui_draw_colour;

/*
 * Colour when the terminal has it and NO_COLOR (no-color.org) is unset or
 * empty; attributes alone otherwise, so every style stays visible.
 */
void
ui_draw_init(void)
{
	const char	*nc = getenv("NO_COLOR");
	int		 i;

	ui_draw_colour = has_colors() && (nc == NULL || *nc == '\0');
	if (!ui_draw_colour)
		return;
	start_color();
	use_default_colors();
	for (i = 1; i < UI_NCOLOURS; i++)
		init_pair((short)i, ui_draw_styles[i].fg, ui_draw_styles[i].bg);
}

static attr_t
ui_draw_attr(enum ui_colour c)
{
	const struct ui_draw_style	*st = &ui_draw_styles[c];

	if (!ui_draw_colour)
		return (st->attr);
	/* With colour, reverse video would undo the pair's background. */
	return ((st->attr & ~A_REVERSE) | (c == UI_NORMAL ? 0 : COLOR_PAIR(c)));
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
	if (y < 0 || y >= LINES || cols <= 0 || x >= COLS)
		return;
	if (x + cols > COLS)
		cols = COLS - x;
	mvhline(y, x, ' ' | ui_draw_attr(c), cols);
}

void
ui_draw_clear(void)
{
	erase();
}

void
ui_draw_done(void)
{
	wnoutrefresh(stdscr);
	doupdate();
}
