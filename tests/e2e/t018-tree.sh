#!/bin/sh
# The thread tree (v): one line per message with its place in the reply
# tree, folding a message's replies (Space) and every fold (C), reading
# from a message in the pager (Enter) and back to the tree (v), triage on
# the message at the cursor with its undo, and its keys in the help.
. "$top_srcdir/tests/e2e/lib-e2e.sh"

e2e_mail_demo 300

set -- $("$SATCHEL" search --format=json '*' |
    sed -n 's/^\[\{0,1\}{"thread":"\([^"]*\)".*"total":\([0-9]*\),.*/\1 \2/p' |
    awk '$2 >= 5 && $2 <= 30 { print; exit }')
[ $# = 2 ] || e2e_fail "no thread of 5 to 30 messages"
thread=$1 n=$2

# The tree's rows: the screen between the key bar and the status line.
tree_rows() {
	e2e_screen | sed -n "2,$((rows - 2))p" | grep -c '[A-Z][a-z][a-z] [0-9]'
}
rows=50
e2e_satchel_start 100 $rows tui "thread:$thread"
e2e_wait_for 'thread 1 of 1'
e2e_keys v
e2e_wait_for "message 1 of $n"
[ "$(tree_rows)" = "$n" ] || e2e_fail "the tree does not show all $n messages"
# Every message but the first hangs from another by a branch.
[ "$(e2e_screen | grep -c '[├└]─')" = $((n - 1)) ] ||
    e2e_fail "not $((n - 1)) branches in a tree of $n"

# Space on the first message folds all its replies into its line.
e2e_keys Space
e2e_wait_for "[+$((n - 1))]"
e2e_wait_for "($((n - 1)) folded)"
[ "$(tree_rows)" = 1 ] || e2e_fail "folded replies still shown"
e2e_keys Space
e2e_wait_gone 'folded)'
[ "$(tree_rows)" = "$n" ] || e2e_fail "unfolding lost messages"

# C folds every reply that has replies, and unfolds them all again.
e2e_keys C
e2e_wait_for 'folded)'
e2e_keys C
e2e_wait_gone 'folded)'

# Enter reads the thread from the third message; v goes back to the
# tree with the cursor where it was.
e2e_keys j j
e2e_wait_for "message 3 of $n"
e2e_keys Enter
e2e_wait_for 'From: '
e2e_screen | sed -n '2p' | grep -q "^--- message 3 of $n" ||
    e2e_fail "the pager does not start at message 3"
e2e_keys v
e2e_wait_gone 'From: '
e2e_wait_for "message 3 of $n"

# Triage in the tree works on the message at the cursor, and undoes.
count_flagged() {
	"$SATCHEL" search --output=messages "thread:$thread and tag:flagged" |
	    grep -c . || :
}
# wait_flagged OP N WHY: polls until the count of flagged messages OP N.
wait_flagged() {
	deadline=$(( $(date +%s) + E2E_TIMEOUT ))
	until [ "$(count_flagged)" "$1" "$2" ]; do
		[ "$(date +%s)" -le "$deadline" ] || e2e_fail "$3"
		sleep 0.1
	done
}
flagged=$(count_flagged)
e2e_keys F
wait_flagged != "$flagged" "F did not flag message 3"
e2e_keys u
wait_flagged = "$flagged" "u did not undo the flag"

# The help screen lists the tree's own keys.
e2e_keys '?'
e2e_wait_for 'toggle-message'
e2e_screen | grep -q 'thread' || e2e_fail "no thread section in the help"
e2e_keys q
e2e_wait_for "message 3 of $n"
e2e_keys q q
e2e_wait_exit 0
e2e_done
