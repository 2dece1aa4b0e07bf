# What the attachments are by content, through the whole pipeline (offline
# ingest, the code path of IMAP mail): a program named like a video is
# refused whatever the campaign says, with no case and no receipt number;
# a real MP4 is filed, its type kept in case.json and shown by cases show;
# the shipped campaigns' content = (the notices' formats) refuse a work
# file of another type (a Word document or a zip named .mp4, a MOV where
# MP4 is asked, a PNG where JPG is), and data they cannot name; without
# content = such a file is judged by its name, as before.  Every file is
# written here or made by tests/tools/fixtures.py.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

C=$TOP/contrib/campaigns
CZ=$(e2e_campaign_any_sender "$C/dangjiao-changzhou-2024.campaign")
# Shuozhou without its content = lines: a campaign that looks at names only.
XQ=$WORK/xxqg-shuozhou-2019.campaign
grep -v '^content' "$C/xxqg-shuozhou-2019.campaign" >"$XQ"
e2e_write_config --offline -u subgate.store -u subgate.database \
    -u smtp.from_name "$C/fupin2020.campaign" "$CZ" "$XQ"
CONF="$WORK/subgate.conf"
FP_DATE='Sat, 01 Aug 2020 10:00:00 +0800'
CZ_DATE='Mon, 10 Jun 2024 09:00:00 +0800'
XQ_DATE='Mon, 10 Jun 2019 09:00:00 +0800'

# A PE32 program: the MZ header pointing at "PE\0\0", its COFF header
# (i386, one section, an executable image) and the start of the optional
# header.
{
	printf 'MZ\220\000\003\000\000\000\004\000\000\000\377\377\000\000'
	head -c 44 /dev/zero
	printf '\100\000\000\000'
	printf 'PE\000\000\114\001\001\000'
	head -c 12 /dev/zero
	printf '\340\000\002\001\013\001'
	head -c 400 /dev/zero
} >"$WORK/program.exe"
# A 64-bit Linux program: the ELF header alone is enough to run it as one.
{
	printf '\177ELF\002\001\001\000'
	head -c 8 /dev/zero
	printf '\002\000\076\000\001\000\000\000'
	head -c 400 /dev/zero
} >"$WORK/program.elf"
# A real MP4 (1080p, 25 fps, with sound) and a real Word document.
FILM=$(e2e_fixture mp4) || exit 0
DOCX=$(e2e_fixture docx text=“我所经历的脱贫攻坚故事”征集报名表) || exit 0
# Data no one can name (what the other suites attach as works), made
# not to start with a byte libmagic takes for a DOS program.
{ printf 'subgate test data '; head -c 4000 /dev/urandom; } >"$WORK/data.bin"

. "$(dirname "$0")/offline-ingest.inc"
cases_all() { sqlite3 "$WORK/db" "SELECT COUNT(*) FROM cases"; }
# refused NAME CAMPAIGN TEXT: rejected with a correction saying TEXT, and
# no case made.
refused() {
	r=$(ingest "$2" "$1")
	check "$1-rejected" test "${r%%	*}" = rejected
	check "$1-no-case" test "$(cases_of "$1")" -eq 0
	check "$1-correction" test "$(kind_of "$1")" = correction
	check "$1-says" reply_has "$1" "$3"
}

if [ ! -x "$SUBGATE" ]; then
	fail content:subgate "$SUBGATE not built"
	exit 0
fi
check config sh -c "'$SUBGATE' check-config -c '$CONF' >/dev/null"

# --- a Windows program named like the work: refused, no case ----------------
mail pe '扶贫征集-自荐-视频类(微视频)-星城大爱' "$FP_DATE" \
    --attach "$WORK/program.exe=星城大爱.mp4" \
    --attach "$DOCX=征集报名表.docx"
refused pe fupin2020 '附件“星城大爱.mp4”实际是 Windows 程序，不能作为作品提交。'
check pe-no-folder test -z "$(find "$WORK/store/fupin2020" -name 'FUPIN2020-*')"
check pe-nothing-left-in-tmp test -z "$(ls -A "$WORK/store/.tmp")"

# --- a Linux program: said plainly ------------------------------------------
mail elf '扶贫征集-自荐-视频类(微视频)-星城大爱' "$FP_DATE" \
    --attach "$WORK/program.elf=星城大爱.mp4"
