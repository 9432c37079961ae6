/* tests/unit/core/config.c: the configuration file and its errors. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "tests/unit/tap.h"

/* Parses text on top of the defaults; returns the cause (or NULL). */
static char *
parse(struct config *cfg, const char *text)
{
	char	*cause = NULL;

	config_init(cfg);
	if (config_parse(cfg, "test.conf", text, strlen(text), &cause) == 0)
		return (NULL);
	return (cause);
}

static void
expect_error(const char *name, const char *text, const char *want)
{
	struct config	 cfg;
	char		*cause;

	cause = parse(&cfg, text);
	if (!ok(cause != NULL && strcmp(cause, want) == 0, name)) {
		diag("got:  %s", cause == NULL ? "(no error)" : cause);
		diag("want: %s", want);
	}
	free(cause);
	config_release(&cfg);
}

/* Counts lines; fails on the line that says "stop". */
static int
count_line(char *line, int lineno, void *arg)
{
	int	*n = arg;

	(*n)++;
	if (strcmp(line, "stop") == 0)
		return (config_error_at(NULL, "f", lineno, "stopped"));
	return (0);
}

static void
test_lines(void)
{
	char	*cause = NULL, buf[300];
	int	 n = 0;

	ok(config_lines("f", "a\nb\n\nc", 6, 10, count_line, &n, &cause) ==
	    0 && n == 4, "four lines, the last without a newline");
	n = 0;
	ok(config_lines("f", "a\nstop\nb\n", 9, 10, count_line, &n, &cause) ==
	    -1 && n == 2, "stops at the first failing line");
	n = 0;
	ok(config_lines("f", "ok\nnul\0x\n", 9, 10, count_line, &n,
	    &cause) == -1 && n == 1, "a NUL fails before the callback");
	is_str(cause, "f:2: unexpected NUL byte", "NUL message");
	free(cause);
	memset(buf, 'x', sizeof buf);
	n = 0;
	ok(config_lines("f", buf, sizeof buf, 100, count_line, &n, &cause) ==
	    -1 && n == 0, "a line over the limit fails");
	is_str(cause, "f:1: line longer than 100 bytes", "limit message");
	free(cause);
	ok(config_error_at(&cause, "f\x1b[2J", 7, "bad '%s'", "\x1b]52;x") ==
	    -1, "config_error_at returns -1");
	is_str(cause, "f[2J:7: bad ']52;x'", "and sanitises file name and message");
	free(cause);
}

