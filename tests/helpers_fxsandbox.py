"""A hand-written Fxiaoke client and a fake clock for the Fxiaoke simulator's own tests (no core.fxiaoke)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests

from core.sandbox.base import SandboxServer
from core.sandbox.demo_data import build_demo
from core.sandbox.sandbox import demo_credentials, make_fxiaoke_app

TOKEN = "cgi/corpAccessToken/get/V2"
QUERY = "cgi/crm/v2/data/query"
CRM = "cgi/crm/v2/data/"


class Clock:
    """Epoch seconds that move only when a test says so."""

    def __init__(self) -> None:
        self.now = 1_790_000_000.0

    def __call__(self) -> float:
        return self.now


class Fx:
    """A minimal hand-written client, so these tests do not depend on core.fxiaoke."""

    def __init__(self, server: SandboxServer, creds: Any, admin: str, session: requests.Session) -> None:
        self.url, self.creds, self.user, self.s = server.url, creds, admin, session
        self.token: dict[str, str] = {}
        self.demo: Any = None  # the DemoData and FxiaokeApp behind the server, when a fixture sets them
        self.app: Any = None

    def raw(self, path: str, body: Any = None, *, data: bytes | None = None) -> dict[str, Any]:
        r = self.s.post(self.url + path, json=body, data=data, timeout=10)
        assert r.status_code == 200, r.text  # business errors are HTTP 200 too
        assert "Traceback" not in r.text
        return r.json()

    def get_token(self, **override: str) -> dict[str, Any]:
        body = {"appId": self.creds.fx_app_id, "appSecret": self.creds.fx_app_secret,
                "permanentCode": self.creds.fx_permanent_code, **override}
        return self.raw(TOKEN, body)

    def login(self) -> None:
        t = self.get_token()
        assert t["errorCode"] == 0, t
        self.token = {"corpAccessToken": t["corpAccessToken"], "corpId": t["corpId"]}

    def call(self, path: str, data: Any = None, **top: Any) -> dict[str, Any]:
        body = {**self.token, "currentOpenUserId": self.user, **top}
        if data is not None:
            body["data"] = data
        return self.raw(path, body)

    def query(self, api: str = "AccountObj", **sqi: Any) -> dict[str, Any]:
        return self.call(QUERY, {"dataObjectApiName": api, "search_query_info": sqi})

    def admin(self, action: str, payload: dict | None = None) -> dict[str, Any]:
        r = self.s.post(self.url + "__sandbox__/admin/" + action, json=payload or {}, timeout=30)
        assert r.status_code == 200, r.text
        return r.json()

    def create(self, obj: dict[str, Any], details: dict[str, Any] | None = None, **top: Any) -> dict[str, Any]:
        data: dict[str, Any] = {"object_data": obj}
        if details is not None:
            data["details"] = details
        return self.call(CRM + "create", data, **top)

    def update(self, obj: dict[str, Any]) -> dict[str, Any]:
        return self.call(CRM + "update", {"object_data": obj})

    def get(self, api: str, data_id: str) -> dict[str, Any]:
        return self.call(CRM + "get", {"dataObjectApiName": api, "objectDataId": data_id})

    def invalid(self, api: str, data_id: str) -> dict[str, Any]:
        return self.call(CRM + "invalid", {"dataObjectApiName": api, "object_data_id": data_id})

    def delete(self, api: str, ids: Any) -> dict[str, Any]:
        return self.call(CRM + "delete", {"dataObjectApiName": api, "idList": ids})

    def recover(self, api: str, ids: Any) -> dict[str, Any]:
        return self.call(CRM + "recover", {"dataObjectApiName": api, "idList": ids})

    def rows(self, api: str, *filters: tuple[str, str, list[Any]], **sqi: Any) -> list[dict[str, Any]]:
        """Every row matching the AND-ed ``(field, operator, values)`` filters (up to 100)."""
        res = self.query(api, limit=100, filters=[{"field_name": f, "operator": op, "field_values": v}
                                                  for f, op, v in filters], **sqi)
        assert res["errorCode"] == 0, res
        return res["data"]["dataList"]

    def admin_status(self, action: str, payload: dict | None = None) -> tuple[int, dict[str, Any]]:
        """An admin action that may be refused: (HTTP status, JSON)."""
        r = self.s.post(self.url + "__sandbox__/admin/" + action, json=payload or {}, timeout=30)
        return r.status_code, r.json()


@contextmanager
def fx_sim(clock: Clock, seed: int = 5, **sizes: int) -> Iterator[Fx]:
    """A logged-in client of a Fxiaoke simulator on loopback with a small demo company (``build_demo`` sizes)."""
    demo = build_demo(seed, **{"customers": 12, "orders": 20, "products": 8, "employees": 3, **sizes},
                      now_ms=int(clock.now * 1000))
    creds = demo_credentials(seed)
    app = make_fxiaoke_app(demo, creds, clock)
    with SandboxServer(app) as srv, requests.Session() as s:
        fx = Fx(srv, creds, demo.admin["openUserId"], s)
        fx.demo, fx.app = demo, app
        fx.login()
        yield fx
