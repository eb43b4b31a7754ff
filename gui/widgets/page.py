"""The shared top of every page: a title, a one-paragraph hint, and the page margins."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget


def page_layout(widget: QWidget, title: str, hint: str, bottom: int = 8,
                actions: QWidget | None = None) -> QVBoxLayout:
    """A vertical layout on ``widget`` that already holds the page title and its word-wrapped hint.

    ``actions``: page-level controls (not about a selection) shown right of the title.
    """
    lay = QVBoxLayout(widget)
    lay.setContentsMargins(16, 12, 16, bottom)
    title_label = QLabel(title)
    title_label.setObjectName("PageTitle")
    hint_label = QLabel(hint)
    hint_label.setObjectName("PageHint")
    hint_label.setWordWrap(True)
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
