"""The clerk's day in the window: History says why a run stopped (and shows its calls), progress says what is going
on (phase, n / N, time left, waits for Fxiaoke), the Needs attention page groups what a person must fix and retries
it, and the Mappings page shows and edits the template's fixed values."""

from __future__ import annotations

import json
import time

from PySide6.QtCore import QTimer

from core.fxiaoke.pacing import PacingConfig, shared_pacer
from core.sync.model import ItemResult
from core.views import Progress, RateWait
from gui.main_window import PAGES
from gui.widgets.progress import RunProgress
from tests.helpers_gui import (
    MISSING_MATERIAL,
    add_order_with_missing_material,
    click,
    load_page,
    proxy_row_of,
    select_rows,
    wait_idle,
)


def test_history_shows_why_a_run_stopped_by_30003_in_the_ui_language_and_its_calls(qtbot, window, demo_ctx, zh):
    orders = load_page(qtbot, window, "orders")
    select_rows(orders.table, [0])
    demo_ctx.sandbox.fx_app.admin("knobs", {"openapi_package": False})  # the company's OpenAPI package is gone
    click(qtbot, orders.sync_button)
    qtbot.waitUntil(lambda: window.message_bar.isVisible() and window.message_bar.level == "error", timeout=20000)
    wait_idle(qtbot, demo_ctx)

    window.go("history")
    page = window.pages["history"]
    qtbot.waitUntil(lambda: page.runs_model.rowCount() == 1 and page.selected_run() is not None, timeout=10000)
    run = page.selected_run()
    assert run.status == "failed" and run.error is not None and run.error.code == "30003"
    assert page.reason.isVisible()
    zh_text = page.reason.text()
    assert run.error.message.zh in zh_text and run.error.advice.zh in zh_text and "30003" in zh_text
    assert page.runs_proxy.index(0, 5).data() == run.error.message.zh.splitlines()[0].strip()  # Result column

    zh.install("en")  # the language is picked when shown: the same stored error now reads in English
    qtbot.waitUntil(lambda: run.error.message.en in page.reason.text(), timeout=5000)
    assert run.error.advice.en in page.reason.text() and run.error.message.zh not in page.reason.text()

    with qtbot.waitSignal(page.calls_loaded, timeout=10000):
        click(qtbot, page.reason.button)
    pane = window.log_pane
    assert pane.isVisible() and pane.run_id == run.id and pane.run_bar.isVisible()
    shown = [pane.proxy.source_rows([r])[0] for r in range(pane.proxy.rowCount())]
    assert shown and all(r.code in ("0", "30003", None) or r.side == "k3cloud" for r in shown)
    assert pane.selected_records()[-1].code == "30003", "the call that stopped the run is selected"
    assert f"#{run.id}" in pane.run_label.text()
    click(qtbot, pane.live_button)
    assert pane.run_id is None and not pane.run_bar.isVisible() and pane.proxy.sourceModel() is pane.model


def test_progress_counts_records_estimates_time_left_and_names_fxiaoke_waits(qapp, zh):
    now = [100.0]
    bar = RunProgress(clock=lambda: now[0])
    bar.start("…", 10)
    bar.event_received(Progress("select", 0, 0, {}))
    assert "纷享" in bar.k3_text() and bar.time_left() is None
    bar.event_received(Progress("write", 0, 10, {}))
    now[0] = 110.0
    bar.event_received(Progress("write", 2, 10, {}))
    assert bar.time_left() == 40.0  # 8 left at 2 per 10 s
    text = bar.k3_text()
    assert "2 / 10" in text and "40" in text
    assert not bar.fx_label.isVisibleTo(bar)
    bar.event_received(RateWait(12.0, 100, 20.0))
    assert bar.fx_label.isVisibleTo(bar)
    wait = bar.fx_label.text()
    assert "100" in wait and "20" in wait and "12" in wait and "纷享" in wait
    now[0] = 123.0
    bar.event_received(Progress("writeback", 4, 10, {}))
    assert "纷享" in bar.fx_label.text() and "12" not in bar.fx_label.text(), "the wait is over: writing back"
    bar.deleteLater()
    # an orders page counts its orders, not the customers the run pushed first
    page_bar = RunProgress(flow="orders", clock=lambda: now[0])
    page_bar.start("…", 3)
    page_bar.event_received(Progress("write", 1, 3, {}, ItemResult("acct-1", "created", flow="customers")))
    assert page_bar.done == 0 and "0 / 3" in page_bar.k3_text()
    page_bar.event_received(Progress("write", 2, 3, {}, ItemResult("order-1", "created", flow="orders")))
    assert page_bar.done == 1 and "1 / 3" in page_bar.k3_text()
    page_bar.deleteLater()


