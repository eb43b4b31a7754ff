"""模拟发货 Simulate shipment (demo only): an audited shipping bill or return in the simulated K3Cloud for one
synced order, as a warehouse clerk would make it, then the deliveries sync, so a new user sees the whole flow.

The bill is made through the sandbox's own admin action (``ship`` with ``lines`` and ``form_id``, or ``return``;
``core/sandbox/k3cloud_ship.py``), the same one ``POST /__sandbox__/admin/ship`` offers; nothing of it exists
outside demo mode.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.errors import Fxk3Error
from core.views import RecordRow, ShipLine
from gui import backend
from gui.i18n import current_language, is_language_change, translate
from gui.icons import icon
from gui.models.ship_lines import EditLine, ShipLinesModel
from gui.tasks import DB, NET
from gui.widgets.page import row_height

CTX = "SimulateShipment"
FORM_NAMES = {"SAL_OUTSTOCK": ("销售出库单", "sales out-stock bill"),
              "SAL_DELIVERYNOTICE": ("发货通知单", "delivery notice")}


class SimulateShipmentDialog(QDialog):
    """One order's K3Cloud lines with an editable quantity; Ship or Return makes the bill, then closes.

    Args:
        ctx: the demo ``AppContext`` (its ``sandbox`` makes the bill); row: the synced order (Orders page row).
    """

    recorded = Signal(dict)  # the sandbox's answer (bill numbers)

    def __init__(self, ctx: Any, row: RecordRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.ctx, self.row = ctx, row
        profile = ctx.profile()
        self.form_id = profile.k3_shipment_form if profile is not None else "SAL_OUTSTOCK"
        self.k3_number = row.k3_number
        self.resize(720, 420)
        lay = QVBoxLayout(self)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        lay.addWidget(self.hint)
        self.model = ShipLinesModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(row_height(self.view))
        self.view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        lay.addWidget(self.view, 1)
        self.state = QLabel()
        self.state.setObjectName("PageHint")
        lay.addWidget(self.state)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.ship_button = QPushButton(icon("ship"), "")
        self.ship_button.clicked.connect(self.ship)
        self.return_button = QPushButton(icon("retry"), "")
        self.return_button.clicked.connect(self.give_back)
        buttons.addButton(self.ship_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.return_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        lay.addWidget(buttons)
        self.model.dataChanged.connect(lambda *_: self._update_state())
        self.retranslate()
        self._update_state()
        self.load()

    def retranslate(self) -> None:
        zh, en = FORM_NAMES.get(self.form_id, (self.form_id, self.form_id))
        self.setWindowTitle(translate("SimulateShipment", "Simulate shipment: {order}").format(order=self.row.number))
        self.hint.setText(translate("SimulateShipment", "Demo only. Records an audited {form} (or a sales return) in the simulated Kingdee for order {number}, as a warehouse clerk would, then syncs the deliveries: the Fxiaoke order's shipment state changes and its owner gets a message. Enter the quantity of each line.").format(
            form=zh if current_language().startswith("zh") else en, number=self.k3_number))
        self.ship_button.setText(translate("SimulateShipment", "Ship these quantities"))
        self.return_button.setText(translate("SimulateShipment", "Return these quantities"))
        self._update_state()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if is_language_change(event):
            self.retranslate()
        super().changeEvent(event)

    @property
    def busy(self) -> bool:
        return self.ctx.tasks.is_running("ship-lines") or self.ctx.tasks.is_running("ship-sim")

    def _update_state(self) -> None:
        qty = self.model.quantities()
        self.ship_button.setEnabled(bool(qty) and not self.busy)
        returnable = all(q <= r.line.net for r in self.model.rows() for q in [r.qty] if q > 0)
        self.return_button.setEnabled(bool(qty) and returnable and not self.busy)

    def load(self) -> None:
        connect, order_id = backend.connector(self.ctx), self.row.source_id
        self.state.setText(translate("SimulateShipment", "Reading the order's lines from Kingdee…"))

        def done(result: tuple[str, list[ShipLine]]) -> None:
            self.k3_number, lines = result
            self.model.set_rows([EditLine(ln, ln.open) for ln in lines])
            self.state.setText("")
            self.retranslate()

        def failed(exc: BaseException) -> None:
            self.state.setText(backend.error_message(exc.info()) if isinstance(exc, Fxk3Error) else str(exc))
            self._update_state()

        self.ctx.tasks.run(lambda _t: backend.shipment_lines(connect, order_id), done, failed, lane=NET,
                           name="ship-lines", owner=self)

    def ship(self) -> None:
        self._record("ship", {"bill_nos": [self.k3_number], "form_id": self.form_id,
                              "lines": {self.k3_number: self.model.quantities()}})

    def give_back(self) -> None:
        self._record("return", {"bill_no": self.k3_number, "lines": self.model.quantities()})

    def _record(self, action: str, payload: dict[str, Any]) -> None:
        sandbox = self.ctx.sandbox
        if sandbox is None or self.busy:
            return
        self.state.setText(translate("SimulateShipment", "Recording it in the simulated Kingdee…"))

        def done(answer: dict) -> None:
            self.recorded.emit(answer)
            self.close()

        def failed(exc: BaseException) -> None:
            self.state.setText(str(exc))
            self._update_state()

        self.ctx.tasks.run(lambda _t: sandbox.k3_app.admin(action, payload), done, failed, lane=DB, name="ship-sim",
                           owner=self)
        self._update_state()
