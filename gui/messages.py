"""Every modal box and file dialog goes through here, so tests and --smoke can intercept them (no real modals)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui.i18n import translate

log = logging.getLogger("fxk3sync.gui")


@dataclass
class Prompt:
    """What would have been shown: ``kind`` is info, warning, error, question, crash, open_file or save_file."""

    kind: str
    title: str
    text: str
    details: str = ""
    default: Any = None


Interceptor = Callable[[Prompt], Any]
_interceptor: Interceptor | None = None


def set_interceptor(fn: Interceptor | None) -> Interceptor | None:
    """Answer every prompt with ``fn(prompt)`` instead of showing it; returns the previous interceptor."""
    global _interceptor
    previous, _interceptor = _interceptor, fn
    return previous


def _intercepted(prompt: Prompt) -> tuple[bool, Any]:
    if _interceptor is None:
        return False, None
    log.info("prompt %s: %s | %s", prompt.kind, prompt.title, prompt.text)
    return True, _interceptor(prompt)


def _box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, details: str = "") -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    if details:
        box.setDetailedText(details)
    return box


def info(parent: QWidget | None, title: str, text: str) -> None:
    hit, _ = _intercepted(Prompt("info", title, text))
    if not hit:
        _box(parent, QMessageBox.Icon.Information, title, text).exec()


def warning(parent: QWidget | None, title: str, text: str, details: str = "") -> None:
    hit, _ = _intercepted(Prompt("warning", title, text, details))
    if not hit:
        _box(parent, QMessageBox.Icon.Warning, title, text, details).exec()


def error(parent: QWidget | None, title: str, text: str, details: str = "") -> None:
    hit, _ = _intercepted(Prompt("error", title, text, details))
    if not hit:
        _box(parent, QMessageBox.Icon.Critical, title, text, details).exec()


def ask(parent: QWidget | None, title: str, text: str, *, default: bool = False) -> bool:
    """A yes/no question; the interceptor's answer (or ``default`` when it returns None) is used in tests."""
    hit, answer = _intercepted(Prompt("question", title, text, default=default))
    if hit:
        return default if answer is None else bool(answer)
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setDefaultButton(QMessageBox.StandardButton.Yes if default else QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def open_file(parent: QWidget | None, title: str, filters: str, start: str = "") -> str | None:
    hit, answer = _intercepted(Prompt("open_file", title, filters, default=start))
    if hit:
        return answer or None
    path, _ = QFileDialog.getOpenFileName(parent, title, start, filters)
    return path or None


def save_file(parent: QWidget | None, title: str, filters: str, start: str = "") -> str | None:
    hit, answer = _intercepted(Prompt("save_file", title, filters, default=start))
    if hit:
        return answer or None
    path, _ = QFileDialog.getSaveFileName(parent, title, start, filters)
    return path or None


def crash(parent: QWidget | None, summary: str, details: str, log_file: str = "") -> None:
    """The dialog for unexpected errors: copyable details and where the log file is."""
    hit, _ = _intercepted(Prompt("crash", translate("Crash", "Unexpected error"), summary, details))
    if not hit:
        CrashDialog(parent, summary, details, log_file).exec()


class CrashDialog(QDialog):
    """Shows an unexpected error with a Copy button and the log folder."""

    def __init__(self, parent: QWidget | None, summary: str, details: str, log_file: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("Crash", "Unexpected error"))
        self.resize(720, 460)
        lay = QVBoxLayout(self)
        head = QLabel(translate(
            "Crash",
            "Something went wrong that FxK3 Sync did not expect. Your data is safe: unfinished sync items are checked against Kingdee before anything is sent again. Please copy the details below and send them to your implementer or support."))
        head.setWordWrap(True)
        lay.addWidget(head)
        lay.addWidget(QLabel(f"<b>{summary}</b>"))
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setObjectName("JsonView")
        lay.addWidget(self.details, 1)
        if log_file:
            where = QLabel(translate("Crash", "Log file: {path}").format(path=log_file))
            where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            lay.addWidget(where)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton(translate("Crash", "Copy details"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(f"{summary}\n\n{details}"))
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        if log_file:
            folder = QPushButton(translate("Crash", "Open log folder"))
            folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(log_file).parent))))
            buttons.addButton(folder, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
