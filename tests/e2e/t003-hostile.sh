#!/bin/sh
# Hostile text: messages carrying ESC, CSI, OSC 52 (clipboard), C1
# controls, bidi overrides, zero-width characters and NUL in Subject,
# From, body and attachment names.  Nothing from the mail may reach the
# terminal as a control sequence: the raw bytes satchel writes hold no OSC
# and no C1 control, the screen is never cleared or recoloured by the
# mail, and the hostile text is shown visibly escaped in the pager.
. "$top_srcdir/tests/e2e/lib-e2e.sh"

md="$HOME/Mail/INBOX"
mkdir -p "$md/cur" "$md/new" "$md/tmp"
printf 'mail_root = %s/Mail\n' "$HOME" > "$XDG_CONFIG_HOME/satchel/config"

# Subject: ESC [2J (clear screen), OSC 52 (set clipboard), C1 CSI, RLO.
printf '%s\n' \
    'From: =?UTF-8?B?RXZlIBtdNTI7YztaWFpwYkE9PQc=?= <eve@example.test>' \
    'To: alice@example.test' \
    'Subject: =?UTF-8?B?cGF5IOKArmZkcC5leGUgG1sySiDCmzMxbSB0YWls?=' \
    'Message-ID: <hostile-1@example.test>' \
    'Date: Sun, 01 Nov 2026 09:00:00 +0000' \
    'MIME-Version: 1.0' \
    'Content-Type: multipart/mixed; boundary="b"' \
    '' '--b' 'Content-Type: text/plain; charset=utf-8' \
    'Content-Transfer-Encoding: base64' '' \
    "$(printf 'body \033[31mRED\033[0m \033]52;c;ZXZpbA==\007 bell\007 \302\233\062J z\342\200\213w\000nul done\n' | base64 -w0)" \
    '--b' 'Content-Type: application/octet-stream' \
    'Content-Disposition: attachment; filename*=UTF-8'"''"'%1B%5B1mevil%E2%80%AEtxt.exe' \
    'Content-Transfer-Encoding: base64' '' 'QUFBQQ==' '--b--' \
    > "$md/cur/1.hostile:2,"
"$SATCHEL" index -q || e2e_fail "index failed"

raw="$E2E_TMP/raw"
E2E_RAW=$raw e2e_satchel_start 100 30
e2e_wait_for ' tag:inbox '
# One-line fields drop controls and bidi characters entirely.
e2e_wait_for 'pay fdp.exe [2J 31m tail'
e2e_keys Enter
e2e_wait_for 'body <U+001B>[31mRED<U+001B>[0m <U+001B>]52;c;ZXZpbA==<U+0007>'
e2e_wait_for 'Subject: pay <U+202E>fdp.exe <U+001B>[2J <U+009B>31m tail'
e2e_wait_for 'bell<U+0007> <U+009B>2J'
# A NUL in a body is decoded by mime/ as U+FFFD, which is visible.
e2e_wait_for 'z<U+200B>w�nul done'
e2e_wait_for 'Attachment: <U+001B>[1mevil<U+202E>txt.exe'
e2e_keys q
e2e_wait_for ' tag:inbox '
e2e_keys q
e2e_wait_exit 0

# The raw stream: no OSC, no C1 (as a byte or as UTF-8), no BEL from the
# mail, and no RLO/ZWSP characters.
for pat in '\x1b\]' '\xc2[\x80-\x9f]' '\x07' '\xe2\x80[\x8b\xae]'; do
	if LC_ALL=C grep -qaP "$pat" "$raw"; then
		LC_ALL=C grep -aoP ".{0,20}$pat.{0,20}" "$raw" | od -c | head -5
		e2e_fail "raw output holds $pat"
	fi
done
# With colour, curses draws the marks in the warning colour (bold red).
E2E_RAW= e2e_satchel_start 100 30
e2e_wait_for ' tag:inbox '
e2e_keys Enter
e2e_wait_for 'Subject: pay'
e2e_screen -e | grep -q "$(printf '\033')\[1m$(printf '\033')\[31m<U+202E>" ||
    e2e_fail "the RLO mark is not in the warning colour"
e2e_done
