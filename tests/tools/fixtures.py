#!/usr/bin/env python3
"""Real files for the tests: what a submitter attaches, real by content.

    fixtures.py [--dir DIR] [--out FILE] KIND [KEY=VALUE ...]

prints the path of a file of KIND, made on first use and kept in the cache
directory (DIR, else $SUBGATE_FIXTURES, else $TESTBIN/fixtures, else
/tmp/subgate-fixtures-UID), under a name that says its shape, so that a
test run calls ffmpeg once per shape however many suites and mails use it.
With --out the file is copied there as well; with --out and --no-cache it
is written there only (a file of hundreds of megabytes).

Since subgate judges attachments by their content (libmagic, and later the
media and document checks), a work must be the real thing: random bytes
named .mp4 are application/octet-stream, which a campaign's content =
refuses.  Nothing is downloaded: video, audio and images come from
ffmpeg's test sources, documents are written here.

KIND and its keys (defaults in brackets):
  mp4, mov  size [1920x1080]  rate [25]  duration [2] (seconds)
            audio [yes] (a 440 Hz tone, AAC)  bitrate [100k] (video)
            H.264 from testsrc2, preset ultrafast.  The default is the shape
            the notices ask of a 微视频 (1080p, 25 fps, 16:9) and about
            40 KB: the low bitrate keeps suites that build many mails
            small; ask for bitrate=8M for a clip a bitrate rule passes.
            faststart [no]: the index (moov) first, as -movflags +faststart
            and web exports write it.  cut PERCENT: only the first PERCENT
            of the bytes, as an upload or a download that stopped leaves
            it (with faststart the index survives and the file opens)
  mp3       duration [2]
  jpg, png  size [1280x720 for jpg, 640x360 for png]  (one testsrc2 frame)
            jpg cmyk=yes: a CMYK JPEG's header as Photoshop writes a
            poster (JFIF at dpi [300], Adobe APP14, a four-component SOF0),
            written here because ffmpeg's encoder writes no CMYK; subgate
            reads only the header
  docx      a Word 2007+ document as Word and WPS write it: [Content_Types].xml
            first (libmagic needs it there to say docx, not zip)
  xlsx      an Excel workbook, likewise
  doc       a Word 97 document: an OLE compound file with a WordDocument
            stream (what libmagic and Word look for first)
  pdf       one page, the text through a Type0 font with a ToUnicode map
            (no font embedded), so Chinese text can be extracted;
            scanned=yes: a page that is one grey image, no text at all
  txt       text/plain; encoding [utf-8] (or gbk)
  docx, xlsx, pdf, txt, doc take text [报名表] or chars N (N characters of
  Chinese text), the words of the document.
  docx form=changzhou: notice 003's 附件2 报名表（一） as Word lays it out:
            the “报送单位：” line above a table whose cells merge across
            (gridSpan) and down (vMerge), its labels spaced as printed
            (名 称, 类 别, 总 集 数), filled with unit, title, maker,
            category, episodes, minutes (each left blank when not given:
            the template as it came)
  docx form=fupin: notice 004's 征集报名表: the “□推荐（推荐单位:___）
            □自荐” line, label and value pairs, the 作品类别 row of
            Wingdings checkboxes; name, workplace, phone, title, ticked
            (文学类, 图片类 or 视频类), recommender
Every kind takes
  variant TEXT  different bytes, the same kind of file (two versions of a
                work, two works that must not look like one file twice)
  pad BYTES     at least this big, by padding the format allows (an MP4
                free box, a JPEG comment, a PNG private chunk, an ID3 frame,
                an unused PDF object, a stored zip member)

make-corpus.py imports this module for the documents and for padding
(make(), fill()); its media come from files made here once and committed.
"""
import hashlib
import io
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib

