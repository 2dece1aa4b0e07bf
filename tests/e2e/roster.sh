# Unit rosters through the whole pipeline (offline ingest of saved
# messages): a school's short form counts against the school's quota, a
# unit off the roster that an open pattern admits is accepted as new, and
# the staff views list every roster unit, with 0, minimums not met, new
# units marked and the roster's contact in the summary table.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

# Changzhou with a roster of its own that gives one unit a contact: the
# notice gives none, the summary table must still show them when known.
T=$(printf '\t')
sed -e "s/$T\$//" "$TOP/contrib/campaigns/units/dangjiao-changzhou-2024.tsv" |
    sed -e "s/^金坛区委组织部$T\\([^$T]*\\).*/金坛区委组织部$T\\1${T}王建国${T}0519-86660001/" \
    >"$WORK/units/roster-e2e.tsv"
# The units' mail comes from their own mailboxes (sender_check = off):
# rosters here, who may send in tests/e2e/senders.sh.
sed -e 's/^id *=.*/id = roster-e2e/' \
    -e 's/^sender_check *=.*/sender_check = off/' \
    -e 's|^roster *=.*|roster = units/roster-e2e.tsv|' \
    -e 's/^columns *=.*/columns = 序号;作品名称:作品名;类别:分类;报送单位;新单位;联系人;联系电话;回执编号/' \
    "$TOP/contrib/campaigns/dangjiao-changzhou-2024.campaign" >"$WORK/roster-e2e.campaign"
e2e_write_config --offline -u subgate.store -u subgate.database \
    -u smtp.from_name "$WORK/roster-e2e.campaign" \
    "$(e2e_campaign_any_sender "$TOP/contrib/campaigns/xuexizhixing-2022.campaign")" \
    "$TOP/contrib/campaigns/xxqg-shuozhou-2019.campaign"
CZ="$WORK/subgate.conf --campaign roster-e2e"
X22="$WORK/subgate.conf --campaign xuexizhixing-2022"
SZ="$WORK/subgate.conf --campaign xxqg-shuozhou-2019"

if [ ! -x "$SUBGATE" ]; then
	fail roster:subgate "$SUBGATE not built"
	exit 0
fi
"$SUBGATE" check-config -c "$WORK/subgate.conf" >"$WORK/check.out" 2>&1
check roster:check-config test $? -eq 0

# mail FILE FROM SUBJECT DATE [send-mail options]
mail() {
	file=$1 from=$2 subject=$3 date=$4; shift 4
	$PY "$SEND" --save "$WORK/$file" --from "$from" --to campaign@example.test \
	    --subject "$subject" --date "$date" "$@"
}
ingest() {
	c=$1; shift
	# shellcheck disable=SC2086
	"$SUBGATE" ingest -c $c --store "$WORK/store" --database "$WORK/db" \
	    "$@" 2>>"$WORK/ingest.log"
}
outcome_of() { ingest "$@" | cut -f2; }
staff() {
	sub=$1 c=$2; shift 2
	# shellcheck disable=SC2086
	"$SUBGATE" $sub -c $c --store "$WORK/store" --database "$WORK/db" "$@"
}

# --- 2022: 每校每项限保1个, and 山大 is 山西大学 ------------------------------
# Each nomination is the form and the nominee's photo, as the notice asks.
D22='Tue, 03 Jan 2023 10:00:00 +0800'
PHOTO="$(e2e_attach work 照片.jpg)"
mail sd1.eml a@sxu.example.test '报名' "$D22" \
    --attach "$(e2e_attach work 【学员标兵】张三（山大）.docx)" --attach "$PHOTO"
mail sd2.eml b@sxu.example.test '报名' "$D22" \
    --attach "$(e2e_attach work 【学员标兵】李四（山西大学）.docx)" --attach "$PHOTO"
mail ty.eml c@tyut.example.test '报名' "$D22" \
    --attach "$(e2e_attach work 【学员标兵】王五（太原理工）.docx)" --attach "$PHOTO"
