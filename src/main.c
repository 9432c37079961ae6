/*
 * main.c: options, configuration and subcommands.
 *
 *	satchel [-v] [-c FILE] [tui [QUERY]]	the interface (the default)
 *	satchel [-v] [-c FILE] index		index new and changed mail
 *	satchel [-v] [-c FILE] search QUERY	search, like notmuch search
 *	satchel [-v] [-c FILE] show QUERY	print messages as the pager does
 *
 * Every failure is one line on stderr naming what failed and why, and a
 * non-zero exit: 1 for a failure, 2 for bad usage.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "mime/mime.h"
#include "net/net.h"
#include "store/store.h"
#include "cal/cal.h"
#include "engine/engine.h"
#include "ui/ui.h"
#include "cmd/cmd.h"

#include "main.h"

struct main_command {
	const char	*name;
	const char	*summary;
	int		(*run)(struct main_ctx *, int, char **);
};

static const char *main_progname = "satchel";

void
main_error(const char *fmt, ...)
{
	va_list	 ap;
	char	*msg, *clean;
	int	 n;

	va_start(ap, fmt);
	n = xvasprintf(&msg, fmt, ap);
	va_end(ap);
	/* A cause may quote a file name or a header: never raw to a tty. */
	clean = text_sanitize(msg, (size_t)n, 0);
	fprintf(stderr, "%s: %s\n", main_progname, clean);
	free(clean);
	free(msg);
}

/* Joins words into one query, as notmuch does with its arguments. */
char *
main_join(int argc, char **argv)
{
	struct buf	 b;
	int		 i;

	buf_init(&b);
	for (i = 0; i < argc; i++) {
		if (i > 0)
			buf_addch(&b, ' ');
		buf_addstr(&b, argv[i]);
	}
	return (buf_detach(&b, NULL));
}

/* Where the configuration says the index is; borrowed from ctx. */
static void
main_index_options(struct main_ctx *ctx, struct store_index_options *o,
    int create)
{
	struct config	*cfg = &ctx->cfg;

	memset(o, 0, sizeof *o);
	o->notmuch_config = cfg->notmuch_config;
	o->mail_root = cfg->mail_root;
	o->database = cfg->database;
	if (cfg->have_new_tags) {
		o->new_tags = (const char *const *)cfg->new_tags;
		o->n_new_tags = cfg->n_new_tags;
	}
	if (cfg->have_exclude_tags) {
		o->exclude_tags = (const char *const *)cfg->exclude_tags;
		o->n_exclude_tags = cfg->n_exclude_tags;
	}
	o->synchronize_flags = cfg->have_synchronize_flags ?
	    cfg->synchronize_flags : -1;
	o->create = create;
}

/*
 * Opens the index the configuration names.  Read-only opens never create:
 * a missing database is a hint to run "satchel index".
 */
int
main_open_index(struct main_ctx *ctx, enum store_index_mode mode,
    struct store_index **idx)
{
	struct store_index_options	 o;
	enum store_status		 st;
	char				*cause = NULL;

	main_index_options(ctx, &o, mode == STORE_INDEX_READ_WRITE);
	st = store_index_open(&o, mode, idx, &cause);
	if (st == STORE_OK)
		return (0);
	if (st == STORE_ENOENT)
		main_error("%s (run 'satchel index' to create it)",
		    cause != NULL ? cause : store_strerror(st));
	else
		main_error("%s", cause != NULL ? cause : store_strerror(st));
	free(cause);
	return (-1);
}

/* satchel index ------------------------------------------------------ */

static void
main_index_usage(FILE *f)
{
	fprintf(f,
	    "usage: satchel index [-q]\n"
	    "Index new and changed files under the mail root into the notmuch\n"
	    "database, creating it on first use.  New messages get the new-mail\n"
	    "tags (new_tags) and the tags their Maildir flags stand for.\n"
	    "  -q, --quiet   no progress line and no summary\n");
}

static void
main_index_progress(const struct engine_ingest_stats *st, void *arg)
{
	double	 rate;

	(void)arg;
	rate = st->elapsed > 0 ? (double)st->done / st->elapsed : 0;
	if (st->phase == ENGINE_INGEST_SCAN)
		fprintf(stderr, "\rscanning: %u directories, %u files ",
		    st->dirs, st->found);
	else
		fprintf(stderr, "\rindexing: %u/%u files (%.0f/s) ", st->done,
		    st->total, rate);
	fflush(stderr);
}

