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
 *
 * In the interface the write itself is a job for engine/jobs.c's thread:
 * the key resolves its target, the list shows the result at once
 * (ui_predict()), and when the job is done cmd_jobs_wake() settles the
 * views on what the index says, pushes the change for undo and reports.
 * Jobs run in order, so an undo pressed before its action is written
 * still finds it.  Without a jobs thread (no interface) a job runs at
 * once, on the caller's thread.
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

/*
 * One index write: an action, or the undo of one.  Shared by the queue,
 * the undo stack and an undo job (refs); touched by the jobs thread only
 * between its queueing and its return through cmd_jobs_wake().
 */
struct cmd_job {
	int			 refs;
	int			 undo;		/* an undo job */
	const char		*verb;		/* "archived" */
	char			**add;		/* NULL-terminated, or NULL */
	char			**del;
	char			*folder;	/* NULL: no move */
	char			*ids;		/* "id:... or id:..." */
	char			**threads;	/* the threads it touches */
	size_t			 n_threads;
	struct cmd_job		*of;		/* undo: the action */
	/* Results, from the jobs thread. */
	struct engine_change	*change;
	unsigned int		 tagged;
	unsigned int		 moved;
	int			 rc;
	char			*cause;
	char			*focus;		/* undo: a thread to show */
	int			 left;		/* undo: what is left to undo */
};

static struct {
	struct cmd_job		*v[CMD_UNDO_DEPTH];	/* oldest first */
	int			 n;
} cmd_undo;

/* A queued change the list could not show for sure: until it is written
 * the rows may be wrong, so the next action waits for it rather than act
 * on a thread that is about to go. */
static int	 cmd_unsure;

/* A NULL-terminated vector of names, copied (NULL stays NULL). */
static char **
cmd_names_dup(char *const *v)
{
	char	**copy;
	size_t	  n = 0, i;

	if (v == NULL)
		return (NULL);
	while (v[n] != NULL)
		n++;
	copy = xcalloc(n + 1, sizeof *copy);
	for (i = 0; i < n; i++)
		copy[i] = xstrdup(v[i]);
	return (copy);
}

static void
cmd_names_free(char **v)
{
	size_t	 i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

static void
cmd_job_unref(struct cmd_job *j)
{
	if (j == NULL || --j->refs > 0)
		return;
	cmd_names_free(j->add);
	cmd_names_free(j->del);
	free(j->folder);
	free(j->ids);
	store_free_names(j->threads, j->n_threads);
	cmd_job_unref(j->of);
	engine_change_free(j->change);
	free(j->cause);
	free(j->focus);
	free(j);
}

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

	for (i = 0; i < cmd_undo.n; i++)
		cmd_job_unref(cmd_undo.v[i]);
	cmd_undo.n = 0;
}

static void
cmd_undo_push(struct cmd_job *j)
{
	if (cmd_undo.n == CMD_UNDO_DEPTH) {
		cmd_job_unref(cmd_undo.v[0]);
		memmove(cmd_undo.v, cmd_undo.v + 1,
		    (CMD_UNDO_DEPTH - 1) * sizeof *cmd_undo.v);
		cmd_undo.n--;
	}
	j->refs++;
	cmd_undo.v[cmd_undo.n++] = j;
}

