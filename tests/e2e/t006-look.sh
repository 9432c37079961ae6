#!/bin/sh
# Keymaps and themes: the built-in vi keymap chosen in the config (and
# the help screen listing its bindings), a user keymap file on top, a
# theme switch at run time (256-colour and 24-bit colours reach the
# terminal), NO_COLOR and a colourless TERM, and resizing 80x24 to
# 200x50 and back.
. "$top_srcdir/tests/e2e/lib-e2e.sh"

e2e_mail_demo 120
conf="$XDG_CONFIG_HOME/satchel/config"

# esc: the screen with attributes, as the terminal got them.
esc() {
	e2e_screen -e
}

# The vi keymap: m opens ":move", h goes back, help says so.
printf 'keymap = vi\n' >> "$conf"
e2e_satchel_start 100 30
e2e_wait_for 'thread 1 of'
e2e_keys m
e2e_wait_for ':move'
e2e_keys Escape
e2e_wait_gone ':move'
e2e_keys '?'
e2e_wait_for 'Keys (the active keymap'
found=0
for page in 1 2 3 4 5 6 7 8; do
	if e2e_screen | grep -q '^  m  *prompt move'; then
		found=1
		break
	fi
	e2e_keys C-d
	sleep 0.2
done
[ $found = 1 ] || e2e_fail "help does not list vi's m"
e2e_keys q
e2e_wait_for 'thread 1 of'
e2e_keys Q
e2e_wait_exit 0

# A keymap file on top of the built-in one; a bad one names file and line.
printf 'bind index x archive\nbind index Q nosuch\n' > "$HOME/my.keys"
sed -i "s|^keymap = .*|keymap = $HOME/my.keys|" "$conf"
"$SATCHEL" tui > "$E2E_TMP/out" 2>&1 && e2e_fail "a bad keymap was accepted"
grep -q "my.keys:2: unknown command 'nosuch'" "$E2E_TMP/out" ||
    { cat "$E2E_TMP/out"; e2e_fail "the error does not name file and line"; }
printf 'bind index x archive\n' > "$HOME/my.keys"
first=$("$SATCHEL" search --format=json tag:inbox | head -1 |
    sed 's/^\[\{0,1\}{"thread":"\([^"]*\)".*/\1/')
e2e_satchel_start 100 30
e2e_wait_for 'thread 1 of'
e2e_keys x
e2e_wait_for 'archived'
[ "$("$SATCHEL" search --output=messages "thread:$first and tag:inbox" |
    wc -l)" = 0 ] || e2e_fail "x did not archive"
e2e_keys u
e2e_wait_for 'undone'

# Themes: the default cursor is cyan (colour 6); light's is 256-colour 24;
# a file with a 24-bit colour reaches a 256-colour terminal as the
# nearest cube colour (#ff8000 is 208).
esc | grep -q "$(printf '\033')\[46m\|;46m" || e2e_fail "no cyan cursor"
e2e_keys : 't' 'h' 'e' 'm' 'e' ' ' 'l' 'i' Tab Enter
e2e_wait_for 'switched to theme light'
esc | grep -q '48;5;24m' || { esc | head -5 | cat -v; e2e_fail "light: no 256-colour cursor"; }
printf 'color cursor black #ff8000\n' > "$HOME/orange.theme"
e2e_keys : 't' 'h' 'e' 'm' 'e' ' ' 'd' 'a' 'r' 'k' Enter
e2e_wait_for "no theme 'dark'"
e2e_keys : 't' 'h' 'e' 'm' 'e' ' ' $(printf '%s' "$HOME/orange.theme" |
    sed 's/./& /g') Enter
e2e_wait_for "switched to theme $HOME/orange.theme"
esc | grep -q '48;5;208m' || e2e_fail "orange: not colour 208"
e2e_keys Q
e2e_wait_exit 0

# NO_COLOR: no colour at all, the cursor row still in reverse video.
E2E_ENV="NO_COLOR=1" e2e_satchel_start 100 30
e2e_wait_for 'thread 1 of'
esc | grep -q "$(printf '\033')\[[0-9;]*\(3[0-7]\|4[0-7]\|38;5\|48;5\)[;m]" &&
    e2e_fail "colour with NO_COLOR set"
esc | grep -q "$(printf '\033')\[7m\|;7m" || e2e_fail "no reverse cursor"
e2e_keys Q
e2e_wait_exit 0

# TERM=vt100: no colours to have; it still works.
E2E_TERM=vt100 e2e_satchel_start 80 24
e2e_wait_for 'thread 1 of'
e2e_keys j
e2e_wait_for 'thread 2 of'
e2e_keys Q
e2e_wait_exit 0

# Resize: 80x24, 200x50, 80x24; the status line follows the bottom.
e2e_satchel_start 80 24
e2e_wait_for 'thread 1 of'
e2e_resize 200 50
e2e_wait_row 49 'thread 1 of'
[ "$(e2e_screen | sed -n '2,48p' | grep -c '[a-z]')" -ge 40 ] ||
    e2e_fail "the list does not fill 200x50"
e2e_resize 80 24
e2e_wait_row 23 'thread 1 of'
e2e_keys Q
e2e_wait_exit 0
e2e_done
