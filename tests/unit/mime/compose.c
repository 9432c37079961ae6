/*
 * tests/unit/mime/compose.c: the editor file, building messages, replies
 * and forwards, through mime/mime.h only.  Built messages are parsed back
 * with mime/message.c and compared.  The reply cases run on real threads
 * copied into tests/unit/mime/data (see its README), so they need no
 * corpus.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/core.h"
#include "mime/mime.h"

#include "../tap.h"
#include "../mimetest.h"

#define NOW	1772532000	/* Tue, 3 Mar 2026 10:00:00 UTC */

static const struct mime_identity identity = {
	"Alice Example <alice@example.org>", NULL
};

/* Whether every byte is 7-bit, no NUL, and no line over 998 bytes. */
static int
sendable(const char *s, size_t len)
{
	size_t	i, col = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '\n') {
			col = 0;
			continue;
		}
		if (s[i] == '\0' || (unsigned char)s[i] >= 0x80 || ++col > 998)
			return (0);
	}
	return (1);
}

/* Whether the header block of msg (up to the first blank line) holds s. */
static int
in_headers(const char *msg, const char *s)
{
	const char	*end, *p;

	end = strstr(msg, "\n\n");
	p = strstr(msg, s);
	return (p != NULL && (end == NULL || p < end));
}

static struct mime_message *
load(const char *name)
{
	struct mime_message	*m;
	const char		*top;
	char			*path, *cause = NULL;

	if ((top = getenv("top_srcdir")) == NULL)
		top = ".";
	xasprintf(&path, "%s/tests/unit/mime/data/%s", top, name);
	if ((m = mime_message_parse_file(path, &cause)) == NULL) {
		diag("%s: %s", path, cause != NULL ? cause : "?");
		free(cause);
	}
	free(path);
	return (m);
}

/* Whether got starts with want; shows got when it does not. */
static int
starts(const char *got, const char *want, const char *name)
{
	int	same;

	same = got != NULL && strncmp(got, want, strlen(want)) == 0;
	if (!ok(same, name))
		diag("got '%s'", got != NULL ? got : "(null)");
	return (same);
}

/* Parses text as a draft; on failure the cause is in *cause. */
static int
parse_draft(const char *text, struct mime_draft *d, char **cause)
{
	*cause = NULL;
	return (mime_draft_parse(text, strlen(text), d, cause));
}

/* A draft parse that must fail with a cause containing want. */
static void
draft_fails(const char *text, const char *want, const char *name)
{
	struct mime_draft	 d;
	char			*cause = NULL;
	int			 rc;

	rc = parse_draft(text, &d, &cause);
	if (!ok(rc == -1 && cause != NULL && strstr(cause, want) != NULL,
	    name))
		diag("rc %d, cause '%s'", rc, cause != NULL ? cause : "");
	free(cause);
}

