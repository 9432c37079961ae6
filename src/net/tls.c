/*
 * net/tls.c: the connection under every protocol session.  A socket we
 * connect ourselves (non-blocking, with a timeout and a cancel pipe), and
 * OpenSSL on top of it as a libetpan mailstream_low driver, so that
 * libetpan speaks IMAP, POP3 and SMTP through our verified TLS.  libetpan's
 * own TLS code is never called: in Debian's build it is GnuTLS without
 * any certificate check.
 *
 * The same driver carries plaintext (ssl NULL) for the part of a STARTTLS
 * session before the upgrade and for tls = none, so that cancelling and
 * timeouts behave the same everywhere.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libetpan/libetpan.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "core/core.h"
#include "net/net.h"
#include "private.h"

/* Longest line the trace keeps before it logs what it has. */
#define LINK_TRACE_MAX	4096

/* What the driver keeps per low stream; the link is borrowed. */
struct link_low {
	struct net_link	*link;
	int		 fd;
	SSL		*ssl;		/* NULL: plaintext */
	int		 dead;		/* fatal TLS error: no close_notify */
};

struct link_trace {
	int		 what;		/* enum log_trace */
	struct net_redact redact;
	struct buf	 part[2];	/* unfinished line: received, sent */
};

enum link_wait {
	LINK_READY,
	LINK_TIMEOUT,
	LINK_CANCELLED,
	LINK_EPOLL,
};

static ssize_t	 link_low_read(mailstream_low *, void *, size_t);
static ssize_t	 link_low_write(mailstream_low *, const void *, size_t);
static int	 link_low_close(mailstream_low *);
static int	 link_low_get_fd(mailstream_low *);
static void	 link_low_free(mailstream_low *);
static void	 link_low_cancel(mailstream_low *);

static mailstream_low_driver link_driver = {
	.mailstream_read = link_low_read,
	.mailstream_write = link_low_write,
	.mailstream_close = link_low_close,
	.mailstream_get_fd = link_low_get_fd,
	.mailstream_free = link_low_free,
	.mailstream_cancel = link_low_cancel,
	.mailstream_get_cancel = NULL,
	.mailstream_get_certificate_chain = NULL,
	.mailstream_setup_idle = NULL,
	.mailstream_unsetup_idle = NULL,
	.mailstream_interrupt_idle = NULL,
};

void
link_init(struct net_link *link, const struct config_account *a,
    const char *proto, unsigned int implicit_port, unsigned int plain_port)
{
	memset(link, 0, sizeof *link);
	link->host = a->host != NULL ? xstrdup(a->host) : NULL;
	link->tls = a->tls;
	if (a->port != 0)
		link->port = a->port;
	else if (a->tls == CONFIG_TLS_IMPLICIT)
		link->port = implicit_port;
	else
		link->port = plain_port;
	link->ca_file = a->tls_ca_file != NULL ? xstrdup(a->tls_ca_file) :
	    NULL;
	link->fingerprint = a->tls_fingerprint != NULL ?
	    xstrdup(a->tls_fingerprint) : NULL;
	link->allow_plaintext = a->allow_plaintext;
	link->timeout = a->timeout > 0 ? a->timeout : 60;
	link->proto = proto;
	/* Without a pipe link_connect() fails, with the reason. */
	if (pipe2(link->cancel, O_CLOEXEC | O_NONBLOCK) != 0) {
		snprintf(link->error, sizeof link->error,
		    "cannot create a pipe: %s", strerror(errno));
		link->cancel[0] = link->cancel[1] = -1;
	}
}

/* After the stream that uses the link has been freed. */
void
link_release(struct net_link *link)
{
	if (link->cancel[0] != -1)
		close(link->cancel[0]);
	if (link->cancel[1] != -1)
		close(link->cancel[1]);
	if (link->trace != NULL) {
		buf_release(&link->trace->part[0]);
		buf_release(&link->trace->part[1]);
		free(link->trace);
	}
	free(link->host);
	free(link->ca_file);
	free(link->fingerprint);
	free(link->tls_name);
	memset(link, 0, sizeof *link);
	link->cancel[0] = link->cancel[1] = -1;
}