static volatile sig_atomic_t main_index_stop;

static void
main_index_signal(int sig)
{
	(void)sig;
	main_index_stop = 1;
}

static int
main_index(struct main_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct engine_ingest_opts	 o;
	struct engine_ingest_stats	 st;
	struct store_index		*idx;
	struct sigaction		 sa, old_int, old_term;
	char				*cause = NULL;
	int				 ch, quiet = 0, tty, rc;

	while ((ch = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'q':
			quiet = 1;
			break;
		case 'h':
			main_index_usage(stdout);
			return (0);
		default:
			main_index_usage(stderr);
			return (MAIN_EXIT_USAGE);
		}
	}
	if (optind != argc) {
		main_index_usage(stderr);
		return (MAIN_EXIT_USAGE);
	}
	if (main_open_index(ctx, STORE_INDEX_READ_WRITE, &idx) != 0)
		return (MAIN_EXIT_FAILURE);
	tty = !quiet && isatty(STDERR_FILENO);
	memset(&o, 0, sizeof o);
	o.progress = tty ? main_index_progress : NULL;
	/* Ctrl-C ends the run between files; what was indexed stays. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = main_index_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	o.stop = &main_index_stop;
	rc = engine_ingest_scan(idx, &o, &st, &cause);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (tty)
		fprintf(stderr, "\r\033[K");
	store_index_close(idx);
	if (rc != 0) {
		main_error("index: %s", cause != NULL ? cause : "failed");
		free(cause);
		return (MAIN_EXIT_FAILURE);
	}
	if (!quiet)
		printf("indexed %u file%s in %.1f s: %u new message%s, "
		    "%u more file%s of known messages, %u file%s gone, "
		    "%u not mail\n", st.added, st.added == 1 ? "" : "s",
		    st.elapsed, st.new_messages,
		    st.new_messages == 1 ? "" : "s", st.updated,
		    st.updated == 1 ? "" : "s", st.removed,
		    st.removed == 1 ? "" : "s", st.skipped);
	return (0);
}

/* satchel search ----------------------------------------------------- */

static void
main_search_usage(FILE *f)
{
	fprintf(f,
	    "usage: satchel search [--format=text|json] "
	    "[--output=threads|messages]\n"
	    "                      [--sort=newest-first|oldest-first] "
	    "[--limit=N] QUERY...\n"
	    "Search the index with notmuch query syntax, like notmuch search.\n");
}

static void
main_search_tags(struct buf *b, char **tags, size_t n, int json)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addstr(b, json ? "," : " ");
		if (json)
			json_string(b, tags[i]);
		else
			buf_addstr(b, tags[i]);
	}
}

static void
main_print_line(struct buf *b)
{
	char	*clean;

	clean = text_sanitize(b->data, b->len, 0);
	printf("%s\n", clean);
	free(clean);
	buf_clear(b);
}

static int
main_search_threads(struct store_index *idx, const char *query,
    enum store_sort sort, long long limit, int json, char **cause)
{
	struct store_threads	*it;
	struct store_thread	 t;
	struct buf		 b;
	long long		 n = 0;
	time_t			 now = date_now();

	if (store_index_search_threads(idx, query, sort, &it, cause) !=
	    STORE_OK)
		return (-1);
	buf_init(&b);
	if (json)
		printf("[");
	while ((limit < 0 || n < limit) && store_threads_next(it, &t)) {
		if (json) {
			buf_printf(&b, "%s{\"thread\":", n > 0 ? ",\n" : "");
			json_string(&b, t.thread_id);
			buf_printf(&b, ",\"timestamp\":%lld,\"date\":\"",
			    (long long)t.newest);
			date_iso(&b, t.newest);
			buf_printf(&b, "\",\"matched\":%u,\"total\":%u,"
			    "\"authors\":", t.matched, t.total);
			json_string(&b, t.authors != NULL ? t.authors : "");
			buf_addstr(&b, ",\"subject\":");
			json_string(&b, t.subject != NULL ? t.subject : "");
			buf_addstr(&b, ",\"tags\":[");
			main_search_tags(&b, t.tags, t.n_tags, 1);
			buf_addstr(&b, "]}");
			fwrite(b.data, 1, b.len, stdout);
			buf_clear(&b);
		} else {
			buf_printf(&b, "thread:%s  ", t.thread_id);
			date_short(&b, t.newest, now);
			buf_printf(&b, " [%u/%u] %s; %s (", t.matched, t.total,
			    t.authors != NULL ? t.authors : "",
			    t.subject != NULL ? t.subject : "");
			main_search_tags(&b, t.tags, t.n_tags, 0);
			buf_addch(&b, ')');
			main_print_line(&b);
		}
		store_thread_release(&t);
		n++;
	}
	if (json)
		printf("]\n");
	buf_release(&b);
	store_threads_free(it);
	return (0);
}

