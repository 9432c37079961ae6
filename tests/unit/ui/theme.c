/* tests/unit/ui/theme.c: theme files, the built-in theme and errors. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "ui/ui.h"
#include "tests/unit/tap.h"

static void
expect_error(const char *text, const char *want)
{
	struct ui_theme	 t;
	char		*cause = NULL;

	memset(&t, 0, sizeof t);
	if (!ok(ui_theme_parse(&t, "t.theme", text, strlen(text), &cause) ==
	    -1 && cause != NULL && strcmp(cause, want) == 0, want))
		diag("got: %s", cause == NULL ? "(no error)" : cause);
	free(cause);
}

int
main(void)
{
	struct ui_theme	 t;
	const char	*text;
	const char *const *names;
	char		*cause = NULL, path[] = "/tmp/satchel-theme-XXXXXX";
	FILE		*f;
	int		 fd;

	ok(ui_theme_load(&t, NULL, &cause) == 0, "the built-in theme loads");
	ok(t.styles[UI_CURSOR].fg == COLOR_BLACK &&
	    t.styles[UI_CURSOR].bg == COLOR_CYAN &&
	    t.styles[UI_CURSOR].mono == A_REVERSE, "cursor: colour and mono");
	ok(t.styles[UI_WARNING].colour == A_BOLD &&
	    t.styles[UI_WARNING].mono == (A_BOLD | A_UNDERLINE),
	    "warning marks stand out with and without colour");
	ok(t.styles[UI_NORMAL].fg == -1 && t.styles[UI_NORMAL].bg == -1,
	    "normal text keeps the terminal's colours");

	text = "# comment\n\ncolor date brightred colour17 bold underline\n"
	    "colour quote color250\nmono quote dim italic\n";
	ok(ui_theme_parse(&t, "t.theme", text, strlen(text), &cause) == 0,
	    "colour names, numbers and attributes parse");
	ok(t.styles[UI_DATE].fg == 9 && t.styles[UI_DATE].bg == 17 &&
	    t.styles[UI_DATE].colour == (A_BOLD | A_UNDERLINE),
	    "bright colours are 8-15");
	ok(t.styles[UI_QUOTE].fg == 250 && t.styles[UI_QUOTE].bg == -1 &&
	    t.styles[UI_QUOTE].mono == (A_DIM | A_ITALIC),
	    "a missing background is the default");

	text = "color date #ff8000 #000000\n";
	ok(ui_theme_parse(&t, "t.theme", text, strlen(text), &cause) == 0 &&
	    t.styles[UI_DATE].fg == (UI_RGB | 0xff8000) &&
	    t.styles[UI_DATE].bg == UI_RGB, "24-bit colours parse");
	ok(ui_theme_fit(UI_RGB | 0xff8000, 0x1000000) == 0xff8000,
	    "fit: 24-bit as it is on a direct-colour terminal");
	ok(ui_theme_fit(UI_RGB | 0xff8000, 256) == 208,
	    "fit: 24-bit orange to the 256-colour cube");
	ok(ui_theme_fit(UI_RGB | 0xff0000, 8) == COLOR_RED,
	    "fit: 24-bit red to red on 8 colours");
	ok(ui_theme_fit(196, 8) == COLOR_RED && ui_theme_fit(21, 16) == 4,
	    "fit: palette colours down to the basic ones");
	ok(ui_theme_fit(17, 256) == 17 && ui_theme_fit(-1, 8) == -1,
	    "fit: what fits stays, default stays");
	ok(ui_theme_fit(UI_RGB | 0x808080, 256) == 244,
	    "fit: grey to the grey ramp");
	for (names = ui_theme_names(); *names != NULL; names++) {
		if (!ok(ui_theme_load(&t, *names, &cause) == 0, *names))
			diag("%s", cause);
	}
	ok(ui_theme_load(&t, "light", &cause) == 0 &&
	    t.styles[UI_CURSOR].bg == 24, "light: its own cursor");
	ok(ui_theme_load(&t, "mono", &cause) == 0 &&
	    t.styles[UI_CURSOR].fg == -1 && t.styles[UI_CURSOR].bg == -1 &&
	    t.styles[UI_CURSOR].colour == A_REVERSE, "mono: no colour");
	ok(ui_theme_load(&t, "dark", &cause) == -1 && cause != NULL &&
	    strcmp(cause, "no theme 'dark' (expected default, light, "
	    "high-contrast, mono, or a file name with a '/')") == 0,
	    "an unknown name");
	free(cause);
	cause = NULL;

	expect_error("colr date red\n", "t.theme:1: expected 'color ELEMENT "
	    "FOREGROUND [BACKGROUND] [ATTRIBUTE...]' or 'mono ELEMENT "
	    "ATTRIBUTE...', not 'colr'");
	expect_error("\ncolor subject red\n", "t.theme:2: 'subject' is not an "
	    "element (expected normal, bar, status, cursor, unread, date, "
	    "authors, count, tags, header, quote, attachment, note, warning, "
	    "error or selected)");
	expect_error("color date pink\n", "t.theme:1: 'pink' is not a colour "
	    "(expected default, a name such as red or brightred, color0 to "
	    "color255, or #rrggbb)");
	expect_error("color date color256\n", "t.theme:1: 'color256' is not a "
	    "colour (expected default, a name such as red or brightred, "
	    "color0 to color255, or #rrggbb)");
	expect_error("color date #12345g\n", "t.theme:1: '#12345g' is not a "
	    "colour (expected default, a name such as red or brightred, "
	    "color0 to color255, or #rrggbb)");
	expect_error("color date red blue blink\n", "t.theme:1: 'blink' is "
	    "not an attribute (expected normal, bold, dim, underline, reverse "
	    "or italic)");
	expect_error("color date red shiny\n", "t.theme:1: 'shiny' is not a "
	    "colour or an attribute (expected normal, bold, dim, underline, "
	    "reverse or italic)");
	expect_error("mono date\n", "t.theme:1: expected an element and "
	    "attributes after 'mono'");
	expect_error("color a b c d e f g h i\n", "t.theme:1: too many words");

	fd = mkstemp(path);
	ok(fd != -1 && (f = fdopen(fd, "w")) != NULL, "a user theme file");
	fputs("color cursor white red\n", f);
	fclose(f);
	ok(ui_theme_load(&t, path, &cause) == 0 &&
	    t.styles[UI_CURSOR].bg == COLOR_RED &&
	    t.styles[UI_BAR].bg == COLOR_BLUE,
	    "a user theme changes only what it names");
	remove(path);
	ok(ui_theme_load(&t, path, &cause) == -1 &&
	    strstr(cause, "cannot open") != NULL, "a missing theme file");
	free(cause);
	return (tap_done());
}
