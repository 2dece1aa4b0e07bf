# A unit's quota is spent only by senders that belong to it (Changzhou as
# shipped: sender_check = confirm, the notice lists no mailboxes), through
# the whole pipeline (offline ingest of saved messages) and the staff
# commands.  Ten strangers naming 金坛区委组织部 are filed 待核实 and take no
# place; the unit's own mail is not over its quota; `cases confirm`
# accepts a sender's pending works while they fit and remembers the
# sender, whose next mail is accepted directly; `cases refuse` rejects
# and remembers, and the refused sender's next mail gets a correction.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

C=$TOP/contrib/campaigns
e2e_write_config --offline -u subgate.store -u subgate.database \
    -u smtp.from_name "$C/dangjiao-changzhou-2024.campaign" \
    "$C/fupin2020.campaign"
CONF="$WORK/subgate.conf"
CZ=dangjiao-changzhou-2024
JT=金坛区委组织部
D='Mon, 10 Jun 2024 09:00:00 +0800'
# Works and forms, real by content.
VIDEO=$(e2e_fixture mp4 variant=a) || exit 0
# the other version: one file sent as both is one version
PLAIN=$(e2e_fixture mp4 variant=b) || exit 0
QR=$(e2e_fixture png variant=a) || exit 0
FORM=$(e2e_fixture docx variant=form) || exit 0

if [ ! -x "$SUBGATE" ]; then
	fail senders:subgate "$SUBGATE not built"
	exit 0
fi

# video NAME FROM UNIT TITLE...: WORK/NAME.eml, each title a 微视频 in both
# versions with its 报名表, as the notice asks
video() {
	n=$1 from=$2 unit=$3 args=
	shift 3
	for t in "$@"; do
		args="$args --attach $VIDEO=$t（有字幕）-微视频-$unit.mp4"
		args="$args --attach $PLAIN=$t（无字幕）-微视频-$unit.mp4"
		args="$args --attach $FORM=报名表（一）$t.docx"
	done
	# shellcheck disable=SC2086
	$PY "$SEND" --save "$WORK/$n.eml" --from "$from" \
	    --to campaign@example.test --subject "$unit报送作品" --date "$D" $args
}
# newmedia NAME FROM UNIT TITLE...: 新媒体作品 (a QR code), each with its form
newmedia() {
	n=$1 from=$2 unit=$3 args=
	shift 3
	for t in "$@"; do
		args="$args --attach $QR=$t-新媒体作品-$unit.png"
		args="$args --attach $FORM=报名表（二）$t.docx"
	done
	# shellcheck disable=SC2086
	$PY "$SEND" --save "$WORK/$n.eml" --from "$from" \
	    --to campaign@example.test --subject "$unit报送作品" --date "$D" $args
}
# ingest NAME: "outcome<TAB>receipt" of WORK/NAME.eml
ingest() {
	"$SUBGATE" ingest -c "$CONF" --campaign "$CZ" --store "$WORK/store" \
	    --database "$WORK/db" "$WORK/$1.eml" 2>>"$WORK/ingest.log" |
	    cut -f2,3
}
staff() {
	"$SUBGATE" "$@" -c "$CONF" --store "$WORK/store" --database "$WORK/db"
}
q() { sqlite3 "$WORK/db" "$1"; }
status_of() { q "SELECT status FROM cases WHERE receipt = '$1'"; }
# reply ADDRESS [KIND]: the text of the last reply (of KIND) queued to it
reply() {
	rm -f "$WORK/reply.eml"
	q "SELECT writefile('$WORK/reply.eml', data) FROM outbox WHERE
	    recipient = '$1' AND kind LIKE '${2:-%}' ORDER BY id DESC LIMIT 1" \
	    >/dev/null
	[ -f "$WORK/reply.eml" ] || return 1
	$PY - "$WORK/reply.eml" <<'EOF'
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"),
                                   policy=email.policy.default)
print(m["Subject"])
print(m.get_body(("plain",)).get_content())
EOF
}
reply_has() { reply "$1" "${3:-%}" >"$WORK/reply.txt" && grep -qF -- "$2" "$WORK/reply.txt"; }
accepted_of() {
	q "SELECT COUNT(*) FROM cases WHERE unit = '$1' AND status = 'accepted'"
}

