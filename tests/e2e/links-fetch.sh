# Cloud attachments fetched, on the local mail stack: units send their
# works as QQ Mail and NetEase 超大附件 (the plain-text block the webmail
# writes), OpenSMTPD delivers them to the campaign mailbox, `subgate once`
# files the cases, then downloads each link from tests/e2e/cloud-server.py
# (TLS, the providers' real host names through [links] resolve, a test CA
# through ca_file), checks the file as an attachment would have been, and
# records it.  A 2 s clip is filed into its case with its facts; a 9:12
# 微视频 is filed too, and its submitter gets the follow-up mail in their
# own INBOX; an expired link is reported, not retried; a transfer cut
# short resumes with the Range the part's size says; a reply far larger
# than it claimed is stopped at fetch_max_bytes; a host whose certificate
# does not name it is refused; with clamd installed, an infected file goes
# to the quarantine, never into the store; `subgate run` fetches from a
# thread of its own.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/clamd.inc"
links_cleanup() {
	clamd_stop
	e2e_cleanup
}
trap links_cleanup EXIT

if ! command -v ffmpeg >/dev/null 2>&1 || ! command -v openssl >/dev/null 2>&1
then
	echo "SKIP links-fetch: no ffmpeg or openssl"
	exit 0
fi
if [ ! -x "$SUBGATE" ]; then
	fail links-fetch:subgate "$SUBGATE not built"
	exit 0
fi
if ! e2e_start_stack clerk@example.test other@example.test; then
	fail mailstack-start "the local mail stack did not start"
	exit 1
fi

# --- the providers' imitation: a test CA, a certificate for their names --
CERTS=$WORK/certs
mkdir -p "$CERTS" "$WORK/cloud"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=subgate test CA' \
    -keyout "$CERTS/ca.key" -out "$CERTS/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj '/CN=mail.qq.com' \
    -keyout "$CERTS/server.key" -out "$CERTS/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:mail.qq.com,DNS:wx.mail.qq.com,DNS:mail.163.com,DNS:dashi.163.com,DNS:mail.sina.com.cn,DNS:pan.baidu.com\n' \
    >"$CERTS/san.ext"
openssl x509 -req -in "$CERTS/server.csr" -CA "$CERTS/ca.pem" \
    -CAkey "$CERTS/ca.key" -CAcreateserial -days 2 -extfile "$CERTS/san.ext" \
    -out "$CERTS/server.pem" 2>/dev/null
$PY "$TOP/tests/e2e/cloud-server.py" --cert "$CERTS/server.pem" \
    --key "$CERTS/server.key" --files "$WORK/cloud" \
    --port-file "$WORK/cloud.port" --log "$WORK/cloud.log" \
    2>"$WORK/cloud.stderr" &
E2E_PIDS="$E2E_PIDS $!"
n=0
while [ ! -s "$WORK/cloud.port" ] && [ $n -lt 100 ]; do
	sleep 0.1
	n=$((n + 1))
done
CP=$(cat "$WORK/cloud.port" 2>/dev/null)
if [ -z "$CP" ]; then
	fail cloud-server-start "$(cat "$WORK/cloud.stderr")"
	exit 1
fi

# --- the campaign: Changzhou as shipped (微视频 at most 8 minutes), one file
# per 微视频, fetching QQ, NetEase and one direct host --------------------
CAMPAIGN=$(e2e_campaign_any_sender -o \
    "$TOP/contrib/campaigns/dangjiao-changzhou-2024.campaign")
sed -i -e '/^required_versions/d' "$CAMPAIGN"
# With clamd (Debian's clamav-daemon) a fetched file is scanned too.
SCAN=0
SCAN_CONF=
if [ -x "$CLAMD" ] && clamd_setup && clamd_start; then
	SCAN=1
	sed -i -e '/^\[policy\]/a scan = clamd' \
	    -e '/^\[policy\]/a scan_max_bytes = 3M' "$CAMPAIGN"
	SCAN_CONF="clamd.socket=unix:$CLAMD_SOCKET"
fi
cat >>"$CAMPAIGN" <<EOF

