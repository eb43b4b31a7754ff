"""What came back over HTTP: the exchange record, the result, and typed errors for answers that are not data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from core.errors import BadResponseError, RedirectError, Text
from core.http_redact import Redactor
from core.jsonsafe import MAX_JSON_DEPTH, JsonTooDeep, loads_checked


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
    #: why the body is not UTF-8 (``text`` is then only fit for messages), else None
    utf8_error: str | None = None
    _parsed: Any = field(default=_UNPARSED, repr=False, compare=False)

    def json(self) -> Any:
        if self._parsed is _UNPARSED:
            try:
                self._parsed = parse_json(self.text, side=self.side, endpoint=self.endpoint, status=self.status,
                                          redactor=self.redactor, utf8_error=self.utf8_error)
            except BadResponseError as exc:
                exc.exchange = self.exchange
                raise
        return self._parsed

    def safe_text(self, limit: int = 2000) -> str:
        """The body cut to ``limit`` characters with secrets masked: what an error's ``raw`` may carry."""
        return (self.redactor or Redactor()).text(self.text[:limit])

    def header(self, name: str) -> str | None:
        low = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == low), None)


#: The setting that holds each side's server address (named by errors that point at a wrong URL).
URL_FIELDS = {"fxiaoke": "fx_url", "k3cloud": "k3_url"}
TRY_LATER = Text("稍后重试；如果一直出现，请把日志导出给管理员。",
                 "Try again later; if it keeps happening, export the log for support.")
CHECK_URL = Text("请检查服务器地址是否正确、服务器或代理是否正常。",
                 "Check the server URL and that the server or proxy is up.")
URL_ADVICE = {
    "fxiaoke": Text("请核对配置里的纷享销客地址（fx_url），一般为 https://open.fxiaoke.com。",
                    "Check the Fxiaoke URL in the profile (fx_url); it is usually https://open.fxiaoke.com."),
    "k3cloud": Text("请核对配置里的金蝶地址（k3_url），形如 https://服务器/K3Cloud/。",
                    "Check the K3Cloud URL in the profile (k3_url); it looks like https://server/K3Cloud/."),
}


def who(side: str) -> Text:
    names = {"fxiaoke": Text("纷享销客", "Fxiaoke"), "k3cloud": Text("金蝶云星空", "K3Cloud")}
    return names.get(side, Text(side, side))


def parse_json(text: str, *, side: str, endpoint: str, status: int | None = None,
               redactor: Redactor | None = None, utf8_error: str | None = None) -> Any:
    """Parses a body or raises ``BadResponseError`` saying what came instead (HTML, response_error, truncated, empty,
    not UTF-8, nested too deeply).

    The error's ``raw`` is the body with secrets masked (a truncated login answer may hold a session id); its
    ``code`` is the HTTP status only when that status is itself an error.
    """
    stripped = text.strip()
    w = who(side)
    raw = (redactor or Redactor()).text(text[:2000])
    code = status if status is not None and status >= 300 else None
    if not stripped:
        raise BadResponseError(
            Text(f"{w.zh}返回了空响应（{endpoint}）。", f"{w.en} returned an empty response ({endpoint})."),
            TRY_LATER, side=side, code=code, raw=raw,
        )
    if stripped.lower().startswith("response_error:"):
        detail = (redactor or Redactor()).text(stripped[len("response_error:"):].strip()[:500])
        raise BadResponseError(
            Text(f"{w.zh}服务器内部出错：{detail}", f"{w.en} server error: {detail}"), TRY_LATER, side=side, code=code,
            raw=raw,
        )
    if stripped[:1] == "<":
        title = html_title(stripped)
        raise BadResponseError(
            Text(f"{w.zh}返回了网页而不是数据（HTTP {status}{'，' + title if title else ''}）。",
                 f"{w.en} returned a web page instead of data (HTTP {status}{', ' + title if title else ''})."),
            CHECK_URL,
            side=side, code=code, raw=raw, field=URL_FIELDS.get(side),
        )
    if utf8_error:
        raise BadResponseError(
            Text(f"{w.zh}返回的数据不是有效的 UTF-8 文本（{endpoint}：{utf8_error}），为避免写入乱码，已拒绝。",
                 f"{w.en} returned data that is not valid UTF-8 text ({endpoint}: {utf8_error}); it was refused so "
                 f"that no garbled text is written."),
            TRY_LATER, side=side, code=code, raw=raw,
        )
    try:
        return loads_checked(stripped)
    except JsonTooDeep:
        raise BadResponseError(
            Text(f"{w.zh}返回的数据嵌套超过 {MAX_JSON_DEPTH} 层（{endpoint}），不是正常的答复。",
                 f"{w.en} returned data nested deeper than {MAX_JSON_DEPTH} levels ({endpoint}); that is no normal "
                 f"answer."),
            TRY_LATER, side=side, code=code, raw=raw[:500],
        ) from None
    except ValueError:
        raise BadResponseError(
            Text(f"{w.zh}返回的数据不完整或格式错误（{endpoint}）。",
                 f"{w.en} returned malformed or truncated data ({endpoint})."),
            TRY_LATER, side=side, code=code, raw=raw,
        ) from None


