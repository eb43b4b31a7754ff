"""The write half of a run: journal, dedupe by key, chunked BatchSave, confirm by key, Submit/Audit, link, write-back.

Exactly-once rests on three things: the idempotency key (FNumber / FBillNo) is journaled and committed before any
write; nothing is sent for a key K3Cloud already has; and after any write whose outcome is unknown (or any row that
did not say "saved") the engine asks K3Cloud by key before it decides. K3Cloud's own uniqueness of the number is the
last guard across machines: the loser of a race gets MsgCode 11 and is settled as "skipped" once the key is found.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Any

from core.errors import (
    ConnectError,
    FxiaokeAuthError,
    Fxk3Error,
    K3CloudAuthError,
    K3CloudError,
    OutcomeUnknownError,
    PreflightError,
    RowError,
    Text,
    TransportError,
)
from core.k3cloud import codes
from core.k3cloud.results import Status, status_error
from core.mapping import Mapping
from core.sync import reads
from core.sync.journal import UNVERIFIED, Journal, LinkRow, NewItem
from core.sync.model import STATUS_STAGE, ItemResult, stage_rank
from core.sync.plan import Work

#: How core.k3cloud.results words a row that was not saved only because another row of its batch failed.
BATCH_FILLER = "本行未保存：同一批次的其他行有错误"
#: Credentials refused: stop the run (the journal keeps what is unfinished for the next run to confirm).
AUTH_ERRORS = (K3CloudAuthError, FxiaokeAuthError)
MAX_ROUNDS = 4
OP_ATTEMPTS = 3
ROUND_PAUSE = 0.5
#: Fxiaoke field that receives the K3Cloud number on write-back, per object.
WRITEBACK_FIELDS = {"AccountObj": "field_k3_no__c", "SalesOrderObj": "field_k3_no__c"}

#: (phase, settled item or None)
Event = tuple[str, ItemResult | None]


@dataclass
class Slot:
    """A work item inside the writer: its journal row, what K3Cloud has for it, and how far it got."""

    work: Work
    status: str = ""
    stage: str | None = None
    k3_id: str | None = None
    k3_number: str | None = None
    error: dict[str, Any] | None = None
    attempts: int = 0
    unknown: bool = False  # a write of it had an unknown outcome: a later answer may be about a second copy
    alone: bool = False  # send it in a batch of its own (its batch was refused as a whole)

    @property
    def key(self) -> str:
        return self.work.idem_key

    def result(self) -> ItemResult:
        return ItemResult(self.work.source_id, self.status, self.k3_id, self.k3_number or self.key or None,
                          self.error, self.stage, self.work.item_id)


def target_stage(profile: Any) -> str:
    if getattr(profile, "audit", False):
        return "audited"
    return "submitted" if getattr(profile, "submit", False) else "saved"


def error_dict(exc: BaseException) -> dict[str, Any]:
    if isinstance(exc, Fxk3Error):
        return exc.to_dict()
    return {"side": "local", "code": type(exc).__name__, "message": str(exc)}


def _unknown_error(exc: BaseException | None) -> dict[str, Any]:
    detail = exc.text("zh") if isinstance(exc, Fxk3Error) else ""
    detail_en = exc.text("en") if isinstance(exc, Fxk3Error) else ""
    return Fxk3Error(
        Text(f"写入金蝶的结果未知，且无法向金蝶核对。{detail}", f"The outcome of the write to K3Cloud is unknown and could "
             f"not be checked with K3Cloud. {detail_en}".strip()),
        Text("下次同步开始时会先按单号向金蝶核对，绝不会重复发送。",
             "The next sync first checks it with K3Cloud by number; it is never sent twice."),
        side="k3cloud", code="outcome_unknown", retryable=True).to_dict()


class Writer:
    """Writes the works of one flow (customers or orders) of one run.

    Args:
        k3: the K3Cloud client; fx: the Fxiaoke client (write-back), may be None.
        journal: the profile's journal; run_id: the run the items belong to.
        profile: ``core.profiles.Profile`` (batch_size, submit, audit, writeback).
        mapping: the flow's mapping (form id, key field, source object).
        cancel: checked between chunks.
    """

    def __init__(self, *, k3: Any, fx: Any, journal: Journal, run_id: int, profile: Any, mapping: Mapping,
                 cancel: threading.Event | None = None) -> None:
        self.k3, self.fx, self.journal, self.run_id = k3, fx, journal, run_id
        self.profile, self.mapping = profile, mapping
        self.form, self.key_field = mapping.form_id, mapping.key_field
        self.cancel = cancel
        self.batch_size = max(1, int(getattr(profile, "batch_size", 50) or 50))
        self.target = target_stage(profile)
        self.cancelled = False
        #: "our key -> K3Cloud's number" once K3Cloud was seen replacing our numbers for this form, else None.
        self.renumbers = journal.watermark(renumber_flag(self.form))

    # -- queries ------------------------------------------------------------------------------------------------
    def lookup(self, numbers: Sequence[str]) -> dict[str, dict[str, Any]]:
        """What K3Cloud has for these numbers (batched); raises on a read failure."""
        return reads.numbers(self.k3, self.form, self.key_field, list(numbers))

    # -- the pipeline -------------------------------------------------------------------------------------------
    def process(self, works: list[Work]) -> Generator[Event, None, list[ItemResult]]:
        """Journal, dedupe, write, confirm; yields (phase, item) as items settle and returns every item's result."""
        results: list[ItemResult] = []
        slots = [Slot(w) for w in works]
        _flag_shared_keys(slots, self.journal, self.mapping)
        bad = [s for s in slots if s.work.error is not None or s.work.payload is None]
        good = [s for s in slots if s not in bad]
        ids = self.journal.add_items(self.run_id, self.mapping.flow, [
            NewItem(s.work.source_id, s.key, "failed", error_dict(s.work.error) if s.work.error else None)
            for s in bad] + [NewItem(s.work.source_id, s.key) for s in good])
        for s, item_id in zip(bad + good, ids):
            s.work.item_id = item_id
        for s in bad:
            s.status, s.error = "failed", error_dict(s.work.error) if s.work.error else None
            results.append(s.result())
            yield ("preflight" if isinstance(s.work.error, PreflightError) else "map"), results[-1]

        queue, finish = yield from self._dedupe(good, results)
        for round_no in range(MAX_ROUNDS):
            if not queue or self.cancelled:
                break
            if round_no:
                time.sleep(ROUND_PAUSE * round_no)
            again: list[Slot] = []
            chunks = _chunks(queue, self.batch_size)
            for n, chunk in enumerate(chunks):
                if self.cancel is not None and self.cancel.is_set():
                    self.cancelled = True
                    self.journal.delete_items([s.work.item_id for c in chunks[n:] for s in c] +
                                              [s.work.item_id for s in again])
                    again = []
                    break
                done, retry, failed = yield from self._write_chunk(chunk)
                again += retry
                for s in failed:
                    results.append(s.result())
                    yield "write", results[-1]
                yield from self._complete(done, results)
            queue = again
        if queue:
            for s in queue:
                s.status = "failed"
                s.error = s.error or _unknown_error(None)
            self.journal.settle([(s.work.item_id, {"state": "failed", "error": s.error}) for s in queue])
            for s in queue:
                results.append(s.result())
                yield "write", results[-1]
        if finish and self.cancelled:
            for s in finish:
                s.status = "skipped"
            self._record(finish, state="skipped")
            for s in finish:
                results.append(s.result())
                yield "dedupe", results[-1]
        elif finish:
            yield from self._complete(finish, results, existing=True)
        return results

    def _dedupe(self, slots: list[Slot],
                results: list[ItemResult]) -> Generator[Event, None, tuple[list[Slot], list[Slot]]]:
        """Slots K3Cloud already has are linked ('skipped', or finished if ours and half-done); returns the rest."""
        if not slots:
            return [], []
        links = self.journal.links(self.mapping.source_object, [s.work.source_id for s in slots])
        alt = {s.work.source_id: links[s.work.source_id].k3_number for s in slots
               if s.work.source_id in links and links[s.work.source_id].k3_number not in (None, "", s.key)}
        found = self.lookup([s.key for s in slots] + list(alt.values()))
        ours = self.journal.ours(self.mapping.flow, list(found))
        held = self.journal.unverified(self.mapping.flow, [s.work.source_id for s in slots], self.run_id)
        queue, finish, skipped, blocked = [], [], [], []
        for s in slots:
            hit = found.get(s.key) or found.get(alt.get(s.work.source_id, ""))
            if hit is None and s.work.source_id in held:
                s.status, s.error = "failed", held[s.work.source_id]  # never re-sent until a person settles it
                blocked.append(s)
                continue
            if hit is None:
                queue.append(s)
                continue
            s.k3_id, s.k3_number = _str(hit.get("id")), _str(hit.get("number")) or s.key
            s.stage = STATUS_STAGE.get(str(hit.get("status") or ""), "saved")
            if s.k3_number in ours and stage_rank(s.stage) < stage_rank(self.target):
                s.status = "updated"
                finish.append(s)
            else:
                s.status = "skipped"
                skipped.append(s)
        self._record(skipped, state="skipped")
        if skipped and getattr(self.profile, "writeback", False) and self.fx is not None:
            self._write_back(skipped)  # a write-back that failed before is made now; a done one costs nothing
        self.journal.settle([(s.work.item_id, {"state": "failed", "error": s.error}) for s in blocked])
        for s in skipped + blocked:
            results.append(s.result())
            yield "dedupe", results[-1]
        return queue, finish

    def _write_chunk(self, chunk: list[Slot]) -> Generator[Event, None, tuple[list[Slot], list[Slot], list[Slot]]]:
        """One BatchSave and its confirmation; returns (slots K3Cloud has, slots to send again, failed slots)."""
        self.journal.mark_writing([s.work.item_id for s in chunk])
        for s in chunk:
            s.attempts += 1
        unknown: list[Slot] = []
        refused: dict[int, dict[str, Any]] = {}  # id(slot) -> error, rows K3Cloud said it did not save
        saved: list[Slot] = []
        call_error: BaseException | None = None
        res_code: int | None = None
        filler: set[int] = set()  # id(slot) of rows K3Cloud refused only because another row of the batch failed
        try:
            res = self.k3.batch_save(self.form, [s.work.payload.model for s in chunk], idem_keys=[s.key for s in chunk])
        except OutcomeUnknownError as exc:
            unknown, call_error = list(chunk), exc
        except TransportError as exc:
            if exc.sent or not isinstance(exc, ConnectError):
                unknown, call_error = list(chunk), exc
            else:  # the connection was never made: nothing to confirm, send again
                for s in chunk:
                    s.error = error_dict(exc)
                self.journal.settle([(s.work.item_id, {"state": "pending"}) for s in chunk])
                return [], list(chunk), []
        except AUTH_ERRORS:
            raise  # journal rows stay 'writing': the next run confirms them by key first
        except K3CloudError as exc:
            call_error = exc
            for s in chunk:
                refused[id(s)] = error_dict(exc)
        else:
            rows, res_code = list(res.rows), res.msg_code
            for i, s in enumerate(chunk):
                row = rows[i] if i < len(rows) else None
                if row is not None and row.ok:
                    s.k3_id, s.k3_number = _str(row.id), _str(row.number) or s.key
                    saved.append(s)
                elif row is not None and row.errors:
                    if all(e.message.startswith(BATCH_FILLER) for e in row.errors):
                        filler.add(id(s))
                    refused[id(s)] = error_dict(status_error(Status(False, res.msg_code, list(row.errors), []),
                                                             Text("保存", "Save"), self.form))
                else:
                    unknown.append(s)
        for s in saved:
            s.status, s.stage, s.error = "created", "saved", None
        for s in unknown:
            s.unknown = True
        self._check_numbers(saved)
        yield "write", None
        to_confirm = unknown + [s for s in chunk if id(s) in refused]
        if not to_confirm:
            return saved, [], []
        try:
            found = self.lookup([s.key for s in to_confirm])
        except Fxk3Error as exc:
            # Cannot tell: leave them 'writing' for the next run's reconcile; report them as not done now.
            for s in to_confirm:
                s.status, s.error = "failed", _unknown_error(exc)
            return saved, [], to_confirm
        retry: list[Slot] = []
        whole = len(chunk) > 1 and not any(id(s) not in refused for s in chunk)  # every row refused
        for s in to_confirm:
            hit = found.get(s.key)
            if hit is not None:
                s.k3_id, s.k3_number = _str(hit.get("id")), _str(hit.get("number")) or s.key
                s.stage = STATUS_STAGE.get(str(hit.get("status") or ""), "saved")
                # A refused row whose key exists was created by someone else (another PC): nothing of ours landed.
                s.status = "skipped" if id(s) in refused else "created"
                s.error = None
                saved.append(s)
            elif id(s) in refused:
                err = refused[id(s)]
                transient = bool(getattr(call_error, "retryable", False)) or (
                    res_code is not None and codes.is_retryable(res_code))
                # A batch refused as a whole, or a row refused only because another row was, says nothing about
                # this record: it is sent again in a batch of its own to get its own answer.
                innocent = (whole or id(s) in filler) and not s.alone
                if (transient or innocent) and s.attempts < MAX_ROUNDS:
                    s.error, s.alone = err, s.alone or innocent
                    retry.append(s)
                else:
                    s.status, s.error = "failed", err
            elif self.renumbers:
                s.status, s.error = "failed", unverified_error(self.renumbers)  # "absent" proves nothing here
            else:
                s.error = _unknown_error(call_error)
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
            if not self.renumbers:
                self.renumbers = f"{s.key} -> {s.k3_number}"
                self.journal.set_watermark(renumber_flag(self.form), self.renumbers)
            if s.unknown:  # an earlier send of it may have landed under a number we cannot search for
                s.error = duplicate_risk_error(s.key, s.k3_number)

    def _complete(self, slots: list[Slot], results: list[ItemResult], *,
                  existing: bool = False) -> Generator[Event, None, None]:
        """Submit/Audit as the profile says, journal + link, write back, and report each slot."""
        if not slots:
            return
        self._record([s for s in slots if s.status == "skipped"], state="skipped")
        mine = [s for s in slots if s.status != "skipped"]
        self._record(mine, state=None)
        if mine and stage_rank(self.target) > 1:
            yield "confirm", None
            self._advance(mine)
            self._record(mine, state=None)
        if getattr(self.profile, "writeback", False) and self.fx is not None:
            yield "writeback", None
            self._write_back(slots)
        for s in slots:
            results.append(s.result())
            yield ("confirm" if existing else "write"), results[-1]

    def _advance(self, slots: list[Slot]) -> None:
        """Submit then Audit the slots below the target stage; each stage reached is kept, failures are explained.

        Submit and Audit change a document's status and cannot duplicate it, so after a transient failure they are
        tried again, but only for the documents that K3Cloud, asked by number, shows still below the stage.
        """
        for op, stage in (("submit", "submitted"), ("audit", "audited")):
            if stage_rank(stage) > stage_rank(self.target):
                break
            for attempt in range(OP_ATTEMPTS):
                todo = [s for s in slots if stage_rank(s.stage) < stage_rank(stage) and not s.error]
                if not todo:
                    break
                if attempt:
                    time.sleep(ROUND_PAUSE * attempt)
                last = attempt == OP_ATTEMPTS - 1
                numbers = [s.k3_number or s.key for s in todo]
                res, call_error = None, None
                try:
                    res = getattr(self.k3, op)(self.form, numbers=numbers)
                except AUTH_ERRORS:
                    raise
                except (OutcomeUnknownError, TransportError, K3CloudError) as exc:
                    call_error = exc
                if res is not None and res.ok:
                    for s in todo:
                        s.stage = stage
                    break
                transient = (isinstance(call_error, (OutcomeUnknownError, TransportError))
                             or bool(getattr(call_error, "retryable", False))
                             or (res is not None and codes.is_retryable(res.msg_code)))
                try:
                    found: dict[str, dict[str, Any]] | None = self.lookup(numbers)
                except Fxk3Error:
                    found = None
                rows = list(res.rows) if res is not None else []
                by_number = {r.number: r for r in rows if r.number}
                for i, s in enumerate(todo):
                    hit = (found or {}).get(s.k3_number or s.key)
                    now = STATUS_STAGE.get(str((hit or {}).get("status") or ""))
                    if now and stage_rank(now) >= stage_rank(stage):
                        s.stage = now
                        continue
                    row = by_number.get(s.k3_number) or (rows[i] if i < len(rows) else None)
                    if row is not None and row.ok and found is None:
                        s.stage = stage  # K3Cloud said done and could not be asked: trust its answer
                        continue
                    row_failed = row is not None and not row.ok and row.errors and res is not None
                    if last or not (transient or found is None) or (row_failed and not transient):
                        s.error = _stage_error(op, row.errors if row is not None else [], res, call_error, self.form)

    def _write_back(self, slots: list[Slot]) -> None:
        fields = WRITEBACK_FIELDS.get(self.mapping.source_object)
        if not fields:
            return
        for s in slots:
            number = s.k3_number or s.key
            if not number or s.work.record.get(fields) == number:
                continue
            try:
                self.fx.update(self.mapping.source_object, s.work.source_id, {fields: number})
            except AUTH_ERRORS:
                raise
            except Fxk3Error as exc:
                if s.error is None:
                    s.error = _writeback_error(exc)
                continue
            s.work.record[fields] = number

    def _record(self, slots: list[Slot], *, state: str | None) -> None:
        """Journal state + link for slots that have a K3Cloud document."""
        if not slots:
            return
        self.journal.settle([(s.work.item_id, {"state": state or s.stage or "saved", "k3_id": s.k3_id,
                                               "k3_number": s.k3_number or s.key, "error": s.error}) for s in slots])
        self.journal.upsert_links(self.mapping.source_object, self.form, [
            LinkRow(s.work.source_id, s.k3_id, s.k3_number or s.key, s.stage or "saved", s.work.modified_ms)
            for s in slots])


