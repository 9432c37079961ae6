/*
 * engine/ingest.c: the incremental walk behind "satchel index".  Phase one
 * reads the tree and compares each changed directory with what the index
 * holds for it; phase two applies the differences.  The per-file cost is a
 * readdir entry (a stat only when d_type does not say what it is) and,
 * for a new file, notmuch's own indexing: no query per file.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "store/store.h"
#include "cal/cal.h"
#include "engine/engine.h"

/*
 * Files per atomic group.  One per file, as notmuch new does: libnotmuch
 * counts groups towards its autocommit, and one large Xapian transaction
 * per 1000 files measured 3-9% slower than notmuch new on 10k messages
 * (tests/bench/index-vs-notmuch.sh), against parity with one per file.
 */
#define ENGINE_INGEST_BATCH	1
#define ENGINE_INGEST_DEPTH	128	/* directory levels */
#define ENGINE_INGEST_PROGRESS	0.1	/* seconds between callbacks */

/* A directory seen in phase one: where its files are, what to record. */
struct engine_ingest_dir {
	char		*path;
	time_t		 mtime;
	int		 record;	/* store mtime once applied */
};

/* A file to add or remove: its directory and its name in ctx->names. */
struct engine_ingest_op {
	size_t		 dir;
	size_t		 name;
	ino_t		 ino;
};

/* One directory entry while a directory is being read. */
struct engine_ingest_entry {
	const char	*name;		/* in ctx->scratch, once read */
	size_t		 offset;
	ino_t		 ino;
	int		 is_dir;
	int		 dot;		/* a dot-file: never added */
};

struct engine_ingest_ancestor {
	dev_t		 dev;
	ino_t		 ino;
};

struct engine_ingest_ctx {
	struct store_index		*idx;
	const struct engine_ingest_opts	*opts;
	struct engine_ingest_stats	*stats;
	const char			*root;
	const char			*database;

	struct engine_ingest_dir	*dirs;
	size_t				 n_dirs, size_dirs;
	struct engine_ingest_op		*adds;
	size_t				 n_adds, size_adds;
	struct engine_ingest_op		*removes;
	size_t				 n_removes, size_removes;
	char				**gone;	/* directories removed */
	size_t				 n_gone, size_gone;
	struct buf			 names;	/* NUL-separated */

	/* The directory being read; reused for each. */
	struct buf			 scratch;
	struct engine_ingest_entry	*entries;
	size_t				 n_entries, size_entries;

	struct engine_ingest_ancestor	 ancestors[ENGINE_INGEST_DEPTH];
	size_t				 depth;

	struct timespec			 start;
	struct timespec			 last;

	struct cal_calstore		*calendar;	/* opened on need */
	int				 calendar_failed;
};

/* Grows an array of n elements to hold one more. */
static void *
engine_ingest_grow(void *v, size_t n, size_t *size, size_t elem)
{
	if (n < *size)
		return (v);
	*size = (*size == 0) ? 64 : *size * 2;
	return (xreallocarray(v, *size, elem));
}

static double
engine_ingest_since(const struct timespec *t0, const struct timespec *t1)
{
	return ((double)(t1->tv_sec - t0->tv_sec) +
	    (double)(t1->tv_nsec - t0->tv_nsec) / 1e9);
}

/* Tells the caller how far we are, at most every ENGINE_INGEST_PROGRESS. */
static void
engine_ingest_progress(struct engine_ingest_ctx *ctx, int force)
{
	struct timespec	 now;

	(void)clock_gettime(CLOCK_MONOTONIC, &now);
	ctx->stats->elapsed = engine_ingest_since(&ctx->start, &now);
	if (ctx->opts->progress == NULL)
		return;
	if (!force &&
	    engine_ingest_since(&ctx->last, &now) < ENGINE_INGEST_PROGRESS)
		return;
	ctx->last = now;
	ctx->opts->progress(ctx->stats, ctx->opts->arg);
}

static int
engine_ingest_stopped(struct engine_ingest_ctx *ctx, char **cause)
{
	if (ctx->opts->stop == NULL || *ctx->opts->stop == 0)
		return (0);
	xcause(cause, "indexing interrupted");
	return (1);
}

