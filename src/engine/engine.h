/*
 * engine: where the libraries meet (sync workers, outbox, ingest).
 */
#ifndef ENGINE_ENGINE_H
#define ENGINE_ENGINE_H

#include <signal.h>
#include <time.h>

struct buf;
struct cal_cal;
struct cal_calstore;
struct config;
struct config_account;
struct engine_cancel;
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
 *
 * A new message that carries a calendar part (engine_calendar_has_parts)
 * is applied to the default calendar store ("default" under
 * $XDG_DATA_HOME/satchel/calendars), opened on first need; a calendar
 * that fails is logged and never stops the scan either.
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
	unsigned int	 calendars;	/* new messages whose calendar parts
					   went to the calendar store */
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

/*
 * engine/calendar.c: the iCalendar parts of mail (text/calendar,
 * application/ics, attachments named *.ics) into a calendar store.
 * engine_calendar_has_parts() is the cheap test ingest runs on every new
 * message: a byte scan for those words, no parse.  apply_file() runs
 * every part of a message through cal_calstore_apply() with the
 * message's Message-ID as the link back; *found (may be NULL) counts the
 * parts; what (may be NULL) gets a line per UID.  A part that fails is
 * reported in *cause after the others were applied.  import() takes a
 * .ics file or a message file.  engine_calendar_message() parses the
 * calendars of a message for the invitation card (parts that do not
 * parse are left out); free them with engine_calendar_free(); *msgid
 * (may be NULL) gets the Message-ID without brackets, or NULL.
 */
int	engine_calendar_has_parts(const char *);
int	engine_calendar_apply_file(struct cal_calstore *, const char *,
	    struct buf *, size_t *, char **);
int	engine_calendar_import(struct cal_calstore *, const char *,
	    struct buf *, char **);
int	engine_calendar_message(const char *, struct cal_cal ***, size_t *,
	    char **, char **);
void	engine_calendar_free(struct cal_cal **, size_t);

/*
 * engine/sync.c: an IMAP account brought in step with its Maildirs (see
 * the comment at the top of sync.c for the order of writes that makes a
 * crash harmless).  The index is the caller's to update afterwards with
 * engine_ingest_scan().  engine/pop.c does the same for POP3.
 */
struct engine_sync_stats {
	unsigned int	 folders;	/* folders completed */
	unsigned int	 fetched;	/* messages downloaded */
	unsigned int	 uploaded;	/* local messages appended */
	unsigned int	 flags_pushed;	/* messages whose flags went up */
	unsigned int	 flags_pulled;	/* ... came down */
	unsigned int	 expunged;	/* local files removed */
	unsigned int	 replayed;	/* journal entries sent */
	unsigned int	 skipped;	/* messages the server sent oddly */
	unsigned int	 deleted;	/* POP3: deleted on the server */
	unsigned int	 done;		/* current folder: downloaded ... */
	unsigned int	 total;		/* ... of this many */
	int		 refused;	/* the server refused the login */
};
struct engine_sync_opts {
	/* Called as the sync moves on; folder is the current one. */
	void		(*progress)(const struct engine_sync_stats *,
			    const char *, void *);
	void		*arg;
	volatile sig_atomic_t *stop;	/* non-zero stops between messages */
	const char	*password;	/* NULL: the account's command */
	/* NULL, or where another thread can cancel the connection. */
	struct engine_cancel *cancel;
};
int	 engine_sync_imap(const struct config *,
	    const struct config_account *, const struct engine_sync_opts *,
	    struct engine_sync_stats *, char **);
int	 engine_sync_pop(const struct config *,
	    const struct config_account *, const struct engine_sync_opts *,
	    struct engine_sync_stats *, char **);
/* The account's Maildir tree and state directory; the caller frees. */
char	*engine_account_root(const struct config *,
	    const struct config_account *);
char	*engine_account_statedir(const struct config_account *);

/*
 * engine/worker.c: a thread per IMAP or POP3 account while the interface
 * runs: sync (replaying the journal), index, then IDLE on INBOX (or look
 * again every five minutes); failures are retried after 10 s, doubling
 * up to five minutes.  Each round starts by flushing the account's
 * outbox (engine_outbox_flush()), so engine_workers_kick() after
 * engine_outbox_queue() sends; mail that stays queued for a temporary
 * reason is tried again after the retry delay.  An account that only
 * sends (a Maildir account with smtp_host or sendmail_command) has a
 * worker that only flushes.  The workers report through events; the caller
 * reads them when engine_workers_fd() is readable.  Event text comes
 * from servers too: sanitise it before showing it.
 */
