/*
 * net/smtp.c: an SMTP submission session.  Connecting follows net/imap.c
 * and net/pop.c: implicit TLS, or STARTTLS and never a fall-back to
 * plaintext, through net/tls.c; then EHLO with the account's ehlo_name
 * (never gethostname(), which libetpan's own EHLO sends) and AUTH PLAIN
 * or LOGIN through SASL.  A message goes out with a plain MAIL FROM (no
 * DSN parameters: libetpan's mailesmtp_mail() would add them) and is
 * accepted once the server answers 250 to the end of DATA.
 * net_smtp_sendmail() is the other way out: the account's
 * sendmail_command.
 *
 * Every failure records whether the server said no for good (a 5xx
 * answer, or an address satchel will never send), so that the outbox can
 * tell a message that needs fixing from one that waits for the network.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libetpan/libetpan.h>

#include "core/core.h"
#include "net/net.h"
#include "private.h"

/* How much of a server's text goes into a message. */
#define SMTP_TEXT_MAX	200
/* Longest address sent; libetpan formats commands into 513 bytes. */
#define SMTP_ADDR_MAX	256

/*
 * libetpan exports these but does not declare them: EHLO with a name of
 * our own is the command sent by hand, then the answer parsed as
 * mailesmtp_ehlo() would (SMTP pitfall 3 in LIBRARIES.md).
 */
int	 mailsmtp_send_command(mailsmtp *, char *);
int	 mailsmtp_read_response(mailsmtp *);
int	 mailesmtp_parse_ehlo(mailsmtp *);

struct net_smtp {
	struct net_link	 link;
	mailsmtp	*smtp;
	char		*user;		/* NULL: no AUTH */
	char		*ehlo;		/* NULL: the local address */
	int		 ready;		/* net_smtp_open() succeeded */
	int		 permanent;	/* the last failure is for good */
};

struct net_smtp *
net_smtp_new(const struct config_account *a)
{
	struct config_account	 c;
	struct net_smtp		*s;

	/* The link reads host, port and tls: the SMTP ones here. */
	c = *a;
	c.host = a->smtp_host;
	c.port = a->smtp_port;
	c.tls = a->smtp_tls;
	s = xcalloc(1, sizeof *s);
	link_init(&s->link, &c, "SMTP", 465, 587);
	s->user = a->smtp_user != NULL ? xstrdup(a->smtp_user) : NULL;
	s->ehlo = a->ehlo_name != NULL ? xstrdup(a->ehlo_name) : NULL;
	if ((s->smtp = mailsmtp_new(0, NULL)) == NULL)
		fatalx("out of memory");
	return (s);
}

void
net_smtp_cancel(struct net_smtp *s)
{
	if (s != NULL)
		link_cancel(&s->link);
}

/* mailsmtp_free() says QUIT while the stream is open. */
void
net_smtp_free(struct net_smtp *s)
{
	if (s == NULL)
		return;
	if (s->smtp != NULL)
		mailsmtp_free(s->smtp);
	link_release(&s->link);
	free(s->user);
	free(s->ehlo);
	free(s);
}

int
net_smtp_refused(const struct net_smtp *s)
{
	return (s->link.refused);
}

int
net_smtp_permanent(const struct net_smtp *s)
{
	return (s->permanent);
}

const char *
net_smtp_security(const struct net_smtp *s)
{
	return (s->link.security);
}

/*
 * Sets *cause to "<what>: <why>": the link's failure when it broke, else
 * the server's code and the first line of its text.  A 5xx answer makes
 * the failure permanent; anything else (4xx, network) is temporary.
 */
static void
smtp_error(struct net_smtp *s, int r, const char *what, char **cause)
{
	const char	*text;
	size_t		 n;
	int		 code;

	s->permanent = 0;
	if (link_failed(&s->link, what, cause))
		return;
	code = s->smtp->response_code;
	text = s->smtp->response;
	if (r == MAILSMTP_ERROR_STREAM || code == 0 || text == NULL) {
		xcause(cause, "%s: %s", what, r == MAILSMTP_ERROR_STREAM ?
		    "connection lost" : mailsmtp_strerror(r));
		return;
	}
	s->permanent = (code >= 500 && code <= 599);
	n = strcspn(text, "\r\n");
	if (n > SMTP_TEXT_MAX)
		n = SMTP_TEXT_MAX;
	xcause(cause, "%s: %d %.*s", what, code, (int)n, text);
}

static void
smtp_trace(mailsmtp *m, int type, const char *str, size_t len, void *arg)
{
	struct net_smtp	*s = arg;

	(void)m;
	link_trace_log(&s->link, type, str, len);
}

