/*
 * core/config.c: the configuration file (satchel.conf(5)).
 *
 *	# comment
 *	mail_root = ~/Mail
 *	new_tags = inbox unread
 *	[account work]
 *	type = imap
 *	host = imap.example.com
 *
 * Values may be double-quoted ("a \"b\""), which keeps leading and
 * trailing spaces and a '#'.  A bad line stops the load with
 * "FILE:LINE: what was expected" so the user can go straight to it.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"

#define CONFIG_MAX_SIZE		(1024 * 1024)
#define CONFIG_MAX_LINE		4096
#define CONFIG_MAX_ACCOUNTS	256

struct config_ctx {
	struct config		*cfg;
	const char		*file;
	unsigned int		 line;
	struct config_account	*account;	/* current section or NULL */
	char			**cause;
};

static const char *config_default_new_tags[] = { "inbox", "unread" };
static const char *config_default_exclude_tags[] = { "deleted", "spam" };

static char **
config_copy_list(const char **list, size_t n)
{
	char	**v;
	size_t	  i;

	v = xcalloc(n + 1, sizeof *v);
	for (i = 0; i < n; i++)
		v[i] = xstrdup(list[i]);
	return (v);
}

void
config_init(struct config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->mail_root = path_expand("~/Mail");
	cfg->default_query = xstrdup("tag:inbox");
	cfg->n_new_tags = 2;
	cfg->new_tags = config_copy_list(config_default_new_tags, 2);
	cfg->n_exclude_tags = 2;
	cfg->exclude_tags = config_copy_list(config_default_exclude_tags, 2);
	cfg->synchronize_flags = 1;
	cfg->archive_folder = xstrdup("Archive");
	cfg->trash_folder = xstrdup("Trash");
}

static void
config_account_release(struct config_account *a)
{
	free(a->name);
	free(a->host);
	free(a->user);
	free(a->password_command);
	free(a->tls_ca_file);
	free(a->tls_fingerprint);
	free(a->email);
	free(a->realname);
	free(a->folder);
	free(a->archive_folder);
	free(a->trash_folder);
	free(a->smtp_host);
	free(a->smtp_user);
	free(a->smtp_password_command);
	free(a->ehlo_name);
	free(a->sendmail_command);
	free(a->sent_folder);
	free(a->drafts_folder);
	free(a->signature);
	free(a->query_command);
}

void
config_release(struct config *cfg)
{
	size_t	 i;

	free(cfg->path);
	free(cfg->mail_root);
	free(cfg->database);
	free(cfg->notmuch_config);
	free(cfg->default_query);
	free(cfg->keymap);
	free(cfg->theme);
	free(cfg->archive_folder);
	free(cfg->trash_folder);
	free(cfg->query_command);
	for (i = 0; i < cfg->n_searches; i++) {
		free(cfg->searches[i].name);
		free(cfg->searches[i].query);
	}
	free(cfg->searches);
	config_free_list(cfg->new_tags, cfg->n_new_tags);
	config_free_list(cfg->exclude_tags, cfg->n_exclude_tags);
	for (i = 0; i < cfg->n_accounts; i++)
		config_account_release(&cfg->accounts[i]);
	free(cfg->accounts);
	memset(cfg, 0, sizeof *cfg);
}

char *
config_default_path(void)
{
	char	*dir, *path;

	dir = path_config_home();
	xasprintf(&path, "%s/satchel/config", dir);
	free(dir);
	return (path);
}

/* Tags are separated by spaces, commas or semicolons (notmuch uses ';'). */
char **
config_split_list(const char *s, size_t *n)
{
	char		**v = NULL;
	size_t		  len;
	const char	 *sep = " \t,;";

	*n = 0;
	v = xcalloc(1, sizeof *v);
	for (;;) {
		s += strspn(s, sep);
		if (*s == '\0')
			break;
		len = strcspn(s, sep);
		v = xreallocarray(v, *n + 2, sizeof *v);
		v[(*n)++] = xstrndup(s, len);
		v[*n] = NULL;
		s += len;
	}
	return (v);
}

