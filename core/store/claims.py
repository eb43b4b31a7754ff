"""Claims: a record (profile, flow, idempotency key) is claimed by one run in the database before it is written.

Why a claim row and not ``SELECT … FOR UPDATE SKIP LOCKED``: a row lock lives only as long as its transaction, and
the write to K3Cloud happens between two journal commits (``writing`` is committed before the request is sent), so
holding the lock would mean a transaction open across HTTP calls; SQLite has no row locks at all. A claim row is
durable instead: it survives the crash of the PC that made it, names the run (and through it the PC and user), and
the unique constraint on (profile, flow, key) lets exactly one of two PCs insert it, on both databases.

A claim is held while its run is 'running'. A claim of a run that ended (done, failed, cancelled, or marked
'interrupted' by ``Journal.close_dead_runs`` under the profile lock) is taken over by the next run that claims the
key; nothing needs releasing. Rows are locked in key order so two claimers of overlapping keys cannot deadlock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from core.store.database import Database
from core.store.models import SyncClaim, SyncRun, utcnow

CHUNK = 500
LIVE = "running"


@dataclass(frozen=True)
class ClaimHolder:
    """The run holding a claim, and which PC and user ran it (for a "claimed elsewhere" message)."""

    idem_key: str
    run_id: int
    host: str | None
    os_user: str | None
    status: str
    claimed_at: datetime


def _insert(dialect: str) -> postgresql.Insert | sqlite.Insert:
    """The dialect's ``INSERT … ON CONFLICT`` construct (both spell ``on_conflict_do_nothing`` the same)."""
    return postgresql.insert(SyncClaim) if dialect == "postgresql" else sqlite.insert(SyncClaim)


def claim_in(s: Session, profile_id: int, flow: str, keys: Iterable[str], run_id: int) -> set[str]:
    """``claim`` inside the caller's session (so the journal can commit it with its ``writing`` rows)."""
    wanted = sorted(set(keys))
    if not wanted:
        return set()
    dialect = s.get_bind().dialect.name
    now = utcnow()
    mine: set[str] = set()
    for i in range(0, len(wanted), CHUNK):
        chunk = wanted[i:i + CHUNK]
        # 1. New keys: inserted as ours. On SQLite this first write also takes the database's write lock, so the
        #    reads below are not raced by another claimer.
        s.execute(_insert(dialect).values([
            {"profile_id": profile_id, "flow": flow, "idem_key": k, "run_id": run_id, "claimed_at": now}
            for k in chunk]).on_conflict_do_nothing(index_elements=["profile_id", "flow", "idem_key"]))
        # 2. Every row of the chunk, locked (PostgreSQL) in key order: after this nobody changes them until we commit.
        holders: dict[str, int] = {key: run for key, run in s.execute(
            select(SyncClaim.idem_key, SyncClaim.run_id)
            .where(SyncClaim.profile_id == profile_id, SyncClaim.flow == flow, SyncClaim.idem_key.in_(chunk))
            .order_by(SyncClaim.idem_key).with_for_update())}
        # 3. Which other holders are still running (a new statement: sees runs committed while we waited).
        others = {r for r in holders.values() if r != run_id}
        live = set(s.scalars(select(SyncRun.id).where(SyncRun.id.in_(others), SyncRun.status == LIVE))) if others \
            else set()
        stale = [k for k, r in holders.items() if r != run_id and r not in live]
        if stale:
            s.execute(update(SyncClaim).where(
                SyncClaim.profile_id == profile_id, SyncClaim.flow == flow, SyncClaim.idem_key.in_(stale))
                .values(run_id=run_id, claimed_at=now))
        mine.update(k for k, r in holders.items() if r == run_id)
        mine.update(stale)
    return mine


def claim(db: Database, profile_id: int, flow: str, keys: Iterable[str], run_id: int) -> set[str]:
    """Claims ``keys`` for ``run_id`` and commits; returns the keys this run now holds.

    A key is returned when it was free, already this run's, or held by a run that is no longer running; a key held
    by another running run (another PC of the team) is not, and must not be written by this run.
    """
    with db.session() as s:
        return claim_in(s, profile_id, flow, keys, run_id)


def holders(db: Database, profile_id: int, flow: str, keys: Sequence[str]) -> dict[str, ClaimHolder]:
    """Key -> the run holding it (any status), with its PC and user."""
    out: dict[str, ClaimHolder] = {}
    wanted = list(dict.fromkeys(keys))
    with db.session() as s:
        for i in range(0, len(wanted), CHUNK):
            rows = s.execute(
                select(SyncClaim.idem_key, SyncClaim.run_id, SyncRun.host, SyncRun.os_user, SyncRun.status,
                       SyncClaim.claimed_at)
                .join(SyncRun, SyncRun.id == SyncClaim.run_id)
                .where(SyncClaim.profile_id == profile_id, SyncClaim.flow == flow,
                       SyncClaim.idem_key.in_(wanted[i:i + CHUNK])))
            for key, run, host, user, status, at in rows:
                out[key] = ClaimHolder(key, run, host, user, status, at)
    return out
