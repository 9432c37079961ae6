#!/bin/sh
# The plain subcommands, as scripts and cron use them: help and version,
# clear errors for bad configuration and bad arguments, incremental
# indexing with new-mail tags and Maildir flags, search in text and JSON,
# and the progress line on a terminal.
. "$top_srcdir/tests/e2e/lib-e2e.sh"

expect_exit() {	# STATUS COMMAND...: runs it, keeps stderr in $err
	want=$1
	shift
	"$@" > "$E2E_TMP/out" 2> "$E2E_TMP/err"
	got=$?
	err=$(cat "$E2E_TMP/err")
	[ "$got" = "$want" ] || { cat "$E2E_TMP/out" "$E2E_TMP/err";
	    e2e_fail "'$*' exited $got, not $want"; }
}

# Help and version.
expect_exit 0 "$SATCHEL" --help
grep -q '^usage: satchel' "$E2E_TMP/out" || e2e_fail "--help"
for c in tui index search show; do
	expect_exit 0 "$SATCHEL" $c --help
	grep -q "^usage: satchel" "$E2E_TMP/out" || e2e_fail "$c --help"
done
expect_exit 0 "$SATCHEL" --version
grep -q '^satchel [0-9]' "$E2E_TMP/out" || e2e_fail "--version"
grep -q 'GMime' "$E2E_TMP/out" || e2e_fail "--version lacks libraries"

# Bad arguments: exit 2 and say what was expected.
expect_exit 2 "$SATCHEL" frobnicate
case $err in *"unknown command 'frobnicate'"*) ;; *) e2e_fail "$err" ;; esac
expect_exit 2 "$SATCHEL" search --format=xml tag:inbox
case $err in *"--format expects text or json, not 'xml'"*) ;;
*) e2e_fail "$err" ;; esac
expect_exit 2 "$SATCHEL" search
expect_exit 2 "$SATCHEL" index extra

# Bad configuration: FILE:LINE: what was expected, exit 1.
printf 'mail_root = /x\n\nsynchronize_flags = maybe\n' > "$E2E_TMP/bad.conf"
expect_exit 1 "$SATCHEL" -c "$E2E_TMP/bad.conf" search tag:inbox
[ "$err" = "satchel: $E2E_TMP/bad.conf:3: 'synchronize_flags' expects yes or no, not 'maybe'" ] ||
    e2e_fail "config error: $err"
expect_exit 1 "$SATCHEL" -c "$E2E_TMP/none.conf" search tag:inbox
case $err in *"cannot open '$E2E_TMP/none.conf'"*) ;; *) e2e_fail "$err" ;; esac
printf 'bind index x nosuch\n' > "$E2E_TMP/bad.keys"
printf 'keymap = %s\n' "$E2E_TMP/bad.keys" > "$E2E_TMP/k.conf"
expect_exit 1 "$SATCHEL" -c "$E2E_TMP/k.conf" search tag:inbox
[ "$err" = "satchel: $E2E_TMP/bad.keys:1: unknown command 'nosuch'" ] ||
    e2e_fail "keymap error: $err"

# No index yet: searching says what to do.
printf 'mail_root = %s/Mail\n' "$HOME" > "$XDG_CONFIG_HOME/satchel/config"
mkdir -p "$HOME/Mail"
expect_exit 1 "$SATCHEL" search tag:inbox
case $err in *"satchel index"*) ;; *) e2e_fail "no hint: $err" ;; esac

# Index: new-mail tags, then incremental changes.
"$GEN_MAIL" -s 7 -n 400 "$HOME/Mail/gen" > /dev/null || e2e_hard "gen-mail"
expect_exit 0 "$SATCHEL" index
grep -q '^indexed 400 files in .* 400 new messages' "$E2E_TMP/out" ||
    e2e_fail "index summary: $(cat "$E2E_TMP/out")"
n=$("$SATCHEL" search --output=messages tag:inbox | wc -l)
[ "$n" = 400 ] || e2e_fail "$n messages tagged inbox, not 400"
unread=$("$SATCHEL" search --output=messages tag:unread | wc -l)
seen=$(find "$HOME/Mail" -path '*/cur/*:2,*S*' | wc -l)
[ "$unread" = $((400 - seen)) ] ||
    e2e_fail "$unread unread, but $seen of 400 files have the S flag"
expect_exit 0 "$SATCHEL" index -q
[ ! -s "$E2E_TMP/out" ] || e2e_fail "-q printed something"

