# Decision mail: `cases reject|accept --notify` queues a mail to the
# submitter together with the decision; it arrives (through the outbox and
# the daemon's cycle) threaded under the submission, with the decision, the
# reason, the corrected fields and the receipt.  Without --notify nobody is
# told; a case that got no receipt cannot be notified, and then the
# decision is not made either.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

if ! e2e_start_stack unit-a@example.test; then
	fail mailstack-start "the local mail stack did not start"
	exit 1
fi
CAMPAIGN=$(e2e_campaign_open "$TOP/contrib/campaigns/fupin2020.campaign")
e2e_write_config "$CAMPAIGN"
C=$WORK/subgate.conf
noutbox() {
	sqlite3 "$WORK/subgate.db" "SELECT COUNT(*) FROM outbox"
}

send_mail unit-a@example.test '扶贫征集-自荐-文字类-我的扶贫路' \
    --from-name '星城人社局' --attach "$(e2e_attach work 我的扶贫路.docx)"
check submission-delivered wait_mail campaign@example.test 1
"$SUBGATE" once -c "$C" >"$WORK/once1.log" 2>&1
check receipt-arrives wait_mail unit-a@example.test 1
R=FUPIN2020-00001

# ---- without --notify: recorded, nobody told ----
"$SUBGATE" cases accept -c "$C" "$R" --reason '材料齐全' >"$WORK/plain.out" 2>&1
check plain-accept-exit-0 test $? -eq 0
check plain-accept-queues-nothing test "$(noutbox)" -eq 1

# ---- reject --notify ----
USER=reviewer-a "$SUBGATE" cases reject -c "$C" "$R" --notify \
    --reason '作品名称与附件内容不符，请核对后重新投稿' \
    --set '作品名称=山里的孩子' >"$WORK/reject.out" 2>&1
check reject-notify-exit-0 test $? -eq 0
check reject-notify-says-queued grep -q "decision mail to unit-a@example.test queued" "$WORK/reject.out"
check reject-notify-queued test "$(sqlite3 "$WORK/subgate.db" \
    "SELECT kind || '|' || state || '|' || recipient FROM outbox WHERE id = 2")" = \
    'decision-rejected|queued|unit-a@example.test'
check reject-recorded-with-mail test "$(sqlite3 "$WORK/subgate.db" \
    "SELECT status FROM cases WHERE receipt = '$R'")" = rejected
"$SUBGATE" cases show -c "$C" "$R" >"$WORK/show.txt" 2>&1
check show-lists-decision-mail grep -q 'decision-rejected -> unit-a@example.test: queued' "$WORK/show.txt"
"$SUBGATE" outbox show -c "$C" 2 >"$WORK/decision.eml"
check outbox-show-decision grep -q '^Auto-Submitted: auto-replied' "$WORK/decision.eml"
"$SUBGATE" outbox send -c "$C" >"$WORK/send.out" 2>&1
check outbox-send-sends-decision grep -q '^1 sent' "$WORK/send.out"
check reject-mail-arrives wait_mail unit-a@example.test 2

# ---- accept --notify, delivered by the daemon's cycle ----
"$SUBGATE" cases accept -c "$C" "$R" --notify --reason '已核实，予以受理' \
    >"$WORK/accept.out" 2>&1
check accept-notify-exit-0 test $? -eq 0
"$SUBGATE" once -c "$C" >"$WORK/once2.log" 2>&1
check accept-mail-arrives wait_mail unit-a@example.test 3

read_mailbox unit-a@example.test >"$WORK/a.json"
$PY - "$WORK/a.json" "$R" <<'PYEOF'
import json, sys
mails = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
receipt = sys.argv[2]
def ok(name, cond, why=""):
    print(("PASS " if cond else "FAIL ") + name + ("" if cond else ": " + str(why)))
