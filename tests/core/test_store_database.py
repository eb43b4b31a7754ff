"""core.store.database: pragmas on every connection, sessions, migrations with backup, newer schema refused."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError

from core import paths
from core.errors import ConfigError
from core.profiles import ProfileRepo
from core.secrets import MemorySecretStore
from core.store import Database, Link, Mapping, Profile, SyncItem, SyncRun
from core.store.migrations import LATEST

DATA = Path(__file__).resolve().parents[1] / "data"
V1_FILE = DATA / "fxk3sync-v1.sqlite"


def test_default_path_and_pragmas_on_every_connection(db: Database) -> None:
    assert db.path == paths.db_path()
    for _ in range(2):  # two distinct pooled connections
        with db.engine.connect() as a, db.engine.connect() as b:
            for conn in (a, b):
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
                assert conn.exec_driver_sql("PRAGMA user_version").scalar() == LATEST


def test_session_commits_on_success_and_rolls_back_on_error(db: Database) -> None:
    with db.session() as s:
        s.add(Profile(name="a"))
    with pytest.raises(RuntimeError):
        with db.session() as s:
            s.add(Profile(name="b"))
            s.flush()
            raise RuntimeError("boom")
    with db.session() as s:
        assert s.scalars(select(Profile.name)).all() == ["a"]
        row = s.scalar(select(Profile))
        assert row is not None and row.created_at.tzinfo is not None


def test_foreign_keys_enforced_and_profile_delete_cascades(db: Database) -> None:
    with pytest.raises(IntegrityError):
        with db.session() as s:
            s.add(Mapping(profile_id=999, flow="customers", version=1, body_json="{}"))
    with db.session() as s:
        p = Profile(name="p")
        s.add(p)
        s.flush()
        run = SyncRun(profile_id=p.id, flow="orders")
        s.add(run)
        s.flush()
        s.add_all([
            Mapping(profile_id=p.id, flow="orders", version=1, body_json="{}"),
            Link(profile_id=p.id, object="SalesOrderObj", source_id="o1", k3_form="SAL_SaleOrder"),
            SyncItem(run_id=run.id, profile_id=p.id, flow="orders", source_id="o1", idem_key="SO-1"),
        ])
    with pytest.raises(IntegrityError):
        with db.session() as s:
            pid = s.scalar(select(Profile.id))
            s.add(Mapping(profile_id=pid, flow="orders", version=1, body_json="{}"))
    with db.session() as s:
        s.delete(s.scalar(select(Profile)))
    with db.session() as s:
        for model in (Mapping, Link, SyncItem, SyncRun):
            assert s.scalars(select(model)).all() == []


def _schema(path: Path) -> dict:
    db = Database(path)
    try:
        insp = inspect(db.engine)
        out = {}
        for table in insp.get_table_names():
            cols, idx = insp.get_columns(table), insp.get_indexes(table)
            out[table] = {
                "columns": {c["name"]: (str(c["type"]), c["nullable"], c["primary_key"]) for c in cols},
                "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in idx),
                "unique": sorted((u["name"] or "", tuple(u["column_names"]))
                                 for u in insp.get_unique_constraints(table)),
                "fks": sorted((tuple(f["constrained_columns"]), f["referred_table"], f["options"].get("ondelete"))
                              for f in insp.get_foreign_keys(table)),
            }
        return out
    finally:
        db.close()


def test_migrates_old_file_with_backup_and_keeps_data(tmp_path: Path) -> None:
    target = tmp_path / "fxk3sync.db"
    shutil.copy(V1_FILE, target)
    db = Database(target)
    try:
        assert db.backup_path is not None
        assert db.backup_path.name.startswith("fxk3sync.db.bak-v1-")
        assert _user_version(db.backup_path) == 1
        old = sqlite3.connect(db.backup_path)
        try:  # the backup is the old file as it was: v1 columns, same rows
            assert "source_modified_ms" not in [r[1] for r in old.execute("PRAGMA table_info(links)")]
            assert old.execute("SELECT k3_number FROM links").fetchall() == [("CUST0001",)]
        finally:
            old.close()
        with db.session() as s:
            assert s.connection().exec_driver_sql("PRAGMA user_version").scalar() == LATEST
            link = s.scalar(select(Link))
            assert link is not None and (link.k3_number, link.source_modified_ms) == ("CUST0001", None)
            assert s.scalar(select(Profile.name)) == "华东公司-正式"
            assert s.scalar(select(SyncItem.idem_key)) == "CUST0001"
            link.source_modified_ms = 1_700_000_000_000  # the new column is usable
    finally:
        db.close()
    # Opening again: already current, no second backup.
    again = Database(target)
    again.close()
    assert again.backup_path is None
    assert len(list(tmp_path.glob("fxk3sync.db.bak-v1-*"))) == 1


def test_failed_migration_leaves_the_old_schema_intact(tmp_path: Path) -> None:
    target = tmp_path / "fxk3sync.db"
    shutil.copy(V1_FILE, target)
    conn = sqlite3.connect(target)
    conn.execute("CREATE TABLE delivery_notices (x INTEGER)")  # a stray table makes step v2 fail halfway
    conn.commit()
    conn.close()
    with pytest.raises(ConfigError) as err:
        Database(target)
    assert "already exists" in err.value.user_message and "could not be upgraded" in err.value.user_message
    assert ".bak-v1-" in err.value.user_message
    assert _user_version(target) == 1
    conn = sqlite3.connect(target)
    try:  # the ALTER TABLE that ran before the failure was rolled back too
        assert "source_modified_ms" not in [r[1] for r in conn.execute("PRAGMA table_info(links)")]
    finally:
        conn.close()
    assert len(list(tmp_path.glob("fxk3sync.db.bak-v1-*"))) == 1


def test_profile_from_old_file_loads_after_migration(tmp_path: Path) -> None:
    target = tmp_path / "fxk3sync.db"
    shutil.copy(V1_FILE, target)
    db = Database(target)
    try:
        repo = ProfileRepo(db, MemorySecretStore())
        profile = repo.get("华东公司-正式")
        profile.validate()
        assert (profile.fx_app_id, profile.k3_acct_id) == ("FSAID_v1", "5f0c")
    finally:
        db.close()


def test_migrated_schema_equals_fresh_schema(tmp_path: Path) -> None:
    shutil.copy(V1_FILE, tmp_path / "old.db")
    assert _schema(tmp_path / "old.db") == _schema(tmp_path / "fresh.db")


def _user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def test_newer_schema_is_refused_and_left_untouched(tmp_path: Path) -> None:
    target = tmp_path / "fxk3sync.db"
    shutil.copy(V1_FILE, target)
    conn = sqlite3.connect(target)
    conn.execute(f"PRAGMA user_version={LATEST + 1}")
    conn.commit()
    conn.close()
    before = sorted(p.name for p in tmp_path.iterdir())
    content = target.read_bytes()
    with pytest.raises(ConfigError) as err:
        Database(target)
    text = err.value.user_message
    assert "更新版本的 FxK3 Sync" in text and "written by a newer FxK3 Sync" in text
    assert "nothing was changed" in text
    assert target.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == before, "no backup, no WAL/SHM files"


def test_foreign_file_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "fxk3sync.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(ConfigError, match="not an FxK3 Sync database"):
        Database(junk)
    assert junk.read_bytes() == b"this is not sqlite at all" * 100