/* Takes an action that changed nothing off the stack, wherever it is. */
static void
cmd_undo_forget(struct cmd_job *j)
{
	int	 i;

	for (i = 0; i < cmd_undo.n; i++) {
		if (cmd_undo.v[i] != j)
			continue;
		memmove(cmd_undo.v + i, cmd_undo.v + i + 1,
		    (size_t)(cmd_undo.n - i - 1) * sizeof *cmd_undo.v);
		cmd_undo.n--;
		cmd_job_unref(j);
		return;
	}
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

/*
 * The target as "id:..." terms, one per message, NULL when it is empty;
 * the threads they are in go to j.
 */
static char *
cmd_resolve(const char *target, struct cmd_job *j, unsigned int *n,
    char **cause)
{
	struct store_messages	*ms;
	struct store_message	 m;
	struct buf		 b;
	char			*term;
	size_t			 i;

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
		for (i = 0; i < j->n_threads; i++) {
			if (strcmp(j->threads[i], m.thread_id) == 0)
				break;
		}
		if (i == j->n_threads) {
			j->threads = xreallocarray(j->threads,
			    j->n_threads + 1, sizeof *j->threads);
			j->threads[j->n_threads++] = m.thread_id;
			m.thread_id = NULL;
		}
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

/* On the jobs thread: the action, or its undo, written to the index. */
static void
cmd_job_run(void *arg)
{
	struct cmd_job		*j = arg;
	const struct config	*cfg = cmd_get_env()->cfg;
	struct store_index	*w;
	struct store_message	 m;
	const char		*id;

	if ((w = cmd_open_rw(&j->cause)) == NULL) {
		j->rc = -1;
		return;
	}
	if (j->undo) {
		j->rc = engine_action_undo(cfg, w, j->of->change, &j->tagged,
		    &j->cause);
		/* The cursor goes to what came back, as after undo in a
		 * list. */
		memset(&m, 0, sizeof m);
		if ((id = engine_change_message(j->of->change)) != NULL &&
		    store_index_find_message(w, id, &m, NULL) == STORE_OK) {
			j->focus = m.thread_id;
			m.thread_id = NULL;
		}
		store_message_release(&m);
	} else {
		j->change = engine_change_new();
		if (j->add != NULL || j->del != NULL)
			j->rc = engine_action_tag(cfg, w, j->ids, j->add,
			    j->del, j->change, &j->tagged, &j->cause);
		if (j->rc == 0 && j->folder != NULL)
			j->rc = engine_action_move(cfg, w, j->ids, j->folder,
			    j->change, &j->moved, &j->cause);
	}
	store_index_close(w);
}

/* On the UI thread, once the job is written: what the user sees. */
static void
cmd_job_done(void *arg)
{
	struct cmd_job	*j = arg;
	unsigned int	 n;

	if (j->undo) {
		if (j->focus != NULL)
			ui_focus(j->focus);
		ui_refresh(0);
		if (j->rc == 0)
			ui_message("undone: %s (%u message%s); %d more to "
			    "undo", j->of->verb, j->tagged,
			    j->tagged == 1 ? "" : "s", j->left);
	} else {
		/* Even a failed action may have changed some: it stays
		 * undoable; one that changed nothing leaves the stack. */
		if (j->change == NULL || engine_change_empty(j->change))
			cmd_undo_forget(j);
		ui_settle(j->threads, j->n_threads, 1);
		n = j->tagged > j->moved ? j->tagged : j->moved;
		if (j->rc == 0 && n == 0)
			ui_message("nothing to change");
		else if (j->rc == 0)
			ui_message("%s %u message%s", j->verb, n,
			    n == 1 ? "" : "s");
	}
	if (j->rc != 0)
		ui_error("%s: %s", j->undo ? "undo" : j->verb,
		    j->cause != NULL ? j->cause : "failed");
	cmd_sync_kick();
	cmd_job_unref(j);
}

static void	cmd_job_drop(void *);
static const struct engine_job_ops cmd_job_ops = {
	cmd_job_run, cmd_job_done, cmd_job_drop
};

/* After the interface: a failure can only be logged. */
static void
cmd_job_drop(void *arg)
{
	struct cmd_job	*j = arg;

	if (j->rc != 0)
		log_warnx("%s: %s", j->undo ? "undo" : j->verb,
		    j->cause != NULL ? j->cause : "failed");
	cmd_job_unref(j);
}

/* Writes the job in the background, or now when there is no thread. */
static void
cmd_job_queue(struct cmd_job *j)
{
	struct engine_jobs	*js = cmd_get_env()->jobs;

	if (js == NULL) {
		cmd_job_run(j);
		cmd_job_done(j);
		return;
	}
	engine_jobs_add(js, &cmd_job_ops, j);
}

void
cmd_jobs_wake(void)
{
	(void)engine_jobs_dispatch(cmd_get_env()->jobs);
}

/* Before reading what a pending job changes: let it finish. */
static void
cmd_jobs_settle(void)
{
	engine_jobs_drain(cmd_get_env()->jobs);
	cmd_unsure = 0;
}

void
cmd_jobs_stop(void)
{
	engine_jobs_stop(cmd_get_env()->jobs);
}

static int
cmd_triage_run(const struct cmd_triage *t, int thread, char **cause)
{
	struct cmd_job	*j;
	char		*target;
	unsigned int	 n;

	if (cmd_unsure)
		cmd_jobs_settle();
	if ((target = ui_target(thread, cause)) == NULL)
		return (-1);
	j = xcalloc(1, sizeof *j);
	j->refs = 1;
	j->ids = cmd_resolve(target, j, &n, cause);
	free(target);
	if (j->ids == NULL) {
		cmd_job_unref(j);
		return (-1);
	}
	if (cmd_get_env()->open_rw == NULL) {
		xcause(cause, "the index cannot be changed here");
		cmd_job_unref(j);
		return (-1);
	}
	j->verb = t->verb;
	j->add = cmd_names_dup(t->add);
	j->del = cmd_names_dup(t->del);
	j->folder = t->folder != NULL ? xstrdup(t->folder) : NULL;
	if (!ui_predict(j->threads, j->n_threads, j->add, j->del,
	    j->folder != NULL))
		cmd_unsure = 1;
	ui_select_clear();
	cmd_undo_push(j);
	cmd_job_queue(j);
	return (0);
}

/* Whether any message of the target has tag. */
static int
cmd_target_has(int thread, const char *tag, int *has, char **cause)
{
	char		*target, *q;
	unsigned int	 n = 0;
	int		 rc;

	cmd_jobs_settle();
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
	struct cmd_job	*j;

	if (cmd_undo.n == 0) {
		xcause(cause, "nothing to undo");
		return (-1);
	}
	if (cmd_get_env()->open_rw == NULL) {
		xcause(cause, "the index cannot be changed here");
		return (-1);
	}
	j = xcalloc(1, sizeof *j);
	j->refs = 1;
	j->undo = 1;
	j->of = cmd_undo.v[--cmd_undo.n];	/* the stack's reference */
	j->left = cmd_undo.n;
	cmd_job_queue(j);
	return (0);
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
