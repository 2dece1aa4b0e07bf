#!/usr/bin/env python3
"""Run-plan and judge of the client corpus for tests/e2e/corpus.sh.  A case
is <client>/<name>.eml with its expectation beside it in <name>.expect
(see tests/corpus/README); each is ingested into a store and database of
its own.

    check.py plan CORPUS
        one line per ingest, in order: case<TAB>file<TAB>campaign<TAB>arrival
        (a case's "after" messages first, then its own)
    check.py check CORPUS CASES
        each case ran in CASES/<client>/<name>: its store in store/, and
        in results one line per ingest, case<TAB>file<TAB>output of
        subgate ingest --json (empty when subgate printed nothing)

Every check prints "PASS corpus:<client>/<name>:<what>" or "FAIL ...: why",
as tests/run counts them.  The sizes and SHA-256 on disk are recomputed
here, not taken from case.json.  Python 3 standard library only.
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


def find_cases(corpus):
    """{"<client>/<name>": path of its .expect}, every case under CORPUS."""
    cases = {}
    for d in sorted(os.listdir(corpus)):
        full = os.path.join(corpus, d)
        if not os.path.isdir(full):
            continue
        for n in sorted(os.listdir(full)):
            if n.endswith(".expect"):
                cases[d + "/" + n[:-len(".expect")]] = os.path.join(full, n)
    return cases


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def steps(case, expects, seen=()):
    """The cases to ingest for CASE, in order: its "after" cases (and
    theirs) first, then itself."""
    if case in seen:
        raise ValueError("%s comes after itself" % case)
    out = []
    for first in expects[case].get("after", []):
        if first not in expects:
            raise ValueError("%s comes after %s, which is no case" % (case, first))
        out += [s for s in steps(first, expects, seen + (case,)) if s not in out]
    return out + [case]


def load_all(corpus, report=None):
    """Every readable expectation; an unreadable one is a FAIL when a
    report is given, and is left out."""
    expects = {}
    for case, path in find_cases(corpus).items():
        try:
            expects[case] = load(path)
        except (OSError, ValueError) as e:
            if report:
                Report("corpus:" + case).bad("expect", "cannot read %s: %s" % (path, e))
    return expects


def cmd_plan(corpus):
    expects = load_all(corpus)
    for case in expects:
        try:
            order = steps(case, expects)
        except ValueError:
            continue        # check says why
        for step in order:
            e = expects[step]
            print("%s\t%s.eml\t%s\t%s" % (case, step, e.get("campaign", ""),
                                          e.get("arrival", "")))


# Optional per attachment: case.json's reading of the file (its role
# work/companion/other, the [file KIND] it was taken as, its version
# marker, its episode); absent from case.json means null.
PLAN_KEYS = ("role", "kind", "marker", "episode")


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
        # What the file was taken for, when the expectation says: the
        # work, a companion of a declared kind, a version of the work.
        for key in PLAN_KEYS:
            if key in w:
                r.eq(what + ":" + key, g.get(key), w[key])
        # The bytes on disk, under the name case.json gives.
        f = os.path.join(case_dir, g.get("name") or "")
        if not g.get("name") or not os.path.isfile(f):
            r.bad(what + ":file", "no file %s in the case" % f)
            continue
        size, digest = os.path.getsize(f), sha256_file(f)
        r.true(what + ":file", size == w["size"] and digest == w["sha256"],
               "%s on disk: %d bytes sha256 %s, want %d bytes %s" % (
                   g.get("name"), size, digest, w["size"], w["sha256"]))
    # The cloud attachment links registered (none unless the expectation
    # lists them): provider, URL, name, size and expiry.
    got_links = case.get("links") or []
    want_links = m.get("links", [])
    r.eq("links:count", len(got_links), len(want_links))
    for i, w in enumerate(want_links, 1):
        if i > len(got_links):
            r.bad("link%d" % i, "missing (want %s)" % w["url"])
            continue
        for key in ("provider", "url", "name", "size", "expires_at"):
            r.eq("link%d:%s" % (i, key), got_links[i - 1].get(key), w[key])
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


def receipt_of(case_dir):
    try:
        with open(os.path.join(case_dir, "case.json"), encoding="utf-8") as f:
            return json.load(f).get("receipt") or ""
    except (OSError, ValueError):
        return ""


def group_dirs(store, campaign, first_dir):
    """The case folders of a mail of several works: the first (the one
    subgate ingest names) and those of the receipts after it, in receipt
    order; folders of cases filed before it (after=) are left out."""
    first = receipt_of(first_dir)
    dirs = []
    for root, subdirs, files in os.walk(os.path.join(store, campaign)):
        subdirs[:] = [d for d in subdirs if not d.startswith(("_", "."))]
        if "case.json" in files:
            rc = receipt_of(root)
            if rc > first:
                dirs.append((rc, root))
    return [d for _, d in sorted(dirs)]


def judge_more(r, m, case_dir, eml, store):
    """A mail of several works: each case after the first, as the
    expectation's more_cases lists them (fields, attachments), and no
    other."""
    more = m.get("more_cases", [])
    dirs = group_dirs(store, m["campaign"], case_dir)
    r.eq("cases:count", 1 + len(dirs), 1 + len(more))
    for i, (want, d) in enumerate(zip(more, dirs), 2):
        sub = dict(m, fields=want["fields"], attachments=want["attachments"])
        check_case(Report("%s:case%d" % (r.prefix, i)), sub, d, eml)


def judge(r, m, res, eml, store):
    """The checks of one message's outcome against its expectation."""
    r.eq("outcome", res.get("outcome"), m["outcome"])
    if "reason" in m:
        r.true("reason", m["reason"] in (res.get("reason") or ""),
               "reason %s lacks %s" % (
                   json.dumps(res.get("reason"), ensure_ascii=False),
                   json.dumps(m["reason"], ensure_ascii=False)))
    case_dir = res.get("case_dir")
    if m["outcome"] == "accepted":
        if not case_dir or not os.path.isdir(case_dir):
            r.bad("case-dir", "no case folder (%r)" % case_dir)
            return
        r.ok("case-dir")
        check_case(r, m, case_dir, eml)
        if "more_cases" in m:
            judge_more(r, m, case_dir, eml, store)
    else:
        r.true("no-case", case_dir is None and res.get("receipt") is None,
               "a case was made: %s %s" % (res.get("receipt"), case_dir))
        if m["outcome"] in ("rejected", "late", "over-quota", "frozen"):
            r.true("kept-for-staff", kept_unaccepted(store, m["campaign"], eml),
                   "no copy in %s/_unaccepted" % m["campaign"])


