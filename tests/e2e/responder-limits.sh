# The gateway answers whatever address a mail claims, so a stranger can aim
# its corrections at someone else.  On the local mail stack: forged mail
# naming five people at one domain gets them no more corrections than the
# domain's hourly limit allows, while a real submitter at that domain and
# elsewhere still gets the receipt at once.  The held corrections wait in
# the outbox; none is dropped.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

if ! e2e_start_stack v1@victim.test v2@victim.test v3@victim.test \
    v4@victim.test v5@victim.test clerk@victim.test unit@example.test \
    box2@example.test victim@target.test real@real.test a1@d1.test \
    a2@d2.test a3@d3.test a4@d4.test a5@d5.test; then
	fail mailstack-start "the local mail stack did not start"
	exit 1
fi
CAMPAIGN=$(e2e_campaign_open "$TOP/contrib/campaigns/fupin2020.campaign")
e2e_write_config -s smtp.rate_per_domain_hour=2 \
    -s smtp.rate_refusals_hour=100 "$CAMPAIGN"
CONF=$WORK/subgate.conf

for n in 1 2 3 4 5; do
	send_mail "v$n@victim.test" "买药请访问 $n"
done
send_mail clerk@victim.test '扶贫征集-自荐-文字类-山乡巨变' \
    --attach "$(e2e_attach work 山乡巨变.docx)"
send_mail unit@example.test '扶贫征集-自荐-文字类-老屋新颜' \
    --attach "$(e2e_attach work 老屋新颜.docx)"
check delivered-to-campaign wait_mail campaign@example.test 7

"$SUBGATE" once -c "$CONF" >"$WORK/once.log" 2>&1
check once-exit-0 test $? -eq 0
check receipt-to-domain-not-held wait_mail clerk@victim.test 1
check receipt-elsewhere wait_mail unit@example.test 1
sleep 1
corrections=0
for n in 1 2 3 4 5; do
	corrections=$((corrections + $(mailbox_count "v$n@victim.test")))
done
check domain-gets-its-limit test "$corrections" -eq 2
check rest-wait-in-outbox test "$(outbox_count "$CONF" --state queued)" -eq 3
check held-logged-once test "$(grep -c "wait for their domain's hourly limit" \
    "$WORK/once.log")" -eq 1

# --- Forged mail naming a submitter's own address holds no receipt ---------
# Corrections and receipts have an hourly allowance each per mailbox, and
# receipts go first in a batch and in the relay's allowance per minute:
# forged mail queued ahead of a real submission (from victim+N@, or from
# five other domains) cannot make the real receipt wait.
D2=$WORK/second
mkdir -p "$D2"
e2e_write_config -o "$D2/subgate.conf" -d "$D2" -u subgate.poll_interval \
    -s imap.user=box2@example.test -s smtp.from=box2@example.test \
    -s smtp.rate_per_recipient_hour=3 -s smtp.rate_global_minute=4 \
    -u smtp.from_name "$CAMPAIGN"
box2() {
	from=$1 subject=$2; shift 2
	$PY "$SEND" --port "$MAILSTACK_SMTP_PORT" --from "$from" \
	    --to box2@example.test --subject "$subject" "$@" >/dev/null
}
for n in 1 2 3 4; do
	box2 "victim+$n@target.test" "广告 $n"
done
for n in 1 2 3 4 5; do
	box2 "a$n@d$n.test" "广告 d$n"
done
box2 victim@target.test '扶贫征集-自荐-文字类-我的作品' \
    --attach "$(e2e_attach work 我的作品.docx)"
box2 real@real.test '扶贫征集-自荐-文字类-真的作品' \
    --attach "$(e2e_attach work 真的作品.docx)"
check second-delivered wait_mail box2@example.test 11
"$SUBGATE" once -c "$D2/subgate.conf" >"$D2/once.log" 2>&1
check second-once-exit-0 test $? -eq 0
check forged-tags-hold-no-receipt sh -c "test \"\$(sqlite3 '$D2/subgate.db' \
    \"SELECT state FROM outbox WHERE kind = 'receipt' AND recipient = 'victim@target.test'\")\" = sent"
check forged-domains-hold-no-receipt sh -c "test \"\$(sqlite3 '$D2/subgate.db' \
    \"SELECT state FROM outbox WHERE kind = 'receipt' AND recipient = 'real@real.test'\")\" = sent"
check receipts-arrive wait_mail real@real.test 1
check corrections-wait-not-dropped test "$(sqlite3 "$D2/subgate.db" \
    "SELECT COUNT(*) FROM outbox WHERE kind = 'correction' AND state = 'queued'")" -ge 1
