#!/bin/sh
# A message the server sends oddly (its FETCH carries an item libetpan
# cannot parse) is skipped with a warning; the others of the batch are
# downloaded; the next sync asks for it again, and once the server sends
# it properly it arrives.  The server is netprobe's scripted imap-odd.
. "$top_srcdir/tests/e2e/lib-e2e.sh"

export NETPROBE_HEAL="$E2E_TMP/heal"
e2e_netprobe_serve imap-odd
port=$NETPROBE_PORT

cat > "$XDG_CONFIG_HOME/satchel/config" <<CONF
mail_root = $HOME/Mail
[account odd]
type = imap
host = 127.0.0.1
port = $port
tls = none
user = u
password_command = echo secret
timeout = 10
CONF
inbox="$HOME/Mail/odd/INBOX"
files() {
	ls "$inbox/cur" "$inbox/new" 2>/dev/null | grep -c ',U='
}

"$SATCHEL" -v sync > "$E2E_TMP/out1" 2>&1 ||
    { cat "$E2E_TMP/out1"; e2e_fail "the first sync failed as a whole"; }
[ "$(files)" = 2 ] || e2e_fail "$(files) messages, not the 2 good ones"
grep -l 'odd-1@x' "$inbox"/cur/* > /dev/null 2>&1 || e2e_fail "no message 1"
grep -l 'odd-3@x' "$inbox"/cur/* > /dev/null 2>&1 || e2e_fail "no message 3"
cat "$XDG_STATE_HOME"/satchel/*.log > "$E2E_TMP/log1"
grep -q 'UID 2' "$E2E_TMP/log1" ||
    { cat "$E2E_TMP/log1"; e2e_fail "no warning naming UID 2"; }
grep -q 'skipped' "$E2E_TMP/log1" || e2e_fail "the warning does not say skipped"

: > "$E2E_TMP/netprobe.err"
"$SATCHEL" sync > "$E2E_TMP/out2" 2>&1 ||
    { cat "$E2E_TMP/out2"; e2e_fail "the second sync failed"; }
grep -qx 'fetch 2' "$E2E_TMP/netprobe.err" ||
    { cat "$E2E_TMP/netprobe.err"; e2e_fail "the second sync did not ask for UID 2"; }
[ "$(files)" = 2 ] || e2e_fail "the second sync changed the good ones"

: > "$E2E_TMP/heal"
"$SATCHEL" sync > "$E2E_TMP/out3" 2>&1 ||
    { cat "$E2E_TMP/out3"; e2e_fail "the third sync failed"; }
[ "$(files)" = 3 ] || e2e_fail "message 2 did not arrive once sent properly"
[ "$("$SATCHEL" search --output=messages 'id:odd-2@x' | wc -l)" = 1 ] ||
    e2e_fail "message 2 is not in the index"
e2e_done
