"""Entry module of core.sync: the exactly-once sync engine (select -> map -> pre-flight -> journal -> write -> confirm).

``run()`` is a generator of ``Progress`` events returning a ``RunSummary``; ``sync()`` drains it. The application
service (``core.workspace``) builds the clients and calls the engine for both faces. Nothing is written anywhere
before every record of the run has been mapped and pre-flighted (an order's new customer included). See
``writer.py`` for why a record can never be written twice.

Longer than our 400-line guide on purpose: it is the one place where a run's phases are ordered (lock, reconcile,
select, map, customers, pre-flight, write, abort) for every flow; each phase's logic lives in its own module.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select as sa_select

from core.errors import ConfigError, ErrorInfo, Fxk3Error, Text
from core.fxiaoke.client import FxiaokeClient
from core.k3cloud.client import K3CloudClient
from core.mapping import Mapping, apply
from core.mapping.repo import MappingRepo
from core.profiles import Profile
from core.store import Database, ExchangeLogWriter, StoreError, utcnow
from core.store import Profile as ProfileRow
from core.sync import abort, changes, lifecycle, messages, plan, preflight, reads, ship_status, voids
from core.sync.journal import Journal
from core.sync.lock import DEFAULT_WAIT, ProfileLock
from core.sync.model import (
    FLOWS,
    RETRY_FLOWS,
    STATUS_STAGE,
    ItemResult,
    Progress,
    RunSummary,
    SyncRequest,
    count,
    is_held,
    stage_rank,
)
from core.sync.payments import hold_unsynced_documents
from core.sync.plan import Work
from core.sync.products import ProductSync
from core.sync.reconcile import reconcile as reconcile_items
from core.sync.shipments import ShipmentSync, watermark_name
from core.sync.slots import Slot, target_stage, text_or_none
from core.sync.updater import Updater
from core.sync.writer import Event, Writer

__all__ = ["ItemResult", "Progress", "RunSummary", "SyncEngine", "SyncRequest", "drain"]

log = logging.getLogger("fxk3sync.sync")
CUSTOMER_OBJECT = "AccountObj"


class _Tally:
    """Counts of the items of a run, turned into Progress events."""

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


@dataclass
class _Customers:
    """An order run's customers, planned before anything is written."""

    works: dict[str, Work] = field(default_factory=dict)  # account _id -> its mapped customer
    present: set[str] = field(default_factory=set)  # numbers K3Cloud has already
    blocked: dict[str, ErrorInfo] = field(default_factory=dict)  # account _id -> why its orders cannot go


def drain(gen: Generator[Progress, None, RunSummary],
          on_progress: Callable[[Progress], None] | None = None) -> RunSummary:
    """Runs a progress generator to its end, passing each event on; returns what it returned."""
    while True:
        try:
            event = next(gen)
        except StopIteration as stop:
            result: RunSummary = stop.value
            return result
        if on_progress is not None:
            on_progress(event)


