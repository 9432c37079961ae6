/*
 * tests/unit/core/text.c: the sanitiser against a table of hostile
 * strings.  Whatever goes in, nothing that a terminal would interpret may
 * come out.
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tests/unit/tap.h"

struct text_case {
	const char	*name;
	const char	*in;
	size_t		 len;	/* 0: strlen */
	int		 flags;
	const char	*want;
};

#define M(s)	"\001" s "\002"

static const struct text_case cases[] = {
	{ "plain ASCII", "Hello, world", 0, 0, "Hello, world" },
	{ "UTF-8 kept", "Gr\xc3\xbc\xc3\x9f" "e \xe6\x97\xa5\xe6\x9c\xac", 0,
	    0, "Gr\xc3\xbc\xc3\x9f" "e \xe6\x97\xa5\xe6\x9c\xac" },
	{ "CSI colour dropped", "a\x1b[31mred\x1b[0m", 0, 0, "a[31mred[0m" },
	{ "CSI visible in pager", "a\x1b[31m", 0, TEXT_VISIBLE,
	    "a" M("<U+001B>") "[31m" },
	{ "OSC 52 clipboard", "\x1b]52;c;ZXZpbA==\x07x", 0, 0,
	    "]52;c;ZXZpbA==x" },
	{ "C1 CSI (U+009B) as UTF-8", "a\xc2\x9b" "31m", 0, 0, "a31m" },
	{ "raw C1 byte is invalid UTF-8", "a\x9b" "31m", 0, 0,
	    "a\xef\xbf\xbd" "31m" },
	{ "DEL dropped", "a\x7f" "b", 0, 0, "ab" },
	{ "NUL dropped", "a\0b", 3, 0, "ab" },
	{ "bell and backspace", "a\x07\x08" "b", 0, 0, "ab" },
	{ "one line folds LF", "a\nb", 0, 0, "a b" },
	{ "one line folds CRLF run", "a \r\n\t b", 0, 0, "a b" },
	{ "multiline keeps LF, drops CR", "a\r\nb\n", 0, TEXT_MULTILINE,
	    "a\nb\n" },
	{ "tab to next stop", "ab\tc", 0, TEXT_MULTILINE, "ab      c" },
	{ "RLO dropped from one line", "abc\xe2\x80\xae" "fdp.exe", 0, 0,
	    "abcfdp.exe" },
	{ "RLO visible in pager", "x\xe2\x80\xaey", 0,
	    TEXT_MULTILINE | TEXT_VISIBLE, "x" M("<U+202E>") "y" },
	{ "zero width space dropped", "a\xe2\x80\x8b" "b", 0, 0, "ab" },
	{ "BOM dropped", "\xef\xbb\xbfhi", 0, 0, "hi" },
	{ "soft hyphen dropped", "a\xc2\xad" "b", 0, 0, "ab" },
	{ "isolates dropped", "\xe2\x81\xa6x\xe2\x81\xa9", 0, 0, "x" },
	{ "overlong slash", "\xc0\xaf", 0, 0, "\xef\xbf\xbd\xef\xbf\xbd" },
	{ "surrogate", "\xed\xa0\x80", 0, 0,
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	{ "truncated sequence", "ab\xe6\x97", 0, 0,
	    "ab\xef\xbf\xbd\xef\xbf\xbd" },
	{ "beyond U+10FFFF", "\xf4\x90\x80\x80", 0, 0,
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	{ "our own mark bytes from mail are removed", "\001x\002", 0,
	    TEXT_VISIBLE, M("<U+0001>") "x" M("<U+0002>") },
	{ "combining mark kept", "e\xcc\x81", 0, 0, "e\xcc\x81" },
	{ "emoji kept", "ok \xf0\x9f\x98\x80", 0, 0, "ok \xf0\x9f\x98\x80" },
	{ "empty", "", 0, 0, "" },
};

static int
has_control(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 && *s != '\n' &&
		    *s != TEXT_MARK_START && *s != TEXT_MARK_END)
			return (1);
		if (*s == 0x7f)
			return (1);
	}
	return (0);
}

