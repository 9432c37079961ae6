/*
 * core/proc.c: running the user's commands (mailcap viewers and filters,
 * pipe-attachment) through /bin/sh.
 *
 * Nothing from mail ever becomes part of a command line here: callers
 * pass the user's own text, with only names satchel made itself put in.
 * The child gets the default signal dispositions back (satchel ignores
 * SIGPIPE) and nothing but stdin, stdout and stderr.
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
#include <time.h>
#include <unistd.h>

#include "core.h"

/* In the child: stdin from in (-1: /dev/null, -2: as it is), stdout and
 * stderr to out (-1: as they are), then the shell. */
static void
proc_child(const char *command, int in, int out)
{
	struct sigaction	 sa;
	int			 null;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	(void)sigaction(SIGPIPE, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	(void)sigaction(SIGQUIT, &sa, NULL);
	if (in == -1) {
		if ((null = open("/dev/null", O_RDONLY)) == -1)
			_exit(127);
		in = null;
	}
	if (in >= 0 && in != STDIN_FILENO && dup2(in, STDIN_FILENO) == -1)
		_exit(127);
	if (out >= 0 && (dup2(out, STDOUT_FILENO) == -1 ||
	    dup2(out, STDERR_FILENO) == -1))
		_exit(127);
	execl("/bin/sh", "sh", "-c", command, (char *)NULL);
	_exit(127);
}

static void
proc_reap(pid_t pid, int *status)
{
	while (waitpid(pid, status, 0) == -1 && errno == EINTR)
		;
}

static long long
proc_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

int
proc_run(const char *command, int in, struct buf *out, size_t max,
    int timeout, int *status, char **cause)
{
	char		 chunk[8192];
	struct pollfd	 pfd;
	long long	 deadline = 0, left;
	ssize_t		 n;
	pid_t		 pid;
	int		 fds[2], rc;

	*status = 0;
	if (pipe(fds) != 0) {
		xcause(cause, "cannot make a pipe: %s", strerror(errno));
		return (-1);
	}
	(void)fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	if ((pid = fork()) == -1) {
		xcause(cause, "cannot fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return (-1);
	}
	if (pid == 0)
		proc_child(command, in, fds[1]);
	close(fds[1]);
	if (timeout > 0)
		deadline = proc_now_ms() + (long long)timeout * 1000;
	for (;;) {
		pfd.fd = fds[0];
		pfd.events = POLLIN;
		left = timeout > 0 ? deadline - proc_now_ms() : -1;
		if (timeout > 0 && left <= 0) {
			(void)kill(pid, SIGKILL);
			close(fds[0]);
			proc_reap(pid, status);
			xcause(cause, "'%s' took more than %d seconds and was "
			    "stopped", command, timeout);
			return (-1);
		}
		rc = poll(&pfd, 1, left > 1000000 ? 1000000 : (int)left);
		if (rc == -1 && errno == EINTR)
			continue;
		if (rc == 0)
			continue;
		n = read(fds[0], chunk, sizeof chunk);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		/* Past max the output is read and dropped, so the child
		 * never blocks on a full pipe. */
		if (out != NULL && out->len < max)
			buf_add(out, chunk, (size_t)n < max - out->len ?
			    (size_t)n : max - out->len);
	}
	close(fds[0]);
	proc_reap(pid, status);
	return (0);
}

int
proc_run_terminal(const char *command, int in, int *status, char **cause)
{
	struct sigaction	 ign, old_int, old_quit;
	pid_t			 pid;

	*status = 0;
	/* C-c belongs to the command while it runs, as with system(3). */
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	(void)sigaction(SIGINT, &ign, &old_int);
	(void)sigaction(SIGQUIT, &ign, &old_quit);
	if ((pid = fork()) == -1) {
		xcause(cause, "cannot fork: %s", strerror(errno));
		(void)sigaction(SIGINT, &old_int, NULL);
		(void)sigaction(SIGQUIT, &old_quit, NULL);
		return (-1);
	}
	if (pid == 0)
		proc_child(command, in < 0 ? -2 : in, -1);
	proc_reap(pid, status);
	(void)sigaction(SIGINT, &old_int, NULL);
	(void)sigaction(SIGQUIT, &old_quit, NULL);
	return (0);
}

const char *
proc_status_text(int status, char *buf, size_t len)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		snprintf(buf, len, "ok");
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		snprintf(buf, len, "not found (exit 127)");
	else if (WIFEXITED(status))
		snprintf(buf, len, "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, len, "status %d", status);
	return (buf);
}