static void
test_draft(void)
{
	struct mime_draft	 d, d2;
	char			*cause, *text, *again;
	size_t			 len;

	ok(parse_draft("From: Alice Example <alice@example.org>\n"
	    "To: \"Smith, Bob\" <bob@example.com>,\n"
	    "\tCarol <carol@example.net>\n"
	    "Cc:\n"
	    "Subject: Grüße\n"
	    "X-Mailer-Note: kept\n"
	    "  and continued\n"
	    "\n"
	    "Hello\r\nworld", &d, &cause) == 0, "draft parses");
	is_str(d.to, "\"Smith, Bob\" <bob@example.com>, Carol "
	    "<carol@example.net>", "continuation joins To");
	is_str(d.cc, NULL, "empty Cc is absent");
	is_str(d.subject, "Grüße", "UTF-8 subject kept");
	is_int(d.n_extra, 1, "unknown header kept");
	if (d.n_extra == 1) {
		is_str(d.extra[0].name, "X-Mailer-Note", "its name");
		is_str(d.extra[0].value, "kept and continued", "its value");
	}
	is_str(d.body, "Hello\nworld\n", "body with LF ends");

	text = mime_draft_write(&d, &len);
	is_str(text, "From: Alice Example <alice@example.org>\n"
	    "To: \"Smith, Bob\" <bob@example.com>, Carol <carol@example.net>\n"
	    "Cc: \nBcc: \nSubject: Grüße\nReply-To: \n"
	    "X-Mailer-Note: kept and continued\n\nHello\nworld\n",
	    "editor file written");
	ok(len == strlen(text), "its length");
	ok(parse_draft(text, &d2, &cause) == 0, "written file parses");
	again = mime_draft_write(&d2, NULL);
	is_str(again, text, "and writes the same again");
	free(again);
	free(text);
	mime_draft_release(&d2);
	mime_draft_release(&d);

	mime_draft_init(&d);
	d.in_reply_to = xstrdup("<a@b>");
	d.references = xstrdup("<x@y> <a@b>");
	d.body = xstrdup("x\n");
	text = mime_draft_write(&d, NULL);
	ok(strstr(text, "In-Reply-To: <a@b>\nReferences: <x@y> <a@b>\n") !=
	    NULL, "thread headers written when set");
	mime_draft_release(&d);
	ok(parse_draft(text, &d, &cause) == 0, "and read back");
	is_str(d.in_reply_to, "<a@b>", "In-Reply-To read");
	is_str(d.references, "<x@y> <a@b>", "References read");
	mime_draft_release(&d);
	free(text);

	ok(parse_draft("", &d, &cause) == 0 && d.to == NULL &&
	    d.body != NULL && *d.body == '\0', "empty file: empty draft");
	mime_draft_release(&d);
	ok(parse_draft("To: a@b.org\nSubject: x", &d, &cause) == 0 &&
	    strcmp(d.body, "") == 0, "no blank line: no body");
	mime_draft_release(&d);
	ok(mime_draft_parse(NULL, 0, &d, &cause) == 0, "NULL text");
	mime_draft_release(&d);

	/* Latin-1 from an editor in another locale becomes UTF-8. */
	ok(parse_draft("Subject: caf\351\n\nna\357ve\n", &d, &cause) == 0,
	    "Latin-1 draft parses");
	is_str(d.subject, "café", "Latin-1 subject converted");
	is_str(d.body, "naïve\n", "Latin-1 body converted");
	mime_draft_release(&d);

	draft_fails(" folded\nTo: a@b.org\n\n", "line 1: a continuation",
	    "continuation first");
	draft_fails("To: a@b.org\nthis is not a header\n\nbody",
	    "line 2: 'this is not a header' is not a header line",
	    "line without a colon");
	draft_fails("To: a@b.org\nDate: today\n\n", "line 2: 'Date' cannot",
	    "Date refused");
	draft_fails("Content-Type: text/html\n\n", "line 1: 'Content-Type'",
	    "Content-* refused");
	draft_fails("Subject: a\nSubject: b\n\n", "line 2: a second 'Subject'",
	    "second Subject");
	draft_fails("From: me@x.org\nTo: foo\n\n", "line 2: To: 'foo' is not "
	    "an email address", "address without @");
	draft_fails("To: a@b.org,\n  Smith, Bob <bob@x.org>\n\n",
	    "line 1: To: 'Smith' is not an email address (a name with a comma",
	    "unquoted comma in a name");
	draft_fails("Cc: jörg@x.org\n\n", "non-ASCII local part",
	    "UTF-8 local part");
	draft_fails("To: <<<>>>\n\n", "line 1: To:", "garbage address");
	draft_fails("To: a@b.org\nIn-Reply-To: garbage\n\n",
	    "line 2: In-Reply-To:", "garbage message id");

	/* Two To lines add up; a group is an address list too. */
	ok(parse_draft("To: a@b.org\nTo: team: c@d.org, e@f.org;\n\n", &d,
	    &cause) == 0, "two To lines and a group");
	is_str(d.to, "a@b.org, team: c@d.org, e@f.org;", "joined");
	mime_draft_release(&d);
}

/* Builds d; the bytes are the caller's, NULL on failure (cause shown). */
static char *
build(const struct mime_draft *d, const struct mime_attachment *a,
    size_t n, int flags, size_t *len)
{
	char	*out, *cause = NULL;

	if (mime_compose_build(d, a, n, &identity, NOW, flags, &out, len,
	    &cause) != 0) {
		diag("build: %s", cause != NULL ? cause : "?");
		free(cause);
		return (NULL);
	}
	return (out);
}

static void
test_roundtrip(void)
{
	static const char	 subject[] = "Grüße aus Köln — 日本語 ☃, "
	    "a subject long enough to be folded over more than one line";
	static const char	 fname[] = "résumé 日本語 (final).pdf";
	static const char	 data[] = "%PDF-1.4\n\0\377\376binary";
	struct mime_attachment	 a;
	struct mime_draft	 d;
	struct mime_message	*m;
	struct mime_render	 r;
	struct buf		 got;
	char			*out;
	size_t			 len, i;

	mime_draft_init(&d);
	d.to = xstrdup("\"Smith, Bob\" <bob@example.com>, Jörg Müller "
	    "<joerg@example.de>");
	d.subject = xstrdup(subject);
	d.body = xstrdup("see attached\n");
	memset(&a, 0, sizeof a);
	a.data = data;
	a.len = sizeof data - 1;
	a.name = fname;
	if ((out = build(&d, &a, 1, 0, &len)) == NULL) {
		ok(0, "UTF-8 subject and attachment build");
		mime_draft_release(&d);
		return;
	}
	ok(sendable(out, len), "7-bit, lines of at most 998 bytes");
	ok(strcasestr(out, "filename*0*=utf-8''") != NULL ||
	    strcasestr(out, "filename*=utf-8''") != NULL,
	    "file name in RFC 2231 form");
	ok(strstr(out, "Content-Type: multipart/mixed") != NULL,
	    "multipart/mixed with an attachment");
	ok(strstr(out, "Content-Type: application/pdf") != NULL,
	    "type from the extension");
	ok(strstr(out, "=?UTF-8?") != NULL || strstr(out, "=?utf-8?") != NULL,
	    "UTF-8 encoded words");

	m = mime_message_parse(out, len, NULL);
	is_str(mime_message_header(m, "Subject"), subject,
	    "subject round-trips byte-exact");
	is_str(mime_message_header(m, "To"), "\"Smith, Bob\" "
	    "<bob@example.com>, Jörg Müller <joerg@example.de>",
	    "To round-trips");
	mime_message_render(m, &r);
	for (i = 0; i < r.n_blocks; i++) {
		if (r.blocks[i].kind == MIME_BLOCK_ATTACHMENT)
			break;
	}
	ok(i < r.n_blocks, "attachment block");
	if (i < r.n_blocks) {
		is_str(r.blocks[i].filename, fname,
		    "attachment name round-trips byte-exact");
		is_str(r.blocks[i].content_type, "application/pdf",
		    "attachment type");
	}
	mime_render_release(&r);
	buf_init(&got);
	ok(mime_message_attachment(m, 1, &got, NULL) == 0 &&
	    got.len == sizeof data - 1 && memcmp(got.data, data, got.len) == 0,
	    "attachment bytes round-trip");
	buf_release(&got);
	mime_message_free(m);
	free(out);
	mime_draft_release(&d);
}