static void
test_fit(void)
{
	struct buf	 b;

	buf_init(&b);
	text_fit(&b, "abcdef", 4, 0);
	is_str(b.data, "abc\xe2\x80\xa6", "fit: cut with ellipsis");
	buf_clear(&b);
	text_fit(&b, "abc", 5, TEXT_FIT_PAD);
	is_str(b.data, "abc  ", "fit: padded");
	buf_clear(&b);
	text_fit(&b, "abc", 5, TEXT_FIT_PAD | TEXT_FIT_RIGHT);
	is_str(b.data, "  abc", "fit: right aligned");
	buf_clear(&b);
	text_fit(&b, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 4, TEXT_FIT_PAD);
	is_int(text_width(b.data), 4, "fit: wide characters keep columns");
	is_str(b.data, "\xe6\x97\xa5\xe2\x80\xa6 ", "fit: wide cut then pad");
	buf_clear(&b);
	text_fit(&b, "e\xcc\x81" "e\xcc\x81", 2, 0);
	is_str(b.data, "e\xcc\x81" "e\xcc\x81",
	    "fit: combining marks take no column");
	buf_clear(&b);
	text_fit(&b, "a" M("<U+202E>") "b", 4, 0);
	ok(strchr(b.data, TEXT_MARK_START) != NULL &&
	    strchr(b.data, TEXT_MARK_END) != NULL,
	    "fit: a mark cut in the middle is closed");
	buf_clear(&b);
	text_fit(&b, "abc", 0, TEXT_FIT_PAD);
	is_str(b.data, "", "fit: zero columns");
	buf_release(&b);
	is_int(text_width("ok \xf0\x9f\x98\x80"), 5, "width: emoji is 2");
	is_int(text_width(M("<U+202E>")), 8, "width: marks take none");
}

static void
test_filename(void)
{
	char	*s;

	s = text_sanitize_filename("../../etc/passwd", 16);
	is_str(s, "_.._etc_passwd", "filename: no traversal");
	free(s);
	s = text_sanitize_filename(".bashrc", 7);
	is_str(s, "bashrc", "filename: no hidden file");
	free(s);
	s = text_sanitize_filename("-rf", 3);
	is_str(s, "rf", "filename: no leading dash");
	free(s);
	s = text_sanitize_filename("a\x1b[2Jb\xe2\x80\xae.txt", 13);
	is_str(s, "a[2Jb.txt", "filename: controls and bidi removed");
	free(s);
	s = text_sanitize_filename("", 0);
	is_str(s, "attachment", "filename: never empty");
	free(s);
	s = text_sanitize_filename(NULL, 0);
	is_str(s, "attachment", "filename: NULL");
	free(s);
}

int
main(void)
{
	const struct text_case	*c;
	struct buf		 b;
	char			*out;
	size_t			 i;

	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		diag("no C.UTF-8 locale");
	text_init();
	ok(text_locale_utf8(), "C.UTF-8 is a UTF-8 locale");
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		c = &cases[i];
		out = text_sanitize(c->in, c->len ? c->len : strlen(c->in),
		    c->flags);
		is_str(out, c->want, c->name);
		ok(!has_control(out), "no control byte survives");
		free(out);
	}
	out = text_sanitize(NULL, 0, 0);
	is_str(out, "", "NULL input is empty");
	free(out);
	out = xstrdup("a" M("<U+202E>") "b");
	text_strip_marks(out);
	is_str(out, "a<U+202E>b", "strip marks");
	free(out);

	test_fit();
	test_filename();

	buf_init(&b);
	text_escape_log(&b, "a\x1b[1m\\\xc3\xa9", 8);
	is_str(b.data, "a\\x1b[1m\\\\\\xc3\\xa9", "log escaping");
	buf_release(&b);

	/* Outside UTF-8 nothing but ASCII may reach the terminal. */
	setlocale(LC_ALL, "C");
	text_init();
	out = text_sanitize("Gr\xc3\xbc\xc3\x9f" "e", 7, 0);
	is_str(out, "Gr??e", "C locale: non-ASCII becomes ?");
	free(out);
	return (tap_done());
}
