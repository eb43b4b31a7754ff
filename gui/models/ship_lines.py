"""The lines of one K3Cloud sales order in the simulate-shipment dialog: progress so far and an editable quantity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt

from core.views import ShipLine
from gui.models.base import Column, Index, RowTableModel

CTX = "ShipLineColumns"


def _qty(value: float) -> str:
    return f"{value:g}"


@dataclass
class EditLine:
    """A sales order line and the quantity the user wants to ship (or return) on it."""

    line: ShipLine
    qty: float = 0.0


def ship_columns() -> list[Column[EditLine]]:
    return [
        Column("seq", QT_TRANSLATE_NOOP("ShipLineColumns", "Line"), lambda r: str(r.line.seq),
               sort_key=lambda r: r.line.seq, right=True),
        Column("material", QT_TRANSLATE_NOOP("ShipLineColumns", "Material"), lambda r: r.line.material),
        Column("name", QT_TRANSLATE_NOOP("ShipLineColumns", "Name"), lambda r: r.line.name),
        Column("ordered", QT_TRANSLATE_NOOP("ShipLineColumns", "Ordered"), lambda r: _qty(r.line.ordered), right=True),
        Column("shipped", QT_TRANSLATE_NOOP("ShipLineColumns", "Shipped"), lambda r: _qty(r.line.net), right=True),
        Column("qty", QT_TRANSLATE_NOOP("ShipLineColumns", "Quantity"), lambda r: _qty(r.qty), right=True),
    ]


class ShipLinesModel(RowTableModel[EditLine]):
    """Read-only but for the quantity column (a number from 0 to the line's ordered quantity)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(CTX, ship_columns(), parent)
        self.qty_column = self.column_of("qty")

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == self.qty_column:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.EditRole and index.isValid() and index.column() == self.qty_column:
            return self.row(index.row()).qty
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != self.qty_column:
            return False
        try:
            qty = float(value)
        except (TypeError, ValueError):
            return False
        row = self.row(index.row())
        if not 0 <= qty <= row.line.ordered:
            return False
        row.qty = qty
        self.dataChanged.emit(index, index)
        return True

    def quantities(self) -> dict[str, float]:
        """Line sequence -> quantity, for the lines with a quantity (what the sandbox's admin action takes)."""
        return {str(r.line.seq): r.qty for r in self.rows() if r.qty > 0}
