#!/bin/sh
# One-key RSVP, end to end, in New York time: Bob (Europe/Berlin) invites
# Alice; the invitation reaches her IMAP INBOX and is synced; the pager
# shows its card in local time; "n" then Escape answers nothing; "y" then
# Enter queues an iMIP REPLY, tags the message replied and the card shows
# the answer; "p" on the event in the calendar answers again, tentatively.
# The account's worker sends the outbox through Postfix to Bob's mailbox
# (once each), where the acceptance reads back (libical, through satchel) as PARTSTAT=ACCEPTED with the
# same UID and SEQUENCE; "satchel agenda" shows the event; a CANCEL from
# Bob, once synced, takes it off the agenda.
. "$top_srcdir/tests/e2e/lib-e2e.sh"
. "$top_srcdir/tests/e2e/lib-sync.sh"

[ "$FIX_SMTP_KIND" = postfix ] ||
    e2e_skip "Postfix needs root (smtp-sink delivers to no mailbox)"
export TZ=America/New_York
OUTBOX="$SYNC_ROOT/.outbox"
cd "$E2E_TMP" || e2e_hard "cd"

sync_config "email = $FIX_ADDR_ALICE" "realname = Alice Liddell" \
    "smtp_host = $FIX_HOST" "smtp_port = $FIX_SMTP_PORT"

# invitation METHOD SEQUENCE MESSAGE-ID: Bob's calendar mail to Alice,
# saved into her INBOX on the server.  15:00 in Berlin on 10 Nov 2026
# (CET, UTC+1) is 14:00Z, 09:00 in New York.
invitation() {
	{
		printf 'From: Bob <%s>\n' "$FIX_ADDR_BOB"
		printf 'To: Alice <%s>\n' "$FIX_ADDR_ALICE"
		printf 'Subject: Team planning (%s)\n' "$1"
		printf 'Message-ID: <%s>\n' "$3"
		printf 'Date: Sun, 01 Nov 2026 09:00:00 +0100\n'
		printf 'MIME-Version: 1.0\n'
		printf 'Content-Type: multipart/alternative; boundary=b\n\n'
		printf -- '--b\nContent-Type: text/plain; charset=utf-8\n\n'
		printf 'Planning for the next quarter.\n'
		printf -- '--b\nContent-Type: text/calendar; charset=utf-8;'
		printf ' method=%s\n\n' "$1"
		printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\n'
		printf 'PRODID:-//satchel tests//EN\r\nMETHOD:%s\r\n' "$1"
		printf 'BEGIN:VEVENT\r\nUID:team-1@example.test\r\n'
		printf 'SEQUENCE:%s\r\nDTSTAMP:20261101T080000Z\r\n' "$2"
		printf 'SUMMARY:Team planning\r\nLOCATION:Room 4\r\n'
		printf 'ORGANIZER;CN=Bob:mailto:%s\r\n' "$FIX_ADDR_BOB"
		printf 'ATTENDEE;CN=Alice;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:'
		printf 'mailto:%s\r\n' "$FIX_ADDR_ALICE"
		printf 'DTSTART;TZID=Europe/Berlin:20261110T150000\r\n'
		printf 'DTEND;TZID=Europe/Berlin:20261110T160000\r\n'
		[ "$1" = CANCEL ] && printf 'STATUS:CANCELLED\r\n'
		printf 'END:VEVENT\r\nEND:VCALENDAR\r\n--b--\n'
	} > "$E2E_TMP/$3"
	sync_doveadm save -u alice -m INBOX < "$E2E_TMP/$3" ||
	    e2e_hard "doveadm save"
}

files() {	# the messages in a Maildir
	find "$1/new" "$1/cur" -type f 2>/dev/null | wc -l
}

invitation REQUEST 2 invite-1@example.test
sync_run "the invitation"
ics="$XDG_DATA_HOME/satchel/calendars/default/team-1@example.test.ics"
[ -f "$ics" ] || e2e_fail "the sync did not file the invitation"

# The card, in New York time.
E2E_ENV="TZ=America/New_York" e2e_satchel_start 100 32
e2e_wait_for 'Team planning (REQUEST)'
e2e_keys Enter
e2e_wait_for '[-- Invitation --]'
e2e_wait_for 'When:      Tue 10 Nov 2026 09:00-10:00 EST'
e2e_wait_for "Europe/Berlin (the organizer's)"
e2e_wait_for 'Attendees: Alice <alice@example.test> (you): no answer yet'
e2e_wait_for 'You:       no answer yet'

# Escape at the comment answers nothing.
e2e_keys n
e2e_wait_for "Decline 'Team planning'? Comment (Enter: none, Escape: cancel):"
e2e_keys Escape
e2e_wait_for 'not answered'
[ "$(files "$OUTBOX")" = 0 ] || e2e_fail "Escape queued an answer"

# y, Enter: accepted, queued, tagged, and the card says so.
e2e_keys y
e2e_wait_for "Accept 'Team planning'? Comment (Enter: none, Escape: cancel):"
e2e_keys Enter
# "Accepted: queued to bob@example.test", then the account's worker
# flushes the outbox and says so.
e2e_wait_for 'sent: Accepted: Team planning' 60
e2e_wait_for 'You:       accepted'
e2e_wait_for 'Attendees: Alice <alice@example.test> (you): accepted'
e2e_wait_for 'replied'
[ "$(files "$OUTBOX")" = 0 ] || e2e_fail "the answer stayed in the outbox"
[ "$(sync_count 'tag:replied and id:invite-1@example.test')" = 1 ] ||
    e2e_fail "the invitation is not tagged replied"

