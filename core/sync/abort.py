"""A run stopped by a connection, TLS, authentication or quota error after it began writing: what it reports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.errors import ErrorInfo, Fxk3Error, Text, is_connection_or_auth
from core.store import StoreError
from core.sync import messages
from core.sync.journal import LANDED, Journal, load_error
from core.sync.model import ItemResult, RunSummary

#: Journal states of an item whose K3Cloud document this run (or an earlier one of ours) wrote.
OURS = ("saved", "submitted", "audited")
#: Error codes of the items a stopped run had not settled (the fatal error's own words are in the message).
NOT_SENT, UNCONFIRMED, UNFINISHED = "stopped_not_sent", "stopped_unconfirmed", "stopped_unfinished"

_TEXTS = {
    NOT_SENT: (Text("同步中途停止，这条记录没有发送到金蝶", "The sync stopped before this record was sent to K3Cloud"),
               Text("它没有写入金蝶。问题解决后再同步一次即可：下次同步会先按单号核对，不会重复。",
                    "It was not written to K3Cloud. Sync again once the problem is fixed: the next sync checks by "
                    "number first and cannot create it twice.")),
    UNCONFIRMED: (Text("同步在写入这条记录时停止，结果未知",
                       "The sync stopped while this record was being written; the outcome is unknown"),
                  Text("下次同步开始时会先按单号向金蝶核对，绝不会重复发送。",
                       "The next sync first checks it with K3Cloud by number; it is never sent twice.")),
    UNFINISHED: (Text("已写入金蝶，但同步在这条记录完成（提交、审核或回写）之前停止",
                      "Written to K3Cloud, but the sync stopped before this record was finished (submit, audit or "
                      "write-back)"),
                 Text("问题解决后再同步一次即可接着完成，不会重复创建。",
                      "Sync again once the problem is fixed: it carries on from here and creates nothing twice.")),
}


def is_fatal(exc: BaseException) -> bool:
    """An error that makes the service unusable for the rest of the run (not one record's problem): no
    connection, refused credentials or quota, or the local store failing (a full disk)."""
    return isinstance(exc, StoreError) or (isinstance(exc, Fxk3Error) and is_connection_or_auth(exc))


def stopped_error(exc: ErrorInfo, code: str) -> ErrorInfo:
    """The error of an item the stopped run had not settled: the fatal error, then what happens now."""
    head, note = _TEXTS[code]
    return messages.stopped(exc, head, note, code)


def began_writing(journal: Journal, run_id: int, items: Sequence[ItemResult]) -> bool:
    """Whether the run sent a write or settled a record; if not, the error stands alone as before (exit 3)."""
    if any(i.status != "failed" for i in items):
        return True
    try:
        return any(r.attempts > 0 or r.state in LANDED for r in journal.run_items(run_id))
    except StoreError:  # the store itself failed: cannot tell, so report what is known rather than nothing
        return True


def stopped_items(journal: Journal, run_id: int, flow: str, settled: Sequence[ItemResult], planned: Sequence[str],
                  exc: ErrorInfo) -> list[ItemResult]:
    """The items the run had not settled (of ``flow``, and the customers an order run was pushing), each with why;
    the journal is left for the next run.

    A sent item whose answer is unknown stays 'writing' (the next run asks K3Cloud by number before anything else);
    an item not sent becomes 'failed'; an item K3Cloud has keeps its stage.
    """
    done_ids = {i.item_id for i in settled if i.item_id is not None}
    done = {(i.flow, i.source_id) for i in settled}
    out: list[ItemResult] = []
    changes: list[tuple[int, dict[str, Any]]] = []
    seen: set[tuple[str, str]] = set()
    for row in journal.run_items(run_id):
        key = (row.flow, row.source_id)
        if row.id in done_ids or key in done:
            continue
        if row.state == "writing":
            err = stopped_error(exc, UNCONFIRMED)
            changes.append((row.id, {"error": err}))
            status = "failed"
        elif row.state == "pending":
            err = stopped_error(exc, NOT_SENT)
            changes.append((row.id, {"state": "failed", "error": err}))
            status = "failed"
        elif row.state in LANDED:
            err = load_error(row) or stopped_error(exc, UNFINISHED)
            changes.append((row.id, {"error": err}))
            # attempts > 0: this run sent it; otherwise it was ours already and the run was finishing it
            status = "skipped" if row.state == "skipped" else (
                "created" if row.attempts and row.action != "update" else "updated")
        elif row.state == "failed":
            err, status = load_error(row) or stopped_error(exc, NOT_SENT), "failed"
        else:
            continue
        if key not in seen:
            seen.add(key)
            out.append(ItemResult(row.source_id, status, row.k3_id, row.k3_number or row.idem_key or None, err,
                                  row.state if row.state in OURS else None, row.id, row.flow))
    journal.settle(changes)
    for source_id in dict.fromkeys(planned):
        if (flow, source_id) not in done and (flow, source_id) not in seen:
            out.append(ItemResult(source_id, "failed", None, None, stopped_error(exc, NOT_SENT), flow=flow))
    return out


def wrote(journal: Journal, run_id: int, summary: RunSummary) -> bool:
    """Something of this run reached K3Cloud or was found there (CLI exit 1 rather than 3)."""
    if summary.created or summary.updated or summary.skipped or summary.voided:
        return True
    return any(r.state in OURS for r in journal.run_items(run_id))
