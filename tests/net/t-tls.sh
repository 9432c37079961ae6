#!/bin/bash
# t-tls.sh: the TLS matrix of net/ against real servers.  For IMAP and
# POP3, over implicit TLS and STARTTLS: the good certificate logs in; a
# self-signed one, one for another name, an expired one and one from a CA
# nobody trusts are refused, naming the reason; so are a TLS 1.1 server, a
# server without STARTTLS (and Dovecot saw no login), a wrong password, a
# wrong fingerprint pin, bytes injected after the STARTTLS OK, and a server
# that never speaks (after the timeout).  A matching pin is accepted on the
# self-signed server; plaintext works to loopback on the plain port only.
#
# Exit status (automake): 0 pass, 1 a check failed, 77 skip (no dovecot or
# openssl), 99 the harness broke.
# Bash, also when started as "sh script" (automake's SH_LOG_COMPILER).
[ -n "${BASH_VERSION-}" ] || exec bash "$0" "$@"
set -u
unset MAIL_CONFIG

here=$(cd "$(dirname "$0")" && pwd -P) || exit 99
fixture=${top_srcdir:-$here/../..}/tests/fixture
probe=${top_builddir:-.}/tests/net/netprobe
. "$fixture/lib-fixture.sh" || exit 99

skip()
{
	echo "SKIP: $*"
	exit 77
}

if why=$(fix_missing); then
	skip "$why"
fi
[ -x "$probe" ] || { echo "no $probe: run make check"; exit 99; }

ntests=0
nfail=0
fixdir=
scratch=
pids=

ok()
{
	ntests=$((ntests + 1))
	echo "ok $ntests - $*"
}

not_ok()
{
	ntests=$((ntests + 1))
	nfail=$((nfail + 1))
	echo "not ok $ntests - $*"
}

cleanup()
{
	local rc=$? p

	trap - EXIT
	exec 8>&-
	for p in $pids; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	if [ -n "$fixdir" ]; then
		"$fixture"/fixture-down.sh "$fixdir" || rc=99
		rm -rf "$fixdir"
	fi
	[ -n "$scratch" ] && rm -rf "$scratch"
	exit $rc
}
trap cleanup EXIT
trap 'exit 99' INT TERM

fixdir=$(mktemp -d /tmp/satchel-tls.XXXXXX) || exit 99
scratch=$(mktemp -d /tmp/satchel-tls-scratch.XXXXXX) || exit 99
"$fixture"/fixture-up.sh "$fixdir" || { echo "fixture did not start"; exit 99; }
. "$fixdir/env" || exit 99

# probe NAME EXPECT [PATTERN...] -- [env VAR=VALUE...] ARGS...: runs
# netprobe ARGS (with the variables set) and checks that its one line of
# output starts with EXPECT ("ok" or "error:") and contains every PATTERN.
# Its stderr is left in $scratch/stderr.
probe()
{
	local name=$1 want=$2 out pat rc wantrc
	local -a pats=() envs=()
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		pats+=("$1")
		shift
	done
	shift
	if [ "$1" = env ]; then
		shift
		while [ "${1#*=}" != "$1" ]; do
			envs+=("$1")
			shift
		done
	fi
	out=$(timeout 30 env "${envs[@]}" "$probe" "$@" 2>"$scratch/stderr")
	rc=$?
	case $want in
	ok*)	wantrc=0 ;;
	*)	wantrc=1 ;;
	esac
	case $out in
	"$want"*) ;;
	*)
		not_ok "$name"
		echo "#   got: $out"
		sed 's/^/#   stderr: /' "$scratch/stderr" | tail -n 5
		return 1
		;;
	esac
	# A sanitizer report (leaks at exit, too) changes the exit status.
	if [ $rc != $wantrc ] || grep -q Sanitizer "$scratch/stderr"; then
		not_ok "$name"
		echo "#   exit status $rc, not $wantrc"
		sed 's/^/#   stderr: /' "$scratch/stderr" | tail -n 20
		return 1
	fi
	for pat in "${pats[@]}"; do
		case $out in
		*"$pat"*) ;;
		*)
			not_ok "$name"
			echo "#   got: $out"
			echo "#   missing: $pat"
			return 1
			;;
		esac
	done
	ok "$name"
}

login=(--user "$FIX_USER_ALICE" --password "$FIX_PASS_ALICE"
    --tls-name "$FIX_TLS_NAME")

# An unrelated CA for the "system store" that does not know ours.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$scratch/other.key" -out "$scratch/other.crt" -days 30 \
    -subj "/CN=Unrelated CA" 2>/dev/null || exit 99

