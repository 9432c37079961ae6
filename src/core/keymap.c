/*
 * core/keymap.c: key bindings.  Files are read line by line; every error
 * names the file and line.  Lookups are linear over at most a few hundred
 * bindings, searched from the end so a later binding wins.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"

#define KEYMAP_MAX_SIZE		(256 * 1024)
#define KEYMAP_MAX_LINE		1024
#define KEYMAP_MAX_BINDINGS	4096

struct keymap {
	struct keymap_binding	*bindings;
	size_t			 n;
};

/* Named keys, in their canonical spelling. */
static const char *keymap_names[] = {
	"Backspace", "BTab", "Delete", "Down", "End", "Enter", "Escape",
	"Home", "Insert", "Left", "PageDown", "PageUp", "Right", "Space",
	"Tab", "Up",
};

struct keymap *
keymap_new(void)
{
	return (xcalloc(1, sizeof (struct keymap)));
}

static void
keymap_binding_release(struct keymap_binding *kb)
{
	free(kb->view);
	free(kb->key);
	free(kb->command);
	free(kb->file);
}

void
keymap_free(struct keymap *km)
{
	size_t	 i;

	if (km == NULL)
		return;
	for (i = 0; i < km->n; i++)
		keymap_binding_release(&km->bindings[i]);
	free(km->bindings);
	free(km);
}

int
keymap_key_canon(const char *in, char *out, size_t len)
{
	size_t		 i;
	long long	 f;
	const char	*errstr;

	if (in[0] != '\0' && in[1] == '\0' && isgraph((unsigned char)in[0])) {
		if (len < 2)
			return (-1);
		out[0] = in[0];
		out[1] = '\0';
		return (0);
	}
	if ((in[0] == 'C' || in[0] == 'c') && in[1] == '-' &&
	    isalpha((unsigned char)in[2]) && in[3] == '\0') {
		if (len < 4)
			return (-1);
		out[0] = 'C';
		out[1] = '-';
		out[2] = (char)tolower((unsigned char)in[2]);
		out[3] = '\0';
		return (0);
	}
	if ((in[0] == 'F' || in[0] == 'f') && isdigit((unsigned char)in[1])) {
		f = strtonum(in + 1, 1, 12, &errstr);
		if (errstr != NULL)
			return (-1);
		return (snprintf(out, len, "F%lld", f) < (int)len ? 0 : -1);
	}
	if (strcasecmp(in, "Return") == 0)
		in = "Enter";
	if (strcasecmp(in, "Esc") == 0)
		in = "Escape";
	for (i = 0; i < sizeof keymap_names / sizeof keymap_names[0]; i++) {
		if (strcasecmp(in, keymap_names[i]) == 0)
			return (strlcpy(out, keymap_names[i], len) < len ?
			    0 : -1);
	}
	return (-1);
}

static struct keymap_binding *
keymap_find(const struct keymap *km, const char *view, const char *key)
{
	size_t	 i;

	for (i = km->n; i > 0; i--) {
		if (strcmp(km->bindings[i - 1].view, view) == 0 &&
		    strcmp(km->bindings[i - 1].key, key) == 0)
			return (&km->bindings[i - 1]);
	}
	return (NULL);
}

static void
keymap_remove(struct keymap *km, struct keymap_binding *kb)
{
	size_t	 i = (size_t)(kb - km->bindings);

	keymap_binding_release(kb);
	memmove(kb, kb + 1, (km->n - i - 1) * sizeof *kb);
	km->n--;
}

static char *
keymap_word(char **p)
{
	char	*w;

	*p += strspn(*p, " \t");
	if (**p == '\0')
		return (NULL);
	w = *p;
	*p += strcspn(*p, " \t");
	if (**p != '\0')
		*(*p)++ = '\0';
	return (w);
}

