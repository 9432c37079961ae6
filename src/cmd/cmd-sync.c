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

/* An account and a line of text about it. */
struct cmd_sync_note {
	char	*account;
	char	*text;
};
struct cmd_sync_notes {
	struct cmd_sync_note	*v;
	size_t			 n;
};

/* What each account is doing, in the order they first reported. */
static struct cmd_sync_notes	 cmd_sync_state;
/* Accounts waiting for a password, oldest first: one question at a
 * time on the prompt line. */
static struct cmd_sync_notes	 cmd_sync_asking;
/* The last error each account reported, until it syncs again: a retry
 * that fails the same way (every action kicks one) says nothing new. */
static struct cmd_sync_notes	 cmd_sync_errors;

/* Appends a note; takes ownership of text. */
static void
cmd_sync_add(struct cmd_sync_notes *l, const char *account, char *text)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n].account = xstrdup(account);
	l->v[l->n++].text = text;
}

static void
cmd_sync_drop_first(struct cmd_sync_notes *l)
{
	free(l->v[0].account);
	free(l->v[0].text);
	memmove(l->v, l->v + 1, (l->n - 1) * sizeof *l->v);
	l->n--;
}

static void
cmd_sync_clear(struct cmd_sync_notes *l)
{
	while (l->n > 0)
		cmd_sync_drop_first(l);
	free(l->v);
	l->v = NULL;
}

static void
cmd_sync_set(const char *account, const char *text)
{
	struct buf	 b;
	size_t		 i;

	for (i = 0; i < cmd_sync_state.n; i++) {
		if (strcmp(cmd_sync_state.v[i].account, account) == 0)
			break;
	}
	if (i == cmd_sync_state.n)
		cmd_sync_add(&cmd_sync_state, account, xstrdup(text));
	else {
		free(cmd_sync_state.v[i].text);
		cmd_sync_state.v[i].text = xstrdup(text);
	}
	buf_init(&b);
	for (i = 0; i < cmd_sync_state.n; i++)
		buf_printf(&b, "%s%s: %s", i == 0 ? "" : "; ",
		    cmd_sync_state.v[i].account, cmd_sync_state.v[i].text);
	ui_set_sync_status(b.data);
	buf_release(&b);
}

static void	cmd_sync_ask_next(void);

static void
cmd_sync_answer(const char *secret, void *arg)
{
	(void)arg;
	if (cmd_sync_asking.n == 0)
		return;
	(void)engine_workers_password(cmd_get_env()->workers,
	    cmd_sync_asking.v[0].account, secret);
	cmd_sync_drop_first(&cmd_sync_asking);
	cmd_sync_ask_next();
}

static void
cmd_sync_ask_next(void)
{
	if (cmd_sync_asking.n > 0 && !ui_prompting_question())
		ui_prompt_secret(cmd_sync_asking.v[0].text, cmd_sync_answer,
		    NULL);
}

static void
cmd_sync_ask(const char *account, const char *question)
{
	char	*label;

	xasprintf(&label, "%s: %s", account, question);
	cmd_sync_add(&cmd_sync_asking, account, label);
	cmd_sync_ask_next();
}

/* Whether text is news for account: not the error it last reported. */
static int
cmd_sync_new_error(const char *account, const char *text)
{
	size_t	 i;

	for (i = 0; i < cmd_sync_errors.n; i++) {
		if (strcmp(cmd_sync_errors.v[i].account, account) != 0)
			continue;
		if (strcmp(cmd_sync_errors.v[i].text, text) == 0)
			return (0);
		free(cmd_sync_errors.v[i].text);
		cmd_sync_errors.v[i].text = xstrdup(text);
		return (1);
	}
	cmd_sync_add(&cmd_sync_errors, account, xstrdup(text));
	return (1);
}

/* The account synced: its next error is news again. */
static void
cmd_sync_forget_error(const char *account)
{
	size_t	 i;

	for (i = 0; i < cmd_sync_errors.n; i++) {
		if (strcmp(cmd_sync_errors.v[i].account, account) != 0)
			continue;
		free(cmd_sync_errors.v[i].account);
		free(cmd_sync_errors.v[i].text);
		cmd_sync_errors.v[i] = cmd_sync_errors.v[--cmd_sync_errors.n];
		return;
	}
}

void
cmd_sync_cleanup(void)
{
	cmd_sync_clear(&cmd_sync_errors);
	cmd_sync_clear(&cmd_sync_asking);
	cmd_sync_clear(&cmd_sync_state);
}

void
cmd_wake(void)
{
	struct engine_workers	*ws = cmd_get_env()->workers;
	struct engine_event	 ev;
	int			 changed = 0, renamed = 0;

	cmd_jobs_wake();
	while (engine_workers_next(ws, &ev)) {
		switch (ev.kind) {
		case ENGINE_EVENT_STATUS:
			cmd_sync_set(ev.account, ev.text);
			if (strncmp(ev.text, "synced", 6) == 0)
				cmd_sync_forget_error(ev.account);
			break;
		case ENGINE_EVENT_CHANGED:
			/* "": only our own replays, which rename files. */
			if (*ev.text == '\0')
				renamed = 1;
			else {
				changed = 1;
				ui_message("%s: %s", ev.account, ev.text);
			}
			break;
		case ENGINE_EVENT_ERROR:
			cmd_sync_set(ev.account, "offline (retrying)");
			if (cmd_sync_new_error(ev.account, ev.text))
				ui_error("%s: %s", ev.account, ev.text);
			break;
		case ENGINE_EVENT_PASSWORD:
			cmd_sync_set(ev.account, "waiting for a password");
			cmd_sync_ask(ev.account, ev.text);
			break;
		case ENGINE_EVENT_SENT:
			cmd_sync_set(ev.account, ev.text);
			if (strncmp(ev.text, "sent:", 5) == 0)
				ui_message("%s: %s", ev.account, ev.text);
			else
				ui_error("%s: %s", ev.account, ev.text);
			break;
		}
		engine_event_release(&ev);
	}
	if (changed)
		ui_refresh(0);
	else if (renamed)
		ui_settle(NULL, 0, 0);
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
