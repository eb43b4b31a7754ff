"""Message bar (known failures in plain words), demo banner, progress strip with cancel, status indicator."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.errors import ErrorInfo, Fxk3Error
from gui.i18n import error_text, is_language_change, translate
from gui.icons import icon
from gui.models.doctor import field_label
from gui.pages.connection_fields import FIELD_LABELS
from gui.widgets.elided import ElidedLabel

#: A text, or a function that makes it in the current language (shown again after a language switch).
Words = str | Callable[[], str]

# A profile setting's code name as core quotes it: 'k3_url', “k3_url” or (k3_url).
_QUOTED_FIELD = re.compile(r"(['“(])(" + "|".join(sorted(FIELD_LABELS, key=len, reverse=True)) + r")(['”)])")


def humanise_fields(text: str) -> str:
    """Profile settings named by their form label instead of their code name (finance staff see the form)."""
    return _QUOTED_FIELD.sub(lambda m: m.group(1) + field_label(m.group(2)) + m.group(3), text)


class MessageBar(QFrame):
    """A dismissable strip: level, message, advice, and a link to the log pane.

    After ``float_over(area)`` it floats over the top of ``area`` instead of taking a place in a layout, so a
    message never pushes the pages down (it covers the page's title and hint while shown). Texts given as
    functions, and errors, are shown again in the new language after a language switch.
    """

    show_log_requested = Signal()
    MARGIN = 8

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MessageBar")
        self.setProperty("level", "info")
        self.setAutoFillBackground(True)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 6, 6, 6)
        self._icon = QLabel()
        self._icon.setFixedSize(20, 20)
        lay.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignVCenter)  # centred: the bar may be taller than its text
        texts = QVBoxLayout()
        texts.setSpacing(2)
        self.text = QLabel()
        self.text.setObjectName("MessageText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.advice = QLabel()
        self.advice.setObjectName("MessageAdvice")
        self.advice.setWordWrap(True)
        self.advice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        texts.addWidget(self.text)
        texts.addWidget(self.advice)
        lay.addLayout(texts, 1)
        self.log_button = QPushButton()
        self.log_button.clicked.connect(self.show_log_requested)
        lay.addWidget(self.log_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.close_button = QToolButton()
        self.close_button.setIcon(icon("cancel"))
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.hide)
        lay.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.level = "info"
        self._words: tuple[Words, Words] = ("", "")
        self._area: QWidget | None = None
        self._cover: Callable[[], int] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.log_button.setText(translate("MessageBar", "Show exchange"))
        self.close_button.setToolTip(translate("MessageBar", "Close"))
        self._set_texts()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if is_language_change(event):
            self.retranslate()
        super().changeEvent(event)

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest and self._area is not None:
            self.place()  # texts or buttons changed: as tall as they now need, no taller
        return handled

    # -- floating -----------------------------------------------------------------------------------
    def float_over(self, area: QWidget, cover: Callable[[], int] | None = None) -> None:
        """Float over the top edge of ``area`` (full width less a margin), following its size.

        ``cover()``: how far down (in ``area``) the bar should reach at least, e.g. the bottom of the page's hint,
        so that it hides the page's title and hint whole instead of slicing through a line of text.
        """
        self.setParent(area)
        self._area = area
        self._cover = cover
        area.installEventFilter(self)
        self.place()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize and watched is self._area:  # the type first: cheap, teardown-safe
            self.place()
        return False

    def place(self) -> None:
        """Lay the floating bar out again (its area resized, its texts changed, another page shown)."""
        if self._area is None:
            return
        width = max(0, self._area.width() - 2 * self.MARGIN)
        height = self.heightForWidth(width) if self.hasHeightForWidth() else self.sizeHint().height()
        reach = self._cover() - 6 if self._cover is not None else 0
        self.setGeometry(self.MARGIN, 6, width, max(height, self.minimumSizeHint().height(), reach))
        self.raise_()

    # -- messages -------------------------------------------------------------------------------------
    def show_message(self, level: str, text: Words, advice: Words = "", *, with_log: bool = False,
                     sticky: bool = False) -> None:
        """``text`` and ``advice``: strings, or functions making them (so a language switch re-makes them)."""
        self.level = level
        self.setProperty("level", level)
        self._icon.setPixmap(icon({"error": "error", "warning": "warning", "success": "ok"}.get(level, "info"))
                             .pixmap(18, 18))
        self._words = (text, advice)
        self._set_texts()
        self.log_button.setVisible(with_log)
        self.style().unpolish(self)
        self.style().polish(self)
        self.show()
        self.place()
        if level in ("success", "info") and not sticky:
            self._timer.start(8000)  # good news fades; problems stay until read
        else:
            self._timer.stop()

    def _set_texts(self) -> None:
        text, advice = (w() if callable(w) else w for w in self._words)
        self.text.setText(text)
        self.advice.setText(advice)
        self.advice.setVisible(bool(advice))
        if self.isVisible():
            self.place()

    def dismiss_good_news(self) -> None:
        if self.level in ("success", "info"):
            self.hide()

    def show_error(self, exc: BaseException | ErrorInfo) -> None:
        """A known failure: its message and advice in the UI language; the exchange is in the log pane."""
        info = exc if isinstance(exc, ErrorInfo) else exc.info() if isinstance(exc, Fxk3Error) else None
        self.show_message("error", lambda: _error_words(exc)[0], lambda: _error_words(exc)[1],
                          with_log=getattr(exc, "exchange", None) is not None
                          or info is not None and info.side in ("fxiaoke", "k3cloud"))


def _error_words(exc: BaseException | ErrorInfo) -> tuple[str, str]:
    message, advice = error_text(exc)
    message, advice = humanise_fields(message), humanise_fields(advice)
    info = exc if isinstance(exc, ErrorInfo) else exc.info() if isinstance(exc, Fxk3Error) else None
    field = info.details.get("field") if info is not None else None
    if field in FIELD_LABELS and not advice:
        advice = translate("MessageBar", "Setting to fix: {field}").format(field=field_label(field))
    if info is not None and info.code and str(info.code) not in message:
        message = f"{message} [{info.code}]"
    return message, advice


class DemoBanner(QFrame):
    """Says loudly that this is the demo (simulated servers, secrets in memory only), on one line: the full text
    is its tooltip, so a small screen keeps its rows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DemoBanner")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(12, 4, 12, 4)
        ico = QLabel()
        ico.setPixmap(icon("info").pixmap(16, 16))
        lay.addWidget(ico)
        self.label = ElidedLabel()
        lay.addWidget(self.label, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.label.setText(translate(
            "DemoBanner",
            "Demo mode: connected to simulated Fxiaoke and K3Cloud servers on this computer. Passwords are kept in memory only and nothing is written to a real system."))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if is_language_change(event):
            self.retranslate()
        super().changeEvent(event)


class ProgressStrip(QWidget):
    """A progress bar with a text and a Cancel button; hidden when idle."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(320)
        self.bar.setTextVisible(True)
        self.cancel = QPushButton(icon("cancel"), "")
        self.cancel.clicked.connect(self.cancel_requested)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.bar)
        lay.addWidget(self.cancel)
        self._text: Words = ""
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.cancel.setText(translate("Progress", "Cancel"))
        self.label.setText(self._text() if callable(self._text) else self._text)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if is_language_change(event):
            self.retranslate()
        super().changeEvent(event)

    def start(self, text: Words, total: int = 0) -> None:
        """``text``: a string, or a function making it (made again after a language switch)."""
        self._text = text
        self.label.setText(text() if callable(text) else text)
        self.bar.setRange(0, total)
        self.bar.setValue(0)
        self.cancel.setEnabled(True)
        self.show()

    def update_progress(self, done: int, total: int | None = None, text: Words | None = None) -> None:
        if total is not None and total != self.bar.maximum():
            self.bar.setRange(0, max(0, total))
        if self.bar.maximum() > 0:
            self.bar.setValue(min(done, self.bar.maximum()))
        if text is not None:
            self._text = text
            self.label.setText(text() if callable(text) else text)

    def finish(self) -> None:
        self.hide()


class StatusIndicator(QWidget):
    """``● Fxiaoke: connected`` in the status bar.

    States: ``unknown``, ``checking``, ``ok``, ``error`` and ``refused`` (reachable and logged in, but every
    business call is refused: no API quota bought, or today's used up).
    """

    COLORS = {"unknown": "#9ca3af", "checking": "#d97706", "ok": "#16a34a", "error": "#dc2626", "refused": "#dc2626"}

    def __init__(self, name: Words, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 0, 6, 0)
        lay.setSpacing(4)
        self.dot = QLabel("●")
        self.dot.setObjectName("StatusDot")
        self.text = QLabel()
        lay.addWidget(self.dot)
        lay.addWidget(self.text)
        self._name = name
        self.state = "unknown"
        self.detail = ""
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.set_state("unknown")

    @property
    def name(self) -> str:
        return self._name() if callable(self._name) else self._name

    def set_state(self, state: str, detail: str = "") -> None:
        self.state, self.detail = state, detail
        words = {
            "unknown": translate("Status", "not checked"), "checking": translate("Status", "checking…"),
            "ok": translate("Status", "connected"), "error": translate("Status", "failed"),
            "refused": translate("Status", "calls refused"),
        }
        self.dot.setStyleSheet(f"color: {self.COLORS.get(state, '#9ca3af')};")
        self.text.setText(f"{self.name} {words.get(state, state)}")
        self.setToolTip(detail)

    def retranslate(self) -> None:
        self.set_state(self.state, self.detail)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if is_language_change(event):
            self.retranslate()
        super().changeEvent(event)

    def label(self) -> str:
        return self.text.text()


def set_invalid(widget: Any, invalid: bool) -> None:
    """Red border on a form field named by an error (style sheet ``[invalid="true"]``)."""
    widget.setProperty("invalid", "true" if invalid else "false")
    widget.style().unpolish(widget)
    widget.style().polish(widget)
