/*
 * ui/complete.c: what Tab does on the bottom line, for the ":" prompt
 * and for questions alike (ui_ask_complete()).
 *
 * A completer gets the line up to the cursor and offers whole lines to
 * put there instead.  One offer is taken.  Several extend the line to
 * their common prefix (when that is longer) and are listed above the
 * line; Tab again, with the line as Tab left it, puts each offer in turn,
 * "(k/N)" saying which, and wraps around.  Any other key ends the round.
 * Nothing here touches curses, so the tests drive it directly.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "ui/ui.h"

void
ui_complete_init(struct ui_complete *c)
{
	memset(c, 0, sizeof *c);
}

void
ui_complete_reset(struct ui_complete *c)
{
	size_t	 i;

	for (i = 0; i < c->n; i++)
		free(c->v[i]);
	free(c->v);
	free(c->line);
	free(c->typed);
	ui_complete_init(c);
}

/* The longest prefix all of v share, never cutting a UTF-8 character. */
static size_t
ui_complete_common(char **v, size_t n)
{
	size_t	 common, i;

	common = strlen(v[0]);
	for (i = 1; i < n; i++) {
		while (common > 0 && strncmp(v[0], v[i], common) != 0)
			common--;
	}
	while (common > 0 && ((unsigned char)v[0][common] & 0xc0) == 0x80)
		common--;
	return (common);
}

/*
 * Where an offer starts to differ from what was typed, backed up to the
 * start of the word there (after a space, a comma or a slash): the part
 * worth listing.
 */
static size_t
ui_complete_word_start(const char *typed, const char *offer)
{
	size_t	 k = 0;

	while (typed[k] != '\0' && typed[k] == offer[k])
		k++;
	while (k > 0 && strchr(" ,/", offer[k - 1]) == NULL)
		k--;
	return (k);
}

/* The line above the prompt: the offers, the current one in brackets. */
static char *
ui_complete_list(const struct ui_complete *c)
{
	struct buf	 b;
	const char	*s;
	size_t		 i;

	buf_init(&b);
	if (c->at < c->n)
		buf_printf(&b, "(%zu/%zu) ", c->at + 1, c->n);
	for (i = 0; i < c->n; i++) {
		s = c->v[i] + ui_complete_word_start(c->typed, c->v[i]);
		if (i == c->at)
			buf_printf(&b, "%s[%s]", i == 0 ? "" : "  ", s);
		else
			buf_printf(&b, "%s%s", i == 0 ? "" : "  ", s);
	}
	return (buf_detach(&b, NULL));
}

char *
ui_complete_tab(struct ui_complete *c, const char *line,
    char **(*complete)(const char *, size_t *, void *), void *arg,
    char **shown)
{
	char	**v, *out;
	size_t	  n = 0, common;

	*shown = NULL;
	if (c->n > 1 && c->line != NULL && strcmp(c->line, line) == 0) {
		/* Tab again: the next offer (the first after none). */
		c->at = c->at >= c->n - 1 ? 0 : c->at + 1;
		free(c->line);
		c->line = xstrdup(c->v[c->at]);
		*shown = ui_complete_list(c);
		return (xstrdup(c->line));
	}
	ui_complete_reset(c);
	if (complete == NULL)
		return (NULL);
	v = complete(line, &n, arg);
	if (n == 0) {
		free(v);
		return (NULL);
	}
	if (n == 1) {
		out = v[0];
		free(v);
		return (out);
	}
	common = ui_complete_common(v, n);
	if (common > strlen(line))
		out = xstrndup(v[0], common);
	else
		out = xstrdup(line);
	c->v = v;
	c->n = n;
	c->at = n;	/* none yet */
	c->typed = xstrdup(line);
	c->line = xstrdup(out);
	*shown = ui_complete_list(c);
	return (out);
}
