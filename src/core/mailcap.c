/*
 * core/mailcap.c: which program shows a MIME type (RFC 1524).
 *
 * The files come from $MAILCAPS (a colon-separated list) or, without it,
 * ~/.mailcap, /etc/mailcap, /usr/etc/mailcap and /usr/local/etc/mailcap,
 * first match wins.  They belong to the user and the system, not to the
 * mail, so a line that cannot be read is skipped (and counted), never
 * fatal.
 *
 * Mail supplies only the type and its charset, and mailcap_expand() puts
 * them into a command stripped to letters, digits and ".+-_/": a
 * Content-Type can never add shell syntax.  The file name is one satchel
 * made, from the same safe characters.
 */
#include "config.h"

#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core.h"

#define MAILCAP_MAX_LINE	(64 * 1024)
#define MAILCAP_TEST_TIMEOUT	5	/* seconds */
#define MAILCAP_FILTER_TIMEOUT	10
#define MAILCAP_MAX_OUTPUT	(16 * 1024 * 1024)

void
mailcap_init(struct mailcap *mc)
{
	memset(mc, 0, sizeof *mc);
}

void
mailcap_release(struct mailcap *mc)
{
	size_t	 i;

	for (i = 0; i < mc->n; i++) {
		free(mc->v[i].type);
		free(mc->v[i].command);
		free(mc->v[i].test);
		free(mc->v[i].nametemplate);
	}
	free(mc->v);
	memset(mc, 0, sizeof *mc);
}

/*
 * Cuts the next ';'-separated field off *p, undoing "\;" and "\\" and
 * trimming blanks; NULL after the last one.
 */
static char *
mailcap_field(char **p)
{
	char	*s = *p, *out, *start, *end;

	if (s == NULL)
		return (NULL);
	start = out = s;
	for (; *s != '\0' && *s != ';'; s++) {
		if (*s == '\\' && (s[1] == ';' || s[1] == '\\'))
			s++;
		*out++ = *s;
	}
	*p = *s == ';' ? s + 1 : NULL;
	*out = '\0';
	while (isspace((unsigned char)*start))
		start++;
	for (end = start + strlen(start); end > start &&
	    isspace((unsigned char)end[-1]); end--)
		;
	*end = '\0';
	return (start);
}

/* One entry (continuation lines already joined); 0 or -1 if malformed. */
static int
mailcap_entry(struct mailcap *mc, char *line)
{
	struct mailcap_entry	 e;
	char			*p = line, *type, *command, *flag, *eq;

	type = mailcap_field(&p);
	command = mailcap_field(&p);
	if (type == NULL || *type == '\0' || command == NULL ||
	    strchr(type, ' ') != NULL)
		return (-1);
	memset(&e, 0, sizeof e);
	/* "text" alone means every text type. */
	if (strchr(type, '/') == NULL)
		xasprintf(&e.type, "%s/*", type);
	else
		e.type = xstrdup(type);
	e.command = xstrdup(command);
	while ((flag = mailcap_field(&p)) != NULL) {
		if ((eq = strchr(flag, '=')) != NULL) {
			*eq++ = '\0';
			while (isspace((unsigned char)*eq))
				eq++;
			/* The name may have blanks before the '='. */
			flag[strcspn(flag, " \t")] = '\0';
		}
		if (strcasecmp(flag, "copiousoutput") == 0)
			e.copiousoutput = 1;
		else if (strcasecmp(flag, "needsterminal") == 0)
			e.needsterminal = 1;
		else if (eq != NULL && strcasecmp(flag, "test") == 0) {
			free(e.test);
			e.test = xstrdup(eq);
		} else if (eq != NULL && strcasecmp(flag, "nametemplate") == 0) {
			free(e.nametemplate);
			e.nametemplate = xstrdup(eq);
		}
	}
	mc->v = xreallocarray(mc->v, mc->n + 1, sizeof *mc->v);
	mc->v[mc->n++] = e;
	return (0);
}

