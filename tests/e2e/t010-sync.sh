#!/bin/sh
# satchel sync against a real Dovecot: an initial sync of 2,000 messages in
# three folders; changes made on the server by a second client (doveadm:
# flags, expunge, move, new mail) reach the local files and tags; changes
# made locally (satchel tag, satchel move) reach the server, keywords
# included; a UIDVALIDITY change re-pairs the folder without losing or
# duplicating mail; a second sync with nothing to do changes nothing.
. "$top_srcdir/tests/e2e/lib-e2e.sh"
. "$top_srcdir/tests/e2e/lib-sync.sh"

sync_server_fill 11 2000
sync_config
total=$(sync_server_view | wc -l)
[ "$total" -ge 2000 ] || e2e_hard "server holds $total messages"

# Initial sync.
sync_run "initial sync"
sync_agree "initial sync"
n=$(sync_count '*')
[ "$n" = "$total" ] || e2e_fail "index holds $n messages, server $total"
seen_server=$(sync_server_view | awk '$3 ~ /S/' | wc -l)
unread=$(sync_count tag:unread)
[ "$unread" = "$((total - seen_server))" ] ||
    e2e_fail "$unread unread, server has $((total - seen_server)) unseen"

# Nothing to do: nothing changes.
sync_local_view > "$E2E_TMP/before"
sync_run "no-op sync"
sync_local_view | diff "$E2E_TMP/before" - > /dev/null ||
    e2e_fail "a sync with nothing to do changed local files"

# Server-side changes by a second client.
sync_doveadm flags add -u alice '\Flagged' mailbox INBOX uid 1:5 ||
    e2e_hard "doveadm flags"
sync_doveadm flags remove -u alice '\Seen' mailbox INBOX uid 6:10
sync_doveadm expunge -u alice mailbox INBOX uid 11:13 || e2e_hard "expunge"
sync_doveadm move -u alice Archive mailbox INBOX uid 14:16 ||
    e2e_hard "doveadm move"
cat > "$E2E_TMP/new.eml" <<EOF
From: Carol <carol@example.test>
To: alice@example.test
Subject: fresh from the server
Message-ID: <fresh-1@example.test>
Date: Sun, 01 Nov 2026 10:00:00 +0000

hello
EOF
sync_doveadm save -u alice -m INBOX < "$E2E_TMP/new.eml" || e2e_hard "save"
sync_run "server changes"
sync_agree "server changes"
[ "$(sync_count id:fresh-1@example.test)" = 1 ] ||
    e2e_fail "new server mail not indexed"
[ "$(sync_count id:fresh-1@example.test tag:unread tag:inbox)" = 1 ] ||
    e2e_fail "new server mail lacks unread/inbox"

# Local changes reach the server.
ids=$(sync_local_view | awk '$1 == "INBOX" && $3 !~ /F/ { print $2 }' |
    head -n 3)
set -- $ids
[ $# = 3 ] || e2e_hard "not enough INBOX messages"
"$SATCHEL" tag +flagged -- "id:$1" || e2e_fail "satchel tag"
"$SATCHEL" tag +unread +project-x -- "id:$2" || e2e_fail "satchel tag"
"$SATCHEL" move Archive -- "id:$3" || e2e_fail "satchel move"
ls "$SYNC_ROOT/Archive/cur" | grep -q . || e2e_fail "no local move"
sync_run "local changes"
sync_agree "local changes"
sync_server_view | grep -q "^INBOX $1 [DRST]*F" ||
    e2e_fail "flag did not reach the server"
sync_server_view | grep -q "^Archive $3 " ||
    e2e_fail "move did not reach the server"
sync_doveadm fetch -u alice 'flags' mailbox INBOX header message-id "$2" \
    > "$E2E_TMP/kw" 2>&1
grep -q 'project-x' "$E2E_TMP/kw" || { cat "$E2E_TMP/kw";
    e2e_fail "keyword did not reach the server"; }
[ "$(sync_count "id:$3" folder:alice/Archive)" = 1 ] ||
    e2e_fail "moved message not in alice/Archive in the index"
[ -s "$XDG_STATE_HOME/satchel/accounts/alice/journal" ] &&
    grep -q '^A' "$XDG_STATE_HOME/satchel/accounts/alice/journal" &&
    e2e_fail "journal not emptied after the server confirmed"

# UIDVALIDITY changes: Dovecot renumbers a folder whose uidlist is gone.
before=$(sync_local_view | wc -l)
rm -f "$FIX_MAILDIR_ALICE/.Archive/dovecot-uidlist"
sync_run "uidvalidity change"
sync_agree "uidvalidity change"
after=$(sync_local_view | wc -l)
[ "$before" = "$after" ] ||
    e2e_fail "$before messages before the UIDVALIDITY change, $after after"

e2e_done
