# The staff commands on cases made by `subgate ingest`: list (aligned for
# Chinese text, filters, JSON), show, the summary table as CSV and XLSX
# read back (the default columns and a campaign's own [export] columns),
# stats, and a staff decision recorded everywhere.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

. "$(dirname "$0")/staff-setup.inc"
staff_setup || exit 1
C=$WORK/subgate.conf

# ---- list ----
"$SUBGATE" cases list -c "$C" >"$WORK/list.txt" 2>&1
check list-exit-0 test $? -eq 0
check list-total grep -q '^共 7 件$' "$WORK/list.txt"
$PY - "$WORK/list.txt" <<'PYEOF'
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8")][:-1]
head = lines[0]
# The column of "状态" in the header must be where every row's status is.
col = width(head[:head.index("状态")])
ok = all(width(l[:l.index("已受理")]) == col for l in lines[1:])
print(("PASS " if ok else "FAIL ") + "list-columns-aligned" + ("" if ok else ": " + repr(lines)))
PYEOF
n=$("$SUBGATE" cases list -c "$C" --campaign dangjiao-changzhou-2024 \
    --unit 金坛区委组织部 | grep -c DANGJIAO)
check list-filter-unit test "$n" -eq 2
n=$("$SUBGATE" cases list -c "$C" --category 文字类 | grep -c FUPIN)
check list-filter-category test "$n" -eq 2
n=$("$SUBGATE" cases list -c "$C" --since 2020-08-05 --campaign fupin2020 |
    grep -c FUPIN)
check list-filter-since test "$n" -eq 2
n=$("$SUBGATE" cases list -c "$C" --unit writer@example.test | grep -c FUPIN)
check list-filter-sender-as-unit test "$n" -eq 2
"$SUBGATE" cases list -c "$C" --since yesterday >/dev/null 2>&1
check list-bad-since-usage test $? -eq 64
"$SUBGATE" cases list -c "$C" --json >"$WORK/list.json"
$PY - "$WORK/list.json" <<'PYEOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
def ok(name, cond, why=""):
    print(("PASS " if cond else "FAIL ") + name + ("" if cond else ": " + str(why)))
ok("list-json-rows", len(rows) == 7, len(rows))
r = {x["receipt"]: x for x in rows}
f1 = r.get("FUPIN2020-00001", {})
ok("list-json-attachments", f1.get("attachment_count") == 2 and f1.get("total_size") == 320000, f1)
ok("list-json-fields", f1.get("fields", {}).get("作品名称") == "星城大爱", f1)
ok("list-json-unit", r.get("DANGJIAOCHANGZHOU2024-00003", {}).get("unit") == "武进区委组织部", r.get("DANGJIAOCHANGZHOU2024-00003"))
PYEOF

# ---- show ----
"$SUBGATE" cases show -c "$C" FUPIN2020-00001 >"$WORK/show.txt" 2>&1
check show-exit-0 test $? -eq 0
check show-attachment grep -q '星城大爱微视频.mp4  293.0 KB  sha256 ' "$WORK/show.txt"
check show-reply grep -q 'receipt -> unit-a@example.test: queued' "$WORK/show.txt"
check show-sender grep -q '星城人社局 <unit-a@example.test>' "$WORK/show.txt"
"$SUBGATE" cases show -c "$C" NOPE-00001 >/dev/null 2>&1
check show-unknown-fails test $? -eq 65

# ---- export: CSV ----
"$SUBGATE" cases export -c "$C" --campaign fupin2020 --format csv \
    -o "$WORK/fupin.csv" 2>/dev/null
check export-csv-exit-0 test $? -eq 0
# Staff's one list of a campaign the notice has per unit (--layout flat;
# the per-unit shape is tests/e2e/export.sh's).
"$SUBGATE" cases export -c "$C" --campaign dangjiao-changzhou-2024 \
    --layout flat --format xlsx -o "$WORK/dangjiao.xlsx" 2>/dev/null
