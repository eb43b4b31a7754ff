"""App shell: --smoke, crash dialog for the unexpected, language switch, remembered geometry and page, demo banner."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gui.app import Shell, parse_args
from gui.i18n import Translators, current_language, normalise
from gui.main_window import MainWindow
from gui.settings import LANGUAGE, LAST_PAGE, UiSettings
from tests.helpers_gui import wait_idle

ROOT = Path(__file__).resolve().parents[2]


def test_smoke_mode_syncs_three_orders_and_exits_zero(cli_env, tmp_path):
    env = dict(cli_env)
    env.pop("PYTHON_KEYRING_BACKEND", None)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"  # demo secrets must never need a keyring
    res = subprocess.run([sys.executable, "-m", "gui.app", "--smoke"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.startswith("smoke ok: synced ")
    assert res.stdout.count("->") == 1 and len(res.stdout.split("->")[1].split(",")) == 3


def test_args():
    args = parse_args(["--demo", "--lang", "en"])
    assert args.demo and args.lang == "en" and not args.smoke
    assert normalise("zh") == "zh_CN" and normalise("en_US") == "en"


def test_demo_banner_and_status(qtbot, window, demo_ctx):
    assert window.banner is not None and window.banner.isVisible()
    assert "演示模式" in window.banner.label.text() and "内存" in window.banner.label.text()
    assert "内存" in window.pages["connections"].keyring_label.text()
    assert demo_ctx.profile_name in window.profile_label.text()
    assert window.nav.item(2).text() == "订单"


def test_unexpected_error_opens_the_crash_dialog_known_error_the_message_bar(qtbot, window, prompts):
    from core.errors import FxiaokeQuotaError, Text

    window.handle_error(FxiaokeQuotaError(Text("今日调用次数已用完", "daily quota used up"), code="30002"))
    assert window.message_bar.isVisible() and "今日调用次数已用完" in window.message_bar.text.text()
    assert prompts.kinds() == []
    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError as exc:
        window.handle_error(exc)
    assert prompts.kinds() == ["crash"]
    assert "ZeroDivisionError" in prompts.shown[0].details and "boom" in prompts.shown[0].text


def test_geometry_and_last_page_are_remembered(qtbot, demo_ctx, tmp_path, prompts, no_leaks):
    ini = str(tmp_path / "gui.ini")
    first = MainWindow(demo_ctx, UiSettings(ini))
    qtbot.addWidget(first)
    first.show()
    first.resize(790, 720)
    size = first.size()
    first.go("mappings")
    first.detach()
    first.close()
    assert UiSettings(ini).get(LAST_PAGE) == 3
    second = MainWindow(demo_ctx, UiSettings(ini))
    qtbot.addWidget(second)
    second.show()
    assert second.current_page() == "mappings"
    assert second.size() == size, (second.size(), size)
    wait_idle(qtbot, demo_ctx)
    second.detach()


def test_language_switch_rebuilds_the_window_in_english(qtbot, demo_ctx, tmp_path, prompts, no_leaks):
    ui = UiSettings(str(tmp_path / "gui.ini"))
    translators = Translators()
    translators.install("zh_CN")
    shell = Shell(demo_ctx, translators, ui)
    old = shell.show()  # the shell deletes it on the switch, so qtbot must not close it again
    assert old.nav.item(0).text() == "连接"
    old.language_actions["en"].trigger()
    new = shell.window
    qtbot.addWidget(new)
    assert new is not old and current_language() == "en"
    assert new.nav.item(0).text() == "Connections"
    assert ui.get(LANGUAGE) == "en"
    wait_idle(qtbot, demo_ctx)
    new.detach()
    translators.install("zh_CN")


def test_no_keyring_is_needed_in_demo_mode(demo_ctx):
    assert demo_ctx.secrets.backend_name().startswith("memory")
    assert os.environ.get("FXK3SYNC_HOME")  # the temp home of the test, never the real one


def test_crash_dialog_offers_copyable_details(qtbot, qapp, no_leaks):
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QPushButton

    from gui.messages import CrashDialog

    dialog = CrashDialog(None, "ValueError: bad", "Traceback ...\nValueError: bad", "/tmp/x/fxk3sync-gui.log")
    qtbot.addWidget(dialog)
    assert dialog.details.isReadOnly() and "Traceback" in dialog.details.toPlainText()
    copy = next(b for b in dialog.findChildren(QPushButton) if b.text() in ("复制详细信息", "Copy details"))
    copy.click()
    assert QGuiApplication.clipboard().text().startswith("ValueError: bad")


SMALL_SCREEN_CHILD = r"""
import json, sys, tempfile
from PySide6.QtWidgets import QApplication
from gui.app import make_application
from gui.demo import start_demo
from gui.main_window import MainWindow
from gui.settings import UiSettings
app = make_application(["x"])
ctx = start_demo(seed=1, demo_sizes={"orders": 6, "customers": 4, "products": 5})
win = MainWindow(ctx, UiSettings(tempfile.mkdtemp() + "/gui.ini"))
win.show()
app.processEvents()
avail = win.screen().availableGeometry()
orders = win.pages["orders"]
print(json.dumps({"avail": [avail.width(), avail.height()], "size": [win.width(), win.height()],
                  "log_visible": win.log_pane.isVisible(), "table_min": orders.table.minimumHeight(),
                  "row": orders.table.verticalHeader().defaultSectionSize()}))
