/*
 * store/private.h: what the files of store/ share with each other and
 * nobody else.  Only the .c files of src/store/ include it.
 */
#ifndef STORE_PRIVATE_H
#define STORE_PRIVATE_H

/* store/index.c: the libnotmuch version compiled in ("5.6.0"); static. */
const char	*store_index_library_version(void);

#endif /* STORE_PRIVATE_H */
