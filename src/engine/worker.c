/*
 * engine/worker.c: one thread per account while the interface runs.
 *
 * A worker syncs its account (which also replays the journal of offline
 * actions), brings the index up to date, then waits: on an IMAP server
 * with IDLE it idles on INBOX on a connection of its own, so new mail
 * starts the next round at once; otherwise it looks again every few
 * minutes.  A failed round (no network, a server down, a refused
 * login) is retried after 10 s, then 20 s, ... up to five minutes.
 *
 * The UI thread never waits for a worker.  It learns what happens from
 * events, read with engine_workers_next() whenever engine_workers_fd()
 * is readable, and steers the workers through engine_workers_kick()
 * (sync now: after a local action, or on request) and
 * engine_workers_cancel() (drop the connection in progress).
 *
 * A worker also sends: at the start of every round (so a kick after a
 * message was queued sends it at once) it flushes its account's outbox.
 * While mail stays queued for a temporary reason, the worker comes back
 * after the retry delay rather than after a full IDLE or poll period, so
 * the mail goes out soon after the server is back.  An account that only
 * sends (no IMAP or POP3) gets a worker that does nothing else.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "net/net.h"
#include "store/store.h"
#include "engine/engine.h"
#include "engine/private.h"

#define WORKER_IDLE_SECONDS	(25 * 60)	/* RFC 2177: under 29 min */
#define WORKER_POLL_SECONDS	(5 * 60)	/* without IDLE, or POP3 */
#define WORKER_RETRY_FIRST	10
#define WORKER_RETRY_MAX	(5 * 60)

struct engine_cancel {
	pthread_mutex_t	 lock;
	struct net_imap	*imap;
	struct net_pop	*pop;
	struct net_smtp	*smtp;
	int		 fired;
};

struct engine_worker {
	struct engine_workers		*ws;
	const struct config_account	*acct;
	pthread_t			 thread;
	int				 running;
	int				 wake[2];	/* kick: sync now */
	struct engine_cancel		 cancel;
	volatile sig_atomic_t		 stop;
	double				 last_progress;
	/* Without a password_command the UI asks; under ws->lock. */
	char				*secret;	/* what it said */
	int				 asking;
	int				 answered;
	char				*answer;	/* NULL: declined */
	pthread_cond_t			 cond;
	int				 refused;	/* the last secret was */
	int				 send_only;	/* no IMAP or POP3 */
	int				 queued;	/* seconds until mail
							   queued is tried
							   again; 0: none */
};

struct engine_workers {
	const struct config	*cfg;
	int			(*open_rw)(struct store_index **, char **);
	struct engine_worker	*v;
	size_t			 n;
	pthread_mutex_t		 lock;		/* the queue */
	struct engine_event	*q;
	size_t			 nq;
	int			 pipe[2];	/* readable: events wait */
};

void
engine_cancel_attach(struct engine_cancel *c, struct net_imap *imap,
    struct net_pop *pop)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&c->lock);
	c->imap = imap;
	c->pop = pop;
	if (c->fired && imap != NULL)
		net_imap_cancel(imap);
	if (c->fired && pop != NULL)
		net_pop_cancel(pop);
	pthread_mutex_unlock(&c->lock);
}

void
engine_cancel_attach_smtp(struct engine_cancel *c, struct net_smtp *smtp)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&c->lock);
	c->smtp = smtp;
	if (c->fired && smtp != NULL)
		net_smtp_cancel(smtp);
	pthread_mutex_unlock(&c->lock);
}

static void
worker_cancel_fire(struct engine_cancel *c)
{
	pthread_mutex_lock(&c->lock);
	c->fired = 1;
	if (c->imap != NULL)
		net_imap_cancel(c->imap);
	if (c->pop != NULL)
		net_pop_cancel(c->pop);
	if (c->smtp != NULL)
		net_smtp_cancel(c->smtp);
	pthread_mutex_unlock(&c->lock);
}

static void
worker_cancel_reset(struct engine_cancel *c)
{
	pthread_mutex_lock(&c->lock);
	c->fired = 0;
	pthread_mutex_unlock(&c->lock);
}

