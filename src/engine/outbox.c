/*
 * engine/outbox.c: mail waiting to be sent.
 *
 * Each account has an outbox, the Maildir ".outbox" in its tree (hidden:
 * no server folder is ever named so, and the sidebar skips it).  A message
 * is written there first (tmp/, fsync, rename into cur/ with the Seen
 * flag), and only then sent.  Once the server (or sendmail_command)
 * accepted it, the same file is renamed into the account's sent_folder,
 * or removed when save_sent = no; so the outbox holds exactly what has
 * not been accepted, across crashes and restarts.
 *
 * Exactly once, and what a crash can do: the file leaves the outbox only
 * after the server said 250 to the end of DATA.  A crash (or a lost
 * connection) after that answer but before the rename leaves the message
 * queued, and the next flush sends it again: at most a duplicate, never a
 * loss.  The other order (marking the message sent before DATA) would
 * lose mail whenever the connection dropped during DATA, which is the
 * common failure; a duplicate is the lesser harm.  Two processes (the
 * interface and a cron "satchel send") never flush one outbox at once: a
 * flush holds an flock(2) on ".outbox/.lock".
 *
 * Why a message is still queued is kept beside it in ".outbox/.why.<base>"
 * ("permanent" or "temporary", the time, the reason; replaced atomically),
 * so that it survives restarts and the interface can show it.
 *
 * The Bcc header is kept in the queued file and in the copy in Sent (so
 * you know who got it) and removed from the bytes sent, as mutt does.
 */
#include "config.h"

#include <sys/file.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "mime/mime.h"
#include "net/net.h"
#include "store/store.h"
#include "engine/engine.h"
#include "engine/private.h"

#define OUTBOX_NAME	".outbox"
#define OUTBOX_WHY	".why."
#define OUTBOX_WHY_MAX	4096

/* One account's flush. */
struct outbox {
	const struct config		*cfg;
	const struct config_account	*acct;
	const struct engine_outbox_opts	*opts;
	struct engine_outbox_stats	*stats;
	char				*dir;
	char				**names;	/* "cur/..." sorted */
	size_t				 n;
	struct net_smtp			*smtp;	/* open, or NULL */
	char				*down;	/* why SMTP cannot be used */
	int				 down_permanent;
};

char *
engine_outbox_dir(const struct config *cfg, const struct config_account *a)
{
	char	*root, *dir;

	root = engine_account_root(cfg, a);
	dir = path_join(root, OUTBOX_NAME);
	free(root);
	return (dir);
}

/* The state file of a queued file name ("cur/<base>:2,S"). */
static char *
outbox_why_path(const char *dir, const char *name)
{
	const char	*base = strrchr(name, '/');
	char		*p;
	size_t		 n;

	base = base != NULL ? base + 1 : name;
	n = strcspn(base, ":");
	xasprintf(&p, "%s/%s%.*s", dir, OUTBOX_WHY, (int)n, base);
	return (p);
}

void
engine_outbox_items_free(struct engine_outbox_item *items, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(items[i].path);
		free(items[i].subject);
		free(items[i].rcpts);
		free(items[i].reason);
	}
	free(items);
}

/* Reads the state file of a queued message into item (if there is one). */
static void
outbox_why_read(const char *dir, const char *name,
    struct engine_outbox_item *item)
{
	struct buf	 b;
	char		*path, *p, *q;

	path = outbox_why_path(dir, name);
	buf_init(&b);
	if (buf_read_file(&b, path, OUTBOX_WHY_MAX, NULL) == 0 &&
	    (p = strchr(b.data, '\n')) != NULL &&
	    (q = strchr(p + 1, '\n')) != NULL) {
		item->permanent = strncmp(b.data, "permanent\n", 10) == 0;
		item->tried = (time_t)strtoll(p + 1, NULL, 10);
		q++;
		q[strcspn(q, "\n")] = '\0';
		item->reason = xstrdup(q);
	}
	buf_release(&b);
	free(path);
}

/* Records why a message stays; a failure to do so is only logged. */
static void
outbox_why_write(struct outbox *ob, const char *name, const char *why,
    int permanent)
{
	struct buf	 b;
	char		*path, *cause = NULL;

	path = outbox_why_path(ob->dir, name);
	buf_init(&b);
	buf_printf(&b, "%s\n%lld\n", permanent ? "permanent" : "temporary",
	    (long long)date_now());
	/* One line: the reason may quote a server's multi-line text. */
	for (; *why != '\0'; why++)
		buf_addch(&b, *why == '\n' || *why == '\r' ? ' ' : *why);
	buf_addch(&b, '\n');
	if (path_write_atomic(path, b.data, b.len, 0600, &cause) != 0) {
		log_warnx("outbox: %s", cause);
		free(cause);
	}
	buf_release(&b);
	free(path);
}

