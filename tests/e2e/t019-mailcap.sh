#!/bin/sh
# mailcap: HTML through a copiousoutput filter when one is configured
# (the HTML alternative then wins over the plain text), else the plain
# alternative, else the built-in conversion; a failing filter falls back
# with a note.  Attachments open with their mailcap viewer on the
# terminal (the screen comes back), or through a copiousoutput entry into
# a view; a type without an entry says so.  Nothing from the mail's
# Content-Type reaches the command line.
. "$top_srcdir/tests/e2e/lib-e2e.sh"

e2e_mail_demo 30
mkdir -p "$HOME/Mail/INBOX/new"
cat > "$HOME/Mail/INBOX/new/1790000000.alt.test" <<'EOF'
From: News <news@example.test>
To: Alice <alice@example.test>
Subject: Alternatives
Message-ID: <alt-1@example.test>
Date: Sun, 01 Nov 2026 09:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

plain words here
--b1
Content-Type: text/html; charset=utf-8

<html><body><p>html <b>words</b> here</p></body></html>
--b1--
EOF
cat > "$HOME/Mail/INBOX/new/1790000001.att.test" <<'EOF'
From: Bob <bob@example.test>
To: Alice <alice@example.test>
Subject: Two attachments
Message-ID: <att-1@example.test>
Date: Sun, 01 Nov 2026 09:01:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b2"

--b2
Content-Type: text/plain

See both.
--b2
Content-Type: application/x-satchel-test; charset="x'; touch pwned; '"
Content-Disposition: attachment; filename="../$(touch pwned2).dat"
Content-Transfer-Encoding: base64

aGVsbG8gYXR0YWNobWVudAo=
--b2
Content-Type: text/x-satchel-report
Content-Disposition: attachment; filename="report.txt"

line one
line two
--b2
Content-Type: audio/x-nothing
Content-Disposition: attachment; filename="sound.ogg"

noise
--b2--
EOF
"$SATCHEL" index -q || e2e_fail "index"

# No mailcap entry for HTML: the plain alternative.
"$SATCHEL" show id:alt-1@example.test | grep -q 'plain words here' ||
    e2e_fail "without a filter the plain alternative is not shown"

# A filter: the HTML alternative, converted by it.
cat > "$MAILCAPS" <<EOF
text/html; sed -e 's/<[^>]*>//g' -e 's/^/FILTERED: /' %s; copiousoutput; nametemplate=%s.html
application/x-satchel-test; cp %s "$HOME/opened.dat" && echo %t %{charset} > "$HOME/opened.args" && printf 'viewer ran, press Enter ' && read x; needsterminal
text/x-satchel-report; tr a-z A-Z; copiousoutput
EOF
out=$("$SATCHEL" show id:alt-1@example.test)
printf '%s\n' "$out" | grep -q 'FILTERED: html words here' ||
    e2e_fail "the filter's output is not shown: $out"
printf '%s\n' "$out" | grep -q 'plain words here' &&
    e2e_fail "the plain alternative shown beside the filtered HTML"

# A failing filter: a note, then the built-in conversion.
printf 'text/html; exit 3; copiousoutput\n' > "$E2E_TMP/mailcap-bad"
out=$(MAILCAPS="$E2E_TMP/mailcap-bad" "$SATCHEL" show id:alt-1@example.test)
printf '%s\n' "$out" | grep -q 'HTML filter failed' ||
    e2e_fail "no note for a failing filter: $out"
printf '%s\n' "$out" | grep -q 'html words here' ||
    e2e_fail "no built-in conversion after a failing filter: $out"

# The pager shows the filtered HTML too.
e2e_satchel_start 100 30 tui id:alt-1@example.test
e2e_wait_for 'thread 1 of 1'
e2e_keys Enter
e2e_wait_for 'FILTERED: html words here'
e2e_keys Q
e2e_wait_exit 0

# Opening attachments.
e2e_satchel_start 100 30 tui id:att-1@example.test
e2e_wait_for 'thread 1 of 1'
e2e_keys Enter
e2e_wait_for '#3 Attachment:'
e2e_keys O
e2e_wait_for ':open-attachment'
e2e_keys 1 Enter
e2e_wait_for 'viewer ran, press Enter'
e2e_keys Enter
e2e_wait_for 'opened #1 (application/x-satchel-test)'
e2e_wait_for '#3 Attachment:'
[ "$(cat "$HOME/opened.dat")" = "hello attachment" ] ||
    e2e_fail "the viewer did not get the decoded attachment"
[ "$(cat "$HOME/opened.args")" = "application/x-satchel-test" ] ||
    e2e_fail "the command line took mail text: $(cat "$HOME/opened.args")"
find "$E2E_TMP" "$HOME" -name 'pwned*' | grep -q . &&
    e2e_fail "the mail ran a command"
find "${TMPDIR:-/tmp}" -maxdepth 2 -name 'touchpwned2.dat' | grep -q . &&
    e2e_fail "the temporary copy was left behind"

e2e_keys O
e2e_wait_for ':open-attachment'
e2e_keys 2 Enter
e2e_wait_for 'LINE ONE'
e2e_wait_for 'LINE TWO'
e2e_keys q
e2e_wait_for '#3 Attachment:'

e2e_keys O
e2e_wait_for ':open-attachment'
e2e_keys 3 Enter
e2e_wait_for 'no mailcap entry for audio/x-nothing'
e2e_keys Q
e2e_wait_exit 0
e2e_done
