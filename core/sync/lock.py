"""One sync per profile on this machine: an OS-level lock on a file in ``home_dir()/locks`` (fcntl / msvcrt)."""

from __future__ import annotations

import json
import os
import re
import socket
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from core import paths
from core.errors import SyncBusyError, Text

DEFAULT_WAIT = 3.0

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fh: IO[bytes]) -> bool:
        fh.seek(0)
        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fh: IO[bytes]) -> None:
        fh.seek(0)
        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
else:
    import fcntl

    def _try_lock(fh: IO[bytes]) -> bool:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(fh: IO[bytes]) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def lock_path(profile_name: str) -> Path:
    """The lock file of a profile (the name made safe for any file system)."""
    safe = re.sub(r"[^\w.-]", "_", profile_name, flags=re.UNICODE)[:80] or "_"
    folder = paths.home_dir() / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{safe}.lock"


class ProfileLock:
    """Exclusive lock of one profile; the OS releases it when the process dies, so a crash never leaves it stuck.

    Args:
        profile_name: the profile to lock.
        wait: seconds to wait for another sync to finish before raising ``SyncBusyError``.
    """

    def __init__(self, profile_name: str, *, wait: float = DEFAULT_WAIT) -> None:
        self.profile_name = profile_name
        self.wait = wait
        self.path = lock_path(profile_name)
        self._fh: IO[bytes] | None = None

    def acquire(self) -> ProfileLock:
        fh = open(self.path, "a+b")  # noqa: SIM115 - held until release()
        deadline = time.monotonic() + self.wait
        while not _try_lock(fh):
            if time.monotonic() >= deadline:
                holder = _read_holder(self.path)
                fh.close()
                raise _busy(self.profile_name, holder)
            time.sleep(0.05)
        self._fh = fh
        info = {"pid": os.getpid(), "host": socket.gethostname(),
                "since": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        # Byte 0 is the locked region on Windows; the holder's details go after it.
        fh.seek(1)
        fh.truncate()
        fh.write(json.dumps(info).encode("utf-8"))
        fh.flush()
        return self

    def release(self) -> None:
        fh, self._fh = self._fh, None
        if fh is not None:
            try:
                _unlock(fh)
            finally:
                fh.close()

    @property
    def held(self) -> bool:
        return self._fh is not None

    def __enter__(self) -> ProfileLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read_holder(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()[1:]
        data = json.loads(raw.decode("utf-8")) if raw else {}
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _busy(profile_name: str, holder: dict[str, Any]) -> SyncBusyError:
    who = f"pid {holder.get('pid', '?')} @ {holder.get('host', '?')}, {holder.get('since', '?')}"
    return SyncBusyError(
        Text("配置“{p}”正在同步中（{who}），不能同时运行两个同步。",
             "Profile '{p}' is already syncing ({who}); two syncs of one profile cannot run at once.").format(
            p=profile_name, who=who),
        Text("请等当前同步结束后再试；如果是计划任务，请把间隔调长。",
             "Wait for the running sync to finish and try again; for a scheduled task, make the interval longer."),
        code="busy",
    )
