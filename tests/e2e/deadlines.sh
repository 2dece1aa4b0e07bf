# Deadlines and batches per item, through the whole pipeline (offline
# ingest, the code path of IMAP mail), with the shipped Shanxi 2020
# campaign: 学员标兵 closes on 8月30日24时, volunteers never close, 挑战达人
# is handed on on the 28th at 18:00 and the rest on Tuesdays and Fridays at
# 18:00.  Each mail's arrival is the top Received: header, as our own mail
# server writes it; the Date: (the sender's clock) says otherwise on
# purpose.  Checks outcomes, the late notice, the receipts' {deadline},
# cases.batch, case.json, `cases list|show|export --batch`.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

# The shipped campaign, with a receipt that states {deadline} and a table
# with the 批次 column.
cp "$TOP/contrib/campaigns/xuexizhixing-2020.campaign" "$WORK/x.campaign"
cat >>"$WORK/x.campaign" <<'EOF'

[reply]
receipt.body = 回执编号：{receipt}\n{?deadline}本项截止时间：{deadline}\n{/deadline}

[export]
columns = 姓名;填报项目;回执编号;批次
EOF
e2e_write_config --offline -u subgate.store -u subgate.database \
    -u smtp.from_name "$WORK/x.campaign"
CONF="$WORK/subgate.conf"

# mail NAME SUBJECT ARRIVAL: WORK/NAME.eml, arriving at ARRIVAL (RFC 5322)
mail() {
	$PY "$SEND" --save "$WORK/$1.raw" --from "$1@example.test" \
	    --to campaign@example.test --subject "$2" \
	    --date 'Thu, 01 Jan 2015 08:00:00 +0800' \
	    --attach "$(e2e_attach form 报名表.docx)" || return 1
	{
		printf 'Received: from mx.example.test by imap.example.test;\n'
		printf '\t%s\n' "$3"
		cat "$WORK/$1.raw"
	} >"$WORK/$1.eml"
}
# ingest NAME: "outcome receipt" of WORK/NAME.eml
ingest() {
	"$SUBGATE" ingest -c "$CONF" --campaign xuexizhixing-2020 \
	    --store "$WORK/store" --database "$WORK/db" "$WORK/$1.eml" \
	    2>>"$WORK/ingest.log" | cut -f2,3
}
# reply NAME: the text of the reply queued to NAME@example.test
reply() {
	sqlite3 "$WORK/db" "SELECT writefile('$WORK/reply.eml', data) FROM
	    outbox WHERE recipient = '$1@example.test' ORDER BY id DESC
	    LIMIT 1" >/dev/null
	$PY - "$WORK/reply.eml" <<'EOF'
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"),
                                   policy=email.policy.default)
print(m.get_body(("plain",)).get_content())
EOF
}
reply_has() { reply "$1" >"$WORK/reply.txt" && grep -qF "$2" "$WORK/reply.txt"; }
# The reply must be there, and not say it.
reply_lacks() {
	reply "$1" >"$WORK/reply.txt" && grep -q . "$WORK/reply.txt" &&
	    ! grep -qF "$2" "$WORK/reply.txt"
}
batch_of() {
	sqlite3 "$WORK/db" "SELECT COALESCE(batch, 'NULL') FROM cases WHERE
	    receipt = '$1'"
}

if [ ! -x "$SUBGATE" ]; then
	fail deadlines:subgate "$SUBGATE not built"
	exit 0
fi
check_config() { "$SUBGATE" check-config -c "$CONF" >/dev/null; }
check config check_config

# --- an item's own deadline: 学员标兵 “截止期为8月30日24时” ------------------
mail zhang '张三+学员标兵' 'Mon, 31 Aug 2020 10:00:00 +0800'
mail li '李四+学员标兵' 'Sun, 30 Aug 2020 23:59:59 +0800'
r=$(ingest zhang)
check item-late test "${r%%	*}" = late
check item-late-notice-names-item reply_has zhang \
    '学员标兵的报名已于2020年8月30日24时（北京时间）截止，您的邮件到达时已超过截止时间。'
check item-late-recorded test "$(sqlite3 "$WORK/db" "SELECT reason FROM
    messages WHERE sender = 'zhang@example.test'")" = \
    '学员标兵的报名已于2020年8月30日24时（北京时间）截止，您的邮件到达时已超过截止时间。'
