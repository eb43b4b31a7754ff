"""Voids: a Fxiaoke record voided (作废) or deleted after it was synced takes its K3Cloud document with it.

Never silently: while the document is not audited and no downstream bill names it, it is deleted (a submitted
one is cancelled, 撤销, first) and the record is ``voided``; otherwise the record is held ``k3_in_use`` for a person.
A voided record that was never synced, or whose document is gone already, is reported only when asked for by id
(``skipped``, with a note). Deleting is journaled (action ``void``, key claimed) before it is sent; an answer that
never came is settled by asking K3Cloud whether the document is still there.

Which deletions a run can see: Fxiaoke deletes only voided records ("删除之前请先作废数据", reference
fxiaoke-openapi.md), and voiding moves ``last_modified_time``, so an incremental run sees the void itself. A record
voided and deleted between two runs is invisible to the watermark query; a run with ``--all`` (every linked record
Fxiaoke no longer returns, checked again by id) or ``--ids`` (an id Fxiaoke no longer has) finds it.
"""

from __future__ import annotations

import threading
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

from core.errors import ErrorInfo, Fxk3Error, K3CloudError, OutcomeUnknownError, Text, TransportError
from core.k3cloud.client import K3CloudClient
from core.k3cloud.results import Status
from core.mapping import Mapping
from core.store import Link
from core.sync import downstream, messages, reads
from core.sync.journal import Journal, LinkRow, NewItem
from core.sync.model import ItemResult
from core.sync.plan import NUMBER_FIELDS
from core.sync.slots import AUTH_ERRORS

Event = tuple[str, ItemResult | None]
DELETABLE = ("Z", "A", "D", "B")  # B is cancelled (撤销) first


@dataclass(eq=False)
class Case:
    """One record to void: its Fxiaoke record (or just the id of a deleted one), its link, what K3Cloud holds."""

    source_id: str
    record: dict[str, Any]
    link: Link | None
    deleted: bool = False
    kept: bool = False  # a void that does not reach K3Cloud (a customer): reported as a note only
    number: str = ""
    k3_id: str | None = None
    status: str = ""
    item_id: int | None = None
    result: str = ""
    error: ErrorInfo | None = None


def cases(journal: Journal, mapping: Mapping, voided: list[dict[str, Any]], gone: list[str],
          *, asked: bool, deletes: bool = True) -> list[Case]:
    """The records of a run to void: voided ones (and deleted ``gone`` ids) that are linked to a live document;
    with ``asked`` (``--ids``) the unlinked ones too, to be reported. ``deletes`` false (objects whose voids do not
    reach K3Cloud, e.g. customers: base data other documents use): only the asked-for ones, as a note."""
    ids = [str(r.get("_id")) for r in voided] + list(gone)
    links = journal.links(mapping.source_object, ids) if deletes else {}
    out = []
    for rec in voided:
        link = links.get(str(rec.get("_id")))
        if _live(link) or asked:
            out.append(Case(str(rec.get("_id")), rec, link if _live(link) else None, kept=not deletes))
    for sid in gone:
        if _live(links.get(sid)):
            out.append(Case(sid, {"_id": sid}, links[sid], deleted=True))
        elif asked and sid in links:  # deleted after its document was voided here: said so, not "not found"
            out.append(Case(sid, {"_id": sid}, None, deleted=True))
    return out


def _live(link: Link | None) -> bool:
    return link is not None and link.state != "voided" and bool(link.k3_number)


