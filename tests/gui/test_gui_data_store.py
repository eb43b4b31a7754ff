"""The Connections page's data store section: this PC's file or a company PostgreSQL database, tested and saved."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import Qt
from sqlalchemy.engine import make_url

from core.secrets import SERVICE, SecretStore
from core.store.choice import SECRET_ACCOUNT, password_key, server_url
from core.store.database import Database
from gui.context import AppContext
from gui.main_window import MainWindow
from gui.settings import UiSettings
from tests.helpers_gui import click, wait_idle

SECRET = "pw-Data-Store-9"


@pytest.fixture
def box(qtbot, home: Path, zh, prompts, no_leaks, memory_keyring):
    """The data store section of a window on the test's home folder and in-memory keyring."""
    ctx = AppContext(Database(home / "fxk3sync.db"), SecretStore())
    win = MainWindow(ctx, UiSettings(str(home / "gui.ini")))
    qtbot.addWidget(win)
    win.show()
    wait_idle(qtbot, ctx)
    win.go("connections")
    yield win.pages["connections"].data_store
    ctx.tasks.shutdown()


def _plain(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _test(qtbot, box) -> list:
    with qtbot.waitSignal(box.tested, timeout=20000) as sig:
        click(qtbot, box.test_button)
    return sig.args[0]


def test_this_pc_is_the_default_and_its_test_passes_in_chinese(qtbot, box):
    assert box.local_radio.isChecked() and not box.url_edit.isEnabled()
    assert "数据存储" in box.title() and "本机" in box.local_radio.text() and "公司数据库" in box.server_radio.text()
    steps = _test(qtbot, box)
    assert [s.ok for s in steps] == [True, True] and box.status.text() == "数据存储可以使用。"
    assert box.model.rowCount() == 2 and "数据文件夹" in box.model.index(0, 0).data()


def test_a_company_database_is_tested_then_saved_with_its_password_in_the_keyring_only(qtbot, box, home, pg_url):
    click(qtbot, box.server_radio)
    box.url_edit.setText(_plain(pg_url))
    box.password_edit.setText(SECRET)
    steps = _test(qtbot, box)
    assert [s.name for s in steps if s.ok] == ["reachable", "login", "schema", "lock"]
    assert "可以使用" in box.status.text()
    with qtbot.waitSignal(box.saved, timeout=20000):
        click(qtbot, box.save_button)
    stored = json.loads((home / "store.json").read_text(encoding="utf-8"))
    assert stored == {"url": server_url(_plain(pg_url))} and SECRET not in json.dumps(stored)
    assert keyring.get_password(SERVICE, f"{SECRET_ACCOUNT}:{password_key(stored['url'])}") == SECRET
    assert box.password_edit.text() == "" and "已保存" in box.password_edit.placeholderText()
    assert "下次启动" in box.status.text()
    assert SECRET not in (home / "fxk3sync.db").read_bytes().decode("latin-1")


def test_an_unreachable_server_is_explained_and_its_url_marked(qtbot, box, home):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    click(qtbot, box.server_radio)
    box.url_edit.setText(f"postgresql://clerk@127.0.0.1:{port}/fxk3sync")
    (step,) = _test(qtbot, box)
    status = box.status.text()
    assert not step.ok and "无法连接数据库服务器" in status and "防火墙" in status and "--db" not in status
    assert box.url_edit.property("invalid") == "true"
    assert not (home / "store.json").exists()


def test_a_password_typed_into_the_url_is_refused_and_not_saved(qtbot, box, home):
    click(qtbot, box.server_radio)
    box.url_edit.setText(f"postgresql://clerk:{SECRET}@db.example.com/fxk3sync")
    click(qtbot, box.save_button)
    qtbot.waitUntil(lambda: "密码框" in box.status.text(), timeout=10000)
    assert SECRET not in box.status.text() and box.url_edit.property("invalid") == "true"
    assert not (home / "store.json").exists()


def test_the_section_follows_the_language_switch(qtbot, box):
    from gui.i18n import Translators

    tr = Translators()
    tr.install("en")
    try:
        qtbot.waitUntil(lambda: box.title().startswith("Data store"), timeout=5000)
        assert box.test_button.text() == "Test" and "next time FxK3 Sync starts" in box.hint.text()
    finally:
        tr.install("zh_CN")


def test_the_demo_cannot_change_the_pcs_store(qtbot, window):
    box = window.pages["connections"].data_store
    assert not box.save_button.isEnabled() and box.test_button.isEnabled()


def _history_window(qtbot, home: Path, db: Database):
    from core.profiles import Profile
    from core.sync.journal import Journal

    ctx = AppContext(db, SecretStore())
    ctx.repo.add(Profile(name="team", fx_app_id="FSAID_1", fx_open_user_id="FSUID_1",
                         k3_url="https://erp.example.com/K3Cloud/", k3_acct_id="a1", k3_user="u1"))
    journal = Journal(db, ctx.repo.profile_id("team"))
    for host, user in (("FINANCE-PC-01", "zhang.san"), ("FINANCE-PC-02", "li.si")):
        run = journal.start_run("orders")
        journal.finish_run(run, "done", {"created": 1})
        with db.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE sync_runs SET host = %s, os_user = %s WHERE id = %s" if db.shared else
                                 "UPDATE sync_runs SET host = ?, os_user = ? WHERE id = ?", (host, user, run))
    win = MainWindow(ctx, UiSettings(str(home / "gui.ini")))
    qtbot.addWidget(win)
    win.show()
    wait_idle(qtbot, ctx)
    win.go("history")
    page = win.pages["history"]
    qtbot.waitUntil(lambda: page.runs_model.rowCount() == 2, timeout=10000)
    return ctx, page


def test_history_on_a_company_database_shows_which_pc_ran_each_run(qtbot, home, zh, prompts, no_leaks,
                                                                   memory_keyring, pg_url):
    ctx, page = _history_window(qtbot, home, Database(pg_url))
    try:
        col = page.runs_model.column_of("pc")
        assert not page.runs_view.isColumnHidden(col)
        assert page.runs_model.headerData(col, Qt.Orientation.Horizontal) == "电脑"
        shown = {page.runs_model.index(r, col).data() for r in range(2)}
        assert shown == {"FINANCE-PC-01 / zhang.san", "FINANCE-PC-02 / li.si"}
    finally:
        ctx.tasks.shutdown()
        ctx.db.close()


def test_history_on_this_pcs_file_leaves_the_pc_column_out(qtbot, home, zh, prompts, no_leaks, memory_keyring):
    ctx, page = _history_window(qtbot, home, Database(home / "fxk3sync.db"))
    try:
        assert page.runs_view.isColumnHidden(page.runs_model.column_of("pc"))
    finally:
        ctx.tasks.shutdown()
        ctx.db.close()
