/*
 * tests/unit/net/redact.c: no secret reaches a protocol trace.  Every
 * line that carries a password or SASL data, in IMAP, POP3 and SMTP, comes
 * out as "<redacted>"; ordinary lines come out as they went in; the login
 * state ends where the server's final answer says so, and not before.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "net/net.h"
#include "tests/unit/tap.h"

/* Everything that must never appear in a trace line. */
static const char *secrets[] = {
	"secret1",
	"AGFsaWNlAHNlY3JldDE=",		/* PLAIN: \0alice\0secret1 */
	"c2VjcmV0MQ==",			/* LOGIN: secret1 */
	"YWxpY2U=",			/* LOGIN: alice (a SASL line too) */
	"c4c9334bac560ecc979e58001b3e22fb",
	"dXNlcj1hbGljZQFhdXRo",		/* XOAUTH2 */
	NULL,
};

static struct net_redact	 st;
static const char		*proto;

static void
session(const char *p)
{
	memset(&st, 0, sizeof st);
	proto = p;
}

/* One line through the redactor: its output, and no secret in it. */
static void
line(int sent, const char *in, const char *want, const char *name)
{
	char	*out;
	size_t	 i;
	int	 leak = 0;

	net_trace_redact(&st, proto, sent, in, strlen(in), &out);
	is_str(out, want, name);
	for (i = 0; secrets[i] != NULL; i++) {
		if (strstr(out, secrets[i]) != NULL)
			leak = 1;
	}
	ok(!leak, "  ... and no secret in it");
	free(out);
}

#define C(in, want, name)	line(1, (in), (want), (name))
#define S(in, want, name)	line(0, (in), (want), (name))

static void
test_imap(void)
{
	session("IMAP");
	S("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n",
	    "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready", "greeting");
	C("1 CAPABILITY\r\n", "1 CAPABILITY", "ordinary command");
	C("2 LOGIN alice secret1\r\n", "2 LOGIN <redacted>",
	    "LOGIN: user and password hidden");
	S("2 OK Logged in\r\n", "2 OK Logged in", "tagged answer shown");
	C("3 SELECT INBOX\r\n", "3 SELECT INBOX",
	    "after the tagged answer, commands show again");

	C("4 AUTHENTICATE PLAIN\r\n", "4 AUTHENTICATE PLAIN",
	    "AUTHENTICATE without initial response: nothing to hide yet");
	S("+ \r\n", "+ ", "continuation request");
	C("AGFsaWNlAHNlY3JldDE=\r\n", "<redacted>", "SASL response hidden");
	S("4 OK done\r\n", "4 OK done", "end of AUTHENTICATE");
	C("5 NOOP\r\n", "5 NOOP", "then commands show again");

	C("6 authenticate plain AGFsaWNlAHNlY3JldDE=\r\n",
	    "6 authenticate plain <redacted>", "SASL-IR, lower case");
	S("6 NO [AUTHENTICATIONFAILED] failed\r\n",
	    "6 NO [AUTHENTICATIONFAILED] failed", "failure answer");
	C("7 LIST \"\" *\r\n", "7 LIST \"\" *", "shown after a NO");

	C("8 AUTHENTICATE XOAUTH2 dXNlcj1hbGljZQFhdXRo\r\n",
	    "8 AUTHENTICATE XOAUTH2 <redacted>", "XOAUTH2 token");
	S("8 OK\r\n", "8 OK", "XOAUTH2 done");

	C("9 LOGIN {5}\r\n", "9 LOGIN <redacted>", "LOGIN with literals");
	S("+ OK\r\n", "+ OK", "literal continuation");
	C("alice {7}\r\n", "<redacted>", "literal user name");
	S("* OK still waiting\r\n", "* OK still waiting", "untagged line");
	C("secret1\r\n", "<redacted>",
	    "literal password, after an untagged line");
	S("9 OK Logged in\r\n", "9 OK Logged in", "literal LOGIN done");

	C("1 LOGIN alice secret1\r\n", "1 LOGIN <redacted>", "tag 1");
	S("10 OK other\r\n", "10 OK other", "tag 10 is not tag 1");
	C("c2VjcmV0MQ==\r\n", "<redacted>", "still inside the login of 1");
	S("* BYE going away\r\n", "* BYE going away", "BYE ends it");
	C("11 LOGOUT\r\n", "11 LOGOUT", "shown after BYE");

	C("12 SELECT \"a\001b\\\\c\"\r\n", "12 SELECT \"a\\x01b\\\\\\\\c\"",
	    "control bytes and backslashes escaped");
	C("13 NOOP\n", "13 NOOP", "bare LF line ending");
	S("* 1 FETCH (BODY[] {3}\r\n", "* 1 FETCH (BODY[] {3}",
	    "received lines shown");
}

