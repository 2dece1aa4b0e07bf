# One submission travels from IMAP to a case folder and back as a receipt,
# on the real local mail stack; a badly named one gets a correction mail;
# a second cycle does nothing twice.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

if ! e2e_start_stack unit-a@example.test unit-b@example.test; then
	fail mailstack-start "the local mail stack did not start"
	exit 1
fi
e2e_write_config "$(e2e_campaign_open "$TOP/contrib/campaigns/fupin2020.campaign")"

# Real works under Chinese names: a 1080p MP4 and a Word form, padded to
# round sizes.
e2e_fixture --out "$WORK/video.bin" mp4 pad=300000 >/dev/null
e2e_fixture --out "$WORK/form.bin" docx pad=20000 >/dev/null

send_mail unit-a@example.test '扶贫征集-自荐-视频类(微视频)-星城大爱' \
    --from-name '星城人社局' --charset utf-8 \
    --attach "$WORK/video.bin=星城大爱微视频.mp4" \
    --attach "$WORK/form.bin=报名表.docx"
# Bad subject, in GB18030 as Foxmail sends it.
send_mail unit-b@example.test '脱贫故事投稿 视频' --charset gb18030 \
    --attach "$WORK/form.bin=作品.docx"
check delivered-to-campaign-mailbox wait_mail campaign@example.test 2

"$SUBGATE" once -c "$WORK/subgate.conf" >"$WORK/once1.log" 2>&1
rc=$?
check first-cycle-exit-0 test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$WORK/once1.log"

casedir="$WORK/store/fupin2020/视频类(微视频)/FUPIN2020-00001-星城大爱"
check case-folder-exists test -d "$casedir"
check video-byte-identical cmp -s "$WORK/video.bin" "$casedir/星城大爱微视频.mp4"
check form-byte-identical cmp -s "$WORK/form.bin" "$casedir/报名表.docx"
check original-eml-kept test -s "$casedir/original.eml"

$PY - "$casedir/case.json" "$WORK/video.bin" "$WORK/form.bin" <<'PYEOF' >"$WORK/json.out" 2>&1
import hashlib, json, sys
c = json.load(open(sys.argv[1], encoding="utf-8"))
def sha(p): return hashlib.sha256(open(p, "rb").read()).hexdigest()
checks = {
    "case-json-receipt": c["receipt"] == "FUPIN2020-00001",
    "case-json-status": c["status"] == "accepted",
    "case-json-fields": c["fields"] == {"方式": "自荐", "类别": "视频类(微视频)", "作品名称": "星城大爱"},
    "case-json-from": c["from"] == "unit-a@example.test",
    "case-json-message-id": c["message_id"] != "" and "@" in c["message_id"],
    "case-json-received-at": c["received_at"].startswith("20"),
    "case-json-attachments": sorted((a["name"], a["size"], a["sha256"]) for a in c["attachments"]) ==
        sorted([("星城大爱微视频.mp4", 300000, sha(sys.argv[2])), ("报名表.docx", 20000, sha(sys.argv[3]))]),
}
for k, v in checks.items():
    print(("PASS " if v else "FAIL ") + k + ("" if v else ": " + json.dumps(c, ensure_ascii=False)))
PYEOF
cat "$WORK/json.out"

# Only one case folder: the badly named mail made none.
ncases=$(find "$WORK/store/fupin2020" -name case.json | wc -l)
check one-case-only test "$ncases" -eq 1
check rejected-mail-kept test "$(ls "$WORK/store/fupin2020/_unaccepted" | wc -l)" -eq 1

# The receipt, as unit A received it.
read_mailbox unit-a@example.test --wait-for 1 >"$WORK/unit-a.json"
$PY - "$WORK/unit-a.json" <<'PYEOF'
import json, sys
msgs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
def ok(name, cond, why=""):
    print(("PASS " if cond else "FAIL ") + name + ("" if cond else ": " + why))
ok("receipt-delivered", len(msgs) == 1, "%d messages" % len(msgs))
if msgs:
    m = msgs[0]
    ok("receipt-subject", "FUPIN2020-00001" in m["subject"] and "星城大爱" in m["subject"], m["subject"])
    ok("receipt-body-number", "回执编号：FUPIN2020-00001" in m["body"], m["body"])
    ok("receipt-body-files", "星城大爱微视频.mp4" in m["body"] and "报名表.docx" in m["body"], m["body"])
    ok("receipt-body-fields", "视频类(微视频)" in m["body"], m["body"])
    ok("receipt-auto-submitted", m["auto_submitted"] == "auto-replied", m["auto_submitted"])
    ok("receipt-in-reply-to", m["in_reply_to"].startswith("<") and m["in_reply_to"] in m["references"], m["in_reply_to"])
PYEOF

# The correction, as unit B received it.
read_mailbox unit-b@example.test --wait-for 1 >"$WORK/unit-b.json"
$PY - "$WORK/unit-b.json" <<'PYEOF'
import json, sys
msgs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
def ok(name, cond, why=""):
    print(("PASS " if cond else "FAIL ") + name + ("" if cond else ": " + why))
ok("correction-delivered", len(msgs) == 1, "%d messages" % len(msgs))
if msgs:
    m = msgs[0]
    ok("correction-subject", "请更正" in m["subject"] and "脱贫故事投稿" in m["subject"], m["subject"])
    ok("correction-body-format", "扶贫征集" in m["body"] and "作品名称" in m["body"], m["body"])
    ok("correction-auto-submitted", m["auto_submitted"] == "auto-replied", m["auto_submitted"])
PYEOF

# A second cycle processes nothing twice and sends nothing.
"$SUBGATE" once -c "$WORK/subgate.conf" >"$WORK/once2.log" 2>&1
check second-cycle-exit-0 test $? -eq 0
check second-cycle-fetched-nothing grep -q 'cycle: 0 fetched' "$WORK/once2.log"
ncases=$(find "$WORK/store/fupin2020" -name case.json | wc -l)
check second-cycle-no-new-case test "$ncases" -eq 1
sleep 1
check second-cycle-no-new-reply-a test "$(mailbox_count unit-a@example.test)" -eq 1
check second-cycle-no-new-reply-b test "$(mailbox_count unit-b@example.test)" -eq 1
check outbox-all-sent test "$(sqlite3 "$WORK/subgate.db" "SELECT COUNT(*) FROM outbox WHERE state='sent'")" -eq 2
check campaign-mailbox-untouched test "$(mailbox_count campaign@example.test)" -eq 2
