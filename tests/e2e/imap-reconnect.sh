# Resilience of the IMAP side: `subgate run` survives the mail server going
# away while it waits in IDLE, reconnects once it is back and takes the
# mail sent meanwhile; a server that accepts but never answers costs one
# timeout, not a hang.
. "$(dirname "$0")/lib.sh"
RUN_PID=
trap '[ -n "$RUN_PID" ] && kill $RUN_PID 2>/dev/null; e2e_cleanup' EXIT

if ! e2e_start_stack unit-a@example.test; then
	fail mailstack-start "the local mail stack did not start"
	exit 1
fi
# The text is a work file: a mail without one would be answered with a
# correction, not a receipt.
CAMPAIGN=$(e2e_campaign_open "$TOP/contrib/campaigns/fupin2020.campaign")
e2e_write_config -s subgate.poll_interval=300 "$CAMPAIGN"

cases_are() {
	test "$(find "$WORK/store" -name case.json 2>/dev/null | wc -l)" -eq "$1"
}

wait_for() {
	limit=$(($1 * 5)); shift
	n=0
	while ! "$@"; do
		n=$((n + 1))
		[ $n -ge $limit ] && return 1
		sleep 0.2
	done
}

"$SUBGATE" run -c "$WORK/subgate.conf" >"$WORK/run.log" 2>&1 &
RUN_PID=$!
check first-cycle-done wait_for 15 grep -q 'cycle: 0 fetched' "$WORK/run.log"

ports_before=$(grep PORT "$WORK/stack/env")
"$MAILSTACK" stop "$WORK/stack" >/dev/null
check connection-loss-noticed wait_for 10 grep -q 'waiting for mail: ' "$WORK/run.log"
sleep 2
check restarted sh -c "'$MAILSTACK' start '$WORK/stack' >/dev/null"
check same-ports test "$(grep PORT "$WORK/stack/env")" = "$ports_before"
. "$WORK/stack/env"

send_mail unit-a@example.test '扶贫征集-自荐-文字类-我的扶贫路' --body '一篇文章' \
    --attach "$(e2e_attach work 我的扶贫路.docx)"
check mail-taken-after-restart wait_for 40 cases_are 1
[ -n "$(find "$WORK/store" -name case.json)" ] || cat "$WORK/run.log"
check receipt-delivered wait_mail unit-a@example.test 1
check backoff-logged grep -q 'next attempt in ' "$WORK/run.log"
check still-running kill -0 "$RUN_PID"
kill -TERM "$RUN_PID"
wait "$RUN_PID"
RUN_PID=

# A server that takes the connection and says nothing.
e2e_fake_imap silent --silent || exit 1
e2e_write_config -o "$WORK/silent.conf" -s subgate.poll_interval=300 \
    -s "imap.port=$FAKE_IMAP_PORT" -s imap.timeout=2 "$CAMPAIGN"
start=$(date +%s)
"$SUBGATE" once -c "$WORK/silent.conf" >"$WORK/silent.log" 2>&1
rc=$?
took=$(($(date +%s) - start))
check silent-server-exit-75 test "$rc" -eq 75
check silent-server-timed-out grep -q 'timed out after 2 s' "$WORK/silent.log"
check silent-server-within-10s test "$took" -le 10
