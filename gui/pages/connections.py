"""连接 Connections: the profile's Fxiaoke and K3Cloud settings, secrets to the keyring, and the credential doctor."""

from __future__ import annotations

from dataclasses import fields as dc_fields
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.errors import ConfigError, SecretStoreError
from core.profiles import SHIPMENT_FORMS, Profile
from gui import backend, messages
from gui.i18n import is_language_change, translate
from gui.icons import icon
from gui.models.doctor import DoctorModel
from gui.pages.connection_fields import (
    AUTH_NAMES,
    FIELD_LABELS,
    LCID_NAMES,
    RECEIPT_FIELDS,
    SECRET_FIELDS,
    SHIPMENT_FORM_NAMES,
)
from gui.pages.data_store import DataStoreBox
from gui.tasks import DB, NET
from gui.widgets.bars import set_invalid
from gui.widgets.elided import ElidedLabel
from gui.widgets.page import page_layout, row_height, set_page_texts

CTX = "ConnectionsPage"


def _label(field: str) -> str:
    return translate("ConnectionFields", FIELD_LABELS[field])


class ConnectionsPage(QWidget):
    """Edit, save and test the current profile; ``New`` starts an empty form for another company.

    Save and Save-and-test sit in a footer outside the scrolling form (always in view, even at 1366 x 768 at
    150 %), and are enabled only once the form shows a loaded profile or a new one (``ready``).
    """

    saved = Signal(str)  # profile name
    tested = Signal(object)  # DoctorReport

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.is_new = False
        self.ready = False  # the form shows what Save would store (a loaded profile or a new one)
        self.stored_secrets: set[str] = set()
        self.inputs: dict[str, QWidget] = {}
        self._labels: dict[str, QLabel] = {}  # form labels by field (retranslated)
        self._test_result: bool | None = None  # the last connection test: passed, failed, or none shown
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget()
        lay = page_layout(body, bottom=12)
        self.welcome = QLabel()
        self.welcome.setObjectName("Welcome")
        self.welcome.setWordWrap(True)
        self.welcome.hide()
        lay.addWidget(self.welcome)
        name_row = QHBoxLayout()
        self.name_edit = QLineEdit()
        self.inputs["name"] = self.name_edit
        name_row.addWidget(self._field_label("name"))
        name_row.addWidget(self.name_edit, 1)
        self.keyring_label = ElidedLabel()  # a long backend name must not widen the form
        self.keyring_label.setObjectName("PageHint")
        name_row.addWidget(self.keyring_label, 1)
        lay.addLayout(name_row)
        grid = QGridLayout()
        grid.addWidget(self._fx_group(), 0, 0)
        grid.addWidget(self._k3_group(), 0, 1, 2, 1)
        grid.addWidget(self._options_group(), 1, 0)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        lay.addLayout(grid)
        self.doctor_box = self._doctor_box()
        lay.addWidget(self.doctor_box)
        self.data_store = DataStoreBox(ctx)  # this PC's, not the profile's: profiles live inside the store
        lay.addWidget(self.data_store)
        lay.addStretch(1)
        scroll.setWidget(body)
        self.scroll = scroll
        outer.addWidget(scroll, 1)
        footer = QWidget()
        footer.setObjectName("PageFooter")
        footer_lay = self._buttons()
        footer_lay.setContentsMargins(16, 6, 16, 8)
        footer.setLayout(footer_lay)
        outer.addWidget(footer)
        ctx.profile_changed.connect(self._profile_changed)
        self._set_ready(False)
        self.retranslate()

    def _profile_changed(self, _name: str) -> None:
        self.load()

    # -- language -----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        set_page_texts(self, translate("ConnectionsPage", "Connections"), translate(
            "ConnectionsPage", "Where your Fxiaoke and Kingdee K3Cloud are and how to log in. Passwords and secrets go to the system keyring, never to a file."))
        self.welcome.setText(translate("ConnectionsPage", "Welcome! Fill in how to reach Fxiaoke and K3Cloud below, then press \"Save and test\" at the bottom right: each check turns green or names the setting to fix. Just looking? Start the app with --demo to try it against simulated servers."))
        for field, label in self._labels.items():
            label.setText(_label(field))
        self.name_edit.setPlaceholderText(translate("ConnectionsPage", "e.g. East China - production"))
        self.keyring_label.setText(translate("ConnectionsPage", "Secrets are stored in: {backend}").format(
            backend=translate("ConnectionsPage", "memory only (demo mode)") if self.ctx.demo
            else self.ctx.secrets.backend_name()))
        self.fx_box.setTitle(translate("ConnectionsPage", "Fxiaoke CRM (纷享销客)"))
        self.by_user.setText(translate("ConnectionsPage", "openUserId"))
        self.by_mobile.setText(translate("ConnectionsPage", "Admin mobile"))
        self.operator_label.setText(translate("ConnectionsPage", "Operator"))
        self.k3_box.setTitle(translate("ConnectionsPage", "Kingdee K3Cloud (金蝶云星空)"))
        self.dc_box.lineEdit().setPlaceholderText(translate("ConnectionsPage", "data center id"))
        self.dc_button.setText(translate("ConnectionsPage", "Fetch list"))
        self.dc_button.setToolTip(translate("ConnectionsPage", "Ask the server for its data centers (GetDataCenterList)"))
        for box, names in ((self.auth_box, AUTH_NAMES), (self.lcid_box, LCID_NAMES)):
            for i in range(box.count()):
                box.setItemText(i, translate("ConnectionFields", names[box.itemData(i)]))
        self.inputs["ca_bundle"].setPlaceholderText(  # type: ignore[attr-defined]
            translate("ConnectionsPage", "only for a server with its own certificate"))
        self.browse_button.setToolTip(translate("ConnectionsPage", "Choose a CA certificate file"))
        for field in ("connect_timeout", "read_timeout"):
            self.inputs[field].setSuffix(translate("ConnectionsPage", " s"))  # type: ignore[attr-defined]
        self.options_box.setTitle(translate("ConnectionsPage", "Sync options"))
        for field in ("submit", "audit", "writeback"):
            self.inputs[field].setText(_label(field))  # type: ignore[attr-defined]
        for i in range(self.ship_form_box.count()):
            self.ship_form_box.setItemText(i, translate("ConnectionFields",
                                                        SHIPMENT_FORM_NAMES[self.ship_form_box.itemData(i)]))
        self.ship_form_box.setToolTip(translate("ConnectionsPage", "The Kingdee bills whose audit means an order shipped; audited sales returns always lower what shipped"))
        self.new_button.setText(translate("ConnectionsPage", "New profile"))
        self.delete_button.setText(translate("ConnectionsPage", "Delete"))
        self.import_button.setText(translate("ConnectionsPage", "Import…"))
        self.export_button.setText(translate("ConnectionsPage", "Export…"))
        self.save_button.setText(translate("ConnectionsPage", "Save"))
        self.test_button.setText(translate("ConnectionsPage", "Save and test"))
        self.doctor_box.setTitle(translate("ConnectionsPage", "Connection test"))
        self.doctor_titles["fxiaoke"].setText("<b>{}</b>".format(translate("ConnectionsPage", "Fxiaoke")))
        self.doctor_titles["k3cloud"].setText("<b>{}</b>".format(translate("ConnectionsPage", "K3Cloud")))
        self._secret_placeholders()
        self._show_test_result(testing=any(self.ctx.tasks.is_running(n) for n in ("connections-save", "doctor")))
        for side, view in self.doctor_views.items():
            if self.doctor_models[side].rowCount():
                self._fit_table(view)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if is_language_change(event):
            self.retranslate()
        super().changeEvent(event)

    def set_welcome(self, on: bool) -> None:
        """The first-start welcome above the form (no profile yet)."""
        self.welcome.setVisible(on)

    # -- building ---------------------------------------------------------------------------------
    def _field_label(self, field: str) -> QLabel:
        label = QLabel()
        self._labels[field] = label
        return label

    def _line(self, field: str, placeholder: str = "", secret: bool = False) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(field)
        edit.setPlaceholderText(placeholder)
        if secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.textEdited.connect(lambda _t, w=edit: set_invalid(w, False))
        self.inputs[field] = edit
        return edit

    def _fx_group(self) -> QGroupBox:
        box = self.fx_box = QGroupBox()
        form = self._fx_form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # narrow windows: the field goes under
        form.addRow(self._field_label("fx_url"), self._line("fx_url", "https://open.fxiaoke.com"))
        form.addRow(self._field_label("fx_app_id"), self._line("fx_app_id", "FSAID_…"))
        form.addRow(self._field_label("fx_app_secret"), self._line("fx_app_secret", secret=True))
        form.addRow(self._field_label("fx_permanent_code"), self._line("fx_permanent_code", secret=True))
        who = QHBoxLayout()
        self.by_user = QRadioButton()
        self.by_mobile = QRadioButton()
        group = QButtonGroup(box)
        group.addButton(self.by_user)
        group.addButton(self.by_mobile)
        self.by_user.setChecked(True)
        who.addWidget(self.by_user)
        who.addWidget(self.by_mobile)
        who.addStretch(1)
        self.operator_label = QLabel()
        form.addRow(self.operator_label, who)
        form.addRow(self._field_label("fx_open_user_id"), self._line("fx_open_user_id", "FSUID_…"))
        form.addRow(self._field_label("fx_admin_mobile"), self._line("fx_admin_mobile", "138…"))
        self.by_user.toggled.connect(self._operator_mode)
        self._operator_mode()
        return box

    def _k3_group(self) -> QGroupBox:
        box = self.k3_box = QGroupBox()
        form = self._k3_form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # narrow windows: the field goes under
        form.addRow(self._field_label("k3_url"), self._line("k3_url", "https://erp.example.com/K3Cloud/"))
        dc = QHBoxLayout()
        self.dc_box = QComboBox()
        self.dc_box.setEditable(True)
        self.dc_box.setObjectName("k3_acct_id")
        self.inputs["k3_acct_id"] = self.dc_box
        self.dc_button = QToolButton()
        self.dc_button.setIcon(icon("load"))
        self.dc_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.dc_button.clicked.connect(self.fetch_data_centers)
        dc.addWidget(self.dc_box, 1)
        dc.addWidget(self.dc_button)
        form.addRow(self._field_label("k3_acct_id"), dc)
        self.auth_box = QComboBox()
        self.auth_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.auth_box.setMinimumContentsLength(14)  # long English names must not widen the form
        for mode, text in AUTH_NAMES.items():
            self.auth_box.addItem(text, mode)
        self.inputs["k3_auth"] = self.auth_box
        self.auth_box.currentIndexChanged.connect(self._auth_mode)
        form.addRow(self._field_label("k3_auth"), self.auth_box)
        form.addRow(self._field_label("k3_user"), self._line("k3_user"))
        form.addRow(self._field_label("k3_password"), self._line("k3_password", secret=True))
        form.addRow(self._field_label("k3_app_id"), self._line("k3_app_id"))
        form.addRow(self._field_label("k3_app_secret"), self._line("k3_app_secret", secret=True))
        self.lcid_box = QComboBox()
        for lcid, text in LCID_NAMES.items():
            self.lcid_box.addItem(text, lcid)
        self.inputs["k3_lcid"] = self.lcid_box
        form.addRow(self._field_label("k3_lcid"), self.lcid_box)
        form.addRow(self._field_label("k3_org"), self._line("k3_org", "100"))
        ca = QHBoxLayout()
        ca.addWidget(self._line("ca_bundle"), 1)
        self.browse_button = QToolButton()
        self.browse_button.setIcon(icon("folder"))
        self.browse_button.clicked.connect(self._browse_ca)
        ca.addWidget(self.browse_button)
        form.addRow(self._field_label("ca_bundle"), ca)
        for field, default in (("connect_timeout", 10.0), ("read_timeout", 60.0)):  # a row each: narrow in English
            spin = QDoubleSpinBox()
            spin.setRange(1, 600)
            spin.setDecimals(0)
            spin.setValue(default)
            self.inputs[field] = spin
            row = QHBoxLayout()
            row.addWidget(spin)
            row.addStretch(1)
            form.addRow(self._field_label(field), row)
        self._auth_mode()
        return box

    def _options_group(self) -> QGroupBox:
        box = self.options_box = QGroupBox()
        form = QFormLayout(box)
        batch = QSpinBox()
        batch.setRange(1, 500)
        batch.setValue(50)
        self.inputs["batch_size"] = batch
        form.addRow(self._field_label("batch_size"), batch)
        for field in ("submit", "audit", "writeback"):
            check = QCheckBox()
            check.setChecked(True)
            self.inputs[field] = check
            form.addRow("", check)
        self.ship_form_box = QComboBox()
        for form_id in SHIPMENT_FORMS:
            self.ship_form_box.addItem("", form_id)
        form.addRow(self._field_label("k3_shipment_form"), self.ship_form_box)
        defaults = Profile(name="")
        for field in RECEIPT_FIELDS:  # empty: the contract's default, shown as the placeholder
            form.addRow(self._field_label(field), self._line(field, str(getattr(defaults, field))))
        return box

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.new_button = QPushButton(icon("new"), "")
        self.new_button.clicked.connect(self.new_profile)
        self.delete_button = QPushButton(icon("delete"), "")
        self.delete_button.clicked.connect(self.delete_profile)
        self.import_button = QPushButton(icon("import"), "")
        self.import_button.clicked.connect(self.import_profile)
        self.export_button = QPushButton(icon("export"), "")
        self.export_button.clicked.connect(self.export_profile)
        self.save_button = QPushButton(icon("save"), "")
        self.save_button.clicked.connect(lambda: self.save())
        self.test_button = QPushButton(icon("test_white"), "")
        self.test_button.setProperty("primary", True)
        self.test_button.clicked.connect(self.test)
        for b in (self.new_button, self.delete_button, self.import_button, self.export_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.save_button)
        row.addWidget(self.test_button)
        return row

    def _doctor_box(self) -> QGroupBox:
        box = QGroupBox()
        lay = QVBoxLayout(box)
        self.test_state = ElidedLabel()  # here, not in the footer: a narrow footer would cut it to "Some ch…"
        lay.addWidget(self.test_state)
        self.doctor_models = {"fxiaoke": DoctorModel(self), "k3cloud": DoctorModel(self)}
        self.doctor_views: dict[str, QTableView] = {}
        self.doctor_titles: dict[str, QLabel] = {}
        for side in ("fxiaoke", "k3cloud"):
            title = self.doctor_titles[side] = QLabel()
            lay.addWidget(title)
            view = QTableView()
            view.setModel(self.doctor_models[side])
            view.verticalHeader().hide()
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.setWordWrap(True)
            view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            header = view.horizontalHeader()
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
            view.setColumnWidth(0, 300)
            view.setColumnWidth(2, 130)
            view.setColumnWidth(3, 70)
            view.setFixedHeight(header.height() + 5 * row_height(view, 10) + 4)
            view.clicked.connect(lambda idx, s=side: self._focus_step_field(s, idx.row()))
            self.doctor_views[side] = view
            lay.addWidget(view)
        return box

    # -- form <-> profile ---------------------------------------------------------------------------
    def _operator_mode(self) -> None:
        by_user = self.by_user.isChecked()
        self._fx_form.setRowVisible(self.inputs["fx_open_user_id"], by_user)
        self._fx_form.setRowVisible(self.inputs["fx_admin_mobile"], not by_user)

    def _auth_mode(self) -> None:
        mode = self.auth_box.currentData()
        self._k3_form.setRowVisible(self.inputs["k3_password"], mode == "password")
        self._k3_form.setRowVisible(self.inputs["k3_app_id"], mode != "password")
        self._k3_form.setRowVisible(self.inputs["k3_app_secret"], mode != "password")

    def _browse_ca(self) -> None:
        path = messages.open_file(self, translate("ConnectionsPage", "Choose a CA certificate file"),
                                  translate("ConnectionsPage", "Certificates (*.pem *.crt *.cer);;All files (*)"))
        if path:
            self.inputs["ca_bundle"].setText(path)  # type: ignore[attr-defined]

    def set_form(self, profile: Profile | None, stored: set[str] | None = None) -> None:
        """Fill the form from ``profile`` (None: an empty form); secret fields stay empty with a hint."""
        p = profile or Profile(name="")
        self.stored_secrets = set(stored or ())
        self.name_edit.setText(p.name)
        self.name_edit.setReadOnly(profile is not None)
        for field in ("fx_url", "fx_app_id", "fx_open_user_id", "fx_admin_mobile", "k3_url", "k3_user", "k3_app_id",
                      "k3_org", "ca_bundle"):
            self.inputs[field].setText(str(getattr(p, field) or ""))  # type: ignore[attr-defined]
        self.dc_box.setEditText(p.k3_acct_id or "")
        self.auth_box.setCurrentIndex(max(0, self.auth_box.findData(p.k3_auth)))
        self.lcid_box.setCurrentIndex(max(0, self.lcid_box.findData(p.k3_lcid)))
        self.by_mobile.setChecked(bool(p.fx_admin_mobile) and not p.fx_open_user_id)
        self.by_user.setChecked(not self.by_mobile.isChecked())
        self.inputs["connect_timeout"].setValue(p.connect_timeout)  # type: ignore[attr-defined]
        self.inputs["read_timeout"].setValue(p.read_timeout)  # type: ignore[attr-defined]
        self.inputs["batch_size"].setValue(p.batch_size)  # type: ignore[attr-defined]
        for field in ("submit", "audit", "writeback"):
            self.inputs[field].setChecked(bool(getattr(p, field)))  # type: ignore[attr-defined]
        self.ship_form_box.setCurrentIndex(max(0, self.ship_form_box.findData(p.k3_shipment_form)))
        defaults = Profile(name="")
        for field in RECEIPT_FIELDS:  # the default stays empty (its placeholder shows it)
            value = str(getattr(p, field) or "")
            self.inputs[field].setText("" if value == getattr(defaults, field) else value)  # type: ignore[attr-defined]
        for field in SECRET_FIELDS:
            self.inputs[field].clear()  # type: ignore[attr-defined]
        self._secret_placeholders()
        for w in self.inputs.values():
            set_invalid(w, False)
        self.demo = p.demo
        for model in self.doctor_models.values():
            model.set_rows([])
        self._test_result = None
        self._show_test_result()
        self._stored(profile is not None)
        self._set_ready(True)

    def _secret_placeholders(self) -> None:
        for field in SECRET_FIELDS:
            self.inputs[field].setPlaceholderText(  # type: ignore[attr-defined]
                translate("ConnectionsPage", "stored — leave empty to keep") if field in self.stored_secrets
                else translate("ConnectionsPage", "not stored yet"))

    def _stored(self, stored: bool) -> None:
        """Delete and Export act on a saved profile only (a new user's empty form has none)."""
        self.delete_button.setEnabled(stored)
        self.export_button.setEnabled(stored)

    def _set_ready(self, ready: bool) -> None:
        """Save only what the form shows loaded: while a profile loads (or failed to) nothing can be saved."""
        self.ready = ready
        self.save_button.setEnabled(ready)
        self.test_button.setEnabled(ready)
        if not ready:
            self._stored(False)

    def _show_test_result(self, testing: bool = False) -> None:
        if testing:
            self.test_state.setText(translate("ConnectionsPage", "Testing…"))
            self.test_state.setStyleSheet("")
        elif self._test_result is None:
            self.test_state.clear()
        else:
            self.test_state.setText(translate("ConnectionsPage", "All checks passed.") if self._test_result
                                    else translate("ConnectionsPage", "Some checks failed: see the red rows."))
            self.test_state.setStyleSheet("color: #15803d;" if self._test_result else "color: #b91c1c;")

    def profile_from_form(self) -> Profile:
        text = {f: self.inputs[f].text().strip() for f in  # type: ignore[attr-defined]
                ("fx_url", "fx_app_id", "fx_open_user_id", "fx_admin_mobile", "k3_url", "k3_user", "k3_app_id",
                 "k3_org", "ca_bundle")}
        by_user = self.by_user.isChecked()
        return Profile(
            name=self.name_edit.text().strip(), fx_url=text["fx_url"], fx_app_id=text["fx_app_id"],
            fx_open_user_id=(text["fx_open_user_id"] or None) if by_user else None,
            fx_admin_mobile=None if by_user else (text["fx_admin_mobile"] or None),
            k3_url=text["k3_url"], k3_acct_id=self.dc_box.currentText().strip(), k3_user=text["k3_user"],
            k3_lcid=int(self.lcid_box.currentData()), k3_auth=str(self.auth_box.currentData()),
            k3_app_id=text["k3_app_id"] or None, k3_org=text["k3_org"], ca_bundle=text["ca_bundle"] or None,
            connect_timeout=float(self.inputs["connect_timeout"].value()),  # type: ignore[attr-defined]
            read_timeout=float(self.inputs["read_timeout"].value()),  # type: ignore[attr-defined]
            batch_size=int(self.inputs["batch_size"].value()),  # type: ignore[attr-defined]
            submit=self.inputs["submit"].isChecked(), audit=self.inputs["audit"].isChecked(),  # type: ignore[attr-defined]
            writeback=self.inputs["writeback"].isChecked(), demo=getattr(self, "demo", False),  # type: ignore[attr-defined]
            k3_shipment_form=str(self.ship_form_box.currentData()),
            **{f: self.inputs[f].text().strip() or getattr(Profile(name=""), f) for f in RECEIPT_FIELDS},  # type: ignore[attr-defined]
        )

    def new_secrets(self) -> dict[str, str]:
        return {key: self.inputs[field].text() for field, key in SECRET_FIELDS.items()  # type: ignore[attr-defined]
                if self.inputs[field].text()}  # type: ignore[attr-defined]

    def mark_field(self, field: str | None) -> None:
        """Highlight the input of ``field`` and put the cursor there."""
        for w in self.inputs.values():
            set_invalid(w, False)
        widget = self.inputs.get(field or "")
        if widget is None:
            return
        set_invalid(widget, True)
        widget.setFocus()

    def _focus_step_field(self, side: str, row: int) -> None:
        step = self.doctor_models[side].row(row)
        if not step.ok and step.field:
            self.mark_field(step.field)

    # -- actions --------------------------------------------------------------------------------
    def load(self) -> None:
        name = self.ctx.profile_name
        if not name:
            self.is_new = True
            self.set_form(None)
            return
        self.is_new = False
        self._set_ready(False)  # until the profile is shown: Save must not store a half-filled form

        def work(_t: Any) -> tuple[Profile, set[str], BaseException | None]:
            profile = self.ctx.repo.get(name)
            try:
                secrets = self.ctx.repo.secrets_for(name)
            except SecretStoreError as exc:  # no or locked keyring: still show the settings, and say why
                return profile, set(), exc
            return profile, {f.name for f in dc_fields(secrets) if getattr(secrets, f.name)}, None

        def done(result: tuple[Profile, set[str], BaseException | None]) -> None:
            profile, stored, problem = result
            self.set_form(profile, stored)
            if problem is not None:
                self.ctx.report(problem)

        self.ctx.tasks.run(work, done, self.ctx.report, lane=NET, name="connections-load", owner=self, replace=True)

    def new_profile(self) -> None:
        self.is_new = True
        self.set_form(None)
        self.name_edit.setFocus()

    def save(self, then: Any = None) -> None:
        """Validate, store the profile and any newly typed secrets (in the DB lane), then call ``then(name)``."""
        if not self.ready:
            return
        profile = self.profile_from_form()
        try:
            profile.validate()
        except ConfigError as exc:
            self.mark_field(exc.field)
            self.ctx.report(exc)
            return
        secrets, is_new = self.new_secrets(), self.is_new
        repo = self.ctx.repo

        def work(_t: Any) -> str:
            if is_new:
                repo.add(profile)
            else:
                repo.update(profile)
            for key, value in secrets.items():
                repo.set_secret(profile.name, key, value)
            return profile.name

        def done(name: str) -> None:
            self.is_new = False
            self.name_edit.setReadOnly(True)
            self._stored(True)
            self.stored_secrets |= {f for f, k in SECRET_FIELDS.items() if k in secrets}
            for field in SECRET_FIELDS:
                self.inputs[field].clear()  # type: ignore[attr-defined]
            self._secret_placeholders()
            self.saved.emit(name)
            if then is not None:
                then(name)

        def failed(exc: BaseException) -> None:
            self.mark_field(getattr(exc, "field", None))
            self.test_button.setEnabled(True)
            self._show_test_result()
            self.ctx.report(exc)

        self.ctx.tasks.run(work, done, failed, lane=DB, name="connections-save", owner=self)

    def test(self) -> None:
        if not self.ready:
            return
        self.test_button.setEnabled(False)
        self._test_result = None
        self._show_test_result(testing=True)
        for side in ("fxiaoke", "k3cloud"):
            self.doctor_models[side].set_rows([])
        self.save(then=self._run_doctor)
        if not self.ctx.tasks.is_running("connections-save"):
            self.test_button.setEnabled(True)
            self._show_test_result()

    def _run_doctor(self, name: str) -> None:
        from gui.context import SideState

        for side in ("fxiaoke", "k3cloud"):
            self.ctx.set_side(side, SideState("checking"))

        connect = backend.connector(self.ctx, name)

        def work(_t: Any) -> Any:
            return backend.run_doctor(connect)

        def done(report: Any) -> None:
            from gui.context import SideState
            from gui.i18n import pick

            self.test_button.setEnabled(True)
            bad = None
            for side in ("fxiaoke", "k3cloud"):
                steps = getattr(report, side)
                self.doctor_models[side].set_rows(steps)
                self._fit_table(self.doctor_views[side])
                failed = next((s for s in steps if not s.ok), None)
                self.ctx.set_side(side, SideState("error", pick(failed.message)) if failed or not steps
                                  else SideState("ok"))
                bad = bad or failed
            self._test_result = bool(report.ok)
            self._show_test_result()
            if bad is not None:
                self.mark_field(bad.field)
                self._report_step(bad)
            else:
                bar = getattr(self.window(), "message_bar", None)
                if bar is not None:
                    bar.show_message("success", lambda: translate(
                        "ConnectionsPage", "Both Fxiaoke and K3Cloud accept these settings."))
            self.scroll.ensureWidgetVisible(self.doctor_box)
            self.tested.emit(report)

        def failed(exc: BaseException) -> None:
            self.test_button.setEnabled(True)
            self._show_test_result()
            self.ctx.report(exc)

        self.ctx.tasks.run(work, done, failed, lane=NET, name="doctor", owner=self, replace=True)

    @staticmethod
    def _fit_table(view: QTableView) -> None:
        """Rows as tall as their wrapped text, and the table as tall as its rows (at least five)."""
        view.resizeRowsToContents()
        rows = view.model().rowCount()
        height = sum(view.rowHeight(r) for r in range(rows)) + max(0, 5 - rows) * row_height(view, 10)
        view.setFixedHeight(view.horizontalHeader().height() + height + 4)

    def _report_step(self, step: Any) -> None:
        from gui.i18n import pick
        from gui.models.doctor import field_label, step_name

        bar = getattr(self.window(), "message_bar", None)
        if bar is None:
            return
        def text() -> str:
            side = translate("ConnectionsPage", "Fxiaoke") if step.side == "fxiaoke" \
                else translate("ConnectionsPage", "K3Cloud")
            return f"{side} · {step_name(step)}: {pick(step.message)}"

        def advice() -> str:
            return translate("ConnectionsPage", "Setting to fix: {field}").format(field=field_label(step.field)) \
                if step.field else ""

        bar.show_message("error", text, advice, with_log=bool(step.code))

    def fetch_data_centers(self) -> None:
        profile = self.profile_from_form()
        sinks = self.ctx.sinks()
        self.dc_button.setEnabled(False)

        def done(centers: list[dict]) -> None:
            self.dc_button.setEnabled(True)
            current = self.dc_box.currentText()
            self.dc_box.clear()
            for dc in centers:
                self.dc_box.addItem(f"{dc.get('Name', '')} ({dc.get('Id', '')})", str(dc.get("Id", "")))
            idx = self.dc_box.findData(current)
            self.dc_box.setCurrentIndex(idx if idx >= 0 else 0)
            if self.dc_box.count():
                self.dc_box.setEditText(str(self.dc_box.currentData()))

        def failed(exc: BaseException) -> None:
            self.dc_button.setEnabled(True)
            self.mark_field("k3_url")
            self.ctx.report(exc)

        self.ctx.tasks.run(lambda _t: backend.data_centers(profile, sinks), done, failed, lane=NET,
                           name="data-centers", owner=self)

    def delete_profile(self) -> None:
        name = self.ctx.profile_name
        if not name or self.is_new:
            return
        if not messages.ask(self, translate("ConnectionsPage", "Delete profile"), translate("ConnectionsPage", "Delete the profile \"{name}\", its mappings, sync history and stored secrets? Documents already in K3Cloud are not touched.").format(name=name)):
            return
        self.ctx.tasks.run(lambda _t: self.ctx.repo.remove(name), lambda _r: self.ctx.profiles_changed.emit(),
                           lane=DB, name="profile-delete", owner=self)

    def export_profile(self) -> None:
        name = self.ctx.profile_name
        if not name:
            return
        from core import paths

        target = messages.save_file(self, translate("ConnectionsPage", "Export profile (without secrets)"),
                                    translate("ConnectionsPage", "JSON files (*.json)"), str(paths.exports_dir() / f"{name}.json"))
        if not target:
            return

        def work(_t: Any) -> None:
            with open(target, "w", encoding="utf-8") as fh:
                fh.write(self.ctx.repo.export_json(name) + "\n")

        self.ctx.tasks.run(work, lane=NET, name="profile-export", owner=self)

    def import_profile(self) -> None:
        path = messages.open_file(self, translate("ConnectionsPage", "Import profile"), translate("ConnectionsPage", "JSON files (*.json)"))
        if not path:
            return

        def work(_t: Any) -> str:
            with open(path, encoding="utf-8-sig") as fh:
                return self.ctx.repo.import_json(fh.read()).name

        self.ctx.tasks.run(work, lambda name: self.saved.emit(name), lane=DB, name="profile-import", owner=self)
