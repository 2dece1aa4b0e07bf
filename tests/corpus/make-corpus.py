#!/usr/bin/env python3
"""Write the client corpus: submissions shaped the way the mail clients
Chinese submitters use really send them, one case each: the message
(<client>/<name>.eml) and what subgate must make of it, judged on a fresh
store and database (<client>/<name>.expect).

Every message is written by hand from RFC 5322/2045/2046/2047/2231 and what
these clients are known to send (header order, X-Mailer, boundary styles,
charset labels, encodings of file names), not by a mail library, so the
odd forms can be reproduced byte for byte.  Attachment bytes come from
seeded generators; their sizes and SHA-256 in the manifest are computed
here from the very bytes that are encoded, never from subgate's output.

    python3 tests/corpus/make-corpus.py

rewrites tests/corpus/<client>/*.eml and *.expect; the output is the same
on every run (fixed seeds, dates and Message-IDs).
Python 3 standard library only, with tests/tools/fixtures.py for the
documents and media/ for the clips.  See tests/corpus/README.
"""
import base64
import datetime
import hashlib
import io
import json
import os
import random
import struct
import sys
import unicodedata
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
CST = datetime.timezone(datetime.timedelta(hours=8))
CASES = {}             # "<client>/<name>": its expectation


# --- attachment payloads -----------------------------------------------------
#
# Works and forms are real files by content, as subgate judges them
# (libmagic, the campaigns' content =): video, audio and pictures are the
# clips in media/ (made once by tests/tools/fixtures.py and committed, so
# that regenerating is byte-identical on any machine), documents are
# written by fixtures.py.  Each is padded, as its format allows, with
# bytes from its seed to the size asked (or a little over when the file
# is bigger), so that two seeds are always two different files.

sys.path.insert(0, os.path.join(HERE, "..", "tools"))
import fixtures  # noqa: E402  (tests/tools/fixtures.py)

MEDIA = {}


def noise(seed, size):
    """size deterministic pseudo-random bytes for this seed."""
    return random.Random(seed).randbytes(size)


def media(kind, name, seed, size):
    if name not in MEDIA:
        with open(os.path.join(HERE, "media", name), "rb") as f:
            MEDIA[name] = f.read()
    base = MEDIA[name]
    return fixtures.fill(kind, base, max(size, len(base) + 64),
                         lambda n: noise(seed, n))


def mp4(seed, size):
    """1080p, 25 fps, 2 s, with sound (H.264 and AAC)."""
    return media("mp4", "clip.mp4", seed, size)


def mov(seed, size):
    return media("mov", "clip.mov", seed, size)


def mp3(seed, size):
    return media("mp3", "tone.mp3", seed, size)


def jpeg(seed, size):
    """640x480, JFIF."""
    return media("jpg", "photo.jpg", seed, size)


def png(seed, size):
    """320x240."""
    return media("png", "image.png", seed, size)


def heic(seed, size):
    """An iPhone photo (HEIF, ftyp heic), as far as its first box: neither
    ffmpeg nor Python writes HEIF, and only the type is looked at."""
    head = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"
    body = noise(seed, size - len(head) - 8)
    return head + struct.pack(">I", len(body) + 8) + b"free" + body


def document(kind, seed, size, text):
    return fixtures.document(kind, {"text": text}, size,
                             lambda n: noise(seed, n), 16)


def pdf(seed, size):
    return document("pdf", seed, size, "报名表（盖章）")


def doc(seed, size):
    """An old Word (OLE compound file) document."""
    return document("doc", seed, size, "报名表")


ZIP_TIME = fixtures.ZIP_TIME


