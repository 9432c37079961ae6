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

/* Attachment k of the pager: its bytes, and (each may be NULL) its name
 * and content type. */
static int
cmd_attach_load(size_t k, struct buf *data, char **name, char **type,
    char **cause)
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
	if (name != NULL)
		*name = NULL;
	if (type != NULL)
		*type = NULL;
	mime_message_render(m, &r);
	for (i = 0; i < r.n_blocks; i++) {
		if (r.blocks[i].kind != MIME_BLOCK_ATTACHMENT || ++seen != n)
			continue;
		if (name != NULL && r.blocks[i].filename != NULL)
			*name = xstrdup(r.blocks[i].filename);
		if (type != NULL && r.blocks[i].content_type != NULL)
			*type = xstrdup(r.blocks[i].content_type);
	}
	mime_render_release(&r);
	rc = mime_message_attachment(m, n, data, cause);
	mime_message_free(m);
	if (rc != 0) {
		if (name != NULL) {
			free(*name);
			*name = NULL;
		}
		if (type != NULL) {
			free(*type);
			*type = NULL;
		}
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
	if (cmd_attach_load(k, &data, &name, NULL, cause) != 0) {
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

/* Shows what a command printed, sanitised, in a text view. */
static void
cmd_attach_show(const char *command, struct buf *out, int status)
{
	char	*clean, *p, *nl, **lines = NULL, *title, word[64];
	size_t	 n = 0;

	clean = text_sanitize(out->data, out->len, TEXT_MULTILINE |
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
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		xasprintf(&title, "| %s", command);
	else
		xasprintf(&title, "| %s  (failed: %s)", command,
		    proc_status_text(status, word, sizeof word));
	clean = text_sanitize(title, strlen(title), 0);
	ui_text_show(clean, lines, n);
	free(clean);
	free(title);
}

static int
cmd_pipe_attachment_exec(int argc, char **argv, char **cause)
{
	struct buf	 data, out, command;
	char		 tmp[] = "/tmp/satchel-pipe-XXXXXX";
	size_t		 k;
	int		 fd, i, status = 0, rc = -1;

	if (cmd_attach_number(argv[1], &k, cause) != 0)
		return (-1);
	buf_init(&data);
	buf_init(&out);
	buf_init(&command);
	for (i = 2; i < argc; i++)
		buf_printf(&command, "%s%s", i == 2 ? "" : " ", argv[i]);
	if (cmd_attach_load(k, &data, NULL, NULL, cause) != 0)
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
	rc = proc_run(command.data, fd, &out, CMD_ATTACH_OUTPUT_MAX, 0,
	    &status, cause);
	close(fd);
	if (rc == 0)
		cmd_attach_show(command.data, &out, status);
out:
	buf_release(&command);
	buf_release(&out);
	buf_release(&data);
	return (rc);
}

/*
 * Opens attachment #N with its mailcap entry: a viewer gets the terminal
 * until it exits; a copiousoutput filter's output is shown in a view.
 * The temporary copy lives in a private directory and is removed after.
 */
static int
cmd_open_attachment_exec(int argc, char **argv, char **cause)
{
	const struct mailcap_entry	*e;
	struct mailcap_run		 run;
	struct buf			 data, out;
	char				*name = NULL, *type = NULL, word[64];
	size_t				 k;
	int				 status, rc = -1;

	if (cmd_attach_number(argv[1], &k, cause) != 0)
		return (-1);
	buf_init(&data);
	buf_init(&out);
	if (cmd_attach_load(k, &data, &name, &type, cause) != 0)
		goto out;
	if (type == NULL)
		type = xstrdup("application/octet-stream");
	if ((e = mailcap_find(mailcap_default(), type, 0)) == NULL) {
		xcause(cause, "no mailcap entry for %s (in $MAILCAPS, or "
		    "~/.mailcap and /etc/mailcap); save or pipe it instead",
		    type);
		goto out;
	}
	if (mailcap_prepare(e, type, NULL, name, data.data, data.len, &run,
	    cause) != 0)
		goto out;
	if (e->copiousoutput) {
		rc = proc_run(run.command, run.in, &out, CMD_ATTACH_OUTPUT_MAX,
		    0, &status, cause);
		if (rc == 0)
			cmd_attach_show(run.command, &out, status);
	} else {
		ui_suspend();
		rc = proc_run_terminal(run.command, run.in, &status, cause);
		ui_resume();
		if (rc == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
			ui_message("opened #%zu (%s) with '%s'", k, type,
			    run.command);
		else if (rc == 0) {
			xcause(cause, "'%s' failed: %s", run.command,
			    proc_status_text(status, word, sizeof word));
			rc = -1;
		}
	}
	mailcap_finish(&run);
out:
	free(name);
	free(type);
	buf_release(&out);
	buf_release(&data);
	return (rc);
}

const struct cmd_entry cmd_open_attachment_entry = {
	"open-attachment", "N", "open attachment #N with the program mailcap "
	"names for its type",
	1, 1, cmd_open_attachment_exec
};
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
