#!/usr/bin/env python3
"""Write the unit-test mails for tests/unit/test-message.c.

Each mail is built by hand from RFC 2045/2046/2047/2231 rules (not by a
mail library) so the odd forms Chinese clients send can be reproduced byte
for byte.  Run from the repository top:

    python3 tests/corpus/unit/make-corpus.py

It rewrites the .eml files next to it and prints, for every attachment
payload, its size and SHA-256 (computed by the sha256sum program over the
exact bytes encoded), which is what test-message.c expects.
"""
import base64
import os
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
manifest = []


def payload(seed, size):
    """Deterministic bytes standing for a video or document."""
    out = bytearray()
    x = seed
    for _ in range(size):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        out.append((x >> 16) & 0xFF)
    return bytes(out)


def b64_lines(data):
    text = base64.b64encode(data).decode()
    return "\n".join(text[i:i + 76] for i in range(0, len(text), 76))


def ew_b(charset, data):
    return "=?%s?B?%s?=" % (charset, base64.b64encode(data).decode())


def ew_q(charset, data):
    out = []
    for b in data:
        c = chr(b)
        if c.isalnum() and b < 128:
            out.append(c)
        elif c == " ":
            out.append("_")
        else:
            out.append("=%02X" % b)
    return "=?%s?Q?%s?=" % (charset, "".join(out))


def pct(data):
    return "".join(chr(b) if chr(b).isalnum() and b < 128 else "%%%02X" % b
                   for b in data)


def sha256sum(data):
    r = subprocess.run(["sha256sum"], input=data, stdout=subprocess.PIPE,
                       check=True)
    return r.stdout.split()[0].decode()


def note(mail, index, name, ctype, data):
    manifest.append((mail, index, name, ctype, len(data), sha256sum(data)))


def write(name, parts, crlf=False):
    """parts: a list of str and bytes pieces; str is encoded as UTF-8 only
    when it is pure ASCII (raw 8-bit headers are passed as bytes)."""
    blob = b""
    for p in parts:
        if isinstance(p, str):
            p = p.encode("ascii")
        blob += p
    if crlf:
        blob = blob.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(blob)


def gbk(s):
    return s.encode("gbk")


def gb18030(s):
    return s.encode("gb18030")


# 1. Foxmail style: gb2312 labels over GBK-only characters (镕 喆), RFC 2047
#    inside quoted name= and filename=, CRLF line ends as IMAP hands them.
video1 = payload(1, 100 * 1024)
note("foxmail-gb2312.eml", 0, "朱镕基喆-作品.mp4", "video/mp4", video1)
write("foxmail-gb2312.eml", [
    "From: ", ew_b("GBK", gbk("张三喆")), " <zhangsan@example.cn>\n",
    "To: zhengji@example.org\n",
    "Reply-To: ", ew_b("gb2312", gbk("报送办")), " <baosong@example.cn>\n",
    "Subject: ", ew_b("gb2312", gbk("扶贫征集-自荐-视频类(微视频)-镕喆")), "\n",
    "Date: Mon, 3 Jun 2024 10:00:00 +0800\n",
    "Message-ID: <20240603100000.1234@example.cn>\n",
    "References: <a1@example.cn>\n <a2@example.cn>\n",
    "MIME-Version: 1.0\n",
    "Content-Type: multipart/mixed;\n\tboundary=\"----=_NextPart_000_0001\"\n",
    "\n",
    "This is a multi-part message in MIME format.\n",
    "\n",
    "------=_NextPart_000_0001\n",
    "Content-Type: text/plain;\n\tcharset=\"gb2312\"\n",
    "Content-Transfer-Encoding: base64\n",
    "\n", b64_lines(gbk("请查收作品。")), "\n",
    "\n",
    "------=_NextPart_000_0001\n",
    "Content-Type: video/mp4;\n\tname=\"", ew_b("gb2312", gbk("朱镕基喆-作品.mp4")), "\"\n",
    "Content-Transfer-Encoding: base64\n",
    "Content-Disposition: attachment;\n\tfilename=\"", ew_b("gb2312", gbk("朱镕基喆-作品.mp4")), "\"\n",
    "\n", b64_lines(video1), "\n",
    "\n",
    "------=_NextPart_000_0001--\n",
], crlf=True)

