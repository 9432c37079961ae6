#!/bin/sh
# Attachments from the pager: save one (decoded, under a safe name, in
# ~/Downloads), refuse to replace a file unless the user says yes, and
# pipe one to a command whose output is shown.  The attachment's name is
# hostile: a path, an escape sequence and a bidi override.
. "$top_srcdir/tests/e2e/lib-e2e.sh"

e2e_mail_demo 60
mkdir -p "$HOME/Downloads" "$HOME/Mail/INBOX/new"
# base64 of "hello attachment\n", named ../../.evil<ESC>[1m<RLO>txt.exe
esc=$(printf '\033')
rlo=$(printf '\342\200\256')
cat > "$HOME/Mail/INBOX/new/1790000000.attach.test" <<EOF
From: Mallory <mallory@example.test>
To: Alice <alice@example.test>
Subject: Your invoice
Message-ID: <attach-1@example.test>
Date: Sun, 01 Nov 2026 09:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain

See the attachment.
--b1
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="../../.evil${esc}[1m${rlo}txt.exe"
Content-Transfer-Encoding: base64

aGVsbG8gYXR0YWNobWVudAo=
--b1--
EOF
"$SATCHEL" index -q || e2e_fail "index"

e2e_satchel_start 120 30 tui id:attach-1@example.test
e2e_wait_for 'thread 1 of 1'
e2e_keys Enter
e2e_wait_for '#1 Attachment:'

e2e_keys W
e2e_wait_for ':save-attachment'
e2e_keys 1 Enter
e2e_wait_for 'saved 17 bytes to'
saved=$(ls "$HOME/Downloads")
[ "$(printf '%s\n' "$saved" | wc -l)" = 1 ] || e2e_fail "saved: $saved"
case $saved in
*"$esc"*|*"$rlo"*|*/*|.*|-*) e2e_fail "unsafe name '$saved'" ;;
esac
[ "$(cat "$HOME/Downloads/$saved")" = "hello attachment" ] ||
    e2e_fail "the saved file is not the decoded attachment"
ls -a "$HOME" | grep -q evil && e2e_fail "something was written outside Downloads"

# Saving again asks; "n" keeps the file, "y" replaces it.
printf 'changed\n' > "$HOME/Downloads/$saved"
e2e_keys : 's' 'a' 'v' 'e' '-' 'a' 't' 't' 'a' 'c' 'h' 'm' 'e' 'n' 't' ' ' 1 Enter
e2e_wait_for 'exists; replace it? (y/n)'
e2e_keys n Enter
e2e_wait_for 'not saved'
[ "$(cat "$HOME/Downloads/$saved")" = changed ] || e2e_fail "replaced without yes"
e2e_keys : 's' 'a' 'v' 'e' '-' 'a' 't' 't' 'a' 'c' 'h' 'm' 'e' 'n' 't' ' ' 1 Enter
e2e_wait_for 'exists; replace it? (y/n)'
e2e_keys y Enter
e2e_wait_for '(replaced)'
[ "$(cat "$HOME/Downloads/$saved")" = "hello attachment" ] ||
    e2e_fail "yes did not replace"

# A path given: the file goes there, under that name.
e2e_keys : 's' 'a' 'v' 'e' '-' 'a' 't' 't' 'a' 'c' 'h' 'm' 'e' 'n' 't' ' ' 1 ' ' \
    $(printf '%s' "$HOME/copy.bin" | sed 's/./& /g') Enter
e2e_wait_for 'copy.bin'
cmp -s "$HOME/copy.bin" "$HOME/Downloads/$saved" || e2e_fail "PATH save differs"

# Pipe: the command reads the decoded attachment; its output is shown.
e2e_keys '|'
e2e_wait_for ':pipe-attachment'
e2e_keys 1 ' ' 't' 'r' ' ' 'a' '-' 'z' ' ' 'A' '-' 'Z' Enter
e2e_wait_for 'HELLO ATTACHMENT'
e2e_wait_for '| tr a-z A-Z'
e2e_keys q
e2e_wait_for '#1 Attachment:'
e2e_keys : 'p' 'i' 'p' 'e' '-' 'a' 't' 't' 'a' 'c' 'h' 'm' 'e' 'n' 't' ' ' 2 ' ' 'c' 'a' 't' Enter
e2e_wait_for 'no attachment #2 here (1 in this thread)'
e2e_keys Q
e2e_wait_exit 0
e2e_done