[links]
accept = qq;netease;other
fetch = qq;netease;cloud.189.cn
fetch_max_bytes = 8M
EOF
R=127.0.0.1
e2e_write_config ${SCAN_CONF:+-s "$SCAN_CONF"} \
    -s "links.ca_file=$CERTS/ca.pem" \
    -s "links.resolve=wx.mail.qq.com:$CP:$R;mail.qq.com:$CP:$R;mail.163.com:$CP:$R;cloud.189.cn:$CP:$R" \
    "$CAMPAIGN"
CONF=$WORK/subgate.conf
export SUBGATE_TEST=1
check config sh -c "'$SUBGATE' check-config -c '$CONF' >/dev/null"
check resolve-refused-outside-tests sh -c "! SUBGATE_TEST= '$SUBGATE' \
    check-config -c '$CONF' 2>&1 | grep -q 'resolve: is for tests only' &&
    false || SUBGATE_TEST= '$SUBGATE' check-config -c '$CONF' 2>&1 |
    grep -q 'resolve: is for tests only'"

db() { sqlite3 "$WORK/subgate.db" "$@"; }
staff() { "$SUBGATE" "$@" -c "$CONF"; }
once() {
	"$SUBGATE" once -c "$CONF" >>"$WORK/once.log" 2>&1
}
FORM=$(e2e_attach form 报名表（一）初心如磐.docx) || exit 1
EXP=$($PY -c '
import datetime
t = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))) + \
    datetime.timedelta(days=5)
print("%d年%d月%d日 %d:%02d" % (t.year, t.month, t.day, t.hour, t.minute))')
# qqmail FROM TITLE KEY URL-PATH [SUBJECT]: the unit's work 《TITLE》 as a
# 微视频 sent as a QQ 超大附件, its form attached.
qqmail() {
	send_mail "$1" "${5:-金坛区委组织部报送作品}" --body "老师好，作品较大，用超大附件发送。

从QQ邮箱发来的超大附件

$2-微视频-金坛区委组织部.mp4 (1.20M, $EXP 到期)进入下载页面：$4" \
	    --attach "$FORM"
}
receipt_of() {
	db "SELECT l.receipt FROM case_links l JOIN cases c USING (receipt)
	    WHERE l.name = '$1-微视频-金坛区委组织部.mp4'"
}
link_row() {
	db "SELECT state || '|' || attempts || '|' || fetched_bytes FROM case_links
	    WHERE name = '$1-微视频-金坛区委组织部.mp4'"
}

# --- a good clip, a QQ link (the JSON answer): fetched into its case --------
cp "$(e2e_fixture mp4)" "$WORK/cloud/goodkey"
echo 初心如磐-微视频-金坛区委组织部.mp4 >"$WORK/cloud/goodkey.name"
qqmail clerk@example.test 初心如磐 goodkey \
    "https://wx.mail.qq.com:$CP/ftn/download?func=3&key=goodkey&code=c1"
check good-delivered wait_mail campaign@example.test 1
once
check good-receipt wait_mail clerk@example.test 1
rc=$(receipt_of 初心如磐)
dir=$(db "SELECT dir FROM cases WHERE receipt = '$rc'")
saved="$WORK/store/$dir/初心如磐-微视频-金坛区委组织部.mp4"
check good-row test "$(link_row 初心如磐)" = "fetched|1|$(wc -c <"$WORK/cloud/goodkey")"
check good-file-in-case cmp "$saved" "$WORK/cloud/goodkey"
check good-sha test "$(db "SELECT sha256 FROM case_links WHERE receipt = '$rc'")" = \
    "$(sha256sum "$WORK/cloud/goodkey" | cut -d' ' -f1)"
check good-json-fetch grep -qF '"fetch":{"state":"fetched"' "$WORK/store/$dir/case.json"
check good-json-attachment grep -qF '"from_link":0' "$WORK/store/$dir/case.json"
check good-json-media grep -qF '"media":{"readable":true,"duration_ms":2000' \
    "$WORK/store/$dir/case.json"
