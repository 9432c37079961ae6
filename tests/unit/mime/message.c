/*
 * tests/unit/mime/message.c: parsing, headers, dates and rendering through
 * mime/mime.h only.  The messages are written inline; the last case parses
 * and renders every file of the shared corpus (when it is there) and
 * checks that all text that comes out is valid UTF-8.
 */
#include "config.h"

#include <sys/stat.h>

#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "mime/mime.h"

#include "../tap.h"
#include "../mimetest.h"

/*
 * The huge-charset cases run on a thread with a HUGE_STACK stack, where a
 * HUGE_TOKEN name copied onto it by GMime's alloca() overflows it.
 */
#define HUGE_STACK	(1024u * 1024)
#define HUGE_TOKEN	(2u * 1024 * 1024)

static int
valid_str(const char *s)
{
	return (s == NULL || mimetest_valid_utf8(s, strlen(s)));
}

static struct mime_message *
parse(const char *s)
{
	struct mime_message	*m;
	char			*cause = NULL;

	m = mime_message_parse(s, strlen(s), &cause);
	if (m == NULL) {
		diag("parse failed: %s", cause == NULL ? "?" : cause);
		free(cause);
	}
	return (m);
}

/* Every string of a render is valid UTF-8, and each block has a type. */
static int
render_valid(const struct mime_render *r)
{
	const struct mime_block	*b;
	size_t			 i;

	for (i = 0; i < r->n_blocks; i++) {
		b = &r->blocks[i];
		if (b->content_type == NULL || !valid_str(b->content_type))
			return (0);
		if (!valid_str(b->text) || !valid_str(b->filename))
			return (0);
		if (b->kind != MIME_BLOCK_ATTACHMENT && b->text == NULL)
			return (0);
	}
	return (1);
}

/* The n-th block of kind, or NULL. */
static const struct mime_block *
block(const struct mime_render *r, enum mime_block_kind kind, size_t n)
{
	size_t	i;

	for (i = 0; i < r->n_blocks; i++) {
		if (r->blocks[i].kind == kind && n-- == 0)
			return (&r->blocks[i]);
	}
	return (NULL);
}

static size_t
count(const struct mime_render *r, enum mime_block_kind kind)
{
	size_t	i, n = 0;

	for (i = 0; i < r->n_blocks; i++) {
		if (r->blocks[i].kind == kind)
			n++;
	}
	return (n);
}

static const char *
text_of(const struct mime_block *b)
{
	return (b == NULL ? NULL : b->text);
}

static int
contains(const char *s, const char *what)
{
	return (s != NULL && strstr(s, what) != NULL);
}

/* Parses s, renders it, and returns the first TEXT block's text copy. */
static char *
render_text(const char *s, int *from_html)
{
	struct mime_message	*m;
	struct mime_render	 r;
	const struct mime_block	*b;
	char			*text = NULL;

	if ((m = parse(s)) == NULL)
		return (NULL);
	mime_message_render(m, &r);
	if ((b = block(&r, MIME_BLOCK_TEXT, 0)) != NULL) {
		text = xstrdup(b->text);
		if (from_html != NULL)
			*from_html = b->from_html;
	}
	if (!render_valid(&r))
		diag("render of a message gave invalid UTF-8");
	mime_render_release(&r);
	mime_message_free(m);
	return (text);
}

static void
test_version(void)
{
	ok(strncmp(mime_version(), "GMime 3.", 8) == 0,
	    "mime_version() names GMime 3");
	ok(mime_version() == mime_version(), "mime_version() is static");
}

static void
test_edges(void)
{
	struct mime_message	*m;
	struct mime_render	 r;
	char			*cause = NULL;

	mime_message_free(NULL);
	mime_render_release(NULL);
	mime_message_render(NULL, NULL);
	ok(mime_message_header(NULL, "Subject") == NULL,
	    "header of NULL message is NULL");
	is_int(mime_message_date(NULL), -1, "date of NULL message is -1");
	memset(&r, 0xff, sizeof r);
	mime_message_render(NULL, &r);
	ok(r.n_blocks == 0 && r.blocks == NULL, "render of NULL is empty");
	mime_render_release(&r);

	m = mime_message_parse(NULL, 0, &cause);
	ok(m != NULL, "NULL input parses as an empty message");
	if (m != NULL) {
		ok(mime_message_header(m, NULL) == NULL, "NULL header name");
		ok(mime_message_header(m, "Subject") == NULL,
		    "no Subject in an empty message");
		ok(mime_message_header(m, "") == NULL, "empty header name");
		is_int(mime_message_date(m), -1, "no date in an empty message");
		mime_message_render(m, NULL);
		mime_message_render(m, &r);
		is_int(r.n_blocks, 1, "empty message renders one block");
		ok(r.n_blocks == 1 && r.blocks[0].kind == MIME_BLOCK_NOTE &&
		    contains(r.blocks[0].text, "empty message"),
		    "... a note saying it is empty");
		ok(render_valid(&r), "... with a content type");
		mime_render_release(&r);
		ok(r.n_blocks == 0 && r.blocks == NULL, "release clears r");
		mime_render_release(&r);
		mime_message_free(m);
	}

	m = mime_message_parse("", 0, NULL);
	ok(m != NULL, "empty input parses");
	mime_message_free(m);

	m = mime_message_parse("x", (size_t)MIME_MAX_MESSAGE + 1, &cause);
	ok(m == NULL && cause != NULL, "input over MIME_MAX_MESSAGE fails");
	diag("cause: %s", cause == NULL ? "(null)" : cause);
	free(cause);
	cause = NULL;

	m = mime_message_parse_file(NULL, &cause);
	ok(m == NULL && cause != NULL, "parse_file(NULL) fails with a cause");
	free(cause);
	cause = NULL;
	m = mime_message_parse_file("/nonexistent/satchel/msg", &cause);
	ok(m == NULL && contains(cause, "/nonexistent/satchel/msg"),
	    "missing file fails, naming it");
	free(cause);
	m = mime_message_parse_file("/nonexistent/satchel/msg", NULL);
	ok(m == NULL, "missing file with a NULL cause");
}

