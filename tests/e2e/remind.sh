# Reminders before the deadline and the staff's daily summary, on the
# local mail stack: one roster unit sends its 新媒体作品 (the minimum),
# `remind --dry-run` shows who would get what and sends nothing, `remind`
# mails the units below their minimum at the mailboxes the roster lists
# (not the complete one, not a unit known by its @domain alone), a second
# run within the interval sends nothing, `summary` reaches the staff
# mailbox once a day, an answer to it is never forwarded back as a
# question, and `once` sends what [remind] at makes due, once per point.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

if [ ! -x "$SUBGATE" ]; then
	fail remind:subgate "$SUBGATE not built"
	exit 0
fi
if ! e2e_start_stack liyang@example.test jintan@example.test \
    staff@example.test; then
	fail remind:mailstack-start "the local mail stack did not start"
	exit 1
fi

# Changzhou (新媒体作品 at least 1 per unit), its roster giving mailboxes:
# 溧阳 and 金坛 a mailbox each, 武进 only its @domain.
T=$(printf '\t')
sed -e "s/$T*\$//" \
    -e "s/^溧阳市委组织部$T\\([^$T]*\\).*/溧阳市委组织部$T\\1${T}李明${T}0519-87221234${T}liyang@example.test/" \
    -e "s/^金坛区委组织部$T\\([^$T]*\\).*/金坛区委组织部$T\\1${T}王建国${T}0519-86660001${T}jintan@example.test/" \
    -e "s/^武进区委组织部$T\\([^$T]*\\).*/武进区委组织部$T\\1${T}${T}${T}@wujin.example.test/" \
    "$TOP/contrib/campaigns/units/dangjiao-changzhou-2024.tsv" \
    >"$WORK/units/remind-e2e.tsv"
CAMPAIGN=$(e2e_campaign_open "$TOP/contrib/campaigns/dangjiao-changzhou-2024.campaign")
sed -i -e 's/^id *=.*/id = remind-e2e/' \
    -e 's|^roster *=.*|roster = units/remind-e2e.tsv|' \
    -e 's/^sender_check *=.*/sender_check = listed/' \
    -e 's/^\[campaign\]$/[campaign]\nstaff = staff@example.test/' \
    "$CAMPAIGN"
e2e_write_config "$CAMPAIGN"
CONF=$WORK/subgate.conf
"$SUBGATE" check-config -c "$CONF" >"$WORK/check.out" 2>&1
check remind:check-config test $? -eq 0
db() { sqlite3 "$WORK/subgate.db" "$1"; }

# 金坛 sends its 新媒体作品 with the form, from its listed mailbox.
send_mail jintan@example.test '新媒体作品报送' --from-name '金坛区委组织部' \
    --attach "$(e2e_attach work 山村新貌-新媒体作品-金坛区委组织部.jpg)" \
    --attach "$(e2e_attach form 报名表.docx)"
check remind:submission-delivered wait_mail campaign@example.test 1
"$SUBGATE" once -c "$CONF" >"$WORK/once1.log" 2>&1
check remind:once-exit-0 test $? -eq 0
check remind:receipt-arrives wait_mail jintan@example.test 1
check remind:case-filed test "$(db "SELECT COUNT(*) FROM cases
    WHERE unit = '金坛区委组织部' AND status = 'accepted'")" -eq 1

# --- a dry run: who would get what, nothing sent -----------------------------
"$SUBGATE" remind -c "$CONF" --dry-run >"$WORK/dry.out" 2>"$WORK/dry.err"
check remind:dry-exit-0 test $? -eq 0
check remind:dry-liyang-due grep -q "^remind-e2e${T}溧阳市委组织部${T}due${T}liyang@example.test\$" "$WORK/dry.out"
check remind:dry-jintan-met grep -q "^remind-e2e${T}金坛区委组织部${T}met${T}-\$" "$WORK/dry.out"
check remind:dry-wujin-no-address grep -q "^remind-e2e${T}武进区委组织部${T}no-address${T}-\$" "$WORK/dry.out"
check remind:dry-shows-subject grep -q '^主题：【报送提醒】溧阳市委组织部：' "$WORK/dry.out"
check remind:dry-shows-missing grep -q '新媒体作品：至少 1 件，现有 0 件，还差 1 件' "$WORK/dry.out"
check remind:dry-says-none-sent grep -q '^1 mails composed, none sent (dry run)$' "$WORK/dry.out"
check remind:dry-queues-nothing test "$(db "SELECT COUNT(*) FROM outbox
    WHERE kind = 'reminder'")" -eq 0
