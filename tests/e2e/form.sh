# The registration form (报名表) read on the local mail stack: Changzhou's
# works go through OpenSMTPD into the campaign mailbox with notice 003's
# 附件2 报名表（一） as Word (tests/tools/fixtures.py writes the table as
# Word lays it out), `subgate once` fetches them over IMAP (the form read
# in the inspecting child), and the answers are read from each clerk's
# INBOX.  A filled form gives the case its 制作单位, which case.json, the
# database, the summary table (附件4's 制作单位 column) and `cases show`
# carry; a form sent blank is pointed out in the receipt, and the summary
# table falls back to the submitting unit; a form whose 名称 differs from
# the file name's is pointed out too, never refused.  fupin2020's form
# gives the author, the recommending unit and the ticked category.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

if [ ! -x "$SUBGATE" ]; then
	fail form:subgate "$SUBGATE not built"
	exit 0
fi
if ! e2e_start_stack jintan@example.test liyang@example.test \
    wujin@example.test author@example.test; then
	fail form-mailstack-start "the local mail stack did not start"
	exit 1
fi
C=$TOP/contrib/campaigns
CZ=$(e2e_campaign_any_sender -o "$C/dangjiao-changzhou-2024.campaign")
FP=$(e2e_campaign_any_sender -o "$C/fupin2020.campaign")
check shipped-form grep -q '^form.制作单位 = 制作单位$' "$CZ"
check shipped-export grep -q '制作单位:form.制作单位|报送单位' "$CZ"
# One campaign mailbox: Changzhou's mails first, filed and moved out of
# the INBOX, then fupin2020's, each campaign under its own configuration
# (one store, one database).
e2e_write_config -s imap.post_action=move -s imap.post_folder=已处理 "$CZ"
CONF=$WORK/subgate.conf
e2e_write_config -o "$WORK/fupin.conf" "$FP"
FPCONF=$WORK/fupin.conf
DB=$WORK/subgate.db
check config sh -c "'$SUBGATE' check-config -c '$CONF' >/dev/null"
check config-fupin sh -c "'$SUBGATE' check-config -c '$FPCONF' >/dev/null"

# czform VARIANT NAME KEY=VALUE...: the 附件2 form, filled with the keys.
czform() {
	_cz_variant=$1 _cz_name=$2
	shift 2
	_cz_path=$(e2e_fixture docx form=changzhou "variant=$_cz_variant" \
	    "$@") || return 1
	printf '%s=%s' "$_cz_path" "$_cz_name"
}

# Filled: 中共金坛区委组织部 is the roster's 金坛区委组织部.
send_mail jintan@example.test '金坛区委组织部报送党员教育作品' \
    --attach "$(e2e_attach jintan 初心如磐-纪录片-金坛区委组织部.mp4)" \
    --attach "$(czform jintan 报名表（一）初心如磐.docx \
	unit=中共金坛区委组织部 title=初心如磐 maker=金坛区融媒体中心 \
	category=纪录片 episodes=5 minutes=20)"
# Blank: the template as the notice ships it.
send_mail liyang@example.test '溧阳市委组织部报送' \
    --attach "$(e2e_attach liyang 产业链上的党旗红-纪录片-溧阳市委组织部.mp4)" \
    --attach "$(czform liyang 报名表（一）产业链上的党旗红.docx)"
# Contradicting: the form's 名称 is not the file name's.
send_mail wujin@example.test '武进区委组织部报送' \
    --attach "$(e2e_attach wujin 村里来了新书记-纪录片-武进区委组织部.mp4)" \
    --attach "$(czform wujin 报名表（一）村里来了新书记.docx \
	unit=武进区委组织部 title=村里来了新书记（微党课） maker=武进区融媒体中心 \
	category=纪录片 episodes=5 minutes=12)"