check good-no-part test -z "$(ls -A "$WORK/store/.fetch")"
check good-json-api-asked grep -qF '"path": "/ftn/download?func=3&key=goodkey&code=c1&f=json"' "$WORK/cloud.log"
staff cases show "$rc" >"$WORK/show.out" 2>&1
check good-show-downloaded sh -c "grep -qF '云附件: 1 个（已下载 1）' '$WORK/show.out' &&
    grep -q '初心如磐-微视频-金坛区委组织部.mp4  QQ邮箱·1.2 MB·至 .*·已下载$' '$WORK/show.out'"
staff cases index >/dev/null 2>&1
check good-index-downloaded grep -qF '·</span><span class="size">已下载</span>' \
    "$WORK/store/dangjiao-changzhou-2024/index.html"
staff cases export --format csv -o "$WORK/cz.csv" >/dev/null 2>&1
check good-export-downloaded grep -qF '云附件：初心如磐-微视频-金坛区委组织部.mp4（QQ邮箱·1.2 MB·至 ' "$WORK/cz.csv"
check good-export-downloaded-said grep -qF '·已下载）' "$WORK/cz.csv"
check good-no-follow-up test "$(mailbox_count clerk@example.test)" -eq 1
check good-no-link-check-queued test "$(db "SELECT COUNT(*) FROM outbox
    WHERE kind = 'link-check'")" -eq 0

# --- a 9:12 微视频 by the old QQ page: filed, then the follow-up mail ----------
LONG=$(e2e_fixture mp4 size=64x36 duration=552) || exit 1
cp "$LONG" "$WORK/cloud/longkey"
qqmail other@example.test 山路弯弯 longkey \
    "https://mail.qq.com:$CP/cgi-bin/ftnExs_download?t=exs_ftn_download&k=longkey&code=7684"
check long-delivered wait_mail campaign@example.test 2
once
check long-two-mails wait_mail other@example.test 2
check long-row test "$(link_row 山路弯弯)" = "fetched|1|$(wc -c <"$LONG")"
read_mailbox other@example.test >"$WORK/other.json"
check long-follow-up-subject grep -qF '【云附件检查】' "$WORK/other.json"
check long-follow-up-says grep -qF '作品《山路弯弯》：时长 9分12秒，微视频不超过 8 分钟。' \
    "$WORK/other.json"
check long-follow-up-asks grep -qF '请在截止时间前重新发送符合要求的文件。' "$WORK/other.json"
rl=$(receipt_of 山路弯弯)
check long-follow-up-receipt grep -qF "$rl" "$WORK/other.json"
check long-case-status-kept test "$(db "SELECT status FROM cases WHERE
    receipt = '$rl'")" = "$(db "SELECT status FROM cases WHERE receipt = '$rc'")"
check long-json-finding grep -qF '"code":"media-duration","severity":"reject"' \
    "$WORK/store/$(db "SELECT dir FROM cases WHERE receipt = '$rl'")/case.json"

# --- an expired QQ link: reported, not tried again ---------------------------
cp "$(e2e_fixture mp4 variant=gone)" "$WORK/cloud/gonekey"
touch "$WORK/cloud/gonekey.expired"
qqmail clerk@example.test 红色印记 gonekey \
    "https://wx.mail.qq.com:$CP/ftn/download?func=3&key=gonekey&code=c3"
check gone-delivered wait_mail campaign@example.test 3
once
check gone-row test "$(link_row 红色印记)" = "expired|1|0"
check gone-logged grep -q 'link 1 (https://wx.mail.qq.com.*gonekey.*) expired: QQ: ret -1' \
    "$WORK/once.log"
before=$(grep -c gonekey "$WORK/cloud.log")
once
check gone-not-retried test "$(grep -c gonekey "$WORK/cloud.log")" -eq "$before"

# --- a NetEase link cut short: resumed with the right Range ------------------
MID=$(e2e_fixture mp4 duration=4 variant=cut) || exit 1
cp "$MID" "$WORK/cloud/cutkey"
echo cut=20000 >"$WORK/cloud/cutkey.query"
send_mail clerk@example.test '金坛区委组织部报送作品' --body "从网易163邮箱发来的超大附件

