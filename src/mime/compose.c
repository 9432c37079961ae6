/*
 * mime/compose.c: messages to send.  The editor file a user writes is read
 * into a struct mime_draft and built into RFC 5322 bytes by GMime; replies
 * and forwards start a draft from a parsed original.  Everything here works
 * on strings and bytes; the only file opened is an attachment path the
 * caller names.
 */
#include "config.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <gmime/gmime.h>

#include "core/core.h"
#include "mime/mime.h"
#include "private.h"

#define MIME_COMPOSE_MAX_LINE	998	/* RFC 5322 2.1.1 */
#define MIME_COMPOSE_MAX_ID	250	/* longer message ids are dropped */

/* The headers a draft has fields for, and what each holds. */
enum mime_draft_kind {
	MIME_DRAFT_TEXT,
	MIME_DRAFT_ADDRESSES,
	MIME_DRAFT_IDS,
};
struct mime_draft_field {
	const char		*name;
	size_t			 offset;
	enum mime_draft_kind	 kind;
	int			 always;	/* written even when empty */
};
static const struct mime_draft_field mime_draft_fields[] = {
	{ "From", offsetof(struct mime_draft, from), MIME_DRAFT_ADDRESSES, 1 },
	{ "To", offsetof(struct mime_draft, to), MIME_DRAFT_ADDRESSES, 1 },
	{ "Cc", offsetof(struct mime_draft, cc), MIME_DRAFT_ADDRESSES, 1 },
	{ "Bcc", offsetof(struct mime_draft, bcc), MIME_DRAFT_ADDRESSES, 1 },
	{ "Subject", offsetof(struct mime_draft, subject), MIME_DRAFT_TEXT, 1 },
	{ "Reply-To", offsetof(struct mime_draft, reply_to),
	    MIME_DRAFT_ADDRESSES, 1 },
	{ "In-Reply-To", offsetof(struct mime_draft, in_reply_to),
	    MIME_DRAFT_IDS, 0 },
	{ "References", offsetof(struct mime_draft, references),
	    MIME_DRAFT_IDS, 0 },
};
#define MIME_DRAFT_N_FIELDS \
	(sizeof mime_draft_fields / sizeof mime_draft_fields[0])

/* Headers the build writes itself, so a draft may not carry them. */
static const char *mime_draft_refused[] = {
	"Date", "Message-ID", "MIME-Version", "Content-", NULL
};

/* An address as replies handle it: a display name and an addr-spec. */
struct mime_compose_addr {
	char	*name;		/* "" when none */
	char	*addr;
};
struct mime_compose_list {
	struct mime_compose_addr *v;
	size_t			 n;
};

/* Subject prefixes of replies and of forwards in the languages mail uses. */
static const char *mime_compose_reply_prefixes[] = {
	"re", "aw", "sv", "antw", "vs", "odp", "ynt", NULL
};
static const char *mime_compose_forward_prefixes[] = {
	"fwd", "fw", "wg", "tr", "rv", "enc", NULL
};

/* Attachment types by file name extension. */
static const struct {
	const char	*ext;
	const char	*type;
} mime_compose_types[] = {
	{ "7z", "application/x-7z-compressed" },
	{ "bz2", "application/x-bzip2" },
	{ "c", "text/x-c" },
	{ "csv", "text/csv" },
	{ "diff", "text/x-diff" },
	{ "doc", "application/msword" },
	{ "docx", "application/vnd.openxmlformats-officedocument."
	    "wordprocessingml.document" },
	{ "eml", "message/rfc822" },
	{ "gif", "image/gif" },
	{ "gz", "application/gzip" },
	{ "h", "text/x-c" },
	{ "htm", "text/html" },
	{ "html", "text/html" },
	{ "ics", "text/calendar" },
	{ "jpeg", "image/jpeg" },
	{ "jpg", "image/jpeg" },
	{ "json", "application/json" },
	{ "md", "text/markdown" },
	{ "mp3", "audio/mpeg" },
	{ "mp4", "video/mp4" },
	{ "odp", "application/vnd.oasis.opendocument.presentation" },
	{ "ods", "application/vnd.oasis.opendocument.spreadsheet" },
	{ "odt", "application/vnd.oasis.opendocument.text" },
	{ "ogg", "audio/ogg" },
	{ "patch", "text/x-diff" },
	{ "pdf", "application/pdf" },
	{ "png", "image/png" },
	{ "ppt", "application/vnd.ms-powerpoint" },
	{ "pptx", "application/vnd.openxmlformats-officedocument."
	    "presentationml.presentation" },
	{ "svg", "image/svg+xml" },
	{ "tar", "application/x-tar" },
	{ "tgz", "application/gzip" },
	{ "txt", "text/plain" },
	{ "vcf", "text/vcard" },
	{ "wav", "audio/wav" },
	{ "webp", "image/webp" },
	{ "xls", "application/vnd.ms-excel" },
	{ "xlsx", "application/vnd.openxmlformats-officedocument."
	    "spreadsheetml.sheet" },
	{ "xml", "application/xml" },
	{ "xz", "application/x-xz" },
	{ "zip", "application/zip" },
	{ "zst", "application/zstd" },
};

/* Magic numbers for files whose name says nothing. */
static const struct {
	const char	*magic;
	size_t		 len;
	const char	*type;
} mime_compose_magic[] = {
	{ "%PDF-", 5, "application/pdf" },
	{ "\211PNG\r\n\032\n", 8, "image/png" },
	{ "\377\330\377", 3, "image/jpeg" },
	{ "GIF8", 4, "image/gif" },
	{ "PK\003\004", 4, "application/zip" },
	{ "\037\213", 2, "application/gzip" },
	{ "BZh", 3, "application/x-bzip2" },
	{ "\3757zXZ", 5, "application/x-xz" },
};

static const char *mime_compose_days[] = {
	"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"
};
static const char *mime_compose_months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec"
};

void
mime_draft_init(struct mime_draft *d)
{
	memset(d, 0, sizeof *d);
}

void
mime_draft_release(struct mime_draft *d)
{
	size_t	i;

	if (d == NULL)
		return;
	for (i = 0; i < MIME_DRAFT_N_FIELDS; i++)
		free(*(char **)((char *)d + mime_draft_fields[i].offset));
	free(d->message_id);
	for (i = 0; i < d->n_extra; i++) {
		free(d->extra[i].name);
		free(d->extra[i].value);
	}
	free(d->extra);
	free(d->body);
	memset(d, 0, sizeof *d);
}

/* Copies s[0..len) without the white space around it. */
static char *
mime_compose_trim(const char *s, size_t len)
{
	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	return (xstrndup(s, len));
}

/* Turns control characters (tab too) into spaces, in place. */
static void
mime_compose_flatten(char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = ' ';
	}
}

/*
 * Whether addr is an addr-spec we can send to: a local part of printable
 * ASCII, an '@', and a domain (UTF-8 allowed: it goes out in IDNA form).
 * 1 when fine, 0 when it is no address, -1 for a non-ASCII local part.
 */
static int
mime_compose_addr_ok(const char *addr)
{
	const char	*at, *p;

	if (addr == NULL || (at = strrchr(addr, '@')) == NULL || at == addr ||
	    at[1] == '\0')
		return (0);
	for (p = addr; p != at; p++) {
		if ((unsigned char)*p >= 0x80)
			return (-1);
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return (0);
	}
	for (p = at + 1; *p != '\0'; p++) {
		if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '@' ||
		    *p == '<' || *p == '>')
			return (0);
	}
	return (1);
}

