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
 * "default" (-1), a name ("red", "brightred"), "colorN"/"colourN" for
 * 0-255, or "#rrggbb".  Returns -2 when the word is no colour.
 */
static int
ui_theme_colour(const char *w)
{
	const char	*errstr;
	long long	 n;
	size_t		 i;
	int		 bright = 0;
	char		*end;

	if (strcmp(w, "default") == 0)
		return (-1);
	if (*w == '#') {
		if (strlen(w) != 7 || strspn(w + 1, "0123456789abcdefABCDEF") !=
		    6)
			return (-2);
		n = strtol(w + 1, &end, 16);
		return (UI_RGB | (int)n);
	}
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
		    "note, warning, error or selected)", w[1]));
	st = &t->styles[e];
	first = 2;
	if (!mono) {
		if ((c = ui_theme_colour(w[2])) == -2)
			return (config_error_at(cause, file, lineno, "'%s' is "
			    "not a colour (expected default, a name such as "
			    "red or brightred, color0 to color255, or "
			    "#rrggbb)", w[2]));
		st->fg = c;
		st->bg = -1;
		first = 3;
		if (n > 3 && (c = ui_theme_colour(w[3])) != -2) {
			st->bg = c;
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

/* The themes built in, from themes/ at build time. */
static const struct {
	const char	*name;
	const char	*data;
	const size_t	*len;
} ui_theme_builtin[] = {
	{ "default", ui_default_theme, &ui_default_theme_len },
	{ "light", ui_light_theme, &ui_light_theme_len },
	{ "high-contrast", ui_high_contrast_theme,
	    &ui_high_contrast_theme_len },
	{ "mono", ui_mono_theme, &ui_mono_theme_len },
};
#define UI_THEME_NBUILTIN \
	(sizeof ui_theme_builtin / sizeof ui_theme_builtin[0])

const char *const *
ui_theme_names(void)
{
	static const char	*names[UI_THEME_NBUILTIN + 1];
	size_t			 i;

	for (i = 0; i < UI_THEME_NBUILTIN; i++)
		names[i] = ui_theme_builtin[i].name;
	return (names);
}

/* The built-in default, then name (may be NULL) on top. */
int
ui_theme_load(struct ui_theme *t, const char *name, char **cause)
{
	struct buf	 b;
	char		*label;
	size_t		 i;
	int		 rc, e;

	for (e = 0; e < UI_NCOLOURS; e++) {
		t->styles[e].fg = t->styles[e].bg = -1;
		t->styles[e].colour = t->styles[e].mono = A_NORMAL;
	}
	if (ui_theme_parse(t, "(built-in default.theme)", ui_default_theme,
	    ui_default_theme_len, cause) != 0)
		return (-1);
	if (name == NULL)
		return (0);
	if (strchr(name, '/') == NULL) {
		for (i = 0; i < UI_THEME_NBUILTIN; i++) {
			if (strcmp(name, ui_theme_builtin[i].name) != 0)
				continue;
			xasprintf(&label, "(built-in %s.theme)", name);
			rc = ui_theme_parse(t, label, ui_theme_builtin[i].data,
			    *ui_theme_builtin[i].len, cause);
			free(label);
			return (rc);
		}
		xcause(cause, "no theme '%s' (expected default, light, "
		    "high-contrast, mono, or a file name with a '/')", name);
		return (-1);
	}
	buf_init(&b);
	if ((rc = buf_read_file(&b, name, UI_THEME_MAX_SIZE, cause)) == 0)
		rc = ui_theme_parse(t, name, b.data, b.len, cause);
	buf_release(&b);
	return (rc);
}

/* The red, green and blue of palette colour i (xterm's 256). */
static void
ui_theme_palette(int i, int rgb[3])
{
	static const int basic[16][3] = {
		{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
		{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 },
		{ 229, 229, 229 }, { 127, 127, 127 }, { 255, 0, 0 },
		{ 0, 255, 0 }, { 255, 255, 0 }, { 92, 92, 255 },
		{ 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
	};
	static const int level[6] = { 0, 95, 135, 175, 215, 255 };
	int	 k;

	if (i < 16) {
		for (k = 0; k < 3; k++)
			rgb[k] = basic[i][k];
	} else if (i < 232) {
		i -= 16;
		rgb[0] = level[i / 36];
		rgb[1] = level[i / 6 % 6];
		rgb[2] = level[i % 6];
	} else
		rgb[0] = rgb[1] = rgb[2] = 8 + (i - 232) * 10;
}

/* The palette colour below n nearest to rgb. */
static int
ui_theme_nearest(const int rgb[3], int n)
{
	int	 i, k, best = 0, d, bestd = -1, p[3];

	for (i = 0; i < n; i++) {
		ui_theme_palette(i, p);
		for (d = 0, k = 0; k < 3; k++)
			d += (p[k] - rgb[k]) * (p[k] - rgb[k]);
		if (bestd < 0 || d < bestd) {
			best = i;
			bestd = d;
		}
	}
	return (best);
}

int
ui_theme_fit(int c, int n)
{
	int	 rgb[3];

	if (c < 0)
		return (c);
	if (c & UI_RGB) {
		if (n >= 0x1000000)
			return (c & 0xffffff);	/* direct colour */
		rgb[0] = (c >> 16) & 0xff;
		rgb[1] = (c >> 8) & 0xff;
		rgb[2] = c & 0xff;
	} else {
		if (c < n)
			return (c);
		ui_theme_palette(c, rgb);
	}
	return (ui_theme_nearest(rgb, n >= 256 ? 256 : n >= 16 ? 16 : 8));
}
