/*
 * mime/message.c: a message parsed by GMime, its headers decoded for
 * display, and its MIME tree flattened into the blocks the pager shows.
 * Malformed mail is data: whatever GMime could read is shown, and whatever
 * is left out (over a limit, encrypted) is replaced by a note saying so.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "core/core.h"
#include "mime/mime.h"
#include "private.h"

/* A decoded header, kept so mime_message_header() can lend it out. */
struct mime_header {
	char	*name;
	char	*value;		/* NULL: the message has no such header */
};

struct mime_message {
	GMimeMessage		*gm;		/* our reference */
	time_t			 date;
	struct mime_header	*headers;	/* decoded on first use */
	size_t			 n_headers;
};

/* State of one mime_message_render() walk over the tree. */
struct mime_walk {
	struct mime_render	*r;
	size_t			 size;		/* blocks allocated in r */
	int			 stopped;	/* MIME_MAX_PARTS reached */
	size_t			 attachments;	/* ATTACHMENT blocks so far */
	size_t			 want;		/* this one's object ... */
	GMimeObject		*found;		/* ... is kept here */
};

/* Headers holding address lists, shown as "Name <addr>, ...". */
static const char *mime_message_address_headers[] = {
	"From", "Sender", "Reply-To", "To", "Cc", "Bcc",
	"Resent-From", "Resent-Sender", "Resent-Reply-To", "Resent-To",
	"Resent-Cc", "Resent-Bcc", "Return-Path", "Delivered-To",
	"Mail-Followup-To", "Mail-Reply-To", "Disposition-Notification-To",
	"Errors-To", NULL
};

/* No charset name is longer; see mime_message_defuse(). */
#define MIME_MESSAGE_MAX_CHARSET	4096

static void	mime_message_walk(struct mime_walk *, GMimeObject *, int);

/*
 * GMime 3.2.13 copies the charset of an RFC 2047 word ("=?charset?") and
 * of an RFC 2231 value ("name*=charset'") onto the stack with alloca(),
 * so a charset of a few megabytes crashes the parse.  Where the '?' or '\''
 * ending one is too far away to be a charset, the opener is spoiled ("=?"
 * becomes "=_", "*=" becomes "_=") and GMime reads plain text there.  The
 * next '?' and '\'' are remembered, so this is one pass over the bytes.
 */
static void
mime_message_defuse(GByteArray *array)
{
	guint8		*d = array->data;
	const guint8	*p;
	size_t		 len = array->len, i, q = 0, a = 0;

	for (i = 0; i + 1 < len; i++) {
		if (d[i] == '=' && d[i + 1] == '?') {
			if (q < i + 2) {
				p = memchr(d + i + 2, '?', len - i - 2);
				q = p == NULL ? len : (size_t)(p - d);
			}
			if (q < len && q - (i + 2) > MIME_MESSAGE_MAX_CHARSET)
				d[i + 1] = '_';
		} else if (d[i] == '*' && d[i + 1] == '=') {
			if (a < i + 2) {
				p = memchr(d + i + 2, '\'', len - i - 2);
				a = p == NULL ? len : (size_t)(p - d);
			}
			if (a < len && a - (i + 2) > MIME_MESSAGE_MAX_CHARSET)
				d[i] = '_';
		}
	}
}

/*
 * Runs the GMime parser over array, which the stream takes.  GMime refuses
 * input whose first line is not a header (a message with no header at all,
 * a line starting with a space); such input is read again behind an empty
 * header block, so that all of it becomes the body.
 */
static GMimeMessage *
mime_message_construct(GByteArray *array)
{
	GMimeStream	*stream;
	GMimeParser	*parser;
	GMimeMessage	*gm;
	GByteArray	*fixed;

	mime_message_defuse(array);
	stream = g_mime_stream_mem_new_with_byte_array(array);
	parser = g_mime_parser_new_with_stream(stream);
	gm = g_mime_parser_construct_message(parser, mime_options());
	g_object_unref(parser);
	if (gm == NULL) {
		fixed = g_byte_array_sized_new(array->len + 1);
		g_byte_array_append(fixed, (const guint8 *)"\n", 1);
		g_byte_array_append(fixed, array->data, array->len);
		g_object_unref(stream);

		stream = g_mime_stream_mem_new_with_byte_array(fixed);
		parser = g_mime_parser_new_with_stream(stream);
		gm = g_mime_parser_construct_message(parser, mime_options());
		g_object_unref(parser);
	}
	/* The parts hold their own references to the stream. */
	g_object_unref(stream);
	return (gm);
}

