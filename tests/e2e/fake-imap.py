#!/usr/bin/env python3
"""A scripted IMAP server, for the subgate tests the local Dovecot cannot
play: a damaged mailbox, OAuth, a man in the middle, a server that hangs.

    fake-imap.py --port-file FILE [--log FILE] [--lifetime SECONDS]
                 [--silent]
                 [--message FILE]... [--refuse-uid UID]... [--uidvalidity N]
                 [--xoauth2-token TOKEN --user USER] [--starttls-injection]

It listens on a free port of 127.0.0.1, writes that port to FILE (written
aside and renamed, so a reader never sees half of it), serves each
connection in a thread and stops after --lifetime seconds (300), so a test
that dies without killing it leaves nothing behind for long.

--silent       takes every connection and never says a word (the server
               that hangs after the TCP handshake).
--message      the campaign folder's messages, UID 1, 2, ... in the order
               given; none: an empty folder.  EXAMINE reports them with
               UIDVALIDITY --uidvalidity (42) and UIDNEXT one past the
               last; UID FETCH lists each with its RFC822.SIZE and a fixed
               INTERNALDATE, and hands over BODY.PEEK[]<offset.count> and
               BODY.PEEK[HEADER].
--refuse-uid   answers a body FETCH of that UID with the tagged NO Dovecot
               gives for a damaged mail file; the listing still shows it.
--xoauth2-token  the server takes AUTHENTICATE XOAUTH2 (SASL-IR) only, and
               only for "user=USER^Aauth=Bearer TOKEN^A^A"; anything else
               gets an error challenge (RFC 7628: the client must answer
               it with an empty line) and then NO.  LOGIN is refused.
               Without it, LOGIN with any password is accepted.
--starttls-injection  the greeting offers STARTTLS, and its OK comes with
               an untagged answer glued behind it in the same packet (a
               man in the middle's trick); no TLS follows.

The log (--log) gets one line per event a test looks for:
"SASL '<decoded string>'" and "ANSWER '<line>'" (Python repr), "LOGIN",
"STARTTLS".  Any other command gets BAD.  Python 3 standard library only.
"""
import argparse
import base64
import os
import re
import socket
import sys
import threading

# The date every message claims to have arrived (campaign time zone).
INTERNALDATE = "01-Aug-2020 10:00:00 +0800"
# What Dovecot says when a mail file cannot be read.
DAMAGED = "NO [SERVERBUG] Internal error reading the mail file"
# A command line longer than this is not one subgate sends.
LINE_MAX = 65536


class Server:
    def __init__(self, args):
        self.args = args
        self.messages = [open(p, "rb").read() for p in args.message]
        self.log_lock = threading.Lock()

    def log(self, text):
        if not self.args.log:
            return
        with self.log_lock, open(self.args.log, "a") as f:
            f.write(text + "\n")

    def capabilities(self):
        caps = ["IMAP4rev1"]
        if self.args.xoauth2_token is not None:
            caps += ["AUTH=XOAUTH2", "SASL-IR"]
        return caps

    def session(self, conn):
        try:
            Session(self, conn).run()
        except (OSError, ValueError):
            pass
        finally:
            conn.close()


