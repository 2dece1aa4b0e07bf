# What staff see of everything that arrived, on the local mail stack: a
# unit's work filed, its second over the unit's quota, a work for a
# category closed long ago, a mail with a subject that names nothing, a
# clerk's question in answer to its correction, and an automatic reply.
# Each mail that made no case is listed by `cases list --all` and on the
# index with its 查询码, sender, subject, outcome and what its sender was
# told (or why nothing); `cases show` finds the refused mail by the 查询码
# in the correction the clerk actually received, and shows the kept mail,
# whose name carries the code; stats counts the refusals by reason code
# and names the roster units that sent nothing or are below a minimum.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

if ! e2e_start_stack unit@example.test late@example.test \
    clerk@example.test robot@example.test; then
	fail mailstack-start "the local mail stack did not start"
	exit 1
fi
# Shuozhou (a roster of six counties, open to others), open now, with a
# quota of one work per unit, a minimum of one 优质慕课 per roster unit
# and 大家讲堂 closed long ago.
CAMPAIGN=$(e2e_campaign_open "$TOP/contrib/campaigns/xxqg-shuozhou-2019.campaign")
sed -i -e 's/^sender_check = off$/sender_check = off\nquota_per_unit = 1\nmin_per_unit_category = 优质慕课:1\ncloses.大家讲堂 = 2019-07-30 23:59:59/' \
    "$CAMPAIGN"
check campaign-edited grep -q '^closes.大家讲堂 = 2019-07-30 23:59:59$' "$CAMPAIGN"
e2e_write_config "$CAMPAIGN"
CONF=$WORK/subgate.conf
ID=xxqg-shuozhou-2019
"$SUBGATE" check-config -c "$CONF" >"$WORK/check.out" 2>&1
check check-config test $? -eq 0

FORM="$(e2e_attach form 作者信息.docx)"
send_mail unit@example.test '优质慕课-朔城区委宣传部-张三-党史十讲' \
    --attach "$(e2e_attach a 党史十讲.mp4)" --attach "$FORM"
check filed-delivered wait_mail campaign@example.test 1
"$SUBGATE" once -c "$CONF" >"$WORK/once1.log" 2>&1
check once1-exit-0 test $? -eq 0
send_mail unit@example.test '优质慕课-朔城区委宣传部-张三-党史二讲' \
    --attach "$(e2e_attach b 党史二讲.mp4)" --attach "$FORM"
send_mail late@example.test '大家讲堂-平鲁区委宣传部-李四-讲堂一' \
    --attach "$(e2e_attach c 讲堂一.mp4)" --attach "$FORM"
send_mail clerk@example.test '投稿' --from-name '某县宣传部' \
    --attach "$(e2e_attach d 作品.mp4)"
send_mail robot@example.test '自动回复：我正在休假' \
    --header 'Auto-Submitted: auto-replied' --body '我正在休假，稍后回复。'
check refused-delivered wait_mail campaign@example.test 5
"$SUBGATE" once -c "$CONF" >"$WORK/once2.log" 2>&1
check once2-exit-0 test $? -eq 0
check receipt-and-over-quota-arrive wait_mail unit@example.test 2
check late-notice-arrives wait_mail late@example.test 1
check correction-arrives wait_mail clerk@example.test 1

