"""Test helpers for the K3Cloud client: profiles for the sandbox, a recording sink, a canned-answer server."""

from __future__ import annotations

import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from core.http import ExchangeRecord
from core.profiles import Profile, ProfileSecrets


def k3_profile(creds: dict[str, Any], mode: str = "password", **changes: Any) -> tuple[Profile, ProfileSecrets]:
    """A profile and its secrets for the sandbox's K3Cloud credentials (``creds`` = credentials()["k3cloud"])."""
    profile = Profile(
        name="k3test", fx_app_id="FSAID_test", fx_open_user_id="FSUID_test", k3_url=creds["url"],
        k3_acct_id=creds["acct_id"], k3_user=creds["username"], k3_lcid=int(creds.get("lcid", 2052)), k3_auth=mode,
        k3_app_id=creds["app_id"] if mode != "password" else None, k3_org=str(creds.get("org", "100")),
        connect_timeout=5.0, read_timeout=10.0,
    )
    secrets = ProfileSecrets(k3_password=creds["password"], k3_app_secret=creds["app_secret"])
    profile_changes = {k: v for k, v in changes.items() if hasattr(profile, k)}
    secret_changes = {k: v for k, v in changes.items() if hasattr(secrets, k)}
    return replace(profile, **profile_changes), replace(secrets, **secret_changes)


class Recorder:
    """A sink keeping every exchange record."""

    def __init__(self) -> None:
        self.records: list[ExchangeRecord] = []
        self._lock = threading.Lock()

    def __call__(self, record: ExchangeRecord) -> None:
        with self._lock:
            self.records.append(record)

    def endpoints(self, contains: str) -> list[ExchangeRecord]:
        return [r for r in self.records if contains.lower() in r.endpoint.lower()]

    def dump(self) -> str:
        """Everything a sink saw, as one string (to search for leaked secrets)."""
        return "\n".join(
            f"{r.url} {r.request_body} {r.response_body} {r.request_headers} {r.error}" for r in self.records)


class CannedServer:
    """A loopback HTTP server giving fixed raw answers per path fragment (malformed-body tests).

    ``answer(fragment, body, status)`` sets the answer for paths containing ``fragment`` ("" = every other path);
    ``truncate=True`` announces the full length but sends half the body and closes (connection dropped mid-answer).
    """

    LOGIN_OK = '{"LoginResultType":1,"KDSVCSessionId":"canned-session-0001","Message":null}'

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, bytes, str, bool]] = {}
        self.paths: list[str] = []
        self.answer("AuthService.ValidateUser", self.LOGIN_OK)
        self.answer("", "[]")
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 - stdlib name
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.paths.append(self.path)
                status, body, ctype, truncate = outer.route(self.path)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2] if truncate else body)
                if truncate:
                    self.close_connection = True

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/K3Cloud/"

    def answer(self, fragment: str, body: str | bytes, status: int = 200, *, truncate: bool = False,
               content_type: str = "application/json; charset=utf-8") -> None:
        raw = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[fragment] = (status, raw, content_type, truncate)

    def route(self, path: str) -> tuple[int, bytes, str, bool]:
        for fragment, answer in self.routes.items():
            if fragment and fragment.lower() in path.lower():
                return answer
        return self.routes[""]

    def __enter__(self) -> CannedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)
