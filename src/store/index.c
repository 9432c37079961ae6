/*
 * store/index.c: the mail index, kept by libnotmuch.  This is the only file
 * that includes notmuch.h.  Notmuch objects live inside our structs and are
 * destroyed by our _free functions; every string handed out is copied
 * first, because notmuch's belong to talloc contexts that die with the
 * object.  notmuch_status_t becomes enum store_status here.
 *
 * libnotmuch indexes a file and nothing more: the new-mail tags and the
 * Maildir flags are applied here, as "notmuch new" does.
 */
#include "config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <notmuch.h>

#include "core/core.h"
#include "store/store.h"
#include "private.h"

struct store_index {
	notmuch_database_t	*db;
	notmuch_database_mode_t	 mode;
	notmuch_indexopts_t	*indexopts;	/* owned by db */
	char			*mail_root;
	char			*database_path;

	/*
	 * The arguments given to notmuch to open the database, kept to open
	 * a second handle: NULL database means "from the configuration",
	 * NULL config means "notmuch's default file" and "" means none.
	 */
	char			*open_database;
	char			*open_config;

	char			**new_tags;
	size_t			 n_new_tags;
	char			**exclude_tags;
	size_t			 n_exclude_tags;
	int			 synchronize_flags;
};

struct store_threads {
	notmuch_query_t		*query;
	notmuch_threads_t	*threads;	/* owned by query */
};

struct store_messages {
	notmuch_query_t		*query;
	notmuch_messages_t	*messages;	/* owned by query */
};

/* A message of a thread waiting to be visited, for the depth-first walk. */
struct store_index_visit {
	notmuch_message_t	*message;	/* owned by the thread */
	unsigned int		 depth;
};

static const char *const store_index_default_new_tags[] = {
	"inbox", "unread"
};
static const char *const store_index_default_exclude_tags[] = {
	"deleted", "spam"
};


const char *
store_index_library_version(void)
{
#define STORE_INDEX_STR1(x) #x
#define STORE_INDEX_STR(x) STORE_INDEX_STR1(x)
	return (STORE_INDEX_STR(LIBNOTMUCH_MAJOR_VERSION) "."
	    STORE_INDEX_STR(LIBNOTMUCH_MINOR_VERSION) "."
	    STORE_INDEX_STR(LIBNOTMUCH_MICRO_VERSION));
#undef STORE_INDEX_STR
#undef STORE_INDEX_STR1
}

/* Translates a notmuch status at the module boundary. */
static enum store_status
store_index_status(notmuch_status_t st)
{
	switch (st) {
	case NOTMUCH_STATUS_SUCCESS:
		return (STORE_OK);
	case NOTMUCH_STATUS_FILE_ERROR:
	case NOTMUCH_STATUS_PATH_ERROR:
		return (STORE_EIO);
	case NOTMUCH_STATUS_FILE_NOT_EMAIL:
		return (STORE_EMAIL);
	case NOTMUCH_STATUS_BAD_QUERY_SYNTAX:
		return (STORE_EQUERY);
	case NOTMUCH_STATUS_NO_CONFIG:
	case NOTMUCH_STATUS_NO_DATABASE:
	case NOTMUCH_STATUS_NO_MAIL_ROOT:
		return (STORE_ENOENT);
	case NOTMUCH_STATUS_DATABASE_EXISTS:
		return (STORE_EEXIST);
	default:
		return (STORE_EDB);
	}
}

/*
 * Makes a notmuch message fit inside one of our causes: no "Error: "
 * prefix, no final full stop or newline.  NULL when there is nothing.
 */
static char *
store_index_clean(const char *msg)
{
	char	*s;
	size_t	 len;

	if (msg == NULL)
		return (NULL);
	if (strncmp(msg, "Error: ", 7) == 0)
		msg += 7;
	s = xstrdup(msg);
	len = strlen(s);
	while (len > 0 && (isspace((unsigned char)s[len - 1]) ||
	    s[len - 1] == '.'))
		s[--len] = '\0';
	if (len == 0) {
		free(s);
		return (NULL);
	}
	if (isupper((unsigned char)s[0]) && islower((unsigned char)s[1]))
		s[0] = tolower((unsigned char)s[0]);
	return (s);
}

/*
 * Copies a string from notmuch for display, each malformed UTF-8 byte
 * replaced by U+FFFD.  NULL (a notmuch error) becomes "".
 */
static char *
store_index_utf8(const char *s)
{
	struct buf	 b;

	if (s == NULL)
		return (xstrdup(""));
	buf_init(&b);
	text_utf8_repair(&b, s, strlen(s));
	return (buf_detach(&b, NULL));
}

/* Copies an identifier or path exactly; NULL (a notmuch error) is "". */
static char *
store_index_strdup(const char *s)
{
	return (xstrdup(s == NULL ? "" : s));
}