def renumber_flag(form_id: str) -> str:
    """The journal watermark that records that K3Cloud renumbers documents of ``form_id``."""
    return f"renumbers.{form_id}"


_NUMBERING_ADVICE = Text("并请金蝶管理员在【编码规则】中允许手工录入单号（不按规则重新编号），以免再次发生。",
                         "Also ask the K3Cloud administrator to let the numbering rule (编码规则) keep manually "
                         "entered numbers, so this cannot happen again.")


def unverified_error(sample: str) -> dict[str, Any]:
    """An unknown write on a form whose numbers K3Cloud replaces: it is not sent again until a person checks."""
    return Fxk3Error(
        Text(f"写入金蝶的结果未知。金蝶会按编码规则改写单号（如 {sample}），无法按单号核对这张单据是否已经存在，"
             "为避免重复，没有再次发送。",
             f"The outcome of the write to K3Cloud is unknown. K3Cloud replaces our numbers with its own ({sample}), "
             "so whether the document exists cannot be checked by number; to avoid a duplicate it was not sent again."),
        Text("请在金蝶中按客户和日期查找这张单据，然后在同步记录中把它标为“已处理”（如不存在，再重新同步）。"
             + _NUMBERING_ADVICE.zh,
             "Look for it in K3Cloud by customer and date, then mark it resolved in the sync history (if it is not "
             "there, sync it again afterwards). " + _NUMBERING_ADVICE.en),
        side="k3cloud", code=UNVERIFIED).to_dict()


