/*
 * core/buf.c: growable byte buffers.  The invariant is that data is never
 * NULL and always has a NUL after len bytes, so a buf can be handed to
 * functions that want a C string without copying.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"

void
buf_init(struct buf *b)
{
	b->size = 64;
	b->data = xmalloc(b->size);
	b->data[0] = '\0';
	b->len = 0;
}

void
buf_release(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->size = 0;
}

void
buf_clear(struct buf *b)
{
	b->len = 0;
	b->data[0] = '\0';
}

/* Makes room for n more bytes plus the terminating NUL. */
void
buf_grow(struct buf *b, size_t n)
{
	size_t	 want;

	if (n > SIZE_MAX - b->len - 1)
		fatalx("buf_grow: size overflow");
	want = b->len + n + 1;
	if (want <= b->size)
		return;
	while (b->size < want)
		b->size = b->size > SIZE_MAX / 2 ? want : b->size * 2;
	b->data = xreallocarray(b->data, 1, b->size);
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	buf_grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_addstr(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addch(struct buf *b, int ch)
{
	buf_grow(b, 1);
	b->data[b->len++] = (char)ch;
	b->data[b->len] = '\0';
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	 ap2;
	int	 n;

	va_copy(ap2, ap);
	n = vsnprintf(b->data + b->len, b->size - b->len, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		fatalx("buf_vprintf: bad format");
	if ((size_t)n >= b->size - b->len) {
		buf_grow(b, (size_t)n);
		vsnprintf(b->data + b->len, b->size - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

/*
 * Hands the memory to the caller and leaves b released (as after
 * buf_release()), so "return (buf_detach(&b, NULL));" allocates nothing
 * more.  Call buf_init() to use b again.
 */
char *
buf_detach(struct buf *b, size_t *len)
{
	char	*p;

	p = b->data;
	if (len != NULL)
		*len = b->len;
	b->data = NULL;
	b->len = b->size = 0;
	return (p);
}

/* Appends the contents of a file, refusing files over max bytes. */
int
buf_read_file(struct buf *b, const char *path, size_t max, char **cause)
{
	struct stat	 st;
	char		 tmp[65536];
	ssize_t		 n;
	size_t		 total = 0;
	int		 fd;

	if ((fd = open(path, O_RDONLY|O_CLOEXEC)) == -1) {
		xcause(cause, "cannot open '%s': %s", path, strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (size_t)st.st_size <= max)
		buf_grow(b, (size_t)st.st_size);
	for (;;) {
		n = read(fd, tmp, sizeof tmp);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			xcause(cause, "cannot read '%s': %s", path,
			    strerror(errno));
			close(fd);
			return (-1);
		}
		if (n == 0)
			break;
		if ((size_t)n > max - total) {
			xcause(cause, "'%s' is larger than %zu bytes", path,
			    max);
			close(fd);
			return (-1);
		}
		total += (size_t)n;
		buf_add(b, tmp, (size_t)n);
	}
	close(fd);
	return (0);
}