static int
store_index_cmp_str(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* Appends s to a vector that grows by doubling. */
static void
store_index_push(char ***v, size_t *n, size_t *size, char *s)
{
	if (*n == *size) {
		*size = (*size == 0) ? 16 : *size * 2;
		*v = xreallocarray(*v, *size, sizeof **v);
	}
	(*v)[(*n)++] = s;
}

static char **
store_index_copy_list(const char *const *list, size_t n, size_t *out)
{
	char	**v = NULL;
	size_t	  i, size = 0;

	*out = 0;
	for (i = 0; i < n; i++) {
		if (list[i] != NULL && *list[i] != '\0')
			store_index_push(&v, out, &size, xstrdup(list[i]));
	}
	return (v);
}

/* Copies a notmuch tag list (sorted, UTF-8) and destroys it. */
static void
store_index_tags(notmuch_tags_t *tags, char ***v, size_t *n)
{
	size_t	 size = 0;

	*v = NULL;
	*n = 0;
	if (tags == NULL)
		return;
	for (; notmuch_tags_valid(tags); notmuch_tags_move_to_next(tags)) {
		store_index_push(v, n, &size,
		    store_index_utf8(notmuch_tags_get(tags)));
	}
	notmuch_tags_destroy(tags);
	if (*n > 1)
		qsort(*v, *n, sizeof **v, store_index_cmp_str);
}

/* An absolute copy of path without trailing slashes. */
static char *
store_index_absolute(const char *path)
{
	char	*cwd, *p;
	size_t	 len;

	if (path[0] == '/' || (cwd = getcwd(NULL, 0)) == NULL)
		p = xstrdup(path);
	else {
		p = path_join(cwd, path);
		free(cwd);
	}
	len = strlen(p);
	while (len > 1 && p[len - 1] == '/')
		p[--len] = '\0';
	return (p);
}

/* Whether path is the mail root or lies under it. */
static int
store_index_under_root(const struct store_index *idx, const char *path)
{
	size_t	 len = strlen(idx->mail_root);

	if (strcmp(idx->mail_root, "/") == 0)
		return (path[0] == '/');
	if (strncmp(path, idx->mail_root, len) != 0)
		return (0);
	return (path[len] == '\0' || path[len] == '/');
}

/*
 * notmuch's last logged message, but only when it is new since before was
 * taken: the library keeps the old one around after later errors.
 */
static const char *
store_index_fresh(struct store_index *idx, const char *before)
{
	const char	*now;

	now = notmuch_database_status_string(idx->db);
	if (now == NULL || now == before)
		return (NULL);
	return (now);
}

/* Sets *cause to "what: notmuch's reason". */
static void PRINTFLIKE(4, 5)
store_index_cause(char **cause, notmuch_status_t st, const char *msg,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*what, *clean;

	if (cause == NULL)
		return;
	va_start(ap, fmt);
	xvasprintf(&what, fmt, ap);
	va_end(ap);
	if ((clean = store_index_clean(msg)) != NULL) {
		xasprintf(cause, "%s: %s", what, clean);
		free(clean);
	} else
		xasprintf(cause, "%s: %s", what, notmuch_status_to_string(st));
	free(what);
}

/*
 * Whether the database notmuch would open is missing (rather than
 * unreadable).  A database path holds .notmuch/xapian (what we create),
 * or xapian/ (notmuch's XDG layout), or is a Xapian database itself; with
 * a configuration file, loading the configuration says.
 */
static int
store_index_missing(struct store_index *idx)
{
	/* A .notmuch/ without xapian/ is a creation that never finished. */
	static const char *const	 layouts[] = {
		".notmuch/xapian", "xapian", "iamglass"
	};
	notmuch_database_t		*db = NULL;
	notmuch_status_t		 st;
	struct stat			 sb;
	char				*msg = NULL, *p;
	size_t				 i;
	int				 there;

	if (idx->open_database != NULL) {
		for (i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
			p = path_join(idx->open_database, layouts[i]);
			there = (stat(p, &sb) == 0 || errno != ENOENT);
			free(p);
			if (there)
				return (0);
		}
		return (1);
	}
	st = notmuch_database_load_config(NULL, idx->open_config, NULL, &db,
	    &msg);
	free(msg);
	if (db != NULL)
		notmuch_database_destroy(db);
	return (st == NOTMUCH_STATUS_NO_DATABASE);
}

/* Says which database, for messages: "database '/x'". */
static char *
store_index_where(const struct store_index *idx)
{
	char	*s;

	if (idx->open_database != NULL)
		xasprintf(&s, "database '%s'", idx->open_database);
	else if (idx->open_config != NULL)
		xasprintf(&s, "the database of '%s'", idx->open_config);
	else
		s = xstrdup("the database of the notmuch configuration");
	return (s);
}

/* rm -r of a directory notmuch made (no symlinks in it). */
static void
store_index_rmtree(const char *dir)
{
	struct dirent	*de;
	DIR		*d;
	char		*p;
	struct stat	 sb;

	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			p = path_join(dir, de->d_name);
			if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
				store_index_rmtree(p);
			else
				(void)unlink(p);
			free(p);
		}
		closedir(d);
	}
	(void)rmdir(dir);
}

/*
 * Creates our own database so that a crash at any moment leaves either
 * no database or a whole one: notmuch builds it in a directory of its own
 * under .notmuch/, and one rename puts its xapian/ in place.  (Killed half
 * way, notmuch's own create leaves a database without its version, which
 * no later open accepts.)
 */
static int
store_index_create_atomic(struct store_index *idx, char **cause)
{
	notmuch_database_t	*db = NULL;
	notmuch_status_t	 st;
	char			*dot, *tmp, *name, *from, *to, *msg = NULL;
	int			 rc = -1;

	dot = path_join(idx->open_database, ".notmuch");
	xasprintf(&name, "new-%ld", (long)getpid());
	tmp = path_join(dot, name);
	from = NULL;
	to = path_join(dot, "xapian");
	if (path_mkdirs(dot, 0700, cause) == -1)
		goto out;
	store_index_rmtree(tmp);
	if (path_mkdirs(tmp, 0700, cause) == -1)
		goto out;
	st = notmuch_database_create_with_config(tmp, idx->open_config, NULL,
	    &db, &msg);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		store_index_cause(cause, st, msg, "cannot create database '%s'",
		    idx->open_database);
		goto out;
	}
	notmuch_database_destroy(db);
	xasprintf(&from, "%s/.notmuch/xapian", tmp);
	/* Losing a race to another creator is fine: theirs is whole. */
	if (rename(from, to) != 0 && errno != EEXIST && errno != ENOTEMPTY) {
		xcause(cause, "cannot create database '%s': %s",
		    idx->open_database, strerror(errno));
		goto out;
	}
	(void)path_fsync_dir(dot, NULL);
	rc = 0;
out:
	store_index_rmtree(tmp);
	free(msg);
	free(from);
	free(to);
	free(tmp);
	free(name);
	free(dot);
	return (rc);
}

/*
 * Creates the database.  Two processes may race to do it; the loser
 * finds it exists and opens it.
 */
static enum store_status
store_index_create_db(struct store_index *idx, char **cause)
{
	notmuch_status_t	 st;
	char			*msg = NULL, *where;

	if (idx->open_database != NULL) {
		if (store_index_create_atomic(idx, cause) != 0)
			return (STORE_EIO);
		st = NOTMUCH_STATUS_DATABASE_EXISTS;
	} else
		st = notmuch_database_create_with_config(NULL,
		    idx->open_config, NULL, &idx->db, &msg);
	if (st == NOTMUCH_STATUS_SUCCESS &&
	    idx->mode == NOTMUCH_DATABASE_MODE_READ_ONLY) {
		notmuch_database_destroy(idx->db);
		idx->db = NULL;
		st = notmuch_database_open_with_config(idx->open_database,
		    idx->mode, idx->open_config, NULL, &idx->db, &msg);
	} else if (st == NOTMUCH_STATUS_DATABASE_EXISTS) {
		free(msg);
		msg = NULL;
		st = notmuch_database_open_with_config(idx->open_database,
		    idx->mode, idx->open_config, NULL, &idx->db, &msg);
	}
	if (st != NOTMUCH_STATUS_SUCCESS) {
		where = store_index_where(idx);
		store_index_cause(cause, st, msg, "cannot create %s", where);
		free(where);
		idx->db = NULL;
	}
	free(msg);
	return (store_index_status(st));
}

/*
 * Opens the database notmuch finds; when it is missing, creates it if
 * asked to.
 */
static enum store_status
store_index_open_db(struct store_index *idx, int create, char **cause)
{
	notmuch_status_t	 st;
	enum store_status	 ret;
	char			*msg = NULL, *where;
	int			 missing;

	st = notmuch_database_open_with_config(idx->open_database, idx->mode,
	    idx->open_config, NULL, &idx->db, &msg);
	if (st == NOTMUCH_STATUS_SUCCESS) {
		free(msg);
		return (STORE_OK);
	}
	idx->db = NULL;
	missing = (st == NOTMUCH_STATUS_FILE_ERROR ||
	    st == NOTMUCH_STATUS_NO_DATABASE);
	/*
	 * Our own database is missing when its xapian/ is, whatever notmuch
	 * answered (a .notmuch/ left by a killed creation reads to it as a
	 * broken database).  With a configuration, creating finds out by
	 * itself.
	 */
	if (idx->open_database != NULL || (missing && !create))
		missing = store_index_missing(idx);
	if (missing && create) {
		free(msg);
		return (store_index_create_db(idx, cause));
	}

	ret = store_index_status(st);
	if (missing)
		ret = STORE_ENOENT;
	else if (msg != NULL && strstr(msg, "lock") != NULL)
		ret = STORE_ELOCKED;
	where = store_index_where(idx);
	store_index_cause(cause, st, msg, "cannot open %s", where);
	free(where);
	free(msg);
	return (ret);
}

