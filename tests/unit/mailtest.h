/*
 * tests/unit/mailtest.h: a private Maildir tree and notmuch database for
 * the unit tests of store/ and engine/.  mailtest_init() makes a temporary
 * directory holding a home and a mail root, and points HOME,
 * NOTMUCH_CONFIG and the XDG directories inside it, so that the user's
 * notmuch files are never read or written; mailtest_release() removes it.
 *
 * Paths named "rel" are relative to the mail root.  Every helper that
 * writes to the disk calls fatal() when it cannot: a broken sandbox is no
 * test result.  Include this header after tap.h.
 */
#ifndef TESTS_UNIT_MAILTEST_H
#define TESTS_UNIT_MAILTEST_H

#include <stddef.h>
#include <stdlib.h>

struct store_index;

/*
 * The temporary directory and the mail root inside it ("<dir>/mail"); the
 * home is "<dir>/home" and NOTMUCH_CONFIG names "<dir>/home/notmuch-config",
 * which is not made.  Both are owned here and valid from mailtest_init() to
 * mailtest_release().
 */
extern char	*mailtest_dir;
extern char	*mailtest_root;

/*
 * Makes the directory as /tmp/satchel-<name>-XXXXXX, with the home and the
 * mail root, sets the environment and unsets NOTMUCH_DATABASE and
 * NOTMUCH_PROFILE.  Call it once, before any other helper.
 */
void		 mailtest_init(const char *name);
/* Removes the whole directory and frees mailtest_dir and mailtest_root. */
void		 mailtest_release(void);

/* The absolute path of rel, for the caller to free. */
char		*mailtest_path(const char *rel);
/* How many messages Maildir rel of the mail root holds (cur/ and new/);
 * -1 when it cannot tell. */
int		 mailtest_files(const char *rel);
/* Makes directory rel and its missing parents. */
void		 mailtest_mkdirs(const char *rel);
/* Removes rel and all below it, if it is there. */
void		 mailtest_rm_tree(const char *rel);
/* Writes text to file rel, replacing it; the directory must exist. */
void		 mailtest_write(const char *rel, const char *text);

/*
 * Writes a small message to file rel, addressed to Dave
 * <dave@example.test>, with Message-ID <id> and the body "Body of <id>.".
 * in_reply_to (an id without brackets) may be NULL; when it is not, it is
 * both the In-Reply-To and the References header.
 */
void		 mailtest_put_full(const char *rel, const char *id,
		     const char *in_reply_to, const char *from,
		     const char *date, const char *subject);
/*
 * mailtest_put_full() from Alice <alice@example.test> on Mon, 01 Jan 2024
 * 10:00:00 +0000, with the subject "Message <id>" and no parent.
 */
void		 mailtest_put(const char *rel, const char *id);

/*
 * Opens the index of the mail root read-write.  The arguments are those of
 * struct store_index_options (new_tags is borrowed until the index is
 * closed; NULL and 0 for inbox, unread); the rest are store/'s defaults.
 * On failure, prints the cause as a TAP diagnostic and exits 1.  The caller
 * closes the index.
 */
struct store_index *mailtest_open_rw(const char *const *new_tags, size_t n,
		     int synchronize_flags, int create);
/* The n strings of v joined by single spaces, for the caller to free. */
char		*mailtest_join(char **v, size_t n);
/*
 * The tags of message id as "a b c", in the index's order (sorted), or
 * "(none)" when there is no such message or the search fails.  The caller
 * frees the string.
 */
char		*mailtest_tags(struct store_index *idx, const char *id);
/*
 * How many messages match query q (NULL or "" for all), or 99999 when the
 * count fails, which no test expects.
 */
unsigned int	 mailtest_count(struct store_index *idx, const char *q);

/*
 * One TAP result, named name: whether message id of idx has exactly the
 * tags want (as mailtest_tags() writes them).  A macro, so that a failure
 * reports the caller's line and counts in the caller's tap.h.
 */
#define mailtest_check_tags(idx, id, want, name) do {			\
	char	*mailtest_got = mailtest_tags((idx), (id));		\
									\
	is_str(mailtest_got, (want), (name));				\
	free(mailtest_got);						\
} while (0)

#endif /* TESTS_UNIT_MAILTEST_H */
