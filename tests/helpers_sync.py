"""Test helpers for the sync engine: a small sandbox, a profile on it, counting what K3Cloud holds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import fields
from pathlib import Path
from typing import Any

from core.profiles import Profile, ProfileRepo, ProfileSecrets
from core.secrets import MemorySecretStore
from core.store import Database
from core.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
PROFILE = "demo"


def profile_for(sb: Any, name: str = PROFILE, **overrides: Any) -> tuple[Profile, ProfileSecrets]:
    """A password-login profile on the running sandbox, and its secrets."""
    c = sb.credentials()
    fx, k3 = c["fxiaoke"], c["k3cloud"]
    settings = dict(name=name, fx_url=fx["url"], fx_app_id=fx["app_id"], fx_open_user_id=fx["open_user_id"],
                    k3_url=k3["url"], k3_acct_id=k3["acct_id"], k3_user=k3["username"], k3_lcid=k3["lcid"],
                    k3_org=k3["org"], connect_timeout=5.0, read_timeout=5.0, writeback=False)
    settings.update(overrides)
    secrets = ProfileSecrets(fx_app_secret=fx["app_secret"], fx_permanent_code=fx["permanent_code"],
                             k3_password=k3["password"])
    return Profile(**settings), secrets


def add_profile(db: Database, profile: Profile) -> int:
    repo = ProfileRepo(db, MemorySecretStore())
    repo.add(profile)
    return repo.profile_id(profile.name)


def workspace(db: Database, profile: Profile, secrets: ProfileSecrets, *, sinks: Any = (),
              lock_wait: float = 0.3) -> Workspace:
    """The application service on ``profile`` (added to ``db`` if needed), its secrets in a memory store."""
    store = MemorySecretStore()
    repo = ProfileRepo(db, store)
    if profile.name not in {p.name for p in repo.list()}:
        repo.add(profile)
    else:
        repo.update(profile)  # the settings the test gives now
    for f in fields(secrets):
        value = getattr(secrets, f.name)
        if value:
            store.set(profile.name, f.name.replace("_", "-"), value)
    return Workspace(db, store, profile.name, sinks=sinks, lock_wait=lock_wait)


def k3_records(sb: Any, form_id: str) -> list[dict[str, Any]]:
    return sb.k3_app.admin("records", {"form_id": form_id})["records"]


def k3_number_counts(sb: Any, form_id: str, key: str) -> Counter:
    return Counter(str(r.get(key)) for r in k3_records(sb, form_id))


def fx_records(sb: Any, api_name: str) -> list[dict[str, Any]]:
    return sb.fx_app.admin("records", {"api_name": api_name})["records"]


def ids_of(orders: list[dict[str, Any]]) -> str:
    """The ``--ids`` argument for these records."""
    return ",".join(o["_id"] for o in orders)


def live_orders(sb: Any, limit: int | None = None) -> list[dict[str, Any]]:
    """Approved orders (life_status normal): what a sync with the approval gate on creates."""
    rows = [r for r in fx_records(sb, "SalesOrderObj") if r.get("life_status") == "normal"]
    rows.sort(key=lambda r: r["_id"])
    return rows[:limit] if limit else rows


def exchange_endpoints(home: Path) -> list[tuple[str, str]]:
    """(side, endpoint) of every exchange the product recorded in the home's database."""
    db = Database(home / "fxk3sync.db")
    try:
        with db.session() as s:
            from core.store import Exchange

            return [(r.side, r.endpoint) for r in s.query(Exchange).all()]
    finally:
        db.close()


WRITE_ENDPOINTS = ("save", "batchsave", "submit", "audit", "unaudit", "delete", "data/create", "data/update",
                   "data/invalid", "message/send")


def is_write(endpoint: str) -> bool:
    low = endpoint.lower()
    return any(low.endswith(w) or f".{w}." in low or low.endswith(w + ".common.kdsvc") for w in WRITE_ENDPOINTS)


