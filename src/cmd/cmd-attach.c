/*
 * cmd/cmd-attach.c: attachments of the message in the pager: save one to
 * a file, or pipe one to a command.
 *
 * The pager numbers the attachments of a thread "#1", "#2", ...; the
 * bytes come from mime/ with the transfer encoding undone.  A saved file
 * takes the attachment's name through text_sanitize_filename() (no '/',
 * no leading '.' or '-', no controls), lands in ~/Downloads (or ~ when
 * there is none) unless a path is given, and never replaces a file
 * without asking.  A pipe runs the user's command through /bin/sh with
 * the attachment on its standard input -- nothing from the mail is ever
 * part of the command -- and shows what it printed.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "mime/mime.h"
#include "ui/ui.h"
#include "cmd/cmd.h"
#include "private.h"

#define CMD_ATTACH_OUTPUT_MAX	(1024 * 1024)

/* Parses "#3" or "3". */
static int
cmd_attach_number(const char *s, size_t *k, char **cause)
{
	const char	*errstr;

	if (*s == '#')
		s++;
	*k = (size_t)strtonum(s, 1, 10000, &errstr);
	if (errstr != NULL) {
		xcause(cause, "'%s' is not an attachment number", s);
		return (-1);
	}
	return (0);
}

/* Attachment k of the pager: its bytes and (may be NULL) its name. */
static int
cmd_attach_load(size_t k, struct buf *data, char **name, char **cause)
{
	struct mime_message	*m;
	struct mime_render	 r;
	char			*file;
	size_t			 n, i, seen = 0;
	int			 rc;

	if (ui_attachment(k, &file, &n, cause) != 0)
		return (-1);
	m = mime_message_parse_file(file, cause);
	free(file);
	if (m == NULL)
		return (-1);
	if (name != NULL) {
		*name = NULL;
		mime_message_render(m, &r);
		for (i = 0; i < r.n_blocks; i++) {
			if (r.blocks[i].kind == MIME_BLOCK_ATTACHMENT &&
			    ++seen == n && r.blocks[i].filename != NULL)
				*name = xstrdup(r.blocks[i].filename);
		}
		mime_render_release(&r);
	}
	rc = mime_message_attachment(m, n, data, cause);
	mime_message_free(m);
	if (rc != 0 && name != NULL) {
		free(*name);
		*name = NULL;
	}
	return (rc);
}

/* Where a save goes: path as given, inside it if it is a directory, or
 * the default directory; the attachment's name made safe. */
static char *
cmd_attach_target(const char *path, const char *name)
{
	struct stat	 sb;
	char		*safe, *dir, *home, *target;

	safe = text_sanitize_filename(name != NULL ? name : "attachment",
	    name != NULL ? strlen(name) : 10);
	if (path != NULL) {
		dir = path_expand(path);
		if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
			free(safe);
			return (dir);
		}
	} else {
		home = path_expand("~");
		dir = path_join(home, "Downloads");
		if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
			free(dir);
			dir = xstrdup(home);
		}
		free(home);
	}
	target = path_join(dir, safe);
	free(dir);
	free(safe);
	return (target);
}

/* A save waiting for "replace it?". */
struct cmd_attach_pending {
	char		*path;
	struct buf	 data;
};

static void
cmd_attach_pending_free(struct cmd_attach_pending *p)
{
	free(p->path);
	buf_release(&p->data);
	free(p);
}

static void
cmd_attach_replace(const char *answer, void *arg)
{
	struct cmd_attach_pending	*p = arg;
	char				*cause = NULL;

	if (answer == NULL || (strcmp(answer, "y") != 0 &&
	    strcmp(answer, "yes") != 0))
		ui_message("not saved: '%s' kept as it was", p->path);
	else if (path_write_atomic(p->path, p->data.data, p->data.len, 0644,
	    &cause) != 0) {
		ui_error("%s", cause);
		free(cause);
	} else
		ui_message("saved %zu bytes to '%s' (replaced)", p->data.len,
		    p->path);
	cmd_attach_pending_free(p);
}

