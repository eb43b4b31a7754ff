"""从金蝶回写发货 on the Orders page against the sandbox over real HTTP: shipped orders, one message per out-stock."""

from __future__ import annotations

from tests.helpers_gui import click, load_page, select_rows, wait_idle


def _fx_orders(demo_ctx) -> dict[str, dict]:
    recs = demo_ctx.sandbox.fx_app.admin("records", {"api_name": "SalesOrderObj"})["records"]
    return {r["_id"]: r for r in recs}


def _messages(demo_ctx) -> list[dict]:
    return demo_ctx.sandbox.fx_app.admin("messages", {})["messages"]


def _run(qtbot, page):
    with qtbot.waitSignal(page.deliveries.finished, timeout=30000) as blocker:
        click(qtbot, page.deliveries.button)
    assert page.deliveries.button.isEnabled() and not page.deliveries.progress.isVisible()
    return blocker.args[0]


def test_deliveries_mark_shipped_orders_and_message_each_out_stock_once(qtbot, window, demo_ctx):
    page = load_page(qtbot, window, "orders", days=200)
    select_rows(page.table, [0, 1, 2])
    chosen = page.selected_rows()
    with qtbot.waitSignal(page.sync_finished, timeout=30000):
        click(qtbot, page.sync_button)
    wait_idle(qtbot, demo_ctx)
    shipped, other = chosen[:2], chosen[2]
    bills = demo_ctx.sandbox.k3_app.admin("ship", {"bill_nos": [r.number for r in shipped]})["bill_nos"]
    assert len(bills) == 2
    assert _messages(demo_ctx) == []

    result = _run(qtbot, page)
    assert (result.summary.updated, result.summary.failed) == (2, 0)
    assert result.messages_sent == 2
    fx = _fx_orders(demo_ctx)
    assert [fx[r.source_id]["logistics_status"] for r in shipped] == ["3", "3"]
    assert fx[other.source_id]["logistics_status"] == "1"
    msgs = _messages(demo_ctx)
    assert len(msgs) == 2
    for bill, row in zip(bills, shipped, strict=True):
        mine = [m for m in msgs if bill in m["content"]]
        assert len(mine) == 1 and row.number in mine[0]["content"]
        assert mine[0]["toUser"] == fx[row.source_id]["owner"]
    # the page shows it: the orders' delivery column, the message bar, and History's newest run
    col = page.model.column_of("delivery")
    assert [page.model.index(page.model.find(r.source_id), col).data() for r in shipped] == ["已发货", "已发货"]
    assert page.model.index(page.model.find(other.source_id), col).data() == "待发货"
    bar = window.message_bar
    assert bar.isVisible() and bar.level == "success"
    assert "2 个订单" in bar.text.text() and "2 条消息" in bar.text.text()
    history = window.pages["history"]  # built when first shown: it loads the runs in the background
    wait_idle(qtbot, demo_ctx)
    runs = history.runs_model.rows()
    assert runs[0].flow == "deliveries" and runs[0].status == "done"

    # a second run, even looking back from a date, reports nothing new and messages nobody
    page.deliveries.since_box.setChecked(True)
    page.deliveries.since_edit.setDate(page.deliveries.since_edit.date().addDays(-3))
    again = _run(qtbot, page)
    assert (again.summary.updated, again.summary.skipped, again.messages_sent) == (0, 2, 0)
    assert len(_messages(demo_ctx)) == 2
    wait_idle(qtbot, demo_ctx)


def test_deliveries_with_nothing_shipped_say_so(qtbot, window, demo_ctx):
    window.go("orders")
    page = window.pages["orders"]
    assert page.deliveries.button.isEnabled()
    result = _run(qtbot, page)
    assert result.summary.items == [] and result.messages_sent == 0
    assert window.message_bar.level == "info" and "没有新的" in window.message_bar.text.text()
    assert not page.deliveries.progress.isVisible()
    wait_idle(qtbot, demo_ctx)


def test_deliveries_show_progress_and_cancel_silently(qtbot, window, demo_ctx):
    window.go("orders")
    action = window.pages["orders"].deliveries
    window.message_bar.hide()
    click(qtbot, action.button)
    assert action.running and not action.button.isEnabled() and action.progress.isVisible()
    click(qtbot, action.progress.cancel)
    assert not action.running and action.button.isEnabled() and not action.progress.isVisible()
    wait_idle(qtbot, demo_ctx)
    assert not window.message_bar.isVisible()  # cancelled work is silent
