/*
 * engine/action.c: user actions (tag, move) on the messages of a query.
 *
 * The order is the journal's promise: for a message of an IMAP account the
 * entry is appended and fsynced first, then the file and the index change.
 * A crash after the entry leaves a replay that also finishes the local
 * side (engine/replay.c finds the file by its unique name).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "store/store.h"
#include "engine/engine.h"
#include "engine/private.h"

/* Where a message file lives: its account, folder and UID. */
struct action_where {
	const struct config_account	*acct;	/* NULL: outside accounts */
	char				*root;	/* account root or mail root */
	char				*folder;	/* relative to root */
	uint32_t			 uid;
};

struct action_ctx {
	const struct config	*cfg;
	struct store_index	*idx;
	struct store_message	*msgs;		/* what the query matched */
	size_t			 n_msgs;
	struct journal		**journals;	/* per account, opened lazily */
};

static void
action_where_release(struct action_where *w)
{
	free(w->root);
	free(w->folder);
	memset(w, 0, sizeof *w);
}

/* Splits "<root>/<folder>/cur/<name>"; -1 for a file not in a Maildir. */
static int
action_where(const struct config *cfg, const char *path,
    struct action_where *w)
{
	const struct config_account	*a;
	const char			*rel, *end;
	char				*root;
	size_t				 i, len;

	memset(w, 0, sizeof *w);
	for (i = 0; i < cfg->n_accounts; i++) {
		a = &cfg->accounts[i];
		root = engine_account_root(cfg, a);
		len = strlen(root);
		if (strncmp(path, root, len) == 0 && path[len] == '/') {
			w->acct = a;
			w->root = root;
			break;
		}
		free(root);
	}
	if (w->root == NULL)
		w->root = xstrdup(cfg->mail_root);
	len = strlen(w->root);
	if (strncmp(path, w->root, len) != 0 || path[len] != '/')
		goto fail;
	rel = path + len + 1;
	if ((end = strrchr(rel, '/')) == NULL || end - rel < 3)
		goto fail;
	if (end - rel == 3 && (strncmp(rel, "cur", 3) == 0 ||
	    strncmp(rel, "new", 3) == 0))
		w->folder = xstrdup("");	/* the root is a Maildir */
	else if (end - rel > 4 && (strncmp(end - 4, "/cur", 4) == 0 ||
	    strncmp(end - 4, "/new", 4) == 0))
		w->folder = xstrndup(rel, (size_t)(end - 4 - rel));
	else
		goto fail;
	w->uid = maildir_name_uid(end + 1);
	return (0);
fail:
	action_where_release(w);
	return (-1);
}

static struct journal *
action_journal(struct action_ctx *ctx, const struct config_account *a,
    char **cause)
{
	size_t	 i = (size_t)(a - ctx->cfg->accounts);
	char	*dir, *path;
	int	 rc;

	if (ctx->journals[i] != NULL)
		return (ctx->journals[i]);
	dir = engine_account_statedir(a);
	path = path_join(dir, "journal");
	rc = journal_open(path, &ctx->journals[i], cause);
	free(path);
	free(dir);
	return (rc == 0 ? ctx->journals[i] : NULL);
}

/* Appends one entry to the journal of account a. */
static int
action_log(struct action_ctx *ctx, const struct config_account *a,
    const char *text, char **cause)
{
	struct journal	*j;

	if ((j = action_journal(ctx, a, cause)) == NULL)
		return (-1);
	return (journal_add(j, text, NULL, cause));
}

/* Whether a file's change must reach a server through the journal. */
static int
action_journaled(const struct action_where *w)
{
	return (w->acct != NULL && w->acct->type == CONFIG_ACCOUNT_IMAP &&
	    w->uid != 0);
}

/* The messages of the query, read before any of them changes. */
static int
action_collect(struct store_index *idx, const char *query,
    struct store_message **out, size_t *n, char **cause)
{
	struct store_messages	*ms;
	struct store_message	 m;
	size_t			 size = 0;

	*out = NULL;
	*n = 0;
	if (store_index_search_messages(idx, query, STORE_SORT_OLDEST_FIRST,
	    &ms, cause) != STORE_OK)
		return (-1);
	while (store_messages_next(ms, &m)) {
		if (*n == size) {
			size = size == 0 ? 16 : size * 2;
			*out = xreallocarray(*out, size, sizeof **out);
		}
		(*out)[(*n)++] = m;
	}
	store_messages_free(ms);
	return (0);
}

static int
action_begin(struct action_ctx *ctx, const struct config *cfg,
    struct store_index *idx, const char *query, char **cause)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->cfg = cfg;
	ctx->idx = idx;
	if (action_collect(idx, query, &ctx->msgs, &ctx->n_msgs, cause) != 0)
		return (-1);
	ctx->journals = xcalloc(cfg->n_accounts + 1, sizeof *ctx->journals);
	return (0);
}

static void
action_done(struct action_ctx *ctx)
{
	size_t	 i;

	for (i = 0; i < ctx->cfg->n_accounts; i++)
		journal_close(ctx->journals[i]);
	free(ctx->journals);
	store_message_array_free(ctx->msgs, ctx->n_msgs);
}

