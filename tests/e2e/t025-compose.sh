#!/bin/sh
# Composing and sending from the interface against the fixture's Postfix
# (as root) and Dovecot: a message with a UTF-8 subject and an attachment
# with a non-ASCII name goes out over STARTTLS with AUTH, then over
# implicit TLS with AUTH; each arrives in bob's Maildir with the subject
# and file name decoding to exactly what was typed, and alice's copy (Cc)
# reaches satchel's index through the background IMAP sync.  With
# Postfix stopped the message stays in the outbox and the status line
# says why; "satchel send" once Postfix is back delivers it exactly once.
# A server with an untrusted certificate is refused before AUTH: nothing
# sent, the message queued with the reason.
. "$top_srcdir/tests/e2e/lib-e2e.sh"
. "$top_srcdir/tests/e2e/lib-sync.sh"

[ "$FIX_SMTP_KIND" = postfix ] ||
    e2e_skip "Postfix needs root (smtp-sink has no TLS)"
command -v python3 >/dev/null 2>&1 || e2e_skip "python3 is not installed"
CONF="$XDG_CONFIG_HOME/satchel/config"
OUTBOX="$SYNC_ROOT/.outbox"
cd "$E2E_TMP" || e2e_hard "cd"

pf() {
	postfix -c "$FIX_DIR/postfix/etc" "$@" </dev/null >/dev/null 2>&1
}
files() {	# messages in a Maildir
	find "$1/cur" "$1/new" -type f 2>/dev/null | wc -l
}
# with SUBJECT MAILDIR: the files of MAILDIR whose Subject decodes to it.
with() {
	find "$2/new" "$2/cur" -type f 2>/dev/null |
	    while read -r f; do
		python3 - "$f" <<'EOF'
import sys, email
from email import policy
m = email.message_from_binary_file(open(sys.argv[1], 'rb'),
    policy=policy.default)
print(m['subject'])
EOF
	    done | grep -cxF -- "$1"
}
wait_with() {	# SUBJECT MAILDIR N
	_deadline=$(( $(date +%s) + 60 ))
	while [ "$(with "$1" "$2")" != "$3" ]; do
		[ "$(date +%s)" -le "$_deadline" ] ||
		    e2e_fail "'$1': $(with "$1" "$2") in $2, not $3"
		sleep 0.2
	done
}

# config PORT TLS: alice over IMAPS, sending through PORT.
config() {
	sync_config "email = $FIX_ADDR_ALICE" "realname = Alice" \
	    "smtp_host = $FIX_HOST" "smtp_port = $1" "smtp_tls = $2"
}

# The editor sets the recipients and subject and writes a line.
cat > "$E2E_TMP/editor" <<EOF
#!/bin/sh
sed -i "s/^To:.*/To: Bob <$FIX_ADDR_BOB>/; s/^Cc:.*/Cc: $FIX_ADDR_ALICE/" "\$1"
sed -i "s/^Subject:.*/Subject: \$(cat "$E2E_TMP/subject")/" "\$1"
printf 'Sent from the interface.\n' >> "\$1"
EOF
chmod +x "$E2E_TMP/editor"
attach="$E2E_TMP/Übersicht café 日本.txt"
printf 'attached text\n' > "$attach"
E2E_ENV="EDITOR=$E2E_TMP/editor VISUAL="

# compose SUBJECT: m, the editor, attach, y.
compose() {
	printf '%s\n' "$1" > "$E2E_TMP/subject"
	e2e_keys m
	e2e_wait_for 'To:'
	e2e_keys Enter
	e2e_wait_for "Subject:   $1"
	e2e_keys a
	e2e_wait_for 'attach file:'
	e2e_keys -l "$attach"
	e2e_keys Enter
	e2e_wait_for 'Übersicht café 日本.txt'
	e2e_keys y
}

sync_server_fill 25 5
"$SATCHEL" index -q || e2e_fail "index"

