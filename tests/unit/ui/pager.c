/*
 * tests/unit/ui/pager.c: the pager's renderer without a terminal
 * (ui_pager_render with files).  Hostile headers and bodies must come out
 * with no control byte and with bidi and control characters visible.
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "mime/mime.h"
#include "ui/ui.h"
#include "tests/unit/tap.h"

static char	 dir[] = "/tmp/satchel-ui-XXXXXX";

/* Writes a message file and renders it; returns the output. */
static char *
render(const char *name, const char *msg, int *failed)
{
	char	*path, *out = NULL;
	size_t	 len = 0;
	FILE	*f, *mem;

	path = path_join(dir, name);
	if ((f = fopen(path, "w")) == NULL)
		fatal("fopen %s", path);
	fputs(msg, f);
	fclose(f);
	mem = open_memstream(&out, &len);
	*failed = ui_pager_render(NULL, NULL, &path, 1, mem, NULL);
	fclose(mem);
	unlink(path);
	free(path);
	return (out);
}

static int
clean(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;

	for (; *p != '\0'; p++) {
		if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
			return (0);
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			return (0);
	}
	return (1);
}

int
main(void)
{
	char	*out, *missing;
	int	 failed;

	setlocale(LC_ALL, "C.UTF-8");
	text_init();
	mime_init();
	if (mkdtemp(dir) == NULL)
		fatal("mkdtemp");

	out = render("plain", "From: Alice <a@example.test>\n"
	    "To: Bob <b@example.test>\n"
	    "Subject: =?UTF-8?B?R3LDvMOfZQ==?=\n"
	    "Date: Sun, 01 Nov 2026 10:00:00 +0000\n\n"
	    "Hello\n> quoted\n", &failed);
	ok(failed == 0, "a plain message renders");
	ok(strstr(out, "Subject: Grüße\n") != NULL, "RFC 2047 subject decoded");
	ok(strstr(out, "From: Alice <a@example.test>\n") != NULL, "From");
	ok(strstr(out, "\nHello\n> quoted\n") != NULL, "body after headers");
	free(out);

	out = render("hostile", "From: \x1b]52;c;ZXZpbA==\x07 Eve <e@x>\n"
	    "Subject: pay \xe2\x80\xae" "fdp.exe \x1b[2J\xc2\x9b" "31m\n"
	    "Content-Type: multipart/mixed; boundary=b\n\n"
	    "--b\nContent-Type: text/plain; charset=utf-8\n\n"
	    "body \x1b[31mred\x1b[0m bell\x07 nul-free \xc2\x9d osc\n"
	    "--b\nContent-Type: application/octet-stream\n"
	    "Content-Disposition: attachment; filename=\"\x1b[1mevil\xe2\x80\xaetxt.exe\"\n\n"
	    "AAAA\n--b--\n", &failed);
	ok(failed == 0, "a hostile message renders");
	ok(clean(out), "no control byte in the output");
	ok(strstr(out, "<U+202E>fdp.exe") != NULL,
	    "RLO in Subject shown as a mark");
	ok(strstr(out, "<U+001B>[31mred") != NULL,
	    "CSI in the body shown escaped");
	ok(strstr(out, "<U+009D>") != NULL, "C1 control shown escaped");
	ok(strstr(out, "]52;c;ZXZpbA==") != NULL &&
	    strstr(out, "\x1b]52") == NULL, "OSC 52 is text, not a command");
	ok(strstr(out, "Attachment: <U+001B>[1mevil<U+202E>txt.exe") != NULL,
	    "attachment name escaped");
	free(out);

	out = render("html", "Subject: h\nContent-Type: text/html\n\n"
	    "<p>Hi&nbsp;<b>there</b></p><script>alert(1)</script>\n", &failed);
	ok(strstr(out, "[-- text from HTML --]") != NULL &&
	    strstr(out, "Hi there") != NULL && strstr(out, "alert") == NULL,
	    "HTML-only mail shown as text");
	free(out);

	/* An empty header first: the usual ones still show, the others
	 * (every header, for the H toggle) do not. */
	out = render("empty", "X-Empty:\nFrom: a@example.test\n"
	    "Subject: still here\nX-Other: hidden\n\nbody\n", &failed);
	ok(strstr(out, "Subject: still here") != NULL &&
	    strstr(out, "X-Other") == NULL, "empty first header: brief "
	    "headers kept, the full list hidden");
	free(out);

	missing = path_join(dir, "missing");
	out = NULL;
	{
		size_t	 len = 0;
		FILE	*mem = open_memstream(&out, &len);

		failed = ui_pager_render(NULL, NULL, &missing, 1, mem, NULL);
		fclose(mem);
	}
	ok(failed == 1 && strstr(out, "[-- cannot read message: ") != NULL,
	    "a missing file is a note and a count, not a crash");
	free(out);
	free(missing);

	rmdir(dir);
	mime_shutdown();
	return (tap_done());
}
