"""A read-only table model over a list of row objects, described by column specs; sort keys in ``SORT_ROLE``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Generic, Sequence, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from gui.i18n import is_language_change, translate

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
LONG_TEXT = 14  # characters; beyond this a cell may be elided, so its tooltip repeats it
T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column: header (an untranslated source text in ``context``), display text, optional sort key."""

    key: str
    header: str
    display: Callable[[T], str]
    sort_key: Callable[[T], Any] | None = None
    right: bool = False
    tooltip: Callable[[T], str] | None = None
    foreground: Callable[[T], Any] | None = None
    decoration: Callable[[T], Any] | None = None


def repaint_texts(model: QAbstractItemModel) -> None:
    """Views ask again for every header and cell: their texts are made in ``data()`` in the current language.

    Call it from a model's ``event()`` on ``QEvent.LanguageChange`` (a model whose parent is a widget gets that
    event with the widget); the rows, the selection and the scroll position stay as they are.
    """
    rows, cols = model.rowCount(), model.columnCount()
    if cols:
        model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, cols - 1)
    if rows and cols:
        model.dataChanged.emit(model.index(0, 0), model.index(rows - 1, cols - 1))


class RowTableModel(QAbstractTableModel, Generic[T]):
    """Rows are plain Python objects; data() formats them lazily so 100,000 rows load in one reset.

    Args:
        context: the translation context of the column headers.
        columns: the column specs, in display order.
    """

    def __init__(self, context: str, columns: Sequence[Column[T]], parent: Any = None) -> None:
        super().__init__(parent)
        self._context = context
        self.columns = list(columns)
        self._rows: list[T] = []

    # -- Qt API -------------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if is_language_change(event):
            repaint_texts(self)
        return super().event(event)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return translate(self._context, self.columns[section].header)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(_RIGHT if self.columns[section].right else _LEFT)
        elif orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if not (0 <= row < len(self._rows) and 0 <= col < len(self.columns)):
            return None
        item, column = self._rows[row], self.columns[col]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(item)
        if role == SORT_ROLE:
            return column.sort_key(item) if column.sort_key else column.display(item)
        if role == ROW_ROLE:
            return item
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if column.right else _LEFT)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.tooltip is not None:
                return column.tooltip(item) or None
            text = column.display(item)  # long names are elided in the cell: the tooltip shows them whole
            return text if len(text) > LONG_TEXT else None
        if role == Qt.ItemDataRole.ForegroundRole and column.foreground is not None:
            return column.foreground(item)
        if role == Qt.ItemDataRole.DecorationRole and column.decoration is not None:
            return column.decoration(item)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python with a key function (fast for 100k rows), keeping persistent indexes valid."""
        if not 0 <= column < len(self.columns):
            return
        spec = self.columns[column]
        key = spec.sort_key or spec.display
        self.layoutAboutToBeChanged.emit()
        old = list(self._rows)
        self._rows.sort(key=lambda r: _safe_key(key(r)), reverse=order == Qt.SortOrder.DescendingOrder)
        where = {id(r): i for i, r in enumerate(self._rows)}
        for idx in self.persistentIndexList():
            new_row = where[id(old[idx.row()])]
            self.changePersistentIndex(idx, self.index(new_row, idx.column()))
        self.layoutChanged.emit()

    # -- Python API ---------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def append_rows(self, rows: Sequence[T]) -> None:
        if not rows:
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def remove_first(self, count: int) -> None:
        count = min(count, len(self._rows))
        if count <= 0:
            return
        self.beginRemoveRows(QModelIndex(), 0, count - 1)
        del self._rows[:count]
        self.endRemoveRows()

    def row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def rows_changed(self) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1))

    def rows(self) -> list[T]:
        return self._rows

    def row(self, row: int) -> T:
        return self._rows[row]

    def column_of(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)


def _safe_key(value: Any) -> tuple[int, Any]:
    # None sorts first and mixed types never raise.
    if value is None:
        return (0, "")
    if isinstance(value, (int, float)):
        return (1, value)
    return (2, str(value))


class RowFilterProxy(QSortFilterProxyModel):
    """Filters with a Python predicate on the row object; sorting is delegated to the source model's fast sort."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._predicate: Callable[[Any], bool] | None = None
        self.setDynamicSortFilter(False)

    def set_predicate(self, predicate: Callable[[Any], bool] | None) -> None:
        self.beginFilterChange()
        self._predicate = predicate
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if self._predicate is None:
            return True
        model = self.sourceModel()
        if not isinstance(model, RowTableModel) or source_row >= len(model.rows()):
            return True
        return bool(self._predicate(model.rows()[source_row]))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if model is not None:
            model.sort(column, order)

    def source_rows(self, proxy_rows: Sequence[int]) -> list[Any]:
        model = self.sourceModel()
        out = []
        for r in proxy_rows:
            src = self.mapToSource(self.index(r, 0))
            if src.isValid():
                out.append(model.row(src.row()))  # type: ignore[union-attr]
        return out