/*
 * EHLO with the configured name (checked by the config parser, and here
 * again as it goes on a command line), or libetpan's address literal of
 * the local end when there is none.
 */
static int
smtp_ehlo(struct net_smtp *s, char **cause)
{
	char	*cmd, *what;
	int	 r, code;

	if (s->ehlo == NULL)
		r = mailesmtp_ehlo_with_ip(s->smtp, 1);
	else if (*s->ehlo == '\0' || strpbrk(s->ehlo, " \t\r\n") != NULL) {
		xcause(cause, "cannot use '%s' as the EHLO name", s->ehlo);
		return (-1);
	} else {
		xasprintf(&cmd, "EHLO %s\r\n", s->ehlo);
		if (mailsmtp_send_command(s->smtp, cmd) == -1)
			r = MAILSMTP_ERROR_STREAM;
		else if ((code = mailsmtp_read_response(s->smtp)) == 250)
			r = mailesmtp_parse_ehlo(s->smtp);
		else if (code == 0)
			r = MAILSMTP_ERROR_STREAM;
		else
			r = MAILSMTP_ERROR_UNEXPECTED_CODE;
		free(cmd);
	}
	if (r == MAILSMTP_NO_ERROR)
		return (0);
	xasprintf(&what, "EHLO refused by '%s'", s->link.host);
	smtp_error(s, r, what, cause);
	free(what);
	return (-1);
}

/*
 * STARTTLS or nothing: a server that does not offer it gets no password,
 * as a man in the middle would strip the capability.  The capabilities
 * from before TLS are forgotten by the second EHLO.
 */
static int
smtp_starttls(struct net_smtp *s, char **cause)
{
	int	 r;

	if (!(s->smtp->esmtp & MAILSMTP_ESMTP_STARTTLS)) {
		xcause(cause, "server '%s' does not offer STARTTLS; refusing "
		    "to send without TLS (set smtp_tls = implicit, or "
		    "smtp_tls = none to allow plaintext)", s->link.host);
		return (-1);
	}
	r = mailesmtp_starttls(s->smtp);
	if (r != MAILSMTP_NO_ERROR && s->smtp->stream->read_buffer_len == 0) {
		smtp_error(s, r, "STARTTLS failed", cause);
		return (-1);
	}
	if (link_starttls(&s->link, s->smtp->stream, cause) != 0)
		return (-1);
	return (smtp_ehlo(s, cause));
}

/*
 * AUTH PLAIN when offered, else LOGIN, each only when SASL has its
 * plugin: a missing plugin fails like a wrong password would.
 */
static int
smtp_auth(struct net_smtp *s, const char *password, char **cause)
{
	const char	*mech = NULL;
	char		*why = NULL, *what;
	int		 r;

	if ((s->smtp->auth & MAILSMTP_AUTH_PLAIN) &&
	    net_sasl_check("PLAIN", &why) == 0)
		mech = "PLAIN";
	else if ((s->smtp->auth & MAILSMTP_AUTH_LOGIN) &&
	    net_sasl_check("LOGIN", why == NULL ? &why : NULL) == 0)
		mech = "LOGIN";
	if (mech == NULL) {
		if (why != NULL)
			*cause = why;
		else
			xcause(cause, "server '%s' offers no way to log in "
			    "that satchel knows (no AUTH PLAIN or LOGIN)",
			    s->link.host);
		s->permanent = 1;
		return (-1);
	}
	free(why);
	r = mailesmtp_auth_sasl(s->smtp, mech, s->link.host, NULL, NULL,
	    s->user, s->user, password, NULL);
	if (r == MAILSMTP_NO_ERROR)
		return (0);
	xasprintf(&what, "login failed for %s@%s", s->user, s->link.host);
	smtp_error(s, r, what, cause);
	free(what);
	if (s->permanent)
		s->link.refused = 1;
	return (-1);
}

int
net_smtp_open(struct net_smtp *s, const char *password, char **cause)
{
	mailstream	*ms;
	char		*what;
	int		 r;

	s->permanent = 0;
	if (s->smtp->stream != NULL) {
		xcause(cause, "the session is open already");
		return (-1);
	}
	if (s->user != NULL && password == NULL) {
		xcause(cause, "no password for %s@%s", s->user,
		    s->link.host != NULL ? s->link.host : "(no host)");
		return (-1);
	}
	if ((ms = link_connect(&s->link, cause)) == NULL)
		return (-1);
	link_trace(&s->link, NULL, LOG_SMTP);
	mailsmtp_set_logger(s->smtp, smtp_trace, s);

	/* On failure libetpan closes the stream itself. */
	if ((r = mailsmtp_connect(s->smtp, ms)) != MAILSMTP_NO_ERROR) {
		xasprintf(&what, "no greeting from '%s'", s->link.host);
		smtp_error(s, r, what, cause);
		free(what);
		return (-1);
	}
	if (smtp_ehlo(s, cause) != 0)
		return (-1);
	if (s->link.tls == CONFIG_TLS_STARTTLS && smtp_starttls(s, cause) != 0)
		return (-1);
	if (s->user != NULL && smtp_auth(s, password, cause) != 0)
		return (-1);
	log_info("smtp: connected to '%s'%s%s (%s)", s->link.host,
	    s->user != NULL ? " as " : "", s->user != NULL ? s->user : "",
	    s->link.security);
	s->ready = 1;
	return (0);
}