# A change to what a shape produces changes this, so a kept cache is not
# taken for the new files.
REVISION = "1"
ZIP_TIME = (2020, 8, 1, 9, 30, 0)
MEDIA = ("mp4", "mov", "mp3", "jpg", "png")
KINDS = MEDIA + ("docx", "xlsx", "doc", "pdf", "txt")
DEFAULTS = {
    "mp4": {"size": "1920x1080", "rate": "25", "duration": "2",
            "audio": "yes", "bitrate": "100k"},
    "mp3": {"duration": "2"},
    "jpg": {"size": "1280x720"},
    "png": {"size": "640x360"},
}
DEFAULTS["mov"] = DEFAULTS["mp4"]
SAMPLE = "我所经历的脱贫攻坚故事，山村新貌，星城大爱。"


# --- media, by ffmpeg -----------------------------------------------------

def ffmpeg_args(kind, p):
    """ffmpeg's arguments for a media shape, without the output file.
    -threads 1 and bitexact: the same bytes on every run of one build."""
    base = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y"]
    exact = ["-fflags", "+bitexact", "-flags", "+bitexact",
             "-map_metadata", "-1"]
    if kind in ("mp4", "mov"):
        d = p["duration"]
        a = base + ["-f", "lavfi", "-i", "testsrc2=size=%s:rate=%s:duration=%s"
                    % (p["size"], p["rate"], d)]
        if p["audio"] == "yes":
            a += ["-f", "lavfi", "-i",
                  "sine=frequency=440:sample_rate=48000:duration=%s" % d]
        br = p["bitrate"]
        a += ["-c:v", "libx264", "-preset", "ultrafast", "-threads", "1",
              "-b:v", br, "-maxrate", br, "-bufsize", br, "-pix_fmt", "yuv420p"]
        a += ["-c:a", "aac", "-b:a", "32k", "-shortest"] \
            if p["audio"] == "yes" else ["-an"]
        if p.get("faststart") == "yes":
            a += ["-movflags", "+faststart"]
        return a + exact + ["-f", kind]
    if kind == "mp3":
        return base + ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate="
                       "44100:duration=%s" % p["duration"], "-c:a",
                       "libmp3lame", "-b:a", "32k", "-id3v2_version", "0",
                       "-write_xing", "0"] + exact + ["-f", "mp3"]
    enc = ["-c:v", "mjpeg", "-q:v", "8"] if kind == "jpg" else ["-c:v", "png"]
    return base + ["-f", "lavfi", "-i", "testsrc2=size=%s:rate=1" % p["size"],
                   "-frames:v", "1"] + enc + exact + ["-f", "image2",
                                                      "-update", "1"]


