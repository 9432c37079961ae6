/*
 * cmd/cmd-complete-addr.c: completers for questions (ui_ask_complete()):
 * lists of addresses, from the address book and query_command, and
 * file names.  cmd-complete.c asks the address book here too, for the
 * from: and to: terms of the ":" prompt.
 *
 * The address book is opened for each Tab and freed after it: reading
 * its cache costs a few milliseconds, and an index that changed since is
 * caught up with then (engine_addrbook_update() reads only what changed).
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "store/store.h"
#include "engine/engine.h"
#include "ui/ui.h"
#include "cmd/cmd.h"
#include "private.h"

/* At most this many offers from each source for one Tab. */
#define CMD_COMPLETE_ADDR_LIMIT	50
/* ... and this many names of a directory. */
#define CMD_COMPLETE_PATH_LIMIT	1000

void
cmd_complete_lookup(const char *word, const char *command,
    struct engine_address **v, size_t *n)
{
	const struct cmd_env	*env = cmd_get_env();
	struct engine_addrbook	*ab = NULL;
	char			*cause = NULL;

	if (env->index != NULL) {
		ab = engine_addrbook_open(env->cfg, NULL);
		if (engine_addrbook_update(ab, env->index, &cause) != 0) {
			ui_error("address book: %s", cause);
			free(cause);
			cause = NULL;
		}
	}
	if (engine_addrbook_lookup(ab, word, CMD_COMPLETE_ADDR_LIMIT,
	    *word != '\0' ? command : NULL, v, n, &cause) != 0) {
		ui_error("%s", cause);
		free(cause);
	}
	engine_addrbook_free(ab);
}

/* Where the last address of a list starts: after the last comma outside
 * quotes and angle brackets. */
static size_t
cmd_complete_last_address(const char *line)
{
	size_t	 i, start = 0;
	int	 inq = 0, angle = 0;

	for (i = 0; line[i] != '\0'; i++) {
		if (inq) {
			if (line[i] == '\\' && line[i + 1] != '\0')
				i++;
			else if (line[i] == '"')
				inq = 0;
		} else if (line[i] == '"')
			inq = 1;
		else if (line[i] == '<')
			angle = 1;
		else if (line[i] == '>')
			angle = 0;
		else if (line[i] == ',' && !angle)
			start = i + 1;
	}
	return (start);
}

char **
cmd_complete_addresses(const char *line, size_t *n, void *carg)
{
	const struct config_account	*acct = carg;
	const struct config		*cfg = cmd_get_env()->cfg;
	struct engine_address		*v;
	const char			*command = NULL;
	char				**lines, *word, *prefix, *one;
	size_t				 start, end, nv, i;

	start = cmd_complete_last_address(line);
	xasprintf(&prefix, "%.*s%s", (int)start, line, start > 0 ? " " : "");
	while (line[start] == ' ' || line[start] == '\t')
		start++;
	end = strlen(line);
	while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t'))
		end--;
	word = xstrndup(line + start, end - start);
	if (acct != NULL && acct->query_command != NULL)
		command = acct->query_command;
	else if (cfg != NULL)
		command = cfg->query_command;
	cmd_complete_lookup(word, command, &v, &nv);
	lines = xcalloc(nv + 1, sizeof *lines);
	for (i = 0; i < nv; i++) {
		one = engine_address_format(v[i].address, v[i].name);
		xasprintf(&lines[i], "%s%s", prefix, one);
		free(one);
	}
	engine_addresses_free(v, nv);
	free(word);
	free(prefix);
	*n = nv;
	return (lines);
}

static int
cmd_complete_path_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

char **
cmd_complete_path(const char *line, size_t *n, void *carg)
{
	struct stat	 sb;
	struct dirent	*de;
	DIR		*d;
	const char	*slash, *base;
	char		**v = NULL, *typed, *dir, *home, *path;
	size_t		 nv = 0, len;

	(void)carg;
	*n = 0;
	if (strcmp(line, "~") == 0) {
		v = xcalloc(2, sizeof *v);
		v[0] = xstrdup("~/");
		*n = 1;
		return (v);
	}
	slash = strrchr(line, '/');
	base = slash != NULL ? slash + 1 : line;
	typed = xstrndup(line, (size_t)(base - line));	/* "dir/" or "" */
	if (*typed == '\0')
		dir = xstrdup(".");
	else if (strncmp(typed, "~/", 2) == 0) {
		home = path_expand("~");
		dir = path_join(home, typed + 2);
		free(home);
	} else
		dir = xstrdup(typed);
	len = strlen(base);
	if ((d = opendir(dir)) != NULL) {
		while (nv < CMD_COMPLETE_PATH_LIMIT &&
		    (de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			/* Hidden files only when asked for. */
			if (de->d_name[0] == '.' && base[0] != '.')
				continue;
			if (strncmp(de->d_name, base, len) != 0)
				continue;
			path = path_join(dir, de->d_name);
			v = xreallocarray(v, nv + 2, sizeof *v);
			xasprintf(&v[nv++], "%s%s%s", typed, de->d_name,
			    stat(path, &sb) == 0 && S_ISDIR(sb.st_mode) ?
			    "/" : "");
			free(path);
		}
		closedir(d);
	}
	free(dir);
	free(typed);
	if (nv > 1)
		qsort(v, nv, sizeof *v, cmd_complete_path_cmp);
	*n = nv;
	return (v);
}
