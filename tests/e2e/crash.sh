# Nothing lost, nothing twice: subgate is killed with SIGKILL at each step
# of the commit order, then run again.  Each time exactly one case exists,
# no half-built folder is visible, and the submitter gets exactly one
# receipt (two, with one Message-ID, when killed between the SMTP server's
# final OK and the sent commit).
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

POINTS="after-spool mid-case after-case-rename after-commit"
SMTP_POINTS="mid-smtp after-smtp"
users="sub-killer@example.test box-killer@example.test"
GROUP_POINTS="between-cases after-case-rename"
for p in $POINTS $SMTP_POINTS; do
	users="$users sub-$p@example.test box-$p@example.test"
done
for p in $GROUP_POINTS; do
	users="$users sub-group-$p@example.test box-group-$p@example.test"
done
# shellcheck disable=SC2086
if ! e2e_start_stack $users; then
	fail mailstack-start "the local mail stack did not start"
	exit 1
fi
CAMPAIGN=$(e2e_campaign_open "$TOP/contrib/campaigns/fupin2020.campaign")
# The work: a real MP4 (e2e_attach), big enough to be written in pieces.

for p in $POINTS; do
	dir=$WORK/$p
	mkdir -p "$dir"
	e2e_write_config -o "$dir/subgate.conf" -d "$dir" \
	    -u subgate.poll_interval -s "imap.user=box-$p@example.test" \
	    -s "smtp.from=box-$p@example.test" -u smtp.from_name "$CAMPAIGN"
	$PY "$SEND" --port "$MAILSTACK_SMTP_PORT" --from "sub-$p@example.test" \
	    --to "box-$p@example.test" --subject '扶贫征集-自荐-视频类(微电影)-崩溃测试' \
	    --attach "$(e2e_attach work 崩溃测试.mp4 pad=200000)" >/dev/null
	wait_mail "box-$p@example.test" 1

	SUBGATE_TEST_CRASH_POINT=$p "$SUBGATE" once -c "$dir/subgate.conf" \
	    >"$dir/crash.log" 2>&1
	rc=$?
	check "$p-killed" test "$rc" -eq 137
	# Whatever the crash left, no half-written case folder is visible.
	half=0 seen=0
	for c in $(find "$dir/store/fupin2020" -mindepth 2 -maxdepth 2 -type d \
	    -name 'FUPIN2020-*' 2>/dev/null); do
		seen=$((seen + 1))
		for f in case.json original.eml 崩溃测试.mp4; do
			[ -f "$c/$f" ] || half=1
		done
	done
	check "$p-no-partial-folder" sh -c "test -d '$dir/store' && test $half -eq 0"
	# Once the folder is renamed into place it is there to be looked at:
	# the loop above did look where case folders are.
	case $p in
	after-case-rename|after-commit)
		check "$p-folder-in-place" test "$seen" -eq 1 ;;
	esac

	"$SUBGATE" once -c "$dir/subgate.conf" >"$dir/again.log" 2>&1
	check "$p-rerun-exit-0" test $? -eq 0
	# The folder renamed into place before its commit is not known to
	# the database: set aside (and said so), not deleted, since a folder
	# staff renamed looks the same.
	case $p in
	after-case-rename)
		check "$p-leftover-set-aside" test "$(find "$dir/store/_fsck" \
		    -name case.json 2>/dev/null | wc -l)" -eq 1
		check "$p-set-aside-logged" grep -q 'was set aside' \
		    "$dir/again.log" ;;
	esac
	check "$p-one-case-folder" test "$(find "$dir/store/fupin2020" \
	    -name case.json | wc -l)" -eq 1
	check "$p-one-case-row" test "$(sqlite3 "$dir/subgate.db" \
	    'SELECT COUNT(*) FROM cases')" -eq 1
	check "$p-one-message-row" test "$(sqlite3 "$dir/subgate.db" \
	    'SELECT COUNT(*) FROM messages')" -eq 1
	check "$p-case-complete" cmp -s "$(e2e_fixture mp4 variant=work pad=200000)" \
	    "$(find "$dir/store/fupin2020" -name 崩溃测试.mp4)"
	check "$p-tmp-empty" sh -c 'test -d "$1" && test -z "$(ls -A "$1")"' \
	    sh "$dir/store/.tmp"
	wait_mail "sub-$p@example.test" 1
	"$SUBGATE" once -c "$dir/subgate.conf" >>"$dir/again.log" 2>&1
	sleep 1
	check "$p-one-receipt" test "$(mailbox_count "sub-$p@example.test")" -eq 1
done

