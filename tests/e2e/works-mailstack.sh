# What a mail carries, on the local mail stack: mail as Foxmail and QQ
# Mail send it goes through OpenSMTPD into the campaign mailbox, `subgate
# once` fetches it over IMAP, and the answer is read from each submitter's
# own INBOX.  A GBK mail with only the registration form gets a correction
# that says no work was found, never a receipt; the same clerk's next mail
# with the work gets a receipt that lists each file with what it is, and
# says the work is 待核实: Changzhou knows no unit's mailbox until staff
# confirm it.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

if ! e2e_start_stack clerk@example.test unit@example.test; then
	fail mailstack-start "the local mail stack did not start"
	exit 1
fi
CAMPAIGN=$(e2e_campaign_open \
    "$TOP/contrib/campaigns/dangjiao-changzhou-2024.campaign")
e2e_write_config "$CAMPAIGN"
CONF=$WORK/subgate.conf

# Foxmail 7.2 writes GBK: the subject and the file name in GB encodings.
send_mail clerk@example.test '金坛区委组织部报送党员教育作品' --charset gbk \
    --from-name '金坛区委组织部 王芳' \
    --header 'X-Mailer: Foxmail 7.2.25.375[cn]' \
    --attach "$(e2e_attach form 报名表（一）初心如磐.docx)"
check form-only-delivered wait_mail campaign@example.test 1
"$SUBGATE" once -c "$CONF" >"$WORK/once1.log" 2>&1
check once-exit-0 test $? -eq 0
check correction-arrives wait_mail clerk@example.test 1
read_mailbox clerk@example.test >"$WORK/clerk1.json"

# The same clerk sends the work with its form and the unit's 汇总表.
send_mail clerk@example.test '金坛区委组织部报送党员教育作品（补发作品）' \
    --charset gbk --header 'X-Mailer: Foxmail 7.2.25.375[cn]' \
    --attach "$(e2e_attach video 初心如磐-纪录片-金坛区委组织部.mp4)" \
    --attach "$(e2e_attach form 报名表（一）初心如磐.docx)" \
    --attach "$(e2e_attach form 汇总表（盖章）.pdf)"
check work-delivered wait_mail campaign@example.test 2
"$SUBGATE" once -c "$CONF" >"$WORK/once2.log" 2>&1
check receipt-arrives wait_mail clerk@example.test 2
read_mailbox clerk@example.test >"$WORK/clerk2.json"
check one-case test "$(sqlite3 "$WORK/subgate.db" "SELECT COUNT(*) FROM cases")" -eq 1
check case-pending test "$(sqlite3 "$WORK/subgate.db" "SELECT status FROM cases")" = pending

$PY - "$WORK/clerk2.json" <<'PYEOF'
import json, sys
mails = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
def ok(name, cond, why=""):
    print(("PASS " if cond else "FAIL ") + name + ("" if cond else ": " + str(why)[:400]))
ok("two-replies", len(mails) == 2, len(mails))
first, second = mails[0], mails[-1]
b1, b2 = first["body"], second["body"]
ok("correction-subject", "请更正" in first["subject"] or "未能登记" in b1, first["subject"])
ok("correction-no-work", "本邮件只有报名表" in b1 and "没有找到作品文件" in b1, b1)
ok("correction-names-form", "报名表（一）初心如磐.docx" in b1, b1)
ok("correction-not-a-receipt", "已收到并登记" not in b1, b1)
ok("correction-format", "{作品名}-{分类}-{报送单位}" in b1, b1)
ok("receipt-registered", "已收到并登记" in b2, b2)
ok("receipt-work-file", "作品文件：初心如磐-纪录片-金坛区委组织部.mp4" in b2, b2)
ok("receipt-form", "报名表：报名表（一）初心如磐.docx" in b2, b2)
ok("receipt-summary", "汇总表：汇总表（盖章）.pdf" in b2, b2)
ok("receipt-warns-commentary", "请注意" in b2 and "未附解说词" in b2, b2)
ok("receipt-pending", "本邮箱（clerk@example.test）尚未登记为“金坛区委组织部”的报送邮箱。"
   "作品已登记，状态为“待核实”，工作人员确认后计入该单位名额；确认前不占名额。" in b2, b2)
PYEOF