static int
main_search_messages(struct store_index *idx, const char *query,
    enum store_sort sort, long long limit, int json, char **cause)
{
	struct store_messages	*it;
	struct store_message	 m;
	struct buf		 b;
	long long		 n = 0;

	if (store_index_search_messages(idx, query, sort, &it, cause) !=
	    STORE_OK)
		return (-1);
	buf_init(&b);
	if (json)
		printf("[");
	while ((limit < 0 || n < limit) && store_messages_next(it, &m)) {
		if (json) {
			buf_printf(&b, "%s{\"id\":", n > 0 ? ",\n" : "");
			json_string(&b, m.message_id);
			buf_addstr(&b, ",\"thread\":");
			json_string(&b, m.thread_id);
			buf_printf(&b, ",\"timestamp\":%lld,\"date\":\"",
			    (long long)m.date);
			date_iso(&b, m.date);
			buf_addstr(&b, "\",\"from\":");
			json_string(&b, m.from != NULL ? m.from : "");
			buf_addstr(&b, ",\"subject\":");
			json_string(&b, m.subject != NULL ? m.subject : "");
			buf_addstr(&b, ",\"filename\":");
			json_string(&b, m.filename != NULL ? m.filename : "");
			buf_addstr(&b, ",\"tags\":[");
			main_search_tags(&b, m.tags, m.n_tags, 1);
			buf_addstr(&b, "]}");
			fwrite(b.data, 1, b.len, stdout);
			buf_clear(&b);
		} else {
			buf_printf(&b, "id:%s", m.message_id);
			main_print_line(&b);
		}
		store_message_release(&m);
		n++;
	}
	if (json)
		printf("]\n");
	buf_release(&b);
	store_messages_free(it);
	return (0);
}

static int
main_search(struct main_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "sort", required_argument, NULL, 's' },
		{ "limit", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_index	*idx;
	enum store_sort		 sort = STORE_SORT_NEWEST_FIRST;
	long long		 limit = -1;
	const char		*errstr;
	char			*query, *cause = NULL;
	int			 ch, json = 0, messages = 0, rc;

	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "json") == 0)
				json = 1;
			else if (strcmp(optarg, "text") != 0) {
				main_error("search: --format expects text or "
				    "json, not '%s'", optarg);
				return (MAIN_EXIT_USAGE);
			}
			break;
		case 'o':
			if (strcmp(optarg, "messages") == 0)
				messages = 1;
			else if (strcmp(optarg, "threads") != 0) {
				main_error("search: --output expects threads "
				    "or messages, not '%s'", optarg);
				return (MAIN_EXIT_USAGE);
			}
			break;
		case 's':
			if (strcmp(optarg, "oldest-first") == 0)
				sort = STORE_SORT_OLDEST_FIRST;
			else if (strcmp(optarg, "newest-first") != 0) {
				main_error("search: --sort expects "
				    "newest-first or oldest-first, not '%s'",
				    optarg);
				return (MAIN_EXIT_USAGE);
			}
			break;
		case 'l':
			limit = strtonum(optarg, 0, 1000000000, &errstr);
			if (errstr != NULL) {
				main_error("search: --limit expects a number, "
				    "not '%s'", optarg);
				return (MAIN_EXIT_USAGE);
			}
			break;
		case 'h':
			main_search_usage(stdout);
			return (0);
		default:
			main_search_usage(stderr);
			return (MAIN_EXIT_USAGE);
		}
	}
	if (optind == argc) {
		main_search_usage(stderr);
		return (MAIN_EXIT_USAGE);
	}
	if (main_open_index(ctx, STORE_INDEX_READ_ONLY, &idx) != 0)
		return (MAIN_EXIT_FAILURE);
	query = main_join(argc - optind, argv + optind);
	if (messages)
		rc = main_search_messages(idx, query, sort, limit, json, &cause);
	else
		rc = main_search_threads(idx, query, sort, limit, json, &cause);
	if (rc != 0) {
		main_error("search: %s", cause != NULL ? cause : "failed");
		free(cause);
	}
	free(query);
	store_index_close(idx);
	return (rc == 0 ? 0 : MAIN_EXIT_FAILURE);
}

