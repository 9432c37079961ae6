/*
 * tests/unit/engine/addrbook.c: the address book on a real notmuch index
 * in a temporary directory: cleaning hostile addresses and names, reading
 * address lists, ranking (frequency against recency, mail the user wrote),
 * prefix matching, incremental updates, the cache (kept, damaged,
 * outdated) and query_command output (merged, malformed, failing).
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "mime/mime.h"
#include "store/store.h"
#include "engine/engine.h"
#include "tests/unit/tap.h"
#include "tests/unit/mailtest.h"

#define NOW	1793534400	/* 2026-11-01, as SATCHEL_NOW */
#define DAY	86400

static int	 msgno;

/* "a b" of the addresses of v, best first. */
static char *
join(struct engine_address *v, size_t n)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i == 0 ? "" : " ", v[i].address);
	return (buf_detach(&b, NULL));
}

static void
check_query(struct engine_addrbook *ab, const char *word, size_t limit,
    const char *want, const char *name)
{
	struct engine_address	*v;
	size_t			 n;
	char			*got;

	engine_addrbook_query(ab, word, limit, &v, &n);
	got = join(v, n);
	is_str(got, want, name);
	free(got);
	engine_addresses_free(v, n);
}

/* A message in INBOX (or Sent) dated days before NOW. */
static void
put(const char *from, const char *to, const char *cc, double days)
{
	struct buf	 b;
	char		 date[64], *rel;
	time_t		 t = NOW - (time_t)(days * DAY);
	struct tm	 tm;

	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	buf_init(&b);
	buf_printf(&b, "From: %s\nTo: %s\n", from, to);
	if (cc != NULL)
		buf_printf(&b, "Cc: %s\n", cc);
	buf_printf(&b, "Subject: m%d\nDate: %s\nMessage-ID: <m%d@test>\n\n"
	    "Body %d.\n", msgno, date, msgno, msgno);
	xasprintf(&rel, "INBOX/cur/%d.m%d:2,S", 1000 + msgno, msgno);
	mailtest_write(rel, b.data);
	free(rel);
	buf_release(&b);
	msgno++;
}

static void
scan(struct store_index *idx)
{
	char	*cause = NULL;

	if (engine_ingest_scan(idx, NULL, NULL, &cause) != 0) {
		diag("scan: %s", cause);
		exit(1);
	}
}

static void
test_clean(void)
{
	char	 big[400], *s;

	s = engine_addrbook_clean_address("  bob@example.test \t", 20);
	is_str(s, "bob@example.test", "address: white space trimmed");
	free(s);
	ok(engine_addrbook_clean_address("bob", 3) == NULL, "address: no @");
	ok(engine_addrbook_clean_address("a@b@c", 5) == NULL, "address: two @");
	ok(engine_addrbook_clean_address("@b", 2) == NULL, "address: no local");
	ok(engine_addrbook_clean_address("b@", 2) == NULL, "address: no domain");
	ok(engine_addrbook_clean_address("a\033[31m@b", 9) == NULL,
	    "address: an escape sequence");
	ok(engine_addrbook_clean_address("a\xe2\x80\xae" "b@c", 7) == NULL,
	    "address: U+202E");
	ok(engine_addrbook_clean_address("a\xff@c", 4) == NULL,
	    "address: not UTF-8");
	ok(engine_addrbook_clean_address("a b@c", 5) == NULL,
	    "address: a space inside");
	ok(engine_addrbook_clean_address("a<b@c", 5) == NULL,
	    "address: a '<'");
	memset(big, 'a', sizeof big);
	memcpy(big + 240, "@example.test", 13);
	s = engine_addrbook_clean_address(big, 253);
	ok(s != NULL, "address: 253 bytes kept");
	free(s);
	memset(big + 253, 'a', 2);
	s = engine_addrbook_clean_address(big, 254);
	ok(s != NULL, "address: ENGINE_ADDRESS_MAX bytes kept");
	free(s);
	ok(engine_addrbook_clean_address(big, 255) == NULL,
	    "address: one past ENGINE_ADDRESS_MAX dropped");
	s = engine_addrbook_clean_address("j\xc3\xb6rg@b\xc3\xbc" "cher.de",
	    16);
	is_str(s, "j\xc3\xb6rg@b\xc3\xbc" "cher.de", "address: UTF-8 kept");
	free(s);

	s = engine_addrbook_clean_name(" Alice \t\n Martin ", 17);
	is_str(s, "Alice Martin", "name: white space folded");
	free(s);
	s = engine_addrbook_clean_name("Ev\xe2\x80\xaeil\x07\x1b[2J", 12);
	is_str(s, "Evil[2J", "name: bidi, bell and escape dropped");
	free(s);
	s = engine_addrbook_clean_name("'Bob'", 5);
	is_str(s, "Bob", "name: quotes around it dropped");
	free(s);
	s = engine_addrbook_clean_name("\xc2\x9b" "x\xff", 4);
	is_str(s, "x\xef\xbf\xbd", "name: C1 dropped, bad byte U+FFFD");
	free(s);
	for (s = big; s < big + 300; s += 2)
		memcpy(s, "\xc3\xa9", 2);
	s = engine_addrbook_clean_name(big, 300);
	ok(strlen(s) <= ENGINE_NAME_MAX && strlen(s) >= ENGINE_NAME_MAX - 1 &&
	    text_utf8_len(s + strlen(s) - 2, 2) == 2,
	    "name: an absurd length is cut at a character");
	free(s);
}

