/*
 * cmd/cmd-help.c: the help screen, generated from the active keymap and
 * the command table, so it lists exactly the keys that work.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "ui/ui.h"
#include "cmd/cmd.h"
#include "private.h"

/* The views in the order the help screen lists them, after the view it
 * was asked from (its keys come first, on the first screen). */
static const char *cmd_help_views[] = { "index", "thread", "pager", "compose",
	"calendar", "tasks", "help", "global" };
#define CMD_HELP_NVIEWS	(sizeof cmd_help_views / sizeof *cmd_help_views)

static void
cmd_help_add(char ***lines, size_t *n, char *line)
{
	char	*clean;

	clean = text_sanitize(line, strlen(line), 0);
	free(line);
	*lines = xreallocarray(*lines, *n + 1, sizeof **lines);
	(*lines)[(*n)++] = clean;
}

static int
cmd_help_exec(int argc, char **argv, char **cause)
{
	const struct keymap		*km = cmd_get_keymap();
	const struct keymap_binding	*kb;
	const struct cmd_entry		*ce;
	char				**lines = NULL, *line, *name;
	const char			*view = ui_view_name(), *desc;
	const char			*order[CMD_HELP_NVIEWS + 1];
	size_t				 n = 0, i, v, shown, n_order = 0;

	order[n_order++] = view;
	for (v = 0; v < CMD_HELP_NVIEWS; v++) {
		if (strcmp(cmd_help_views[v], view) != 0)
			order[n_order++] = cmd_help_views[v];
	}
	xasprintf(&line, "Keys (the active keymap; see satchel-keymaps(5))");
	cmd_help_add(&lines, &n, line);
	for (v = 0; v < n_order; v++) {
		shown = 0;
		for (i = 0; km != NULL && i < keymap_count(km); i++) {
			kb = keymap_get(km, i);
			if (strcmp(kb->view, order[v]) != 0)
				continue;
			if (shown++ == 0) {
				cmd_help_add(&lines, &n, xstrdup(""));
				xasprintf(&line, "%s%s:", order[v], v == 0 ?
				    " (this view)" : "");
				cmd_help_add(&lines, &n, line);
			}
			name = xstrndup(kb->command,
			    strcspn(kb->command, " \t"));
			ce = cmd_find(name);
			desc = ce != NULL ? ce->help : "";
			xasprintf(&line, "  %-10s %-22s %s", kb->key,
			    kb->command, desc);
			free(name);
			cmd_help_add(&lines, &n, line);
		}
	}
	cmd_help_add(&lines, &n, xstrdup(""));
	cmd_help_add(&lines, &n, xstrdup("Commands:"));
	for (i = 0; i < cmd_count(); i++) {
		ce = cmd_get(i);
		xasprintf(&line, "  %-10s %-22s %s", ce->name, ce->usage,
		    ce->help);
		cmd_help_add(&lines, &n, line);
	}
	ui_text_show("help", lines, n);
	return (0);
}

const struct cmd_entry cmd_help_entry = {
	"help", "", "show the keys of the active keymap",
	0, 0, cmd_help_exec
};
