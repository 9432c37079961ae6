#!/bin/sh
# POP3: download by UIDL into the account's INBOX Maildir over STARTTLS
# (STLS), leave on the server by default, no duplicate on a second run,
# delete after download with pop_leave_on_server = no, and new mail only
# on a later run.
. "$top_srcdir/tests/e2e/lib-e2e.sh"
. "$top_srcdir/tests/e2e/lib-sync.sh"

sync_server_fill 5 60
pop_config() {	# [EXTRA LINES]
	sync_account pop "$FIX_POP3_PORT" starttls "$@"
}
inbox_ids() {
	_sync_view "$FIX_MAILDIR_ALICE" INBOX | awk '{ print $2 }' |
	    LC_ALL=C sort
}
local_ids() {
	_sync_view "$SYNC_ROOT/INBOX" INBOX | awk '{ print $2 }' |
	    LC_ALL=C sort
}
pop_config
n=$(inbox_ids | wc -l)
[ "$n" -gt 10 ] || e2e_hard "server INBOX holds $n messages"

sync_run "first POP3 run"
inbox_ids > "$E2E_TMP/server.ids"
local_ids | diff "$E2E_TMP/server.ids" - || e2e_fail "first run: differ"
[ "$(sync_count '*')" = "$n" ] || e2e_fail "index count after POP3"
[ "$(inbox_ids | wc -l)" = "$n" ] || e2e_fail "left on server: no"

sync_run "second POP3 run"
[ "$(local_ids | wc -l)" = "$n" ] || e2e_fail "second run made duplicates"

pop_config "pop_leave_on_server = no"
sync_run "delete run"
[ "$(inbox_ids | wc -l)" = 0 ] || e2e_fail "not deleted on the server"
[ "$(local_ids | wc -l)" = "$n" ] || e2e_fail "local copies lost"

printf 'From: c@example.test\nSubject: later\nMessage-ID: <later@x>\n\nhi\n' |
    sync_doveadm save -u alice -m INBOX
sync_run "later run"
[ "$(local_ids | wc -l)" = "$((n + 1))" ] || e2e_fail "new mail not fetched"
e2e_done