class SyncEngine:
    """Syncs one profile with the clients it is given (the application service builds and closes them).

    Args:
        profile: the profile; db: the store.
        fx, k3: the clients of both sides.
        exchange_log: the writer that stores every exchange of these clients; the engine tags it with the run id.
        mapping_repo: where the profile's mappings are (default ``MappingRepo(db)``).
        lock_wait: seconds to wait for another sync of the profile before raising ``SyncBusyError``.
    """

    def __init__(self, profile: Profile, db: Database, *, fx: FxiaokeClient, k3: K3CloudClient,
                 exchange_log: ExchangeLogWriter | None = None, mapping_repo: MappingRepo | None = None,
                 lock_wait: float = DEFAULT_WAIT) -> None:
        self.profile, self.db, self.fx, self.k3 = profile, db, fx, k3
        self._log = exchange_log
        self.mapping_repo = mapping_repo or MappingRepo(db)
        self.profile_id = self._profile_id()
        self.journal = Journal(db, self.profile_id)
        self.lock_wait = lock_wait
        self._lock: ProfileLock | None = None
        self._lock_depth = 0
        self._guard = threading.Lock()
        #: Fxiaoke order _id -> how far it shipped (shipped/partly/none), as the last deliveries run found it.
        self.last_ship_states: dict[str, str] = {}

    def _profile_id(self) -> int:
        with self.db.session() as s:
            pid = s.scalar(sa_select(ProfileRow.id).where(ProfileRow.name == self.profile.name))
        if pid is None:
            raise ConfigError(Text("没有名为“{n}”的配置。", "There is no profile named '{n}'.")
                              .format(n=self.profile.name), field="name")
        return pid

    def mapping(self, flow: str) -> Mapping:
        return self.mapping_repo.get(self.profile_id, flow)

    def _settings(self) -> dict[str, Any]:
        return self.profile.to_dict()

    # -- the lock -----------------------------------------------------------------------------------------------
    def _acquire(self) -> None:
        with self._guard:
            if self._lock_depth == 0:
                self._lock = ProfileLock(self.profile.name, wait=self.lock_wait, db=self.db).acquire()
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
        return drain(self.run(request, cancel=cancel), on_progress)

    def run(self, request: SyncRequest, *,
            cancel: threading.Event | None = None) -> Generator[Progress, None, RunSummary]:
        """One run: yields Progress, returns the RunSummary; SyncBusyError while another sync of the profile runs.

        A connection, TLS, authentication or quota error raises as it is if the run had not begun writing; after
        that it ends the run (recorded 'failed') with a summary whose ``aborted`` is the error (see ``abort.py``).
        """
        if request.flow not in FLOWS:
            raise ConfigError(Text(f"未知的同步类型 {request.flow}。", f"Unknown sync flow {request.flow}."),
                              field="flow")
        started = utcnow()
        try:
            self._acquire()
        except Fxk3Error as exc:  # another sync holds the profile: the history says so (a scheduled task's reason)
            self.journal.record_refused(request.flow, exc.info(), dry_run=request.dry_run, started_at=started)
            raise
        try:
            if not request.dry_run:
                try:
                    self._reconcile_locked()
                except Fxk3Error as exc:
                    self.journal.record_refused(request.flow, exc.info(), dry_run=request.dry_run, started_at=started)
                    raise
            run_id = self.journal.start_run(request.flow, dry_run=request.dry_run)
            if self._log is not None:
                self._log.run_id = run_id
            status, tally = "failed", _Tally()
            error: ErrorInfo | None = None  # what stopped the run, kept with it for the history
            try:
                stopped: Fxk3Error | None = None
                try:
                    if request.flow == "deliveries":
                        summary = yield from self._deliveries(request, run_id, tally, cancel)
                    elif request.flow == "products":
                        summary = yield from self._products(request, run_id, tally, cancel)
                    else:
                        summary = yield from self._records(request, run_id, tally, cancel)
                except Fxk3Error as exc:
                    if request.dry_run or not abort.is_fatal(exc) or not abort.began_writing(
                            self.journal, run_id, tally.items):
                        error = exc.info()
                        raise  # nothing was written: the error alone says it all
                    stopped = exc
                except Exception as exc:
                    error = messages.of(exc)
                    raise
                if stopped is not None:
                    summary = yield from self._stopped(request, run_id, tally, stopped.info())
                error = summary.aborted
                status = "cancelled" if summary.cancelled else ("failed" if summary.aborted else "done")
                yield tally.event("done")
                return summary
            finally:
                if self._log is not None:
                    self._log.run_id = None
                try:
                    self.journal.finish_run(run_id, status, dict(tally.counts), error)
                except StoreError:
                    log.warning("run %s could not be recorded as %s: the store failed", run_id, status)
        finally:
            self._release()

    def _stopped(self, request: SyncRequest, run_id: int, tally: _Tally,
                 exc: ErrorInfo) -> Generator[Progress, None, RunSummary]:
        """A fatal error stopped a run that had begun writing: settled items stand, the rest are reported failed."""
        try:
            rest = abort.stopped_items(self.journal, run_id, request.flow, list(tally.items), tally.planned, exc)
        except StoreError:  # the store failed too (a full disk): what the journal holds stays for the next run
            done = {i.source_id for i in tally.items}
            rest = [ItemResult(sid, "failed", error=abort.stopped_error(exc, abort.NOT_SENT), flow=request.flow)
                    for sid in dict.fromkeys(tally.planned) if sid not in done]
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

    def retry(self, item_ids: list[int], *, cancel: threading.Event | None = None,
              on_progress: Callable[[Progress], None] | None = None) -> RunSummary:
        """Syncs the records of these journal items again: failed ones are sent (the key check keeps it
        exactly-once), half-done documents are taken on to the profile's stage."""
        by_flow: dict[str, list[str]] = {}
        for it in self.journal.items(item_ids):
            if it.flow in RETRY_FLOWS and it.state != "resolved":
                by_flow.setdefault(it.flow, []).append(it.source_id)
        items: list[ItemResult] = []
        run_id: int | None = None
        stopped: ErrorInfo | None = None
        wrote = False
        for flow in RETRY_FLOWS:
            if flow in by_flow:
                s = self.sync(SyncRequest(flow, ids=list(dict.fromkeys(by_flow[flow]))), cancel=cancel,
                              on_progress=on_progress)
                items += s.items
                run_id, stopped, wrote = s.run_id, s.aborted, wrote or s.wrote
                if stopped is not None:
                    break
        summary = RunSummary.of(run_id, items)
        summary.aborted, summary.wrote = stopped, wrote or bool(summary.created or summary.updated or summary.skipped)
        return summary

    def mark_resolved(self, item_ids: list[int]) -> None:
        """The user settled these items by hand; they are no longer offered for retry."""
        items = self.journal.items(item_ids)
        self.journal.settle([(it.id, {"state": "resolved"}) for it in items
                             if it.state in ("failed", "held", "saved", "submitted")])

    def plan_one(self, flow: str, source_id: str) -> Work:
        """One record mapped exactly as a run would map it (lines, lookups, links); only reads, nothing journaled."""
        mapping = self.mapping(flow)
        rows = self.fx.get_many(mapping.source_object, [source_id])
        if not rows:
            raise Fxk3Error.raising(messages.not_found(mapping.source_object, source_id))
        pre = plan.Prefetch(self.fx, mapping, self.journal)
        pre.load(rows)
        if self._customers_first(mapping):
            self._plan_customers(pre, mapping)  # the customer number the record would be sent with
        work = Work(source_id, rows[0], api=mapping.source_object)
        work.payload = apply(mapping, rows[0], lines=pre.lines.get(source_id, []), lookups=pre.lookups,
                             settings=self._settings())
        return work

    def preview(self, flow: str, source_id: str) -> str:
        """The exact Save data package for one record as indented JSON; only reads, nothing is sent or journaled."""
        work = self.plan_one(flow, source_id)
        assert work.payload is not None
        return json.dumps(work.payload.data_package(self.mapping(flow)), ensure_ascii=False, indent=2)

    # -- customers and orders -----------------------------------------------------------------------------------
    def _records(self, request: SyncRequest, run_id: int, tally: _Tally,
                 cancel: threading.Event | None) -> Generator[Progress, None, RunSummary]:
        mapping = self.mapping(request.flow)
        api = mapping.source_object
        yield tally.event("select")
        sel = plan.select(self.fx, mapping, request, self.journal, lifecycle.waiting_codes(api, self.profile))
        live, held = lifecycle.gate(sel.records, api, self.profile)
        cases = voids.cases(self.journal, mapping, sel.voided, sel.missing + sel.gone, asked=sel.asked,
                            deletes=lifecycle.voids_reach_k3(api))
        deleted = {c.source_id for c in cases if c.deleted}
        missing = [i for i in sel.missing if i not in deleted]
        tally.total = len(sel.records) + len(missing) + len(cases)
        tally.planned = [str(r.get("_id")) for r in sel.records] + missing + [c.source_id for c in cases]
        yield tally.event("map")
        pre = plan.Prefetch(self.fx, mapping, self.journal)
        pre.load(live)
        customers = self._plan_customers(pre, mapping) if self._customers_first(mapping) else _Customers()
        works = pre.map(live, self._settings())
        acct_field = plan.lookup_source(mapping, CUSTOMER_OBJECT)
        for w in works:
            acct = _account_of(w.record, acct_field)
            if acct in customers.blocked and (w.error is None or w.error.side == "mapping"):
                w.error = customers.blocked[acct]  # the customer is the root cause, not the empty number it left
        hold_unsynced_documents(self.k3, works, pre, mapping, self.mapping)  # a payment's order must be there
        works += [Work(i, {"_id": i}, error=messages.not_found(api, i), api=api) for i in missing]
        works += held
        yield tally.event("preflight")
        to_push = {a: w for a, w in customers.works.items() if w.error is None and w.idem_key not in customers.present}
        # Customers this run creates are usable once pushed; the others are checked like any base data.
        known = {self.mapping("customers").form_id: {w.idem_key for w in to_push.values()}}
        preflight.check(self.k3, works, org=self.profile.k3_org, known=known)
        # Only the customers of orders that can go are pushed: a run whose orders all fail writes nothing.
        needed = {_account_of(w.record, acct_field) for w in works if w.error is None}
        to_push = {a: w for a, w in to_push.items() if a in needed}
        voider = voids.Voider(k3=self.k3, journal=self.journal, run_id=run_id, mapping=mapping,
                              dry=request.dry_run, cancel=cancel)
        if request.dry_run:
            summary = yield from self._dry(works, list(to_push.values()), mapping, run_id, tally)
            yield from _relay(voider.process(cases), tally)
            summary.items = list(tally.items)
            return summary
        if to_push:
            yield tally.event("write")
            blocked, renumbered = yield from self._push_customers(list(to_push.values()), pre, run_id, tally,
                                                                  cancel)
            for w in works:
                acct = _account_of(w.record, acct_field)
                if w.error is None and acct in blocked:
                    w.error = blocked[acct]
                elif w.error is None and acct in renumbered:  # mapped against the number K3Cloud replaced
                    w.payload = pre.map([w.record], self._settings())[0].payload
        writer = Writer(k3=self.k3, fx=self.fx, journal=self.journal, run_id=run_id, profile=self.profile,
                        mapping=mapping, cancel=cancel)
        yield tally.event("dedupe")
        yield from _relay(writer.process(works), tally)
        if not writer.cancelled:
            yield from _relay(voider.process(cases), tally)
        if sel.watermark_name and sel.new_watermark is not None and not writer.cancelled:
            old = self.journal.watermark(sel.watermark_name)
            if not (old and old.isdigit() and int(old) >= sel.new_watermark):
                self.journal.set_watermark(sel.watermark_name, str(sel.new_watermark))
        return RunSummary.of(run_id, tally.items, cancelled=writer.cancelled)

    def _customers_first(self, mapping: Mapping) -> bool:
        """Any flow whose mapping looks a customer up (orders, payments) gets missing customers pushed first."""
        return mapping.source_object != CUSTOMER_OBJECT and plan.lookup_source(mapping, CUSTOMER_OBJECT) is not None

    def _plan_customers(self, pre: plan.Prefetch, mapping: Mapping) -> _Customers:
        """Maps the orders' customers and asks K3Cloud which it has; the others get the number they will be pushed
        with, so orders map against it. Customer payloads are pre-flighted like any other. Nothing is written."""
        out = _Customers()
        acct_field = plan.lookup_source(mapping, CUSTOMER_OBJECT)
        accounts = pre.lookups.records.get(CUSTOMER_OBJECT, {})
        if not acct_field or not accounts:
            return out
        cmap = self.mapping("customers")
        cworks = plan.Prefetch(self.fx, cmap, self.journal).map(list(accounts.values()), self._settings())
        ok = [w for w in cworks if w.error is None]
        found = reads.numbers(self.k3, cmap.form_id, cmap.key_field, [w.idem_key for w in ok])
        # A customer this PC saved but did not take to the profile's stage (a run stopped after its Save) is not
        # "present" yet: it goes through the writer again, which finishes it (Submit/Audit) instead of creating it.
        target = stage_rank(target_stage(self.profile))
        ours = self.journal.ours("customers", list(found))
        out.present = {n for n, hit in found.items()
                       if n not in ours
                       or stage_rank(STATUS_STAGE.get(str(hit.get("status") or ""), "saved")) >= target}
        preflight.check(self.k3, [w for w in ok if w.idem_key not in out.present], org=self.profile.k3_org)
        for w in cworks:
            out.works[w.source_id] = w
            if w.error is not None:
                out.blocked[w.source_id] = messages.customer_failed(w.record, w.error, mapping.source_object)
            elif w.source_id not in pre.lookups.links.get(CUSTOMER_OBJECT, {}) or w.idem_key in out.present:
                pre.set_number(CUSTOMER_OBJECT, w.source_id, w.idem_key)
        return out

    def _push_customers(self, works: list[Work], pre: plan.Prefetch, run_id: int, tally: _Tally,
                        cancel: threading.Event | None,
                        ) -> Generator[Progress, None, tuple[dict[str, ErrorInfo], set[str]]]:
        """Writes the customers the run's orders need; returns (account _id -> why it failed, so its orders wait;
        the account _ids K3Cloud gave a number of its own)."""
        cmap = self.mapping("customers")
        writer = Writer(k3=self.k3, fx=self.fx, journal=self.journal, run_id=run_id, profile=self.profile,
                        mapping=cmap, cancel=cancel)
        results = yield from _relay(writer.process(works), tally)
        by_id = {w.source_id: w for w in works}
        blocked: dict[str, ErrorInfo] = {}
        renumbered: set[str] = set()
        for r in results:
            if r.status == "failed" or not r.k3_number:
                blocked[r.source_id] = messages.customer_failed(by_id[r.source_id].record, r.error,
                                                                pre.mapping.source_object)
            elif r.k3_number != by_id[r.source_id].idem_key:
                pre.set_number(CUSTOMER_OBJECT, r.source_id, r.k3_number)
                renumbered.add(r.source_id)
        return blocked, renumbered

    def _dry(self, works: list[Work], customers: list[Work], mapping: Mapping, run_id: int,
             tally: _Tally) -> Generator[Progress, None, RunSummary]:
        """Dry run: what would happen, with the exact payloads (an update's with its ids); only reads were made."""
        ok = [w for w in works if w.error is None and w.payload is not None]
        found = reads.numbers(self.k3, mapping.form_id, mapping.key_field, [w.idem_key for w in ok])
        previews: dict[str, Any] = {}
        cmap = self.mapping("customers")
        for w in customers:
            assert w.payload is not None
            previews[w.source_id] = w.payload.data_package(cmap)
            yield tally.event("write", ItemResult(w.source_id, "created", None, w.idem_key, flow="customers",
                                                  source_number=w.source_number))
        existing = {w.source_id: Slot(w, k3_id=text_or_none(found[w.idem_key].get("id")), k3_number=w.idem_key)
                    for w in ok if w.idem_key in found}
        updater = Updater(k3=self.k3, journal=self.journal, run_id=run_id, profile=self.profile, mapping=mapping,
                          hold_claimed=lambda _slots: None)
        updater.compare(list(existing.values()))
        updater.holds([s for s in existing.values() if s.diff and s.error is None])
        for w in works:
            slot = existing.get(w.source_id)
            if w.error is not None or w.payload is None:
                item = ItemResult(w.source_id, "held" if w.hold or is_held(w.error) else "failed", None,
                                  w.idem_key or None, w.error,
                                  flow=mapping.flow, source_number=w.source_number)
            elif slot is not None:
                status = slot.status or ("failed" if slot.error else "updated" if slot.diff else "skipped")
                item = slot.result(mapping.flow)
                item.status = status
                if status == "updated" and slot.doc is not None:
                    previews[w.source_id] = {**w.payload.data_package(mapping),
                                             "Model": changes.update_model(updater.spec, w.payload, slot.doc)}
            else:
                item = ItemResult(w.source_id, "created", None, w.idem_key, flow=mapping.flow,
                                  source_number=w.source_number)
                previews[w.source_id] = w.payload.data_package(mapping)
            yield tally.event("write", item)
        summary = RunSummary.of(run_id, tally.items, dry_run=True)
        summary.previews = previews
        return summary

    # -- deliveries ---------------------------------------------------------------------------------------------
    def _deliveries(self, request: SyncRequest, run_id: int, tally: _Tally,
                    cancel: threading.Event | None) -> Generator[Progress, None, RunSummary]:
        job = ShipmentSync(k3=self.k3, fx=self.fx, db=self.db, journal=self.journal, run_id=run_id,
                           dry_run=request.dry_run, form_id=self.profile.k3_shipment_form,
                           status=ship_status.load(self.db, self.profile_id))
        items = yield from _relay(job.run(request.since, cancel), tally)
        self.last_ship_states = dict(job.states)
        if job.new_watermark:
            name = watermark_name(self.profile.k3_shipment_form)
            old = self.journal.watermark(name)
            if not old or job.new_watermark > old or request.since is not None:
                self.journal.set_watermark(name, job.new_watermark)
        return RunSummary.of(run_id, items, cancelled=bool(cancel is not None and cancel.is_set()),
                             dry_run=request.dry_run)


    # -- products -----------------------------------------------------------------------------------------------
    def _products(self, request: SyncRequest, run_id: int, tally: _Tally,
                  cancel: threading.Event | None) -> Generator[Progress, None, RunSummary]:
        job = ProductSync(k3=self.k3, fx=self.fx, journal=self.journal, run_id=run_id, org=self.profile.k3_org,
                          dry_run=request.dry_run)
        gen = job.run(request, cancel)
        while True:
            try:
                phase, item = next(gen)
            except StopIteration as stop:
                items: list[ItemResult] = stop.value
                break
            if phase == "plan":  # before any write: what it will take (the faces show the time)
                tally.total = job.total
                creates, updates = job.planned
                yield Progress("plan", 0, creates + updates, {"created": creates, "updated": updates})
            else:
                yield tally.event(phase, item)
        return RunSummary.of(run_id, items, cancelled=job.cancelled, dry_run=request.dry_run)


def _relay(gen: Generator[Event, None, list[ItemResult]], tally: _Tally) -> Generator[Progress, None, list[ItemResult]]:
    """Turns a stage's (phase, item) events into Progress events with running counts."""
    while True:
        try:
            event = next(gen)
        except StopIteration as stop:
            result: list[ItemResult] = stop.value
            return result
        if isinstance(event, Progress):  # the write-back lane's own count, with the run's counts so far
            yield Progress(event.phase, event.done, event.total, dict(tally.counts), None, lane=event.lane)
            continue
        phase, item = event
        yield tally.event(phase, item)


def _account_of(record: dict[str, Any], field_name: str | None) -> str | None:
    value = record.get(field_name) if field_name else None
    value = value[0] if isinstance(value, list) and value else value
    return value if isinstance(value, str) else None
