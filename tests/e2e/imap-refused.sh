# A message the IMAP server refuses to hand over (a tagged NO to its
# FETCH, as Dovecot answers for a damaged mail file) must not block the
# folder: after the bounded retries it is recorded as failed and the mail
# after it is processed.  A scripted server plays the damaged mailbox.
. "$(dirname "$0")/lib.sh"
FAKE_PID=
trap '[ -n "$FAKE_PID" ] && kill $FAKE_PID 2>/dev/null; e2e_cleanup' EXIT

$PY "$SEND" --save "$WORK/good.eml" --from good@example.test \
    --to campaign@example.test --subject '扶贫征集-自荐-文字类-后来的稿' \
    --date 'Sat, 01 Aug 2020 10:00:00 +0800' >/dev/null

$PY - "$WORK/fake.port" "$WORK/good.eml" <<'PYEOF' &
import os, re, socket, sys, threading
portfile, good = sys.argv[1], open(sys.argv[2], "rb").read()
def session(c):
    f = c.makefile("rb")
    def send(data):
        c.sendall(data if isinstance(data, bytes) else data.encode() + b"\r\n")
    send("* OK [CAPABILITY IMAP4rev1] damaged mailbox ready")
    for raw in f:
        line = raw.decode().rstrip("\r\n")
        tag, _, rest = line.partition(" ")
        cmd = rest.split(" ")[0].upper()
        if cmd == "CAPABILITY":
            send("* CAPABILITY IMAP4rev1")
            send(tag + " OK done")
        elif cmd == "LOGIN":
            send(tag + " OK logged in")
        elif cmd in ("EXAMINE", "SELECT"):
            send("* 2 EXISTS")
            send("* OK [UIDVALIDITY 42] ok")
            send("* OK [UIDNEXT 3] ok")
            send(tag + " OK [READ-ONLY] done")
        elif cmd == "UID" and "RFC822.SIZE" in rest:
            for uid in (1, 2):
                send('* %d FETCH (UID %d RFC822.SIZE %d INTERNALDATE '
                     '"01-Aug-2020 10:00:00 +0800")' % (uid, uid, len(good)))
            send(tag + " OK done")
        elif cmd == "UID" and "BODY.PEEK" in rest:
            uid = int(re.search(r"FETCH (\d+)", rest).group(1))
            if uid == 1:
                send(tag + " NO [SERVERBUG] Internal error reading the mail file")
                continue
            m = re.search(r"<(\d+)\.(\d+)>", rest)
            start, count = (int(m.group(1)), int(m.group(2))) if m else (0, len(good))
            part = good[start:start + count]
            send(b"* 2 FETCH (UID 2 BODY[]<%d> {%d}\r\n" % (start, len(part)) +
                 part + b")\r\n")
            send(tag + " OK done")
        elif cmd == "LOGOUT":
            send("* BYE bye")
            send(tag + " OK done")
            break
        else:
            send(tag + " OK done")
    c.close()
l = socket.socket()
l.bind(("127.0.0.1", 0))
l.listen(8)
with open(portfile + ".tmp", "w") as pf:
    pf.write("%d\n" % l.getsockname()[1])
os.rename(portfile + ".tmp", portfile)
while True:
    conn, _ = l.accept()
    threading.Thread(target=session, args=(conn,), daemon=True).start()
PYEOF
FAKE_PID=$!
n=0
while [ ! -s "$WORK/fake.port" ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
printf 'pw\n' >"$WORK/pass"
CAMPAIGN=$(e2e_campaign_open "$TOP/contrib/campaigns/fupin2020.campaign")
cat >"$WORK/subgate.conf" <<EOC
[subgate]
store = $WORK/store
database = $WORK/subgate.db
campaigns = $CAMPAIGN
[imap]
host = 127.0.0.1
port = $(cat "$WORK/fake.port")
tls = plain
user = campaign@example.test
password_file = $WORK/pass
timeout = 10
EOC
q() { sqlite3 "$WORK/subgate.db" "$1"; }
for n in 1 2; do
	"$SUBGATE" once -c "$WORK/subgate.conf" >"$WORK/once$n.log" 2>&1
	check "refused-attempt-$n-retried-later" test $? -eq 75
	check "refused-attempt-$n-says-why" grep -q 'Internal error reading the mail file (attempt' "$WORK/once$n.log"
done
check refused-blocks-until-limit test "$(q 'SELECT COUNT(*) FROM messages')" -eq 0
"$SUBGATE" once -c "$WORK/subgate.conf" >"$WORK/once3.log" 2>&1
check refused-third-cycle-ok test $? -eq 0
check refused-recorded-failed test "$(q 'SELECT outcome FROM messages WHERE uid = 1')" = failed
check next-message-processed test "$(q 'SELECT outcome FROM messages WHERE uid = 2')" = accepted
check folder-moved-on test "$(q 'SELECT last_uid FROM folders')" -eq 2
"$SUBGATE" once -c "$WORK/subgate.conf" >"$WORK/once4.log" 2>&1
check nothing-twice grep -q 'cycle: 0 fetched' "$WORK/once4.log"
