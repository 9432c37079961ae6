#!/bin/sh
# A thread of 1000 messages (gen-mail makes one from 10000 messages on):
# the pager renders the first messages at once and the rest as it goes,
# so every message is still reachable -- by paging, by G to the last, and
# through the tree -- and nothing is shown twice or lost on the way.
. "$top_srcdir/tests/e2e/lib-e2e.sh"

e2e_mail_demo 10000
thread=$("$SATCHEL" search --format=json '*' |
    sed -n 's/^\[\{0,1\}{"thread":"\([^"]*\)".*"total":1000,.*/\1/p' | head -1)
[ -n "$thread" ] || e2e_fail "no thread of 1000 messages"

e2e_satchel_start 100 30 tui -n "thread:$thread"
e2e_wait_for 'thread 1 of 1'
e2e_keys Enter
e2e_wait_for 'message 1 of 1000'
# Paging goes on past what was rendered first.
i=0
while ! e2e_screen | grep -q 'message [4-9][0-9] of 1000'; do
	e2e_keys PageDown
	i=$((i + 1))
	[ $i -lt 400 ] || e2e_fail "paging did not reach message 40"
	sleep 0.02
done
# G renders the rest and shows the end.
# (All 1000 are parsed: minutes under the sanitizers on a busy machine.)
e2e_keys G
e2e_wait_for 'message 1000 of 1000' 300
e2e_wait_for '100%'
e2e_keys =
e2e_wait_for 'message 1 of 1000'
# The tree has them all, and Enter on the last opens the pager there.
e2e_keys v
e2e_wait_for 'message 1 of 1000'
e2e_keys G
e2e_wait_for 'message 1000 of 1000'
e2e_keys Enter
e2e_wait_for '--- message 1000 of 1000' 300
# Back: the tree, the first pager, the list.
e2e_keys q q q
e2e_wait_for 'thread 1 of 1'
e2e_keys q
e2e_wait_exit 0
e2e_done