static void
test_parse_file(void)
{
	static const char	 msg[] = "Subject: from a file\n\nfile body\n";
	struct mime_message	*m;
	char			 path[] = "/tmp/satchel-mime-XXXXXX";
	int			 fd;

	if ((fd = mkstemp(path)) == -1 ||
	    write(fd, msg, sizeof msg - 1) != (ssize_t)(sizeof msg - 1)) {
		ok(0, "temporary file written");
		if (fd != -1)
			close(fd);
		return;
	}
	close(fd);
	m = mime_message_parse_file(path, NULL);
	is_str(m == NULL ? NULL : mime_message_header(m, "Subject"),
	    "from a file", "parse_file reads a file");
	mime_message_free(m);
	unlink(path);
}

static void
test_no_headers(void)
{
	struct mime_message	*m;
	char			*t;

	m = parse("hello world, no headers\nsecond line\n");
	ok(m != NULL, "message with no headers parses");
	if (m != NULL) {
		ok(mime_message_header(m, "Subject") == NULL, "... no Subject");
		ok(mime_message_header(m, "From") == NULL, "... no From");
		mime_message_free(m);
	}
	t = render_text("hello world, no headers\nsecond line\n", NULL);
	is_str(t, "hello world, no headers\nsecond line\n",
	    "... its text is the body");
	free(t);
	t = render_text(" Subject: starts with a space\n\nbody\n", NULL);
	ok(contains(t, "starts with a space") && contains(t, "body"),
	    "a first line GMime refuses becomes body text");
	free(t);
	t = render_text("\nSubject: not a header\n", NULL);
	is_str(t, "Subject: not a header\n", "empty header block");
	free(t);
}

static void
test_header_only(void)
{
	struct mime_message	*m;
	struct mime_render	 r;

	m = parse("Subject: only headers\nFrom: a@example.com\n");
	ok(m != NULL, "header-only message parses");
	if (m == NULL)
		return;
	is_str(mime_message_header(m, "Subject"), "only headers",
	    "... Subject");
	is_str(mime_message_header(m, "from"), "a@example.com",
	    "... From, name in any case");
	ok(mime_message_header(m, "subject") ==
	    mime_message_header(m, "SUBJECT"), "... the same borrowed string");
	mime_message_render(m, &r);
	ok(r.n_blocks == 1 && r.blocks[0].kind == MIME_BLOCK_NOTE,
	    "... renders as one note");
	is_str(r.n_blocks > 0 ? r.blocks[0].content_type : NULL,
	    "text/plain", "... about a text/plain body");
	mime_render_release(&r);
	mime_message_free(m);
}