static size_t
engine_ingest_add_dir(struct engine_ingest_ctx *ctx, const char *path,
    time_t mtime, int record)
{
	struct engine_ingest_dir	*d;

	ctx->dirs = engine_ingest_grow(ctx->dirs, ctx->n_dirs, &ctx->size_dirs,
	    sizeof *ctx->dirs);
	d = &ctx->dirs[ctx->n_dirs];
	d->path = xstrdup(path);
	d->mtime = mtime;
	d->record = record;
	return (ctx->n_dirs++);
}

/* Queues a file for phase two: ops are ctx->adds or ctx->removes. */
static void
engine_ingest_queue(struct engine_ingest_ctx *ctx, int add, size_t dir,
    const char *name, ino_t ino)
{
	struct engine_ingest_op	*op;

	if (add) {
		ctx->adds = engine_ingest_grow(ctx->adds, ctx->n_adds,
		    &ctx->size_adds, sizeof *ctx->adds);
		op = &ctx->adds[ctx->n_adds++];
	} else {
		ctx->removes = engine_ingest_grow(ctx->removes, ctx->n_removes,
		    &ctx->size_removes, sizeof *ctx->removes);
		op = &ctx->removes[ctx->n_removes++];
	}
	op->dir = dir;
	op->name = ctx->names.len;
	op->ino = ino;
	buf_add(&ctx->names, name, strlen(name) + 1);
}

/*
 * A directory the index knows is gone from disk: queue the removal of
 * every file the index holds under it.  Only the top one is remembered
 * in ctx->gone; removing it forgets the records below it too.
 */
static int
engine_ingest_forget(struct engine_ingest_ctx *ctx, const char *path,
    char **cause)
{
	enum store_status	 ret;
	char			**files = NULL, **subdirs = NULL, *p;
	size_t			 n_files = 0, n_subdirs = 0, i, d;
	int			 rc = 0;

	ret = store_index_dir_files(ctx->idx, path, &files, &n_files);
	if (ret == STORE_OK) {
		ret = store_index_dir_subdirs(ctx->idx, path, &subdirs,
		    &n_subdirs);
	}
	if (ret != STORE_OK) {
		xcause(cause, "cannot read index of '%s': %s", path,
		    store_strerror(ret));
		rc = -1;
		goto out;
	}
	if (n_files > 0) {
		d = engine_ingest_add_dir(ctx, path, 0, 0);
		for (i = 0; i < n_files; i++)
			engine_ingest_queue(ctx, 0, d, files[i], 0);
	}
	for (i = 0; rc == 0 && i < n_subdirs; i++) {
		p = path_join(path, subdirs[i]);
		rc = engine_ingest_forget(ctx, p, cause);
		free(p);
	}
out:
	store_free_names(subdirs, n_subdirs);
	store_free_names(files, n_files);
	return (rc);
}

static int
engine_ingest_cmp_entry(const void *a, const void *b)
{
	const struct engine_ingest_entry	*ea = a, *eb = b;

	if (ea->is_dir != eb->is_dir)
		return (ea->is_dir - eb->is_dir);	/* files first */
	return (strcmp(ea->name, eb->name));
}

static int
engine_ingest_cmp_ino(const void *a, const void *b)
{
	const struct engine_ingest_op	*oa = a, *ob = b;

	if (oa->ino != ob->ino)
		return (oa->ino < ob->ino ? -1 : 1);
	return (0);
}

/*
 * Reads the entries of an open directory into ctx->entries: regular files
 * and directories, following symlinks.  -1 with errno on failure; fd is
 * closed either way.
 */
/* Directories never indexed: notmuch's database, and the outbox (mail
 * not sent yet is not mail received; engine/outbox.c). */
static int
ingest_skipped(const char *name)
{
	return (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
	    strcmp(name, ".notmuch") == 0 || strcmp(name, ".outbox") == 0);
}

