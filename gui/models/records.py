"""Customers and orders as table rows with their sync state; the filter (text, date range, state) as a predicate."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QColor

from core.mapping.model import Mapping
from core.mapping.transforms import TransformError, resolve_tz
from core.views import CHANGED, FAILED, HELD, NEW, PARTIAL, SYNCED, RecordRow
from gui.i18n import current_language, translate
from gui.models.base import Column, RowFilterProxy, RowTableModel

CTX = "RecordColumns"
#: Dates are shown in the zone the mapping's date rule sends them in (its default, core.mapping.transforms._date),
#: never the PC's: an order shown as 2026-12-01 must not be sent to K3Cloud as FDate 2026-12-02.
DISPLAY_TZ = "Asia/Shanghai"
#: The Fxiaoke field the date column shows, per kind.
DATE_FIELDS = {"orders": "order_time", "customers": "create_time", "payments": "payment_time"}

STATE_FILTERS = ("all", NEW, SYNCED, CHANGED, HELD, FAILED)
_STATE_COLORS = {NEW: "#4b5563", SYNCED: "#15803d", FAILED: "#b91c1c", CHANGED: "#b45309", PARTIAL: "#b45309",
                 HELD: "#b45309"}


def error_text(row: RecordRow) -> str:
    """The row's failure reason in the UI language."""
    return row.error.text(current_language()) if row.error is not None else ""


def fmt_date(ms: int | None, tz: tzinfo | None = None) -> str:
    """A Fxiaoke millisecond time as ``YYYY-MM-DD`` in ``tz`` (default: ``DISPLAY_TZ``)."""
    if not ms:
        return ""
    return datetime.fromtimestamp(ms / 1000, tz or resolve_tz(DISPLAY_TZ)).strftime("%Y-%m-%d")


def day_bounds_ms(day: date, tz: tzinfo, end: bool) -> int:
    """The first (or last) millisecond of ``day`` in ``tz``: the date filter matches the dates as shown."""
    moment = datetime.combine(day, time.max if end else time.min, tzinfo=tz)
    return int(moment.astimezone(UTC).timestamp() * 1000)


def date_time_zone(mapping: Mapping | None, kind: str) -> str:
    """The zone of the mapping's date rule that reads this kind's date field (``DISPLAY_TZ`` when none)."""
    field = DATE_FIELDS.get(kind)
    for rule in mapping.rules if mapping is not None else []:
        if rule.transform == "date" and rule.source == field:
            name = str(rule.args.get("tz") or DISPLAY_TZ)
            try:
                resolve_tz(name)
            except TransformError:  # the mapping's validation names it; the table still shows a date
                return DISPLAY_TZ
            return name
    return DISPLAY_TZ


