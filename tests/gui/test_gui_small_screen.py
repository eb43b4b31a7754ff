"""1366 x 768 at 150 % (the most common finance laptop): the first start shows Save and test, Orders shows 8 rows.

The child process runs Qt on an offscreen screen of 1366 x 768 device pixels with QT_SCALE_FACTOR=1.5, which is what
Windows' 150 % does: 911 x 512 logical pixels, fonts and every size scaled by Qt itself. (A 911 x 512 window on the
test's 100 % screen would not do: the screen would not be small, so the first start would not lay out for one.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, sys, tempfile, time
from pathlib import Path
from core.secrets import SecretStore
from core.store.database import Database
from gui.app import make_application
from gui.context import AppContext
from gui.demo import start_demo
from gui.i18n import Translators
from gui.main_window import MainWindow
from gui.settings import UiSettings

app = make_application(["x"])
Translators().install(sys.argv[1])

def settle(ctx, pred=lambda: True):
    end = time.monotonic() + 60
    while (ctx.tasks.busy or not pred()) and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    for _ in range(5):
        app.processEvents()

def in_view(widget):
    # not clipped by a scroll area or the window, and not under the floating message bar
    win = widget.window()
    shown = widget.isVisible() and widget.visibleRegion().boundingRect() == widget.rect()
    rect = widget.rect().translated(widget.mapTo(win, widget.rect().topLeft()))
    bar = win.message_bar
    covered = bar.isVisible() and bar.geometry().translated(bar.parentWidget().mapTo(win, bar.pos()) - bar.pos()) \
        .intersects(rect)
    return shown and win.rect().contains(rect) and not covered

def rows_in_view(view):
    port = view.viewport().rect()
    return sum(1 for r in range(view.model().rowCount()) if port.contains(view.visualRect(view.model().index(r, 0))))

out = {}
folder = Path(tempfile.mkdtemp())
ctx = AppContext(Database(folder / "app.db"), SecretStore())
win = MainWindow(ctx, UiSettings(str(folder / "gui.ini")))
win.show()
settle(ctx)
conn = win.pages["connections"]
avail = win.screen().availableGeometry()
out.update(avail=[avail.width(), avail.height()], size=[win.width(), win.height()], log=win.log_pane.isVisible(),
           page=win.current_page(), test_button=in_view(conn.test_button), save_button=in_view(conn.save_button),
           name_edit=in_view(conn.name_edit), test_text=conn.test_button.text(),
           welcome=hasattr(conn, "welcome") and in_view(conn.welcome))
win.close()

ctx = start_demo(seed=1, demo_sizes={"orders": 30, "customers": 5, "products": 8})
win = MainWindow(ctx, UiSettings(str(Path(tempfile.mkdtemp()) / "gui.ini")))
win.show()
settle(ctx, lambda: bool(ctx.profile_name))
win.go("orders")
orders = win.pages["orders"]
orders.date_from.setDate(orders.date_from.date().addDays(-120))
orders.load()
settle(ctx, lambda: orders.loaded)
orders.table.selectRow(0)
settle(ctx)
rows_before = rows_in_view(orders.table)
header, state = orders.table.horizontalHeader(), orders.model.column_of("state")
out["state_column"] = header.sectionViewportPosition(state) + header.sectionSize(state) <= \
    orders.table.viewport().width()  # the sync state in view, the navigation (with its Inbox count) not too wide
win.message_bar.show_message("warning", "x " * 200, "y " * 200)  # a long message: the layout must not move
settle(ctx)
out.update(orders=orders.model.rowCount(), rows=rows_before, rows_with_message=rows_in_view(orders.table),
           sync_button=in_view(orders.sync_button), lines_shown=orders.lines_view.isVisible(),
           banner=win.banner.height(), row=orders.table.rowHeight(0))
win.message_bar.hide()
if hasattr(orders, "lines_button"):
    orders.lines_button.click()  # the user asks for the lines: they show, the orders keep some rows
settle(ctx)
out.update(lines_after_click=orders.lines_view.isVisible(), rows_with_lines=rows_in_view(orders.table))
win.close()
print(json.dumps(out))
"""


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_first_start_and_orders_fit_1366x768_at_150_percent(cli_env, tmp_path, lang):
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768,
                                              "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(cli_env, QT_QPA_PLATFORM=f"offscreen:configfile={config}", QT_SCALE_FACTOR="1.5")
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"  # the demo keeps its secrets in memory
    res = subprocess.run([sys.executable, "-c", CHILD, lang], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=180, check=False)
    assert res.returncode == 0, res.stderr
    got = json.loads(res.stdout.strip().splitlines()[-1])
    assert got["avail"] == [911, 512]
    assert got["size"][0] <= 911 and got["size"][1] <= 512  # not larger than the screen (it starts maximised)
    assert got["log"] is False  # Ctrl+L shows it; the pages keep their room
    # first start: the button the welcome names, the first field and the welcome, all without scrolling
    assert got["page"] == "connections" and got["test_button"] and got["save_button"], got
    assert got["test_text"] == ("保存并测试" if lang == "zh_CN" else "Save and test")
    # orders: at least 8 rows in view (the lines panel yields), and a message floats instead of pushing them down
    assert got["orders"] >= 10 and got["rows"] >= 8, got
    assert got["welcome"] and got["name_edit"]
    assert got["rows_with_message"] == got["rows"] and got["sync_button"]
    assert got["state_column"], got
    assert got["lines_shown"] is False and got["lines_after_click"] is True and got["rows_with_lines"] >= 3, got