/* Copies one ';'-separated list from notmuch's configuration. */
static void
store_index_config_list(struct store_index *idx, notmuch_config_key_t key,
    char ***v, size_t *n)
{
	notmuch_config_values_t	*vals;
	const char		*s;
	size_t			 size = 0;

	*v = NULL;
	*n = 0;
	if ((vals = notmuch_config_get_values(idx->db, key)) == NULL)
		return;
	for (; notmuch_config_values_valid(vals);
	    notmuch_config_values_move_to_next(vals)) {
		s = notmuch_config_values_get(vals);
		if (s != NULL && *s != '\0')
			store_index_push(v, n, &size, xstrdup(s));
	}
	notmuch_config_values_destroy(vals);
}

/* With a notmuch configuration, it decides the tags and flags. */
static void
store_index_read_config(struct store_index *idx)
{
	notmuch_bool_t	 b;

	store_index_config_list(idx, NOTMUCH_CONFIG_NEW_TAGS, &idx->new_tags,
	    &idx->n_new_tags);
	store_index_config_list(idx, NOTMUCH_CONFIG_EXCLUDE_TAGS,
	    &idx->exclude_tags, &idx->n_exclude_tags);
	if (notmuch_config_get_bool(idx->db, NOTMUCH_CONFIG_SYNC_MAILDIR_FLAGS,
	    &b) == NOTMUCH_STATUS_SUCCESS)
		idx->synchronize_flags = b ? 1 : 0;
	else
		idx->synchronize_flags = 1;
}

/*
 * Without one, our options do; the mail root is kept in the database's
 * own configuration, where notmuch looks for it next time.
 */
static enum store_status
store_index_use_options(struct store_index *idx,
    const struct store_index_options *o, const char *mail_root, char **cause)
{
	notmuch_status_t	 st;
	const char		*have;

	if (o->new_tags == NULL) {
		idx->new_tags = store_index_copy_list(
		    store_index_default_new_tags, 2, &idx->n_new_tags);
	} else {
		idx->new_tags = store_index_copy_list(o->new_tags,
		    o->n_new_tags, &idx->n_new_tags);
	}
	if (o->exclude_tags == NULL) {
		idx->exclude_tags = store_index_copy_list(
		    store_index_default_exclude_tags, 2, &idx->n_exclude_tags);
	} else {
		idx->exclude_tags = store_index_copy_list(o->exclude_tags,
		    o->n_exclude_tags, &idx->n_exclude_tags);
	}
	idx->synchronize_flags = (o->synchronize_flags != 0);

	have = notmuch_config_get(idx->db, NOTMUCH_CONFIG_MAIL_ROOT);
	if (mail_root == NULL || (have != NULL && strcmp(have, mail_root) == 0))
		return (STORE_OK);
	if (idx->mode != NOTMUCH_DATABASE_MODE_READ_WRITE) {
		log_warnx("store: database '%s' has mail root '%s', not '%s'",
		    idx->open_database, have == NULL ? "" : have, mail_root);
		return (STORE_OK);
	}
	st = notmuch_config_set(idx->db, NOTMUCH_CONFIG_MAIL_ROOT, mail_root);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		store_index_cause(cause, st, NULL,
		    "cannot set mail root of '%s' to '%s'", idx->open_database,
		    mail_root);
		return (store_index_status(st));
	}
	return (STORE_OK);
}

/*
 * Opens the index as the options describe; see store.h.  A read-write
 * open waits while another process writes (notmuch's lock).
 */
enum store_status
store_index_open(const struct store_index_options *o,
    enum store_index_mode mode, struct store_index **idxp, char **cause)
{
	struct store_index	*idx;
	enum store_status	 ret;
	char			*mail_root = NULL;
	const char		*root;

	*idxp = NULL;
	idx = xcalloc(1, sizeof *idx);
	if (mode == STORE_INDEX_READ_WRITE)
		idx->mode = NOTMUCH_DATABASE_MODE_READ_WRITE;
	else
		idx->mode = NOTMUCH_DATABASE_MODE_READ_ONLY;

	if (o->notmuch_config != NULL) {
		if (*o->notmuch_config != '\0')
			idx->open_config = xstrdup(o->notmuch_config);
	} else {
		if (o->mail_root == NULL && o->database == NULL) {
			xcause(cause, "no mail root or database given");
			ret = STORE_ENOENT;
			goto fail;
		}
		if (o->mail_root != NULL)
			mail_root = store_index_absolute(o->mail_root);
		if (o->database != NULL)
			idx->open_database = store_index_absolute(o->database);
		else
			idx->open_database = xstrdup(mail_root);
		idx->open_config = xstrdup("");
	}

	if ((ret = store_index_open_db(idx, o->create, cause)) != STORE_OK)
		goto fail;

	if (o->notmuch_config != NULL)
		store_index_read_config(idx);
	else {
		ret = store_index_use_options(idx, o, mail_root, cause);
		if (ret != STORE_OK)
			goto fail;
	}

	root = notmuch_config_get(idx->db, NOTMUCH_CONFIG_MAIL_ROOT);
	if (root == NULL || *root == '\0')
		root = notmuch_database_get_path(idx->db);
	idx->mail_root = store_index_absolute(root);
	idx->database_path = store_index_absolute(
	    notmuch_database_get_path(idx->db));
	if (idx->mode == NOTMUCH_DATABASE_MODE_READ_WRITE)
		idx->indexopts =
		    notmuch_database_get_default_indexopts(idx->db);

	free(mail_root);
	*idxp = idx;
	return (STORE_OK);

fail:
	free(mail_root);
	store_index_close(idx);
	return (ret);
}

enum store_status
store_index_open_again(const struct store_index *idx,
    struct store_index **againp, char **cause)
{
	struct store_index	*again;
	enum store_status	 ret;

	*againp = NULL;
	again = xcalloc(1, sizeof *again);
	again->mode = NOTMUCH_DATABASE_MODE_READ_ONLY;
	if (idx->open_database != NULL)
		again->open_database = xstrdup(idx->open_database);
	if (idx->open_config != NULL)
		again->open_config = xstrdup(idx->open_config);
	if ((ret = store_index_open_db(again, 0, cause)) != STORE_OK) {
		store_index_close(again);
		return (ret);
	}
	again->new_tags = store_index_copy_list((const char *const *)
	    idx->new_tags, idx->n_new_tags, &again->n_new_tags);
	again->exclude_tags = store_index_copy_list((const char *const *)
	    idx->exclude_tags, idx->n_exclude_tags, &again->n_exclude_tags);
	again->synchronize_flags = idx->synchronize_flags;
	again->mail_root = xstrdup(idx->mail_root);
	again->database_path = xstrdup(idx->database_path);
	*againp = again;
	return (STORE_OK);
}

/* Closes the database (committing what is pending) and frees idx. */
void
store_index_close(struct store_index *idx)
{
	if (idx == NULL)
		return;
	if (idx->db != NULL)
		notmuch_database_destroy(idx->db);
	free(idx->mail_root);
	free(idx->database_path);
	free(idx->open_database);
	free(idx->open_config);
	store_free_names(idx->new_tags, idx->n_new_tags);
	store_free_names(idx->exclude_tags, idx->n_exclude_tags);
	free(idx);
}