/* The cause for a piece of an address list that is not an address. */
static void
mime_compose_not_address(const char *piece, char **cause)
{
	xcause(cause, "'%s' is not an email address%s", piece,
	    strchr(piece, '@') == NULL ? " (a name with a comma needs double "
	    "quotes)" : "");
}

/*
 * Checks every mailbox of list (and of its groups) and asks for UTF-8
 * encoded words for their names; -1 with *cause quoting piece.
 */
static int
mime_compose_check_list(InternetAddressList *list, const char *piece,
    int depth, char **cause)
{
	InternetAddress		*ia;
	InternetAddressList	*members;
	const char		*addr;
	int			 i, n, rc;

	n = internet_address_list_length(list);
	for (i = 0; i < n; i++) {
		ia = internet_address_list_get_address(list, i);
		internet_address_set_charset(ia, "utf-8");
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			members = internet_address_group_get_members(
			    INTERNET_ADDRESS_GROUP(ia));
			if (depth > 0) {
				xcause(cause, "'%s': a group inside a group",
				    piece);
				return (-1);
			}
			if (members != NULL && mime_compose_check_list(members,
			    piece, depth + 1, cause) != 0)
				return (-1);
			continue;
		}
		addr = internet_address_mailbox_get_addr(
		    INTERNET_ADDRESS_MAILBOX(ia));
		if ((rc = mime_compose_addr_ok(addr)) == 0) {
			mime_compose_not_address(piece, cause);
			return (-1);
		}
		if (rc == -1) {
			xcause(cause, "'%s': an address with a non-ASCII local "
			    "part cannot be sent", piece);
			return (-1);
		}
	}
	return (0);
}

/* Parses one piece of an address list and appends it to list. */
static int
mime_compose_parse_piece(InternetAddressList *list, const char *start,
    size_t len, char **cause)
{
	InternetAddressList	*piece;
	char			*s;
	int			 rc = -1;

	s = mime_compose_trim(start, len);
	if (*s == '\0') {
		free(s);
		return (0);
	}
	piece = internet_address_list_parse(mime_options(), s);
	if (piece == NULL || internet_address_list_length(piece) == 0)
		mime_compose_not_address(s, cause);
	else if (mime_compose_check_list(piece, s, 0, cause) == 0) {
		internet_address_list_append(list, piece);
		rc = 0;
	}
	if (piece != NULL)
		g_object_unref(piece);
	free(s);
	return (rc);
}

/*
 * Parses an address list as a user typed it.  GMime quietly drops what it
 * cannot read, so the text is cut at its top-level commas (outside quotes,
 * angle brackets, comments and groups) and each piece must give at least
 * one good address.  NULL or blank text gives an empty list.
 */
static InternetAddressList *
mime_compose_parse_addresses(const char *text, char **cause)
{
	InternetAddressList	*list;
	const char		*p, *start;
	int			 quote = 0, angle = 0, paren = 0, group = 0;

	list = internet_address_list_new();
	if (text == NULL)
		return (list);
	for (p = start = text;; p++) {
		if (*p == '\0' || (*p == ',' && !quote && !angle &&
		    paren == 0 && !group)) {
			if (mime_compose_parse_piece(list, start, p - start,
			    cause) != 0) {
				g_object_unref(list);
				return (NULL);
			}
			if (*p == '\0')
				break;
			start = p + 1;
			continue;
		}
		if (*p == '\\' && p[1] != '\0') {
			p++;
			continue;
		}
		if (quote) {
			if (*p == '"')
				quote = 0;
			continue;
		}
		switch (*p) {
		case '"':
			quote = 1;
			break;
		case '(':
			paren++;
			break;
		case ')':
			if (paren > 0)
				paren--;
			break;
		case '<':
			if (paren == 0)
				angle = 1;
			break;
		case '>':
			if (paren == 0)
				angle = 0;
			break;
		case ':':
			if (paren == 0 && !angle)
				group = 1;
			break;
		case ';':
			if (paren == 0 && !angle)
				group = 0;
			break;
		}
	}
	return (list);
}

/* The number of mailboxes in list, group members counted. */
static int
mime_compose_count(InternetAddressList *list)
{
	InternetAddress		*ia;
	InternetAddressList	*members;
	int			 i, n = 0;

	for (i = 0; i < internet_address_list_length(list); i++) {
		ia = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_MAILBOX(ia))
			n++;
		else if ((members = internet_address_group_get_members(
		    INTERNET_ADDRESS_GROUP(ia))) != NULL)
			n += mime_compose_count(members);
	}
	return (n);
}

/* Whether id (without its brackets) can go into a header as it is. */
static int
mime_compose_id_ok(const char *id)
{
	const char	*p;

	if (id == NULL || *id == '\0' || strlen(id) > MIME_COMPOSE_MAX_ID)
		return (0);
	for (p = id; *p != '\0'; p++) {
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f ||
		    *p == '<' || *p == '>')
			return (0);
	}
	return (1);
}

/*
 * Parses message ids ("<a@b> <c@d>") into a GMimeReferences; -1 with
 * *cause when text holds none, or one with a non-ASCII byte or space.
 */
static int
mime_compose_parse_ids(const char *text, GMimeReferences **out, char **cause)
{
	GMimeReferences	*refs;
	const char	*id;
	int		 i;

	*out = NULL;
	refs = g_mime_references_parse(mime_options(), text);
	if (refs == NULL || g_mime_references_length(refs) == 0) {
		xcause(cause, "'%s' holds no message id", text);
		if (refs != NULL)
			g_mime_references_free(refs);
		return (-1);
	}
	for (i = 0; i < g_mime_references_length(refs); i++) {
		id = g_mime_references_get_message_id(refs, i);
		if (!mime_compose_id_ok(id)) {
			xcause(cause, "'%s' is not a valid message id", id);
			g_mime_references_free(refs);
			return (-1);
		}
	}
	*out = refs;
	return (0);
}

/* "<a> <b>" for the ids of refs, for the caller to free. */
static char *
mime_compose_format_ids(GMimeReferences *refs)
{
	struct buf	 b;
	int		 i;

	buf_init(&b);
	for (i = 0; i < g_mime_references_length(refs); i++) {
		buf_printf(&b, "%s<%s>", i == 0 ? "" : " ",
		    g_mime_references_get_message_id(refs, i));
	}
	return (buf_detach(&b, NULL));
}

/* Whether name is a header the build writes itself. */
static int
mime_draft_is_refused(const char *name)
{
	size_t	i, len;

	for (i = 0; mime_draft_refused[i] != NULL; i++) {
		len = strlen(mime_draft_refused[i]);
		if (mime_draft_refused[i][len - 1] == '-' ?
		    strncasecmp(name, mime_draft_refused[i], len) == 0 :
		    strcasecmp(name, mime_draft_refused[i]) == 0)
			return (1);
	}
	return (0);
}

/* Whether name[0..len) is a header field name (RFC 5322 ftext). */
static int
mime_draft_name_ok(const char *name, size_t len)
{
	size_t	i;

	if (len == 0)
		return (0);
	for (i = 0; i < len; i++) {
		if ((unsigned char)name[i] <= 0x20 ||
		    (unsigned char)name[i] >= 0x7f || name[i] == ':')
			return (0);
	}
	return (1);
}

