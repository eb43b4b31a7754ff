"""Secret scans: every token and session id the simulators issue, and a search of written files for any secret.

``Issued`` records session material from the simulators' answers before they leave: Fxiaoke ``corpAccessToken``,
K3Cloud ``KDSVCSessionId``, ``Context.SessionId``, ``Context.UserToken`` and the other §2.2 login fields, and the
session cookies. Suites register the homes they let the product write to (``register_home``) and the secrets in
play (``register_secrets`` / ``watch``); ``scan()`` then searches every file under those homes for every one of them,
in UTF-8 and UTF-16 (the session-end fixtures of tests/hostile and tests/chaos call it).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from core.sandbox.base import Request, Response

_SID = re.compile(r"(?:kdservice-sessionid|ASP\.NET_SessionId)=([^;,\s]+)", re.IGNORECASE)
#: Keys of the K3Cloud login answer (reference k3cloud-webapi.md §2.2) and the Fxiaoke token answer holding
#: session material, at the top level or in ``Context``.
SESSION_KEYS = ("corpAccessToken", "KDSVCSessionId", "AccessToken", "KdAccessResult", "SessionId", "UserToken")


def session_values(body: Any) -> set[str]:
    """The session material of one answer body (top level and ``Context``)."""
    found: set[str] = set()
    if not isinstance(body, dict):
        return found
    for where in (body, body.get("Context") if isinstance(body.get("Context"), dict) else {}):
        for key in SESSION_KEYS:
            value = where.get(key)
            if isinstance(value, str) and len(value) >= 6:
                found.add(value)
            elif isinstance(value, dict):
                found |= {v for v in value.values() if isinstance(v, str) and len(v) >= 6}
    return found


class Issued:
    """Every token and session id the simulators hand out, read from their answers before they leave."""

    def __init__(self) -> None:
        self.values: set[str] = set()
        self.user_tokens: set[str] = set()
        self._lock = threading.Lock()

    def watch(self, app: Any) -> None:
        handle = app.handle

        def recording(req: Request) -> Response:
            resp = handle(req)
            found = set(_SID.findall(" ".join(v for k, v in resp.headers if k.lower() == "set-cookie")))
            try:
                body = json.loads(resp.body or b"null")
            except ValueError:
                body = None
            found |= session_values(body)
            token = (body.get("Context") or {}).get("UserToken") if isinstance(body, dict) and isinstance(
                body.get("Context"), dict) else None
            with self._lock:
                self.values |= found
                if isinstance(token, str):
                    self.user_tokens.add(token)
            return resp

        app.handle = recording


def leaks(secrets: Iterable[str], blobs: dict[str, str | bytes]) -> list[tuple[str, str]]:
    """(where, first characters) of every secret found in any blob, as UTF-8 or UTF-16 text."""
    found = []
    secrets = [s for s in secrets if s]
    for where, blob in blobs.items():
        data = blob if isinstance(blob, bytes) else blob.encode("utf-8")
        for s in secrets:
            if s.encode("utf-8") in data or s.encode("utf-16-le") in data:
                found.append((where, s[:4] + "…"))
    return found


# -- the session-end scan -----------------------------------------------------------------------------------------
_HOMES: list[Path] = []
_SECRETS: set[str] = set()
_ISSUED: list[Issued] = []
_GUARD = threading.Lock()


def register_home(*paths: Path) -> None:
    """Folders the product wrote to (a home; never a keyring file, which holds secrets by design)."""
    with _GUARD:
        _HOMES.extend(Path(p) for p in paths if Path(p).suffix != ".json")


def register_secrets(values: Iterable[str]) -> None:
    with _GUARD:
        _SECRETS.update(v for v in values if v and len(v) >= 6)


def watch(sb: Any) -> Issued:
    """Records what the sandbox issues and registers it, with the sandbox's credentials, for the scan."""
    issued = Issued()
    issued.watch(sb.fx_app)
    issued.watch(sb.k3_app)
    c = sb.credentials()
    register_secrets([c["fxiaoke"]["app_secret"], c["fxiaoke"]["permanent_code"], c["k3cloud"]["password"],
                      c["k3cloud"]["app_secret"]])
    with _GUARD:
        _ISSUED.append(issued)
    return issued


def scan() -> tuple[int, int, list[tuple[str, str]]]:
    """(files read, secrets searched, leaks) over every registered home."""
    with _GUARD:
        homes, secrets = list(_HOMES), set(_SECRETS)
        for issued in _ISSUED:
            secrets |= issued.values
    files = {str(p): p.read_bytes() for home in homes if home.exists() for p in home.rglob("*") if p.is_file()}
    return len(files), len(secrets), leaks(secrets, files)