# A flag change (rename), a new message and a deleted file.
f=$(find "$HOME/Mail" -path '*/cur/*:2,S' | head -1)
id=$(sed -n 's/^Message-I[Dd]: *<\(.*\)>.*/\1/p' "$f" | head -1)
mv "$f" "${f%:2,S}:2,FS"
g=$(find "$HOME/Mail" -path '*/cur/*' -type f | tail -1)
gid=$(sed -n 's/^Message-I[Dd]: *<\(.*\)>.*/\1/p' "$g" | head -1)
rm "$g"
printf 'From: x@example.test\nTo: y@example.test\nSubject: late arrival\nMessage-ID: <late@example.test>\nDate: Sun, 01 Nov 2026 11:00:00 +0000\n\nhello\n' \
    > "$HOME/Mail/gen/INBOX/new/late.1"
expect_exit 0 "$SATCHEL" index
grep -q '1 new message, 1 more file of known messages, 2 files gone' "$E2E_TMP/out" ||
    e2e_fail "incremental summary: $(cat "$E2E_TMP/out")"
"$SATCHEL" search --output=messages "id:$id" tag:flagged | grep -q . ||
    e2e_fail "F flag did not become the flagged tag"
"$SATCHEL" search --output=messages "id:$gid" | grep -q . &&
    e2e_fail "the deleted file's message is still indexed"
"$SATCHEL" search --format=json --output=messages id:late@example.test |
    grep -q '"subject":"late arrival".*"tags":\["inbox","unread"\]' ||
    e2e_fail "the new message lacks its tags"

# Search output: text like notmuch search, JSON parses.
"$SATCHEL" search --limit=3 tag:inbox > "$E2E_TMP/out"
[ "$(wc -l < "$E2E_TMP/out")" = 3 ] || e2e_fail "--limit=3"
grep -qE '^thread:[0-9a-f]{16}  .+ \[[0-9]+/[0-9]+\] .*; .* \(.*\)$' \
    "$E2E_TMP/out" || e2e_fail "thread line format: $(head -1 "$E2E_TMP/out")"
if command -v python3 >/dev/null 2>&1; then
	"$SATCHEL" search --format=json '*' | python3 -c \
	    'import json,sys; d=json.load(sys.stdin); assert len(d) > 100' ||
	    e2e_fail "JSON output does not parse"
fi
expect_exit 1 "$SATCHEL" search 'date:foo..bar'
case $err in *"date"*) ;; *) e2e_fail "bad query: $err" ;; esac

# An existing notmuch set-up is used as it is: its config names the
# database, mail root and tags, and satchel sees what notmuch indexed.
if command -v notmuch >/dev/null 2>&1; then
	nm="$E2E_TMP/nm"
	"$GEN_MAIL" -s 9 -n 50 "$nm/mail" > /dev/null || e2e_hard "gen-mail"
	printf '[database]\npath=%s/mail\n[new]\ntags=fresh;unread;\n' \
	    "$nm" > "$nm/notmuch-config"
	printf '[maildir]\nsynchronize_flags=true\n' >> "$nm/notmuch-config"
	NOTMUCH_CONFIG="$nm/notmuch-config" notmuch new > /dev/null ||
	    e2e_hard "notmuch new failed"
	printf 'notmuch_config = %s/notmuch-config\n' "$nm" > "$E2E_TMP/nm.conf"
	n=$("$SATCHEL" -c "$E2E_TMP/nm.conf" search --output=messages \
	    tag:fresh | wc -l)
	[ "$n" = 50 ] || e2e_fail "$n of notmuch's 50 messages seen"
	# satchel index keeps to that config's tags, and notmuch agrees.
	printf 'From: a@example.test\nSubject: via satchel\nMessage-ID: <nm@x>\n\nhi\n' \
	    > "$nm/mail/INBOX/new/satchel.1"
	"$SATCHEL" -c "$E2E_TMP/nm.conf" index -q || e2e_fail "index"
	NOTMUCH_CONFIG="$nm/notmuch-config" notmuch search --output=tags \
	    id:nm@x | tr '\n' ' ' | grep -q '^fresh unread $' ||
	    e2e_fail "notmuch does not see satchel's message with new.tags"
	NOTMUCH_CONFIG="$nm/notmuch-config" notmuch new 2>&1 |
	    grep -q 'No new mail' || e2e_fail "notmuch new found work left"
else
	echo "# notmuch CLI absent: existing-config case not run"
fi

# On a terminal, index shows a progress line, then the summary.
"$GEN_MAIL" -s 8 -n 3000 "$HOME/Mail/more" > /dev/null || e2e_hard "gen-mail"
e2e_satchel_start 100 10 index
e2e_wait_for 'indexing: '
e2e_wait_for 'indexed 3000 files' 120
e2e_wait_exit 0
e2e_done