def test_a_sync_shows_rows_as_they_settle_and_waits_on_the_fxiaoke_limit(qtbot, window, demo_ctx):
    name = demo_ctx.profile_name
    profile = demo_ctx.repo.get(name)
    profile.batch_size = 2
    demo_ctx.repo.update(profile)
    shared_pacer(profile.fx_url, profile.fx_app_id, PacingConfig(calls=4, window_s=0.6, margin_s=0.0))
    orders = load_page(qtbot, window, "orders", days=400)
    select_rows(orders.table, list(range(6)))
    ids = [r.source_id for r in orders.selected_rows()]
    seen: dict[str, object] = {"mid": False, "count": ""}
    fx_lines: list[str] = []

    def look() -> None:
        if not orders.run_progress.isVisible():
            return
        synced = [orders.model.row(orders.model.find(i)).state == "synced" for i in ids]
        bar = orders.run_progress
        lane_busy = bar.fx_total is not None and (bar.fx_done or 0) < bar.fx_total
        if any(synced) and (not all(synced) or lane_busy):
            # rows show their K3Cloud number while the run goes on (the write-back lane may still be draining)
            seen["mid"] = True
        if orders.run_progress.fx_label.isVisible():
            fx_lines.append(orders.run_progress.fx_label.text())
        if " / 6" in orders.run_progress.label.text():
            seen["count"] = orders.run_progress.label.text()

    timer = QTimer()
    timer.timeout.connect(look)
    timer.start(5)
    with qtbot.waitSignal(orders.sync_finished, timeout=60000) as blocker:
        click(qtbot, orders.sync_button)
    timer.stop()
    assert [i.status for i in blocker.args[0].items if i.flow == "orders"] == ["created"] * 6
    assert seen["mid"], "rows settle during the run, not only at its end"
    waits = [t for t in fx_lines if "限流" in t]
    assert waits and all("每 0.6 秒最多 4 次调用" in t for t in waits), set(fx_lines)  # the limit in force
    assert seen["count"], "the phase line counts n / N"
    assert not orders.run_progress.isVisible()
    wait_idle(qtbot, demo_ctx)


def test_needs_attention_groups_the_cause_counts_in_the_nav_and_retries_once_fixed(qtbot, window, demo_ctx, zh,
                                                                                   qtmodeltester):
    bad_id = add_order_with_missing_material(demo_ctx.sandbox)
    orders = load_page(qtbot, window, "orders")
    bad = proxy_row_of(orders.proxy, lambda r: r.source_id == bad_id)
    good = proxy_row_of(orders.proxy, lambda r: r.source_id != bad_id)
    select_rows(orders.table, [bad, good])
    with qtbot.waitSignal(orders.sync_finished, timeout=30000):
        click(qtbot, orders.sync_button)
    page = window.pages["inbox"]
    nav = window.nav.item(PAGES.index("inbox"))
    qtbot.waitUntil(lambda: nav.text() == "待处理 (1)", timeout=10000)  # counted while the page is hidden

    window.go("inbox")
    qtbot.waitUntil(lambda: page.groups_model.rowCount() == 1 and page.selected_group() is not None, timeout=10000)
    for model in (page.groups_model, page.groups_proxy, page.records_model, page.records_proxy):
        qtmodeltester.check(model)
    group = page.selected_group()
    assert page.groups_proxy.index(0, 0).data() == f"物料 {MISSING_MATERIAL} 在金蝶中不存在：1 张订单"
    assert page.records_proxy.rowCount() == 1 and page.records_proxy.index(0, 0).data() == "20991231-BAD001"
    assert page.advice.isVisible() and group.advice.zh in page.advice.text()
    assert page.retry_button.isEnabled() and page.retry_button.text().endswith("(1)")
    zh.install("en")
    qtbot.waitUntil(lambda: page.groups_proxy.index(0, 0).data().startswith(f"Material {MISSING_MATERIAL}"),
                    timeout=5000)
    qtbot.waitUntil(lambda: group.advice.en in page.advice.text() and nav.text() == "Inbox (1)",
                    timeout=5000)
    zh.install("zh_CN")

    # the implementer fixes the product code in Fxiaoke, then retries the group
    with demo_ctx.workspace(demo_ctx.profile_name) as ws:
        fx = ws.fx
        product = next(p for p in fx.query("ProductObj", filters=[("product_code", "EQ", MISSING_MATERIAL)]))
        fx.update("ProductObj", product["_id"], {"product_code": "MAT-0001"})
    with qtbot.waitSignal(page.action_finished, timeout=30000) as blocker:
        click(qtbot, page.retry_button)
    assert [i.status for i in blocker.args[0].items if i.source_id == bad_id] == ["created"]
    qtbot.waitUntil(lambda: page.groups_model.rowCount() == 0 and nav.text() == "待处理", timeout=10000)
    k3 = demo_ctx.sandbox.k3_app.admin("records", {"form_id": "SAL_SaleOrder"})["records"]
    assert [r["FBillNo"] for r in k3].count("20991231-BAD001") == 1
    assert "没有" in page.count_label.text() or "Nothing" in page.count_label.text()
    wait_idle(qtbot, demo_ctx)


