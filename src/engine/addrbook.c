/*
 * engine/addrbook.c: the addresses seen in mail, for completion.
 *
 * The table is built from the index alone: the From of every message
 * (libnotmuch keeps it in the database, so no file is read) and, for the
 * mail the user wrote (From one of the accounts' emails), its To, Cc
 * and Bcc, which only the file has: its header alone is read and parsed
 * (mime/), never the body.  Each
 * sighting adds a weight that halves every ENGINE_ADDRBOOK_HALF_LIFE
 * seconds of age: an address written to (4 for To, 2 for Cc and Bcc)
 * counts more than one read from (1), and last month's correspondent
 * beats one from three years ago however often that one wrote.  Scores
 * are kept relative to a reference time fixed at the last full build,
 * so a later message only adds to them.
 *
 * The ranked table is cached in $XDG_CACHE_HOME/satchel/addresses with
 * the index revision it reflects.  When the index moved on, only the
 * messages changed since ("lastmod:") are read; a hash of every Message-ID
 * counted is kept, so a message whose tags changed is not counted twice.
 * A new database (another UUID), an older revision, other own addresses
 * or a build older than ENGINE_ADDRBOOK_REBUILD seconds (removed mail
 * still counts until then) make a full build.  The cache is replaced
 * atomically and read as hostile: a file that does not parse is dropped
 * and rebuilt, never half-used.
 *
 * Every address and name passes engine_addrbook_clean_*() on the way in,
 * from mail, the cache or query_command alike: no control, bidi or
 * invisible character, valid UTF-8, bounded length.
 */
#include "config.h"

#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wctype.h>

#include "core/core.h"
#include "mime/mime.h"
#include "store/store.h"
#include "engine/engine.h"

#define ENGINE_ADDRBOOK_HALF_LIFE	(90.0 * 86400)
#define ENGINE_ADDRBOOK_REBUILD		(30 * 86400)
#define ENGINE_ADDRBOOK_W_FROM		1.0
#define ENGINE_ADDRBOOK_W_TO		4.0
#define ENGINE_ADDRBOOK_W_CC		2.0
#define ENGINE_ADDRBOOK_HEADER_MAX	(64 * 1024)
#define ENGINE_ADDRBOOK_LIST_MAX	1000	/* mailboxes per header */
#define ENGINE_ADDRBOOK_CACHE_MAX	(256 * 1024 * 1024)
#define ENGINE_ADDRBOOK_LINE_MAX	4096
#define ENGINE_ADDRBOOK_QUERY_OUT	(1024 * 1024)
#define ENGINE_ADDRBOOK_QUERY_TIMEOUT	10
#define ENGINE_ADDRBOOK_MAGIC		"satchel-addresses 1"

struct engine_addrbook_entry {
	char		*address;
	char		*name;
	double		 score;
	unsigned int	 count;
	unsigned int	 sent;
	time_t		 last;
};

struct engine_addrbook {
	char				*path;
	char				**own;	/* lower case, sorted */
	size_t				 n_own;
	char				 own_key[17];

	char				*uuid;	/* NULL: nothing built yet */
	unsigned long			 revision;
	time_t				 ref;
	time_t				 built;

	struct engine_addrbook_entry	*v;
	size_t				 n;
	size_t				 size;
	size_t				*slots;	/* index + 1, 0: free */
	size_t				 n_slots;

	uint64_t			*seen;	/* Message-ID hashes */
	size_t				 n_seen;
	size_t				 size_seen;
	size_t				 n_sorted; /* seen[0..n_sorted) sorted */

	struct engine_addrbook_stats	 stats;
};

/* Text ----------------------------------------------------------------- */

/* The code point of the well-formed UTF-8 sequence of len bytes at p. */
static uint32_t
engine_addrbook_decode(const unsigned char *p, size_t len)
{
	uint32_t	 cp;
	size_t		 i;

	if (len == 1)
		return (p[0]);
	cp = p[0] & (0xff >> (len + 1));
	for (i = 1; i < len; i++)
		cp = (cp << 6) | (p[i] & 0x3f);
	return (cp);
}

/* Controls, and the bidi and invisible characters text.c drops. */
static int
engine_addrbook_hidden(uint32_t cp)
{
	return (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0xad ||
	    cp == 0x61c || (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2069) ||
	    cp == 0xfeff);
}

char *
engine_addrbook_clean_address(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	const char		*at = NULL;
	size_t			 i, n;
	uint32_t		 cp;

	while (len > 0 && isspace(p[0])) {
		p++;
		len--;
	}
	while (len > 0 && isspace(p[len - 1]))
		len--;
	if (len == 0 || len > ENGINE_ADDRESS_MAX)
		return (NULL);
	for (i = 0; i < len; i += n) {
		if ((n = text_utf8_len(p + i, len - i)) == 0)
			return (NULL);
		cp = engine_addrbook_decode(p + i, n);
		if (cp == ' ' || engine_addrbook_hidden(cp) ||
		    (cp < 0x80 && strchr("<>()[],;:\"\\", (int)cp) != NULL))
			return (NULL);
		if (cp == '@') {
			if (at != NULL)
				return (NULL);
			at = (const char *)p + i;
		}
	}
	if (at == NULL || at == (const char *)p || at == (const char *)p +
	    len - 1)
		return (NULL);
	return (xstrndup((const char *)p, len));
}