/* Builds a struct mime_message around array, which this always takes. */
static struct mime_message *
mime_message_from_array(GByteArray *array, char **cause)
{
	struct mime_message	*m;
	GMimeMessage		*gm;
	GDateTime		*date;

	if ((gm = mime_message_construct(array)) == NULL) {
		xcause(cause, "cannot parse message");
		return (NULL);
	}
	m = xcalloc(1, sizeof *m);
	m->gm = gm;
	if ((date = g_mime_message_get_date(gm)) != NULL)
		m->date = (time_t)g_date_time_to_unix(date);
	else
		m->date = -1;
	return (m);
}

/* Reads a whole file (a Maildir message) and parses it. */
struct mime_message *
mime_message_parse_file(const char *path, char **cause)
{
	struct buf	 b;
	GByteArray	*array;
	char		*data;
	size_t		 len;

	if (path == NULL) {
		xcause(cause, "no message file given");
		return (NULL);
	}
	buf_init(&b);
	if (buf_read_file(&b, path, MIME_MAX_MESSAGE, cause) != 0) {
		buf_release(&b);
		return (NULL);
	}
	/*
	 * GLib frees with free() since 2.46, so the array can take the
	 * memory buf_read_file() allocated and spare a copy of the file.
	 */
	data = buf_detach(&b, &len);
	array = g_byte_array_new_take((guint8 *)data, len);
	return (mime_message_from_array(array, cause));
}

/* Parses a copy of data, so the caller may free it at once. */
struct mime_message *
mime_message_parse(const char *data, size_t len, char **cause)
{
	GByteArray	*array;

	if (len > MIME_MAX_MESSAGE) {
		xcause(cause, "message is larger than %u bytes",
		    MIME_MAX_MESSAGE);
		return (NULL);
	}
	if (data == NULL)
		len = 0;
	array = g_byte_array_sized_new(len);
	if (len != 0)
		g_byte_array_append(array, (const guint8 *)data, len);
	return (mime_message_from_array(array, cause));
}

void
mime_message_free(struct mime_message *m)
{
	size_t	i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n_headers; i++) {
		free(m->headers[i].name);
		free(m->headers[i].value);
	}
	free(m->headers);
	g_object_unref(m->gm);
	free(m);
}

GMimeMessage *
mime_message_gmime(struct mime_message *m)
{
	return (m != NULL ? m->gm : NULL);
}

static int
mime_message_is_address(const char *name)
{
	size_t	i;

	for (i = 0; mime_message_address_headers[i] != NULL; i++) {
		if (strcasecmp(name, mime_message_address_headers[i]) == 0)
			return (1);
	}
	return (0);
}

/* Appends a display name, quoted when it would read as list syntax. */
void
mime_message_add_name(struct buf *b, const char *name)
{
	const char	*p;

	if (strpbrk(name, ",;:<>@\"\\") == NULL) {
		buf_addstr(b, name);
		return;
	}
	buf_addch(b, '"');
	for (p = name; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			buf_addch(b, '\\');
		buf_addch(b, *p);
	}
	buf_addch(b, '"');
}

/* Formats a list as "Name <addr>, addr, Group: a <b>;". */
static void
mime_message_add_addresses(struct buf *b, InternetAddressList *list,
    int depth)
{
	InternetAddress		*ia;
	InternetAddressList	*members;
	const char		*name, *addr;
	int			 i, n;

	n = internet_address_list_length(list);
	for (i = 0; i < n; i++) {
		ia = internet_address_list_get_address(list, i);
		if (i != 0)
			buf_addstr(b, ", ");
		name = internet_address_get_name(ia);
		if (name == NULL)
			name = "";
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			mime_message_add_name(b, name);
			buf_addch(b, ':');
			members = internet_address_group_get_members(
			    INTERNET_ADDRESS_GROUP(ia));
			if (members != NULL && depth < 2 &&
			    internet_address_list_length(members) > 0) {
				buf_addch(b, ' ');
				mime_message_add_addresses(b, members,
				    depth + 1);
			}
			buf_addch(b, ';');
			continue;
		}
		if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
			continue;
		addr = internet_address_mailbox_get_addr(
		    INTERNET_ADDRESS_MAILBOX(ia));
		if (addr == NULL)
			addr = "";
		if (*name != '\0') {
			mime_message_add_name(b, name);
			if (*addr != '\0')
				buf_printf(b, " <%s>", addr);
		} else
			buf_addstr(b, addr);
	}
}

