/*
 * engine/replay.c: the account's journal of user actions, and its replay
 * against the server.
 *
 * An action is written to the journal (fsynced) before it is applied to
 * the local files, so whatever happens next the server hears of it.  Two
 * kinds of entry, folder names %-escaped so that fields split on spaces:
 *
 *	move SRC UID DST BASE	a message leaves SRC for DST
 *	tag FOLDER UID +a -b	tags (and so flags) changed
 *
 * BASE is the file name's unique part (before ",U=" or ":2,"): it finds
 * the local file in either folder, whichever step a crash interrupted.
 * Replaying an entry twice does no harm: a UID already gone from SRC was
 * moved, and +FLAGS/-FLAGS are idempotent.  An entry leaves the journal
 * only after the server answered OK.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "net/net.h"
#include "store/store.h"
#include "engine/engine.h"
#include "engine/private.h"

#define REPLAY_MAX_FIELDS	64

void
engine_escape_field(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s <= ' ' || *s == '%' || *s == 0x7f)
			buf_printf(b, "%%%02X", (unsigned char)*s);
		else
			buf_addch(b, *s);
	}
}

static int
replay_hex(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	return (-1);
}

/* Unescapes in place; -1 when malformed. */
static int
replay_unescape(char *s)
{
	char	*out = s;
	int	 hi, lo;

	for (; *s != '\0'; s++) {
		if (*s != '%') {
			*out++ = *s;
			continue;
		}
		if ((hi = replay_hex(s[1])) < 0 || (lo = replay_hex(s[2])) < 0 ||
		    (hi == 0 && lo == 0))
			return (-1);
		*out++ = (char)(hi << 4 | lo);
		s += 2;
	}
	*out = '\0';
	return (0);
}

/* Splits an entry into unescaped fields; the count, or -1. */
static int
replay_split(char *text, char **fields)
{
	char	*p;
	int	 n = 0;

	while ((p = strsep(&text, " ")) != NULL) {
		if (*p == '\0')
			continue;
		if (n == REPLAY_MAX_FIELDS || replay_unescape(p) != 0)
			return (-1);
		fields[n++] = p;
	}
	return (n);
}

static int
replay_uid(const char *s, uint32_t *uid)
{
	const char	*errstr;
	long long	 v;

	v = strtonum(s, 1, UINT32_MAX, &errstr);
	if (errstr != NULL)
		return (-1);
	*uid = (uint32_t)v;
	return (0);
}

static void
replay_moves_free(struct sync *s)
{
	size_t	 i;

	for (i = 0; i < s->n_moves; i++)
		free(s->moves[i].folder);
	free(s->moves);
	s->moves = NULL;
	s->n_moves = 0;
}

/* Notes which (folder, UID) pairs the entries move away. */
static void
replay_note_moves(struct sync *s, const struct journal_entry *e, size_t n)
{
	char	*copy, *f[REPLAY_MAX_FIELDS];
	size_t	 i;
	uint32_t uid;

	replay_moves_free(s);
	for (i = 0; i < n; i++) {
		if (strncmp(e[i].text, "move ", 5) != 0)
			continue;
		copy = xstrdup(e[i].text);
		if (replay_split(copy, f) == 5 && replay_uid(f[2], &uid) == 0) {
			s->moves = xreallocarray(s->moves, s->n_moves + 1,
			    sizeof *s->moves);
			s->moves[s->n_moves].folder = xstrdup(f[1]);
			s->moves[s->n_moves++].uid = uid;
		}
		free(copy);
	}
}

/*
 * Loads the pending entries and notes which (folder, UID) pairs they
 * move away, whatever becomes of each entry in this run: a move the
 * server refused is still not new mail in its source folder.
 */
int
engine_journal_load(struct sync *s, char **cause)
{
	engine_journal_unload(s);
	if (journal_pending(s->journal, &s->pending, &s->n_pending, cause) != 0)
		return (-1);
	replay_note_moves(s, s->pending, s->n_pending);
	return (0);
}

/*
 * Reads the moves again, for actions taken while the sync ran (the TUI
 * writes the entry before it moves the file, so after a folder scan this
 * sees every move that scan could have missed).  Entries pending since
 * the load are noted too; they are replayed next run.
 */
int
engine_journal_moves_reload(struct sync *s, char **cause)
{
	struct journal_entry	*e;
	size_t			 n;

	if (journal_pending(s->journal, &e, &n, cause) != 0)
		return (-1);
	replay_note_moves(s, e, n);
	journal_entries_free(e, n);
	return (0);
}

void
engine_journal_unload(struct sync *s)
{
	journal_entries_free(s->pending, s->n_pending);
	s->pending = NULL;
	s->n_pending = 0;
	replay_moves_free(s);
}