char *
engine_addrbook_clean_name(const char *s, size_t len)
{
	struct buf		 in, out;
	const unsigned char	*p;
	size_t			 i, n, end;
	uint32_t		 cp;
	int			 space = 0;

	buf_init(&in);
	buf_init(&out);
	text_utf8_repair(&in, s, len);
	p = (const unsigned char *)in.data;
	for (i = 0; i < in.len; i += n) {
		n = text_utf8_len(p + i, in.len - i);
		cp = engine_addrbook_decode(p + i, n);
		if (cp == '\t' || cp == '\n' || cp == '\r' || cp == ' ') {
			space = out.len > 0;
			continue;
		}
		if (engine_addrbook_hidden(cp))
			continue;
		if (space)
			buf_addch(&out, ' ');
		space = 0;
		buf_add(&out, p + i, n);
	}
	buf_release(&in);
	/* 'Alice' and "Alice" as some mailers write them. */
	while (out.len >= 2 && (out.data[0] == '\'' || out.data[0] == '"') &&
	    out.data[out.len - 1] == out.data[0]) {
		memmove(out.data, out.data + 1, out.len - 2);
		buf_truncate(&out, out.len - 2);
		while (out.len > 0 && out.data[out.len - 1] == ' ')
			buf_truncate(&out, out.len - 1);
		for (i = 0; i < out.len && out.data[i] == ' '; i++)
			;
		memmove(out.data, out.data + i, out.len - i);
		buf_truncate(&out, out.len - i);
	}
	if (out.len > ENGINE_NAME_MAX) {
		end = ENGINE_NAME_MAX;
		while (end > 0 && ((unsigned char)out.data[end] & 0xc0) == 0x80)
			end--;
		while (end > 0 && out.data[end - 1] == ' ')
			end--;
		buf_truncate(&out, end);
	}
	return (buf_detach(&out, NULL));
}

/* A code point folded for matching: ASCII always, the rest as the
 * locale can. */
static uint32_t
engine_addrbook_fold(uint32_t cp)
{
	wint_t	 lower;

	if (cp < 0x80)
		return ((uint32_t)tolower((int)cp));
	if ((lower = towlower((wint_t)cp)) == WEOF || lower >= 0x110000)
		return (cp);
	return ((uint32_t)lower);
}

/* Whether s starts with word, case folded; both valid UTF-8. */
static int
engine_addrbook_starts(const char *s, const char *word)
{
	const unsigned char	*a = (const unsigned char *)s;
	const unsigned char	*b = (const unsigned char *)word;
	size_t			 na, nb, la = strlen(s), lb = strlen(word);

	while (lb > 0) {
		if (la == 0)
			return (0);
		na = text_utf8_len(a, la);
		nb = text_utf8_len(b, lb);
		if (na == 0 || nb == 0)
			return (0);
		if (engine_addrbook_fold(engine_addrbook_decode(a, na)) !=
		    engine_addrbook_fold(engine_addrbook_decode(b, nb)))
			return (0);
		a += na;
		la -= na;
		b += nb;
		lb -= nb;
	}
	return (1);
}

/* ASCII case-insensitive equality, as addresses are compared here. */
static int
engine_addrbook_same(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++) {
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return (0);
	}
	return (*a == *b);
}