def duplicate_risk_error(key: str, number: str) -> dict[str, Any]:
    return Fxk3Error(
        Text(f"已写入金蝶，单号被金蝶改为 {number}。此前一次写入 {key} 的结果未知，金蝶中可能另有一份同样的单据。",
             f"Written to K3Cloud, which numbered it {number}. An earlier write of {key} had an unknown outcome, so "
             "K3Cloud may hold a second copy of this document."),
        Text("请在金蝶中按客户和日期查找，如有两份，删除多余的一份。" + _NUMBERING_ADVICE.zh,
             "Look in K3Cloud by customer and date and delete the extra copy if there are two. "
             + _NUMBERING_ADVICE.en),
        side="k3cloud", code="possible_duplicate").to_dict()


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
            s.work.error = Fxk3Error(
                Text(f"纷享销客记录 {s.work.source_id} 与 {other} 对应同一个金蝶编号 {s.key}，只能同步其中一条。",
                     f"Fxiaoke records {s.work.source_id} and {other} map to the same K3Cloud number {s.key}; "
                     "only one of them can be synced."),
                Text("请在纷享销客中改正重复的编号（如订单编号、客户编号），然后重试。",
                     "Correct the duplicate number (order or customer number) in Fxiaoke, then retry."),
                side="mapping", code="duplicate_key", field=mapping.key_field)