def zip_of(members):
    """A zip (stored, fixed times) of (name, bytes) pairs; names in UTF-8
    with the language-encoding flag, as current archivers write them."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.create_system = 0
            info.external_attr = 0x20
            z.writestr(info, data)
    return buf.getvalue()


def docx(seed, size):
    """A Word 2007+ document as Word writes it ([Content_Types].xml
    first)."""
    return document("docx", seed, size, "我所经历的脱贫攻坚故事")


def xlsx(seed, size):
    return document("xlsx", seed, size, "汇总表")


def tnef(attachments):
    """winmail.dat: Outlook's Transport-Neutral Encapsulation Format with
    the given (title, long name or None, bytes) attachments inside.  The
    legacy title is in the OEM code page (CP936 on a Chinese system); the
    long name, when there is one, is a UTF-16 MAPI property beside it."""
    def attr(level, attr_id, data):
        return (struct.pack("<BII", level, attr_id, len(data)) + data +
                struct.pack("<H", sum(data) & 0xFFFF))

    def mapi(props):
        out = struct.pack("<I", len(props))
        for ptype, pid, value in props:
            out += struct.pack("<HH", ptype, pid)
            if ptype == 0x0003:                     # PT_LONG
                out += struct.pack("<I", value)
            else:                                   # PT_UNICODE, PT_BINARY
                out += struct.pack("<II", 1, len(value)) + value
                out += b"\x00" * (-len(value) % 4)
        return out
    when = struct.pack("<7H", 2020, 8, 29, 18, 25, 0, 6)
    out = struct.pack("<IH", 0x223E9F78, 0x0A1B)
    out += attr(1, 0x00089006, struct.pack("<I", 0x00010000))   # version
    out += attr(1, 0x00069007, struct.pack("<II", 936, 0))       # codepage
    out += attr(1, 0x00078008, b"IPM.Microsoft Mail.Note\x00")  # class
    out += attr(1, 0x00040009, struct.pack("<I", 0))             # priority
    for title, long_name, data in attachments:
        out += attr(2, 0x00069002, struct.pack("<HIIII", 1, 0xFFFFFFFF, 0, 1, 1))
        out += attr(2, 0x00018010, title.encode("gbk") + b"\x00")
        out += attr(2, 0x00038012, when)                         # created
        out += attr(2, 0x00038013, when)                         # modified
        out += attr(2, 0x0006800F, data)
        props = [(0x0003, 0x3705, 1)]                            # by value
        if long_name is not None:
            props.append((0x001F, 0x3707,                        # long name
                          (long_name + "\x00").encode("utf-16-le")))
        props.append((0x001F, 0x3703, (os.path.splitext(long_name or title)[1]
                                       + "\x00").encode("utf-16-le")))
        out += attr(2, 0x00069005, mapi(props))
    return out


# --- encodings ---------------------------------------------------------------

def b64_lines(data, width=76):
    text = base64.b64encode(data).decode()
    return "\n".join(text[i:i + width] for i in range(0, len(text), width))


def enc_chars(text, charset):
    return [c.encode(pycodec(charset)) for c in text]


def pycodec(charset):
    cs = charset.lower()
    # Clients label GBK and GB18030 text "gb2312"; the bytes are what count.
    return {"gb2312": "gb18030", "gbk": "gb18030"}.get(cs, cs)


def ew(text, charset, enc="B", maxlen=75):
    """RFC 2047 encoded words for text, each at most maxlen characters,
    split between characters as careful encoders do."""
    words, cur = [], b""
    pre = "=?%s?%s?" % (charset, enc)

    def render(data):
        if enc == "B":
            return pre + base64.b64encode(data).decode() + "?="
        out = []
        for b in data:
            c = chr(b)
            if b < 128 and (c.isalnum() or c in "!*+-/"):
                out.append(c)
            elif c == " ":
                out.append("_")
            else:
                out.append("=%02X" % b)
        return pre + "".join(out) + "?="
    for ch in enc_chars(text, charset):
        if cur and len(render(cur + ch)) > maxlen:
            words.append(render(cur))
            cur = b""
        cur += ch
    if cur:
        words.append(render(cur))
    return words


def pct(data):
    return "".join(chr(b) if b < 128 and (chr(b).isalnum() or chr(b) in "-._~")
                   else "%%%02X" % b for b in data)


def rfc2231(param, text, charset="utf-8", chunk=None, lang=""):
    """param*=charset'lang'%XX..., or continuations param*0*=..., param*1*=...
    of chunk encoded bytes each (split anywhere, as RFC 2231 allows)."""
    data = text.encode(pycodec(charset))
    if chunk is None:
        return ["%s*=%s'%s'%s" % (param, charset, lang, pct(data))]
    pieces = [data[i:i + chunk] for i in range(0, len(data), chunk)]
    out = []
    for n, p in enumerate(pieces):
        head = "%s'%s'" % (charset, lang) if n == 0 else ""
        out.append("%s*%d*=%s%s" % (param, n, head, pct(p)))
    return out


def qp(data):
    """Quoted-printable for text with CRLF line ends: hard breaks stay line
    breaks, lines are soft-broken under 76 characters."""
    lines = data.split(b"\r\n")
    out = []
    for line in lines:
        enc = []
        for i, b in enumerate(line):
            last = i == len(line) - 1
            if (33 <= b <= 126 and b != ord("=")) or (b in (9, 32) and not last):
                enc.append(chr(b))
            else:
                enc.append("=%02X" % b)
        cur = ""
        for piece in enc:
            if len(cur) + len(piece) > 75:
                out.append(cur + "=")
                cur = ""
            cur += piece
        out.append(cur)
    return "\n".join(out)


def fold_words(words, sep="\n "):
    return sep.join(words)


# --- building messages ---------------------------------------------------------

def date(y, mo, d, h, mi, s=0):
    return datetime.datetime(y, mo, d, h, mi, s, tzinfo=CST)


def rfc_date(dt, suffix=""):
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
              "Oct", "Nov", "Dec"]
    return "%s, %d %s %d %02d:%02d:%02d +0800%s" % (
        days[dt.weekday()], dt.day, months[dt.month - 1], dt.year,
        dt.hour, dt.minute, dt.second, suffix)


def entity(headers, body):
    return "\n".join(headers) + "\n\n" + body


def multipart(boundary, parts, preamble=""):
    out = preamble
    for p in parts:
        out += "\n--%s\n%s" % (boundary, p) if out else "--%s\n%s" % (boundary, p)
    out += "\n--%s--\n" % boundary
    return out


class Corpus:
    """Writes one case: the message and, beside it, its expectation."""

    def write(self, client, name, blob, expect):
        base = os.path.join(HERE, client, name)
        os.makedirs(os.path.dirname(base), exist_ok=True)
        if isinstance(blob, str):
            blob = blob.encode("utf-8")
        # As IMAP hands messages over: CRLF line ends throughout.
        blob = blob.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        with open(base + ".eml", "wb") as f:
            f.write(blob)
        key = client + "/" + name
        assert key not in CASES, key
        CASES[key] = expect
        with open(base + ".expect", "w", encoding="utf-8") as f:
            json.dump(expect, f, ensure_ascii=False, indent=1)
            f.write("\n")


C = Corpus()


def att(name, data, stored=None, original=None, role=None, kind=None,
        marker=None):
    """An expected attachment: the name it is stored under, its decoded
    original name, and size and SHA-256 of the bytes encoded here; with a
    role, also what the campaign's [file KIND] rules make of it (role
    work/companion/other, the kind, the version marker or null)."""
    e = {"name": stored if stored is not None else name,
         "original_name": original if original is not None else name,
         "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    if role is not None:
        e.update({"role": role, "kind": kind, "marker": marker})
    return e


def received(by, dt, frm="unknown (HELO mail.client) ([58.20.33.140])"):
    return "Received: from %s\n\tby %s with ESMTP id 4BX9mQ1sKTz9v;\n\t%s" % (
        frm, by, rfc_date(dt))


# Campaign mailboxes as the notices give them (replies are only queued by
# `subgate ingest`, never sent).
TO = {
    "fupin2020": "info@hnmsw.com",
    "xxqg-shuozhou-2019": "szxxqg@126.com",
    "xuexizhixing-2020": "xuexiqiangguo2019@163.com",
    "xuexizhixing-2022": "szc@sxedc.com",
    "dangjiao-changzhou-2024": "dyjy@czdj.example.cn",
}
MX = {
    "fupin2020": "mx.hnmsw.com (Postfix)",
    "xxqg-shuozhou-2019": "mx.126.com (Coremail)",
    "xuexizhixing-2020": "mx.163.com (Coremail)",
    "xuexizhixing-2022": "mail.sxedc.com (Postfix)",
    "dangjiao-changzhou-2024": "mail.czdj.example.cn (Postfix)",
}


def accepted(campaign, fields, subject, from_addr, from_name, attachments,
             **kw):
    e = {"campaign": campaign, "outcome": "accepted", "fields": fields,
         "subject": subject, "from": from_addr, "from_name": from_name,
         "attachments": attachments}
    e.update(kw)
    return e


def refused(campaign, outcome, why, after=None, reason=None):
    e = {"campaign": campaign}
    if after:
        # Ingested first, into the same fresh store: what this case is
        # judged against (a first delivery, an earlier version, a quota
        # already used).
        e["after"] = after
    e.update({"outcome": outcome, "why": why})
    if reason:
        # A part of the correction the submitter must read.
        e["reason"] = reason
    return e


DOCX = ("application/vnd.openxmlformats-officedocument."
        "wordprocessingml.document")


# --- Coremail webmail (163.com, 126.com) ---------------------------------------
#
# Coremail puts the subject and names in GBK (older) or UTF-8 (newer) B
# words, quotes RFC 2047 words inside name= and filename=, sends the body as
# multipart/alternative (text/plain and text/html, base64), boundaries
# ----=_Part_<n>_<n>.<ms>, and its own X-headers.

def coremail(campaign, dt, from_addr, from_words, subject_line, parts, host,
             mid, charset="GBK", extra=(), arrival=None, body_text="请查收。",
             html_extra="", text_extra="", html_part=True):
    seq = sum(ord(c) for c in mid)
    b_mixed = "----=_Part_%d_%d.%d" % (318000 + seq, 1457328842 + seq,
                                       int(dt.timestamp() * 1000) + 123)
    b_alt = "----=_Part_%d_%d.%d" % (318001 + seq, 2012873399 + seq,
                                     int(dt.timestamp() * 1000) + 124)
    cs = pycodec(charset)
    html = "<div style=\"line-height:1.7;color:#000000;font-size:14px;" \
           "font-family:Arial\">%s</div><br><br><span title=\"neteasefooter\">" \
           "<p>&nbsp;</p></span>%s" % (body_text.replace("\n", "<br>"),
                                         html_extra)
    alt_type = ["Content-Type: multipart/alternative; ",
                "\tboundary=\"%s\"" % b_alt]
    plain = entity(["Content-Type: text/plain; charset=%s" % charset,
                    "Content-Transfer-Encoding: base64"],
                   b64_lines((body_text + text_extra).replace("\n", "\r\n")
                             .encode(cs)))
    if html_part:
        alt_body = multipart(b_alt, [plain, entity(
            ["Content-Type: text/html; charset=%s" % charset,
             "Content-Transfer-Encoding: base64"],
            b64_lines(html.encode(cs)))])
    else:
        # Plain-text composing (the webmail's 纯文本 mode): one part.
        alt_type = plain.split("\n\n", 1)[0].split("\n")
        alt_body = plain.split("\n\n", 1)[1]
    if parts:
        top_type = ["Content-Type: multipart/mixed; ",
                    "\tboundary=\"%s\"" % b_mixed]
        body = multipart(b_mixed, [entity(alt_type, alt_body)] + parts)
    else:
        # Without attachments the alternative is the whole message.
        top_type, body = alt_type, alt_body
    headers = [received(MX[campaign], arrival or dt + datetime.timedelta(seconds=4),
                        "m13-77.%s (m13-77.%s [220.181.13.77])" % (host, host)),
               "Date: %s" % rfc_date(dt, " (CST)"),
               "From: %s <%s>" % (from_words, from_addr),
               "To: %s" % TO[campaign],
               "Message-ID: <%s>" % mid,
               subject_line,
               "MIME-Version: 1.0"] + top_type + [
               "X-Originating-IP: [113.246.85.%d]" % (seq % 250),
               "X-Priority: 3",
               "X-Mailer: Coremail Webmail Server Version XT5.0.13 build "
               "20200506(fbe3eb0f) Copyright (c) 2002-2020 www.mailtech.cn %s"
               % host.split(".")[0] + "com",
               "X-NTES-SC: AL_QuyTAPuYu0kq5CGZbekXn0oTju4xWsK2s/oh3oZXOJ8ojCfrxhglbm9b",
               "X-CM-CTRLDATA: 7b6s3mZvb3Rlcl9odG09MTg0ODo1Ng=="] + list(extra)
    return "\n".join(headers) + "\n\n" + body


def coremail_attachment(name, data, ctype, charset="GBK"):
    words = " ".join(ew(name, charset))
    return entity(["Content-Type: %s; name=\"%s\"" % (ctype, words),
                   "Content-Transfer-Encoding: base64",
                   "Content-Disposition: attachment; filename=\"%s\"" % words],
                  b64_lines(data))


def msg_163_fupin_video():
    subj = "扶贫征集-自荐-视频类(微视频)-星城大爱"
    v, f = mp4(101, 48 * 1024), docx(102, 3000)
    blob = coremail("fupin2020", date(2020, 8, 1, 10, 0, 0), "xcda2020@163.com",
                    ew("李明华", "GBK")[0],
                    "Subject: " + " ".join(ew(subj, "GBK")),
                    [coremail_attachment("星城大爱.mp4", v, "video/mp4"),
                     coremail_attachment("报名表.docx", f,
                         "application/vnd.openxmlformats-officedocument."
                         "wordprocessingml.document")],
                    "163.com", "3a1f9c0e.4d2b.173a7c0b8d1.Coremail.xcda2020@163.com",
                    body_text="您好，附件是我的作品和报名表，请查收。\n李明华")
    C.write("163", "fupin-video", blob, accepted(
        "fupin2020", {"方式": "自荐", "类别": "视频类(微视频)", "作品名称": "星城大爱"},
        subj, "xcda2020@163.com", "李明华",
        [att("星城大爱.mp4", v), att("报名表.docx", f)],
        exercises="Coremail 163 webmail, GBK B words in subject and in quoted "
                  "name=/filename=, multipart/alternative body, video + form"))
    return blob


NETEASE_BLOCK = (
    "<div id=\"divNeteaseBigAttach\" style=\"clear:both;margin-top:10px\">"
    "<div style=\"background:#f2f2f2;padding:6px 10px\"><b style=\"font-size:14px\">"
    "从网易%s邮箱发来的超大附件</b> <a class=\"bigattach-mailmaster-download\" "
    "href=\"http://u.163.com/mailmaster_pc\" target=\"_blank\">推荐客户端极速下载"
    "</a></div><div style=\"padding:8px 10px\"><a href=\"%s\" target=\"_blank\">"
    "<img src=\"https://mimg.127.net/xm/all/fj/ico-bfile-6.gif\" border=\"0\">"
    "</a><div style=\"display:inline-block\"><a href=\"%s\" target=\"_blank\"%s>"
    "%s</a><span style=\"color:#bbb\"> (%s, %s 到期)</span></div>"
    "<a href=\"%s\" target=\"_blank\">下载</a></div></div>")


def netease_block(box, url, name, size_text, expires, attrs=""):
    u = url.replace("&", "&amp;")
    return NETEASE_BLOCK % (box, u, u, attrs, name, size_text, expires, u)


def msg_163_fupin_bigattach():
    subj = "扶贫征集-自荐-视频类(微视频)-村里的新变化"
    f = docx(104, 2800)
    url = ("https://mail.163.com/large-attachment-download/index.html?"
           "file=djAyY2Z2dWxXNVpHM1RPQ1JzQ0x3&title=%E6%9D%91")
    html = netease_block("163", url, "村里的新变化.mp4", "356.2M",
                         "2020年8月20日 0:49")
    text = ("\n\n从网易163邮箱发来的超大附件\n村里的新变化.mp4 (356.2M, "
            "2020年8月20日 0:49 到期)\n下载: " + url + "\n")
    blob = coremail("fupin2020", date(2020, 8, 5, 16, 12, 0), "cunli2020@163.com",
                    ew("王建国", "GBK")[0],
                    "Subject: " + " ".join(ew(subj, "GBK")),
                    [coremail_attachment("报名表.docx", f, DOCX)],
                    "163.com", "5c2e8a1f.6b3d.173bd2e41a2.Coremail.cunli2020@163.com",
                    body_text="您好，视频较大，已用超大附件发送，报名表见附件。",
                    html_extra=html, text_extra=text)
    C.write("163", "fupin-bigattach", blob, accepted(
        "fupin2020", {"方式": "自荐", "类别": "视频类(微视频)", "作品名称": "村里的新变化"},
        subj, "cunli2020@163.com", "王建国",
        [att("报名表.docx", f, role="companion", kind="报名表")],
        links=[cloud_link("netease", url, "村里的新变化.mp4", round(356.2 * 1024 ** 2),
                    "2020-08-20T00:49:00+08:00")],
        exercises="163 超大附件: divNeteaseBigAttach with the same URL on the "
                  "icon, the name and 下载 (one link), the plain part's copy of "
                  "it, the form attached; GBK body"))


def msg_163_fupin_bigattach_plain():
    subj = "扶贫征集-自荐-视频类(微视频)-脱贫路上"
    f = docx(105, 2700)
    url = ("https://mail.163.com/large-attachment-download/index.html?p=X1&"
           "file=djAyTnBsYWluMTYzZmlsZQ&title=%E8%84%B1%E8%B4%AB%E8%B7%AF"
           "%E4%B8%8A.mp4")
    text = ("\n\n从网易163邮箱发来的超大附件\n脱贫路上.mp4 (856.32M, "
            "2020年8月25日 18:30 到期)\n下载: " + url + "\n")
    blob = coremail("fupin2020", date(2020, 8, 11, 18, 30, 0), "tuopin2020@163.com",
                    ew("刘小平", "GBK")[0],
                    "Subject: " + " ".join(ew(subj, "GBK")),
                    [coremail_attachment("报名表.docx", f, DOCX)],
                    "163.com", "6d3f9b2a.7c4e.173d5e6f7a8.Coremail.tuopin2020@163.com",
                    body_text="您好，视频较大，已用超大附件发送，报名表见附件。",
                    text_extra=text, html_part=False)
    C.write("163", "fupin-bigattach-plain", blob, accepted(
        "fupin2020", {"方式": "自荐", "类别": "视频类(微视频)", "作品名称": "脱贫路上"},
        subj, "tuopin2020@163.com", "刘小平",
        [att("报名表.docx", f, role="companion", kind="报名表")],
        links=[cloud_link("netease", url, "脱贫路上.mp4", round(856.32 * 1024 ** 2),
                    "2020-08-25T18:30:00+08:00")],
        exercises="163 超大附件 in a plain-text-only mail: the name on the "
                  "line before '下载: URL', the form attached"))


def msg_126_dangjiao_bigattach():
    name = "产业链上的党旗红-纪录片-武进区委组织部.mp4"
    f, t, sm = docx(131, 2500), docx(132, 3300), docx(133, 1900)
    url = ("https://mail.126.com/large-attachment-download/index.html?"
           "file=djAzZWx4Z0xRZ0hxV3lKNnNGOUxR")
    # Mail Master writes exact bytes and the expiry in milliseconds
    exp = int(date(2024, 9, 20, 9, 15, 0).timestamp()) * 1000
    html = netease_block("126", url, name, "700M", "2024年9月20日 9:15",
                         " filename=\"%s\" filesize=\"734003200\" "
                         "expiretime=\"%d\"" % (name, exp))
    blob = coremail("dangjiao-changzhou-2024", date(2024, 8, 21, 15, 2, 0),
                    "wjzzb_xc@126.com", ew("武进区委组织部", "UTF-8")[0],
                    "Subject: " + " ".join(ew("武进区报送纪录片：产业链上的党旗红", "UTF-8")),
                    [coremail_attachment("报名表（一）产业链上的党旗红.docx", f, DOCX, "UTF-8"),
                     coremail_attachment("解说词.docx", t, DOCX, "UTF-8"),
                     coremail_attachment("汇总表.docx", sm, DOCX, "UTF-8")],
                    "126.com", "7e3a9b2c.2f1d.1917b0c3e55.Coremail.wjzzb_xc@126.com",
                    charset="UTF-8",
                    body_text="您好！纪录片文件较大，通过超大附件发送，其余材料见附件。",
                    html_extra=html)
    C.write("126", "dangjiao-bigattach", blob, accepted(
        "dangjiao-changzhou-2024", {"作品名": "产业链上的党旗红", "分类": "纪录片",
                                    "报送单位": "武进区委组织部"},
        "武进区报送纪录片：产业链上的党旗红", "wjzzb_xc@126.com", "武进区委组织部",
        [att("报名表（一）产业链上的党旗红.docx", f, role="companion", kind="报名表"),
         att("解说词.docx", t, role="companion", kind="解说词"),
         att("汇总表.docx", sm, role="companion", kind="汇总表")],
        links=[cloud_link("netease", url, name, 734003200, "2024-09-20T09:15:00+08:00")],
        exercises="126 超大附件 in UTF-8 with Mail Master's filename=, "
                  "filesize= (bytes) and expiretime= (ms) on the anchor; the "
                  "work is the link, its three companions attached"))


# --- Sina webmail (mail.sina.com.cn) --------------------------------------
#
# Sina sends UTF-8 B words and a multipart/alternative body; its 中转站
# (file transfer station) puts big files behind a filecenter link with
# the name and size in bold and the expiry written after them.

def msg_sina_fupin_bigattach():
    subj = "扶贫征集-推荐-视频类(微电影)-山路弯弯"
    url = "https://mail.sina.com.cn/filecenter/download.php?id=a3f9c2e17b&from=mail"
    dt = date(2020, 8, 14, 20, 33, 0)
    html = ("<div>您好，微电影《山路弯弯》文件较大，通过中转站发送，请下载。</div>"
            "<div style=\"margin-top:12px;border:1px solid #e0e0e0;padding:8px\">"
            "<div><b>从新浪邮箱发来的超大附件</b></div><div>"
            "<span style=\"font-weight:bold\">山路弯弯.mp4 (1.05G)</span>"
            "<span style=\"color:#999\">（来自中转站，有效时间到：2020-08-28 20:33:15）"
            "</span> <a href=\"%s\" target=\"_blank\">下载</a></div></div>"
            % url.replace("&", "&amp;"))
    text = ("您好，微电影《山路弯弯》文件较大，通过中转站发送，请下载。\n\n"
            "从新浪邮箱发来的超大附件\n山路弯弯.mp4 (1.05G)（来自中转站，有效时间到："
            "2020-08-28 20:33:15）\n下载地址：%s\n" % url)
    b = "=-sinamail_alt_8f3c2a1d9e7b6c5d4e3f2a1b0c9d8e7f"
    body = multipart(b, [
        entity(["Content-Type: text/plain; charset=UTF-8",
                "Content-Transfer-Encoding: base64"], b64_lines(text.encode())),
        entity(["Content-Type: text/html; charset=UTF-8",
                "Content-Transfer-Encoding: base64"], b64_lines(html.encode()))])
    headers = [received(MX["fupin2020"], dt + datetime.timedelta(seconds=5),
                        "mail3-167.sinamail.sina.com.cn (mail3-167.sinamail."
                        "sina.com.cn [202.108.3.167])"),
               "X-Mailer: SinaMail 3.0",
               "Date: %s" % rfc_date(dt),
               "From: \"%s\" <shanlu2020@sina.com>" % ew("赵红梅", "UTF-8")[0],
               "To: %s" % TO["fupin2020"],
               "Subject: %s" % "".join(ew(subj, "UTF-8")),
               "Message-ID: <20200814123300.8F3C2A1D9E7B@sina.com>",
               "MIME-Version: 1.0",
               "Content-Type: multipart/alternative; boundary=\"%s\"" % b]
    C.write("sina", "fupin-bigattach", "\n".join(headers) + "\n\n" + body, accepted(
        "fupin2020", {"方式": "推荐", "类别": "视频类(微电影)", "作品名称": "山路弯弯"},
        subj, "shanlu2020@sina.com", "赵红梅", [],
        links=[cloud_link("sina", url, "山路弯弯.mp4", round(1.05 * 1024 ** 3),
                    "2020-08-28T20:33:00+08:00")],
        exercises="Sina 中转站 link: name and size in bold before 下载, the "
                  "expiry as 有效时间到 with seconds; no attachment part"))


def msg_163_redelivered(first):
    # The same message delivered a second time (a retried fetch, a copy
    # moved back into the folder): one more Received line on top.
    blob = received(MX["fupin2020"], date(2020, 8, 1, 10, 20, 0),
                    "m13-78.163.com (m13-78.163.com [220.181.13.78])") + "\n" + first
    C.write("163", "fupin-video-redelivered", blob, refused(
        "fupin2020", "duplicate",
        "163/fupin-video delivered again (same Message-ID, one more Received)",
        after=["163/fupin-video"], reason="already processed"))


def msg_163_fupin_alias():
    subj = "扶贫征集-个人自荐-文学类-我的扶贫路"
    f = docx(103, 6000)
    blob = coremail("fupin2020", date(2020, 8, 3, 21, 14, 5), "hn_wangfang@163.com",
                    ew("王芳", "UTF-8")[0],
                    "Subject: " + fold_words(ew(subj, "UTF-8")),
                    [coremail_attachment("我的扶贫路.docx", f,
                        "application/vnd.openxmlformats-officedocument."
                        "wordprocessingml.document", "UTF-8")],
                    "163.com", "6b2e1f03.8a3c.173b4e9a1f2.Coremail.hn_wangfang@163.com",
                    charset="UTF-8")
    C.write("163", "fupin-alias-utf8", blob, accepted(
        "fupin2020", {"方式": "自荐", "类别": "文字类", "作品名称": "我的扶贫路"},
        subj, "hn_wangfang@163.com", "王芳", [att("我的扶贫路.docx", f)],
        exercises="newer Coremail in UTF-8; aliases 个人自荐 -> 自荐, 文学类 -> 文字类"))


def msg_163_xuexi2020():
    subj = "张三+学员标兵"
    a = pdf(104, 9000)
    b = docx(105, 2500)
    c = png(106, 4000)
    d = jpeg(107, 5000)
    blob = coremail("xuexizhixing-2020", date(2020, 8, 20, 16, 45, 12),
                    "sxjgdw_zhangsan@163.com", ew("张三", "GBK")[0],
                    "Subject: " + " ".join(ew(subj, "GBK")),
                    [coremail_attachment("学员标兵推荐表（盖章）.pdf", a, "application/pdf"),
                     coremail_attachment("学员标兵推荐表.docx", b,
                         "application/vnd.openxmlformats-officedocument."
                         "wordprocessingml.document"),
                     coremail_attachment("我的信息.png", c, "image/png"),
                     coremail_attachment("答题记录.jpg", d, "image/jpeg")],
                    "163.com", "1c7d0e55.2f1a.17409a3bd11.Coremail.sxjgdw_zhangsan@163.com")
    C.write("163", "xuexi2020-forms", blob, accepted(
        "xuexizhixing-2020", {"姓名": "张三", "填报项目": "学员标兵"}, subj,
        "sxjgdw_zhangsan@163.com", "张三",
        [att("学员标兵推荐表（盖章）.pdf", a), att("学员标兵推荐表.docx", b),
         att("我的信息.png", c), att("答题记录.jpg", d)],
        exercises="subject {姓名}+{填报项目} in GBK, four attachments "
                  "(stamped scan, form, two screenshots)"))


def msg_163_reply():
    subj = "回复：扶贫征集-推荐-图片类-山乡巨变"
    j = jpeg(108, 30000)
    quoted = ("老师您好，图片已按要求重新命名，请查收。\n\n"
              "在 2020-08-02 09:12:33，\"扶贫征集\" <info@hnmsw.com> 写道：\n"
              "> 您好，邮件主题请按“扶贫征集-推荐/自荐-类别-作品名称”填写。\n"
              ">\n> 人才就业社保信息报社\n")
    blob = coremail("fupin2020", date(2020, 8, 2, 11, 3, 40), "lxrsj_tp@163.com",
                    ew("涟源市人社局", "GBK")[0],
                    "Subject: " + " ".join(ew(subj, "GBK")),
                    [coremail_attachment("山乡巨变.jpg", j, "image/jpeg")],
                    "163.com", "7e3a2c19.3b4d.173ad1f0c22.Coremail.lxrsj_tp@163.com",
                    extra=["In-Reply-To: <FUPIN2020-00007.reply@hnmsw.com>",
                           "References: <FUPIN2020-00007.reply@hnmsw.com>"],
                    body_text=quoted)
    C.write("163", "reply-quoted", blob, accepted(
        "fupin2020", {"方式": "推荐", "类别": "图片类", "作品名称": "山乡巨变"},
        subj, "lxrsj_tp@163.com", "涟源市人社局", [att("山乡巨变.jpg", j)],
        exercises="a reply: 回复： prefix, In-Reply-To/References, Coremail "
                  "quoted history in the body"))


def msg_163_xuexi2022_over_quota():
    name = "【学员标兵】王强（山西大学）.docx"
    photo = "【学员标兵】王强（山西大学）.jpg"
    f, j = docx(109, 2800), jpeg(110, 21000)
    blob = coremail("xuexizhixing-2022", date(2023, 1, 5, 9, 30, 0),
                    "sxu_tw@163.com", ew("山西大学团委", "GBK")[0],
                    "Subject: " + " ".join(ew("学员标兵推荐（补报）", "GBK")),
                    [coremail_attachment(name, f, DOCX),
                     coremail_attachment(photo, j, "image/jpeg")],
                    "163.com", "5f0a9d2e.1c2b.1857f2a0e33.Coremail.sxu_tw@163.com")
    C.write("163", "xuexi2022-over-quota", blob, refused(
        "xuexizhixing-2022", "over-quota",
        "a second 学员标兵 from 山西大学 (form and photo, complete) after "
        "qq/xuexi2022-form: 每校每项限保1个",
        after=["qq/xuexi2022-form"], reason="“学员标兵”最多报送 1 件"))


def msg_163_fupin_no_attachment():
    # A story typed into the mail itself, the way a 文字类 entry is often
    # sent by someone who has never attached a file.
    subj = "扶贫征集-自荐-文字类-我们村的第一书记"
    story = ("我们村的第一书记\n\n"
             "    2017年春天，省里派来的李书记住进了村委会的小屋。"
             "三年里，他走遍了全村一百二十七户人家……\n\n"
             "作者：王建国 联系电话：13800000000")
    blob = coremail("fupin2020", date(2020, 8, 7, 20, 48, 30), "wjg_hn1965@163.com",
                    ew("王建国", "GBK")[0],
                    "Subject: " + " ".join(ew(subj, "GBK")), [],
                    "163.com", "2c4e6a8b.9d1f.173c6e2a0b4.Coremail.wjg_hn1965@163.com",
                    body_text=story)
    C.write("163", "fupin-no-attachment", blob, refused(
        "fupin2020", "rejected",
        "Coremail 163 without attachments (multipart/alternative alone), GBK "
        "subject in the convention, the story typed into the body: a mail "
        "with no attachment is no submission, the correction says so",
        reason="邮件中没有附件"))


def msg_163_xuexi2022_form_no_photo():
    form = "【优秀审核员】刘伟（太原科技大学）.docx"
    f = docx(111, 3300)
    blob = coremail("xuexizhixing-2022", date(2022, 12, 29, 9, 40, 2),
                    "tyust_xcb@163.com", ew("太原科技大学宣传部", "GBK")[0],
                    "Subject: " + " ".join(ew("优秀审核员报名（刘伟）", "GBK")),
                    [coremail_attachment(form, f, DOCX)],
                    "163.com", "7d9f1b3c.5e7a.1855c3b2f15.Coremail.tyust_xcb@163.com",
                    body_text="老师好，附件为优秀审核员报名表。")
    C.write("163", "xuexi2022-form-no-photo", blob, refused(
        "xuexizhixing-2022", "rejected",
        "a well-named 2022 form without the 学习强国 photo the notice requires "
        "(随报名表另附…照片一张)", reason="照片"))


def msg_163_xuexi2022_form_photo():
    # The same school answers the correction: the form again, and the
    # photo straight from a phone, under the camera's name.
    form = "【优秀审核员】刘伟（太原科技大学）.docx"
    photo = "IMG_20221229_101523.jpg"
    f, j = docx(111, 3300), jpeg(112, 23000)
    blob = coremail("xuexizhixing-2022", date(2022, 12, 29, 10, 20, 45),
                    "tyust_xcb@163.com", ew("太原科技大学宣传部", "GBK")[0],
                    "Subject: " + " ".join(ew("回复：优秀审核员报名（刘伟）", "GBK")),
                    [coremail_attachment(form, f, DOCX),
                     coremail_attachment(photo, j, "image/jpeg")],
                    "163.com", "8e0a2c4d.6f8b.1855c5f0a26.Coremail.tyust_xcb@163.com",
                    body_text="老师好，已补上照片，请查收。")
    C.write("163", "xuexi2022-form-photo", blob, accepted(
        "xuexizhixing-2022", {"报名类型": "优秀审核员", "人员姓名": "刘伟",
                              "单位名称": "太原科技大学"},
        "回复：优秀审核员报名（刘伟）", "tyust_xcb@163.com", "太原科技大学宣传部",
        [att(form, f, role="work", kind="报名表"),
         att(photo, j, role="companion", kind="照片")],
        after=["163/xuexi2022-form-no-photo"],
        exercises="the corrected resend of 163/xuexi2022-form-no-photo: the "
                  "same form again with a photo under its camera name "
                  "(IMG_….jpg, nothing like the form's); the refused first "
                  "mail takes no quota and is no duplicate"))


# --- 126.com (Coremail too, as the 朔州 mailbox and its units use it) -----------

def msg_126_xxqg_mooc():
    subj = "优质慕课-朔州市委党校-张三-党史十讲"
    v, d = mp4(201, 64 * 1024), doc(202, 4096)
    blob = coremail("xxqg-shuozhou-2019", date(2019, 6, 18, 15, 20, 0),
                    "szdx_jwc@126.com", ew("朔州市委党校教务处", "GBK")[0],
                    "Subject: " + " ".join(ew(subj, "GBK")),
                    [coremail_attachment("党史十讲（第一讲）.mp4", v, "video/mp4"),
                     coremail_attachment("作者信息表.doc", d, "application/msword")],
                    "126.com", "2d8e0b7a.4c1f.16b691a2c44.Coremail.szdx_jwc@126.com")
    C.write("126", "xxqg-mooc", blob, accepted(
        "xxqg-shuozhou-2019", {"系列": "优质慕课", "报送单位": "朔州市委党校",
                               "作者": "张三", "作品名称": "党史十讲"},
        subj, "szdx_jwc@126.com", "朔州市委党校教务处",
        [att("党史十讲（第一讲）.mp4", v), att("作者信息表.doc", d)],
        exercises="126 webmail (Coremail), GBK, four-part subject convention"))


def msg_126_xxqg_title_dash():
    subj = "《我和我的祖国》-朔城区委宣传部-李四-我和我的祖国-献礼新中国成立70周年"
    v = mp4(203, 40 * 1024)
    blob = coremail("xxqg-shuozhou-2019", date(2019, 7, 2, 8, 55, 31),
                    "scqxcb@126.com", ew("朔城区委宣传部", "GBK")[0],
                    "Subject: " + fold_words(ew(subj, "GBK")),
                    [coremail_attachment("我和我的祖国-献礼新中国成立70周年.mp4", v,
                                         "video/mp4")],
                    "126.com", "0b9c4d1e.7a2f.16bb0e5c755.Coremail.scqxcb@126.com")
    C.write("126", "xxqg-title-dash", blob, accepted(
        "xxqg-shuozhou-2019", {"系列": "我和我的祖国", "报送单位": "朔城区委宣传部",
                               "作者": "李四",
                               "作品名称": "我和我的祖国-献礼新中国成立70周年"},
        subj, "scqxcb@126.com", "朔城区委宣传部",
        [att("我和我的祖国-献礼新中国成立70周年.mp4", v)],
        exercises="alias 《我和我的祖国》, a title that contains a dash, subject "
                  "folded over several GBK words"))


def msg_126_xxqg_batch():
    # “各单位征集的优质资源,要及时有序地向市委宣传部推荐”: a county
    # department forwards three authors' works in one mail, under a subject
    # of its own; the convention is in each file name.
    subj = "朔城区委宣传部报送学习强国作品"
    n1 = "优质慕课-朔城区委宣传部-张三-党史十讲.mp4"
    n2 = "大家讲堂-朔城区委宣传部-李四-桑干河畔.mp4"
    n3 = "百灵短视频音频-朔城区委宣传部-王五-古城新貌.mp4"
    n4 = "作者信息表.doc"
    v1, v2, v3, d = mp4(205, 30 * 1024), mp4(206, 26 * 1024), mp4(207, 18 * 1024), \
        doc(208, 3072)
    blob = coremail("xxqg-shuozhou-2019", date(2019, 7, 10, 11, 2, 40),
                    "scqxcb@126.com", ew("朔城区委宣传部", "GBK")[0],
                    "Subject: " + " ".join(ew(subj, "GBK")),
                    [coremail_attachment(n1, v1, "video/mp4"),
                     coremail_attachment(n2, v2, "video/mp4"),
                     coremail_attachment(n3, v3, "video/mp4"),
                     coremail_attachment(n4, d, "application/msword")],
                    "126.com", "5a2c7e19.3b8d.16bd9f0c2a1.Coremail.scqxcb@126.com",
                    body_text="市委宣传部：\n我部报送三件作品，作者信息见附表。")
    unit = "朔城区委宣传部"
    C.write("126", "xxqg-shuozhou-batch", blob, accepted(
        "xxqg-shuozhou-2019", {"系列": "优质慕课", "报送单位": unit, "作者": "张三",
                               "作品名称": "党史十讲"},
        subj, "scqxcb@126.com", "朔城区委宣传部",
        [att(n1, v1, role="work", kind="作品"),
         att(n4, d, role="companion", kind="作者信息")],
        more_cases=[
            {"fields": {"系列": "大家讲堂", "报送单位": unit, "作者": "李四",
                        "作品名称": "桑干河畔"},
             "attachments": [att(n2, v2, role="work", kind="作品"),
                             att(n4, d, role="companion", kind="作者信息")]},
            {"fields": {"系列": "百灵短视频音频", "报送单位": unit, "作者": "王五",
                        "作品名称": "古城新貌"},
             "attachments": [att(n3, v3, role="work", kind="作品"),
                             att(n4, d, role="companion", kind="作者信息")]}],
        exercises="126 webmail, GBK; a subject outside the convention, three "
                  "files named in it (convention = either): three cases, the "
                  "authors' sheet (scope mail) kept in each"))


def msg_126_xxqg_empty_subject():
    v = mp4(204, 20 * 1024)
    blob = coremail("xxqg-shuozhou-2019", date(2019, 7, 10, 17, 2, 0),
                    "yxxcb2019@126.com", ew("应县宣传部", "GBK")[0], "Subject: ",
                    [coremail_attachment("应县木塔.mp4", v, "video/mp4")],
                    "126.com", "4a7b2e9f.0d3c.16bdb3a9e66.Coremail.yxxcb2019@126.com")
    C.write("126", "xxqg-empty-subject", blob, refused(
        "xxqg-shuozhou-2019", "rejected",
        "empty Subject: on a subject-convention campaign",
        reason="邮件主题是空的"))


def msg_126_dangjiao_empty_subject():
    name = "产业链上的党旗红-记录片-新北区委组织部.mp4"
    form = "附件2：参赛作品报名表.docx"
    v, f = mp4(205, 56 * 1024), docx(206, 2300)
    blob = coremail("dangjiao-changzhou-2024", date(2024, 7, 8, 10, 11, 12),
                    "xbqzzb_dyjy@126.com", ew("新北区委组织部", "UTF-8")[0],
                    "Subject:",
                    [coremail_attachment(name, v, "video/mp4", "UTF-8"),
                     coremail_attachment(form, f, DOCX, "UTF-8")],
                    "126.com", "9e1d3f2a.5b6c.1908f2e1d77.Coremail.xbqzzb_dyjy@126.com",
                    charset="UTF-8")
    C.write("126", "dangjiao-empty-subject", blob, accepted(
        "dangjiao-changzhou-2024", {"作品名": "产业链上的党旗红", "分类": "纪录片",
                                    "报送单位": "新北区委组织部"},
        "", "xbqzzb_dyjy@126.com", "新北区委组织部",
        [att(name, v, role="work", kind="作品"),
         att(form, f, role="companion", kind="报名表")],
        exercises="empty subject on a file-name campaign: the work's name "
                  "gives the fields; alias 记录片 -> 纪录片; the notice's "
                  "form under the name it was handed out with"))


# --- QQ mail (webmail) ---------------------------------------------------------
#
# QQ mail labels everything gb18030 (newer: utf-8), uses boundaries
# ----=_NextPart_<8 hex>_<8 hex>_<8 hex>, tencent_<hex>@qq.com Message-IDs,
# X-QQ-* headers, and sends text/plain + text/html as alternative.  A file
# over the attachment limit becomes a 超大附件: no MIME part at all, only a
# download link in the HTML body.

def qq(campaign, dt, from_addr, from_name, subject, parts, mid_hex,
       charset="gb18030", html_extra="", extra=(), body_text="老师您好，作品请查收。",
       text_extra="", html_part=True):
    seed = int(mid_hex[:8], 16)
    b1 = "----=_NextPart_%08X_%08X_%08X" % (int(dt.timestamp()), seed, seed ^ 0x5A5A5A5A)
    b2 = "----=_NextPart_%08X_%08X_%08X" % (int(dt.timestamp()), seed + 1, seed ^ 0x3C3C3C3C)
    cs = pycodec(charset)
    html = "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=%s\">" \
           "<div>%s</div>%s" % (charset.upper(), body_text, html_extra)
    plain = entity(["Content-Type: text/plain;",
                    "\tcharset=\"%s\"" % charset,
                    "Content-Transfer-Encoding: base64"],
                   b64_lines((body_text + text_extra).encode(cs)))
    if html_part:
        alt = entity(["Content-Type: multipart/alternative;",
                      "\tboundary=\"%s\"" % b2],
                     multipart(b2, [plain, entity(
                         ["Content-Type: text/html;",
                          "\tcharset=\"%s\"" % charset,
                          "Content-Transfer-Encoding: base64"],
                         b64_lines(html.encode(cs)))], ""))
    else:
        # 纯文本 composing: the text part alone, no HTML to read links from
        alt = plain
    headers = [received(MX[campaign], dt + datetime.timedelta(seconds=3),
                        "out203-205-221.mail.qq.com (out203-205-221.mail.qq.com "
                        "[203.205.221.205])"),
               "X-QQ-FEAT: 3uawQE1sH+0Tr1tTL0Y1ifX2ThwHnnOYmLvE1Yb2JV0Q1jj6",
               "X-QQ-SSF: 00000000000000F000000000000000Z",
               "X-QQ-XMAILINFO: NDgcPMWLfN4Eqzp3L8Dm1KGUNmrAXE3bmWA6bG2Oeb7Z",
               "X-QQ-STYLE: ",
               "X-QQ-mid: webmail742t%dt%d" % (int(dt.timestamp()), seed % 10000000),
               "From: \"%s\" <%s>" % (ew(from_name, charset)[0], from_addr),
               "To: \"%s\" <%s>" % (TO[campaign], TO[campaign]),
               "Subject: %s" % subject,
               "Mime-Version: 1.0",
               "Content-Type: multipart/mixed;",
               "\tboundary=\"%s\"" % b1,
               "Content-Transfer-Encoding: 8Bit",
               "Date: %s" % rfc_date(dt),
               "X-Priority: 3",
               "Message-ID: <tencent_%s@qq.com>" % mid_hex,
               "X-QQ-MIME: TCMime 1.0 by Tencent",
               "X-Mailer: QQMail 2.x",
               "X-QQ-Mailer: QQMail 2.x"] + list(extra)
    body = multipart(b1, [alt] + parts, "This is a multi-part message in MIME format.\n")
    return "\n".join(headers) + "\n\n" + body


def qq_attachment(name, data, ctype, charset="gb18030"):
    words = "".join(ew(name, charset))
    return entity(["Content-Type: %s;" % ctype,
                   "\tname=\"%s\"" % words,
                   "Content-Disposition: attachment; filename=\"%s\"" % words,
                   "Content-Transfer-Encoding: base64"],
                  b64_lines(data))


def qq_attachment_2231(name, data, ctype):
    """Newer QQ mail (utf-8): RFC 2231 filename*= on the disposition, an
    RFC 2047 name= beside it for old readers."""
    return entity(["Content-Type: %s;" % ctype,
                   "\tname=\"%s\"" % "".join(ew(name, "utf-8")),
                   "Content-Disposition: attachment;",
                   "\t" + rfc2231("filename", name, "utf-8")[0],
                   "Content-Transfer-Encoding: base64"],
                  b64_lines(data))


def qq_ftn_link(filename, size_text, key, expires="2020年08月25日 10:06"):
    return ("<div style=\"padding:6px 12px;background:#EFEFEF\"><b>从QQ邮箱发来的超大附件"
            "</b></div><div><a href=\"https://wx.mail.qq.com/ftn/download?func=3&amp;"
            "key=%s&amp;code=5e1c\" target=\"_blank\">%s</a> (%s, %s "
            "到期)<br>进入下载页面：https://wx.mail.qq.com/ftn/download?func=3&amp;"
            "key=%s</div>" % (key, filename, size_text, expires, key))


def cloud_link(provider, url, name, size, expires_at):
    """An expected cloud attachment link (case.json "links"): its provider,
    URL (entities decoded), the name its block gives, the size in bytes
    (K/M/G binary, as the providers mean them; None: unknown) and the
    expiry in the campaign's time (None: none or unknown)."""
    return {"provider": provider, "url": url, "name": name, "size": size,
            "expires_at": expires_at}