/* The state of one mime_draft_parse(). */
struct mime_draft_parser {
	struct mime_draft	*d;
	int			 lines[MIME_DRAFT_N_FIELDS];
	char			**current;	/* continuations go here */
};

/* One "Name: value" line: into its field, or kept as an extra header. */
static int
mime_draft_header(struct mime_draft_parser *pp, const char *line, size_t len,
    int n, char **cause)
{
	struct mime_draft	*d = pp->d;
	const struct mime_draft_field *f;
	const char		*colon;
	char			*name, *value, **field, *joined;
	size_t			 i;

	colon = memchr(line, ':', len);
	if (colon == NULL || !mime_draft_name_ok(line, colon - line)) {
		name = xstrndup(line, len > 40 ? 40 : len);
		xcause(cause, "line %d: '%s' is not a header line (Name: "
		    "value) and no blank line comes before it", n, name);
		free(name);
		return (-1);
	}
	name = xstrndup(line, colon - line);
	value = mime_compose_trim(colon + 1, len - (colon + 1 - line));
	mime_compose_flatten(value);
	for (i = 0; i < MIME_DRAFT_N_FIELDS; i++) {
		f = &mime_draft_fields[i];
		if (strcasecmp(name, f->name) != 0)
			continue;
		field = (char **)((char *)d + f->offset);
		if (*field != NULL && f->kind != MIME_DRAFT_ADDRESSES) {
			xcause(cause, "line %d: a second '%s' header", n,
			    f->name);
			free(name);
			free(value);
			return (-1);
		}
		if (*field != NULL) {
			xasprintf(&joined, "%s, %s", *field, value);
			free(*field);
			free(value);
			*field = joined;
		} else {
			*field = value;
			pp->lines[i] = n;
		}
		pp->current = field;
		free(name);
		return (0);
	}
	if (mime_draft_is_refused(name)) {
		xcause(cause, "line %d: '%s' cannot be set in a draft (it is "
		    "written when the message is built)", n, name);
		free(name);
		free(value);
		return (-1);
	}
	if (d->n_extra == MIME_DRAFT_MAX_EXTRA) {
		xcause(cause, "line %d: more than %d extra headers", n,
		    MIME_DRAFT_MAX_EXTRA);
		free(name);
		free(value);
		return (-1);
	}
	d->extra = xreallocarray(d->extra, d->n_extra + 1, sizeof *d->extra);
	d->extra[d->n_extra].name = name;
	d->extra[d->n_extra].value = value;
	pp->current = &d->extra[d->n_extra].value;
	d->n_extra++;
	return (0);
}

/* Checks the address and message id fields once all lines are read. */
static int
mime_draft_check(struct mime_draft_parser *pp, char **cause)
{
	const struct mime_draft_field *f;
	InternetAddressList	*list;
	GMimeReferences		*refs;
	char			**field, *why = NULL;
	size_t			 i;

	for (i = 0; i < MIME_DRAFT_N_FIELDS; i++) {
		f = &mime_draft_fields[i];
		field = (char **)((char *)pp->d + f->offset);
		if (*field != NULL && **field == '\0') {
			free(*field);
			*field = NULL;
		}
		if (*field == NULL)
			continue;
		if (f->kind == MIME_DRAFT_ADDRESSES) {
			if ((list = mime_compose_parse_addresses(*field,
			    &why)) != NULL) {
				g_object_unref(list);
				continue;
			}
		} else if (f->kind == MIME_DRAFT_IDS) {
			if (mime_compose_parse_ids(*field, &refs, &why) == 0) {
				g_mime_references_free(refs);
				continue;
			}
		} else
			continue;
		xcause(cause, "line %d: %s: %s", pp->lines[i], f->name,
		    why != NULL ? why : "not valid");
		free(why);
		return (-1);
	}
	return (0);
}

/* Copies s[0..len) with CRLF made LF and a final newline. */
static char *
mime_compose_lf(const char *s, size_t len)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	for (i = 0; i < len; i++) {
		if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
			continue;
		buf_addch(&b, s[i]);
	}
	if (b.len > 0 && b.data[b.len - 1] != '\n')
		buf_addch(&b, '\n');
	return (buf_detach(&b, NULL));
}

int
mime_draft_parse(const char *text, size_t len, struct mime_draft *d,
    char **cause)
{
	struct mime_draft_parser pp;
	const char		*p, *eol, *end;
	char			*utf, *more, *joined;
	size_t			 ulen, l;
	int			 n = 0, rc = -1;

	mime_draft_init(d);
	if (len > MIME_MAX_MESSAGE) {
		xcause(cause, "draft is larger than %u bytes",
		    MIME_MAX_MESSAGE);
		return (-1);
	}
	utf = mime_to_utf8(text, text != NULL ? len : 0, NULL, &ulen);
	memset(&pp, 0, sizeof pp);
	pp.d = d;
	p = utf;
	end = utf + ulen;
	while (p < end) {
		n++;
		eol = memchr(p, '\n', end - p);
		l = (eol != NULL ? eol : end) - p;
		if (l > 0 && p[l - 1] == '\r')
			l--;
		if (l == 0) {
			p = eol != NULL ? eol + 1 : end;
			break;
		}
		if (*p == ' ' || *p == '\t') {
			if (pp.current == NULL) {
				xcause(cause, "line %d: a continuation line "
				    "with no header before it", n);
				goto out;
			}
			more = mime_compose_trim(p, l);
			mime_compose_flatten(more);
			if (*more != '\0') {
				xasprintf(&joined, "%s%s%s", *pp.current,
				    **pp.current != '\0' ? " " : "", more);
				free(*pp.current);
				*pp.current = joined;
			}
			free(more);
		} else if (mime_draft_header(&pp, p, l, n, cause) != 0)
			goto out;
		p = eol != NULL ? eol + 1 : end;
	}
	if (mime_draft_check(&pp, cause) != 0)
		goto out;
	d->body = mime_compose_lf(p, end - p);
	rc = 0;
out:
	free(utf);
	if (rc != 0)
		mime_draft_release(d);
	return (rc);
}

/* Appends a header line with value on one line (newlines flattened). */
static void
mime_draft_add_line(struct buf *b, const char *name, const char *value)
{
	size_t	start;

	buf_printf(b, "%s: ", name);
	start = b->len;
	if (value != NULL)
		buf_addstr(b, value);
	mime_compose_flatten(b->data + start);
	while (b->len > start && b->data[b->len - 1] == ' ')
		b->len--;
	b->data[b->len] = '\0';
	buf_addch(b, '\n');
}

char *
mime_draft_write(const struct mime_draft *d, size_t *len)
{
	const struct mime_draft_field *f;
	const char	*value;
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < MIME_DRAFT_N_FIELDS; i++) {
		f = &mime_draft_fields[i];
		value = *(char *const *)((const char *)d + f->offset);
		if (f->always || (value != NULL && *value != '\0'))
			mime_draft_add_line(&b, f->name, value);
	}
	for (i = 0; i < d->n_extra; i++)
		mime_draft_add_line(&b, d->extra[i].name, d->extra[i].value);
	buf_addch(&b, '\n');
	if (d->body != NULL)
		buf_addstr(&b, d->body);
	return (buf_detach(&b, len));
}

