"""The GUI reads while a sync writes: WAL lets readers and one writer work at once without 'database is locked'."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from core.store import Database, Profile, SyncItem, SyncRun


def _seed(db: Database) -> tuple[int, int]:
    with db.session() as s:
        p = Profile(name="acme")
        s.add(p)
        s.flush()
        run = SyncRun(profile_id=p.id, flow="orders")
        s.add(run)
        s.flush()
        return p.id, run.id


def test_writer_commits_while_a_reader_holds_a_snapshot(home: Path) -> None:
    db = Database()
    try:
        pid, run_id = _seed(db)
        reader = sqlite3.connect(db.path, isolation_level=None, timeout=0.1)
        try:
            reader.execute("BEGIN")
            seen = reader.execute("SELECT count(*) FROM sync_items").fetchone()[0]
            started = time.monotonic()
            with db.session() as s:  # would wait for the reader (and fail) without WAL
                s.add(SyncItem(run_id=run_id, profile_id=pid, flow="orders", source_id="o1", idem_key="SO-1"))
            assert time.monotonic() - started < 2
            assert reader.execute("SELECT count(*) FROM sync_items").fetchone()[0] == seen  # stable snapshot
            reader.execute("COMMIT")
            assert reader.execute("SELECT count(*) FROM sync_items").fetchone()[0] == seen + 1
        finally:
            reader.close()
    finally:
        db.close()


def test_reader_thread_and_writer_thread_run_together(home: Path) -> None:
    writer_db = Database()
    reader_db = Database()  # a second engine, as the GUI and a scheduled CLI sync would have
    pid, run_id = _seed(writer_db)
    total = 150
    errors: list[BaseException] = []
    counts: dict[int, list[int]] = {0: [], 1: []}
    done = threading.Event()

    def write() -> None:
        try:
            for i in range(total):
                with writer_db.session() as s:
                    s.add(SyncItem(run_id=run_id, profile_id=pid, flow="orders", source_id=f"o{i}", idem_key=f"SO-{i}",
                                   state="saved"))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            done.set()

    def read(n: int) -> None:
        try:
            while not done.is_set():
                with reader_db.session() as s:
                    counts[n].append(s.scalar(select(func.count()).select_from(SyncItem)) or 0)
                    s.scalars(select(SyncItem).where(SyncItem.state == "saved").limit(50)).all()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=write), threading.Thread(target=read, args=(0,)),
               threading.Thread(target=read, args=(1,))]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not any(t.is_alive() for t in threads)
        assert errors == []
        for seen in counts.values():
            assert seen == sorted(seen), "a reader never sees committed rows disappear"
        mid = {c for seen in counts.values() for c in seen if 0 < c < total}
        assert len(mid) > 1, "reads happened while the writer was committing"
        with reader_db.session() as s:
            assert s.scalar(select(func.count()).select_from(SyncItem)) == total
    finally:
        writer_db.close()
        reader_db.close()


def test_two_writers_with_read_then_write_sessions_do_not_lock(home: Path) -> None:
    """Two processes' engines (GUI and a scheduled CLI sync) each reading then writing in one session."""
    dbs = [Database(), Database()]
    pid, run_id = _seed(dbs[0])
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(40):
                with dbs[n].session() as s:
                    seen = s.scalar(select(func.count()).select_from(SyncItem)) or 0
                    item = SyncItem(run_id=run_id, profile_id=pid, flow="orders", source_id=f"w{n}-{i}",
                                    idem_key=f"K{n}-{i}-{seen}")
                    s.add(item)
                    s.flush()
                    item.state = "saved"
                    item.attempts = item.attempts + 1
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in (0, 1)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert errors == []
        with dbs[1].session() as s:
            states = s.scalars(select(SyncItem.state)).all()
            assert len(states) == 80 and set(states) == {"saved"}
    finally:
        for db in dbs:
            db.close()
