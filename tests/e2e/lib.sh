# Shared by the end-to-end tests: a local mail stack, a gateway config on
# it, and PASS/FAIL reporting in the form tests/run counts.
# Source it from a test; it sets TOP, WORK, MS (mailstack env) and SUBGATE.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
: "${SUBGATE:=$TOP/build/subgate}"
MAILSTACK=$TOP/contrib/mailstack/mailstack
SEND=$TOP/contrib/mailstack/send-mail
READ=$TOP/contrib/mailstack/read-mailbox
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
WORK=$(mktemp -d /tmp/subgate-e2e.XXXXXX)
# The mail stack drops privileges: its user must reach the directory.
chmod 755 "$WORK"
# Shipped campaigns name their roster files as units/<id>.tsv beside
# them: a copy of a campaign in $WORK finds them there too.
cp -R "$TOP/contrib/campaigns/units" "$WORK/units"
PW=secret-password

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }
check() {
	# check NAME COMMAND...: PASS when the command succeeds.
	name=$1; shift
	if "$@"; then pass "$name"; else fail "$name" "$*"; fi
}

# Helpers a test started in the background (e2e_fake_imap): stopped by
# e2e_cleanup.
E2E_PIDS=

e2e_cleanup() {
	for pid in $E2E_PIDS; do
		kill "$pid" 2>/dev/null
	done
	"$MAILSTACK" stop "$WORK/stack" >/dev/null 2>&1 || true
	if [ "${KEEP_WORK:-0}" = 1 ]; then
		echo "work directory kept: $WORK" >&2
	else
		rm -rf "$WORK"
	fi
}

# Starts the stack and creates the campaign mailbox and the given users.
e2e_start_stack() {
	"$MAILSTACK" start "$WORK/stack" >/dev/null || return 1
	. "$WORK/stack/env"
	for u in campaign@example.test "$@"; do
		"$MAILSTACK" adduser "$WORK/stack" "$u" "$PW" || return 1
	done
	printf '%s\n' "$PW" >"$WORK/imap.pass"
	chmod 600 "$WORK/imap.pass"
}

# e2e_write_config [OPTION...] CAMPAIGN...: writes the gateway's
# configuration for the given campaign files.  By default: $WORK/subgate.conf,
# the store and database in $WORK, IMAP and SMTP on the local mail stack as
# campaign@example.test.  Options, applied in the order given:
#   -o FILE       write FILE instead
#   -d DIR        the store (DIR/store) and database (DIR/subgate.db) in DIR
#   --offline     no [imap] section and no poll interval; replies are queued
#                 for smtp://127.0.0.1:9, where nothing listens (for
#                 `subgate ingest` and the staff commands, which reach no
#                 server)
#   -s SECTION.KEY=VALUE   set a key: replaces the default, or is added to
#                 its section (the section added when missing)
#   -u SECTION.KEY, -u SECTION   leave a key, or a whole section, out
# Each test writes its configuration through here, so one change to the
# format reaches them all.
e2e_write_config() {
	_wc_conf=$WORK/subgate.conf
	_wc_dir=$WORK
	_wc_edits=$(mktemp "$WORK/config-edits.XXXXXX") || return 1
	while [ $# -gt 0 ]; do
		case $1 in
		-o)	_wc_conf=$2; shift 2 ;;
		-d)	_wc_dir=$2; shift 2 ;;
		--offline)
			printf 'u\timap\t\nu\tsubgate\tpoll_interval\n' >>"$_wc_edits"
			printf 's\tsmtp\turl\tsmtp://127.0.0.1:9\n' >>"$_wc_edits"
			shift ;;
		-s)	_wc_key=${2%%=*}
			printf 's\t%s\t%s\t%s\n' "${_wc_key%%.*}" "${_wc_key#*.}" \
			    "${2#*=}" >>"$_wc_edits"
			shift 2 ;;
		-u)	case $2 in
			*.*) printf 'u\t%s\t%s\n' "${2%%.*}" "${2#*.}" ;;
			*) printf 'u\t%s\t\n' "$2" ;;
			esac >>"$_wc_edits"
			shift 2 ;;
		--)	shift; break ;;
		-*)	echo "e2e_write_config: unknown option $1" >&2
			rm -f "$_wc_edits"
			return 1 ;;
		*)	break ;;
		esac
	done
	campaigns=$(printf '%s;' "$@")
	# The defaults, then the edits; GKeyFile does not care about order.
	awk -F '\t' '
	function section(s) {
		if (!(s in nkeys)) { order[++nsec] = s; nkeys[s] = 0 }
		gone[s] = 0
	}
	function set(s, k, v) {
		section(s)
		if (!((s, k) in value)) keys[s, ++nkeys[s]] = k
		value[s, k] = v
	}
	function unset(s, k,   i) {
		if (k != "") { delete value[s, k]; return }
		gone[s] = 1
		for (i = 1; i <= nkeys[s]; i++) delete value[s, keys[s, i]]
	}
	FILENAME == ARGV[1] { edit[++nedit] = $0; next }
	/^\[.*\]$/ { cur = substr($0, 2, length($0) - 2); section(cur); next }
	/=/ {
		k = $0; sub(/ *=.*/, "", k)
		v = $0; sub(/^[^=]*= */, "", v)
		set(cur, k, v)
	}
	END {
		for (i = 1; i <= nedit; i++) {
			n = split(edit[i], f, "\t")
			if (f[1] == "s") {
				v = edit[i]; sub(/^s\t[^\t]*\t[^\t]*\t/, "", v)
				set(f[2], f[3], v)
			} else
				unset(f[2], f[3])
		}
		first = 1
		for (i = 1; i <= nsec; i++) {
			s = order[i]
			if (gone[s]) continue
			if (!first) print ""
			first = 0
			print "[" s "]"
			for (j = 1; j <= nkeys[s]; j++) {
				k = keys[s, j]
				if (((s, k) in value) && !((s, k) in done)) {
					print k " = " value[s, k]
					done[s, k] = 1
				}
			}
		}
	}' "$_wc_edits" - >"$_wc_conf" <<EOC