void
config_free_list(char **v, size_t n)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int
config_error_at(char **cause, const char *file, int line, const char *fmt,
    ...)
{
	va_list	 ap;
	char	*msg, *full;
	int	 n;

	if (cause == NULL)
		return (-1);
	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	/* The file name and the message may both quote what is not ours. */
	n = xasprintf(&full, "%s:%d: %s", file, line, msg);
	*cause = text_sanitize(full, (size_t)n, 0);
	free(full);
	free(msg);
	return (-1);
}

int
config_lines(const char *file, const char *data, size_t len, size_t max,
    int (*fn)(char *, int, void *), void *arg, char **cause)
{
	const char	*p = data, *end = data + len, *nl;
	char		*line;
	size_t		 n;
	int		 lineno = 0, rc = 0;

	while (p < end && rc == 0) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		n = (size_t)(nl - p);
		if (n > max)
			return (config_error_at(cause, file, lineno,
			    "line longer than %zu bytes", max));
		if (memchr(p, '\0', n) != NULL)
			return (config_error_at(cause, file, lineno,
			    "unexpected NUL byte"));
		line = xstrndup(p, n);
		rc = fn(line, lineno, arg);
		free(line);
		p = nl + 1;
	}
	return (rc);
}

static int PRINTFLIKE(2, 3)
config_error(struct config_ctx *ctx, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;
	int	 rc;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	rc = config_error_at(ctx->cause, ctx->file, (int)ctx->line, "%s", msg);
	free(msg);
	return (rc);
}

static int
config_yesno(struct config_ctx *ctx, const char *key, const char *v, int *out)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 ||
	    strcmp(v, "on") == 0)
		*out = 1;
	else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 ||
	    strcmp(v, "off") == 0)
		*out = 0;
	else
		return (config_error(ctx, "'%s' expects yes or no, not '%s'",
		    key, v));
	return (0);
}

static void
config_set_str(char **field, const char *v)
{
	free(*field);
	*field = xstrdup(v);
}

static void
config_set_path(char **field, const char *v)
{
	free(*field);
	*field = path_expand(v);
}

static void
config_set_list(char ***field, size_t *n, const char *v)
{
	config_free_list(*field, *n);
	*field = config_split_list(v, n);
}

/* "NAME: QUERY", a saved search for the sidebar. */
static int
config_add_search(struct config_ctx *ctx, const char *v)
{
	struct config		*cfg = ctx->cfg;
	struct config_search	*s;
	const char		*colon = strchr(v, ':'), *q;
	size_t			 n;

	if (colon == NULL || colon == v)
		return (config_error(ctx, "'search' expects 'NAME: QUERY', "
		    "not '%s'", v));
	n = (size_t)(colon - v);
	while (n > 0 && isspace((unsigned char)v[n - 1]))
		n--;
	q = colon + 1 + strspn(colon + 1, " \t");
	if (n == 0 || *q == '\0')
		return (config_error(ctx, "'search' expects 'NAME: QUERY', "
		    "not '%s'", v));
	cfg->searches = xreallocarray(cfg->searches, cfg->n_searches + 1,
	    sizeof *cfg->searches);
	s = &cfg->searches[cfg->n_searches++];
	s->name = xstrndup(v, n);
	s->query = xstrdup(q);
	return (0);
}

/* query_command: mutt's, run through /bin/sh with %s as the word. */
static int
config_query_command(struct config_ctx *ctx, char **to, const char *v)
{
	if (*v == '\0')
		return (config_error(ctx, "'query_command' expects a command"));
	config_set_str(to, v);
	return (0);
}