check remind:dry-records-nothing test "$(db "SELECT COUNT(*) FROM notices")" -eq 0

# --- the reminders ------------------------------------------------------------
"$SUBGATE" remind -c "$CONF" >"$WORK/remind1.out" 2>"$WORK/remind1.err"
check remind:exit-0 test $? -eq 0
check remind:one-queued grep -q '^1 queued$' "$WORK/remind1.out"
check remind:sent grep -q '^1 sent, 0 deferred' "$WORK/remind1.out"
check remind:arrives wait_mail liyang@example.test 1
read_mailbox liyang@example.test >"$WORK/liyang.json"
$PY - "$WORK/liyang.json" <<'PYEOF'
import json, sys
m = json.loads(open(sys.argv[1], encoding="utf-8").readline())
b = m["body"]
def ok(name, cond, why=""):
    print(("PASS " if cond else "FAIL ") + name + ("" if cond else ": " + str(why)))
ok("remind:mail-subject", m["subject"].startswith("【报送提醒】溧阳市委组织部：“全市党员教育作品观摩交流活动（常州）”将于") and m["subject"].endswith("截止"), m["subject"])
ok("remind:mail-to", "liyang@example.test" in m["to"] and "李明" in m["to"], m["to"])
ok("remind:mail-generated", m["auto_submitted"] == "auto-generated", m["headers"])
ok("remind:mail-no-thread", not m["in_reply_to"], m["in_reply_to"])
ok("remind:mail-greeting", b.startswith("溧阳市委组织部：\n\n您好！"), b[:80])
ok("remind:mail-deadline", "征集将于2099年12月31日24时截止" in b, b)
ok("remind:mail-nothing-yet", "尚未收到贵单位报送的作品" in b, b)
ok("remind:mail-missing", "新媒体作品：至少 1 件，现有 0 件，还差 1 件" in b, b)
ok("remind:mail-how", "作品附件的文件名请按以下格式命名：\n{作品名}-{分类}-{报送单位}" in b, b)
ok("remind:mail-own-unit", "报送单位：贵单位请写“溧阳市委组织部”" in b and "-溧阳市委组织部\n" in b, b)
ok("remind:mail-contact", "如有疑问，请联系：" in b, b)
ok("remind:mail-signature", "中共常州市委组织部\n" in b, b)
ok("remind:mail-no-program-name", "subgate" not in b.lower() and "subgate" not in m["subject"].lower(), b)
PYEOF
sleep 1
check remind:complete-unit-not-reminded test "$(mailbox_count jintan@example.test)" -eq 1
check remind:recorded test "$(db "SELECT COUNT(*) FROM notices
    WHERE kind = 'reminder' AND unit = '溧阳市委组织部'")" -eq 1
"$SUBGATE" outbox list -c "$CONF" --campaign remind-e2e >"$WORK/outbox.out"
check remind:outbox-lists-campaign grep -q "${T}sent${T}reminder${T}1${T}liyang@example.test${T}-${T}" "$WORK/outbox.out"

# --- a sender staff confirmed for 武进 (known by its @domain only): reached --
# What `cases confirm` records for a sender, written here for a unit that
# has sent nothing the gateway holds.
db "INSERT INTO unit_senders (campaign, unit, address, state, decided_by)
    VALUES ('remind-e2e', '武进区委组织部', 'clerk@wujin.example.test',
    'confirmed', 'staff')"
"$SUBGATE" remind -c "$CONF" --dry-run >"$WORK/dry2.out" 2>&1
check remind:confirmed-sender-due grep -q "^remind-e2e${T}武进区委组织部${T}due${T}clerk@wujin.example.test\$" "$WORK/dry2.out"
db "DELETE FROM unit_senders WHERE unit = '武进区委组织部'"

# --- again, within the interval: nothing ------------------------------------
"$SUBGATE" remind -c "$CONF" >"$WORK/remind2.out" 2>&1
check remind:again-exit-0 test $? -eq 0
check remind:again-recent grep -q "^remind-e2e${T}溧阳市委组织部${T}recent${T}-\$" "$WORK/remind2.out"
check remind:again-none-queued grep -q '^0 queued$' "$WORK/remind2.out"
sleep 1
check remind:again-no-mail test "$(mailbox_count liyang@example.test)" -eq 1

