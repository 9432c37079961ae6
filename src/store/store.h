/*
 * store: mail on disk and its index.  index.c is the only user of
 * notmuch.h; no notmuch type leaves this module.  Callers branch on
 * enum store_status and show store_strerror() or the cause string.
 */
#ifndef STORE_STORE_H
#define STORE_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum store_status {
	STORE_OK = 0,
	STORE_ENOENT,		/* no database (and not asked to create) */
	STORE_EEXIST,
	STORE_ELOCKED,		/* another writer holds the database */
	STORE_EQUERY,		/* bad query syntax */
	STORE_EMAIL,		/* a file is not a mail message */
	STORE_EIO,		/* file system error */
	STORE_EDB,		/* any other notmuch/Xapian failure */
};

/* store/store.c */
const char	*store_strerror(enum store_status);
const char	*store_version(void);	/* "notmuch library 5.x"; static */

/* store/index.c */
struct store_index;
enum store_index_mode {
	STORE_INDEX_READ_ONLY,
	STORE_INDEX_READ_WRITE,
};
/*
 * Where the database is.  With notmuch_config set, that notmuch
 * configuration file decides database path, mail root, new tags, exclude
 * tags and flag synchronisation (the fields below are ignored); "" means
 * "the user's default notmuch configuration".  Otherwise the database
 * lives at database (default: mail_root, i.e. mail_root/.notmuch) and the
 * lists below apply.  Borrowed for the duration of store_index_open().
 */
struct store_index_options {
	const char		*notmuch_config;
	const char		*mail_root;
	const char		*database;
	const char *const	*new_tags;	/* NULL: inbox, unread */
	size_t			 n_new_tags;
	const char *const	*exclude_tags;	/* NULL: deleted, spam */
	size_t			 n_exclude_tags;
	int			 synchronize_flags;	/* -1: default (yes) */
	int			 create;	/* create when missing */
};
enum store_status store_index_open(const struct store_index_options *,
		    enum store_index_mode, struct store_index **, char **);
void		 store_index_close(struct store_index *);	/* NULL ok */
/* Borrowed until close: absolute paths. */
const char	*store_index_mail_root(const struct store_index *);
const char	*store_index_database_path(const struct store_index *);
/* Whether searches leave out messages with tag (search.exclude_tags). */
int		 store_index_excludes(const struct store_index *, const char *);
/*
 * A second READ_ONLY handle on the same database with the same options,
 * for another thread (a handle is used by one thread at a time).
 */
enum store_status store_index_open_again(const struct store_index *,
		    struct store_index **, char **);
/* Re-reads a READ_ONLY handle so it sees another writer's changes. */
enum store_status store_index_reopen(struct store_index *, char **);

/*
 * Incremental indexing primitives, used by engine/ingest.c.  Paths are
 * absolute and must lie under the mail root.  Directory mtimes are kept
 * in the database (as notmuch new does) so unchanged directories are
 * skipped next time.
 */
/* The stored mtime of a directory, 0 when unknown. */
time_t		 store_index_dir_mtime(struct store_index *, const char *);
/* Does nothing for a directory no file was ever indexed under: notmuch
 * keeps no record of those, so they always read as changed. */
enum store_status store_index_dir_set_mtime(struct store_index *,
		    const char *, time_t);
/* Names (not paths) of the files and subdirectories the database holds
 * for a directory, sorted with strcmp; the caller frees the vector with
 * store_free_names(). */
enum store_status store_index_dir_files(struct store_index *, const char *,
		    char ***, size_t *);
enum store_status store_index_dir_subdirs(struct store_index *,
		    const char *, char ***, size_t *);
void		 store_free_names(char **, size_t);
/* Forgets a directory (it was removed from disk). */
enum store_status store_index_dir_remove(struct store_index *, const char *);
/*
 * Writes are grouped: begin, many add/remove, end.  An interrupted batch
 * leaves the database as it was before begin.
 */
enum store_status store_index_begin(struct store_index *);
enum store_status store_index_end(struct store_index *);
/*
 * Adds a file.  A new message gets the new-mail tags and then its Maildir
 * flags (when synchronising); a second file of a known message only
 * updates the tags from flags.  *is_new (may be NULL) says which.
 */
enum store_status store_index_add_file(struct store_index *, const char *,
		    int *, char **);
/* Removes a file; the message goes when its last file goes, else its
 * tags are re-read from the remaining files' flags.  A file the index
 * does not know is not an error. */
enum store_status store_index_remove_file(struct store_index *,
		    const char *);
