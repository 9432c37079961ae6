/*
 * store/syncstate.c: a folder's sync state on disk, as text a person can
 * read when something goes wrong:
 *
 *	satchel-syncstate 1
 *	uidvalidity 1700000000
 *	uidnext 43
 *	highestmodseq 9001
 *	17 FS
 *	42 -
 *
 * one "UID FLAGS" line per message, UIDs increasing, flags as Maildir
 * letters or "-".  The file is replaced atomically, so a malformed one
 * was damaged by something else: it is refused with the line at fault
 * rather than guessed at, since a wrong state would push wrong flags to
 * the server.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "store/store.h"
#include "private.h"

#define SYNCSTATE_MAGIC		"satchel-syncstate"
#define SYNCSTATE_VERSION	1
/* About 16 million messages; checked before the file is read. */
#define SYNCSTATE_MAX_SIZE	(256 * 1024 * 1024)
#define SYNCSTATE_MAX_LINE	256
/* The header lines after the first, in this order. */
#define SYNCSTATE_FIELDS	3

/* What the line reader carries from one line to the next. */
struct syncstate_ctx {
	struct syncstate	*ss;
	const char		*file;
	char			**cause;
	int			 lines;
};

#define SYNCSTATE_FLAG_MASK \
	(MAILDIR_DRAFT|MAILDIR_FLAGGED|MAILDIR_PASSED|MAILDIR_REPLIED| \
	MAILDIR_SEEN|MAILDIR_TRASHED)

void
syncstate_init(struct syncstate *ss)
{
	memset(ss, 0, sizeof *ss);
}

void
syncstate_release(struct syncstate *ss)
{
	free(ss->v);
	syncstate_init(ss);
}

void
syncstate_clear_entries(struct syncstate *ss)
{
	ss->n = 0;
}

/*
 * The index of uid, or where it would go; *found says which.  Binary
 * search, as the entries are kept sorted.
 */
static size_t
syncstate_search(const struct syncstate *ss, uint32_t uid, int *found)
{
	size_t	 lo = 0, hi = ss->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ss->v[mid].uid < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = (lo < ss->n && ss->v[lo].uid == uid);
	return (lo);
}

struct syncstate_entry *
syncstate_find(struct syncstate *ss, uint32_t uid)
{
	size_t	 i;
	int	 found;

	i = syncstate_search(ss, uid, &found);
	return (found ? &ss->v[i] : NULL);
}

/*
 * UIDs mostly arrive in increasing order (a first sync, a load), so a
 * UID above the last is appended without a search.  UID 0 is no UID and
 * is ignored: a state holding it could not be loaded again.
 */
void
syncstate_set(struct syncstate *ss, uint32_t uid, int flags)
{
	size_t	 i;
	int	 found = 0;

	if (uid == 0)
		return;
	flags &= SYNCSTATE_FLAG_MASK;
	if (ss->n == 0 || ss->v[ss->n - 1].uid < uid)
		i = ss->n;
	else {
		i = syncstate_search(ss, uid, &found);
		if (found) {
			ss->v[i].flags = flags;
			return;
		}
	}
	if (ss->n == ss->size) {
		ss->size = ss->size == 0 ? 64 : ss->size * 2;
		ss->v = xreallocarray(ss->v, ss->size, sizeof *ss->v);
	}
	memmove(&ss->v[i + 1], &ss->v[i], (ss->n - i) * sizeof *ss->v);
	ss->v[i].uid = uid;
	ss->v[i].flags = flags;
	ss->n++;
}

void
syncstate_remove(struct syncstate *ss, uint32_t uid)
{
	size_t	 i;
	int	 found;

	i = syncstate_search(ss, uid, &found);
	if (!found)
		return;
	memmove(&ss->v[i], &ss->v[i + 1], (ss->n - i - 1) * sizeof *ss->v);
	ss->n--;
}

