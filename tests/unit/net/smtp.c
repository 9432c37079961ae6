/*
 * tests/unit/net/smtp.c: net/smtp.c against the fixture's real Postfix
 * (tests/fixture, as root): a message sent over STARTTLS and over
 * implicit TLS, both with AUTH, arrives in bob's Maildir with its body
 * byte for byte; a wrong password is refused; the three bad certificates
 * are refused before any SMTP is spoken (no AUTH, nothing delivered); a
 * closed port fails with a clear network cause, a refused recipient with
 * a permanent one; the -vv trace shows the EHLO name and never the
 * password.  Those tests are skipped without Dovecot and Postfix, or when
 * not root (smtp-sink has no TLS).  Before them, fake servers that strip
 * STARTTLS, inject lines after it, or refuse EHLO, need nothing.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "net/net.h"
#include "tests/unit/tap.h"

static char	*fixture;	/* tests/fixture in the source tree */
static char	*fixdir;	/* this instance */
static char	*logdir;
static struct buf env;		/* the instance's env file */

/* The value of NAME='value' in the env file; "" when absent. */
static char *
fix_get(const char *name)
{
	const char	*p = env.data, *q;
	size_t		 n = strlen(name);

	while (p != NULL && *p != '\0') {
		if (strncmp(p, name, n) == 0 && p[n] == '=' &&
		    p[n + 1] == '\'') {
			q = strchr(p + n + 2, '\'');
			if (q != NULL)
				return (xstrndup(p + n + 2, q - (p + n + 2)));
		}
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return (xstrdup(""));
}

static void
fix_down(void)
{
	char	*cmd;

	if (fixdir == NULL)
		return;
	xasprintf(&cmd, "'%s/fixture-down.sh' '%s' >/dev/null 2>&1; "
	    "rm -rf '%s' '%s'", fixture, fixdir, fixdir, logdir);
	if (system(cmd) != 0)
		diag("fixture-down failed");
	free(cmd);
}

/*
 * Starts the fixture: NULL, or why the fixture tests are skipped (the
 * caller frees it).  A fixture that fails to start is a broken harness:
 * exit 99.
 */
static char *
fix_up(void)
{
	const char	*top = getenv("top_srcdir");
	char		*cmd, *path, *cause = NULL, *kind, why[256];
	FILE		*f;

	xasprintf(&fixture, "%s/tests/fixture", top != NULL ? top : ".");
	xasprintf(&cmd, "bash -c '. \"%s/lib-fixture.sh\" && fix_missing'",
	    fixture);
	why[0] = '\0';
	if ((f = popen(cmd, "r")) != NULL) {
		if (fgets(why, sizeof why, f) == NULL)
			why[0] = '\0';
		pclose(f);
	}
	free(cmd);
	if (why[0] != '\0') {
		why[strcspn(why, "\n")] = '\0';
		return (xstrdup(why));
	}
	if (getuid() != 0)
		return (xstrdup("Postfix (TLS) needs root; smtp-sink has no "
		    "TLS"));
	fixdir = xstrdup("/tmp/satchel-smtp.XXXXXX");
	logdir = xstrdup("/tmp/satchel-smtplog.XXXXXX");
	if (mkdtemp(fixdir) == NULL || mkdtemp(logdir) == NULL)
		fatal("mkdtemp");
	xasprintf(&cmd, "'%s/fixture-up.sh' '%s' >&2", fixture, fixdir);
	if (system(cmd) != 0) {
		free(cmd);
		printf("Bail out! the fixture did not start\n");
		fix_down();
		exit(99);
	}
	free(cmd);
	path = path_join(fixdir, "env");
	buf_init(&env);
	if (buf_read_file(&env, path, 1 << 20, &cause) != 0)
		fatalx("%s", cause);
	free(path);
	kind = fix_get("FIX_SMTP_KIND");
	if (strcmp(kind, "postfix") != 0) {
		xasprintf(&cmd, "the fixture runs '%s', not Postfix", kind);
		free(kind);
		fix_down();
		return (cmd);
	}
	free(kind);
	return (NULL);
}

/*
 * A fake SMTP server on 127.0.0.1 for one session, in a thread: it greets,
 * answers EHLO with ehlo and STARTTLS with starttls (both "" to close),
 * anything else with 502, and keeps every line the client sent.
 */
struct fake {
	int		 listener;
	unsigned int	 port;
	const char	*ehlo;
	const char	*starttls;
	struct buf	 got;
	pthread_t	 thread;
};

static void
fake_say(int fd, const char *s)
{
	if (*s != '\0' && write(fd, s, strlen(s)) == -1)
		return;
}

static void *
fake_run(void *arg)
{
	struct fake	*fk = arg;
	char		 chunk[1024], *line, *nl;
	ssize_t		 n;
	size_t		 done = 0;
	int		 fd;

	if ((fd = accept(fk->listener, NULL, NULL)) == -1)
		return (NULL);
	fake_say(fd, "220 fake ESMTP\r\n");
	while ((n = read(fd, chunk, sizeof chunk)) > 0) {
		buf_add(&fk->got, chunk, (size_t)n);
		while ((nl = memchr(fk->got.data + done, '\n',
		    fk->got.len - done)) != NULL) {
			line = fk->got.data + done;
			done = (size_t)(nl - fk->got.data) + 1;
			if (strncmp(line, "EHLO", 4) == 0)
				fake_say(fd, fk->ehlo);
			else if (strncmp(line, "STARTTLS", 8) == 0)
				fake_say(fd, fk->starttls);
			else if (strncmp(line, "QUIT", 4) == 0) {
				fake_say(fd, "221 bye\r\n");
				goto out;
			} else
				fake_say(fd, "502 no\r\n");
			if ((strncmp(line, "EHLO", 4) == 0 && *fk->ehlo ==
			    '\0') || (strncmp(line, "STARTTLS", 8) == 0 &&
			    *fk->starttls == '\0'))
				goto out;
		}
	}
out:
	close(fd);
	return (NULL);
}

static void
fake_start(struct fake *fk, const char *ehlo, const char *starttls)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;

	memset(fk, 0, sizeof *fk);
	fk->ehlo = ehlo;
	fk->starttls = starttls;
	buf_init(&fk->got);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fk->listener = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(fk->listener, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    listen(fk->listener, 1) != 0 ||
	    getsockname(fk->listener, (struct sockaddr *)&sin, &len) != 0)
		fatal("fake listener");
	fk->port = ntohs(sin.sin_port);
	if (pthread_create(&fk->thread, NULL, fake_run, fk) != 0)
		fatalx("pthread_create");
}

