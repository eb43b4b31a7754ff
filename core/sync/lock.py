"""One sync per profile: an OS lock on a file in ``home_dir()/locks`` (fcntl / msvcrt), or on a shared store a
PostgreSQL advisory lock (``core/store/advisory_lock.py``), so that two PCs of a team never run one profile at once.

Either lock is freed by the operating system or the database server when its process dies. A lock file still
locked although the process named in it is dead (its descriptor survived in a forked child, say) is taken over.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from core import paths
from core.errors import SyncBusyError, Text
from core.store import who
from core.store.advisory_lock import AdvisoryLock, Holder
from core.store.database import Database

DEFAULT_WAIT = 3.0
log = logging.getLogger("fxk3sync.lock")

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


def _start_ticks(pid: int) -> int | None:
    """The process's start time in clock ticks since boot (Linux ``/proc``); None elsewhere or when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2:].split()  # after "pid (comm) ": state is field 3, starttime field 22
    return int(fields[19]) if len(fields) > 19 and fields[0] not in ("Z", "X") else None


def _dead(holder: dict[str, Any]) -> bool:
    """True only when we are sure the process named in a lock file of THIS host is gone (or its pid reused)."""
    pid = holder.get("pid")
    if sys.platform == "win32" or not isinstance(pid, int) or pid <= 0 or pid == os.getpid():
        return False  # Windows frees byte-range locks with the process; and os.kill(pid, 0) would terminate it
    if holder.get("host") != who.host_name():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, another user's
    start = holder.get("start")
    now = _start_ticks(pid)
    if Path("/proc/self/stat").exists() and now is None:
        return True  # a zombie: exited, not yet reaped
    return isinstance(start, int) and now is not None and now != start  # the pid now belongs to another process


class _FileLock:
    """The OS lock on ``lock_path(profile)``; the holder's pid, host, user and start time are written after byte 0."""

    def __init__(self, profile_name: str) -> None:
        self.path = lock_path(profile_name)
        self.fh: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self.fh is not None

    def _open_locked(self, path: Path) -> IO[bytes] | None:
        fh = open(path, "a+b")  # noqa: SIM115 - held until release()
        if _try_lock(fh):
            if sys.platform == "win32":  # no takeover there (see _dead), so the file is never replaced
                return fh
            try:
                same = os.path.samestat(os.fstat(fh.fileno()), os.stat(path))
            except OSError:
                same = False
            if same:  # still the file at that name (not one a takeover has just replaced)
                return fh
            _unlock(fh)
        fh.close()
        return None

    def try_acquire(self) -> bool:
        fh = self._open_locked(self.path)
        if fh is None and _dead(self.holder()):
            fh = self._take_over()
        if fh is None:
            return False
        self._write_holder(fh)
        self.fh = fh
        return True

    def _take_over(self) -> IO[bytes] | None:
        """Replaces a lock file whose holder is dead by a fresh one locked by us (one taker at a time)."""
        gate = open(self.path.with_name(self.path.name + ".takeover"), "a+b")  # noqa: SIM115
        try:
            if not _try_lock(gate):
                return None
            try:
                stale = self.holder()
                if not _dead(stale):
                    return None  # someone else took it over or released it meanwhile: the normal path decides
                fresh = self.path.with_name(f"{self.path.name}.new-{os.getpid()}")
                fh = self._open_locked(fresh)
                if fh is None:
                    return None
                os.replace(fresh, self.path)
                log.warning("lock %s: took over from dead process %s / 接管了已结束进程留下的锁", self.path, stale)
                return fh
            finally:
                _unlock(gate)
        except OSError:
            return None  # e.g. Windows refuses to replace an open file: then it is simply busy
        finally:
            gate.close()

    @staticmethod
    def _write_holder(fh: IO[bytes]) -> None:
        info = {"pid": os.getpid(), "host": who.host_name(), "user": who.os_user(),
                "since": datetime.now(UTC).isoformat(timespec="seconds"), "start": _start_ticks(os.getpid())}
        # Byte 0 is the locked region on Windows; the holder's details go after it.
        fh.seek(1)
        fh.truncate()
        fh.write(json.dumps(info).encode("utf-8"))
        fh.flush()

    def holder(self) -> dict[str, Any]:
        try:
            raw = self.path.read_bytes()[1:]
            data = json.loads(raw.decode("utf-8")) if raw else {}
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def release(self) -> None:
        fh, self.fh = self.fh, None
        if fh is not None:
            try:
                _unlock(fh)
            finally:
                fh.close()


