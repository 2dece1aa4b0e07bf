# Soak: a mailbox of mixed mail taken in by `subgate run` while it is
# killed with SIGKILL at random moments, its replies going out through a
# relay that is slow to confirm each message (the window in which a kill
# sends a reply twice), restarted until everything is done.  At the end:
# `subgate fsck` finds nothing, every message has exactly one outcome and
# the one it should, every accepted message exactly one case, and every
# reply that should go was delivered, more than once only within the
# window README documents.
#
# Short in `make check` (SOAK_MESSAGES=40, SOAK_KILLS=10); `make soak` runs
# the long one (200 messages, 60 kills).  SOAK_DELAY: the relay's pause
# before confirming a message, in seconds.
. "$(dirname "$0")/lib.sh"
RELAY_PID= RUN_PID=
trap '[ -n "$RUN_PID" ] && kill -9 "$RUN_PID" 2>/dev/null
      [ -n "$RELAY_PID" ] && kill "$RELAY_PID" 2>/dev/null; e2e_cleanup' EXIT

MESSAGES=${SOAK_MESSAGES:-40}
KILLS=${SOAK_KILLS:-10}
DELAY=${SOAK_DELAY:-0.3}
SENDERS=10
users=""
i=0
while [ $i -lt $SENDERS ]; do users="$users s$i@example.test"; i=$((i + 1)); done
# shellcheck disable=SC2086
if ! e2e_start_stack $users; then
	fail mailstack-start "the local mail stack did not start"
	exit 1
fi
$PY "$TOP/tests/e2e/slow-relay.py" --target "127.0.0.1:$MAILSTACK_SMTP_PORT" \
    --delay "$DELAY" --port-file "$WORK/relay.port" 2>"$WORK/relay.log" &
