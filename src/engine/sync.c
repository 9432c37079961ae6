/*
 * engine/sync.c: one IMAP account brought in step with its Maildir tree.
 *
 * For each folder: replay what the journal holds for it, then compare three
 * views of every message (the local file, the server, and the state both
 * agreed on last time) and move each side to the merged result.  The
 * order of writes is chosen so that a crash at any point leaves something
 * the next run can finish:
 *
 *  - a new message is written to tmp/, fsynced and renamed into cur/ with
 *    its UID in the file name, so the UID map is the directory itself and
 *    a lost state file costs a flag re-read, never a second download;
 *  - a flag change is stored on the server before the local file is
 *    renamed, and the agreed state is saved last; a rerun sees one side
 *    already changed and finishes the other;
 *  - a local file is removed only once the server no longer lists its UID;
 *  - a file without a UID (moved here locally, or put here by another
 *    program) is matched by Message-ID and size against new server UIDs
 *    before anything is downloaded, and uploaded when nothing matches.
 *
 * The index is not touched here: the caller runs engine_ingest_scan()
 * afterwards, which sees new, renamed and removed files.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "mime/mime.h"
#include "net/net.h"
#include "store/store.h"
#include "engine/engine.h"
#include "engine/private.h"

/* Save the agreed state this often during a long download. */
#define SYNC_SAVE_EVERY		500

struct sync_file {
	uint32_t	 uid;
	int		 flags;		/* enum maildir_flags */
	char		*name;		/* "cur/..." relative to the folder */
	int		 matched;	/* UID-less file paired with a UID */
};
struct sync_local {
	struct sync_file *v;		/* with a UID, sorted by UID */
	size_t		 n;
	struct sync_file *nouid;
	size_t		 n_nouid;
};

/* What the server said about one UID in the flag fetch. */
struct sync_remote {
	uint32_t	 uid;
	int		 flags;		/* enum maildir_flags */
	int		 merged;	/* sync_flags(): the result, -1 none */
};
struct sync_remotes {
	struct sync_remote *v;
	size_t		 n;
	size_t		 size;
};

struct sync_folder {
	struct sync		*s;
	const char		*name;
	char			*dir;
	char			*statepath;
	struct syncstate	 st;
	struct net_mailbox	 mb;
	struct sync_local	 local;
	struct sync_remotes	 remote;
	unsigned int		 delivered;	/* since the last save */
};

/* IMAP system flags and the Maildir flags that stand for them. */
static const struct {
	int	 net;
	int	 maildir;
} sync_flag_map[] = {
	{ NET_FLAG_SEEN, MAILDIR_SEEN },
	{ NET_FLAG_FLAGGED, MAILDIR_FLAGGED },
	{ NET_FLAG_ANSWERED, MAILDIR_REPLIED },
	{ NET_FLAG_DRAFT, MAILDIR_DRAFT },
	{ NET_FLAG_DELETED, MAILDIR_TRASHED },
};

int
sync_flags_from_net(int f)
{
	size_t	 i;
	int	 m = 0;

	for (i = 0; i < sizeof sync_flag_map / sizeof sync_flag_map[0]; i++) {
		if (f & sync_flag_map[i].net)
			m |= sync_flag_map[i].maildir;
	}
	return (m);
}

int
sync_flags_to_net(int m)
{
	size_t	 i;
	int	 f = 0;

	for (i = 0; i < sizeof sync_flag_map / sizeof sync_flag_map[0]; i++) {
		if (m & sync_flag_map[i].maildir)
			f |= sync_flag_map[i].net;
	}
	return (f);
}

/* The flags IMAP carries; P (passed) has no system flag and stays local. */
#define SYNC_FLAG_MASK	(MAILDIR_SEEN | MAILDIR_FLAGGED | MAILDIR_REPLIED | \
	MAILDIR_DRAFT | MAILDIR_TRASHED)

/*
 * A server folder name as a directory under the account, or NULL when it
 * cannot be one safely: names come from the server and must not climb out
 * ("..") or collide with a Maildir's own cur/, new/ and tmp/.
 */
