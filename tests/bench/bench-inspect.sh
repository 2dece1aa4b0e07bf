#!/bin/sh
# What measuring a large video costs (subgate inspect, the same code the
# daemon's inspecting child runs): bytes read and time for an MP4 of about
# BENCH_INSPECT_BYTES, its moov index at the end (ffmpeg's default) and
# first (+faststart), cold (the file dropped from the page cache) and
# warm.  The file is built here from a 10 s 1080p clip at 20 Mb/s, looped
# with -c copy.  Budget, asserted: under 1 MiB read per layout; times are
# figures only (the machine is shared).
#
#   tests/bench/bench-inspect.sh
# Environment: BENCH_INSPECT_BYTES (default 1073741824, 1 GiB),
# BENCH_INSPECT_ROUNDS (warm rounds, default 5).
set -u
. "$(dirname "$0")/lib.sh"

BYTES=${BENCH_INSPECT_BYTES:-1073741824}
ROUNDS=${BENCH_INSPECT_ROUNDS:-5}
command -v ffmpeg >/dev/null 2>&1 || { echo "bench: no ffmpeg" >&2; exit 1; }
ff() { nice ffmpeg -loglevel error -nostdin -y "$@"; }

ff -f lavfi -i testsrc2=size=1920x1080:rate=25:duration=10 \
    -f lavfi -i sine=frequency=440:sample_rate=48000:duration=10 \
    -c:v libx264 -preset ultrafast -threads 1 -b:v 20M -minrate 20M \
    -maxrate 20M -bufsize 20M -x264-params nal-hrd=cbr:filler=1 \
    -pix_fmt yuv420p -c:a aac -b:a 128k -shortest "$W/seg.mp4" || exit 1
seg=$(stat -c %s "$W/seg.mp4")
loops=$(( (BYTES + seg - 1) / seg - 1 ))
ff -stream_loop "$loops" -i "$W/seg.mp4" -c copy "$W/moov-last.mp4" || exit 1
ff -i "$W/moov-last.mp4" -c copy -movflags +faststart "$W/moov-first.mp4" ||
    exit 1

# drop FILE: out of the page cache, so the next read is the disk's.
drop() {
	$PY -c 'import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
os.fsync(fd)
os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)' "$1"
}
# field JSON NAME: a number from subgate inspect --json's line.
field() {
	$PY -c 'import json, sys
d = json.loads(sys.argv[1])
print(d["media"].get(sys.argv[2], d.get(sys.argv[2])))' "$1" "$2"
}

rc=0
printf '%-11s %12s %12s %10s %10s %14s\n' layout "file MiB" "bytes read" \
    "cold ms" "warm ms" "duration"
for layout in moov-last moov-first; do
	f=$W/$layout.mp4
	drop "$f"
	cold=$("$SUBGATE" inspect --json "$f") || exit 1
	warm=
	for i in $(seq "$ROUNDS"); do
		line=$("$SUBGATE" inspect --json "$f") || exit 1
		warm="$warm $(field "$line" elapsed_ms)"
	done
	median=$(printf '%s\n' $warm | sort -n | sed -n "$(( (ROUNDS + 1) / 2 ))p")
	read_bytes=$(field "$cold" bytes_read)
	printf '%-11s %12d %12d %10d %10d %13ss\n' "$layout" \
	    $(($(stat -c %s "$f") / 1048576)) "$read_bytes" \
	    "$(field "$cold" elapsed_ms)" "$median" \
	    $(($(field "$cold" duration_ms) / 1000))
	if [ "$read_bytes" -ge 1048576 ]; then
		echo "bench: $layout: $read_bytes bytes read, over the 1 MiB budget" >&2
		rc=1
	fi
done
exit $rc