static int
cmd_save_attachment_exec(int argc, char **argv, char **cause)
{
	struct cmd_attach_pending	*p;
	struct buf			 data;
	char				*name, *path, *question;
	size_t				 k;

	if (cmd_attach_number(argv[1], &k, cause) != 0)
		return (-1);
	buf_init(&data);
	if (cmd_attach_load(k, &data, &name, cause) != 0) {
		buf_release(&data);
		return (-1);
	}
	path = cmd_attach_target(argc > 2 ? argv[2] : NULL, name);
	free(name);
	if (path_write_file(path, data.data, data.len, 0644, 1, NULL) == 0) {
		ui_message("saved %zu bytes to '%s'", data.len, path);
		free(path);
		buf_release(&data);
		return (0);
	}
	if (errno != EEXIST) {
		xcause(cause, "cannot save to '%s': %s", path,
		    strerror(errno));
		free(path);
		buf_release(&data);
		return (-1);
	}
	p = xcalloc(1, sizeof *p);
	p->path = path;
	p->data = data;
	xasprintf(&question, "'%s' exists; replace it? (y/n) ", path);
	ui_ask(question, cmd_attach_replace, p);
	free(question);
	return (0);
}

/* Runs command with the file at in on stdin; its output into out. */
static int
cmd_attach_run(const char *command, int in, struct buf *out, int *status,
    char **cause)
{
	char	 chunk[8192];
	ssize_t	 n;
	pid_t	 pid;
	int	 fds[2];

	if (pipe(fds) != 0) {
		xcause(cause, "cannot make a pipe: %s", strerror(errno));
		return (-1);
	}
	if ((pid = fork()) == -1) {
		xcause(cause, "cannot fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return (-1);
	}
	if (pid == 0) {
		if (dup2(in, STDIN_FILENO) == -1 ||
		    dup2(fds[1], STDOUT_FILENO) == -1 ||
		    dup2(fds[1], STDERR_FILENO) == -1)
			_exit(127);
		close(fds[0]);
		close(fds[1]);
		execl("/bin/sh", "sh", "-c", command, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		n = read(fds[0], chunk, sizeof chunk);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (out->len < CMD_ATTACH_OUTPUT_MAX)
			buf_add(out, chunk, (size_t)n);
	}
	close(fds[0]);
	while (waitpid(pid, status, 0) == -1 && errno == EINTR)
		;
	return (0);
}

static int
cmd_pipe_attachment_exec(int argc, char **argv, char **cause)
{
	struct buf	 data, out, command;
	char		 tmp[] = "/tmp/satchel-pipe-XXXXXX", *clean, *p, *nl;
	char		**lines = NULL, *title;
	size_t		 k, n = 0;
	int		 fd, i, status = 0, rc = -1;

	if (cmd_attach_number(argv[1], &k, cause) != 0)
		return (-1);
	buf_init(&data);
	buf_init(&out);
	buf_init(&command);
	for (i = 2; i < argc; i++)
		buf_printf(&command, "%s%s", i == 2 ? "" : " ", argv[i]);
	if (cmd_attach_load(k, &data, NULL, cause) != 0)
		goto out;
	/* A file, not a pipe, on stdin: the command may read at its pace. */
	if ((fd = mkstemp(tmp)) == -1) {
		xcause(cause, "cannot make '%s': %s", tmp, strerror(errno));
		goto out;
	}
	(void)unlink(tmp);
	if (path_write_full(fd, data.data, data.len) != 0 ||
	    lseek(fd, 0, SEEK_SET) == -1) {
		xcause(cause, "cannot write a temporary file: %s",
		    strerror(errno));
		close(fd);
		goto out;
	}
	rc = cmd_attach_run(command.data, fd, &out, &status, cause);
	close(fd);
	if (rc != 0)
		goto out;
	clean = text_sanitize(out.data, out.len, TEXT_MULTILINE |
	    TEXT_VISIBLE);
	for (p = clean; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		lines = xreallocarray(lines, n + 1, sizeof *lines);
		lines[n++] = xstrndup(p, (size_t)(nl - p));
		if (*nl == '\0')
			break;
	}
	free(clean);
	xasprintf(&title, "| %s%s", command.data, WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0 ? "" : "  (failed)");
	clean = text_sanitize(title, strlen(title), 0);
	ui_text_show(clean, lines, n);
	free(clean);
	free(title);
out:
	buf_release(&command);
	buf_release(&out);
	buf_release(&data);
	return (rc);
}

const struct cmd_entry cmd_save_attachment_entry = {
	"save-attachment", "N [PATH]", "save attachment #N (to ~/Downloads, "
	"or PATH); asks before replacing a file",
	1, 2, cmd_save_attachment_exec
};
const struct cmd_entry cmd_pipe_attachment_entry = {
	"pipe-attachment", "N COMMAND", "run COMMAND with attachment #N on its "
	"input and show what it prints",
	2, CMD_MAX_ARGS - 1, cmd_pipe_attachment_exec
};