check export-xlsx-exit-0 test $? -eq 0
"$SUBGATE" cases export -c "$C" --campaign dangjiao-changzhou-2024 \
    --layout flat --format csv >"$WORK/dangjiao.csv" 2>/dev/null
$PY - "$WORK/fupin.csv" "$WORK/dangjiao.xlsx" "$WORK/dangjiao.csv" <<'PYEOF'
import csv, io, re, sys, zipfile
import xml.etree.ElementTree as ET
def ok(name, cond, why=""):
    print(("PASS " if cond else "FAIL ") + name + ("" if cond else ": " + str(why)))
raw = open(sys.argv[1], "rb").read()
ok("csv-bom", raw.startswith(b"\xef\xbb\xbf"), raw[:8])
ok("csv-crlf", b"\r\n" in raw, raw[:200])
rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
ok("csv-header", rows[0] == ["序号", "作品名称", "类别", "投稿人", "回执编号", "投稿邮箱", "收到时间", "状态", "附件"], rows[0])
ok("csv-rows", len(rows) == 5, len(rows))
by = {r[4]: r for r in rows[1:]}
ok("csv-comma-quote-title", by["FUPIN2020-00002"][1] == '山村"第一书记",我的扶贫路', by["FUPIN2020-00002"])
ok("csv-script-title", by["FUPIN2020-00003"][1] == "<script>alert(1)</script>", by["FUPIN2020-00003"])
ok("csv-formula-guarded", by["FUPIN2020-00004"][1] == "'=HYPERLINK(\"http://x\")", by["FUPIN2020-00004"])
# The 微视频 is measured (the campaign's duration rule), so its length
# is listed beside its size.
ok("csv-multiline-attachments", by["FUPIN2020-00001"][8] == "作品文件：星城大爱微视频.mp4（293.0 KB，时长 2秒）\n报名表：报名表.docx（19.5 KB）", by["FUPIN2020-00001"][8])
ok("csv-sender-name-as-unit", by["FUPIN2020-00001"][3] == "星城人社局", by["FUPIN2020-00001"])
ok("csv-time", by["FUPIN2020-00001"][6] == "2020-08-03 09:30:00", by["FUPIN2020-00001"][6])
ok("csv-status", by["FUPIN2020-00001"][7] == "已受理", by["FUPIN2020-00001"][7])

# XLSX, read back with nothing but the standard library.
ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
z = zipfile.ZipFile(sys.argv[2])
shared = []
if "xl/sharedStrings.xml" in z.namelist():
    for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
        shared.append("".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])))
sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
def col(ref):
    n = 0
    for ch in re.match(r"[A-Z]+", ref).group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1
xrows = []
for row in sheet.find("m:sheetData", ns).findall("m:row", ns):
    cells = {}
    for c in row.findall("m:c", ns):
        v = c.find("m:v", ns)
        if c.get("t") == "s":
            val = shared[int(v.text)]
        elif c.get("t") == "inlineStr":
            val = "".join(t.text or "" for t in c.iter("{%s}t" % ns["m"]))
        else:
            val = v.text if v is not None else ""
            if re.fullmatch(r"\d+(\.0)?", val or ""):
                val = str(int(float(val)))
        cells[col(c.get("r"))] = val
    xrows.append([cells.get(i, "") for i in range(max(cells) + 1)])
crows = list(csv.reader(io.StringIO(open(sys.argv[3], encoding="utf-8-sig").read(), newline="")))
ok("xlsx-matches-csv", xrows == crows, (xrows, crows))
# The shipped campaign titles the unit column as the notice's 汇总表 does.
ok("xlsx-unit-header", xrows[0][3] == "制作单位", xrows[0])
ok("xlsx-unit", [r[3] for r in xrows[1:]] == ["金坛区委组织部", "金坛区委组织部", "武进区委组织部"], xrows)
pane = sheet.find("m:sheetViews/m:sheetView/m:pane", ns)
ok("xlsx-header-frozen", pane is not None and pane.get("ySplit") == "1" and pane.get("state") == "frozen", pane.attrib if pane is not None else None)
styles = z.read("xl/styles.xml").decode()
ok("xlsx-bold-header", "<b/>" in styles, styles[:300])
ok("xlsx-column-widths", sheet.find("m:cols", ns) is not None, "")
PYEOF

