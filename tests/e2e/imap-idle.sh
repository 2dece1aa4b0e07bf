# `subgate run` waits in IMAP IDLE: with a poll interval of five minutes,
# new mail is still taken within seconds, twice in a row; SIGTERM stops it
# at once.
. "$(dirname "$0")/lib.sh"
RUN_PID=
trap '[ -n "$RUN_PID" ] && kill $RUN_PID 2>/dev/null; e2e_cleanup' EXIT

if ! e2e_start_stack unit-a@example.test; then
	fail mailstack-start "the local mail stack did not start"
	exit 1
fi
# The text is a work file: a mail without one would be answered with a
# correction, not a receipt.
# Over IMAPS: the wait also has to see data GnuTLS has already decrypted.
e2e_write_config -s subgate.poll_interval=300 -s imap.host=localhost \
    -s "imap.port=$MAILSTACK_IMAPS_PORT" -s imap.tls=imaps \
    -s "imap.ca_file=$MAILSTACK_CA" \
    "$(e2e_campaign_open "$TOP/contrib/campaigns/fupin2020.campaign")"

# cases_are N: the store holds N cases.
cases_are() {
	test "$(find "$WORK/store" -name case.json 2>/dev/null | wc -l)" -eq "$1"
}

# wait_for SECONDS COMMAND...: polls COMMAND every 0.2 s.
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

send_mail unit-a@example.test '扶贫征集-自荐-文字类-我的扶贫路' --body '一篇文章' \
    --attach "$(e2e_attach work 我的扶贫路.docx)"
check first-mail-taken-within-10s wait_for 10 cases_are 1
check first-receipt-delivered wait_mail unit-a@example.test 1

# Back in IDLE after the cycle: the next one is seen too.
send_mail unit-a@example.test '扶贫征集-自荐-文字类-第二篇' --body '又一篇' \
    --attach "$(e2e_attach work 第二篇.docx)"
check second-mail-taken-within-10s wait_for 10 cases_are 2
check second-receipt-delivered wait_mail unit-a@example.test 2

check still-running kill -0 "$RUN_PID"
kill -TERM "$RUN_PID"
check sigterm-stops-within-3s wait_for 3 sh -c "! kill -0 $RUN_PID 2>/dev/null"
wait "$RUN_PID"
check sigterm-exit-0 test $? -eq 0
RUN_PID=
check no-failed-cycle lacks "$WORK/run.log" failed
grep -q failed "$WORK/run.log" && cat "$WORK/run.log"
check three-cycles test "$(grep -c 'cycle: ' "$WORK/run.log")" -eq 3
