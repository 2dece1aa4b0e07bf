#!/bin/sh
# subgate against a raw IMAP download of the same mixed mailbox, on the
# local mail stack, in interleaved rounds (every tool once per round, the
# order rotated), reported as medians so a busy machine still gives a fair
# ratio:
#   mbsync             pulls the mailbox into a Maildir (fsync on, its
#                      default): the transfer limit;
#   fetchmail+ripmime  the classic pipeline: fetchmail hands each message to
#                      an MDA that keeps it and unpacks it with ripmime into
#                      a folder of its own (tests/bench/ripmime-mda);
#   subgate no-SMTP    `subgate once` with the SMTP server unreachable:
#                      replies stay queued;
#   subgate +replies   `subgate once` sending the replies to the stack, until
#                      none is left queued (a cycle sends at most 100).
# Every run starts from an empty target.  Figures, not pass/fail.
#
#   tests/bench/bench-compare.sh
# Environment: BENCH_MIX (default 140x500K,50x5M,10x50M, the reference
# mix of about 1.1 GB), BENCH_SCALE (multiplies every count, default 1),
# BENCH_ROUNDS (default 3), BENCH_TOOLS (a subset of the four, by the
# names in the table).
set -u
. "$(dirname "$0")/lib.sh"

MIX=${BENCH_MIX:-140x500K,50x5M,10x50M}
SCALE=${BENCH_SCALE:-1}
ROUNDS=${BENCH_ROUNDS:-3}
for tool in mbsync fetchmail ripmime sqlite3; do
	command -v $tool >/dev/null 2>&1 ||
		{ echo "bench: $tool missing (contrib/install-deps)" >&2; exit 1; }
done

bench_stack
bench_campaign
set -- $(bench_fill --mix "$MIX" --scale "$SCALE")
N=$1 BYTES=$2
echo "mailbox: $N messages, $(($BYTES / 1048576)) MiB (mix $MIX, scale $SCALE), $ROUNDS rounds"

OUT=$W/out
cat >"$W/mbsyncrc" <<EOC
IMAPAccount bench
Host 127.0.0.1
Port $MAILSTACK_IMAP_PORT
User campaign@example.test
PassCmd "cat $W/imap.pass"
SSLType None
# mbsync sends a password over a plain connection only when told to.
AuthMechs LOGIN
# Its default, 20 s without a byte, ends the download of a message of a
# gigabyte while Dovecot reads it from disk: no limit, as for subgate.
Timeout 0

IMAPStore far
Account bench

MaildirStore near
Path $OUT/
Inbox $OUT/INBOX

Channel bench
Far :far:
Near :near:
Patterns INBOX
Sync Pull
Create Near
SyncState *
EOC

mkdir -p "$W/fetchmail"
cat >"$W/fetchmailrc" <<EOC
set no bouncemail
set no syslog
poll 127.0.0.1 port $MAILSTACK_IMAP_PORT protocol IMAP auth password
  user "campaign@example.test" there with password "$PW" is "root" here
  options keep fetchall sslproto ''
  mda "$TOP/tests/bench/ripmime-mda $OUT"
EOC
chmod 600 "$W/fetchmailrc"

bench_config "$W/nosmtp.conf" "$OUT" smtp://127.0.0.1:9
bench_config "$W/smtp.conf" "$OUT" "smtp://127.0.0.1:$MAILSTACK_SMTP_PORT"

# run_tool NAME FIGURES: one run into an empty $OUT; sets CYCLES.
run_tool() {
	rm -rf "$OUT"
	mkdir -p "$OUT"
	sync
	CYCLES=1
	case $1 in
	mbsync)
		timed "$2" mbsync -c "$W/mbsyncrc" -q bench
		got=$(find "$OUT/INBOX/cur" "$OUT/INBOX/new" -type f | wc -l) ;;
	fetchmail+ripmime)
		FETCHMAILHOME=$W/fetchmail timed "$2" fetchmail -f "$W/fetchmailrc" \
		    --nodetach --silent
		got=$(find "$OUT" -name original.eml | wc -l) ;;
	subgate-no-SMTP)
		subgate_until_done "$2" "$W/nosmtp.conf" "$N"
		got=$(sql "$OUT/subgate.db" 'SELECT COUNT(*) FROM messages') ;;
	subgate+replies)
		subgate_until_done "$2" "$W/smtp.conf" "$N" replies
		got=$(sql "$OUT/subgate.db" "SELECT COUNT(*) FROM outbox WHERE state = 'sent'") ;;
	esac
	if [ "$got" -ne "$N" ]; then
		echo "bench: $1 produced $got of $N; its stderr:" >&2
		tail -n 5 "$W/last.err" >&2
		exit 1
	fi
}

TOOLS=${BENCH_TOOLS:-mbsync fetchmail+ripmime subgate-no-SMTP subgate+replies}
# One untimed pass warms the page cache and Dovecot's caches for everyone.
run_tool mbsync "$W/warmup"
: >"$W/records"
round=1
while [ $round -le "$ROUNDS" ]; do
	set -- $TOOLS
	i=1
	while [ $i -lt $round ]; do	# rotate: round r starts with tool r
		first=$1; shift; set -- "$@" "$first"; i=$((i + 1))
	done
	for tool in "$@"; do
		rm -f "$W/fig"
		run_tool "$tool" "$W/fig"
		set -- $($PY "$TOP/tests/bench/figures.py" sum "$W/fig")
		echo "$tool $round $1 $2 $3 $CYCLES" >>"$W/records"
		echo "  round $round: $tool ${1}s" >&2
	done
	round=$((round + 1))
done
# Keep the mbsync line first, when it ran: the ratio column is against it.
{ grep '^mbsync ' "$W/records"; grep -v '^mbsync ' "$W/records"; } >"$W/records.sorted"
$PY "$TOP/tests/bench/figures.py" compare "$W/records.sorted" "$BYTES" "$N"