class Session:
    def __init__(self, server, conn):
        self.server, self.conn = server, conn
        self.rfile = conn.makefile("rb")

    def send(self, data):
        if isinstance(data, str):
            data = data.encode() + b"\r\n"
        self.conn.sendall(data)

    def run(self):
        s = self.server
        greeting = s.capabilities()
        if s.args.starttls_injection:
            greeting.insert(1, "STARTTLS")
        self.send("* OK [CAPABILITY %s] fake ready" % " ".join(greeting))
        while True:
            raw = self.rfile.readline(LINE_MAX)
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            tag, _, rest = line.partition(" ")
            cmd = rest.split(" ")[0].upper()
            handler = getattr(self, "cmd_" + cmd, None)
            if handler is None:
                self.send(tag + " BAD unexpected")
            elif handler(tag, rest) == "logout":
                return

    def cmd_CAPABILITY(self, tag, rest):
        self.send("* CAPABILITY " + " ".join(self.server.capabilities()))
        self.send(tag + " OK done")

    def cmd_NOOP(self, tag, rest):
        self.send(tag + " OK done")

    def cmd_LOGIN(self, tag, rest):
        if self.server.args.xoauth2_token is not None:
            self.server.log("LOGIN")
            self.send(tag + " NO LOGIN is not offered")
        else:
            self.send(tag + " OK logged in")

    def cmd_AUTHENTICATE(self, tag, rest):
        args = self.server.args
        parts = rest.split(" ")
        if args.xoauth2_token is None or len(parts) < 3 or \
                parts[1].upper() != "XOAUTH2":
            self.send(tag + " NO mechanism not offered")
            return
        sasl = base64.b64decode(parts[2]).decode()
        self.server.log("SASL " + repr(sasl))
        if sasl == "user=%s\x01auth=Bearer %s\x01\x01" % (
                args.user, args.xoauth2_token):
            self.send(tag + " OK [CAPABILITY IMAP4rev1] logged in")
            return
        challenge = base64.b64encode(b'{"status":"401","schemes":"Bearer",'
                                     b'"scope":"https://mail.google.com/"}')
        self.send("+ " + challenge.decode())
        answer = self.rfile.readline(LINE_MAX).decode()
        self.server.log("ANSWER " + repr(answer))
        self.send(tag + " NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)")

    def cmd_STARTTLS(self, tag, rest):
        if not self.server.args.starttls_injection:
            self.send(tag + " BAD unexpected")
            return
        self.send((tag + " OK begin TLS\r\n"
                   "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected\r\n").encode())
        self.server.log("STARTTLS")

    def cmd_EXAMINE(self, tag, rest):
        n = len(self.server.messages)
        self.send("* FLAGS (\\Seen)")
        self.send("* %d EXISTS" % n)
        self.send("* 0 RECENT")
        self.send("* OK [UIDVALIDITY %d] ok" % self.server.args.uidvalidity)
        self.send("* OK [UIDNEXT %d] ok" % (n + 1))
        self.send(tag + " OK [READ-ONLY] done")

    cmd_SELECT = cmd_EXAMINE

    def cmd_UID(self, tag, rest):
        msgs = self.server.messages
        m = re.match(r"UID FETCH (\d+)(?::(\d+|\*))? ", rest, re.I)
        if not m:
            self.send(tag + " OK done")
            return
        first = int(m.group(1))
        last = m.group(2)
        if last is None:
            uids = [first]
        elif last == "*":
            # "n:*" always includes the highest UID (RFC 3501 6.4.8).
            uids = list(range(min(first, len(msgs)), len(msgs) + 1))
        else:
            uids = list(range(first, int(last) + 1))
        uids = [u for u in uids if 1 <= u <= len(msgs)]
        if "BODY.PEEK" not in rest.upper():
            for uid in uids:
                self.send('* %d FETCH (UID %d RFC822.SIZE %d INTERNALDATE "%s")'
                          % (uid, uid, len(msgs[uid - 1]), INTERNALDATE))
            self.send(tag + " OK done")
            return
        for uid in uids:
            if uid in self.server.args.refuse_uid:
                self.send(tag + " " + DAMAGED)
                return
        for uid in uids:
            body = msgs[uid - 1]
            if "BODY.PEEK[HEADER]" in rest.upper():
                end = body.find(b"\r\n\r\n")
                part = body if end < 0 else body[:end + 4]
                self.send(b"* %d FETCH (UID %d BODY[HEADER] {%d}\r\n"
                          % (uid, uid, len(part)) + part + b")\r\n")
                continue
            p = re.search(r"<(\d+)\.(\d+)>", rest)
            start, count = (int(p.group(1)), int(p.group(2))) if p else (0, len(body))
            part = body[start:start + count]
            self.send(b"* %d FETCH (UID %d BODY[]<%d> {%d}\r\n"
                      % (uid, uid, start, len(part)) + part + b")\r\n")
        self.send(tag + " OK done")

    def cmd_LOGOUT(self, tag, rest):
        self.send("* BYE bye")
        self.send(tag + " OK done")
        return "logout"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log")
    ap.add_argument("--lifetime", type=float, default=300)
    ap.add_argument("--silent", action="store_true")
    ap.add_argument("--message", action="append", default=[])
    ap.add_argument("--refuse-uid", type=int, action="append", default=[])
    ap.add_argument("--uidvalidity", type=int, default=42)
    ap.add_argument("--xoauth2-token")
    ap.add_argument("--user", default="campaign@example.test")
    ap.add_argument("--starttls-injection", action="store_true")
    args = ap.parse_args()
    server = Server(args)

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    with open(args.port_file + ".tmp", "w") as f:
        f.write("%d\n" % listener.getsockname()[1])
    os.rename(args.port_file + ".tmp", args.port_file)
    timer = threading.Timer(args.lifetime, os._exit, (0,))
    timer.daemon = True
    timer.start()
    held = []
    while True:
        conn, _ = listener.accept()
        if args.silent:
            held.append(conn)
            continue
        threading.Thread(target=server.session, args=(conn,),
                         daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