selfsigned_fp=$(openssl x509 -in "$FIX_DIR/tls/selfsigned.crt" \
    -outform DER | sha256sum | cut -d' ' -f1) || exit 99
good_fp=$(openssl x509 -in "$FIX_DIR/tls/server.crt" -outform DER |
    sha256sum | cut -d' ' -f1) || exit 99

for proto in imap pop; do
	if [ $proto = imap ]; then
		plain=$FIX_IMAP_PORT tlsport=$FIX_IMAPS_PORT
	else
		plain=$FIX_POP3_PORT tlsport=$FIX_POP3S_PORT
	fi
	for mode in implicit starttls; do
		if [ $mode = implicit ]; then
			port=$tlsport
		else
			port=$plain
		fi
		t="$proto $mode"
		probe "$t: good certificate, login" "ok TLSv1." -- $proto \
		    --host "$FIX_HOST" --port $port --tls $mode \
		    --ca "$FIX_CA" "${login[@]}"
		probe "$t: system store (SSL_CERT_FILE) trusts the CA" \
		    "ok TLSv1." -- env SSL_CERT_FILE="$FIX_CA" $proto \
		    --host "$FIX_HOST" --port $port --tls $mode "${login[@]}"
		probe "$t: self-signed refused" "error:" \
		    "certificate verification failed for 'localhost'" \
		    "self-signed certificate" -- $proto \
		    --host "$FIX_HOST_SELFSIGNED" --port $port --tls $mode \
		    --ca "$FIX_CA" "${login[@]}"
		probe "$t: wrong host refused" "error:" \
		    "certificate verification failed for 'localhost'" \
		    "hostname mismatch" -- $proto \
		    --host "$FIX_HOST_WRONGHOST" --port $port --tls $mode \
		    --ca "$FIX_CA" "${login[@]}"
		probe "$t: expired refused" "error:" \
		    "certificate verification failed for 'localhost'" \
		    "certificate has expired" -- $proto \
		    --host "$FIX_HOST_EXPIRED" --port $port --tls $mode \
		    --ca "$FIX_CA" "${login[@]}"
		probe "$t: untrusted CA refused" "error:" \
		    "certificate verification failed for 'localhost'" \
		    "unable to get local issuer certificate" -- \
		    env SSL_CERT_FILE="$scratch/other.crt" $proto \
		    --host "$FIX_HOST" --port $port --tls $mode "${login[@]}"
		probe "$t: the IP address is checked without --tls-name" \
		    "ok TLSv1." -- $proto --host "$FIX_HOST" --port $port \
		    --tls $mode --ca "$FIX_CA" --user "$FIX_USER_ALICE" \
		    --password "$FIX_PASS_ALICE"
		probe "$t: pin of the self-signed certificate accepted" \
		    "ok TLSv1." -- $proto --host "$FIX_HOST_SELFSIGNED" \
		    --port $port --tls $mode --fingerprint "$selfsigned_fp" \
		    "${login[@]}"
		probe "$t: wrong pin refused, naming both" "error:" \
		    "does not match the pinned fingerprint" \
		    "expected $good_fp" "got $selfsigned_fp" -- $proto \
		    --host "$FIX_HOST_SELFSIGNED" --port $port --tls $mode \
		    --ca "$FIX_CA" --fingerprint "$good_fp" "${login[@]}"
		probe "$t: wrong password" "error:" \
		    "login failed for alice@$FIX_HOST" -- $proto \
		    --host "$FIX_HOST" --port $port --tls $mode \
		    --ca "$FIX_CA" --user "$FIX_USER_ALICE" \
		    --password wrong --tls-name "$FIX_TLS_NAME"
	done

	probe "$proto: plaintext to loopback on the plain port" "ok plaintext" \
	    -- $proto --host "$FIX_HOST" --port $plain --tls none \
	    "${login[@]}"
	probe "$proto: plaintext to the TLS port times out" "error:" \
	    "timed out after 2 s" -- $proto --host "$FIX_HOST" \
	    --port $tlsport --tls none --timeout 2 "${login[@]}"
	probe "$proto: no plaintext to a host off this machine" "error:" \
	    "refusing to talk to '192.0.2.1' without TLS" -- $proto \
	    --host 192.0.2.1 --port $plain --tls none "${login[@]}"

	# STARTTLS not offered (Dovecot with ssl = no on FIX_HOST_NOTLS).
	before=$(grep -c "lip=$FIX_HOST_NOTLS" "$FIX_LOG_DIR/dovecot.log")
	probe "$proto: STARTTLS not offered, refused" "error:" \
	    "does not offer STARTTLS" "refusing to log in without TLS" -- \
	    $proto --host "$FIX_HOST_NOTLS" --port $plain --tls starttls \
	    --ca "$FIX_CA" "${login[@]}"
	# Dovecot logs the disconnect once the client has gone; give it time.
	new=
	for i in $(seq 20); do
		new=$(grep "lip=$FIX_HOST_NOTLS" "$FIX_LOG_DIR/dovecot.log" |
		    tail -n +$((before + 1)))
		[ -n "$new" ] && break
		sleep 0.1
	done
	if [ -n "$new" ] && ! printf '%s\n' "$new" | grep -q "Login:" &&
	    ! printf '%s\n' "$new" | grep -q -v "(no auth attempts"; then
		ok "$proto: Dovecot saw the connection and no login attempt"
	else
		not_ok "$proto: Dovecot saw the connection and no login attempt"
		printf '%s\n' "$new" | sed 's/^/#   /'
	fi
	probe "$proto: the same server in plaintext is fine when asked for" \
	    "ok plaintext" -- $proto --host "$FIX_HOST_NOTLS" --port $plain \
	    --tls none "${login[@]}"
