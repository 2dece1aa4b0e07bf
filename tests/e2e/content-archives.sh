# What an archive holds, through the whole pipeline (offline ingest, the
# code path of IMAP mail), with the shipped fupin2020 campaign (“作品请以
# 附件或压缩包的形式补充”): a zip of pictures with GBK names and the 报名表
# inside, as Explorer on a Chinese Windows writes it, is filed with its
# entries listed by their right names in case.json and cases show, the
# form inside counted; a zip holding a program (named .mp4) is refused
# naming the entry; a zip bomb (100 MiB of zeros in 100 KB) is refused
# by its ratio and nothing is expanded into the store; a zip with a
# password is refused; a 微视频 inside a zip is measured and refused for
# its length; a 7z and a RAR of pictures are filed, a RAR holding a program
# refused.  Every archive is written here (tests/tools/mkarchive.py; the 7z
# by 7z or bsdtar, the RAR as a stored RAR 5).
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

if [ ! -x "$SUBGATE" ]; then
	fail content-archives:subgate "$SUBGATE not built"
	exit 0
fi

C=$TOP/contrib/campaigns
FP=$(e2e_campaign_any_sender "$C/fupin2020.campaign")
check shipped-archive-kind grep -q '^content = archive$' "$FP"
e2e_write_config --offline -u subgate.store -u subgate.database \
    -u smtp.from_name "$FP"
CONF="$WORK/subgate.conf"
FP_DATE='Sat, 01 Aug 2020 10:00:00 +0800'
MK="$PY $TOP/tests/tools/mkarchive.py"

. "$(dirname "$0")/offline-ingest.inc"
refused() {
	r=$(ingest fupin2020 "$1")
	check "$1-rejected" test "${r%%	*}" = rejected
	check "$1-no-case" test "$(cases_of "$1")" -eq 0
	check "$1-correction" test "$(kind_of "$1")" = correction
	check "$1-says" reply_has "$1" "$2"
	check "$1-nothing-in-tmp" test -z "$(ls -A "$WORK/store/.tmp")"
}
# fpmail NAME CATEGORY TITLE FILE NAME-AS-SENT
fpmail() {
	mail "$1" "扶贫征集-自荐-$2-$3" "$FP_DATE" --attach "$4=$5"
}
show() {
	"$SUBGATE" cases show -c "$CONF" --store "$WORK/store" \
	    --database "$WORK/db" "$@" 2>&1
}

cp "$(e2e_fixture jpg variant=1)" "$WORK/1.jpg"
cp "$(e2e_fixture jpg variant=2)" "$WORK/2.jpg"
cp "$(e2e_fixture docx text=报名表)" "$WORK/form.docx"
# A Windows program: an MZ header and a PE signature.
$PY -c "
import sys
b = bytearray(512); b[0:2] = b'MZ'; b[0x3c:0x40] = b'\x40\0\0\0'
b[0x40:0x46] = b'PE\0\0\x4c\x01'
open(sys.argv[1], 'wb').write(b)" "$WORK/setup.exe"

check config sh -c "'$SUBGATE' check-config -c '$CONF' >/dev/null"

# --- zipped on a Mac: its __MACOSX/ and .DS_Store passed over, filed --------
(cd "$WORK" && $MK mac.zip '秋收/秋收1.jpg=1.jpg' '__MACOSX/秋收/._秋收1.jpg=form.docx' \
    '秋收/.DS_Store=form.docx' '秋收/报名表.docx=form.docx')
fpmail mac 图片类 秋收 "$WORK/mac.zip" 秋收.zip
r=$(ingest fupin2020 mac)
check mac-accepted test "${r%%	*}" = accepted
check mac-no-word-of-them reply_lacks mac '__MACOSX'

# --- a zip in the zip: never opened, so refused -----------------------------
(cd "$WORK" && $MK inner.zip '木马.exe=setup.exe' '照片.jpg=1.jpg' &&
    $MK nested.zip '内层.zip=inner.zip' '照片2.jpg=2.jpg')
fpmail nested 图片类 嵌套 "$WORK/nested.zip" 嵌套.zip
refused nested '压缩包“嵌套.zip”中又有压缩包“内层.zip”。请不要把压缩包再放进压缩包'

# --- GBK names, the form inside: filed, listed right ------------------------
(cd "$WORK" && $MK --gbk pics.zip '山村新貌/山村新貌1.jpg=1.jpg' \
    '山村新貌/山村新貌2.jpg=2.jpg' '山村新貌/报名表（山村新貌）.docx=form.docx')
check gbk-names-unflagged $PY -c "
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
sys.exit(0 if all(not i.flag_bits & 0x800 for i in z.infolist()) and
         z.infolist()[0].filename.encode('cp437') ==
         '山村新貌/山村新貌1.jpg'.encode('gbk') else 1)" "$WORK/pics.zip"