check delivered wait_mail campaign@example.test 3
"$SUBGATE" once -c "$CONF" >"$WORK/once.log" 2>&1
check once-exit-0 test $? -eq 0
# fupin2020: the author's form, 视频类（微视频/微电影） ticked.
FPFORM=$(e2e_fixture docx form=fupin name=张三 workplace=湘西州就业服务中心 \
    phone=13800000000 title=星城大爱 'ticked=视频类（微视频/微电影）' \
    recommender=湘西州人社局)
send_mail author@example.test '扶贫征集-推荐-视频类(微视频)-星城大爱' \
    --attach "$(e2e_attach author 星城大爱.mp4 bitrate=16M)" \
    --attach "$FPFORM=星城大爱报名表.docx"
check delivered-fupin wait_mail campaign@example.test 1
"$SUBGATE" once -c "$FPCONF" >>"$WORK/once.log" 2>&1
check once-fupin-exit-0 test $? -eq 0
for u in jintan liyang wujin author; do
	check "$u-replied" wait_mail $u@example.test 1
	read_mailbox $u@example.test >"$WORK/$u.json"
done
check four-cases test "$(sqlite3 "$DB" "SELECT COUNT(*) FROM cases")" -eq 4

receipt_of() {
	sqlite3 "$DB" "SELECT receipt FROM cases WHERE title = '$1'"
}
dir_of() {
	sqlite3 "$DB" "SELECT dir FROM cases WHERE title = '$1'"
}
JT=$(receipt_of 初心如磐)
LY=$(receipt_of 产业链上的党旗红)
WJ=$(receipt_of 村里来了新书记)
FPR=$(receipt_of 星城大爱)
check db-form-json test "$(sqlite3 "$DB" "SELECT json_extract(form_json, \
'\$.制作单位') FROM cases WHERE receipt = '$JT'")" = 金坛区融媒体中心
check db-blank-form-json test "$(sqlite3 "$DB" "SELECT json_extract(form_json, \
'\$.制作单位') FROM cases WHERE receipt = '$LY'")" = ''

# case.json, the summary table and `cases show`, by the staff's tools.
"$SUBGATE" cases show -c "$CONF" "$JT" >"$WORK/show-jt.txt" 2>&1
"$SUBGATE" cases show -c "$CONF" "$LY" >"$WORK/show-ly.txt" 2>&1
"$SUBGATE" cases show -c "$CONF" "$WJ" >"$WORK/show-wj.txt" 2>&1
"$SUBGATE" cases show -c "$FPCONF" "$FPR" >"$WORK/show-fp.txt" 2>&1
"$SUBGATE" cases export -c "$CONF" --campaign dangjiao-changzhou-2024 \
    --layout flat --format csv -o "$WORK/cz.csv" 2>>"$WORK/once.log"
check export-exit-0 test $? -eq 0

$PY - "$WORK" "$(dir_of 初心如磐)" "$(dir_of 产业链上的党旗红)" \
    "$(dir_of 村里来了新书记)" "$(dir_of 星城大爱)" <<'PYEOF'
import csv, json, os, sys
work, jt_dir, ly_dir, wj_dir, fp_dir = sys.argv[1:6]
def ok(name, cond, why=""):
    print(("PASS " if cond else "FAIL ") + name + ("" if cond else ": " + str(why)[:600]))
def case(d):
    return json.load(open(os.path.join(work, "store", d, "case.json"), encoding="utf-8"))
def mail(u):
    return [json.loads(l) for l in open(os.path.join(work, u + ".json"), encoding="utf-8") if l.strip()][-1]
def text(name):
    return open(os.path.join(work, name), encoding="utf-8").read()
def rows(name):
    return list(csv.reader(open(os.path.join(work, name), encoding="utf-8-sig")))

jt, ly, wj, fp = case(jt_dir), case(ly_dir), case(wj_dir), case(fp_dir)
form = jt.get("form") or {}
ok("json:form-file", form.get("file") == "报名表（一）初心如磐.docx", form)
ok("json:制作单位", form.get("fields", {}).get("制作单位") == "金坛区融媒体中心", form)
ok("json:集数-每集时长", form.get("fields", {}).get("集数") == "5" and
   form.get("fields", {}).get("每集时长") == "20", form)
