"""产品 Products: K3Cloud materials with their Fxiaoke product's state; sync them to Fxiaoke after saying how long.

K3Cloud is the master of materials. "Sync to Fxiaoke" first asks core what it would write (only reads), then asks
the user with the counts and the time Fxiaoke's rate limit makes it take, and only then runs the products sync in
the DB lane (progress, Cancel: a run stopped part-way carries on next time).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from core.views import ProductEstimate, ProductRow, RunSummary
from gui import backend, messages
from gui.i18n import current_language, is_language_change, translate
from gui.icons import icon
from gui.models.products import STATE_FILTERS, ProductFilter, ProductsModel, ProductsProxy, state_filter_label
from gui.tasks import DB, NET
from gui.widgets.bars import ProgressStrip
from gui.widgets.columns import ColumnFitter
from gui.widgets.elided import ElidedLabel
from gui.widgets.page import page_layout, row_height, set_page_texts

CTX = "ProductsPage"
TASK = "products-sync"
PHASES = {
    "select": QT_TRANSLATE_NOOP("ProductsPage", "Reading materials from Kingdee and products from Fxiaoke…"),
    "plan": QT_TRANSLATE_NOOP("ProductsPage", "Comparing…"),
    "write": QT_TRANSLATE_NOOP("ProductsPage", "Writing products to Fxiaoke…"),
    "done": QT_TRANSLATE_NOOP("ProductsPage", "Done"),
}


class ProductsPage(QWidget):
    """The materials table, its filter, and the two sync actions (selected materials, or every change)."""

    sync_finished = Signal(object)  # RunSummary

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loaded = False
        self.model = ProductsModel(self)
        self.proxy = ProductsProxy(self)
        self.proxy.setSourceModel(self.model)
        lay = page_layout(self, wrap=False)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.state_box = QComboBox()
        for state in STATE_FILTERS:
            self.state_box.addItem(state_filter_label(state), state)
        self.state_box.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.load_button = QPushButton(icon("load"), "")
        self.load_button.clicked.connect(self.load)
        bar.addWidget(self.search, 2)
        bar.addWidget(self.state_box)
        bar.addWidget(self.load_button)
        lay.addLayout(bar)
        self.progress = ProgressStrip()
        self.progress.cancel_requested.connect(self.cancel)
        lay.addWidget(self.progress)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(row_height(self.table))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        col = self.model.column_of
        self.columns = ColumnFitter(self.table, {col("number"): "MAT-000000", col("modified"): "2026-12-31 23:59",
                                                 col("unit"): "千克千克"}, {col("name"): 1.0, col("state"): 1.2})
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_state())
        lay.addWidget(self.table, 1)
        actions = QHBoxLayout()
        self.count_label = ElidedLabel()
        self.selected_button = QPushButton(icon("sync"), "")
        self.selected_button.clicked.connect(lambda: self.sync(selected=True))
        self.sync_button = QPushButton(icon("sync_white"), "")
        self.sync_button.setProperty("primary", True)
        self.sync_button.clicked.connect(lambda: self.sync(selected=False))
        actions.addWidget(self.count_label, 1)
        actions.addWidget(self.selected_button)
        actions.addWidget(self.sync_button)
        lay.addLayout(actions)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.apply_filter)
        ctx.profile_changed.connect(self._profile_changed)
        self.retranslate()
        self._update_state()

    # -- language -----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        set_page_texts(self, translate("ProductsPage", "Products"), translate(
            "ProductsPage", "Kingdee materials (BD_MATERIAL) and their Fxiaoke products (ProductObj), matched by product code. Kingdee is the master: a sync creates the missing products and updates the changed ones; nothing is deleted."))
        self.search.setPlaceholderText(translate("ProductsPage", "Search material number, name, specification…"))
        for i in range(self.state_box.count()):
            self.state_box.setItemText(i, state_filter_label(self.state_box.itemData(i)))
        self.load_button.setText(translate("ProductsPage", "Load from Kingdee"))
        self.sync_button.setText(translate("ProductsPage", "Sync changes to Fxiaoke"))
        self.sync_button.setToolTip(translate("ProductsPage", "Every material changed since the last sync (all of them the first time), plus the ones that failed before"))
        self._update_state()
        self.columns.fit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if is_language_change(event):
            self.retranslate()
        super().changeEvent(event)

    def _profile_changed(self, _name: str) -> None:
        self.ctx.tasks.cancel("products-load")
        self.model.set_rows([])
        self.loaded = False
        self._update_state()

    # -- state --------------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.ctx.tasks.is_running(TASK) or self.ctx.tasks.is_running("products-plan")

    def selected_rows(self) -> list[ProductRow]:
        return self.proxy.source_rows(sorted({i.row() for i in self.table.selectionModel().selectedRows()}))

    def apply_filter(self) -> None:
        self.proxy.set_filter(ProductFilter(self.search.text(), self.state_box.currentData()))
        self._update_state()

    def _update_state(self) -> None:
        selected = self.selected_rows()
        has_profile = bool(self.ctx.profile_name)
        self.load_button.setEnabled(has_profile and not self.ctx.tasks.is_running("products-load"))
        self.sync_button.setEnabled(has_profile and not self.running)
        self.selected_button.setEnabled(bool(selected) and not self.running)
        self.selected_button.setText(translate("ProductsPage", "Sync selected ({n})").format(n=len(selected)))
        if not has_profile:
            self.count_label.setText(translate("ProductsPage", "No profile yet: fill in the Connections page and save it first."))
        elif not self.loaded:
            self.count_label.setText(translate("ProductsPage", "Press \"Load from Kingdee\" to see the materials and their Fxiaoke products."))
        else:
            self.count_label.setText(translate("ProductsPage", "{shown} of {total} shown, {n} selected").format(
                shown=self.proxy.rowCount(), total=self.model.rowCount(), n=len(selected)))

    # -- loading ------------------------------------------------------------------------------------
    def load(self) -> None:
        if not self.ctx.profile_name:
            return
        connect = backend.connector(self.ctx)
        self.progress.start(lambda: translate("ProductsPage", "Reading materials from Kingdee and products from Fxiaoke…"))

        def done(rows: list[ProductRow]) -> None:
            self.progress.finish()
            self.model.set_rows(rows)
            self.loaded = True
            self.apply_filter()

        def failed(exc: BaseException) -> None:
            self.progress.finish()
            self._update_state()
            self.ctx.report(exc)

        self.ctx.tasks.run(lambda t: backend.load_products(connect, t), done, failed, lane=NET, name="products-load",
                           owner=self, replace=True)
        self._update_state()

    def cancel(self) -> None:
        for name in ("products-load", "products-plan", TASK):
            self.ctx.tasks.cancel(name)
        self.progress.finish()
        self._update_state()

    # -- syncing ------------------------------------------------------------------------------------
    def sync(self, *, selected: bool) -> None:
        """Plan (only reads), confirm with the counts and the time it takes, then write."""
        if not self.ctx.profile_name or self.running:
            return
        numbers = [r.number for r in self.selected_rows()] if selected else None
        if selected and not numbers:
            return
        connect = backend.connector(self.ctx)  # bound now: a profile switch meanwhile must not change the target
        self.progress.start(lambda: translate("ProductsPage", "Working out what to write…"))

        def planned(estimate: ProductEstimate) -> None:
            self.progress.finish()
            self._update_state()
            if self.confirm(estimate):
                self._run(connect, numbers, estimate)

        def failed(exc: BaseException) -> None:
            self.progress.finish()
            self._update_state()
            self.ctx.report(exc)

        self.ctx.tasks.run(lambda _t: backend.plan_products(connect, numbers), planned, failed, lane=NET,
                           name="products-plan", owner=self)
        self._update_state()

    def confirm(self, estimate: ProductEstimate) -> bool:
        """Ask before writing: the counts and how long it takes; nothing to write is said, not asked."""
        bar = getattr(self.window(), "message_bar", None)
        if estimate.creates + estimate.updates == 0:
            if bar is not None:
                held = estimate.held
                bar.show_message("info", lambda: translate("ProductsPage", "Every product in Fxiaoke is up to date: nothing to write."),
                                 (lambda: translate("ProductsPage", "{n} materials need attention (see the Fxiaoke product column).").format(n=held))
                                 if held else "")
            return False
        text = estimate.text.pick(current_language())
        if estimate.held:
            text += "\n" + translate("ProductsPage", "{n} materials need attention first and are left out (see the Fxiaoke product column).").format(n=estimate.held)
        return messages.ask(self, translate("ProductsPage", "Sync products to Fxiaoke"),
                            text + "\n\n" + translate("ProductsPage", "Start now?"), default=True)

    def _run(self, connect: backend.Opener, numbers: list[str] | None, estimate: ProductEstimate) -> None:
        total = estimate.creates + estimate.updates
        self.progress.start(lambda: translate("ProductsPage", "Writing products to Fxiaoke…"), total)

        def progress(event: Any) -> None:
            phase = PHASES.get(event.phase, event.phase)
            writes = event.counts.get("created", 0) + event.counts.get("updated", 0) if event.phase == "write" else 0
            self.progress.update_progress(writes, None, lambda: translate("ProductsPage", phase))

        def done(summary: RunSummary) -> None:
            self.progress.finish()
            self._announce(summary)
            self.ctx.synced.emit("products")
            self._update_state()
            self.sync_finished.emit(summary)
            if self.loaded:
                self.load()

        def failed(exc: BaseException) -> None:
            self.progress.finish()
            self._update_state()
            self.ctx.synced.emit("products")
            self.ctx.report(exc)

        self.ctx.tasks.run(lambda t: backend.run_products(connect, numbers, t), done, failed, progress, lane=DB,
                           name=TASK, owner=self)
        self._update_state()

    def _announce(self, summary: RunSummary) -> None:
        if summary.aborted is not None:
            self.ctx.report(summary.aborted)
            return
        bar = getattr(self.window(), "message_bar", None)
        if bar is None:
            return
        c = summary.counts
        problems = [i for i in summary.items if i.status in ("failed", "held")]

        def text() -> str:
            words = translate("ProductsPage", "Products in Fxiaoke: {created} created, {updated} updated, {skipped} already up to date, {held} need attention, {failed} failed.").format(
                created=c["created"], updated=c["updated"], skipped=c["skipped"], held=c["held"], failed=c["failed"])
            if summary.cancelled:
                words += translate("ProductsPage", " Stopped: the next sync carries on from here.")
            return words

        def advice() -> str:
            first = problems[0]
            return f"{first.source_id}: {backend.error_message(first.error)}"

        bar.show_message("warning" if problems else "success", text, advice if problems else "")
