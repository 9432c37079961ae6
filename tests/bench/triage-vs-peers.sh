#!/bin/sh
# triage-vs-peers.sh [COUNT] [RUNS]: satchel beside neomutt (notmuch
# virtual mailbox), aerc (notmuch query-map) and alot on one generated
# corpus (default 100000 messages) and one notmuch database, in one run:
#
#   1. launch -> first painted screen of "tag:inbox", and peak RSS of that
#      launch (quit right after the screen is up);
#   2. opening the 1000-message thread gen-mail makes from 10000 messages
#      on: the list of "thread:ID" is up, Enter is pressed, and the clock
#      stops when the first message's text is on the screen;
#   3. key -> repaint for j and k (40 presses each) and archive (10):
#      from outside, the time from tmux send-keys until the screen
#      differs, for every tool; and satchel's own trace
#      (SATCHEL_TRACE_KEYS: from reading the key to the end of the repaint
#      after it), which has no tmux polling in it.
#
# All times in milliseconds; medians over RUNS launches (default 3), p50
# and p99 over the key presses.  The outside clock polls capture-pane, so
# it adds a few milliseconds of tmux to every tool alike.  Launch figures
# are taken at 80x24.  BENCH_HOME=DIR keeps the corpus (see first-paint.sh).
# The peers are run read-only where they can be (neomutt -R); the others
# change the corpus as they would for a user: the threads they open become
# read, and each tool archives 10 threads of the inbox.
. "$(dirname "$0")/lib-bench.sh"
for t in tmux neomutt aerc alot notmuch; do
	command -v $t >/dev/null || { echo "bench: $t is not installed" >&2;
	    exit 1; }
done
count=${1:-100000}
runs=${2:-3}
h=${BENCH_HOME:-$BENCH_TMP/home}
sock="satchel-bench-$$"
starts=0
T() { tmux -L "$sock" "$@"; }
trap 'T kill-server 2>/dev/null || :; rm -rf "$BENCH_TMP"' EXIT

if [ -d "$h/Mail/.notmuch" ]; then
	echo "corpus: reusing $h"
else
	bench_home "$h"
	"$GEN_MAIL" -s 1 -n "$count" "$h/Mail" > /dev/null
	bench_in "$h" "$SATCHEL" index -q
fi

# The peers' configurations, in the bench home.
mkdir -p "$h/.config/aerc" "$h/.config/alot"
cat > "$h/muttrc" <<EOF
set nm_default_url = "notmuch://$h/Mail"
set spoolfile = "notmuch://$h/Mail?query=tag:inbox"
set folder = "$h/Mail"
set mbox_type = Maildir
set quit = yes
set sort = threads
set wait_key = no
EOF
cat > "$h/.config/aerc/accounts.conf" <<EOF
[bench]
source = notmuch://$h/Mail
query-map = $h/.config/aerc/querymap
default = inbox
from = Alice Martin <alice@example.test>
EOF
chmod 600 "$h/.config/aerc/accounts.conf"
: > "$h/.config/aerc/aerc.conf"
cp /usr/share/aerc/binds.conf "$h/.config/aerc/binds.conf"
printf '[bindings]\n' > "$h/.config/alot/config"

nm() { bench_in "$h" notmuch "$@"; }
inbox=$(nm count tag:inbox)
# The sender of the newest message: on the first screen of every tool.
# Asked again before each tool, as the one before archived some.
# The first word of the decoded name (raw headers may be RFC 2047).
from_word() {
	nm show --format=json --body=false --entire-thread=false "$1" |
	    sed -n 's/.*"From": "\(\\"\)\{0,1\}\([^"\\ <]*\).*/\2/p' |
	    head -1
}
newest_sender() {
	from_word "$(nm search --output=messages --limit=1 tag:inbox)"
}
big=$(nm search --output=threads '*' | while read -r t; do
	[ "$(nm count "$t")" -ge 1000 ] && { echo "${t#thread:}"; break; }
done)
[ -n "$big" ] || { echo "bench: no 1000-message thread (count < 10000?)" >&2;
    exit 1; }