# --- Killed between the cases of one mail -----------------------------------
# A mail of three works (Changzhou, per_mail = many) makes three folders,
# renamed into place one by one before the one commit.  Killed after the
# first (between-cases) or after the last (after-case-rename), the next
# run sets aside every folder of the group the database does not know,
# and processes the mail again: the same three receipt numbers, one reply.
CZ=$(e2e_campaign_open "$TOP/contrib/campaigns/dangjiao-changzhou-2024.campaign")
mkdir -p "$WORK/units"
cp "$TOP/contrib/campaigns/units/dangjiao-changzhou-2024.tsv" "$WORK/units/"
U=金坛区委组织部
for p in $GROUP_POINTS; do
	dir=$WORK/group-$p
	mkdir -p "$dir"
	e2e_write_config -o "$dir/subgate.conf" -d "$dir" \
	    -u subgate.poll_interval -s "imap.user=box-group-$p@example.test" \
	    -s "smtp.from=box-group-$p@example.test" -u smtp.from_name "$CZ"
	$PY "$SEND" --port "$MAILSTACK_SMTP_PORT" \
	    --from "sub-group-$p@example.test" --to "box-group-$p@example.test" \
	    --subject '金坛区报送作品' \
	    --attach "$(e2e_attach work 初心如磐-纪录片-$U.mp4 pad=200000)" \
	    --attach "$(e2e_attach work 报名表-初心如磐.docx)" \
	    --attach "$(e2e_attach work 使命-纪录片-$U.mp4 pad=200000)" \
	    --attach "$(e2e_attach work 报名表-使命.docx)" \
	    --attach "$(e2e_attach work 担当-纪录片-$U.mp4 pad=200000)" \
	    --attach "$(e2e_attach work 报名表-担当.docx)" \
	    --attach "$(e2e_attach work 汇总表.pdf)" >/dev/null
	wait_mail "box-group-$p@example.test" 1

	SUBGATE_TEST_CRASH_POINT=$p "$SUBGATE" once -c "$dir/subgate.conf" \
	    >"$dir/crash.log" 2>&1
	check "group-$p-killed" test $? -eq 137
	case $p in
	between-cases) placed=1 ;;
	*) placed=3 ;;
	esac
	check "group-$p-placed" test "$(find "$dir/store/dangjiao-changzhou-2024" \
	    -name case.json 2>/dev/null | wc -l)" -eq "$placed"
	check "group-$p-nothing-recorded" test "$(sqlite3 "$dir/subgate.db" \
	    'SELECT COUNT(*) FROM cases')" -eq 0

	"$SUBGATE" once -c "$dir/subgate.conf" >"$dir/again.log" 2>&1
	check "group-$p-rerun-exit-0" test $? -eq 0
	# Every folder of the group in place uncommitted was set aside.
	check "group-$p-set-aside" test "$(find "$dir/store/_fsck" \
	    -name case.json 2>/dev/null | wc -l)" -eq "$placed"
	check "group-$p-three-folders" test "$(find \
	    "$dir/store/dangjiao-changzhou-2024" -name case.json | wc -l)" -eq 3
	check "group-$p-same-receipts" test "$(sqlite3 "$dir/subgate.db" \
	    "SELECT group_concat(receipt || ':' || group_pos, ' ') FROM
	    (SELECT * FROM cases ORDER BY seq)")" = \
	    "DANGJIAOCHANGZHOU2024-00001:1 DANGJIAOCHANGZHOU2024-00002:2 DANGJIAOCHANGZHOU2024-00003:3"
	check "group-$p-first-set-aside-same-number" test -n "$(find \
	    "$dir/store/_fsck" -type d -name 'DANGJIAOCHANGZHOU2024-00001-*')"
	check "group-$p-one-message-row" test "$(sqlite3 "$dir/subgate.db" \
	    'SELECT COUNT(*) FROM messages')" -eq 1
	check "group-$p-tmp-empty" sh -c 'test -z "$(ls -A "$1")"' \
	    sh "$dir/store/.tmp"
	check "group-$p-one-reply-queued" test "$(sqlite3 "$dir/subgate.db" \
	    'SELECT COUNT(*) FROM outbox')" -eq 1
	wait_mail "sub-group-$p@example.test" 1
	"$SUBGATE" once -c "$dir/subgate.conf" >>"$dir/again.log" 2>&1
	sleep 1
	check "group-$p-one-receipt" \
	    test "$(mailbox_count "sub-group-$p@example.test")" -eq 1
done

