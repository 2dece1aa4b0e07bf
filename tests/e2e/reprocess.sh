# After staff fix a campaign file (here: the alias 摄影类 for 图片类 was
# missing), `subgate reprocess --status rejected` files the mail the old
# file rejected: one case, the message's own row updated, a receipt queued,
# no second correction for what is still wrong, nothing done twice.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

sed -e 's/^alias.图片类 = .*/alias.图片类 = 图片/' \
    "$TOP/contrib/campaigns/fupin2020.campaign" >"$WORK/fupin2020.campaign"
write_conf() {
	e2e_write_config --offline -s "subgate.database=$WORK/db" \
	    -u smtp.from_name "$1"
}
write_conf "$WORK/fupin2020.campaign"
D='Sat, 01 Aug 2020 10:00:00 +0800'
$PY "$SEND" --save "$WORK/a.eml" --from a@example.test --to c@example.test \
    --subject '扶贫征集-自荐-摄影类-山乡巨变' --date "$D" --attach "$(e2e_attach w 山乡巨变.jpg)"
$PY "$SEND" --save "$WORK/b.eml" --from b@example.test --to c@example.test \
    --subject '扶贫征集-自荐-音频类-山歌' --date "$D" --attach "$(e2e_attach w 山歌.mp3)"
ing() { "$SUBGATE" ingest -c "$WORK/subgate.conf" "$@" 2>>"$WORK/log"; }
check first-rejected test "$(ing "$WORK/a.eml" | cut -f2)" = rejected
check other-rejected test "$(ing "$WORK/b.eml" | cut -f2)" = rejected
q() { sqlite3 "$WORK/db" "$1"; }
check corrections-queued test "$(q "SELECT COUNT(*) FROM outbox WHERE kind='correction'")" -eq 2

# Staff fix the campaign: the shipped file has the alias.
write_conf "$TOP/contrib/campaigns/fupin2020.campaign"
"$SUBGATE" reprocess -c "$WORK/subgate.conf" --status rejected >"$WORK/re1.out" 2>>"$WORK/log"
check reprocess-exit-0 test $? -eq 0
check reprocess-accepts-fixed grep -q "accepted	FUPIN2020-00001" "$WORK/re1.out"
check reprocess-other-still-rejected sh -c "grep 'rejected' '$WORK/re1.out' | grep -q 音频类"
check case-filed test -f "$(find "$WORK/store/fupin2020/图片类" -name case.json)"
check case-has-work cmp -s "$(e2e_fixture jpg variant=w)" "$(find "$WORK/store/fupin2020/图片类" -name 山乡巨变.jpg)"
check row-updated-not-added test "$(q "SELECT COUNT(*) FROM messages")" -eq 2
check row-now-accepted test "$(q "SELECT outcome || ' ' || receipt FROM messages WHERE sender='a@example.test'")" = "accepted FUPIN2020-00001"
check receipt-queued test "$(q "SELECT COUNT(*) FROM outbox WHERE kind='receipt'")" -eq 1
check no-second-correction test "$(q "SELECT COUNT(*) FROM outbox WHERE kind='correction'")" -eq 2
check unaccepted-copy-gone test "$(ls "$WORK/store/fupin2020/_unaccepted" | wc -l)" -eq 1
check index-refreshed grep -q FUPIN2020-00001 "$WORK/store/fupin2020/index.html"

"$SUBGATE" reprocess -c "$WORK/subgate.conf" --status rejected >"$WORK/re2.out" 2>>"$WORK/log"
check second-reprocess-makes-nothing test "$(q "SELECT COUNT(*) FROM cases")" -eq 1
check second-reprocess-no-reply test "$(q "SELECT COUNT(*) FROM outbox")" -eq 3
check bad-status-is-usage-error sh -c "'$SUBGATE' reprocess -c '$WORK/subgate.conf' --status accepted 2>/dev/null; test \$? -eq 64"

# ---- a case judged again: `subgate reprocess RECEIPT...` ----
# Cases filed under the shipped file; then staff rename the category
# 视频类(微视频) to 短视频 (its aliases, 微视频 among them, follow) and drop
# 图片类.  Reprocessing corrects the renamed category as a staff --set
# would, keeps a field staff corrected, and leaves a case that no longer
# matches alone.
$PY "$SEND" --save "$WORK/c.eml" --from c@example.test --to c@example.test \
    --subject '扶贫征集-自荐-微视频-星城大爱' --date "$D" --attach "$(e2e_attach w 星城大爱.mp4)"
$PY "$SEND" --save "$WORK/d.eml" --from d@example.test --to c@example.test \
    --subject '扶贫征集-自荐-文字类-山里的孩子' --date "$D" --attach "$(e2e_attach w 山里的孩子.docx)"