static uint64_t
engine_addrbook_hash(const char *s, int fold)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++) {
		h ^= fold ? (unsigned char)tolower((unsigned char)*s) :
		    (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return (h);
}

/* Address lists ---------------------------------------------------------- */

/*
 * Steps over the byte at *pp when it is inside a quoted string or a
 * comment (*inq and *depth keep the state; an escape moves *pp on):
 * returns the byte of text it stands for, -1 for quoting itself, or -2
 * when the byte is outside both, for the caller to read.
 */
static int
engine_addrbook_step(const char **pp, const char *e, int *inq, int *depth)
{
	const char	*p = *pp;

	if (!*inq && *depth == 0)
		return (-2);
	if (*p == '\\' && p + 1 < e) {
		*pp = p + 1;
		return ((unsigned char)p[1]);
	}
	if (*inq) {
		if (*p == '"') {
			*inq = 0;
			return (-1);
		}
		return ((unsigned char)*p);
	}
	if (*p == '(')
		(*depth)++;
	else if (*p == ')')
		(*depth)--;
	return (*depth > 0 ? (unsigned char)*p : -1);
}

/*
 * One mailbox of a list, bytes [s, e): "Name <addr>", "addr (Name)" or
 * "addr".  Quotes and backslashes of the name are undone before it is
 * cleaned.
 */
static void
engine_addrbook_mailbox(const char *s, const char *e,
    void (*fn)(const char *, const char *, void *), void *arg)
{
	struct buf	 name, bare;
	const char	*p, *lt = NULL, *gt;
	char		*addr, *clean;
	int		 inq = 0, depth = 0, comments = 0, c, comment;

	buf_init(&name);
	buf_init(&bare);
	for (p = s; p < e && lt == NULL; p++) {
		comment = depth > 0;
		if ((c = engine_addrbook_step(&p, e, &inq, &depth)) != -2) {
			/* Quoted text is the name; so is the first comment
			 * of a bare address. */
			if (c >= 0 && (!comment || comments == 1))
				buf_addch(&name, c);
			continue;
		}
		switch (*p) {
		case '"':
			inq = 1;
			break;
		case '(':
			depth = 1;
			if (++comments == 1 && bare.len > 0)
				buf_clear(&name);
			break;
		case '<':
			lt = p;
			break;
		default:
			buf_addch(&bare, *p);
			if (comments == 0)
				buf_addch(&name, *p);
			break;
		}
	}
	if (lt != NULL) {
		if ((gt = memchr(lt, '>', (size_t)(e - lt))) == NULL)
			gt = e;
		addr = engine_addrbook_clean_address(lt + 1,
		    (size_t)(gt - lt - 1));
	} else {
		/* A bare address: the name is its comment, if any. */
		addr = engine_addrbook_clean_address(bare.data, bare.len);
		if (comments == 0)
			buf_clear(&name);
	}
	if (addr != NULL) {
		clean = engine_addrbook_clean_name(name.data, name.len);
		if (engine_addrbook_same(clean, addr))
			*clean = '\0';
		fn(addr, clean, arg);
		free(clean);
		free(addr);
	}
	buf_release(&bare);
	buf_release(&name);
}

void
engine_addrbook_parse_list(const char *s,
    void (*fn)(const char *, const char *, void *), void *arg)
{
	const char	*p, *start, *end;
	int		 inq = 0, depth = 0, angle = 0, at = 0;
	size_t		 n = 0;

	end = s + strnlen(s, ENGINE_ADDRBOOK_HEADER_MAX);
	for (p = start = s; p < end && n < ENGINE_ADDRBOOK_LIST_MAX; p++) {
		if (engine_addrbook_step(&p, end, &inq, &depth) != -2)
			continue;
		switch (*p) {
		case '"':
			inq = 1;
			break;
		case '(':
			depth = 1;
			break;
		case '<':
			angle = 1;
			break;
		case '>':
			angle = 0;
			break;
		case '@':
			at = 1;
			break;
		case ':':
			/* "Group: a, b;" names no mailbox itself. */
			if (!angle && !at)
				start = p + 1;
			break;
		case ',':
		case ';':
			if (angle)
				break;
			engine_addrbook_mailbox(start, p, fn, arg);
			n++;
			start = p + 1;
			at = 0;
			break;
		}
	}
	if (n < ENGINE_ADDRBOOK_LIST_MAX)
		engine_addrbook_mailbox(start, p, fn, arg);
}

char *
engine_address_format(const char *address, const char *name)
{
	struct buf	 b;
	const char	*p;

	if (name == NULL || *name == '\0')
		return (xstrdup(address));
	buf_init(&b);
	if (strpbrk(name, "()<>[]:;@\\,.\"") == NULL)
		buf_addstr(&b, name);
	else {
		buf_addch(&b, '"');
		for (p = name; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				buf_addch(&b, '\\');
			buf_addch(&b, *p);
		}
		buf_addch(&b, '"');
	}
	buf_printf(&b, " <%s>", address);
	return (buf_detach(&b, NULL));
}

/* The table ---------------------------------------------------------------- */

static void
engine_addrbook_entry_release(struct engine_addrbook_entry *e)
{
	free(e->address);
	free(e->name);
}

static void
engine_addrbook_clear(struct engine_addrbook *ab)
{
	size_t	 i;

	for (i = 0; i < ab->n; i++)
		engine_addrbook_entry_release(&ab->v[i]);
	free(ab->v);
	ab->v = NULL;
	ab->n = ab->size = 0;
	free(ab->slots);
	ab->slots = NULL;
	ab->n_slots = 0;
	free(ab->seen);
	ab->seen = NULL;
	ab->n_seen = ab->size_seen = ab->n_sorted = 0;
	free(ab->uuid);
	ab->uuid = NULL;
	ab->revision = 0;
}

static void
engine_addrbook_rehash(struct engine_addrbook *ab)
{
	size_t	 i, j, mask;

	free(ab->slots);
	ab->n_slots = 64;
	while (ab->n_slots < ab->n * 2 + 1)
		ab->n_slots *= 2;
	ab->slots = xcalloc(ab->n_slots, sizeof *ab->slots);
	mask = ab->n_slots - 1;
	for (i = 0; i < ab->n; i++) {
		j = engine_addrbook_hash(ab->v[i].address, 1) & mask;
		while (ab->slots[j] != 0)
			j = (j + 1) & mask;
		ab->slots[j] = i + 1;
	}
}

/* The entry of an address, or NULL; *slot gets where it would go. */
static struct engine_addrbook_entry *
engine_addrbook_find(struct engine_addrbook *ab, const char *address,
    size_t *slot)
{
	size_t	 j, mask = ab->n_slots - 1;

	j = engine_addrbook_hash(address, 1) & mask;
	while (ab->slots[j] != 0) {
		if (engine_addrbook_same(ab->v[ab->slots[j] - 1].address,
		    address))
			return (&ab->v[ab->slots[j] - 1]);
		j = (j + 1) & mask;
	}
	*slot = j;
	return (NULL);
}

static struct engine_addrbook_entry *
engine_addrbook_insert(struct engine_addrbook *ab, const char *address,
    const char *name)
{
	struct engine_addrbook_entry	*e;
	size_t				 slot;

	if (ab->slots == NULL || (ab->n + 1) * 2 > ab->n_slots)
		engine_addrbook_rehash(ab);
	if ((e = engine_addrbook_find(ab, address, &slot)) != NULL)
		return (e);
	if (ab->n == ab->size) {
		ab->size = ab->size == 0 ? 256 : ab->size * 2;
		ab->v = xreallocarray(ab->v, ab->size, sizeof *ab->v);
	}
	e = &ab->v[ab->n++];
	memset(e, 0, sizeof *e);
	e->address = xstrdup(address);
	e->name = xstrdup(name);
	ab->slots[slot] = ab->n;
	return (e);
}

/*
 * 2^x, without libm (which the build does not link): 2^i by halving or
 * doubling, 2^f for the fraction by its series.  Ranking needs nothing
 * better than a few digits.
 */
static double
engine_addrbook_exp2(double x)
{
	double	 r = 1, term = 1, y;
	long	 i;
	int	 k;

	if (x < -1000)
		return (0);
	i = (long)x;
	if ((double)i > x)
		i--;
	y = (x - (double)i) * 0.69314718055994530942;
	for (k = 1; k < 20; k++) {
		term *= y / k;
		r += term;
	}
	for (; i > 0; i--)
		r *= 2;
	for (; i < 0; i++)
		r /= 2;
	return (r);
}

/* One sighting of an address in mail dated date. */
static void
engine_addrbook_count(struct engine_addrbook *ab, const char *address,
    const char *name, time_t date, double weight, int sent)
{
	struct engine_addrbook_entry	*e;
	time_t				 now = date_now();
	double				 age;

	if (date < 0)
		date = 0;
	if (date > now + 86400)
		date = now + 86400;	/* a Date: in the future */
	e = engine_addrbook_insert(ab, address, name);
	age = ((double)date - (double)ab->ref) / ENGINE_ADDRBOOK_HALF_LIFE;
	if (age > 64)
		age = 64;
	e->score += weight * engine_addrbook_exp2(age);
	e->count++;
	if (sent)
		e->sent++;
	if (date >= e->last) {
		e->last = date;
		if (strcmp(e->address, address) != 0) {
			free(e->address);
			e->address = xstrdup(address);
		}
	}
	/* The newest name wins, but no name never replaces one. */
	if (*name != '\0' && (date >= e->last || *e->name == '\0') &&
	    strcmp(e->name, name) != 0) {
		free(e->name);
		e->name = xstrdup(name);
	}
}

static int
engine_addrbook_cmp_rank(const void *a, const void *b)
{
	const struct engine_addrbook_entry	*ea = a, *eb = b;

	if (ea->score != eb->score)
		return (ea->score > eb->score ? -1 : 1);
	if (ea->count != eb->count)
		return (ea->count > eb->count ? -1 : 1);
	if (ea->last != eb->last)
		return (ea->last > eb->last ? -1 : 1);
	return (strcmp(ea->address, eb->address));
}

static int
engine_addrbook_cmp_u64(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x < y ? -1 : x > y);
}

