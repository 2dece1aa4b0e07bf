# SMTP over implicit TLS is verified: with the stack's CA a receipt is
# delivered; without it the reply stays queued with a certificate error
# and goes out once the CA is configured (outbox send --now); a host name
# the certificate does not carry is refused.  The stack's OpenSMTPD has
# no TLS, so tls-relay.py terminates TLS in front of it.
. "$(dirname "$0")/lib.sh"
RELAY_PID=
trap '[ -n "$RELAY_PID" ] && kill $RELAY_PID 2>/dev/null; e2e_cleanup' EXIT

if ! e2e_start_stack unit-a@example.test unit-b@example.test \
    unit-c@example.test; then
	fail mailstack-start "the local mail stack did not start"
	exit 1
fi
CAMPAIGN=$(e2e_campaign_open "$TOP/contrib/campaigns/fupin2020.campaign")
e2e_write_config "$CAMPAIGN"

$PY "$TOP/tests/e2e/tls-relay.py" --cert "$MAILSTACK_DIR/tls/server.crt" \
    --key "$MAILSTACK_DIR/tls/server.key" \
    --target "127.0.0.1:$MAILSTACK_SMTP_PORT" \
    --listen 127.0.0.1 --listen 127.0.0.2 \
    --ports-file "$WORK/relay.ports" 2>"$WORK/relay.log" &
RELAY_PID=$!
i=0
while [ ! -s "$WORK/relay.ports" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
PORT1=$(awk '$1 == "127.0.0.1" { print $2 }' "$WORK/relay.ports" 2>/dev/null)
PORT2=$(awk '$1 == "127.0.0.2" { print $2 }' "$WORK/relay.ports" 2>/dev/null)
if [ -z "$PORT1" ] || [ -z "$PORT2" ]; then
	fail relay-start "tls-relay.py did not start: $(cat "$WORK/relay.log")"
	exit 1
fi
pass relay-start

# smtp_config NAME KEY=VALUE...: $WORK/NAME.conf, the test config with
# these [smtp] keys.
smtp_config() {
	name=$1; shift
	for kv; do
		set -- "$@" -s "smtp.$kv"
		shift
	done
	e2e_write_config -o "$WORK/$name.conf" "$@" "$CAMPAIGN"
}
smtp_config tls "url=smtps://localhost:$PORT1" "ca_file=$MAILSTACK_CA"
smtp_config noca "url=smtps://localhost:$PORT1"
smtp_config badname "url=smtps://127.0.0.2:$PORT2" "ca_file=$MAILSTACK_CA"

# outbox_json STATE: the outbox entries in that state, as JSON lines
outbox_json() {
	"$SUBGATE" outbox list -c "$WORK/tls.conf" --state "$1" --json
}


# ---- verified: delivered ----
send_mail unit-a@example.test '扶贫征集-自荐-文字类-加密通道一' \
    --attach "$(e2e_attach work 加密通道一.docx)"
check submission-1-delivered wait_mail campaign@example.test 1
"$SUBGATE" once -c "$WORK/tls.conf" >"$WORK/once1.log" 2>&1
check once-tls-exit-0 test $? -eq 0
check tls-receipt-arrives wait_mail unit-a@example.test 1
read_mailbox unit-a@example.test >"$WORK/a.json"
check tls-receipt-subject grep -q '【已收到】FUPIN2020-00001 加密通道一' "$WORK/a.json"
check tls-went-through-relay grep -q "handshake done 127.0.0.1:$PORT1" "$WORK/relay.log"
check tls-outbox-sent test "$(outbox_json sent | grep -c '"receipt"')" -eq 1

# ---- CA not trusted: queued with a certificate error, nothing lost ----
send_mail unit-b@example.test '扶贫征集-自荐-文字类-加密通道二' \
    --attach "$(e2e_attach work 加密通道二.docx)"
check submission-2-delivered wait_mail campaign@example.test 2
"$SUBGATE" once -c "$WORK/noca.conf" >"$WORK/once2.log" 2>&1
check once-noca-exit-0 test $? -eq 0
outbox_json queued >"$WORK/queued2.json"
check noca-reply-queued test "$(grep -c '"id"' "$WORK/queued2.json")" -eq 1
check noca-error-names-certificate grep -qi 'certificate' "$WORK/queued2.json"
# Without ca_file the system trust store is used (libcurl-gnutls has no
# default of its own), which does not know the stack's private CA.
check noca-uses-system-store lacks "$WORK/queued2.json" 'CAfile: none'
check noca-error-logged grep -qi 'certificate' "$WORK/once2.log"
sleep 1
check noca-nothing-delivered test "$(mailbox_count unit-b@example.test)" -eq 0
"$SUBGATE" outbox send -c "$WORK/tls.conf" --now >"$WORK/send2.out" 2>&1
check send-now-with-ca-exit-0 test $? -eq 0
check send-now-with-ca-sends grep -q '^1 sent' "$WORK/send2.out"
check noca-reply-arrives-later wait_mail unit-b@example.test 1
check noca-nothing-left-queued test "$(outbox_count "$WORK/tls.conf" --state queued)" -eq 0

# ---- a host name the certificate does not carry ----
send_mail unit-c@example.test '扶贫征集-自荐-文字类-加密通道三' \
    --attach "$(e2e_attach work 加密通道三.docx)"
check submission-3-delivered wait_mail campaign@example.test 3
"$SUBGATE" once -c "$WORK/badname.conf" >"$WORK/once3.log" 2>&1
check once-badname-exit-0 test $? -eq 0
outbox_json queued >"$WORK/queued3.json"
check badname-reply-queued test "$(grep -c '"id"' "$WORK/queued3.json")" -eq 1
check badname-error-names-host grep -q '127.0.0.2' "$WORK/queued3.json"
check badname-error-is-name-check grep -Eqi 'subject name|host ?name|certificate' "$WORK/queued3.json"
# The relay was reached and the client said nothing over TLS (it gave up
# in or right after the handshake): refused by the name check, not a
# connection that failed.
check badname-refused-after-connecting grep -Eq "handshake failed 127.0.0.2:$PORT2|closed 127.0.0.2:$PORT2 from .*: 0 bytes from the client" "$WORK/relay.log"
sleep 1
check badname-nothing-delivered test "$(mailbox_count unit-c@example.test)" -eq 0
"$SUBGATE" outbox send -c "$WORK/tls.conf" --now >"$WORK/send3.out" 2>&1
check badname-reply-sent-under-right-name grep -q '^1 sent' "$WORK/send3.out"
check badname-reply-arrives-later wait_mail unit-c@example.test 1