int
engine_journal_pending_move(struct sync *s, const char *folder, uint32_t uid)
{
	size_t	 i;

	for (i = 0; i < s->n_moves; i++) {
		if (s->moves[i].uid == uid &&
		    strcmp(s->moves[i].folder, folder) == 0)
			return (1);
	}
	return (0);
}

/* The file in dir's cur/ or new/ whose name starts with base. */
char *
engine_find_base(const char *dir, const char *base)
{
	static const char *const subs[] = { "cur", "new" };
	struct dirent	*de;
	DIR		*d;
	char		*sub, *found = NULL;
	size_t		 len = strlen(base), i;

	for (i = 0; i < 2 && found == NULL; i++) {
		sub = path_join(dir, subs[i]);
		if ((d = opendir(sub)) != NULL) {
			while ((de = readdir(d)) != NULL) {
				if (strncmp(de->d_name, base, len) == 0 &&
				    (de->d_name[len] == ',' ||
				    de->d_name[len] == ':' ||
				    de->d_name[len] == '\0')) {
					found = path_join(sub, de->d_name);
					break;
				}
			}
			closedir(d);
		}
		free(sub);
	}
	return (found);
}

/* The unique part of a Maildir file name (the caller frees). */
char *
engine_file_base(const char *path)
{
	const char	*name, *end;

	name = strrchr(path, '/');
	name = name != NULL ? name + 1 : path;
	end = name + strcspn(name, ",:");
	return (xstrndup(name, (size_t)(end - name)));
}

int
engine_strip_uid(const char *dir, const char *name, char **cause)
{
	char	*path, *newpath = NULL;
	int	 rc = 0;

	/* maildir_move() into the same folder drops the ",U=" part. */
	path = path_join(dir, name);
	if (maildir_move(path, dir, 0, &newpath, cause) != STORE_OK)
		rc = -1;
	free(newpath);
	free(path);
	return (rc);
}

static int
replay_select(struct sync *s, const char *folder, char **cause)
{
	struct net_mailbox	 mb;

	return (net_imap_select(s->imap, folder, &mb, cause));
}

/* Does the selected folder still hold uid? */
static int
replay_has_uid_cb(const struct net_msg *m, void *arg)
{
	(void)m;
	*(int *)arg = 1;
	return (0);
}

static int
replay_replay_move(struct sync *s, char **f, char **cause)
{
	struct net_uids	 newuids;
	char		*src, *dst, *path;
	char		*newpath = NULL;
	uint32_t	 uid, newuid = 0;
	int		 present = 0;

	if (replay_uid(f[2], &uid) != 0)
		return (1);
	if ((src = sync_folder_dir(s->root, f[1])) == NULL ||
	    (dst = sync_folder_dir(s->root, f[3])) == NULL) {
		free(src);
		return (1);
	}
	memset(&newuids, 0, sizeof newuids);
	if (replay_select(s, f[1], cause) != 0)
		goto fail;
	if (net_imap_fetch_flags(s->imap, uid, uid, 0, NULL,
	    replay_has_uid_cb, &present, cause) != 0)
		goto fail;
	if (present) {
		if (net_imap_move(s->imap, &uid, 1, f[3], &newuids,
		    cause) != 0) {
			if (!net_imap_usable(s->imap))
				goto fail;
			/* Perhaps no such folder yet: create, try again. */
			free(*cause);
			*cause = NULL;
			if (net_imap_create(s->imap, f[3], cause) != 0 &&
			    !net_imap_usable(s->imap))
				goto fail;
			free(*cause);
			*cause = NULL;
			if (replay_select(s, f[1], cause) != 0 ||
			    net_imap_move(s->imap, &uid, 1, f[3], &newuids,
			    cause) != 0)
				goto fail;
		}
		if (newuids.n == 1)
			newuid = newuids.v[0];
		s->stats->replayed++;
	}
	/* The local side, wherever the crash left the file. */
	if ((path = engine_find_base(src, f[4])) != NULL) {
		(void)maildir_create(dst, NULL);
		if (maildir_move(path, dst, newuid, &newpath, cause) !=
		    STORE_OK) {
			free(path);
			goto fail;
		}
		free(path);
	} else if (newuid != 0 && (path = engine_find_base(dst, f[4])) !=
	    NULL) {
		if (maildir_set_flags(path, maildir_name_flags(path), newuid,
		    &newpath, cause) != STORE_OK) {
			free(path);
			goto fail;
		}
		free(path);
	}
	free(newpath);
	net_uids_free(&newuids);
	free(src);
	free(dst);
	return (0);
fail:
	free(newpath);
	net_uids_free(&newuids);
	free(src);
	free(dst);
	return (-1);
}