村里来了新书记-微视频-金坛区委组织部.mp4 (1.20M, $EXP 到期)
下载: https://mail.163.com:$CP/large-attachment-download/index.html?file=cutkey" \
    --attach "$FORM"
check cut-delivered wait_mail campaign@example.test 4
once
check cut-first-failed test "$(link_row 村里来了新书记)" = "failed|1|20000"
check cut-netease-prepare grep -qF '"body": "{\"linkKey\":\"cutkey\"}"' "$WORK/cloud.log"
rcut=$(receipt_of 村里来了新书记)
check cut-listed sh -c "'$SUBGATE' links list -c '$CONF' | grep -q \"^$rcut/1	failed	剩[45]天	netease	村里来了新书记-微视频-金坛区委组织部.mp4	1258291	1	\""
# Staff ask for it now: no subgate holds the store, so it is fetched here.
staff links fetch "$rcut" >"$WORK/fetch.out" 2>&1
check cut-fetch-now-exit test $? -eq 0
check cut-fetch-now-says grep -q "^$rcut/1	fetched	" "$WORK/fetch.out"
check cut-resumed-range grep -qF '"path": "/files/cutkey?cut=20000", "host": "mail.163.com:'"$CP"'", "range": "bytes=20000-"' "$WORK/cloud.log"
check cut-row test "$(link_row 村里来了新书记)" = "fetched|2|$(wc -c <"$MID")"
check cut-file-whole cmp "$WORK/store/$(db "SELECT dir FROM cases WHERE
    receipt = '$rcut'")/村里来了新书记-微视频-金坛区委组织部.mp4" "$MID"

# --- our disk fails mid-download: no attempt counted, fetched next time ----
cp "$(e2e_fixture mp4 variant=disk)" "$WORK/cloud/diskkey"
qqmail clerk@example.test 一线风采 diskkey \
    "https://wx.mail.qq.com:$CP/ftn/download?func=3&key=diskkey&code=c4"
check disk-delivered wait_mail campaign@example.test 5
SUBGATE_TEST_FAIL_POINT=link-write:ENOSPC "$SUBGATE" once -c "$CONF" \
    >>"$WORK/once.log" 2>&1
check disk-once-tempfail test $? -eq 75
check disk-said grep -q 'fetching links: writing the download: No space left on device' \
    "$WORK/once.log"
check disk-not-counted test "$(link_row 一线风采 | cut -d'|' -f2)" = 0
# As if the bytes had all come before the stop: the next attempt asks for
# what follows them, and a 416 naming that length means the file is whole.
rd=$(receipt_of 一线风采)
cp "$WORK/cloud/diskkey" "$WORK/store/.fetch/$rd-1.part"
once
check disk-whole-part-range grep -qF "\"path\": \"/files/diskkey\", \"host\": \"wx.mail.qq.com:$CP\", \"range\": \"bytes=$(wc -c <"$WORK/cloud/diskkey")-\"" "$WORK/cloud.log"

check disk-fetched-after test "$(link_row 一线风采)" = "fetched|1|$(wc -c <"$WORK/cloud/diskkey")"

# --- a reply far larger than the 1000 bytes it claims: stopped at 8M --------
cp "$(e2e_fixture mp4 variant=lie)" "$WORK/cloud/liekey"
echo 1000 >"$WORK/cloud/liekey.size"
echo lie=1 >"$WORK/cloud/liekey.query"
qqmail clerk@example.test 产业链上的党旗红 liekey \
    "https://wx.mail.qq.com:$CP/ftn/download?func=3&key=liekey&code=c5"
check lie-delivered wait_mail campaign@example.test 6
timeout 300 "$SUBGATE" once -c "$CONF" >>"$WORK/once.log" 2>&1
check lie-not-fetched test "$(db "SELECT state FROM case_links WHERE name
    LIKE '产业链上的党旗红%'")" = not-fetched
check lie-said grep -q 'larger than fetch_max_bytes (8388608)' "$WORK/once.log"
check lie-no-part sh -c "! find '$WORK/store' -name '*.part' -size +0 | grep -q ."
check lie-no-file test -z "$(find "$WORK/store" -name '产业链上的党旗红-微视频*')"