enum engine_event_kind {
	ENGINE_EVENT_STATUS,	/* what the worker does now */
	ENGINE_EVENT_CHANGED,	/* mail changed: re-read the index; the
				   text says what came from the server, or
				   is "" */
	ENGINE_EVENT_ERROR,	/* a round failed: why */
	ENGINE_EVENT_PASSWORD,	/* the account has no password_command:
				   ask (the text is the question) and
				   answer with engine_workers_password() */
	ENGINE_EVENT_SENT,	/* the outbox was flushed: "sent: <subject>",
				   "queued: <reason>" (tried again later)
				   or "not sent: <reason>" (refused for
				   good), a message at a time */
};
struct engine_event {
	enum engine_event_kind	 kind;
	char			*account;
	char			*text;
};
struct engine_workers;
/*
 * Starts the workers (none for Maildir-only configurations).  open_rw
 * opens the index read-write for one ingest, from a worker thread.
 * cfg is borrowed until engine_workers_stop().
 */
struct engine_workers *engine_workers_start(const struct config *,
	    int (*)(struct store_index **, char **), char **);
int	 engine_workers_fd(const struct engine_workers *);	/* NULL: -1 */
size_t	 engine_workers_count(const struct engine_workers *);
/* 1 and the oldest event (release it), or 0 when none waits. */
int	 engine_workers_next(struct engine_workers *, struct engine_event *);
void	 engine_event_release(struct engine_event *);
/* Sync now (account NULL: all), or drop the connection in progress;
 * both return how many workers they reached. */
int	 engine_workers_kick(struct engine_workers *, const char *);
int	 engine_workers_cancel(struct engine_workers *, const char *);
/* The answer to ENGINE_EVENT_PASSWORD (NULL: the user declined; the
 * worker then waits for a kick).  Kept in memory until a login with it
 * is refused or the workers stop. */
int	 engine_workers_password(struct engine_workers *, const char *,
	    const char *);
/* Stops and joins every worker, then frees; NULL ok. */
void	 engine_workers_stop(struct engine_workers *);

/*
 * engine/jobs.c: one background thread that runs the index writes (and
 * the reads that must follow them) the interface asks for, one at a time
 * in the order they were queued, so a key never waits for them.  When a
 * job has run, engine_jobs_fd() becomes readable and
 * engine_jobs_dispatch() runs its done step on the caller's thread,
 * oldest first; the next job starts only after that.  run must not touch
 * what the caller's thread uses (the screen, the caller's index handle).
 */
struct engine_job_ops {
	void	(*run)(void *);		/* on the jobs thread */
	void	(*done)(void *);	/* on the caller's, by dispatch */
	void	(*drop)(void *);	/* instead of done, by stop */
};
struct engine_jobs;
struct engine_jobs *engine_jobs_start(char **);
int	 engine_jobs_fd(const struct engine_jobs *);	/* NULL: -1 */
/* Queues a job after every job queued before it; ops is borrowed. */
void	 engine_jobs_add(struct engine_jobs *, const struct engine_job_ops *,
	    void *);
/* Runs the done step of every job that has run; how many (NULL: 0). */
size_t	 engine_jobs_dispatch(struct engine_jobs *);
/* How many jobs are queued or running (NULL: 0). */
size_t	 engine_jobs_busy(struct engine_jobs *);
/* Dispatches until no job is left, including those the done steps
 * queue (NULL: returns). */
void	 engine_jobs_drain(struct engine_jobs *);
/* Runs what is still queued, ends the thread, drops each job whose done
 * step did not run, and frees.  NULL ok. */
void	 engine_jobs_stop(struct engine_jobs *);

/*
 * engine/action.c: user actions on the messages a query matches, applied
 * to the local files and the index at once and, for messages of an IMAP
 * account, written to that account's journal first so that the next sync
 * replays them on the server.
 *
 * engine_action_tag() adds and removes tags (flags follow, when the index
 * synchronises them); a message that already has them is left alone.
 * engine_action_move() moves each message file into folder of its own
 * account (relative to the account's Maildir tree; for mail outside any
 * account, relative to the mail root); "archive" and "trash" as folder
 * mean the account's archive_folder and trash_folder (outside accounts,
 * the global ones).  *count gets the number of messages changed.
 *
 * With change not NULL, each notes there what it really did, so that
 * engine_action_undo() can take it back: the tags each message gained
 * and lost, where each file came from.  Several actions may note into
 * one change (archive is a tag change and a move); undo takes them back
 * newest first.  A move whose journal entry is still pending is undone
 * by cancelling the entry (the server never sees it); one already done
 * on the server is moved back.  Messages that went away since are
 * skipped.  On failure the change may be partly undone.
 */
struct engine_change;
struct engine_change *engine_change_new(void);
void	 engine_change_free(struct engine_change *);	/* NULL ok */
int	 engine_change_empty(const struct engine_change *);
/* The Message-ID of a message whose tags it changed, or NULL. */
const char *engine_change_message(const struct engine_change *);
int	 engine_action_tag(const struct config *, struct store_index *,
	    const char *, char *const *, char *const *,
	    struct engine_change *, unsigned int *, char **);
