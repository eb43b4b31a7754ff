"""Orders page against the sandbox over real HTTP: load, filter, select three, sync, see their K3 numbers."""

from __future__ import annotations

from tests.helpers_gui import click, load_page, select_rows, wait_idle


def test_load_filter_select_three_and_sync_shows_k3_numbers(qtbot, window, demo_ctx):
    page = load_page(qtbot, window, "orders", days=200)
    assert page.model.rowCount() == 24

    # filter by text: one order number narrows to exactly that order
    number = page.model.row(5).number
    qtbot.keyClicks(page.search, number)
    page.apply_filter()
    assert page.proxy.rowCount() == 1
    page.search.clear()
    page.apply_filter()
    assert page.proxy.rowCount() == 24

    select_rows(page.table, [0, 1, 2])
    chosen = page.selected_rows()
    assert len(chosen) == 3
    assert "(3)" in page.sync_button.text()
    with qtbot.waitSignal(page.sync_finished, timeout=30000) as blocker:
        click(qtbot, page.sync_button)
    summary = blocker.args[0]
    assert [i.status for i in summary.items] == ["created"] * 3
    assert all(r.k3_number for r in chosen)
    assert {r.state for r in chosen} == {"synced"}
    col = page.model.column_of("k3_number")
    shown = {page.proxy.index(r, col).data() for r in range(page.proxy.rowCount())}
    assert {r.k3_number for r in chosen} <= shown
    k3 = demo_ctx.sandbox.k3_app.admin("records", {"form_id": "SAL_SaleOrder"})["records"]
    assert {r.number for r in chosen} <= {rec.get("FBillNo") for rec in k3}

    # the state filter now finds exactly those three as synced
    page.state_box.setCurrentIndex(page.state_box.findData("synced"))
    assert page.proxy.rowCount() == 3
    wait_idle(qtbot, demo_ctx)
