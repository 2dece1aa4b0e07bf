# What a video work measures, through the whole pipeline (offline ingest,
# the code path of IMAP mail), in a copy of the Changzhou campaign with
# its shipped media rules: a 9:12 微视频 is refused with its length and the
# limit, and no case or receipt number; a short clip at 30 fps is filed
# with a warning in the receipt, its facts in case.json and cases show; an
# MP4 cut short is refused as unreadable, and one whose index comes first
# (faststart) as incomplete; a hostile MP4 (a moov box
# claiming gigabytes) is answered, not crashed on; the inspecting process
# dying is a note for staff, not a refusal; a campaign without media rules
# never inspects.  Then the shipped campaigns as they are: the notices'
# lengths and picture size refuse, the bitrate warns.  Every clip is
# generated here with ffmpeg.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

if ! command -v ffmpeg >/dev/null 2>&1; then
	echo "SKIP content-media: no ffmpeg to make the clips"
	exit 0
fi
if [ ! -x "$SUBGATE" ]; then
	fail content-media:subgate "$SUBGATE not built"
	exit 0
fi

C=$TOP/contrib/campaigns
CZ=$(e2e_campaign_any_sender "$C/dangjiao-changzhou-2024.campaign")
# One file per 微视频 here (the versions rule is another suite's); the
# media rules are the shipped ones, and a sound track is asked for too.
sed -i -e '/^required_versions/d' -e 's/^bitrate\.微视频 = .*/&\
audio.微视频 = yes warn/' "$CZ"
# The fupin2020 campaign without its media rules: one that never inspects.
FPN="$WORK/fupin2020-norules.campaign"
sed -e 's/^id = fupin2020$/id = fupin2020-norules/' \
    -e '/^\(duration\|resolution\|aspect\|fps\|bitrate\|audio\)[.= ]/d' \
    "$C/fupin2020.campaign" >"$FPN"
e2e_write_config --offline -u subgate.store -u subgate.database \
    -u smtp.from_name "$FPN" "$CZ"
CONF="$WORK/subgate.conf"
CZ_DATE='Mon, 10 Jun 2024 09:00:00 +0800'
FP_DATE='Sat, 01 Aug 2020 10:00:00 +0800'

ff() { ffmpeg -loglevel error -y -nostdin "$@"; }
# 9 min 12 s, tiny and still: a long 微视频.
ff -f lavfi -i color=c=blue:size=64x36:rate=25:duration=552 \
    -f lavfi -i anullsrc=r=8000:cl=mono -c:v libx264 -preset ultrafast \
    -threads 1 -tune stillimage -c:a aac -b:a 16k -shortest "$WORK/long.mp4"
# 2 s of 1080p at 30 fps with sound and the 8 Mbps asked: within 8
# minutes, off the 25 fps asked.
cp "$(e2e_fixture mp4 rate=30 bitrate=8M)" "$WORK/short.mp4"
# The same cut in half, as an interrupted upload leaves it (ffmpeg writes
# the moov index at the end).
head -c $(($(wc -c <"$WORK/short.mp4") / 2)) "$WORK/short.mp4" >"$WORK/cut.mp4"
# The index first (-movflags +faststart), then cut in half: it opens as if
# whole, the samples its index points to missing.
cp "$(e2e_fixture mp4 rate=25 faststart=yes cut=50)" "$WORK/fastcut.mp4"
# An ftyp, then a moov box that claims 2 GiB and an mvhd that claims
# 2^32-1 tracks' worth, then noise.
{
	printf '\000\000\000\040ftypisom\000\000\002\000isomiso2avc1mp41'
	printf '\177\377\377\377moov\377\377\377\377mvhd'
	head -c 4000000 /dev/urandom
} >"$WORK/hostile.mp4"
# The 报名表, a real Word document: the campaign judges forms by content too.
cp "$(e2e_fixture docx)" "$WORK/form.docx"

. "$(dirname "$0")/offline-ingest.inc"
cases_all() { sqlite3 "$WORK/db" "SELECT COUNT(*) FROM cases"; }
refused() {
	r=$(ingest "$2" "$1")
	check "$1-rejected" test "${r%%	*}" = rejected
	check "$1-no-case" test "$(cases_of "$1")" -eq 0
	check "$1-correction" test "$(kind_of "$1")" = correction
	check "$1-says" reply_has "$1" "$3"
}
# czmail NAME FILE CATEGORY [TITLE]: the 金坛 unit's work (《初心如磐》)
# as FILE, with its form.
czmail() {
	t=${4:-初心如磐}
	mail "$1" '金坛区委组织部报送作品' "$CZ_DATE" \
	    --attach "$2=$t-$3-金坛区委组织部.mp4" \
	    --attach "$WORK/form.docx=报名表（一）$t.docx"
}

