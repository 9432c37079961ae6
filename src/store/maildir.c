/*
 * store/maildir.c: Maildir files written so that a crash leaves every
 * message whole in place or absent, and no file is ever replaced by
 * another.  A delivery goes to tmp/ (O_EXCL), is fsynced, renamed into
 * cur/ or new/ and the directory is fsynced; flag changes and moves are
 * renames followed by an fsync of each directory they touch.
 *
 * Names are "<time>.M<usec>P<pid>Q<n>R<random>.<host>,U=<uid>:2,<flags>",
 * the form mbsync writes, so other tools and notmuch read them.  A name
 * that is taken (which the random part makes all but impossible) is
 * replaced by a fresh one rather than renamed over.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/time.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "store/store.h"
#include "private.h"

/* How many fresh names to try before giving up on a taken one. */
#define MAILDIR_TRIES		16
/* Files in tmp/ older than this were left by a crash. */
#define MAILDIR_TMP_AGE		(24 * 60 * 60)

/* The standard letters, already in ASCII order. */
static const struct {
	int	 flag;
	char	 letter;
} maildir_letters[] = {
	{ MAILDIR_DRAFT, 'D' },
	{ MAILDIR_FLAGGED, 'F' },
	{ MAILDIR_PASSED, 'P' },
	{ MAILDIR_REPLIED, 'R' },
	{ MAILDIR_SEEN, 'S' },
	{ MAILDIR_TRASHED, 'T' },
};
#define MAILDIR_NLETTERS (sizeof maildir_letters / sizeof maildir_letters[0])

/* What to do with the ",U=" part when a name is rebuilt. */
enum maildir_uid_mode {
	MAILDIR_UID_KEEP,
	MAILDIR_UID_SET,
	MAILDIR_UID_DROP,
};

/* Names made in one process at the same microsecond differ by this. */
static atomic_ulong	 maildir_counter;

size_t
maildir_flags_letters(int flags, char *out)
{
	size_t	 i, n = 0;

	for (i = 0; i < MAILDIR_NLETTERS; i++) {
		if (flags & maildir_letters[i].flag)
			out[n++] = maildir_letters[i].letter;
	}
	out[n] = '\0';
	return (n);
}

int
maildir_letter_flag(int ch)
{
	size_t	 i;

	for (i = 0; i < MAILDIR_NLETTERS; i++) {
		if (maildir_letters[i].letter == ch)
			return (maildir_letters[i].flag);
	}
	return (0);
}

/* The last component of a path: callers may pass a name or a path. */
static const char *
maildir_basename(const char *path)
{
	const char	*slash;

	if ((slash = strrchr(path, '/')) == NULL)
		return (path);
	return (slash + 1);
}

/* The length of a name's base: all before the first ":2,". */
static size_t
maildir_base_len(const char *name)
{
	const char	*info;

	if ((info = strstr(name, ":2,")) == NULL)
		return (strlen(name));
	return ((size_t)(info - name));
}

/*
 * Finds the ",U=" part of a base: *start at its comma, *end at the comma
 * that follows it or the end of the base.  0 when there is none.
 */
static int
maildir_uid_span(const char *name, size_t baselen, size_t *start,
    size_t *end)
{
	const char	*p, *stop = name + baselen;

	for (p = name; p + 3 <= stop; p++) {
		if (memcmp(p, ",U=", 3) != 0)
			continue;
		*start = (size_t)(p - name);
		for (p += 3; p < stop && *p != ','; p++)
			/* nothing */;
		*end = (size_t)(p - name);
		return (1);
	}
	return (0);
}

uint32_t
maildir_name_uid(const char *path)
{
	const char	*name = maildir_basename(path);
	size_t		 start, end, i;
	uint64_t	 uid = 0;

	if (!maildir_uid_span(name, maildir_base_len(name), &start, &end))
		return (0);
	if (end == start + 3)
		return (0);
	for (i = start + 3; i < end; i++) {
		if (!isdigit((unsigned char)name[i]))
			return (0);
		uid = uid * 10 + (uint64_t)(name[i] - '0');
		if (uid > UINT32_MAX)
			return (0);
	}
	return ((uint32_t)uid);
}

