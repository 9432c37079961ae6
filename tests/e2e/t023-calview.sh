#!/bin/sh
# The calendar view (c): agenda, week and month screens at 80x24 and
# 160x48 in New York and in Tokyo, with the events of bundled files
# (tests/e2e/data/calview-*): a UTC event, a weekly event in Los Angeles
# time across the US DST change, a weekly Berlin event, an all-day and a
# three-day event, a night event over midnight, a cancelled event (shown
# marked "x") and an invitation that came as mail (not answered: "!").
# Then the day view, next and previous, a jump to a date (and a bad
# one), Enter on the invitation opening its message, a command acting on
# the event's message, and the store re-read after an import.
. "$top_srcdir/tests/e2e/lib-e2e.sh"

data="$top_srcdir/tests/e2e/data"
mkdir -p "$HOME/Mail/INBOX/cur" "$HOME/Mail/INBOX/new" "$HOME/Mail/INBOX/tmp"
cp "$data/calview-invite.eml" "$HOME/Mail/INBOX/new/1.eml"
cat > "$XDG_CONFIG_HOME/satchel/config" <<EOF
mail_root = $HOME/Mail

[account me]
type = maildir
email = alice@example.test
EOF
"$SATCHEL" index -q || e2e_fail "satchel index failed"
"$SATCHEL" import "$data/calview-events.ics" > "$E2E_TMP/import" ||
    e2e_fail "satchel import failed"
[ -f "$XDG_DATA_HOME/satchel/calendars/default/budget-1@example.test.ics" ] ||
    e2e_fail "the invitation was not filed"

# "Today" is Wednesday 10 March 2027, 12:00 UTC: 07:00 in New York,
# 21:00 in Tokyo.  US DST starts on Sunday 14 March.
export SATCHEL_NOW=1804680000

# screens TZ NAME COLS ROWS: the agenda, the week and the month.
screens() {
	E2E_ENV="TZ=$1" e2e_satchel_start "$3" "$4"
	e2e_wait_for 'Invitation: Budget review'
	e2e_keys c
	e2e_wait_for 'Agenda Wed 2027-03-10 to Tue 2027-03-16'
	e2e_expect_screen "expected/t023-$2-$3-agenda.txt"
	e2e_keys w
	e2e_wait_for 'Week Mon 2027-03-08 to Sun 2027-03-14'
	e2e_expect_screen "expected/t023-$2-$3-week.txt"
	e2e_keys m
	e2e_wait_for ' March 2027'
	e2e_expect_screen "expected/t023-$2-$3-month.txt"
}

# A line of the screen must hold TEXT.
has() {
	e2e_screen | grep -qF -- "$1" || e2e_fail "no '$1' on the screen"
}

# New York: EST (-5) before 14 March, EDT (-4) after.
screens America/New_York ny 80 24
has 'Berlin st'			# 03:00 EST (08:00Z)
# The day at 80x24 shows 08:00 on (no event is earlier), and the earlier
# hours that fit above since the day ends at 23:00.
e2e_keys J
e2e_wait_for 'Go to (YYYY-MM-DD):'
e2e_keys 2027-03-11 Enter
e2e_wait_for 'Thu 2027-03-11 09:00-10:00 Budget review'
e2e_keys d
e2e_wait_for 'Thursday 2027-03-11'
e2e_wait_row 3 '04:00'
e2e_wait_row 22 '23:00'
has '09:00  09:00-10:00  ! Budget review  [not answered]'
has '12:00  12:00-13:00    Pacific sync'
screens America/New_York ny 160 48
# Thursday 11: the invitation 09:00 EST, Pacific sync 12:00 (09:00 PST).
has '! 09:00 Budget review'
has '12:00 Pacific sync'
# Tuesday 9: cancelled, marked.
has 'x 09:00 Cancelled sync'
# After the change: Berlin 09:00 CET is 04:00 EDT; LA 09:00 PDT 12:00.
has '04:00 Berlin standup'
# The night deploy 03:00Z on the 17th is 23:00 on the 16th, on to the
# 17th; the conference covers 15 to 17.
has '23:00 Late deploy'
has '... Late deploy'
[ "$(e2e_screen | grep -o 'Conference' | wc -l)" = 3 ] ||
    e2e_fail "the conference is not on three days"

