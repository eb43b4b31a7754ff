"""The HTTP layer both clients share: one session per side, timeouts and a total deadline, TLS, no redirects, capped
bodies, redacted exchange records, read retries (``Retry-After`` honoured)."""

from __future__ import annotations

import http.client
import json
import logging
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter

from core.errors import (
    BadResponseError,
    ConnectError,
    RequestTimeoutError,
    Text,
    TlsError,
    TransportError,
)
from core.http_answer import (
    TRY_LATER,
    URL_FIELDS,
    ExchangeRecord,
    HttpResult,
    Sink,
    http_status_error,
    not_found_error,
    parse_json,
    redirect_error,
    retry_after,
    who,
)
from core.http_body import (
    MAX_BODY_BYTES,
    BadEncoding,
    BodyTooLarge,
    DeadlinePassed,
    charset_of,
    decode_text,
    read_capped,
)
from core.http_redact import REDACTED, SECRET_HEADERS, SECRET_KEYS, Redactor
from core.http_tls import TrustAdapter, check_ca_bundle, trust_context

__all__ = [
    "MAX_BODY", "MAX_BODY_BYTES", "REDACTED", "SECRET_HEADERS", "SECRET_KEYS", "TRY_LATER", "URL_FIELDS",
    "ExchangeRecord", "HttpClient", "HttpResult", "Redactor", "RetryPolicy", "Sink", "Timeouts", "check_ca_bundle",
    "http_status_error", "not_found_error", "parse_json", "trust_context",
]

#: Characters of a body kept in an exchange record.
log = logging.getLogger(__name__)

MAX_BODY = 1_000_000
#: Statuses after which a read is asked again (``Retry-After`` honoured on 429 and 503).
_RETRY_STATUSES = (429, 503)


@dataclass
class Timeouts:
    """Connect and read timeouts in seconds, and the total time one request may take (default: three read timeouts).

    The read timeout bounds each wait for bytes; the total deadline bounds the whole answer, so a body trickled one
    byte at a time still ends.
    """

    connect: float = 10.0
    read: float = 60.0
    total: float | None = None

    @property
    def deadline(self) -> float:
        return self.total if self.total is not None else 3 * self.read


@dataclass
class RetryPolicy:
    """Capped exponential backoff with full jitter; applies to reads, and to writes only while the connection
    could not be made (nothing was sent). A ``Retry-After`` up to
    ``retry_after_cap`` seconds replaces the backoff; a longer one ends the retries at once."""

    attempts: int = 4
    base: float = 0.2
    cap: float = 5.0
    retry_after_cap: float = 30.0

    def delay(self, attempt: int) -> float:
        return random.uniform(0, min(self.cap, self.base * (2 ** attempt)))


class _NoRedirectSession(requests.Session):
    """A session that sees no redirect target in any answer.

    ``allow_redirects=False`` alone is not enough: requests still reads the whole body of a 3xx answer (uncapped) to
    prepare the next hop; with no target it reads nothing, and the 3xx is reported by ``HttpClient``.
    """

    def get_redirect_target(self, resp: requests.Response) -> None:
        return None


