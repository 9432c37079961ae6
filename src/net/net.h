/*
 * net: the network, through libetpan over OpenSSL.  The only module that
 * includes libetpan or OpenSSL headers; what it exports speaks in plain C
 * types so that nothing above it needs them.
 *
 * A session (struct net_imap, net_pop, net_smtp) belongs to one thread at a
 * time.  The only call another thread may make on it is the _cancel()
 * function, which makes the blocked call fail at once with "cancelled".
 */
#ifndef NET_NET_H
#define NET_NET_H

#include <stddef.h>
#include <stdint.h>

struct config_account;

/* net/net.c */
/*
 * Once at start-up, before any thread: initialises OpenSSL and ignores
 * SIGPIPE, so a write to a server that hung up is an error, not a death.
 */
void		 net_init(void);
/* "libetpan 1.9, OpenSSL 3.0.x"; static storage. */
const char	*net_version(void);

/*
 * net/auth.c: secrets and protocol traces.
 *
 * net_password() runs the account's password_command (through /bin/sh,
 * as it is the user's own configuration) and returns its first output
 * line; -1 with *cause naming the command's failure.  The secret is never
 * logged.
 */
int		 net_password(const struct config_account *, char **, char **);
/* Frees a secret after wiping it; NULL ok. */
void		 net_secret_free(char *);
/*
 * Whether the SASL mechanism (PLAIN, LOGIN) is installed on this machine;
 * when not, *cause says to install libsasl2-modules.
 */
int		 net_sasl_check(const char *, char **);
/*
 * Sets *out (the caller frees it) to the trace line of one protocol line
 * sent (sent non-zero: client to server) or received, without its line
 * ending, escaped for the log, with the arguments of LOGIN, AUTHENTICATE,
 * AUTH, APOP and PASS (and the client's lines that follow them until the
 * server's final answer) replaced by "<redacted>".  proto is "IMAP", "POP"
 * or "SMTP"; the struct starts zeroed and follows one session.  Exposed
 * for its unit test.
 */
struct net_redact {
	int		 in_auth;	/* inside a login exchange */
	char		 tag[32];	/* IMAP: the tag that ends it */
};
void		 net_trace_redact(struct net_redact *, const char *, int,
		     const char *, size_t, char **);

/*
 * net/imap.c: an IMAP session.  net_imap_open() connects (implicit TLS,
 * STARTTLS or, when the account allows it, plaintext), verifies the
 * certificate, and logs in with the password given.
 */
struct net_imap;
enum net_imap_caps {
	NET_IMAP_IDLE = 1 << 0,
	NET_IMAP_CONDSTORE = 1 << 1,
	NET_IMAP_QRESYNC = 1 << 2,
	NET_IMAP_MOVE = 1 << 3,
	NET_IMAP_UIDPLUS = 1 << 4,
};
/* Allocates a session that is not connected yet, so that another thread
 * can cancel the connection attempt. */
struct net_imap	*net_imap_new(const struct config_account *);
int		 net_imap_open(struct net_imap *, const char *, char **);
/* After a failed open: whether the server refused the login (a wrong
 * user or password), rather than the network or TLS failing. */
int		 net_imap_refused(const struct net_imap *);
/* From any thread: the call in progress fails as soon as possible. */
void		 net_imap_cancel(struct net_imap *);
/* LOGOUT when connected, then frees; NULL ok. */
void		 net_imap_free(struct net_imap *);
int		 net_imap_caps(const struct net_imap *);
/*
 * Zero once the connection is lost or out of step (a stream error, a
 * response libetpan could not parse, a cancel): the caller opens a new
 * session.  A NO or BAD answer leaves the session usable.
 */
int		 net_imap_usable(const struct net_imap *);
/* "TLSv1.3 TLS_AES_256_GCM_SHA384" or "plaintext"; borrowed. */
const char	*net_imap_security(const struct net_imap *);