static void
engine_addrbook_rank(struct engine_addrbook *ab)
{
	if (ab->n > 1)
		qsort(ab->v, ab->n, sizeof *ab->v, engine_addrbook_cmp_rank);
	engine_addrbook_rehash(ab);
	if (ab->n_seen > 1)
		qsort(ab->seen, ab->n_seen, sizeof *ab->seen,
		    engine_addrbook_cmp_u64);
	ab->n_sorted = ab->n_seen;
}

static int
engine_addrbook_seen(const struct engine_addrbook *ab, uint64_t h)
{
	size_t	 lo = 0, hi = ab->n_sorted, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ab->seen[mid] == h)
			return (1);
		if (ab->seen[mid] < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (0);
}

static void
engine_addrbook_see(struct engine_addrbook *ab, uint64_t h)
{
	if (ab->n_seen == ab->size_seen) {
		ab->size_seen = ab->size_seen == 0 ? 1024 : ab->size_seen * 2;
		ab->seen = xreallocarray(ab->seen, ab->size_seen,
		    sizeof *ab->seen);
	}
	ab->seen[ab->n_seen++] = h;
}

/* The cache file ----------------------------------------------------------- */

struct engine_addrbook_load {
	struct engine_addrbook	*ab;
	int			 state;	/* 0 header, 1 body, 2 ended */
	int			 header;	/* header lines read */
	int			 stale;	/* made for other own addresses */
};

static int
engine_addrbook_number(const char *s, long long max, long long *v)
{
	const char	*errstr;

	*v = strtonum(s, 0, max, &errstr);
	return (errstr == NULL ? 0 : -1);
}

/* "a\tSCORE\tCOUNT\tSENT\tLAST\tADDRESS\tNAME" */
static int
engine_addrbook_load_entry(struct engine_addrbook *ab, char *line)
{
	struct engine_addrbook_entry	*e;
	char				*f[7], *end, *addr, *name;
	long long			 count, sent, last;
	double				 score;
	size_t				 i, slot;
	int				 ok;

	for (i = 0; i < 7; i++) {
		f[i] = line;
		if ((line = strchr(line, '\t')) == NULL)
			break;
		*line++ = '\0';
	}
	if (i != 6 || line != NULL || strcmp(f[0], "a") != 0)
		return (-1);
	score = strtod(f[1], &end);
	if (*f[1] == '\0' || *end != '\0' || !isfinite(score) || score < 0 ||
	    score > 1e300)
		return (-1);
	if (engine_addrbook_number(f[2], UINT32_MAX, &count) != 0 ||
	    engine_addrbook_number(f[3], count, &sent) != 0 ||
	    engine_addrbook_number(f[4], INT64_MAX, &last) != 0 ||
	    count == 0)
		return (-1);
	/* What the cache holds must be what cleaning would have kept. */
	addr = engine_addrbook_clean_address(f[5], strlen(f[5]));
	name = engine_addrbook_clean_name(f[6], strlen(f[6]));
	ok = addr != NULL && strcmp(addr, f[5]) == 0 &&
	    strcmp(name, f[6]) == 0;
	free(addr);
	free(name);
	if (!ok)
		return (-1);
	if (ab->slots == NULL || (ab->n + 1) * 2 > ab->n_slots)
		engine_addrbook_rehash(ab);
	if (engine_addrbook_find(ab, f[5], &slot) != NULL)
		return (-1);	/* twice */
	e = engine_addrbook_insert(ab, f[5], f[6]);
	e->score = score;
	e->count = (unsigned int)count;
	e->sent = (unsigned int)sent;
	e->last = (time_t)last;
	return (0);
}

