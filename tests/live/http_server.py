#!/usr/bin/python3
"""The fixture API of tests/live/api.yaml on 127.0.0.1, for the live replay tests.

usage: http_server.py PORT_FILE MODE_FILE [CERT KEY]
With CERT and KEY (PEM files) it serves HTTPS instead of HTTP.
Binds a free port on the loopback interface and writes it to PORT_FILE.  Before each request it
reads MODE_FILE, which says how to answer:
  ok                the contract's answers (and 400/401 when a request is not what the contract says)
  wrong-status      GET /items/x answers 500
  missing-property  GET /items/{id} answers an item without "name"
  type-mismatch     GET /items answers an item whose id is a string
  missing-header    GET /items answers without X-Request-Id
  invalid-json      POST /items answers a body that is not JSON
  wrong-media       GET /items/{id} answers text/html
  redirect          GET /items/{id} answers 302 to another host
  oversized         GET /items answers 2 MB of valid JSON
  slow              every answer waits 3 s
  reset             every connection is reset without an answer
  garbage           every answer is bytes that are not HTTP
  stub              every request answers 200 {} (for measuring)
"""
import json
import os
import socket
import struct
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT_FILE, MODE_FILE = sys.argv[1], sys.argv[2]


def mode():
    try:
        with open(MODE_FILE) as f:
            return f.read().strip()
    except OSError:
        return "ok"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = -1  # the status line, headers and body in one write (flushed after each request)

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args):
        pass

    def send(self, status, body=None, ctype="application/json", headers=()):
        data = b"" if body is None else body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def misbehave(self, m):
        if m == "slow":
            time.sleep(3)
            return False
        if m == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return True
        if m == "garbage":
            self.wfile.write(b"\x00\x01garbage, not HTTP\r\n\r\n")
            self.wfile.flush()
            self.close_connection = True
            return True
        return False

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def route(self, method):
        m = mode()
        raw = self.body()
        if self.misbehave(m):
            return
        if m == "stub":
            return self.send(200, {})
        url = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if method == "GET" and url.path == "/items":
            if self.headers.get("X-Api-Key") != "k3y":
                return self.send(401, {"error": "no key"})
            if "limit" in q and not all(v.isdigit() for v in q["limit"]):
                return self.send(400, {"error": "limit"})
            if any(t not in ("red", "blue") for t in q.get("tags", [])):
                return self.send(400, {"error": "tags"})
            item = {"id": 1, "name": "a"}
            if m == "type-mismatch":
                item["id"] = "1"
            body = {"items": [item]}
            if m == "oversized":
                body = {"items": [item], "padding": "x" * (2 << 20)}
            return self.send(200, body, headers=[] if m == "missing-header" else [("X-Request-Id", "r1")])
        if method == "POST" and url.path == "/items":
            if self.headers.get("Authorization") != "Bearer t0ken":
                return self.send(401, {"error": "no token"})
            try:
                new = json.loads(raw)
            except ValueError:
                return self.send(400, {"error": "not json"})
            if self.headers.get("Content-Type") != "application/json" or not isinstance(new.get("name"), str):
                return self.send(400, {"error": "bad item"})
            if m == "invalid-json":
                return self.send(201, b'{"id": 1, "name": ', ctype="application/json")
            return self.send(201, {"id": 7, "name": new["name"]})
        if method == "GET" and url.path.startswith("/items/"):
            # the raw path: "a b/c" must come percent-encoded, as one segment
            ident = urllib.parse.unquote(url.path[len("/items/"):])
            if ident not in ("a b/c", "x") or "/" in url.path[len("/items/"):]:
                return self.send(400, {"error": "bad id %r" % url.path})
            if m == "wrong-status" and ident == "x":
                return self.send(500, {"error": "boom"})
            if m == "wrong-media":
                return self.send(200, b"<html></html>", ctype="text/html")
            if m == "redirect":
                return self.send(302, None, headers=[("Location", "http://other.invalid/items/x")])
            item = {"id": 2, "name": ident}
            if m == "missing-property":
                del item["name"]
            return self.send(200, item)
        return self.send(404, None)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass


srv = Server(("127.0.0.1", 0), Handler)
if len(sys.argv) > 4:
    import ssl
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[3], sys.argv[4])
    # the handshake in the handler's thread, not in the accept loop: a client that rejects the
    # certificate must not hold up the next connection
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True, do_handshake_on_connect=False)
with open(PORT_FILE + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(PORT_FILE + ".tmp", PORT_FILE)
srv.serve_forever()