ok("three-mails", len(mails) == 3, [m["subject"] for m in mails])
first, rej, acc = mails[0], mails[1], mails[2]
ok("reject-subject", rej["subject"] == "【审核未通过】%s 山里的孩子" % receipt, rej["subject"])
b = rej["body"]
ok("reject-body-greeting", b.startswith("星城人社局您好："), b)
ok("reject-body-receipt", "回执编号：%s" % receipt in b, b)
ok("reject-body-decision", "审核结果：未通过，已退回" in b, b)
ok("reject-body-reason", "原因：作品名称与附件内容不符，请核对后重新投稿" in b, b)
ok("reject-body-correction", "工作人员更正了以下登记信息：\n  作品名称：山里的孩子" in b, b)
ok("reject-body-fields", "登记信息：" in b and "类别：文字类" in b, b)
ok("reject-body-contact", "info@hnmsw.com" in b, b)
ok("reject-threaded", rej["in_reply_to"] == first["in_reply_to"] and rej["in_reply_to"].startswith("<"), (rej["in_reply_to"], first["in_reply_to"]))
ok("reject-auto-submitted", rej["auto_submitted"] == "auto-replied", rej["headers"])
ok("reject-message-id", rej["message_id"].startswith("<decision-rejected.") and rej["message_id"].endswith("@example.test>"), rej["message_id"])
ok("accept-subject", acc["subject"] == "【审核通过】%s 山里的孩子" % receipt, acc["subject"])
ok("accept-body-decision", "审核结果：通过，已受理" in acc["body"], acc["body"])
ok("accept-body-reason", "说明：已核实，予以受理" in acc["body"], acc["body"])
ok("accept-body-no-correction", "更正" not in acc["body"], acc["body"])
ok("subjects-unique", len({m["subject"] for m in mails}) == 3, [m["subject"] for m in mails])
ok("message-ids-unique", len({m["message_id"] for m in mails}) == 3, [m["message_id"] for m in mails])
PYEOF

# ---- no receipt, no notification, no decision ----
# Offline, with replies only to authenticated senders: the case gets no
# receipt, so --notify has no address it may write to.
mkdir -p "$WORK/noauth"
e2e_write_config -o "$WORK/noauth.conf" -d "$WORK/noauth" \
    -s smtp.require_authentication_results=true "$CAMPAIGN"
$PY "$SEND" --save "$WORK/noauth/sub.eml" --from unit-b@example.test \
    --to campaign@example.test --subject '扶贫征集-自荐-文字类-无回执' \
    --attach "$(e2e_attach work 无回执.docx)" >/dev/null
"$SUBGATE" ingest -c "$WORK/noauth.conf" "$WORK/noauth/sub.eml" >"$WORK/noauth/ingest.out" 2>&1
check noauth-case-made grep -q 'accepted' "$WORK/noauth/ingest.out"
"$SUBGATE" cases reject -c "$WORK/noauth.conf" FUPIN2020-00001 --notify \
    --reason '不符合要求' >"$WORK/noauth/reject.out" 2>&1
check noauth-notify-refused test $? -eq 69
check noauth-notify-says-why grep -q 'no receipt' "$WORK/noauth/reject.out"
check noauth-decision-not-made test "$(sqlite3 "$WORK/noauth/subgate.db" \
    "SELECT status || '|' || (SELECT COUNT(*) FROM case_reviews) || '|' || (SELECT COUNT(*) FROM outbox) FROM cases")" = 'accepted|0|0'
"$SUBGATE" cases reject -c "$WORK/noauth.conf" FUPIN2020-00001 \
    --reason '不符合要求' >/dev/null 2>&1
check noauth-decision-without-notify test $? -eq 0

# ---- --set takes only what the naming convention takes ----
# A category outside the list would be counted in no quota and no row of
# the 汇总表; one typed the way submitters type it is stored canonical.
before=$(sqlite3 "$WORK/subgate.db" "SELECT fields_json FROM cases WHERE receipt = '$R'")
"$SUBGATE" cases accept -c "$C" "$R" --set '类别=诗歌类' >"$WORK/set-bad.out" 2>&1
check set-unknown-value-refused test $? -eq 65
check set-unknown-value-says-why grep -q 'not a value the campaign takes for 类别' \
    "$WORK/set-bad.out"
check set-unknown-value-lists-values grep -q '视频类(微电影)' "$WORK/set-bad.out"
check set-unknown-value-not-stored test "$(sqlite3 "$WORK/subgate.db" \
    "SELECT fields_json FROM cases WHERE receipt = '$R'")" = "$before"
"$SUBGATE" cases accept -c "$C" "$R" --set '类别=视频类（微视频）' >"$WORK/set-alias.out" 2>&1
check set-alias-exit-0 test $? -eq 0
check set-alias-stored-canonical sh -c "sqlite3 '$WORK/subgate.db' \
    \"SELECT fields_json FROM cases WHERE receipt = '$R'\" | grep -q '视频类(微视频)'"
