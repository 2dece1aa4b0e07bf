# XOAUTH2 (Gmail, Microsoft 365) and STARTTLS hygiene against a scripted
# IMAP server: the local Dovecot has no OAuth, so this checks the exchange
# byte for byte instead (RFC 7628-style SASL string, the empty answer to a
# server's error challenge, no LOGIN), and that an answer to STARTTLS with
# data glued behind it is refused.
. "$(dirname "$0")/lib.sh"
FAKE_PID=
trap '[ -n "$FAKE_PID" ] && kill $FAKE_PID 2>/dev/null; e2e_cleanup' EXIT

$PY - "$WORK/fake.port" "$WORK/fake.log" <<'PYEOF' &
import base64, os, socket, sys, threading
portfile, logpath = sys.argv[1], sys.argv[2]
def log(text):
    with open(logpath, "a") as f:
        f.write(text + "\n")
def session(c):
    f = c.makefile("rb")
    def send(text):
        c.sendall(text.encode() + b"\r\n")
    send("* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=XOAUTH2 SASL-IR] fake ready")
    for raw in f:
        line = raw.decode().rstrip("\r\n")
        parts = line.split(" ")
        tag, cmd = parts[0], parts[1].upper() if len(parts) > 1 else ""
        if cmd == "CAPABILITY":
            send("* CAPABILITY IMAP4rev1 AUTH=XOAUTH2 SASL-IR")
            send(tag + " OK done")
        elif cmd == "AUTHENTICATE" and parts[2].upper() == "XOAUTH2":
            sasl = base64.b64decode(parts[3]).decode()
            log("SASL " + repr(sasl))
            if sasl == "user=campaign@example.test\x01auth=Bearer good-token\x01\x01":
                send(tag + " OK [CAPABILITY IMAP4rev1] logged in")
            else:
                challenge = base64.b64encode(b'{"status":"401","schemes":"Bearer","scope":"https://mail.google.com/"}')
                send("+ " + challenge.decode())
                answer = f.readline().decode()
                log("ANSWER " + repr(answer))
                send(tag + " NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)")
        elif cmd == "LOGIN":
            log("LOGIN")
            send(tag + " NO LOGIN is not offered")
        elif cmd == "STARTTLS":
            # A man in the middle's trick: an answer glued to the OK.
            c.sendall((tag + " OK begin TLS\r\n* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected\r\n").encode())
            log("STARTTLS")
        elif cmd == "EXAMINE":
            send("* FLAGS (\\Seen)")
            send("* 0 EXISTS")
            send("* 0 RECENT")
            send("* OK [UIDVALIDITY 7] ok")
            send("* OK [UIDNEXT 1] ok")
            send(tag + " OK [READ-ONLY] done")
        elif cmd == "UID":
            send(tag + " OK done")
        elif cmd == "LOGOUT":
            send("* BYE bye")
            send(tag + " OK done")
            break
        else:
            send(tag + " BAD unexpected")
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
FAKE_PORT=$(cat "$WORK/fake.port")
: >"$WORK/fake.log"

cp "$TOP/contrib/campaigns/fupin2020.campaign" "$WORK/fupin2020.campaign"
# conf NAME LINE...: a config on the scripted server with these [imap] lines.
conf() {
	name=$1; shift
	{
		printf '[subgate]\nstore = %s/store\ndatabase = %s/subgate.db\n' \
		    "$WORK" "$WORK"
		printf 'campaigns = %s/fupin2020.campaign\n\n' "$WORK"
		printf '[imap]\nhost = 127.0.0.1\nport = %s\n' "$FAKE_PORT"
		printf 'user = campaign@example.test\ntimeout = 5\n'
		for line in "$@"; do echo "$line"; done
		printf '\n[smtp]\nurl = smtp://127.0.0.1:1\nfrom = campaign@example.test\n'
	} >"$WORK/$name.conf"
}
once() {
	"$SUBGATE" once -c "$WORK/$1.conf" >"$WORK/$1.log" 2>&1
	rc=$?
}

printf 'good-token\n' >"$WORK/token"
conf good "tls = plain" "auth = xoauth2" "oauth_token_file = $WORK/token"
once good
check xoauth2-exit-0 test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$WORK/good.log"
check xoauth2-cycle-ran grep -q 'cycle: 0 fetched' "$WORK/good.log"
check xoauth2-sasl-string grep -qF "SASL 'user=campaign@example.test\\x01auth=Bearer good-token\\x01\\x01'" \
    "$WORK/fake.log"

: >"$WORK/fake.log"
conf bad "tls = plain" "auth = xoauth2" \
    "oauth_token_command = echo expired-token"
once bad
check xoauth2-refused-exit-75 test "$rc" -eq 75
check xoauth2-refused-says-why grep -q 'AUTHENTICATE XOAUTH2 failed' "$WORK/bad.log"
check xoauth2-token-from-command grep -q 'Bearer expired-token' "$WORK/fake.log"
check xoauth2-challenge-answered-empty grep -qF "ANSWER '\\r\\n'" "$WORK/fake.log"
check xoauth2-never-login sh -c "! grep -q LOGIN '$WORK/fake.log'"

conf failing "tls = plain" "auth = xoauth2" \
    "oauth_token_command = echo 'no refresh token' >&2; exit 2"
once failing
check token-command-failure-exit-75 test "$rc" -eq 75
check token-command-failure-says-why grep -q 'oauth_token_command: exited with status 2' \
    "$WORK/failing.log"
check token-command-stderr-shown grep -q 'no refresh token' "$WORK/failing.log"

: >"$WORK/fake.log"
printf 'pw\n' >"$WORK/pass"
conf injected "tls = starttls" "password_file = $WORK/pass" "ca_file = $WORK/token"
once injected
check starttls-injection-exit-75 test "$rc" -eq 75
check starttls-injection-refused grep -q 'data sent along with the STARTTLS answer' \
    "$WORK/injected.log"
check starttls-injection-no-login sh -c "! grep -q LOGIN '$WORK/fake.log'"
