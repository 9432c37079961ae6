/*
 * mime/itip.c: iMIP (RFC 6047), an iTIP object as mail.  The headers and
 * the text part are made by mime_compose_build(), so an answer to an
 * invitation is checked and encoded exactly like any other message; the
 * built message is then read back and its body becomes a
 * multipart/alternative of that text part and the text/calendar part.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>

#include "core/core.h"
#include "mime/mime.h"
#include "private.h"

#define MIME_ITIP_MAX_LINE	998	/* RFC 5322 2.1.1 */
#define MIME_ITIP_MAX_REFS	20	/* as MIME_COMPOSE_MAX_REFERENCES */

/* "Name <addr>" (or "addr"), the name quoted as an address list needs and
 * with its controls turned into spaces, for the caller to free. */
static char *
mime_itip_address(const char *name, const char *addr)
{
	struct buf	 b;
	char		*clean, *p;

	buf_init(&b);
	if (name != NULL && *name != '\0') {
		clean = xstrdup(name);
		for (p = clean; *p != '\0'; p++) {
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = ' ';
		}
		mime_message_add_name(&b, clean);
		free(clean);
		buf_printf(&b, " <%s>", addr);
	} else
		buf_addstr(&b, addr);
	return (buf_detach(&b, NULL));
}

/*
 * In-Reply-To and References for an answer to orig: its Message-ID after
 * its References (or In-Reply-To), at most MIME_ITIP_MAX_REFS, the first
 * kept.  Nothing when orig has no Message-ID.
 */
static void
mime_itip_ids(struct mime_message *orig, struct mime_draft *d)
{
	GMimeMessage	*gm = mime_message_gmime(orig);
	GMimeReferences	*refs = NULL;
	const char	*text, *msgid;
	struct buf	 b;
	int		 n, i;

	if (gm == NULL || (msgid = g_mime_message_get_message_id(gm)) == NULL ||
	    *msgid == '\0' || strpbrk(msgid, "<> \t\r\n") != NULL)
		return;
	xasprintf(&d->in_reply_to, "<%s>", msgid);
	if ((text = g_mime_object_get_header(GMIME_OBJECT(gm),
	    "References")) == NULL)
		text = g_mime_object_get_header(GMIME_OBJECT(gm),
		    "In-Reply-To");
	if (text != NULL)
		refs = g_mime_references_parse(mime_options(), text);
	n = refs != NULL ? g_mime_references_length(refs) : 0;
	buf_init(&b);
	for (i = 0; i < n; i++) {
		text = g_mime_references_get_message_id(refs, i);
		if (strcmp(text, msgid) == 0 || strpbrk(text, "<> \t") != NULL)
			continue;
		/* The first, then the newest that fit. */
		if (i != 0 && i < n - (MIME_ITIP_MAX_REFS - 2))
			continue;
		buf_printf(&b, "<%s> ", text);
	}
	buf_printf(&b, "<%s>", msgid);
	d->references = buf_detach(&b, NULL);
	if (refs != NULL)
		g_mime_references_free(refs);
}

/* The calendar with LF line ends (the sender makes CRLF), and whether it
 * needs quoted-printable: an 8-bit byte or a line over 998 bytes. */
static char *
mime_itip_calendar(const char *s, size_t len, size_t *outlen, int *qp)
{
	struct buf	 b;
	size_t		 i, col = 0;

	*qp = 0;
	buf_init(&b);
	for (i = 0; i < len; i++) {
		if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
			continue;
		buf_addch(&b, s[i]);
		if (s[i] == '\n') {
			col = 0;
			continue;
		}
		if ((unsigned char)s[i] >= 0x80 || ++col > MIME_ITIP_MAX_LINE)
			*qp = 1;
	}
	return (buf_detach(&b, outlen));
}

/*
 * The text/calendar part: "charset=UTF-8; method=M" (RFC 6047 2.4).  The
 * bytes go in as they are: GMime's text part would pick a smaller
 * charset for them.
 */