char *
sync_folder_dir(const char *root, const char *name)
{
	const char	*p, *level;
	size_t		 len;

	if (*name == '\0' || strlen(name) > 1024)
		return (NULL);
	for (level = name; ; level = p + 1) {
		p = strchr(level, '/');
		len = p != NULL ? (size_t)(p - level) : strlen(level);
		if (len == 0 || level[0] == '.' ||
		    (len == 3 && (strncmp(level, "cur", 3) == 0 ||
		    strncmp(level, "new", 3) == 0 ||
		    strncmp(level, "tmp", 3) == 0)))
			return (NULL);
		if (p == NULL)
			break;
	}
	for (p = name; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return (NULL);
	}
	return (path_join(root, name));
}

/* "Lists/a b" -> "Lists%2Fa b.state": one flat file per folder. */
static char *
sync_state_path(const char *dir, const char *name)
{
	struct buf	 b;
	const char	*p;
	char		*path;

	buf_init(&b);
	for (p = name; *p != '\0'; p++) {
		if (*p == '/' || *p == '%' || (*p == '.' && p == name))
			buf_printf(&b, "%%%02X", (unsigned char)*p);
		else
			buf_addch(&b, *p);
	}
	buf_addstr(&b, ".state");
	path = path_join(dir, b.data);
	buf_release(&b);
	return (path);
}

static int
sync_file_cmp(const void *a, const void *b)
{
	const struct sync_file	*fa = a, *fb = b;

	return (fa->uid < fb->uid ? -1 : fa->uid > fb->uid);
}

static int
sync_walk_cb(const char *name, void *arg)
{
	struct sync_local	*l = arg;
	struct sync_file	*f;
	const char		*base;

	base = strrchr(name, '/');
	base = base != NULL ? base + 1 : name;
	if (maildir_name_uid(base) != 0) {
		l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
		f = &l->v[l->n++];
	} else {
		l->nouid = xreallocarray(l->nouid, l->n_nouid + 1,
		    sizeof *l->nouid);
		f = &l->nouid[l->n_nouid++];
	}
	memset(f, 0, sizeof *f);
	f->uid = maildir_name_uid(base);
	f->flags = maildir_name_flags(base);
	f->name = xstrdup(name);
	return (0);
}

static void
sync_local_release(struct sync_local *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].name);
	for (i = 0; i < l->n_nouid; i++)
		free(l->nouid[i].name);
	free(l->v);
	free(l->nouid);
	memset(l, 0, sizeof *l);
}

static int
sync_local_read(struct sync_folder *f, char **cause)
{
	size_t	 i, j;

	sync_local_release(&f->local);
	if (maildir_walk(f->dir, sync_walk_cb, &f->local, cause) != 0)
		return (-1);
	if (f->local.n > 1)
		qsort(f->local.v, f->local.n, sizeof *f->local.v,
		    sync_file_cmp);
	/* Two files with one UID (a copy made by hand): keep the first,
	 * treat the others as new local messages. */
	for (i = j = 0; i < f->local.n; i++) {
		if (j > 0 && f->local.v[j - 1].uid == f->local.v[i].uid) {
			f->local.nouid = xreallocarray(f->local.nouid,
			    f->local.n_nouid + 1, sizeof *f->local.nouid);
			f->local.nouid[f->local.n_nouid] = f->local.v[i];
			f->local.nouid[f->local.n_nouid++].uid = 0;
			continue;
		}
		f->local.v[j++] = f->local.v[i];
	}
	f->local.n = j;
	return (0);
}

static struct sync_file *
sync_local_find(struct sync_folder *f, uint32_t uid)
{
	struct sync_file	 key;

	key.uid = uid;
	if (f->local.n == 0)
		return (NULL);
	return (bsearch(&key, f->local.v, f->local.n, sizeof *f->local.v,
	    sync_file_cmp));
}

static int
sync_remote_cb(const struct net_msg *m, void *arg)
{
	struct sync_remotes	*r = arg;

	if (r->n == r->size) {
		r->size = r->size == 0 ? 256 : r->size * 2;
		r->v = xreallocarray(r->v, r->size, sizeof *r->v);
	}
	r->v[r->n].uid = m->uid;
	r->v[r->n].flags = sync_flags_from_net(m->flags);
	r->n++;
	return (0);
}

