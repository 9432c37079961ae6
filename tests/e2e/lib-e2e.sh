# tests/e2e/lib-e2e.sh: sourced by every end-to-end script.
#
# Each script gets a private $HOME, XDG directories and tmux socket, runs
# the real satchel binary in a tmux pane of a fixed size with LANG=C.UTF-8
# and TZ=UTC, drives it with send-keys and reads the screen back with
# capture-pane.  Waits poll the screen with a deadline; nothing sleeps a
# fixed time.  Exit codes follow automake: 0 pass, 77 skip, 99 harness
# failure, anything else a test failure.  On failure the screen and the
# satchel log are printed.

set -u

E2E_NAME=$(basename "$0" .sh)
: "${SATCHEL:?SATCHEL must name the satchel binary}"
: "${GEN_MAIL:?GEN_MAIL must name the gen-mail binary}"
: "${top_srcdir:?top_srcdir must name the source tree}"

e2e_skip() {
	echo "SKIP: $*"
	exit 77
}

e2e_hard() {
	echo "ERROR (harness): $*"
	exit 99
}

command -v tmux >/dev/null 2>&1 || e2e_skip "tmux is not installed"
[ -x "$SATCHEL" ] || e2e_hard "no satchel binary at $SATCHEL"

E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/satchel-$E2E_NAME.XXXXXX") ||
    e2e_hard "mktemp failed"
E2E_SOCK="satchel-e2e-$$"
E2E_PANE="e2e"
E2E_TIMEOUT=${E2E_TIMEOUT:-20}

export HOME="$E2E_TMP/home"
export XDG_CONFIG_HOME="$HOME/.config"
export XDG_DATA_HOME="$HOME/.local/share"
export XDG_STATE_HOME="$HOME/.local/state"
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC
# The generator's corpus ends on 2026-11-01: relative dates stay fixed.
export SATCHEL_NOW=${SATCHEL_NOW:-1793534400}
unset NOTMUCH_CONFIG NOTMUCH_DATABASE NOTMUCH_PROFILE NO_COLOR
# Sanitizer reports go to files the script checks at the end.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$E2E_TMP/asan"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$E2E_TMP/ubsan"
mkdir -p "$HOME" "$XDG_CONFIG_HOME/satchel"
# The machine's /etc/mailcap (w3m, a browser...) must not change what
# tests see: an empty one unless a test writes its own.
: > "$E2E_TMP/mailcap"
export MAILCAPS="$E2E_TMP/mailcap"

e2e_tmux() {
	tmux -L "$E2E_SOCK" -f /dev/null "$@"
}

e2e_cleanup() {
	e2e_tmux kill-server >/dev/null 2>&1
	[ -n "${NETPROBE_PID-}" ] && kill "$NETPROBE_PID" 2>/dev/null
	rm -rf "$E2E_TMP"
}
trap e2e_cleanup EXIT

e2e_screen() {
	e2e_tmux capture-pane -p -t "$E2E_PANE" "$@" 2>/dev/null
}

