"""同步记录 History: runs and their items; retry failed items, finish half-done documents, mark resolved."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QWidget,
)

from gui import backend, messages
from gui.i18n import is_language_change, translate
from gui.icons import icon
from gui.models.base import RowFilterProxy
from gui.models.history import (
    FLOW_NAMES,
    HALF_DONE,
    ITEM_STATE,
    RUN_STATUS,
    ItemRow,
    ItemsModel,
    ItemsProxy,
    RunRow,
    RunsModel,
    flow_name,
)
from gui.tasks import DB, NET
from gui.widgets.columns import ColumnFitter
from gui.widgets.elided import ElidedLabel
from gui.widgets.page import page_layout, row_height, set_page_texts, titled
from gui.widgets.progress import RunProgress
from gui.widgets.reason import ReasonPanel

CTX = "HistoryPage"


class HistoryPage(QWidget):
    """Reloads whenever a page synced (``ctx.synced``) and when shown.

    Runs are listed newest first (the header says so: Run ▼); a reload that brings new runs selects and shows
    the newest, one that brings none keeps the selection.
    """

    action_finished = Signal(object)
    #: The API calls of a run were loaded: (run id, ExchangeRecord list) for the log pane.
    calls_loaded = Signal(int, object)

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runs_model = RunsModel(self)
        self.runs_proxy = RowFilterProxy(self)
        self.runs_proxy.setSourceModel(self.runs_model)
        self.items_model = ItemsModel(self)
        self.items_proxy = ItemsProxy(self)
        self.items_proxy.setSourceModel(self.items_model)
        self._runs_count = 0
        self._newest_id = 0  # the newest run shown: a reload with newer ones shows them
        lay = page_layout(self, wrap=False)
        top = QHBoxLayout()
        self.problems_only = QCheckBox()
        self.problems_only.toggled.connect(self.items_proxy.set_problems_only)
        self.refresh_button = QPushButton(icon("load"), "")
        self.refresh_button.clicked.connect(self.reload)
        top.addWidget(self.problems_only)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        lay.addLayout(top)
        self.progress = RunProgress()
        self.progress.cancel.hide()
        lay.addWidget(self.progress)
        split = QSplitter(Qt.Orientation.Vertical)
        self.runs_view = self._table(self.runs_proxy, QAbstractItemView.SelectionMode.SingleSelection)
        when = "2026-12-31 23:59:59"
        self.runs_columns = ColumnFitter(self.runs_view, {
            0: "#99999", 1: lambda: _longest(flow_name(f) for f in FLOW_NAMES), 2: when, 3: when,
            4: lambda: _longest(translate("RunStatus", s) for s in RUN_STATUS.values()), 6: "FINANCE-PC-01 / zhang.san"},
            {5: 1.0})
        # Which PC ran each run matters when several PCs share one company database (team mode); on this PC's own
        # file every run is this PC's.
        self.runs_view.setColumnHidden(self.runs_model.column_of("pc"), not getattr(ctx.db, "shared", False))
        # the runs come newest first: say so with the arrow (▼ on Run), and keep any order the user picks
        self.runs_view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.runs_view.setSortingEnabled(True)
        self.runs_view.selectionModel().selectionChanged.connect(lambda *_: self._load_items())
        self.items_view = self._table(self.items_proxy, QAbstractItemView.SelectionMode.ExtendedSelection)
        # the reason gets what is left (all of it on a small screen); the Fxiaoke id is the least needed
        self.items_columns = ColumnFitter(self.items_view, {
            0: "20261231-000123", 1: lambda: _longest(translate("ItemState", s) for s in ITEM_STATE.values()),
            2: "20261231-000123", 3: "99", 5: "0123456789abcdef"}, {4: 1.0}, minimum=160)
        self.items_view.selectionModel().selectionChanged.connect(lambda *_: self._buttons())
        split.addWidget(self.runs_view)
        self.items_title = ElidedLabel()
        lower = titled(self.items_title, self.items_view)
        # why the selected run stopped (a refused login, no API quota, another sync ...), and its API calls
        self.reason = ReasonPanel(lambda: translate("HistoryPage", "Show its API calls"))
        self.reason.action_clicked.connect(self.show_calls)
        lower.layout().insertWidget(0, self.reason)
        split.addWidget(lower)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        lay.addWidget(split, 1)
        bar = QHBoxLayout()
        self.count_label = QLabel()
        self.retry_button = QPushButton(icon("retry"), "")
        self.retry_button.clicked.connect(self.retry_selected)
        self.finish_button = QPushButton(icon("finish"), "")
        self.finish_button.clicked.connect(self.finish_selected)
        self.resolve_button = QPushButton(icon("resolved"), "")
        self.resolve_button.clicked.connect(self.resolve_selected)
        self.calls_button = QPushButton(icon("log"), "")
        self.calls_button.clicked.connect(self.show_calls)
        bar.addWidget(self.count_label, 1)
        for b in (self.calls_button, self.resolve_button, self.finish_button, self.retry_button):
            bar.addWidget(b)
        lay.addLayout(bar)
        ctx.synced.connect(self._changed)
        ctx.profile_changed.connect(self._profile_changed)
        self.retranslate()
        self._buttons()

    # -- language -----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        set_page_texts(self, translate("HistoryPage", "Sync history"), translate(
            "HistoryPage", "Every run and what happened to each record. Failed records can be retried; documents saved but not yet submitted or audited can be finished."))
        self.problems_only.setText(translate("HistoryPage", "Only failed and half-done items"))
        self.refresh_button.setText(translate("HistoryPage", "Refresh"))
        self.retry_button.setText(translate("HistoryPage", "Retry selected"))
        self.retry_button.setToolTip(translate("HistoryPage", "Sync the records of the selected failed items again; K3Cloud is asked first, so nothing is created twice"))
        self.finish_button.setText(translate("HistoryPage", "Finish (submit/audit)"))
        self.resolve_button.setText(translate("HistoryPage", "Mark resolved"))
        self.calls_button.setText(translate("HistoryPage", "API calls of the run"))
        self.calls_button.setToolTip(translate("HistoryPage", "Show the selected run's requests and answers in the API log"))
        self.resolve_button.setToolTip(translate("HistoryPage", "You fixed it by hand: stop offering this item for retry"))
        self._titles()
        self.runs_columns.fit()
        self.items_columns.fit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if is_language_change(event):
            self.retranslate()
        super().changeEvent(event)

    def _titles(self) -> None:
        run = self.selected_run()
        self.items_title.setText(translate("HistoryPage", "Items of the selected run") if run is None
                                 else translate("HistoryPage", "Items of run #{id}").format(id=run.id))
        n = self._runs_count
        self.count_label.setText("" if not self.ctx.profile_name else translate("HistoryPage", "1 run") if n == 1
                                 else translate("HistoryPage", "{n} runs").format(n=n))

    def _changed(self, _what: str) -> None:
        self.reload()

    def _profile_changed(self, _name: str) -> None:
        self._newest_id = 0
        self.reload()

    def _table(self, model: Any, mode: QAbstractItemView.SelectionMode) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(mode)
        view.setAlternatingRowColors(True)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(row_height(view))
        return view

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.reload()

    # -- data -----------------------------------------------------------------------------------
    def selected_run(self) -> RunRow | None:
        rows = [i.row() for i in self.runs_view.selectionModel().selectedRows()]
        found = self.runs_proxy.source_rows(rows)
        return found[0] if found else None

    def selected_items(self) -> list[ItemRow]:
        rows = sorted({i.row() for i in self.items_view.selectionModel().selectedRows()})
        return self.items_proxy.source_rows(rows)

    def reload(self) -> None:
        name = self.ctx.profile_name
        if not name:
            self.runs_model.set_rows([])
            self.items_model.set_rows([])
            self._runs_count = self._newest_id = 0
            self._titles()
            return
        keep = self.selected_run()
        ctx = self.ctx

        def done(runs: list[RunRow]) -> None:
            self.runs_model.set_rows(runs)
            header = self.runs_view.horizontalHeader()
            self.runs_proxy.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())  # the order shown
            self._runs_count = len(runs)
            newest = max((r.id for r in runs), default=0)
            fresh, self._newest_id = newest > self._newest_id, newest
            target = next((i for i, r in enumerate(self.runs_model.rows())
                           if (r.id == newest if fresh or keep is None else r.id == keep.id)), -1)
            if target >= 0 or runs:
                row = self.runs_proxy.mapFromSource(self.runs_model.index(target, 0)).row() if target >= 0 else 0
                self.runs_view.selectRow(row)
                self.runs_view.scrollTo(self.runs_proxy.index(row, 0))  # new runs never hide above the view
            else:
                self.items_model.set_rows([])
            self._titles()

        ctx.tasks.run(lambda _t: backend.load_runs(backend.connector(ctx, name)), done, ctx.report, lane=NET,
                      name="history-runs", owner=self, replace=True)

    def _load_items(self) -> None:
        run = self.selected_run()
        self._titles()
        self.reason.set_error(run.error if run is not None else None)
        self._buttons()
        if run is None:
            self.items_model.set_rows([])
            self._buttons()
            return
        self.items_title.setText(translate("HistoryPage", "Items of run #{id}").format(id=run.id))
        ctx, connect = self.ctx, backend.connector(self.ctx)

        def done(items: list[ItemRow]) -> None:
            self.items_model.set_rows(items)
            self._buttons()

        ctx.tasks.run(lambda _t: backend.load_items(connect, run.id), done, ctx.report, lane=NET,
                      name="history-items", owner=self, replace=True)

    def show_calls(self) -> None:
        """The selected run's API calls, loaded from the exchange log, go to the log pane (``calls_loaded``)."""
        run = self.selected_run()
        if run is None:
            return
        ctx, connect, run_id = self.ctx, backend.connector(self.ctx), run.id
        ctx.tasks.run(lambda _t: backend.run_exchanges(connect, run_id), lambda calls: self.calls_loaded.emit(run_id, calls),
                      ctx.report, lane=NET, name="history-calls", owner=self, replace=True)

    def _buttons(self) -> None:
        items = self.selected_items()
        self.calls_button.setEnabled(self.selected_run() is not None)
        busy = self.ctx.tasks.is_running("history-action")
        self.retry_button.setEnabled(not busy and any(i.state in ("failed", "held") for i in items))
        self.finish_button.setEnabled(not busy and any(i.state in HALF_DONE for i in items))
        self.resolve_button.setEnabled(not busy and any(i.state in ("failed", *HALF_DONE) for i in items))

    # -- actions --------------------------------------------------------------------------------
    def _act(self, label: Any, fn: Any, ids: list[int]) -> None:
        """``label``: the progress text, or a function making it (made again after a language switch)."""
        if not ids:
            return
        ctx = self.ctx
        self.progress.start(label, len(ids))

        def done(result: Any) -> None:
            self.progress.finish()
            self._buttons()
            self.action_finished.emit(result)
            items = getattr(result, "items", None)
            aborted = getattr(result, "aborted", None)
            if aborted is not None:  # stopped midway by a connection/login/quota error: show that, not a count
                ctx.report(aborted)
            elif items is not None:
                failed = sum(1 for i in items if i.status == "failed")
                level = "warning" if failed else "success"
                bar = getattr(self.window(), "message_bar", None)
                if bar is not None:
                    bar.show_message(level, lambda: translate("HistoryPage", "{n} records processed, {f} failed.").format(
                        n=len(items), f=failed))
            for flow in ("customers", "orders"):
                ctx.synced.emit(flow)

        def failed(exc: BaseException) -> None:
            self.progress.finish()
            self._buttons()
            self.reload()
            ctx.report(exc)

        conn = backend.connector(ctx)  # the profile of the click, not of when the task runs
        ctx.tasks.run(lambda t: fn(conn, ids, t), done, failed, self.progress.event_received,
                      lane=DB, name="history-action", owner=self)
        self._buttons()

    def retry_selected(self) -> None:
        ids = [i.id for i in self.selected_items() if i.state in ("failed", "held")]
        self._act(lambda: translate("HistoryPage", "Retrying {n} items…").format(n=len(ids)), backend.retry, ids)

    def finish_selected(self) -> None:
        ids = [i.id for i in self.selected_items() if i.state in HALF_DONE]
        self._act(lambda: translate("HistoryPage", "Finishing {n} documents…").format(n=len(ids)), backend.retry, ids)

    def resolve_selected(self) -> None:
        ids = [i.id for i in self.selected_items() if i.state in ("failed", *HALF_DONE)]
        if not ids or not messages.ask(self, translate("HistoryPage", "Mark resolved"), translate("HistoryPage", "Mark {n} items as resolved by hand? They will no longer be offered for retry.").format(
                n=len(ids))):
            return
        self._act(lambda: translate("HistoryPage", "Updating {n} items…").format(n=len(ids)), backend.mark_resolved, ids)


def _longest(texts: Iterable[str]) -> str:
    return max(texts, key=len, default="")