/*
 * Whether an address can go between the brackets of MAIL FROM or RCPT
 * TO: printable ASCII without spaces or brackets, so that no text from a
 * message can add a command.
 */
static int
smtp_address_ok(const char *a)
{
	const unsigned char	*p;

	if (*a == '\0' || strlen(a) > SMTP_ADDR_MAX)
		return (0);
	for (p = (const unsigned char *)a; *p != '\0'; p++) {
		if (*p <= ' ' || *p >= 0x7f || *p == '<' || *p == '>')
			return (0);
	}
	return (1);
}

/* One address for the envelope: MAIL FROM (rcpt 0) or RCPT TO. */
static int
smtp_envelope(struct net_smtp *s, const char *addr, int rcpt, char **cause)
{
	char	*what;
	int	 r;

	if (!smtp_address_ok(addr)) {
		xcause(cause, "cannot send %s '%s': not a plain address",
		    rcpt ? "to" : "from", addr);
		s->permanent = 1;
		return (-1);
	}
	if (rcpt)
		r = mailsmtp_rcpt(s->smtp, addr);
	else
		r = mailsmtp_mail(s->smtp, addr);
	if (r == MAILSMTP_NO_ERROR)
		return (0);
	xasprintf(&what, "%s <%s> refused", rcpt ? "recipient" : "sender",
	    addr);
	smtp_error(s, r, what, cause);
	free(what);
	return (-1);
}

int
net_smtp_send(struct net_smtp *s, const char *from, char *const *rcpts,
    size_t n, const char *data, size_t len, char **cause)
{
	size_t	 i;
	int	 r;

	/* After a failed open the stream may be up, but not logged in. */
	if (!s->ready || s->smtp->stream == NULL) {
		xcause(cause, "the session is not open");
		return (-1);
	}
	s->permanent = 0;
	if (n == 0) {
		xcause(cause, "the message has no recipients");
		s->permanent = 1;
		return (-1);
	}
	if (smtp_envelope(s, from, 0, cause) != 0)
		goto reset;
	for (i = 0; i < n; i++) {
		if (smtp_envelope(s, rcpts[i], 1, cause) != 0)
			goto reset;
	}
	if ((r = mailsmtp_data(s->smtp)) != MAILSMTP_NO_ERROR) {
		smtp_error(s, r, "DATA refused", cause);
		goto reset;
	}
	/*
	 * libetpan ends the data with CRLF "." CRLF after the last line,
	 * and turns LF into CRLF and dot-stuffs on the way: the message's
	 * own final line break would become an extra empty line.
	 */
	if (len > 0 && data[len - 1] == '\n')
		len--;
	if (len > 0 && data[len - 1] == '\r')
		len--;
	if ((r = mailsmtp_data_message(s->smtp, data, len)) !=
	    MAILSMTP_NO_ERROR) {
		smtp_error(s, r, "message refused", cause);
		return (-1);
	}
	log_info("smtp: '%s' accepted a message from <%s> for %zu "
	    "recipient%s", s->link.host, from, n, n == 1 ? "" : "s");
	return (0);

reset:
	/* A refused envelope leaves a transaction open: end it. */
	if (!link_failed(&s->link, NULL, NULL))
		(void)mailsmtp_reset(s->smtp);
	return (-1);
}

/* What a sendmail_command run leaves to look at. */
struct smtp_pipe {
	const char	*data;		/* still to write */
	size_t		 left;
	char		 err[256];	/* the first line of its output */
	size_t		 errlen;
	int		 errdone;
};

/* Keeps the first line of what fd gives; 0 at its end. */
static int
smtp_pipe_read(int fd, struct smtp_pipe *sp)
{
	char	 chunk[512];
	ssize_t	 n, i;

	if ((n = read(fd, chunk, sizeof chunk)) == -1)
		return (errno == EINTR || errno == EAGAIN);
	for (i = 0; i < n && !sp->errdone; i++) {
		if (chunk[i] == '\n')
			sp->errdone = 1;
		else if (sp->errlen + 1 < sizeof sp->err)
			sp->err[sp->errlen++] = chunk[i];
	}
	return (n > 0);
}