e2e_fail() {
	echo "FAIL: $*"
	echo "--- screen ---"
	e2e_screen
	echo "--------------"
	for f in "$XDG_STATE_HOME"/satchel/*.log "$E2E_TMP"/asan.* \
	    "$E2E_TMP"/ubsan.*; do
		[ -f "$f" ] && { echo "--- $f ---"; cat "$f"; }
	done
	exit 1
}

# Writes the config and a demo mailbox of N messages (default 300).
e2e_mail_demo() {
	"$GEN_MAIL" -s "${2:-1}" -n "${1:-300}" "$HOME/Mail" >/dev/null ||
	    e2e_hard "gen-mail failed"
	printf 'mail_root = %s/Mail\n' "$HOME" > "$XDG_CONFIG_HOME/satchel/config"
	"$SATCHEL" index -q || e2e_fail "satchel index failed"
}

# Quotes one word for sh.
e2e_quote() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# e2e_satchel_start COLS ROWS [ARGS...]: starts satchel in a fresh pane.
# The pane stays after satchel exits; its exit status goes to a file.
# With E2E_RAW=FILE, every byte satchel writes to the terminal is also
# recorded in FILE (tmux pipe-pane), from before its first byte.
e2e_satchel_start() {
	cols=$1 rows=$2
	shift 2
	rm -f "$E2E_TMP/exit" "$E2E_TMP/go"
	{
		printf 'TERM=%s\nexport TERM\n' "${E2E_TERM:-tmux-256color}"
		# E2E_ENV: "NAME=value" words for satchel's environment.
		for e in ${E2E_ENV:-}; do
			printf 'export %s\n' "$(e2e_quote "$e")"
		done
		# With E2E_RAW set, wait until pipe-pane records the output.
		[ -z "${E2E_RAW:-}" ] ||
		    printf 'while [ ! -f %s ]; do sleep 0.02; done\n' \
		    "$(e2e_quote "$E2E_TMP/go")"
		printf '%s' "$(e2e_quote "$SATCHEL")"
		for a in "$@"; do
			printf ' %s' "$(e2e_quote "$a")"
		done
		printf '\necho $? > %s\nexec sleep 3600\n' \
		    "$(e2e_quote "$E2E_TMP/exit")"
	} > "$E2E_TMP/run.sh"
	e2e_tmux kill-session -t "$E2E_PANE" >/dev/null 2>&1
	# A server still exiting after its last session refuses the new
	# one ("server exited unexpectedly"): try again after it is gone.
	tries=0
	until e2e_tmux new-session -d -s "$E2E_PANE" -x "$cols" -y "$rows" \
	    "sh $(e2e_quote "$E2E_TMP/run.sh")"; do
		tries=$((tries + 1))
		[ $tries -lt 5 ] || e2e_hard "tmux new-session failed"
		sleep 0.2
	done
	if [ -n "${E2E_RAW:-}" ]; then
		rm -f "$E2E_RAW"
		e2e_tmux pipe-pane -O -t "$E2E_PANE" \
		    "cat >> $(e2e_quote "$E2E_RAW")" ||
		    e2e_hard "pipe-pane failed"
		: > "$E2E_TMP/go"
	fi
}

# e2e_wait_for TEXT [SECONDS]: polls the screen until TEXT appears.
e2e_wait_for() {
	deadline=$(( $(date +%s) + ${2:-$E2E_TIMEOUT} ))
	while ! e2e_screen | grep -qF -- "$1"; do
		[ "$(date +%s)" -le "$deadline" ] ||
		    e2e_fail "timed out waiting for '$1'"
		sleep 0.05
	done
}

# e2e_wait_gone TEXT [SECONDS]: polls until TEXT is no longer shown.
e2e_wait_gone() {
	deadline=$(( $(date +%s) + ${2:-$E2E_TIMEOUT} ))
	while e2e_screen | grep -qF -- "$1"; do
		[ "$(date +%s)" -le "$deadline" ] ||
		    e2e_fail "timed out waiting for '$1' to go"
		sleep 0.05
	done
}

# e2e_wait_row ROW TEXT: polls until screen row ROW (from 1) holds TEXT.
e2e_wait_row() {
	deadline=$(( $(date +%s) + E2E_TIMEOUT ))
	until e2e_screen | sed -n "${1}p" | grep -qF -- "$2"; do
		[ "$(date +%s)" -le "$deadline" ] ||
		    e2e_fail "timed out waiting for '$2' on row $1"
		sleep 0.05
	done
}

e2e_keys() {
	e2e_tmux send-keys -t "$E2E_PANE" "$@" || e2e_hard "send-keys failed"
}

e2e_resize() {
	e2e_tmux resize-window -t "$E2E_PANE" -x "$1" -y "$2" ||
	    e2e_hard "resize-window failed"
}

# e2e_wait_exit [STATUS]: satchel must exit, with STATUS (default 0).
e2e_wait_exit() {
	deadline=$(( $(date +%s) + E2E_TIMEOUT ))
	while [ ! -s "$E2E_TMP/exit" ]; do
		[ "$(date +%s)" -le "$deadline" ] ||
		    e2e_fail "satchel did not exit"
		sleep 0.05
	done
	got=$(cat "$E2E_TMP/exit")
	[ "$got" = "${1:-0}" ] || e2e_fail "satchel exited $got, not ${1:-0}"
}

# e2e_expect_screen FILE: the screen must equal the file (trailing blanks
# ignored).  E2E_UPDATE=1 rewrites the file instead.
e2e_expect_screen() {
	want="$top_srcdir/tests/e2e/$1"
	e2e_screen | sed 's/[[:space:]]*$//' > "$E2E_TMP/screen"
	if [ "${E2E_UPDATE:-0}" = 1 ]; then
		cp "$E2E_TMP/screen" "$want"
		return
	fi
	diff -u "$want" "$E2E_TMP/screen" > "$E2E_TMP/diff" ||
	    { cat "$E2E_TMP/diff"; e2e_fail "screen differs from $1"; }
}

e2e_done() {
	for f in "$E2E_TMP"/asan.* "$E2E_TMP"/ubsan.*; do
		[ -f "$f" ] && e2e_fail "sanitizer report in $f"
	done
	echo "PASS: $E2E_NAME"
	exit 0
}

# e2e_netprobe_serve KIND: starts one of netprobe's scripted servers on
# 127.0.0.1 (stderr to $E2E_TMP/netprobe.err); sets NETPROBE_PORT and
# NETPROBE_PID (the cleanup stops it).  Export what the server reads
# from its environment first.
e2e_netprobe_serve() {
	_probe="${top_builddir:?}/tests/net/netprobe"
	[ -x "$_probe" ] || e2e_hard "no $_probe"
	"$_probe" serve "$1" > "$E2E_TMP/netprobe.port" \
	    2> "$E2E_TMP/netprobe.err" &
	NETPROBE_PID=$!
	NETPROBE_PORT=
	for _i in $(seq 50); do
		read -r NETPROBE_PORT < "$E2E_TMP/netprobe.port"
		[ -n "$NETPROBE_PORT" ] && return 0
		sleep 0.1
	done
	e2e_hard "netprobe serve $1 did not start"
}
