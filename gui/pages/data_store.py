"""数据存储 Data store: this PC's file or a company PostgreSQL database (its password to the keyring), with a test."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.doctor_types import Step
from core.errors import Fxk3Error, Text
from gui import backend
from gui.i18n import is_language_change, pick, translate
from gui.models.doctor import DoctorModel
from gui.tasks import NET
from gui.widgets.bars import set_invalid


class DataStoreBox(QGroupBox):
    """Where this PC keeps its journal, history and profiles: a choice for the whole PC, applied at the next start.

    ``Test`` checks what the form says without saving or changing anything (reachable, login, schema, lock);
    ``Save`` stores the URL in the home folder and a typed password in the keyring only.
    """

    tested = Signal(object)  # list[Step]
    saved = Signal(object)  # StoreChoice

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.password_stored = False
        self.steps: list[Step] = []
        self._status: tuple[str, Any] | None = None  # (kind, text source) of the status line, re-picked on a switch
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        self.local_radio = QRadioButton()
        self.server_radio = QRadioButton()
        self.group = QButtonGroup(self)
        for b in (self.local_radio, self.server_radio):
            self.group.addButton(b)
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        form = QFormLayout()
        self.url_edit = QLineEdit()
        self.url_edit.setObjectName("db_url")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("db_password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        for edit in (self.url_edit, self.password_edit):
            edit.textEdited.connect(lambda _t, w=edit: set_invalid(w, False))
        self.url_label, self.password_label = QLabel(), QLabel()
        form.addRow(self.url_label, self.url_edit)
        form.addRow(self.password_label, self.password_edit)
        lay.addLayout(form)
        buttons = QHBoxLayout()
        self.test_button = QPushButton()
        self.save_button = QPushButton()
        self.test_button.clicked.connect(self.test)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.save_button)
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons.addWidget(self.status, 1)
        lay.addLayout(buttons)
        self.model = DoctorModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.view.hide()
        lay.addWidget(self.view)
        self.hint = QLabel()
        self.hint.setObjectName("PageHint")
        self.hint.setWordWrap(True)
        lay.addWidget(self.hint)
        self.local_radio.setChecked(True)
        self.group.buttonToggled.connect(lambda _b, _on: self._enable())
        self._enable()
        self.retranslate()
        self.load()

    # -- texts ----------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setTitle(translate("DataStoreBox", "Data store (数据存储)"))
        self.local_radio.setText(translate("DataStoreBox", "This PC (a file in the home folder)"))
        self.server_radio.setText(translate("DataStoreBox", "Company database (PostgreSQL, shared by several PCs)"))
        self.url_label.setText(translate("ConnectionFields", "Database URL"))
        self.password_label.setText(translate("ConnectionFields", "Database password"))
        self.url_edit.setPlaceholderText(translate("DataStoreBox", "postgresql://user@server:5432/fxk3sync (no password here)"))
        self.password_edit.setPlaceholderText(
            translate("DataStoreBox", "stored in the system keyring; type to replace") if self.password_stored
            else translate("DataStoreBox", "kept only in the system keyring"))
        self.test_button.setText(translate("DataStoreBox", "Test"))
        self.save_button.setText(translate("DataStoreBox", "Save data store"))
        self.save_button.setToolTip(translate("DataStoreBox", "The demo always uses its own file") if self.ctx.demo else "")
        override = backend.env_override()
        now = translate("DataStoreBox", "Now in use: {where}.").format(where=self.ctx.db.url)
        if override:
            now += " " + translate("DataStoreBox", "--db / FXK3SYNC_DB is set: that database is used whatever is chosen here.")
        self.hint.setText(now + " " + translate(
            "DataStoreBox", "A change takes effect the next time FxK3 Sync starts. Each PC keeps the password in its own keyring."))
        self._show_status()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if is_language_change(event):
            self.retranslate()
        super().changeEvent(event)

    def _show_status(self) -> None:
        if self._status is None:
            self.status.setText("")
            return
        kind, source = self._status
        self.status.setText(source() if callable(source) else pick(source))
        self.status.setStyleSheet("color: #15803d;" if kind == "ok" else "color: #b91c1c;" if kind == "error" else "")

    def _set_status(self, kind: str, source: Any) -> None:
        self._status = (kind, source)
        self._show_status()

    # -- state ----------------------------------------------------------------------------------------
    def _enable(self) -> None:
        server = self.server_radio.isChecked()
        self.url_edit.setEnabled(server)
        self.password_edit.setEnabled(server)
        self.save_button.setEnabled(not self.ctx.demo)

    def url(self) -> str | None:
        """The form's choice: the URL for the company database, None for this PC's file."""
        return self.url_edit.text().strip() if self.server_radio.isChecked() else None

    def load(self) -> None:
        """Shows the saved choice (read off the GUI thread: the keyring may be slow)."""
        def done(result: tuple[Any, bool]) -> None:
            choice, stored = result
            self.password_stored = stored
            (self.server_radio if choice.url else self.local_radio).setChecked(True)
            self.url_edit.setText(choice.url or "")
            self.retranslate()

        self.ctx.tasks.run(lambda _t: backend.data_store_choice(self.ctx.secrets), done, self._failed, lane=NET,
                           name="data-store-load", owner=self, replace=True)

    def _failed(self, exc: BaseException) -> None:
        self.test_button.setEnabled(True)
        self._enable()
        if isinstance(exc, Fxk3Error):
            set_invalid(self.url_edit, exc.field == "db_url")
            self._set_status("error", Text(exc.text("zh"), exc.text("en")))
        else:
            self.ctx.report(exc)

    # -- actions --------------------------------------------------------------------------------------
    def test(self) -> None:
        url, password = self.url(), self.password_edit.text()
        self.test_button.setEnabled(False)
        self._set_status("busy", lambda: translate("DataStoreBox", "Testing…"))

        def done(steps: list[Step]) -> None:
            self.test_button.setEnabled(True)
            self.steps = steps
            self.model.set_rows(steps)
            self.view.show()
            self.view.resizeRowsToContents()  # then exactly as tall as its rows: the page scrolls, not the table
            rows = sum(self.view.rowHeight(r) for r in range(self.model.rowCount()))
            self.view.setFixedHeight(self.view.horizontalHeader().height() + rows + 4)
            bad = next((s for s in steps if not s.ok), None)
            for edit in (self.url_edit, self.password_edit):
                set_invalid(edit, bad is not None and bad.field == edit.objectName())
            if bad is None:
                self._set_status("ok", lambda: translate("DataStoreBox", "The data store works."))
            else:
                self._set_status("error", bad.message)
            self.tested.emit(steps)

        self.ctx.tasks.run(lambda _t: backend.check_data_store(url, password, self.ctx.secrets), done, self._failed,
                           lane=NET, name="data-store-test", owner=self, replace=True)

    def save(self) -> None:
        url, password = self.url(), self.password_edit.text()
        self.save_button.setEnabled(False)

        def done(choice: Any) -> None:
            self._enable()
            self.password_edit.clear()
            self.password_stored = bool(choice.url) and (bool(password) or self.password_stored)
            self.url_edit.setText(choice.url or "")
            self.retranslate()
            self._set_status("ok", lambda: translate("DataStoreBox", "Saved. FxK3 Sync uses it from its next start."))
            self.saved.emit(choice)

        self.ctx.tasks.run(lambda _t: backend.save_data_store(url, password, self.ctx.secrets), done, self._failed,
                           lane=NET, name="data-store-save", owner=self)