const char *
store_index_mail_root(const struct store_index *idx)
{
	return (idx->mail_root);
}

const char *
store_index_database_path(const struct store_index *idx)
{
	return (idx->database_path);
}

int
store_index_excludes(const struct store_index *idx, const char *tag)
{
	size_t	 i;

	for (i = 0; i < idx->n_exclude_tags; i++) {
		if (strcmp(idx->exclude_tags[i], tag) == 0)
			return (1);
	}
	return (0);
}

/*
 * Moves the handle to the latest committed state.  Iterators made before
 * must be freed first: their results may no longer be readable.
 */
enum store_status
store_index_reopen(struct store_index *idx, char **cause)
{
	notmuch_status_t	 st;
	const char		*before;

	before = notmuch_database_status_string(idx->db);
	st = notmuch_database_reopen(idx->db, idx->mode);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		store_index_cause(cause, st, store_index_fresh(idx, before),
		    "cannot reopen database '%s'", idx->database_path);
		return (store_index_status(st));
	}
	return (STORE_OK);
}

/* The database's record of a directory; *dir is NULL when it has none. */
static enum store_status
store_index_dir_get(struct store_index *idx, const char *path,
    notmuch_directory_t **dir)
{
	*dir = NULL;
	if (!store_index_under_root(idx, path))
		return (STORE_EIO);
	return (store_index_status(notmuch_database_get_directory(idx->db, path,
	    dir)));
}

time_t
store_index_dir_mtime(struct store_index *idx, const char *path)
{
	notmuch_directory_t	*dir;
	time_t			 mtime;

	if (store_index_dir_get(idx, path, &dir) != STORE_OK || dir == NULL)
		return (0);
	mtime = notmuch_directory_get_mtime(dir);
	notmuch_directory_destroy(dir);
	return (mtime);
}

/*
 * Records a directory's mtime.  The database holds a record only for a
 * directory it has indexed a file under; for any other this does nothing
 * (notmuch has no call to create one), so such a directory always reads
 * as changed, which costs one readdir.
 */
enum store_status
store_index_dir_set_mtime(struct store_index *idx, const char *path,
    time_t mtime)
{
	notmuch_directory_t	*dir;
	enum store_status	 ret;

	if ((ret = store_index_dir_get(idx, path, &dir)) != STORE_OK)
		return (ret);
	if (dir == NULL)
		return (STORE_OK);
	ret = store_index_status(notmuch_directory_set_mtime(dir, mtime));
	notmuch_directory_destroy(dir);
	return (ret);
}

/* The names of a directory's files or subdirectories, sorted. */
static enum store_status
store_index_dir_names(struct store_index *idx, const char *path,
    int subdirs, char ***names, size_t *n)
{
	notmuch_directory_t	*dir;
	notmuch_filenames_t	*fn;
	enum store_status	 ret;
	size_t			 size = 0;

	*names = NULL;
	*n = 0;
	if ((ret = store_index_dir_get(idx, path, &dir)) != STORE_OK)
		return (ret);
	if (dir == NULL)
		return (STORE_OK);
	if (subdirs)
		fn = notmuch_directory_get_child_directories(dir);
	else
		fn = notmuch_directory_get_child_files(dir);
	if (fn == NULL) {
		notmuch_directory_destroy(dir);
		return (STORE_EDB);
	}
	for (; notmuch_filenames_valid(fn); notmuch_filenames_move_to_next(fn))
		store_index_push(names, n, &size,
		    xstrdup(notmuch_filenames_get(fn)));
	notmuch_filenames_destroy(fn);
	notmuch_directory_destroy(dir);
	if (*n > 1)
		qsort(*names, *n, sizeof **names, store_index_cmp_str);
	return (STORE_OK);
}

enum store_status
store_index_dir_files(struct store_index *idx, const char *path,
    char ***names, size_t *n)
{
	return (store_index_dir_names(idx, path, 0, names, n));
}

enum store_status
store_index_dir_subdirs(struct store_index *idx, const char *path,
    char ***names, size_t *n)
{
	return (store_index_dir_names(idx, path, 1, names, n));
}

