/*
 * mime/html.c: HTML to plain text for the pager, with no library.  One
 * pass over the input, which is first made valid UTF-8: tags are read and
 * dropped (a few of them turn into line breaks, bullets or a link target),
 * entities are decoded and white space collapses as a browser would
 * collapse it.  Every read is checked against the end of the input, so a
 * cut tag or entity ends the text instead of running past it.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "mime/mime.h"
#include "private.h"

#define MIME_HTML_MAX_LISTS	16	/* deeper lists share the last level */
#define MIME_HTML_MAX_NAME	16	/* longer tag names are unknown */
#define MIME_HTML_MAX_ENTITY	32

struct mime_html {
	struct buf	 out;
	size_t		 nl;		/* newlines ending out */
	int		 space;		/* collapsed white space pending */
	int		 pre;		/* <pre> nesting */
	const char	*skip;		/* element whose content is skipped */
	char		*href;		/* target of the open link */
	size_t		 link;		/* where its text starts in out */
	int		 lists[MIME_HTML_MAX_LISTS]; /* 0: <ul>, n: next <ol> */
	size_t		 n_lists;	/* list nesting, may pass the array */
};

struct mime_html_entity {
	const char	*name;
	unsigned int	 cp;
};

/* Named entities: the ones mail actually uses. */
static const struct mime_html_entity mime_html_entities[] = {
	{ "AElig", 0xc6 }, { "Aacute", 0xc1 }, { "Agrave", 0xc0 },
	{ "Auml", 0xc4 }, { "Ccedil", 0xc7 }, { "Dagger", 0x2021 },
	{ "Eacute", 0xc9 }, { "Ntilde", 0xd1 }, { "Ouml", 0xd6 },
	{ "Uuml", 0xdc }, { "aacute", 0xe1 }, { "acirc", 0xe2 },
	{ "aelig", 0xe6 }, { "agrave", 0xe0 }, { "amp", '&' },
	{ "apos", '\'' }, { "aring", 0xe5 }, { "auml", 0xe4 },
	{ "bdquo", 0x201e }, { "bull", 0x2022 }, { "ccedil", 0xe7 },
	{ "cent", 0xa2 }, { "copy", 0xa9 }, { "dagger", 0x2020 },
	{ "deg", 0xb0 }, { "divide", 0xf7 }, { "eacute", 0xe9 },
	{ "ecirc", 0xea }, { "egrave", 0xe8 }, { "emsp", 0x2003 },
	{ "ensp", 0x2002 }, { "euml", 0xeb }, { "euro", 0x20ac },
	{ "frac12", 0xbd }, { "frac14", 0xbc }, { "frac34", 0xbe },
	{ "gt", '>' }, { "hellip", 0x2026 }, { "iacute", 0xed },
	{ "iexcl", 0xa1 }, { "iquest", 0xbf }, { "laquo", 0xab },
	{ "ldquo", 0x201c }, { "lrm", 0x200e }, { "lsaquo", 0x2039 },
	{ "lsquo", 0x2018 }, { "lt", '<' }, { "mdash", 0x2014 },
	{ "micro", 0xb5 }, { "middot", 0xb7 }, { "nbsp", 0xa0 },
	{ "ndash", 0x2013 }, { "ntilde", 0xf1 }, { "oacute", 0xf3 },
	{ "ocirc", 0xf4 }, { "ouml", 0xf6 }, { "para", 0xb6 },
	{ "permil", 0x2030 }, { "plusmn", 0xb1 }, { "pound", 0xa3 },
	{ "quot", '"' }, { "raquo", 0xbb }, { "rdquo", 0x201d },
	{ "reg", 0xae }, { "rlm", 0x200f }, { "rsaquo", 0x203a },
	{ "rsquo", 0x2019 }, { "sbquo", 0x201a }, { "sect", 0xa7 },
	{ "shy", 0xad }, { "szlig", 0xdf }, { "thinsp", 0x2009 },
	{ "times", 0xd7 }, { "trade", 0x2122 }, { "uacute", 0xfa },
	{ "uuml", 0xfc }, { "yen", 0xa5 }, { "zwj", 0x200d },
	{ "zwnj", 0x200c },
};

/*
 * What numeric references to 0x80-0x9f mean (HTML reads them as
 * windows-1252, the way old mail writers meant them).  0 keeps the C1
 * control, which the sink will remove.
 */
