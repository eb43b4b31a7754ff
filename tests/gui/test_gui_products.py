"""Products page against the sandbox over real HTTP: materials and their Fxiaoke state, a confirmed sync."""

from __future__ import annotations

from core.views import CHANGED, NEW, SYNCED
from tests.helpers_flows import add_materials
from tests.helpers_gui import click, select_rows, wait_idle


def _load(qtbot, window):
    window.go("products")
    page = window.pages["products"]
    page.loaded = False
    click(qtbot, page.load_button)
    qtbot.waitUntil(lambda: page.loaded, timeout=30000)
    return page


def _fx_products(demo_ctx) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in demo_ctx.sandbox.fx_app.admin("records", {"api_name": "ProductObj"})["records"]:
        out.setdefault(r["product_code"], []).append(r)
    return out


def test_materials_show_their_fxiaoke_state_and_a_confirmed_sync_creates_and_updates(qtbot, window, demo_ctx,
                                                                                    prompts):
    with demo_ctx.workspace(demo_ctx.profile_name) as ws:
        add_materials(ws.k3, ["NEW-001", "NEW-002"])
    page = _load(qtbot, window)
    states = {r.number: r.state for r in page.model.rows()}
    assert states["NEW-001"] == NEW and states["MAT-0001"] == CHANGED  # the demo's names carry the spec
    assert page.proxy.rowCount() == 22
    page.state_box.setCurrentIndex(page.state_box.findData(NEW))
    assert page.proxy.rowCount() == 2
    page.state_box.setCurrentIndex(0)

    prompts.answers["question"] = False  # the user reads the estimate and says no: nothing is written
    click(qtbot, page.sync_button)
    qtbot.waitUntil(lambda: "question" in prompts.kinds(), timeout=30000)
    asked = prompts.shown[-1]
    assert "新建 2 个、更新 20 个产品" in asked.text and "分钟" in asked.text
    wait_idle(qtbot, demo_ctx)
    assert "NEW-001" not in _fx_products(demo_ctx)

    prompts.answers["question"] = True
    with qtbot.waitSignal(page.sync_finished, timeout=60000) as blocker:
        click(qtbot, page.sync_button)
    summary = blocker.args[0]
    assert (summary.counts["created"], summary.counts["updated"]) == (2, 20)
    assert window.message_bar.level == "success" and "2" in window.message_bar.text.text()
    qtbot.waitUntil(lambda: page.loaded and not demo_ctx.tasks.busy, timeout=30000)
    assert {r.state for r in page.model.rows()} == {SYNCED}
    have = _fx_products(demo_ctx)
    assert len(have["NEW-001"]) == 1 and have["NEW-001"][0]["name"] == "新物料 NEW-001"
    history = window.pages["history"]  # built when first shown: it loads the runs in the background
    wait_idle(qtbot, demo_ctx)
    assert history.runs_model.rows()[0].flow == "products"


def test_selected_materials_only_and_nothing_to_write_is_said_not_asked(qtbot, window, demo_ctx, prompts):
    prompts.answers["question"] = True
    page = _load(qtbot, window)
    select_rows(page.table, [0])
    (chosen,) = page.selected_rows()
    assert "(1)" in page.selected_button.text()
    with qtbot.waitSignal(page.sync_finished, timeout=60000) as blocker:
        click(qtbot, page.selected_button)
    assert [(i.source_id, i.status) for i in blocker.args[0].items] == [(chosen.number, "updated")]
    qtbot.waitUntil(lambda: page.loaded and not demo_ctx.tasks.busy, timeout=30000)
    select_rows(page.table, [page.proxy.index(r, 0).row() for r in range(page.proxy.rowCount())
                             if page.proxy.source_rows([r])[0].number == chosen.number])
    asked = len(prompts.shown)
    click(qtbot, page.selected_button)
    qtbot.waitUntil(lambda: window.message_bar.isVisible() and window.message_bar.level == "info", timeout=30000)
    assert len(prompts.shown) == asked  # nothing to write: no question
    wait_idle(qtbot, demo_ctx)
