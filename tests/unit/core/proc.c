/*
 * tests/unit/core/proc.c: running commands, their output and status, the
 * output limit, and the timeout.
 */
#include "config.h"

#include <sys/wait.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "tests/unit/tap.h"

int
main(void)
{
	struct buf	 out;
	char		 tmp[] = "/tmp/satchel-proc-XXXXXX", word[32], *cause = NULL;
	int		 status, fd;

	buf_init(&out);
	ok(proc_run("echo hello; echo oops >&2; exit 3", -1, &out, 1024, 0,
	    &status, NULL) == 0, "runs");
	is_str(out.data, "hello\noops\n", "stdout and stderr collected");
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 3, "exit status");
	is_str(proc_status_text(status, word, sizeof word), "exit 3",
	    "status in words");

	buf_clear(&out);
	fd = mkstemp(tmp);
	ok(fd != -1 && write(fd, "abc\n", 4) == 4 && lseek(fd, 0, SEEK_SET) == 0,
	    "a file for stdin");
	ok(proc_run("tr a-z A-Z", fd, &out, 1024, 0, &status, NULL) == 0,
	    "stdin from a file");
	is_str(out.data, "ABC\n", "read it");
	close(fd);
	unlink(tmp);

	buf_clear(&out);
	ok(proc_run("cat", -1, &out, 1024, 0, &status, NULL) == 0 &&
	    out.len == 0, "stdin is /dev/null without a file");

	buf_clear(&out);
	ok(proc_run("yes | head -c 100000", -1, &out, 1000, 0, &status,
	    NULL) == 0, "a lot of output");
	is_int((int)out.len, 1000, "cut at the limit, the child not blocked");
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "and it finished");

	ok(proc_run("sleep 30", -1, NULL, 0, 1, &status, &cause) == -1,
	    "a command past its time is stopped");
	ok(cause != NULL && strstr(cause, "more than 1 second") != NULL,
	    "the cause says so");
	free(cause);

	ok(proc_run("no-such-command-here", -1, NULL, 0, 0, &status, NULL) == 0,
	    "an unknown command runs the shell");
	is_str(proc_status_text(status, word, sizeof word),
	    "not found (exit 127)", "and says it was not found");
	buf_release(&out);
	return (tap_done());
}
