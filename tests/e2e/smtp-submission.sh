# Submission with STARTTLS and AUTH (port-587 style): receipts go out over
# TLS and only then authenticate (PLAIN by default, LOGIN when pinned); a
# wrong password keeps the reply queued with the 535 until the password
# file is fixed, and it then goes out once; an unverifiable certificate
# keeps it queued; a server that offers no STARTTLS gets neither the
# password nor the mail (no downgrade to clear text).  The stack's
# OpenSMTPD has neither TLS nor AUTH, so submission-server.py plays the
# submission server and relays what it accepts to it.
. "$(dirname "$0")/lib.sh"
SUB_PID=
BARE_PID=
trap '[ -n "$SUB_PID" ] && kill $SUB_PID 2>/dev/null; [ -n "${QUOTA_PID:-}" ] && kill $QUOTA_PID ${STRICT_PID:-} 2>/dev/null
[ -n "$BARE_PID" ] && kill $BARE_PID 2>/dev/null; e2e_cleanup' EXIT

SMTP_USER=relay-user@example.test
SMTP_PW='sub mission-pass'

if ! e2e_start_stack unit-a@example.test unit-b@example.test \
    unit-c@example.test unit-d@example.test unit-e@example.test \
    unit-f@example.test unit-g@example.test; then
	fail mailstack-start "the local mail stack did not start"
	exit 1
fi
CAMPAIGN=$(e2e_campaign_open "$TOP/contrib/campaigns/fupin2020.campaign")
e2e_write_config "$CAMPAIGN"

