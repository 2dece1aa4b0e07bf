# The Chinese of every reply kind, for every shipped campaign, as the
# clerk reads it: each campaign's mails go through the whole pipeline
# (offline ingest, the code path of IMAP mail) and the subject and plain
# text of every reply are compared with tests/snapshots/replies/CAMPAIGN.txt.
# A change of wording shows as a diff a person can read; after checking
# it, SNAPSHOT_UPDATE=1 writes the new text into the tree.  What differs
# from run to run (query codes, the year of the run) is replaced by a
# fixed mark before comparing.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT
# A run that failed on the way writes no snapshot: its texts are partial.
FAILED=
fail() { FAILED=1; echo "FAIL $1: $2"; }

C=$TOP/contrib/campaigns
SNAP=$TOP/tests/snapshots/replies
FP=$C/fupin2020.campaign
CZ=$(e2e_campaign_any_sender "$C/dangjiao-changzhou-2024.campaign")
X20=$C/xuexizhixing-2020.campaign
X22=$(e2e_campaign_any_sender "$C/xuexizhixing-2022.campaign")
XQ=$C/xxqg-shuozhou-2019.campaign
e2e_write_config --offline -u subgate.store -u subgate.database \
    -u smtp.from_name "$FP" "$CZ" "$X20" "$X22" "$XQ"
CONF="$WORK/subgate.conf"
FP_DATE='Sat, 01 Aug 2020 10:00:00 +0800'
FP_LATE='Tue, 01 Sep 2020 09:00:00 +0800'
CZ_DATE='Mon, 10 Jun 2024 09:00:00 +0800'
CZ_LATE='Fri, 06 Sep 2024 09:00:00 +0800'
X20_DATE='Mon, 17 Aug 2020 09:00:00 +0800'
X20_LATE='Mon, 31 Aug 2020 10:00:00 +0800'
X22_DATE='Tue, 03 Jan 2023 09:00:00 +0800'
X22_LATE='Tue, 10 Jan 2023 09:00:00 +0800'
XQ_DATE='Mon, 10 Jun 2019 09:00:00 +0800'
XQ_LATE='Wed, 31 Jul 2019 09:00:00 +0800'

. "$(dirname "$0")/offline-ingest.inc"

if [ ! -x "$SUBGATE" ]; then
	fail reply-snapshots:subgate "$SUBGATE not built"
	exit 0
fi
check config sh -c "'$SUBGATE' check-config -c '$CONF' >/dev/null"
FILM=$(e2e_fixture mp4) || exit 0