check config sh -c "'$SUBGATE' check-config -c '$CONF' >/dev/null"

# --- a 9:12 微视频: refused with its length and the limit, no case -----------
czmail long "$WORK/long.mp4" 微视频
refused long dangjiao-changzhou-2024 \
    '作品《初心如磐》：时长 9分12秒，微视频不超过 8 分钟。请剪辑后重新发送。'
check long-no-folder test -z "$(find "$WORK/store" -name case.json)"
check long-nothing-in-tmp test -z "$(ls -A "$WORK/store/.tmp")"

# --- the same as a 典型事迹片 (at least 10 minutes): refused too --------------
czmail typical "$WORK/long.mp4" 典型事迹片
refused typical dangjiao-changzhou-2024 \
    '作品《初心如磐》：时长 9分12秒，典型事迹片不少于 10 分钟。请补充完善、达到时长要求后重新发送。'

# --- a short clip at 30 fps: filed, the warning in the receipt --------------
czmail short "$WORK/short.mp4" 微视频
r=$(ingest dangjiao-changzhou-2024 short)
check short-accepted test "${r%%	*}" = accepted
check short-first-receipt test "${r#*	}" = DANGJIAOCHANGZHOU2024-00001
check short-receipt test "$(kind_of short)" = receipt
check short-receipt-warns reply_has short \
    '作品《初心如磐》：帧率 30 帧/秒，微视频应为 25 帧/秒。'
# one version of a work: the finding says which
mail version '金坛区委组织部报送作品' "$CZ_DATE" \
    --attach "$WORK/short.mp4=红色引擎（有字幕）-微视频-金坛区委组织部.mp4" \
    --attach "$WORK/form.docx=报名表（一）红色引擎.docx"
r2=$(ingest dangjiao-changzhou-2024 version)
check version-accepted test "${r2%%	*}" = accepted
check version-named reply_has version \
    '作品《红色引擎》（有字幕）：帧率 30 帧/秒，微视频应为 25 帧/秒。'