static int
engine_ingest_read(struct engine_ingest_ctx *ctx, int fd)
{
	DIR			*dir;
	struct dirent		*de;
	struct stat		 sb;
	size_t			 i;
	int			 is_dir, error;

	buf_clear(&ctx->scratch);
	ctx->n_entries = 0;
	if ((dir = fdopendir(fd)) == NULL) {
		close(fd);
		return (-1);
	}
	for (;;) {
		errno = 0;
		if ((de = readdir(dir)) == NULL)
			break;
		switch (de->d_type) {
		case DT_REG:
			is_dir = 0;
			break;
		case DT_DIR:
			if (ingest_skipped(de->d_name))
				continue;
			is_dir = 1;
			break;
		case DT_LNK:
		case DT_UNKNOWN:
			if (ingest_skipped(de->d_name))
				continue;
			if (fstatat(dirfd(dir), de->d_name, &sb, 0) == -1) {
				log_debug("ingest: ignoring '%s': %s",
				    de->d_name, strerror(errno));
				continue;
			}
			if (S_ISDIR(sb.st_mode))
				is_dir = 1;
			else if (S_ISREG(sb.st_mode))
				is_dir = 0;
			else
				continue;
			break;
		default:
			continue;
		}
		ctx->entries = engine_ingest_grow(ctx->entries, ctx->n_entries,
		    &ctx->size_entries, sizeof *ctx->entries);
		ctx->entries[ctx->n_entries].offset = ctx->scratch.len;
		ctx->entries[ctx->n_entries].ino = de->d_ino;
		ctx->entries[ctx->n_entries].is_dir = is_dir;
		ctx->entries[ctx->n_entries].dot = (de->d_name[0] == '.');
		ctx->n_entries++;
		buf_add(&ctx->scratch, de->d_name, strlen(de->d_name) + 1);
	}
	error = errno;
	closedir(dir);
	if (error != 0) {
		errno = error;
		return (-1);
	}
	for (i = 0; i < ctx->n_entries; i++) {
		ctx->entries[i].name = ctx->scratch.data +
		    ctx->entries[i].offset;
	}
	return (0);
}

/*
 * Compares the sorted files and subdirectories on disk (ctx->entries)
 * with the index's record of directory path, queueing what differs.
 * A dot-file is not mail (Maildir names never start with a dot), so it is
 * never added; but one the index has (notmuch new takes them) is left
 * there while it exists, so the two programs do not undo each other.
 */
static int
engine_ingest_compare(struct engine_ingest_ctx *ctx, const char *path,
    size_t n_files, time_t mtime, int record, char **cause)
{
	enum store_status	 ret;
	char			**files = NULL, **subdirs = NULL, *p;
	size_t			 n_db_files = 0, n_db_subdirs = 0;
	size_t			 i, j, d, first;
	int			 cmp, rc = 0;

	ret = store_index_dir_files(ctx->idx, path, &files, &n_db_files);
	if (ret == STORE_OK) {
		ret = store_index_dir_subdirs(ctx->idx, path, &subdirs,
		    &n_db_subdirs);
	}
	if (ret != STORE_OK) {
		xcause(cause, "cannot read index of '%s': %s", path,
		    store_strerror(ret));
		rc = -1;
		goto out;
	}
	d = engine_ingest_add_dir(ctx, path, mtime, record);

	first = ctx->n_adds;
	for (i = j = 0; i < n_files || j < n_db_files; /* nothing */) {
		if (i == n_files)
			cmp = 1;
		else if (j == n_db_files)
			cmp = -1;
		else {
			cmp = strcmp(ctx->entries[i].name, files[j]);
		}
		if (cmp < 0) {
			if (!ctx->entries[i].dot) {
				engine_ingest_queue(ctx, 1, d,
				    ctx->entries[i].name, ctx->entries[i].ino);
			}
			i++;
		} else if (cmp > 0)
			engine_ingest_queue(ctx, 0, d, files[j++], 0);
		else {
			i++;
			j++;
		}
	}
	/* Inode order reads a cold directory faster. */
	if (ctx->n_adds - first > 1) {
		qsort(ctx->adds + first, ctx->n_adds - first,
		    sizeof *ctx->adds, engine_ingest_cmp_ino);
	}

	for (i = n_files, j = 0; j < n_db_subdirs; j++) {
		cmp = 1;
		while (i < ctx->n_entries) {
			cmp = strcmp(ctx->entries[i].name, subdirs[j]);
			if (cmp >= 0)
				break;
			i++;
		}
		if (cmp == 0)
			continue;
		p = path_join(path, subdirs[j]);
		if ((rc = engine_ingest_forget(ctx, p, cause)) == 0) {
			ctx->gone = engine_ingest_grow(ctx->gone, ctx->n_gone,
			    &ctx->size_gone, sizeof *ctx->gone);
			ctx->gone[ctx->n_gone++] = p;
		} else {
			free(p);
			break;
		}
	}
out:
	store_free_names(subdirs, n_db_subdirs);
	store_free_names(files, n_db_files);
	return (rc);
}

/*
 * Walks one directory (phase one).  Returns -1 only for what must stop
 * the scan (the database, the root, an interruption); an unreadable
 * directory below the root is counted and left as the index has it.
 */
