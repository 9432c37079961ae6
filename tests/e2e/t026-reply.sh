#!/bin/sh
# Replies and forwards from the interface, sent through a
# sendmail_command that keeps what it gets: r on a thread in the list
# answers its newest message (Reply-To honoured, In-Reply-To and
# References right, the signature after "-- "), g answers everyone but
# ourselves, r in the pager answers the message shown, f forwards inline
# and b as an attachment, i changes the identity; the original is
# tagged replied.  The editor is
# a script ($EDITOR) that adds a line.
. "$top_srcdir/tests/e2e/lib-e2e.sh"
. "$top_srcdir/tests/e2e/lib-compose.sh"

MAIL="$HOME/Mail"
mkdir -p "$MAIL/alice/INBOX/cur" "$MAIL/alice/INBOX/new" \
    "$MAIL/alice/INBOX/tmp"
cat > "$E2E_TMP/editor" <<'EOF'
#!/bin/sh
printf 'Reply text from the editor.\n' >> "$1"
EOF
chmod +x "$E2E_TMP/editor"
printf 'Alice\n' > "$E2E_TMP/sig"
cat > "$XDG_CONFIG_HOME/satchel/config" <<EOF
mail_root = $MAIL
[account alice]
folder = alice
email = alice@example.test
realname = Alice Liddell
signature = $E2E_TMP/sig
sendmail_command = $E2E_TMP/sendmail
[account work]
folder = work
email = work@example.test
sendmail_command = $E2E_TMP/sendmail
EOF
cat > "$MAIL/alice/INBOX/new/1790000000.t1.test" <<'EOF'
From: Bob <bob@example.test>
To: Alice <alice@example.test>
Cc: Carol <carol@example.test>
Subject: Plans
Message-ID: <t1@example.test>
Date: Sat, 31 Oct 2026 09:00:00 +0000

Shall we meet?
EOF
cat > "$MAIL/alice/INBOX/new/1790000001.t2.test" <<'EOF'
From: Carol <carol@example.test>
To: Alice <alice@example.test>, Bob <bob@example.test>
Cc: Dave <dave@example.test>
Reply-To: Planning <plans@example.test>
Subject: Re: Plans
Message-ID: <t2@example.test>
In-Reply-To: <t1@example.test>
References: <t1@example.test>
Date: Sun, 01 Nov 2026 09:00:00 +0000

Yes, Monday.
EOF
"$SATCHEL" index -q || e2e_fail "index"

# header N NAME: the unfolded header of the N-th message sent (from 0).
header() {
	awk -v h="$2" '
		/^$/ { exit }
		/^[ \t]/ { if (on) v = v " " substr($0, 2); next }
		{ if (on) exit; n = index($0, ":")
		  if (tolower(substr($0, 1, n - 1)) == tolower(h)) {
			on = 1; v = substr($0, n + 2) } }
		END { gsub(/[ \t]+/, " ", v); print v }' "$OUT/$1.eml"
}

expect() {	# N NAME VALUE
	got=$(header "$1" "$2")
	[ "$got" = "$3" ] || e2e_fail "message $1: $2 is '$got', not '$3'"
}

E2E_ENV="EDITOR=$E2E_TMP/editor VISUAL= OUT=$OUT"
e2e_satchel_start 100 30 tui tag:inbox
e2e_wait_for 'thread 1 of 1'

# r in the list: the newest message, to its Reply-To.
e2e_keys r
e2e_wait_for 'y:send'
e2e_wait_for 'Subject:   Re: Plans'
e2e_wait_for 'To:        Planning <plans@example.test>'
e2e_keys y
wait_sent 1
e2e_wait_for 'alice: sent: Re: Plans'
expect 0 From 'Alice Liddell <alice@example.test>'
expect 0 To 'Planning <plans@example.test>'
expect 0 Subject 'Re: Plans'
expect 0 In-Reply-To '<t2@example.test>'
expect 0 References '<t1@example.test> <t2@example.test>'
[ "$(cat "$OUT/0.args")" = plans@example.test ] ||
    e2e_fail "recipients: $(cat "$OUT/0.args")"
grep -q '^> Yes, Monday\.$' "$OUT/0.eml" || e2e_fail "not quoted"
grep -q '^Reply text from the editor\.$' "$OUT/0.eml" ||
    e2e_fail "the editor's line is missing"
sed -n '/^-- $/,$p' "$OUT/0.eml" | grep -q '^Alice$' ||
    e2e_fail "no signature after '-- '"
[ -z "$(ls "$XDG_STATE_HOME/satchel/drafts")" ] ||
    e2e_fail "the editor file was left behind"
e2e_wait_for 'replied'
[ "$("$SATCHEL" search --output=messages 'tag:replied')" = \
    'id:t2@example.test' ] || e2e_fail "the original is not tagged replied"

# g: everyone, ourselves left out.
e2e_keys g
e2e_wait_for 'y:send'
e2e_keys y
wait_sent 2
expect 1 To 'Planning <plans@example.test>'
expect 1 Cc 'Bob <bob@example.test>, Dave <dave@example.test>'
expect 1 In-Reply-To '<t2@example.test>'
printf 'plans@example.test\nbob@example.test\ndave@example.test\n' |
    diff - "$OUT/1.args" || e2e_fail "reply-all recipients"

# r in the pager: the message shown (the first of the thread).
e2e_keys Enter
e2e_wait_for 'Shall we meet?'
e2e_keys r
e2e_wait_for 'y:send'
e2e_wait_for 'To:        Bob <bob@example.test>'
e2e_keys y
wait_sent 3
expect 2 In-Reply-To '<t1@example.test>'
expect 2 References '<t1@example.test>'
expect 2 To 'Bob <bob@example.test>'

# f forwards inline; a forward has no recipient, so from here on the
# editor writes one.
cat > "$E2E_TMP/editor" <<'EOF'
#!/bin/sh
sed -i 's/^To:.*/To: erin@example.test/' "$1"
EOF
e2e_keys f
e2e_wait_for 'Subject:   Fwd: Plans'
e2e_keys y
wait_sent 4
expect 3 Subject 'Fwd: Plans'
grep -q 'Forwarded message' "$OUT/3.eml" || e2e_fail "not forwarded inline"
grep -q '^Shall we meet?$' "$OUT/3.eml" || e2e_fail "no forwarded text"

# b forwards it as an attachment; i sends it as the other account.
e2e_keys b
e2e_wait_for 'message/rfc822'
e2e_keys i
e2e_wait_for 'From:      work@example.test'
e2e_wait_for 'compose: account work'
e2e_keys y
wait_sent 5
expect 4 From 'work@example.test'
grep -q '^Content-Type: message/rfc822' "$OUT/4.eml" ||
    e2e_fail "not attached as message/rfc822"
grep -q '^Message-ID: <t1@example.test>$' "$OUT/4.eml" ||
    e2e_fail "the original is not inside"
e2e_keys q Q
e2e_wait_exit 0
e2e_done
