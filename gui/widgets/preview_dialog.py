"""A non-modal window showing the exact JSON that would be sent to K3Cloud for one record."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from gui.i18n import translate
from gui.icons import icon
from gui.widgets.json_view import JsonView


class PreviewDialog(QDialog):
    """Deleted on close; its parent (the page) owns it until then."""

    def __init__(self, parent: QWidget | None, title: str, text: str) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(title)
        self.resize(640, 600)
        lay = QVBoxLayout(self)
        hint = QLabel(translate(
            "PreviewDialog", "This is exactly what FxK3 Sync would send to K3Cloud (Save, field order kept). Nothing has been sent."))
        hint.setWordWrap(True)
        hint.setObjectName("PageHint")
        lay.addWidget(hint)
        self.view = JsonView()
        self.view.set_json(text)
        lay.addWidget(self.view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton(icon("copy"), translate("PreviewDialog", "Copy JSON"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.view.toPlainText()))
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        lay.addWidget(buttons)

    def text(self) -> str:
        return self.view.toPlainText()
