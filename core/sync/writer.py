"""The write half of a run: journal, dedupe by key, chunked BatchSave, confirm by key, then stages and write-back.

Exactly-once rests on three things: the idempotency key (FNumber / FBillNo) is journaled and committed before any
write; nothing is sent for a key K3Cloud already has; and after any write whose outcome is unknown (or any row that
did not say "saved") the engine asks K3Cloud by key before it decides. K3Cloud's own uniqueness of the number is the
last guard across machines: the loser of a race gets MsgCode 11 and is settled as "skipped" once the key is found.
Submit/Audit live in ``stages.py``, the write-back in ``writeback.py`` and its lane in ``wb_lane.py``, every message
in ``messages.py``.

Speed (issue 15): the first chunk of a run goes alone and is taken all the way (Save, Submit, Audit, write-back);
then up to ``Profile.k3_in_flight`` K3Cloud requests are in flight at once, each chunk still marked writing in the
journal before it is sent and settled after; Submit and Audit go over up to ``STAGE_BATCH`` landed documents per
call; the write-back drains in its own lane at Fxiaoke's pace.

Longer than our 400-line guide on purpose: one class holds the whole exactly-once protocol of a chunk (journal ->
dedupe -> save -> confirm by key -> land) and the pipeline that overlaps chunks, so the invariant is read in one
place; everything that is not that protocol (stages, write-back, messages, slots, abort) already lives elsewhere.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Generator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from core.errors import ConnectError, ErrorInfo, Fxk3Error, K3CloudError, OutcomeUnknownError, Text, TransportError
from core.fxiaoke.client import FxiaokeClient
from core.k3cloud import codes
from core.k3cloud.client import K3CloudClient
from core.k3cloud.results import SaveResult, Status
from core.mapping import Mapping
from core.profiles import K3_IN_FLIGHT_MAX, Profile
from core.sync import messages, readback, reads
from core.sync.journal import Journal, LinkRow, NewItem
from core.sync.model import STATUS_STAGE, ItemResult, Progress, is_held, stage_rank
from core.sync.plan import Work
from core.sync.slots import AUTH_ERRORS, ROUND_PAUSE, Slot, claim, pause, target_stage, text_or_none
from core.sync.stages import STAGE_BATCH, advance
from core.sync.updater import Updater
from core.sync.wb_lane import WritebackLane
from core.sync.writeback import write_back

log = logging.getLogger("fxk3sync.sync")

#: How core.k3cloud.results words a row that was not saved only because another row of its batch failed.
BATCH_FILLER = "本行未保存：同一批次的其他行有错误"
MAX_ROUNDS = 4

#: (phase, settled item or None), or the write-back lane's own progress
Event = tuple[str, ItemResult | None] | Progress


@dataclass
class _Answer:
    """What one BatchSave said about its chunk."""

    saved: list[Slot] = field(default_factory=list)
    unknown: list[Slot] = field(default_factory=list)
    refused: dict[int, ErrorInfo] = field(default_factory=dict)  # id(slot) -> why K3Cloud did not save it
    filler: set[int] = field(default_factory=set)  # id(slot) of rows refused only because another row failed
    unconfirmed: set[int] = field(default_factory=set)  # id(slot) of rows "IsSuccess" named neither way
    call_error: Exception | None = None
    msg_code: int | None = None


class Writer:
    """Writes the works of one flow (customers or orders) of one run.

    Args:
        k3: the K3Cloud client; fx: the Fxiaoke client (write-back), may be None.
        journal: the profile's journal; run_id: the run the items belong to.
        profile: the profile (batch_size, submit, audit, writeback).
        mapping: the flow's mapping (form id, key field, source object).
        cancel: checked between chunks and during pauses.
    """

    def __init__(self, *, k3: K3CloudClient, fx: FxiaokeClient | None, journal: Journal, run_id: int,
                 profile: Profile, mapping: Mapping, cancel: threading.Event | None = None) -> None:
        self.k3, self.fx, self.journal, self.run_id = k3, fx, journal, run_id
        self.profile, self.mapping = profile, mapping
        self.form, self.key_field, self.flow = mapping.form_id, mapping.key_field, mapping.flow
        self.cancel = cancel
        self.batch_size = max(1, profile.batch_size)
        self.in_flight = max(1, min(profile.k3_in_flight, K3_IN_FLIGHT_MAX))
        self._numbers_lock = threading.Lock()
        self.target = target_stage(profile)
        self.cancelled = False
        #: "our key -> K3Cloud's number" once K3Cloud was seen replacing our numbers for this form, else None.
        self.renumbers = journal.watermark(renumber_flag(self.form))
        #: The write-back lane (None: the profile does not write back); the first chunk's write-back is made in line
        #: (``_proved``), so refused Fxiaoke credentials stop the run before more is written.
        self.lane = (WritebackLane(fx, journal, mapping.source_object, cancel)
                     if profile.writeback and fx is not None else None)
        self._proved = False
        self.updater = Updater(k3=k3, journal=journal, run_id=run_id, profile=profile, mapping=mapping,
                               hold_claimed=self._hold_claimed, cancel=cancel)

    def lookup(self, numbers: Sequence[str]) -> dict[str, dict[str, Any]]:
        """What K3Cloud has for these numbers; raises on a read failure."""
        return reads.numbers(self.k3, self.form, self.key_field, list(numbers))

    # -- the pipeline -------------------------------------------------------------------------------------------
    def process(self, works: list[Work]) -> Generator[Event, None, list[ItemResult]]:
        """Journal, dedupe, write, confirm; yields (phase, item) as items settle and returns every item's result.
        The write-back lane drains while the K3Cloud work goes on; the run waits for it at the end (a cancel or a
        fatal error leaves the rest queued for the next run)."""
        if self.lane is None:
            return (yield from self._process(works))
        self.lane.start()  # what earlier runs left queued goes first
        try:
            results = yield from self._process(works)
        except BaseException:
            self.lane.stop()
            raise
        yield from self.lane.finish()
        return results

    def _process(self, works: list[Work]) -> Generator[Event, None, list[ItemResult]]:
        results: list[ItemResult] = []
        slots = [Slot(w) for w in works]
        _flag_shared_keys(slots, self.journal, self.mapping)
        bad = [s for s in slots if s.work.error is not None or s.work.payload is None]
        good = [s for s in slots if s not in bad]
        ids = self.journal.add_items(self.run_id, self.flow, [
            NewItem(s.work.source_id, s.key, "held" if is_held(s.work.error) else "failed", s.work.error) for s in bad]
            + [NewItem(s.work.source_id, s.key) for s in good])
        for s, item_id in zip(bad + good, ids, strict=True):
            s.work.item_id = item_id
        held = [s for s in bad if s.work.hold]
        self.journal.settle([(s.work.item_id, {"state": "held"}) for s in held])
        for s in bad:
            s.status, s.error = "held" if s.work.hold or is_held(s.work.error) else "failed", s.work.error
            results.append(s.result(self.flow))
            yield ("preflight" if s.error is not None and s.error.code == "missing_base_data" else "map"), results[-1]

        queue, finish, changed = yield from self._dedupe(good, results)
        queue = yield from self._send(queue, results)
        if queue:
            for s in queue:
                s.status = "failed"
                s.error = s.error or messages.unknown(None)
            self.journal.settle([(s.work.item_id, {"state": "failed", "error": s.error}) for s in queue])
            for s in queue:
                results.append(s.result(self.flow))
                yield "write", results[-1]
        if changed and self.cancelled:
            self.journal.delete_items([s.work.item_id for s in changed if s.work.item_id is not None])
        elif changed:
            yield from self.updater.process(changed, results)
        if finish and self.cancelled:
            for s in finish:
                s.status = "skipped"
            self._record(finish, state="skipped")
            for s in finish:
                results.append(s.result(self.flow))
                yield "dedupe", results[-1]
        elif finish:
            yield from self._complete(finish, results, existing=True)
        return results

    def _send(self, queue: list[Slot], results: list[ItemResult]) -> Generator[Event, None, list[Slot]]:
        """Rounds of chunked writes; returns the slots still unsent or unconfirmed after the last round.

        The first chunk of a run goes alone and is taken to the profile's stage before any other is sent (a refusal
        that would hit every document costs one chunk, and a cancel right after it leaves only it written); then up
        to ``k3_in_flight`` requests are in flight at once (``_pipeline``).
        """
        first = True
        for round_no in range(MAX_ROUNDS):
            if not queue or self.cancelled:
                break
            if round_no and pause(ROUND_PAUSE * round_no, self.cancel):
                self._cancel(queue)
                return []
            again: list[Slot] = []
            chunks = _chunks(queue, self.batch_size)
            if first:
                first = False
                if self._cancel_requested():
                    self._cancel([s for c in chunks for s in c])
                    return []
                done, retry, failed = self._write_chunk(chunks[0])
                yield "write", None
                again += retry
                yield from self._report_failed(failed, results)
                self._land(done)
                yield from self._complete(done, results, landed=True)
                chunks = chunks[1:]
            ok = yield from self._pipeline(chunks, again, results)
            if not ok:
                return []
            queue = again
        return queue

    def _pipeline(self, chunks: list[list[Slot]], again: list[Slot],
                  results: list[ItemResult]) -> Generator[Event, None, bool]:
        """Sends ``chunks`` with at most ``k3_in_flight`` K3Cloud requests at once: BatchSaves, and Submit/Audit
        over up to ``STAGE_BATCH`` landed documents per call. Each chunk keeps its own journal steps (marked writing
        in one commit before it is sent, settled after), so exactly-once is the same as one chunk at a time.
        Returns False when the run was cancelled (nothing more is sent; what is in flight finishes and is settled,
        what landed is still taken to the profile's stage, what was never sent is forgotten)."""
        tasks: deque[tuple[str, list[Slot], Future[Any]]] = deque()
        landed: list[Slot] = []  # saved, waiting for their Submit/Audit batch
        n = 0
        stopped = False
        pool = ThreadPoolExecutor(max_workers=self.in_flight, thread_name_prefix="fxk3-k3")
        try:
            while True:
                stopped = stopped or self._cancel_requested()
                while len(tasks) < self.in_flight:
                    saving = any(kind == "save" for kind, _, _ in tasks)
                    if landed and (len(landed) >= STAGE_BATCH or (not saving and (n >= len(chunks) or stopped))):
                        batch, landed = landed[:STAGE_BATCH], landed[STAGE_BATCH:]
                        tasks.append(("finish", batch, pool.submit(self._finish, batch)))
                    elif n < len(chunks) and not stopped:
                        tasks.append(("save", chunks[n], pool.submit(self._save_and_land, chunks[n])))
                        n += 1
                    else:
                        break
                if not tasks:
                    break
                kind, slots, future = tasks.popleft()
                yield from self._lane_news()
                if kind == "finish":
                    future.result()
                    yield "confirm", None
                    yield from self._report(slots, results)
                    continue
                done, retry, failed = future.result()
                yield "write", None
                again += retry
                yield from self._report_failed(failed, results)
                landed += done
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        if stopped:
            self._cancel([s for c in chunks[n:] for s in c] + again)
            return False
        return True

    def _lane_news(self) -> Generator[Event, None, None]:
        """The lane's progress since the last report; its fatal error (refused credentials) stops the run."""
        if self.lane is None:
            return
        if self.lane.error is not None:
            raise self.lane.error
        event = self.lane.progress()
        if event is not None:
            yield event

    def _cancel_requested(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()

    def _report_failed(self, failed: list[Slot], results: list[ItemResult]) -> Generator[Event, None, None]:
        for s in failed:
            results.append(s.result(self.flow))
            yield "write", results[-1]

    def _save_and_land(self, chunk: list[Slot]) -> tuple[list[Slot], list[Slot], list[Slot]]:
        """In a worker: one chunk's BatchSave and confirmation, then what K3Cloud said is journaled."""
        done, retry, failed = self._write_chunk(chunk)
        self._land(done)
        return done, retry, failed

    def _cancel(self, unsent: list[Slot]) -> None:
        """Cancelled between chunks: the journal forgets what was never sent (it was never written)."""
        self.cancelled = True
        self.journal.delete_items([s.work.item_id for s in unsent if s.work.item_id is not None])

    def _dedupe(self, slots: list[Slot], results: list[ItemResult],
                ) -> Generator[Event, None, tuple[list[Slot], list[Slot], list[Slot]]]:
        """Slots K3Cloud already has are compared with it (``updater``): equal ones are 'skipped' (or finished if
        ours and half-done); returns (slots to create, slots to finish, slots whose document differs)."""
        if not slots:
            return [], [], []
        links = self.journal.links(self.mapping.source_object, [s.work.source_id for s in slots])
        alt = {s.work.source_id: links[s.work.source_id].k3_number for s in slots
               if s.work.source_id in links and links[s.work.source_id].k3_number not in (None, "", s.key)}
        found = self.lookup([s.key for s in slots] + [n for n in alt.values() if n])
        ours = self.journal.ours(self.flow, list(found))
        held = self.journal.unverified(self.flow, [s.work.source_id for s in slots], self.run_id)
        queue: list[Slot] = []
        finish: list[Slot] = []
        skipped: list[Slot] = []
        blocked: list[Slot] = []
        existing: list[Slot] = []
        for s in slots:
            hit = found.get(s.key) or found.get(alt.get(s.work.source_id) or "")
            blocker = held.get(s.work.source_id)
            if blocker is not None and (hit is None or blocker.code == "lines_dropped"):
                s.status, s.error = "failed", blocker  # never re-sent or finished until a person settles it
                blocked.append(s)
                continue
            if hit is None:
                queue.append(s)
                continue
            s.k3_id, s.k3_number = text_or_none(hit.get("id")), text_or_none(hit.get("number")) or s.key
            s.stage = STATUS_STAGE.get(str(hit.get("status") or ""), "saved")
            existing.append(s)
        unread = self.updater.compare(existing)
        changed: list[Slot] = []
        for s in existing:
            if s in unread:
                s.status = "failed"
                blocked.append(s)
            elif s.diff:
                changed.append(s)
            elif s.number in ours and stage_rank(s.stage) < stage_rank(self.target):
                s.status = "updated"
                finish.append(s)
            else:
                s.status = "skipped"
                skipped.append(s)
        self._record(skipped, state="skipped")
        if skipped and self.lane is not None:
            self.lane.add(skipped)  # a write-back that failed before (or was left queued) is made now
        self.journal.settle([(s.work.item_id, {"state": "failed", "error": s.error}) for s in blocked])
        for s in skipped + blocked:
            results.append(s.result(self.flow))
            yield "dedupe", results[-1]
        return queue, finish, changed

    def _write_chunk(self, chunk: list[Slot]) -> tuple[list[Slot], list[Slot], list[Slot]]:
        """One BatchSave and its confirmation; returns (slots K3Cloud has, slots to send again, slots settled
        otherwise: failed, or held because another PC of a shared store is writing them). Runs in a worker thread
        of ``_pipeline`` (the first chunk on the caller's): it touches only its own slots and the journal."""
        chunk, elsewhere = claim(self.journal, self.run_id, self.flow, chunk)
        if elsewhere:
            self._hold_claimed(elsewhere)
            if not chunk:
                return [], [], elsewhere
        for s in chunk:
            s.attempts += 1
        try:
            answer = self._save(chunk)
        except TransportError:
            # The connection was never made, after the HTTP layer's own attempts (nothing can have reached K3Cloud):
            # the chunk goes back to 'pending' and the error ends the run (fatal: the service is unreachable); it is
            # not sent again by another round on top of those attempts.
            self.journal.settle([(s.work.item_id, {"state": "pending"}) for s in chunk])
            raise
        for s in answer.saved:
            s.status, s.stage, s.error = "created", "saved", None
        for s in answer.unknown:
            s.unknown = True
        self._check_numbers(answer.saved)
        to_confirm = answer.unknown + [s for s in chunk if id(s) in answer.refused]
        if not to_confirm:
            return answer.saved, [], elsewhere
        saved, retry, failed = self._confirm(chunk, to_confirm, answer)
        return saved, retry, failed + elsewhere

    def _hold_claimed(self, slots: list[Slot]) -> None:
        """Another running run (another PC sharing this store) holds these keys: not sent, held, named."""
        who = self.journal.claim_holders(self.flow, [s.key for s in slots])
        for s in slots:
            h = who.get(s.key)
            s.status, s.error = "held", messages.claimed_elsewhere(s.key, h.host if h else None,
                                                                   h.os_user if h else None)
        self.journal.settle([(s.work.item_id, {"state": "held", "error": s.error}) for s in slots])

    def _save(self, chunk: list[Slot]) -> _Answer:
        """Sends the chunk; raises ``TransportError`` only when nothing can have reached K3Cloud."""
        answer = _Answer()
        try:
            res: SaveResult = self.k3.batch_save(self.form, [s.work.payload.model for s in chunk if s.work.payload],
                                                 idem_keys=[s.key for s in chunk], options=self.mapping.options)
        except OutcomeUnknownError as exc:
            answer.unknown, answer.call_error = list(chunk), exc
            return answer
        except TransportError as exc:
            if not exc.sent and isinstance(exc, ConnectError):
                raise
            answer.unknown, answer.call_error = list(chunk), exc
            return answer
        except AUTH_ERRORS:
            raise  # journal rows stay 'writing': the next run confirms them by key first
        except K3CloudError as exc:
            answer.call_error = exc
            answer.refused = {id(s): exc.info() for s in chunk}
            return answer
        rows, answer.msg_code = list(res.rows), res.msg_code
        for i, s in enumerate(chunk):
            row = rows[i] if i < len(rows) else None
            if row is not None and row.ok:
                s.k3_id, s.k3_number = text_or_none(row.id), text_or_none(row.number) or s.key
                answer.saved.append(s)
            elif row is not None and row.errors:
                if all(e.message.startswith(BATCH_FILLER) for e in row.errors):
                    answer.filler.add(id(s))
                if row.unconfirmed:
                    answer.unconfirmed.add(id(s))
                answer.refused[id(s)] = messages.refused(Status(False, res.msg_code, list(row.errors), []),
                                                         Text("保存", "Save"), self.form)
            else:
                answer.unknown.append(s)
        return answer

    def _confirm(self, chunk: list[Slot], to_confirm: list[Slot],
                 answer: _Answer) -> tuple[list[Slot], list[Slot], list[Slot]]:
        """Asks K3Cloud by key about every row that did not say "saved"; decides send again / failed / found."""
        saved = answer.saved
        try:
            found = self.lookup([s.key for s in to_confirm])
        except AUTH_ERRORS:
            raise
        except Fxk3Error as exc:
            # Cannot tell: leave them 'writing' for the next run's reconcile; report them as not done now.
            for s in to_confirm:
                s.status, s.error = "failed", messages.unknown(exc)
            return saved, [], to_confirm
        retry: list[Slot] = []
        refused = answer.refused
        whole = len(chunk) > 1 and not any(id(s) not in refused for s in chunk)  # every row refused
        transient = bool(getattr(answer.call_error, "retryable", False)) or (
            answer.msg_code is not None and codes.is_retryable(answer.msg_code))
        for s in to_confirm:
            hit = found.get(s.key)
            if hit is not None:
                s.k3_id, s.k3_number = text_or_none(hit.get("id")), text_or_none(hit.get("number")) or s.key
                s.stage = STATUS_STAGE.get(str(hit.get("status") or ""), "saved")
                # A refused row whose key exists was created by someone else (another PC): nothing of ours landed.
                # A row the answer did not name (success, but not in SuccessEntitys) that exists is ours.
                s.status = "skipped" if id(s) in refused and id(s) not in answer.unconfirmed else "created"
                s.error = None
                saved.append(s)
            elif id(s) in refused:
                # A batch refused as a whole, or a row refused only because another row was, says nothing about
                # this record: it is sent again in a batch of its own to get its own answer.
                innocent = (whole or id(s) in answer.filler) and not s.alone
                if (transient or innocent) and s.attempts < MAX_ROUNDS:
                    s.error, s.alone = refused[id(s)], s.alone or innocent
                    retry.append(s)
                else:
                    s.status, s.error = "failed", refused[id(s)]
            elif self.renumbers:
                s.status, s.error = "failed", messages.unverified(self.renumbers)  # "absent" proves nothing here
            else:
                s.error = messages.unknown(answer.call_error)
                retry.append(s)  # confirmed absent: sending again is safe (the number is unique in K3Cloud)
        failed = [s for s in to_confirm if s.status == "failed"]
        self.journal.settle([(s.work.item_id, {"state": "failed", "error": s.error}) for s in failed]
                            + [(s.work.item_id, {"state": "pending"}) for s in retry])
        return saved, retry, failed

    def _check_numbers(self, saved: list[Slot]) -> None:
        """K3Cloud's numbering rule may replace our number: from then on "not found by number" proves nothing."""
        for s in saved:
            if not s.k3_number or s.k3_number.casefold() == s.key.casefold():
                continue
            with self._numbers_lock:  # chunks land in several threads: the flag is set and journaled once
                if not self.renumbers:
                    self.renumbers = f"{s.key} -> {s.k3_number}"
                    self.journal.set_watermark(renumber_flag(self.form), self.renumbers)
            if s.unknown:  # an earlier send of it may have landed under a number we cannot search for
                s.error = messages.duplicate_risk(s.key, s.k3_number)

    def _complete(self, slots: list[Slot], results: list[ItemResult], *, existing: bool = False,
                  landed: bool = False) -> Generator[Event, None, None]:
        """Submit/Audit as the profile says, journal + link, write back, and report each slot (``landed``: the
        journal has what K3Cloud said already, ``_land``).

        A document left below the profile's stage (its Submit or Audit refused) is reported ``failed``: the record's
        sync did not finish, and a retry carries on from the stage it reached.
        """
        if not slots:
            return
        if not landed:
            self._land(slots, verify=not existing)
        if any(s.status != "skipped" for s in slots) and stage_rank(self.target) > 1:
            yield "confirm", None
        for i in range(0, len(slots), STAGE_BATCH):
            self._finish(slots[i:i + STAGE_BATCH])
        yield from self._report(slots, results, existing=existing)

    def _land(self, slots: list[Slot], *, verify: bool = True) -> None:
        """What K3Cloud said is journaled before anything else can fail; created documents are read back."""
        self._record([s for s in slots if s.status == "skipped"], state="skipped")
        mine = [s for s in slots if s.status != "skipped"]
        self._record(mine, state=None)
        if verify and self._verify([s for s in mine if s.status == "created"]):
            self._record(mine, state=None)

    def _finish(self, slots: list[Slot]) -> None:
        """Submit/Audit over the landed documents (one call per operation for the whole batch), journaled."""
        mine = [s for s in slots if s.status != "skipped"]
        if mine and stage_rank(self.target) > 1:
            advance(self.k3, self.form, self.key_field, mine, self.target, self.cancel)
            self._record(mine, state=None)
        for s in mine:
            if s.error is not None and stage_rank(s.stage) < stage_rank(self.target):
                s.status = "failed"

    def _report(self, slots: list[Slot], results: list[ItemResult], *,
                existing: bool = False) -> Generator[Event, None, None]:
        """Write-back and one event per slot. The first documents' write-back is made here, in line: it proves
        Fxiaoke takes our updates before the lane takes over (refused credentials stop the run at once); later ones
        are queued for the lane."""
        if self.lane is not None and self._proved:
            self.lane.add(slots)
            yield from self._lane_news()
        elif self.lane is not None and self.fx is not None:
            yield "writeback", None
            write_back(self.fx, self.mapping.source_object, slots)
            self._proved = self._proved or any(s.error is None and s.number for s in slots)
        for s in slots:
            results.append(s.result(self.flow))
            yield ("confirm" if existing else "write"), results[-1]

    def _verify(self, slots: list[Slot]) -> bool:
        """What K3Cloud stored is read back: dropped lines fail the item, amount drift is noted (readback.py).
        A read that fails leaves the documents as saved: nothing is decided without an answer, nothing is lost.
        Returns whether any slot got an error or a note."""
        before = [(s.error, s.note) for s in slots]
        try:
            readback.verify(self.k3, self.mapping, slots)
        except AUTH_ERRORS:
            raise
        except Fxk3Error as exc:
            log.warning("read-back of %d documents of %s failed: %s", len(slots), self.form, exc.code)
        return before != [(s.error, s.note) for s in slots]

    def _record(self, slots: list[Slot], *, state: str | None) -> None:
        """Journal state + link for slots that have a K3Cloud document."""
        if not slots:
            return
        self.journal.settle([(s.work.item_id, {"state": state or s.stage or "saved", "k3_id": s.k3_id,
                                               "k3_number": s.number, "error": s.error or s.note}) for s in slots])
        self.journal.upsert_links(self.mapping.source_object, self.form, [
            LinkRow(s.work.source_id, s.k3_id, s.number, s.stage or "saved", s.work.modified_ms)
            for s in slots])


def renumber_flag(form_id: str) -> str:
    """The journal watermark that records that K3Cloud renumbers documents of ``form_id``."""
    return f"renumbers.{form_id}"


def _chunks(queue: list[Slot], size: int) -> list[list[Slot]]:
    """Batches in queue order; a slot that must go alone gets a batch of its own."""
    together = [s for s in queue if not s.alone]
    return [together[i:i + size] for i in range(0, len(together), size)] + [[s] for s in queue if s.alone]


def _flag_shared_keys(slots: list[Slot], journal: Journal, mapping: Mapping) -> None:
    """Two Fxiaoke records that map to one K3Cloud number would be one document: the later one fails, explained."""
    owner: dict[str, str] = {}
    live = [s for s in slots if s.work.error is None and s.work.payload is not None]
    linked = journal.sources_by_number(mapping.source_object, [s.key for s in live])
    for s in live:
        first = owner.setdefault(s.key, s.work.source_id)
        other = first if first != s.work.source_id else linked.get(s.key)
        if other and other != s.work.source_id:
            s.work.error = messages.duplicate_key(s.work.source_id, other, s.key, mapping.key_field)