static int
config_set_global(struct config_ctx *ctx, const char *key, const char *v)
{
	struct config	*cfg = ctx->cfg;

	if (strcmp(key, "mail_root") == 0)
		config_set_path(&cfg->mail_root, v);
	else if (strcmp(key, "database") == 0)
		config_set_path(&cfg->database, v);
	else if (strcmp(key, "notmuch_config") == 0) {
		/* "default" asks for notmuch's own search for its config. */
		if (strcmp(v, "default") == 0)
			config_set_str(&cfg->notmuch_config, "");
		else
			config_set_path(&cfg->notmuch_config, v);
	} else if (strcmp(key, "default_query") == 0) {
		if (*v == '\0')
			return (config_error(ctx, "'default_query' expects a "
			    "notmuch query, not an empty value"));
		config_set_str(&cfg->default_query, v);
	} else if (strcmp(key, "new_tags") == 0) {
		config_set_list(&cfg->new_tags, &cfg->n_new_tags, v);
		cfg->have_new_tags = 1;
	} else if (strcmp(key, "exclude_tags") == 0) {
		config_set_list(&cfg->exclude_tags, &cfg->n_exclude_tags, v);
		cfg->have_exclude_tags = 1;
	} else if (strcmp(key, "synchronize_flags") == 0) {
		if (config_yesno(ctx, key, v, &cfg->synchronize_flags) != 0)
			return (-1);
		cfg->have_synchronize_flags = 1;
	} else if (strcmp(key, "keymap") == 0)
		config_set_path(&cfg->keymap, v);
	else if (strcmp(key, "theme") == 0)
		config_set_path(&cfg->theme, v);
	else if (strcmp(key, "archive") == 0) {
		if (strcmp(v, "tag") == 0)
			cfg->archive_move = 0;
		else if (strcmp(v, "move") == 0)
			cfg->archive_move = 1;
		else
			return (config_error(ctx, "'archive' expects 'tag' or "
			    "'move', not '%s'", v));
	} else if (strcmp(key, "sidebar") == 0) {
		if (config_yesno(ctx, key, v, &cfg->sidebar) != 0)
			return (-1);
	} else if (strcmp(key, "search") == 0) {
		if (config_add_search(ctx, v) != 0)
			return (-1);
	} else if (strcmp(key, "query_command") == 0) {
		if (config_query_command(ctx, &cfg->query_command, v) != 0)
			return (-1);
	} else if (strcmp(key, "archive_folder") == 0 ||
	    strcmp(key, "trash_folder") == 0) {
		if (*v == '\0' || *v == '/')
			return (config_error(ctx, "'%s' expects a folder name "
			    "relative to mail_root", key));
		config_set_str(key[0] == 'a' ? &cfg->archive_folder :
		    &cfg->trash_folder, v);
	} else
		return (config_error(ctx, "unknown option '%s' (expected "
		    "mail_root, database, notmuch_config, default_query, "
		    "new_tags, exclude_tags, synchronize_flags, keymap, "
		    "theme, archive, archive_folder, trash_folder, search, "
		    "sidebar or query_command)", key));
	return (0);
}

/* "AB:cd:..." or "abcd...": stores 64 lower-case hex digits. */
static int
config_fingerprint(struct config_account *a, const char *v)
{
	char	 hex[65];
	size_t	 n = 0;

	for (; *v != '\0'; v++) {
		if (*v == ':')
			continue;
		if (!isxdigit((unsigned char)*v) || n == 64)
			return (-1);
		hex[n++] = (char)tolower((unsigned char)*v);
	}
	if (n != 64)
		return (-1);
	hex[n] = '\0';
	config_set_str(&a->tls_fingerprint, hex);
	return (0);
}

static int
config_port(struct config_ctx *ctx, const char *key, const char *v,
    unsigned int *out)
{
	const char	*errstr;
	long long	 port;

	port = strtonum(v, 1, 65535, &errstr);
	if (errstr != NULL)
		return (config_error(ctx, "'%s' expects a number from 1 to "
		    "65535, not '%s'", key, v));
	*out = (unsigned int)port;
	return (0);
}

