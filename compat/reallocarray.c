/* compat/reallocarray.c: reallocarray for C libraries without it. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/core.h"

void *
reallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return (NULL);
	}
	return (realloc(p, n * size));
}
