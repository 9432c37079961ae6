#!/bin/sh
# Drafts survive: a message postponed with an attachment (non-ASCII
# subject and file name, binary bytes) outlives a SIGKILL of satchel and
# comes back intact with R, and sending it removes the copy in Drafts;
# an editor file left by a SIGKILL in the compose screen is announced at
# the next start and recalled; q asks before it aborts; an unchanged new
# message aborts.  Mail goes through a sendmail_command that keeps it.
. "$top_srcdir/tests/e2e/lib-e2e.sh"
. "$top_srcdir/tests/e2e/lib-compose.sh"

command -v python3 >/dev/null 2>&1 || e2e_skip "python3 is not installed"
MAIL="$HOME/Mail"
DRAFTS="$MAIL/alice/Drafts"
EDITS="$XDG_STATE_HOME/satchel/drafts"
mkdir -p "$MAIL/alice/INBOX/cur" "$MAIL/alice/INBOX/new" \
    "$MAIL/alice/INBOX/tmp"
# The editor runs whatever $E2E_TMP/action holds on the file.
cat > "$E2E_TMP/editor" <<EOF
#!/bin/sh
. "$E2E_TMP/action"
EOF
chmod +x "$E2E_TMP/editor"
cat > "$XDG_CONFIG_HOME/satchel/config" <<EOF
mail_root = $MAIL
[account alice]
folder = alice
email = alice@example.test
sendmail_command = $E2E_TMP/sendmail
EOF
cat > "$MAIL/alice/INBOX/new/1790000000.a.test" <<'EOF'
From: Bob <bob@example.test>
To: Alice <alice@example.test>
Subject: Hello
Message-ID: <hello@example.test>
Date: Sun, 01 Nov 2026 09:00:00 +0000

Hi.
EOF
"$SATCHEL" index -q || e2e_fail "index"
subject='Entwurf: Grüße ☕ aus Köln'
attach="$E2E_TMP/pièce jointe №1.bin"
printf 'bin\000\377\001data\n' > "$attach"
cat > "$E2E_TMP/action" <<EOF
sed -i 's/^Subject:.*/Subject: $subject/' "\$1"
printf 'The body line.\n' >> "\$1"
EOF

files() {	# messages in a Maildir
	find "$1/cur" "$1/new" -type f 2>/dev/null | wc -l
}
# kill9: SIGKILL satchel (the child of the pane's shell).
kill9() {
	_sh=$(e2e_tmux display -p -t "$E2E_PANE" '#{pane_pid}')
	_pid=$(ps -o pid= --ppid "$_sh" | tr -d ' ')
	[ -n "$_pid" ] || e2e_hard "no satchel process"
	kill -KILL "$_pid"
	e2e_wait_exit 137
}

E2E_ENV="EDITOR=$E2E_TMP/editor VISUAL= OUT=$OUT"
e2e_satchel_start 100 30 tui tag:inbox
e2e_wait_for 'thread 1 of 1'

# Compose, attach, postpone.
e2e_keys m
e2e_wait_for 'To:'
e2e_keys -l 'Bob <bob@example.test>'
e2e_keys Enter
e2e_wait_for 'y:send'
e2e_wait_for "Subject:   $subject"
e2e_keys a
e2e_wait_for 'attach file:'
e2e_keys -l "$attach"
e2e_keys Enter
e2e_wait_for 'pièce jointe №1.bin'
e2e_keys P
e2e_wait_for 'postponed to Drafts of alice'
[ "$(files "$DRAFTS")" = 1 ] || e2e_fail "not in Drafts"
ls "$DRAFTS"/cur/*:2,DS >/dev/null 2>&1 || e2e_fail "no Draft flag"
[ -z "$(ls "$EDITS")" ] || e2e_fail "the editor file was left"
[ "$(count)" = 0 ] || e2e_fail "a postponed message was sent"

# SIGKILL, start again, recall (the only draft), send.
kill9
e2e_satchel_start 100 30 tui tag:inbox
e2e_wait_for 'thread 1 of 1'
e2e_screen | grep -q 'unfinished' && e2e_fail "an unfinished message?"
e2e_keys R
e2e_wait_for 'y:send'
e2e_wait_for "Subject:   $subject"
e2e_wait_for 'To:        Bob <bob@example.test>'
e2e_wait_for 'pièce jointe №1.bin'
e2e_keys y
wait_sent 1
e2e_wait_for "alice: sent: $subject"
python3 - "$OUT/0.eml" "$E2E_TMP/got" > "$E2E_TMP/decoded" <<'EOF' ||
import sys, email
from email import policy
m = email.message_from_binary_file(open(sys.argv[1], 'rb'),
    policy=policy.default)
print(m['subject'])
print(m['to'])
print(m.get_body(('plain',)).get_content().strip())
for p in m.iter_attachments():
    print(p.get_filename())
    open(sys.argv[2], 'wb').write(p.get_payload(decode=True))
EOF
    e2e_fail "python could not read the message"
printf '%s\n%s\n%s\n%s\n' "$subject" 'Bob <bob@example.test>' \
    'The body line.' 'pièce jointe №1.bin' | diff - "$E2E_TMP/decoded" ||
    e2e_fail "the recalled message is not what was postponed"
cmp -s "$attach" "$E2E_TMP/got" || e2e_fail "the attachment changed"
[ "$(files "$DRAFTS")" = 0 ] || e2e_fail "the Drafts copy is still there"

# An editor file left by a crash: announced, recalled, sent.
cat > "$E2E_TMP/action" <<'EOF'
sed -i 's/^Subject:.*/Subject: Unfinished/' "$1"
EOF
e2e_keys m
e2e_wait_for 'To:'
e2e_keys -l 'carol@example.test'
e2e_keys Enter
e2e_wait_for 'Subject:   Unfinished'
[ "$(ls "$EDITS" | wc -l)" = 1 ] || e2e_fail "no editor file"
kill9
e2e_satchel_start 100 30 tui tag:inbox
e2e_wait_for '1 unfinished message from before: recall offers it'
e2e_keys R
e2e_wait_for 'Subject:   Unfinished'
e2e_keys y
wait_sent 2
grep -q '^To: carol@example.test$' "$OUT/1.eml" || e2e_fail "not to carol"
[ -z "$(ls "$EDITS")" ] || e2e_fail "the editor file stayed"

# q asks first; y throws the message away.
e2e_keys m
e2e_wait_for 'To:'
e2e_keys Enter
e2e_wait_for 'Subject:   Unfinished'
e2e_keys q
e2e_wait_for 'abort this message? (y/n)'
e2e_keys n Enter
e2e_wait_for 'not aborted'
e2e_keys q
e2e_wait_for 'abort this message? (y/n)'
e2e_keys y Enter
e2e_wait_for 'message aborted'
[ -z "$(ls "$EDITS")" ] || e2e_fail "the aborted file stayed"

# A new message left as it was aborts at once.
: > "$E2E_TMP/action"
e2e_keys m
e2e_wait_for 'To:'
e2e_keys Enter
e2e_wait_for 'message unchanged: aborted'
[ -z "$(ls "$EDITS")" ] || e2e_fail "the unchanged file stayed"
[ "$(count)" = 2 ] || e2e_fail "an aborted message was sent"
e2e_keys Q
e2e_wait_exit 0
e2e_done
