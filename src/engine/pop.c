/*
 * engine/pop.c: a POP3 account: new messages (by UIDL) into the account's
 * INBOX Maildir.
 *
 * The UIDLs already fetched are kept in the state directory ("pop.uidl",
 * one "UIDL FIRST-SEEN" line each, rewritten atomically).  A message is
 * delivered (tmp/, fsync, rename) before its UIDL is recorded, so a crash
 * in between can fetch it a second time but never lose it.  Deleting on
 * the server (pop_leave_on_server = no, or pop_delete_after_days) happens
 * only for messages recorded as fetched, and takes effect at QUIT.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#include <limits.h>

#include "core/core.h"
#include "net/net.h"
#include "store/store.h"
#include "engine/engine.h"
#include "engine/private.h"

#define POP_STATE_MAX	(64 * 1024 * 1024)

struct pop_seen {
	char	*uidl;
	time_t	 first;
	int	 present;	/* still on the server */
};
struct pop_state {
	struct pop_seen	*v;
	size_t		 n;
};

static int
pop_seen_cmp(const void *a, const void *b)
{
	return (strcmp(((const struct pop_seen *)a)->uidl,
	    ((const struct pop_seen *)b)->uidl));
}

static void
pop_state_release(struct pop_state *ps)
{
	size_t	 i;

	for (i = 0; i < ps->n; i++)
		free(ps->v[i].uidl);
	free(ps->v);
	memset(ps, 0, sizeof *ps);
}

static int
pop_state_line(char *line, int lineno, void *arg)
{
	struct pop_state	*ps = arg;
	char			*sp;
	const char		*errstr;
	long long		 t;

	(void)lineno;
	if (*line == '\0')
		return (0);
	if ((sp = strchr(line, ' ')) == NULL)
		return (-1);
	*sp = '\0';
	t = strtonum(sp + 1, 0, LLONG_MAX, &errstr);
	if (errstr != NULL)
		return (-1);
	ps->v = xreallocarray(ps->v, ps->n + 1, sizeof *ps->v);
	ps->v[ps->n].uidl = xstrdup(line);
	ps->v[ps->n].first = (time_t)t;
	ps->v[ps->n].present = 0;
	ps->n++;
	return (0);
}

static int	pop_state_save(const struct pop_state *, const char *, char **);

static int
pop_state_load(struct pop_state *ps, const char *path, char **cause)
{
	struct buf	 b;
	int		 rc, torn;

	buf_init(&b);
	if (access(path, F_OK) != 0) {
		buf_release(&b);
		return (0);
	}
	if (buf_read_file(&b, path, POP_STATE_MAX, cause) != 0) {
		buf_release(&b);
		return (-1);
	}
	/* A line cut short by a crash during an append: that message was
	 * delivered but may be fetched once more; never lost. */
	torn = b.len > 0 && b.data[b.len - 1] != '\n';
	while (b.len > 0 && b.data[b.len - 1] != '\n')
		b.len--;
	rc = config_lines(path, b.data, b.len, 1024, pop_state_line, ps, NULL);
	buf_release(&b);
	if (rc != 0) {
		xcause(cause, "%s: malformed; remove it to fetch everything "
		    "again", path);
		return (-1);
	}
	if (ps->n > 1)
		qsort(ps->v, ps->n, sizeof *ps->v, pop_seen_cmp);
	/* Appends must start on a fresh line. */
	if (torn && pop_state_save(ps, path, cause) != 0)
		return (-1);
	return (0);
}

static int
pop_state_save(const struct pop_state *ps, const char *path, char **cause)
{
	struct buf	 b;
	size_t		 i;
	int		 rc;

	buf_init(&b);
	for (i = 0; i < ps->n; i++)
		buf_printf(&b, "%s %lld\n", ps->v[i].uidl,
		    (long long)ps->v[i].first);
	rc = path_write_atomic(path, b.data, b.len, 0600, cause);
	buf_release(&b);
	return (rc);
}

static struct pop_seen *
pop_state_find(struct pop_state *ps, const char *uidl)
{
	struct pop_seen	 key;

	key.uidl = (char *)uidl;
	if (ps->n == 0)
		return (NULL);
	return (bsearch(&key, ps->v, ps->n, sizeof *ps->v, pop_seen_cmp));
}

/*
 * Records a UIDL once its message is delivered: inserted in order in
 * memory, and one line appended and fsynced to the file, so a long first
 * download does not rewrite the whole file per message.
 */
static int
pop_state_add(struct pop_state *ps, const char *path, const char *uidl,
    time_t now, char **cause)
{
	struct buf	 line;
	size_t		 lo = 0, hi = ps->n, mid;
	int		 fd, rc = 0;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(ps->v[mid].uidl, uidl) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	ps->v = xreallocarray(ps->v, ps->n + 1, sizeof *ps->v);
	memmove(&ps->v[lo + 1], &ps->v[lo], (ps->n - lo) * sizeof *ps->v);
	ps->v[lo].uidl = xstrdup(uidl);
	ps->v[lo].first = now;
	ps->v[lo].present = 1;
	ps->n++;

	buf_init(&line);
	buf_printf(&line, "%s %lld\n", uidl, (long long)now);
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0600)) == -1 || path_write_full(fd, line.data, line.len) != 0 ||
	    fsync(fd) != 0) {
		xcause(cause, "%s: %s", path, strerror(errno));
		rc = -1;
	}
	if (fd != -1)
		close(fd);
	buf_release(&line);
	return (rc);
}