int	 engine_action_move(const struct config *, struct store_index *,
	    const char *, const char *, struct engine_change *,
	    unsigned int *, char **);
int	 engine_action_undo(const struct config *, struct store_index *,
	    const struct engine_change *, unsigned int *, char **);

/*
 * engine/outbox.c: mail to send, queued crash-safely in the account's
 * outbox (the Maildir "<account tree>/.outbox") before it is sent, and
 * kept there until the server (or sendmail_command) accepted it; then
 * the file becomes the copy in sent_folder, or goes when save_sent = no.
 * A crash after the server's acceptance and before that rename sends the
 * message once more: a duplicate at worst, never a loss.
 *
 * engine_outbox_queue() checks that the message has recipients, then
 * writes it (tmp/, fsync, rename); *path (may be NULL) gets its file.
 * It does not send: engine_outbox_flush() does, for one account or
 * (account NULL) every account that sends.  Each message goes to the
 * addresses of its To, Cc and Bcc, from the account's email (else its
 * From), without its Bcc header (which the queued file and the Sent copy
 * keep).  A message that could not go stays queued with the reason
 * recorded beside it, which engine_outbox_list() reads back for the
 * interface ("queued: <reason>").  flush returns -1 only when an outbox
 * cannot be read; what stayed queued is in the stats and the reports.
 */
struct engine_outbox_item {
	const char	*account;	/* borrowed from the config */
	char		*path;		/* the queued file */
	char		*subject;	/* UTF-8 from the mail, or NULL */
	char		*rcpts;		/* "a@example.com, b@example.org" */
	char		*reason;	/* why it is queued; NULL: not tried */
	int		 permanent;	/* refused for good: fix and resend */
	time_t		 tried;		/* when it was last tried */
};
struct engine_outbox_stats {
	unsigned int	 sent;
	unsigned int	 queued;	/* still in the outbox */
	unsigned int	 permanent;	/* ... of those refused for good */
	unsigned int	 busy;		/* outboxes another process flushes */
	int		 refused;	/* the SMTP login was refused */
};
struct engine_outbox_opts {
	/* Called for each message tried; item is borrowed for the call. */
	void		(*report)(const struct engine_outbox_item *, int,
			    void *);
	void		*arg;
	const char	*password;	/* NULL: smtp_password_command */
	volatile sig_atomic_t *stop;	/* non-zero: no further message */
	/* NULL, or where another thread can cancel the SMTP session. */
	struct engine_cancel *cancel;
};
/* The outbox Maildir of an account; the caller frees it. */
char	*engine_outbox_dir(const struct config *,
	    const struct config_account *);
int	 engine_outbox_queue(const struct config *,
	    const struct config_account *, const char *, size_t, char **,
	    char **);
/* opts may be NULL. */
int	 engine_outbox_flush(const struct config *, const char *,
	    const struct engine_outbox_opts *, struct engine_outbox_stats *,
	    char **);
/* Every queued message, oldest first per account; free the array with
 * engine_outbox_items_free(). */
int	 engine_outbox_list(const struct config *, const char *,
	    struct engine_outbox_item **, size_t *, char **);
void	 engine_outbox_items_free(struct engine_outbox_item *, size_t);

/*
 * engine/outbox.c, drafts.  The editor file of a message being composed
 * is kept in $XDG_STATE_HOME/satchel/drafts/ (the directory mode 0700,
 * each file 0600, written whole and fsynced) until it is sent, postponed
 * or aborted, so that it survives a crash of satchel.
 * engine_draft_new() writes a new one and gives its path (the caller's);
 * engine_draft_list() gives the paths of those left, oldest first (free
 * them with config_free_list()); none when the directory does not exist.
 *
 * engine_outbox_postpone() writes a built message into the account's
 * drafts_folder Maildir with the Draft and Seen flags (tmp/, fsync,
 * rename), where the next sync uploads it like any local message; *path
 * (may be NULL) gets its file.  engine_outbox_drafts_dir() is that
 * Maildir (NULL when drafts_folder cannot be a folder name).
 */
char	*engine_draft_dir(void);
int	 engine_draft_new(const char *, size_t, char **, char **);
int	 engine_draft_list(char ***, size_t *, char **);
char	*engine_outbox_drafts_dir(const struct config *,
	    const struct config_account *);
int	 engine_outbox_postpone(const struct config *,
	    const struct config_account *, const char *, size_t, char **,
	    char **);

