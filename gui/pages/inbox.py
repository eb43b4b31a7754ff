"""待处理 Needs attention: what a person must fix, grouped by cause, with the records and one "retry these" action.

The groups come from the service (``Workspace.inbox``): e.g. 物料 MAT-9 在金蝶中不存在：14 张订单. Pick a group to see
what to do and its records; once the cause is fixed, "Retry these" sends them again (never twice). The page reloads
after every sync of any page and when a profile is picked, also while hidden, so the navigation shows the count.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QWidget,
)

from core.errors import EMPTY
from core.views import InboxGroup, InboxRecord
from gui import backend, messages
from gui.i18n import is_language_change, translate
from gui.icons import icon
from gui.models.history import flow_name
from gui.models.inbox import SIDES, InboxGroupsModel, InboxProxy, InboxRecordsModel
from gui.tasks import DB, NET
from gui.widgets.columns import ColumnFitter
from gui.widgets.elided import ElidedLabel
from gui.widgets.page import page_layout, row_height, set_page_texts, titled
from gui.widgets.progress import RunProgress
from gui.widgets.reason import ReasonPanel

CTX = "InboxPage"
TASK = "inbox-action"


class InboxPage(QWidget):
    """Groups on top, the chosen group's advice and records below, "Retry these" at the bottom."""

    count_changed = Signal(int)  # records that need a person (the navigation shows it)
    action_finished = Signal(object)  # RunSummary of a retry, or None after "mark resolved"

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.groups_model = InboxGroupsModel(self)
        self.groups_proxy = InboxProxy(self)
        self.groups_proxy.setSourceModel(self.groups_model)
        self.records_model = InboxRecordsModel(self)
        self.records_proxy = InboxProxy(self)
        self.records_proxy.setSourceModel(self.records_model)
        self.loaded = False
        lay = page_layout(self, wrap=False)
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.refresh_button = QPushButton(icon("load"), "")
        self.refresh_button.clicked.connect(self.reload)
        top.addWidget(self.search, 1)
        top.addWidget(self.refresh_button)
        lay.addLayout(top)
        self.progress = RunProgress()
        self.progress.cancel_requested.connect(lambda: self.ctx.tasks.cancel(TASK))
        lay.addWidget(self.progress)
        split = QSplitter(Qt.Orientation.Vertical)
        self.groups_view = self._table(self.groups_proxy, QAbstractItemView.SelectionMode.SingleSelection)
        self.groups_view.setSortingEnabled(True)
        self.groups_view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # core's order: the biggest group first
        self.groups_columns = ColumnFitter(self.groups_view, {
            1: "9999", 2: lambda: flow_name("customers"),
            3: lambda: max((translate("InboxColumns", s) for s in SIDES.values()), key=len)}, {0: 2.0, 4: 1.0},
            minimum=120)
        self.groups_view.selectionModel().selectionChanged.connect(lambda *_: self._show_group())
        split.addWidget(self.groups_view)
        self.records_title = ElidedLabel()
        self.records_view = self._table(self.records_proxy, QAbstractItemView.SelectionMode.ExtendedSelection)
        self.records_view.setSortingEnabled(True)
        self.records_view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.records_columns = ColumnFitter(self.records_view, {
            0: "20261231-000123", 1: lambda: flow_name("customers"), 2: lambda: translate("ItemState", "Failed"),
            4: "12-31 23:59"}, {3: 1.0, 5: 0.35}, minimum=90)
        self.records_view.selectionModel().selectionChanged.connect(lambda *_: self._buttons())
        lower = titled(self.records_title, self.records_view)
        self.advice = ReasonPanel(level="warning")
        lower.layout().insertWidget(0, self.advice)
        split.addWidget(lower)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        lay.addWidget(split, 1)
        bar = QHBoxLayout()
        self.count_label = ElidedLabel()
        self.resolve_button = QPushButton(icon("resolved"), "")
        self.resolve_button.clicked.connect(self.resolve)
        self.retry_button = QPushButton(icon("sync_white"), "")
        self.retry_button.setProperty("primary", True)
        self.retry_button.clicked.connect(self.retry)
        bar.addWidget(self.count_label, 1)
        bar.addWidget(self.resolve_button)
        bar.addWidget(self.retry_button)
        lay.addLayout(bar)
        self._reload_timer = QTimer(self)  # several pages syncing at once: one reload
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(200)
        self._reload_timer.timeout.connect(self.reload)
        ctx.synced.connect(lambda _flow: self._reload_timer.start())
        ctx.profile_changed.connect(self._profile_changed)
        self.retranslate()
        self._buttons()

    def _table(self, model: Any, mode: QAbstractItemView.SelectionMode) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(mode)
        view.setAlternatingRowColors(True)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(row_height(view))
        return view

    # -- language -----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        set_page_texts(self, translate("InboxPage", "Needs attention"), translate(
            "InboxPage", "Records that wait for a person, grouped by cause: fix the cause (in K3Cloud, in Fxiaoke or in the mapping), then press \"Retry these\". Nothing is ever created twice."))
        self.search.setPlaceholderText(translate("InboxPage", "Search cause, number, material…"))
        self.refresh_button.setText(translate("InboxPage", "Refresh"))
        self.resolve_button.setText(translate("InboxPage", "Mark resolved"))
        self.resolve_button.setToolTip(translate("InboxPage", "You settled these by hand (or they need no sync): stop listing them"))
        self.retry_button.setToolTip(translate("InboxPage", "Send these records again now that the cause is fixed; K3Cloud is asked first, so nothing is created twice"))
        self._texts()
        self.groups_columns.fit()
        self.records_columns.fit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if is_language_change(event):
            self.retranslate()
        super().changeEvent(event)

    def _texts(self) -> None:
        group = self.selected_group()
        title = translate("InboxPage", "Records of the selected cause") if group is None \
            else translate("InboxPage", "Records waiting on this cause: {n}").format(n=group.count)
        self.records_title.setText(title)
        n = self.groups_model.record_count()
        if not self.ctx.profile_name:
            self.count_label.setText("")
        elif not self.loaded:
            self.count_label.setText(translate("InboxPage", "Loading…"))
        elif not n:
            self.count_label.setText(translate("InboxPage", "Nothing needs attention."))
        elif n == 1:
            self.count_label.setText(translate("InboxPage", "1 record needs attention."))
        else:
            self.count_label.setText(translate("InboxPage", "{n} records need attention ({g} causes).").format(
                n=n, g=self.groups_model.rowCount()))
        self.retry_button.setText(translate("InboxPage", "Retry these ({n})").format(n=len(self._retry_ids())))

    # -- data -----------------------------------------------------------------------------------------
    def selected_group(self) -> InboxGroup | None:
        rows = [i.row() for i in self.groups_view.selectionModel().selectedRows()]
        found = self.groups_proxy.source_rows(rows)
        return found[0] if found else None

    def selected_records(self) -> list[InboxRecord]:
        rows = sorted({i.row() for i in self.records_view.selectionModel().selectedRows()})
        return self.records_proxy.source_rows(rows)

    def _targets(self) -> list[InboxRecord]:
        """The records an action is about: those selected in the lower table, else the whole group."""
        group = self.selected_group()
        if group is None:
            return []
        return self.selected_records() or list(group.records)

    def _retry_ids(self) -> list[int]:
        group = self.selected_group()
        return [r.item_id for r in self._targets()] if group is not None and group.can_retry else []

    def _profile_changed(self, _name: str) -> None:
        self.loaded = False
        self.groups_model.set_rows([])
        self.records_model.set_rows([])
        self.count_changed.emit(0)
        self.reload()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.reload()

    def reload(self) -> None:
        name, ctx = self.ctx.profile_name, self.ctx
        if not name:
            self.groups_model.set_rows([])
            self._show_group()
            return
        keep = self.selected_group()

        def done(groups: list[InboxGroup]) -> None:
            if name != self.ctx.profile_name:
                return
            self.loaded = True
            self.groups_model.set_rows(groups)
            header = self.groups_view.horizontalHeader()
            self.groups_proxy.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
            target = next((i for i, g in enumerate(self.groups_model.rows()) if keep is not None and g.key == keep.key),
                          0 if groups else -1)
            if target >= 0:
                self.groups_view.selectRow(self.groups_proxy.mapFromSource(self.groups_model.index(target, 0)).row())
            self._show_group()
            self.count_changed.emit(self.groups_model.record_count())

        connect = backend.connector(ctx, name)
        ctx.tasks.run(lambda _t: backend.load_inbox(connect), done, ctx.report, lane=NET, name="inbox-load", owner=self,
                      replace=True)

    def _filter(self, text: str) -> None:
        self.groups_proxy.set_text(text)
        self._show_group()

    def _show_group(self) -> None:
        group = self.selected_group()
        self.records_model.set_rows(list(group.records) if group is not None else [])
        self.advice.set_texts(group.title if group else EMPTY, group.advice if group else EMPTY)
        self._buttons()

    def _buttons(self) -> None:
        busy = self.ctx.tasks.is_running(TASK)
        self.retry_button.setEnabled(not busy and bool(self._retry_ids()))
        self.resolve_button.setEnabled(not busy and bool(self._targets()))
        self._texts()

    # -- actions ----------------------------------------------------------------------------------------
    def retry(self) -> None:
        ids = self._retry_ids()
        if not ids or self.ctx.tasks.is_running(TASK):
            return
        ctx = self.ctx
        self.progress.start(lambda: translate("InboxPage", "Retrying {n} records…").format(n=len(ids)), len(ids))

        def done(summary: Any) -> None:
            self.progress.finish()
            self._finished(summary)
            if summary.aborted is not None:
                ctx.report(summary.aborted)
            else:
                self._announce(summary)

        def failed(exc: BaseException) -> None:
            self.progress.finish()
            self._finished(None)
            ctx.report(exc)

        connect = backend.connector(ctx)
        ctx.tasks.run(lambda t: backend.retry(connect, ids, t), done, failed, self.progress.event_received, lane=DB,
                      name=TASK, owner=self)
        self._buttons()

    def resolve(self) -> None:
        targets = self._targets()
        if not targets or not messages.ask(self, translate("InboxPage", "Mark resolved"), translate(
                "InboxPage", "Mark {n} records as resolved by hand? They leave this list and are not sent again by themselves.").format(n=len(targets))):
            return
        ids, ctx = [r.item_id for r in targets], self.ctx
        connect = backend.connector(ctx)
        ctx.tasks.run(lambda t: backend.mark_resolved(connect, ids, t), lambda _r: self._finished(None), ctx.report,
                      lane=DB, name=TASK, owner=self)
        self._buttons()

    def _finished(self, summary: Any) -> None:
        self._buttons()
        self.action_finished.emit(summary)
        for flow in ("customers", "orders"):
            self.ctx.synced.emit(flow)  # the record pages, History and this page reload
        self.reload()

    def _announce(self, summary: Any) -> None:
        bar = getattr(self.window(), "message_bar", None)
        if bar is None:
            return
        failed = sum(1 for i in summary.items if i.status in ("failed", "held"))
        ok = sum(1 for i in summary.items if i.status in ("created", "updated", "skipped"))
        level = "warning" if failed else "success"
        words = QT_TRANSLATE_NOOP("InboxPage", "{ok} records went through, {failed} still need attention.")
        bar.show_message(level, lambda: translate("InboxPage", words).format(ok=ok, failed=failed))
