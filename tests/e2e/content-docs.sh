# What a text work counts and what a picture is, through the whole
# pipeline (offline ingest, the code path of IMAP mail), with the shipped
# campaigns' rules (Changzhou's poster colour rule added to a copy): a 文字类 .docx of 986 字 and
# one of 10,200 字 are filed with the warning in the receipt (“字数一般不少于
# 1千字不多于1万字”), a GBK .txt is counted right, a scanned PDF is filed
# with a note for staff; Shuozhou's report of 2,100 字 (“2000字以内”) is
# refused with the count and the limit; a PNG where jpg is demanded is
# refused by content; an RGB poster is warned of, a CMYK one is not.
# Every file is a real one from tests/tools/fixtures.py.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

if [ ! -x "$SUBGATE" ]; then
	fail content-docs:subgate "$SUBGATE not built"
	exit 0
fi

C=$TOP/contrib/campaigns
# fupin2020's and Shuozhou's 字数 rules are the shipped ones.
FP=$(e2e_campaign_any_sender "$C/fupin2020.campaign")
SZ=$(e2e_campaign_any_sender "$C/xxqg-shuozhou-2019.campaign")
check shipped-characters-fp grep -q '^characters.文字类 = 1000..10000 warn$' "$FP"
check shipped-characters-sz grep -q '^characters.来自脱贫攻坚一线的报告 = max 2000 reject$' "$SZ"
CZ=$(e2e_campaign_any_sender "$C/dangjiao-changzhou-2024.campaign")
sed -i 's/^content\.微视频 = video\/mp4$/&\
colorspace.新媒体作品 = cmyk warn/' "$CZ"
e2e_write_config --offline -u subgate.store -u subgate.database \
    -u smtp.from_name "$FP" "$SZ" "$CZ"
CONF="$WORK/subgate.conf"
FP_DATE='Sat, 01 Aug 2020 10:00:00 +0800'
SZ_DATE='Mon, 10 Jun 2019 09:00:00 +0800'
CZ_DATE='Mon, 10 Jun 2024 09:00:00 +0800'

. "$(dirname "$0")/offline-ingest.inc"
accepted() {
	r=$(ingest "$2" "$1")
	check "$1-accepted" test "${r%%	*}" = accepted
	check "$1-receipt" test "$(kind_of "$1")" = receipt
}
refused() {
	r=$(ingest "$2" "$1")
	check "$1-rejected" test "${r%%	*}" = rejected
	check "$1-no-case" test "$(cases_of "$1")" -eq 0
	check "$1-correction" test "$(kind_of "$1")" = correction
	check "$1-says" reply_has "$1" "$3"
}
# fpmail NAME CATEGORY TITLE FILE NAME-AS-SENT
fpmail() {
	mail "$1" "扶贫征集-自荐-$2-$3" "$FP_DATE" --attach "$4=$5"
}

check config sh -c "'$SUBGATE' check-config -c '$CONF' >/dev/null"

# --- 986 字: filed, the count and the floor in the receipt -----------------
fpmail short 文字类 我的扶贫路 "$(e2e_fixture docx chars=986)" 我的扶贫路.docx
accepted short fupin2020
check short-warns reply_has short \
    '作品《我的扶贫路》约 986 字（按 Word 字数统计方法），文字类一般不少于 1000 字。'