fpmail pics 图片类 山村新貌 "$WORK/pics.zip" 山村新貌.zip
r=$(ingest fupin2020 pics)
check pics-accepted test "${r%%	*}" = accepted
check pics-receipt test "$(kind_of pics)" = receipt
check pics-form-counted reply_lacks pics '报名表'
receipt=${r#*	}
json="$WORK/store/$(dir_of "$receipt")/case.json"
check pics-json-listed $PY -c "
import json, sys
a = json.load(open(sys.argv[1]))['attachments'][0]['content']['archive']
names = [i['name'] for i in a['items']]
types = [i.get('mime') for i in a['items']]
sys.exit(0 if a['charset'] == 'GB18030' and names == [
    '山村新貌/山村新貌1.jpg', '山村新貌/山村新貌2.jpg',
    '山村新貌/报名表（山村新貌）.docx'] and types[0] == 'image/jpeg' and
    types[2].endswith('wordprocessingml.document') and
    a['items'][0]['size'] > 0 else 1)" "$json"
check pics-only-the-zip-filed test "$(ls "$WORK/store/$(dir_of "$receipt")" |
    grep -vc '^case.json$\|\.eml$')" -eq 1
show "$receipt" >"$WORK/show.txt"
check pics-show-facts grep -qF '技术指标 压缩包，3 个文件，解压后' "$WORK/show.txt"
check pics-show-gbk grep -qF '文件名为 GBK 编码' "$WORK/show.txt"
check pics-show-entry grep -qF '压缩包内 山村新貌/山村新貌1.jpg' "$WORK/show.txt"
show --json "$receipt" >"$WORK/show.json"
check pics-show-json grep -qF '"name":"山村新貌/报名表（山村新貌）.docx"' \
    "$WORK/show.json"

# --- a program inside: refused, the entry named ------------------------------
(cd "$WORK" && $MK exe.zip '山村新貌1.jpg=1.jpg' '作品/星城大爱.mp4=setup.exe')
fpmail exe 图片类 山村新貌 "$WORK/exe.zip" 山村新貌.zip
refused exe '压缩包“山村新貌.zip”中的“作品/星城大爱.mp4”实际是 Windows 程序，不能作为作品提交。'

# --- a bomb: refused by its ratio, nothing expanded --------------------------
(cd "$WORK" && $MK --zeros 山村新貌.bmp=100 bomb.zip)
check bomb-small test "$(wc -c <"$WORK/bomb.zip")" -lt 200000
fpmail bomb 图片类 山村新貌 "$WORK/bomb.zip" 山村新貌.zip
refused bomb '压缩包“山村新貌.zip”解压后超过原大小的 200 倍，可能已损坏或不是正常作品'
check bomb-store-small test "$(du -sk "$WORK/store" | cut -f1)" -lt 20000

# --- a password: refused --------------------------------------------------------
(cd "$WORK" && $MK --password 123456 secret.zip '山村新貌1.jpg=1.jpg')
fpmail secret 图片类 山村新貌 "$WORK/secret.zip" 山村新貌.zip
refused secret '压缩包“山村新貌.zip”有密码，无法检查其中的文件，请不加密重新压缩后发送。'

# --- a 微视频 inside, too long: measured from its copy, refused --------------
if command -v ffmpeg >/dev/null 2>&1; then
	cp "$(e2e_fixture mp4 duration=200 size=320x180 bitrate=20k)" \
	    "$WORK/long.mp4"
	(cd "$WORK" && $MK clip.zip '星城大爱.mp4=long.mp4')
	fpmail clip '视频类(微视频)' 星城大爱 "$WORK/clip.zip" 星城大爱.zip
	refused clip '压缩包“星城大爱.zip”中的“星城大爱.mp4”：时长 3分20秒'
	check clip-resolution reply_has clip '1920×1080'
else
	echo "SKIP content-archives:clip: no ffmpeg"
fi

# --- a 7z of pictures: filed ----------------------------------------------------
if command -v 7z >/dev/null 2>&1 || command -v bsdtar >/dev/null 2>&1; then
	(cd "$WORK" && $MK pics.7z '组图/山村新貌1.jpg=1.jpg' \
	    '组图/山村新貌2.jpg=2.jpg')
	fpmail seven 图片类 山村新貌 "$WORK/pics.7z" 山村新貌.7z
	r=$(ingest fupin2020 seven)
	check seven-accepted test "${r%%	*}" = accepted
	json="$WORK/store/$(dir_of "${r#*	}")/case.json"
	check seven-listed grep -qF '"name":"组图/山村新貌2.jpg"' "$json"
else
	echo "SKIP content-archives:7z: neither 7z nor bsdtar"
fi

# --- a RAR of pictures, as WinRAR stores them: filed, listed ---------------
(cd "$WORK" && $MK pics.rar '组图/山村新貌1.jpg=1.jpg' '组图/山村新貌2.jpg=2.jpg' \
    '组图/报名表.docx=form.docx')
fpmail rar 图片类 山村新貌 "$WORK/pics.rar" 山村新貌.rar
r=$(ingest fupin2020 rar)
check rar-accepted test "${r%%	*}" = accepted
json="$WORK/store/$(dir_of "${r#*	}")/case.json"
check rar-listed grep -qF '"name":"组图/山村新貌2.jpg"' "$json"
check rar-form-counted reply_lacks rar '未附报名表'

# --- a RAR holding a program: refused, the entry named ----------------------
(cd "$WORK" && $MK prog.rar '组图/山村新貌1.jpg=1.jpg' '组图/安装.exe=setup.exe')
fpmail rarexe 图片类 山村新貌 "$WORK/prog.rar" 山村新貌.rar
refused rarexe '安装.exe'

check nothing-failed test "$(sqlite3 "$WORK/db" "SELECT COUNT(*) FROM
    messages WHERE outcome = 'failed'")" -eq 0
