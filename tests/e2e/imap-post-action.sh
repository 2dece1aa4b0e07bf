# After its case is committed, a message can be moved to a folder (created
# on first use; a Chinese name travels as modified UTF-7) or flagged with a
# keyword.  Mail that made no case stays where it was, and \Seen is never
# touched.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

if ! e2e_start_stack good@example.test bad@example.test; then
	fail mailstack-start "the local mail stack did not start"
	exit 1
fi
CAMPAIGN=$(e2e_campaign_open "$TOP/contrib/campaigns/fupin2020.campaign")
e2e_write_config -s imap.post_action=move -s imap.post_folder=已处理 "$CAMPAIGN"

send_mail good@example.test '扶贫征集-自荐-图片类-山乡' --attach "$(e2e_attach w 山乡.jpg)"
send_mail bad@example.test '投稿' --attach "$(e2e_attach w 稿.jpg)"
wait_mail campaign@example.test 2
"$SUBGATE" once -c "$WORK/subgate.conf" >"$WORK/move.log" 2>&1
check move-cycle-ok test $? -eq 0
check move-case-made test -n "$(find "$WORK/store" -name case.json)"
# 已处理 in modified UTF-7
check moved-into-folder test "$(read_mailbox campaign@example.test \
    --folder '&XfJZBHQG-' --count --timeout 0)" -eq 1
read_mailbox campaign@example.test >"$WORK/inbox.json"
check rejected-stays-in-inbox test "$(wc -l <"$WORK/inbox.json")" -eq 1
check rejected-left-unread lacks "$WORK/inbox.json" Seen
"$SUBGATE" once -c "$WORK/subgate.conf" >"$WORK/move2.log" 2>&1
check move-second-cycle-nothing grep -q 'cycle: 0 fetched' "$WORK/move2.log"

# Flag instead of move.
e2e_write_config -s imap.post_action=flag -s imap.post_folder=已处理 "$CAMPAIGN"
send_mail good@example.test '扶贫征集-自荐-图片类-田野' --attach "$(e2e_attach w 田野.jpg)"
wait_mail campaign@example.test 2
"$SUBGATE" once -c "$WORK/subgate.conf" >"$WORK/flag.log" 2>&1
check flag-cycle-ok test $? -eq 0
read_mailbox campaign@example.test >"$WORK/inbox2.json"
check flagged-with-keyword $PY -c "
import json
m = [json.loads(l) for l in open('$WORK/inbox2.json')]
flagged = [x for x in m if '\$SubgateFiled' in x['flags']]
assert len(flagged) == 1 and '田野' in flagged[0]['subject'], m
assert all('\\\\Seen' not in x['flags'] for x in m), m
"
