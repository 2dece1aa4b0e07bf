# Campaign policies through the whole pipeline (offline ingest of saved
# messages, the same code path as IMAP mail): deadline, duplicate delivery,
# quotas, freeze, replace, size, attachment types and other files, loop
# protection.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

# A main configuration, so replies are composed and queued as for IMAP
# mail (ingest never sends them); each test names its campaign.
sed 's/^resubmission *=.*/resubmission = replace/; s/^id *=.*/id = replace/' \
    "$TOP/contrib/campaigns/fupin2020.campaign" >"$WORK/replace.campaign"
sed -e '/^\[policy\]/,$d' -e 's/^id *=.*/id = small/' \
    "$TOP/contrib/campaigns/fupin2020.campaign" >"$WORK/small.campaign"
printf '[policy]\nmax_message_size = 2K\n' >>"$WORK/small.campaign"
# Changzhou's quotas and freeze are for its units' own mail: these senders
# are taken as the units' (tests/e2e/senders.sh has the strangers).
DJ=$(e2e_campaign_any_sender "$TOP/contrib/campaigns/dangjiao-changzhou-2024.campaign")
CAMPAIGNS="$TOP/contrib/campaigns/fupin2020.campaign $DJ $WORK/replace.campaign $WORK/small.campaign"
# The store and database are given to each ingest.
# shellcheck disable=SC2086
e2e_write_config --offline -u subgate.store -u subgate.database \
    -u smtp.from_name $CAMPAIGNS
FUPIN="$WORK/subgate.conf --campaign fupin2020"
DANGJIAO="$WORK/subgate.conf --campaign dangjiao-changzhou-2024"
REPLACE="$WORK/subgate.conf --campaign replace"
SMALL="$WORK/subgate.conf --campaign small"
# Works and forms are real files (e2e_attach); the program named setup.exe
# is data.
head -c 5000 /dev/urandom >"$WORK/work.bin"

# mail FILE FROM SUBJECT DATE [send-mail options]
mail() {
	file=$1 from=$2 subject=$3 date=$4; shift 4
	$PY "$SEND" --save "$WORK/$file" --from "$from" --to campaign@example.test \
	    --subject "$subject" --date "$date" "$@"
}
# ingest "CONFIG --campaign ID" FILE...: one "file outcome receipt reason" line each
ingest() {
	c=$1; shift
	# shellcheck disable=SC2086
	"$SUBGATE" ingest -c $c --store "$WORK/store" --database "$WORK/db" \
	    "$@" 2>>"$WORK/ingest.log"
}
outcome_of() { ingest "$@" | cut -f2; }

# --- deadline: judged by arrival, with a notice stating it -----------------
mail in-time.eml a@example.test '扶贫征集-自荐-文字类-我的扶贫路' 'Sat, 01 Aug 2020 10:00:00 +0800' \
    --attach "$(e2e_attach work 我的扶贫路.docx)"
mail late.eml a@example.test '扶贫征集-自荐-文字类-迟到的故事' 'Tue, 01 Sep 2020 00:00:05 +0800' \
    --attach "$(e2e_attach work 迟到的故事.docx)"
mail late2.eml a@example.test '扶贫征集-自荐-文字类-迟到的故事' 'Tue, 01 Sep 2020 00:00:05 +0800' \
    --attach "$(e2e_attach work 迟到的故事.docx)" --body '另一封'
mail early.eml a@example.test '扶贫征集-自荐-文字类-早到的故事' 'Wed, 29 Jul 2020 23:59:00 +0800' \
    --attach "$(e2e_attach work 早到的故事.docx)"
check deadline-in-time test "$(outcome_of "$FUPIN" "$WORK/in-time.eml")" = accepted
check deadline-late test "$(outcome_of "$FUPIN" "$WORK/late.eml")" = late
check deadline-early test "$(outcome_of "$FUPIN" "$WORK/early.eml")" = late
check arrival-option-overrides test "$(outcome_of "$FUPIN" --arrival '2020-08-31 23:59' "$WORK/late2.eml")" = accepted
late_reply=$(sqlite3 "$WORK/db" "SELECT COUNT(*) FROM outbox WHERE kind='late'")
check late-notice-queued test "$late_reply" -eq 2

