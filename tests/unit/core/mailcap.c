/*
 * tests/unit/core/mailcap.c: mailcap files as RFC 1524 writes them and as
 * /etc/mailcap has them, the choice of an entry, and expansion that never
 * lets a Content-Type add shell syntax.
 */
#include "config.h"

#include <sys/wait.h>

#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tests/unit/tap.h"

static const char sample[] =
    "# a comment\n"
    "\n"
    "text/html; /usr/bin/sensible-browser %s; description=HTML Text; "
    "nametemplate=%s.html\n"
    "text/html; w3m -I %{charset} -dump -T text/html %s; copiousoutput; "
    "nametemplate=%s.html\n"
    "application/pdf; evince %s; test=false\n"
    "application/pdf; zathura %s; test = true ; needsterminal\n"
    "image; display %s\n"
    "text/x-semi; printf 'a\\;b'; copiousoutput\n"
    "text/x-long; first \\\n"
    "  second; copiousoutput\n"
    "no-command-here\n"
    "bad type; x\n"
    "text/plain; cat\r\n";

/* Runs filters in a private TMPDIR, which must be empty afterwards. */
static void
filters(void)
{
	static const char	 caps[] =
	    "text/html; sed 's/<[^>]*>//g' %s; copiousoutput\n"
	    "text/x-stdin; tr a-z A-Z; copiousoutput\n"
	    "text/x-fail; echo no\\; exit 4; copiousoutput\n";
	struct mailcap		 mc;
	struct buf		 out;
	char			 dir[] = "/tmp/satchel-mc-XXXXXX", *cause = NULL;
	char			*cmd;
	int			 status;

	ok(mkdtemp(dir) != NULL, "a private TMPDIR");
	setenv("TMPDIR", dir, 1);
	mailcap_init(&mc);
	(void)mailcap_parse(&mc, caps, sizeof caps - 1);
	buf_init(&out);
	is_int(mailcap_filter(&mc, "text/html", "utf-8", "<p>hi</p>\n", 10,
	    &out, NULL), 0, "a filter with %s");
	is_str(out.data, "hi\n", "its output");
	buf_clear(&out);
	is_int(mailcap_filter(&mc, "text/x-stdin", "utf-8", "abc", 3, &out,
	    NULL), 0, "a filter on stdin");
	is_str(out.data, "ABC", "its output");
	is_int(mailcap_filter(&mc, "text/x-fail", "utf-8", "x", 1, &out,
	    &cause), -1, "a failing filter");
	ok(cause != NULL && strstr(cause, "exit 4") != NULL, "says how");
	free(cause);
	is_int(mailcap_filter(&mc, "image/png", "utf-8", "x", 1, &out, NULL),
	    1, "no filter for the type");
	xasprintf(&cmd, "rmdir %s", dir);
	ok(proc_run(cmd, -1, NULL, 0, 0, &status, NULL) == 0 &&
	    WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "no temporary file left behind");
	free(cmd);
	unsetenv("TMPDIR");
	buf_release(&out);
	mailcap_release(&mc);
}

int
main(void)
{
	const struct mailcap_entry	*e;
	struct mailcap			 mc;
	size_t				 skipped;
	char				*s, *name;
	int				 uses_file;

	mailcap_init(&mc);
	skipped = mailcap_parse(&mc, sample, sizeof sample - 1);
	is_int((int)skipped, 2, "two malformed lines skipped");
	is_int((int)mc.n, 8, "eight entries read");

	e = mailcap_find(&mc, "text/html", 0);
	ok(e != NULL && strstr(e->command, "sensible-browser") != NULL,
	    "a viewer first for opening");
	e = mailcap_find(&mc, "TEXT/HTML", MAILCAP_COPIOUS);
	ok(e != NULL && e->copiousoutput && strncmp(e->command, "w3m", 3) == 0,
	    "the copiousoutput filter for display, type case ignored");
	is_str(e != NULL ? e->nametemplate : NULL, "%s.html", "nametemplate");

	e = mailcap_find(&mc, "application/pdf", 0);
	ok(e != NULL && strncmp(e->command, "zathura", 7) == 0,
	    "an entry whose test fails is passed over");
	ok(e != NULL && e->needsterminal, "needsterminal");
	e = mailcap_find(&mc, "image/png", 0);
	ok(e != NULL && strncmp(e->command, "display", 7) == 0,
	    "a bare major type is type/*");
	ok(mailcap_find(&mc, "image/png", MAILCAP_COPIOUS) == NULL,
	    "no filter for images");
	ok(mailcap_find(&mc, "audio/ogg", 0) == NULL, "no entry at all");
	e = mailcap_find(&mc, "text/x-semi", MAILCAP_COPIOUS);
	is_str(e != NULL ? e->command : NULL, "printf 'a;b'",
	    "\\; is a semicolon in a field");
	e = mailcap_find(&mc, "text/x-long", MAILCAP_COPIOUS);
	is_str(e != NULL ? e->command : NULL, "first   second",
	    "a backslash at the end of a line continues it");
	e = mailcap_find(&mc, "text/plain", 0);
	is_str(e != NULL ? e->command : NULL, "cat", "CRLF line ends");

	s = mailcap_expand("w3m -I %{charset} -T %t %s", "text/html",
	    "/tmp/d/a.html", "utf-8", &uses_file);
	is_str(s, "w3m -I utf-8 -T text/html /tmp/d/a.html", "expansion");
	ok(uses_file, "%s reads a file");
	free(s);
	s = mailcap_expand("less", "text/plain", "/x", "utf-8", &uses_file);
	ok(!uses_file, "no %s: stdin");
	free(s);
	s = mailcap_expand("v %t %{charset} %{name} 100%%", "text/html;$(rm -rf ~)",
	    "/tmp/x", "utf-8'; reboot; '", NULL);
	is_str(s, "v text/htmlrm-rf utf-8reboot  100%",
	    "shell syntax from the mail is dropped, other parameters empty");
	free(s);

	e = mailcap_find(&mc, "text/html", MAILCAP_COPIOUS);
	name = mailcap_file_name(e, "report");
	is_str(name, "report.html", "nametemplate adds a suffix");
	free(name);
	name = mailcap_file_name(e, "../../.evil name\x1b[31m.htm");
	is_str(name, "evilname31m.htm", "a hostile name made safe");
	free(name);
	name = mailcap_file_name(NULL, "...");
	is_str(name, "attachment", "nothing left: a fixed name");
	free(name);
	name = mailcap_file_name(NULL, NULL);
	is_str(name, "attachment", "no name");
	free(name);

	mailcap_release(&mc);
	filters();
	mailcap_init(&mc);
	skipped = mailcap_parse(&mc, "a/b; c\\", 7);
	is_int((int)mc.n, 1, "a continuation at the end of the file");
	skipped = mailcap_parse(&mc, "x/y; \0z\n", 8);
	is_int((int)skipped, 1, "a NUL in a line skips it");
	mailcap_release(&mc);
	return (tap_done());
}