/* The lower-case extension of name, or NULL. */
static const char *
mime_compose_ext(const char *name)
{
	const char	*dot;

	if (name == NULL)
		return (NULL);
	if (strrchr(name, '/') != NULL)
		name = strrchr(name, '/') + 1;
	if ((dot = strrchr(name, '.')) == NULL || dot == name || dot[1] == '\0')
		return (NULL);
	return (dot + 1);
}

/* Whether data looks like text: UTF-8, no NUL, few control characters. */
static int
mime_compose_is_text(const char *data, size_t len)
{
	const unsigned char	*p = (const unsigned char *)data;
	size_t			 i, n, controls = 0;

	for (i = 0; i < len; i += n) {
		if ((n = text_utf8_len(p + i, len - i)) == 0 || p[i] == '\0')
			return (0);
		if (p[i] < 0x20 && p[i] != '\n' && p[i] != '\r' &&
		    p[i] != '\t' && p[i] != '\f')
			controls++;
	}
	return (controls * 100 <= len);
}

const char *
mime_compose_type(const char *name, const char *data, size_t len)
{
	const char	*ext;
	size_t		 i;

	if ((ext = mime_compose_ext(name)) != NULL) {
		for (i = 0; i < sizeof mime_compose_types /
		    sizeof mime_compose_types[0]; i++) {
			if (strcasecmp(ext, mime_compose_types[i].ext) == 0)
				return (mime_compose_types[i].type);
		}
	}
	if (data == NULL)
		return ("application/octet-stream");
	for (i = 0; i < sizeof mime_compose_magic /
	    sizeof mime_compose_magic[0]; i++) {
		if (len >= mime_compose_magic[i].len &&
		    memcmp(data, mime_compose_magic[i].magic,
		    mime_compose_magic[i].len) == 0)
			return (mime_compose_magic[i].type);
	}
	if (mime_compose_is_text(data, len))
		return ("text/plain");
	return ("application/octet-stream");
}

char *
mime_compose_message_id(const char *domain)
{
	unsigned char	 rnd[16];
	char		*host, *id;
	const char	*p;
	struct buf	 b;
	size_t		 i;

	if (domain == NULL || *domain == '\0' ||
	    (host = g_hostname_to_ascii(domain)) == NULL)
		return (NULL);
	for (p = host; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.')
			break;
	}
	if (*p != '\0' || p - host > 253 || getentropy(rnd, sizeof rnd) != 0) {
		g_free(host);
		return (NULL);
	}
	buf_init(&b);
	buf_addch(&b, '<');
	for (i = 0; i < sizeof rnd; i++)
		buf_printf(&b, "%02x", rnd[i]);
	buf_printf(&b, "@%s>", host);
	g_free(host);
	id = buf_detach(&b, NULL);
	return (id);
}

/* A part holding len bytes of data, which GMime copies. */
static void
mime_compose_set_content(GMimePart *part, const char *data, size_t len,
    GMimeContentEncoding encoding)
{
	GMimeStream		*stream;
	GMimeDataWrapper	*wrapper;

	stream = g_mime_stream_mem_new_with_buffer(data, len);
	wrapper = g_mime_data_wrapper_new_with_stream(stream,
	    GMIME_CONTENT_ENCODING_DEFAULT);
	g_mime_part_set_content(part, wrapper);
	g_object_unref(wrapper);
	g_object_unref(stream);
	g_mime_part_set_content_encoding(part, encoding);
}

/* Whether data has a byte over 0x7f, a NUL, or a line over 998 bytes. */
static void
mime_compose_scan(const char *data, size_t len, int *eightbit, int *longline,
    int *nul)
{
	size_t	i, col = 0;

	*eightbit = *longline = *nul = 0;
	for (i = 0; i < len; i++) {
		if (data[i] == '\n') {
			col = 0;
			continue;
		}
		if ((unsigned char)data[i] >= 0x80)
			*eightbit = 1;
		else if (data[i] == '\0')
			*nul = 1;
		if (++col > MIME_COMPOSE_MAX_LINE + (data[i] == '\r'))
			*longline = 1;
	}
}

/* The text/plain part for the body. */
static GMimeObject *
mime_compose_body(const char *body)
{
	GMimePart	*part;
	char		*fixed, *text;
	size_t		 len;
	int		 eightbit, longline, nul;

	fixed = mime_fix_utf8(body != NULL ? body : "",
	    body != NULL ? strlen(body) : 0, &len);
	text = mime_compose_lf(fixed, len);
	free(fixed);
	len = strlen(text);
	mime_compose_scan(text, len, &eightbit, &longline, &nul);

	part = g_mime_part_new_with_type("text", "plain");
	g_mime_object_set_content_type_parameter(GMIME_OBJECT(part),
	    "charset", "utf-8");
	mime_compose_set_content(part, text, len, eightbit || longline ?
	    GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE :
	    GMIME_CONTENT_ENCODING_7BIT);
	free(text);
	return (GMIME_OBJECT(part));
}

/*
 * The part for one attachment; NULL with *cause when its file cannot be
 * read or its type is not "type/subtype".  *eightbit is set for a message
 * attached with 8-bit bytes.
 */
static GMimeObject *
mime_compose_attachment(const struct mime_attachment *a, int *eightbit,
    char **cause)
{
	GMimeContentType	*ct;
	GMimePart		*part;
	struct buf		 b;
	const char		*data, *type, *name, *slash;
	const char		*charset;
	char			*fixed = NULL;
	size_t			 len;
	int			 longline, nul;

	buf_init(&b);
	if (a->data != NULL) {
		data = a->data;
		len = a->len;
	} else if (a->path == NULL) {
		xcause(cause, "attachment with neither a file nor data");
		return (NULL);
	} else {
		if (buf_read_file(&b, a->path, MIME_MAX_MESSAGE, cause) != 0) {
			buf_release(&b);
			return (NULL);
		}
		data = b.data;
		len = b.len;
	}
	name = a->name;
	if (name == NULL && a->path != NULL)
		name = (slash = strrchr(a->path, '/')) != NULL ? slash + 1 :
		    a->path;
	if (name != NULL && *name == '\0')
		name = NULL;
	if (name != NULL)
		fixed = mime_fix_utf8(name, strlen(name), NULL);

	type = a->type != NULL ? a->type : mime_compose_type(name, data, len);
	if (a->type == NULL && strcmp(type, "message/rfc822") == 0) {
		/* A ".eml" that cannot go as a message goes as bytes. */
		mime_compose_scan(data, len, eightbit, &longline, &nul);
		if (longline || nul)
			type = "application/octet-stream";
		*eightbit = 0;
	}
	ct = g_mime_content_type_parse(mime_options(), type);
	if (ct == NULL || strchr(type, '/') == NULL ||
	    g_mime_content_type_get_media_type(ct) == NULL ||
	    g_mime_content_type_get_media_subtype(ct) == NULL) {
		xcause(cause, "'%s' is not a content type", type);
		part = NULL;
		goto out;
	}
	part = g_mime_part_new_with_type(g_mime_content_type_get_media_type(ct),
	    g_mime_content_type_get_media_subtype(ct));
	if (g_mime_content_type_is_type(ct, "message", "rfc822")) {
		mime_compose_scan(data, len, eightbit, &longline, &nul);
		if (longline || nul) {
			xcause(cause, "cannot attach '%s' as a message: it has "
			    "%s", fixed != NULL ? fixed : "message", nul ?
			    "a NUL byte" : "a line over 998 bytes");
			g_object_unref(part);
			part = NULL;
			goto out;
		}
		mime_compose_set_content(part, data, len, *eightbit ?
		    GMIME_CONTENT_ENCODING_8BIT : GMIME_CONTENT_ENCODING_7BIT);
		if (fixed != NULL)
			g_mime_part_set_filename(part, fixed);
		else
			g_mime_object_set_disposition(GMIME_OBJECT(part),
			    "attachment");
		goto out;
	}
	if (g_mime_content_type_is_type(ct, "text", "*") &&
	    g_mime_content_type_get_parameter(ct, "charset") == NULL) {
		mime_compose_scan(data, len, eightbit, &longline, &nul);
		charset = *eightbit ? "utf-8" : "us-ascii";
		if (!nul && (!*eightbit || mime_compose_is_text(data, len)))
			g_mime_object_set_content_type_parameter(
			    GMIME_OBJECT(part), "charset", charset);
		*eightbit = 0;
	}
	mime_compose_set_content(part, data, len,
	    GMIME_CONTENT_ENCODING_BASE64);
	if (fixed != NULL)
		g_mime_part_set_filename(part, fixed);
	else
		g_mime_object_set_disposition(GMIME_OBJECT(part), "attachment");
out:
	if (ct != NULL)
		g_object_unref(ct);
	free(fixed);
	buf_release(&b);
	return (part != NULL ? GMIME_OBJECT(part) : NULL);
}

