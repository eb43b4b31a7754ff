"""The per-profile lock is an OS lock: another process holding it makes us wait then refuse; its death frees it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from core.errors import SyncBusyError
from core.sync.lock import ProfileLock, lock_path
from tests.helpers_sync import ROOT

HOLDER = """
import sys, time
from core.sync.lock import ProfileLock
lock = ProfileLock(sys.argv[1]).acquire()
print("held", flush=True)
time.sleep(60)
"""


@pytest.mark.posix
def test_another_process_holding_the_lock_blocks_us_until_it_dies():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, "华东公司-正式"], env=env, cwd=str(ROOT),
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(SyncBusyError) as info:
            ProfileLock("华东公司-正式", wait=0.4).acquire()
        assert time.monotonic() - started >= 0.4  # it waited briefly first
        assert f"pid {proc.pid}" in info.value.user_message
        assert "配置“华东公司-正式”正在同步中" in info.value.user_message
        with ProfileLock("another profile", wait=0.1) as other:  # other profiles are not blocked
            assert other.held
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        with ProfileLock("华东公司-正式", wait=2) as lock:  # the OS released it with the dead process
            assert lock.held
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        proc.stdout.close()


def test_lock_file_lives_in_the_home_locks_folder_with_a_safe_name(home):
    path = lock_path('a/b:c*"d')
    assert path.parent == home / "locks"
    assert "/" not in path.name and ":" not in path.name and "*" not in path.name
