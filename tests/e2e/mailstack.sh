#!/bin/sh
# End-to-end test of contrib/mailstack/mailstack, the local Dovecot +
# OpenSMTPD pair the other end-to-end tests deliver through: a mail sent over
# SMTP must be readable over plain IMAP, IMAPS and STARTTLS with the stack's
# CA, TLS without that CA must fail verification, start must be idempotent
# and fast, OpenSMTPD must not wait on DNS, two stacks must coexist, and stop
# must leave no process behind.
# Prints "PASS name" / "FAIL name: why" per check; exits 1 if any failed.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
mailstack="$top/contrib/mailstack/mailstack"
# Seconds; generous for loaded CI machines, still a bound.
START_LIMIT=10
DELIVERY_LIMIT=20

failures=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; failures=$((failures + 1)); }
check() { # check NAME WHY CMD...
	name=$1 why=$2
	shift 2
	if "$@"; then pass "$name"; else fail "$name" "$why"; fi
}

if [ "$(id -u)" != 0 ]; then
	echo "SKIP mailstack: needs root"
	exit 0
fi
for tool in dovecot smtpd openssl swaks; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP mailstack: $tool not installed (contrib/install-deps)"
		exit 0
	fi
done

pythons=
for candidate in python3 /usr/bin/python3; do
	command -v "$candidate" >/dev/null 2>&1 || continue
	"$candidate" -c 'import ssl, imaplib' 2>/dev/null || continue
	real=$("$candidate" -c 'import os, sys; print(os.path.realpath(sys.executable))')
	case " $pythons " in *" $real "*) continue ;; esac
	pythons="$pythons $real"
done
[ -n "$pythons" ] || { echo "FAIL python: no python3 with ssl and imaplib"; exit 1; }
python=$(echo $pythons | cut -d' ' -f1)