# The clerk presses 回复 on the correction and asks, without files.
read_mailbox clerk@example.test >"$WORK/clerk1.json"
correction=$($PY - "$WORK/clerk1.json" <<'PYEOF'
import json, sys
m = json.loads(open(sys.argv[1], encoding="utf-8").readline())
print(m["subject"] + "\t" + m["message_id"])
PYEOF
)
correction_subject=${correction%%	*}
correction_id=${correction#*	}
CODE=$(printf '%s' "$correction_subject" | sed -n 's/.*（查询码 \([0-9A-F]\{8\}\)）$/\1/p')
check correction-carries-code test -n "$CODE"
send_mail clerk@example.test "回复：$correction_subject" --from-name '某县宣传部' \
    --header "In-Reply-To: $correction_id" --header "References: $correction_id" \
    --body '请问邮件主题应该怎么写？'
check question-delivered wait_mail campaign@example.test 6
"$SUBGATE" once -c "$CONF" >"$WORK/once3.log" 2>&1
check once3-exit-0 test $? -eq 0
check acknowledgement-arrives wait_mail clerk@example.test 2
sleep 1
check robot-not-answered test "$(mailbox_count robot@example.test)" -eq 0
check outcomes test "$(sqlite3 "$WORK/subgate.db" "SELECT group_concat(outcome, ' ')
    FROM (SELECT outcome FROM messages ORDER BY id)")" = \
    'accepted over-quota late rejected ignored question'

# ---- cases list --all --------------------------------------------------------
"$SUBGATE" cases list -c "$CONF" --all >"$WORK/list.txt" 2>&1
check list-exit-0 test $? -eq 0
check list-totals grep -qx '共 1 件，另有未登记的作品 0 件，未登记的邮件 5 封' "$WORK/list.txt"
sed -n '/^未登记的邮件/,$p' "$WORK/list.txt" >"$WORK/mail.txt"
check list-over-quota sh -c "grep 'unit@example.test' '$WORK/mail.txt' |
    grep '党史二讲' | grep '超出名额·超出单位名额' |
    grep -q '超额通知（已发送）：【未受理·超出名额】.*每个报送单位最多报送 1 件作品'"
check list-late sh -c "grep 'late@example.test' '$WORK/mail.txt' |
    grep '讲堂一' | grep '逾期·不在征集时间内（已截止）' |
    grep -q '逾期通知（已发送）：【未受理·不在征集时间内】.*截止'"
check list-correction sh -c "grep '^$CODE ' '$WORK/mail.txt' |
    grep 'clerk@example.test' | grep '需更正·' |
    grep -q '更正通知（已发送）：【请更正】投稿（查询码 $CODE）'"
check list-question sh -c "grep 'clerk@example.test' '$WORK/mail.txt' |
    grep '咨询' | grep -q '咨询确认（已发送）：【已转工作人员】'"
check list-auto-reply sh -c "grep 'robot@example.test' '$WORK/mail.txt' |
    grep '自动邮件' | grep -q '未答复：自动邮件，按防邮件循环规则不予答复'"
"$SUBGATE" cases list -c "$CONF" --all --json >"$WORK/list.json"
$PY - "$WORK/list.json" "$CODE" <<'PYEOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
def ok(name, cond, why=""):
    print(("PASS " if cond else "FAIL ") + name + ("" if cond else ": " + str(why)))
mail = [r for r in rows if r.get("mail")]
ok("json-mail-rows", len(mail) == 5, len(mail))
by = {r["outcome"]: r for r in mail}
c = by.get("rejected", {})
ok("json-correction-code", c.get("query_code") == sys.argv[2], c)
ok("json-correction-told", c.get("replies") and c["replies"][0]["kind"] == "correction"
   and c["replies"][0]["state"] == "sent" and c["replies"][0]["text"], c)
ok("json-correction-kept", (c.get("kept") or "").endswith("-" + sys.argv[2] + ".eml"), c)
ok("json-over-quota-code", by.get("over-quota", {}).get("reason_code") == "quota-unit", by.get("over-quota"))
ok("json-late-code", by.get("late", {}).get("reason_code") == "late", by.get("late"))
i = by.get("ignored", {})
ok("json-ignored-unanswered", i.get("replies") == [] and "防邮件循环" in (i.get("unanswered") or ""), i)
ok("json-ignored-not-kept", i.get("kept") is None and "仍在邮箱" in (i.get("kept_where") or ""), i)
PYEOF

# ---- cases show 查询码 ------------------------------------------------------
check kept-name-has-code sh -c "ls '$WORK/store/$ID/_unaccepted' | grep -q -- '-$CODE\\.eml\$'"
"$SUBGATE" cases show -c "$CONF" "$CODE" >"$WORK/show.txt" 2>&1
check show-exit-0 test $? -eq 0
check show-code grep -q "^查询码 *$CODE\$" "$WORK/show.txt"
check show-sender grep -q '^发件人 *clerk@example.test$' "$WORK/show.txt"
check show-subject grep -q '^邮件主题 *投稿$' "$WORK/show.txt"
check show-outcome grep -q '^处理结果 *需更正 (rejected)$' "$WORK/show.txt"
check show-told grep -q '更正通知（correction） -> clerk@example.test: sent' "$WORK/show.txt"
check show-told-subject grep -qF "主题 $correction_subject" "$WORK/show.txt"
kept=$(sed -n 's/^原始邮件 *//p' "$WORK/show.txt")
check show-kept-path sh -c "case '$kept' in '$WORK/store/$ID/_unaccepted/'*-$CODE.eml) true;; *) false;; esac"
check show-kept-is-the-mail sh -c "grep -q '^Subject: ' '$kept' && grep -q 'clerk@example.test' '$kept'"
lower=$(printf '%s' "$CODE" | tr 'A-F' 'a-f')
"$SUBGATE" cases show -c "$CONF" "$lower" >"$WORK/show-lower.txt" 2>&1
check show-lower-case cmp -s "$WORK/show.txt" "$WORK/show-lower.txt"
"$SUBGATE" cases show -c "$CONF" 00000000 >/dev/null 2>&1
check show-unknown-code-fails test $? -eq 65

# ---- the index ---------------------------------------------------------------
"$SUBGATE" cases index -c "$CONF" >/dev/null 2>&1
IDX=$WORK/store/$ID/index.html
check index-mail-section grep -q '<h2 id="mails">未登记的邮件（5）</h2>' "$IDX"
check index-correction-row sh -c "grep -A1 '<td class=\"nowrap\">$CODE</td>' '$IDX' |
    grep -q '需更正'"
check index-told grep -qF "【请更正】投稿（查询码 $CODE）" "$IDX"
check index-unanswered grep -q '未答复：自动邮件，按防邮件循环规则不予答复' "$IDX"
check index-kept-link grep -q "<a href=\"_unaccepted/[0-9]*-[0-9]*-$CODE.eml\">原始邮件</a>" "$IDX"
check index-no-units-yet grep -q '<h2>尚未报送的单位（5 个）</h2>' "$IDX"
check index-no-units-names grep -q '<p>平鲁区委宣传部、怀仁市委宣传部、山阴县委宣传部、应县委宣传部、右玉县委宣传部</p>' "$IDX"
check index-below-minimum grep -q '<tr><td>平鲁区委宣传部</td><td>优质慕课</td><td class="num">1</td><td class="num over">0</td></tr>' "$IDX"
check index-minimum-met sh -c "! grep -q '<tr><td>朔城区委宣传部</td><td>优质慕课</td>' '$IDX'"

# ---- stats -------------------------------------------------------------------
"$SUBGATE" stats -c "$CONF" >"$WORK/stats.txt" 2>&1
check stats-exit-0 test $? -eq 0
check stats-code-quota grep -Eq '^ +1  超出单位名额 +quota-unit$' "$WORK/stats.txt"
check stats-code-late grep -Eq '^ +1  不在征集时间内（已截止） +late$' "$WORK/stats.txt"
check stats-code-automatic grep -Eq '^ +1  自动邮件，未答复 +automatic$' "$WORK/stats.txt"
check stats-code-correction sh -c "grep -A9 '^未登记原因' '$WORK/stats.txt' |
    grep -Eq '^ +1  .+ +(naming|no-work|type)\$'"
check stats-no-units-yet grep -q '^尚未报送的单位（5 个）: 平鲁区委宣传部、怀仁市委宣传部、山阴县委宣传部、应县委宣传部、右玉县委宣传部$' "$WORK/stats.txt"
check stats-below-minimum-head grep -q '^未达最低件数的单位（5 个）:$' "$WORK/stats.txt"
check stats-below-minimum grep -Eq '^  平鲁区委宣传部 +优质慕课 至少 1 件，现 0 件$' "$WORK/stats.txt"
check stats-minimum-met sh -c "! grep -Eq '^  朔城区委宣传部 +优质慕课 至少' '$WORK/stats.txt'"
