#!/bin/sh
# first-paint.sh [COUNT] [RUNS]: launch to first painted screen of
# "tag:inbox" on a generated corpus (default 100000 messages), beside the
# floor: the time "notmuch search" takes to print its first line on the
# same database.  Two satchel numbers: its own trace (SATCHEL_TRACE_PAINT,
# from main() to the first doupdate()) and an outside one (tmux: from
# starting the pane to the status line appearing, polled every 10 ms).
# BENCH_HOME=DIR keeps the generated and indexed corpus in DIR, and
# reuses it when it is already there.
. "$(dirname "$0")/lib-bench.sh"
command -v tmux >/dev/null || { echo "bench: tmux is not installed" >&2; exit 1; }
count=${1:-100000}
runs=${2:-5}
h=${BENCH_HOME:-$BENCH_TMP/home}
sock="satchel-bench-$$"

if [ -d "$h/Mail/.notmuch" ]; then
	echo "corpus: reusing $h"
else
	bench_home "$h"
	t0=$(bench_now)
	"$GEN_MAIL" -s 1 -n "$count" "$h/Mail" > /dev/null
	t1=$(bench_now)
	bench_in "$h" "$SATCHEL" index -q
	t2=$(bench_now)
	echo "corpus: $count messages generated in $(bench_calc "$t1 - $t0") s, indexed by satchel in $(bench_calc "$t2 - $t1") s"
fi

inbox=$(bench_in "$h" notmuch count tag:inbox)
trace="" outside="" floor=""
i=0
while [ $i -lt "$runs" ]; do
	rm -f "$BENCH_TMP/paint" "$BENCH_TMP/rss"
	s=$(bench_now)
	tmux -L "$sock" -f /dev/null new-session -d -x 80 -y 24 \
	    "env HOME='$h' XDG_CONFIG_HOME='$h/.config' SATCHEL_TRACE_PAINT='$BENCH_TMP/paint' TERM=tmux-256color /usr/bin/time -f %M -o '$BENCH_TMP/rss' '$SATCHEL'"
	while ! tmux -L "$sock" capture-pane -p 2>/dev/null | grep -q ' tag:inbox '; do
		sleep 0.01
	done
	e=$(bench_now)
	outside="$outside $(bench_calc "($e - $s) * 1000")"
	while [ ! -s "$BENCH_TMP/paint" ]; do sleep 0.01; done
	trace="$trace $(cat "$BENCH_TMP/paint")"
	tmux -L "$sock" send-keys Q
	while [ ! -s "$BENCH_TMP/rss" ]; do sleep 0.01; done
	rss=$(cat "$BENCH_TMP/rss")
	tmux -L "$sock" kill-server 2>/dev/null || :

	# Line-buffered, as on a terminal; the time is taken when the first
	# line arrives (notmuch goes on to the end, which is not counted).
	s=$(bench_now)
	e=$(bench_in "$h" stdbuf -oL notmuch search tag:inbox |
	    { IFS= read -r line; bench_now; cat > /dev/null; })
	floor="$floor $(bench_calc "($e - $s) * 1000")"
	i=$((i + 1))
done

echo "query tag:inbox: $inbox messages; $runs runs; milliseconds, median"
printf '%-44s %10s\n' measurement "median ms"
printf '%-44s %10.1f\n' "satchel: main() to first paint (own trace)" "$(bench_median $trace)"
printf '%-44s %10.1f\n' "satchel: pane start to screen (tmux)" "$(bench_median $outside)"
printf '%-44s %10.1f\n' "notmuch search: start to first line" "$(bench_median $floor)"
echo "satchel peak RSS on the first screen, then quit: $rss KB"