static void
test_headers(void)
{
	struct mime_message	*m;
	const char		*s;

	m = parse(
	    "Subject: =?UTF-8?Q?Caf=C3=A9?= =?ISO-8859-1?Q?_=E9t=E9?="
	    " =?UTF-8?B?8J+YgA==?= and =?UTF-8?B?###?= end\n"
	    "From: \"=?UTF-8?B?w5xiZXIsIE5hbWU=?=\" <u@example.com>\n"
	    "To: a@b.example, \"Smith, J\" <j@s.example>, Undisclosed:;,\n"
	    " Team: x@y.example, Q <q@r.example>;\n"
	    "Cc: J\xfcrgen <j@x.example>,\n"
	    " =?iso-8859-1?q?J=F6rg?= <jo@x.example>\n"
	    "Reply-To: \"Jos\xc3\xa9\" <jose@x.example>\n"
	    "X-Latin1: caf\xe9 cr\xe8me\n"
	    "X-Utf8: caf\xc3\xa9 cr\xc3\xa8me\n"
	    "X-Folded: one\n\ttwo\n  three\n"
	    "X-Cp1252: \x93quoted\x94 \x80\n"
	    "X-Bad: \xff\xfe\n"
	    "Return-Path: <>\n"
	    "Sender: ,,, \xff\n"
	    "X-Esc: a\x1b[31mb\n"
	    "Message-ID: <id@example.com>\n"
	    "Date: Tue, 1 Jan 2019 10:00:00 +0100\n"
	    "Subject: second\n"
	    "\n"
	    "body\n");
	if (m == NULL) {
		ok(0, "header message parses");
		return;
	}
	s = mime_message_header(m, "Subject");
	ok(contains(s, "Caf\xc3\xa9 \xc3\xa9t\xc3\xa9\xf0\x9f\x98\x80") &&
	    contains(s, " and") && contains(s, "end"),
	    "RFC 2047 words in mixed charsets");
	ok(valid_str(s) && !contains(s, "###"),
	    "a bad encoded word leaves valid text");
	diag("Subject: %s", s == NULL ? "(null)" : s);
	ok(!contains(s, "second"), "the first of two Subjects");
	is_str(mime_message_header(m, "From"),
	    "\"\xc3\x9c" "ber, Name\" <u@example.com>",
	    "encoded word inside quotes (Outlook)");
	is_str(mime_message_header(m, "To"),
	    "a@b.example, \"Smith, J\" <j@s.example>, Undisclosed:;, "
	    "Team: x@y.example, Q <q@r.example>;",
	    "address list with groups, unfolded");
	is_str(mime_message_header(m, "Cc"),
	    "J\xc3\xbcrgen <j@x.example>, J\xc3\xb6rg <jo@x.example>",
	    "raw Latin-1 and encoded names in addresses");
	is_str(mime_message_header(m, "Reply-To"),
	    "Jos\xc3\xa9 <jose@x.example>", "raw UTF-8 name");
	is_str(mime_message_header(m, "X-Latin1"), "caf\xc3\xa9 cr\xc3\xa8me",
	    "raw Latin-1 header");
	is_str(mime_message_header(m, "X-Utf8"), "caf\xc3\xa9 cr\xc3\xa8me",
	    "raw UTF-8 header");
	s = mime_message_header(m, "X-Folded");
	ok(s != NULL && strchr(s, '\n') == NULL && contains(s, "one") &&
	    contains(s, "three"), "folded header is unfolded");
	is_str(mime_message_header(m, "X-Cp1252"),
	    "\xe2\x80\x9cquoted\xe2\x80\x9d \xe2\x82\xac",
	    "raw windows-1252 header");
	s = mime_message_header(m, "X-Bad");
	ok(s != NULL && valid_str(s), "invalid bytes give valid UTF-8");
	is_str(mime_message_header(m, "Return-Path"), "<>",
	    "address header with no address is shown as text");
	ok(valid_str(mime_message_header(m, "Sender")),
	    "garbage address list is valid UTF-8");
	is_str(mime_message_header(m, "X-Esc"), "a\x1b[31mb",
	    "ESC in a header is kept (the sink sanitises)");
	is_str(mime_message_header(m, "Message-ID"), "<id@example.com>",
	    "Message-ID");
	ok(mime_message_header(m, "X-Absent") == NULL, "absent header is NULL");
	is_int(mime_message_date(m), 1546333200, "Date header");
	mime_message_free(m);
}

static void
test_dates(void)
{
	struct mime_message	*m;

	m = parse("Date: yesterday, around noon\n\nx\n");
	is_int(m == NULL ? 0 : mime_message_date(m), -1, "bad Date is -1");
	mime_message_free(m);
	m = parse("Subject: x\n\nx\n");
	is_int(m == NULL ? 0 : mime_message_date(m), -1, "no Date is -1");
	mime_message_free(m);
	m = parse("Date: 1 Jan 2024 00:00:00 GMT\n\nx\n");
	is_int(m == NULL ? 0 : mime_message_date(m), 1704067200,
	    "Date without a weekday");
	mime_message_free(m);
}

