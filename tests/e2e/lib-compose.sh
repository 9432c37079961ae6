# tests/e2e/lib-compose.sh: sourced after lib-e2e.sh by the tests that
# write mail without a server.  Makes $OUT and $E2E_TMP/sendmail, a
# sendmail_command that keeps each message it gets as $OUT/N.eml (N from
# 0) and its arguments (the recipients) as $OUT/N.args.  Export OUT to
# satchel (E2E_ENV) for the command to find it.

OUT="$E2E_TMP/out"
mkdir -p "$OUT"
cat > "$E2E_TMP/sendmail" <<'EOF'
#!/bin/sh
n=$(ls "$OUT" | grep -c '\.eml$')
printf '%s\n' "$@" > "$OUT/$n.args"
cat > "$OUT/$n.tmp" && mv "$OUT/$n.tmp" "$OUT/$n.eml"
EOF
chmod +x "$E2E_TMP/sendmail"

# count: the messages the command got so far.
count() {
	ls "$OUT" | grep -c '\.eml$'
}

# wait_sent N: until the command got N messages.
wait_sent() {
	_deadline=$(( $(date +%s) + E2E_TIMEOUT ))
	while [ "$(count)" != "$1" ]; do
		[ "$(date +%s)" -le "$_deadline" ] ||
		    e2e_fail "$(count) messages sent, not $1"
		sleep 0.1
	done
}