/* From any thread: the byte stays in the pipe, so the cancel sticks. */
void
link_cancel(struct net_link *link)
{
	if (link == NULL || link->cancel[1] == -1)
		return;
	if (write(link->cancel[1], "c", 1) == -1) {
		/* The pipe is full: it was cancelled already. */
	}
}

int
link_cancelled(const struct net_link *link)
{
	struct pollfd	 pfd;

	if (link->cancel[0] == -1)
		return (0);
	pfd.fd = link->cancel[0];
	pfd.events = POLLIN;
	return (poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN));
}

int
link_failed(const struct net_link *link, const char *what, char **cause)
{
	const char	*why;

	if (link_cancelled(link))
		why = "cancelled";
	else if (link->error[0] != '\0')
		why = link->error;
	else
		return (0);
	if (what != NULL)
		xcause(cause, "%s: %s", what, why);
	else
		xcause(cause, "%s", why);
	return (1);
}

/* Whether bytes wait in libetpan's or OpenSSL's buffer, where poll(2)
 * on the socket cannot see them. */
int
link_pending(const struct net_link *link, mailstream *s)
{
	if (s != NULL && s->read_buffer_len != 0)
		return (1);
	return (link->ssl != NULL && SSL_pending(link->ssl) > 0);
}

/* The name the certificate must carry. */
static const char *
link_name(const struct net_link *link)
{
	return (link->tls_name != NULL ? link->tls_name : link->host);
}

