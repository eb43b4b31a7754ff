"""Adapters from pages to core, run in worker threads: clients with the session's secret store, loads, states.

Everything here is plain Python (no widgets); results are plain rows the models can show.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Iterator

from sqlalchemy import func, select

from core.doctor_types import DoctorReport, Step
from core.errors import Fxk3Error, Text
from core.fxiaoke.client import FxiaokeClient
from core.fxiaoke.tokens import TokenCache
from core.k3cloud.client import K3CloudClient
from core.profiles import Profile, ProfileSecrets
from core.secrets import SecretStore
from core.store import models
from core.store.database import Database
from gui.models.history import ItemRow, RunRow
from gui.models.lines import LineRow
from gui.models.records import CHANGED, FAILED, NEW, PARTIAL, SYNCED, RecordRow
from gui.tasks import TaskContext

OBJECTS = {"orders": "SalesOrderObj", "customers": "AccountObj"}
DATE_FIELD = {"orders": "order_time", "customers": "create_time"}
FIELDS = {
    "orders": ["_id", "name", "account_id", "account_id__r", "order_amount", "order_time", "last_modified_time",
               "life_status", "logistics_status"],
    "customers": ["_id", "name", "account_no", "tel", "create_time", "last_modified_time", "life_status"],
}


@dataclass
class Conn:
    """What a worker needs to talk to both sides for one profile; built in the worker (keyring reads can block)."""

    profile: Profile
    secrets: ProfileSecrets
    store: SecretStore
    db: Database
    profile_id: int
    sinks: list[Callable[[Any], None]]
    live: list[Callable[[Any], None]]  # the log pane only (the engine stores exchanges itself, with its run id)

    def fx(self, sinks: list[Any] | None = None) -> FxiaokeClient:
        from core.fxiaoke.operator_store import db_operator_cache

        # The token cache lives in the session's store: the keyring normally, memory in demo mode.
        return FxiaokeClient(self.profile, self.secrets, sinks=self.sinks if sinks is None else sinks,
                             token_cache=TokenCache(self.store, self.profile.name),
                             operator_cache=db_operator_cache(self.db, self.profile_id))

    def k3(self, sinks: list[Any] | None = None) -> K3CloudClient:
        return K3CloudClient(self.profile, self.secrets, sinks=self.sinks if sinks is None else sinks)

    @contextmanager
    def engine(self, mapping: Any = None) -> Iterator[Any]:
        """A ``SyncEngine`` on clients built here (token cache in our store), closed with them afterwards.

        ``mapping``: use this (unsaved) mapping instead of the stored one, for previews.
        """
        from core.sync.engine import SyncEngine

        fx, k3 = self.fx(self.live), self.k3(self.live)
        try:
            repo = _FixedMapping(mapping) if mapping is not None else None
            engine = SyncEngine(self.profile, self.secrets, self.db, fx=fx, k3=k3, mapping_repo=repo)
            for client in (fx, k3):
                client.http.sinks.extend(engine.sinks)  # the engine's run-aware exchange log writer
            with engine:
                yield engine
        finally:
            fx.close()
            k3.close()


class _FixedMapping:
    """A mapping repo that always answers with one (edited, unsaved) mapping."""

    def __init__(self, mapping: Any) -> None:
        self.mapping = mapping

    def get(self, profile_id: int, flow: str) -> Any:
        return self.mapping


def connector(ctx: Any) -> Callable[[], Conn]:
    """Bind the current profile now, in the GUI thread: a queued task connects to *that* profile later, even if the
    user switched profiles meanwhile (a sync must never run against the newly chosen ERP)."""
    name = ctx.profile_name
    return lambda: connect(ctx, name)


def connect(ctx: Any, name: str | None = None) -> Conn:
    """A ``Conn`` for the context's current profile (or ``name``)."""
    name = name or ctx.profile_name
    profile = ctx.repo.get(name)
    return Conn(profile, ctx.repo.secrets_for(name), ctx.secrets, ctx.db, ctx.repo.profile_id(name), ctx.sinks(name),
                ctx.live_sinks(name))