static void
test_body(void)
{
	struct mime_draft	 d;
	struct mime_message	*m;
	struct mime_render	 r;
	struct buf		 body;
	char			*out;
	size_t			 len, i;

	buf_init(&body);
	buf_addstr(&body, "Grüße, naïve café.\n\n");
	for (i = 0; i < 2000; i++)
		buf_addch(&body, "abcdefghij"[i % 10]);
	buf_addstr(&body, "\ntrailing space \nFrom the start\n.\n");

	mime_draft_init(&d);
	d.to = xstrdup("bob@example.com");
	d.body = xstrdup(body.data);
	out = build(&d, NULL, 0, 0, &len);
	ok(out != NULL && sendable(out, len), "8-bit body with a 2000 byte "
	    "line comes out 7-bit, lines of at most 998 bytes");
	ok(out != NULL && strstr(out, "Content-Transfer-Encoding: "
	    "quoted-printable") != NULL, "quoted-printable");
	ok(out != NULL && strstr(out, "text/plain; charset=utf-8") != NULL,
	    "charset=utf-8");
	m = mime_message_parse(out, len, NULL);
	mime_message_render(m, &r);
	ok(r.n_blocks == 1 && r.blocks[0].kind == MIME_BLOCK_TEXT,
	    "one text block");
	if (r.n_blocks == 1)
		is_str(r.blocks[0].text, body.data,
		    "body decodes back exactly");
	mime_render_release(&r);
	mime_message_free(m);
	free(out);
	mime_draft_release(&d);
	buf_release(&body);

	mime_draft_init(&d);
	d.to = xstrdup("bob@example.com");
	d.body = xstrdup("plain ascii");
	out = build(&d, NULL, 0, 0, &len);
	ok(out != NULL && strstr(out, "Content-Transfer-Encoding: 7bit") !=
	    NULL && strstr(out, "\n\nplain ascii\n") != NULL,
	    "ASCII body is 7bit, newline added");
	free(out);
	mime_draft_release(&d);
}

