"""The PostgreSQL store's schema: created in an empty database, upgraded only after a confirmed pg_dump, refused
when newer or someone else's; server errors explained. Needs FXK3SYNC_TEST_PG_URL (see tests/helpers_pg.py)."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.engine import make_url

from core.errors import ConfigError
from core.store import Database, Profile, StoreError, SyncRun
from core.store.migrations import LATEST, MIGRATIONS, PG_FIRST
from core.store.pg_schema import BACKUP_ENV, NO_BACKUP_ENV
from tests.helpers_pg import create_database, drop_database, execute, libpq, pg_bin


def _schema(url: str) -> dict:
    db = Database(url)
    try:
        insp = inspect(db.engine)
        out = {}
        for table in insp.get_table_names():
            out[table] = {
                "columns": {c["name"]: (str(c["type"]), c["nullable"]) for c in insp.get_columns(table)},
                "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                                  for i in insp.get_indexes(table)),
                "unique": sorted((u["name"] or "", tuple(u["column_names"]))
                                 for u in insp.get_unique_constraints(table)),
                "fks": sorted((tuple(f["constrained_columns"]), f["referred_table"], f["options"].get("ondelete"))
                              for f in insp.get_foreign_keys(table)),
                "pk": tuple(insp.get_pk_constraint(table)["constrained_columns"]),
            }
        return out
    finally:
        db.close()


def _as_v2(url: str) -> None:
    """Turns a current store into what a version-2 store looks like (the v3 and v4 additions removed), with data."""
    db = Database(url)
    try:
        with db.session() as s:
            p = Profile(name="华东公司-正式")
            s.add(p)
            s.flush()
            s.add(SyncRun(profile_id=p.id, flow="orders", status="done"))
    finally:
        db.close()
    execute(url, "DROP TABLE sync_claims", "DROP TABLE sync_locks", "ALTER TABLE sync_runs DROP COLUMN os_user",
            "ALTER TABLE sync_items DROP COLUMN action", "ALTER TABLE sync_items DROP COLUMN payload_hash",
            "ALTER TABLE sync_items DROP COLUMN diff_json",
            "ALTER TABLE sync_runs DROP COLUMN error_json",
            "DELETE FROM fxk3sync_schema", "INSERT INTO fxk3sync_schema (version, applied_at, host, os_user, program) "
            "VALUES (2, now(), 'old-pc', 'clerk', 'fxk3sync 0.0')")


def _version(url: str) -> int:
    return execute(url, "SELECT max(version) FROM fxk3sync_schema")[0][0]


def _pg_dump(url: str, target: Path) -> Path:
    subprocess.run([str(pg_bin("pg_dump")), "--format=custom", f"--file={target}", libpq(url)], check=True,
                   capture_output=True, timeout=120)
    return target


def test_every_step_from_the_first_postgresql_version_has_a_postgresql_variant() -> None:
    assert PG_FIRST == 2
    assert all(MIGRATIONS[n].postgresql is not None for n in range(PG_FIRST + 1, LATEST + 1))


def test_upgrade_without_backup_is_refused_with_the_pg_dump_command(pg_url: str, monkeypatch) -> None:
    monkeypatch.delenv(BACKUP_ENV, raising=False)
    monkeypatch.delenv(NO_BACKUP_ENV, raising=False)
    _as_v2(pg_url)
    before = _schema_tables(pg_url)
    with pytest.raises(StoreError) as info:
        Database(pg_url)
    err = info.value
    text = err.user_message
    assert err.kind == "backup_required"
    assert "从结构版本 2 升级到" in text and f"from schema version 2 to {LATEST}" in text
    dbname = make_url(pg_url).database
    assert f'pg_dump --format=custom --file=fxk3sync-v2.dump "postgresql://fxk3sync@/{dbname}?host=' in text
    assert f"set {BACKUP_ENV}=fxk3sync-v2.dump" in text and f"{NO_BACKUP_ENV}=1" in text
    assert _version(pg_url) == 2 and _schema_tables(pg_url) == before, "nothing was changed"


def _schema_tables(url: str) -> list[tuple]:
    return execute(url, "SELECT table_name, column_name FROM information_schema.columns "
                        "WHERE table_schema = current_schema() ORDER BY 1, 2")


def test_upgrade_with_a_recent_dump_of_this_database_runs_and_keeps_the_data(
        pg_url: str, tmp_path: Path, monkeypatch) -> None:
    _as_v2(pg_url)
    dump = _pg_dump(pg_url, tmp_path / "fxk3sync-v2.dump")
    monkeypatch.setenv(BACKUP_ENV, str(dump))
    db = Database(pg_url)
    try:
        assert db.backup_note is not None and str(dump) in db.backup_note and "custom dump" in db.backup_note
        with db.session() as s:
            run = s.scalar(select(SyncRun))
            assert run is not None and run.status == "done" and run.os_user is None  # kept; unknown before v3
            assert s.scalar(select(Profile.name)) == "华东公司-正式"
    finally:
        db.close()
    rows = execute(pg_url, "SELECT version, backup FROM fxk3sync_schema ORDER BY version")
    assert rows[0][0] == 2 and rows[-1] == (LATEST, rows[-1][1]) and str(dump) in rows[-1][1]


def test_migrated_schema_equals_fresh_schema(monkeypatch) -> None:
    old, new = create_database(), create_database()
    try:
        _as_v2(old)
        monkeypatch.setenv(NO_BACKUP_ENV, "1")
        assert _schema(old) == _schema(new)
        assert _version(old) == _version(new) == LATEST
    finally:
        drop_database(old)
        drop_database(new)


@pytest.mark.parametrize("case", ["other_database", "too_old", "not_a_dump", "missing"])
def test_unusable_backups_are_refused_saying_why(case: str, pg_url: str, tmp_path: Path, monkeypatch) -> None:
    _as_v2(pg_url)
    if case == "other_database":
        dump = _pg_dump(make_url(pg_url).set(database="postgres").render_as_string(hide_password=False),
                        tmp_path / "other.dump")
        why = "is a dump of database postgres"
    elif case == "too_old":
        dump = _pg_dump(pg_url, tmp_path / "old.dump")
        two_days_ago = time.time() - 48 * 3600
        os.utime(dump, (two_days_ago, two_days_ago))
        why = "was made 48 hours ago"
    elif case == "not_a_dump":
        dump = tmp_path / "notes.txt"
        dump.write_text("my backup is somewhere", "utf-8")
        why = "not a pg_dump output"
    else:
        dump = tmp_path / "nowhere.dump"
        why = "no such file"
    monkeypatch.setenv(BACKUP_ENV, str(dump))
    with pytest.raises(StoreError) as info:
        Database(pg_url)
    assert info.value.kind == "backup_required" and why in info.value.user_message
    assert _version(pg_url) == 2


def test_explicit_override_upgrades_and_is_recorded(pg_url: str) -> None:
    _as_v2(pg_url)
    Database(pg_url, migrate_without_backup=True).close()
    assert execute(pg_url, f"SELECT version, backup FROM fxk3sync_schema WHERE version = {LATEST:d}") == [
        (LATEST, f"none ({NO_BACKUP_ENV}=1)")]


def test_newer_store_is_refused_and_left_untouched(pg_url: str) -> None:
    Database(pg_url).close()
    execute(pg_url, "INSERT INTO fxk3sync_schema (version, applied_at, host, os_user, program) "
                    f"VALUES ({LATEST + 1}, now(), 'pc', 'u', 'fxk3sync 9')")
    with pytest.raises(ConfigError) as info:
        Database(pg_url, migrate_without_backup=True)
    assert "written by a newer FxK3 Sync" in info.value.user_message and "--db" in info.value.user_message
    assert _version(pg_url) == LATEST + 1


def test_database_with_someone_elses_tables_is_refused(pg_url: str) -> None:
    execute(pg_url, "CREATE TABLE t_order (id int)", "CREATE TABLE t_customer (id int)")
    with pytest.raises(ConfigError) as info:
        Database(pg_url)
    text = info.value.user_message
    assert "not an FxK3 Sync database" in text and "t_customer, t_order" in text and "CREATE DATABASE" in text
    assert [r[0] for r in execute(pg_url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                                          "ORDER BY 1")] == ["t_customer", "t_order"]


def test_two_pcs_opening_an_empty_database_at_once_create_it_once(pg_url: str) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def open_it() -> None:
        try:
            start.wait()
            Database(pg_url).close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert execute(pg_url, "SELECT count(*) FROM fxk3sync_schema") == [(1,)]


def test_missing_database_unreachable_server_and_refused_user_are_explained(pg_url: str) -> None:
    url = make_url(pg_url)
    with pytest.raises(StoreError) as info:
        Database(url.set(database="no_such_db").render_as_string(hide_password=False))
    assert info.value.kind == "no_database" and "CREATE DATABASE no_such_db OWNER fxk3sync" in info.value.user_message
    with pytest.raises(StoreError) as info:
        Database(url.set(username="intruder").render_as_string(hide_password=False))
    assert info.value.kind == "auth" and "intruder" in info.value.user_message
    closed = "postgresql+psycopg://fxk3sync:Secret-Pw-1@127.0.0.1:9/fxk3sync"  # discard port: nothing listens
    with pytest.raises(StoreError) as info:
        Database(closed)
    assert info.value.kind == "unreachable" and "127.0.0.1:9" in info.value.user_message
    assert "Secret-Pw-1" not in info.value.user_message, "a password in the URL is never shown"


@pytest.mark.parametrize("url", ["mysql://u:Secret-Pw-2@h/x", "postgresql+psycopg2://u@h/x", "sqlite://"])
def test_unsupported_urls_are_configuration_errors(url: str) -> None:
    with pytest.raises(ConfigError) as info:
        Database(url)
    assert info.value.field == "db" and "Secret-Pw-2" not in info.value.user_message


def test_connection_lost_mid_session_is_a_store_error_and_the_next_session_reconnects(pg_url: str) -> None:
    db = Database(pg_url)
    try:
        with pytest.raises(StoreError) as info:
            with db.session() as s:
                s.add(Profile(name="a"))
                s.flush()
                backend = s.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
                execute(pg_url, f"SELECT pg_terminate_backend({backend})")  # the server restarts, the link drops
                s.add(Profile(name="b"))
                s.flush()
        assert info.value.kind == "unreachable" and info.value.side == "local"
        assert "Traceback" not in info.value.user_message and "Cannot reach the database server" in \
            info.value.user_message
        with db.session() as s:  # a new connection from the pool; nothing of the broken transaction was kept
            assert s.scalars(select(Profile.name)).all() == []
            s.add(Profile(name="c"))
        with db.session() as s:
            assert s.scalars(select(Profile.name)).all() == ["c"]
    finally:
        db.close()