# --- duplicate delivery: same Message-ID or same bytes ----------------------
check duplicate-same-file test "$(outcome_of "$FUPIN" "$WORK/in-time.eml")" = duplicate
sed 's/^Subject:/X-Resent: yes\nSubject:/' "$WORK/in-time.eml" >"$WORK/resent.eml"
check duplicate-same-message-id test "$(outcome_of "$FUPIN" "$WORK/resent.eml")" = duplicate
check duplicate-no-second-receipt test "$(sqlite3 "$WORK/db" \
    "SELECT COUNT(*) FROM outbox WHERE kind='receipt'")" -eq 2
# A Message-ID is anyone's to write: a stranger who reuses another
# sender's does not make the real submission a duplicate.
mid=$(sed -n 's/^Message-I[Dd]: *<\(.*\)>.*/\1/p' "$WORK/in-time.eml" | head -n 1)
check duplicate-message-id-found test -n "$mid"
mail forged-id.eml b@example.test '扶贫征集-自荐-文字类-另一个故事' \
    'Sat, 01 Aug 2020 11:00:00 +0800' --message-id "<$mid>" \
    --attach "$(e2e_attach work 另一个故事.docx)"
check duplicate-other-sender-same-message-id test \
    "$(outcome_of "$FUPIN" "$WORK/forged-id.eml")" = accepted
mail same-sender-case.eml A@Example.test '扶贫征集-自荐-文字类-我的扶贫路' \
    'Sat, 01 Aug 2020 12:00:00 +0800' --message-id "<$mid>" \
    --attach "$(e2e_attach work 我的扶贫路.docx)" --body '再发一次'
check duplicate-same-sender-any-case test \
    "$(outcome_of "$FUPIN" "$WORK/same-sender-case.eml")" = duplicate

# --- quotas and freeze (seed 003: <= 2 new-media works per unit, frozen) ---
# Every Changzhou work comes with its 报名表, as the notice requires: a
# mail without one is refused before any quota is counted.
D='Mon, 10 Jun 2024 09:00:00 +0800'
FORM="$(e2e_attach work 报名表.docx)"
for i in 1 2 3; do
	mail nm$i.eml unit@example.test "新媒体作品$i" "$D" \
	    --attach "$(e2e_attach work 作品$i-新媒体作品-金坛区委组织部.jpg)" --attach "$FORM"
done
check quota-first test "$(outcome_of "$DANGJIAO" "$WORK/nm1.eml")" = accepted
check quota-second test "$(outcome_of "$DANGJIAO" "$WORK/nm2.eml")" = accepted
check quota-third-refused test "$(outcome_of "$DANGJIAO" "$WORK/nm3.eml")" = over-quota
check quota-notice-counts sh -c "sqlite3 '$WORK/db' \"SELECT reason FROM messages WHERE outcome='over-quota'\" | grep -q '最多报送 2 件'"
mail other-unit.eml other@example.test '新媒体作品' "$D" \
    --attach "$(e2e_attach work 作品3-新媒体作品-武进区委组织部.jpg)" --attach "$FORM"
check quota-is-per-unit test "$(outcome_of "$DANGJIAO" "$WORK/other-unit.eml")" = accepted
mail again.eml unit@example.test '再次报送' "$D" \
    --attach "$(e2e_attach work 作品1-新媒体作品-金坛区委组织部.jpg)" --attach "$FORM" \
    --body '修改后的版本'
check freeze-refuses-second-version test "$(outcome_of "$DANGJIAO" "$WORK/again.eml")" = frozen
check freeze-notice-queued test "$(sqlite3 "$WORK/db" \
    "SELECT COUNT(*) FROM outbox WHERE kind='frozen'")" -eq 1

