/*
 * core/text.c: untrusted text on its way to a sink (STYLE.md section 7).
 * Input is UTF-8 from mime/ or a server, possibly broken.  Output is text
 * a terminal can only print: no control character survives, so no escape
 * sequence can be formed, and characters that would move the cursor in
 * surprising ways (bidi overrides, zero-width characters) are dropped or
 * shown as visible "<U+XXXX>" marks.
 */
#include "config.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/core.h"

#define TEXT_REPLACEMENT	0xfffdu
#define TEXT_TABSTOP		8

static int	 text_utf8 = 1;

/* Decides once whether the terminal's locale can show UTF-8. */
void
text_init(void)
{
	const char	*cs = nl_langinfo(CODESET);

	text_utf8 = (cs != NULL && (strcmp(cs, "UTF-8") == 0 ||
	    strcmp(cs, "utf8") == 0));
}

int
text_locale_utf8(void)
{
	return (text_utf8);
}

size_t
text_utf8_len(const void *v, size_t left)
{
	const unsigned char	*p = v;
	unsigned char		 lo = 0x80, hi = 0xbf;
	size_t			 n, i;

	if (left == 0)
		return (0);
	if (p[0] < 0x80)
		return (1);
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		if (p[0] == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (p[0] == 0xed)
			hi = 0x9f;	/* surrogates */
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		if (p[0] == 0xf0)
			lo = 0x90;	/* overlong */
		else if (p[0] == 0xf4)
			hi = 0x8f;	/* past U+10FFFF */
	} else
		return (0);
	if (left < n || p[1] < lo || p[1] > hi)
		return (0);
	for (i = 2; i < n; i++) {
		if (p[i] < 0x80 || p[i] > 0xbf)
			return (0);
	}
	return (n);
}

void
text_utf8_repair(struct buf *b, const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, start = 0, n;

	buf_grow(b, len);
	while (i < len) {
		if (p[i] != '\0' && p[i] < 0x80) {
			i++;
			continue;
		}
		if (p[i] != '\0' && (n = text_utf8_len(p + i, len - i)) != 0) {
			i += n;
			continue;
		}
		buf_add(b, s + start, i - start);
		buf_addstr(b, TEXT_REPLACEMENT_UTF8);
		start = ++i;
	}
	buf_add(b, s + start, len - start);
}

/*
 * Decodes one code point from s (len > 0 bytes).  A malformed sequence
 * decodes as U+FFFD consuming one byte, so decoding always makes progress.
 */
static uint32_t
text_decode(const unsigned char *s, size_t len, size_t *used)
{
	uint32_t	 cp;
	size_t		 n, i;

	if ((n = text_utf8_len(s, len)) == 0) {
		*used = 1;
		return (TEXT_REPLACEMENT);
	}
	*used = n;
	if (n == 1)
		return (s[0]);
	cp = s[0] & (n == 2 ? 0x1f : n == 3 ? 0x0f : 0x07);
	for (i = 1; i < n; i++)
		cp = (cp << 6) | (s[i] & 0x3f);
	return (cp);
}

static void
text_encode(struct buf *b, uint32_t cp)
{
	char	 out[4];

	if (cp < 0x80)
		buf_addch(b, (int)cp);
	else if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, out, 2);
	} else if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, out, 3);
	} else {
		out[0] = (char)(0xf0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[3] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, out, 4);
	}
}

static int
text_is_control(uint32_t cp)
{
	return (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f));
}

/* Characters that are invisible or reorder text around them. */
static int
text_is_invisible(uint32_t cp)
{
	return (cp == 0x00ad || cp == 0x061c ||
	    (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2060 && cp <= 0x2069) ||
	    cp == 0xfeff);
}

/* Columns a code point takes; -1 when the terminal cannot show it. */
static int
text_cp_width(uint32_t cp)
{
	if (cp < 0x80)
		return (text_is_control(cp) ? -1 : 1);
	if (!text_utf8)
		return (-1);
	return (wcwidth((wchar_t)cp));
}

static void
text_add_mark(struct buf *b, uint32_t cp)
{
	buf_addch(b, TEXT_MARK_START);
	buf_printf(b, "<U+%04X>", (unsigned int)cp);
	buf_addch(b, TEXT_MARK_END);
}

