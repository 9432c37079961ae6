#!/bin/sh
# The interface syncs in the background: an IMAP account is fetched while
# the thread list is on screen (status line shows it), new mail on the
# server appears without a key press (IDLE), an archive in the interface
# reaches the server without leaving it, and a connection that hangs
# (a server that never answers) is dropped by sync-cancel at once; with
# no password_command the password is asked for on the prompt line.
. "$top_srcdir/tests/e2e/lib-e2e.sh"
. "$top_srcdir/tests/e2e/lib-sync.sh"

sync_server_fill 13 200
sync_config "archive_folder = Archive"
sed -i '1i archive = move' "$XDG_CONFIG_HOME/satchel/config"
"$SATCHEL" index -q || e2e_fail "satchel index on an empty tree"

e2e_satchel_start 120 30 tui 'folder:alice/INBOX'
# The first screen paints before the sync has anything.
e2e_wait_for 'folder:alice/INBOX'
e2e_wait_for 'alice: synced, watching INBOX' 60
e2e_wait_for 'thread 1 of'
inbox=$(sync_count folder:alice/INBOX)
[ "$inbox" -gt 0 ] || e2e_fail "nothing in the local INBOX"
sync_agree "after the background sync"

# New mail while idling: on screen with no key pressed.
printf 'From: Zed <zed@example.test>\nSubject: Arrived while idling\nMessage-ID: <idle-1@x>\nDate: Mon, 02 Nov 2026 12:00:00 +0000\n\nhi\n' |
    sync_doveadm save -u alice -m INBOX
e2e_wait_for 'Arrived while idling' 30
e2e_wait_for 'alice: 1 new'

# Archive it (archive = move): local at once, on the server soon after.
e2e_keys =
e2e_wait_for 'thread 1 of'
e2e_screen | sed -n '2p' | grep -q 'Arrived while idling' ||
    e2e_fail "the new message is not the first row"
e2e_keys a
e2e_wait_for 'archived 1 message'
e2e_wait_gone 'Arrived while idling'
deadline=$(( $(date +%s) + 30 ))
until sync_server_view | grep -q '^Archive idle-1@x '; do
	[ "$(date +%s)" -le "$deadline" ] ||
	    e2e_fail "the archive did not reach the server"
	sleep 0.2
done
e2e_wait_for 'alice: synced, watching INBOX'
sync_agree "after the archive"
e2e_keys Q
e2e_wait_exit 0

# No password_command: the interface asks, showing stars; a wrong
# password is refused by the server and asked for again; the right one
# syncs.  The password never reaches the screen.
sync_config
sed -i '/^password_command/d' "$XDG_CONFIG_HOME/satchel/config"
e2e_satchel_start 120 30
e2e_wait_for "alice: password for alice@$FIX_HOST:"
e2e_keys 'n' 'o' 'p' 'e'
e2e_wait_for "alice: password for alice@$FIX_HOST: ****"
e2e_keys Enter
e2e_wait_for "alice: password for alice@$FIX_HOST (the last one was refused):"
e2e_keys -l "$FIX_PASS_ALICE"
e2e_keys Enter
e2e_wait_for 'alice: synced, watching INBOX' 60
e2e_screen | grep -qF -- "$FIX_PASS_ALICE" && e2e_fail "the password shows"
e2e_keys Q
e2e_wait_exit 0
grep -rqF -- "$FIX_PASS_ALICE" "$XDG_STATE_HOME" 2>/dev/null &&
    e2e_fail "the password was written to a state file"

# A server that accepts and never answers: the worker hangs in the TLS
# handshake until sync-cancel drops it, long before the 60 s timeout.
e2e_netprobe_serve silent
port=$NETPROBE_PORT
sync_account imap "$port" implicit "timeout = 60"
sed -i "s/^host = .*/host = 127.0.0.1/" "$XDG_CONFIG_HOME/satchel/config"
e2e_satchel_start 120 30
e2e_wait_for 'alice: connecting'
sleep 1
e2e_screen | grep -q 'alice: connecting' ||
    e2e_fail "the silent server did not hold the connection"
t0=$(date +%s)
e2e_keys : 's' 'y' 'n' 'c' '-' 'c' 'a' 'n' 'c' 'e' 'l' Enter
e2e_wait_for 'alice: offline' 5
e2e_wait_for 'cancelled'
[ $(( $(date +%s) - t0 )) -lt 5 ] || e2e_fail "the cancel took too long"
e2e_keys Q
e2e_wait_exit 0
e2e_done
