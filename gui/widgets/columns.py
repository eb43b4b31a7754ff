"""Table columns that fit the table's width: fixed columns as wide as their content, the rest shared by weight."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QTableView

PADDING = 2 * 6 + 8  # QHeaderView::section padding in app.qss, the grid line and a little air
SORT_ARROW = 14


class ColumnFitter(QObject):
    """Keeps ``view``'s columns fitting its viewport until the user resizes one by hand.

    Args:
        view: the table; its model gives the header texts (in the current language).
        samples: column -> the widest text the column usually shows (e.g. ``"20261231-000123"``); the column
            gets that width or its header's, whichever is wider.
        weights: column -> share of the remaining width for the columns whose texts vary in length (names,
            reasons); each gets at least ``minimum`` pixels.

    On a small screen (1366 x 768 at 150 %) every column stays in view instead of the sync state scrolling
    off to the right; ``fit()`` again after a language switch (``retranslate``): headers change length.
    """

    def __init__(self, view: QTableView, samples: dict[int, str | Callable[[], str]], weights: dict[int, float],
                 minimum: int = 90) -> None:
        super().__init__(view)
        self.view, self.samples, self.weights, self.minimum = view, samples, weights, minimum
        self.user_sized = False
        self._fitting = False
        view.horizontalHeader().setStretchLastSection(False)
        view.horizontalHeader().sectionResized.connect(self._resized)
        self._viewport = view.viewport()
        self._viewport.installEventFilter(self)

    def _resized(self, *_: object) -> None:
        if not self._fitting:
            self.user_sized = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # the event type first: during teardown no call may reach the half-destroyed view
        if event.type() == QEvent.Type.Resize and watched is self._viewport:
            self.fit()
        return False

    def natural(self, col: int) -> int:
        """The width column ``col`` needs for its header and its sample text."""
        header = self.view.horizontalHeader()
        model = self.view.model()
        title = str(model.headerData(col, Qt.Orientation.Horizontal) or "") if model is not None else ""
        sample = self.samples.get(col, "")
        sample = sample() if callable(sample) else sample
        width = max(header.fontMetrics().horizontalAdvance(title) + SORT_ARROW,
                    self.view.fontMetrics().horizontalAdvance(sample))
        return width + PADDING

    def fit(self) -> None:
        model = self.view.model()
        if self.user_sized or model is None:
            return
        cols = range(model.columnCount())
        fixed = {c: self.natural(c) for c in cols if c not in self.weights}
        rest = self.view.viewport().width() - sum(fixed.values())
        total = sum(self.weights.values()) or 1.0
        flex = {col: max(self.minimum, int(max(0, rest) * weight / total)) for col, weight in self.weights.items()}
        over = sum(fixed.values()) + sum(flex.values()) - self.view.viewport().width()
        for col in sorted(flex, key=flex.__getitem__, reverse=True):  # a minimum pushed it over: the widest gives
            cut = max(0, min(over, flex[col] - self.minimum))
            flex[col] -= cut
            over -= cut
        widths = {**fixed, **flex}  # still too wide (a very narrow window): the table scrolls
        self._fitting = True
        try:
            for col, width in widths.items():
                self.view.setColumnWidth(col, width)
        finally:
            self._fitting = False
