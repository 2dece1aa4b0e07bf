# Cloud attachments (超大附件 and shares) through the whole pipeline
# (offline ingest, the code path of IMAP mail) with the shipped campaigns:
# a work sent as a QQ Mail link beside its 报名表 is filed in a file-name
# campaign, a Baidu share is the work a subject names; the receipt says
# the link is registered and until when, case.json and case_links record
# it, and staff find it in `cases show`, the index (the time left, the
# URL as text), the export and `stats`.  A link without a name, an
# expired one and a link only quoted from earlier mail are refused with
# why.  Recording only: nothing is downloaded.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

C=$TOP/contrib/campaigns
e2e_write_config --offline -u subgate.store -u subgate.database \
    -u smtp.from_name "$(e2e_campaign_any_sender -o "$C/fupin2020.campaign")" \
    "$(e2e_campaign_any_sender -o "$C/dangjiao-changzhou-2024.campaign")"
CONF="$WORK/subgate.conf"
# The form is a real Word document: the campaign's content = judges it.
cp "$(e2e_fixture docx variant=links-form)" "$WORK/form.bin"
NOW=$(date -R)

. "$(dirname "$0")/offline-ingest.inc"

if [ ! -x "$SUBGATE" ]; then
	fail links:subgate "$SUBGATE not built"
	exit 0
fi
check config sh -c "'$SUBGATE' check-config -c '$CONF' >/dev/null"

# webmail NAME SUBJECT DAYS PLAIN HTML [FILE=NAME...]: WORK/NAME.eml from
# NAME@example.test, dated now, a multipart/alternative body as webmail
# writes it (UTF-8) and the attachments; in both bodies {EXP} is the time
# DAYS days and an hour from now (negative: past) as QQ Mail writes it
# (2024年9月12日 10:30), {EXPDATE} the same as Sina does.
webmail() {
	$PY - "$WORK/$1.eml" "$1@example.test" "$2" "$3" "$4" "$5" "$NOW" \
	    "$@" <<'EOF'
import datetime, email.utils, sys
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
out, sender, subject, days, plain, html, now = sys.argv[1:8]
files = sys.argv[13:]
cst = datetime.timezone(datetime.timedelta(hours=8))
exp = (datetime.datetime.now(cst) +
       datetime.timedelta(days=int(days), hours=1)).replace(second=0)
qq = "%d年%d月%d日 %d:%02d" % (exp.year, exp.month, exp.day, exp.hour,
                               exp.minute)
for k, v in (("{EXP}", qq), ("{EXPDATE}", exp.strftime("%Y-%m-%d %H:%M"))):
    plain, html = plain.replace(k, v), html.replace(k, v)
alt = MIMEMultipart("alternative")
alt.attach(MIMEText(plain, "plain", "utf-8"))
alt.attach(MIMEText(html, "html", "utf-8"))
m = MIMEMultipart("mixed") if files else alt
if files:
    m.attach(alt)
for f in files:
    path, name = f.split("=", 1)
    a = MIMEApplication(open(path, "rb").read())
    a.add_header("Content-Disposition", "attachment",
                 filename=("utf-8", "", name))
    m.attach(a)
m["From"] = sender
m["To"] = "campaign@example.test"
m["Subject"] = subject
m["Date"] = now
m["Message-ID"] = email.utils.make_msgid(domain="example.test")
open(out, "wb").write(m.as_bytes())
open(out + ".exp", "w").write(exp.strftime("%Y-%m-%d %H:%M"))
# as a receipt writes it
open(out + ".expzh", "w").write("%d年%d月%d日%d:%02d" % (
    exp.year, exp.month, exp.day, exp.hour, exp.minute))
EOF
}
staff() {
	"$SUBGATE" "$@" -c "$CONF" --store "$WORK/store" --database "$WORK/db"
}