static GMimeObject *
mime_itip_part(const struct mime_itip *it)
{
	GMimePart		*part;
	GMimeStream		*mem;
	GMimeDataWrapper	*content;
	char			*text;
	size_t			 len;
	int			 qp;

	text = mime_itip_calendar(it->calendar, it->calendar_len, &len, &qp);
	mem = g_mime_stream_mem_new();
	(void)g_mime_stream_write(mem, text, len);
	(void)g_mime_stream_reset(mem);
	free(text);
	content = g_mime_data_wrapper_new_with_stream(mem,
	    GMIME_CONTENT_ENCODING_DEFAULT);
	g_object_unref(mem);
	part = g_mime_part_new_with_type("text", "calendar");
	g_mime_object_set_content_type_parameter(GMIME_OBJECT(part), "charset",
	    "UTF-8");
	g_mime_object_set_content_type_parameter(GMIME_OBJECT(part), "method",
	    it->method);
	g_mime_part_set_content(part, content);
	g_object_unref(content);
	g_mime_part_set_content_encoding(part, qp ?
	    GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE :
	    GMIME_CONTENT_ENCODING_7BIT);
	return (GMIME_OBJECT(part));
}

/* Whether s is an iTIP method name: letters, digits and '-'. */
static int
mime_itip_method_ok(const char *s)
{
	if (s == NULL || *s == '\0' || strlen(s) > 64)
		return (0);
	return (s[strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-")] == '\0');
}

int
mime_itip_build(const struct mime_itip *it, struct mime_message *orig,
    time_t now, char **out, size_t *outlen, char **cause)
{
	struct mime_draft	 d;
	struct mime_message	*m = NULL;
	GMimeMessage		*gm;
	GMimeMultipart		*alt = NULL;
	GMimeObject		*text, *cal;
	GMimeFormatOptions	*fo = NULL;
	GMimeStream		*stream;
	GByteArray		*bytes;
	char			*plain = NULL;
	size_t			 len, i;
	int			 rc = -1;

	*out = NULL;
	if (outlen != NULL)
		*outlen = 0;
	if (!mime_itip_method_ok(it->method)) {
		xcause(cause, "'%s' is not an iTIP method",
		    it->method != NULL ? it->method : "");
		return (-1);
	}
	if (it->calendar == NULL || it->calendar_len == 0 ||
	    memchr(it->calendar, '\0', it->calendar_len) != NULL) {
		xcause(cause, "no calendar text to send");
		return (-1);
	}
	if (it->from_addr == NULL || it->to_addr == NULL) {
		xcause(cause, "an iTIP message needs a sender and a recipient");
		return (-1);
	}
	mime_draft_init(&d);
	d.from = mime_itip_address(it->from_name, it->from_addr);
	d.to = mime_itip_address(it->to_name, it->to_addr);
	d.subject = xstrdup(it->subject != NULL ? it->subject : "");
	d.body = xstrdup(it->text != NULL ? it->text : "");
	if (orig != NULL)
		mime_itip_ids(orig, &d);
	if (mime_compose_build(&d, NULL, 0, NULL, now, 0, &plain, &len,
	    cause) != 0)
		goto out;
	if ((m = mime_message_parse(plain, len, cause)) == NULL)
		goto out;
	gm = mime_message_gmime(m);
	if ((text = g_mime_message_get_mime_part(gm)) == NULL) {
		xcause(cause, "the built message has no body");
		goto out;
	}
	alt = g_mime_multipart_new_with_subtype("alternative");
	g_mime_multipart_add(alt, text);
	cal = mime_itip_part(it);
	g_mime_multipart_add(alt, cal);
	g_object_unref(cal);
	g_mime_message_set_mime_part(gm, GMIME_OBJECT(alt));

	fo = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_UNIX);
	stream = g_mime_stream_mem_new();
	(void)g_mime_object_write_to_stream(GMIME_OBJECT(gm), fo, stream);
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream));
	for (i = 0; i < bytes->len; i++) {
		if (bytes->data[i] >= 0x80 || bytes->data[i] == '\0')
			break;
	}
	if (i == bytes->len) {
		*out = xmalloc(bytes->len + 1);
		memcpy(*out, bytes->data, bytes->len);
		(*out)[bytes->len] = '\0';
		if (outlen != NULL)
			*outlen = bytes->len;
		rc = 0;
	} else
		xcause(cause, "built message is not fit to send (8-bit byte)");
	g_object_unref(stream);
out:
	if (fo != NULL)
		g_mime_format_options_free(fo);
	if (alt != NULL)
		g_object_unref(alt);
	mime_message_free(m);
	free(plain);
	mime_draft_release(&d);
	return (rc);
}
