#!/usr/bin/env python3
"""A small SMTP submission server (port-587 style), for subgate's tests.

    submission-server.py --cert CRT --key KEY --user USER --password PW
                         --relay HOST:PORT --port-file FILE --log FILE
                         [--listen ADDR] [--no-starttls]

The local mail stack's OpenSMTPD offers neither STARTTLS nor AUTH, so
subgate's submission path (STARTTLS, then AUTH PLAIN or LOGIN) is tested
against this server.  It listens on a free port on ADDR (127.0.0.1),
writes that port to FILE (written aside and renamed), and speaks ESMTP:

- before TLS, EHLO offers STARTTLS and no AUTH, and AUTH is refused with
  530 (real submission servers take no password in clear);
- after STARTTLS (with the given certificate), EHLO offers AUTH PLAIN
  LOGIN; a wrong user or password gets 535;
- MAIL needs a successful AUTH; each accepted message (dot-unstuffed) is
  handed to RELAY with smtplib, so it lands in the recipient's mailbox.

With --no-starttls it offers no STARTTLS and instead offers AUTH in clear:
a client that gave up on TLS and went on would show up in the log.

Every event is one line in the log, "conn N: ...", in order: "connect",
"starttls done TLSv1.3" or "starttls failed: why", "auth PLAIN user=U
tls=yes ok" or "... failed", "message tls=yes auth=PLAIN:U
from=<a> to=<b>,<c> bytes=N relayed" (or "relay failed: why"), "close".
Runs until killed.
"""
import argparse
import base64
import binascii
import os
import smtplib
import socket
import ssl
import sys
import threading

# A client quiet for this long is dropped.
IDLE_SECONDS = 60
# RFC 5321 allows 512 octets for a command line; a little slack for
# long AUTH PLAIN initial responses.
COMMAND_LINE_MAX = 4096
# RFC 5321 says 1000 octets for a text line; real mail breaks that, so be
# lenient but bounded.
DATA_LINE_MAX = 65536
MESSAGE_MAX = 64 * 1024 * 1024
RECIPIENTS_MAX = 100
HOSTNAME = "localhost"


class LineTooLong(Exception):
    pass


class Log:
    def __init__(self, path):
        self.f = open(path, "a", encoding="utf-8")
        self.lock = threading.Lock()

    def write(self, conn_id, text):
        with self.lock:
            self.f.write("conn %d: %s\n" % (conn_id, text))
            self.f.flush()