def msg_qq_fupin_fullwidth():
    subj = "扶贫征集－推荐－视频类（微电影）－大山里的新希望"
    v = mp4(301, 60 * 1024)
    blob = qq("fupin2020", date(2020, 8, 10, 14, 22, 9), "2876543210@qq.com",
              "湘西州人社局", "".join(ew(subj, "gb18030")),
              [qq_attachment("大山里的新希望.mp4", v, "application/octet-stream")],
              "7A3C5E9F1B2D4F6A8C0E2A4C6E8F0B1D2E3F")
    C.write("qq", "fupin-fullwidth", blob, accepted(
        "fupin2020", {"方式": "推荐", "类别": "视频类(微电影)",
                      "作品名称": "大山里的新希望"},
        subj, "2876543210@qq.com", "湘西州人社局", [att("大山里的新希望.mp4", v)],
        exercises="QQ mail gb18030 labels; full-width －（） typed by the input "
                  "method; video sent as application/octet-stream"))


def msg_qq_fupin_large_attachment():
    subj = "扶贫征集-自荐-视频类(微视频)-我家的小康路"
    link = qq_ftn_link("我家的小康路.mp4", "1.26G",
                       "2b6e4f7a1c3d5e7f90a1b2c3d4e5f60718293a4b")
    blob = qq("fupin2020", date(2020, 8, 11, 10, 6, 0), "1034567890@qq.com", "周小康",
              "".join(ew(subj, "gb18030")), [], "0F1E2D3C4B5A69788796A5B4C3D2E1F0",
              html_extra=link,
              body_text="作品文件太大，用超大附件发送，请下载。")
    C.write("qq", "fupin-large-attachment", blob, accepted(
        "fupin2020", {"方式": "自荐", "类别": "视频类(微视频)",
                      "作品名称": "我家的小康路"},
        subj, "1034567890@qq.com", "周小康", [],
        links=[cloud_link("qq", "https://wx.mail.qq.com/ftn/download?func=3&key="
                    "2b6e4f7a1c3d5e7f90a1b2c3d4e5f60718293a4b&code=5e1c",
                    "我家的小康路.mp4", round(1.26 * 1024 ** 3),
                    "2020-08-25T10:06:00+08:00")],
        exercises="QQ 超大附件 only: no attachment part, the work is the link "
                  "in the HTML body (anchor and the page's URL in text are "
                  "one file), registered with its name, size and expiry"))