/* Keeps the first failure only: it is the cause, the rest follow from it. */
static void PRINTFLIKE(2, 3)
link_break(struct net_link *link, const char *fmt, ...)
{
	va_list	 ap;

	if (link->error[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(link->error, sizeof link->error, fmt, ap);
	va_end(ap);
}

static int
link_ms_left(const struct timespec *deadline)
{
	struct timespec	 now;
	long long	 ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long long)(deadline->tv_sec - now.tv_sec) * 1000 +
	    (deadline->tv_nsec - now.tv_nsec) / 1000000;
	if (ms < 0)
		return (0);
	return (ms > INT_MAX ? INT_MAX : (int)ms);
}

/*
 * Waits until fd is ready for events, the link is cancelled, or timeout
 * seconds pass.  An error or hang-up on fd counts as ready: the read or
 * write that follows reports it.
 */
static enum link_wait
link_wait(struct net_link *link, int fd, short events, int timeout)
{
	struct pollfd	 pfd[2];
	struct timespec	 deadline;
	int		 n;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout;
	pfd[0].fd = fd;
	pfd[0].events = events;
	pfd[1].fd = link->cancel[0];
	pfd[1].events = POLLIN;
	for (;;) {
		pfd[0].revents = pfd[1].revents = 0;
		n = poll(pfd, 2, link_ms_left(&deadline));
		if (n == -1 && errno == EINTR)
			continue;
		break;
	}
	if (n == -1)
		return (LINK_EPOLL);
	if (pfd[1].revents & POLLIN)
		return (LINK_CANCELLED);
	if (n == 0)
		return (LINK_TIMEOUT);
	return (LINK_READY);
}

/* Words for a failed wait, for messages. */
static void
link_wait_words(enum link_wait w, int timeout, char *buf, size_t len)
{
	switch (w) {
	case LINK_TIMEOUT:
		snprintf(buf, len, "timed out after %d s", timeout);
		break;
	case LINK_CANCELLED:
		snprintf(buf, len, "cancelled");
		break;
	default:
		snprintf(buf, len, "poll: %s", strerror(errno));
		break;
	}
}

/*
 * Whether the driver may still do I/O: not after a failure, nor after a
 * cancel, which a read that never has to wait would otherwise not see.
 */
static int
link_low_usable(struct link_low *l)
{
	if (l->link->error[0] != '\0')
		return (0);
	if (link_cancelled(l->link)) {
		link_break(l->link, "cancelled");
		return (0);
	}
	return (1);
}

/* Waits for the driver; on failure breaks the link and returns -1. */
static int
link_low_wait(struct link_low *l, short events, int timeout)
{
	enum link_wait	 w;
	char		 why[128];

	if ((w = link_wait(l->link, l->fd, events, timeout)) == LINK_READY)
		return (0);
	link_wait_words(w, timeout, why, sizeof why);
	link_break(l->link, "%s", why);
	return (-1);
}

static int
link_low_timeout(mailstream_low *s, struct link_low *l)
{
	if (s->timeout > 0 && s->timeout < INT_MAX)
		return ((int)s->timeout);
	return (l->link->timeout);
}

/* The reason of the first queued OpenSSL error, for messages. */
static const char *
link_ssl_reason(void)
{
	static __thread char	 buf[256];
	unsigned long		 e;
	const char		*r;

	if ((e = ERR_get_error()) == 0)
		return ("connection closed by the server");
	if (ERR_GET_LIB(e) == ERR_LIB_SYS)
		return (strerror(ERR_GET_REASON(e)));
	if ((r = ERR_reason_error_string(e)) != NULL)
		return (r);
	ERR_error_string_n(e, buf, sizeof buf);
	return (buf);
}

/*
 * One SSL_read or SSL_write went wrong with code r: waits and returns 0
 * when OpenSSL wants to be called again, else breaks the link (1 for a
 * clean TLS close, -1 otherwise).
 */
static int
link_low_ssl_retry(mailstream_low *s, struct link_low *l, int r,
    const char *what)
{
	int	 timeout = link_low_timeout(s, l);

	switch (SSL_get_error(l->ssl, r)) {
	case SSL_ERROR_WANT_READ:
		return (link_low_wait(l, POLLIN, timeout));
	case SSL_ERROR_WANT_WRITE:
		return (link_low_wait(l, POLLOUT, timeout));
	case SSL_ERROR_ZERO_RETURN:
		link_break(l->link, "connection closed by the server");
		return (1);
	case SSL_ERROR_SYSCALL:
		l->dead = 1;
		if (ERR_peek_error() == 0 && errno != 0) {
			link_break(l->link, "TLS %s failed: %s", what,
			    strerror(errno));
			return (-1);
		}
		/* FALLTHROUGH */
	default:
		l->dead = 1;
		link_break(l->link, "TLS %s failed: %s", what,
		    link_ssl_reason());
		return (-1);
	}
}

/*
 * One read (into rbuf) or write (from wbuf) of at most len bytes, waiting
 * as long as the socket or OpenSSL asks for it.  Returns the count, 0 at
 * the end of the stream, -1 on failure (the link is then broken).
 */
static ssize_t
link_low_io(mailstream_low *s, void *rbuf, const void *wbuf, size_t len)
{
	struct link_low	*l = s->data;
	const char	*what = rbuf != NULL ? "read" : "write";
	ssize_t		 n;
	int		 r;

	if (len > INT_MAX)
		len = INT_MAX;
	for (;;) {
		if (!link_low_usable(l))
			return (-1);
		if (l->ssl != NULL) {
			ERR_clear_error();
			errno = 0;
			if (rbuf != NULL)
				r = SSL_read(l->ssl, rbuf, (int)len);
			else
				r = SSL_write(l->ssl, wbuf, (int)len);
			if (r > 0)
				return (r);
			/* A write that returned 0 would be retried forever. */
			if ((r = link_low_ssl_retry(s, l, r, what)) == 1)
				return (rbuf != NULL ? 0 : -1);
			if (r != 0)
				return (-1);
			continue;
		}
		if (rbuf != NULL)
			n = read(l->fd, rbuf, len);
		else
			n = write(l->fd, wbuf, len);
		if (n > 0)
			return (n);
		if (n == 0) {
			link_break(l->link, "connection closed by the server");
			return (rbuf != NULL ? 0 : -1);
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			link_break(l->link, "%s failed: %s", what,
			    strerror(errno));
			return (-1);
		}
		if (link_low_wait(l, rbuf != NULL ? POLLIN : POLLOUT,
		    link_low_timeout(s, l)) != 0)
			return (-1);
	}
}

static ssize_t
link_low_read(mailstream_low *s, void *buf, size_t len)
{
	return (link_low_io(s, buf, NULL, len));
}

static ssize_t
link_low_write(mailstream_low *s, const void *buf, size_t len)
{
	return (link_low_io(s, NULL, buf, len));
}

/* One try at close_notify, never a wait: the socket is non-blocking. */
static int
link_low_close(mailstream_low *s)
{
	struct link_low	*l = s->data;

	if (l->ssl != NULL && !l->dead && l->link->error[0] == '\0')
		(void)SSL_shutdown(l->ssl);
	if (l->fd != -1)
		close(l->fd);
	l->fd = -1;
	return (0);
}

static int
link_low_get_fd(mailstream_low *s)
{
	struct link_low	*l = s->data;

	return (l->fd);
}

/* mailstream_low_free() leaves freeing the mailstream_low to us. */
static void
link_low_free(mailstream_low *s)
{
	struct link_low	*l = s->data;

	if (l->fd != -1)
		close(l->fd);
	if (l->ssl != NULL) {
		if (l->link->ssl == l->ssl)
			l->link->ssl = NULL;
		SSL_free(l->ssl);
	}
	free(l);
	free(s);
}

static void
link_low_cancel(mailstream_low *s)
{
	struct link_low	*l = s->data;

	link_cancel(l->link);
}

/* Our driver on fd (and ssl), which it owns from now on. */
static mailstream_low *
link_low_new(struct net_link *link, int fd, SSL *ssl, time_t timeout)
{
	struct link_low	*l;
	mailstream_low	*low;

	l = xcalloc(1, sizeof *l);
	l->link = link;
	l->fd = fd;
	l->ssl = ssl;
	if ((low = mailstream_low_new(l, &link_driver)) == NULL)
		fatalx("out of memory");
	mailstream_low_set_timeout(low, timeout);
	if (ssl != NULL)
		link->ssl = ssl;
	return (low);
}

static int
link_loopback(const struct sockaddr *sa)
{
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;
	const uint8_t			*b;

	switch (sa->sa_family) {
	case AF_INET:
		sin = (const struct sockaddr_in *)sa;
		return ((ntohl(sin->sin_addr.s_addr) >> 24) == 127);
	case AF_INET6:
		sin6 = (const struct sockaddr_in6 *)sa;
		if (IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr))
			return (1);
		b = sin6->sin6_addr.s6_addr;
		return (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr) && b[12] == 127);
	}
	return (0);
}

