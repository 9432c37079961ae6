/*
 * tests/unit/mime/itip.c: the iMIP message for an answer to an
 * invitation.  What mime_itip_build() makes is read back with GMime
 * (structure, content type parameters, headers) and its calendar part
 * with cal_ical_parse() (PARTSTAT, UID, SEQUENCE and RECURRENCE-ID kept),
 * as the organizer's client would read them.
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>

#include "core/core.h"
#include "mime/mime.h"
#include "cal/cal.h"
#include "../tap.h"

/* An invitation for one instance of a series, with a Windows zone. */
static const char invite[] =
    "From: Olga <olga@example.test>\n"
    "To: alice@example.test\n"
    "Subject: Weekly\n"
    "Message-ID: <invite-1@example.test>\n"
    "References: <first@example.test> <second@example.test>\n"
    "Date: Mon, 01 Feb 2027 10:00:00 +0000\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/calendar; charset=utf-8; method=REQUEST\n\n"
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//t//t//EN\r\n"
    "METHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:weekly-1@example.test\r\n"
    "SEQUENCE:3\r\n"
    "DTSTAMP:20270101T000000Z\r\n"
    "RECURRENCE-ID;TZID=\"Pacific Standard Time\":20270211T100000\r\n"
    "SUMMARY:Caf\xc3\xa9 sync\r\n"
    "ORGANIZER;CN=Olga:mailto:olga@example.test\r\n"
    "ATTENDEE;CN=Alice;PARTSTAT=NEEDS-ACTION:mailto:alice@example.test\r\n"
    "DTSTART;TZID=\"Pacific Standard Time\":20270211T110000\r\n"
    "DTEND;TZID=\"Pacific Standard Time\":20270211T120000\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n";

/* The text/calendar part of gm, or NULL. */
static GMimeObject *
calendar_part(GMimeMessage *gm)
{
	GMimeObject	*body = g_mime_message_get_mime_part(gm);
	GMimeObject	*p;
	int		 i;

	if (body == NULL || !GMIME_IS_MULTIPART(body))
		return (NULL);
	for (i = 0; i < g_mime_multipart_get_count(GMIME_MULTIPART(body));
	    i++) {
		p = g_mime_multipart_get_part(GMIME_MULTIPART(body), i);
		if (g_mime_content_type_is_type(
		    g_mime_object_get_content_type(p), "text", "calendar"))
			return (p);
	}
	return (NULL);
}

/* The decoded content of a part, for the caller to free. */
static char *
part_text(GMimeObject *p, size_t *len)
{
	GMimeStream	*s = g_mime_stream_mem_new();
	GByteArray	*b;
	char		*out;

	g_mime_data_wrapper_write_to_stream(g_mime_part_get_content(
	    GMIME_PART(p)), s);
	b = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(s));
	out = xmalloc(b->len + 1);
	memcpy(out, b->data, b->len);
	out[b->len] = '\0';
	*len = b->len;
	g_object_unref(s);
	return (out);
}

static GMimeMessage *
parse_back(const char *out, size_t len)
{
	GMimeStream	*s;
	GMimeParser	*p;
	GMimeMessage	*gm;

	s = g_mime_stream_mem_new_with_buffer(out, len);
	p = g_mime_parser_new_with_stream(s);
	gm = g_mime_parser_construct_message(p, NULL);
	g_object_unref(p);
	g_object_unref(s);
	return (gm);
}