/*
 * net/imap-ops.c: what the sync engine asks of a logged-in session.
 * Folder names are UTF-8 with "/" between levels, whatever the server's
 * delimiter and modified UTF-7 are.
 */
enum net_flags {
	NET_FLAG_SEEN = 1 << 0,
	NET_FLAG_FLAGGED = 1 << 1,
	NET_FLAG_ANSWERED = 1 << 2,
	NET_FLAG_DRAFT = 1 << 3,
	NET_FLAG_DELETED = 1 << 4,
};
enum net_folder_use {
	NET_USE_NONE,
	NET_USE_ARCHIVE,
	NET_USE_DRAFTS,
	NET_USE_JUNK,
	NET_USE_SENT,
	NET_USE_TRASH,
	NET_USE_ALL,
};
struct net_folder {
	char		*name;
	enum net_folder_use use;
	int		 noselect;
};
int		 net_imap_list(struct net_imap *, struct net_folder **,
		     size_t *, char **);
void		 net_folders_free(struct net_folder *, size_t);

struct net_mailbox {
	uint32_t	 uidvalidity;
	uint32_t	 uidnext;
	uint64_t	 highestmodseq;	/* 0: no CONDSTORE */
	uint32_t	 exists;
	int		 keywords;	/* PERMANENTFLAGS allows new ones */
};
int		 net_imap_select(struct net_imap *, const char *,
		     struct net_mailbox *, char **);

/* One message's state, as FETCH gives it. */
struct net_msg {
	uint32_t	 uid;
	int		 flags;		/* enum net_flags */
	char		**keywords;	/* NULL-terminated, may be NULL */
	uint64_t	 modseq;
	size_t		 size;		/* RFC822.SIZE */
	const char	*data;		/* body fetches only */
	size_t		 len;
	const char	*message_id;	/* header fetches only, may be NULL */
};
typedef int	(*net_msg_cb)(const struct net_msg *, void *);
/*
 * UID FETCH (UID FLAGS) of uids lo..hi (hi 0 is '*'); with changedsince
 * non-zero only what changed since that MODSEQ, and with vanished non-NULL
 * (QRESYNC) the UIDs expunged since then, appended to *vanished.  A
 * callback returning -1 stops the fetch with that failure.
 */
struct net_uids {
	uint32_t	*v;
	size_t		 n;
	size_t		 size;
};
void		 net_uids_add(struct net_uids *, uint32_t);
int		 net_uid_cmp(const void *, const void *);	/* qsort */
void		 net_uids_free(struct net_uids *);
int		 net_imap_fetch_flags(struct net_imap *, uint32_t, uint32_t,
		     uint64_t, struct net_uids *, net_msg_cb, void *,
		     char **);
/*
 * Fetches whole messages (BODY.PEEK[], FLAGS) of the given sorted UIDs,
 * in chunks, one callback per message as it arrives.  A message libetpan
 * cannot parse is reported through *skipped and never stops the batch.
 */
int		 net_imap_fetch_bodies(struct net_imap *, const uint32_t *,
		     size_t, net_msg_cb, void *, struct net_uids *, char **);
/* Fetches Message-ID and RFC822.SIZE only (to match local files). */
int		 net_imap_fetch_ids(struct net_imap *, const uint32_t *, size_t,
		     net_msg_cb, void *, char **);
/* UID STORE +FLAGS or -FLAGS (add non-zero: +) of flags and keywords. */
int		 net_imap_store(struct net_imap *, const uint32_t *, size_t,
		     int, int, char *const *, char **);
/*
 * Moves the UIDs to folder (MOVE, else COPY + STORE \Deleted + UID
 * EXPUNGE).  With UIDPLUS, newuids (may be NULL) gets the UIDs in the
 * destination, in the order given.
 */
int		 net_imap_move(struct net_imap *, const uint32_t *, size_t,
		     const char *, struct net_uids *, char **);
int		 net_imap_append(struct net_imap *, const char *, const char *,
		     size_t, int, uint32_t *, char **);
