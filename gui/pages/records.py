"""客户 Customers and 订单 Orders: load from Fxiaoke in the background, filter, select, preview, sync to Kingdee."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QDate, QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QWidget,
)

from core.views import HELD
from gui import backend
from gui.i18n import is_language_change, translate
from gui.icons import icon
from gui.models.diff import DiffModel
from gui.models.lines import LinesModel
from gui.models.records import (
    STATE_FILTERS,
    RecordFilter,
    RecordRow,
    RecordsModel,
    RecordsProxy,
    date_time_zone,
    day_bounds_ms,
    delivery_text,
    state_filter_label,
)
from gui.pages.deliveries import DeliveriesAction
from gui.pages.simulate_ship import SimulateShipmentDialog
from gui.tasks import DB, NET
from gui.widgets.bars import ProgressStrip
from gui.widgets.columns import ColumnFitter
from gui.widgets.elided import ElidedLabel
from gui.widgets.page import page_layout, row_height, set_page_texts, titled
from gui.widgets.preview_dialog import PreviewDialog
from gui.widgets.progress import RunProgress

CTX = "RecordsPage"


class RecordsPage(QWidget):
    """One page per kind (``customers``, ``orders`` or ``payments``); the orders page shows the selected order's
    lines, the deliveries action and (demo only) the simulate-shipment action.

    Dates (table and filter) are in the zone the mapping's date rule sends them in (``RecordsModel.tz``).
    On the orders page the lines panel keeps to a few rows and the orders table takes the rest of the height.
    """

    sync_finished = Signal(object)  # RunSummary

    def __init__(self, ctx: Any, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.kind = ctx, kind
        self.loaded = False
        self.preview_dialog: PreviewDialog | None = None
        self.ship_dialog: SimulateShipmentDialog | None = None
        self.model = RecordsModel(kind, self)
        self.proxy = RecordsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.deliveries = DeliveriesAction(ctx, self) if kind == "orders" else None
        self._lines_for: RecordRow | None = None
        lay = page_layout(self, actions=self.deliveries, wrap=False)
        lay.addLayout(self._filter_bar())
        self.progress = ProgressStrip()  # loading from Fxiaoke
        self.progress.cancel_requested.connect(self.cancel)
        lay.addWidget(self.progress)
        self.run_progress = RunProgress(flow=kind)  # a sync: phase, n / N of this page's records, time left
        self.run_progress.cancel_requested.connect(self.cancel)
        lay.addWidget(self.run_progress)
        if self.deliveries is not None:
            lay.addWidget(self.deliveries.progress)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(row_height(self.table))
        self.table.setMinimumHeight(4 * row_height(self.table))  # header + 3 rows even on a small 150 % screen
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        col = self.model.column_of
        number = "20261231-000123" if kind in ("orders", "payments") else "CUST-0000123"
        samples: dict[int, Any] = {col("number"): number, col("date"): "2026-12-31", col("k3_number"): number}
        if kind == "orders":
            samples.update({col("amount"): "9,999,999.99", col("delivery"): lambda: max(
                (delivery_text(RecordRow("", "", "", delivery=d)) for d in "1234"), key=len)})
            weights = {col("customer"): 1.0, col("state"): 1.2}
        elif kind == "payments":
            samples.update({col("amount"): "9,999,999.99", col("extra"): number})
            weights = {col("customer"): 1.0, col("state"): 1.2}
        else:
            samples[col("extra")] = "0000-00000000"
            weights = {col("name"): 1.0, col("state"): 1.0}
        # every column in view, also at 1366 x 768 at 150 % (the sync state must not scroll off to the right)
        self.columns = ColumnFitter(self.table, samples, weights)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _i: self.preview())
        if kind == "orders":
            split = self.split = QSplitter(Qt.Orientation.Vertical)
            split.addWidget(self.table)
            self.lines_title = ElidedLabel()
            self.lines_model = LinesModel(self)
            self.lines_view = QTableView()
            self.lines_view.setModel(self.lines_model)
            self.lines_view.verticalHeader().hide()
            self.lines_view.setAlternatingRowColors(True)
            self.lines_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            self.lines_view.verticalHeader().setDefaultSectionSize(row_height(self.lines_view))
            for col, width in ((1, 120), (2, 90), (3, 150), (4, 130)):
                self.lines_view.setColumnWidth(col, width)
            self.lines_panel = titled(self.lines_title, self.lines_view)
            # what the newest sync found different from K3Cloud (an update it made, or a change it holds)
            self.diff_title = ElidedLabel()
            self.diff_model = DiffModel(self)
            self.diff_view = QTableView()
            self.diff_view.setModel(self.diff_model)
            self.diff_view.verticalHeader().hide()
            self.diff_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            self.diff_view.verticalHeader().setDefaultSectionSize(row_height(self.diff_view))
            self.diff_view.setMaximumHeight(self.diff_view.horizontalHeader().sizeHint().height()
                                            + 4 * row_height(self.diff_view) + 4)
            panel_layout = self.lines_panel.layout()
            assert panel_layout is not None
            panel_layout.addWidget(self.diff_title)
            panel_layout.addWidget(self.diff_view)
            self.diff_title.hide()
            self.diff_view.hide()
            split.addWidget(self.lines_panel)
            split.setStretchFactor(0, 1)
            split.setStretchFactor(1, 0)
            split.setChildrenCollapsible(False)
            self.lines_view.setMinimumHeight(self.lines_view.horizontalHeader().sizeHint().height()
                                             + 2 * row_height(self.lines_view) + 4)
            self._split_moved = False  # the user dragged the handle: keep their sizes
            self._lines_chosen = False  # the user toggled the lines: keep their choice
            split.splitterMoved.connect(lambda *_: setattr(self, "_split_moved", True))
            split.installEventFilter(self)
            lay.addWidget(split, 1)
        else:
            lay.addWidget(self.table, 1)
        lay.addLayout(self._action_bar())
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(150)
        self._filter_timer.timeout.connect(self.apply_filter)
        ctx.profile_changed.connect(self._profile_changed)
        ctx.synced.connect(self._other_sync)
        ctx.mapping_saved.connect(self._mapping_saved)  # bound methods: disconnected when the page is deleted
        self.retranslate()
        self._selection_changed()

    def _profile_changed(self, _name: str) -> None:
        self.clear()
        self._load_time_zone()

    def _mapping_saved(self, flow: str) -> None:
        if flow == self.kind:
            self._load_time_zone()

    # -- language -----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        orders = self.kind == "orders"
        if self.kind == "payments":
            set_page_texts(self, translate("RecordsPage", "Payments"), translate(
                "RecordsPage", "Fxiaoke payments (回款) and their receipts in Kingdee (AR_RECEIVEBILL). A payment whose order is not in Kingdee yet waits until the order is synced; a missing customer is created first."))
            self.search.setPlaceholderText(translate("RecordsPage", "Search payment number, customer, order, Kingdee receipt…"))
        else:
            set_page_texts(
                self, translate("RecordsPage", "Orders") if orders else translate("RecordsPage", "Customers"),
                translate("RecordsPage", "Fxiaoke sales orders and their state in Kingdee. Select orders and press \"Sync to Kingdee\"; each is created once, never twice.")
                if orders else translate("RecordsPage", "Fxiaoke customers and their state in Kingdee (BD_Customer)."))
            self.search.setPlaceholderText(
                translate("RecordsPage", "Search order number, customer, Kingdee bill number…") if orders
                else translate("RecordsPage", "Search customer number, name, phone, Kingdee code…"))
        self.date_label.setText(translate("RecordsPage", "Date"))
        self.date_label.setToolTip(translate("RecordsPage", "Dates are days in the time zone the mapping sends them in ({tz}), whatever this PC's clock says.").format(tz=self.model.tz_name))
        for i in range(self.state_box.count()):
            self.state_box.setItemText(i, state_filter_label(self.state_box.itemData(i)))
        self.load_button.setText(translate("RecordsPage", "Load from Fxiaoke"))
        self.preview_button.setText(translate("RecordsPage", "Preview"))
        self.preview_button.setToolTip(translate("RecordsPage", "Show the exact JSON that would be sent for the selected record"))
        if self.ship_button is not None:
            self.ship_button.setText(translate("RecordsPage", "Simulate shipment"))
            self.ship_button.setToolTip(translate("RecordsPage", "Demo only: ship (or return) some of the selected synced order in the simulated Kingdee, then sync the deliveries"))
        if orders:
            self._lines_text()
            self._diff_text(self._lines_for)
            self.lines_button.setText(translate("RecordsPage", "Lines"))
            self.lines_button.setToolTip(translate("RecordsPage", "Show or hide the lines of the selected order"))
        self._update_texts()
        self.columns.fit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if is_language_change(event):
            self.retranslate()
        super().changeEvent(event)

    def eventFilter(self, watched: Any, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize and watched is getattr(self, "split", None):  # type first: teardown
            self._size_split()
        return False

    def _size_split(self) -> None:
        """Orders first: the lines panel gets up to 2/5 of the height but never takes the orders table below
        eight rows; where both do not fit (1366 x 768 at 150 %) it starts hidden, and the Lines button shows it.
        A user's toggle or drag is kept."""
        total = self.split.height() - self.split.handleWidth()
        table = self.table.horizontalHeader().sizeHint().height() + 8 * row_height(self.table) \
            + self.table.horizontalScrollBar().sizeHint().height() + 4
        lines_min = self.lines_panel.minimumSizeHint().height()
        if not self._lines_chosen:
            self.lines_button.blockSignals(True)
            self.lines_button.setChecked(total - lines_min >= table)
            self.lines_button.blockSignals(False)
            self.lines_panel.setVisible(self.lines_button.isChecked())
        if self.lines_panel.isVisible() and not self._split_moved:
            lines = max(lines_min, min(total * 2 // 5, total - table))
            self.split.setSizes([total - lines, lines])

    def _lines_toggled(self, on: bool) -> None:
        self._lines_chosen = True
        self.lines_panel.setVisible(on)
        if on and not self._split_moved:
            self._size_split()

    def _load_time_zone(self) -> None:
        """The zone the profile's mapping sends this kind's date in: the table shows the same day as K3Cloud."""
        name, kind, ctx = self.ctx.profile_name, self.kind, self.ctx
        if not name:
            return

        connect = backend.connector(ctx, name)

        def work(_t: Any) -> str:
            return date_time_zone(backend.load_mapping(connect, kind)[0], kind)

        def done(tz: str) -> None:
            if name == self.ctx.profile_name:
                self.model.set_time_zone(tz)
                self.retranslate()

        # a mapping that cannot be read is reported where it is used (preview, sync); the default zone stays
        ctx.tasks.run(work, done, lambda _exc: None, lane=NET, name=f"{kind}-time-zone", owner=self, replace=True)

    # -- building -----------------------------------------------------------------------------------
    def _filter_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._filter_timer.start())
        today = QDate(datetime.now(self.model.tz).date())  # today where the dates are shown, not on this PC
        self.date_from = QDateEdit(today.addDays(-30))
        self.date_to = QDateEdit(today)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(lambda _d: self.apply_filter())
        self.state_box = QComboBox()
        for state in STATE_FILTERS:
            self.state_box.addItem(state_filter_label(state), state)
        self.state_box.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.load_button = QPushButton(icon("load"), "")
        self.load_button.clicked.connect(self.load)
        bar.addWidget(self.search, 2)
        self.date_label = QLabel()
        bar.addWidget(self.date_label)
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel("~"))
        bar.addWidget(self.date_to)
        bar.addWidget(self.state_box)
        bar.addWidget(self.load_button)
        return bar

    def _action_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.count_label = ElidedLabel()
        self.preview_button = QPushButton(icon("preview"), "")
        self.preview_button.clicked.connect(self.preview)
        self.sync_button = QPushButton(icon("sync_white"), "")
        self.sync_button.setProperty("primary", True)
        self.sync_button.clicked.connect(self.sync_selected)
        bar.addWidget(self.count_label, 1)
        self.ship_button: QPushButton | None = None
        if self.kind == "orders" and self.ctx.demo:  # demo only: a shipment in the simulated Kingdee
            self.ship_button = QPushButton(icon("ship"), "")
            self.ship_button.clicked.connect(self.simulate_shipment)
            bar.addWidget(self.ship_button)
        if self.kind == "orders":
            self.lines_button = QPushButton(icon("down"), "")
            self.lines_button.setCheckable(True)
            self.lines_button.setChecked(True)
            self.lines_button.toggled.connect(self._lines_toggled)
            bar.addWidget(self.lines_button)
        bar.addWidget(self.preview_button)
        bar.addWidget(self.sync_button)
        return bar

    # -- state ------------------------------------------------------------------------------------
    def clear(self) -> None:
        self.ctx.tasks.cancel(f"{self.kind}-load")
        self.model.set_rows([])
        self.loaded = False
        if self.kind == "orders":
            self.lines_model.set_rows([])
        self._selection_changed()

    def current_filter(self) -> RecordFilter:
        tz = self.model.tz
        return RecordFilter(self.search.text(), day_bounds_ms(self.date_from.date().toPython(), tz, False),
                            day_bounds_ms(self.date_to.date().toPython(), tz, True), self.state_box.currentData())

    def apply_filter(self) -> None:
        self.proxy.set_filter(self.current_filter())
        self._selection_changed()

    def selected_rows(self) -> list[RecordRow]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return self.proxy.source_rows(rows)

    def _selection_changed(self, *_: Any) -> None:
        selected = self.selected_rows()
        busy = self.ctx.tasks.is_running(f"{self.kind}-sync")
        self.sync_button.setEnabled(bool(selected) and not busy)
        self.preview_button.setEnabled(len(selected) == 1)
        if self.ship_button is not None:
            self.ship_button.setEnabled(len(selected) == 1 and bool(selected[0].k3_number)
                                        and self.ship_dialog is None)
        self.load_button.setEnabled(bool(self.ctx.profile_name) and not self.ctx.tasks.is_running(f"{self.kind}-load"))
        self._update_texts(selected)
        if self.kind == "orders":
            self._load_lines(selected[0] if len(selected) == 1 else None)

    def _update_texts(self, selected: list[RecordRow] | None = None) -> None:
        """The sync button and the count line (in the current language)."""
        selected = self.selected_rows() if selected is None else selected
        self.sync_button.setText(translate("RecordsPage", "Sync to Kingdee ({n})").format(n=len(selected)))
        if not self.ctx.profile_name:
            self.count_label.setText(translate("RecordsPage", "No profile yet: fill in the Connections page and save it first."))
        elif not self.loaded and not self.model.rowCount():
            self.count_label.setText(translate("RecordsPage", "Nothing loaded yet: choose the dates and press \"Load from Fxiaoke\"."))
        else:
            self.count_label.setText(translate("RecordsPage", "{shown} of {total} shown, {n} selected").format(
                shown=self.proxy.rowCount(), total=self.model.rowCount(), n=len(selected)))

    def _other_sync(self, flow: str) -> None:
        # An order sync may push its customers first: refresh our states when another page synced.
        if flow != self.kind and self.loaded:
            self.refresh_states()

    # -- loading ----------------------------------------------------------------------------------
    def load(self) -> None:
        if not self.ctx.profile_name:
            return
        flt = self.current_filter()
        self.progress.start(lambda: translate("RecordsPage", "Loading from Fxiaoke…"), 0)
        self.load_button.setEnabled(False)
        kind, ctx = self.kind, self.ctx

        connect = backend.connector(ctx)

        def work(task: Any) -> list[RecordRow]:
            return backend.load_records(connect, kind, flt.date_from_ms, flt.date_to_ms, task)

        def progress(n: int) -> None:
            self.progress.update_progress(
                0, 0, lambda: translate("RecordsPage", "Loading from Fxiaoke… {n} records").format(n=n))

        def done(rows: list[RecordRow]) -> None:
            self._load_ended()
            self.model.set_rows(rows)
            self.loaded = True
            self.apply_filter()

        def failed(exc: BaseException) -> None:
            self._load_ended()
            ctx.report(exc)

        task = ctx.tasks.run(work, done, failed, progress, lane=NET, name=f"{kind}-load", owner=self, replace=True)
        self._load_task = task

    def _load_ended(self) -> None:
        self.progress.finish()
        self.load_button.setEnabled(bool(self.ctx.profile_name))

    def cancel(self) -> None:
        self.ctx.tasks.cancel(f"{self.kind}-load")
        if self.ctx.tasks.is_running(f"{self.kind}-sync"):
            self.ctx.tasks.cancel(f"{self.kind}-sync")
            self.refresh_states()  # what was written before the cancel shows up
        self.run_progress.finish()
        self._load_ended()
        self._selection_changed()

    def refresh_states(self) -> None:
        if not self.model.rowCount():
            return
        ids = [r.source_id for r in self.model.rows()]
        kind, ctx, connect = self.kind, self.ctx, backend.connector(self.ctx)

        def work(_t: Any) -> dict[str, backend.SyncInfo]:
            return backend.sync_states(connect, kind, ids)

        def done(states: dict[str, backend.SyncInfo]) -> None:
            backend.apply_states(self.model.rows(), states)
            self.model.rows_changed()
            self.apply_filter()

        ctx.tasks.run(work, done, lane=NET, name=f"{kind}-states", owner=self, replace=True)

    def _lines_text(self) -> None:
        row = self._lines_for
        self.lines_title.setText(translate("RecordsPage", "Lines of the selected order") if row is None else
                                 translate("RecordsPage", "Lines of order {number} — {customer}").format(
                                     number=row.number, customer=row.customer))

    def _show_diff(self, row: RecordRow | None) -> None:
        """The selected order's differences from K3Cloud at its newest sync, when there were any."""
        changes = list(row.diff or []) if row is not None else []
        self.diff_model.set_rows(changes)
        self._diff_text(row)
        self.diff_title.setVisible(bool(changes))
        self.diff_view.setVisible(bool(changes))

    def _diff_text(self, row: RecordRow | None) -> None:
        if row is not None and row.state == HELD:
            self.diff_title.setText(translate("RecordsPage", "Held: these changes were not sent to K3Cloud (its document is audited); see the reason in the sync state"))
        else:
            self.diff_title.setText(translate("RecordsPage", "Changes the last sync made in K3Cloud"))

    def _load_lines(self, row: RecordRow | None) -> None:
        self._lines_for = row
        self._lines_text()
        self._show_diff(row)
        if row is None:
            self.lines_model.set_rows([])
            return
        ctx, order_id = self.ctx, row.source_id
        conn = backend.connector(ctx)  # the profile of the click, not of when the task runs
        self.ctx.tasks.run(lambda _t: backend.order_lines(conn, order_id), self.lines_model.set_rows,
                           lambda exc: ctx.report(exc), lane=NET, name="order-lines", owner=self, replace=True)

    # -- preview and sync -----------------------------------------------------------------------------
    def preview(self) -> None:
        selected = self.selected_rows()
        if len(selected) != 1:
            return
        row, ctx, kind = selected[0], self.ctx, self.kind
        self.preview_button.setEnabled(False)

        def done(text: str) -> None:
            self.preview_button.setEnabled(True)
            if self.preview_dialog is not None:
                self.preview_dialog.close()
            self.preview_dialog = PreviewDialog(
                self, lambda: translate("RecordsPage", "Preview: {number}").format(number=row.number), text)
            self.preview_dialog.destroyed.connect(lambda *_: setattr(self, "preview_dialog", None))
            self.preview_dialog.show()

        def failed(exc: BaseException) -> None:
            self.preview_button.setEnabled(True)
            ctx.report(exc)

        conn = backend.connector(ctx)  # the profile of the click, not of when the task runs
        ctx.tasks.run(lambda _t: backend.preview(conn, kind, row.source_id), done, failed, lane=NET,
                      name=f"{kind}-preview", owner=self, replace=True)

    def simulate_shipment(self) -> None:
        """Demo only: the dialog for the selected synced order; what it records is synced back at once."""
        selected = self.selected_rows()
        if len(selected) != 1 or not selected[0].k3_number or self.ship_dialog is not None:
            return
        dialog = self.ship_dialog = SimulateShipmentDialog(self.ctx, selected[0], self)
        dialog.destroyed.connect(lambda *_: (setattr(self, "ship_dialog", None), self._selection_changed()))
        if self.deliveries is not None:
            dialog.recorded.connect(lambda _answer: self.deliveries.start())
        dialog.show()
        self._selection_changed()

    def sync_selected(self) -> None:
        rows = self.selected_rows()
        if not rows or self.ctx.tasks.is_running(f"{self.kind}-sync"):
            return
        ids = [r.source_id for r in rows]
        ctx, kind = self.ctx, self.kind
        self.run_progress.start(lambda: translate("RecordsPage", "Syncing {n} records to Kingdee…").format(n=len(ids)), len(ids))
        self.sync_button.setEnabled(False)

        def progress(event: Any) -> None:
            self.run_progress.event_received(event)
            item = getattr(event, "item", None)
            if item is not None and getattr(item, "flow", kind) == kind:  # a row settled: show its K3Cloud number now
                self._apply_result(item)

        def done(summary: Any) -> None:
            self.run_progress.finish()
            for item in summary.items:
                self._apply_result(item)
            self.model.rows_changed()
            self.apply_filter()
            aborted = getattr(summary, "aborted", None)
            if aborted is not None:  # a connection/login/quota error stopped the run midway: that is what to fix
                ctx.report(aborted)
            else:
                self._announce(summary)
            self.sync_finished.emit(summary)
            ctx.synced.emit(kind)
            self._selection_changed()

        def failed(exc: BaseException) -> None:
            self.run_progress.finish()
            self._selection_changed()
            self.refresh_states()
            ctx.report(exc)

        conn = backend.connector(ctx)  # the profile of the click, not of when the task runs
        ctx.tasks.run(lambda t: backend.run_sync(conn, kind, ids, t), done, failed, progress,
                      lane=DB, name=f"{kind}-sync", owner=self)
        self._selection_changed()

    def _announce(self, summary: Any) -> None:
        bar = getattr(self.window(), "message_bar", None)
        if bar is None:
            return
        failed = [i for i in summary.items if i.status == "failed"]
        failed = sorted(failed, key=lambda i: i.flow != self.kind)
        held = [i for i in summary.items if i.status == "held" and i.flow == self.kind]  # a person must act

        def reason() -> str:
            first = failed or held
            return backend.error_message(first[0].error) if first else ""

        level = "warning" if failed or held else ("success" if summary.items else "info")
        kind = self.kind
        bar.show_message(level, lambda: sync_result_words(summary, reason(), kind)[0],
                         lambda: sync_result_words(summary, reason(), kind)[1])

    def _apply_result(self, item: Any) -> None:
        i = self.model.find(item.source_id)
        if i < 0:
            return
        row = self.model.row(i)
        if item.status == "failed":
            info = backend.SyncInfo(row.k3_number, row.k3_state, row.modified_ms, item.error, failed=True,
                                    diff=item.diff)
        elif item.status == "held":  # waits for a person (approval, an audited document): not synced
            info = backend.SyncInfo(row.k3_number, row.k3_state, row.modified_ms, item.error, held=True,
                                    diff=item.diff)
        elif item.status == "voided":  # its document was deleted from K3Cloud
            info = backend.SyncInfo()
        else:
            info = backend.SyncInfo(item.k3_number or row.k3_number, item.stage or row.k3_state or "audited",
                                    row.modified_ms, diff=item.diff)
        backend.apply_state(row, info)
        self.model.row_changed(i)
        if row is self._lines_for and self.kind == "orders":
            self._show_diff(row)


