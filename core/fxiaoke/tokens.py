"""The corpAccessToken cache: re-used until 6600 s after issue, single-flight refresh, persisted in the keyring."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from core.errors import SecretStoreError

#: The server hands out the same token for 6600 s after issue, then a new one; a token lives 7200 s.
REUSE_S = 6600.0
LIFETIME_S = 7200.0
SECRET_KEY = "fx-token"

# Process-wide single flight per app: two clients of one profile never fetch at the same moment.
_FLIGHT_LOCKS: dict[str, threading.Lock] = {}
_FLIGHT_GUARD = threading.Lock()


def _flight_lock(key: str) -> threading.Lock:
    with _FLIGHT_GUARD:
        return _FLIGHT_LOCKS.setdefault(key, threading.Lock())


def fingerprint(base_url: str, app_id: str, permanent_code: str) -> str:
    """The cache key of an app's tokens; a hash, so the permanent code itself is never stored with the token."""
    raw = "\x00".join((base_url.rstrip("/"), app_id, permanent_code)).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()[:32]


@dataclass(frozen=True)
class Token:
    """A corpAccessToken with the company it belongs to; times are epoch seconds."""

    value: str
    corp_id: str
    issued_at: float
    use_until: float
    key: str = ""

    def usable(self, now: float) -> bool:
        return now < self.use_until


#: fetch() -> (corpAccessToken, corpId, expiresIn seconds)
Fetch = Callable[[], tuple[str, str, float]]


class TokenCache:
    """Keeps one token per app (base URL + appId + permanentCode) and refreshes it at most once at a time.

    Args:
        store: a ``core.secrets.SecretStore`` to persist the token in (key ``fx-token``), or None (memory only).
        profile: the profile name the token is stored under.
        clock: epoch seconds (injectable for tests).
    """

    def __init__(self, store: Any = None, profile: str | None = None, *,
                 clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.profile = profile
        self.clock = clock
        self._mem: dict[str, Token] = {}
        self._lock = threading.Lock()
        #: how many times this cache called ``fetch`` (tests, log pane)
        self.fetches = 0

    def get(self, key: str, fetch: Fetch, *, force: bool = False) -> Token:
        """A usable token for ``key``; calls ``fetch`` only when none is cached (or ``force``)."""
        if not force:
            tok = self._peek(key)
            if tok is not None:
                return tok
        with _flight_lock(key):
            if not force:
                tok = self._peek(key) or self._load(key)
                if tok is not None:
                    with self._lock:
                        self._mem[key] = tok
                    return tok
            value, corp_id, expires_in = fetch()
            self.fetches += 1
            tok = self._make(key, value, corp_id, expires_in)
            with self._lock:
                self._mem[key] = tok
            self._save(tok)
            return tok

    def invalidate(self, key: str, value: str | None = None) -> None:
        """Drops the cached token of ``key`` (only if it is still ``value``: a concurrent refresh is kept)."""
        with self._lock:
            tok = self._mem.get(key)
            if tok is not None and (value is None or tok.value == value):
                del self._mem[key]
        stored = self._load(key, check_time=False)
        if stored is not None and (value is None or stored.value == value):
            self._delete()

    def _peek(self, key: str) -> Token | None:
        with self._lock:
            tok = self._mem.get(key)
        return tok if tok is not None and tok.usable(self.clock()) else None

    def _make(self, key: str, value: str, corp_id: str, expires_in: float) -> Token:
        now = self.clock()
        if not expires_in > 0:
            # The server says the token has no time left: use it for the call at hand, never again from the cache.
            return Token(value, str(corp_id), now - LIFETIME_S, now, key)
        life = min(float(expires_in), LIFETIME_S)
        issued = now - (LIFETIME_S - life)  # the server may hand out a token it issued earlier
        # Re-use until 6600 s after issue, and never past its own end (keep 30 s for the call in flight).
        use_until = min(issued + REUSE_S, now + max(life - 30.0, life / 2))
        return Token(value, str(corp_id), issued, use_until, key)

    # -- persistence: a failing keyring only costs an extra token call, never the sync --------------------------
    def _load(self, key: str, *, check_time: bool = True) -> Token | None:
        if self.store is None or not self.profile:
            return None
        try:
            raw = self.store.get(self.profile, SECRET_KEY)
        except SecretStoreError:
            return None
        try:
            data = json.loads(raw) if raw else None
            tok = Token(**data) if isinstance(data, dict) else None
        except (TypeError, ValueError):
            return None
        if tok is None or tok.key != key or (check_time and not tok.usable(self.clock())):
            return None
        return tok

    def _save(self, tok: Token) -> None:
        if self.store is None or not self.profile or not tok.usable(self.clock()):
            return
        try:
            self.store.set(self.profile, SECRET_KEY, json.dumps(asdict(tok)))
        except SecretStoreError:
            pass

    def _delete(self) -> None:
        if self.store is None or not self.profile:
            return
        try:
            self.store.delete(self.profile, SECRET_KEY)
        except SecretStoreError:
            pass