$PY "$SEND" --save "$WORK/e.eml" --from e@example.test --to c@example.test \
    --subject '扶贫征集-推荐-图片类-山乡新貌' --date "$D" --attach "$(e2e_attach w 山乡新貌.jpg)"
RC=$(ing "$WORK/c.eml" | cut -f3)
RD=$(ing "$WORK/d.eml" | cut -f3)
RE=$(ing "$WORK/e.eml" | cut -f3)
check case-made-with-alias test "$(q "SELECT category FROM cases WHERE receipt='$RC'")" = '视频类(微视频)'
"$SUBGATE" cases accept -c "$WORK/subgate.conf" "$RD" --set '作品名称=山里的孩子们' >/dev/null 2>>"$WORK/log"
check staff-correction-made test "$(q "SELECT title FROM cases WHERE receipt='$RD'")" = 山里的孩子们

sed -e 's/视频类(微视频)/短视频/g' -e '/^alias\.图片类/d' -e '/^categories = 图片类$/d' -e 's/^values = 文字类;图片类;/values = 文字类;/' \
    "$TOP/contrib/campaigns/fupin2020.campaign" >"$WORK/fupin2020-v2.campaign"
write_conf "$WORK/fupin2020-v2.campaign"
"$SUBGATE" reprocess -c "$WORK/subgate.conf" "$RC" "$RD" "$RE" >"$WORK/rc1.out" 2>>"$WORK/log"
check case-reprocess-exit-1-on-no-match test $? -eq 1
check case-reprocess-updated grep -q "^$RC	updated	类别: 视频类(微视频) -> 短视频\$" "$WORK/rc1.out"
check case-reprocess-staff-kept grep -q "^$RD	unchanged	作品名称: kept 山里的孩子们 (set by staff; the convention now reads 山里的孩子)\$" "$WORK/rc1.out"
check case-reprocess-no-match sh -c "grep '^$RE	no-match	' '$WORK/rc1.out' | grep -q '图片类'"
check case-reprocess-one-line-each test "$(wc -l <"$WORK/rc1.out")" -eq 3
check case-db-category test "$(q "SELECT category || '|' || status FROM cases WHERE receipt='$RC'")" = '短视频|accepted'
check case-db-fields test "$(q "SELECT json_extract(fields_json, '\$.类别') || '|' || json_extract(fields_json, '\$.作品名称') FROM cases WHERE receipt='$RC'")" = '短视频|星城大爱'
check case-review-row test "$(q "SELECT action || '|' || reviewer || '|' || status || '|' || json_extract(changes_json, '\$.类别') FROM case_reviews WHERE receipt='$RC'")" = 'reprocess|subgate reprocess|accepted|短视频'
check case-no-match-untouched test "$(q "SELECT category || '|' || (SELECT COUNT(*) FROM case_reviews WHERE receipt='$RE') FROM cases WHERE receipt='$RE'")" = '图片类|0'
check case-staff-kept-db test "$(q "SELECT title || '|' || (SELECT COUNT(*) FROM case_reviews WHERE receipt='$RD') FROM cases WHERE receipt='$RD'")" = '山里的孩子们|1'
casejson=$(find "$WORK/store/fupin2020" -path "*$RC*" -name case.json)
$PY - "$casejson" <<'PYEOF'
import json, sys
c = json.load(open(sys.argv[1], encoding="utf-8"))
def ok(name, cond):
    print(("PASS " if cond else "FAIL ") + name + ("" if cond else ": " + json.dumps(c, ensure_ascii=False)))
ok("case-json-field", c["fields"]["类别"] == "短视频" and c["fields"]["作品名称"] == "星城大爱")
ok("case-json-status-kept", c["status"] == "accepted")
r = (c.get("reviews") or [{}])[-1]
ok("case-json-review", r.get("action") == "reprocess" and r.get("reviewer") == "subgate reprocess" and r.get("changes") == {"类别": "短视频"})
ok("case-json-kept", c["attachments"] and c["attachments"][0]["name"] == "星城大爱.mp4")
PYEOF
check case-index-refreshed grep -q 短视频 "$WORK/store/fupin2020/index.html"

"$SUBGATE" reprocess -c "$WORK/subgate.conf" "$RC" >"$WORK/rc2.out" 2>>"$WORK/log"
check case-second-run-exit-0 test $? -eq 0
check case-second-run-unchanged grep -q "^$RC	unchanged	\$" "$WORK/rc2.out"
check case-second-run-no-review test "$(q "SELECT COUNT(*) FROM case_reviews WHERE receipt='$RC'")" -eq 1
"$SUBGATE" reprocess -c "$WORK/subgate.conf" NOPE-00001 >/dev/null 2>&1
check case-unknown-receipt-65 test $? -eq 65
"$SUBGATE" reprocess -c "$WORK/subgate.conf" --status rejected "$RC" >/dev/null 2>&1
check case-status-and-receipt-usage test $? -eq 64
