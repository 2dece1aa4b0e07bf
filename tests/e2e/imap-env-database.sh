# A database subgate cannot write is the environment failing, never the
# submission: its disk full (SQLITE_FULL), or another process holding the
# write lock for longer than the busy timeout (SQLITE_BUSY).  While the
# fault lasts, `subgate run` counts nothing against the waiting message
# (not even the attempt it could not record), records no outcome, says why
# once, and takes the message by itself once the fault clears
# (env-fault.inc).  The database is on a small tmpfs of its own; where
# mounting is not allowed the test says so.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/env-fault.inc"
STORE=$WORK/store
DB=$WORK/db/subgate.db
DB_MNT=
LOCKER_PID=
trap 'daemon_stop; [ -n "$LOCKER_PID" ] && kill "$LOCKER_PID" 2>/dev/null;
    [ -n "$DB_MNT" ] && umount "$DB_MNT" 2>/dev/null; e2e_cleanup' EXIT

mkdir -p "$WORK/db"
if ! mount -t tmpfs -o size=4M tmpfs "$WORK/db" 2>/dev/null; then
	echo "SKIP imap-env-database: cannot mount a tmpfs here"
	exit 0
fi
DB_MNT=$WORK/db
if ! e2e_start_stack unit@example.test; then
	fail mailstack-start "the local mail stack did not start"
	exit 1
fi
e2e_write_config -s "subgate.database=$DB" \
    "$(e2e_campaign_open "$TOP/contrib/campaigns/fupin2020.campaign")"

# Full: the daemon has its database open when the disk fills up.
daemon_start full
check full-first-cycle wait_for 30 cycles_at_least full 1
dd if=/dev/zero of="$WORK/db/filler" bs=4k 2>/dev/null
submit 库满
fault_holds full 'database or disk is full'
rm -f "$WORK/db/filler"
fault_cleared full
daemon_stop

# Busy: another process holds a write transaction (a staff script, a
# backup) past the ten seconds subgate waits for it.
daemon_start busy
check busy-first-cycle wait_for 30 cycles_at_least busy 1
$PY -c '
import signal, sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
signal.pause()
' "$DB" "$WORK/locked" &
LOCKER_PID=$!
check busy-locked wait_for 30 test -e "$WORK/locked"
submit 库忙
fault_holds busy 'database is locked'
kill "$LOCKER_PID"
wait "$LOCKER_PID" 2>/dev/null
LOCKER_PID=
fault_cleared busy
daemon_stop
