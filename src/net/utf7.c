/*
 * net/utf7.c: IMAP's modified UTF-7 for mailbox names (RFC 3501 5.1.3).
 * Printable ASCII stands for itself, except "&", written "&-"; anything
 * else is UTF-16 in a base64 run between "&" and "-", with "," for "/".
 *
 * Decoding is strict, as a server's mailbox names are input: a name that
 * is not what a correct encoder would have written is refused, so that two
 * spellings can never decode to one name.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "net/net.h"
#include "private.h"

static const char utf7_b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

static int
utf7_value(char c)
{
	const char	*p;

	if (c == '\0' || (p = strchr(utf7_b64, c)) == NULL)
		return (-1);
	return ((int)(p - utf7_b64));
}

static void
utf7_put_utf8(struct buf *b, uint32_t cp)
{
	if (cp < 0x80)
		buf_addch(b, (int)cp);
	else if (cp < 0x800) {
		buf_addch(b, (int)(0xc0 | (cp >> 6)));
		buf_addch(b, (int)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		buf_addch(b, (int)(0xe0 | (cp >> 12)));
		buf_addch(b, (int)(0x80 | ((cp >> 6) & 0x3f)));
		buf_addch(b, (int)(0x80 | (cp & 0x3f)));
	} else {
		buf_addch(b, (int)(0xf0 | (cp >> 18)));
		buf_addch(b, (int)(0x80 | ((cp >> 12) & 0x3f)));
		buf_addch(b, (int)(0x80 | ((cp >> 6) & 0x3f)));
		buf_addch(b, (int)(0x80 | (cp & 0x3f)));
	}
}

/*
 * Decodes the base64 run at *pp (just after "&") up to its "-" into b;
 * -1 when it is malformed.
 */
static int
utf7_decode_run(const char **pp, struct buf *b)
{
	const char	*p = *pp;
	uint32_t	 bits = 0, u, high = 0;
	int		 nbits = 0, v, units = 0;

	for (; *p != '-'; p++) {
		if ((v = utf7_value(*p)) == -1)
			return (-1);
		bits = (bits << 6) | (uint32_t)v;
		nbits += 6;
		if (nbits < 16)
			continue;
		nbits -= 16;
		u = (bits >> nbits) & 0xffff;
		bits &= (1U << nbits) - 1;
		units++;
		if (high != 0) {
			if (u < 0xdc00 || u > 0xdfff)
				return (-1);
			utf7_put_utf8(b, 0x10000 + ((high - 0xd800) << 10) +
			    (u - 0xdc00));
			high = 0;
		} else if (u >= 0xd800 && u <= 0xdbff)
			high = u;
		else if (u >= 0xdc00 && u <= 0xdfff)
			return (-1);
		else if (u == 0 || (u >= 0x20 && u <= 0x7e))
			return (-1);	/* NUL, or ASCII that is itself */
		else
			utf7_put_utf8(b, u);
	}
	/* Leftover bits must be padding: fewer than 6, all zero. */
	if (units == 0 || high != 0 || nbits >= 6 || bits != 0)
		return (-1);
	*pp = p + 1;
	return (0);
}

char *
utf7_decode(const char *s)
{
	struct buf	 b;
	const char	*p = s;

	buf_init(&b);
	while (*p != '\0') {
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			goto fail;
		if (*p != '&') {
			buf_addch(&b, *p++);
			continue;
		}
		p++;
		if (*p == '-') {
			buf_addch(&b, '&');
			p++;
			continue;
		}
		if (utf7_decode_run(&p, &b) != 0)
			goto fail;
		/* Two runs in a row should have been one. */
		if (p[0] == '&' && p[1] != '-')
			goto fail;
	}
	return (buf_detach(&b, NULL));

fail:
	buf_release(&b);
	return (NULL);
}

/* The code point of the UTF-8 sequence at p, U+FFFD if malformed. */
static uint32_t
utf7_next(const char **pp)
{
	const unsigned char	*p = (const unsigned char *)*pp;
	size_t			 n;

	n = text_utf8_len(p, strlen(*pp));
	if (n == 0) {
		(*pp)++;
		return (0xfffd);
	}
	*pp += n;
	switch (n) {
	case 1:
		return (p[0]);
	case 2:
		return (((uint32_t)(p[0] & 0x1f) << 6) | (p[1] & 0x3f));
	case 3:
		return (((uint32_t)(p[0] & 0x0f) << 12) |
		    ((uint32_t)(p[1] & 0x3f) << 6) | (p[2] & 0x3f));
	default:
		return (((uint32_t)(p[0] & 0x07) << 18) |
		    ((uint32_t)(p[1] & 0x3f) << 12) |
		    ((uint32_t)(p[2] & 0x3f) << 6) | (p[3] & 0x3f));
	}
}

static void
utf7_put_unit(struct buf *b, uint32_t u, uint32_t *bits, int *nbits)
{
	*bits = (*bits << 16) | u;
	*nbits += 16;
	while (*nbits >= 6) {
		*nbits -= 6;
		buf_addch(b, utf7_b64[(*bits >> *nbits) & 0x3f]);
	}
	*bits &= (1U << *nbits) - 1;
}

/* Flushes the last bits, zero-padded to a base64 digit, and ends a run. */
static void
utf7_end_run(struct buf *b, uint32_t *bits, int *nbits)
{
	if (*nbits > 0)
		buf_addch(b, utf7_b64[(*bits << (6 - *nbits)) & 0x3f]);
	buf_addch(b, '-');
	*bits = 0;
	*nbits = 0;
}

/* Malformed UTF-8 becomes U+FFFD: a folder name must still go out. */
char *
utf7_encode(const char *s)
{
	struct buf	 b;
	const char	*p = s;
	uint32_t	 cp, bits = 0;
	int		 nbits = 0, inrun = 0;

	buf_init(&b);
	while (*p != '\0') {
		if ((unsigned char)*p >= 0x20 && (unsigned char)*p <= 0x7e) {
			if (inrun)
				utf7_end_run(&b, &bits, &nbits);
			inrun = 0;
			if (*p == '&')
				buf_addstr(&b, "&-");
			else
				buf_addch(&b, *p);
			p++;
			continue;
		}
		cp = utf7_next(&p);
		if (!inrun) {
			buf_addch(&b, '&');
			inrun = 1;
		}
		if (cp >= 0x10000) {
			cp -= 0x10000;
			utf7_put_unit(&b, 0xd800 | (cp >> 10), &bits, &nbits);
			utf7_put_unit(&b, 0xdc00 | (cp & 0x3ff), &bits, &nbits);
		} else
			utf7_put_unit(&b, cp, &bits, &nbits);
	}
	if (inrun)
		utf7_end_run(&b, &bits, &nbits);
	return (buf_detach(&b, NULL));
}
