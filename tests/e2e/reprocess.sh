# After staff fix a campaign file (here: the alias 摄影类 for 图片类 was
# missing), `subgate reprocess --status rejected` files the mail the old
# file rejected: one case, the message's own row updated, a receipt queued,
# no second correction for what is still wrong, nothing done twice.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

sed -e 's/^alias.图片类 = .*/alias.图片类 = 图片/' \
    "$TOP/contrib/campaigns/fupin2020.campaign" >"$WORK/fupin2020.campaign"
write_conf() {
	cat >"$WORK/subgate.conf" <<EOC
[subgate]
store = $WORK/store
database = $WORK/db
campaigns = $1
[smtp]
url = smtp://127.0.0.1:9
from = campaign@example.test
EOC
}
write_conf "$WORK/fupin2020.campaign"
head -c 4000 /dev/urandom >"$WORK/w.bin"
D='Sat, 01 Aug 2020 10:00:00 +0800'
$PY "$SEND" --save "$WORK/a.eml" --from a@example.test --to c@example.test \
    --subject '扶贫征集-自荐-摄影类-山乡巨变' --date "$D" --attach "$WORK/w.bin=山乡巨变.jpg"
$PY "$SEND" --save "$WORK/b.eml" --from b@example.test --to c@example.test \
    --subject '扶贫征集-自荐-音频类-山歌' --date "$D" --attach "$WORK/w.bin=山歌.mp3"
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
check case-has-work cmp -s "$WORK/w.bin" "$(find "$WORK/store/fupin2020/图片类" -name 山乡巨变.jpg)"
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