static void PRINTFLIKE(3, 4)
worker_post(struct engine_worker *w, enum engine_event_kind kind,
    const char *fmt, ...)
{
	struct engine_workers	*ws = w->ws;
	struct engine_event	*ev;
	va_list			 ap;

	pthread_mutex_lock(&ws->lock);
	ws->q = xreallocarray(ws->q, ws->nq + 1, sizeof *ws->q);
	ev = &ws->q[ws->nq++];
	ev->kind = kind;
	ev->account = xstrdup(w->acct->name);
	va_start(ap, fmt);
	xvasprintf(&ev->text, fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&ws->lock);
	engine_pipe_poke(ws->pipe[1]);
}

/* Sync progress, at most four times a second. */
static void
worker_progress(const struct engine_sync_stats *st, const char *folder,
    void *arg)
{
	struct engine_worker	*w = arg;
	struct timespec		 ts;
	double			 now;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	if (now - w->last_progress < 0.25)
		return;
	w->last_progress = now;
	if (st->total > 0)
		worker_post(w, ENGINE_EVENT_STATUS, "syncing %s %u/%u",
		    folder != NULL ? folder : "", st->done, st->total);
	else
		worker_post(w, ENGINE_EVENT_STATUS, "syncing %s",
		    folder != NULL ? folder : "");
}

/* Whether the UI must give this account's password. */
static int
worker_needs_secret(const struct engine_worker *w)
{
	return (w->acct->password_command == NULL ||
	    *w->acct->password_command == '\0');
}

/*
 * Asks the UI for the password and waits for the answer.  0 with
 * w->secret set, or -1 when the user declined or the worker stops.
 */
static int
worker_ask(struct engine_worker *w)
{
	struct engine_workers	*ws = w->ws;
	char			*answer;

	pthread_mutex_lock(&ws->lock);
	w->asking = 1;
	w->answered = 0;
	pthread_mutex_unlock(&ws->lock);
	worker_post(w, ENGINE_EVENT_PASSWORD, "password for %s@%s%s: ",
	    w->acct->user != NULL ? w->acct->user : "",
	    w->acct->host != NULL ? w->acct->host : "",
	    w->refused ? " (the last one was refused)" : "");
	pthread_mutex_lock(&ws->lock);
	while (!w->answered && !w->stop)
		pthread_cond_wait(&w->cond, &ws->lock);
	answer = w->answer;
	w->answer = NULL;
	w->asking = 0;
	pthread_mutex_unlock(&ws->lock);
	if (answer == NULL)
		return (-1);
	w->secret = answer;
	return (0);
}

static void
worker_forget(struct engine_worker *w)
{
	net_secret_free(w->secret);
	w->secret = NULL;
}

/* An outbox report as an event: "sent: ..." or "queued: ...". */
static void
worker_sent(const struct engine_outbox_item *it, int sent, void *arg)
{
	struct engine_worker	*w = arg;

	if (sent)
		worker_post(w, ENGINE_EVENT_SENT, "sent: %s",
		    it->subject != NULL ? it->subject : "(no subject)");
	else
		worker_post(w, ENGINE_EVENT_SENT, "%s: %s", it->permanent ?
		    "not sent" : "queued", it->reason != NULL ? it->reason :
		    "unknown failure");
}

/*
 * Sends what the account's outbox holds, if it can send at all, and
 * notes whether mail stays queued that a later try may send.
 */
static void
worker_flush(struct engine_worker *w)
{
	const struct config_account	*a = w->acct;
	struct engine_outbox_opts	 o;
	struct engine_outbox_stats	 st;
	char				*cause = NULL;

	if (a->smtp_host == NULL && a->sendmail_command == NULL)
		return;
	worker_cancel_reset(&w->cancel);
	memset(&o, 0, sizeof o);
	o.report = worker_sent;
	o.arg = w;
	o.stop = &w->stop;
	o.cancel = &w->cancel;
	/* The password the user gave for the account, when SMTP has no
	 * command of its own and logs in as the same user. */
	if (a->smtp_password_command == NULL && w->secret != NULL &&
	    a->smtp_user != NULL && a->user != NULL &&
	    strcmp(a->smtp_user, a->user) == 0)
		o.password = w->secret;
	if (engine_outbox_flush(w->ws->cfg, a->name, &o, &st, &cause) != 0) {
		if (!w->stop)
			worker_post(w, ENGINE_EVENT_ERROR, "%s", cause);
		free(cause);
		st.queued = 1;
		st.permanent = 0;
	}
	/* 10 s, then doubling up to five minutes, while it stays. */
	if (st.queued <= st.permanent)
		w->queued = 0;
	else if (w->queued == 0)
		w->queued = WORKER_RETRY_FIRST;
	else if ((w->queued *= 2) > WORKER_RETRY_MAX)
		w->queued = WORKER_RETRY_MAX;
}

