/*
 * cmd/cmd-move.c: moving through the current view.  In a list these move
 * the selection; in the pager and help they scroll.
 */
#include "config.h"

#include "core/core.h"
#include "ui/ui.h"
#include "cmd/cmd.h"
#include "private.h"

static int
cmd_next_exec(int argc, char **argv, char **cause)
{
	int	 n;

	if (cmd_count_arg(argc, argv, &n, cause) != 0)
		return (-1);
	ui_move(n);
	return (0);
}

static int
cmd_previous_exec(int argc, char **argv, char **cause)
{
	int	 n;

	if (cmd_count_arg(argc, argv, &n, cause) != 0)
		return (-1);
	ui_move(-n);
	return (0);
}

static int
cmd_page_down_exec(int argc, char **argv, char **cause)
{
	ui_page(1);
	return (0);
}

static int
cmd_page_up_exec(int argc, char **argv, char **cause)
{
	ui_page(-1);
	return (0);
}

static int
cmd_first_exec(int argc, char **argv, char **cause)
{
	ui_first();
	return (0);
}

static int
cmd_last_exec(int argc, char **argv, char **cause)
{
	ui_last();
	return (0);
}

const struct cmd_entry cmd_next_entry = {
	"next", "[COUNT]", "select the next row, or scroll down a line",
	0, 1, cmd_next_exec
};
const struct cmd_entry cmd_previous_entry = {
	"previous", "[COUNT]", "select the previous row, or scroll up a line",
	0, 1, cmd_previous_exec
};
const struct cmd_entry cmd_page_down_entry = {
	"page-down", "", "move down one screen",
	0, 0, cmd_page_down_exec
};
const struct cmd_entry cmd_page_up_entry = {
	"page-up", "", "move up one screen",
	0, 0, cmd_page_up_exec
};
const struct cmd_entry cmd_first_entry = {
	"first", "", "go to the first row or the top",
	0, 0, cmd_first_exec
};
const struct cmd_entry cmd_last_entry = {
	"last", "", "go to the last row or the bottom",
	0, 0, cmd_last_exec
};
