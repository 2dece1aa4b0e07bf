#!/usr/bin/env python3
"""A plain SMTP relay that is slow to confirm a message, for subgate's tests.

    slow-relay.py --target HOST:PORT --delay SECONDS --port-file FILE

Listens on a free port of 127.0.0.1 (written to FILE, aside and renamed),
and passes each connection's bytes both ways to TARGET, except that the
server's answer to the end of a message's data (the final "250 OK" after
"<CRLF>.<CRLF>") is held back for SECONDS.  A client killed in that
window has handed the message over without learning so: the window in
which a crash sends a reply twice.  Counts the messages it confirmed on
stderr ("confirmed N").  Runs until killed.
"""
import argparse
import os
import socket
import sys
import threading
import time

BUF = 65536
END = b"\r\n.\r\n"


class Conn:
    def __init__(self):
        self.lock = threading.Lock()
        self.data_ended = False


def client_to_server(client, server, state):
    tail = b""
    try:
        while True:
            data = client.recv(BUF)
            if not data:
                break
            if END in tail + data:
                # Set before the bytes reach the server, so the answer
                # to them cannot overtake the flag.
                with state.lock:
                    state.data_ended = True
            tail = (tail + data)[-4:]
            server.sendall(data)
    except OSError:
        pass
    for s in (server, client):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def server_to_client(server, client, state, delay, counter):
    try:
        while True:
            data = server.recv(BUF)
            if not data:
                break
            with state.lock:
                held = state.data_ended
                state.data_ended = False
            if held:
                time.sleep(delay)
                if data.startswith(b"250"):
                    counter[0] += 1
                    sys.stderr.write("confirmed %d\n" % counter[0])
                    sys.stderr.flush()
            client.sendall(data)
    except OSError:
        pass
    for s in (client, server):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def serve(conn, target, delay, counter):
    try:
        server = socket.create_connection(target, timeout=30)
        server.settimeout(None)
    except OSError:
        conn.close()
        return
    state = Conn()
    threads = [
        threading.Thread(target=client_to_server, args=(conn, server, state),
                         daemon=True),
        threading.Thread(target=server_to_client,
                         args=(server, conn, state, delay, counter),
                         daemon=True),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    conn.close()
    server.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", required=True)
    ap.add_argument("--delay", type=float, default=0.5)
    ap.add_argument("--port-file", required=True)
    a = ap.parse_args()
    host, port = a.target.rsplit(":", 1)
    target = (host, int(port))
    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(64)
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % lsock.getsockname()[1])
    os.rename(tmp, a.port_file)
    counter = [0]
    while True:
        conn, _ = lsock.accept()
        threading.Thread(target=serve, args=(conn, target, a.delay, counter),
                         daemon=True).start()


if __name__ == "__main__":
    main()
