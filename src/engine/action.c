/*
 * engine/action.c: user actions (tag, move) on the messages of a query,
 * and taking them back.
 *
 * The order is the journal's promise: for a message of an IMAP account the
 * entry is appended and fsynced first, then the file and the index change.
 * A crash after the entry leaves a replay that also finishes the local
 * side (engine/replay.c finds the file by its unique name).
 *
 * Each action can note what it really did in a struct engine_change: per
 * message the tags it gained and lost (not the ones asked for: a message
 * that was already read must stay read when "mark read" is undone), per
 * moved file where it came from.  Undo walks the notes backwards.  A move
 * whose journal entry the server has not seen yet is taken back by
 * cancelling the entry, so the server never hears of either; one the
 * server has done is moved back like any other move.
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

enum action_kind {
	ACTION_TAG,
	ACTION_MOVE,
};

/* One message's tag change, or one file's move, as it happened. */
struct action_step {
	enum action_kind kind;
	char		*message_id;	/* TAG */
	char		**added;	/* TAG: tags gained, NULL-terminated */
	char		**removed;	/* ... and lost */
	char		*src;		/* MOVE: the Maildir the file left */
	char		*dst;		/* ... and the one it went to */
	char		*src_folder;	/* ... as the account names them */
	char		*dst_folder;
	char		*base;		/* the unique part of its name */
	uint32_t	 uid;		/* its UID in src; 0: none */
	size_t		 account;	/* 1 + the journaled account; 0: none */
	uint64_t	 seq;		/* its journal entry */
};

struct engine_change {
	struct action_step	*v;
	size_t			 n;
};

struct action_ctx {
	const struct config	*cfg;
	struct store_index	*idx;
	struct store_message	*msgs;		/* what the query matched */
	size_t			 n_msgs;
	struct journal		**journals;	/* per account, opened lazily */
	struct engine_change	*change;	/* NULL: not noted */
};

struct engine_change *
engine_change_new(void)
{
	return (xcalloc(1, sizeof (struct engine_change)));
}

static void
action_free_list(char **v)
{
	size_t	 i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

void
engine_change_free(struct engine_change *c)
{
	struct action_step	*st;
	size_t			 i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++) {
		st = &c->v[i];
		free(st->message_id);
		action_free_list(st->added);
		action_free_list(st->removed);
		free(st->src);
		free(st->dst);
		free(st->src_folder);
		free(st->dst_folder);
		free(st->base);
	}
	free(c->v);
	free(c);
}

int
engine_change_empty(const struct engine_change *c)
{
	return (c == NULL || c->n == 0);
}

const char *
engine_change_message(const struct engine_change *c)
{
	size_t	 i;

	for (i = 0; c != NULL && i < c->n; i++) {
		if (c->v[i].message_id != NULL)
			return (c->v[i].message_id);
	}
	return (NULL);
}

static struct action_step *
action_note(struct engine_change *c, enum action_kind kind)
{
	struct action_step	*st;

	c->v = xreallocarray(c->v, c->n + 1, sizeof *c->v);
	st = &c->v[c->n++];
	memset(st, 0, sizeof *st);
	st->kind = kind;
	return (st);
}

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
action_journal(struct action_ctx *ctx, size_t i, char **cause)
{
	char	*dir, *path;
	int	 rc;

	if (ctx->journals[i] != NULL)
		return (ctx->journals[i]);
	dir = engine_account_statedir(&ctx->cfg->accounts[i]);
	path = path_join(dir, "journal");
	rc = journal_open(path, &ctx->journals[i], cause);
	free(path);
	free(dir);
	return (rc == 0 ? ctx->journals[i] : NULL);
}

