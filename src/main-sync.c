/*
 * main-sync.c: the subcommands that change mail: sync, tag and move.
 */
#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "store/store.h"
#include "engine/engine.h"
#include "main.h"

/* satchel sync ------------------------------------------------------- */

static void
main_sync_usage(FILE *f)
{
	fprintf(f,
	    "usage: satchel sync [-q] [ACCOUNT...]\n"
	    "Bring IMAP and POP3 accounts (all, or those named) in step with\n"
	    "their servers: new mail in, flag changes both ways, the journal of\n"
	    "offline actions replayed; then index what changed.  Silent unless\n"
	    "on a terminal; the exit status is 1 if any account failed.\n"
	    "  -q, --quiet   no progress line and no summary\n");
}

static volatile sig_atomic_t main_sync_stop;

static void
main_sync_signal(int sig)
{
	(void)sig;
	main_sync_stop = 1;
}

struct main_sync_progress {
	const char	*account;
};

static void
main_sync_progress(const struct engine_sync_stats *st, const char *folder,
    void *arg)
{
	struct main_sync_progress	*p = arg;
	char				*clean;

	clean = text_sanitize(folder, strlen(folder), 0);
	if (st->total > 0)
		fprintf(stderr, "\r\033[K%s: %s: %u/%u", p->account, clean,
		    st->done, st->total);
	else
		fprintf(stderr, "\r\033[K%s: %s", p->account, clean);
	free(clean);
	fflush(stderr);
}

static int
main_sync_wanted(const struct config_account *a, int argc, char **argv)
{
	int	 i;

	if (argc == 0)
		return (a->type != CONFIG_ACCOUNT_MAILDIR);
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], a->name) == 0)
			return (1);
	}
	return (0);
}

