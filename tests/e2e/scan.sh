# Malware ([policy] scan = clamd) through the whole pipeline: real mail
# through OpenSMTPD and Dovecot, `subgate once`, and a real clamd of the
# test's own (tests/e2e/clamd.inc).
#  (a) a file carrying the test's signature beside a good work: the mail
#      is refused with a neutral correction, the file and the mail are in
#      the quarantine, no byte of either is under the store, and staff see
#      the signature in stats and `quarantine list`; likewise EICAR;
#  (b) clamd stopped: the mail waits (exit 75), nothing is recorded; once
#      clamd is back it is filed, once;
#  (c) a file over clamd's MaxFileSize and one over scan_max_bytes: filed,
#      each with a note for staff, not infected;
#  (d) killed between the quarantine and the commit: after a restart, one
#      reply, one record, the same quarantine files, fsck clean.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/clamd.inc"
scan_cleanup() {
	clamd_stop
	e2e_cleanup
}
trap scan_cleanup EXIT

if [ ! -x "$CLAMD" ]; then
	echo "SKIP scan: $CLAMD not installed (Debian's clamav-daemon)"
	exit 0
fi
users=
for p in a b c d; do
	users="$users sub-$p@example.test box-$p@example.test"
done
# shellcheck disable=SC2086
if ! e2e_start_stack $users; then
	fail mailstack-start "the local mail stack did not start"
	exit 1
fi
clamd_setup
if ! clamd_start; then
	fail clamd-start "clamd did not answer PING: $(tail -5 "$CLAMD_DIR/clamd.out")"
	exit 1
fi
pass clamd-start

CAMPAIGN=$(e2e_campaign_open "$TOP/contrib/campaigns/fupin2020.campaign")
sed -i -e '/^\[policy\]/a scan = clamd' \
    -e '/^\[policy\]/a scan_max_bytes = 3M' "$CAMPAIGN"
SUBJECT='扶贫征集-自荐-视频类(微电影)'

# config P: the configuration of part P, its own mailbox and store.
config() {
	mkdir -p "$WORK/$1"
	e2e_write_config -o "$WORK/$1/subgate.conf" -d "$WORK/$1" \
	    -u subgate.poll_interval -s "imap.user=box-$1@example.test" \
	    -s "smtp.from=box-$1@example.test" -u smtp.from_name \
	    -s "clamd.socket=unix:$CLAMD_SOCKET" "$CAMPAIGN"
}
# submit P TITLE ATTACH...: a mail from sub-P to box-P
submit() {
	_p=$1 _t=$2; shift 2
	_a=
	for f in "$@"; do _a="$_a --attach $f"; done
	# shellcheck disable=SC2086
	$PY "$SEND" --port "$MAILSTACK_SMTP_PORT" --from "sub-$_p@example.test" \
	    --to "box-$_p@example.test" --subject "$SUBJECT-$_t" $_a >/dev/null
}
q() { sqlite3 "$WORK/$1/subgate.db" "$2"; }
# last_reply P: the text of the newest reply in sub-P's mailbox
last_reply() {
	read_mailbox "sub-$1@example.test" >"$WORK/$1/inbox.json"
	$PY - "$WORK/$1/inbox.json" <<'EOF'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
m = lines[-1]
print(m.get("subject", ""))
print(m.get("body", ""))
EOF
}
# store_holds P FILE...: some file under P's store holds the bytes of one
# of the FILEs, as they are or in a mail's decoded parts.
# Prints "yes FILE" or "no"; anything else is a failure of the check.
store_holds() {
	_sh_store=$WORK/$1/store; shift
	$PY - "$_sh_store" "$@" <<'EOF'
import email, email.policy, os, sys
store, wanted = sys.argv[1], [open(f, "rb").read() for f in sys.argv[2:]]
if not os.path.isdir(store):
    print("no store")
    sys.exit(0)
for root, dirs, files in os.walk(store):
    for f in files:
        data = open(os.path.join(root, f), "rb").read()
        blobs = [data]
        if data[:4096].find(b"MIME-Version") >= 0 or f.endswith(".eml"):
            m = email.message_from_bytes(data, policy=email.policy.default)
            blobs += [p.get_payload(decode=True) or b"" for p in m.walk()]
        if any(w in b for w in wanted for b in blobs):
            print("yes", os.path.join(root, f))
            sys.exit(0)
print("no")
EOF
}

# The works are real clips (the campaign judges files by content); the
# infected 报名表 needs no more than the marker clamd looks for.
cp "$(e2e_fixture mp4 variant=work)" "$WORK/work.bin" || exit 1
{ head -c 3000 /dev/urandom; printf '%s' "$MARKER"; head -c 3000 /dev/urandom; } \
    >"$WORK/marker.bin"
eicar_text >"$WORK/eicar.bin"

# --- configuration ----------------------------------------------------------
config a
check config-clamd sh -c "'$SUBGATE' check-config -c '$WORK/a/subgate.conf' \
    --clamd >'$WORK/a/check.out' 2>&1"