size_t
mailcap_parse(struct mailcap *mc, const char *data, size_t len)
{
	struct buf	 entry;
	const char	*p = data, *end = data + len, *nl;
	size_t		 n, skipped = 0;

	buf_init(&entry);
	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		n = (size_t)(nl - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (memchr(p, '\0', n) != NULL || entry.len + n >
		    MAILCAP_MAX_LINE) {
			skipped++;
			buf_clear(&entry);
			p = nl + 1;
			continue;
		}
		/* A backslash at the end joins the next line. */
		if (n > 0 && p[n - 1] == '\\') {
			buf_add(&entry, p, n - 1);
			p = nl + 1;
			if (p < end)
				continue;
			n = 0;
		} else
			buf_add(&entry, p, n);
		p = nl + 1;
		n = strspn(entry.data, " \t");
		if (entry.data[n] != '\0' && entry.data[n] != '#' &&
		    mailcap_entry(mc, entry.data + n) != 0)
			skipped++;
		buf_clear(&entry);
	}
	buf_release(&entry);
	return (skipped);
}

void
mailcap_load(struct mailcap *mc)
{
	const char	*env = getenv("MAILCAPS");
	struct buf	 b;
	char		*list, *p, *name, *path;

	if (env != NULL)
		list = xstrdup(env);
	else
		list = xstrdup("~/.mailcap:/etc/mailcap:/usr/etc/mailcap:"
		    "/usr/local/etc/mailcap");
	for (p = list; (name = strsep(&p, ":")) != NULL;) {
		if (*name == '\0')
			continue;
		path = path_expand(name);
		buf_init(&b);
		if (buf_read_file(&b, path, MAILCAP_MAX_LINE * 64, NULL) == 0)
			mc->skipped += mailcap_parse(mc, b.data, b.len);
		buf_release(&b);
		free(path);
	}
	free(list);
}

/* Whether an entry's type covers type: the same, a major type with
 * a star for the subtype, or a star alone. */
static int
mailcap_matches(const char *pattern, const char *type)
{
	size_t	 n;

	if (strcmp(pattern, "*") == 0 || strcmp(pattern, "*/*") == 0)
		return (1);
	n = strlen(pattern);
	if (n >= 2 && strcmp(pattern + n - 2, "/*") == 0)
		return (strncasecmp(pattern, type, n - 1) == 0);
	return (strcasecmp(pattern, type) == 0);
}

/* Keeps the characters a type, charset or file name may have ('/' only
 * with slash set), and no others. */
static void
mailcap_add_safe(struct buf *b, const char *s, int slash)
{
	for (; s != NULL && *s != '\0'; s++) {
		if (isalnum((unsigned char)*s) || strchr(".+-_", *s) != NULL ||
		    (slash && *s == '/'))
			buf_addch(b, *s);
	}
}

char *
mailcap_expand(const char *template, const char *type, const char *file,
    const char *charset, int *uses_file)
{
	struct buf	 b;
	const char	*p, *close;

	if (uses_file != NULL)
		*uses_file = 0;
	buf_init(&b);
	for (p = template; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0') {
			buf_addch(&b, *++p);
			continue;
		}
		if (*p != '%' || p[1] == '\0') {
			buf_addch(&b, *p);
			continue;
		}
		switch (*++p) {
		case 's':
			mailcap_add_safe(&b, file, 1);
			if (uses_file != NULL)
				*uses_file = 1;
			break;
		case 't':
			mailcap_add_safe(&b, type, 1);
			break;
		case '{':
			if ((close = strchr(p, '}')) == NULL) {
				buf_addch(&b, '%');
				buf_addch(&b, '{');
				break;
			}
			/* Only the charset: every other parameter is text
			 * the sender chose. */
			if ((size_t)(close - p - 1) == 7 &&
			    strncasecmp(p + 1, "charset", 7) == 0)
				mailcap_add_safe(&b, charset, 0);
			p = close;
			break;
		case '%':
			buf_addch(&b, '%');
			break;
		default:	/* %n, %F: multipart parameters, none here */
			break;
		}
	}
	return (buf_detach(&b, NULL));
}

