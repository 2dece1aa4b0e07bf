# The server renumbers the campaign folder (new UIDVALIDITY, as after a
# Dovecot index rebuild or a mailbox migration): subgate rescans it,
# recognises what it already processed (no second case, no second receipt)
# and takes the one new mail exactly once.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

if ! e2e_start_stack unit-a@example.test; then
	fail mailstack-start "the local mail stack did not start"
	exit 1
fi
# The text is a work file: a mail without one would be answered with a
# correction, not a receipt.
e2e_write_config "$(e2e_campaign_open "$TOP/contrib/campaigns/fupin2020.campaign")"

ncases() {
	find "$WORK/store" -name case.json 2>/dev/null | wc -l
}

uidvalidity() {
	sqlite3 "$WORK/subgate.db" "SELECT uidvalidity FROM folders" 2>/dev/null
}

send_mail unit-a@example.test '扶贫征集-自荐-文字类-我的扶贫路' --body '一篇文章' \
    --attach "$(e2e_attach work 我的扶贫路.docx)"
check first-delivered wait_mail campaign@example.test 1
"$SUBGATE" once -c "$WORK/subgate.conf" >"$WORK/once1.log" 2>&1
check first-cycle-exit-0 test $? -eq 0
check first-case-made test "$(ncases)" -eq 1
check first-receipt wait_mail unit-a@example.test 1
old_validity=$(uidvalidity)
check uidvalidity-first-recorded test -n "$old_validity"

# Dovecot gives the folder a new UIDVALIDITY when its UID list and indexes
# are gone.
"$MAILSTACK" stop "$WORK/stack" >/dev/null
maildir="$WORK/stack/mail/campaign@example.test"
rm -f "$maildir"/dovecot-uidlist "$maildir"/dovecot.index* \
    "$maildir"/dovecot.list.index*
check restarted sh -c "'$MAILSTACK' start '$WORK/stack' >/dev/null"
. "$WORK/stack/env"

"$SUBGATE" once -c "$WORK/subgate.conf" >"$WORK/once2.log" 2>&1
rc=$?
check rescan-exit-0 test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$WORK/once2.log"
check rescan-announced grep -q 'UIDVALIDITY changed' "$WORK/once2.log"
check uidvalidity-recorded sh -c "test '$(uidvalidity)' != '$old_validity' && test -n '$(uidvalidity)'" 
check rescan-fetched-the-old-mail grep -q 'cycle: 1 fetched, 0 accepted' "$WORK/once2.log"
check rescan-no-second-case test "$(ncases)" -eq 1
sleep 1
check rescan-no-second-receipt test "$(mailbox_count unit-a@example.test)" -eq 1

# New mail after the renumbering is taken once.
send_mail unit-a@example.test '扶贫征集-自荐-文字类-第二篇' --body '又一篇' \
    --attach "$(e2e_attach work 第二篇.docx)"
check second-delivered wait_mail campaign@example.test 2
"$SUBGATE" once -c "$WORK/subgate.conf" >"$WORK/once3.log" 2>&1
check new-mail-exit-0 test $? -eq 0
check new-mail-fetched-alone grep -q 'cycle: 1 fetched, 1 accepted' "$WORK/once3.log"
check new-mail-case-made test "$(ncases)" -eq 2
check new-mail-receipt wait_mail unit-a@example.test 2

"$SUBGATE" once -c "$WORK/subgate.conf" >"$WORK/once4.log" 2>&1
check then-nothing-more grep -q 'cycle: 0 fetched' "$WORK/once4.log"
check no-third-case test "$(ncases)" -eq 2
sleep 1
check no-third-receipt test "$(mailbox_count unit-a@example.test)" -eq 2
