/* tests/unit/core/json.c: JSON strings are valid whatever the input. */
#include "config.h"

#include "core/core.h"
#include "tests/unit/tap.h"

static void
expect(const char *in, const char *want, const char *name)
{
	struct buf	 b;

	buf_init(&b);
	json_string(&b, in);
	is_str(b.data, want, name);
	buf_release(&b);
}

int
main(void)
{
	expect("", "\"\"", "empty");
	expect("plain", "\"plain\"", "plain");
	expect("a\"b\\c", "\"a\\\"b\\\\c\"", "quote and backslash");
	expect("a\nb\tc", "\"a\\nb\\tc\"", "newline and tab");
	expect("\x1b[31m\x7f", "\"\\u001b[31m\\u007f\"", "ESC and DEL escaped");
	expect("Gr\xc3\xbc\xc3\x9f" "e \xf0\x9f\x98\x80",
	    "\"Gr\xc3\xbc\xc3\x9f" "e \xf0\x9f\x98\x80\"", "UTF-8 kept");
	expect("a\xff" "b", "\"a\\ufffdb\"", "invalid byte replaced");
	expect("\xe6\x97", "\"\\ufffd\\ufffd\"", "truncated sequence");
	expect("\xc0\xaf", "\"\\ufffd\\ufffd\"", "overlong");
	expect("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"", "surrogate");
	expect("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"",
	    "beyond U+10FFFF");
	return (tap_done());
}