static int
engine_ingest_walk(struct engine_ingest_ctx *ctx, const char *path,
    char **cause)
{
	struct stat	 st;
	time_t		 db_mtime, now;
	char		**subdirs = NULL, **db_subdirs = NULL;
	const char	*name;
	size_t		 n_subdirs = 0, size_subdirs = 0, n_db_subdirs = 0;
	size_t		 n_files, i;
	int		 fd, unchanged, maildir, rc = 0, is_root;

	if (engine_ingest_stopped(ctx, cause))
		return (-1);
	is_root = (ctx->depth == 0);
	if ((fd = open(path, O_RDONLY|O_DIRECTORY|O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		if (is_root) {
			xcause(cause, "cannot open '%s': %s", path,
			    strerror(errno));
			rc = -1;
		} else {
			log_warn("ingest: cannot open '%s'", path);
			ctx->stats->failed++;
		}
		if (fd != -1)
			close(fd);
		return (rc);
	}
	for (i = 0; i < ctx->depth; i++) {
		if (ctx->ancestors[i].dev == st.st_dev &&
		    ctx->ancestors[i].ino == st.st_ino)
			break;
	}
	if (i < ctx->depth || ctx->depth == ENGINE_INGEST_DEPTH) {
		log_warnx("ingest: not following '%s': %s", path,
		    i < ctx->depth ? "a loop" : "too deep");
		close(fd);
		return (0);
	}

	/*
	 * An unchanged directory has the files the index has; with no
	 * subdirectories either (a link count of 2, and none the index
	 * knows of, as symlinks do not count), it need not be read at all.
	 */
	db_mtime = store_index_dir_mtime(ctx->idx, path);
	unchanged = (db_mtime != 0 && db_mtime == st.st_mtime);
	if (unchanged && st.st_nlink == 2) {
		if (store_index_dir_subdirs(ctx->idx, path, &db_subdirs,
		    &n_db_subdirs) == STORE_OK && n_db_subdirs == 0) {
			close(fd);
			return (0);
		}
		store_free_names(db_subdirs, n_db_subdirs);
	}

	if (engine_ingest_read(ctx, fd) == -1) {
		if (is_root) {
			xcause(cause, "cannot read '%s': %s", path,
			    strerror(errno));
			return (-1);
		}
		log_warn("ingest: cannot read '%s'", path);
		ctx->stats->failed++;
		return (0);
	}
	now = time(NULL);
	ctx->stats->dirs++;

	/* Files first, then directories, each sorted as the index is. */
	if (ctx->n_entries > 1)
		qsort(ctx->entries, ctx->n_entries, sizeof *ctx->entries,
		    engine_ingest_cmp_entry);
	for (n_files = 0; n_files < ctx->n_entries; n_files++) {
		if (ctx->entries[n_files].is_dir)
			break;
		if (!ctx->entries[n_files].dot)
			ctx->stats->found++;
	}

	/* A Maildir's tmp/ holds mail being written (the rule notmuch has). */
	maildir = 0;
	for (i = n_files; i < ctx->n_entries; i++) {
		name = ctx->entries[i].name;
		if (strcmp(name, "cur") == 0)
			maildir |= 1;
		else if (strcmp(name, "new") == 0)
			maildir |= 2;
	}
	for (i = n_files; i < ctx->n_entries; i++) {
		name = ctx->entries[i].name;
		if (maildir == 3 && strcmp(name, "tmp") == 0) {
			/* Drop it, so it also reads as gone from the index. */
			memmove(&ctx->entries[i], &ctx->entries[i + 1],
			    (ctx->n_entries - i - 1) * sizeof *ctx->entries);
			ctx->n_entries--;
			i--;
			continue;
		}
		subdirs = engine_ingest_grow(subdirs, n_subdirs, &size_subdirs,
		    sizeof *subdirs);
		subdirs[n_subdirs++] = path_join(path, name);
	}

	/*
	 * Record the mtime only if it is older than now: a file written
	 * later in the same second would not change it.
	 */
	if (!unchanged) {
		rc = engine_ingest_compare(ctx, path, n_files, st.st_mtime,
		    st.st_mtime < now, cause);
	}
	engine_ingest_progress(ctx, 0);

	ctx->ancestors[ctx->depth].dev = st.st_dev;
	ctx->ancestors[ctx->depth].ino = st.st_ino;
	ctx->depth++;
	for (i = 0; rc == 0 && i < n_subdirs; i++) {
		if (ctx->database != NULL &&
		    strcmp(subdirs[i], ctx->database) == 0)
			continue;
		rc = engine_ingest_walk(ctx, subdirs[i], cause);
	}
	ctx->depth--;

	store_free_names(subdirs, n_subdirs);
	return (rc);
}

/* Ends the current batch and, unless last, starts the next one. */
static int
engine_ingest_batch(struct engine_ingest_ctx *ctx, int last, char **cause)
{
	enum store_status	 ret;

	if ((ret = store_index_end(ctx->idx)) == STORE_OK && !last)
		ret = store_index_begin(ctx->idx);
	if (ret != STORE_OK) {
		xcause(cause, "cannot commit to the index: %s",
		    store_strerror(ret));
		return (-1);
	}
	return (0);
}

/* The full path of a queued file, in buf; -1 when it does not fit. */
static int
engine_ingest_path(struct engine_ingest_ctx *ctx,
    const struct engine_ingest_op *op, char *buf, size_t len)
{
	int	 n;

	n = snprintf(buf, len, "%s/%s", ctx->dirs[op->dir].path,
	    ctx->names.data + op->name);
	if (n < 0 || (size_t)n >= len) {
		log_warnx("ingest: path too long in '%s'",
		    ctx->dirs[op->dir].path);
		ctx->stats->failed++;
		ctx->dirs[op->dir].record = 0;
		return (-1);
	}
	return (0);
}

/* A new message with a calendar part goes to the calendar store. */
static void
engine_ingest_calendar(struct engine_ingest_ctx *ctx, const char *path)
{
	char	*dir, *why = NULL;

	if (ctx->calendar_failed || !engine_calendar_has_parts(path))
		return;
	if (ctx->calendar == NULL) {
		dir = cal_calstore_default_dir(NULL);
		ctx->calendar = cal_calstore_open(dir, &why);
		free(dir);
		if (ctx->calendar == NULL) {
			log_warnx("ingest: calendar: %s", why);
			free(why);
			ctx->calendar_failed = 1;
			return;
		}
	}
	if (engine_calendar_apply_file(ctx->calendar, path, NULL, NULL,
	    &why) != 0) {
		log_warnx("ingest: calendar: %s", why);
		free(why);
		return;
	}
	ctx->stats->calendars++;
}

/* Indexes one queued file; -1 with *cause when the index fails. */
static int
engine_ingest_add(struct engine_ingest_ctx *ctx,
    const struct engine_ingest_op *op, char **cause)
{
	char			 path[PATH_MAX];
	char			*why = NULL;
	enum store_status	 ret;
	int			 is_new;

	if (engine_ingest_path(ctx, op, path, sizeof path) == -1)
		return (0);
	ret = store_index_add_file(ctx->idx, path, &is_new, &why);
	switch (ret) {
	case STORE_OK:
		ctx->stats->added++;
		if (is_new) {
			ctx->stats->new_messages++;
			engine_ingest_calendar(ctx, path);
		} else
			ctx->stats->updated++;
		break;
	case STORE_EMAIL:
		log_warnx("ingest: skipping '%s': not a mail message", path);
		ctx->stats->skipped++;
		break;
	case STORE_EIO:
		/*
		 * Look again next time.  A file renamed since the walk (a
		 * mail reader marking it read) is no failure: its new name
		 * is in a directory that changed.
		 */
		ctx->dirs[op->dir].record = 0;
		if (access(path, F_OK) == -1 && errno == ENOENT)
			log_debug("ingest: '%s' went away", path);
		else {
			log_warnx("ingest: %s", why);
			ctx->stats->failed++;
		}
		break;
	default:
		if (cause != NULL)
			*cause = why;
		else
			free(why);
		return (-1);
	}
	free(why);
	return (0);
}

/* Phase two: adds, then removals, then forgotten directories and mtimes. */
static int
engine_ingest_apply(struct engine_ingest_ctx *ctx, char **cause)
{
	struct engine_ingest_stats	*stats = ctx->stats;
	enum store_status		 ret;
	char				 path[PATH_MAX];
	unsigned int			 batch, in_batch = 0;
	size_t				 i;
	int				 rc = 0;

	batch = ctx->opts->batch != 0 ? ctx->opts->batch : ENGINE_INGEST_BATCH;
	stats->phase = ENGINE_INGEST_APPLY;
	stats->total = ctx->n_adds + ctx->n_removes;
	engine_ingest_progress(ctx, 1);

	if ((ret = store_index_begin(ctx->idx)) != STORE_OK) {
		xcause(cause, "cannot write to the index: %s",
		    store_strerror(ret));
		return (-1);
	}
	for (i = 0; rc == 0 && i < ctx->n_adds + ctx->n_removes; i++) {
		if (engine_ingest_stopped(ctx, cause)) {
			rc = -1;
			break;
		}
		if (i < ctx->n_adds)
			rc = engine_ingest_add(ctx, &ctx->adds[i], cause);
		else if (engine_ingest_path(ctx, &ctx->removes[i -
		    ctx->n_adds], path, sizeof path) == 0) {
			ret = store_index_remove_file(ctx->idx, path);
			if (ret != STORE_OK) {
				xcause(cause, "cannot remove '%s': %s", path,
				    store_strerror(ret));
				rc = -1;
			} else
				stats->removed++;
		}
		stats->done++;
		engine_ingest_progress(ctx, 0);
		if (rc == 0 && ++in_batch == batch) {
			in_batch = 0;
			rc = engine_ingest_batch(ctx, 0, cause);
		}
	}
	for (i = 0; rc == 0 && i < ctx->n_gone; i++) {
		if ((ret = store_index_dir_remove(ctx->idx, ctx->gone[i])) !=
		    STORE_OK) {
			xcause(cause, "cannot forget '%s': %s", ctx->gone[i],
			    store_strerror(ret));
			rc = -1;
		} else
			stats->removed_dirs++;
	}
	for (i = 0; rc == 0 && i < ctx->n_dirs; i++) {
		if (!ctx->dirs[i].record)
			continue;
		ret = store_index_dir_set_mtime(ctx->idx, ctx->dirs[i].path,
		    ctx->dirs[i].mtime);
		if (ret != STORE_OK) {
			xcause(cause, "cannot record '%s': %s",
			    ctx->dirs[i].path, store_strerror(ret));
			rc = -1;
		}
	}
	if (engine_ingest_batch(ctx, 1, rc == 0 ? cause : NULL) == -1)
		rc = -1;
	return (rc);
}

/* Brings the index up to date with the mail root; see engine.h. */
int
engine_ingest_scan(struct store_index *idx,
    const struct engine_ingest_opts *opts, struct engine_ingest_stats *stats,
    char **cause)
{
	static const struct engine_ingest_opts	 no_opts;
	struct engine_ingest_stats		 no_stats;
	struct engine_ingest_ctx		 ctx;
	size_t					 i;
	int					 rc;

	if (stats == NULL)
		stats = &no_stats;
	memset(stats, 0, sizeof *stats);
	memset(&ctx, 0, sizeof ctx);
	ctx.idx = idx;
	ctx.opts = (opts != NULL) ? opts : &no_opts;
	ctx.stats = stats;
	ctx.root = store_index_mail_root(idx);
	ctx.database = store_index_database_path(idx);
	if (strcmp(ctx.database, ctx.root) == 0)
		ctx.database = NULL;	/* root/.notmuch is skipped by name */
	buf_init(&ctx.names);
	buf_init(&ctx.scratch);
	(void)clock_gettime(CLOCK_MONOTONIC, &ctx.start);
	ctx.last = ctx.start;

	stats->phase = ENGINE_INGEST_SCAN;
	engine_ingest_progress(&ctx, 1);
	rc = engine_ingest_walk(&ctx, ctx.root, cause);
	if (rc == 0)
		rc = engine_ingest_apply(&ctx, cause);
	if (rc == 0) {
		stats->phase = ENGINE_INGEST_DONE;
		engine_ingest_progress(&ctx, 1);
	}
	log_debug("ingest: %u dirs, %u files, %u added (%u new), %u removed, "
	    "%u skipped, %u failed, %.3f s", stats->dirs, stats->found,
	    stats->added, stats->new_messages, stats->removed, stats->skipped,
	    stats->failed, stats->elapsed);

	for (i = 0; i < ctx.n_dirs; i++)
		free(ctx.dirs[i].path);
	free(ctx.dirs);
	free(ctx.adds);
	free(ctx.removes);
	store_free_names(ctx.gone, ctx.n_gone);
	free(ctx.entries);
	buf_release(&ctx.scratch);
	buf_release(&ctx.names);
	cal_calstore_close(ctx.calendar);
	return (rc);
}
