#!/bin/sh
# Proves that check-layers.sh passes the real tree and fails trees that
# break each rule.
here="$top_srcdir/tests"
sh "$here/check-layers.sh" "$top_srcdir/src" || exit 1
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
bad() {
	rm -rf "$tmp/src"
	mkdir -p "$tmp/src/$1"
	printf '#include %s\n' "$2" > "$tmp/src/$1/x.c"
	if sh "$here/check-layers.sh" "$tmp/src" 2>/dev/null; then
		echo "FAIL: $1 including $2 was allowed"
		exit 1
	fi
	echo "ok: $1 may not include $2"
}
good() {
	rm -rf "$tmp/src"
	mkdir -p "$tmp/src/$1"
	printf '#include %s\n' "$2" > "$tmp/src/$1/x.c"
	sh "$here/check-layers.sh" "$tmp/src" >/dev/null 2>&1 ||
	    { echo "FAIL: $1 including $2 was refused"; exit 1; }
	echo "ok: $1 may include $2"
}
bad ui '<libetpan/libetpan.h>'
bad mime '<openssl/ssl.h>'
bad ui '<notmuch.h>'
bad engine '<libical/ical.h>'
bad store '<unicode/ucal.h>'
bad ui '<gmime/gmime.h>'
bad cmd '<curses.h>'
bad core '"mime/mime.h"'
bad mime '"store/store.h"'
bad store '"engine/engine.h"'
bad engine '"ui/ui.h"'
bad ui '"net/net.h"'
bad ui '"cmd/cmd.h"'
bad ui '"store/private.h"'
good engine '"store/store.h"'
good ui '<curses.h>'
good cmd '"ui/ui.h"'
exit 0