int
maildir_name_flags(const char *path)
{
	const char	*name = maildir_basename(path), *p;
	int		 flags = 0;

	if ((p = strstr(name, ":2,")) == NULL)
		return (0);
	for (p += 3; *p != '\0'; p++)
		flags |= maildir_letter_flag((unsigned char)*p);
	return (flags);
}

/*
 * Appends ":2," and the letters of a new name: flags (-1: none added) and
 * the letters of the old info (oldinfo after ":2,", may be NULL), all of
 * them when keep_known is set, else only those that are not ours, such
 * as the lowercase keyword letters of other tools.  One of each, in ASCII
 * order.
 */
static void
maildir_add_info(struct buf *b, const char *oldinfo, int flags,
    int keep_known)
{
	unsigned char	 seen[256];
	const char	*p;
	size_t		 i;

	memset(seen, 0, sizeof seen);
	for (p = oldinfo; p != NULL && *p != '\0'; p++) {
		if (keep_known || maildir_letter_flag((unsigned char)*p) == 0)
			seen[(unsigned char)*p] = 1;
	}
	for (i = 0; flags != -1 && i < MAILDIR_NLETTERS; i++) {
		if (flags & maildir_letters[i].flag)
			seen[(unsigned char)maildir_letters[i].letter] = 1;
	}
	buf_addstr(b, ":2,");
	for (i = 1; i < sizeof seen; i++) {
		if (seen[i])
			buf_addch(b, (int)i);
	}
}

/*
 * Appends a fresh unique base, "<time>.M<usec>P<pid>Q<n>R<hex>.<host>":
 * the counter keeps threads apart, the pid processes, the random part
 * hosts with a reused pid or a clock that went back.  The host name
 * loses anything that is not a letter, digit, '-' or '.', so it holds no
 * '/', ':' or ','.
 */
static void
maildir_unique(struct buf *b)
{
	struct timeval	 tv;
	unsigned char	 rnd[8];
	char		 host[256];
	size_t		 i;

	(void)gettimeofday(&tv, NULL);
	if (getentropy(rnd, sizeof rnd) == -1)
		memset(rnd, 0, sizeof rnd);
	if (gethostname(host, sizeof host) == -1 || host[0] == '\0')
		(void)strlcpy(host, "localhost", sizeof host);
	host[sizeof host - 1] = '\0';
	for (i = 0; host[i] != '\0'; i++) {
		if (!isalnum((unsigned char)host[i]) && host[i] != '-' &&
		    host[i] != '.')
			host[i] = '_';
	}
	buf_printf(b, "%lld.M%ldP%ldQ%luR", (long long)tv.tv_sec,
	    (long)tv.tv_usec, (long)getpid(),
	    (unsigned long)atomic_fetch_add(&maildir_counter, 1) + 1);
	for (i = 0; i < sizeof rnd; i++)
		buf_printf(b, "%02x", rnd[i]);
	buf_printf(b, ".%s", host);
}

/*
 * Appends the base of name to b with its ",U=" part kept, set to uid or
 * dropped.  With fresh set, the base is a new unique one instead, and
 * the UID the old name carried (under MAILDIR_UID_KEEP) goes with it.
 */
static void
maildir_add_base(struct buf *b, const char *name, int fresh,
    enum maildir_uid_mode mode, uint32_t uid)
{
	size_t	 baselen = maildir_base_len(name), start, end;
	int	 found;

	found = maildir_uid_span(name, baselen, &start, &end);
	if (mode == MAILDIR_UID_KEEP)
		uid = maildir_name_uid(name);
	if (fresh) {
		maildir_unique(b);
		if (mode != MAILDIR_UID_DROP && uid != 0)
			buf_printf(b, ",U=%lu", (unsigned long)uid);
		return;
	}
	if (!found || mode == MAILDIR_UID_KEEP) {
		buf_add(b, name, baselen);
		if (!found && mode == MAILDIR_UID_SET)
			buf_printf(b, ",U=%lu", (unsigned long)uid);
		return;
	}
	buf_add(b, name, start);
	if (mode == MAILDIR_UID_SET)
		buf_printf(b, ",U=%lu", (unsigned long)uid);
	buf_add(b, name + end, baselen - end);
}