static void
outbox_why_remove(const char *dir, const char *name)
{
	char	*path = outbox_why_path(dir, name);

	if (unlink(path) == -1 && errno != ENOENT)
		log_warn("outbox: cannot remove '%s'", path);
	free(path);
}

/* "a@x, b@y" */
static char *
outbox_join(char *const *v, size_t n)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i == 0 ? "" : ", ", v[i]);
	return (buf_detach(&b, NULL));
}

int
engine_outbox_queue(const struct config *cfg, const struct config_account *a,
    const char *data, size_t len, char **path, char **cause)
{
	struct mime_envelope	 e;
	char			*dir;
	int			 rc = -1;

	if (path != NULL)
		*path = NULL;
	if (a->smtp_host == NULL && a->sendmail_command == NULL) {
		xcause(cause, "account '%s' cannot send: it has neither "
		    "smtp_host nor sendmail_command", a->name);
		return (-1);
	}
	/* A message that can never go is refused now, not queued. */
	if (mime_envelope_read(data, len, &e, cause) != 0)
		return (-1);
	mime_envelope_release(&e);
	dir = engine_outbox_dir(cfg, a);
	if (maildir_create(dir, cause) == STORE_OK &&
	    maildir_deliver(dir, data, len, MAILDIR_SEEN, 0, path, cause) ==
	    STORE_OK)
		rc = 0;
	free(dir);
	return (rc);
}

static int
outbox_collect(const char *name, void *arg)
{
	struct outbox	*ob = arg;

	ob->names = xreallocarray(ob->names, ob->n + 1, sizeof *ob->names);
	ob->names[ob->n++] = xstrdup(name);
	return (0);
}

static int
outbox_name_cmp(const void *a, const void *b)
{
	const char	*x = *(char *const *)a, *y = *(char *const *)b;

	/* "cur/" and "new/" aside, Maildir names sort by time. */
	return (strcmp(x + 4, y + 4));
}

/* The queued files, oldest first; an outbox never made is empty. */
static int
outbox_list_files(struct outbox *ob, char **cause)
{
	if (access(ob->dir, F_OK) == -1 && errno == ENOENT)
		return (0);
	if (maildir_walk(ob->dir, outbox_collect, ob, cause) != 0)
		return (-1);
	if (ob->n > 1)
		qsort(ob->names, ob->n, sizeof *ob->names, outbox_name_cmp);
	return (0);
}

/* Closes the SMTP session, out of reach of a cancel first. */
static void
outbox_smtp_close(struct outbox *ob)
{
	if (ob->smtp == NULL)
		return;
	if (ob->opts != NULL)
		engine_cancel_attach_smtp(ob->opts->cancel, NULL);
	net_smtp_free(ob->smtp);
	ob->smtp = NULL;
}

static void
outbox_release(struct outbox *ob)
{
	size_t	 i;

	for (i = 0; i < ob->n; i++)
		free(ob->names[i]);
	free(ob->names);
	free(ob->dir);
	free(ob->down);
	outbox_smtp_close(ob);
}

/* The message's summary for a report or a list; path is the caller's. */
static void
outbox_item(struct engine_outbox_item *item, const struct config_account *a,
    char *path, const struct mime_envelope *e)
{
	memset(item, 0, sizeof *item);
	item->account = a->name;
	item->path = path;
	if (e != NULL) {
		item->subject = e->subject != NULL ? xstrdup(e->subject) :
		    NULL;
		item->rcpts = outbox_join(e->rcpts, e->n_rcpts);
	}
}

static void
outbox_report(struct outbox *ob, const char *name,
    const struct mime_envelope *e, int sent, const char *why, int permanent)
{
	struct engine_outbox_item	 item;

	if (sent)
		ob->stats->sent++;
	else {
		ob->stats->queued++;
		if (permanent)
			ob->stats->permanent++;
		outbox_why_write(ob, name, why, permanent);
		log_warnx("outbox: %s: message stays queued: %s",
		    ob->acct->name, why);
	}
	if (ob->opts == NULL || ob->opts->report == NULL)
		return;
	outbox_item(&item, ob->acct, path_join(ob->dir, name), e);
	if (!sent) {
		item.reason = xstrdup(why);
		item.permanent = permanent;
		item.tried = date_now();
	}
	ob->opts->report(&item, sent, ob->opts->arg);
	free(item.path);
	free(item.subject);
	free(item.rcpts);
	free(item.reason);
}

