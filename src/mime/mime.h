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
 * Appends to out the bytes of the n-th ATTACHMENT block (from 1) of the
 * render, transfer encoding undone; -1 with *cause when there is none.
 */
int	 mime_message_attachment(struct mime_message *, size_t, struct buf *,
	    char **);
void	 mime_render_release(struct mime_render *);

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

#endif /* MIME_MIME_H */
