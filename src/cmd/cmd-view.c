/*
 * cmd/cmd-view.c: opening and closing views.
 */
#include "config.h"

#include "core/core.h"
#include "ui/ui.h"
#include "cmd/cmd.h"
#include "private.h"

static int
cmd_open_exec(int argc, char **argv, char **cause)
{
	return (ui_open(cause));
}

static int
cmd_close_exec(int argc, char **argv, char **cause)
{
	ui_close();
	return (0);
}

static int
cmd_quit_exec(int argc, char **argv, char **cause)
{
	ui_quit();
	return (0);
}

static int
cmd_redraw_exec(int argc, char **argv, char **cause)
{
	ui_redraw();
	return (0);
}

static int
cmd_toggle_headers_exec(int argc, char **argv, char **cause)
{
	return (ui_toggle("headers", cause));
}

static int
cmd_toggle_quotes_exec(int argc, char **argv, char **cause)
{
	return (ui_toggle("quotes", cause));
}

static int
cmd_urls_exec(int argc, char **argv, char **cause)
{
	return (ui_toggle("urls", cause));
}

const struct cmd_entry cmd_toggle_headers_entry = {
	"toggle-headers", "", "in the pager: every header, or the usual few",
	0, 0, cmd_toggle_headers_exec
};
const struct cmd_entry cmd_toggle_quotes_entry = {
	"toggle-quotes", "", "in the pager: fold quoted text, or unfold it",
	0, 0, cmd_toggle_quotes_exec
};
const struct cmd_entry cmd_urls_entry = {
	"urls", "", "list the links in the thread",
	0, 0, cmd_urls_exec
};

static int
cmd_theme_exec(int argc, char **argv, char **cause)
{
	if (ui_set_theme(argv[1], cause) != 0)
		return (-1);
	ui_message("switched to theme %s", argv[1]);
	return (0);
}

const struct cmd_entry cmd_theme_entry = {
	"theme", "NAME|FILE", "switch to a built-in theme (default, light, "
	"high-contrast, mono) or a theme file",
	1, 1, cmd_theme_exec
};
const struct cmd_entry cmd_open_entry = {
	"open", "", "open the selected thread in the pager",
	0, 0, cmd_open_exec
};
const struct cmd_entry cmd_close_entry = {
	"close", "", "go back to the previous view; quit from the last one",
	0, 0, cmd_close_exec
};
const struct cmd_entry cmd_quit_entry = {
	"quit", "", "quit satchel",
	0, 0, cmd_quit_exec
};
const struct cmd_entry cmd_redraw_entry = {
	"redraw", "", "clear and repaint the screen",
	0, 0, cmd_redraw_exec
};