def read_results(path):
    """{(case, file): what subgate ingest --json printed}; {} when the
    case never ran."""
    outputs = {}
    if not os.path.isfile(path):
        return outputs
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            case, _, rest = line.rstrip("\n").partition("\t")
            file, _, out = rest.partition("\t")
            outputs[case, file] = out
    return outputs


def cmd_check(corpus, cases_dir):
    expects = load_all(corpus, report=True)
    for case, m in expects.items():
        r = Report("corpus:" + case)
        try:
            order = steps(case, expects)
        except ValueError as e:
            r.bad("after", str(e))
            continue
        need = ["campaign", "outcome"]
        if m.get("outcome") == "accepted":
            need += ["fields", "subject", "from", "from_name", "attachments"]
        missing = [k for k in need if k not in m]
        if missing:
            r.bad("expect", "%s.expect lacks %s" % (case, ", ".join(missing)))
            continue
        store = os.path.join(cases_dir, case, "store")
        outputs = read_results(os.path.join(cases_dir, case, "results"))
        eml = os.path.join(corpus, case + ".eml")
        if not os.path.isfile(eml):
            r.bad("message", "no %s beside %s.expect" % (eml, case))
            continue
        # What this case is judged against came out as its own case says.
        for first in order[:-1]:
            out = outputs.get((case, first + ".eml"), "")
            try:
                got = json.loads(out).get("outcome")
            except (ValueError, AttributeError):
                got = "no answer (%r)" % out
            r.eq("after:" + first, got, expects[first]["outcome"])
        out = outputs.get((case, case + ".eml"), "")
        try:
            res = json.loads(out)
        except ValueError:
            r.bad("outcome", "subgate ingest printed %r" % out)
            continue
        judge(r, m, res, eml, store)
    # Every message in a case folder is a case, and there are cases at
    # all: a corpus that went missing must not pass (other folders, such
    # as unit/, belong to other tests).
    r = Report("corpus")
    folders = {c.split("/")[0] for c in find_cases(corpus)}
    orphans = []
    for d in sorted(folders):
        orphans += [d + "/" + n for n in sorted(os.listdir(os.path.join(corpus, d)))
                    if n.endswith(".eml") and
                    not os.path.isfile(os.path.join(corpus, d, n[:-4] + ".expect"))]
    r.true("cases-complete", expects and not orphans,
           "no cases found in %s" % corpus if not expects else
           "messages without a .expect: %s" % orphans)
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "plan":
        cmd_plan(argv[2])
        return 0
    if len(argv) == 4 and argv[1] == "check":
        return cmd_check(argv[2], argv[3])
    print("usage: check.py plan CORPUS | check CORPUS CASES",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