def msg_qq_fupin_large_attachment_plain():
    subj = "扶贫征集-自荐-视频类(微视频)-星城大爱"
    url = ("http://mail.qq.com/cgi-bin/ftnExs_download?k=5c3b2a1908f7e6d5"
           "c4b3a291&t=exs_ftn_download&code=3e7a9c1d")
    text = ("\n\n从QQ邮箱发来的超大附件\n\n星城大爱.mp4 (1.25G, 2020年09月09日 "
            "10:21 到期)\n进入下载页面：%s\n" % url)
    blob = qq("fupin2020", date(2020, 8, 26, 10, 21, 0), "1122334455@qq.com", "陈星",
              "".join(ew(subj, "gb18030")), [], "5C3B2A1908F7E6D5C4B3A29180706F5E",
              body_text="作品文件太大，用超大附件发送，请下载。", text_extra=text,
              html_part=False)
    C.write("qq", "fupin-large-attachment-plain", blob, accepted(
        "fupin2020", {"方式": "自荐", "类别": "视频类(微视频)",
                      "作品名称": "星城大爱"},
        subj, "1122334455@qq.com", "陈星", [],
        links=[cloud_link("qq", url, "星城大爱.mp4", round(1.25 * 1024 ** 3),
                    "2020-09-09T10:21:00+08:00")],
        exercises="QQ 超大附件 in a plain-text-only mail: the name and "
                  "(size, expiry) on one line, 进入下载页面：URL on the next"))


def msg_qq_dangjiao_large_attachment():
    link = qq_ftn_link("红色印记-典型事迹片-溧阳市委组织部.mp4", "2.03G",
                       "9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddcc",
                       expires="2024年09月03日 16:40")
    blob = qq("dangjiao-changzhou-2024", date(2024, 8, 20, 16, 40, 0),
              "3345678901@qq.com", "溧阳市委组织部",
              "".join(ew("红色印记-典型事迹片-溧阳市委组织部", "utf-8")), [],
              "A1B2C3D4E5F60718293A4B5C6D7E8F90", charset="utf-8", html_extra=link,
              body_text="视频较大，使用超大附件发送。")
    C.write("qq", "dangjiao-large-attachment", blob, refused(
        "dangjiao-changzhou-2024", "rejected",
        "QQ 超大附件 on a file-name campaign: the link is the work, well named, "
        "but Changzhou takes a work with its 报名表 in one mail",
        reason="缺少报名表"))


def msg_qq_dangjiao_link_and_form():
    name = "初心如磐-纪录片-金坛区委组织部.mp4"
    form = "报名表（一）初心如磐.docx"
    f = docx(317, 2600)
    link_html = qq_ftn_link(name, "1.20G", "5d4c3b2a19081726354453627180a9b8c7d6e5f4",
                            expires="2024年09月12日 10:30")
    blob = qq("dangjiao-changzhou-2024", date(2024, 8, 29, 10, 30, 0),
              "2233445566@qq.com", "金坛区委组织部",
              "".join(ew("金坛区委组织部报送纪录片", "utf-8")),
              [qq_attachment_2231(form, f, DOCX)],
              "D4E5F60718293A4B5C6D7E8F90A1B2C3", charset="utf-8",
              html_extra=link_html,
              body_text="老师好，纪录片较大，用超大附件发送，报名表见附件。")
    C.write("qq", "dangjiao-link-and-form", blob, accepted(
        "dangjiao-changzhou-2024", {"作品名": "初心如磐", "分类": "纪录片",
                                    "报送单位": "金坛区委组织部"},
        "金坛区委组织部报送纪录片", "2233445566@qq.com", "金坛区委组织部",
        [att(form, f, role="companion", kind="报名表")],
        links=[cloud_link("qq", "https://wx.mail.qq.com/ftn/download?func=3&key="
                    "5d4c3b2a19081726354453627180a9b8c7d6e5f4&code=5e1c", name,
                    round(1.2 * 1024 ** 3), "2024-09-12T10:30:00+08:00")],
        exercises="file-name campaign: the work as a QQ 超大附件 named by the "
                  "convention, its 报名表 attached; the link is the work file"))


def msg_qq_xuexi2022_form():
    n1 = "【学员标兵】张三（山西大学）.docx"
    n2 = "【学员标兵】张三（山西大学）.jpg"
    f, j = docx(302, 3100), jpeg(303, 24000)
    blob = qq("xuexizhixing-2022", date(2022, 12, 28, 11, 18, 44), "1587654321@qq.com",
              "山西大学", "".join(ew("学习之星报名-学员标兵-张三", "gb18030")),
              [qq_attachment(n1, f, "application/vnd.openxmlformats-officedocument."
                             "wordprocessingml.document"),
               qq_attachment(n2, j, "image/jpeg")],
              "5C6D7E8F9A0B1C2D3E4F5A6B7C8D9E0F")
    C.write("qq", "xuexi2022-form", blob, accepted(
        "xuexizhixing-2022", {"报名类型": "学员标兵", "人员姓名": "张三",
                              "单位名称": "山西大学"},
        "学习之星报名-学员标兵-张三", "1587654321@qq.com", "山西大学",
        [att(n1, f), att(n2, j)],
        exercises="file-name convention 【{报名类型}】{人员姓名}（{单位名称}）, form "
                  "and photo named alike, gb18030 words in name="))


def msg_qq_dangjiao_form_only():
    form = "报名表（一）初心如磐.docx"
    f = docx(312, 2200)
    blob = qq("dangjiao-changzhou-2024", date(2024, 8, 1, 17, 5, 0),
              "2765432109@qq.com", "天宁区委组织部",
              "".join(ew("初心如磐-微视频-天宁区委组织部（报名表）", "utf-8")),
              [qq_attachment_2231(form, f, DOCX)],
              "B2C3D4E5F60718293A4B5C6D7E8F90A1", charset="utf-8",
              body_text="老师好，先发报名表，视频较大随后发送。")
    C.write("qq", "dangjiao-form-only", blob, refused(
        "dangjiao-changzhou-2024", "rejected",
        "QQ mail in UTF-8 with an RFC 2231 filename*=: only the 报名表, the "
        "video to follow; a form is no work, and the campaign takes a work "
        "with its form in one mail", reason="没有找到作品文件"))


def msg_qq_dangjiao_two_versions():
    n1 = "星火燎原（有字幕）-微视频-溧阳市委组织部.mp4"
    n2 = "星火燎原（无字幕）-微视频-溧阳市委组织部.mp4"
    n3 = "报名表-星火燎原.docx"
    n4 = "解说词-星火燎原.docx"
    v1, v2 = mp4(313, 46 * 1024), mp4(314, 45 * 1024)
    f, t = docx(315, 2400), docx(316, 3800)
    blob = qq("dangjiao-changzhou-2024", date(2024, 8, 12, 9, 26, 31),
              "3012765489@qq.com", "溧阳市委组织部",
              "".join(ew("溧阳市报送微视频：星火燎原", "gb18030")),
              [qq_attachment(n1, v1, "video/mp4"),
               qq_attachment(n2, v2, "video/mp4"),
               qq_attachment(n3, f, DOCX),
               qq_attachment(n4, t, DOCX)],
              "C3D4E5F60718293A4B5C6D7E8F90A1B2",
              body_text="老师好，星火燎原有字幕、无字幕两个版本及报名表、解说词，请查收。")
    C.write("qq", "dangjiao-two-versions", blob, accepted(
        "dangjiao-changzhou-2024", {"作品名": "星火燎原", "分类": "微视频",
                                    "报送单位": "溧阳市委组织部"},
        "溧阳市报送微视频：星火燎原", "3012765489@qq.com", "溧阳市委组织部",
        [att(n1, v1, role="work", kind="作品", marker="有字幕"),
         att(n2, v2, role="work", kind="作品", marker="无字幕"),
         att(n3, f, role="companion", kind="报名表"),
         att(n4, t, role="companion", kind="解说词")],
        exercises="QQ mail gb18030: a 微视频 in its 有字幕 and 无字幕 versions "
                  "(names differing only by the bracketed marker), its form "
                  "and its 解说词: one case, titled without the marker, both "
                  "videos stored"))


def msg_qq_fupin_zip():
    subj = "扶贫征集-自荐-图片类-家乡新貌"
    z = zip_of([("家乡新貌/01-新修的公路.jpg", jpeg(304, 9000)),
                ("家乡新貌/02-易地搬迁小区.jpg", jpeg(305, 11000)),
                ("家乡新貌/03-村里的扶贫车间.jpg", jpeg(306, 7000)),
                ("家乡新貌/报名表.docx", docx(307, 1500))])
    blob = qq("fupin2020", date(2020, 8, 15, 20, 31, 2), "2233445566@qq.com", "陈家乡",
              "".join(ew(subj, "gb18030")),
              [qq_attachment("家乡新貌.zip", z, "application/x-zip-compressed")],
              "D4C3B2A1F0E9D8C7B6A5948372615049",
              body_text="三张照片和报名表打包在附件里。")
    C.write("qq", "fupin-zip", blob, accepted(
        "fupin2020", {"方式": "自荐", "类别": "图片类", "作品名称": "家乡新貌"},
        subj, "2233445566@qq.com", "陈家乡", [att("家乡新貌.zip", z)],
        exercises="everything (photos and form) in one .zip, stored as sent"))


def msg_qq_xuexi2020_rare():
    subj = "刘䶮+优秀学员"
    name = "刘䶮-优秀学员推荐表.docx"
    f = docx(308, 2700)
    blob = qq("xuexizhixing-2020", date(2020, 8, 25, 9, 9, 9), "3012345678@qq.com",
              "刘䶮", "".join(ew(subj, "gb18030")),
              [qq_attachment(name, f, "application/vnd.openxmlformats-officedocument."
                             "wordprocessingml.document")],
              "E1F2A3B4C5D6E7F8091A2B3C4D5E6F70")
    C.write("qq", "xuexi2020-gb18030-rare", blob, accepted(
        "xuexizhixing-2020", {"姓名": "刘䶮", "填报项目": "优秀学员"}, subj,
        "3012345678@qq.com", "刘䶮", [att(name, f)],
        exercises="a name with a GB18030 four-byte character (䶮, CJK Ext. A) in "
                  "subject, display name and file name"))


def msg_qq_auto_reply():
    subj = "自动回复: 扶贫征集-自荐-视频类(微视频)-星城大爱"
    blob = qq("fupin2020", date(2020, 8, 1, 10, 0, 30), "xcda2020@qq.com", "李明华",
              "".join(ew(subj, "gb18030")), [], "00AA11BB22CC33DD44EE55FF66778899",
              body_text="您好，您的邮件我已收到，我会尽快回复。")
    C.write("qq", "auto-reply", blob, refused(
        "fupin2020", "ignored", "QQ mail's 自动回复 (auto-reply): no case, no reply",
        reason="automatic reply"))


# --- Foxmail 7.2 ---------------------------------------------------------------
#
# Foxmail labels GBK text gb2312, B-encodes names inside quotes, sends
# text/plain + text/html (base64) as alternative, boundaries
# ----=_001_NextPart<12 digits>_=----, and Message-IDs
# <YYYYMMDDhhmmss<digits>@domain>.

def foxmail(campaign, dt, from_addr, from_name, subject, parts, mid, extra=(),
            body_text="您好，作品已发送，请查收。"):
    b1 = "----=_001_NextPart%012d_=----" % (int(dt.timestamp()) % 10**12)
    b2 = "----=_002_NextPart%012d_=----" % ((int(dt.timestamp()) + 7) % 10**12)
    html = ("<html><head><meta http-equiv=\"content-type\" content=\"text/html; "
            "charset=GB2312\"></head><body><div><span></span>%s</div>"
            "<hr style=\"width: 210px; height: 1px;\" color=\"#b5c4df\" size=\"1\" "
            "align=\"left\"><div><span><div style=\"MARGIN: 10px; FONT-FAMILY: "
            "verdana; FONT-SIZE: 10pt\"><div>%s</div></div></span></div></body></html>"
            % (body_text, from_addr))
    alt = entity(["Content-Type: multipart/alternative;",
                  "\tboundary=\"%s\"" % b2],
                 multipart(b2, [
                     entity(["Content-Type: text/plain;",
                             "\tcharset=\"GB2312\"",
                             "Content-Transfer-Encoding: base64"],
                            b64_lines((body_text + "\r\n\r\n\r\n" + from_addr + "\r\n")
                                      .encode("gb18030"))),
                     entity(["Content-Type: text/html;",
                             "\tcharset=\"GB2312\"",
                             "Content-Transfer-Encoding: quoted-printable"],
                            qp(html.encode("gb18030")))]))
    headers = [received(MX[campaign], dt + datetime.timedelta(seconds=6),
                        "DESKTOP-8F3K2L1 (unknown [180.110.42.17])"),
               "Date: %s" % rfc_date(dt),
               "From: \"%s\" <%s>" % (ew(from_name, "GB2312")[0], from_addr),
               "To: \"%s\" <%s>" % (TO[campaign], TO[campaign]),
               "Subject: %s" % subject] + list(extra) + [
               "X-Priority: 3",
               "X-GUID: 5E1A7C3D-2B4F-4A6E-9C8D-%012X" % (int(dt.timestamp()) * 977),
               "X-Has-Attach: %s" % ("yes" if parts else "no"),
               "X-Mailer: Foxmail 7.2.19.158[cn]",
               "Mime-Version: 1.0",
               "Message-ID: <%s>" % mid,
               "Content-Type: multipart/mixed;",
               "\tboundary=\"%s\"" % b1]
    body = multipart(b1, [alt] + parts, "This is a multi-part message in MIME format.\n")
    return "\n".join(headers) + "\n\n" + body


def foxmail_attachment(name, data, ctype):
    words = "".join(ew(name, "GB2312"))
    return entity(["Content-Type: %s;" % ctype,
                   "\tname=\"%s\"" % words,
                   "Content-Transfer-Encoding: base64",
                   "Content-Disposition: attachment;",
                   "\tfilename=\"%s\"" % words],
                  b64_lines(data))


