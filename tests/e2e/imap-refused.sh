# A message the IMAP server refuses to hand over (a tagged NO to its
# FETCH, as Dovecot answers for a damaged mail file) must not block the
# folder: after the bounded retries it is recorded as failed and the mail
# after it is processed.  A scripted server plays the damaged mailbox.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

$PY "$SEND" --save "$WORK/good.eml" --from good@example.test \
    --to campaign@example.test --subject '扶贫征集-自荐-文字类-后来的稿' \
    --date 'Sat, 01 Aug 2020 10:00:00 +0800' \
    --attach "$(e2e_attach work 后来的稿.docx)" >/dev/null

# UID 1 is the damaged mail (listed with the good one's size), UID 2 the
# good one.
e2e_fake_imap fake --message "$WORK/good.eml" --message "$WORK/good.eml" \
    --refuse-uid 1 || exit 1
printf 'pw\n' >"$WORK/pass"
CAMPAIGN=$(e2e_campaign_open "$TOP/contrib/campaigns/fupin2020.campaign")
e2e_write_config -u subgate.poll_interval -s "imap.port=$FAKE_IMAP_PORT" \
    -s "imap.password_file=$WORK/pass" -s imap.timeout=10 -u smtp "$CAMPAIGN"
q() { sqlite3 "$WORK/subgate.db" "$1"; }
for n in 1 2; do
	"$SUBGATE" once -c "$WORK/subgate.conf" >"$WORK/once$n.log" 2>&1
	check "refused-attempt-$n-retried-later" test $? -eq 75
	check "refused-attempt-$n-says-why" grep -q 'Internal error reading the mail file (attempt' "$WORK/once$n.log"
done
check refused-blocks-until-limit test "$(q 'SELECT COUNT(*) FROM messages')" -eq 0
"$SUBGATE" once -c "$WORK/subgate.conf" >"$WORK/once3.log" 2>&1
check refused-third-cycle-ok test $? -eq 0
check refused-recorded-failed test "$(q 'SELECT outcome FROM messages WHERE uid = 1')" = failed
check next-message-processed test "$(q 'SELECT outcome FROM messages WHERE uid = 2')" = accepted
check folder-moved-on test "$(q 'SELECT last_uid FROM folders')" -eq 2
"$SUBGATE" once -c "$WORK/subgate.conf" >"$WORK/once4.log" 2>&1
check nothing-twice grep -q 'cycle: 0 fetched' "$WORK/once4.log"
