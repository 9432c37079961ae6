#!/bin/sh
# SIGKILL "satchel sync" at random moments and sync again: local and server
# must then agree (Message-IDs, folders and flags), with no duplicate and
# no lost file.  Two rounds of SYNC_CRASH_KILLS kills each (50 by default):
# during initial syncs (the local side wiped before each), and during syncs
# that carry flag changes and moves made on both sides.
. "$top_srcdir/tests/e2e/lib-e2e.sh"
. "$top_srcdir/tests/e2e/lib-sync.sh"

kills=${SYNC_CRASH_KILLS:-50}
sync_server_fill 23 400
sync_config
total=$(sync_server_view | wc -l)

# How long a full initial sync takes here, to spread the kills over it.
start=$(date +%s%N)
sync_run "timing sync"
span=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$span" -ge 50 ] || span=50
sync_agree "timing sync"

# crash_once: start a sync, kill it after a random part of the span.
crash_once() {
	"$SATCHEL" sync > /dev/null 2>&1 &
	pid=$!
	ms=$(( $(od -An -N2 -tu2 /dev/urandom) % span ))
	sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

i=0
while [ "$i" -lt "$kills" ]; do
	rm -rf "$SYNC_MAIL" "$XDG_STATE_HOME/satchel"
	mkdir -p "$SYNC_MAIL"
	crash_once
	sync_run "initial sync after kill $i"
	sync_agree "initial sync after kill $i"
	i=$((i + 1))
done
[ "$(sync_count '*')" = "$total" ] || e2e_fail "index count after crashes"

# Changes on both sides, then a killed sync, then a full one.
i=0
while [ "$i" -lt "$kills" ]; do
	set -- $(sync_local_view | awk '$1 == "INBOX" { print $2 }' |
	    shuf -n 3 --random-source=/dev/urandom)
	"$SATCHEL" tag +flagged -unread -- "id:$1" > /dev/null
	"$SATCHEL" tag -flagged +unread -- "id:$2" > /dev/null
	case $((i % 3)) in
	0) "$SATCHEL" move Archive -- "id:$3" > /dev/null ;;
	1) "$SATCHEL" move Trash -- "id:$3" > /dev/null ;;
	2) sync_doveadm move -u alice Archive mailbox INBOX \
	    header message-id "$3" ;;
	esac
	uid=$(( $(od -An -N2 -tu2 /dev/urandom) % 300 + 1 ))
	sync_doveadm flags add -u alice '\Answered' mailbox INBOX uid "$uid" \
	    2>/dev/null
	crash_once
	sync_run "change sync after kill $i"
	sync_agree "change sync after kill $i"
	i=$((i + 1))
done
n=$(sync_server_view | wc -l)
[ "$n" = "$total" ] || e2e_fail "server holds $n messages, not $total"
e2e_done