# -- doctor ---------------------------------------------------------------------------------------
def run_doctor(profile: Profile, secrets: ProfileSecrets, store: SecretStore, sinks: list[Any]) -> DoctorReport:
    """``core.doctor.run_doctor`` with the token cache in ``store`` (so demo tokens never reach the keyring)."""
    from concurrent.futures import ThreadPoolExecutor

    from core.fxiaoke.doctor import check_fxiaoke
    from core.k3cloud.doctor import check_k3cloud

    def guarded(side: str, fn: Callable[[], list[Step]]) -> list[Step]:
        try:
            return fn()
        except Fxk3Error as exc:
            msg = Text(f"{exc.message.zh} {exc.advice.zh}".strip(), f"{exc.message.en} {exc.advice.en}".strip())
            return [Step(side, "reachable", False, msg, exc.field, exc.code)]

    cache = TokenCache(store, profile.name)
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="doctor") as pool:
        fx = pool.submit(guarded, "fxiaoke", lambda: check_fxiaoke(profile, secrets, sinks=sinks, token_cache=cache))
        k3 = pool.submit(guarded, "k3cloud", lambda: check_k3cloud(profile, secrets, sinks=sinks))
        return DoctorReport(fxiaoke=fx.result(), k3cloud=k3.result())


def data_centers(profile: Profile, sinks: list[Any]) -> list[dict]:
    """GetDataCenterList needs no login: only the URL (and CA bundle)."""
    with K3CloudClient(profile, ProfileSecrets(), sinks=sinks) as k3:
        return k3.data_centers()


# -- records --------------------------------------------------------------------------------------
def _num(value: Any) -> float | None:
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None


def _int(value: Any) -> int | None:
    try:
        return None if value in (None, "") else int(value)
    except (TypeError, ValueError):
        return None


def record_row(kind: str, rec: dict[str, Any]) -> RecordRow:
    """A table row from a Fxiaoke record (orders: SalesOrderObj; customers: AccountObj)."""
    if kind == "orders":
        return RecordRow(
            source_id=str(rec.get("_id") or ""), number=str(rec.get("name") or ""), name=str(rec.get("name") or ""),
            customer=str(rec.get("account_id__r") or rec.get("account_id") or ""),
            amount=_num(rec.get("order_amount")), date_ms=_int(rec.get("order_time")),
            modified_ms=_int(rec.get("last_modified_time")), customer_id=str(rec.get("account_id") or ""),
            delivery=str(rec.get("logistics_status") or ""),
        )
    return RecordRow(
        source_id=str(rec.get("_id") or ""), number=str(rec.get("account_no") or ""), name=str(rec.get("name") or ""),
        date_ms=_int(rec.get("create_time")), modified_ms=_int(rec.get("last_modified_time")),
        extra=str(rec.get("tel") or ""),
    )


def load_records(conn: Conn, kind: str, date_from_ms: int | None, date_to_ms: int | None,
                 task: TaskContext | None = None) -> list[RecordRow]:
    """Fxiaoke records of ``kind`` in the date range (server-side filter), newest first, with their sync states."""
    field = DATE_FIELD[kind]
    filters: list[Any] = [("life_status", "EQ", "normal")]
    if date_from_ms is not None:
        filters.append((field, "GTE", int(date_from_ms)))
    if date_to_ms is not None:
        filters.append((field, "LTE", int(date_to_ms)))
    rows: list[RecordRow] = []
    with conn.fx() as fx:
        for rec in fx.query(OBJECTS[kind], filters=filters, fields=FIELDS[kind]):
            rows.append(record_row(kind, rec))
            if task is not None and len(rows) % 100 == 0:
                task.check()
                task.progress(len(rows))
    rows.sort(key=lambda r: (r.date_ms or 0, r.number), reverse=True)
    apply_states(rows, sync_states(conn.db, conn.profile_id, kind, [r.source_id for r in rows]))
    return rows


@dataclass
class SyncInfo:
    """The sync state of one record, read from the link table and the journal."""

    k3_number: str = ""
    k3_state: str = ""
    linked_modified_ms: int | None = None
    failed: str = ""
    half_done: bool = False


