"""Runs ``python -m core.cli`` as a scheduled task would, in its own home, under a memory limit, and measures it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.profiles import Profile, ProfileRepo
from core.secrets import SERVICE, MemorySecretStore
from core.store import Database

ROOT = Path(__file__).resolve().parents[2]
PROFILE = "demo"
#: Address space a CLI run may map; the product needs well under 1 GiB even for a 16 MB answer.
ADDRESS_SPACE = 2 * 1024 ** 3
POSIX = os.name == "posix"

# Sets the limit, reports the peak resident memory of this process image (VmHWM; rusage would count the memory of
# the forked test runner too) at exit, and runs the CLI exactly as ``python -m core.cli`` does.
_LAUNCHER = """
import atexit, resource, runpy, sys
limit, report_to = int(sys.argv.pop(1)), sys.argv.pop(1)
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

def report():
    try:
        with open('/proc/self/status') as status:
            peak = next((line.split()[1] for line in status if line.startswith('VmHWM:')), '')
        with open(report_to, 'w') as out:
            out.write(peak)
    except OSError:
        pass

atexit.register(report)
runpy.run_module('core.cli', run_name='__main__', alter_sys=True)
"""


@dataclass
class Run:
    """One finished CLI run."""

    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float | None  # peak resident memory; None where the OS does not say (no /proc)
    killed: bool = False

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def json(self) -> Any:
        return json.loads(self.stdout) if self.stdout.strip() else None


@dataclass
class Home:
    """A data folder with one profile and a file keyring holding its secrets (outside the folder)."""

    path: Path
    ring: Path

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(FXK3SYNC_HOME=str(self.path), PYTHON_KEYRING_BACKEND="tests.keyring_backends.FileKeyring",
                   FXK3SYNC_TEST_KEYRING_FILE=str(self.ring), PYTHONPATH=str(ROOT) + os.pathsep
                   + env.get("PYTHONPATH", ""), PYTHONIOENCODING="utf-8", QT_QPA_PLATFORM="offscreen")
        env.pop("FXK3SYNC_DB", None)
        return env

    def ring_entries(self) -> dict[str, str]:
        return json.loads(self.ring.read_text("utf-8")) if self.ring.exists() else {}


def make_home(folder: Path, fx_url: str, k3_url: str, creds: dict[str, Any], **settings: Any) -> Home:
    """A home whose profile ``demo`` talks to ``fx_url`` / ``k3_url`` (the hostile servers) with the sandbox's
    credentials; made in-process (a profile add and three secret sets would cost four CLI starts per case)."""
    folder.mkdir(parents=True, exist_ok=True)
    fx, k3 = creds["fxiaoke"], creds["k3cloud"]
    values = dict(name=PROFILE, fx_url=fx_url, fx_app_id=fx["app_id"], fx_open_user_id=fx["open_user_id"],
                  k3_url=k3_url, k3_acct_id=k3["acct_id"], k3_user=k3["username"], k3_lcid=k3["lcid"],
                  k3_org=k3["org"], connect_timeout=2.0, read_timeout=5.0, writeback=False)
    values.update(settings)
    db = Database(folder / "home" / "fxk3sync.db")
    try:
        ProfileRepo(db, MemorySecretStore()).add(Profile(**values))
    finally:
        db.close()
    ring = folder / "ring.json"
    secrets = {"fx-app-secret": fx["app_secret"], "fx-permanent-code": fx["permanent_code"],
               "k3-password": k3["password"]}
    ring.write_text(json.dumps({f"{SERVICE}\x00{PROFILE}:{k}": v for k, v in secrets.items()}), "utf-8")
    return Home(folder / "home", ring)


def run_cli(home: Home, *args: str, limit_s: float = 60.0) -> Run:
    """The CLI in a subprocess under ``ADDRESS_SPACE``; killed after ``limit_s`` (then ``killed`` is true)."""
    out, err = home.path.parent / "stdout.txt", home.path.parent / "stderr.txt"
    peak = home.path.parent / "peak-kb.txt"
    peak.unlink(missing_ok=True)
    if POSIX:
        cmd = [sys.executable, "-c", _LAUNCHER, str(ADDRESS_SPACE), str(peak), *args]
    else:
        cmd = [sys.executable, "-m", "core.cli", *args]
    started = time.monotonic()
    with open(out, "wb") as fo, open(err, "wb") as fe:
        proc = subprocess.Popen(cmd, env=home.env(), cwd=str(ROOT), stdin=subprocess.DEVNULL, stdout=fo, stderr=fe)
    killed = threading.Event()

    def kill() -> None:
        killed.set()
        try:
            proc.send_signal(signal.SIGKILL if POSIX else signal.SIGTERM)
        except OSError:
            pass

    timer = threading.Timer(limit_s, kill)
    timer.start()
    try:
        proc.wait()
    finally:
        timer.cancel()
    reported = peak.read_text("ascii").strip() if peak.exists() else ""
    rss = int(reported) / 1024 if reported.isdigit() else None
    return Run(tuple(args), proc.returncode, out.read_text("utf-8", "replace"), err.read_text("utf-8", "replace"),
               time.monotonic() - started, rss, killed.is_set())
