"""A reason panel: why something failed (message) and what to do (advice), in the UI language, with one action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from core.errors import EMPTY, ErrorInfo, Text
from gui.i18n import is_language_change, pick
from gui.icons import icon


class ReasonPanel(QFrame):
    """Shows an ``ErrorInfo`` (or a title and advice as ``Text``); hidden when there is none.

    The language is picked when shown (and again after a language switch), never stored rendered. ``action`` is an
    optional button whose text a callable makes.
    """

    action_clicked = Signal()

    def __init__(self, action: Callable[[], str] | None = None, parent: QWidget | None = None,
                 level: str = "error") -> None:
        super().__init__(parent)
        self.setObjectName("ReasonPanel")
        self.setProperty("level", level)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 6, 8, 6)
        self._icon = QLabel()
        self._icon.setPixmap(icon("error" if level == "error" else "warning").pixmap(18, 18))
        lay.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        self.message = QLabel()
        self.message.setObjectName("ReasonMessage")
        self.advice = QLabel()
        self.advice.setObjectName("ReasonAdvice")
        for label in (self.message, self.advice):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            texts.addWidget(label)
        lay.addLayout(texts, 1)
        self._action_text = action
        self.button = QPushButton(icon("log"), "")
        self.button.clicked.connect(self.action_clicked)
        self.button.setVisible(action is not None)
        lay.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        self._message: Text = EMPTY
        self._advice: Text = EMPTY
        self._code = ""
        self.retranslate()
        self.hide()

    def set_error(self, error: ErrorInfo | None) -> None:
        """The error's message (with its code) and advice; None hides the panel."""
        if error is None:
            self.set_texts(EMPTY, EMPTY)
            return
        self._code = str(error.code or "")
        self.set_texts(error.message, error.advice, code=self._code)

    def set_texts(self, message: Text, advice: Text, *, code: str = "") -> None:
        self._message, self._advice, self._code = message, advice, code
        self.retranslate()
        self.setVisible(bool(message.zh or message.en))

    def retranslate(self) -> None:
        message = pick(self._message)
        if self._code and self._code not in message:
            message = f"{message} [{self._code}]"
        self.message.setText(message)
        advice = pick(self._advice)
        self.advice.setText(advice)
        self.advice.setVisible(bool(advice))
        if self._action_text is not None:
            self.button.setText(self._action_text())
        self._fit_height()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        """As tall as its wrapped texts need at this width: a splitter or a small screen must not cut a line."""
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        # Qt lays nested word-wrapped labels out at their size hint (made for some other width): each label is told
        # the height its text needs at the width it got, and the panel grows with them.
        for label in (self.message, self.advice):
            if label.isVisibleTo(self) and label.width() > 0:
                need = label.heightForWidth(label.width())
                if need > 0 and need != label.minimumHeight():
                    label.setMinimumHeight(need)

    def text(self) -> str:
        """Message and advice as shown (tests, copy)."""
        return "\n".join(t for t in (self.message.text(), self.advice.text()) if t)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if is_language_change(event):
            self.retranslate()
        super().changeEvent(event)

