/*
 * core: the vocabulary every other module shares.  Memory, growable
 * buffers, logging, text sanitising for the terminal, paths and the
 * configuration file.  core/ includes nothing else of ours.
 */
#ifndef CORE_CORE_H
#define CORE_CORE_H

#include <sys/types.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define PRINTFLIKE(a, b) __attribute__((format(printf, a, b)))
#define NORETURN __attribute__((noreturn))

/* compat/: functions glibc 2.36 lacks, replaced at configure time. */
#ifndef HAVE_STRLCPY
size_t	 strlcpy(char *, const char *, size_t);
#endif
#ifndef HAVE_STRLCAT
size_t	 strlcat(char *, const char *, size_t);
#endif
#ifndef HAVE_STRTONUM
long long strtonum(const char *, long long, long long, const char **);
#endif
#ifndef HAVE_REALLOCARRAY
void	*reallocarray(void *, size_t, size_t);
#endif

/*
 * core/xmalloc.c: allocation that cannot fail.  Running out of memory is a
 * broken invariant, so these call fatalx() instead of returning NULL.
 * Everything they return is the caller's to free().
 */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...) PRINTFLIKE(2, 3);
int	 xvasprintf(char **, const char *, va_list) PRINTFLIKE(2, 0);
/* Sets *cause (when cause is not NULL) to a formatted message. */
void	 xcause(char **, const char *, ...) PRINTFLIKE(2, 3);

/*
 * core/buf.c: a growable byte buffer.  After buf_init() data is never NULL
 * and is always NUL-terminated; len is the truth and may count embedded
 * NULs.  buf_detach() hands the memory to the caller and leaves the buf
 * released: buf_init() it again before reuse.
 */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 size;
};
void	 buf_init(struct buf *);
void	 buf_release(struct buf *);
void	 buf_clear(struct buf *);	/* keeps the allocation, len = 0 */
void	 buf_grow(struct buf *, size_t);	/* room for n more bytes */
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_addstr(struct buf *, const char *);
void	 buf_addch(struct buf *, int);
void	 buf_printf(struct buf *, const char *, ...) PRINTFLIKE(2, 3);
void	 buf_vprintf(struct buf *, const char *, va_list) PRINTFLIKE(2, 0);
void	 buf_truncate(struct buf *, size_t);
char	*buf_detach(struct buf *, size_t *);	/* length may be NULL */
/* Reads a whole file, at most max bytes; -1 with *cause on failure. */
int	 buf_read_file(struct buf *, const char *, size_t, char **);

/*
 * core/log.c: the log goes to a file (satchel-<pid>.log under the state
 * directory) only when -v was given, never to the terminal while curses
 * runs.  Before log_open() warnings go to stderr.  Every logged line is
 * escaped (\xNN) so text from mail cannot reach a terminal through "tail".
 * log_warn() appends strerror(errno); log_warnx() does not.
 */
enum log_trace {
	LOG_IMAP = 1 << 0,
	LOG_POP = 1 << 1,
	LOG_SMTP = 1 << 2,
};
void	 log_init(const char *, int);	/* name, verbosity 0..2 */
int	 log_open(const char *, char **);	/* the log's directory */
void	 log_close(void);
void	 log_set_stderr(int);	/* 0 while curses owns the terminal */
void	 log_debug(const char *, ...) PRINTFLIKE(1, 2);
void	 log_info(const char *, ...) PRINTFLIKE(1, 2);
void	 log_warn(const char *, ...) PRINTFLIKE(1, 2);
void	 log_warnx(const char *, ...) PRINTFLIKE(1, 2);
void	 log_trace(enum log_trace, const char *, ...) PRINTFLIKE(2, 3);
void	 fatal(const char *, ...) PRINTFLIKE(1, 2) NORETURN;
void	 fatalx(const char *, ...) PRINTFLIKE(1, 2) NORETURN;
/* Called by fatal() before exiting, so curses can restore the terminal. */
void	 log_set_fatal_hook(void (*)(void));