/* Parses a draft's address header into GMime's list of kind in gm. */
static int
mime_compose_addresses(GMimeMessage *gm, GMimeAddressType kind,
    const char *name, const char *value, int *count, char **cause)
{
	InternetAddressList	*list;
	char			*why = NULL;

	if ((list = mime_compose_parse_addresses(value, &why)) == NULL) {
		xcause(cause, "%s: %s", name, why);
		free(why);
		return (-1);
	}
	if (count != NULL)
		*count += mime_compose_count(list);
	/* Appending even an empty list makes GMime write an empty header. */
	if (gm != NULL && internet_address_list_length(list) > 0)
		internet_address_list_append(g_mime_message_get_addresses(gm,
		    kind), list);
	g_object_unref(list);
	return (0);
}

/* The domain of the first mailbox of the From list, for the caller. */
static char *
mime_compose_from_domain(GMimeMessage *gm)
{
	InternetAddressList	*list;
	InternetAddress		*ia;
	const char		*addr, *at;

	list = g_mime_message_get_from(gm);
	if (list == NULL || internet_address_list_length(list) == 0)
		return (NULL);
	ia = internet_address_list_get_address(list, 0);
	if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
		return (NULL);
	addr = internet_address_mailbox_get_idn_addr(
	    INTERNET_ADDRESS_MAILBOX(ia));
	if ((at = strrchr(addr, '@')) == NULL)
		return (NULL);
	return (xstrdup(at + 1));
}

/* Sets the Message-ID, In-Reply-To and References of gm from d. */
static int
mime_compose_ids(GMimeMessage *gm, const struct mime_draft *d,
    const struct mime_identity *id, char **cause)
{
	GMimeReferences	*refs;
	char		*domain, *msgid = NULL, *why = NULL, *s;

	if (d->message_id != NULL) {
		if (mime_compose_parse_ids(d->message_id, &refs, &why) != 0)
			goto bad;
		msgid = xstrdup(g_mime_references_get_message_id(refs, 0));
		g_mime_references_free(refs);
	} else {
		if (id != NULL && id->domain != NULL)
			domain = xstrdup(id->domain);
		else
			domain = mime_compose_from_domain(gm);
		s = mime_compose_message_id(domain);
		if (s == NULL) {
			xcause(cause, "cannot make a Message-ID for domain "
			    "'%s'", domain != NULL ? domain : "");
			free(domain);
			return (-1);
		}
		free(domain);
		msgid = xstrndup(s + 1, strlen(s) - 2);
		free(s);
	}
	g_mime_message_set_message_id(gm, msgid);
	free(msgid);

	if (d->in_reply_to != NULL && *d->in_reply_to != '\0') {
		if (mime_compose_parse_ids(d->in_reply_to, &refs, &why) != 0)
			goto bad;
		xasprintf(&s, "<%s>", g_mime_references_get_message_id(refs,
		    0));
		g_mime_object_set_header(GMIME_OBJECT(gm), "In-Reply-To", s,
		    NULL);
		free(s);
		g_mime_references_free(refs);
	}
	if (d->references != NULL && *d->references != '\0') {
		if (mime_compose_parse_ids(d->references, &refs, &why) != 0)
			goto bad;
		s = mime_compose_format_ids(refs);
		g_mime_object_set_header(GMIME_OBJECT(gm), "References", s,
		    NULL);
		free(s);
		g_mime_references_free(refs);
	}
	return (0);
bad:
	xcause(cause, "%s", why);
	free(why);
	return (-1);
}

/*
 * Whether out keeps the promise of mime_compose_build(): no NUL, no line
 * over 998 bytes, and 7-bit unless an attached message is 8-bit.
 */
static int
mime_compose_verify(const char *out, size_t len, int allow8, char **cause)
{
	int	eightbit, longline, nul;

	mime_compose_scan(out, len, &eightbit, &longline, &nul);
	if (nul || longline || (eightbit && !allow8)) {
		xcause(cause, "built message is not fit to send (%s)", nul ?
		    "NUL byte" : longline ? "line over 998 bytes" :
		    "8-bit byte");
		return (-1);
	}
	return (0);
}

