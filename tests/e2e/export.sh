# The summary table in the shape the notices print, through the whole
# pipeline (offline ingest, the code path of IMAP mail) with the shipped
# campaigns: Changzhou's 附件4 汇总表 per submitting unit, under the unit's
# name, its 联系人 and 联系电话 from the roster, its works numbered from 1,
# as XLSX (a sheet per unit, read back from the sheet XML) and as CSV
# (blocks a blank line apart); `--layout flat` still gives the one list;
# and Shuozhou's count table of works by series and unit, with totals.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

# Changzhou's roster as shipped, with contacts for two units: the notice
# gives none, the units fill them in; the table must show them when known.
T=$(printf '\t')
sed -e "s/$T*\$//" \
    -e "s/^\\(金坛区委组织部$T[^$T]*\\)\$/\\1${T}王建国${T}0519-86660001/" \
    -e "s/^\\(武进区委组织部$T[^$T]*\\)\$/\\1${T}李红${T}0519-86310000/" \
    "$TOP/contrib/campaigns/units/dangjiao-changzhou-2024.tsv" \
    >"$WORK/units/export-e2e.tsv"
# The units' mail comes from their own mailboxes (sender_check = off): the
# table's shape is tested here, who may send in tests/e2e/senders.sh.
sed -e 's/^sender_check *=.*/sender_check = off/' \
    -e 's|^roster *=.*|roster = units/export-e2e.tsv|' \
    "$TOP/contrib/campaigns/dangjiao-changzhou-2024.campaign" \
    >"$WORK/dangjiao-changzhou-2024.campaign"
e2e_write_config --offline -u subgate.store -u subgate.database \
    -u smtp.from_name "$WORK/dangjiao-changzhou-2024.campaign" \
    "$TOP/contrib/campaigns/xxqg-shuozhou-2019.campaign"
CONF=$WORK/subgate.conf
CZ_DATE='Mon, 10 Jun 2024 09:00:00 +0800'
SZ_DATE='Tue, 16 Jul 2019 09:00:00 +0800'

. "$(dirname "$0")/offline-ingest.inc"

if [ ! -x "$SUBGATE" ]; then
	fail export:subgate "$SUBGATE not built"
	exit 0
fi
check export:config sh -c "'$SUBGATE' check-config -c '$CONF' >/dev/null"
check export:shipped-layout grep -q '^layout = per-unit$' \
    "$TOP/contrib/campaigns/dangjiao-changzhou-2024.campaign"
check export:roster-contact grep -q "^金坛区委组织部$T.*${T}王建国${T}0519-86660001\$" \
    "$WORK/units/export-e2e.tsv"

# czwork NAME TITLE UNIT: a 纪录片 and its 报名表, from NAME@example.test
czwork() {
	mail "$1" "$2" "$CZ_DATE" \
	    --attach "$(e2e_attach "$1" "$2-纪录片-$3.mp4")" \
	    --attach "$(e2e_attach form "报名表（一）$2.docx")" \
	    --attach "$(e2e_attach form "$2解说词.docx")"
}
# Two units, one of them writing its name as 中共… (an alias), and a
# unit's works in the order they arrive.
czwork jt1 初心如磐 金坛区委组织部
czwork wj1 产业链上的党旗红 武进区委组织部
czwork jt2 运河之光 中共金坛区委组织部
for m in jt1 wj1 jt2; do
	check "export:$m-accepted" test "$(ingest dangjiao-changzhou-2024 $m |
	    cut -f1)" = accepted
done

staff_export() {
	"$SUBGATE" cases export -c "$CONF" --store "$WORK/store" \
	    --database "$WORK/db" "$@" 2>>"$WORK/export.log"
}
staff_export --campaign dangjiao-changzhou-2024 --format xlsx \
    -o "$WORK/cz.xlsx"
check export:xlsx-exit-0 test $? -eq 0
staff_export --campaign dangjiao-changzhou-2024 --format csv -o "$WORK/cz.csv"
check export:csv-exit-0 test $? -eq 0
staff_export --campaign dangjiao-changzhou-2024 --format csv --layout flat \
    -o "$WORK/cz-flat.csv"
check export:flat-exit-0 test $? -eq 0
staff_export --campaign dangjiao-changzhou-2024 --format csv --layout sheets \
    -o "$WORK/cz-bad.csv"
check export:bad-layout-usage test $? -eq 64

