# tests/e2e/lib-sync.sh: sourced after lib-e2e.sh by the sync tests.
#
# Starts a private Dovecot (tests/fixture) for the script, fills alice's
# server Maildir from gen-mail, writes a satchel configuration with an
# IMAP account for alice, and gives the script two views to compare:
#
#	sync_server_view	one line per message on the server
#	sync_local_view		the same for satchel's Maildirs
#
# Each line is "FOLDER MESSAGE-ID FLAGS" (flags as Maildir letters among
# DFRST, in order), sorted, so "diff" of the two says whether they agree
# and "uniq -d" finds duplicates.  doveadm (run as root by the fixture's
# owner) is the second client that changes the server behind satchel.

SYNC_FIX="$E2E_TMP/fixture"
SYNC_MAIL="$HOME/Mail"
SYNC_ROOT="$SYNC_MAIL/alice"

for cmd in dovecot doveadm openssl; do
	command -v "$cmd" >/dev/null 2>&1 ||
	    e2e_skip "'$cmd' not found (dovecot-imapd, openssl)"
done

sync_cleanup() {
	"$top_srcdir/tests/fixture/fixture-down.sh" "$SYNC_FIX" >/dev/null 2>&1
	# SYNC_KEEP=DIR keeps the mail, state and views for a post-mortem.
	[ -n "${SYNC_KEEP-}" ] && rm -rf "$SYNC_KEEP" &&
	    cp -a "$E2E_TMP" "$SYNC_KEEP" 2>/dev/null
	e2e_cleanup
}
trap sync_cleanup EXIT

# The mail user must reach the fixture inside the private 0700 directory.
chmod 711 "$E2E_TMP"
mkdir -p "$SYNC_FIX" "$SYNC_MAIL"
"$top_srcdir/tests/fixture/fixture-up.sh" "$SYNC_FIX" > "$E2E_TMP/fixture.out" 2>&1 ||
    { cat "$E2E_TMP/fixture.out"; e2e_hard "the fixture did not start"; }
. "$SYNC_FIX/env"

# doveadm against the fixture's Dovecot, for alice.
sync_doveadm() {
	doveadm -c "$FIX_DIR/dovecot/dovecot.conf" "$@"
}

# sync_server_fill SEED COUNT: gen-mail's INBOX, Archive and Sent become
# alice's folders on the server (Maildir++: Archive is .Archive).
sync_server_fill() {
	"$GEN_MAIL" -s "$1" -n "$2" "$E2E_TMP/gen" > /dev/null ||
	    e2e_hard "gen-mail"
	for f in INBOX Archive Sent; do
		if [ "$f" = INBOX ]; then
			d="$FIX_MAILDIR_ALICE"
		else
			d="$FIX_MAILDIR_ALICE/.$f"
		fi
		mkdir -p "$d/cur" "$d/new" "$d/tmp"
		for s in cur new; do
			find "$E2E_TMP/gen/$f/$s" -type f \
			    -exec mv -t "$d/$s/" {} + 2>/dev/null
		done
	done
	rm -rf "$E2E_TMP/gen"
	[ -n "$FIX_RUNAS" ] &&
	    chown -R "$FIX_MAILUID:$FIX_MAILGID" "$FIX_DIR/mail"
	sync_doveadm mailbox create -u alice Trash 2>/dev/null
	return 0
}