/* Adds and removes tags (NULL-terminated lists, may be NULL) of the
 * message with that Message-ID; files are renamed to follow the flags
 * when the index synchronises them. */
enum store_status store_index_tag_message(struct store_index *,
		    const char *, char *const *, char *const *, char **);

/* Queries.  Syntax errors come back as STORE_EQUERY with the cause. */
enum store_sort {
	STORE_SORT_NEWEST_FIRST,
	STORE_SORT_OLDEST_FIRST,
	STORE_SORT_NONE,	/* the index's own order: the cheapest */
};
enum store_status store_index_count_messages(struct store_index *,
		    const char *, unsigned int *, char **);
enum store_status store_index_count_threads(struct store_index *,
		    const char *, unsigned int *, char **);

/*
 * A lazy iterator over the threads of a query: each call to
 * store_threads_next() builds one thread summary, so the first screen
 * never waits for the whole result.  All strings are UTF-8 and
 * unsanitised.
 */
struct store_thread {
	char		*thread_id;
	time_t		 newest;
	time_t		 oldest;
	char		*authors;	/* "A, B| C": matched | unmatched */
	char		*subject;
	unsigned int	 matched;
	unsigned int	 total;
	char		**tags;		/* sorted */
	size_t		 n_tags;
};
struct store_threads;
enum store_status store_index_search_threads(struct store_index *,
		    const char *, enum store_sort, struct store_threads **,
		    char **);
/* 1 and fills t (release with store_thread_release()), or 0 at the end. */
int		 store_threads_next(struct store_threads *, struct store_thread *);
void		 store_threads_free(struct store_threads *);	/* NULL ok */
void		 store_thread_release(struct store_thread *);

/* One message, as the pager and "search --output=messages" need it.
 * message_id and the file names are byte-exact, to find it again; the
 * other strings are UTF-8 (invalid bytes become U+FFFD), unsanitised. */
struct store_message {
	char		*message_id;
	char		*thread_id;
	char		*filename;	/* the first file */
	char		**filenames;	/* all files */
	size_t		 n_filenames;
	time_t		 date;
	char		*from;
	char		*to;
	char		*subject;
	char		**tags;
	size_t		 n_tags;
	unsigned int	 depth;		/* in the thread tree, 0 = top */
	int		 matched;	/* matches the thread's query */
};
void		 store_message_release(struct store_message *);
/* prefix:"value" quoted for a notmuch query; the caller frees it. */
char		*store_query_term(const char *, const char *);
/* One message by Message-ID (release it); STORE_ENOENT when unknown. */
enum store_status store_index_find_message(struct store_index *,
		    const char *, struct store_message *, char **);
/* Every tag in the index, sorted; free with store_free_names(). */
enum store_status store_index_all_tags(struct store_index *, char ***,
		    size_t *);
struct store_messages;
enum store_status store_index_search_messages(struct store_index *,
		    const char *, enum store_sort, struct store_messages **,
		    char **);
int		 store_messages_next(struct store_messages *,
		    struct store_message *);
void		 store_messages_free(struct store_messages *);	/* NULL ok */
/*
 * The messages of a thread in reading order (depth-first through the
 * reply tree, siblings by date), with depth set; matched is set for those
 * that match query (NULL: all) and are not excluded.  A thread that no
 * longer exists gives no messages.  The caller frees the array with
 * store_message_array_free().
 */
enum store_status store_index_thread_messages(struct store_index *,
		    const char *, const char *, struct store_message **,
		    size_t *, char **);
void		 store_message_array_free(struct store_message *, size_t);

/*
 * For caches built from the index (the address book): the revision, a
 * counter every committed change raises, and the UUID of the database it
 * counts in (*uuid, may be NULL, the caller's); revisions of two UUIDs
 * cannot be compared.  "lastmod:A..B" queries the messages changed
 * between two revisions.
 */
unsigned long	 store_index_revision(struct store_index *, char **);
/*
 * A light walk over the messages of a query, in no particular order:
 * each step gives what the database itself holds, and no file is read.
 * The strings are borrowed until the next step; from is UTF-8 (invalid
 * bytes become U+FFFD), decoded, unsanitised, "" when there is none.
 * store_envelopes_filename() gives the first file of the message of the
 * last step (borrowed likewise; NULL on a database error), for a caller
 * that must read more of it.
 */
struct store_envelope {
	const char	*message_id;
	const char	*from;
	time_t		 date;
};
struct store_envelopes;
enum store_status store_index_search_envelopes(struct store_index *,
		    const char *, struct store_envelopes **, char **);
int		 store_envelopes_next(struct store_envelopes *,
		    struct store_envelope *);