def error_message(error_json: str | None) -> str:
    """The UI-language half of a stored contract error (``"zh | en"``)."""
    from gui.i18n import current_language

    if not error_json:
        return ""
    try:
        data = json.loads(error_json)
    except ValueError:
        return error_json
    msg = str(data.get("message") or "") if isinstance(data, dict) else str(data)
    if " | " in msg:
        zh, en = msg.split(" | ", 1)
        return zh if current_language() == "zh_CN" else en
    return msg


def sync_states(db: Database, profile_id: int, kind: str, source_ids: Iterable[str] | None = None) -> dict[str, SyncInfo]:
    """Per source id: its link (K3 number, stage) and whether its newest journal item failed."""
    obj = OBJECTS[kind]
    wanted = None if source_ids is None else set(source_ids)
    out: dict[str, SyncInfo] = {}
    with db.session() as s:
        q = select(models.Link).where(models.Link.profile_id == profile_id, models.Link.object == obj)
        for link in s.scalars(q):
            if wanted is not None and link.source_id not in wanted:
                continue
            out[link.source_id] = SyncInfo(link.k3_number or "", link.state or "", link.source_modified_ms)
        newest = (select(models.SyncItem.source_id, func.max(models.SyncItem.id))
                  .where(models.SyncItem.profile_id == profile_id, models.SyncItem.flow == kind)
                  .group_by(models.SyncItem.source_id).subquery())
        items = s.execute(select(models.SyncItem).join(newest, models.SyncItem.id == newest.c[1])).scalars()
        for item in items:
            if wanted is not None and item.source_id not in wanted:
                continue
            info = out.setdefault(item.source_id, SyncInfo())
            if item.state == "failed":
                info.failed = error_message(item.error_json) or "?"
            elif item.state in ("saved", "submitted"):
                info.half_done = True
                info.k3_number = info.k3_number or (item.k3_number or "")
                info.k3_state = info.k3_state or item.state
    return out


def apply_state(row: RecordRow, info: SyncInfo | None) -> None:
    if info is None:
        row.state, row.k3_number, row.k3_state, row.error = NEW, "", "", ""
        return
    row.k3_number, row.k3_state, row.error = info.k3_number, info.k3_state, info.failed
    if info.failed:
        row.state = FAILED
    elif info.k3_number:
        changed = info.linked_modified_ms is not None and row.modified_ms is not None \
            and row.modified_ms > info.linked_modified_ms
        row.state = CHANGED if changed else (PARTIAL if info.half_done or info.k3_state in ("saved", "submitted")
                                             else SYNCED)
    else:
        row.state = NEW


def apply_states(rows: list[RecordRow], states: dict[str, SyncInfo]) -> None:
    for row in rows:
        apply_state(row, states.get(row.source_id))


def order_lines(conn: Conn, order_id: str) -> list[LineRow]:
    """The SalesOrderProductObj lines of one order, with the product codes."""
    with conn.fx() as fx:
        lines = list(fx.query("SalesOrderProductObj", filters=[("order_id", "EQ", order_id)]))
        product_ids = [str(ln.get("product_id")) for ln in lines if ln.get("product_id")]
        products = {p["_id"]: p for p in fx.get_many("ProductObj", product_ids, fields=["_id", "name", "product_code",
                                                                                         "unit"])} if product_ids else {}
    out = []
    for ln in sorted(lines, key=lambda x: str(x.get("name") or "")):
        prod = products.get(str(ln.get("product_id")), {})
        out.append(LineRow(
            product=str(ln.get("product_id__r") or prod.get("name") or ""),
            product_code=str(prod.get("product_code") or ""), quantity=_num(ln.get("quantity")),
            price=_num(ln.get("sales_price") or ln.get("product_price")), subtotal=_num(ln.get("subtotal")),
            unit=str(ln.get("unit__r") or ""),
        ))
    return out


