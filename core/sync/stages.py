"""Submit then Audit the documents a run saved, as the profile says; each stage reached is kept.

Submit and Audit change a document's status and cannot duplicate it, so after a transient failure they are tried
again, but only for the documents that K3Cloud, asked by number, shows still below the stage.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from core.errors import Fxk3Error, K3CloudError, OutcomeUnknownError, TransportError
from core.k3cloud import codes
from core.k3cloud.client import K3CloudClient
from core.k3cloud.results import OpResult, RowResult
from core.sync import messages, reads
from core.sync.model import STATUS_STAGE, stage_rank
from core.sync.slots import AUTH_ERRORS, ROUND_PAUSE, Slot, pause

OP_ATTEMPTS = 3
#: Documents one Submit or Audit call takes. The reference names no limit on ``Numbers`` (k3cloud-webapi.md §6.2);
#: 200 keeps one call's server work near ten BatchSaves of the default 20 documents, and its answer small.
STAGE_BATCH = 200
#: (client method, the stage it reaches), in order.
OPERATIONS = (("submit", "submitted"), ("audit", "audited"))


def advance(k3: K3CloudClient, form: str, key_field: str, slots: list[Slot], target: str,
            cancel: threading.Event | None = None) -> None:
    """Takes every slot below ``target`` as far as it goes; a slot that stops gets the reason as its error."""
    for op, stage in OPERATIONS:
        if stage_rank(stage) > stage_rank(target):
            break
        for attempt in range(OP_ATTEMPTS):
            todo = [s for s in slots if stage_rank(s.stage) < stage_rank(stage) and s.error is None]
            if not todo:
                break
            if attempt and pause(ROUND_PAUSE * attempt, cancel):
                return  # cancelled: the documents keep the stage they reached; a retry carries on
            _attempt(k3, form, key_field, op, stage, todo, last=attempt == OP_ATTEMPTS - 1)


def _attempt(k3: K3CloudClient, form: str, key_field: str, op: str, stage: str, todo: list[Slot], *,
             last: bool) -> None:
    numbers = [s.number for s in todo]
    res: OpResult | None = None
    call_error: Fxk3Error | None = None
    try:
        res = getattr(k3, op)(form, numbers=numbers)
    except AUTH_ERRORS:
        raise
    except (OutcomeUnknownError, TransportError, K3CloudError) as exc:
        call_error = exc
    if res is not None and res.ok:
        for s in todo:
            s.stage = stage
        return
    transient = (isinstance(call_error, (OutcomeUnknownError, TransportError))
                 or bool(call_error is not None and call_error.retryable)
                 or (res is not None and codes.is_retryable(res.msg_code)))
    found: dict[str, dict[str, Any]] | None
    try:
        found = reads.numbers(k3, form, key_field, numbers)
    except Fxk3Error:
        found = None
    rows = list(res.rows) if res is not None else []
    match = _matcher(todo, rows)
    for s in todo:
        hit = (found or {}).get(s.number)
        now = STATUS_STAGE.get(str((hit or {}).get("status") or ""))
        if now and stage_rank(now) >= stage_rank(stage):
            s.stage = now
            continue
        row = match(s)
        if row is not None and row.ok and found is None:
            s.stage = stage  # K3Cloud said done and could not be asked: trust its answer
            continue
        row_failed = row is not None and not row.ok and bool(row.errors) and res is not None
        if last or not (transient or found is None) or (row_failed and not transient):
            s.error = messages.stage_failed(op, row.errors if row is not None else [], res, call_error, form)


def _matcher(todo: list[Slot], rows: list[RowResult]) -> Callable[[Slot], RowResult | None]:
    """Which answer row is about which document.

    By number where the row names one. K3Cloud numbers an operation's rows (``DIndex``) in the order of the
    documents' internal ids, not in the order the numbers were sent (reference k3cloud-webapi.md; issue 13), so a row
    without a number is matched through that order; one document's answer is its own.
    """
    by_number = {r.number: r for r in rows if r.number}
    ids = [_internal_id(s) for s in todo]
    rank: dict[int, int] = {}
    if None not in ids and len(set(ids)) == len(ids):
        rank = {id(s): i for i, s in enumerate(sorted(todo, key=lambda s: _internal_id(s) or 0))}
    by_index = {r.dindex: r for r in rows if not r.number}

    def match(s: Slot) -> RowResult | None:
        if s.number in by_number:
            return by_number[s.number]
        if len(todo) == 1:
            return rows[0] if rows else None
        return by_index.get(rank[id(s)]) if id(s) in rank else None

    return match


def _internal_id(s: Slot) -> int | None:
    try:
        return int(s.k3_id) if s.k3_id else None
    except ValueError:
        return None
