"""Message bar (known failures in plain words), demo banner, progress strip with cancel, status indicator."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
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
from gui.i18n import error_text, translate
from gui.icons import icon
from gui.models.doctor import field_label
from gui.pages.connection_fields import FIELD_LABELS

# A profile setting's code name as core quotes it: 'k3_url', “k3_url” or (k3_url).
_QUOTED_FIELD = re.compile(r"(['“(])(" + "|".join(sorted(FIELD_LABELS, key=len, reverse=True)) + r")(['”)])")


def humanise_fields(text: str) -> str:
    """Profile settings named by their form label instead of their code name (finance staff see the form)."""
    return _QUOTED_FIELD.sub(lambda m: m.group(1) + field_label(m.group(2)) + m.group(3), text)


class MessageBar(QFrame):
    """A dismissable strip above the pages: level, message, advice, and a link to the log pane."""

    show_log_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MessageBar")
        self.setProperty("level", "info")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 6, 6, 6)
        self._icon = QLabel()
        self._icon.setFixedSize(20, 20)
        lay.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
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
        self.log_button = QPushButton(translate("MessageBar", "Show exchange"))
        self.log_button.clicked.connect(self.show_log_requested)
        lay.addWidget(self.log_button, 0, Qt.AlignmentFlag.AlignTop)
        close = QToolButton()
        close.setIcon(icon("cancel"))
        close.setAutoRaise(True)
        close.setToolTip(translate("MessageBar", "Close"))
        close.clicked.connect(self.hide)
        lay.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.level = "info"
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_message(self, level: str, text: str, advice: str = "", *, with_log: bool = False,
                     sticky: bool = False) -> None:
        self.level = level
        self.setProperty("level", level)
        self._icon.setPixmap(icon({"error": "error", "warning": "warning", "success": "ok"}.get(level, "info"))
                             .pixmap(18, 18))
        self.text.setText(text)
        self.advice.setText(advice)
        self.advice.setVisible(bool(advice))
        self.log_button.setVisible(with_log)
        self.style().unpolish(self)
        self.style().polish(self)
        self.show()
        if level in ("success", "info") and not sticky:
            self._timer.start(8000)  # good news fades; problems stay until read
        else:
            self._timer.stop()

    def dismiss_good_news(self) -> None:
        if self.level in ("success", "info"):
            self.hide()

    def show_error(self, exc: BaseException | ErrorInfo) -> None:
        """A known failure: its message and advice in the UI language; the exchange is in the log pane."""
        message, advice = error_text(exc)
        message, advice = humanise_fields(message), humanise_fields(advice)
        info = exc if isinstance(exc, ErrorInfo) else exc.info() if isinstance(exc, Fxk3Error) else None
        field = info.details.get("field") if info is not None else None
        if field in FIELD_LABELS and not advice:
            advice = translate("MessageBar", "Setting to fix: {field}").format(field=field_label(field))
        if info is not None and info.code and str(info.code) not in message:
            message = f"{message} [{info.code}]"
        self.show_message("error", message, advice, with_log=getattr(exc, "exchange", None) is not None
                          or info is not None and info.side in ("fxiaoke", "k3cloud"))


class DemoBanner(QFrame):
    """Says loudly that this is the demo: simulated servers, secrets in memory only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DemoBanner")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(12, 6, 12, 6)
        ico = QLabel()
        ico.setPixmap(icon("info").pixmap(18, 18))
        lay.addWidget(ico)
        self.label = QLabel(translate(
            "DemoBanner",
            "Demo mode: connected to simulated Fxiaoke and K3Cloud servers on this computer. Passwords are kept in memory only and nothing is written to a real system."))
        self.label.setWordWrap(True)
        lay.addWidget(self.label, 1)


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
        self.cancel = QPushButton(icon("cancel"), translate("Progress", "Cancel"))
        self.cancel.clicked.connect(self.cancel_requested)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.bar)
        lay.addWidget(self.cancel)
        self.hide()

    def start(self, text: str, total: int = 0) -> None:
        self.label.setText(text)
        self.bar.setRange(0, total)
        self.bar.setValue(0)
        self.cancel.setEnabled(True)
        self.show()

    def update_progress(self, done: int, total: int | None = None, text: str | None = None) -> None:
        if total is not None and total != self.bar.maximum():
            self.bar.setRange(0, max(0, total))
        if self.bar.maximum() > 0:
            self.bar.setValue(min(done, self.bar.maximum()))
        if text is not None:
            self.label.setText(text)

    def finish(self) -> None:
        self.hide()


class StatusIndicator(QWidget):
    """``● Fxiaoke: connected`` in the status bar."""

    COLORS = {"unknown": "#9ca3af", "checking": "#d97706", "ok": "#16a34a", "error": "#dc2626"}

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 0, 6, 0)
        lay.setSpacing(4)
        self.dot = QLabel("●")
        self.dot.setObjectName("StatusDot")
        self.text = QLabel()
        lay.addWidget(self.dot)
        lay.addWidget(self.text)
        self.name = name
        self.state = "unknown"
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.set_state("unknown")

    def set_state(self, state: str, detail: str = "") -> None:
        self.state = state
        words = {
            "unknown": translate("Status", "not checked"), "checking": translate("Status", "checking…"),
            "ok": translate("Status", "connected"), "error": translate("Status", "failed"),
        }
        self.dot.setStyleSheet(f"color: {self.COLORS.get(state, '#9ca3af')};")
        self.text.setText(f"{self.name} {words.get(state, state)}")
        self.setToolTip(detail)

    def label(self) -> str:
        return self.text.text()


def set_invalid(widget: Any, invalid: bool) -> None:
    """Red border on a form field named by an error (style sheet ``[invalid="true"]``)."""
    widget.setProperty("invalid", "true" if invalid else "false")
    widget.style().unpolish(widget)
    widget.style().polish(widget)
