#!/usr/bin/env python3
"""The hostile corpus: mail built to break a MIME parser, each message with
the outcome subgate must give it (tests/e2e/hostile.sh ingests every one
under a memory ceiling; see tests/corpus/README).

    python3 tests/corpus/hostile/make-hostile.py          # the small cases,
                                                          # committed here
    python3 tests/corpus/hostile/make-hostile.py --big DIR
                                                          # the big ones,
                                                          # written at test time

Cases are <group>/<name>.eml with <name>.expect beside it, in the client
corpus's format (check.py reads both), plus "reason": a part of the reason
subgate must give.  Expectations come from what each message means and the
limits' defaults (include/mail_limits.h), never from subgate's output.
Deterministic: regenerating leaves every file unchanged.  Python 3 standard
library only.
"""
import base64
import hashlib
import json
import os
import random
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CAMPAIGN = "fupin2020"
SENDER = "zhangsan@example.cn"
SENDER_NAME = "张三"
GOOD_SUBJECT = "扶贫征集-自荐-图片类-星城大爱"
GOOD_FIELDS = {"方式": "自荐", "类别": "图片类", "作品名称": "星城大爱"}
CASES = {}

# The defaults of include/mail_limits.h the reasons name.
PARTS = "MIME 部件超过 500 个 (too many MIME parts)"
DEPTH = "MIME 层级超过 16 层 (MIME nesting too deep)"
HEADER_BYTES = "邮件头超过 262144 字节 (header bytes over limit)"
HEADER_FIELDS = "邮件头超过 5000 个字段 (too many header fields)"
PREAMBLE = "(MIME preamble or epilogue too long)"
NAMING = "邮件主题应以“扶贫征集-”开头"
# A mail with no attachment is never a submission: the correction says so.
NO_ATTACHMENT = "邮件中没有附件"
# A mail whose files hold no work of the campaign's types.
NO_WORK = "没有找到作品文件"


def ew(text, charset="UTF-8"):
    return "=?%s?B?%s?=" % (charset, base64.b64encode(
        text.encode(charset if charset.lower() != "gb2312" else "gb18030")).decode())


def head(name, subject=None, extra=(), ctype=None, raw_subject=None):
    """A message's header as 163 would send it, CRLF line ends."""
    lines = [
        "Received: from mx.example.cn (mx.example.cn [192.0.2.1])\r\n"
        "\tby mail.example.org; Sat, 01 Aug 2020 10:00:00 +0800",
        "From: %s <%s>" % (ew(SENDER_NAME), SENDER),
        "To: zhengji@example.org",
    ]
    if raw_subject is not None:
        lines.append(raw_subject)
    else:
        lines.append("Subject: " + ew(subject if subject is not None
                                      else GOOD_SUBJECT))
    lines += [
        "Date: Sat, 01 Aug 2020 10:00:00 +0800",
        "Message-ID: <%s@hostile.example.cn>" % name.replace("/", "."),
        "MIME-Version: 1.0",
    ]
    lines += list(extra)
    if ctype is not None:
        lines.append("Content-Type: " + ctype)
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def b64(data):
    text = base64.b64encode(data)
    return b"\r\n".join(text[i:i + 76] for i in range(0, len(text), 76))


def noise(seed, size):
    return random.Random(seed).randbytes(size)


def jpeg(seed, size):
    return b"\xff\xd8\xff\xe0" + noise(seed, size - 4)


def part(ctype, data, name=None, encoding="base64", disposition=True):
    h = "Content-Type: " + ctype
    if name is not None:
        h += '; name="%s"' % name
    h += "\r\n"
    if name is not None and disposition:
        h += 'Content-Disposition: attachment; filename="%s"\r\n' % name
    if encoding:
        h += "Content-Transfer-Encoding: %s\r\n" % encoding
        if encoding == "base64":
            data = b64(data)
    return h.encode("utf-8") + b"\r\n" + data + b"\r\n"


def multipart(boundary, parts, preamble=b"", epilogue=b"", close=True):
    out = preamble
    for p in parts:
        out += b"--" + boundary.encode() + b"\r\n" + p
    if close:
        out += b"--" + boundary.encode() + b"--\r\n" + epilogue
    return out


def mixed(name, parts, subject=None, boundary="----=_Part_0_hostile", extra=()):
    return (head(name, subject, extra,
                 'multipart/mixed; boundary="%s"' % boundary) + b"\r\n" +
            multipart(boundary, parts))