static void
test_bodies(void)
{
	char	*t;

	t = render_text("Content-Type: text/plain; charset=iso-8859-1\n"
	    "Content-Transfer-Encoding: quoted-printable\n\n"
	    "Gr=FC=DFe aus K=F6ln=\n weiter\n", NULL);
	is_str(t, "Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln weiter\n",
	    "ISO-8859-1 quoted-printable body");
	free(t);

	t = render_text("Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: base64\n\n"
	    "R3L*DvMOf!ZSBh\ndXMg#QmVy bGlu\n", NULL);
	is_str(t, "Gr\xc3\xbc\xc3\x9f" "e aus Berlin\n",
	    "base64 with junk (every text block ends with a newline)");
	free(t);

	t = render_text("Content-Transfer-Encoding: quoted-printable\n\n"
	    "a=ZZb =3D c\n", NULL);
	is_str(t, "a=ZZb = c\n", "QP with an invalid =ZZ keeps it");
	free(t);

	t = render_text("Content-Type: text/plain; charset=x-unknown\n\n"
	    "caf\xe9\n", NULL);
	ok(t != NULL && valid_str(t), "unknown charset gives valid UTF-8");
	is_str(t, "caf\xc3\xa9\n", "... through windows-1252");
	free(t);

	t = render_text("Content-Type: text/plain; charset=bogus\n\n"
	    "a\xff\xfe\x81" "b\n", NULL);
	ok(t != NULL && valid_str(t),
	    "unknown charset and undecodable bytes: valid UTF-8");
	free(t);

	t = render_text("Content-Type: text/plain; charset=us-ascii\n\n"
	    "Gr\xc3\xbc\xc3\x9f" "e\n", NULL);
	is_str(t, "Gr\xc3\xbc\xc3\x9f" "e\n", "8-bit UTF-8 labelled us-ascii");
	free(t);

	t = render_text("Subject: x\n\nGr\xc3\xbc\xc3\x9f" "e \xff\n", NULL);
	is_str(t, "Gr\xc3\xbc\xc3\x9f" "e \xef\xbf\xbd\n",
	    "damaged UTF-8 is repaired, not read as windows-1252");
	free(t);

	t = render_text("Content-Type: text/plain; charset=utf-8\n\n"
	    "ok \xe2\x82\n", NULL);
	is_str(t, "ok \xef\xbf\xbd\xef\xbf\xbd\n", "cut UTF-8 sequence");
	free(t);

	t = render_text("Content-Type: text/plain; charset=iso-2022-jp\n\n"
	    "\x1b$B$3$s$K$A$O\x1b(B\n", NULL);
	is_str(t, "\xe3\x81\x93\xe3\x82\x93\xe3\x81\xab"
	    "\xe3\x81\xa1\xe3\x81\xaf\n",
	    "ISO-2022-JP body");
	free(t);

	t = render_text("Content-Type: text/plain; charset=\"\"\n\nplain\n",
	    NULL);
	is_str(t, "plain\n", "empty charset parameter");
	free(t);

	t = render_text("Subject: x\r\n\r\nline1\r\nline2\r\n", NULL);
	is_str(t, "line1\nline2\n", "CRLF becomes LF");
	free(t);

	t = render_text("Subject: x\n\ncolour \x1b[31mred\x1b[0m csi "
	    "\xc2\x9b" "2J osc \x1b]0;title\x07 end\n", NULL);
	ok(contains(t, "\x1b[31mred\x1b[0m") && contains(t, "\xc2\x9b" "2J") &&
	    contains(t, "\x1b]0;title\x07"),
	    "ESC, CSI and OSC bytes pass through unchanged");
	free(t);
}

static void
test_nul(void)
{
	static const char	 msg[] = "Subject: x\n\na\0b\n";
	struct mime_message	*m;
	struct mime_render	 r;

	m = mime_message_parse(msg, sizeof msg - 1, NULL);
	if (m == NULL) {
		ok(0, "message with a NUL parses");
		return;
	}
	mime_message_render(m, &r);
	is_str(text_of(block(&r, MIME_BLOCK_TEXT, 0)), "a\xef\xbf\xbd" "b\n",
	    "NUL in a body becomes U+FFFD, nothing is cut");
	mime_render_release(&r);
	mime_message_free(m);
}

static void
test_attachments(void)
{
	struct mime_message	*m;
	struct mime_render	 r;
	const struct mime_block	*b;

	m = parse("Content-Type: multipart/mixed; boundary=XX\n\n"
	    "--XX\n"
	    "Content-Type: text/plain\n\nbody text\n"
	    "--XX\n"
	    "Content-Type: application/octet-stream\n"
	    "Content-Disposition: attachment;\n"
	    " filename*0*=UTF-8''%E6%97%A5%E6%9C%AC;\n"
	    " filename*1*=%E8%AA%9E.txt\n\nabc\n"
	    "--XX\n"
	    "Content-Type: application/pdf\n"
	    "Content-Disposition: attachment;"
	    " filename*=iso-8859-1'fr'%A3%20r%E9sum%E9.pdf\n\nxyz\n"
	    "--XX\n"
	    "Content-Type: IMAGE/PNG; name=\"=?UTF-8?B?w6kucG5n?=\"\n"
	    "Content-Transfer-Encoding: base64\n\n"
	    "iVBORw0KGgowMTIzNDU2Nzg5\n"
	    "--XX\n"
	    "Content-Type: text/plain\n"
	    "Content-Disposition: attachment; filename=\"notes.txt\"\n\n"
	    "not shown inline\n"
	    "--XX\n"
	    "Content-Type: text/calendar; method=REQUEST\n\n"
	    "BEGIN:VCALENDAR\nEND:VCALENDAR\n"
	    "--XX--\n");
	if (m == NULL) {
		ok(0, "attachment message parses");
		return;
	}
	mime_message_render(m, &r);
	is_int(r.n_blocks, 6, "six blocks");
	is_int(count(&r, MIME_BLOCK_TEXT), 1, "... one of them text");
	is_str(text_of(block(&r, MIME_BLOCK_TEXT, 0)), "body text\n",
	    "... the body");
	b = block(&r, MIME_BLOCK_ATTACHMENT, 0);
	is_str(b == NULL ? NULL : b->filename,
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e.txt",
	    "RFC 2231 continued UTF-8 filename");
	ok(b != NULL && b->size == 3, "... decoded size");
	is_str(b == NULL ? NULL : b->content_type, "application/octet-stream",
	    "... content type");
	ok(b != NULL && b->text == NULL, "... no text");
	b = block(&r, MIME_BLOCK_ATTACHMENT, 1);
	is_str(b == NULL ? NULL : b->filename,
	    "\xc2\xa3 r\xc3\xa9sum\xc3\xa9.pdf",
	    "RFC 2231 ISO-8859-1 filename with a language");
	b = block(&r, MIME_BLOCK_ATTACHMENT, 2);
	is_str(b == NULL ? NULL : b->content_type, "image/png",
	    "non-text part without a disposition, type in lower case");
	is_str(b == NULL ? NULL : b->filename, "\xc3\xa9.png",
	    "RFC 2047 encoded name parameter");
	ok(b != NULL && b->size == 18, "base64 decoded size");
	b = block(&r, MIME_BLOCK_ATTACHMENT, 3);
	is_str(b == NULL ? NULL : b->filename, "notes.txt",
	    "text part with disposition attachment is an attachment");
	b = block(&r, MIME_BLOCK_ATTACHMENT, 4);
	is_str(b == NULL ? NULL : b->content_type, "text/calendar",
	    "text/calendar is an attachment block");
	ok(render_valid(&r), "all valid UTF-8");
	mime_render_release(&r);
	mime_message_free(m);
}

