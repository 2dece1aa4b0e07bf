# What the attachments are by content, through the whole pipeline (offline
# ingest, the code path of IMAP mail): a program named like a video is
# refused whatever the campaign says, with no case and no receipt number;
# a real MP4 is filed, its type kept in case.json and shown by cases show;
# a campaign's content = refuses a work file of another type (a Word
# document named .mp4), and data it cannot name; without content = such
# a file is judged by its name, as before.  Every file is written here.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

C=$TOP/contrib/campaigns
# Changzhou with content = for its works: a copy, the shipped campaign
# keeps none.
CZ=$(e2e_campaign_any_sender "$C/dangjiao-changzhou-2024.campaign")
sed -i 's/^types = mp4;jpg;jpeg;png$/&\ncontent = video;image/' "$CZ"
e2e_write_config --offline -u subgate.store -u subgate.database \
    -u smtp.from_name "$C/fupin2020.campaign" "$CZ"
CONF="$WORK/subgate.conf"
FP_DATE='Sat, 01 Aug 2020 10:00:00 +0800'
CZ_DATE='Mon, 10 Jun 2024 09:00:00 +0800'

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
# A real MP4: one second of test pattern when ffmpeg is there, else the
# boxes a player reads first (ftyp, an empty moov, mdat) by hand.
if command -v ffmpeg >/dev/null 2>&1; then
	ffmpeg -loglevel error -f lavfi -i testsrc=size=64x48:rate=5 -t 1 \
	    -c:v mpeg4 -y "$WORK/film.mp4" || rm -f "$WORK/film.mp4"
fi
if [ ! -s "$WORK/film.mp4" ]; then
	{
		printf '\000\000\000\040ftypisom\000\000\002\000isomiso2mp41'
		printf '\000\000\000\010moov'
		printf '\000\000\000\020mdat'
		head -c 8 /dev/zero
	} >"$WORK/film.mp4"
fi
# A Word document as Word and WPS write it: [Content_Types].xml first.
$PY - "$WORK/doc.docx" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns='
               '"http://schemas.openxmlformats.org/package/2006/'
               'content-types"/>')
    z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
    z.writestr("word/document.xml", '<?xml version="1.0"?><w:document '
               'xmlns:w="http://schemas.openxmlformats.org/'
               'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>报名表'
               '</w:t></w:r></w:p></w:body></w:document>')
EOF
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
    --attach "$WORK/doc.docx=征集报名表.docx"
refused pe fupin2020 '附件“星城大爱.mp4”实际是 Windows 程序，不能作为作品提交。'
check pe-no-folder test -z "$(find "$WORK/store/fupin2020" -name 'FUPIN2020-*')"
check pe-nothing-left-in-tmp test -z "$(ls -A "$WORK/store/.tmp")"

# --- a Linux program: said plainly ------------------------------------------
mail elf '扶贫征集-自荐-视频类(微视频)-星城大爱' "$FP_DATE" \
    --attach "$WORK/program.elf=星城大爱.mp4"
refused elf fupin2020 '附件“星城大爱.mp4”实际是可执行程序，不能作为作品提交。'

# --- a program beside a real work, as the form: the whole mail is refused ---
mail beside '扶贫征集-自荐-视频类(微视频)-星城大爱' "$FP_DATE" \
    --attach "$WORK/film.mp4=星城大爱.mp4" \
    --attach "$WORK/program.exe=征集报名表.docx"
refused beside fupin2020 '附件“征集报名表.docx”实际是 Windows 程序'

# --- a real MP4: filed, its type in case.json and cases show -----------------
mail film '扶贫征集-自荐-视频类(微视频)-星城大爱' "$FP_DATE" \
    --attach "$WORK/film.mp4=星城大爱.mp4" \
    --attach "$WORK/doc.docx=征集报名表.docx"
r=$(ingest fupin2020 film)
check film-accepted test "${r%%	*}" = accepted
# The refusals before it took no receipt number.
check film-first-receipt test "${r#*	}" = FUPIN2020-00001
json="$WORK/store/$(dir_of "${r#*	}")/case.json"
check film-json-mp4 grep -q '"original_name":"星城大爱.mp4","content_type":"video/mp4","size":[0-9]*,"sha256":"[0-9a-f]*","content":{"mime":"video/mp4"}' "$json"
check film-json-docx grep -q '"content":{"mime":"application/vnd.openxmlformats-officedocument.wordprocessingml.document"}' "$json"
"$SUBGATE" cases show -c "$CONF" --store "$WORK/store" --database "$WORK/db" \
    "${r#*	}" >"$WORK/show.txt" 2>&1
check film-show-type grep -qF '内容类型 MP4 视频（video/mp4）' "$WORK/show.txt"
check film-show-form grep -qF '内容类型 Word 文档（application/vnd.openxmlformats-officedocument.wordprocessingml.document）' "$WORK/show.txt"
"$SUBGATE" cases show -c "$CONF" --store "$WORK/store" --database "$WORK/db" \
    --json "${r#*	}" >"$WORK/show.json" 2>&1
check film-show-json grep -qF '"content_mime":"video/mp4"' "$WORK/show.json"

# --- without content =, unknown data named .mp4 is judged by its name --------
mail data '扶贫征集-自荐-视频类(微视频)-大山里的新希望' "$FP_DATE" \
    --attach "$WORK/data.bin=大山里的新希望.mp4"
r=$(ingest fupin2020 data)
check data-no-rule-accepted test "${r%%	*}" = accepted
json="$WORK/store/$(dir_of "${r#*	}")/case.json"
check data-no-rule-json grep -q '"content":{"mime":"application/octet-stream"}' "$json"

# --- content = video;image: a Word document named .mp4 is refused -----------
mail cz_docx '金坛区委组织部报送作品' "$CZ_DATE" \
    --attach "$WORK/doc.docx=初心如磐-纪录片-金坛区委组织部.mp4" \
    --attach "$WORK/doc.docx=报名表（一）初心如磐.docx"
refused cz_docx dangjiao-changzhou-2024 '附件“初心如磐-纪录片-金坛区委组织部.mp4”实际是 Word 文档，不是本次征集接受的作品文件格式（接受：视频、图片）。'

# --- and data it cannot name -------------------------------------------------
mail cz_data '金坛区委组织部报送作品' "$CZ_DATE" \
    --attach "$WORK/data.bin=初心如磐-纪录片-金坛区委组织部.mp4" \
    --attach "$WORK/doc.docx=报名表（一）初心如磐.docx"
refused cz_data dangjiao-changzhou-2024 '附件“初心如磐-纪录片-金坛区委组织部.mp4”的内容无法识别'

# --- a real MP4 fits it -------------------------------------------------------
mail cz_film '金坛区委组织部报送作品' "$CZ_DATE" \
    --attach "$WORK/film.mp4=初心如磐-纪录片-金坛区委组织部.mp4" \
    --attach "$WORK/doc.docx=报名表（一）初心如磐.docx"
r=$(ingest dangjiao-changzhou-2024 cz_film)
check cz-film-accepted test "${r%%	*}" = accepted
json="$WORK/store/$(dir_of "${r#*	}")/case.json"
check cz-film-json grep -q '"content":{"mime":"video/mp4"}' "$json"

check cases-made test "$(cases_all)" -eq 3
check nothing-failed test "$(sqlite3 "$WORK/db" "SELECT COUNT(*) FROM
    messages WHERE outcome = 'failed'")" -eq 0