# --- Killed while a reply is handed to SMTP --------------------------------
# A reply is marked sending, and that committed, before its SMTP
# transaction starts.  Killed inside it (mid-smtp: DATA begun, the final
# dot not sent) the server keeps nothing; the next run finds the reply
# sending, says so, and delivers it once.  Killed after the server's final
# OK and before the sent commit (after-smtp), the reply goes out a second
# time, with the same Message-ID: the window README.md owns up to.
for p in $SMTP_POINTS; do
	dir=$WORK/$p
	conf=$dir/subgate.conf
	mkdir -p "$dir"
	e2e_write_config -o "$conf" -d "$dir" \
	    -u subgate.poll_interval -s "imap.user=box-$p@example.test" \
	    -s "smtp.from=box-$p@example.test" -u smtp.from_name "$CAMPAIGN"
	$PY "$SEND" --port "$MAILSTACK_SMTP_PORT" --from "sub-$p@example.test" \
	    --to "box-$p@example.test" --subject '扶贫征集-自荐-视频类(微电影)-发送中崩溃' \
	    --attach "$(e2e_attach work 发送中崩溃.mp4 pad=200000)" >/dev/null
	wait_mail "box-$p@example.test" 1
	case $p in
	mid-smtp) before=0 after=1 ;;
	*) before=1 after=2 ;;
	esac

	SUBGATE_TEST_CRASH_POINT=$p "$SUBGATE" once -c "$conf" \
	    >"$dir/crash.log" 2>&1
	check "$p-killed" test $? -eq 137
	check "$p-left-sending" test "$(outbox_count "$conf" --state sending)" -eq 1
	check "$p-nothing-else-queued" test "$(outbox_count "$conf")" -eq 1
	[ "$before" -gt 0 ] && wait_mail "sub-$p@example.test" "$before"
	sleep 1
	check "$p-delivered-before-rerun" \
	    test "$(mailbox_count "sub-$p@example.test")" -eq "$before"

	"$SUBGATE" once -c "$conf" >"$dir/again.log" 2>&1
	check "$p-rerun-exit-0" test $? -eq 0
	check "$p-interrupted-logged" grep -q 'was being handed to the server' \
	    "$dir/again.log"
	check "$p-marked-sent" test "$(outbox_count "$conf" --state sent)" -eq 1
	check "$p-one-case-row" test "$(sqlite3 "$dir/subgate.db" \
	    'SELECT COUNT(*) FROM cases')" -eq 1
	wait_mail "sub-$p@example.test" "$after"
	"$SUBGATE" once -c "$conf" >>"$dir/again.log" 2>&1
	sleep 1
	check "$p-receipts" test "$(mailbox_count "sub-$p@example.test")" -eq "$after"
	# Every copy carries the Message-ID the outbox recorded: a mail
	# client shows one message.
	want="<$(sqlite3 "$dir/subgate.db" 'SELECT reply_message_id FROM outbox')>"
	read_mailbox "sub-$p@example.test" >"$dir/got.json"
	check "$p-same-message-id" "$PY" -c '
import json, sys
ids = [json.loads(l)["message_id"] for l in open(sys.argv[1]) if l.strip()]
sys.exit(0 if ids and all(i == sys.argv[2] for i in ids) else 1)' \
	    "$dir/got.json" "$want"
done

# --- A message that kills the process every time ---------------------------
# Each attempt is counted before the message is processed, so one that
# ends the process (a memory limit, a parser's bug) three times is
# quarantined, unread, like any message that fails three times; it does
# not block its folder forever.
dir=$WORK/killer
mkdir -p "$dir"
e2e_write_config -o "$dir/subgate.conf" -d "$dir" \
    -u subgate.poll_interval -s "imap.user=box-killer@example.test" \
    -s "smtp.from=box-killer@example.test" -u smtp.from_name "$CAMPAIGN"
$PY "$SEND" --port "$MAILSTACK_SMTP_PORT" --from sub-killer@example.test \
    --to box-killer@example.test --subject '扶贫征集-自荐-视频类(微电影)-每次都崩溃' \
    --attach "$(e2e_attach work 每次都崩溃.mp4 pad=200000)" >/dev/null
wait_mail box-killer@example.test 1
for i in 1 2 3; do
	SUBGATE_TEST_CRASH_POINT=mid-case "$SUBGATE" once -c "$dir/subgate.conf" \
	    >"$dir/crash-$i.log" 2>&1
	check "killer-run-$i-killed" test $? -eq 137
done
check killer-attempts-counted test "$(sqlite3 "$dir/subgate.db" \
    'SELECT count FROM attempts')" -eq 3
"$SUBGATE" once -c "$dir/subgate.conf" >"$dir/fourth.log" 2>&1
check killer-fourth-run-exit-0 test $? -eq 0
check killer-quarantined test "$(sqlite3 "$dir/subgate.db" \
    "SELECT outcome FROM messages")" = failed
check killer-reason sh -c "sqlite3 '$dir/subgate.db' 'SELECT reason FROM messages' | grep -q 'ended the process'"
check killer-no-case test "$(sqlite3 "$dir/subgate.db" 'SELECT COUNT(*) FROM cases')" -eq 0
check killer-kept-for-staff test "$(find "$dir/store/fupin2020/_unaccepted" \
    -name '*.eml' 2>/dev/null | wc -l)" -eq 1
check killer-attempts-settled test "$(sqlite3 "$dir/subgate.db" \
    'SELECT COUNT(*) FROM attempts')" -eq 0
"$SUBGATE" once -c "$dir/subgate.conf" >"$dir/fifth.log" 2>&1
check killer-fifth-run-nothing-new test "$(sqlite3 "$dir/subgate.db" \
    'SELECT COUNT(*) FROM messages')" -eq 1
