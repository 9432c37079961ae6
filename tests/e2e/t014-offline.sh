#!/bin/sh
# Offline: with Dovecot stopped, make 200 mixed changes in the interface
# (flag, read, archive, delete, tag, move), each applied locally at once
# and journaled; start Dovecot and sync from the interface: the server
# then holds exactly the local state (folders, flags, keywords), with no
# message twice, and a second sync changes nothing.
. "$top_srcdir/tests/e2e/lib-e2e.sh"
. "$top_srcdir/tests/e2e/lib-sync.sh"

sync_server_fill 14 400
sync_config "archive_folder = Archive"
sed -i '1i archive = move' "$XDG_CONFIG_HOME/satchel/config"
sync_run "initial sync"
"$SATCHEL" index -q || e2e_fail "satchel index"
sync_agree "after the initial sync"
sync_local_view > "$E2E_TMP/before.view"
journal="$XDG_STATE_HOME/satchel/accounts/alice/journal"

sync_dovecot_stop
e2e_satchel_start 120 40 tui 'folder:alice/INBOX'
e2e_wait_for 'thread 1 of'
e2e_wait_for 'alice: offline' 30

# 200 actions in ten rounds of twenty keys; each round ends with a mark
# on the prompt, so its keys have all been handled when the mark shows.
actions=0
round=0
while [ $round -lt 10 ]; do
	i=0
	while [ $i -lt 20 ]; do
		case $(( (round * 20 + i) % 8 )) in
		0) e2e_keys F ;;
		1) e2e_keys N ;;
		2) e2e_keys j a ;;
		3) e2e_keys j F ;;
		4) e2e_keys d ;;
		5) e2e_keys : 't' 'a' 'g' ' ' '+' 'l' 'a' 't' 'e' 'r' Enter ;;
		6) e2e_keys j j N ;;
		7) e2e_keys : 'm' 'o' 'v' 'e' ' ' 'S' 'e' 'n' 't' Enter ;;
		esac
		i=$((i + 1))
		actions=$((actions + 1))
	done
	round=$((round + 1))
	e2e_keys : 'p' 'r' 'o' 'm' 'p' 't' ' ' 'm' 'a' 'r' 'k' "$round" Enter
	e2e_wait_for ":mark$round"
	e2e_keys Escape
	e2e_wait_gone ":mark$round"
done
[ "$actions" = 200 ] || e2e_hard "$actions actions"
if e2e_screen | grep -q 'command failed\|cannot'; then
	e2e_fail "an action failed offline"
fi

# Every action is in the journal, none reached the (stopped) server.
entries=$(grep -c '^A ' "$journal")
[ "$entries" -ge 200 ] || e2e_fail "only $entries journal entries"
sync_local_view > "$E2E_TMP/offline.view"
later=$(sync_count tag:later)
[ "$later" -gt 0 ] || e2e_fail "no message tagged 'later'"
changed=$(diff "$E2E_TMP/before.view" "$E2E_TMP/offline.view" |
    grep -c '^>')
moved=$(grep -c '^\(Archive\|Trash\|Sent\) ' "$E2E_TMP/offline.view")
echo "offline: $entries journal entries, $changed messages changed," \
    "$later tagged 'later', $moved in Archive, Trash or Sent"
[ "$changed" -ge 100 ] || e2e_fail "only $changed messages changed"

sync_dovecot_start
e2e_keys : 's' 'y' 'n' 'c' Enter
e2e_wait_for 'alice: synced' 120
e2e_keys Q
e2e_wait_exit 0

sync_server_view > "$E2E_TMP/server.view"
dups=$(uniq -d "$E2E_TMP/server.view" | head -n 5)
[ -z "$dups" ] || e2e_fail "messages twice on the server: $dups"
diff "$E2E_TMP/offline.view" "$E2E_TMP/server.view" > "$E2E_TMP/d" ||
    { head -n 20 "$E2E_TMP/d"; e2e_fail "the server differs from what was done offline"; }
sync_agree "after the replay"
kw=$(sync_doveadm search -u alice keyword later | wc -l)
[ "$kw" = "$later" ] || e2e_fail "$kw messages carry the keyword, not $later"
[ "$(grep -c '^A ' "$journal" 2>/dev/null)" = 0 ] ||
    e2e_fail "the journal still holds entries"

sync_run "second sync"
sync_server_view | diff "$E2E_TMP/server.view" - > /dev/null ||
    e2e_fail "a second sync changed the server"
sync_agree "after a second sync"
e2e_done
