"""History page: a failed order shows its reason; after fixing the cause, "retry selected" creates it once."""

from __future__ import annotations

from tests.helpers_gui import (
    MISSING_MATERIAL,
    add_order_with_missing_material,
    click,
    load_page,
    proxy_row_of,
    select_rows,
    wait_idle,
)


def _sync_two_with_one_bad(qtbot, window, ctx):
    bad_id = add_order_with_missing_material(ctx.sandbox)
    page = load_page(qtbot, window, "orders")
    bad = proxy_row_of(page.proxy, lambda r: r.source_id == bad_id)
    good = proxy_row_of(page.proxy, lambda r: r.source_id != bad_id)
    select_rows(page.table, [bad, good])
    with qtbot.waitSignal(page.sync_finished, timeout=30000) as blocker:
        click(qtbot, page.sync_button)
    return bad_id, blocker.args[0], page


def test_failed_item_shows_reason_and_retry_after_fix_creates_it_once(qtbot, window, demo_ctx):
    bad_id, summary, orders = _sync_two_with_one_bad(qtbot, window, demo_ctx)
    assert sorted(i.status for i in summary.items if i.flow == "orders") == ["created", "failed"]
    bad_row = orders.model.row(orders.model.find(bad_id))
    assert bad_row.state == "failed" and MISSING_MATERIAL in bad_row.error.message.zh
    assert window.message_bar.level == "warning" and MISSING_MATERIAL in window.message_bar.advice.text()

    window.go("history")
    page = window.pages["history"]
    qtbot.waitUntil(lambda: page.runs_model.rowCount() == 1 and page.items_model.rowCount() >= 2, timeout=10000)
    page.problems_only.setChecked(True)
    assert page.items_proxy.rowCount() == 1
    failed = page.items_proxy.source_rows([0])[0]
    assert failed.state == "failed" and MISSING_MATERIAL in failed.error.message.zh
    reason = page.items_proxy.index(0, 4).data()
    assert MISSING_MATERIAL in reason
    select_rows(page.items_view, [0])
    assert page.retry_button.isEnabled() and page.resolve_button.isEnabled()
    assert not page.finish_button.isEnabled()

    # the implementer fixes the product code in Fxiaoke, then retries only the failed item
    with demo_ctx.workspace(demo_ctx.profile_name) as ws:
        fx = ws.fx
        product = next(p for p in fx.query("ProductObj", filters=[("product_code", "EQ", MISSING_MATERIAL)]))
        fx.update("ProductObj", product["_id"], {"product_code": "MAT-0001"})
    with qtbot.waitSignal(page.action_finished, timeout=30000) as blocker:
        click(qtbot, page.retry_button)
    result = blocker.args[0]
    assert [i.status for i in result.items if i.source_id == bad_id] == ["created"]
    k3 = demo_ctx.sandbox.k3_app.admin("records", {"form_id": "SAL_SaleOrder"})["records"]
    assert [r["FBillNo"] for r in k3].count("20991231-BAD001") == 1
    qtbot.waitUntil(lambda: page.runs_model.rowCount() == 2, timeout=10000)
    # the orders page learns the new state too
    qtbot.waitUntil(lambda: orders.model.row(orders.model.find(bad_id)).state == "synced", timeout=10000)
    wait_idle(qtbot, demo_ctx)


def test_mark_resolved_stops_offering_retry(qtbot, window, demo_ctx, prompts):
    bad_id, _summary, orders = _sync_two_with_one_bad(qtbot, window, demo_ctx)
    window.go("history")
    page = window.pages["history"]
    qtbot.waitUntil(lambda: page.items_model.rowCount() >= 2, timeout=10000)
    page.problems_only.setChecked(True)
    select_rows(page.items_view, [0])
    prompts.answers["question"] = True
    with qtbot.waitSignal(page.action_finished, timeout=30000):
        click(qtbot, page.resolve_button)
    qtbot.waitUntil(lambda: page.items_proxy.rowCount() == 0, timeout=10000)
    page.problems_only.setChecked(False)
    states = {i.source_id: i.state for i in page.items_model.rows()}
    assert states[bad_id] == "resolved"
    wait_idle(qtbot, demo_ctx)


def test_finish_half_done_document(qtbot, window, demo_ctx):
    name = demo_ctx.profile_name
    profile = demo_ctx.repo.get(name)
    profile.submit, profile.audit = False, False
    demo_ctx.repo.update(profile)
    orders = load_page(qtbot, window, "orders")
    select_rows(orders.table, [0])
    with qtbot.waitSignal(orders.sync_finished, timeout=30000) as blocker:
        click(qtbot, orders.sync_button)
    item = blocker.args[0].items[-1]
    assert item.stage == "saved"
    assert orders.model.row(orders.model.find(item.source_id)).state == "partial"

    profile.submit, profile.audit = True, True
    demo_ctx.repo.update(profile)
    window.go("history")
    page = window.pages["history"]
    qtbot.waitUntil(lambda: page.items_model.rowCount() >= 1, timeout=10000)
    row = next(i for i, it in enumerate(page.items_model.rows()) if it.source_id == item.source_id)
    select_rows(page.items_view, [page.items_proxy.mapFromSource(page.items_model.index(row, 0)).row()])
    assert page.finish_button.isEnabled() and not page.retry_button.isEnabled()
    with qtbot.waitSignal(page.action_finished, timeout=30000):
        click(qtbot, page.finish_button)
    k3 = demo_ctx.sandbox.k3_app.admin("records", {"form_id": "SAL_SaleOrder"})["records"]
    doc = next(r for r in k3 if r["FBillNo"] == item.k3_number)
    assert doc.get("FDocumentStatus") == "C"
    assert [r["FBillNo"] for r in k3].count(item.k3_number) == 1
    wait_idle(qtbot, demo_ctx)
