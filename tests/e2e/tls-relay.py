#!/usr/bin/env python3
"""An implicit-TLS front for a plain SMTP server, for subgate's tests.

    tls-relay.py --cert CRT --key KEY --target HOST:PORT
                 --listen ADDR [--listen ADDR...] --ports-file FILE

The local mail stack's OpenSMTPD speaks no TLS (Debian 12's build fails
every handshake under OpenSSL 3), so the SMTP client's TLS (certificate
and host name checks) is tested against this relay: it listens on a free
port on each ADDR, completes a TLS handshake with the given certificate,
and only then connects to TARGET and passes the plain bytes both ways.

Once every listener is up it writes "ADDR PORT" lines to FILE (written
aside and renamed, so a reader never sees half of it).  A handshake the
client breaks off (it refused the certificate) is logged on stderr as
"handshake failed ADDR:PORT: why", so a test can tell a refusal from a
connection that never got here; a client that checks the certificate
only after the handshake (curl with GnuTLS checks the host name then) shows
as "closed ADDR:PORT from ...: 0 bytes from the client".  Runs until
killed.
"""
import argparse
import os
import select
import socket
import ssl
import sys
import threading

BUF = 65536
# A test connection that goes quiet this long is dropped.
IDLE_SECONDS = 120


def log(text):
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def pump(tls, plain):
    """Copies bytes both ways until either side closes; returns how many
    bytes the TLS client sent."""
    socks = [tls, plain]
    sent = 0
    while True:
        r, _, _ = select.select(socks, [], [], IDLE_SECONDS)
        if not r:
            return sent
        if tls in r:
            try:
                data = tls.recv(BUF)
            except ssl.SSLWantReadError:
                data = None
            if data == b"":
                return sent
            while data:
                sent += len(data)
                plain.sendall(data)
                # Whole records already decrypted wait inside the TLS
                # object, where select() does not see them.
                data = tls.recv(BUF) if tls.pending() else None
        if plain in r:
            data = plain.recv(BUF)
            if not data:
                return sent
            tls.sendall(data)


def serve(conn, peer, local, ctx, target):
    tls = plain = None
    try:
        conn.settimeout(30)
        try:
            tls = ctx.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError) as e:
            log("handshake failed %s:%d: %s" % (local[0], local[1], e))
            conn.close()
            return
        log("handshake done %s:%d from %s:%d" % (local[0], local[1],
                                                   peer[0], peer[1]))
        tls.settimeout(None)
        plain = socket.create_connection(target, timeout=30)
        plain.settimeout(None)
        sent = pump(tls, plain)
        log("closed %s:%d from %s:%d: %d bytes from the client" % (
            local[0], local[1], peer[0], peer[1], sent))
    except (ssl.SSLError, OSError) as e:
        log("relay %s:%d: %s" % (local[0], local[1], e))
    finally:
        for s in (tls, plain):
            if s is not None:
                try:
                    s.close()
                except OSError:
                    pass


def accept_loop(lsock, ctx, target):
    local = lsock.getsockname()
    while True:
        conn, peer = lsock.accept()
        threading.Thread(target=serve, args=(conn, peer, local, ctx, target),
                         daemon=True).start()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--target", required=True, help="HOST:PORT")
    p.add_argument("--listen", action="append", required=True)
    p.add_argument("--ports-file", required=True)
    a = p.parse_args()
    host, _, port = a.target.rpartition(":")
    target = (host, int(port))

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(a.cert, a.key)

    lines = []
    socks = []
    for addr in a.listen:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, 0))
        s.listen(16)
        socks.append(s)
        lines.append("%s %d\n" % (addr, s.getsockname()[1]))
    tmp = a.ports_file + ".tmp"
    with open(tmp, "w") as f:
        f.writelines(lines)
    os.rename(tmp, a.ports_file)
    threads = [threading.Thread(target=accept_loop, args=(s, ctx, target),
                                daemon=True) for s in socks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


if __name__ == "__main__":
    main()
