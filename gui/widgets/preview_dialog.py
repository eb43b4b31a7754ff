"""A non-modal window showing the exact JSON that would be sent to K3Cloud for one record."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from gui.i18n import is_language_change, translate
from gui.icons import icon
from gui.widgets.json_view import JsonView


class PreviewDialog(QDialog):
    """Deleted on close; its parent (the page) owns it until then. ``title``: a text or a function making it
    (made again after a language switch, which this non-modal window stays open through)."""

    def __init__(self, parent: QWidget | None, title: str | Callable[[], str], text: str) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._title = title
        self.resize(640, 600)
        lay = QVBoxLayout(self)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setObjectName("PageHint")
        lay.addWidget(self.hint)
        self.view = JsonView()
        self.view.set_json(text)
        lay.addWidget(self.view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(icon("copy"), "")
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.view.toPlainText()))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        lay.addWidget(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self._title() if callable(self._title) else self._title)
        self.hint.setText(translate(
            "PreviewDialog", "This is exactly what FxK3 Sync would send to K3Cloud (Save, field order kept). Nothing has been sent."))
        self.copy_button.setText(translate("PreviewDialog", "Copy JSON"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if is_language_change(event):
            self.retranslate()
        super().changeEvent(event)

    def text(self) -> str:
        return self.view.toPlainText()
