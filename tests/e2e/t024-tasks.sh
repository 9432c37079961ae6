#!/bin/sh
# The task list (X): tasks from a bundled .ics by due date, then
# priority; marking one complete (x) writes STATUS, COMPLETED and
# PERCENT-COMPLETE to its file; the status filters (C, A, I, O); a task
# made from a message (!) with a due date, linked back to it (Enter
# opens the message), a bad date refused and Escape making none.
. "$top_srcdir/tests/e2e/lib-e2e.sh"

data="$top_srcdir/tests/e2e/data"
store="$XDG_DATA_HOME/satchel/calendars/default"
mkdir -p "$HOME/Mail/INBOX/cur" "$HOME/Mail/INBOX/new" "$HOME/Mail/INBOX/tmp"
cat > "$HOME/Mail/INBOX/new/1.eml" <<'EOF'
From: Bob <bob@example.test>
To: Alice <alice@example.test>
Subject: Quarterly numbers
Message-ID: <numbers-1@example.test>
Date: Mon, 08 Mar 2027 09:00:00 +0000

Could you check the numbers before Friday?
EOF
printf 'mail_root = %s/Mail\n' "$HOME" > "$XDG_CONFIG_HOME/satchel/config"
"$SATCHEL" index -q || e2e_fail "satchel index failed"
"$SATCHEL" import "$data/calview-tasks.ics" > /dev/null ||
    e2e_fail "satchel import failed"
export SATCHEL_NOW=1804680000	# 2027-03-10 12:00 UTC
export TZ=America/New_York

# row N TEXT: the Nth task row (after the key bar and the header) holds
# TEXT.
row() {
	e2e_wait_row $(($1 + 2)) "$2"
}

E2E_ENV="TZ=$TZ" e2e_satchel_start 80 24
e2e_wait_for 'Quarterly numbers'
e2e_keys X
e2e_wait_for 'tasks: open  1 of 3'
row 1 '2027-03-10 12:00  NEEDS-ACTION  1    0%  Book the room'
row 2 '2027-03-12        IN-PROCESS    1   50%  Send the report'
row 3 '2027-03-12        NEEDS-ACTION  2    0%  Prepare slides'

# x on the first: completed, gone from the open tasks, on disk.
e2e_keys x
e2e_wait_for 'task marked completed'
row 1 'Send the report'
e2e_wait_for 'tasks: open  1 of 2'
f="$store/task-room@example.test.ics"
grep -q '^STATUS:COMPLETED' "$f" || e2e_fail "no STATUS:COMPLETED in $f"
grep -q '^COMPLETED:2027' "$f" || e2e_fail "no COMPLETED in $f"
grep -q '^PERCENT-COMPLETE:100' "$f" || e2e_fail "no PERCENT-COMPLETE in $f"

# The filters.
e2e_keys C
e2e_wait_for 'tasks: completed'
row 1 'COMPLETED   '
row 1 'Book the room'
row 2 'Old chore'
e2e_keys A
e2e_wait_for 'tasks: all  '
e2e_wait_for 'of 4'
e2e_keys I
e2e_wait_for 'tasks: in-process  1 of 1'
row 1 'Send the report'
e2e_keys O
e2e_wait_for 'tasks: open  '
# i marks the one at the cursor in process, o opens it again.
e2e_keys j
e2e_wait_for 'tasks: open  2 of 2'
e2e_keys i
e2e_wait_for 'task marked in-process'
row 2 'IN-PROCESS    2    0%  Prepare slides'
grep -q '^STATUS:IN-PROCESS' "$store/task-slides@example.test.ics" ||
    e2e_fail "slides not in process on disk"
e2e_keys o
e2e_wait_for 'task marked needs-action'
row 2 'NEEDS-ACTION  2    0%  Prepare slides'
# A task from a file has no message.
e2e_keys Enter
e2e_wait_for 'this task was not made from a message'
e2e_keys q
e2e_wait_gone 'tasks: open'

# A task from the message: ! asks for the due date.
e2e_keys !
e2e_wait_for 'Task due (YYYY-MM-DD, empty: none):'
e2e_keys 2027-13-01 Enter
e2e_wait_for "task-new: '2027-13-01' is not a date"
e2e_keys !
e2e_wait_for 'Task due (YYYY-MM-DD, empty: none):'
e2e_keys Escape
e2e_wait_gone 'Task due'
e2e_keys !
e2e_wait_for 'Task due (YYYY-MM-DD, empty: none):'
e2e_keys 2027-03-20 Enter
e2e_wait_for 'task made: Quarterly numbers, due 2027-03-20'
[ "$(grep -l 'X-SATCHEL-MESSAGE-ID:numbers-1@example.test' "$store"/*.ics |
    wc -l)" = 1 ] || e2e_fail "not one task linked to the message"
f=$(grep -l 'X-SATCHEL-MESSAGE-ID:numbers-1@example.test' "$store"/*.ics)
grep -q '^DUE;VALUE=DATE:20270320' "$f" || e2e_fail "no due date in $f"
grep -q '^SUMMARY:Quarterly numbers' "$f" || e2e_fail "no summary in $f"

e2e_keys X
e2e_wait_for 'tasks: open  1 of 3'
row 3 '2027-03-20        NEEDS-ACTION  0    0%  Quarterly numbers'
e2e_keys G
e2e_wait_for 'tasks: open  3 of 3  (Enter: its message)'
e2e_keys Enter
e2e_wait_for 'Could you check the numbers before Friday?'
e2e_keys q
e2e_wait_for 'tasks: open  3 of 3'
e2e_keys q q
e2e_wait_exit 0

e2e_done