static int
keymap_line(struct keymap *km, const char *file, int lineno, char *line,
    char **cause)
{
	struct keymap_binding	*kb;
	char			*verb, *view, *key, *cmd, *end, canon[16];

	if ((verb = keymap_word(&line)) == NULL || *verb == '#')
		return (0);
	if (strcmp(verb, "bind") != 0 && strcmp(verb, "unbind") != 0)
		return (config_error_at(cause, file, lineno, "expected 'bind "
		    "VIEW KEY COMMAND' or 'unbind VIEW KEY', not '%s'", verb));
	if ((view = keymap_word(&line)) == NULL)
		return (config_error_at(cause, file, lineno, "expected a view "
		    "name after '%s'", verb));
	if ((key = keymap_word(&line)) == NULL)
		return (config_error_at(cause, file, lineno, "expected a key "
		    "after '%s %s'", verb, view));
	if (keymap_key_canon(key, canon, sizeof canon) != 0)
		return (config_error_at(cause, file, lineno, "'%s' is not a "
		    "key (expected a character, C-x, F1-F12 or a key name such "
		    "as Enter, Up, PageDown)", key));
	kb = keymap_find(km, view, canon);
	if (strcmp(verb, "unbind") == 0) {
		if (keymap_word(&line) != NULL)
			return (config_error_at(cause, file, lineno,
			    "unexpected text after 'unbind %s %s'", view, key));
		if (kb != NULL)
			keymap_remove(km, kb);
		return (0);
	}
	line += strspn(line, " \t");
	cmd = line;
	end = cmd + strlen(cmd);
	while (end > cmd && isspace((unsigned char)end[-1]))
		*--end = '\0';
	if (*cmd == '\0')
		return (config_error_at(cause, file, lineno, "expected a "
		    "command after 'bind %s %s'", view, key));
	if (kb != NULL)
		keymap_remove(km, kb);
	if (km->n == KEYMAP_MAX_BINDINGS)
		return (config_error_at(cause, file, lineno, "more than %d "
		    "bindings", KEYMAP_MAX_BINDINGS));
	km->bindings = xreallocarray(km->bindings, km->n + 1,
	    sizeof *km->bindings);
	kb = &km->bindings[km->n++];
	kb->view = xstrdup(view);
	kb->key = xstrdup(canon);
	kb->command = xstrdup(cmd);
	kb->file = xstrdup(file);
	kb->line = lineno;
	return (0);
}

struct keymap_parse_ctx {
	struct keymap	*km;
	const char	*file;
	char		**cause;
};

static int
keymap_parse_line(char *line, int lineno, void *arg)
{
	struct keymap_parse_ctx	*ctx = arg;

	return (keymap_line(ctx->km, ctx->file, lineno, line, ctx->cause));
}

int
keymap_parse(struct keymap *km, const char *file, const char *data,
    size_t len, char **cause)
{
	struct keymap_parse_ctx	 ctx = { km, file, cause };

	return (config_lines(file, data, len, KEYMAP_MAX_LINE,
	    keymap_parse_line, &ctx, cause));
}

int
keymap_load(struct keymap *km, const char *path, char **cause)
{
	struct buf	 b;
	int		 rc;

	buf_init(&b);
	if ((rc = buf_read_file(&b, path, KEYMAP_MAX_SIZE, cause)) == 0)
		rc = keymap_parse(km, path, b.data, b.len, cause);
	buf_release(&b);
	return (rc);
}

const char *
keymap_lookup(const struct keymap *km, const char *view, const char *key)
{
	struct keymap_binding	*kb;

	if ((kb = keymap_find(km, view, key)) == NULL)
		kb = keymap_find(km, "global", key);
	return (kb == NULL ? NULL : kb->command);
}

size_t
keymap_count(const struct keymap *km)
{
	return (km->n);
}

const struct keymap_binding *
keymap_get(const struct keymap *km, size_t i)
{
	return (i < km->n ? &km->bindings[i] : NULL);
}