# STARTTLS with AUTH.
config "$FIX_SMTP_PORT" starttls
e2e_satchel_start 120 30 tui tag:inbox
e2e_wait_for 'alice: synced, watching INBOX' 60
s1='Grüße über STARTTLS ☕ — ok'
compose "$s1"
# "alice: sent: ..." shows on the message line until the sync that
# brings alice's Cc copy back says "1 new": wait for the delivery.
wait_with "$s1" "$FIX_MAILDIR_BOB" 1
f=$(grep -l 'Sent from the interface' "$FIX_MAILDIR_BOB"/new/* | head -n 1)
python3 - "$f" > "$E2E_TMP/decoded" <<'EOF' || e2e_fail "python"
import sys, email
from email import policy
m = email.message_from_binary_file(open(sys.argv[1], 'rb'),
    policy=policy.default)
print(m['subject'])
for p in m.iter_attachments():
    print(p.get_filename())
    print(p.get_content(), end='')
EOF
printf '%s\n%s\n%s\n' "$s1" 'Übersicht café 日本.txt' 'attached text' |
    diff - "$E2E_TMP/decoded" || e2e_fail "subject or file name changed"
grep -q 'sasl_username=alice' "$FIX_LOG_DIR/postfix.log" ||
    e2e_fail "no AUTH over STARTTLS"
# alice's copy comes back through the IMAP sync into the index.
deadline=$(( $(date +%s) + 60 ))
until [ "$(sync_count "subject:\"STARTTLS\" and folder:alice/INBOX and from:$FIX_ADDR_ALICE and to:$FIX_ADDR_BOB")" = 1 ]; do
	[ "$(date +%s)" -le "$deadline" ] ||
	    e2e_fail "the copy did not reach the index"
	sleep 0.3
done
[ "$(files "$OUTBOX")" = 0 ] || e2e_fail "the outbox is not empty"
e2e_keys Q
e2e_wait_exit 0

# Implicit TLS with AUTH.
config "$FIX_SMTPS_PORT" implicit
e2e_satchel_start 120 30 tui tag:inbox
e2e_wait_for 'alice: synced, watching INBOX' 60
s2='Implizit TLS — naïve résumé'
compose "$s2"
wait_with "$s2" "$FIX_MAILDIR_BOB" 1
[ "$(grep -c 'sasl_username=alice' "$FIX_LOG_DIR/postfix.log")" -ge 2 ] ||
    e2e_fail "no AUTH over implicit TLS"
e2e_keys Q
e2e_wait_exit 0

# Postfix down: queued, with why; up again and "satchel send": once.
config "$FIX_SMTP_PORT" starttls
pf stop || e2e_hard "cannot stop Postfix"
e2e_satchel_start 120 30 tui tag:inbox
e2e_wait_for 'alice: synced, watching INBOX' 60
s3='While the server is down'
compose "$s3"
e2e_wait_for "alice: queued: cannot connect to '$FIX_HOST' port $FIX_SMTP_PORT: Connection refused" 60
[ "$(files "$OUTBOX")" = 1 ] || e2e_fail "not in the outbox"
e2e_keys Q
e2e_wait_exit 0
pf start || e2e_hard "cannot start Postfix"
"$SATCHEL" send > "$E2E_TMP/send.out" 2>&1 ||
    { cat "$E2E_TMP/send.out"; e2e_fail "satchel send failed"; }
wait_with "$s3" "$FIX_MAILDIR_BOB" 1
"$SATCHEL" send > "$E2E_TMP/send2.out" 2>&1 || e2e_fail "second send"
sleep 1
[ "$(with "$s3" "$FIX_MAILDIR_BOB")" = 1 ] || e2e_fail "delivered twice"
[ "$(files "$OUTBOX")" = 0 ] || e2e_fail "the outbox is not empty (2)"

# An untrusted certificate: refused before AUTH, nothing sent.
config "$FIX_SMTPS_SELFSIGNED_PORT" implicit
auths=$(grep -c 'sasl_username=' "$FIX_LOG_DIR/postfix.log")
e2e_satchel_start 120 30 tui tag:inbox
e2e_wait_for 'alice: synced, watching INBOX' 60
s4='To a self-signed server'
compose "$s4"
e2e_wait_for 'alice: queued: ' 60
e2e_screen | grep -q 'alice: queued: .*certificate' ||
    e2e_fail "the reason does not name the certificate"
[ "$(files "$OUTBOX")" = 1 ] || e2e_fail "not kept in the outbox"
e2e_keys Q
e2e_wait_exit 0
sleep 1
[ "$(with "$s4" "$FIX_MAILDIR_BOB")" = 0 ] || e2e_fail "sent anyway"
[ "$(grep -c 'sasl_username=' "$FIX_LOG_DIR/postfix.log")" = "$auths" ] ||
    e2e_fail "AUTH was sent to the untrusted server"
e2e_done
