#!/usr/bin/env python3
"""An SMTP relay that takes connections and then stops answering.

    stalled-relay.py --mode-file FILE --relay HOST:PORT
                     --port-file FILE --log FILE

What a relay looks like when it hangs (a full disk, a stuck content
filter, a firewall that swallows packets after the handshake): the TCP
connection is accepted and then nothing comes back.  Each connection
reads the mode file when it is accepted:

- "greeting": not even the 220 greeting is ever sent;
- "final": the greeting, EHLO, MAIL, RCPT and DATA are answered as usual,
  the message is read to its final dot, and the final answer never comes
  (the message goes nowhere);
- anything else, or no file: a working relay: each message is handed to
  HOST:PORT (plain SMTP, smtplib) and answered 250 once it was taken.

It listens on a free port on 127.0.0.1, writes the port to FILE (written
aside and renamed), and logs one line per event: "conn N: connect MODE",
"conn N: message read, no answer", "conn N: message relayed",
"conn N: close".  Runs until killed.
"""
import argparse
import os
import smtplib
import socket
import sys
import threading

# RFC 5321 allows 512 octets for a command line.
COMMAND_LINE_MAX = 4096
DATA_LINE_MAX = 65536
MESSAGE_MAX = 16 * 1024 * 1024


class Log:
    def __init__(self, path):
        self.f = open(path, "a", encoding="utf-8")
        self.lock = threading.Lock()

    def write(self, conn_id, text):
        with self.lock:
            self.f.write("conn %d: %s\n" % (conn_id, text))
            self.f.flush()


def lines(conn):
    """The client's lines without CRLF; stops at EOF or an overlong line."""
    buf = b""
    while True:
        i = buf.find(b"\n")
        if i >= 0:
            line, buf = buf[:i], buf[i + 1:]
            yield line.rstrip(b"\r")
            continue
        if len(buf) > DATA_LINE_MAX:
            return
        data = conn.recv(65536)
        if not data:
            return
        buf += data


def path_of(arg):
    return arg[arg.index(b"<") + 1:arg.index(b">")].decode() \
        if b"<" in arg and b">" in arg else ""


def read_message(it):
    """The message up to its final dot, dot-unstuffed; None at EOF."""
    body, size = [], 0
    for line in it:
        if line == b".":
            return b"\r\n".join(body) + b"\r\n"
        if line.startswith(b"."):
            line = line[1:]
        size += len(line) + 2
        if size <= MESSAGE_MAX:
            body.append(line)
    return None


def converse(conn, conn_id, mode, opts, log):
    conn.sendall(b"220 localhost ESMTP stalled-relay\r\n")
    it = lines(conn)
    mail_from, rcpts = "", []
    for line in it:
        verb, _, arg = line.partition(b" ")
        verb = verb.upper()
        if verb == b"EHLO":
            conn.sendall(b"250-localhost\r\n250 8BITMIME\r\n")
        elif verb == b"MAIL":
            mail_from, rcpts = path_of(arg), []
            conn.sendall(b"250 ok\r\n")
        elif verb == b"RCPT":
            rcpts.append(path_of(arg))
            conn.sendall(b"250 ok\r\n")
        elif verb == b"DATA":
            conn.sendall(b"354 go ahead\r\n")
            data = read_message(it)
            if data is None:
                return
            if mode == "final":
                log.write(conn_id, "message read, no answer")
                return
            host, _, port = opts.relay.rpartition(":")
            try:
                with smtplib.SMTP(host, int(port), timeout=30) as relay:
                    relay.sendmail(mail_from, rcpts, data)
            except (smtplib.SMTPException, OSError) as e:
                log.write(conn_id, "relay failed: %s" % e)
                conn.sendall(b"451 relay failed\r\n")
                continue
            log.write(conn_id, "message relayed")
            conn.sendall(b"250 queued\r\n")
        elif verb == b"QUIT":
            conn.sendall(b"221 bye\r\n")
            return
        else:
            conn.sendall(b"250 ok\r\n")


def serve(conn, conn_id, opts, log):
    try:
        with open(opts.mode_file) as f:
            mode = f.read().strip()
    except OSError:
        mode = "relay"
    log.write(conn_id, "connect " + mode)
    try:
        if mode != "greeting":
            converse(conn, conn_id, mode, opts, log)
        # Stalled: read (and drop) whatever comes until the client goes.
        if mode in ("greeting", "final"):
            while conn.recv(65536):
                pass
    except OSError as e:
        log.write(conn_id, "error: %s" % e)
    finally:
        conn.close()
        log.write(conn_id, "close")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mode-file", required=True)
    p.add_argument("--relay", required=True, help="HOST:PORT, plain SMTP")
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    opts = p.parse_args()
    log = Log(opts.log)

    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(64)
    tmp = opts.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % lsock.getsockname()[1])
    os.rename(tmp, opts.port_file)

    conn_id = 0
    while True:
        conn, _ = lsock.accept()
        conn_id += 1
        threading.Thread(target=serve, args=(conn, conn_id, opts, log),
                         daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