def _stage_error(op: str, errors: list[RowError], res: Any, call_error: BaseException | None,
                 form: str) -> dict[str, Any]:
    action = Text("提交", "Submit") if op == "submit" else Text("审核", "Audit")
    if errors or res is not None:
        cause: Fxk3Error = status_error(Status(False, getattr(res, "msg_code", None), list(errors), []), action, form)
    elif isinstance(call_error, Fxk3Error):
        cause = call_error
    else:
        cause = Fxk3Error(Text(f"金蝶{action.zh}失败。", f"K3Cloud {action.en.lower()} failed."), side="k3cloud")
    return _after_save(cause, Text(f"单据已保存到金蝶，但{action.zh}没有完成", f"Saved in K3Cloud, but the "
                                   f"{action.en.lower()} did not finish"),
                       Text("按原因在金蝶中处理后，再同步一次该记录（或在同步记录中点“完成”）即可接着完成，不会重复创建。",
                            "Fix the cause in K3Cloud, then sync the record again (or use 'Finish' in the sync "
                            "history): it carries on from here and creates nothing twice."))


def _writeback_error(exc: Fxk3Error) -> dict[str, Any]:
    return _after_save(exc, Text("已写入金蝶，但回写纷享销客失败", "Written to K3Cloud, but the write-back to Fxiaoke "
                                 "failed"), Text("金蝶中的单据无误；下次同步时会再次回写。",
                                                 "The K3Cloud document is fine; the next sync writes back again."))


def _after_save(cause: Fxk3Error, head: Text, advice: Text) -> dict[str, Any]:
    """The error of a record whose document exists: what did not finish, why (the server's words), what to do."""
    err = Fxk3Error(Text(f"{head.zh}：{cause.message.zh}", f"{head.en}: {cause.message.en}"), advice,
                    side=cause.side, code=cause.code)
    return err.to_dict()


def _str(v: Any) -> str | None:
    return None if v in (None, "") else str(v)