CZ=dangjiao-changzhou-2024
WORKNAME=初心如磐-纪录片-金坛区委组织部.mp4
QQURL='https://wx.mail.qq.com/ftn/download?func=3&key=5d4c3b2a1908172635&code=9f8e'
QQBLOCK="<div><b>从QQ邮箱发来的超大附件</b></div><div class=\"bigatt_bt\"><a href=\"https://wx.mail.qq.com/ftn/download?func=3&amp;key=5d4c3b2a1908172635&amp;code=9f8e\" target=\"_blank\">$WORKNAME</a> (1.20G, {EXP} 到期)</div>"

# --- Changzhou: the work as a QQ 超大附件, its 报名表 attached -----------------
webmail cz-link '金坛区委组织部报送纪录片' 5 \
    "老师好，纪录片较大，用超大附件发送。

从QQ邮箱发来的超大附件

$WORKNAME (1.20G, {EXP} 到期)进入下载页面：$QQURL" \
    "<div>老师好，纪录片较大，用超大附件发送。</div>$QQBLOCK" \
    "$WORK/form.bin=报名表（一）初心如磐.docx"
EXP=$(cat "$WORK/cz-link.eml.exp")
EXPZH=$(cat "$WORK/cz-link.eml.expzh")
r=$(ingest $CZ cz-link)
receipt=${r#*	}
check cz-link-accepted test "${r%%	*}" = accepted
check cz-link-receipt-kind test "$(kind_of cz-link)" = receipt
check cz-link-receipt-says reply_has cz-link \
    "已登记云附件《$WORKNAME》（1.2 GB），有效期至 $EXPZH；工作人员将在有效期内下载。"
check cz-link-receipt-no-none reply_lacks cz-link '收到的附件：无'
check cz-link-receipt-form reply_has cz-link '报名表：报名表（一）初心如磐.docx'
json="$WORK/store/$(dir_of "$receipt")/case.json"
check cz-link-json-url grep -qF "\"url\":\"$QQURL\"" "$json"
check cz-link-json-name grep -qF "\"name\":\"$WORKNAME\",\"size\":1288490189" "$json"
check cz-link-json-provider grep -qF '"provider":"qq"' "$json"
check cz-link-json-expiry grep -qF "\"expires_at\":\"$(echo "$EXP" | tr ' ' T):00+08:00\"" "$json"
check cz-link-json-role grep -qF '"role":"work","kind":"作品"' "$json"
check cz-link-row test "$(sqlite3 "$WORK/db" "SELECT provider, name, size,
    state FROM case_links WHERE receipt = '$receipt'")" = \
    "qq|$WORKNAME|1288490189|pending"
check cz-link-no-file test ! -e "$WORK/store/$(dir_of "$receipt")/$WORKNAME"
staff cases show "$receipt" >"$WORK/show.out" 2>&1
check cz-link-show sh -c "grep -qF '云附件: 1 个（未下载）' '$WORK/show.out' &&
    grep -qF '[作品文件] $WORKNAME  QQ邮箱·1.2 GB·至 $EXP·剩5天' '$WORK/show.out' &&
    grep -qF '$QQURL' '$WORK/show.out'"
staff cases index --campaign $CZ >/dev/null 2>&1
IDX=$WORK/store/$CZ/index.html
check cz-link-index-countdown grep -qF "QQ邮箱·1.2 GB·至 $EXP·</span><span class=\"size\" data-expires=" "$IDX"
check cz-link-index-left grep -qF '>剩5天</span>' "$IDX"
check cz-link-index-url-text grep -qF '<span class="url">https://wx.mail.qq.com/ftn/download?func=3&amp;key=5d4c3b2a1908172635&amp;code=9f8e</span>' "$IDX"
check cz-link-index-not-clickable sh -c "! grep -q 'href=\"https://wx.mail.qq.com' '$IDX'"
staff cases export --campaign $CZ --format csv -o "$WORK/cz.csv" >/dev/null 2>&1
check cz-link-export grep -qF "云附件：$WORKNAME（QQ邮箱·1.2 GB·至 $EXP·未下载）" "$WORK/cz.csv"
check cz-link-export-url grep -qF "$QQURL" "$WORK/cz.csv"

# --- 扶贫 (subject): a Baidu share alone is the work the subject names -------
webmail fp-baidu '扶贫征集-自荐-视频类(微视频)-星城大爱' 0 \
    "作品较大，用百度网盘发送。
链接：https://pan.baidu.com/s/1uzZ-Ic4XPclwRXgk5f-Z_g 提取码：3005
复制这段内容打开「百度网盘APP 即可获取」" \
    "<div>作品较大，用百度网盘发送。</div><div>链接：https://pan.baidu.com/s/1uzZ-Ic4XPclwRXgk5f-Z_g 提取码：3005</div>"
r=$(ingest fupin2020 fp-baidu)
check fp-baidu-accepted test "${r%%	*}" = accepted
check fp-baidu-receipt reply_has fp-baidu '已登记云附件（百度网盘链接）（提取码 3005）；工作人员将尽快下载。'
check fp-baidu-row test "$(sqlite3 "$WORK/db" "SELECT provider, pass_code,
    role FROM case_links WHERE receipt = '${r#*	}'")" = 'baidu|3005|work'

# --- 扶贫: a QQ link that runs out within three days is shown urgent -------
webmail fp-soon '扶贫征集-自荐-视频类(微视频)-山路弯弯' 1 "" \
    "<div>请下载。</div><div><b>从QQ邮箱发来的超大附件</b></div><div><a href=\"https://wx.mail.qq.com/ftn/download?func=3&amp;key=77aa66bb&amp;code=1\">山路弯弯.mp4</a> (356.2M, {EXP} 到期)</div>"
r=$(ingest fupin2020 fp-soon)
check fp-soon-accepted test "${r%%	*}" = accepted
staff cases index --campaign fupin2020 >/dev/null 2>&1
check fp-soon-index-urgent grep -qF '<span class="urgent" data-expires=' \
    "$WORK/store/fupin2020/index.html"

# --- Changzhou: a share without a file name cannot be told whose ------------
webmail cz-unnamed '金坛区委组织部报送作品' 3 \
    "链接：https://pan.baidu.com/s/1xYz987 提取码：exg3" \
    "<div>链接：https://pan.baidu.com/s/1xYz987 提取码：exg3</div>" \
    "$WORK/form.bin=报名表（一）初心如磐.docx"
r=$(ingest $CZ cz-unnamed)
check cz-unnamed-rejected test "${r%%	*}" = rejected
check cz-unnamed-correction test "$(kind_of cz-unnamed)" = correction
check cz-unnamed-says reply_has cz-unnamed '邮件中的网盘链接没有文件名，无法确定属于哪件作品。'
check cz-unnamed-format reply_has cz-unnamed '作品文件名的格式：{作品名}-{分类}-{报送单位}'

# --- an expired link refuses its work ----------------------------------------
webmail cz-expired '金坛区委组织部报送纪录片' -3 "" \
    "<div>请下载。</div>$QQBLOCK" "$WORK/form.bin=报名表（一）初心如磐.docx"
r=$(ingest $CZ cz-expired)
check cz-expired-rejected test "${r%%	*}" = rejected
check cz-expired-says reply_has cz-expired "云附件“$WORKNAME”已于"
check cz-expired-no-case test "$(cases_of cz-expired)" -eq 0

# --- a reply that only quotes the earlier link registers nothing again ------
webmail fp-quoted '扶贫征集-自荐-视频类(微视频)-星城大爱' 2 "收到，谢谢。" \
    "<div>收到，谢谢。</div><div>------------------&nbsp;原始邮件&nbsp;------------------</div><div>$QQBLOCK</div>"
r=$(ingest fupin2020 fp-quoted)
check fp-quoted-rejected test "${r%%	*}" = rejected
check fp-quoted-says reply_has fp-quoted '邮件中没有附件'

# --- stats: what staff still have to download ------------------------------
staff stats --campaign $CZ >"$WORK/stats.out" 2>&1
check stats-links grep -qF '云附件: 待下载 1，72 小时内到期 0，已过期未下载 0' "$WORK/stats.out"
staff stats --campaign fupin2020 >"$WORK/stats-fp.out" 2>&1
check stats-links-soon grep -qF '云附件: 待下载 2，72 小时内到期 1，已过期未下载 0' "$WORK/stats-fp.out"