first=$(nm search --output=messages --sort=oldest-first "thread:$big" | head -1)
firstwho=$(from_word "$first")
# A line of the thread's first message's body, to see it on screen.
body=$(nm show --format=raw "$first" | sed -n '/^$/,$p' | grep -v '^$' |
    grep -v '^>' | head -1 | cut -c1-20)

# The command line of each tool, with QUERY in it.
tool_cmd() {
	case $1 in
	satchel) printf "%s tui -n '%s'" "$SATCHEL" "$2" ;;
	neomutt)
		sed "s|query=tag:inbox|query=$2|" "$h/muttrc" > "$h/muttrc.q"
		printf "neomutt -R -F %s" "$h/muttrc.q" ;;
	aerc)
		printf 'inbox=%s\n' "$2" > "$h/.config/aerc/querymap"
		printf "aerc" ;;
	alot)	printf "alot -n %s search '%s'" "$h/notmuch-config" "$2" ;;
	esac
}
# What says the list is up: satchel's and neomutt's status lines, the
# newest sender for the others.
tool_ready() {
	case $1 in
	satchel) echo " $2 " ;;
	neomutt) echo "Msgs:" ;;
	*) echo "$3" ;;
	esac
}
tool_quit() {
	case $1 in
	aerc) T send-keys -t b : q u i t Enter ;;
	*) T send-keys -t b q; T send-keys -t b Q 2>/dev/null ;;
	esac
}
tool_archive_key() {
	case $1 in
	satchel) echo a ;;
	neomutt) echo d ;;	# read-only: the attempt repaints a message
	aerc) echo a ;;
	alot) echo a ;;
	esac
}

# start TOOL QUERY COLS ROWS: a fresh pane; sets $t0.
start() {
	rm -f "$BENCH_TMP/rss" "$BENCH_TMP/paint"
	# A new server each time: one shutting down refuses new sessions.
	T kill-server 2>/dev/null || :
	starts=$((starts + 1))
	sock="satchel-bench-$$-$starts"
	cmd=$(tool_cmd "$1" "$2")
	t0=$(bench_now)
	T -f /dev/null new-session -d -s b -x "$3" -y "$4" \
	    "env HOME='$h' XDG_CONFIG_HOME='$h/.config' XDG_DATA_HOME='$h/.local/share' XDG_STATE_HOME='$h/.local/state' NOTMUCH_CONFIG='$h/notmuch-config' MAILCAPS=/dev/null TERM=tmux-256color LANG=C.UTF-8 SATCHEL_TRACE_PAINT='$BENCH_TMP/paint' SATCHEL_TRACE_KEYS='$BENCH_TMP/keys' /usr/bin/time -f %M -o '$BENCH_TMP/rss' $cmd; sleep 600"
}
# wait_text TEXT [SECONDS]: polls until TEXT is on the screen; prints ms
# since $t0.
wait_text() {
	deadline=$(( $(date +%s) + ${2:-120} ))
	until T capture-pane -p -t b 2>/dev/null | grep -qF -- "$1"; do
		[ "$(date +%s)" -le "$deadline" ] || return 1
	done
	bench_calc "($(bench_now) - $t0) * 1000"
}
quit_rss() {
	tool_quit "$1"
	i=0
	while [ ! -s "$BENCH_TMP/rss" ] && [ $i -lt 300 ]; do
		sleep 0.05; i=$((i + 1))
	done
	cat "$BENCH_TMP/rss" 2>/dev/null || echo "?"
}
# keys TOOL KEY N: N presses, each timed until the screen changes.
keys() {
	n=0
	while [ $n -lt "$3" ]; do
		# With -e: a cursor that moves may change only colours.
		before=$(T capture-pane -e -p -t b)
		t0=$(bench_now)
		T send-keys -t b "$2"
		deadline=$(( $(date +%s) + 10 ))
		while [ "$(T capture-pane -e -p -t b)" = "$before" ]; do
			[ "$(date +%s)" -le "$deadline" ] || break
		done
		bench_calc "($(bench_now) - $t0) * 1000"
		echo
		n=$((n + 1))
		sleep 0.1
	done
}
fmt() {	# one decimal, or the word as it is
	case ${1:-?} in
	*[!0-9.]*) echo "${1:-?}" ;;
	*) awk "BEGIN { printf \"%.1f\", $1 }" ;;
	esac
}
pct() {	# pct P: the P-th percentile of numbers on stdin
	sort -n | awk -v p="$1" '{ v[NR] = $1 } END {
	    if (NR == 0) { print "?"; exit }
	    i = int((p / 100) * NR + 0.999999); if (i < 1) i = 1;
	    if (i > NR) i = NR; print v[i] }'
}