static void
test_headers(void)
{
	struct mime_draft	 d;
	struct mime_message	*m;
	const char		*id, *p;
	char			**rcpt, *out, *cause = NULL;
	size_t			 len, n, i;

	mime_draft_init(&d);
	d.to = xstrdup("Bob <bob@example.com>");
	d.cc = xstrdup("BOB@EXAMPLE.COM, carol@example.net");
	d.bcc = xstrdup("Secret Sam <sam@hidden.example>, carol@example.net");
	d.subject = xstrdup("ids");
	d.in_reply_to = xstrdup("<parent@example.com>");
	d.references = xstrdup("<root@example.com>\n <parent@example.com>");
	out = build(&d, NULL, 0, 0, &len);
	ok(out != NULL, "builds with Bcc");
	if (out == NULL) {
		mime_draft_release(&d);
		return;
	}
	ok(strstr(out, "sam@hidden.example") == NULL &&
	    strcasestr(out, "Bcc") == NULL, "Bcc not in the bytes");
	ok(in_headers(out, "From: Alice Example <alice@example.org>\n"),
	    "From from the identity");
	ok(in_headers(out, "MIME-Version: 1.0\n"), "MIME-Version");
	ok(!in_headers(out, "\nReply-To:"),
	    "no empty Reply-To header");
	ok(in_headers(out, "Date: Tue, 03 Mar 2026 10:00:00 +0000\n"),
	    "Date of now, local zone (UTC here)");
	ok(in_headers(out, "In-Reply-To: <parent@example.com>\n"),
	    "In-Reply-To carried");
	ok(in_headers(out, "References: <root@example.com> "
	    "<parent@example.com>\n"), "References carried");

	m = mime_message_parse(out, len, NULL);
	ok(mime_message_date(m) == NOW, "Date parses back to now");
	id = mime_message_header(m, "Message-ID");
	ok(id != NULL && strlen(id) == 1 + 32 + strlen("@example.org>") &&
	    id[0] == '<' && strcmp(id + 33, "@example.org>") == 0,
	    "Message-ID <32 hex@From domain>");
	for (p = id != NULL ? id + 1 : ""; *p != '\0' && *p != '@'; p++) {
		if (strchr("0123456789abcdef", *p) == NULL)
			break;
	}
	ok(*p == '@', "Message-ID random part is hex");
	mime_message_free(m);
	free(out);

	ok(mime_compose_recipients(&d, &rcpt, &n, &cause) == 0,
	    "envelope recipients");
	is_int(n, 3, "To, Cc and Bcc deduplicated without regard to case");
	if (n == 3) {
		is_str(rcpt[0], "bob@example.com", "first");
		is_str(rcpt[1], "carol@example.net", "second");
		is_str(rcpt[2], "sam@hidden.example", "Bcc in the envelope");
	}
	config_free_list(rcpt, n);

	out = build(&d, NULL, 0, MIME_COMPOSE_DRAFT, &len);
	ok(out != NULL && in_headers(out, "Bcc: Secret Sam "
	    "<sam@hidden.example>, carol@example.net\n"),
	    "a postponed draft keeps Bcc");
	free(out);

	/* Two messages, two ids; the identity's domain wins. */
	{
		struct mime_identity	 other = {
			"x@a.example", "mail.example"
		};
		char			*a, *b;

		a = mime_compose_message_id("example.org");
		b = mime_compose_message_id("example.org");
		ok(a != NULL && b != NULL && strcmp(a, b) != 0,
		    "message ids differ");
		free(a);
		free(b);
		ok(mime_compose_message_id("bad domain") == NULL &&
		    mime_compose_message_id(NULL) == NULL,
		    "no message id for a bad domain");
		a = mime_compose_message_id("bücher.example");
		ok(a != NULL && strstr(a, "@xn--bcher-kva.example>") != NULL,
		    "IDN domain in ASCII form");
		free(a);
		free(d.from);
		d.from = NULL;
		ok(mime_compose_build(&d, NULL, 0, &other, NOW, 0, &out, &len,
		    NULL) == 0 && strstr(out, "@mail.example>") != NULL,
		    "Message-ID domain from the identity");
		free(out);
	}
	d.message_id = xstrdup("<given@example.com>");
	out = build(&d, NULL, 0, 0, &len);
	ok(out != NULL && in_headers(out, "Message-Id: <given@example.com>"),
	    "a given Message-ID is kept");
	free(out);
	mime_draft_release(&d);

	/* Encoded extra header, and a UTF-8 display name. */
	mime_draft_init(&d);
	d.from = xstrdup("Jörg <j@example.de>");
	d.to = xstrdup("b@example.com");
	d.extra = xcalloc(1, sizeof *d.extra);
	d.extra[0].name = xstrdup("X-Note");
	d.extra[0].value = xstrdup("überall");
	d.n_extra = 1;
	out = build(&d, NULL, 0, 0, &len);
	ok(out != NULL && sendable(out, len), "UTF-8 From and extra header "
	    "are 7-bit");
	m = mime_message_parse(out, len, NULL);
	is_str(mime_message_header(m, "From"), "Jörg <j@example.de>",
	    "From name round-trips");
	is_str(mime_message_header(m, "X-Note"), "überall",
	    "extra header round-trips");
	mime_message_free(m);
	free(out);
	for (i = 0; i < 1; i++) {
		free(d.extra[0].name);
		d.extra[0].name = xstrdup("Content-Type");
	}
	ok(mime_compose_build(&d, NULL, 0, NULL, NOW, 0, &out, &len,
	    &cause) == -1 && cause != NULL, "refused extra header");
	free(cause);
	mime_draft_release(&d);
}

/* Building d must fail with a cause holding want. */
static void
build_fails(const struct mime_draft *d, const struct mime_attachment *a,
    size_t n, const char *want, const char *name)
{
	char	*out = NULL, *cause = NULL;
	size_t	 len;
	int	 rc;

	rc = mime_compose_build(d, a, n, NULL, NOW, 0, &out, &len, &cause);
	if (!ok(rc == -1 && out == NULL && cause != NULL &&
	    strstr(cause, want) != NULL, name))
		diag("rc %d cause '%s'", rc, cause != NULL ? cause : "");
	free(out);
	free(cause);
}

static void
test_build_errors(void)
{
	struct mime_attachment	 a;
	struct mime_draft	 d;

	mime_draft_init(&d);
	d.to = xstrdup("b@example.com");
	build_fails(&d, NULL, 0, "no From address", "no From");
	d.from = xstrdup("a@example.com");
	free(d.to);
	d.to = NULL;
	build_fails(&d, NULL, 0, "no recipient", "no recipient");
	d.to = xstrdup("garbage");
	build_fails(&d, NULL, 0, "To: 'garbage' is not an email address",
	    "garbage To");
	free(d.to);
	d.to = xstrdup("b@example.com");
	d.in_reply_to = xstrdup("no id here");
	build_fails(&d, NULL, 0, "no message id", "bad In-Reply-To");
	free(d.in_reply_to);
	d.in_reply_to = NULL;
	memset(&a, 0, sizeof a);
	a.path = "/nonexistent/file.txt";
	build_fails(&d, &a, 1, "/nonexistent/file.txt", "missing attachment");
	a.path = NULL;
	a.data = "x";
	a.len = 1;
	a.type = "nonsense";
	build_fails(&d, &a, 1, "'nonsense' is not a content type",
	    "bad content type");
	mime_draft_release(&d);
}

