/*
 * tests/unit/cmd/cmd.c: the command table, the command line parser and
 * the check that every key binding names a real command.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "cmd/cmd.h"
#include "tests/unit/tap.h"

static void
expect_fail(const char *line, const char *want)
{
	char	*cause = NULL;

	if (!ok(cmd_run(line, &cause) == -1 && cause != NULL &&
	    strcmp(cause, want) == 0, line))
		diag("cause: %s", cause == NULL ? "(none)" : cause);
	free(cause);
}

/* The candidates for line joined by spaces ("" for all commands). */
static void
check_complete(const char *line, const char *want, const char *name)
{
	struct buf	 b;
	char		**v;
	size_t		 n, i;

	v = cmd_complete(line, &n);
	buf_init(&b);
	for (i = 0; i < n; i++) {
		buf_printf(&b, "%s%s", i == 0 ? "" : " ", v[i]);
		free(v[i]);
	}
	free(v);
	if (*line == '\0')
		ok(n == cmd_count(), name);
	else
		is_str(b.data, want, name);
	buf_release(&b);
}

/*
 * Folder completion with an account: move offers the account's folders
 * by their own names and the folders outside accounts, never a path
 * into an account's tree; folder: offers every folder by its path.
 */
static void
test_folders(void)
{
	static const char *const dirs[] = {
		"alice/INBOX/cur", "alice/Archive/cur", "Local/cur",
	};
	struct config	 cfg;
	struct cmd_env	 env;
	char		 root[] = "/tmp/satchel-cmd-XXXXXX", *text, *p;
	char		*cause = NULL;
	size_t		 i;

	if (mkdtemp(root) == NULL)
		fatal("mkdtemp");
	for (i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		p = path_join(root, dirs[i]);
		if (path_mkdirs(p, 0700, &cause) != 0)
			fatalx("%s", cause);
		free(p);
	}
	config_init(&cfg);
	xasprintf(&text, "mail_root = %s\n[account alice]\ntype = imap\n"
	    "host = h\nuser = u\n", root);
	if (config_parse(&cfg, "t.conf", text, strlen(text), &cause) != 0)
		fatalx("%s", cause);
	free(text);
	memset(&env, 0, sizeof env);
	env.cfg = &cfg;
	cmd_set_env(&env);
	check_complete("move ", "Archive INBOX Local archive trash",
	    "move: account folders by name, and those outside accounts");
	check_complete("move -t I", "INBOX", "move -t: the same");
	check_complete("search folder:", "folder:Local folder:alice/Archive "
	    "folder:alice/INBOX", "folder: every folder by its path");
	cmd_cleanup();
	config_release(&cfg);
	xasprintf(&text, "rm -rf '%s'", root);
	if (system(text) != 0)
		fatalx("cannot remove %s", root);
	free(text);
}

int
main(void)
{
	struct keymap	*km;
	char		*cause = NULL;
	size_t		 i;

	ok(cmd_count() > 0, "the table is not empty");
	for (i = 1; i < cmd_count(); i++) {
		if (strcmp(cmd_get(i - 1)->name, cmd_get(i)->name) >= 0)
			break;
	}
	ok(i == cmd_count(), "the table is sorted by name");
	for (i = 0; i < cmd_count(); i++) {
		if (cmd_get(i)->help == NULL || *cmd_get(i)->help == '\0' ||
		    cmd_find(cmd_get(i)->name) != cmd_get(i))
			break;
	}
	ok(i == cmd_count(), "every command has help and is found by name");
	ok(cmd_find("nosuch") == NULL, "unknown name");
	ok(cmd_get(cmd_count()) == NULL, "get past the end");

	expect_fail("", "empty command");
	expect_fail("   ", "empty command");
	expect_fail("frobnicate", "unknown command 'frobnicate'");
	expect_fail("next 1 2", "usage: next [COUNT]");
	expect_fail("open now", "usage: open");
	expect_fail("next 0", "next: count '0' is too small");
	expect_fail("next x", "next: count 'x' is invalid");
	expect_fail("next \"1", "missing closing '\"' in 'next \"1'");
	expect_fail("\"fro\"\"b\\ x\"", "unknown command 'frob x'");
	/* Outside the interface the view commands do nothing harmful. */
	ok(cmd_run("next 3", &cause) == 0, "next with a count runs");
	ok(cmd_run("  first  ", &cause) == 0, "spaces around a command");

	/* Triage outside the interface: clear errors, nothing done. */
	expect_fail("archive", "nothing here to act on");
	expect_fail("archive -t", "nothing here to act on");
	expect_fail("archive x", "usage: archive [-t]");
	expect_fail("delete -t -t", "usage: delete [-t]");
	expect_fail("tag", "usage: tag [-t] +TAG|-TAG ...");
	expect_fail("tag -t", "usage: tag [-t] +TAG|-TAG ...");
	expect_fail("tag +a x", "tag: 'x' is not +TAG or -TAG");
	expect_fail("tag +", "tag: '+' is not +TAG or -TAG");
	expect_fail("move -t", "usage: move [-t] FOLDER");
	expect_fail("move a b", "usage: move [-t] FOLDER");
	expect_fail("undo", "nothing to undo");
	expect_fail("select-query \"\"", "select-query needs a query");

	check_complete("arc", "archive", "a command name");
	check_complete("sel", "select select-none select-query",
	    "several command names, sorted");
	check_complete("search -ta", "-tag:", "a query term after '-'");
	check_complete("search tag:x or (fo", "(folder:", "... and '('");
	check_complete("tag +x", "", "no index: no tags");
	check_complete("nosuch ar", "", "an unknown command's arguments");
	check_complete("", "", "nothing typed: every command");
	test_folders();

	km = keymap_new();
	ok(keymap_parse(km, "built-in", cmd_default_keys, cmd_default_keys_len,
	    &cause) == 0, "the built-in keymap parses");
	ok(cmd_check_keymap(km, &cause) == 0, "it binds only real commands");
	ok(keymap_lookup(km, "index", "Enter") != NULL &&
	    strcmp(keymap_lookup(km, "index", "Enter"), "open") == 0,
	    "Enter opens");
	ok(keymap_lookup(km, "index", "?") != NULL, "? is bound");
	ok(keymap_parse(km, "user.keys", "bind index x nosuch\n", 20,
	    &cause) == 0, "a bad command parses as a binding");
	ok(cmd_check_keymap(km, &cause) == -1, "but fails the check");
	is_str(cause, "user.keys:1: unknown command 'nosuch'",
	    "naming file and line");
	free(cause);
	cause = NULL;
	ok(keymap_parse(km, "user.keys", "unbind index x\n"
	    "bind index x next 1 2\n", 37, &cause) == 0 &&
	    cmd_check_keymap(km, &cause) == -1, "wrong argument count");
	is_str(cause, "user.keys:2: usage: next [COUNT]", "names the usage");
	free(cause);
	keymap_free(km);
	return (tap_done());
}