class ProfileLock:
    """Exclusive lock of one profile; freed when its process dies, so a crash never leaves it stuck.

    Args:
        profile_name: the profile to lock.
        wait: seconds to wait for another sync to finish before raising ``SyncBusyError``.
        db: the store; on a shared (PostgreSQL) store the lock is a database advisory lock that every PC of the
            team sees, else (SQLite, or None) the OS file lock of this PC.
    """

    def __init__(self, profile_name: str, *, wait: float = DEFAULT_WAIT, db: Database | None = None) -> None:
        self.profile_name = profile_name
        self.wait = wait
        self._impl: AdvisoryLock | _FileLock = (AdvisoryLock(db, profile_name) if db is not None and db.shared
                                                else _FileLock(profile_name))
        #: The lock file (None on a shared store).
        self.path: Path | None = self._impl.path if isinstance(self._impl, _FileLock) else None

    @property
    def shared(self) -> bool:
        """True when this is the team-wide database lock."""
        return isinstance(self._impl, AdvisoryLock)

    def acquire(self) -> ProfileLock:
        deadline = time.monotonic() + self.wait
        while not self._impl.try_acquire():
            if time.monotonic() >= deadline:
                busy = self._busy()
                self._impl.release()  # closes the connection the database lock waited on
                raise busy
            time.sleep(0.05)
        return self

    def release(self) -> None:
        self._impl.release()

    @property
    def held(self) -> bool:
        return self._impl.held

    def still_held(self) -> bool:
        """Checks with the OS or the server that the lock is still ours (a broken server connection loses it).

        The engine may call this before each write chunk on a shared store and stop when it returns False.
        """
        return self._impl.still_held() if isinstance(self._impl, AdvisoryLock) else self._impl.held

    def __enter__(self) -> ProfileLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()

    def _busy(self) -> SyncBusyError:
        if isinstance(self._impl, AdvisoryLock):
            found = self._impl.holder()
            info = _from_db(found) if found is not None else {}
        else:
            info = self._impl.holder()
        return _busy(self.profile_name, info, shared=self.shared)


def _from_db(h: Holder) -> dict[str, Any]:
    info: dict[str, Any] = {"pid": h.pid, "host": h.host, "user": h.os_user,
                            "since": h.since.isoformat(timespec="seconds") if h.since else None}
    if h.host is None and h.application_name:  # the holder had not written its row yet
        info["host"] = h.application_name
    return info


def _busy(profile_name: str, holder: dict[str, Any], *, shared: bool) -> SyncBusyError:
    def get(key: str) -> str:
        value = holder.get(key)
        return "?" if value in (None, "") else str(value)

    user = f" ({get('user')})" if holder.get("user") else ""
    who_ = f"pid {get('pid')} @ {get('host')}{user}, {get('since')}"
    team = (Text("（共享数据库：团队中的任何电脑）", " (shared database: any PC of the team)") if shared
            else Text("", ""))
    return SyncBusyError(
        Text(f"配置“{profile_name}”正在同步中（{who_}）{team.zh}，不能同时运行两个同步。",
             f"Profile '{profile_name}' is already syncing ({who_}){team.en}; two syncs of one profile cannot run "
             "at once."),
        Text(f"请等当前同步结束后再试；如果是计划任务，请把间隔调长。如果那个同步已卡住，请在 {get('host')} 上结束进程 "
             f"{get('pid')}（任务管理器 → 详细信息），下次同步会先向金蝶核对未完成的记录。",
             "Wait for the running sync to finish and try again; for a scheduled task, make the interval longer. If "
             f"that sync hangs, end process {get('pid')} on {get('host')} (Task Manager → Details); the next sync "
             "first checks its unfinished records with K3Cloud."),
        code="busy",
    )
