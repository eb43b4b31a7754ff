"""Saves PNG screenshots of every page (offscreen, demo sandbox) as a user sees them on a given screen.

    python scripts/screenshots.py                 # Chinese, a 1600 x 1000 screen at 100 %
    python scripts/screenshots.py --lang en --screen 1366x768 --scale 1.5
    python scripts/screenshots.py --all           # both languages on 1600 x 1000 and 1366 x 768 at 150 %

The screen is Qt's offscreen screen of that many device pixels with QT_SCALE_FACTOR (what Windows' 150 % does), so
the window lays out its first start as it would there; PNGs are in device pixels. Output: screenshots/ (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCREENS = (("1600x1000", 1.0), ("1366x768", 1.5))


def _wait(app: Any, pred: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        app.processEvents()
        time.sleep(0.01)


def _settle(app: Any, ctx: Any) -> None:
    _wait(app, lambda: not ctx.tasks.busy, "background tasks")
    for _ in range(5):
        app.processEvents()


def _use_screen(screen: str, scale: float) -> None:
    """Before Qt starts: an offscreen screen of ``screen`` device pixels at ``scale``."""
    w, h = (int(v) for v in screen.split("x"))
    config = Path(tempfile.mkdtemp(prefix="fxk3sync-screen-")) / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "shot", "x": 0, "y": 0, "width": w, "height": h,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    os.environ["QT_SCALE_FACTOR"] = str(scale)


def _all(out: Path) -> int:
    """Every language on every screen, each in its own process (Qt's screen is fixed once it started)."""
    for screen, scale in SCREENS:
        for lang in ("zh_CN", "en"):
            folder = out / (screen if scale == 1 else f"{screen}@{round(scale * 100)}") / lang
            code = subprocess.call([sys.executable, __file__, "--lang", lang, "--screen", screen, "--scale",
                                    str(scale), "--out", str(folder)])
            if code:
                return code
    return 0


def _first_start(app: Any, path: Path) -> None:
    """What a new user sees: no profile yet, the welcome and the empty Connections form."""
    from core.secrets import SecretStore
    from core.store.database import Database
    from gui.context import AppContext
    from gui.main_window import MainWindow
    from gui.settings import UiSettings

    folder = Path(tempfile.mkdtemp(prefix="fxk3sync-first-"))
    ctx = AppContext(Database(folder / "app.db"), SecretStore())
    win = MainWindow(ctx, UiSettings(str(folder / "gui.ini")))
    win.show()  # the size a first start picks on this screen
    _settle(app, ctx)
    win.grab().save(str(path))
    print(path)
    win.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default=str(ROOT / "screenshots"))
    p.add_argument("--lang", default="zh_CN", choices=("zh_CN", "en"))
    p.add_argument("--screen", default="1600x1000", help="device pixels of the screen (default 1600x1000)")
    p.add_argument("--scale", type=float, default=1.0, help="display scaling, e.g. 1.5 for 150 %%")
    p.add_argument("--all", action="store_true", help="both languages on 1600x1000 and 1366x768 at 150 %%")
    args = p.parse_args(argv)
    if args.all:
        return _all(Path(args.out))
    _use_screen(args.screen, args.scale)
    os.environ.setdefault("FXK3SYNC_HOME", tempfile.mkdtemp(prefix="fxk3sync-shots-"))
    import keyring

    from tests.keyring_backends import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())  # never the developer's keychain
    from PySide6.QtCore import QItemSelectionModel
    from PySide6.QtWidgets import QMessageBox, QScrollArea

    from core.fxiaoke.pacing import PacingConfig, shared_pacer
    from gui import messages
    from gui.app import make_application
    from gui.demo import start_demo
    from gui.i18n import Translators, translate
    from gui.main_window import MainWindow
    from gui.settings import UiSettings
    from tests.helpers_gui import add_order_with_missing_material

    app = make_application(sys.argv[:1])
    Translators().install(args.lang)
    messages.set_interceptor(lambda prompt: True if prompt.kind == "question" else None)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.lang == "zh_CN" else f"_{args.lang}"
    _first_start(app, out / f"00_first_start{suffix}.png")
    ctx = start_demo(seed=1, demo_sizes={"orders": 120, "customers": 40})
    bad_order = add_order_with_missing_material(ctx.sandbox)
    win = MainWindow(ctx, UiSettings(str(Path(tempfile.mkdtemp()) / "gui.ini")))
    win.show()
    _wait(app, lambda: bool(ctx.profile_name), "profile")

    def shot(name: str, widget: Any = None, settle: bool = True) -> None:
        if settle:
            _settle(app, ctx)
        else:
            app.processEvents()
        path = out / f"{name}{suffix}.png"
        (widget or win).grab().save(str(path))
        print(path)

    conn = win.pages["connections"]
    win.go("connections")
    _wait(app, lambda: bool(conn.name_edit.text()), "profile form")
    conn.test()
    _wait(app, lambda: conn.doctor_models["k3cloud"].rowCount() > 0, "doctor")
    shot("01_connections_ok")
    scroll = conn.findChild(QScrollArea)
    if scroll is not None:  # the sync options: shipment form and receipt numbers
        win.message_bar.hide()
        scroll.ensureWidgetVisible(conn.options_box, 0, 0)
        shot("01b_connections_options")

    win.go("customers")
    cust = win.pages["customers"]
    cust.date_from.setDate(cust.date_from.date().addDays(-400))
    cust.load()
    _wait(app, lambda: cust.loaded, "customers")
    shot("02_customers")

    win.go("orders")
    orders = win.pages["orders"]
    orders.load()
    _wait(app, lambda: orders.loaded, "orders")
    sel = orders.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for r in range(0, 4):
        sel.select(orders.proxy.index(r, 0), flags)
    bad_row = next(r for r in range(orders.proxy.rowCount()) if orders.proxy.source_rows([r])[0].source_id == bad_order)
    sel.select(orders.proxy.index(bad_row, 0), flags)  # a material K3Cloud lacks: the inbox gets a group
    done: list[Any] = []
    orders.sync_finished.connect(done.append)
    orders.sync_selected()
    _wait(app, lambda: bool(done), "sync")
    orders.table.selectRow(5)
    shot("03_orders_synced")
    orders.table.selectRow(0)
    orders.preview()
    _wait(app, lambda: orders.preview_dialog is not None, "preview")
    orders.preview_dialog.resize(620, 560)
    shot("04_order_preview", orders.preview_dialog)
    orders.preview_dialog.close()

    # a longer run at a low Fxiaoke limit: the progress lines mid-run (phase, n / N, time left, the wait)
    profile = ctx.repo.get(ctx.profile_name)
    profile.batch_size, profile.writeback = 2, True
    ctx.repo.update(profile)
    shared_pacer(profile.fx_url, profile.fx_app_id, PacingConfig(calls=3, window_s=1.5, margin_s=0.0))
    sel.clearSelection()
    for r in range(6, 18):
        sel.select(orders.proxy.index(r, 0), flags)
    done.clear()
    orders.sync_selected()
    _wait(app, lambda: orders.run_progress.fx_label.isVisible() and orders.run_progress.done > 0, "progress mid-run")
    shot("03b_orders_progress", settle=False)
    _wait(app, lambda: bool(done), "long sync")
    profile.batch_size, profile.writeback = 50, False
    ctx.repo.update(profile)
    shared_pacer(profile.fx_url, profile.fx_app_id, PacingConfig())
    win.message_bar.hide()

    synced = [r.number for r in orders.model.rows() if r.k3_number]
    ctx.sandbox.k3_app.admin("ship", {"bill_nos": synced[:2]})
    delivered: list[Any] = []
    orders.deliveries.finished.connect(delivered.append)
    orders.deliveries.start()
    _wait(app, lambda: bool(delivered), "deliveries")
    orders.table.selectRow(0)
    shot("04b_orders_deliveries")
    win.message_bar.hide()

    orders.table.selectRow(orders.proxy.mapFromSource(orders.model.index(
        orders.model.find(next(r.source_id for r in orders.model.rows() if r.k3_number and r.delivery == "1")),
        0)).row())
    orders.simulate_shipment()
    _wait(app, lambda: orders.ship_dialog is not None and orders.ship_dialog.model.rowCount() > 0, "ship dialog")
    shot("04c_simulate_shipment", orders.ship_dialog)
    orders.ship_dialog.close()

    win.go("payments")
    pays = win.pages["payments"]
    pays.date_from.setDate(pays.date_from.date().addDays(-400))
    pays.load()
    _wait(app, lambda: pays.loaded, "payments")
    for r in range(0, min(6, pays.proxy.rowCount())):
        pays.table.selectionModel().select(pays.proxy.index(r, 0), flags)
    paid: list[Any] = []
    pays.sync_finished.connect(paid.append)
    pays.sync_selected()
    _wait(app, lambda: bool(paid), "payments sync")
    shot("04d_payments")
    win.message_bar.hide()

    win.go("products")
    prods = win.pages["products"]
    prods.load()
    _wait(app, lambda: prods.loaded, "products")
    shot("04e_products")
    with ctx.workspace(ctx.profile_name) as ws:
        from core.views import SyncRequest

        estimate = ws.plan_products(SyncRequest("products"))
    box = QMessageBox(QMessageBox.Icon.Question, translate("ProductsPage", "Sync products to Fxiaoke"),
                      estimate.text.pick(args.lang) + "\n\n" + translate("ProductsPage", "Start now?"),
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, win)
    box.show()
    shot("04f_products_confirm", box)
    box.close()
    synced_products: list[Any] = []
    prods.sync_finished.connect(synced_products.append)
    prods.sync(selected=False)
    _wait(app, lambda: bool(synced_products) and prods.loaded and not ctx.tasks.busy, "products sync")
    shot("04g_products_synced")
    win.message_bar.hide()

    win.go("mappings")
    maps = win.pages["mappings"]
    _settle(app, ctx)
    _wait(app, lambda: maps.record_box.count() > 0, "mapping pickers")
    maps.table.selectRow(1)
    maps.preview()
    _wait(app, lambda: bool(maps.preview_view.toPlainText()), "mapping preview")
    shot("05_mappings_preview")
    maps.flow_box.setCurrentIndex(maps.flow_box.findData("deliveries"))
    _wait(app, lambda: maps.ship_editor.saved is not None and not ctx.tasks.busy, "shipment states")
    shot("05b_mappings_deliveries")
    maps.flow_box.setCurrentIndex(maps.flow_box.findData("orders"))
    maps.tabs.setCurrentIndex(1)
    shot("05c_mappings_fixed_values")
    maps.tabs.setCurrentIndex(0)

    win.go("inbox")
    inbox = win.pages["inbox"]
    _wait(app, lambda: inbox.groups_model.rowCount() > 0, "inbox")
    shot("05d_inbox")

    win.go("history")
    hist = win.pages["history"]
    _settle(app, ctx)
    hist.problems_only.setChecked(False)
    shot("06_history")

    ctx.sandbox.fx_app.admin("knobs", {"openapi_package": False})  # the company has no OpenAPI package: 30003
    win.go("customers")
    cust.load()
    _wait(app, lambda: win.message_bar.isVisible() and win.message_bar.level == "error", "30003 error")
    win.show_last_error_exchange()
    win.log_pane.details.setCurrentIndex(0)
    shot("07_log_pane_30003_explained")
    win.log_pane.details.setCurrentIndex(2)
    shot("08_log_pane_response", win.log_pane)
    win.log_pane.hide()
    win.message_bar.hide()

    win.go("orders")  # a sync refused with 30003: History says why and shows its calls
    orders.table.selectRow(0)
    failed_runs = len(hist.runs_model.rows())
    orders.sync_selected()
    _wait(app, lambda: win.message_bar.isVisible() and win.message_bar.level == "error", "30003 sync")
    win.message_bar.hide()
    win.go("history")
    _wait(app, lambda: len(hist.runs_model.rows()) > failed_runs and hist.reason.isVisible(), "failed run")
    _settle(app, ctx)
    win.message_bar.hide()
    shot("06b_history_failed_run")
    hist.show_calls()
    _wait(app, lambda: win.log_pane.run_id is not None, "run calls")
    shot("07b_log_pane_run_calls")
    win.log_pane.show_live()
    win.log_pane.hide()
    ctx.sandbox.fx_app.admin("knobs", {"openapi_package": True})

    win.go("connections")
    secret = conn.inputs["fx_app_secret"]
    secret.setText("wrong-secret-000")
    conn.test()
    _wait(app, lambda: conn.doctor_models["fxiaoke"].rowCount() > 0 and not ctx.tasks.busy, "doctor (bad)")
    shot("09_connections_bad_secret")
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
