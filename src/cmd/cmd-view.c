/*
 * cmd/cmd-view.c: opening and closing views.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "store/store.h"
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

static int
cmd_toggle_message_exec(int argc, char **argv, char **cause)
{
	return (ui_toggle("message", cause));
}

static int
cmd_toggle_thread_exec(int argc, char **argv, char **cause)
{
	return (ui_toggle("all", cause));
}

static int
cmd_tree_exec(int argc, char **argv, char **cause)
{
	return (ui_tree(cause));
}

const struct cmd_entry cmd_toggle_message_entry = {
	"toggle-message", "", "collapse the message at the top of the pager "
	"to its one line, or the replies under the cursor in the tree; or "
	"expand it again",
	0, 0, cmd_toggle_message_exec
};
const struct cmd_entry cmd_toggle_thread_entry = {
	"toggle-thread", "", "collapse every message of the thread (pager) "
	"or every reply with replies (tree), or expand them all",
	0, 0, cmd_toggle_thread_exec
};
const struct cmd_entry cmd_tree_entry = {
	"tree", "", "show the thread as a reply tree, one line a message",
	0, 0, cmd_tree_exec
};
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
cmd_sidebar_toggle_exec(int argc, char **argv, char **cause)
{
	ui_sidebar_toggle();
	return (0);
}

static int
cmd_sidebar_next_exec(int argc, char **argv, char **cause)
{
	ui_sidebar_move(1);
	return (0);
}

static int
cmd_sidebar_previous_exec(int argc, char **argv, char **cause)
{
	ui_sidebar_move(-1);
	return (0);
}

static int
cmd_sidebar_open_exec(int argc, char **argv, char **cause)
{
	return (ui_sidebar_open(cause));
}

const struct cmd_entry cmd_sidebar_toggle_entry = {
	"sidebar-toggle", "", "show or hide the sidebar of saved searches and "
	"folders",
	0, 0, cmd_sidebar_toggle_exec
};
const struct cmd_entry cmd_sidebar_next_entry = {
	"sidebar-next", "", "the next saved search or folder in the sidebar",
	0, 0, cmd_sidebar_next_exec
};
const struct cmd_entry cmd_sidebar_previous_entry = {
	"sidebar-previous", "", "the previous one in the sidebar",
	0, 0, cmd_sidebar_previous_exec
};
const struct cmd_entry cmd_sidebar_open_entry = {
	"sidebar-open", "", "show the threads of the sidebar's entry",
	0, 0, cmd_sidebar_open_exec
};

/* The part of folder name under an account's folder, or NULL. */
static const char *
cmd_sidebar_under(const char *name, const char *folder)
{
	size_t	 n = strlen(folder);

	if (n == 0 || strncmp(name, folder, n) != 0 || name[n] != '/')
		return (NULL);
	return (name + n + 1);
}

static void
cmd_sidebar_add(struct ui_sidebar_item *v, size_t *k, const char *label,
    char *query, int heading)
{
	v[*k].label = xstrdup(label);
	v[*k].query = query != NULL ? query : xstrdup("");
	v[(*k)++].heading = heading;
}

/*
 * The sidebar's entries: the saved searches of the configuration, each
 * account's folders under its name, then the other folders under the
 * mail root.  The caller frees them with cmd_sidebar_free().
 */
struct ui_sidebar_item *
cmd_sidebar_items(const struct config *cfg, size_t *n)
{
	struct ui_sidebar_item	*v;
	char			**names;
	const char		*under;
	size_t			 n_names, i, a, k = 0;
	int			*shown, heading;

	maildir_list(cfg->mail_root, &names, &n_names);
	v = xcalloc(cfg->n_searches + cfg->n_accounts + n_names + 2,
	    sizeof *v);
	shown = xcalloc(n_names + 1, sizeof *shown);
	if (cfg->n_searches > 0)
		cmd_sidebar_add(v, &k, "Searches", NULL, 1);
	for (i = 0; i < cfg->n_searches; i++)
		cmd_sidebar_add(v, &k, cfg->searches[i].name,
		    xstrdup(cfg->searches[i].query), 0);
	for (a = 0; a < cfg->n_accounts; a++) {
		heading = 0;
		for (i = 0; i < n_names; i++) {
			if (shown[i] || (under = cmd_sidebar_under(names[i],
			    cfg->accounts[a].folder != NULL ?
			    cfg->accounts[a].folder : cfg->accounts[a].name)) ==
			    NULL)
				continue;
			if (!heading++)
				cmd_sidebar_add(v, &k, cfg->accounts[a].name,
				    NULL, 1);
			cmd_sidebar_add(v, &k, under,
			    store_query_term("folder", names[i]), 0);
			shown[i] = 1;
		}
	}
	heading = 0;
	for (i = 0; i < n_names; i++) {
		if (shown[i])
			continue;
		if (!heading++)
			cmd_sidebar_add(v, &k, "Folders", NULL, 1);
		cmd_sidebar_add(v, &k, *names[i] != '\0' ? names[i] :
		    "(mail root)", store_query_term("folder", names[i]), 0);
	}
	free(shown);
	store_free_names(names, n_names);
	*n = k;
	return (v);
}

void
cmd_sidebar_free(struct ui_sidebar_item *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free((char *)v[i].label);
		free((char *)v[i].query);
	}
	free(v);
}

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
	"open", "", "read the thread (or from the message) at the cursor in "
	"the pager",
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
