"""Switching the language (设置 → 语言) retranslates the open window in place: every page keeps its state."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from gui.app import Shell
from gui.i18n import current_language
from gui.settings import LANGUAGE, UiSettings
from gui.widgets.page import TITLE
from tests.helpers_gui import add_order_with_missing_material, click, load_page, proxy_row_of, select_rows, wait_idle


def _switch(qtbot, window, lang: str, orders_word: str) -> None:
    window.language_actions[lang].trigger()
    qtbot.waitUntil(lambda: window.nav.item(2).text() == orders_word, timeout=5000)
    qtbot.wait(50)  # the LanguageChange events of every widget are delivered in the same pass; let it finish


def _title(page) -> str:
    return page.findChild(QLabel, TITLE).text()


def _state(window) -> dict:
    """Everything a user put into or loaded onto the pages, none of it language-dependent."""
    conn, orders, maps = window.pages["connections"], window.pages["orders"], window.pages["mappings"]
    return {
        "profile": window.profile_box.currentText(),
        "form": {f: conn.inputs[f].text() for f in ("fx_url", "fx_app_id", "k3_url", "k3_user", "k3_org")},
        "form_ready": (conn.save_button.isEnabled(), conn.test_button.isEnabled()),
        "orders": orders.model.rowCount(),
        "selected": [r.source_id for r in orders.selected_rows()],
        "synced": sorted(r.number for r in orders.model.rows() if r.k3_number),
        "lines": orders.lines_model.rowCount(),
        "rules": maps.model.rowCount(),
        "mapping_save": maps.save_button.isEnabled(),
        "log": window.log_pane.model.rowCount(),
        "lights": (window.fx_state.state, window.k3_state.state),
        "runs": window.pages["history"].runs_model.rowCount(),
        "page": window.current_page(),
    }


def test_switching_language_both_ways_keeps_every_page_and_changes_every_text(
        qtbot, demo_ctx, zh, tmp_path, prompts, no_leaks):
    ui = UiSettings(str(tmp_path / "gui.ini"))
    shell = Shell(demo_ctx, zh, ui)
    window = shell.show()
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(demo_ctx.profile_name), timeout=5000)
    conn = window.pages["connections"]
    qtbot.waitUntil(lambda: bool(conn.inputs["fx_url"].text()), timeout=5000)
    conn.inputs["k3_org"].setText("200")  # an unsaved edit in the form must survive the switch

    bad_id = add_order_with_missing_material(demo_ctx.sandbox)  # a warning stays up while the user moves around
    orders = load_page(qtbot, window, "orders", days=200)
    select_rows(orders.table, [proxy_row_of(orders.proxy, lambda r: r.source_id == bad_id),
                               proxy_row_of(orders.proxy, lambda r: r.source_id != bad_id)])
    with qtbot.waitSignal(orders.sync_finished, timeout=30000):
        click(qtbot, orders.sync_button)
    wait_idle(qtbot, demo_ctx)
    select_rows(orders.table, [proxy_row_of(orders.proxy, lambda r: r.source_id != bad_id)])  # shows its lines
    qtbot.waitUntil(lambda: orders.lines_model.rowCount() > 0, timeout=10000)
    window.go("mappings")
    maps = window.pages["mappings"]
    qtbot.waitUntil(lambda: maps.model.rowCount() > 0, timeout=10000)
    window.go("history")
    qtbot.waitUntil(lambda: window.pages["history"].runs_model.rowCount() == 1, timeout=10000)
    window.go("orders")
    wait_idle(qtbot, demo_ctx)
    before = _state(window)
    assert before["orders"] and before["selected"] and before["synced"] and before["lines"] and before["rules"]
    assert before["log"] > 5 and before["lights"][0] == "ok" and before["form"]["k3_org"] == "200"
    assert before["form_ready"] == (True, True) and before["mapping_save"] is False
    assert window.message_bar.isVisible() and "2 条记录中已同步 1 条" in window.message_bar.text.text()
    assert "MAT-9999" in window.message_bar.advice.text() and "不受影响" in window.message_bar.advice.text()
    assert _title(orders) == "订单" and "同步到金蝶" in orders.sync_button.text()

    _switch(qtbot, window, "en", "Orders")
    assert current_language() == "en" and ui.get(LANGUAGE) == "en"
    assert _state(window) == before
    # every kind of text changed: page titles, buttons, headers, combo items, status lights, log pane, messages
    assert _title(orders) == "Orders" and _title(conn) == "Connections" and _title(maps) == "Mappings"
    assert orders.sync_button.text() == "Sync to Kingdee (1)" and orders.load_button.text() == "Load from Fxiaoke"
    assert orders.proxy.headerData(0, orders.table.horizontalHeader().orientation()) == "Order No."
    assert orders.state_box.itemText(0) == "All states"
    assert conn.fx_box.title() == "Fxiaoke CRM (纷享销客)" and conn.test_button.text() == "Save and test"
    assert conn.auth_box.currentText().startswith("User and password")
    assert window.fx_state.label() == "Fxiaoke connected"
    assert window.log_pane.windowTitle() == "API log" and window.log_pane.errors_only.text() == "Errors only"
    assert window.message_bar.text.text() == "1 of 2 records synced (1 created); 1 failed."
    assert "does not exist" in window.message_bar.advice.text() and "not affected" in window.message_bar.advice.text()
    assert maps.model.headerData(1, orders.table.horizontalHeader().orientation()) == "Fxiaoke field (source)"
    assert window.pages["history"].count_label.text() == "1 run"
    assert window.language_actions["en"].isChecked() and window.menuBar().actions()[0].text() == "&File"

    _switch(qtbot, window, "zh_CN", "订单")
    assert current_language() == "zh_CN" and ui.get(LANGUAGE) == "zh_CN"
    assert _state(window) == before
    assert _title(orders) == "订单" and orders.sync_button.text() == "同步到金蝶 (1)"
    assert window.fx_state.label() == "纷享销客 已连接" and window.log_pane.windowTitle() == "接口日志"
    assert "2 条记录中已同步 1 条" in window.message_bar.text.text()
    wait_idle(qtbot, demo_ctx)


def test_switching_while_a_sync_runs_is_allowed_and_the_sync_finishes_on_the_same_page(qtbot, window, demo_ctx, zh):
    window.language_requested.connect(zh.install)  # what gui.app.Shell does
    orders = load_page(qtbot, window, "orders", days=200)
    select_rows(orders.table, [0, 1])
    with qtbot.waitSignal(orders.sync_finished, timeout=30000) as blocker:
        click(qtbot, orders.sync_button)
        window.language_actions["en"].trigger()  # the sync is running in the DB lane meanwhile
    assert [i.status for i in blocker.args[0].items if i.flow == "orders"] == ["created", "created"]
    qtbot.waitUntil(lambda: window.nav.item(2).text() == "Orders", timeout=5000)
    assert all(r.k3_number for r in orders.selected_rows())
    assert window.message_bar.text.text().startswith("Synced 2 records")
    wait_idle(qtbot, demo_ctx)
    zh.install("zh_CN")


def test_no_page_offers_save_before_it_has_loaded(qtbot, window, demo_ctx):
    conn, maps = window.pages["connections"], window.pages["mappings"]
    qtbot.waitUntil(lambda: bool(conn.name_edit.text()), timeout=5000)
    wait_idle(qtbot, demo_ctx)
    conn.load()  # e.g. after a profile switch: the form is about to be replaced
    assert not conn.save_button.isEnabled() and not conn.test_button.isEnabled()
    conn.save()  # a shortcut or a script cannot save it either
    assert not demo_ctx.tasks.is_running("connections-save")
    wait_idle(qtbot, demo_ctx)
    assert conn.save_button.isEnabled() and conn.name_edit.text() == demo_ctx.profile_name

    window.go("mappings")
    qtbot.waitUntil(lambda: maps.base is not None, timeout=10000)
    maps.model.set_args(0, {"edited": True})  # an unsaved edit makes Save available...
    assert maps.save_button.isEnabled()
    maps.load()  # ...until the table is being replaced
    assert not maps.save_button.isEnabled() and not maps.table.isEnabled()
    qtbot.waitUntil(lambda: maps.base is not None, timeout=10000)
    assert maps.table.isEnabled() and not maps.save_button.isEnabled() and maps.model.rowCount() > 0
    wait_idle(qtbot, demo_ctx)
