/*
 * cmd/cmd-search.c: search, the prompt, and selecting threads.
 */
#include "config.h"

#include <stdlib.h>

#include "core/core.h"
#include "ui/ui.h"
#include "cmd/cmd.h"
#include "private.h"

/* The words after the command, joined into one string. */
static char *
cmd_search_join(int argc, char **argv)
{
	struct buf	 b;
	int		 i;

	buf_init(&b);
	for (i = 1; i < argc; i++)
		buf_printf(&b, "%s%s", i == 1 ? "" : " ", argv[i]);
	return (buf_detach(&b, NULL));
}

/* Hands the joined query to fn. */
static int
cmd_search_query(int argc, char **argv, int (*fn)(const char *, char **),
    char **cause)
{
	char	*q = cmd_search_join(argc, argv);
	int	 rc;

	rc = fn(q, cause);
	free(q);
	return (rc);
}

static int
cmd_search_exec(int argc, char **argv, char **cause)
{
	return (cmd_search_query(argc, argv, ui_search, cause));
}

static int
cmd_prompt_exec(int argc, char **argv, char **cause)
{
	char	*words = cmd_search_join(argc, argv), *text;

	/* "prompt search" opens ":search " ready for the query. */
	xasprintf(&text, "%s%s", words, *words != '\0' ? " " : "");
	ui_prompt(text);
	free(text);
	free(words);
	return (0);
}

static int
cmd_select_exec(int argc, char **argv, char **cause)
{
	return (ui_select(cause));
}

static int
cmd_select_query_exec(int argc, char **argv, char **cause)
{
	return (cmd_search_query(argc, argv, ui_select_query, cause));
}

static int
cmd_select_none_exec(int argc, char **argv, char **cause)
{
	ui_select_clear();
	return (0);
}

const struct cmd_entry cmd_search_entry = {
	"search", "QUERY", "show the threads a notmuch query matches",
	1, CMD_MAX_ARGS - 1, cmd_search_exec
};
const struct cmd_entry cmd_prompt_entry = {
	"prompt", "[TEXT]", "open the command prompt holding TEXT",
	0, CMD_MAX_ARGS - 1, cmd_prompt_exec
};
const struct cmd_entry cmd_select_entry = {
	"select", "", "select the thread, or unselect it, and move on",
	0, 0, cmd_select_exec
};
const struct cmd_entry cmd_select_query_entry = {
	"select-query", "QUERY", "select the threads a query matches",
	1, CMD_MAX_ARGS - 1, cmd_select_query_exec
};
const struct cmd_entry cmd_select_none_entry = {
	"select-none", "", "clear the selection",
	0, 0, cmd_select_none_exec
};