class Voider:
    """Voids the cases of one flow of one run; ``dry``: says what it would do and writes nothing."""

    def __init__(self, *, k3: K3CloudClient, journal: Journal, run_id: int, mapping: Mapping, dry: bool = False,
                 cancel: threading.Event | None = None) -> None:
        self.k3, self.journal, self.run_id, self.mapping, self.dry = k3, journal, run_id, mapping, dry
        self.form, self.flow, self.api = mapping.form_id, mapping.flow, mapping.source_object
        self.cancel = cancel

    def process(self, todo: list[Case]) -> Generator[Event, None, list[ItemResult]]:
        if not todo:
            return []
        linked = [c for c in todo if c.link is not None]
        for c in todo:
            c.number = (c.link.k3_number if c.link is not None else None) or ""
        if not self.dry:
            ids = self.journal.add_items(self.run_id, self.flow, [NewItem(c.source_id, c.number or c.source_id)
                                                                  for c in todo])
            for c, item_id in zip(todo, ids, strict=True):
                c.item_id = item_id
        found = reads.numbers(self.k3, self.form, self.mapping.key_field, [c.number for c in linked])
        deletable: list[Case] = []
        for c in todo:
            hit = found.get(c.number) if c.link is not None else None
            if hit is None:
                c.result = "skipped"
                c.error = messages.voided_kept(self.api, c.record) if c.kept else messages.already_gone(
                    self.api, c.record, c.number or None)
                continue
            c.k3_id, c.status = (str(hit["id"]) if hit.get("id") not in (None, "") else None), str(hit.get("status"))
            if c.status not in DELETABLE:
                c.result, c.error = "held", messages.k3_in_use(self.api, c.record, c.number, c.status, None,
                                                              deleted=c.deleted)
            else:
                deletable.append(c)
        if deletable and downstream.checked(self.form):
            bills = downstream.find(self.k3, self.form, [c.number for c in deletable])
            for c in [c for c in deletable if c.number in bills]:
                c.result, c.error = "held", messages.k3_in_use(self.api, c.record, c.number, c.status,
                                                              bills[c.number], deleted=c.deleted)
                deletable.remove(c)
        if self.dry:
            for c in deletable:
                c.result = "voided"
        elif deletable and not (self.cancel is not None and self.cancel.is_set()):
            self._delete(deletable)
        elif deletable:
            self.journal.delete_items([c.item_id for c in deletable if c.item_id is not None])
            todo = [c for c in todo if c not in deletable]
        self._record(todo)
        results = []
        for c in todo:
            results.append(ItemResult(c.source_id, c.result, c.k3_id, c.number or None, c.error, None, c.item_id,
                                      self.flow, _number_of(self.api, c.record)))
            yield "write", results[-1]
        return results

    def _delete(self, todo: list[Case]) -> None:
        """CancelAssign the submitted ones, then Delete by internal id; K3Cloud asked afterwards decides."""
        self.journal.settle([(c.item_id, {"action": "void", "k3_id": c.k3_id, "k3_number": c.number})
                             for c in todo if c.item_id is not None])
        mine = self.journal.mark_writing(self.run_id, self.flow, [(c.item_id, c.number) for c in todo
                                                                  if c.item_id is not None])
        for c in [c for c in todo if c.item_id not in mine]:
            c.result, c.error = "held", messages.claimed_elsewhere(c.number, None, None)
        todo = [c for c in todo if c.item_id in mine]
        submitted = [c for c in todo if c.status == "B"]
        cause: ErrorInfo | None = None
        if submitted:
            cause = self._call("cancel_assign", submitted, Text("撤销", "Cancel submission"))
        ready = [c for c in todo if c.status != "B" or c in self._now_at(submitted, ("A",))]
        if ready:
            cause = self._call("delete", ready, Text("删除", "Delete")) or cause
        still = reads.numbers(self.k3, self.form, self.mapping.key_field, [c.number for c in todo])
        for c in todo:
            if c.number not in still:
                c.result, c.error = "voided", None
            else:
                c.result = "failed"
                c.error = messages.update_refused(cause or messages.unknown(None), c.number)

    def _call(self, op: str, todo: list[Case], action: Text) -> ErrorInfo | None:
        """One operation by internal ids; returns why it did not go through (None: it did, or we cannot tell)."""
        try:
            res = getattr(self.k3, op)(self.form, ids=[c.k3_id for c in todo if c.k3_id])
        except AUTH_ERRORS:
            raise
        except (OutcomeUnknownError, TransportError, K3CloudError) as exc:
            return exc.info()
        if res.ok:
            return None
        return messages.refused(Status(False, res.msg_code, [e for r in res.rows for e in r.errors], []), action,
                                self.form)

    def _now_at(self, todo: list[Case], statuses: tuple[str, ...]) -> list[Case]:
        try:
            found = reads.numbers(self.k3, self.form, self.mapping.key_field, [c.number for c in todo])
        except AUTH_ERRORS:
            raise
        except Fxk3Error:
            return []
        return [c for c in todo if str((found.get(c.number) or {}).get("status") or "") in statuses]

    def _record(self, todo: list[Case]) -> None:
        if self.dry:
            return
        state = {"voided": "voided", "skipped": "skipped", "held": "held", "failed": "failed"}
        self.journal.settle([(c.item_id, {"state": state[c.result], "error": c.error, "k3_id": c.k3_id,
                                          "k3_number": c.number or None})
                             for c in todo if c.item_id is not None])
        done = [c for c in todo if c.result in ("voided", "skipped") and c.link is not None]
        self.journal.upsert_links(self.api, self.form, [LinkRow(c.source_id, c.k3_id, c.number, "voided",
                                                                _modified(c.record)) for c in done])


def _number_of(api: str, record: dict[str, Any]) -> str | None:
    value = record.get(NUMBER_FIELDS.get(api, "name"))
    return str(value) if value not in (None, "") else None


def _modified(record: dict[str, Any]) -> int | None:
    value = record.get("last_modified_time")
    return int(value) if isinstance(value, int) else None
