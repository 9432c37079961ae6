/*
 * cmd/cmd.c: the command table and the command line parser.  A command
 * line is words separated by spaces; double quotes group words and a
 * backslash takes the next character literally.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "store/store.h"
#include "ui/ui.h"
#include "cmd/cmd.h"
#include "private.h"

static const struct cmd_entry *cmd_table[] = {
	&cmd_archive_entry,
	&cmd_calendar_entry,
	&cmd_calendar_jump_entry,
	&cmd_calendar_next_entry,
	&cmd_calendar_previous_entry,
	&cmd_close_entry,
	&cmd_compose_entry,
	&cmd_compose_abort_entry,
	&cmd_compose_attach_entry,
	&cmd_compose_detach_entry,
	&cmd_compose_edit_entry,
	&cmd_compose_identity_entry,
	&cmd_compose_send_entry,
	&cmd_delete_entry,
	&cmd_first_entry,
	&cmd_flag_entry,
	&cmd_forward_entry,
	&cmd_help_entry,
	&cmd_last_entry,
	&cmd_move_entry,
	&cmd_next_entry,
	&cmd_open_entry,
	&cmd_open_attachment_entry,
	&cmd_page_down_entry,
	&cmd_page_up_entry,
	&cmd_pipe_attachment_entry,
	&cmd_postpone_entry,
	&cmd_previous_entry,
	&cmd_prompt_entry,
	&cmd_quit_entry,
	&cmd_recall_entry,
	&cmd_redraw_entry,
	&cmd_reply_entry,
	&cmd_reply_all_entry,
	&cmd_resend_entry,
	&cmd_rsvp_entry,
	&cmd_save_attachment_entry,
	&cmd_search_entry,
	&cmd_select_entry,
	&cmd_select_none_entry,
	&cmd_select_query_entry,
	&cmd_sidebar_next_entry,
	&cmd_sidebar_open_entry,
	&cmd_sidebar_previous_entry,
	&cmd_sidebar_toggle_entry,
	&cmd_sync_entry,
	&cmd_sync_cancel_entry,
	&cmd_tag_entry,
	&cmd_task_new_entry,
	&cmd_task_status_entry,
	&cmd_tasks_entry,
	&cmd_theme_entry,
	&cmd_toggle_headers_entry,
	&cmd_toggle_message_entry,
	&cmd_toggle_quotes_entry,
	&cmd_toggle_read_entry,
	&cmd_toggle_thread_entry,
	&cmd_tree_entry,
	&cmd_undo_entry,
	&cmd_urls_entry,
};

static const struct keymap	*cmd_keymap;
static struct cmd_env		 cmd_env;

void
cmd_set_env(const struct cmd_env *env)
{
	cmd_env = *env;
}

const struct cmd_env *
cmd_get_env(void)
{
	return (&cmd_env);
}

int
cmd_target_messages(struct store_messages **ms, char **cause)
{
	char	*target;
	int	 rc;

	if ((target = ui_target(0, cause)) == NULL)
		return (-1);
	rc = store_index_search_messages(cmd_env.index, target,
	    STORE_SORT_NEWEST_FIRST, ms, cause) == STORE_OK ? 0 : -1;
	free(target);
	return (rc);
}

void
cmd_cleanup(void)
{
	cmd_triage_cleanup();
	cmd_sync_cleanup();
	memset(&cmd_env, 0, sizeof cmd_env);
}

size_t
cmd_count(void)
{
	return (sizeof cmd_table / sizeof cmd_table[0]);
}

const struct cmd_entry *
cmd_get(size_t i)
{
	return (i < cmd_count() ? cmd_table[i] : NULL);
}

const struct cmd_entry *
cmd_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < cmd_count(); i++) {
		if (strcmp(cmd_table[i]->name, name) == 0)
			return (cmd_table[i]);
	}
	return (NULL);
}

void
cmd_set_keymap(const struct keymap *km)
{
	cmd_keymap = km;
}

const struct keymap *
cmd_get_keymap(void)
{
	return (cmd_keymap);
}

void
cmd_free_argv(int argc, char **argv)
{
	int	 i;

	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

/* Splits line into *argv; -1 with *cause for an unclosed quote. */
int
cmd_split(const char *line, int *argc, char ***argv, char **cause)
{
	struct buf	 word;
	const char	*p = line;
	int		 n = 0, quoted, have;
	char		**v;

	if (strlen(line) > CMD_MAX_LINE) {
		xcause(cause, "command line longer than %d bytes",
		    CMD_MAX_LINE);
		return (-1);
	}
	v = xcalloc(CMD_MAX_ARGS + 1, sizeof *v);
	buf_init(&word);
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		buf_clear(&word);
		quoted = have = 0;
		for (; *p != '\0'; p++) {
			if (!quoted && (*p == ' ' || *p == '\t'))
				break;
			if (*p == '"') {
				quoted = !quoted;
				have = 1;
				continue;
			}
			if (*p == '\\' && p[1] != '\0')
				p++;
			buf_addch(&word, *p);
			have = 1;
		}
		if (quoted) {
			xcause(cause, "missing closing '\"' in '%s'", line);
			goto fail;
		}
		if (!have)
			continue;
		if (n == CMD_MAX_ARGS) {
			xcause(cause, "more than %d words in '%s'",
			    CMD_MAX_ARGS, line);
			goto fail;
		}
		v[n++] = xstrdup(word.data);
	}
	buf_release(&word);
	*argc = n;
	*argv = v;
	return (0);