# ---- export: the campaign's own columns ([export]) ----
# Seed 003's 附件4 汇总表 is 序号, 作品名称, 类别, 制作单位: the campaign's
# fields under the form's headings, then what staff add.
sed -e '/^\[export\]/,$d' -e 's/^sender_check *=.*/sender_check = off/' \
    "$TOP/contrib/campaigns/dangjiao-changzhou-2024.campaign" >"$WORK/dj.campaign"
cat >>"$WORK/dj.campaign" <<'EOC'

[export]
columns = 序号;作品名称:作品名;类别:分类;制作单位:报送单位;回执编号;附件数;大小
EOC
staff_config "$WORK/dj.conf" "$WORK/dj.campaign"
"$SUBGATE" cases export -c "$WORK/dj.conf" --format csv \
    -o "$WORK/dj.csv" 2>/dev/null
check export-columns-csv-exit-0 test $? -eq 0
"$SUBGATE" cases export -c "$WORK/dj.conf" --format xlsx \
    -o "$WORK/dj.xlsx" 2>/dev/null
check export-columns-xlsx-exit-0 test $? -eq 0
$PY - "$WORK/dj.csv" "$WORK/dj.xlsx" <<'PYEOF'
import csv, io, re, sys, zipfile
import xml.etree.ElementTree as ET
def ok(name, cond, why=""):
    print(("PASS " if cond else "FAIL ") + name + ("" if cond else ": " + str(why)))
rows = list(csv.reader(io.StringIO(open(sys.argv[1], encoding="utf-8-sig").read(), newline="")))
ok("export-columns-csv-header", rows[0] == ["序号", "作品名称", "类别", "制作单位", "回执编号", "附件数", "大小"], rows[0])
ok("export-columns-csv-rows", len(rows) == 4, rows)
ok("export-columns-csv-units", [r[3] for r in rows[1:]] == ["金坛区委组织部", "金坛区委组织部", "武进区委组织部"], rows)
ok("export-columns-csv-seq", [r[0] for r in rows[1:]] == ["1", "2", "3"], rows)
ok("export-columns-csv-count", all(re.fullmatch(r"\d+", r[5]) for r in rows[1:]), rows)
ok("export-columns-csv-size", all(re.fullmatch(r"\d+(\.\d)? (B|KB|MB)", r[6]) for r in rows[1:]), rows)
ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
z = zipfile.ZipFile(sys.argv[2])
shared = []
if "xl/sharedStrings.xml" in z.namelist():
    for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
        shared.append("".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])))
sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
def col(ref):
    n = 0
    for ch in re.match(r"[A-Z]+", ref).group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1
xrows, numeric = [], set()
for row in sheet.find("m:sheetData", ns).findall("m:row", ns):
    cells = {}
    for c in row.findall("m:c", ns):
        v = c.find("m:v", ns)
        if c.get("t") == "s":
            val = shared[int(v.text)]
        elif c.get("t") == "inlineStr":
            val = "".join(t.text or "" for t in c.iter("{%s}t" % ns["m"]))
        else:
            numeric.add(col(c.get("r")))
            val = v.text if v is not None else ""
            if re.fullmatch(r"\d+(\.0)?", val or ""):
                val = str(int(float(val)))
        cells[col(c.get("r"))] = val
    xrows.append([cells.get(i, "") for i in range(max(cells) + 1)])