static int
sync_remote_cmp(const void *a, const void *b)
{
	const struct sync_remote	*ra = a, *rb = b;

	return (ra->uid < rb->uid ? -1 : ra->uid > rb->uid);
}

static int
sync_stopped(struct sync *s, char **cause)
{
	if (s->opts->stop != NULL && *s->opts->stop) {
		xcause(cause, "interrupted");
		return (1);
	}
	return (0);
}

static void
sync_progress(struct sync *s, const char *folder)
{
	if (s->opts->progress != NULL)
		s->opts->progress(s->stats, folder, s->opts->arg);
}

/* A fresh session, logged in, with the folder (if any) selected again. */
static int
sync_reconnect(struct sync *s, struct sync_folder *f, char **cause)
{
	struct net_mailbox	 mb;

	engine_cancel_attach(s->opts->cancel, NULL, NULL);
	net_imap_free(s->imap);
	s->imap = net_imap_new(s->acct);
	engine_cancel_attach(s->opts->cancel, s->imap, NULL);
	if (net_imap_open(s->imap, s->password, cause) != 0)
		return (-1);
	if (f == NULL)
		return (0);
	if (net_imap_select(s->imap, f->name, &mb, cause) != 0)
		return (-1);
	if (mb.uidvalidity != f->mb.uidvalidity) {
		xcause(cause, "%s: UIDVALIDITY changed during the sync",
		    f->name);
		return (-1);
	}
	return (0);
}

/* --- downloads -------------------------------------------------------- */

static int
sync_deliver_cb(const struct net_msg *m, void *arg)
{
	struct sync_folder	*f = arg;
	struct sync		*s = f->s;
	char			*cause = NULL;
	int			 flags;

	if (m->data == NULL)
		return (0);	/* no body: the server lost it; next time */
	flags = sync_flags_from_net(m->flags);
	if (maildir_deliver(f->dir, m->data, m->len, flags, m->uid, NULL,
	    &cause) != STORE_OK) {
		log_warnx("%s: %s", s->acct->name, cause);
		free(cause);
		return (-1);
	}
	syncstate_set(&f->st, m->uid, flags);
	s->stats->fetched++;
	s->stats->done++;
	if (++f->delivered >= SYNC_SAVE_EVERY) {
		f->delivered = 0;
		if (syncstate_save(&f->st, f->statepath, &cause) != STORE_OK) {
			log_warnx("%s", cause);
			free(cause);
		}
	}
	sync_progress(s, f->name);
	if (s->opts->stop != NULL && *s->opts->stop)
		return (-1);
	return (0);
}

/*
 * Downloads uids.  When a chunk fails because the connection broke (a
 * response libetpan could not parse leaves the stream out of step), the
 * first message not delivered is tried alone on a new connection; if it
 * fails again it is skipped with a warning (and tried again next sync,
 * since it never entered the state) and the rest continue.
 */
static int
sync_download(struct sync_folder *f, const uint32_t *uids, size_t n,
    char **cause)
{
	struct sync	*s = f->s;
	struct net_uids	 done;
	size_t		 i = 0, k;
	char		*why = NULL;
	int		 rc, alone = 0;

	s->stats->total += (unsigned int)n;
	memset(&done, 0, sizeof done);
	while (i < n) {
		if (sync_stopped(s, cause))
			return (-1);
		k = alone ? 1 : n - i;
		done.n = 0;
		rc = net_imap_fetch_bodies(s->imap, uids + i, k,
		    sync_deliver_cb, f, &done, &why);
		/* Everything delivered in order before the failure. */
		while (i < n && done.n > 0 && uids[i] <= done.v[done.n - 1])
			i++;
		if (rc == 0) {
			if (alone)
				i++;	/* answered without the message */
			alone = 0;
			continue;
		}
		if (sync_stopped(s, cause)) {
			free(why);
			net_uids_free(&done);
			return (-1);
		}
		if (net_imap_usable(s->imap) && !alone) {
			/* A NO for the chunk: try one by one. */
			alone = 1;
			free(why);
			why = NULL;
			continue;
		}
		if (alone) {
			log_warnx("%s: %s: skipped message UID %u: %s",
			    s->acct->name, f->name, uids[i], why);
			s->stats->skipped++;
			i++;
			alone = 0;
		} else
			alone = 1;
		free(why);
		why = NULL;
		if (!net_imap_usable(s->imap) &&
		    sync_reconnect(s, f, cause) != 0) {
			net_uids_free(&done);
			return (-1);
		}
	}
	net_uids_free(&done);
	return (0);
}