int
main_sync(struct main_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct config		*cfg = &ctx->cfg;
	const struct config_account	*a;
	struct engine_sync_opts		 o;
	struct engine_sync_stats	 st;
	struct main_sync_progress	 p;
	struct store_index		*idx;
	struct sigaction		 sa, old_int, old_term;
	char				*cause = NULL;
	size_t				 i, j;
	int				 ch, quiet = 0, tty, failed = 0, rc;
	int				 any = 0;

	while ((ch = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'q':
			quiet = 1;
			break;
		case 'h':
			main_sync_usage(stdout);
			return (0);
		default:
			main_sync_usage(stderr);
			return (MAIN_EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	for (j = 0; j < (size_t)argc; j++) {
		for (i = 0; i < cfg->n_accounts; i++) {
			if (strcmp(cfg->accounts[i].name, argv[j]) == 0)
				break;
		}
		if (i == cfg->n_accounts) {
			main_error("sync: no account '%s' in %s", argv[j],
			    cfg->path != NULL ? cfg->path : "the configuration");
			return (MAIN_EXIT_USAGE);
		}
		if (cfg->accounts[i].type == CONFIG_ACCOUNT_MAILDIR) {
			main_error("sync: account '%s' is a local Maildir: "
			    "nothing to synchronise", argv[j]);
			return (MAIN_EXIT_USAGE);
		}
	}
	tty = !quiet && isatty(STDERR_FILENO);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = main_sync_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	for (i = 0; i < cfg->n_accounts && !main_sync_stop; i++) {
		a = &cfg->accounts[i];
		if (!main_sync_wanted(a, argc, argv))
			continue;
		any = 1;
		memset(&o, 0, sizeof o);
		memset(&st, 0, sizeof st);
		p.account = a->name;
		o.progress = tty ? main_sync_progress : NULL;
		o.arg = &p;
		o.stop = &main_sync_stop;
		if (a->type == CONFIG_ACCOUNT_IMAP)
			rc = engine_sync_imap(cfg, a, &o, &st, &cause);
		else
			rc = engine_sync_pop(cfg, a, &o, &st, &cause);
		if (tty)
			fprintf(stderr, "\r\033[K");
		if (rc != 0) {
			main_error("sync %s: %s", a->name,
			    cause != NULL ? cause : "failed");
			free(cause);
			cause = NULL;
			failed = 1;
			continue;
		}
		if (tty)
			printf("%s: %u folder%s, %u new, %u uploaded, flags "
			    "%u up %u down, %u removed, %u replayed%s\n",
			    a->name, st.folders, st.folders == 1 ? "" : "s",
			    st.fetched, st.uploaded, st.flags_pushed,
			    st.flags_pulled, st.expunged, st.replayed,
			    st.skipped > 0 ? ", some skipped (see the log)" :
			    "");
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (!any && argc == 0) {
		main_error("sync: no IMAP or POP3 account in %s",
		    cfg->path != NULL ? cfg->path : "the configuration "
		    "(see satchel.conf(5))");
		return (MAIN_EXIT_FAILURE);
	}

	/* What the sync wrote reaches the index even after a failure. */
	if (main_open_index(ctx, STORE_INDEX_READ_WRITE, &idx) != 0)
		return (MAIN_EXIT_FAILURE);
	rc = engine_ingest_scan(idx, NULL, NULL, &cause);
	store_index_close(idx);
	if (rc != 0) {
		main_error("sync: index: %s", cause != NULL ? cause : "failed");
		free(cause);
		return (MAIN_EXIT_FAILURE);
	}
	return (failed || main_sync_stop ? MAIN_EXIT_FAILURE : 0);
}

/* satchel tag, satchel move ------------------------------------------ */

static void
main_tag_usage(FILE *f)
{
	fprintf(f,
	    "usage: satchel tag +TAG|-TAG... [--] QUERY...\n"
	    "Add (+) and remove (-) tags of the messages QUERY matches.  For\n"
	    "messages of IMAP accounts the change is journaled and reaches the\n"
	    "server at the next sync (flags for unread, flagged, replied,\n"
	    "draft and deleted; keywords for other tags).\n");
}

int
main_tag(struct main_ctx *ctx, int argc, char **argv)
{
	struct store_index	*idx;
	char			**add, **del, *query, *cause = NULL;
	size_t			 na = 0, nd = 0;
	unsigned int		 count;
	int			 i, rc;

	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0)) {
		main_tag_usage(stdout);
		return (0);
	}
	add = xcalloc((size_t)argc + 1, sizeof *add);
	del = xcalloc((size_t)argc + 1, sizeof *del);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if ((argv[i][0] != '+' && argv[i][0] != '-') ||
		    argv[i][1] == '\0')
			break;
		if (argv[i][0] == '+')
			add[na++] = argv[i] + 1;
		else
			del[nd++] = argv[i] + 1;
	}
	if (i == argc || na + nd == 0) {
		main_tag_usage(stderr);
		free(add);
		free(del);
		return (MAIN_EXIT_USAGE);
	}
	query = main_join(argc - i, argv + i);
	rc = MAIN_EXIT_FAILURE;
	if (main_open_index(ctx, STORE_INDEX_READ_WRITE, &idx) == 0) {
		if (engine_action_tag(&ctx->cfg, idx, query, add, del, NULL,
		    &count, &cause) == 0)
			rc = 0;
		else {
			main_error("tag: %s", cause != NULL ? cause : "failed");
			free(cause);
		}
		store_index_close(idx);
	}
	free(query);
	free(add);
	free(del);
	return (rc);
}

static void
main_move_usage(FILE *f)
{
	fprintf(f,
	    "usage: satchel move FOLDER [--] QUERY...\n"
	    "Move the messages QUERY matches into FOLDER of their own account\n"
	    "(\"archive\" and \"trash\" name the account's archive_folder and\n"
	    "trash_folder).  For IMAP accounts the move is journaled and\n"
	    "happens on the server at the next sync.\n");
}

int
main_move(struct main_ctx *ctx, int argc, char **argv)
{
	struct store_index	*idx;
	char			*query, *cause = NULL;
	unsigned int		 count;
	int			 first = 2, rc;

	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0)) {
		main_move_usage(stdout);
		return (0);
	}
	if (argc > 2 && strcmp(argv[2], "--") == 0)
		first = 3;
	if (argc <= first) {
		main_move_usage(stderr);
		return (MAIN_EXIT_USAGE);
	}
	query = main_join(argc - first, argv + first);
	rc = MAIN_EXIT_FAILURE;
	if (main_open_index(ctx, STORE_INDEX_READ_WRITE, &idx) == 0) {
		if (engine_action_move(&ctx->cfg, idx, query, argv[1], NULL,
		    &count, &cause) == 0)
			rc = 0;
		else {
			main_error("move: %s", cause != NULL ? cause : "failed");
			free(cause);
		}
		store_index_close(idx);
	}
	free(query);
	return (rc);
}
