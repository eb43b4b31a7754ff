"""Item delegates of the mapping table: editable field pickers (from describe / QueryBusinessInfo), transform list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QStyledItemDelegate, QStyleOptionViewItem, QWidget

Index = QModelIndex | QPersistentModelIndex
SEP = "  —  "


class PickerDelegate(QStyledItemDelegate):
    """An editable combo filled by ``choices(index)`` -> ``[(key, label)]``; free text is allowed too."""

    def __init__(self, choices: Callable[[Index], list[tuple[str, str]]], parent: Any = None) -> None:
        super().__init__(parent)
        self._choices = choices

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        box = QComboBox(parent)
        box.setEditable(True)
        box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        box.setMaxVisibleItems(20)
        for key, label in self._choices(index):
            box.addItem(f"{key}{SEP}{label}" if label else key, key)
        completer = QCompleter(box.model(), box)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        box.setCompleter(completer)
        return box

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        value = str(index.data(Qt.ItemDataRole.EditRole) or "")
        i = editor.findData(value)
        if i >= 0:
            editor.setCurrentIndex(i)
        editor.setEditText(value)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, key_of(editor.currentText()), Qt.ItemDataRole.EditRole)


def key_of(text: str) -> str:
    """``"FBillNo  —  单据编号"`` -> ``"FBillNo"``; free text is kept."""
    return text.split(SEP, 1)[0].strip()


class ChoiceDelegate(QStyledItemDelegate):
    """A fixed list (the transforms): shows labels, stores keys."""

    def __init__(self, items: Callable[[], list[tuple[str, str]]], parent: Any = None) -> None:
        super().__init__(parent)
        self._items = items

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        box = QComboBox(parent)
        for key, label in self._items():
            box.addItem(label, key)
        return box

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
