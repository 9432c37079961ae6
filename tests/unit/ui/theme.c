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

	expect_error("colr date red\n", "t.theme:1: expected 'color ELEMENT "
	    "FOREGROUND [BACKGROUND] [ATTRIBUTE...]' or 'mono ELEMENT "
	    "ATTRIBUTE...', not 'colr'");
	expect_error("\ncolor subject red\n", "t.theme:2: 'subject' is not an "
	    "element (expected normal, bar, status, cursor, unread, date, "
	    "authors, count, tags, header, quote, attachment, note, warning "
	    "or error)");
	expect_error("color date pink\n", "t.theme:1: 'pink' is not a colour "
	    "(expected default, a name such as red or brightred, or color0 "
	    "to color255)");
	expect_error("color date color256\n", "t.theme:1: 'color256' is not a "
	    "colour (expected default, a name such as red or brightred, or "
	    "color0 to color255)");
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
