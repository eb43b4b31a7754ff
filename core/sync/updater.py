"""The update path: a K3Cloud document whose Fxiaoke record changed is written again, exactly once.

Per document status (reference k3cloud-webapi.md §8.7; K3Cloud refuses Save on submitted and audited documents):
- Z/A/D (draft, created, re-audit): Save with the internal id and the entries' FEntryIDs (``changes``);
- B (submitted): CancelAssign (撤销, §6.2) first, then as above;
- C (audited): only when the profile allows re-audit and no downstream bill names it (``downstream``): UnAudit,
  then as above; otherwise the record is held ``k3_audited`` with the difference, for a change order (变更单).
Afterwards Submit/Audit as the profile says, and never below the stage the document had.

Exactly once like creation: the intent (action ``update``, the hash of the state the update leaves, the diff) is
journaled and the key claimed before anything is sent; an answer that never came is settled by reading the
document back (``changes.state_hash`` equal to the intent's hash = it landed), never by sending again. Anything
still different is compared afresh by the next run, so no line is ever added twice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator

from core import diffs
from core.errors import ErrorInfo, Fxk3Error, K3CloudError, OutcomeUnknownError, Text, TransportError
from core.k3cloud.client import K3CloudClient
from core.k3cloud.results import OpResult, SaveResult, Status
from core.mapping import Mapping
from core.profiles import Profile
from core.sync import changes, downstream, messages, reads
from core.sync.journal import Journal, LinkRow
from core.sync.model import STAGES, STATUS_STAGE, ItemResult, stage_rank
from core.sync.slots import AUTH_ERRORS, Slot, claim, target_stage
from core.sync.stages import advance

Event = tuple[str, ItemResult | None]
#: The status a document has once the step before Save is done: CancelAssign B -> A, UnAudit C -> D.
PRE_OPS = {"B": ("cancel_assign", "A", Text("撤销", "Cancel submission")),
           "C": ("unaudit", "D", Text("反审核", "Unaudit"))}


class Updater:
    """Compares and updates the documents of one flow of one run (the writer hands it what it found by key).

    Args:
        k3: the K3Cloud client; journal, run_id: where the items are journaled.
        profile: batch size, stages, ``reaudit``; mapping: the flow's mapping.
        hold_claimed: the writer's way of holding slots whose key another running run claimed.
        cancel: checked between chunks.
    """

    def __init__(self, *, k3: K3CloudClient, journal: Journal, run_id: int, profile: Profile, mapping: Mapping,
                 hold_claimed: Callable[[list[Slot]], None], cancel: threading.Event | None = None) -> None:
        self.k3, self.journal, self.run_id, self.profile, self.mapping = k3, journal, run_id, profile, mapping
        self.spec = changes.spec_of(mapping)
        self.form, self.flow = mapping.form_id, mapping.flow
        self.target = target_stage(profile)
        self.hold_claimed = hold_claimed
        self.cancel = cancel

    # -- comparing ----------------------------------------------------------------------------------------------
    def compare(self, slots: list[Slot]) -> list[Slot]:
        """Reads the documents back and sets each slot's ``doc`` and ``diff``; returns the slots that could not be
        read (their ``error`` says why)."""
        if not slots:
            return []
        try:
            docs = changes.read(self.k3, self.spec, [s.number for s in slots])
        except AUTH_ERRORS:
            raise
        except Fxk3Error as exc:
            for s in slots:
                s.error = messages.compare_failed(exc.info())
            return list(slots)
        unread = []
        for s in slots:
            doc = docs.get(s.number)
            if doc is None or s.work.payload is None:  # gone between the look-up and the read-back
                s.error = messages.compare_failed(messages.not_found(self.mapping.source_object, s.number))
                unread.append(s)
                continue
            s.doc, s.diff = doc, changes.diff(self.spec, s.work.payload, doc)
        return unread

    def holds(self, slots: list[Slot]) -> list[Slot]:
        """Marks the changed slots that may not be updated (audited, re-audit off or a downstream bill) as held;
        returns the others."""
        audited = [s for s in slots if s.doc is not None and s.doc.status == "C"]
        bills: dict[str, list[str]] = {}
        if audited and self.profile.reaudit and downstream.checked(self.form):
            try:
                bills = downstream.find(self.k3, self.form, [s.number for s in audited])
            except AUTH_ERRORS:
                raise
            except Fxk3Error as exc:
                for s in audited:
                    s.status, s.error = "failed", messages.compare_failed(exc.info())
                return [s for s in slots if s not in audited]
        for s in audited:
            if not self.profile.reaudit or s.number in bills:
                s.status = "held"
                s.error = messages.k3_audited(s.number, s.diff or [], diffs.diff_text(s.diff or []),
                                              bills.get(s.number))
        return [s for s in slots if s.status not in ("held", "failed")]

    # -- updating -----------------------------------------------------------------------------------------------
    def process(self, slots: list[Slot], results: list[ItemResult]) -> Generator[Event, None, None]:
        """Updates the changed slots (held ones are journaled and reported as they are)."""
        if not slots:
            return
        todo = self.holds(slots)
        stopped = [s for s in slots if s.status in ("held", "failed")]
        self.journal.settle([(s.work.item_id, {"state": s.status, "error": s.error, "diff": s.diff,
                                               "k3_id": s.k3_id, "k3_number": s.number})
                             for s in stopped if s.work.item_id is not None])
        for s in stopped:
            results.append(s.result(self.flow))
            yield "dedupe", results[-1]
        size = max(1, self.profile.batch_size or 50)
        for start in range(0, len(todo), size):
            chunk = todo[start:start + size]
            if self.cancel is not None and self.cancel.is_set():
                self.journal.delete_items([s.work.item_id for s in todo[start:] if s.work.item_id is not None])
                return
            yield from self._chunk(chunk, results)

    def _chunk(self, chunk: list[Slot], results: list[ItemResult]) -> Generator[Event, None, None]:
        intents = {id(s): changes.expected_hash(self.spec, s.work.payload, s.doc) for s in chunk
                   if s.work.payload is not None and s.doc is not None}
        self.journal.settle([(s.work.item_id, {"action": "update", "payload_hash": intents.get(id(s)),
                                               "diff": s.diff, "k3_id": s.k3_id, "k3_number": s.number})
                             for s in chunk if s.work.item_id is not None])
        chunk, elsewhere = claim(self.journal, self.run_id, self.flow, chunk)
        if elsewhere:
            self.hold_claimed(elsewhere)
        before = {id(s): STATUS_STAGE.get(s.doc.status if s.doc else "", "saved") for s in chunk}
        for s in chunk:
            s.attempts += 1
        ready = self._pre_ops(chunk)
        landed = self._save(ready, intents) if ready else []
        yield "write", None
        for s in landed:
            s.status, s.stage, s.error = "updated", "saved", None
        self._finish(chunk, landed, before)
        for s in elsewhere + chunk:
            results.append(s.result(self.flow))
            yield "write", results[-1]

    def _pre_ops(self, chunk: list[Slot]) -> list[Slot]:
        """CancelAssign the submitted documents, UnAudit the audited ones; returns the slots ready to be saved."""
        ready = [s for s in chunk if s.doc is not None and s.doc.status not in PRE_OPS]
        for status, (op, after, action) in PRE_OPS.items():
            group = [s for s in chunk if s.doc is not None and s.doc.status == status]
            if not group:
                continue
            res: OpResult | None = None
            cause: ErrorInfo | None = None
            try:
                res = getattr(self.k3, op)(self.form, ids=[s.doc.id for s in group if s.doc is not None])
            except AUTH_ERRORS:
                raise
            except (OutcomeUnknownError, TransportError, K3CloudError) as exc:
                cause = exc.info()
            if res is not None and res.ok:
                done = group
            else:  # refused or unknown: K3Cloud's status of each document says which went through
                done = self._now_at(group, after)
                if res is not None and not res.ok:
                    cause = messages.refused(Status(False, res.msg_code, [e for r in res.rows for e in r.errors],
                                                    []), action, self.form)
            for s in group:
                if s in done and s.doc is not None:
                    s.doc.status = after
                    ready.append(s)
                else:
                    s.status = "failed"
                    s.error = messages.update_refused(cause or messages.unknown(None), s.number)
        return ready

    def _now_at(self, slots: list[Slot], status: str) -> list[Slot]:
        try:
            found = reads.numbers(self.k3, self.form, self.mapping.key_field, [s.number for s in slots])
        except AUTH_ERRORS:
            raise
        except Fxk3Error:
            return []
        return [s for s in slots if str((found.get(s.number) or {}).get("status") or "") == status]

    def _save(self, slots: list[Slot], intents: dict[int, str]) -> list[Slot]:
        """Saves the updates; returns the slots whose update landed (an unknown answer settled by reading back)."""
        models = [changes.update_model(self.spec, s.work.payload, s.doc) for s in slots
                  if s.work.payload is not None and s.doc is not None]
        unknown: list[Slot] = []
        landed: list[Slot] = []
        cause: ErrorInfo | None = None
        try:
            res: SaveResult = self.k3.batch_save(self.form, models, idem_keys=[s.key for s in slots],
                                                 is_delete_entry=True)
        except AUTH_ERRORS:
            raise
        except (OutcomeUnknownError, TransportError) as exc:
            unknown, cause = list(slots), exc.info()
        except K3CloudError as exc:
            for s in slots:
                s.status, s.error = "failed", messages.update_refused(exc.info(), s.number)
            return []
        else:
            rows = list(res.rows)
            for i, s in enumerate(slots):
                row = rows[i] if i < len(rows) else None
                if row is not None and row.ok:
                    landed.append(s)
                elif row is not None and row.errors:
                    refusal = messages.refused(Status(False, res.msg_code, list(row.errors), []),
                                               Text("保存", "Save"), self.form)
                    s.status, s.error = "failed", messages.update_refused(refusal, s.number)
                else:
                    unknown.append(s)
        return landed + self._settle_unknown(unknown, intents, cause)

    def _settle_unknown(self, slots: list[Slot], intents: dict[int, str], cause: ErrorInfo | None) -> list[Slot]:
        """The update's answer never came: K3Cloud read back equal to the intent = it landed; else not (yet)."""
        if not slots:
            return []
        try:
            docs = changes.read(self.k3, self.spec, [s.number for s in slots])
        except AUTH_ERRORS:
            raise
        except Fxk3Error as exc:
            for s in slots:  # left 'writing': the next run's reconcile reads it back first
                s.status, s.error, s.unknown = "failed", messages.unknown(exc), True
            return []
        landed = []
        for s in slots:
            doc = docs.get(s.number)
            if doc is not None and changes.state_hash(self.spec, doc) == intents.get(id(s)):
                s.doc = doc
                landed.append(s)
            else:
                s.status, s.error = "failed", messages.update_unverified(s.number, cause)
        return landed

    def _finish(self, chunk: list[Slot], landed: list[Slot], before: dict[int, str]) -> None:
        """Submit/Audit as the profile says, never below the stage the document had; a document un-audited (or
        cancelled) for an update that did not land goes back to its stage. Journal and link."""
        goal = {id(s): max(self.target, before[id(s)], key=stage_rank) for s in chunk}
        lowered = [s for s in chunk if s not in landed and s.doc is not None and s.doc.status in ("A", "D")
                   and stage_rank(before[id(s)]) > 1]
        for stage in STAGES[1:]:
            group = [s for s in landed if goal[id(s)] == stage]
            if group:
                advance(self.k3, self.form, self.mapping.key_field, group, stage, self.cancel)
            back = [s for s in lowered if before[id(s)] == stage]
            if back:
                self._restore(back, stage)
        for s in landed:
            if s.error is not None and stage_rank(s.stage) < stage_rank(goal[id(s)]):
                s.status = "failed"
        # An unknown outcome that could not be read back stays 'writing': the next run's reconcile reads it first.
        self.journal.settle([(s.work.item_id, {"state": (s.stage or "saved") if s in landed else s.status,
                                               "error": s.error, "k3_id": s.k3_id, "k3_number": s.number})
                             for s in chunk if not s.unknown and s.work.item_id is not None])
        self.journal.upsert_links(self.mapping.source_object, self.form, [
            LinkRow(s.work.source_id, s.k3_id, s.number, s.stage or "saved", s.work.modified_ms) for s in landed])

    def _restore(self, slots: list[Slot], stage: str) -> None:
        """Takes documents a failed update left un-audited (or cancelled) back to where they were; the slots keep
        the update's error (a failure here is added to what the clerk reads)."""
        probes = [Slot(s.work, stage="saved", k3_id=s.k3_id, k3_number=s.k3_number) for s in slots]
        advance(self.k3, self.form, self.mapping.key_field, probes, stage, self.cancel)
        for s, probe in zip(slots, probes, strict=True):
            if probe.error is not None and s.error is not None:
                s.error = s.error.with_(message=Text(f"{s.error.message.zh}（{probe.error.message.zh}）",
                                                     f"{s.error.message.en} ({probe.error.message.en})"))
