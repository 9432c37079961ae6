#!/bin/sh
# Triage in the thread list and the pager: archive, delete, flag,
# toggle-read, tag and move, each on a thread, on a selection and on one
# message, each undone; the prompt with completion; search and back.
# What the screen claims is checked against the index ("satchel search",
# a second reader) and the Maildir files.
. "$top_srcdir/tests/e2e/lib-e2e.sh"

e2e_mail_demo 300

# count QUERY: how many messages match, as another reader of the index sees.
count() {
	"$SATCHEL" search --output=messages "$*" | wc -l | tr -d ' '
}

# expect QUERY N
expect() {
	q=$1 want=$2
	got=$(count "$q")
	[ "$got" = "$want" ] || e2e_fail "'$q': $got messages, not $want"
}

# The threads of tag:inbox as the list shows them, newest first.
thread_n() {
	"$SATCHEL" search --format=json tag:inbox | sed -n "${1}p" |
	    sed 's/^\[\{0,1\}{"thread":"\([^"]*\)".*/\1/'
}

t1=$(thread_n 1)
t2=$(thread_n 2)
[ -n "$t1" ] && [ -n "$t2" ] || e2e_fail "no inbox threads"
n1=$(count "thread:$t1 and tag:inbox")
n2=$(count "thread:$t2 and tag:inbox")
inbox=$(count tag:inbox)

e2e_satchel_start 100 30
e2e_wait_for 'thread 1 of'

# Archive the thread under the cursor, and undo.
e2e_keys a
e2e_wait_for "archived $n1 message"
expect "thread:$t1 and tag:inbox" 0
expect tag:inbox $((inbox - n1))
e2e_wait_for "($((inbox - n1)) messages)"
e2e_keys u
e2e_wait_for 'undone: archived'
expect "thread:$t1 and tag:inbox" "$n1"
expect tag:inbox "$inbox"

# Keys faster than the index is written: the list drops each thread at
# once and the next key acts on the thread then under the cursor; the
# undos, queued behind the archives, take back all three.
t3=$(thread_n 3)
n3=$(count "thread:$t3 and tag:inbox")
e2e_keys a a a
deadline=$(( $(date +%s) + E2E_TIMEOUT ))
until [ "$(count tag:inbox)" = $((inbox - n1 - n2 - n3)) ]; do
	[ "$(date +%s)" -le "$deadline" ] ||
	    e2e_fail "three archives left $(count tag:inbox) in the inbox"
	sleep 0.1
done
expect "(thread:$t1 or thread:$t2 or thread:$t3) and tag:inbox" 0
e2e_keys u u u
e2e_wait_for '; 0 more to undo'
expect tag:inbox "$inbox"
e2e_wait_for 'thread 1 of'

# Undo puts the cursor on the thread that came back.
t3=$(thread_n 3)
n3=$(count "thread:$t3 and tag:inbox")
e2e_keys j j
e2e_wait_for 'thread 3 of'
e2e_keys a
e2e_wait_for "archived $n3 message"
expect "thread:$t3 and tag:inbox" 0
e2e_keys =
e2e_wait_for 'thread 1 of'
e2e_keys u
e2e_wait_for 'undone: archived'
expect "thread:$t3 and tag:inbox" "$n3"
e2e_wait_for 'thread 3 of'

# Delete: to the Trash folder, out of the inbox; undo puts the file back.
e2e_keys = d
e2e_wait_for "deleted $n1 message"
expect "thread:$t1 and folder:Trash" "$n1"
expect "thread:$t1 and tag:inbox" 0
[ "$(ls "$HOME/Mail/Trash/cur" | wc -l)" = "$n1" ] ||
    e2e_fail "Trash/cur does not hold $n1 files"
e2e_keys u
e2e_wait_for 'undone: deleted'
expect "thread:$t1 and folder:Trash" 0
expect "thread:$t1 and tag:inbox" "$n1"
[ "$(ls "$HOME/Mail/Trash/cur" | wc -l)" = 0 ] || e2e_fail "Trash not empty"