def not_found_error(result: HttpResult) -> BadResponseError:
    """HTTP 404: the server is there but has no such interface, so the configured address is wrong."""
    w = who(result.side)
    return BadResponseError(
        Text(f"{w.zh}服务器上找不到这个接口（HTTP 404，{result.endpoint}），服务器地址可能填错了。",
             f"The {w.en} server has no such interface (HTTP 404, {result.endpoint}); the server URL is probably "
             f"wrong."),
        URL_ADVICE.get(result.side, URL_ADVICE["k3cloud"]),
        side=result.side, code=404, field=URL_FIELDS.get(result.side), exchange=result.exchange,
        raw=result.safe_text(), retryable=False,
    )


def http_status_error(result: HttpResult, sent: bool = False) -> BadResponseError:
    """An HTTP error status whose body is not the service's own answer, explained by the status."""
    status, w, ep = result.status, who(result.side), result.endpoint
    if status == 404:
        return not_found_error(result)
    body = result.text.strip()
    title = html_title(body) if body[:1] == "<" else ""
    page = Text(f"，网页标题“{title}”" if title else "", f", page title '{title}'" if title else "")
    wait = retry_after(result.headers)
    asked = (Text(f"，服务器要求等待 {wait:g} 秒", f"; the server asks to wait {wait:g} s") if wait
             else Text("", ""))
    url_field = URL_FIELDS.get(result.side)
    kw: dict[str, Any] = dict(side=result.side, code=status, exchange=result.exchange, raw=result.safe_text(),
                              sent=sent)
    if status in (401, 403, 407):
        what = {401: Text("要求身份验证", "requires authentication"), 403: Text("拒绝访问", "refused access"),
                407: Text("要求代理服务器身份验证", "requires proxy authentication")}[status]
        return BadResponseError(
            Text(f"{w.zh}服务器{what.zh}（HTTP {status}，{ep}{page.zh}）。",
                 f"The {w.en} server {what.en} (HTTP {status}, {ep}{page.en})."),
            Text("这不是接口本身的答复：服务器前的网关、防火墙或代理拦下了请求，或者地址指向了别的服务。"
                 f"请核对服务器地址（{url_field}），并请网络管理员确认这台电脑可以访问该服务器。",
                 "This is not the API's own answer: a gateway, firewall or proxy in front of the server stopped the "
                 f"request, or the URL points at another service. Check the server URL ({url_field}) and ask IT "
                 "whether this computer may reach the server."),
            field=url_field, retryable=False, **kw)
    if status in (429, 503):
        what = Text("请求过于频繁", "says too many requests") if status == 429 else Text("暂时不可用", "is unavailable")
        return BadResponseError(
            Text(f"{w.zh}服务器{what.zh}（HTTP {status}，{ep}{asked.zh}）。",
                 f"The {w.en} server {what.en} (HTTP {status}, {ep}{asked.en})."),
            Text("请稍后再试（计划任务下次运行时会自动重试）；如果经常出现，请减少同时运行的同步。",
                 "Try again later (a scheduled run retries by itself); if it happens often, run fewer syncs at once."),
            retryable=True, **kw)
    if body[:1] == "<":
        return BadResponseError(
            Text(f"{w.zh}返回了网页而不是数据（HTTP {status}{'，' + title if title else ''}）。",
                 f"{w.en} returned a web page instead of data (HTTP {status}{', ' + title if title else ''})."),
            CHECK_URL,
            field=url_field, retryable=status >= 500, **kw)
    said = result.safe_text(300).strip() if body[:1] not in ("{", "[") else ""
    said_zh, said_en = (f"：{said}", f": {said}") if said else ("", "")
    if status >= 500:
        return BadResponseError(Text(f"{w.zh}服务器出错（HTTP {status}，{ep}）{said_zh}", f"The {w.en} server failed "
                                     f"(HTTP {status}, {ep}){said_en}"), TRY_LATER, retryable=True, **kw)
    return BadResponseError(
        Text(f"{w.zh}服务器拒绝了请求（HTTP {status}，{ep}）{said_zh}", f"The {w.en} server refused the request "
             f"(HTTP {status}, {ep}){said_en}"),
        URL_ADVICE.get(result.side, TRY_LATER), field=url_field, retryable=False, **kw)