/* Opens the SMTP session for the flush, once; on failure ob->down says
 * why, for every message left. */
static int
outbox_connect(struct outbox *ob)
{
	struct config_account	 c;
	char			*password = NULL, *cause = NULL;
	int			 rc;

	if (ob->smtp != NULL)
		return (0);
	if (ob->down != NULL)
		return (-1);
	if (ob->acct->smtp_user != NULL) {
		if (ob->opts != NULL && ob->opts->password != NULL)
			password = xstrdup(ob->opts->password);
		else {
			c = *ob->acct;
			c.password_command = ob->acct->smtp_password_command;
			if (net_password(&c, &password, &cause) != 0) {
				ob->down = cause;
				ob->down_permanent = 0;
				return (-1);
			}
		}
	}
	ob->smtp = net_smtp_new(ob->acct);
	if (ob->opts != NULL)
		engine_cancel_attach_smtp(ob->opts->cancel, ob->smtp);
	rc = net_smtp_open(ob->smtp, password, &cause);
	net_secret_free(password);
	if (rc != 0) {
		ob->down = cause;
		ob->down_permanent = net_smtp_permanent(ob->smtp);
		ob->stats->refused = net_smtp_refused(ob->smtp);
		outbox_smtp_close(ob);
		return (-1);
	}
	return (0);
}

/*
 * Sends the bytes of one message, Bcc removed; 0 once accepted.  A
 * temporary SMTP failure ends the session: the messages after this one
 * stay queued with the same reason, untried.
 */
static int
outbox_transmit(struct outbox *ob, const struct mime_envelope *e,
    const char *data, size_t len, int *permanent, char **cause)
{
	const struct config_account	*a = ob->acct;
	struct buf			 b;
	const char			*from;
	int				 rc = -1;

	*permanent = 1;
	from = a->email != NULL ? a->email : e->from;
	if (from == NULL) {
		xcause(cause, "no sender address: set 'email' for account "
		    "'%s' or a From header", a->name);
		return (-1);
	}
	buf_init(&b);
	mime_envelope_strip_bcc(data, len, &b);
	if (a->sendmail_command != NULL)
		rc = net_smtp_sendmail(a, e->rcpts, e->n_rcpts, b.data, b.len,
		    permanent, cause);
	else if (outbox_connect(ob) != 0) {
		xcause(cause, "%s", ob->down);
		*permanent = ob->down_permanent;
	} else if ((rc = net_smtp_send(ob->smtp, from, e->rcpts, e->n_rcpts,
	    b.data, b.len, cause)) != 0) {
		*permanent = net_smtp_permanent(ob->smtp);
		if (!*permanent) {
			ob->down = xstrdup(*cause);
			outbox_smtp_close(ob);
		}
	}
	buf_release(&b);
	return (rc);
}

/*
 * The message is out: its file goes to Sent (one rename) or away.  Past
 * this point nothing may send it again, so a failure here is logged and
 * the file removed rather than left in the outbox.
 */
static void
outbox_done(struct outbox *ob, const char *name)
{
	const struct config_account	*a = ob->acct;
	char				*path, *root, *sent = NULL, *cur;
	char				*cause = NULL;

	path = path_join(ob->dir, name);
	if (a->save_sent && a->sent_folder != NULL) {
		root = engine_account_root(ob->cfg, a);
		sent = sync_folder_dir(root, a->sent_folder);
		free(root);
		if (sent == NULL)
			xcause(&cause, "'%s' is not a folder name",
			    a->sent_folder);
		else if (maildir_create(sent, &cause) == STORE_OK &&
		    maildir_move(path, sent, 0, NULL, &cause) == STORE_OK) {
			free(cause);
			cause = NULL;
			goto out;
		}
		log_warnx("outbox: %s: sent, but not saved in '%s': %s",
		    a->name, a->sent_folder, cause);
		free(cause);
		cause = NULL;
	}
	if (unlink(path) == -1)
		log_warn("outbox: %s: cannot remove '%s'", a->name, path);
	cur = path_dirname(path);
	if (path_fsync_dir(cur, &cause) != 0) {
		log_warnx("outbox: %s", cause);
		free(cause);
	}
	free(cur);
out:
	outbox_why_remove(ob->dir, name);
	free(sent);
	free(path);
}

