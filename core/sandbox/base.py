"""What both simulators share: a loopback HTTP server, request/response values, fault injection, a clock, demo data.

A simulator is a ``SimApp`` subclass that turns one ``SimRequest`` into one ``SimResponse``; ``SimServer`` serves it
over real HTTP (or HTTPS with a test certificate) on 127.0.0.1. The contract for a subclass:

* ``name`` ("fxiaoke" / "k3cloud") and ``base_path`` ("/" / "/K3Cloud/"): ``SimServer.url`` is host + base_path.
* ``__init__(seed=1, clock=None)``: build the seeded demo state (use ``demo_catalog(seed)`` for the master data both
  sides must agree on) and call ``super().__init__(seed=seed, clock=clock)`` first.
* ``handle(req)``: answer one request. It runs under ``self.lock`` (one request at a time per app), after the
  scripted faults that fire *before* handling. Raise nothing on bad input: answer as the real service would.
* ``credentials(url)``: the app's part of the ``fxk3sync sandbox`` JSON line.
* ``snapshot()`` / ``restore(data)``: JSON-able state for ``fxk3sync sandbox --state FILE``.

Tests script failures with ``app.faults.add(Fault(...))``; every request is recorded in ``app.calls``.
"""

from __future__ import annotations

import json
import logging
import random
import socket
import ssl
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

log = logging.getLogger("fxk3sync.sandbox")

JSON_TYPE = "application/json; charset=utf-8"


class SimClock:
    """Wall-clock time plus an offset tests can move forward (token and session expiry)."""

    def __init__(self) -> None:
        self._offset = 0.0

    def time(self) -> float:
        return time.time() + self._offset

    def ms(self) -> int:
        return int(self.time() * 1000)

    def advance(self, seconds: float) -> None:
        self._offset += seconds


@dataclass
class SimRequest:
    """One HTTP request as the app sees it; ``path`` has no query string."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # keys lower-cased
    body: bytes
    client: str = "127.0.0.1"

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)

    @property
    def cookies(self) -> dict[str, str]:
        """``Cookie`` header as a dict; lenient like IIS (``Theme=standard;kdservice-sessionid=...``)."""
        out: dict[str, str] = {}
        for part in self.header("cookie").split(";"):
            name, sep, value = part.strip().partition("=")
            if sep and name:
                out[name] = value
        return out

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The body parsed as JSON; raises ``ValueError`` when it is not JSON."""
        return json.loads(self.body.decode("utf-8"))

    def form(self) -> dict[str, str]:
        """An ``application/x-www-form-urlencoded`` body (last value of each key)."""
        return {k: v[-1] for k, v in parse_qs(self.text, keep_blank_values=True).items()}

    @property
    def is_form(self) -> bool:
        return self.header("content-type").lower().startswith("application/x-www-form-urlencoded")


