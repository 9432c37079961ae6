/*
 * net/auth.c: secrets and what may be logged of them.  The password comes
 * from the account's password_command and is wiped when freed; SASL is
 * checked before use, because a missing plugin package fails a login the
 * same way a wrong password does; protocol traces go through
 * net_trace_redact() so that no secret reaches the log.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sasl/sasl.h>

#include "core/core.h"
#include "net/net.h"
#include "private.h"

/* Longest password line we take from password_command. */
#define AUTH_SECRET_MAX	4096

extern char	**environ;

/*
 * libetpan exports these but does not install mailsasl.h.  They keep
 * libetpan's count of SASL users, so that our check and libetpan's logins
 * share one sasl_client_init() under libetpan's lock.
 */
void	 mailsasl_ref(void);
void	 mailsasl_unref(void);

struct auth_output {
	char	 out[AUTH_SECRET_MAX];	/* stdout up to the first newline */
	size_t	 outlen;
	int	 outdone;		/* a newline was seen */
	int	 toolong;
	char	 err[256];		/* the first line of stderr */
	size_t	 errlen;
	int	 errdone;
};

/* Keeps the first line of what fd gives; 0 at end of file. */
static int
auth_read(int fd, char *line, size_t size, size_t *len, int *done,
    int *toolong)
{
	char	 chunk[512];
	ssize_t	 n;
	size_t	 i;

	n = read(fd, chunk, sizeof chunk);
	if (n == -1)
		return (errno == EINTR || errno == EAGAIN ? 1 : 0);
	for (i = 0; i < (size_t)n && !*done; i++) {
		if (chunk[i] == '\n')
			*done = 1;
		else if (*len + 1 < size)
			line[(*len)++] = chunk[i];
		else if (toolong != NULL)
			*toolong = 1;
	}
	explicit_bzero(chunk, sizeof chunk);
	return (n > 0);
}

/* Reads both pipes to their end (the command may write after line one). */
static void
auth_collect(int out, int err, struct auth_output *o)
{
	struct pollfd	 pfd[2];
	int		 left = 2;

	pfd[0].fd = out;
	pfd[1].fd = err;
	pfd[0].events = pfd[1].events = POLLIN;
	while (left > 0) {
		if (poll(pfd, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[0].revents != 0 && !auth_read(out, o->out,
		    sizeof o->out, &o->outlen, &o->outdone, &o->toolong)) {
			pfd[0].fd = -1;
			left--;
		}
		if (pfd[1].revents != 0 && !auth_read(err, o->err,
		    sizeof o->err, &o->errlen, &o->errdone, NULL)) {
			pfd[1].fd = -1;
			left--;
		}
	}
}

void
auth_failure(const char *what, const char *account, int status,
    const char *err, size_t errlen, char **cause)
{
	char	 how[64];

	if (WIFEXITED(status))
		snprintf(how, sizeof how, "exit status %d",
		    WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(how, sizeof how, "killed by signal %d",
		    WTERMSIG(status));
	else
		snprintf(how, sizeof how, "status %d", status);
	if (errlen != 0)
		xcause(cause, "%s of account '%s' failed (%s): %.*s", what,
		    account, how, (int)errlen, err);
	else
		xcause(cause, "%s of account '%s' failed (%s)", what, account,
		    how);
}

int
net_password(const struct config_account *a, char **secret, char **cause)
{
	struct auth_output	*o;
	char			 sh[] = "sh", dashc[] = "-c", *argv[4];
	int			 out[2] = { -1, -1 }, err[2] = { -1, -1 };
	int			 status, error, rc = -1;
	pid_t			 pid;

	*secret = NULL;
	if (a->password_command == NULL || *a->password_command == '\0') {
		xcause(cause, "account '%s' has no password_command",
		    a->name);
		return (-1);
	}
	o = xcalloc(1, sizeof *o);
	if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
		xcause(cause, "cannot run password_command of account '%s': "
		    "%s", a->name, strerror(errno));
		goto out;
	}
	argv[0] = sh;
	argv[1] = dashc;
	argv[2] = a->password_command;
	argv[3] = NULL;
	if ((error = proc_spawn(argv, PROC_DEVNULL, out[1], err[1], &pid)) != 0) {
		xcause(cause, "cannot run password_command of account '%s': "
		    "%s", a->name, strerror(error));
		goto out;
	}
	close(out[1]);
	close(err[1]);
	out[1] = err[1] = -1;
	auth_collect(out[0], err[0], o);
	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR) {
			xcause(cause, "password_command of account '%s': "
			    "waitpid: %s", a->name, strerror(errno));
			goto out;
		}
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		auth_failure("password_command", a->name, status, o->err,
		    o->errlen, cause);
	else if (o->toolong)
		xcause(cause, "password_command of account '%s' printed a "
		    "line longer than %d bytes", a->name, AUTH_SECRET_MAX - 1);
	else {
		if (o->outlen != 0 && o->out[o->outlen - 1] == '\r')
			o->outlen--;
		if (o->outlen == 0)
			xcause(cause, "password_command of account '%s' "
			    "printed no password", a->name);
		else {
			*secret = xstrndup(o->out, o->outlen);
			rc = 0;
		}
	}
out:
	if (out[0] != -1)
		close(out[0]);
	if (out[1] != -1)
		close(out[1]);
	if (err[0] != -1)
		close(err[0]);
	if (err[1] != -1)
		close(err[1]);
	explicit_bzero(o, sizeof *o);
	free(o);
	return (rc);
}

