/*
 * main-addr.c: satchel addresses, the address book from the shell.
 *
 *	satchel addresses [--limit N] PREFIX...
 *
 * The output is mutt's query format (a line of status, then one line
 * "address<TAB>name<TAB>last seen" per match, best first), so satchel can
 * be mutt's (or another satchel's) query_command.  Matches of the
 * configured query_command follow, unless satchel runs as one (then
 * SATCHEL_QUERY_COMMAND is set, and asking again would loop).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core.h"
#include "store/store.h"
#include "engine/engine.h"
#include "main.h"

static void
main_addresses_usage(FILE *f)
{
	fprintf(f,
	    "usage: satchel addresses [--limit N] PREFIX...\n"
	    "Print the addresses seen in mail whose address, or a word of\n"
	    "whose name, starts with PREFIX (any case; \"\" for all), best\n"
	    "first, then those query_command finds, in mutt's query format.\n"
	    "  -l, --limit N  at most N of each (default 100)\n");
}

int
main_addresses(struct main_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "limit", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_index	*idx;
	struct engine_addrbook	*ab;
	struct engine_address	*v = NULL;
	const char		*errstr, *command;
	char			*word, *shown, *cause = NULL, day[16];
	long long		 limit = 100;
	size_t			 n = 0, i;
	struct tm		 tm;
	int			 ch, rc = 0;

	while ((ch = getopt_long(argc, argv, "l:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			limit = strtonum(optarg, 1, 100000, &errstr);
			if (errstr != NULL) {
				main_error("addresses: --limit expects a number "
				    "from 1 to 100000, not '%s'", optarg);
				return (MAIN_EXIT_USAGE);
			}
			break;
		case 'h':
			main_addresses_usage(stdout);
			return (0);
		default:
			main_addresses_usage(stderr);
			return (MAIN_EXIT_USAGE);
		}
	}
	if (optind == argc) {
		main_addresses_usage(stderr);
		return (MAIN_EXIT_USAGE);
	}
	if (main_open_index(ctx, STORE_INDEX_READ_ONLY, &idx) != 0)
		return (MAIN_EXIT_FAILURE);
	ab = engine_addrbook_open(&ctx->cfg, NULL);
	if (engine_addrbook_update(ab, idx, &cause) != 0) {
		main_error("addresses: %s", cause);
		free(cause);
		engine_addrbook_free(ab);
		store_index_close(idx);
		return (MAIN_EXIT_FAILURE);
	}
	word = main_join(argc - optind, argv + optind);
	command = getenv("SATCHEL_QUERY_COMMAND") != NULL ? NULL :
	    ctx->cfg.query_command;
	if (engine_addrbook_lookup(ab, word, (size_t)limit,
	    *word != '\0' ? command : NULL, &v, &n, &cause) != 0) {
		/* Reported; what the address book found still counts. */
		main_error("addresses: %s", cause);
		free(cause);
		rc = MAIN_EXIT_FAILURE;
	}
	shown = engine_addrbook_clean_name(word, strlen(word));
	if (n == 0)
		printf("satchel: no address matches '%s'\n", shown);
	else
		printf("satchel: %zu address%s matching '%s'\n", n,
		    n == 1 ? "" : "es", shown);
	for (i = 0; i < n; i++) {
		day[0] = '\0';
		if (v[i].last > 0 && gmtime_r(&v[i].last, &tm) != NULL)
			strftime(day, sizeof day, "%Y-%m-%d", &tm);
		printf("%s\t%s\t%s\n", v[i].address, v[i].name,
		    *v[i].other != '\0' ? v[i].other : day);
	}
	free(shown);
	free(word);
	engine_addresses_free(v, n);
	engine_addrbook_free(ab);
	store_index_close(idx);
	return (n > 0 ? 0 : rc);
}
