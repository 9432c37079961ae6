/*
 * net/private.h: shared inside net/ only.
 */
#ifndef NET_PRIVATE_H
#define NET_PRIVATE_H

#include <libetpan/libetpan.h>

#include "core/core.h"
#include "net/net.h"

/*
 * net/tls.c: a connection to a server, and OpenSSL under libetpan as a
 * mailstream_low driver.  libetpan's own TLS (GnuTLS without
 * verification in Debian's build) is never used.
 *
 * link_init() takes the account's host, port (or the default for the
 * security chosen: implicit_port with implicit TLS, plain_port else), TLS
 * mode, CA file, fingerprint pin and timeout.  link_connect() resolves and
 * connects with the timeout, refuses plaintext to a host that is not on
 * loopback unless allow_plaintext, and with implicit TLS completes the
 * handshake and the verification (chain against tls_ca_file or the system
 * store, host name, TLS 1.2 at least, the pin when set) before returning
 * a stream for mailimap_connect() and friends.  A failure names the
 * reason ("certificate verification failed for 'localhost': certificate
 * has expired").
 *
 * After the protocol's STARTTLS answered OK, link_starttls() refuses the
 * stream if the server already sent more bytes (injection), then swaps
 * the stream's low layer for a verified TLS one.
 *
 * link_cancel() may be called from any thread: a blocked connect, read or
 * write fails at once with "cancelled".  A cancel is for good: every later
 * read or write on the link fails too, so tearing the session down
 * (LOGOUT, QUIT) cannot block either.
 *
 * The first transport failure (timeout, reset, TLS error, cancel) is kept
 * in error[] and breaks the link for good: the protocol state is unknown
 * after it, and a LOGOUT on a dead link must not wait for another timeout.
 */
struct link_trace;
struct net_link {
	char		*host;
	unsigned int	 port;
	enum config_tls	 tls;
	char		*ca_file;
	char		*fingerprint;	/* 64 hex digits or NULL */
	int		 allow_plaintext;
	int		 timeout;	/* seconds */
	const char	*proto;		/* "IMAP", "POP", "SMTP" for messages */
	int		 cancel[2];	/* a byte on cancel[1] cancels */
	void		*ssl;		/* SSL *, once TLS is up */
	char		 security[128];	/* "TLSv1.3 TLS_AES_..." */
	/*
	 * The name the certificate must carry (and SNI), when it is not
	 * host: tests connect to 127.0.0.2 and check "localhost".  Owned.
	 */
	char		*tls_name;
	char		 error[256];	/* first transport failure, or "" */
	struct link_trace *trace;	/* NULL until link_trace() */
	int		 refused;	/* the server said no to the login */
};
void		 link_init(struct net_link *, const struct config_account *,
		     const char *, unsigned int, unsigned int);
void		 link_release(struct net_link *);
mailstream	*link_connect(struct net_link *, char **);
int		 link_starttls(struct net_link *, mailstream *, char **);
void		 link_cancel(struct net_link *);
/* Whether the last failure was a cancel. */
int		 link_cancelled(const struct net_link *);
int		 link_pending(const struct net_link *, mailstream *);
/*
 * When the link is cancelled or broken, sets *cause to "<what>: <why>"
 * (just the reason when what is NULL) and returns 1: the protocol's own
 * error code says less than that.  Returns 0 otherwise.
 */
int		 link_failed(const struct net_link *, const char *, char **);
/*
 * Logs the protocol exchange of the stream at -vv (LOG_IMAP, LOG_POP or
 * LOG_SMTP), redacted by net_trace_redact().  mailimap_connect(),
 * mailpop3_connect() and mailsmtp_connect() replace the stream's logger
 * with their own, so a session passes NULL as the stream and forwards its
 * session logger (mailimap_set_logger() and friends) to link_trace_log().
 */
void		 link_trace(struct net_link *, mailstream *, int);
/* One chunk as libetpan logs it (MAILSTREAM_LOG_TYPE_*). */
void		 link_trace_log(struct net_link *, int, const char *, size_t);

/*
 * net/auth.c: what net_trace_redact() does, without its copy: strips the
 * line ending from *len and returns how many bytes of the line may be
 * shown; the rest is to be replaced by "<redacted>".
 */
size_t		 auth_redact(struct net_redact *, const char *, int,
		     const char *, size_t *);
/* "<what> of account '<account>' failed (exit status 1): <err>". */
void		 auth_failure(const char *, const char *, int, const char *,
		     size_t, char **);

/* net/imap.c */
struct net_imap {
	struct net_link	 link;
	mailimap	*imap;
	char		*user;
	int		 caps;		/* enum net_imap_caps */
	char		 delim;		/* hierarchy delimiter, '/' default */
	char		*selected;	/* UTF-8 name of the selected folder */
	int		 broken;	/* see net_imap_usable() */
	int		 enabled;	/* ENABLE QRESYNC was sent */
};
/*
 * Sets *cause to "<what>: <reason>" for libetpan's error code r: the
 * transport's failure when the link broke, else the server's text when it
 * answered NO or BAD, else r in words.
 */
void		 imap_error(struct net_imap *, int, const char *, char **);

/* net/pop.c */
struct net_pop {
	struct net_link	 link;
	mailpop3	*pop;
	char		*user;
	struct net_pop_msg *msgs;	/* the last net_pop_list() */
	size_t		 nmsgs;
};

/* net/utf7.c: IMAP's modified UTF-7 (RFC 3501 5.1.3) both ways. */
char		*utf7_decode(const char *);	/* NULL when malformed */
char		*utf7_encode(const char *);

#endif /* NET_PRIVATE_H */
