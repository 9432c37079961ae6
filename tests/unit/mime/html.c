/*
 * tests/unit/mime/html.c: mime_html_to_text() at its edges: no input, cut
 * tags and references, skipped elements, entities, white space, blocks,
 * lists and links.  Every prefix of a busy document is converted too, so
 * the sanitizer build catches any read past the end.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "mime/mime.h"

#include "../tap.h"
#include "../mimetest.h"

/* Converts a C string and compares; name is the test name. */
static void
conv(const char *in, const char *want, const char *name)
{
	char	*got;

	got = mime_html_to_text(in, strlen(in));
	is_str(got, want, name);
	free(got);
}

static void
test_empty(void)
{
	char	*s;

	s = mime_html_to_text(NULL, 0);
	is_str(s, "", "NULL input gives an empty string");
	free(s);
	s = mime_html_to_text(NULL, 10);
	is_str(s, "", "NULL input with a length gives an empty string");
	free(s);
	s = mime_html_to_text("", 0);
	is_str(s, "", "empty input gives an empty string");
	free(s);
	s = mime_html_to_text("<b>x</b>", 0);
	is_str(s, "", "length 0 reads nothing");
	free(s);
	s = mime_html_to_text("<b>abc</b>", 5);
	is_str(s, "ab\n", "only len bytes are read");
	free(s);
	conv("   \n\t  ", "", "white space only gives an empty string");
	conv("<html><body></body></html>", "", "tags only give nothing");
}

static void
test_text(void)
{
	conv("Hello <b>world</b>", "Hello world\n", "tags are dropped");
	conv("a   \n\t b", "a b\n", "white space collapses");
	conv("  lead and trail  ", "lead and trail\n",
	    "white space at the edges goes");
	conv("<span>a</span> <span>b</span><i>c</i>", "a bc\n",
	    "inline elements join");
	conv("a < b and c<=d", "a < b and c<=d\n", "a bare < is text");
	conv("x<", "x<\n", "a < at the end is text");
	conv("caf\xc3\xa9 \xf0\x9f\x98\x80", "caf\xc3\xa9 \xf0\x9f\x98\x80\n",
	    "UTF-8 text passes");
	conv("a\xff" "b\xc3", "a\xef\xbf\xbd" "b\xef\xbf\xbd\n",
	    "invalid UTF-8 becomes U+FFFD");
	conv("esc\x1b[31mred\x9b" "2J",
	    "esc\x1b[31mred\xef\xbf\xbd" "2J\n",
	    "ESC passes through (the sink sanitises)");
}

static void
test_blocks(void)
{
	conv("<p>one</p><p>two</p>", "one\n\ntwo\n", "paragraphs");
	conv("a<br>b<br/>c<BR >d", "a\nb\nc\nd\n", "<br> in its forms");
	conv("a<br><br><br><br>b", "a\n\nb\n", "at most one blank line");
	conv("<p></p><p></p><div><br><br><br>x</div>", "x\n",
	    "no blank lines at the start");
	conv("<div>a</div><div>b</div>", "a\nb\n", "divs break lines");
	conv("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr>"
	    "</table>", "a b\nc\n", "table rows and cells");
	conv("<h1>Title</h1>text", "Title\n\ntext\n", "headings");
	conv("x<hr>y", "x\n\ny\n", "<hr> separates");
	conv("<pre>a  b\n  c\r\nd</pre>e", "a  b\n  c\nd\n\ne\n",
	    "<pre> keeps white space");
	conv("<pre>a\n\n\n\nb</pre>", "a\n\nb\n", "<pre> blank lines limited");
	conv("line one\r\nline two", "line one line two\n",
	    "newlines in text are spaces");
}

/* Lists nested past the converter's own limit, then closed again. */
static void
deep_lists(void)
{
	struct buf	 b;
	char		*s;
	int		 i;

	buf_init(&b);
	for (i = 0; i < 40; i++)
		buf_addstr(&b, "<ol><li>x");
	for (i = 0; i < 40; i++)
		buf_addstr(&b, "</ol>");
	buf_addstr(&b, "<ol><li>after</ol>");
	s = mime_html_to_text(b.data, b.len);
	ok(s != NULL && strstr(s, "\n1. after\n") != NULL,
	    "40 nested lists, closed again");
	free(s);
	buf_release(&b);
}

