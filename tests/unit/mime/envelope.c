/*
 * tests/unit/mime/envelope.c: the envelope of a message to send (To, Cc,
 * Bcc, groups, duplicates, IDNA, limits) and the bytes sent without Bcc.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "mime/mime.h"
#include "tests/unit/tap.h"

/* The recipients of text joined by spaces, or "error: <cause>". */
static char *
rcpts(const char *text)
{
	struct mime_envelope	 e;
	struct buf		 b;
	char			*cause = NULL;
	size_t			 i;

	buf_init(&b);
	if (mime_envelope_read(text, strlen(text), &e, &cause) != 0) {
		buf_printf(&b, "error: %s", cause);
		free(cause);
		return (buf_detach(&b, NULL));
	}
	for (i = 0; i < e.n_rcpts; i++)
		buf_printf(&b, "%s%s", i == 0 ? "" : " ", e.rcpts[i]);
	if (e.rcpts[e.n_rcpts] != NULL)
		buf_addstr(&b, " (not NULL-terminated)");
	mime_envelope_release(&e);
	return (buf_detach(&b, NULL));
}

#define check_rcpts(text, want, name) do {				\
	char	*got_ = rcpts(text);					\
									\
	is_str(got_, (want), (name));					\
	free(got_);							\
} while (0)

static char *
strip(const char *text)
{
	struct buf	 b;

	buf_init(&b);
	mime_envelope_strip_bcc(text, strlen(text), &b);
	return (buf_detach(&b, NULL));
}

#define check_strip(text, want, name) do {				\
	char	*got_ = strip(text);					\
									\
	is_str(got_, (want), (name));					\
	free(got_);							\
} while (0)

int
main(void)
{
	struct mime_envelope	 e;
	struct buf		 b;
	const char		*text;
	char			*cause = NULL;
	int			 i;

	mime_init();

	check_rcpts("From: A <a@x.test>\nTo: B <b@x.test>, c@x.test\n"
	    "Cc: \"D, Jr\" <d@x.test>\nBcc: e@x.test\n\nbody\n",
	    "b@x.test c@x.test d@x.test e@x.test", "To, Cc and Bcc, in order");
	check_rcpts("To: Team: b@x.test, c@x.test;, f@x.test\n\n",
	    "b@x.test c@x.test f@x.test", "group members");
	check_rcpts("To: b@x.test, B@X.TEST\nCc: b@x.test\n\n", "b@x.test",
	    "duplicates once, compared caselessly");
	check_rcpts("To: =?UTF-8?Q?J=C3=B6rg?= <j@b\xc3\xbc" "cher.test>\n\n",
	    "j@xn--bcher-kva.test", "encoded name, domain in IDNA form");
	check_rcpts("Subject: none\n\nTo: b@x.test\n",
	    "error: the message has no recipients (no address in To, Cc or "
	    "Bcc)", "a To in the body does not count");
	check_rcpts("To: undisclosed-recipients:;\n\n",
	    "error: the message has no recipients (no address in To, Cc or "
	    "Bcc)", "an empty group is no recipient");
	check_rcpts("", "error: the message has no recipients (no address in "
	    "To, Cc or Bcc)", "empty message");

	buf_init(&b);
	buf_addstr(&b, "To: ");
	for (i = 0; i <= MIME_MAX_RECIPIENTS; i++)
		buf_printf(&b, "%su%d@x.test", i == 0 ? "" : ", ", i);
	buf_addstr(&b, "\n\n");
	ok(mime_envelope_read(b.data, b.len, &e, &cause) == -1 &&
	    cause != NULL && strcmp(cause, "the message has more than 1000 "
	    "recipients") == 0, "one recipient over the limit fails");
	free(cause);
	cause = NULL;
	buf_release(&b);

	text = "From: Al <al@x.test>\nSubject: =?UTF-8?B?w6TDtg==?=\n"
	    "To: b@x.test\n\n";
	ok(mime_envelope_read(text, strlen(text), &e, &cause) == 0 &&
	    e.from != NULL && strcmp(e.from, "al@x.test") == 0 &&
	    e.subject != NULL && strcmp(e.subject, "\xc3\xa4\xc3\xb6") == 0,
	    "From address and decoded Subject");
	mime_envelope_release(&e);
	ok(mime_envelope_read("To: b@x.test\n\n", 14, &e, NULL) == 0 &&
	    e.from == NULL && e.subject == NULL, "no From, no Subject: NULL");
	mime_envelope_release(&e);

	check_strip("From: a\nBcc: x@y\nTo: b\n\nBcc: body\n",
	    "From: a\nTo: b\n\nBcc: body\n", "Bcc removed, not in the body");
	check_strip("To: b\r\nBCC : x@y,\r\n\tz@y\r\nSubject: s\r\n\r\nhi",
	    "To: b\r\nSubject: s\r\n\r\nhi",
	    "folded Bcc, any case, CRLF, space before the colon");
	check_strip("Bccx: keep\nX-Bcc: keep\nTo: b\n\n",
	    "Bccx: keep\nX-Bcc: keep\nTo: b\n\n", "other fields are kept");
	check_strip("To: b\nBcc: x", "To: b\n", "a last line without newline");
	check_strip("", "", "empty");
	check_strip("Subject: no body", "Subject: no body", "no body at all");

	mime_shutdown();
	return (tap_done());
}