BODY = part("text/plain; charset=UTF-8", "投稿作品见附件。".encode(), None)


def attachment(name, data, stored=None, original=None):
    return {"name": stored if stored is not None else name,
            "original_name": original if original is not None else name,
            "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def accepted(exercises, attachments, subject=GOOD_SUBJECT, fields=None):
    return {"campaign": CAMPAIGN, "outcome": "accepted",
            "exercises": exercises,
            "fields": fields if fields is not None else GOOD_FIELDS,
            "subject": subject, "from": SENDER, "from_name": SENDER_NAME,
            "attachments": attachments}


def refused(outcome, why, reason=None):
    e = {"campaign": CAMPAIGN, "outcome": outcome, "why": why}
    if reason is not None:
        e["reason"] = reason
    return e


def write(root, key, blob, expect):
    group, name = key.split("/")
    os.makedirs(os.path.join(root, group), exist_ok=True)
    base = os.path.join(root, group, name)
    with open(base + ".eml", "wb") as f:
        if isinstance(blob, (bytes, bytearray)):
            f.write(blob)
        else:
            for chunk in blob:      # a generator, for the big ones
                f.write(chunk)
    assert key not in CASES, key
    CASES[key] = expect
    with open(base + ".expect", "w", encoding="utf-8") as f:
        json.dump(expect, f, ensure_ascii=False, indent=1)
        f.write("\n")


# --- TNEF (winmail.dat), after [MS-OXTNEF] -------------------------------

def tnef_attr(level, attr_id, data):
    return (struct.pack("<BII", level, attr_id, len(data)) + data +
            struct.pack("<H", sum(data) & 0xFFFF))


def tnef(files, props=None):
    """files: (title, bytes); props: raw attAttachment data for each."""
    out = struct.pack("<IH", 0x223E9F78, 0x0A1B)
    out += tnef_attr(1, 0x00089006, struct.pack("<I", 0x00010000))
    out += tnef_attr(1, 0x00069007, struct.pack("<II", 936, 0))
    for i, (title, data) in enumerate(files):
        out += tnef_attr(2, 0x00069002, struct.pack("<HIIII", 1, 0xFFFFFFFF, 0, 1, 1))
        out += tnef_attr(2, 0x0006800F, data)
        out += tnef_attr(2, 0x00018010, title.encode("gb18030") + b"\0")
        if props is not None:
            out += tnef_attr(2, 0x00069005, props[i])
    return out


def tnef_part(blob):
    return part("application/ms-tnef", blob, "winmail.dat")


# --- the small cases ---------------------------------------------------------

def small_mime(root):
    w = lambda n, b, e: write(root, "mime/" + n, b, e)
    img = jpeg(1, 3000)
    parts = [BODY] + [part("text/plain", b"x", None, None)] * 500
    w("parts-501", mixed("mime/parts-501", parts),
      refused("rejected", "501 leaves, one over the default", PARTS))
    parts = [BODY] + [part("image/jpeg", b"%d" % i, "%03d.jpg" % i)
                      for i in range(1, 500)]
    w("attachments-499", mixed("mime/attachments-499", parts),
      accepted("499 tiny attachments and a body: 500 leaves, just within",
               [attachment("%03d.jpg" % i, b"%d" % i) for i in range(1, 500)]))
    # 1000 levels of multipart, each with a boundary of its own.
    body = b""
    for i in range(1, 1000):
        body += b"--l%d\r\nContent-Type: multipart/mixed; boundary=l%d\r\n\r\n" % (i - 1, i)
    w("deep-1000", head("mime/deep-1000", ctype="multipart/mixed; boundary=l0") +
      b"\r\n" + body, refused("rejected", "1000 nested multiparts", DEPTH))
    # 100 forwarded messages, one inside the other.
    inner = b"From: x@example.cn\r\nSubject: innermost\r\n\r\nend\r\n"
    for i in range(100):
        inner = (b"From: x%d@example.cn\r\nContent-Type: message/rfc822\r\n\r\n" % i) + inner
    w("deep-rfc822", head("mime/deep-rfc822", ctype="message/rfc822") + b"\r\n" + inner,
      refused("rejected", "100 nested message/rfc822", DEPTH))
    # Exactly at the depth limit: the leaf is at depth 16.
    body, close = b"", b""
    for i in range(1, 16):
        body += b"--d%d\r\nContent-Type: multipart/mixed; boundary=d%d\r\n\r\n" % (i - 1, i)
        close = b"--d%d--\r\n" % i + close
    body += b"--d15\r\n" + part("image/jpeg", img, "作品.jpg") + close + b"--d0--\r\n"
    w("depth-16", head("mime/depth-16", ctype="multipart/mixed; boundary=d0") + b"\r\n" + body,
      accepted("the attachment at depth 16, the deepest allowed",
               [attachment("作品.jpg", img)]))
    # What the submitter meant to attach cannot be found, so the mail is
    # answered as one without attachment: they learn to send it again.
    w("no-boundary", head("mime/no-boundary", ctype="multipart/mixed") + b"\r\n" +
      multipart("b", [BODY, part("image/jpeg", img, "作品.jpg")]),
      refused("rejected", "a multipart without boundary is all preamble: no "
              "attachment, so a correction", NO_ATTACHMENT))
    w("never-closed", mixed("mime/never-closed", [BODY, part("image/jpeg", img, "作品.jpg")])[:-len(b"------=_Part_0_hostile--\r\n")],
      accepted("the closing boundary never comes", [attachment("作品.jpg", img)]))
    # The inner boundary starts with the outer one: the outer's closing
    # line must not end the inner part early, nor the reverse.
    inner = multipart("b-inner", [BODY, part("image/jpeg", img, "作品.jpg")])
    w("boundary-prefix", mixed("mime/boundary-prefix", [
        b'Content-Type: multipart/alternative; boundary="b-inner"\r\n\r\n' + inner],
        boundary="b"),
      accepted("an inner boundary the outer one is a prefix of",
               [attachment("作品.jpg", img)]))
    # The inner multipart reuses the outer boundary.
    w("boundary-reused", mixed("mime/boundary-reused", [
        b'Content-Type: multipart/alternative; boundary="same"\r\n\r\n' +
        multipart("same", [BODY]),
        part("image/jpeg", img, "作品.jpg")], boundary="same"),
      accepted("an inner multipart reusing the outer boundary: the next "
               "delimiter is the outer's again", [attachment("作品.jpg", img)]))
    w("boundary-empty", mixed("mime/boundary-empty", [BODY, part("image/jpeg", img, "作品.jpg")],
                              boundary=""),
      accepted('boundary="": the delimiter is a bare "--"', [attachment("作品.jpg", img)]))
    long_b = "x" * 2000
    w("boundary-long", mixed("mime/boundary-long", [BODY, part("image/jpeg", img, "作品.jpg")],
                             boundary=long_b),
      accepted("a 2000-byte boundary", [attachment("作品.jpg", img)]))
    digest = head("mime/digest-bomb", ctype="multipart/digest; boundary=d") + b"\r\n"
    digest += b"--d\r\n\r\nSubject: empty\r\n\r\nx\r\n" * 1000 + b"--d--\r\n"
    w("digest-bomb", digest,
      refused("rejected", "1000 digest entries, each a message", PARTS))
    w("empty-parts", mixed("mime/empty-parts", [b""] * 1500 + [BODY, part("image/jpeg", img, "作品.jpg")]),
      accepted("1500 boundaries with no part between them make no part",
               [attachment("作品.jpg", img)]))
    w("dash-lines", mixed("mime/dash-lines", [
        part("text/plain; charset=UTF-8", b"--------------------\r\n" * 3500, None, "8bit"),
        part("image/jpeg", img, "作品.jpg")]),
      refused("rejected", "more lines starting with -- than 4 per allowed part and "
              "1000 more: GMime could start a part at each", PARTS))
    fwd = (b"From: li@example.cn\r\nSubject: fwd\r\nMIME-Version: 1.0\r\n\r\nhello\r\n")
    w("rfc822-base64", mixed("mime/rfc822-base64", [
        BODY, part("message/rfc822", fwd, "转发.eml".replace(".eml", ".txt")),
        part("image/jpeg", img, "作品.jpg")]),
      accepted("a base64 message/rfc822 is an attachment, not walked into",
               [attachment("转发.txt", fwd), attachment("作品.jpg", img)]))


def small_headers(root):
    w = lambda n, b, e: write(root, "headers/" + n, b, e)
    img = jpeg(2, 2000)
    att = [BODY, part("image/jpeg", img, "作品.jpg")]
    many = ["X-Many-%d: %d" % (i, i) for i in range(5001)]
    w("fields-5001", head("headers/fields-5001", extra=many,
                          ctype='multipart/mixed; boundary="b"') + b"\r\n" +
      multipart("b", att), refused("rejected", "5001 header fields", HEADER_FIELDS))
    # 300 KiB of Received lines before the sender: the limit, not "no mail".
    junk = b"".join(b"X-Junk-%05d: %s\r\n" % (i, b"j" * 80) for i in range(3200))
    w("junk-before-sender", junk + head("headers/junk-before-sender") + b"\r\nbody\r\n",
      refused("rejected", "the header limit is hit before From: a limit, kept for staff",
              HEADER_BYTES))
    part_head = "".join("X-P%d: %s\r\n" % (i, "p" * 90) for i in range(3000)).encode()
    w("part-headers", mixed("headers/part-headers", [BODY, part_head + part("image/jpeg", img, "作品.jpg")]),
      refused("rejected", "a part's header of 300 KB counts with the message's",
              HEADER_BYTES))
    words = " ".join(ew("作") for _ in range(5000))
    w("encoded-words-5000", head("headers/encoded-words-5000", raw_subject="Subject: " + words) +
      b"\r\nbody\r\n", refused("rejected", "5000 encoded words: a long subject, cut and refused",
                              NAMING))
    w("encoded-word-broken", head("headers/encoded-word-broken",
                                  raw_subject="Subject: =?UTF-8?B?5omW!!!?= =?UTF-8?Q?=ZZ=?=") +
      b"\r\nbody\r\n", refused("rejected", "undecodable encoded words", NAMING))
    w("encoded-word-charset", head("headers/encoded-word-charset",
                                   raw_subject="Subject: =?x-klingon?B?5omW6LSr?= =?"
                                   + "a" * 200 + "?B?YQ==?=") + b"\r\nbody\r\n",
      refused("rejected", "unknown and over-long charset labels", NAMING))
    mixed_cs = ("Subject: " + ew("扶贫征集-", "GB18030") + " " +
                "=?GBK?B?" + base64.b64encode("自荐-图片类-".encode("gbk")).decode() + "?= " +
                ew("星城大爱") + " " + ew("", "Big5"))
    w("charsets-mixed", head("headers/charsets-mixed", raw_subject=mixed_cs,
                             ctype='multipart/mixed; boundary="b"') + b"\r\n" +
      multipart("b", att), accepted("a subject in GB18030, GBK and UTF-8 words (and an empty Big5 one)",
                                    [attachment("作品.jpg", img)]))
    raw = "Subject: ".encode() + "扶贫征集-自荐-".encode("gb18030") + "圖片類-".encode("big5") + \
        "星城大爱".encode("utf-8")
    w("raw-8bit-mixed", head("headers/raw-8bit-mixed", raw_subject="X-Dummy: 1") +
      raw + b"\r\n" + b"\r\nbody\r\n",
      refused("rejected", "raw 8-bit subject in three charsets at once", None))
    w("nul-in-headers", head("headers/nul-in-headers", raw_subject="Subject: a\0b") +
      b"X-Nul: \0\0\0\r\n\r\nbody\0body\r\n", refused("rejected", "NUL bytes in headers and body", NAMING))
    # The work rides along so that the mail is taken: the lines are what
    # is being tried, not what the mail carries.
    w("no-colon-lines", head("headers/no-colon-lines", ctype="multipart/mixed; boundary=b") +
      b"this is no header\r\n" * 100 + b"\r\n" + multipart("b", att),
      accepted("lines without a colon among the headers are skipped",
               [attachment("作品.jpg", img)]))
    w("folded-blank", head("headers/folded-blank", raw_subject="Subject:\r\n \r\n \r\n " +
                           ew(GOOD_SUBJECT)) + b"Content-Type: multipart/mixed;\r\n \r\n\tboundary=b\r\n\r\n" +
      multipart("b", att), accepted("folds of nothing but blanks", [attachment("作品.jpg", img)]))
    # Nothing but a header cannot carry a work: it is read to the end
    # (the subject is a good one) and answered as a mail without
    # attachment.
    w("header-only", head("headers/header-only")[:-2],
      refused("rejected", "a header and nothing else, no final line end: read "
              "whole, and a mail without files is not a submission", NO_ATTACHMENT))


def multipart_body(parts):
    return b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n' + multipart("b", parts)


JPEG_B64_HEAD = ('Content-Type: image/jpeg; name="作品.jpg"\r\n'
                 'Content-Transfer-Encoding: base64\r\n\r\n').encode()


def small_encodings(root):
    w = lambda n, b, e: write(root, "encodings/" + n, b, e)
    img = jpeg(3, 1500)
    enc = b64(img)
    broken = enc[:40] + b"!!@@##" + enc[40:]
    w("base64-junk", mixed("encodings/base64-junk", [BODY,
      JPEG_B64_HEAD +
      broken + b"\r\n"]),
      accepted("characters outside base64 are skipped", [attachment("作品.jpg", img)]))
    cut = b64(img).replace(b"\r\n", b"")[:-3]
    w("base64-truncated", mixed("encodings/base64-truncated", [BODY,
      JPEG_B64_HEAD +
      cut + b"\r\n"]),
      refused_or_stored("base64 cut mid-quantum", base64.b64decode(cut[:len(cut) // 4 * 4])))
    w("qp-broken", mixed("encodings/qp-broken", subject="hostile", parts=[BODY,
      'Content-Type: text/plain; name="说明.txt"\r\n'.encode() +
      b"Content-Transfer-Encoding: quoted-printable\r\n\r\nabc=ZZdef=\r\n=4\r\n"]),
      refused("rejected", "broken quoted-printable parses (and the subject is refused)",
              NAMING))
    w("cte-unknown", mixed("encodings/cte-unknown", [BODY,
      JPEG_B64_HEAD.replace(b"base64", b"x-klingon") + b"raw\r\n"]), accepted("an unknown transfer encoding is read as is",
                             [attachment("作品.jpg", b"raw")]))
    w("charset-invalid", mixed("encodings/charset-invalid", [
        part("text/plain; charset=x-no-such-charset", "正文".encode(), None, None),
        part("image/jpeg", img, "作品.jpg")]),
      accepted("a body in a charset nobody knows", [attachment("作品.jpg", img)]))
    w("rfc2231-broken", mixed("encodings/rfc2231-broken", subject="hostile", parts=[BODY,
      b"Content-Type: image/jpeg\r\nContent-Disposition: attachment;\r\n"
      b" filename*0*=utf-8''%E4%BD%9C%E5;\r\n filename*2=%ZZ.jpg\r\n"
      b"Content-Transfer-Encoding: base64\r\n\r\n" + b64(img) + b"\r\n"]),
      refused("rejected", "RFC 2231 continuations with a gap and a bad escape parse "
              "(and the subject is refused)", NAMING))
    w("rfc2231-charset", mixed("encodings/rfc2231-charset", subject="hostile", parts=[BODY,
      b"Content-Type: image/jpeg\r\nContent-Disposition: attachment;\r\n"
      b" filename*=x-unknown''%D7%F7%C6%B7.jpg\r\n"
      b"Content-Transfer-Encoding: base64\r\n\r\n" + b64(img) + b"\r\n"]),
      refused("rejected", "an RFC 2231 name in a charset nobody knows parses (and "
              "the subject is refused)", NAMING))
    w("nul-in-name", mixed("encodings/nul-in-name", [BODY,
      b'Content-Type: image/jpeg; name="\xe4\xbd\x9c\x00\xe5\x93\x81.jpg"\r\n'
      b"Content-Transfer-Encoding: base64\r\n\r\n" + b64(img) + b"\r\n"]),
      refused("rejected", "a NUL in a file name", None))


def refused_or_stored(why, data):
    return accepted(why, [attachment("作品.jpg", data)])


def small_names(root):
    w = lambda n, b, e: write(root, "names/" + n, b, e)
    img = jpeg(4, 1000)

    def one(key, sent, stored, original, why):
        w(key, mixed("names/" + key, [BODY, part("image/jpeg", img, sent)]),
          accepted(why, [attachment(stored, img, stored=stored, original=original)]))
    one("dot-dot", "../../etc/作品.jpg", "作品.jpg", "作品.jpg",
        "a path climbing out: only the last component is a name")
    # Escaped, as a backslash in a quoted string must be.
    one("backslashes", "..\\\\..\\\\Windows\\\\作品.jpg", "作品.jpg", "作品.jpg",
        "a Windows path: the last component")
    one("device-con", "CON.jpg", "_CON.jpg", "CON.jpg", "a Windows device name")
    one("device-com1", "com1.jpg", "_com1.jpg", "com1.jpg", "a device name in lower case")
    one("rtl-override", "作品\u202egpj.exe.jpg", "作品gpj.exe.jpg", "作品\u202egpj.exe.jpg",
        "U+202E disguising the extension is dropped")
    one("reserved-chars", "作品<1>:|?*.jpg", "作品＜1＞：｜？＊.jpg", "作品<1>:|?*.jpg",
        "characters Windows reserves become full-width")
    one("leading-dots", "...-作品.jpg", "作品.jpg", "...-作品.jpg",
        "leading dots and dashes: no hidden file, no option")
    long_name = "长" * 400 + ".jpg"
    one("long-name", long_name, "长" * 83 + ".jpg", long_name,
        "a 1204-byte name cut to 255 bytes, the extension kept")
    w("control-chars", mixed("names/control-chars", [BODY, part("image/jpeg", img, "作\x01品\x7f.jpg")]),
      accepted("control characters in a name", [attachment("作品.jpg", img)]))
    w("dots-only", mixed("names/dots-only", [BODY, part("image/jpeg", img, "..")]),
      refused("rejected", 'a name of "..": no extension a campaign takes', None))
    w("empty-name", mixed("names/empty-name", [BODY, part("image/jpeg", img, "")]),
      accepted("an empty name: one derived from the type and position",
               [attachment("附件1.jpg", img)]))
    z = b"PK\x03\x04" + noise(5, 500)
    # fupin2020 takes archives as works, but a program is never kept,
    # beside a work or alone.
    w("zip-like", mixed("names/zip-like", [BODY, part("application/zip", z, "作品.mp4.zip"),
                                          part("application/octet-stream", z, "作品.jpg.exe")]),
      refused("rejected", "a double extension ending .exe is a program: never "
              "kept in a case folder staff open, whatever else the mail carries",
              "是可执行程序"))
    w("exe-only", mixed("names/exe-only", [BODY, part("application/octet-stream", z,
                                                      "作品.jpg.exe")]),
      refused("rejected", "a double extension ending .exe alone: a program, "
              "and no work in the mail", "是可执行程序"))
    w("case-duplicates", mixed("names/case-duplicates", [BODY, part("image/jpeg", img, "Photo.JPG"),
                                                       part("image/jpeg", img, "photo.jpg")]),
      accepted("names differing only in case are one file on Windows: numbered",
               [attachment("Photo.JPG", img), attachment("photo (2).jpg", img,
                                                         original="photo.jpg")]))


def small_auto(root):
    w = lambda n, b, e: write(root, "auto/" + n, b, e)
    rep = (b'Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.cn\r\n\r\n'
           b"Final-Recipient: rfc822; someone@example.cn\r\nAction: failed\r\nStatus: 5.1.1\r\n")
    dsn_head = lambda n, b: head("auto/" + n, "Undelivered Mail Returned to Sender",
                                 ["Auto-Submitted: auto-replied"],
                                 'multipart/report; report-type=delivery-status; boundary="%s"' % b)
    w("dsn-forged", dsn_head("dsn-forged", "r") + b"\r\n" + multipart("r", [BODY, rep,
      b"Content-Type: text/rfc822-headers\r\n\r\nMessage-ID: <reply-1@example.org>\r\n"]),
      refused("ignored", "a bounce naming a reply we never sent: ignored, nothing marked"))
    w("dsn-400-parts", dsn_head("dsn-400-parts", "r") + b"\r\n" + multipart("r", [rep] * 400),
      refused("ignored", "a bounce of 400 delivery-status parts, read only so far"))
    w("dsn-unwrapped", head("auto/dsn-unwrapped", "Delivery failure",
                            ctype="multipart/mixed; boundary=r") + b"\r\n" + multipart("r", [BODY, rep]),
      refused("ignored", "a delivery-status part without the report wrapper"))
    for key, extra, subject in [
            ("auto-submitted", ["Auto-Submitted: auto-replied"], None),
            ("x-autoreply", ["X-Autoreply: yes"], None),
            ("precedence-bulk", ["Precedence: bulk"], None),
            ("subject-auto", [], "自动回复：" + GOOD_SUBJECT),
            ("exchange-oof", ["X-Auto-Response-Suppress: All"], None)]:
        w(key, head("auto/" + key, subject, extra) + b"\r\nI am away.\r\n",
          refused("ignored", "an automatic reply is never answered"))
    w("mailer-daemon", head("auto/mailer-daemon", "hello", []).replace(
        ("%s <%s>" % (ew(SENDER_NAME), SENDER)).encode(), b"MAILER-DAEMON@example.cn") +
      b"\r\nbody\r\n", refused("ignored", "mail from a mailer daemon is never answered"))


def small_misc(root):
    w = lambda n, b, e: write(root, "misc/" + n, b, e)
    w("empty", b"", refused("failed", "zero bytes: no mail at all", None))
    w("blank-lines", b"\r\n" * 1000, refused("failed", "nothing but empty lines", None))
    w("garbage", noise(6, 20000), refused("failed", "random bytes", None))
    w("mbox-from-line", b"From zhangsan@example.cn Sat Aug  1 10:00:00 2020\r\n" +
      mixed("misc/mbox-from-line", [BODY, part("image/jpeg", jpeg(7, 900), "作品.jpg")]),
      accepted("an mbox From line before the header is skipped",
               [attachment("作品.jpg", jpeg(7, 900))]))
    w("lf-only", mixed("misc/lf-only", [BODY, part("image/jpeg", jpeg(7, 900), "作品.jpg")])
      .replace(b"\r\n", b"\n"),
      accepted("LF line ends throughout", [attachment("作品.jpg", jpeg(7, 900))]))
    w("cr-only", mixed("misc/cr-only", [BODY]).replace(b"\r\n", b"\r"),
      refused("ignored", "CR line ends: one header line, so no sender to answer",
              "no sender address"))
    w("tnef-many-files", mixed("misc/tnef-many-files", [BODY, tnef_part(
        tnef([("f%04d.jpg" % i, b"%d" % i) for i in range(600)]))]),
      refused("rejected", "a winmail.dat of 600 files: they count as parts", PARTS))
    t = tnef([("作品.jpg", jpeg(8, 800))])
    w("tnef-truncated", mixed("misc/tnef-truncated", [BODY, tnef_part(t[:-5])]),
      refused("rejected", "a damaged winmail.dat is kept whole, and .dat is not taken", None))
    bad = bytearray(t)
    bad[-1] ^= 0xFF
    w("tnef-bad-checksum", mixed("misc/tnef-bad-checksum", [BODY, tnef_part(bytes(bad))]),
      refused("rejected", "a winmail.dat with a bad checksum is kept whole", None))
    # Five properties announced, one begun, its 4000 bytes cut to 3:
    # libytnef prints "Corrupted file detected" on standard output, which
    # must not reach ingest --json's (the runner reads its first line).
    props = (struct.pack("<I", 5) + struct.pack("<HHI", 0x001E, 0x3707, 1) +
             struct.pack("<I", 4000) + b"abc")
    w("tnef-props-corrupt", mixed("misc/tnef-props-corrupt", [BODY, tnef_part(
        tnef([("作品.jpg", jpeg(8, 800))], [props]))]),
      refused("rejected", "MAPI properties libytnef cannot read (and complains "
              "about on standard output): winmail.dat kept whole", None))


# --- the big ones, generated at test time --------------------------------------

def big_cases(root):
    w = lambda n, b, e: write(root, n, b, e)

    def million():
        yield head("big/million-parts", ctype="multipart/mixed; boundary=b") + b"\r\n"
        chunk = b"--b\r\n\r\nx\r\n" * 10000
        for _ in range(100):
            yield chunk
        yield b"--b--\r\n"
    w("big/million-parts", million(),
      refused("rejected", "a million empty parts in 10 MB", PARTS))

    def many_fields():
        yield head("big/million-fields")
        chunk = b"X: y\r\n" * 10000
        for _ in range(100):
            yield chunk
        yield b"\r\nbody\r\n"
    w("big/million-fields", many_fields(),
      refused("rejected", "a million header fields", HEADER_FIELDS))

    def long_header():
        yield head("big/header-50m") + b"X-Long: "
        chunk = b"h" * (1024 * 1024)
        for _ in range(50):
            yield chunk
        yield b"\r\n\r\nbody\r\n"
    w("big/header-50m", long_header(),
      refused("rejected", "one header line of 50 MiB", HEADER_BYTES))

    def preamble():
        yield head("big/preamble-30m", ctype="multipart/mixed; boundary=b") + b"\r\n"
        chunk = b"p" * 1023 + b"\n"
        for _ in range(30 * 1024):
            yield chunk
        yield b"--b\r\n" + BODY + b"--b--\r\n"
    w("big/preamble-30m", preamble(),
      refused("rejected", "a 30 MiB preamble", PREAMBLE))

    def no_boundary():
        yield head("big/no-boundary-30m", ctype="multipart/mixed") + b"\r\n"
        chunk = b"q" * 1023 + b"\n"
        for _ in range(30 * 1024):
            yield chunk
    w("big/no-boundary-30m", no_boundary(),
      refused("rejected", "30 MiB of multipart without a boundary", PREAMBLE))

    def dsn():
        yield head("big/dsn-40m", "Undelivered Mail Returned to Sender",
                   ["Auto-Submitted: auto-replied"],
                   "multipart/report; report-type=delivery-status; boundary=r") + b"\r\n"
        yield (b"--r\r\nContent-Type: message/delivery-status\r\n\r\n"
               b"Final-Recipient: rfc822; someone@example.cn\r\nAction: failed\r\n\r\n"
               b"--r\r\nContent-Type: text/plain\r\n\r\n")
        chunk = b"returned text " * 73 + b"\r\n"
        for _ in range(40 * 1024):
            yield chunk
        yield b"Message-ID: <reply-2@example.org>\r\n--r--\r\n"
    w("big/dsn-40m", dsn(),
      refused("ignored", "a forged bounce returning 40 MiB of text"))

    for key, size in (("tnef-huge-props", 2 * 1024 * 1024), ("tnef-props-600k", 600 * 1024)):
        props = struct.pack("<I", 1) + struct.pack("<HHII", 0x0102, 0x3701, 1, size) + \
            noise(9, size)
        w("big/" + key, mixed("big/" + key, [BODY, tnef_part(
            tnef([("作品.jpg", jpeg(8, 800))], [props]))]),
          refused("rejected", "%d KiB of MAPI properties are not read (libytnef would "
                  "complain on standard output): winmail.dat kept whole, and .dat is "
                  "not taken" % (size // 1024), None))
    w("big/long-line", mixed("big/long-line", [
        part("text/plain; charset=UTF-8", b"a" * (2 * 1024 * 1024), None, "8bit"),
        part("image/jpeg", jpeg(10, 700), "作品.jpg")]),
      accepted("a body line of 2 MiB", [attachment("作品.jpg", jpeg(10, 700))]))
    # GMime reads 4 KiB at a time; an invalid line before a part's first
    # field, split across that edge, swallows the field after it.  Here
    # that is the Content-Type of a digest entry, which then defaults to
    # message/rfc822, and GMime parses a million-part bomb in what anyone
    # else reads as an opaque attachment.  Only a count of lines starting
    # with "--" stops it (it took 154 MiB with 100000 parts).
    pre = head("big/digest-split-header", ctype="multipart/digest; boundary=d") + b"\r\n"
    pre += (b"p" * 60 + b"\r\n") * ((3900 - len(pre)) // 62) + b"--d\r\n"
    pad = 4096 - len(pre) - 5
    bomb = b"Content-Type: multipart/mixed; boundary=z\r\n\r\n" + \
        b"--z\r\n\r\nx\r\n" * 100000 + b"--z--\r\n"
    w("big/digest-split-header", pre + b"bad line" + b"j" * (pad - 8) + b"junkjunk\r\n" +
      b"Content-Type: application/octet-stream\r\n\r\n" + bomb + b"--d--\r\n",
      refused("rejected", "a digest entry whose type GMime loses at its read buffer's "
              "edge, hiding 100000 parts", PARTS))

    a, b = noise(11, 60 * 1000 * 1000), noise(12, 60 * 1000 * 1000)

    def tnef_bomb():
        yield head("big/tnef-2x60m", ctype="multipart/mixed; boundary=b") + b"\r\n"
        yield b"--b\r\n" + BODY
        for title, data in (("作品一.mp4", a), ("作品二.mp4", b)):
            yield b"--b\r\n" + tnef_part(tnef([(title, data)]))
        yield b"--b--\r\n"
    w("big/tnef-2x60m", tnef_bomb(),
      accepted("two winmail.dat of 60 MB, streamed out", [
          attachment("作品一.mp4", a), attachment("作品二.mp4", b)]))


def main(argv):
    if len(argv) == 3 and argv[1] == "--big":
        big_cases(argv[2])
        return 0
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    for f in (small_mime, small_headers, small_encodings, small_names,
              small_auto, small_misc):
        f(HERE)
    # Every message here is a case this script wrote.
    for group in sorted(os.listdir(HERE)):
        d = os.path.join(HERE, group)
        if not os.path.isdir(d):
            continue
        for n in sorted(os.listdir(d)):
            key = group + "/" + n.rsplit(".", 1)[0]
            if key not in CASES:
                print("%s/%s was not written by this script" % (group, n),
                      file=sys.stderr)
                return 1
    print("%d cases" % len(CASES))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