/*
 * Decodes the first header called name in obj (a message, or a part) to
 * valid UTF-8, for the caller to free; NULL when there is none.  GMime's
 * value is already unfolded and RFC 2047 decoded, raw 8-bit text going
 * through the fallback charsets.  Address lists are parsed and formatted
 * again; one that yields no address is shown as text.
 */
static char *
mime_message_get_header(GMimeObject *obj, const char *name)
{
	GMimeHeaderList		*headers;
	GMimeHeader		*h;
	InternetAddressList	*list;
	const char		*raw, *value;
	struct buf		 b;
	char			*s;

	if ((headers = g_mime_object_get_header_list(obj)) == NULL)
		return (NULL);
	if ((h = g_mime_header_list_get_header(headers, name)) == NULL)
		return (NULL);

	buf_init(&b);
	raw = g_mime_header_get_raw_value(h);
	if (raw != NULL && mime_message_is_address(name)) {
		list = internet_address_list_parse(mime_options(), raw);
		if (list != NULL) {
			mime_message_add_addresses(&b, list, 0);
			g_object_unref(list);
		}
	}
	if (b.len == 0 && (value = g_mime_header_get_value(h)) != NULL)
		buf_addstr(&b, value);
	s = mime_fix_utf8(b.data, b.len, NULL);
	buf_release(&b);
	return (s);
}

/*
 * Looks name up in the cache of decoded headers, decoding it on first use;
 * a header the message lacks is cached as NULL too.
 */
const char *
mime_message_header(struct mime_message *m, const char *name)
{
	struct mime_header	*h;
	size_t			 i;

	if (m == NULL || name == NULL)
		return (NULL);
	for (i = 0; i < m->n_headers; i++) {
		if (strcasecmp(m->headers[i].name, name) == 0)
			return (m->headers[i].value);
	}
	m->headers = xreallocarray(m->headers, m->n_headers + 1,
	    sizeof *m->headers);
	h = &m->headers[m->n_headers++];
	h->name = xstrdup(name);
	h->value = mime_message_get_header(GMIME_OBJECT(m->gm), name);
	return (h->value);
}

/*
 * The i-th header in the order the message has them, every occurrence,
 * decoded like mime_message_header(); 0 past the last.
 */
int
mime_message_header_at(struct mime_message *m, size_t i, char **name,
    char **value)
{
	GMimeHeaderList	*headers;
	GMimeHeader	*h;
	const char	*n, *v;

	*name = *value = NULL;
	if (m == NULL || (headers = g_mime_object_get_header_list(
	    GMIME_OBJECT(m->gm))) == NULL ||
	    i >= (size_t)g_mime_header_list_get_count(headers))
		return (0);
	h = g_mime_header_list_get_header_at(headers, (int)i);
	n = g_mime_header_get_name(h);
	*name = mime_fix_utf8(n != NULL ? n : "", n != NULL ? strlen(n) : 0,
	    NULL);
	if (mime_message_is_address(*name)) {
		/* Decoded as an address list; a repeat shows the first. */
		v = mime_message_header(m, *name);
		*value = xstrdup(v != NULL ? v : "");
	} else {
		v = g_mime_header_get_value(h);
		*value = mime_fix_utf8(v != NULL ? v : "", v != NULL ?
		    strlen(v) : 0, NULL);
	}
	return (1);
}

/* The Date header was read by GMime at parse time. */
time_t
mime_message_date(const struct mime_message *m)
{
	if (m == NULL)
		return (-1);
	return (m->date);
}

