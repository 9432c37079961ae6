/*
 * cmd/cmd-complete.c: what Tab offers at the prompt.
 *
 * The first word completes to command names.  After "tag", a word
 * starting with + or - completes to tags; after "move", to folders (of
 * the accounts, as move takes them, and of the mail root).  After
 * "search" and "select-query" the word is a query term: "tag:" and "is:"
 * complete to tags, "folder:" to folders under the mail root, "from:"
 * and "to:" to addresses from the address book (engine/addrbook.c, best
 * first), and a bare word to the term prefixes.  Leading "(" and "-" stay in front of what is offered.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "store/store.h"
#include "engine/engine.h"
#include "ui/ui.h"
#include "cmd/cmd.h"
#include "private.h"

struct cmd_matches {
	char	**v;
	size_t	  n;
	int	  ranked;	/* best first already: not sorted */
};

static void
cmd_complete_add(struct cmd_matches *m, const char *before, const char *s,
    const char *after)
{
	char	*c;
	size_t	 i;

	xasprintf(&c, "%s%s%s", before, s, after);
	for (i = 0; i < m->n; i++) {
		if (strcmp(m->v[i], c) == 0) {
			free(c);
			return;
		}
	}
	m->v = xreallocarray(m->v, m->n + 1, sizeof *m->v);
	m->v[m->n++] = c;
}

static int
cmd_complete_prefix(const char *s, const char *prefix)
{
	return (strncmp(s, prefix, strlen(prefix)) == 0);
}

static void
cmd_complete_commands(struct cmd_matches *m, const char *word)
{
	size_t	 i;

	for (i = 0; i < cmd_count(); i++) {
		if (cmd_complete_prefix(cmd_get(i)->name, word))
			cmd_complete_add(m, "", cmd_get(i)->name, "");
	}
}

static void
cmd_complete_tags(struct cmd_matches *m, const char *before,
    const char *word)
{
	char	**tags;
	size_t	  n, i;

	if (cmd_get_env()->index == NULL ||
	    store_index_all_tags(cmd_get_env()->index, &tags, &n) != STORE_OK)
		return;
	for (i = 0; i < n; i++) {
		if (cmd_complete_prefix(tags[i], word))
			cmd_complete_add(m, before, tags[i], "");
	}
	store_free_names(tags, n);
}

static void
cmd_complete_themes(struct cmd_matches *m, const char *word)
{
	const char *const	*names = ui_theme_names();
	size_t			 i;

	for (i = 0; names[i] != NULL; i++) {
		if (cmd_complete_prefix(names[i], word))
			cmd_complete_add(m, "", names[i], "");
	}
}

/* Whether path lies in (or is) the Maildir tree of an account. */
static int
cmd_complete_in_account(const struct config *cfg, const char *path)
{
	char	*root;
	size_t	 i, len;
	int	 in = 0;

	for (i = 0; i < cfg->n_accounts && !in; i++) {
		root = engine_account_root(cfg, &cfg->accounts[i]);
		len = strlen(root);
		in = strncmp(path, root, len) == 0 &&
		    (path[len] == '\0' || path[len] == '/');
		free(root);
	}
	return (in);
}

/*
 * Folders under root (relative to it) that start with word; with
 * outside set, only those in no account's tree (move takes an account's
 * folders relative to that account, and the others relative to root).
 */
static void
cmd_complete_folders_in(struct cmd_matches *m, const char *root,
    const char *before, const char *word, int outside)
{
	const struct config	*cfg = cmd_get_env()->cfg;
	char			**names, *path;
	size_t			  n, i;
	int			  skip;

	maildir_list(root, &names, &n);
	for (i = 0; i < n; i++) {
		if (*names[i] == '\0' || !cmd_complete_prefix(names[i], word))
			continue;
		skip = 0;
		if (outside) {
			path = path_join(root, names[i]);
			skip = cmd_complete_in_account(cfg, path);
			free(path);
		}
		if (!skip)
			cmd_complete_add(m, before, names[i], "");
	}
	store_free_names(names, n);
}