# --- attachment types -------------------------------------------------------
# A campaign that declares no [file] kinds judges every attachment by
# allowed_extensions: one file of another type refuses the mail.
sed -e '/^\[policy\]/,$d' -e 's/^id *=.*/id = types/' \
    "$TOP/contrib/campaigns/fupin2020.campaign" >"$WORK/types.campaign"
printf '[policy]\nallowed_extensions = docx;jpg;mp4\n' >>"$WORK/types.campaign"
TYPES="$WORK/types.campaign --campaign types"
mail exe.eml unit3@example.test '扶贫征集-自荐-视频类(微视频)-初心' \
    'Sat, 01 Aug 2020 10:00:00 +0800' \
    --attach "$(e2e_attach work 初心.mp4)" --attach "$WORK/work.bin=setup.exe"
check extension-refused test "$(outcome_of "$TYPES" "$WORK/exe.eml")" = rejected
check extension-refusal-names-file sh -c "sqlite3 '$WORK/db' \"SELECT reason FROM messages \
    WHERE campaign='types' AND outcome='rejected'\" | grep -q '附件“setup.exe”的文件类型不在'"
# Changzhou declares its kinds (other_files = warn): a note beside a
# complete work is no work and no form, kept in the case and pointed out
# in the receipt, and the work is taken.
printf '说明' >"$WORK/note.txt"
mail other-dj.eml unit3@example.test '作品' "$D" \
    --attach "$(e2e_attach work 初心（有字幕）-微视频-武进区委组织部.mp4)" \
    --attach "$(e2e_attach work2 初心（无字幕）-微视频-武进区委组织部.mp4)" \
    --attach "$FORM" --attach "$WORK/note.txt=说明.txt"
check other-file-work-taken test "$(outcome_of "$DANGJIAO" "$WORK/other-dj.eml")" = accepted
other_json=$(find "$WORK/store/dangjiao-changzhou-2024" -path '*初心*' -name case.json)
check other-file-kept-as-other $PY -c "
import json, sys
a = {x['name']: x for x in json.load(open(sys.argv[1]))['attachments']}
assert a['说明.txt']['role'] == 'other', a
assert a['报名表.docx']['role'] == 'companion', a
" "$other_json"
check other-file-warned sh -c "sqlite3 '$WORK/db' \"SELECT data FROM outbox \
    WHERE recipient='unit3@example.test' AND kind='receipt'\" | $PY -c '