def media(kind, p):
    """The bytes ffmpeg makes for the shape."""
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "out." + kind)
        r = subprocess.run(ffmpeg_args(kind, p) + [out],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if r.returncode != 0 or not os.path.exists(out):
            raise RuntimeError("ffmpeg failed for %s %s: %s" % (
                kind, p, r.stderr.decode(errors="replace").strip()))
        with open(out, "rb") as f:
            return f.read()


# --- padding the formats allow ----------------------------------------------

def _mp4_fill(data, size, filler):
    n = max(size - len(data) - 8, 0)
    body = filler(n)
    return data + struct.pack(">I", 8 + len(body)) + b"free" + body


def _jpeg_fill(data, size, filler):
    # After SOI and the JFIF APP0, so the file still opens as a JFIF.
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    at = 2
    if data[2:4] == b"\xff\xe0":
        at = 4 + struct.unpack(">H", data[4:6])[0]
    room = max(size - len(data), 4)
    segments = (room + 65536) // 65537
    body = filler(max(room - 4 * segments, 0))
    out = b""
    while True:
        chunk, body = body[:65533], body[65533:]
        out += b"\xff\xfe" + struct.pack(">H", len(chunk) + 2) + chunk
        if not body:
            break
    return data[:at] + out + data[at:]


def _png_chunk(ctype, body):
    return (struct.pack(">I", len(body)) + ctype + body +
            struct.pack(">I", zlib.crc32(ctype + body) & 0xffffffff))


def _png_fill(data, size, filler):
    # A private, ancillary, safe-to-copy chunk before IEND: decoders skip it.
    iend = data.rindex(b"IEND") - 4
    body = filler(max(size - len(data) - 12, 0))
    return data[:iend] + _png_chunk(b"sgPd", body) + data[iend:]


def _synchsafe(n):
    return bytes([(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f])


def _mp3_fill(data, size, filler):
    # An ID3v2.3 tag in front holding a PRIV frame: players skip the tag.
    owner = b"subgate\x00"
    body = owner + filler(max(size - len(data) - 20 - len(owner), 0))
    frame = b"PRIV" + struct.pack(">IH", len(body), 0) + body
    return b"ID3\x03\x00\x00" + _synchsafe(len(frame)) + frame + data


FILLERS = {"mp4": _mp4_fill, "mov": _mp4_fill, "jpg": _jpeg_fill,
           "png": _png_fill, "mp3": _mp3_fill}


def fill(kind, data, size, filler):
    """data (a file of a media KIND) padded to size bytes where the format
    allows (at least its padding's header when already that big);
    filler(n) gives the n bytes to carry."""
    return FILLERS[kind](data, size, filler)


# --- documents, written here ---------------------------------------------------

def words(p):
    if "chars" in p:
        n = int(p["chars"])
        return (SAMPLE * (n // len(SAMPLE) + 1))[:n]
    return p.get("text", "报名表")


def zip_parts(parts, stored=()):
    """A zip of (name, bytes) in order, with fixed times; names listed in
    stored are not compressed (padding)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in parts:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.create_system = 0
            info.external_attr = 0x20
            info.compress_type = zipfile.ZIP_STORED if name in stored \
                else zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()


def _xml_text(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _ooxml(parts, overrides, rel_target, rel_type, pad):
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             'content-types"><Default Extension="rels" ContentType="'
             'application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Default Extension="bin" ContentType="application/'
             'octet-stream"/>' +
             "".join('<Override PartName="/%s" ContentType="%s"/>' % o
                     for o in overrides) + "</Types>")
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/%s" '
            'Target="%s"/></Relationships>' % (rel_type, rel_target))
    # [Content_Types].xml first, as Word and WPS write it.
    out = [("[Content_Types].xml", types.encode()),
           ("_rels/.rels", rels.encode())] + parts
    if pad is not None:
        out.append((pad[0], pad[1]))
        return zip_parts(out, stored=(pad[0],))
    return zip_parts(out)


def _w_p(text):
    return ('<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>'
            % _xml_text(text))


def _w_tc(text, span=1, vmerge=None, runs=None):
    pr = ""
    if span > 1:
        pr += '<w:gridSpan w:val="%d"/>' % span
    if vmerge == "restart":
        pr += '<w:vMerge w:val="restart"/>'
    elif vmerge:
        pr += '<w:vMerge/>'
    body = runs if runs is not None else _w_p(text)
    return '<w:tc><w:tcPr><w:tcW w:w="1000" w:type="dxa"/>%s</w:tcPr>%s' \
        '</w:tc>' % (pr, body)


def _w_table(rows):
    return '<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>' + \
        "".join("<w:tr>%s</w:tr>" % "".join(r) for r in rows) + "</w:tbl>"


def _form_changzhou(p):
    g = p.get
    return (_w_p("全市党员教育作品观摩交流活动报名表（一）") +
            _w_p("（典型事迹片、纪录片、培训片、文艺片、微视频和“党课开讲啦”视频）") +
            _w_p("报送单位：%s" % g("unit", "")) +
            _w_table([
                [_w_tc("名 称"), _w_tc(g("title", ""), 7)],
                [_w_tc("制作单位"), _w_tc(g("maker", ""), 7)],
                [_w_tc("类 别"), _w_tc(g("category", "")),
                 _w_tc("总 集 数"), _w_tc(g("episodes", "")), _w_tc("集"),
                 _w_tc("每集时长"), _w_tc(g("minutes", "")), _w_tc("分钟")],
                [_w_tc("主创人员"), _w_tc(g("creators", ""), 7)],
                [_w_tc("内 容 简 介"), _w_tc(g("summary", ""), 7)],
                [_w_tc("报送 单位 意见"),
                 _w_tc("", 7, runs=_w_p("（盖章）") + _w_p("年  月  日"))],
            ]) +
            _w_p("注：本表纸质版报送 1 式 2 份。"))


def _w_box(ticked, text):
    # Word's checkbox button: a Wingdings 2 symbol (R ticked, £ empty).
    return ('<w:r><w:sym w:font="Wingdings 2" w:char="%s"/></w:r>'
            '<w:r><w:t xml:space="preserve">%s </w:t></w:r>'
            % ("F052" if ticked else "F0A3", _xml_text(text)))


def _form_fupin(p):
    g = p.get
    rec = g("recommender", "")
    line = ('<w:p>%s<w:r><w:t xml:space="preserve">（推荐单位:%s推荐时间：'
            '%s）</w:t></w:r>%s</w:p>' % (
                _w_box(bool(rec), "推荐"), _xml_text(rec or "___________"),
                "2020年8月3日" if rec else "______", _w_box(not rec, "自荐")))
    kinds = "<w:p>" + "".join(_w_box(g("ticked", "") == k, k) for k in (
        "文学类", "图片类", "视频类（微视频/微电影）")) + "</w:p>"
    return (_w_p("“我所经历的脱贫攻坚故事”征集报名表") + line +
            _w_table([
                [_w_tc("作者姓名"), _w_tc(g("name", "")), _w_tc("性    别"),
                 _w_tc(""), _w_tc("照片", vmerge="restart")],
                [_w_tc("工作单位"), _w_tc(g("workplace", "")),
                 _w_tc("职    务"), _w_tc(""), _w_tc("", vmerge="continue")],
                [_w_tc("身份证号"), _w_tc(""), _w_tc("联系电话"),
                 _w_tc(g("phone", "")), _w_tc("", vmerge="continue")],
                [_w_tc("作品类别"), _w_tc("", 4, runs=kinds)],
                [_w_tc("作品名称"), _w_tc(g("title", ""), 4)],
                [_w_tc("推荐单位意见：（自主报名无需填写）", 5)],
            ]))


FORMS = {"changzhou": _form_changzhou, "fupin": _form_fupin}


def docx(p, pad=None):
    paras = "".join(_w_p(line) for line in words(p).split("\n"))
    if "form" in p:
        if p["form"] not in FORMS:
            raise SystemExit("fixtures.py: form=%s: not %s" % (
                p["form"], ", ".join(sorted(FORMS))))
        paras = FORMS[p["form"]](p)
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/'
           'wordprocessingml/2006/main"><w:body>%s<w:sectPr/></w:body>'
           '</w:document>' % paras)
    return _ooxml([("word/document.xml", doc.encode())],
                  [("word/document.xml", "application/vnd.openxmlformats-"
                    "officedocument.wordprocessingml.document.main+xml")],
                  "word/document.xml", "officeDocument",
                  None if pad is None else ("word/media/image1.bin", pad))


def xlsx(p, pad=None):
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rns = ('xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
           'relationships"')
    book = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook %s %s><sheets><sheet name="Sheet1" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>' % (ns, rns))
    book_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/'
                 'package/2006/relationships"><Relationship Id="rId1" Type="'
                 'http://schemas.openxmlformats.org/officeDocument/2006/'
                 'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                 '</Relationships>')
    rows = "".join('<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is>'
                   '</c></row>' % (i + 1, i + 1, _xml_text(line))
                   for i, line in enumerate(words(p).split("\n")))
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet %s><sheetData>%s</sheetData></worksheet>' % (ns, rows))
    return _ooxml([("xl/workbook.xml", book.encode()),
                   ("xl/_rels/workbook.xml.rels", book_rels.encode()),
                   ("xl/worksheets/sheet1.xml", sheet.encode())],
                  [("xl/workbook.xml", "application/vnd.openxmlformats-"
                    "officedocument.spreadsheetml.sheet.main+xml"),
                   ("xl/worksheets/sheet1.xml", "application/vnd."
                    "openxmlformats-officedocument.spreadsheetml."
                    "worksheet+xml")],
                  "xl/workbook.xml", "officeDocument",
                  None if pad is None else ("xl/media/blob.bin", pad))


def pdf(p, pad=None):
    """A4 pages of text, 50 lines of 30 characters a page.  Each distinct
    character is a CID of an Identity-H Type0 font whose ToUnicode map
    gives it back, so text extraction needs no font file.  The first page
    is objects 3 and 4; further pages follow the font's objects."""
    text = words(p)
    chars = sorted(set(text.replace("\n", "")))
    cid = {c: i + 1 for i, c in enumerate(chars)}
    lines, per = [], 30
    for para in text.split("\n"):
        lines += [para[i:i + per] for i in range(0, max(len(para), 1), per)]
    page_lines = 50
    contents = []
    for first in range(0, len(lines), page_lines):
        ops = ["BT", "/F1 12 Tf", "14 TL", "72 770 Td"]
        for line in lines[first:first + page_lines]:
            ops.append("<%s> Tj T*" % "".join("%04X" % cid[c] for c in line))
        ops.append("ET")
        contents.append("\n".join(ops).encode())
    npages = len(contents)
    kids = b" ".join(b"%d 0 R" % (3 if i == 0 else 7 + 2 * i)
                     for i in range(npages))
    cmap = ["/CIDInit /ProcSet findresource begin", "12 dict begin",
            "begincmap", "/CIDSystemInfo << /Registry (Adobe) /Ordering "
            "(UCS) /Supplement 0 >> def", "/CMapName /Adobe-Identity-UCS def",
            "/CMapType 2 def", "1 begincodespacerange", "<0000> <FFFF>",
            "endcodespacerange"]
    for i in range(0, len(chars), 100):
        part = chars[i:i + 100]
        cmap.append("%d beginbfchar" % len(part))
        cmap += ["<%04X> <%s>" % (cid[c], c.encode("utf-16-be").hex().upper())
                 for c in part]
        cmap.append("endbfchar")
    cmap += ["endcmap", "CMapName currentdict /CMap defineresource pop",
             "end", "end"]
    tounicode = "\n".join(cmap).encode()

    def stream(body):
        return b"<< /Length %d >>\nstream\n" % len(body) + body + \
            b"\nendstream"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, npages),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        stream(contents[0]),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light "
        b"/Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) "
        b"/Supplement 0 >> /FontDescriptor 8 0 R /DW 1000 >>",
        stream(tounicode),
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 4 "
        b"/FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 "
        b"/Descent -120 /CapHeight 880 /StemV 80 >>",
    ]
    for i in range(1, npages):
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                    b"/Resources << /Font << /F1 5 0 R >> >> /Contents "
                    b"%d 0 R >>" % (len(objs) + 2))
        objs.append(stream(contents[i]))
    if pad is not None:
        # Unreferenced: readers find it by the xref and leave it alone.
        objs.append(stream(pad))
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for i, o in enumerate(objs):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, xref)
    return out


