# A message over the campaign's size limit gets a notice and stays in the
# mailbox; a message that keeps failing is quarantined after a bounded
# number of attempts instead of blocking the ones after it.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

if ! e2e_start_stack big@example.test bad@example.test good@example.test; then
	fail mailstack-start "the local mail stack did not start"
	exit 1
fi
CAMPAIGN=$(e2e_campaign_open "$TOP/contrib/campaigns/fupin2020.campaign")
sed -i '/^\[policy\]/a max_message_size = 100K' "$CAMPAIGN"
e2e_write_config "$CAMPAIGN"

# --- too large ----------------------------------------------------------------
send_mail big@example.test '扶贫征集-自荐-视频类(微视频)-大作品' \
    --attach "$(e2e_attach big 大作品.mp4 pad=400000)"
wait_mail campaign@example.test 1
"$SUBGATE" once -c "$WORK/subgate.conf" >"$WORK/once1.log" 2>&1
check too-large-cycle-ok test $? -eq 0
check too-large-outcome test "$(sqlite3 "$WORK/subgate.db" \
    "SELECT outcome FROM messages")" = too-large
check too-large-no-case none_under "$WORK/store" case.json
read_mailbox big@example.test --wait-for 1 >"$WORK/big.json"
check too-large-notice-delivered grep -q '超过了本次征集每封邮件 100.0 KB 的上限' "$WORK/big.json"
check too-large-notice-subject grep -q '邮件过大' "$WORK/big.json"
check too-large-stays-in-mailbox test "$(mailbox_count campaign@example.test)" -eq 1

# --- a message that keeps failing --------------------------------------------
send_mail bad@example.test '扶贫征集-自荐-文字类-总是失败' --attach "$(e2e_attach small 稿.docx)"
wait_mail campaign@example.test 2
for n in 1 2; do
	SUBGATE_TEST_FAIL_POINT=ingest "$SUBGATE" once -c "$WORK/subgate.conf" \
	    >"$WORK/fail$n.log" 2>&1
	check "failing-attempt-$n-retried-later" test $? -eq 75
	check "failing-attempt-$n-logged" grep -q "attempt $n of 3" "$WORK/fail$n.log"
done
send_mail good@example.test '扶贫征集-自荐-文字类-后来的稿' --attach "$(e2e_attach small 后来.docx)"
wait_mail campaign@example.test 3
SUBGATE_TEST_FAIL_POINT=ingest "$SUBGATE" once -c "$WORK/subgate.conf" \
    >"$WORK/fail3.log" 2>&1
check failing-third-attempt-quarantined grep -q 'quarantined after 3 failed attempts' "$WORK/fail3.log"
check quarantined-recorded-failed test "$(sqlite3 "$WORK/subgate.db" \
    "SELECT outcome FROM messages WHERE sender='bad@example.test'")" = failed
check quarantined-kept-for-staff test "$(ls "$WORK/store/fupin2020/_unaccepted" | wc -l)" -ge 2
"$SUBGATE" once -c "$WORK/subgate.conf" >"$WORK/after.log" 2>&1
check next-message-not-blocked test "$(sqlite3 "$WORK/subgate.db" \
    "SELECT outcome FROM messages WHERE sender='good@example.test'")" = accepted
check quarantined-not-retried test "$(sqlite3 "$WORK/subgate.db" \
    "SELECT COUNT(*) FROM messages WHERE sender='bad@example.test'")" -eq 1
