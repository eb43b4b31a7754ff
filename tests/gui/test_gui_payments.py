"""Payments page against the sandbox over real HTTP: a payment whose order is not in K3Cloud waits, then goes."""

from __future__ import annotations

from core.views import HELD, SYNCED
from tests.helpers_gui import click, load_page, proxy_row_of, select_rows, wait_idle


def _message(window) -> str:
    bar = window.message_bar
    return bar.text.text() + " " + bar.advice.text() if bar.isVisible() else ""


def _sync(qtbot, page):
    with qtbot.waitSignal(page.sync_finished, timeout=30000) as blocker:
        click(qtbot, page.sync_button)
    return blocker.args[0]


def test_a_payment_waits_for_its_order_then_becomes_a_receipt(qtbot, window, demo_ctx):
    page = load_page(qtbot, window, "payments", days=400)
    assert page.model.rowCount() > 0 and not hasattr(page, "lines_view")  # no lines pane on this page
    row = proxy_row_of(page.proxy, lambda r: bool(r.extra))
    assert row >= 0
    select_rows(page.table, [row])
    (payment,) = page.selected_rows()
    summary = _sync(qtbot, page)
    assert [i.status for i in summary.items if i.flow == "payments"] == ["held"]
    assert payment.state == HELD and payment.error.code == "order_not_synced"
    state = page.proxy.index(row, page.model.column_of("state")).data()
    assert state.startswith("待处理") and payment.extra in state
    assert window.message_bar.level == "warning" and payment.extra in _message(window)
    assert not demo_ctx.sandbox.k3_app.admin("records", {"form_id": "AR_RECEIVEBILL"})["records"]
    wait_idle(qtbot, demo_ctx)

    orders = load_page(qtbot, window, "orders", days=400)
    select_rows(orders.table, [proxy_row_of(orders.proxy, lambda r: r.number == payment.extra)])
    with qtbot.waitSignal(orders.sync_finished, timeout=30000):
        click(qtbot, orders.sync_button)
    wait_idle(qtbot, demo_ctx)

    window.go("payments")
    select_rows(page.table, [proxy_row_of(page.proxy, lambda r: r.source_id == payment.source_id)])
    summary = _sync(qtbot, page)
    assert [i.status for i in summary.items if i.flow == "payments"] == ["created"]
    assert payment.state == SYNCED and payment.k3_number == payment.number
    receipts = demo_ctx.sandbox.k3_app.admin("records", {"form_id": "AR_RECEIVEBILL"})["records"]
    assert [r["FBillNo"] for r in receipts] == [payment.number]
    assert receipts[0]["FRECEIVEBILLENTRY"][0]["FSALEORDERNO"] == payment.extra
    assert window.message_bar.level == "success"
    history = window.pages["history"]  # built when first shown: it loads the runs in the background
    wait_idle(qtbot, demo_ctx)
    runs = history.runs_model.rows()
    assert runs[0].flow == "payments"
