"""The sync journal (SQLite or PostgreSQL): runs, one item per record (committed before any write), links and
watermarks.

Slightly longer than our 400-line guide: every statement the engine makes about a record's state goes through this
one class, so the bulk forms (one statement per chunk, issue 15) and the claims stay in one place.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from core.errors import ErrorInfo
from core.store import Database, Link, StoreError, SyncItem, SyncRun, Watermark, utcnow, who
from core.store.claims import ClaimHolder, claim_in, holders

log = logging.getLogger("fxk3sync.sync")

UNFINISHED = ("pending", "writing")
#: Error code of a write whose outcome could not be checked by number: the record is not sent again by itself.
UNVERIFIED = "outcome_unverified"
#: Codes of a record whose K3Cloud document a person must look at before anything more is sent or finished.
BLOCKING = (UNVERIFIED, "lines_dropped")
_ITEMS = cast(Table, SyncItem.__table__)
_LINKS = cast(Table, Link.__table__)
#: States in which a K3Cloud document exists for the item.
LANDED = ("saved", "submitted", "audited", "skipped")


@dataclass
class NewItem:
    """A journal row to create."""

    source_id: str
    idem_key: str
    state: str = "pending"
    error: ErrorInfo | None = None


@dataclass
class LinkRow:
    source_id: str
    k3_id: str | None
    k3_number: str | None
    state: str
    source_modified_ms: int | None = None


class Journal:
    """Journal of one profile.

    Args:
        db: the local database.
        profile_id: ``profiles.id`` of the profile.
    """

    def __init__(self, db: Database, profile_id: int) -> None:
        self.db = db
        self.profile_id = profile_id

    # -- runs ---------------------------------------------------------------------------------------------------
    def start_run(self, flow: str, *, dry_run: bool = False) -> int:
        with self.db.session() as s:
            run = SyncRun(profile_id=self.profile_id, flow=flow, dry_run=dry_run, status="running",
                          host=who.host_name(), pid=os.getpid(), counts_json="{}")
            s.add(run)
            s.flush()
            return run.id

    def finish_run(self, run_id: int, status: str, counts: dict[str, int], error: ErrorInfo | None = None) -> None:
        """Ends the run; ``error``: what stopped it (a refused login, no API quota, a lost connection ...)."""
        with self.db.session() as s:
            s.execute(update(SyncRun).where(SyncRun.id == run_id).values(
                status=status, finished_at=utcnow(), counts_json=json.dumps(counts), error_json=_dump(error)))

    def record_refused(self, flow: str, error: ErrorInfo, *, dry_run: bool = False,
                       started_at: datetime | None = None) -> int | None:
        """A run that could not even start (another sync holds the profile, the keyring refused its secrets, K3Cloud
        refused the login while checking what an earlier run left): recorded 'failed' with why, so the history of a
        scheduled task says what happened. Never raises: a failing store leaves only the log line."""
        try:
            with self.db.session() as s:
                run = SyncRun(profile_id=self.profile_id, flow=flow, dry_run=dry_run, status="failed",
                              host=who.host_name(), pid=os.getpid(), counts_json="{}",
                              started_at=started_at or utcnow(), finished_at=utcnow(), error_json=_dump(error))
                s.add(run)
                s.flush()
                return run.id
        except (StoreError, SQLAlchemyError):
            log.warning("a refused %s run could not be recorded: the store failed", flow)
            return None

    def close_dead_runs(self) -> int:
        """Runs still 'running' while we hold the profile lock were cut off (crash, kill): mark them 'interrupted'."""
        with self.db.session() as s:
            res = s.execute(update(SyncRun).where(SyncRun.profile_id == self.profile_id, SyncRun.status == "running")
                            .values(status="interrupted", finished_at=utcnow()))
            return int(getattr(res, "rowcount", 0) or 0)  # a CursorResult (typed loosely by execute)

    # -- items --------------------------------------------------------------------------------------------------
    def add_items(self, run_id: int, flow: str, items: Sequence[NewItem]) -> list[int]:
        """Creates the rows and COMMITS them; returns their ids in order.

        One batched INSERT … RETURNING (not one statement per row). Its rows may come back in any order, so each id
        is matched to its item by (source id, key) — rows of one record, if any, in id order."""
        if not items:
            return []
        now = utcnow()
        rows = [{"run_id": run_id, "profile_id": self.profile_id, "flow": flow, "source_id": i.source_id,
                 "idem_key": i.idem_key, "state": i.state, "attempts": 0, "error_json": _dump(i.error),
                 "created_at": now, "updated_at": now} for i in items]
        with self.db.session() as s:
            result = s.connection().execute(
                insert(_ITEMS).returning(_ITEMS.c.id, _ITEMS.c.source_id, _ITEMS.c.idem_key), rows)
            made: dict[tuple[str, str], list[int]] = {}
            for item_id, sid, key in sorted(result, key=lambda r: int(r[0])):
                made.setdefault((str(sid), str(key)), []).append(int(item_id))
        return [made[(i.source_id, i.idem_key)].pop(0) for i in items]

    def mark_writing(self, run_id: int, flow: str, items: Sequence[tuple[int, str]]) -> set[int]:
        """Claims the keys of ``(item id, key)`` for the run and marks the claimed items 'writing', in one commit,
        before the chunk is sent: from here on their outcome must be confirmed by key. Returns the item ids claimed;
        a key another running run holds (another PC of a shared store) is not, and must not be sent."""
        if not items:
            return set()
        with self.db.session() as s:
            mine = claim_in(s, self.profile_id, flow, [key for _, key in items], run_id)
            ids = [item_id for item_id, key in items if key in mine]
            if ids:
                s.execute(update(SyncItem).where(SyncItem.id.in_(ids)).values(
                    state="writing", attempts=SyncItem.attempts + 1, updated_at=utcnow()))
            return set(ids)

    def claim_holders(self, flow: str, keys: Sequence[str]) -> dict[str, ClaimHolder]:
        """Key -> the run (and PC, user) holding it."""
        return holders(self.db, self.profile_id, flow, keys)

    def settle(self, changes: Sequence[tuple[int | None, dict[str, Any]]]) -> None:
        """Applies ``(item_id, {state, k3_id, k3_number, error, action, payload_hash, diff})`` changes in one
        transaction (an update's intent, its action and payload hash, is journaled so before it is sent). A change
        without an item id (a record that never got a journal row) is skipped.

        One executemany per shape of change (the set of columns it sets), not one statement per item: a chunk's
        settle is one or two statements whatever its size (issue 15).
        """
        if not changes:
            return
        now = utcnow()
        shapes: list[tuple[tuple[str, ...], dict[str, Any]]] = []
        for item_id, ch in changes:
            if item_id is None:
                continue
            values: dict[str, Any] = {"updated_at": now}
            for key in ("state", "k3_id", "k3_number", "action", "payload_hash"):
                if key in ch:
                    values[key] = ch[key]
            if "error" in ch:
                values["error_json"] = _dump(ch["error"])
            if "diff" in ch:
                values["diff_json"] = json.dumps(ch["diff"], ensure_ascii=False) if ch["diff"] else None
            values["id"] = item_id
            shapes.append((tuple(sorted(values)), values))
        if not shapes:
            return
        with self.db.session() as s:
            for rows in _batches(shapes):
                cols = [c for c in rows[0] if c != "id"]
                stmt = (update(_ITEMS).where(_ITEMS.c.id == bindparam("_id"))
                        .values({c: bindparam(f"_{c}") for c in cols}))
                s.connection().execute(stmt, [{f"_{k}": v for k, v in r.items()} for r in rows])

    def delete_items(self, item_ids: Iterable[int]) -> None:
        ids = list(item_ids)
        if ids:
            with self.db.session() as s:
                s.execute(delete(SyncItem).where(SyncItem.id.in_(ids)))

    def items(self, item_ids: Iterable[int]) -> list[SyncItem]:
        ids = list(item_ids)
        with self.db.session() as s:
            return list(s.scalars(select(SyncItem).where(SyncItem.id.in_(ids), SyncItem.profile_id == self.profile_id)
                                  .order_by(SyncItem.id)))

    def runs(self, limit: int = 500) -> list[SyncRun]:
        """The newest runs of the profile, newest first."""
        with self.db.session() as s:
            return list(s.scalars(select(SyncRun).where(SyncRun.profile_id == self.profile_id)
                                  .order_by(SyncRun.id.desc()).limit(limit)))

    def run(self, run_id: int) -> SyncRun | None:
        """One run of the profile (None: no such run, or another profile's)."""
        with self.db.session() as s:
            run = s.get(SyncRun, run_id)
            return run if run is not None and run.profile_id == self.profile_id else None

    def run_items(self, run_id: int) -> list[SyncItem]:
        """Every item of one run (all flows), in the order they were journaled."""
        with self.db.session() as s:
            return list(s.scalars(select(SyncItem).where(SyncItem.profile_id == self.profile_id,
                                                         SyncItem.run_id == run_id).order_by(SyncItem.id)))

    def unfinished(self) -> list[SyncItem]:
        with self.db.session() as s:
            return list(s.scalars(select(SyncItem).where(SyncItem.profile_id == self.profile_id,
                                                         SyncItem.state.in_(UNFINISHED)).order_by(SyncItem.id)))

    def latest_items(self, flow: str, source_ids: Iterable[str] | None = None, *,
                     before_run: int | None = None) -> dict[str, SyncItem]:
        """The newest journal row of each record of ``flow`` (of these records, or of all): what it is now; with
        ``before_run``, what it was before that run."""
        out: dict[str, SyncItem] = {}
        ids = None if source_ids is None else list(dict.fromkeys(source_ids))
        parts = [None] if ids is None else [ids[i:i + 500] for i in range(0, len(ids), 500)]
        with self.db.session() as s:
            for part in parts:
                newest = select(func.max(SyncItem.id)).where(SyncItem.profile_id == self.profile_id,
                                                             SyncItem.flow == flow)
                if part is not None:
                    newest = newest.where(SyncItem.source_id.in_(part))
                if before_run is not None:
                    newest = newest.where(SyncItem.run_id != before_run)
                for item in s.scalars(select(SyncItem).where(SyncItem.id.in_(newest.group_by(SyncItem.source_id)))):
                    out[item.source_id] = item
        return out

    def open_failures(self, flow: str, waiting: Sequence[str] = ()) -> list[str]:
        """Source ids whose latest journal row is 'failed' or 'held' (not resolved): picked up again by incremental
        runs until they pass or a person resolves them; held ones whose code is in ``waiting`` wait for a change of
        the record itself (which the watermark query sees) and are left out."""
        out = []
        for sid, item in self.latest_items(flow).items():
            if item.state == "held" and waiting:
                error = load_error(item)
                if error is not None and error.code in waiting:
                    continue
            if item.state in ("failed", "held"):
                out.append(sid)
        return out

    def flows(self) -> list[str]:
        """The flows the profile's journal has rows of."""
        with self.db.session() as s:
            return sorted(s.scalars(select(SyncItem.flow).where(SyncItem.profile_id == self.profile_id).distinct()))

    def failure_streaks(self, flow: str, source_ids: Sequence[str]) -> dict[str, int]:
        """Source id -> in how many of its newest runs in a row the record failed (0: its newest row did not)."""
        ids = list(dict.fromkeys(source_ids))
        rows: dict[str, list[str]] = {}
        with self.db.session() as s:
            for i in range(0, len(ids), 500):
                for sid, state in s.execute(select(SyncItem.source_id, SyncItem.state).where(
                        SyncItem.profile_id == self.profile_id, SyncItem.flow == flow,
                        SyncItem.source_id.in_(ids[i:i + 500])).order_by(SyncItem.id.desc())):
                    rows.setdefault(sid, []).append(state)
        out: dict[str, int] = {}
        for sid in ids:
            states = rows.get(sid, [])
            out[sid] = next((n for n, st in enumerate(states) if st != "failed"), len(states))
        return out

    def unverified(self, flow: str, source_ids: Sequence[str], run_id: int) -> dict[str, ErrorInfo]:
        """Source id -> error, for records whose latest earlier row a person must look at first (``BLOCKING``): an
        unknown write that could not be checked, or a document K3Cloud saved without all its lines."""
        out: dict[str, ErrorInfo] = {}
        for sid, item in self.latest_items(flow, source_ids, before_run=run_id).items():
            error = load_error(item) if item.state not in ("resolved",) else None
            if error is not None and error.code in BLOCKING:
                out[sid] = error
        return out

    def ours(self, flow: str, numbers: Iterable[str]) -> set[str]:
        """Which of these K3Cloud numbers this machine wrote itself (a journal row reached saved or later)."""
        nums = list(numbers)
        out: set[str] = set()
        with self.db.session() as s:
            for i in range(0, len(nums), 500):
                chunk = nums[i:i + 500]
                rows = s.execute(select(SyncItem.idem_key, SyncItem.k3_number).where(
                    SyncItem.profile_id == self.profile_id, SyncItem.flow == flow,
                    SyncItem.state.in_(("saved", "submitted", "audited")),
                    (SyncItem.idem_key.in_(chunk)) | (SyncItem.k3_number.in_(chunk))))
                for key, number in rows:
                    out.update(x for x in (key, number) if x in chunk)
        return out

    # -- links --------------------------------------------------------------------------------------------------
    def upsert_links(self, obj: str, k3_form: str, rows: Sequence[LinkRow]) -> None:
        """Creates or updates the links of these records: one read, then one INSERT and one UPDATE executemany."""
        if not rows:
            return
        now = utcnow()
        t = _LINKS
        merged: dict[str, dict[str, Any]] = {}
        with self.db.session() as s:
            ids = list(dict.fromkeys(r.source_id for r in rows))
            for i in range(0, len(ids), 500):
                for link_id, sid, k3_id, k3_number, modified in s.execute(
                        select(t.c.id, t.c.source_id, t.c.k3_id, t.c.k3_number, t.c.source_modified_ms).where(
                            t.c.profile_id == self.profile_id, t.c.object == obj,
                            t.c.source_id.in_(ids[i:i + 500]))):
                    merged[str(sid)] = {"id": link_id, "k3_id": k3_id, "k3_number": k3_number,
                                   "source_modified_ms": modified}
            for r in rows:
                ln = merged.setdefault(r.source_id, {"id": None, "k3_id": None, "k3_number": None,
                                                     "source_modified_ms": None})
                ln.update(k3_form=k3_form, state=r.state, synced_at=now, k3_id=r.k3_id or ln["k3_id"],
                          k3_number=r.k3_number or ln["k3_number"])
                if r.source_modified_ms is not None:
                    ln["source_modified_ms"] = r.source_modified_ms
            wanted = {r.source_id for r in rows}
            fresh = [{"profile_id": self.profile_id, "object": obj, "source_id": sid,
                      **{k: v for k, v in ln.items() if k != "id"}}
                     for sid, ln in merged.items() if sid in wanted and ln["id"] is None]
            known = [{f"_{k}": v for k, v in ln.items()} for sid, ln in merged.items()
                     if sid in wanted and ln["id"] is not None]
            if fresh:
                s.connection().execute(insert(t), fresh)
            if known:
                cols = [k for k in known[0] if k != "_id"]
                s.connection().execute(update(t).where(t.c.id == bindparam("_id"))
                                       .values({c[1:]: bindparam(c) for c in cols}), known)

    def links(self, obj: str, source_ids: Iterable[str]) -> dict[str, Link]:
        ids = list(source_ids)
        if not ids:
            return {}
        out: dict[str, Link] = {}
        with self.db.session() as s:
            for i in range(0, len(ids), 500):
                for ln in s.scalars(select(Link).where(Link.profile_id == self.profile_id, Link.object == obj,
                                                       Link.source_id.in_(ids[i:i + 500]))):
                    out[ln.source_id] = ln
        return out

    def linked(self, obj: str) -> dict[str, Link]:
        """Every record of ``obj`` linked to a K3Cloud document that was not voided since (source id -> link)."""
        with self.db.session() as s:
            return {ln.source_id: ln for ln in s.scalars(select(Link).where(
                Link.profile_id == self.profile_id, Link.object == obj, Link.state != "voided"))}

    def sources_by_number(self, obj: str, numbers: Iterable[str]) -> dict[str, str]:
        """K3Cloud number -> the Fxiaoke record already linked to it."""
        nums = list(dict.fromkeys(numbers))
        out: dict[str, str] = {}
        with self.db.session() as s:
            for i in range(0, len(nums), 500):
                for number, source in s.execute(select(Link.k3_number, Link.source_id).where(
                        Link.profile_id == self.profile_id, Link.object == obj,
                        Link.k3_number.in_(nums[i:i + 500]))):
                    if number is not None:
                        out.setdefault(number, source)
        return out

    # -- watermarks ---------------------------------------------------------------------------------------------
    def watermark(self, name: str) -> str | None:
        with self.db.session() as s:
            row = s.get(Watermark, (self.profile_id, name))
            return row.value if row else None

    def set_watermark(self, name: str, value: str) -> None:
        with self.db.session() as s:
            row = s.get(Watermark, (self.profile_id, name))
            if row is None:
                s.add(Watermark(profile_id=self.profile_id, name=name, value=value))
            else:
                row.value = value


def _batches(shapes: list[tuple[tuple[str, ...], dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """Rows of one shape (the columns they set) go in one executemany. When an item is changed twice in one call,
    the changes are applied in their order instead: runs of consecutive rows of one shape."""
    ids = [values["id"] for _, values in shapes]
    if len(set(ids)) == len(ids):
        grouped: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for shape, values in shapes:
            grouped.setdefault(shape, []).append(values)
        return list(grouped.values())
    runs: list[list[dict[str, Any]]] = []
    last: tuple[str, ...] | None = None
    for shape, values in shapes:
        if shape != last:
            runs.append([])
            last = shape
        runs[-1].append(values)
    return runs


def _dump(error: ErrorInfo | None) -> str | None:
    return None if error is None else json.dumps(error.to_json(), ensure_ascii=False)


def load_diff(item: SyncItem) -> list[dict[str, str]] | None:
    """The difference an update or a hold found (``[{"field", "k3", "new"}]``), or None."""
    try:
        data = json.loads(item.diff_json) if item.diff_json else None
    except ValueError:
        return None
    return [d for d in data if isinstance(d, dict)] if isinstance(data, list) else None


def load_error(item: SyncItem) -> ErrorInfo | None:
    """The item's stored error as the value it was written from."""
    return parse_error(item.error_json)


def parse_error(text: str | None) -> ErrorInfo | None:
    if not text:
        return None
    try:
        return ErrorInfo.from_json(json.loads(text))
    except ValueError:
        return None