/* Waits for the session to end; fk->got stays for the caller to read
 * and release. */
static void
fake_stop(struct fake *fk)
{
	pthread_join(fk->thread, NULL);
	close(fk->listener);
}

/*
 * Against fake servers: STARTTLS that is not offered, or answered with
 * extra lines injected before the handshake, ends the session before
 * AUTH.
 */
static void
test_fake(void)
{
	struct config_account	 a;
	struct fake		 fk;
	struct net_smtp		*s;
	char			*cause = NULL;
	int			 rc;

	memset(&a, 0, sizeof a);
	a.name = (char *)"test";
	a.smtp_host = (char *)"127.0.0.1";
	a.smtp_tls = CONFIG_TLS_STARTTLS;
	a.smtp_user = (char *)"alice";
	a.ehlo_name = (char *)"client.example.test";
	a.timeout = 5;

	fake_start(&fk, "250-fake\r\n250 AUTH PLAIN LOGIN\r\n", "");
	a.smtp_port = fk.port;
	s = net_smtp_new(&a);
	rc = net_smtp_open(s, "secret1", &cause);
	net_smtp_free(s);
	fake_stop(&fk);
	if (!ok(rc == -1 && cause != NULL && strstr(cause, "server "
	    "'127.0.0.1' does not offer STARTTLS; refusing to send without "
	    "TLS") != NULL && strstr(fk.got.data, "AUTH") == NULL,
	    "no STARTTLS offered (stripped): no AUTH, refused"))
		diag("%s", cause != NULL ? cause : "(no cause)");
	buf_release(&fk.got);
	free(cause);
	cause = NULL;

	fake_start(&fk, "250-fake\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n",
	    "220 go ahead\r\n250 injected\r\n");
	a.smtp_port = fk.port;
	s = net_smtp_new(&a);
	rc = net_smtp_open(s, "secret1", &cause);
	net_smtp_free(s);
	fake_stop(&fk);
	if (!ok(rc == -1 && cause != NULL && strstr(cause, "sent data right "
	    "after agreeing to STARTTLS") != NULL &&
	    strstr(fk.got.data, "AUTH") == NULL,
	    "bytes injected after the STARTTLS answer: no AUTH, refused"))
		diag("%s", cause != NULL ? cause : "(no cause)");
	buf_release(&fk.got);
	free(cause);
	cause = NULL;

	fake_start(&fk, "550 go away\r\n", "");
	a.smtp_port = fk.port;
	s = net_smtp_new(&a);
	rc = net_smtp_open(s, "secret1", &cause);
	ok(rc == -1 && net_smtp_permanent(s) && cause != NULL &&
	    strcmp(cause, "EHLO refused by '127.0.0.1': 550 go away") == 0,
	    "a refused EHLO is permanent, with the server's words");
	net_smtp_free(s);
	fake_stop(&fk);
	buf_release(&fk.got);
	free(cause);
}