/* Appends one entry to the journal of account a; *seq gets its number. */
static int
action_log(struct action_ctx *ctx, const struct config_account *a,
    const char *text, uint64_t *seq, char **cause)
{
	struct journal	*j;

	if ((j = action_journal(ctx, (size_t)(a - ctx->cfg->accounts),
	    cause)) == NULL)
		return (-1);
	return (journal_add(j, text, seq, cause));
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

static void
action_begin(struct action_ctx *ctx, const struct config *cfg,
    struct store_index *idx, struct engine_change *change)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->cfg = cfg;
	ctx->idx = idx;
	ctx->change = change;
	ctx->journals = xcalloc(cfg->n_accounts + 1, sizeof *ctx->journals);
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

/* Whether s is among the first n strings of v (n = -1: NULL-ended). */
static int
action_has(char *const *v, size_t n, const char *s)
{
	size_t	 i;

	for (i = 0; v != NULL && (n == (size_t)-1 ? v[i] != NULL : i < n);
	    i++) {
		if (strcmp(v[i], s) == 0)
			return (1);
	}
	return (0);
}

/*
 * The tags of want that the message has (has = 1) or lacks, once each,
 * NULL-terminated; a tag also in except is left out.
 */
static char **
action_delta(const struct store_message *m, char *const *want, int has,
    char *const *except)
{
	char	**v;
	size_t	  i, n = 0;

	v = xcalloc(1, sizeof *v);
	for (i = 0; want[i] != NULL; i++) {
		if (action_has(m->tags, m->n_tags, want[i]) != has ||
		    action_has(v, n, want[i]) ||
		    action_has(except, (size_t)-1, want[i]))
			continue;
		v = xreallocarray(v, n + 2, sizeof *v);
		v[n++] = xstrdup(want[i]);
		v[n] = NULL;
	}
	return (v);
}

/* The journal text of a tag change; 1 when any tag travels to servers. */
static int
action_tag_text(struct buf *b, const char *folder, uint32_t uid,
    char *const *add, char *const *del)
{
	size_t	 i;
	int	 server = 0;

	buf_addstr(b, "tag ");
	engine_escape_field(b, folder);
	buf_printf(b, " %u", uid);
	for (i = 0; add[i] != NULL; i++) {
		buf_addstr(b, " +");
		engine_escape_field(b, add[i]);
		server |= !engine_tag_is_local(add[i]);
	}
	for (i = 0; del[i] != NULL; i++) {
		buf_addstr(b, " -");
		engine_escape_field(b, del[i]);
		server |= !engine_tag_is_local(del[i]);
	}
	return (server);
}

/*
 * Changes the tags of one message: only those that differ, journaled per
 * file when any of them travels to the server.  Returns 1 when the
 * message changed, 0 when it had nothing to change, -1 on failure.
 */
static int
action_tag_message(struct action_ctx *ctx, const struct store_message *m,
    char *const *add, char *const *del, char **cause)
{
	struct action_where	 w;
	struct action_step	*st;
	struct buf		 text;
	char			**gain, **lose;
	size_t			 k;
	int			 rc = 0;

	gain = action_delta(m, add, 0, NULL);
	lose = action_delta(m, del, 1, add);
	if (gain[0] == NULL && lose[0] == NULL)
		goto out;
	buf_init(&text);
	for (k = 0; rc == 0 && k < m->n_filenames; k++) {
		if (action_where(ctx->cfg, m->filenames[k], &w) != 0)
			continue;
		buf_clear(&text);
		if (action_journaled(&w) && action_tag_text(&text, w.folder,
		    w.uid, gain, lose))
			rc = action_log(ctx, w.acct, text.data, NULL, cause);
		action_where_release(&w);
	}
	buf_release(&text);
	if (rc == 0 && store_index_tag_message(ctx->idx, m->message_id, gain,
	    lose, cause) != STORE_OK)
		rc = -1;
	if (rc != 0)
		goto out;
	if (ctx->change != NULL) {
		st = action_note(ctx->change, ACTION_TAG);
		st->message_id = xstrdup(m->message_id);
		st->added = gain;
		st->removed = lose;
		gain = lose = NULL;
	}
	rc = 1;
out:
	action_free_list(gain);
	action_free_list(lose);
	return (rc);
}

int
engine_action_tag(const struct config *cfg, struct store_index *idx,
    const char *query, char *const *add, char *const *del,
    struct engine_change *change, unsigned int *count, char **cause)
{
	static char *const	 none[] = { NULL };
	struct action_ctx	 ctx;
	size_t			 i;
	int			 rc = 0, r;

	*count = 0;
	action_begin(&ctx, cfg, idx, change);
	if (action_collect(idx, query, &ctx.msgs, &ctx.n_msgs, cause) != 0)
		rc = -1;
	for (i = 0; rc == 0 && i < ctx.n_msgs; i++) {
		r = action_tag_message(&ctx, &ctx.msgs[i],
		    add != NULL ? add : none, del != NULL ? del : none, cause);
		if (r < 0)
			rc = -1;
		else
			*count += (unsigned int)r;
	}
	action_done(&ctx);
	return (rc);
}

/* The folder a move goes to, for a file of account a (may be NULL). */
static const char *
action_target(const struct config *cfg, const struct config_account *a,
    const char *folder)
{
	if (strcmp(folder, "archive") == 0)
		return (a != NULL ? a->archive_folder : cfg->archive_folder);
	if (strcmp(folder, "trash") == 0)
		return (a != NULL ? a->trash_folder : cfg->trash_folder);
	return (folder);
}

/* The Maildir of root's folder ("" is root itself); NULL if invalid. */
static char *
action_folder_dir(const char *root, const char *folder)
{
	return (*folder == '\0' ? xstrdup(root) :
	    sync_folder_dir(root, folder));
}

/* Moves path into dst (with uid, 0: none) and tells the index. */
static int
action_rename(struct action_ctx *ctx, const char *path, const char *dst,
    uint32_t uid, char **cause)
{
	char	*newpath = NULL;
	int	 rc = -1;

	if (maildir_create(dst, cause) != STORE_OK ||
	    maildir_move(path, dst, uid, &newpath, cause) != STORE_OK)
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
	rc = 0;
out:
	free(newpath);
	return (rc);
}

/* The journal text of a move of base (UID uid) from src to dst. */
static char *
action_move_text(const char *src, uint32_t uid, const char *dst,
    const char *base)
{
	struct buf	 b;

	buf_init(&b);
	buf_addstr(&b, "move ");
	engine_escape_field(&b, src);
	buf_printf(&b, " %u ", uid);
	engine_escape_field(&b, dst);
	buf_addch(&b, ' ');
	engine_escape_field(&b, base);
	return (buf_detach(&b, NULL));
}

/* Moves one file; 1 when it moved, 0 when it was there already. */
static int
action_move_file(struct action_ctx *ctx, const char *path,
    const char *folder, char **cause)
{
	struct action_where	 w;
	struct action_step	*st;
	const char		*target;
	char			*src, *dst, *base, *text;
	uint64_t		 seq = 0;
	int			 rc = -1;

	if (action_where(ctx->cfg, path, &w) != 0)
		return (0);
	target = action_target(ctx->cfg, w.acct, folder);
	if (strcmp(target, w.folder) == 0) {
		action_where_release(&w);
		return (0);
	}
	base = engine_file_base(path);
	src = action_folder_dir(w.root, w.folder);
	if ((dst = action_folder_dir(w.root, target)) == NULL) {
		xcause(cause, "'%s' cannot be a folder name", target);
		goto out;
	}
	if (action_journaled(&w)) {
		text = action_move_text(w.folder, w.uid, target, base);
		rc = action_log(ctx, w.acct, text, &seq, cause);
		free(text);
		if (rc != 0)
			goto out;
	}
	if ((rc = action_rename(ctx, path, dst, 0, cause)) != 0)
		goto out;
	if (ctx->change != NULL && src != NULL) {
		st = action_note(ctx->change, ACTION_MOVE);
		st->src = xstrdup(src);
		st->dst = xstrdup(dst);
		st->src_folder = xstrdup(w.folder);
		st->dst_folder = xstrdup(target);
		st->base = xstrdup(base);
		st->uid = w.uid;
		st->account = seq != 0 ? (size_t)(w.acct -
		    ctx->cfg->accounts) + 1 : 0;
		st->seq = seq;
	}
	rc = 1;
out:
	free(base);
	free(src);
	free(dst);
	action_where_release(&w);
	return (rc);
}

int
engine_action_move(const struct config *cfg, struct store_index *idx,
    const char *query, const char *folder, struct engine_change *change,
    unsigned int *count, char **cause)
{
	struct action_ctx	 ctx;
	struct store_message	*m;
	size_t			 i, k;
	int			 rc = 0, r, any;

	*count = 0;
	action_begin(&ctx, cfg, idx, change);
	if (action_collect(idx, query, &ctx.msgs, &ctx.n_msgs, cause) != 0)
		rc = -1;
	for (i = 0; rc == 0 && i < ctx.n_msgs; i++) {
		m = &ctx.msgs[i];
		any = 0;
		for (k = 0; rc == 0 && k < m->n_filenames; k++) {
			if ((r = action_move_file(&ctx, m->filenames[k],
			    folder, cause)) < 0)
				rc = -1;
			any |= r > 0;
		}
		if (any)
			(*count)++;
	}
	action_done(&ctx);
	return (rc);
}

/* Takes back one message's tag change, as a tag change of its own. */
static int
action_undo_tag(struct action_ctx *ctx, const struct action_step *st,
    char **cause)
{
	struct store_message	 m;
	enum store_status	 s;
	char			*why = NULL;
	int			 rc;

	s = store_index_find_message(ctx->idx, st->message_id, &m, &why);
	if (s == STORE_ENOENT) {
		/* Gone since (expunged on the server): nothing to undo. */
		free(why);
		return (0);
	}
	if (s != STORE_OK) {
		xcause(cause, "%s", why);
		free(why);
		return (-1);
	}
	rc = action_tag_message(ctx, &m, st->removed, st->added, cause);
	store_message_release(&m);
	return (rc);
}

/*
 * Takes back one move.  If the journal entry is still pending it is
 * cancelled and the file goes home with its old UID, so the server never
 * sees either move; otherwise the way back is a move of its own.
 */
static int
action_undo_move(struct action_ctx *ctx, const struct action_step *st,
    char **cause)
{
	const struct config_account	*a = NULL;
	struct journal			*j;
	char				*path, *text;
	uint32_t			 uid = 0, now;
	int				 rc = -1, taken = 0;

	if ((path = engine_find_base(st->dst, st->base)) == NULL)
		return (0);	/* moved on or expunged since */
	if (st->account != 0) {
		a = &ctx->cfg->accounts[st->account - 1];
		if ((j = action_journal(ctx, st->account - 1, cause)) == NULL ||
		    journal_cancel(j, st->seq, &taken, cause) != 0)
			goto out;
		if (taken)
			uid = st->uid;
	}
	now = maildir_name_uid(path);
	if (a != NULL && !taken && now != 0) {
		text = action_move_text(st->dst_folder, now, st->src_folder,
		    st->base);
		rc = action_log(ctx, a, text, NULL, cause);
		free(text);
		if (rc != 0)
			goto out;
	}
	rc = action_rename(ctx, path, st->src, uid, cause) == 0 ? 1 : -1;
out:
	free(path);
	return (rc);
}

int
engine_action_undo(const struct config *cfg, struct store_index *idx,
    const struct engine_change *change, unsigned int *count, char **cause)
{
	struct action_ctx	 ctx;
	const struct action_step *st;
	size_t			 i;
	int			 rc = 0, r;

	*count = 0;
	action_begin(&ctx, cfg, idx, NULL);
	for (i = change->n; rc == 0 && i > 0; i--) {
		st = &change->v[i - 1];
		if (st->kind == ACTION_TAG)
			r = action_undo_tag(&ctx, st, cause);
		else
			r = action_undo_move(&ctx, st, cause);
		if (r < 0)
			rc = -1;
		else
			*count += (unsigned int)r;
	}
	action_done(&ctx);
	return (rc);
}
