/*
 * tests/unit/ui/complete.c: Tab on the bottom line (ui/complete.c), as
 * the ":" prompt and ui_ask_complete() share it: one offer taken,
 * several extended to their common prefix and listed, Tab again cycling
 * with "(k/N)" and wrapping, a new round after an edit, nothing offered.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "ui/ui.h"
#include "tests/unit/tap.h"

static int	 calls;

/* Offers the words of arg that start with line, as whole lines. */
static char **
offer(const char *line, size_t *n, void *arg)
{
	char	**v = NULL, **words;
	size_t	  nw, i;

	calls++;
	*n = 0;
	words = config_split_list(arg, &nw);
	for (i = 0; i < nw; i++) {
		if (strncmp(words[i], line, strlen(line)) != 0)
			continue;
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[(*n)++] = xstrdup(words[i]);
	}
	config_free_list(words, nw);
	return (v);
}

/* One Tab: the line it leaves, and what it lists ("-" for nothing). */
static void
tab(struct ui_complete *c, const char *line, const char *words,
    const char *want, const char *want_shown, const char *name)
{
	char	*got, *shown;

	got = ui_complete_tab(c, line, offer, (void *)words, &shown);
	is_str(got, want, name);
	is_str(shown != NULL ? shown : "-", want_shown, "... and lists");
	free(got);
	free(shown);
}

/* Offers "To: a@x, Bob <b@y>" style lines to check what is listed. */
static char **
offer_lines(const char *line, size_t *n, void *arg)
{
	char	**v = xcalloc(2, sizeof *v);

	(void)line;
	(void)arg;
	v[0] = xstrdup("a@x.test, Alice Martin <alice@x.test>");
	v[1] = xstrdup("a@x.test, Alan Smith <alan@x.test>");
	*n = 2;
	return (v);
}

int
main(void)
{
	struct ui_complete	 c;
	char			*got, *shown;
	const char		*w = "alpha alpine beta";

	ui_complete_init(&c);
	tab(&c, "b", w, "beta", "-", "one offer is taken");
	tab(&c, "x", w, NULL, "-", "none: NULL, to beep");
	tab(&c, "a", w, "alp", "alpha  alpine",
	    "several: their common prefix, listed");
	tab(&c, "alp", w, "alpha", "(1/2) [alpha]  alpine",
	    "Tab again: the first");
	calls = 0;
	tab(&c, "alpha", w, "alpine", "(2/2) alpha  [alpine]",
	    "Tab again: the second");
	is_int(calls, 0, "cycling asks the completer nothing");
	tab(&c, "alpine", w, "alpha", "(1/2) [alpha]  alpine",
	    "... and wraps around");
	/* An edit (the line is not what Tab left) starts a new round. */
	tab(&c, "alphab", w, NULL, "-", "after an edit: a new round");
	tab(&c, "alp", w, "alp", "alpha  alpine",
	    "no longer prefix: the line stays");
	ui_complete_reset(&c);
	tab(&c, "alp", w, "alp", "alpha  alpine",
	    "after a reset: a new round");
	ui_complete_reset(&c);

	/* A common prefix never ends inside a UTF-8 character. */
	tab(&c, "", "\xc3\xa9t\xc3\xa9 \xc3\xa8re", "",
	    "\xc3\xa9t\xc3\xa9  \xc3\xa8re",
	    "a prefix is never half a UTF-8 character");
	ui_complete_reset(&c);

	/* Lists show each offer from the word where it departs. */
	got = ui_complete_tab(&c, "a@x.test, al", offer_lines, NULL, &shown);
	is_str(got, "a@x.test, al",
	    "lines: a prefix no longer than the line leaves it as typed");
	is_str(shown, "Alice Martin <alice@x.test>  Alan Smith <alan@x.test>",
	    "lines: listed from the address being completed");
	free(got);
	free(shown);
	got = ui_complete_tab(&c, "a@x.test, al", offer_lines, NULL, &shown);
	is_str(got, "a@x.test, Alice Martin <alice@x.test>",
	    "lines: Tab again puts the whole line");
	free(got);
	free(shown);
	ui_complete_reset(&c);

	tab(&c, "/tmp/a", "/tmp/alpha/ /tmp/alpine", "/tmp/alp",
	    "alpha/  alpine", "paths: listed by their last component");
	ui_complete_reset(&c);

	got = ui_complete_tab(&c, "x", NULL, NULL, &shown);
	ok(got == NULL && shown == NULL, "no completer: nothing");
	ui_complete_reset(&c);
	return (tap_done());
}
