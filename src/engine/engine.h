/*
 * engine: where the libraries meet (sync workers, outbox, ingest).
 */
#ifndef ENGINE_ENGINE_H
#define ENGINE_ENGINE_H

#include <signal.h>

struct store_index;

/*
 * engine/ingest.c: brings the index up to date with the mail under the
 * mail root, as "notmuch new" does and compatible with it (the same
 * database records, so either may run after the other).  Phase one walks
 * the tree; a directory whose mtime matches the one recorded is not
 * compared again (its subdirectories still are).  Phase two indexes the
 * new files first, so that a Maildir rename is seen as a second file of a
 * known message, then removes the files that went, in batches.
 *
 * Skipped: the database directory (".notmuch"), "tmp" beside "cur" and
 * "new", files whose names start with a dot (.uidvalidity, .mbsyncstate;
 * they are never added, nor removed if notmuch new added them), and
 * anything that is neither a regular file nor a directory (symlinks are
 * followed, loops are not).  A file that cannot be indexed (not mail,
 * unreadable) is counted and logged and never stops the scan.
 */
enum engine_ingest_phase {
	ENGINE_INGEST_SCAN,	/* walking the tree */
	ENGINE_INGEST_APPLY,	/* indexing and removing: done of total */
	ENGINE_INGEST_DONE,
};
struct engine_ingest_stats {
	enum engine_ingest_phase phase;
	unsigned int	 dirs;		/* directories read */
	unsigned int	 found;		/* mail files in the directories read */
	unsigned int	 done;		/* phase two: files handled ... */
	unsigned int	 total;		/* ... of this many */
	unsigned int	 added;		/* files indexed */
	unsigned int	 new_messages;	/* ... that were new messages */
	unsigned int	 updated;	/* ... that were another file of a known
					   message: tags re-read from flags */
	unsigned int	 removed;	/* files that left the index */
	unsigned int	 removed_dirs;	/* directories that left the index */
	unsigned int	 skipped;	/* files that are not mail */
	unsigned int	 failed;	/* files or directories unreadable */
	double		 elapsed;	/* seconds since the scan started */
};
struct engine_ingest_opts {
	/* Called at most ten times a second, and once per phase change. */
	void		(*progress)(const struct engine_ingest_stats *, void *);
	void		*arg;
	/* Polled between files: non-zero stops the scan early. */
	volatile sig_atomic_t *stop;
	unsigned int	 batch;		/* files per transaction; 0: 1 */
};
/*
 * Scans the mail root of idx (opened read-write).  opts may be NULL;
 * stats (may be NULL) is filled in.  Returns 0, or -1 with *cause when
 * the database fails, the mail root cannot be read, or the scan was
 * stopped (what was done by then stays done).
 */
int	engine_ingest_scan(struct store_index *,
	    const struct engine_ingest_opts *, struct engine_ingest_stats *,
	    char **);

#endif /* ENGINE_ENGINE_H */