# 2. Encoded words split in the middle of a multibyte character, labels in
#    different case, GB18030 four-byte characters (㐀, 😀) labelled gbk,
#    and an Outlook-style folded name made of several words.
subj = gb18030("作品㐀😀-分类-单位")
name2 = gb18030("长长的作品名称㐀-第二部分.docx")
doc2 = payload(2, 3000)
note("split-words.eml", 0, "长长的作品名称㐀-第二部分.docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document", doc2)
write("split-words.eml", [
    "From: =?utf-8?B?", base64.b64encode("李四".encode()[:4]).decode(), "?= ",
    "=?UTF-8?B?", base64.b64encode("李四".encode()[4:]).decode(), "?= <lisi@example.cn>\n",
    "Subject: ", ew_b("GB18030", subj[:3]), "\n ", ew_b("gb18030", subj[3:7]),
    "\n ", ew_q("gbk", subj[7:13]), " ", ew_b("Gbk", subj[13:]), "\n",
    "Message-ID: <split@example.cn>\n",
    "MIME-Version: 1.0\n",
    "Content-Type: multipart/mixed; boundary=b1\n",
    "\n",
    "--b1\n",
    "Content-Type: text/plain; charset=utf-8\n",
    "\n",
    "body\n",
    "--b1\n",
    "Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;\n",
    "\tname=\"", ew_b("gb2312", name2[:5]), "\n\t", ew_b("GB2312", name2[5:17]),
    "\n\t", ew_b("gb2312", name2[17:]), "\"\n",
    "Content-Transfer-Encoding: base64\n",
    "\n", b64_lines(doc2), "\n",
    "--b1--\n",
])

# 3. RFC 2231: continuations splitting a character, a gb2312 label on
#    GB18030 bytes, a UTF-8 one with a language, a plain ASCII name.
n3a = gb18030("作品㐀喆.pdf")
n3b = "微视频 终版.mov".encode()
pdf3, mov3, txt3 = payload(3, 2000), payload(4, 1500), b"plain text"
note("rfc2231.eml", 0, "作品㐀喆.pdf", "application/pdf", pdf3)
note("rfc2231.eml", 1, "微视频 终版.mov", "video/quicktime", mov3)
note("rfc2231.eml", 2, "readme.txt", "text/plain", txt3)
write("rfc2231.eml", [
    "From: a@example.cn\n",
    "Subject: rfc2231\n",
    "MIME-Version: 1.0\n",
    "Content-Type: multipart/mixed; boundary=\"zz\"\n",
    "\n",
    "--zz\n",
    "Content-Type: application/pdf\n",
    "Content-Disposition: attachment;\n",
    " filename*0*=gb2312''", pct(n3a[:3]), ";\n",
    " filename*1*=", pct(n3a[3:9]), ";\n",
    " filename*2*=", pct(n3a[9:]), "\n",
    "Content-Transfer-Encoding: base64\n",
    "\n", b64_lines(pdf3), "\n",
    "--zz\n",
    "Content-Type: video/quicktime\n",
    "Content-Disposition: attachment; filename*=UTF-8'zh-cn'", pct(n3b), "\n",
    "Content-Transfer-Encoding: base64\n",
    "\n", b64_lines(mov3), "\n",
    "--zz\n",
    "Content-Type: text/plain; charset=us-ascii; name=readme.txt\n",
    "\n",
    # The line break before a boundary belongs to the boundary.
    txt3.decode(), "\n--zz--\n",
])

