"""core.store.claims: a record is claimed by exactly one running run before it is written, on both backends."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, update

from core.store import Database, Profile, SyncClaim, SyncRun, claims, who


def _setup(db: Database) -> int:
    with db.session() as s:
        p = Profile(name="acme")
        s.add(p)
        s.flush()
        return p.id


def _run(db: Database, pid: int, status: str = "running", host: str | None = None) -> int:
    with db.session() as s:
        run = SyncRun(profile_id=pid, flow="orders", status=status, **({"host": host} if host else {}))
        s.add(run)
        s.flush()
        return run.id


def _finish(db: Database, run_id: int, status: str) -> None:
    with db.session() as s:
        s.execute(update(SyncRun).where(SyncRun.id == run_id).values(status=status))


def test_a_running_run_keeps_its_claims_and_an_ended_one_gives_them_up(store: Database) -> None:
    pid = _setup(store)
    a, b = _run(store, pid, host="pc-a"), _run(store, pid, host="pc-b")
    assert claims.claim(store, pid, "orders", ["SO-1", "SO-2", "SO-2"], a) == {"SO-1", "SO-2"}
    assert claims.claim(store, pid, "orders", ["SO-2", "SO-3"], b) == {"SO-3"}, "SO-2 is a's while a runs"
    assert claims.claim(store, pid, "orders", ["SO-1", "SO-2"], a) == {"SO-1", "SO-2"}, "claiming again is fine"
    assert claims.claim(store, pid, "customers", ["SO-2"], b) == {"SO-2"}, "another flow is another record"
    held = claims.holders(store, pid, "orders", ["SO-2", "SO-3", "SO-9"])
    assert set(held) == {"SO-2", "SO-3"}
    assert (held["SO-2"].run_id, held["SO-2"].host, held["SO-2"].os_user, held["SO-2"].status) == \
        (a, "pc-a", who.os_user(), "running")
    for ended in ("interrupted", "failed", "done", "cancelled"):
        _finish(store, a, ended)
        assert claims.claim(store, pid, "orders", ["SO-1"], b) == {"SO-1"}, f"a's run is {ended}"
        _finish(store, a, "running")
        assert claims.claim(store, pid, "orders", ["SO-1"], a) == set(), "now b's, and b still runs"
        _finish(store, b, "done")
        assert claims.claim(store, pid, "orders", ["SO-1"], a) == {"SO-1"}
        _finish(store, b, "running")
    assert claims.claim(store, pid, "orders", [], a) == set()


def test_claims_in_the_callers_session_commit_with_it(store: Database) -> None:
    pid = _setup(store)
    a = _run(store, pid)
    try:
        with store.session() as s:
            assert claims.claim_in(s, pid, "orders", ["SO-1"], a) == {"SO-1"}
            raise RuntimeError("the journal's write failed")
    except RuntimeError:
        pass
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(SyncClaim)) == 0, "rolled back with the caller's rows"


def test_many_keys_are_claimed_in_chunks(store: Database) -> None:
    pid = _setup(store)
    a, b = _run(store, pid), _run(store, pid)
    keys = [f"SO-{i:04d}" for i in range(1200)]
    assert claims.claim(store, pid, "orders", keys[:700], a) == set(keys[:700])
    assert claims.claim(store, pid, "orders", keys, b) == set(keys[700:])


@pytest.mark.parametrize("before", ["free", "held_by_a_dead_run"])
def test_concurrent_runs_on_separate_connections_never_share_a_key(before: str, store: Database,
                                                                   store_url: str) -> None:
    """Four runs (each with its own engine, as four PCs would have) claim the same 300 orders in different
    orders at once, free ones or ones a crashed run left: every order is claimed by exactly one of them."""
    pid = _setup(store)
    if before == "held_by_a_dead_run":
        dead = _run(store, pid)
        assert len(claims.claim(store, pid, "orders", [f"SO-{i:03d}" for i in range(300)], dead)) == 300
        _finish(store, dead, "interrupted")
    runs = [_run(store, pid, host=f"pc-{n}") for n in range(4)]
    keys = [f"SO-{i:03d}" for i in range(300)]
    got: dict[int, set[str]] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(len(runs))

    def work(n: int) -> None:
        db = Database(store_url)
        try:
            mine: set[str] = set()
            order = keys[n * 75:] + keys[:n * 75] if n % 2 == 0 else list(reversed(keys))
            start.wait()
            for i in range(0, len(order), 25):  # chunk by chunk, as the writer sends them
                mine |= claims.claim(db, pid, "orders", order[i:i + 25], runs[n])
            got[n] = mine
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(len(runs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    all_claimed = [k for mine in got.values() for k in mine]
    assert len(all_claimed) == len(set(all_claimed)) == 300, "each key exactly once"
    with store.session() as s:
        rows = {key: run for key, run in s.execute(select(SyncClaim.idem_key, SyncClaim.run_id))}
    assert {k: r for n, mine in got.items() for k in mine for r in [runs[n]]} == rows
