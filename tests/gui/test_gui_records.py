"""Customers and orders pages: background load with the sync state, lines, preview, cancel, filters."""

from __future__ import annotations

import json
import time

from tests.helpers_gui import click, load_page, proxy_row_of, select_rows, wait_idle


def test_customers_load_and_preview_the_exact_json(qtbot, window, demo_ctx):
    page = load_page(qtbot, window, "customers", days=400)
    assert page.model.rowCount() == 12
    assert {r.state for r in page.model.rows()} == {"new"}
    select_rows(page.table, [0])
    row = page.selected_rows()[0]
    click(qtbot, page.preview_button)
    qtbot.waitUntil(lambda: page.preview_dialog is not None, timeout=20000)
    data = json.loads(page.preview_dialog.text())
    assert data["Model"]["FNumber"] == row.number and data["Model"]["FName"] == row.name
    page.preview_dialog.close()
    # nothing was written by the preview
    assert demo_ctx.sandbox.k3_app.admin("count", {"form_id": "BD_Customer"})["count"] == 10
    wait_idle(qtbot, demo_ctx)


def test_order_lines_show_below_the_selected_order(qtbot, window, demo_ctx):
    page = load_page(qtbot, window, "orders")
    select_rows(page.table, [0])
    qtbot.waitUntil(lambda: page.lines_model.rowCount() > 0, timeout=20000)
    line = page.lines_model.row(0)
    assert line.product and line.product_code.startswith("MAT-") and line.quantity
    order = page.selected_rows()[0]
    assert order.number in page.lines_title.text()
    assert not page.preview_button.isEnabled() or len(page.selected_rows()) == 1
    wait_idle(qtbot, demo_ctx)


def test_cancelled_load_is_silent_and_changed_records_are_flagged(qtbot, window, demo_ctx, prompts):
    window.go("orders")
    page = window.pages["orders"]
    page.load()
    page.cancel()
    wait_idle(qtbot, demo_ctx)
    assert not window.message_bar.isVisible() or window.message_bar.level != "error"
    assert prompts.shown == []
    # sync one order, change it in Fxiaoke, reload: it shows as changed since the last sync
    click(qtbot, page.load_button)
    qtbot.waitUntil(lambda: page.loaded, timeout=20000)
    select_rows(page.table, [0])
    target = page.selected_rows()[0]
    with qtbot.waitSignal(page.sync_finished, timeout=30000):
        click(qtbot, page.sync_button)
    with demo_ctx.workspace(demo_ctx.profile_name) as ws:
        ws.fx.update("SalesOrderObj", target.source_id, {"ship_to_add": "上海市浦东新区世纪大道 1 号"})
    page.loaded = False
    click(qtbot, page.load_button)
    qtbot.waitUntil(lambda: page.loaded, timeout=20000)
    page.state_box.setCurrentIndex(page.state_box.findData("changed"))
    assert page.proxy.rowCount() == 1
    assert page.proxy.source_rows([0])[0].source_id == target.source_id
    wait_idle(qtbot, demo_ctx)


def test_a_very_long_customer_name_is_elided_not_widening_the_window(qtbot, window, demo_ctx):
    from PySide6.QtCore import Qt

    fx = demo_ctx.sandbox.fx_app
    long_name = "上海" + "非常长的客户名称国际贸易发展" * 6 + "有限责任公司"
    account = fx.admin("add_records", {"api_name": "AccountObj", "records": [
        {"name": long_name, "account_no": "CUST-LONG", "tel": "021-1"}]})["ids"][0]
    order = fx.admin("add_records", {"api_name": "SalesOrderObj", "records": [
        {"name": "20991231-LONG01", "account_id": account, "account_id__r": long_name,
         "order_time": int(time.time() * 1000), "order_amount": "1.00", "order_status": "7",
         "life_status": "normal"}]})["ids"][0]
    product = fx.admin("records", {"api_name": "ProductObj"})["records"][0]
    fx.admin("add_records", {"api_name": "SalesOrderProductObj", "records": [
        {"name": "LONG01-1", "order_id": order, "product_id": product["_id"], "product_id__r": product["name"],
         "quantity": "1", "sales_price": "1.00", "subtotal": "1.00", "life_status": "normal"}]})
    narrow = window.minimumSizeHint().width()
    page = load_page(qtbot, window, "orders")
    row = proxy_row_of(page.proxy, lambda r: r.number == "20991231-LONG01")
    select_rows(page.table, [row])
    qtbot.waitUntil(lambda: page.lines_model.rowCount() == 1, timeout=20000)
    assert long_name in page.lines_title.text() and page.lines_title.toolTip() == page.lines_title.text()
    assert window.minimumSizeHint().width() <= max(narrow, 900)  # the title elides instead of widening the window
    assert page.proxy.index(row, 1).data(Qt.ItemDataRole.ToolTipRole) == long_name
    assert page.proxy.index(row, 3).data(Qt.ItemDataRole.ToolTipRole) is None  # short cells need no tooltip
    wait_idle(qtbot, demo_ctx)