int
mime_compose_build(const struct mime_draft *d,
    const struct mime_attachment *att, size_t n_att,
    const struct mime_identity *id, time_t now, int flags, char **out,
    size_t *outlen, char **cause)
{
	GMimeMessage		*gm;
	GMimeMultipart		*mixed = NULL;
	GMimeObject		*body, *part;
	GMimeFormatOptions	*fo;
	GMimeStream		*stream;
	GByteArray		*bytes;
	GDateTime		*date;
	const char		*from;
	size_t			 i;
	int			 rc = -1, n_rcpt = 0, n_from = 0, eightbit = 0;
	int			 any8 = 0;

	*out = NULL;
	if (outlen != NULL)
		*outlen = 0;
	if (n_att > MIME_COMPOSE_MAX_ATTACHMENTS) {
		xcause(cause, "more than %d attachments",
		    MIME_COMPOSE_MAX_ATTACHMENTS);
		return (-1);
	}
	from = d->from;
	if ((from == NULL || *from == '\0') && id != NULL)
		from = id->from;

	gm = g_mime_message_new(TRUE);
	fo = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_UNIX);
	if (mime_compose_addresses(gm, GMIME_ADDRESS_TYPE_FROM, "From", from,
	    &n_from, cause) != 0)
		goto out;
	if (n_from == 0) {
		xcause(cause, "no From address");
		goto out;
	}
	if (mime_compose_addresses(gm, GMIME_ADDRESS_TYPE_REPLY_TO, "Reply-To",
	    d->reply_to, NULL, cause) != 0 ||
	    mime_compose_addresses(gm, GMIME_ADDRESS_TYPE_TO, "To", d->to,
	    &n_rcpt, cause) != 0 ||
	    mime_compose_addresses(gm, GMIME_ADDRESS_TYPE_CC, "Cc", d->cc,
	    &n_rcpt, cause) != 0 ||
	    mime_compose_addresses((flags & MIME_COMPOSE_DRAFT) ? gm : NULL,
	    GMIME_ADDRESS_TYPE_BCC, "Bcc", d->bcc, &n_rcpt, cause) != 0)
		goto out;
	if (n_rcpt == 0 && !(flags & MIME_COMPOSE_DRAFT)) {
		xcause(cause, "no recipient (To, Cc or Bcc)");
		goto out;
	}
	if (d->subject != NULL && *d->subject != '\0')
		g_mime_message_set_subject(gm, d->subject, "utf-8");
	date = g_date_time_new_from_unix_local((gint64)now);
	g_mime_message_set_date(gm, date);
	g_date_time_unref(date);
	if (mime_compose_ids(gm, d, id, cause) != 0)
		goto out;
	for (i = 0; i < d->n_extra; i++) {
		if (!mime_draft_name_ok(d->extra[i].name,
		    strlen(d->extra[i].name)) ||
		    mime_draft_is_refused(d->extra[i].name)) {
			xcause(cause, "'%s' cannot be set in a draft",
			    d->extra[i].name);
			goto out;
		}
		g_mime_object_append_header(GMIME_OBJECT(gm), d->extra[i].name,
		    d->extra[i].value != NULL ? d->extra[i].value : "",
		    "utf-8");
	}

	body = mime_compose_body(d->body);
	if (n_att == 0) {
		g_mime_message_set_mime_part(gm, body);
		g_object_unref(body);
	} else {
		mixed = g_mime_multipart_new_with_subtype("mixed");
		g_mime_multipart_add(mixed, body);
		g_object_unref(body);
		for (i = 0; i < n_att; i++) {
			eightbit = 0;
			part = mime_compose_attachment(&att[i], &eightbit,
			    cause);
			if (part == NULL)
				goto out;
			any8 |= eightbit;
			g_mime_multipart_add(mixed, part);
			g_object_unref(part);
		}
		g_mime_message_set_mime_part(gm, GMIME_OBJECT(mixed));
	}

	stream = g_mime_stream_mem_new();
	(void)g_mime_object_write_to_stream(GMIME_OBJECT(gm), fo, stream);
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream));
	if (mime_compose_verify((const char *)bytes->data, bytes->len, any8,
	    cause) == 0) {
		*out = xmalloc(bytes->len + 1);
		memcpy(*out, bytes->data, bytes->len);
		(*out)[bytes->len] = '\0';
		if (outlen != NULL)
			*outlen = bytes->len;
		rc = 0;
	}
	g_object_unref(stream);
out:
	if (mixed != NULL)
		g_object_unref(mixed);
	g_mime_format_options_free(fo);
	g_object_unref(gm);
	return (rc);
}

/*
 * Strips one prefix of the list from s ("Re:", "RE :", "Re[2]:", "Aw:")
 * and the spaces after it; NULL when s starts with none.
 */
static const char *
mime_compose_strip(const char *s, const char **prefixes)
{
	const char	*p;
	size_t		 i, len;

	for (i = 0; prefixes[i] != NULL; i++) {
		len = strlen(prefixes[i]);
		if (strncasecmp(s, prefixes[i], len) != 0)
			continue;
		p = s + len;
		if (*p == '[' || *p == '(') {
			p++;
			while (isdigit((unsigned char)*p))
				p++;
			if (*p != ']' && *p != ')')
				continue;
			p++;
		}
		while (*p == ' ')
			p++;
		if (*p != ':')
			continue;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		return (p);
	}
	return (NULL);
}

const char *
mime_subject_base(const char *subject)
{
	const char	*s = subject != NULL ? subject : "", *p;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if ((p = mime_compose_strip(s, mime_compose_reply_prefixes)) ==
		    NULL && (p = mime_compose_strip(s,
		    mime_compose_forward_prefixes)) == NULL)
			return (s);
		s = p;
	}
}

char *
mime_compose_subject(const char *subject, int forward)
{
	const char	**prefixes, *s, *p;
	char		*out;
	size_t		 len;

	prefixes = forward ? mime_compose_forward_prefixes :
	    mime_compose_reply_prefixes;
	s = subject != NULL ? subject : "";
	while (*s == ' ' || *s == '\t')
		s++;
	while ((p = mime_compose_strip(s, prefixes)) != NULL)
		s = p;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len == 0)
		return (xstrdup(forward ? "Fwd:" : "Re:"));
	xasprintf(&out, "%s%.*s", forward ? "Fwd: " : "Re: ", (int)len, s);
	mime_compose_flatten(out);
	return (out);
}

static void
mime_compose_list_free(struct mime_compose_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].addr);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Whether l holds addr (without regard to case). */
static int
mime_compose_list_has(const struct mime_compose_list *l, const char *addr)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		if (strcasecmp(l->v[i].addr, addr) == 0)
			return (1);
	}
	return (0);
}

/* Whether addr is one of the user's own. */
static int
mime_compose_is_own(const char *addr, const char *const *own, size_t n_own)
{
	size_t	i;

	for (i = 0; own != NULL && i < n_own; i++) {
		if (own[i] != NULL && strcasecmp(own[i], addr) == 0)
			return (1);
	}
	return (0);
}

static void
mime_compose_list_add(struct mime_compose_list *l, const char *name,
    const char *addr)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n].name = mime_fix_utf8(name, strlen(name), NULL);
	mime_compose_flatten(l->v[l->n].name);
	l->v[l->n].addr = mime_fix_utf8(addr, strlen(addr), NULL);
	l->n++;
}

/*
 * Appends the mailboxes of list (groups flattened) that have an '@', the
 * domains in IDNA form when idn is set.
 */
static void
mime_compose_list_gmime(struct mime_compose_list *l, InternetAddressList *list,
    int depth, int idn)
{
	InternetAddress		*ia;
	InternetAddressList	*members;
	const char		*name, *addr;
	int			 i;

	for (i = 0; i < internet_address_list_length(list); i++) {
		ia = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			members = internet_address_group_get_members(
			    INTERNET_ADDRESS_GROUP(ia));
			if (members != NULL && depth == 0)
				mime_compose_list_gmime(l, members, 1, idn);
			continue;
		}
		if (idn)
			addr = internet_address_mailbox_get_idn_addr(
			    INTERNET_ADDRESS_MAILBOX(ia));
		else
			addr = internet_address_mailbox_get_addr(
			    INTERNET_ADDRESS_MAILBOX(ia));
		if (addr == NULL || strchr(addr, '@') == NULL)
			continue;
		name = internet_address_get_name(ia);
		mime_compose_list_add(l, name != NULL ? name : "", addr);
	}
}

/* Appends the addresses of every header called name in gm. */
static void
mime_compose_list_header(struct mime_compose_list *l, GMimeMessage *gm,
    const char *name)
{
	GMimeHeaderList		*headers;
	GMimeHeader		*h;
	InternetAddressList	*list;
	const char		*raw;
	int			 i, n;

	if (gm == NULL ||
	    (headers = g_mime_object_get_header_list(GMIME_OBJECT(gm))) == NULL)
		return;
	n = g_mime_header_list_get_count(headers);
	for (i = 0; i < n; i++) {
		h = g_mime_header_list_get_header_at(headers, i);
		if (strcasecmp(g_mime_header_get_name(h), name) != 0 ||
		    (raw = g_mime_header_get_raw_value(h)) == NULL)
			continue;
		if ((list = internet_address_list_parse(mime_options(),
		    raw)) != NULL) {
			mime_compose_list_gmime(l, list, 0, 0);
			g_object_unref(list);
		}
	}
}

