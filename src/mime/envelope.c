/*
 * mime/envelope.c: what sending needs from a message ready to go out: the
 * envelope (the sender's address and every recipient of To, Cc and Bcc,
 * groups included) and the bytes to send, which are the message without
 * its Bcc headers.  The addresses are read by GMime, through the same
 * parse as display (mime_message_parse()); the Bcc lines are cut from the
 * raw bytes so that everything else goes out exactly as written.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "core/core.h"
#include "mime/mime.h"
#include "private.h"

/* Groups nest only this deep (RFC 5322 forbids nesting at all). */
#define MIME_ENVELOPE_DEPTH	2

/* Adds addr unless it is there already (addresses compare caselessly). */
static int
mime_envelope_add(struct mime_envelope *e, const char *addr, char **cause)
{
	size_t	 i;

	for (i = 0; i < e->n_rcpts; i++) {
		if (strcasecmp(e->rcpts[i], addr) == 0)
			return (0);
	}
	if (e->n_rcpts == MIME_MAX_RECIPIENTS) {
		xcause(cause, "the message has more than %d recipients",
		    MIME_MAX_RECIPIENTS);
		return (-1);
	}
	e->rcpts = xreallocarray(e->rcpts, e->n_rcpts + 2, sizeof *e->rcpts);
	e->rcpts[e->n_rcpts++] = xstrdup(addr);
	e->rcpts[e->n_rcpts] = NULL;
	return (0);
}

/*
 * The bare address of a mailbox, its domain in IDNA form; NULL when the
 * mailbox has none (a display name alone, "undisclosed-recipients:;").
 */
static const char *
mime_envelope_addr(InternetAddress *ia)
{
	const char	*addr;

	addr = internet_address_mailbox_get_idn_addr(
	    INTERNET_ADDRESS_MAILBOX(ia));
	if (addr == NULL || *addr == '\0')
		return (NULL);
	return (addr);
}

static int
mime_envelope_list(struct mime_envelope *e, InternetAddressList *list,
    int depth, char **cause)
{
	InternetAddress		*ia;
	InternetAddressList	*members;
	const char		*addr;
	int			 i, n;

	if (list == NULL)
		return (0);
	n = internet_address_list_length(list);
	for (i = 0; i < n; i++) {
		ia = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			members = internet_address_group_get_members(
			    INTERNET_ADDRESS_GROUP(ia));
			if (depth < MIME_ENVELOPE_DEPTH &&
			    mime_envelope_list(e, members, depth + 1,
			    cause) != 0)
				return (-1);
			continue;
		}
		if (!INTERNET_ADDRESS_IS_MAILBOX(ia) ||
		    (addr = mime_envelope_addr(ia)) == NULL)
			continue;
		if (mime_envelope_add(e, addr, cause) != 0)
			return (-1);
	}
	return (0);
}

int
mime_envelope_read(const char *data, size_t len, struct mime_envelope *e,
    char **cause)
{
	static const GMimeAddressType	 types[] = {
		GMIME_ADDRESS_TYPE_TO,
		GMIME_ADDRESS_TYPE_CC,
		GMIME_ADDRESS_TYPE_BCC,
	};
	struct mime_message		*m;
	GMimeMessage			*gm;
	InternetAddressList		*from;
	InternetAddress			*ia;
	const char			*subject, *addr;
	size_t				 i;

	memset(e, 0, sizeof *e);
	if ((m = mime_message_parse(data, len, cause)) == NULL)
		return (-1);
	gm = mime_message_gmime(m);
	for (i = 0; i < sizeof types / sizeof types[0]; i++) {
		if (mime_envelope_list(e, g_mime_message_get_addresses(gm,
		    types[i]), 0, cause) != 0) {
			mime_message_free(m);
			mime_envelope_release(e);
			return (-1);
		}
	}
	from = g_mime_message_get_from(gm);
	if (from != NULL && internet_address_list_length(from) > 0) {
		ia = internet_address_list_get_address(from, 0);
		if (INTERNET_ADDRESS_IS_MAILBOX(ia) &&
		    (addr = mime_envelope_addr(ia)) != NULL)
			e->from = xstrdup(addr);
	}
	if ((subject = mime_message_header(m, "Subject")) != NULL)
		e->subject = xstrdup(subject);
	mime_message_free(m);
	if (e->n_rcpts == 0) {
		xcause(cause, "the message has no recipients (no address in "
		    "To, Cc or Bcc)");
		mime_envelope_release(e);
		return (-1);
	}
	return (0);
}

void
mime_envelope_release(struct mime_envelope *e)
{
	size_t	 i;

	for (i = 0; i < e->n_rcpts; i++)
		free(e->rcpts[i]);
	free(e->rcpts);
	free(e->from);
	free(e->subject);
	memset(e, 0, sizeof *e);
}

/* Whether the header line at p (n bytes) is a Bcc field. */
static int
mime_envelope_is_bcc(const char *p, size_t n)
{
	size_t	 i = 3;

	if (n < 4 || strncasecmp(p, "Bcc", 3) != 0)
		return (0);
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	return (i < n && p[i] == ':');
}

void
mime_envelope_strip_bcc(const char *data, size_t len, struct buf *out)
{
	const char	*p = data, *end = data + len, *nl;
	size_t		 n;
	int		 skip = 0;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		/* The empty line: the header ends, the rest goes as it is. */
		if (n == 1 || (n == 2 && p[0] == '\r'))
			break;
		if (p[0] == ' ' || p[0] == '\t') {
			if (!skip)
				buf_add(out, p, n);
		} else {
			skip = mime_envelope_is_bcc(p, n);
			if (!skip)
				buf_add(out, p, n);
		}
		p += n;
	}
	buf_add(out, p, (size_t)(end - p));
}
