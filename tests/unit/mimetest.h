/*
 * tests/unit/mimetest.h: what the mime/ unit tests check their output
 * with.  Like tap.h, each program gets its own copy of the code.
 */
#ifndef TESTS_UNIT_MIMETEST_H
#define TESTS_UNIT_MIMETEST_H

#include <stddef.h>

/*
 * Whether s[0..len) is UTF-8 with no NUL and no invalid sequence: no
 * overlong form, no surrogate and nothing above U+10FFFF.  s is not read
 * past len and need not be NUL-terminated.
 */
static inline int
mimetest_valid_utf8(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n, k;
	unsigned int		 cp;

	while (i < len) {
		if (p[i] == 0)
			return (0);
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if (p[i] >= 0xc2 && p[i] <= 0xdf) {
			n = 2;
			cp = p[i] & 0x1f;
		} else if (p[i] >= 0xe0 && p[i] <= 0xef) {
			n = 3;
			cp = p[i] & 0x0f;
		} else if (p[i] >= 0xf0 && p[i] <= 0xf4) {
			n = 4;
			cp = p[i] & 0x07;
		} else
			return (0);
		if (len - i < n)
			return (0);
		for (k = 1; k < n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return (0);
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return (0);
		i += n;
	}
	return (1);
}

#endif /* TESTS_UNIT_MIMETEST_H */