static void
outbox_one(struct outbox *ob, const char *name)
{
	struct mime_envelope	 e;
	struct buf		 b;
	char			*path, *cause = NULL;
	int			 permanent = 1, have = 0;

	path = path_join(ob->dir, name);
	buf_init(&b);
	if (buf_read_file(&b, path, MIME_MAX_MESSAGE, &cause) != 0)
		permanent = 0;
	else if (mime_envelope_read(b.data, b.len, &e, &cause) == 0) {
		have = 1;
		if (outbox_transmit(ob, &e, b.data, b.len, &permanent,
		    &cause) == 0) {
			outbox_done(ob, name);
			outbox_report(ob, name, &e, 1, NULL, 0);
			goto out;
		}
	}
	outbox_report(ob, name, have ? &e : NULL, 0, cause != NULL ? cause :
	    "unknown failure", permanent);
out:
	if (have)
		mime_envelope_release(&e);
	free(cause);
	buf_release(&b);
	free(path);
}

/* Takes the outbox's lock; 1 when another process holds it. */
static int
outbox_lock(struct outbox *ob, int *fd, char **cause)
{
	char	*path;

	path = path_join(ob->dir, ".lock");
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (*fd == -1) {
		xcause(cause, "cannot open '%s': %s", path, strerror(errno));
		free(path);
		return (-1);
	}
	free(path);
	if (flock(*fd, LOCK_EX | LOCK_NB) == 0)
		return (0);
	if (errno == EWOULDBLOCK)
		return (1);
	xcause(cause, "cannot lock the outbox of '%s': %s", ob->acct->name,
	    strerror(errno));
	return (-1);
}

static int
outbox_flush_account(const struct config *cfg,
    const struct config_account *a, const struct engine_outbox_opts *opts,
    struct engine_outbox_stats *stats, char **cause)
{
	struct outbox	 ob;
	size_t		 i;
	int		 fd = -1, rc = -1, r;

	memset(&ob, 0, sizeof ob);
	ob.cfg = cfg;
	ob.acct = a;
	ob.opts = opts;
	ob.stats = stats;
	ob.dir = engine_outbox_dir(cfg, a);
	if (access(ob.dir, F_OK) == -1 && errno == ENOENT) {
		rc = 0;		/* nothing was ever queued */
		goto out;
	}
	if ((r = outbox_lock(&ob, &fd, cause)) != 0) {
		if (r == 1) {
			stats->busy++;
			rc = 0;
		}
		goto out;
	}
	if (outbox_list_files(&ob, cause) != 0)
		goto out;
	for (i = 0; i < ob.n; i++) {
		if (opts != NULL && opts->stop != NULL && *opts->stop) {
			stats->queued += (unsigned int)(ob.n - i);
			break;
		}
		outbox_one(&ob, ob.names[i]);
	}
	rc = 0;
out:
	if (fd != -1)
		close(fd);	/* and with it the lock */
	outbox_release(&ob);
	return (rc);
}

/* Whether account a is the one asked for (NULL: every account that
 * sends). */
static int
outbox_wanted(const struct config_account *a, const char *account)
{
	if (account != NULL)
		return (strcmp(a->name, account) == 0);
	return (a->smtp_host != NULL || a->sendmail_command != NULL);
}

int
engine_outbox_flush(const struct config *cfg, const char *account,
    const struct engine_outbox_opts *opts, struct engine_outbox_stats *stats,
    char **cause)
{
	size_t	 i;
	int	 found = 0;

	memset(stats, 0, sizeof *stats);
	for (i = 0; i < cfg->n_accounts; i++) {
		if (!outbox_wanted(&cfg->accounts[i], account))
			continue;
		found = 1;
		if (outbox_flush_account(cfg, &cfg->accounts[i], opts, stats,
		    cause) != 0)
			return (-1);
	}
	if (account != NULL && !found) {
		xcause(cause, "no account '%s'", account);
		return (-1);
	}
	return (0);
}

int
engine_outbox_list(const struct config *cfg, const char *account,
    struct engine_outbox_item **items, size_t *n, char **cause)
{
	struct outbox		 ob;
	struct mime_envelope	 e;
	struct buf		 b;
	struct engine_outbox_item *it;
	size_t			 i, j;
	char			*path;
	int			 have;

