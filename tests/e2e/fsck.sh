# subgate fsck on a store made by `subgate ingest`, damaged in every way it
# checks: a folder deleted, a row deleted, a folder moved by hand, a case
# copied, attachments cut short, changed and deleted, a stray file,
# leftovers in .spool/ and .tmp/ and of atomic writes, a reply stuck in
# "sending", a reply whose message row is gone, a damaged index, a mail's
# works and cases that disagree.  The check alone changes nothing; --repair
# fixes what it can and deletes nothing that held data; a second fsck finds
# only what cannot be repaired; the daemon's own recovery leaves what fsck
# set aside alone; the locks keep it from racing the daemon and a sender.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

. "$(dirname "$0")/staff-setup.inc"
staff_setup || exit 1
C=$WORK/subgate.conf
ST=$WORK/store
DB=$WORK/subgate.db
q() { sqlite3 "$DB" "$1"; }

# The case folder of a receipt, wherever it is (outside _fsck/).
casedir() {
	find "$ST" -path "$ST/_fsck" -prune -o -type d -name "$1-*" -print
}
# finding FILE KIND RECEIPT ACTION: FILE has a finding line of that kind
# and receipt whose last column starts with ACTION.
finding() {
	awk -F '\t' -v k="$2" -v r="$3" -v a="$4" '
	    $1 == k && $2 == r && index($5, a) == 1 { found = 1 }
	    END { exit !found }' "$1"
}
# with_lock FILE COMMAND...: runs COMMAND while another process holds
# flock(2) on FILE, as a running daemon (or sender) would.
with_lock() {
	$PY -c 'import fcntl, os, subprocess, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o640)
fcntl.flock(fd, fcntl.LOCK_EX)
sys.exit(subprocess.call(sys.argv[2:]))' "$@"
}
# The files under a folder with their SHA-256, paths relative to it.
tree_sums() {
	(cd "$1" && find . -type f -exec sha256sum {} + | sort)
}
# Everything fsck could touch: the store's files and the database's rows.
state() {
	(cd "$ST" && find . | sort && find . -type f -exec sha256sum {} + |
	    sort) | sha256sum
	sqlite3 "$DB" .dump | sha256sum
}

# ---- a clean store ----
"$SUBGATE" fsck -c "$C" >"$WORK/clean.out" 2>&1
check clean-exit-0 test $? -eq 0
check clean-summary grep -qx 'fsck: no problems found' "$WORK/clean.out"