def cli(env: dict[str, str], *args: str, stdin: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """``python -m core.cli ARGS`` in a subprocess."""
    return subprocess.run([sys.executable, "-m", "core.cli", *args], input=stdin, capture_output=True, text=True,
                          env=env, cwd=str(ROOT), timeout=timeout)


def cli_add_profile(env: dict[str, str], sb: Any, name: str = PROFILE, *, add: bool = True, **settings: Any) -> None:
    """``profile add`` + ``secret set`` through the CLI, then profile settings the CLI has no flags for.

    ``add=False``: the profile is there already (another PC of a shared store): only this PC's secrets are set.
    """
    c = sb.credentials()
    fx, k3 = c["fxiaoke"], c["k3cloud"]
    if add:
        r = cli(env, "profile", "add", name, "--fx-url", fx["url"], "--fx-app-id", fx["app_id"],
                "--fx-open-user-id", fx["open_user_id"], "--k3-url", k3["url"], "--k3-acct-id", k3["acct_id"],
                "--k3-user", k3["username"], "--k3-org", k3["org"])
        assert r.returncode == 0, r.stderr
    for key, value in (("fx-app-secret", fx["app_secret"]), ("fx-permanent-code", fx["permanent_code"]),
                       ("k3-password", k3["password"])):
        r = cli(env, "secret", "set", name, key, stdin=value + "\n")
        assert r.returncode == 0, r.stderr
    if not add:
        return
    settings.setdefault("writeback", False)
    settings.setdefault("read_timeout", 5.0)
    update_profile(Path(env["FXK3SYNC_HOME"]), name, db_url=env.get("FXK3SYNC_DB"), **settings)


def update_profile(home: Path, name: str, *, db_url: str | None = None, **settings: Any) -> None:
    """Changes settings of a stored profile (in ``home``'s database, or the shared store ``db_url``)."""
    db = Database(db_url or home / "fxk3sync.db")
    try:
        repo = ProfileRepo(db, MemorySecretStore())
        p = repo.get(name)
        for k, v in settings.items():
            setattr(p, k, v)
        repo.update(p)
    finally:
        db.close()


def sync_json(env: dict[str, str], *args: str, timeout: float = 120) -> tuple[int, dict[str, Any], str]:
    """Runs ``sync ... --json``; returns (exit code, the JSON object or {}, stderr)."""
    r = cli(env, "sync", *args, "--json", timeout=timeout)
    try:
        data = json.loads(r.stdout) if r.stdout.strip() else {}
    except ValueError:
        data = {"_raw": r.stdout}
    return r.returncode, data, r.stderr


def env_with_home(env: dict[str, str], home: Path) -> dict[str, str]:
    out = dict(env)
    out["FXK3SYNC_HOME"] = str(home)
    os.makedirs(home, exist_ok=True)
    return out


class K3Proxy:
    """A loopback HTTP proxy in front of the K3Cloud sandbox that plays a real server's less common behaviours.

    ``hooks[op]`` (op = ``batchsave``, ``submit``, ``audit`` ...) gets ``(form_id, data)`` and returns either a new
    ``data`` to forward, or ``("answer", body)`` to answer without forwarding. ``after[op]`` runs after a forwarded
    call. A hook may pop itself to act once. While ``down`` is true every connection is closed unanswered (the
    network dropped).
    """

    def __init__(self, sb: Any) -> None:
        import http.server
        import threading
        from urllib.parse import urlsplit

        self.target = urlsplit(sb.k3_url)
        self.hooks: dict[str, Any] = {}
        self.after: dict[str, Any] = {}
        self.down = False
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 - stdlib name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if proxy.down:
                    self.close_connection = True
                    return
                status, headers, out = proxy._handle(self.path, dict(self.headers), body)
                self.send_response(status)
                for k, v in headers:
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{self.target.path}"

    def _handle(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, list, bytes]:
        import http.client

        op = path.rsplit(".", 3)[-3].lower() if path.endswith(".common.kdsvc") else ""
        hook = self.hooks.get(op)
        if hook is not None:
            outer = json.loads(body)
            data = json.loads(outer["data"]) if isinstance(outer.get("data"), str) else outer.get("data")
            got = hook(outer.get("formid"), data)
            if isinstance(got, tuple) and got[0] == "answer":
                return 200, [("Content-Type", "application/json; charset=utf-8")], json.dumps(got[1]).encode()
            outer["data"] = json.dumps(got, ensure_ascii=False)
            body = json.dumps(outer, ensure_ascii=False).encode("utf-8")
        conn = http.client.HTTPConnection(self.target.hostname, self.target.port, timeout=10)
        try:
            keep = {k: v for k, v in headers.items() if k.lower() not in ("host", "content-length", "connection")}
            conn.request("POST", path, body=body, headers=keep)
            resp = conn.getresponse()
            out = resp.read()
            back = [(k, v) for k, v in resp.getheaders()
                    if k.lower() not in ("content-length", "transfer-encoding", "connection")]
            status = resp.status
        finally:
            conn.close()
        if op in self.after:
            self.after[op]()
        return status, back, out

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def refusal(errors: list[tuple[str | None, str, int | None]], msg_code: int) -> tuple[str, dict[str, Any]]:
    """A K3Cloud answer with IsSuccess false: ``errors`` as (FieldName, Message, DIndex or None)."""
    rows = [{"FieldName": f, "Message": m, **({} if d is None else {"DIndex": d})} for f, m, d in errors]
    return "answer", {"Result": {"ResponseStatus": {"ErrorCode": 500, "IsSuccess": False, "Errors": rows,
                                                     "SuccessEntitys": [], "SuccessMessages": [],
                                                     "MsgCode": msg_code}}}


def of(summary: Any, flow: str = "orders") -> Any:
    """The counts of one flow of a run (an order run also reports the customers it pushed first)."""
    from types import SimpleNamespace

    return SimpleNamespace(**summary.counts_of(flow))


def text_of(error: Any) -> str:
    """An item error's message and advice, both languages (what a clerk reads in either)."""
    return f"{error.text('zh')}\n{error.text('en')}"


#: The keys of ``sync --json`` (cli-contract.md) and of each of its items (plus ``flow``: which flow an item is of,
#: and ``diff``: what differed from K3Cloud, of an updated or held item).
SUMMARY_KEYS = {"dry_run", "created", "updated", "voided", "skipped", "held", "failed", "error", "items"}
ITEM_KEYS = {"source_id", "source_number", "flow", "status", "k3_id", "k3_number", "error", "diff"}


def flow_view(out: dict[str, Any], flow: str = "orders") -> dict[str, Any]:
    """The ``sync --json`` object reduced to one flow's items, with that flow's counts."""
    items = [i for i in out.get("items", []) if i.get("flow") == flow]
    counts = Counter(i["status"] for i in items)
    return {**{k: counts.get(k, 0) for k in ("created", "updated", "voided", "skipped", "held", "failed")},
            "items": items}