/*
 * Splits the path of a message file into its Maildir (for the caller to
 * free), whether it is in new/, and its name (borrowed from path).
 */
static int
maildir_split(const char *path, char **folder, int *in_new,
    const char **name, char **cause)
{
	const char	*slash;
	size_t		 len;

	if ((slash = strrchr(path, '/')) == NULL ||
	    (len = (size_t)(slash - path)) < 4 || slash[1] == '\0' ||
	    (memcmp(slash - 4, "/cur", 4) != 0 &&
	    memcmp(slash - 4, "/new", 4) != 0)) {
		xcause(cause, "'%s' is not in a Maildir's cur/ or new/", path);
		return (-1);
	}
	*name = slash + 1;
	*in_new = (memcmp(slash - 4, "/new", 4) == 0);
	*folder = xstrndup(path, len - 4);
	return (0);
}

/*
 * Is path free to be renamed to?  1 when free, 0 when taken, -1 (with
 * *cause) when we cannot tell.  The check and the rename are not atomic,
 * which is why names are unique in the first place; this catches a clock
 * gone back with a reused pid, never overwrites on purpose.
 */
static int
maildir_free_name(const char *path, char **cause)
{
	struct stat	 st;

	if (lstat(path, &st) == 0)
		return (0);
	if (errno == ENOENT)
		return (1);
	xcause(cause, "cannot stat '%s': %s", path, strerror(errno));
	return (-1);
}

enum store_status
maildir_create(const char *dir, char **cause)
{
	static const char *const subs[] = { "cur", "new", "tmp" };
	char			*p, *parent;
	size_t			 i;
	int			 rc;

	if (path_mkdirs(dir, 0700, cause) == -1)
		return (STORE_EIO);
	for (i = 0; i < sizeof subs / sizeof subs[0]; i++) {
		p = path_join(dir, subs[i]);
		rc = path_mkdirs(p, 0700, cause);
		free(p);
		if (rc == -1)
			return (STORE_EIO);
	}
	/* The first delivery fsyncs cur/ or new/, not the folder above. */
	parent = path_dirname(dir);
	rc = path_fsync_dir(dir, cause);
	if (rc == 0)
		rc = path_fsync_dir(parent, cause);
	free(parent);
	return (rc == 0 ? STORE_OK : STORE_EIO);
}