/*
 * core/text.c: untrusted text on its way to a sink.  All text from mail or
 * servers is UTF-8 by the time it gets here (mime/ converts); invalid
 * sequences become U+FFFD.  text_sanitize() returns a new string the caller
 * frees:
 *   - C0, DEL and C1 controls are removed, TAB becomes spaces (to the next
 *     multiple of 8 with TEXT_MULTILINE, one space otherwise);
 *   - LF survives only with TEXT_MULTILINE, CR is dropped; one-line text
 *     folds CR, LF and runs of white space to one space;
 *   - bidi and invisible characters (U+00AD, U+061C, U+200B-U+200F,
 *     U+202A-U+202E, U+2060-U+2069, U+FEFF) are dropped from one-line
 *     text; with TEXT_VISIBLE they and any control character become a
 *     visible "<U+202E>" wrapped in TEXT_MARK_START/TEXT_MARK_END so the
 *     renderer can draw them in the warning colour;
 *   - characters the locale cannot show (wcwidth() < 0, or anything outside
 *     ASCII when the locale is not UTF-8) become U+FFFD or '?'.
 * The result never holds an escape sequence.
 */
enum text_sanitize_flags {
	TEXT_MULTILINE = 1 << 0,
	TEXT_VISIBLE = 1 << 1,
};
#define TEXT_MARK_START	'\001'
#define TEXT_MARK_END	'\002'
void	 text_init(void);	/* after setlocale(): is it UTF-8? */
int	 text_locale_utf8(void);
char	*text_sanitize(const char *, size_t, int);
/*
 * UTF-8 checks for every module: the length of the well-formed sequence
 * at p (at most left bytes; no overlongs, surrogates or code points past
 * U+10FFFF), or 0 when there is none.  NUL counts as a 1-byte sequence.
 */
size_t	 text_utf8_len(const void *, size_t);
/* Appends s to b with each NUL and each byte of a malformed sequence
 * replaced by U+FFFD, so the result is valid UTF-8 and a C string. */
void	 text_utf8_repair(struct buf *, const char *, size_t);
#define TEXT_REPLACEMENT_UTF8	"\357\277\275"	/* U+FFFD */
/* Removes the TEXT_MARK_* bytes in place (for plain-text sinks). */
void	 text_strip_marks(char *);
/* Display columns of a sanitised string (marks count as zero). */
size_t	 text_width(const char *);
/*
 * Appends s to b cut or padded with spaces to exactly cols columns; a cut
 * string ends in "…" (or "~" outside UTF-8).  s must be sanitised.
 */
void	 text_fit(struct buf *, const char *, size_t, int);
enum text_fit_flags {
	TEXT_FIT_PAD = 1 << 0,
	TEXT_FIT_RIGHT = 1 << 1,	/* pad on the left */
};
/* Makes a safe file name from an attachment name: never empty. */
char	*text_sanitize_filename(const char *, size_t);
/* Escapes for a log line: printable ASCII stays, the rest is \xNN. */
void	 text_escape_log(struct buf *, const char *, size_t);

/*
 * core/date.c: dates for lists (short, relative to now, local time) and
 * for scripts (ISO 8601 in UTC).
 */
time_t	 date_now(void);	/* SATCHEL_NOW overrides, for tests */
void	 date_short(struct buf *, time_t, time_t);
void	 date_iso(struct buf *, time_t);

/*
 * core/json.c: JSON output.  Strings are escaped so the output is valid
 * JSON and holds no raw control character, whatever the input.
 */
void	 json_string(struct buf *, const char *);

/*
 * core/path.c: XDG locations and "~" expansion.  Returned strings are the
 * caller's.  path_expand() turns "~/x" into "$HOME/x"; other paths are
 * copied unchanged.
 */
char	*path_expand(const char *);
char	*path_config_home(void);	/* $XDG_CONFIG_HOME or ~/.config */
char	*path_data_home(void);	/* $XDG_DATA_HOME, ~/.local/share */
char	*path_state_home(void);	/* $XDG_STATE_HOME, ~/.local/state */
/* mkdir -p with mode; -1 with *cause on failure. */
int	 path_mkdirs(const char *, mode_t, char **);
char	*path_join(const char *, const char *);
/* The directory part of a path: "." when there is no slash. */
char	*path_dirname(const char *);
/*
 * Crash safety for every module that writes files.  Each returns 0, or -1
 * with errno kept and *cause naming the path and strerror().
 * path_fsync_dir() makes the creates, renames and removals in a directory
 * durable.  path_write_full() writes all n bytes to fd (retrying short
 * writes and EINTR).  path_write_file() creates a file with mode (with
 * O_EXCL when excl is not 0, else truncating), writes it whole and fsyncs
 * it; on failure it removes what it created.  path_write_atomic() replaces
 * a file so that after a crash it is either old or new: it writes
 * "PATH.tmp.<pid>", renames it over PATH and fsyncs the directory; two
 * threads of one process must not replace the same file at once.
 */
