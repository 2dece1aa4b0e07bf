#!/usr/bin/env python3
"""Compare what `subgate ingest --json` made of the client corpus with
tests/corpus/expected.json.  Used by tests/e2e/corpus.sh:

    check.py list EXPECTED              file<TAB>campaign<TAB>arrival, in order
    check.py check EXPECTED RESULTS STORE

RESULTS holds one line per message, file<TAB>output of subgate ingest
--json (empty when subgate printed nothing).  Every check prints
"PASS corpus:<client>/<name>:<what>" or "FAIL ...: why", as tests/run
counts them.  The sizes and SHA-256 on disk are recomputed here, not taken
from case.json.  Python 3 standard library only.
"""
import hashlib
import json
import os
import sys
import unicodedata

CORPUS = os.path.dirname(os.path.abspath(__file__))


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(65536), b""):
            h.update(chunk)
    return h.hexdigest()


class Report:
    def __init__(self, prefix):
        self.prefix = prefix

    def ok(self, what):
        print("PASS %s:%s" % (self.prefix, what))

    def bad(self, what, why):
        print("FAIL %s:%s: %s" % (self.prefix, what, why))

    def eq(self, what, got, want):
        if got == want:
            self.ok(what)
        else:
            self.bad(what, "got %s, want %s" % (
                json.dumps(got, ensure_ascii=False),
                json.dumps(want, ensure_ascii=False)))

    def true(self, what, cond, why):
        if cond:
            self.ok(what)
        else:
            self.bad(what, why)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)["messages"]


def cmd_list(expected):
    for m in load(expected):
        print("%s\t%s\t%s" % (m["file"], m["campaign"], m.get("arrival", "")))


def nfc(s):
    return unicodedata.normalize("NFC", s) if isinstance(s, str) else s


def check_case(r, m, case_dir, eml):
    path = os.path.join(case_dir, "case.json")
    try:
        with open(path, encoding="utf-8") as f:
            case = json.load(f)
    except (OSError, ValueError) as e:
        r.bad("case.json", "cannot read %s: %s" % (path, e))
        return
    r.ok("case.json")
    r.eq("campaign", case.get("campaign"), m["campaign"])
    got_fields = case.get("fields") or {}
    for name, want in m["fields"].items():
        r.eq("field:" + name, got_fields.get(name), want)
    extra = sorted(set(got_fields) - set(m["fields"]))
    r.true("fields:no-others", not extra, "unexpected fields %s" % extra)
    r.eq("subject", case.get("subject"), m["subject"])
    r.eq("from", case.get("from"), m["from"])
    r.eq("from-name", case.get("from_name"), m["from_name"])
    orig = os.path.join(case_dir, "original.eml")
    r.true("original.eml", os.path.isfile(orig) and
           sha256_file(orig) == sha256_file(eml),
           "%s is missing or differs from the message" % orig)
    got = case.get("attachments") or []
    want = m["attachments"]
    r.eq("attachments:count", len(got), len(want))
    for i, w in enumerate(want, 1):
        what = "attachment%d" % i
        if i > len(got):
            r.bad(what, "missing (want %s)" % w["name"])
            continue
        g = got[i - 1]
        r.eq(what + ":name", g.get("name"), w["name"])
        if m.get("nfd_original"):
            # Sent decomposed; either form is the same name.
            r.eq(what + ":original-name", nfc(g.get("original_name")),
                 w["original_name"])
        else:
            r.eq(what + ":original-name", g.get("original_name"),
                 w["original_name"])
        r.eq(what + ":size", g.get("size"), w["size"])
        r.eq(what + ":sha256", g.get("sha256"), w["sha256"])
        # The bytes on disk, under the name case.json gives.
        f = os.path.join(case_dir, g.get("name") or "")
        if not g.get("name") or not os.path.isfile(f):
            r.bad(what + ":file", "no file %s in the case" % f)
            continue
        size, digest = os.path.getsize(f), sha256_file(f)
        r.true(what + ":file", size == w["size"] and digest == w["sha256"],
               "%s on disk: %d bytes sha256 %s, want %d bytes %s" % (
                   g.get("name"), size, digest, w["size"], w["sha256"]))
    # Nothing but the message, case.json and the attachments (nothing lost
    # and nothing stored twice).
    names = set(os.listdir(case_dir))
    expect = {"original.eml", "case.json"} | {w["name"] for w in want}
    r.true("case-files", names == expect,
           "case folder holds %s, want %s" % (
               json.dumps(sorted(names), ensure_ascii=False),
               json.dumps(sorted(expect), ensure_ascii=False)))


def kept_unaccepted(store, campaign, eml):
    d = os.path.join(store, campaign, "_unaccepted")
    if not os.path.isdir(d):
        return False
    want = sha256_file(eml)
    return any(sha256_file(os.path.join(d, n)) == want for n in os.listdir(d))


def cmd_check(expected, results, store):
    outputs = {}
    with open(results, encoding="utf-8", errors="replace") as f:
        for line in f:
            file, _, out = line.rstrip("\n").partition("\t")
            outputs[file] = out
    msgs = load(expected)
    listed = set()
    for m in msgs:
        listed.add(m["file"])
        r = Report("corpus:%s/%s" % (m["client"], m["name"]))
        eml = os.path.join(CORPUS, m["file"])
        out = outputs.get(m["file"], "")
        try:
            res = json.loads(out)
        except ValueError:
            r.bad("outcome", "subgate ingest printed %r" % out)
            continue
        r.eq("outcome", res.get("outcome"), m["outcome"])
        case_dir = res.get("case_dir")
        if m["outcome"] == "accepted":
            if not case_dir or not os.path.isdir(case_dir):
                r.bad("case-dir", "no case folder (%r)" % case_dir)
                continue
            r.ok("case-dir")
            check_case(r, m, case_dir, eml)
        else:
            r.true("no-case", case_dir is None and res.get("receipt") is None,
                   "a case was made: %s %s" % (res.get("receipt"), case_dir))
            if m["outcome"] in ("rejected", "late", "over-quota", "frozen"):
                r.true("kept-for-staff", kept_unaccepted(store, m["campaign"], eml),
                       "no copy in %s/_unaccepted" % m["campaign"])
    # Every message in the client folders is in the manifest (other
    # folders, such as unit/, belong to other tests).
    r = Report("corpus")
    on_disk = set()
    for d in sorted({m["client"] for m in msgs}):
        full = os.path.join(CORPUS, d)
        if os.path.isdir(full):
            on_disk |= {d + "/" + n for n in os.listdir(full)
                        if n.endswith(".eml")}
    r.true("manifest-complete", on_disk == listed,
           "not in the manifest: %s; missing files: %s" % (
               sorted(on_disk - listed), sorted(listed - on_disk)))
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "list":
        cmd_list(argv[2])
        return 0
    if len(argv) == 5 and argv[1] == "check":
        return cmd_check(argv[2], argv[3], argv[4])
    print("usage: check.py list EXPECTED | check EXPECTED RESULTS STORE",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