def scanned_pdf(p, pad=None):
    """A scan: one page drawing one 8x8 grey image, no text layer."""
    pixels = bytes(range(0, 256, 4))
    body = b"q 595 0 0 842 0 0 cm /Im1 Do Q"

    def stream(head, data):
        return b"<< %s /Length %d >>\nstream\n" % (head, len(data)) + \
            data + b"\nendstream"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
        stream(b"", body),
        stream(b"/Type /XObject /Subtype /Image /Width 8 /Height 8 "
               b"/ColorSpace /DeviceGray /BitsPerComponent 8", pixels),
    ]
    if pad is not None:
        objs.append(stream(b"", pad))
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for i, o in enumerate(objs):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, xref)
    return out


def cmyk_jpeg(p):
    """SOI, JFIF at p's dpi, Adobe APP14 (transform 0: CMYK), DQT, a
    baseline SOF0 of four components, EOI: the header of a poster."""
    w, h = (int(v) for v in p["size"].split("x"))
    dpi = int(p.get("dpi", "300"))
    jfif = b"JFIF\x00\x01\x02\x01" + struct.pack(">HH", dpi, dpi) + b"\x00\x00"
    adobe = b"Adobe\x00\x64\x00\x00\x00\x00\x00"
    dqt = b"\x00" + bytes([1] * 64)
    sof = struct.pack(">BHHB", 8, h, w, 4) + b"".join(
        bytes([i + 1, 0x11, 0]) for i in range(4))

    def seg(marker, body):
        return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body
    return (b"\xff\xd8" + seg(0xE0, jfif) + seg(0xEE, adobe) +
            seg(0xDB, dqt) + seg(0xC0, sof) + b"\xff\xd9")