def msg_foxmail_dangjiao():
    n1 = "镕铸忠诚（有字幕）-微视频-金坛区委组织部.mp4"
    n2 = "镕铸忠诚（无字幕）-微视频-金坛区委组织部.mp4"
    n3 = "报名表（一）.docx"
    v1, v2, f = mp4(401, 72 * 1024), mp4(402, 70 * 1024), docx(403, 2000)
    blob = foxmail("dangjiao-changzhou-2024", date(2024, 6, 20, 15, 30, 0),
                   "jtqzzb_dyk@163.com", "金坛区委组织部党员教育科",
                   "".join(ew("报送作品：镕铸忠诚-微视频-金坛区委组织部", "GB2312")),
                   [foxmail_attachment(n1, v1, "video/mp4"),
                    foxmail_attachment(n2, v2, "video/mp4"),
                    foxmail_attachment(n3, f, "application/vnd.openxmlformats-"
                                       "officedocument.wordprocessingml.document")],
                   "202406201530002718423@163.com")
    C.write("foxmail", "dangjiao-gb2312", blob, accepted(
        "dangjiao-changzhou-2024", {"作品名": "镕铸忠诚", "分类": "微视频",
                                    "报送单位": "金坛区委组织部"},
        "报送作品：镕铸忠诚-微视频-金坛区委组织部", "jtqzzb_dyk@163.com",
        "金坛区委组织部党员教育科",
        [att(n1, v1, role="work", kind="作品", marker="有字幕"),
         att(n2, v2, role="work", kind="作品", marker="无字幕"),
         att(n3, f, role="companion", kind="报名表")],
        exercises="Foxmail: gb2312 label over a GBK-only character (镕), subtitled "
                  "and unsubtitled versions in full-width brackets are one work "
                  "titled without the marker, plus the form"))


def msg_foxmail_fupin_exe_only():
    # A self-extracting archive (WinRAR SFX) made "so the teacher needs no
    # unzip program": a program, not a work file.
    subj = "扶贫征集-自荐-图片类-我家的新房子"
    name = "我家的新房子.exe"
    x = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + noise(409, 40 * 1024)
    blob = foxmail("fupin2020", date(2020, 8, 16, 19, 2, 33), "zhangxf1972@163.com",
                   "张秀芬", "".join(ew(subj, "GB2312")),
                   [foxmail_attachment(name, x, "application/octet-stream")],
                   "202008161902332619874@163.com",
                   body_text="照片和报名表打包成自解压文件了，双击就能打开。")
    C.write("foxmail", "fupin-exe-only", blob, refused(
        "fupin2020", "rejected",
        "Foxmail 7.2, a subject in the convention, but the only attachment is "
        "a .exe (a self-extracting archive): a program is never kept in a "
        "case folder staff open, so the mail is refused and told why",
        reason="是可执行程序"))


def msg_foxmail_fupin_two_works():
    # “同一个人可同时申报文字、图片、视频等三类作品”: one author sends a text
    # and a photo series in one mail, the subject naming both in the
    # notice's form joined by a full-width semicolon, each file named after
    # its work and each form after the work it is for.
    subj = ("扶贫征集-自荐-文字类-我的扶贫路；"
            "扶贫征集-自荐-图片类-山村新貌")
    n1, n2 = "我的扶贫路.docx", "报名表-我的扶贫路.docx"
    n3, n4, n5 = "山村新貌1.jpg", "山村新貌2.jpg", "报名表-山村新貌.docx"
    t, f1 = docx(410, 9000), docx(411, 2200)
    j1, j2, f2 = jpeg(412, 30000), jpeg(413, 28000), docx(414, 2300)
    blob = foxmail("fupin2020", date(2020, 8, 12, 20, 41, 5), "lijh_hy@163.com",
                   "李建华", "".join(ew(subj, "GB2312")),
                   [foxmail_attachment(n1, t, DOCX),
                    foxmail_attachment(n2, f1, DOCX),
                    foxmail_attachment(n3, j1, "image/jpeg"),
                    foxmail_attachment(n4, j2, "image/jpeg"),
                    foxmail_attachment(n5, f2, DOCX)],
                   "202008122041052281733@163.com",
                   body_text="您好，我投一篇文章和一组照片，报名表各一份，请查收。")
    C.write("foxmail", "fupin-two-works-gbk", blob, accepted(
        "fupin2020", {"方式": "自荐", "类别": "文字类", "作品名称": "我的扶贫路"},
        subj, "lijh_hy@163.com", "李建华",
        [att(n1, t, role="work", kind="文字作品"),
         att(n2, f1, role="companion", kind="报名表")],
        more_cases=[{
            "fields": {"方式": "自荐", "类别": "图片类", "作品名称": "山村新貌"},
            "attachments": [att(n3, j1, role="work", kind="图片作品"),
                            att(n4, j2, role="work", kind="图片作品"),
                            att(n5, f2, role="companion", kind="报名表")]}],
        exercises="Foxmail 7.2, gb2312-labelled subject naming two works "
                  "joined by ；: two cases, each with the files named after "
                  "its title (山村新貌1/2.jpg, a 组图) and its own form"))


def msg_foxmail_xxqg():
    subj = "百灵-怀仁市委宣传部-王喆-桑干河畔"
    v = mp4(404, 36 * 1024)
    blob = foxmail("xxqg-shuozhou-2019", date(2019, 7, 15, 22, 5, 47),
                   "hrsxcb@126.com", "王喆", "".join(ew(subj, "GB2312")),
                   [foxmail_attachment("桑干河畔.mp4", v, "video/mp4")],
                   "201907152205470153216@126.com")
    C.write("foxmail", "xxqg-gbk-name", blob, accepted(
        "xxqg-shuozhou-2019", {"系列": "百灵短视频音频", "报送单位": "怀仁市委宣传部",
                               "作者": "王喆", "作品名称": "桑干河畔"},
        subj, "hrsxcb@126.com", "王喆", [att("桑干河畔.mp4", v)],
        exercises="gb2312-labelled subject and display name holding 喆 (GBK "
                  "only); alias 百灵 -> 百灵短视频音频"))


def msg_foxmail_forward():
    inner_subj = "扶贫征集-推荐-文字类-脱贫路上-我和我的乡亲"
    n1, n2 = "脱贫路上-我和我的乡亲.docx", "报名表.pdf"
    f, p = docx(405, 8000), pdf(406, 12000)
    inner = coremail("fupin2020", date(2020, 8, 5, 8, 12, 0), "liuxiaomei1976@163.com",
                     ew("刘晓梅", "GBK")[0], "Subject: " + " ".join(ew(inner_subj, "GBK")),
                     [coremail_attachment(n1, f, "application/vnd.openxmlformats-"
                                          "officedocument.wordprocessingml.document"),
                      coremail_attachment(n2, p, "application/pdf")],
                     "163.com", "4e5f6a7b.8c9d.173bd0e1f88.Coremail.liuxiaomei1976@163.com",
                     body_text="局领导：我的稿件和报名表在附件，麻烦转交。")
    inner = inner.split("\n", 3)[3]     # the author's copy has no Received
    subj = "转发：" + inner_subj
    fwd = entity(["Content-Type: message/rfc822;",
                  "\tname=\"%s\"" % "".join(ew(inner_subj + ".eml", "GB2312")),
                  "Content-Transfer-Encoding: 7bit",
                  "Content-Disposition: attachment;",
                  "\tfilename=\"%s\"" % "".join(ew(inner_subj + ".eml", "GB2312"))],
                 inner)
    blob = foxmail("fupin2020", date(2020, 8, 5, 9, 40, 11), "ylxrsj@163.com",
                   "攸县人社局", "".join(ew(subj, "GB2312")), [fwd],
                   "202008050940116430221@163.com",
                   body_text="转发刘晓梅同志的稿件，请查收。")
    C.write("foxmail", "forward-from-unit", blob, accepted(
        "fupin2020", {"方式": "推荐", "类别": "文字类",
                      "作品名称": "脱贫路上-我和我的乡亲"},
        subj, "ylxrsj@163.com", "攸县人社局", [att(n1, f), att(n2, p)],
        exercises="a unit forwards an author's mail as message/rfc822: the "
                  "attachments are inside it; 转发： prefix; title with a dash"))


# --- Outlook for Windows (16.0) and Outlook for Mac ------------------------------
#
# Outlook for Windows on a Chinese system writes gb2312 labels, QP bodies,
# ----=_NextPart_000_<4>_<8>.<8> boundaries, Thread-Index, Content-Language
# zh-cn, folds long encoded names over several words inside the quotes, and
# older versions give only name= (no Content-Disposition).  In rich-text
# mode it wraps the attachments in application/ms-tnef (winmail.dat).

def outlook(campaign, dt, from_addr, from_name, subject_words, parts, mid, tag,
            body_text="您好：\r\n    附件是我单位报送的作品，请查收。\r\n"):
    b1 = "----=_NextPart_000_%s_01D6%s" % (tag, "6F2A.5C7E1B20")
    b2 = "----=_NextPart_001_%s_01D6%s" % (tag, "6F2A.5C7E1B20")
    html = ("<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head>"
            "<meta http-equiv=Content-Type content=\"text/html; charset=gb2312\">"
            "<meta name=Generator content=\"Microsoft Word 15 (filtered medium)\">"
            "</head><body lang=ZH-CN><div class=WordSection1><p class=MsoNormal>"
            "<span style='font-family:\"微软雅黑\",sans-serif'>%s</span></p></div>"
            "</body></html>" % body_text.replace("\r\n", "<br>"))
    alt = entity(["Content-Type: multipart/alternative;",
                  "\tboundary=\"%s\"" % b2],
                 multipart(b2, [
                     entity(["Content-Type: text/plain;",
                             "\tcharset=\"gb2312\"",
                             "Content-Transfer-Encoding: quoted-printable"],
                            qp(body_text.encode("gb18030"))),
                     entity(["Content-Type: text/html;",
                             "\tcharset=\"gb2312\"",
                             "Content-Transfer-Encoding: quoted-printable"],
                            qp(html.encode("gb18030")))], ""))
    headers = [received(MX[campaign], dt + datetime.timedelta(seconds=9),
                        "PC-201906WIN10 (unknown [36.44.120.8])"),
               "From: \"%s\" <%s>" % ("".join(ew(from_name, "gb2312")), from_addr),
               "To: <%s>" % TO[campaign],
               "Subject: %s" % "\n\t".join(subject_words),
               "Date: %s" % rfc_date(dt),
               "Message-ID: <%s>" % mid,
               "MIME-Version: 1.0",
               "Content-Type: multipart/mixed;",
               "\tboundary=\"%s\"" % b1,
               "X-Mailer: Microsoft Outlook 16.0",
               "Thread-Index: AdZvKlx+G5kC3q1mR0S0%sAA==" % tag,
               "Content-Language: zh-cn"]
    body = multipart(b1, [alt] + parts, "This is a multipart message in MIME format.\n")
    return "\n".join(headers) + "\n\n" + body


def outlook_attachment(name, data, ctype, name_only=False):
    words = "\n\t".join(ew(name, "gb2312", maxlen=60))
    h = ["Content-Type: %s;" % ctype, "\tname=\"%s\"" % words,
         "Content-Transfer-Encoding: base64"]
    if not name_only:
        h.append("Content-Disposition: attachment;")
        h.append("\tfilename=\"%s\"" % words)
    return entity(h, b64_lines(data))


def msg_outlook_dangjiao():
    n1 = "党旗在基层一线高高飘扬（有字幕）-微党课-中共武进区委组织部.mp4"
    n1b = "党旗在基层一线高高飘扬（无字幕）-微党课-中共武进区委组织部.mp4"
    n2 = "报名表（二）.doc"
    v, vb, d = mp4(501, 80 * 1024), mp4(511, 78 * 1024), doc(502, 5120)
    blob = outlook("dangjiao-changzhou-2024", date(2024, 7, 22, 9, 48, 3),
                   "wjdyjy@wj.gov.example.cn", "武进区委组织部 党员教育中心",
                   ew("武进区报送：党旗在基层一线高高飘扬", "gb2312"),
                   [outlook_attachment(n1, v, "video/mp4"),
                    outlook_attachment(n1b, vb, "video/mp4"),
                    outlook_attachment(n2, d, "application/msword")],
                   "000001d6dc1e$5c7e1b20$15b65160$@wj.gov.example.cn", "0012")
    C.write("outlook", "dangjiao-gb2312-qp", blob, accepted(
        "dangjiao-changzhou-2024", {"作品名": "党旗在基层一线高高飘扬", "分类": "微视频",
                                    "报送单位": "武进区委组织部"},
        "武进区报送：党旗在基层一线高高飘扬", "wjdyjy@wj.gov.example.cn",
        "武进区委组织部 党员教育中心",
        [att(n1, v, role="work", kind="作品", marker="有字幕"),
         att(n1b, vb, role="work", kind="作品", marker="无字幕"),
         att(n2, d, role="companion", kind="报名表")],
        exercises="Outlook 16 for Windows in gb2312: QP bodies, long names "
                  "(both versions of the 微视频) folded over several encoded "
                  "words inside the quotes; aliases 微党课 -> 微视频, "
                  "中共武进区委组织部 -> 武进区委组织部"))


def msg_outlook_dangjiao_summary_pdf():
    # A unit's last mail: its 新媒体作品 (a poster), the work's form, and the
    # unit's stamped 汇总表 scanned to PDF.
    n1 = "溧阳红色地图-新媒体作品-溧阳市委组织部.png"
    n2 = "报名表（三）溧阳红色地图.doc"
    n3 = "汇总表（盖章）.pdf"
    i, d, p = png(512, 36000), doc(513, 4608), pdf(514, 14000)
    blob = outlook("dangjiao-changzhou-2024", date(2024, 8, 28, 16, 12, 40),
                   "lysdyjy@ly.gov.example.cn", "溧阳市委组织部",
                   ew("溧阳市报送新媒体作品及汇总表", "gb2312"),
                   [outlook_attachment(n1, i, "image/png"),
                    outlook_attachment(n2, d, "application/msword"),
                    outlook_attachment(n3, p, "application/pdf")],
                   "004e01d6f93a$7c8d9ea0$75a8dbe0$@ly.gov.example.cn", "004E",
                   body_text="您好：\r\n    附件是我市新媒体作品、报名表和盖章的汇总表，"
                             "请查收。\r\n")
    C.write("outlook", "dangjiao-summary-pdf", blob, accepted(
        "dangjiao-changzhou-2024", {"作品名": "溧阳红色地图", "分类": "新媒体作品",
                                    "报送单位": "溧阳市委组织部"},
        "溧阳市报送新媒体作品及汇总表", "lysdyjy@ly.gov.example.cn", "溧阳市委组织部",
        [att(n1, i, role="work", kind="作品"),
         att(n2, d, role="companion", kind="报名表"),
         att(n3, p, role="companion", kind="汇总表")],
        exercises="Outlook 16 in gb2312: a well-named 新媒体作品 poster (.png), "
                  "its form and the unit's stamped 汇总表（盖章）.pdf: the PDF "
                  "is a companion, kept in the case, and sinks nothing"))


def msg_outlook_xuexi2020_batch():
    # “每周二、五通过邮箱汇总报送当期学员名单和全部报名表”: a 通讯站 sends its
    # batch on a Tuesday, each form named 姓名+填报项目 as the notice names
    # the subject, in its two versions (the stamped scan and the Word file),
    # and one member's screenshot.
    subj = "省直工委通讯站报送（第2批）"
    n1, n2 = "张三+学员标兵.docx", "张三+学员标兵（盖章）.pdf"
    n3, n4 = "李四+挑战达人.docx", "李四+挑战达人（盖章）.pdf"
    n5 = "张三-我的信息.png"
    a, b, c, d, e = docx(515, 2600), pdf(516, 15000), docx(517, 2400), \
        pdf(518, 14500), png(519, 9000)
    blob = outlook("xuexizhixing-2020", date(2020, 8, 25, 17, 20, 31),
                   "szgwtxz@163.com", "省直工委通讯站",
                   ew(subj, "gb2312"),
                   [outlook_attachment(n1, a, DOCX),
                    outlook_attachment(n2, b, "application/pdf"),
                    outlook_attachment(n3, c, DOCX),
                    outlook_attachment(n4, d, "application/pdf"),
                    outlook_attachment(n5, e, "image/png")],
                   "005f01d67ac2$1e2d3c40$5a87b4c0$@163.com", "005F",
                   body_text="您好：\r\n    附件是本周第二批报名表（扫描件和电子版），"
                             "请查收。\r\n")
    C.write("outlook", "xuexi2020-batch-gb2312", blob, accepted(
        "xuexizhixing-2020", {"姓名": "张三", "填报项目": "学员标兵"}, subj,
        "szgwtxz@163.com", "省直工委通讯站",
        [att(n1, a, role="work", kind="报名表", marker="电子版"),
         att(n2, b, role="work", kind="报名表", marker="扫描件"),
         att(n5, e, role="companion", kind="截图")],
        more_cases=[{
            "fields": {"姓名": "李四", "填报项目": "挑战达人"},
            "attachments": [att(n3, c, role="work", kind="报名表", marker="电子版"),
                            att(n4, d, role="work", kind="报名表",
                                marker="扫描件")]}],
        exercises="Outlook 16, gb2312: a 通讯站 batch under a subject of its "
                  "own, each nomination named 姓名+填报项目 in its two versions "
                  "(convention = either): two cases, the screenshot with the "
                  "nomination whose name it carries"))