static void
test_lists(void)
{
	conv("<ul><li>x</li><li>y</li></ul>", "* x\n* y\n", "<ul>");
	conv("<ol><li>x<li>y</ol>", "1. x\n2. y\n", "<ol> numbers items");
	conv("<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>",
	    "* a\n  * b\n* c\n", "nested lists indent");
	conv("<li>stray</li>", "* stray\n", "<li> outside a list");
	deep_lists();
	conv("text<ul><li> spaced </li></ul>after",
	    "text\n\n* spaced\n\nafter\n",
	    "lists are paragraphs");
}

static void
test_skipped(void)
{
	conv("a<script>var x = '<p>';</script>b", "ab\n", "<script> skipped");
	conv("a<SCRIPT type=x>if (a<b) {}</SCRIPT >b", "ab\n",
	    "<SCRIPT> skipped, any case");
	conv("a<script><script>x</script>b</script>c", "abc\n",
	    "nested <script> ends at the first </script>");
	conv("a<style>p { color: red }</style>b", "ab\n", "<style> skipped");
	conv("<head><title>T</title><meta charset=utf-8>"
	    "<style>x{}</style></head><body>B</body>", "B\n",
	    "<head> content skipped");
	conv("<head><title>T</title><p>shown", "shown\n",
	    "body content ends an unclosed <head>");
	conv("<html><head>text in head</head></html>", "text in head\n",
	    "text in <head> is shown, as a browser shows it");
	conv("<head><xml><w:View>Normal</w:View></xml></head>x", "x\n",
	    "Outlook <xml> islands skipped");
	conv("a<script>never closed", "a\n", "unclosed <script>");
	conv("a<script>x</scriptx>y</script>b", "ab\n",
	    "</scriptx> does not end <script>");
	conv("a<!-- <p>hidden</p> -->b", "ab\n", "comments dropped");
	conv("a<!--[if mso]><xml>o</xml><![endif]-->b", "ab\n",
	    "conditional comments dropped");
	conv("<!DOCTYPE html><?xml x?>a", "a\n", "declarations dropped");
	conv("a</ b>c", "ac\n", "bogus end tag dropped");
}

static void
test_entities(void)
{
	conv("&amp;&lt;&gt;&quot;&apos;", "&<>\"'\n", "basic entities");
	conv("a&nbsp;&nbsp;b", "a  b\n", "&nbsp; does not collapse");
	conv("&copy;&reg;&trade;&euro;&pound;&yen;&cent;&sect;&deg;",
	    "\xc2\xa9\xc2\xae\xe2\x84\xa2\xe2\x82\xac\xc2\xa3\xc2\xa5\xc2\xa2"
	    "\xc2\xa7\xc2\xb0\n", "symbols");
	conv("&mdash;&ndash;&hellip;&bull;&lsquo;&rsquo;&ldquo;&rdquo;",
	    "\xe2\x80\x94\xe2\x80\x93\xe2\x80\xa6\xe2\x80\xa2\xe2\x80\x98"
	    "\xe2\x80\x99\xe2\x80\x9c\xe2\x80\x9d\n", "punctuation");
	conv("&laquo;&raquo;&times;&divide;&middot;&para;&plusmn;",
	    "\xc2\xab\xc2\xbb\xc3\x97\xc3\xb7\xc2\xb7\xc2\xb6\xc2\xb1\n",
	    "more symbols");
	conv("&eacute;&uuml;&szlig;&Auml;",
	    "\xc3\xa9\xc3\xbc\xc3\x9f\xc3\x84\n",
	    "letters");
	conv("&#65;&#x42;&#X43;&#x1F600;", "ABC\xf0\x9f\x98\x80\n",
	    "numeric references");
	conv("&#0;&#xD800;&#x110000;&#99999999999999;",
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\n",
	    "invalid code points become U+FFFD");
	conv("&#150;&#146;", "\xe2\x80\x93\xe2\x80\x99\n",
	    "0x80-0x9f read as windows-1252");
	conv("&#27;[31m", "\x1b[31m\n", "&#27; gives ESC (the sink sanitises)");
	conv("&bogus; AT&T & x &AMP;", "&bogus; AT&T & x &AMP;\n",
	    "unknown references stay text");
	conv("&amp &lt", "& <\n", "known names without ';'");
	conv("&#65x", "Ax\n", "numeric reference without ';'");
}