class Session:
    def __init__(self, sock, conn_id, opts, ctx, log):
        self.sock = sock
        self.id = conn_id
        self.opts = opts
        self.ctx = ctx
        self.log = log
        self.buf = b""
        self.tls = False
        self.auth = None        # (mechanism, user) once authenticated
        self.reset()

    def reset(self):
        self.mail_from = None
        self.rcpts = []

    # --- I/O ---------------------------------------------------------
    def send(self, text):
        self.sock.sendall(text.encode("utf-8") + b"\r\n")

    def readline(self, limit):
        """One line without its CRLF, or None at EOF."""
        while True:
            i = self.buf.find(b"\n")
            if i >= 0:
                if i > limit:
                    raise LineTooLong()
                line, self.buf = self.buf[:i], self.buf[i + 1:]
                return line[:-1] if line.endswith(b"\r") else line
            if len(self.buf) > limit:
                raise LineTooLong()
            data = self.sock.recv(65536)
            if not data:
                return None
            self.buf += data

    # --- commands ----------------------------------------------------
    def cmd_ehlo(self, arg, extended):
        self.reset()
        if not extended:
            self.send("250 %s" % HOSTNAME)
            return
        lines = [HOSTNAME, "SIZE %d" % MESSAGE_MAX, "8BITMIME"]
        if not self.tls and not self.opts.no_starttls:
            lines.append("STARTTLS")
        if self.auth_allowed():
            lines.append("AUTH PLAIN LOGIN")
        lines.append("HELP")
        for i, line in enumerate(lines):
            sep = " " if i == len(lines) - 1 else "-"
            self.send("250%s%s" % (sep, line))

    def auth_allowed(self):
        return self.tls or self.opts.no_starttls

    def cmd_starttls(self, arg):
        if self.opts.no_starttls:
            self.send("502 5.5.1 STARTTLS not offered")
            return True
        if self.tls:
            self.send("503 5.5.1 TLS already active")
            return True
        if arg:
            self.send("501 5.5.4 STARTTLS takes no argument")
            return True
        # Commands pipelined behind STARTTLS would be read as if they
        # came over TLS (CVE-2011-0411 and kin): drop them.
        if self.buf:
            self.log.write(self.id, "dropped %d bytes pipelined after "
                           "STARTTLS" % len(self.buf))
            self.buf = b""
        self.send("220 2.0.0 Ready to start TLS")
        try:
            self.sock = self.ctx.wrap_socket(self.sock, server_side=True)
        except (ssl.SSLError, OSError) as e:
            self.log.write(self.id, "starttls failed: %s" % e)
            return False
        self.tls = True
        self.auth = None
        self.reset()
        self.log.write(self.id, "starttls done %s" % self.sock.version())
        return True

    def read_sasl(self, prompt):
        """A base64 answer to a 334 prompt; None after '*' or bad base64
        (already answered), or at EOF (raises EOFError)."""
        self.send("334 " + prompt)
        line = self.readline(COMMAND_LINE_MAX)
        if line is None:
            raise EOFError()
        if line == b"*":
            self.send("501 5.7.0 Authentication cancelled")
            return None
        return self.b64(line)

    def b64(self, data):
        try:
            return base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            self.send("501 5.5.2 Cannot decode base64")
            return None

    def cmd_auth(self, arg):
        if not self.auth_allowed():
            self.log.write(self.id, "auth refused: not over TLS")
            self.send("530 5.7.0 Must issue a STARTTLS command first")
            return
        if self.auth is not None:
            self.send("503 5.5.1 Already authenticated")
            return
        if self.mail_from is not None:
            self.send("503 5.5.1 AUTH not allowed during a transaction")
            return
        parts = arg.split(None, 1)
        if not parts:
            self.send("501 5.5.4 AUTH needs a mechanism")
            return
        mech = parts[0].upper()
        initial = parts[1].strip() if len(parts) > 1 else None
        if mech == "PLAIN":
            if initial is None:
                blob = self.read_sasl("")
            elif initial == "=":
                blob = b""
            else:
                blob = self.b64(initial.encode("ascii", "replace"))
            if blob is None:
                return
            fields = blob.split(b"\0")
            if len(fields) != 3:
                self.send("501 5.5.2 Malformed AUTH PLAIN")
                return
            user, password = fields[1], fields[2]
        elif mech == "LOGIN":
            if initial is not None:
                user = self.b64(initial.encode("ascii", "replace"))
            else:
                user = self.read_sasl(base64.b64encode(b"Username:")
                                      .decode())
            if user is None:
                return
            password = self.read_sasl(base64.b64encode(b"Password:")
                                      .decode())
            if password is None:
                return
        else:
            self.send("504 5.5.4 Unrecognized authentication type")
            return
        user_text = user.decode("utf-8", "replace")
        tls = "yes" if self.tls else "no"
        if (user == self.opts.user.encode("utf-8") and
                password == self.opts.password.encode("utf-8")):
            self.auth = (mech, user_text)
            self.log.write(self.id, "auth %s user=%s tls=%s ok" % (
                mech, user_text, tls))
            self.send("235 2.7.0 Authentication successful")
        else:
            self.log.write(self.id, "auth %s user=%s tls=%s failed" % (
                mech, user_text, tls))
            self.send("535 5.7.8 Authentication credentials invalid")

    @staticmethod
    def path_of(arg, keyword):
        """The <address> after KEYWORD: in a MAIL or RCPT argument."""
        if not arg.upper().startswith(keyword):
            return None
        rest = arg[len(keyword):].strip()
        if not rest.startswith("<") or ">" not in rest:
            return None
        return rest[1:rest.index(">")]

    def cmd_mail(self, arg):
        if self.auth is None:
            self.send("530 5.7.0 Authentication required")
            return
        if self.mail_from is not None:
            self.send("503 5.5.1 Sender already specified")
            return
        addr = self.path_of(arg, "FROM:")
        if addr is None:
            self.send("501 5.5.4 Syntax: MAIL FROM:<address>")
            return
        if self.opts.quota_exceeded:
            # What Gmail answers on the deadline day: about us, not them.
            self.log.write(self.id, "mail refused: sending quota")
            self.send("550 5.4.5 Daily user sending quota exceeded")
            return
        self.mail_from = addr
        self.send("250 2.1.0 Ok")

    def cmd_rcpt(self, arg):
        if self.mail_from is None:
            self.send("503 5.5.1 Need MAIL first")
            return
        addr = self.path_of(arg, "TO:")
        if not addr:
            self.send("501 5.5.4 Syntax: RCPT TO:<address>")
            return
        if addr in self.opts.unknown_rcpt:
            self.log.write(self.id, "rcpt refused: %s" % addr)
            self.send("550 5.1.1 User unknown")
            return
        if len(self.rcpts) >= RECIPIENTS_MAX:
            self.send("452 4.5.3 Too many recipients")
            return
        self.rcpts.append(addr)
        self.send("250 2.1.5 Ok")

    def cmd_data(self, arg):
        if not self.rcpts:
            self.send("503 5.5.1 Need RCPT first")
            return
        self.send("354 End data with <CR><LF>.<CR><LF>")
        lines = []
        size = 0
        too_big = False
        while True:
            line = self.readline(DATA_LINE_MAX)
            if line is None:
                raise EOFError()
            if line == b".":
                break
            if line.startswith(b"."):
                line = line[1:]
            size += len(line) + 2
            if size > MESSAGE_MAX:
                too_big = True
            if not too_big:
                lines.append(line)
        envelope = "from=<%s> to=%s" % (
            self.mail_from, ",".join("<%s>" % r for r in self.rcpts))
        what = "message tls=%s auth=%s:%s %s" % (
            "yes" if self.tls else "no", self.auth[0], self.auth[1],
            envelope)
        if too_big:
            self.log.write(self.id, what + " refused: too big")
            self.send("552 5.3.4 Message too big")
            self.reset()
            return
        data = b"\r\n".join(lines) + b"\r\n"
        try:
            host, _, port = self.opts.relay.rpartition(":")
            with smtplib.SMTP(host, int(port), timeout=30) as relay:
                relay.sendmail(self.mail_from, self.rcpts, data)
        except (smtplib.SMTPException, OSError) as e:
            self.log.write(self.id, "%s bytes=%d relay failed: %s" % (
                what, len(data), e))
            self.send("451 4.3.0 Relay failed")
            self.reset()
            return
        self.log.write(self.id, "%s bytes=%d relayed" % (what, len(data)))
        self.send("250 2.0.0 Ok: queued")
        self.reset()

    # --- loop --------------------------------------------------------
    def run(self):
        self.send("220 %s ESMTP subgate test submission server" % HOSTNAME)
        while True:
            try:
                raw = self.readline(COMMAND_LINE_MAX)
            except LineTooLong:
                self.send("500 5.5.2 Line too long")
                return
            if raw is None:
                return
            line = raw.decode("utf-8", "replace")
            verb, _, arg = line.partition(" ")
            verb = verb.upper()
            arg = arg.strip()
            if verb == "EHLO":
                self.cmd_ehlo(arg, True)
            elif verb == "HELO":
                self.cmd_ehlo(arg, False)
            elif verb == "STARTTLS":
                if not self.cmd_starttls(arg):
                    return
            elif verb == "AUTH":
                self.cmd_auth(arg)
            elif verb == "MAIL":
                self.cmd_mail(arg)
            elif verb == "RCPT":
                self.cmd_rcpt(arg)
            elif verb == "DATA":
                try:
                    self.cmd_data(arg)
                except LineTooLong:
                    self.send("500 5.5.2 Line too long")
                    return
            elif verb == "RSET":
                self.reset()
                self.send("250 2.0.0 Ok")
            elif verb == "NOOP":
                self.send("250 2.0.0 Ok")
            elif verb == "QUIT":
                self.send("221 2.0.0 Bye")
                return
            else:
                self.send("502 5.5.2 Command not recognized")