static void
account(struct config_account *a, const char *port, enum config_tls tls)
{
	memset(a, 0, sizeof *a);
	a->name = (char *)"test";
	a->smtp_host = (char *)"127.0.0.1";
	a->smtp_port = (unsigned int)strtoul(port, NULL, 10);
	a->smtp_tls = tls;
	a->smtp_user = (char *)"alice";
	a->ehlo_name = (char *)"client.example.test";
	a->tls_ca_file = fix_get("FIX_CA");
	a->timeout = 20;
}

/*
 * How many files in new/ and cur/ of maildir contain needle; with body
 * not NULL, *body gets the body (after the first empty line) of the
 * first one, or NULL.
 */
static int
scan_mail(const char *maildir, const char *needle, char **body)
{
	static const char	*sub[] = { "new", "cur" };
	struct dirent		*de;
	struct buf		 b;
	DIR			*d;
	char			*dir, *p, *sep;
	size_t			 i;
	int			 n = 0;

	if (body != NULL)
		*body = NULL;
	for (i = 0; i < 2; i++) {
		dir = path_join(maildir, sub[i]);
		if ((d = opendir(dir)) == NULL) {
			free(dir);
			continue;
		}
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			p = path_join(dir, de->d_name);
			buf_init(&b);
			if (buf_read_file(&b, p, 1 << 24, NULL) == 0 &&
			    strstr(b.data, needle) != NULL) {
				n++;
				sep = strstr(b.data, "\n\n");
				if (body != NULL && *body == NULL &&
				    sep != NULL)
					*body = xstrdup(sep + 2);
			}
			buf_release(&b);
			free(p);
		}
		closedir(d);
		free(dir);
	}
	return (n);
}

static int
count_mail(const char *maildir, const char *needle)
{
	return (scan_mail(maildir, needle, NULL));
}

/* scan_mail()'s body, waiting up to 30 s for the message to arrive. */
static char *
wait_body(const char *maildir, const char *needle)
{
	struct timespec	 ts = { 0, 100 * 1000 * 1000 };
	char		*body = NULL;
	int		 tries;

	for (tries = 0; tries < 300; tries++) {
		if (scan_mail(maildir, needle, &body) > 0 && body != NULL)
			break;
		nanosleep(&ts, NULL);
	}
	return (body);
}

/* The log written so far. */
static char *
read_log(void)
{
	struct buf	 b;
	char		*path;

	xasprintf(&path, "%s/satchel-%ld.log", logdir, (long)getpid());
	buf_init(&b);
	if (buf_read_file(&b, path, 1 << 26, NULL) != 0)
		buf_clear(&b);
	free(path);
	return (buf_detach(&b, NULL));
}

static const char body[] =
    "First line.\n"
    ".A line that starts with a dot.\n"
    "..and two dots.\n"
    "\n"
    "Trailing spaces kept:   \n"
    "Last line.\n";

/* A message from alice to bob, with id as its Message-ID. */
static char *
message(const char *id)
{
	char	*m;

	xasprintf(&m, "From: Alice <alice@example.test>\n"
	    "To: Bob <bob@example.test>\n"
	    "Subject: test %s\n"
	    "Date: Mon, 01 Jan 2024 10:00:00 +0000\n"
	    "Message-ID: <%s>\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=us-ascii\n"
	    "\n%s", id, id, body);
	return (m);
}

/* Opens a session to port and sends one message; 0 when accepted. */
static int
send_one(const char *port, enum config_tls tls, const char *password,
    const char *id, char **cause, int *refused, int *permanent)
{
	struct config_account	 a;
	struct net_smtp		*s;
	char			*m, *to[] = { (char *)"bob@example.test" };
	int			 rc;

	account(&a, port, tls);
	s = net_smtp_new(&a);
	m = message(id);
	rc = net_smtp_open(s, password, cause);
	if (rc == 0)
		rc = net_smtp_send(s, "alice@example.test", to, 1, m,
		    strlen(m), cause);
	else if (net_smtp_send(s, "alice@example.test", to, 1, m, strlen(m),
	    NULL) == 0)
		rc = 99;	/* sent on a session that failed to open */
	*refused = net_smtp_refused(s);
	*permanent = net_smtp_permanent(s);
	net_smtp_free(s);
	free(m);
	free(a.tls_ca_file);
	return (rc);
}

