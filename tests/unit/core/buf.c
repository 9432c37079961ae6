/* tests/unit/core/buf.c: struct buf and xmalloc. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "tests/unit/tap.h"

int
main(void)
{
	struct buf	 b;
	char		*p, *cause = NULL, path[] = "/tmp/satchel-buf-XXXXXX";
	size_t		 len, i;
	int		 fd;

	buf_init(&b);
	ok(b.data != NULL && b.len == 0 && b.data[0] == '\0', "init: empty");
	buf_addstr(&b, "");
	ok(b.len == 0, "adding an empty string changes nothing");
	buf_add(&b, "a\0b", 3);
	ok(b.len == 3 && memcmp(b.data, "a\0b", 4) == 0,
	    "embedded NUL kept, still terminated");
	buf_clear(&b);
	for (i = 0; i < 10000; i++)
		buf_addch(&b, 'x');
	ok(b.len == 10000 && b.data[10000] == '\0', "grows past many sizes");
	buf_clear(&b);
	buf_printf(&b, "%s-%d", "abc", 42);
	is_str(b.data, "abc-42", "printf");
	buf_printf(&b, "%0200d", 7);
	ok(b.len == 206 && b.data[205] == '7', "printf beyond the room left");
	buf_truncate(&b, 3);
	is_str(b.data, "abc", "truncate");
	buf_truncate(&b, 100);
	is_str(b.data, "abc", "truncate longer than len does nothing");
	p = buf_detach(&b, &len);
	ok(len == 3 && strcmp(p, "abc") == 0, "detach hands over the data");
	ok(b.data == NULL && b.len == 0 && b.size == 0,
	    "detach leaves the buf released");
	free(p);
	buf_release(&b);
	ok(1, "releasing a detached buf is harmless");
	buf_init(&b);

	fd = mkstemp(path);
	ok(fd != -1 && write(fd, "hello\n", 6) == 6, "temp file written");
	close(fd);
	buf_clear(&b);
	ok(buf_read_file(&b, path, 100, &cause) == 0 && b.len == 6,
	    "read_file reads the whole file");
	buf_clear(&b);
	ok(buf_read_file(&b, path, 5, &cause) == -1 && cause != NULL &&
	    strstr(cause, "larger than 5 bytes") != NULL,
	    "read_file refuses a file over the limit");
	free(cause);
	cause = NULL;
	unlink(path);
	ok(buf_read_file(&b, path, 100, &cause) == -1 &&
	    strstr(cause, "cannot open") != NULL, "read_file: missing file");
	free(cause);
	buf_release(&b);

	p = xstrndup("abcdef", 3);
	is_str(p, "abc", "xstrndup");
	free(p);
	xcause(NULL, "%s", "nobody asked");
	ok(1, "xcause with a NULL cause is a no-op");
	return (tap_done());
}