# --- a host whose certificate does not name it: refused, and reported
# before its link runs out ------------------------------------------------
EXP1=$($PY -c '
import datetime
t = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))) + \
    datetime.timedelta(days=1)
print("%d年%d月%d日 %d:%02d" % (t.year, t.month, t.day, t.hour, t.minute))')
cp "$(e2e_fixture mp4 variant=tls)" "$WORK/cloud/tlskey"
send_mail clerk@example.test '金坛区委组织部报送作品' --body "作品较大，用天翼云盘发送：
大山里的新希望-微视频-金坛区委组织部.mp4 (1.20M, $EXP1 到期) https://cloud.189.cn:$CP/t/tlskey" \
    --attach "$FORM"
check tls-delivered wait_mail campaign@example.test 7
once
check tls-failed test "$(db "SELECT state FROM case_links WHERE url LIKE
    '%cloud.189.cn%'")" = failed
check tls-why sh -c "db() { sqlite3 '$WORK/subgate.db' \"\$@\"; }; db \"SELECT
    last_error FROM case_links WHERE url LIKE '%cloud.189.cn%'\" |
    grep -qi 'certificate\|subject name\|SSL'"
staff stats >"$WORK/stats.out" 2>&1
check tls-stats-to-download grep -qF '云附件: 待下载 1，72 小时内到期 1，' "$WORK/stats.out"
check tls-no-request sh -c "! grep -q tlskey '$WORK/cloud.log'"
rtls=$(db "SELECT receipt FROM case_links WHERE url LIKE '%cloud.189.cn%'")
check expiring-logged test "$(grep -c "case $rtls: link 1 (大山里的新希望-微视频-金坛区委组织部.mp4) not downloaded (failed: .*), expires in 2[0-9] hours" "$WORK/once.log")" -eq 1
once
check expiring-logged-once test "$(grep -c "case $rtls: link 1 (大山里的新希望.*not downloaded" "$WORK/once.log")" -eq 1
staff links list --expiring >"$WORK/expiring.out" 2>&1
check expiring-listed grep -q "^$rtls/1	failed	剩2[0-9]小时	other	" "$WORK/expiring.out"
check expiring-only-those test "$(wc -l <"$WORK/expiring.out")" -eq 1
# Staff download it by hand and record it: checked and filed as a fetch.
staff links mark "$rtls/1" --fetched-by-hand "$WORK/cloud/tlskey" \
    >"$WORK/mark.out" 2>&1
check mark-exit test $? -eq 0
check mark-row test "$(db "SELECT state || '|' || saved_as FROM case_links
    WHERE receipt = '$rtls'")" = 'manual|大山里的新希望-微视频-金坛区委组织部.mp4'
check mark-file cmp "$WORK/store/$(db "SELECT dir FROM cases WHERE
    receipt = '$rtls'")/大山里的新希望-微视频-金坛区委组织部.mp4" "$WORK/cloud/tlskey"
check mark-json grep -qF '"fetch":{"state":"manual"' "$WORK/store/$(db "SELECT
    dir FROM cases WHERE receipt = '$rtls'")/case.json"
staff links list --expiring >"$WORK/expiring2.out" 2>&1
check mark-no-longer-expiring test ! -s "$WORK/expiring2.out"
check mark-needs-pos sh -c "! '$SUBGATE' links mark -c '$CONF' '$rtls' \
    --fetched-by-hand '$WORK/cloud/tlskey' 2>/dev/null"

# --- killed between the rename into the case and the record: fsck says
# what it is, the next run records it once, without downloading again ----
cp "$(e2e_fixture mp4 variant=crash)" "$WORK/cloud/crashkey"
qqmail clerk@example.test 星城大爱 crashkey \
    "https://wx.mail.qq.com:$CP/ftn/download?func=3&key=crashkey&code=c7"
check crash-delivered wait_mail campaign@example.test 8
SUBGATE_TEST_CRASH_POINT=after-link-rename "$SUBGATE" once -c "$CONF" \
    >>"$WORK/once.log" 2>&1
check crash-killed test $? -ne 0
rk=$(receipt_of 星城大爱)
kdir="$WORK/store/$(db "SELECT dir FROM cases WHERE receipt = '$rk'")"
check crash-row-fetching test "$(db "SELECT state || '|' || saved_as FROM
    case_links WHERE receipt = '$rk'")" = 'fetching|星城大爱-微视频-金坛区委组织部.mp4'
check crash-file-in-case cmp "$kdir/星城大爱-微视频-金坛区委组织部.mp4" \
    "$WORK/cloud/crashkey"
check crash-no-part test -z "$(ls -A "$WORK/store/.fetch")"
check crash-json-not-yet sh -c "! grep -q from_link '$kdir/case.json'"
"$SUBGATE" fsck -c "$CONF" >"$WORK/fsck.out" 2>&1
check crash-fsck-says grep -q "$rk.*a cloud attachment downloaded, its record interrupted" \
    "$WORK/fsck.out"
once
check crash-recorded test "$(db "SELECT state || '|' || attempts FROM
    case_links WHERE receipt = '$rk'")" = 'fetched|1'
check crash-listed-once test "$(grep -o '"from_link":0' "$kdir/case.json" |
    wc -l)" -eq 1
