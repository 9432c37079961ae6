/*
 * core/proc.c: running the user's commands (mailcap viewers and filters,
 * pipe-attachment) through /bin/sh.
 *
 * Nothing from mail ever becomes part of a command line here: callers
 * pass the user's own text, with only names satchel made itself put in.
 * Every command starts through proc_spawn() (posix_spawn: no fork of a
 * threaded process), with the default signal dispositions back and
 * nothing but stdin, stdout and stderr (satchel's descriptors are
 * close-on-exec).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core.h"

int
proc_spawn(char *const argv[], int in, int out, int err, pid_t *pid)
{
	posix_spawn_file_actions_t	 fa;
	posix_spawnattr_t		 attr;
	sigset_t			 set;
	int				 error;

	posix_spawn_file_actions_init(&fa);
	if (in == PROC_DEVNULL)
		posix_spawn_file_actions_addopen(&fa, STDIN_FILENO,
		    "/dev/null", O_RDONLY, 0);
	else if (in != PROC_KEEP)
		posix_spawn_file_actions_adddup2(&fa, in, STDIN_FILENO);
	if (out != PROC_KEEP)
		posix_spawn_file_actions_adddup2(&fa, out, STDOUT_FILENO);
	if (err != PROC_KEEP)
		posix_spawn_file_actions_adddup2(&fa, err, STDERR_FILENO);
	/* satchel ignores SIGPIPE (net_init()), and SIGINT and SIGQUIT
	 * while a command has the terminal: the command gets them back. */
	posix_spawnattr_init(&attr);
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGQUIT);
	posix_spawnattr_setsigdefault(&attr, &set);
	sigemptyset(&set);
	posix_spawnattr_setsigmask(&attr, &set);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF |
	    POSIX_SPAWN_SETSIGMASK);
	error = posix_spawn(pid, "/bin/sh", &fa, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	return (error);
}

/* "sh -c command" through proc_spawn(). */
static int
proc_shell(const char *command, int in, int out, pid_t *pid)
{
	char	 sh[] = "sh", dashc[] = "-c", *argv[4];

	argv[0] = sh;
	argv[1] = dashc;
	argv[2] = (char *)command;
	argv[3] = NULL;
	return (proc_spawn(argv, in, out, out, pid));
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
	int		 fds[2], rc, error;

	*status = 0;
	if (pipe(fds) != 0) {
		xcause(cause, "cannot make a pipe: %s", strerror(errno));
		return (-1);
	}
	(void)fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	(void)fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	if ((error = proc_shell(command, in < 0 ? PROC_DEVNULL : in, fds[1],
	    &pid)) != 0) {
		xcause(cause, "cannot run '%s': %s", command, strerror(error));
		close(fds[0]);
		close(fds[1]);
		return (-1);
	}
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
	int			 error;

	*status = 0;
	/* C-c belongs to the command while it runs, as with system(3). */
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	(void)sigaction(SIGINT, &ign, &old_int);
	(void)sigaction(SIGQUIT, &ign, &old_quit);
	if ((error = proc_shell(command, in < 0 ? PROC_KEEP : in, PROC_KEEP,
	    &pid)) != 0) {
		xcause(cause, "cannot run '%s': %s", command, strerror(error));
		(void)sigaction(SIGINT, &old_int, NULL);
		(void)sigaction(SIGQUIT, &old_quit, NULL);
		return (-1);
	}
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