/*
 * Connects to one address within the timeout; -1 with why filled.  A
 * cancel sets *stop so that no other address is tried.
 */
static int
link_connect_one(struct net_link *link, const struct addrinfo *ai,
    char *why, size_t len, int *stop)
{
	enum link_wait	 w;
	socklen_t	 sl;
	int		 fd, error;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd == -1) {
		snprintf(why, len, "%s", strerror(errno));
		return (-1);
	}
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return (fd);
	if (errno != EINPROGRESS) {
		snprintf(why, len, "%s", strerror(errno));
		close(fd);
		return (-1);
	}
	if ((w = link_wait(link, fd, POLLOUT, link->timeout)) != LINK_READY) {
		link_wait_words(w, link->timeout, why, len);
		*stop = (w == LINK_CANCELLED);
		close(fd);
		return (-1);
	}
	sl = sizeof error;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &sl) != 0)
		error = errno;
	if (error != 0) {
		snprintf(why, len, "%s", strerror(error));
		close(fd);
		return (-1);
	}
	return (fd);
}

/*
 * Resolves and connects.  Plaintext goes only to loopback addresses unless
 * the account allows it, so a typo in "tls" cannot send a password in the
 * clear over the network.
 */
static int
link_tcp(struct net_link *link, char **cause)
{
	struct addrinfo	 hints, *res, *ai;
	char		 port[16], why[256];
	int		 fd = -1, error, refused = 0, tried = 0, stop = 0;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(port, sizeof port, "%u", link->port);
	/* XXX: getaddrinfo() cannot be cancelled; a resolver thread could. */
	if ((error = getaddrinfo(link->host, port, &hints, &res)) != 0) {
		xcause(cause, "cannot resolve '%s': %s", link->host,
		    error == EAI_SYSTEM ? strerror(errno) :
		    gai_strerror(error));
		return (-1);
	}
	snprintf(why, sizeof why, "no address");
	for (ai = res; ai != NULL && fd == -1 && !stop; ai = ai->ai_next) {
		if (link->tls == CONFIG_TLS_NONE && !link->allow_plaintext &&
		    !link_loopback(ai->ai_addr)) {
			refused = 1;
			continue;
		}
		tried = 1;
		fd = link_connect_one(link, ai, why, sizeof why, &stop);
	}
	freeaddrinfo(res);
	if (fd != -1)
		return (fd);
	if (stop)
		xcause(cause, "cancelled");
	else if (refused && !tried)
		xcause(cause, "refusing to talk to '%s' without TLS: it is "
		    "not on this machine (use tls = implicit or starttls, or "
		    "set allow_plaintext = yes)", link->host);
	else
		xcause(cause, "cannot connect to '%s' port %u: %s", link->host,
		    link->port, why);
	return (-1);
}