static void
test_prelude(void)
{
	struct mime_message	*m;
	struct mime_render	 r;

	m = parse("Content-Type: multipart/mixed; boundary=NEVER\n\n"
	    "prelude text\nthat is all there is\n--OTHER\n\nfoo\n");
	if (m == NULL) {
		ok(0, "never-used boundary parses");
		return;
	}
	mime_message_render(m, &r);
	ok(contains(text_of(block(&r, MIME_BLOCK_TEXT, 0)), "prelude text") &&
	    contains(text_of(block(&r, MIME_BLOCK_TEXT, 0)), "foo"),
	    "never-used boundary: the prelude is shown");
	mime_render_release(&r);
	mime_message_free(m);

	m = parse("Content-Type: multipart/mixed\n\nno boundary at all\n");
	if (m != NULL) {
		mime_message_render(m, &r);
		ok(contains(text_of(block(&r, MIME_BLOCK_TEXT, 0)),
		    "no boundary at all"), "multipart without a boundary");
		mime_render_release(&r);
		mime_message_free(m);
	}

	m = parse("Content-Type: multipart/mixed; boundary=B\n\n--B--\n");
	if (m != NULL) {
		mime_message_render(m, &r);
		ok(r.n_blocks == 1 && r.blocks[0].kind == MIME_BLOCK_NOTE &&
		    contains(r.blocks[0].text, "multipart/mixed"),
		    "empty multipart is a note");
		mime_render_release(&r);
		mime_message_free(m);
	}
}

/* A message of n nested multiparts around one text part. */
static char *
nested(int n)
{
	struct buf	b;
	char		*s;
	int		 i;

	buf_init(&b);
	for (i = 0; i < n; i++)
		buf_printf(&b, "Content-Type: multipart/mixed; boundary=b%d\n"
		    "\n--b%d\n", i, i);
	buf_addstr(&b, "Content-Type: text/plain\n\ndeep\n");
	for (i = n - 1; i >= 0; i--)
		buf_printf(&b, "--b%d--\n", i);
	s = buf_detach(&b, NULL);
	return (s);
}

static void
test_limits(void)
{
	struct mime_message	*m;
	struct mime_render	 r;
	struct buf		 b;
	char			*s;
	int			 i;

	s = nested(MIME_MAX_DEPTH);
	m = parse(s);
	free(s);
	if (m != NULL) {
		mime_message_render(m, &r);
		is_str(text_of(block(&r, MIME_BLOCK_TEXT, 0)), "deep\n",
		    "nesting at MIME_MAX_DEPTH is shown");
		mime_render_release(&r);
		mime_message_free(m);
	}
	s = nested(MIME_MAX_DEPTH + 1);
	m = parse(s);
	free(s);
	if (m != NULL) {
		mime_message_render(m, &r);
		ok(count(&r, MIME_BLOCK_TEXT) == 0 &&
		    contains(text_of(block(&r, MIME_BLOCK_NOTE, 0)),
		    "nested deeper"), "one level deeper is a note");
		mime_render_release(&r);
		mime_message_free(m);
	}
	s = nested(600);
	m = parse(s);
	free(s);
	ok(m != NULL, "600 levels parse");
	if (m != NULL) {
		mime_message_render(m, &r);
		ok(r.n_blocks == 1 && r.blocks[0].kind == MIME_BLOCK_NOTE,
		    "600 levels render one note, no crash");
		mime_render_release(&r);
		mime_message_free(m);
	}

	buf_init(&b);
	buf_addstr(&b, "Content-Type: multipart/mixed; boundary=P\n\n");
	for (i = 0; i < MIME_MAX_PARTS + 5; i++)
		buf_printf(&b, "--P\n\npart %d\n", i);
	buf_addstr(&b, "--P--\n");
	m = parse(b.data);
	buf_release(&b);
	if (m != NULL) {
		mime_message_render(m, &r);
		is_int(r.n_blocks, MIME_MAX_PARTS + 1,
		    "over MIME_MAX_PARTS: the limit, then one note");
		is_int(count(&r, MIME_BLOCK_TEXT), MIME_MAX_PARTS,
		    "... MIME_MAX_PARTS text blocks");
		is_str(text_of(block(&r, MIME_BLOCK_TEXT, MIME_MAX_PARTS - 1)),
		    "part 999\n", "... in order");
		ok(r.n_blocks > 0 &&
		    r.blocks[r.n_blocks - 1].kind == MIME_BLOCK_NOTE &&
		    contains(r.blocks[r.n_blocks - 1].text, "more than"),
		    "... the note says the rest is not shown");
		mime_render_release(&r);
		mime_message_free(m);
	}

	buf_init(&b);
	buf_addstr(&b, "Content-Type: multipart/mixed; boundary=P\n\n");
	for (i = 0; i < MIME_MAX_PARTS; i++)
		buf_printf(&b, "--P\n\npart %d\n", i);
	buf_addstr(&b, "--P--\n");
	m = parse(b.data);
	buf_release(&b);
	if (m != NULL) {
		mime_message_render(m, &r);
		ok(r.n_blocks == MIME_MAX_PARTS &&
		    count(&r, MIME_BLOCK_NOTE) == 0,
		    "exactly MIME_MAX_PARTS parts: no note");
		mime_render_release(&r);
		mime_message_free(m);
	}
}

