#!/bin/sh
# satchel send and the outbox, against the fixture's Postfix (as root):
# with Postfix stopped a message stays queued and "satchel send" exits 1
# naming why (also after a restart of satchel, through --list); once
# Postfix is back, one "satchel send" delivers it exactly once, empties
# the outbox and leaves the copy in Sent, and a second one sends
# nothing.  Bcc reaches its recipient but not the bytes sent.  A wrong
# password stays queued as refused.  save_sent = no keeps no copy.
# sendmail_command gets the recipients as arguments (never through the
# shell) and the message on stdin; its failure keeps the message queued.
. "$top_srcdir/tests/e2e/lib-e2e.sh"
. "$top_srcdir/tests/e2e/lib-sync.sh"

[ "$FIX_SMTP_KIND" = postfix ] ||
    e2e_skip "Postfix needs root (smtp-sink has no TLS)"
OUTBOX="$SYNC_ROOT/.outbox"
SENT="$SYNC_ROOT/Sent"
CONF="$XDG_CONFIG_HOME/satchel/config"
cd "$E2E_TMP" || e2e_hard "cd"

pf() {
	postfix -c "$FIX_DIR/postfix/etc" "$@" </dev/null >/dev/null 2>&1
}

# send_config [EXTRA LINES]: a send-only account over STARTTLS with AUTH.
send_config() {
	cat > "$CONF" <<EOF
mail_root = $SYNC_MAIL
[account alice]
email = $FIX_ADDR_ALICE
user = alice
password_command = echo $FIX_PASS_ALICE
smtp_host = $FIX_HOST
smtp_port = $FIX_SMTP_PORT
tls_ca_file = $FIX_CA
timeout = 10
EOF
	[ $# -gt 0 ] && printf '%s\n' "$@" >> "$CONF"
	return 0
}

# message ID [BCC]: a message to bob (and Bcc to alice) in $E2E_TMP/ID.
message() {
	{
		printf 'From: Alice <%s>\n' "$FIX_ADDR_ALICE"
		printf 'To: Bob <%s>\n' "$FIX_ADDR_BOB"
		[ -n "${2-}" ] && printf 'Bcc: %s\n' "$2"
		printf 'Subject: test %s\n' "$1"
		printf 'Message-ID: <%s>\n' "$1"
		printf 'Date: Sun, 01 Nov 2026 10:00:00 +0000\n\n'
		printf 'Body of %s.\n.a dot line\n' "$1"
	} > "$E2E_TMP/$1"
}

# count MAILDIR ID: files in MAILDIR holding Message-ID ID.
count() {
	find "$1/new" "$1/cur" -type f -exec grep -l "^Message-ID: <$2>" {} + \
	    2>/dev/null | wc -l
}

# wait_count MAILDIR ID N: until N such files are there (20 s).
wait_count() {
	_deadline=$(( $(date +%s) + 20 ))
	while [ "$(count "$1" "$2")" != "$3" ]; do
		[ "$(date +%s)" -le "$_deadline" ] ||
		    e2e_fail "$2: $(count "$1" "$2") copies in $1, not $3"
		sleep 0.1
	done
}

files() {	# the messages in a Maildir
	find "$1/new" "$1/cur" -type f 2>/dev/null | wc -l
}

# send OUT-FILE [ARGS]: satchel send; prints its exit status.
send() {
	_out=$1
	shift
	"$SATCHEL" send "$@" > "$E2E_TMP/$_out" 2> "$E2E_TMP/$_out.err"
	echo $?
}

send_config
message m1@example.test "$FIX_ADDR_ALICE"

# SMTP down: queued, with the reason, kept across runs.
pf stop || e2e_hard "cannot stop Postfix"
rc=$(send down --queue "$E2E_TMP/m1@example.test")
[ "$rc" = 1 ] || e2e_fail "send with Postfix down: exit $rc, not 1"
grep -q "^queued: alice: test m1@example.test (to bob@example.test, alice@example.test): cannot connect to '127.0.0.1' port $FIX_SMTP_PORT: Connection refused$" \
    "$E2E_TMP/down" ||
    { cat "$E2E_TMP/down" "$E2E_TMP/down.err"; e2e_fail "no reason given"; }
grep -q "1 message still queued" "$E2E_TMP/down.err" ||
    e2e_fail "no summary on stderr"
[ "$(files "$OUTBOX")" = 1 ] || e2e_fail "the outbox does not hold it"
# Mail waiting to go out is not mail received: the index skips it.
"$SATCHEL" index -q || e2e_fail "index failed"
[ -z "$("$SATCHEL" search --output=messages id:m1@example.test)" ] ||
    e2e_fail "the queued message was indexed"
rc=$(send list --list)
[ "$rc" = 1 ] && grep -q "^queued: .*Connection refused$" "$E2E_TMP/list" ||
    { cat "$E2E_TMP/list"; e2e_fail "--list does not show the reason"; }

# SMTP up: delivered once, outbox empty, a copy in Sent.
pf start || e2e_hard "cannot start Postfix"
rc=$(send up)
[ "$rc" = 0 ] || { cat "$E2E_TMP/up" "$E2E_TMP/up.err";
    e2e_fail "send with Postfix up: exit $rc"; }
grep -q "^sent: alice: test m1@example.test" "$E2E_TMP/up" ||
    e2e_fail "no 'sent' line"
wait_count "$FIX_MAILDIR_BOB" m1@example.test 1
wait_count "$FIX_MAILDIR_ALICE" m1@example.test 1
[ "$(files "$OUTBOX")" = 0 ] || e2e_fail "the outbox is not empty"
[ "$(count "$SENT" m1@example.test)" = 1 ] || e2e_fail "no copy in Sent"
grep -qi '^Bcc:' "$(grep -l 'm1@example.test' "$FIX_MAILDIR_BOB"/new/*)" &&
    e2e_fail "the Bcc header was sent"
grep -q "^Bcc: $FIX_ADDR_ALICE" "$SENT"/cur/* ||
    e2e_fail "the copy in Sent lost its Bcc"
ls "$OUTBOX"/.why.* >/dev/null 2>&1 && e2e_fail "a reason file is left"

# Again: nothing to send, nothing sent twice.
rc=$(send again)
[ "$rc" = 0 ] && [ ! -s "$E2E_TMP/again" ] ||
    e2e_fail "second send: exit $rc, output: $(cat "$E2E_TMP/again")"
sleep 1
[ "$(count "$FIX_MAILDIR_BOB" m1@example.test)" = 1 ] ||
    e2e_fail "delivered more than once"

# A wrong password: kept, as refused for good.
send_config "smtp_password_command = echo wrong"
message m2@example.test
rc=$(send wrong --queue "$E2E_TMP/m2@example.test")
[ "$rc" = 1 ] && grep -q "^failed, kept: alice: .*login failed for alice@127.0.0.1: 535" \
    "$E2E_TMP/wrong" || { cat "$E2E_TMP/wrong" "$E2E_TMP/wrong.err";
    e2e_fail "wrong password: not kept as refused"; }
grep -q secret1 "$E2E_TMP/wrong" "$E2E_TMP/wrong.err" &&
    e2e_fail "the password is in the output"

# save_sent = no: the right password sends it, and no copy is kept.
send_config "save_sent = no"
rc=$(send nosave)
[ "$rc" = 0 ] || e2e_fail "save_sent = no: exit $rc"
wait_count "$FIX_MAILDIR_BOB" m2@example.test 1
[ "$(count "$SENT" m2@example.test)" = 0 ] || e2e_fail "copied to Sent"
[ "$(files "$OUTBOX")" = 0 ] || e2e_fail "the outbox is not empty (2)"

# sendmail_command: arguments, stdin, no shell on the addresses.
cat > "$E2E_TMP/fake-sendmail" <<'EOF'
#!/bin/sh
printf '%s\n' "$@" > "$FAKE_DIR/args"
cat > "$FAKE_DIR/stdin"
[ -e "$FAKE_DIR/fail" ] && { echo "queue is full" >&2; exit 75; }
exit 0
EOF
chmod +x "$E2E_TMP/fake-sendmail"
export FAKE_DIR="$E2E_TMP"
cat > "$CONF" <<EOF
mail_root = $SYNC_MAIL
[account alice]
email = $FIX_ADDR_ALICE
sendmail_command = $E2E_TMP/fake-sendmail --
EOF
message m3@example.test 'x`touch${IFS}pwned`@example.test'
: > "$E2E_TMP/fail"
rc=$(send sm1 --queue "$E2E_TMP/m3@example.test")
[ "$rc" = 1 ] && grep -q "^queued: .*sendmail_command of account 'alice' failed (exit status 75): queue is full$" \
    "$E2E_TMP/sm1" || { cat "$E2E_TMP/sm1" "$E2E_TMP/sm1.err";
    e2e_fail "a failing sendmail_command: not kept with its reason"; }
rm -f "$E2E_TMP/fail"
rc=$(send sm2)
[ "$rc" = 0 ] || { cat "$E2E_TMP/sm2" "$E2E_TMP/sm2.err";
    e2e_fail "sendmail_command: exit $rc"; }
printf '%s\n' -- "$FIX_ADDR_BOB" 'x`touch${IFS}pwned`@example.test' |
    diff - "$E2E_TMP/args" || e2e_fail "sendmail_command arguments"
[ -e "$E2E_TMP/pwned" ] && e2e_fail "an address went through the shell"
grep -v '^Bcc:' "$E2E_TMP/m3@example.test" | cmp -s - "$E2E_TMP/stdin" ||
    e2e_fail "sendmail_command's stdin is not the message without Bcc"
[ "$(count "$SENT" m3@example.test)" = 1 ] || e2e_fail "sendmail: no Sent copy"
[ "$(files "$OUTBOX")" = 0 ] || e2e_fail "the outbox is not empty (3)"
e2e_done
