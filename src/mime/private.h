/*
 * mime/private.h: what the files of mime/ share.  Only the .c files of
 * mime/ include this; GMime types never leave the module.
 */
#ifndef MIME_PRIVATE_H
#define MIME_PRIVATE_H

#include <gmime/gmime.h>

/*
 * mime/mime.c: the parser options every parse and header decode uses
 * (fallback charsets UTF-8 then windows-1252, lenient RFC 2047 and
 * addresses).  Borrowed; valid between mime_init() and mime_shutdown().
 */
GMimeParserOptions *mime_options(void);

/*
 * Text to valid UTF-8, for the caller to free.  mime_to_utf8() converts
 * from charset (NULL, "" or unknown: guess through the fallbacks);
 * mime_fix_utf8() only repairs.  Invalid bytes and NULs become U+FFFD, so
 * the result is a C string whose length (stored in *outlen when not NULL)
 * counts every byte.  Neither fails.
 */
char	*mime_to_utf8(const char *, size_t, const char *, size_t *);
char	*mime_fix_utf8(const char *, size_t, size_t *);

/* mime/message.c: the GMime message inside; borrowed, as the struct. */
struct mime_message;
GMimeMessage *mime_message_gmime(struct mime_message *);

#endif /* MIME_PRIVATE_H */