/* The sending options: values, defaults and errors. */
static void
test_send(void)
{
	struct config		 cfg;
	struct config_account	*a;
	char			*cause;

	cause = parse(&cfg, "[account a]\ntype = imap\nhost = h\n"
	    "user = me\npassword_command = pass x\n"
	    "email = me@example.org\nsmtp_host = smtp.example.org\n");
	ok(cause == NULL, "an account that sends parses");
	free(cause);
	a = &cfg.accounts[0];
	ok(a->smtp_tls == CONFIG_TLS_STARTTLS && a->smtp_port == 587,
	    "default: STARTTLS on 587");
	is_str(a->smtp_user, "me", "smtp_user defaults to user");
	is_str(a->smtp_password_command, "pass x",
	    "smtp_password_command defaults to password_command");
	is_str(a->ehlo_name, "example.org", "ehlo_name: the email's domain");
	ok(a->save_sent && strcmp(a->sent_folder, "Sent") == 0 &&
	    strcmp(a->drafts_folder, "Drafts") == 0 && a->signature == NULL,
	    "save_sent, sent_folder, drafts_folder, signature defaults");
	config_release(&cfg);

	cause = parse(&cfg, "[account s]\nemail = me@example.org\n"
	    "smtp_host = 127.0.0.1\nsmtp_port = 465\n"
	    "smtp_user = other\nsmtp_password_command = echo y\n"
	    "ehlo_name = [127.0.0.1]\nsave_sent = no\n"
	    "sent_folder = Sent Items\ndrafts_folder = Work/Drafts\n"
	    "signature = ~/.sig\n");
	ok(cause == NULL, "a send-only (maildir) account parses");
	free(cause);
	a = &cfg.accounts[0];
	ok(a->type == CONFIG_ACCOUNT_MAILDIR && a->smtp_tls ==
	    CONFIG_TLS_IMPLICIT && a->smtp_port == 465,
	    "port 465 means implicit TLS");
	ok(strcmp(a->smtp_user, "other") == 0 &&
	    strcmp(a->smtp_password_command, "echo y") == 0 &&
	    strcmp(a->ehlo_name, "[127.0.0.1]") == 0 && !a->save_sent &&
	    strcmp(a->sent_folder, "Sent Items") == 0 &&
	    strcmp(a->drafts_folder, "Work/Drafts") == 0,
	    "send values kept");
	is_str(a->signature, "/home/tester/.sig", "signature: ~ expanded");
	config_release(&cfg);

	cause = parse(&cfg, "[account s]\nsmtp_host = h\nehlo_name = x.y\n"
	    "smtp_tls = implicit\n");
	ok(cause == NULL && cfg.accounts[0].smtp_port == 465 &&
	    cfg.accounts[0].smtp_user == NULL, "implicit TLS means 465; no "
	    "user: no AUTH");
	free(cause);
	config_release(&cfg);
	cause = parse(&cfg, "[account s]\nsmtp_host = h\nehlo_name = x.y\n"
	    "smtp_tls = none\n");
	ok(cause == NULL && cfg.accounts[0].smtp_port == 25, "none means 25");
	free(cause);
	config_release(&cfg);
	cause = parse(&cfg, "[account p]\nsendmail_command = msmtp -t\n");
	ok(cause == NULL && cfg.accounts[0].smtp_host == NULL &&
	    strcmp(cfg.accounts[0].sendmail_command, "msmtp -t") == 0,
	    "sendmail_command");
	free(cause);
	config_release(&cfg);

	expect_error("bad smtp_tls", "[account a]\nsmtp_tls = maybe\n",
	    "test.conf:2: 'smtp_tls' expects implicit, starttls or none, not "
	    "'maybe'");
	expect_error("bad smtp_port", "[account a]\nsmtp_port = 0\n",
	    "test.conf:2: 'smtp_port' expects a number from 1 to 65535, not "
	    "'0'");
	expect_error("ehlo_name with a space",
	    "[account a]\nehlo_name = a b\n", "test.conf:2: 'ehlo_name' "
	    "expects a domain name or an address in brackets, not 'a b'");
	expect_error("bad save_sent", "[account a]\nsave_sent = perhaps\n",
	    "test.conf:2: 'save_sent' expects yes or no, not 'perhaps'");
	expect_error("sent_folder outside", "[account a]\n"
	    "sent_folder = ../x\n", "test.conf:2: 'sent_folder' expects a "
	    "folder name under the account, not '../x'");
	expect_error("empty drafts_folder", "[account a]\n"
	    "drafts_folder = \"\"\n", "test.conf:2: 'drafts_folder' expects "
	    "a folder name under the account, not ''");
	expect_error("empty smtp_host", "[account a]\nsmtp_host = \"\"\n",
	    "test.conf:2: 'smtp_host' expects a host name");
	expect_error("both ways to send", "\n[account a]\nsmtp_host = h\n"
	    "ehlo_name = x\nsendmail_command = sendmail -t\n",
	    "test.conf:2: account 'a' has both 'smtp_host' and "
	    "'sendmail_command' (choose one)");
	expect_error("no EHLO name", "[account a]\nsmtp_host = h\n",
	    "test.conf:1: account 'a' needs 'ehlo_name' (or an 'email' with a "
	    "domain) to send through 'h'");
	expect_error("unknown smtp_ key", "[account a]\nsmtp_foo = 1\n",
	    "test.conf:2: unknown account option 'smtp_foo' (expected type, "
	    "host, port, user, password_command, tls, tls_ca_file, "
	    "tls_fingerprint, allow_plaintext, timeout, email, realname, "
	    "folder, archive_folder, trash_folder, pop_leave_on_server, "
	    "pop_delete_after_days, smtp_host, smtp_port, smtp_tls, smtp_user, "
	    "smtp_password_command, ehlo_name, sendmail_command, save_sent, "
	    "sent_folder, drafts_folder, signature or query_command)");
}