/* An opt-in pin replaces the chain check: the callback accepts all. */
static int
link_verify_pinned(int ok, X509_STORE_CTX *ctx)
{
	(void)ok;
	(void)ctx;
	return (1);
}

/* SHA-256 of the peer certificate's DER as 64 lower-case hex digits. */
static int
link_fingerprint(SSL *ssl, char *hex, size_t len)
{
	X509		*cert;
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 n, i;
	int		 rc = -1;

	if (len < 65 || (cert = SSL_get_peer_certificate(ssl)) == NULL)
		return (-1);
	if (X509_digest(cert, EVP_sha256(), md, &n) == 1 && n == 32) {
		for (i = 0; i < n; i++)
			snprintf(hex + 2 * i, 3, "%02x", md[i]);
		rc = 0;
	}
	X509_free(cert);
	return (rc);
}

/* Host name or IP address check, and SNI for names only (RFC 6066). */
static int
link_check_name(SSL *ssl, const char *name)
{
	struct in6_addr	 a6;
	struct in_addr	 a4;

	if (inet_pton(AF_INET, name, &a4) == 1 ||
	    inet_pton(AF_INET6, name, &a6) == 1)
		return (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl),
		    name) == 1 ? 0 : -1);
	SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	if (SSL_set_tlsext_host_name(ssl, name) != 1 ||
	    SSL_set1_host(ssl, name) != 1)
		return (-1);
	return (0);
}

/*
 * A client SSL for the account: TLS 1.2 at least, the chain checked against
 * tls_ca_file or the system store (SSL_CERT_FILE and SSL_CERT_DIR apply),
 * and the name.
 */
static SSL *
link_ssl_new(struct net_link *link, char **cause)
{
	SSL_CTX	*ctx;
	SSL	*ssl = NULL;

	ERR_clear_error();
	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL) {
		xcause(cause, "cannot set up TLS: %s", link_ssl_reason());
		return (NULL);
	}
	if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) {
		xcause(cause, "cannot set up TLS: %s", link_ssl_reason());
		goto out;
	}
	if (link->ca_file != NULL) {
		if (SSL_CTX_load_verify_locations(ctx, link->ca_file,
		    NULL) != 1) {
			xcause(cause, "cannot load CA file '%s': %s",
			    link->ca_file, link_ssl_reason());
			goto out;
		}
	} else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
		xcause(cause, "cannot load the system's CA certificates: %s",
		    link_ssl_reason());
		goto out;
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER,
	    link->fingerprint != NULL ? link_verify_pinned : NULL);
	if ((ssl = SSL_new(ctx)) == NULL) {
		xcause(cause, "cannot set up TLS: %s", link_ssl_reason());
		goto out;
	}
	if (link_check_name(ssl, link_name(link)) != 0) {
		xcause(cause, "cannot check the name '%s': %s",
		    link_name(link), link_ssl_reason());
		SSL_free(ssl);
		ssl = NULL;
	}