/* satchel show ------------------------------------------------------- */

static void
main_show_usage(FILE *f)
{
	fprintf(f,
	    "usage: satchel show QUERY...\n"
	    "       satchel show --file FILE...\n"
	    "Print messages as the pager shows them: headers and decoded text,\n"
	    "sanitised for the terminal.  With --file, read message files\n"
	    "directly (no index needed).\n");
}

/* HTML through the mailcap's text/html copiousoutput filter. */
static char *
main_html_filter(const char *html, size_t len, void *arg, char **cause)
{
	struct buf	 out;

	(void)arg;
	buf_init(&out);
	if (mailcap_filter(mailcap_default(), "text/html", "utf-8", html, len,
	    &out, cause) != 0) {
		buf_release(&out);
		return (NULL);
	}
	return (buf_detach(&out, NULL));
}

/* Whether the user has a text/html filter; asked on the first HTML. */
static int
main_html_ready(void *arg)
{
	(void)arg;
	return (mailcap_find(mailcap_default(), "text/html",
	    MAILCAP_COPIOUS) != NULL);
}

/* The pager and "satchel show" render HTML with the mailcap's filter
 * when the user has one (w3m -dump, lynx -dump, ...). */
static void
main_html_setup(void)
{
	static const struct mime_html_filter	 f = {
		main_html_ready, main_html_filter, NULL
	};

	mime_set_html_filter(&f);
}

static int
main_show(struct main_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "file", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_index	*idx = NULL;
	char			*query = NULL, *cause = NULL;
	int			 ch, files = 0, rc;

	while ((ch = getopt_long(argc, argv, "fh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			files = 1;
			break;
		case 'h':
			main_show_usage(stdout);
			return (0);
		default:
			main_show_usage(stderr);
			return (MAIN_EXIT_USAGE);
		}
	}
	if (optind == argc) {
		main_show_usage(stderr);
		return (MAIN_EXIT_USAGE);
	}
	if (!files) {
		if (main_open_index(ctx, STORE_INDEX_READ_ONLY, &idx) != 0)
			return (MAIN_EXIT_FAILURE);
		query = main_join(argc - optind, argv + optind);
	}
	main_html_setup();
	ui_card_setup(&ctx->cfg);
	rc = ui_pager_render(idx, query, argv + optind,
	    (size_t)(argc - optind), stdout, &cause);
	ui_card_setup(NULL);
	if (rc < 0) {
		main_error("show: %s", cause != NULL ? cause : "failed");
		free(cause);
	} else if (rc > 0)
		main_error("show: %d message%s could not be read", rc,
		    rc == 1 ? "" : "s");
	free(query);
	store_index_close(idx);
	return (rc == 0 ? 0 : MAIN_EXIT_FAILURE);
}

/* satchel tui -------------------------------------------------------- */

static struct main_ctx	*main_tui_ctx;

/*
 * For one action in the TUI: the index read-write, waiting up to five
 * seconds for another writer ("notmuch new", a cron sync) to finish.
 */
static int
main_tui_open_rw(struct store_index **idx, char **cause)
{
	struct store_index_options	 o;
	enum store_status		 st;
	int				 tries;

	main_index_options(main_tui_ctx, &o, 0);
	for (tries = 0; ; tries++) {
		st = store_index_open(&o, STORE_INDEX_READ_WRITE, idx, cause);
		if (st != STORE_ELOCKED || tries == 100)
			break;
		free(*cause);
		*cause = NULL;
		(void)nanosleep(&(struct timespec){ 0, 50000000 }, NULL);
	}
	return (st == STORE_OK ? 0 : -1);
}

static void
main_tui_usage(FILE *f)
{
	fprintf(f,
	    "usage: satchel [tui [-n|--no-sync] [QUERY...]]\n"
	    "Open the interface on QUERY (default: default_query from the\n"
	    "configuration, tag:inbox unless set).  Press ? for the keys.\n"
	    "IMAP and POP3 accounts sync in the background unless -n.\n");
}

static int
main_tui(struct main_ctx *ctx, int argc, char **argv)
{
	struct ui_options	 o;
	struct cmd_env		 env;
	struct store_index	*idx;
	char			*query, *cause = NULL, *notice;
	int			 rc, no_sync = 0;

	if (argc > 1 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0)) {
		main_tui_usage(stdout);
		return (0);
	}
	if (argc > 1 && (strcmp(argv[1], "-n") == 0 ||
	    strcmp(argv[1], "--no-sync") == 0)) {
		no_sync = 1;
		argc--;
		argv++;
	}
	if (main_open_index(ctx, STORE_INDEX_READ_ONLY, &idx) != 0)
		return (MAIN_EXIT_FAILURE);
	query = argc > 1 ? main_join(argc - 1, argv + 1) :
	    xstrdup(ctx->cfg.default_query);
	memset(&o, 0, sizeof o);
	o.index = idx;
	o.keymap = ctx->keymap;
	o.query = query;
	o.theme = ctx->cfg.theme;
	o.dispatch = cmd_run;
	o.complete = cmd_complete;
	o.trace_paint = getenv("SATCHEL_TRACE_PAINT");
	o.trace_keys = getenv("SATCHEL_TRACE_KEYS");
	main_html_setup();
	o.start = ctx->start;
	main_tui_ctx = ctx;
	memset(&env, 0, sizeof env);
	env.cfg = &ctx->cfg;
	env.index = idx;
	env.open_rw = main_tui_open_rw;
	o.wake_fd[0] = o.wake_fd[1] = -1;
	o.sidebar = cmd_sidebar_items(&ctx->cfg, &o.n_sidebar);
	o.sidebar_visible = ctx->cfg.sidebar;
	if (!no_sync && (env.workers = engine_workers_start(&ctx->cfg,
	    main_tui_open_rw, &cause)) == NULL) {
		main_error("%s", cause);
		free(cause);
		cause = NULL;
	}
	if (engine_workers_count(env.workers) > 0)
		o.wake_fd[0] = engine_workers_fd(env.workers);
	/* Without the thread, actions are written before the repaint. */
	if ((env.jobs = engine_jobs_start(&cause)) == NULL) {
		main_error("%s", cause);
		free(cause);
		cause = NULL;
	}
	o.jobs = env.jobs;
	o.wake_fd[1] = engine_jobs_fd(env.jobs);
	o.wake = cmd_wake;
	cmd_set_env(&env);
	notice = cmd_compose_notice();
	o.notice = notice;
	ui_card_setup(&ctx->cfg);
	rc = ui_run(&o, &cause);
	cmd_jobs_stop();
	ui_card_setup(NULL);
	free(notice);
	engine_workers_stop(env.workers);
	cmd_sidebar_free((struct ui_sidebar_item *)o.sidebar, o.n_sidebar);
	cmd_cleanup();
	if (rc != 0) {
		main_error("%s", cause != NULL ? cause : "interface failed");
		free(cause);
	}
	free(query);
	store_index_close(idx);
	return (rc == 0 ? 0 : MAIN_EXIT_FAILURE);
}

