# A store too full to take a message is the environment failing, not the
# message: failed attempts are not counted against it (no quarantine, no
# lost reply), and once there is room it is processed normally.  The store
# is a small tmpfs; where mounting is not allowed the test says so.
. "$(dirname "$0")/lib.sh"
STORE_MNT=
trap '[ -n "$STORE_MNT" ] && umount "$STORE_MNT" 2>/dev/null; e2e_cleanup' EXIT

mkdir -p "$WORK/store"
if ! mount -t tmpfs -o size=48M tmpfs "$WORK/store" 2>/dev/null; then
	echo "SKIP imap-store-full: cannot mount a tmpfs here"
	exit 0
fi
STORE_MNT=$WORK/store
if ! e2e_start_stack unit@example.test; then
	fail mailstack-start "the local mail stack did not start"
	exit 1
fi
e2e_write_config "$(e2e_campaign_open "$TOP/contrib/campaigns/fupin2020.campaign")"
send_mail unit@example.test '扶贫征集-自荐-文字类-满盘' --attach "$(e2e_attach w 满盘.docx)"
wait_mail campaign@example.test 1

# 48 MiB free is under the reserve subgate keeps: every failure is the
# environment's.  (The failure itself is injected: a full disk is hard to
# make fail at exactly one place.)
for n in 1 2 3 4; do
	SUBGATE_TEST_FAIL_POINT=ingest "$SUBGATE" once -c "$WORK/subgate.conf" \
	    >"$WORK/full$n.log" 2>&1
	check "store-full-$n-retried-later" test $? -eq 75
	check "store-full-$n-says-why" grep -q 'store is nearly full: not counted' "$WORK/full$n.log"
done
check store-full-not-quarantined test "$(sqlite3 "$WORK/subgate.db" \
    'SELECT COUNT(*) FROM messages')" -eq 0
check store-full-no-attempts-counted test "$(sqlite3 "$WORK/subgate.db" \
    'SELECT COUNT(*) FROM attempts')" -eq 0
"$SUBGATE" once -c "$WORK/subgate.conf" >"$WORK/ok.log" 2>&1
check store-room-again-accepted test "$(sqlite3 "$WORK/subgate.db" \
    'SELECT outcome FROM messages')" = accepted
check store-room-again-receipt wait_mail unit@example.test 1
