#!/usr/bin/env python3
"""Receipt latency on the local mail stack, for bench-latency.sh.

    latency.py stamp OUT
        copy stdin to OUT line by line, each prefixed with the time it
        arrived (seconds since the epoch): subgate logs a line the moment
        a message is committed, so its arrival is the commit time.
    latency.py wait MAILROOT COUNT TIMEOUT
        wait until the Maildirs under MAILROOT (one per recipient) hold
        COUNT replies in all; exit 1 after TIMEOUT seconds.
    latency.py batch LOG DATABASE MAILROOT
        per message: from its commit (its "UID n: accepted" line in LOG,
        the UID's Message-ID from DATABASE) to the arrival of the reply
        that answers it (In-Reply-To; the time Dovecot wrote the file);
        prints "median max count first-commit-to-last-receipt" in seconds.
    latency.py idle PORT MAILROOT TIMES
        send one well-named submission over SMTP, time until its receipt
        is in the sender's Maildir; TIMES times, one after the other;
        prints the latencies in seconds.
"""
import email
import email.policy
import glob
import os
import re
import smtplib
import sqlite3
import statistics
import sys
import time
from email.header import Header


def maildir_files(box):
    return glob.glob(os.path.join(box, "new", "*")) + \
        glob.glob(os.path.join(box, "cur", "*"))


def replies(root):
    """Mail in the Maildirs under root, the campaign's own left out."""
    return [p for box in glob.glob(os.path.join(root, "*"))
            if os.path.basename(box) != "campaign@example.test"
            for p in maildir_files(box)]


def cmd_stamp(out):
    with open(out, "w") as f:
        for line in sys.stdin:
            f.write("%.6f %s" % (time.time(), line))
            f.flush()


def cmd_wait(root, count, timeout):
    deadline = time.monotonic() + float(timeout)
    while len(replies(root)) < int(count):
        if time.monotonic() > deadline:
            print("latency: %d of %s replies after %ss" % (
                len(replies(root)), count, timeout), file=sys.stderr)
            return 1
        time.sleep(0.1)
    return 0


def in_reply_to(path):
    with open(path, "rb") as f:
        head = f.read(65536).split(b"\n\n", 1)[0]
    m = email.message_from_bytes(head + b"\n\n", policy=email.policy.default)
    return str(m.get("In-Reply-To", "")).strip()


def cmd_batch(log, database, root):
    committed = {}
    with open(log) as f:
        for line in f:
            m = re.search(r"UID (\d+): accepted", line)
            if m:
                committed[int(m.group(1))] = float(line.split()[0])
    db = sqlite3.connect(database)
    msgid = {uid: "<%s>" % mid.strip("<>") for uid, mid in
             db.execute("SELECT uid, message_id FROM messages")}
    arrived = {}
    for path in replies(root):
        arrived[in_reply_to(path)] = os.stat(path).st_mtime
    lat = [arrived[msgid[uid]] - t for uid, t in committed.items()
           if msgid.get(uid) in arrived]
    if not lat:
        print("latency: no receipt matched a commit", file=sys.stderr)
        return 1
    span = max(arrived.values()) - min(committed.values())
    print("%.3f %.3f %d %.3f" % (statistics.median(lat), max(lat), len(lat), span))
    return 0


def cmd_idle(port, root, times):
    out = []
    for k in range(int(times)):
        sender = "idle%d@example.test" % k
        box = os.path.join(root, sender)
        # The article rides as a .docx: a mail without a work file is
        # answered with a correction, not the receipt timed here.
        msg = ("From: %s\r\nTo: campaign@example.test\r\nSubject: %s\r\n"
               "Message-ID: <idle-%d-%d@example.test>\r\n"
               "Date: Sat, 01 Aug 2020 10:00:00 +0800\r\n"
               "MIME-Version: 1.0\r\n"
               "Content-Type: multipart/mixed; boundary=\"idle\"\r\n"
               "\r\n--idle\r\nContent-Type: text/plain; charset=utf-8\r\n"
               "\r\n投稿。\r\n--idle\r\n"
               "Content-Type: application/octet-stream\r\n"
               "Content-Disposition: attachment; filename=\"dengdai%d.docx\"\r\n"
               "\r\nwork\r\n--idle--\r\n"
               % (sender, Header("扶贫征集-自荐-文字类-等待%d" % k, "utf-8").encode(),
                  k, os.getpid(), k)).encode()
        t0 = time.time()
        with smtplib.SMTP("127.0.0.1", int(port), local_hostname="localhost",
                          timeout=60) as s:
            s.sendmail(sender, ["campaign@example.test"], msg)
        deadline = time.monotonic() + 120
        while not maildir_files(box) and time.monotonic() < deadline:
            time.sleep(0.02)
        got = maildir_files(box)
        if not got:
            print("latency: no receipt for %s within 120s" % sender, file=sys.stderr)
            return 1
        out.append(os.stat(got[0]).st_mtime - t0)
    print(" ".join("%.3f" % x for x in out))
    return 0


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    return {"stamp": cmd_stamp, "wait": cmd_wait, "batch": cmd_batch,
            "idle": cmd_idle}[cmd](*args) or 0


if __name__ == "__main__":
    sys.exit(main())