char *
text_sanitize(const char *s, size_t len, int flags)
{
	const unsigned char	*p = (const unsigned char *)s;
	struct buf		 b;
	size_t			 i = 0, used, col = 0;
	uint32_t		 cp;
	int			 w, multiline, visible, folded = 0;

	multiline = (flags & TEXT_MULTILINE) != 0;
	visible = (flags & TEXT_VISIBLE) != 0;
	buf_init(&b);
	if (s == NULL)
		return (buf_detach(&b, NULL));
	while (i < len) {
		cp = text_decode(p + i, len - i, &used);
		i += used;

		if (cp == '\n' && multiline) {
			buf_addch(&b, '\n');
			col = 0;
			continue;
		}
		if (cp == '\t' && multiline) {
			do
				buf_addch(&b, ' ');
			while (++col % TEXT_TABSTOP != 0);
			continue;
		}
		if (cp == '\r' && multiline)
			continue;
		if (cp == '\n' || cp == '\r' || cp == '\t') {
			/* One-line text: a fold is one space, however long. */
			if (!folded && b.len > 0 && b.data[b.len - 1] != ' ')
				buf_addch(&b, ' ');
			folded = 1;
			col++;
			continue;
		}
		if (folded && cp == ' ')
			continue;
		folded = 0;

		if (text_is_control(cp) || text_is_invisible(cp)) {
			if (visible) {
				text_add_mark(&b, cp);
				col += 8;
			}
			continue;
		}
		if ((w = text_cp_width(cp)) < 0) {
			if (text_utf8) {
				cp = TEXT_REPLACEMENT;
				w = 1;
			} else {
				cp = '?';
				w = 1;
			}
		}
		text_encode(&b, cp);
		col += (size_t)w;
	}
	return (buf_detach(&b, NULL));
}

void
text_strip_marks(char *s)
{
	char	*out = s;

	for (; *s != '\0'; s++) {
		if (*s != TEXT_MARK_START && *s != TEXT_MARK_END)
			*out++ = *s;
	}
	*out = '\0';
}

size_t
text_width(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 len = strlen(s), i = 0, used, width = 0;
	uint32_t		 cp;
	int			 w;

	while (i < len) {
		cp = text_decode(p + i, len - i, &used);
		i += used;
		if (cp == TEXT_MARK_START || cp == TEXT_MARK_END)
			continue;
		if ((w = text_cp_width(cp)) > 0)
			width += (size_t)w;
	}
	return (width);
}

/*
 * Appends s cut to cols columns.  A cut string ends in an ellipsis; zero
 * width characters (combining marks) stay with the character before them;
 * a mark cut in the middle is closed so the renderer's colour ends.
 */
void
text_fit(struct buf *b, const char *s, size_t cols, int flags)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 len = strlen(s), i = 0, used, width = 0;
	size_t			 start = b->len, pad, total;
	uint32_t		 cp;
	int			 w, in_mark = 0, cut = 0;

	total = text_width(s);
	while (i < len) {
		cp = text_decode(p + i, len - i, &used);
		w = text_cp_width(cp);
		if (cp == TEXT_MARK_START || cp == TEXT_MARK_END)
			w = 0;
		else if (w < 0)
			w = 0;
		/* Leave a column for the ellipsis when the rest won't fit. */
		if (total > cols && width + (size_t)w > cols - (cols > 0)) {
			cut = 1;
			break;
		}
		if (cp == TEXT_MARK_START)
			in_mark = 1;
		else if (cp == TEXT_MARK_END)
			in_mark = 0;
		buf_add(b, p + i, used);
		width += (size_t)w;
		i += used;
	}
	if (in_mark)
		buf_addch(b, TEXT_MARK_END);
	if (cut && cols > 0) {
		buf_addstr(b, text_utf8 ? "\xe2\x80\xa6" : "~");
		width++;
	}
	if ((flags & TEXT_FIT_PAD) && width < cols) {
		pad = cols - width;
		if (flags & TEXT_FIT_RIGHT) {
			buf_grow(b, pad);
			memmove(b->data + start + pad, b->data + start,
			    b->len - start + 1);
			memset(b->data + start, ' ', pad);
			b->len += pad;
		} else {
			while (pad-- > 0)
				buf_addch(b, ' ');
		}
	}
}

/*
 * A file name from a stranger: one line, no directory separators, no
 * leading dot or dash (hidden files, options), no marks, at most 200 bytes
 * cut on a character boundary, and never empty.
 */
char *
text_sanitize_filename(const char *s, size_t len)
{
	char		*clean, *p, *start;
	size_t		 n;
	struct buf	 b;

	clean = text_sanitize(s, s == NULL ? 0 : len, 0);
	text_strip_marks(clean);
	for (p = clean; *p != '\0'; p++) {
		if (*p == '/' || *p == '\\')
			*p = '_';
	}
	start = clean;
	while (*start == '.' || *start == ' ' || *start == '-')
		start++;
	n = strlen(start);
	while (n > 0 && start[n - 1] == ' ')
		n--;
	if (n > 200) {
		n = 200;
		while (n > 0 && ((unsigned char)start[n] & 0xc0) == 0x80)
			n--;
	}
	buf_init(&b);
	if (n == 0)
		buf_addstr(&b, "attachment");
	else
		buf_add(&b, start, n);
	free(clean);
	return (buf_detach(&b, NULL));
}

void
text_escape_log(struct buf *b, const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i;

	for (i = 0; i < len; i++) {
		if (p[i] == '\\')
			buf_addstr(b, "\\\\");
		else if (p[i] >= 0x20 && p[i] < 0x7f)
			buf_addch(b, p[i]);
		else
			buf_printf(b, "\\x%02x", p[i]);
	}
}
