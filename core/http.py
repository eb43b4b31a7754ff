"""The HTTP layer both clients share: one session per side, timeouts, TLS, redacted exchange records, read retries."""

from __future__ import annotations

import json
import random
import re
import ssl
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterable

import requests
from requests.adapters import HTTPAdapter

from core.errors import (
    BadResponseError,
    ConnectError,
    RequestTimeoutError,
    Text,
    TlsError,
    TransportError,
)

MAX_BODY = 1_000_000
REDACTED = "***"
#: Body keys whose values are secrets, compared case-insensitively.
SECRET_KEYS = frozenset(
    k.lower()
    for k in (
        "appSecret", "app_secret", "appsecret", "permanentCode", "permanent_code", "corpAccessToken",
        "accessToken", "password", "pwd", "passwd", "sign", "signature", "KDSVCSessionId", "SessionId",
        "kdservice-sessionid", "ASP.NET_SessionId", "AppSec", "X-KDApi-AppSec",
    )
)
#: ``"key": "value"`` / ``key=value`` pairs of SECRET_KEYS inside free text: truncated JSON, cookie strings, URLs.
_SECRET_PAIR = re.compile(
    r'(?<![\w.-])(?P<key>"?(?:' + "|".join(re.escape(k) for k in sorted(SECRET_KEYS, key=len, reverse=True))
    + r')"?)(?P<sep>\s*[:=]\s*)(?:(?P<q>")(?P<quoted>[^"]*)|(?P<value>(?!null\b)[^"&;,\s}\]]+))',
    re.IGNORECASE,
)
#: Header names whose values are secrets.
SECRET_HEADERS = frozenset(
    h.lower()
    for h in (
        "Cookie", "Set-Cookie", "Authorization", "X-Api-Signature", "X-Kd-Signature", "X-Kd-Appdata",
        "kdservice-sessionid", "X-Kd-Appkey",
    )
)


@dataclass
class Timeouts:
    """Connect and read timeouts in seconds."""

    connect: float = 10.0
    read: float = 60.0


@dataclass
class RetryPolicy:
    """Capped exponential backoff with full jitter; applies to reads only."""

    attempts: int = 4
    base: float = 0.2
    cap: float = 5.0

    def delay(self, attempt: int) -> float:
        return random.uniform(0, min(self.cap, self.base * (2 ** attempt)))


@dataclass
class ExchangeRecord:
    """One request/response pair, already redacted; what the log pane and the exchange table show."""

    at: datetime
    side: str
    method: str
    endpoint: str
    url: str
    status: int | None
    elapsed_ms: float
    request_body: str
    response_body: str
    code: str | None = None
    trace_id: str | None = None
    error: str | None = None
    request_headers: dict[str, str] = field(default_factory=dict)


Sink = Callable[[ExchangeRecord], None]


class Redactor:
    """Removes secrets from bodies and headers: by key name and by exact value (for positional parameters)."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        self._values: set[str] = set()
        self._lock = threading.Lock()
        for v in values:
            self.add(v)

    def add(self, value: str | None) -> None:
        """Registers a secret value (password, token, session id) to be masked wherever it appears."""
        if value and len(value) >= 4:
            with self._lock:
                self._values.add(value)

    def text(self, s: str) -> str:
        """``s`` with every registered secret value and every ``secretKey: value`` pair masked."""
        with self._lock:
            values = sorted(self._values, key=len, reverse=True)
        for v in values:
            if v in s:
                s = s.replace(v, REDACTED)
        return _SECRET_PAIR.sub(_mask_pair, s)

    def obj(self, o: Any) -> Any:
        if isinstance(o, dict):
            return {k: (REDACTED if str(k).lower() in SECRET_KEYS and v not in (None, "") else self.obj(v)) for k, v in o.items()}
        if isinstance(o, list):
            return [self.obj(v) for v in o]
        if isinstance(o, str):
            stripped = o.strip()
            if stripped[:1] in "{[" and len(stripped) < MAX_BODY:
                try:
                    return json.dumps(self.obj(json.loads(stripped)), ensure_ascii=False)
                except ValueError:
                    pass
            return self.text(o)
        return o

    def body(self, raw: str | bytes | None) -> str:
        if raw is None:
            return ""
        s = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        try:
            return json.dumps(self.obj(json.loads(s)), ensure_ascii=False)
        except ValueError:
            return self.text(s)

    def headers(self, headers: dict[str, str]) -> dict[str, str]:
        return {k: (REDACTED if k.lower() in SECRET_HEADERS else self.text(v)) for k, v in headers.items()}


def _mask_pair(m: re.Match[str]) -> str:
    value = m.group("quoted") if m.group("q") else m.group("value")
    if value in ("", REDACTED):
        return m.group(0)
    return f"{m.group('key')}{m.group('sep')}{m.group('q') or ''}{REDACTED}"


_UNPARSED = object()


@dataclass
class HttpResult:
    """A response that arrived; ``json()`` explains bodies that are not JSON."""

    status: int
    text: str
    headers: dict[str, str]
    cookies: dict[str, str]
    elapsed_ms: float
    side: str
    endpoint: str
    #: the (redacted) record the sinks received for this response
    exchange: ExchangeRecord | None = None
    #: masks secrets in the ``raw`` text of errors raised from this response
    redactor: Redactor | None = None
    _parsed: Any = field(default=_UNPARSED, repr=False, compare=False)

    def json(self) -> Any:
        if self._parsed is _UNPARSED:
            try:
                self._parsed = parse_json(self.text, side=self.side, endpoint=self.endpoint, status=self.status,
                                          redactor=self.redactor)
            except BadResponseError as exc:
                exc.exchange = self.exchange
                raise
        return self._parsed

    def safe_text(self, limit: int = 2000) -> str:
        """The body cut to ``limit`` characters with secrets masked: what an error's ``raw`` may carry."""
        return (self.redactor or Redactor()).text(self.text[:limit])


