"""Entry module of core.sync: the exactly-once sync engine (select -> map -> pre-flight -> journal -> write -> confirm).

The GUI and the CLI both drive ``SyncEngine``: ``run()`` is a generator of ``Progress`` events returning a
``RunSummary``; ``sync()`` drains it. See ``writer.py`` for why a record can never be written twice.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Generator, Iterable
from typing import Any

from sqlalchemy import select as sa_select

from core.errors import ConfigError, Fxk3Error, MappingError, Text
from core.mapping import Mapping, apply
from core.mapping.repo import MappingRepo
from core.store import Database, ExchangeLogWriter
from core.store import Profile as ProfileRow
from core.sync import abort, plan, preflight
from core.sync.deliveries import WATERMARK as DELIVERY_WATERMARK
from core.sync.deliveries import DeliverySync
from core.sync.journal import Journal
from core.sync.lock import DEFAULT_WAIT, ProfileLock
from core.sync.model import FLOWS, ItemResult, Progress, RunSummary, SyncRequest, count
from core.sync.plan import Work
from core.sync.reconcile import reconcile as reconcile_items
from core.sync.writer import Writer

__all__ = ["ItemResult", "Progress", "RunSummary", "SyncEngine", "SyncRequest"]

CUSTOMER_OBJECT = "AccountObj"


class _Tally:
    """Counts of the items of the requested flow, turned into Progress events."""

    def __init__(self, total: int = 0) -> None:
        self.total = total
        self.items: list[ItemResult] = []
        self.planned: list[str] = []  # source ids the run selected (reported if a fatal error stops it)
        self.counts = count([])

    def event(self, phase: str, item: ItemResult | None = None) -> Progress:
        if item is not None:
            self.items.append(item)
            self.counts[item.status] = self.counts.get(item.status, 0) + 1
        return Progress(phase, len(self.items), max(self.total, len(self.items)), dict(self.counts), item)


class SyncEngine:
    """Syncs one profile.

    Args:
        profile: ``core.profiles.Profile``; secrets: its ``ProfileSecrets``; db: the local ``Database``.
        fx, k3: ready clients to use (the caller closes them and keeps their sinks; add ``engine.sinks`` to them
            to get exchange rows tagged with the run); default: built on first use, closed by ``close()``.
        sinks: extra receivers of every exchange record of the clients built here (the exchange log table always
            gets them, tagged with the run id).
        mapping_repo: where the profile's mappings are (default ``MappingRepo(db)``).
        lock_wait: seconds to wait for another sync of the profile before raising ``SyncBusyError``.
    """

    def __init__(self, profile: Any, secrets: Any, db: Database, *, fx: Any = None, k3: Any = None,
                 sinks: Iterable[Callable[[Any], None]] = (), mapping_repo: MappingRepo | None = None,
                 lock_wait: float = DEFAULT_WAIT) -> None:
        self.profile, self.secrets, self.db = profile, secrets, db
        self._fx, self._k3 = fx, k3
        self._own: list[Any] = []
        self._log = ExchangeLogWriter(db)
        self.sinks = [self._log, *sinks]
        self.mapping_repo = mapping_repo or MappingRepo(db)
        self.profile_id = self._profile_id()
        self.journal = Journal(db, self.profile_id)
        self.lock_wait = lock_wait
        self._lock: ProfileLock | None = None
        self._lock_depth = 0
        self._guard = threading.Lock()

    # -- clients ------------------------------------------------------------------------------------------------
    @property
    def fx(self) -> Any:
        if self._fx is None:
            from core.fxiaoke.client import FxiaokeClient
            from core.fxiaoke.operator_store import db_operator_cache

            self._fx = FxiaokeClient(self.profile, self.secrets, sinks=self.sinks,
                                     operator_cache=db_operator_cache(self.db, self.profile_id))
            self._own.append(self._fx)
        return self._fx

    @property
    def k3(self) -> Any:
        if self._k3 is None:
            from core.k3cloud.client import K3CloudClient

            self._k3 = K3CloudClient(self.profile, self.secrets, sinks=self.sinks)
            self._own.append(self._k3)
        return self._k3

    def close(self) -> None:
        """Closes the clients this engine built (the next use builds new ones)."""
        own, self._own = self._own, []
        for client in own:
            client.close()
        if self._fx in own:
            self._fx = None
        if self._k3 in own:
            self._k3 = None

    def __enter__(self) -> SyncEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _profile_id(self) -> int:
        with self.db.session() as s:
            pid = s.scalar(sa_select(ProfileRow.id).where(ProfileRow.name == self.profile.name))
        if pid is None:
            raise ConfigError(Text("没有名为“{n}”的配置。", "There is no profile named '{n}'.").format(n=self.profile.name),
                              field="name")
        return pid

    def mapping(self, flow: str) -> Mapping:
        return self.mapping_repo.get(self.profile_id, flow)

    def _settings(self) -> dict[str, Any]:
        to_dict = getattr(self.profile, "to_dict", None)
        return to_dict() if callable(to_dict) else dict(vars(self.profile))

    # -- the lock -----------------------------------------------------------------------------------------------
    def _acquire(self) -> None:
        with self._guard:
            if self._lock_depth == 0:
                self._lock = ProfileLock(self.profile.name, wait=self.lock_wait).acquire()
            self._lock_depth += 1

    def _release(self) -> None:
        with self._guard:
            self._lock_depth -= 1
            if self._lock_depth == 0 and self._lock is not None:
                self._lock.release()
                self._lock = None

    # -- public API ---------------------------------------------------------------------------------------------
    def sync(self, request: SyncRequest, *, cancel: threading.Event | None = None,
             on_progress: Callable[[Progress], None] | None = None) -> RunSummary:
        """Runs ``run()`` to the end, passing each event to ``on_progress``."""
        gen = self.run(request, cancel=cancel)
        while True:
            try:
                event = next(gen)
            except StopIteration as stop:
                return stop.value
            if on_progress is not None:
                on_progress(event)

    def run(self, request: SyncRequest, *,
            cancel: threading.Event | None = None) -> Generator[Progress, None, RunSummary]:
        """One run: yields Progress, returns the RunSummary; SyncBusyError while another sync of the profile runs.

        A connection, TLS, authentication or quota error raises as it is if the run had not begun writing; after
        that it ends the run (recorded 'failed') with a summary whose ``aborted`` is the error (see ``abort.py``).
        """
        if request.flow not in FLOWS:
            raise ConfigError(Text(f"未知的同步类型 {request.flow}。", f"Unknown sync flow {request.flow}."), field="flow")
        self._acquire()
        try:
            if not request.dry_run:
                self._reconcile_locked()
            run_id = self.journal.start_run(request.flow, dry_run=request.dry_run)
            self._log.run_id = run_id
            status, tally = "failed", _Tally()
            try:
                stopped: Fxk3Error | None = None
                try:
                    if request.flow == "deliveries":
                        summary = yield from self._deliveries(request, run_id, tally, cancel)
                    else:
                        summary = yield from self._records(request, run_id, tally, cancel)
                except Fxk3Error as exc:
                    if request.dry_run or not abort.is_fatal(exc) or not abort.began_writing(
                            self.journal, run_id, tally.items):
                        raise  # nothing was written: the error alone says it all
                    stopped = exc
                if stopped is not None:
                    summary = yield from self._stopped(request, run_id, tally, stopped)
                status = "cancelled" if summary.cancelled else ("failed" if summary.aborted else "done")
                yield tally.event("done")
                return summary
            finally:
                self.journal.finish_run(run_id, status, dict(tally.counts))
                self._log.run_id = None
        finally:
            self._release()

    def _stopped(self, request: SyncRequest, run_id: int, tally: _Tally,
                 exc: Fxk3Error) -> Generator[Progress, None, RunSummary]:
        """A fatal error stopped a run that had begun writing: settled items stand, the rest are reported failed."""
        rest = abort.stopped_items(self.journal, run_id, request.flow, list(tally.items), tally.planned, exc)
        for item in rest:
            yield tally.event("write", item)
        summary = RunSummary.of(run_id, tally.items)
        summary.aborted = exc
        summary.wrote = abort.wrote(self.journal, run_id, summary)
        return summary

    def reconcile(self) -> int:
        """Settles unfinished journal items by asking K3Cloud by key; returns how many (also done at each run start)."""
        self._acquire()
        try:
            return self._reconcile_locked()
        finally:
            self._release()

    def _reconcile_locked(self) -> int:
        n = reconcile_items(self.k3, self.journal, self.mapping) if self.journal.unfinished() else 0
        self.journal.close_dead_runs()
        return n

    def retry(self, item_ids: list[int]) -> RunSummary:
        """Syncs the records of these journal items again (failed ones); the key check keeps it exactly-once."""
        return self._again(item_ids)

    def finish(self, item_ids: list[int]) -> RunSummary:
        """Submits/audits documents left half-done (saved or submitted) as the profile says."""
        return self._again(item_ids)

    def mark_resolved(self, item_ids: list[int]) -> None:
        """The user settled these items by hand; they are no longer offered for retry."""
        items = self.journal.items(item_ids)
        self.journal.settle([(it.id, {"state": "resolved"}) for it in items if it.state in ("failed", "saved",
                                                                                           "submitted")])

    def preview(self, flow: str, source_id: str) -> str:
        """The exact Save data package for one record as indented JSON; only reads, nothing is sent or journaled."""
        mapping = self.mapping(flow)
        rows = self.fx.get_many(mapping.source_object, [source_id])
        if not rows:
            raise plan.not_found_error(mapping.source_object, source_id)
        pre = plan.Prefetch(self.fx, mapping, self.journal)
        pre.load(rows)
        payload = apply(mapping, rows[0], lines=pre.lines.get(source_id, []), lookups=pre.lookups,
                        settings=self._settings())
        return json.dumps(payload.data_package(mapping), ensure_ascii=False, indent=2)

    def _again(self, item_ids: list[int]) -> RunSummary:
        by_flow: dict[str, list[str]] = {}
        for it in self.journal.items(item_ids):
            if it.flow in ("customers", "orders") and it.state != "resolved":
                by_flow.setdefault(it.flow, []).append(it.source_id)
        items: list[ItemResult] = []
        run_id, stopped, wrote = None, None, False
        for flow in ("customers", "orders"):
            if flow in by_flow:
                s = self.sync(SyncRequest(flow, ids=list(dict.fromkeys(by_flow[flow]))))
                items += s.items
                run_id, stopped, wrote = s.run_id, s.aborted, wrote or s.wrote
                if stopped is not None:
                    break
        summary = RunSummary.of(run_id, items)
        summary.aborted, summary.wrote = stopped, wrote or bool(summary.created or summary.updated or summary.skipped)
        return summary

    # -- customers and orders -----------------------------------------------------------------------------------
    def _records(self, request: SyncRequest, run_id: int, tally: _Tally,
                 cancel: threading.Event | None) -> Generator[Progress, None, RunSummary]:
        mapping = self.mapping(request.flow)
        yield tally.event("select")
        sel = plan.select(self.fx, mapping, request, self.journal)
        tally.total = len(sel.records) + len(sel.missing) + len(sel.voided)
        tally.planned = ([str(r.get("_id")) for r in sel.records] + list(sel.missing)
                         + [str(r.get("_id")) for r in sel.voided])
        yield tally.event("map")
        pre = plan.Prefetch(self.fx, mapping, self.journal)
        pre.load(sel.records)
        known: dict[str, set[str]] = {}
        blocked: dict[str, dict[str, Any]] = {}
        if request.flow == "orders":
            known, blocked = yield from self._customers_first(pre, mapping, sel.records, run_id, request.dry_run,
                                                              tally, cancel)
        works = pre.map(sel.records, self._settings())
        acct_field = plan.lookup_source(mapping, CUSTOMER_OBJECT)
        for w in works:
            acct = w.record.get(acct_field) if acct_field else None
            acct = acct[0] if isinstance(acct, list) and acct else acct
            if acct in blocked and (w.error is None or isinstance(w.error, MappingError)):
                w.error = blocked[acct]  # the customer is the root cause, not the empty customer number it left
        works += [Work(i, {"_id": i}, error=plan.not_found_error(mapping.source_object, i)) for i in sel.missing]
        works += [Work(str(r.get("_id")), r, error=plan.voided_error(mapping.source_object, r)) for r in sel.voided]
        yield tally.event("preflight")
        preflight.check(self.k3, works, known=known)
        if request.dry_run:
            return (yield from self._dry(works, mapping, run_id, tally))
        writer = Writer(k3=self.k3, fx=self.fx, journal=self.journal, run_id=run_id, profile=self.profile,
                        mapping=mapping, cancel=cancel)
        yield tally.event("dedupe")
        items = yield from _relay(writer.process(works), tally)
        if sel.watermark_name and sel.new_watermark is not None and not writer.cancelled:
            old = self.journal.watermark(sel.watermark_name)
            if not (old and old.isdigit() and int(old) >= sel.new_watermark):
                self.journal.set_watermark(sel.watermark_name, str(sel.new_watermark))
        return RunSummary.of(run_id, items, cancelled=writer.cancelled)

    def _customers_first(self, pre: plan.Prefetch, mapping: Mapping, orders: list[dict[str, Any]], run_id: int,
                         dry_run: bool, tally: _Tally, cancel: threading.Event | None,
                         ) -> Generator[Progress, None, tuple[dict[str, set[str]], dict[str, Any]]]:
        """Pushes the orders' customers K3Cloud lacks; returns (known customer numbers, failed customer -> error)."""
        acct_field = plan.lookup_source(mapping, CUSTOMER_OBJECT)
        accounts = pre.lookups.records.get(CUSTOMER_OBJECT, {})
        if not acct_field or not accounts:
            return {}, {}
        cmap = self.mapping("customers")
        cpre = plan.Prefetch(self.fx, cmap, self.journal)
        cworks = cpre.map(list(accounts.values()), self._settings())
        blocked = {w.source_id: _customer_error(w.record, w.error) for w in cworks if w.error is not None}
        ok = [w for w in cworks if w.error is None]
        cwriter = Writer(k3=self.k3, fx=self.fx, journal=self.journal, run_id=run_id, profile=self.profile,
                         mapping=cmap, cancel=cancel)
        present = cwriter.lookup([w.idem_key for w in ok])
        numbers = set(present)
        for w in ok:
            if w.idem_key in present:
                pre.set_number(CUSTOMER_OBJECT, w.source_id, w.idem_key)
        push = [w for w in ok if w.idem_key not in present]
        if push and dry_run:
            for w in push:
                pre.set_number(CUSTOMER_OBJECT, w.source_id, w.idem_key)
                numbers.add(w.idem_key)
        elif push:
            gen = cwriter.process(push)
            while True:
                try:
                    phase, _ = next(gen)
                except StopIteration as stop:
                    results = stop.value
                    break
                yield tally.event(phase)
            for r in results:
                if r.status == "failed" or not r.k3_number:
                    blocked[r.source_id] = _customer_error(accounts.get(r.source_id, {}), r.error)
                else:
                    pre.set_number(CUSTOMER_OBJECT, r.source_id, r.k3_number)
                    numbers.add(r.k3_number)
        return {cmap.form_id: numbers}, blocked

    def _dry(self, works: list[Work], mapping: Mapping, run_id: int, tally: _Tally,
             ) -> Generator[Progress, None, RunSummary]:
        """Dry run: what would happen, with the exact payloads; only reads were made."""
        ok = [w for w in works if w.error is None and w.payload is not None]
        probe = Writer(k3=self.k3, fx=None, journal=self.journal, run_id=run_id, profile=self.profile, mapping=mapping)
        found = probe.lookup([w.idem_key for w in ok])
        previews: dict[str, Any] = {}
        for w in works:
            if w.error is not None or w.payload is None:
                item = ItemResult(w.source_id, "failed", None, w.idem_key or None,
                                  w.error.to_dict() if isinstance(w.error, Fxk3Error) else None)
            elif w.idem_key in found:
                hit = found[w.idem_key]
                item = ItemResult(w.source_id, "skipped", hit.get("id"), w.idem_key, None)
            else:
                item = ItemResult(w.source_id, "created", None, w.idem_key, None)
                previews[w.source_id] = w.payload.data_package(mapping)
            yield tally.event("write", item)
        summary = RunSummary.of(run_id, tally.items, dry_run=True)
        summary.previews = previews
        return summary

    # -- deliveries ---------------------------------------------------------------------------------------------
    def _deliveries(self, request: SyncRequest, run_id: int, tally: _Tally,
                    cancel: threading.Event | None) -> Generator[Progress, None, RunSummary]:
        job = DeliverySync(k3=self.k3, fx=self.fx, db=self.db, journal=self.journal, run_id=run_id,
                           dry_run=request.dry_run)
        items = yield from _relay(job.run(request.since, cancel), tally)
        if job.new_watermark:
            old = self.journal.watermark(DELIVERY_WATERMARK)
            if not old or job.new_watermark > old or request.since is not None:
                self.journal.set_watermark(DELIVERY_WATERMARK, job.new_watermark)
        return RunSummary.of(run_id, items, cancelled=bool(cancel is not None and cancel.is_set()),
                             dry_run=request.dry_run)


def _relay(gen: Generator[tuple[str, ItemResult | None], None, list[ItemResult]],
           tally: _Tally) -> Generator[Progress, None, list[ItemResult]]:
    """Turns a stage's (phase, item) events into Progress events with running counts."""
    while True:
        try:
            phase, item = next(gen)
        except StopIteration as stop:
            return stop.value
        yield tally.event(phase, item)


def _customer_error(account: dict[str, Any], cause: Any) -> Fxk3Error:
    name = account.get("name") or account.get("_id") or "?"
    if isinstance(cause, Fxk3Error):
        zh, en, side, code = cause.text("zh"), cause.text("en"), cause.side, cause.code
    else:
        parts = str((cause or {}).get("message", "")).split(" | ", 1)
        zh, en = parts[0], parts[-1]
        side, code = (cause or {}).get("side", "k3cloud"), (cause or {}).get("code")
    return Fxk3Error(Text(f"订单的客户「{name}」未能同步到金蝶：{zh}", f"The order's customer '{name}' could not be "
                          f"synced to K3Cloud: {en}"),
                     Text("请先处理该客户的问题，然后重试订单。", "Fix the customer first, then retry the order."),
                     side=side, code=code or "customer_failed")
