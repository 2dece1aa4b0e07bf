# XOAUTH2 (Gmail, Microsoft 365) and STARTTLS hygiene against a scripted
# IMAP server: the local Dovecot has no OAuth, so this checks the exchange
# byte for byte instead (RFC 7628-style SASL string, the empty answer to a
# server's error challenge, no LOGIN), and that an answer to STARTTLS with
# data glued behind it is refused.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

# The scripted server takes only XOAUTH2 with good-token, and answers
# STARTTLS with data glued behind its OK.
e2e_fake_imap fake --log "$WORK/fake.log" --xoauth2-token good-token \
    --user campaign@example.test --uidvalidity 7 --starttls-injection ||
    exit 1
: >"$WORK/fake.log"

cp "$TOP/contrib/campaigns/fupin2020.campaign" "$WORK/fupin2020.campaign"
# conf NAME KEY=VALUE...: a config on the scripted server with these
# [imap] keys.
conf() {
	name=$1; shift
	for kv; do
		set -- "$@" -s "imap.$kv"
		shift
	done
	e2e_write_config -o "$WORK/$name.conf" -u subgate.poll_interval \
	    -s "imap.port=$FAKE_IMAP_PORT" -u imap.tls -u imap.password_file \
	    -s imap.timeout=5 -s smtp.url=smtp://127.0.0.1:1 -u smtp.from_name \
	    "$@" "$WORK/fupin2020.campaign"
}
once() {
	"$SUBGATE" once -c "$WORK/$1.conf" >"$WORK/$1.log" 2>&1
	rc=$?
}

printf 'good-token\n' >"$WORK/token"
conf good tls=plain auth=xoauth2 "oauth_token_file=$WORK/token"
once good
check xoauth2-exit-0 test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$WORK/good.log"
check xoauth2-cycle-ran grep -q 'cycle: 0 fetched' "$WORK/good.log"
check xoauth2-sasl-string grep -qF "SASL 'user=campaign@example.test\\x01auth=Bearer good-token\\x01\\x01'" \
    "$WORK/fake.log"

: >"$WORK/fake.log"
conf bad tls=plain auth=xoauth2 \
    "oauth_token_command=echo expired-token"
once bad
check xoauth2-refused-exit-75 test "$rc" -eq 75
check xoauth2-refused-says-why grep -q 'AUTHENTICATE XOAUTH2 failed' "$WORK/bad.log"
check xoauth2-token-from-command grep -q 'Bearer expired-token' "$WORK/fake.log"
check xoauth2-challenge-answered-empty grep -qF "ANSWER '\\r\\n'" "$WORK/fake.log"
check xoauth2-never-login lacks "$WORK/fake.log" LOGIN

conf failing tls=plain auth=xoauth2 \
    "oauth_token_command=echo 'no refresh token' >&2; exit 2"
once failing
check token-command-failure-exit-75 test "$rc" -eq 75
check token-command-failure-says-why grep -q 'oauth_token_command: exited with status 2' \
    "$WORK/failing.log"
check token-command-stderr-shown grep -q 'no refresh token' "$WORK/failing.log"

: >"$WORK/fake.log"
printf 'pw\n' >"$WORK/pass"
conf injected tls=starttls "password_file=$WORK/pass" "ca_file=$WORK/token"
once injected
check starttls-injection-exit-75 test "$rc" -eq 75
check starttls-injection-refused grep -q 'data sent along with the STARTTLS answer' \
    "$WORK/injected.log"
check starttls-injection-sent grep -qx STARTTLS "$WORK/fake.log"
check starttls-injection-no-login lacks "$WORK/fake.log" LOGIN
