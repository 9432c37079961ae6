/*
 * cmd/cmd-sync.c: the accounts' background sync as the interface sees
 * it: worker events become the status line, messages and re-read views;
 * "sync" asks for a round now, "sync-cancel" drops a stuck connection.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "engine/engine.h"
#include "ui/ui.h"
#include "cmd/cmd.h"
#include "private.h"

/* What each account is doing, in the order they first reported. */
static struct {
	char	**name;
	char	**text;
	size_t	  n;
} cmd_sync_state;

static void
cmd_sync_set(const char *name, const char *text)
{
	struct buf	 b;
	size_t		 i;

	for (i = 0; i < cmd_sync_state.n; i++) {
		if (strcmp(cmd_sync_state.name[i], name) == 0)
			break;
	}
	if (i == cmd_sync_state.n) {
		cmd_sync_state.name = xreallocarray(cmd_sync_state.name, i + 1,
		    sizeof *cmd_sync_state.name);
		cmd_sync_state.text = xreallocarray(cmd_sync_state.text, i + 1,
		    sizeof *cmd_sync_state.text);
		cmd_sync_state.name[i] = xstrdup(name);
		cmd_sync_state.text[i] = NULL;
		cmd_sync_state.n++;
	}
	free(cmd_sync_state.text[i]);
	cmd_sync_state.text[i] = xstrdup(text);
	buf_init(&b);
	for (i = 0; i < cmd_sync_state.n; i++)
		buf_printf(&b, "%s%s: %s", i == 0 ? "" : "; ",
		    cmd_sync_state.name[i], cmd_sync_state.text[i]);
	ui_set_sync_status(b.data);
	buf_release(&b);
}

/* Accounts waiting for a password, oldest first: one question at a
 * time on the prompt line. */
static struct {
	char	**name;
	char	**question;
	size_t	  n;
} cmd_sync_asking;

static void	cmd_sync_ask_next(void);

static void
cmd_sync_answer(const char *secret, void *arg)
{
	size_t	 n = cmd_sync_asking.n;

	(void)arg;
	if (n == 0)
		return;
	(void)engine_workers_password(cmd_get_env()->workers,
	    cmd_sync_asking.name[0], secret);
	free(cmd_sync_asking.name[0]);
	free(cmd_sync_asking.question[0]);
	memmove(cmd_sync_asking.name, cmd_sync_asking.name + 1,
	    (n - 1) * sizeof *cmd_sync_asking.name);
	memmove(cmd_sync_asking.question, cmd_sync_asking.question + 1,
	    (n - 1) * sizeof *cmd_sync_asking.question);
	cmd_sync_asking.n--;
	cmd_sync_ask_next();
}

static void
cmd_sync_ask_next(void)
{
	if (cmd_sync_asking.n > 0 && !ui_prompting_secret())
		ui_prompt_secret(cmd_sync_asking.question[0], cmd_sync_answer,
		    NULL);
}

static void
cmd_sync_ask(const char *name, const char *question)
{
	size_t	 n = cmd_sync_asking.n;

	cmd_sync_asking.name = xreallocarray(cmd_sync_asking.name, n + 1,
	    sizeof *cmd_sync_asking.name);
	cmd_sync_asking.question = xreallocarray(cmd_sync_asking.question,
	    n + 1, sizeof *cmd_sync_asking.question);
	cmd_sync_asking.name[n] = xstrdup(name);
	xasprintf(&cmd_sync_asking.question[n], "%s: %s", name, question);
	cmd_sync_asking.n++;
	cmd_sync_ask_next();
}

void
cmd_sync_cleanup(void)
{
	size_t	 i;

	for (i = 0; i < cmd_sync_asking.n; i++) {
		free(cmd_sync_asking.name[i]);
		free(cmd_sync_asking.question[i]);
	}
	free(cmd_sync_asking.name);
	free(cmd_sync_asking.question);
	memset(&cmd_sync_asking, 0, sizeof cmd_sync_asking);

	for (i = 0; i < cmd_sync_state.n; i++) {
		free(cmd_sync_state.name[i]);
		free(cmd_sync_state.text[i]);
	}
	free(cmd_sync_state.name);
	free(cmd_sync_state.text);
	memset(&cmd_sync_state, 0, sizeof cmd_sync_state);
}

void
cmd_wake(void)
{
	struct engine_workers	*ws = cmd_get_env()->workers;
	struct engine_event	 ev;
	int			 changed = 0;

	while (engine_workers_next(ws, &ev)) {
		switch (ev.kind) {
		case ENGINE_EVENT_STATUS:
			cmd_sync_set(ev.account, ev.text);
			break;
		case ENGINE_EVENT_CHANGED:
			changed = 1;
			if (*ev.text != '\0')
				ui_message("%s: %s", ev.account, ev.text);
			break;
		case ENGINE_EVENT_ERROR:
			cmd_sync_set(ev.account, "offline (retrying)");
			ui_error("%s: %s", ev.account, ev.text);
			break;
		case ENGINE_EVENT_PASSWORD:
			cmd_sync_set(ev.account, "waiting for a password");
			cmd_sync_ask(ev.account, ev.text);
			break;
		}
		engine_event_release(&ev);
	}
	if (changed)
		ui_refresh(0);
}

/* After a local action: let the workers replay it soon. */
void
cmd_sync_kick(void)
{
	(void)engine_workers_kick(cmd_get_env()->workers, NULL);
}

static int
cmd_sync_exec(int argc, char **argv, char **cause)
{
	struct engine_workers	*ws = cmd_get_env()->workers;
	const char		*name = argc > 1 ? argv[1] : NULL;

	if (engine_workers_count(ws) == 0) {
		xcause(cause, "no IMAP or POP3 account to sync");
		return (-1);
	}
	if (engine_workers_kick(ws, name) == 0) {
		xcause(cause, "no account '%s' to sync", name);
		return (-1);
	}
	ui_message("syncing %s", name != NULL ? name : "all accounts");
	return (0);
}

static int
cmd_sync_cancel_exec(int argc, char **argv, char **cause)
{
	struct engine_workers	*ws = cmd_get_env()->workers;
	const char		*name = argc > 1 ? argv[1] : NULL;

	if (engine_workers_cancel(ws, name) == 0) {
		xcause(cause, name != NULL ? "no account '%s'" :
		    "no account is syncing%s", name != NULL ? name : "");
		return (-1);
	}
	ui_message("cancelling %s", name != NULL ? name : "every connection");
	return (0);
}

const struct cmd_entry cmd_sync_entry = {
	"sync", "[ACCOUNT]", "sync now (all accounts, or one)",
	0, 1, cmd_sync_exec
};
const struct cmd_entry cmd_sync_cancel_entry = {
	"sync-cancel", "[ACCOUNT]", "drop the connection in progress; the "
	"sync is tried again later",
	0, 1, cmd_sync_cancel_exec
};