/* --- files without a UID ----------------------------------------------- */

struct sync_ids {
	struct sync_folder	*f;
	char			**ids;	/* Message-ID per UID-less file */
	size_t			*sizes;
	struct net_uids		 matched;	/* server UIDs paired */
};

static int
sync_ids_cb(const struct net_msg *m, void *arg)
{
	struct sync_ids		*x = arg;
	struct sync_folder	*f = x->f;
	struct sync_file	*lf;
	char			*path, *newpath = NULL, *cause = NULL;
	size_t			 i;

	if (m->message_id == NULL)
		return (0);
	for (i = 0; i < f->local.n_nouid; i++) {
		lf = &f->local.nouid[i];
		if (lf->matched || x->ids[i] == NULL ||
		    x->sizes[i] != m->size || strcmp(x->ids[i],
		    m->message_id) != 0)
			continue;
		path = path_join(f->dir, lf->name);
		if (maildir_set_flags(path, lf->flags, m->uid, &newpath,
		    &cause) != STORE_OK) {
			log_warnx("%s", cause);
			free(cause);
			free(path);
			return (0);
		}
		free(path);
		free(newpath);
		lf->matched = 1;
		syncstate_set(&f->st, m->uid, sync_flags_from_net(m->flags) &
		    SYNC_FLAG_MASK);
		net_uids_add(&x->matched, m->uid);
		break;
	}
	return (0);
}

/* Size on the server is the size of the file (CRLF both, as stored). */
static char *
sync_file_message_id(const char *path, size_t *size)
{
	struct mime_message	*msg;
	struct stat		 sb;
	const char		*id, *lt, *gt;
	char			*cause = NULL, *out = NULL;

	if (stat(path, &sb) != 0)
		return (NULL);
	*size = (size_t)sb.st_size;
	if ((msg = mime_message_parse_file(path, &cause)) == NULL) {
		free(cause);
		return (NULL);
	}
	id = mime_message_header(msg, "Message-ID");
	if (id != NULL && (lt = strchr(id, '<')) != NULL &&
	    (gt = strchr(lt, '>')) != NULL)
		out = xstrndup(lt + 1, (size_t)(gt - lt - 1));
	else if (id != NULL && *id != '\0')
		out = xstrdup(id);
	mime_message_free(msg);
	return (out);
}

/*
 * Pairs UID-less local files with the server's new UIDs (removing those
 * from *news), then uploads what is left unpaired.
 */
static int
sync_nouid(struct sync_folder *f, struct net_uids *news, char **cause)
{
	struct sync		*s = f->s;
	struct sync_ids		 x;
	struct sync_file	*lf;
	struct buf		 data;
	char			*path, *newpath;
	size_t			 i, j, k;
	uint32_t		 uid;
	int			 rc = 0;

	if (f->local.n_nouid == 0)
		return (0);
	memset(&x, 0, sizeof x);
	x.f = f;
	x.ids = xcalloc(f->local.n_nouid, sizeof *x.ids);
	x.sizes = xcalloc(f->local.n_nouid, sizeof *x.sizes);
	for (i = 0; i < f->local.n_nouid; i++) {
		path = path_join(f->dir, f->local.nouid[i].name);
		x.ids[i] = sync_file_message_id(path, &x.sizes[i]);
		free(path);
	}
	if (news->n > 0 && net_imap_fetch_ids(s->imap, news->v, news->n,
	    sync_ids_cb, &x, cause) != 0)
		rc = -1;
	/* Drop the paired UIDs from the download list. */
	for (i = k = 0; rc == 0 && i < news->n; i++) {
		for (j = 0; j < x.matched.n && x.matched.v[j] != news->v[i];
		    j++)
			;
		if (j == x.matched.n)
			news->v[k++] = news->v[i];
	}
	if (rc == 0)
		news->n = k;
	for (i = 0; rc == 0 && i < f->local.n_nouid; i++) {
		lf = &f->local.nouid[i];
		if (lf->matched)
			continue;
		path = path_join(f->dir, lf->name);
		buf_init(&data);
		if (buf_read_file(&data, path, (size_t)1 << 30, cause) != 0) {
			/* Gone meanwhile (the TUI moved it): next time. */
			free(*cause);
			*cause = NULL;
			buf_release(&data);
			free(path);
			continue;
		}
		uid = 0;
		if (net_imap_append(s->imap, f->name, data.data, data.len,
		    sync_flags_to_net(lf->flags), &uid, cause) != 0)
			rc = -1;
		else if (uid != 0) {
			newpath = NULL;
			if (maildir_set_flags(path, lf->flags, uid, &newpath,
			    cause) != STORE_OK)
				rc = -1;
			else
				syncstate_set(&f->st, uid,
				    lf->flags & SYNC_FLAG_MASK);
			free(newpath);
		}
		if (rc == 0)
			s->stats->uploaded++;
		buf_release(&data);
		free(path);
	}
	for (i = 0; i < f->local.n_nouid; i++)
		free(x.ids[i]);
	free(x.ids);
	free(x.sizes);
	net_uids_free(&x.matched);
	return (rc);
}