static void
action_tag_text(struct buf *b, const char *folder, uint32_t uid,
    char *const *add, char *const *del)
{
	size_t	 i;

	buf_addstr(b, "tag ");
	engine_escape_field(b, folder);
	buf_printf(b, " %u", uid);
	for (i = 0; add != NULL && add[i] != NULL; i++) {
		buf_addstr(b, " +");
		engine_escape_field(b, add[i]);
	}
	for (i = 0; del != NULL && del[i] != NULL; i++) {
		buf_addstr(b, " -");
		engine_escape_field(b, del[i]);
	}
}

int
engine_action_tag(const struct config *cfg, struct store_index *idx,
    const char *query, char *const *add, char *const *del,
    unsigned int *count, char **cause)
{
	struct action_ctx	 ctx;
	struct store_message	*m;
	struct action_where	 w;
	struct buf		 text;
	size_t			 i, k;
	int			 rc = 0;

	*count = 0;
	if (action_begin(&ctx, cfg, idx, query, cause) != 0)
		return (-1);
	buf_init(&text);
	for (i = 0; rc == 0 && i < ctx.n_msgs; i++) {
		m = &ctx.msgs[i];
		for (k = 0; rc == 0 && k < m->n_filenames; k++) {
			if (action_where(cfg, m->filenames[k], &w) != 0)
				continue;
			if (action_journaled(&w)) {
				buf_clear(&text);
				action_tag_text(&text, w.folder, w.uid, add,
				    del);
				rc = action_log(&ctx, w.acct, text.data, cause);
			}
			action_where_release(&w);
		}
		if (rc == 0 && store_index_tag_message(idx, m->message_id,
		    add, del, cause) != STORE_OK)
			rc = -1;
		if (rc == 0)
			(*count)++;
	}
	buf_release(&text);
	action_done(&ctx);
	return (rc);
}

/* The folder a move goes to, for a file of account a (may be NULL). */
static const char *
action_target(const struct config_account *a, const char *folder)
{
	if (a != NULL && strcmp(folder, "archive") == 0)
		return (a->archive_folder);
	if (a != NULL && strcmp(folder, "trash") == 0)
		return (a->trash_folder);
	return (folder);
}

static int
action_move_file(struct action_ctx *ctx, const char *path,
    const char *folder, int *moved, char **cause)
{
	struct action_where	 w;
	struct buf		 text;
	const char		*target;
	char			*dst, *base, *newpath = NULL;
	int			 rc = -1;

	*moved = 0;
	if (action_where(ctx->cfg, path, &w) != 0)
		return (0);
	target = action_target(w.acct, folder);
	if (strcmp(target, w.folder) == 0) {
		action_where_release(&w);
		return (0);
	}
	if ((dst = sync_folder_dir(w.root, target)) == NULL) {
		xcause(cause, "'%s' cannot be a folder name", target);
		action_where_release(&w);
		return (-1);
	}
	buf_init(&text);
	if (action_journaled(&w)) {
		base = engine_file_base(path);
		buf_addstr(&text, "move ");
		engine_escape_field(&text, w.folder);
		buf_printf(&text, " %u ", w.uid);
		engine_escape_field(&text, target);
		buf_addch(&text, ' ');
		engine_escape_field(&text, base);
		free(base);
		if (action_log(ctx, w.acct, text.data, cause) != 0)
			goto out;
	}
	if (maildir_create(dst, cause) != STORE_OK ||
	    maildir_move(path, dst, 0, &newpath, cause) != STORE_OK)
		goto out;
	/* The index follows; a crash here is repaired by the next scan. */
	if (store_index_begin(ctx->idx) != STORE_OK ||
	    store_index_add_file(ctx->idx, newpath, NULL, cause) != STORE_OK ||
	    store_index_remove_file(ctx->idx, path) != STORE_OK ||
	    store_index_end(ctx->idx) != STORE_OK) {
		if (cause != NULL && *cause == NULL)
			xcause(cause, "cannot index '%s'", newpath);
		goto out;
	}
	*moved = 1;
	rc = 0;
out:
	free(newpath);
	free(dst);
	buf_release(&text);
	action_where_release(&w);
	return (rc);
}

int
engine_action_move(const struct config *cfg, struct store_index *idx,
    const char *query, const char *folder, unsigned int *count, char **cause)
{
	struct action_ctx	 ctx;
	struct store_message	*m;
	size_t			 i, k;
	int			 rc = 0, moved, any;

	*count = 0;
	if (action_begin(&ctx, cfg, idx, query, cause) != 0)
		return (-1);
	for (i = 0; rc == 0 && i < ctx.n_msgs; i++) {
		m = &ctx.msgs[i];
		any = 0;
		for (k = 0; rc == 0 && k < m->n_filenames; k++) {
			rc = action_move_file(&ctx, m->filenames[k], folder,
			    &moved, cause);
			any |= moved;
		}
		if (any)
			(*count)++;
	}
	action_done(&ctx);
	return (rc);
}