def redirect_error(side: str, url: str, location: str | None, status: int, redactor: Redactor,
                   exchange: ExchangeRecord | None) -> RedirectError:
    """A 3xx answer to an API call: never followed (it could carry secrets elsewhere), explained with both URLs."""
    w = who(side)
    target = urljoin(url, location) if location else ""
    src, dst = urlsplit(url), urlsplit(target)
    shown_from, shown_to = _public_url(url, redactor), (_public_url(target, redactor) if target else "?")
    url_field = URL_FIELDS.get(side, "url")
    if not target:
        cause = Text("答复没有给出跳转地址。", "The answer names no target.")
    elif src.scheme == "http" and dst.scheme == "https" and src.hostname == dst.hostname:
        cause = Text(f"服务器要求使用 https://：请把 {url_field} 改成以 https:// 开头。",
                     f"The server wants https://: change {url_field} to start with https://.")
    elif src.scheme == "https" and dst.scheme == "http":
        cause = Text("服务器要把请求转到不加密的 http:// 地址，这会让密码以明文传输，已拒绝。",
                     "The server sends the request to an unencrypted http:// address, which would expose passwords; "
                     "refused.")
    elif "/k3cloud/" in (dst.path or "").lower() and "/k3cloud/" not in (src.path or "").lower():
        cause = Text(f"地址可能缺少 /K3Cloud/：请把 {url_field} 设为 https://服务器/K3Cloud/。",
                     f"The URL probably lacks /K3Cloud/: set {url_field} to https://server/K3Cloud/.")
    elif src.hostname != dst.hostname:
        cause = Text("服务器把请求转到了另一台主机：地址可能已过时或填错，或者有登录门户/代理拦截了请求。",
                     "The server sends the request to another host: the URL may be outdated or wrong, or a login "
                     "portal or proxy intercepts the request.")
    else:
        cause = Text(f"服务器把请求转到了另一个地址：请核对 {url_field}。",
                     f"The server sends the request to another address: check {url_field}.")
    return RedirectError(
        Text(f"{w.zh}把接口调用重定向了（HTTP {status}）：{shown_from} → {shown_to}。接口调用从不跟随重定向"
             f"（否则密码和会话可能被发到别的服务器）。",
             f"{w.en} redirected an API call (HTTP {status}): {shown_from} -> {shown_to}. API calls never follow "
             f"redirects (they could carry passwords and sessions to another server)."),
        cause, side=side, code=status, field=url_field, exchange=exchange, sent=True, retryable=False,
        raw=redactor.text(f"Location: {location or ''}")[:500],
    )


def _public_url(url: str, redactor: Redactor) -> str:
    """``url`` without user info and with secrets masked, cut to a readable length."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    shown = f"{parts.scheme}://{host}{parts.path}" + (f"?{parts.query}" if parts.query else "")
    return redactor.text(shown)[:300]


def retry_after(headers: dict[str, str]) -> float | None:
    """Seconds asked by a ``Retry-After`` header (delta-seconds or an HTTP date), or None when absent or unusable."""
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(min(int(value), 10**7))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def html_title(html: str) -> str:
    lo = html.lower()
    i, j = lo.find("<title>"), lo.find("</title>")
    return html[i + 7 : j].strip()[:120] if 0 <= i < j else ""
