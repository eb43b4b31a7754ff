"""The profile lock on both stores: the OS file lock of one PC (SQLite) or a PostgreSQL advisory lock every PC of a
team sees; a holder's death frees it, the busy message names the holder, a dead holder's lock file is taken over."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from core.errors import SyncBusyError
from core.store import Database, LockHolder, who
from core.sync.lock import ProfileLock, lock_path
from tests.helpers_pg import execute
from tests.helpers_sync import ROOT

PROFILE = "华东公司-正式"
HOLDER = """
import sys, time
from core.store import Database
from core.sync.lock import ProfileLock
lock = ProfileLock(sys.argv[1], db=Database(sys.argv[2])).acquire()
print("held", flush=True)
time.sleep(120)
"""


def _spawn(script: str, *args: str, home: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT), FXK3SYNC_HOME=str(home))
    proc = subprocess.Popen([sys.executable, "-c", script, *args], env=env, cwd=str(ROOT), stdout=subprocess.PIPE,
                            text=True)
    return proc


@pytest.fixture
def procs() -> Iterator[list[subprocess.Popen]]:
    started: list[subprocess.Popen] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        if proc.stdout:
            proc.stdout.close()


def test_holder_blocks_other_processes_until_sigkill_frees_it(store: Database, store_url: str, home: Path,
                                                              tmp_path: Path, procs: list) -> None:
    # On a shared store the other process is "another PC": its own data folder, the same database.
    other_home = tmp_path / "other-pc" if store.shared else home
    other_home.mkdir(exist_ok=True)
    holder = _spawn(HOLDER, PROFILE, store_url, home=other_home)
    procs.append(holder)
    assert holder.stdout.readline().strip() == "held"
    started = time.monotonic()
    with pytest.raises(SyncBusyError) as info:
        ProfileLock(PROFILE, wait=0.4, db=store).acquire()
    assert time.monotonic() - started >= 0.4
    text = info.value.user_message
    assert f"pid {holder.pid} @ {who.host_name()} ({who.os_user()})" in text
    assert f"配置“{PROFILE}”正在同步中" in text and f"end process {holder.pid}" in text
    assert ("shared database" in text) is store.shared
    with ProfileLock("another profile", wait=0.1, db=store) as other:
        assert other.held
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(10)
    with ProfileLock(PROFILE, wait=5, db=store) as lock:  # freed by the OS / by the server with the dead session
        assert lock.held and lock.still_held() and lock.shared is store.shared


def test_shared_lock_writes_its_holder_and_notices_a_lost_connection(pg_url: str) -> None:
    db = Database(pg_url)
    try:
        lock = ProfileLock(PROFILE, wait=0.2, db=db).acquire()
        with db.session() as s:
            row = s.get(LockHolder, PROFILE)
            assert row is not None and (row.host, row.os_user, row.pid) == (who.host_name(), who.os_user(),
                                                                            os.getpid())
        assert lock.still_held()
        # The server ends the lock's session (as when the PC's network drops): the lock is gone and we know it.
        assert execute(pg_url, f"SELECT pg_terminate_backend({row.backend_pid})") == [(True,)]
        deadline = time.monotonic() + 5
        while lock.still_held() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not lock.still_held()
        with ProfileLock(PROFILE, wait=2, db=db) as again:
            assert again.held
        lock.release()  # releasing a lost lock is harmless
        with ProfileLock(PROFILE, wait=0.2, db=db) as third:
            assert third.held
        with db.session() as s:
            assert s.scalars(select(LockHolder)).all() == [], "a released lock leaves no holder row"
    finally:
        db.close()


FORKING_HOLDER = """
import os, sys, time
from core.sync.lock import ProfileLock
lock = ProfileLock(sys.argv[1]).acquire()
child = os.fork()  # the child inherits the locked descriptor, as a forked helper of a sync would
if child == 0:
    time.sleep(120)
    os._exit(0)
print(child, flush=True)
time.sleep(120)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="fork and flock are POSIX")
def test_lock_file_of_a_dead_holder_is_taken_over(home: Path, procs: list) -> None:
    """The process named in the lock file is dead, but a forked child still holds the OS lock (every later
    scheduled run used to say "busy" forever): the next run takes it over."""
    parent = _spawn(FORKING_HOLDER, PROFILE, home=home)
    procs.append(parent)
    child = int(parent.stdout.readline())
    try:
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(10)
        path = lock_path(PROFILE)
        with open(path, "a+b") as probe:  # the OS lock really is still held (by the orphaned child)
            with pytest.raises(BlockingIOError):
                fcntl.flock(probe.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert json.loads(path.read_bytes()[1:])["pid"] == parent.pid
        with ProfileLock(PROFILE, wait=1) as lock:
            assert lock.held
            assert json.loads(path.read_bytes()[1:])["pid"] == os.getpid()
            with pytest.raises(SyncBusyError):  # and it is really ours now: a third one is refused
                ProfileLock(PROFILE, wait=0.2).acquire()
        with ProfileLock(PROFILE, wait=0.2) as again:  # released normally afterwards
            assert again.held
    finally:
        os.kill(child, signal.SIGKILL)


def test_a_live_holder_on_this_host_is_never_taken_over(home: Path, procs: list) -> None:
    holder = _spawn(HOLDER, PROFILE, str(home / "fxk3sync.db"), home=home)
    procs.append(holder)
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(SyncBusyError):
        ProfileLock(PROFILE, wait=0.5).acquire()
    assert json.loads(lock_path(PROFILE).read_bytes()[1:])["pid"] == holder.pid
