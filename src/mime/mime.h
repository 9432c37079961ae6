/*
 * mime: messages for display (and later for sending).  The only user of
 * GMime.  Nothing here sanitises for the terminal: every string handed out
 * is UTF-8 (invalid input already replaced) but may hold controls, bidi
 * characters or escape sequences from the sender; the sink sanitises.
 */
#ifndef MIME_MIME_H
#define MIME_MIME_H

#include <stddef.h>
#include <time.h>

/* Hard limits, checked before anything is allocated for them. */
#define MIME_MAX_DEPTH		32	/* nested multiparts/messages */
#define MIME_MAX_PARTS		1000	/* leaf parts rendered */
#define MIME_MAX_MESSAGE	(256u * 1024 * 1024)	/* bytes read */

/* mime/mime.c */
void	 mime_init(void);	/* once, before any other call */
void	 mime_shutdown(void);
const char *mime_version(void);	/* "GMime 3.2.13"; static */

/* mime/message.c */
struct buf;
struct mime_message;

/*
 * Parses a message.  Malformed mail is data, not an error: the parse
 * succeeds with whatever could be read.  Failure (NULL, *cause set) only
 * for I/O errors, a file over MIME_MAX_MESSAGE, or input GMime cannot
 * turn into a message at all.  Free with mime_message_free().
 */
struct mime_message *mime_message_parse_file(const char *, char **);
struct mime_message *mime_message_parse(const char *, size_t, char **);
void		 mime_message_free(struct mime_message *);	/* NULL ok */

/*
 * A header decoded to UTF-8 (RFC 2047, raw 8-bit through the fallback
 * charsets), unfolded; NULL when absent.  Address headers (From, To, Cc,
 * Reply-To, ...) come back as "Name <addr>, Name <addr>".  Borrowed until
 * mime_message_free().
 */
const char	*mime_message_header(struct mime_message *, const char *);
/* Every header in order, name and value decoded to UTF-8 for the caller
 * to free: 1 for the i-th, 0 past the last. */
int		 mime_message_header_at(struct mime_message *, size_t, char **,
		     char **);
/* The Date header as a time, or -1 when missing or unreadable. */
time_t		 mime_message_date(const struct mime_message *);

/*
 * What the pager shows, in order: text blocks (text/plain decoded to
 * UTF-8; an HTML part with no text alternative converted by
 * mime_html_to_text()), one block per attachment or non-text part, and
 * notes for parts that are not shown (over a limit, encrypted, empty).
 */
enum mime_block_kind {
	MIME_BLOCK_TEXT,
	MIME_BLOCK_ATTACHMENT,
	MIME_BLOCK_NOTE,
};
struct mime_block {
	enum mime_block_kind	 kind;
	char			*text;	/* TEXT: body; NOTE: the note */
	char			*content_type;	/* lower case, "text/plain" */
	char			*filename;	/* RFC 2231/2047 decoded or NULL */
	size_t			 size;	/* decoded bytes (ATTACHMENT) */
	int			 from_html;	/* TEXT converted from HTML */
};
struct mime_render {
	struct mime_block	*blocks;
	size_t			 n_blocks;
};
/* Fills r (the caller releases it); never fails. */
void	 mime_message_render(struct mime_message *, struct mime_render *);
/*
 * An outside converter for HTML parts (a mailcap copiousoutput entry, set
 * up by main.c).  ready() says whether there is one; it is asked once, when
 * the first HTML part or alternative is rendered, so nothing is looked up
 * at start-up.  run() gets the part in UTF-8 and returns the text (the
 * caller frees it), or NULL with *cause for a note, after which the
 * built-in conversion is shown.  While one is ready, a
 * multipart/alternative shows its HTML part rather than its plain text.
 * NULL unsets it; the struct must outlive its use.
 */
struct mime_html_filter {
	int		(*ready)(void *);
	char		*(*run)(const char *, size_t, void *, char **);
	void		*arg;
};
void	 mime_set_html_filter(const struct mime_html_filter *);
/*
 * Appends to out the bytes of the n-th ATTACHMENT block (from 1) of the
 * render, transfer encoding undone; -1 with *cause when there is none.
 */
int	 mime_message_attachment(struct mime_message *, size_t, struct buf *,
	    char **);
void	 mime_render_release(struct mime_render *);
/*
 * Calls fn(bytes, len, arg) with the decoded content (transfer encoding
 * undone, no charset conversion) of every text/calendar and
 * application/ics part and every part named "*.ics", in order, at most
 * MIME_MAX_PARTS; attached messages are not entered.  Returns the count.
 * The bytes are borrowed for the call.
 */
size_t	 mime_message_calendars(struct mime_message *,
	    void (*)(const char *, size_t, void *), void *);

