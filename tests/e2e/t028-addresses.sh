#!/bin/sh
# The address book: "search to:" + Tab at the ":" prompt completes from
# it (one match taken, several listed and cycled with "(k/N)", best
# first, matched by a word of the name too), "satchel addresses" prints
# it in mutt's query format, merged with a query_command script's
# addresses, and a failing query_command is reported, not fatal; the
# To: question of a new message completes from the book too.
. "$top_srcdir/tests/e2e/lib-e2e.sh"

e2e_mail_demo 300
# Alice is the user: her sent mail's recipients count most.
cat >> "$XDG_CONFIG_HOME/satchel/config" <<EOF
[account alice]
type = maildir
email = alice@example.test
EOF
cache="$HOME/.cache/satchel/addresses"

# The CLI first: mutt's format, best first.
"$SATCHEL" addresses '' > "$E2E_TMP/all" || e2e_fail "satchel addresses failed"
head -1 "$E2E_TMP/all" | grep -q '^satchel: [0-9]* addresses matching' ||
    e2e_fail "no status line: $(head -1 "$E2E_TMP/all")"
total=$(($(wc -l < "$E2E_TMP/all") - 1))
[ "$total" -gt 3 ] || e2e_fail "only $total addresses"
first=$(sed -n '2p' "$E2E_TMP/all" | cut -f1)
second=$(sed -n '3p' "$E2E_TMP/all" | cut -f1)
[ -s "$cache" ] || e2e_fail "no cache at $cache"
awk -F '\t' 'NR > 1 && (NF != 3 || $1 !~ /@/) { exit 1 }' "$E2E_TMP/all" ||
    e2e_fail "a line is not address<TAB>name<TAB>other"
"$SATCHEL" addresses carol | grep -q "^carol.whitfield@example.com	Carol Whitfield	" ||
    e2e_fail "no Carol by address prefix"
"$SATCHEL" addresses WHIT | grep -q "^carol.whitfield@example.com	" ||
    e2e_fail "no Carol by a word of her name"
[ "$("$SATCHEL" addresses --limit 2 '' | wc -l)" = 3 ] ||
    e2e_fail "--limit 2"

# A query_command script: its addresses come after the local ones, once.
cat > "$HOME/book.sh" <<'EOF'
#!/bin/sh
echo "book: searching for $1"
printf 'zed@elsewhere.test\tZed From The Book\twork\n'
printf 'carol.whitfield@example.com\tCarol (book)\tdup\n'
printf 'not an address\tjunk\n'
EOF
printf 'query_command = sh %s/book.sh %%s\n' "$HOME" > "$E2E_TMP/qc"
cat "$E2E_TMP/qc" "$XDG_CONFIG_HOME/satchel/config" > "$E2E_TMP/conf"
cp "$E2E_TMP/conf" "$XDG_CONFIG_HOME/satchel/config"
"$SATCHEL" addresses ca > "$E2E_TMP/merged" || e2e_fail "addresses ca"
[ "$(grep -c '^carol.whitfield@example.com	' "$E2E_TMP/merged")" = 1 ] ||
    e2e_fail "carol not exactly once: $(cat "$E2E_TMP/merged")"
sed -n '2p' "$E2E_TMP/merged" | grep -q '^carol.whitfield@example.com	Carol Whitfield	' ||
    e2e_fail "the address book's carol is not first"
tail -1 "$E2E_TMP/merged" | grep -q '^zed@elsewhere.test	Zed From The Book	work$' ||
    e2e_fail "the script's address is not last"
# satchel as its own query_command does not ask itself again.
SATCHEL_QUERY_COMMAND=1 "$SATCHEL" addresses ca | grep -q zed &&
    e2e_fail "query_command ran inside a query_command"
# A failing script: reported on stderr, the local matches still printed.
printf '#!/bin/sh\necho "address book locked"\nexit 3\n' > "$HOME/book.sh"
"$SATCHEL" addresses ca > "$E2E_TMP/out" 2> "$E2E_TMP/err" ||
    e2e_fail "a failing query_command failed the command"
grep -q 'exit 3' "$E2E_TMP/err" && grep -q 'address book locked' "$E2E_TMP/err" ||
    e2e_fail "the failure is not reported: $(cat "$E2E_TMP/err")"
grep -q '^carol.whitfield@example.com	' "$E2E_TMP/out" ||
    e2e_fail "the local matches went with the failure"

# The ":" prompt: to: completes from the address book.
e2e_satchel_start 100 30
e2e_wait_for 'thread 1 of'
e2e_keys : 's' 'e' 'a' 'r' 'c' 'h' ' ' 't' 'o' ':' 'c' 'a' 'r'
e2e_wait_for ':search to:car'
e2e_keys Tab
e2e_wait_for ':search to:carol.whitfield@example.com'
# A word of the name finds the address too.
e2e_keys C-u 's' 'e' 'a' 'r' 'c' 'h' ' ' 't' 'o' ':' 'w' 'h' 'i' 't'
e2e_wait_for ':search to:whit'
e2e_keys Tab
e2e_wait_for ':search to:carol.whitfield@example.com'
# Several: listed best first; Tab again puts each in turn.
e2e_keys C-u 's' 'e' 'a' 'r' 'c' 'h' ' ' 'f' 'r' 'o' 'm' ':'
e2e_wait_for ':search from:'
e2e_keys Tab
e2e_wait_for "from:$first  from:$second"
e2e_keys Tab
e2e_wait_for "(1/$total) [from:$first]"
e2e_wait_for ":search from:$first"
e2e_keys Tab
e2e_wait_for "(2/$total)"
e2e_wait_for ":search from:$second"
e2e_keys Enter
e2e_wait_gone ':search from:'
e2e_wait_for " from:$second "
e2e_keys q
e2e_wait_for 'thread 1 of'

# Composing: the To: question completes from the address book too;
# Escape there writes nothing.
e2e_keys m
e2e_wait_for 'To:'
e2e_keys 'w' 'h' 'i' 't' Tab
e2e_wait_for 'carol.whitfield@example.com'
e2e_keys Escape
e2e_wait_gone 'carol.whitfield@example.com'
e2e_keys q
e2e_wait_exit 0
e2e_done