static void
test_attachments(void)
{
	static const char	 orig[] = "From: a@b.example\nSubject: "
	    "Gr\303\274\303\237e\n\nraw 8-bit body: \303\244\n";
	struct mime_attachment	 a[3];
	struct mime_draft	 d;
	struct mime_message	*m;
	struct mime_render	 r;
	char			 path[] = "/tmp/compose-test-XXXXXX";
	char			*out, *file, *p;
	size_t			 len;
	int			 fd;

	is_str(mime_compose_type("a.PDF", NULL, 0), "application/pdf",
	    "type by extension, any case");
	is_str(mime_compose_type(NULL, "%PDF-1.5", 8), "application/pdf",
	    "type by magic");
	is_str(mime_compose_type("notes", "plain words\n", 12), "text/plain",
	    "text sniffed");
	is_str(mime_compose_type("blob", "a\0b", 3),
	    "application/octet-stream", "binary sniffed");
	is_str(mime_compose_type("x.", "\377\376", 2),
	    "application/octet-stream", "invalid UTF-8 is binary");

	if ((fd = mkstemp(path)) == -1) {
		ok(0, "temporary file");
		return;
	}
	(void)write(fd, "line one\nline two\n", 18);
	close(fd);
	xasprintf(&file, "%s.txt", path);
	(void)rename(path, file);

	memset(a, 0, sizeof a);
	a[0].path = file;
	a[1].data = orig;
	a[1].len = sizeof orig - 1;
	a[1].type = "message/rfc822";
	a[2].data = "\0\1\2";
	a[2].len = 3;
	mime_draft_init(&d);
	d.from = xstrdup("a@example.com");
	d.to = xstrdup("b@example.com");
	out = build(&d, a, 3, 0, &len);
	ok(out != NULL, "builds with a file, a message and bytes");
	if (out != NULL) {
		p = strrchr(file, '/') + 1;
		ok(strstr(out, p) != NULL, "file name from the path");
		ok(strstr(out, "Content-Type: text/plain; charset=us-ascii") !=
		    NULL, "text attachment type and charset");
		ok(strstr(out, "Content-Type: message/rfc822\n") != NULL &&
		    strstr(out, "Content-Transfer-Encoding: 8bit\n") != NULL,
		    "message attached 8bit");
		ok(strstr(out, orig) != NULL,
		    "attached message bytes untouched");
		m = mime_message_parse(out, len, NULL);
		mime_message_render(m, &r);
		ok(r.n_blocks >= 4, "parses back into its parts");
		mime_render_release(&r);
		mime_message_free(m);
	}
	free(out);
	(void)unlink(file);
	free(file);

	/* A ".eml" that is not a message goes as bytes; a given type fails. */
	memset(a, 0, sizeof a);
	a[0].data = "From: x@y\n\nnul \0 byte\n";
	a[0].len = 22;
	a[0].name = "odd.eml";
	out = build(&d, a, 1, 0, &len);
	ok(out != NULL && strstr(out, "Content-Type: application/"
	    "octet-stream") != NULL, "broken .eml goes as octet-stream");
	free(out);
	a[0].type = "message/rfc822";
	ok(mime_compose_build(&d, a, 1, NULL, NOW, 0, &out, &len, &file) ==
	    -1 && strstr(file, "a NUL byte") != NULL,
	    "message/rfc822 with a NUL refused");
	free(file);
	mime_draft_release(&d);
}

static void
test_subject(void)
{
	static const struct {
		const char	*in;
		int		 fwd;
		const char	*want;
	} cases[] = {
		{ "hello", 0, "Re: hello" },
		{ "Re: hello", 0, "Re: hello" },
		{ "Re: Re: hello", 0, "Re: hello" },
		{ "RE: re:hello", 0, "Re: hello" },
		{ "Re[2]: hello", 0, "Re: hello" },
		{ "Re(3) : hello", 0, "Re: hello" },
		{ "Aw: Re: AW: hello", 0, "Re: hello" },
		{ "SV: hej", 0, "Re: hej" },
		{ "  Re:   spaced  ", 0, "Re: spaced" },
		{ "Fwd: news", 0, "Re: Fwd: news" },
		{ "Regarding: x", 0, "Re: Regarding: x" },
		{ "Re:", 0, "Re:" },
		{ "", 0, "Re:" },
		{ NULL, 0, "Re:" },
		{ "news", 1, "Fwd: news" },
		{ "Fwd: FW: news", 1, "Fwd: news" },
		{ "WG: news", 1, "Fwd: news" },
		{ "Re: news", 1, "Fwd: Re: news" },
		{ "Grüße", 0, "Re: Grüße" },
	};
	size_t	i;
	char	*s, name[80];

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		s = mime_compose_subject(cases[i].in, cases[i].fwd);
		(void)snprintf(name, sizeof name, "subject '%s'",
		    cases[i].in != NULL ? cases[i].in : "(null)");
		is_str(s, cases[i].want, name);
		free(s);
	}
	is_str(mime_subject_base("Re: Fwd: AW: RE[2]: plan"), "plan",
	    "base subject: reply and forward prefixes, mixed");
	is_str(mime_subject_base("  plan"), "plan", "base subject: blanks");
	is_str(mime_subject_base("[list] Re: plan"), "[list] Re: plan",
	    "base subject: a prefix not at the start stays");
	is_str(mime_subject_base(NULL), "", "base subject of none");
}

