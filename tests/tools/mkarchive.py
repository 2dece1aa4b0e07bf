#!/usr/bin/env python3
"""Archives as submitters make them, for the tests.

    mkarchive.py [--gbk] [--password PW] [--zeros NAME=MIB] OUT NAME=FILE...

(the options anywhere) writes OUT, a zip (or, by its extension, a 7z) holding each FILE under
NAME (a path inside the archive, Chinese welcome).

  --gbk          the names in GBK without the zip's UTF-8 flag, as
                 Windows' Explorer, WinRAR and 360压缩 write them on a
                 Chinese system (the common case in the mail subgate gets)
  --password PW  every entry encrypted with the zip's traditional
                 (ZipCrypto) scheme, as `zip -P` and Explorer do
  --zeros N=MIB  an entry N of MIB mebibytes of zeros, deflated: a bomb
                 by ratio (100 MiB make about 100 KB), written in pieces
                 so this script never holds it whole

A 7z is made with 7z (p7zip-full), else bsdtar (libarchive-tools); its
names are always UTF-8, and --gbk and --password do not apply.  A .rar
is a RAR 5 archive written here, its entries stored (no free tool
compresses RAR; WinRAR's "store" method is what this writes), names in
UTF-8 as RAR 5 keeps them.
Everything is written here: nothing is downloaded.
"""
import binascii
import io
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib

ZIP_TIME = (2020, 8, 1, 9, 30, 0)


def _crc_keys(password):
    keys = [0x12345678, 0x23456789, 0x34567890]

    def update(c):
        keys[0] = zlib.crc32(bytes([c]), keys[0] ^ 0xffffffff) ^ 0xffffffff
        keys[1] = (keys[1] + (keys[0] & 0xff)) & 0xffffffff
        keys[1] = (keys[1] * 134775813 + 1) & 0xffffffff
        keys[2] = zlib.crc32(bytes([keys[1] >> 24]),
                             keys[2] ^ 0xffffffff) ^ 0xffffffff

    for c in password:
        update(c)
    return keys, update


def zipcrypto(data, password, crc):
    """data encrypted with the traditional PKWARE scheme, its 12-byte
    header first (the last byte: the CRC's high byte, which readers
    check the password against)."""
    keys, update = _crc_keys(password)
    header = bytearray(os.urandom(11)) + bytes([crc >> 24])
    out = bytearray()
    for c in bytes(header) + data:
        k = (keys[2] | 2) & 0xffff
        out.append(c ^ (((k * (k ^ 1)) >> 8) & 0xff))
        update(c)
    return bytes(out)


def raw_name(name, gbk):
    return name.encode("gbk") if gbk else name.encode("utf-8")


def write_zip(out, members, gbk, password):
    """A zip written here, header by header: the names as asked (GBK
    without the flag, or UTF-8 with it), the data deflated, encrypted
    when asked."""
    dos_time = (ZIP_TIME[3] << 11) | (ZIP_TIME[4] << 5) | (ZIP_TIME[5] // 2)
    dos_date = ((ZIP_TIME[0] - 1980) << 9) | (ZIP_TIME[1] << 5) | ZIP_TIME[2]
    central = []
    with open(out, "wb") as f:
        for name, source in members:
            raw = raw_name(name, gbk)
            flags = 0 if gbk or raw.isascii() else 0x800
            crc, size, comp = 0, 0, zlib.compressobj(9, zlib.DEFLATED, -15)
            body = io.BytesIO()
            for chunk in source():
                crc = zlib.crc32(chunk, crc)
                size += len(chunk)
                body.write(comp.compress(chunk))
            body.write(comp.flush())
            data = body.getvalue()
            if password is not None:
                flags |= 1
                data = zipcrypto(data, password.encode(), crc)
            offset = f.tell()
            f.write(struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, flags, 8,
                                dos_time, dos_date, crc, len(data), size,
                                len(raw), 0) + raw + data)
            central.append(struct.pack(
                "<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, flags, 8,
                dos_time, dos_date, crc, len(data), size, len(raw), 0, 0,
                0, 0, 0, offset) + raw)
        start = f.tell()
        for c in central:
            f.write(c)
        f.write(struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, len(central),
                            len(central), f.tell() - start, start, 0))


def write_7z(out, members):
    with tempfile.TemporaryDirectory() as d:
        for name, source in members:
            path = os.path.join(d, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                for chunk in source():
                    f.write(chunk)
        names = sorted(os.listdir(d))
        target = os.path.abspath(out)
        if os.path.exists(target):
            os.unlink(target)
        if shutil.which("7z"):
            cmd = ["7z", "a", "-bso0", "-bsp0", target] + names
        else:
            cmd = ["bsdtar", "-cf", target, "--format", "7zip"] + names
        env = dict(os.environ, LC_ALL="C.UTF-8")
        subprocess.run(cmd, cwd=d, check=True, env=env,
                       stdout=subprocess.DEVNULL)


def file_source(path):
    def chunks():
        with open(path, "rb") as f:
            while True:
                b = f.read(1 << 20)
                if not b:
                    return
                yield b
    return chunks


def zeros_source(mib):
    def chunks():
        block = bytes(1 << 20)
        for _ in range(mib):
            yield block
    return chunks


def _vint(n):
    out = bytearray()
    while True:
        b, n = n & 0x7f, n >> 7
        out.append(b | 0x80 if n else b)
        if not n:
            return bytes(out)


def _rar_header(body):
    """A RAR 5 block: its CRC32 over the size and the body, then both."""
    data = _vint(len(body)) + body
    return struct.pack("<I", binascii.crc32(data) & 0xffffffff) + data


def write_rar(out, members):
    """A RAR 5 archive (the signature, the main header, a file header and
    its stored data per member, the end header), as RAR 5's technote
    lays it out."""
    with open(out, "wb") as f:
        f.write(b"Rar!\x1a\x07\x01\x00")
        f.write(_rar_header(_vint(1) + _vint(0) + _vint(0)))
        for name, chunks in members:
            data = b"".join(chunks())
            nb = name.encode("utf-8")
            body = (_vint(2) + _vint(0x02) + _vint(len(data)) +
                    # file flags (CRC32 present), size, attributes
                    _vint(0x04) + _vint(len(data)) + _vint(0x20) +
                    struct.pack("<I", binascii.crc32(data) & 0xffffffff) +
                    # stored, from Windows, the name
                    _vint(0) + _vint(0) + _vint(len(nb)) + nb)
            f.write(_rar_header(body))
            f.write(data)
        f.write(_rar_header(_vint(5) + _vint(0) + _vint(0)))


def main(argv):
    args, gbk, password, members, out = list(argv), False, None, [], None
    while args:
        arg = args.pop(0)
        if arg == "--gbk":
            gbk = True
        elif arg == "--password" and args:
            password = args.pop(0)
        elif arg == "--zeros" and args:
            name, _, mib = args.pop(0).partition("=")
            members.append((name, zeros_source(int(mib))))
        elif arg.startswith("--"):
            raise SystemExit(__doc__)
        elif out is None:
            out = arg
        else:
            name, sep, path = arg.partition("=")
            if not sep:
                raise SystemExit("mkarchive.py: %s: not NAME=FILE" % arg)
            members.append((name, file_source(path)))
    if out is None:
        raise SystemExit(__doc__)
    if out.endswith(".7z"):
        write_7z(out, members)
    elif out.endswith(".rar"):
        write_rar(out, members)
    else:
        write_zip(out, members, gbk, password)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
