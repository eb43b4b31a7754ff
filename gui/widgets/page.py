"""The shared top of every page: a title, a one-paragraph hint, and the page margins."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from gui.widgets.elided import ElidedLabel

TITLE, INTRO = "PageTitle", "PageIntro"  # object names of the page's title and hint labels (style sheet too)


def page_layout(widget: QWidget, title: str = "", hint: str = "", bottom: int = 8,
                actions: QWidget | None = None, wrap: bool = True) -> QVBoxLayout:
    """A vertical layout on ``widget`` that already holds the page title and its hint.

    ``actions``: page-level controls (not about a selection) shown right of the title. ``wrap=False``: the hint
    stays on one line, cut with "…" (the whole text is its tooltip), for pages whose tables need the height.
    The texts are set (again) with ``set_page_texts`` from the page's ``retranslate()``.
    """
    lay = QVBoxLayout(widget)
    lay.setContentsMargins(16, 10, 16, bottom)
    title_label = QLabel(title)
    title_label.setObjectName(TITLE)
    hint_label = QLabel(hint) if wrap else ElidedLabel(hint)
    hint_label.setObjectName(INTRO)
    hint_label.setWordWrap(wrap)
    if actions is None:
        lay.addWidget(title_label)
    else:
        row = QHBoxLayout()
        row.addWidget(title_label)
        row.addStretch(1)
        row.addWidget(actions)
        lay.addLayout(row)
    lay.addWidget(hint_label)
    return lay


def set_page_texts(widget: QWidget, title: str, hint: str) -> None:
    """Set the title and hint that ``page_layout`` made on ``widget`` (or a widget inside it)."""
    title_label = widget.findChild(QLabel, TITLE)
    hint_label = widget.findChild(QLabel, INTRO)
    if title_label is not None:
        title_label.setText(title)
    if hint_label is not None:
        hint_label.setText(hint)


def titled(title: QLabel, body: QWidget) -> QWidget:
    """``body`` (a table) under its ``title`` label, as the lower half of a splitter."""
    box = QWidget()
    lay = QVBoxLayout(box)
    lay.setContentsMargins(0, 4, 0, 0)
    lay.addWidget(title)
    lay.addWidget(body)
    return box


def row_height(widget: QWidget, padding: int = 8) -> int:
    """A table row height that follows the font (large fonts and text scaling), not a fixed pixel count."""
    widget.ensurePolished()
    return widget.fontMetrics().height() + padding


def fit_headers(view: QTableView) -> None:
    """Widen every interactive column whose header text (in the current language) would be cut.

    Call it after the columns got their widths and again from ``retranslate()``: headers change length with
    the language ("Fxiaoke field (source)" is three times as long as "纷享字段（来源）").
    """
    header = view.horizontalHeader()
    model = view.model()
    if model is None:
        return
    metrics = header.fontMetrics()
    for col in range(header.count()):
        if header.sectionResizeMode(col) != QHeaderView.ResizeMode.Interactive or header.isSectionHidden(col):
            continue
        text = str(model.headerData(col, header.orientation()) or "")
        # padding of QHeaderView::section (6 px each side in app.qss), the sort arrow and the frame
        need = metrics.horizontalAdvance(text) + 2 * 6 + 22
        if header.sectionSize(col) < need:
            header.resizeSection(col, need)