fail:
	buf_release(&word);
	cmd_free_argv(n, v);
	return (-1);
}

/* Finds the command for argv and checks the argument count. */
static const struct cmd_entry *
cmd_resolve(int argc, char **argv, char **cause)
{
	const struct cmd_entry	*ce;

	if ((ce = cmd_find(argv[0])) == NULL) {
		xcause(cause, "unknown command '%s'", argv[0]);
		return (NULL);
	}
	if (argc - 1 < ce->min_args || argc - 1 > ce->max_args) {
		xcause(cause, "usage: %s%s%s", ce->name,
		    *ce->usage != '\0' ? " " : "", ce->usage);
		return (NULL);
	}
	return (ce);
}

int
cmd_run(const char *line, char **cause)
{
	const struct cmd_entry	*ce;
	char			**argv;
	int			 argc, rc = -1;

	if (cmd_split(line, &argc, &argv, cause) != 0)
		return (-1);
	if (argc == 0)
		xcause(cause, "empty command");
	else if ((ce = cmd_resolve(argc, argv, cause)) != NULL)
		rc = ce->exec(argc, argv, cause);
	cmd_free_argv(argc, argv);
	return (rc);
}

int
cmd_check_keymap(const struct keymap *km, char **cause)
{
	const struct keymap_binding	*kb;
	char				**argv, *why = NULL;
	int				 argc;
	size_t				 i;

	for (i = 0; i < keymap_count(km); i++) {
		kb = keymap_get(km, i);
		if (cmd_split(kb->command, &argc, &argv, &why) == 0) {
			if (argc == 0)
				xcause(&why, "empty command");
			else
				(void)cmd_resolve(argc, argv, &why);
			cmd_free_argv(argc, argv);
		}
		if (why != NULL) {
			xcause(cause, "%s:%d: %s", kb->file, kb->line, why);
			free(why);
			return (-1);
		}
	}
	return (0);
}

/* Parses an optional count argument ("next 5"). */
int
cmd_count_arg(int argc, char **argv, int *n, char **cause)
{
	const char	*errstr;

	*n = 1;
	if (argc < 2)
		return (0);
	*n = (int)strtonum(argv[1], 1, 100000, &errstr);
	if (errstr != NULL) {
		xcause(cause, "%s: count '%s' is %s", argv[0], argv[1],
		    errstr);
		return (-1);
	}
	return (0);
}