ok("export-columns-xlsx-matches-csv", xrows == rows, (xrows, rows))
ok("export-columns-xlsx-numbers", numeric == {0, 5}, numeric)
PYEOF
sed -e 's/^columns = 序号;.*/columns = 序号;作者/' "$WORK/dj.campaign" >"$WORK/dj-bad.campaign"
"$SUBGATE" check-config -c "$WORK/dj-bad.campaign" >"$WORK/dj-check.out" 2>&1
check export-columns-unknown-refused test $? -ne 0
check export-columns-unknown-says-where grep -q "dj-bad.campaign:[0-9]*: \[export\] columns: \"作者\" is neither" "$WORK/dj-check.out"

# ---- stats ----
"$SUBGATE" stats -c "$C" >"$WORK/stats.txt" 2>&1
check stats-exit-0 test $? -eq 0
check stats-category grep -Eq '^  文字类 +2$' "$WORK/stats.txt"
check stats-unit-quota grep -q '金坛区委组织部 .* 2  限额 2/10，新媒体作品 1/2' "$WORK/stats.txt"
check stats-rejection-reason grep -Eq '^ +1  主题或文件名不符合命名要求 +naming$' "$WORK/stats.txt"
check stats-replies grep -Eq '^  receipt queued +4$' "$WORK/stats.txt"

# ---- a staff decision ----
USER=reviewer-a "$SUBGATE" cases reject -c "$C" FUPIN2020-00003 \
    --reason '标题不是作品名称' --set '作品名称=山里的孩子' >"$WORK/reject.out" 2>&1
check reject-exit-0 test $? -eq 0
check reject-status-db test "$(sqlite3 "$WORK/subgate.db" \
    "SELECT status || '|' || title FROM cases WHERE receipt='FUPIN2020-00003'")" = 'rejected|山里的孩子'
check reject-review-row test "$(sqlite3 "$WORK/subgate.db" \
    "SELECT action || '|' || reason FROM case_reviews WHERE receipt='FUPIN2020-00003'")" = 'reject|标题不是作品名称'
casejson=$(find "$WORK/store/fupin2020" -path '*FUPIN2020-00003*' -name case.json)
$PY - "$casejson" <<'PYEOF'
import json, sys
c = json.load(open(sys.argv[1], encoding="utf-8"))
def ok(name, cond, why=""):
    print(("PASS " if cond else "FAIL ") + name + ("" if cond else ": " + json.dumps(c, ensure_ascii=False)))
ok("reject-case-json-status", c["status"] == "rejected")
ok("reject-case-json-field", c["fields"]["作品名称"] == "山里的孩子")
ok("reject-case-json-review", c.get("reviews") and c["reviews"][-1]["reason"] == "标题不是作品名称" and c["reviews"][-1]["reviewer"])
ok("reject-case-json-kept", len(c["attachments"]) == 1 and c["receipt"] == "FUPIN2020-00003")
PYEOF
check reject-index-updated grep -q '已退回' "$WORK/store/fupin2020/index.html"
"$SUBGATE" cases show -c "$C" FUPIN2020-00003 >"$WORK/show3.txt" 2>&1
check reject-shown grep -q 'reject by .*: 标题不是作品名称 -> 已退回' "$WORK/show3.txt"
n=$("$SUBGATE" cases list -c "$C" --status rejected | grep -c FUPIN)
check list-filter-status test "$n" -eq 1
"$SUBGATE" cases reject -c "$C" FUPIN2020-00002 >/dev/null 2>&1
check reject-needs-reason test $? -eq 64
"$SUBGATE" cases accept -c "$C" FUPIN2020-00002 --set '无此字段=x' >/dev/null 2>&1
check accept-unknown-field-refused test $? -eq 64
"$SUBGATE" cases accept -c "$C" FUPIN2020-00003 --reason '已更正' >/dev/null 2>&1
check accept-exit-0 test $? -eq 0
check accept-status-db test "$(sqlite3 "$WORK/subgate.db" \
    "SELECT status FROM cases WHERE receipt='FUPIN2020-00003'")" = accepted