void
store_free_names(char **names, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/*
 * Forgets a directory: each file under it leaves the index (as with
 * store_index_remove_file()), then the records of its subdirectories and
 * its own.
 */
enum store_status
store_index_dir_remove(struct store_index *idx, const char *path)
{
	notmuch_directory_t	*dir = NULL;
	enum store_status	 ret;
	char			**files = NULL, **subdirs = NULL, *p;
	size_t			 n_files = 0, n_subdirs = 0, i;

	if ((ret = store_index_begin(idx)) != STORE_OK)
		return (ret);
	ret = store_index_dir_files(idx, path, &files, &n_files);
	if (ret == STORE_OK)
		ret = store_index_dir_subdirs(idx, path, &subdirs, &n_subdirs);
	for (i = 0; ret == STORE_OK && i < n_files; i++) {
		p = path_join(path, files[i]);
		ret = store_index_remove_file(idx, p);
		free(p);
	}
	for (i = 0; ret == STORE_OK && i < n_subdirs; i++) {
		p = path_join(path, subdirs[i]);
		ret = store_index_dir_remove(idx, p);
		free(p);
	}
	if (ret == STORE_OK)
		ret = store_index_dir_get(idx, path, &dir);
	if (ret == STORE_OK && dir != NULL)
		ret = store_index_status(notmuch_directory_delete(dir));
	store_free_names(subdirs, n_subdirs);
	store_free_names(files, n_files);
	if (store_index_end(idx) != STORE_OK && ret == STORE_OK)
		ret = STORE_EDB;
	return (ret);
}

/* Opens a group of writes that commit together at the outermost end. */
enum store_status
store_index_begin(struct store_index *idx)
{
	return (store_index_status(notmuch_database_begin_atomic(idx->db)));
}

enum store_status
store_index_end(struct store_index *idx)
{
	return (store_index_status(notmuch_database_end_atomic(idx->db)));
}

/* Sets the tags of m from the Maildir flags of all its files. */
static notmuch_status_t
store_index_sync_flags(notmuch_message_t *m)
{
	notmuch_status_t	 st;

	if ((st = notmuch_message_freeze(m)) != NOTMUCH_STATUS_SUCCESS)
		return (st);
	st = notmuch_message_maildir_flags_to_tags(m);
	if (notmuch_message_thaw(m) != NOTMUCH_STATUS_SUCCESS &&
	    st == NOTMUCH_STATUS_SUCCESS)
		st = NOTMUCH_STATUS_UNBALANCED_FREEZE_THAW;
	return (st);
}

/* Gives a new message the new-mail tags, then its flags. */
static notmuch_status_t
store_index_tag_new(struct store_index *idx, notmuch_message_t *m)
{
	notmuch_status_t	 st;
	size_t			 i;

	if ((st = notmuch_message_freeze(m)) != NOTMUCH_STATUS_SUCCESS)
		return (st);
	for (i = 0; i < idx->n_new_tags && st == NOTMUCH_STATUS_SUCCESS; i++)
		st = notmuch_message_add_tag(m, idx->new_tags[i]);
	if (st == NOTMUCH_STATUS_SUCCESS && idx->synchronize_flags)
		st = notmuch_message_maildir_flags_to_tags(m);
	if (notmuch_message_thaw(m) != NOTMUCH_STATUS_SUCCESS &&
	    st == NOTMUCH_STATUS_SUCCESS)
		st = NOTMUCH_STATUS_UNBALANCED_FREEZE_THAW;
	return (st);
}

/*
 * Indexes one file: see store.h.  The whole step (index, tags, flags) is
 * one atomic group, nested in the caller's when there is one.
 */
enum store_status
store_index_add_file(struct store_index *idx, const char *path, int *is_new,
    char **cause)
{
	notmuch_message_t	*m = NULL;
	notmuch_status_t	 st, st2;
	const char		*before;

	if (is_new != NULL)
		*is_new = 0;
	if (!store_index_under_root(idx, path)) {
		xcause(cause, "cannot index '%s': not under the mail root '%s'",
		    path, idx->mail_root);
		return (STORE_EIO);
	}
	before = notmuch_database_status_string(idx->db);
	if ((st = notmuch_database_begin_atomic(idx->db)) !=
	    NOTMUCH_STATUS_SUCCESS)
		goto fail;

	st = notmuch_database_index_file(idx->db, path, idx->indexopts, &m);
	if (st == NOTMUCH_STATUS_SUCCESS) {
		st = store_index_tag_new(idx, m);
		if (is_new != NULL)
			*is_new = 1;
	} else if (st == NOTMUCH_STATUS_DUPLICATE_MESSAGE_ID) {
		st = NOTMUCH_STATUS_SUCCESS;
		if (idx->synchronize_flags)
			st = store_index_sync_flags(m);
	}
	if (m != NULL)
		notmuch_message_destroy(m);

	st2 = notmuch_database_end_atomic(idx->db);
	if (st == NOTMUCH_STATUS_SUCCESS)
		st = st2;
	if (st == NOTMUCH_STATUS_SUCCESS)
		return (STORE_OK);

fail:
	if (st == NOTMUCH_STATUS_FILE_NOT_EMAIL)
		xcause(cause, "cannot index '%s': not a mail message", path);
	else if (st == NOTMUCH_STATUS_FILE_ERROR && access(path, R_OK) == -1)
		xcause(cause, "cannot index '%s': %s", path, strerror(errno));
	else {
		store_index_cause(cause, st, store_index_fresh(idx, before),
		    "cannot index '%s'", path);
	}
	return (store_index_status(st));
}

/*
 * Changes the tags of one message, then (when synchronising flags) renames
 * its files to carry the flags the tags imply, as "notmuch tag" does.
 */
enum store_status
store_index_tag_message(struct store_index *idx, const char *id,
    char *const *add, char *const *del, char **cause)
{
	notmuch_message_t	*m = NULL;
	notmuch_status_t	 st;
	const char		*before;
	size_t			 i;

	before = notmuch_database_status_string(idx->db);
	st = notmuch_database_find_message(idx->db, id, &m);
	if (st == NOTMUCH_STATUS_SUCCESS && m == NULL) {
		xcause(cause, "no message with id '%s'", id);
		return (STORE_ENOENT);
	}
	if (st == NOTMUCH_STATUS_SUCCESS)
		st = notmuch_message_freeze(m);
	for (i = 0; del != NULL && del[i] != NULL &&
	    st == NOTMUCH_STATUS_SUCCESS; i++)
		st = notmuch_message_remove_tag(m, del[i]);
	for (i = 0; add != NULL && add[i] != NULL &&
	    st == NOTMUCH_STATUS_SUCCESS; i++)
		st = notmuch_message_add_tag(m, add[i]);
	if (m != NULL && st == NOTMUCH_STATUS_SUCCESS)
		st = notmuch_message_thaw(m);
	if (st == NOTMUCH_STATUS_SUCCESS && idx->synchronize_flags)
		st = notmuch_message_tags_to_maildir_flags(m);
	if (m != NULL)
		notmuch_message_destroy(m);
	if (st == NOTMUCH_STATUS_SUCCESS)
		return (STORE_OK);
	store_index_cause(cause, st, store_index_fresh(idx, before),
	    "cannot tag message '%s'", id);
	return (store_index_status(st));
}

/*
 * Removes one file from the index.  When the message keeps other files
 * (a Maildir rename), its tags are set again from their flags, since the
 * file that went may have carried a flag the others lack.  A file the
 * index does not know is not an error.
 */
enum store_status
store_index_remove_file(struct store_index *idx, const char *path)
{
	notmuch_message_t	*m = NULL;
	notmuch_status_t	 st, st2;
	char			*id = NULL;

	if (!store_index_under_root(idx, path))
		return (STORE_EIO);
	if ((st = notmuch_database_begin_atomic(idx->db)) !=
	    NOTMUCH_STATUS_SUCCESS)
		return (store_index_status(st));

	st = notmuch_database_find_message_by_filename(idx->db, path, &m);
	if (st != NOTMUCH_STATUS_SUCCESS || m == NULL)
		goto out;
	/*
	 * A fresh message object after the removal, by Message-ID: this one
	 * may still list the removed file.
	 */
	id = store_index_strdup(notmuch_message_get_message_id(m));
	notmuch_message_destroy(m);
	m = NULL;

	st = notmuch_database_remove_message(idx->db, path);
	if (st == NOTMUCH_STATUS_DUPLICATE_MESSAGE_ID) {
		st = NOTMUCH_STATUS_SUCCESS;
		if (idx->synchronize_flags)
			st = notmuch_database_find_message(idx->db, id, &m);
		if (st == NOTMUCH_STATUS_SUCCESS && m != NULL)
			st = store_index_sync_flags(m);
	}

out:
	if (m != NULL)
		notmuch_message_destroy(m);
	free(id);
	st2 = notmuch_database_end_atomic(idx->db);
	if (st == NOTMUCH_STATUS_SUCCESS)
		st = st2;
	return (store_index_status(st));
}

/*
 * Finds the reason notmuch has for rejecting query string qs in its
 * message msg, which reads "...parsing query: REASON\nQuery string was:
 * QS\n".  NULL when msg is about another query.
 */
static char *
store_index_query_reason(const char *msg, const char *qs)
{
	static const char	 was[] = "\nQuery string was: ";
	static const char	 parsing[] = "parsing query: ";
	const char		*p, *start;
	size_t			 len = strlen(qs);

	if (msg == NULL || (p = strstr(msg, was)) == NULL)
		return (NULL);
	if (strncmp(p + strlen(was), qs, len) != 0)
		return (NULL);
	if (p[strlen(was) + len] != '\0' && p[strlen(was) + len] != '\n')
		return (NULL);
	if ((start = strstr(msg, parsing)) != NULL && start < p)
		start += strlen(parsing);
	else
		start = msg;
	return (xstrndup(start, p - start));
}

/*
 * Turns a failed query into a status and cause.  libnotmuch parses
 * lazily, fails with a generic Xapian error, and logs only the first such
 * error of each handle; so when its message is not about this query, the
 * query is parsed again in a fresh read-only handle to learn why.  A query
 * that parses there failed for another reason (STORE_EDB).
 */
static enum store_status
store_index_query_error(struct store_index *idx, const char *qs,
    notmuch_status_t st, char **cause)
{
	notmuch_database_t	*db = NULL;
	notmuch_query_t		*q = NULL;
	notmuch_status_t	 st2;
	char			*reason, *msg = NULL;
	int			 parsed = 0;

	if (st != NOTMUCH_STATUS_XAPIAN_EXCEPTION &&
	    st != NOTMUCH_STATUS_BAD_QUERY_SYNTAX) {
		store_index_cause(cause, st, NULL, "cannot run query '%s'", qs);
		return (store_index_status(st));
	}
	reason = store_index_query_reason(
	    notmuch_database_status_string(idx->db), qs);
	if (reason == NULL && notmuch_database_open_with_config(
	    idx->open_database, NOTMUCH_DATABASE_MODE_READ_ONLY,
	    idx->open_config, NULL, &db, &msg) == NOTMUCH_STATUS_SUCCESS) {
		st2 = notmuch_query_create_with_syntax(db, qs,
		    NOTMUCH_QUERY_SYNTAX_XAPIAN, &q);
		if (st2 == NOTMUCH_STATUS_SUCCESS) {
			/* Adding an exclusion makes notmuch parse the query. */
			st2 = notmuch_query_add_tag_exclude(q, "deleted");
			if (st2 == NOTMUCH_STATUS_SUCCESS ||
			    st2 == NOTMUCH_STATUS_IGNORED)
				parsed = 1;
			else {
				reason = store_index_query_reason(
				    notmuch_database_status_string(db), qs);
			}
			notmuch_query_destroy(q);
		}
	}
	free(msg);
	if (db != NULL)
		notmuch_database_destroy(db);

	if (parsed) {
		store_index_cause(cause, st, NULL, "cannot run query '%s'", qs);
		return (STORE_EDB);
	}
	if (reason != NULL) {
		xcause(cause, "bad query '%s': %s", qs, reason);
		free(reason);
	} else
		xcause(cause, "bad query '%s'", qs);
	return (STORE_EQUERY);
}

/*
 * Makes a query with the exclude tags applied: excluded messages are left
 * out (omit) or only flagged, unless the query names the tag itself, as
 * the notmuch CLI does.
 */
static enum store_status
store_index_query_new(struct store_index *idx, const char *qs,
    enum store_sort sort, notmuch_exclude_t omit, notmuch_query_t **qp,
    char **cause)
{
	notmuch_query_t		*q = NULL;
	notmuch_status_t	 st;
	size_t			 i;

	*qp = NULL;
	st = notmuch_query_create_with_syntax(idx->db, qs,
	    NOTMUCH_QUERY_SYNTAX_XAPIAN, &q);
	if (st != NOTMUCH_STATUS_SUCCESS)
		return (store_index_query_error(idx, qs, st, cause));
	if (sort == STORE_SORT_OLDEST_FIRST)
		notmuch_query_set_sort(q, NOTMUCH_SORT_OLDEST_FIRST);
	else if (sort == STORE_SORT_NONE)
		notmuch_query_set_sort(q, NOTMUCH_SORT_UNSORTED);
	else
		notmuch_query_set_sort(q, NOTMUCH_SORT_NEWEST_FIRST);
	for (i = 0; i < idx->n_exclude_tags; i++) {
		st = notmuch_query_add_tag_exclude(q, idx->exclude_tags[i]);
		if (st != NOTMUCH_STATUS_SUCCESS &&
		    st != NOTMUCH_STATUS_IGNORED) {
			notmuch_query_destroy(q);
			return (store_index_query_error(idx, qs, st, cause));
		}
	}
	notmuch_query_set_omit_excluded(q, omit);
	*qp = q;
	return (STORE_OK);
}

/* NULL and "" both mean every message. */
static const char *
store_index_query_string(const char *qs)
{
	return ((qs == NULL || *qs == '\0') ? "*" : qs);
}

enum store_status
store_index_count_messages(struct store_index *idx, const char *qs,
    unsigned int *count, char **cause)
{
	notmuch_query_t		*q;
	notmuch_status_t	 st;
	enum store_status	 ret;

	*count = 0;
	qs = store_index_query_string(qs);
	ret = store_index_query_new(idx, qs, STORE_SORT_NEWEST_FIRST,
	    NOTMUCH_EXCLUDE_TRUE, &q, cause);
	if (ret != STORE_OK)
		return (ret);
	st = notmuch_query_count_messages(q, count);
	if (st != NOTMUCH_STATUS_SUCCESS)
		ret = store_index_query_error(idx, qs, st, cause);
	notmuch_query_destroy(q);
	return (ret);
}

enum store_status
store_index_count_threads(struct store_index *idx, const char *qs,
    unsigned int *count, char **cause)
{
	notmuch_query_t		*q;
	notmuch_status_t	 st;
	enum store_status	 ret;

	*count = 0;
	qs = store_index_query_string(qs);
	ret = store_index_query_new(idx, qs, STORE_SORT_NEWEST_FIRST,
	    NOTMUCH_EXCLUDE_TRUE, &q, cause);
	if (ret != STORE_OK)
		return (ret);
	st = notmuch_query_count_threads(q, count);
	if (st != NOTMUCH_STATUS_SUCCESS)
		ret = store_index_query_error(idx, qs, st, cause);
	notmuch_query_destroy(q);
	return (ret);
}

/*
 * Starts a lazy walk over the threads of a query.  notmuch finds the
 * matching messages now; each thread is built by store_threads_next().
 */
enum store_status
store_index_search_threads(struct store_index *idx, const char *qs,
    enum store_sort sort, struct store_threads **tsp, char **cause)
{
	struct store_threads	*ts;
	notmuch_query_t		*q;
	notmuch_threads_t	*threads = NULL;
	notmuch_status_t	 st;
	enum store_status	 ret;

	*tsp = NULL;
	qs = store_index_query_string(qs);
	ret = store_index_query_new(idx, qs, sort, NOTMUCH_EXCLUDE_TRUE, &q,
	    cause);
	if (ret != STORE_OK)
		return (ret);
	st = notmuch_query_search_threads(q, &threads);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		ret = store_index_query_error(idx, qs, st, cause);
		notmuch_query_destroy(q);
		return (ret);
	}
	ts = xcalloc(1, sizeof *ts);
	ts->query = q;
	ts->threads = threads;
	*tsp = ts;
	return (STORE_OK);
}

