"""Switching profiles: every page, the status bar and the remembered choice follow; in-flight work is dropped."""

from __future__ import annotations

from gui.demo import demo_profile
from gui.settings import LAST_PROFILE
from tests.helpers_gui import click, load_page, wait_idle

SECOND = "华南公司-测试"


def _add_second_profile(ctx):
    profile, secrets = demo_profile(ctx.sandbox, name=SECOND)
    profile.k3_org = "200"
    ctx.repo.add(profile)
    for key, value in secrets.items():
        ctx.repo.set_secret(SECOND, key, value)
    ctx.profiles_changed.emit()


def test_switching_profile_resets_pages_and_status_and_is_remembered(qtbot, window, demo_ctx):
    first = demo_ctx.profile_name
    _add_second_profile(demo_ctx)
    qtbot.waitUntil(lambda: window.profile_box.count() == 2, timeout=5000)
    assert window.profile_box.currentText() == first  # a new profile elsewhere does not switch by itself
    orders = load_page(qtbot, window, "orders")
    wait_idle(qtbot, demo_ctx)
    assert orders.model.rowCount() > 0 and window.fx_state.state == "ok"

    click(qtbot, orders.load_button)  # a load still running when the profile changes must not fill the table
    window.profile_box.setCurrentIndex(window.profile_box.findData(SECOND))
    assert demo_ctx.profile_name == SECOND
    wait_idle(qtbot, demo_ctx)
    assert orders.model.rowCount() == 0 and not orders.loaded
    assert window.fx_state.state == "unknown" and window.k3_state.state == "unknown" and window.quota_label.text() == ""
    assert SECOND in window.profile_label.text()
    conn = window.pages["connections"]
    qtbot.waitUntil(lambda: conn.name_edit.text() == SECOND, timeout=5000)
    assert conn.inputs["k3_org"].text() == "200"
    assert window.ui.get(LAST_PROFILE) == SECOND

    window.profile_box.setCurrentIndex(window.profile_box.findData(first))
    qtbot.waitUntil(lambda: conn.name_edit.text() == first, timeout=5000)
    assert conn.inputs["k3_org"].text() != "200"
    wait_idle(qtbot, demo_ctx)


def test_a_sync_queued_before_a_profile_switch_still_runs_for_the_profile_it_was_started_in(qtbot, window, demo_ctx):
    import threading

    from tests.helpers_gui import select_rows

    first = demo_ctx.profile_name
    _add_second_profile(demo_ctx)  # same servers, but organisation 200: a sync under it would say so
    qtbot.waitUntil(lambda: window.profile_box.count() == 2, timeout=5000)
    orders = load_page(qtbot, window, "orders")
    wait_idle(qtbot, demo_ctx)
    select_rows(orders.table, [0])
    number = orders.selected_rows()[0].number
    gate = threading.Event()
    demo_ctx.tasks.run(lambda _t: gate.wait(10), lane="db", name="hold-the-db-lane")  # the sync has to queue
    click(qtbot, orders.sync_button)
    window.profile_box.setCurrentIndex(window.profile_box.findData(SECOND))
    assert demo_ctx.profile_name == SECOND
    gate.set()
    wait_idle(qtbot, demo_ctx)
    bills = [r for r in demo_ctx.sandbox.k3_app.admin("records", {"form_id": "SAL_SaleOrder"})["records"]
             if r.get("FBillNo") == number]
    assert len(bills) == 1, bills
    assert "'200'" not in repr(bills[0]) and "'100'" in repr(bills[0])  # organisation of the first profile
    assert first != SECOND
