# A submission server that accepts connections and then never answers does
# not stop intake: with replies due and the relay hanging, `subgate run`
# files every message while its sender thread tries three replies (a short
# timeout each), its circuit breaker opens (logged once) and leaves the
# relay alone; new mail is filed within a cycle or two; the replies stay
# queued, none lost.  A working relay then delivers each reply once.  The
# same relay coming back closes the breaker (logged), and a relay that
# hangs after the message (no final answer) costs one timeout, not
# minutes.  `once` starts no reply once its send budget after intake is
# spent, and SIGTERM lets the reply in hand finish and starts no other.
# tests/e2e/stalled-relay.py plays the relay; the local stack does intake
# and delivery.
. "$(dirname "$0")/lib.sh"
RUN_PID=
RELAY_PID=
trap '[ -n "$RUN_PID" ] && kill $RUN_PID 2>/dev/null
[ -n "$RELAY_PID" ] && kill $RELAY_PID 2>/dev/null; e2e_cleanup' EXIT

N=8
units=
for i in $(seq 1 $N); do units="$units unit-$i@example.test"; done
# shellcheck disable=SC2086
if ! e2e_start_stack $units late@example.test back@example.test \
    slow@example.test busy-1@example.test busy-2@example.test \
    busy-3@example.test; then
	fail mailstack-start "the local mail stack did not start"
	exit 1
fi
CAMPAIGN=$(e2e_campaign_open "$TOP/contrib/campaigns/fupin2020.campaign")
# Each submission carries its article: a mail without a work file would
# be answered with a correction, not filed.

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
# cases_are N: the store holds N cases.
cases_are() {
	test "$(find "$WORK/store" -name case.json 2>/dev/null | wc -l)" -eq "$1"
}
# relay_log_count PATTERN: lines of the relay's log that match.
relay_log_count() {
	grep -c "$1" "$WORK/relay.log" 2>/dev/null || true
}
cycles() {
	grep -c 'cycle: ' "$WORK/run.log" 2>/dev/null || true
}

echo greeting >"$WORK/relay.mode"
$PY "$TOP/tests/e2e/stalled-relay.py" --mode-file "$WORK/relay.mode" \
    --relay "127.0.0.1:$MAILSTACK_SMTP_PORT" --port-file "$WORK/relay.port" \
    --log "$WORK/relay.log" 2>"$WORK/relay.stderr" &
RELAY_PID=$!
if ! wait_for 10 test -s "$WORK/relay.port"; then
	fail relay-start "stalled-relay.py: $(cat "$WORK/relay.stderr")"
	exit 1
fi
RELAY=smtp://127.0.0.1:$(cat "$WORK/relay.port")
# Two seconds for any answer, twenty seconds of sending a cycle.
STALLED=$WORK/stalled.conf
e2e_write_config -o "$STALLED" -s subgate.poll_interval=2 \
    -s "smtp.url=$RELAY" -s smtp.timeout=2 -s smtp.send_budget=20 "$CAMPAIGN"
# The same gateway, its replies through the stack's own OpenSMTPD.
GOOD=$WORK/good.conf
e2e_write_config -o "$GOOD" "$CAMPAIGN"

for i in $(seq 1 $N); do
	send_mail "unit-$i@example.test" "扶贫征集-自荐-文字类-第${i}篇" \
	    --body '一篇文章' \
	    --attach "$(e2e_attach work 第${i}篇.docx)"
done
check submissions-delivered wait_mail campaign@example.test $N

# --- The relay hangs: intake goes on -------------------------------------
"$SUBGATE" run -c "$STALLED" >"$WORK/run.log" 2>&1 &
RUN_PID=$!
check first-cycle-within-60s wait_for 60 grep -q 'cycle: ' "$WORK/run.log"
# Intake did not wait for the relay: every message is filed by the end of
# the first cycle, while the sender may still be trying.
check all-filed cases_are $N
check breaker-opened wait_for 60 grep -q \
    "$RELAY did not answer 3 times in a row" "$WORK/run.log"