/*
 * mime/envelope.c: the envelope of a message to send.  mime_envelope_read()
 * fills e (release it with mime_envelope_release()) with the first From
 * address (NULL when there is none), the Subject (decoded, or NULL) and
 * the bare addresses of To, Cc and Bcc, members of groups included,
 * each once (compared caselessly), domains in IDNA form.  -1 with *cause
 * when the message cannot be parsed, names no recipient, or names more
 * than MIME_MAX_RECIPIENTS.
 *
 * mime_envelope_strip_bcc() appends to out the message without its Bcc
 * header fields (with their continuation lines): what goes on the wire,
 * as mutt sends it.  Everything else is copied byte for byte.
 */
#define MIME_MAX_RECIPIENTS	1000
struct mime_envelope {
	char	*from;
	char	*subject;
	char	**rcpts;	/* NULL-terminated */
	size_t	 n_rcpts;
};
int	 mime_envelope_read(const char *, size_t, struct mime_envelope *,
	    char **);
void	 mime_envelope_release(struct mime_envelope *);
void	 mime_envelope_strip_bcc(const char *, size_t, struct buf *);

/* mime/html.c: a small HTML to text conversion (tags dropped, entities
 * decoded, block elements to line breaks, <script>/<style> skipped, links
 * followed by their target).  Returns a new UTF-8 string. */
char	*mime_html_to_text(const char *, size_t);

/*
 * mime/compose.c: messages to send.  Pure functions on strings and bytes:
 * nothing here opens a file except an attachment path the caller passes.
 *
 * A draft is what the user edits, every field UTF-8 text as typed (address
 * lists unencoded, "Name <a@b>, ..."), NULL when absent, all owned by the
 * draft.  The editor file is the header lines From, To, Cc, Bcc, Subject
 * and Reply-To (always written, maybe empty), In-Reply-To and References
 * (written when set, so a recovered editor file still threads), any other
 * header the user added, a blank line, then the body.
 */
struct mime_draft_header {
	char			*name;
	char			*value;
};
struct mime_draft {
	char			*from;
	char			*to;
	char			*cc;
	char			*bcc;
	char			*subject;
	char			*reply_to;
	char			*in_reply_to;	/* "<id>" */
	char			*references;	/* "<id> <id> ..." */
	char			*message_id;	/* "<id>" or NULL: made */
	struct mime_draft_header *extra;	/* other headers, in order */
	size_t			 n_extra;
	char			*body;		/* LF line ends */
};
#define MIME_DRAFT_MAX_EXTRA	64	/* headers beyond the known ones */
void	 mime_draft_init(struct mime_draft *);
void	 mime_draft_release(struct mime_draft *);	/* then init again */
/*
 * Reads an editor file into d, which this initialises (released again on
 * failure).  Text that is not UTF-8 is read as windows-1252.  Header lines
 * may continue on lines starting with white space.  Address headers must
 * hold addresses (a name with a comma must be quoted).  Unknown headers
 * are kept (in extra) and sent; Date, Message-ID, MIME-Version and
 * Content-* are refused, because the build sets them.  -1 with *cause
 * naming the line ("line 3: ...") on failure.
 */
int	 mime_draft_parse(const char *, size_t, struct mime_draft *,
	    char **);
/* The editor file for d, for the caller to free; *len may be NULL. */
char	*mime_draft_write(const struct mime_draft *, size_t *);

/*
 * An attachment: the bytes of path, or data/len when data is not NULL.
 * name is the file name the recipient sees (NULL: the last component of
 * path); type the content type (NULL: guessed from the name's extension,
 * then from the content).  Type "message/rfc822" attaches the bytes as a
 * message, untouched (7bit, or 8bit when they hold 8-bit bytes; a NUL or
 * a line over 998 bytes fails, or when the type was only guessed from
 * ".eml" makes it application/octet-stream); every other attachment is
 * base64 with its name in RFC 2231 form.  Borrowed for the call.
 */
struct mime_attachment {
	const char		*path;
	const char		*data;
	size_t			 len;
	const char		*name;
	const char		*type;
};
/* Who sends: the From when the draft has none, and the Message-ID domain
 * (NULL: the domain of the From address).  Borrowed for the call. */
struct mime_identity {
	const char		*from;
	const char		*domain;
};
enum mime_compose_flags {
	MIME_COMPOSE_DRAFT = 1 << 0,	/* to postpone: Bcc kept, no To */
};
#define MIME_COMPOSE_MAX_ATTACHMENTS	100
/*
 * Builds the RFC 5322 message for d at time now (the Date is in the local
 * zone): headers RFC 2047-encoded as UTF-8, Message-ID (d->message_id or
 * a random one), MIME-Version, a text/plain; charset=utf-8 body (7bit, or
 * quoted-printable when it has 8-bit bytes or a line over 998 bytes), and
 * multipart/mixed when there are attachments.  Bcc is never in the bytes
 * unless MIME_COMPOSE_DRAFT.  Lines end in LF (the sender makes CRLF).
 * Every byte is 7-bit and no line is over 998 bytes, except inside an
 * attached message/rfc822 that has 8-bit bytes (its part says 8bit, so
 * sending needs 8BITMIME).  *out (NUL-terminated) is the caller's.
 * -1 with *cause: no From, no recipient, a bad address or message id, an
 * unreadable attachment.
 */
