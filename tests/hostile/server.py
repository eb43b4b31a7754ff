"""A raw loopback HTTP/1.1 server that impersonates either service: it forwards to the sandbox unless a rule answers.

A rule's action writes whatever bytes it likes on the socket: a normal answer, a redirect, a body trickled byte by
byte, a chunked body without end, a gzip bomb, a connection reset half-way. ``requests`` in the product talks to it
exactly as it would to a real gateway, so every layer from the socket up is exercised.
"""

from __future__ import annotations

import gzip
import http.client
import json
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

_LINGER_RESET = struct.pack("ii", 1, 0)  # SO_LINGER on, 0 s: close() sends RST
REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 307: "Temporary Redirect", 308: "Permanent Redirect",
           401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests",
           500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


class Closed(Exception):
    """The client went away (or the action closed the connection)."""


@dataclass
class Req:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    server: HostileServer

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))

    def forward(self) -> tuple[int, list[tuple[str, str]], bytes]:
        """The sandbox's own answer to this request: (status, headers without framing ones, body)."""
        return self.server.forward(self)


class Wire:
    """The client connection an action writes to."""

    def __init__(self, sock: socket.socket, stop: threading.Event) -> None:
        self.sock = sock
        self.stop = stop
        self.keep_alive = True

    def send(self, data: bytes) -> None:
        if self.stop.is_set():
            raise Closed()
        try:
            self.sock.sendall(data)
        except OSError:
            raise Closed() from None

    def head(self, status: int, headers: list[tuple[str, str]]) -> None:
        lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}"] + [f"{k}: {v}" for k, v in headers]
        self.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def answer(self, status: int, body: bytes, headers: list[tuple[str, str]] | None = None,
               content_type: str | None = "application/json; charset=utf-8") -> None:
        hdrs = list(headers or [])
        if content_type and not any(k.lower() == "content-type" for k, _ in hdrs):
            hdrs.append(("Content-Type", content_type))
        hdrs.append(("Content-Length", str(len(body))))
        self.head(status, hdrs)
        self.send(body)

    def reset(self) -> None:
        self.keep_alive = False
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_RESET)
        except OSError:
            pass
        raise Closed()

    def wait(self, seconds: float) -> None:
        if self.stop.wait(seconds):
            raise Closed()


Action = Callable[[Req, Wire], None]


@dataclass
class Rule:
    match: Callable[[Req], bool]
    action: Action
    times: int | None = None  # None: every time
    hits: int = 0


@dataclass
class HostileServer:
    """Listens on 127.0.0.1; ``upstream`` is the sandbox base URL requests are forwarded to (path kept)."""

    upstream: str | None = None
    rules: list[Rule] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # exceptions raised by rules (a test bug, not a product one)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._conns: set[socket.socket] = set()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def on(self, match: str | Callable[[Req], bool], action: Action, times: int | None = None) -> HostileServer:
        """Answers requests whose path contains ``match`` (or for which ``match(req)`` is true) with ``action``."""
        test = (lambda r, m=match: m.lower() in r.path.lower()) if isinstance(match, str) else match
        with self._lock:
            self.rules.append(Rule(test, action, times))
        return self

    def close(self) -> None:
        self._stop.set()
        try:
            self._listener.close()
        except OSError:
            pass
        with self._lock:
            conns = list(self._conns)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            c.close()

    def __enter__(self) -> HostileServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- serving ------------------------------------------------------------------------------------------------
    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self._conns.add(sock)
            threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    def _serve(self, sock: socket.socket) -> None:
        buf = b""
        wire = Wire(sock, self._stop)
        try:
            while wire.keep_alive and not self._stop.is_set():
                while b"\r\n\r\n" not in buf:
                    chunk = sock.recv(65536)
                    if not chunk:
                        return
                    buf += chunk
                head, buf = buf.split(b"\r\n\r\n", 1)
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
                length = int(headers.get("content-length") or 0)
                while len(buf) < length:
                    chunk = sock.recv(65536)
                    if not chunk:
                        return
                    buf += chunk
                body, buf = buf[:length], buf[length:]
                req = Req(method, path, headers, body, self)
                with self._lock:
                    self.seen.append(path)
                self._rule_for(req)(req, wire)
        except (Closed, OSError):
            pass
        except Exception as exc:  # a broken rule: recorded for the test to see, never a thread crash
            with self._lock:
                self.errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            with self._lock:
                self._conns.discard(sock)
            try:
                sock.close()
            except OSError:
                pass

    def _rule_for(self, req: Req) -> Action:
        with self._lock:
            for rule in self.rules:
                if (rule.times is None or rule.hits < rule.times) and rule.match(req):
                    rule.hits += 1
                    return rule.action
        return forward

    def forward(self, req: Req) -> tuple[int, list[tuple[str, str]], bytes]:
        assert self.upstream, "no upstream to forward to"
        target = urlsplit(self.upstream)
        conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
        try:
            keep = {k: v for k, v in req.headers.items() if k not in ("host", "content-length", "connection")}
            conn.request(req.method, req.path, body=req.body, headers=keep)
            resp = conn.getresponse()
            body = resp.read()
            headers = [(k, v) for k, v in resp.getheaders()
                       if k.lower() not in ("content-length", "transfer-encoding", "connection")]
            return resp.status, headers, body
        finally:
            conn.close()


