/*
 * tests/unit/net/auth.c: password_command and the SASL check.  Every
 * failure names the account; a missing SASL plugin says which package to
 * install instead of looking like a wrong password.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "net/net.h"
#include "tests/unit/tap.h"

/* Runs cmd as the account "test"; returns the secret or the cause. */
static int
run(const char *cmd, char **out)
{
	struct config_account	 a;
	char			*secret = NULL, *cause = NULL;
	int			 rc;

	memset(&a, 0, sizeof a);
	a.name = (char *)"test";
	a.password_command = (char *)cmd;
	rc = net_password(&a, &secret, &cause);
	if (rc == 0) {
		*out = xstrdup(secret);
		net_secret_free(secret);
	} else {
		*out = cause;
		ok(secret == NULL, "  ... and no secret on failure");
	}
	return (rc);
}

static void
secret_is(const char *cmd, const char *want, const char *name)
{
	char	*out;

	if (run(cmd, &out) != 0) {
		ok(0, name);
		diag("cause: %s", out);
	} else
		is_str(out, want, name);
	free(out);
}

static void
fails_with(const char *cmd, const char *want, const char *name)
{
	char	*out;

	if (run(cmd, &out) == 0) {
		ok(0, name);
		diag("got a secret");
	} else if (!ok(strstr(out, want) != NULL &&
	    strstr(out, "account 'test'") != NULL, name))
		diag("cause: %s", out);
	free(out);
}

/*
 * SASL initialises once per process, so the missing-plugin case runs in
 * a child whose SASL_PATH holds no plugin.
 */
static void
test_sasl_missing(void)
{
	char	 dir[] = "/tmp/satchel-sasl.XXXXXX", *cause = NULL;
	pid_t	 pid;
	int	 status, rc;

	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	if ((pid = fork()) == 0) {
		setenv("SASL_PATH", dir, 1);
		rc = net_sasl_check("PLAIN", &cause);
		_exit(rc == -1 && cause != NULL && strcmp(cause, "SASL "
		    "mechanism PLAIN is not available: install the Debian "
		    "package libsasl2-modules") == 0 ? 0 : 1);
	}
	ok(pid != -1 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0,
	    "no plugins: the cause names libsasl2-modules");
	rmdir(dir);
}

int
main(void)
{
	struct config_account	 a;
	char			*secret, *cause;

	net_init();	/* ignores SIGPIPE, as satchel does */
	test_sasl_missing();
	cause = NULL;
	ok(net_sasl_check("PLAIN", &cause) == 0 && cause == NULL,
	    "PLAIN is installed (libsasl2-modules)");
	cause = NULL;
	ok(net_sasl_check("NO-SUCH-MECH", &cause) == -1 && cause != NULL &&
	    strstr(cause, "NO-SUCH-MECH is not available") != NULL,
	    "an unknown mechanism is not available");
	free(cause);

	secret_is("echo hunter2", "hunter2", "first line of stdout");
	secret_is("printf 'one\\ntwo\\n'", "one", "only the first line");
	secret_is("printf 'pw\\r\\n'", "pw", "CR LF ending");
	secret_is("printf 'no newline'", "no newline", "no newline at all");
	secret_is("printf ' spaced pw '", " spaced pw ", "spaces are kept");
	secret_is("echo pw; echo noise >&2", "pw", "stderr ignored on success");
	secret_is("echo pw; head -c 200000 /dev/zero", "pw",
	    "a lot of output after the line");
	secret_is("read x; echo \"pw$x\"", "pw", "stdin is /dev/null");

	fails_with("exit 3", "failed (exit status 3)", "exit status");
	fails_with("echo 'gpg: decryption failed' >&2; exit 2",
	    "failed (exit status 2): gpg: decryption failed",
	    "first line of stderr in the cause");
	fails_with("echo pw; exit 1", "exit status 1",
	    "output does not count when the command fails");
	fails_with("true", "printed no password", "no output");
	fails_with("echo", "printed no password", "an empty line");
	fails_with("kill -9 $$", "killed by signal 9", "killed");
	fails_with("kill -PIPE $$; echo pw", "killed by signal 13",
	    "SIGPIPE is back to its default in the command");
	fails_with("head -c 5000 /dev/zero | tr '\\0' x", "longer than",
	    "a line too long");

	memset(&a, 0, sizeof a);
	a.name = (char *)"test";
	secret = NULL;
	cause = NULL;
	ok(net_password(&a, &secret, &cause) == -1 && secret == NULL &&
	    cause != NULL && strcmp(cause, "account 'test' has no "
	    "password_command") == 0, "no password_command");
	free(cause);

	net_secret_free(NULL);
	net_secret_free(xstrdup("x"));
	ok(1, "net_secret_free(NULL) and of a string");
	return (tap_done());
}
