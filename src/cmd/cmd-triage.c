/*
 * cmd/cmd-triage.c: archive, delete, flag, toggle-read, tag, move and
 * undo.
 *
 * Each acts on what ui_target() names: the selection, else the current
 * thread (list) or message (pager); "-t" widens a message to its thread.
 * The target is first resolved to Message-IDs, so that the steps of one
 * action (archive drops a tag, then perhaps moves) all apply to the same
 * messages even after the first step stops them matching.  The index is
 * opened read-write for the action only, so "notmuch new" or a cron sync
 * can write between two key presses.  What each action really did is
 * kept, up to CMD_UNDO_DEPTH deep, for undo.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "store/store.h"
#include "engine/engine.h"
#include "ui/ui.h"
#include "cmd/cmd.h"
#include "private.h"

#define CMD_UNDO_DEPTH	100

static struct {
	struct engine_change	*v[CMD_UNDO_DEPTH];	/* oldest first */
	char			*what[CMD_UNDO_DEPTH];
	int			 n;
} cmd_undo;

/* What one command does: a tag change, a move, or both. */
struct cmd_triage {
	const char	*verb;		/* "archived" */
	char		**add;		/* NULL-terminated, may be NULL */
	char		**del;
	const char	*folder;	/* NULL: no move */
};

void
cmd_triage_cleanup(void)
{
	int	 i;

	for (i = 0; i < cmd_undo.n; i++) {
		engine_change_free(cmd_undo.v[i]);
		free(cmd_undo.what[i]);
	}
	cmd_undo.n = 0;
}

static void
cmd_undo_push(struct engine_change *c, const char *what)
{
	int	 i;

	if (cmd_undo.n == CMD_UNDO_DEPTH) {
		engine_change_free(cmd_undo.v[0]);
		free(cmd_undo.what[0]);
		for (i = 1; i < CMD_UNDO_DEPTH; i++) {
			cmd_undo.v[i - 1] = cmd_undo.v[i];
			cmd_undo.what[i - 1] = cmd_undo.what[i];
		}
		cmd_undo.n--;
	}
	cmd_undo.v[cmd_undo.n] = c;
	cmd_undo.what[cmd_undo.n++] = xstrdup(what);
}

/* Whether the first argument is "-t"; the others start after it. */
static int
cmd_thread_flag(int argc, char **argv)
{
	return (argc > 1 && strcmp(argv[1], "-t") == 0);
}

/* For the commands that take only "-t". */
static int
cmd_scope(int argc, char **argv, int *thread, char **cause)
{
	*thread = cmd_thread_flag(argc, argv);
	if (argc - *thread > 1) {
		xcause(cause, "usage: %s [-t]", argv[0]);
		return (-1);
	}
	return (0);
}

/* The target as "id:..." terms, one per message; NULL when it is empty. */
static char *
cmd_resolve(const char *target, unsigned int *n, char **cause)
{
	struct store_messages	*ms;
	struct store_message	 m;
	struct buf		 b;
	char			*term;

	*n = 0;
	if (store_index_search_messages(cmd_get_env()->index, target,
	    STORE_SORT_OLDEST_FIRST, &ms, cause) != STORE_OK)
		return (NULL);
	buf_init(&b);
	while (store_messages_next(ms, &m)) {
		term = store_query_term("id", m.message_id);
		buf_printf(&b, "%s%s", *n == 0 ? "" : " or ", term);
		free(term);
		(*n)++;
		store_message_release(&m);
	}
	store_messages_free(ms);
	if (*n == 0) {
		xcause(cause, "no messages to act on");
		buf_release(&b);
		return (NULL);
	}
	return (buf_detach(&b, NULL));
}

/* Opens the index for writing, waiting a little for another writer. */
static struct store_index *
cmd_open_rw(char **cause)
{
	struct store_index	*w = NULL;

	if (cmd_get_env()->open_rw == NULL) {
		xcause(cause, "the index cannot be changed here");
		return (NULL);
	}
	if (cmd_get_env()->open_rw(&w, cause) != 0)
		return (NULL);
	return (w);
}

