#!/bin/sh
# index-vs-notmuch.sh [COUNT] [RUNS]: "satchel index" against "notmuch new"
# on the same generated Maildir (default 10000 messages, 3 runs each,
# alternating which goes first; fresh database every run; warm cache).
# Both index through libnotmuch, so the numbers should match: satchel's
# own work (walking, tagging, flags) must not make it slower.
. "$(dirname "$0")/lib-bench.sh"
command -v notmuch >/dev/null || { echo "bench: notmuch is not installed" >&2; exit 1; }
count=${1:-10000}
runs=${2:-3}

"$GEN_MAIL" -s 1 -n "$count" "$BENCH_TMP/mail" > /dev/null
for tool in satchel notmuch; do
	bench_home "$BENCH_TMP/$tool"
	cp -R "$BENCH_TMP/mail" "$BENCH_TMP/$tool/Mail"
done
files=$(find "$BENCH_TMP/mail" -type f | wc -l)
rm -rf "$BENCH_TMP/mail"

run_one() {
	tool=$1
	h="$BENCH_TMP/$tool"
	rm -rf "$h/Mail/.notmuch"
	bench_warm "$h/Mail"
	if [ "$tool" = satchel ]; then
		set -- "$SATCHEL" index -q
	else
		set -- notmuch new --quiet
	fi
	t0=$(bench_now)
	bench_in "$h" /usr/bin/time -f '%M' -o "$BENCH_TMP/rss" "$@" > /dev/null
	t1=$(bench_now)
	bench_calc "$t1 - $t0"
}

incremental() {
	h="$BENCH_TMP/$1"
	if [ "$1" = satchel ]; then
		set -- "$SATCHEL" index -q
	else
		set -- notmuch new --quiet
	fi
	t0=$(bench_now)
	bench_in "$h" "$@" > /dev/null
	t1=$(bench_now)
	bench_calc "$t1 - $t0"
}

s_times="" n_times="" s_rss=0 n_rss=0
i=0
while [ $i -lt "$runs" ]; do
	if [ $((i % 2)) = 0 ]; then order="satchel notmuch"; else order="notmuch satchel"; fi
	for tool in $order; do
		t=$(run_one $tool)
		rss=$(cat "$BENCH_TMP/rss")
		if [ $tool = satchel ]; then
			s_times="$s_times $t"; s_rss=$rss
		else
			n_times="$n_times $t"; n_rss=$rss
		fi
	done
	i=$((i + 1))
done
s_inc=$(incremental satchel)
n_inc=$(incremental notmuch)
s_med=$(bench_median $s_times)
n_med=$(bench_median $n_times)
s_msgs=$(bench_in "$BENCH_TMP/satchel" "$SATCHEL" search --output=messages '*' | wc -l)
n_msgs=$(bench_in "$BENCH_TMP/notmuch" notmuch count '*')

echo "index $files generated files (gen-mail -s 1 -n $count), $runs runs each, fresh database, warm cache"
printf '%-16s %-28s %9s %9s %10s %12s %10s\n' tool "runs (s)" "median s" "msg/s" "peak RSS" "no-change s" messages
printf '%-16s %-28s %9.2f %9.0f %8d KB %12.3f %10d\n' "satchel index" "$(echo $s_times | sed 's/\(\.[0-9][0-9]\)[0-9]*/\1/g')" \
    "$s_med" "$(bench_calc "$files / $s_med")" "$s_rss" "$s_inc" "$s_msgs"
printf '%-16s %-28s %9.2f %9.0f %8d KB %12.3f %10d\n' "notmuch new" "$(echo $n_times | sed 's/\(\.[0-9][0-9]\)[0-9]*/\1/g')" \
    "$n_med" "$(bench_calc "$files / $n_med")" "$n_rss" "$n_inc" "$n_msgs"
echo "ratio satchel/notmuch (median time): $(printf '%.2f' "$(bench_calc "$s_med / $n_med")")"
