"""The one exception tree of FxK3 Sync; every error carries a bilingual user message.

Fxk3Error
 +-- ConfigError              a setting is missing or invalid (``field`` names it)
 +-- SecretStoreError         the OS keyring is missing, locked or refuses the secret
 +-- TransportError           nothing usable came back over the wire
 |    +-- TlsError            certificate not trusted / TLS handshake failed
 |    +-- RequestTimeoutError connect or read timeout
 |    +-- ConnectError        DNS failure, refused, reset
 |    +-- BadResponseError    HTML page, ``response_error:`` text, truncated or empty body, HTTP 5xx
 |    |    +-- PagingError     a paged query that does not advance (same page again, more pages than announced)
 |    +-- RedirectError       a 3xx answer to an API call (never followed: it could carry secrets elsewhere)
 +-- RemoteError              the service answered with a business error
 |    +-- FxiaokeError        ``code``, ``trace_id``
 |    |    +-- FxiaokeAuthError, FxiaokeQuotaError, FxiaokeRateLimitError
 |    +-- K3CloudError        ``msg_code``, ``errors`` (field, message, dindex)
 |         +-- K3CloudAuthError
 +-- OutcomeUnknownError      a write may or may not have landed (carries the idempotency keys)
 +-- MappingError             a mapping or a record cannot be turned into a payload
 +-- PreflightError           referenced base data is missing in K3Cloud
 +-- SyncBusyError            another sync of the same profile is running

``AuthFailure`` is a marker mixed into the authentication errors: the CLI maps it, and
``TransportError``, to exit code 3.

An exception is for raising; once caught, an error travels as an ``ErrorInfo`` value (``exc.info()``): the sync
items carry it, the journal stores it (``to_json``/``from_json``), the GUI shows one language of it and the CLI prints
it. The ``"中文 | English"`` one-line form exists only in the CLI's printer (``core/commands/output.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class Text:
    """A message in Chinese and English."""

    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}" if self.zh != self.en else self.zh

    def format(self, **kw: Any) -> Text:
        return Text(self.zh.format(**kw), self.en.format(**kw))

    def pick(self, lang: str) -> str:
        """One language: ``zh``/``zh_CN`` gives Chinese, anything else English."""
        return self.zh if lang.startswith("zh") else self.en

    def to_json(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}

    @classmethod
    def from_json(cls, data: Any) -> Text:
        """A stored text: ``{"zh", "en"}``, or a plain string (rows of older versions) kept whole in both."""
        if isinstance(data, dict):
            return cls(str(data.get("zh") or ""), str(data.get("en") or data.get("zh") or ""))
        return cls(str(data or ""), str(data or ""))


EMPTY = Text("", "")


@dataclass(frozen=True)
class ErrorInfo:
    """An error as a value, from where it is caught to the journal, the CLI's JSON and the GUI.

    Args:
        code: the remote or local error code (``"30003"``, ``"missing_base_data"`` ...), or None.
        side: ``fxiaoke``, ``k3cloud``, ``mapping`` or ``local``.
        message: what happened; advice: what to do (both bilingual).
        details: machine-readable particulars (``missing`` base data, ``field``, ``trace_id``, ``msg_code``,
            ``diff`` ...) for grouping and display; plain JSON values only.
        retryable: whether trying again later may succeed without anybody changing anything.
    """

    code: str | None
    side: str
    message: Text
    advice: Text = EMPTY
    details: dict[str, Any] = field(default_factory=dict, compare=False)
    retryable: bool = False

    def text(self, lang: str = "zh") -> str:
        """One language: message then advice, as two sentences."""
        lang = "zh" if lang.startswith("zh") else "en"
        return join_sentences(self.message.pick(lang), self.advice.pick(lang), lang)

    def with_(self, **changes: Any) -> ErrorInfo:
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        """The stored form (one JSON document in the journal)."""
        return {"code": self.code, "side": self.side, "message": self.message.to_json(),
                "advice": self.advice.to_json(), "details": dict(self.details), "retryable": self.retryable}

    @classmethod
    def from_json(cls, data: Any) -> ErrorInfo | None:
        """The value back from its stored form; rows of older versions (``message`` one string) read too."""
        if not isinstance(data, dict):
            return None
        code = data.get("code")
        details = data.get("details")
        return cls(None if code is None else str(code), str(data.get("side") or "local"),
                   Text.from_json(data.get("message")), Text.from_json(data.get("advice") or ""),
                   details if isinstance(details, dict) else {}, bool(data.get("retryable")))


class Fxk3Error(Exception):
    """Base of every error the product raises on purpose.

    Args:
        message: what happened (bilingual).
        advice: what to do about it (bilingual), may be empty.
        code: the remote or local error code as a string, if any.
        side: ``fxiaoke``, ``k3cloud``, ``mapping`` or ``local``.
        exchange: the redacted ``core.http.ExchangeRecord`` it came from, if any.
        field: the setting or payload field at fault, if known.
        retryable: whether trying again later may succeed.
    """

    side = "local"

    def __init__(
        self,
        message: Text,
        advice: Text | None = None,
        *,
        code: str | int | None = None,
        side: str | None = None,
        exchange: Any = None,
        field: str | None = None,
        retryable: bool = False,
        raw: str | None = None,
    ) -> None:
        self.message = message
        self.advice = advice or Text("", "")
        self.code = None if code is None else str(code)
        if side is not None:
            self.side = side
        self.exchange = exchange
        self.field = field
        self.retryable = retryable
        self.raw = raw
        super().__init__(self.user_message)

    @property
    def user_message(self) -> str:
        """Both languages, message then advice; what a finance clerk reads."""
        parts = [self.message.zh]
        if self.advice.zh:
            parts.append(self.advice.zh)
        parts.append(self.message.en)
        if self.advice.en:
            parts.append(self.advice.en)
        return "\n".join(p for p in parts if p)

    def text(self, lang: str = "zh") -> str:
        """One language only: message plus advice."""
        return self.info().text(lang)

    def details(self) -> dict[str, Any]:
        """Machine-readable particulars of this error (subclasses add theirs)."""
        return {"field": self.field} if self.field else {}

    def info(self) -> ErrorInfo:
        """This error as a value (what items carry and the journal stores)."""
        return ErrorInfo(self.code, self.side, self.message, self.advice, self.details(), self.retryable)

    @classmethod
    def raising(cls, info: ErrorInfo) -> Fxk3Error:
        """An exception to raise for an error value (e.g. one record of a one-record action failed)."""
        return cls(info.message, info.advice, code=info.code, side=info.side, retryable=info.retryable)


_ENDS = ("。", "！", "？", "；", ".", "!", "?", ";", "：", ":", "）", ")")


def join_sentences(first: str, second: str, lang: str = "zh") -> str:
    """Joins a message and its advice so they read as two sentences in either language."""
    first, second = first.strip(), second.strip()
    if not first or not second:
        return first or second
    if not first.endswith(_ENDS):
        first += "。" if lang == "zh" else "."
    return first + ("" if lang == "zh" else " ") + second


class AuthFailure:
    """Marker: credentials were refused (CLI exit code 3)."""


class ConfigError(Fxk3Error):
    pass


class SecretStoreError(Fxk3Error):
    pass


class TransportError(Fxk3Error):
    def __init__(self, message: Text, advice: Text | None = None, *, sent: bool = False, **kw: Any) -> None:
        #: True when the request may have reached the server (write outcome unknown).
        self.sent = sent
        kw.setdefault("retryable", True)
        super().__init__(message, advice, **kw)


class TlsError(TransportError):
    pass


class RequestTimeoutError(TransportError):
    pass


class ConnectError(TransportError):
    pass


class BadResponseError(TransportError):
    pass


class PagingError(BadResponseError):
    """A paged query whose pages do not advance; reading on would never end."""


class RedirectError(TransportError):
    """The server answered an API call with a redirect; ``field`` names the URL setting."""


class RemoteError(Fxk3Error):
    pass


class FxiaokeError(RemoteError):
    side = "fxiaoke"

    def __init__(self, message: Text, advice: Text | None = None, *, trace_id: str | None = None, **kw: Any) -> None:
        self.trace_id = trace_id
        super().__init__(message, advice, **kw)

    def details(self) -> dict[str, Any]:
        return {**super().details(), **({"trace_id": self.trace_id} if self.trace_id else {})}


class FxiaokeAuthError(FxiaokeError, AuthFailure):
    pass


class FxiaokeQuotaError(FxiaokeError):
    pass


class FxiaokeRateLimitError(FxiaokeError):
    pass


@dataclass(frozen=True)
class RowError:
    """One error row of a K3Cloud ResponseStatus."""

    field: str | None
    message: str
    dindex: int = 0


class K3CloudError(RemoteError):
    side = "k3cloud"

    def __init__(
        self, message: Text, advice: Text | None = None, *, msg_code: int | None = None,
        errors: list[RowError] | None = None, **kw: Any,
    ) -> None:
        self.msg_code = msg_code
        self.errors = list(errors or [])
        kw.setdefault("code", msg_code)
        super().__init__(message, advice, **kw)

    def details(self) -> dict[str, Any]:
        out = super().details()
        if self.msg_code is not None:
            out["msg_code"] = self.msg_code
        if self.errors:
            out["errors"] = [{"field": e.field, "message": e.message, "dindex": e.dindex} for e in self.errors]
        return out


class K3CloudAuthError(K3CloudError, AuthFailure):
    pass


class OutcomeUnknownError(Fxk3Error):
    """A write was sent but no answer came back: ask K3Cloud by key before doing anything else."""

    side = "k3cloud"

    def __init__(self, message: Text, advice: Text | None = None, *, idem_keys: list[str] | None = None,
                 **kw: Any) -> None:
        self.idem_keys = list(idem_keys or [])
        super().__init__(message, advice, **kw)


class MappingError(Fxk3Error):
    side = "mapping"

    def __init__(self, message: Text, advice: Text | None = None, *, row: int | None = None, **kw: Any) -> None:
        self.row = row
        super().__init__(message, advice, **kw)

    def details(self) -> dict[str, Any]:
        return {**super().details(), **({"row": self.row} if self.row is not None else {})}


@dataclass(frozen=True)
class MissingRef:
    """A base-data number a payload references that K3Cloud cannot use: ``reason`` is ``missing`` (no such number),
    ``forbidden`` (禁用), ``unaudited`` (未审核) or ``not_allocated`` (not allocated to ``org``)."""

    kind: str  # customer, material, unit, org, currency ...
    number: str
    form_id: str = ""
    reason: str = "missing"
    org: str = ""


class PreflightError(Fxk3Error):
    side = "k3cloud"

    def __init__(self, message: Text, advice: Text | None = None, *, missing: list[MissingRef] | None = None,
                 **kw: Any) -> None:
        self.missing = list(missing or [])
        super().__init__(message, advice, **kw)

    def details(self) -> dict[str, Any]:
        return {**super().details(),
                "missing": [{"kind": m.kind, "number": m.number, "form_id": m.form_id, "reason": m.reason,
                             "org": m.org} for m in self.missing]}


class SyncBusyError(Fxk3Error):
    pass


def is_connection_or_auth(exc: BaseException) -> bool:
    """Errors that mean the service could not be used at all (CLI exit code 3).

    Connection and TLS failures, refused credentials, and Fxiaoke refusing the company's calls (30002/30003: no
    OpenAPI package or the daily quota is used up). A missing or locked keyring is a set-up problem of this
    computer, so it is exit code 2 like other configuration errors.
    """
    return isinstance(exc, (TransportError, AuthFailure, FxiaokeQuotaError))


def is_service_error(exc: BaseException) -> bool:
    """What the CLI reports with exit code 3 when nothing was written: the service could not be used
    (``is_connection_or_auth``) or a server answered with an error (issue 12: "exit 3 before writing, 1 after")."""
    return is_connection_or_auth(exc) or isinstance(exc, (RemoteError, OutcomeUnknownError))
