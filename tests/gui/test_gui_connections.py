"""Connections page against the sandbox over real HTTP: type credentials, save to the keyring, test good and bad."""

from __future__ import annotations

import keyring
import pytest

from core.sandbox import start_sandbox
from core.secrets import SERVICE, SecretStore
from core.store.database import Database
from gui.context import AppContext
from gui.main_window import MainWindow
from gui.settings import UiSettings
from tests.helpers_gui import click, select_rows, wait_idle

NAME = "华东公司-测试"


@pytest.fixture
def sandbox():
    sb = start_sandbox(seed=2, demo_sizes={"orders": 6, "customers": 4, "products": 5})
    yield sb
    sb.stop()


@pytest.fixture
def real_window(qtbot, tmp_path, zh, prompts, no_leaks):
    """A window on the keyring store (the test's in-memory keyring backend) and an empty database."""
    ctx = AppContext(Database(tmp_path / "app.db"), SecretStore())
    win = MainWindow(ctx, UiSettings(str(tmp_path / "gui.ini")))
    qtbot.addWidget(win)
    win.show()
    wait_idle(qtbot, ctx)
    yield win
    ctx.tasks.shutdown()


def _type(qtbot, widget, text):
    widget.clear()
    if text.isascii():
        qtbot.keyClicks(widget, text)
    else:  # QTest cannot type CJK key events; an input method commits the text as one insert
        widget.insert(text)


def test_enter_credentials_save_to_keyring_and_test_good(qtbot, real_window, sandbox, memory_keyring):
    win, page = real_window, real_window.pages["connections"]
    assert win.current_page() == "connections"  # no profile yet: the window opens the form
    assert "内存" not in page.keyring_label.text() and "密钥保存在" in page.keyring_label.text()
    c = sandbox.credentials()
    fx, k3 = c["fxiaoke"], c["k3cloud"]
    _type(qtbot, page.name_edit, NAME)
    _type(qtbot, page.inputs["fx_url"], fx["url"])
    _type(qtbot, page.inputs["fx_app_id"], fx["app_id"])
    _type(qtbot, page.inputs["fx_app_secret"], fx["app_secret"])
    _type(qtbot, page.inputs["fx_permanent_code"], fx["permanent_code"])
    _type(qtbot, page.inputs["fx_open_user_id"], fx["open_user_id"])
    _type(qtbot, page.inputs["k3_url"], k3["url"])
    _type(qtbot, page.inputs["k3_user"], k3["username"])
    _type(qtbot, page.inputs["k3_password"], k3["password"])
    # the data center comes from GetDataCenterList
    click(qtbot, page.dc_button)
    qtbot.waitUntil(lambda: page.dc_box.count() == 1, timeout=10000)
    assert page.dc_box.currentText() == k3["acct_id"]

    with qtbot.waitSignal(page.tested, timeout=30000) as blocker:
        click(qtbot, page.test_button)
    report = blocker.args[0]
    assert report.ok
    assert [s.name for s in report.fxiaoke] == ["reachable", "token", "operator", "query"]
    assert all(s.ok for s in report.k3cloud) and len(report.k3cloud) >= 4
    assert page.doctor_models["k3cloud"].rowCount() == len(report.k3cloud)
    # secrets went to the keyring (service fxk3sync, user "<profile>:<key>"), not into the form or the database
    assert keyring.get_password(SERVICE, f"{NAME}:fx-app-secret") == fx["app_secret"]
    assert keyring.get_password(SERVICE, f"{NAME}:k3-password") == k3["password"]
    assert page.inputs["fx_app_secret"].text() == ""
    db_bytes = (win.ctx.db.path).read_bytes()
    assert fx["app_secret"].encode() not in db_bytes and k3["password"].encode() not in db_bytes
    # the status bar and the profile switcher follow
    qtbot.waitUntil(lambda: win.profile_box.currentText() == NAME, timeout=5000)
    assert win.fx_state.state == "ok" and win.k3_state.state == "ok"
    assert "已连接" in win.fx_state.label()
    assert page.delete_button.isEnabled() and page.export_button.isEnabled()  # now there is a saved profile
    wait_idle(qtbot, win.ctx)


