"""The one application service: every use case of one profile, for the GUI and the CLI alike.

Given the store, a secret store and a profile name, a ``Workspace`` builds the profile's clients once (through
``core.clients.ClientFactory``, every exchange going to the exchange log and to the sinks the face passes in) and
offers: the credential doctor, listing records, their sync states, the lines an order would be sent with, the
preview, syncing with progress and cancel, retry and resolve, history with reasons, deliveries, and the mappings.
The faces add only threads, tables and printing. A Workspace is used by one thread at a time; the GUI opens one per
background task (cheap: nothing is built before it is needed).

Longer than our 400-line guide on purpose: it is the facade both faces share, one short method per use case, each
delegating to the module that holds the logic (``core.sync``, ``core.records``, ``core.inbox``, ``core.mapping``);
splitting it would split the list of what the product can do.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.clients import ClientFactory, anonymous_k3
from core.doctor import run_doctor
from core.doctor_types import DoctorReport
from core.errors import ConfigError, Fxk3Error, Text
from core.fxiaoke.client import FxiaokeClient
from core.fxiaoke.pacing import report_waits
from core.http import ExchangeRecord, Sink
from core.k3cloud.client import K3CloudClient
from core.mapping import Mapping
from core.profiles import Profile, ProfileRepo, ProfileSecrets
from core.records import DATE_FIELD, FIELDS, OBJECTS, number, orders_with_lines, record_row
from core.secrets import SecretStore, default_store
from core.store.database import Database
from core.sync import ship_status as ship_states
from core.sync.model import Progress, RunSummary, SyncRequest
from core.sync.plan import NUMBER_FIELDS
from core.sync.products_plan import estimate_seconds, estimate_text, needs_notice
from core.sync.ship_status import ORDER_OBJECT, ShipStatusMapping
from core.views import (
    CHANGED,
    FAILED,
    HALF_DONE,
    HELD,
    NEW,
    SYNCED,
    DeliveryReport,
    FieldChoice,
    InboxGroup,
    ItemRow,
    LineRow,
    ProductEstimate,
    ProductRow,
    RateWait,
    RecordRow,
    RunRow,
    ShipLine,
    SyncInfo,
    apply_states,
)

if TYPE_CHECKING:
    from core.mapping.repo import MappingRepo
    from core.store.exchange_log import ExchangeLogWriter
    from core.sync.engine import SyncEngine
    from core.sync.journal import Journal
    from core.sync.products import ProductSync

# Start-up speed (benchmarks/cli_startup.py): the journal, the mappings, the exchange log and the sync engine bring
# SQLAlchemy's ORM (130-170 ms); they are imported where first used, so that a command's first request (the doctor's
# login, a listing's query) leaves before the ORM is loaded.

#: A face's progress callback: the run's ``Progress`` events, and a ``RateWait`` whenever the run waits for
#: Fxiaoke's rate limit (it goes on by itself).
ProgressFn = Callable[[Progress | RateWait], None]
#: A run refused before it began tagged no exchange: its calls are those made between its start and end.
_REFUSED_SLACK = timedelta(seconds=2)


class Workspace:
    """One profile's use cases.

    Args:
        db: the store; store: the secret store (the keyring; memory in demo mode).
        name: the profile's name (ConfigError when there is none).
        sinks: extra receivers of every exchange (the GUI's log pane); the exchange log always gets them.
        own_db: close ``db`` with the workspace (the CLI opens one per command).
        lock_wait: seconds a sync waits for another sync of the profile (default: the profile's ``lock_wait``).
    """

    def __init__(self, db: Database, store: SecretStore, name: str, *, sinks: Sequence[Sink] = (),
                 own_db: bool = False, lock_wait: float | None = None) -> None:
        self.db, self.store = db, store
        self.repo = ProfileRepo(db, store)
        self.profile_id, self.profile = self.repo.read(name)
        self._sinks: list[Sink] = [self._log_exchange, *sinks]
        self._own_db = own_db
        #: How long a sync waits for another one of the profile (the profile's setting unless the face says).
        self.lock_wait = self.profile.lock_wait if lock_wait is None else lock_wait
        self._fx: FxiaokeClient | None = None
        self._k3: K3CloudClient | None = None

    @classmethod
    def open(cls, name: str) -> Workspace:
        """The workspace of ``name`` on this PC's store (``--db``, else its saved data store choice, else the file)
        and the OS keyring (the CLI's way in)."""
        from core.store.choice import open_database  # start-up speed: see the note at the top

        secrets = default_store()
        db = open_database(secrets)
        try:
            return cls(db, secrets, name, own_db=True)
        except BaseException:
            db.close()
            raise

    def close(self) -> None:
        for client in (self._fx, self._k3):
            if client is not None:
                client.close()
        self._fx = self._k3 = None
        if self._own_db:
            self.db.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @cached_property
    def journal(self) -> Journal:
        from core.sync.journal import Journal  # start-up speed: see the note at the top

        return Journal(self.db, self.profile_id)

    @cached_property
    def mappings(self) -> MappingRepo:
        from core.mapping.repo import MappingRepo  # start-up speed: see the note at the top

        return MappingRepo(self.db)

    @cached_property
    def exchange_log(self) -> ExchangeLogWriter:
        """Every exchange of the workspace's clients lands here (the engine tags a run's with its id)."""
        from core.store.exchange_log import ExchangeLogWriter  # start-up speed: see the note at the top

        return ExchangeLogWriter(self.db)

    def _log_exchange(self, record: ExchangeRecord) -> None:
        self.exchange_log(record)

    # -- clients ------------------------------------------------------------------------------------------------
    @cached_property
    def secrets(self) -> ProfileSecrets:
        return self.repo.secrets_for(self.profile.name)

    @cached_property
    def factory(self) -> ClientFactory:
        return ClientFactory(self.profile, self.secrets, self.store, self.db, self.profile_id, self._sinks)

    @property
    def fx(self) -> FxiaokeClient:
        if self._fx is None:
            self._fx = self.factory.fx()
        return self._fx

    @property
    def k3(self) -> K3CloudClient:
        if self._k3 is None:
            self._k3 = self.factory.k3()
        return self._k3

    def engine(self, mapping: Mapping | None = None) -> SyncEngine:
        """The sync engine on this workspace's clients; ``mapping``: use it (unsaved) instead of the stored one."""
        from core.sync.engine import SyncEngine  # start-up speed: see the note at the top

        repo = _fixed_mapping(self.db, mapping) if mapping is not None else self.mappings
        return SyncEngine(self.profile, self.db, fx=self.fx, k3=self.k3, exchange_log=self.exchange_log,
                          mapping_repo=repo, lock_wait=self.lock_wait)

    # -- connections --------------------------------------------------------------------------------------------
    def doctor(self) -> DoctorReport:
        """Both sides' credential checks (fresh clients: the doctor must prove today's secrets work)."""
        return run_doctor(self.factory)

    def data_centers(self) -> list[dict[str, Any]]:
        """K3Cloud's data centres (GetDataCenterList needs no login, only the URL and CA bundle)."""
        return data_centers_of(self.profile, self._sinks)

    # -- records ------------------------------------------------------------------------------------------------
    def list_records(self, kind: str, *, limit: int | None = None, lines: bool = False) -> Iterator[dict[str, Any]]:
        """Raw Fxiaoke records of ``kind`` (orders with ``lines`` when asked), every page unless ``limit``, in the
        order of their own number (order name, customer number; Fxiaoke sorts, ``_id`` breaks ties)."""
        orders = [(NUMBER_FIELDS[OBJECTS[kind]], True)]
        if kind == "orders" and lines:
            return orders_with_lines(self.fx, limit=limit, orders=orders)
        return iter(self.fx.query(OBJECTS[kind], orders=orders, limit=limit))

    def records(self, kind: str, date_from_ms: int | None = None, date_to_ms: int | None = None, *,
                cancel: threading.Event | None = None,
                on_count: Callable[[int], None] | None = None) -> list[RecordRow]:
        """Records of ``kind`` in the date range (server-side filter), newest first, with their sync states."""
        field = DATE_FIELD[kind]
        filters: list[Any] = [("life_status", "EQ", "normal")]
        if date_from_ms is not None:
            filters.append((field, "GTE", int(date_from_ms)))
        if date_to_ms is not None:
            filters.append((field, "LTE", int(date_to_ms)))
        rows: list[RecordRow] = []
        for rec in self.fx.query(OBJECTS[kind], filters=filters, fields=FIELDS[kind]):
            rows.append(record_row(kind, rec))
            if len(rows) % 100 == 0:
                if cancel is not None and cancel.is_set():
                    break
                if on_count is not None:
                    on_count(len(rows))
        rows.sort(key=lambda r: (r.date_ms or 0, r.number), reverse=True)
        apply_states(rows, self.record_states(kind, [r.source_id for r in rows]))
        return rows

    def record_states(self, kind: str, source_ids: Sequence[str]) -> dict[str, SyncInfo]:
        """Per record: its link (K3 number, stage) and what its newest journal item says."""
        from core.sync.journal import LANDED, load_diff, load_error  # start-up speed: see the note at the top

        out: dict[str, SyncInfo] = {}
        for source_id, link in self.journal.links(OBJECTS[kind], source_ids).items():
            out[source_id] = SyncInfo(link.k3_number or "", link.state or "", link.source_modified_ms)
        for source_id, item in self.journal.latest_items(kind, source_ids).items():
            info = out.setdefault(source_id, SyncInfo())
            info.diff = load_diff(item)
            if item.state == "voided":  # deleted in K3Cloud with its record: no document any more
                info.k3_number, info.k3_state = "", ""
            elif item.state == "failed":
                info.failed, info.error = True, load_error(item)
            elif item.state == "held":
                info.held, info.error = True, load_error(item)
            elif item.state in HALF_DONE:
                info.half_done = True
                info.k3_number = info.k3_number or (item.k3_number or "")
                info.k3_state = info.k3_state or item.state
            if item.state in LANDED and item.error_json:
                info.note = load_error(item)
        return out

    def order_lines(self, order_id: str) -> list[LineRow]:
        """The lines of one order exactly as a sync would send them: in entry order, voided lines left out."""
        work = self.engine().plan_one("orders", order_id)
        assert work.payload is not None
        entries = next((v for v in work.payload.model.values() if isinstance(v, list)), [])
        products = self.fx.get_many("ProductObj", [str(ln.get("product_id")) for ln in work.payload.lines
                                                   if ln.get("product_id")], fields=["_id", "name", "product_code"])
        names = {str(p.get("_id")): str(p.get("name") or "") for p in products}
        out: list[LineRow] = []
        for i, line in enumerate(work.payload.lines):
            entry = entries[i] if i < len(entries) and isinstance(entries[i], dict) else {}
            material = entry.get("FMaterialId") or entry.get("FMaterialID") or {}
            code = material.get("FNumber") if isinstance(material, dict) else None
            out.append(LineRow(
                product=str(line.get("product_id__r") or names.get(str(line.get("product_id")), "")),
                product_code=str(code or ""), quantity=number(entry.get("FQty", line.get("quantity"))),
                price=number(entry.get("FTaxPrice", line.get("sales_price") or line.get("product_price"))),
                subtotal=number(line.get("subtotal")), unit=str(line.get("unit__r") or "")))
        return out

    def preview(self, flow: str, source_id: str, mapping: Mapping | None = None) -> str:
        """The exact Save JSON for one record (with ``mapping`` if given, else the saved one); nothing is sent."""
        return self.engine(mapping).preview(flow, source_id)

    # -- syncing ------------------------------------------------------------------------------------------------
    def sync(self, request: SyncRequest, *, cancel: threading.Event | None = None,
             on_progress: ProgressFn | None = None) -> RunSummary:
        """One run of ``request`` (see ``SyncEngine.run``); ``on_progress`` also hears the run's waits for
        Fxiaoke's rate limit (``RateWait``). A run that cannot start is recorded in the history with why."""
        engine = self._engine_for(request)
        with _waits_reported(on_progress):
            return engine.sync(request, cancel=cancel, on_progress=on_progress)

    def run(self, request: SyncRequest, *,
            cancel: threading.Event | None = None) -> Generator[Progress, None, RunSummary]:
        """The same run as a generator of progress events (returns the summary)."""
        return self._engine_for(request).run(request, cancel=cancel)

    def _engine_for(self, request: SyncRequest) -> SyncEngine:
        """The engine for a run; when even that fails (the keyring refuses the profile's secrets), the refused run
        is recorded with its reason (the engine records everything after this point itself)."""
        from core.store.models import utcnow  # start-up speed: see the note at the top

        started = utcnow()
        try:
            return self.engine()
        except Fxk3Error as exc:
            self.journal.record_refused(request.flow, exc.info(), dry_run=request.dry_run, started_at=started)
            raise

    def retry(self, item_ids: list[int], *, cancel: threading.Event | None = None,
              on_progress: ProgressFn | None = None) -> RunSummary:
        """These records again: failed ones are sent (never twice), half-done documents taken on."""
        engine = self.engine()
        with _waits_reported(on_progress):
            return engine.retry(item_ids, cancel=cancel, on_progress=on_progress)

    def reconcile(self) -> int:
        """Settles what an earlier run left unfinished (a crash, a kill) by asking K3Cloud by key; each run does
        this first, so this is for a face that wants it done before anything else (start-up)."""
        return self.engine().reconcile()

    def mark_resolved(self, item_ids: list[int]) -> None:
        """A person settled these records by hand; they are not offered for retry again."""
        self.engine().mark_resolved(item_ids)

    def deliveries(self, since: datetime | None = None, *, cancel: threading.Event | None = None,
                   on_progress: ProgressFn | None = None, dry_run: bool = False) -> DeliveryReport:
        """K3Cloud shipments -> Fxiaoke order status + one message to each owner (a dry run only reads)."""
        request = SyncRequest("deliveries", since=since, dry_run=dry_run)
        engine = self._engine_for(request)
        with _waits_reported(on_progress):
            summary = engine.sync(request, cancel=cancel, on_progress=on_progress)
        from core.sync.shipments import messages_sent  # start-up speed: see the note at the top

        numbers = [i.k3_number for i in summary.items if i.status == "updated" and i.k3_number]
        return DeliveryReport(summary, messages_sent(self.db, self.profile_id, numbers) if numbers else 0,
                              dict(engine.last_ship_states))

    def shipment_lines(self, order_id: str) -> tuple[str, list[ShipLine]]:
        """(K3Cloud number, lines) of a synced Fxiaoke order: ordered, shipped by the profile's shipment form and
        returned, per line; ConfigError when the order is not in K3Cloud yet."""
        link = self.journal.links(ORDER_OBJECT, [order_id]).get(order_id)
        if link is None or not link.k3_number:
            raise ConfigError(Text("这张订单还没有同步到金蝶。", "This order is not in K3Cloud yet."),
                              Text("请先把它同步到金蝶。", "Sync it to K3Cloud first."), field="order")
        from core.sync.shipments import order_progress  # start-up speed: see the note at the top

        lines = order_progress(self.k3, self.profile.k3_shipment_form, link.k3_number)
        return link.k3_number, [ShipLine(ln.seq, ln.material, ln.name, float(ln.ordered), float(ln.shipped),
                                         float(ln.returned)) for ln in lines]

    # -- products -----------------------------------------------------------------------------------------------
    def product_rows(self) -> list[ProductRow]:
        """Every audited, not forbidden K3Cloud material with its Fxiaoke product's state (only reads)."""
        from core.sync.journal import load_error  # start-up speed: see the note at the top

        plans = self._product_job().select(SyncRequest("products", all=True))
        latest = self.journal.latest_items("products", [p.material.number for p in plans])
        state = {"create": NEW, "update": CHANGED, "skip": SYNCED, "hold": HELD}
        rows: list[ProductRow] = []
        for p in plans:
            m = p.material
            row = ProductRow(m.number, m.name, m.spec, m.unit, m.modified, p.product_id or "", state[p.action],
                             p.error)
            item = latest.get(m.number)
            if item is not None and item.state == "failed" and p.action != "skip":
                row.state, row.error = FAILED, load_error(item)
            rows.append(row)
        return rows

    def plan_products(self, request: SyncRequest) -> ProductEstimate:
        """What a products sync of ``request`` would write and how long it takes (only reads)."""
        job = self._product_job()
        plans = job.select(request)
        creates, updates = job.planned
        return ProductEstimate(creates, updates, sum(p.action == "hold" for p in plans),
                               estimate_seconds(creates, updates), estimate_text(creates, updates),
                               needs_notice(creates, updates))

    def _product_job(self) -> ProductSync:
        from core.sync.products import ProductSync  # start-up speed: see the note at the top

        return ProductSync(k3=self.k3, fx=self.fx, journal=self.journal, run_id=0, org=self.profile.k3_org,
                           dry_run=True)

    def ship_status(self) -> ShipStatusMapping:
        """The shipments' mapping: which order field says how far an order shipped, and its option values."""
        return ship_states.load(self.db, self.profile_id)

    def save_ship_status(self, mapping: ShipStatusMapping) -> int:
        """Stores the shipments' mapping as its next version (checked against the order's describe first)."""
        problem = ship_states.check(self.fx.describe(ORDER_OBJECT), mapping)
        if problem is not None:
            raise Fxk3Error.raising(problem)
        return ship_states.save(self.db, self.profile_id, mapping)

    # -- history ------------------------------------------------------------------------------------------------
    def history(self, limit: int = 500) -> list[RunRow]:
        """The newest runs of the profile, newest first, each with what stopped it (if anything did)."""
        from core.sync.journal import parse_error  # start-up speed: see the note at the top

        return [RunRow(r.id, r.flow, r.started_at, r.finished_at, r.status, _counts(r.counts_json),
                       bool(r.dry_run), r.host or "", parse_error(r.error_json), r.os_user or "")
                for r in self.journal.runs(limit)]

    def run_exchanges(self, run_id: int, limit: int = 5000) -> list[ExchangeRecord]:
        """The API calls of one run, oldest first, as the log pane shows them. A run refused before it began has
        none tagged with it: then the untagged calls made between its start and its end (on a store several PCs
        share these may include another PC's calls of that moment)."""
        from core.store.exchange_log import read_exchanges  # start-up speed: see the note at the top

        run = self.journal.run(run_id)
        if run is None:
            return []
        rows = read_exchanges(self.db, run_id=run_id, limit=limit)
        if not rows and run.started_at is not None:
            end = (run.finished_at or run.started_at) + _REFUSED_SLACK
            rows = read_exchanges(self.db, between=(run.started_at - _REFUSED_SLACK, end), limit=limit)
        return [ExchangeRecord(r.at, r.side, r.method, r.endpoint, r.url, r.status, r.elapsed_ms,
                               r.request_text or "", r.response_text or "", r.code, r.trace_id, r.error_text)
                for r in rows]

    # -- inbox --------------------------------------------------------------------------------------------------
    def inbox(self) -> list[InboxGroup]:
        """What needs a person, grouped by cause (see ``core.inbox``); ``retry(group.item_ids)`` once it is fixed."""
        from core.inbox import inbox as inbox_of  # start-up speed: see the note at the top

        return inbox_of(self.journal)

    def run_items(self, run_id: int) -> list[ItemRow]:
        """Every record of one run with its state and reason."""
        from core.sync.journal import load_diff, load_error  # start-up speed: see the note at the top

        return [ItemRow(i.id, i.run_id, i.flow, i.source_id, i.idem_key, i.state, i.attempts, i.k3_id or "",
                        i.k3_number or "", load_error(i), i.updated_at, i.action or "", load_diff(i))
                for i in self.journal.run_items(run_id)]

    # -- mappings -----------------------------------------------------------------------------------------------
    def mapping(self, flow: str) -> tuple[Mapping, int]:
        """The flow's mapping in use and its version (0: the shipped default)."""
        versions = self.mappings.history(self.profile_id, flow)
        return self.mappings.get(self.profile_id, flow), (versions[-1][0] if versions else 0)

    def save_mapping(self, flow: str, mapping: Mapping) -> int:
        """Validates and stores ``mapping`` as the flow's next version; returns the version."""
        return self.mappings.save(self.profile_id, flow, mapping)

    def reset_mapping(self, flow: str) -> int:
        return self.mappings.reset(self.profile_id, flow)

    def import_mapping(self, flow: str, path: Path | str) -> int:
        return self.mappings.import_file(self.profile_id, flow, path)

    def export_mapping(self, flow: str, path: Path | str) -> None:
        self.mappings.export_file(self.profile_id, flow, path)

    def fx_fields(self, api_names: list[str]) -> dict[str, list[FieldChoice]]:
        """Fields of Fxiaoke objects from ``describe`` (with select options)."""
        out: dict[str, list[FieldChoice]] = {}
        for api in api_names:
            desc = self.fx.describe(api)
            out[api] = sorted((FieldChoice(k, str(v.get("label") or ""), list(v.get("options") or []))
                               for k, v in desc.items()), key=lambda c: c.key)
        return out

    def k3_fields(self, form_id: str, entry_key: str | None, lang: str = "zh") -> list[FieldChoice]:
        """Target paths of a K3Cloud form from ``QueryBusinessInfo`` (head fields, then ``Entry[].Field``)."""
        info = self.k3.query_business_info(form_id)
        lcid = 2052 if lang.startswith("zh") else 1033
        out: list[FieldChoice] = []
        for entry in info.get("Entrys") or []:
            head = entry.get("EntityType") == "HeadEntity" or not entry.get("ParentKey")
            prefix = "" if head else f"{entry.get('Key')}[]."
            if not head and entry_key and entry.get("Key") != entry_key:
                continue
            for f in entry.get("Fields") or []:
                if f.get("IsReadOnly"):
                    continue
                key = str(f.get("Key") or "")
                base = f.get("FieldType") == "BaseDataField" or bool(f.get("LookUpObjectFormId"))
                out.append(FieldChoice(prefix + key + (".FNumber" if base else ""), _name(f.get("Name"), lcid)))
        return out

    def sample_ids(self, api_name: str, limit: int = 50) -> list[tuple[str, str]]:
        """(``_id``, name) of a few recent records to preview a mapping against."""
        rows = list(self.fx.query(api_name, fields=["_id", "name"], orders=[("last_modified_time", False)],
                                  limit=limit))
        return [(str(r.get("_id")), str(r.get("name") or r.get("_id"))) for r in rows]


def data_centers_of(profile: Profile, sinks: Sequence[Sink] = ()) -> list[dict[str, Any]]:
    """The data centres of a K3Cloud site, for a profile still being filled in (nothing saved, no secrets)."""
    with anonymous_k3(profile, sinks) as k3:
        return k3.data_centers()


@contextmanager
def _waits_reported(on_progress: ProgressFn | None) -> Iterator[None]:
    """While inside, this thread's waits for Fxiaoke's rate limit reach ``on_progress`` as ``RateWait``."""
    if on_progress is None:
        yield
        return
    report = on_progress
    with report_waits(lambda seconds, calls, window_s: report(RateWait(seconds, calls, window_s))):
        yield


def _fixed_mapping(db: Database, mapping: Mapping) -> MappingRepo:
    """A mapping repo that answers with one (edited, unsaved) mapping."""
    from core.mapping.repo import MappingRepo  # start-up speed: see the note at the top

    class FixedMapping(MappingRepo):
        def get(self, profile_id: int, flow: str) -> Mapping:
            return mapping if flow == mapping.flow else super().get(profile_id, flow)

    return FixedMapping(db)


def _counts(text: str | None) -> dict[str, int]:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return {str(k): int(v) for k, v in data.items() if isinstance(v, int)} if isinstance(data, dict) else {}


def _name(names: Any, lcid: int) -> str:
    if isinstance(names, list):
        for n in names:
            if isinstance(n, dict) and n.get("Key") == lcid:
                return str(n.get("Value") or "")
        for n in names:
            if isinstance(n, dict):
                return str(n.get("Value") or "")
    return str(names or "")