/* The lower-case "type/subtype" of obj, for the caller to free. */
static char *
mime_message_type(GMimeObject *obj)
{
	GMimeContentType	*ct;
	char			*mt, *s, *p;

	ct = obj != NULL ? g_mime_object_get_content_type(obj) : NULL;
	if (ct == NULL)
		return (xstrdup("text/plain"));
	mt = g_mime_content_type_get_mime_type(ct);
	s = mime_fix_utf8(mt, strlen(mt), NULL);
	g_free(mt);
	for (p = s; *p != '\0'; p++)
		*p = tolower((unsigned char)*p);
	return (s);
}

/*
 * Appends a block of kind about obj, zeroed but for its content type, and
 * returns it; the pointer is good until the next block is added.
 */
static struct mime_block *
mime_message_block(struct mime_walk *w, enum mime_block_kind kind,
    GMimeObject *obj)
{
	struct mime_render	*r = w->r;
	struct mime_block	*b;

	if (r->n_blocks == w->size) {
		w->size = w->size == 0 ? 8 : w->size * 2;
		r->blocks = xreallocarray(r->blocks, w->size, sizeof *b);
	}
	b = &r->blocks[r->n_blocks++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	b->content_type = mime_message_type(obj);
	if (kind == MIME_BLOCK_ATTACHMENT && ++w->attachments == w->want)
		w->found = obj;
	return (b);
}

static void __attribute__((format(printf, 3, 4)))
mime_message_note(struct mime_walk *w, GMimeObject *obj, const char *fmt,
    ...)
{
	struct mime_block	*b;
	va_list			 ap;

	b = mime_message_block(w, MIME_BLOCK_NOTE, obj);
	va_start(ap, fmt);
	(void)xvasprintf(&b->text, fmt, ap);
	va_end(ap);
}

/*
 * Checked before anything is decoded for a block: once MIME_MAX_PARTS
 * blocks are out, one note says the rest is not shown and the walk stops.
 */
static int
mime_message_room(struct mime_walk *w, GMimeObject *obj)
{
	if (w->stopped)
		return (-1);
	if (w->r->n_blocks < MIME_MAX_PARTS)
		return (0);
	mime_message_note(w, obj,
	    "more than %d parts: the rest of the message is not shown",
	    MIME_MAX_PARTS);
	w->stopped = 1;
	return (-1);
}

/* Turns CRLF into LF in place. */
static void
mime_message_crlf(char *s)
{
	char	*o;

	if ((s = strchr(s, '\r')) == NULL)
		return;
	for (o = s; *s != '\0'; s++) {
		if (s[0] == '\r' && s[1] == '\n')
			continue;
		*o++ = *s;
	}
	*o = '\0';
}

/*
 * Makes text end with a newline (the one before a boundary belongs to the
 * boundary), so that every text block does; returns it, maybe moved.
 */
static char *
mime_message_endline(char *text)
{
	size_t	len = strlen(text);
	char	*s;

	if (len > 0 && text[len - 1] == '\n')
		return (text);
	xasprintf(&s, "%s\n", text);
	free(text);
	return (s);
}

/* Whether s holds anything but white space. */
static int
mime_message_blank(const char *s)
{
	for (; *s != '\0'; s++) {
		if (!isspace((unsigned char)*s))
			return (0);
	}
	return (1);
}

/* The content of part with its transfer encoding undone, in a stream. */
static GMimeStream *
mime_message_content(GMimePart *part)
{
	GMimeDataWrapper	*content;
	GMimeStream		*stream;

	stream = g_mime_stream_mem_new();
	if ((content = g_mime_part_get_content(part)) != NULL)
		(void)g_mime_data_wrapper_write_to_stream(content, stream);
	return (stream);
}

/* The decoded size of part, counted without keeping the bytes. */
static size_t
mime_message_size(GMimePart *part)
{
	GMimeDataWrapper	*content;
	GMimeStream		*stream;
	size_t			 size;

	if ((content = g_mime_part_get_content(part)) == NULL)
		return (0);
	stream = g_mime_stream_null_new();
	(void)g_mime_data_wrapper_write_to_stream(content, stream);
	size = GMIME_STREAM_NULL(stream)->written;
	g_object_unref(stream);
	return (size);
}

/*
 * The file name of obj (Content-Disposition filename, else Content-Type
 * name; GMime has undone RFC 2231 and RFC 2047), or NULL.
 */
static char *
mime_message_filename(GMimeObject *obj)
{
	const char	*name;

	if (GMIME_IS_PART(obj))
		name = g_mime_part_get_filename(GMIME_PART(obj));
	else {
		name = g_mime_object_get_content_disposition_parameter(obj,
		    "filename");
		if (name == NULL)
			name = g_mime_object_get_content_type_parameter(obj,
			    "name");
	}
	if (name == NULL || *name == '\0')
		return (NULL);
	return (mime_fix_utf8(name, strlen(name), NULL));
}

static const struct mime_html_filter	*mime_html;
static int				 mime_html_ready = -1;

void
mime_set_html_filter(const struct mime_html_filter *f)
{
	mime_html = f;
	mime_html_ready = -1;
}

/* Whether HTML goes through the outside filter; asked of it once. */
static int
mime_html_active(void)
{
	if (mime_html == NULL)
		return (0);
	if (mime_html_ready == -1)
		mime_html_ready = mime_html->ready(mime_html->arg) ? 1 : 0;
	return (mime_html_ready);
}

/* HTML as text: through the outside filter if there is one and it works
 * (*failed set to why it did not), else the built-in conversion. */
static char *
mime_message_html(const char *html, size_t len, char **failed)
{
	char	*out, *text;
	size_t	 n;

	*failed = NULL;
	if (mime_html_active() &&
	    (out = mime_html->run(html, len, mime_html->arg, failed)) != NULL) {
		/* Its output is the filter's, so check it is UTF-8. */
		text = mime_to_utf8(out, strlen(out), "utf-8", &n);
		free(out);
		mime_message_crlf(text);
		return (text);
	}
	return (mime_html_to_text(html, len));
}

/* Parts shown as text when inline: any text type and the readable reports. */
static int
mime_message_is_text(GMimeContentType *ct)
{
	if (g_mime_content_type_is_type(ct, "text", "calendar"))
		return (0);
	return (g_mime_content_type_is_type(ct, "text", "*") ||
	    g_mime_content_type_is_type(ct, "message", "delivery-status") ||
	    g_mime_content_type_is_type(ct, "message",
	    "global-delivery-status") ||
	    g_mime_content_type_is_type(ct, "message",
	    "disposition-notification") ||
	    g_mime_content_type_is_type(ct, "message", "feedback-report"));
}

/*
 * A leaf: text (HTML converted) when it is inline text, else an
 * attachment.  Blank text makes no block at all.
 */
static void
mime_message_walk_part(struct mime_walk *w, GMimePart *part)
{
	GMimeObject		*obj = GMIME_OBJECT(part);
	GMimeContentType	*ct;
	GMimeStream		*stream;
	GByteArray		*bytes;
	struct mime_block	*b;
	char			*text, *html, *failed;
	size_t			 len;
	int			 is_html;

	if (mime_message_room(w, obj) != 0)
		return;
	ct = g_mime_object_get_content_type(obj);
	if (ct == NULL || !mime_message_is_text(ct) ||
	    g_mime_part_is_attachment(part)) {
		b = mime_message_block(w, MIME_BLOCK_ATTACHMENT, obj);
		b->filename = mime_message_filename(obj);
		b->size = mime_message_size(part);
		return;
	}

	stream = mime_message_content(part);
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream));
	text = mime_to_utf8((const char *)bytes->data, bytes->len,
	    g_mime_content_type_get_parameter(ct, "charset"), &len);
	g_object_unref(stream);

	is_html = g_mime_content_type_is_type(ct, "text", "html");
	if (is_html) {
		html = text;
		text = mime_message_html(html, len, &failed);
		free(html);
		if (failed != NULL) {
			mime_message_note(w, obj, "HTML filter failed (%s); "
			    "built-in conversion", failed);
			free(failed);
		}
	} else
		mime_message_crlf(text);
	if (mime_message_blank(text)) {
		free(text);
		return;
	}
	b = mime_message_block(w, MIME_BLOCK_TEXT, obj);
	b->text = mime_message_endline(text);
	b->filename = mime_message_filename(obj);
	b->from_html = is_html;
}

