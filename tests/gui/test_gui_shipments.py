"""Shipments in the GUI against the sandbox: 模拟发货 in demo mode (part of an order, then the rest, then a return)
and the shipment states on the Mappings page, picked from the order's describe."""

from __future__ import annotations

from core.sync.ship_status import ShipStatusMapping
from tests.helpers_gui import click, load_page, proxy_row_of, select_rows, wait_idle


def _fx_order(demo_ctx, order_id: str) -> dict:
    recs = demo_ctx.sandbox.fx_app.admin("records", {"api_name": "SalesOrderObj"})["records"]
    return next(r for r in recs if r["_id"] == order_id)


def _messages(demo_ctx) -> list[dict]:
    return demo_ctx.sandbox.fx_app.admin("messages", {})["messages"]


def _dialog(qtbot, page):
    click(qtbot, page.ship_button)
    dialog = page.ship_dialog
    assert dialog is not None and not page.ship_button.isEnabled()  # one dialog at a time
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0, timeout=30000)
    return dialog


def _record(qtbot, page, dialog, button):
    with qtbot.waitSignal(page.deliveries.finished, timeout=30000) as blocker:
        click(qtbot, button)
    qtbot.waitUntil(lambda: page.ship_dialog is None, timeout=5000)
    return blocker.args[0]


def test_simulate_shipment_ships_part_then_the_rest_then_a_return_and_the_order_follows(qtbot, window, demo_ctx):
    page = load_page(qtbot, window, "orders", days=200)
    row = proxy_row_of(page.proxy, lambda r: True)
    select_rows(page.table, [row])
    assert not page.ship_button.isEnabled()  # not in K3Cloud yet: nothing to ship
    with qtbot.waitSignal(page.sync_finished, timeout=30000):
        click(qtbot, page.sync_button)
    wait_idle(qtbot, demo_ctx)
    (order,) = page.selected_rows()
    assert page.ship_button.isEnabled()

    dialog = _dialog(qtbot, page)
    lines = [r.line for r in dialog.model.rows()]
    assert [ln.shipped for ln in lines] == [0] * len(lines) and dialog.model.rows()[0].qty == lines[0].ordered
    qty = dialog.model.qty_column
    for i in range(1, dialog.model.rowCount()):
        dialog.model.setData(dialog.model.index(i, qty), 0)
    dialog.model.setData(dialog.model.index(0, qty), 1)
    assert not dialog.return_button.isEnabled()  # nothing shipped yet, nothing to return
    result = _record(qtbot, page, dialog, dialog.ship_button)
    partly = "3" if len(lines) == 1 and lines[0].ordered == 1 else "2"
    assert result.order_states == {order.source_id: "shipped" if partly == "3" else "partly"}
    assert _fx_order(demo_ctx, order.source_id)["logistics_status"] == partly
    assert page.model.index(page.model.find(order.source_id), page.model.column_of("delivery")).data() == (
        "已发货" if partly == "3" else "部分发货")
    assert len(_messages(demo_ctx)) == 1
    wait_idle(qtbot, demo_ctx)

    dialog = _dialog(qtbot, page)  # the rest: the dialog offers what is still open
    assert dialog.model.rows()[0].line.shipped == 1
    _record(qtbot, page, dialog, dialog.ship_button)
    assert _fx_order(demo_ctx, order.source_id)["logistics_status"] == "3"
    assert len(_messages(demo_ctx)) == 2 and "已发货" in _messages(demo_ctx)[1]["content"]
    wait_idle(qtbot, demo_ctx)

    dialog = _dialog(qtbot, page)
    for i in range(dialog.model.rowCount()):
        dialog.model.setData(dialog.model.index(i, qty), 1 if i == 0 else 0)
    assert dialog.return_button.isEnabled()
    _record(qtbot, page, dialog, dialog.return_button)
    back = "1" if sum(ln.ordered for ln in lines) == 1 else "2"  # one returned: partly shipped again
    assert _fx_order(demo_ctx, order.source_id)["logistics_status"] == back
    assert len(_messages(demo_ctx)) == 3 and "销售退货单" in _messages(demo_ctx)[2]["content"]
    wait_idle(qtbot, demo_ctx)


def test_shipment_states_are_picked_from_the_describe_on_the_mappings_page(qtbot, window, demo_ctx):
    window.go("mappings")
    page = window.pages["mappings"]
    page.flow_box.setCurrentIndex(page.flow_box.findData("deliveries"))
    editor = page.ship_editor
    assert page.stack.currentWidget() is editor and not page.fields_button.isVisible()
    qtbot.waitUntil(lambda: editor.saved is not None and editor.field_box.count() > 0, timeout=30000)
    assert editor.current() == ShipStatusMapping() and not editor.save_button.isEnabled()
    editor.field_box.setCurrentIndex(editor.field_box.findData("field_ship_state__c"))
    assert editor.current() is None and not editor.save_button.isEnabled()  # options not picked yet
    labels = [editor.option_boxes["shipped"].itemText(i) for i in range(editor.option_boxes["shipped"].count())]
    assert "已发货 (c8Rz1mHv0)" in labels
    for state, value in (("shipped", "c8Rz1mHv0"), ("partly", "Wb3s9LpaT"), ("none", "n4Ke7Qx2d")):
        box = editor.option_boxes[state]
        box.setCurrentIndex(box.findData(value))
    click(qtbot, editor.save_button)
    qtbot.waitUntil(lambda: window.message_bar.isVisible() and window.message_bar.level == "success", timeout=30000)
    with demo_ctx.workspace(demo_ctx.profile_name) as ws:
        assert ws.ship_status() == ShipStatusMapping("field_ship_state__c", "c8Rz1mHv0", "Wb3s9LpaT", "n4Ke7Qx2d")
    assert not editor.save_button.isEnabled()
    page.flow_box.setCurrentIndex(page.flow_box.findData("payments"))
    qtbot.waitUntil(lambda: page.base is not None, timeout=30000)
    assert page.stack.currentWidget() is page.rules_area and page.base.form_id == "AR_RECEIVEBILL"
    wait_idle(qtbot, demo_ctx)
