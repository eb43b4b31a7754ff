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
"""

from __future__ import annotations

from dataclasses import dataclass
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
        return join_sentences(getattr(self.message, lang), getattr(self.advice, lang), lang)

    def to_dict(self) -> dict[str, Any]:
        """The ``error`` object of the CLI's JSON output."""
        return {"side": self.side, "code": self.code, "message": self.text("zh") + " | " + self.text("en")}


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


class K3CloudAuthError(K3CloudError, AuthFailure):
    pass


class OutcomeUnknownError(Fxk3Error):
    """A write was sent but no answer came back: ask K3Cloud by key before doing anything else."""

    side = "k3cloud"

    def __init__(self, message: Text, advice: Text | None = None, *, idem_keys: list[str] | None = None, **kw: Any) -> None:
        self.idem_keys = list(idem_keys or [])
        super().__init__(message, advice, **kw)


class MappingError(Fxk3Error):
    side = "mapping"

    def __init__(self, message: Text, advice: Text | None = None, *, row: int | None = None, **kw: Any) -> None:
        self.row = row
        super().__init__(message, advice, **kw)


@dataclass(frozen=True)
class MissingRef:
    """A base-data number a payload references that K3Cloud does not have."""

    kind: str  # customer, material, unit, org, currency ...
    number: str
    form_id: str = ""


class PreflightError(Fxk3Error):
    side = "k3cloud"

    def __init__(self, message: Text, advice: Text | None = None, *, missing: list[MissingRef] | None = None, **kw: Any) -> None:
        self.missing = list(missing or [])
        super().__init__(message, advice, **kw)


class SyncBusyError(Fxk3Error):
    pass


def is_connection_or_auth(exc: BaseException) -> bool:
    """Errors that mean the service could not be used at all (CLI exit code 3).

    Connection and TLS failures, refused credentials, and Fxiaoke refusing the company's calls (30002/30003: no
    OpenAPI package or the daily quota is used up). A missing or locked keyring is a set-up problem of this
    computer, so it is exit code 2 like other configuration errors.
    """
    return isinstance(exc, (TransportError, AuthFailure, FxiaokeQuotaError))