/* -------------------------------------------------------------------- */

static const struct main_command main_commands[] = {
	{ "tui", "open the interface (the default)", main_tui },
	{ "index", "index new and changed mail", main_index },
	{ "search", "search the index, like notmuch search", main_search },
	{ "show", "print messages as the pager shows them", main_show },
	{ "sync", "synchronise accounts with their servers", main_sync },
	{ "tag", "add or remove tags of messages", main_tag },
	{ "move", "move messages to another folder", main_move },
	{ "agenda", "list the calendar's events", main_agenda },
	{ "tasks", "list or mark the calendar's tasks", main_tasks },
	{ "import", "add .ics files or invitations to the calendar",
	    main_import },
	{ "export-event", "write one event as iCalendar", main_export_event },
	{ "send", "send the mail queued in the outbox", main_send },
	{ "addresses", "addresses seen in mail, for completion",
	    main_addresses },
};

static void
main_usage(FILE *f)
{
	size_t	 i;

	fprintf(f,
	    "usage: satchel [-v] [-c FILE] [COMMAND [ARGS]]\n"
	    "Mail, calendar and tasks in the terminal.\n\n"
	    "Commands:\n");
	for (i = 0; i < sizeof main_commands / sizeof *main_commands; i++)
		fprintf(f, "  %-8s %s\n", main_commands[i].name,
		    main_commands[i].summary);
	fprintf(f,
	    "\nOptions:\n"
	    "  -c, --config FILE  read FILE instead of "
	    "$XDG_CONFIG_HOME/satchel/config\n"
	    "  -v, --verbose      log to $XDG_STATE_HOME/satchel/ "
	    "(-vv: more)\n"
	    "  -h, --help         this help; 'satchel COMMAND --help' for a "
	    "command\n"
	    "  -V, --version      versions of satchel and its libraries\n"
	    "\nSee satchel(1) and satchel.conf(5).\n");
}