[subgate]
store = $_wc_dir/store
database = $_wc_dir/subgate.db
poll_interval = 5
campaigns = $campaigns

[imap]
host = 127.0.0.1
port = $MAILSTACK_IMAP_PORT
tls = plain
user = campaign@example.test
password_file = $WORK/imap.pass

[smtp]
url = smtp://127.0.0.1:$MAILSTACK_SMTP_PORT
from = campaign@example.test
from_name = 征集活动组委会
EOC
	_wc_rc=$?
	rm -f "$_wc_edits"
	return $_wc_rc
}

# e2e_fake_imap NAME [fake-imap.py options...]: starts tests/e2e/fake-imap.py
# in the background (stopped by e2e_cleanup), its port in $WORK/NAME.port
# and in FAKE_IMAP_PORT.  Fails when it did not come up within 10 s.
e2e_fake_imap() {
	_fi_name=$1; shift
	$PY "$TOP/tests/e2e/fake-imap.py" --port-file "$WORK/$_fi_name.port" \
	    "$@" 2>"$WORK/$_fi_name.stderr" &
	E2E_PIDS="$E2E_PIDS $!"
	_fi_n=0
	while [ ! -s "$WORK/$_fi_name.port" ] && [ $_fi_n -lt 100 ]; do
		sleep 0.1
		_fi_n=$((_fi_n + 1))
	done
	FAKE_IMAP_PORT=$(cat "$WORK/$_fi_name.port" 2>/dev/null)
	if [ -z "$FAKE_IMAP_PORT" ]; then
		fail "$_fi_name-start" "fake-imap.py: $(cat "$WORK/$_fi_name.stderr")"
		return 1
	fi
}

# lacks FILE GREP-OPTIONS... PATTERN: FILE exists, is not empty, and has
# no line matching.  For "never happened" checks: a log that is missing or
# empty has not shown that anything was looked at.
lacks() {
	_l_file=$1; shift
	test -s "$_l_file" && ! grep -q "$@" "$_l_file"
}

# none_under DIR NAME: DIR exists and holds no file called NAME (looking
# for cases in a store that is not there proves nothing).
none_under() {
	test -d "$1" && test -z "$(find "$1" -name "$2")"
}

