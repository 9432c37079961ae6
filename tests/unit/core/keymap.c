/* tests/unit/core/keymap.c: keymap files, lookups and errors. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tests/unit/tap.h"

static int
parse(struct keymap *km, const char *text, char **cause)
{
	return (keymap_parse(km, "t.keys", text, strlen(text), cause));
}

int
main(void)
{
	struct keymap	*km;
	char		*cause = NULL, out[16];

	ok(keymap_key_canon("j", out, sizeof out) == 0 &&
	    strcmp(out, "j") == 0, "a character is its own name");
	ok(keymap_key_canon("pagedown", out, sizeof out) == 0 &&
	    strcmp(out, "PageDown") == 0, "names are case-insensitive");
	ok(keymap_key_canon("c-X", out, sizeof out) == 0 &&
	    strcmp(out, "C-x") == 0, "control keys");
	ok(keymap_key_canon("F12", out, sizeof out) == 0, "F12");
	ok(keymap_key_canon("F13", out, sizeof out) == -1, "no F13");
	ok(keymap_key_canon("Return", out, sizeof out) == 0 &&
	    strcmp(out, "Enter") == 0, "Return is Enter");
	ok(keymap_key_canon("nosuchkey", out, sizeof out) == -1,
	    "unknown name");
	ok(keymap_key_canon("", out, sizeof out) == -1, "empty name");

	km = keymap_new();
	ok(parse(km, "# comment\n\nbind index j next\n"
	    "bind global q quit\n"
	    "bind index Enter open\n"
	    "bind pager t tag +a -b\n", &cause) == 0, "parse a file");
	is_str(keymap_lookup(km, "index", "j"), "next", "lookup");
	is_str(keymap_lookup(km, "index", "q"), "quit", "global fallback");
	is_str(keymap_lookup(km, "pager", "t"), "tag +a -b",
	    "arguments kept");
	ok(keymap_lookup(km, "pager", "j") == NULL, "unbound key");
	ok(keymap_count(km) == 4, "four bindings");
	ok(parse(km, "bind index j previous\n", &cause) == 0 &&
	    strcmp(keymap_lookup(km, "index", "j"), "previous") == 0 &&
	    keymap_count(km) == 4, "a later binding replaces");
	ok(parse(km, "unbind global q\n", &cause) == 0 &&
	    keymap_lookup(km, "index", "q") == NULL, "unbind");
	ok(keymap_get(km, 99) == NULL, "get past the end");

	ok(parse(km, "\nbnd index j next\n", &cause) == -1, "bad verb");
	is_str(cause, "t.keys:2: expected 'bind VIEW KEY COMMAND' or "
	    "'unbind VIEW KEY', not 'bnd'", "bad verb message");
	free(cause);
	ok(parse(km, "bind index Nope next\n", &cause) == -1, "bad key");
	is_str(cause, "t.keys:1: 'Nope' is not a key (expected a character, "
	    "C-x, F1-F12 or a key name such as Enter, Up, PageDown)",
	    "bad key message");
	free(cause);
	ok(parse(km, "bind index j\n", &cause) == -1, "no command");
	is_str(cause, "t.keys:1: expected a command after 'bind index j'",
	    "no command message");
	free(cause);
	ok(parse(km, "bind\n", &cause) == -1, "no view");
	free(cause);
	keymap_free(km);
	keymap_free(NULL);
	return (tap_done());
}