# Shuozhou: works of two counties in two series.
szwork() {
	mail "$1" "$2" "$SZ_DATE" \
	    --attach "$(e2e_attach "$1" "${2##*-}.mp4")" \
	    --attach "$(e2e_attach form 作者信息.docx)"
}
szwork sz1 '优质慕课-朔城区委宣传部-张三-党史十讲'
szwork sz2 '百灵短视频音频-朔城区委宣传部-李四-桑干河畔'
szwork sz3 '优质慕课-平鲁区委宣传部-王五-长城脚下'
for m in sz1 sz2 sz3; do
	check "export:$m-accepted" test "$(ingest xxqg-shuozhou-2019 $m |
	    cut -f1)" = accepted
done
staff_export --campaign xxqg-shuozhou-2019 --format csv -o "$WORK/sz.csv"
check export:sz-csv-exit-0 test $? -eq 0
staff_export --campaign xxqg-shuozhou-2019 --format xlsx -o "$WORK/sz.xlsx"
check export:sz-xlsx-exit-0 test $? -eq 0

$PY - "$WORK" <<'PYEOF'
import csv, io, os, re, sys, zipfile
import xml.etree.ElementTree as ET
work = sys.argv[1]
def ok(name, cond, why=""):
    print(("PASS " if cond else "FAIL ") + "export:" + name + ("" if cond else ": " + str(why)[:800]))

M = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ns = {"m": M}
def col(ref):
    n = 0
    for ch in re.match(r"[A-Z]+", ref).group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1
