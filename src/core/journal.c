/*
 * core/journal.c: the operation journal, a text file of one record a
 * line, appended to and fsynced before the caller goes on:
 *
 *	A 1 move INBOX/cur/x Archive
 *	A 2 tag +flagged\nsecond line
 *	D 1
 *
 * "A SEQ TEXT" adds an entry (newline and backslash escaped as \n and
 * \\), "D SEQ" marks one done.  Sequence numbers only grow: the next is
 * one above the highest the file has ever named, and compaction keeps a
 * "D" line for that highest one when its entry is gone, so a number is
 * never handed out twice.
 *
 * Two processes (the TUI and a cron "satchel sync") may share a journal.
 * Every call holds flock(2) on "PATH.lock" while it works; that file is
 * never renamed or removed, because compaction replaces PATH by rename
 * and a lock taken on the old inode would no longer exclude anyone.
 * Under the lock a call first catches up with the file: it reopens PATH
 * when its inode changed, reads what others appended since it last
 * looked, and only then picks a sequence number.  A last line without
 * its newline was cut short by a crash (writers hold the lock, so nobody
 * is still writing it): it is ignored, and cut off before the next
 * append.
 */
#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"

/* Limits, checked before anything is allocated or written. */
#define JOURNAL_MAX_SIZE	(256 * 1024 * 1024)
#define JOURNAL_MAX_LINE	(1024 * 1024)

/* An entry as read, kept after it is done until the next compaction. */
struct journal_rec {
	uint64_t	 seq;
	char		*text;
	int		 done;
};

struct journal {
	char			*path;
	char			*dir;
	char			*lock_path;
	int			 fd;		/* path, O_APPEND */
	int			 lock_fd;
	dev_t			 dev;		/* of fd, to see a rename */
	ino_t			 ino;

	/* What has been read of fd: whole lines only. */
	off_t			 parsed;
	off_t			 size;		/* beyond parsed: a torn line */
	int			 line;
	uint64_t		 max_seq;
	struct journal_rec	*v;		/* by seq */
	size_t			 n;
	size_t			 alloc;
	size_t			 pending;
};

/* Drops everything read, so the file is read again from the start. */
static void
journal_forget(struct journal *j)
{
	size_t	 i;

	for (i = 0; i < j->n; i++)
		free(j->v[i].text);
	j->n = j->pending = 0;
	j->parsed = j->size = 0;
	j->line = 0;
	j->max_seq = 0;
}

static int
journal_lock(struct journal *j, char **cause)
{
	while (flock(j->lock_fd, LOCK_EX) == -1) {
		if (errno != EINTR) {
			xcause(cause, "cannot lock '%s': %s", j->lock_path,
			    strerror(errno));
			return (-1);
		}
	}
	return (0);
}

static void
journal_unlock(struct journal *j)
{
	(void)flock(j->lock_fd, LOCK_UN);
}

/*
 * Opens path afresh (creating it if it is missing, and then making its
 * name durable) and forgets what was read from the old one.
 */
static int
journal_reopen(struct journal *j, char **cause)
{
	struct stat	 st;
	int		 fd, created = 0;

	fd = open(j->path, O_RDWR|O_APPEND|O_CLOEXEC);
	if (fd == -1 && errno == ENOENT) {
		fd = open(j->path, O_RDWR|O_APPEND|O_CREAT|O_CLOEXEC, 0600);
		created = 1;
	}
	if (fd == -1) {
		xcause(cause, "cannot open '%s': %s", j->path,
		    strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) == -1) {
		xcause(cause, "cannot stat '%s': %s", j->path,
		    strerror(errno));
		close(fd);
		return (-1);
	}
	if (created && path_fsync_dir(j->dir, cause) == -1) {
		close(fd);
		return (-1);
	}
	if (j->fd != -1)
		close(j->fd);
	j->fd = fd;
	j->dev = st.st_dev;
	j->ino = st.st_ino;
	journal_forget(j);
	return (0);
}

/* A sequence number: digits only, from 1. */
static int
journal_seq(const char *s, uint64_t *seq)
{
	const char	*errstr;
	long long	 v;

	if (!isdigit((unsigned char)*s))
		return (-1);
	v = strtonum(s, 1, LLONG_MAX, &errstr);
	if (errstr != NULL)
		return (-1);
	*seq = (uint64_t)v;
	return (0);
}

