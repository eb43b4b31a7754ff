"""Both simulators on loopback with the seeded demo company: the product's demo mode and the tests' servers."""

from __future__ import annotations

import json
import logging
import os
import random
import string
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.sandbox.base import SandboxServer
from core.sandbox.demo_data import DemoData, build_demo
from core.sandbox.fxiaoke_app import FxiaokeApp

log = logging.getLogger("fxk3sync.sandbox")

K3_PATH = "K3Cloud/"
LCID = 2052


@dataclass(frozen=True)
class DemoCredentials:
    """The fixed credentials of one seed's demo company (not secrets: anyone running the sandbox sees them)."""

    fx_app_id: str
    fx_app_secret: str
    fx_permanent_code: str
    fx_corp_id: str
    k3_acct_id: str
    k3_acct_name: str
    k3_username: str
    k3_password: str
    k3_app_id: str  # the official SDK's "<clientId>_<32-char encoded secret>" form
    k3_app_secret: str


def demo_credentials(seed: int) -> DemoCredentials:
    rnd = random.Random(f"fxk3-credentials-{seed}")

    def hx(n: int) -> str:
        return "".join(rnd.choice("0123456789abcdef") for _ in range(n))

    # 32 base64 characters (24 bytes once decoded), alphanumeric like the ids Kingdee hands out
    encoded = "".join(rnd.choice(string.ascii_letters + string.digits) for _ in range(32))
    return DemoCredentials(
        fx_app_id="FSAID_" + hx(8), fx_app_secret=hx(32), fx_permanent_code=hx(32).upper(),
        fx_corp_id="FSCID_" + hx(32).upper(),
        k3_acct_id=hx(24), k3_acct_name="演示账套", k3_username="demo", k3_password="Demo@" + hx(8),
        k3_app_id=f"{rnd.randint(200_000, 299_999)}_{encoded}", k3_app_secret=hx(32),
    )


def make_fxiaoke_app(demo: DemoData, creds: DemoCredentials, clock: Callable[[], float] = time.time) -> FxiaokeApp:
    return FxiaokeApp(app_id=creds.fx_app_id, app_secret=creds.fx_app_secret, permanent_code=creds.fx_permanent_code,
                      corp_id=creds.fx_corp_id, employees=demo.employees, objects=demo.objects, clock=clock)


def make_k3cloud_app(demo: DemoData, creds: DemoCredentials, clock: Callable[[], float] = time.time) -> Any:
    from core.sandbox.k3cloud_app import K3CloudApp

    return K3CloudApp(
        acct_id=creds.k3_acct_id, acct_name=creds.k3_acct_name, username=creds.k3_username,
        password=creds.k3_password, app_id=creds.k3_app_id, app_secret=creds.k3_app_secret, lcid=LCID,
        materials=demo.k3_materials, units=demo.k3_units, orgs=demo.k3_orgs, currencies=demo.k3_currencies,
        customers=demo.k3_customers, clock=clock,
    )


class Sandbox:
    """A running pair of simulators; build it with ``start_sandbox``."""

    def __init__(self, seed: int, demo: DemoData, creds: DemoCredentials, fx_server: SandboxServer,
                 k3_server: SandboxServer, state_file: Path | None) -> None:
        self.seed, self.demo, self.creds = seed, demo, creds
        self.fx_server, self.k3_server = fx_server, k3_server
        self.fx_app, self.k3_app = fx_server.app, k3_server.app
        self.state_file = state_file

    @property
    def fx_url(self) -> str:
        return self.fx_server.url

    @property
    def k3_url(self) -> str:
        return self.k3_server.url + K3_PATH

    def credentials(self) -> dict[str, Any]:
        """Exactly the JSON line ``fxk3sync sandbox`` prints (cli-contract.md)."""
        c = self.creds
        return {
            "fxiaoke": {"url": self.fx_url, "app_id": c.fx_app_id, "app_secret": c.fx_app_secret,
                        "permanent_code": c.fx_permanent_code, "open_user_id": self.demo.admin["openUserId"],
                        "admin_mobile": self.demo.admin["mobile"]},
            "k3cloud": {"url": self.k3_url, "acct_id": c.k3_acct_id, "username": c.k3_username,
                        "password": c.k3_password, "app_id": c.k3_app_id, "app_secret": c.k3_app_secret,
                        "lcid": LCID, "org": self.demo.k3_orgs[0]["FNumber"]},
        }

    def save_state(self) -> None:
        if self.state_file is None:
            return
        state = {"seed": self.seed, "fxiaoke": self.fx_app.snapshot(), "k3cloud": self.k3_app.snapshot()}
        tmp = self.state_file.with_name(self.state_file.name + ".tmp")
        tmp.write_text(json.dumps(state, ensure_ascii=False), "utf-8")
        os.replace(tmp, self.state_file)

    def stop(self) -> None:
        """Stop both servers, then save the state (when started with a state file)."""
        self.fx_server.stop()
        self.k3_server.stop()
        self.save_state()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_sandbox(
    seed: int = 1, *, fx_port: int = 0, k3_port: int = 0, state_file: str | os.PathLike[str] | None = None,
    tls: tuple[str, str] | None = None, demo_sizes: dict[str, int] | None = None,
    clock: Callable[[], float] = time.time,
) -> Sandbox:
    """Start both simulators on 127.0.0.1 with the demo company of ``seed``.

    Args:
        seed: picks the demo data and the credentials.
        fx_port, k3_port: 0 picks free ports.
        state_file: JSON file; its state is loaded when it exists (same seed) and written on ``stop()``.
        tls: ``(certfile, keyfile)`` to serve HTTPS.
        demo_sizes: overrides of ``build_demo`` sizes, e.g. ``{"orders": 30, "customers": 10}``.
        clock: seconds since the epoch, shared by both simulators (tests age tokens and sessions with it).
    """
    demo = build_demo(seed, **(demo_sizes or {}))
    creds = demo_credentials(seed)
    fx_app, k3_app = make_fxiaoke_app(demo, creds, clock), make_k3cloud_app(demo, creds, clock)
    path = Path(state_file) if state_file is not None else None
    if path is not None and path.exists():
        state = json.loads(path.read_text("utf-8"))
        if state.get("seed") != seed:
            raise ValueError(f"{path} holds the sandbox state of seed {state.get('seed')}, not {seed}")
        fx_app.restore(state["fxiaoke"])
        k3_app.restore(state["k3cloud"])
    fx_server = SandboxServer(fx_app, port=fx_port, tls=tls)
    try:
        k3_server = SandboxServer(k3_app, port=k3_port, tls=tls)
    except OSError:
        fx_server.stop()
        raise
    fx_server.start()
    k3_server.start()
    return Sandbox(seed, demo, creds, fx_server, k3_server, path)
