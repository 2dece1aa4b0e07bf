# The HTML index staff open from the shared folder: built from cases made
# by `subgate ingest`, rendered by a real browser (headless Chromium), its
# DOM checked (rows, links that resolve, a hostile title shown as text,
# the script ran) and a screenshot kept to look at.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

. "$(dirname "$0")/staff-setup.inc"
staff_setup || exit 1

"$SUBGATE" cases index -c "$WORK/subgate.conf" >"$WORK/index.out" 2>&1
check index-exit-0 test $? -eq 0
page=$WORK/store/fupin2020/index.html
check index-written test -s "$page"
check index-written-second-campaign \
    test -s "$WORK/store/dangjiao-changzhou-2024/index.html"
check index-lang-zh grep -q '<html lang="zh-CN">' "$page"
check index-charset grep -q '<meta charset="utf-8">' "$page"
check index-no-external-resources lacks "$page" -Ei '(src|href)="(https?:)?//'

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
	echo "SKIP staff-index-browser: chromium is not installed"
	exit 0
fi
browse() {
	timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
	    --disable-quic --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$(mktemp -d "$WORK/chromium.XXXXXX")" "$@" \
	    2>>"$WORK/chromium.log"
}
browse --dump-dom "file://$page" >"$WORK/dom.html"
check dom-dumped test -s "$WORK/dom.html"
shot=${STAFF_SCREENSHOT:-$WORK/index.png}
browse --screenshot="$shot" --window-size=1280,800 "file://$page" >/dev/null
check screenshot-written test -s "$shot"
browse --screenshot="$WORK/index-dangjiao.png" --window-size=1280,800 \
    "file://$WORK/store/dangjiao-changzhou-2024/index.html" >/dev/null

$PY - "$WORK/dom.html" "$WORK/store/fupin2020" <<'PYEOF'
import html.parser, os, sys, urllib.parse

dom, base = sys.argv[1], sys.argv[2]

class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.links, self.scripts = [], [], 0
        self.in_cases = self.in_body = False
        self.row = None
        self.text = []
        self.ids = {}
        self.cur_id = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "table" and a.get("id") == "cases":
            self.in_cases = True
        if self.in_cases and tag == "tbody":
            self.in_body = True
        if self.in_body and tag == "tr":
            self.row = []
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if "id" in a:
            self.cur_id = a["id"]
            self.ids.setdefault(self.cur_id, "")
    def handle_endtag(self, tag):
        if tag == "tbody" and self.in_body:
            self.in_body = self.in_cases = False
        if tag == "tr" and self.row is not None:
            self.rows.append("".join(self.row))
            self.row = None
    def handle_data(self, data):
        if self.row is not None:
            self.row.append(data)
        if self.cur_id is not None:
            self.ids[self.cur_id] += data
            self.cur_id = None

p = Page()
p.feed(open(dom, encoding="utf-8").read())

def ok(name, cond, why=""):
    print(("PASS " if cond else "FAIL ") + name + ("" if cond else ": " + str(why)))

ok("dom-four-rows", len(p.rows) == 4, p.rows)
ok("dom-title-as-text", any("<script>alert(1)</script>" in r for r in p.rows), p.rows)
ok("dom-only-own-script", p.scripts == 1, p.scripts)
ok("dom-sender-name-as-text", any("<b>黑客</b>" in r for r in p.rows), p.rows)
ok("dom-comma-quote-title", any('山村"第一书记",我的扶贫路' in r for r in p.rows), p.rows)
ok("dom-status-shown", all("已受理" in r for r in p.rows), p.rows)
ok("dom-script-ran", p.ids.get("shown", "").strip() == "显示 4 / 4 件", p.ids.get("shown"))
ok("dom-unit-table", "units" in p.ids, sorted(p.ids))
# Every link resolves to a file or folder beside the page.
bad = []
for href in p.links:
    if href.startswith(("http:", "https:", "//", "/")):
        bad.append(href)
        continue
    path = os.path.join(base, urllib.parse.unquote(href))
    if not os.path.exists(path):
        bad.append(href)
ok("dom-links-resolve", p.links and not bad, bad)
ok("dom-links-percent-encoded", any("%23" in h and "%25" in h and "%20" in h for h in p.links), p.links)
ok("dom-links-chinese-encoded", all(all(ord(ch) < 128 for ch in h) for h in p.links), p.links)
ok("dom-attachment-linked", any(urllib.parse.unquote(h).endswith("报名 表#1 100%.docx") for h in p.links), p.links)
PYEOF

# Quota usage is shown where the campaign sets quotas.
browse --dump-dom "file://$WORK/store/dangjiao-changzhou-2024/index.html" \
    >"$WORK/dom-dj.html"
check dom-quota-shown grep -q '2/10' "$WORK/dom-dj.html"
check dom-category-quota-shown grep -q '1/2' "$WORK/dom-dj.html"
