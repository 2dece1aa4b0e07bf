# The responder on the local mail stack: receipts and corrections arrive
# with the right headers and Chinese text; an SMTP server that is down
# delays replies and loses none; automatic mail, bounces and mailing-list
# mail get no reply (a bounce marks the reply bounced); two gateways, or a
# gateway and a careless auto-responder, stop after one exchange.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

if ! e2e_start_stack unit-a@example.test unit-b@example.test \
    lister@example.test vacation@example.test campaign-b@example.test; then
	fail mailstack-start "the local mail stack did not start"
	exit 1
fi
CAMPAIGN=$(e2e_campaign_open "$TOP/contrib/campaigns/fupin2020.campaign")
e2e_write_config "$CAMPAIGN"
CONF=$WORK/subgate.conf
# The same gateway, with its submission server unreachable.
e2e_write_config -o "$WORK/down.conf" -s smtp.url=smtp://127.0.0.1:1 "$CAMPAIGN"
outbox_field() {	# outbox_field STATE: count of replies in that state
	outbox_count "$CONF" --state "$1"
}

send_mail unit-a@example.test '扶贫征集-自荐-视频类(微视频)-星城大爱' \
    --from-name '星城人社局' --attach "$(e2e_attach video 星城大爱微视频.mp4 pad=200000)"
send_mail unit-b@example.test '扶贫征集 自荐 微视频 星城故事' --charset gb18030 \
    --from-name '某县扶贫办' --attach "$(e2e_attach form 作品.docx)"
check delivered-to-campaign wait_mail campaign@example.test 2

# --- SMTP down: replies wait in the outbox with backoff -------------------
"$SUBGATE" once -c "$WORK/down.conf" >"$WORK/down.log" 2>&1
check cycle-with-smtp-down-exit-0 test $? -eq 0
check replies-queued test "$(outbox_field queued)" -eq 2
"$SUBGATE" outbox list -c "$CONF" --json >"$WORK/list1.json"
$PY - "$WORK/list1.json" <<'PYEOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
def ok(name, cond, why=""):
    print(("PASS " if cond else "FAIL ") + name + ("" if cond else ": " + why))
ok("list-json-two", len(rows) == 2, repr(rows))
kinds = sorted(r["kind"] for r in rows)
ok("list-kinds", kinds == ["correction", "receipt"], repr(kinds))
ok("list-attempts", all(r["attempts"] == 1 for r in rows), repr(rows))
ok("list-backoff", all(r["next_attempt_at"] > 0 for r in rows), repr(rows))
ok("list-submission-id", all("@" in (r["submission_message_id"] or "") for r in rows), repr(rows))
ok("list-error-recorded", all("127.0.0.1:1" in (r["last_error"] or "") for r in rows), repr(rows))
PYEOF
check nothing-delivered-while-down test "$(mailbox_count unit-a@example.test)" -eq 0
"$SUBGATE" outbox send -c "$CONF" >"$WORK/send1.out" 2>&1
check send-respects-backoff grep -q '^0 sent' "$WORK/send1.out"
"$SUBGATE" outbox send -c "$CONF" --now >"$WORK/send2.out" 2>&1
check send-now-exit-0 test $? -eq 0
check send-now-sends-both grep -q '^2 sent' "$WORK/send2.out"
check receipt-arrives wait_mail unit-a@example.test 1
check correction-arrives wait_mail unit-b@example.test 1
"$SUBGATE" outbox send -c "$CONF" --now >"$WORK/send3.out" 2>&1
check resend-sends-nothing grep -q '^0 sent' "$WORK/send3.out"
"$SUBGATE" once -c "$CONF" >"$WORK/once2.log" 2>&1
sleep 1
check receipt-delivered-once test "$(mailbox_count unit-a@example.test)" -eq 1
check correction-delivered-once test "$(mailbox_count unit-b@example.test)" -eq 1
check outbox-all-sent test "$(outbox_field sent)" -eq 2
"$SUBGATE" outbox show -c "$CONF" 1 >"$WORK/show1.eml"
check show-prints-message grep -q '^Auto-Submitted: auto-replied' "$WORK/show1.eml"
check show-unknown-id sh -c "! '$SUBGATE' outbox show -c '$CONF' 999 2>/dev/null"