done

# What a logged-in session reports: IMAP capabilities, POP3 LIST and UIDL,
# RETR (without the dot-stuffing) and DELE (done at QUIT).
probe "imap: capabilities after login" "ok TLSv1." \
    "caps: IDLE CONDSTORE QRESYNC MOVE UIDPLUS" -- imap --host "$FIX_HOST" \
    --port "$FIX_IMAPS_PORT" --tls implicit --ca "$FIX_CA" "${login[@]}"
printf 'From: bob@example.test\nSubject: dots\n\n.a line with a dot\n..two\n' \
    >"$scratch/msg" || exit 99
# As the mail user, who cannot read the scratch directory.
for m in 1 2; do
	$FIX_RUNAS tee "$FIX_MAILDIR_ALICE/new/100$m.m$m.fixture" \
	    <"$scratch/msg" >/dev/null || exit 99
done
size=$(($(wc -c <"$scratch/msg") + $(wc -l <"$scratch/msg")))
popargs=(--host "$FIX_HOST" --port "$FIX_POP3S_PORT" --tls implicit --ca
    "$FIX_CA" "${login[@]}")
probe "pop: LIST and UIDL" "ok TLSv1." "2 messages: 1 $size " " 2 $size " \
    -- pop "${popargs[@]}"
if timeout 30 "$probe" pop "${popargs[@]}" --retr 2 >"$scratch/retr" &&
    tail -n +2 "$scratch/retr" | tr -d '\r' | cmp -s - "$scratch/msg"; then
	ok "pop: RETR gives the message, dot-stuffing undone"
else
	not_ok "pop: RETR gives the message, dot-stuffing undone"
	sed 's/^/#   /' "$scratch/retr"
fi
probe "pop: DELE" "ok TLSv1." "2 messages" -- pop "${popargs[@]}" --dele 1
probe "pop: ... takes effect at QUIT" "ok TLSv1." "1 messages: 1 $size " \
    -- pop "${popargs[@]}"
probe "pop: RETR of a message that is not there" "error:" \
    "cannot retrieve message 9: no such message" -- pop "${popargs[@]}" \
    --retr 9

# The trace shows the exchange and never the password.
plain64=$(printf 'alice\0alice\0secret1' | base64)

