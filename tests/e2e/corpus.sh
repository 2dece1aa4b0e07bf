# The client corpus (tests/corpus): mail shaped the way 163/126/QQ webmail,
# Foxmail, Outlook, Apple Mail, Gmail and Thunderbird send it, one case per
# message, each ingested offline into a store and database of its own (with
# the messages its expectation says come first) and checked against its
# .expect: outcome and the reason of a refusal, fields, stored attachment
# names, sizes and SHA-256, and what each file was taken for.
# No mail server is needed.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

CORPUS=$TOP/tests/corpus
CAMPAIGNS=$TOP/contrib/campaigns
# Each case's mail is a unit's own (its earlier works come first, and are
# frozen or fill its quota): sent from mailboxes staff confirmed, as far as
# the campaigns that check senders are concerned (tests/e2e/senders.sh).
e2e_write_config --offline "$CAMPAIGNS/fupin2020.campaign" \
    "$CAMPAIGNS/xxqg-shuozhou-2019.campaign" \
    "$CAMPAIGNS/xuexizhixing-2020.campaign" \
    "$(e2e_campaign_any_sender "$CAMPAIGNS/xuexizhixing-2022.campaign")" \
    "$(e2e_campaign_any_sender "$CAMPAIGNS/dangjiao-changzhou-2024.campaign")"

if [ ! -x "$SUBGATE" ]; then
	fail corpus:subgate "$SUBGATE not built"
	exit 0
fi
check corpus:config "$SUBGATE" check-config -c "$WORK/subgate.conf" >/dev/null

# One ingest per line of the plan: a case's "after" messages, then its own,
# into $WORK/cases/<client>/<name>, so no case sees another's results.  The
# arrival comes from each message's Received header unless the case gives
# one.  Cases share nothing, so several run at once (CORPUS_JOBS, 4): the
# time goes mostly into fsync, not the processor.
$PY "$CORPUS/check.py" plan "$CORPUS" >"$WORK/plan" ||
    fail corpus:plan "cannot read the cases in $CORPUS"
export SUBGATE WORK CORPUS
cut -f1 "$WORK/plan" | uniq | xargs -P "${CORPUS_JOBS:-4}" -n 1 sh -c '
	dir=$WORK/cases/$1
	mkdir -p "$dir"
	: >"$dir/results"
	awk -F "\t" -v c="$1" "\$1 == c" "$WORK/plan" >"$dir/plan"
	TAB=$(printf "\t")
	while IFS=$TAB read -r case file campaign arrival; do
		if [ -n "$arrival" ]; then
			set -- --arrival "$arrival"
		else
			set --
		fi
		out=$("$SUBGATE" ingest -c "$WORK/subgate.conf" \
		    --campaign "$campaign" --store "$dir/store" \
		    --database "$dir/subgate.db" --json "$@" "$CORPUS/$file" \
		    2>>"$dir/ingest.log" | head -n 1)
		printf "%s\t%s\t%s\n" "$case" "$file" "$out" >>"$dir/results"
	done <"$dir/plan"
' sh

$PY "$CORPUS/check.py" check "$CORPUS" "$WORK/cases"
for log in "$WORK"/cases/*/*/ingest.log; do
	[ -s "$log" ] || continue
	echo "subgate ingest said, for ${log#"$WORK"/cases/}:" >&2
	sed 's/^/  /' "$log" >&2
done