out:
	SSL_CTX_free(ctx);
	return (ssl);
}

/* The handshake failed: say whether it was the certificate, and why. */
static void
link_handshake_error(struct net_link *link, SSL *ssl, char **cause)
{
	long	 v;

	v = SSL_get_verify_result(ssl);
	if (v != X509_V_OK && link->fingerprint == NULL)
		xcause(cause, "certificate verification failed for '%s': %s",
		    link_name(link), X509_verify_cert_error_string(v));
	else
		xcause(cause, "TLS handshake failed: %s", link_ssl_reason());
}

/*
 * TLS on a connected fd, verified before anything is sent through it.
 * With a pin the fingerprint decides alone, checked right after the
 * handshake and before the first byte of the protocol.
 */
static SSL *
link_handshake(struct net_link *link, int fd, char **cause)
{
	SSL		*ssl;
	enum link_wait	 w;
	char		 fp[65], why[128];
	int		 r, e;

	if ((ssl = link_ssl_new(link, cause)) == NULL)
		return (NULL);
	if (SSL_set_fd(ssl, fd) != 1) {
		xcause(cause, "cannot set up TLS: %s", link_ssl_reason());
		goto fail;
	}
	for (;;) {
		ERR_clear_error();
		errno = 0;
		if ((r = SSL_connect(ssl)) == 1)
			break;
		e = SSL_get_error(ssl, r);
		if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
			if (e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 &&
			    errno != 0)
				xcause(cause, "TLS handshake failed: %s",
				    strerror(errno));
			else
				link_handshake_error(link, ssl, cause);
			goto fail;
		}
		w = link_wait(link, fd, e == SSL_ERROR_WANT_READ ? POLLIN :
		    POLLOUT, link->timeout);
		if (w != LINK_READY) {
			link_wait_words(w, link->timeout, why, sizeof why);
			if (w == LINK_CANCELLED)
				xcause(cause, "cancelled");
			else
				xcause(cause, "TLS handshake failed: %s", why);
			goto fail;
		}
	}
	if (link->fingerprint != NULL) {
		if (link_fingerprint(ssl, fp, sizeof fp) != 0) {
			xcause(cause, "cannot compute the fingerprint of the "
			    "certificate of '%s'", link_name(link));
			goto fail;
		}
		if (strcmp(fp, link->fingerprint) != 0) {
			xcause(cause, "certificate of '%s' does not match the "
			    "pinned fingerprint: expected %s, got %s",
			    link_name(link), link->fingerprint, fp);
			goto fail;
		}
	}
	snprintf(link->security, sizeof link->security, "%s %s",
	    SSL_get_version(ssl), SSL_get_cipher_name(ssl));
	return (ssl);

fail:
	SSL_free(ssl);
	return (NULL);
}

mailstream *
link_connect(struct net_link *link, char **cause)
{
	mailstream	*s;
	SSL		*ssl = NULL;
	int		 fd;

	if (link_failed(link, NULL, cause))
		return (NULL);
	if (link->host == NULL || *link->host == '\0') {
		xcause(cause, "no host to connect to");
		return (NULL);
	}
	if ((fd = link_tcp(link, cause)) == -1)
		return (NULL);
	if (link->tls == CONFIG_TLS_IMPLICIT) {
		if ((ssl = link_handshake(link, fd, cause)) == NULL) {
			close(fd);
			return (NULL);
		}
	} else
		strlcpy(link->security, "plaintext", sizeof link->security);
	if ((s = mailstream_new(link_low_new(link, fd, ssl, link->timeout),
	    8192)) == NULL)
		fatalx("out of memory");
	return (s);
}