mail new22.eml d@school.example.test '报名' "$D22" \
    --attach "$(e2e_attach work 【学员标兵】赵六（太原市第五中学）.docx)" --attach "$PHOTO"
check x22:short-form-accepted test "$(outcome_of "$X22" "$WORK/sd1.eml")" = accepted
check x22:short-form-stored-as-school test "$(sqlite3 "$WORK/db" \
    "SELECT unit FROM cases WHERE sender='a@sxu.example.test'")" = 山西大学
check x22:same-school-shares-quota test "$(outcome_of "$X22" "$WORK/sd2.eml")" = over-quota
check x22:other-school-own-quota test "$(outcome_of "$X22" "$WORK/ty.eml")" = accepted
check x22:school-off-roster-accepted test "$(outcome_of "$X22" "$WORK/new22.eml")" = accepted

# --- Changzhou: 市委各直属单位党委 are admitted as new, without a cap --------
# Each a complete 微视频: both its versions (two files: one file sent
# twice is one version) and the 报名表.
D='Mon, 10 Jun 2024 09:00:00 +0800'
# cz_video FILE FROM TITLE UNIT
cz_video() {
	mail "$1" "$2" '作品' "$D" \
	    --attach "$(e2e_attach work $3（有字幕）-微视频-$4.mp4)" \
	    --attach "$(e2e_attach plain $3（无字幕）-微视频-$4.mp4)" \
	    --attach "$(e2e_attach work 报名表.docx)"
}
cz_video dx.eml party@school.example.test 党校故事 市委党校党委
cz_video jt.eml jt@jintan.example.test 初心如磐 中共金坛区委组织部
cz_video xc.eml xc@jintan.example.test 初心如磐 金坛区委宣传部
check cz:open-unit-accepted test "$(outcome_of "$CZ" "$WORK/dx.eml")" = accepted
check cz:alias-accepted test "$(outcome_of "$CZ" "$WORK/jt.eml")" = accepted
check cz:other-unit-refused test "$(outcome_of "$CZ" "$WORK/xc.eml")" = rejected
reason=$(sqlite3 "$WORK/db" "SELECT reason FROM messages WHERE sender='xc@jintan.example.test'")
check cz:refusal-not-steered sh -c "! printf '%s' \"\$1\" | grep -q '您是否指'" _ "$reason"
check cz:refusal-says-open sh -c "printf '%s' \"\$1\" | grep -q '以“党委”结尾'" _ "$reason"

# --- the unit written in another field's place --------------------------------
# Every field takes text, so 张三 in the unit's place would be filed as a
# new unit, the roster unit beside it its author: refused, with the name
# to use, and filed under the roster unit once sent so.
DSZ='Tue, 16 Jul 2019 09:00:00 +0800'
mail szsw.eml zs@example.test '优质慕课-张三-朔城区委宣传部-党史十讲' "$DSZ" \
    --attach "$(e2e_attach work 党史十讲.mp4)" --attach "$(e2e_attach work 作者信息.docx)"
mail szok.eml zs@example.test '优质慕课-朔城区委宣传部-张三-党史十讲' "$DSZ" \
    --attach "$(e2e_attach work 党史十讲.mp4)" --attach "$(e2e_attach work 作者信息.docx)"
