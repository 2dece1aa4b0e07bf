#!/usr/bin/env python3
"""Writes and sends a soak test's mail, for tests/e2e/soak.sh.

    soak-mail.py --port N --to ADDR --count N --senders N --manifest FILE

Sends COUNT messages to ADDR through the SMTP server on 127.0.0.1:PORT, a
mix of what a campaign mailbox gets: well-named submissions (some with a
GB18030 subject), subjects that miss the convention, out-of-office
replies, and the same submission delivered twice.  Senders are
s0@example.test ... s{N-1}@example.test.  FILE gets one line per message,
"message-id<TAB>sender<TAB>expected outcome", in the order sent.
"""
import argparse
import email.utils
import os
import random
import smtplib
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tools"))
import fixtures  # noqa: E402  (tests/tools/fixtures.py)


def word_document(title, size):
    """A real Word document of about size bytes, its own bytes."""
    return fixtures.document("docx", {"text": title}, size,
                             lambda n: os.urandom(n))


def submission(i, sender, gb):
    title = "浸泡作品%d" % i
    msg = MIMEMultipart()
    subject = "扶贫征集-自荐-文字类-" + title
    msg["Subject"] = Header(subject, "gb18030" if gb else "utf-8")
    msg.attach(MIMEText("您好，附件是我们的投稿材料，请查收。", "plain",
                        "gb18030" if gb else "utf-8"))
    part = MIMEApplication(word_document(title, random.randint(2000, 30000)))
    part.add_header("Content-Disposition", "attachment",
                    filename=("utf-8", "", title + ".docx"))
    msg.attach(part)
    return msg


def wrong_subject(i):
    msg = MIMEMultipart()
    msg["Subject"] = Header("投稿 第%d件" % i, "utf-8")
    msg.attach(MIMEText("请查收。", "plain", "utf-8"))
    part = MIMEApplication(word_document("作品%d" % i, 3000))
    part.add_header("Content-Disposition", "attachment",
                    filename=("utf-8", "", "作品%d.docx" % i))
    msg.attach(part)
    return msg


def out_of_office(i):
    msg = MIMEText("我正在休假，回来后处理您的邮件。", "plain", "utf-8")
    msg["Subject"] = Header("自动回复: 休假中 %d" % i, "utf-8")
    msg["Auto-Submitted"] = "auto-replied"
    return msg


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--to", required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--senders", type=int, default=10)
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    random.seed(a.seed)
    sent = []
    smtp = smtplib.SMTP("127.0.0.1", a.port)
    with open(a.manifest, "w", encoding="utf-8") as out:
        for i in range(a.count):
            # OpenSMTPD takes at most 100 messages a session.
            if i > 0 and i % 50 == 0:
                smtp.quit()
                smtp = smtplib.SMTP("127.0.0.1", a.port)
            sender = "s%d@example.test" % (i % a.senders)
            roll = random.random()
            accepted = [s for s in sent if s[2] == "accepted"]
            if roll < 0.05 and accepted:
                # The same mail again (a client that sent twice).
                raw, mid, snd = random.choice(accepted)[3:6]
                smtp.sendmail(snd, [a.to], raw)
                out.write("%s\t%s\tduplicate\n" % (mid, snd))
                continue
            if roll < 0.65:
                msg, expect = submission(i, sender, roll < 0.2), "accepted"
            elif roll < 0.9:
                msg, expect = wrong_subject(i), "rejected"
            else:
                msg, expect = out_of_office(i), "ignored"
            mid = email.utils.make_msgid(domain="example.test")
            msg["From"] = sender
            msg["To"] = a.to
            msg["Date"] = email.utils.formatdate(localtime=True)
            msg["Message-ID"] = mid
            raw = msg.as_bytes()
            smtp.sendmail(sender, [a.to], raw)
            sent.append((mid, sender, expect, raw, mid.strip("<>"), sender))
            out.write("%s\t%s\t%s\n" % (mid.strip("<>"), sender, expect))
    smtp.quit()


if __name__ == "__main__":
    main()