static void
test_alternative(void)
{
	char	*t;
	int	 from_html = -1;

	t = render_text("Content-Type: multipart/alternative; boundary=A\n\n"
	    "--A\nContent-Type: text/plain\n\nplain version\n"
	    "--A\nContent-Type: text/html\n\n<p>html <b>version</b></p>\n"
	    "--A--\n", &from_html);
	is_str(t, "plain version\n", "alternative: text/plain chosen");
	is_int(from_html, 0, "... not from HTML");
	free(t);

	t = render_text("Content-Type: multipart/alternative; boundary=A\n\n"
	    "--A\nContent-Type: text/html\n\n<p>html first</p>\n"
	    "--A\nContent-Type: text/plain\n\nplain second\n"
	    "--A--\n", NULL);
	is_str(t, "plain second\n", "... wherever text/plain is");
	free(t);

	from_html = -1;
	t = render_text("Content-Type: multipart/alternative; boundary=A\n\n"
	    "--A\nContent-Type: text/enriched\n\n<bold>x</bold>\n"
	    "--A\nContent-Type: text/html; charset=iso-8859-1\n\n"
	    "<p>caf\xe9 &amp; more</p>\n--A--\n", &from_html);
	is_str(t, "caf\xc3\xa9 & more\n", "... else HTML, converted");
	is_int(from_html, 1, "... marked from_html");
	free(t);

	t = render_text("Content-Type: multipart/alternative; boundary=A\n\n"
	    "--A\nContent-Type: text/plain\n\n  \n"
	    "--A\nContent-Type: text/html\n\n<p>the real text</p>\n"
	    "--A--\n", NULL);
	is_str(t, "the real text\n", "... HTML when the plain text is blank");
	free(t);

	t = render_text("Content-Type: multipart/alternative; boundary=A\n\n"
	    "--A\nContent-Type: application/x-one\n\n1\n"
	    "--A\nContent-Type: multipart/mixed; boundary=B\n\n"
	    "--B\n\nlast part text\n--B--\n"
	    "--A--\n", NULL);
	is_str(t, "last part text\n", "... else the last part");
	free(t);

	t = render_text("Content-Type: multipart/alternative; boundary=A\n\n"
	    "--A\nContent-Type: text/plain\n\n\n"
	    "--A\nContent-Type: multipart/related; boundary=R\n\n"
	    "--R\nContent-Type: text/html\n\n<p>related html</p>\n"
	    "--R\nContent-Type: image/png\n\nPNG\n--R--\n"
	    "--A--\n", NULL);
	is_str(t, "related html\n",
	    "... blank text/plain falls back to a multipart/related");
	free(t);

	from_html = -1;
	t = render_text("Subject: html only\n"
	    "Content-Type: text/html; charset=utf-8\n\n"
	    "<html><head><style>p{}</style></head><body><p>Hello</p>"
	    "<p>World &euro;</p></body></html>\n", &from_html);
	is_str(t, "Hello\n\nWorld \xe2\x82\xac\n", "HTML-only message");
	is_int(from_html, 1, "... marked from_html");
	free(t);
}

static void
test_invitation(void)
{
	struct mime_message	*m;
	struct mime_render	 r;
	const struct mime_block	*b;

	m = parse("Content-Type: multipart/alternative; boundary=A\n\n"
	    "--A\nContent-Type: text/plain\n\nMeeting at noon\n"
	    "--A\nContent-Type: text/html\n\n<p>Meeting at noon</p>\n"
	    "--A\nContent-Type: text/calendar; method=REQUEST\n\n"
	    "BEGIN:VCALENDAR\nMETHOD:REQUEST\nEND:VCALENDAR\n"
	    "--A--\n");
	if (m == NULL) {
		ok(0, "invitation parses");
		return;
	}
	mime_message_render(m, &r);
	is_int(r.n_blocks, 2, "invitation in an alternative: two blocks");
	is_str(text_of(block(&r, MIME_BLOCK_TEXT, 0)), "Meeting at noon\n",
	    "... the plain text");
	b = block(&r, MIME_BLOCK_ATTACHMENT, 0);
	is_str(b == NULL ? NULL : b->content_type, "text/calendar",
	    "... and the calendar part, not dropped as an alternative");
	mime_render_release(&r);
	mime_message_free(m);
}