/*
 * A multipart GMime found no parts in (its boundary never appears, or it
 * has none): everything after its headers is in the prologue, so that is
 * what the user sees.
 */
static void
mime_message_walk_prologue(struct mime_walk *w, GMimeMultipart *mp)
{
	GMimeObject		*obj = GMIME_OBJECT(mp);
	struct mime_block	*b;
	const char		*prologue;
	char			*text;
	char			*type;

	if (mime_message_room(w, obj) != 0)
		return;
	prologue = g_mime_multipart_get_prologue(mp);
	if (prologue == NULL || mime_message_blank(prologue)) {
		type = mime_message_type(obj);
		mime_message_note(w, obj, "empty %s part", type);
		free(type);
		return;
	}
	text = mime_to_utf8(prologue, strlen(prologue), NULL, NULL);
	mime_message_crlf(text);
	b = mime_message_block(w, MIME_BLOCK_TEXT, NULL);
	b->text = mime_message_endline(text);
}

/* Whether obj is an inline (not attached) leaf of type/subtype. */
static int
mime_message_is_inline(GMimeObject *obj, const char *type,
    const char *subtype)
{
	GMimeContentType	*ct;

	if (!GMIME_IS_PART(obj) || g_mime_part_is_attachment(GMIME_PART(obj)))
		return (0);
	if ((ct = g_mime_object_get_content_type(obj)) == NULL)
		return (0);
	return (g_mime_content_type_is_type(ct, type, subtype));
}