/* The entry with number seq, NULL when there is none. */
static struct journal_rec *
journal_find(struct journal *j, uint64_t seq)
{
	size_t	 lo = 0, hi = j->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (j->v[mid].seq == seq)
			return (&j->v[mid]);
		if (j->v[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (NULL);
}

static void
journal_push(struct journal *j, uint64_t seq, char *text)
{
	if (j->n == j->alloc) {
		j->alloc = j->alloc == 0 ? 16 : j->alloc * 2;
		j->v = xreallocarray(j->v, j->alloc, sizeof *j->v);
	}
	j->v[j->n].seq = seq;
	j->v[j->n].text = text;
	j->v[j->n].done = 0;
	j->n++;
	j->pending++;
	j->max_seq = seq;
}

static void
journal_escape(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\n')
			buf_add(b, "\\n", 2);
		else if (*s == '\\')
			buf_add(b, "\\\\", 2);
		else
			buf_addch(b, *s);
	}
}

/* The text of an entry with its escapes undone; NULL for a bad escape. */
static char *
journal_unescape(const char *s)
{
	struct buf	 b;

	buf_init(&b);
	for (; *s != '\0'; s++) {
		if (*s != '\\') {
			buf_addch(&b, *s);
			continue;
		}
		if (s[1] == 'n')
			buf_addch(&b, '\n');
		else if (s[1] == '\\')
			buf_addch(&b, '\\');
		else {
			buf_release(&b);
			return (NULL);
		}
		s++;
	}
	return (buf_detach(&b, NULL));
}

/* One whole line (NUL-terminated in place of its newline). */
static int
journal_parse(struct journal *j, char *line, size_t len, char **cause)
{
	struct journal_rec	*r;
	char			*sp, *text;
	uint64_t		 seq;
	int			 lineno = j->line + 1;

	if (memchr(line, '\0', len) != NULL)
		return (config_error_at(cause, j->path, lineno,
		    "unexpected NUL byte"));
	if (line[0] == 'A' && line[1] == ' ' &&
	    (sp = strchr(line + 2, ' ')) != NULL) {
		*sp = '\0';
		if (journal_seq(line + 2, &seq) != 0)
			goto bad;
		if (seq <= j->max_seq)
			return (config_error_at(cause, j->path, lineno,
			    "expected a sequence number above %llu, not %llu",
			    (unsigned long long)j->max_seq,
			    (unsigned long long)seq));
		if ((text = journal_unescape(sp + 1)) == NULL)
			return (config_error_at(cause, j->path, lineno,
			    "expected only \\n and \\\\ escapes"));
		journal_push(j, seq, text);
	} else if (line[0] == 'D' && line[1] == ' ') {
		if (journal_seq(line + 2, &seq) != 0)
			goto bad;
		/* Above the rest: the mark compaction leaves. */
		if (seq > j->max_seq)
			j->max_seq = seq;
		if ((r = journal_find(j, seq)) != NULL && !r->done) {
			r->done = 1;
			j->pending--;
		}
	} else
		goto bad;
	j->line++;
	return (0);

bad:
	return (config_error_at(cause, j->path, lineno,
	    "expected 'A SEQ TEXT' or 'D SEQ'"));
}

/*
 * Brings what we know in line with the file, under the lock: a new
 * inode (another process compacted) or a shorter file means reading it
 * all again, a longer one means reading the new lines.
 */
static int
journal_catch_up(struct journal *j, char **cause)
{
	struct stat	 st;
	struct buf	 b;
	char		*p, *end, *nl;
	ssize_t		 n;
	off_t		 off;
	int		 rc = 0, gone = 0;

	if (stat(j->path, &st) == -1) {
		if (errno != ENOENT) {
			xcause(cause, "cannot stat '%s': %s", j->path,
			    strerror(errno));
			return (-1);
		}
		gone = 1;
	}
	if ((gone || st.st_dev != j->dev || st.st_ino != j->ino) &&
	    journal_reopen(j, cause) == -1)
		return (-1);
	if (fstat(j->fd, &st) == -1) {
		xcause(cause, "cannot stat '%s': %s", j->path,
		    strerror(errno));
		return (-1);
	}
	if (st.st_size > JOURNAL_MAX_SIZE) {
		xcause(cause, "'%s' is larger than %d bytes", j->path,
		    JOURNAL_MAX_SIZE);
		return (-1);
	}
	if (st.st_size < j->parsed)
		journal_forget(j);
	j->size = st.st_size;
	if (st.st_size == j->parsed)
		return (0);

	buf_init(&b);
	buf_grow(&b, (size_t)(st.st_size - j->parsed));
	for (off = j->parsed; off < st.st_size; off += n) {
		n = pread(j->fd, b.data + b.len, (size_t)(st.st_size - off),
		    off);
		if (n == -1 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n == -1) {
			xcause(cause, "cannot read '%s': %s", j->path,
			    strerror(errno));
			buf_release(&b);
			return (-1);
		}
		if (n == 0)
			break;	/* shrank since fstat(): read on next time */
		b.len += (size_t)n;
	}
	b.data[b.len] = '\0';
	p = b.data;
	end = b.data + b.len;
	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		if ((size_t)(nl - p) > JOURNAL_MAX_LINE) {
			rc = config_error_at(cause, j->path, j->line + 1,
			    "line longer than %d bytes", JOURNAL_MAX_LINE);
			break;
		}
		*nl = '\0';
		if ((rc = journal_parse(j, p, (size_t)(nl - p), cause)) != 0)
			break;
		j->parsed += nl + 1 - p;
		p = nl + 1;
	}
	buf_release(&b);
	return (rc);
}

