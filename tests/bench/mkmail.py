#!/usr/bin/env python3
"""Generate submissions for subgate's benchmarks, fast enough for a
gigabyte: MIME written by hand, each message a file.  The attachment is a
real MP4 by content (subgate judges works by content, and the campaign
takes only video): a one-second 1080p clip from tests/tools/fixtures.py,
about 8 KB, then a free box of random (incompressible) bytes up to the
size asked, in base64.

    mkmail.py --out DIR --mix 140x500K,50x5M,10x50M [--scale 1]
              [--bad-every 5] [--first 0] [--maildir]

--mix is COUNTxSIZE,... (sizes of the attachment before encoding, K/M/G
powers of 1000, Ki/Mi/Gi of 1024; never below the clip's own size);
--scale multiplies every count.  The
messages of a mix are interleaved (big ones spread through the mailbox, not
at its end).  Every --bad-every'th subject does not follow the fupin2020
convention (a correction instead of a receipt; 0: all well named).
--maildir writes DIR/new/<unique>:2, files as a delivery would, else
DIR/NNNNNN.eml.  Senders are unit<i % 37>@example.test; Message-IDs are
<bench-<first+i>@example.test>.  Prints "messages bytes".
"""
import argparse
import base64
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tools"))
import fixtures  # noqa: E402  (tests/tools/fixtures.py)

CLIP_SHAPE = {"size": "1920x1080", "rate": "25", "duration": "1",
              "audio": "no", "bitrate": "20k"}

UNITS = {"": 1, "K": 1000, "M": 1000 ** 2, "G": 1000 ** 3,
         "KI": 1024, "MI": 1024 ** 2, "GI": 1024 ** 3}


def size_of(text):
    t = text.upper()
    num = t.rstrip("KMGI")
    return int(float(num) * UNITS[t[len(num):]])


def parse_mix(spec, scale):
    sizes = []
    for item in spec.split(","):
        count, _, size = item.strip().partition("x")
        sizes.append([int(round(int(count) * scale)), size_of(size)])
    # Round-robin in proportion: a mix of 140/50/10 comes out as
    # small, small, ..., medium, ..., big, spread evenly.
    total = sum(c for c, _ in sizes)
    out, taken = [], [0] * len(sizes)
    for i in range(total):
        best = max(range(len(sizes)),
                   key=lambda k: (sizes[k][0] * (i + 1) / total - taken[k]))
        taken[best] += 1
        out.append(sizes[best][1])
    return out


def message(i, size, bad):
    title = "作品%d" % i
    subject = ("%s 投稿" % title) if bad else \
        "扶贫征集-自荐-视频类(微视频)-%s" % title
    subject_enc = "=?UTF-8?B?%s?=" % base64.b64encode(subject.encode()).decode()
    name_enc = "UTF-8''" + "".join("%%%02X" % b for b in (title + ".mp4").encode())
    head = (
        "From: unit%d@example.test\n"
        "To: campaign@example.test\n"
        "Subject: %s\n"
        "Date: Sat, 01 Aug 2020 10:00:00 +0800\n"
        "Message-ID: <bench-%d@example.test>\n"
        "MIME-Version: 1.0\n"
        "Content-Type: multipart/mixed; boundary=\"bench-boundary\"\n"
        "\n"
        "--bench-boundary\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: 8bit\n"
        "\n"
        "您好，附件是我们的投稿材料，请查收。\n"
        "\n"
        "--bench-boundary\n"
        "Content-Type: video/mp4\n"
        "Content-Transfer-Encoding: base64\n"
        "Content-Disposition: attachment; filename*=%s\n"
        "\n" % (i % 37, subject_enc, i, name_enc)).encode()
    return head, size


def write(path, i, size, bad, clip):
    head, size = message(i, size, bad)
    n = 0
    # The clip, and a free box holding the rest: what a player skips.
    box = max(size - len(clip), 8)
    prefix = clip + struct.pack(">I", box) + b"free"
    left = box - 8
    with open(path, "wb") as f:
        f.write(head)
        n += len(head)
        # 57 input bytes make one 76-character base64 line.
        chunk = 57 * 16384
        while prefix or left > 0:
            take = min(chunk - len(prefix), left)
            data = base64.encodebytes(prefix + os.urandom(take))
            prefix = b""
            f.write(data)
            n += len(data)
            left -= take
        tail = b"\n--bench-boundary--\n"
        f.write(tail)
        n += len(tail)
    return n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--mix", required=True)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--bad-every", type=int, default=5)
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--maildir", action="store_true")
    a = ap.parse_args()
    sizes = parse_mix(a.mix, a.scale)
    target = os.path.join(a.out, "new") if a.maildir else a.out
    os.makedirs(target, exist_ok=True)
    if a.maildir:
        for sub in ("cur", "tmp"):
            os.makedirs(os.path.join(a.out, sub), exist_ok=True)
    total = 0
    fixtures.CACHE = fixtures.cache_dir()
    clip = fixtures.cached_media("mp4", CLIP_SHAPE)
    for k, size in enumerate(sizes):
        i = a.first + k
        bad = a.bad_every > 0 and i % a.bad_every == a.bad_every - 1
        name = ("1600000000.M%dP%d.bench:2," % (i, os.getpid())) if a.maildir \
            else "%06d.eml" % i
        total += write(os.path.join(target, name), i, size, bad, clip)
    print(len(sizes), total)
    return 0


if __name__ == "__main__":
    sys.exit(main())