/* Brings the index up to date after a sync; -1 with *cause. */
static int
worker_ingest(struct engine_worker *w, unsigned int *changed, char **cause)
{
	struct engine_ingest_stats	 st;
	struct engine_ingest_opts	 o;
	struct store_index		*idx;
	int				 rc;

	if (w->ws->open_rw(&idx, cause) != 0)
		return (-1);
	memset(&o, 0, sizeof o);
	o.stop = &w->stop;
	o.batch = 200;
	rc = engine_ingest_scan(idx, &o, &st, cause);
	store_index_close(idx);
	*changed = st.added + st.removed;
	return (rc);
}

/*
 * One round: sync, then index.  Returns 0, -1 when it failed (an event
 * said why), 1 when there was no password to try, 2 when the server
 * refused the password the user gave.
 */
static int
worker_round(struct engine_worker *w)
{
	struct engine_sync_opts		 o;
	struct engine_sync_stats	 st;
	unsigned int			 changed = 0;
	char				*cause = NULL;
	int				 rc;

	worker_cancel_reset(&w->cancel);
	memset(&o, 0, sizeof o);
	memset(&st, 0, sizeof st);
	o.progress = worker_progress;
	o.arg = w;
	o.stop = &w->stop;
	o.cancel = &w->cancel;
	if (worker_needs_secret(w)) {
		if (w->secret == NULL && worker_ask(w) != 0) {
			if (!w->stop)
				worker_post(w, ENGINE_EVENT_STATUS, "no password "
				    "(:sync asks again)");
			return (1);
		}
		o.password = w->secret;
	}
	worker_post(w, ENGINE_EVENT_STATUS, "connecting");
	if (w->acct->type == CONFIG_ACCOUNT_POP)
		rc = engine_sync_pop(w->ws->cfg, w->acct, &o, &st, &cause);
	else
		rc = engine_sync_imap(w->ws->cfg, w->acct, &o, &st, &cause);
	if (rc == 0)
		w->refused = 0;
	if (rc == 0)
		rc = worker_ingest(w, &changed, &cause);
	if (rc != 0) {
		if (!w->stop)
			worker_post(w, ENGINE_EVENT_ERROR, "%s",
			    cause != NULL ? cause : "sync failed");
		free(cause);
		/* A password the server refused is asked for again, now. */
		if (st.refused && worker_needs_secret(w)) {
			worker_forget(w);
			w->refused = 1;
			return (2);
		}
		return (-1);
	}
	/* Say what came from the server; our own replays only rename. */
	if (st.fetched > 0 || st.expunged > 0 || st.flags_pulled > 0)
		worker_post(w, ENGINE_EVENT_CHANGED, "%u new, %u changed, "
		    "%u gone", st.fetched, st.flags_pulled, st.expunged);
	else if (changed > 0)
		worker_post(w, ENGINE_EVENT_CHANGED, "%s", "");
	worker_post(w, ENGINE_EVENT_STATUS, "synced");
	return (0);
}

/*
 * Waits on INBOX with IDLE, on a connection of its own.  1 when the
 * server reported a change, 0 when kicked or the time is up, -1 on
 * failure (with an event).
 */