/* Takes the lock and catches up; on failure the lock is not held. */
static int
journal_begin(struct journal *j, char **cause)
{
	if (journal_lock(j, cause) == -1)
		return (-1);
	if (journal_catch_up(j, cause) == -1) {
		journal_unlock(j);
		return (-1);
	}
	return (0);
}

/*
 * Appends one line and fsyncs it.  A torn line left by a crash goes
 * first, so the new line starts a line of its own.  On failure what was
 * written is cut off again, so -1 means the line is not there.
 */
static int
journal_append(struct journal *j, const char *line, size_t len,
    char **cause)
{
	const char	*what = "truncate";
	int		 saved;

	if (j->size > j->parsed && ftruncate(j->fd, j->parsed) == -1)
		goto fail;
	j->size = j->parsed;
	what = "write";
	if (path_write_full(j->fd, line, len) == -1)
		goto fail;
	what = "fsync";
	if (fsync(j->fd) == -1)
		goto fail;
	j->parsed += (off_t)len;
	j->size = j->parsed;
	j->line++;
	return (0);

fail:
	saved = errno;
	(void)ftruncate(j->fd, j->parsed);
	xcause(cause, "cannot %s '%s': %s", what, j->path, strerror(saved));
	return (-1);
}

int
journal_open(const char *path, struct journal **jp, char **cause)
{
	struct journal	*j;

	j = xcalloc(1, sizeof *j);
	j->fd = j->lock_fd = -1;
	j->path = xstrdup(path);
	j->dir = path_dirname(path);
	xasprintf(&j->lock_path, "%s.lock", path);
	if (path_mkdirs(j->dir, 0700, cause) == -1)
		goto fail;
	j->lock_fd = open(j->lock_path, O_RDWR|O_CREAT|O_CLOEXEC, 0600);
	if (j->lock_fd == -1) {
		xcause(cause, "cannot open '%s': %s", j->lock_path,
		    strerror(errno));
		goto fail;
	}
	if (journal_lock(j, cause) == -1)
		goto fail;
	if (journal_reopen(j, cause) == -1 ||
	    journal_catch_up(j, cause) == -1) {
		journal_unlock(j);
		goto fail;
	}
	journal_unlock(j);
	*jp = j;
	return (0);

fail:
	journal_close(j);
	return (-1);
}

void
journal_close(struct journal *j)
{
	if (j == NULL)
		return;
	journal_forget(j);
	free(j->v);
	if (j->fd != -1)
		close(j->fd);
	if (j->lock_fd != -1)
		close(j->lock_fd);
	free(j->lock_path);
	free(j->dir);
	free(j->path);
	free(j);
}

