"""App shell: --smoke, crash dialog for the unexpected, remembered geometry and page, demo banner.

The language switch is in test_gui_language.py, the small-screen layout in test_gui_small_screen.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gui.app import parse_args
from gui.i18n import normalise
from gui.main_window import PAGES, MainWindow
from gui.settings import LAST_PAGE, LAST_PAGE_KEY, LEGACY_PAGES, UiSettings
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
    assert UiSettings(ini).get(LAST_PAGE_KEY) == "mappings"
    assert UiSettings(ini).get(LAST_PAGE) == LEGACY_PAGES.index("mappings")  # what an older version reads
    second = MainWindow(demo_ctx, UiSettings(ini))
    qtbot.addWidget(second)
    second.show()
    assert second.current_page() == "mappings"
    assert second.size() == size, (second.size(), size)
    wait_idle(qtbot, demo_ctx)
    second.detach()


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