static void
test_reply_threads(void)
{
	static const char	*me[] = { "me@example.org" };
	static const char	*joe[] = { "joe@perches.com" };
	static const char	*jiri[] = { "trivial@kernel.org" };
	static const char	*keith[] = { "KeithP@keithp.com" };
	static const char	*mikhail[] = { "dottedmag@dottedmag.net" };
	struct mime_message	*m;
	struct mime_draft	 d;

	/* Mail-Followup-To (lkml, from mutt). */
	if ((m = load("reply-mft.eml")) == NULL) {
		ok(0, "reply-mft.eml");
		return;
	}
	mime_compose_reply(m, 0, me, 1, NULL, &d);
	is_str(d.to, "Joel Becker <Joel.Becker@oracle.com>",
	    "mft: reply goes to From");
	is_str(d.cc, NULL, "mft: reply has no Cc");
	is_str(d.subject, "Re: [PATCH 36/44] fs/ocfs2: Remove unnecessary "
	    "semicolons", "mft: subject unfolded, one Re:");
	is_str(d.in_reply_to, "<20101117001046.GE10237@mail.oracle.com>",
	    "mft: In-Reply-To");
	is_str(d.references, "<cover.1289789604.git.joe@perches.com> "
	    "<e32409b17aaa1a54fec85f3654583ef08fcf851c.1289789605.git."
	    "joe@perches.com> <20101117001046.GE10237@mail.oracle.com>",
	    "mft: References");
	is_str(d.from, NULL, "the caller sets From");
	mime_draft_release(&d);
	mime_compose_reply(m, MIME_REPLY_ALL, joe, 1, NULL, &d);
	is_str(d.to, "Jiri Kosina <trivial@kernel.org>, Mark Fasheh "
	    "<mfasheh@suse.com>, ocfs2-devel@oss.oracle.com, "
	    "linux-kernel@vger.kernel.org",
	    "mft: reply-all goes to Mail-Followup-To without me");
	is_str(d.cc, NULL, "mft: reply-all has no Cc");
	mime_draft_release(&d);
	mime_message_free(m);

	/* Reply-To (lkml, from Thunderbird). */
	if ((m = load("reply-reply-to.eml")) == NULL) {
		ok(0, "reply-reply-to.eml");
		return;
	}
	mime_compose_reply(m, 0, me, 1, NULL, &d);
	is_str(d.to, "monstr@monstr.eu", "reply-to: reply goes to Reply-To");
	is_str(d.cc, NULL, "reply-to: no Cc");
	is_str(d.in_reply_to, "<4CE0D533.1010407@monstr.eu>",
	    "reply-to: In-Reply-To");
	is_str(d.references, "<cover.1289789604.git.joe@perches.com> "
	    "<5d57b90b488b4338bcdc3f0fbf5f6996842bd44d.1289789604.git."
	    "joe@perches.com> <4CE0D533.1010407@monstr.eu>",
	    "reply-to: References");
	mime_draft_release(&d);
	mime_compose_reply(m, MIME_REPLY_ALL, jiri, 1, NULL, &d);
	is_str(d.to, "monstr@monstr.eu", "reply-to: reply-all To");
	is_str(d.cc, "Joe Perches <joe@perches.com>, "
	    "microblaze-uclinux@itee.uq.edu.au, linux-kernel@vger.kernel.org",
	    "reply-to: reply-all Cc: To and Cc without me");
	is_str(d.subject, "Re: [PATCH 02/44] arch/microblaze: Remove "
	    "unnecessary semicolons", "reply-to: subject");
	mime_draft_release(&d);
	mime_message_free(m);

	/* To and Cc, a long References chain, a signature (notmuch list). */
	if ((m = load("reply-cc.eml")) == NULL) {
		ok(0, "reply-cc.eml");
		return;
	}
	mime_compose_reply(m, MIME_REPLY_ALL, keith, 1, NULL, &d);
	is_str(d.to, "Lars Kellogg-Stedman <lars@seas.harvard.edu>",
	    "cc: reply-all To");
	is_str(d.cc, "notmuch@notmuchmail.org",
	    "cc: reply-all Cc without me (case ignored)");
	is_str(d.references, "<20091117190054.GU3165@dottiness.seas.harvard."
	    "edu> <87iqd9rn3l.fsf@vertex.dottedmag> <20091117203301.GV3165@"
	    "dottiness.seas.harvard.edu> <yunaayketfm.fsf@aiko.keithp.com> "
	    "<20091118005040.GA25380@dottiness.seas.harvard.edu>",
	    "cc: References");
	is_str(d.body, "On Wed, 18 Nov 2009 00:50, Lars Kellogg-Stedman "
	    "wrote:\n"
	    "> > I've also pushed a slightly more complicated (and complete) "
	    "fix to my\n"
	    "> > private notmuch repository\n"
	    ">\n"
	    "> The version of lib/messages.cc in your repo doesn't build "
	    "because it's\n"
	    "> missing \"#include <stdint.h>\" (for the uint32_t on line "
	    "466).\n"
	    ">\n"
	    "> _______________________________________________\n"
	    "> notmuch mailing list\n"
	    "> notmuch@notmuchmail.org\n"
	    "> http://notmuchmail.org/mailman/listinfo/notmuch\n",
	    "cc: attribution, quoting mutt's way, signature dropped");
	mime_draft_release(&d);
	mime_compose_reply(m, 0, keith, 1, "America/New_York", &d);
	starts(d.body, "On Tue, 17 Nov 2009 19:50, Lars Kellogg-Stedman "
	    "wrote:\n", "cc: attribution date in the given zone");
	mime_draft_release(&d);
	mime_message_free(m);

	/* A message from me: the reply goes to its To. */
	if ((m = load("reply-self.eml")) == NULL) {
		ok(0, "reply-self.eml");
		return;
	}
	mime_compose_reply(m, 0, mikhail, 1, NULL, &d);
	is_str(d.to, "notmuch@notmuchmail.org", "self: reply goes to To");
	is_str(d.references, "<1258471718-6781-1-git-send-email-dottedmag@"
	    "dottedmag.net>", "self: References is the Message-ID alone");
	is_str(d.subject, "Re: [notmuch] [PATCH 1/2] Close message file "
	    "after parsing message headers", "self: subject");
	ok(strstr(d.body, "> +    if (message->parsing_finished) {\n") !=
	    NULL && strstr(d.body, "1.6.3.3") == NULL,
	    "self: quoted, signature dropped");
	mime_draft_release(&d);
	mime_compose_reply(m, MIME_REPLY_ALL, mikhail, 1, NULL, &d);
	is_str(d.to, "notmuch@notmuchmail.org", "self: reply-all To");
	is_str(d.cc, NULL, "self: reply-all without me in Cc");
	mime_draft_release(&d);
	mime_message_free(m);

	/* HTML only: quoted from its text rendering. */
	if ((m = load("reply-html.eml")) == NULL) {
		ok(0, "reply-html.eml");
		return;
	}
	mime_compose_reply(m, 0, me, 1, NULL, &d);
	ok(strstr(d.body, "> hunter2") != NULL && strstr(d.body, "<html>") ==
	    NULL && strstr(d.body, "<body>") == NULL,
	    "html: quoted as text, tags gone");
	starts(d.body, "On Tue, 17 Nov 2009 15:28, David Bremner wrote:\n",
	    "html: attribution");
	mime_draft_release(&d);
	mime_message_free(m);
}

