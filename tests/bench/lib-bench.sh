# tests/bench/lib-bench.sh: shared by the benchmark scripts.  Benchmarks
# are not tests: they print numbers beside the same measurement of a peer
# tool, taken in the same run on the same corpus.  Run them from a build
# directory, or set SATCHEL and GEN_MAIL.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
SATCHEL=${SATCHEL:-$PWD/satchel}
GEN_MAIL=${GEN_MAIL:-$PWD/tests/fixture/gen-mail}
for b in "$SATCHEL" "$GEN_MAIL"; do
	[ -x "$b" ] || { echo "bench: no $b (run from a build directory)" >&2;
	    exit 1; }
done
BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/satchel-bench.XXXXXX")
trap 'tmux -L "satchel-bench-$$" kill-server 2>/dev/null || :; rm -rf "$BENCH_TMP"' EXIT
export LANG=C.UTF-8 TZ=UTC
unset NOTMUCH_CONFIG NOTMUCH_DATABASE NOTMUCH_PROFILE

bench_now() {
	date +%s.%N
}

# A private home with satchel and notmuch configured for mail_root $1.
bench_home() {
	h=$1
	mkdir -p "$h/.config/satchel"
	printf 'mail_root = %s/Mail\n' "$h" > "$h/.config/satchel/config"
	cat > "$h/notmuch-config" <<EOT
[database]
path=$h/Mail
[new]
tags=inbox;unread;
[search]
exclude_tags=deleted;spam;
[maildir]
synchronize_flags=true
[user]
primary_email=alice@example.test
EOT
}

# Runs a command in home $1 with that home's environment.
bench_in() {
	h=$1
	shift
	env HOME="$h" XDG_CONFIG_HOME="$h/.config" \
	    XDG_DATA_HOME="$h/.local/share" XDG_STATE_HOME="$h/.local/state" \
	    NOTMUCH_CONFIG="$h/notmuch-config" "$@"
}

# Reads every file once so both tools start from a warm page cache.
bench_warm() {
	find "$1" -type f -exec cat {} + > /dev/null
}

# Arithmetic on decimals (awk is on every machine; bc is not).
bench_calc() {
	awk "BEGIN { printf \"%.6f\", $1 }"
}

# median of the arguments
bench_median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
	    END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