/* A decimal number of digits only (no sign, no spaces) up to max. */
static int
syncstate_number(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t	 v = 0;

	if (*s == '\0')
		return (-1);
	for (; *s != '\0'; s++) {
		if (!isdigit((unsigned char)*s))
			return (-1);
		if (v > (max - (uint64_t)(*s - '0')) / 10)
			return (-1);
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return (0);
}

/* "-" or Maildir letters, each once. */
static int
syncstate_flags(const char *s, int *out)
{
	int	 f, flags = 0;

	if (strcmp(s, "-") == 0) {
		*out = 0;
		return (0);
	}
	if (*s == '\0')
		return (-1);
	for (; *s != '\0'; s++) {
		f = maildir_letter_flag((unsigned char)*s);
		if (f == 0 || (flags & f))
			return (-1);
		flags |= f;
	}
	*out = flags;
	return (0);
}

static int
syncstate_header(struct syncstate_ctx *ctx, const char *line, int lineno)
{
	static const char *const keys[SYNCSTATE_FIELDS] = {
		"uidvalidity", "uidnext", "highestmodseq"
	};
	const char	*key = keys[lineno - 2];
	size_t		 len = strlen(key);
	uint64_t	 v, max = UINT32_MAX;

	if (strncmp(line, key, len) != 0 || line[len] != ' ')
		return (config_error_at(ctx->cause, ctx->file, lineno,
		    "expected '%s NUMBER'", key));
	if (lineno == 4)
		max = UINT64_MAX;
	if (syncstate_number(line + len + 1, max, &v) != 0)
		return (config_error_at(ctx->cause, ctx->file, lineno,
		    "expected '%s NUMBER' with a number from 0 to %llu", key,
		    (unsigned long long)max));
	if (lineno == 2)
		ctx->ss->uidvalidity = (uint32_t)v;
	else if (lineno == 3)
		ctx->ss->uidnext = (uint32_t)v;
	else
		ctx->ss->highestmodseq = v;
	return (0);
}

static int
syncstate_line(char *line, int lineno, void *arg)
{
	struct syncstate_ctx	*ctx = arg;
	struct syncstate	*ss = ctx->ss;
	char			*sp, magic[64];
	uint64_t		 uid;
	int			 flags;

	ctx->lines = lineno;
	if (lineno == 1) {
		(void)snprintf(magic, sizeof magic, "%s %d", SYNCSTATE_MAGIC,
		    SYNCSTATE_VERSION);
		if (strcmp(line, magic) == 0)
			return (0);
		if (strncmp(line, SYNCSTATE_MAGIC " ",
		    sizeof SYNCSTATE_MAGIC) == 0)
			return (config_error_at(ctx->cause, ctx->file, lineno,
			    "expected version %d, not '%s' (written by a "
			    "newer satchel?)", SYNCSTATE_VERSION,
			    line + sizeof SYNCSTATE_MAGIC));
		return (config_error_at(ctx->cause, ctx->file, lineno,
		    "expected '%s'", magic));
	}
	if (lineno <= 1 + SYNCSTATE_FIELDS)
		return (syncstate_header(ctx, line, lineno));

	if ((sp = strchr(line, ' ')) == NULL)
		return (config_error_at(ctx->cause, ctx->file, lineno,
		    "expected 'UID FLAGS'"));
	*sp = '\0';
	if (syncstate_number(line, UINT32_MAX, &uid) != 0 || uid == 0)
		return (config_error_at(ctx->cause, ctx->file, lineno,
		    "expected a UID from 1 to %lu, not '%s'",
		    (unsigned long)UINT32_MAX, line));
	if (syncstate_flags(sp + 1, &flags) != 0)
		return (config_error_at(ctx->cause, ctx->file, lineno,
		    "expected '-' or flags from DFPRST, each once, not '%s'",
		    sp + 1));
	/* Sorted on disk, so a load is appends only. */
	if (ss->n > 0 && ss->v[ss->n - 1].uid >= uid)
		return (config_error_at(ctx->cause, ctx->file, lineno,
		    "expected a UID above %lu, not %lu",
		    (unsigned long)ss->v[ss->n - 1].uid, (unsigned long)uid));
	syncstate_set(ss, (uint32_t)uid, flags);
	return (0);
}

/*
 * Reads into a fresh state and swaps it in only when the whole file was
 * good, so a failed load leaves ss as it was.
 */
enum store_status
syncstate_load(struct syncstate *ss, const char *path, char **cause)
{
	struct syncstate_ctx	 ctx;
	struct syncstate	 new;
	struct buf		 b;
	int			 rc;

	syncstate_init(&new);
	if (access(path, F_OK) == -1 && errno == ENOENT) {
		syncstate_release(ss);
		return (STORE_OK);
	}
	buf_init(&b);
	if (buf_read_file(&b, path, SYNCSTATE_MAX_SIZE, cause) != 0) {
		buf_release(&b);
		return (STORE_EIO);
	}
	memset(&ctx, 0, sizeof ctx);
	ctx.ss = &new;
	ctx.file = path;
	ctx.cause = cause;
	rc = config_lines(path, b.data, b.len, SYNCSTATE_MAX_LINE,
	    syncstate_line, &ctx, cause);
	if (rc == 0 && ctx.lines < 1 + SYNCSTATE_FIELDS) {
		/* A short file: say what the first missing line should be. */
		if (ctx.lines == 0)
			rc = config_error_at(cause, path, 1, "expected '%s %d'",
			    SYNCSTATE_MAGIC, SYNCSTATE_VERSION);
		else
			rc = syncstate_header(&ctx, "", ctx.lines + 1);
	}
	buf_release(&b);
	if (rc != 0) {
		syncstate_release(&new);
		return (STORE_EIO);
	}
	syncstate_release(ss);
	*ss = new;
	return (STORE_OK);
}

enum store_status
syncstate_save(const struct syncstate *ss, const char *path, char **cause)
{
	struct buf	 b;
	char		 letters[MAILDIR_LETTERS_SIZE], *dir;
	size_t		 i;
	int		 rc;

	buf_init(&b);
	buf_grow(&b, 64 + ss->n * 16);
	buf_printf(&b, "%s %d\nuidvalidity %lu\nuidnext %lu\n"
	    "highestmodseq %llu\n", SYNCSTATE_MAGIC, SYNCSTATE_VERSION,
	    (unsigned long)ss->uidvalidity, (unsigned long)ss->uidnext,
	    (unsigned long long)ss->highestmodseq);
	for (i = 0; i < ss->n; i++) {
		if (maildir_flags_letters(ss->v[i].flags, letters) == 0)
			(void)strlcpy(letters, "-", sizeof letters);
		buf_printf(&b, "%lu %s\n", (unsigned long)ss->v[i].uid,
		    letters);
	}
	dir = path_dirname(path);
	rc = path_mkdirs(dir, 0700, cause);
	if (rc == 0)
		rc = path_write_atomic(path, b.data, b.len, 0600, cause);
	free(dir);
	buf_release(&b);
	return (rc == 0 ? STORE_OK : STORE_EIO);
}