def doc(p, pad=None):
    """A Word 97 file: an OLE compound file (version 3, 512-byte sectors)
    whose one stream, WordDocument, opens with Word's FIB magic and holds
    the text; at least 4096 bytes, so it lives in regular sectors."""
    end, free, fatsect = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    body = struct.pack("<HH", 0xA5EC, 0x00C1) + b"\x00" * 28 + \
        words(p).encode("utf-16-le") + (pad or b"")
    body += b"\x00" * max(4096 - len(body), 0)
    data_secs = (len(body) + 511) // 512
    fat_secs = 1
    while (data_secs + 1 + fat_secs + 127) // 128 > fat_secs:
        fat_secs += 1
    assert fat_secs <= 109, "a doc fixture too big for the header's DIFAT"
    dir_sec = data_secs
    fat = list(range(1, data_secs)) + [end] + [end] + [fatsect] * fat_secs
    fat += [free] * (128 * fat_secs - len(fat))

    def entry(name, etype, child, start, size):
        n = (name + "\x00").encode("utf-16-le") if name else b""
        return (n.ljust(64, b"\x00") + struct.pack("<HBB", len(n), etype, 1) +
                struct.pack("<III", free, free, child) + b"\x00" * 16 +
                b"\x00" * 4 + b"\x00" * 16 + struct.pack("<IQ", start, size))
    dirs = (entry("Root Entry", 5, 1, end, 0) +
            entry("WordDocument", 2, free, 0, len(body)) +
            entry("", 0, free, free, 0) * 2)
    difat = list(range(data_secs + 1, data_secs + 1 + fat_secs))
    difat += [free] * (109 - len(difat))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 +
              struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6 +
              struct.pack("<IIIIIIIII", 0, fat_secs, dir_sec, 0, 4096, end, 0,
                          end, 0) + struct.pack("<109I", *difat))
    return (header + body.ljust(data_secs * 512, b"\x00") + dirs +
            struct.pack("<%dI" % len(fat), *fat))


