"""Issue 12, broken PC: a damaged file, a read-only folder and a full disk are told apart and explained, never a
traceback, never "not an FxK3 Sync database" for a healthy file; the file is left as it was."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.errors import ConfigError
from core.store import Database, Exchange, Profile, StoreError, SyncRun
from core.store.exchange_log import ExchangeLogWriter
from tests.helpers_sync import ROOT

DATA = Path(__file__).resolve().parents[1] / "data"
PAGE = 4096


def _filled(path: Path, rows: int = 2000) -> None:
    db = Database(path)
    try:
        with db.session() as s:
            s.add(Profile(name="acme"))
            s.add_all([Exchange(side="k3cloud", url="u" * 200, endpoint="Save") for _ in range(rows)])
    finally:
        db.close()


def _damage_pages(path: Path, first: int, last: int) -> bytes:
    """Overwrites pages [first, last) with a fixed pattern, sparing the 100-byte file header on page 0; returns
    the new bytes."""
    data = bytearray(path.read_bytes())
    for page in range(first, last):
        start = max(page * PAGE, 100)
        data[start:(page + 1) * PAGE] = bytes([0xA5]) * ((page + 1) * PAGE - start)
    path.write_bytes(bytes(data))
    return bytes(data)


def test_damaged_pages_behind_an_intact_header_name_the_backup_and_keep_the_file(tmp_path: Path) -> None:
    target = tmp_path / "fxk3sync.db"
    shutil.copy(DATA / "fxk3sync-v1.sqlite", target)
    Database(target).close()  # the upgrade to the current version makes a backup beside it
    backups = list(tmp_path.glob("fxk3sync.db.bak-v1-*"))
    assert len(backups) == 1
    _filled(target)
    pages = target.stat().st_size // PAGE
    damaged = _damage_pages(target, pages - 20, pages - 2)  # the exchanges table, far from the header
    db = Database(target)  # the header and schema are intact: opening works
    try:
        with pytest.raises(StoreError) as info:
            with db.session() as s:
                s.scalars(select(Exchange.url)).all()
    finally:
        db.close()
    err = info.value
    text = err.user_message
    assert err.kind == "corrupt" and err.side == "local"
    assert "已损坏" in text and "is damaged" in text and "not an FxK3 Sync database" not in text
    assert backups[0].name in text and "fxk3sync.db.damaged" in text, "names the backup and how to restore it"
    assert target.read_bytes() == damaged, "the damaged file is kept as it was"


def test_damaged_schema_page_is_corrupt_not_foreign(tmp_path: Path) -> None:
    target = tmp_path / "fxk3sync.db"
    _filled(target, rows=10)
    damaged = _damage_pages(target, 0, 1)  # the schema table's root, right behind the intact file header
    with pytest.raises(StoreError) as info:
        Database(target)
    assert info.value.kind == "corrupt"
    assert "not an FxK3 Sync database" not in info.value.user_message
    assert "no pre-upgrade backup" in info.value.user_message
    assert target.read_bytes() == damaged


def test_file_that_is_not_sqlite_is_still_foreign(tmp_path: Path) -> None:
    junk = tmp_path / "fxk3sync.db"
    junk.write_bytes(b"PK\x03\x04 a zip, not a database" * 50)
    with pytest.raises(ConfigError, match="not an FxK3 Sync database"):
        Database(junk)


@pytest.fixture
def tiny_mount(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs (needs root with CAP_SYS_ADMIN): a real small disk and, remounted, a real read-only one."""
    where = tmp_path / "mnt"
    where.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)],
                                           capture_output=True).returncode != 0:
        pytest.skip("mounting a tmpfs needs root (CAP_SYS_ADMIN); the max_page_count test covers a full disk")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _read_only_folder(folder: Path) -> None:
    """Makes ``folder`` read-only for this process: a read-only remount (root) or chmod (anyone else)."""
    if os.geteuid() == 0:
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
    else:
        for p in folder.iterdir():
            p.chmod(0o444)
        folder.chmod(0o555)


def test_read_only_folder_says_so_and_not_foreign(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if os.geteuid() == 0:
        folder = request.getfixturevalue("tiny_mount")  # root ignores mode bits: a read-only mount instead
    else:
        folder = tmp_path / "data"
        folder.mkdir()
        request.addfinalizer(lambda: (folder.chmod(0o755), [p.chmod(0o644) for p in folder.iterdir()]))
    target = folder / "fxk3sync.db"
    _filled(target, rows=5)
    content = target.read_bytes()
    _read_only_folder(folder)
    with pytest.raises(StoreError) as info:
        Database(target)
    text = info.value.user_message
    assert info.value.kind == "read_only"
    assert "只读" in text and "is read-only" in text and str(folder) in text
    assert "not an FxK3 Sync database" not in text and "damaged" not in text
    assert "write permission" in text and "--home" in text
    assert target.read_bytes() == content and sorted(p.name for p in folder.iterdir()) == ["fxk3sync.db"]


def test_full_disk_while_writing_the_journal_is_a_store_error(tiny_mount: Path) -> None:
    """A real full disk (1 MiB tmpfs): the journal write raises StoreError(disk_full); what was committed stays;
    the exchange log's own writes fail quietly (they must not turn a landed write into an error)."""
    db = Database(tiny_mount / "fxk3sync.db")
    try:
        with db.session() as s:
            s.add(Profile(name="acme"))
        with db.session() as s:
            pid = s.scalar(select(Profile.id))
        log = ExchangeLogWriter(db)
        committed = 0
        with pytest.raises(StoreError) as info:
            for _ in range(1000):
                with db.session() as s:
                    s.add_all([SyncRun(profile_id=pid, flow="orders", counts_json="x" * 2000) for _ in range(20)])
                committed += 20
        assert info.value.kind == "disk_full" and info.value.side == "local"
        log({"side": "k3cloud", "endpoint": "Save", "url": "u", "request_body": "y" * 100_000})  # no exception
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(SyncRun)) == committed > 0
    finally:
        db.close()


def test_cli_reports_a_damaged_database_without_traceback(cli_env: dict[str, str], home: Path) -> None:
    target = home / "fxk3sync.db"
    _filled(target, rows=10)
    _damage_pages(target, 0, 1)
    out = subprocess.run([sys.executable, "-m", "core.cli", "profile", "list"], cwd=ROOT, env=cli_env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and "sqlalchemy" not in out.stderr.lower()
    assert "已损坏" in out.stderr and "is damaged" in out.stderr
