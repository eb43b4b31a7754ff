"""The same store on SQLite and PostgreSQL: sessions, types that differ between them, constraints, who ran a run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError, StatementError

from core.store import Database, Exchange, Link, Mapping, Profile, StoreError, SyncItem, SyncRun, who
from core.store.exchange_log import ExchangeLogWriter, prune
from core.store.migrations import LATEST


def _profile(db: Database, name: str = "华东公司-正式") -> int:
    with db.session() as s:
        p = Profile(name=name)
        s.add(p)
        s.flush()
        return p.id


def test_schema_is_current_on_open_and_reopen(store: Database, store_url: str) -> None:
    if store.backend == "sqlite":
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA user_version").scalar() == LATEST
    else:
        with store.engine.connect() as conn:
            row = conn.exec_driver_sql("SELECT version, host, os_user, program, backup FROM fxk3sync_schema").one()
        assert row == (LATEST, who.host_name(), who.os_user(), row.program, None)
        assert row.program.startswith("fxk3sync ")
    again = Database(store_url)
    again.close()
    assert again.backup_path is None and again.backup_note is None
    tables = set(inspect(store.engine).get_table_names())
    assert {"profiles", "sync_runs", "sync_items", "links", "sync_claims", "sync_locks"} <= tables


def test_session_commits_and_rolls_back(store: Database) -> None:
    _profile(store, "a")
    with pytest.raises(RuntimeError):
        with store.session() as s:
            s.add(Profile(name="b"))
            s.flush()
            raise RuntimeError("boom")
    with store.session() as s:
        assert s.scalars(select(Profile.name)).all() == ["a"]


def test_utc_datetimes_round_trip_aware_and_naive_ones_are_refused(store: Database) -> None:
    pid = _profile(store)
    shanghai = timezone(timedelta(hours=8))
    at = datetime(2026, 3, 1, 8, 30, 15, 123456, tzinfo=shanghai)
    with store.session() as s:
        s.add(SyncRun(profile_id=pid, flow="orders", started_at=at, dry_run=True))
    with store.session() as s:
        run = s.scalar(select(SyncRun))
        assert run is not None
        assert run.started_at == at and run.started_at.tzinfo == UTC
        assert run.started_at.hour == 0  # stored as UTC whatever the writer's zone
        assert run.dry_run is True
        assert s.scalar(select(SyncRun.id).where(SyncRun.started_at < at + timedelta(seconds=1))) == run.id
    with pytest.raises(StatementError, match="naive datetime"):
        with store.session() as s:
            s.add(SyncRun(profile_id=pid, flow="orders", started_at=datetime(2026, 3, 1)))


def test_epoch_milliseconds_and_long_values_fit_on_both(store: Database) -> None:
    """source_modified_ms holds epoch ms (> 2^31: a 32-bit PostgreSQL INTEGER overflows); declared lengths are
    not enforced on either backend, so a long id from a server is stored the same way on both."""
    pid = _profile(store)
    ms = 1_767_225_600_000  # 2026-01-01 in ms
    long_id = "x" * 300
    with store.session() as s:
        s.add(Link(profile_id=pid, object="SalesOrderObj", source_id=long_id, k3_form="SAL_SaleOrder",
                   k3_number="SO-" + "9" * 200, source_modified_ms=ms))
        s.add(SyncRun(profile_id=pid, flow="orders", pid=2**40))
    with store.session() as s:
        link = s.scalar(select(Link))
        assert link is not None
        assert (link.source_id, link.source_modified_ms, len(link.k3_number or "")) == (long_id, ms, 203)
        assert s.scalar(select(SyncRun.pid)) == 2**40


def test_foreign_keys_enforced_and_profile_delete_cascades(store: Database) -> None:
    with pytest.raises(IntegrityError):  # a constraint stays IntegrityError (callers rely on it), not StoreError
        with store.session() as s:
            s.add(Mapping(profile_id=999, flow="customers", version=1, body_json="{}"))
    pid = _profile(store)
    with store.session() as s:
        run = SyncRun(profile_id=pid, flow="orders")
        s.add(run)
        s.flush()
        s.add_all([Mapping(profile_id=pid, flow="orders", version=1, body_json="{}"),
                   SyncItem(run_id=run.id, profile_id=pid, flow="orders", source_id="o1", idem_key="SO-1")])
    with pytest.raises(IntegrityError):
        with store.session() as s:
            s.add(Mapping(profile_id=pid, flow="orders", version=1, body_json="{}"))
    with store.session() as s:
        s.delete(s.get(Profile, pid))
    with store.session() as s:
        for model in (Mapping, SyncItem, SyncRun):
            assert s.scalars(select(model)).all() == []


def test_each_run_records_host_and_os_user(store: Database) -> None:
    pid = _profile(store)
    with store.session() as s:
        s.add(SyncRun(profile_id=pid, flow="orders"))  # as the journal creates it: no user given
    with store.session() as s:
        run = s.scalar(select(SyncRun))
        assert run is not None and (run.host, run.os_user) == (who.host_name(), who.os_user())
        assert run.os_user not in ("", "?")


def test_exchange_log_stores_chinese_and_nul_bytes_and_prunes(store: Database) -> None:
    log = ExchangeLogWriter(store)
    old = datetime.now(UTC) - timedelta(days=40)
    log({"at": old, "side": "fxiaoke", "endpoint": "x", "url": "u", "request_body": "old", "response_body": None})
    log({"side": "k3cloud", "endpoint": "Save", "url": "https://erp/K3Cloud/", "code": "E\x00" + "9" * 100,
         "trace_id": "t" * 300, "request_body": "客户\x00名称", "response_body": b"\x00\xff"})
    with store.session() as s:
        rows = s.scalars(select(Exchange).order_by(Exchange.id)).all()
    assert len(rows) == 2, "a NUL byte must not lose the row on PostgreSQL"
    assert rows[1].request_text == "客户\\u0000名称" and rows[1].code == "E\\u0000" + "9" * 100
    assert len(rows[1].trace_id or "") == 300
    assert prune(store, max_age_days=30) == 1


def test_storage_failure_in_a_session_is_a_store_error(store: Database) -> None:
    """The server (or SQLite) reports a full disk: the session raises StoreError(disk_full), side local, and
    nothing of the block is kept."""
    pid = _profile(store)
    if store.backend == "sqlite":
        raise_full = "PRAGMA max_page_count = 1"  # SQLite answers the next page it needs with SQLITE_FULL
    else:  # a real server error with SQLSTATE 53100 disk_full (a server cannot be filled here)
        raise_full = "DO $$ BEGIN RAISE EXCEPTION 'could not extend file' USING ERRCODE = 'disk_full'; END $$"
    with pytest.raises(StoreError) as info:
        with store.session() as s:
            s.add(SyncRun(profile_id=pid, flow="orders"))
            s.flush()
            s.connection().exec_driver_sql(raise_full)
            s.add_all([Exchange(side="k3cloud", url="u" * 5000, endpoint="e") for _ in range(50)])
            s.flush()
    err = info.value
    assert (err.kind, err.side, err.code) == ("disk_full", "local", "disk_full")
    assert "磁盘已满" in err.user_message and "disk is full" in err.user_message
    assert err.info().side == "local" and err.info().code == "disk_full"  # as it travels once caught
    with store.session() as s:
        assert s.scalars(select(SyncRun)).all() == []