def msg_outlook_name_only():
    subj = "李娜+志愿出题员"
    n1, n2 = "志愿命题员报名表.doc", "身份证.jpg"
    d, j = doc(503, 6144), jpeg(504, 15000)
    blob = outlook("xuexizhixing-2020", date(2020, 8, 27, 14, 2, 26),
                   "lina_ty@sx.example.cn", "李娜", ew(subj, "gb2312"),
                   [outlook_attachment(n1, d, "application/msword", name_only=True),
                    outlook_attachment(n2, j, "image/jpeg", name_only=True)],
                   "000a01d67c3b$8e4f2a10$aaed7e30$@sx.example.cn", "000A")
    C.write("outlook", "name-only", blob, accepted(
        "xuexizhixing-2020", {"姓名": "李娜", "填报项目": "志愿命题员"}, subj,
        "lina_ty@sx.example.cn", "李娜", [att(n1, d), att(n2, j)],
        exercises="Outlook's name= only (no Content-Disposition); alias "
                  "志愿出题员 -> 志愿命题员"))


def msg_outlook_winmail():
    subj = "周杰+志愿审读员"
    n1, n2 = "志愿审读员报名表.doc", "照片.jpg"
    d, j = doc(505, 3000), jpeg(506, 6000)
    # The form has an 8.3 title and its real name as the MAPI long file
    # name; the photo only a title.
    w = tnef([("志愿审~1.DOC", n1, d), (n2, None, j)])
    blob = outlook("xuexizhixing-2020", date(2020, 8, 29, 18, 30, 0),
                   "zhoujie@sx.example.cn", "周杰", ew(subj, "gb2312"),
                   [entity(["Content-Type: application/ms-tnef;",
                            "\tname=\"winmail.dat\"",
                            "Content-Transfer-Encoding: base64",
                            "Content-Disposition: attachment;",
                            "\tfilename=\"winmail.dat\""], b64_lines(w))],
                   "001b01d67e0f$2a3b4c50$7eb1e4f0$@sx.example.cn", "001B")
    C.write("outlook", "winmail-dat", blob, accepted(
        "xuexizhixing-2020", {"姓名": "周杰", "填报项目": "志愿审读员"}, subj,
        "zhoujie@sx.example.cn", "周杰", [att(n1, d), att(n2, j)],
        exercises="Outlook rich text: the form and the photo inside an "
                  "application/ms-tnef winmail.dat (a UTF-16 long name beside "
                  "an 8.3 CP936 title; a CP936 title alone), taken out as "
                  "attachments of their own"))


LONG_TITLE = ("记录朔州山区脱贫攻坚一线扶贫干部与乡亲们同吃同住同劳动"
              "三年如一日帮助全村摆脱贫困走上致富路的故事和他们的心里话与新的期盼")
TOO_LONG_TITLE = LONG_TITLE + "以及他们在新时代继续奋斗的新征程"
assert len(LONG_TITLE) == 60 and len(TOO_LONG_TITLE) == 76, len(LONG_TITLE)


def msg_outlook_long_subject():
    subj = "来自脱贫攻坚一线的报告-山阴县委宣传部-刘洋-" + LONG_TITLE
    n = "报告-" + LONG_TITLE[:20] + ".doc"
    d = doc(507, 9000)
    blob = outlook("xxqg-shuozhou-2019", date(2019, 7, 29, 23, 50, 0),
                   "syxcb_ly@sx.example.cn", "刘洋", ew(subj, "gb2312", maxlen=60),
                   [outlook_attachment(n, d, "application/msword")],
                   "002c01d6462e$1f2e3d40$5d6b7a80$@sx.example.cn", "002C")
    C.write("outlook", "long-subject", blob, accepted(
        "xxqg-shuozhou-2019", {"系列": "来自脱贫攻坚一线的报告", "报送单位": "山阴县委宣传部",
                               "作者": "刘洋", "作品名称": LONG_TITLE},
        subj, "syxcb_ly@sx.example.cn", "刘洋", [att(n, d)],
        exercises="a very long subject (title at the 60-character limit) folded "
                  "over many gb2312 words; arrives 10 minutes before the deadline"))


def msg_outlook_mac():
    name = "【优秀供稿员】阿依古丽·买买提（山西师范大学）.docx"
    photo = "IMG_4821.HEIC"
    f, h = docx(508, 4200), heic(509, 26000)
    dt = date(2023, 1, 6, 17, 12, 55)
    b = "B_3755943175_%d" % 1618033988
    body = entity(["Content-type: text/plain;", "\tcharset=\"UTF-8\"",
                   "Content-transfer-encoding: base64"],
                  b64_lines("老师好，附件为报名表和照片。\r\n".encode()))

    def mac_attachment(fname, ctype, data):
        words = "".join(ew(fname, "UTF-8")) if not fname.isascii() else fname
        return entity(["Content-type: %s; name=\"%s\"" % (ctype, words),
                       "Content-disposition: attachment;",
                       "\tfilename=\"%s\"" % words,
                       "Content-transfer-encoding: base64"], b64_lines(data))
    a = mac_attachment(name, DOCX, f)
    a2 = mac_attachment(photo, "image/heic", h)
    headers = [received(MX["xuexizhixing-2022"], dt + datetime.timedelta(seconds=5),
                        "mail.sxnu.example.cn (unknown [59.48.22.3])"),
               "User-Agent: Microsoft-MacOutlook/16.68.22121100",
               "Date: %s" % rfc_date(dt),
               "Subject: %s" % "".join(ew("优秀供稿员报名", "UTF-8")),
               "From: %s <%s>" % (ew("山西师范大学宣传部", "UTF-8")[0], "xcb@sxnu.example.cn"),
               "To: <%s>" % TO["xuexizhixing-2022"],
               "Message-ID: <A7F3C2E1-9B4D-4E6F-8A1B-2C3D4E5F6A7B@sxnu.example.cn>",
               "Thread-Topic: %s" % "".join(ew("优秀供稿员报名", "UTF-8")),
               "Mime-version: 1.0",
               "Content-type: multipart/mixed;",
               "\tboundary=\"%s\"" % b]
    blob = "\n".join(headers) + "\n\n" + multipart(
        b, [body, a, a2], "> This message is in MIME format. Since your mail reader does "
        "not understand\nthis format, some or all of this message may not be legible.\n")
    C.write("outlook", "mac-utf8", blob, accepted(
        "xuexizhixing-2022", {"报名类型": "优秀供稿员", "人员姓名": "阿依古丽·买买提",
                              "单位名称": "山西师范大学"},
        "优秀供稿员报名", "xcb@sxnu.example.cn", "山西师范大学宣传部",
        [att(name, f, role="work", kind="报名表"),
         att(photo, h, role="companion", kind="照片")],
        exercises="Outlook for Mac: UTF-8, lower-case Content-type header names, "
                  "a name with the middle dot ·; the photo an iPhone's "
                  "IMG_….HEIC, an upper-case extension of the photo's type"))


# --- Apple Mail (macOS) ----------------------------------------------------------
#
# Apple Mail writes file names as the Mac file system holds them, decomposed
# (NFD), in RFC 2231 form with continuations for long names, marks images
# and PDFs Content-Disposition: inline (still with a file name), adds
# x-unix-mode, and uses Apple-Mail=_<UUID> boundaries and Q-encoded subjects.

def apple(campaign, dt, from_addr, from_name, subject, body_parts, mid, uuid,
          extra=()):
    b = "Apple-Mail=_%s" % uuid
    headers = [received(MX[campaign], dt + datetime.timedelta(seconds=2),
                        "smtpclient.apple (unknown [117.136.5.%d])" % (len(mid) % 200)),
               "From: %s <%s>" % (ew(from_name, "utf-8", "Q")[0], from_addr),
               "Content-Type: multipart/mixed;",
               "\tboundary=\"%s\"" % b,
               "Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3696.120.41.1.1\\))",
               "Subject: %s" % subject,
               "Date: %s" % rfc_date(dt),
               "Message-Id: <%s>" % mid,
               "To: %s" % TO[campaign]] + list(extra) + [
               "X-Mailer: Apple Mail (2.3696.120.41.1.1)"]
    return "\n".join(headers) + "\n\n" + multipart(b, body_parts)


def apple_text(text):
    return entity(["Content-Transfer-Encoding: quoted-printable",
                   "Content-Type: text/plain;", "\tcharset=utf-8"],
                  qp(text.replace("\n", "\r\n").encode()))


def apple_attachment(name, data, ctype, disposition="attachment", chunk=None):
    nfd = unicodedata.normalize("NFD", name)
    params = rfc2231("filename", nfd, "utf-8", chunk)
    h = ["Content-Disposition: %s;" % disposition]
    h += ["\t%s%s" % (p, ";" if i < len(params) - 1 else "")
          for i, p in enumerate(params)]
    h += ["Content-Type: %s;" % ctype, "\tx-unix-mode=0644;",
          "\tname=\"%s\"" % "".join(ew(nfd, "utf-8", "Q")),
          "Content-Transfer-Encoding: base64"]
    return entity(h, b64_lines(data))


def msg_apple_nfd_xuexi2022():
    name = "【优秀学员】José García（山西大学）.jpg"
    form = "【优秀学员】José García（山西大学）.docx"
    j, f = jpeg(601, 20000), docx(607, 2900)
    blob = apple("xuexizhixing-2022", date(2022, 12, 30, 20, 8, 16),
                 "jose.garcia@sxu.example.cn", "José García",
                 "".join(ew("优秀学员报名 José García", "utf-8", "Q")),
                 [apple_text("老师好，附件是照片和报名表。\n"),
                  apple_attachment(name, j, "image/jpeg", "inline"),
                  apple_attachment(form, f, DOCX)],
                 "8D0E1F2A-3B4C-5D6E-7F80-91A2B3C4D5E6@sxu.example.cn",
                 "1A2B3C4D-5E6F-4A8B-9C0D-E1F2A3B4C5D6")
    C.write("apple-mail", "nfd-xuexi2022", blob, accepted(
        "xuexizhixing-2022", {"报名类型": "优秀学员", "人员姓名": "José García",
                              "单位名称": "山西大学"},
        "优秀学员报名 José García", "jose.garcia@sxu.example.cn", "José García",
        [att(name, j, role="companion", kind="照片"),
         att(form, f, role="work", kind="报名表")],
        exercises="Apple Mail: decomposed (NFD) file names in RFC 2231 form, "
                  "Content-Disposition inline on the photo, Q-encoded subject; "
                  "the stored names and the fields (from the form's name) come "
                  "out composed (NFC)",
        nfd_original=True))


def msg_apple_nfd_dangjiao():
    name = "Café里的党课Ⅱ：我们的支部（有字幕）-微党课-钟楼区委组织部.mp4"
    name2 = "Café里的党课Ⅱ：我们的支部（无字幕）-微党课-钟楼区委组织部.mp4"
    form = "报名表-Café里的党课Ⅱ.docx"
    v, v2, f = mp4(602, 52 * 1024), mp4(605, 50 * 1024), docx(606, 2600)
    blob = apple("dangjiao-changzhou-2024", date(2024, 8, 9, 11, 11, 11),
                 "zlq_dangke@zl.example.cn", "钟楼区委组织部",
                 "".join(ew("钟楼区 微党课", "utf-8", "Q")),
                 [apple_text("您好，附件为我区报送的微党课作品。\n钟楼区委组织部\n"),
                  apple_attachment(name, v, "video/mp4", chunk=40),
                  apple_attachment(name2, v2, "video/mp4", chunk=40),
                  apple_attachment(form, f, DOCX, chunk=40)],
                 "F0E1D2C3-B4A5-9687-7869-5A4B3C2D1E0F@zl.example.cn",
                 "0F1E2D3C-4B5A-4978-8796-A5B4C3D2E1F0")
    C.write("apple-mail", "nfd-continuations", blob, accepted(
        "dangjiao-changzhou-2024", {"作品名": "Café里的党课II:我们的支部", "分类": "微视频",
                                    "报送单位": "钟楼区委组织部"},
        "钟楼区 微党课", "zlq_dangke@zl.example.cn", "钟楼区委组织部",
        [att(name, v, role="work", kind="作品", marker="有字幕"),
         att(name2, v2, role="work", kind="作品", marker="无字幕"),
         att(form, f, role="companion", kind="报名表")],
        exercises="NFD names in RFC 2231 continuations split inside characters; "
                  "NFKC makes Ⅱ II and ： : in the fields while the stored names "
                  "keep them; the decomposed version markers still pair the "
                  "two versions",
        nfd_original=True))


def msg_apple_inline_image():
    subj = "王芳+挑战达人"
    img = jpeg(603, 18000)
    p = pdf(604, 7000)
    b_alt = "Apple-Mail=_7C6B5A49-3827-4160-9F8E-7D6C5B4A3928"
    b_rel = "Apple-Mail=_2E3F4A5B-6C7D-4E8F-9A0B-1C2D3E4F5A6B"
    html = ("<html><head><meta http-equiv=\"content-type\" content=\"text/html; "
            "charset=utf-8\"></head><body style=\"overflow-wrap: break-word;\">"
            "<div>老师好，这是我的答题记录截图：</div><div><img apple-inline=\"yes\" "
            "id=\"A1\" src=\"cid:7F1E2D3C-4B5A-4978-8796-A5B4C3D2E1F0\"></div>"
            "<div>报名表见附件。</div></body></html>")
    related = entity(["Content-Type: multipart/related;",
                      "\ttype=\"text/html\";", "\tboundary=\"%s\"" % b_rel],
                     multipart(b_rel, [
                         entity(["Content-Transfer-Encoding: quoted-printable",
                                 "Content-Type: text/html;", "\tcharset=utf-8"],
                                qp(html.encode())),
                         entity(["Content-Transfer-Encoding: base64",
                                 "Content-Disposition: inline;",
                                 "\tfilename=IMG_0421.jpeg",
                                 "Content-Type: image/jpeg;",
                                 "\tx-unix-mode=0666;",
                                 "\tname=\"IMG_0421.jpeg\"",
                                 "Content-Id: <7F1E2D3C-4B5A-4978-8796-A5B4C3D2E1F0>"],
                                b64_lines(img))]))
    alt = entity(["Content-Type: multipart/alternative;",
                  "\tboundary=\"%s\"" % b_alt],
                 multipart(b_alt, [
                     apple_text("老师好，这是我的答题记录截图：\n\n报名表见附件。\n"),
                     related]))
    blob = apple("xuexizhixing-2020", date(2020, 8, 24, 7, 45, 0),
                 "wangfang_xx@icloud.example.com", "王芳",
                 "".join(ew(subj, "utf-8", "Q")),
                 [alt, apple_attachment("挑战达人报名表.pdf", p, "application/pdf",
                                        "inline")],
                 "3C4D5E6F-7A8B-4C9D-8E0F-1A2B3C4D5E6F@icloud.example.com",
                 "9A8B7C6D-5E4F-4A3B-2C1D-0E9F8A7B6C5D")
    C.write("apple-mail", "inline-image", blob, accepted(
        "xuexizhixing-2020", {"姓名": "王芳", "填报项目": "挑战达人"}, subj,
        "wangfang_xx@icloud.example.com", "王芳",
        [att("IMG_0421.jpeg", img), att("挑战达人报名表.pdf", p)],
        exercises="HTML body with an inline screenshot (multipart/related in "
                  "multipart/alternative, Content-ID) and an inline PDF: both "
                  "are attachments"))


# --- Gmail (web) -----------------------------------------------------------------
#
# Gmail: MIME-Version first, CA+...@mail.gmail.com Message-IDs, boundaries of
# 28 hex digits starting with zeros, UTF-8 B words in quoted name= and
# filename=, Content-ID and X-Attachment-Id on every attachment.

