# The gateway answers whatever address a mail claims, so a stranger can aim
# its corrections at someone else.  On the local mail stack: forged mail
# naming five people at one domain gets them no more corrections than the
# domain's hourly limit allows, while a real submitter at that domain and
# elsewhere still gets the receipt at once.  The held corrections wait in
# the outbox; none is dropped.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

if ! e2e_start_stack v1@victim.test v2@victim.test v3@victim.test \
    v4@victim.test v5@victim.test clerk@victim.test unit@example.test; then
	fail mailstack-start "the local mail stack did not start"
	exit 1
fi
CAMPAIGN=$(e2e_campaign_open "$TOP/contrib/campaigns/fupin2020.campaign")
e2e_write_config -s smtp.rate_per_domain_hour=2 \
    -s smtp.rate_refusals_hour=100 "$CAMPAIGN"
CONF=$WORK/subgate.conf

head -c 5000 /dev/urandom >"$WORK/work.bin"
for n in 1 2 3 4 5; do
	send_mail "v$n@victim.test" "买药请访问 $n"
done
send_mail clerk@victim.test '扶贫征集-自荐-文字类-山乡巨变' \
    --attach "$WORK/work.bin=山乡巨变.docx"
send_mail unit@example.test '扶贫征集-自荐-文字类-老屋新颜' \
    --attach "$WORK/work.bin=老屋新颜.docx"
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