ok("json:报送单位-line", form.get("fields", {}).get("报送单位") == "中共金坛区委组织部", form)
ok("json:label", form.get("labels", {}).get("分类") == "类 别", form)
ok("json:no-problems", form.get("problems") == [], form)
ok("json:fields-untouched", jt["fields"].get("报送单位") == "金坛区委组织部", jt["fields"])
ok("json:blank-problem", (ly.get("form") or {}).get("problems") == ["form-blank"], ly.get("form"))
ok("json:contradicts-problem", "form-contradicts:作品名" in (wj.get("form") or {}).get("problems", []),
   wj.get("form"))
ok("json:finding-on-the-form", any(f.get("code") == "form-contradicts:作品名" and
   f.get("severity") == "warn" for f in wj.get("findings", [])), wj.get("findings"))

b = mail("jintan")["body"]
ok("receipt:filled", "已收到并登记" in b and "报名表中" not in b and "未填写" not in b, b)
b = mail("liyang")["body"]
ok("receipt:blank-registered", "已收到并登记" in b, b)
ok("receipt:blank-said", "报名表“报名表（一）产业链上的党旗红.docx”未填写（名称、制作单位、"
   "类别、总集数、每集时长、主创人员等为空）。作品已登记；按本次征集的规定，"
   "报送后不再补报，如确需补充，请联系征集方。" in b, b)
# Changes are frozen in Changzhou: no resending asked for.
ok("receipt:blank-no-resend", "请填写后与作品一并发送" not in b, b)
b = mail("wujin")["body"]
ok("receipt:contradicts-registered", "已收到并登记" in b, b)
ok("receipt:contradicts-said", "报名表中的名称为“村里来了新书记（微党课）”，与文件名中的"
   "“村里来了新书记”不一致，请核对。" in b, b)
b = mail("author")["body"]
ok("receipt:fupin-agrees", "已收到并登记" in b and "报名表中" not in b, b)

t = rows("cz.csv")
head = t[0]
ok("export:header", head[:5] == ["序号", "作品名称", "类别", "制作单位", "报送单位"], head)
by = {r[1]: r for r in t[1:]}
ok("export:制作单位-from-form", by.get("初心如磐", [""] * 5)[3] == "金坛区融媒体中心", by.get("初心如磐"))
ok("export:报送单位-beside", by.get("初心如磐", [""] * 5)[4] == "金坛区委组织部", by.get("初心如磐"))
ok("export:blank-falls-back", by.get("产业链上的党旗红", [""] * 5)[3] == "溧阳市委组织部",
   by.get("产业链上的党旗红"))
ok("export:contradicting-form-read", by.get("村里来了新书记", [""] * 5)[3] == "武进区融媒体中心",
   by.get("村里来了新书记"))

s = text("show-jt.txt")
ok("show:mark", "报名表: ✓" in s, s)
ok("show:制作单位", "制作单位" in s and "金坛区融媒体中心" in s, s)
s = text("show-ly.txt")
ok("show:blank", "报名表: 未填" in s and "（空）" in s, s)
s = text("show-wj.txt")
ok("show:contradicts", "报名表: 不一致" in s and "[警告] 报名表中的名称为" in s, s)
s = text("show-fp.txt")
ok("show:fupin-ticked", "报名表: ✓" in s and "视频类（微视频/微电影）" in s, s)
ff = (fp.get("form") or {}).get("fields", {})
ok("json:fupin-author", ff.get("作者") == "张三" and ff.get("联系电话") == "13800000000" and
   ff.get("工作单位") == "湘西州就业服务中心" and ff.get("推荐单位") == "湘西州人社局", ff)

idx = text("store/dangjiao-changzhou-2024/index.html")
ok("index:mark-and-maker", "报名表 ✓" in idx and "制作单位：金坛区融媒体中心" in idx, "")
ok("index:blank", "报名表 未填" in idx, "")
ok("index:contradicts", "报名表 不一致" in idx, "")
PYEOF