# outbox_count CONFIG [outbox list options...]: how many replies `subgate
# outbox list` shows; nothing at all when it fails, so that a comparison
# with 0 cannot pass on a command that did not run.
outbox_count() {
	_oc_conf=$1; shift
	_oc_out=$("$SUBGATE" outbox list -c "$_oc_conf" --json "$@") || return 1
	printf '%s\n' "$_oc_out" | grep -c '"id"'
}

# send_mail FROM SUBJECT [send-mail options...]
send_mail() {
	from=$1; subject=$2; shift 2
	$PY "$SEND" --port "$MAILSTACK_SMTP_PORT" --from "$from" \
	    --to campaign@example.test --subject "$subject" "$@" >/dev/null
}

# read_mailbox USER [read-mailbox options...]: JSON lines on stdout
read_mailbox() {
	user=$1; shift
	$PY "$READ" --port "$MAILSTACK_IMAP_PORT" --user "$user" \
	    --password "$PW" "$@"
}

# mailbox_count USER
mailbox_count() {
	read_mailbox "$1" --count --timeout 0
}

# wait_mail USER N: succeeds once USER's INBOX holds N messages (30 s at most)
wait_mail() {
	read_mailbox "$1" --wait-for "$2" --count >/dev/null
}

# e2e_campaign_any_sender SRC: a copy of a shipped campaign file (same id)
# that takes a unit's works from any sender (sender_check = off), printed
# as a path: for the tests of other rules, whose made-up senders no staff
# member has confirmed.  With its window open now when given -o.
e2e_campaign_any_sender() {
	_as_open=
	if [ "$1" = -o ]; then _as_open=1; shift; fi
	_as_dst="$WORK/any-sender-$(basename "$1")"
	sed -e 's/^sender_check *=.*/sender_check = off/' "$1" >"$_as_dst"
	if [ -n "$_as_open" ]; then
		sed -i -e 's/^opens *=.*/opens = 2000-01-01 00:00/' \
		    -e 's/^closes *=.*/closes = 2099-12-31 23:59:59/' "$_as_dst"
	fi
	echo "$_as_dst"
}

# e2e_campaign_open SRC: a copy of a shipped campaign file whose window is
# open now (the real notices' windows are long past), printed as a path.
e2e_campaign_open() {
	dst="$WORK/$(basename "$1")"
	sed -e 's/^opens *=.*/opens = 2000-01-01 00:00/' \
	    -e 's/^closes *=.*/closes = 2099-12-31 23:59:59/' "$1" >"$dst"
	echo "$dst"
}

# e2e_fixture KIND [KEY=VALUE...]: the path of a real file of KIND (mp4,
# mov, mp3, jpg, png, docx, xlsx, doc, pdf, txt), real by content as
# subgate judges attachments: made by tests/tools/fixtures.py (ffmpeg for
# media, documents written there) once per shape and test run, in
# $TESTBIN/fixtures.  KEY=VALUE: the shape (size=1280x720, duration=3,
# audio=no ...), variant=TEXT (other bytes, the same kind of file) and
# pad=BYTES (at least that big).  The default mp4 is 1080p, 25 fps, 2 s,
# with sound, about 40 KB.  Says FAIL on stderr and fails when the file
# cannot be made (no ffmpeg), so that no suite runs on without its works.
e2e_fixture() {
	$PY "$TOP/tests/tools/fixtures.py" "$@" || {
		echo "FAIL fixture:$1: tests/tools/fixtures.py $* failed" >&2
		return 1
	}
}

# e2e_attach VARIANT NAME [KEY=VALUE...]: "PATH=NAME" for send-mail's
# --attach: a real file of the kind NAME's extension says (e2e_fixture),
# whose bytes are VARIANT's own: one VARIANT under two names is one file
# twice, two VARIANTs are two files.
e2e_attach() {
	_ea_kind=$(printf '%s' "${2##*.}" | tr 'A-Z' 'a-z')
	case $_ea_kind in
	jpeg) _ea_kind=jpg ;;
	wps) _ea_kind=doc ;;
	esac
	_ea_variant=$1 _ea_name=$2
	shift 2
	_ea_path=$(e2e_fixture "$_ea_kind" "variant=$_ea_variant" "$@") ||
	    return 1
	printf '%s=%s' "$_ea_path" "$_ea_name"
}