win.close()
"""


def test_first_start_on_a_small_150_percent_screen_fits_and_keeps_the_tables(cli_env, tmp_path):
    import json

    config = tmp_path / "screen.json"  # 1366 x 768 at 150 %: 911 x 512 logical pixels
    config.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768,
                                              "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(cli_env, QT_QPA_PLATFORM=f"offscreen:configfile={config}", QT_SCALE_FACTOR="1.5")
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"  # the demo keeps its secrets in memory
    res = subprocess.run([sys.executable, "-c", SMALL_SCREEN_CHILD], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    got = json.loads(res.stdout.strip().splitlines()[-1])
    assert got["avail"] == [911, 512]
    assert got["size"][0] <= 911 and got["size"][1] <= 512  # not larger than the screen
    assert got["log_visible"] is False  # Ctrl+L shows it; the pages keep their room
    assert got["table_min"] >= 4 * got["row"] and got["row"] >= 20


def test_language_switch_waits_while_a_sync_runs(qtbot, window, demo_ctx):
    import threading

    gate = threading.Event()
    demo_ctx.tasks.run(lambda _t: gate.wait(10), lane="db", name="orders-sync")  # stands for a running sync
    try:
        with qtbot.assertNotEmitted(window.language_requested):
            window.language_actions["en"].trigger()
        assert current_language() == "zh_CN" and window.language_actions["zh_CN"].isChecked()
        assert window.message_bar.level == "warning" and "同步" in window.message_bar.text.text()
    finally:
        gate.set()
    wait_idle(qtbot, demo_ctx)
    with qtbot.waitSignal(window.language_requested) as blocker:
        window.language_actions["en"].trigger()
    assert blocker.args == ["en"]


def test_closing_during_a_sync_asks_first(qtbot, window, demo_ctx, prompts):
    import threading

    gate = threading.Event()
    demo_ctx.tasks.run(lambda _t: gate.wait(10), lane="db", name="orders-sync")  # stands for a running sync
    try:
        prompts.answers["question"] = False
        window.close()
        assert window.isVisible() and prompts.kinds() == ["question"]
        assert "同步" in prompts.shown[0].text
    finally:
        gate.set()
    wait_idle(qtbot, demo_ctx)
    window.close()  # nothing running: no question
    assert not window.isVisible() and prompts.kinds() == ["question"]
