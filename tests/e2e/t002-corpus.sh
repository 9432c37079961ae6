#!/bin/sh
# Real-world tier: index every message of ../shared/corpus/mime and render
# each one through the pager's renderer ("satchel show"), both through the
# index and file by file.  Passes when nothing crashes, no sanitizer
# reports anything and the output holds no raw control byte.  Skipped,
# visibly, when the corpus is not beside the checkout.
. "$top_srcdir/tests/e2e/lib-e2e.sh"

corpus="$top_srcdir/../shared/corpus/mime"
[ -d "$corpus" ] || e2e_skip "no corpus at $corpus"

cp -R "$corpus" "$HOME/Mail" || e2e_hard "cannot copy the corpus"
printf 'mail_root = %s/Mail\n' "$HOME" > "$XDG_CONFIG_HOME/satchel/config"
files=$(find "$HOME/Mail" -type f | wc -l)

"$SATCHEL" index > "$E2E_TMP/index.out" 2>&1 ||
    { cat "$E2E_TMP/index.out"; e2e_fail "satchel index failed"; }
cat "$E2E_TMP/index.out"
indexed=$("$SATCHEL" search --output=messages '*' | wc -l)
echo "corpus: $files files, $indexed messages indexed"
[ "$indexed" -gt 500 ] || e2e_fail "only $indexed messages indexed"

# Every indexed message, as the pager renders it.
"$SATCHEL" show '*' > "$E2E_TMP/show.out" 2> "$E2E_TMP/show.err"
rc=$?
[ $rc -le 1 ] || { cat "$E2E_TMP/show.err"; e2e_fail "show crashed ($rc)"; }
cat "$E2E_TMP/show.err"

# Every file, indexed or not (the corpus has non-mail and broken files).
find "$HOME/Mail" -type f ! -path '*/.notmuch/*' -print0 |
    xargs -0 "$SATCHEL" show --file > "$E2E_TMP/files.out" \
    2> "$E2E_TMP/files.err"
rc=$?
# xargs reports 123 when an invocation exited 1-125 (unreadable files are
# reported and counted, not fatal); anything else is a crash.
[ $rc -eq 0 ] || [ $rc -eq 123 ] ||
    { tail -5 "$E2E_TMP/files.err"; e2e_fail "show --file crashed ($rc)"; }
lines=$(cat "$E2E_TMP/show.out" "$E2E_TMP/files.out" | wc -l)
echo "rendered $lines lines"

# No C0 control except newline, no DEL, no C1 (raw or UTF-8 encoded).
for f in show.out files.out; do
	if LC_ALL=C grep -naP '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' \
	    "$E2E_TMP/$f" | head -3 | grep -q .; then
		LC_ALL=C grep -naP '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' \
		    "$E2E_TMP/$f" | head -3 | od -c | head
		e2e_fail "raw control byte in $f"
	fi
	# Whatever the mail held, the output is valid UTF-8.
	iconv -f UTF-8 -t UTF-8 "$E2E_TMP/$f" > /dev/null ||
	    e2e_fail "invalid UTF-8 in $f"
done
e2e_done
