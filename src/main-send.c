/*
 * main-send.c: satchel send, the outbox from the shell (and cron).
 *
 *	satchel send [-q] [ACCOUNT]		send what is queued
 *	satchel send --queue FILE [-a ACCOUNT]	queue a message, then send
 *	satchel send --list [ACCOUNT]		what is queued, and why
 */
#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/core.h"
#include "mime/mime.h"
#include "store/store.h"
#include "engine/engine.h"
#include "main.h"

/* Messages read from a file or stdin are at most this big. */
#define MAIN_SEND_MAX	(64u * 1024 * 1024)

static volatile sig_atomic_t main_send_stop;

static void
main_send_usage(FILE *f)
{
	fprintf(f,
	    "usage: satchel send [-q] [ACCOUNT]\n"
	    "       satchel send [-q] --queue FILE|- [-a ACCOUNT]\n"
	    "       satchel send --list [ACCOUNT]\n"
	    "Send the mail queued in the outbox of every account that sends\n"
	    "(or of ACCOUNT): one line per message sent or left queued, with\n"
	    "why.  The exit status is 1 when a message stays queued.\n"
	    "  -Q, --queue FILE  first queue the message in FILE (- for\n"
	    "                    stdin); its account is -a, else the one\n"
	    "                    whose email is its From, else the only\n"
	    "                    account that sends\n"
	    "  -a, --account A   the account to queue for\n"
	    "  -l, --list        only list what is queued, and why\n"
	    "  -q, --quiet       no line for messages sent\n");
}

static void
main_send_signal(int sig)
{
	(void)sig;
	main_send_stop = 1;
}

/* One sanitised line: "sent: ACCOUNT: Subject (to a, b)[: why]". */
static void
main_send_line(FILE *f, const char *what, const struct engine_outbox_item *it)
{
	struct buf	 b;
	char		*clean;

	buf_init(&b);
	buf_printf(&b, "%s: %s: %s", what, it->account,
	    it->subject != NULL && *it->subject != '\0' ? it->subject :
	    "(no subject)");
	if (it->rcpts != NULL)
		buf_printf(&b, " (to %s)", it->rcpts);
	if (it->reason != NULL)
		buf_printf(&b, ": %s", it->reason);
	clean = text_sanitize(b.data, b.len, 0);
	fprintf(f, "%s\n", clean);
	free(clean);
	buf_release(&b);
}

static void
main_send_report(const struct engine_outbox_item *it, int sent, void *arg)
{
	int	*quiet = arg;

	if (!sent)
		main_send_line(stdout, it->permanent ? "failed, kept" :
		    "queued", it);
	else if (!*quiet)
		main_send_line(stdout, "sent", it);
}

static int
main_send_any(const struct config *cfg)
{
	size_t	 i;

	for (i = 0; i < cfg->n_accounts; i++) {
		if (cfg->accounts[i].smtp_host != NULL ||
		    cfg->accounts[i].sendmail_command != NULL)
			return (1);
	}
	return (0);
}

/* The account to queue data for; NULL after saying why not. */
static const struct config_account *
main_send_account(const struct config *cfg, const char *name,
    const char *data, size_t len)
{
	const struct config_account	*a, *only = NULL;
	struct mime_envelope		 e;
	size_t				 i, senders = 0;

	for (i = 0; i < cfg->n_accounts; i++) {
		a = &cfg->accounts[i];
		if (name != NULL && strcmp(a->name, name) == 0)
			return (a);
		if (a->smtp_host != NULL || a->sendmail_command != NULL) {
			senders++;
			only = a;
		}
	}
	if (name != NULL) {
		main_error("send: no account '%s'", name);
		return (NULL);
	}
	if (mime_envelope_read(data, len, &e, NULL) == 0) {
		for (i = 0; e.from != NULL && i < cfg->n_accounts; i++) {
			a = &cfg->accounts[i];
			if (a->email != NULL &&
			    strcasecmp(a->email, e.from) == 0) {
				mime_envelope_release(&e);
				return (a);
			}
		}
		mime_envelope_release(&e);
	}
	if (senders == 1)
		return (only);
	main_error("send: %s; name the account with -a",
	    senders == 0 ? "no account can send (set smtp_host or "
	    "sendmail_command)" : "the From address is no account's email");
	return (NULL);
}