/*
 * Folder names: for "move" (accounts set) each account's folders, the
 * names archive and trash, and the folders outside accounts; for a
 * folder: query term, every folder under the mail root.
 */
static void
cmd_complete_folders(struct cmd_matches *m, const char *before,
    const char *word, int accounts)
{
	const struct config	*cfg = cmd_get_env()->cfg;
	char			*root;
	size_t			 i;

	if (cfg == NULL)
		return;
	if (accounts) {
		for (i = 0; i < cfg->n_accounts; i++) {
			root = engine_account_root(cfg, &cfg->accounts[i]);
			cmd_complete_folders_in(m, root, before, word, 0);
			free(root);
		}
		if (cmd_complete_prefix("archive", word))
			cmd_complete_add(m, before, "archive", "");
		if (cmd_complete_prefix("trash", word))
			cmd_complete_add(m, before, "trash", "");
	}
	cmd_complete_folders_in(m, cfg->mail_root, before, word, accounts);
}

/* Addresses from the address book for a from: or to: term. */
static void
cmd_complete_query_addresses(struct cmd_matches *m, const char *before,
    const char *word)
{
	struct engine_address	*v;
	size_t			 n, i;

	cmd_complete_lookup(word, NULL, &v, &n);
	m->ranked = 1;
	for (i = 0; i < n; i++)
		cmd_complete_add(m, before, v[i].address, "");
	engine_addresses_free(v, n);
}

static void
cmd_complete_query(struct cmd_matches *m, const char *word)
{
	static const char *const prefixes[] = {
		"tag:", "from:", "to:", "folder:", "subject:", "date:",
		"attachment:", "mimetype:", "id:", "thread:", "is:", "path:",
	};
	const char	*colon;
	char		*before, *prefix;
	size_t		 lead, i;

	lead = strspn(word, "(-");
	colon = strchr(word + lead, ':');
	if (colon == NULL) {
		before = xstrndup(word, lead);
		for (i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
			if (cmd_complete_prefix(prefixes[i], word + lead))
				cmd_complete_add(m, before, prefixes[i], "");
		}
		free(before);
		return;
	}
	before = xstrndup(word, (size_t)(colon + 1 - word));
	prefix = xstrndup(word + lead, (size_t)(colon - word - lead));
	if (strcmp(prefix, "tag") == 0 || strcmp(prefix, "is") == 0)
		cmd_complete_tags(m, before, colon + 1);
	else if (strcmp(prefix, "folder") == 0)
		cmd_complete_folders(m, before, colon + 1, 0);
	else if (strcmp(prefix, "from") == 0 || strcmp(prefix, "to") == 0)
		cmd_complete_query_addresses(m, before, colon + 1);
	free(prefix);
	free(before);
}

static int
cmd_complete_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

char **
cmd_complete(const char *line, size_t *n)
{
	struct cmd_matches	 m = { NULL, 0, 0 };
	const char		*word, *sp;
	char			*cmd;

	line += strspn(line, " ");
	word = strrchr(line, ' ');
	word = word != NULL ? word + 1 : line;
	if (word == line)
		cmd_complete_commands(&m, word);
	else {
		sp = strchr(line, ' ');
		cmd = xstrndup(line, (size_t)(sp - line));
		if (strcmp(cmd, "tag") == 0 && (*word == '+' || *word == '-')) {
			char	 sign[2] = { *word, '\0' };

			cmd_complete_tags(&m, sign, word + 1);
		} else if (strcmp(cmd, "move") == 0 && *word != '-')
			cmd_complete_folders(&m, "", word, 1);
		else if (strcmp(cmd, "theme") == 0)
			cmd_complete_themes(&m, word);
		else if (strcmp(cmd, "search") == 0 ||
		    strcmp(cmd, "select-query") == 0)
			cmd_complete_query(&m, word);
		free(cmd);
	}
	if (m.n > 1 && !m.ranked)
		qsort(m.v, m.n, sizeof *m.v, cmd_complete_cmp);
	*n = m.n;
	return (m.v);
}