static void
found(const char *addr, const char *name, void *arg)
{
	struct buf	*b = arg;

	buf_printf(b, "[%s|%s]", addr, name);
}

static void
check_list(const char *value, const char *want, const char *name)
{
	struct buf	 b;

	buf_init(&b);
	engine_addrbook_parse_list(value, found, &b);
	is_str(b.data, want, name);
	buf_release(&b);
}

static void
test_lists(void)
{
	char	*s;

	check_list("Alice Martin <alice@example.test>",
	    "[alice@example.test|Alice Martin]", "list: name <addr>");
	check_list("\"Martin, Alice\" <a@x.test>, b@x.test (Bob B), c@x.test",
	    "[a@x.test|Martin, Alice][b@x.test|Bob B][c@x.test|]",
	    "list: quoted comma, comment, bare");
	check_list("Team: d@x.test, \"E \\\"e\\\"\" <e@x.test>;, f@x.test",
	    "[d@x.test|][e@x.test|E \"e\"][f@x.test|]", "list: a group");
	check_list("undisclosed-recipients:;", "", "list: an empty group");
	check_list("g@x.test <g@x.test>", "[g@x.test|]",
	    "list: a name that is the address is none");
	check_list("<h@x.test", "[h@x.test|]", "list: no '>'");
	check_list("\"unterminated <i@x.test>", "",
	    "list: an open quote swallows the rest");
	check_list("nobody, ,, <>, <not an address>", "",
	    "list: nothing valid");
	check_list("Ev\xe2\x80\xaeil\x1b[31m\x07 <evil@x.test>",
	    "[evil@x.test|Evil[31m]", "list: a hostile name cleaned");

	s = engine_address_format("a@x.test", "Alice Martin");
	is_str(s, "Alice Martin <a@x.test>", "format: plain name");
	free(s);
	s = engine_address_format("a@x.test", "Martin, Alice \"Al\"");
	is_str(s, "\"Martin, Alice \\\"Al\\\"\" <a@x.test>",
	    "format: quoted when needed");
	free(s);
	s = engine_address_format("a@x.test", "");
	is_str(s, "a@x.test", "format: no name");
	free(s);
}

