"""Test helpers for `fxk3sync` subprocesses: run the CLI, and add a sandbox profile with its secrets through it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def cli(env: dict[str, str], *args: str, stdin: str | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m core.cli ARGS`` in the repo root with ``env``; text in and out as UTF-8."""
    return subprocess.run([sys.executable, "-m", "core.cli", *args], env=env, input=stdin, capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout, cwd=ROOT)


def add_sandbox_profile(env: dict[str, str], sandbox: Any, name: str, *, mode: str = "password",
                        **secrets: str) -> None:
    """``profile add`` for the sandbox's demo company (operator by admin mobile) and ``secret set`` for its keys.

    Args:
        mode: ``password`` or ``appsecret`` (the CLI's ``--k3-auth``).
        secrets: values replacing the demo ones, by key with ``_`` for ``-`` (e.g. ``fx_app_secret="wrong"``).
    """
    c = sandbox.credentials()
    fx, k3 = c["fxiaoke"], c["k3cloud"]
    args = ["profile", "add", name, "--fx-url", fx["url"], "--fx-app-id", fx["app_id"], "--fx-admin-mobile",
            fx["admin_mobile"], "--k3-url", k3["url"], "--k3-acct-id", k3["acct_id"], "--k3-user", k3["username"],
            "--k3-org", k3["org"], "--k3-auth", mode]
    if mode != "password":
        args += ["--k3-app-id", k3["app_id"]]
    added = cli(env, *args)
    assert added.returncode == 0, added.stderr
    k3_key = "k3-password" if mode == "password" else "k3-app-secret"
    values = {"fx-app-secret": fx["app_secret"], "fx-permanent-code": fx["permanent_code"],
              k3_key: k3[k3_key.removeprefix("k3-").replace("-", "_")],
              **{k.replace("_", "-"): v for k, v in secrets.items()}}
    for key, value in values.items():
        stored = cli(env, "secret", "set", name, key, stdin=value + "\n")
        assert stored.returncode == 0, stored.stderr