# sync_account TYPE PORT TLS [EXTRA LINES]: alice's account in the config.
sync_account() {
	cat > "$XDG_CONFIG_HOME/satchel/config" <<EOF
mail_root = $SYNC_MAIL
[account alice]
type = $1
host = $FIX_HOST
port = $2
tls = $3
tls_ca_file = $FIX_CA
user = alice
password_command = echo $FIX_PASS_ALICE
EOF
	shift 3
	[ $# -gt 0 ] && printf '%s\n' "$@" >> "$XDG_CONFIG_HOME/satchel/config"
	return 0
}

# sync_config [EXTRA LINES]: IMAP over implicit TLS.
sync_config() {
	sync_account imap "$FIX_IMAPS_PORT" implicit "timeout = 10" "$@"
}

# Message-ID (without <>) and flag letters of each file under a Maildir,
# one awk over all files (a process per file is too slow for thousands).
_sync_view() {	# DIR FOLDER
	[ -d "$1/cur" ] || return 0
	find "$1/cur" "$1/new" -maxdepth 1 -type f -print0 2>/dev/null |
	    xargs -0 -r awk -v folder="$2" '
		function emit() {
			if (file == "") return
			fl = ""
			if (match(file, /:2,[^\/]*$/)) {
				f = substr(file, RSTART + 3)
				gsub(/[^DFRST]/, "", f)
				fl = f
			}
			printf "%s %s %s\n", folder, (id == "" ? "none" : id), \
			    (fl == "" ? "-" : fl)
		}
		FNR == 1 { emit(); file = FILENAME; id = ""; body = 0 }
		body { next }
		/^\r?$/ { body = 1; next }
		id == "" && tolower($0) ~ /^message-id:/ {
			v = $0
			sub(/^[^:]*:[ \t]*/, "", v)
			sub(/\r$/, "", v)
			if (match(v, /<[^>]*>/))
				v = substr(v, RSTART + 1, RLENGTH - 2)
			id = v
		}
		END { emit() }'
}

# The server's view comes from Dovecot itself (doveadm fetch), not from its
# file names: Dovecot may keep a flag change in its index for a while
# before it renames the file.
sync_server_view() {
	sync_doveadm fetch -u alice 'mailbox flags hdr.message-id' all |
	    awk '
		function emit() {
			if (box == "") return
			fl = ""
			if (flags ~ /\\Draft/) fl = fl "D"
			if (flags ~ /\\Flagged/) fl = fl "F"
			if (flags ~ /\\Answered/) fl = fl "R"
			if (flags ~ /\\Seen/) fl = fl "S"
			if (flags ~ /\\Deleted/) fl = fl "T"
			printf "%s %s %s\n", box, (id == "" ? "none" : id), \
			    (fl == "" ? "-" : fl)
			box = ""; id = ""; flags = ""
		}
		/^mailbox: / { emit(); box = substr($0, 10); next }
		/^flags:/ { flags = $0; next }
		/^hdr.message-id:/ {
			v = substr($0, 16)
			if (match(v, /<[^>]*>/))
				v = substr(v, RSTART + 1, RLENGTH - 2)
			gsub(/^[ \t]+|[ \t]+$/, "", v)
			id = v
		}
		END { emit() }' | LC_ALL=C sort
}

sync_local_view() {
	{
		for d in "$SYNC_ROOT"/*/; do
			[ -d "$d" ] || continue
			_sync_view "${d%/}" "$(basename "$d")"
		done
	} | LC_ALL=C sort
}

# Fails unless local and server agree, with no duplicates on either side.
sync_agree() {	# WHAT
	sync_server_view > "$E2E_TMP/server.view"
	sync_local_view > "$E2E_TMP/local.view"
	dups=$(uniq -d "$E2E_TMP/local.view" | head -n 5)
	[ -z "$dups" ] || e2e_fail "$1: duplicates locally: $dups"
	diff "$E2E_TMP/server.view" "$E2E_TMP/local.view" > "$E2E_TMP/view.diff" ||
	    { head -n 20 "$E2E_TMP/view.diff";
	    e2e_fail "$1: local and server differ ($(grep -c '^[<>]' "$E2E_TMP/view.diff") lines)"; }
}

# satchel sync, which must succeed.
sync_run() {	# WHAT [ARGS]
	what=$1
	shift
	"$SATCHEL" sync "$@" > "$E2E_TMP/sync.out" 2> "$E2E_TMP/sync.err" ||
	    { cat "$E2E_TMP/sync.out" "$E2E_TMP/sync.err";
	    e2e_fail "$what: satchel sync failed"; }
}

# The number of messages a query matches in satchel's index.
sync_count() {
	"$SATCHEL" search --output=messages "$@" | wc -l
}

# Stops the fixture's Dovecot (only it: Postfix stays up) and waits until
# it is gone; sync_dovecot_start brings it back with the same mail.
sync_dovecot_stop() {
	read -r _pid < "$FIX_DIR/dovecot/run/master.pid" ||
	    e2e_hard "no Dovecot master.pid"
	kill -TERM "$_pid" || e2e_hard "cannot stop Dovecot"
	_deadline=$(( $(date +%s) + 20 ))
	while kill -0 "$_pid" 2>/dev/null; do
		[ "$(date +%s)" -le "$_deadline" ] || e2e_hard "Dovecot lingers"
		sleep 0.05
	done
}

sync_dovecot_start() {
	if [ -n "$FIX_RUNAS" ]; then
		setpriv --reuid="$FIX_MAILUID" --regid="$FIX_MAILGID" \
		    --clear-groups -- dovecot -c "$FIX_DIR/dovecot/dovecot.conf"
	else
		dovecot -c "$FIX_DIR/dovecot/dovecot.conf"
	fi || e2e_hard "Dovecot did not start again"
	_deadline=$(( $(date +%s) + 20 ))
	until bash -c "exec 3<>/dev/tcp/$FIX_HOST/$FIX_IMAPS_PORT" 2>/dev/null; do
		[ "$(date +%s)" -le "$_deadline" ] ||
		    e2e_hard "Dovecot does not listen again"
		sleep 0.05
	done
}
