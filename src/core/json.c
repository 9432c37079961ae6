/*
 * core/json.c: JSON string escaping.  Input should be UTF-8; each byte of
 * a malformed sequence is written as U+FFFD, so the output is always
 * valid JSON.
 */
#include "config.h"

#include <string.h>

#include "core/core.h"

void
json_string(struct buf *b, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n;

	buf_addch(b, '"');
	while (*p != '\0') {
		if (*p == '"' || *p == '\\') {
			buf_addch(b, '\\');
			buf_addch(b, *p++);
		} else if (*p == '\n') {
			buf_addstr(b, "\\n");
			p++;
		} else if (*p == '\t') {
			buf_addstr(b, "\\t");
			p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			buf_printf(b, "\\u%04x", *p++);
		} else if (*p < 0x80) {
			buf_addch(b, *p++);
		} else if ((n = text_utf8_len(p, 4)) != 0) {
			/* Safe on a C string: checking stops at the NUL. */
			buf_add(b, p, n);
			p += n;
		} else {
			buf_addstr(b, "\\ufffd");
			p++;
		}
	}
	buf_addch(b, '"');
}