/*
 * Shows one part of a multipart/alternative: text/plain if there is one,
 * else HTML, else the last part.  When the choice shows nothing (a blank
 * text/plain beside the real HTML is common), the next one is tried, HTML
 * first and then from the last part back.  text/calendar parts are not
 * alternatives to the text but the invitation itself (Outlook sends
 * text, HTML and calendar as one alternative), so each is shown too.
 */
static void
mime_message_walk_alternative(struct mime_walk *w, GMimeMultipart *mp,
    int depth)
{
	GMimeObject	*child, *plain = NULL, *html = NULL, **order;
	size_t		 before, n_order = 0, k;
	int		 i, n, filtered;

	n = g_mime_multipart_get_count(mp);
	order = xreallocarray(NULL, (size_t)n, sizeof *order);
	for (i = 0; i < n; i++) {
		child = g_mime_multipart_get_part(mp, i);
		if (plain == NULL &&
		    mime_message_is_inline(child, "text", "plain"))
			plain = child;
		else if (html == NULL &&
		    mime_message_is_inline(child, "text", "html"))
			html = child;
	}
	/* With an HTML filter the HTML is the better rendering. */
	filtered = html != NULL && mime_html_active();
	if (plain != NULL && !filtered)
		order[n_order++] = plain;
	if (html != NULL)
		order[n_order++] = html;
	if (plain != NULL && filtered)
		order[n_order++] = plain;
	for (i = n - 1; i >= 0; i--) {
		child = g_mime_multipart_get_part(mp, i);
		if (child != plain && child != html &&
		    !mime_message_is_inline(child, "text", "calendar"))
			order[n_order++] = child;
	}

	before = w->r->n_blocks;
	for (k = 0; k < n_order && w->r->n_blocks == before; k++)
		mime_message_walk(w, order[k], depth + 1);
	free(order);

	for (i = 0; i < n && !w->stopped; i++) {
		child = g_mime_multipart_get_part(mp, i);
		if (mime_message_is_inline(child, "text", "calendar"))
			mime_message_walk(w, child, depth + 1);
	}
}

static void
mime_message_walk_multipart(struct mime_walk *w, GMimeMultipart *mp,
    int depth)
{
	GMimeObject		*obj = GMIME_OBJECT(mp);
	GMimeContentType	*ct;
	int			 i, n;

	if ((n = g_mime_multipart_get_count(mp)) == 0) {
		mime_message_walk_prologue(w, mp);
		return;
	}
	ct = g_mime_object_get_content_type(obj);
	if (ct != NULL &&
	    g_mime_content_type_is_type(ct, "multipart", "alternative")) {
		mime_message_walk_alternative(w, mp, depth);
		return;
	}
	for (i = 0; i < n && !w->stopped; i++)
		mime_message_walk(w, g_mime_multipart_get_part(mp, i),
		    depth + 1);
}

