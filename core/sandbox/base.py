"""HTTP plumbing both simulators share: request/response values, the app protocol, fault knobs, a loopback server.

A simulator is an ``App``: it turns one ``Request`` into one ``Response``. ``SandboxServer`` serves it over real
HTTP (or HTTPS) on 127.0.0.1, applies the ``Faults`` knobs around it, and adds the admin endpoints:

    GET  /__sandbox__/health            {"ok": true, "app": name, "requests_served": n}
    POST /__sandbox__/faults            JSON of Faults fields to set; answers the current knobs
    POST /__sandbox__/admin/<action>    JSON payload -> app.admin(action, payload)

Fault knobs never apply to /__sandbox__/ paths. The sandbox never imports core.http, core.fxiaoke or core.k3cloud:
it is an independent reading of both protocols, so a misreading in the client cannot hide here too.
"""

from __future__ import annotations

import json
import logging
import random
import socket
import ssl
import struct
import sys
import threading
import time
from dataclasses import asdict, dataclass, field, fields
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

log = logging.getLogger("fxk3sync.sandbox")

JSON_TYPE = "application/json; charset=utf-8"
ADMIN_PREFIX = "/__sandbox__/"


@dataclass
class Request:
    """One HTTP request as an app sees it."""

    method: str
    path: str  # without the query string, e.g. "/cgi/crm/v2/data/query"
    query: dict[str, str]
    headers: dict[str, str]  # names lower-cased
    body: bytes
    cookies: dict[str, str]
    client: str = "127.0.0.1"

    def json(self) -> Any:
        """The body parsed as JSON; raises ``ValueError`` when it is not valid UTF-8 JSON."""
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Response:
    """One HTTP response."""

    status: int = 200
    body: bytes = b""
    content_type: str = JSON_TYPE
    headers: list[tuple[str, str]] = field(default_factory=list)  # e.g. ("Set-Cookie", "...")

    @classmethod
    def json(cls, obj: Any, status: int = 200, headers: list[tuple[str, str]] | None = None) -> Response:
        body = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return cls(status, body, JSON_TYPE, list(headers or []))

    @classmethod
    def text(cls, text: str, status: int = 200, content_type: str = "text/plain; charset=utf-8") -> Response:
        return cls(status, text.encode("utf-8"), content_type)


class App(Protocol):
    """What a simulator provides to ``SandboxServer``."""

    name: str  # "fxiaoke" | "k3cloud"

    def handle(self, req: Request) -> Response:
        """Answer one request; thread-safe (the app locks its own state)."""

    def is_write(self, req: Request) -> bool:
        """Whether the request changes state (target of the ``ambiguous_writes`` fault)."""

    def admin(self, action: str, payload: dict) -> dict:
        """An app-specific admin action; raises ``KeyError`` when the action is unknown."""

    def snapshot(self) -> dict:
        """All state as JSON-able data (``--state FILE``)."""

    def restore(self, state: dict) -> None:
        """Replace all state with a ``snapshot()``."""


@dataclass
class Faults:
    """Generic fault knobs, applied by the server around ``app.handle``; the rates draw from a seeded RNG."""

    latency_ms: float = 0
    error_500_rate: float = 0
    reset_rate: float = 0  # connection reset before the app sees the request
    html_error_rate: float = 0  # a gateway's HTML error page (502)
    response_error_rate: float = 0  # HTTP 200 text body "response_error: ..." (K3Cloud style)
    ambiguous_writes: int = 0  # next N writes (app.is_write): commit via app.handle, then drop with no answer
    seed: int = 0


def parse_cookies(header: str) -> dict[str, str]:
    """A ``Cookie`` header as a dict; lenient like IIS (``Theme=standard;kdservice-sessionid=...``)."""
    out: dict[str, str] = {}
    for part in header.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name:
            out[name] = value
    return out