static int
cmd_triage_run(const struct cmd_triage *t, int thread, char **cause)
{
	const struct config	*cfg = cmd_get_env()->cfg;
	struct store_index	*w;
	struct engine_change	*c;
	char			*target, *ids;
	unsigned int		 n, tagged = 0, moved = 0;
	int			 rc = 0;

	if ((target = ui_target(thread, cause)) == NULL)
		return (-1);
	ids = cmd_resolve(target, &n, cause);
	free(target);
	if (ids == NULL)
		return (-1);
	if ((w = cmd_open_rw(cause)) == NULL) {
		free(ids);
		return (-1);
	}
	c = engine_change_new();
	if (t->add != NULL || t->del != NULL)
		rc = engine_action_tag(cfg, w, ids, t->add, t->del, c, &tagged,
		    cause);
	if (rc == 0 && t->folder != NULL)
		rc = engine_action_move(cfg, w, ids, t->folder, c, &moved,
		    cause);
	store_index_close(w);
	free(ids);
	/* Even a failed action may have changed some: keep it undoable. */
	if (!engine_change_empty(c))
		cmd_undo_push(c, t->verb);
	else
		engine_change_free(c);
	ui_refresh(1);
	cmd_sync_kick();
	n = tagged > moved ? tagged : moved;
	if (rc == 0 && n == 0)
		ui_message("nothing to change");
	else if (rc == 0)
		ui_message("%s %u message%s", t->verb, n, n == 1 ? "" : "s");
	return (rc);
}

/* Whether any message of the target has tag. */
static int
cmd_target_has(int thread, const char *tag, int *has, char **cause)
{
	char		*target, *q;
	unsigned int	 n = 0;
	int		 rc;

	if ((target = ui_target(thread, cause)) == NULL)
		return (-1);
	xasprintf(&q, "(%s) and tag:%s", target, tag);
	rc = store_index_count_messages(cmd_get_env()->index, q, &n, cause) ==
	    STORE_OK ? 0 : -1;
	free(q);
	free(target);
	*has = n > 0;
	return (rc);
}

static int
cmd_archive_exec(int argc, char **argv, char **cause)
{
	static char		*del[] = { (char *)"inbox", NULL };
	struct cmd_triage	 t = { "archived", NULL, del, NULL };
	int			 thread;

	if (cmd_scope(argc, argv, &thread, cause) != 0)
		return (-1);
	if (cmd_get_env()->cfg != NULL && cmd_get_env()->cfg->archive_move)
		t.folder = "archive";
	return (cmd_triage_run(&t, thread, cause));
}

static int
cmd_delete_exec(int argc, char **argv, char **cause)
{
	static char		*del[] = { (char *)"inbox", NULL };
	struct cmd_triage	 t = { "deleted", NULL, del, "trash" };
	int			 thread;

	if (cmd_scope(argc, argv, &thread, cause) != 0)
		return (-1);
	return (cmd_triage_run(&t, thread, cause));
}

/* Flag and read toggle: when any message has it, all lose it. */
static int
cmd_toggle(int argc, char **argv, char *tag, const char *on,
    const char *off, int invert, char **cause)
{
	char			*list[] = { tag, NULL };
	struct cmd_triage	 t = { NULL, NULL, NULL, NULL };
	int			 thread, has;

	if (cmd_scope(argc, argv, &thread, cause) != 0)
		return (-1);
	if (cmd_target_has(thread, tag, &has, cause) != 0)
		return (-1);
	if (has)
		t.del = list;
	else
		t.add = list;
	t.verb = has != invert ? off : on;
	return (cmd_triage_run(&t, thread, cause));
}

static int
cmd_flag_exec(int argc, char **argv, char **cause)
{
	return (cmd_toggle(argc, argv, (char *)"flagged", "flagged",
	    "unflagged", 0, cause));
}

static int
cmd_toggle_read_exec(int argc, char **argv, char **cause)
{
	return (cmd_toggle(argc, argv, (char *)"unread", "marked read",
	    "marked unread", 1, cause));
}