/* "implicit" (or "yes"), "starttls" or "none", for tls and smtp_tls. */
static int
config_tls(struct config_ctx *ctx, const char *key, const char *v,
    enum config_tls *out)
{
	if (strcmp(v, "implicit") == 0 || strcmp(v, "yes") == 0)
		*out = CONFIG_TLS_IMPLICIT;
	else if (strcmp(v, "starttls") == 0)
		*out = CONFIG_TLS_STARTTLS;
	else if (strcmp(v, "none") == 0)
		*out = CONFIG_TLS_NONE;
	else
		return (config_error(ctx, "'%s' expects implicit, starttls or "
		    "none, not '%s'", key, v));
	return (0);
}

/*
 * What EHLO may carry: a domain (letters, digits, '-' and '.') or an
 * address literal in brackets, so that nothing else reaches the command
 * line.
 */
static int
config_valid_ehlo(const char *s)
{
	size_t	 n = strlen(s);

	if (n == 0 || n > 255)
		return (0);
	if (s[0] == '[')
		return (n > 2 && s[n - 1] == ']' &&
		    strspn(s + 1, "0123456789abcdefABCDEF.:") == n - 2);
	for (; *s != '\0'; s++) {
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '.')
			return (0);
	}
	return (1);
}

/* A folder name under the account's Maildir tree. */
static int
config_valid_folder(const char *s)
{
	return (*s != '\0' && *s != '/' && strstr(s, "..") == NULL);
}

/* The account options of sending; 1 when key is none of them. */
static int
config_set_send(struct config_ctx *ctx, const char *key, const char *v)
{
	struct config_account	*a = ctx->account;

	if (strcmp(key, "smtp_host") == 0) {
		if (*v == '\0')
			return (config_error(ctx, "'smtp_host' expects a host "
			    "name"));
		config_set_str(&a->smtp_host, v);
	} else if (strcmp(key, "smtp_port") == 0)
		return (config_port(ctx, key, v, &a->smtp_port));
	else if (strcmp(key, "smtp_tls") == 0) {
		if (config_tls(ctx, key, v, &a->smtp_tls) != 0)
			return (-1);
		a->have_smtp_tls = 1;
	} else if (strcmp(key, "smtp_user") == 0)
		config_set_str(&a->smtp_user, v);
	else if (strcmp(key, "smtp_password_command") == 0)
		config_set_str(&a->smtp_password_command, v);
	else if (strcmp(key, "ehlo_name") == 0) {
		if (!config_valid_ehlo(v))
			return (config_error(ctx, "'ehlo_name' expects a "
			    "domain name or an address in brackets, not '%s'",
			    v));
		config_set_str(&a->ehlo_name, v);
	} else if (strcmp(key, "sendmail_command") == 0) {
		if (*v == '\0')
			return (config_error(ctx, "'sendmail_command' expects "
			    "a command"));
		config_set_str(&a->sendmail_command, v);
	} else if (strcmp(key, "save_sent") == 0)
		return (config_yesno(ctx, key, v, &a->save_sent));
	else if (strcmp(key, "sent_folder") == 0 ||
	    strcmp(key, "drafts_folder") == 0) {
		if (!config_valid_folder(v))
			return (config_error(ctx, "'%s' expects a folder name "
			    "under the account, not '%s'", key, v));
		config_set_str(key[0] == 's' ? &a->sent_folder :
		    &a->drafts_folder, v);
	} else if (strcmp(key, "signature") == 0)
		config_set_path(&a->signature, v);
	else if (strcmp(key, "query_command") == 0)
		return (config_query_command(ctx, &a->query_command, v));
	else
		return (1);
	return (0);
}

/*
 * The sending defaults that depend on other keys, once the section is
 * complete; fails when an account that sends lacks what EHLO needs.
 */