int	 mime_compose_build(const struct mime_draft *,
	    const struct mime_attachment *, size_t,
	    const struct mime_identity *, time_t, int, char **, size_t *,
	    char **);
/*
 * The envelope recipients of d: the addresses of To, Cc and Bcc (group
 * members included, domains in IDNA form), deduplicated without regard to
 * case, in order.  The vector and strings are the caller's, freed with
 * config_free_list().  -1 with *cause on a bad address.
 */
int	 mime_compose_recipients(const struct mime_draft *, char ***,
	    size_t *, char **);
/* A new "<random@domain>" from getentropy(); NULL when the domain is not
 * a host name or there is no entropy.  The caller frees it. */
char	*mime_compose_message_id(const char *);
/* The content type for an attachment called name holding data (either may
 * be NULL): by extension, else sniffed as text or binary.  Static. */
const char *mime_compose_type(const char *, const char *, size_t);

/*
 * Replies and forwards, from a parsed original.  own is the user's own
 * addresses (bare "user@host"), n_own of them.  zone is the IANA zone of
 * the attribution date (NULL: the local zone).  The draft is initialised
 * here and has no From: the caller sets the identity's
 * (mime_compose_identity()).  The body is the attribution line, then the
 * original's text quoted mutt's way ("> " before every line, so a quoted
 * line becomes "> > "; an empty line becomes ">"), its signature (from a
 * "-- " line) left out; an HTML-only original is quoted from its text
 * rendering.  Never fails: a damaged original gives what could be read.
 */
enum mime_reply_flags {
	MIME_REPLY_ALL = 1 << 0,
};
#define MIME_COMPOSE_MAX_REFERENCES	20	/* the first and the last 19 */
/*
 * Subject: "Re: " once (Re:, RE:, Re[2]:, Aw:, Sv:, ... collapse).  In-
 * Reply-To: the original's Message-ID.  References: its References (or
 * its In-Reply-To) and its Message-ID, at most MIME_COMPOSE_MAX_REFERENCES.
 * To: Reply-To, else From; the original's To when it is from one of own.
 * MIME_REPLY_ALL: Mail-Followup-To when there is one; else that, with the
 * original's To and Cc in Cc; own addresses dropped (unless nothing else
 * is left), duplicates dropped without regard to case.
 */
void	 mime_compose_reply(struct mime_message *, int, const char *const *,
	    size_t, const char *, struct mime_draft *);
enum mime_forward_flags {
	MIME_FORWARD_ATTACH = 1 << 0,
};
/*
 * Subject "Fwd: " once; no recipient.  Inline: the body is a
 * "---------- Forwarded message ----------" block (From, Date, Subject,
 * To, Cc) and the original's text.  MIME_FORWARD_ATTACH: the body is
 * empty, and the caller attaches the original's bytes as they are on disk
 * with type "message/rfc822".
 */
void	 mime_compose_forward(struct mime_message *, int,
	    struct mime_draft *);
/* "Re: "/"Fwd: " (forward not 0) before subject once; the caller frees. */
char	*mime_compose_subject(const char *, int);
/* The subject past every reply and forward prefix ("Re: Fwd: AW: x" is
 * "x"), inside the string given; "" for NULL. */
const char *mime_subject_base(const char *);
/*
 * Which of the user's identities (their addresses) the original was
 * addressed to: the first found in Delivered-To, then To, then Cc; 0 (the
 * default) when none.
 */
size_t	 mime_compose_identity(struct mime_message *, const char *const *,
	    size_t);

/*
 * mime/itip.c: iMIP (RFC 6047), an iTIP object (the answer to an
 * invitation) as a message to send.  From and To are "name <addr>" (name
 * may be NULL; controls in it become spaces), the Subject and the short
 * text/plain part UTF-8 as given, and calendar the iCalendar text (CRLF
 * or LF line ends; no NUL).  The message is built as
 * mime_compose_build() builds one (Date in the local zone at now, a new
 * Message-ID from the From domain, RFC 2047 headers, LF line ends, every
 * byte 7-bit), with In-Reply-To and References to orig when it is not
 * NULL, and the body a multipart/alternative of the text part and a
 * "text/calendar; method=METHOD; charset=UTF-8" part (7bit, or
 * quoted-printable when it has 8-bit bytes or long lines).  *out
 * (NUL-terminated) is the caller's.  -1 with *cause: a method that is not
 * a name, no calendar text, a bad address.  Borrowed for the call.
 */
struct mime_itip {
	const char	*from_name;
	const char	*from_addr;
	const char	*to_name;
	const char	*to_addr;
	const char	*subject;
	const char	*text;
	const char	*calendar;
	size_t		 calendar_len;
	const char	*method;	/* "REPLY", "CANCEL", ... */
};
int	 mime_itip_build(const struct mime_itip *, struct mime_message *,
	    time_t, char **, size_t *, char **);

#endif /* MIME_MIME_H */