static void
main_version(void)
{
	printf("satchel %s\n", PACKAGE_VERSION);
	printf("  %s\n  %s\n  %s\n  %s\n", mime_version(), store_version(),
	    net_version(), cal_version());
}

/* The built-in keymap, then the configured one on top; all checked. */
static int
main_load_keymap(struct main_ctx *ctx)
{
	char		*cause = NULL;

	const char	*name = ctx->cfg.keymap;
	int		 rc;

	ctx->keymap = keymap_new();
	rc = keymap_parse(ctx->keymap, "(built-in default.keys)",
	    cmd_default_keys, cmd_default_keys_len, &cause);
	/* A name without '/' is one of the built-in keymaps. */
	if (rc == 0 && name != NULL && strchr(name, '/') == NULL) {
		if (strcmp(name, "vi") == 0)
			rc = keymap_parse(ctx->keymap, "(built-in vi.keys)",
			    cmd_vi_keys, cmd_vi_keys_len, &cause);
		else if (strcmp(name, "default") != 0) {
			xcause(&cause, "%s: no keymap '%s' (expected default, "
			    "vi, or a file name with a '/')", ctx->cfg.path !=
			    NULL ? ctx->cfg.path : "config", name);
			rc = -1;
		}
	} else if (rc == 0 && name != NULL)
		rc = keymap_load(ctx->keymap, name, &cause);
	if (rc != 0 || cmd_check_keymap(ctx->keymap, &cause) != 0) {
		main_error("%s", cause);
		free(cause);
		return (-1);
	}
	cmd_set_keymap(ctx->keymap);
	return (0);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const struct main_command	*mc = &main_commands[0];
	struct main_ctx			 ctx;
	char				*config_path = NULL, *cause = NULL;
	char				*state;
	int				 ch, verbose = 0, rc, explicit = 0;
	size_t				 i;

	memset(&ctx, 0, sizeof ctx);
	ctx.start = ui_now();
	setlocale(LC_ALL, "");
	text_init();
	/* Options stop at the first word: the command's own come after. */
	while ((ch = getopt_long(argc, argv, "+c:vhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			free(config_path);
			config_path = xstrdup(optarg);
			explicit = 1;
			break;
		case 'v':
			verbose++;
			break;
		case 'h':
			main_usage(stdout);
			return (0);
		case 'V':
			mime_init();
			main_version();
			mime_shutdown();
			return (0);
		default:
			main_usage(stderr);
			return (MAIN_EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 0) {
		for (i = 0; i < sizeof main_commands / sizeof *main_commands;
		    i++) {
			if (strcmp(argv[0], main_commands[i].name) == 0)
				break;
		}
		if (i == sizeof main_commands / sizeof *main_commands) {
			main_error("unknown command '%s' (expected tui, index, "
			    "search, show, sync, tag, move or send; see "
			    "satchel --help)", argv[0]);
			free(config_path);
			return (MAIN_EXIT_USAGE);
		}
		mc = &main_commands[i];
	}

	log_init("satchel", verbose);
	if (verbose > 0) {
		state = path_state_home();
		xasprintf(&cause, "%s/satchel", state);
		free(state);
		state = cause;
		cause = NULL;
		if (log_open(state, &cause) != 0) {
			main_error("%s", cause);
			free(cause);
			cause = NULL;
		}
		free(state);
	}

	config_init(&ctx.cfg);
	if (config_path == NULL)
		config_path = config_default_path();
	if (config_load(&ctx.cfg, config_path, explicit, &cause) != 0) {
		main_error("%s", cause);
		free(cause);
		free(config_path);
		config_release(&ctx.cfg);
		return (MAIN_EXIT_FAILURE);
	}
	free(config_path);
	if (main_load_keymap(&ctx) != 0) {
		keymap_free(ctx.keymap);
		config_release(&ctx.cfg);
		return (MAIN_EXIT_FAILURE);
	}

	net_init();
	mime_init();
	/* Each command parses its own options from its own argv[0]. */
	optind = 0;
	if (argc == 0) {
		static char	*tui_argv[] = { (char *)"tui", NULL };
		rc = mc->run(&ctx, 1, tui_argv);
	} else
		rc = mc->run(&ctx, argc, argv);
	mime_shutdown();
	keymap_free(ctx.keymap);
	config_release(&ctx.cfg);
	log_close();
	return (rc);
}