static int
config_send_defaults(struct config_ctx *ctx, struct config_account *a)
{
	const char	*at;

	if (!a->have_smtp_tls)
		a->smtp_tls = a->smtp_port == 465 ? CONFIG_TLS_IMPLICIT :
		    CONFIG_TLS_STARTTLS;
	if (a->smtp_port == 0) {
		if (a->smtp_tls == CONFIG_TLS_IMPLICIT)
			a->smtp_port = 465;
		else if (a->smtp_tls == CONFIG_TLS_STARTTLS)
			a->smtp_port = 587;
		else
			a->smtp_port = 25;
	}
	if (a->smtp_user == NULL && a->user != NULL)
		a->smtp_user = xstrdup(a->user);
	if (a->smtp_password_command == NULL && a->password_command != NULL)
		a->smtp_password_command = xstrdup(a->password_command);
	if (a->ehlo_name == NULL && a->email != NULL &&
	    (at = strrchr(a->email, '@')) != NULL &&
	    config_valid_ehlo(at + 1))
		a->ehlo_name = xstrdup(at + 1);
	if (a->smtp_host != NULL && a->sendmail_command != NULL)
		return (config_error(ctx, "account '%s' has both 'smtp_host' "
		    "and 'sendmail_command' (choose one)", a->name));
	if (a->smtp_host != NULL && a->ehlo_name == NULL)
		return (config_error(ctx, "account '%s' needs 'ehlo_name' (or "
		    "an 'email' with a domain) to send through '%s'", a->name,
		    a->smtp_host));
	return (0);
}

static int
config_set_account(struct config_ctx *ctx, const char *key, const char *v)
{
	struct config_account	*a = ctx->account;
	const char		*errstr;
	long long		 n;
	int			 rc;

	if (strcmp(key, "type") == 0) {
		if (strcmp(v, "maildir") == 0)
			a->type = CONFIG_ACCOUNT_MAILDIR;
		else if (strcmp(v, "imap") == 0)
			a->type = CONFIG_ACCOUNT_IMAP;
		else if (strcmp(v, "pop") == 0 || strcmp(v, "pop3") == 0)
			a->type = CONFIG_ACCOUNT_POP;
		else
			return (config_error(ctx, "'type' expects maildir, "
			    "imap or pop, not '%s'", v));
	} else if (strcmp(key, "host") == 0)
		config_set_str(&a->host, v);
	else if (strcmp(key, "port") == 0)
		return (config_port(ctx, key, v, &a->port));
	else if (strcmp(key, "user") == 0)
		config_set_str(&a->user, v);
	else if (strcmp(key, "password_command") == 0)
		config_set_str(&a->password_command, v);
	else if (strcmp(key, "tls") == 0)
		return (config_tls(ctx, key, v, &a->tls));
	else if (strcmp(key, "tls_ca_file") == 0)
		config_set_path(&a->tls_ca_file, v);
	else if (strcmp(key, "tls_fingerprint") == 0) {
		if (config_fingerprint(a, v) != 0)
			return (config_error(ctx, "'tls_fingerprint' expects "
			    "the certificate's SHA-256 as 64 hex digits (colons "
			    "allowed), not '%s'", v));
	} else if (strcmp(key, "allow_plaintext") == 0)
		return (config_yesno(ctx, key, v, &a->allow_plaintext));
	else if (strcmp(key, "timeout") == 0) {
		n = strtonum(v, 1, 3600, &errstr);
		if (errstr != NULL)
			return (config_error(ctx, "'timeout' expects seconds "
			    "from 1 to 3600, not '%s'", v));
		a->timeout = (int)n;
	} else if (strcmp(key, "archive_folder") == 0 ||
	    strcmp(key, "trash_folder") == 0) {
		if (*v == '\0')
			return (config_error(ctx, "'%s' expects a folder name",
			    key));
		config_set_str(key[0] == 'a' ? &a->archive_folder :
		    &a->trash_folder, v);
	} else if (strcmp(key, "pop_leave_on_server") == 0)
		return (config_yesno(ctx, key, v, &a->pop_leave_on_server));
	else if (strcmp(key, "pop_delete_after_days") == 0) {
		n = strtonum(v, 0, 36500, &errstr);
		if (errstr != NULL)
			return (config_error(ctx, "'pop_delete_after_days' "
			    "expects days from 0 (never) to 36500, not '%s'",
			    v));
		a->pop_delete_after_days = (int)n;
	} else if (strcmp(key, "email") == 0) {
		if (strchr(v, '@') == NULL)
			return (config_error(ctx, "'email' expects an address "
			    "like user@example.com, not '%s'", v));
		config_set_str(&a->email, v);
	} else if (strcmp(key, "realname") == 0)
		config_set_str(&a->realname, v);
	else if (strcmp(key, "folder") == 0) {
		if (*v == '/' || strstr(v, "..") != NULL)
			return (config_error(ctx, "'folder' expects a path "
			    "under mail_root, not '%s'", v));
		config_set_str(&a->folder, v);
	} else if ((rc = config_set_send(ctx, key, v)) != 1)
		return (rc);
	else
		return (config_error(ctx, "unknown account option '%s' "
		    "(expected type, host, port, user, password_command, tls, "
		    "tls_ca_file, tls_fingerprint, allow_plaintext, timeout, "
		    "email, realname, folder, archive_folder, trash_folder, "
		    "pop_leave_on_server, pop_delete_after_days, smtp_host, "
		    "smtp_port, smtp_tls, smtp_user, smtp_password_command, "
		    "ehlo_name, sendmail_command, save_sent, sent_folder, "
		    "drafts_folder, signature or query_command)", key));
	return (0);
}

