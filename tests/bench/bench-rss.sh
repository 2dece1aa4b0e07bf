#!/bin/sh
# Peak memory of `subgate once` taking one large submission from the local
# mail stack: a single attachment of each size given, random bytes in
# base64, a fresh store each time.  Figures, not pass/fail.
#
#   tests/bench/bench-rss.sh
# Environment: BENCH_RSS_SIZES (default "10Mi 100Mi 1Gi"; the attachment
# before encoding, as tests/bench/mkmail.py reads sizes).
set -u
. "$(dirname "$0")/lib.sh"

SIZES=${BENCH_RSS_SIZES:-10Mi 100Mi 1Gi}
FIG=$TOP/tests/bench/figures.py

bench_stack
bench_campaign
printf '%-10s %12s %10s %10s %12s\n' attachment "message MiB" "wall s" "cpu s" "peak RSS MiB"
n=0
for size in $SIZES; do
	set -- $(bench_fill --mix "1x$size" --first $n)
	bytes=$2
	n=$((n + 1))
	d=$W/run-$n
	mkdir -p "$d"
	bench_config "$d.conf" "$d" smtp://127.0.0.1:9
	sync
	rm -f "$W/fig"
	timed "$W/fig" "$SUBGATE" once -c "$d.conf" || true
	got=$(sql "$d/subgate.db" "SELECT COUNT(*) FROM cases")
	[ "$got" -eq 1 ] || { echo "bench: no case for the $size message" >&2; tail -n 5 "$W/last.err" >&2; exit 1; }
	set -- $($PY "$FIG" sum "$W/fig")
	printf '%-10s %12d %10s %10s %12d\n' "$size" $((bytes / 1048576)) "$1" "$2" $(($3 / 1024))
	# Only the message just added is new to the next store: the earlier
	# ones are gone from the mailbox, as are their cases from the disk.
	rm -rf "$d" "$INBOX"/new/* "$INBOX"/cur/*
done
