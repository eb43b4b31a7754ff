"""映射 Mappings: per flow, the ordered field rules; pickers, value maps, validation, preview, import/export, reset."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.errors import MappingError
from core.mapping.fixed import fixed_values, with_fixed_value
from core.mapping.model import FieldRule, Mapping
from core.mapping.transforms import TRANSFORMS
from gui import backend, messages
from gui.i18n import is_language_change, translate
from gui.icons import icon
from gui.models.fixed_values import COL_NAME as COL_FIXED_NAME
from gui.models.fixed_values import COL_PATH as COL_FIXED_PATH
from gui.models.fixed_values import COL_VALUE as COL_FIXED_VALUE
from gui.models.fixed_values import FixedValuesModel
from gui.models.history import flow_name
from gui.models.mapping import (
    COL_ARGS,
    COL_DEFAULT,
    COL_SOURCE,
    COL_TARGET,
    COL_TRANSFORM,
    MappingRulesModel,
    transform_label,
)
from gui.tasks import DB, NET
from gui.widgets.columns import ColumnFitter
from gui.widgets.elided import ElidedLabel
from gui.widgets.json_view import JsonView
from gui.widgets.page import fit_headers, page_layout, set_page_texts
from gui.widgets.pickers import ChoiceDelegate, PickerDelegate
from gui.widgets.ship_status import ShipStatusEditor
from gui.widgets.value_map import ValueMapDialog

CTX = "MappingsPage"
FLOWS = ("orders", "customers", "payments", "deliveries")
#: Flows whose "mapping" is not a rules table: deliveries map shipment states onto an order field (ShipStatusEditor).
SHIP_FLOW = "deliveries"


class MappingsPage(QWidget):
    """Edits the current profile's mapping of one flow; nothing is stored until Save.

    While the mapping loads (``base`` is None) the table and every action on it are disabled: Save must never
    store an empty or stale table.
    """

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.base: Mapping | None = None  # the mapping being edited (rules come from the model)
        self.version = 0
        self.dirty = False
        self.fx_choices: dict[str, list[backend.FieldChoice]] = {}
        self.k3_choices: list[backend.FieldChoice] = []
        self.value_map_dialog: ValueMapDialog | None = None
        self._pickers_for: tuple[str, str] | None = None
        self.model = MappingRulesModel(self)
        self.model.edited.connect(self._edited)
        self.model.edit_error.connect(lambda text: self._show_bar("error", text))
        self.fixed_model = FixedValuesModel(self)
        self.fixed_model.edited.connect(self._edited)
        self.fixed_model.edit_error.connect(lambda text: self._show_bar("error", text))
        lay = page_layout(self)
        top = QHBoxLayout()
        self.flow_box = QComboBox()
        for flow in FLOWS:
            self.flow_box.addItem(flow_name(flow), flow)
        self.flow_box.currentIndexChanged.connect(lambda _i: self.load())
        self.info_label = ElidedLabel()
        self.info_label.setObjectName("PageHint")
        self.fields_button = QPushButton(icon("load"), "")
        self.fields_button.clicked.connect(self.load_pickers)
        self.flow_label = QLabel()
        top.addWidget(self.flow_label)
        top.addWidget(self.flow_box)
        top.addWidget(self.info_label, 1)
        top.addWidget(self.fields_button)
        lay.addLayout(top)
        split = QSplitter(Qt.Orientation.Horizontal)
        # the rules, and the values every document gets (bill type, currency, tax rate): both saved with the mapping
        self.tabs = QTabWidget()
        self.tabs.addTab(self._rules_panel(), "")
        self.tabs.addTab(self._fixed_panel(), "")
        split.addWidget(self.tabs)
        split.addWidget(self._preview_panel())
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.rules_area = QWidget()
        area = QVBoxLayout(self.rules_area)
        area.setContentsMargins(0, 0, 0, 0)
        area.addWidget(split, 1)
        area.addLayout(self._bottom_bar())
        self.ship_editor = ShipStatusEditor(ctx)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.rules_area)
        self.stack.addWidget(self.ship_editor)
        lay.addWidget(self.stack, 1)
        ctx.profile_changed.connect(self._profile_changed)
        self.retranslate()
        self._update_state()
        self._row_buttons()

    # -- language -----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        set_page_texts(self, translate("MappingsPage", "Mappings"), translate(
            "MappingsPage", "How a Fxiaoke record becomes a K3Cloud document. Rows are applied in order (K3Cloud computes totals from prices, so keep prices before totals)."))
        for i in range(self.flow_box.count()):
            self.flow_box.setItemText(i, flow_name(self.flow_box.itemData(i)))
        self.flow_label.setText(translate("MappingsPage", "Flow"))
        self.tabs.setTabText(0, translate("MappingsPage", "Field rules"))
        self.tabs.setTabText(1, translate("MappingsPage", "Fixed values ({n})").format(n=self.fixed_model.rowCount()))
        self.fixed_hint.setText(translate("MappingsPage", "Values every document of this flow gets, whatever the Fxiaoke record says: e.g. the bill type, the currency, the tax rate (%). Double-click a value to change it, then Save."))
        self.fields_button.setText(translate("MappingsPage", "Load field lists"))
        self.fields_button.setToolTip(translate("MappingsPage", "Fill the pickers from Fxiaoke describe and K3Cloud QueryBusinessInfo"))
        self.add_button.setText(translate("MappingsPage", "Add row"))
        self.remove_button.setText(translate("MappingsPage", "Remove"))
        self.up_button.setToolTip(translate("MappingsPage", "Move up"))
        self.down_button.setToolTip(translate("MappingsPage", "Move down"))
        self.value_map_button.setText(translate("MappingsPage", "Value map…"))
        self.value_map_button.setToolTip(translate("MappingsPage", "Edit option value -> K3Cloud value (transform \"map\")"))
        self.record_box.lineEdit().setPlaceholderText(translate("MappingsPage", "Fxiaoke record _id"))
        self.preview_button.setText(translate("MappingsPage", "Preview"))
        self.record_label.setText(translate("MappingsPage", "Record"))
        self.preview_view.setPlaceholderText(translate("MappingsPage", "Pick a record and press Preview to see the exact JSON that would be sent (unsaved edits included)."))
        self.validate_button.setText(translate("MappingsPage", "Validate"))
        self.reset_button.setText(translate("MappingsPage", "Reset to default"))
        self.import_button.setText(translate("MappingsPage", "Import…"))
        self.export_button.setText(translate("MappingsPage", "Export…"))
        self.save_button.setText(translate("MappingsPage", "Save"))
        self._info_text()
        self._update_state()
        fit_headers(self.table)
        self.fixed_columns.fit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if is_language_change(event):
            self.retranslate()
        super().changeEvent(event)

    def _profile_changed(self, _name: str) -> None:
        self._pickers_for = None
        self.load()

    # -- building -----------------------------------------------------------------------------------
    def _rules_panel(self) -> QWidget:
        panel = QWidget()
        lay = QVBoxLayout(panel)
        lay.setContentsMargins(0, 0, 0, 0)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setItemDelegateForColumn(COL_TARGET, PickerDelegate(self._target_choices, self.table))
        self.table.setItemDelegateForColumn(COL_SOURCE, PickerDelegate(self._source_choices, self.table))
        self.table.setItemDelegateForColumn(COL_TRANSFORM, ChoiceDelegate(
            lambda: [(t, transform_label(t)) for t in TRANSFORMS], self.table))
        header = self.table.horizontalHeader()
        # every column keeps a width its header fits in (fit_headers): a narrow window scrolls instead of cutting
        # "Arguments" down to nothing; the last one takes what is left
        header.setStretchLastSection(True)
        for col, width in ((COL_TARGET, 240), (COL_SOURCE, 150), (COL_TRANSFORM, 90), (COL_ARGS, 160),
                           (COL_DEFAULT, 80)):
            self.table.setColumnWidth(col, width)
        self.table.setAlternatingRowColors(True)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._row_buttons())
        lay.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton(icon("add"), "")
        self.add_button.clicked.connect(self.add_rule)
        self.remove_button = QPushButton(icon("remove"), "")
        self.remove_button.clicked.connect(self.remove_rule)
        self.up_button = QPushButton(icon("up"), "")
        self.up_button.clicked.connect(lambda: self.move_rule(-1))
        self.down_button = QPushButton(icon("down"), "")
        self.down_button.clicked.connect(lambda: self.move_rule(1))
        self.value_map_button = QPushButton()
        self.value_map_button.clicked.connect(self.edit_value_map)
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button, self.value_map_button):
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        return panel

    def _fixed_panel(self) -> QWidget:
        panel = QWidget()
        lay = QVBoxLayout(panel)
        lay.setContentsMargins(0, 4, 0, 0)
        self.fixed_hint = QLabel()
        self.fixed_hint.setContentsMargins(4, 0, 4, 0)
        self.fixed_hint.setWordWrap(True)
        self.fixed_hint.setObjectName("PageHint")
        lay.addWidget(self.fixed_hint)
        self.fixed_table = QTableView()
        self.fixed_table.setModel(self.fixed_model)
        self.fixed_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.fixed_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.fixed_table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                         | QAbstractItemView.EditTrigger.EditKeyPressed
                                         | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.fixed_table.verticalHeader().hide()
        self.fixed_table.setAlternatingRowColors(True)
        # every column in view on a small screen: the field path gets the most, the value what is left
        self.fixed_columns = ColumnFitter(self.fixed_table, {}, {COL_FIXED_NAME: 1.0, COL_FIXED_PATH: 1.3,
                                                                 COL_FIXED_VALUE: 0.8}, minimum=80)
        lay.addWidget(self.fixed_table, 1)
        return panel

    def _preview_panel(self) -> QWidget:
        panel = QWidget()
        lay = QVBoxLayout(panel)
        lay.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.record_box = QComboBox()
        self.record_box.setEditable(True)
        self.preview_button = QPushButton(icon("preview"), "")
        self.preview_button.clicked.connect(self.preview)
        self.record_label = QLabel()
        row.addWidget(self.record_label)
        row.addWidget(self.record_box, 1)
        row.addWidget(self.preview_button)
        lay.addLayout(row)
        self.preview_view = JsonView()
        lay.addWidget(self.preview_view, 1)
        return panel

    def _bottom_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.state_label = ElidedLabel()
        self.validate_button = QPushButton(icon("validate"), "")
        self.validate_button.clicked.connect(lambda: self.validate() is not None and self._show_bar(
            "success", lambda: translate("MappingsPage", "The mapping is valid.")))
        self.reset_button = QPushButton(icon("reset"), "")
        self.reset_button.clicked.connect(self.reset)
        self.import_button = QPushButton(icon("import"), "")
        self.import_button.clicked.connect(self.import_file)
        self.export_button = QPushButton(icon("export"), "")
        self.export_button.clicked.connect(self.export_file)
        self.save_button = QPushButton(icon("save_white"), "")
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(self.save)
        bar.addWidget(self.state_label, 1)
        for b in (self.validate_button, self.reset_button, self.import_button, self.export_button, self.save_button):
            bar.addWidget(b)
        return bar

    # -- helpers --------------------------------------------------------------------------------
    @property
    def flow(self) -> str:
        return str(self.flow_box.currentData())

    def _show_bar(self, level: str, text: Any, advice: Any = "") -> None:
        bar = getattr(self.window(), "message_bar", None)
        if bar is not None:
            bar.show_message(level, text, advice)

    def _edited(self) -> None:
        self.dirty = True
        self.model.mark_bad(None)
        self._update_state()
        self._row_buttons()

    def _update_state(self) -> None:
        loaded = self.base is not None
        self.table.setEnabled(loaded)
        self.fixed_table.setEnabled(loaded)
        for button in (self.validate_button, self.reset_button, self.import_button, self.export_button,
                       self.add_button, self.preview_button):
            button.setEnabled(loaded)
        if not loaded:
            self.save_button.setEnabled(False)
            self.state_label.setText(translate("MappingsPage", "Loading the mapping…") if self.ctx.profile_name
                                     else translate("MappingsPage", "No profile yet: fill in the Connections page and save it first."))
            return
        version = translate("MappingsPage", "default mapping") if not self.version else \
            translate("MappingsPage", "saved version {v}").format(v=self.version)
        text = translate("MappingsPage", "{version}, {n} rows").format(version=version, n=self.model.rowCount())
        if self.dirty:
            text += translate("MappingsPage", " — unsaved changes")
        self.state_label.setText(text)
        self.save_button.setEnabled(self.dirty)

    def _info_text(self) -> None:
        mapping = self.base
        if self.flow == SHIP_FLOW:
            self.info_label.setText(translate("MappingsPage", "K3Cloud shipping bills and returns → Fxiaoke SalesOrderObj"))
            return
        if mapping is None:
            self.info_label.clear()
            return
        detail = f" + {mapping.detail_object}" if mapping.detail_object else ""
        self.info_label.setText(translate("MappingsPage", "Fxiaoke {src} → K3Cloud {form}; key field {key}").format(
            src=mapping.source_object + detail, form=mapping.form_id, key=mapping.key_field))

    def _row_buttons(self) -> None:
        row = self.table.currentIndex().row()
        has = row >= 0 and self.base is not None
        self.remove_button.setEnabled(has)
        self.up_button.setEnabled(has and row > 0)
        self.down_button.setEnabled(has and row < self.model.rowCount() - 1)
        self.value_map_button.setEnabled(has and self.model.rule(row).transform == "map")

    def _target_choices(self, _index: QModelIndex) -> list[tuple[str, str]]:
        return [(c.key, c.label) for c in self.k3_choices]

    def _source_choices(self, index: QModelIndex) -> list[tuple[str, str]]:
        if self.base is None:
            return []
        target = self.model.rule(index.row()).target
        if "[]" in target and self.base.detail_object:
            lines = [(c.key, c.label) for c in self.fx_choices.get(self.base.detail_object, [])]
            return lines + [("^" + c.key, c.label) for c in self.fx_choices.get(self.base.source_object, [])]
        return [(c.key, c.label) for c in self.fx_choices.get(self.base.source_object, [])]

    # -- loading ----------------------------------------------------------------------------------
    def load(self) -> None:
        """Read the saved mapping of the flow (or the default) in the background."""
        name, flow = self.ctx.profile_name, self.flow
        ship = flow == SHIP_FLOW
        self.stack.setCurrentWidget(self.ship_editor if ship else self.rules_area)
        self.fields_button.setVisible(not ship)
        if ship:
            self.ctx.tasks.cancel("mapping-load")
            self.base = None
            self._info_text()
            self.ship_editor.load()
            return
        self.base = None  # until it is shown: nothing to save or edit
        if not name:
            self.model.set_rules([])
        self._update_state()
        self._row_buttons()
        if not name:
            self.fixed_model.set_values([])
            return

        connect = backend.connector(self.ctx, name)

        def work(_t: Any) -> tuple[Mapping, int]:
            return backend.load_mapping(connect, flow)

        self.ctx.tasks.run(work, self._show_mapping, self.ctx.report, lane=NET, name="mapping-load", owner=self,
                           replace=True)

    def _show_mapping(self, result: tuple[Mapping, int]) -> None:
        mapping, version = result
        self.base, self.version, self.dirty = mapping, version, False
        self.model.set_rules(mapping.rules)
        self.fixed_model.set_values(fixed_values(mapping))
        self.tabs.setTabText(1, translate("MappingsPage", "Fixed values ({n})").format(n=self.fixed_model.rowCount()))
        self.fixed_columns.fit()
        self._info_text()
        self._update_state()
        self._row_buttons()
        if self._pickers_for == (self.ctx.profile_name, self.flow) or not self.isVisible():
            return
        self.load_pickers()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.base is not None and self._pickers_for != (self.ctx.profile_name, self.flow):
            self.load_pickers()

    def load_pickers(self) -> None:
        """Fill the field pickers and the record list (network, in the background)."""
        if self.base is None or not self.ctx.profile_name or self.flow == SHIP_FLOW:
            return
        mapping, ctx, key = self.base, self.ctx, (self.ctx.profile_name, self.flow)
        self._pickers_for = key
        self.fields_button.setEnabled(False)

        connect = backend.connector(ctx)

        def work(_t: Any) -> tuple[Any, Any, Any]:
            return backend.mapping_choices(connect, mapping)

        def done(result: tuple[Any, Any, Any]) -> None:
            self.fields_button.setEnabled(True)
            self.fx_choices, self.k3_choices, samples = result
            current = self.record_box.currentText()
            self.record_box.clear()
            for source_id, label in samples:
                self.record_box.addItem(f"{label}  ({source_id})", source_id)
            if current:
                self.record_box.setEditText(current)
            self.record_box.lineEdit().setCursorPosition(0)

        def failed(exc: BaseException) -> None:
            self.fields_button.setEnabled(True)
            self._pickers_for = None
            ctx.report(exc)

        ctx.tasks.run(work, done, failed, lane=NET, name="mapping-pickers", owner=self, replace=True)

    # -- editing ----------------------------------------------------------------------------------
    def add_rule(self) -> None:
        row = self.table.currentIndex().row() + 1 if self.table.currentIndex().isValid() else self.model.rowCount()
        self.model.insert_rule(row, FieldRule(target="", source=None, transform="copy"))
        self.table.setCurrentIndex(self.model.index(row, COL_TARGET))
        self.table.edit(self.model.index(row, COL_TARGET))

    def remove_rule(self) -> None:
        self.model.remove_rule(self.table.currentIndex().row())
        self._row_buttons()

    def move_rule(self, delta: int) -> None:
        row = self.table.currentIndex().row()
        new = self.model.move_rule(row, delta)
        self.table.setCurrentIndex(self.model.index(new, COL_TARGET))

    def edit_value_map(self) -> None:
        row = self.table.currentIndex().row()
        if row < 0 or self.base is None:
            return
        rule = self.model.rule(row)
        obj = self.base.detail_object if "[]" in rule.target and self.base.detail_object else self.base.source_object
        source = (rule.source or "").lstrip("^")
        options = next((c.options for c in self.fx_choices.get(obj, []) if c.key == source), None)
        dialog = ValueMapDialog(self, rule.source or rule.target, rule.args, options)
        dialog.applied.connect(lambda args, r=row: self.model.set_args(r, args))
        dialog.destroyed.connect(lambda *_: setattr(self, "value_map_dialog", None))
        self.value_map_dialog = dialog
        dialog.open()

    def current_mapping(self) -> Mapping:
        """The edited mapping, validated; MappingError (with ``row``) when a row is wrong."""
        assert self.base is not None
        data = json.loads(self.base.to_json())  # a copy: the template is edited below
        data["rules"] = [r.to_dict() for r in self.model.rules()]
        mapping = Mapping.from_dict(data)
        for fixed in self.fixed_model.values():
            mapping = with_fixed_value(mapping, fixed.path, fixed.value)
        return mapping

    def validate(self) -> Mapping | None:
        """Validate; a bad row is highlighted and selected, and the message bar names it."""
        if self.base is None:
            return None
        try:
            mapping = self.current_mapping()
        except MappingError as exc:
            if exc.row:
                self.model.mark_bad(exc.row - 1)
                self.table.setCurrentIndex(self.model.index(exc.row - 1, COL_TARGET))
                self.table.scrollTo(self.model.index(exc.row - 1, COL_TARGET))
            self.ctx.report(exc)
            return None
        self.model.mark_bad(None)
        return mapping

    # -- actions ------------------------------------------------------------------------------------
    def preview(self) -> None:
        mapping = self.validate()
        source_id = self.record_box.currentData() or self.record_box.currentText().strip()
        if mapping is None or not source_id:
            return
        ctx, flow = self.ctx, self.flow
        self.preview_button.setEnabled(False)

        def done(text: str) -> None:
            self.preview_button.setEnabled(True)
            self.preview_view.set_json(text)

        def failed(exc: BaseException) -> None:
            self.preview_button.setEnabled(True)
            self.preview_view.setPlainText("")
            if isinstance(exc, MappingError) and exc.row:
                self.model.mark_bad(exc.row - 1)
            ctx.report(exc)

        conn = backend.connector(ctx)  # the profile of the click, not of when the task runs
        ctx.tasks.run(lambda _t: backend.preview(conn, flow, str(source_id), mapping), done, failed,
                      lane=NET, name="mapping-preview", owner=self, replace=True)

    def save(self) -> None:
        mapping = self.validate()
        if mapping is None:
            return
        ctx, flow, connect = self.ctx, self.flow, backend.connector(self.ctx)

        def work(_t: Any) -> int:
            return backend.save_mapping(connect, flow, mapping)

        def done(version: int) -> None:
            self.base, self.version, self.dirty = mapping, version, False
            self._update_state()
            self._show_bar("success", lambda: translate("MappingsPage", "Mapping saved as version {v}.").format(v=version))
            ctx.mapping_saved.emit(flow)

        ctx.tasks.run(work, done, ctx.report, lane=DB, name="mapping-save", owner=self)

    def reset(self) -> None:
        if not messages.ask(self, translate("MappingsPage", "Reset mapping"), translate("MappingsPage", "Replace the {flow} mapping with the shipped default? The current one stays in the version history.").format(flow=flow_name(self.flow))):
            return
        ctx, flow, connect = self.ctx, self.flow, backend.connector(self.ctx)
        ctx.tasks.run(lambda _t: backend.reset_mapping(connect, flow), lambda _v: self.load(),
                      ctx.report, lane=DB, name="mapping-reset", owner=self)

    def import_file(self) -> None:
        path = messages.open_file(self, translate("MappingsPage", "Import mapping"), translate("MappingsPage", "JSON files (*.json)"))
        if not path:
            return
        ctx, flow, connect = self.ctx, self.flow, backend.connector(self.ctx)
        ctx.tasks.run(lambda _t: backend.import_mapping(connect, flow, path),
                      lambda _v: self.load(), ctx.report, lane=DB, name="mapping-import", owner=self)

    def export_file(self) -> None:
        mapping = self.validate()
        if mapping is None:
            return
        from core import paths

        path = messages.save_file(self, translate("MappingsPage", "Export mapping"), translate("MappingsPage", "JSON files (*.json)"),
                                  str(paths.exports_dir() / f"mapping-{self.flow}.json"))
        if not path:
            return

        def work(_t: Any) -> None:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(mapping.to_json() + "\n")

        self.ctx.tasks.run(work, None, self.ctx.report, lane=NET, name="mapping-export", owner=self)
