#!/bin/sh
# The first screen: generate the demo mailbox, index it, open the thread
# list, move around, open a thread with a non-ASCII (RFC 2047) subject,
# read its decoded subject and body, see the help, resize, go back, quit.
. "$top_srcdir/tests/e2e/lib-e2e.sh"

e2e_mail_demo 300

# The thread to open: one whose subject was RFC 2047-encoded ("Grüße").
thread=$("$SATCHEL" search --format=json 'tag:inbox and subject:"Grüße"' |
    head -1 | sed -n 's/^\[\{0,1\}{"thread":"\([^"]*\)".*/\1/p')
[ -n "$thread" ] || e2e_fail "no thread with a decoded 'Grüße' subject"
# The pager starts with the thread's first message: its subject and a line
# of its body, as "satchel show" renders them.
json=$("$SATCHEL" search --format=json --output=messages --sort=oldest-first \
    --limit=1 "thread:$thread")
id=$(printf '%s\n' "$json" | sed -n 's/^\[{"id":"\([^"]*\)".*/\1/p')
subject=$(printf '%s\n' "$json" | sed -n 's/.*"subject":"\([^"]*\)".*/\1/p')
case $subject in *Grüße*) ;; *) e2e_fail "root subject '$subject'" ;; esac
body=$("$SATCHEL" show "id:$id" | sed -n '/^$/,$p' |
    sed -n '/[[:alpha:]]\{4\}/{p;q}' | cut -c1-60)
[ -n "$body" ] || e2e_fail "no body text for id:$id"

e2e_satchel_start 80 24
e2e_wait_for ' tag:inbox '
# Idle time counts the messages, then reads a screen ahead: the status
# line says when both are done.
e2e_wait_for 'thread 1 of 42+  (300 messages)'
e2e_expect_screen expected/t001-index-80x24.txt

# Motions: j/k, arrows, G/g, page down/up.
e2e_keys j j k
e2e_wait_for 'thread 2 of'
e2e_keys Down Down Up
e2e_wait_for 'thread 3 of'
e2e_keys G
total=$("$SATCHEL" search tag:inbox | wc -l)
e2e_wait_for "thread $total of $total "
e2e_keys =
e2e_wait_for 'thread 1 of'
e2e_keys PageDown
e2e_wait_for 'thread 22 of'
e2e_keys PageUp
e2e_wait_for 'thread 1 of'

# Open the thread with the encoded subject: search for it first.
e2e_keys Q
e2e_wait_exit 0
e2e_satchel_start 80 24 tui "thread:$thread"
e2e_wait_for "thread 1 of 1 "
e2e_keys Enter
e2e_wait_for "Subject: $subject"
e2e_wait_for "$body"
e2e_wait_for 'From: '

# Help lists the bindings of the active keymap.
e2e_keys '?'
e2e_wait_for 'Keys (the active keymap'
# The pager's section comes after the list's: page down to it.
for _i in 1 2 3 4 5 6; do
	e2e_screen | grep -qF 'pager (this view):' && break
	_at=$(e2e_screen | sed -n 's/.* help  lines \([0-9]*\)-.*/\1/p')
	e2e_keys PageDown
	e2e_wait_gone " help  lines $_at-"
done
e2e_wait_for 'pager (this view):'
e2e_keys q
e2e_wait_for "Subject: $subject"

# Resize: the pager rewraps and still shows the subject.
e2e_resize 120 40
e2e_wait_for "Subject: $subject"
e2e_resize 80 24
e2e_wait_for "Subject: $subject"

# q goes back to the list, then quits.
e2e_keys q
e2e_wait_for "thread 1 of 1 "
e2e_keys q
e2e_wait_exit 0

# Without colour (NO_COLOR, or a terminal that has none) nothing is
# coloured, and the cursor and status line still show in reverse video.
esc=$(printf '\033')
for how in "E2E_ENV=NO_COLOR=1" "E2E_TERM=vt100"; do
	eval "$how e2e_satchel_start 80 24"
	e2e_wait_for 'thread 1 of'
	e2e_screen -e > "$E2E_TMP/colour"
	grep -q "$esc\[[0-9;]*3[0-7]m\|$esc\[[0-9;]*[34]8;" "$E2E_TMP/colour" &&
	    e2e_fail "$how: colour codes on screen"
	grep -q "$esc\[7m" "$E2E_TMP/colour" ||
	    e2e_fail "$how: no reverse video for the cursor"
	e2e_keys q
	e2e_wait_exit 0
done
e2e_done