/*
 * Writes the message to the command's stdin while reading its output, so
 * that neither side waits for the other.  A command that stops reading
 * early ends the writing (EPIPE); its exit status says what happened.
 */
static void
smtp_pipe_run(int in, int out, struct smtp_pipe *sp)
{
	struct pollfd	 pfd[2];
	ssize_t		 n;

	pfd[0].fd = in;
	pfd[0].events = POLLOUT;
	pfd[1].fd = out;
	pfd[1].events = POLLIN;
	if (sp->left == 0) {
		close(in);
		pfd[0].fd = -1;
	}
	while (pfd[0].fd != -1 || pfd[1].fd != -1) {
		if (poll(pfd, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[0].fd != -1 && pfd[0].revents != 0) {
			n = write(in, sp->data, sp->left);
			if (n > 0) {
				sp->data += n;
				sp->left -= (size_t)n;
			}
			if ((n == -1 && errno != EINTR && errno != EAGAIN) ||
			    sp->left == 0) {
				close(in);
				pfd[0].fd = -1;
			}
		}
		if (pfd[1].fd != -1 && pfd[1].revents != 0 &&
		    !smtp_pipe_read(out, sp))
			pfd[1].fd = -1;
	}
	if (pfd[0].fd != -1)
		close(in);
}

/* sysexits(3) codes that mean "try again later". */
static int
smtp_exit_temporary(int status)
{
	if (!WIFEXITED(status))
		return (1);
	switch (WEXITSTATUS(status)) {
	case 69:	/* EX_UNAVAILABLE */
	case 71:	/* EX_OSERR */
	case 74:	/* EX_IOERR */
	case 75:	/* EX_TEMPFAIL */
		return (1);
	}
	return (0);
}

int
net_smtp_sendmail(const struct config_account *a, char *const *rcpts,
    size_t n, const char *data, size_t len, int *permanent, char **cause)
{
	struct smtp_pipe	 sp;
	char			 sh[] = "sh", dashc[] = "-c", **argv, *cmd;
	int			 in[2] = { -1, -1 }, out[2] = { -1, -1 };
	int			 error, status, rc = -1;
	size_t			 i;
	pid_t			 pid;

	*permanent = 0;
	if (a->sendmail_command == NULL || *a->sendmail_command == '\0') {
		xcause(cause, "account '%s' has no sendmail_command", a->name);
		*permanent = 1;
		return (-1);
	}
	for (i = 0; i < n; i++) {
		if (!smtp_address_ok(rcpts[i]) || rcpts[i][0] == '-') {
			xcause(cause, "cannot send to '%s': not a plain "
			    "address", rcpts[i]);
			*permanent = 1;
			return (-1);
		}
	}
	/* The addresses are arguments, never parsed by the shell. */
	xasprintf(&cmd, "%s \"$@\"", a->sendmail_command);
	argv = xcalloc(n + 5, sizeof *argv);
	argv[0] = sh;
	argv[1] = dashc;
	argv[2] = cmd;
	argv[3] = sh;
	for (i = 0; i < n; i++)
		argv[4 + i] = rcpts[i];
	memset(&sp, 0, sizeof sp);
	sp.data = data;
	sp.left = len;
	if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) {
		xcause(cause, "cannot run sendmail_command of account '%s': %s",
		    a->name, strerror(errno));
		goto out;
	}
	if ((error = proc_spawn(argv, in[0], out[1], out[1], &pid)) != 0) {
		xcause(cause, "cannot run sendmail_command of account '%s': %s",
		    a->name, strerror(error));
		goto out;
	}
	close(in[0]);
	close(out[1]);
	in[0] = out[1] = -1;
	(void)fcntl(in[1], F_SETFL, O_NONBLOCK);
	smtp_pipe_run(in[1], out[0], &sp);
	in[1] = -1;
	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR) {
			xcause(cause, "sendmail_command of account '%s': "
			    "waitpid: %s", a->name, strerror(errno));
			goto out;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		log_info("smtp: sendmail_command of '%s' took a message for "
		    "%zu recipient%s", a->name, n, n == 1 ? "" : "s");
		rc = 0;
	} else {
		auth_failure("sendmail_command", a->name, status, sp.err,
		    sp.errlen, cause);
		*permanent = !smtp_exit_temporary(status);
	}
out:
	for (i = 0; i < 2; i++) {
		if (in[i] != -1)
			close(in[i]);
		if (out[i] != -1)
			close(out[i]);
	}
	free(argv);
	free(cmd);
	return (rc);
}