static int
worker_idle(struct engine_worker *w)
{
	struct net_imap		*imap;
	struct net_mailbox	 mb;
	char			*password = NULL, *cause = NULL;
	int			 rc = -1;

	imap = net_imap_new(w->acct);
	engine_cancel_attach(&w->cancel, imap, NULL);
	if (worker_needs_secret(w))
		password = xstrdup(w->secret != NULL ? w->secret : "");
	else if (net_password(w->acct, &password, &cause) != 0)
		goto out;
	if (net_imap_open(imap, password, &cause) != 0)
		goto out;
	if (!(net_imap_caps(imap) & NET_IMAP_IDLE)) {
		rc = 2;		/* the caller polls instead */
		goto out;
	}
	if (net_imap_select(imap, "INBOX", &mb, &cause) != 0)
		goto out;
	worker_post(w, ENGINE_EVENT_STATUS, "synced, watching INBOX");
	rc = net_imap_idle(imap, w->wake[0], w->queued ? w->queued :
	    WORKER_IDLE_SECONDS, &cause);
out:
	if (rc < 0 && !w->stop)
		worker_post(w, ENGINE_EVENT_ERROR, "%s",
		    cause != NULL ? cause : "IDLE failed");
	free(cause);
	net_secret_free(password);
	engine_cancel_attach(&w->cancel, NULL, NULL);
	net_imap_free(imap);
	return (rc);
}

/* Waits for a kick or the time (-1: no limit); returns at once when
 * stopping. */
static void
worker_wait(struct engine_worker *w, int seconds)
{
	struct pollfd	 pfd;

	pfd.fd = w->wake[0];
	pfd.events = POLLIN;
	if (!w->stop)
		(void)poll(&pfd, 1, seconds < 0 ? -1 : seconds * 1000);
}

static void *
worker_main(void *arg)
{
	struct engine_worker	*w = arg;
	sigset_t		 all;
	int			 retry = WORKER_RETRY_FIRST, r;

	/* Signals are the UI thread's (SIGWINCH, SIGINT). */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	while (!w->stop) {
		engine_pipe_drain(w->wake[0]);
		worker_flush(w);
		if (w->send_only) {
			worker_wait(w, w->queued ? w->queued : -1);
			continue;
		}
		if (w->stop)
			break;
		if ((r = worker_round(w)) == 1) {
			worker_wait(w, -1);	/* until asked to sync */
			continue;
		}
		if (r == 2)
			continue;		/* ask again */
		if (r != 0) {
			if (w->stop)
				break;
			worker_wait(w, retry);
			retry = retry * 2 > WORKER_RETRY_MAX ? WORKER_RETRY_MAX :
			    retry * 2;
			continue;
		}
		retry = WORKER_RETRY_FIRST;
		r = 2;
		if (w->acct->type == CONFIG_ACCOUNT_IMAP && !w->stop)
			r = worker_idle(w);
		if (r == 2)
			worker_wait(w, w->queued ? w->queued :
			    WORKER_POLL_SECONDS);
		else if (r < 0)
			worker_wait(w, retry);
	}
	return (NULL);
}

struct engine_workers *
engine_workers_start(const struct config *cfg,
    int (*open_rw)(struct store_index **, char **), char **cause)
{
	struct engine_workers	*ws;
	struct engine_worker	*w;
	size_t			 i;

	ws = xcalloc(1, sizeof *ws);
	ws->cfg = cfg;
	ws->open_rw = open_rw;
	pthread_mutex_init(&ws->lock, NULL);
	if (engine_pipe_open(ws->pipe) != 0) {
		xcause(cause, "cannot make a pipe: %s", strerror(errno));
		pthread_mutex_destroy(&ws->lock);
		free(ws);
		return (NULL);
	}
	ws->v = xcalloc(cfg->n_accounts + 1, sizeof *ws->v);
	for (i = 0; i < cfg->n_accounts; i++) {
		if (cfg->accounts[i].type == CONFIG_ACCOUNT_MAILDIR &&
		    cfg->accounts[i].smtp_host == NULL &&
		    cfg->accounts[i].sendmail_command == NULL)
			continue;
		w = &ws->v[ws->n++];
		w->ws = ws;
		w->acct = &cfg->accounts[i];
		w->send_only = w->acct->type == CONFIG_ACCOUNT_MAILDIR;
		pthread_mutex_init(&w->cancel.lock, NULL);
		pthread_cond_init(&w->cond, NULL);
		if (engine_pipe_open(w->wake) != 0) {
			w->wake[0] = w->wake[1] = -1;
			continue;
		}
		if (pthread_create(&w->thread, NULL, worker_main, w) == 0)
			w->running = 1;
		else
			log_warnx("%s: cannot start a sync thread",
			    w->acct->name);
	}
	return (ws);
}

