# Shared by the end-to-end tests: a local mail stack, a gateway config on
# it, and PASS/FAIL reporting in the form tests/run counts.
# Source it from a test; it sets TOP, WORK, MS (mailstack env) and SUBGATE.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
: "${SUBGATE:=$TOP/build/subgate}"
MAILSTACK=$TOP/contrib/mailstack/mailstack
SEND=$TOP/contrib/mailstack/send-mail
READ=$TOP/contrib/mailstack/read-mailbox
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
WORK=$(mktemp -d /tmp/subgate-e2e.XXXXXX)
# The mail stack drops privileges: its user must reach the directory.
chmod 755 "$WORK"
PW=secret-password

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }
check() {
	# check NAME COMMAND...: PASS when the command succeeds.
	name=$1; shift
	if "$@"; then pass "$name"; else fail "$name" "$*"; fi
}

e2e_cleanup() {
	"$MAILSTACK" stop "$WORK/stack" >/dev/null 2>&1 || true
	if [ "${KEEP_WORK:-0}" = 1 ]; then
		echo "work directory kept: $WORK" >&2
	else
		rm -rf "$WORK"
	fi
}

# Starts the stack and creates the campaign mailbox and the given users.
e2e_start_stack() {
	"$MAILSTACK" start "$WORK/stack" >/dev/null || return 1
	. "$WORK/stack/env"
	for u in campaign@example.test "$@"; do
		"$MAILSTACK" adduser "$WORK/stack" "$u" "$PW" || return 1
	done
	printf '%s\n' "$PW" >"$WORK/imap.pass"
	chmod 600 "$WORK/imap.pass"
}

# Writes $WORK/subgate.conf for the given campaign files.
e2e_write_config() {
	campaigns=$(printf '%s;' "$@")
	cat >"$WORK/subgate.conf" <<EOC
[subgate]
store = $WORK/store
database = $WORK/subgate.db
poll_interval = 5
campaigns = $campaigns

[imap]
host = 127.0.0.1
port = $MAILSTACK_IMAP_PORT
tls = plain
user = campaign@example.test
password_file = $WORK/imap.pass

[smtp]
url = smtp://127.0.0.1:$MAILSTACK_SMTP_PORT
from = campaign@example.test
from_name = 征集活动组委会
EOC
}

# send_mail FROM SUBJECT [send-mail options...]
send_mail() {
	from=$1; subject=$2; shift 2
	$PY "$SEND" --port "$MAILSTACK_SMTP_PORT" --from "$from" \
	    --to campaign@example.test --subject "$subject" "$@" >/dev/null
}

# read_mailbox USER [read-mailbox options...]: JSON lines on stdout
read_mailbox() {
	user=$1; shift
	$PY "$READ" --port "$MAILSTACK_IMAP_PORT" --user "$user" \
	    --password "$PW" "$@"
}

# mailbox_count USER
mailbox_count() {
	read_mailbox "$1" --count --timeout 0
}

# wait_mail USER N: succeeds once USER's INBOX holds N messages (30 s at most)
wait_mail() {
	read_mailbox "$1" --wait-for "$2" --count >/dev/null
}

# e2e_campaign_open SRC: a copy of a shipped campaign file whose window is
# open now (the real notices' windows are long past), printed as a path.
e2e_campaign_open() {
	dst="$WORK/$(basename "$1")"
	sed -e 's/^opens *=.*/opens = 2000-01-01 00:00/' \
	    -e 's/^closes *=.*/closes = 2099-12-31 23:59:59/' "$1" >"$dst"
	echo "$dst"
}
