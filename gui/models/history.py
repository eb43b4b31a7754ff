"""Sync runs and their items (plain rows read from the journal in a worker)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QColor

from core.diffs import diff_text
from core.views import HALF_DONE, ItemRow, RunRow
from gui.i18n import current_language, translate
from gui.models.base import Column, RowFilterProxy, RowTableModel

FLOW_NAMES = {
    "customers": QT_TRANSLATE_NOOP("Flows", "Customers"),
    "orders": QT_TRANSLATE_NOOP("Flows", "Orders"),
    "deliveries": QT_TRANSLATE_NOOP("Flows", "Deliveries"),
    "payments": QT_TRANSLATE_NOOP("Flows", "Payments"),
    "products": QT_TRANSLATE_NOOP("Flows", "Products"),
}
RUN_STATUS = {
    "running": QT_TRANSLATE_NOOP("RunStatus", "Running"), "done": QT_TRANSLATE_NOOP("RunStatus", "Done"),
    "failed": QT_TRANSLATE_NOOP("RunStatus", "Failed"), "cancelled": QT_TRANSLATE_NOOP("RunStatus", "Cancelled"),
    "partial": QT_TRANSLATE_NOOP("RunStatus", "Some failed"),
}
ITEM_STATE = {
    "pending": QT_TRANSLATE_NOOP("ItemState", "Pending"), "writing": QT_TRANSLATE_NOOP("ItemState", "Writing"),
    "saved": QT_TRANSLATE_NOOP("ItemState", "Saved (not submitted)"),
    "submitted": QT_TRANSLATE_NOOP("ItemState", "Submitted (not audited)"),
    "audited": QT_TRANSLATE_NOOP("ItemState", "Audited"), "skipped": QT_TRANSLATE_NOOP("ItemState", "Already in K3Cloud"),
    "failed": QT_TRANSLATE_NOOP("ItemState", "Failed"), "resolved": QT_TRANSLATE_NOOP("ItemState", "Resolved by hand"),
    "held": QT_TRANSLATE_NOOP("ItemState", "Needs attention"),
    "created": QT_TRANSLATE_NOOP("ItemState", "Created"), "updated": QT_TRANSLATE_NOOP("ItemState", "Updated"),
    "voided": QT_TRANSLATE_NOOP("ItemState", "Deleted in K3Cloud (voided in Fxiaoke)"),
}
#: An update that reached a stage is shown as an update (its stage after it).
UPDATED_STAGE = {
    "saved": QT_TRANSLATE_NOOP("ItemState", "Updated (saved, not submitted)"),
    "submitted": QT_TRANSLATE_NOOP("ItemState", "Updated (submitted, not audited)"),
    "audited": QT_TRANSLATE_NOOP("ItemState", "Updated (audited)"),
}
ITEM_COLORS = {"failed": "#b91c1c", "held": "#b45309", "saved": "#b45309", "submitted": "#b45309", "pending": "#b45309",
               "writing": "#b45309", "audited": "#15803d", "skipped": "#4b5563", "resolved": "#4b5563",
               "voided": "#4b5563"}


def flow_name(flow: str) -> str:
    source = FLOW_NAMES.get(flow)
    return translate("Flows", source) if source else flow


def _when(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S") if value else ""


def counts_text(run: RunRow) -> str:
    """What the run did; a run stopped before it settled anything says why (its error's first sentence)."""
    parts = []
    for key, label in (("created", translate("RunCounts", "created {n}")),
                       ("updated", translate("RunCounts", "updated {n}")),
                       ("voided", translate("RunCounts", "voided {n}")),
                       ("skipped", translate("RunCounts", "skipped {n}")),
                       ("held", translate("RunCounts", "held {n}")),
                       ("failed", translate("RunCounts", "failed {n}"))):
        n = int(run.counts.get(key, 0) or 0)
        if n:
            parts.append(label.format(n=n))
    if parts:
        return translate("RunCounts", ", ").join(parts)
    if run.error is not None:
        return run.error.message.pick(current_language()).strip().splitlines()[0] if run.error.message.zh else "—"
    return "—"


def pc_text(run: RunRow) -> str:
    """The PC that ran it (host name / OS user): on a shared store, which clerk's PC or the server's task ran it."""
    return " / ".join(p for p in (run.host, run.os_user) if p)


def run_status(run: RunRow) -> str:
    """``partial`` only when some records failed and others went through; all failed is ``failed``."""
    failed = int(run.counts.get("failed", 0) or 0)
    if run.status != "done" or not failed:
        return run.status
    landed = sum(int(run.counts.get(k, 0) or 0) for k in ("created", "updated", "skipped", "voided", "held"))
    return "partial" if landed else "failed"


def _status(run: RunRow) -> str:
    status = run_status(run)
    text = translate("RunStatus", RUN_STATUS.get(status, status))
    dry = translate("RunStatus", "dry run")
    return f"{text} ({dry})" if run.dry_run else text


RUN_COLUMNS: list[Column[RunRow]] = [
    Column("id", QT_TRANSLATE_NOOP("HistoryColumns", "Run"), lambda r: f"#{r.id}", sort_key=lambda r: r.id),
    Column("flow", QT_TRANSLATE_NOOP("HistoryColumns", "Flow"), lambda r: flow_name(r.flow)),
    Column("started", QT_TRANSLATE_NOOP("HistoryColumns", "Started"), lambda r: _when(r.started_at),
           sort_key=lambda r: r.started_at.timestamp() if r.started_at else 0),
    Column("finished", QT_TRANSLATE_NOOP("HistoryColumns", "Finished"), lambda r: _when(r.finished_at),
           sort_key=lambda r: r.finished_at.timestamp() if r.finished_at else 0),
    Column("status", QT_TRANSLATE_NOOP("HistoryColumns", "Status"), _status,
           foreground=lambda r: QColor("#b91c1c") if r.status == "failed" or r.counts.get("failed") else None),
    Column("counts", QT_TRANSLATE_NOOP("HistoryColumns", "Result"), counts_text,
           tooltip=lambda r: r.error.text(current_language()) if r.error is not None else counts_text(r)),
    Column("pc", QT_TRANSLATE_NOOP("HistoryColumns", "PC"), pc_text, tooltip=pc_text),
]


def item_error(item: ItemRow) -> str:
    """The item's reason in the UI language."""
    return item.error.text(current_language()) if item.error is not None else ""


def changes_text(item: ItemRow) -> str:
    """An updated item's differences from what K3Cloud held, in the UI language (empty when none)."""
    if not item.diff:
        return ""
    return translate("HistoryColumns", "Changed: {changes}").format(
        changes=diff_text(item.diff).pick(current_language()))


def _item_state(item: ItemRow) -> str:
    source = UPDATED_STAGE.get(item.state) if item.action == "update" else None
    source = source or ITEM_STATE.get(item.state)
    return translate("ItemState", source) if source else item.state


def attempts_text(item: ItemRow) -> str:
    """How often the document was sent to K3Cloud; a failure before any write says so instead of "0"."""
    if item.attempts:
        return str(item.attempts)
    return translate("HistoryColumns", "not sent") if item.state == "failed" else "—"


def _attempts_tip(item: ItemRow) -> str:
    if item.attempts or item.state != "failed":
        return ""
    return translate("HistoryColumns", "It stopped before anything was sent to K3Cloud: see the reason.")


ITEM_COLUMNS: list[Column[ItemRow]] = [
    Column("key", QT_TRANSLATE_NOOP("HistoryColumns", "Document key"), lambda i: i.idem_key),
    Column("state", QT_TRANSLATE_NOOP("HistoryColumns", "State"), _item_state,
           foreground=lambda i: QColor(ITEM_COLORS[i.state]) if i.state in ITEM_COLORS else None),
    Column("k3", QT_TRANSLATE_NOOP("HistoryColumns", "Kingdee No."), lambda i: i.k3_number),
    Column("attempts", QT_TRANSLATE_NOOP("HistoryColumns", "Attempts"), attempts_text,
           sort_key=lambda i: i.attempts, right=True, tooltip=_attempts_tip),
    Column("error", QT_TRANSLATE_NOOP("HistoryColumns", "Reason"), lambda i: item_error(i).splitlines()[0]
           if i.error else changes_text(i), tooltip=lambda i: item_error(i) or changes_text(i)),
    Column("source", QT_TRANSLATE_NOOP("HistoryColumns", "Fxiaoke ID"), lambda i: i.source_id),
]


class RunsModel(RowTableModel[RunRow]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__("HistoryColumns", RUN_COLUMNS, parent)


class ItemsModel(RowTableModel[ItemRow]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__("HistoryColumns", ITEM_COLUMNS, parent)


class ItemsProxy(RowFilterProxy):
    """``problems_only``: failed and half-done items."""

    def set_problems_only(self, on: bool) -> None:
        self.set_predicate((lambda i: i.state in ("failed", "held", "pending", "writing", *HALF_DONE)) if on else None)