	*items = NULL;
	*n = 0;
	for (i = 0; i < cfg->n_accounts; i++) {
		if (!outbox_wanted(&cfg->accounts[i], account))
			continue;
		memset(&ob, 0, sizeof ob);
		ob.acct = &cfg->accounts[i];
		ob.dir = engine_outbox_dir(cfg, ob.acct);
		if (outbox_list_files(&ob, cause) != 0) {
			outbox_release(&ob);
			engine_outbox_items_free(*items, *n);
			*items = NULL;
			*n = 0;
			return (-1);
		}
		for (j = 0; j < ob.n; j++) {
			path = path_join(ob.dir, ob.names[j]);
			buf_init(&b);
			have = buf_read_file(&b, path, MIME_MAX_MESSAGE,
			    NULL) == 0 && mime_envelope_read(b.data, b.len,
			    &e, NULL) == 0;
			*items = xreallocarray(*items, *n + 1, sizeof **items);
			it = &(*items)[(*n)++];
			outbox_item(it, ob.acct, path, have ? &e : NULL);
			outbox_why_read(ob.dir, ob.names[j], it);
			if (have)
				mime_envelope_release(&e);
			buf_release(&b);
		}
		outbox_release(&ob);
	}
	return (0);
}

/*
 * Drafts.  The editor file of a message being composed is the user's
 * work: it lives in the state directory, not in /tmp, written whole and
 * fsynced, so that a crash of satchel (or of the machine) leaves it to
 * be offered back.  Names sort by creation time.
 */
#define DRAFT_PREFIX	"draft-"
#define DRAFT_SUFFIX	".eml"

char *
engine_draft_dir(void)
{
	char	*state, *dir;

	state = path_state_home();
	dir = path_join(state, "satchel/drafts");
	free(state);
	return (dir);
}

int
engine_draft_new(const char *data, size_t len, char **path, char **cause)
{
	static unsigned int	 counter;
	char			*dir, *name;
	int			 rc = -1, tries;

	*path = NULL;
	dir = engine_draft_dir();
	if (path_mkdirs(dir, 0700, cause) != 0) {
		free(dir);
		return (-1);
	}
	for (tries = 0; tries < 100; tries++) {
		xasprintf(&name, "%s/" DRAFT_PREFIX "%010lld-%ld-%06u"
		    DRAFT_SUFFIX, dir, (long long)time(NULL), (long)getpid(),
		    counter++);
		if (access(name, F_OK) == 0) {
			free(name);
			continue;
		}
		if (path_write_file(name, data, len, 0600, 1, cause) == 0 &&
		    path_fsync_dir(dir, cause) == 0) {
			*path = name;
			rc = 0;
		} else
			free(name);
		break;
	}
	if (tries == 100)
		xcause(cause, "cannot name a new draft in '%s'", dir);
	free(dir);
	return (rc);
}

static int
engine_draft_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

int
engine_draft_list(char ***paths, size_t *n, char **cause)
{
	DIR		*d;
	struct dirent	*de;
	char		*dir;
	size_t		 len, slen = strlen(DRAFT_SUFFIX);

	*paths = NULL;
	*n = 0;
	dir = engine_draft_dir();
	if ((d = opendir(dir)) == NULL) {
		if (errno == ENOENT) {
			free(dir);
			return (0);
		}
		xcause(cause, "cannot read '%s': %s", dir, strerror(errno));
		free(dir);
		return (-1);
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (strncmp(de->d_name, DRAFT_PREFIX,
		    strlen(DRAFT_PREFIX)) != 0 || len <= slen ||
		    strcmp(de->d_name + len - slen, DRAFT_SUFFIX) != 0)
			continue;
		*paths = xreallocarray(*paths, *n + 1, sizeof **paths);
		(*paths)[(*n)++] = path_join(dir, de->d_name);
	}
	closedir(d);
	free(dir);
	if (*n > 1)
		qsort(*paths, *n, sizeof **paths, engine_draft_cmp);
	return (0);
}

char *
engine_outbox_drafts_dir(const struct config *cfg,
    const struct config_account *a)
{
	char	*root, *dir;

	root = engine_account_root(cfg, a);
	dir = sync_folder_dir(root, a->drafts_folder != NULL ?
	    a->drafts_folder : "Drafts");
	free(root);
	return (dir);
}

int
engine_outbox_postpone(const struct config *cfg,
    const struct config_account *a, const char *data, size_t len,
    char **path, char **cause)
{
	char	*dir;
	int	 rc = -1;

	if (path != NULL)
		*path = NULL;
	if ((dir = engine_outbox_drafts_dir(cfg, a)) == NULL) {
		xcause(cause, "'%s' is not a folder name", a->drafts_folder);
		return (-1);
	}
	if (maildir_create(dir, cause) == STORE_OK &&
	    maildir_deliver(dir, data, len, MAILDIR_DRAFT | MAILDIR_SEEN, 0,
	    path, cause) == STORE_OK)
		rc = 0;
	free(dir);
	return (rc);
}