static struct config *
own_config(const char *email)
{
	struct config	*cfg = xcalloc(1, sizeof *cfg);
	char		*text, *cause = NULL;

	config_init(cfg);
	xasprintf(&text, "mail_root = %s\n[account me]\ntype = maildir\n"
	    "email = %s\n", mailtest_root, email);
	if (config_parse(cfg, "t.conf", text, strlen(text), &cause) != 0) {
		diag("config: %s", cause);
		exit(1);
	}
	free(text);
	return (cfg);
}

static void
write_file(const char *path, const char *text)
{
	char	*cause = NULL;

	if (path_write_file(path, text, strlen(text), 0600, 0, &cause) != 0) {
		diag("%s", cause);
		exit(1);
	}
}

/* Replaces the first match of from in the file by to. */
static void
edit_file(const char *path, const char *from, const char *to)
{
	struct buf	 b, o;
	char		*p;

	buf_init(&b);
	if (buf_read_file(&b, path, 1 << 24, NULL) != 0)
		fatalx("cannot read %s", path);
	if ((p = strstr(b.data, from)) == NULL)
		fatalx("no '%s' in %s", from, path);
	buf_init(&o);
	buf_add(&o, b.data, (size_t)(p - b.data));
	buf_addstr(&o, to);
	buf_addstr(&o, p + strlen(from));
	write_file(path, o.data);
	buf_release(&o);
	buf_release(&b);
}

static void
check_damaged(const char *cache, struct config *cfg, struct store_index *idx,
    const char *from, const char *to, const char *name)
{
	struct engine_addrbook	*ab;
	char			*cause = NULL;

	edit_file(cache, from, to);
	ab = engine_addrbook_open(cfg, cache);
	ok(engine_addrbook_stats(ab)->cache == -1 &&
	    engine_addrbook_stats(ab)->addresses == 0, name);
	if (engine_addrbook_update(ab, idx, &cause) != 0)
		fatalx("update: %s", cause);
	ok(engine_addrbook_stats(ab)->full, "... and rebuilt");
	engine_addrbook_free(ab);
	ab = engine_addrbook_open(cfg, cache);
	ok(engine_addrbook_stats(ab)->cache == 1, "... and the cache is good");
	engine_addrbook_free(ab);
}

