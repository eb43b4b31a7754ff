"""The lines (SalesOrderProductObj) of the selected order."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

from core.views import LineRow
from gui.models.base import Column, RowTableModel
from gui.models.records import fmt_amount


def _qty(v: float | None) -> str:
    return "" if v is None else f"{v:,.4f}".rstrip("0").rstrip(".")


COLUMNS: list[Column[LineRow]] = [
    Column("product", QT_TRANSLATE_NOOP("LineColumns", "Product"), lambda r: r.product),
    Column("code", QT_TRANSLATE_NOOP("LineColumns", "Material No."), lambda r: r.product_code),
    Column("qty", QT_TRANSLATE_NOOP("LineColumns", "Quantity"), lambda r: _qty(r.quantity),
           sort_key=lambda r: r.quantity, right=True),
    Column("price", QT_TRANSLATE_NOOP("LineColumns", "Unit price (tax incl.)"), lambda r: fmt_amount(r.price),
           sort_key=lambda r: r.price, right=True),
    Column("subtotal", QT_TRANSLATE_NOOP("LineColumns", "Subtotal"), lambda r: fmt_amount(r.subtotal),
           sort_key=lambda r: r.subtotal, right=True),
]


class LinesModel(RowTableModel[LineRow]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__("LineColumns", COLUMNS, parent)