# start_server NAME [options...]: runs submission-server.py in the
# background, logging to $WORK/NAME.log, its port in $WORK/NAME.port;
# sets STARTED_PID.
start_server() {
	name=$1; shift
	$PY "$TOP/tests/e2e/submission-server.py" \
	    --cert "$MAILSTACK_DIR/tls/server.crt" \
	    --key "$MAILSTACK_DIR/tls/server.key" \
	    --user "$SMTP_USER" --password "$SMTP_PW" \
	    --relay "127.0.0.1:$MAILSTACK_SMTP_PORT" \
	    --port-file "$WORK/$name.port" --log "$WORK/$name.log" \
	    "$@" 2>"$WORK/$name.stderr" &
	STARTED_PID=$!
	i=0
	while [ ! -s "$WORK/$name.port" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	test -s "$WORK/$name.port"
}
if ! start_server sub; then
	fail server-start "submission-server.py: $(cat "$WORK/sub.stderr")"
	exit 1
fi
SUB_PID=$STARTED_PID
if ! start_server bare --no-starttls; then
	fail server-start "submission-server.py --no-starttls: $(cat "$WORK/bare.stderr")"
	exit 1
fi
BARE_PID=$STARTED_PID
pass server-start
PORT=$(cat "$WORK/sub.port")
BARE_PORT=$(cat "$WORK/bare.port")

printf '%s\n' "$SMTP_PW" >"$WORK/smtp.pass"
printf '%s\n' 'not-the-password' >"$WORK/smtp-wrong.pass"
chmod 600 "$WORK/smtp.pass" "$WORK/smtp-wrong.pass"

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
smtp_config sub "url=smtp://localhost:$PORT" "starttls=true" \
    "ca_file=$MAILSTACK_CA" "user=$SMTP_USER" \
    "password_file=$WORK/smtp.pass"
smtp_config login "url=smtp://localhost:$PORT" "starttls=true" \
    "ca_file=$MAILSTACK_CA" "user=$SMTP_USER" "mechanism=login" \
    "password_file=$WORK/smtp.pass"
smtp_config wrong "url=smtp://localhost:$PORT" "starttls=true" \
    "ca_file=$MAILSTACK_CA" "user=$SMTP_USER" \
    "password_file=$WORK/smtp-wrong.pass"
smtp_config noca "url=smtp://localhost:$PORT" "starttls=true" \
    "user=$SMTP_USER" "password_file=$WORK/smtp.pass"
smtp_config bare "url=smtp://localhost:$BARE_PORT" "starttls=true" \
    "ca_file=$MAILSTACK_CA" "user=$SMTP_USER" \
    "password_file=$WORK/smtp.pass"
smtp_config remote "url=smtp://smtp.example.test:587" "starttls=false" \
    "user=$SMTP_USER" "password_file=$WORK/smtp.pass"

# A password over clear text to another machine is a configuration error.
"$SUBGATE" check-config -c "$WORK/remote.conf" >"$WORK/remote.out" 2>&1
check clear-auth-remote-refused test $? -ne 0
check clear-auth-remote-names-starttls grep -q 'starttls' "$WORK/remote.out"
"$SUBGATE" check-config -c "$WORK/sub.conf" >"$WORK/check.out" 2>&1
check submission-config-valid test $? -eq 0

# queued_json: the queued replies, as JSON lines
queued_json() {
	"$SUBGATE" outbox list -c "$WORK/sub.conf" --state queued --json
}
queued_count() {
	outbox_count "$WORK/sub.conf" --state queued
}
# conn_lines FILE CONN: that connection's lines of a server log
conn_lines() {
	grep "^conn $2: " "$1"
}
# conn_of FILE PATTERN: the connection of the last log line matching
conn_of() {
	grep -E "$2" "$1" | tail -n 1 | sed 's/^conn \([0-9]*\):.*/\1/'
}
# tls_before_auth FILE CONN MECH: that connection finished STARTTLS, then
# authenticated with MECH over TLS, then relayed a message.
tls_before_auth() {
	conn_lines "$1" "$2" | awk -v mech="$3" '
	    / starttls done / && !tls { tls = NR }
	    / auth / && !auth { auth = NR; line = $0 }
	    / message tls=yes .* relayed$/ && !msg { msg = NR }
	    END { exit !(tls && auth > tls && msg > auth &&
	        line ~ (" auth " mech " user=relay-user@example.test tls=yes ok$")) }'
}
# submit USER SUBJECT NAME N: USER submits a work; the campaign mailbox
# then holds N messages.
submit() {
	send_mail "$1" "$2" --attach "$(e2e_attach work $3.docx)"
	wait_mail campaign@example.test "$4"
}

# ---- STARTTLS, then AUTH (the client's pick), then the receipt ----
check submission-1-delivered submit unit-a@example.test \
    '扶贫征集-自荐-文字类-提交通道一' 提交通道一 1
"$SUBGATE" once -c "$WORK/sub.conf" >"$WORK/once1.log" 2>&1
check once-starttls-exit-0 test $? -eq 0
check starttls-receipt-arrives wait_mail unit-a@example.test 1
read_mailbox unit-a@example.test >"$WORK/a.json"
check starttls-receipt-subject grep -q '【已收到】FUPIN2020-00001 提交通道一' "$WORK/a.json"
C=$(conn_of "$WORK/sub.log" 'to=<unit-a@example.test> .*relayed$')
check starttls-then-auth-plain tls_before_auth "$WORK/sub.log" "$C" PLAIN
check starttls-envelope grep -q "^conn $C: message tls=yes auth=PLAIN:$SMTP_USER from=<campaign@example.test> to=<unit-a@example.test> " "$WORK/sub.log"
check starttls-nothing-in-clear lacks "$WORK/sub.log" 'tls=no'
check starttls-nothing-left-queued test "$(queued_count)" -eq 0

# ---- mechanism = login ----
check submission-2-delivered submit unit-b@example.test \
    '扶贫征集-自荐-文字类-提交通道二' 提交通道二 2
"$SUBGATE" once -c "$WORK/login.conf" >"$WORK/once2.log" 2>&1
check once-login-exit-0 test $? -eq 0
check login-receipt-arrives wait_mail unit-b@example.test 1
C=$(conn_of "$WORK/sub.log" 'to=<unit-b@example.test> .*relayed$')
check login-starttls-then-auth-login tls_before_auth "$WORK/sub.log" "$C" LOGIN
check login-envelope grep -q "^conn $C: message tls=yes auth=LOGIN:$SMTP_USER " "$WORK/sub.log"

# ---- wrong password: queued with the 535, then sent once when fixed ----
check submission-3-delivered submit unit-c@example.test \
    '扶贫征集-自荐-文字类-提交通道三' 提交通道三 3
"$SUBGATE" once -c "$WORK/wrong.conf" >"$WORK/once3.log" 2>&1
check once-wrong-password-exit-0 test $? -eq 0
queued_json >"$WORK/queued3.json"
check wrong-password-reply-queued test "$(grep -c '"id"' "$WORK/queued3.json")" -eq 1
check wrong-password-error-535 grep -q '"last_error":"[^"]*535' "$WORK/queued3.json"
check wrong-password-attempts-1 grep -q '"attempts":1,' "$WORK/queued3.json"
check wrong-password-refused-over-tls grep -q " auth PLAIN user=$SMTP_USER tls=yes failed$" "$WORK/sub.log"
sleep 1
check wrong-password-nothing-delivered test "$(mailbox_count unit-c@example.test)" -eq 0
cp "$WORK/smtp.pass" "$WORK/smtp-wrong.pass"
"$SUBGATE" outbox send -c "$WORK/wrong.conf" --now >"$WORK/send3.out" 2>&1
check fixed-password-send-exit-0 test $? -eq 0
check fixed-password-sends-one grep -q '^1 sent' "$WORK/send3.out"
check fixed-password-reply-arrives wait_mail unit-c@example.test 1
"$SUBGATE" outbox send -c "$WORK/wrong.conf" --now >"$WORK/send3b.out" 2>&1
check fixed-password-resend-sends-nothing grep -q '^0 sent' "$WORK/send3b.out"
sleep 1
check fixed-password-delivered-once test "$(mailbox_count unit-c@example.test)" -eq 1
check fixed-password-relayed-once test "$(grep -c 'to=<unit-c@example.test> .*relayed$' "$WORK/sub.log")" -eq 1

# ---- no ca_file: the certificate is not trusted, nothing is sent ----
AUTHS=$(grep -c ' auth ' "$WORK/sub.log")
check submission-4-delivered submit unit-d@example.test \
    '扶贫征集-自荐-文字类-提交通道四' 提交通道四 4
"$SUBGATE" once -c "$WORK/noca.conf" >"$WORK/once4.log" 2>&1
check once-noca-exit-0 test $? -eq 0
queued_json >"$WORK/queued4.json"
check noca-reply-queued test "$(grep -c '"id"' "$WORK/queued4.json")" -eq 1
check noca-error-names-certificate grep -qi 'certificate' "$WORK/queued4.json"
check noca-no-auth-attempted test "$(grep -c ' auth ' "$WORK/sub.log")" -eq "$AUTHS"
sleep 1
check noca-nothing-delivered test "$(mailbox_count unit-d@example.test)" -eq 0
"$SUBGATE" outbox send -c "$WORK/sub.conf" --now >"$WORK/send4.out" 2>&1
check noca-sent-with-ca grep -q '^1 sent' "$WORK/send4.out"
check noca-reply-arrives-later wait_mail unit-d@example.test 1

# ---- a server without STARTTLS: no downgrade to clear text ----
check submission-5-delivered submit unit-e@example.test \
    '扶贫征集-自荐-文字类-提交通道五' 提交通道五 5
"$SUBGATE" once -c "$WORK/bare.conf" >"$WORK/once5.log" 2>&1
check once-no-starttls-exit-0 test $? -eq 0
queued_json >"$WORK/queued5.json"
check no-starttls-reply-queued test "$(grep -c '"id"' "$WORK/queued5.json")" -eq 1
check no-starttls-error-names-tls grep -Eqi 'starttls|tls|ssl' "$WORK/queued5.json"
check no-starttls-server-reached grep -q ' connect from ' "$WORK/bare.log"
check no-starttls-no-auth-sent lacks "$WORK/bare.log" ' auth '
check no-starttls-no-mail-sent lacks "$WORK/bare.log" ' message '
sleep 1
check no-starttls-nothing-delivered test "$(mailbox_count unit-e@example.test)" -eq 0
"$SUBGATE" outbox send -c "$WORK/sub.conf" --now >"$WORK/send5.out" 2>&1
check no-starttls-sent-over-starttls grep -q '^1 sent' "$WORK/send5.out"
check no-starttls-reply-arrives-later wait_mail unit-e@example.test 1
check all-auth-over-tls sh -c "grep -q ' auth ' '$WORK/sub.log' &&
    ! grep ' auth ' '$WORK/sub.log' | grep -qv 'tls=yes'"

# ---- a 5xx about us (sending quota) keeps replies; one about the recipient fails it ----
if start_server quota --quota-exceeded && QUOTA_PID=$STARTED_PID &&
    start_server strict --unknown-rcpt unit-g@example.test; then
	STRICT_PID=$STARTED_PID
	smtp_config quota "url=smtp://localhost:$(cat "$WORK/quota.port")" \
	    "starttls=true" "ca_file=$MAILSTACK_CA" "user=$SMTP_USER" \
	    "password_file=$WORK/smtp.pass"
	smtp_config strict "url=smtp://localhost:$(cat "$WORK/strict.port")" \
	    "starttls=true" "ca_file=$MAILSTACK_CA" "user=$SMTP_USER" \
	    "password_file=$WORK/smtp.pass"
	check submission-6-delivered submit unit-f@example.test \
	    '扶贫征集-自荐-文字类-提交通道六' 提交通道六 6
	"$SUBGATE" once -c "$WORK/quota.conf" >"$WORK/once6.log" 2>&1
	check quota-5xx-reply-stays-queued test "$(queued_count)" -eq 1
	check quota-5xx-not-failed test "$(outbox_count "$WORK/sub.conf" \
	    --state failed)" -eq 0
	"$SUBGATE" outbox send -c "$WORK/sub.conf" --now >"$WORK/send6.out" 2>&1
	check quota-reply-sent-later wait_mail unit-f@example.test 1
	check submission-7-delivered submit unit-g@example.test \
	    '扶贫征集-自荐-文字类-提交通道七' 提交通道七 7
	"$SUBGATE" once -c "$WORK/strict.conf" >"$WORK/once7.log" 2>&1
	check unknown-recipient-reply-failed test "$("$SUBGATE" outbox list \
	    -c "$WORK/sub.conf" --state failed --json | grep -c 'unit-g@example.test')" -eq 1
	# The recipient's mailbox was fixed: staff put the reply back.
	"$SUBGATE" outbox requeue -c "$WORK/sub.conf" --state failed \
	    >"$WORK/requeue.out" 2>&1
	check requeue-failed grep -q '^1 requeued' "$WORK/requeue.out"
	"$SUBGATE" outbox send -c "$WORK/sub.conf" >"$WORK/send7.out" 2>&1
	check requeued-reply-delivered wait_mail unit-g@example.test 1
	"$SUBGATE" outbox requeue -c "$WORK/sub.conf" 1 >/dev/null 2>&1
	check requeue-leaves-sent-alone test $? -eq 65
	kill "$QUOTA_PID" "$STRICT_PID" 2>/dev/null
else
	fail server-start "submission-server.py --quota-exceeded/--unknown-rcpt"
fi
