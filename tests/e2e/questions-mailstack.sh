# People who write back, on the local mail stack: a clerk who answers a
# correction with a question (no files) gets one acknowledgement
# (【已转工作人员】), the campaign's staff mailbox gets the question with
# Reply-To the clerk, and a second question within the interval is
# forwarded and recorded without a second acknowledgement; staff list
# them (questions list), mark one done, and see the open ones in the
# index and stats.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

if ! e2e_start_stack clerk@example.test staff@example.test; then
	fail mailstack-start "the local mail stack did not start"
	exit 1
fi
CAMPAIGN=$(e2e_campaign_open "$TOP/contrib/campaigns/fupin2020.campaign")
sed -i 's/^\[campaign\]$/[campaign]\nstaff = staff@example.test/' "$CAMPAIGN"
check campaign-has-staff grep -q '^staff = staff@example.test$' "$CAMPAIGN"
e2e_write_config "$CAMPAIGN"
CONF=$WORK/subgate.conf

# A submission that needs correcting.
send_mail clerk@example.test '脱贫故事投稿 视频' --from-name '某县扶贫办' \
    --attach "$(e2e_attach form 作品.docx)"
check submission-delivered wait_mail campaign@example.test 1
"$SUBGATE" once -c "$CONF" >"$WORK/once1.log" 2>&1
check once1-exit-0 test $? -eq 0
check correction-arrives wait_mail clerk@example.test 1
read_mailbox clerk@example.test >"$WORK/clerk1.json"
correction=$($PY - "$WORK/clerk1.json" <<'PYEOF'
import json, sys
m = json.loads(open(sys.argv[1], encoding="utf-8").readline())
print(m["subject"] + "\t" + m["message_id"])
PYEOF
)
correction_subject=${correction%%	*}
correction_id=${correction#*	}
check correction-subject sh -c "echo '$correction_subject' | grep -q '^【请更正】'"

# The clerk presses 回复 and asks, without files.
send_mail clerk@example.test "回复：$correction_subject" --from-name '某县扶贫办' \
    --header "In-Reply-To: $correction_id" --header "References: $correction_id" \
    --body '请问视频超过8分钟怎么办？

------------------ 原始邮件 ------------------
发件人: 征集活动组委会'
check question-delivered wait_mail campaign@example.test 2
"$SUBGATE" once -c "$CONF" >"$WORK/once2.log" 2>&1
check once2-exit-0 test $? -eq 0
check forward-arrives wait_mail staff@example.test 1
check acknowledgement-arrives wait_mail clerk@example.test 2
check question-recorded test "$(sqlite3 "$WORK/subgate.db" \
    "SELECT COUNT(*) FROM messages WHERE outcome='question'")" -eq 1
read_mailbox staff@example.test >"$WORK/staff1.json"
read_mailbox clerk@example.test >"$WORK/clerk2.json"
$PY - "$WORK/staff1.json" "$WORK/clerk2.json" <<'PYEOF'
import json, sys
f = json.loads(open(sys.argv[1], encoding="utf-8").readline())
ack = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8") if l.strip()][-1]
def ok(name, cond, why=""):
    print(("PASS " if cond else "FAIL ") + name + ("" if cond else ": " + str(why)))
h = f["headers"]
ok("forward-subject", f["subject"].startswith("【咨询】脱贫故事投稿 视频（查询码 ") and f["subject"].endswith("）"), f["subject"])
ok("forward-reply-to-clerk", "clerk@example.test" in h.get("Reply-To", ""), h)
ok("forward-to-staff", "staff@example.test" in f["to"], f["to"])
ok("forward-auto-submitted", f["auto_submitted"] == "auto-generated", h)
ok("forward-question", "请问视频超过8分钟怎么办？" in f["body"] and "原始邮件" not in f["body"], f["body"])
ok("forward-asker", "clerk@example.test" in f["body"], f["body"])
ok("ack-subject", ack["subject"].startswith("【已转工作人员】脱贫故事投稿 视频（查询码 "), ack["subject"])
ok("ack-body", "已作为咨询转交工作人员" in ack["body"] and "请问视频超过8分钟怎么办？" in ack["body"], ack["body"])
ok("ack-contacts", "联系人：" in ack["body"], ack["body"])
ok("ack-auto-submitted", ack["auto_submitted"] == "auto-replied", ack["headers"])
PYEOF

# A second question within the interval: forwarded and recorded, not
# acknowledged again.
send_mail clerk@example.test "回复：$correction_subject" \
    --header "In-Reply-To: $correction_id" --header "References: $correction_id" \
    --body '另外，作品可以用压缩包发送吗？'
check question2-delivered wait_mail campaign@example.test 3
"$SUBGATE" once -c "$CONF" >"$WORK/once3.log" 2>&1
check once3-exit-0 test $? -eq 0
check second-forward-arrives wait_mail staff@example.test 2
sleep 1
"$SUBGATE" outbox send -c "$CONF" --now >/dev/null 2>&1
sleep 1
check no-second-acknowledgement test "$(mailbox_count clerk@example.test)" -eq 2
check no-reply-queued-for-clerk test "$(sqlite3 "$WORK/subgate.db" \
    "SELECT COUNT(*) FROM outbox WHERE kind='question'")" -eq 1

# What staff see.
"$SUBGATE" questions list -c "$CONF" >"$WORK/list.txt"
check list-exit-0 test $? -eq 0
check list-shows-both test "$(grep -c 'clerk@example.test' "$WORK/list.txt")" -eq 2
check list-forwarded grep -q 'staff@example.test' "$WORK/list.txt"
"$SUBGATE" questions list -c "$CONF" --json --open >"$WORK/list.json"
$PY - "$WORK/list.json" <<'PYEOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
def ok(name, cond, why=""):
    print(("PASS " if cond else "FAIL ") + name + ("" if cond else ": " + str(why)))
ok("json-two-open", len(rows) == 2 and all(r["state"] == "open" for r in rows), rows)
ok("json-acknowledged-once", [r["acknowledged"] for r in rows] == [True, False], rows)
ok("json-answers-ref", all(r["answers"] and len(r["answers"]) == 8 for r in rows), rows)
ok("json-text", rows and rows[0]["text"] == "请问视频超过8分钟怎么办？", rows)
PYEOF
check index-lists-open grep -q '待答复的咨询（2）' "$WORK/store/fupin2020/index.html"
"$SUBGATE" stats -c "$CONF" >"$WORK/stats.txt"
check stats-counts-questions grep -q '咨询: 待答复 2，已处理 0' "$WORK/stats.txt"
check stats-outcome grep -q '咨询，已转工作人员 (question)' "$WORK/stats.txt"
"$SUBGATE" questions done -c "$CONF" 1 >"$WORK/done.out" 2>&1
check done-exit-0 test $? -eq 0
check done-unknown sh -c "! '$SUBGATE' questions done -c '$CONF' 99 2>/dev/null"
check open-after-done test "$("$SUBGATE" questions list -c "$CONF" --open | wc -l)" -eq 1
check index-after-done grep -q '待答复的咨询（1）' "$WORK/store/fupin2020/index.html"

# The clerk answers the acknowledgement: never answered, never a question.
read_mailbox clerk@example.test >"$WORK/clerk3.json"
ack_id=$($PY - "$WORK/clerk3.json" <<'PYEOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
print([r for r in rows if r["subject"].startswith("【已转工作人员】")][0]["message_id"])
PYEOF
)
send_mail clerk@example.test "Re: 【已转工作人员】" \
    --header "In-Reply-To: $ack_id" --header "References: $correction_id $ack_id" \
    --body '好的，那我等工作人员的消息？'
check answer-to-ack-delivered wait_mail campaign@example.test 4
"$SUBGATE" once -c "$CONF" >"$WORK/once4.log" 2>&1
sleep 1
check answer-to-ack-ignored test "$(sqlite3 "$WORK/subgate.db" \
    "SELECT outcome FROM messages ORDER BY id DESC LIMIT 1")" = ignored
check answer-to-ack-not-forwarded test "$(mailbox_count staff@example.test)" -eq 2
check answer-to-ack-not-answered test "$(mailbox_count clerk@example.test)" -eq 2

# A question is answered by staff, never judged again as a submission.
check reprocess-leaves-questions sh -c "! '$SUBGATE' reprocess -c '$CONF' --status question 2>/dev/null"
