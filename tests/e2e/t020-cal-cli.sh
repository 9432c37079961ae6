#!/bin/sh
# The calendar from the shell: an invitation arriving as mail is filed by
# "satchel index", and an .ics by "satchel import"; "satchel agenda"
# shows local times for TZ (New York, Tokyo) in text and JSON; "satchel
# tasks" lists and marks tasks; "satchel export-event" writes one event.
# Everything the test needs is written here; no servers, no tmux screen.
. "$top_srcdir/tests/e2e/lib-e2e.sh"

expect_exit() {	# STATUS COMMAND...: runs it, output in $E2E_TMP/out
	want=$1
	shift
	"$@" > "$E2E_TMP/out" 2> "$E2E_TMP/err"
	got=$?
	[ "$got" = "$want" ] || { cat "$E2E_TMP/out" "$E2E_TMP/err";
	    e2e_fail "'$*' exited $got, not $want"; }
}
expect_out() {	# TEXT: the last output holds this line
	grep -qxF -- "$1" "$E2E_TMP/out" || { cat "$E2E_TMP/out";
	    e2e_fail "no line '$1'"; }
}

# A weekly Outlook invitation in Pacific time, without its VTIMEZONE:
# 10:00 PST on Thursdays from 4 Feb 2027 is 18:00Z.
mkdir -p "$HOME/Mail/INBOX/cur" "$HOME/Mail/INBOX/new" "$HOME/Mail/INBOX/tmp"
printf 'mail_root = %s/Mail\n' "$HOME" > "$XDG_CONFIG_HOME/satchel/config"
cat > "$HOME/Mail/INBOX/new/1.eml" <<'MAIL'
From: Olga <olga@example.test>
To: alice@example.test
Subject: Weekly
Message-ID: <weekly-1@example.test>
Date: Mon, 01 Feb 2027 10:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

Weekly sync.
--b1
Content-Type: text/calendar; charset=utf-8; method=REQUEST
Content-Transfer-Encoding: 7bit

BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//t//t//EN
METHOD:REQUEST
BEGIN:VEVENT
UID:weekly-1@example.test
SEQUENCE:0
DTSTAMP:20270101T000000Z
SUMMARY:Weekly sync
LOCATION:Room 1
ORGANIZER;CN=Olga:mailto:olga@example.test
ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:alice@example.test
DTSTART;TZID="Pacific Standard Time":20270204T100000
DTEND;TZID="Pacific Standard Time":20270204T110000
RRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=10
END:VEVENT
END:VCALENDAR
--b1--
MAIL
expect_exit 0 "$SATCHEL" index -q
ics="$XDG_DATA_HOME/satchel/calendars/default/weekly-1@example.test.ics"
[ -f "$ics" ] || e2e_fail "index did not file the invitation"
grep -q '^X-SATCHEL-MESSAGE-ID:weekly-1@example.test' "$ics" ||
    e2e_fail "no link to the message"

cat > "$E2E_TMP/day.ics" <<'ICS'
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//t//t//EN
BEGIN:VEVENT
UID:holiday-1
SUMMARY:Holiday
DTSTART;VALUE=DATE:20270205
DTEND;VALUE=DATE:20270206
END:VEVENT
BEGIN:VTODO
UID:task-1
SUMMARY:Book the room
DUE:20270203T170000Z
PRIORITY:1
STATUS:NEEDS-ACTION
END:VTODO
BEGIN:VTODO
UID:task-2
SUMMARY:Write minutes
DUE;VALUE=DATE:20270210
END:VTODO
END:VCALENDAR
ICS
expect_exit 0 "$SATCHEL" import "$E2E_TMP/day.ics"
grep -q 'holiday-1: created' "$E2E_TMP/out" || e2e_fail "import said nothing"
expect_exit 1 "$SATCHEL" import "$E2E_TMP/nonexistent.ics"

# New York: 13:00-14:00 on Thursday.
expect_exit 0 env TZ=America/New_York "$SATCHEL" agenda --from 2027-02-01 \
    --days 7
expect_out "Thu 2027-02-04"
expect_out "  13:00-14:00    Weekly sync (Room 1)"
expect_out "  all day        Holiday"
expect_json() {	# TZ FROM NEEDLE: agenda as JSON for a week holds it
	expect_exit 0 env TZ="$1" "$SATCHEL" agenda --from "$2" --days 7 \
	    --format=json
	grep -qF "$3" "$E2E_TMP/out" || { cat "$E2E_TMP/out";
	    e2e_fail "json in $1 lacks $3"; }
}
# After US DST starts (14 Mar) the meeting stays at 10:00 Pacific:
# 13:00 in New York still, 17:00Z.
expect_json America/New_York 2027-03-15 \
    '"start":"2027-03-18T17:00:00Z","start_local":"2027-03-18T13:00:00-04:00"'

# Tokyo: 03:00-04:00 on Friday.
expect_exit 0 env TZ=Asia/Tokyo "$SATCHEL" agenda --from 2027-02-05 --days 1
expect_out "Fri 2027-02-05"
expect_out "  03:00-04:00    Weekly sync (Room 1)"
expect_json Asia/Tokyo 2027-02-01 \
    '"start":"2027-02-04T18:00:00Z","start_local":"2027-02-05T03:00:00+09:00"'
expect_json Asia/Tokyo 2027-02-01 '"tzid":"Pacific Standard Time"'

expect_exit 2 "$SATCHEL" agenda --from yesterday
expect_exit 2 "$SATCHEL" agenda --format=xml

# Tasks: by due date; mark one complete.
expect_exit 0 "$SATCHEL" tasks
head -1 "$E2E_TMP/out" | grep -q 'Book the room' || e2e_fail "task order"
expect_exit 0 "$SATCHEL" tasks --set completed task-1
expect_exit 0 "$SATCHEL" tasks
grep -q 'Book the room' "$E2E_TMP/out" && e2e_fail "completed task shown"
expect_exit 0 "$SATCHEL" tasks --status completed --format=json
grep -qF '"status":"COMPLETED","percent_complete":100' "$E2E_TMP/out" ||
    { cat "$E2E_TMP/out"; e2e_fail "task not completed"; }
expect_exit 1 "$SATCHEL" tasks --set completed no-such-task

# Export: the stored event, zone included.
expect_exit 0 "$SATCHEL" export-event weekly-1@example.test
grep -q '^BEGIN:VTIMEZONE' "$E2E_TMP/out" || e2e_fail "export lacks zone"
grep -q '^UID:weekly-1@example.test' "$E2E_TMP/out" || e2e_fail "export"
expect_exit 1 "$SATCHEL" export-event nope

e2e_done