static void
test_reply(void)
{
	struct mime_message	*orig;
	struct mime_itip	 it;
	struct cal_cal		*req, *rep;
	struct cal_event	*evs;
	GMimeMessage		*gm;
	GMimeObject		*cp, *body;
	GMimeContentType	*ct;
	const char		*self[] = { "alice@example.test", NULL };
	char			*reply, *out = NULL, *cause = NULL, *text;
	size_t			 len, n, tlen, i;
	int			 sevenbit = 1;

	orig = mime_message_parse(invite, sizeof invite - 1, NULL);
	ok(orig != NULL, "the invitation parses");
	req = cal_ical_parse(strstr(invite, "BEGIN:VCALENDAR"),
	    strlen(strstr(invite, "BEGIN:VCALENDAR")), NULL);
	ok(req != NULL, "its calendar parses");
	reply = cal_ical_reply(req, self[0], CAL_PARTSTAT_ACCEPTED,
	    "See you", 1801000000, NULL);
	ok(reply != NULL, "cal_ical_reply makes the REPLY");

	memset(&it, 0, sizeof it);
	it.from_name = "Alice, \"A\" Liddell";
	it.from_addr = "alice@example.test";
	it.to_name = "Olga\r\nBcc: evil@example.test";
	it.to_addr = "olga@example.test";
	it.subject = "Accepted: Caf\xc3\xa9 sync";
	it.text = "Alice has accepted.\n";
	it.calendar = reply;
	it.calendar_len = strlen(reply);
	it.method = "REPLY";
	ok(mime_itip_build(&it, orig, 1801000000, &out, &len, &cause) == 0,
	    "mime_itip_build");
	if (out == NULL) {
		diag("cause: %s", cause != NULL ? cause : "(none)");
		free(cause);
		return;
	}
	is_int((long long)strlen(out), (long long)len, "length, no NUL");
	for (i = 0; i < len; i++)
		sevenbit &= (unsigned char)out[i] < 0x80;
	ok(sevenbit, "every byte is 7-bit");
	ok(strstr(out, "\r\n") == NULL, "LF line ends");
	if (getenv("ITIP_SHOW") != NULL)
		printf("%s", out);
	ok(strstr(out, "\nBcc:") == NULL && strncmp(out, "Bcc:", 4) != 0,
	    "a line break in a name makes no header");

	gm = parse_back(out, len);
	ok(gm != NULL, "GMime parses it back");
	is_str(g_mime_object_get_header(GMIME_OBJECT(gm), "In-Reply-To"),
	    "<invite-1@example.test>", "In-Reply-To");
	text = xstrdup(g_mime_object_get_header(GMIME_OBJECT(gm),
	    "References"));
	for (i = 0; text[i] != '\0'; i++)	/* folded */
		text[i] = text[i] == '\t' ? ' ' : text[i];
	is_str(text, "<first@example.test> <second@example.test> "
	    "<invite-1@example.test>", "References");
	free(text);
	is_str(g_mime_message_get_subject(gm), "Accepted: Caf\xc3\xa9 sync",
	    "Subject, RFC 2047 encoded and back");
	ok(g_mime_message_get_message_id(gm) != NULL &&
	    strstr(g_mime_message_get_message_id(gm), "@example.test") !=
	    NULL, "a Message-ID in the From domain");
	ok(g_mime_object_get_header(GMIME_OBJECT(gm), "Date") != NULL,
	    "Date");
	text = internet_address_list_to_string(g_mime_message_get_from(gm),
	    NULL, FALSE);
	is_str(text, "\"Alice, \\\"A\\\" Liddell\" <alice@example.test>",
	    "From with its name quoted");
	g_free(text);
	text = internet_address_list_to_string(g_mime_message_get_to(gm),
	    NULL, FALSE);
	is_str(text, "\"Olga  Bcc: evil@example.test\" <olga@example.test>",
	    "To: the organizer, the name made one line");
	g_free(text);

	body = g_mime_message_get_mime_part(gm);
	ok(body != NULL && g_mime_content_type_is_type(
	    g_mime_object_get_content_type(body), "multipart", "alternative"),
	    "multipart/alternative");
	ok(GMIME_IS_MULTIPART(body) && g_mime_multipart_get_count(
	    GMIME_MULTIPART(body)) == 2 && g_mime_content_type_is_type(
	    g_mime_object_get_content_type(g_mime_multipart_get_part(
	    GMIME_MULTIPART(body), 0)), "text", "plain"),
	    "the text part first");
	cp = calendar_part(gm);
	ok(cp != NULL, "a text/calendar part");
	if (cp == NULL) {
		g_object_unref(gm);
		return;
	}
	ct = g_mime_object_get_content_type(cp);
	is_str(g_mime_content_type_get_parameter(ct, "method"), "REPLY",
	    "method=REPLY");
	is_str(g_mime_content_type_get_parameter(ct, "charset"), "UTF-8",
	    "charset=UTF-8");
	ok(g_mime_part_get_content_encoding(GMIME_PART(cp)) ==
	    GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE,
	    "quoted-printable for the 8-bit summary");
	ok(strstr(out, "Content-Type: text/calendar; charset=UTF-8; "
	    "method=REPLY") != NULL, "the header as written");

	text = part_text(cp, &tlen);
	rep = cal_ical_parse(text, tlen, &cause);
	ok(rep != NULL, "libical parses the calendar part");
	free(text);
	if (rep != NULL) {
		ok(cal_ical_method(rep) == CAL_METHOD_REPLY, "METHOD:REPLY");
		cal_ical_events(rep, &evs, &n);
		ok(n == 1, "one VEVENT");
		if (n == 1) {
			is_str(evs[0].uid, "weekly-1@example.test", "same UID");
			is_int(evs[0].sequence, 3, "same SEQUENCE");
			/* 10:00 Pacific on 11 Feb 2027 is 18:00Z. */
			is_int((long long)evs[0].rid, 1802368800LL,
			    "RECURRENCE-ID kept, in its zone");
			is_int((long long)evs[0].n_attendees, 1,
			    "one ATTENDEE");
			ok(evs[0].n_attendees == 1 &&
			    evs[0].attendees[0].partstat ==
			    CAL_PARTSTAT_ACCEPTED, "PARTSTAT=ACCEPTED");
			is_str(evs[0].summary, "Caf\xc3\xa9 sync",
			    "SUMMARY survives quoted-printable");
		}
		cal_ical_events_free(evs, n);
		cal_ical_free(rep);
	}
	g_object_unref(gm);
	free(out);
	free(reply);
	cal_ical_free(req);
	mime_message_free(orig);
}

