# Every command answers --help with its usage on standard output and exit
# 0 (no configuration needed), and refuses an unknown option with its
# usage on standard error and exit 64 (parse-subject: 2, as documented,
# so scripts can tell a usage error from a subject that does not match).
TOP=$(cd "$(dirname "$0")/../.." && pwd)
: "${SUBGATE:=$TOP/build/subgate}"
WORK=$(mktemp -d /tmp/subgate-cli.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }

for cmd in once run ingest reprocess check-config parse-subject \
    outbox "outbox list" "outbox show" "outbox send" \
    cases "cases list" "cases show" "cases export" "cases index" \
    "cases accept" "cases reject" stats fsck inspect remind summary \
    links "links list" "links fetch" "links mark"; do
	name=$(echo "$cmd" | tr ' ' '-')
	# The command word(s) unquoted on purpose: "cases list" is two words.
	# shellcheck disable=SC2086
	"$SUBGATE" $cmd --help >"$WORK/out" 2>"$WORK/err"
	rc=$?
	if [ $rc -eq 0 ]; then pass "$name-help-exit-0"; else
		fail "$name-help-exit-0" "exit $rc: $(cat "$WORK/err")"; fi
	# The usage names this very command ("subgate cases list", ...).
	first=${cmd%% *}
	if grep -q '^usage: ' "$WORK/out" &&
	    grep -q "subgate $cmd" "$WORK/out"; then
		pass "$name-help-usage"
	else
		fail "$name-help-usage" "$(head -3 "$WORK/out")"
	fi
	if [ ! -s "$WORK/err" ]; then pass "$name-help-quiet-stderr"; else
		fail "$name-help-quiet-stderr" "$(cat "$WORK/err")"; fi
	# shellcheck disable=SC2086
	"$SUBGATE" $cmd --no-such-option >"$WORK/out" 2>"$WORK/err"
	rc=$?
	want=64
	[ "$first" = parse-subject ] && want=2
	if [ $rc -eq $want ]; then pass "$name-unknown-option-exit-$want"; else
		fail "$name-unknown-option-exit-$want" "exit $rc"; fi
	if grep -q 'usage: ' "$WORK/err"; then pass "$name-unknown-option-usage"
	else fail "$name-unknown-option-usage" "$(cat "$WORK/err")"; fi
done

for h in --help -h help; do
	"$SUBGATE" $h >"$WORK/out" 2>&1
	rc=$?
	if [ $rc -eq 0 ] && grep -q '^usage: subgate COMMAND' "$WORK/out" &&
	    grep -q 'cases list|show|export|index|accept|reject' "$WORK/out"; then
		pass "top-level$h"
	else
		fail "top-level$h" "exit $rc"
	fi
done
"$SUBGATE" >/dev/null 2>&1
rc=$?
if [ $rc -eq 64 ]; then pass no-command-exit-64; else fail no-command-exit-64 "exit $rc"; fi
"$SUBGATE" no-such-command >/dev/null 2>&1
rc=$?
if [ $rc -eq 64 ]; then pass unknown-command-exit-64; else fail unknown-command-exit-64 "exit $rc"; fi
"$SUBGATE" cases no-such-command >/dev/null 2>&1
rc=$?
if [ $rc -eq 64 ]; then pass cases-unknown-command-exit-64; else fail cases-unknown-command-exit-64 "exit $rc"; fi
"$SUBGATE" once >/dev/null 2>"$WORK/err"
rc=$?
if [ $rc -eq 64 ] && grep -q -- '-c CONFIG is required' "$WORK/err"; then
	pass missing-config-exit-64
else
	fail missing-config-exit-64 "exit $rc: $(cat "$WORK/err")"
fi