check config-clamd-pong grep -q PONG "$WORK/a/check.out"
# Scanning without a scanner is a configuration error, not mail that waits.
e2e_write_config -o "$WORK/noclamd.conf" -d "$WORK/noclamd" "$CAMPAIGN"
"$SUBGATE" check-config -c "$WORK/noclamd.conf" >"$WORK/noclamd.out" 2>&1
check config-scan-needs-socket test $? -ne 0
check config-scan-needs-socket-says grep -q 'scan = clamd' "$WORK/noclamd.out"

# --- (a) an infected file beside a good work --------------------------------
submit a 好作品 "$WORK/work.bin=好作品.mp4" "$WORK/marker.bin=报名表.pdf"
wait_mail box-a@example.test 1
"$SUBGATE" once -c "$WORK/a/subgate.conf" >"$WORK/a/once.log" 2>&1
check a-once-exit-0 test $? -eq 0
check a-rejected test "$(q a "SELECT outcome || ' ' || reason FROM messages")" = \
    "rejected infected: Subgate.Test.Marker-1.UNOFFICIAL"
check a-no-case test "$(q a 'SELECT COUNT(*) FROM cases')" -eq 0
wait_mail sub-a@example.test 1
last_reply a >"$WORK/a/reply.txt"
check a-reply-neutral grep -q '附件“报名表.pdf”未通过安全检查，未予登记' "$WORK/a/reply.txt"
check a-reply-contact grep -q '如有疑问请联系info@hnmsw.com' "$WORK/a/reply.txt"
check a-reply-no-signature lacks "$WORK/a/reply.txt" -e Subgate.Test -e 病毒
QDIR=$WORK/a/quarantine
check a-quarantine-file test -f "$QDIR/$(q a 'SELECT path FROM quarantine')"
check a-quarantine-file-same cmp -s "$WORK/marker.bin" \
    "$QDIR/$(q a 'SELECT path FROM quarantine')"
check a-quarantine-mail grep -q 'Subject:' \
    "$QDIR/$(q a 'SELECT message_path FROM quarantine')"
check a-quarantine-private test "$(stat -c %a "$QDIR")" = 700
check a-quarantine-row test "$(q a "SELECT original_name || ' ' || signature
    FROM quarantine")" = "报名表.pdf Subgate.Test.Marker-1.UNOFFICIAL"
check a-store-no-marker sh -c "test -d '$WORK/a/store' &&
    ! grep -r -q -a '$MARKER' '$WORK/a/store'"
check a-nothing-unaccepted sh -c "test -d '$WORK/a/store/fupin2020' &&
    test -z \"\$(ls -A '$WORK/a/store/fupin2020/_unaccepted' 2>/dev/null)\""
"$SUBGATE" stats -c "$WORK/a/subgate.conf" >"$WORK/a/stats.out" 2>&1
check a-stats-signature grep -q 'Subgate.Test.Marker-1.UNOFFICIAL' \
    "$WORK/a/stats.out"
"$SUBGATE" quarantine list -c "$WORK/a/subgate.conf" >"$WORK/a/list.out" 2>&1
check a-list-signature grep -q 'Subgate.Test.Marker-1.UNOFFICIAL.*报名表.pdf.*sub-a@example.test' \
    "$WORK/a/list.out"

# EICAR, the one test file every scanner knows.
submit a 测试 "$WORK/work.bin=测试.mp4" "$WORK/eicar.bin=说明.txt"
wait_mail box-a@example.test 2
"$SUBGATE" once -c "$WORK/a/subgate.conf" >>"$WORK/a/once.log" 2>&1
check a-eicar-quarantined test "$(q a "SELECT signature FROM quarantine
    WHERE original_name = '说明.txt'")" = Subgate.Test.EICAR-1.UNOFFICIAL
check a-eicar-not-in-store sh -c "test -d '$WORK/a/store' &&
    ! grep -r -q -a 'EICAR-STANDARD' '$WORK/a/store'"
# Neither file under the store, not even inside a kept mail's parts.
store_holds a "$WORK/marker.bin" "$WORK/eicar.bin" >"$WORK/a/holds.out" 2>&1
check a-store-holds-neither grep -qx no "$WORK/a/holds.out"
# The quarantined mail is not among the unaccepted to be judged again.
"$SUBGATE" reprocess -c "$WORK/a/subgate.conf" --status rejected \
    >"$WORK/a/reprocess.out" 2>&1
check a-reprocess-exit-0 test $? -eq 0
# (It prints nothing then: a mail it looked for and missed says "missing".)
check a-reprocess-nothing-missing sh -c "test -f '$WORK/a/reprocess.out' &&
    ! grep -q missing '$WORK/a/reprocess.out'"