check sz:swapped-refused test "$(outcome_of "$SZ" "$WORK/szsw.eml")" = rejected
reason=$(sqlite3 "$WORK/db" "SELECT reason FROM messages WHERE
    sender='zs@example.test'")
check sz:swapped-says-fix sh -c "printf '%s' \"\$1\" | grep -q '“朔城区委宣传部”是名单上的报送单位，却写在了“作者”的位置.*请把邮件主题改为“优质慕课-朔城区委宣传部-张三-党史十讲”'" _ "$reason"
check sz:swapped-no-new-unit test "$(sqlite3 "$WORK/db" \
    "SELECT COUNT(*) FROM cases WHERE unit='张三'")" = 0
check sz:fix-accepted test "$(outcome_of "$SZ" "$WORK/szok.eml")" = accepted
check sz:fix-filed-under-unit test "$(sqlite3 "$WORK/db" \
    "SELECT unit FROM cases WHERE sender='zs@example.test'")" = 朔城区委宣传部
# Changzhou: a roster unit where the title goes, a 党委 (admitted by open)
# where the unit goes
cz_video czsw.eml sw@jintan.example.test 金坛区委组织部 卫健委党委
check cz:swapped-refused test "$(outcome_of "$CZ" "$WORK/czsw.eml")" = rejected
reason=$(sqlite3 "$WORK/db" "SELECT reason FROM messages WHERE sender='sw@jintan.example.test'")
check cz:swapped-says-fix sh -c "printf '%s' \"\$1\" | grep -qF '请把文件名改为“卫健委党委（有字幕）-微视频-金坛区委组织部.mp4”'" _ "$reason"

# --- staff views --------------------------------------------------------------
staff stats "$CZ" >"$WORK/stats.out" 2>&1
check stats:exit-0 test $? -eq 0
check stats:roster-unit-with-0 grep -Eq '溧阳市委组织部 +0' "$WORK/stats.out"
check stats:minimum-not-met grep -Eq '溧阳市委组织部 +0 .*新媒体作品 至少 1 件，现 0 件，未达最低' "$WORK/stats.out"
check stats:new-unit-marked grep -Eq '市委党校党委 +1 +新单位' "$WORK/stats.out"
check stats:alias-counted grep -Eq '金坛区委组织部 +1 ' "$WORK/stats.out"
staff "cases list" "$CZ" >"$WORK/list.out" 2>&1
check list:new-unit-marked grep -q '市委党校党委（新单位）' "$WORK/list.out"
check list:roster-unit-unmarked sh -c "! grep -q '金坛区委组织部（新单位）' '$WORK/list.out'"
staff "cases export" "$CZ" --layout flat --format csv -o "$WORK/cz.csv" \
    2>>"$WORK/ingest.log"
check export:exit-0 test $? -eq 0
$PY - "$WORK/cz.csv" <<'PYEOF'
import csv, io, sys
def ok(name, cond, why=""):
    print(("PASS " if cond else "FAIL ") + name + ("" if cond else ": " + str(why)))
rows = list(csv.reader(io.StringIO(open(sys.argv[1], encoding="utf-8-sig").read(), newline="")))
ok("export:header", rows[0] == ["序号", "作品名称", "类别", "报送单位", "新单位", "联系人", "联系电话", "回执编号"], rows[0])
by_unit = {r[3]: r for r in rows[1:]}
jt = by_unit.get("金坛区委组织部")
ok("export:contact", jt is not None and jt[5] == "王建国" and jt[6] == "0519-86660001", jt)
ok("export:roster-unit-not-new", jt is not None and jt[4] == "", jt)
dx = by_unit.get("市委党校党委")
ok("export:new-unit", dx is not None and dx[4] == "新单位" and dx[5] == "", dx)
PYEOF
staff "cases index" "$WORK/subgate.conf" >/dev/null 2>&1
page=$WORK/store/roster-e2e/index.html
check index:written test -s "$page"
check index:roster-unit-with-0 grep -q '<td>溧阳市委组织部</td><td class="num">0</td>' "$page"
check index:minimum-not-met grep -q '新媒体作品 至少 1 件，现 0 件，未达最低' "$page"
check index:new-unit-marked grep -q '市委党校党委（新单位）' "$page"
# the units in roster order, as stats lists them, then the new ones
check index:roster-order sh -c "sed -n '/<table id=\"units\">/,/<\/table>/p' '$page' |
    grep -o '<tr><td>[^<]*</td>' | sed 's/<[^>]*>//g' | tr '\n' ' ' |
    grep -q '^溧阳市委组织部 金坛区委组织部 武进区委组织部 .* 市级机关工委 市委党校党委 '"