/* --- flags ------------------------------------------------------------- */

/*
 * The merge of one message's flags: a flag the local side changed since
 * the agreed state wins, else the server's value.
 */
static int
sync_merge(int local, int server, int base)
{
	int	 changed = (local ^ base) & SYNC_FLAG_MASK;

	return ((local & changed) | (server & ~changed & SYNC_FLAG_MASK));
}

/* UIDs grouped by the same change, so one STORE covers many messages. */
struct sync_change {
	int		 add;
	int		 del;
	struct net_uids	 uids;
};

static void
sync_change_add(struct sync_change **v, size_t *n, int add, int del,
    uint32_t uid)
{
	size_t	 i;

	for (i = 0; i < *n; i++) {
		if ((*v)[i].add == add && (*v)[i].del == del)
			break;
	}
	if (i == *n) {
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		memset(&(*v)[i], 0, sizeof **v);
		(*v)[i].add = add;
		(*v)[i].del = del;
		(*n)++;
	}
	net_uids_add(&(*v)[i].uids, uid);
}

/* Pushes local flag changes, then renames files to the merged flags. */
static int
sync_flags(struct sync_folder *f, char **cause)
{
	struct sync		*s = f->s;
	struct sync_change	*changes = NULL;
	struct sync_remote	*r;
	struct sync_file	*lf;
	struct syncstate_entry	*e;
	size_t			 i, n_changes = 0;
	char			*path, *newpath;
	int			 base, merged, rc = 0;

	for (i = 0; i < f->remote.n; i++) {
		r = &f->remote.v[i];
		r->merged = -1;
		if ((lf = sync_local_find(f, r->uid)) == NULL)
			continue;
		e = syncstate_find(&f->st, r->uid);
		base = e != NULL ? e->flags : r->flags;
		r->merged = merged = sync_merge(lf->flags, r->flags, base);
		if (merged != (r->flags & SYNC_FLAG_MASK))
			sync_change_add(&changes, &n_changes,
			    sync_flags_to_net(merged & ~r->flags),
			    sync_flags_to_net(r->flags & ~merged), r->uid);
	}
	for (i = 0; rc == 0 && i < n_changes; i++) {
		if (changes[i].add != 0 && net_imap_store(s->imap,
		    changes[i].uids.v, changes[i].uids.n, 1, changes[i].add,
		    NULL, cause) != 0)
			rc = -1;
		else if (changes[i].del != 0 && net_imap_store(s->imap,
		    changes[i].uids.v, changes[i].uids.n, 0, changes[i].del,
		    NULL, cause) != 0)
			rc = -1;
		else
			s->stats->flags_pushed += (unsigned int)
			    changes[i].uids.n;
	}
	for (i = 0; i < n_changes; i++)
		net_uids_free(&changes[i].uids);
	free(changes);
	if (rc != 0)
		return (-1);

	/* The server has the merged flags now; the files follow. */
	for (i = 0; i < f->remote.n; i++) {
		r = &f->remote.v[i];
		if ((merged = r->merged) == -1)
			continue;
		lf = sync_local_find(f, r->uid);
		if ((lf->flags & SYNC_FLAG_MASK) != merged) {
			path = path_join(f->dir, lf->name);
			newpath = NULL;
			if (maildir_set_flags(path, (lf->flags &
			    ~SYNC_FLAG_MASK) | merged, 0, &newpath, cause) !=
			    STORE_OK) {
				free(path);
				return (-1);
			}
			free(path);
			free(lf->name);
			lf->name = xstrdup(newpath + strlen(f->dir) + 1);
			free(newpath);
			lf->flags = (lf->flags & ~SYNC_FLAG_MASK) | merged;
			s->stats->flags_pulled++;
		}
		syncstate_set(&f->st, r->uid, merged);
	}
	return (0);
}