def gmail(campaign, dt, from_addr, from_name, subject, parts, mid, bnd,
          extra=(), body_text="老师您好，附件请查收。", arrival=None):
    b1 = "000000000000%s05e1d2" % bnd
    b2 = "000000000000%s03a7f4" % bnd
    alt = entity(["Content-Type: multipart/alternative; boundary=\"%s\"" % b2],
                 multipart(b2, [
                     entity(["Content-Type: text/plain; charset=\"UTF-8\"",
                             "Content-Transfer-Encoding: base64"],
                            b64_lines(body_text.replace("\n", "\r\n").encode())),
                     entity(["Content-Type: text/html; charset=\"UTF-8\"",
                             "Content-Transfer-Encoding: base64"],
                            b64_lines(("<div dir=\"ltr\">%s</div>\r\n" %
                                       body_text.replace("\n", "<br>")).encode()))]))
    headers = [received(MX[campaign], arrival or dt + datetime.timedelta(seconds=1),
                        "mail-pj1-f54.google.com (mail-pj1-f54.google.com "
                        "[209.85.216.54])"),
               "MIME-Version: 1.0"] + list(extra) + [
               "From: %s <%s>" % (ew(from_name, "UTF-8")[0], from_addr),
               "Date: %s" % rfc_date(dt),
               "Message-ID: <%s@mail.gmail.com>" % mid,
               "Subject: %s" % subject,
               "To: %s" % TO[campaign],
               "Content-Type: multipart/mixed; boundary=\"%s\"" % b1]
    return "\n".join(headers) + "\n\n" + multipart(b1, [alt] + parts)


def gmail_attachment(name, data, ctype, fid, transfer="base64"):
    words = "".join(ew(name, "UTF-8")) if any(ord(c) > 127 for c in name) else name
    body = b64_lines(data) if transfer == "base64" else qp(data)
    return entity(["Content-Type: %s; name=\"%s\"" % (ctype, words),
                   "Content-Disposition: attachment; filename=\"%s\"" % words,
                   "Content-Transfer-Encoding: %s" % transfer,
                   "Content-ID: <%s>" % fid,
                   "X-Attachment-Id: %s" % fid], body)


def msg_gmail_xxqg():
    subj = "强国问答-应县县委宣传部-赵敏-党史知识100题"
    n1, n2 = "党史知识100题.xlsx", "问答题: 第1-100题?.docx"
    x, f = xlsx(701, 5000), docx(702, 4000)
    blob = gmail("xxqg-shuozhou-2019", date(2019, 6, 5, 13, 37, 0), "zhaomin.yx@gmail.com",
                 "赵敏", "".join(ew(subj, "UTF-8")),
                 [gmail_attachment(n1, x, "application/vnd.openxmlformats-officedocument."
                                   "spreadsheetml.sheet", "f_jwj1a2b30"),
                  gmail_attachment(n2, f, "application/vnd.openxmlformats-officedocument."
                                   "wordprocessingml.document", "f_jwj1a2b41")],
                 "CAKx8f3Q1p2Zr5vT9wN0aB7cD4eF6gH1iJ2kL3mN4oP5q", "7d9e2a058b")
    C.write("gmail", "xxqg-utf8", blob, accepted(
        "xxqg-shuozhou-2019", {"系列": "强国问答试题", "报送单位": "应县委宣传部",
                               "作者": "赵敏", "作品名称": "党史知识100题"},
        subj, "zhaomin.yx@gmail.com", "赵敏",
        [att(n1, x), att(n2, f, stored="问答题： 第1-100题？.docx")],
        exercises="Gmail: UTF-8 B words in quoted name=/filename=, Content-ID "
                  "and X-Attachment-Id; a name with : and ? (stored full-width); "
                  "alias 强国问答 -> 强国问答试题; the unit's other spelling "
                  "应县县委宣传部 -> the roster's 应县委宣传部"))


def msg_gmail_too_long():
    subj = "来自脱贫攻坚一线的报告-山阴县委宣传部-刘洋-" + TOO_LONG_TITLE
    d = docx(703, 3000)
    blob = gmail("xxqg-shuozhou-2019", date(2019, 7, 20, 10, 0, 0), "liuyang.sy@gmail.com",
                 "刘洋", "\n ".join(ew(subj, "UTF-8")),
                 [gmail_attachment("报告.docx", d, "application/vnd.openxmlformats-"
                                   "officedocument.wordprocessingml.document", "f_k0a1b2c3")],
                 "CAL9q2W3e4R5t6Y7u8I9o0P1a2S3d4F5g6H7j8K9l0Z1x", "4f1c8e0b2a")
    C.write("gmail", "title-too-long", blob, refused(
        "xxqg-shuozhou-2019", "rejected",
        "title of 76 characters where the campaign allows 60",
        reason="76个字，最多60个字"))


def msg_gmail_mixed_case():
    subj = "扶贫征集-自荐-图片类-田间地头"
    imgs = [("IMG_0001.JPG", jpeg(704, 9000)), ("IMG_0001.jpg", jpeg(705, 9100)),
            ("img_0001.jpg", jpeg(706, 9200)), ("田间地头.jpg", jpeg(707, 9300)),
            ("田间地头.jpg", jpeg(708, 9400))]
    parts = [gmail_attachment(n, d, "image/jpeg", "f_kdq%03d" % i)
             for i, (n, d) in enumerate(imgs)]
    blob = gmail("fupin2020", date(2020, 8, 18, 19, 26, 40), "tianjian.hn@gmail.com",
                 "田建", "".join(ew(subj, "UTF-8")), parts,
                 "CAM3n4B5v6C7x8Z9a0S1d2F3g4H5j6K7l8Q9w0E1r2T3y", "8a2b4c6d0e")
    # Names that differ only in case are the same file on Windows and macOS,
    # where staff copy cases to: they get numbered like exact duplicates.
    stored = ["IMG_0001.JPG", "IMG_0001 (2).jpg", "img_0001 (3).jpg",
              "田间地头.jpg", "田间地头 (2).jpg"]
    C.write("gmail", "duplicate-names", blob, accepted(
        "fupin2020", {"方式": "自荐", "类别": "图片类", "作品名称": "田间地头"},
        subj, "tianjian.hn@gmail.com", "田建",
        [att(n, d, stored=s) for (n, d), s in zip(imgs, stored)],
        exercises="five photos, names duplicated exactly and differing only in "
                  "case: each kept, under a name no other one in the case "
                  "shares even case-insensitively"))


def msg_gmail_reply():
    subj = "Re: 回复: 扶贫征集-推荐-文字类-山村教师"
    text = ("山村教师\r\n\r\n    天还没亮，李老师就打着手电筒走上了山路。"
            "\t这条路她走了二十年。\r\n"
            "    “扶贫先扶智”=她常说的一句话。 \r\n" * 3)
    text = text.encode()
    body = ("好的，已按要求修改，请查收。\n\n"
            "扶贫征集 <info@hnmsw.com> 于2020年8月6日周四 下午3:10写道：\n\n"
            "> 您好，请在主题中写明推荐或自荐。\n>\n"
            "> 在 2020-08-06 14:02:11，\"山村教师\" <cxjy.hn@gmail.com> 写道：\n"
            ">> 扶贫征集-文字类-山村教师\n")
    blob = gmail("fupin2020", date(2020, 8, 6, 16, 1, 9), "cxjy.hn@gmail.com", "陈晓",
                 "".join(ew(subj, "UTF-8")),
                 [gmail_attachment("山村教师.txt", text, "text/plain; charset=\"UTF-8\"",
                                   "f_kdr0001", "quoted-printable")],
                 "CAN1m2B3v4C5x6Z7a8S9d0F1g2H3j4K5l6Q7w8E9r0T1y", "1b3d5f7a9c",
                 extra=["References: <FUPIN2020-reply-0031@hnmsw.com> "
                        "<CAN0a9B8v7C6x5Z4a3S2d1F0g9H8j7K6l5Q4w3E2r1T0y@mail.gmail.com>",
                        "In-Reply-To: <FUPIN2020-reply-0031@hnmsw.com>"],
                 body_text=body)
    C.write("gmail", "reply-history", blob, accepted(
        "fupin2020", {"方式": "推荐", "类别": "文字类", "作品名称": "山村教师"},
        subj, "cxjy.hn@gmail.com", "陈晓", [att("山村教师.txt", text)],
        exercises="Re: 回复: prefixes, Gmail's Chinese quoted history; the work "
                  "as a quoted-printable UTF-8 text file with CRLF, tabs, '=' and "
                  "trailing spaces"))


def msg_gmail_late():
    subj = "扶贫征集-自荐-图片类-最后的晚霞"
    j = jpeg(709, 8000)
    blob = gmail("fupin2020", date(2020, 8, 31, 23, 59, 40), "wanxia.hn@gmail.com",
                 "万霞", "".join(ew(subj, "UTF-8")),
                 [gmail_attachment("最后的晚霞.jpg", j, "image/jpeg", "f_kelate01")],
                 "CAP5o6I7u8Y9t0R1e2W3q4A5s6D7f8G9h0J1k2L3z4X5c", "6e8f0a2c4b",
                 arrival=date(2020, 9, 1, 0, 0, 30))
    C.write("gmail", "late", blob, refused(
        "fupin2020", "late",
        "written 20 s before the deadline, arrived (Received) 30 s after it",
        reason="截止"))


# --- Thunderbird -------------------------------------------------------------------
#
# Thunderbird (68-115): User-Agent, Content-Language, boundaries of twelve
# dashes and 24 characters, RFC 2047 name= beside RFC 2231 filename*=
# (continuations for long names), 8bit format=flowed bodies.

def thunderbird(campaign, dt, from_addr, from_name, subject, parts, mid, bnd,
                body_text="老师好，附件请查收。\n"):
    b = "------------%s" % bnd
    text = entity(["Content-Type: text/plain; charset=UTF-8; format=flowed",
                   "Content-Transfer-Encoding: 8bit"], body_text)
    headers = [received(MX[campaign], dt + datetime.timedelta(seconds=3),
                        "[192.168.1.23] (unknown [223.11.184.20])"),
               "To: %s" % TO[campaign],
               "From: %s <%s>" % (ew(from_name, "UTF-8")[0], from_addr),
               "Subject: %s" % subject,
               "Message-ID: <%s>" % mid,
               "Date: %s" % rfc_date(dt),
               "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:102.0) "
               "Gecko/20100101",
               " Thunderbird/102.6.1",
               "MIME-Version: 1.0"]
    if parts:
        headers += ["Content-Type: multipart/mixed;", " boundary=\"%s\"" % b,
                    "Content-Language: zh-CN"]
        return "\n".join(headers) + "\n\n" + multipart(
            b, [text] + parts, "This is a multi-part message in MIME format.\n")
    headers += ["Content-Language: zh-CN",
                "Content-Type: text/plain; charset=UTF-8; format=flowed",
                "Content-Transfer-Encoding: 8bit"]
    return "\n".join(headers) + "\n\n" + body_text


def tb_attachment(name, data, ctype, chunk=None):
    params = rfc2231("filename", name, "UTF-8", chunk)
    h = ["Content-Type: %s;" % ctype,
         " name=\"%s\"" % "\n ".join(ew(name, "UTF-8")),
         "Content-Disposition: attachment;"]
    h += [" %s%s" % (p, ";" if i < len(params) - 1 else "")
          for i, p in enumerate(params)]
    h.append("Content-Transfer-Encoding: base64")
    return entity(h, b64_lines(data))


def msg_tb_continuations():
    name = "【优秀志愿者报名表】李明（太原理工大学）.docx"
    photo = "李明在志愿服务站使用学习强国.jpg"
    f, j = docx(801, 3600), jpeg(805, 17000)
    blob = thunderbird("xuexizhixing-2022", date(2023, 1, 3, 15, 0, 21),
                       "liming@tyut.example.cn", "李明",
                       "".join(ew("优秀志愿者报名-李明-太原理工大学", "UTF-8")),
                       [tb_attachment(name, f, DOCX, chunk=25),
                        tb_attachment(photo, j, "image/jpeg", chunk=25)],
                       "9c1e4b7a-2d5f-4a8c-b3e6-0f7a9d2c5e81@tyut.example.cn",
                       "0QmXb7Ls9C2kVh4Rz1PwYt6N")
    C.write("thunderbird", "rfc2231-continuations", blob, accepted(
        "xuexizhixing-2022", {"报名类型": "优秀志愿者", "人员姓名": "李明",
                              "单位名称": "太原理工大学"},
        "优秀志愿者报名-李明-太原理工大学", "liming@tyut.example.cn", "李明",
        [att(name, f, role="work", kind="报名表"),
         att(photo, j, role="companion", kind="照片")],
        exercises="Thunderbird: RFC 2231 filename*0*=...*2*= continuations cut "
                  "inside characters beside an RFC 2047 name=, on the form and "
                  "its photo; alias 优秀志愿者报名表 -> 优秀志愿者"))


def msg_tb_no_attachment():
    subj = "赵六+志愿播音员"
    blob = thunderbird("xuexizhixing-2020", date(2020, 8, 30, 21, 3, 3),
                       "zhaoliu.bo@tb.example.cn", "赵六", "".join(ew(subj, "UTF-8")),
                       [], "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d@tb.example.cn", "",
                       body_text="老师好，我报名志愿播音员，音频作品稍后补发。\n"
                                 "赵六 13900000000\n")
    C.write("thunderbird", "no-attachment", blob, refused(
        "xuexizhixing-2020", "rejected",
        "a plain text/plain mail (8bit, format=flowed) with no attachment on "
        "a subject campaign: a well-formed subject and a promise to send the "
        "work later are no submission; the correction says why",
        reason="邮件中没有附件"))


def msg_tb_dangjiao_no_attachment():
    blob = thunderbird("dangjiao-changzhou-2024", date(2024, 8, 1, 9, 0, 0),
                       "tnqzzb@tn.example.cn", "天宁区委组织部",
                       "".join(ew("初心如磐-微视频-天宁区委组织部", "UTF-8")), [],
                       "0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9@tn.example.cn", "",
                       body_text="视频随后发送。\n")
    C.write("thunderbird", "dangjiao-no-attachment", blob, refused(
        "dangjiao-changzhou-2024", "rejected",
        "file-name campaign, well-named subject but no attachment",
        reason="邮件中没有附件"))


def msg_tb_dangjiao_frozen():
    name = "镕铸忠诚（有字幕）-微视频-金坛区委组织部.mp4"
    name2 = "镕铸忠诚（无字幕）-微视频-金坛区委组织部.mp4"
    v, v2, f = mp4(802, 74 * 1024), mp4(803, 71 * 1024), docx(804, 2050)
    blob = thunderbird("dangjiao-changzhou-2024", date(2024, 6, 25, 10, 0, 0),
                       "jtqzzb_dyk@163.com", "金坛区委组织部党员教育科",
                       "".join(ew("镕铸忠诚（修改版）", "UTF-8")),
                       [tb_attachment(name, v, "video/mp4"),
                        tb_attachment(name2, v2, "video/mp4"),
                        tb_attachment("报名表（一）.docx", f, DOCX)],
                       "4d3c2b1a-0f9e-48d7-a6b5-c4d3e2f1a0b9@163.com",
                       "Lk3Jh5Gf7Ds9Ap1Qw2Er4Ty6")
    C.write("thunderbird", "dangjiao-frozen", blob, refused(
        "dangjiao-changzhou-2024", "frozen",
        "a changed version of foxmail/dangjiao-gb2312's work from the same unit "
        "(both versions and the form, complete): the campaign freezes "
        "submissions", after=["foxmail/dangjiao-gb2312"],
        reason="不得更改、替换或补报"))