echo "corpus: $(nm count '*') messages, tag:inbox $inbox; thread $big"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '\n%-8s %12s %12s %14s %12s %12s %12s\n' tool "launch ms" "RSS KB" \
    "1000-thr ms" "j/k p50" "j/k p99" "archive p50"
for tool in satchel alot aerc neomutt; do
	launch="" rss="" thr=""
	who=$(newest_sender)
	r=0
	while [ $r -lt "$runs" ]; do
		start "$tool" tag:inbox 80 24
		launch="$launch $(wait_text "$(tool_ready $tool tag:inbox "$who")" ||
		    echo timeout)"
		sleep 0.5
		rss="$rss $(quit_rss $tool)"
		r=$((r + 1))
	done
	# The big thread: its list, then Enter until the first message's
	# text shows.
	start "$tool" "thread:$big" 100 40
	wait_text "$(tool_ready $tool "thread:$big" "$firstwho")" > /dev/null || :
	sleep 1
	[ $tool = neomutt ] && T send-keys -t b Home && sleep 0.5
	t0=$(bench_now)
	T send-keys -t b Enter
	# alot folds the messages it shows in a thread buffer: its own
	# status line says the thread is up.
	if [ $tool = alot ]; then
		thr=$(wait_text "1: thread" 120 || echo timeout)
	else
		thr=$(wait_text "$body" 120 || echo timeout)
	fi
	quit_rss $tool > /dev/null
	# Keys on the inbox list.
	rm -f "$BENCH_TMP/keys"
	start "$tool" tag:inbox 80 24
	wait_text "$(tool_ready $tool tag:inbox "$who")" > /dev/null || :
	sleep 2
	{ keys $tool j 40; keys $tool k 40; } > "$BENCH_TMP/jk"
	keys $tool "$(tool_archive_key $tool)" 10 > "$BENCH_TMP/arch"
	quit_rss $tool > /dev/null
	# %s throughout: a timeout is a word, not a number.
	case $launch in
	*timeout*) lm=timeout ;;
	*) lm=$(bench_median $launch) ;;
	esac
	printf '%-8s %12s %12s %14s %12s %12s %12s\n' $tool \
	    "$(fmt $lm)" "$(bench_median $rss)" \
	    "$(fmt $thr)" "$(fmt $(pct 50 < "$BENCH_TMP/jk"))" \
	    "$(fmt $(pct 99 < "$BENCH_TMP/jk"))" \
	    "$(fmt $(pct 50 < "$BENCH_TMP/arch"))"
	if [ $tool = satchel ] && [ -s "$BENCH_TMP/keys" ]; then
		cp "$BENCH_TMP/keys" "$BENCH_TMP/satchel-keys"
	fi
	:
done
echo
if [ -s "$BENCH_TMP/satchel-keys" ]; then
	echo "satchel's own trace, key read -> repaint done (ms):"
	for k in j k a; do
		awk -v k=$k '$1 == k { print $2 }' "$BENCH_TMP/satchel-keys" > "$BENCH_TMP/k"
		printf '  %-3s n=%-3s p50 %8.3f  p99 %8.3f  max %8.3f\n' "$k" \
		    "$(wc -l < "$BENCH_TMP/k")" "$(pct 50 < "$BENCH_TMP/k")" \
		    "$(pct 99 < "$BENCH_TMP/k")" "$(pct 100 < "$BENCH_TMP/k")"
	done
fi
echo "(launch: start of the pane to the list on screen; RSS: peak of that"
echo " launch; 1000-thr: Enter on the thread to its first message's text)"