int	 path_fsync_dir(const char *, char **);
int	 path_write_full(int, const void *, size_t);
int	 path_write_file(const char *, const void *, size_t, mode_t, int,
	    char **);
int	 path_write_atomic(const char *, const void *, size_t, mode_t,
	    char **);

/*
 * core/config.c: the configuration file, see satchel.conf(5).  The file
 * is "key = value" lines, with "[account NAME]" sections for accounts.
 * A bad line fails the whole load with "FILE:LINE: what was expected".
 */
enum config_account_type {
	CONFIG_ACCOUNT_MAILDIR,
	CONFIG_ACCOUNT_IMAP,
	CONFIG_ACCOUNT_POP,
};
enum config_tls {
	CONFIG_TLS_IMPLICIT,
	CONFIG_TLS_STARTTLS,
	CONFIG_TLS_NONE,
};
struct config_account {
	char			*name;
	enum config_account_type type;
	char			*host;
	unsigned int		 port;	/* 0: the protocol's */
	char			*user;
	char			*password_command;
	enum config_tls		 tls;
	char			*tls_ca_file;
	char			*tls_fingerprint;	/* SHA-256, 64 hex digits */
	int			 allow_plaintext;
	int			 timeout;	/* seconds per read or write */
	char			*email;
	char			*realname;
	char			*folder;	/* under mail_root */
	char			*archive_folder;
	char			*trash_folder;
	int			 pop_leave_on_server;
	int			 pop_delete_after_days;	/* 0: never */
	/*
	 * Sending (any account type; a "maildir" account with smtp_host or
	 * sendmail_command only sends).  After a successful load the
	 * defaults are filled in: smtp_port from smtp_tls (465 implicit,
	 * 587 starttls, 25 none), smtp_tls from smtp_port (465: implicit,
	 * else starttls), smtp_user from user (NULL: no AUTH),
	 * smtp_password_command from password_command, ehlo_name from the
	 * domain of email.
	 */
	char			*smtp_host;	/* NULL: no SMTP */
	unsigned int		 smtp_port;
	enum config_tls		 smtp_tls;
	char			*smtp_user;
	char			*smtp_password_command;
	char			*ehlo_name;
	char			*sendmail_command;	/* instead of SMTP */
	int			 save_sent;	/* copy to sent_folder */
	char			*sent_folder;
	char			*drafts_folder;
	char			*signature;	/* file, or NULL */
	char			*query_command;	/* addresses; NULL: global */
	int			 have_smtp_tls;	/* set in the file */
	int			 line;	/* where the section starts */
};
/* A saved search: a name in the sidebar for a query. */
struct config_search {
	char			*name;
	char			*query;
};
struct config {
	char			*path;	/* the file read, or NULL */
	char			*mail_root;
	char			*database;	/* notmuch database */
	char			*notmuch_config;
	char			*default_query;
	char			**new_tags;
	size_t			 n_new_tags;
	char			**exclude_tags;
	size_t			 n_exclude_tags;
	int			 synchronize_flags;
	int			 have_new_tags;	/* set in the file */
	int			 have_exclude_tags;
	int			 have_synchronize_flags;
	char			*keymap;	/* file or NULL */
	char			*theme;		/* file or NULL */
	int			 archive_move;	/* archive = move: also a move */
	char			*archive_folder; /* for mail outside accounts */
	char			*trash_folder;
	struct config_search	*searches;	/* in the file's order */
	size_t			 n_searches;
	int			 sidebar;	/* shown at start */
	char			*query_command;	/* addresses, mutt's format */
	struct config_account	*accounts;
	size_t			 n_accounts;
};
/* Fills in the defaults; config_release() frees everything. */
void	 config_init(struct config *);
void	 config_release(struct config *);
/*
 * Loads path on top of the defaults.  With must_exist 0 a missing file is
 * not an error (the default location).  -1 with *cause on failure.
 */
