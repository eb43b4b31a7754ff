"""Both faces on one store: what the CLI did and reports, the GUI shows the same, through the same service calls."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from core.sandbox import start_sandbox
from core.secrets import MemorySecretStore
from core.store import Database
from tests.helpers_gui import click, load_page, select_rows, wait_idle
from tests.helpers_sync import PROFILE, cli, cli_add_profile, flow_view, ids_of, live_orders, sync_json

SIZES = {"orders": 16, "customers": 8, "products": 12}


@pytest.fixture
def sb():
    with start_sandbox(seed=21, demo_sizes=SIZES) as s:
        yield s


@pytest.fixture
def gui(qtbot: Any, qapp: Any, zh: Any, sb: Any, cli_env: dict[str, str], tmp_path: Path, prompts: Any) -> Any:
    """A GUI window on the CLI's own store (the same database file), with the same secrets in memory."""
    from gui.context import AppContext
    from gui.main_window import MainWindow
    from gui.settings import UiSettings

    cli_add_profile(cli_env, sb)
    c = sb.credentials()
    store = MemorySecretStore()
    for key, value in (("fx-app-secret", c["fxiaoke"]["app_secret"]),
                       ("fx-permanent-code", c["fxiaoke"]["permanent_code"]),
                       ("k3-password", c["k3cloud"]["password"])):
        store.set(PROFILE, key, value)
    ctx = AppContext(Database(Path(cli_env["FXK3SYNC_HOME"]) / "fxk3sync.db"), store)
    win = MainWindow(ctx, UiSettings(str(tmp_path / "gui.ini")))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: ctx.profile_name == PROFILE, timeout=5000)
    yield win, ctx
    ctx.tasks.shutdown()
    ctx.close()


def test_the_gui_reports_what_the_cli_did_and_checks_the_same(qtbot, sb, cli_env, gui):
    win, ctx = gui
    orders = live_orders(sb, 5)
    code, out, err = sync_json(cli_env, PROFILE, "orders", "--ids", ids_of(orders[:3]))
    assert code == 0, err
    cli_orders = {i["source_id"]: i for i in flow_view(out)["items"]}
    check = json.loads(cli(cli_env, "check", PROFILE, "--json").stdout)

    # History: the CLI's run with the same counts and the same items
    win.go("history")
    history = win.pages["history"]
    history.reload()
    qtbot.waitUntil(lambda: history.runs_model.rowCount() == 1 and history.items_model.rowCount() > 0,
                    timeout=10000)
    run = history.runs_model.row(0)
    assert {k: run.counts.get(k, 0) for k in ("created", "failed")} == {k: out[k] for k in ("created", "failed")}
    items = {i.source_id: i for i in history.items_model.rows() if i.flow == "orders"}
    assert {sid: i.k3_number for sid, i in items.items()} == {sid: i["k3_number"] for sid, i in cli_orders.items()}

    # Orders page: the records the CLI synced show its K3 numbers and state; the others are not synced
    page = load_page(qtbot, win, "orders", days=3650)
    shown = {r.source_id: r for r in page.model.rows()}
    for sid, item in cli_orders.items():
        assert (shown[sid].state, shown[sid].k3_number) == ("synced", item["k3_number"])
    assert all(shown[o["_id"]].state == "new" for o in orders[3:])

    # Preview: the GUI's preview of an unsynced order is the payload the CLI's dry run would send
    dry = cli(cli_env, "sync", PROFILE, "orders", "--ids", orders[3]["_id"], "--dry-run")
    assert dry.returncode == 0, dry.stderr
    select_rows(page.table, [next(r for r in range(page.proxy.rowCount())
                                  if page.proxy.source_rows([r])[0].source_id == orders[3]["_id"])])
    click(qtbot, page.preview_button)
    qtbot.waitUntil(lambda: page.preview_dialog is not None, timeout=10000)
    gui_package = json.loads(page.preview_dialog.text())
    printed = dry.stdout.split(f"--- {orders[3]['_id']}\n", 1)[1]
    cli_package = json.loads(printed[:printed.index("\n}\n") + 2])
    assert gui_package == cli_package
    page.preview_dialog.close()

    # Connections: the doctor's verdict per side is the CLI's
    win.go("connections")
    conn = win.pages["connections"]
    with qtbot.waitSignal(conn.tested, timeout=20000) as blocker:
        click(qtbot, conn.test_button)
    report = blocker.args[0]
    for side in ("fxiaoke", "k3cloud"):
        verdict = report.verdict(side)
        assert (verdict.ok, verdict.code) == (check[side]["ok"], check[side]["code"])
    wait_idle(qtbot, ctx)
