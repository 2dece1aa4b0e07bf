#!/bin/sh
# How soon a submitter has the receipt, on the local mail stack.
#   batch: BATCH small well-named submissions waiting in the mailbox when
#          `subgate run` starts; per message, the time from its commit
#          (subgate's log line, stamped as it is written) to its receipt's
#          arrival in the submitter's Maildir (the time Dovecot wrote it).
#   IDLE:  with `subgate run` idling on the mailbox, one submission sent
#          over SMTP; the time from the send to the receipt's arrival,
#          several times in a row.
# Then 100 sequential SMTP sends to the stack alone, for scale.
# Figures, not pass/fail.
#
#   tests/bench/bench-latency.sh
# Environment: BENCH_BATCH (default 200), BENCH_IDLE_TIMES (default 5),
# BENCH_POLL (subgate's poll_interval; default: subgate's own, 60 s).
set -u
. "$(dirname "$0")/lib.sh"

BATCH=${BENCH_BATCH:-200}
TIMES=${BENCH_IDLE_TIMES:-5}
LAT=$TOP/tests/bench/latency.py
FIG=$TOP/tests/bench/figures.py

bench_stack
bench_campaign
bench_fill --mix "${BATCH}x2K" --bad-every 0 >/dev/null
bench_config "$W/subgate.conf" "$W" "smtp://127.0.0.1:$MAILSTACK_SMTP_PORT"
poll=${BENCH_POLL:-60}

mkfifo "$W/log.fifo"
$PY "$LAT" stamp "$W/run.log" <"$W/log.fifo" &
stamper=$!
"$SUBGATE" run -c "$W/subgate.conf" 2>"$W/log.fifo" >/dev/null &
subgate=$!
BENCH_PIDS="$subgate $stamper"
stop_subgate() {
	kill -TERM "$subgate" 2>/dev/null
	wait "$subgate" 2>/dev/null
	wait "$stamper" 2>/dev/null
	BENCH_PIDS=
}

# Replies go to unit<i % 37>@example.test, each a Maildir of the stack.
if ! $PY "$LAT" wait "$W/stack/mail" "$BATCH" $((poll * 2 + 120)); then
	stop_subgate
	tail -n 5 "$W/run.log" >&2
	exit 1
fi
set -- $($PY "$LAT" batch "$W/run.log" "$W/subgate.db" "$W/stack/mail")
[ $# -eq 4 ] || exit 1
printf 'batch of %d: commit to receipt median %.2fs, max %.2fs (%d matched); first commit to last receipt %.2fs\n' \
    "$BATCH" "$1" "$2" "$3" "$4"
echo "  (replies go out as their messages are committed; poll_interval ${poll}s)"

lat=$($PY "$LAT" idle "$MAILSTACK_SMTP_PORT" "$W/stack/mail" "$TIMES")
rc=$?
stop_subgate
[ $rc -eq 0 ] && [ -n "$lat" ] || { tail -n 5 "$W/run.log" >&2; exit 1; }
set -- $($PY "$FIG" stats $lat)
printf 'one mail on IDLE: send to receipt median %.2fs, max %.2fs (%d mails: %s)\n' "$1" "$2" "$3" "$lat"

# The stack itself, for scale: sequential sends, one connection each.
printf 'the mail stack: '
$PY "$TOP/tests/bench/smtp-sends.py" --port "$MAILSTACK_SMTP_PORT" --count 100
