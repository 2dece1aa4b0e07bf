#!/bin/sh
# Is subgate's per-message cost flat in the size of the store?  Stores of
# 10, 200 and BIG cases (default 10,000) are built offline with `subgate
# ingest` of small generated submissions, their replies marked sent as if
# delivered long ago.  Then, on a fresh copy of each store, `subgate once`
# takes the same N new messages from the local mail stack (SMTP
# unreachable, so replies stay queued), and `subgate once` with nothing
# new (an idle cycle) runs a few times.  Reports the cost per message and
# its slope, and the idle cycle, per store size.  Figures, not pass/fail.
#
#   tests/bench/bench-flat.sh
# Environment: BENCH_FLAT_BIG (default 10000), BENCH_FLAT_N (default 100),
# BENCH_FLAT_ROUNDS (copies measured per store, default 3), BENCH_IDLE_RUNS
# (default 5).
set -u
. "$(dirname "$0")/lib.sh"

BIG=${BENCH_FLAT_BIG:-10000}
NEW=${BENCH_FLAT_N:-100}
ROUNDS=${BENCH_FLAT_ROUNDS:-3}
IDLE_RUNS=${BENCH_IDLE_RUNS:-5}
FIG=$TOP/tests/bench/figures.py

bench_stack
bench_campaign
bench_fill --mix "${NEW}x2K" --bad-every 0 >/dev/null
# The stores' mail: other Message-IDs (and so other bytes) than the new.
$PY "$TOP/tests/bench/mkmail.py" --out "$W/pool" --mix "${BIG}x2K" \
    --bad-every 0 --first 1000000 >/dev/null || exit 1

# build_base CASES: $W/base-CASES, the first CASES messages of the pool.
build_base() {
	d=$W/base-$1
	mkdir -p "$d"
	bench_config "$d.conf" "$d" smtp://127.0.0.1:9
	ls "$W/pool" | head -n "$1" | sed "s|^|$W/pool/|" >"$W/list"
	rm -f "$W/fig"
	# xargs: one ingest for BIG files would be a long argument list.
	timed "$W/fig" sh -c 'xargs "$1" ingest -c "$2" --campaign fupin2020 <"$3"' \
	    sh "$SUBGATE" "$d.conf" "$W/list" || { tail -n 5 "$W/last.err" >&2; exit 1; }
	cases=$(sql "$d/subgate.db" 'SELECT COUNT(*) FROM cases')
	[ "$cases" -eq "$1" ] || { echo "bench: base $1 has $cases cases" >&2; exit 1; }
	# Long ago: the hourly reply limits count what went out in the last
	# hour, and a store built a minute ago would have sent it all then.
	sql "$d/subgate.db" "UPDATE outbox SET state = 'sent', sent_at = '2000-01-01T00:00:00Z'"
	set -- $($PY "$FIG" sum "$W/fig") "$1"
	echo "store of $5 cases built offline in ${1}s (subgate ingest: $(echo "$5 $1" | awk '{ printf "%.1f", $1 / $2 }') messages/s, peak RSS $(($3 / 1024)) MiB)"
}

for b in 10 200 "$BIG"; do
	build_base "$b"
done

printf '%-8s %6s %14s %10s %12s %12s\n' cases new "ms/message" "RSS MiB" "idle ms" "idle max ms"
for b in 10 200 "$BIG"; do
	: >"$W/per"
	: >"$W/idle"
	r=1
	while [ $r -le "$ROUNDS" ]; do
		d=$W/run
		rm -rf "$d"
		cp -a "$W/base-$b" "$d"
		sed "s|$W/base-$b|$d|" "$W/base-$b.conf" >"$d.conf"
		sync
		rm -f "$W/fig"
		subgate_until_done "$W/fig" "$d.conf" $((b + NEW)) ||
			exit 1
		set -- $($PY "$FIG" sum "$W/fig")
		echo "$1 $3" >>"$W/per"
		i=0
		while [ $i -lt "$IDLE_RUNS" ]; do
			rm -f "$W/fig"
			timed "$W/fig" "$SUBGATE" once -c "$d.conf" || true
			set -- $($PY "$FIG" sum "$W/fig")
			echo "$1" >>"$W/idle"
			i=$((i + 1))
		done
		r=$((r + 1))
	done
	set -- $($PY "$FIG" stats $(cut -d' ' -f1 "$W/per"))
	per_ms=$(echo "$1 $NEW" | awk '{ printf "%.2f", $1 * 1000 / $2 }')
	rss=$(awk '$2 > m { m = $2 } END { print m }' "$W/per")
	set -- $($PY "$FIG" stats $(cat "$W/idle"))
	idle_ms=$(echo "$1" | awk '{ printf "%.0f", $1 * 1000 }')
	idle_max=$(echo "$2" | awk '{ printf "%.0f", $1 * 1000 }')
	printf '%-8s %6s %14s %10s %12s %12s\n' "$b" "$NEW" "$per_ms" $((rss / 1024)) "$idle_ms" "$idle_max"
	eval "per_$b=$per_ms"
done
eval "small=\$per_200 big=\$per_$BIG"
echo "$small $big $BIG" | awk '{
	printf "slope: %+.3f ms per message for every 1,000 more cases (%.2fx from 200 to %d cases)\n",
	    ($2 - $1) / (($3 - 200) / 1000), $2 / $1, $3 }'
echo "(per message: the median wall time of $ROUNDS cycles taking $NEW new messages, divided by $NEW; idle: $IDLE_RUNS cycles per store copy)"