_HTML_502 = (
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    "<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
)
_LINGER_RESET = struct.pack("ii", 1, 0)  # SO_LINGER on, 0 s: close() sends RST


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as requests.Session expects
    server: _Server
    timeout = 60  # idle keep-alive connections are closed after this
    wbufsize = 64 * 1024  # headers and body leave in one segment (no Nagle / delayed-ACK stall per request)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.debug("%s %s", self.server.app.name, format % args)

    def _dispatch(self) -> None:
        parts = urlsplit(self.path)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True
            return self._send(Response.text("Bad Request: Content-Length", 400))
        headers = {k.lower(): v for k, v in self.headers.items()}
        req = Request(
            method=self.command,
            path=parts.path,
            query={k: v[-1] for k, v in parse_qs(parts.query).items()},
            headers=headers,
            body=self.rfile.read(length) if length else b"",
            cookies=parse_cookies(headers.get("cookie", "")),
            client=self.client_address[0],
        )
        owner = self.server.owner
        if req.path.startswith(ADMIN_PREFIX):
            return self._send(owner._admin(req))
        owner._enter()
        try:
            self._serve(owner, req)
        finally:
            owner._leave()

    def _serve(self, owner: SandboxServer, req: Request) -> None:
        fault = owner._count_and_draw_fault(req)
        if fault == "reset":
            return self._reset()
        if fault == "error_500":
            return self._send(Response.text("Internal Server Error", 500))
        if fault == "html_error":
            return self._send(Response.text(_HTML_502, 502, "text/html; charset=utf-8"))
        if fault == "response_error":
            return self._send(Response.text("response_error: 服务器内部错误 (sandbox fault)"))
        resp = owner._call_app(req)
        if fault == "ambiguous":
            return self._reset()
        self._send(resp)

    do_GET = do_POST = do_PUT = do_DELETE = _dispatch

    def _send(self, resp: Response) -> None:
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        self.send_header("Content-Length", str(len(resp.body)))
        for name, value in resp.headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(resp.body)

    def _reset(self) -> None:
        """Drop the connection with no answer; the client sees a reset."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_RESET)
        except OSError:
            pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = sys.platform != "win32"  # on Windows SO_REUSEADDR would let two servers share a port
    request_queue_size = 128

    def __init__(self, addr: tuple[str, int], owner: SandboxServer, ssl_context: ssl.SSLContext | None) -> None:
        self.owner = owner
        self.app = owner.app
        self.ssl_context = ssl_context
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(addr, _Handler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        # Runs in the connection's own thread, so a slow or failed TLS handshake never blocks the accept loop.
        conn = request
        if self.ssl_context is not None:
            try:
                conn = self.ssl_context.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return  # the client did not trust our certificate
        with self._open_lock:
            self._open.add(conn)
        try:
            _Handler(conn, client_address, self)
        except (ConnectionError, ssl.SSLError, TimeoutError):
            pass  # the client went away mid-request
        finally:
            with self._open_lock:
                self._open.discard(conn)
            if conn is not request:
                conn.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.exception("sandbox %s: error serving %s", self.app.name, client_address)

    def close_connections(self) -> None:
        with self._open_lock:
            conns, self._open = list(self._open), set()
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class SandboxServer:
    """Serves one ``App`` on loopback in a background thread.

    Args:
        app: the simulator.
        host: the address to bind (loopback only).
        port: 0 picks a free port.
        tls: ``(certfile, keyfile)`` to serve HTTPS; None serves plain HTTP.
    """

    def __init__(self, app: App, host: str = "127.0.0.1", port: int = 0, *, tls: tuple[str, str] | None = None) -> None:
        self.app = app
        self.faults = Faults()
        self.requests_served = 0
        #: Requests being answered now, and the most answered at once since the last ``reset_peak`` (a client's
        #: concurrency, observed from the server's side).
        self.in_flight = 0
        self.peak_in_flight = 0
        self._lock = threading.Lock()
        self._rng = random.Random(0)
        ctx = None
        if tls is not None:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*tls)
        self._server = _Server((host, port), self, ctx)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        """The base URL, ``http://127.0.0.1:PORT/`` (``https`` with TLS)."""
        scheme = "https" if self._server.ssl_context else "http"
        host = self._server.server_address[0]
        return f"{scheme}://{host.decode() if isinstance(host, bytes) else host}:{self.port}/"

    def start(self) -> SandboxServer:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
            name=f"sandbox-{self.app.name}", daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.close_connections()
        self._server.server_close()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def set_faults(self, **knobs: Any) -> dict[str, Any]:
        """Set some ``Faults`` knobs (``seed`` restarts the fault RNG); returns all knobs."""
        unknown = sorted(set(knobs) - {f.name for f in fields(Faults)})
        if unknown:
            raise TypeError(f"unknown fault knobs {unknown}")
        with self._lock:
            for k, v in knobs.items():
                setattr(self.faults, k, v)
            if "seed" in knobs:
                self._rng = random.Random(self.faults.seed)
            return asdict(self.faults)

    def reset_peak(self) -> int:
        """Starts a new count of the most requests answered at once; returns the old peak."""
        with self._lock:
            old, self.peak_in_flight = self.peak_in_flight, self.in_flight
            return old

    # --- called from connection threads -----------------------------------------------------------------------

    def _enter(self) -> None:
        with self._lock:
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)

    def _leave(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def _count_and_draw_fault(self, req: Request) -> str | None:
        f = self.faults
        if f.latency_ms:
            time.sleep(f.latency_ms / 1000)
        with self._lock:
            self.requests_served += 1
            if f.ambiguous_writes > 0 and self.app.is_write(req):
                f.ambiguous_writes -= 1
                return "ambiguous"
            r = self._rng.random()
        for name, rate in (("reset", f.reset_rate), ("error_500", f.error_500_rate),
                           ("html_error", f.html_error_rate), ("response_error", f.response_error_rate)):
            if r < rate:
                return name
            r -= rate
        return None

    def _call_app(self, req: Request) -> Response:
        try:
            return self.app.handle(req)
        except Exception:  # noqa: BLE001 - last resort: a generic 500, never a stack trace to the client
            log.exception("sandbox %s: unhandled error on %s", self.app.name, req.path)
            return Response.text("Internal Server Error", 500)

    def _admin(self, req: Request) -> Response:
        what = req.path[len(ADMIN_PREFIX):].strip("/")
        if what == "health":
            return Response.json({"ok": True, "app": self.app.name, "requests_served": self.requests_served})
        try:
            payload = req.json() if req.body else {}
            if not isinstance(payload, dict):
                raise ValueError("payload must be a JSON object")
        except ValueError as exc:
            return Response.json({"error": f"bad JSON: {exc}"}, 400)
        if what == "faults":
            try:
                return Response.json(self.set_faults(**payload))
            except TypeError as exc:
                return Response.json({"error": str(exc), "known": [f.name for f in fields(Faults)]}, 400)
        if what.startswith("admin/"):
            action = what[len("admin/"):]
            try:
                return Response.json(self.app.admin(action, payload))
            except KeyError as exc:
                return Response.json({"error": f"unknown admin action or key: {exc}"}, 404)
            except (ValueError, TypeError) as exc:
                return Response.json({"error": str(exc)}, 400)
        return Response.json({"error": f"no sandbox endpoint {req.path}"}, 404)
