# The client corpus (tests/corpus): mail shaped the way 163/126/QQ webmail,
# Foxmail, Outlook, Apple Mail, Gmail and Thunderbird send it, ingested
# offline in the manifest's order into one store and database, and checked
# against tests/corpus/expected.json: outcome, fields, stored attachment
# names, sizes and SHA-256.  No mail server is needed.
. "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

CORPUS=$TOP/tests/corpus
CAMPAIGNS=$TOP/contrib/campaigns
cat >"$WORK/subgate.conf" <<EOC
[subgate]
store = $WORK/store
database = $WORK/subgate.db
campaigns = $CAMPAIGNS/fupin2020.campaign;$CAMPAIGNS/xxqg-shuozhou-2019.campaign;$CAMPAIGNS/xuexizhixing-2020.campaign;$CAMPAIGNS/xuexizhixing-2022.campaign;$CAMPAIGNS/dangjiao-changzhou-2024.campaign
[smtp]
url = smtp://127.0.0.1:9
from = campaign@example.test
from_name = 征集活动组委会
EOC

if [ ! -x "$SUBGATE" ]; then
	fail corpus:subgate "$SUBGATE not built"
	exit 0
fi
check corpus:config "$SUBGATE" check-config -c "$WORK/subgate.conf" >/dev/null

# One ingest per message, as the manifest orders them: later messages
# (a redelivery, a second nomination, a changed version) depend on earlier
# ones.  The arrival comes from each message's Received header unless the
# manifest gives one.
TAB=$(printf '\t')
$PY "$CORPUS/check.py" list "$CORPUS/expected.json" >"$WORK/list" ||
    fail corpus:manifest "cannot read $CORPUS/expected.json"
: >"$WORK/results"
while IFS=$TAB read -r file campaign arrival; do
	if [ -n "$arrival" ]; then
		set -- --arrival "$arrival"
	else
		set --
	fi
	out=$("$SUBGATE" ingest -c "$WORK/subgate.conf" --campaign "$campaign" \
	    --json "$@" "$CORPUS/$file" 2>>"$WORK/ingest.log" | head -n 1)
	printf '%s\t%s\n' "$file" "$out" >>"$WORK/results"
done <"$WORK/list"

$PY "$CORPUS/check.py" check "$CORPUS/expected.json" "$WORK/results" \
    "$WORK/store"
if grep -q . "$WORK/ingest.log"; then
	echo "subgate ingest said:" >&2
	sed 's/^/  /' "$WORK/ingest.log" >&2
fi
