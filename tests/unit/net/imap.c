/*
 * tests/unit/net/imap.c: what a session does when the server does not
 * play along, without a real server.  A listening socket that never
 * answers holds the session in its greeting (or TLS handshake); one whose
 * backlog is full holds it in connect().  net_imap_cancel() from another
 * thread must end both at once, and the timeout must end them on its own.
 * POP3 shares the connection code; one case proves its cancel too.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "net/net.h"
#include "tests/unit/tap.h"

struct canceller {
	struct net_imap	*imap;
	struct net_pop	*pop;
	int		 ms;
};

/* A socket on 127.0.0.1 that listens and never accepts; *port gets it. */
static int
silent_listener(int backlog, unsigned int *port)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;
	int			 s;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(s, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    listen(s, backlog) != 0 ||
	    getsockname(s, (struct sockaddr *)&sin, &len) != 0)
		fatal("listener");
	*port = ntohs(sin.sin_port);
	return (s);
}

/* Fills a backlog of 0: the next connect() then waits for good. */
static int
fill_backlog(unsigned int port)
{
	struct sockaddr_in	 sin;
	int			 s;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(port);
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    connect(s, (struct sockaddr *)&sin, sizeof sin) != 0)
		fatal("filler");
	return (s);
}

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + ts.tv_nsec / 1e9);
}

static void *
cancel_later(void *arg)
{
	struct canceller	*c = arg;
	struct timespec		 ts;

	ts.tv_sec = c->ms / 1000;
	ts.tv_nsec = (c->ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
	net_imap_cancel(c->imap);
	net_pop_cancel(c->pop);
	return (NULL);
}

static void
account(struct config_account *a, unsigned int port, enum config_tls tls,
    int timeout)
{
	memset(a, 0, sizeof *a);
	a->name = (char *)"test";
	a->host = (char *)"127.0.0.1";
	a->port = port;
	a->user = (char *)"alice";
	a->tls = tls;
	a->timeout = timeout;
}

/*
 * Opens an IMAP (or POP3) session to port, cancelled after ms from another
 * thread (ms 0: not cancelled); checks how it failed and how long it took.
 */
static void
expect_failure(const char *proto, unsigned int port, enum config_tls tls,
    int timeout, int ms, const char *want, double max, const char *name)
{
	struct config_account	 a;
	struct canceller	 c;
	pthread_t		 t;
	char			*cause = NULL;
	double			 t0, dt;
	int			 rc;

	account(&a, port, tls, timeout);
	memset(&c, 0, sizeof c);
	c.ms = ms;
	if (strcmp(proto, "imap") == 0)
		c.imap = net_imap_new(&a);
	else
		c.pop = net_pop_new(&a);
	if (ms > 0 && pthread_create(&t, NULL, cancel_later, &c) != 0)
		fatalx("pthread_create");
	t0 = now();
	if (c.imap != NULL)
		rc = net_imap_open(c.imap, "secret1", &cause);
	else
		rc = net_pop_open(c.pop, "secret1", &cause);
	dt = now() - t0;
	if (ms > 0)
		pthread_join(t, NULL);
	if (!ok(rc == -1 && cause != NULL && strstr(cause, want) != NULL &&
	    dt < max, name))
		diag("rc %d after %.2f s (at most %.2f): %s", rc, dt, max,
		    cause != NULL ? cause : "(no cause)");
	free(cause);
	t0 = now();
	net_imap_free(c.imap);
	net_pop_free(c.pop);
	if (!ok(now() - t0 < 0.5, "  ... and freeing it does not wait"))
		diag("free took %.2f s", now() - t0);
}

int
main(void)
{
	struct config_account	 a;
	struct net_imap		*imap;
	unsigned int		 port, full;
	char			*cause = NULL;
	int			 s, sfull, filler;

	net_init();
	s = silent_listener(16, &port);
	sfull = silent_listener(0, &full);
	filler = fill_backlog(full);

	expect_failure("imap", port, CONFIG_TLS_NONE, 30, 300, "cancelled",
	    3, "cancel ends a wait for the greeting");
	expect_failure("imap", port, CONFIG_TLS_IMPLICIT, 30, 300,
	    "cancelled", 3, "cancel ends a TLS handshake");
	expect_failure("imap", port, CONFIG_TLS_STARTTLS, 30, 300,
	    "cancelled", 3, "cancel ends a wait for a STARTTLS greeting");
	expect_failure("imap", full, CONFIG_TLS_NONE, 30, 300, "cancelled",
	    3, "cancel ends a connect()");
	expect_failure("pop", port, CONFIG_TLS_NONE, 30, 300, "cancelled", 3,
	    "POP3: cancel ends a wait for the greeting");

	expect_failure("imap", port, CONFIG_TLS_NONE, 1, 0,
	    "timed out after 1 s", 3, "the timeout ends a silent greeting");
	expect_failure("imap", port, CONFIG_TLS_IMPLICIT, 1, 0,
	    "TLS handshake failed: timed out after 1 s", 3,
	    "the timeout ends a silent TLS handshake");
	expect_failure("imap", full, CONFIG_TLS_NONE, 1, 0,
	    "cannot connect to '127.0.0.1'", 3,
	    "the timeout ends a connect()");
	expect_failure("pop", port, CONFIG_TLS_IMPLICIT, 1, 0,
	    "timed out after 1 s", 3, "POP3: the timeout ends a handshake");

	/* A cancel before the open: it fails without trying. */
	account(&a, port, CONFIG_TLS_NONE, 30);
	imap = net_imap_new(&a);
	net_imap_cancel(imap);
	ok(net_imap_open(imap, "secret1", &cause) == -1 && cause != NULL &&
	    strcmp(cause, "cancelled") == 0, "cancelled before the open");
	free(cause);
	net_imap_free(imap);

	/* Plaintext only to this machine unless the account allows more. */
	account(&a, 143, CONFIG_TLS_NONE, 1);
	a.host = (char *)"192.0.2.1";
	imap = net_imap_new(&a);
	cause = NULL;
	ok(net_imap_open(imap, "secret1", &cause) == -1 && cause != NULL &&
	    strncmp(cause, "refusing to talk to '192.0.2.1' without TLS",
	    43) == 0, "no plaintext to a host that is not loopback");
	if (cause != NULL)
		diag("%s", cause);
	free(cause);
	net_imap_free(imap);

	account(&a, 0, CONFIG_TLS_IMPLICIT, 1);
	a.host = NULL;
	imap = net_imap_new(&a);
	cause = NULL;
	ok(net_imap_open(imap, "secret1", &cause) == -1 && cause != NULL &&
	    strcmp(cause, "no host to connect to") == 0, "no host");
	free(cause);
	ok(strcmp(net_imap_security(imap), "") == 0 &&
	    net_imap_caps(imap) == 0, "no security and no caps before open");
	net_imap_free(imap);

	net_imap_free(NULL);
	net_pop_free(NULL);
	net_imap_cancel(NULL);
	net_pop_cancel(NULL);
	ok(1, "free and cancel of NULL");

	close(filler);
	close(sfull);
	close(s);
	return (tap_done());
}