static void
test_truncated(void)
{
	conv("<a href='", "", "cut attribute value");
	conv("<a href=\"http://x", "", "cut double-quoted value");
	conv("x<a href=", "x\n", "cut before the value");
	conv("x<div", "x\n", "cut tag name");
	conv("x<div class", "x\n", "cut attribute name");
	conv("<", "<\n", "lone <");
	conv("</", "</\n", "lone </ is text");
	conv("x<!", "x\n", "cut declaration");
	conv("x<!--", "x\n", "cut comment opening");
	conv("x<!-- abc -", "x\n", "cut comment");
	conv("&", "&\n", "lone &");
	conv("&#", "&#\n", "cut &#");
	conv("&#x", "&#x\n", "cut &#x");
	conv("&#x4", "\x04\n",
	    "cut &#x4 still decodes (controls are the sink's job)");
	conv("&am", "&am\n", "cut entity name");
	conv("&amp", "&\n", "entity at the very end");
	conv("<script", "", "cut <script");
	conv("<script>x</scr", "", "cut </script>");
	conv("<scr", "", "cut tag");
}

static void
test_links(void)
{
	conv("<a href=\"http://x.org/a\">site</a>", "site <http://x.org/a>\n",
	    "link target follows its text");
	conv("<a href=\"http://x.org\">http://x.org</a>", "http://x.org\n",
	    "target equal to the text is not repeated");
	conv("<a href=\"https://x.org/\">x.org</a>", "x.org\n",
	    "scheme and final slash ignored when comparing");
	conv("<a href=\"mailto:a@b.c\">a@b.c</a>", "a@b.c\n",
	    "mailto: target equal to the text");
	conv("<a href='x?a=1&amp;b=2'>t</a>", "t <x?a=1&b=2>\n",
	    "references decoded in the target");
	conv("<a href=\"#top\">up</a>", "up\n", "fragment links dropped");
	conv("<a href=\"javascript:x()\">js</a>", "js\n",
	    "javascript: links dropped");
	conv("<a href=u1>one<a href=u2>two</a>", "one <u1>two <u2>\n",
	    "a new link closes the open one");
	conv("<a href=u>open", "open <u>\n", "unclosed link closed at the end");
	conv("<a href=\"http://x.org/i\"><img src=i.png></a>",
	    "<http://x.org/i>\n", "link with no text shows the target");
	conv("<a name=x>anchor</a>", "anchor\n", "anchor without href");
	conv("<A HREF = \" u \">t</A>", "t <u>\n",
	    "upper case, spaces around = and in the value");
}

/* Every prefix of a busy document, under the sanitizers. */
static void
test_prefixes(void)
{
	static const char	*doc =
	    "<!DOCTYPE html><html><head><title>t&amp;</title><style>b{}"
	    "</style></head><body><p class=\"a\">Hi &lt;you&gt; &#x1F600;"
	    "&#169 &copy</p><ul><li><a href='http://e.org/?a=1&amp;b'>e"
	    "</a><li>two<ol><li>x</ol></ul><pre> a\r\n b</pre><!-- c -->"
	    "<script>if(a<b)</script><table><tr><td>1<td>2</table>&nbsp;"
	    "caf\xc3\xa9</body></html>";
	size_t			 len = strlen(doc), i, bad = 0;
	char			*s;

	for (i = 0; i <= len; i++) {
		s = mime_html_to_text(doc, i);
		if (s == NULL || !mimetest_valid_utf8(s, strlen(s)))
			bad++;
		free(s);
	}
	is_int(bad, 0, "every prefix converts to valid UTF-8");
}

int
main(void)
{
	test_empty();
	test_text();
	test_blocks();
	test_lists();
	test_skipped();
	test_entities();
	test_truncated();
	test_links();
	test_prefixes();
	return (tap_done());
}