int
store_threads_next(struct store_threads *ts, struct store_thread *t)
{
	notmuch_thread_t	*th;

	if (ts == NULL || !notmuch_threads_valid(ts->threads))
		return (0);
	if ((th = notmuch_threads_get(ts->threads)) == NULL)
		return (0);

	memset(t, 0, sizeof *t);
	t->thread_id = store_index_strdup(notmuch_thread_get_thread_id(th));
	t->newest = notmuch_thread_get_newest_date(th);
	t->oldest = notmuch_thread_get_oldest_date(th);
	t->authors = store_index_utf8(notmuch_thread_get_authors(th));
	t->subject = store_index_utf8(notmuch_thread_get_subject(th));
	t->matched = notmuch_thread_get_matched_messages(th);
	t->total = notmuch_thread_get_total_messages(th);
	store_index_tags(notmuch_thread_get_tags(th), &t->tags, &t->n_tags);
	notmuch_thread_destroy(th);

	notmuch_threads_move_to_next(ts->threads);
	return (1);
}

void
store_threads_free(struct store_threads *ts)
{
	if (ts == NULL)
		return;
	notmuch_query_destroy(ts->query);	/* and its threads */
	free(ts);
}

void
store_thread_release(struct store_thread *t)
{
	free(t->thread_id);
	free(t->authors);
	free(t->subject);
	store_free_names(t->tags, t->n_tags);
	memset(t, 0, sizeof *t);
}

