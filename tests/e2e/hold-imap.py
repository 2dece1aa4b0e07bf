#!/usr/bin/env python3
"""A proxy in front of a real IMAP server that holds one command back, so
that a test can tell what subgate does while intake waits for a message.

    hold-imap.py --port-file FILE --upstream HOST:PORT --hold REGEX
                 --release-file FILE [--log FILE] [--lifetime SECONDS]

It listens on a free port of 127.0.0.1, writes that port to FILE (written
aside and renamed, so a reader never sees half of it), and passes each
connection's bytes through to the upstream server and back.  A line from
the client in which REGEX (a Python regular expression) is found is held:
neither it nor anything after it reaches the server until the release
file exists.  It stops after --lifetime seconds (300), so a test that dies
without killing it leaves nothing behind for long.

The log (--log) gets one line per event a test looks for: "held '<line>'"
(Python repr), then "released" or "client gone" (the client closed the
connection, or its process died, while the line was held).  Python 3
standard library only.
"""
import argparse
import os
import re
import select
import socket
import sys
import threading
import time


class Proxy:
    def __init__(self, args):
        self.args = args
        self.hold = re.compile(args.hold.encode())
        host, port = args.upstream.rsplit(":", 1)
        self.upstream = (host, int(port))
        self.log_lock = threading.Lock()

    def log(self, text):
        if not self.args.log:
            return
        with self.log_lock, open(self.args.log, "a") as f:
            f.write(text + "\n")

    def released(self):
        return os.path.exists(self.args.release_file)

    def server_to_client(self, server, client):
        try:
            while True:
                data = server.recv(65536)
                if not data:
                    break
                client.sendall(data)
        except OSError:
            pass
        finally:
            for s in (client, server):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def wait_release(self, client, pending):
        """Until the release file exists: True.  The client gone: False.
        What the client sends meanwhile is kept in pending."""
        while not self.released():
            ready, _, _ = select.select([client], [], [], 0.1)
            if not ready:
                continue
            data = client.recv(65536)
            if not data:
                return False
            pending.extend(data)
        return True

    def client_to_server(self, client, server):
        pending = bytearray()
        try:
            while True:
                data = client.recv(65536)
                if not data:
                    break
                pending.extend(data)
                while b"\n" in pending:
                    end = pending.index(b"\n") + 1
                    line = bytes(pending[:end])
                    del pending[:end]
                    if self.hold.search(line) and not self.released():
                        self.log("held %r" % line.decode("utf-8",
                                                         "replace"))
                        if not self.wait_release(client, pending):
                            self.log("client gone")
                            return
                        self.log("released")
                    server.sendall(line)
            if pending:
                server.sendall(bytes(pending))
        except OSError:
            pass
        finally:
            for s in (client, server):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def session(self, client):
        try:
            server = socket.create_connection(self.upstream, timeout=10)
            server.settimeout(None)
        except OSError as e:
            sys.stderr.write("hold-imap.py: upstream: %s\n" % e)
            client.close()
            return
        back = threading.Thread(target=self.server_to_client,
                                args=(server, client), daemon=True)
        back.start()
        self.client_to_server(client, server)
        back.join()
        client.close()
        server.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port-file", required=True)
    p.add_argument("--upstream", required=True)
    p.add_argument("--hold", required=True)
    p.add_argument("--release-file", required=True)
    p.add_argument("--log")
    p.add_argument("--lifetime", type=float, default=300)
    args = p.parse_args()
    proxy = Proxy(args)

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % listener.getsockname()[1])
    os.rename(tmp, args.port_file)

    def accept():
        while True:
            conn, _ = listener.accept()
            threading.Thread(target=proxy.session, args=(conn,),
                             daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    time.sleep(args.lifetime)


if __name__ == "__main__":
    main()