# trace_has NAME PATTERN...: the last probe's stderr (its -vv trace) holds
# every pattern (grep) and neither the password nor its base64.
trace_has()
{
	local name=$1 pat
	shift
	for pat; do
		grep -q -e "$pat" "$scratch/stderr" || break
		shift
	done
	if [ $# = 0 ] &&
	    ! grep -q -e "$FIX_PASS_ALICE" -e "$plain64" "$scratch/stderr"; then
		ok "$name"
	else
		not_ok "$name"
		[ $# = 0 ] || echo "#   missing: $1"
		sed 's/^/#   /' "$scratch/stderr"
	fi
}

probe "imap: trace at -vv" "ok TLSv1." -- imap --host "$FIX_HOST" \
    --port "$FIX_IMAP_PORT" --tls starttls --ca "$FIX_CA" "${login[@]}" \
    --trace
trace_has "imap: trace redacted" "IMAP > [0-9]* AUTHENTICATE PLAIN$" \
    "IMAP > <redacted>$" "IMAP < [0-9]* OK .*Logged in"
probe "pop: trace at -vv" "ok plaintext" -- pop --host "$FIX_HOST" \
    --port "$FIX_POP3_PORT" --tls none "${login[@]}" --trace
trace_has "pop: trace redacted" "POP > AUTH PLAIN$" "POP > <redacted>$" \
    "POP < +OK Logged in"

# Without the SASL plugins the login falls back to LOGIN (USER and PASS),
# says why, and the trace still hides the password.
mkdir "$scratch/nosasl" || exit 99
probe "imap: no SASL plugins: LOGIN instead" "ok TLSv1." -- \
    env SASL_PATH="$scratch/nosasl" imap --host "$FIX_HOST" \
    --port "$FIX_IMAPS_PORT" --tls implicit --ca "$FIX_CA" "${login[@]}" \
    --trace
trace_has "imap: ... says why, and LOGIN is redacted" \
    "SASL mechanism PLAIN is not available: install the" \
    "IMAP > [0-9]* LOGIN <redacted>$"
probe "pop: no SASL plugins: USER and PASS instead" "ok TLSv1." -- \
    env SASL_PATH="$scratch/nosasl" pop --host "$FIX_HOST" \
    --port "$FIX_POP3S_PORT" --tls implicit --ca "$FIX_CA" "${login[@]}" \
    --trace
trace_has "pop: ... says why, and PASS is redacted" \
    "SASL mechanism PLAIN is not available: install the" \
    "POP > USER alice$" "POP > PASS <redacted>$"

# A TLS 1.1-only server.  OpenSSL's default security level forbids TLS 1.1,
# so the server lowers it; s_client proves it really speaks TLS 1.1.
mkfifo "$scratch/ssin" || exit 99
openssl s_server -tls1_1 -cipher 'DEFAULT@SECLEVEL=0' -accept 127.0.0.1:0 \
    -cert "$FIX_DIR/tls/server.crt" -key "$FIX_DIR/tls/server.key" \
    <"$scratch/ssin" >"$scratch/s_server.out" 2>&1 &
pids="$pids $!"
# s_server stops at the end of its stdin: keep the fifo open.
exec 8>"$scratch/ssin"
for i in $(seq 50); do
	old_port=$(sed -n 's/^ACCEPT .*:\([0-9]*\)$/\1/p' \
	    "$scratch/s_server.out")
	[ -n "$old_port" ] && break
	sleep 0.1
done
[ -n "$old_port" ] || { echo "openssl s_server did not start"; exit 99; }
if echo | timeout 10 openssl s_client -connect "127.0.0.1:$old_port" \
    -tls1_1 -cipher 'DEFAULT@SECLEVEL=0' 2>/dev/null |
    grep -q "Protocol  *: TLSv1.1"; then
	ok "the old server speaks TLS 1.1"
else
	not_ok "the old server speaks TLS 1.1"
fi
for proto in imap pop; do
	probe "$proto: TLS 1.1 refused" "error:" "TLS handshake failed" \
	    "protocol version" -- $proto --host 127.0.0.1 --port $old_port \
	    --tls implicit --ca "$FIX_CA" "${login[@]}"
done

# serve KIND: starts a fake server of netprobe's; sets fake_port.
serve()
{
	"$probe" serve "$1" >"$scratch/serve-$1" 2>&1 &
	pids="$pids $!"
	fake_port=
	for i in $(seq 50); do
		read -r fake_port <"$scratch/serve-$1"
		[ -n "$fake_port" ] && return 0
		sleep 0.1
	done
	echo "netprobe serve $1 did not start"
	exit 99
}

serve imap-inject
probe "imap: bytes injected after the STARTTLS OK refused" "error:" \
    "sent data right after agreeing to STARTTLS" -- imap --host 127.0.0.1 \
    --port $fake_port --tls starttls --ca "$FIX_CA" "${login[@]}"
serve pop-inject
probe "pop: bytes injected after the STLS +OK refused" "error:" \
    "sent data right after agreeing to STARTTLS" -- pop --host 127.0.0.1 \
    --port $fake_port --tls starttls --ca "$FIX_CA" "${login[@]}"

serve silent
for proto in imap pop; do
	for mode in implicit starttls; do
		t0=$(date +%s%N)
		probe "$proto $mode: a server that never speaks times out" \
		    "error:" "timed out after 2 s" -- $proto --host 127.0.0.1 \
		    --port $fake_port --tls $mode --timeout 2 --ca "$FIX_CA" \
		    "${login[@]}"
		ms=$((($(date +%s%N) - t0) / 1000000))
		if [ $ms -ge 1900 ] && [ $ms -lt 6000 ]; then
			ok "  ... after about 2 s ($ms ms)"
		else
			not_ok "  ... after about 2 s ($ms ms)"
		fi
	done
done

echo "1..$ntests"
[ $nfail = 0 ] || exit 1
exit 0