int
main(void)
{
	struct config	 cfg;
	char		*cause, *path;
	size_t		 n;
	char		**v;

	setenv("HOME", "/home/tester", 1);
	unsetenv("XDG_CONFIG_HOME");

	cause = parse(&cfg, "");
	ok(cause == NULL, "empty file is fine");
	is_str(cfg.mail_root, "/home/tester/Mail", "default mail_root");
	is_str(cfg.default_query, "tag:inbox", "default query");
	ok(cfg.n_new_tags == 2 && strcmp(cfg.new_tags[0], "inbox") == 0,
	    "default new tags");
	ok(cfg.synchronize_flags == 1 && !cfg.have_synchronize_flags,
	    "flags synchronised by default");
	config_release(&cfg);

	cause = parse(&cfg,
	    "# a comment\n"
	    "  mail_root = ~/mail/x   # trailing comment\n"
	    "database=/var/db\n"
	    "new_tags = new;unread, inbox\n"
	    "default_query = \"tag:a and  #not-a-comment \"\n"
	    "synchronize_flags = no\n"
	    "\n"
	    "[account work]\n"
	    "type = imap\n"
	    "host = imap.example.com\n"
	    "port = 993\n"
	    "user = me\n"
	    "tls = starttls\n"
	    "email = me@example.com\n"
	    "[account home]\n"
	    "folder = home\n");
	ok(cause == NULL, "a full file parses");
	free(cause);
	is_str(cfg.mail_root, "/home/tester/mail/x", "~ expanded, comment cut");
	is_str(cfg.database, "/var/db", "no spaces around =");
	ok(cfg.n_new_tags == 3 && strcmp(cfg.new_tags[2], "inbox") == 0 &&
	    cfg.have_new_tags, "list split on ; , and space");
	is_str(cfg.default_query, "tag:a and  #not-a-comment ",
	    "quoted value keeps spaces and #");
	ok(cfg.synchronize_flags == 0, "yes/no");
	ok(cfg.n_accounts == 2, "two accounts");
	is_str(cfg.accounts[0].name, "work", "account name");
	ok(cfg.accounts[0].type == CONFIG_ACCOUNT_IMAP &&
	    cfg.accounts[0].port == 993 &&
	    cfg.accounts[0].tls == CONFIG_TLS_STARTTLS, "account fields");
	ok(cfg.accounts[1].type == CONFIG_ACCOUNT_MAILDIR,
	    "maildir is the default account type");
	config_release(&cfg);

	expect_error("line without =", "mail_root\n",
	    "test.conf:1: expected 'key = value'");
	expect_error("unknown option names the choices", "\n\nfoo = 1\n",
	    "test.conf:3: unknown option 'foo' (expected mail_root, database, "
	    "notmuch_config, default_query, new_tags, exclude_tags, "
	    "synchronize_flags, keymap, theme, archive, archive_folder, "
	    "trash_folder, search, sidebar or query_command)");
	expect_error("bad yes/no", "synchronize_flags = maybe\n",
	    "test.conf:1: 'synchronize_flags' expects yes or no, not 'maybe'");
	expect_error("bad section", "[accounts x]\n",
	    "test.conf:1: expected '[account NAME]', not '[accounts x]'");
	expect_error("unclosed section", "[account x\n",
	    "test.conf:1: expected '[account NAME]'");
	expect_error("bad port", "[account a]\nport = 70000\n",
	    "test.conf:2: 'port' expects a number from 1 to 65535, not "
	    "'70000'");
	expect_error("port not a number", "[account a]\nport = 9x\n",
	    "test.conf:2: 'port' expects a number from 1 to 65535, not '9x'");
	expect_error("bad tls", "[account a]\ntls = maybe\n",
	    "test.conf:2: 'tls' expects implicit, starttls or none, not "
	    "'maybe'");
	expect_error("imap needs host", "[account a]\ntype = imap\nuser = u\n",
	    "test.conf:1: account 'a' needs 'host'");
	expect_error("duplicate account", "[account a]\n[account a]\n",
	    "test.conf:2: account 'a' is already defined at line 1");
	expect_error("unclosed quote", "default_query = \"abc\n",
	    "test.conf:1: expected a closing '\"'");
	expect_error("empty key", " = x\n", "test.conf:1: expected a key "
	    "before '='");
	expect_error("escape sequence in a bad line is not echoed raw",
	    "\x1b[2J = 1\n", "test.conf:1: unknown option '[2J' (expected "
	    "mail_root, database, notmuch_config, default_query, new_tags, "
	    "exclude_tags, synchronize_flags, keymap, theme, archive, "
	    "archive_folder, trash_folder, search, sidebar or query_command)");
	cause = parse(&cfg, "search = To do: tag:todo and tag:inbox\n"
	    "search = Bob:from:bob\n");
	ok(cause == NULL && cfg.n_searches == 2 &&
	    strcmp(cfg.searches[0].name, "To do") == 0 &&
	    strcmp(cfg.searches[0].query, "tag:todo and tag:inbox") == 0 &&
	    strcmp(cfg.searches[1].name, "Bob") == 0 &&
	    strcmp(cfg.searches[1].query, "from:bob") == 0,
	    "saved searches, in order");
	free(cause);
	config_release(&cfg);
	expect_error("search without a name", "search = : tag:x\n",
	    "test.conf:1: 'search' expects 'NAME: QUERY', not ': tag:x'");
	expect_error("search without a query", "search = Empty:\n",
	    "test.conf:1: 'search' expects 'NAME: QUERY', not 'Empty:'");
	expect_error("bad archive", "archive = later\n",
	    "test.conf:1: 'archive' expects 'tag' or 'move', not 'later'");
	expect_error("absolute trash folder", "trash_folder = /tmp\n",
	    "test.conf:1: 'trash_folder' expects a folder name relative to "
	    "mail_root");
	cause = parse(&cfg, "archive = move\narchive_folder = Old\n");
	ok(cause == NULL && cfg.archive_move &&
	    strcmp(cfg.archive_folder, "Old") == 0 &&
	    strcmp(cfg.trash_folder, "Trash") == 0, "archive options");
	free(cause);
	config_release(&cfg);
	expect_error("folder outside the mail root",
	    "[account a]\nfolder = ../x\n", "test.conf:2: 'folder' expects "
	    "a path under mail_root, not '../x'");

	cause = parse(&cfg, "[account a]\n"
	    "tls_fingerprint = AB:CD:ef:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:"
	    "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89\n"
	    "allow_plaintext = yes\ntimeout = 5\n"
	    "pop_leave_on_server = no\npop_delete_after_days = 7\n"
	    "archive_folder = Old\n");
	ok(cause == NULL, "sync options parse");
	free(cause);
	is_str(cfg.accounts[0].tls_fingerprint, "abcdef0123456789abcdef0123456789"
	    "abcdef0123456789abcdef0123456789", "fingerprint: colons out, "
	    "lower case");
	ok(cfg.accounts[0].allow_plaintext && cfg.accounts[0].timeout == 5 &&
	    !cfg.accounts[0].pop_leave_on_server &&
	    cfg.accounts[0].pop_delete_after_days == 7, "sync option values");
	is_str(cfg.accounts[0].archive_folder, "Old", "archive_folder");
	is_str(cfg.accounts[0].trash_folder, "Trash", "trash_folder default");
	config_release(&cfg);
	cause = parse(&cfg, "[account a]\n");
	ok(cfg.accounts[0].timeout == 60 && cfg.accounts[0].pop_leave_on_server,
	    "account defaults: 60 s, leave on server");
	free(cause);
	config_release(&cfg);
	expect_error("short fingerprint", "[account a]\ntls_fingerprint = ab\n",
	    "test.conf:2: 'tls_fingerprint' expects the certificate's SHA-256 "
	    "as 64 hex digits (colons allowed), not 'ab'");
	expect_error("timeout bounds", "[account a]\ntimeout = 0\n",
	    "test.conf:2: 'timeout' expects seconds from 1 to 3600, not '0'");

	test_send();

	cause = parse(&cfg, "query_command = khard email --parsable %s\n"
	    "[account a]\nquery_command = abook --mutt-query '%s'\n");
	ok(cause == NULL && cfg.query_command != NULL &&
	    strcmp(cfg.query_command, "khard email --parsable %s") == 0 &&
	    strcmp(cfg.accounts[0].query_command,
	    "abook --mutt-query '%s'") == 0, "query_command, global and "
	    "per account");
	free(cause);
	config_release(&cfg);
	expect_error("empty query_command", "query_command =\n",
	    "test.conf:1: 'query_command' expects a command");

	cause = parse(&cfg, "notmuch_config = default\n");
	ok(cause == NULL && cfg.notmuch_config != NULL &&
	    *cfg.notmuch_config == '\0', "notmuch_config = default");
	config_release(&cfg);

	config_init(&cfg);
	ok(config_load(&cfg, "/nonexistent/satchel.conf", 0, &cause) == 0,
	    "a missing default file is not an error");
	ok(config_load(&cfg, "/nonexistent/satchel.conf", 1, &cause) == -1 &&
	    strstr(cause, "cannot open '/nonexistent/satchel.conf'") != NULL,
	    "a missing -c file is");
	free(cause);
	config_release(&cfg);

	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	path = config_default_path();
	is_str(path, "/xdg/satchel/config", "XDG_CONFIG_HOME honoured");
	free(path);
	setenv("XDG_CONFIG_HOME", "relative", 1);
	path = config_default_path();
	is_str(path, "/home/tester/.config/satchel/config",
	    "a relative XDG_CONFIG_HOME is ignored");
	free(path);

	test_lines();

	v = config_split_list("  ", &n);
	ok(n == 0 && v[0] == NULL, "empty list");
	config_free_list(v, n);
	return (tap_done());
}