static void
test_pop(void)
{
	session("POP");
	S("+OK Dovecot ready.\r\n", "+OK Dovecot ready.", "greeting");
	C("CAPA\r\n", "CAPA", "CAPA");
	C("USER alice\r\n", "USER alice", "USER is not a secret");
	S("+OK\r\n", "+OK", "+OK");
	C("PASS secret1\r\n", "PASS <redacted>", "PASS hidden");
	C("pass secret1\r\n", "pass <redacted>", "pass, lower case");
	C("APOP alice c4c9334bac560ecc979e58001b3e22fb\r\n", "APOP <redacted>",
	    "APOP digest hidden");
	C("STAT\r\n", "STAT", "no state after PASS");

	C("AUTH PLAIN\r\n", "AUTH PLAIN", "AUTH without initial response");
	S("+ \r\n", "+ ", "continuation");
	C("AGFsaWNlAHNlY3JldDE=\r\n", "<redacted>", "SASL response hidden");
	S("+OK Logged in.\r\n", "+OK Logged in.", "+OK ends it");
	C("LIST\r\n", "LIST", "shown after +OK");

	C("AUTH PLAIN AGFsaWNlAHNlY3JldDE=\r\n", "AUTH PLAIN <redacted>",
	    "AUTH with initial response");
	S("-ERR [AUTH] failed\r\n", "-ERR [AUTH] failed", "-ERR ends it");
	C("RETR 1\r\n", "RETR 1", "shown after -ERR");
	C("AUTH\r\n", "AUTH", "AUTH alone lists mechanisms");
	S("+OK\r\n", "+OK", "its answer");
	C("UIDL\r\n", "UIDL", "and starts no login state");
}

static void
test_smtp(void)
{
	session("SMTP");
	S("220 localhost ESMTP\r\n", "220 localhost ESMTP", "greeting");
	C("EHLO [127.0.0.1]\r\n", "EHLO [127.0.0.1]", "EHLO");
	S("250-AUTH PLAIN LOGIN\r\n", "250-AUTH PLAIN LOGIN", "EHLO lines");
	C("AUTH PLAIN AGFsaWNlAHNlY3JldDE=\r\n", "AUTH PLAIN <redacted>",
	    "AUTH PLAIN with initial response");
	S("235 2.7.0 Authentication successful\r\n",
	    "235 2.7.0 Authentication successful", "235");
	C("MAIL FROM:<alice@example.test>\r\n",
	    "MAIL FROM:<alice@example.test>", "shown after 235");

	C("AUTH LOGIN\r\n", "AUTH LOGIN", "AUTH LOGIN");
	S("334 VXNlcm5hbWU6\r\n", "334 VXNlcm5hbWU6", "334 Username:");
	C("YWxpY2U=\r\n", "<redacted>", "base64 user hidden");
	S("334 UGFzc3dvcmQ6\r\n", "334 UGFzc3dvcmQ6", "334 Password:");
	C("c2VjcmV0MQ==\r\n", "<redacted>", "base64 password hidden");
	S("535 5.7.8 Error: authentication failed\r\n",
	    "535 5.7.8 Error: authentication failed", "535 ends it");
	C("QUIT\r\n", "QUIT", "shown after 535");

	C("auth login YWxpY2U=\r\n", "auth login <redacted>",
	    "AUTH LOGIN with the user name, lower case");
	S("334 UGFzc3dvcmQ6\r\n", "334 UGFzc3dvcmQ6", "334");
	C("c2VjcmV0MQ==\r\n", "<redacted>", "password hidden");
	S("454 4.7.0 Temporary failure\r\n", "454 4.7.0 Temporary failure",
	    "a 4xx ends it too");
	C("RSET\r\n", "RSET", "shown after 454");
	C("DATA\r\n", "DATA", "DATA");
}

int
main(void)
{
	test_imap();
	test_pop();
	test_smtp();
	return (tap_done());
}