/*
 * Copies what the pager needs from a message.  Display strings are made
 * valid UTF-8; the Message-ID and file names stay byte-exact, since they
 * are used to find the message again.
 */
static void
store_index_message_fill(notmuch_message_t *m, struct store_message *sm)
{
	notmuch_filenames_t	*fn;
	size_t			 size = 0;

	memset(sm, 0, sizeof *sm);
	sm->message_id = store_index_strdup(notmuch_message_get_message_id(m));
	sm->thread_id = store_index_strdup(notmuch_message_get_thread_id(m));
	sm->filename = store_index_strdup(notmuch_message_get_filename(m));
	fn = notmuch_message_get_filenames(m);
	for (; notmuch_filenames_valid(fn); notmuch_filenames_move_to_next(fn))
		store_index_push(&sm->filenames, &sm->n_filenames, &size,
		    xstrdup(notmuch_filenames_get(fn)));
	if (fn != NULL)
		notmuch_filenames_destroy(fn);
	sm->date = notmuch_message_get_date(m);
	sm->from = store_index_utf8(notmuch_message_get_header(m, "from"));
	sm->to = store_index_utf8(notmuch_message_get_header(m, "to"));
	sm->subject = store_index_utf8(notmuch_message_get_header(m,
	    "subject"));
	store_index_tags(notmuch_message_get_tags(m), &sm->tags, &sm->n_tags);
	sm->matched = 1;
}

void
store_message_release(struct store_message *sm)
{
	free(sm->message_id);
	free(sm->thread_id);
	free(sm->filename);
	store_free_names(sm->filenames, sm->n_filenames);
	free(sm->from);
	free(sm->to);
	free(sm->subject);
	store_free_names(sm->tags, sm->n_tags);
	memset(sm, 0, sizeof *sm);
}

/* prefix:"value" in notmuch query syntax: a '"' inside is doubled. */
char *
store_query_term(const char *prefix, const char *value)
{
	struct buf	 b;

	buf_init(&b);
	buf_printf(&b, "%s:\"", prefix);
	for (; *value != '\0'; value++) {
		if (*value == '"')
			buf_addch(&b, '"');
		buf_addch(&b, *value);
	}
	buf_addch(&b, '"');
	return (buf_detach(&b, NULL));
}

/* One message by its Message-ID; STORE_ENOENT when the index has none. */
enum store_status
store_index_find_message(struct store_index *idx, const char *id,
    struct store_message *sm, char **cause)
{
	notmuch_message_t	*m = NULL;
	notmuch_status_t	 st;

	memset(sm, 0, sizeof *sm);
	st = notmuch_database_find_message(idx->db, id, &m);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		store_index_cause(cause, st, NULL, "cannot find message '%s'",
		    id);
		return (store_index_status(st));
	}
	if (m == NULL) {
		xcause(cause, "no message with id '%s'", id);
		return (STORE_ENOENT);
	}
	store_index_message_fill(m, sm);
	notmuch_message_destroy(m);
	return (STORE_OK);
}

/* Every tag in the database, sorted, for completion. */
enum store_status
store_index_all_tags(struct store_index *idx, char ***tags, size_t *n)
{
	notmuch_tags_t	*t;

	*tags = NULL;
	*n = 0;
	if ((t = notmuch_database_get_all_tags(idx->db)) == NULL)
		return (STORE_EDB);
	store_index_tags(t, tags, n);
	return (STORE_OK);
}

/* Starts a lazy walk over the messages of a query. */
enum store_status
store_index_search_messages(struct store_index *idx, const char *qs,
    enum store_sort sort, struct store_messages **msp, char **cause)
{
	struct store_messages	*ms;
	notmuch_query_t		*q;
	notmuch_messages_t	*messages = NULL;
	notmuch_status_t	 st;
	enum store_status	 ret;

	*msp = NULL;
	qs = store_index_query_string(qs);
	ret = store_index_query_new(idx, qs, sort, NOTMUCH_EXCLUDE_TRUE, &q,
	    cause);
	if (ret != STORE_OK)
		return (ret);
	st = notmuch_query_search_messages(q, &messages);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		ret = store_index_query_error(idx, qs, st, cause);
		notmuch_query_destroy(q);
		return (ret);
	}
	ms = xcalloc(1, sizeof *ms);
	ms->query = q;
	ms->messages = messages;
	*msp = ms;
	return (STORE_OK);
}

int
store_messages_next(struct store_messages *ms, struct store_message *sm)
{
	notmuch_message_t	*m;

	if (ms == NULL || !notmuch_messages_valid(ms->messages))
		return (0);
	if ((m = notmuch_messages_get(ms->messages)) == NULL)
		return (0);
	store_index_message_fill(m, sm);
	notmuch_message_destroy(m);
	notmuch_messages_move_to_next(ms->messages);
	return (1);
}

void
store_messages_free(struct store_messages *ms)
{
	if (ms == NULL)
		return;
	notmuch_query_destroy(ms->query);	/* and its messages */
	free(ms);
}

/* Siblings by date, then Message-ID so equal dates keep one order. */
static int
store_index_cmp_visit(const void *a, const void *b)
{
	const struct store_index_visit	*va = a, *vb = b;
	time_t				 da, db;
	const char			*ia, *ib;

	da = notmuch_message_get_date(va->message);
	db = notmuch_message_get_date(vb->message);
	if (da != db)
		return (da < db ? -1 : 1);
	ia = notmuch_message_get_message_id(va->message);
	ib = notmuch_message_get_message_id(vb->message);
	return (strcmp(ia == NULL ? "" : ia, ib == NULL ? "" : ib));
}

/*
 * Pushes a list of sibling messages on the walk's stack, in reverse date
 * order so the oldest is visited first.  The list is destroyed; its
 * messages belong to the thread.
 */
static void
store_index_push_siblings(notmuch_messages_t *list, unsigned int depth,
    struct store_index_visit **stack, size_t *n, size_t *size)
{
	struct store_index_visit	*level = NULL;
	size_t				 n_level = 0, size_level = 0, i;

	if (list == NULL)
		return;
	for (; notmuch_messages_valid(list);
	    notmuch_messages_move_to_next(list)) {
		if (n_level == size_level) {
			size_level = size_level == 0 ? 8 : size_level * 2;
			level = xreallocarray(level, size_level, sizeof *level);
		}
		level[n_level].message = notmuch_messages_get(list);
		level[n_level].depth = depth;
		n_level++;
	}
	notmuch_messages_destroy(list);
	if (n_level > 1)
		qsort(level, n_level, sizeof *level, store_index_cmp_visit);