def test_mappings_show_the_fixed_values_and_a_changed_tax_rate_is_saved_and_sent(qtbot, window, demo_ctx, zh):
    window.go("mappings")
    page = window.pages["mappings"]
    qtbot.waitUntil(lambda: page.base is not None and page.flow == "orders", timeout=10000)
    model = page.fixed_model
    rows = {model.index(r, 1).data(): r for r in range(model.rowCount())}
    assert set(rows) == {"FBillTypeID.FNumber", "FSaleOrderFinance.FSettleCurrId.FNumber",
                         "FSaleOrderFinance.FIsIncludedTax", "FSaleOrderEntry[].FEntryTaxRate"}
    tax = rows["FSaleOrderEntry[].FEntryTaxRate"]
    # the default sends no rate: each line takes its material's (FTaxRateId); a fixed rate can be given here
    assert model.index(tax, 0).data() == "每行税率（%）" and "物料" in model.index(tax, 2).data()
    assert page.tabs.tabText(1) == "固定值 (4)"
    assert not model.setData(model.index(tax, 2), "九")  # not a number: refused, said in the message bar
    assert window.message_bar.level == "error" and "物料" in model.index(tax, 2).data()
    assert model.setData(model.index(tax, 2), "9")
    assert page.dirty and page.save_button.isEnabled()
    with qtbot.waitSignal(demo_ctx.mapping_saved, timeout=10000):
        click(qtbot, page.save_button)
    with demo_ctx.workspace(demo_ctx.profile_name) as ws:
        mapping, version = ws.mapping("orders")
        order = ws.sample_ids("SalesOrderObj", 1)[0][0]
        package = ws.preview("orders", order)
    assert version >= 1 and mapping.template["FSaleOrderEntry"][0]["FEntryTaxRate"] == 9
    assert '"FEntryTaxRate": 9' in package and '"FEntryTaxRate": 13' not in package
    entry = json.loads(package)["Model"]["FSaleOrderEntry"][0]
    assert list(entry).index("FEntryTaxRate") == list(entry).index("FMaterialId") + 1  # after the material
    wait_idle(qtbot, demo_ctx)


def test_the_orders_banner_counts_the_orders_and_names_the_customers_pushed_first(qtbot, window, demo_ctx):
    fx = demo_ctx.sandbox.fx_app
    account = fx.admin("add_records", {"api_name": "AccountObj", "records": [
        {"name": "新客户十六", "account_no": "CUST-NEW-16", "tel": "021-1616"}]})["ids"][0]
    product = fx.admin("records", {"api_name": "ProductObj"})["records"][0]["_id"]
    order = fx.admin("add_records", {"api_name": "SalesOrderObj", "records": [
        {"name": "20991231-NEW016", "account_id": account, "account_id__r": "新客户十六",
         "order_time": int(time.time() * 1000), "order_amount": "9.00", "life_status": "normal"}]})["ids"][0]
    fx.admin("add_records", {"api_name": "SalesOrderProductObj", "records": [
        {"order_id": order, "product_id": product, "quantity": "1", "sales_price": "9.00", "life_status": "normal"}]})
    orders = load_page(qtbot, window, "orders")
    select_rows(orders.table, [proxy_row_of(orders.proxy, lambda r: r.source_id == order)])
    with qtbot.waitSignal(orders.sync_finished, timeout=30000) as blocker:
        click(qtbot, orders.sync_button)
    summary = blocker.args[0]
    assert summary.counts_of("orders")["created"] == 1 and summary.counts_of("customers")["created"] == 1
    text = window.message_bar.text.text()
    assert text.startswith("已同步 1 条记录") and "另有 1 个新客户先在金蝶中创建" in text, text
    wait_idle(qtbot, demo_ctx)
