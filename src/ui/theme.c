/*
 * ui/theme.c: colour themes.  A theme file names a style for each screen
 * element, one line each (satchel-themes(5)):
 *
 *	color ELEMENT FOREGROUND [BACKGROUND] [ATTRIBUTE...]
 *	mono  ELEMENT ATTRIBUTE...
 *
 * The built-in themes/default.theme is read first and a configured file
 * on top of it, so a user theme only names what it changes.  Errors name
 * the file and line.
 */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "ui/ui.h"
#include "private.h"

#define UI_THEME_MAX_SIZE	(64 * 1024)
#define UI_THEME_MAX_LINE	1024

static const char *ui_theme_elements[UI_NCOLOURS] = {
	[UI_NORMAL] = "normal",
	[UI_BAR] = "bar",
	[UI_STATUS] = "status",
	[UI_CURSOR] = "cursor",
	[UI_UNREAD] = "unread",
	[UI_DATE] = "date",
	[UI_AUTHORS] = "authors",
	[UI_COUNT] = "count",
	[UI_TAGS] = "tags",
	[UI_HEADER] = "header",
	[UI_QUOTE] = "quote",
	[UI_ATTACHMENT] = "attachment",
	[UI_NOTE] = "note",
	[UI_WARNING] = "warning",
	[UI_ERROR] = "error",
	[UI_SELECTED] = "selected",
};

static const char *ui_theme_colours[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const struct {
	const char	*name;
	attr_t		 attr;
} ui_theme_attrs[] = {
	{ "normal", A_NORMAL },
	{ "bold", A_BOLD },
	{ "dim", A_DIM },
	{ "underline", A_UNDERLINE },
	{ "reverse", A_REVERSE },
	{ "italic", A_ITALIC },
};

/*
 * "default" (-1), a name ("red", "brightred"), or "colorN"/"colourN" for
 * 0-255.  Returns -2 when the word is no colour.
 */
static int
ui_theme_colour(const char *w)
{
	const char	*errstr;
	long long	 n;
	size_t		 i;
	int		 bright = 0;

	if (strcmp(w, "default") == 0)
		return (-1);
	if (strncmp(w, "colour", 6) == 0 || strncmp(w, "color", 5) == 0) {
		n = strtonum(w + (w[5] == 'r' ? 6 : 5), 0, 255, &errstr);
		return (errstr == NULL ? (int)n : -2);
	}
	if (strncmp(w, "bright", 6) == 0) {
		bright = 8;
		w += 6;
	}
	for (i = 0; i < sizeof ui_theme_colours / sizeof *ui_theme_colours; i++)
		if (strcmp(w, ui_theme_colours[i]) == 0)
			return ((int)i + bright);
	return (-2);
}

static int
ui_theme_attr(const char *w, attr_t *attr)
{
	size_t	 i;

	for (i = 0; i < sizeof ui_theme_attrs / sizeof *ui_theme_attrs; i++) {
		if (strcmp(w, ui_theme_attrs[i].name) == 0) {
			*attr |= ui_theme_attrs[i].attr;
			return (0);
		}
	}
	return (-1);
}

static int
ui_theme_line(struct ui_theme *t, const char *file, int lineno, char *line,
    char **cause)
{
	struct ui_style	*st;
	char		*w[8];
	size_t		 n = 0, i, first;
	int		 e, c, mono;
	attr_t		 attr = A_NORMAL;

	while (n < sizeof w / sizeof *w &&
	    (w[n] = strsep(&line, " \t")) != NULL) {
		if (*w[n] != '\0')
			n++;
	}
	if (n == 0 || *w[0] == '#')
		return (0);
	if (line != NULL)
		return (config_error_at(cause, file, lineno, "too many words"));
	mono = (strcmp(w[0], "mono") == 0);
	if (!mono && strcmp(w[0], "color") != 0 && strcmp(w[0], "colour") != 0)
		return (config_error_at(cause, file, lineno, "expected 'color "
		    "ELEMENT FOREGROUND [BACKGROUND] [ATTRIBUTE...]' or 'mono "
		    "ELEMENT ATTRIBUTE...', not '%s'", w[0]));
	if (n < 3)
		return (config_error_at(cause, file, lineno, "expected an "
		    "element and %s after '%s'", mono ? "attributes" :
		    "a colour", w[0]));
	for (e = 0; e < UI_NCOLOURS; e++)
		if (strcmp(w[1], ui_theme_elements[e]) == 0)
			break;
	if (e == UI_NCOLOURS)
		return (config_error_at(cause, file, lineno, "'%s' is not an "
		    "element (expected normal, bar, status, cursor, unread, "
		    "date, authors, count, tags, header, quote, attachment, "
		    "note, warning or error)", w[1]));
	st = &t->styles[e];
	first = 2;
	if (!mono) {
		if ((c = ui_theme_colour(w[2])) == -2)
			return (config_error_at(cause, file, lineno, "'%s' is "
			    "not a colour (expected default, a name such as "
			    "red or brightred, or color0 to color255)", w[2]));
		st->fg = (short)c;
		st->bg = -1;
		first = 3;
		if (n > 3 && (c = ui_theme_colour(w[3])) != -2) {
			st->bg = (short)c;
			first = 4;
		}
	}
	for (i = first; i < n; i++) {
		if (ui_theme_attr(w[i], &attr) != 0)
			return (config_error_at(cause, file, lineno, "'%s' is "
			    "not %san attribute (expected normal, bold, dim, "
			    "underline, reverse or italic)", w[i],
			    mono || i > 3 ? "" : "a colour or "));
	}
	if (mono)
		st->mono = attr;
	else
		st->colour = attr;
	return (0);
}

struct ui_theme_parse_ctx {
	struct ui_theme	*theme;
	const char	*file;
	char		**cause;
};

static int
ui_theme_parse_line(char *line, int lineno, void *arg)
{
	struct ui_theme_parse_ctx	*ctx = arg;

	return (ui_theme_line(ctx->theme, ctx->file, lineno, line,
	    ctx->cause));
}

int
ui_theme_parse(struct ui_theme *t, const char *file, const char *data,
    size_t len, char **cause)
{
	struct ui_theme_parse_ctx	 ctx = { t, file, cause };

	return (config_lines(file, data, len, UI_THEME_MAX_LINE,
	    ui_theme_parse_line, &ctx, cause));
}

/* The built-in theme, then path (may be NULL) on top. */
int
ui_theme_load(struct ui_theme *t, const char *path, char **cause)
{
	struct buf	 b;
	int		 rc;
	int		 e;

	for (e = 0; e < UI_NCOLOURS; e++) {
		t->styles[e].fg = t->styles[e].bg = -1;
		t->styles[e].colour = t->styles[e].mono = A_NORMAL;
	}
	if (ui_theme_parse(t, "(built-in default.theme)", ui_default_theme,
	    ui_default_theme_len, cause) != 0)
		return (-1);
	if (path == NULL)
		return (0);
	buf_init(&b);
	if ((rc = buf_read_file(&b, path, UI_THEME_MAX_SIZE, cause)) == 0)
		rc = ui_theme_parse(t, path, b.data, b.len, cause);
	buf_release(&b);
	return (rc);
}
