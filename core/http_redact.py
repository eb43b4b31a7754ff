"""Redaction of exchange records: secrets masked by key name and by exact value before anything is recorded."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable
from typing import Any

from core.jsonsafe import loads_bounded

REDACTED = "***"
#: Bodies longer than this are masked as text only (never parsed again for the record).
MAX_PARSE_CHARS = 4_000_000
#: Body keys whose values are secrets or session material, compared case-insensitively.
#: The K3Cloud login answer (reference k3cloud-webapi.md §2.2) carries ``KDSVCSessionId``, ``Context.SessionId``,
#: ``Context.UserToken``, ``AccessToken`` and ``KdAccessResult``; all of them are session material.
SECRET_KEYS = frozenset(
    k.lower()
    for k in (
        "appSecret", "app_secret", "appsecret", "permanentCode", "permanent_code", "corpAccessToken",
        "accessToken", "access_token", "refreshToken", "refresh_token", "password", "pwd", "passwd", "sign",
        "signature", "KDSVCSessionId", "SessionId", "kdservice-sessionid", "ASP.NET_SessionId", "AppSec",
        "X-KDApi-AppSec", "UserToken", "KdAccessResult", "token",
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


class Redactor:
    """Removes secrets from bodies and headers: by key name and by exact value (for positional parameters)."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        self._values: set[str] = set()
        self._longest_first: tuple[str, ...] = ()
        self._lock = threading.Lock()
        for v in values:
            self.add(v)

    def add(self, value: str | None) -> None:
        """Registers a secret value (password, token, session id) to be masked wherever it appears."""
        if isinstance(value, str) and len(value) >= 4:
            with self._lock:
                if value not in self._values:
                    self._values.add(value)
                    self._longest_first = tuple(sorted(self._values, key=len, reverse=True))

    def text(self, s: str) -> str:
        """``s`` with every registered secret value and every ``secretKey: value`` pair masked.

        The pair pattern runs only where it could match: a ``:`` or ``=`` and the name of a secret key
        (case-insensitive) must both be in the text. Most strings of a record (names, numbers, amounts) have
        neither, so this skips the costly scan without masking less (issue 15: redaction was ~10 % of the CPU).
        """
        for v in self._longest_first:  # a tuple replaced whole by add(): safe to read without the lock
            if v in s:
                s = s.replace(v, REDACTED)
        if ":" not in s and "=" not in s:
            return s
        low = s.lower()
        if not any(k in low for k in SECRET_KEYS):
            return s
        return _SECRET_PAIR.sub(_mask_pair, s)

    def obj(self, o: Any) -> Any:
        """A parsed JSON value with secrets masked; nested JSON documents inside strings are masked too."""
        if isinstance(o, dict):
            return {k: (REDACTED if str(k).lower() in SECRET_KEYS and v not in (None, "") else self.obj(v))
                    for k, v in o.items()}
        if isinstance(o, list):
            return [self.obj(v) for v in o]
        if isinstance(o, str):
            stripped = o.strip()
            if stripped[:1] in "{[" and len(stripped) < MAX_PARSE_CHARS:
                inner = loads_bounded(stripped)
                if inner is not None:
                    return json.dumps(self.obj(inner), ensure_ascii=False)
            return self.text(o)
        return o

    def body(self, raw: str | bytes | None) -> str:
        if raw is None:
            return ""
        s = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        if self._nothing_to_mask(s):
            return s  # kept as sent: parsing and walking it would change nothing (most bodies of a sync)
        parsed = loads_bounded(s) if len(s) < MAX_PARSE_CHARS else None
        if parsed is None:
            return self.text(s)
        return json.dumps(self.obj(parsed), ensure_ascii=False)

    def _nothing_to_mask(self, s: str) -> bool:
        """Whether ``s`` holds no registered value and no secret key name in any spelling the masks look for.

        ``\\u`` escapes could spell a key name (or a value) invisibly to a substring test: such text always takes
        the full path."""
        if "\\u" in s or any(v in s for v in self._longest_first):
            return False
        low = s.lower()
        return not any(k in low for k in SECRET_KEYS)

    def headers(self, headers: dict[str, str]) -> dict[str, str]:
        return {k: (REDACTED if k.lower() in SECRET_HEADERS else self.text(v)) for k, v in headers.items()}


def _mask_pair(m: re.Match[str]) -> str:
    value = m.group("quoted") if m.group("q") else m.group("value")
    if value in ("", REDACTED):
        return m.group(0)
    return f"{m.group('key')}{m.group('sep')}{m.group('q') or ''}{REDACTED}"
