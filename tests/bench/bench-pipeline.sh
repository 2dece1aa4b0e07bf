#!/bin/sh
# Pipeline figures on this machine: messages per second and peak memory,
# offline (subgate ingest) and over IMAP on the local mail stack, and the
# peak memory for one large submission.  Figures, not pass/fail: tests
# never time anything.
#
#   tests/bench/bench-pipeline.sh [MESSAGES] [BIG_MIB]
set -eu
N=${1:-300}
BIG=${2:-200}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
SUBGATE=${SUBGATE:-$TOP/build/subgate}
MAILSTACK=$TOP/contrib/mailstack/mailstack
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
W=$(mktemp -d /tmp/subgate-bench.XXXXXX)
chmod 755 "$W"
trap '"$MAILSTACK" stop "$W/stack" >/dev/null 2>&1 || true; rm -rf "$W"' EXIT

sed -e 's/^opens *=.*/opens = 2000-01-01 00:00/' \
    -e 's/^closes *=.*/closes = 2099-12-31 23:59:59/' \
    -e '/^\[policy\]/a max_message_size = 2G' \
    "$TOP/contrib/campaigns/fupin2020.campaign" >"$W/fupin2020.campaign"

# N submissions of about 60 KiB each, half of them badly named.
$PY - "$W/mail" "$N" <<'PYEOF'
import os, sys, random
from email.message import EmailMessage
out, n = sys.argv[1], int(sys.argv[2])
os.makedirs(out)
rnd = random.Random(1)
for i in range(n):
    m = EmailMessage()
    m["From"] = "unit%d@example.test" % (i % 37)
    m["To"] = "campaign@example.test"
    m["Subject"] = ("扶贫征集-自荐-图片类-作品%d" % i) if i % 2 == 0 else ("作品%d 投稿" % i)
    m["Message-ID"] = "<bench-%d@example.test>" % i
    m["Date"] = "Sat, 01 Aug 2020 10:00:00 +0800"
    m.set_content("投稿材料见附件。")
    m.add_attachment(rnd.randbytes(60000), maintype="image", subtype="jpeg",
                     filename="作品%d.jpg" % i)
    open(os.path.join(out, "%05d.eml" % i), "wb").write(m.as_bytes())
PYEOF

rate() { $PY -c "import sys; n, s = int(sys.argv[1]), float(sys.argv[2]); print('%.0f' % (n / s if s > 0 else 0))" "$1" "$2"; }

# --- offline ------------------------------------------------------------------
/usr/bin/time -f '%e %M' -o "$W/t1" "$SUBGATE" ingest -c "$W/fupin2020.campaign" \
    --store "$W/st1" --database "$W/db1" "$W"/mail/*.eml >/dev/null 2>&1
read -r secs rss <"$W/t1"
echo "offline ingest: $N messages in ${secs}s, $(rate "$N" "$secs") per second, peak RSS $((rss / 1024)) MiB"

# --- over IMAP --------------------------------------------------------------
"$MAILSTACK" start "$W/stack" >/dev/null
. "$W/stack/env"
"$MAILSTACK" adduser "$W/stack" campaign@example.test pw >/dev/null
printf 'pw\n' >"$W/pass"
cat >"$W/subgate.conf" <<EOC
[subgate]
store = $W/st2
database = $W/db2
campaigns = $W/fupin2020.campaign
[imap]
host = 127.0.0.1
port = $MAILSTACK_IMAP_PORT
tls = plain
user = campaign@example.test
password_file = $W/pass
EOC
md="$W/stack/mail/campaign@example.test"
owner=$(stat -c %U "$W/stack/mail")
mkdir -p "$md/new" "$md/cur" "$md/tmp"
i=0
for f in "$W"/mail/*.eml; do
	i=$((i + 1))
	cp "$f" "$md/new/1600000000.$i.bench:2,"
done
chown -R "$owner" "$md"
/usr/bin/time -f '%e %M' -o "$W/t2" "$SUBGATE" once -c "$W/subgate.conf" >/dev/null 2>&1 || true
# LIMIT_FETCH_BATCH: a first sync may take several cycles.
while [ "$(sqlite3 "$W/db2" 'SELECT COUNT(*) FROM messages')" -lt "$N" ]; do
	/usr/bin/time -a -f '%e %M' -o "$W/t2" "$SUBGATE" once -c "$W/subgate.conf" >/dev/null 2>&1
done
secs=$($PY -c "import sys; print(sum(float(l.split()[0]) for l in open(sys.argv[1])))" "$W/t2")
rss=$($PY -c "import sys; print(max(int(l.split()[1]) for l in open(sys.argv[1])))" "$W/t2")
echo "IMAP cycle:     $N messages in ${secs}s, $(rate "$N" "$secs") per second, peak RSS $((rss / 1024)) MiB"

# --- one large submission ---------------------------------------------------------
head -c $((BIG * 1024 * 1024)) /dev/urandom >"$W/big.bin"
$PY "$TOP/contrib/mailstack/send-mail" --save "$W/big.eml" --from big@example.test \
    --to campaign@example.test --subject '扶贫征集-自荐-视频类(微电影)-大片' \
    --attach "$W/big.bin=大片.mp4"
size=$(stat -c %s "$W/big.eml")
cp "$W/big.eml" "$md/new/1700000000.big.bench:2,"
chown -R "$owner" "$md"
rm -f "$W/big.bin" "$W/big.eml"
/usr/bin/time -f '%e %M' -o "$W/t3" "$SUBGATE" once -c "$W/subgate.conf" >/dev/null 2>&1
read -r secs rss <"$W/t3"
echo "large message:  $((size / 1048576)) MiB over IMAP in ${secs}s, peak RSS $((rss / 1024)) MiB"