r=$(ingest li)
li_receipt=${r#*	}
check item-in-time test "${r%%	*}" = accepted
# Sunday 23:59:59: the next Tuesday's list.
check item-batch-weekly test "$(batch_of "$li_receipt")" = 2020-09-01
check receipt-states-item-deadline reply_has li \
    '本项截止时间：2020年8月30日24时（北京时间）'

# --- volunteers: “招募全年有效，随报随审” ----------------------------------
mail wang '王五+志愿审读员' 'Thu, 01 Oct 2020 10:00:00 +0800'
r=$(ingest wang)
wang_receipt=${r#*	}
check volunteer-after-others-closed test "${r%%	*}" = accepted
check volunteer-batch-friday test "$(batch_of "$wang_receipt")" = 2020-10-02
check volunteer-receipt-no-deadline reply_lacks wang 截止

# --- 挑战达人: “以后每个月28日18时前报送”, exactly at the cut-off and after --
mail zhao '赵六+挑战达人' 'Fri, 28 Aug 2020 18:00:00 +0800'
mail qian '钱七+挑战达人' 'Fri, 28 Aug 2020 18:00:01 +0800'
mail sun '孙八+志愿播音员' 'Fri, 28 Aug 2020 12:00:00 +0800'
zhao_receipt=$(ingest zhao | cut -f2)
qian_receipt=$(ingest qian | cut -f2)
sun_receipt=$(ingest sun | cut -f2)
check batch-exactly-at-cutoff test "$(batch_of "$zhao_receipt")" = 2020-08-28
check batch-second-after test "$(batch_of "$qian_receipt")" = 2020-09-28
check batch-weekly-same-day test "$(batch_of "$sun_receipt")" = 2020-08-28
zhao_json=$(find "$WORK/store" -path "*$zhao_receipt*" -name case.json)
check case-json-batch grep -q '"batch":"2020-08-28"' "$zhao_json"

# --- a mail whose item cannot be read: the envelope ---------------------------
mail nobody '报名材料' 'Thu, 01 Oct 2020 10:00:00 +0800'
mail early '报名材料' 'Mon, 10 Aug 2020 10:00:00 +0800'
check unknown-item-answered-on-naming test "$(ingest nobody | cut -f1)" = rejected
check unknown-item-correction-no-deadline reply_lacks nobody 征集截止时间
check unknown-item-before-opening test "$(ingest early | cut -f1)" = late

# --- staff: one batch at a time -----------------------------------------------
listed=$("$SUBGATE" cases list -c "$CONF" --store "$WORK/store" \
    --database "$WORK/db" --batch 2020-08-28 --json)
check list-batch-count test "$(printf '%s\n' "$listed" | grep -c '"batch":"2020-08-28"')" -eq 2
only_batch() {
	printf '%s\n' "$listed" | grep -q "\"$zhao_receipt\"" &&
	    printf '%s\n' "$listed" | grep -q "\"$sun_receipt\"" &&
	    ! printf '%s\n' "$listed" | grep -q "\"$qian_receipt\""
}
check list-batch-only-its-own only_batch
check list-batch-table sh -c "'$SUBGATE' cases list -c '$CONF' --store '$WORK/store' \
    --database '$WORK/db' --batch 2020-09-28 | grep -q '共 1 件'"
check show-batch sh -c "'$SUBGATE' cases show -c '$CONF' --store '$WORK/store' \
    --database '$WORK/db' '$qian_receipt' | grep -q '^批次 *2020-09-28'"
"$SUBGATE" cases export -c "$CONF" --store "$WORK/store" --database "$WORK/db" \
    --campaign xuexizhixing-2020 --batch 2020-08-28 --format csv \
    -o "$WORK/batch.csv" 2>>"$WORK/ingest.log"
check export-batch-rows test "$(tail -n +2 "$WORK/batch.csv" | grep -c .)" -eq 2
check export-batch-header grep -q '姓名,填报项目,回执编号,批次' "$WORK/batch.csv"
check export-batch-column grep -q "赵六,挑战达人,$zhao_receipt,2020-08-28" "$WORK/batch.csv"
check export-batch-excludes sh -c "! grep -q '$qian_receipt' '$WORK/batch.csv'"