	if (*n + n_level > *size) {
		*size = *n + n_level + 16;
		*stack = xreallocarray(*stack, *size, sizeof **stack);
	}
	for (i = n_level; i > 0; i--)
		(*stack)[(*n)++] = level[i - 1];
	free(level);
}

/*
 * Lists the messages of a thread in reading order: depth-first through
 * the reply tree, with an explicit stack so a long chain of replies cannot
 * exhaust ours.  With use_flags, matched comes from notmuch's flags (a
 * match that is not excluded); otherwise every message gets all_matched.
 */
static void
store_index_thread_walk(notmuch_thread_t *th, int use_flags, int all_matched,
    struct store_message **v, size_t *n)
{
	struct store_index_visit	*stack = NULL, cur;
	size_t				 n_stack = 0, size_stack = 0;
	size_t				 size = 0;
	notmuch_bool_t			 match, excluded;
	struct store_message		*sm;

	store_index_push_siblings(notmuch_thread_get_toplevel_messages(th), 0,
	    &stack, &n_stack, &size_stack);
	while (n_stack > 0) {
		cur = stack[--n_stack];
		if (*n == size) {
			size = size == 0 ? 16 : size * 2;
			*v = xreallocarray(*v, size, sizeof **v);
		}
		sm = &(*v)[(*n)++];
		store_index_message_fill(cur.message, sm);
		sm->depth = cur.depth;
		sm->matched = all_matched;
		if (use_flags) {
			match = excluded = FALSE;
			(void)notmuch_message_get_flag_st(cur.message,
			    NOTMUCH_MESSAGE_FLAG_MATCH, &match);
			(void)notmuch_message_get_flag_st(cur.message,
			    NOTMUCH_MESSAGE_FLAG_EXCLUDED, &excluded);
			sm->matched = (match && !excluded);
		}
		store_index_push_siblings(notmuch_message_get_replies(
		    cur.message), cur.depth + 1, &stack, &n_stack, &size_stack);
	}
	free(stack);
}

/*
 * Runs qs and walks the first thread it finds.  *found says whether there
 * was one.
 */
static enum store_status
store_index_thread_run(struct store_index *idx, const char *qs,
    notmuch_exclude_t omit, int use_flags, int all_matched,
    struct store_message **v, size_t *n, int *found, char **cause)
{
	notmuch_query_t		*q;
	notmuch_threads_t	*threads = NULL;
	notmuch_thread_t	*th;
	notmuch_status_t	 st;
	enum store_status	 ret;

	*found = 0;
	ret = store_index_query_new(idx, qs, STORE_SORT_OLDEST_FIRST, omit, &q,
	    cause);
	if (ret != STORE_OK)
		return (ret);
	st = notmuch_query_search_threads(q, &threads);
	if (st != NOTMUCH_STATUS_SUCCESS)
		ret = store_index_query_error(idx, qs, st, cause);
	else if (notmuch_threads_valid(threads) &&
	    (th = notmuch_threads_get(threads)) != NULL) {
		store_index_thread_walk(th, use_flags, all_matched, v, n);
		notmuch_thread_destroy(th);
		*found = 1;
	}
	notmuch_query_destroy(q);
	return (ret);
}

/*
 * The messages of one thread; see store.h.  Asking notmuch for "thread:ID
 * and (QUERY)" gives the whole thread with the matches flagged; when no
 * message of the thread matches, the thread is read again without the
 * query.  A thread that no longer exists gives no messages.
 */
enum store_status
store_index_thread_messages(struct store_index *idx, const char *thread_id,
    const char *qs, struct store_message **v, size_t *n, char **cause)
{
	enum store_status	 ret = STORE_OK;
	const char		*p;
	char			*full;
	int			 found = 0;

	*v = NULL;
	*n = 0;
	for (p = thread_id; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p))
			break;
	}
	if (*thread_id == '\0' || *p != '\0') {
		xcause(cause, "bad thread id '%s'", thread_id);
		return (STORE_EQUERY);
	}

	if (qs != NULL && *qs != '\0') {
		xasprintf(&full, "thread:%s and (%s)", thread_id, qs);
		ret = store_index_thread_run(idx, full, NOTMUCH_EXCLUDE_FLAG, 1,
		    0, v, n, &found, cause);
		free(full);
	}
	if (ret == STORE_OK && !found) {
		xasprintf(&full, "thread:%s", thread_id);
		ret = store_index_thread_run(idx, full, NOTMUCH_EXCLUDE_FALSE,
		    0, qs == NULL || *qs == '\0', v, n, &found, cause);
		free(full);
	}
	if (ret != STORE_OK) {
		store_message_array_free(*v, *n);
		*v = NULL;
		*n = 0;
	}
	return (ret);
}

void
store_message_array_free(struct store_message *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		store_message_release(&v[i]);
	free(v);
}

/* The address book's view of the index --------------------------------- */

struct store_envelopes {
	struct store_messages	*ms;
	notmuch_message_t	*current;	/* the last one handed out */
	char			*from;
};

/* The revision counter and the UUID it belongs to, for caches. */
unsigned long
store_index_revision(struct store_index *idx, char **uuid)
{
	const char	*u = NULL;
	unsigned long	 rev;

	rev = notmuch_database_get_revision(idx->db, &u);
	if (uuid != NULL)
		*uuid = store_index_strdup(u);
	return (rev);
}

/* A walk in the index's own order (the cheapest), reading only what the
 * database holds for each message. */
enum store_status
store_index_search_envelopes(struct store_index *idx, const char *qs,
    struct store_envelopes **esp, char **cause)
{
	struct store_messages	*ms;
	enum store_status	 ret;

	*esp = NULL;
	ret = store_index_search_messages(idx, qs, STORE_SORT_NONE, &ms,
	    cause);
	if (ret != STORE_OK)
		return (ret);
	*esp = xcalloc(1, sizeof **esp);
	(*esp)->ms = ms;
	return (STORE_OK);
}

static void
store_envelopes_drop(struct store_envelopes *es)
{
	if (es->current != NULL)
		notmuch_message_destroy(es->current);
	es->current = NULL;
	free(es->from);
	es->from = NULL;
}

int
store_envelopes_next(struct store_envelopes *es, struct store_envelope *e)
{
	notmuch_message_t	*m;
	const char		*id;

	if (es == NULL)
		return (0);
	store_envelopes_drop(es);
	if (!notmuch_messages_valid(es->ms->messages))
		return (0);
	if ((m = notmuch_messages_get(es->ms->messages)) == NULL)
		return (0);
	notmuch_messages_move_to_next(es->ms->messages);
	es->current = m;
	es->from = store_index_utf8(notmuch_message_get_header(m, "from"));
	/* The value slot: notmuch_message_get_message_id() would read the
	 * document's whole term list, ten times the cost of the walk. */
	id = notmuch_message_get_header(m, "message-id");
	e->message_id = id != NULL ? id : "";
	e->from = es->from;
	e->date = notmuch_message_get_date(m);
	return (1);
}

const char *
store_envelopes_filename(struct store_envelopes *es)
{
	if (es == NULL || es->current == NULL)
		return (NULL);
	return (notmuch_message_get_filename(es->current));
}

void
store_envelopes_free(struct store_envelopes *es)
{
	if (es == NULL)
		return;
	store_envelopes_drop(es);
	store_messages_free(es->ms);
	free(es);
}