#: The setting that holds each side's server address (named by errors that point at a wrong URL).
URL_FIELDS = {"fxiaoke": "fx_url", "k3cloud": "k3_url"}


def parse_json(text: str, *, side: str, endpoint: str, status: int | None = None,
               redactor: Redactor | None = None) -> Any:
    """Parses a body or raises ``BadResponseError`` saying what came instead (HTML, response_error, truncated, empty).

    The error's ``raw`` is the body with secrets masked (a truncated login answer may hold a session id); its
    ``code`` is the HTTP status only when that status is itself an error.
    """
    stripped = text.strip()
    who = _who(side)
    raw = (redactor or Redactor()).text(text[:2000])
    code = status if status is not None and status >= 300 else None
    if not stripped:
        raise BadResponseError(
            Text(f"{who.zh}返回了空响应（{endpoint}）。", f"{who.en} returned an empty response ({endpoint})."),
            _TRY_LATER, side=side, code=code, raw=raw,
        )
    if stripped.lower().startswith("response_error:"):
        detail = (redactor or Redactor()).text(stripped[len("response_error:"):].strip()[:500])
        raise BadResponseError(
            Text(f"{who.zh}服务器内部出错：{detail}", f"{who.en} server error: {detail}"),
            _TRY_LATER, side=side, code=code, raw=raw,
        )
    if stripped[:1] == "<":
        title = _html_title(stripped)
        raise BadResponseError(
            Text(f"{who.zh}返回了网页而不是数据（HTTP {status}{'，' + title if title else ''}）。",
                 f"{who.en} returned a web page instead of data (HTTP {status}{', ' + title if title else ''})."),
            Text("请检查服务器地址是否正确、服务器或代理是否正常。",
                 "Check the server URL and that the server or proxy is up."),
            side=side, code=code, raw=raw, field=URL_FIELDS.get(side),
        )
    try:
        return json.loads(stripped)
    except ValueError:
        raise BadResponseError(
            Text(f"{who.zh}返回的数据不完整或格式错误（{endpoint}）。", f"{who.en} returned malformed or truncated data ({endpoint})."),
            _TRY_LATER, side=side, code=code, raw=raw,
        ) from None


_URL_ADVICE = {
    "fxiaoke": Text("请核对配置里的纷享销客地址（fx_url），一般为 https://open.fxiaoke.com。",
                    "Check the Fxiaoke URL in the profile (fx_url); it is usually https://open.fxiaoke.com."),
    "k3cloud": Text("请核对配置里的金蝶地址（k3_url），形如 https://服务器/K3Cloud/。",
                    "Check the K3Cloud URL in the profile (k3_url); it looks like https://server/K3Cloud/."),
}


def not_found_error(result: HttpResult) -> BadResponseError:
    """HTTP 404: the server is there but has no such interface, so the configured address is wrong."""
    who = _who(result.side)
    return BadResponseError(
        Text(f"{who.zh}服务器上找不到这个接口（HTTP 404，{result.endpoint}），服务器地址可能填错了。",
             f"The {who.en} server has no such interface (HTTP 404, {result.endpoint}); the server URL is probably "
             f"wrong."),
        _URL_ADVICE.get(result.side, _URL_ADVICE["k3cloud"]),
        side=result.side, code=404, field=URL_FIELDS.get(result.side), exchange=result.exchange,
        raw=result.safe_text(), retryable=False,
    )


_TRY_LATER = Text("稍后重试；如果一直出现，请把日志导出给管理员。", "Try again later; if it keeps happening, export the log for support.")