# --- (b) clamd stopped: the mail waits --------------------------------------
config b
clamd_stop
submit b 等待 "$WORK/work.bin=等待.mp4"
wait_mail box-b@example.test 1
"$SUBGATE" once -c "$WORK/b/subgate.conf" >"$WORK/b/once.log" 2>&1
check b-clamd-down-exit-75 test $? -eq 75
check b-clamd-down-logged grep -q 'clamd' "$WORK/b/once.log"
check b-nothing-recorded test "$(q b 'SELECT COUNT(*) FROM messages')" -eq 0
check b-no-case none_under "$WORK/b/store" case.json
check b-no-reply test "$(q b 'SELECT COUNT(*) FROM outbox')" -eq 0
check b-not-counted test "$(q b 'SELECT COALESCE(SUM(count), 0) FROM attempts')" -eq 0
if ! clamd_start; then
	fail clamd-restart "clamd did not answer PING again"
	exit 1
fi
"$SUBGATE" once -c "$WORK/b/subgate.conf" >>"$WORK/b/once.log" 2>&1
check b-after-restart-exit-0 test $? -eq 0
check b-accepted-once test "$(q b "SELECT group_concat(outcome) FROM messages")" = accepted
check b-one-case test "$(q b 'SELECT COUNT(*) FROM cases')" -eq 1
wait_mail sub-b@example.test 1
"$SUBGATE" once -c "$WORK/b/subgate.conf" >>"$WORK/b/once.log" 2>&1
check b-one-receipt test "$(mailbox_count sub-b@example.test)" -eq 1

# --- (c) over clamd's limit, over scan_max_bytes: filed with a note ---------
config c
cp "$(e2e_fixture mp4 variant=big pad=2000000)" "$WORK/big.bin" || exit 1
cp "$(e2e_fixture pdf variant=huge pad=3500000)" "$WORK/huge.bin" || exit 1
submit c 大作品 "$WORK/big.bin=大作品.mp4" "$WORK/huge.bin=报名表.pdf"
wait_mail box-c@example.test 1
"$SUBGATE" once -c "$WORK/c/subgate.conf" >"$WORK/c/once.log" 2>&1
check c-exit-0 test $? -eq 0
check c-accepted test "$(q c 'SELECT outcome FROM messages')" = accepted
check c-not-quarantined test "$(q c 'SELECT COUNT(*) FROM quarantine')" -eq 0
R=$(q c 'SELECT receipt FROM cases')
"$SUBGATE" cases show -c "$WORK/c/subgate.conf" "$R" >"$WORK/c/show.out" 2>&1
check c-note-clamd-limit grep -q '未扫描（超过扫描程序的限制：Heuristics.Limits.Exceeded' \
    "$WORK/c/show.out"
check c-note-scan-max grep -q '未扫描（超过3 MB）' "$WORK/c/show.out"
"$SUBGATE" cases show -c "$WORK/c/subgate.conf" --json "$R" >"$WORK/c/show.json"
check c-case-json-skipped test "$(grep -o '"scan":"skipped"' "$WORK/c/show.json" | wc -l)" -eq 2

# --- (d) killed between the quarantine and the commit -----------------------
config d
submit d 崩溃 "$WORK/work.bin=崩溃.mp4" "$WORK/marker.bin=报名表.pdf"
wait_mail box-d@example.test 1
SUBGATE_TEST_CRASH_POINT=after-quarantine "$SUBGATE" once \
    -c "$WORK/d/subgate.conf" >"$WORK/d/crash.log" 2>&1
check d-killed test $? -eq 137
check d-quarantined-before-commit test "$(find "$WORK/d/quarantine" -type f \
    ! -name '.tmp-*' | wc -l)" -eq 2
check d-nothing-recorded test "$(q d 'SELECT COUNT(*) FROM messages')" -eq 0
"$SUBGATE" once -c "$WORK/d/subgate.conf" >"$WORK/d/again.log" 2>&1
check d-rerun-exit-0 test $? -eq 0
check d-one-message test "$(q d 'SELECT COUNT(*) FROM messages')" -eq 1
check d-one-quarantine-row test "$(q d 'SELECT COUNT(*) FROM quarantine')" -eq 1
check d-same-files test "$(find "$WORK/d/quarantine" -type f | wc -l)" -eq 2
check d-one-reply-queued test "$(q d 'SELECT COUNT(*) FROM outbox')" -eq 1
check d-store-no-marker sh -c "test -d '$WORK/d/store' &&
    ! grep -r -q -a '$MARKER' '$WORK/d/store'"
wait_mail sub-d@example.test 1
"$SUBGATE" once -c "$WORK/d/subgate.conf" >>"$WORK/d/again.log" 2>&1
sleep 1
check d-one-reply test "$(mailbox_count sub-d@example.test)" -eq 1
"$SUBGATE" fsck -c "$WORK/d/subgate.conf" >"$WORK/d/fsck.out" 2>&1
check d-fsck-clean grep -qx 'fsck: no problems found' "$WORK/d/fsck.out"