# Flag toggles; two undos bring back the start.
flagged=$(count "thread:$t1 and tag:flagged")
[ "$flagged" = 0 ] || e2e_fail "the first thread is flagged already"
e2e_keys = F
e2e_wait_for "flagged $n1 message"
expect "thread:$t1 and tag:inbox and not tag:flagged" 0
# A flagged message is a file with F in its name.
ls "$HOME"/Mail/*/cur | grep -q ':2,[A-Z]*F' ||
    e2e_fail "no Maildir file carries the F flag"
e2e_keys F
e2e_wait_for "unflagged $n1 message"
expect "thread:$t1 and tag:flagged" 0
e2e_keys u
e2e_wait_for 'undone: unflagged'
expect "thread:$t1 and tag:inbox and not tag:flagged" 0
e2e_keys u
e2e_wait_for 'undone: flagged'
expect "thread:$t1 and tag:flagged" 0

# Toggle read, and undo.
unread=$(count "thread:$t1 and tag:unread")
e2e_keys = N
if [ "$unread" -gt 0 ]; then
	e2e_wait_for 'marked read'
	expect "thread:$t1 and tag:unread" 0
else
	e2e_wait_for 'marked unread'
	expect "thread:$t1 and tag:inbox and not tag:unread" 0
fi
e2e_keys u
e2e_wait_for 'undone: marked'
expect "thread:$t1 and tag:unread" "$unread"

# Tag through the prompt, with completion of the tag name.
e2e_keys = +
e2e_wait_for ':tag'
e2e_keys '+' 'l' 'a' 't' 'e' 'r' ' ' '-' 'i' 'n' 'b' Tab
e2e_wait_for ':tag +later -inbox'
e2e_keys Enter
e2e_wait_for "tagged $n1 message"
expect "thread:$t1 and tag:later" "$n1"
expect "thread:$t1 and tag:inbox" 0
e2e_keys u
e2e_wait_for 'undone: tagged'
expect tag:later 0
expect "thread:$t1 and tag:inbox" "$n1"

# Move through the prompt, completing the folder name.
e2e_keys = s
e2e_wait_for ':move'
e2e_keys 'A' 'r' 'c' Tab
e2e_wait_for ':move Archive'
e2e_keys C-u 'm' 'o' 'v' 'e' ' ' 'P' 'r' 'o' 'j' 'e' 'c' 't' 's' Enter
e2e_wait_for "moved $n1 message"
expect "thread:$t1 and folder:Projects" "$n1"
[ -d "$HOME/Mail/Projects/cur" ] || e2e_fail "no Projects Maildir"
e2e_keys u
e2e_wait_for 'undone: moved'
expect folder:Projects 0

# A selection: two threads, archived together, undone together.
e2e_keys = t t
e2e_wait_for '2 selected'
e2e_keys a
e2e_wait_for "archived $((n1 + n2)) message"
expect "(thread:$t1 or thread:$t2) and tag:inbox" 0
e2e_wait_gone '2 selected'
e2e_keys u
e2e_wait_for 'undone: archived'
expect "(thread:$t1 or thread:$t2) and tag:inbox" $((n1 + n2))

# Select by query (from: completes to an address seen in mail).
alice=$(count "tag:inbox and from:alice@example.test")
[ "$alice" -gt 0 ] || e2e_fail "no inbox mail from alice"
e2e_keys T
e2e_wait_for ':select-query'
e2e_keys 'f' 'r' 'o' 'm' ':' 'a' 'l' 'i' Tab
e2e_wait_for ':select-query from:alice@example.test'
e2e_keys Enter
e2e_wait_for 'selected,'
threads=$("$SATCHEL" search "tag:inbox and from:alice@example.test" | wc -l)
e2e_wait_for "$threads selected"
e2e_keys : 't' 'a' 'g' ' ' '+' 't' 'o' 'd' 'o' Enter
e2e_wait_for 'tagged '
expect "tag:inbox and from:alice@example.test and not tag:todo" 0
e2e_wait_gone "$threads selected"
e2e_keys u
e2e_wait_for 'undone: tagged'
expect tag:todo 0

# Search and back: the list below keeps its cursor.
e2e_keys = j j
e2e_wait_for 'thread 3 of'
e2e_keys /
e2e_wait_for ':search'
e2e_keys 't' 'a' 'g' ':' 'r' 'e' 'p' 'l' 'i' 'e' 'd' Enter
e2e_wait_for ' tag:replied '
e2e_keys q
e2e_wait_for ' tag:inbox '
e2e_wait_for 'thread 3 of'

# In the pager: archive one message, then the rest of the thread.
big=$("$SATCHEL" search --format=json 'tag:inbox' |
    sed -n 's/^\[\{0,1\}{"thread":"\([^"]*\)","timestamp":[0-9]*,"date":"[^"]*","matched":\([3-9]\),.*/\1/p' |
    head -1)
[ -n "$big" ] || e2e_fail "no inbox thread with several matched messages"
nb=$(count "thread:$big and tag:inbox")
e2e_keys Q
e2e_wait_exit 0
e2e_satchel_start 100 30 tui "thread:$big and tag:inbox"
e2e_wait_for 'thread 1 of 1'
e2e_keys Enter
e2e_wait_for "message 1 of"
e2e_keys a
e2e_wait_for 'archived 1 message'
expect "thread:$big and tag:inbox" $((nb - 1))
e2e_keys A
e2e_wait_for "archived $((nb - 1)) message"
expect "thread:$big and tag:inbox" 0
# The list below the pager is read again once it is back on screen.
e2e_keys q
e2e_wait_for 'No threads match'
e2e_keys u
e2e_wait_for 'undone: archived'
e2e_wait_for '1 more to undo'
e2e_wait_for 'thread 1 of 1'
expect "thread:$big and tag:inbox" $((nb - 1))
e2e_keys u
e2e_wait_for '0 more to undo'
expect "thread:$big and tag:inbox" "$nb"

# Errors are messages, not crashes.
e2e_keys u u u u u u u u
e2e_wait_for 'nothing to undo'
e2e_keys : 'n' 'o' 's' 'u' 'c' 'h' Enter
e2e_wait_for "unknown command 'nosuch'"
e2e_keys : 't' 'a' 'g' ' ' 'x' Enter
e2e_wait_for "tag: 'x' is not +TAG or -TAG"
e2e_keys Q
e2e_wait_exit 0
e2e_done
