#!/bin/sh
# The pager's display toggles: every header or the usual five (H), quoted
# text folded into one line per run and back (T), and the list of the
# thread's links (L).  "satchel show" keeps printing the default view.
. "$top_srcdir/tests/e2e/lib-e2e.sh"

e2e_mail_demo 300

# A reply that quotes: its thread, and how many lines it quotes.
id=$("$SATCHEL" search --output=messages --sort=oldest-first 'tag:replied' |
    while read -r q; do
	    n=$("$SATCHEL" show "$q" | grep -c '^>')
	    [ "$n" -ge 3 ] && { echo "$q"; break; }
    done)
[ -n "$id" ] || e2e_fail "no message quoting 3 lines or more"
quoted=$("$SATCHEL" show "$id" | grep '^>' | head -1 | cut -c1-40)
e2e_satchel_start 100 40 tui "$id"
e2e_wait_for 'thread 1 of 1'
e2e_keys Enter
e2e_wait_for 'From: '
# Page down to the quoting message.
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	e2e_screen | grep -qF -- "$quoted" && break
	e2e_keys Space
	sleep 0.2
done
e2e_wait_for "$quoted"

e2e_keys T
e2e_wait_for 'quoted line'
e2e_wait_gone "$quoted"
e2e_keys T
e2e_wait_for "$quoted"
e2e_wait_gone 'quoted line'

# Every header: Message-ID is not among the usual five.
e2e_screen | grep -q '^Message-ID:' && e2e_fail "Message-ID shown at first"
e2e_keys H
e2e_wait_for 'Message-ID:'
e2e_keys H
e2e_wait_gone 'Message-ID:'
"$SATCHEL" show "$id" | grep -q '^Message-ID:' &&
    e2e_fail "satchel show prints every header"
"$SATCHEL" show "$id" | grep -q 'quoted line' &&
    e2e_fail "satchel show prints the fold lines"

# A thread as a tree of messages that fold: C folds them all to their
# one line each ("[+]"), C opens them again, Enter folds the one at the
# top.
e2e_keys Q
e2e_wait_exit 0
set -- $("$SATCHEL" search --format=json tag:inbox |
    sed -n 's/^\[\{0,1\}{"thread":"\([^"]*\)".*"total":\([0-9]*\),.*/\1 \2/p' |
    awk '$2 >= 3 && $2 <= 9 { print; exit }')
[ $# = 2 ] || e2e_fail "no thread of 3 to 9 messages"
thread=$1 n=$2
e2e_satchel_start 100 40 tui "thread:$thread"
e2e_wait_for 'thread 1 of 1'
e2e_keys Enter
e2e_wait_for "message 1 of $n"
e2e_keys C
e2e_wait_for "message $n of $n"
[ "$(e2e_screen | grep -c "^--- message [1-9] of $n .*--- \\[+\\]")" = "$n" ] ||
    e2e_fail "not every message folded to one line"
e2e_screen | grep -q '^From:' && e2e_fail "a folded message shows its headers"
e2e_screen | grep -q '└─' || e2e_fail "no reply tree in the message lines"
e2e_keys C
e2e_wait_for 'From:'
e2e_keys = Enter
e2e_wait_for "message 1 of $n"
e2e_wait_for '[+]'
[ "$(e2e_screen | grep -c '\[+\]')" = 1 ] || e2e_fail "Enter folded more than one"
e2e_screen | sed -n '3p' | grep -q "^--- message 2 of $n" ||
    e2e_fail "message 2 does not follow the folded message 1"

# Links: a newsletter's, listed one per line without the brackets.
e2e_keys L
e2e_wait_for 'no links in this thread'
e2e_keys Q
e2e_wait_exit 0
e2e_satchel_start 100 40 tui 'subject:"Weekly Byte #214"'
e2e_wait_for 'thread 1 of 1'
e2e_keys Enter
e2e_wait_for 'From: '
e2e_keys L
e2e_wait_for 'Links'
e2e_wait_for '  1  https://news.example.net/issues/214?utm_source=newsletter&utm_medium=email'
e2e_screen | grep -q 'email>' && e2e_fail "the closing bracket is part of a link"
e2e_keys q
e2e_wait_for 'From: '
e2e_keys Q
e2e_wait_exit 0
e2e_done
