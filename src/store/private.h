/*
 * store/private.h: what the files of store/ share with each other and
 * nobody else.  Only the .c files of src/store/ include it.
 */
#ifndef STORE_PRIVATE_H
#define STORE_PRIVATE_H

/* store/index.c: the libnotmuch version compiled in ("5.6.0"); static. */
const char	*store_index_library_version(void);

/*
 * store/maildir.c: the letters of enum maildir_flags, shared with
 * syncstate.c.  maildir_flags_letters() writes the letters of flags in
 * ASCII order into out (MAILDIR_LETTERS_SIZE bytes, NUL-terminated) and
 * returns how many it wrote; maildir_letter_flag() gives the flag of one
 * letter, 0 for a letter that is none of ours.
 */
#define MAILDIR_LETTERS_SIZE	7
size_t		 maildir_flags_letters(int, char *);
int		 maildir_letter_flag(int);

#endif /* STORE_PRIVATE_H */
