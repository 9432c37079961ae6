/*
 * mime/mime.c: module set-up and the text conversions every file of mime/
 * needs.  GMime keeps global state (its charset tables and type registry),
 * so g_mime_init() runs once here and our parser options live beside it.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "core/core.h"
#include "mime/mime.h"
#include "private.h"

/* Tried in this order on raw 8-bit header text that names no charset. */
static const char *mime_fallback_charsets[] = {
	"UTF-8",
	"windows-1252",
	NULL
};

static GMimeParserOptions	*mime_parser_options;
static char			 mime_version_string[32];

#define MIME_MAX_CHARSET	64	/* longer charset names are unknown */

/*
 * Starts GMime and builds the parser options.  A second call does nothing,
 * so a test that initialises twice does not leak the options.
 */
void
mime_init(void)
{
	GMimeParserOptions	*o;

	if (mime_parser_options != NULL)
		return;
	g_mime_init();

	o = g_mime_parser_options_new();
	g_mime_parser_options_set_fallback_charsets(o, mime_fallback_charsets);
	g_mime_parser_options_set_rfc2047_compliance_mode(o,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_address_compliance_mode(o,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(o,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_allow_addresses_without_domain(o, TRUE);
	mime_parser_options = o;
	log_debug("mime: %s ready", mime_version());
}

/*
 * Releases what mime_init() set up.  Every struct mime_message must be
 * freed before, because GMime header lists point at our options.
 */
void
mime_shutdown(void)
{
	if (mime_parser_options == NULL)
		return;
	g_mime_parser_options_free(mime_parser_options);
	mime_parser_options = NULL;
	g_mime_shutdown();
}

/* The version of the GMime we run with (not the one we built against). */
const char *
mime_version(void)
{
	if (mime_version_string[0] == '\0') {
		(void)snprintf(mime_version_string, sizeof mime_version_string,
		    "GMime %u.%u.%u", gmime_major_version, gmime_minor_version,
		    gmime_micro_version);
	}
	return (mime_version_string);
}

GMimeParserOptions *
mime_options(void)
{
	if (mime_parser_options == NULL)
		fatalx("mime: used before mime_init()");
	return (mime_parser_options);
}

/*
 * Counts the bad bytes in data and the valid multibyte sequences, which
 * tell damaged UTF-8 apart from text in a single-byte charset.
 */
static size_t
mime_utf8_scan(const char *data, size_t len, size_t *multibyte)
{
	const unsigned char	*p = (const unsigned char *)data;
	size_t			 i = 0, n, bad = 0;

	if (multibyte != NULL)
		*multibyte = 0;
	while (i < len) {
		if (p[i] != '\0' && p[i] < 0x80) {
			i++;
			continue;
		}
		if (p[i] == '\0' || (n = text_utf8_len(p + i, len - i)) == 0) {
			bad++;
			i++;
			continue;
		}
		if (multibyte != NULL)
			(*multibyte)++;
		i += n;
	}
	return (bad);
}

char *
mime_fix_utf8(const char *data, size_t len, size_t *outlen)
{
	struct buf	 b;
	char		*s;

	buf_init(&b);
	if (data != NULL)
		text_utf8_repair(&b, data, len);
	s = buf_detach(&b, outlen);
	return (s);
}

/*
 * Converts data from charset to UTF-8 into out with iconv.  Strict: the
 * first bad sequence fails the conversion (1).  Lenient: bad input becomes
 * U+FFFD and conversion goes on.  -1 when iconv does not know charset.
 */
static int
mime_iconv(const char *charset, const char *data, size_t len, int strict,
    struct buf *out)
{
	iconv_t		 cd;
	char		 tmp[4096], *in, *o;
	size_t		 inleft, oleft, start;
	int		 rc = 0, error;

	if ((cd = iconv_open("UTF-8", charset)) == (iconv_t)-1)
		return (-1);
	start = out->len;
	in = (char *)data;
	inleft = len;
	while (inleft > 0) {
		o = tmp;
		oleft = sizeof tmp;
		if (iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1) {
			buf_add(out, tmp, o - tmp);
			continue;
		}
		error = errno;
		buf_add(out, tmp, o - tmp);
		if (error == E2BIG)
			continue;
		if (strict) {
			rc = 1;
			break;
		}
		/* EILSEQ skips a byte; EINVAL is a sequence cut at the end. */
		buf_addstr(out, TEXT_REPLACEMENT_UTF8);
		if (error == EINVAL)
			break;
		in++;
		inleft--;
	}
	if (rc == 0) {
		/* Stateful charsets (ISO-2022-JP) may owe a reset sequence. */
		o = tmp;
		oleft = sizeof tmp;
		if (iconv(cd, NULL, NULL, &o, &oleft) != (size_t)-1)
			buf_add(out, tmp, o - tmp);
	} else
		buf_truncate(out, start);
	iconv_close(cd);
	return (rc);
}

/*
 * Whether a charset name from a message is fit to pass to GMime and iconv:
 * short, and made of the characters charset names use.  GMime copies the
 * name onto the stack (alloca), so a name of megabytes would crash us.
 */
static int
mime_charset_ok(const char *charset)
{
	size_t	i;

	for (i = 0; charset[i] != '\0'; i++) {
		if (i == MIME_MAX_CHARSET)
			return (0);
		if (!isalnum((unsigned char)charset[i]) &&
		    strchr("-_.:+()", charset[i]) == NULL)
			return (0);
	}
	return (i != 0);
}

/* Whether a declared charset says nothing beyond "7-bit". */
static int
mime_charset_is_ascii(const char *canon)
{
	static const char	*names[] = {
		"us-ascii", "ascii", "ANSI_X3.4-1968", "iso646-us", "us", NULL
	};
	size_t			 i;

	for (i = 0; names[i] != NULL; i++) {
		if (strcasecmp(canon, names[i]) == 0)
			return (1);
	}
	return (0);
}

/*
 * A declared, known charset is trusted: bad bytes in it become U+FFFD.
 * Otherwise (none, "us-ascii" over 8-bit text, or a name iconv does not
 * know) the bytes are guessed: valid UTF-8 stays; damaged UTF-8 (with some
 * valid multibyte sequences) is repaired; else windows-1252 if it fits;
 * else they are repaired as UTF-8.
 */
char *
mime_to_utf8(const char *data, size_t len, const char *charset,
    size_t *outlen)
{
	struct buf	 b;
	const char	*canon, *name;
	size_t		 multibyte;
	char		*s;
	int		 rc = -1;

	if (data == NULL) {
		data = "";
		len = 0;
	}
	buf_init(&b);
	if (charset != NULL && mime_charset_ok(charset)) {
		canon = g_mime_charset_canon_name(charset);
		if (canon != NULL && strcasecmp(canon, "UTF-8") == 0) {
			text_utf8_repair(&b, data, len);
			rc = 0;
		} else if (canon != NULL && !mime_charset_is_ascii(canon)) {
			name = g_mime_charset_iconv_name(charset);
			if ((rc = mime_iconv(name, data, len, 1, &b)) == 1)
				rc = mime_iconv(name, data, len, 0, &b);
		}
	}
	if (rc != 0) {
		if (mime_utf8_scan(data, len, &multibyte) == 0 ||
		    multibyte != 0 ||
		    mime_iconv("CP1252", data, len, 1, &b) != 0)
			text_utf8_repair(&b, data, len);
	}
	/* iconv output is UTF-8, but may carry NULs from the input. */
	if (mime_utf8_scan(b.data, b.len, NULL) == 0)
		s = buf_detach(&b, outlen);
	else
		s = mime_fix_utf8(b.data, b.len, outlen);
	buf_release(&b);
	return (s);
}
