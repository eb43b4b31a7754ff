"""Orders page against the sandbox over real HTTP: load, filter, select three, sync, see their K3 numbers."""

from __future__ import annotations

import dataclasses

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
    assert [i.status for i in summary.items if i.flow == "orders"] == ["created"] * 3
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



def _message(window) -> str:
    bar = window.message_bar
    return bar.text.text() + " " + bar.advice.text() if bar.isVisible() else ""


def test_a_refused_login_before_any_write_is_shown_in_the_message_bar(qtbot, window, demo_ctx):
    page = load_page(qtbot, window, "orders", days=200)
    k3 = demo_ctx.sandbox.k3_app
    k3.ident = dataclasses.replace(k3.ident, password="changed-by-the-k3-admin")
    k3.admin("expire_sessions", {})
    select_rows(page.table, [0, 1])
    click(qtbot, page.sync_button)
    qtbot.waitUntil(lambda: "用户名或密码" in _message(window), timeout=30000)
    assert not k3.admin("records", {"form_id": "SAL_SaleOrder"})["records"]
    wait_idle(qtbot, demo_ctx)


def test_a_sync_stopped_midway_by_a_refused_login_shows_that_error_not_a_count(qtbot, window, demo_ctx):
    demo_ctx.repo.update(dataclasses.replace(demo_ctx.profile(), batch_size=1))
    page = load_page(qtbot, window, "orders", days=200)
    k3 = demo_ctx.sandbox.k3_app
    handle = k3.handle

    def revoking_after_the_first_save(req):  # the K3 admin changes the API user's password mid-run
        resp = handle(req)
        if "batchsave" in req.path.lower():
            k3.handle = handle
            k3.ident = dataclasses.replace(k3.ident, password="changed-by-the-k3-admin")
            k3.admin("expire_sessions", {})
        return resp

    k3.handle = revoking_after_the_first_save
    select_rows(page.table, [0, 1, 2])
    with qtbot.waitSignal(page.sync_finished, timeout=30000) as blocker:
        click(qtbot, page.sync_button)
    summary = blocker.args[0]
    assert summary.aborted is not None and summary.wrote and summary.failed >= 1  # (the first save may be a customer)
    shown = _message(window)
    assert "用户名或密码" in shown, shown
    assert "已同步" not in shown  # not the "Synced n records" count: the stop is what to fix
    wait_idle(qtbot, demo_ctx)