static void
test_rfc822(void)
{
	struct mime_message	*m;
	struct mime_render	 r;
	const struct mime_block	*b;

	m = parse("Content-Type: multipart/mixed; boundary=M\n\n"
	    "--M\n\nsee the attached message\n"
	    "--M\nContent-Type: message/rfc822\n"
	    "Content-Disposition: attachment; filename=fwd.eml\n\n"
	    "From: =?UTF-8?Q?J=C3=BCrgen?= <j@x.example>\n"
	    "To: z@x.example\n"
	    "Subject: inner subject\n"
	    "Date: Tue, 1 Jan 2019 10:00:00 +0100\n"
	    "Content-Type: multipart/mixed; boundary=I\n\n"
	    "--I\n\ninner body\n"
	    "--I\nContent-Type: image/gif\n\nGIF\n"
	    "--I--\n"
	    "--M--\n");
	if (m == NULL) {
		ok(0, "rfc822 message parses");
		return;
	}
	mime_message_render(m, &r);
	is_int(r.n_blocks, 4, "attached message: four blocks");
	is_str(text_of(block(&r, MIME_BLOCK_TEXT, 0)),
	    "see the attached message\n", "... outer text");
	b = block(&r, MIME_BLOCK_TEXT, 1);
	is_str(b == NULL ? NULL : b->content_type, "message/rfc822",
	    "... header summary block");
	is_str(text_of(b), "From: J\xc3\xbcrgen <j@x.example>\n"
	    "Subject: inner subject\nDate: Tue, 1 Jan 2019 10:00:00 +0100\n",
	    "... with From, Subject and Date");
	is_str(b == NULL ? NULL : b->filename, "fwd.eml", "... its filename");
	is_str(text_of(block(&r, MIME_BLOCK_TEXT, 2)), "inner body\n",
	    "... inner body");
	b = block(&r, MIME_BLOCK_ATTACHMENT, 0);
	is_str(b == NULL ? NULL : b->content_type, "image/gif",
	    "... inner attachment");
	mime_render_release(&r);
	mime_message_free(m);
}

static void
test_crypto(void)
{
	struct mime_message	*m;
	struct mime_render	 r;

	m = parse("Content-Type: multipart/signed; boundary=S;"
	    " protocol=\"application/pgp-signature\"; micalg=pgp-sha256\n\n"
	    "--S\nContent-Type: text/plain\n\nsigned text\n"
	    "--S\nContent-Type: application/pgp-signature\n\n"
	    "-----BEGIN PGP SIGNATURE-----\nxx\n-----END PGP SIGNATURE-----\n"
	    "--S--\n");
	if (m != NULL) {
		mime_message_render(m, &r);
		ok(r.n_blocks == 2 &&
		    contains(text_of(block(&r, MIME_BLOCK_TEXT, 0)),
		    "signed text"), "multipart/signed: content shown");
		ok(contains(text_of(block(&r, MIME_BLOCK_NOTE, 0)),
		    "signature"), "... and a note for the signature");
		mime_render_release(&r);
		mime_message_free(m);
	}

	m = parse("Content-Type: multipart/encrypted; boundary=E;"
	    " protocol=\"application/pgp-encrypted\"\n\n"
	    "--E\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n"
	    "--E\nContent-Type: application/octet-stream\n\n"
	    "-----BEGIN PGP MESSAGE-----\nxx\n-----END PGP MESSAGE-----\n"
	    "--E--\n");
	if (m != NULL) {
		mime_message_render(m, &r);
		ok(r.n_blocks == 1 && contains(text_of(block(&r,
		    MIME_BLOCK_NOTE, 0)), "encrypted part not shown"),
		    "multipart/encrypted is a note");
		mime_render_release(&r);
		mime_message_free(m);
	}

	m = parse("Content-Type: application/pkcs7-mime;"
	    " smime-type=enveloped-data; name=smime.p7m\n"
	    "Content-Transfer-Encoding: base64\n\n"
	    "MIAGCSqGSIb3DQEHA6CAMIACAQA=\n");
	if (m != NULL) {
		mime_message_render(m, &r);
		ok(r.n_blocks == 1 && contains(text_of(block(&r,
		    MIME_BLOCK_NOTE, 0)), "encrypted part not shown"),
		    "application/pkcs7-mime is a note");
		mime_render_release(&r);
		mime_message_free(m);
	}
}

/* A message with a huge token between prefix and suffix, rendered. */
static int
huge(const char *prefix, const char *suffix, const char *want)
{
	struct mime_message	*m;
	struct mime_render	 r;
	struct buf		 b;
	int			 good;

	buf_init(&b);
	buf_addstr(&b, prefix);
	buf_grow(&b, HUGE_TOKEN);
	memset(b.data + b.len, 'a', HUGE_TOKEN);
	b.len += HUGE_TOKEN;
	b.data[b.len] = '\0';
	buf_addstr(&b, suffix);
	m = mime_message_parse(b.data, b.len, NULL);
	buf_release(&b);
	if (m == NULL)
		return (0);
	good = valid_str(mime_message_header(m, "Subject"));
	mime_message_render(m, &r);
	good = good && render_valid(&r) && r.n_blocks > 0 &&
	    contains(text_of(&r.blocks[r.n_blocks - 1]), want);
	mime_render_release(&r);
	mime_message_free(m);
	return (good);
}

