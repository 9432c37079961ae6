/*
 * tests/unit/cmd/complete-addr.c: the completers questions use: the last
 * address of a list from the address book and query_command, and file
 * names from a temporary tree (hidden files, directories, "~").
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "mime/mime.h"
#include "store/store.h"
#include "engine/engine.h"
#include "cmd/cmd.h"
#include "tests/unit/tap.h"
#include "tests/unit/mailtest.h"

/* The offers for line joined by "|". */
static void
check(char **(*fn)(const char *, size_t *, void *), void *carg,
    const char *line, const char *want, const char *name)
{
	struct buf	 b;
	char		**v;
	size_t		 n, i;

	v = fn(line, &n, carg);
	buf_init(&b);
	for (i = 0; i < n; i++) {
		buf_printf(&b, "%s%s", i == 0 ? "" : "|", v[i]);
		free(v[i]);
	}
	free(v);
	is_str(b.data, want, name);
	buf_release(&b);
}

static void
test_path(void)
{
	char	*p, *home;

	mailtest_mkdirs("files/alpha");
	mailtest_mkdirs("files/.config");
	mailtest_write("files/alpine.txt", "x");
	mailtest_write("files/beta", "x");
	mailtest_write("files/.hidden", "x");
	p = mailtest_path("files");
	home = xstrdup(getenv("HOME"));

#define PATHS(line, want, name) do {					\
	char	*l, *w;							\
									\
	xasprintf(&l, "%s%s", p, (line));				\
	w = xstrdup(want);						\
	check(cmd_complete_path, NULL, l, w, (name));			\
	free(w);							\
	free(l);							\
} while (0)

	{
		char	*want;

		xasprintf(&want, "%s/alpha/|%s/alpine.txt", p, p);
		PATHS("/al", want, "path: a prefix; a directory gets a /");
		free(want);
		xasprintf(&want, "%s/alpha/|%s/alpine.txt|%s/beta", p, p, p);
		PATHS("/", want, "path: a directory: no hidden files");
		free(want);
		xasprintf(&want, "%s/.config/|%s/.hidden", p, p);
		PATHS("/.", want, "path: hidden files when asked for");
		free(want);
		PATHS("/zz", "", "path: nothing matches");
		PATHS("/nonexistent/", "", "path: no such directory");
	}
	if (setenv("HOME", p, 1) != 0)
		fatal("setenv");
	check(cmd_complete_path, NULL, "~", "~/", "path: ~ is ~/");
	check(cmd_complete_path, NULL, "~/b", "~/beta", "path: ~/ is the home");
	if (chdir(p) != 0)
		fatal("chdir");
	check(cmd_complete_path, NULL, "", "alpha/|alpine.txt|beta",
	    "path: empty: the current directory");
	check(cmd_complete_path, NULL, "alpha/", "", "path: an empty directory");
	if (chdir("/") != 0 || setenv("HOME", home, 1) != 0)
		fatal("chdir");
	free(home);
	free(p);
#undef PATHS
}

static void
test_addresses(void)
{
	struct config		 cfg;
	struct cmd_env		 env;
	struct store_index	*idx;
	char			*text, *cause = NULL, *book;

	/* A query_command script: every word finds the same two. */
	book = mailtest_path("book.sh");
	mailtest_write("book.sh", "echo \"searching $1\"\n"
	    "printf 'alice@x.test\\tAlice Martin\\n'\n"
	    "printf 'al@x.test\\tMartin, Al\\n'\n");
	config_init(&cfg);
	xasprintf(&text, "mail_root = %s\nquery_command = sh %s %%s\n"
	    "[account other]\ntype = maildir\nemail = me@example.test\n"
	    "query_command = echo none\n", mailtest_root, book);
	if (config_parse(&cfg, "t.conf", text, strlen(text), &cause) != 0)
		fatalx("%s", cause);
	free(text);
	memset(&env, 0, sizeof env);
	env.cfg = &cfg;
	cmd_set_env(&env);

	check(cmd_complete_addresses, NULL, "al",
	    "Alice Martin <alice@x.test>|\"Martin, Al\" <al@x.test>",
	    "addresses: query_command alone, names quoted when needed");
	check(cmd_complete_addresses, NULL, "bob@y.test, Bob <b@y.test>,al",
	    "bob@y.test, Bob <b@y.test>, Alice Martin <alice@x.test>|"
	    "bob@y.test, Bob <b@y.test>, \"Martin, Al\" <al@x.test>",
	    "addresses: the last of a list");
	check(cmd_complete_addresses, NULL, "\"Doe, J\" <j@x.test>,  al  ",
	    "\"Doe, J\" <j@x.test>, Alice Martin <alice@x.test>|"
	    "\"Doe, J\" <j@x.test>, \"Martin, Al\" <al@x.test>",
	    "addresses: a comma in quotes separates nothing");
	check(cmd_complete_addresses, &cfg.accounts[0], "al", "",
	    "addresses: the account's query_command wins");
	check(cmd_complete_addresses, NULL, "a@x.test, ", "",
	    "addresses: no word, no index: nothing");

	/* With an index: the address book first, then the command's. */
	mailtest_mkdirs("INBOX/cur");
	mailtest_mkdirs("INBOX/new");
	mailtest_mkdirs("INBOX/tmp");
	mailtest_put_full("INBOX/cur/1.a:2,S", "a1@test", NULL,
	    "Alan Smithee <alan@example.test>", "Mon, 01 Jan 2024 10:00:00 "
	    "+0000", "s");
	mailtest_put_full("INBOX/cur/2.a:2,S", "a2@test", NULL,
	    "Al Martin <ALICE@x.test>", "Tue, 02 Jan 2024 10:00:00 +0000",
	    "s");
	idx = mailtest_open_rw(NULL, 0, 1, 1);
	if (engine_ingest_scan(idx, NULL, NULL, &cause) != 0)
		fatalx("%s", cause);
	env.index = idx;
	cmd_set_env(&env);
	check(cmd_complete_addresses, NULL, "al",
	    "Al Martin <ALICE@x.test>|Alan Smithee <alan@example.test>|"
	    "\"Martin, Al\" <al@x.test>",
	    "addresses: the book first, then the command's, once each");
	check(cmd_complete_addresses, &cfg.accounts[0], "smith",
	    "Alan Smithee <alan@example.test>",
	    "addresses: a word of the name");
	env.index = NULL;
	cmd_set_env(&env);
	store_index_close(idx);
	config_release(&cfg);
	free(book);
}

int
main(void)
{
	if (setenv("SATCHEL_NOW", "1793534400", 1) != 0)
		fatal("setenv");
	mailtest_init("complete-addr");
	mime_init();
	test_path();
	test_addresses();
	mime_shutdown();
	mailtest_release();
	return (tap_done());
}