def workbook(path):
    """[(sheet name, rows, numeric cells)] in the workbook's order."""
    z = zipfile.ZipFile(path)
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % M)))
    rels = {r.get("Id"): r.get("Target") for r in
            ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
    out = []
    for s in ET.fromstring(z.read("xl/workbook.xml")).find("m:sheets", ns):
        target = rels[s.get("{%s}id" % R)]
        sheet = ET.fromstring(z.read("xl/" + target.lstrip("/").replace("xl/", "", 1)))
        rows, numeric = [], set()
        for row in sheet.find("m:sheetData", ns).findall("m:row", ns):
            cells = {}
            for c in row.findall("m:c", ns):
                v = c.find("m:v", ns)
                if v is None and c.get("t") != "inlineStr":
                    continue
                if c.get("t") == "s":
                    val = shared[int(v.text)]
                elif c.get("t") == "inlineStr":
                    val = "".join(t.text or "" for t in c.iter("{%s}t" % M))
                else:
                    numeric.add((int(row.get("r")) - 1, col(c.get("r"))))
                    val = v.text
                    if re.fullmatch(r"\d+(\.0)?", val or ""):
                        val = str(int(float(val)))
                cells[col(c.get("r"))] = val
            while len(rows) < int(row.get("r")) - 1:
                rows.append([])
            rows.append([cells.get(i, "") for i in range(max(cells) + 1)] if cells else [])
        out.append((s.get("name"), rows, numeric))
    return out
def csv_blocks(path):
    raw = open(path, "rb").read()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    blocks, cur = [], []
    for r in rows:
        if r == []:
            blocks.append(cur)
            cur = []
        else:
            cur.append(r)
    blocks.append(cur)
    return raw, blocks
def trim(r):
    while r and r[-1] == "":
        r = r[:-1]
    return r

TITLE = "全市党员教育作品观摩交流活动汇总表"
sheets = workbook(os.path.join(work, "cz.xlsx"))
names = [s[0] for s in sheets]
ok("xlsx-sheet-per-unit", names == ["金坛区委组织部", "武进区委组织部"], names)
by = {s[0]: s for s in sheets}
_, jt, jt_num = by.get("金坛区委组织部", ("", [[]] * 8, set()))
_, wj, wj_num = by.get("武进区委组织部", ("", [[]] * 8, set()))
ok("xlsx-title", trim(jt[0]) == [TITLE], jt[:1])
ok("xlsx-unit-line", trim(jt[1]) == ["报送单位：", "金坛区委组织部"], jt[1:2])
ok("xlsx-contact-from-roster", trim(jt[2]) == ["联系人：", "王建国"], jt[2:3])
ok("xlsx-phone-from-roster", trim(jt[3]) == ["联系电话：", "0519-86660001"], jt[3:4])
ok("xlsx-header", jt[4][:4] == ["序号", "作品名称", "类别", "制作单位"], jt[4:5])
ok("xlsx-numbered-per-unit", [r[0] for r in jt[5:]] == ["1", "2"] and
   [r[0] for r in wj[5:]] == ["1"], (jt[5:], wj[5:]))
ok("xlsx-seq-numbers", (5, 0) in jt_num and (6, 0) in jt_num and (5, 0) in wj_num,
   sorted(jt_num))
ok("xlsx-works-of-unit", [r[1] for r in jt[5:]] == ["初心如磐", "运河之光"] and
   [r[1] for r in wj[5:]] == ["产业链上的党旗红"], (jt, wj))
ok("xlsx-alias-under-roster-name", all(r[4] == "金坛区委组织部" for r in jt[5:]), jt[5:])
ok("xlsx-other-unit-contact", trim(wj[2]) == ["联系人：", "李红"] and
   trim(wj[3]) == ["联系电话：", "0519-86310000"], wj[:4])
ok("xlsx-category", all(r[2] == "纪录片" for r in jt[5:] + wj[5:]), jt + wj)

raw, blocks = csv_blocks(os.path.join(work, "cz.csv"))
ok("csv-bom", raw.startswith(b"\xef\xbb\xbf"), raw[:8])
ok("csv-blocks", len(blocks) == 2, blocks)
if len(blocks) == 2:
    ok("csv-block-head", [trim(r) for r in blocks[0][:4]] == [[TITLE],
       ["报送单位：", "金坛区委组织部"], ["联系人：", "王建国"],
       ["联系电话：", "0519-86660001"]], blocks[0][:4])
    ok("csv-numbered-per-unit", [r[0] for r in blocks[0][5:]] == ["1", "2"] and
       [r[0] for r in blocks[1][5:]] == ["1"], blocks)
    ok("csv-second-unit", blocks[1][1] == ["报送单位：", "武进区委组织部"] and
       blocks[1][2] == ["联系人：", "李红"], blocks[1][:4])
    ok("csv-matches-xlsx", [[trim(r) for r in b] for b in blocks] ==
       [[trim(r) for r in jt], [trim(r) for r in wj]], (blocks, jt, wj))

_, flat = csv_blocks(os.path.join(work, "cz-flat.csv"))
ok("flat-one-list", len(flat) == 1 and
   flat[0][0][:4] == ["序号", "作品名称", "类别", "制作单位"] and
   [r[0] for r in flat[0][1:]] == ["1", "2", "3"], flat)

# Shuozhou: the list of works, then the counts by unit and series.
raw, blocks = csv_blocks(os.path.join(work, "sz.csv"))
ok("sz-csv-blocks", len(blocks) == 2, blocks)
if len(blocks) == 2:
    works, counts = blocks
    ok("sz-list", works[0][:5] == ["序号", "系列", "作品名称", "作者", "报送单位"] and
       len(works) == 4, works)
    head = counts[1]
    ok("sz-counts-title", counts[0] == ["按系列统计（已受理，件）"], counts[0])
    ok("sz-counts-header", head[0] == "报送单位" and head[1] == "优质慕课" and
       head[-1] == "合计" and len(head) == 12, head)
    rows = {r[0]: r for r in counts[2:]}
    i_mooc, i_bl = head.index("优质慕课"), head.index("百灵短视频音频")
    sc, pl = rows.get("朔城区委宣传部", []), rows.get("平鲁区委宣传部", [])
    ok("sz-counts-unit", sc[i_mooc:i_mooc + 1] == ["1"] and sc[i_bl:i_bl + 1] == ["1"] and
       sc[-1:] == ["2"], sc)
    ok("sz-counts-other-unit", pl[i_mooc:i_mooc + 1] == ["1"] and pl[-1:] == ["1"], pl)
    ok("sz-counts-roster-zero", rows.get("右玉县委宣传部", [""])[-1] == "0", rows)
    ok("sz-counts-total", counts[-1][0] == "合计" and counts[-1][i_mooc] == "2" and
       counts[-1][-1] == "3", counts[-1])
sheets = workbook(os.path.join(work, "sz.xlsx"))
ok("sz-xlsx-sheets", [s[0] for s in sheets] == ["汇总表", "按系列统计"],
   [s[0] for s in sheets])
if len(sheets) == 2:
    name, rows, num = sheets[1]
    ok("sz-xlsx-counts-numbers", (2, 1) in num and (len(rows) - 1, 11) in num, sorted(num))
    ok("sz-xlsx-matches-csv", [trim(r) for r in rows] == [trim(r) for r in blocks[1]],
       (rows, blocks[1]))
PYEOF