# -- actions --------------------------------------------------------------------------------------------------

def forward(req: Req, wire: Wire) -> None:
    """The sandbox's answer; without a sandbox behind, a plain 404."""
    if req.server.upstream is None:
        return wire.answer(404, b"no upstream", content_type="text/plain")
    status, headers, body = req.forward()
    wire.answer(status, body, headers, content_type=None)


def answer(status: int, body: Any, *, content_type: str | None = "application/json; charset=utf-8",
           headers: list[tuple[str, str]] | None = None) -> Action:
    """A fixed answer; ``body`` bytes, text, or an object sent as JSON."""
    data = body if isinstance(body, bytes) else (body.encode("utf-8") if isinstance(body, str)
                                                 else json.dumps(body, ensure_ascii=False).encode("utf-8"))
    return lambda req, wire: wire.answer(status, data, headers, content_type)


def rewrite(change: Callable[[Any], Any], *, content_type: str | None = None, status: int | None = None,
            raw: Callable[[bytes], bytes] | None = None) -> Action:
    """The sandbox's answer with its JSON changed by ``change`` (or its bytes by ``raw``)."""
    def act(req: Req, wire: Wire) -> None:
        st, headers, body = req.forward()
        if raw is not None:
            body = raw(body)
        else:
            body = json.dumps(change(json.loads(body)), ensure_ascii=False).encode("utf-8")
        if content_type is not None:
            headers = [(k, v) for k, v in headers if k.lower() != "content-type"] + [("Content-Type", content_type)]
        wire.answer(status or st, body, headers, content_type=None)
    return act


def redirect(status: int, location: str | Callable[[Req], str]) -> Action:
    def act(req: Req, wire: Wire) -> None:
        where = location(req) if callable(location) else location
        wire.answer(status, b"<html><body>moved</body></html>", [("Location", where)], "text/html")
    return act


def reset(req: Req, wire: Wire) -> None:
    wire.reset()


def reset_mid_body(req: Req, wire: Wire) -> None:
    body = json.dumps({"errorCode": 0, "data": {"dataList": [{"_id": "x" * 24, "name": "半截"}] * 50}}).encode()
    wire.head(200, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    wire.send(body[: len(body) // 3])
    wire.wait(0.05)
    wire.reset()


def trickle(interval: float, body: bytes = b'{"errorCode":0,"data":{"dataList":[]}}' + b" " * 4000) -> Action:
    def act(req: Req, wire: Wire) -> None:
        wire.head(200, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        for i in range(len(body)):
            wire.send(body[i:i + 1])
            wire.wait(interval)
    return act


def stall(req: Req, wire: Wire) -> None:
    wire.head(200, [("Content-Type", "application/json"), ("Content-Length", "100")])
    wire.wait(3600)


def endless_chunked(req: Req, wire: Wire) -> None:
    wire.head(200, [("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")])
    piece = b'{"errorCode":0,"pad":"' + b"x" * 65000
    frame = f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    while True:
        wire.send(frame)


_BOMB: list[bytes] = []


def gzip_bomb_bytes(size: int = 1 << 30) -> bytes:
    """``size`` zero bytes gzipped (about 1 MB for 1 GiB), built once from one fully flushed 1 MiB deflate block
    repeated (a full flush makes each copy independent of what came before)."""
    if not _BOMB:
        block = b"\0" * (1 << 20)
        z = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
        piece = z.compress(block) + z.flush(zlib.Z_FULL_FLUSH)
        end = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush(zlib.Z_FINISH)  # an empty final block
        crc = 0
        for _ in range(size // len(block)):
            crc = zlib.crc32(block, crc)
        header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
        _BOMB.append(header + piece * (size // len(block)) + end + struct.pack("<II", crc, size & 0xFFFFFFFF))
    return _BOMB[0]


def gzip_bomb(req: Req, wire: Wire) -> None:
    wire.answer(200, gzip_bomb_bytes(), [("Content-Encoding", "gzip")])


def gzipped(obj: Any) -> Action:
    data = gzip.compress(json.dumps(obj, ensure_ascii=False).encode("utf-8"))
    return lambda req, wire: wire.answer(200, data, [("Content-Encoding", "gzip")])


def deep_json(depth: int = 100_000) -> bytes:
    return b"[" * depth + b"]" * depth


def huge_json(mb: int = 20) -> bytes:
    return b'{"errorCode":0,"pad":"' + b"x" * (mb * 1024 * 1024) + b'"}'


def sequence(*actions: Action) -> Action:
    """The first action on the first hit, the second on the second ..., the last one from then on."""
    state = {"n": 0}
    lock = threading.Lock()

    def act(req: Req, wire: Wire) -> None:
        with lock:
            n = state["n"]
            state["n"] += 1
        actions[min(n, len(actions) - 1)](req, wire)
    return act


def timed(action: Action, log: list[float]) -> Action:
    """``action``, recording when each request arrived (``time.monotonic()``)."""
    def act(req: Req, wire: Wire) -> None:
        log.append(time.monotonic())
        action(req, wire)
    return act