static int
engine_addrbook_load_line(char *line, int lineno, void *arg)
{
	struct engine_addrbook_load	*l = arg;
	struct engine_addrbook		*ab = l->ab;
	long long			 v, w;
	uint64_t			 h;
	char				*end;
	size_t				 i;

	if (l->state == 2)
		return (-1);	/* after the end */
	if (l->state == 0) {
		switch (l->header++) {
		case 0:
			return (strcmp(line, ENGINE_ADDRBOOK_MAGIC) == 0 ?
			    0 : -1);
		case 1:
			if (strncmp(line, "uuid ", 5) != 0 || line[5] == '\0' ||
			    strspn(line + 5, "0123456789abcdefABCDEF-") !=
			    strlen(line + 5) || strlen(line + 5) > 64)
				return (-1);
			ab->uuid = xstrdup(line + 5);
			return (0);
		case 2:
			if (strncmp(line, "revision ", 9) != 0 ||
			    engine_addrbook_number(line + 9, LLONG_MAX, &v) != 0)
				return (-1);
			ab->revision = (unsigned long)v;
			return (0);
		case 3:
			if (strncmp(line, "ref ", 4) != 0 ||
			    engine_addrbook_number(line + 4, INT64_MAX, &v) != 0)
				return (-1);
			ab->ref = (time_t)v;
			return (0);
		case 4:
			if (strncmp(line, "built ", 6) != 0 ||
			    engine_addrbook_number(line + 6, INT64_MAX, &v) != 0)
				return (-1);
			ab->built = (time_t)v;
			return (0);
		case 5:
			if (strncmp(line, "own ", 4) != 0)
				return (-1);
			if (strcmp(line + 4, ab->own_key) != 0) {
				l->stale = 1;	/* not damaged: outdated */
				return (-1);
			}
			l->state = 1;
			return (0);
		}
		return (-1);
	}
	if (line[0] == 'a' && line[1] == '\t')
		return (engine_addrbook_load_entry(ab, line));
	if (line[0] == 'm' && line[1] == ' ') {
		if (strlen(line + 2) != 16 ||
		    strspn(line + 2, "0123456789abcdef") != 16)
			return (-1);
		h = (uint64_t)strtoull(line + 2, &end, 16);
		if (ab->n_seen > 0 && h <= ab->seen[ab->n_seen - 1])
			return (-1);	/* out of order */
		engine_addrbook_see(ab, h);
		return (0);
	}
	if (strncmp(line, "end ", 4) == 0) {
		if ((end = strchr(line + 4, ' ')) == NULL)
			return (-1);
		*end++ = '\0';
		if (engine_addrbook_number(line + 4, LLONG_MAX, &v) != 0 ||
		    engine_addrbook_number(end, LLONG_MAX, &w) != 0 ||
		    (size_t)v != ab->n || (size_t)w != ab->n_seen)
			return (-1);
		/* The table was written ranked: keep it so. */
		for (i = 1; i < ab->n; i++) {
			if (engine_addrbook_cmp_rank(&ab->v[i - 1],
			    &ab->v[i]) > 0)
				return (-1);
		}
		l->state = 2;
		return (0);
	}
	(void)lineno;
	return (-1);
}

/* Reads the cache; 1 when there is none, -1 when it is not one. */
static int
engine_addrbook_load(struct engine_addrbook *ab, char **cause)
{
	struct engine_addrbook_load	 l;
	struct buf			 b;
	int				 rc;

	buf_init(&b);
	if (buf_read_file(&b, ab->path, ENGINE_ADDRBOOK_CACHE_MAX,
	    NULL) != 0) {
		buf_release(&b);
		return (1);
	}
	memset(&l, 0, sizeof l);
	l.ab = ab;
	rc = config_lines(ab->path, b.data, b.len, ENGINE_ADDRBOOK_LINE_MAX,
	    engine_addrbook_load_line, &l, NULL);
	buf_release(&b);
	if (l.stale) {
		engine_addrbook_clear(ab);
		return (1);
	}
	if (rc != 0 || l.state != 2) {
		xcause(cause, "ignoring the damaged address cache '%s'",
		    ab->path);
		engine_addrbook_clear(ab);
		return (-1);
	}
	ab->n_sorted = ab->n_seen;
	return (0);
}

static int
engine_addrbook_save(struct engine_addrbook *ab, char **cause)
{
	struct buf	 b;
	char		*dir;
	size_t		 i;
	int		 rc;

	buf_init(&b);
	buf_printf(&b, "%s\nuuid %s\nrevision %lu\nref %lld\nbuilt %lld\n"
	    "own %s\n", ENGINE_ADDRBOOK_MAGIC, ab->uuid, ab->revision,
	    (long long)ab->ref, (long long)ab->built, ab->own_key);
	for (i = 0; i < ab->n; i++) {
		buf_printf(&b, "a\t%.17g\t%u\t%u\t%lld\t%s\t%s\n",
		    ab->v[i].score, ab->v[i].count, ab->v[i].sent,
		    (long long)ab->v[i].last, ab->v[i].address, ab->v[i].name);
	}
	for (i = 0; i < ab->n_seen; i++) {
		if (i > 0 && ab->seen[i] == ab->seen[i - 1])
			continue;
		buf_printf(&b, "m %016llx\n", (unsigned long long)ab->seen[i]);
	}
	buf_printf(&b, "end %zu %zu\n", ab->n, ab->n_seen);
	dir = path_dirname(ab->path);
	rc = path_mkdirs(dir, 0700, cause);
	free(dir);
	if (rc == 0)
		rc = path_write_atomic(ab->path, b.data, b.len, 0600, cause);
	buf_release(&b);
	return (rc);
}