@dataclass
class SimResponse:
    """One HTTP response; build JSON ones with ``SimResponse.json``."""

    status: int = 200
    body: bytes = b""
    content_type: str = JSON_TYPE
    headers: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def json(cls, obj: Any, status: int = 200) -> SimResponse:
        return cls(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"))

    @classmethod
    def text(cls, text: str, status: int = 200, content_type: str = "text/plain; charset=utf-8") -> SimResponse:
        return cls(status, text.encode("utf-8"), content_type)

    @classmethod
    def html_error(cls, status: int, title: str) -> SimResponse:
        """The kind of page IIS or a gateway shows instead of JSON."""
        page = f"<!DOCTYPE html><html><head><title>{status} - {title}</title></head><body><h1>{title}</h1></body></html>"
        return cls.text(page, status, "text/html; charset=utf-8")

    def set_cookie(self, name: str, value: str, path: str = "/") -> SimResponse:
        self.headers.append(("Set-Cookie", f"{name}={value}; path={path}; HttpOnly"))
        return self


# --- faults -----------------------------------------------------------------------------------------------------

FAULT_KINDS = ("drop", "drop_after", "delay", "delay_after", "reply", "truncate_after")


@dataclass
class Fault:
    """A scripted failure for the next ``times`` requests whose path contains ``match`` (case-insensitive).

    Kinds:
        drop:            close the connection before handling (nothing happened on the server).
        drop_after:      handle the request (its writes land), then close without answering (outcome unknown).
        delay:           wait ``seconds`` before handling (client read timeout; nothing happened yet).
        delay_after:     handle, then wait ``seconds`` before answering (timeout after the write landed).
        reply:           answer ``response`` instead of handling (HTML 502, a business error body ...).
        truncate_after:  handle, then send only half of the body and close.

    ``when`` may narrow the match further, e.g. ``lambda req: b'"SAL_SaleOrder"' in req.body``.
    """

    kind: str
    match: str = ""
    times: int = 1
    seconds: float = 0.0
    response: SimResponse | None = None
    when: Callable[[SimRequest], bool] | None = None

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {FAULT_KINDS}")
        if self.kind == "reply" and self.response is None:
            raise ValueError("a 'reply' fault needs a response")

    @classmethod
    def reply(cls, response: SimResponse | dict[str, Any], match: str = "", times: int = 1) -> Fault:
        if not isinstance(response, SimResponse):
            response = SimResponse.json(response)
        return cls("reply", match, times, response=response)

    def matches(self, req: SimRequest) -> bool:
        return self.match.lower() in req.path.lower() and (self.when is None or self.when(req))


class FaultPlan:
    """The faults scripted for one app; the first matching fault fires and uses up one of its ``times``."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, req: SimRequest) -> Fault | None:
        with self._lock:
            for f in self._faults:
                if f.times > 0 and f.matches(req):
                    f.times -= 1
                    if f.times == 0:
                        self._faults.remove(f)
                    return f
        return None

    def __len__(self) -> int:
        return len(self._faults)


# --- the app base -----------------------------------------------------------------------------------------------


@dataclass
class SimCall:
    """One request an app received, for tests to assert on (``status`` None: no answer was sent)."""

    method: str
    path: str
    body: bytes
    headers: dict[str, str]
    status: int | None
    fault: str | None = None

    def json(self) -> Any:
        try:
            return json.loads(self.body.decode("utf-8"))
        except ValueError:
            return None


class SimApp:
    """Base of a simulated service; see the module docstring for what a subclass provides."""

    name = "sim"
    base_path = "/"

    def __init__(self, *, seed: int = 1, clock: SimClock | None = None) -> None:
        self.seed = seed
        self.clock = clock or SimClock()
        self.lock = threading.RLock()
        self.faults = FaultPlan()
        self.calls: deque[SimCall] = deque(maxlen=10_000)

    def handle(self, req: SimRequest) -> SimResponse:  # pragma: no cover - abstract
        raise NotImplementedError

    def credentials(self, url: str) -> dict[str, Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def snapshot(self) -> dict[str, Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def restore(self, data: dict[str, Any]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def calls_to(self, fragment: str) -> list[SimCall]:
        """Recorded calls whose path contains ``fragment`` (case-insensitive), oldest first."""
        return [c for c in list(self.calls) if fragment.lower() in c.path.lower()]

    def rng(self, purpose: str) -> random.Random:
        """A random source fixed by the seed and a purpose, so adding data of one kind leaves the others alone."""
        return random.Random(f"{self.seed}:{self.name}:{purpose}")

    def serve(self, req: SimRequest) -> SimResponse:
        """``handle`` under the app lock; an exception becomes an HTML 500 page, as IIS would show."""
        with self.lock:
            try:
                return self.handle(req)
            except Exception:  # noqa: BLE001 - a simulator bug must reach the client as a server error
                log.exception("%s simulator failed on %s", self.name, req.path)
                return SimResponse.html_error(500, "Internal Server Error")


# --- the HTTP server --------------------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as requests.Session expects
    server: _Server
    timeout = 60  # an idle keep-alive connection is closed after this

    def handle(self) -> None:
        try:
            super().handle()
        except (ConnectionError, ssl.SSLError, socket.timeout, TimeoutError):
            self.close_connection = True  # client went away or failed the handshake (bad CA test)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.debug("%s %s", self.server.app.name, format % args)

    def _dispatch(self) -> None:
        app = self.server.app
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        req = SimRequest(
            method=self.command,
            path=parts.path,
            query={k: v[-1] for k, v in parse_qs(parts.query).items()},
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            client=self.client_address[0],
        )
        fault = app.faults.take(req)
        kind = fault.kind if fault else None
        call = SimCall(req.method, req.path, body, req.headers, None, kind)
        app.calls.append(call)

        if kind == "drop":
            return self._abort()
        if kind == "delay":
            time.sleep(fault.seconds)  # type: ignore[union-attr]
        resp = fault.response if kind == "reply" else app.serve(req)  # type: ignore[union-attr]
        if kind == "drop_after":
            return self._abort()
        if kind == "delay_after":
            time.sleep(fault.seconds)  # type: ignore[union-attr]
        call.status = resp.status
        self._send(resp, truncate=kind == "truncate_after")  # type: ignore[arg-type]

    do_POST = do_GET = do_PUT = do_DELETE = _dispatch

    def _send(self, resp: SimResponse, truncate: bool = False) -> None:
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        self.send_header("Content-Length", str(len(resp.body)))
        for name, value in resp.headers:
            self.send_header(name, value)
        if truncate:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(resp.body[: len(resp.body) // 2] if truncate else resp.body)
        if truncate:
            self.wfile.flush()
            self._abort()

    def _abort(self) -> None:
        """Reset the connection: the client sees it drop with no (complete) answer."""
        self.close_connection = True
        try:
            self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        except OSError:
            pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr: tuple[str, int], app: SimApp, ssl_context: ssl.SSLContext | None) -> None:
        self.app = app
        self.ssl_context = ssl_context
        self.open_sockets: set[socket.socket] = set()
        self._sockets_lock = threading.Lock()
        super().__init__(addr, _Handler)  # finish_request builds the handlers

    def finish_request(self, request: Any, client_address: Any) -> None:
        # Runs in the connection's thread: the TLS handshake happens here, not in the accept loop.
        conn = request
        if self.ssl_context is not None:
            try:
                conn = self.ssl_context.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return  # the client refused our certificate (the untrusted-CA tests)
        with self._sockets_lock:
            self.open_sockets.add(conn)
        try:
            _Handler(conn, client_address, self)
        finally:
            with self._sockets_lock:
                self.open_sockets.discard(conn)
            if conn is not request:
                conn.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.exception("%s simulator: error serving %s", self.app.name, client_address)

    def close_all(self) -> None:
        with self._sockets_lock:
            socks, self.open_sockets = list(self.open_sockets), set()
        for s in socks:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()


class SimServer:
    """Serves one ``SimApp`` on 127.0.0.1 in a background thread; ``with SimServer(app) as srv: srv.url``.

    Args:
        app: the simulator.
        port: 0 picks a free port.
        ssl_context: serve HTTPS with this server context (e.g. from ``trustme``); None serves plain HTTP.
    """

    def __init__(self, app: SimApp, port: int = 0, ssl_context: ssl.SSLContext | None = None, host: str = "127.0.0.1") -> None:
        self.app = app
        self._server = _Server((host, port), app, ssl_context)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def origin(self) -> str:
        scheme = "https" if self._server.ssl_context else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The service root a profile points at (``.../K3Cloud/`` for K3Cloud)."""
        return self.origin + self.app.base_path

    def start(self) -> SimServer:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
            name=f"sandbox-{self.app.name}", daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.close_all()
        self._server.server_close()

    def __enter__(self) -> SimServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --- demo master data both sides agree on ---------------------------------------------------------------------

ORG_NUMBER = "100"
CURRENCY = "PRE001"
TAX_RATE = 13

_CITIES = ("上海", "杭州", "南京", "苏州", "宁波", "无锡", "合肥", "常州", "嘉兴", "绍兴")
_TRADES = ("贸易", "机电", "科技", "五金", "包装", "电子", "材料", "实业")
_PRODUCTS = (
    ("不锈钢球阀 DN25", "个"), ("铜质闸阀 DN50", "个"), ("PVC 管 Φ32", "米"), ("压力表 0-1.6MPa", "块"),
    ("电磁阀 24V", "个"), ("法兰垫片 DN80", "片"), ("止回阀 DN40", "个"), ("温度传感器 PT100", "支"),
    ("变频器 2.2kW", "台"), ("安全阀 DN20", "个"), ("过滤器 Y 型 DN50", "个"), ("软接头 DN65", "个"),
)


@dataclass(frozen=True)
class DemoCustomer:
    number: str  # Fxiaoke account_no = K3Cloud BD_Customer FNumber
    name: str
    tel: str
    address: str


@dataclass(frozen=True)
class DemoProduct:
    code: str  # Fxiaoke product_code = K3Cloud BD_MATERIAL FNumber
    name: str
    unit: str  # K3Cloud unit FNumber is "Pcs" for all; this is the display name
    price: str  # tax-inclusive unit price, a decimal string as Fxiaoke sends it


@dataclass(frozen=True)
class DemoCatalog:
    """The master data of the demo company, derived from the seed alone.

    ``products`` exist in Fxiaoke; all but ``missing_in_k3`` exist as K3Cloud materials (the pre-flight check
    catches orders using one of those). ``customers`` exist in Fxiaoke; ``customers_in_k3`` (the first few) already
    exist in K3Cloud with the same number, so syncing them reports 'skipped'.
    """

    customers: tuple[DemoCustomer, ...]
    products: tuple[DemoProduct, ...]
    customers_in_k3: tuple[str, ...]
    missing_in_k3: tuple[str, ...]
    org: str = ORG_NUMBER
    currency: str = CURRENCY
    tax_rate: int = TAX_RATE
    unit: str = "Pcs"

    @property
    def materials(self) -> tuple[DemoProduct, ...]:
        """The products K3Cloud has as BD_MATERIAL."""
        return tuple(p for p in self.products if p.code not in self.missing_in_k3)


def demo_catalog(seed: int = 1, customers: int = 24) -> DemoCatalog:
    """Deterministic demo master data; both simulators build theirs from this."""
    rnd = random.Random(f"{seed}:catalog")
    custs = []
    for i in range(1, customers + 1):
        city = rnd.choice(_CITIES)
        custs.append(DemoCustomer(
            number=f"CUST{i:04d}",
            name=f"{city}{rnd.choice('华东恒信瑞联宏达鼎盛')}{rnd.choice('源泰丰安诚远')}{rnd.choice(_TRADES)}有限公司",
            tel=f"0{rnd.randint(21, 579)}-{rnd.randint(55_000_000, 89_999_999)}",
            address=f"{city}市{rnd.choice('中山 人民 建设 解放 长江 新华'.split())}路{rnd.randint(1, 999)}号",
        ))
    prods = tuple(
        DemoProduct(f"MAT-{i:03d}", name, unit, f"{rnd.randint(20, 4000)}.{rnd.choice(('00', '50', '80'))}")
        for i, (name, unit) in enumerate(_PRODUCTS, start=1)
    )
    return DemoCatalog(
        customers=tuple(custs),
        products=prods,
        customers_in_k3=tuple(c.number for c in custs[:3]),
        missing_in_k3=(prods[-1].code,),
    )