static int
config_valid_name(const char *s)
{
	if (*s == '\0')
		return (0);
	for (; *s != '\0'; s++) {
		if (!isalnum((unsigned char)*s) && strchr("-_.@+", *s) == NULL)
			return (0);
	}
	return (1);
}

/* "[account NAME]" */
static int
config_section(struct config_ctx *ctx, char *line)
{
	struct config		*cfg = ctx->cfg;
	struct config_account	*a;
	char			*end, *name;
	size_t			 i;

	if ((end = strchr(line, ']')) == NULL || end[1] != '\0')
		return (config_error(ctx, "expected '[account NAME]'"));
	*end = '\0';
	line++;
	if (strncmp(line, "account", 7) != 0 ||
	    !isspace((unsigned char)line[7]))
		return (config_error(ctx, "expected '[account NAME]', not "
		    "'[%s]'", line));
	name = line + 7;
	name += strspn(name, " \t");
	end = name + strlen(name);
	while (end > name && isspace((unsigned char)end[-1]))
		*--end = '\0';
	if (!config_valid_name(name))
		return (config_error(ctx, "account name '%s' must be letters, "
		    "digits and -_.@+", name));
	for (i = 0; i < cfg->n_accounts; i++) {
		if (strcmp(cfg->accounts[i].name, name) == 0)
			return (config_error(ctx, "account '%s' is already "
			    "defined at line %d", name, cfg->accounts[i].line));
	}
	if (cfg->n_accounts == CONFIG_MAX_ACCOUNTS)
		return (config_error(ctx, "more than %d accounts",
		    CONFIG_MAX_ACCOUNTS));
	cfg->accounts = xreallocarray(cfg->accounts, cfg->n_accounts + 1,
	    sizeof *cfg->accounts);
	a = &cfg->accounts[cfg->n_accounts++];
	memset(a, 0, sizeof *a);
	a->name = xstrdup(name);
	a->type = CONFIG_ACCOUNT_MAILDIR;
	a->tls = CONFIG_TLS_IMPLICIT;
	a->timeout = 60;
	a->archive_folder = xstrdup("Archive");
	a->trash_folder = xstrdup("Trash");
	a->pop_leave_on_server = 1;
	a->save_sent = 1;
	a->sent_folder = xstrdup("Sent");
	a->drafts_folder = xstrdup("Drafts");
	a->line = (int)ctx->line;
	ctx->account = a;
	return (0);
}