check crash-not-downloaded-again test "$(grep -c '/files/crashkey' \
    "$WORK/cloud.log")" -eq 1
"$SUBGATE" fsck -c "$CONF" >"$WORK/fsck2.out" 2>&1
check crash-fsck-clean sh -c "! grep -q '$rk' '$WORK/fsck2.out'"

# --- an infected file: to the quarantine, never into the store ------------
if [ $SCAN = 1 ]; then
	{ cat "$(e2e_fixture mp4 variant=virus)"; printf '%s' "$MARKER"; } \
	    >"$WORK/cloud/viruskey"
	qqmail clerk@example.test 病毒样本 viruskey \
	    "https://wx.mail.qq.com:$CP/ftn/download?func=3&key=viruskey&code=c9"
	check infected-delivered wait_mail campaign@example.test 9
	once
	check infected-row test "$(db "SELECT state || '|' || last_error FROM
	    case_links WHERE name LIKE '病毒样本%'")" = \
	    'infected|Subgate.Test.Marker-1.UNOFFICIAL'
	check infected-not-in-store test -z "$(find "$WORK/store" -name '病毒样本-*.mp4' -o -name '*.part' -size +0)"
	check infected-quarantined test -n "$(find "$WORK/quarantine" -type f \
	    -name "$(sha256sum "$WORK/cloud/viruskey" | cut -d' ' -f1)")"
	check infected-logged grep -q 'link 1 (病毒样本-微视频-金坛区委组织部.mp4) infected: Subgate.Test.Marker-1' \
	    "$WORK/once.log"
	check good-scanned grep -qF '"scan":{"result":"clean"}' "$WORK/store/$dir/case.json"
else
	echo "SKIP links-fetch infected: $CLAMD not installed"
fi

# --- run: the fetcher's thread beside intake ------------------------------
cp "$(e2e_fixture mp4 variant=run)" "$WORK/cloud/runkey"
"$SUBGATE" run -c "$CONF" >"$WORK/run.log" 2>&1 &
RUN_PID=$!
E2E_PIDS="$E2E_PIDS $RUN_PID"
qqmail clerk@example.test 党旗飘飘 runkey \
    "https://wx.mail.qq.com:$CP/ftn/download?func=3&key=runkey&code=c10"
# A bound against a hang, not a speed test.
n=0
while [ "$(link_row 党旗飘飘 | cut -d'|' -f1)" != fetched ] && [ $n -lt 120 ]; do
	sleep 1
	n=$((n + 1))
done
check run-fetched test "$(link_row 党旗飘飘)" = "fetched|1|$(wc -c <"$WORK/cloud/runkey")"
kill -TERM $RUN_PID
wait $RUN_PID
check run-stops-on-term test $? -eq 0

check nothing-failed test "$(db "SELECT COUNT(*) FROM messages WHERE
    outcome = 'failed'")" -eq 0
