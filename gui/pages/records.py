"""客户 Customers and 订单 Orders: load from Fxiaoke in the background, filter, select, preview, sync to Kingdee."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, Qt, QTimer, Signal
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

from gui import backend
from gui.i18n import translate
from gui.icons import icon
from gui.models.lines import LinesModel
from gui.models.records import STATE_FILTERS, RecordFilter, RecordRow, RecordsModel, RecordsProxy, state_filter_label
from gui.pages.deliveries import DeliveriesAction
from gui.tasks import DB, NET
from gui.widgets.bars import ProgressStrip
from gui.widgets.elided import ElidedLabel
from gui.widgets.page import page_layout, row_height, titled
from gui.widgets.preview_dialog import PreviewDialog

CTX = "RecordsPage"
PHASES = {
    "select": QT_TRANSLATE_NOOP("RecordsPage", "Reading records from Fxiaoke…"),
    "map": QT_TRANSLATE_NOOP("RecordsPage", "Mapping fields…"),
    "preflight": QT_TRANSLATE_NOOP("RecordsPage", "Checking base data in K3Cloud…"),
    "dedupe": QT_TRANSLATE_NOOP("RecordsPage", "Looking for documents already in K3Cloud…"),
    "write": QT_TRANSLATE_NOOP("RecordsPage", "Saving to K3Cloud…"),
    "confirm": QT_TRANSLATE_NOOP("RecordsPage", "Submitting and auditing…"),
    "writeback": QT_TRANSLATE_NOOP("RecordsPage", "Writing K3 numbers back to Fxiaoke…"),
    "done": QT_TRANSLATE_NOOP("RecordsPage", "Done"),
}


def _day_ms(d: QDate, end: bool) -> int:
    moment = datetime.combine(d.toPython(), time.max if end else time.min)
    return int(moment.timestamp() * 1000)


class RecordsPage(QWidget):
    """One page per kind (``customers`` or ``orders``); the orders page shows the selected order's lines."""

    sync_finished = Signal(object)  # RunSummary

    def __init__(self, ctx: Any, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.kind = ctx, kind
        self.loaded = False
        self.preview_dialog: PreviewDialog | None = None
        self.model = RecordsModel(kind, self)
        self.proxy = RecordsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.deliveries = DeliveriesAction(ctx, self) if kind == "orders" else None
        lay = page_layout(self, translate("RecordsPage", "Orders") if kind == "orders" else translate("RecordsPage", "Customers"),
                          translate("RecordsPage", "Fxiaoke sales orders and their state in Kingdee. Select orders and press “Sync to Kingdee”; each is created once, never twice.")
                      if kind == "orders" else
                      translate("RecordsPage", "Fxiaoke customers and their state in Kingdee (BD_Customer)."),
                          actions=self.deliveries)
        lay.addLayout(self._filter_bar())
        self.progress = ProgressStrip()
        self.progress.cancel_requested.connect(self.cancel)
        lay.addWidget(self.progress)
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
        header.setStretchLastSection(True)
        for col, width in enumerate((150, 230, 110, 100, 120, 80) if kind == "orders" else (110, 240, 130, 100, 120)):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _i: self.preview())
        if kind == "orders":
            split = QSplitter(Qt.Orientation.Vertical)
            split.addWidget(self.table)
            self.lines_title = ElidedLabel(translate("RecordsPage", "Lines of the selected order"))
            self.lines_model = LinesModel(self)
            self.lines_view = QTableView()
            self.lines_view.setModel(self.lines_model)
            self.lines_view.verticalHeader().hide()
            self.lines_view.setAlternatingRowColors(True)
            self.lines_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            self.lines_view.verticalHeader().setDefaultSectionSize(row_height(self.lines_view))
            for col, width in ((1, 120), (2, 90), (3, 150), (4, 130)):
                self.lines_view.setColumnWidth(col, width)
            split.addWidget(titled(self.lines_title, self.lines_view))
            split.setStretchFactor(0, 3)
            split.setStretchFactor(1, 2)
            split.setSizes([300, 160])
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
        self._selection_changed()

    def _profile_changed(self, _name: str) -> None:
        self.clear()

    # -- building -----------------------------------------------------------------------------------
    def _filter_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(translate("RecordsPage", "Search number, name, customer, K3 number…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._filter_timer.start())
        today = QDate.currentDate()
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
        self.load_button = QPushButton(icon("load"), translate("RecordsPage", "Load from Fxiaoke"))
        self.load_button.clicked.connect(self.load)
        bar.addWidget(self.search, 2)
        bar.addWidget(QLabel(translate("RecordsPage", "Date")))
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel("~"))
        bar.addWidget(self.date_to)
        bar.addWidget(self.state_box)
        bar.addWidget(self.load_button)
        return bar

    def _action_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.count_label = QLabel()
        self.preview_button = QPushButton(icon("preview"), translate("RecordsPage", "Preview"))
        self.preview_button.setToolTip(translate("RecordsPage", "Show the exact JSON that would be sent for the selected record"))
        self.preview_button.clicked.connect(self.preview)
        self.sync_button = QPushButton(icon("sync_white"), "")
        self.sync_button.setProperty("primary", True)
        self.sync_button.clicked.connect(self.sync_selected)
        bar.addWidget(self.count_label, 1)
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
        return RecordFilter(self.search.text(), _day_ms(self.date_from.date(), False),
                            _day_ms(self.date_to.date(), True), self.state_box.currentData())

    def apply_filter(self) -> None:
        self.proxy.set_filter(self.current_filter())
        self._selection_changed()

    def selected_rows(self) -> list[RecordRow]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return self.proxy.source_rows(rows)

    def _selection_changed(self, *_: Any) -> None:
        selected = self.selected_rows()
        busy = self.ctx.tasks.is_running(f"{self.kind}-sync")
        self.sync_button.setText(translate("RecordsPage", "Sync to Kingdee ({n})").format(n=len(selected)))
        self.sync_button.setEnabled(bool(selected) and not busy)
        self.preview_button.setEnabled(len(selected) == 1)
        self.load_button.setEnabled(bool(self.ctx.profile_name) and not self.ctx.tasks.is_running(f"{self.kind}-load"))
        if not self.ctx.profile_name:
            self.count_label.setText(translate("RecordsPage", "No profile yet: fill in the Connections page and save it first."))
        elif not self.loaded and not self.model.rowCount():
            self.count_label.setText(translate("RecordsPage", "Nothing loaded yet: choose the dates and press “Load from Fxiaoke”."))
        else:
            self.count_label.setText(translate("RecordsPage", "{shown} of {total} shown, {n} selected").format(
                shown=self.proxy.rowCount(), total=self.model.rowCount(), n=len(selected)))
        if self.kind == "orders":
            self._load_lines(selected[0] if len(selected) == 1 else None)

    def _other_sync(self, flow: str) -> None:
        # An order sync may push its customers first: refresh our states when another page synced.
        if flow != self.kind and self.loaded:
            self.refresh_states()

    # -- loading ----------------------------------------------------------------------------------
    def load(self) -> None:
        if not self.ctx.profile_name:
            return
        flt = self.current_filter()
        self.progress.start(translate("RecordsPage", "Loading from Fxiaoke…"), 0)
        self.load_button.setEnabled(False)
        kind, ctx = self.kind, self.ctx

        connect = backend.connector(ctx)

        def work(task: Any) -> list[RecordRow]:
            return backend.load_records(connect, kind, flt.date_from_ms, flt.date_to_ms, task)

        def progress(n: int) -> None:
            self.progress.update_progress(0, 0, translate("RecordsPage", "Loading from Fxiaoke… {n} records").format(n=n))

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

    def _load_lines(self, row: RecordRow | None) -> None:
        if row is None:
            self.lines_model.set_rows([])
            self.lines_title.setText(translate("RecordsPage", "Lines of the selected order"))
            return
        self.lines_title.setText(translate("RecordsPage", "Lines of order {number} — {customer}").format(
            number=row.number, customer=row.customer))
        ctx, order_id = self.ctx, row.source_id
        self.ctx.tasks.run(lambda _t, conn=backend.connector(ctx): backend.order_lines(conn, order_id), self.lines_model.set_rows,
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
            self.preview_dialog = PreviewDialog(self, translate("RecordsPage", "Preview: {number}").format(number=row.number),
                                                text)
            self.preview_dialog.destroyed.connect(lambda *_: setattr(self, "preview_dialog", None))
            self.preview_dialog.show()

        def failed(exc: BaseException) -> None:
            self.preview_button.setEnabled(True)
            ctx.report(exc)

        ctx.tasks.run(lambda _t, conn=backend.connector(ctx): backend.preview(conn, kind, row.source_id), done, failed, lane=NET,
                      name=f"{kind}-preview", owner=self, replace=True)

    def sync_selected(self) -> None:
        rows = self.selected_rows()
        if not rows or self.ctx.tasks.is_running(f"{self.kind}-sync"):
            return
        ids = [r.source_id for r in rows]
        ctx, kind = self.ctx, self.kind
        self.progress.start(translate("RecordsPage", "Syncing {n} records to Kingdee…").format(n=len(ids)), len(ids))
        self.sync_button.setEnabled(False)

        def progress(event: Any) -> None:
            phase = translate("RecordsPage", PHASES.get(event.phase, event.phase))
            self.progress.update_progress(event.done, event.total or len(ids), phase)
            item = getattr(event, "item", None)
            if item is not None:
                self._apply_result(item)

        def done(summary: Any) -> None:
            self.progress.finish()
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
            self.progress.finish()
            self._selection_changed()
            self.refresh_states()
            ctx.report(exc)

        ctx.tasks.run(lambda t, conn=backend.connector(ctx): backend.run_sync(conn, kind, ids, t), done, failed, progress,
                      lane=DB, name=f"{kind}-sync", owner=self)
        self._selection_changed()

    def _announce(self, summary: Any) -> None:
        bar = getattr(self.window(), "message_bar", None)
        if bar is None:
            return
        text = translate("RecordsPage", "Synced {n} records: {created} created, {updated} updated, {skipped} already in K3Cloud, {failed} failed.").format(
            n=len(summary.items), created=summary.created, updated=summary.updated, skipped=summary.skipped,
            failed=summary.failed)
        failed = [i for i in summary.items if i.status == "failed"]
        if failed:
            first = backend.error_message(failed[0].error)
            advice = translate("RecordsPage", "First failure: {reason} The other records are not affected; fix the cause and sync the failed ones again (History page).").format(
                reason=first)
            bar.show_message("warning", text, advice)
        else:
            bar.show_message("success", text)

    def _apply_result(self, item: Any) -> None:
        i = self.model.find(item.source_id)
        if i < 0:
            return
        row = self.model.row(i)
        if item.status == "failed":
            info = backend.SyncInfo(row.k3_number, row.k3_state, row.modified_ms, item.error, failed=True)
        else:
            info = backend.SyncInfo(item.k3_number or row.k3_number, item.stage or "audited", row.modified_ms)
        backend.apply_state(row, info)
        self.model.row_changed(i)

