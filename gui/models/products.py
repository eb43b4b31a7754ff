"""K3Cloud materials with their Fxiaoke product's state (the Products page); the filter (text, state)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QColor

from core.views import CHANGED, FAILED, HELD, NEW, SYNCED, ProductRow
from gui.i18n import current_language, translate
from gui.models.base import Column, RowFilterProxy, RowTableModel

CTX = "ProductColumns"
STATE_FILTERS = ("all", NEW, CHANGED, SYNCED, HELD, FAILED)
_COLORS = {NEW: "#4b5563", SYNCED: "#15803d", CHANGED: "#b45309", HELD: "#b45309", FAILED: "#b91c1c"}


def error_text(row: ProductRow) -> str:
    return row.error.text(current_language()) if row.error is not None else ""


def state_text(row: ProductRow) -> str:
    """What the Fxiaoke column says about the material's product."""
    if row.state == SYNCED:
        return translate("ProductState", "In Fxiaoke, up to date")
    if row.state == CHANGED:
        return translate("ProductState", "In Fxiaoke, to update")
    if row.state == HELD:
        return translate("ProductState", "Needs attention: {reason}").format(
            reason=error_text(row).splitlines()[0] if row.error else "?")
    if row.state == FAILED:
        return translate("ProductState", "Failed: {reason}").format(
            reason=error_text(row).splitlines()[0] if row.error else "?")
    return translate("ProductState", "Not in Fxiaoke yet")


def state_filter_label(state: str) -> str:
    return {
        "all": translate("ProductState", "All states"), NEW: translate("ProductState", "Not in Fxiaoke yet"),
        CHANGED: translate("ProductState", "To update"), SYNCED: translate("ProductState", "Up to date"),
        HELD: translate("ProductState", "Needs attention"), FAILED: translate("ProductState", "Failed"),
    }[state]


def product_columns() -> list[Column[ProductRow]]:
    return [
        Column("number", QT_TRANSLATE_NOOP("ProductColumns", "Material No."), lambda r: r.number),
        Column("name", QT_TRANSLATE_NOOP("ProductColumns", "Name"), lambda r: r.name),
        Column("spec", QT_TRANSLATE_NOOP("ProductColumns", "Specification"), lambda r: r.spec),
        Column("unit", QT_TRANSLATE_NOOP("ProductColumns", "Unit"), lambda r: r.unit),
        Column("modified", QT_TRANSLATE_NOOP("ProductColumns", "Changed in K3Cloud"),
               lambda r: r.modified.replace("T", " ")[:16]),
        Column("state", QT_TRANSLATE_NOOP("ProductColumns", "Fxiaoke product"), state_text,
               sort_key=lambda r: f"{r.state}:{error_text(r)}", tooltip=error_text,
               foreground=lambda r: QColor(_COLORS.get(r.state, "#111827"))),
    ]


class ProductsModel(RowTableModel[ProductRow]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(CTX, product_columns(), parent)


@dataclass
class ProductFilter:
    text: str = ""
    state: str = "all"

    def predicate(self) -> Callable[[ProductRow], bool] | None:
        words = self.text.lower().split()
        state = self.state
        if not words and state == "all":
            return None

        def accept(row: ProductRow) -> bool:
            if state != "all" and row.state != state:
                return False
            hay = row.search_text()
            return all(w in hay for w in words)

        return accept


class ProductsProxy(RowFilterProxy):
    def set_filter(self, flt: ProductFilter) -> None:
        self.set_predicate(flt.predicate())