static void
test_identity(void)
{
	static const char	*ids[] = { "first@example.org",
	    "second@example.org", "NOTMUCH@notmuchmail.org" };
	static const char	 delivered[] = "Delivered-To: other@x.org\n"
	    "Delivered-To: second@example.org\n"
	    "To: first@example.org\n\nbody\n";
	struct mime_message	*m;

	m = mime_message_parse(delivered, strlen(delivered), NULL);
	is_int(mime_compose_identity(m, ids, 3), 1,
	    "Delivered-To (the second one) before To");
	mime_message_free(m);
	m = load("reply-cc.eml");
	is_int(mime_compose_identity(m, ids, 3), 2, "Cc, case ignored");
	is_int(mime_compose_identity(m, ids, 2), 0, "none: the default");
	mime_message_free(m);
	is_int(mime_compose_identity(NULL, ids, 3), 0, "no message");
}

static void
test_forward(void)
{
	struct mime_message	*m;
	struct mime_draft	 d;

	if ((m = load("reply-reply-to.eml")) == NULL) {
		ok(0, "reply-reply-to.eml");
		return;
	}
	mime_compose_forward(m, 0, &d);
	is_str(d.subject, "Fwd: Re: [PATCH 02/44] arch/microblaze: Remove "
	    "unnecessary semicolons", "forward subject");
	is_str(d.to, NULL, "forward has no recipient");
	starts(d.body, "\n---------- Forwarded message ----------\n"
	    "From: Michal Simek <monstr@monstr.eu>\n"
	    "Date: Mon, 15 Nov 2010 07:37:39 +0100\n"
	    "Subject: Re: [PATCH 02/44] arch/microblaze: Remove unnecessary "
	    "semicolons\n"
	    "To: Joe Perches <joe@perches.com>\n"
	    "Cc: Jiri Kosina <trivial@kernel.org>, "
	    "microblaze-uclinux@itee.uq.edu.au, linux-kernel@vger.kernel.org\n"
	    "\n", "inline forward block");
	ok(strstr(d.body, "\n> ") != NULL, "original text follows");
	is_str(d.in_reply_to, NULL, "a forward is not a reply");
	mime_draft_release(&d);
	mime_compose_forward(m, MIME_FORWARD_ATTACH, &d);
	is_str(d.body, "", "forward as attachment: empty body");
	mime_draft_release(&d);
	mime_message_free(m);
}

