# The hostile corpus (tests/corpus/hostile): mail built to break a MIME
# parser, the small messages as committed and the big ones (a million
# parts, a million header fields, a 50 MiB header line, 30 MiB preambles,
# a 40 MiB forged bounce, two 60 MB winmail.dat) generated here by
# make-hostile.py --big.  Each is ingested offline into a store and
# database of its own and checked against its .expect like the client
# corpus (outcome, reason, fields, stored files), and its peak resident
# memory, as the kernel counted it for that one `subgate ingest`, must
# stay under the ceiling: hostile:<case>:memory.
#
# Ceiling: 40 MiB (HOSTILE_RSS_MIB to change it).  Measured (x86-64, -O2,
# 77 cases): every case between 15 and 21 MiB, the highest
# big/digest-split-header (20.4 MiB) and mime/attachments-499 (19.8 MiB).
# Before the parts, headers and preambles were counted ahead of GMime,
# winmail.dat streamed and bounces read only so far, the same cases
# peaked at 1367 MiB (big/million-parts), 489 MiB (big/million-fields),
# 187 MiB (big/tnef-2x60m), 165 MiB (big/header-50m), 154 MiB
# (big/digest-split-header), 75 MiB (the 30 MiB preambles) and 55 MiB
# (big/dsn-40m).
# No mail server is needed.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

HOSTILE=$TOP/tests/corpus/hostile
BIG=$WORK/hostile-big
CEILING=$(( ${HOSTILE_RSS_MIB:-40} * 1024 ))
CAMPAIGNS=$TOP/contrib/campaigns
# The corpus is about the MIME parser and its limits: what an attachment
# decodes to ("raw" under an unknown transfer encoding, 499 one-byte
# files, a winmail.dat's payload) is compared byte for byte, and the
# campaign's content = rules, which would refuse such bytes as 图片类
# works, are content.sh's to test.
sed -e '/^content[.=[:space:]]/d' "$CAMPAIGNS/fupin2020.campaign" \
    >"$WORK/fupin2020.campaign"
e2e_write_config --offline "$WORK/fupin2020.campaign"

if [ ! -x "$SUBGATE" ]; then
	fail hostile:subgate "$SUBGATE not built"
	exit 0
fi
if ! $PY "$HOSTILE/make-hostile.py" --big "$BIG"; then
	fail hostile:generate "make-hostile.py --big failed"
	exit 0
fi

# One ingest per case, under peak-rss.py; two at a time (the big ones are
# mostly reading and writing files).
export SUBGATE WORK PY TOP
for root in "$HOSTILE" "$BIG"; do
	cases=$WORK/cases-$(basename "$root")
	mkdir -p "$cases"
	$PY "$TOP/tests/corpus/check.py" plan "$root" >"$cases/plan" ||
	    fail hostile:plan "cannot read the cases in $root"
	export root cases
	cut -f1 "$cases/plan" | uniq | xargs -P 2 -n 1 sh -c '
		dir=$cases/$1
		mkdir -p "$dir"
		: >"$dir/results"
		TAB=$(printf "\t")
		awk -F "\t" -v c="$1" "\$1 == c" "$cases/plan" |
		while IFS=$TAB read -r case file campaign arrival; do
			out=$($PY "$TOP/tests/e2e/peak-rss.py" "$dir/rss" \
			    "$SUBGATE" ingest -c "$WORK/subgate.conf" \
			    --campaign "$campaign" --store "$dir/store" \
			    --database "$dir/subgate.db" --json "$root/$file" \
			    2>>"$dir/ingest.log" | head -n 1)
			printf "%s\t%s\t%s\n" "$case" "$file" "$out" >>"$dir/results"
		done
	' sh
	$PY "$TOP/tests/corpus/check.py" check "$root" "$cases" |
	    sed 's/^\(PASS\|FAIL\) corpus:/\1 hostile:/'
	for rss in "$cases"/*/*/rss; do
		[ -f "$rss" ] || continue
		case=${rss#"$cases"/}
		case=${case%/rss}
		kib=$(cat "$rss")
		if [ "$kib" -le "$CEILING" ]; then
			pass "hostile:$case:memory ($((kib / 1024)) MiB)"
		else
			fail "hostile:$case:memory" "peak $((kib / 1024)) MiB, ceiling $((CEILING / 1024)) MiB"
		fi
	done
done
# The peaks, for the record (tests/run shows them when a check fails).
for rss in "$WORK"/cases-*/*/*/rss; do
	printf '%s %s KiB\n' "${rss#"$WORK"/cases-}" "$(cat "$rss")"
done | sort -k2 -n | tail -n 5 >&2