static void
test_good(const char *name, const char *portvar, enum config_tls tls,
    const char *id)
{
	char	*port = fix_get(portvar), *maildir = fix_get("FIX_MAILDIR_BOB");
	char	*cause = NULL, *got, *title;
	int	 refused, permanent, rc;

	rc = send_one(port, tls, "secret1", id, &cause, &refused, &permanent);
	xasprintf(&title, "%s: sent with AUTH", name);
	if (!ok(rc == 0, title))
		diag("%s", cause != NULL ? cause : "(no cause)");
	free(title);
	free(cause);
	got = wait_body(maildir, id);
	xasprintf(&title, "%s: arrives in bob's Maildir, body byte-exact",
	    name);
	is_str(got, body, title);
	free(title);
	free(got);
	free(port);
	free(maildir);
}

static void
test_bad_cert(const char *name, const char *portvar, const char *why)
{
	char	*port = fix_get(portvar), *cause = NULL, *title, *id;
	int	 refused, permanent, rc;

	xasprintf(&id, "badcert-%s@example.test", name);
	rc = send_one(port, CONFIG_TLS_IMPLICIT, "secret1", id, &cause,
	    &refused, &permanent);
	xasprintf(&title, "%s certificate: refused, not sent", name);
	if (!ok(rc == -1 && cause != NULL && strstr(cause,
	    "certificate verification failed for '127.0.0.1'") != NULL &&
	    strstr(cause, why) != NULL && !refused && !permanent, title))
		diag("rc %d refused %d permanent %d: %s", rc, refused,
		    permanent, cause != NULL ? cause : "(no cause)");
	free(title);
	free(cause);
	free(port);
	free(id);
}

/* A port nothing listens on. */
static unsigned int
closed_port(void)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;
	int			 s;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(s, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    getsockname(s, (struct sockaddr *)&sin, &len) != 0)
		fatal("socket");
	close(s);
	return (ntohs(sin.sin_port));
}