int		 net_imap_create(struct net_imap *, const char *, char **);
/*
 * IDLE on the selected folder until the server reports a change (returns
 * 1), wakefd (may be -1) becomes readable or timeout seconds pass
 * (returns 0).  The caller drains wakefd.  -1 with *cause on failure.
 * Without IDLE on the server it only waits.
 */
int		 net_imap_idle(struct net_imap *, int, int, char **);
/*
 * net/pop.c: a POP3 session, connected and logged in like IMAP.
 */
struct net_pop;
struct net_pop_msg {
	unsigned int	 index;
	size_t		 size;
	char		*uidl;
};
struct net_pop	*net_pop_new(const struct config_account *);
int		 net_pop_open(struct net_pop *, const char *, char **);
void		 net_pop_cancel(struct net_pop *);
int		 net_pop_refused(const struct net_pop *);	/* as IMAP */
/* QUIT (commits deletions) when connected, then frees; NULL ok. */
void		 net_pop_free(struct net_pop *);
const char	*net_pop_security(const struct net_pop *);
/* LIST + UIDL; the array is the session's, valid until the next call. */
int		 net_pop_list(struct net_pop *, const struct net_pop_msg **,
		     size_t *, char **);
/* RETR: *data (the caller frees) without dot-stuffing. */
int		 net_pop_retr(struct net_pop *, unsigned int, char **, size_t *,
		     char **);
int		 net_pop_dele(struct net_pop *, unsigned int, char **);

/*
 * net/smtp.c: an SMTP submission session to the account's smtp_host,
 * smtp_port and smtp_tls (implicit TLS, or STARTTLS required; plaintext
 * only with smtp_tls = none), the certificate verified as for IMAP.  EHLO
 * gives ehlo_name (the local address in brackets when the account has
 * none), never the machine's host name.  With smtp_user set,
 * net_smtp_open() logs in with AUTH PLAIN or LOGIN (password must then
 * not be NULL); without, it sends no AUTH.
 *
 * After a failure net_smtp_permanent() says whether the server refused
 * for good (a 5xx answer, or an address that cannot be sent), as opposed
 * to a temporary failure (a 4xx answer, the network, TLS, a cancel) that
 * may go away by itself; net_smtp_refused() whether it was the login.
 */
struct net_smtp;
struct net_smtp	*net_smtp_new(const struct config_account *);
int		 net_smtp_open(struct net_smtp *, const char *, char **);
int		 net_smtp_refused(const struct net_smtp *);
int		 net_smtp_permanent(const struct net_smtp *);
/* From any thread: the call in progress fails as soon as possible. */
void		 net_smtp_cancel(struct net_smtp *);
/* QUIT when connected, then frees; NULL ok. */
void		 net_smtp_free(struct net_smtp *);
const char	*net_smtp_security(const struct net_smtp *);
/*
 * Sends the len bytes of data (a whole message, LF or CRLF line ends)
 * from the envelope sender from to the n addresses of rcpts: plain MAIL
 * FROM, one RCPT TO each, DATA.  Returns 0 only once the server accepted
 * the message; a refused recipient refuses the whole message (nothing is
 * sent) and leaves the session usable for the next one.  Addresses are
 * bare ("a@example.com"), printable ASCII without spaces or brackets.
 */
int		 net_smtp_send(struct net_smtp *, const char *, char *const *,
		     size_t, const char *, size_t, char **);
/*
 * The other way out: runs the account's sendmail_command through /bin/sh
 * with the n addresses of rcpts as its arguments (passed as "$@", never
 * parsed by the shell) and the len bytes of data on its stdin.  0 when
 * it exits 0; else -1 with *cause holding the exit status and the first
 * line of its output, and *permanent set unless the status is one of
 * sysexits' temporary ones (EX_TEMPFAIL, EX_UNAVAILABLE, EX_IOERR,
 * EX_OSERR) or a signal.
 */
int		 net_smtp_sendmail(const struct config_account *, char *const *,
		     size_t, const char *, size_t, int *, char **);

#endif /* NET_NET_H */
