"""The app's style: Fusion everywhere, with sort arrows that point the way Windows and Excel users read them."""

from __future__ import annotations

from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QStyleOptionHeader, QWidget

_FLIP = {QStyleOptionHeader.SortIndicator.SortUp: QStyleOptionHeader.SortIndicator.SortDown,
         QStyleOptionHeader.SortIndicator.SortDown: QStyleOptionHeader.SortIndicator.SortUp}


class AppStyle(QProxyStyle):
    """Fusion, except the header's sort arrow: ▲ for ascending (oldest / smallest first), ▼ for descending.

    QHeaderView asks for ``SortUp`` when the order is *descending* and Fusion draws that as ▲, so "newest first"
    showed ▲, which a clerk used to Windows Explorer or Excel reads as "oldest first". (The native Windows style
    flips it back; Fusion, which we use on every platform, does not.)
    """

    def __init__(self) -> None:
        super().__init__("Fusion")

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption, painter: QPainter,  # noqa: N802
                      widget: QWidget | None = None) -> None:
        if element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow and isinstance(option, QStyleOptionHeader) \
                and option.sortIndicator in _FLIP:
            flipped = QStyleOptionHeader(option)
            flipped.sortIndicator = _FLIP[option.sortIndicator]
            super().drawPrimitive(element, flipped, painter, widget)
            return
        super().drawPrimitive(element, option, painter, widget)