/* Tags that are IMAP system flags; other tags become keywords. */
static int
replay_tag_flag(const char *tag, int *flag, int *inverted)
{
	static const struct {
		const char	*tag;
		int		 flag;
		int		 inverted;
	} map[] = {
		{ "unread", NET_FLAG_SEEN, 1 },
		{ "flagged", NET_FLAG_FLAGGED, 0 },
		{ "replied", NET_FLAG_ANSWERED, 0 },
		{ "draft", NET_FLAG_DRAFT, 0 },
		{ "deleted", NET_FLAG_DELETED, 0 },
	};
	size_t	 i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++) {
		if (strcmp(tag, map[i].tag) == 0) {
			*flag = map[i].flag;
			*inverted = map[i].inverted;
			return (1);
		}
	}
	return (0);
}

/* Tags that stay local: notmuch's own and satchel's view tags. */
int
engine_tag_is_local(const char *tag)
{
	static const char *const local[] = {
		"inbox", "attachment", "signed", "encrypted", "new", "passed",
		"spam",
	};
	size_t	 i;

	for (i = 0; i < sizeof local / sizeof local[0]; i++) {
		if (strcmp(tag, local[i]) == 0)
			return (1);
	}
	/* IMAP keywords are atoms: no specials, no '\'. */
	return (strpbrk(tag, "(){ %*\"\\]") != NULL || *tag == '\0');
}

static int
replay_replay_tag(struct sync *s, char **f, int n, char **cause)
{
	struct net_mailbox	 mb;
	char	*kw[2][REPLAY_MAX_FIELDS + 1];
	size_t	 nk[2] = { 0, 0 };
	uint32_t uid;
	int	 flags[2] = { 0, 0 }, i, add, flag, inverted;

	if (replay_uid(f[2], &uid) != 0)
		return (1);
	for (i = 3; i < n; i++) {
		if (f[i][0] != '+' && f[i][0] != '-')
			return (1);
		add = f[i][0] == '+';
		if (replay_tag_flag(f[i] + 1, &flag, &inverted)) {
			flags[add ^ inverted] |= flag;
			continue;
		}
		if (engine_tag_is_local(f[i] + 1))
			continue;
		kw[add][nk[add]++] = f[i] + 1;
	}
	if (net_imap_select(s->imap, f[1], &mb, cause) != 0)
		return (-1);
	/* A folder that takes no new keywords would refuse the STORE, and
	 * the entry would wait forever: the tags stay local there. */
	if (!mb.keywords && nk[1] > 0) {
		log_info("%s: '%s' takes no new keywords; tags kept local",
		    s->acct->name, f[1]);
		nk[1] = 0;
	}
	kw[0][nk[0]] = kw[1][nk[1]] = NULL;
	for (add = 0; add < 2; add++) {
		if (net_imap_store(s->imap, &uid, 1, add, flags[add],
		    nk[add] > 0 ? kw[add] : NULL, cause) != 0)
			return (-1);
	}
	s->stats->replayed++;
	return (0);
}

int
engine_journal_replay(struct sync *s, const char *folder, char **cause)
{
	struct journal_entry	*e;
	char			*copy, *f[REPLAY_MAX_FIELDS];
	size_t			 i;
	int			 n, rc;

	for (i = 0; i < s->n_pending; i++) {
		e = &s->pending[i];
		if (e->text == NULL)
			continue;	/* done in this run */
		copy = xstrdup(e->text);
		n = replay_split(copy, f);
		if (n >= 2 && folder != NULL && strcmp(f[1], folder) != 0) {
			free(copy);
			continue;
		}
		if (n == 5 && strcmp(f[0], "move") == 0)
			rc = replay_replay_move(s, f, cause);
		else if (n >= 3 && strcmp(f[0], "tag") == 0)
			rc = replay_replay_tag(s, f, n, cause);
		else
			rc = 1;
		free(copy);
		if (rc == 1) {
			/* Not ours to understand (a newer version wrote it?):
			 * keep it, say so once per run. */
			log_warnx("%s: journal entry %llu not understood; "
			    "kept", s->acct->name,
			    (unsigned long long)e->seq);
			free(e->text);
			e->text = NULL;
			continue;
		}
		if (rc != 0) {
			if (!net_imap_usable(s->imap))
				return (-1);
			/* The server refused this one (NO): keep it for the
			 * next run, go on with the others. */
			log_warnx("%s: journal entry %llu: %s; kept",
			    s->acct->name, (unsigned long long)e->seq,
			    *cause);
			free(*cause);
			*cause = NULL;
			free(e->text);
			e->text = NULL;
			continue;
		}
		if (journal_done(s->journal, e->seq, cause) != 0)
			return (-1);
		free(e->text);
		e->text = NULL;
	}
	return (0);
}