/* --- expunges ---------------------------------------------------------- */

/* Removes local files whose UIDs the server no longer has. */
static int
sync_expunge(struct sync_folder *f, const struct net_uids *gone,
    char **cause)
{
	struct sync_file	*lf;
	char			*path;
	size_t			 i;
	int			 removed = 0;

	for (i = 0; i < gone->n; i++) {
		syncstate_remove(&f->st, gone->v[i]);
		if ((lf = sync_local_find(f, gone->v[i])) == NULL)
			continue;
		path = path_join(f->dir, lf->name);
		if (unlink(path) != 0 && errno != ENOENT) {
			xcause(cause, "%s: %s", path, strerror(errno));
			free(path);
			return (-1);
		}
		free(path);
		f->s->stats->expunged++;
		removed = 1;
	}
	if (removed)
		(void)path_fsync_dir(f->dir, NULL);
	return (0);
}

/* --- one folder -------------------------------------------------------- */

static int
sync_folder_run(struct sync_folder *f, char **cause)
{
	struct sync		*s = f->s;
	struct net_uids		 vanished, gone, news;
	struct sync_file	*lf;
	size_t			 i, j, n_changed;
	uint64_t		 since = 0;
	int			 quick = 0, rc = -1;

	memset(&vanished, 0, sizeof vanished);
	memset(&gone, 0, sizeof gone);
	memset(&news, 0, sizeof news);

	if (maildir_create(f->dir, cause) != STORE_OK)
		return (-1);
	maildir_clean_tmp(f->dir);
	if (syncstate_load(&f->st, f->statepath, cause) != STORE_OK)
		return (-1);
	if (engine_journal_replay(s, f->name, cause) != 0)
		return (-1);
	if (net_imap_select(s->imap, f->name, &f->mb, cause) != 0)
		return (-1);
	if (sync_local_read(f, cause) != 0)
		return (-1);

	if (f->st.uidvalidity != 0 && f->st.uidvalidity != f->mb.uidvalidity) {
		/*
		 * The server renumbered the folder: local UIDs mean nothing
		 * now.  Every file loses its UID and is paired again by
		 * Message-ID below; nothing is deleted or fetched twice.
		 */
		log_info("%s: %s: UIDVALIDITY changed (%u -> %u), re-pairing",
		    s->acct->name, f->name, f->st.uidvalidity,
		    f->mb.uidvalidity);
		for (i = 0; i < f->local.n; i++) {
			lf = &f->local.v[i];
			if (engine_strip_uid(f->dir, lf->name, cause) != 0)
				return (-1);
		}
		syncstate_clear_entries(&f->st);
		f->st.highestmodseq = 0;
		if (sync_local_read(f, cause) != 0)
			return (-1);
	}

	/*
	 * Nothing changed on the server since last time (CONDSTORE), no
	 * local file differs from the agreed state and none is new: done in
	 * one round trip.
	 */
	if (f->st.uidvalidity == f->mb.uidvalidity &&
	    f->mb.highestmodseq != 0 &&
	    f->st.highestmodseq == f->mb.highestmodseq &&
	    f->st.uidnext == f->mb.uidnext && f->local.n_nouid == 0 &&
	    f->local.n == f->st.n) {
		quick = 1;
		for (i = 0; i < f->local.n && quick; i++) {
			if (f->local.v[i].uid != f->st.v[i].uid ||
			    (f->local.v[i].flags & SYNC_FLAG_MASK) !=
			    f->st.v[i].flags)
				quick = 0;
		}
		if (quick) {
			rc = 0;
			goto save;
		}
	}

	/*
	 * Flags of every message: 10k in about 25 ms, and the UID list
	 * it gives is the expunge check.  With QRESYNC only what changed.
	 */
	f->remote.n = 0;
	if (f->st.uidvalidity == f->mb.uidvalidity && f->st.highestmodseq &&
	    (net_imap_caps(s->imap) & NET_IMAP_QRESYNC) &&
	    f->local.n == f->st.n)
		since = f->st.highestmodseq;
	if (net_imap_fetch_flags(s->imap, 1, 0, since, since ? &vanished :
	    NULL, sync_remote_cb, &f->remote, cause) != 0)
		goto out;
	if (f->remote.n > 1)
		qsort(f->remote.v, f->remote.n, sizeof *f->remote.v,
		    sync_remote_cmp);

	if (since != 0) {
		/* Changed set only: the known UIDs not vanished are there
		 * with their old flags unless listed as changed. */
		if (vanished.n > 1)
			qsort(vanished.v, vanished.n, sizeof *vanished.v,
			    net_uid_cmp);
		for (i = 0; i < vanished.n; i++)
			net_uids_add(&gone, vanished.v[i]);
		/* Search only what the server sent (sorted): the entries
		 * added below go after it. */
		n_changed = f->remote.n;
		for (i = 0; i < f->st.n; i++) {
			struct sync_remote	 key;

			key.uid = f->st.v[i].uid;
			if (n_changed > 0 && bsearch(&key, f->remote.v,
			    n_changed,
			    sizeof *f->remote.v, sync_remote_cmp) != NULL)
				continue;
			if (vanished.n > 0 && bsearch(&key.uid, vanished.v,
			    vanished.n, sizeof *vanished.v, net_uid_cmp) != NULL)
				continue;
			sync_remote_cb(&(struct net_msg){ .uid = key.uid,
			    .flags = sync_flags_to_net(f->st.v[i].flags) },
			    &f->remote);
		}
		if (f->remote.n > 1)
			qsort(f->remote.v, f->remote.n,
			    sizeof *f->remote.v, sync_remote_cmp);
	} else {
		/* UID-set diff: known here, absent there. */
		for (i = 0, j = 0; i < f->local.n; i++) {
			while (j < f->remote.n &&
			    f->remote.v[j].uid < f->local.v[i].uid)
				j++;
			if (j == f->remote.n ||
			    f->remote.v[j].uid != f->local.v[i].uid)
				net_uids_add(&gone, f->local.v[i].uid);
		}
		for (i = 0, j = 0; i < f->st.n; i++) {
			while (j < f->remote.n &&
			    f->remote.v[j].uid < f->st.v[i].uid)
				j++;
			if ((j == f->remote.n ||
			    f->remote.v[j].uid != f->st.v[i].uid) &&
			    sync_local_find(f, f->st.v[i].uid) == NULL)
				net_uids_add(&gone, f->st.v[i].uid);
		}
	}
	if (sync_expunge(f, &gone, cause) != 0)
		goto out;

	/* Server UIDs with no local file: new mail (or a file removed by
	 * hand, fetched again: deleting is an explicit action) -- unless
	 * the interface moved it away after the scan. */
	if (engine_journal_moves_reload(s, cause) != 0)
		goto out;
	for (i = 0; i < f->remote.n; i++) {
		if (sync_local_find(f, f->remote.v[i].uid) == NULL &&
		    !engine_journal_pending_move(s, f->name,
		    f->remote.v[i].uid))
			net_uids_add(&news, f->remote.v[i].uid);
	}
	if (sync_flags(f, cause) != 0)
		goto out;
	if (sync_nouid(f, &news, cause) != 0)
		goto out;
	if (sync_download(f, news.v, news.n, cause) != 0)
		goto out;
	rc = 0;
save:
	f->st.uidvalidity = f->mb.uidvalidity;
	f->st.uidnext = f->mb.uidnext;
	/* After a download the server may be ahead of the MODSEQ SELECT
	 * gave; keeping SELECT's value only costs a re-check next time. */
	f->st.highestmodseq = f->mb.highestmodseq;
	if (syncstate_save(&f->st, f->statepath, cause) != STORE_OK)
		rc = -1;
out:
	net_uids_free(&vanished);
	net_uids_free(&gone);
	net_uids_free(&news);
	return (rc);
}