json="$WORK/store/$(dir_of "${r#*	}")/case.json"
check short-json-media grep -q '"media":{"readable":true,"duration_ms":2000,"width":1920,"height":1080,' "$json"
check short-json-audio grep -q '"audio":true' "$json"
check short-json-bytes-read grep -q '"bytes_read":[1-9][0-9]*' "$json"
check short-json-finding grep -qF '"findings":[{"code":"media-fps","severity":"warn","file":"初心如磐-微视频-金坛区委组织部.mp4","text":"作品《初心如磐》：帧率 30 帧/秒' "$json"
"$SUBGATE" cases show -c "$CONF" --store "$WORK/store" --database "$WORK/db" \
    "${r#*	}" >"$WORK/show.txt" 2>&1
check short-show-facts grep -qF '技术指标 时长 2秒，1920×1080（16:9），30 帧/秒' "$WORK/show.txt"
check short-show-finding grep -qF '[警告] 作品《初心如磐》：帧率 30 帧/秒，微视频应为 25 帧/秒。' "$WORK/show.txt"
"$SUBGATE" cases show -c "$CONF" --store "$WORK/store" --database "$WORK/db" \
    --json "${r#*	}" >"$WORK/show.json" 2>&1
check short-show-json-media grep -qF '"media":{"readable":true,"duration_ms":2000,"width":1920' "$WORK/show.json"
check short-show-json-finding grep -qF '"findings":[{"code":"media-fps","severity":"warn"' "$WORK/show.json"
"$SUBGATE" cases export -c "$CONF" --store "$WORK/store" --database "$WORK/db" \
    --campaign dangjiao-changzhou-2024 --format csv -o "$WORK/cz.csv" \
    2>>"$WORK/ingest.log"
check short-export-duration grep -qF '初心如磐-微视频-金坛区委组织部.mp4（' "$WORK/cz.csv"
check short-export-duration-said grep -qF '，时长 2秒）' "$WORK/cz.csv"

# --- cut short: unreadable, refused ----------------------------------------
czmail cut "$WORK/cut.mp4" 微视频
refused cut dangjiao-changzhou-2024 \
    '附件“初心如磐-微视频-金坛区委组织部.mp4”：无法读取视频信息，可能上传不完整，请重新导出后发送。'

# --- cut short with its index first: told by the index, refused -------------
czmail fastcut "$WORK/fastcut.mp4" 微视频
refused fastcut dangjiao-changzhou-2024 \
    '附件“初心如磐-微视频-金坛区委组织部.mp4”：视频文件不完整（只有应有大小的 '
check fastcut-send-again reply_has fastcut \
    '可能上传或下载时中断，请重新发送完整的文件。'
"$SUBGATE" inspect --json "$WORK/fastcut.mp4" >"$WORK/fastcut.json"
check fastcut-inspect-says $PY -c "
import json, os, sys
f = json.load(open(sys.argv[1]))['media']
sys.exit(0 if f.get('truncated') and f['expected_size'] >
         os.path.getsize(sys.argv[2]) else 1)
" "$WORK/fastcut.json" "$WORK/fastcut.mp4"

# --- hostile: answered within a bound, nothing crashed ----------------------
czmail hostile "$WORK/hostile.mp4" 微视频
r=$(timeout 120 sh -c "'$SUBGATE' ingest -c '$CONF' --campaign \
    dangjiao-changzhou-2024 --store '$WORK/store' --database '$WORK/db' \
    '$WORK/hostile.eml' 2>>'$WORK/ingest.log'")
rc=$?
check hostile-answered test "$rc" -eq 0
check hostile-recorded test "$(sqlite3 "$WORK/db" "SELECT outcome FROM
    messages WHERE sender = 'hostile@example.test'")" = rejected
check hostile-unreadable reply_has hostile '无法读取视频信息'
"$SUBGATE" inspect --json "$WORK/hostile.mp4" >"$WORK/hostile.json"
check hostile-bounded-read $PY -c "
import json, sys
f = json.load(open(sys.argv[1]))['media']
sys.exit(0 if f['bytes_read'] <= 64 * 1024 * 1024 and not f['readable'] else 1)
" "$WORK/hostile.json"

# --- the inspecting process dies: a note for staff, the work is filed ------
czmail crash "$WORK/long.mp4" 纪录片 村里来了新书记
czmail crash2 "$WORK/long.mp4" 微视频 产业链上的党旗红
r=$(SUBGATE_TEST_FAIL_POINT=inspect-child ingest dangjiao-changzhou-2024 crash2)
check crash-accepted test "${r%%	*}" = accepted
check crash-receipt-notes reply_has crash2 \
    '附件“产业链上的党旗红-微视频-金坛区委组织部.mp4”：未能检查视频的时长等技术指标。已随案卷保存，由工作人员核对。'
check crash-logged grep -q 'not inspected: the inspecting process died' \
    "$WORK/ingest.log"

# --- no rule for the category, no inspection: the long clip as 纪录片 -------
r=$(ingest dangjiao-changzhou-2024 crash)
check no-rule-accepted test "${r%%	*}" = accepted
json="$WORK/store/$(dir_of "${r#*	}")/case.json"
check no-rule-no-media sh -c "! grep -q '\"media\"' '$json'"

# --- a campaign without media rules never inspects ---------------------------
mail fp '扶贫征集-自荐-视频类(微视频)-星城大爱' "$FP_DATE" \
    --attach "$WORK/cut.mp4=星城大爱.mp4"
r=$(ingest fupin2020-norules fp)
check fp-no-rules-accepted test "${r%%	*}" = accepted

check nothing-failed test "$(sqlite3 "$WORK/db" "SELECT COUNT(*) FROM
    messages WHERE outcome = 'failed'")" -eq 0
check cases-made test "$(cases_all)" -eq 5

# === The shipped campaigns' media rules, as shipped ===========================
# fupin2020 (“(1)微视频…时长在3分钟以内…mp4格式不得低于15M码流…视频标准为
# 1920×1080”) and Changzhou (“微视频…时长不超过8分钟”, “典型事迹片…时长不低于
# 10分钟”) and Shuozhou (国歌 “时长5分钟以内”, 大家讲堂 “时间约30分钟以上”)
# unchanged, in a configuration and database of their own.  The
# long clips are tiny (64×36): only their length is in question.
SHIPPED_CONF="$WORK/shipped.conf"
e2e_write_config --offline -o "$SHIPPED_CONF" -u subgate.store \
    -u subgate.database -u smtp.from_name "$C/fupin2020.campaign" \
    "$C/dangjiao-changzhou-2024.campaign" "$C/xxqg-shuozhou-2019.campaign"
check shipped-config sh -c "'$SUBGATE' check-config -c '$SHIPPED_CONF' >/dev/null"
CONF=$SHIPPED_CONF
mv "$WORK/db" "$WORK/db.rules-copy"
mv "$WORK/store" "$WORK/store.rules-copy"
mkdir -p "$WORK/store"
LONG320=$(e2e_fixture mp4 size=64x36 duration=200) || exit 0
LONG552=$(e2e_fixture mp4 size=64x36 duration=552) || exit 0
LONG605=$(e2e_fixture mp4 size=64x36 duration=605) || exit 0
HD720=$(e2e_fixture mp4 size=1280x720) || exit 0
HD1080=$(e2e_fixture mp4) || exit 0
FORM=$(e2e_attach form 报名表.docx) || exit 0

# fupin2020: a 3:20 微视频 is refused with its length and the limit.
mail fpl '扶贫征集-自荐-视频类(微视频)-星城大爱' "$FP_DATE" \
    --attach "$LONG320=星城大爱.mp4" --attach "$FORM"
refused fpl fupin2020 \
    '作品《星城大爱》：时长 3分20秒，视频类(微视频)不超过 3 分钟。请剪辑后重新发送。'
# a 1280×720 微视频 is refused: “视频标准为1920×1080”.
mail fp720 '扶贫征集-自荐-视频类(微视频)-山村新貌' "$FP_DATE" \
    --attach "$HD720=山村新貌.mp4" --attach "$FORM"
refused fp720 fupin2020 \
    '作品《山村新貌》：分辨率 1280×720，视频类(微视频)应为 1920×1080。请按通知要求重新导出后发送。'
# an MP4 of sound alone is no 微视频: refused, said as that.
ff -f lavfi -i sine=frequency=440:sample_rate=8000:duration=2 -c:a aac \
    -b:a 16k "$WORK/sound-only.mp4"
mail fpsound '扶贫征集-自荐-视频类(微视频)-只有声音' "$FP_DATE" \
    --attach "$WORK/sound-only.mp4=只有声音.mp4" --attach "$FORM"
refused fpsound fupin2020 \
    '作品《只有声音》：只有声音，没有画面，视频类(微视频)应为视频。请发送带画面的视频文件。'
# a 2 s 1080p 微视频 at 100 kb/s is filed; the receipt lists the bitrate
# (a warning: the overall rate, sound included).
mail fpok '扶贫征集-自荐-视频类(微视频)-大山里的新希望' "$FP_DATE" \
    --attach "$HD1080=大山里的新希望.mp4" --attach "$FORM"
r=$(ingest fupin2020 fpok)
check shipped-fp-accepted test "${r%%	*}" = accepted
check shipped-fp-receipt test "$(kind_of fpok)" = receipt
check shipped-fp-bitrate-warned reply_has fpok \
    '作品《大山里的新希望》：总码率 155 kbps，视频类(微视频)不低于 15 Mbps。已先行登记。'

# Changzhou: a 9:12 微视频 (both versions, as the notice asks) is refused.
CZ_MV="$(e2e_fixture mp4 size=64x36 duration=552 variant=sub)" || exit 0
mail czl '金坛区委组织部报送作品' "$CZ_DATE" \
    --attach "$LONG552=初心如磐（有字幕）-微视频-金坛区委组织部.mp4" \
    --attach "$CZ_MV=初心如磐（无字幕）-微视频-金坛区委组织部.mp4" \
    --attach "$FORM"
r=$(ingest dangjiao-changzhou-2024 czl)
check shipped-cz-long-rejected test "${r%%	*}" = rejected
check shipped-cz-long-says reply_has czl \
    '作品《初心如磐》：时长 9分12秒，微视频不超过 8 分钟。请剪辑后重新发送。'
# a 10:05 典型事迹片 is filed.
mail czt '金坛区委组织部报送作品' "$CZ_DATE" \
    --attach "$LONG605=红色印记-典型事迹片-金坛区委组织部.mp4" \
    --attach "$FORM"
r=$(ingest dangjiao-changzhou-2024 czt)
check shipped-cz-typical-accepted test "${r%%	*}" = accepted
check shipped-cz-typical-receipt test "$(kind_of czt)" = receipt

# Shuozhou: a 9:12 国歌 is refused (“时长5分钟以内”); a 2 s 大家讲堂 is filed,
# its shortness (“约30分钟以上”) a warning in the receipt.
SZ_DATE='Mon, 10 Jun 2019 09:00:00 +0800'
mail szl '国歌主题演唱-朔城区委宣传部-张三-唱响国歌' "$SZ_DATE" \
    --attach "$LONG552=唱响国歌.mp4"
r=$(ingest xxqg-shuozhou-2019 szl)
check shipped-sz-anthem-rejected test "${r%%	*}" = rejected
check shipped-sz-anthem-says reply_has szl \
    '作品《唱响国歌》：时长 9分12秒，国歌主题演唱不超过 5 分钟。请剪辑后重新发送。'
mail szt '大家讲堂-朔城区委宣传部-李四-桑干河畔' "$SZ_DATE" \
    --attach "$HD1080=桑干河畔.mp4"
r=$(ingest xxqg-shuozhou-2019 szt)
check shipped-sz-lecture-accepted test "${r%%	*}" = accepted
check shipped-sz-lecture-warned reply_has szt \
    '作品《桑干河畔》：时长 2秒，大家讲堂不少于 30 分钟。已先行登记。'