/*
 * GMime copies RFC 2047 and RFC 2231 charset names onto the stack, so
 * names of megabytes crashed the parse, and our own charset lookup.
 */
static void *
huge_charsets(void *arg)
{
	ok(huge("Subject: =?", "?Q?x?=\n\nbody one\n", "body one"),
	    "huge RFC 2047 charset in a header");
	ok(huge("Content-Type: message/rfc822\n\nFrom: \"=?",
	    "?Q?x?=\" <a@b.example>\n\nbody two\n", "body two"),
	    "huge RFC 2047 charset in an attached message's From");
	ok(huge("Content-Disposition: inline; filename*=",
	    "''x.txt\n\nbody three\n", "body three"),
	    "huge RFC 2231 charset");
	ok(huge("Content-Type: text/plain; charset=", "\n\nbody four\n",
	    "body four"), "huge charset parameter");
	return (NULL);
}

/* Runs huge_charsets() on a small stack, as a worker thread might have. */
static void
test_huge_charsets(void)
{
	pthread_attr_t	 attr;
	pthread_t	 t;

	if (pthread_attr_init(&attr) != 0 ||
	    pthread_attr_setstacksize(&attr, HUGE_STACK) != 0 ||
	    pthread_create(&t, &attr, huge_charsets, NULL) != 0) {
		ok(0, "thread for the huge charset cases");
		return;
	}
	(void)pthread_join(t, NULL);
	(void)pthread_attr_destroy(&attr);
}

static void
test_twice(void)
{
	struct mime_message	*m;
	struct mime_render	 r1, r2;

	m = parse("Subject: twice\n\nsame body\n");
	if (m == NULL)
		return;
	mime_message_render(m, &r1);
	mime_message_render(m, &r2);
	ok(r1.n_blocks == 1 && r2.n_blocks == 1 &&
	    strcmp(r1.blocks[0].text, r2.blocks[0].text) == 0,
	    "rendering twice gives the same blocks");
	mime_render_release(&r1);
	mime_render_release(&r2);
	mime_message_free(m);
}

/* The corpus walk: totals and the names of files that failed. */
static size_t corpus_files, corpus_blocks, corpus_notes, corpus_failed;
static struct buf corpus_failures;

static int
corpus_one(const char *path, const struct stat *st, int type,
    struct FTW *ftw)
{
	static const char	*names[] = {
		"From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID",
		"Content-Type", NULL
	};
	struct mime_message	*m;
	struct mime_render	 r;
	char			*cause = NULL;
	size_t			 i;
	int			 good = 1;

	if (type != FTW_F || !S_ISREG(st->st_mode))
		return (0);
	corpus_files++;
	if ((m = mime_message_parse_file(path, &cause)) == NULL) {
		buf_printf(&corpus_failures, "# %s: %s\n", path,
		    cause == NULL ? "?" : cause);
		free(cause);
		corpus_failed++;
		return (0);
	}
	for (i = 0; names[i] != NULL; i++) {
		if (!valid_str(mime_message_header(m, names[i])))
			good = 0;
	}
	(void)mime_message_date(m);
	mime_message_render(m, &r);
	if (r.n_blocks == 0 || !render_valid(&r))
		good = 0;
	corpus_blocks += r.n_blocks;
	corpus_notes += count(&r, MIME_BLOCK_NOTE);
	mime_render_release(&r);
	mime_message_free(m);
	if (!good) {
		buf_printf(&corpus_failures, "# %s: invalid output\n", path);
		corpus_failed++;
	}
	return (0);
}

static void
test_corpus(void)
{
	struct timespec	 t0, t1;
	struct stat	 st;
	const char	*top;
	char		*dir;

	if ((top = getenv("top_srcdir")) == NULL)
		top = ".";
	xasprintf(&dir, "%s/../shared/corpus/mime", top);
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		printf("ok %d # SKIP corpus absent\n", ++tap_count);
		free(dir);
		return;
	}
	buf_init(&corpus_failures);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (nftw(dir, corpus_one, 16, FTW_PHYS) != 0)
		diag("cannot walk %s", dir);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	diag("corpus: %zu files, %zu blocks (%zu notes), %zu failed, %.2f s",
	    corpus_files, corpus_blocks, corpus_notes, corpus_failed,
	    (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (corpus_failures.len != 0)
		printf("%s", corpus_failures.data);
	ok(corpus_files > 0 && corpus_failed == 0,
	    "corpus parses and renders to valid UTF-8");
	buf_release(&corpus_failures);
	free(dir);
}

int
main(void)
{
	mime_init();
	mime_init();	/* a second call does nothing */

	test_version();
	test_edges();
	test_parse_file();
	test_no_headers();
	test_header_only();
	test_headers();
	test_dates();
	test_bodies();
	test_nul();
	test_attachments();
	test_prelude();
	test_limits();
	test_alternative();
	test_invitation();
	test_rfc822();
	test_crypto();
	test_twice();
	test_huge_charsets();
	test_corpus();

	mime_shutdown();
	return (tap_done());
}