# ---- the damage ----
F1=$(casedir FUPIN2020-00001)
F2=$(casedir FUPIN2020-00002)
F3=$(casedir FUPIN2020-00003)
F4=$(casedir FUPIN2020-00004)
D1=$(casedir DANGJIAOCHANGZHOU2024-00001)
D2=$(casedir DANGJIAOCHANGZHOU2024-00002)
D3=$(casedir DANGJIAOCHANGZHOU2024-00003)
tree_sums "$D3" >"$WORK/d3.sums"
tree_sums "$D1" >"$WORK/d1.sums"
# A folder deleted: its row stays.
rm -rf "$F3"
# A row deleted: its folder stays.
q "DELETE FROM cases WHERE receipt = 'DANGJIAOCHANGZHOU2024-00003'"
# A case copied into another category, and one moved by hand.
cp -a "$D1" "$(dirname "$D3")/DANGJIAOCHANGZHOU2024-00001-副本"
mkdir "$ST/fupin2020/其他"
mv "$F4" "$ST/fupin2020/其他/"
# An attachment cut short, one deleted, one changed in place.
truncate -s 1000 "$F1/星城大爱微视频.mp4"
rm "$F1/报名表.docx"
J=$(ls "$D2"/*.jpg)
printf 'x' | dd of="$J" bs=1 seek=10 conv=notrunc 2>/dev/null
# A file staff left in a case folder.
echo 初审意见 >"$F2/评审意见.txt"
# Leftovers: a spool file, a half-built case, one with a recorded receipt,
# the temporary files of atomic writes.
echo spooled >"$ST/.spool/msg-4242-1.eml"
mkdir "$ST/.tmp/FUPIN2020-00099" "$ST/.tmp/FUPIN2020-00002"
echo half >"$ST/.tmp/FUPIN2020-00099/original.eml"
echo '{"receipt":"FUPIN2020-00002"}' >"$ST/.tmp/FUPIN2020-00002/case.json"
echo partial >"$F2/.case.json.AbC123"
echo partial >"$ST/fupin2020/.index.html.XyZ789"
echo partial >"$ST/fupin2020/.index-0002.html.Ab12Cd"
# A reply stuck in sending; a queued reply whose message row is gone (the
# rejected fupin-4: no case refers to it).
q "UPDATE outbox SET state = 'sending' WHERE id = 1"
before_reply=$(q "SELECT reply_message_id || hex(data) FROM outbox WHERE id = 1" |
    sha256sum)
orphan_id=$(q "SELECT o.id FROM outbox o JOIN messages m ON m.id = o.message_row WHERE m.outcome = 'rejected'")
# Its refusal's reason code goes with it: the row is the message's own.
q "DELETE FROM reason_codes WHERE message_row IN (SELECT id FROM messages
    WHERE outcome = 'rejected')"
q "DELETE FROM messages WHERE outcome = 'rejected'"
outbox_before=$(q "SELECT COUNT(*) FROM outbox")
messages_before=$(q "SELECT COUNT(*) FROM messages")

# ---- the check alone ----
state >"$WORK/state.before"
"$SUBGATE" fsck -c "$C" >"$WORK/check.out" 2>"$WORK/check.err"
rc=$?
state >"$WORK/state.after"
check check-exit-65 test $rc -eq 65
check check-changes-nothing cmp -s "$WORK/state.before" "$WORK/state.after"
O=$WORK/check.out
check check-orphan-folder finding "$O" orphan-folder DANGJIAOCHANGZHOU2024-00003 repairable:
check check-duplicate-receipt finding "$O" duplicate-receipt DANGJIAOCHANGZHOU2024-00001 repairable:
check check-moved-folder finding "$O" moved-folder FUPIN2020-00004 repairable:
check check-missing-folder finding "$O" missing-folder FUPIN2020-00003 repairable:
check check-truncated grep -q '^changed-file	FUPIN2020-00001	.*星城大爱微视频.mp4	1000 bytes, case.json records 300000	not repairable$' "$O"
check check-changed finding "$O" changed-file DANGJIAOCHANGZHOU2024-00002 'not repairable'
check check-missing-file finding "$O" missing-file FUPIN2020-00001 'not repairable'
check check-extra-file finding "$O" extra-file FUPIN2020-00002 'not repairable'
check check-spool grep -q '^leftover	-	.spool/msg-4242-1.eml	.*	repairable: remove it$' "$O"
check check-tmp finding "$O" leftover FUPIN2020-00099 'repairable: remove it'
check check-tmp-recorded grep -q '^leftover	FUPIN2020-00002	.tmp/FUPIN2020-00002	.*	repairable: move it to _fsck/$' "$O"
check check-json-temp grep -q '^leftover	FUPIN2020-00002	.*/.case.json.AbC123	' "$O"
check check-index-temp grep -q '^leftover	-	fupin2020/.index.html.XyZ789	' "$O"
check check-index-page-temp grep -q '^leftover	-	fupin2020/.index-0002.html.Ab12Cd	' "$O"
check check-sending finding "$O" reply-sending FUPIN2020-00001 repairable:
check check-reply-orphan grep -q "^reply-orphan	-	-	queued reply $orphan_id .*	not repairable\$" "$O"
# The deleted row's work still names it: said, as the mail filed it.
check check-group-row-gone grep -q '^group	DANGJIAOCHANGZHOU2024-00003	-	work 1 of message row [0-9]* was filed as DANGJIAOCHANGZHOU2024-00003, which no case records	not repairable$' "$O"
check check-summary grep -qx 'fsck: 17 problems found, 11 repairable with --repair' "$O"
check check-no-moved-twice test "$(grep -c FUPIN2020-00004 "$O")" -eq 1

# ---- --repair ----
"$SUBGATE" fsck -c "$C" --repair >"$WORK/repair.out" 2>"$WORK/repair.err"
check repair-exit-65 test $? -eq 65
O=$WORK/repair.out
check repair-summary grep -qx 'fsck: 17 problems found, 11 repaired, 6 remain' "$O"
check repair-orphan-moved finding "$O" orphan-folder DANGJIAOCHANGZHOU2024-00003 'repaired: moved to _fsck/'
check repair-copy-moved finding "$O" duplicate-receipt DANGJIAOCHANGZHOU2024-00001 'repaired: moved to _fsck/'
check repair-moved-back finding "$O" moved-folder FUPIN2020-00004 'repaired: moved back'
check repair-marked finding "$O" missing-folder FUPIN2020-00003 'repaired: marked the case missing'
check repair-requeued finding "$O" reply-sending FUPIN2020-00001 'repaired: queued again'
check repair-unrepairable test "$(grep -c '	not repairable$' "$O")" -eq 6
# Nothing that held data is gone: the folders set aside are whole, the
# moved case is back, the damaged and stray files are still there.
A=$ST/_fsck/$(basename "$(dirname "$(dirname "$D3")")")/$(basename "$(dirname "$D3")")
tree_sums "$A/$(basename "$D3")" >"$WORK/d3.after"
check repair-orphan-whole cmp -s "$WORK/d3.sums" "$WORK/d3.after"
tree_sums "$A/DANGJIAOCHANGZHOU2024-00001-副本" >"$WORK/d1.after"
check repair-copy-whole cmp -s "$WORK/d1.sums" "$WORK/d1.after"
check repair-original-kept test -d "$D1"
check repair-tmp-recorded-kept test -f "$ST/_fsck/tmp/FUPIN2020-00002/case.json"
check repair-moved-back-there test -f "$F4/case.json"
check repair-moved-away-gone test ! -e "$ST/fupin2020/其他/$(basename "$F4")"
check repair-truncated-kept test -f "$F1/星城大爱微视频.mp4"
check repair-extra-kept test -f "$F2/评审意见.txt"
check repair-changed-kept test -f "$J"
# Only the leftovers went.
check repair-spool-removed test ! -e "$ST/.spool/msg-4242-1.eml"
check repair-tmp-removed test ! -e "$ST/.tmp/FUPIN2020-00099"
check repair-json-temp-removed test ! -e "$F2/.case.json.AbC123"
check repair-index-temp-removed test ! -e "$ST/fupin2020/.index.html.XyZ789"
check repair-index-page-temp-removed test ! -e "$ST/fupin2020/.index-0002.html.Ab12Cd"
# The rows: none deleted; the lost case marked, with a review saying so.
check repair-rows-kept test "$(q "SELECT COUNT(*) FROM cases")" -eq 6
check repair-status-missing test "$(q "SELECT status FROM cases WHERE receipt = 'FUPIN2020-00003'")" = missing
check repair-review test "$(q "SELECT action || '|' || reviewer FROM case_reviews WHERE receipt = 'FUPIN2020-00003'")" = 'fsck|subgate fsck'
n=$("$SUBGATE" cases list -c "$C" --status missing | grep -c FUPIN2020-00003)
check repair-staff-see-it test "$n" -eq 1
check repair-outbox-kept test "$(q "SELECT COUNT(*) FROM outbox")" -eq "$outbox_before"
check repair-messages-kept test "$(q "SELECT COUNT(*) FROM messages")" -eq "$messages_before"
check repair-reply-queued test "$(q "SELECT state FROM outbox WHERE id = 1")" = queued
after_reply=$(q "SELECT reply_message_id || hex(data) FROM outbox WHERE id = 1" |
    sha256sum)
check repair-reply-same-message test "$before_reply" = "$after_reply"

# ---- a second fsck: only what cannot be repaired ----
"$SUBGATE" fsck -c "$C" >"$WORK/again.out" 2>&1
check again-exit-65 test $? -eq 65
O=$WORK/again.out
check again-summary grep -qx 'fsck: 7 problems found, 0 repairable with --repair' "$O"
check again-none-repairable lacks "$O" -e '	repairable:'
check again-marked grep -q '^missing-folder	FUPIN2020-00003	.*(marked missing)	not repairable$' "$O"
"$SUBGATE" fsck -c "$C" --repair >/dev/null 2>&1
check again-no-second-review test "$(q "SELECT COUNT(*) FROM case_reviews")" -eq 1

# ---- the daemon's recovery leaves _fsck/ alone ----
"$SUBGATE" ingest -c "$C" --campaign fupin2020 "$WORK/mail/fupin-1.eml" \
    >"$WORK/ingest2.out" 2>&1
check recover-ran test $? -eq 0
check recover-keeps-set-aside test -f "$ST/_fsck/tmp/FUPIN2020-00002/case.json"
check recover-keeps-orphan test -f "$A/$(basename "$D3")/case.json"

# ---- after a clean stop, start-up does not look at every folder ----
# Only a stop with a case folder in place and its commit not known can
# leave one to recover; after a clean stop, a folder staff renamed stays
# where they put it, for fsck to report.
F4=$(casedir FUPIN2020-00004)
CAT4=$(dirname "$F4")
check clean-stop-marked test -f "$ST/.clean"
mv "$CAT4" "$CAT4-改名"
"$SUBGATE" ingest -c "$C" --campaign fupin2020 "$WORK/mail/fupin-1.eml" \
    >"$WORK/ingest-clean.out" 2>&1
check clean-start-ran test $? -eq 0
check clean-start-leaves-renamed test -f "$CAT4-改名/$(basename "$F4")/case.json"
check clean-start-quiet lacks "$WORK/ingest-clean.out" -e 'set aside'
"$SUBGATE" fsck -c "$C" >"$WORK/renamed-fsck.out" 2>&1
check clean-start-fsck-reports grep -q '^moved-folder	FUPIN2020-00004	' \
    "$WORK/renamed-fsck.out"
check fsck-check-keeps-mark test -f "$ST/.clean"
mv "$CAT4-改名" "$CAT4"

# ---- after a stop that was not clean ----
# Start-up recovery then looks at every case folder.  One whose receipt
# the database does not record is a commit a crash cut short (or the work
# of a newer database): set aside, never deleted.  One whose receipt is
# recorded at another path was moved by hand (a category folder staff
# renamed): left where it is, said so, and fsck moves it back.
# Killed with a new case folder in place and its commit not made.
sed 's/^[Mm]essage-[Ii][Dd]:.*/Message-ID: <killed-1@example.test>/' \
    "$WORK/mail/fupin-2.eml" >"$WORK/killed.eml"
SUBGATE_TEST_CRASH_POINT=after-case-rename "$SUBGATE" ingest -c "$C" \
    --campaign fupin2020 "$WORK/killed.eml" >"$WORK/killed.out" 2>&1
check unclean-stop-killed test $? -eq 137
check unclean-stop-unmarked test ! -e "$ST/.clean"
check unclean-stop-folder-left test -n "$(casedir FUPIN2020-00005)"
LEAF4=$(basename "$F4")
tree_sums "$F4" >"$WORK/renamed.before"
mv "$CAT4" "$CAT4-改名"
"$SUBGATE" ingest -c "$C" --campaign fupin2020 "$WORK/mail/fupin-1.eml" \
    >"$WORK/ingest3.out" 2>&1
check renamed-recovery-ran test $? -eq 0
REL4=${CAT4#"$ST"/}
check renamed-left-in-place sh -c 'tree_sums() { (cd "$1" && find . -type f -exec sha256sum {} + | sort); }
    tree_sums "$1" | cmp -s - "$2"' sh "$CAT4-改名/$LEAF4" "$WORK/renamed.before"
check renamed-not-set-aside test ! -e "$ST/_fsck/$REL4-改名/$LEAF4"
check renamed-said-so grep -q "moved by hand: $REL4-改名/$LEAF4 " \
    "$WORK/ingest3.out"
check killed-commit-set-aside test -n "$(find "$ST/_fsck" -type d \
    -name 'FUPIN2020-00005-*')" -a -z "$(casedir FUPIN2020-00005)"
"$SUBGATE" fsck -c "$C" --repair >"$WORK/renamed-repair.out" 2>&1
check renamed-repair-moves-back test -f "$F4/case.json"
check renamed-not-missing test "$(q "SELECT status FROM cases WHERE \
    receipt = 'FUPIN2020-00004'")" != missing

# ---- a database restored from an older copy ----
# Its stamp is not the one the clean stop left: start-up looks at every
# folder, and the case the older copy does not know is set aside.
cp "$DB" "$WORK/older.db"
sed 's/^[Mm]essage-[Ii][Dd]:.*/Message-ID: <newer-1@example.test>/' \
    "$WORK/mail/fupin-3.eml" >"$WORK/newer.eml"
"$SUBGATE" ingest -c "$C" --campaign fupin2020 "$WORK/newer.eml" \
    >"$WORK/newer.out" 2>&1
NEWER=$(sed -n 's/.*	accepted	\([A-Z0-9-]*\).*/\1/p' "$WORK/newer.out")
check restored-setup test -n "$NEWER" -a -f "$ST/.clean"
NEWDIR=$(casedir "$NEWER")
cp "$WORK/older.db" "$DB"
rm -f "$DB-wal" "$DB-shm"
"$SUBGATE" ingest -c "$C" --campaign fupin2020 "$WORK/mail/fupin-1.eml" \
    >"$WORK/restored.out" 2>&1
check restored-start-ran test $? -eq 0
check restored-set-aside test -f "$ST/_fsck/${NEWDIR#"$ST"/}/case.json"
check restored-said-so grep -q "was set aside: ${NEWDIR#"$ST"/}" "$WORK/restored.out"

# ---- links planted inside case folders are never followed ----------------
# Staff share the store: a link where a case.json or an original.eml
# belongs must not make subgate read outside the store, wait for ever on
# a FIFO, or read /dev/zero until memory runs out.
L=$WORK/links
mkdir -p "$L"
LS=$L/store
LD=$L/subgate.db
"$SUBGATE" ingest -c "$C" --store "$LS" --database "$LD" --campaign fupin2020 \
    "$WORK/mail/fupin-1.eml" "$WORK/mail/fupin-2.eml" >"$L/ingest.out" 2>&1
LF1=$(find "$LS" -path "$LS/_fsck" -prune -o -type d -name 'FUPIN2020-00001-*' -print)
LF2=$(find "$LS" -path "$LS/_fsck" -prune -o -type d -name 'FUPIN2020-00002-*' -print)
check links-setup test -n "$LF1" -a -n "$LF2"
rm "$LF1/case.json"
mkfifo "$LF1/case.json"
rm "$LF2/case.json"
ln -s /dev/zero "$LF2/case.json"
# A new submission is filed and the index rewritten past both.
timeout 30 "$SUBGATE" ingest -c "$C" --store "$LS" --database "$LD" \
    --campaign fupin2020 "$WORK/mail/fupin-3.eml" >"$L/ingest3.out" 2>&1
check links-fifo-ingest-finishes test $? -eq 0
timeout 30 "$SUBGATE" cases show -c "$C" --store "$LS" --database "$LD" \
    FUPIN2020-00002 >"$L/show.out" 2>&1
check links-dev-zero-show-ends test $? -ne 124
check links-dev-zero-said grep -q 'symbolic link' "$L/show.out"
# original.eml moved outside and linked back (to be changed there at
# will): reprocess refuses it rather than rewrite the case from it.
LF3=$(find "$LS" -path "$LS/_fsck" -prune -o -type d -name 'FUPIN2020-00003-*' -print)
mv "$LF3/original.eml" "$L/outside.eml"
ln -s "$L/outside.eml" "$LF3/original.eml"
before=$(sqlite3 "$LD" "SELECT fields_json FROM cases WHERE receipt = 'FUPIN2020-00003'")
timeout 30 "$SUBGATE" reprocess -c "$C" --store "$LS" --database "$LD" \
    FUPIN2020-00003 >"$L/reprocess.out" 2>&1
check links-reprocess-refuses test "$(sqlite3 "$LD" \
    "SELECT fields_json FROM cases WHERE receipt = 'FUPIN2020-00003'")" = "$before"
check links-reprocess-says-why grep -q 'symbolic link' "$L/reprocess.out"

# ---- locks ----
with_lock "$ST.lock" "$SUBGATE" fsck -c "$C" >"$WORK/busy.out" 2>"$WORK/busy.err"
check busy-exit-75 test $? -eq 75
check busy-says-why grep -q 'in use by another subgate process.*stop the daemon' "$WORK/busy.err"
q "UPDATE outbox SET state = 'sending' WHERE id = 2"
with_lock "$DB.sending" "$SUBGATE" fsck -c "$C" --repair >"$WORK/sender.out" 2>&1
check sender-busy-reported grep -q '^reply-sending	FUPIN2020-00002	-	reply 2 .*another subgate process.*	not repairable$' "$WORK/sender.out"
check sender-busy-untouched test "$(q "SELECT state FROM outbox WHERE id = 2")" = sending
"$SUBGATE" fsck -c "$C" --repair >/dev/null 2>&1
check sender-free-requeued test "$(q "SELECT state FROM outbox WHERE id = 2")" = queued

# ---- no database: refused, none created ----
"$SUBGATE" fsck -c "$C" --database "$WORK/none.db" >/dev/null 2>"$WORK/nodb.err"
check nodb-exit-66 test $? -eq 66
check nodb-not-created test ! -e "$WORK/none.db"

# ---- a damaged database: SQLite's own checks ----
q "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
cp "$DB" "$WORK/broken.db"
# An index that no longer matches its table, and a review of no case.
sqlite3 "$WORK/broken.db" "PRAGMA writable_schema = ON;
    UPDATE sqlite_master SET sql = 'CREATE INDEX messages_msgid ON messages (campaign, subject)'
    WHERE name = 'messages_msgid';"
sqlite3 "$WORK/broken.db" "INSERT INTO case_reviews (receipt, action, status, reviewer)
    VALUES ('NOPE-00001', 'accept', 'accepted', 'x')"
"$SUBGATE" fsck -c "$C" --database "$WORK/broken.db" >"$WORK/broken.out" 2>&1
check broken-exit-65 test $? -eq 65
check broken-integrity grep -q '^database	-	-	integrity_check: row [0-9]* missing from index messages_msgid	not repairable$' "$WORK/broken.out"
check broken-foreign-key grep -q '^database	-	-	foreign_key_check: case_reviews row [0-9]* refers to a row of cases that is not there	not repairable$' "$WORK/broken.out"
# A work a mail filed, recorded under a receipt no case has; two cases of
# one mail holding the same place in its group.
sqlite3 "$WORK/broken.db" "INSERT INTO message_works (message_row, pos,
    outcome, receipt) VALUES ((SELECT MIN(id) FROM messages), 9,
    'accepted', 'NOPE-00002');
    UPDATE cases SET message_row = (SELECT MIN(id) FROM messages),
    group_pos = 1 WHERE receipt IN ('FUPIN2020-00001', 'FUPIN2020-00002')"
"$SUBGATE" fsck -c "$C" --database "$WORK/broken.db" >"$WORK/groups.out" 2>&1
check group-exit-65 test $? -eq 65
check group-work-receipt grep -q '^group	NOPE-00002	-	work 9 of message row [0-9]* was filed as NOPE-00002, which no case records	not repairable$' "$WORK/groups.out"
check group-work-said-once test "$(grep -c 'NOPE-00002' "$WORK/groups.out")" -eq 1
check group-position grep -q '^group	-	-	2 cases of message row [0-9]* hold place 1 of its group	not repairable$' "$WORK/groups.out"