def test_wrong_secret_names_the_field_to_fix(qtbot, window, demo_ctx):
    page = window.pages["connections"]
    window.go("connections")
    qtbot.waitUntil(lambda: page.name_edit.text() != "", timeout=5000)
    _type(qtbot, page.inputs["fx_app_secret"], "0" * 32)
    _type(qtbot, page.inputs["k3_password"], "not-the-password")
    with qtbot.waitSignal(page.tested, timeout=30000) as blocker:
        click(qtbot, page.test_button)
    report = blocker.args[0]
    assert not report.ok
    fx_failed = next(s for s in report.fxiaoke if not s.ok)
    assert fx_failed.name == "token" and fx_failed.field == "fx_app_secret"
    k3_failed = next(s for s in report.k3cloud if not s.ok)
    assert k3_failed.name == "login" and k3_failed.field == "k3_password"
    assert page.inputs["fx_app_secret"].property("invalid") == "true"
    assert window.message_bar.isVisible() and window.message_bar.level == "error"
    assert "appSecret" in window.message_bar.advice.text()
    assert window.fx_state.state == "error" and window.k3_state.state == "error"
    # the failing step is red in the table: its icon is the "fail" one and its row says which setting
    model = page.doctor_models["fxiaoke"]
    assert model.index(model.rowCount() - 1, 2).data() == "appSecret"
    result = model.index(model.rowCount() - 1, 1).data()
    assert "10006" in result and result.count("10006") == 1, result  # the code once, not "[10006] …错误 10006"
    wait_idle(qtbot, demo_ctx)


def test_invalid_form_names_the_field_without_saving(qtbot, window, demo_ctx):
    page = window.pages["connections"]
    window.go("connections")
    qtbot.waitUntil(lambda: page.name_edit.text() != "", timeout=5000)
    _type(qtbot, page.inputs["k3_url"], "http://erp.example.com/")  # must end in /K3Cloud/
    click(qtbot, page.save_button)
    assert page.inputs["k3_url"].property("invalid") == "true"
    assert window.message_bar.level == "error" and "/K3Cloud/" in window.message_bar.text.text()
    assert demo_ctx.repo.get(demo_ctx.profile_name).k3_url.endswith("/K3Cloud/")


def test_no_keyring_backend_is_explained_and_the_form_still_loads(qtbot, tmp_path, zh, prompts, no_leaks):
    import keyring as kr
    from keyring.backends.fail import Keyring as FailKeyring

    from core.profiles import Profile

    previous = kr.get_keyring()
    kr.set_keyring(FailKeyring())
    ctx = AppContext(Database(tmp_path / "app.db"), SecretStore())
    ctx.repo.add(Profile(name="无密钥环", fx_app_id="FSAID_1", fx_open_user_id="FSUID_1",
                         k3_url="https://erp.example.com/K3Cloud/", k3_acct_id="1", k3_user="u"))
    try:
        win = MainWindow(ctx, UiSettings(str(tmp_path / "gui.ini")))
        qtbot.addWidget(win)
        win.show()
        page = win.pages["connections"]
        qtbot.waitUntil(lambda: page.name_edit.text() == "无密钥环", timeout=5000)
        qtbot.waitUntil(lambda: win.message_bar.isVisible(), timeout=5000)
        assert win.message_bar.level == "error" and "密钥环" in win.message_bar.text.text()
        assert "no keyring backend" in page.keyring_label.text()
        wait_idle(qtbot, ctx)
    finally:
        kr.set_keyring(previous)


def test_first_start_welcomes_and_points_to_the_connections_form(qtbot, real_window):
    win, page = real_window, real_window.pages["connections"]
    bar = win.message_bar
    # the welcome is part of the form (the message bar floats over the page and would hide the first fields)
    assert win.current_page() == "connections" and page.welcome.isVisible() and not bar.isVisible()
    assert "欢迎" in page.welcome.text() and "保存并测试" in page.welcome.text() and "--demo" in page.welcome.text()
    assert page.test_button.isEnabled() and page.save_button.isEnabled()  # a new, empty form is ready
    orders = win.pages["orders"]
    assert not orders.load_button.isEnabled() and "还没有配置" in orders.count_label.text()
    assert not page.delete_button.isEnabled() and not page.export_button.isEnabled()  # nothing saved to act on
    # a half-filled form: the error names the setting as the form labels it, never its code name
    _type(qtbot, page.name_edit, "新公司")
    click(qtbot, page.save_button)
    assert bar.level == "error" and bar.isVisible()
    shown = bar.text.text() + bar.advice.text()
    assert "fx_" not in shown and "k3_" not in shown, shown
    assert "需要修改的设置" in bar.advice.text() or "设置项“" in shown
    assert win.ctx.profile_names() == []


def test_a_server_answering_with_an_error_page_is_not_shown_as_connected(qtbot, window, demo_ctx):
    orders = window.pages["orders"]
    window.go("orders")
    orders.load()
    qtbot.waitUntil(lambda: orders.loaded, timeout=20000)
    wait_idle(qtbot, demo_ctx)
    select_rows(orders.table, [0])
    demo_ctx.sandbox.k3_server.set_faults(html_error_rate=1.0)  # a proxy's "502 Bad Gateway" page
    try:
        click(qtbot, orders.sync_button)
        wait_idle(qtbot, demo_ctx)
    finally:
        demo_ctx.sandbox.k3_server.set_faults(html_error_rate=0.0)
    assert window.message_bar.level == "error" and "502" in window.message_bar.text.text()
    assert window.k3_state.state == "error" and "失败" in window.k3_state.label()