class HttpClient:
    """One ``requests.Session`` for one remote system.

    Args:
        side: ``fxiaoke`` or ``k3cloud`` (used in records and messages).
        base_url: the root all paths are joined to.
        timeouts: connect/read timeouts and the total deadline.
        ca_bundle: path of a CA bundle for private certificates; verification is never switched off. A bad bundle
            raises ``ConfigError`` naming the ``ca_bundle`` setting.
        sinks: callables receiving every ``ExchangeRecord`` (already redacted).
        retry: the retry policy for reads; a write is asked again only when the connection was never made (nothing
            reached the server), never after it was sent.
        max_body: decoded bytes an answer may have.
    """

    def __init__(
        self, side: str, base_url: str, *, timeouts: Timeouts | None = None, ca_bundle: str | None = None,
        sinks: Iterable[Sink] = (), retry: RetryPolicy | None = None, redactor: Redactor | None = None,
        user_agent: str = "FxK3Sync/0.1", max_body: int = MAX_BODY_BYTES,
    ) -> None:
        self.side = side
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.timeouts = timeouts or Timeouts()
        self.retry = retry or RetryPolicy()
        self._sink_failures: set[tuple[int, str]] = set()
        self.redactor = redactor or Redactor()
        self.sinks: list[Sink] = list(sinks)
        self.max_body = max_body
        trust = TrustAdapter(ca_bundle, pool_connections=4, pool_maxsize=16, max_retries=0)
        self.session = _NoRedirectSession()
        self.session.verify = True  # never switched off; a CA bundle is added to the default trust
        self.session.trust_env = False  # company LAN: a stray proxy env must not capture ERP traffic
        self.session.mount("http://", HTTPAdapter(pool_connections=4, pool_maxsize=16, max_retries=0))
        self.session.mount("https://", trust)
        # Only the codings read_capped can inflate within its cap (no br/zstd even when those libraries are installed).
        self.session.headers.update({"User-Agent": user_agent, "Accept": "application/json",
                                     "Accept-Encoding": "gzip, deflate"})

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

        Reads retry connect errors, timeouts, HTTP 429/5xx (waiting what ``Retry-After`` asks, within a cap) and
        unreadable bodies (an HTML page, ``response_error:`` text or truncated JSON that came with HTTP 200: reads
        change nothing, so asking again is safe); a write is retried only while the connection cannot be made, is
        sent once, and a failure after sending raises a
        ``TransportError`` with ``sent=True`` (the caller must find out whether it landed before sending again).
        Redirects are never followed: a 3xx answer raises ``RedirectError``.
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
                if attempt + 1 >= self.retry.attempts or not exc.retryable or isinstance(exc, TlsError):
                    raise
                wait = self.retry.delay(attempt)
            else:
                if write or attempt + 1 >= self.retry.attempts:
                    return result
                asked = retry_after(result.headers) if result.status in _RETRY_STATUSES else None
                if asked is not None:
                    if asked > self.retry.retry_after_cap:
                        return result  # the caller explains the status, with the wait the server asked for
                    wait = asked
                elif result.status < 500 and result.status not in _RETRY_STATUSES and _readable(result):
                    return result
                else:
                    wait = self.retry.delay(attempt)
            time.sleep(wait)
            attempt += 1

    def _send(self, path: str, payload: bytes, headers: dict[str, str], codes: Any, params: Any) -> HttpResult:
        url = self.url_for(path)
        started = time.perf_counter()
        deadline_at = time.monotonic() + self.timeouts.deadline
        at = datetime.now(UTC)
        status: int | None = None

        def record(status: int | None, text: str, error: str | None = None, code: Any = None,
                   trace: Any = None) -> ExchangeRecord:
            rec = ExchangeRecord(at, self.side, "POST", path, url, status, (time.perf_counter() - started) * 1000,
                                 self.redactor.body(payload), self.redactor.body(text[:MAX_BODY]) if text else "",
                                 code, trace, error=error, request_headers=self.redactor.headers(headers))
            self._emit(rec)
            return rec

        try:
            resp = self.session.post(url, data=payload, headers=headers, params=params, allow_redirects=False,
                                     stream=True, timeout=(self.timeouts.connect,
                                                           min(self.timeouts.read, self.timeouts.deadline)))
            status = resp.status_code
            try:
                body = self._read(resp, deadline_at)
            finally:
                resp.close()  # after a complete read the connection is already back in the pool
        except requests.RequestException as exc:
            err = self._transport_error(exc, path)
            err.exchange = record(status, "", err.message.en)
            raise err from None
        except (BodyTooLarge, DeadlinePassed, BadEncoding, urllib3.exceptions.HTTPError, http.client.HTTPException,
                OSError) as exc:
            err = self._body_error(exc, path, deadline_at)
            err.exchange = record(status, "", err.message.en)
            raise err from None
        text, utf8_error = decode_text(body, charset_of(resp.headers.get("Content-Type", "")))
        code, trace = (None, None)
        if codes is not None and not utf8_error:
            try:
                code, trace = codes(text)
            except Exception:  # a code extractor must never hide the response
                code, trace = None, None
        rec = record(resp.status_code, text, None, _text_or_none(code), _text_or_none(trace))
        if 300 <= resp.status_code < 400 and resp.status_code != 304:
            err = redirect_error(self.side, url, resp.headers.get("Location"), resp.status_code, self.redactor, rec)
            rec.error = err.message.en
            raise err
        cookies = {k: v for k, v in requests.utils.dict_from_cookiejar(resp.cookies).items() if v is not None}
        return HttpResult(resp.status_code, text, dict(resp.headers), cookies, rec.elapsed_ms, self.side, path, rec,
                          self.redactor, utf8_error)

    def _read(self, resp: requests.Response, deadline_at: float) -> bytes:
        """The decoded body within ``max_body`` bytes and the deadline (``resp`` was opened with ``stream=True``)."""
        raw = resp.raw
        read1 = getattr(raw, "read1", None)
        if read1 is not None:
            def reader(n: int) -> bytes:
                return read1(n, decode_content=False)
        else:  # urllib3 < 2.3: small reads, so each waits for little
            def reader(n: int) -> bytes:
                return raw.read(min(n, 1024), decode_content=False)
        sock = getattr(getattr(raw, "connection", None) or getattr(raw, "_connection", None), "sock", None)
        set_timeout = getattr(sock, "settimeout", None) or (lambda _t: None)
        return read_capped(reader, coding=resp.headers.get("Content-Encoding", ""), limit=self.max_body,
                           deadline_at=deadline_at, read_timeout=self.timeouts.read, set_timeout=set_timeout)

    def _emit(self, record: ExchangeRecord) -> None:
        for sink in list(self.sinks):
            try:
                sink(record)
            except Exception as exc:  # a broken sink (e.g. a closed log pane) must not break a sync
                kind = (id(sink), type(exc).__name__)
                if kind not in self._sink_failures:  # said once per sink and kind of failure, not per exchange
                    self._sink_failures.add(kind)
                    log.warning("an exchange log sink failed (%s: %s); the sync goes on without it",
                                type(exc).__name__, _safe(exc, self.redactor))

    def _body_error(self, exc: BaseException, path: str, deadline_at: float) -> TransportError:
        """An answer that began but could not be read: too big, too slow, badly compressed, or cut off."""
        w, raw = who(self.side), _safe(exc, self.redactor)
        if isinstance(exc, BodyTooLarge):
            mb = self.max_body / (1024 * 1024)
            return BadResponseError(
                Text(f"{w.zh}的答复超过 {mb:g} MB（{path}），不是正常的答复，已停止读取。",
                     f"The {w.en} answer is larger than {mb:g} MB ({path}); that is no normal answer, reading "
                     f"stopped."),
                TRY_LATER, side=self.side, sent=True, retryable=False, raw=raw)
        if isinstance(exc, DeadlinePassed) or (_is_timeout(exc) and time.monotonic() >= deadline_at - 0.05):
            total = self.timeouts.deadline
            return RequestTimeoutError(
                Text(f"{w.zh}没有在 {total:g} 秒内答完（{path}），数据来得太慢。",
                     f"{w.en} did not finish its answer within {total:g} s ({path}); the data came too slowly."),
                Text("服务器或网络很慢；稍后重试，或在配置里加大读取超时。",
                     "The server or the network is very slow; retry later or raise the read timeout."),
                side=self.side, sent=True, raw=raw, retryable=False)  # asking again would take as long again
        if _is_timeout(exc):
            return RequestTimeoutError(
                Text(f"{w.zh}在 {self.timeouts.read:g} 秒内没有继续答复（{path}）。",
                     f"{w.en} stopped answering for {self.timeouts.read:g} s ({path})."),
                Text("服务器繁忙或数据量大；稍后重试，或在配置里加大读取超时。",
                     "The server is busy or the request is large; retry later or raise the read timeout."),
                side=self.side, sent=True, raw=raw)
        if isinstance(exc, BadEncoding):
            return BadResponseError(
                Text(f"{w.zh}的答复压缩格式无法解开（{path}：{exc}）。",
                     f"The {w.en} answer could not be decompressed ({path}: {exc})."),
                TRY_LATER, side=self.side, sent=True, raw=raw)
        return ConnectError(Text(f"与{w.zh}的连接在答复中途断开（{path}）。",
                                 f"The connection to {w.en} dropped mid-answer ({path})."),
                            Text("请检查网络后重试。", "Check the network and try again."), side=self.side, sent=True,
                            raw=raw)

    def _transport_error(self, exc: requests.RequestException, path: str) -> TransportError:
        w, host = who(self.side), self.base_url
        raw = _safe(exc, self.redactor)

        def error(cls: type[TransportError], message: Text, advice: Text, *, sent: bool, **kw: Any) -> TransportError:
            return cls(message, advice, side=self.side, sent=sent, raw=raw, **kw)

        if isinstance(exc, requests.exceptions.SSLError):
            return error(TlsError,
                         Text(f"无法与{w.zh}建立安全连接：证书不受信任或 TLS 握手失败（{host}）。",
                              f"Could not open a secure connection to {w.en}: certificate not trusted or TLS "
                              f"handshake failed ({host})."),
                         Text("如果是公司内网服务器的自签名证书，请在配置里指定 CA 证书文件（CA bundle）。",
                              "For an in-house server with its own certificate, set the CA bundle file in the "
                              "profile."),
                         sent=False, retryable=False)
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return error(RequestTimeoutError,
                         Text(f"连接{w.zh}超时（{host}）。", f"Connecting to {w.en} timed out ({host})."),
                         Text("请检查网络、VPN 和服务器地址。", "Check the network, VPN and the server URL."),
                         sent=False)
        if isinstance(exc, requests.exceptions.ReadTimeout):
            return error(RequestTimeoutError,
                         Text(f"{w.zh}在 {self.timeouts.read:g} 秒内没有响应（{path}）。",
                              f"{w.en} did not answer within {self.timeouts.read:g} s ({path})."),
                         Text("服务器繁忙或数据量大；稍后重试，或在配置里加大读取超时。",
                              "The server is busy or the request is large; retry later or raise the read "
                              "timeout."), sent=True)
        low = raw.lower()
        if isinstance(exc, requests.exceptions.ConnectionError) and any(s in low for s in _NEVER_CONNECTED):
            msg = (Text(f"找不到{w.zh}服务器（域名无法解析：{host}）。",
                        f"Cannot find the {w.en} server (host name does not resolve: {host}).")
                   if any(s in low for s in _DNS_FAILED) else
                   Text(f"{w.zh}服务器拒绝连接（{host}）。", f"The {w.en} server refused the connection ({host})."))
            return error(ConnectError, msg,
                         Text("请检查服务器地址、端口和网络。", "Check the server URL, port and network."),
                         sent=False)
        return error(ConnectError,
                     Text(f"与{w.zh}的连接中断（{path}）。", f"The connection to {w.en} dropped ({path})."),
                     Text("请检查网络后重试。", "Check the network and try again."), sent=True)


#: Connection failures that happen before a byte of the request left (so even a write may be sent again).
_DNS_FAILED = ("name or service not known", "nodename nor servname", "getaddrinfo", "failed to resolve", "errno -2",
               "errno -3")
_NEVER_CONNECTED = ("newconnectionerror", "connection refused", "no route to host", "errno 111", *_DNS_FAILED)


def _is_timeout(exc: BaseException) -> bool:
    return isinstance(exc, (TimeoutError, urllib3.exceptions.TimeoutError)) or "timed out" in str(exc).lower()


def _readable(result: HttpResult) -> bool:
    try:
        result.json()
    except BadResponseError:
        return False
    return True


def _text_or_none(value: Any) -> str | None:
    """A code or trace id for the record: short text only (a hostile answer may put anything there)."""
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value)[:200]


def _safe(exc: BaseException, redactor: Redactor) -> str:
    return redactor.text(f"{type(exc).__name__}: {exc}")[:2000]