def fmt_amount(value: float | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def state_text(row: RecordRow) -> str:
    """What the 同步状态 column says."""
    if row.state == SYNCED:
        k3 = {
            "audited": translate("SyncState", "audited"), "submitted": translate("SyncState", "submitted"),
            "saved": translate("SyncState", "saved"),
        }.get(row.k3_state, "")
        base = translate("SyncState", "Synced")
        text = f"{base} · {k3}" if k3 else base
        if row.error is not None and row.error.code == "amount_drift":
            text += " · " + translate("SyncState", "amounts differ from Fxiaoke")
        return text
    if row.state == PARTIAL:
        return translate("SyncState", "Saved, not audited")
    if row.state == FAILED:
        return translate("SyncState", "Failed: {reason}").format(reason=error_text(row).splitlines()[0] if row.error else "?")
    if row.state == HELD:
        return translate("SyncState", "Needs attention: {reason}").format(
            reason=error_text(row).splitlines()[0] if row.error else "?")
    if row.state == CHANGED:
        return translate("SyncState", "Changed since last sync")
    return translate("SyncState", "Not synced")


def delivery_text(row: RecordRow) -> str:
    """What the 发货状态 column says (Fxiaoke's logistics_status, updated by the deliveries run)."""
    return {
        "1": translate("SyncState", "Not shipped"), "2": translate("SyncState", "Partly shipped"),
        "3": translate("SyncState", "Shipped"), "4": translate("SyncState", "Received"),
    }.get(row.delivery, row.delivery)


def state_filter_label(state: str) -> str:
    return {
        "all": translate("SyncState", "All states"), NEW: translate("SyncState", "Not synced"),
        SYNCED: translate("SyncState", "Synced (with K3 number)"), FAILED: translate("SyncState", "Failed"),
        CHANGED: translate("SyncState", "Changed (edited in Fxiaoke since its last sync)"),
        HELD: translate("SyncState", "Needs attention (held)"),
    }[state]


def _state_color(row: RecordRow) -> QColor:
    return QColor(_STATE_COLORS.get(row.state, "#111827"))


def _state_sort(row: RecordRow) -> str:
    return f"{row.state}:{error_text(row)}"


def order_columns(tz: Callable[[], tzinfo]) -> list[Column[RecordRow]]:
    """The orders table; ``tz()`` is the zone its dates are shown in."""
    return [
        Column("number", QT_TRANSLATE_NOOP("RecordColumns", "Order No."), lambda r: r.number),
        Column("customer", QT_TRANSLATE_NOOP("RecordColumns", "Customer"), lambda r: r.customer),
        Column("amount", QT_TRANSLATE_NOOP("RecordColumns", "Amount"), lambda r: fmt_amount(r.amount),
               sort_key=lambda r: r.amount, right=True),
        Column("date", QT_TRANSLATE_NOOP("RecordColumns", "Order date"), lambda r: fmt_date(r.date_ms, tz()),
               sort_key=lambda r: r.date_ms),
        Column("k3_number", QT_TRANSLATE_NOOP("RecordColumns", "Kingdee No."), lambda r: r.k3_number),
        Column("delivery", QT_TRANSLATE_NOOP("RecordColumns", "Delivery"), delivery_text,
               foreground=lambda r: QColor(_STATE_COLORS[SYNCED] if r.delivery in ("3", "4") else "#4b5563")),
        Column("state", QT_TRANSLATE_NOOP("RecordColumns", "Sync state"), state_text, sort_key=_state_sort,
               tooltip=error_text, foreground=_state_color),
    ]


def customer_columns(tz: Callable[[], tzinfo]) -> list[Column[RecordRow]]:
    """The customers table; ``tz()`` is the zone its dates are shown in."""
    return [
        Column("number", QT_TRANSLATE_NOOP("RecordColumns", "Customer No."), lambda r: r.number),
        Column("name", QT_TRANSLATE_NOOP("RecordColumns", "Customer name"), lambda r: r.name),
        Column("extra", QT_TRANSLATE_NOOP("RecordColumns", "Phone"), lambda r: r.extra),
        Column("date", QT_TRANSLATE_NOOP("RecordColumns", "Created"), lambda r: fmt_date(r.date_ms, tz()),
               sort_key=lambda r: r.date_ms),
        Column("k3_number", QT_TRANSLATE_NOOP("RecordColumns", "Kingdee code"), lambda r: r.k3_number),
        Column("state", QT_TRANSLATE_NOOP("RecordColumns", "Sync state"), state_text, sort_key=_state_sort,
               tooltip=error_text, foreground=_state_color),
    ]


def payment_columns(tz: Callable[[], tzinfo]) -> list[Column[RecordRow]]:
    """The payments table (PaymentObj): its order's number is in ``extra``; ``tz()`` is the zone of its dates."""
    return [
        Column("number", QT_TRANSLATE_NOOP("RecordColumns", "Payment No."), lambda r: r.number),
        Column("customer", QT_TRANSLATE_NOOP("RecordColumns", "Customer"), lambda r: r.customer),
        Column("amount", QT_TRANSLATE_NOOP("RecordColumns", "Amount"), lambda r: fmt_amount(r.amount),
               sort_key=lambda r: r.amount, right=True),
        Column("date", QT_TRANSLATE_NOOP("RecordColumns", "Payment date"), lambda r: fmt_date(r.date_ms, tz()),
               sort_key=lambda r: r.date_ms),
        Column("extra", QT_TRANSLATE_NOOP("RecordColumns", "Order No."), lambda r: r.extra),
        Column("k3_number", QT_TRANSLATE_NOOP("RecordColumns", "Kingdee receipt"), lambda r: r.k3_number),
        Column("state", QT_TRANSLATE_NOOP("RecordColumns", "Sync state"), state_text, sort_key=_state_sort,
               tooltip=error_text, foreground=_state_color),
    ]


COLUMNS = {"orders": order_columns, "customers": customer_columns, "payments": payment_columns}


class RecordsModel(RowTableModel[RecordRow]):
    """Orders, customers or payments; ``kind`` is ``orders``, ``customers`` or ``payments``."""

    def __init__(self, kind: str, parent: Any = None) -> None:
        columns = COLUMNS[kind]
        super().__init__(CTX, columns(lambda: self.tz), parent)
        self.kind = kind
        self.tz_name = DISPLAY_TZ
        self.tz = resolve_tz(DISPLAY_TZ)
        self._by_id: dict[str, int] = {}

    def set_time_zone(self, name: str) -> None:
        """Show dates in zone ``name`` (an IANA name or ``+08:00``, see ``date_time_zone``)."""
        if name != self.tz_name:
            self.tz_name, self.tz = name, resolve_tz(name)
            self.rows_changed()

    def set_rows(self, rows: Any) -> None:  # type: ignore[override]
        super().set_rows(rows)
        self._reindex()

    def sort(self, column: int, order: Any = None) -> None:  # type: ignore[override]
        from PySide6.QtCore import Qt

        super().sort(column, Qt.SortOrder.AscendingOrder if order is None else order)
        self._reindex()

    def _reindex(self) -> None:
        self._by_id = {r.source_id: i for i, r in enumerate(self.rows())}

    def find(self, source_id: str) -> int:
        return self._by_id.get(source_id, -1)

    def update_states(self, states: dict[str, Any], apply: Callable[[RecordRow, Any], None]) -> None:
        """Apply fresh sync states (by source id) and repaint once."""
        for source_id, info in states.items():
            i = self._by_id.get(source_id)
            if i is not None:
                apply(self.rows()[i], info)
        self.rows_changed()


@dataclass
class RecordFilter:
    """The page's filter bar as a predicate (date range inclusive, ``state`` one of STATE_FILTERS)."""

    text: str = ""
    date_from_ms: int | None = None
    date_to_ms: int | None = None
    state: str = "all"

    def active(self) -> bool:
        return bool(self.text.strip()) or self.date_from_ms is not None or self.date_to_ms is not None \
            or self.state != "all"

    def predicate(self) -> Callable[[RecordRow], bool] | None:
        if not self.active():
            return None
        words = self.text.lower().split()
        lo, hi, state = self.date_from_ms, self.date_to_ms, self.state

        def accept(row: RecordRow) -> bool:
            if state != "all":
                row_state = FAILED if row.state == FAILED else (SYNCED if row.state in (SYNCED, PARTIAL) else row.state)
                if row_state != state:
                    return False
            if lo is not None and (row.date_ms is None or row.date_ms < lo):
                return False
            if hi is not None and (row.date_ms is None or row.date_ms > hi):
                return False
            if words:
                hay = row.search_text()
                return all(w in hay for w in words)
            return True

        return accept


class RecordsProxy(RowFilterProxy):
    def set_filter(self, flt: RecordFilter) -> None:
        self.set_predicate(flt.predicate())