refused elf fupin2020 '附件“星城大爱.mp4”实际是可执行程序，不能作为作品提交。'

# --- a program beside a real work, as the form: the whole mail is refused ---
mail beside '扶贫征集-自荐-视频类(微视频)-星城大爱' "$FP_DATE" \
    --attach "$FILM=星城大爱.mp4" \
    --attach "$WORK/program.exe=征集报名表.docx"
refused beside fupin2020 '附件“征集报名表.docx”实际是 Windows 程序'

# --- a real MP4: filed, its type in case.json and cases show -----------------
mail film '扶贫征集-自荐-视频类(微视频)-星城大爱' "$FP_DATE" \
    --attach "$FILM=星城大爱.mp4" \
    --attach "$DOCX=征集报名表.docx"
r=$(ingest fupin2020 film)
check film-accepted test "${r%%	*}" = accepted
# The refusals before it took no receipt number.
check film-first-receipt test "${r#*	}" = FUPIN2020-00001
json="$WORK/store/$(dir_of "${r#*	}")/case.json"
check film-json-mp4 grep -q '"original_name":"星城大爱.mp4","content_type":"video/mp4","size":[0-9]*,"sha256":"[0-9a-f]*","content":{"mime":"video/mp4"[,}]' "$json"
check film-json-docx grep -q '"content":{"mime":"application/vnd.openxmlformats-officedocument.wordprocessingml.document"}' "$json"
"$SUBGATE" cases show -c "$CONF" --store "$WORK/store" --database "$WORK/db" \
    "${r#*	}" >"$WORK/show.txt" 2>&1
check film-show-type grep -qF '内容类型 MP4 视频（video/mp4）' "$WORK/show.txt"
check film-show-form grep -qF '内容类型 Word 文档（application/vnd.openxmlformats-officedocument.wordprocessingml.document）' "$WORK/show.txt"
"$SUBGATE" cases show -c "$CONF" --store "$WORK/store" --database "$WORK/db" \
    --json "${r#*	}" >"$WORK/show.json" 2>&1
check film-show-json grep -qF '"content_mime":"video/mp4"' "$WORK/show.json"

# --- without content =, unknown data named .mp4 is judged by its name --------
mail data '优质慕课-朔城区委宣传部-张三-大山里的新希望' "$XQ_DATE" \
    --attach "$WORK/data.bin=大山里的新希望.mp4"
r=$(ingest xxqg-shuozhou-2019 data)
check data-no-rule-accepted test "${r%%	*}" = accepted
json="$WORK/store/$(dir_of "${r#*	}")/case.json"
check data-no-rule-json grep -q '"content":{"mime":"application/octet-stream"}' "$json"

# --- Changzhou's video/mp4;image/jpeg;image/png: a Word document named .mp4 --
mail cz_docx '金坛区委组织部报送作品' "$CZ_DATE" \
    --attach "$DOCX=初心如磐-纪录片-金坛区委组织部.mp4" \
    --attach "$DOCX=报名表（一）初心如磐.docx"
refused cz_docx dangjiao-changzhou-2024 '附件“初心如磐-纪录片-金坛区委组织部.mp4”实际是 Word 文档，不是本次征集接受的作品文件格式（接受：MP4 视频、JPG 图片、PNG 图片）。'

# --- and data it cannot name -------------------------------------------------
mail cz_data '金坛区委组织部报送作品' "$CZ_DATE" \
    --attach "$WORK/data.bin=初心如磐-纪录片-金坛区委组织部.mp4" \
    --attach "$DOCX=报名表（一）初心如磐.docx"
refused cz_data dangjiao-changzhou-2024 '附件“初心如磐-纪录片-金坛区委组织部.mp4”的内容无法识别'

# --- a real MP4 fits it -------------------------------------------------------
mail cz_film '金坛区委组织部报送作品' "$CZ_DATE" \
    --attach "$FILM=初心如磐-纪录片-金坛区委组织部.mp4" \
    --attach "$DOCX=报名表（一）初心如磐.docx"
r=$(ingest dangjiao-changzhou-2024 cz_film)
check cz-film-accepted test "${r%%	*}" = accepted
json="$WORK/store/$(dir_of "${r#*	}")/case.json"
check cz-film-json grep -q '"content":{"mime":"video/mp4"}' "$json"

check cases-made test "$(cases_all)" -eq 3
check nothing-failed test "$(sqlite3 "$WORK/db" "SELECT COUNT(*) FROM
    messages WHERE outcome = 'failed'")" -eq 0

# === The shipped campaigns' content rules: the notices' formats ==============
# fupin2020 (notice 004): 视频类 “格式为MOV、MP4”, 微电影 “采用MP4标准格式”,
# 图片类 “图片为jpg格式”.  A zip or a Word document renamed .mp4 is refused
# with what it really is and what is taken; the real clips are filed.
shipped_rules() {
	MOV=$(e2e_fixture mov) || return
	PNG=$(e2e_fixture png) || return
	JPG=$(e2e_fixture jpg) || return
	$PY - "$FILM" "$WORK/film.zip" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:
    z.write(sys.argv[1], "山乡巨变.mp4")
EOF
	mail sr_zip '扶贫征集-自荐-视频类(微视频)-山乡巨变' "$FP_DATE" \
	    --attach "$WORK/film.zip=山乡巨变.mp4" \
	    --attach "$DOCX=征集报名表.docx"
	refused sr_zip fupin2020 '附件“山乡巨变.mp4”实际是 ZIP 压缩包，不是本次征集接受的作品文件格式（接受：MP4 视频、MOV 视频）。'
	mail sr_word '扶贫征集-自荐-视频类(微视频)-山乡巨变' "$FP_DATE" \
	    --attach "$DOCX=山乡巨变.mp4" --attach "$DOCX=征集报名表.docx"
	refused sr_word fupin2020 '附件“山乡巨变.mp4”实际是 Word 文档，不是本次征集接受的作品文件格式（接受：MP4 视频、MOV 视频）。'
	# A 微电影 is MP4 only: a MOV, even named .mp4, is refused.
	mail sr_film_mov '扶贫征集-自荐-视频类(微电影)-山乡故事' "$FP_DATE" \
	    --attach "$MOV=山乡故事.mp4" --attach "$DOCX=征集报名表.docx"
	refused sr_film_mov fupin2020 '附件“山乡故事.mp4”实际是 MOV 视频，不是本次征集接受的作品文件格式（接受：MP4 视频）。'
	mail sr_png '扶贫征集-自荐-图片类-山村新貌' "$FP_DATE" \
	    --attach "$PNG=山村新貌.png" --attach "$DOCX=征集报名表.docx"
	refused sr_png fupin2020 '附件“山村新貌.png”实际是 PNG 图片，不是本次征集接受的作品文件格式（接受：JPG 图片）。'
	# The real things: an MP4 and a MOV 微视频, a JPG picture.
	for m in sr_mp4:视频类\(微视频\):山乡巨变.mp4:"$FILM":video/mp4 \
	    sr_mov:视频类\(微视频\):山乡新貌.mov:"$MOV":video/quicktime \
	    sr_jpg:图片类:山村新貌.jpg:"$JPG":image/jpeg; do
		IFS=: read -r n cat fname file mime <<EOF
$m
EOF
		mail "$n" "扶贫征集-自荐-$cat-${fname%.*}" "$FP_DATE" \
		    --attach "$file=$fname" --attach "$DOCX=征集报名表.docx"
		r=$(ingest fupin2020 "$n")
		check "$n-accepted" test "${r%%	*}" = accepted
		check "$n-receipt" test "$(kind_of "$n")" = receipt
		check "$n-json" grep -q "\"original_name\":\"$fname\",[^}]*\"content\":{\"mime\":\"$mime\"[,}]" \
		    "$WORK/store/$(dir_of "${r#*	}")/case.json"
	done
	# Changzhou (notice 003): “微视频报送mp4”: its two versions as MP4, not
	# MOV.
	mail sr_cz_mov '金坛区委组织部报送作品' "$CZ_DATE" \
	    --attach "$MOV=星城大爱（有字幕）-微视频-金坛区委组织部.mp4" \
	    --attach "$(e2e_attach b 星城大爱（无字幕）-微视频-金坛区委组织部.mp4)" \
	    --attach "$DOCX=报名表（一）星城大爱.docx"
	refused sr_cz_mov dangjiao-changzhou-2024 '附件“星城大爱（有字幕）-微视频-金坛区委组织部.mp4”实际是 MOV 视频，不是本次征集接受的作品文件格式（接受：MP4 视频）。'
	check shipped-rules-cases test "$(cases_all)" -eq 6
}
shipped_rules