# --- the staff's summary --------------------------------------------------------
"$SUBGATE" summary -c "$CONF" --dry-run >"$WORK/sdry.out" 2>&1
check summary:dry-exit-0 test $? -eq 0
check summary:dry-shows grep -q '^主题：【每日汇总】全市党员教育作品观摩交流活动（常州）' "$WORK/sdry.out"
check summary:dry-records-nothing test "$(db "SELECT COUNT(*) FROM notices
    WHERE kind = 'summary'")" -eq 0
"$SUBGATE" summary -c "$CONF" >"$WORK/s1.out" 2>&1
check summary:exit-0 test $? -eq 0
check summary:arrives wait_mail staff@example.test 1
read_mailbox staff@example.test >"$WORK/staff.json"
$PY - "$WORK/staff.json" <<'PYEOF'
import json, sys
m = json.loads(open(sys.argv[1], encoding="utf-8").readline())
b = m["body"]
def ok(name, cond, why=""):
    print(("PASS " if cond else "FAIL ") + name + ("" if cond else ": " + str(why)))
ok("summary:subject", m["subject"].startswith("【每日汇总】全市党员教育作品观摩交流活动（常州）（"), m["subject"])
ok("summary:generated", m["auto_submitted"] == "auto-generated", m["headers"])
ok("summary:period", "（过去24小时）" in b, b)
ok("summary:mail-counted", "一、收到的邮件：1 封\n  已登记 1 封" in b, b)
ok("summary:work-counted", "二、新登记的作品：1 件" in b and "新媒体作品 1 件" in b and "金坛区委组织部 1 件" in b, b)
ok("summary:pending-units", "溧阳市委组织部：尚未报送（应报新媒体作品至少 1 件）" in b and "金坛区委组织部：" not in b, b)
ok("summary:no-program-name", "subgate" not in b.lower(), b)
PYEOF
"$SUBGATE" summary -c "$CONF" >"$WORK/s2.out" 2>&1
check summary:again-exit-0 test $? -eq 0
check summary:again-refused grep -q "today's summary was sent already" "$WORK/s2.out"
sleep 1
check summary:once-a-day test "$(mailbox_count staff@example.test)" -eq 1

# Staff answer the summary: never taken for a question, never forwarded.
summary_id=$(read_mailbox staff@example.test | $PY -c '
import json, sys
print(json.loads(sys.stdin.readline())["message_id"])')
send_mail staff@example.test 'Re: 【每日汇总】' \
    --header "In-Reply-To: $summary_id" --header "References: $summary_id" \
    --body '请问这个统计包括退回的邮件吗？'
check summary:answer-delivered wait_mail campaign@example.test 2
"$SUBGATE" once -c "$CONF" >"$WORK/once2.log" 2>&1
check summary:answer-ignored test "$(db "SELECT outcome FROM messages
    ORDER BY id DESC LIMIT 1")" = ignored
sleep 1
check summary:answer-not-forwarded test "$(mailbox_count staff@example.test)" -eq 1

# --- the schedule: [remind] at, in once and run ------------------------------
# The deadline three days ahead and a point a week before it: due now.
# No interval, so that only the point keeps it to once.
CLOSES=$(TZ=Asia/Shanghai date -d '+3 days' '+%Y-%m-%d')
sed -i -e "s/^closes *=.*/closes = $CLOSES 23:59:59/" "$CAMPAIGN"
printf '\n[remind]\ninterval = 0\nat = 7d\n' >>"$CAMPAIGN"
"$SUBGATE" check-config -c "$CONF" >"$WORK/check2.out" 2>&1
check schedule:check-config test $? -eq 0
"$SUBGATE" once -c "$CONF" >"$WORK/once3.log" 2>&1
check schedule:once-exit-0 test $? -eq 0
check schedule:reminder-arrives wait_mail liyang@example.test 2
check schedule:point-recorded test "$(db "SELECT COUNT(*) FROM notices
    WHERE kind = 'remind-point' AND point LIKE '7d@$CLOSES%'")" -eq 1
"$SUBGATE" once -c "$CONF" >"$WORK/once4.log" 2>&1
sleep 1
check schedule:once-per-point test "$(mailbox_count liyang@example.test)" -eq 2
check schedule:complete-unit-never test "$(mailbox_count jintan@example.test)" -eq 1
read_mailbox liyang@example.test >"$WORK/liyang2.json"
check schedule:deadline-as-written grep -q "$(TZ=Asia/Shanghai date -d '+3 days' '+%-m月%-d日24时')" "$WORK/liyang2.json"