# --- What arrived, decoded as the submitters' mail clients decode it -----
read_mailbox unit-a@example.test >"$WORK/a.json"
read_mailbox unit-b@example.test >"$WORK/b.json"
$PY - "$WORK/a.json" "$WORK/b.json" "$(e2e_fixture mp4 variant=video pad=200000)" "$WORK/show1.eml" <<'PYEOF'
import email, email.policy, hashlib, json, re, sys
a = json.loads(open(sys.argv[1], encoding="utf-8").readline())
b = json.loads(open(sys.argv[2], encoding="utf-8").readline())
sha = hashlib.sha256(open(sys.argv[3], "rb").read()).hexdigest()
shown = email.message_from_bytes(open(sys.argv[4], "rb").read(), policy=email.policy.default)
def ok(name, cond, why=""):
    print(("PASS " if cond else "FAIL ") + name + ("" if cond else ": " + str(why)))
for tag, m in (("receipt", a), ("correction", b)):
    h = m["headers"]
    ok(tag + "-date", "Date" in h, h)
    ok(tag + "-from-name", "征集活动组委会" in m["from"], m["from"])
    ok(tag + "-auto-submitted", m["auto_submitted"] == "auto-replied", h)
    ok(tag + "-suppress", h.get("X-Auto-Response-Suppress") == "All", h)
    ok(tag + "-reply-to-staff", "info@hnmsw.com" in h.get("Reply-To", ""), h)
    ok(tag + "-in-reply-to", m["in_reply_to"].startswith("<") and m["in_reply_to"] in m["references"], h)
    ok(tag + "-message-id-from-case", m["message_id"].startswith("<" + tag + ".") and m["message_id"].endswith("@example.test>"), m["message_id"])
# The receipt number, then a random part no one who has not seen it can
# guess (so no stranger can name it in a forged bounce).
ok("receipt-message-id", re.fullmatch(r"<receipt\.FUPIN2020-00001\.[0-9a-f]{16}@example\.test>", a["message_id"]) is not None, a["message_id"])
ok("receipt-to-name", "星城人社局" in a["to"], a["to"])
ok("receipt-subject", a["subject"] == "【已收到】FUPIN2020-00001 星城大爱", a["subject"])
ok("receipt-body-greeting", a["body"].startswith("星城人社局您好："), a["body"])
ok("receipt-body-number", "回执编号：FUPIN2020-00001" in a["body"], a["body"])
ok("receipt-body-sha256", sha in a["body"] and "星城大爱微视频.mp4" in a["body"], a["body"])
ok("receipt-body-arrival-beijing", "（北京时间）" in a["body"], a["body"])
ok("receipt-body-fields", "类别：视频类(微视频)" in a["body"], a["body"])
ok("correction-subject", b["subject"].startswith("【请更正】扶贫征集 自荐 微视频 星城故事（查询码 ") and b["subject"].endswith("）"), b["subject"])
ok("correction-to-name-gb18030", "某县扶贫办" in b["to"], b["to"])
ok("correction-body-diagnostics", "规定的邮件主题格式" in b["body"] and "示例：扶贫征集-" in b["body"], b["body"])
# What is wrong, said as it is, and one line to copy, built from the subject
ok("correction-body-separator", "各部分之间请用“-”连接（不要用空格）。" in b["body"], b["body"])
ok("correction-body-line-to-copy", "\n请将邮件主题改为：扶贫征集-自荐-视频类(微视频)-星城故事\n" in b["body"], b["body"])
ok("correction-body-deadline", "征集截止时间：2099年12月31日24时（北京时间）" in b["body"], b["body"])
for tag, m in (("receipt", a), ("correction", b)):
    ok(tag + "-signed-by-office", "联系人：谢甜甜（人才就业社保信息报社）15874066157" in m["body"] and "湖南省人力资源和社会保障厅" in m["body"] and "subgate" not in m["body"], m["body"])
ok("show-is-what-was-sent", shown["Message-ID"] in (a["message_id"], b["message_id"]), shown["Message-ID"])
PYEOF

# --- No reply to automatic mail, bounces or lists ---------------------------
send_mail unit-a@example.test '自动回复：【已收到】FUPIN2020-00001 星城大爱' \
    --body '您好，我正在休假，稍后回复。'
send_mail lister@example.test '扶贫征集-自荐-文字类-列表转发' \
    --header 'List-Id: <fupin.lists.example.test>' --attach "$(e2e_attach form 列表转发.docx)"