int	 config_load(struct config *, const char *, int, char **);
/* Parses an in-memory file; name is used in messages. */
int	 config_parse(struct config *, const char *, const char *, size_t,
	    char **);
/* The default file: $XDG_CONFIG_HOME/satchel/config. */
char	*config_default_path(void);
/*
 * For every line-oriented file satchel reads (config, keymaps, themes):
 * calls fn with each line (without its newline, the caller may modify
 * it) and its number from 1, stopping at the first failure.  A line over
 * max bytes or holding a NUL fails with "FILE:LINE: ..." in *cause.
 */
int	 config_lines(const char *, const char *, size_t, size_t,
	    int (*)(char *, int, void *), void *, char **);
/* Sets *cause to "FILE:LINE: message", sanitised because both may quote
 * what is not ours; returns -1. */
int	 config_error_at(char **, const char *, int, const char *, ...)
	    PRINTFLIKE(4, 5);
/* Splits a list value ("a b; c,d") into a NULL-terminated vector. */
char	**config_split_list(const char *, size_t *);
void	 config_free_list(char **, size_t);

/*
 * core/keymap.c: key bindings, as read from the keymaps/ files:
 *
 *	bind VIEW KEY COMMAND [ARGUMENTS]
 *	unbind VIEW KEY
 *
 * VIEW is a view name ("index", "pager", ...) or "global"; KEY is a
 * printable character or a name (Enter, Up, PageDown, C-x, F1, ...).  A
 * later binding replaces an earlier one for the same view and key.  The
 * keymap does not know the commands: the caller checks them.
 */
struct keymap_binding {
	char	*view;
	char	*key;		/* canonical name */
	char	*command;	/* command line, e.g. "tag +flagged" */
	char	*file;		/* where it was bound */
	int	 line;
};
struct keymap;
struct keymap	*keymap_new(void);
void		 keymap_free(struct keymap *);	/* NULL ok */
/* Adds the bindings of a file in memory; name is used in messages. */
int		 keymap_parse(struct keymap *, const char *, const char *,
		     size_t, char **);
int		 keymap_load(struct keymap *, const char *, char **);
/* The command for a key in a view, falling back to "global"; borrowed. */
const char	*keymap_lookup(const struct keymap *, const char *,
		     const char *);
/* Bindings in file order, for help screens and checks; borrowed. */
size_t		 keymap_count(const struct keymap *);
const struct keymap_binding *keymap_get(const struct keymap *, size_t);
/*
 * Writes the canonical name of a key ("pagedown" -> "PageDown", "c-x" ->
 * "C-x") into out; -1 when it names no key.
 */
int		 keymap_key_canon(const char *, char *, size_t);

/*
 * core/journal.c: an append-only log of actions, kept until done.  Each
 * entry is one line of text (the caller's format; journal_add() escapes
 * newlines and backslashes) with a sequence number.  journal_add() writes
 * and fsyncs before it returns, so an action the user saw done survives
 * a crash; a torn last line from a crash is dropped on open.  Entries are
 * marked done by sequence number (also appended and fsynced); the file is
 * rewritten without the done entries (tmp file, fsync, rename) when
 * journal_compact() runs.  Every call takes an flock(2) on the file, so
 * the TUI and "satchel sync" may share one journal.  The lock is on
 * "PATH.lock", which compaction leaves in place.  A struct journal serves
 * one thread: flock(2) excludes other opens of the lock file, not other
 * users of the same open, so each thread or forked child opens its own.
 * journal_done() of an entry already done or compacted away succeeds; of
 * a number never handed out, it fails.
 */
struct journal_entry {
	uint64_t	 seq;
	char		*text;
};
struct journal;
/* Opens or creates the file (and its directory); -1 with *cause. */
int		 journal_open(const char *, struct journal **, char **);
void		 journal_close(struct journal *);	/* NULL ok */
/* *seq (may be NULL) gets the new entry's number. */
int		 journal_add(struct journal *, const char *, uint64_t *,
		     char **);
/* The entries not done, oldest first, re-read from the file (another
 * process may have added some); free with journal_entries_free(). */
int		 journal_pending(struct journal *, struct journal_entry **,
		     size_t *, char **);