/* Reads FILE (or stdin for "-") and queues it; 0 or -1 (said why). */
static int
main_send_queue(const struct config *cfg, const char *file,
    const char *name, const char **account)
{
	const struct config_account	*a;
	struct buf			 b;
	char				*cause = NULL, chunk[8192];
	size_t				 n;
	int				 rc = -1;

	buf_init(&b);
	if (strcmp(file, "-") == 0) {
		while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
			if (b.len + n > MAIN_SEND_MAX) {
				main_error("send: the message on stdin is "
				    "larger than %u bytes", MAIN_SEND_MAX);
				goto out;
			}
			buf_add(&b, chunk, n);
		}
	} else if (buf_read_file(&b, file, MAIN_SEND_MAX, &cause) != 0) {
		main_error("send: %s", cause);
		goto out;
	}
	if ((a = main_send_account(cfg, name, b.data, b.len)) == NULL)
		goto out;
	if (engine_outbox_queue(cfg, a, b.data, b.len, NULL, &cause) != 0) {
		main_error("send: cannot queue '%s': %s", file, cause);
		goto out;
	}
	*account = a->name;
	rc = 0;
out:
	free(cause);
	buf_release(&b);
	return (rc);
}

static int
main_send_list(const struct config *cfg, const char *account)
{
	struct engine_outbox_item	*items;
	char				*cause = NULL;
	size_t				 n, i;

	if (engine_outbox_list(cfg, account, &items, &n, &cause) != 0) {
		main_error("send: %s", cause);
		free(cause);
		return (MAIN_EXIT_FAILURE);
	}
	for (i = 0; i < n; i++) {
		main_send_line(stdout, items[i].reason == NULL ? "queued" :
		    items[i].permanent ? "failed, kept" : "queued", &items[i]);
	}
	engine_outbox_items_free(items, n);
	return (n == 0 ? 0 : MAIN_EXIT_FAILURE);
}

int
main_send(struct main_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "queue", required_argument, NULL, 'Q' },
		{ "account", required_argument, NULL, 'a' },
		{ "list", no_argument, NULL, 'l' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct config		*cfg = &ctx->cfg;
	struct engine_outbox_opts	 o;
	struct engine_outbox_stats	 st;
	struct sigaction		 sa, old_int, old_term;
	const char			*file = NULL, *name = NULL;
	const char			*account = NULL;
	char				*cause = NULL;
	int				 ch, quiet = 0, list = 0, rc;

	while ((ch = getopt_long(argc, argv, "Q:a:lqh", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'Q':
			file = optarg;
			break;
		case 'a':
			name = optarg;
			break;
		case 'l':
			list = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			main_send_usage(stdout);
			return (0);
		default:
			main_send_usage(stderr);
			return (MAIN_EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1 || (argc == 1 && (file != NULL || name != NULL)) ||
	    (list && (file != NULL || name != NULL))) {
		main_send_usage(stderr);
		return (MAIN_EXIT_USAGE);
	}
	if (argc == 1)
		account = argv[0];
	if (account == NULL && file == NULL && !main_send_any(cfg)) {
		main_error("send: no account in %s sends mail (set smtp_host "
		    "or sendmail_command, see satchel.conf(5))",
		    cfg->path != NULL ? cfg->path : "the configuration");
		return (MAIN_EXIT_FAILURE);
	}
	if (list)
		return (main_send_list(cfg, account));
	if (file != NULL && main_send_queue(cfg, file, name, &account) != 0)
		return (MAIN_EXIT_FAILURE);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = main_send_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	memset(&o, 0, sizeof o);
	o.report = main_send_report;
	o.arg = &quiet;
	o.stop = &main_send_stop;
	rc = engine_outbox_flush(cfg, account, &o, &st, &cause);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (rc != 0) {
		main_error("send: %s", cause != NULL ? cause : "failed");
		free(cause);
		return (MAIN_EXIT_FAILURE);
	}
	if (st.busy > 0)
		main_error("send: another satchel is sending from %u "
		    "outbox%s; its mail is left to it", st.busy,
		    st.busy == 1 ? "" : "es");
	if (st.queued > 0)
		main_error("send: %u message%s still queued", st.queued,
		    st.queued == 1 ? "" : "s");
	return (st.queued > 0 || st.busy > 0 ? MAIN_EXIT_FAILURE : 0);
}