# A bounce for the receipt, sent as bounces are: MAIL FROM:<>, an RFC
# 3464 report naming the receipt as it went out, and its recipient.
receipt_id=$(sqlite3 "$WORK/subgate.db" "SELECT reply_message_id FROM outbox \
    WHERE kind='receipt' AND state='sent' ORDER BY id LIMIT 1")
check receipt-sent-before-bounce test -n "$receipt_id"
$PY - "$MAILSTACK_SMTP_PORT" "$receipt_id" <<'PYEOF'
import smtplib, sys
dsn = b"""From: MAILER-DAEMON@mx.example.test (Mail Delivery System)
To: campaign@example.test
Subject: Undelivered Mail Returned to Sender
Message-ID: <bounce-e2e@mx.example.test>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

Your message could not be delivered.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.test

Final-Recipient: rfc822; unit-a@example.test
Action: failed
Status: 5.1.1

--B
Content-Type: text/rfc822-headers

From: campaign@example.test
To: unit-a@example.test
Message-ID: <RECEIPT-ID>

--B--
""".replace(b"RECEIPT-ID", sys.argv[2].encode())
with smtplib.SMTP("127.0.0.1", int(sys.argv[1])) as s:
    s.sendmail("", ["campaign@example.test"], dsn.replace(b"\n", b"\r\n"))
PYEOF
check automatic-mail-delivered wait_mail campaign@example.test 5
"$SUBGATE" once -c "$CONF" >"$WORK/once3.log" 2>&1
check third-cycle-exit-0 test $? -eq 0
sleep 1
check no-reply-to-auto-reply test "$(mailbox_count unit-a@example.test)" -eq 1
check no-reply-to-list test "$(mailbox_count lister@example.test)" -eq 0
check dsn-marks-bounced test "$(outbox_field bounced)" -eq 1
check no-new-replies-queued test "$(outbox_field queued)" -eq 0
check ignored-recorded test "$(sqlite3 "$WORK/subgate.db" \
    "SELECT COUNT(*) FROM messages WHERE outcome='ignored'")" -eq 3
check ignored-reasons sh -c "sqlite3 '$WORK/subgate.db' \"SELECT reason FROM messages WHERE outcome='ignored'\" | grep -q 'mailing list'"
check dsn-no-case test "$(find "$WORK/store" -name case.json | wc -l)" -eq 1

# --- Two gateways pointed at each other -----------------------------------
# Gateway B answers mail to campaign-b@; a submission to gateway A comes
# from campaign-b@, so A's receipt lands in B's mailbox.
mkdir -p "$WORK/b"
cp "$WORK/imap.pass" "$WORK/b/imap.pass"
e2e_write_config -o "$WORK/b/subgate.conf" -d "$WORK/b" \
    -u subgate.poll_interval -s imap.user=campaign-b@example.test \
    -s "imap.password_file=$WORK/b/imap.pass" \
    -s smtp.from=campaign-b@example.test -u smtp.from_name \
    "$(e2e_campaign_open "$TOP/contrib/campaigns/dangjiao-changzhou-2024.campaign")"
before_a=$(mailbox_count campaign@example.test)
send_mail campaign-b@example.test '扶贫征集-自荐-文字类-回声' --attach "$(e2e_attach form 回声.docx)"
check echo-delivered wait_mail campaign@example.test $((before_a + 1))
for round in 1 2 3; do
	"$SUBGATE" once -c "$CONF" >>"$WORK/a-rounds.log" 2>&1
	sleep 1
	"$SUBGATE" once -c "$WORK/b/subgate.conf" >>"$WORK/b-rounds.log" 2>&1
	sleep 1
done
check gateway-a-answered-once test "$(mailbox_count campaign-b@example.test)" -eq 1
check gateway-b-answered-nothing test "$(sqlite3 "$WORK/b/subgate.db" "SELECT COUNT(*) FROM outbox")" -eq 0
check gateway-b-ignored-receipt test "$(sqlite3 "$WORK/b/subgate.db" \
    "SELECT outcome FROM messages")" = ignored
check gateway-a-got-nothing-back test "$(mailbox_count campaign@example.test)" -eq $((before_a + 1))