/* Opening and updating --------------------------------------------------- */

char *
engine_addrbook_default_path(void)
{
	const char	*v;
	char		*home, *path;

	/* The XDG rule: only an absolute path counts. */
	if ((v = getenv("XDG_CACHE_HOME")) != NULL && *v == '/')
		xasprintf(&path, "%s/satchel/addresses", v);
	else {
		home = path_expand("~");
		xasprintf(&path, "%s/.cache/satchel/addresses", home);
		free(home);
	}
	return (path);
}

static int
engine_addrbook_cmp_str(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

struct engine_addrbook *
engine_addrbook_open(const struct config *cfg, const char *path)
{
	struct engine_addrbook	*ab;
	struct buf		 key;
	char			*lower, *cause = NULL;
	size_t			 i, j;
	int			 rc;

	ab = xcalloc(1, sizeof *ab);
	ab->path = path != NULL ? xstrdup(path) :
	    engine_addrbook_default_path();
	for (i = 0; cfg != NULL && i < cfg->n_accounts; i++) {
		if (cfg->accounts[i].email == NULL)
			continue;
		lower = xstrdup(cfg->accounts[i].email);
		for (j = 0; lower[j] != '\0'; j++)
			lower[j] = (char)tolower((unsigned char)lower[j]);
		ab->own = xreallocarray(ab->own, ab->n_own + 1,
		    sizeof *ab->own);
		ab->own[ab->n_own++] = lower;
	}
	if (ab->n_own > 1)
		qsort(ab->own, ab->n_own, sizeof *ab->own,
		    engine_addrbook_cmp_str);
	buf_init(&key);
	for (i = 0; i < ab->n_own; i++)
		buf_printf(&key, "%s,", ab->own[i]);
	snprintf(ab->own_key, sizeof ab->own_key, "%016llx",
	    (unsigned long long)engine_addrbook_hash(key.data, 0));
	buf_release(&key);

	rc = engine_addrbook_load(ab, &cause);
	ab->stats.cache = rc == 0 ? 1 : (rc == 1 ? 0 : -1);
	if (rc == -1) {
		log_warnx("addrbook: %s", cause);
		free(cause);
	}
	ab->stats.addresses = ab->n;
	return (ab);
}

void
engine_addrbook_free(struct engine_addrbook *ab)
{
	size_t	 i;

	if (ab == NULL)
		return;
	engine_addrbook_clear(ab);
	for (i = 0; i < ab->n_own; i++)
		free(ab->own[i]);
	free(ab->own);
	free(ab->path);
	free(ab);
}

const struct engine_addrbook_stats *
engine_addrbook_stats(const struct engine_addrbook *ab)
{
	return (&ab->stats);
}

static int
engine_addrbook_is_own(const struct engine_addrbook *ab, const char *addr)
{
	size_t	 i;

	for (i = 0; i < ab->n_own; i++) {
		if (engine_addrbook_same(ab->own[i], addr))
			return (1);
	}
	return (0);
}

/* The mailboxes of one header, gathered for a message. */
struct engine_addrbook_found {
	char	**addr;
	char	**name;
	size_t	  n;
};

static void
engine_addrbook_found_add(const char *addr, const char *name, void *arg)
{
	struct engine_addrbook_found	*f = arg;

	f->addr = xreallocarray(f->addr, f->n + 1, sizeof *f->addr);
	f->name = xreallocarray(f->name, f->n + 1, sizeof *f->name);
	f->addr[f->n] = xstrdup(addr);
	f->name[f->n++] = xstrdup(name);
}

static void
engine_addrbook_found_release(struct engine_addrbook_found *f)
{
	size_t	 i;

	for (i = 0; i < f->n; i++) {
		free(f->addr[i]);
		free(f->name[i]);
	}
	free(f->addr);
	free(f->name);
	memset(f, 0, sizeof *f);
}

/*
 * The header of a message file, at most ENGINE_ADDRBOOK_HEADER_MAX
 * bytes of it, parsed: the body is never read.  NULL when the file
 * cannot be read.
 */
static struct mime_message *
engine_addrbook_read_header(const char *path)
{
	struct mime_message	*m;
	char			*data, *end;
	ssize_t			 r;
	size_t			 len = 0;
	int			 fd;

	if ((fd = open(path, O_RDONLY|O_CLOEXEC)) == -1)
		return (NULL);
	data = xmalloc(ENGINE_ADDRBOOK_HEADER_MAX + 1);
	while (len < ENGINE_ADDRBOOK_HEADER_MAX) {
		r = read(fd, data + len, ENGINE_ADDRBOOK_HEADER_MAX - len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
		data[len] = '\0';
		if (strstr(data, "\n\n") != NULL ||
		    strstr(data, "\n\r\n") != NULL)
			break;
	}
	close(fd);
	data[len] = '\0';
	/* Up to the blank line; a NUL before it ends the search too. */
	if ((end = strstr(data, "\n\n")) != NULL ||
	    (end = strstr(data, "\n\r\n")) != NULL)
		len = (size_t)(end - data) + 1;
	m = mime_message_parse(data, len, NULL);
	free(data);
	return (m);
}

/* Counts what one message says: its sender, or whom the user wrote to
 * (read from the file: the index keeps no recipients). */
static void
engine_addrbook_message(struct engine_addrbook *ab,
    struct store_envelopes *es, const struct store_envelope *e)
{
	static const struct {
		const char	*header;
		double		 weight;
	} rcpt[] = {
		{ "To", ENGINE_ADDRBOOK_W_TO },
		{ "Cc", ENGINE_ADDRBOOK_W_CC },
		{ "Bcc", ENGINE_ADDRBOOK_W_CC },
	};
	struct engine_addrbook_found	 from, to;
	struct mime_message		*m;
	const char			*path, *v;
	size_t				 i, j;
	int				 own = 0;

	memset(&from, 0, sizeof from);
	engine_addrbook_parse_list(e->from, engine_addrbook_found_add, &from);
	for (i = 0; i < from.n && !own; i++)
		own = engine_addrbook_is_own(ab, from.addr[i]);
	if (!own) {
		for (i = 0; i < from.n; i++)
			engine_addrbook_count(ab, from.addr[i], from.name[i],
			    e->date, ENGINE_ADDRBOOK_W_FROM, 0);
		engine_addrbook_found_release(&from);
		return;
	}
	engine_addrbook_found_release(&from);
	if ((path = store_envelopes_filename(es)) == NULL ||
	    (m = engine_addrbook_read_header(path)) == NULL)
		return;
	ab->stats.sent_read++;
	for (i = 0; i < sizeof rcpt / sizeof rcpt[0]; i++) {
		if ((v = mime_message_header(m, rcpt[i].header)) == NULL)
			continue;
		memset(&to, 0, sizeof to);
		engine_addrbook_parse_list(v, engine_addrbook_found_add, &to);
		for (j = 0; j < to.n; j++)
			engine_addrbook_count(ab, to.addr[j], to.name[j],
			    e->date, rcpt[i].weight, 1);
		engine_addrbook_found_release(&to);
	}
	mime_message_free(m);
}

int
engine_addrbook_update(struct engine_addrbook *ab, struct store_index *idx,
    char **cause)
{
	struct store_envelopes	*es;
	struct store_envelope	 e;
	enum store_status	 st;
	unsigned long		 rev;
	time_t			 now = date_now();
	char			*uuid, *q, *why = NULL;
	uint64_t		 h;
	int			 full;

	rev = store_index_revision(idx, &uuid);
	full = ab->uuid == NULL || strcmp(ab->uuid, uuid) != 0 ||
	    rev < ab->revision || now - ab->built > ENGINE_ADDRBOOK_REBUILD ||
	    ab->built > now + 86400;
	ab->stats.full = full;
	ab->stats.messages = 0;
	ab->stats.sent_read = 0;
	if (!full && rev == ab->revision) {
		free(uuid);
		return (0);
	}
	if (full) {
		engine_addrbook_clear(ab);
		ab->ref = ab->built = now;
		q = xstrdup("*");
	} else
		xasprintf(&q, "lastmod:%lu..%lu", ab->revision, rev);
	st = store_index_search_envelopes(idx, q, &es, cause);
	free(q);
	if (st != STORE_OK) {
		free(uuid);
		return (-1);
	}
	while (store_envelopes_next(es, &e)) {
		h = engine_addrbook_hash(e.message_id, 0);
		if (engine_addrbook_seen(ab, h))
			continue;	/* counted before; only its tags moved */
		engine_addrbook_see(ab, h);
		ab->stats.messages++;
		engine_addrbook_message(ab, es, &e);
	}
	store_envelopes_free(es);
	engine_addrbook_rank(ab);
	free(ab->uuid);
	ab->uuid = uuid;
	ab->revision = rev;
	ab->stats.addresses = ab->n;
	/* A cache that cannot be written costs the next start a rebuild. */
	if (engine_addrbook_save(ab, &why) != 0) {
		log_warnx("addrbook: %s", why);
		free(why);
	}
	return (0);
}

/* Queries ---------------------------------------------------------------- */

/* Whether word starts s or, with words set, one of its words. */
static int
engine_addrbook_match(const char *s, const char *word, int words)
{
	const char	*p;

	if (engine_addrbook_starts(s, word))
		return (1);
	if (!words || *s == '\0')
		return (0);
	for (p = s + 1; *p != '\0'; p++) {
		if (isalnum((unsigned char)p[-1]) || (p[-1] & 0x80) != 0 ||
		    (*p & 0xc0) == 0x80)
			continue;
		if (engine_addrbook_starts(p, word))
			return (1);
	}
	return (0);
}

static void
engine_addrbook_push(struct engine_address **v, size_t *n,
    const char *address, const char *name, const char *other, double score,
    unsigned int count, unsigned int sent, time_t last)
{
	struct engine_address	*a;

	*v = xreallocarray(*v, *n + 1, sizeof **v);
	a = &(*v)[(*n)++];
	a->address = xstrdup(address);
	a->name = xstrdup(name);
	a->other = xstrdup(other);
	a->score = score;
	a->count = count;
	a->sent = sent;
	a->last = last;
}

void
engine_addrbook_query(struct engine_addrbook *ab, const char *word,
    size_t limit, struct engine_address **v, size_t *n)
{
	struct engine_addrbook_entry	*e;
	struct buf			 w;
	size_t				 i;

	*v = NULL;
	*n = 0;
	buf_init(&w);
	text_utf8_repair(&w, word, strlen(word));
	for (i = 0; i < ab->n && *n < limit; i++) {
		e = &ab->v[i];
		if (!engine_addrbook_match(e->address, w.data, 0) &&
		    !engine_addrbook_match(e->name, w.data, 1))
			continue;
		engine_addrbook_push(v, n, e->address, e->name, "", e->score,
		    e->count, e->sent, e->last);
	}
	buf_release(&w);
}

static int
engine_addrbook_has(const struct engine_address *v, size_t n,
    const char *address)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (engine_addrbook_same(v[i].address, address))
			return (1);
	}
	return (0);
}

