# A store subgate cannot write is the environment failing, never the
# submission: a store remounted read-only (EROFS), a full one (ENOSPC), a
# folder in it subgate may not write (EACCES), and an I/O error (EIO).
# While the fault lasts, `subgate run` counts nothing against the waiting
# message, records no outcome, says why once, and takes the message by
# itself once the fault clears (env-fault.inc).  The store is a tmpfs
# mounted on the store folder (its lock, beside it, stays writable);
# where mounting is not allowed the test says so.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/env-fault.inc"
STORE=$WORK/store
# In a folder of its own, which can be handed to nobody below.
DB=$WORK/db/subgate.db
STORE_MNT=
trap 'daemon_stop; [ -n "$STORE_MNT" ] && umount "$STORE_MNT" 2>/dev/null;
    e2e_cleanup' EXIT

mkdir -p "$STORE"
# Roomy (a limit, not memory taken): a store under subgate's reserve of
# free space counts as full whatever fails, and would hide the rest.
if ! mount -t tmpfs -o size=1G,mode=755 tmpfs "$STORE" 2>/dev/null; then
	echo "SKIP imap-env-store: cannot mount a tmpfs here"
	exit 0
fi
STORE_MNT=$STORE
if ! e2e_start_stack unit@example.test; then
	fail mailstack-start "the local mail stack did not start"
	exit 1
fi
mkdir -p "$WORK/db"
e2e_write_config -s "subgate.database=$DB" "$(e2e_campaign_open "$TOP/contrib/campaigns/fupin2020.campaign")"

# Read-only: remounted under the running daemon, which finds out when
# the mail comes.
daemon_start erofs
check erofs-first-cycle wait_for 30 cycles_at_least erofs 1
mount -o remount,ro "$STORE"
submit 只读
fault_holds erofs 'Read-only file system'
mount -o remount,rw "$STORE"
fault_cleared erofs
daemon_stop

# Full: every byte taken by a file of staff's.
daemon_start enospc
check enospc-first-cycle wait_for 30 cycles_at_least enospc 1
mount -o remount,size=16M "$STORE"
dd if=/dev/zero of="$STORE/staff-backup.bin" bs=64k 2>/dev/null
submit 满盘
fault_holds enospc 'No space left on device'
rm -f "$STORE/staff-backup.bin"
fault_cleared enospc
daemon_stop
mount -o remount,size=1G "$STORE"

# An I/O error cannot be made on demand: it is injected where ingest
# begins (SUBGATE_TEST_FAIL_POINT=ingest:EIO), after the attempt was
# counted.  The fault clears when the daemon starts again without it.
daemon_start eio env SUBGATE_TEST_FAIL_POINT=ingest:EIO
check eio-first-cycle wait_for 30 cycles_at_least eio 1
submit 读写错误
fault_holds eio 'Input/output error'
daemon_stop
check eio-no-attempt-left test "$(attempts_counted)" -eq 0
daemon_start eio-cleared
check eio-cleared-receipt receipts_arrive
check eio-cleared-accepted test "$(db_q "SELECT outcome FROM messages \
    ORDER BY id DESC LIMIT 1")" = accepted
daemon_stop

# The same, and the database refuses to take the attempt back as well
# (injected too: SUBGATE_TEST_FAIL_POINT=forgive:EIO): the attempt left
# counted is taken back before the message is counted again, so the count
# cannot climb to a quarantine while the fault lasts.
daemon_start unforgiven env SUBGATE_TEST_FAIL_POINT=ingest:EIO,forgive:EIO
check unforgiven-first-cycle wait_for 30 cycles_at_least unforgiven 1
submit 无法撤回
fault_holds unforgiven 'could not take the attempt back'
daemon_stop
daemon_start unforgiven-cleared
check unforgiven-cleared-receipt receipts_arrive
check unforgiven-cleared-accepted test "$(db_q "SELECT outcome FROM messages \
    ORDER BY id DESC LIMIT 1")" = accepted
daemon_stop

# Permission denied: subgate runs as nobody (as root it would be let in
# anyway), and the category folder the case goes into belongs to root.
chown -R nobody:nogroup "$STORE" "$WORK/store.lock" "$WORK/imap.pass" \
    "$WORK/db"
CATEGORY=$STORE/fupin2020/文字类
chown root:root "$CATEGORY"
chmod 755 "$CATEGORY"
daemon_start eacces setpriv --reuid=nobody --regid=nogroup --clear-groups
check eacces-first-cycle wait_for 30 cycles_at_least eacces 1
submit 无权限
fault_holds eacces 'Permission denied'
chown nobody:nogroup "$CATEGORY"
fault_cleared eacces
daemon_stop