/*
 * Appends to to the addresses of from that are not in to already, nor in
 * skip, nor (unless own is NULL) the user's own.
 */
static void
mime_compose_list_merge(struct mime_compose_list *to,
    const struct mime_compose_list *from, const struct mime_compose_list *skip,
    const char *const *own, size_t n_own)
{
	size_t	i;

	for (i = 0; i < from->n; i++) {
		if (mime_compose_list_has(to, from->v[i].addr) ||
		    (skip != NULL && mime_compose_list_has(skip,
		    from->v[i].addr)) ||
		    (own != NULL && mime_compose_is_own(from->v[i].addr, own,
		    n_own)))
			continue;
		mime_compose_list_add(to, from->v[i].name, from->v[i].addr);
	}
}

/* "Name <addr>, addr" for l, or NULL when it is empty. */
static char *
mime_compose_list_format(const struct mime_compose_list *l)
{
	struct buf	b;
	size_t		i;

	if (l->n == 0)
		return (NULL);
	buf_init(&b);
	for (i = 0; i < l->n; i++) {
		if (i != 0)
			buf_addstr(&b, ", ");
		if (*l->v[i].name != '\0') {
			mime_message_add_name(&b, l->v[i].name);
			buf_printf(&b, " <%s>", l->v[i].addr);
		} else
			buf_addstr(&b, l->v[i].addr);
	}
	return (buf_detach(&b, NULL));
}

/*
 * In-Reply-To and References for a reply to gm: its References (or its
 * In-Reply-To) and its Message-ID.  Ids that would not build are dropped,
 * and a long chain keeps its first id and the last ones.
 */
static void
mime_compose_reply_ids(GMimeMessage *gm, struct mime_draft *d)
{
	GMimeReferences	*refs = NULL;
	const char	*text, *msgid, **ids;
	struct buf	 b;
	size_t		 n = 0, i, count;

	text = g_mime_object_get_header(GMIME_OBJECT(gm), "References");
	if (text != NULL)
		refs = g_mime_references_parse(mime_options(), text);
	if (refs == NULL || g_mime_references_length(refs) == 0) {
		if (refs != NULL)
			g_mime_references_free(refs);
		refs = NULL;
		text = g_mime_object_get_header(GMIME_OBJECT(gm),
		    "In-Reply-To");
		if (text != NULL)
			refs = g_mime_references_parse(mime_options(), text);
	}
	count = refs != NULL ? (size_t)g_mime_references_length(refs) : 0;
	ids = xreallocarray(NULL, count + 1, sizeof *ids);
	for (i = 0; i < count; i++) {
		ids[n] = g_mime_references_get_message_id(refs, i);
		if (mime_compose_id_ok(ids[n]))
			n++;
	}
	msgid = g_mime_message_get_message_id(gm);
	if (msgid != NULL && mime_compose_id_ok(msgid)) {
		xasprintf(&d->in_reply_to, "<%s>", msgid);
		if (n == 0 || strcmp(ids[n - 1], msgid) != 0)
			ids[n++] = msgid;
	}
	if (n > MIME_COMPOSE_MAX_REFERENCES) {
		memmove(ids + 1, ids + n - (MIME_COMPOSE_MAX_REFERENCES - 1),
		    (MIME_COMPOSE_MAX_REFERENCES - 1) * sizeof *ids);
		n = MIME_COMPOSE_MAX_REFERENCES;
	}
	if (n > 0) {
		buf_init(&b);
		for (i = 0; i < n; i++)
			buf_printf(&b, "%s<%s>", i == 0 ? "" : " ", ids[i]);
		d->references = buf_detach(&b, NULL);
	}
	free(ids);
	if (refs != NULL)
		g_mime_references_free(refs);
}

/* Appends text with its signature (from a "-- " line) left out. */
static void
mime_compose_add_unsigned(struct buf *b, const char *text)
{
	const char	*line, *eol;
	size_t		 start = b->len;

	for (line = text; *line != '\0'; line = eol + 1) {
		if ((eol = strchr(line, '\n')) == NULL)
			eol = line + strlen(line);
		if (eol - line == 3 && strncmp(line, "-- ", 3) == 0)
			break;
		buf_add(b, line, eol - line);
		buf_addch(b, '\n');
		if (*eol == '\0')
			break;
	}
	while (b->len > start + 1 && b->data[b->len - 1] == '\n' &&
	    b->data[b->len - 2] == '\n')
		b->len--;
	b->data[b->len] = '\0';
}

/*
 * The text of m as the pager shows it (text blocks, HTML converted), one
 * blank line between blocks; signatures left out when unsigned is set.
 */
static void
mime_compose_text(struct mime_message *m, struct buf *b, int unsigned_)
{
	struct mime_render	 r;
	size_t			 i;

	mime_message_render(m, &r);
	for (i = 0; i < r.n_blocks; i++) {
		if (r.blocks[i].kind != MIME_BLOCK_TEXT)
			continue;
		if (b->len != 0)
			buf_addch(b, '\n');
		if (unsigned_)
			mime_compose_add_unsigned(b, r.blocks[i].text);
		else
			buf_addstr(b, r.blocks[i].text);
	}
	mime_render_release(&r);
	if (b->len > 0 && b->data[b->len - 1] != '\n')
		buf_addch(b, '\n');
}

/* Quotes text mutt's way: "> " before each line, ">" alone when empty. */
static void
mime_compose_quote(struct buf *b, const char *text)
{
	const char	*line, *eol;

	for (line = text; *line != '\0'; line = eol + 1) {
		if ((eol = strchr(line, '\n')) == NULL)
			eol = line + strlen(line);
		if (eol == line)
			buf_addstr(b, ">\n");
		else {
			buf_addstr(b, "> ");
			buf_add(b, line, eol - line);
			buf_addch(b, '\n');
		}
		if (*eol == '\0')
			break;
	}
}

/* The name (else the address) of the first sender of gm, or NULL. */
static char *
mime_compose_sender(GMimeMessage *gm)
{
	struct mime_compose_list	 l;
	char				*s = NULL;

	memset(&l, 0, sizeof l);
	mime_compose_list_header(&l, gm, "From");
	if (l.n > 0)
		s = xstrdup(*l.v[0].name != '\0' ? l.v[0].name : l.v[0].addr);
	mime_compose_list_free(&l);
	return (s);
}

/*
 * "On Tue, 3 Mar 2026 10:00, Alice Example wrote:" with the date in zone
 * (an IANA name; NULL or unknown: local), in English whatever the locale.
 */
static void
mime_compose_attribution(struct mime_message *m, const char *zone,
    struct buf *b)
{
	GTimeZone	*tz = NULL;
	GDateTime	*utc, *dt;
	time_t		 t;
	char		*who;