const struct mailcap_entry *
mailcap_find(struct mailcap *mc, const char *type, int flags)
{
	struct mailcap_entry	*e;
	char			*command;
	size_t			 i;
	int			 pass, status;

	/* Viewers first, then filters; or filters only. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < mc->n; i++) {
			e = &mc->v[i];
			if (!mailcap_matches(e->type, type))
				continue;
			if ((flags & MAILCAP_COPIOUS) && !e->copiousoutput)
				continue;
			if (!(flags & MAILCAP_COPIOUS) &&
			    e->copiousoutput != pass)
				continue;
			if (e->test != NULL && e->tested == 0) {
				command = mailcap_expand(e->test, type, "",
				    "utf-8", NULL);
				e->tested = proc_run(command, -1, NULL, 0,
				    MAILCAP_TEST_TIMEOUT, &status, NULL) == 0 &&
				    WIFEXITED(status) &&
				    WEXITSTATUS(status) == 0 ? 1 : -1;
				free(command);
			}
			if (e->test == NULL || e->tested == 1)
				return (e);
		}
		if (flags & MAILCAP_COPIOUS)
			break;
	}
	return (NULL);
}

char *
mailcap_file_name(const struct mailcap_entry *e, const char *name)
{
	struct buf	 b;
	const char	*t = e != NULL ? e->nametemplate : NULL;
	size_t		 skip;

	/* The attachment's own name, cut to the safe characters, with no
	 * leading '.' or '-'. */
	buf_init(&b);
	mailcap_add_safe(&b, name, 0);
	skip = strspn(b.data, ".-");
	if (skip == b.len) {
		buf_clear(&b);
		buf_addstr(&b, "attachment");
	} else if (skip > 0) {
		memmove(b.data, b.data + skip, b.len - skip + 1);
		b.len -= skip;
	}
	/* "nametemplate=%s.html" gives a name without a suffix one. */
	if (t != NULL && (t = strstr(t, "%s")) != NULL &&
	    strchr(b.data, '.') == NULL)
		mailcap_add_safe(&b, t + 2, 0);
	return (buf_detach(&b, NULL));
}

struct mailcap *
mailcap_default(void)
{
	static struct mailcap	 mc;
	static int		 loaded;

	if (!loaded) {
		mailcap_init(&mc);
		mailcap_load(&mc);
		loaded = 1;
	}
	return (&mc);
}

int
mailcap_prepare(const struct mailcap_entry *e, const char *type,
    const char *charset, const char *name, const void *data, size_t len,
    struct mailcap_run *run, char **cause)
{
	const char	*tmpdir = getenv("TMPDIR");
	char		*dir, *base;
	int		 uses_file, fd;

	memset(run, 0, sizeof *run);
	run->in = -1;
	if (tmpdir == NULL || *tmpdir != '/')
		tmpdir = "/tmp";
	xasprintf(&dir, "%s/satchel-XXXXXX", tmpdir);
	if (mkdtemp(dir) == NULL) {
		xcause(cause, "cannot make a directory in %s: %s", tmpdir,
		    strerror(errno));
		free(dir);
		return (-1);
	}
	base = mailcap_file_name(e, name);
	run->path = path_join(dir, base);
	free(base);
	free(dir);
	run->command = mailcap_expand(e->command, type, run->path, charset,
	    &uses_file);
	if (path_write_file(run->path, data, len, 0600, 1, cause) != 0) {
		mailcap_finish(run);
		return (-1);
	}
	/* Without %s the command reads the data on its stdin. */
	if (!uses_file && (fd = open(run->path, O_RDONLY | O_CLOEXEC)) != -1)
		run->in = fd;
	else if (!uses_file) {
		xcause(cause, "cannot open '%s': %s", run->path,
		    strerror(errno));
		mailcap_finish(run);
		return (-1);
	}
	return (0);
}

void
mailcap_finish(struct mailcap_run *run)
{
	char	*dir;

	if (run->in != -1)
		close(run->in);
	if (run->path != NULL) {
		(void)unlink(run->path);
		dir = path_dirname(run->path);
		(void)rmdir(dir);
		free(dir);
	}
	free(run->path);
	free(run->command);
	memset(run, 0, sizeof *run);
	run->in = -1;
}

int
mailcap_filter(struct mailcap *mc, const char *type, const char *charset,
    const void *data, size_t len, struct buf *out, char **cause)
{
	const struct mailcap_entry	*e;
	struct mailcap_run		 run;
	char				 word[64];
	int				 status;

	if ((e = mailcap_find(mc, type, MAILCAP_COPIOUS)) == NULL)
		return (1);
	if (mailcap_prepare(e, type, charset, NULL, data, len, &run,
	    cause) != 0)
		return (-1);
	if (proc_run(run.command, run.in, out, MAILCAP_MAX_OUTPUT,
	    MAILCAP_FILTER_TIMEOUT, &status, cause) != 0) {
		mailcap_finish(&run);
		return (-1);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		xcause(cause, "'%s' failed: %s", run.command,
		    proc_status_text(status, word, sizeof word));
		mailcap_finish(&run);
		return (-1);
	}
	mailcap_finish(&run);
	return (0);
}