/*
 * engine/addrbook.c: the address book, for completing addresses.  The
 * addresses seen in mail, ranked by a score that counts each message
 * (the user's own mail to an address more than mail from it) and halves
 * with every 90 days of its age; built from the index and cached in
 * $XDG_CACHE_HOME/satchel/addresses (see the comment at the top of
 * addrbook.c), and optionally what the user's query_command finds.
 *
 * engine_addrbook_open() reads the cache (path NULL: the default; a
 * damaged one is dropped, with a warning in the log) and takes the own
 * addresses from the accounts' email keys of cfg (NULL: none); it does
 * not fail.  engine_addrbook_update() brings it in step with idx: nothing
 * when the index's revision did not move, the changed messages when it
 * did, everything when it must; the cache is then rewritten (a failure to
 * write is only logged).  -1 with *cause when the index fails.
 *
 * engine_addrbook_query() gives the addresses whose address or one of
 * whose name's words starts with word (case-insensitive; "" matches
 * all), best first, at most limit.  engine_addrbook_lookup() adds what
 * command (query_command, NULL or "": none) prints for word, after the
 * local ones and without those already there (ab may be NULL: the
 * command alone); when the command fails, it returns -1 with *cause and
 * still fills in the local ones.  engine_addrbook_external() runs the
 * command alone: %s in it becomes word, shell-quoted (without a %s the
 * word is appended), it runs with SATCHEL_QUERY_COMMAND=1 in its
 * environment, for at most 10 seconds, and its output is read as mutt
 * reads it: a line of status, then "address<TAB>name<TAB>other" lines;
 * a non-zero exit is a failure whose cause quotes that first line.
 * engine_addrbook_parse_query() parses such output (the tests use it
 * alone): it appends at most limit addresses, unique, and returns the
 * number of lines it skipped because they hold no valid address.
 * Arrays of struct engine_address are the caller's, freed with
 * engine_addresses_free().
 *
 * Every address and name comes out cleaned: addresses are one word of
 * valid UTF-8 with one '@', no white space, control, bidi or invisible
 * character and none of <>()[],;:"\, at most ENGINE_ADDRESS_MAX bytes
 * (others are dropped); names have no control, bidi or invisible
 * character, runs of white space folded to one space, at most
 * ENGINE_NAME_MAX bytes (cut at a character).
 */
#define ENGINE_ADDRESS_MAX	254
#define ENGINE_NAME_MAX		200
struct engine_address {
	char		*address;
	char		*name;		/* "" when none */
	char		*other;		/* query_command's third field, or "" */
	double		 score;		/* 0 for query_command's */
	unsigned int	 count;		/* messages it was seen in */
	unsigned int	 sent;		/* ... of those, the user's mail to it */
	time_t		 last;		/* the newest of those; 0: none */
};
struct engine_addrbook_stats {
	int		 cache;		/* at open: 1 read, 0 none, -1 damaged */
	int		 full;		/* the last update read everything */
	unsigned int	 messages;	/* ... counted this many messages */
	unsigned int	 sent_read;	/* ... of which the user's own */
	size_t		 addresses;	/* in the table now */
};
struct engine_addrbook;
struct engine_addrbook *engine_addrbook_open(const struct config *,
	    const char *);
void	 engine_addrbook_free(struct engine_addrbook *);	/* NULL ok */
int	 engine_addrbook_update(struct engine_addrbook *, struct store_index *,
	    char **);
const struct engine_addrbook_stats *engine_addrbook_stats(
	    const struct engine_addrbook *);
/* $XDG_CACHE_HOME/satchel/addresses (or ~/.cache/...); the caller's. */
char	*engine_addrbook_default_path(void);
void	 engine_addrbook_query(struct engine_addrbook *, const char *, size_t,
	    struct engine_address **, size_t *);
int	 engine_addrbook_lookup(struct engine_addrbook *, const char *, size_t,
	    const char *, struct engine_address **, size_t *, char **);
int	 engine_addrbook_external(const char *, const char *, size_t,
	    struct engine_address **, size_t *, char **);
size_t	 engine_addrbook_parse_query(const char *, size_t, size_t,
	    struct engine_address **, size_t *);
void	 engine_addresses_free(struct engine_address *, size_t);
/*
 * A header value (decoded, as notmuch gives From) read as a list of
 * mailboxes: fn gets each one's cleaned address and name (borrowed for
 * the call); mailboxes without a valid address are skipped, group names
 * are not mailboxes, and at most 1000 mailboxes of the first 64 KiB are
 * read.
 */
void	 engine_addrbook_parse_list(const char *,
	    void (*)(const char *, const char *, void *), void *);
/* The cleaners above, on len bytes of s: a new string; an invalid address
 * gives NULL, a name never fails (it may become ""). */
char	*engine_addrbook_clean_address(const char *, size_t);
char	*engine_addrbook_clean_name(const char *, size_t);
/* "Name <address>" with the name quoted when RFC 5322 wants it, or the
 * bare address when name is NULL or ""; the caller's. */
char	*engine_address_format(const char *, const char *);

#endif /* ENGINE_ENGINE_H */