def sync_result_words(summary: Any, reason: str, kind: str = "") -> tuple[str, str]:
    """(message, advice) after a sync: only the counts that happened, and "the others are not affected" only when
    there are others. ``reason``: the first failure's message. Counts are of the page's ``kind``; customers an order
    sync pushed first are named after them."""
    c = summary.counts_of(kind) if kind else summary.counts
    n = sum(c.values())
    landed = c["created"] + c["updated"] + c["skipped"] + c["voided"] + c["held"]
    parts = [text.format(n=count) for count, text in (
        (c["created"], translate("RecordsPage", "{n} created")),
        (c["updated"], translate("RecordsPage", "{n} updated")),
        (c["skipped"], translate("RecordsPage", "{n} already in K3Cloud")),
        (c["voided"], translate("RecordsPage", "{n} deleted in K3Cloud (voided in Fxiaoke)")),
        (c["held"], translate("RecordsPage", "{n} held for a person"))) if count]
    done = translate("RecordsPage", ", ").join(parts)
    pushed = summary.counts_of("customers")["created"] if kind in ("orders", "payments") else 0
    extra = translate("RecordsPage", " {n} new customers were created in K3Cloud first.").format(n=pushed) \
        if pushed else ""
    if not n:
        return translate("RecordsPage", "Nothing was synced: no record needed it."), ""
    if not c["failed"]:
        advice = translate("RecordsPage", "Held: {reason}").format(reason=reason) if c["held"] else ""
        if n == 1:
            return translate("RecordsPage", "Synced 1 record: {parts}.").format(parts=done) + extra, advice
        return translate("RecordsPage", "Synced {n} records: {parts}.").format(n=n, parts=done) + extra, advice
    if not landed:
        if n == 1:
            return (translate("RecordsPage", "The record could not be synced: {reason}").format(reason=reason),
                    translate("RecordsPage", "Fix the cause, then sync it again (select it and press \"Sync to Kingdee\", or retry it on the History page)."))
        return (translate("RecordsPage", "None of the {n} records could be synced.").format(n=n),
                translate("RecordsPage", "First failure: {reason} Fix the cause, then sync them again (History page).").format(
                    reason=reason))
    return (translate("RecordsPage", "{ok} of {n} records synced ({parts}); {failed} failed.").format(
                ok=landed, n=n, parts=done, failed=c["failed"]) + extra,
            translate("RecordsPage", "First failure: {reason} The records that went through are not affected; fix the cause and sync the failed ones again (History page).").format(
                reason=reason))
