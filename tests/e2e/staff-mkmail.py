#!/usr/bin/env python3
"""Write the submissions the staff-side tests ingest offline.

    staff-mkmail.py OUTDIR

Writes OUTDIR/<campaign>-<n>.eml, as a submitter's mail client would send
them (RFC 2047 subjects, RFC 2231 file names), dated inside each campaign's
window, with titles chosen to break careless CSV, HTML and URL code.  Each
accepted one carries what its campaign requires beside the work (Changzhou:
a 报名表, and a 微视频 in both its 有字幕 and 无字幕 versions); the
registration form with a space, "#" and "%" in its name rides beside a
work, since a mail with only a form in it is refused.  Every file is real
by its content (tests/tools/fixtures.py), of the size given where the
format can be padded to it, and each its own bytes.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tools"))
import fixtures  # noqa: E402  (tests/tools/fixtures.py)
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr

# (file, from address, from name, subject, date, [(attachment name, size)])
MAILS = [
    ("fupin-1", "unit-a@example.test", "星城人社局",
     "扶贫征集-自荐-视频类(微视频)-星城大爱", "Mon, 03 Aug 2020 09:30:00 +0800",
     [("星城大爱微视频.mp4", 300000), ("报名表.docx", 20000)]),
    ("fupin-2", "writer@example.test", "张三",
     '扶贫征集-自荐-文字类-山村"第一书记",我的扶贫路', "Tue, 04 Aug 2020 10:00:00 +0800",
     [("我的扶贫路.docx", 2345), ("报名 表#1 100%.docx", 1234)]),
    ("fupin-3", "evil@example.test", "<b>黑客</b>",
     "扶贫征集-推荐-图片类-<script>alert(1)</script>", "Wed, 05 Aug 2020 11:00:00 +0800",
     [("photo.jpg", 5000)]),
    ("fupin-4", "lost@example.test", "",
     "脱贫故事投稿 视频", "Thu, 06 Aug 2020 12:00:00 +0800",
     [("作品.docx", 100)]),
    ("fupin-5", "writer@example.test", "张三",
     "扶贫征集-自荐-文字类-=HYPERLINK(\"http://x\")", "Fri, 07 Aug 2020 08:00:00 +0800",
     [("text.docx", 10)]),
    ("dangjiao-1", "jintan@example.test", "金坛区委组织部",
     "党员教育作品报送", "Mon, 03 Jun 2024 09:00:00 +0800",
     [("初心如磐（有字幕）-微视频-金坛区委组织部.mp4", 40000),
      ("初心如磐（无字幕）-微视频-金坛区委组织部.mp4", 39000),
      ("报名表.docx", 3000)]),
    ("dangjiao-2", "jintan@example.test", "金坛区委组织部",
     "党员教育作品报送", "Tue, 04 Jun 2024 09:00:00 +0800",
     [("产业链上的党旗红-新媒体作品-金坛区委组织部.jpg", 7000),
      ("报名表.docx", 3000)]),
    ("dangjiao-3", "wujin@example.test", "武进区委组织部",
     "报送", "Wed, 05 Jun 2024 09:00:00 +0800",
     [("乡村振兴路-纪录片-中共武进区委组织部.mp4", 90000),
      ("报名表.docx", 3000)]),
]


def main():
    fixtures.CACHE = fixtures.cache_dir()
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for i, (name, addr, from_name, subject, date, atts) in enumerate(MAILS):
        msg = MIMEMultipart()
        msg["From"] = formataddr((str(Header(from_name, "utf-8")), addr)) \
            if from_name else addr
        msg["To"] = "campaign@example.test"
        msg["Subject"] = Header(subject, "utf-8")
        msg["Date"] = date
        msg["Message-ID"] = "<staff-%d-%s@example.test>" % (i, name)
        msg.attach(MIMEText("您好，附件是我们的投稿材料，请查收。", "plain", "utf-8"))
        for fname, size in atts:
            stem, ext = os.path.splitext(fname)
            kind = {"jpeg": "jpg"}.get(ext[1:].lower(), ext[1:].lower())
            data = fixtures.make(kind, dict(fixtures.DEFAULTS.get(kind, {}),
                                            text=stem, pad=str(size),
                                            variant="%d:%s" % (i, fname)))
            part = MIMEApplication(data)
            part.add_header("Content-Disposition", "attachment",
                            filename=("utf-8", "", fname))
            msg.attach(part)
        with open(os.path.join(out, name + ".eml"), "wb") as f:
            f.write(msg.as_bytes())


if __name__ == "__main__":
    sys.exit(main())