# text NAME: the subject and text of the last reply to NAME, with the
# parts that differ from run to run marked.
text() {
	reply "$1" | sed -E \
	    -e 's/查询码 *[A-Za-z0-9]{6,}/查询码 〔查询码〕/g' \
	    -e 's/(查询码[：:]) *[A-Za-z0-9]{6,}/\1〔查询码〕/g'
}
# snap CAMPAIGN KIND NAME: the last reply to NAME appended to the
# campaign's snapshot under KIND; checked that there is one, of KIND.
snap() {
	out="$WORK/snap-$1.txt"
	got=$(kind_of "$3")
	check "$1:$2:kind" test "$got" = "$2"
	{
		printf '==== %s (%s)\n' "$2" "$3"
		text "$3"
		printf '\n'
	} >>"$out"
}
# outcome CAMPAIGN NAME WANT: ingested, with outcome WANT.
outcome() {
	r=$(ingest "$1" "$2")
	check "$1:$2:$3" test "${r%%	*}" = "$3"
	RECEIPT=${r#*	}
}
# decide CAMPAIGN RECEIPT accept|reject NAME: a staff decision mailed to
# NAME, snapshotted.
decide() {
	if [ "$3" = accept ]; then
		"$SUBGATE" cases accept -c "$CONF" --store "$WORK/store" \
		    --database "$WORK/db" "$2" --notify \
		    --reason '材料齐全，进入评审' >>"$WORK/decide.log" 2>&1
		snap "$1" decision-accepted "$4"
	else
		"$SUBGATE" cases reject -c "$CONF" --store "$WORK/store" \
		    --database "$WORK/db" "$2" --notify \
		    --reason '作品与征集主题不符' >>"$WORK/decide.log" 2>&1
		snap "$1" decision-rejected "$4"
	fi
}
# ask CAMPAIGN NAME DATE: NAME answers its last reply with a question.
ask() {
	id=$(sqlite3 "$WORK/db" "SELECT reply_message_id FROM outbox WHERE
	    recipient = '$2@example.test' ORDER BY id DESC LIMIT 1")
	subj=$(reply "$2" | sed -n 1p)
	mail "$2" "回复：$subj" "$3" --header "In-Reply-To: <$id>" \
	    --header "References: <$id>" \
	    --body '请问视频超过规定时长怎么办？能否分两次发送？谢谢。'
	outcome "$1" "$2" question
	snap "$1" question "$2"
}

# ---- 我所经历的脱贫攻坚故事 (fupin2020): subject convention ------------------
P=fupin2020
mail fp-ok '扶贫征集-自荐-文字类-脱贫路上' "$FP_DATE" \
    --attach "$(e2e_attach a 脱贫路上.docx chars=1500)" \
    --attach "$(e2e_attach form 征集报名表-脱贫路上.docx)"
outcome $P fp-ok accepted; snap $P receipt fp-ok; R=$RECEIPT
mail fp-several '扶贫征集-推荐-图片类-山乡巨变' "$FP_DATE" \
    --attach "$(e2e_attach a 山乡巨变.jpg)" \
    --attach "$(e2e_attach b 茶园新绿.jpg)" \
    --attach "$(e2e_attach form 征集报名表.docx)"
outcome $P fp-several accepted; snap $P receipt fp-several; R2=$RECEIPT
mail fp-warn '扶贫征集-自荐-文字类-我的扶贫路' "$FP_DATE" \
    --attach "$(e2e_attach a 我的扶贫路.docx chars=600)"
outcome $P fp-warn accepted; snap $P receipt fp-warn
mail fp-bad '扶贫征集 图片类 老屋新颜' "$FP_DATE" \
    --attach "$(e2e_attach a 老屋新颜.jpg)"
outcome $P fp-bad rejected; snap $P correction fp-bad
mail fp-formonly '扶贫征集-自荐-文字类-驻村日记' "$FP_DATE" \
    --attach "$(e2e_attach form 征集报名表.docx)"
outcome $P fp-formonly rejected; snap $P correction fp-formonly
mail fp-late '扶贫征集-自荐-文字类-迟到的稿件' "$FP_LATE" \
    --attach "$(e2e_attach a 迟到的稿件.docx chars=1500)"
outcome $P fp-late late; snap $P late fp-late
decide $P "$R" accept fp-ok
decide $P "$R2" reject fp-several
ask $P fp-bad "$FP_DATE"

# ---- 全市党员教育作品观摩交流活动（常州）: file names, freeze, quotas --------
P=dangjiao-changzhou-2024
U=武进区委组织部
mail cz-ok '初心如磐' "$CZ_DATE" \
    --attach "$(e2e_attach a 初心如磐（有字幕）-纪录片-$U.mp4)" \
    --attach "$(e2e_attach form 报名表（一）初心如磐.docx)" \
    --attach "$(e2e_attach form 初心如磐解说词.docx)"
outcome $P cz-ok accepted; snap $P receipt cz-ok; R=$RECEIPT
mail cz-again '初心如磐（修改版）' "$CZ_DATE" \
    --attach "$(e2e_attach b 初心如磐-纪录片-$U.mp4)" \
    --attach "$(e2e_attach form 报名表（一）初心如磐.docx)"
outcome $P cz-again frozen; snap $P frozen cz-again
mail cz-bad '作品' "$CZ_DATE" \
    --attach "$(e2e_attach a "红色引擎 微视频 天宁区委组织部.mp4")" \
    --attach "$(e2e_attach form 报名表.docx)"
outcome $P cz-bad rejected; snap $P correction cz-bad
# a zip where none is taken: said so, not a name to mend
cp "$FILM" "$WORK/film.mp4"
(cd "$WORK" && $PY "$TOP/tests/tools/mkarchive.py" tianning.zip \
    '红色引擎-微视频-天宁区委组织部.mp4=film.mp4')
mail cz-zip '天宁报送' "$CZ_DATE" --attach "$WORK/tianning.zip=天宁作品.zip"
outcome $P cz-zip rejected; snap $P correction cz-zip
check cz-zip-said reply_has cz-zip '本次征集不接受压缩包。请不要压缩'
mail cz-noform '产业链上的党旗红' "$CZ_DATE" \
    --attach "$(e2e_attach a 产业链上的党旗红-纪录片-新北区委组织部.mp4)"
outcome $P cz-noform rejected; snap $P correction cz-noform
for k in 1 2; do
	mail cz-nm$k "龙城先锋$k" "$CZ_DATE" \
	    --attach "$(e2e_attach n$k 龙城先锋$k-新媒体作品-钟楼区委组织部.png)" \
	    --attach "$(e2e_attach form 报名表（二）龙城先锋$k.docx)"
	outcome $P cz-nm$k accepted
done
mail cz-quota '龙城先锋3' "$CZ_DATE" \
    --attach "$(e2e_attach n3 龙城先锋3-新媒体作品-钟楼区委组织部.png)" \
    --attach "$(e2e_attach form 报名表（二）龙城先锋3.docx)"
outcome $P cz-quota over-quota; snap $P over-quota cz-quota
mail cz-late '迟到的片子' "$CZ_LATE" \
    --attach "$(e2e_attach c 迟到的片子-纪录片-溧阳市委组织部.mp4)" \
    --attach "$(e2e_attach form 报名表（一）迟到的片子.docx)"
outcome $P cz-late late; snap $P late cz-late
decide $P "$R" reject cz-ok
ask $P cz-bad "$CZ_DATE"

# ---- 学习之星 2020: either convention, item deadlines, two versions -----------
P=xuexizhixing-2020
mail x20-ok '张三+学员标兵' "$X20_DATE" \
    --attach "$(e2e_attach a 张三+学员标兵（扫描件）.pdf)" \
    --attach "$(e2e_attach form 张三+学员标兵（电子版）.docx)" \
    --attach "$(e2e_attach b 张三我的信息截图.png)"
outcome $P x20-ok accepted; snap $P receipt x20-ok; R=$RECEIPT
mail x20-one '李四+优秀学员' "$X20_DATE" \
    --attach "$(e2e_attach form 李四+优秀学员.docx)"
outcome $P x20-one accepted; snap $P receipt x20-one
# 模范学习个人: an introduction of at most 300 字, said when longer
mail x20-model '李华+模范学习个人' "$X20_DATE" \
    --attach "$(e2e_attach c 李华+模范学习个人（扫描件）.pdf)" \
    --attach "$(e2e_attach form 李华+模范学习个人（电子版）.docx)" \
    --attach "$(e2e_attach d 李华个人成绩说明.docx chars=450)"
outcome $P x20-model accepted; snap $P receipt x20-model
check x20-model-intro-long reply_has x20-model '约 450 字'
mail x20-bad '报名' "$X20_DATE" \
    --attach "$(e2e_attach form 报名表.docx)"
outcome $P x20-bad rejected; snap $P correction x20-bad
mail x20-late '王五+学员标兵' "$X20_LATE" \
    --attach "$(e2e_attach form 王五+学员标兵.docx)"
outcome $P x20-late late; snap $P late x20-late
decide $P "$R" accept x20-ok
ask $P x20-bad "$X20_DATE"

# ---- 学习之星 2022 (学校): file names in brackets, one per item and unit ------
P=xuexizhixing-2022
mail x22-ok '报名' "$X22_DATE" \
    --attach "$(e2e_attach form 【学员标兵】张三（山西大学）.docx)" \
    --attach "$(e2e_attach a 张三.jpg)"
outcome $P x22-ok accepted; snap $P receipt x22-ok; R=$RECEIPT
mail x22-quota '报名' "$X22_DATE" \
    --attach "$(e2e_attach form 【学员标兵】李四（山西大学）.docx)" \
    --attach "$(e2e_attach b 李四.jpg)"
outcome $P x22-quota over-quota; snap $P over-quota x22-quota
mail x22-nophoto '报名' "$X22_DATE" \
    --attach "$(e2e_attach form 【优秀学员】王五（太原理工大学）.docx)"
outcome $P x22-nophoto rejected; snap $P correction x22-nophoto
mail x22-bad '报名' "$X22_DATE" \
    --attach "$(e2e_attach form 优秀学员-赵六-太原理工大学.docx)" \
    --attach "$(e2e_attach c 赵六.jpg)"
outcome $P x22-bad rejected; snap $P correction x22-bad
mail x22-late '报名' "$X22_LATE" \
    --attach "$(e2e_attach form 【挑战达人】钱七（中北大学）.docx)" \
    --attach "$(e2e_attach d 钱七.jpg)"
outcome $P x22-late late; snap $P late x22-late
decide $P "$R" reject x22-ok
ask $P x22-bad "$X22_DATE"

# ---- 朔州优质资源征集: series, author, work -----------------------------------
P=xxqg-shuozhou-2019
mail xq-ok '来自脱贫攻坚一线的报告-朔城区委宣传部-张三-村里的变化' "$XQ_DATE" \
    --attach "$(e2e_attach a 村里的变化.docx chars=1500)" \
    --attach "$(e2e_attach form 作者信息.docx)"
outcome $P xq-ok accepted; snap $P receipt xq-ok; R=$RECEIPT
mail xq-long '来自脱贫攻坚一线的报告-朔城区委宣传部-李四-山乡新貌' "$XQ_DATE" \
    --attach "$(e2e_attach b 山乡新貌.docx chars=2600)" \
    --attach "$(e2e_attach form 作者信息表.docx)"
outcome $P xq-long rejected; snap $P correction xq-long
mail xq-bad '朔城区委宣传部 村里的变化' "$XQ_DATE" \
    --attach "$(e2e_attach c 村里的变化.docx chars=1500)"
outcome $P xq-bad rejected; snap $P correction xq-bad
mail xq-late '大家讲堂-朔城区委宣传部-王五-桑干河畔' "$XQ_LATE" \
    --attach "$FILM=桑干河畔.mp4"
outcome $P xq-late late; snap $P late xq-late
decide $P "$R" accept xq-ok
ask $P xq-bad "$XQ_DATE"

# ---- too large: each campaign with a small limit, in a store of its own ------
for f in "$FP" "$CZ" "$X20" "$X22" "$XQ"; do
	small="$WORK/small-$(basename "$f")"
	awk '/^\[policy\]/ { print; print "max_message_size = 20K"; next }
	    { print }' "$f" >"$small"
	grep -q '^\[policy\]' "$small" ||
	    printf '\n[policy]\nmax_message_size = 20K\n' >>"$small"
done
e2e_write_config --offline -o "$WORK/small.conf" -u subgate.store \
    -u subgate.database "$WORK"/small-*.campaign
big() {
	mail "$2" "$3" "$4" --attach "$FILM=$5"
	r=$("$SUBGATE" ingest -c "$WORK/small.conf" --campaign "$1" \
	    --store "$WORK/store-small" --database "$WORK/db-small" \
	    "$WORK/$2.eml" 2>>"$WORK/ingest.log" | cut -f2)
	check "$1:$2:too-large" test "$r" = too-large
	{
		printf '==== too-large (%s)\n' "$2"
		sqlite3 "$WORK/db-small" "SELECT writefile('$WORK/reply.eml',
		    data) FROM outbox WHERE recipient = '$2@example.test'
		    ORDER BY id DESC LIMIT 1" >/dev/null
		$PY - "$WORK/reply.eml" <<'PYEOF'
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"),
                                   policy=email.policy.default)
print(m["Subject"])
print(m.get_body(("plain",)).get_content())
PYEOF
		printf '\n'
	} | sed -E 's/查询码 *[A-Za-z0-9]{6,}/查询码 〔查询码〕/g' \
	    >>"$WORK/snap-$1.txt"
}
big fupin2020 fp-big '扶贫征集-自荐-视频类(微视频)-星城大爱' "$FP_DATE" 星城大爱.mp4
big dangjiao-changzhou-2024 cz-big '初心如磐' "$CZ_DATE" 初心如磐-纪录片-$U.mp4
big xuexizhixing-2020 x20-big '张三+学员标兵' "$X20_DATE" 张三+学员标兵.mp4
big xuexizhixing-2022 x22-big '报名' "$X22_DATE" 【学员标兵】张三（山西大学）.mp4
big xxqg-shuozhou-2019 xq-big '大家讲堂-朔城区委宣传部-王五-桑干河畔' "$XQ_DATE" 桑干河畔.mp4

# ---- compare ---------------------------------------------------------------
for p in fupin2020 dangjiao-changzhou-2024 xuexizhixing-2020 \
    xuexizhixing-2022 xxqg-shuozhou-2019; do
	if [ -n "$SNAPSHOT_UPDATE" ] && [ -n "$FAILED" ]; then
		fail "$p:snapshot-written" "not written: the run failed above"
	elif [ -n "$SNAPSHOT_UPDATE" ]; then
		cp "$WORK/snap-$p.txt" "$SNAP/$p.txt"
		pass "$p:snapshot-written"
	elif diff -u "$SNAP/$p.txt" "$WORK/snap-$p.txt" >"$WORK/diff-$p"; then
		pass "$p:snapshot"
	else
		cat "$WORK/diff-$p" >&2
		fail "$p:snapshot" "replies differ from tests/snapshots/replies/$p.txt (SNAPSHOT_UPDATE=1 to accept)"
	fi
done
