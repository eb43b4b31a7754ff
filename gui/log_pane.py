"""The log pane: every API exchange live, filterable, with redacted JSON, the code's explanation, copy and export."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from core import paths
from gui import messages
from gui.i18n import is_language_change, pick, translate
from gui.icons import icon
from gui.models.exchanges import ExchangeModel, ExchangeProxy, is_error, side_label
from gui.tasks import DB
from gui.widgets.columns import ColumnFitter
from gui.widgets.json_view import JsonView
from gui.widgets.page import row_height


class LogPane(QDockWidget):
    """A bottom dock fed by ``AppContext.bus``; ``secrets`` returns the current profile's secret values."""

    exported = Signal(str)
    export_failed = Signal(str, str)  # path, reason (e.g. no write permission): a known failure, not a crash

    def __init__(self, parent: QWidget | None = None, secrets: Callable[[], list[str]] | None = None,
                 profile: Callable[[], str] | None = None, tasks: Any = None) -> None:
        super().__init__("", parent)
        self.setObjectName("LogPane")
        self._tasks = tasks
        self._secrets = secrets or (lambda: [])
        self._profile = profile or (lambda: "")
        self.model = ExchangeModel(self)
        self.proxy = ExchangeProxy(self)
        self.proxy.setSourceModel(self.model)
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(6, 4, 6, 6)
        lay.addLayout(self._filter_bar())
        # one run's calls from the exchange log (History → "API calls of the run"), instead of the live ones
        self.run_model: ExchangeModel | None = None
        self.run_id: int | None = None
        self.run_bar = QWidget()
        run_row = QHBoxLayout(self.run_bar)
        run_row.setContentsMargins(0, 0, 0, 0)
        self.run_label = QLabel()
        self.run_label.setObjectName("RunFilter")
        self.live_button = QPushButton()
        self.live_button.clicked.connect(self.show_live)
        run_row.addWidget(self.run_label, 1)
        run_row.addWidget(self.live_button)
        self.run_bar.hide()
        lay.addWidget(self.run_bar)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(row_height(self.table, 6))
        # the endpoint gets what is left, so a narrow (small-screen) pane cuts no number
        self.columns = ColumnFitter(self.table, {0: "00:00:00", 1: lambda: max(
            (side_label(s) for s in ("fxiaoke", "k3cloud")), key=len), 3: "999", 4: "30003", 5: "99,999 ms"},
            {2: 1.0}, minimum=120)
        self.table.selectionModel().selectionChanged.connect(self._show_current)
        split.addWidget(self.table)
        self.details = QTabWidget()
        self.request_view = JsonView()
        self.response_view = JsonView()
        self.explanation = QTextBrowser()
        self.explanation.setOpenExternalLinks(False)
        for view in (self.explanation, self.request_view, self.response_view):
            self.details.addTab(view, "")
        split.addWidget(self.details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay.addWidget(split, 1)
        self.setWidget(body)
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(translate("LogPane", "API log"))
        for i, text in enumerate((translate("LogPane", "Explanation"), translate("LogPane", "Request"),
                                  translate("LogPane", "Response"))):
            self.details.setTabText(i, text)
        for i, text in enumerate((translate("LogPane", "All sides"), side_label("fxiaoke"), side_label("k3cloud"))):
            self.side_box.setItemText(i, text)
        self.errors_only.setText(translate("LogPane", "Errors only"))
        self.filter_edit.setPlaceholderText(translate("LogPane", "Filter: endpoint, code, trace id…"))
        self.copy_button.setText(translate("LogPane", "Copy"))
        self.copy_button.setToolTip(translate("LogPane", "Copy the selected exchanges as JSON"))
        self.export_button.setText(translate("LogPane", "Export evidence…"))
        self.export_button.setToolTip(translate(
            "LogPane", "Save the selected exchanges (redacted) as a zip file for a support ticket"))
        self.clear_button.setText(translate("LogPane", "Clear"))
        self.live_button.setText(translate("LogPane", "Show all calls"))
        if self.run_id is not None:
            n = self.run_model.rowCount() if self.run_model is not None else 0
            self.run_label.setText(translate("LogPane", "Showing the {n} API calls of run #{id} (from the exchange log).")
                                   .format(n=n, id=self.run_id) if n else
                                   translate("LogPane", "Run #{id} made no API call that was recorded (it stopped before it called either side).")
                                   .format(id=self.run_id))
        self._update_count()
        self._show_current()
        self.columns.fit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if is_language_change(event):
            self.retranslate()
        super().changeEvent(event)

    def _filter_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.side_box = QComboBox()
        for side in ("", "fxiaoke", "k3cloud"):
            self.side_box.addItem("", side)
        self.side_box.currentIndexChanged.connect(lambda: self.proxy.update(side=self.side_box.currentData()))
        self.errors_only = QCheckBox()
        self.errors_only.toggled.connect(lambda on: self.proxy.update(errors_only=on))
        self.filter_edit = QLineEdit()
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(lambda t: self.proxy.update(text=t))
        self.count_label = QLabel()
        self.copy_button = QPushButton(icon("copy"), "")
        self.copy_button.clicked.connect(self.copy_selected)
        self.export_button = QPushButton(icon("export"), "")
        self.export_button.clicked.connect(self.export_selected)
        self.clear_button = QPushButton()
        self.clear_button.clicked.connect(self.model.clear)
        for w in (self.side_box, self.errors_only):
            bar.addWidget(w)
        bar.addWidget(self.filter_edit, 1)
        for w in (self.count_label, self.copy_button, self.export_button, self.clear_button):
            bar.addWidget(w)
        self.model.rowsInserted.connect(self._update_count)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsRemoved.connect(self._update_count)
        return bar

    # -- feeding --------------------------------------------------------------------------------
    def add(self, record: Any) -> None:
        """Slot for ``ExchangeBus.received`` (GUI thread)."""
        bar = self.table.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 2
        self.model.add(record)
        if at_end and self.run_id is None:
            self.table.scrollToBottom()

    def show_run(self, run_id: int, records: list[Any]) -> None:
        """Shows only the calls of run ``run_id`` (read from the exchange log), its last error selected."""
        old = self.run_model
        self.run_model = ExchangeModel(self, max_rows=max(1, len(records)))
        self.run_model.set_rows(records)
        self.run_id = run_id
        self.proxy.setSourceModel(self.run_model)
        if old is not None:
            old.deleteLater()
        self.run_bar.show()
        self.details.setCurrentIndex(0)  # what the stopping call's code means
        self.retranslate()
        self.show()
        self.raise_()
        if not self.select_last_error() and self.proxy.rowCount():
            self.select_proxy_row(self.proxy.rowCount() - 1)

    def show_live(self) -> None:
        """Back to every call of this session, as they come."""
        self.run_id = None
        self.proxy.setSourceModel(self.model)
        if self.run_model is not None:
            self.run_model.deleteLater()
        self.run_model = None
        self.run_bar.hide()
        self.retranslate()
        self.table.scrollToBottom()

    def _update_count(self) -> None:
        model = self.run_model if self.run_id is not None and self.run_model is not None else self.model
        total = model.rowCount()
        errors = sum(1 for r in model.rows() if is_error(r)) if total < 20000 else 0
        self.count_label.setText(translate("LogPane", "{n} calls, 1 error").format(n=total) if errors == 1
                                 else translate("LogPane", "{n} calls, {e} errors").format(n=total, e=errors))

    # -- selection and details --------------------------------------------------------------------
    def selected_records(self) -> list[Any]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return self.proxy.source_rows(rows)

    def select_last_error(self) -> bool:
        """Select the newest error row (the message bar's "Show exchange")."""
        for r in range(self.proxy.rowCount() - 1, -1, -1):
            rec = self.proxy.source_rows([r])[0]
            if is_error(rec):
                self.select_proxy_row(r)
                return True
        return False

    def select_proxy_row(self, row: int) -> None:
        index = self.proxy.index(row, 0)
        self.table.selectionModel().select(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def _show_current(self, *_: Any) -> None:
        recs = self.selected_records()
        has = bool(recs)
        self.copy_button.setEnabled(has)
        self.export_button.setEnabled(has)
        if not has:
            self.request_view.clear()
            self.response_view.clear()
            hint = translate("LogPane", "Select a call to see the request, the response and what its code means.")
            self.explanation.setHtml(f"<p style='color:#6b7280'>{hint}</p>")
            return
        rec = recs[-1]
        self.request_view.set_json(rec.request_body)
        self.response_view.set_json(rec.response_body)
        self.explanation.setHtml(self._explanation_html(rec))

    def _explanation_html(self, rec: Any) -> str:
        at = rec.at.astimezone().strftime("%Y-%m-%d %H:%M:%S") if isinstance(rec.at, datetime) else ""
        rows = [
            (translate("LogPane", "Side"), side_label(rec.side)),
            (translate("LogPane", "Endpoint"), f"{rec.method} {rec.url}"),
            (translate("LogPane", "Time"), at),
            (translate("LogPane", "HTTP status"), "—" if rec.status is None else str(rec.status)),
            (translate("LogPane", "Code"), rec.code or "—"),
            (translate("LogPane", "Elapsed"), f"{rec.elapsed_ms:,.0f} ms"),
        ]
        if getattr(rec, "trace_id", None):
            rows.append((translate("LogPane", "Trace id"), rec.trace_id))
        table = "".join(f"<tr><td style='color:#6b7280;padding-right:12px'>{k}</td><td>{_esc(v)}</td></tr>"
                        for k, v in rows)
        from core.evidence import explain  # start-up speed: core.evidence brings the HTTP layer (requests)

        parts: list[str] = []
        exp = explain(rec)
        meaning, todo = translate("LogPane", "What it means"), translate("LogPane", "What to do")
        if exp is not None:
            parts.append(f"<p><b>{meaning}</b><br>{_esc(pick(exp[0]))}</p>")
            if pick(exp[1]):
                parts.append(f"<p><b>{todo}</b><br>{_esc(pick(exp[1]))}</p>")
        if getattr(rec, "error", None):
            title = translate("LogPane", "Transport error")
            parts.append(f"<p style='color:#b91c1c'><b>{title}</b><br>{_esc(rec.error)}</p>")
        if exp is None and not is_error(rec):
            ok = translate("LogPane", "The call succeeded.")
            parts.append(f"<p style='color:#15803d'>{ok}</p>")
        parts.append(f"<table>{table}</table>")
        return "".join(parts)

    # -- copy / export --------------------------------------------------------------------------
    def copy_selected(self) -> None:
        recs = self.selected_records()
        if not recs:
            return
        from core.evidence import record_dict  # start-up speed (see _explanation_html)

        payload = [record_dict(r) for r in recs]
        QGuiApplication.clipboard().setText(json.dumps(payload if len(payload) > 1 else payload[0],
                                                       ensure_ascii=False, indent=2))

    def export_selected(self) -> None:
        recs = self.selected_records()
        if not recs:
            return
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        start = str(paths.exports_dir() / f"fxk3sync-evidence-{stamp}.zip")
        target = messages.save_file(self, translate("LogPane", "Export evidence bundle"),
                                    translate("LogPane", "Zip files (*.zip)"), start)
        if not target:
            return
        profile, secrets_of = self._profile(), self._secrets

        def work(_t: Any) -> str:  # the keyring read and the zip write stay off the GUI thread
            from core.evidence import export_bundle  # start-up speed (see _explanation_html)

            try:
                return str(export_bundle(recs, target, profile=profile, secrets=secrets_of()))
            except OSError as exc:
                raise _ExportError(exc.strerror or str(exc)) from exc

        def failed(exc: BaseException) -> None:
            if isinstance(exc, _ExportError):
                self.export_failed.emit(target, str(exc))
            elif self._tasks is not None and self._tasks.error_handler is not None:
                self._tasks.error_handler(exc)  # unexpected: the window's crash dialog
            else:
                raise exc

        if self._tasks is None:
            try:
                self.exported.emit(work(None))
            except _ExportError as exc:
                failed(exc)
            return
        self._tasks.run(work, self.exported.emit, failed, lane=DB, name="evidence-export", owner=self)


class _ExportError(Exception):
    """The evidence file could not be written (the reason is the OS's words)."""


def _esc(text: Any) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
