#!/bin/sh
# check-layers.sh SRCDIR: fails when a file includes what its module must
# not (STYLE.md section 1).  Each library has one home, and a module only
# includes modules below it:
#	core <- {mime, net, store, cal} <- engine <- ui <- cmd <- main.c
# ui never includes net.
srcdir=${1:-src}

# The modules a module may include (itself included).
allowed() {
	case $1 in
	core)	echo "core" ;;
	mime|net|store|cal) echo "core $1" ;;
	engine)	echo "core mime net store cal engine" ;;
	ui)	echo "core mime store cal engine ui" ;;
	cmd|main) echo "core mime net store cal engine ui cmd" ;;
	esac
}

# The one module a library header may be included from.
home() {
	case $1 in
	libetpan/*|openssl/*)	echo net ;;
	notmuch.h)		echo store ;;
	libical/*|unicode/*)	echo cal ;;
	gmime/*|glib.h|glib/*)	echo mime ;;
	curses.h|ncurses.h|ncursesw/*|term.h) echo ui ;;
	esac
}

violations() {
	find "$srcdir" -name '*.[ch]' | sort | while read -r f; do
		rel=${f#"$srcdir"/}
		case $rel in
		*/*)	mod=${rel%%/*} ;;
		*)	mod=main ;;
		esac
		ok=" $(allowed "$mod") "
		sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*//p' "$f" |
		while read -r inc rest; do
			case $inc in
			\<*)
				h=${inc#<}; h=${h%>}
				want=$(home "$h")
				[ -z "$want" ] || [ "$want" = "$mod" ] ||
				    echo "$rel: <$h> belongs in src/$want/ only"
				;;
			\"*/private.h\")
				p=${inc#\"}; p=${p%%/*}
				[ "$p" = "$mod" ] ||
				    echo "$rel: $p/private.h is private to src/$p/"
				;;
			\"*/*)
				m=${inc#\"}; m=${m%%/*}
				case $ok in
				*" $m "*) ;;
				*) echo "$rel: module '$mod' must not include $m/" ;;
				esac
				;;
			esac
		done
	done
}

out=$(violations)
if [ -n "$out" ]; then
	echo "$out" | sed 's/^/check-layers: /' >&2
	exit 1
fi
echo "check-layers: every include is where it belongs"
exit 0