const char	*store_envelopes_filename(struct store_envelopes *);
void		 store_envelopes_free(struct store_envelopes *); /* NULL ok */

/*
 * store/maildir.c: crash-safe Maildir writes.  A message is written to
 * tmp/, fsynced, renamed into cur/ (or new/) and the directory fsynced,
 * so after a crash it is either whole in place or absent (an orphan in
 * tmp/ is removed by maildir_clean_tmp()).  File names are
 *
 *	<time>.<unique>,U=<uid>:2,<flags>
 *
 * the ",U=<uid>" part only for messages with a server UID (as mbsync
 * writes them, so the UID map survives a lost state file), flags in
 * ASCII order.
 */
enum maildir_flags {
	MAILDIR_DRAFT = 1 << 0,		/* D */
	MAILDIR_FLAGGED = 1 << 1,	/* F */
	MAILDIR_PASSED = 1 << 2,	/* P */
	MAILDIR_REPLIED = 1 << 3,	/* R */
	MAILDIR_SEEN = 1 << 4,		/* S */
	MAILDIR_TRASHED = 1 << 5,	/* T */
};
/* mkdir -p of dir and its cur/, new/ and tmp/. */
enum store_status maildir_create(const char *, char **);
/*
 * Delivers data into the Maildir dir: into new/ when flags is -1, else
 * into cur/ with those flags; uid 0 writes no ",U=".  *path (may be NULL)
 * gets the final path.
 */
enum store_status maildir_deliver(const char *, const void *, size_t, int,
		    uint32_t, char **, char **);
/*
 * Renames a file to carry flags (and uid, when not 0; with uid 0 the
 * ",U=" part is kept as it was) inside the same folder, moving it from
 * new/ to cur/; *newpath gets the new path.  Unknown flag letters in the
 * old name are kept.  For this and maildir_move(): STORE_ENOENT when the
 * file is gone (another program renamed it), STORE_EIO for any other
 * failure; after a failed fsync the file may already carry its new name.
 */
enum store_status maildir_set_flags(const char *, int, uint32_t, char **,
		    char **);
/*
 * Moves a file into another Maildir's cur/ with the same flags; the
 * ",U=" part is dropped (or replaced when uid is not 0) as UIDs are per
 * folder.  The destination directory is fsynced before the source.
 */
enum store_status maildir_move(const char *, const char *, uint32_t,
		    char **, char **);
/* The flags and the UID (0: none) a file name carries. */
int		 maildir_name_flags(const char *);
uint32_t	 maildir_name_uid(const char *);
/*
 * Calls fn for each message file in cur/ and new/ of dir (name relative
 * to dir, like "cur/1.2,U=5:2,S"), in no particular order.  fn returning
 * non-zero stops the walk with that value.
 */
int		 maildir_walk(const char *, int (*)(const char *, void *),
		    void *, char **);
/*
 * The Maildirs under root, relative to it ("" for root itself), sorted:
 * what notmuch's folder: term takes.  Hidden directories are skipped.
 * Free with store_free_names().
 */
void		 maildir_list(const char *, char ***, size_t *);
/* Removes files in tmp/ older than a day (left by a crash). */
void		 maildir_clean_tmp(const char *);

/*
 * store/syncstate.c: what a folder looked like on the server when it was
 * last in step with the local copy: UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ
 * and, per UID, the flags both sides agreed on (enum maildir_flags), so
 * a later difference shows which side changed.  Saved atomically (tmp
 * file, fsync, rename); a missing file is an empty state.
 */
struct syncstate_entry {
	uint32_t	 uid;
	int		 flags;
};
struct syncstate {
	uint32_t		 uidvalidity;
	uint32_t		 uidnext;
	uint64_t		 highestmodseq;
	struct syncstate_entry	*v;	/* sorted by uid */
	size_t			 n;
	size_t			 size;
};
void		 syncstate_init(struct syncstate *);
void		 syncstate_release(struct syncstate *);
void		 syncstate_clear_entries(struct syncstate *);
enum store_status syncstate_load(struct syncstate *, const char *, char **);
enum store_status syncstate_save(const struct syncstate *, const char *,
		    char **);
/* NULL when uid is not there; borrowed until the next change. */
struct syncstate_entry *syncstate_find(struct syncstate *, uint32_t);
/* Inserts or updates; UID 0 (no UID) is ignored.  Increasing UIDs are
 * appended in amortised constant time. */
void		 syncstate_set(struct syncstate *, uint32_t, int);
void		 syncstate_remove(struct syncstate *, uint32_t);

#endif /* STORE_STORE_H */