# The day view, from the invitation's day (the jump puts the cursor on
# its first event).
e2e_keys J
e2e_wait_for 'Go to (YYYY-MM-DD):'
e2e_keys 2027-02-30 Enter
e2e_wait_for "'2027-02-30' is not a date (expected YYYY-MM-DD)"
e2e_keys J
e2e_wait_for 'Go to (YYYY-MM-DD):'
e2e_keys 2027-03-11 Enter
e2e_wait_for 'Thu 2027-03-11 09:00-10:00 Budget review  [not answered]'
e2e_keys d
e2e_wait_for 'Thursday 2027-03-11'
has '09:00  09:00-10:00  ! Budget review  [not answered]'
has '12:00  12:00-13:00    Pacific sync'
# Next and previous day, over the DST change.
e2e_keys ] ] ]
e2e_wait_for 'Sunday 2027-03-14'
e2e_keys ]
e2e_wait_for 'Monday 2027-03-15'
has '04:00  04:00-04:30    Berlin standup'
e2e_keys [
e2e_wait_for 'Sunday 2027-03-14'

# Enter on the invitation opens its message; q comes back.
e2e_keys t
e2e_wait_for 'Wednesday 2027-03-10'
e2e_keys w
e2e_wait_for 'Week Mon 2027-03-08'
e2e_keys J
e2e_wait_for 'Go to (YYYY-MM-DD):'
e2e_keys 2027-03-11 Enter
e2e_wait_for 'Budget review  [not answered]  5 of 7'
e2e_keys Enter
e2e_wait_for 'Let us go through the budget.'
has 'Subject: Invitation: Budget review'
e2e_keys q
e2e_wait_for 'Budget review  [not answered]  5 of 7'
# Commands act on the event's message: flag it.
e2e_keys F
e2e_wait_for 'flagged 1 message'
"$SATCHEL" search --output=messages 'tag:flagged' > "$E2E_TMP/flagged"
grep -q 'budget-1@example.test' "$E2E_TMP/flagged" ||
    e2e_fail "the invitation's message was not flagged"
# An event without a message says so.
e2e_keys k
e2e_wait_for 'UTC review (Room 4)  4 of 7'
e2e_keys Enter
e2e_wait_for 'this event did not come with a message'

# Next and previous week and month.
e2e_keys ]
e2e_wait_for 'Week Mon 2027-03-15 to Sun 2027-03-21'
e2e_keys m
e2e_wait_for ' March 2027'
e2e_keys ]
e2e_wait_for ' April 2027'
e2e_keys [ [
e2e_wait_for ' February 2027'

# The store is read again when it changes under the view.
e2e_keys ]
e2e_wait_for ' March 2027'
cat > "$E2E_TMP/extra.ics" <<'EOF'
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//satchel tests//calview//EN
BEGIN:VEVENT
UID:extra@example.test
DTSTAMP:20270101T000000Z
SUMMARY:Extra planning
DTSTART:20270323T150000Z
DTEND:20270323T160000Z
END:VEVENT
END:VCALENDAR
EOF
"$SATCHEL" import "$E2E_TMP/extra.ics" > /dev/null || e2e_fail "import"
e2e_keys C-l
e2e_wait_for '11:00 Extra planning'
e2e_keys q
e2e_wait_gone ' March 2027'
e2e_keys q
e2e_wait_exit 0
rm "$XDG_DATA_HOME/satchel/calendars/default/extra@example.test.ics"

# Tokyo (+9, no DST): the invitation at 23:00 on the 11th, Pacific sync
# at 02:00 on the 12th, then 01:00 once LA is on PDT; the night deploy is
# at noon on the 17th; Berlin at 17:00.
screens Asia/Tokyo tokyo 80 24
screens Asia/Tokyo tokyo 160 48
has '! 23:00 Budget review'
has '02:00 Pacific sync'
has 'x 23:00 Cancelled sync'
has '17:00 Berlin standup'
e2e_keys ]
e2e_wait_for ' April 2027'
e2e_keys [
e2e_wait_for ' March 2027'
has '12:00 Late deploy'
has '01:00 Pacific sync'
e2e_keys q q
e2e_wait_exit 0

e2e_done
