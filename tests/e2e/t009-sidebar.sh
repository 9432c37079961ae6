#!/bin/sh
# The sidebar: saved searches from the config and the folders under the
# mail root, with unread counts; C-n/C-p move, C-o opens one as a thread
# list (q comes back), B hides and shows it; an archive updates the
# counts.
. "$top_srcdir/tests/e2e/lib-e2e.sh"

e2e_mail_demo 200
conf="$XDG_CONFIG_HOME/satchel/config"
cat >> "$conf" <<'EOF'
sidebar = yes
search = Unread: tag:unread
search = Invitations: mimetype:text/calendar
EOF
count() {
	"$SATCHEL" search --output=messages "$*" | wc -l | tr -d ' '
}
unread=$(count tag:unread)
inbox_unread=$(count 'folder:INBOX and tag:unread')
[ "$unread" -gt 0 ] || e2e_fail "no unread mail in the demo"

# sb_wait LABEL COUNT: the sidebar shows LABEL with COUNT unread.
sb_wait() {
	deadline=$(( $(date +%s) + E2E_TIMEOUT ))
	until e2e_screen | grep -q "^ $1  *$2│"; do
		[ "$(date +%s)" -le "$deadline" ] ||
		    e2e_fail "the sidebar does not show '$1' with $2"
		sleep 0.05
	done
}

e2e_satchel_start 120 30
e2e_wait_for 'thread 1 of'
e2e_wait_row 2 'Searches'
sb_wait Unread "$unread"
e2e_wait_for 'Folders'
e2e_wait_for ' Archive'
e2e_wait_for ' Sent'
sb_wait INBOX "$inbox_unread"

# Open the second saved search, and come back.
e2e_keys C-n C-o
e2e_wait_for ' mimetype:text/calendar '
e2e_keys q
e2e_wait_for ' tag:inbox '
# C-p back to Unread and open it.
e2e_keys C-p C-o
e2e_wait_for ' tag:unread '
e2e_keys q
e2e_wait_for ' tag:inbox '

# An archive changes the counts in the sidebar too.
e2e_keys = N
e2e_wait_for 'marked'
after=$(count tag:unread)
[ "$after" != "$unread" ] || e2e_fail "N changed nothing"
sb_wait Unread "$after"

# B hides it, B shows it again.
e2e_keys B
e2e_wait_gone 'Searches'
e2e_keys B
e2e_wait_for 'Searches'
e2e_keys Q
e2e_wait_exit 0

# An account's folders come under its name, without the account's
# directory in front; the rest stay under "Folders".
for f in INBOX Archive; do
	mkdir -p "$HOME/Mail/work/$f/cur" "$HOME/Mail/work/$f/new" \
	    "$HOME/Mail/work/$f/tmp"
done
cat >> "$conf" <<'EOF'
[account work]
type = imap
host = 127.0.0.1
user = alice
folder = work
EOF
e2e_satchel_start 120 30 tui -n
e2e_wait_for 'thread 1 of'
e2e_wait_for 'work '
# The sidebar's column, counts and padding dropped.
side=$(e2e_screen | sed -n 's/│.*//p' | sed 's/ *[0-9]* *$//')
[ "$(printf '%s\n' "$side" | grep -A2 '^work$' | tr '\n' /)" = \
    "work/ Archive/ INBOX/" ] ||
    e2e_fail "the account heading is not followed by its folders: $side"
printf '%s\n' "$side" | grep -q 'work/' &&
    e2e_fail "an account's folder is shown by its path"
[ "$(printf '%s\n' "$side" | grep -A3 '^Folders$' | tr '\n' /)" = \
    "Folders/ Archive/ INBOX/ Sent/" ] ||
    e2e_fail "the other folders are not under Folders: $side"
e2e_keys Q
e2e_wait_exit 0
e2e_done