# --- A careless auto-responder (marks nothing, threads its answers) --------
responder() {
	$PY - "$MAILSTACK_IMAP_PORT" "$MAILSTACK_SMTP_PORT" "$PW" "$WORK/answered" <<'PYEOF'
import email, email.policy, imaplib, os, smtplib, sys
from email.message import EmailMessage
imap_port, smtp_port, pw, state = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
done = set(open(state).read().split()) if os.path.exists(state) else set()
imap = imaplib.IMAP4("127.0.0.1", imap_port)
imap.login("vacation@example.test", pw)
imap.select("INBOX", readonly=True)
for uid in (imap.uid("SEARCH", None, "ALL")[1][0] or b"").split():
    if uid.decode() in done:
        continue
    raw = imap.uid("FETCH", uid, "(BODY.PEEK[])")[1][0][1]
    m = email.message_from_bytes(raw, policy=email.policy.default)
    r = EmailMessage()
    r["From"] = "vacation@example.test"
    r["To"] = "campaign@example.test"
    r["Subject"] = "Re: " + str(m["Subject"])
    r["In-Reply-To"] = m["Message-ID"]
    r["References"] = (str(m.get("References", "")) + " " + m["Message-ID"]).strip()
    r.set_content("收到，谢谢。")
    with smtplib.SMTP("127.0.0.1", smtp_port) as s:
        s.send_message(r)
    done.add(uid.decode())
imap.logout()
open(state, "w").write("\n".join(done))
PYEOF
}
before_a=$(mailbox_count campaign@example.test)
send_mail vacation@example.test '我的投稿' --attach "$(e2e_attach form 作品.docx)"
check vacation-mail-delivered wait_mail campaign@example.test $((before_a + 1))
for round in 1 2 3; do
	"$SUBGATE" once -c "$CONF" >>"$WORK/a-rounds.log" 2>&1
	sleep 1
	responder
	sleep 1
done
check careless-responder-one-reply test "$(mailbox_count vacation@example.test)" -eq 1
check careless-responder-answered-once test "$(mailbox_count campaign@example.test)" -eq $((before_a + 2))
check careless-answer-ignored sh -c "sqlite3 '$WORK/subgate.db' \"SELECT reason FROM messages WHERE sender='vacation@example.test' AND outcome='ignored'\" | grep -q 'without any attachment'"

# --- A correction answered with 回复 --------------------------------------
# The clerk presses 回复 on the correction, mends the subject between our
# tags and sends the file again: the subject is judged without the tags,
# and neither the title nor the receipt carries them.
read_mailbox unit-b@example.test >"$WORK/b-all.json"
fixed=$($PY - "$WORK/b-all.json" <<'PYEOF'
import json, sys
m = json.loads(open(sys.argv[1], encoding="utf-8").readline())
s = m["subject"]
print("回复：" + s.replace("扶贫征集 自荐 微视频 星城故事", "扶贫征集-自荐-视频类(微视频)-脱贫故事") + "\t" + m["message_id"])
PYEOF
)
fixed_subject=${fixed%%	*}
correction_id=${fixed#*	}
before_reply=$(mailbox_count campaign@example.test)
check reply-subject-built sh -c "echo '$fixed_subject' | grep -q '^回复：【请更正】扶贫征集-自荐-视频类(微视频)-脱贫故事（查询码 '"
send_mail unit-b@example.test "$fixed_subject" --charset gb18030 \
    --from-name '某县扶贫办' --header "In-Reply-To: $correction_id" \
    --header "References: $correction_id" \
    --attach "$(e2e_attach story 脱贫故事.mp4)"
# delivered before the gateway looks, however slow the machine
check reply-delivered wait_mail campaign@example.test $((before_reply + 1))
"$SUBGATE" once -c "$CONF" >"$WORK/once-reply.log" 2>&1
check reply-cycle-exit-0 test $? -eq 0
check reply-to-correction-receipt wait_mail unit-b@example.test 2
read_mailbox unit-b@example.test >"$WORK/b-all2.json"
check reply-to-correction-subject sh -c "tail -n 1 '$WORK/b-all2.json' | grep -q '\"subject\": \"【已收到】FUPIN2020-[0-9]* 脱贫故事\"'"
check reply-to-correction-fields sh -c "grep -l '\"作品名称\":\"脱贫故事\"' \$(find '$WORK/store' -name case.json) | grep -q ."
check reply-to-correction-accepted test "$(sqlite3 "$WORK/subgate.db" \
    "SELECT COUNT(*) FROM cases WHERE title='脱贫故事' AND status='accepted'")" -eq 1