void		 journal_entries_free(struct journal_entry *, size_t);
int		 journal_done(struct journal *, uint64_t, char **);
/*
 * journal_done() for taking back an action not yet replayed: *taken is 1
 * when the entry was pending and this call marked it, 0 when it was done
 * already (the server has seen it).
 */
int		 journal_cancel(struct journal *, uint64_t, int *, char **);
int		 journal_compact(struct journal *, char **);

/*
 * core/proc.c: the user's commands, through /bin/sh.  proc_run() gives
 * the command in (-1: /dev/null) on stdin and collects stdout and stderr
 * into out (NULL: dropped), at most max bytes (the rest is read and
 * dropped); with timeout > 0 seconds it is killed after that long, -1
 * with *cause.  proc_run_terminal() runs it on the terminal (stdin in, or
 * the terminal's when in < 0), C-c going to it, and waits.  Both set the
 * wait status; proc_status_text() words it ("ok", "exit 2", ...).
 */
#define PROC_DEVNULL	-1	/* stdin from /dev/null */
#define PROC_KEEP	-2	/* the descriptor satchel has */
/* Runs /bin/sh with argv (argv[0] "sh"), stdin from in, stdout to out,
 * stderr to err (each a descriptor or PROC_*); 0 or an errno value. */
int		 proc_spawn(char *const [], int, int, int, pid_t *);
int		 proc_run(const char *, int, struct buf *, size_t, int, int *,
		     char **);
int		 proc_run_terminal(const char *, int, int *, char **);
const char	*proc_status_text(int, char *, size_t);

/*
 * core/mailcap.c: RFC 1524 mailcap files ($MAILCAPS, else ~/.mailcap,
 * /etc/mailcap, ...).  mailcap_find() returns the first entry for a type
 * whose test command passes: a viewer before a copiousoutput filter, or
 * with MAILCAP_COPIOUS a filter only.  mailcap_expand() fills in %s (the
 * file), %t and %{charset}, keeping only [A-Za-z0-9.+_-/] of them; *uses_file
 * says whether the command reads a file (else it wants stdin).
 * mailcap_file_name() makes a safe base name for the temporary file from
 * the attachment's name and the entry's nametemplate.
 */
struct mailcap_entry {
	char		*type;		/* "text/html"; a lone "text" is all text */
	char		*command;
	char		*test;		/* NULL: none */
	char		*nametemplate;	/* NULL: none */
	int		 copiousoutput;
	int		 needsterminal;
	int		 tested;	/* 0 not yet, 1 passed, -1 failed */
};
struct mailcap {
	struct mailcap_entry *v;
	size_t		 n;
	size_t		 skipped;	/* lines that could not be read */
};
#define MAILCAP_COPIOUS	0x1
void		 mailcap_init(struct mailcap *);
void		 mailcap_release(struct mailcap *);
/* Adds a file's entries; returns the number of lines skipped. */
size_t		 mailcap_parse(struct mailcap *, const char *, size_t);
void		 mailcap_load(struct mailcap *);
const struct mailcap_entry *mailcap_find(struct mailcap *, const char *, int);
char		*mailcap_expand(const char *, const char *, const char *,
		     const char *, int *);
char		*mailcap_file_name(const struct mailcap_entry *, const char *);
/* The files of the environment, read once on first use. */
struct mailcap	*mailcap_default(void);
/*
 * Running an entry on data: mailcap_prepare() writes it to a private
 * temporary directory (named from the attachment's name, NULL ok) and
 * makes the command; when the command has no %s, in is that file opened
 * for its stdin (else -1).  mailcap_finish() removes the file and
 * directory.  mailcap_filter() runs type's copiousoutput filter and
 * collects its output: 0, 1 when there is no filter for the type, -1 with
 * *cause when it failed (a non-zero exit, or 10 seconds passed).
 */
struct mailcap_run {
	char		*command;
	char		*path;
	int		 in;
};
int		 mailcap_prepare(const struct mailcap_entry *, const char *,
		     const char *, const char *, const void *, size_t,
		     struct mailcap_run *, char **);
void		 mailcap_finish(struct mailcap_run *);
int		 mailcap_filter(struct mailcap *, const char *, const char *,
		     const void *, size_t, struct buf *, char **);

#include "core/banned.h"

#endif /* CORE_CORE_H */