	who = mime_compose_sender(mime_message_gmime(m));
	if ((t = mime_message_date(m)) != -1) {
		if (zone != NULL)
			tz = g_time_zone_new_identifier(zone);
		if (tz == NULL)
			tz = g_time_zone_new_local();
		utc = g_date_time_new_from_unix_utc((gint64)t);
		dt = utc != NULL ? g_date_time_to_timezone(utc, tz) : NULL;
		if (dt != NULL) {
			buf_printf(b, "On %s, %d %s %d %02d:%02d, ",
			    mime_compose_days[g_date_time_get_day_of_week(dt) -
			    1], g_date_time_get_day_of_month(dt),
			    mime_compose_months[g_date_time_get_month(dt) - 1],
			    g_date_time_get_year(dt), g_date_time_get_hour(dt),
			    g_date_time_get_minute(dt));
			g_date_time_unref(dt);
		}
		if (utc != NULL)
			g_date_time_unref(utc);
		g_time_zone_unref(tz);
	}
	buf_printf(b, "%s wrote:\n", who != NULL ? who : "someone");
	free(who);
}

void
mime_compose_reply(struct mime_message *m, int flags, const char *const *own,
    size_t n_own, const char *zone, struct mime_draft *d)
{
	GMimeMessage		*gm = mime_message_gmime(m);
	struct mime_compose_list from, reply_to, to, cc, mft, rto, rcc;
	const struct mime_compose_list *primary;
	struct buf		 b, text;
	size_t			 i;
	int			 from_me = 0;

	mime_draft_init(d);
	d->subject = mime_compose_subject(mime_message_header(m, "Subject"), 0);
	if (gm == NULL) {
		d->body = xstrdup("");
		return;
	}
	memset(&from, 0, sizeof from);
	memset(&reply_to, 0, sizeof reply_to);
	memset(&to, 0, sizeof to);
	memset(&cc, 0, sizeof cc);
	memset(&mft, 0, sizeof mft);
	memset(&rto, 0, sizeof rto);
	memset(&rcc, 0, sizeof rcc);
	mime_compose_list_header(&from, gm, "From");
	mime_compose_list_header(&reply_to, gm, "Reply-To");
	mime_compose_list_header(&to, gm, "To");
	mime_compose_list_header(&cc, gm, "Cc");
	mime_compose_list_header(&mft, gm, "Mail-Followup-To");
	for (i = 0; i < from.n; i++)
		from_me |= mime_compose_is_own(from.v[i].addr, own, n_own);

	if (from_me && to.n > 0)
		primary = &to;
	else if (reply_to.n > 0)
		primary = &reply_to;
	else
		primary = &from;
	if ((flags & MIME_REPLY_ALL) && mft.n > 0) {
		mime_compose_list_merge(&rto, &mft, NULL, own, n_own);
		if (rto.n == 0)
			mime_compose_list_merge(&rto, &mft, NULL, NULL, 0);
	} else if (flags & MIME_REPLY_ALL) {
		mime_compose_list_merge(&rto, primary, NULL, own, n_own);
		if (rto.n == 0)
			mime_compose_list_merge(&rto, primary, NULL, NULL, 0);
		if (primary != &to)
			mime_compose_list_merge(&rcc, &to, &rto, own, n_own);
		mime_compose_list_merge(&rcc, &cc, &rto, own, n_own);
	} else
		mime_compose_list_merge(&rto, primary, NULL, NULL, 0);
	d->to = mime_compose_list_format(&rto);
	d->cc = mime_compose_list_format(&rcc);
	mime_compose_reply_ids(gm, d);

	buf_init(&b);
	buf_init(&text);
	mime_compose_attribution(m, zone, &b);
	mime_compose_text(m, &text, 1);
	mime_compose_quote(&b, text.data);
	d->body = buf_detach(&b, NULL);
	buf_release(&text);

	mime_compose_list_free(&from);
	mime_compose_list_free(&reply_to);
	mime_compose_list_free(&to);
	mime_compose_list_free(&cc);
	mime_compose_list_free(&mft);
	mime_compose_list_free(&rto);
	mime_compose_list_free(&rcc);
}

void
mime_compose_forward(struct mime_message *m, int flags, struct mime_draft *d)
{
	static const char	*names[] = {
		"From", "Date", "Subject", "To", "Cc", NULL
	};
	struct buf		 b;
	const char		*value;
	size_t			 i;

	mime_draft_init(d);
	d->subject = mime_compose_subject(mime_message_header(m, "Subject"), 1);
	if (flags & MIME_FORWARD_ATTACH) {
		d->body = xstrdup("");
		return;
	}
	buf_init(&b);
	buf_addstr(&b, "\n---------- Forwarded message ----------\n");
	for (i = 0; names[i] != NULL; i++) {
		if ((value = mime_message_header(m, names[i])) != NULL)
			buf_printf(&b, "%s: %s\n", names[i], value);
	}
	buf_addch(&b, '\n');
	if (m != NULL)
		mime_compose_text(m, &b, 0);
	d->body = buf_detach(&b, NULL);
}

/* Whether a header called name in gm holds one of ids; its index in *n. */
static int
mime_compose_find_identity(GMimeMessage *gm, const char *name,
    const char *const *ids, size_t n_ids, size_t *n)
{
	struct mime_compose_list	 l;
	size_t				 i, j;
	int				 found = 0;

	memset(&l, 0, sizeof l);
	mime_compose_list_header(&l, gm, name);
	for (i = 0; i < l.n && !found; i++) {
		for (j = 0; j < n_ids && !found; j++) {
			if (ids[j] != NULL &&
			    strcasecmp(l.v[i].addr, ids[j]) == 0) {
				*n = j;
				found = 1;
			}
		}
	}
	mime_compose_list_free(&l);
	return (found);
}

size_t
mime_compose_identity(struct mime_message *m, const char *const *ids,
    size_t n_ids)
{
	static const char	*names[] = { "Delivered-To", "To", "Cc", NULL };
	GMimeMessage		*gm = mime_message_gmime(m);
	size_t			 i, n;

	for (i = 0; gm != NULL && names[i] != NULL; i++) {
		if (mime_compose_find_identity(gm, names[i], ids, n_ids, &n))
			return (n);
	}
	return (0);
}

int
mime_compose_recipients(const struct mime_draft *d, char ***out, size_t *n,
    char **cause)
{
	static const char		*names[] = { "To", "Cc", "Bcc" };
	const char			*values[3];
	struct mime_compose_list	 all, one;
	InternetAddressList		*list;
	char				*why = NULL;
	size_t				 i;

	*out = NULL;
	*n = 0;
	values[0] = d->to;
	values[1] = d->cc;
	values[2] = d->bcc;
	memset(&all, 0, sizeof all);
	for (i = 0; i < 3; i++) {
		if ((list = mime_compose_parse_addresses(values[i],
		    &why)) == NULL) {
			xcause(cause, "%s: %s", names[i], why);
			free(why);
			mime_compose_list_free(&all);
			return (-1);
		}
		memset(&one, 0, sizeof one);
		mime_compose_list_gmime(&one, list, 0, 1);
		mime_compose_list_merge(&all, &one, NULL, NULL, 0);
		mime_compose_list_free(&one);
		g_object_unref(list);
	}
	if (all.n > 0)
		*out = xreallocarray(NULL, all.n, sizeof **out);
	for (i = 0; i < all.n; i++) {
		(*out)[i] = all.v[i].addr;
		free(all.v[i].name);
	}
	*n = all.n;
	free(all.v);
	return (0);
}