int
engine_workers_fd(const struct engine_workers *ws)
{
	return (ws != NULL ? ws->pipe[0] : -1);
}

size_t
engine_workers_count(const struct engine_workers *ws)
{
	return (ws != NULL ? ws->n : 0);
}

int
engine_workers_next(struct engine_workers *ws, struct engine_event *ev)
{
	int	 got = 0;

	if (ws == NULL)
		return (0);
	engine_pipe_drain(ws->pipe[0]);
	pthread_mutex_lock(&ws->lock);
	if (ws->nq > 0) {
		*ev = ws->q[0];
		memmove(ws->q, ws->q + 1, (ws->nq - 1) * sizeof *ws->q);
		ws->nq--;
		got = 1;
	}
	pthread_mutex_unlock(&ws->lock);
	return (got);
}

void
engine_event_release(struct engine_event *ev)
{
	free(ev->account);
	free(ev->text);
	memset(ev, 0, sizeof *ev);
}

/* The worker of account name (NULL: each in turn, from *i). */
static struct engine_worker *
worker_find(struct engine_workers *ws, const char *name, size_t *i)
{
	for (; ws != NULL && *i < ws->n; (*i)++) {
		if (name == NULL || strcmp(ws->v[*i].acct->name, name) == 0)
			return (&ws->v[(*i)++]);
	}
	return (NULL);
}

int
engine_workers_kick(struct engine_workers *ws, const char *name)
{
	struct engine_worker	*w;
	size_t			 i = 0;
	int			 n = 0;

	while ((w = worker_find(ws, name, &i)) != NULL) {
		if (w->running)
			engine_pipe_poke(w->wake[1]);
		n++;
	}
	return (n);
}

int
engine_workers_password(struct engine_workers *ws, const char *name,
    const char *secret)
{
	struct engine_worker	*w;
	size_t			 i = 0;
	int			 n = 0;

	while ((w = worker_find(ws, name, &i)) != NULL) {
		pthread_mutex_lock(&ws->lock);
		if (w->asking && !w->answered) {
			w->answer = secret != NULL ? xstrdup(secret) : NULL;
			w->answered = 1;
			pthread_cond_signal(&w->cond);
			n++;
		}
		pthread_mutex_unlock(&ws->lock);
	}
	return (n);
}

int
engine_workers_cancel(struct engine_workers *ws, const char *name)
{
	struct engine_worker	*w;
	size_t			 i = 0;
	int			 n = 0;

	while ((w = worker_find(ws, name, &i)) != NULL) {
		worker_cancel_fire(&w->cancel);
		n++;
	}
	return (n);
}

void
engine_workers_stop(struct engine_workers *ws)
{
	struct engine_worker	*w;
	struct engine_event	 ev;
	size_t			 i;

	if (ws == NULL)
		return;
	for (i = 0; i < ws->n; i++) {
		w = &ws->v[i];
		pthread_mutex_lock(&ws->lock);
		w->stop = 1;
		pthread_cond_signal(&w->cond);
		pthread_mutex_unlock(&ws->lock);
		if (w->running) {
			worker_cancel_fire(&w->cancel);
			engine_pipe_poke(w->wake[1]);
		}
	}
	for (i = 0; i < ws->n; i++) {
		w = &ws->v[i];
		if (w->running)
			pthread_join(w->thread, NULL);
		if (w->wake[0] != -1) {
			close(w->wake[0]);
			close(w->wake[1]);
		}
		pthread_mutex_destroy(&w->cancel.lock);
		pthread_cond_destroy(&w->cond);
		worker_forget(w);
		if (w->answer != NULL)
			net_secret_free(w->answer);
	}
	while (engine_workers_next(ws, &ev))
		engine_event_release(&ev);
	free(ws->q);
	free(ws->v);
	close(ws->pipe[0]);
	close(ws->pipe[1]);
	pthread_mutex_destroy(&ws->lock);
	free(ws);
}
