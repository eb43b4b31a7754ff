"""Demo mode: the sandbox in-process, a throwaway database, and a Demo profile whose secrets stay in memory."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from core.profiles import Profile
from core.secrets import MemorySecretStore
from core.store.database import Database
from gui.context import AppContext

DEMO_PROFILE = "演示公司 Demo"


def demo_profile(sandbox: Any, name: str = DEMO_PROFILE) -> tuple[Profile, dict[str, str]]:
    """The profile and secrets (keyring keys) that log in to ``sandbox``."""
    c = sandbox.credentials()
    fx, k3 = c["fxiaoke"], c["k3cloud"]
    profile = Profile(
        name=name, fx_url=fx["url"], fx_app_id=fx["app_id"], fx_open_user_id=fx["open_user_id"],
        k3_url=k3["url"], k3_acct_id=k3["acct_id"], k3_user=k3["username"], k3_lcid=int(k3["lcid"]),
        k3_org=str(k3["org"]), connect_timeout=5.0, read_timeout=30.0, demo=True,
        writeback=True,  # the demo tenant has the custom field field_k3_no__c that receives the K3 number
    )
    secrets = {"fx-app-secret": fx["app_secret"], "fx-permanent-code": fx["permanent_code"],
               "k3-password": k3["password"]}
    return profile, secrets


def start_demo(seed: int = 1, demo_sizes: dict[str, int] | None = None) -> AppContext:
    """Start the sandbox and a context on a temp database (removed again when the context closes)."""
    from core.sandbox import start_sandbox

    sandbox = start_sandbox(seed=seed, demo_sizes=demo_sizes)
    folder = Path(tempfile.mkdtemp(prefix="fxk3sync-demo-"))
    try:
        db = Database(folder / "demo.db")
        ctx = AppContext(db, MemorySecretStore(), demo=True, sandbox=sandbox,
                         on_close=lambda: shutil.rmtree(folder, ignore_errors=True))
        profile, secrets = demo_profile(sandbox)
        ctx.repo.add(profile)
        for key, value in secrets.items():
            ctx.repo.set_secret(profile.name, key, value)
    except BaseException:
        sandbox.stop()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return ctx