int
journal_add(struct journal *j, const char *text, uint64_t *seq,
    char **cause)
{
	struct buf	 esc, line;
	uint64_t	 next;
	int		 rc = -1;

	buf_init(&esc);
	buf_init(&line);
	journal_escape(&esc, text);
	if (esc.len > JOURNAL_MAX_LINE - 32) {
		xcause(cause, "cannot add to '%s': entry longer than %d bytes",
		    j->path, JOURNAL_MAX_LINE - 32);
		goto out;
	}
	if (journal_begin(j, cause) == -1)
		goto out;
	next = j->max_seq + 1;
	buf_printf(&line, "A %llu %s\n", (unsigned long long)next, esc.data);
	if ((rc = journal_append(j, line.data, line.len, cause)) == 0) {
		journal_push(j, next, xstrdup(text));
		if (seq != NULL)
			*seq = next;
	}
	journal_unlock(j);
out:
	buf_release(&line);
	buf_release(&esc);
	return (rc);
}

int
journal_pending(struct journal *j, struct journal_entry **entries,
    size_t *n, char **cause)
{
	struct journal_entry	*e = NULL;
	size_t			 i, k = 0;

	if (journal_begin(j, cause) == -1)
		return (-1);
	if (j->pending != 0)
		e = xreallocarray(NULL, j->pending, sizeof *e);
	for (i = 0; i < j->n; i++) {
		if (j->v[i].done)
			continue;
		e[k].seq = j->v[i].seq;
		e[k].text = xstrdup(j->v[i].text);
		k++;
	}
	journal_unlock(j);
	*entries = e;
	*n = k;
	return (0);
}

void
journal_entries_free(struct journal_entry *e, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(e[i].text);
	free(e);
}

/*
 * An entry already done (by us or by the other process), or compacted
 * away, is not an error: replay may confirm the same thing twice.  A
 * number never handed out is.
 */
int
journal_done(struct journal *j, uint64_t seq, char **cause)
{
	return (journal_cancel(j, seq, NULL, cause));
}

/* journal_done(), saying whether this call is the one that took it. */
int
journal_cancel(struct journal *j, uint64_t seq, int *taken, char **cause)
{
	struct journal_rec	*r;
	struct buf		 line;
	int			 rc = 0;

	if (taken != NULL)
		*taken = 0;
	if (journal_begin(j, cause) == -1)
		return (-1);
	if (seq == 0 || seq > j->max_seq) {
		xcause(cause, "no entry %llu in '%s'", (unsigned long long)seq,
		    j->path);
		rc = -1;
	} else if ((r = journal_find(j, seq)) != NULL && !r->done) {
		buf_init(&line);
		buf_printf(&line, "D %llu\n", (unsigned long long)seq);
		if ((rc = journal_append(j, line.data, line.len, cause)) == 0) {
			r->done = 1;
			j->pending--;
			if (taken != NULL)
				*taken = 1;
		}
		buf_release(&line);
	}
	journal_unlock(j);
	return (rc);
}

/*
 * Rewrites the file with only the pending entries.  The other process
 * sees the new inode when it next takes the lock, and reads it afresh.
 */
int
journal_compact(struct journal *j, char **cause)
{
	struct buf	 b;
	uint64_t	 last = 0;
	size_t		 i;
	int		 rc = 0;

	if (journal_begin(j, cause) == -1)
		return (-1);
	if (j->pending == j->n && j->size == j->parsed)
		goto out;	/* nothing done, nothing torn */
	buf_init(&b);
	for (i = 0; i < j->n; i++) {
		if (j->v[i].done)
			continue;
		buf_printf(&b, "A %llu ", (unsigned long long)j->v[i].seq);
		journal_escape(&b, j->v[i].text);
		buf_addch(&b, '\n');
		last = j->v[i].seq;
	}
	if (j->max_seq > last)
		buf_printf(&b, "D %llu\n", (unsigned long long)j->max_seq);
	rc = path_write_atomic(j->path, b.data, b.len, 0600, cause);
	buf_release(&b);
	if (rc == 0) {
		rc = journal_reopen(j, cause);
		if (rc == 0)
			rc = journal_catch_up(j, cause);
	}
out:
	journal_unlock(j);
	return (rc);
}