static const unsigned int mime_html_c1[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
};

/*
 * Elements whose content is never shown.  With these skipped, <head> has
 * nothing left to show; text in it ends it, as in a browser.  <xml> is
 * Outlook's island of document settings.
 */
static const char *mime_html_skipped[] = {
	"script", "style", "template", "title", "xml", NULL
};

/* Elements that break the line, and those that leave a blank line. */
static const char *mime_html_lines[] = {
	"address", "article", "aside", "caption", "center", "dd", "details",
	"div", "dt", "fieldset", "figcaption", "footer", "form", "header",
	"legend", "li", "main", "nav", "section", "summary", "tr", NULL
};
static const char *mime_html_paragraphs[] = {
	"blockquote", "dl", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
	"hr", "p", "pre", "table", NULL
};

#define MIME_HTML_SPACE(c) \
	((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\r' || (c) == '\f')

static int
mime_html_in(const char *name, const char **list)
{
	size_t	i;

	for (i = 0; list[i] != NULL; i++) {
		if (strcmp(name, list[i]) == 0)
			return (1);
	}
	return (0);
}

/* Whether out ends a line (or nothing has been written yet). */
static int
mime_html_at_start(struct mime_html *h)
{
	return (h->out.len == 0 || h->out.data[h->out.len - 1] == '\n');
}

/* Appends text, after the single space that collapsed white space left. */
static void
mime_html_emit(struct mime_html *h, const char *s, size_t len)
{
	if (len == 0)
		return;
	if (h->space && !mime_html_at_start(h) &&
	    h->out.data[h->out.len - 1] != ' ')
		buf_addch(&h->out, ' ');
	h->space = 0;
	buf_add(&h->out, s, len);
	h->nl = 0;
}

/* Appends one code point to b as UTF-8; invalid ones become U+FFFD. */
static void
mime_html_put_cp(struct buf *b, unsigned int cp)
{
	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80)
		buf_addch(b, (int)cp);
	else if (cp < 0x800) {
		buf_addch(b, 0xc0 | (cp >> 6));
		buf_addch(b, 0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		buf_addch(b, 0xe0 | (cp >> 12));
		buf_addch(b, 0x80 | ((cp >> 6) & 0x3f));
		buf_addch(b, 0x80 | (cp & 0x3f));
	} else {
		buf_addch(b, 0xf0 | (cp >> 18));
		buf_addch(b, 0x80 | ((cp >> 12) & 0x3f));
		buf_addch(b, 0x80 | ((cp >> 6) & 0x3f));
		buf_addch(b, 0x80 | (cp & 0x3f));
	}
}

static void
mime_html_trim_spaces(struct mime_html *h)
{
	while (h->out.len > 0 && h->out.data[h->out.len - 1] == ' ')
		h->out.len--;
	h->out.data[h->out.len] = '\0';
}

/*
 * Ends the line so that out finishes with want newlines (2: a blank
 * line).  Never at the very start, and never more than one blank line.
 */
static void
mime_html_break(struct mime_html *h, size_t want)
{
	h->space = 0;
	if (h->out.len == 0)
		return;
	mime_html_trim_spaces(h);
	while (h->nl < want && h->nl < 2) {
		buf_addch(&h->out, '\n');
		h->nl++;
	}
}

/* A hard line break (<br>, or a newline in <pre>). */
static void
mime_html_newline(struct mime_html *h)
{
	mime_html_break(h, h->nl + 1);
}

/*
 * Whether the link text (len bytes) says the same as href, so the target
 * need not follow it: equal, or equal once "mailto:", "http://" or
 * "https://" and a final slash are dropped from href.
 */
static int
mime_html_same_link(const char *text, size_t len, const char *href)
{
	static const char	*schemes[] = {
		"mailto:", "http://", "https://", NULL
	};
	size_t			 i, n, hlen;

	hlen = strlen(href);
	if (hlen == len && strncmp(text, href, len) == 0)
		return (1);
	for (i = 0; schemes[i] != NULL; i++) {
		n = strlen(schemes[i]);
		if (strncasecmp(href, schemes[i], n) == 0) {
			href += n;
			hlen -= n;
			break;
		}
	}
	if (hlen > 0 && href[hlen - 1] == '/')
		hlen--;
	return (hlen == len && strncmp(text, href, len) == 0);
}

/* Closes the open link, writing " <target>" when it adds something. */
static void
mime_html_close_link(struct mime_html *h)
{
	const char	*text;
	char		*href = h->href, *s;
	size_t		 len;

	if (href == NULL)
		return;
	h->href = NULL;
	if (h->link > h->out.len)
		h->link = h->out.len;
	text = h->out.data + h->link;
	len = h->out.len - h->link;
	while (len > 0 && MIME_HTML_SPACE(*text)) {
		text++;
		len--;
	}
	while (len > 0 && MIME_HTML_SPACE(text[len - 1]))
		len--;
	if (*href != '\0' && *href != '#' &&
	    strncasecmp(href, "javascript:", 11) != 0 &&
	    !mime_html_same_link(text, len, href)) {
		xasprintf(&s, "<%s>", href);
		h->space = 1;
		mime_html_emit(h, s, strlen(s));
		free(s);
	}
	free(href);
}

/*
 * Reads the character reference at s[i] == '&': "&name;" for the names
 * above (the ";" may be missing), "&#NNN;" or "&#xHH;".  Returns the index
 * after it with *cp set, or 0 when there is no reference we know here.
 */
static size_t
mime_html_ref(const char *s, size_t len, size_t i, unsigned int *cp)
{
	const struct mime_html_entity	*e;
	unsigned int			 base = 10, d;
	size_t				 j = i + 1, start, n, k;
	int				 c;

	*cp = 0;
	if (j < len && s[j] == '#') {
		j++;
		if (j < len && (s[j] == 'x' || s[j] == 'X')) {
			base = 16;
			j++;
		}
		for (start = j; j < len; j++) {
			c = (unsigned char)s[j];
			if (isdigit(c))
				d = (unsigned int)(c - '0');
			else if (base == 16 && isxdigit(c))
				d = (unsigned int)(tolower(c) - 'a' + 10);
			else
				break;
			if (*cp <= 0x10ffff)	/* past it stays invalid */
				*cp = *cp * base + d;
		}
		if (j == start)
			return (0);
		if (j < len && s[j] == ';')
			j++;
		if (*cp >= 0x80 && *cp <= 0x9f && mime_html_c1[*cp - 0x80] != 0)
			*cp = mime_html_c1[*cp - 0x80];
		if (*cp == 0)
			*cp = 0xfffd;
		return (j);
	}

	for (start = j; j < len && j - start < MIME_HTML_MAX_ENTITY &&
	    isalnum((unsigned char)s[j]); j++)
		;
	n = j - start;
	for (k = 0; k < sizeof mime_html_entities / sizeof *e; k++) {
		e = &mime_html_entities[k];
		if (strlen(e->name) != n || strncmp(e->name, s + start, n) != 0)
			continue;
		if (j < len && s[j] == ';')
			j++;
		*cp = e->cp;
		return (j);
	}
	return (0);
}

/* An attribute value with references decoded and line breaks dropped. */
static char *
mime_html_attribute(const char *s, size_t len)
{
	struct buf	 b;
	unsigned int	 cp;
	size_t		 i = 0, j;
	char		*v;

	buf_init(&b);
	while (i < len) {
		if (s[i] == '&' && (j = mime_html_ref(s, len, i, &cp)) != 0) {
			mime_html_put_cp(&b, cp);
			i = j;
			continue;
		}
		if (s[i] != '\n' && s[i] != '\r' && s[i] != '\t')
			buf_addch(&b, s[i]);
		i++;
	}
	while (b.len > 0 && b.data[b.len - 1] == ' ')
		b.len--;
	b.data[b.len] = '\0';
	for (i = 0; b.data[i] == ' '; i++)
		;
	v = xstrdup(b.data + i);
	buf_release(&b);
	return (v);
}

/* Starts a list item: "* ", or "N. " in <ol>, indented by nesting. */
static void
mime_html_list_item(struct mime_html *h)
{
	char	bullet[32];
	size_t	i, level;
	int	*n;

	mime_html_break(h, 1);
	level = h->n_lists;
	if (level > MIME_HTML_MAX_LISTS)
		level = MIME_HTML_MAX_LISTS;
	n = level == 0 ? NULL : &h->lists[level - 1];
	for (i = 1; i < level; i++)
		mime_html_emit(h, "  ", 2);
	if (n != NULL && *n > 0) {
		(void)snprintf(bullet, sizeof bullet, "%d. ", *n);
		if (*n < 999999)
			(*n)++;
	} else
		(void)strlcpy(bullet, "* ", sizeof bullet);
	mime_html_emit(h, bullet, strlen(bullet));
}

/* Acts on a complete tag: name is lower case, end is set for </name>. */
static void
mime_html_element(struct mime_html *h, const char *name, int end,
    const char *href)
{
	size_t	i;

	for (i = 0; mime_html_skipped[i] != NULL; i++) {
		if (!end && strcmp(name, mime_html_skipped[i]) == 0)
			h->skip = mime_html_skipped[i];
	}
	if (end && h->skip != NULL && strcmp(name, h->skip) == 0)
		h->skip = NULL;

	if (strcmp(name, "br") == 0) {
		mime_html_newline(h);
		return;
	}
	if (strcmp(name, "a") == 0) {
		mime_html_close_link(h);
		if (!end && href != NULL) {
			h->href = xstrdup(href);
			h->link = h->out.len;
		}
		return;
	}
	if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0) {
		if (!end)
			h->space = 1;
		return;
	}
	if (strcmp(name, "ul") == 0 || strcmp(name, "ol") == 0) {
		if (!end) {
			mime_html_break(h, h->n_lists == 0 ? 2 : 1);
			if (h->n_lists < MIME_HTML_MAX_LISTS)
				h->lists[h->n_lists] = name[0] == 'o';
			h->n_lists++;
		} else {
			if (h->n_lists > 0)
				h->n_lists--;
			mime_html_break(h, h->n_lists == 0 ? 2 : 1);
		}
		return;
	}
	if (strcmp(name, "li") == 0) {
		if (!end)
			mime_html_list_item(h);
		else
			mime_html_break(h, 1);
		return;
	}
	if (strcmp(name, "pre") == 0) {
		if (!end)
			h->pre++;
		else if (h->pre > 0)
			h->pre--;
	}
	if (mime_html_in(name, mime_html_paragraphs))
		mime_html_break(h, 2);
	else if (mime_html_in(name, mime_html_lines))
		mime_html_break(h, 1);
}

/*
 * Reads the tag at s[i] == '<' and returns the index after it.  A tag cut
 * by the end of the input is dropped, as a browser drops it; a '<' that
 * cannot start a tag is text.
 */
static size_t
mime_html_tag(struct mime_html *h, const char *s, size_t len, size_t i)
{
	char		 name[MIME_HTML_MAX_NAME + 1];
	char		*href = NULL;
	const char	*p, *an, *v;
	size_t		 j = i + 1, n = 0, anlen, vlen;
	int		 end = 0, q;

	if (j < len && (s[j] == '!' || s[j] == '?')) {
		if (len - j >= 3 && s[j + 1] == '-' && s[j + 2] == '-') {
			for (j += 3; j + 2 < len; j++) {
				if (s[j] == '-' && s[j + 1] == '-' &&
				    s[j + 2] == '>')
					return (j + 3);
			}
			return (len);
		}
		p = memchr(s + j, '>', len - j);
		return (p == NULL ? len : (size_t)(p - s) + 1);
	}
	if (j < len && s[j] == '/') {
		end = 1;
		j++;
	}
	if (j >= len) {		/* "<" or "</" at the very end is text */
		mime_html_emit(h, s + i, len - i);
		return (len);
	}
	if (!isalpha((unsigned char)s[j])) {
		if (end) {	/* "</ x>" and the like: a bogus comment */
			p = memchr(s + j, '>', len - j);
			return (p == NULL ? len : (size_t)(p - s) + 1);
		}
		mime_html_emit(h, "<", 1);
		return (i + 1);
	}

	for (; j < len && !MIME_HTML_SPACE(s[j]) && s[j] != '/' &&
	    s[j] != '>'; j++) {
		if (n < sizeof name)
			name[n++] = (char)tolower((unsigned char)s[j]);
	}
	if (n == sizeof name)	/* too long to be one we know */
		n = 0;
	name[n] = '\0';

	for (;;) {
		while (j < len && (MIME_HTML_SPACE(s[j]) || s[j] == '/'))
			j++;
		if (j >= len) {
			free(href);
			return (len);
		}
		if (s[j] == '>')
			break;

		an = s + j;
		for (j++; j < len && !MIME_HTML_SPACE(s[j]) && s[j] != '/' &&
		    s[j] != '>' && s[j] != '='; j++)
			;
		anlen = (size_t)(s + j - an);
		while (j < len && MIME_HTML_SPACE(s[j]))
			j++;
		if (j >= len || s[j] != '=')
			continue;
		for (j++; j < len && MIME_HTML_SPACE(s[j]); j++)
			;
		if (j >= len)
			continue;
		if (s[j] == '"' || s[j] == '\'') {
			q = s[j++];
			v = s + j;
			if ((p = memchr(v, q, len - j)) == NULL) {
				free(href);
				return (len);
			}
			vlen = (size_t)(p - v);
			j += vlen + 1;
		} else {
			v = s + j;
			for (; j < len && !MIME_HTML_SPACE(s[j]) &&
			    s[j] != '>'; j++)
				;
			vlen = (size_t)(s + j - v);
		}
		if (!end && anlen == 4 && strncasecmp(an, "href", 4) == 0 &&
		    strcmp(name, "a") == 0 && href == NULL)
			href = mime_html_attribute(v, vlen);
	}

	if (n != 0)
		mime_html_element(h, name, end, href);
	free(href);
	return (j + 1);
}

/* Writes the reference at s[i] == '&' and returns the index after it. */
static size_t
mime_html_entity(struct mime_html *h, const char *s, size_t len, size_t i)
{
	struct buf	 b;
	unsigned int	 cp;
	size_t		 j;

	if ((j = mime_html_ref(s, len, i, &cp)) == 0) {
		mime_html_emit(h, "&", 1);	/* not one: plain text */
		return (i + 1);
	}
	if (cp == 0xa0) {	/* &nbsp;: a space that does not collapse */
		mime_html_emit(h, " ", 1);
		return (j);
	}
	buf_init(&b);
	mime_html_put_cp(&b, cp);
	mime_html_emit(h, b.data, b.len);
	buf_release(&b);
	return (j);
}

/* Finds the "</name" that ends a skipped element, or returns len. */
static size_t
mime_html_find_end(const char *s, size_t len, size_t i, const char *name)
{
	const char	*p;
	size_t		 n = strlen(name), k;

	while (i < len && (p = memchr(s + i, '<', len - i)) != NULL) {
		k = (size_t)(p - s);
		if (len - k >= n + 2 && s[k + 1] == '/' &&
		    strncasecmp(s + k + 2, name, n) == 0 &&
		    (len - k == n + 2 || MIME_HTML_SPACE(s[k + 2 + n]) ||
		    s[k + 2 + n] == '/' || s[k + 2 + n] == '>'))
			return (k);
		i = k + 1;
	}
	return (len);
}

char *
mime_html_to_text(const char *in, size_t inlen)
{
	struct mime_html	 h;
	char			*s, *text;
	size_t			 len, i = 0, j;

	s = mime_fix_utf8(in, in == NULL ? 0 : inlen, &len);
	memset(&h, 0, sizeof h);
	buf_init(&h.out);

	while (i < len) {
		if (h.skip != NULL) {
			if ((i = mime_html_find_end(s, len, i, h.skip)) >= len)
				break;
			i = mime_html_tag(&h, s, len, i);
			continue;
		}
		switch (s[i]) {
		case '<':
			i = mime_html_tag(&h, s, len, i);
			continue;
		case '&':
			i = mime_html_entity(&h, s, len, i);
			continue;
		}
		if (MIME_HTML_SPACE(s[i])) {
			if (h.pre == 0)
				h.space = 1;
			else if (s[i] == '\r' && i + 1 < len &&
			    s[i + 1] == '\n')
				;
			else if (s[i] == '\n' || s[i] == '\r')
				mime_html_newline(&h);
			else
				mime_html_emit(&h, " ", 1);
			i++;
			continue;
		}
		for (j = i; j < len && s[j] != '<' && s[j] != '&' &&
		    !MIME_HTML_SPACE(s[j]); j++)
			;
		mime_html_emit(&h, s + i, j - i);
		i = j;
	}
	mime_html_close_link(&h);

	/* No white space at the end; one newline if there is any text. */
	while (h.out.len > 0 && MIME_HTML_SPACE(h.out.data[h.out.len - 1]))
		h.out.len--;
	h.out.data[h.out.len] = '\0';
	if (h.out.len > 0)
		buf_addch(&h.out, '\n');
	free(s);
	text = buf_detach(&h.out, NULL);
	return (text);
}