# --- ten strangers name 金坛区委组织部: filed 待核实, counted nowhere --------
for i in 1 2 3 4 5 6 7 8 9 10; do
	video "s$i" "s$i@qq.example.test" $JT "陌生作品$i"
	r=$(ingest "s$i")
	check "stranger-$i-filed" test "${r%%	*}" = accepted
	check "stranger-$i-pending" test "$(status_of "${r#*	}")" = pending
done
S1=$(q "SELECT receipt FROM cases WHERE sender = 's1@qq.example.test'")
S2=$(q "SELECT receipt FROM cases WHERE sender = 's2@qq.example.test'")
check strangers-pending test "$(q "SELECT COUNT(*) FROM cases WHERE unit =
    '$JT' AND status = 'pending'")" -eq 10
check strangers-count-nothing test "$(accepted_of $JT)" -eq 0
check stranger-receipt-kind test "$(q "SELECT kind FROM outbox WHERE
    recipient = 's1@qq.example.test'")" = receipt
check stranger-receipt-says reply_has s1@qq.example.test \
    "本邮箱（s1@qq.example.test）尚未登记为“金坛区委组织部”的报送邮箱。作品已登记，状态为“待核实”，工作人员确认后计入该单位名额；确认前不占名额。"
check stranger-receipt-number reply_has s1@qq.example.test "回执编号：$S1"
reply s1@qq.example.test >"$WORK/s1-reply.txt"
check stranger-receipt-subject sh -c "head -n 1 '$WORK/s1-reply.txt' |
    grep -q '（待核实）\$'"
check stranger-case-json-pending grep -q '"status":"pending"' \
    "$WORK/store/$(q "SELECT dir FROM cases WHERE receipt = '$S1'")/case.json"

# --- the unit's own mail, three works at once: not over its quota -----------
video own office@jintan.example.test $JT 初心如磐 使命在肩 龙城先锋
r=$(ingest own)
check own-filed test "${r%%	*}" = accepted
OWN=${r#*	}
check own-not-over-quota test "$(q "SELECT COUNT(*) FROM cases WHERE
    sender = 'office@jintan.example.test' AND status = 'pending'")" -eq 3
staff cases show "$OWN" >"$WORK/show-own-pending.out" 2>&1
check show-same-mail-pending grep -q '^  2\. 《使命在肩》 待核实 ' "$WORK/show-own-pending.out"
check own-reason test "$(q "SELECT reason FROM messages WHERE sender =
    'office@jintan.example.test'")" = '3 works filed; 3 pending (senders)'
# The receipt says 待核实 in its heading and subject, and why once.
check own-receipt-pending-heading reply_has office@jintan.example.test \
    '一、已登记，待核实（共 3 件）' receipt
check own-receipt-not-plainly-registered test "$(grep -c '已登记（共' \
    "$WORK/reply.txt")" -eq 0
check own-receipt-why-once test "$(grep -c '尚未登记为' "$WORK/reply.txt")" -eq 1
check own-receipt-subject-pending grep -qF "$OWN 初心如磐 等3件（待核实）" \
    "$WORK/reply.txt"

# --- staff views say 待核实 ----------------------------------------------------
staff stats --campaign $CZ >"$WORK/stats.out" 2>&1
check stats-exit-0 test $? -eq 0
check stats-pending-not-counted grep -Eq "$JT +0 +待核实 13 件（未计入）" \
    "$WORK/stats.out"
check stats-status grep -Eq '待核实 \(pending\) +13' "$WORK/stats.out"
check stats-no-senders-yet grep -q '（尚无）' "$WORK/stats.out"
staff cases list --campaign $CZ >"$WORK/list.out" 2>&1
check list-says-pending grep -q "$S1 .*待核实" "$WORK/list.out"
staff cases show "$S1" >"$WORK/show.out" 2>&1
check show-says-pending grep -q '待核实' "$WORK/show.out"
check show-pending-why grep -q '^待核实原因 *本邮箱（s1@qq.example.test）尚未登记为“金坛区委组织部”的报送邮箱' \
    "$WORK/show.out"
check show-pending-sender grep -q '^发件邮箱 *尚未确认为该单位的报送邮箱' "$WORK/show.out"
staff cases export --campaign $CZ --format csv -o "$WORK/cz.csv" 2>/dev/null
check export-status-pending grep -q "$S1.*待核实" "$WORK/cz.csv"
staff cases index --campaign $CZ >/dev/null 2>&1
check index-says-pending grep -q 'st-pending">待核实' \
    "$WORK/store/$CZ/index.html"
check index-unit-pending grep -q "<td>$JT</td>.*<td>待核实 13 件（未计入）" \
    "$WORK/store/$CZ/index.html"

# --- confirm: the sender's pending works accepted, one mail for all ----------
staff cases confirm "$OWN" --notify --reason '已电话核实' \
    >"$WORK/confirm.out" 2>&1
check confirm-exit-0 test $? -eq 0
check confirm-three-accepted test "$(accepted_of $JT)" -eq 3
check confirm-only-that-sender test "$(q "SELECT COUNT(*) FROM cases WHERE
    unit = '$JT' AND status = 'pending'")" -eq 10
check confirm-says-sender grep -q "office@jintan.example.test confirmed for $JT" \
    "$WORK/confirm.out"
check confirm-lists-accepted test "$(grep -c '已受理 (accepted)' \
    "$WORK/confirm.out")" -eq 3
check confirm-remembered test "$(q "SELECT state FROM unit_senders WHERE
    campaign = '$CZ' AND unit = '$JT' AND address =
    'office@jintan.example.test'")" = confirmed
check confirm-review test "$(q "SELECT action || '|' || status FROM
    case_reviews WHERE receipt = '$OWN'")" = 'confirm|accepted'
check confirm-case-json grep -q '"status":"accepted"' \
    "$WORK/store/$(q "SELECT dir FROM cases WHERE receipt = '$OWN'")/case.json"
check confirm-one-mail test "$(q "SELECT COUNT(*) FROM outbox WHERE recipient =
    'office@jintan.example.test' AND kind = 'decision-accepted'")" -eq 1
check confirm-mail-says reply_has office@jintan.example.test \
    "您的作品已确认计入“金坛区委组织部”的名额" decision-accepted
# every work accepted, receipt and title; the reason on a line of its own
q "SELECT receipt || '　《' || title || '》' FROM cases WHERE sender =
    'office@jintan.example.test' ORDER BY seq" >"$WORK/own-works.txt"
check confirm-mail-names-all test "$(grep -cFf "$WORK/own-works.txt" \
    "$WORK/reply.txt")" -eq 3
check confirm-mail-reason-line grep -qx '说明：已电话核实' "$WORK/reply.txt"
staff stats --campaign $CZ >"$WORK/stats2.out" 2>&1
check stats-counts-confirmed grep -Eq "$JT +3 +待核实 10 件" "$WORK/stats2.out"
check stats-lists-sender grep -Eq "$JT +office@jintan.example.test +已确认" \
    "$WORK/stats2.out"
# staff read decision times in the campaign's zone (Beijing), not UTC
local=$($PY -c 'import sys, datetime as d
t = d.datetime.fromisoformat(sys.argv[1].replace("Z", "+00:00"))
print(t.astimezone(d.timezone(d.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M"))' \
    "$(q "SELECT decided_at FROM unit_senders WHERE address = 'office@jintan.example.test'")")
check stats-sender-local-time grep -q "已确认 .* $local$" "$WORK/stats2.out"
staff cases show "$OWN" >"$WORK/show-own.out" 2>&1
check show-review-local-time grep -Eq '^  [0-9-]{10}T[0-9:]{8}\+08:00 confirm by ' \
    "$WORK/show-own.out"
check show-reply-local-time grep -Eq '^  receipt -> .*\(queued [0-9-]{10}T[0-9:]{8}\+08:00,' \
    "$WORK/show-own.out"

# --- the confirmed sender's next mail is accepted directly -------------------
video own2 office@jintan.example.test $JT 党旗红
r=$(ingest own2)
check confirmed-next-accepted test "$(status_of "${r#*	}")" = accepted
reply office@jintan.example.test receipt >"$WORK/reply.txt"
check confirmed-next-receipt-plain sh -c "grep -q '已收到并登记' '$WORK/reply.txt' && ! grep -q '待核实' '$WORK/reply.txt'"
# ...and counted at once: three confirmed and this one
check confirmed-next-counts test "$(accepted_of $JT)" -eq 4

# --- confirm stops at the quota: what does not fit stays pending -------------
LY=溧阳市委组织部
newmedia nm nm@163.example.test $LY 二维码一 二维码二 二维码三
r=$(ingest nm)
NM=${r#*	}
check newmedia-three-pending test "$(q "SELECT COUNT(*) FROM cases WHERE
    unit = '$LY' AND status = 'pending'")" -eq 3
staff cases confirm "$NM" --notify >"$WORK/confirm2.out" 2>&1
check confirm-quota-exit-0 test $? -eq 0
check confirm-quota-two test "$(q "SELECT COUNT(*) FROM cases WHERE unit =
    '$LY' AND status = 'accepted'")" -eq 2
third=$(q "SELECT receipt FROM cases WHERE unit = '$LY' ORDER BY seq DESC LIMIT 1")
check confirm-quota-third-pending test "$(status_of "$third")" = pending
check confirm-quota-reported grep -q "$third: still 待核实 (pending): $LY has 2 of its 2 in 新媒体作品" \
    "$WORK/confirm2.out"
staff cases show "$third" >"$WORK/show3.out" 2>&1
check show-confirmed-still-pending grep -q '^发件邮箱 *已确认为该单位的报送邮箱，本件确认时未能计入，原因见审核记录' \
    "$WORK/show3.out"
check show-confirm-review-why grep -q "confirm by .*“$LY”的新媒体作品已登记 2 件，名额 2 件已满 -> 待核实" \
    "$WORK/show3.out"
check show-confirmed-reason-history sh -c "grep -q '^登记时原因 ' '$WORK/show3.out' &&
    ! grep -q '^待核实原因 ' '$WORK/show3.out'"
# the mail says which work still waits, and why, beside the two counted
check confirm-quota-one-mail test "$(q "SELECT COUNT(*) FROM outbox WHERE
    recipient = 'nm@163.example.test' AND kind LIKE 'decision%'")" -eq 1
check confirm-quota-mail-counted reply_has nm@163.example.test \
    "您的作品已确认计入“$LY”的名额。" decision-accepted
check confirm-quota-mail-still-pending reply_has nm@163.example.test \
    "以下作品仍为“待核实”，未计入名额：" decision-accepted
check confirm-quota-mail-why reply_has nm@163.example.test \
    "《二维码三》（回执编号 $third）：“$LY”的新媒体作品已登记 2 件，名额 2 件已满。" \
    decision-accepted
# Confirmed again while the category is full: nothing moves, nobody is told.
staff cases confirm "$third" --notify >"$WORK/confirm2b.out" 2>&1
check confirm-full-exit-0 test $? -eq 0
check confirm-full-still-pending test "$(status_of "$third")" = pending
check confirm-full-says-no-mail grep -q "$third: no case accepted, so no mail" \
    "$WORK/confirm2b.out"
check confirm-full-no-mail test "$(q "SELECT COUNT(*) FROM outbox WHERE
    recipient = 'nm@163.example.test' AND kind LIKE 'decision%'")" -eq 1

# --- refuse: rejected, remembered, told; the next mail is corrected ----------
staff cases refuse "$S2" >"$WORK/refuse0.out" 2>&1
check refuse-needs-reason test $? -eq 64
USER=reviewer-b staff cases refuse "$S2" --notify \
    --reason '该邮箱不是金坛区委组织部的报送邮箱' >"$WORK/refuse.out" 2>&1
check refuse-exit-0 test $? -eq 0
check refuse-rejected test "$(status_of "$S2")" = rejected
check refuse-remembered test "$(q "SELECT state || '|' || decided_by FROM
    unit_senders WHERE address = 's2@qq.example.test'")" = 'refused|reviewer-b'
check refuse-review test "$(q "SELECT action || '|' || status FROM
    case_reviews WHERE receipt = '$S2'")" = 'refuse|rejected'
check refuse-mail-queued grep -q 'decision mail to s2@qq.example.test queued' \
    "$WORK/refuse.out"
check refuse-mail-says reply_has s2@qq.example.test \
    '原因：该邮箱不是金坛区委组织部的报送邮箱' decision-rejected
# what it sends again for the unit is refused: not offered
check refuse-mail-no-resubmission sh -c "grep -q '此后从本邮箱为该单位发送的作品将不予登记' \
    '$WORK/reply.txt' && ! grep -q '重新投稿' '$WORK/reply.txt'"
video s2again s2@qq.example.test $JT 再次投稿
r=$(ingest s2again)
check refused-next-rejected test "${r%%	*}" = rejected
check refused-next-correction test "$(q "SELECT kind FROM outbox WHERE
    recipient = 's2@qq.example.test' ORDER BY id DESC LIMIT 1")" = correction
check refused-next-says reply_has s2@qq.example.test \
    '不是“金坛区委组织部”的报送邮箱' correction
check refused-no-case test "$(q "SELECT COUNT(*) FROM cases WHERE sender =
    's2@qq.example.test'")" -eq 1

# --- a forged From: speaks for no unit ---------------------------------------
# Where the receiving server stamps Authentication-Results ([smtp]
# require_authentication_results), a confirmed address whose mail did not
# pass SPF, DKIM or DMARC may be forged: the work is filed 待核实 and takes
# no place, and (as for any unauthenticated sender) no reply goes out.
e2e_write_config --offline -u subgate.store -u subgate.database \
    -u smtp.from_name -s smtp.require_authentication_results=true \
    -s smtp.authserv_id=mx.campaign.example.test \
    "$C/dangjiao-changzhou-2024.campaign" "$C/fupin2020.campaign"
# authmail NAME RESULTS TITLE: a 新媒体作品 from the confirmed office,
# stamped with RESULTS by the receiving server
authmail() {
	$PY "$SEND" --save "$WORK/$1.eml" --from office@jintan.example.test \
	    --to campaign@example.test --subject "${JT}报送作品" --date "$D" \
	    --header "Authentication-Results:mx.campaign.example.test; $2" \
	    --attach "$(e2e_attach a $3-新媒体作品-$JT.png)" \
	    --attach "$(e2e_attach form 报名表（二）$3.docx)"
}
before=$(accepted_of $JT)
replies=$(q "SELECT COUNT(*) FROM outbox WHERE recipient = 'office@jintan.example.test'")
authmail forged 'spf=fail smtp.mailfrom=evil.example; dmarc=fail header.from=jintan.example.test' 冒名之作
r=$(ingest forged)
check forged-filed test "${r%%	*}" = accepted
check forged-pending test "$(status_of "${r#*	}")" = pending
check forged-takes-no-place test "$(accepted_of $JT)" -eq "$before"
check forged-no-reply test "$(q "SELECT COUNT(*) FROM outbox WHERE
    recipient = 'office@jintan.example.test'")" -eq "$replies"
check forged-reason-said sh -c "sqlite3 '$WORK/db' \"SELECT reason FROM
    messages WHERE receipt = '${r#*	}'\" | grep -q 未能通过发件邮箱验证"
authmail genuine 'dkim=pass header.d=jintan.example.test' 真实之作
r=$(ingest genuine)
check genuine-accepted test "$(status_of "${r#*	}")" = accepted
check genuine-counts test "$(accepted_of $JT)" -eq $((before + 1))

# --- a case without a unit has no sender to decide on ------------------------
$PY "$SEND" --save "$WORK/fp.eml" --from fp@example.test \
    --to campaign@example.test --subject '扶贫征集-自荐-文字类-我的扶贫路' \
    --date 'Sat, 01 Aug 2020 10:00:00 +0800' \
    --attach "$(e2e_attach form 我的扶贫路.docx)"
fp=$("$SUBGATE" ingest -c "$CONF" --campaign fupin2020 --store "$WORK/store" \
    --database "$WORK/db" "$WORK/fp.eml" 2>>"$WORK/ingest.log" | cut -f3)
check fupin-not-pending test "$(status_of "$fp")" = accepted
staff cases confirm "$fp" >"$WORK/confirm3.out" 2>&1
check confirm-no-unit-refused test $? -eq 65
check confirm-no-unit-says grep -q 'names no unit' "$WORK/confirm3.out"
staff cases confirm CZ-NOPE-00001 >/dev/null 2>&1
check confirm-unknown-receipt test $? -ne 0

# The store and the database still agree.
staff fsck >"$WORK/fsck.out" 2>&1
check fsck-clean test $? -eq 0