stack1=$(mktemp -d /tmp/mailstack-test.XXXXXX)
stack2=$(mktemp -d /tmp/mailstack-test.XXXXXX)
cleanup() {
	sh "$mailstack" stop "$stack1" >/dev/null 2>&1
	sh "$mailstack" stop "$stack2" >/dev/null 2>&1
	rm -rf "$stack1" "$stack2"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

now_ms() { echo $(($(date +%s%N) / 1000000)); }

env_get() { # env_get DIR NAME
	sed -n "s/^$2=//p" "$1/env"
}

# session_alive PID: some non-zombie process still runs in that session.
session_alive() {
	ps -e -o sid= -o stat= | awk -v sid="$1" '$1 == sid && $2 !~ /^Z/ { n++ } END { exit !n }'
}

# stack_gone DIR PIDS: no live process of the recorded sessions, none
# mentioning DIR, and the ports closed.
stack_gone() {
	for pid in $2; do
		session_alive "$pid" && return 1
	done
	# DIR goes in through the environment so awk's own arguments do not match.
	ps -e -o stat= -o args= |
		STACK_DIR=$1 awk '$1 !~ /^Z/ && index($0, ENVIRON["STACK_DIR"]) { n++ } END { exit n }' ||
		return 1
	for port in $3; do
		port_open "$port" && return 1
	done
	return 0
}

port_open() {
	"$python" -c 'import socket, sys
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()
except OSError:
    sys.exit(1)' "$1"
}

recorded_pids() {
	cat "$1"/run/*.pid 2>/dev/null | cut -d' ' -f1
}

stack_ports() {
	echo "$(env_get "$1" MAILSTACK_IMAP_PORT) $(env_get "$1" MAILSTACK_IMAPS_PORT) $(env_get "$1" MAILSTACK_SMTP_PORT)"
}

# wait_for_mail MAILDIR TOKEN: poll until a delivered file contains TOKEN.
wait_for_mail() {
	ticks=$((DELIVERY_LIMIT * 10))
	while [ "$ticks" -gt 0 ]; do
		if grep -rlqF "$2" "$1/new" "$1/cur" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
		ticks=$((ticks - 1))
	done
	return 1
}

send_mail() { # send_mail SMTP_PORT FROM TO SUBJECT
	swaks --server "127.0.0.1:$1" --from "$2" --to "$3" \
		--header "Subject: $4" --body "body of $4" >/dev/null 2>&1
}

# --- start --------------------------------------------------------------

system_names=$(cat /etc/resolv.conf /etc/hosts | cksum)
t0=$(now_ms)
out1=$(sh "$mailstack" start "$stack1" 2>"$stack1.err")
rc=$?
elapsed=$(($(now_ms) - t0))
if [ "$rc" -eq 0 ]; then
	pass start
else
	fail start "exit $rc: $(tail -n 20 "$stack1.err")"
	exit 1
fi
rm -f "$stack1.err"
check start-fast "took ${elapsed}ms, limit ${START_LIMIT}s" \
	[ "$elapsed" -lt $((START_LIMIT * 1000)) ]
echo "# start took ${elapsed}ms"

missing=
for var in MAILSTACK_DIR MAILSTACK_IMAP_PORT MAILSTACK_IMAPS_PORT MAILSTACK_SMTP_PORT MAILSTACK_CA; do
	echo "$out1" | grep -q "^$var=." || missing="$missing $var"
done
check start-prints-env "missing:$missing" [ -z "$missing" ]
check env-file "DIR/env differs from start's output" [ "$out1" = "$(cat "$stack1/env")" ]

eval "$(echo "$out1" | grep '^MAILSTACK_[A-Z_]*=[A-Za-z0-9./_+-]*$')"
check env-dir "MAILSTACK_DIR=$MAILSTACK_DIR" [ "$MAILSTACK_DIR" = "$(cd "$stack1" && pwd -P)" ]
check env-ca "MAILSTACK_CA=$MAILSTACK_CA is not an absolute readable file" \
	sh -c 'case $1 in /*) [ -r "$1" ] ;; *) false ;; esac' sh "$MAILSTACK_CA"
distinct=$(printf '%s\n' "$MAILSTACK_IMAP_PORT" "$MAILSTACK_IMAPS_PORT" "$MAILSTACK_SMTP_PORT" | sort -u | wc -l)
check ports-distinct "ports $MAILSTACK_IMAP_PORT $MAILSTACK_IMAPS_PORT $MAILSTACK_SMTP_PORT" [ "$distinct" -eq 3 ]
for port in "$MAILSTACK_IMAP_PORT" "$MAILSTACK_IMAPS_PORT" "$MAILSTACK_SMTP_PORT"; do
	check "port-$port-accepts" "nothing listens on 127.0.0.1:$port" port_open "$port"
done

# OpenSMTPD looks up each client's address with its own resolver, DNS
# first: a name server that drops a query stalls a connection for 5 s.  In
# the stack's mount namespace it must read names from the hosts file only,
# and the machine's own files must stay as they were.
smtpd_lookup_is_file_only() {
	read -r leader _ <"$1/run/smtpd.pid" || return 1
	for pid in $(ps -e -o sid= -o pid= | awk -v sid="$leader" '$1 == sid { print $2 }'); do
		[ "$(nsenter -t "$pid" -m sed -n 's/^lookup[[:space:]]*//p' /etc/resolv.conf)" = file ] ||
			return 1
	done
}
if unshare --mount --propagation private true 2>/dev/null; then
	check smtpd-resolver-no-dns "an OpenSMTPD process of the stack may ask DNS" \
		smtpd_lookup_is_file_only "$stack1"
fi
check system-resolver-untouched "start changed /etc/resolv.conf or /etc/hosts" \
	[ "$(cat /etc/resolv.conf /etc/hosts | cksum)" = "$system_names" ]

pids1=$(recorded_pids "$stack1")
out_again=$(sh "$mailstack" start "$stack1" 2>/dev/null)
check start-idempotent-env "second start printed different env" [ "$out_again" = "$out1" ]
check start-idempotent-pids "second start replaced the daemons" \
	[ "$(recorded_pids "$stack1")" = "$pids1" ]

# --- users and delivery -------------------------------------------------

check adduser-unit "adduser unit-a failed" \
	sh "$mailstack" adduser "$stack1" unit-a@example.test unit-secret
check adduser-campaign "adduser campaign failed" \
	sh "$mailstack" adduser "$stack1" campaign@example.test campaign-secret

token="mailstack-test-$$-$(date +%s)"
check smtp-send "swaks could not send" \
	send_mail "$MAILSTACK_SMTP_PORT" unit-a@example.test campaign@example.test "$token"
inbox="$stack1/mail/campaign@example.test"
check delivered "no mail with $token in $inbox within ${DELIVERY_LIMIT}s" \
	wait_for_mail "$inbox" "$token"

# Plus-detail and upper case reach the same mailbox.
token2="$token-detail"
send_mail "$MAILSTACK_SMTP_PORT" unit-a@example.test Campaign+Round2@Example.test "$token2"
check delivered-detail-address "Campaign+Round2@Example.test did not reach campaign's INBOX" \
	wait_for_mail "$inbox" "$token2"

# --- IMAP ---------------------------------------------------------------

imap_checks() { # imap_checks PYTHON SUFFIX
	"$1" - "$2" "$MAILSTACK_IMAP_PORT" "$MAILSTACK_IMAPS_PORT" "$MAILSTACK_CA" "$token" <<'EOF'
import imaplib, ssl, sys

suffix, imap_port, imaps_port, ca, token = sys.argv[1:6]
imap_port, imaps_port = int(imap_port), int(imaps_port)
USER, PASSWORD = "campaign@example.test", "campaign-secret"

def report(name, ok, why=""):
    print("PASS %s%s" % (name, suffix) if ok else "FAIL %s%s: %s" % (name, suffix, why))

def find_token(conn):
    conn.login(USER, PASSWORD)
    typ, _ = conn.select("INBOX", readonly=True)
    if typ != "OK":
        return "select failed"
    typ, data = conn.search(None, "SUBJECT", token)
    ids = data[0].split() if typ == "OK" else []
    if not ids:
        return "no message with subject %s" % token
    typ, msg = conn.fetch(ids[0], "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    if typ != "OK" or token.encode() not in msg[0][1]:
        return "fetch did not return the subject"
    conn.logout()
    return None

def attempt(name, connect):
    try:
        why = find_token(connect())
    except Exception as e:
        why = "%s: %s" % (type(e).__name__, e)
    report(name, why is None, why)

with_ca = ssl.create_default_context(cafile=ca)

attempt("imap-plain-login", lambda: imaplib.IMAP4("127.0.0.1", imap_port))
attempt("imaps-verified", lambda: imaplib.IMAP4_SSL("127.0.0.1", imaps_port, ssl_context=with_ca))

def starttls():
    # "localhost" exercises the DNS name in the certificate, 127.0.0.1 above the IP.
    conn = imaplib.IMAP4("localhost", imap_port)
    conn.starttls(ssl_context=with_ca)
    return conn
attempt("imap-starttls-verified", starttls)

try:
    conn = imaplib.IMAP4("127.0.0.1", imap_port)
    conn.login(USER, "wrong-password")
    report("imap-wrong-password-refused", False, "login succeeded")
except imaplib.IMAP4.error:
    report("imap-wrong-password-refused", True)

try:
    imaplib.IMAP4_SSL("127.0.0.1", imaps_port, ssl_context=ssl.create_default_context()).logout()
    report("imaps-without-ca-refused", False, "handshake succeeded without the stack's CA")
except ssl.SSLCertVerificationError as e:
    report("imaps-without-ca-refused", "certificate verify failed" in str(e), str(e))
except Exception as e:
    report("imaps-without-ca-refused", False, "%s: %s" % (type(e).__name__, e))
EOF
}

n=0
for py in $pythons; do
	suffix=
	[ "$n" -gt 0 ] && suffix="[$py]"
	n=$((n + 1))
	result=$(imap_checks "$py" "$suffix" 2>&1)
	echo "$result"
	failures=$((failures + $(echo "$result" | grep -c '^FAIL ')))
	echo "$result" | grep -q '^PASS ' || fail "imap$suffix" "python printed no result"
done

# --- a second stack next to the first -----------------------------------

out2=$(sh "$mailstack" start "$stack2" 2>"$stack2.err")
rc=$?
if [ "$rc" -eq 0 ]; then
	pass second-stack-start
	check second-stack-env "start printed no MAILSTACK_DIR=$stack2" \
		sh -c 'echo "$1" | grep -qx "MAILSTACK_DIR=$2"' sh "$out2" "$(cd "$stack2" && pwd -P)"
	smtp2=$(env_get "$stack2" MAILSTACK_SMTP_PORT)
	check second-stack-own-ports "same SMTP port as the first stack" \
		[ "$smtp2" != "$MAILSTACK_SMTP_PORT" ]
	sh "$mailstack" adduser "$stack2" unit-b@example.test b-secret
	token3="$token-second"
	send_mail "$smtp2" campaign@example.test unit-b@example.test "$token3"
	check second-stack-delivers "mail sent to the second stack did not arrive" \
		wait_for_mail "$stack2/mail/unit-b@example.test" "$token3"
	check second-stack-separate "mail of the second stack reached the first" \
		sh -c 'test -d "$2/mail" && ! grep -rqF "$1" "$2/mail"' sh "$token3" "$stack1"
	pids2=$(recorded_pids "$stack2")
	ports2=$(stack_ports "$stack2")
	sh "$mailstack" stop "$stack2"
	check second-stack-stop "processes or ports of the second stack remain" \
		stack_gone "$stack2" "$pids2" "$ports2"
	check first-stack-survives "stopping the second stack hurt the first" \
		port_open "$MAILSTACK_SMTP_PORT"
else
	fail second-stack-start "exit $rc: $(tail -n 20 "$stack2.err")"
fi
rm -f "$stack2.err"

# --- stop, and start/stop twice more ------------------------------------

ports1=$(stack_ports "$stack1")
t0=$(now_ms)
sh "$mailstack" stop "$stack1"
rc=$?
echo "# stop took $(($(now_ms) - t0))ms"
check stop "exit $rc" [ "$rc" -eq 0 ]
check stop-no-process-left "processes or ports of the stack remain" \
	stack_gone "$stack1" "$pids1" "$ports1"
check status-stopped "status says running after stop" \
	sh -c '! sh "$1" status "$2" >/dev/null' sh "$mailstack" "$stack1"
check stop-again "stopping a stopped stack failed" sh "$mailstack" stop "$stack1"

for round in 1 2; do
	out=$(sh "$mailstack" start "$stack1" 2>&1)
	rc=$?
	check "restart-$round" "exit $rc: $out" [ "$rc" -eq 0 ]
	check "restart-$round-reuses-ports" "ports changed" [ "$(stack_ports "$stack1")" = "$ports1" ]
	check "restart-$round-keeps-mail" "earlier mail not readable after restart" \
		"$python" -c 'import imaplib, sys
c = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]))
c.login("campaign@example.test", "campaign-secret")
c.select("INBOX", readonly=True)
typ, data = c.search(None, "SUBJECT", sys.argv[2])
sys.exit(0 if typ == "OK" and data[0].split() else 1)' "$MAILSTACK_IMAP_PORT" "$token"
	pids=$(recorded_pids "$stack1")
	sh "$mailstack" stop "$stack1"
	check "restart-$round-stop" "processes or ports remain" \
		stack_gone "$stack1" "$pids" "$ports1"
done

[ "$failures" -eq 0 ]