static int
sync_folder(struct sync *s, const char *name, char **cause)
{
	struct sync_folder	 f;
	int			 rc;

	memset(&f, 0, sizeof f);
	f.s = s;
	f.name = name;
	if ((f.dir = sync_folder_dir(s->root, name)) == NULL) {
		log_warnx("%s: folder '%s' cannot be stored safely; skipped",
		    s->acct->name, name);
		return (0);
	}
	f.statepath = sync_state_path(s->statedir, name);
	syncstate_init(&f.st);
	s->stats->done = s->stats->total = 0;
	sync_progress(s, name);
	rc = sync_folder_run(&f, cause);
	if (rc != 0 && cause != NULL && *cause != NULL) {
		char	*c = *cause;

		*cause = NULL;
		xcause(cause, "%s: %s", name, c);
		free(c);
	}
	if (rc == 0)
		s->stats->folders++;
	sync_local_release(&f.local);
	free(f.remote.v);
	syncstate_release(&f.st);
	free(f.statepath);
	free(f.dir);
	return (rc);
}

/* --- the account ------------------------------------------------------- */

char *
engine_account_root(const struct config *cfg, const struct config_account *a)
{
	return (path_join(cfg->mail_root, a->folder != NULL ? a->folder :
	    a->name));
}

char *
engine_account_statedir(const struct config_account *a)
{
	char	*state, *dir, *acct;

	state = path_state_home();
	dir = path_join(state, "satchel/accounts");
	acct = path_join(dir, a->name);
	free(state);
	free(dir);
	return (acct);
}