def txt(p, pad=None):
    enc = {"gbk": "gb18030"}.get(p.get("encoding", "utf-8"), "utf-8")
    out = (words(p) + "\n").encode(enc)
    if pad is not None:
        # Text stays text: the padding written out in hex, in lines.
        h = pad.hex()
        out += "".join(h[i:i + 64] + "\n"
                       for i in range(0, len(h), 64)).encode()
    return out


DOCUMENTS = {"docx": docx, "xlsx": xlsx, "pdf": pdf, "doc": doc, "txt": txt}


def document(kind, p, size, filler, least=0):
    """A document of KIND of at least about size bytes, padded with
    filler(n)'s bytes (exactly size for docx and xlsx), at least least of
    them."""
    make = DOCUMENTS[kind]
    n = max(size - len(make(p, b"")), least)
    if kind == "doc":
        n += 4096           # the stream's own minimum is in the base size
    return make(p, filler(n // 2 if kind == "txt" else n))


# --- the cache ------------------------------------------------------------------

def params(kind, pairs):
    p = dict(DEFAULTS.get(kind, {}))
    for kv in pairs:
        k, sep, v = kv.partition("=")
        if not sep:
            raise SystemExit("fixtures.py: %s: not KEY=VALUE" % kv)
        p[k] = v
    return p


def noise_for(variant):
    """filler(n): variant's own text, then bytes seeded by it."""
    tag = variant.encode()

    def filler(n):
        if n <= len(tag):
            return tag[:n] if n else b""
        return tag + random.Random(variant).randbytes(n - len(tag))
    return filler


def make(kind, p):
    """The bytes of a file of KIND with the parameters p (see the top)."""
    variant, pad = p.get("variant", ""), p.get("pad")
    filler = noise_for(variant)
    if kind == "pdf" and p.get("scanned") == "yes":
        return scanned_pdf(p, filler(int(pad)) if pad else None)
    if kind == "jpg" and p.get("cmyk") == "yes":
        data = cmyk_jpeg(p)
        if not variant and not pad:
            return data
        return fill(kind, data, max(int(pad or 0), len(data) + 64 +
                                    len(variant)), filler)
    if kind in DOCUMENTS:
        if pad:
            return document(kind, p, int(pad), filler,
                            len(variant.encode()))
        return DOCUMENTS[kind](p, filler(len(variant)) if variant else None)
    shape = {k: v for k, v in p.items()
             if k not in ("variant", "pad", "cut")}
    data = cached_media(kind, shape)
    if p.get("cut"):
        return data[:len(data) * int(p["cut"]) // 100]
    if not variant and not pad:
        return data
    # Room for every format's padding header and the whole variant text.
    return fill(kind, data, max(int(pad or 0), len(data) + 64 + len(variant)),
                filler)


def cache_dir():
    d = os.environ.get("SUBGATE_FIXTURES")
    if not d and os.environ.get("TESTBIN"):
        d = os.path.join(os.environ["TESTBIN"], "fixtures")
    return d or os.path.join(tempfile.gettempdir(),
                             "subgate-fixtures-%d" % os.getuid())


CACHE = None


def cache_name(kind, p):
    shape = ",".join("%s=%s" % kv for kv in sorted(p.items()))
    digest = hashlib.sha256(("%s|%s|%s" % (REVISION, kind, shape))
                            .encode()).hexdigest()[:12]
    readable = "-".join(v.replace("/", "_") for k, v in sorted(p.items())
                        if k not in ("text", "variant") and len(v) < 20)
    return "%s%s%s-%s.%s" % (kind, "-" if readable else "", readable,
                              digest, kind)


def cached(kind, p, produce):
    """The path of the file for (kind, p) in the cache, produced once.  A
    file appears whole or not at all (written aside, then renamed), so
    suites running at once may share the cache."""
    os.makedirs(CACHE, exist_ok=True)
    path = os.path.join(CACHE, cache_name(kind, p))
    if not os.path.exists(path):
        fd, tmp = tempfile.mkstemp(dir=CACHE, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(produce())
            os.rename(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    return path


def cached_media(kind, shape):
    if CACHE is None:
        return media(kind, shape)
    with open(cached(kind, shape, lambda: media(kind, shape)), "rb") as f:
        return f.read()


def main(argv):
    global CACHE
    args = list(argv)
    out, d, keep = None, None, True
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--out" and args:
            out = args.pop(0)
        elif opt == "--dir" and args:
            d = args.pop(0)
        elif opt == "--no-cache":
            keep = False
        else:
            raise SystemExit(__doc__)
    if not args or args[0] not in KINDS:
        raise SystemExit(__doc__)
    kind = args.pop(0)
    CACHE = d or cache_dir()
    p = params(kind, args)
    if not keep and out:
        # A big one-off (pad=200M): written where asked, not kept; the
        # media it is made from are.
        with open(out, "wb") as f:
            f.write(make(kind, p))
        print(out)
        return 0
    path = cached(kind, p, lambda: make(kind, p))
    if out:
        shutil.copyfile(path, out)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
