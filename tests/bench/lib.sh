# Shared by the benchmark scripts: a work directory, the local mail stack
# with the campaign mailbox, the campaign and subgate's configuration, and
# timing through /usr/bin/time.  Source it; it sets TOP, W, SUBGATE, PY.
#
# Figures go to files as "wall user sys maxrss_kib" lines (one line per
# process run); tests/bench/figures.py turns them into the tables.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
SUBGATE=${SUBGATE:-$TOP/build/subgate}
MAILSTACK=$TOP/contrib/mailstack/mailstack
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
PW=bench-password

[ -x "$SUBGATE" ] || { echo "bench: no $SUBGATE (make first)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing (contrib/install-deps)" >&2; exit 1; }

# The mail stack's user must reach the directory, and its socket paths
# must stay short: a short name under /tmp.
W=$(mktemp -d /tmp/sgbench.XXXXXX)
chmod 755 "$W"
# Processes a script started in the background, ended first.
BENCH_PIDS=
bench_cleanup() {
	for _c_pid in $BENCH_PIDS; do
		kill -TERM "$_c_pid" 2>/dev/null && wait "$_c_pid" 2>/dev/null
	done
	"$MAILSTACK" stop "$W/stack" >/dev/null 2>&1 || true
	if [ "${KEEP_WORK:-0}" = 1 ]; then
		echo "work directory kept: $W" >&2
	else
		rm -rf "$W"
	fi
}
trap bench_cleanup EXIT
trap 'exit 1' INT TERM HUP

# bench_stack: the stack in $W/stack with the campaign mailbox; sets
# MAILSTACK_*, INBOX (the campaign Maildir) and MAIL_OWNER.
bench_stack() {
	"$MAILSTACK" start "$W/stack" >/dev/null || exit 1
	. "$W/stack/env"
	"$MAILSTACK" adduser "$W/stack" campaign@example.test "$PW" || exit 1
	printf '%s\n' "$PW" >"$W/imap.pass"
	chmod 600 "$W/imap.pass"
	INBOX=$W/stack/mail/campaign@example.test
	MAIL_OWNER=$(stat -c %U "$W/stack/mail")
}

# bench_fill MKMAIL-OPTIONS...: generated mail straight into the campaign
# Maildir (as a delivery would leave it; SMTP would only add the stack's
# own time), then one IMAP login so Dovecot has indexed it before anything
# is timed.  Prints "messages bytes".
bench_fill() {
	$PY "$TOP/tests/bench/mkmail.py" --out "$INBOX" --maildir "$@" || exit 1
	chown -R "$MAIL_OWNER" "$INBOX"
	$PY - "$MAILSTACK_IMAP_PORT" "$PW" <<'PYEOF' || exit 1
import imaplib, sys
c = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]))
c.login("campaign@example.test", sys.argv[2])
c.select("INBOX", readonly=True)
c.uid("FETCH", "1:*", "(UID RFC822.SIZE INTERNALDATE)")
c.logout()
PYEOF
}

# The fupin2020 campaign with its window open and room for big mail.
bench_campaign() {
	sed -e 's/^opens *=.*/opens = 2000-01-01 00:00/' \
	    -e 's/^closes *=.*/closes = 2099-12-31 23:59:59/' \
	    -e '/^\[policy\]/a max_message_size = 2G' \
	    "$TOP/contrib/campaigns/fupin2020.campaign" >"$W/fupin2020.campaign"
}

# bench_config FILE DIR SMTP_URL: subgate's configuration with its store
# and database in DIR.  No reply rate limits: the bench measures how fast
# replies can go, not how fast the limits let them.
bench_config() {
	cat >"$1" <<EOC
[subgate]
store = $2/store
database = $2/subgate.db
campaigns = $W/fupin2020.campaign
${BENCH_POLL:+poll_interval = $BENCH_POLL}

[limits]
message_size = 2G

[imap]
host = 127.0.0.1
port = ${MAILSTACK_IMAP_PORT:-9}
tls = plain
user = campaign@example.test
password_file = $W/imap.pass

[smtp]
url = $3
from = campaign@example.test
from_name = 征集活动组委会
rate_per_recipient_hour = 0
rate_global_minute = 0
rate_per_domain_hour = 0
rate_refusals_hour = 0
EOC
}

# timed FIGURES CMD...: run CMD, append "wall user sys maxrss_kib" to
# FIGURES; CMD's output goes to $W/last.out and .err.  Returns CMD's status.
timed() {
	_t_fig=$1; shift
	/usr/bin/time -f '%e %U %S %M' -o "$W/time.one" "$@" >"$W/last.out" 2>"$W/last.err"
	_t_rc=$?
	tail -n 1 "$W/time.one" >>"$_t_fig"
	return $_t_rc
}

sql() { sqlite3 "$1" "$2"; }

# subgate_until_done FIGURES CONF N [replies]: `subgate once` cycles until
# the database holds N messages and, with "replies", none is left queued
# (a cycle fetches at most 200 messages and sends at most 100 replies).
# Each cycle adds a line to FIGURES; CYCLES is set to their number.
subgate_until_done() {
	_sd_db=$(sed -n 's/^database = //p' "$2")
	_sd_cycles=0
	while :; do
		timed "$1" "$SUBGATE" once -c "$2" || true
		_sd_cycles=$((_sd_cycles + 1))
		_sd_n=$(sql "$_sd_db" 'SELECT COUNT(*) FROM messages')
		_sd_q=0
		[ "${4:-}" = replies ] && _sd_q=$(sql "$_sd_db" "SELECT COUNT(*) FROM outbox WHERE state = 'queued'")
		[ "$_sd_n" -ge "$3" ] && [ "$_sd_q" -eq 0 ] && break
		if [ $_sd_cycles -ge $(($3 / 50 + 10)) ]; then
			echo "bench: subgate did not finish: $_sd_n of $3 messages, $_sd_q replies queued" >&2
			tail -n 5 "$W/last.err" >&2
			return 1
		fi
	done
	CYCLES=$_sd_cycles
}