# -- history --------------------------------------------------------------------------------------
def load_runs(db: Database, profile_id: int, limit: int = 500) -> list[RunRow]:
    with db.session() as s:
        runs = s.scalars(select(models.SyncRun).where(models.SyncRun.profile_id == profile_id)
                         .order_by(models.SyncRun.id.desc()).limit(limit)).all()
        out = []
        for r in runs:
            try:
                counts = json.loads(r.counts_json or "{}")
            except ValueError:
                counts = {}
            out.append(RunRow(r.id, r.flow, r.started_at, r.finished_at, r.status,
                              counts if isinstance(counts, dict) else {}, bool(r.dry_run), r.host or ""))
        return out


def load_items(db: Database, run_id: int) -> list[ItemRow]:
    with db.session() as s:
        items = s.scalars(select(models.SyncItem).where(models.SyncItem.run_id == run_id)
                          .order_by(models.SyncItem.id)).all()
        return [ItemRow(i.id, i.run_id, i.flow, i.source_id, i.idem_key, i.state, i.attempts, i.k3_id or "",
                        i.k3_number or "", error_message(i.error_json), i.updated_at) for i in items]


def utc_ms(dt: datetime) -> int:
    return int(dt.replace(tzinfo=dt.tzinfo or timezone.utc).timestamp() * 1000)


# -- sync -----------------------------------------------------------------------------------------
def run_sync(conn: Conn, flow: str, ids: list[str], task: TaskContext) -> Any:
    """Runs the engine over ``ids``; every ``Progress`` goes to ``task.progress``; returns the ``RunSummary``."""
    from core.sync.model import SyncRequest

    with conn.engine() as engine:
        gen = engine.run(SyncRequest(flow, ids=list(ids)), cancel=task.cancel_event)
        while True:
            try:
                event = next(gen)
            except StopIteration as stop:
                return stop.value
            task.progress(event)


def preview(conn: Conn, flow: str, source_id: str, mapping: Any = None) -> str:
    """The exact Save JSON for one record (with ``mapping`` if given, else the saved one); nothing is sent."""
    with conn.engine(mapping) as engine:
        return engine.preview(flow, source_id)


def retry(conn: Conn, item_ids: list[int]) -> Any:
    with conn.engine() as engine:
        return engine.retry(item_ids)


def finish(conn: Conn, item_ids: list[int]) -> Any:
    with conn.engine() as engine:
        return engine.finish(item_ids)


def mark_resolved(conn: Conn, item_ids: list[int]) -> None:
    with conn.engine() as engine:
        engine.mark_resolved(item_ids)


# -- mappings -------------------------------------------------------------------------------------
@dataclass
class FieldChoice:
    """A field offered by a picker: its key and a label to show beside it."""

    key: str
    label: str
    options: list[dict] | None = None


def fx_fields(conn: Conn, api_names: list[str]) -> dict[str, list[FieldChoice]]:
    """Fields of Fxiaoke objects from ``describe`` (with select options)."""
    out: dict[str, list[FieldChoice]] = {}
    with conn.fx() as fx:
        for api in api_names:
            desc = fx.describe(api)
            out[api] = sorted((FieldChoice(k, str(v.get("label") or ""), list(v.get("options") or []))
                               for k, v in desc.items()), key=lambda c: c.key)
    return out


def k3_fields(conn: Conn, form_id: str, entry_key: str | None) -> list[FieldChoice]:
    """Target paths of a K3Cloud form from ``QueryBusinessInfo`` (head fields, then ``Entry[].Field``)."""
    from gui.i18n import current_language

    with conn.k3() as k3:
        info = k3.query_business_info(form_id)
    lcid = 2052 if current_language() == "zh_CN" else 1033
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


def _name(names: Any, lcid: int) -> str:
    if isinstance(names, list):
        for n in names:
            if isinstance(n, dict) and n.get("Key") == lcid:
                return str(n.get("Value") or "")
        for n in names:
            if isinstance(n, dict):
                return str(n.get("Value") or "")
    return str(names or "")


def sample_ids(conn: Conn, api_name: str, limit: int = 50) -> list[tuple[str, str]]:
    """(``_id``, name) of a few recent records to preview a mapping against."""
    with conn.fx() as fx:
        rows = list(fx.query(api_name, fields=["_id", "name"], orders=[("last_modified_time", False)], limit=limit))
    return [(str(r.get("_id")), str(r.get("name") or r.get("_id"))) for r in rows]
