#!/bin/sh
# addresses.sh [COUNT] [RUNS]: the address book on a generated corpus
# (default 100000 messages, 3 runs each): building it from nothing
# ("satchel addresses" with no cache), a query from the cache with the
# index unchanged, and an update after a tag change on many messages,
# beside "notmuch address --output=recipients --deduplicate=address"
# (and --output=sender) on the same corpus, in the same run, warm cache.
# satchel reads From from the database and only Alice's own mail (about
# a quarter) from the files; notmuch address reads every file.
#
# BENCH_HOME=DIR keeps the generated and indexed corpus in DIR, and
# reuses it when it is already there.
. "$(dirname "$0")/lib-bench.sh"
command -v notmuch >/dev/null || { echo "bench: notmuch is not installed" >&2; exit 1; }
count=${1:-100000}
runs=${2:-3}
h=${BENCH_HOME:-$BENCH_TMP/home}

# The corpus, made once (indexing 100k messages takes minutes).
[ -d "$h/Mail/.notmuch" ] || { bench_home "$h" &&
    "$GEN_MAIL" -s 1 -n "$count" "$h/Mail" > /dev/null &&
    bench_in "$h" "$SATCHEL" index -q; }
# Alice is the user: her sent mail's recipients are read.
grep -q '^\[account alice\]' "$h/.config/satchel/config" ||
    printf '[account alice]\ntype = maildir\nemail = alice@example.test\n' \
    >> "$h/.config/satchel/config"
cache="$h/.cache/satchel/addresses"
messages=$(bench_in "$h" notmuch count '*')
bench_warm "$h/Mail"

# time COMMAND...: seconds, output to $BENCH_TMP/out
timed() {
	t0=$(bench_now)
	bench_in "$h" "$@" > "$BENCH_TMP/out"
	t1=$(bench_now)
	bench_calc "$t1 - $t0"
}

build="" query="" retag="" nm_r="" nm_s=""
i=0
while [ $i -lt "$runs" ]; do
	rm -f "$cache"
	build="$build $(timed "$SATCHEL" addresses --limit 10 a)"
	query="$query $(timed "$SATCHEL" addresses --limit 10 ca)"
	bench_in "$h" notmuch tag "+bench$i" -- tag:unread
	retag="$retag $(timed "$SATCHEL" addresses --limit 10 ca)"
	nm_r="$nm_r $(timed notmuch address --output=recipients \
	    --deduplicate=address '*')"
	nm_s="$nm_s $(timed notmuch address --output=sender \
	    --deduplicate=address '*')"
	i=$((i + 1))
done
n_book=$(bench_in "$h" "$SATCHEL" addresses --limit 100000 '' | tail -n +2 | wc -l)
n_nm=$(bench_in "$h" notmuch address --output=sender --output=recipients \
    --deduplicate=address '*' | wc -l)
retagged=$(bench_in "$h" notmuch count tag:unread)
size=$(wc -c < "$cache")

echo "address book on $messages messages (gen-mail -s 1 -n $count), $runs runs each, warm cache"
printf '%-52s %-26s %9s\n' what "runs (s)" "median s"
row() {
	printf '%-52s %-26s %9.3f\n' "$1" \
	    "$(echo $2 | sed 's/\(\.[0-9][0-9][0-9]\)[0-9]*/\1/g')" \
	    "$(bench_median $2)"
}
row "satchel addresses: build (no cache)" "$build"
row "satchel addresses: query, index unchanged" "$query"
row "satchel addresses: after a tag change on $retagged" "$retag"
row "notmuch address --output=recipients (dedup)" "$nm_r"
row "notmuch address --output=sender (dedup)" "$nm_s"
echo "addresses: $n_book in the book, $n_nm from notmuch address (sender and recipients); cache $size bytes"