/* Unquotes a value in place: "..." with \" and \\ escapes. */
static int
config_unquote(struct config_ctx *ctx, char *v)
{
	char	*in, *out;

	if (*v != '"')
		return (0);
	for (in = v + 1, out = v; *in != '"'; in++) {
		if (*in == '\0')
			return (config_error(ctx, "expected a closing '\"'"));
		if (*in == '\\' && (in[1] == '"' || in[1] == '\\'))
			in++;
		*out++ = *in;
	}
	if (in[1] != '\0')
		return (config_error(ctx, "unexpected text after the closing "
		    "'\"'"));
	*out = '\0';
	return (0);
}

static int
config_line(struct config_ctx *ctx, char *line)
{
	char	*eq, *key, *v, *end;

	line += strspn(line, " \t");
	end = line + strlen(line);
	while (end > line && isspace((unsigned char)end[-1]))
		*--end = '\0';
	if (*line == '\0' || *line == '#')
		return (0);
	if (*line == '[')
		return (config_section(ctx, line));
	if ((eq = strchr(line, '=')) == NULL)
		return (config_error(ctx, "expected 'key = value'"));
	key = line;
	end = eq;
	while (end > key && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	if (*key == '\0')
		return (config_error(ctx, "expected a key before '='"));
	v = eq + 1;
	v += strspn(v, " \t");
	if (*v != '"' && (end = strstr(v, " #")) != NULL) {
		*end = '\0';
		end = v + strlen(v);
		while (end > v && isspace((unsigned char)end[-1]))
			*--end = '\0';
	}
	if (config_unquote(ctx, v) != 0)
		return (-1);
	if (ctx->account != NULL)
		return (config_set_account(ctx, key, v));
	return (config_set_global(ctx, key, v));
}

/* Checks what can only be checked once a section is complete. */
static int
config_check_accounts(struct config_ctx *ctx)
{
	struct config_account	*a;
	size_t			 i;

	for (i = 0; i < ctx->cfg->n_accounts; i++) {
		a = &ctx->cfg->accounts[i];
		ctx->line = (unsigned int)a->line;
		if (a->type != CONFIG_ACCOUNT_MAILDIR && a->host == NULL)
			return (config_error(ctx, "account '%s' needs 'host'",
			    a->name));
		if (a->type != CONFIG_ACCOUNT_MAILDIR && a->user == NULL)
			return (config_error(ctx, "account '%s' needs 'user'",
			    a->name));
		if (config_send_defaults(ctx, a) != 0)
			return (-1);
	}
	return (0);
}

static int
config_parse_line(char *line, int lineno, void *arg)
{
	struct config_ctx	*ctx = arg;

	ctx->line = (unsigned int)lineno;
	return (config_line(ctx, line));
}

int
config_parse(struct config *cfg, const char *name, const char *data,
    size_t len, char **cause)
{
	struct config_ctx	 ctx;
	int			 rc;

	memset(&ctx, 0, sizeof ctx);
	ctx.cfg = cfg;
	ctx.file = name;
	ctx.cause = cause;
	rc = config_lines(name, data, len, CONFIG_MAX_LINE, config_parse_line,
	    &ctx, cause);
	if (rc == 0)
		rc = config_check_accounts(&ctx);
	return (rc);
}

int
config_load(struct config *cfg, const char *path, int must_exist,
    char **cause)
{
	struct buf	 b;
	int		 rc;

	if (!must_exist && access(path, F_OK) == -1 && errno == ENOENT)
		return (0);
	buf_init(&b);
	if (buf_read_file(&b, path, CONFIG_MAX_SIZE, cause) != 0) {
		buf_release(&b);
		return (-1);
	}
	rc = config_parse(cfg, path, b.data, b.len, cause);
	buf_release(&b);
	if (rc == 0)
		config_set_str(&cfg->path, path);
	return (rc);
}
