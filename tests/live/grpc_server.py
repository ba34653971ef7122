#!/usr/bin/python3
"""The fixture service of tests/live/grpc/suite/greeter.proto on 127.0.0.1 (h2c), for the live
replay tests.  Generic handlers with raw bytes: no generated code.

usage: grpc_server.py PORT_FILE MODE_FILE [CERT KEY]
With CERT and KEY (PEM files) it serves TLS (HTTP/2 over TLS, ALPN h2) instead of h2c.
Binds a free port on the loopback interface and writes it to PORT_FILE.  Each call reads MODE_FILE:
  ok             Hello answers a HelloReply, Count streams `upto` CountReply messages
  unimplemented  every method fails with UNIMPLEMENTED after reading the request
  unregistered   no method is served (grpc's own UNIMPLEMENTED, sent before the request is read)
  error-status   Hello fails with INVALID_ARGUMENT "no such name"
  garbage        Hello answers bytes that are no HelloReply; Count streams one good, then garbage
  slow           every call waits 3 s first
  metadata       as ok, but a call without the metadata x-tenant: blue fails with UNAUTHENTICATED
  stub           Hello answers an empty HelloReply at once (for measuring)
  gzip           as ok, every answer compressed with gzip, Hello's padded to 200 KB of text
  gzip-bomb      Hello answers a message that inflates to 65 MB, compressed with gzip
"""
import os
import sys
import time
from concurrent import futures

import grpc

PORT_FILE, MODE_FILE = sys.argv[1], sys.argv[2]


def mode():
    try:
        with open(MODE_FILE) as f:
            return f.read().strip()
    except OSError:
        return "ok"


def varint(n):
    out = bytearray()
    n &= (1 << 64) - 1
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field_varint(num, v):
    return varint(num << 3) + varint(v)


def field_bytes(num, b):
    return varint(num << 3 | 2) + varint(len(b)) + b


def read_fields(data):
    """{number: value} of a message with varint and length-delimited fields only."""
    out, i = {}, 0
    while i < len(data):
        key, i = read_varint(data, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            out[num], i = read_varint(data, i)
        elif wt == 2:
            n, i = read_varint(data, i)
            out[num], i = data[i:i + n], i + n
        else:
            raise ValueError("wire type %d" % wt)
    return out


def read_varint(data, i):
    shift = n = 0
    while True:
        b = data[i]
        i += 1
        n |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return n, i


def tenant(context):
    return dict(context.invocation_metadata()).get("x-tenant") == "blue"


def hello(request, context):
    m = mode()
    if m == "metadata" and not tenant(context):
        context.abort(grpc.StatusCode.UNAUTHENTICATED, "no tenant")
    if m == "unimplemented":
        context.abort(grpc.StatusCode.UNIMPLEMENTED, "not here")
    if m == "slow":
        time.sleep(3)
    if m == "stub":
        return b""
    if m == "error-status":
        context.abort(grpc.StatusCode.INVALID_ARGUMENT, "no such name")
    if m == "garbage":
        return b"\x0a\x05ab"  # field 1 announces 5 bytes, 2 follow
    f = read_fields(request)
    name = f.get(1, b"").decode()
    if m in ("gzip", "gzip-bomb"):
        context.set_compression(grpc.Compression.Gzip)
    if m == "gzip-bomb":
        return field_bytes(1, b"a" * (65 << 20))
    if m == "gzip":
        name += " " * (200 << 10)
    return field_bytes(1, ("hello " + name).encode()) + field_varint(2, len(name))


def count(request, context):
    m = mode()
    if m == "metadata" and not tenant(context):
        context.abort(grpc.StatusCode.UNAUTHENTICATED, "no tenant")
    if m == "unimplemented":
        context.abort(grpc.StatusCode.UNIMPLEMENTED, "not here")
    if m == "slow":
        time.sleep(3)
    # as a real service bounds what a caller may ask for: at most 100 messages (a generated edge
    # case asks for 2^31 - 1); a negative int32 arrives as a 64-bit varint
    upto = read_fields(request).get(1, 0)
    upto = 0 if upto >= 1 << 63 else min(upto, 100)
    if m == "gzip":
        context.set_compression(grpc.Compression.Gzip)
    for n in range(1, upto + 1):
        if m == "garbage" and n == 2:
            yield b"\xff\xff\xff"
            return
        yield field_varint(1, n) + field_bytes(2, b"n%d" % n)


handlers = grpc.method_handlers_generic_handler("fixture.v1.Greeter", {
    "Hello": grpc.unary_unary_rpc_method_handler(hello),
    "Count": grpc.unary_stream_rpc_method_handler(count),
})


class Switch(grpc.GenericRpcHandler):
    """The fixture's handlers, or none at all (mode unimplemented)."""

    def service(self, details):
        return None if mode() == "unregistered" else handlers.service(details)


server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
server.add_generic_rpc_handlers((Switch(),))
if len(sys.argv) > 4:
    with open(sys.argv[3], "rb") as c, open(sys.argv[4], "rb") as k:
        creds = grpc.ssl_server_credentials([(k.read(), c.read())])
    port = server.add_secure_port("127.0.0.1:0", creds)
else:
    port = server.add_insecure_port("127.0.0.1:0")
server.start()
with open(PORT_FILE + ".tmp", "w") as f:
    f.write(str(port))
os.rename(PORT_FILE + ".tmp", PORT_FILE)
server.wait_for_termination()