/* Signed content is shown; the signature is not checked here. */
static void
mime_message_walk_signed(struct mime_walk *w, GMimeMultipart *mp,
    int depth)
{
	GMimeObject	*signature;
	char		*type;
	int		 n;

	if ((n = g_mime_multipart_get_count(mp)) == 0) {
		mime_message_walk_prologue(w, mp);
		return;
	}
	mime_message_walk(w, g_mime_multipart_get_part(mp,
	    GMIME_MULTIPART_SIGNED_CONTENT), depth + 1);
	if (n < 2) {
		if (mime_message_room(w, GMIME_OBJECT(mp)) == 0)
			mime_message_note(w, GMIME_OBJECT(mp),
			    "signed part without a signature");
		return;
	}
	signature = g_mime_multipart_get_part(mp,
	    GMIME_MULTIPART_SIGNED_SIGNATURE);
	if (mime_message_room(w, signature) != 0)
		return;
	type = mime_message_type(signature);
	mime_message_note(w, signature, "signature not verified (%s)", type);
	free(type);
}

/*
 * An attached message: a small block with its From, Subject and Date,
 * then its body like any other part.
 */
static void
mime_message_walk_message(struct mime_walk *w, GMimeMessagePart *mp,
    int depth)
{
	static const char	*names[] = { "From", "Subject", "Date", NULL };
	GMimeObject		*obj = GMIME_OBJECT(mp);
	GMimeMessage		*gm;
	struct mime_block	*b;
	struct buf		 summary;
	char			*value;
	size_t			 i;

	if (mime_message_room(w, obj) != 0)
		return;
	if ((gm = g_mime_message_part_get_message(mp)) == NULL) {
		b = mime_message_block(w, MIME_BLOCK_ATTACHMENT, obj);
		b->filename = mime_message_filename(obj);
		return;
	}
	buf_init(&summary);
	for (i = 0; names[i] != NULL; i++) {
		value = mime_message_get_header(GMIME_OBJECT(gm), names[i]);
		if (value != NULL) {
			buf_printf(&summary, "%s: %s\n", names[i], value);
			free(value);
		}
	}
	if (summary.len != 0) {
		b = mime_message_block(w, MIME_BLOCK_TEXT, obj);
		b->text = buf_detach(&summary, NULL);
		b->filename = mime_message_filename(obj);
	}
	buf_release(&summary);
	mime_message_walk(w, g_mime_message_get_mime_part(gm), depth + 1);
}

static void
mime_message_walk(struct mime_walk *w, GMimeObject *obj, int depth)
{
	GMimeApplicationPkcs7Mime	*pkcs7;
	char				*type;

	if (obj == NULL || w->stopped)
		return;
	if (depth > MIME_MAX_DEPTH) {
		if (mime_message_room(w, obj) != 0)
			return;
		type = mime_message_type(obj);
		mime_message_note(w, obj,
		    "%s nested deeper than %d levels not shown", type,
		    MIME_MAX_DEPTH);
		free(type);
		return;
	}

	if (GMIME_IS_MULTIPART_ENCRYPTED(obj)) {
		if (mime_message_room(w, obj) == 0)
			mime_message_note(w, obj, "encrypted part not shown "
			    "(multipart/encrypted)");
	} else if (GMIME_IS_MULTIPART_SIGNED(obj))
		mime_message_walk_signed(w, GMIME_MULTIPART(obj), depth);
	else if (GMIME_IS_MULTIPART(obj))
		mime_message_walk_multipart(w, GMIME_MULTIPART(obj), depth);
	else if (GMIME_IS_MESSAGE_PART(obj))
		mime_message_walk_message(w, GMIME_MESSAGE_PART(obj), depth);
	else if (GMIME_IS_APPLICATION_PKCS7_MIME(obj)) {
		if (mime_message_room(w, obj) != 0)
			return;
		pkcs7 = GMIME_APPLICATION_PKCS7_MIME(obj);
		switch (g_mime_application_pkcs7_mime_get_smime_type(pkcs7)) {
		case GMIME_SECURE_MIME_TYPE_SIGNED_DATA:
		case GMIME_SECURE_MIME_TYPE_CERTS_ONLY:
			mime_message_note(w, obj, "S/MIME signed part not "
			    "shown (application/pkcs7-mime)");
			break;
		default:
			mime_message_note(w, obj, "encrypted part not shown "
			    "(application/pkcs7-mime)");
			break;
		}
	} else if (GMIME_IS_PART(obj))
		mime_message_walk_part(w, GMIME_PART(obj));
	else if (mime_message_room(w, obj) == 0)
		(void)mime_message_block(w, MIME_BLOCK_ATTACHMENT, obj);
}