def serve(conn, peer, conn_id, opts, ctx, log):
    log.write(conn_id, "connect from %s:%d" % peer)
    session = Session(conn, conn_id, opts, ctx, log)
    try:
        conn.settimeout(IDLE_SECONDS)
        session.run()
    except EOFError:
        pass
    except (ssl.SSLError, OSError) as e:
        log.write(conn_id, "error: %s" % e)
    finally:
        try:
            session.sock.close()
        except OSError:
            pass
        log.write(conn_id, "close")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--relay", required=True, help="HOST:PORT, plain SMTP")
    p.add_argument("--listen", default="127.0.0.1")
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--no-starttls", action="store_true")
    p.add_argument("--quota-exceeded", action="store_true",
                   help="answer every MAIL FROM with 550 5.4.5")
    p.add_argument("--unknown-rcpt", action="append", default=[],
                   help="answer RCPT TO this address with 550 5.1.1")
    opts = p.parse_args()

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(opts.cert, opts.key)
    log = Log(opts.log)

    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind((opts.listen, 0))
    lsock.listen(16)
    tmp = opts.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % lsock.getsockname()[1])
    os.rename(tmp, opts.port_file)

    conn_id = 0
    while True:
        conn, peer = lsock.accept()
        conn_id += 1
        threading.Thread(target=serve,
                         args=(conn, peer, conn_id, opts, ctx, log),
                         daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