size_t
engine_addrbook_parse_query(const char *out, size_t len, size_t limit,
    struct engine_address **v, size_t *n)
{
	const char	*p, *end = out + len, *nl, *tab, *f[3];
	size_t		 skipped = 0, lens[3], k;
	char		*addr, *name, *other;

	/* The first line is the command's own message. */
	if ((p = memchr(out, '\n', len)) == NULL)
		return (0);
	for (p++; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;	/* cut short by the output cap */
		len = (size_t)(nl - p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (len == 0)
			continue;
		if (len > ENGINE_ADDRBOOK_LINE_MAX || *n >= limit) {
			skipped += len > ENGINE_ADDRBOOK_LINE_MAX;
			continue;
		}
		memset(f, 0, sizeof f);
		memset(lens, 0, sizeof lens);
		for (k = 0; k < 3; k++) {
			f[k] = p;
			tab = k < 2 ? memchr(p, '\t', len) : NULL;
			lens[k] = tab != NULL ? (size_t)(tab - p) : len;
			if (tab == NULL)
				break;
			len -= lens[k] + 1;
			p = tab + 1;
		}
		addr = engine_addrbook_clean_address(f[0], lens[0]);
		if (addr == NULL) {
			skipped++;
			continue;
		}
		name = engine_addrbook_clean_name(f[1] != NULL ? f[1] : "",
		    lens[1]);
		other = engine_addrbook_clean_name(f[2] != NULL ? f[2] : "",
		    lens[2]);
		if (engine_addrbook_same(name, addr))
			*name = '\0';
		if (!engine_addrbook_has(*v, *n, addr))
			engine_addrbook_push(v, n, addr, name, other, 0, 0, 0,
			    0);
		free(other);
		free(name);
		free(addr);
	}
	return (skipped);
}

/* The command with %s (or, without one, a word added) as the word. */
static char *
engine_addrbook_command(const char *command, const char *word)
{
	struct buf	 b, q;
	const char	*p;
	int		 used = 0;

	buf_init(&q);
	buf_addch(&q, '\'');
	for (p = word; *p != '\0'; p++) {
		if (*p == '\'')
			buf_addstr(&q, "'\\''");
		else
			buf_addch(&q, *p);
	}
	buf_addch(&q, '\'');
	buf_init(&b);
	/* Run by "satchel addresses", satchel must not ask itself again. */
	buf_addstr(&b, "SATCHEL_QUERY_COMMAND=1; export SATCHEL_QUERY_COMMAND; ");
	for (p = command; *p != '\0'; p++) {
		if (p[0] == '%' && p[1] == 's') {
			buf_addstr(&b, q.data);
			used = 1;
			p++;
		} else if (p[0] == '%' && p[1] == '%') {
			buf_addch(&b, '%');
			p++;
		} else
			buf_addch(&b, *p);
	}
	if (!used)
		buf_printf(&b, " %s", q.data);
	buf_release(&q);
	return (buf_detach(&b, NULL));
}

int
engine_addrbook_external(const char *command, const char *word,
    size_t limit, struct engine_address **v, size_t *n, char **cause)
{
	struct buf	 out;
	char		*full, st[64], *first;
	size_t		 len;
	int		 status, rc = -1;

	*v = NULL;
	*n = 0;
	buf_init(&out);
	full = engine_addrbook_command(command, word);
	if (proc_run(full, -1, &out, ENGINE_ADDRBOOK_QUERY_OUT,
	    ENGINE_ADDRBOOK_QUERY_TIMEOUT, &status, NULL) != 0) {
		xcause(cause, "query_command '%s' took more than %d seconds "
		    "or could not start", command,
		    ENGINE_ADDRBOOK_QUERY_TIMEOUT);
		goto out;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		len = strcspn(out.data, "\n");
		first = engine_addrbook_clean_name(out.data, len > 200 ? 200 :
		    len);
		xcause(cause, "query_command '%s' failed (%s)%s%s", command,
		    proc_status_text(status, st, sizeof st),
		    *first != '\0' ? ": " : "", first);
		free(first);
		goto out;
	}
	if (engine_addrbook_parse_query(out.data, out.len, limit, v, n) > 0)
		log_info("addrbook: query_command '%s' printed lines that "
		    "are not 'address<TAB>name'", command);
	rc = 0;
out:
	free(full);
	buf_release(&out);
	return (rc);
}

int
engine_addrbook_lookup(struct engine_addrbook *ab, const char *word,
    size_t limit, const char *command, struct engine_address **v,
    size_t *n, char **cause)
{
	struct engine_address	*ext = NULL, *a;
	size_t			 n_ext = 0, i, j;
	int			 rc = 0;

	*v = NULL;
	*n = 0;
	if (ab != NULL)
		engine_addrbook_query(ab, word, limit, v, n);
	if (command == NULL || *command == '\0')
		return (0);
	rc = engine_addrbook_external(command, word, limit, &ext, &n_ext,
	    cause);
	for (i = 0; i < n_ext; i++) {
		for (j = 0; j < *n; j++) {
			a = &(*v)[j];
			if (!engine_addrbook_same(a->address, ext[i].address))
				continue;
			/* Known here: the other side may know the name. */
			if (*a->name == '\0' && *ext[i].name != '\0') {
				free(a->name);
				a->name = xstrdup(ext[i].name);
			}
			break;
		}
		if (j == *n)
			engine_addrbook_push(v, n, ext[i].address, ext[i].name,
			    ext[i].other, 0, 0, 0, 0);
	}
	engine_addresses_free(ext, n_ext);
	return (rc);
}

void
engine_addresses_free(struct engine_address *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(v[i].address);
		free(v[i].name);
		free(v[i].other);
	}
	free(v);
}
