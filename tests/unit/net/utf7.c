/*
 * tests/unit/net/utf7.c: IMAP modified UTF-7 (RFC 3501 5.1.3) both ways,
 * and the refusal of every name a correct encoder would not write.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "net/net.h"
#include "net/private.h"
#include "tests/unit/tap.h"

static void
decodes(const char *in, const char *want, const char *name)
{
	char	*out;

	out = utf7_decode(in);
	is_str(out, want, name);
	free(out);
}

static void
encodes(const char *in, const char *want, const char *name)
{
	char	*out, *back;

	out = utf7_encode(in);
	is_str(out, want, name);
	back = out != NULL ? utf7_decode(out) : NULL;
	free(out);
	free(back);
}

/* UTF-8 -> modified UTF-7 -> UTF-8 gives the same string. */
static void
round_trip(const char *in, const char *name)
{
	char	*out, *back;

	out = utf7_encode(in);
	back = out != NULL ? utf7_decode(out) : NULL;
	is_str(back, in, name);
	free(out);
	free(back);
}

int
main(void)
{
	/* Decoding. */
	decodes("", "", "empty name");
	decodes("INBOX", "INBOX", "ASCII stands for itself");
	decodes("&-", "&", "&- is &");
	decodes("Tom &- Jerry", "Tom & Jerry", "& inside a name");
	decodes("~peter/mail/&U,BTFw-/&ZeVnLIqe-",
	    "~peter/mail/\345\217\260\345\214\227/"
	    "\346\227\245\346\234\254\350\252\236", "RFC 3501 example");
	decodes("Entw&APw-rfe", "Entw\303\274rfe", "Entwürfe");
	decodes("&2D3eAA-", "\360\237\230\200", "U+1F600 as a surrogate pair");
	decodes("&AOkA6QDp-", "\303\251\303\251\303\251",
	    "three units in one run");
	decodes("a&AOk-b&AOk-c", "a\303\251b\303\251c", "two runs apart");

	/* Malformed: NULL. */
	decodes("&", NULL, "& at the end");
	decodes("&U,BTFw", NULL, "run without its -");
	decodes("&U,BTF-", NULL, "run cut inside a unit");
	decodes("&U,BTFx-", NULL, "padding bits not zero");
	decodes("&AGE-", NULL, "printable ASCII inside a run");
	decodes("&ACY-", NULL, "& inside a run (must be &-)");
	decodes("&AAA-", NULL, "NUL inside a run");
	decodes("&2D0-", NULL, "lone high surrogate");
	decodes("&3gA-", NULL, "lone low surrogate");
	decodes("&2D3YPQ-", NULL, "high surrogate after high surrogate");
	decodes("&U,BTFw-&ZeVnLIqe-", NULL, "two runs in a row");
	decodes("&U/BTFw-", NULL, "'/' is not modified base64");
	decodes("&*-", NULL, "not base64 at all");
	decodes("&=-", NULL, "no '=' padding in modified base64");
	decodes("caf\303\251", NULL, "raw 8-bit byte");
	decodes("a\tb", NULL, "raw control character");
	decodes("a\177b", NULL, "raw DEL");

	/* Encoding. */
	encodes("", "", "empty name");
	encodes("INBOX/Sent", "INBOX/Sent", "ASCII unchanged");
	encodes("Tom & Jerry", "Tom &- Jerry", "& becomes &-");
	encodes("~peter/mail/\345\217\260\345\214\227/"
	    "\346\227\245\346\234\254\350\252\236",
	    "~peter/mail/&U,BTFw-/&ZeVnLIqe-", "RFC 3501 example");
	encodes("Entw\303\274rfe", "Entw&APw-rfe", "Entwürfe");
	encodes("\360\237\230\200", "&2D3eAA-", "U+1F600");
	encodes("\303\251\303\251\303\251", "&AOkA6QDp-", "one run");
	encodes("a\tb", "a&AAk-b", "control characters are encoded");
	encodes("\377", "&,,0-", "malformed UTF-8 becomes U+FFFD");

	round_trip("Projekte/\303\234bersicht & Pl\303\244ne",
	    "round trip: German");
	round_trip("\320\222\321\205\320\276\320\264\321\217\321\211\320\270"
	    "\320\265", "round trip: Russian");
	round_trip("&&&--&", "round trip: ampersands and dashes");
	round_trip("\360\237\230\200x\360\237\230\200\360\237\230\200",
	    "round trip: astral plane");
	return (tap_done());
}