check three-attempts-only test "$(relay_log_count ': connect')" -eq 3
check replies-queued test "$(outbox_count "$STALLED" --state queued)" -eq $N
check untried-not-counted test "$(sqlite3 "$WORK/subgate.db" \
    'SELECT COUNT(*) FROM outbox WHERE attempts = 0')" -eq $((N - 3))

before=$(cycles)
send_mail late@example.test '扶贫征集-自荐-文字类-迟到的一篇' --body '又一篇' \
    --attach "$(e2e_attach work 迟到的一篇.docx)"
check late-mail-filed-within-30s wait_for 30 cases_are $((N + 1))
after=$(cycles)
check late-mail-filed-within-two-cycles test $((after - before)) -le 2
# A few cycles more: the relay is left alone, and nothing is logged again.
check more-cycles wait_for 30 sh -c "test \$(grep -c 'cycle: ' '$WORK/run.log') -ge $((after + 3))"
check breaker-logged-once test "$(grep -c 'did not answer' "$WORK/run.log")" -eq 1
check relay-left-alone test "$(relay_log_count ': connect')" -eq 3
check all-replies-queued test "$(outbox_count "$STALLED" --state queued)" -eq $((N + 1))
check nothing-delivered test "$(mailbox_count unit-1@example.test)" -eq 0
check breaker-kept test "$(sqlite3 "$WORK/subgate.db" \
    "SELECT opened FROM smtp_breaker WHERE server = '$RELAY'")" -ge 1
kill -TERM "$RUN_PID"
check run-stops wait_for 15 sh -c "! kill -0 $RUN_PID 2>/dev/null"
wait "$RUN_PID"
check run-exit-0 test $? -eq 0
RUN_PID=
check no-failed-cycle lacks "$WORK/run.log" 'cycle failed'

# --- A working relay configured: every reply goes out once ----------------
"$SUBGATE" outbox send -c "$GOOD" --now >"$WORK/send-good.out" 2>&1
check good-relay-sends-all grep -q "^$((N + 1)) sent" "$WORK/send-good.out"
for u in $units late@example.test; do
	wait_mail "$u" 1
done
"$SUBGATE" once -c "$GOOD" >"$WORK/once-good.log" 2>&1
check once-after-exit-0 test $? -eq 0
sleep 1
once_each=1
for u in $units late@example.test; do
	[ "$(mailbox_count "$u")" -eq 1 ] || once_each=0
done
check every-reply-delivered-once test $once_each -eq 1
check all-sent test "$(outbox_count "$GOOD" --state sent)" -eq $((N + 1))

# --- The same relay comes back: the breaker closes ------------------------
send_mail back@example.test '扶贫征集-自荐-文字类-恢复之后' --body '第三篇' \
    --attach "$(e2e_attach work 恢复之后.docx)"
wait_mail campaign@example.test $((N + 2))
# Still hanging: the reply waits (the pause, or one more silent attempt).
"$SUBGATE" once -c "$STALLED" >"$WORK/once-back.log" 2>&1
check back-filed cases_are $((N + 2))
check back-queued test "$(outbox_count "$STALLED" --state queued)" -eq 1
echo relay >"$WORK/relay.mode"
"$SUBGATE" outbox send -c "$STALLED" --now >"$WORK/send-back.out" 2>&1
check back-sent grep -q '^1 sent' "$WORK/send-back.out"
check breaker-closed-logged grep -q "$RELAY answers again" "$WORK/send-back.out"
check breaker-forgotten test "$(sqlite3 "$WORK/subgate.db" \
    'SELECT COUNT(*) FROM smtp_breaker')" -eq 0
check back-delivered wait_mail back@example.test 1

# --- A relay that takes the message and never answers after it ------------
echo final >"$WORK/relay.mode"
send_mail slow@example.test '扶贫征集-自荐-文字类-无人应答' --body '第四篇' \
    --attach "$(e2e_attach work 无人应答.docx)"
wait_mail campaign@example.test $((N + 3))
start=$(date +%s)
"$SUBGATE" once -c "$STALLED" >"$WORK/once-final.log" 2>&1
rc=$?
took=$(($(date +%s) - start))
check final-once-exit-0 test $rc -eq 0
# Two seconds' timeout; libcurl alone would wait two minutes.
check final-wait-bounded test $took -le 30
check final-message-read test "$(relay_log_count 'message read, no answer')" -eq 1
check final-reply-queued test "$(sqlite3 "$WORK/subgate.db" \
    "SELECT state || ' ' || attempts FROM outbox WHERE recipient = 'slow@example.test'")" = 'queued 1'