# 4. name= and filename= disagree; an empty and a mangled filename=.
d4a, d4b, d4c = payload(5, 500), payload(6, 600), payload(7, 700)
note("disagree.eml", 0, "right.docx", "application/msword", d4a)
note("disagree.eml", 1, "作品.mp4", "video/mp4", d4b)
note("disagree.eml", 2, "视频.mp4", "video/mp4", d4c)
write("disagree.eml", [
    # Foxmail quotes the encoded display name.
    "From: \"", ew_b("gb2312", gbk("赵六喆")), "\" <b@example.cn>\n",
    "Subject: disagree\n",
    "MIME-Version: 1.0\n",
    "Content-Type: multipart/mixed; boundary=\"q\"\n",
    "\n",
    "--q\n",
    "Content-Type: application/msword; name=\"wrong.doc\"\n",
    "Content-Disposition: attachment; filename=\"right.docx\"\n",
    "Content-Transfer-Encoding: base64\n",
    "\n", b64_lines(d4a), "\n",
    "--q\n",
    "Content-Type: video/mp4; name=\"", ew_b("utf-8", "作品.mp4".encode()), "\"\n",
    "Content-Disposition: attachment; filename=\"\"\n",
    "Content-Transfer-Encoding: base64\n",
    "\n", b64_lines(d4b), "\n",
    "--q\n",
    "Content-Type: video/mp4; name=\"", ew_b("gbk", gbk("视频.mp4")), "\"\n",
    "Content-Disposition: attachment; filename=\"??.mp4\"\n",
    "Content-Transfer-Encoding: base64\n",
    "\n", b64_lines(d4c), "\n",
    "--q--\n",
])

# 5. No names at all: names derived from the content type, by position;
#    text/plain and text/html without a name are body text.
v5, d5, p5 = payload(8, 800), payload(9, 900), payload(10, 100)
note("noname.eml", 0, "附件1.mp4", "video/mp4", v5)
note("noname.eml", 1, "附件2.docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document", d5)
note("noname.eml", 2, "附件3.png", "image/png", p5)
write("noname.eml", [
    "From: c@example.cn\n",
    "MIME-Version: 1.0\n",
    "Content-Type: multipart/mixed; boundary=\"n\"\n",
    "\n",
    "--n\n",
    "Content-Type: multipart/alternative; boundary=\"alt\"\n",
    "\n",
    "--alt\n",
    "Content-Type: text/plain; charset=utf-8\n",
    "\n",
    "hello\n",
    "--alt\n",
    "Content-Type: text/html; charset=utf-8\n",
    "\n",
    "<p>hello</p>\n",
    "--alt--\n",
    "--n\n",
    "Content-Type: video/mp4\n",
    "Content-Disposition: attachment\n",
    "Content-Transfer-Encoding: base64\n",
    "\n", b64_lines(v5), "\n",
    "--n\n",
    "Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document\n",
    "Content-Transfer-Encoding: base64\n",
    "\n", b64_lines(d5), "\n",
    "--n\n",
    "Content-Type: image/png\n",
    "Content-Disposition: inline\n",
    "Content-Transfer-Encoding: base64\n",
    "\n", b64_lines(p5), "\n",
    "--n--\n",
])