int
main(void)
{
	struct config_account	 a;
	struct net_smtp		*s;
	char			*cause = NULL, *log, *port, *maildir, *m, *why;
	char			*to[2], portstr[16];
	size_t			 before;
	int			 refused, permanent, rc;

	net_init();
	test_fake();
	if ((why = fix_up()) != NULL) {
		printf("ok %d - the tests against Postfix # SKIP %s\n",
		    ++tap_count, why);
		free(why);
		return (tap_done());
	}
	log_init("satchel", 2);
	if (log_open(logdir, &cause) != 0)
		fatalx("%s", cause);
	maildir = fix_get("FIX_MAILDIR_BOB");

	test_good("STARTTLS", "FIX_SMTP_PORT", CONFIG_TLS_STARTTLS,
	    "starttls-1@example.test");
	test_good("implicit TLS", "FIX_SMTPS_PORT", CONFIG_TLS_IMPLICIT,
	    "implicit-1@example.test");

	log = read_log();
	ok(strstr(log, "SMTP > EHLO client.example.test") != NULL,
	    "EHLO gives the configured name");
	ok(strstr(log, "SMTP > AUTH PLAIN<redacted>") != NULL ||
	    strstr(log, "SMTP > AUTH PLAIN <redacted>") != NULL,
	    "the AUTH line is in the trace, redacted");
	ok(strstr(log, "MAIL FROM:<alice@example.test>\n") != NULL,
	    "plain MAIL FROM, no DSN parameters");
	free(log);

	/* A wrong password. */
	port = fix_get("FIX_SMTP_PORT");
	rc = send_one(port, CONFIG_TLS_STARTTLS, "wrong-password",
	    "wrongpw@example.test", &cause, &refused, &permanent);
	if (!ok(rc == -1 && refused && permanent && cause != NULL &&
	    strstr(cause, "login failed for alice@127.0.0.1: 535") != NULL,
	    "wrong password: refused (5xx), not sent"))
		diag("rc %d refused %d permanent %d: %s", rc, refused,
		    permanent, cause != NULL ? cause : "(no cause)");
	free(cause);
	cause = NULL;

	/* A recipient Postfix does not relay to: permanent. */
	account(&a, port, CONFIG_TLS_STARTTLS);
	s = net_smtp_new(&a);
	m = message("relay@example.test");
	to[0] = (char *)"bob@example.test";
	to[1] = (char *)"someone@elsewhere.invalid";
	rc = net_smtp_open(s, "secret1", &cause);
	if (rc == 0)
		rc = net_smtp_send(s, "alice@example.test", to, 2, m,
		    strlen(m), &cause);
	if (!ok(rc == -1 && net_smtp_permanent(s) && !net_smtp_refused(s) &&
	    cause != NULL && strstr(cause, "recipient "
	    "<someone@elsewhere.invalid> refused: 5") != NULL,
	    "a refused recipient fails the message for good"))
		diag("%s", cause != NULL ? cause : "(no cause)");
	free(cause);
	cause = NULL;
	to[1] = (char *)"bob@example.test\r\nRSET";
	ok(net_smtp_send(s, "alice@example.test", to, 2, m, strlen(m),
	    &cause) == -1 && net_smtp_permanent(s) && cause != NULL &&
	    strstr(cause, "not a plain address") != NULL,
	    "an address with a line break is never sent");
	free(cause);
	cause = NULL;
	free(m);
	m = message("after-refusal@example.test");
	if (!ok(net_smtp_send(s, "alice@example.test", to, 1, m, strlen(m),
	    &cause) == 0, "the session sends again after a refusal"))
		diag("%s", cause != NULL ? cause : "(no cause)");
	free(cause);
	cause = NULL;
	free(m);
	net_smtp_free(s);
	free(a.tls_ca_file);
	m = wait_body(maildir, "after-refusal@example.test");
	ok(m != NULL, "  ... and it arrives");
	free(m);

	/* Bad certificates: refused before a byte of SMTP. */
	log = read_log();
	before = strlen(log);
	free(log);
	test_bad_cert("self-signed", "FIX_SMTPS_SELFSIGNED_PORT",
	    "self-signed certificate");
	test_bad_cert("wrong-host", "FIX_SMTPS_WRONGHOST_PORT",
	    "IP address mismatch");
	test_bad_cert("expired", "FIX_SMTPS_EXPIRED_PORT",
	    "certificate has expired");
	log = read_log();
	ok(strstr(log + before, "SMTP >") == NULL &&
	    strstr(log + before, "SMTP <") == NULL,
	    "bad certificates: no SMTP spoken, so no AUTH");
	free(log);

	/* A closed port. */
	snprintf(portstr, sizeof portstr, "%u", closed_port());
	rc = send_one(portstr, CONFIG_TLS_STARTTLS, "secret1",
	    "closed@example.test", &cause, &refused, &permanent);
	if (!ok(rc == -1 && !refused && !permanent && cause != NULL &&
	    strstr(cause, "cannot connect to '127.0.0.1' port ") != NULL &&
	    strstr(cause, "Connection refused") != NULL,
	    "closed port: a temporary network failure, named"))
		diag("%s", cause != NULL ? cause : "(no cause)");
	free(cause);
	cause = NULL;

	/* A cancel before the open: it fails without trying. */
	account(&a, port, CONFIG_TLS_STARTTLS);
	s = net_smtp_new(&a);
	net_smtp_cancel(s);
	ok(net_smtp_open(s, "secret1", &cause) == -1 && cause != NULL &&
	    strcmp(cause, "cancelled") == 0, "cancelled before the open");
	free(cause);
	cause = NULL;
	net_smtp_free(s);
	free(a.tls_ca_file);

	/* Nothing from the failures was delivered. */
	ok(count_mail(maildir, "badcert-") == 0 &&
	    count_mail(maildir, "wrongpw@") == 0 &&
	    count_mail(maildir, "relay@") == 0 &&
	    count_mail(maildir, "closed@") == 0,
	    "nothing delivered from the failed sessions");
	ok(count_mail(maildir, "starttls-1@") == 1 &&
	    count_mail(maildir, "implicit-1@") == 1,
	    "each good message delivered once");

	log = read_log();
	ok(strstr(log, "secret1") == NULL &&
	    strstr(log, "wrong-password") == NULL &&
	    strstr(log, "AGFsaWNlAHNlY3JldDE") == NULL &&
	    strstr(log, "c2VjcmV0MQ") == NULL,
	    "the log holds no password, plain or base64");
	free(log);

	free(maildir);
	free(port);
	log_close();
	fix_down();
	buf_release(&env);
	return (tap_done());
}