# In the list, the keys find the thread's invitation too.
e2e_keys q
e2e_wait_for 'thread 1 of'
e2e_keys p
e2e_wait_for "Tentatively accept 'Team planning'? Comment"
e2e_keys Escape
e2e_wait_gone "Tentatively accept 'Team planning'? Comment"
[ "$(files "$OUTBOX")" = 0 ] || e2e_fail "Escape in the list queued one"

# From the calendar too: the event at the cursor answers for the message
# it came with.
e2e_keys c
e2e_wait_for 'Agenda '
e2e_keys J
e2e_wait_for 'Go to (YYYY-MM-DD):'
e2e_keys 2026-11-10 Enter
e2e_wait_for '09:00-10:00 Team planning'
e2e_keys p
e2e_wait_for "Tentatively accept 'Team planning'? Comment"
e2e_keys Enter
e2e_wait_for 'sent: Tentative: Team planning' 60
e2e_wait_for 'Team planning (Room 4)  [tentative]'
e2e_keys q
e2e_wait_for 'thread 1 of'
e2e_keys Q
e2e_wait_exit 0

deadline=$(( $(date +%s) + 30 ))
until reply=$(find "$FIX_MAILDIR_BOB/new" "$FIX_MAILDIR_BOB/cur" -type f \
    -exec grep -l '^Subject: Accepted: Team planning' {} + 2>/dev/null) &&
    [ -n "$reply" ]; do
	[ "$(date +%s)" -le "$deadline" ] ||
	    e2e_fail "the REPLY did not reach Bob's mailbox"
	sleep 0.1
done
[ "$(printf '%s\n' "$reply" | wc -l)" = 1 ] ||
    e2e_fail "Bob got the REPLY more than once"
grep -l '^Subject: Tentative: Team planning' "$FIX_MAILDIR_BOB"/new/* \
    "$FIX_MAILDIR_BOB"/cur/* 2>/dev/null | grep -q . ||
    e2e_fail "the answer from the calendar did not reach Bob"
grep -q '^In-Reply-To: <invite-1@example.test>' "$reply" ||
    e2e_fail "the REPLY does not answer the invitation"
grep -q 'Content-Type: text/calendar; charset=UTF-8; method=REPLY' \
    "$reply" || e2e_fail "no text/calendar; method=REPLY part"
tr -d '\r' < "$reply" > "$E2E_TMP/reply.eml"
grep -q '^UID:team-1@example.test$' "$E2E_TMP/reply.eml" ||
    e2e_fail "the REPLY lost the UID"
grep -q '^SEQUENCE:2$' "$E2E_TMP/reply.eml" ||
    e2e_fail "the REPLY lost the SEQUENCE"

# Bob's side reads it with libical: his copy of the event, then the
# REPLY applied to it, in a calendar of his own.
bob_data="$E2E_TMP/bob-data"
XDG_DATA_HOME="$bob_data" "$SATCHEL" import "$E2E_TMP/invite-1@example.test" \
    > /dev/null 2>&1 || e2e_fail "import of Bob's invitation"
XDG_DATA_HOME="$bob_data" "$SATCHEL" import "$E2E_TMP/reply.eml" \
    > "$E2E_TMP/import.out" 2>&1 ||
    { cat "$E2E_TMP/import.out"; e2e_fail "the REPLY does not import"; }
grep -q "team-1@example.test: reply from $FIX_ADDR_ALICE: ACCEPTED" \
    "$E2E_TMP/import.out" ||
    { cat "$E2E_TMP/import.out"; e2e_fail "not read as ACCEPTED"; }
XDG_DATA_HOME="$bob_data" "$SATCHEL" export-event team-1@example.test |
    tr -d '\r' > "$E2E_TMP/bob.ics"
grep -q "^ATTENDEE;.*PARTSTAT=ACCEPTED.*:mailto:$FIX_ADDR_ALICE" \
    "$E2E_TMP/bob.ics" || { cat "$E2E_TMP/bob.ics";
    e2e_fail "Bob's copy does not show Alice's acceptance"; }
"$SATCHEL" show -f "$reply" > "$E2E_TMP/show.out" 2>&1
grep -q '^Answer:    Alice <alice@example.test> (you): accepted$' \
    "$E2E_TMP/show.out" || { cat "$E2E_TMP/show.out";
    e2e_fail "the REPLY's card does not say who answered what"; }

# Alice's calendar: the event at 09:00 New York time, with her last
# answer (tentative, from the calendar).
"$SATCHEL" agenda --from 2026-11-10 --days 1 > "$E2E_TMP/agenda" 2>&1
grep -q '^  09:00-10:00    Team planning (Room 4)$' "$E2E_TMP/agenda" ||
    { cat "$E2E_TMP/agenda"; e2e_fail "the agenda does not show it"; }
grep -q "PARTSTAT=TENTATIVE.*$FIX_ADDR_ALICE" "$ics" ||
    e2e_fail "the stored event lacks Alice's PARTSTAT"

# Bob cancels; after a sync the agenda no longer shows it.
invitation CANCEL 3 cancel-1@example.test
sync_run "the cancellation"
"$SATCHEL" agenda --from 2026-11-10 --days 1 > "$E2E_TMP/agenda" 2>&1
grep -q 'Team planning' "$E2E_TMP/agenda" &&
    { cat "$E2E_TMP/agenda"; e2e_fail "the cancelled event is still shown"; }
"$SATCHEL" show id:cancel-1@example.test > "$E2E_TMP/show.out" 2>&1
grep -q '^\[-- Cancelled by the organizer --\]$' "$E2E_TMP/show.out" ||
    { cat "$E2E_TMP/show.out"; e2e_fail "no cancellation card"; }
e2e_done