/* it must fail with this cause. */
static void
refused(const struct mime_itip *it, const char *want, const char *name)
{
	char	*out = NULL, *cause = NULL;
	size_t	 len;

	ok(mime_itip_build(it, NULL, 0, &out, &len, &cause) == -1 &&
	    out == NULL, name);
	is_str(cause, want, "... with its cause");
	free(cause);
}

static void
test_edges(void)
{
	struct mime_itip	 it;
	const char		 cal[] = "BEGIN:VCALENDAR\nEND:VCALENDAR\n";
	char			*out = NULL, *cause = NULL;
	size_t			 len;
	GMimeMessage		*gm;
	GMimeObject		*cp;

	memset(&it, 0, sizeof it);
	it.from_addr = "alice@example.test";
	it.to_addr = "olga@example.test";
	it.subject = "Declined: x";
	it.calendar = cal;
	it.calendar_len = sizeof cal - 1;
	it.method = "REPLY";
	ok(mime_itip_build(&it, NULL, 1801000000, &out, &len, NULL) == 0,
	    "no original: no In-Reply-To, still built");
	ok(out != NULL && strstr(out, "In-Reply-To") == NULL &&
	    strstr(out, "References") == NULL, "no thread headers");
	gm = out != NULL ? parse_back(out, len) : NULL;
	cp = gm != NULL ? calendar_part(gm) : NULL;
	ok(cp != NULL && g_mime_part_get_content_encoding(GMIME_PART(cp)) ==
	    GMIME_CONTENT_ENCODING_7BIT, "ASCII calendar: 7bit");
	if (gm != NULL)
		g_object_unref(gm);
	free(out);

	it.method = "REPLY; x=y";
	refused(&it, "'REPLY; x=y' is not an iTIP method",
	    "a method that is not a name is refused");
	it.method = "REPLY";
	it.calendar_len = 0;
	refused(&it, "no calendar text to send", "no calendar is refused");
	it.calendar = "BEGIN\0:x";
	it.calendar_len = 8;
	refused(&it, "no calendar text to send",
	    "a NUL in the calendar is refused");
	it.calendar = cal;
	it.calendar_len = sizeof cal - 1;
	it.to_addr = "not an address";
	ok(mime_itip_build(&it, NULL, 0, &out, &len, &cause) == -1 &&
	    cause != NULL, "a bad organizer address fails with a cause");
	diag("cause: %s", cause != NULL ? cause : "(none)");
	free(cause);
}

int
main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	mime_init();
	cal_ical_init();
	test_reply();
	test_edges();
	mime_shutdown();
	return (tap_done());
}
