"""An editable table of a mapping's field rules: target, source, transform, args, default, required."""

from __future__ import annotations

import json
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
from PySide6.QtGui import QColor

from core.mapping.model import FieldRule
from gui.i18n import is_language_change, translate
from gui.models.base import repaint_texts

Index = QModelIndex | QPersistentModelIndex
COL_TARGET, COL_SOURCE, COL_TRANSFORM, COL_ARGS, COL_DEFAULT, COL_REQUIRED = range(6)
HEADERS = (
    QT_TRANSLATE_NOOP("MappingColumns", "K3Cloud field (target)"),
    QT_TRANSLATE_NOOP("MappingColumns", "Fxiaoke field (source)"),
    QT_TRANSLATE_NOOP("MappingColumns", "Transform"),
    QT_TRANSLATE_NOOP("MappingColumns", "Arguments"),
    QT_TRANSLATE_NOOP("MappingColumns", "Default"),
    QT_TRANSLATE_NOOP("MappingColumns", "Required"),
)
TRANSFORM_NAMES = {
    "copy": QT_TRANSLATE_NOOP("Transforms", "Copy"),
    "const": QT_TRANSLATE_NOOP("Transforms", "Constant"),
    "map": QT_TRANSLATE_NOOP("Transforms", "Value map"),
    "date": QT_TRANSLATE_NOOP("Transforms", "Date"),
    "number": QT_TRANSLATE_NOOP("Transforms", "Number"),
    "concat": QT_TRANSLATE_NOOP("Transforms", "Concatenate"),
    "lookup": QT_TRANSLATE_NOOP("Transforms", "Lookup"),
    "profile": QT_TRANSLATE_NOOP("Transforms", "Profile setting"),
}


def transform_label(name: str) -> str:
    source = TRANSFORM_NAMES.get(name)
    return translate("Transforms", source) if source else name


def args_text(args: dict) -> str:
    return json.dumps(args, ensure_ascii=False) if args else ""


def _default_text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _parse_default(text: str) -> Any:
    text = text.strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


class MappingRulesModel(QAbstractTableModel):
    """Edits a list of ``FieldRule`` in place; ``edited`` fires on every change, ``edit_error`` on bad input."""

    edited = Signal()
    edit_error = Signal(str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rules: list[FieldRule] = []
        self.bad_row: int | None = None  # 0-based row named by the last validation

    # -- Qt API -------------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if is_language_change(event):
            repaint_texts(self)
        return super().event(event)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rules)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            return translate("MappingColumns", HEADERS[section])
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == COL_REQUIRED:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rules):
            return None
        rule, col = self._rules[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == COL_TARGET:
                return rule.target
            if col == COL_SOURCE:
                return rule.source or ""
            if col == COL_TRANSFORM:
                return transform_label(rule.transform) if role == Qt.ItemDataRole.DisplayRole else rule.transform
            if col == COL_ARGS:
                return args_text(rule.args)
            if col == COL_DEFAULT:
                return _default_text(rule.default)
            return None
        if role == Qt.ItemDataRole.CheckStateRole and col == COL_REQUIRED:
            return Qt.CheckState.Checked if rule.required else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole and index.row() == self.bad_row:
            return QColor("#fde2e2")
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_ARGS and rule.args:
            return json.dumps(rule.args, ensure_ascii=False, indent=2)
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_TRANSFORM:
            return rule.transform
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not 0 <= index.row() < len(self._rules):
            return False
        rule, col = self._rules[index.row()], index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == COL_REQUIRED:
            rule.required = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        elif role == Qt.ItemDataRole.EditRole:
            text = "" if value is None else str(value)
            if col == COL_TARGET:
                rule.target = text.strip()
            elif col == COL_SOURCE:
                rule.source = text.strip() or None
            elif col == COL_TRANSFORM:
                rule.transform = text.strip()
            elif col == COL_ARGS:
                try:
                    parsed = json.loads(text) if text.strip() else {}
                except ValueError:
                    self.edit_error.emit(translate("MappingPage", "Arguments must be a JSON object, e.g. {\"scale\": 2}."))
                    return False
                if not isinstance(parsed, dict):
                    self.edit_error.emit(translate("MappingPage", "Arguments must be a JSON object, e.g. {\"scale\": 2}."))
                    return False
                rule.args = parsed
            elif col == COL_DEFAULT:
                rule.default = _parse_default(text)
            else:
                return False
        else:
            return False
        self.dataChanged.emit(index, index, [role])
        self.edited.emit()
        return True

    # -- Python API ---------------------------------------------------------------------------
    def set_rules(self, rules: list[FieldRule]) -> None:
        self.beginResetModel()
        self._rules = [FieldRule(**r.to_dict()) for r in rules]
        self.bad_row = None
        self.endResetModel()

    def rules(self) -> list[FieldRule]:
        return [FieldRule(**{**r.to_dict(), "args": dict(r.args)}) for r in self._rules]

    def rule(self, row: int) -> FieldRule:
        return self._rules[row]

    def set_args(self, row: int, args: dict) -> None:
        self._rules[row].args = dict(args)
        self.dataChanged.emit(self.index(row, COL_ARGS), self.index(row, COL_ARGS))
        self.edited.emit()

    def insert_rule(self, row: int, rule: FieldRule) -> None:
        row = max(0, min(row, len(self._rules)))
        self.beginInsertRows(QModelIndex(), row, row)
        self._rules.insert(row, rule)
        self.endInsertRows()
        self.edited.emit()

    def remove_rule(self, row: int) -> None:
        if 0 <= row < len(self._rules):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rules[row]
            self.endRemoveRows()
            self.edited.emit()

    def move_rule(self, row: int, delta: int) -> int:
        """Move a row up (-1) or down (+1); returns its new position. Order matters: K3Cloud applies in order."""
        dest = row + delta
        if not (0 <= row < len(self._rules) and 0 <= dest < len(self._rules)):
            return row
        qt_dest = dest + 1 if delta > 0 else dest
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), qt_dest)
        self._rules.insert(dest, self._rules.pop(row))
        self.endMoveRows()
        self.edited.emit()
        return dest

    def mark_bad(self, row: int | None) -> None:
        """Highlight the 0-based row a validation error named (None clears it)."""
        old, self.bad_row = self.bad_row, row
        for r in {old, row} - {None}:
            if r is not None and 0 <= r < len(self._rules):
                self.dataChanged.emit(self.index(r, 0), self.index(r, len(HEADERS) - 1))