enum store_status
maildir_deliver(const char *dir, const void *data, size_t len, int flags,
    uint32_t uid, char **path, char **cause)
{
	struct buf		 base, dest;
	char			*tmp = NULL, *sub = NULL, *c = NULL;
	enum store_status	 st = STORE_EIO;
	int			 try, rc;

	buf_init(&base);
	buf_init(&dest);
	for (try = 0;; try++) {
		buf_clear(&base);
		maildir_unique(&base);
		if (uid != 0)
			buf_printf(&base, ",U=%lu", (unsigned long)uid);
		free(tmp);
		xasprintf(&tmp, "%s/tmp/%s", dir, base.data);
		if (path_write_file(tmp, data, len, 0600, 1, &c) == 0)
			break;
		if (errno != EEXIST || try == MAILDIR_TRIES) {
			free(tmp);
			tmp = NULL;
			if (cause != NULL) {
				*cause = c;
				c = NULL;
			}
			goto out;
		}
		free(c);
		c = NULL;
	}

	sub = xstrdup(flags == -1 ? "new" : "cur");
	for (try = 0;; try++) {
		buf_clear(&dest);
		buf_printf(&dest, "%s/%s/", dir, sub);
		if (try != 0)
			maildir_add_base(&dest, base.data, 1,
			    MAILDIR_UID_KEEP, 0);
		else
			buf_add(&dest, base.data, base.len);
		if (flags != -1)
			maildir_add_info(&dest, NULL, flags, 0);
		if ((rc = maildir_free_name(dest.data, cause)) == -1)
			goto out;
		if (rc == 1)
			break;
		if (try == MAILDIR_TRIES) {
			xcause(cause, "cannot deliver to '%s': no free name",
			    dir);
			goto out;
		}
	}
	if (rename(tmp, dest.data) == -1) {
		xcause(cause, "cannot rename '%s' to '%s': %s", tmp, dest.data,
		    strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
	free(c);
	xasprintf(&c, "%s/%s", dir, sub);
	if (path_fsync_dir(c, cause) == -1)
		goto out;
	if (path != NULL)
		*path = buf_detach(&dest, NULL);
	st = STORE_OK;

out:
	/* A file still in tmp/ was not delivered: nobody wants it. */
	if (tmp != NULL)
		(void)unlink(tmp);
	free(tmp);
	free(sub);
	free(c);
	buf_release(&dest);
	buf_release(&base);
	return (st);
}

/*
 * Renames the message at path to a name built from its own, in the cur/
 * of dest_dir (NULL: its own Maildir), with a fresh base when that name
 * is taken.  Then the destination directory is fsynced and the source
 * directory when it differs, in that order, so a crash between the two
 * can leave the file under both names but never under neither.
 */
static enum store_status
maildir_rename(const char *path, const char *dest_dir,
    enum maildir_uid_mode mode, uint32_t uid, int flags, int keep_known,
    char **newpath, char **cause)
{
	struct buf		 dest;
	struct stat		 st;
	const char		*name, *info;
	char			*folder, *src_sub, *dest_sub = NULL;
	enum store_status	 status = STORE_EIO;
	int			 in_new, try, rc;

	if (maildir_split(path, &folder, &in_new, &name, cause) == -1)
		return (STORE_EIO);
	xasprintf(&src_sub, "%s/%s", folder, in_new ? "new" : "cur");
	if (dest_dir == NULL)
		dest_dir = folder;
	info = strstr(name, ":2,");
	buf_init(&dest);
	for (try = 0;; try++) {
		buf_clear(&dest);
		buf_printf(&dest, "%s/cur/", dest_dir);
		maildir_add_base(&dest, name, try != 0, mode, uid);
		maildir_add_info(&dest, info == NULL ? NULL : info + 3, flags,
		    keep_known);
		if (strcmp(dest.data, path) == 0) {
			/* Already so named: nothing to do. */
			status = STORE_OK;
			goto done;
		}
		if ((rc = maildir_free_name(dest.data, cause)) == -1)
			goto out;
		if (rc == 1)
			break;
		if (try == MAILDIR_TRIES) {
			xcause(cause, "cannot rename '%s': no free name in "
			    "'%s/cur'", path, dest_dir);
			goto out;
		}
	}
	if (rename(path, dest.data) == -1) {
		if (errno == ENOENT && lstat(path, &st) == -1 &&
		    errno == ENOENT) {
			xcause(cause, "cannot rename '%s': it is gone", path);
			status = STORE_ENOENT;
		} else
			xcause(cause, "cannot rename '%s' to '%s': %s", path,
			    dest.data, strerror(errno));
		goto out;
	}
	xasprintf(&dest_sub, "%s/cur", dest_dir);
	if (path_fsync_dir(dest_sub, cause) == -1)
		goto out;
	if (strcmp(src_sub, dest_sub) != 0 &&
	    path_fsync_dir(src_sub, cause) == -1)
		goto out;
	status = STORE_OK;
done:
	if (newpath != NULL)
		*newpath = xstrdup(dest.data);
out:
	buf_release(&dest);
	free(dest_sub);
	free(src_sub);
	free(folder);
	return (status);
}

enum store_status
maildir_set_flags(const char *path, int flags, uint32_t uid,
    char **newpath, char **cause)
{
	return (maildir_rename(path, NULL, uid == 0 ? MAILDIR_UID_KEEP :
	    MAILDIR_UID_SET, uid, flags, 0, newpath, cause));
}

/* The flags travel unchanged; the UID belonged to the old folder. */
enum store_status
maildir_move(const char *path, const char *dest_dir, uint32_t uid,
    char **newpath, char **cause)
{
	return (maildir_rename(path, dest_dir, uid == 0 ? MAILDIR_UID_DROP :
	    MAILDIR_UID_SET, uid, -1, 1, newpath, cause));
}

/* Is this directory entry a message file?  Dot files never are. */
static int
maildir_is_file(const char *dir, const struct dirent *de)
{
	struct stat	 st;
	char		*p;
	int		 rc;

	if (de->d_name[0] == '.')
		return (0);
	if (de->d_type == DT_REG)
		return (1);
	if (de->d_type != DT_UNKNOWN && de->d_type != DT_LNK)
		return (0);
	p = path_join(dir, de->d_name);
	rc = (stat(p, &st) == 0 && S_ISREG(st.st_mode));
	free(p);
	return (rc);
}

int
maildir_walk(const char *dir, int (*fn)(const char *, void *), void *arg,
    char **cause)
{
	static const char *const subs[] = { "cur", "new" };
	struct dirent		*de;
	struct buf		 name;
	DIR			*d;
	char			*p;
	size_t			 i;
	int			 rc = 0;

	buf_init(&name);
	for (i = 0; rc == 0 && i < sizeof subs / sizeof subs[0]; i++) {
		p = path_join(dir, subs[i]);
		if ((d = opendir(p)) == NULL) {
			xcause(cause, "cannot open '%s': %s", p,
			    strerror(errno));
			free(p);
			rc = -1;
			break;
		}
		for (;;) {
			errno = 0;
			if ((de = readdir(d)) == NULL) {
				if (errno != 0) {
					xcause(cause, "cannot read '%s': %s",
					    p, strerror(errno));
					rc = -1;
				}
				break;
			}
			if (!maildir_is_file(p, de))
				continue;
			buf_clear(&name);
			buf_printf(&name, "%s/%s", subs[i], de->d_name);
			if ((rc = fn(name.data, arg)) != 0)
				break;
		}
		closedir(d);
		free(p);
	}
	buf_release(&name);
	return (rc);
}

#define MAILDIR_LIST_DEPTH	8

static int
maildir_cmp_name(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* Adds the Maildirs at and below root/rel to the list. */
static void
maildir_list_dir(const char *root, const char *rel, int depth, char ***v,
    size_t *n)
{
	struct dirent	*de;
	struct stat	 sb;
	DIR		*d;
	char		*dir, *cur, *sub, *next;

	dir = *rel == '\0' ? xstrdup(root) : path_join(root, rel);
	cur = path_join(dir, "cur");
	if (stat(cur, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		(*v)[(*n)++] = xstrdup(rel);
	}
	free(cur);
	if (depth < MAILDIR_LIST_DEPTH && (d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.' ||
			    strcmp(de->d_name, "cur") == 0 ||
			    strcmp(de->d_name, "new") == 0 ||
			    strcmp(de->d_name, "tmp") == 0)
				continue;
			sub = path_join(dir, de->d_name);
			if (stat(sub, &sb) == 0 && S_ISDIR(sb.st_mode)) {
				next = *rel == '\0' ? xstrdup(de->d_name) :
				    path_join(rel, de->d_name);
				maildir_list_dir(root, next, depth + 1, v, n);
				free(next);
			}
			free(sub);
		}
		closedir(d);
	}
	free(dir);
}

/*
 * The Maildirs under root, as paths relative to it ("" for root itself),
 * sorted: what notmuch's folder: search term takes.  Hidden directories
 * (.notmuch) are skipped.  Free with store_free_names().
 */
void
maildir_list(const char *root, char ***names, size_t *n)
{
	*names = NULL;
	*n = 0;
	maildir_list_dir(root, "", 0, names, n);
	if (*n > 1)
		qsort(*names, *n, sizeof **names, maildir_cmp_name);
}

/*
 * A file in tmp/ is either a delivery in progress (seconds old) or one a
 * crash interrupted, which was never in cur/ or new/ and so never seen.
 */
void
maildir_clean_tmp(const char *dir)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		*tmp, *p;
	time_t		 now = time(NULL);

	tmp = path_join(dir, "tmp");
	if ((d = opendir(tmp)) == NULL) {
		log_warn("maildir: cannot open '%s'", tmp);
		free(tmp);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		p = path_join(tmp, de->d_name);
		if (lstat(p, &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_mtime < now - MAILDIR_TMP_AGE) {
			if (unlink(p) == -1)
				log_warn("maildir: cannot remove '%s'", p);
			else
				log_debug("maildir: removed '%s'", p);
		}
		free(p);
	}
	closedir(d);
	free(tmp);
}