int
engine_sync_imap(const struct config *cfg, const struct config_account *a,
    const struct engine_sync_opts *opts, struct engine_sync_stats *stats,
    char **cause)
{
	struct sync		 s;
	struct net_folder	*folders = NULL;
	size_t			 n_folders = 0, i;
	char			*jpath;
	int			 rc = -1;

	memset(&s, 0, sizeof s);
	s.cfg = cfg;
	s.acct = a;
	s.opts = opts;
	s.stats = stats;
	s.root = engine_account_root(cfg, a);
	s.statedir = engine_account_statedir(a);
	if (path_mkdirs(s.statedir, 0700, cause) != 0)
		goto out;
	jpath = path_join(s.statedir, "journal");
	rc = journal_open(jpath, &s.journal, cause);
	free(jpath);
	if (rc != 0) {
		rc = -1;
		goto out;
	}
	rc = -1;
	if (opts->password != NULL)
		s.password = xstrdup(opts->password);
	else if (net_password(a, &s.password, cause) != 0)
		goto out;
	s.imap = net_imap_new(a);
	engine_cancel_attach(opts->cancel, s.imap, NULL);
	if (net_imap_open(s.imap, s.password, cause) != 0) {
		stats->refused = net_imap_refused(s.imap);
		goto out;
	}
	log_info("%s: connected (%s)", a->name, net_imap_security(s.imap));
	if (net_imap_list(s.imap, &folders, &n_folders, cause) != 0)
		goto out;
	if (engine_journal_load(&s, cause) != 0)
		goto out;
	for (i = 0; i < n_folders; i++) {
		if (folders[i].noselect)
			continue;
		if (sync_stopped(&s, cause))
			goto out;
		if (sync_folder(&s, folders[i].name, cause) != 0)
			goto out;
		if (!net_imap_usable(s.imap) &&
		    sync_reconnect(&s, NULL, cause) != 0)
			goto out;
	}
	/* Entries for folders the server does not list (yet). */
	if (engine_journal_replay(&s, NULL, cause) != 0)
		goto out;
	(void)journal_compact(s.journal, NULL);
	rc = 0;
out:
	net_folders_free(folders, n_folders);
	engine_cancel_attach(opts->cancel, NULL, NULL);
	net_imap_free(s.imap);
	net_secret_free(s.password);
	engine_journal_unload(&s);
	journal_close(s.journal);
	free(s.root);
	free(s.statedir);
	return (rc);
}
