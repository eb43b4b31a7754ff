"""Mappings page against the sandbox: pickers from describe/QueryBusinessInfo, edit, validate, preview, save, reset."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from gui.models.mapping import COL_ARGS, COL_SOURCE, COL_TARGET, COL_TRANSFORM
from tests.helpers_gui import click, wait_idle


def _open(qtbot, window, ctx, flow="orders"):
    window.go("mappings")
    page = window.pages["mappings"]
    page.flow_box.setCurrentIndex(page.flow_box.findData(flow))
    qtbot.waitUntil(lambda: page.base is not None and page.base.flow == flow, timeout=5000)
    qtbot.waitUntil(lambda: page.record_box.count() > 0, timeout=20000)
    wait_idle(qtbot, ctx)
    return page


def test_pickers_are_filled_from_both_sides(qtbot, window, demo_ctx):
    page = _open(qtbot, window, demo_ctx)
    fx_orders = {c.key for c in page.fx_choices["SalesOrderObj"]}
    assert {"name", "order_time", "account_id"} <= fx_orders
    assert "quantity" in {c.key for c in page.fx_choices["SalesOrderProductObj"]}
    targets = {c.key for c in page.k3_choices}
    assert "FBillNo" in targets and any(t.startswith("FSaleOrderEntry[].") for t in targets)
    # a [] row offers the line object's fields and the master's as ^field
    entry_row = next(i for i, r in enumerate(page.model.rules()) if r.target.startswith("FSaleOrderEntry[]"))
    keys = [k for k, _label in page._source_choices(page.model.index(entry_row, COL_SOURCE))]
    assert "quantity" in keys and "^name" in keys


def test_edit_a_mapping_and_preview_it_then_save(qtbot, window, demo_ctx):
    page = _open(qtbot, window, demo_ctx)
    # add a constant remark after the first row, as a user would: Add row, then fill the cells
    page.table.setCurrentIndex(page.model.index(0, COL_TARGET))
    click(qtbot, page.add_button)
    page.table.closePersistentEditor(page.model.index(1, COL_TARGET))
    model = page.model
    assert model.setData(model.index(1, COL_TARGET), "FNote")
    assert model.setData(model.index(1, COL_TRANSFORM), "const")
    assert model.setData(model.index(1, COL_ARGS), json.dumps({"value": "来自纷享销客"}, ensure_ascii=False))
    assert page.dirty and "未保存" in page.state_label.text()
    click(qtbot, page.preview_button)
    qtbot.waitUntil(lambda: "FNote" in page.preview_view.toPlainText(), timeout=20000)
    payload = json.loads(page.preview_view.toPlainText())
    model_keys = list(payload["Model"])
    assert payload["Model"]["FNote"] == "来自纷享销客"
    assert model_keys.index("FBillNo") < model_keys.index("FNote")  # order kept as written
    click(qtbot, page.save_button)
    qtbot.waitUntil(lambda: page.version == 1 and not page.dirty, timeout=5000)
    from core.mapping.repo import MappingRepo

    saved = MappingRepo(demo_ctx.db).get(demo_ctx.repo.profile_id(demo_ctx.profile_name), "orders")
    assert saved.rules[1].target == "FNote"
    wait_idle(qtbot, demo_ctx)


def test_validation_names_and_highlights_the_bad_row(qtbot, window, demo_ctx):
    page = _open(qtbot, window, demo_ctx)
    model = page.model
    assert model.setData(model.index(2, COL_TRANSFORM), "map")  # a value map without values
    click(qtbot, page.validate_button)
    assert model.bad_row == 2
    assert page.table.currentIndex().row() == 2
    assert model.index(2, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert window.message_bar.level == "error" and "第 3 行" in window.message_bar.text.text()
    # nothing was saved
    assert page.version == 0


def test_value_map_editor_sets_the_rule_args(qtbot, window, demo_ctx):
    page = _open(qtbot, window, demo_ctx, flow="customers")
    model = page.model
    row = model.rowCount()
    page.table.setCurrentIndex(model.index(row - 1, COL_TARGET))
    click(qtbot, page.add_button)
    page.table.closePersistentEditor(model.index(row, COL_TARGET))
    model.setData(model.index(row, COL_TARGET), "FCustTypeId.FNumber")
    model.setData(model.index(row, COL_SOURCE), "account_type")
    model.setData(model.index(row, COL_TRANSFORM), "map")
    page.table.setCurrentIndex(model.index(row, COL_TARGET))
    click(qtbot, page.value_map_button)
    dialog = page.value_map_dialog
    assert dialog is not None and dialog.model.rowCount() >= 1  # options of account_type from describe
    first_option = dialog.model.index(0, 0).data()
    dialog.model.setData(dialog.model.index(0, 2), "KHLB001_SYS")
    dialog.accept()
    assert model.rule(row).args["values"] == {first_option: "KHLB001_SYS"}
    assert page.validate() is not None


def test_reset_to_default_after_a_saved_change(qtbot, window, demo_ctx, prompts):
    page = _open(qtbot, window, demo_ctx)
    page.model.remove_rule(0)
    click(qtbot, page.save_button)
    assert page.version == 0  # the key field row is gone: validation refuses to save
    page.model.set_rules(page.base.rules)
    page.model.setData(page.model.index(0, COL_SOURCE), "name")
    page.dirty = True
    click(qtbot, page.save_button)
    qtbot.waitUntil(lambda: page.version == 1, timeout=5000)
    prompts.answers["question"] = True
    click(qtbot, page.reset_button)
    qtbot.waitUntil(lambda: page.version == 2, timeout=5000)
    assert "question" in prompts.kinds()
    wait_idle(qtbot, demo_ctx)


def test_export_then_import_a_mapping_file(qtbot, window, demo_ctx, prompts, tmp_path):
    page = _open(qtbot, window, demo_ctx, flow="customers")
    page.model.setData(page.model.index(1, COL_SOURCE), "account_no")  # FName <- account_no, a visible change
    target = tmp_path / "mapping-customers.json"
    prompts.answers["save_file"] = str(target)
    click(qtbot, page.export_button)
    qtbot.waitUntil(target.exists, timeout=5000)
    exported = json.loads(target.read_text("utf-8"))
    assert exported["flow"] == "customers" and exported["rules"][1]["source"] == "account_no"
    # a broken file is refused and names the row; nothing is saved
    bad = tmp_path / "bad.json"
    exported["rules"][0]["transform"] = "nonsense"
    bad.write_text(json.dumps(exported, ensure_ascii=False), "utf-8")
    prompts.answers["open_file"] = str(bad)
    click(qtbot, page.import_button)
    qtbot.waitUntil(lambda: window.message_bar.isVisible() and window.message_bar.level == "error", timeout=5000)
    assert "nonsense" in window.message_bar.text.text()
    assert page.version == 0
    prompts.answers["open_file"] = str(target)
    click(qtbot, page.import_button)
    qtbot.waitUntil(lambda: page.version == 1, timeout=5000)
    assert page.model.rule(1).source == "account_no" and not page.dirty
    wait_idle(qtbot, demo_ctx)