def _who(side: str) -> Text:
    return {"fxiaoke": Text("纷享销客", "Fxiaoke"), "k3cloud": Text("金蝶云星空", "K3Cloud")}.get(side, Text(side, side))


def _html_title(html: str) -> str:
    lo = html.lower()
    i, j = lo.find("<title>"), lo.find("</title>")
    return html[i + 7 : j].strip()[:120] if 0 <= i < j else ""


class _TrustAdapter(HTTPAdapter):
    """HTTPS that trusts the usual public CAs plus the profile's CA bundle, if any.

    One profile names one CA bundle for its in-house server; trusting only that bundle would make the other side
    (usually a public cloud) fail, so the bundle is added to the default trust instead of replacing it.
    """

    def __init__(self, ca_bundle: str | None) -> None:
        self._ca_bundle = ca_bundle
        super().__init__(pool_connections=4, pool_maxsize=16, max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        if self._ca_bundle:
            kwargs["ssl_context"] = trust_context(self._ca_bundle)
        super().init_poolmanager(*args, **kwargs)


def trust_context(ca_bundle: str) -> ssl.SSLContext:
    """A verifying TLS context trusting requests' CA bundle (certifi) and the certificates in ``ca_bundle``."""
    ctx = ssl.create_default_context(cafile=requests.utils.DEFAULT_CA_BUNDLE_PATH)
    ctx.load_verify_locations(cafile=ca_bundle)
    return ctx


class HttpClient:
    """One ``requests.Session`` for one remote system.

    Args:
        side: ``fxiaoke`` or ``k3cloud`` (used in records and messages).
        base_url: the root all paths are joined to.
        timeouts: connect/read timeouts.
        ca_bundle: path of a CA bundle for private certificates; verification is never switched off.
        sinks: callables receiving every ``ExchangeRecord`` (already redacted).
        retry: the retry policy for reads (writes are never retried here).
    """

    def __init__(
        self, side: str, base_url: str, *, timeouts: Timeouts | None = None, ca_bundle: str | None = None,
        sinks: Iterable[Sink] = (), retry: RetryPolicy | None = None, redactor: Redactor | None = None,
        user_agent: str = "FxK3Sync/0.1",
    ) -> None:
        self.side = side
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.timeouts = timeouts or Timeouts()
        self.retry = retry or RetryPolicy()
        self.redactor = redactor or Redactor()
        self.sinks: list[Sink] = list(sinks)
        self.session = requests.Session()
        self.session.verify = True  # never switched off; a CA bundle is added to the default trust below
        self.session.trust_env = False  # company LAN: a stray proxy env must not capture ERP traffic
        self.session.mount("http://", HTTPAdapter(pool_connections=4, pool_maxsize=16, max_retries=0))
        self.session.mount("https://", _TrustAdapter(ca_bundle))
        self.session.headers.update({"User-Agent": user_agent, "Accept": "application/json"})

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def url_for(self, path: str) -> str:
        return self.base_url + path.lstrip("/")

    def post(
        self, path: str, body: Any, *, write: bool = False, headers: dict[str, str] | None = None,
        codes: Callable[[str], tuple[str | None, str | None]] | None = None,
        params: dict[str, str] | None = None,
    ) -> HttpResult:
        """POSTs JSON (``body`` a dict/list, or an already encoded str) and returns the raw result.

        Reads retry connect errors, timeouts, HTTP 5xx and unreadable bodies (an HTML page, ``response_error:`` text or
        truncated JSON that came with HTTP 200: reads change nothing, so asking again is safe); a write is sent once
        and a failure after sending raises a
        ``TransportError`` with ``sent=True`` (the caller must find out whether it landed before sending again).
        ``codes`` extracts (error code, trace id) from the response text for the exchange record.
        """
        data = body if isinstance(body, (str, bytes)) else json.dumps(body, ensure_ascii=False)
        payload = data.encode("utf-8") if isinstance(data, str) else data
        hdrs = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
        attempt = 0
        while True:
            try:
                result = self._send(path, payload, hdrs, codes, params)
            except TransportError as exc:
                if write and exc.sent:
                    raise
                if attempt + 1 >= self.retry.attempts or isinstance(exc, TlsError):
                    raise
            else:
                if write or attempt + 1 >= self.retry.attempts:
                    return result
                if result.status < 500 and _readable(result):
                    return result
            time.sleep(self.retry.delay(attempt))
            attempt += 1

    def _send(self, path: str, payload: bytes, headers: dict[str, str], codes: Any, params: Any) -> HttpResult:
        url = self.url_for(path)
        started = time.perf_counter()
        at = datetime.now(timezone.utc)
        try:
            resp = self.session.post(url, data=payload, headers=headers, params=params,
                                     timeout=(self.timeouts.connect, self.timeouts.read))
            # Without a declared charset requests guesses ISO-8859-1 for text/*; both services speak UTF-8.
            charset = resp.encoding if "charset" in resp.headers.get("Content-Type", "").lower() else "utf-8"
            text = resp.content[: MAX_BODY * 4].decode(charset or "utf-8", "replace")
        except requests.RequestException as exc:
            elapsed = (time.perf_counter() - started) * 1000
            err = self._transport_error(exc, path)
            err.exchange = ExchangeRecord(at, self.side, "POST", path, url, None, elapsed,
                                          self.redactor.body(payload), "", error=err.message.en,
                                          request_headers=self.redactor.headers(headers))
            self._emit(err.exchange)
            raise err from None
        elapsed = (time.perf_counter() - started) * 1000
        code, trace = (None, None)
        if codes is not None:
            try:
                code, trace = codes(text)
            except Exception:  # a code extractor must never hide the response
                code, trace = None, None
        record = ExchangeRecord(at, self.side, "POST", path, url, resp.status_code, elapsed,
                                self.redactor.body(payload), self.redactor.body(text[:MAX_BODY]), code, trace,
                                request_headers=self.redactor.headers(headers))
        self._emit(record)
        return HttpResult(resp.status_code, text, dict(resp.headers), requests.utils.dict_from_cookiejar(resp.cookies),
                          elapsed, self.side, path, record, self.redactor)

    def _emit(self, record: ExchangeRecord) -> None:
        for sink in list(self.sinks):
            try:
                sink(record)
            except Exception:  # a broken sink (e.g. a closed log pane) must not break a sync
                pass

    def _transport_error(self, exc: requests.RequestException, path: str) -> TransportError:
        who, host = _who(self.side), self.base_url
        raw = _safe(exc, self.redactor)

        def error(cls: type[TransportError], message: Text, advice: Text, *, sent: bool, **kw: Any) -> TransportError:
            return cls(message, advice, side=self.side, sent=sent, raw=raw, **kw)

        if isinstance(exc, requests.exceptions.SSLError):
            return error(TlsError,
                         Text(f"无法与{who.zh}建立安全连接：证书不受信任或 TLS 握手失败（{host}）。",
                              f"Could not open a secure connection to {who.en}: certificate not trusted or TLS "
                              f"handshake failed ({host})."),
                         Text("如果是公司内网服务器的自签名证书，请在配置里指定 CA 证书文件（CA bundle）。",
                              "For an in-house server with its own certificate, set the CA bundle file in the profile."),
                         sent=False, retryable=False)
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return error(RequestTimeoutError,
                         Text(f"连接{who.zh}超时（{host}）。", f"Connecting to {who.en} timed out ({host})."),
                         Text("请检查网络、VPN 和服务器地址。", "Check the network, VPN and the server URL."), sent=False)
        if isinstance(exc, requests.exceptions.ReadTimeout):
            return error(RequestTimeoutError,
                         Text(f"{who.zh}在 {self.timeouts.read:g} 秒内没有响应（{path}）。",
                              f"{who.en} did not answer within {self.timeouts.read:g} s ({path})."),
                         Text("服务器繁忙或数据量大；稍后重试，或在配置里加大读取超时。",
                              "The server is busy or the request is large; retry later or raise the read timeout."),
                         sent=True)
        low = raw.lower()
        if isinstance(exc, requests.exceptions.ConnectionError) and any(s in low for s in _NEVER_CONNECTED):
            msg = (Text(f"找不到{who.zh}服务器（域名无法解析：{host}）。",
                        f"Cannot find the {who.en} server (host name does not resolve: {host}).")
                   if any(s in low for s in _DNS_FAILED) else
                   Text(f"{who.zh}服务器拒绝连接（{host}）。", f"The {who.en} server refused the connection ({host})."))
            return error(ConnectError, msg, Text("请检查服务器地址、端口和网络。", "Check the server URL, port and network."),
                         sent=False)
        return error(ConnectError, Text(f"与{who.zh}的连接中断（{path}）。", f"The connection to {who.en} dropped ({path})."),
                     Text("请检查网络后重试。", "Check the network and try again."), sent=True)


#: Connection failures that happen before a byte of the request left (so even a write may be sent again).
_DNS_FAILED = ("name or service not known", "nodename nor servname", "getaddrinfo", "failed to resolve", "errno -2",
               "errno -3")
_NEVER_CONNECTED = ("newconnectionerror", "connection refused", "no route to host", "errno 111", *_DNS_FAILED)


def _readable(result: HttpResult) -> bool:
    try:
        result.json()
    except BadResponseError:
        return False
    return True


def _safe(exc: BaseException, redactor: Redactor) -> str:
    return redactor.text(f"{type(exc).__name__}: {exc}")[:2000]