void
net_secret_free(char *secret)
{
	if (secret == NULL)
		return;
	explicit_bzero(secret, strlen(secret));
	free(secret);
}

int
net_sasl_check(const char *mech, char **cause)
{
	const char	**list;
	int		  found = 0;
	size_t		  i;

	mailsasl_ref();
	if ((list = sasl_global_listmech()) != NULL) {
		for (i = 0; list[i] != NULL && !found; i++)
			found = (strcasecmp(list[i], mech) == 0);
	}
	mailsasl_unref();
	if (!found) {
		xcause(cause, "SASL mechanism %s is not available: install the "
		    "Debian package libsasl2-modules", mech);
		return (-1);
	}
	return (0);
}

/* Case-insensitive: is the word at p (len bytes left) w, then space/end? */
static size_t
auth_word(const char *p, size_t len, const char *w)
{
	size_t	 n = strlen(w);

	if (len < n || strncasecmp(p, w, n) != 0)
		return (0);
	if (len > n && p[n] != ' ')
		return (0);
	return (n);
}

/* Skips one word and the spaces after it; returns the new offset. */
static size_t
auth_skip(const char *line, size_t len, size_t off)
{
	while (off < len && line[off] != ' ')
		off++;
	while (off < len && line[off] == ' ')
		off++;
	return (off);
}

/*
 * How much of the client line to show.  A command that carries a secret
 * keeps its verb (and SASL mechanism); one that starts a login exchange
 * makes the following client lines secret too.
 */
static size_t
auth_redact_command(struct net_redact *r, const char *proto,
    const char *line, size_t len)
{
	size_t	 off = 0, tag;

	if (strcmp(proto, "IMAP") == 0) {
		off = auth_skip(line, len, 0);
		tag = off;
		while (tag > 0 && line[tag - 1] == ' ')
			tag--;
		if (auth_word(line + off, len - off, "LOGIN") != 0)
			off = auth_skip(line, len, off);
		else if (auth_word(line + off, len - off,
		    "AUTHENTICATE") != 0) {
			off = auth_skip(line, len, off);
			off = auth_skip(line, len, off);
		} else
			return (len);
		r->in_auth = 1;
		if (tag >= sizeof r->tag)
			tag = sizeof r->tag - 1;
		memcpy(r->tag, line, tag);
		r->tag[tag] = '\0';
		return (off);
	}
	if (strcmp(proto, "POP") == 0 &&
	    (auth_word(line, len, "PASS") != 0 ||
	    auth_word(line, len, "APOP") != 0))
		return (auth_skip(line, len, 0));
	if (auth_word(line, len, "AUTH") != 0) {
		off = auth_skip(line, len, 0);
		if (off < len)
			r->in_auth = 1;
		return (auth_skip(line, len, off));
	}
	return (len);
}

/* Whether a server line ends the login exchange. */
static int
auth_redact_done(const struct net_redact *r, const char *proto,
    const char *line, size_t len)
{
	size_t	 n;

	if (strcmp(proto, "IMAP") == 0) {
		n = strlen(r->tag);
		if (len > n && memcmp(line, r->tag, n) == 0 && line[n] == ' ')
			return (1);
		return (auth_word(line, len, "*") != 0 &&
		    auth_word(line + 2, len > 2 ? len - 2 : 0, "BYE") != 0);
	}
	if (strcmp(proto, "POP") == 0)
		return ((len >= 3 && strncmp(line, "+OK", 3) == 0) ||
		    (len >= 4 && strncmp(line, "-ERR", 4) == 0));
	/* SMTP: any final reply; 334 asks for more. */
	return (len >= 3 && (line[0] == '2' || line[0] == '4' ||
	    line[0] == '5'));
}

size_t
auth_redact(struct net_redact *r, const char *proto, int sent,
    const char *line, size_t *len)
{
	size_t	 n = *len;

	if (n > 0 && line[n - 1] == '\n')
		n--;
	if (n > 0 && line[n - 1] == '\r')
		n--;
	*len = n;
	if (sent && r->in_auth)
		return (0);
	if (sent)
		return (auth_redact_command(r, proto, line, n));
	if (r->in_auth && auth_redact_done(r, proto, line, n)) {
		r->in_auth = 0;
		r->tag[0] = '\0';
	}
	return (n);
}

void
net_trace_redact(struct net_redact *r, const char *proto, int sent,
    const char *line, size_t len, char **out)
{
	struct buf	 b;
	size_t		 keep;

	keep = auth_redact(r, proto, sent, line, &len);
	buf_init(&b);
	text_escape_log(&b, line, keep);
	if (keep < len)
		buf_addstr(&b, "<redacted>");
	*out = buf_detach(&b, NULL);
}