json="$WORK/store/$(dir_of "${r#*	}")/case.json"
check short-json-text grep -qF '"text":{"kind":"text","state":"counted","characters":986' "$json"
check short-json-finding grep -qF '"code":"text-characters","severity":"warn"' "$json"
"$SUBGATE" cases show -c "$CONF" --store "$WORK/store" --database "$WORK/db" \
    "${r#*	}" >"$WORK/show.txt" 2>&1
check short-show-facts grep -qF '技术指标 约 986 字' "$WORK/show.txt"
check short-show-finding grep -qF '[警告] 作品《我的扶贫路》约 986 字（按 Word 字数统计方法）' "$WORK/show.txt"
"$SUBGATE" cases export -c "$CONF" --store "$WORK/store" --database "$WORK/db" \
    --campaign fupin2020 --format csv -o "$WORK/fp.csv" 2>>"$WORK/ingest.log"
check short-export-count grep -qF '我的扶贫路.docx（' "$WORK/fp.csv"
check short-export-count-said grep -qF '，约 986 字）' "$WORK/fp.csv"

# --- 10,200 字: filed, the ceiling in the receipt ------------------------------
fpmail long 文字类 山村十年 "$(e2e_fixture docx chars=10200)" 山村十年.docx
accepted long fupin2020
check long-warns reply_has long \
    '作品《山村十年》约 10200 字（按 Word 字数统计方法），文字类一般不多于 10000 字。'

# --- within the bounds, as a PDF: filed, nothing said ----------------------------
fpmail mid 文字类 驻村日记 "$(e2e_fixture pdf chars=2100)" 驻村日记.pdf
accepted mid fupin2020
check mid-no-finding reply_lacks mid '字数统计'

# --- a GBK .txt, as Notepad saves it: counted right -------------------------
fpmail gbk 文字类 扶贫手记 "$(e2e_fixture txt encoding=gbk chars=999)" 扶贫手记.txt
accepted gbk fupin2020
check gbk-counted reply_has gbk '作品《扶贫手记》约 999 字（按 Word 字数统计方法）'
json="$WORK/store/$(dir_of "${r#*	}")/case.json"
check gbk-json grep -qF '"characters":999' "$json"

# --- a scanned PDF: filed, a note for staff, never a refusal -----------------
fpmail scan 文字类 脱贫路上 "$(e2e_fixture pdf scanned=yes)" 脱贫路上.pdf
accepted scan fupin2020
check scan-note reply_has scan \
    '附件“脱贫路上.pdf”：PDF 为扫描件，未能统计字数。已随案卷保存，由工作人员核对。'
json="$WORK/store/$(dir_of "${r#*	}")/case.json"
check scan-json grep -qF '"state":"scanned"' "$json"

# --- a .doc: not read, a note ------------------------------------------------
fpmail olddoc 文字类 村口的灯 "$(e2e_fixture doc chars=500)" 村口的灯.doc
accepted olddoc fupin2020
check olddoc-note reply_has olddoc '未能统计字数，如需核对请另存为 .docx'

# --- a PNG where the notice asks jpg: refused by content ---------------------
fpmail png 图片类 山村新貌 "$(e2e_fixture png)" 山村新貌.png
refused png fupin2020 '山村新貌.png'
check png-says-jpg reply_has png '不是本次征集接受的作品文件格式（接受：JPG 图片）'

# --- Shuozhou's report of 2,100 字 (“文字要求在2000字以内”): refused ---------------
mail report '来自脱贫攻坚一线的报告-朔城区委宣传部-张三-我的扶贫路' "$SZ_DATE" \
    --attach "$(e2e_fixture docx chars=2100)=我的扶贫路.docx"
refused report xxqg-shuozhou-2019 \
    '作品《我的扶贫路》约 2100 字（按 Word 字数统计方法），来自脱贫攻坚一线的报告不超过 2000 字。请修改后重新发送。'
mail report2 '来自脱贫攻坚一线的报告-朔城区委宣传部-张三-村里的变化' "$SZ_DATE" \
    --attach "$(e2e_fixture docx chars=2000)=村里的变化.docx"
accepted report2 xxqg-shuozhou-2019
check report2-no-finding reply_lacks report2 '字数统计'

# --- Changzhou's posters: an RGB JPEG warned of, a CMYK one not --------------
form="$(e2e_fixture docx variant=docs-form)"
mail rgb '金坛区委组织部报送作品' "$CZ_DATE" \
    --attach "$(e2e_fixture jpg size=1280x720)=山村新貌-新媒体作品-金坛区委组织部.jpg" \
    --attach "$form=报名表（一）山村新貌.docx"
accepted rgb dangjiao-changzhou-2024
check rgb-warns reply_has rgb \
    '图片“山村新貌-新媒体作品-金坛区委组织部.jpg”为 RGB 色彩模式，新媒体作品要求 CMYK。'
mail cmyk '金坛区委组织部报送作品' "$CZ_DATE" \
    --attach "$(e2e_fixture jpg cmyk=yes size=4961x3508)=星城大爱-新媒体作品-金坛区委组织部.jpg" \
    --attach "$form=报名表（一）星城大爱.docx"
accepted cmyk dangjiao-changzhou-2024
check cmyk-no-finding reply_lacks cmyk '色彩模式'
json="$WORK/store/$(dir_of "${r#*	}")/case.json"
check cmyk-json grep -qF '"image":{"kind":"image","format":"jpeg","width":4961,"height":3508,"colorspace":"cmyk","dpi":300' "$json"

check nothing-failed test "$(sqlite3 "$WORK/db" "SELECT COUNT(*) FROM
    messages WHERE outcome = 'failed'")" -eq 0
