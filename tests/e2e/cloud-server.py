#!/usr/bin/env python3
"""A local imitation of the providers' cloud attachment downloads, over TLS.

    cloud-server.py --cert PEM --key PEM --files DIR --port-file FILE
                    --log FILE

subgate is pointed at it with [links] resolve (libcurl's CURLOPT_RESOLVE)
and ca_file, so the links keep their real host names and the certificate's
names are checked.  Files are DIR/KEY (the bytes); beside each, optional:
  KEY.name      the name the answers give (default KEY)
  KEY.size      the size the answers claim (default the real one)
  KEY.expired   present: the provider says expired (QQ ret -1, NetEase 400)
  KEY.query     appended to the file URL the answers give (cut=N, lie=1,
                plain200=1, slow=1)
Endpoints (the URL shapes of design 13, 3.6):
  GET  /cgi-bin/ftnExs_download?k=KEY    an HTML page: var url = "...";
  GET  /ftn/download?func=3&key=KEY&f=json   QQ's JSON answer
  POST /filehub/bg/dl/prepare {"linkKey": KEY}   NetEase's
  GET  /files/KEY[?cut=N|lie=1|plain200=1|slow=1]  the file: Range gives a
       206 with Content-Range; cut=N closes after N bytes of a reply
       without Range (the retry resumes); lie=1 sends the file chunked, with
       no length, then a megabyte of padding at a time without end (only
       the client's bound stops it); plain200=1 ignores Range; slow=1
       sends a byte a second.
  GET  /t/KEY, /direct/KEY               the file itself (a direct host)
Each request is a JSON line in the log: method, path, the Range header.
"""
import argparse
import http.server
import json
import os
import ssl
import sys
import threading
import time
import urllib.parse


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def note(self, extra=None):
        entry = {"method": self.command, "path": self.path,
                 "host": self.headers.get("Host"),
                 "range": self.headers.get("Range")}
        if extra:
            entry.update(extra)
        with LOCK:
            with open(ARGS.log, "a") as f:
                f.write(json.dumps(entry) + "\n")

    def side(self, key, ext):
        p = os.path.join(ARGS.files, key + ext)
        if not os.path.exists(p):
            return None
        with open(p, encoding="utf-8") as f:
            return f.read().strip()

    def key_ok(self, key):
        return key and "/" not in key and not key.startswith(".") and \
            os.path.isfile(os.path.join(ARGS.files, key))

    def send(self, code, body, ctype="application/json"):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def file_url(self, key):
        q = self.side(key, ".query")
        return "https://%s/files/%s%s" % (self.headers.get("Host"), key,
                                          "?" + q if q else "")

    def answer(self, key):
        path = os.path.join(ARGS.files, key)
        size = self.side(key, ".size")
        return {"name": self.side(key, ".name") or key,
                "size": int(size) if size else os.path.getsize(path),
                "url": self.file_url(key)}

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(u.query))
        self.note()
        if u.path == "/cgi-bin/ftnExs_download":
            key = q.get("k", "")
            if not self.key_ok(key) or self.side(key, ".expired") is not None:
                return self.send(200, "<html><body>文件已过期</body></html>",
                                 "text/html; charset=utf-8")
            return self.send(200, '<html><script>var url = "%s";</script>'
                             '</html>' % self.file_url(key),
                             "text/html; charset=utf-8")
        if u.path == "/ftn/download":
            key = q.get("key", "")
            if not self.key_ok(key) or self.side(key, ".expired") is not None:
                return self.send(200, json.dumps({"head": {"ret": -1}}))
            return self.send(200, json.dumps(
                {"head": {"ret": 0}, "body": self.answer(key)}))
        if u.path.startswith("/files/") or u.path.startswith("/t/") or \
                u.path.startswith("/direct/"):
            key = u.path.rsplit("/", 1)[1]
            if not self.key_ok(key):
                return self.send(404, "{}")
            return self.serve_file(key, q)
        self.send(404, "{}")

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(n, 65536))
        self.note({"body": body.decode("utf-8", "replace")})
        if urllib.parse.urlsplit(self.path).path not in (
                "/filehub/bg/dl/prepare", "/filehub-master/file/dl/prepare2"):
            return self.send(404, "{}")
        try:
            key = json.loads(body).get("linkKey", "")
        except ValueError:
            return self.send(400, "{}")
        if not self.key_ok(key):
            return self.send(200, json.dumps({"code": 404}))
        if self.side(key, ".expired") is not None:
            return self.send(200, json.dumps({"code": 400}))
        return self.send(200, json.dumps(
            {"code": 200, "data": {"downloadUrl": self.file_url(key)}}))

    def serve_file(self, key, q):
        with open(os.path.join(ARGS.files, key), "rb") as f:
            data = f.read()
        rng = self.headers.get("Range")
        if q.get("lie"):
            return self.serve_lie(data)
        start = 0
        if rng and not q.get("plain200") and rng.startswith("bytes="):
            start = int(rng[6:].split("-")[0])
        if start >= len(data) and start > 0:
            self.send_response(416)
            self.send_header("Content-Range", "bytes */%d" % len(data))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = data[start:]
        self.send_response(206 if start > 0 else 200)
        if start > 0:
            self.send_header("Content-Range", "bytes %d-%d/%d" %
                             (start, len(data) - 1, len(data)))
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if q.get("cut") and not rng:
            self.wfile.write(body[:int(q["cut"])])
            self.wfile.flush()
            self.close_connection = True
            return
        if q.get("slow"):
            for i in range(len(body)):
                self.wfile.write(body[i:i + 1])
                self.wfile.flush()
                time.sleep(1)
            return
        self.wfile.write(body)

    def serve_lie(self, data):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        sent = 0
        chunk = data
        try:
            while sent < 1 << 32:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
                chunk = b"\0" * (1 << 20)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            self.note({"lie_stopped_after": sent})
        self.close_connection = True


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


def main():
    global ARGS, LOCK
    ap = argparse.ArgumentParser()
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--files", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ARGS = ap.parse_args()
    LOCK = threading.Lock()
    srv = Server(("127.0.0.1", 0), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(ARGS.cert, ARGS.key)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    with open(ARGS.port_file + ".tmp", "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(ARGS.port_file + ".tmp", ARGS.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
