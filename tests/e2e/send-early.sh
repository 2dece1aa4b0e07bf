# A reply goes out as soon as its message is committed, not after the rest
# of the batch.  Three submissions wait in the mailbox; subgate reaches
# Dovecot through tests/e2e/hold-imap.py, which holds the FETCH of the
# second message back for as long as the process lives, and is killed
# just after the SMTP server accepted a reply (crash point after-smtp).
# It can get there only by handing the first reply to SMTP while intake
# waits for the second message: when it dies, one message is committed,
# its reply is left sending and has reached the submitter.  Run again
# (straight to Dovecot), all three are filed and every reply is sent:
# each submitter has one reply, the first as two copies of one message
# (the window between the server's OK and the sent commit, crash.sh), and
# the three Message-IDs differ.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

if ! e2e_start_stack sub-1@example.test sub-2@example.test \
    sub-3@example.test; then
	fail mailstack-start "the local mail stack did not start"
	exit 1
fi
CAMPAIGN=$(e2e_campaign_open "$TOP/contrib/campaigns/fupin2020.campaign")

$PY "$TOP/tests/e2e/hold-imap.py" --port-file "$WORK/hold.port" \
    --upstream "127.0.0.1:$MAILSTACK_IMAP_PORT" \
    --hold '(?i)UID FETCH 2 \(?BODY' --release-file "$WORK/release" \
    --log "$WORK/hold.log" 2>"$WORK/hold.stderr" &
E2E_PIDS="$E2E_PIDS $!"
n=0
while [ ! -s "$WORK/hold.port" ] && [ $n -lt 100 ]; do
	sleep 0.1
	n=$((n + 1))
done
if [ ! -s "$WORK/hold.port" ]; then
	fail hold-start "hold-imap.py: $(cat "$WORK/hold.stderr")"
	exit 1
fi
# The IMAP timeout is far longer than the test waits: intake that waited
# for the held FETCH to time out before sending would be seen waiting.
HELD=$WORK/held.conf
e2e_write_config -o "$HELD" -u subgate.poll_interval \
    -s "imap.port=$(cat "$WORK/hold.port")" -s imap.timeout=600 "$CAMPAIGN"
e2e_write_config -u subgate.poll_interval "$CAMPAIGN"
CONF=$WORK/subgate.conf

for i in 1 2 3; do
	send_mail "sub-$i@example.test" "扶贫征集-自荐-文字类-第${i}篇" \
	    --attach "$(e2e_attach work 第${i}篇.docx)"
done
check submissions-delivered wait_mail campaign@example.test 3

SUBGATE_TEST_CRASH_POINT=after-smtp "$SUBGATE" once -c "$HELD" \
    >"$WORK/crash.log" 2>&1 &
pid=$!
# A bound to detect a hang, not a timing: the process dies at once, or
# never while the FETCH is held.
n=0
while kill -0 $pid 2>/dev/null && [ $n -lt 300 ]; do
	sleep 0.2
	n=$((n + 1))
done
if kill -0 $pid 2>/dev/null; then
	fail reply-sent-while-intake-waits "still alive after 60 s with the \
FETCH of the second message held: no reply was handed to SMTP"
	: >"$WORK/release"
	kill $pid
fi
wait $pid
rc=$?
check killed-after-smtp test $rc -eq 137
check second-fetch-held grep -q "^held " "$WORK/hold.log"
check held-until-death grep -q "^client gone" "$WORK/hold.log"
check one-message-committed test "$(sqlite3 "$WORK/subgate.db" \
    'SELECT COUNT(*) FROM messages')" -eq 1
check first-reply-left-sending test "$(sqlite3 "$WORK/subgate.db" \
    "SELECT state FROM outbox WHERE recipient = 'sub-1@example.test'")" = sending
check first-reply-delivered wait_mail sub-1@example.test 1
: >"$WORK/release"

"$SUBGATE" once -c "$CONF" >"$WORK/again.log" 2>&1
check rerun-exit-0 test $? -eq 0
check all-filed test "$(sqlite3 "$WORK/subgate.db" \
    'SELECT COUNT(*) FROM cases')" -eq 3
check all-sent test "$(outbox_count "$CONF" --state sent)" -eq 3
check nothing-else test "$(outbox_count "$CONF")" -eq 3
wait_mail sub-1@example.test 2
wait_mail sub-2@example.test 1
wait_mail sub-3@example.test 1
sleep 1
for i in 1 2 3; do
	read_mailbox "sub-$i@example.test" >"$WORK/got-$i.json"
done
check one-reply-each "$PY" -c '
import json, sys
ids = []
for path, copies in zip(sys.argv[1:4], (2, 1, 1)):
    got = [json.loads(l)["message_id"] for l in open(path) if l.strip()]
    if len(got) != copies or len(set(got)) != 1:
        sys.exit(1)
    ids.append(got[0])
sys.exit(0 if len(set(ids)) == 3 else 1)' \
    "$WORK/got-1.json" "$WORK/got-2.json" "$WORK/got-3.json"
