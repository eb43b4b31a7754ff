"""The value-map editor of a ``map`` rule: Fxiaoke option value (with its label) -> K3Cloud value."""

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
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gui.i18n import is_language_change, translate
from gui.icons import icon
from gui.models.base import repaint_texts

Index = QModelIndex | QPersistentModelIndex
HEADERS = (QT_TRANSLATE_NOOP("ValueMap", "Fxiaoke option value"), QT_TRANSLATE_NOOP("ValueMap", "Label"),
           QT_TRANSLATE_NOOP("ValueMap", "K3Cloud value"))


class ValueMapModel(QAbstractTableModel):
    """Rows of ``[option value, label, K3 value]``; option value and K3 value are editable."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[list[str]] = []

    def event(self, event: QEvent) -> bool:
        if is_language_change(event):
            repaint_texts(self)
        return super().event(event)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < 3:
            return translate("ValueMap", HEADERS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base if index.column() == 1 else base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._rows[index.row()][index.column()]
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() == 1:
            return False
        self._rows[index.row()][index.column()] = "" if value is None else str(value).strip()
        self.dataChanged.emit(index, index, [role])
        return True

    def set_map(self, values: dict[str, Any], options: list[dict] | None = None) -> None:
        """Known options first (in describe order), then mapped values that are no option (any more)."""
        self.beginResetModel()
        rows: list[list[str]] = []
        seen = set()
        for opt in options or []:
            key = str(opt.get("value", ""))
            rows.append([key, str(opt.get("label") or ""), _text(values.get(key))])
            seen.add(key)
        rows += [[str(k), "", _text(v)] for k, v in values.items() if str(k) not in seen]
        self._rows = rows
        self.endResetModel()

    def add_row(self) -> int:
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
        self._rows.append(["", "", ""])
        self.endInsertRows()
        return len(self._rows) - 1

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def values(self) -> dict[str, str]:
        """Only rows with both an option value and a K3 value count."""
        return {k: v for k, _label, v in self._rows if k and v}


def _text(value: Any) -> str:
    return "" if value is None else str(value)


class ValueMapDialog(QDialog):
    """Window-modal (``open()``): ``accepted`` carries the result in ``values()`` and ``strict()``."""

    applied = Signal(dict)

    def __init__(self, parent: QWidget | None, field: str, args: dict, options: list[dict] | None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(translate("ValueMap", "Value map: {field}").format(field=field))
        self.resize(560, 420)
        lay = QVBoxLayout(self)
        hint = QLabel(translate("ValueMap", "Fxiaoke stores option ids, not labels. Give the K3Cloud value (usually a number such as a base-data FNumber) for each option used."))
        hint.setWordWrap(True)
        lay.addWidget(hint)
        self.model = ValueMapModel(self)
        self.model.set_map(dict(args.get("values") or {}), options)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.view, 1)
        row = QHBoxLayout()
        add = QPushButton(icon("add"), translate("ValueMap", "Add row"))
        add.clicked.connect(lambda: self.view.edit(self.model.index(self.model.add_row(), 0)))
        remove = QPushButton(icon("remove"), translate("ValueMap", "Remove row"))
        remove.clicked.connect(lambda: self.model.remove_row(self.view.currentIndex().row()))
        self.strict_box = QCheckBox(translate("ValueMap", "Fail the record when a value is not in the map"))
        self.strict_box.setChecked(bool(args.get("strict", False)))
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        row.addWidget(self.strict_box)
        lay.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.accepted.connect(lambda: self.applied.emit(self.result_args(args)))

    def result_args(self, old: dict) -> dict:
        out = {k: v for k, v in old.items() if k not in ("values", "strict")}
        out["values"] = self.model.values()
        if self.strict_box.isChecked():
            out["strict"] = True
        return out
