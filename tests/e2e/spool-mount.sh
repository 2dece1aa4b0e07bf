# The spool and the build folder are subgate's, but the folders themselves
# may be the administrator's: .spool/ on a file system of its own (a
# mount point) is emptied at start, never removed, and a message fetched
# there is copied into its case (no link across file systems).  A
# leftover that cannot be removed stops the start with the reason and
# EX_TEMPFAIL, and the message waits in the mailbox: nothing crashes.
. "$(dirname "$0")/lib.sh"
MNT=
IMM=
trap '[ -n "$IMM" ] && chattr -i "$IMM" 2>/dev/null;
    [ -n "$MNT" ] && umount "$MNT" 2>/dev/null; e2e_cleanup' EXIT

if ! e2e_start_stack sub@example.test box@example.test; then
	fail mailstack-start "the local mail stack did not start"
	exit 1
fi
CAMPAIGN=$(e2e_campaign_open "$TOP/contrib/campaigns/fupin2020.campaign")
e2e_write_config -u subgate.poll_interval -s imap.user=box@example.test \
    -s smtp.from=box@example.test -u smtp.from_name "$CAMPAIGN"
C=$WORK/subgate.conf
ST=$WORK/store
# The work: a real MP4, padded to 300 KB.
e2e_fixture --out "$WORK/work.bin" mp4 pad=300000 >/dev/null
send() {
	$PY "$SEND" --port "$MAILSTACK_SMTP_PORT" --from sub@example.test \
	    --to box@example.test --subject "扶贫征集-自荐-视频类(微电影)-$1" \
	    --attach "$WORK/work.bin=$1.mp4" >/dev/null
}

# ---- .spool/ a mount point ----
mkdir -p "$ST/.spool"
if mount -t tmpfs -o size=64M tmpfs "$ST/.spool" 2>/dev/null; then
	MNT=$ST/.spool
	echo stale >"$ST/.spool/msg-1-1.eml"
	send 独立分区
	wait_mail box@example.test 1
	"$SUBGATE" once -c "$C" >"$WORK/mount.out" 2>&1
	check mount-once-ok test $? -eq 0
	check mount-kept mountpoint -q "$ST/.spool"
	check mount-leftover-removed test ! -e "$ST/.spool/msg-1-1.eml"
	D=$(find "$ST/fupin2020" -type d -name 'FUPIN2020-00001-*')
	check mount-case-made test -n "$D"
	check mount-attachment-whole cmp -s "$D/独立分区.mp4" "$WORK/work.bin"
	check mount-original-copied grep -q '^Subject:' "$D/original.eml"
	check mount-spool-empty test -z "$(ls -A "$ST/.spool")"
	umount "$ST/.spool" && MNT=
else
	echo "SKIP spool-mount-tmpfs: cannot mount a tmpfs here"
fi

# ---- a leftover that cannot be removed ----
mkdir -p "$ST/.tmp"
echo stale >"$ST/.tmp/stuck"
if chattr +i "$ST/.tmp/stuck" 2>/dev/null; then
	IMM=$ST/.tmp/stuck
	n=$(mailbox_count box@example.test)
	send 无法清理
	wait_mail box@example.test $((n + 1))
	rows() { sqlite3 "$WORK/subgate.db" 'SELECT COUNT(*) FROM messages' \
	    2>/dev/null || echo 0; }
	before=$(rows)
	"$SUBGATE" once -c "$C" >"$WORK/stuck.out" 2>&1
	check stuck-tempfail test $? -eq 75
	check stuck-says-why grep -q "cannot clean $ST/.tmp/stuck" "$WORK/stuck.out"
	check stuck-message-waits test "$(rows)" -eq "$before"
	chattr -i "$IMM" && IMM=
	"$SUBGATE" once -c "$C" >"$WORK/unstuck.out" 2>&1
	check unstuck-once-ok test $? -eq 0
	check unstuck-case-made test -n "$(find "$ST/fupin2020" -type d \
	    -name 'FUPIN2020-*-无法清理')"
else
	echo "SKIP spool-mount-immutable: chattr +i is not supported here"
fi