import email, sys
m = email.message_from_bytes(sys.stdin.buffer.read())
t = next(p for p in m.walk() if p.get_content_type() == \"text/plain\")
t = t.get_payload(decode=True).decode(t.get_content_charset())
sys.exit(not (\"请注意\" in t and \"附件“说明.txt”不是作品\" in t))'"
# A program is never kept, whatever other_files says: the same complete
# work beside setup.exe is refused, and the correction says why.
mail exe-dj.eml unit4@example.test '作品' "$D" \
    --attach "$(e2e_attach work 使命（有字幕）-微视频-武进区委组织部.mp4)" \
    --attach "$(e2e_attach work2 使命（无字幕）-微视频-武进区委组织部.mp4)" \
    --attach "$FORM" --attach "$WORK/work.bin=setup.exe"
check program-refused test "$(outcome_of "$DANGJIAO" "$WORK/exe-dj.eml")" = rejected
check program-refusal-says sh -c "sqlite3 '$WORK/db' \"SELECT reason FROM messages \
    WHERE sender='unit4@example.test'\" | grep -q '附件“setup.exe”是可执行程序'"

# --- replace: the newest version supersedes, the old one is kept ------------
mail v1.eml r@example.test '扶贫征集-自荐-图片类-山乡巨变' 'Sat, 01 Aug 2020 10:00:00 +0800' \
    --attach "$(e2e_attach work 山乡巨变.jpg)"
mail v2.eml r@example.test '扶贫征集-自荐-图片类-山乡巨变' 'Sun, 02 Aug 2020 10:00:00 +0800' \
    --attach "$(e2e_attach work 山乡巨变-修改.jpg)" --body '第二版'
r1=$(ingest "$REPLACE" "$WORK/v1.eml" | cut -f3)
r2=$(ingest "$REPLACE" "$WORK/v2.eml" | cut -f3)
check replace-new-case test -n "$r2" -a "$r2" != "$r1" -a "$r2" != -
check replace-old-superseded-in-db test "$(sqlite3 "$WORK/db" \
    "SELECT status FROM cases WHERE receipt='$r1'")" = superseded
old_json=$(find "$WORK/store" -path "*$r1*" -name case.json)
check replace-old-case-kept test -f "$old_json"
check replace-old-case-json-marked grep -q '"status":"superseded"' "$old_json"
check replace-notice-kind test "$(sqlite3 "$WORK/db" \
    "SELECT kind FROM outbox ORDER BY id DESC LIMIT 1")" = superseded-notice

# --- size -------------------------------------------------------------------
check too-large-refused test "$(outcome_of "$SMALL" "$WORK/in-time.eml")" = too-large
check too-large-no-case none_under "$WORK/store/small" case.json
check too-large-kept test -n "$(ls "$WORK/store/small/_unaccepted" 2>/dev/null)"

# --- loop protection: no reply to automatic mail ----------------------------
mail auto.eml b@example.test '自动回复：扶贫征集-自荐-文字类-我的扶贫路' 'Sat, 01 Aug 2020 10:00:00 +0800' \
    --header 'Auto-Submitted: auto-replied'
mail daemon.eml MAILER-DAEMON@example.test 'Undelivered Mail' 'Sat, 01 Aug 2020 10:00:00 +0800'
mail self.eml campaign@example.test '扶贫征集-自荐-文字类-回声' 'Sat, 01 Aug 2020 10:00:00 +0800'
before=$(sqlite3 "$WORK/db" "SELECT COUNT(*) FROM outbox")
check auto-reply-ignored test "$(outcome_of "$FUPIN" "$WORK/auto.eml")" = ignored
check mailer-daemon-ignored test "$(outcome_of "$FUPIN" "$WORK/daemon.eml")" = ignored
check no-reply-to-automatic test "$(sqlite3 "$WORK/db" "SELECT COUNT(*) FROM outbox")" -eq "$before"

# --- a reply quotes a bounded part of what the sender wrote ----------------
# The reply goes wherever the mail says it is from: 300 tiny attachments
# and a 4 KB subject must not make the gateway mail a victim 300 names.
printf 'x' >"$WORK/tiny.txt"
set --
i=0
while [ $i -lt 300 ]; do
	set -- "$@" --attach "$WORK/tiny.txt=广告-$i.txt"
	i=$((i + 1))
done
long=$(printf '推广%.0s' $(seq 1 600))
mail spam.eml victim@example.test "$long" 'Sat, 01 Aug 2020 10:00:00 +0800' "$@"
check spam-corrected test "$(outcome_of "$FUPIN" "$WORK/spam.eml")" = rejected
spam_size=$(sqlite3 "$WORK/db" "SELECT length(data) FROM outbox \
    WHERE recipient='victim@example.test' AND kind='correction'")
mail_size=$(wc -c <"$WORK/spam.eml")
check spam-reply-bounded test "${spam_size:-999999}" -lt 16000
echo "# the ${mail_size}-byte mail got a ${spam_size}-byte correction"

# --- not a mail at all ------------------------------------------------------
head -c 3000 /dev/urandom >"$WORK/garbage.eml"
check garbage-failed test "$(outcome_of "$FUPIN" "$WORK/garbage.eml")" = failed
check garbage-kept test -n "$(ls "$WORK/store/fupin2020/_unaccepted" | grep offline)"

# --- --json output ------------------------------------------------------------
mail j.eml j@example.test '扶贫征集-推荐-视频类(微电影)-春风' 'Sat, 01 Aug 2020 10:00:00 +0800' \
    --attach "$(e2e_attach work 春风.mp4)"
ingest "$FUPIN" --json "$WORK/j.eml" >"$WORK/j.json"
check json-output $PY -c "
import json, os, sys
o = json.load(open('$WORK/j.json'))
assert o['outcome'] == 'accepted' and o['receipt'].startswith('FUPIN2020-'), o
assert os.path.isfile(os.path.join(o['case_dir'], 'case.json')), o
"

# --- a whole Maildir, oldest first ------------------------------------------
mkdir -p "$WORK/md/new" "$WORK/md/cur" "$WORK/md/tmp"
mail md1.eml m@example.test '扶贫征集-自荐-文字类-甲' 'Sat, 01 Aug 2020 10:00:00 +0800' \
    --attach "$(e2e_attach work 甲.docx)"
mail md2.eml m@example.test '扶贫征集-自荐-文字类-乙' 'Sat, 01 Aug 2020 11:00:00 +0800' \
    --attach "$(e2e_attach work 乙.docx)"
cp "$WORK/md1.eml" "$WORK/md/cur/1596247200.1.host:2,S"
cp "$WORK/md2.eml" "$WORK/md/new/1596250800.2.host"
ingest "$FUPIN" --maildir "$WORK/md" >"$WORK/md.out"
check maildir-both-ingested test "$(grep -c accepted "$WORK/md.out")" -eq 2
check maildir-oldest-first sh -c "head -n 1 '$WORK/md.out' | grep -q 1596247200"
check maildir-not-a-maildir sh -c "! '$SUBGATE' ingest -c $WORK/subgate.conf --campaign fupin2020 \
    --store '$WORK/store' --database '$WORK/db' --maildir '$WORK/nowhere' 2>/dev/null"

# --- a unit's submissions only from its registered senders ------------------
# sender_check = listed: a notice that names the units' mailboxes.
sed -e 's/^id *=.*/id = senders/' \
    -e '/^\[policy\]/a senders.金坛区委组织部 = @jintan.example.test;zhang@qq.example.test' \
    -e 's/^sender_check *=.*/sender_check = listed/' \
    -e 's/^resubmission *=.*/resubmission = keep-all/' \
    "$TOP/contrib/campaigns/dangjiao-changzhou-2024.campaign" >"$WORK/senders.campaign"
# shellcheck disable=SC2086
e2e_write_config --offline -u subgate.store -u subgate.database \
    -u smtp.from_name "$WORK/senders.campaign" $CAMPAIGNS
SENDERS="$WORK/subgate.conf --campaign senders"
# dj_video FILE FROM TITLE UNIT: a complete 微视频 submission (both
# versions and the form).
dj_video() {
	mail "$1" "$2" '作品' "$D" \
	    --attach "$(e2e_attach work $3（有字幕）-微视频-$4.mp4)" \
	    --attach "$(e2e_attach work2 $3（无字幕）-微视频-$4.mp4)" --attach "$FORM"
}
dj_video s1.eml office@jintan.example.test 初心 金坛区委组织部
dj_video s2.eml zhang@qq.example.test 使命 金坛区委组织部
dj_video s3.eml someone@163.example.test 冒名 金坛区委组织部
dj_video s4.eml someone@163.example.test 别的 武进区委组织部
check senders-domain-allowed test "$(outcome_of "$SENDERS" "$WORK/s1.eml")" = accepted
check senders-address-allowed test "$(outcome_of "$SENDERS" "$WORK/s2.eml")" = accepted
check senders-stranger-refused test "$(outcome_of "$SENDERS" "$WORK/s3.eml")" = rejected
check senders-refusal-says-why sh -c "sqlite3 '$WORK/db' \"SELECT reason FROM messages \
    WHERE campaign='senders' AND outcome='rejected'\" | grep -q '@jintan.example.test'"
check senders-unlisted-unit-open test "$(outcome_of "$SENDERS" "$WORK/s4.eml")" = accepted