# 6. Raw 8-bit GBK in headers (old clients, some webmail), and raw UTF-8.
r6a, r6b = payload(11, 1111), payload(12, 1212)
note("raw8bit.eml", 0, "作品镕.mp4", "video/mp4", r6a)
note("raw8bit.eml", 1, "报送表.xlsx",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", r6b)
write("raw8bit.eml", [
    b"From: ", gbk("王五镕"), b" <wangwu@example.cn>\n",
    b"Subject: ", gbk("征集-自荐-视频类-镕喆单位"), b"\n",
    b"MIME-Version: 1.0\n",
    b"Content-Type: multipart/mixed; boundary=\"r\"\n",
    b"\n",
    b"--r\n",
    b"Content-Type: video/mp4; name=\"", gbk("作品镕.mp4"), b"\"\n",
    b"Content-Disposition: attachment; filename=\"", gbk("作品镕.mp4"), b"\"\n",
    b"Content-Transfer-Encoding: base64\n",
    b"\n", b64_lines(r6a).encode(), b"\n",
    b"--r\n",
    b"Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;"
    b" name=\"", "报送表.xlsx".encode(), b"\"\n",
    b"Content-Transfer-Encoding: base64\n",
    b"\n", b64_lines(r6b).encode(), b"\n",
    b"--r--\n",
])

# 7. Nested multiparts: alternative inside related inside mixed, an inline
#    image with a name, an attachment at depth 3, quoted-printable text.
img7, zip7, txt7 = payload(13, 700), payload(14, 2222), "第一行\n第二行 = 3".encode()
note("nested.eml", 0, "logo.png", "image/png", img7)
note("nested.eml", 1, "作品集.zip", "application/zip", zip7)
note("nested.eml", 2, "说明.txt", "text/plain", txt7)
qp7 = "".join("=%02X" % b if b >= 128 or b == ord("=") else chr(b)
              for b in txt7)
write("nested.eml", [
    "From: d@example.cn\n",
    "Subject: ", ew_q("utf-8", "嵌套".encode()), "\n",
    "MIME-Version: 1.0\n",
    "Content-Type: multipart/mixed; boundary=\"m1\"\n",
    "\n",
    "--m1\n",
    "Content-Type: multipart/related; boundary=\"m2\"\n",
    "\n",
    "--m2\n",
    "Content-Type: multipart/alternative; boundary=\"m3\"\n",
    "\n",
    "--m3\n",
    "Content-Type: text/plain; charset=utf-8\n",
    "\n",
    "text\n",
    "--m3\n",
    "Content-Type: text/html; charset=utf-8\n",
    "\n",
    "<img src=cid:logo>\n",
    "--m3--\n",
    "--m2\n",
    "Content-Type: image/png; name=logo.png\n",
    "Content-ID: <logo>\n",
    "Content-Disposition: inline; filename=logo.png\n",
    "Content-Transfer-Encoding: base64\n",
    "\n", b64_lines(img7), "\n",
    "--m2--\n",
    "--m1\n",
    "Content-Type: multipart/mixed; boundary=\"m4\"\n",
    "\n",
    "--m4\n",
    "Content-Type: application/zip; name=\"", ew_b("utf-8", "作品集.zip".encode()), "\"\n",
    "Content-Transfer-Encoding: base64\n",
    "\n", b64_lines(zip7), "\n",
    "--m4\n",
    "Content-Type: text/plain; charset=utf-8\n",
    "Content-Disposition: attachment; filename=\"", ew_b("utf-8", "说明.txt".encode()), "\"\n",
    "Content-Transfer-Encoding: quoted-printable\n",
    "\n", qp7, "\n--m4--\n",
    "--m1--\n",
])

# 8. A forwarded message/rfc822 whose attachment is the submission.
pdf8 = payload(15, 4321)
note("forwarded.eml", 0, "报名表-镕.pdf", "application/pdf", pdf8)
write("forwarded.eml", [
    "From: forwarder@example.cn\n",
    "Subject: ", ew_b("gb2312", gbk("转发: 作品")), "\n",
    "Message-ID: <fwd@example.cn>\n",
    "MIME-Version: 1.0\n",
    "Content-Type: multipart/mixed; boundary=\"outer\"\n",
    "\n",
    "--outer\n",
    "Content-Type: text/plain; charset=utf-8\n",
    "\n",
    "see below\n",
    "--outer\n",
    "Content-Type: message/rfc822\n",
    "Content-Disposition: attachment; filename=\"original.eml\"\n",
    "\n",
    "From: original@example.cn\n",
    "Subject: original\n",
    "MIME-Version: 1.0\n",
    "Content-Type: multipart/mixed; boundary=\"inner\"\n",
    "\n",
    "--inner\n",
    "Content-Type: text/plain; charset=utf-8\n",
    "\n",
    "inner body\n",
    "--inner\n",
    "Content-Type: application/pdf; name=\"", ew_b("gb2312", gbk("报名表-镕.pdf")), "\"\n",
    "Content-Disposition: attachment\n",
    "Content-Transfer-Encoding: base64\n",
    "\n", b64_lines(pdf8), "\n",
    "--inner--\n",
    "\n",
    "--outer--\n",
], crlf=True)

# 9. Malformed: multipart without a boundary, truncated base64, a header
#    line without a colon, NUL bytes; none may crash the parser.
write("malformed.eml", [
    b"From: e@example.cn\n",
    b"Subject: broken\x00 subject\n",
    b"this line has no colon\n",
    b"MIME-Version: 1.0\n",
    b"Content-Type: multipart/mixed\n",
    b"\n",
    b"--x\n",
    b"Content-Type: video/mp4; name=a.mp4\n",
    b"Content-Transfer-Encoding: base64\n",
    b"\n",
    b"AAAA\x00BBBBCC",
])
write("truncated.eml", [
    "From: f@example.cn\n",
    "Subject: truncated\n",
    "Content-Type: multipart/mixed; boundary=\"t\"\n",
    "\n",
    "--t\n",
    "Content-Type: application/pdf; name=\"t.pdf\"\n",
    "Content-Transfer-Encoding: base64\n",
    "\n",
    "JVBERi0xLjQKJ",
])

# 10. Limits: nesting deeper than LIMIT_MIME_DEPTH, more than
#     LIMIT_MIME_PARTS leaves.
deep = ["From: g@example.cn\n", "Subject: deep\n", "MIME-Version: 1.0\n"]
levels = 40
for i in range(levels):
    deep.append("Content-Type: multipart/mixed; boundary=\"d%d\"\n\n--d%d\n" % (i, i))
deep.append("Content-Type: application/pdf; name=deep.pdf\n\nx\n")
for i in reversed(range(levels)):
    deep.append("--d%d--\n" % i)
write("deep.eml", deep)

many = ["From: h@example.cn\n", "Subject: many\n", "MIME-Version: 1.0\n",
        "Content-Type: multipart/mixed; boundary=\"p\"\n", "\n"]
for i in range(600):
    many.append("--p\nContent-Type: application/octet-stream; name=f%d.bin\n\n%d\n" % (i, i))
many.append("--p--\n")
write("many-parts.eml", many)

# 11. A delivery status notification and an auto-reply.
write("dsn.eml", [
    "From: Mail Delivery System <MAILER-DAEMON@example.org>\n",
    "Subject: Undelivered Mail Returned to Sender\n",
    "Auto-Submitted: auto-replied\n",
    "MIME-Version: 1.0\n",
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"r\"\n",
    "\n",
    "--r\n",
    "Content-Type: text/plain\n",
    "\n",
    "failed\n",
    "--r\n",
    "Content-Type: message/delivery-status\n",
    "\n",
    "Reporting-MTA: dns; example.org\n",
    "\n",
    "Final-Recipient: rfc822; x@example.cn\n",
    "Action: failed\n",
    "Status: 5.1.1\n",
    "\n",
    "--r--\n",
])
write("autoreply.eml", [
    "From: i@example.cn\n",
    "Subject: ", ew_b("gb2312", gbk("自动回复: 作品")), "\n",
    "\n",
    "I am away.\n",
])

# 12. Outlook's winmail.dat (application/ms-tnef), built attribute by
#     attribute after [MS-OXTNEF]: libytnef reads TNEF but cannot write it.
#     Each stream is also written as a .tnef file for test-tnef.c.
TNEF_SIGNATURE = 0x223E9F78
LVL_MESSAGE, LVL_ATTACHMENT = 1, 2
ATT_TNEF_VERSION = 0x00089006
ATT_OEM_CODEPAGE = 0x00069007
ATT_MESSAGE_CLASS = 0x00078008
ATT_SUBJECT = 0x00018004
ATT_MAPI_PROPS = 0x00069003
ATT_ATTACH_RENDDATA = 0x00069002
ATT_ATTACH_TITLE = 0x00018010
ATT_ATTACH_DATA = 0x0006800F
ATT_ATTACHMENT = 0x00069005
PT_LONG, PT_OBJECT, PT_STRING8, PT_UNICODE, PT_BINARY = 0x3, 0xD, 0x1E, 0x1F, 0x102
PR_BODY, PR_RTF_COMPRESSED = 0x1000, 0x1009
PR_ATTACH_DATA_OBJ, PR_ATTACH_METHOD, PR_ATTACH_LONG_FILENAME = 0x3701, 0x3705, 0x3707
ATTACH_BY_VALUE, ATTACH_EMBEDDED_MSG, ATTACH_OLE = 1, 5, 6


def tnef_attr(level, att_id, data):
    """Level, id, length, data, then the data bytes' sum mod 65536."""
    return (struct.pack("<BII", level, att_id, len(data)) + data +
            struct.pack("<H", sum(data) & 0xFFFF))


def mapi_props(props):
    """props: (type, id, value); strings and binaries are one value each,
    padded to four bytes."""
    out = struct.pack("<I", len(props))
    for ptype, pid, value in props:
        out += struct.pack("<I", pid << 16 | ptype)
        if ptype == PT_LONG:
            out += struct.pack("<I", value)
        else:
            out += struct.pack("<II", 1, len(value)) + value + b"\0" * (-len(value) % 4)
    return out


def tnef_stream(codepage, subject, attachments, message_props=None):
    out = struct.pack("<IH", TNEF_SIGNATURE, 0x4C21)
    out += tnef_attr(LVL_MESSAGE, ATT_TNEF_VERSION, struct.pack("<I", 0x00010000))
    out += tnef_attr(LVL_MESSAGE, ATT_OEM_CODEPAGE, struct.pack("<II", codepage, 0))
    out += tnef_attr(LVL_MESSAGE, ATT_MESSAGE_CLASS, b"IPM.Microsoft Mail.Note\0")
    if subject is not None:
        out += tnef_attr(LVL_MESSAGE, ATT_SUBJECT, subject + b"\0")
    if message_props is not None:
        out += tnef_attr(LVL_MESSAGE, ATT_MAPI_PROPS, mapi_props(message_props))
    for a in attachments:
        out += a
    return out


def tnef_attachment(data=None, title=None, props=None):
    """In Outlook's order: rendering, data, title, MAPI properties."""
    # atyp 1 (file), position, width, height, flags
    out = tnef_attr(LVL_ATTACHMENT, ATT_ATTACH_RENDDATA,
                    struct.pack("<HIHHI", 1, 0xFFFFFFFF, 32, 32, 0))
    if data is not None:
        out += tnef_attr(LVL_ATTACHMENT, ATT_ATTACH_DATA, data)
    if title is not None:
        out += tnef_attr(LVL_ATTACHMENT, ATT_ATTACH_TITLE, title + b"\0")
    if props is not None:
        out += tnef_attr(LVL_ATTACHMENT, ATT_ATTACHMENT, mapi_props(props))
    return out


def utf16(s):
    return s.encode("utf-16-le") + b"\0\0"


def write_bytes(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def outlook_mail(name, subject, ctype_line, tnef):
    write(name, [
        "From: ", ew_b("gb2312", gbk("孙七")), " <sunqi@example.cn>\n",
        "To: zhengji@example.org\n",
        "Subject: ", ew_b("gb2312", gbk(subject)), "\n",
        "Date: Tue, 4 Jun 2024 09:30:00 +0800\n",
        "Message-ID: <", name, "@example.cn>\n",
        "MIME-Version: 1.0\n",
        "Content-Type: multipart/mixed;\n\tboundary=\"----=_NextPart_000_0011_01DAB6\"\n",
        "X-Mailer: Microsoft Outlook 16.0\n",
        "\n",
        "This is a multi-part message in MIME format.\n",
        "\n",
        "------=_NextPart_000_0011_01DAB6\n",
        "Content-Type: text/plain;\n\tcharset=\"gb2312\"\n",
        "Content-Transfer-Encoding: base64\n",
        "\n", b64_lines(gbk("请查收附件中的作品。")), "\n",
        "\n",
        "------=_NextPart_000_0011_01DAB6\n",
        ctype_line,
        "Content-Transfer-Encoding: base64\n",
        "\n", b64_lines(tnef), "\n",
        "\n",
        "------=_NextPart_000_0011_01DAB6--\n",
    ], crlf=True)


# A subject over the 100 bytes libytnef 2.0 accepts for attSubject: it
# must not cost the attachments.  An 8-bit CP936 title, and a UTF-16 long
# file name with a character outside the BMP next to an 8.3 title.
t1_docx, t1_mp4 = payload(20, 5000), payload(21, 20000)
tnef_outlook = tnef_stream(936, gbk("扶贫征集-自荐-视频类(微视频)-" + "星城大爱" * 15), [
    tnef_attachment(t1_docx, gbk("报名表.docx")),
    tnef_attachment(t1_mp4, b"ZUOPIN~1.MP4", [
        (PT_LONG, PR_ATTACH_METHOD, ATTACH_BY_VALUE),
        (PT_UNICODE, PR_ATTACH_LONG_FILENAME, utf16("作品𠀀-微视频.mp4")),
    ]),
])
write_bytes("winmail-outlook.tnef", tnef_outlook)
note("winmail-outlook.tnef", 0, "报名表.docx", "-", t1_docx)
note("winmail-outlook.tnef", 1, "作品𠀀-微视频.mp4", "-", t1_mp4)
note("outlook-tnef.eml", 0, "报名表.docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document", t1_docx)
note("outlook-tnef.eml", 1, "作品𠀀-微视频.mp4", "video/mp4", t1_mp4)
outlook_mail("outlook-tnef.eml", "扶贫征集-自荐-视频类(微视频)-星城大爱",
             "Content-Type: application/ms-tnef;\n\tname=\"winmail.dat\"\n"
             "Content-Disposition: attachment;\n\tfilename=\"winmail.dat\"\n",
             tnef_outlook)

# Only a rich-text body: nothing to take out, winmail.dat is kept.
tnef_empty = tnef_stream(936, gbk("只有正文"), [], [
    (PT_BINARY, PR_RTF_COMPRESSED, payload(23, 300)),
    (PT_STRING8, PR_BODY, gbk("正文") + b"\0"),
])
write_bytes("winmail-empty.tnef", tnef_empty)
note("tnef-empty.eml", 0, "winmail.dat", "application/vnd.ms-tnef", tnef_empty)
outlook_mail("tnef-empty.eml", "只有正文",
             "Content-Type: application/vnd.ms-tnef;\n\tname=\"winmail.dat\"\n",
             tnef_empty)

# Cut inside the second attachment's data: kept whole.
tnef_truncated = tnef_outlook[:len(tnef_outlook) - 9000]
write_bytes("winmail-truncated.tnef", tnef_truncated)
note("tnef-truncated.eml", 0, "winmail.dat", "application/ms-tnef", tnef_truncated)
outlook_mail("tnef-truncated.eml", "截断",
             "Content-Type: application/ms-tnef;\n\tname=\"winmail.dat\"\n",
             tnef_truncated)

# A CP936 PT_STRING8 long name, a file with no name at all, an embedded
# message and an OLE object: the two files are taken out and WINMAIL.DAT,
# relabelled application/octet-stream by some gateway, is kept for the
# other two.
t3_pdf, t3_bin, t3_ole = payload(24, 3000), payload(25, 700), payload(26, 400)
tnef_embedded = tnef_stream(936, None, [
    tnef_attachment(t3_pdf, b"FUJIAN~1.PDF", [
        (PT_STRING8, PR_ATTACH_LONG_FILENAME, gbk("附件说明.pdf") + b"\0"),
    ]),
    tnef_attachment(t3_bin),
    tnef_attachment(None, b"Fwd", [
        (PT_LONG, PR_ATTACH_METHOD, ATTACH_EMBEDDED_MSG),
        (PT_OBJECT, PR_ATTACH_DATA_OBJ, b"\x0b\x0d\x02\x00" + b"\0" * 12 +
         tnef_stream(936, b"inner", [])),
    ]),
    tnef_attachment(t3_ole, b"Picture", [
        (PT_LONG, PR_ATTACH_METHOD, ATTACH_OLE),
    ]),
])
write_bytes("winmail-embedded.tnef", tnef_embedded)
note("winmail-embedded.tnef", 0, "附件说明.pdf", "-", t3_pdf)
note("winmail-embedded.tnef", 1, "-", "-", t3_bin)
note("tnef-embedded.eml", 0, "附件说明.pdf", "application/pdf", t3_pdf)
note("tnef-embedded.eml", 1, "附件2.bin", "application/octet-stream", t3_bin)
note("tnef-embedded.eml", 2, "WINMAIL.DAT", "application/octet-stream", tnef_embedded)
outlook_mail("tnef-embedded.eml", "嵌入邮件",
             "Content-Type: application/octet-stream;\n\tname=\"WINMAIL.DAT\"\n",
             tnef_embedded)

for m in manifest:
    print("\t".join(str(x) for x in m))
