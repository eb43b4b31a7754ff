"""An editable table of a mapping's fixed values (bill type, currency, tax rate ...): what, where, the value."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from core.errors import MappingError
from core.mapping.fixed import FixedValue, parse_like
from gui.i18n import is_language_change, pick, translate
from gui.models.base import repaint_texts

Index = QModelIndex | QPersistentModelIndex
COL_NAME, COL_PATH, COL_VALUE = range(3)
HEADERS = (
    QT_TRANSLATE_NOOP("FixedValues", "Setting"),
    QT_TRANSLATE_NOOP("FixedValues", "K3Cloud field"),
    QT_TRANSLATE_NOOP("FixedValues", "Value"),
)
#: What the fixed values of the shipped templates mean to an implementer.
NAMES = {
    "FBillTypeID.FNumber": QT_TRANSLATE_NOOP("FixedValues", "Bill type"),
    "FSaleOrderFinance.FSettleCurrId.FNumber": QT_TRANSLATE_NOOP("FixedValues", "Settlement currency"),
    "FSaleOrderFinance.FIsIncludedTax": QT_TRANSLATE_NOOP("FixedValues", "Prices include tax"),
    "FSaleOrderEntry[].FEntryTaxRate": QT_TRANSLATE_NOOP("FixedValues", "Tax rate (%) of every line"),
    "FCOUNTRY.FNumber": QT_TRANSLATE_NOOP("FixedValues", "Country"),
    "FTRADINGCURRID.FNumber": QT_TRANSLATE_NOOP("FixedValues", "Trading currency"),
    "FCUSTID": QT_TRANSLATE_NOOP("FixedValues", "Customer internal id (0: new)"),
    "FCURRENCYID.FNumber": QT_TRANSLATE_NOOP("FixedValues", "Currency"),
    "FSETTLECUR.FNumber": QT_TRANSLATE_NOOP("FixedValues", "Settlement currency"),
}


def value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class FixedValuesModel(QAbstractTableModel):
    """The values are edited in place (same kind as before: a number stays a number); ``edited`` on each change,
    ``edit_error`` (a message in the UI language) when a value is not of its kind."""

    edited = Signal()
    edit_error = Signal(str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._values: list[FixedValue] = []

    def event(self, event: QEvent) -> bool:
        if is_language_change(event):
            repaint_texts(self)
        return super().event(event)

    def set_values(self, values: list[FixedValue]) -> None:
        self.beginResetModel()
        self._values = list(values)
        self.endResetModel()

    def values(self) -> list[FixedValue]:
        return list(self._values)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._values)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 3:
            return translate("FixedValues", HEADERS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == COL_VALUE else base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._values):
            return None
        fixed, col = self._values[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == COL_NAME:
                source = NAMES.get(fixed.path)
                return translate("FixedValues", source) if source else fixed.path
            if col == COL_PATH:
                return fixed.path
            if fixed.value is None:
                return "" if role == Qt.ItemDataRole.EditRole else translate(
                    "FixedValues", "(K3Cloud's own: the line's material)")
            return value_text(fixed.value)
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_VALUE:
            return translate("FixedValues", "Double-click to change; saved with the mapping")
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != COL_VALUE:
            return False
        old = self._values[index.row()]
        try:
            new = parse_like(old.value, str(value))
        except MappingError as exc:
            self.edit_error.emit(pick(exc.message))
            return False
        if new == old.value and type(new) is type(old.value):
            return False
        self._values[index.row()] = FixedValue(old.path, new)
        self.dataChanged.emit(index, index)
        self.edited.emit()
        return True