def msg_qq_app_raw_utf8():
    # The QQ邮箱 app and many Android mail apps write headers in raw UTF-8
    # (RFC 6532 style) instead of encoded words, and phones save .MP4.
    name = "初心如磐（有字幕）-微视频-天宁区委组织部.MP4"
    name2 = "初心如磐（无字幕）-微视频-天宁区委组织部.MP4"
    form = "报名表（一）初心如磐.docx"
    v, v2, f = mp4(309, 44 * 1024), mp4(310, 43 * 1024), docx(311, 2100)
    dt = date(2024, 8, 2, 12, 34, 56)
    b = "----=_NextPart_66AC6660_0A1B2C3D_4E5F6071"
    headers = [received(MX["dangjiao-changzhou-2024"], dt + datetime.timedelta(seconds=2),
                        "out162-62-57-252.mail.qq.com (out162-62-57-252.mail.qq.com "
                        "[162.62.57.252])"),
               "From: \"天宁区委组织部\" <3456789012@qq.com>",
               "To: \"%s\" <%s>" % (TO["dangjiao-changzhou-2024"],
                                       TO["dangjiao-changzhou-2024"]),
               "Subject: 天宁区报送微视频",
               "Mime-Version: 1.0",
               "Content-Type: multipart/mixed; boundary=\"%s\"" % b,
               "Content-Transfer-Encoding: 8Bit",
               "Date: %s" % rfc_date(dt),
               "X-Priority: 3",
               "Message-ID: <tencent_3F2E1D0C9B8A79685746352413021F0E@qq.com>",
               "X-QQ-MIME: TCMime 1.0 by Tencent",
               "X-Mailer: QQMail 2.x",
               "X-QQ-Mailer: QQMail 2.x"]
    parts = [entity(["Content-Type: text/plain; charset=\"utf-8\"",
                     "Content-Transfer-Encoding: 8bit"], "发自我的iPhone\n")]
    parts += [entity(["Content-Type: application/octet-stream; name=\"%s\"" % n,
                      "Content-Disposition: attachment; filename=\"%s\"" % n,
                      "Content-Transfer-Encoding: base64"], b64_lines(d))
              for n, d in ((name, v), (name2, v2), (form, f))]
    blob = "\n".join(headers) + "\n\n" + multipart(b, parts)
    C.write("qq", "app-raw-utf8", blob, accepted(
        "dangjiao-changzhou-2024", {"作品名": "初心如磐", "分类": "微视频",
                                    "报送单位": "天宁区委组织部"},
        "天宁区报送微视频", "3456789012@qq.com", "天宁区委组织部",
        [att(name, v, role="work", kind="作品", marker="有字幕"),
         att(name2, v2, role="work", kind="作品", marker="无字幕"),
         att(form, f, role="companion", kind="报名表")],
        exercises="QQ邮箱 app: raw 8-bit UTF-8 subject, display name and "
                  "filename= (no encoded words), 8bit body, upper-case .MP4 "
                  "as application/octet-stream (the form too)"))


def msg_outlook_reply_dafu():
    # Chinese Outlook answers with 答复: and re-encodes only its own prefix
    # in gb2312, keeping the original subject's UTF-8 words.
    title = "红土地上的追梦人"
    subj = "答复: 扶贫征集-单位推荐-视频类/微电影-" + title
    words = ew("答复: ", "gb2312") + ew(subj[len("答复: "):], "utf-8", maxlen=60)
    v = mp4(509, 50 * 1024)
    n = title + ".mp4"
    blob = outlook("fupin2020", date(2020, 8, 12, 10, 40, 0), "ldrsj@ld.example.cn",
                   "娄底市人社局", words, [outlook_attachment(n, v, "video/mp4")],
                   "003d01d6704a$6b7c8d90$42b3c4d5$@ld.example.cn", "003D",
                   body_text="已按要求修改主题，请查收。\r\n\r\n"
                             "发件人: 扶贫征集 <info@hnmsw.com>\r\n"
                             "发送时间: 2020年8月12日 9:15\r\n"
                             "主题: 邮件主题不符合要求\r\n")
    C.write("outlook", "reply-dafu", blob, accepted(
        "fupin2020", {"方式": "推荐", "类别": "视频类(微电影)", "作品名称": title},
        subj, "ldrsj@ld.example.cn", "娄底市人社局", [att(n, v)],
        exercises="Chinese Outlook's 答复: prefix in a gb2312 word followed by "
                  "UTF-8 words; aliases 单位推荐 -> 推荐, 视频类/微电影 -> "
                  "视频类(微电影); Outlook's quoted header block"))


LONG_NAME = ("关于右玉县委宣传部组织全县各乡镇各部门干部群众深入学习右玉精神"
             "并结合脱贫攻坚工作实际创作一批优质音频作品的情况说明以及作者信息"
             "和作品简介附录包括录制时间地点参与人员设备情况和版权声明的全部材料")


def msg_foxmail_old_path():
    subj = "优质音频作品-右玉县委宣传部-孙莉-右玉精神代代传"
    path_name = "D:\\我的文档\\征集\\右玉精神代代传.mp3"
    a = mp3(407, 30 * 1024)
    d = docx(408, 2200)
    long_name = LONG_NAME + ".docx"
    # safename keeps at most 255 bytes, cutting the stem between characters
    # and keeping the extension: 83 three-byte characters and ".docx".
    stored_long = LONG_NAME[:83] + ".docx"
    assert len(stored_long.encode()) <= 255 < len((LONG_NAME[:84] + ".docx").encode())
    dt = date(2019, 6, 28, 16, 16, 16)
    b = "=====001_Dragon347185632140_====="
    body = entity(["Content-Type: text/plain;", "\tcharset=\"gb2312\"",
                   "Content-Transfer-Encoding: base64"],
                  b64_lines("请查收音频作品和说明。\r\n".encode("gb18030")))
    parts = [body,
             entity(["Content-Type: audio/mpeg;",
                     "\tname=\"%s\"" % "".join(ew(path_name, "gb2312")),
                     "Content-Transfer-Encoding: base64",
                     "Content-Disposition: attachment;",
                     "\tfilename=\"%s\"" % "".join(ew(path_name, "gb2312"))],
                    b64_lines(a)),
             entity(["Content-Type: application/octet-stream;",
                     "\tname=\"%s\"" % "\n\t".join(ew(long_name, "gb2312")),
                     "Content-Transfer-Encoding: base64",
                     "Content-Disposition: attachment;",
                     "\tfilename=\"%s\"" % "\n\t".join(ew(long_name, "gb2312"))],
                    b64_lines(d))]
    lower_b = [w.replace("?B?", "?b?") for w in ew(subj, "gb2312")]
    headers = [received(MX["xxqg-shuozhou-2019"], dt + datetime.timedelta(seconds=8),
                        "USER-PC (unknown [1.71.140.33])"),
               "Date: %s" % rfc_date(dt),
               "From: \"%s\" <yyxcb@126.com>" % ew("右玉县委宣传部", "gb2312")[0],
               "To: \"szxxqg\" <szxxqg@126.com>",
               "Subject: %s" % "".join(lower_b),
               "Message-ID: <201906281616160310417@126.com>",
               "X-mailer: Foxmail 6, 15, 201, 21 [cn]",
               "Mime-Version: 1.0",
               "Content-Type: multipart/mixed;",
               "\tboundary=\"%s\"" % b]
    blob = "\n".join(headers) + "\n\n" + multipart(
        b, parts, "This is a multi-part message in MIME format.\n")
    C.write("foxmail", "old-path-long-name", blob, accepted(
        "xxqg-shuozhou-2019", {"系列": "优质音频", "报送单位": "右玉县委宣传部",
                               "作者": "孙莉", "作品名称": "右玉精神代代传"},
        subj, "yyxcb@126.com", "右玉县委宣传部",
        [att("右玉精神代代传.mp3", a), att(long_name, d, stored=stored_long)],
        exercises="old Foxmail 6.5 (X-mailer): lower-case ?b? words; a Windows "
                  "path in name=/filename=, as some old Windows clients send "
                  "it (directory dropped), a 96-character name "
                  "(288 bytes) cut to 255 bytes keeping .docx; alias 优质音频作品"))


def msg_outlook_exchange():
    # Exchange / Outlook on the web: size= and dates on the disposition,
    # Content-Description, Thread-Topic, X-MS-* headers.
    name = "【挑战达人】王磊（中北大学）.pdf"
    p = pdf(510, 11000)
    dt = date(2023, 1, 9, 15, 58, 0)
    b = "_004_TYZPR06MB4510A1B2C3D4E5F6A7B8C9D0TYZPR06MB4510apcp_"
    b2 = "_000_TYZPR06MB4510A1B2C3D4E5F6A7B8C9D0TYZPR06MB4510apcp_"
    alt = entity(["Content-Type: multipart/alternative;",
                  "\tboundary=\"%s\"" % b2],
                 multipart(b2, [
                     entity(["Content-Type: text/plain; charset=\"utf-8\"",
                             "Content-Transfer-Encoding: base64"],
                            b64_lines("您好，附件为挑战达人报名表和照片。\r\n".encode())),
                     entity(["Content-Type: text/html; charset=\"utf-8\"",
                             "Content-Transfer-Encoding: base64"],
                            b64_lines("<html><body><p>您好，附件为挑战达人报名表和照片。</p>"
                                      "</body></html>\r\n".encode()))]))
    photo = "学习强国使用场景.jpg"
    j = jpeg(511, 19000)

    def owa_attachment(fname, ctype, data, created):
        words = "".join(ew(fname, "utf-8"))
        return entity(["Content-Type: %s; name=\"%s\"" % (ctype, words),
                       "Content-Description: %s" % words,
                       "Content-Disposition: attachment; filename=\"%s\";" % words,
                       "\tsize=%d; creation-date=\"Mon, 09 Jan 2023 %s GMT\";"
                       % (len(data), created),
                       "\tmodification-date=\"Mon, 09 Jan 2023 07:58:00 GMT\"",
                       "Content-Transfer-Encoding: base64"], b64_lines(data))
    a = owa_attachment(name, "application/pdf", p, "07:55:12")
    a2 = owa_attachment(photo, "image/jpeg", j, "07:56:40")
    headers = [received(MX["xuexizhixing-2022"], dt + datetime.timedelta(seconds=4),
                        "APC01-TYZ-obe.outbound.protection.outlook.com "
                        "(mail-tyzapc01on2098.outbound.protection.outlook.com "
                        "[40.107.117.98])"),
               "From: %s <tuanwei@nuc.example.cn>" % ew("中北大学团委", "utf-8")[0],
               "To: \"%s\" <%s>" % (TO["xuexizhixing-2022"], TO["xuexizhixing-2022"]),
               "Subject: %s" % "".join(ew("挑战达人推荐", "utf-8")),
               "Thread-Topic: %s" % "".join(ew("挑战达人推荐", "utf-8")),
               "Thread-Index: AdkkA1b2C3d4E5f6G7h8I9j0K1l2Mw==",
               "Date: %s" % rfc_date(dt),
               "Message-ID: <TYZPR06MB4510A1B2C3D4E5F6A7B8C9D0@TYZPR06MB4510.apcprd06.prod.outlook.com>",
               "Accept-Language: zh-CN, en-US",
               "Content-Language: zh-CN",
               "X-MS-Has-Attach: yes",
               "X-MS-TNEF-Correlator: ",
               "Content-Type: multipart/mixed;",
               "\tboundary=\"%s\"" % b,
               "MIME-Version: 1.0"]
    blob = "\n".join(headers) + "\n\n" + multipart(b, [alt, a, a2])
    C.write("outlook", "exchange-owa", blob, accepted(
        "xuexizhixing-2022", {"报名类型": "挑战达人", "人员姓名": "王磊",
                              "单位名称": "中北大学"},
        "挑战达人推荐", "tuanwei@nuc.example.cn", "中北大学团委",
        [att(name, p, role="work", kind="报名表"),
         att(photo, j, role="companion", kind="照片")],
        exercises="Exchange / Outlook on the web: UTF-8 words in quoted "
                  "name=/filename=, size= and dates on the disposition, "
                  "Content-Description, on the form and its photo; arrives "
                  "two minutes before the 16:00 deadline"))


def msg_other_both_filename_forms():
    # Mail sent by a registration web site / mail-merge tool: an ASCII
    # fallback filename= beside the real RFC 2231 filename*= (the RFC 6266
    # habit).  filename*= is the name; the fallback is for old readers.
    name = "【优秀管理员】赵强（山西农业大学）.pdf"
    photo = "赵强-学习强国使用场景.jpg"
    p, j = pdf(901, 6500), jpeg(902, 16000)

    def both_forms(ctype, fallback, real, data):
        return entity(["Content-Type: %s; name=\"%s\"" % (ctype, fallback),
                       "Content-Transfer-Encoding: base64",
                       "Content-Disposition: attachment; filename=\"%s\";" % fallback,
                       " %s" % rfc2231("filename", real, "UTF-8")[0]], b64_lines(data))
    dt = date(2023, 1, 4, 10, 20, 0)
    b = "=_7f3a9c1e2b4d6f8a0c2e4a6b8d0f1e3c"
    a = both_forms("application/pdf", "zhaoqiang-youxiuguanliyuan.pdf", name, p)
    a2 = both_forms("image/jpeg", "zhaoqiang-photo.jpg", photo, j)
    text = entity(["Content-Type: text/plain; charset=UTF-8",
                   "Content-Transfer-Encoding: base64"],
                  b64_lines("山西农业大学 优秀管理员 报名材料（系统自动发送）\r\n".encode()))
    headers = [received(MX["xuexizhixing-2022"], dt + datetime.timedelta(seconds=1),
                        "web01.sxau.example.cn (web01.sxau.example.cn [202.207.96.10])"),
               "Date: %s" % rfc_date(dt),
               "From: =?UTF-8?B?%s?= <baoming@sxau.example.cn>"
               % base64.b64encode("山西农业大学报名系统".encode()).decode(),
               "Reply-To: xcb@sxau.example.cn",
               "To: %s" % TO["xuexizhixing-2022"],
               "Subject: =?UTF-8?B?%s?=" % base64.b64encode(
                   "优秀管理员推荐材料".encode()).decode(),
               "Message-ID: <5f3a1c2e8b9d0a7c6e4f@web01.sxau.example.cn>",
               "MIME-Version: 1.0",
               "Content-Type: multipart/mixed; boundary=\"%s\"" % b]
    blob = "\n".join(headers) + "\n\n" + multipart(b, [text, a, a2],
                                                      "This is a multi-part message in MIME format.\n")
    C.write("other", "both-filename-forms", blob, accepted(
        "xuexizhixing-2022", {"报名类型": "优秀管理员", "人员姓名": "赵强",
                              "单位名称": "山西农业大学"},
        "优秀管理员推荐材料", "baoming@sxau.example.cn", "山西农业大学报名系统",
        [att(name, p, role="work", kind="报名表"),
         att(photo, j, role="companion", kind="照片")],
        exercises="a registration web site's mail: ASCII fallback filename= "
                  "(and name=) beside the RFC 2231 filename*= that carries "
                  "the real name, on the form and on the photo; Reply-To"))

def main():
    first = msg_163_fupin_video()
    msg_163_redelivered(first)
    msg_163_fupin_alias()
    msg_163_xuexi2020()
    msg_163_reply()
    msg_126_xxqg_mooc()
    msg_126_xxqg_title_dash()
    msg_126_xxqg_empty_subject()
    msg_126_dangjiao_empty_subject()
    msg_qq_fupin_fullwidth()
    msg_qq_fupin_large_attachment()
    msg_qq_dangjiao_large_attachment()
    msg_qq_dangjiao_link_and_form()
    msg_163_fupin_bigattach()
    msg_163_fupin_bigattach_plain()
    msg_qq_fupin_large_attachment_plain()
    msg_126_dangjiao_bigattach()
    msg_sina_fupin_bigattach()
    msg_qq_xuexi2022_form()
    msg_qq_fupin_zip()
    msg_qq_xuexi2020_rare()
    msg_qq_auto_reply()
    msg_foxmail_dangjiao()
    msg_foxmail_xxqg()
    msg_foxmail_forward()
    msg_outlook_dangjiao()
    msg_outlook_name_only()
    msg_outlook_winmail()
    msg_outlook_long_subject()
    msg_outlook_mac()
    msg_apple_nfd_xuexi2022()
    msg_apple_nfd_dangjiao()
    msg_apple_inline_image()
    msg_gmail_xxqg()
    msg_gmail_too_long()
    msg_gmail_mixed_case()
    msg_gmail_reply()
    msg_gmail_late()
    msg_tb_continuations()
    msg_tb_no_attachment()
    msg_tb_dangjiao_no_attachment()
    msg_tb_dangjiao_frozen()
    msg_qq_app_raw_utf8()
    msg_outlook_reply_dafu()
    msg_foxmail_old_path()
    msg_outlook_exchange()
    msg_other_both_filename_forms()
    msg_163_xuexi2022_over_quota()
    msg_163_fupin_no_attachment()
    msg_163_xuexi2022_form_no_photo()
    msg_163_xuexi2022_form_photo()
    msg_qq_dangjiao_form_only()
    msg_qq_dangjiao_two_versions()
    msg_foxmail_fupin_exe_only()
    msg_outlook_dangjiao_summary_pdf()
    msg_foxmail_fupin_two_works()
    msg_126_xxqg_batch()
    msg_outlook_xuexi2020_batch()
    for key, e in CASES.items():
        for first in e.get("after", []):
            assert first in CASES and first != key, (key, first)
    # A case that is no longer written here would go on being run.
    stale = []
    for client in sorted({k.split("/")[0] for k in CASES}):
        for n in sorted(os.listdir(os.path.join(HERE, client))):
            stem, ext = os.path.splitext(n)
            if ext in (".eml", ".expect") and client + "/" + stem not in CASES:
                stale.append(client + "/" + n)
    for n in stale:
        print("not written by this script, remove it: tests/corpus/" + n,
              file=sys.stderr)
    print("%d cases written" % len(CASES), file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