static void
test_book(void)
{
	struct engine_addrbook	*ab;
	struct store_index	*idx;
	struct config		*cfg, *other;
	char			*cache, *cause = NULL;
	char			*tags[] = { (char *)"later", NULL };
	int			 i;

	mailtest_mkdirs("INBOX/cur");
	mailtest_mkdirs("INBOX/new");
	mailtest_mkdirs("INBOX/tmp");
	/* Often, but three years ago, against a few times last week. */
	for (i = 0; i < 20; i++)
		put("Olde Friend <old@example.test>", "me@example.test", NULL,
		    3 * 365 + i);
	for (i = 0; i < 3; i++)
		put("Newer Person <new@example.test>", "me@example.test", NULL,
		    2 + i);
	/* Ten times two months ago, against once yesterday. */
	for (i = 0; i < 10; i++)
		put("Middle <mid@example.test>", "me@example.test", NULL, 60);
	put("One Off <one@example.test>", "me@example.test", NULL, 1);
	/* The user wrote to friend once, yesterday: more than one's mail. */
	put("Me <ME@example.test>", "Good Friend <friend@example.test>",
	    "Copied <cc@example.test>", 1);
	/* No name; no address at all. */
	put("<noname@example.test>", "me@example.test", NULL, 3000);
	put("x", "me@example.test", NULL, 3000);
	/* An encoded comma in a name does not split the address. */
	put("Me <me@example.test>", "=?utf-8?q?Doe=2C_J=C3=B6rg?= "
	    "<jorg@example.test>", NULL, 700);
	put("=?utf-8?q?Zo=C3=AB_=C3=84rger?= <zoe@example.test>",
	    "me@example.test", NULL, 400);
	put("=?utf-8?b?RXbigK5pbAk=?= <evil@example.test>", "me@example.test",
	    NULL, 500);
	put("Long <aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "@example.test>", "me@example.test", NULL, 1);

	idx = mailtest_open_rw(NULL, 0, 1, 1);
	scan(idx);
	cfg = own_config("me@example.test");
	xasprintf(&cache, "%s/cache/satchel/addresses", mailtest_dir);
	ab = engine_addrbook_open(cfg, cache);
	ok(engine_addrbook_stats(ab)->cache == 0, "no cache at first");
	ok(engine_addrbook_update(ab, idx, &cause) == 0, "built");
	ok(engine_addrbook_stats(ab)->full, "... in full");
	is_int(engine_addrbook_stats(ab)->messages, msgno, "... every message");
	is_int(engine_addrbook_stats(ab)->sent_read, 2,
	    "... of which two the user's, whose files were read");
	ok(access(cache, R_OK) == 0, "... and cached");

	/*
	 * mid: 10 x 0.63, friend: 4 x 0.99 (To of the user's mail), new:
	 * 3 x 0.98, cc: 2 x 0.99, one: 1 x 0.99, then a year or more old;
	 * old wrote 20 times, three years ago: 20 x 0.0002.
	 */
	check_query(ab, "", 100, "mid@example.test friend@example.test "
	    "new@example.test cc@example.test one@example.test "
	    "zoe@example.test evil@example.test jorg@example.test "
	    "old@example.test noname@example.test",
	    "ranked by frequency and recency; no absurd address");
	check_query(ab, "", 2, "mid@example.test friend@example.test",
	    "the limit");
	check_query(ab, "o", 100, "one@example.test old@example.test",
	    "prefix of the address");
	check_query(ab, "OFF", 100, "one@example.test",
	    "prefix of a name's word, any case");
	check_query(ab, "good f", 100, "friend@example.test",
	    "two words of the name");
	check_query(ab, "iend", 100, "", "not inside a word");
	check_query(ab, "\xc3\xa4rg", 100, "zoe@example.test",
	    "a decoded UTF-8 name");
	check_query(ab, "\xc3\x84RG", 100, "zoe@example.test",
	    "... folded beyond ASCII");
	check_query(ab, "me@", 100, "", "the user's own From is not counted");
	check_query(ab, "doe", 100, "jorg@example.test",
	    "a recipient's encoded name");
	{
		struct engine_address	*v;
		size_t			 n;

		engine_addrbook_query(ab, "j\xc3\xb6rg", 1, &v, &n);
		is_str(n == 1 ? v[0].name : NULL, "Doe, J\xc3\xb6rg",
		    "... decoded, its comma kept");
		ok(n == 1 && v[0].sent == 1 && v[0].count == 1,
		    "... counted as written to");
		engine_addresses_free(v, n);
	}
	check_query(ab, "evil", 100, "evil@example.test",
	    "a hostile name is cleaned");

	/* Incremental: a new message, then a tag change only. */
	put("Newest <newest@example.test>", "me@example.test", NULL, 0.5);
	scan(idx);
	ok(engine_addrbook_update(ab, idx, &cause) == 0, "updated");
	ok(!engine_addrbook_stats(ab)->full, "... incrementally");
	is_int(engine_addrbook_stats(ab)->messages, 1, "... one message read");
	check_query(ab, "ne", 100, "new@example.test newest@example.test",
	    "... and it is there");
	if (store_index_tag_message(idx, "m0@test", tags, NULL, &cause) !=
	    STORE_OK)
		fatalx("tag: %s", cause);
	ok(engine_addrbook_update(ab, idx, &cause) == 0 &&
	    engine_addrbook_stats(ab)->messages == 0,
	    "a tag change counts nothing twice");
	engine_addrbook_free(ab);

	/* The cache serves the next open; the same revision costs nothing. */
	ab = engine_addrbook_open(cfg, cache);
	ok(engine_addrbook_stats(ab)->cache == 1, "the cache is read");
	check_query(ab, "n", 100, "new@example.test newest@example.test "
	    "noname@example.test", "... with the table");
	ok(engine_addrbook_update(ab, idx, &cause) == 0 &&
	    !engine_addrbook_stats(ab)->full &&
	    engine_addrbook_stats(ab)->messages == 0,
	    "... and nothing to do");
	engine_addrbook_free(ab);

	/* Other own addresses: the table is outdated, not damaged. */
	other = own_config("friend@example.test");
	ab = engine_addrbook_open(other, cache);
	ok(engine_addrbook_stats(ab)->cache == 0, "other own addresses: "
	    "the cache is not used");
	ok(engine_addrbook_update(ab, idx, &cause) == 0 &&
	    engine_addrbook_stats(ab)->full, "... rebuilt");
	check_query(ab, "me", 100, "ME@example.test",
	    "... friend's mail now counts as written (the address as seen)");
	engine_addrbook_free(ab);
	ab = engine_addrbook_open(cfg, cache);
	ok(engine_addrbook_update(ab, idx, &cause) == 0 &&
	    engine_addrbook_stats(ab)->full, "back again: rebuilt");
	engine_addrbook_free(ab);
	config_release(other);
	free(other);

	/* Damage of every kind is noticed, and repaired. */
	check_damaged(cache, cfg, idx, "\nend ", "\nend 1", "a wrong count");
	check_damaged(cache, cfg, idx, "\nend ", "\nen", "no end line");
	check_damaged(cache, cfg, idx, "\t", "\tx", "a score not a number");
	check_damaged(cache, cfg, idx, "friend@", "fri\x1b" "end@",
	    "a control character in an address");
	check_damaged(cache, cfg, idx, "\tGood Friend",
	    "\tGood\xe2\x80\xae Friend", "bidi in a name");
	check_damaged(cache, cfg, idx, "\nm ", "\nm 0000000000000000\nm ",
	    "Message-ID hashes out of order");
	check_damaged(cache, cfg, idx, "satchel-addresses 1",
	    "satchel-addresses 9", "another format");
	check_damaged(cache, cfg, idx, "revision ", "revision -",
	    "a bad revision");
	write_file(cache, "\x7f" "ELF\x01\x01\x01");
	ab = engine_addrbook_open(cfg, cache);
	ok(engine_addrbook_stats(ab)->cache == -1, "not text at all");
	engine_addrbook_free(ab);
	write_file(cache, "");
	ab = engine_addrbook_open(cfg, cache);
	ok(engine_addrbook_stats(ab)->cache == -1, "empty");
	engine_addrbook_free(ab);

	free(cache);
	config_release(cfg);
	free(cfg);
	store_index_close(idx);
}

static void
check_parse(const char *out, size_t limit, const char *want,
    size_t skipped, const char *name)
{
	struct engine_address	*v = NULL;
	struct buf		 b;
	size_t			 n = 0, i, got;

	got = engine_addrbook_parse_query(out, strlen(out), limit, &v, &n);
	buf_init(&b);
	for (i = 0; i < n; i++)
		buf_printf(&b, "[%s|%s|%s]", v[i].address, v[i].name,
		    v[i].other);
	is_str(b.data, want, name);
	is_int(got, skipped, "... lines skipped");
	buf_release(&b);
	engine_addresses_free(v, n);
}

static void
test_query_output(void)
{
	check_parse("", 10, "", 0, "query output: empty");
	check_parse("Searching...", 10, "", 0, "query output: status only");
	check_parse("Searching...\na@x.test\tA\tfriends\n", 10,
	    "[a@x.test|A|friends]", 0, "query output: one line");
	check_parse("s\r\na@x.test\tA\r\nb@x.test\n\n", 10,
	    "[a@x.test|A|][b@x.test||]", 0, "query output: CRLF, no name");
	check_parse("s\nnot an address\tX\n\tY\nc@x.test\tC\td\te\n", 10,
	    "[c@x.test|C|d e]", 2, "query output: malformed lines skipped");
	check_parse("s\nd@x.test\tEv\xe2\x80\xaeil\x1b[0m\n", 10,
	    "[d@x.test|Evil[0m|]", 0, "query output: a hostile name");
	check_parse("s\ne@x.test\tE\nE@X.TEST\tE2\n", 10, "[e@x.test|E|]", 0,
	    "query output: duplicates");
	check_parse("s\nf@x.test\nf2@x.test\nf3@x.test\n", 2,
	    "[f@x.test||][f2@x.test||]", 0, "query output: the limit");
	check_parse("s\ng@x.test\ng2@x.te", 10, "[g@x.test||]", 0,
	    "query output: a cut last line");
}

static void
test_external(void)
{
	struct engine_addrbook	*ab;
	struct engine_address	*v;
	struct store_index	*idx;
	char			*cause = NULL, *cache, *got;
	size_t			 n;

	xasprintf(&cache, "%s/cache/satchel/addresses", mailtest_dir);
	idx = mailtest_open_rw(NULL, 0, 1, 0);
	ab = engine_addrbook_open(NULL, cache);
	if (engine_addrbook_update(ab, idx, &cause) != 0)
		fatalx("update: %s", cause);

	/* %s is the word, quoted for the shell. */
	ok(engine_addrbook_external("printf 'one moment\\n%%s@x.test\\tQ\\n' "
	    "%s", "o'b r", 10, &v, &n, &cause) == 0 && n == 0,
	    "external: a word with a space makes no address");
	engine_addresses_free(v, n);
	ok(engine_addrbook_external("printf 'one moment\\n%%s@x.test\\tQ\\n' "
	    "%s", "o'br", 10, &v, &n, &cause) == 0 && n == 1 &&
	    strcmp(v[0].address, "o'br@x.test") == 0,
	    "external: the word quoted");
	engine_addresses_free(v, n);
	ok(engine_addrbook_external("echo s; printf '%%s@x.test\\n' "
	    "\"$SATCHEL_QUERY_COMMAND\"; :", "w", 10, &v, &n, &cause) == 0 &&
	    n == 1 && strcmp(v[0].address, "1@x.test") == 0,
	    "external: without %s the word is appended; the variable is set");
	engine_addresses_free(v, n);

	/* Merged after the local ones, without duplicates. */
	ok(engine_addrbook_lookup(ab, "ne", 10, "printf 'found\\n"
	    "NEW@example.test\\tNew P\\nnext@x.test\\tNext\\n'", &v, &n,
	    &cause) == 0, "lookup with a query_command");
	got = join(v, n);
	is_str(got, "new@example.test newest@example.test next@x.test",
	    "... local first, then the command's, once each");
	free(got);
	engine_addresses_free(v, n);

	/* A failing command is reported; the local ones still come. */
	ok(engine_addrbook_lookup(ab, "ne", 10, "echo 'no such book'; exit 3",
	    &v, &n, &cause) == -1, "a failing query_command");
	ok(cause != NULL && strstr(cause, "exit 3") != NULL &&
	    strstr(cause, "no such book") != NULL, "... says why");
	free(cause);
	cause = NULL;
	got = join(v, n);
	is_str(got, "new@example.test newest@example.test",
	    "... and the local ones are kept");
	free(got);
	engine_addresses_free(v, n);
	ok(engine_addrbook_lookup(NULL, "x", 10, "exit 0", &v, &n, &cause) ==
	    0 && n == 0, "no address book, a silent command: nothing");
	engine_addresses_free(v, n);

	engine_addrbook_free(ab);
	store_index_close(idx);
	free(cache);
}

int
main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	if (setenv("SATCHEL_NOW", "1793534400", 1) != 0)
		fatal("setenv");
	mailtest_init("addrbook");
	mime_init();
	test_clean();
	test_lists();
	test_book();
	test_query_output();
	test_external();
	mime_shutdown();
	mailtest_release();
	return (tap_done());
}