/* UIDLs are the server's text: keep them one safe token on a line. */
static int
pop_uidl_ok(const char *u)
{
	if (*u == '\0' || strlen(u) > 70)
		return (0);
	for (; *u != '\0'; u++) {
		if ((unsigned char)*u <= ' ' || (unsigned char)*u >= 0x7f)
			return (0);
	}
	return (1);
}

int
engine_sync_pop(const struct config *cfg, const struct config_account *a,
    const struct engine_sync_opts *opts, struct engine_sync_stats *stats,
    char **cause)
{
	struct pop_state	 ps;
	struct pop_seen		*seen;
	const struct net_pop_msg *list;
	struct net_pop		*pop = NULL;
	char			*root = NULL, *inbox = NULL, *statedir = NULL;
	char			*statepath = NULL, *password = NULL, *data;
	size_t			 n, i, len, k;
	time_t			 now = date_now();
	int			 rc = -1, dele;

	memset(&ps, 0, sizeof ps);
	root = engine_account_root(cfg, a);
	inbox = path_join(root, "INBOX");
	statedir = engine_account_statedir(a);
	statepath = path_join(statedir, "pop.uidl");
	if (path_mkdirs(statedir, 0700, cause) != 0 ||
	    maildir_create(inbox, cause) != STORE_OK ||
	    pop_state_load(&ps, statepath, cause) != 0)
		goto out;
	if (opts->password != NULL)
		password = xstrdup(opts->password);
	else if (net_password(a, &password, cause) != 0)
		goto out;
	pop = net_pop_new(a);
	engine_cancel_attach(opts->cancel, NULL, pop);
	if (net_pop_open(pop, password, cause) != 0) {
		stats->refused = net_pop_refused(pop);
		goto out;
	}
	if (net_pop_list(pop, &list, &n, cause) != 0)
		goto out;
	log_info("%s: connected (%s), %zu messages", a->name,
	    net_pop_security(pop), n);
	for (i = 0; i < n; i++) {
		if (!pop_uidl_ok(list[i].uidl)) {
			log_warnx("%s: message %u has an unusable UIDL; skipped",
			    a->name, list[i].index);
			stats->skipped++;
			continue;
		}
		if ((seen = pop_state_find(&ps, list[i].uidl)) != NULL) {
			seen->present = 1;
			continue;
		}
		stats->total++;
	}
	for (i = 0; i < n; i++) {
		if (opts->stop != NULL && *opts->stop) {
			xcause(cause, "interrupted");
			goto out;
		}
		if (!pop_uidl_ok(list[i].uidl) ||
		    pop_state_find(&ps, list[i].uidl) != NULL)
			continue;
		if (net_pop_retr(pop, list[i].index, &data, &len, cause) != 0)
			goto out;
		k = maildir_deliver(inbox, data, len, -1, 0, NULL, cause);
		free(data);
		if (k != STORE_OK)
			goto out;
		if (pop_state_add(&ps, statepath, list[i].uidl, now,
		    cause) != 0)
			goto out;
		stats->fetched++;
		stats->done++;
		if (opts->progress != NULL)
			opts->progress(stats, "INBOX", opts->arg);
	}
	/* Deletions, only of what is safely here. */
	for (i = 0; i < n; i++) {
		if (!pop_uidl_ok(list[i].uidl) ||
		    (seen = pop_state_find(&ps, list[i].uidl)) == NULL)
			continue;
		dele = !a->pop_leave_on_server ||
		    (a->pop_delete_after_days > 0 && now - seen->first >=
		    (time_t)a->pop_delete_after_days * 86400);
		if (!dele)
			continue;
		if (net_pop_dele(pop, list[i].index, cause) != 0)
			goto out;
		stats->deleted++;
	}
	/* Forget UIDLs the server no longer has: they cannot come back. */
	for (i = k = 0; i < ps.n; i++) {
		if (ps.v[i].present)
			ps.v[k++] = ps.v[i];
		else
			free(ps.v[i].uidl);
	}
	ps.n = k;
	if (pop_state_save(&ps, statepath, cause) != 0)
		goto out;
	stats->folders++;
	rc = 0;
out:
	/* QUIT commits the deletions; after a failure nothing is deleted
	 * because net_pop_free() only sends QUIT on a healthy session. */
	engine_cancel_attach(opts->cancel, NULL, NULL);
	net_pop_free(pop);
	net_secret_free(password);
	pop_state_release(&ps);
	free(statepath);
	free(statedir);
	free(inbox);
	free(root);
	return (rc);
}