/*
 * Walks the tree from the top.  A message that gave no block at all (no
 * body, or only blank text) gets a note, so the pager never shows nothing.
 */
void
mime_message_render(struct mime_message *m, struct mime_render *r)
{
	struct mime_walk	 w;
	GMimeObject		*body;

	if (r == NULL)
		return;
	memset(r, 0, sizeof *r);
	if (m == NULL)
		return;

	memset(&w, 0, sizeof w);
	w.r = r;
	body = g_mime_message_get_mime_part(m->gm);
	mime_message_walk(&w, body, 0);
	if (r->n_blocks == 0)
		mime_message_note(&w, body, "empty message");
}

/*
 * The bytes of the n-th attachment block (from 1) of the render: a part
 * with its transfer encoding undone, an attached message as it was sent.
 * The same walk as mime_message_render(), so the numbers agree.
 */
int
mime_message_attachment(struct mime_message *m, size_t n, struct buf *out,
    char **cause)
{
	struct mime_render	 r;
	struct mime_walk	 w;
	GMimeObject		*obj;
	GMimeMessage		*gm;
	GMimeStream		*stream;
	GByteArray		*bytes;

	memset(&r, 0, sizeof r);
	memset(&w, 0, sizeof w);
	w.r = &r;
	w.want = n;
	if (m != NULL && n > 0)
		mime_message_walk(&w, g_mime_message_get_mime_part(m->gm), 0);
	if (w.found == NULL) {
		mime_render_release(&r);
		xcause(cause, "no attachment %zu in this message", n);
		return (-1);
	}
	obj = w.found;
	if (GMIME_IS_MESSAGE_PART(obj) && (gm = g_mime_message_part_get_message(
	    GMIME_MESSAGE_PART(obj))) != NULL)
		obj = GMIME_OBJECT(gm);		/* the message, not its wrapper */
	if (GMIME_IS_PART(obj))
		stream = mime_message_content(GMIME_PART(obj));
	else {
		stream = g_mime_stream_mem_new();
		(void)g_mime_object_write_to_stream(obj, NULL, stream);
	}
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream));
	buf_add(out, bytes->data, bytes->len);
	g_object_unref(stream);
	mime_render_release(&r);
	return (0);
}

void
mime_render_release(struct mime_render *r)
{
	size_t	i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n_blocks; i++) {
		free(r->blocks[i].text);
		free(r->blocks[i].content_type);
		free(r->blocks[i].filename);
	}
	free(r->blocks);
	memset(r, 0, sizeof *r);
}

/* State of one mime_message_calendars() walk. */
struct mime_calendars {
	void		(*fn)(const char *, size_t, void *);
	void		*arg;
	size_t		 n;
};

static void
mime_message_calendars_one(GMimeObject *parent, GMimeObject *obj,
    gpointer data)
{
	struct mime_calendars	*c = data;
	GMimeContentType	*ct;
	GMimeStream		*stream;
	GByteArray		*bytes;
	char			*name;
	size_t			 len;
	int			 want;

	(void)parent;
	if (!GMIME_IS_PART(obj) || c->n >= MIME_MAX_PARTS)
		return;
	ct = g_mime_object_get_content_type(obj);
	want = ct != NULL && (g_mime_content_type_is_type(ct, "text",
	    "calendar") || g_mime_content_type_is_type(ct, "application",
	    "ics"));
	if (!want && (name = mime_message_filename(obj)) != NULL) {
		len = strlen(name);
		want = len > 4 && strcasecmp(name + len - 4, ".ics") == 0;
		free(name);
	}
	if (!want)
		return;
	c->n++;
	stream = mime_message_content(GMIME_PART(obj));
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream));
	c->fn((const char *)bytes->data, bytes->len, c->arg);
	g_object_unref(stream);
}

size_t
mime_message_calendars(struct mime_message *m,
    void (*fn)(const char *, size_t, void *), void *arg)
{
	struct mime_calendars	 c;

	c.fn = fn;
	c.arg = arg;
	c.n = 0;
	g_mime_message_foreach(m->gm, mime_message_calendars_one, &c);
	return (c.n);
}