/*
 * The low layer of s gets replaced by a TLS one on a dup() of its fd, so
 * that on failure the old one is intact and the session can be freed.
 */
int
link_starttls(struct net_link *link, mailstream *s, char **cause)
{
	mailstream_low	*old;
	SSL		*ssl;
	time_t		 timeout;
	int		 fd;

	/*
	 * Bytes already read after the server's OK came before TLS: they
	 * would be taken as answers from inside it (CVE-2020-15953).
	 */
	if (s->read_buffer_len != 0) {
		link_break(link, "server sent data after agreeing to "
		    "STARTTLS");
		xcause(cause, "server '%s' sent data right after agreeing to "
		    "STARTTLS (an injection attempt?); refusing to go on",
		    link->host);
		return (-1);
	}
	old = mailstream_get_low(s);
	fd = fcntl(mailstream_low_get_fd(old), F_DUPFD_CLOEXEC, 0);
	if (fd == -1) {
		xcause(cause, "cannot duplicate the socket: %s",
		    strerror(errno));
		return (-1);
	}
	if ((ssl = link_handshake(link, fd, cause)) == NULL) {
		close(fd);
		link_break(link, "STARTTLS failed");
		return (-1);
	}
	timeout = mailstream_low_get_timeout(old);
	mailstream_low_close(old);
	mailstream_low_free(old);
	mailstream_set_low(s, link_low_new(link, fd, ssl, timeout));
	return (0);
}

static void
link_trace_stream(mailstream *s, int type, const char *str, size_t len,
    void *arg)
{
	(void)s;
	link_trace_log(arg, type, str, len);
}

void
link_trace(struct net_link *link, mailstream *s, int what)
{
	if (link->trace == NULL) {
		link->trace = xcalloc(1, sizeof *link->trace);
		buf_init(&link->trace->part[0]);
		buf_init(&link->trace->part[1]);
	}
	link->trace->what = what;
	if (s != NULL)
		mailstream_set_logger(s, link_trace_stream, link);
}

/*
 * Every line passes the redaction, also without -vv, so that its state
 * follows the session; log_trace() escapes the line, and only when it
 * writes it, which keeps a traced bulk fetch cheap when nobody looks.
 */
static void
link_trace_line(struct net_link *link, int sent, const char *line,
    size_t len)
{
	struct link_trace	*t = link->trace;
	size_t			 keep;

	keep = auth_redact(&t->redact, link->proto, sent, line, &len);
	log_trace(t->what, "%s %s %.*s%s", link->proto, sent ? ">" : "<",
	    (int)keep, line, keep < len ? "<redacted>" : "");
}

/*
 * libetpan logs whatever one read or write moved; the trace wants lines,
 * so the unfinished end of a chunk waits for the next one.
 */
void
link_trace_log(struct net_link *link, int type, const char *str, size_t len)
{
	struct buf	*b;
	const char	*nl;
	size_t		 n;
	int		 sent;

	if (link->trace == NULL || str == NULL)
		return;
	switch (type) {
	case MAILSTREAM_LOG_TYPE_DATA_RECEIVED:
		sent = 0;
		break;
	case MAILSTREAM_LOG_TYPE_DATA_SENT:
	case MAILSTREAM_LOG_TYPE_DATA_SENT_PRIVATE:
		sent = 1;
		break;
	default:
		return;
	}
	b = &link->trace->part[sent];
	while (len > 0) {
		nl = memchr(str, '\n', len);
		n = nl != NULL ? (size_t)(nl - str) + 1 : len;
		if (b->len + n > LINK_TRACE_MAX)
			n = LINK_TRACE_MAX - b->len;
		if (b->len == 0 && (nl != NULL || n == LINK_TRACE_MAX))
			link_trace_line(link, sent, str, n);	/* whole */
		else {
			buf_add(b, str, n);
			if (nl != NULL || b->len == LINK_TRACE_MAX) {
				link_trace_line(link, sent, b->data, b->len);
				buf_clear(b);
			}
		}
		str += n;
		len -= n;
	}
}
