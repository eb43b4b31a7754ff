"""The shipments' mapping on the Mappings page: which Fxiaoke order field says how far an order shipped, and which of
its options means shipped, partly shipped and not shipped (picked from the order's describe, never typed)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from core.views import FieldChoice, ShipStatusMapping
from gui import backend
from gui.i18n import is_language_change, translate
from gui.icons import icon
from gui.tasks import DB, NET
from gui.widgets.elided import ElidedLabel

CTX = "ShipStatusEditor"
STATES = ("shipped", "partly", "none")


class ShipStatusEditor(QWidget):
    """Loads the saved mapping and the order's single-choice fields; Save stores a new version (checked first)."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.saved: ShipStatusMapping | None = None
        self.fields: list[FieldChoice] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        lay.addWidget(self.hint)
        form = QFormLayout()
        self.field_box = QComboBox()
        self.field_box.currentIndexChanged.connect(lambda _i: self._fill_options())
        self.field_label = QLabel()
        form.addRow(self.field_label, self.field_box)
        self.option_boxes: dict[str, QComboBox] = {}
        self.option_labels: dict[str, QLabel] = {}
        for state in STATES:
            box = QComboBox()
            box.currentIndexChanged.connect(lambda _i: self._update_state())
            self.option_boxes[state] = box
            self.option_labels[state] = QLabel()
            form.addRow(self.option_labels[state], box)
        lay.addLayout(form)
        lay.addStretch(1)
        bar = QHBoxLayout()
        self.state_label = ElidedLabel()
        self.reload_button = QPushButton(icon("load"), "")
        self.reload_button.clicked.connect(self.load)
        self.save_button = QPushButton(icon("save_white"), "")
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(self.save)
        bar.addWidget(self.state_label, 1)
        bar.addWidget(self.reload_button)
        bar.addWidget(self.save_button)
        lay.addLayout(bar)
        self.retranslate()
        self._update_state()

    def retranslate(self) -> None:
        self.hint.setText(translate("ShipStatusEditor", "When Kingdee audits a shipping bill or a sales return, the deliveries sync writes how far the Fxiaoke order shipped into this order field. Pick a single-choice field of the sales order and which of its options means each state (they come from Fxiaoke, so they match your tenant)."))
        self.field_label.setText(translate("ShipStatusEditor", "Order field"))
        names = {"shipped": translate("ShipStatusEditor", "Shipped"),
                 "partly": translate("ShipStatusEditor", "Partly shipped"),
                 "none": translate("ShipStatusEditor", "Not shipped")}
        for state, label in self.option_labels.items():
            label.setText(names[state])
        self.reload_button.setText(translate("ShipStatusEditor", "Load from Fxiaoke"))
        self.save_button.setText(translate("ShipStatusEditor", "Save"))
        self._update_state()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if is_language_change(event):
            self.retranslate()
        super().changeEvent(event)

    @property
    def busy(self) -> bool:
        return self.ctx.tasks.is_running("ship-status-load") or self.ctx.tasks.is_running("ship-status-save")

    def current(self) -> ShipStatusMapping | None:
        values = [self.option_boxes[s].currentData() for s in STATES]
        field = self.field_box.currentData()
        if not field or any(not v for v in values):
            return None
        return ShipStatusMapping(str(field), *(str(v) for v in values))

    def _update_state(self) -> None:
        mapping = self.current()
        self.save_button.setEnabled(mapping is not None and mapping != self.saved and not self.busy)
        self.reload_button.setEnabled(bool(self.ctx.profile_name) and not self.busy)
        if not self.ctx.profile_name:
            self.state_label.setText(translate("ShipStatusEditor", "No profile yet: fill in the Connections page and save it first."))
        elif self.saved is None:
            self.state_label.setText(translate("ShipStatusEditor", "Loading…"))
        elif mapping is not None and mapping != self.saved:
            self.state_label.setText(translate("ShipStatusEditor", "Unsaved changes"))
        else:
            self.state_label.setText(translate("ShipStatusEditor", "Saved: field {field}").format(field=self.saved.field))

    def load(self) -> None:
        if not self.ctx.profile_name:
            self._update_state()
            return
        connect = backend.connector(self.ctx)

        def work(_t: Any) -> tuple[ShipStatusMapping, list[FieldChoice]]:
            return backend.load_ship_status(connect), backend.order_fields(connect)

        def done(result: tuple[ShipStatusMapping, list[FieldChoice]]) -> None:
            self.saved, self.fields = result
            self._show()

        def failed(exc: BaseException) -> None:
            self._update_state()
            self.ctx.report(exc)

        self.ctx.tasks.run(work, done, failed, lane=NET, name="ship-status-load", owner=self, replace=True)
        self._update_state()

    def _show(self) -> None:
        saved = self.saved or ShipStatusMapping()
        self.field_box.blockSignals(True)
        self.field_box.clear()
        for f in self.fields:
            self.field_box.addItem(f"{f.label} ({f.key})" if f.label else f.key, f.key)
        if self.field_box.findData(saved.field) < 0:  # the saved field is gone from the describe: say so
            self.field_box.addItem(translate("ShipStatusEditor", "{field} (not in Fxiaoke)").format(field=saved.field),
                                   saved.field)
        self.field_box.setCurrentIndex(self.field_box.findData(saved.field))
        self.field_box.blockSignals(False)
        self._fill_options(saved)

    def _fill_options(self, pick: ShipStatusMapping | None = None) -> None:
        field = next((f for f in self.fields if f.key == self.field_box.currentData()), None)
        options = [(str(o.get("value")), str(o.get("label") or "")) for o in (field.options or [])] if field else []
        for state, box in self.option_boxes.items():
            box.blockSignals(True)
            box.clear()
            for value, label in options:
                box.addItem(f"{label} ({value})", value)
            if pick is not None:
                box.setCurrentIndex(box.findData(pick.value(state)))
            else:
                box.setCurrentIndex(-1)
            box.blockSignals(False)
        self._update_state()

    def save(self) -> None:
        mapping = self.current()
        if mapping is None:
            return
        connect = backend.connector(self.ctx)

        def done(version: int) -> None:
            self.saved = mapping
            self._update_state()
            bar = getattr(self.window(), "message_bar", None)
            if bar is not None:
                bar.show_message("success", lambda: translate("ShipStatusEditor", "Shipment states saved as version {v}: the next deliveries sync writes them into {field}.").format(
                    v=version, field=mapping.field))

        def failed(exc: BaseException) -> None:
            self._update_state()
            self.ctx.report(exc)

        self.ctx.tasks.run(lambda _t: backend.save_ship_status(connect, mapping), done, failed, lane=DB,
                           name="ship-status-save", owner=self)
        self._update_state()
