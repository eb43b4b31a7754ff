"""Test helpers for the Fxiaoke client: a loopback Fxiaoke simulator with small demo data, a profile, a client."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from core.fxiaoke.client import FxiaokeClient, RatePolicy
from core.fxiaoke.pacing import Pacer, PacingConfig
from core.fxiaoke.tokens import TokenCache
from core.http import ExchangeRecord
from core.profiles import Profile, ProfileSecrets
from core.sandbox.base import SandboxServer
from core.sandbox.demo_data import build_demo
from core.sandbox.fxiaoke_app import FxiaokeApp

APP_ID = "FSAID_131f2a7"
APP_SECRET = "0f6c4b1e9a7d4c3b8e2f1a0d9c8b7a6e"
PERMANENT_CODE = "8E1D7C6B5A4F3E2D1C0B9A8F7E6D5C4B"
CORP_ID = "FSCID_5B1A9C0D2E3F4A5B6C7D8E9F0A1B2C3D"
FAST_RATE = RatePolicy(retries=4, base_s=0.05, cap_s=0.5)


@dataclass
class FxEnv:
    app: FxiaokeApp
    server: SandboxServer
    profile: Profile
    secrets: ProfileSecrets
    records: list[ExchangeRecord] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.server.url

    def knobs(self, **kw: Any) -> None:
        self.app.admin("knobs", kw)

    def token_calls(self) -> int:
        return self.app.admin("token_calls", {})["count"]

    def client(self, *, pacing: PacingConfig | None = None, token_cache: TokenCache | None = None,
               rate_policy: RatePolicy | None = FAST_RATE, **kw: Any) -> FxiaokeClient:
        """A client recording into ``records``, with its own pacer (no state shared between tests)."""
        return FxiaokeClient(
            kw.pop("profile", self.profile), kw.pop("secrets", self.secrets), sinks=[self.records.append],
            token_cache=token_cache or TokenCache(), pacer=Pacer(pacing or PacingConfig(calls=10_000)),
            rate_policy=rate_policy, **kw,
        )

    def calls_to(self, fragment: str) -> list[ExchangeRecord]:
        return [r for r in self.records if fragment in r.endpoint]

    def request(self, record: ExchangeRecord) -> dict[str, Any]:
        return json.loads(record.request_body)


@contextmanager
def fx_sandbox(*, customers: int = 30, orders: int = 20, products: int = 10, clock: Any = None,
               tls: tuple[str, str] | None = None, **profile_kw: Any) -> Iterator[FxEnv]:
    """A Fxiaoke simulator on loopback (rate limit off unless a test turns it on) and a matching profile."""
    demo = build_demo(1, customers=customers, orders=orders, products=products, employees=3,
                      now_ms=1_780_000_000_000)
    kw = {"clock": clock} if clock is not None else {}
    app = FxiaokeApp(app_id=APP_ID, app_secret=APP_SECRET, permanent_code=PERMANENT_CODE, corp_id=CORP_ID,
                     employees=demo.employees, objects=demo.objects, **kw)
    app.admin("knobs", {"rate_limit_on": False})
    with SandboxServer(app, tls=tls) as srv:
        settings = {"fx_open_user_id": demo.admin["openUserId"], **profile_kw}
        profile = Profile(name="fxtest", fx_url=srv.url, fx_app_id=APP_ID, k3_url="http://127.0.0.1:9/K3Cloud/",
                          k3_acct_id="1", k3_user="u", **settings)
        secrets = ProfileSecrets(fx_app_secret=APP_SECRET, fx_permanent_code=PERMANENT_CODE)
        yield FxEnv(app, srv, profile, secrets)


def admin_mobile(env: FxEnv) -> str:
    return next(e["mobile"] for e in env.app.employees.values() if e.get("isAdmin"))
