# IMAP over TLS is verified: IMAPS and STARTTLS work with the stack's CA,
# and fail with a clear certificate error (exit 75, no case) when the CA is
# not trusted or the host name is not the certificate's.
. "$(dirname "$0")/lib.sh"
PROXY_PID=
trap '[ -n "$PROXY_PID" ] && kill $PROXY_PID 2>/dev/null; e2e_cleanup' EXIT

if ! e2e_start_stack unit-a@example.test; then
	fail mailstack-start "the local mail stack did not start"
	exit 1
fi
# The text is a work file: a mail without one would be answered with a
# correction, not a receipt.
CAMPAIGN=$(e2e_campaign_open "$TOP/contrib/campaigns/fupin2020.campaign")
e2e_write_config "$CAMPAIGN"

# imap_config NAME KEY=VALUE...: $WORK/NAME.conf, the test config with
# these [imap] keys (and the campaign login).
imap_config() {
	name=$1; shift
	for kv; do
		set -- "$@" -s "imap.$kv"
		shift
	done
	e2e_write_config -o "$WORK/$name.conf" "$@" "$CAMPAIGN"
}

# once NAME: one cycle with $WORK/NAME.conf; exit code in $rc, log in
# $WORK/NAME.log.
once() {
	"$SUBGATE" once -c "$WORK/$1.conf" >"$WORK/$1.log" 2>&1
	rc=$?
}

ncases() {
	find "$WORK/store" -name case.json 2>/dev/null | wc -l
}

# A TCP relay on 127.0.0.2 to the stack: the same server, reached under a
# name (an address) its certificate does not carry.
$PY - "$MAILSTACK_IMAPS_PORT" "$MAILSTACK_IMAP_PORT" "$WORK/relay.ports" <<'PYEOF' &
import socket, sys, threading
def pipe(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d:
                break
            b.sendall(d)
    except OSError:
        pass
    finally:
        for s in (a, b):
            try: s.shutdown(socket.SHUT_RDWR)
            except OSError: pass
def serve(lsock, port):
    while True:
        c, _ = lsock.accept()
        u = socket.create_connection(("127.0.0.1", port))
        for x, y in ((c, u), (u, c)):
            threading.Thread(target=pipe, args=(x, y), daemon=True).start()
ports = []
for target in map(int, sys.argv[1:3]):
    l = socket.socket()
    l.bind(("127.0.0.2", 0))
    l.listen(8)
    ports.append(l.getsockname()[1])
    threading.Thread(target=serve, args=(l, target), daemon=True).start()
with open(sys.argv[3] + ".tmp", "w") as f:
    f.write("%d %d\n" % tuple(ports))
import os
os.rename(sys.argv[3] + ".tmp", sys.argv[3])
threading.Event().wait(120)
PYEOF
PROXY_PID=$!

send_mail unit-a@example.test '扶贫征集-自荐-文字类-我的扶贫路' --body '一篇文章' \
    --attach "$(e2e_attach work 我的扶贫路.docx)"
check delivered-to-campaign-mailbox wait_mail campaign@example.test 1

i=0
while [ ! -s "$WORK/relay.ports" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
read -r RELAY_IMAPS RELAY_IMAP <"$WORK/relay.ports"

# No ca_file: the system trust store does not know the stack's CA.
imap_config untrusted "host=localhost" "port=$MAILSTACK_IMAPS_PORT" \
    "tls=imaps"
once untrusted
check untrusted-exit-75 test "$rc" -eq 75
check untrusted-says-why grep -q 'certificate verify failed: .*issuer.*(host localhost)' \
    "$WORK/untrusted.log"
check untrusted-no-case none_under "$WORK/store" case.json

# The right CA, but a name the certificate does not carry.
imap_config wrongname "host=127.0.0.2" "port=$RELAY_IMAPS" "tls=imaps" \
    "ca_file=$MAILSTACK_CA"
once wrongname
check wrong-name-exit-75 test "$rc" -eq 75
check wrong-name-says-why grep -q 'certificate verify failed: .*name.*(host 127.0.0.2)' \
    "$WORK/wrongname.log"
check wrong-name-no-case none_under "$WORK/store" case.json

# STARTTLS is verified the same way.
imap_config wrongname-starttls "host=127.0.0.2" "port=$RELAY_IMAP" \
    "tls=starttls" "ca_file=$MAILSTACK_CA"
once wrongname-starttls
check starttls-wrong-name-exit-75 test "$rc" -eq 75
check starttls-wrong-name-says-why grep -q 'certificate verify failed: .*(host 127.0.0.2)' \
    "$WORK/wrongname-starttls.log"
check starttls-wrong-name-no-case none_under "$WORK/store" case.json

# A ca_file that is not there is named.
imap_config noca "host=localhost" "port=$MAILSTACK_IMAPS_PORT" "tls=imaps" \
    "ca_file=$WORK/missing-ca.crt"
once noca
check missing-ca-file-exit-75 test "$rc" -eq 75
check missing-ca-file-named grep -q "ca_file $WORK/missing-ca.crt" "$WORK/noca.log"

# IMAPS with the stack's CA, by the certificate's DNS name: the mail is
# processed and answered.
imap_config imaps "host=localhost" "port=$MAILSTACK_IMAPS_PORT" "tls=imaps" \
    "ca_file=$MAILSTACK_CA"
once imaps
check imaps-exit-0 test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$WORK/imaps.log"
check imaps-fetched-one grep -q 'cycle: 1 fetched, 1 accepted' "$WORK/imaps.log"
check imaps-case-made test "$(ncases)" -eq 1
check imaps-receipt-delivered wait_mail unit-a@example.test 1

# By the certificate's IP address (SAN IP 127.0.0.1).
imap_config imaps-ip "host=127.0.0.1" "port=$MAILSTACK_IMAPS_PORT" \
    "tls=imaps" "ca_file=$MAILSTACK_CA"
once imaps-ip
check imaps-by-address-exit-0 test "$rc" -eq 0

# STARTTLS on the plain port, with the CA: a second mail is processed, and
# Dovecot saw a TLS login.
send_mail unit-a@example.test '扶贫征集-自荐-文字类-第二篇' --body '又一篇' \
    --attach "$(e2e_attach work 第二篇.docx)"
check second-delivered wait_mail campaign@example.test 2
imap_config starttls "host=localhost" "port=$MAILSTACK_IMAP_PORT" \
    "tls=starttls" "ca_file=$MAILSTACK_CA"
tls_logins() {
	grep -c 'imap-login: .*Login: .*, TLS' "$MAILSTACK_DIR/log/dovecot.log"
}
before=$(tls_logins)
once starttls
check starttls-exit-0 test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$WORK/starttls.log"
check starttls-fetched-one grep -q 'cycle: 1 fetched, 1 accepted' "$WORK/starttls.log"
check starttls-two-cases test "$(ncases)" -eq 2
check starttls-login-was-tls test "$(tls_logins)" -eq $((before + 1))
