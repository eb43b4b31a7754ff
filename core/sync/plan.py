"""Select the Fxiaoke records of a run and map them to K3Cloud payloads (orders pull lines, customers, products)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core.errors import ErrorInfo, MappingError
from core.fxiaoke.client import FxiaokeClient
from core.mapping import DictLookups, MappedPayload, Mapping, apply
from core.sync.model import SyncRequest

if TYPE_CHECKING:  # the journal (and the ORM) is not needed to list records (start-up speed)
    from core.sync.journal import Journal

#: Re-read this much before the watermark: records committed late with an older timestamp, or sharing the last
#: timestamp, are not missed (the key check makes the re-read harmless).
OVERLAP_MS = 5 * 60_000
IN_CHUNK = 100
#: The field holding a record's own number (what a clerk searches for), per Fxiaoke object.
NUMBER_FIELDS = {"SalesOrderObj": "name", "AccountObj": "account_no", "PaymentObj": "name"}


@dataclass
class Work:
    """One source record on its way through a run."""

    source_id: str
    record: dict[str, Any]
    payload: MappedPayload | None = None
    error: ErrorInfo | None = None
    item_id: int | None = None
    api: str = ""  # the Fxiaoke object (apiName) of ``record``
    hold: bool = False  # ``error`` says why a person must act (held), not why it failed

    @property
    def idem_key(self) -> str:
        return self.payload.idem_key if self.payload else ""

    @property
    def source_number(self) -> str | None:
        value = self.record.get(NUMBER_FIELDS.get(self.api, "name"))
        return str(value) if value not in (None, "") else None

    @property
    def modified_ms(self) -> int | None:
        v = self.record.get("last_modified_time")
        return int(v) if isinstance(v, (int, float)) or (isinstance(v, str) and v.isdigit()) else None


@dataclass
class Selection:
    """The records of a run: live ones (approved or not: the approval gate judges), voided ones, and ids that are
    gone: asked for but not found (``missing``), or linked but no longer returned by an ``--all`` run (``gone``)."""

    records: list[dict[str, Any]]
    missing: list[str] = field(default_factory=list)  # asked-for ids or numbers Fxiaoke does not have
    voided: list[dict[str, Any]] = field(default_factory=list)  # records that are 作废 (invalid)
    gone: list[str] = field(default_factory=list)  # linked records Fxiaoke no longer has (deleted)
    asked: bool = False  # the records were named (--ids): every one of them is reported
    watermark_name: str | None = None
    new_watermark: int | None = None


def watermark_name(flow: str) -> str:
    return f"{flow}.last_modified_ms"


def _voided(rec: dict[str, Any]) -> bool:
    return rec.get("life_status") == "invalid" or rec.get("is_deleted") is True


def select(fx: FxiaokeClient, mapping: Mapping, request: SyncRequest, journal: Journal | None,
           waiting: tuple[str, ...] = ()) -> Selection:
    """The records a request names (see ``SyncRequest``): ``--ids`` by ``_id`` or number, ``--all``, ``--since``, or
    incremental: modified since the stored watermark (less ``OVERLAP_MS``) and not synced at that version since,
    plus every record failed or held earlier (held ones whose code is in ``waiting`` wait for their own change)."""
    api = mapping.source_object
    if request.ids:
        return _by_ids(fx, api, request.ids)
    name = watermark_name(request.flow)
    incremental = not request.all and request.since is None
    gone: list[str] = []
    if request.all:
        rows = list(fx.query(api))
        gone = _gone(fx, api, rows, journal)
    else:
        if request.since is not None:
            since_ms = int(request.since.timestamp() * 1000)
        else:
            stored = journal.watermark(name) if journal else None
            since_ms = int(stored) - OVERLAP_MS if stored and stored.isdigit() else 0
        rows = list(fx.modified_since(api, since_ms)) if since_ms > 0 else list(fx.query(api))
    times = [int(r["last_modified_time"]) for r in rows if isinstance(r.get("last_modified_time"), int)]
    if journal is not None and incremental:
        # Records that failed before are tried again by every watermark run until they pass or are resolved.
        retry = journal.open_failures(request.flow, waiting)
        rows = _unsynced(rows, journal, api, set(retry))
        seen = {r.get("_id") for r in rows}
        rows += fx.get_many(api, [i for i in retry if i not in seen])
    return Selection(records=[r for r in rows if not _voided(r)], voided=[r for r in rows if _voided(r)], gone=gone,
                     watermark_name=name, new_watermark=max(times) if times else None)


def _by_ids(fx: FxiaokeClient, api: str, asked: list[str]) -> Selection:
    """Records by ``_id``, then the rest by their own number (an order's name, a customer's account_no)."""
    ids = list(dict.fromkeys(i.strip() for i in asked if i and i.strip()))
    rows = fx.get_many(api, ids)
    found = {r.get("_id") for r in rows}
    rest = [i for i in ids if i not in found]
    number_field = NUMBER_FIELDS.get(api)
    if rest and number_field:
        for chunk in _chunks(rest, IN_CHUNK):
            for row in fx.query(api, filters=[(number_field, "IN", chunk)]):
                if row.get("_id") not in found:
                    rows.append(row)
                    found.add(row.get("_id"))
                    found.add(str(row.get(number_field)))
    missing = [i for i in ids if i not in found]
    return Selection(records=[r for r in rows if not _voided(r)], missing=missing,
                     voided=[r for r in rows if _voided(r)], asked=True)


def _unsynced(rows: list[dict[str, Any]], journal: Journal, api: str, retry: set[str]) -> list[dict[str, Any]]:
    """Leaves out the records a run already synced at this version (the overlap re-reads them): with nothing
    changed, an incremental run maps and compares nothing."""
    links = journal.links(api, [str(r.get("_id")) for r in rows])
    out = []
    for r in rows:
        link = links.get(str(r.get("_id")))
        modified = r.get("last_modified_time")
        if (link is not None and r.get("_id") not in retry and link.source_modified_ms is not None
                and isinstance(modified, int) and modified <= link.source_modified_ms):
            continue
        out.append(r)
    return out


def _gone(fx: FxiaokeClient, api: str, rows: list[dict[str, Any]], journal: Journal | None) -> list[str]:
    """Linked records an ``--all`` read did not return, asked for again by id: those still missing are deleted."""
    if journal is None:
        return []
    seen = {str(r.get("_id")) for r in rows}
    absent = [sid for sid in journal.linked(api) if sid not in seen]
    if not absent:
        return []
    back = fx.get_many(api, absent)
    rows.extend(back)
    returned = {str(r.get("_id")) for r in back}
    return [sid for sid in absent if sid not in returned]


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _line_order(line: dict[str, Any]) -> tuple[Any, ...]:
    return (line.get("create_time") or 0, str(line.get("name") or ""), str(line.get("_id") or ""))


class Prefetch:
    """Everything the mapping of a batch of records reads, fetched in batches: lines, referenced records, links."""

    def __init__(self, fx: FxiaokeClient, mapping: Mapping, journal: Journal | None) -> None:
        self.fx = fx
        self.mapping = mapping
        self.journal = journal
        self.lookups = DictLookups()
        self.lines: dict[str, list[dict[str, Any]]] = {}

    def load(self, records: list[dict[str, Any]]) -> None:
        m = self.mapping
        ids = [r["_id"] for r in records if r.get("_id")]
        if m.detail_object and m.detail_link_field:
            for chunk in _chunks(ids, IN_CHUNK):
                for line in self.fx.query(m.detail_object, filters=[(m.detail_link_field, "IN", chunk)]):
                    if _voided(line):
                        continue
                    owner = line.get(m.detail_link_field)
                    owner = owner[0] if isinstance(owner, list) and owner else owner
                    self.lines.setdefault(str(owner), []).append(line)
            for rows in self.lines.values():
                rows.sort(key=_line_order)
        for api, source, on_lines in _lookup_rules(m):
            wanted: list[str] = []
            pool = [ln for r in records for ln in self.lines.get(r["_id"], [])] if on_lines else records
            for rec in pool:
                value = rec.get(source)
                value = value[0] if isinstance(value, list) and value else value
                if isinstance(value, str) and value:
                    wanted.append(value)
            wanted = list(dict.fromkeys(wanted))
            have = self.lookups.records.setdefault(api, {})
            todo = [w for w in wanted if w not in have]
            if todo:
                for row in self.fx.get_many(api, todo):
                    have[row["_id"]] = row
            if self.journal is not None and todo:
                links = self.journal.links(api, todo)
                self.lookups.links.setdefault(api, {}).update(
                    {sid: ln.k3_number for sid, ln in links.items() if ln.k3_number})

    def add_record(self, api: str, record: dict[str, Any]) -> None:
        self.lookups.records.setdefault(api, {})[record["_id"]] = record

    def set_number(self, api: str, record_id: str, number: str) -> None:
        self.lookups.links.setdefault(api, {})[record_id] = number

    def map(self, records: list[dict[str, Any]], settings: dict[str, Any]) -> list[Work]:
        works = []
        for rec in records:
            w = Work(str(rec.get("_id") or ""), rec, api=self.mapping.source_object)
            try:
                w.payload = apply(self.mapping, rec, lines=self.lines.get(w.source_id, []), lookups=self.lookups,
                                  settings=settings)
            except MappingError as exc:
                w.error = exc.info()
            works.append(w)
        return works


def _lookup_rules(m: Mapping) -> list[tuple[str, str, bool]]:
    """(referenced api name, source field, read from lines?) of every lookup rule."""
    out = []
    for rule in m.rules:
        if rule.transform == "lookup" and rule.source and isinstance(rule.args.get("object"), str):
            on_lines = (rule.target.split(".")[0].endswith("[]") and not rule.source.startswith("^")
                        and bool(m.detail_object))  # no detail object: the one entry row reads the record
            out.append((rule.args["object"], rule.source.lstrip("^"), on_lines))
    return out


def lookup_source(m: Mapping, api: str) -> str | None:
    """The master-record field that references ``api`` (e.g. the order's ``account_id`` for AccountObj)."""
    for obj, source, on_lines in _lookup_rules(m):
        if obj == api and not on_lines:
            return source
    return None


def now_ms() -> int:
    return int(time.time() * 1000)