RELAY_PID=$!
n=0
while [ ! -s "$WORK/relay.port" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
CAMPAIGN=$(e2e_campaign_open "$TOP/contrib/campaigns/fupin2020.campaign")
# No hourly limits: every reply is due at once, so any reply missing at
# the end is lost, not held.
e2e_write_config -s "smtp.url=smtp://127.0.0.1:$(cat "$WORK/relay.port")" \
    -s smtp.rate_per_recipient_hour=0 -s smtp.rate_global_minute=0 \
    -s smtp.rate_per_domain_hour=0 -s smtp.rate_refusals_hour=0 \
    -s subgate.poll_interval=2 "$CAMPAIGN"
CONF=$WORK/subgate.conf

$PY "$TOP/tests/e2e/soak-mail.py" --port "$MAILSTACK_SMTP_PORT" \
    --to campaign@example.test --count "$MESSAGES" --senders "$SENDERS" \
    --manifest "$WORK/manifest.tsv"
check soak-mail-delivered wait_mail campaign@example.test "$MESSAGES"

# Kill `run` at random moments: during intake, during sending, idle.
kills=0
while [ $kills -lt "$KILLS" ]; do
	"$SUBGATE" run -c "$CONF" >>"$WORK/run.log" 2>&1 &
	RUN_PID=$!
	# 0.2 to 3 s: long enough to make progress, short enough to land
	# in the middle of things.
	sleep "$(awk -v s="$kills" 'BEGIN { srand(s + 7); printf "%.2f", 0.2 + rand() * 2.8 }')"
	kill -9 "$RUN_PID" 2>/dev/null && kills=$((kills + 1))
	wait "$RUN_PID" 2>/dev/null
	RUN_PID=
done

# Then one run to the end: every message recorded, no reply left to send.
"$SUBGATE" run -c "$CONF" >>"$WORK/run.log" 2>&1 &
RUN_PID=$!
n=0
while [ $n -lt 600 ]; do
	done_msgs=$(sqlite3 "$WORK/subgate.db" 'SELECT COUNT(*) FROM messages' 2>/dev/null)
	pending=$(sqlite3 "$WORK/subgate.db" "SELECT COUNT(*) FROM outbox \
	    WHERE state NOT IN ('sent', 'failed', 'bounced')" 2>/dev/null)
	[ "${done_msgs:-0}" -ge "$MESSAGES" ] && [ "${pending:-1}" -eq 0 ] && break
	sleep 0.5
	n=$((n + 1))
done
kill -TERM "$RUN_PID" 2>/dev/null
wait "$RUN_PID" 2>/dev/null
RUN_PID=
check soak-finished test "$n" -lt 600

"$SUBGATE" fsck -c "$CONF" >"$WORK/fsck.out" 2>&1
check soak-fsck-clean test $? -eq 0
i=0
while [ $i -lt $SENDERS ]; do
	read_mailbox "s$i@example.test" --timeout 0 >>"$WORK/replies.json"
	i=$((i + 1))
done

$PY - "$WORK/manifest.tsv" "$WORK/subgate.db" "$WORK/replies.json" \
    "$WORK/store" "$kills" <<'PYEOF'
import collections, json, os, sqlite3, sys
manifest, dbpath, replies, store, kills = sys.argv[1:6]
kills = int(kills)
def ok(name, cond, why=""):
    print(("PASS " if cond else "FAIL ") + name + ("" if cond else ": " + str(why)))
rows = [l.rstrip("\n").split("\t") for l in open(manifest, encoding="utf-8")]
db = sqlite3.connect(dbpath)
msgs = db.execute("SELECT message_id, sender, outcome, reason, receipt, uid"
                  " FROM messages ORDER BY uid").fetchall()
ok("soak-one-row-per-message", len(msgs) == len(rows) and
   len({m[5] for m in msgs}) == len(rows), (len(msgs), len(rows)))
# The server delivers in its own order: outcomes are matched by
# Message-ID (a mail sent twice has one accepted and one duplicate).  Mail
# killed three times in a row is quarantined as failed (said so in its
# reason); anything else must have the outcome its kind gives.
want, got = collections.defaultdict(collections.Counter), collections.defaultdict(collections.Counter)
killed = collections.Counter()
for mid, sender, expect in rows:
    want[mid][expect] += 1
for m in msgs:
    if m[2] == "failed" and "ended the process" in (m[3] or ""):
        killed[m[0]] += 1
    else:
        got[m[0]][m[2]] += 1
quarantined = sum(killed.values())
wrong = [(k, dict(w), dict(got[k])) for k, w in want.items()
         if got[k] - w or sum((w - got[k]).values()) != killed[k]]
ok("soak-outcomes", not wrong, wrong[:5])
accepted = [m for m in msgs if m[2] == "accepted"]
cases = db.execute("SELECT receipt, dir FROM cases").fetchall()
ok("soak-one-case-per-accepted", len(cases) == len(accepted) and
   sorted(c[0] for c in cases) == sorted(m[4] for m in accepted),
   (len(cases), len(accepted)))
ok("soak-case-folders", all(os.path.isfile(os.path.join(store, c[1], "case.json"))
                            for c in cases))
out = db.execute("SELECT kind, recipient, reply_message_id, state FROM outbox").fetchall()
ok("soak-all-replies-sent", all(o[3] == "sent" for o in out),
   collections.Counter(o[3] for o in out))
expect_kinds = collections.Counter()
for m in msgs:
    if m[2] == "accepted":
        expect_kinds["receipt"] += 1
    elif m[2] == "rejected":
        expect_kinds["correction"] += 1
got_kinds = collections.Counter(o[0] for o in out)
ok("soak-replies-as-outcomes", got_kinds == expect_kinds, (got_kinds, expect_kinds))
seen = collections.Counter()
for line in open(replies, encoding="utf-8"):
    if line.strip():
        seen[json.loads(line)["message_id"].strip("<> ")] += 1
missing = [o for o in out if seen[o[2]] == 0]
twice = sum(seen[o[2]] - 1 for o in out if seen[o[2]] > 1)
ok("soak-every-reply-delivered", not missing, missing[:5])
# A kill between the relay's final OK and the `sent` commit sends the
# reply again, with the same Message-ID: at most once per kill.
ok("soak-twice-only-in-window", twice <= kills, (twice, kills))
print("# soak: %d messages (%d accepted, %d quarantined after kills), %d kills, "
      "%d replies, %d delivered twice (same Message-ID)" %
      (len(rows), len(accepted), quarantined, kills, len(out), twice))
PYEOF
