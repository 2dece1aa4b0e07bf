# The index of a campaign too big for one page: index.html is an overview
# (the counts and the list of pages) and each page index-NNNN.html holds
# 500 cases by receipt number.  A refresh rewrites only the pages whose
# rows changed (a new case, a decision), and a page deleted or damaged by
# hand is written again.  Files are compared by inode: the index is
# replaced by rename, so a page rewritten is a new file.  No mail server.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

. "$(dirname "$0")/staff-setup.inc"
printf 'unused\n' >"$WORK/imap.pass"
chmod 600 "$WORK/imap.pass"
C=$WORK/subgate.conf
# The campaign without its media rules: the pages are the point here, and
# measuring a thousand clips (a child process each) would only slow the
# setup down (tests/e2e/content-media.sh measures them).
sed -e '/^\(duration\|resolution\|aspect\|fps\|bitrate\|audio\)[.= ]/d' \
    "$TOP/contrib/campaigns/fupin2020.campaign" >"$WORK/fupin2020.campaign"
staff_config "$C" "$WORK/fupin2020.campaign"
DIR=$WORK/store/fupin2020
q() { sqlite3 "$WORK/subgate.db" "$1"; }
ino() { stat -c %i "$DIR/$1"; }
rows() { grep -c '<tr data-status=' "$DIR/$1"; }

$PY "$TOP/tests/bench/mkmail.py" --out "$WORK/pool" --mix 1002x1K \
    --bad-every 0 >/dev/null || { fail setup "mkmail.py failed"; exit 1; }
ls "$WORK/pool"/*.eml | head -n 1001 >"$WORK/first"
ls "$WORK/pool"/*.eml | tail -n 1 >"$WORK/last"
xargs "$SUBGATE" ingest -c "$C" --campaign fupin2020 <"$WORK/first" \
    >"$WORK/ingest.out" 2>&1
check setup-1001-cases test "$(q 'SELECT COUNT(*) FROM cases')" -eq 1001

# ---- an overview and three pages ----
check overview-written test -s "$DIR/index.html"
check overview-total grep -q '共 <span id="total">1001</span> 件' "$DIR/index.html"
check overview-no-case-rows lacks "$DIR/index.html" '<tr data-status='
for p in 0001 0002 0003; do
	check "overview-links-$p" grep -q "<a href=\"index-$p.html\">" \
	    "$DIR/index.html"
done
check overview-page-range grep -q 'FUPIN2020-00501 至 FUPIN2020-01000' \
    "$DIR/index.html"
check page1-500-rows test "$(rows index-0001.html)" -eq 500
check page2-500-rows test "$(rows index-0002.html)" -eq 500
check page3-1-row test "$(rows index-0003.html)" -eq 1
check page2-numbered-on grep -q '<td class="num">501</td><td class="nowrap"><a href="[^"]*">FUPIN2020-00501</a>' \
    "$DIR/index-0002.html"
check page2-links grep -q '<a href="index-0001.html">上一页</a> · <a href="index-0003.html">下一页</a>' \
    "$DIR/index-0002.html"
check no-page-4 test ! -e "$DIR/index-0004.html"
# The counts come from the database, not from the pages: as many as it
# has, per category and per sender.
for cat in $(q "SELECT DISTINCT category FROM cases"); do
	n=$(q "SELECT COUNT(*) FROM cases WHERE category = '$cat'")
	check "overview-category-$cat" grep -q "<tr><td>$cat</td><td class=\"num\">$n</td><td class=\"num\">$n</td></tr>" \
	    "$DIR/index.html"
done
s=$(q "SELECT sender FROM cases GROUP BY sender ORDER BY COUNT(*) DESC LIMIT 1")
n=$(q "SELECT COUNT(*) FROM cases WHERE sender = '$s'")
check overview-sender-count grep -q "<tr><td>$s</td><td class=\"num\">$n</td>" \
    "$DIR/index.html"

# ---- a new case rewrites the last page only ----
i1=$(ino index-0001.html) i2=$(ino index-0002.html) i3=$(ino index-0003.html)
"$SUBGATE" ingest -c "$C" --campaign fupin2020 "$(cat "$WORK/last")" \
    >"$WORK/ingest2.out" 2>&1
check new-case-accepted grep -q 'accepted	FUPIN2020-01002' "$WORK/ingest2.out"
check new-case-page1-kept test "$(ino index-0001.html)" = "$i1"
check new-case-page2-kept test "$(ino index-0002.html)" = "$i2"
check new-case-page3-rewritten test "$(ino index-0003.html)" != "$i3"
check new-case-page3-2-rows test "$(rows index-0003.html)" -eq 2
check new-case-overview-total grep -q '共 <span id="total">1002</span> 件' \
    "$DIR/index.html"

# ---- a decision rewrites the page that shows the case ----
i1=$(ino index-0001.html) i2=$(ino index-0002.html)
"$SUBGATE" cases reject -c "$C" --reason "测试退回" FUPIN2020-00007 \
    >"$WORK/reject.out" 2>&1
check decision-done test "$(q "SELECT status FROM cases WHERE receipt = 'FUPIN2020-00007'")" = rejected
check decision-page1-rewritten test "$(ino index-0001.html)" != "$i1"
check decision-page2-kept test "$(ino index-0002.html)" = "$i2"
check decision-page1-shows grep -q '<tr data-status="rejected"><td class="num">7</td>' \
    "$DIR/index-0001.html"
# A change made elsewhere (by hand, by another tool): the next refresh
# rewrites only the page it shows on.
i1=$(ino index-0001.html) i2=$(ino index-0002.html)
q "UPDATE cases SET status = 'rejected' WHERE receipt = 'FUPIN2020-00600'"
"$SUBGATE" ingest -c "$C" --campaign fupin2020 "$(cat "$WORK/last")" \
    >"$WORK/ingest3.out" 2>&1
check changed-row-page1-kept test "$(ino index-0001.html)" = "$i1"
check changed-row-page2-rewritten test "$(ino index-0002.html)" != "$i2"
check changed-row-page2-shows grep -q '<tr data-status="rejected"><td class="num">600</td>' \
    "$DIR/index-0002.html"
n=$(q "SELECT COUNT(*) FROM cases WHERE status NOT IN ('rejected', 'superseded', 'missing') AND category = '$cat'")
check changed-row-overview-counts grep -q "<tr><td>$cat</td><td class=\"num\">$n</td>" \
    "$DIR/index.html"

# ---- a page deleted, damaged or cut short is written again ----
rm "$DIR/index-0002.html"
printf 'garbage\n' >"$DIR/index-0001.html"
truncate -s $(($(stat -c %s "$DIR/index-0003.html") / 2)) "$DIR/index-0003.html"
"$SUBGATE" ingest -c "$C" --campaign fupin2020 "$(cat "$WORK/last")" \
    >"$WORK/ingest4.out" 2>&1
check deleted-page-restored test "$(rows index-0002.html)" -eq 500
check damaged-page-restored test "$(rows index-0001.html)" -eq 500
check cut-page-restored test "$(rows index-0003.html)" -eq 2

# ---- `cases index` rewrites every page ----
i1=$(ino index-0001.html) i2=$(ino index-0002.html) i3=$(ino index-0003.html)
"$SUBGATE" cases index -c "$C" >"$WORK/index.out" 2>&1
check index-exit-0 test $? -eq 0
check index-all-rewritten test "$(ino index-0001.html)" != "$i1" -a \
    "$(ino index-0002.html)" != "$i2" -a "$(ino index-0003.html)" != "$i3"