echo relay >"$WORK/relay.mode"
"$SUBGATE" outbox send -c "$STALLED" --now >"$WORK/send-final.out" 2>&1
check final-sent grep -q '^1 sent' "$WORK/send-final.out"
wait_mail slow@example.test 1
sleep 1
check final-delivered-once test "$(mailbox_count slow@example.test)" -eq 1

# --- The send budget: no reply is started once it is spent ----------------
# Replies go out while intake goes on; the budget bounds what `once` waits
# for sending after intake.  Four seconds' timeout, five seconds of
# sending after intake (three tiny messages, filed long before the first
# silent attempt ends): the second attempt ends past the budget, so the
# third reply is not started (and the breaker, two failures in, stays
# closed).
echo greeting >"$WORK/relay.mode"
BUDGET=$WORK/budget.conf
e2e_write_config -o "$BUDGET" -u subgate.poll_interval -s "smtp.url=$RELAY" \
    -s smtp.timeout=4 -s smtp.send_budget=5 "$CAMPAIGN"
for i in 1 2 3; do
	send_mail "busy-$i@example.test" "扶贫征集-自荐-文字类-预算$i" --body '第五篇' \
	    --attach "$(e2e_attach work 预算$i.docx)"
done
wait_mail campaign@example.test $((N + 6))
connects=$(relay_log_count ': connect')
"$SUBGATE" once -c "$BUDGET" >"$WORK/once-budget.log" 2>&1
check budget-once-exit-0 test $? -eq 0
check budget-all-filed cases_are $((N + 6))
check budget-two-attempts test "$(relay_log_count ': connect')" -eq $((connects + 2))
check budget-logged grep -q '5 s of sending used up' "$WORK/once-budget.log"
check budget-breaker-closed lacks "$WORK/once-budget.log" 'did not answer'
check budget-replies-queued test "$(outbox_count "$BUDGET" --state queued)" -eq 3
echo relay >"$WORK/relay.mode"
"$SUBGATE" outbox send -c "$BUDGET" --now >"$WORK/send-budget.out" 2>&1
check budget-then-sent grep -q '^3 sent' "$WORK/send-budget.out"

# --- Asked to stop while sending: no further reply is started -------------
# systemd's stop waits 90 s; a budget's worth of silent attempts could
# outlast it.  The attempt under way ends (its own timeout), the others
# stay queued for the next start.  SIGTERM comes once the three messages
# are filed (the sender starts on the first reply as soon as it is
# committed), within the first attempt's six seconds.
echo greeting >"$WORK/relay.mode"
TERM_CONF=$WORK/term.conf
e2e_write_config -o "$TERM_CONF" -s subgate.poll_interval=2 \
    -s "smtp.url=$RELAY" -s smtp.timeout=6 -s smtp.send_budget=60 "$CAMPAIGN"
for i in 1 2 3; do
	send_mail "busy-$i@example.test" "扶贫征集-自荐-文字类-停止$i" --body '第六篇' \
	    --attach "$(e2e_attach work 停止$i.docx)"
done
wait_mail campaign@example.test $((N + 9))
connects=$(relay_log_count ': connect')
"$SUBGATE" run -c "$TERM_CONF" >"$WORK/run-term.log" 2>&1 &
RUN_PID=$!
check term-first-attempt wait_for 30 sh -c \
    "test \$(grep -c ': connect' '$WORK/relay.log') -gt $connects"
check term-all-filed wait_for 30 cases_are $((N + 9))
kill -TERM "$RUN_PID"
check term-stops-soon wait_for 15 sh -c "! kill -0 $RUN_PID 2>/dev/null"
wait "$RUN_PID"
RUN_PID=
check term-no-further-reply test "$(relay_log_count ': connect')" -eq $((connects + 1))
check term-replies-queued test "$(outbox_count "$TERM_CONF" --state queued)" -eq 3