static int
cmd_tag_exec(int argc, char **argv, char **cause)
{
	struct cmd_triage	 t = { "tagged", NULL, NULL, NULL };
	int			 thread = cmd_thread_flag(argc, argv);
	int			 i, na = 0, nd = 0, rc;

	if (argc - thread < 2) {
		xcause(cause, "usage: tag [-t] +TAG|-TAG ...");
		return (-1);
	}
	t.add = xcalloc((size_t)argc, sizeof *t.add);
	t.del = xcalloc((size_t)argc, sizeof *t.del);
	for (i = 1 + thread; i < argc; i++) {
		if ((argv[i][0] != '+' && argv[i][0] != '-') ||
		    argv[i][1] == '\0' || strchr(argv[i], ' ') != NULL) {
			xcause(cause, "tag: '%s' is not +TAG or -TAG", argv[i]);
			free(t.add);
			free(t.del);
			return (-1);
		}
		if (argv[i][0] == '+')
			t.add[na++] = argv[i] + 1;
		else
			t.del[nd++] = argv[i] + 1;
	}
	rc = cmd_triage_run(&t, thread, cause);
	free(t.add);
	free(t.del);
	return (rc);
}

static int
cmd_move_exec(int argc, char **argv, char **cause)
{
	struct cmd_triage	 t = { "moved", NULL, NULL, NULL };
	int			 thread = cmd_thread_flag(argc, argv);

	if (argc - thread != 2) {
		xcause(cause, "usage: move [-t] FOLDER");
		return (-1);
	}
	t.folder = argv[1 + thread];
	return (cmd_triage_run(&t, thread, cause));
}

static int
cmd_undo_exec(int argc, char **argv, char **cause)
{
	struct store_index	*w;
	struct store_message	 m;
	struct engine_change	*c;
	char			*what;
	unsigned int		 n;
	int			 rc;

	if (cmd_undo.n == 0) {
		xcause(cause, "nothing to undo");
		return (-1);
	}
	if ((w = cmd_open_rw(cause)) == NULL)
		return (-1);
	c = cmd_undo.v[--cmd_undo.n];
	what = cmd_undo.what[cmd_undo.n];
	rc = engine_action_undo(cmd_get_env()->cfg, w, c, &n, cause);
	/* The cursor goes to what came back, as after undo in a list. */
	memset(&m, 0, sizeof m);
	if (engine_change_message(c) != NULL && store_index_find_message(w,
	    engine_change_message(c), &m, NULL) == STORE_OK)
		ui_focus(m.thread_id);
	store_message_release(&m);
	store_index_close(w);
	ui_refresh(0);
	cmd_sync_kick();
	if (rc == 0)
		ui_message("undone: %s (%u message%s); %d more to undo", what,
		    n, n == 1 ? "" : "s", cmd_undo.n);
	engine_change_free(c);
	free(what);
	return (rc);
}

const struct cmd_entry cmd_archive_entry = {
	"archive", "[-t]", "archive: drop the inbox tag (archive = move: "
	"and move to the archive folder)",
	0, 1, cmd_archive_exec
};
const struct cmd_entry cmd_delete_entry = {
	"delete", "[-t]", "move to the trash folder",
	0, 1, cmd_delete_exec
};
const struct cmd_entry cmd_flag_entry = {
	"flag", "[-t]", "flag, or unflag when flagged",
	0, 1, cmd_flag_exec
};
const struct cmd_entry cmd_toggle_read_entry = {
	"toggle-read", "[-t]", "mark read, or unread when read",
	0, 1, cmd_toggle_read_exec
};
const struct cmd_entry cmd_tag_entry = {
	"tag", "[-t] +TAG|-TAG ...", "add and remove tags",
	1, CMD_MAX_ARGS - 1, cmd_tag_exec
};
const struct cmd_entry cmd_move_entry = {
	"move", "[-t] FOLDER", "move to a folder of the same account",
	1, 2, cmd_move_exec
};
const struct cmd_entry cmd_undo_entry = {
	"undo", "", "take back the last action",
	0, 0, cmd_undo_exec
};