static void
test_malformed(void)
{
	static const char	*me[] = { "me@example.org" };
	static const char	*msgs[] = {
		"Subject: no sender\n\nbody\n",
		"From: garbage, <<>>, @@, \"unterminated\n"
		"To: ;;;,,,\nCc: =?utf-8?q?broken\n"
		"Subject: =?utf-8?b?!!!?= =?x-unknown?q?a?= Re: x\n"
		"Message-ID: not an id\nReferences: <ok@x> <a b>\n\nbody\n",
		"From: a@b.example\nMessage-ID: <"
		"\303\244@x>\nIn-Reply-To: <in@x>\n\n",
		"",
	};
	struct mime_message	*m;
	struct mime_draft	 d;
	size_t			 i;
	char			 name[64];
	int			 good;

	for (i = 0; i < sizeof msgs / sizeof msgs[0]; i++) {
		m = mime_message_parse(msgs[i], strlen(msgs[i]), NULL);
		mime_compose_reply(m, MIME_REPLY_ALL, me, 1, NULL, &d);
		good = d.subject != NULL && d.body != NULL &&
		    mimetest_valid_utf8(d.body, strlen(d.body));
		mime_draft_release(&d);
		mime_compose_forward(m, 0, &d);
		good = good && d.body != NULL;
		mime_draft_release(&d);
		(void)snprintf(name, sizeof name, "malformed %zu: no crash, "
		    "a draft", i);
		ok(good, name);
		mime_message_free(m);
	}
	m = mime_message_parse(msgs[0], strlen(msgs[0]), NULL);
	mime_compose_reply(m, 0, me, 1, NULL, &d);
	is_str(d.to, NULL, "no From: no recipient");
	starts(d.body, "someone wrote:\n",
	    "no From, no Date: plain attribution");
	mime_draft_release(&d);
	mime_message_free(m);

	m = mime_message_parse(msgs[1], strlen(msgs[1]), NULL);
	mime_compose_reply(m, MIME_REPLY_ALL, me, 1, NULL, &d);
	is_str(d.in_reply_to, NULL, "bad Message-ID: no In-Reply-To");
	is_str(d.references, "<ok@x>", "bad References ids dropped");
	mime_draft_release(&d);
	mime_message_free(m);

	m = mime_message_parse(msgs[2], strlen(msgs[2]), NULL);
	mime_compose_reply(m, 0, me, 1, NULL, &d);
	is_str(d.in_reply_to, NULL, "non-ASCII Message-ID dropped");
	is_str(d.references, "<in@x>", "In-Reply-To when no References");
	mime_draft_release(&d);
	mime_message_free(m);

	mime_compose_reply(NULL, 0, NULL, 0, NULL, &d);
	ok(d.body != NULL && d.to == NULL, "NULL original");
	mime_draft_release(&d);
}

/* A reply, edited and built, threads and goes to the right people. */
static void
test_reply_build(void)
{
	static const char	*me[] = { "keithp@keithp.com" };
	struct mime_message	*m, *sent;
	struct mime_draft	 d, e;
	char			*text, *out, *cause = NULL;
	size_t			 len;

	if ((m = load("reply-cc.eml")) == NULL) {
		ok(0, "reply-cc.eml");
		return;
	}
	mime_compose_reply(m, MIME_REPLY_ALL, me, 1, NULL, &d);
	d.from = xstrdup("Keith Packard <keithp@keithp.com>");
	text = mime_draft_write(&d, NULL);
	ok(mime_draft_parse(text, strlen(text), &e, &cause) == 0,
	    "reply editor file parses");
	out = build(&e, NULL, 0, 0, &len);
	sent = mime_message_parse(out, len, NULL);
	is_str(mime_message_header(sent, "In-Reply-To"),
	    "<20091118005040.GA25380@dottiness.seas.harvard.edu>",
	    "built reply: In-Reply-To");
	is_str(mime_message_header(sent, "Cc"), "notmuch@notmuchmail.org",
	    "built reply: Cc");
	ok(out != NULL && sendable(out, len), "built reply is 7-bit");
	mime_message_free(sent);
	free(out);
	free(text);
	mime_draft_release(&e);
	mime_draft_release(&d);
	mime_message_free(m);
}

int
main(void)
{
	mime_init();
	test_draft();
	test_roundtrip();
	test_body();
	test_headers();
	test_build_errors();
	test_attachments();
	test_subject();
	test_reply_threads();
	test_identity();
	test_forward();
	test_malformed();
	test_reply_build();
	mime_shutdown();
	return (tap_done());
}
