"""Issue 16's small GUI fixes: honest sync and run wording, ASCII punctuation in English, uncut headers, the right
search hint, History newest first and in view, the quota light, order dates in the time zone FDate is sent in."""

from __future__ import annotations

import ast
import re
import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt

from core.sync.journal import Journal
from gui.models.history import ItemRow, ItemsModel, RunRow, RunsModel
from gui.models.mapping import COL_SOURCE
from tests.helpers_gui import add_order_with_missing_material, click, load_page, proxy_row_of, select_rows, wait_idle

ROOT = Path(__file__).resolve().parents[2]
CHINESE_PUNCTUATION = re.compile(r"[“”‘’；：，。（）！？【】、]")


def _message(window) -> tuple[str, str]:
    return window.message_bar.text.text(), window.message_bar.advice.text()


def test_one_failed_record_alone_is_not_called_partial_and_has_no_others(qtbot, window, demo_ctx):
    bad_id = add_order_with_missing_material(demo_ctx.sandbox)
    page = load_page(qtbot, window, "orders")
    select_rows(page.table, [proxy_row_of(page.proxy, lambda r: r.source_id == bad_id)])
    with qtbot.waitSignal(page.sync_finished, timeout=30000):
        click(qtbot, page.sync_button)
    text, advice = _message(window)
    assert window.message_bar.level == "warning"
    assert text.startswith("该记录未能同步：") and "MAT-9999" in text, text
    assert "其他记录" not in text + advice and "已同步 1 条" not in text and "失败 1 条" not in text
    assert "同步记录" in advice  # where to retry it

    window.go("history")
    history = window.pages["history"]
    qtbot.waitUntil(lambda: history.runs_model.rowCount() == 1 and history.items_model.rowCount() == 1,
                    timeout=10000)
    assert history.runs_proxy.index(0, 4).data() == "失败"  # not 部分失败: nothing went through
    attempts = history.items_model.column_of("attempts")
    assert history.items_proxy.index(0, attempts).data() == "未发送"  # it stopped before anything reached K3Cloud
    assert "发送" in history.items_proxy.index(0, attempts).data(Qt.ItemDataRole.ToolTipRole)
    wait_idle(qtbot, demo_ctx)


def test_run_and_item_wording(qtmodeltester, zh):
    runs = RunsModel()
    runs.set_rows([RunRow(1, "orders", None, None, "done", {"failed": 1}),
                   RunRow(2, "orders", None, None, "done", {"created": 1, "failed": 1}),
                   RunRow(3, "orders", None, None, "done", {"created": 2})])
    assert [runs.index(r, 4).data() for r in range(3)] == ["失败", "部分失败", "完成"]
    items = ItemsModel()
    items.set_rows([ItemRow(1, 1, "orders", "a", "k1", "failed", attempts=0),
                    ItemRow(2, 1, "orders", "b", "k2", "failed", attempts=2),
                    ItemRow(3, 1, "orders", "c", "k3", "skipped", attempts=0)])
    col = items.column_of("attempts")
    assert [items.index(r, col).data() for r in range(3)] == ["未发送", "2", "—"]
    qtmodeltester.check(runs)
    qtmodeltester.check(items)


def _english_sources() -> list[tuple[str, str]]:
    found = []
    for path in (ROOT / "gui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            name = getattr(node, "func", None)
            name = getattr(name, "id", getattr(name, "attr", None))
            if isinstance(node, ast.Call) and name in ("translate", "QT_TRANSLATE_NOOP") and len(node.args) >= 2:
                text = node.args[1]
                if isinstance(text, ast.Constant):
                    found.append((str(path.relative_to(ROOT)), str(text.value)))
    return found


def test_english_texts_use_ascii_quotes_and_punctuation():
    bad = [(f, t) for f, t in _english_sources() if CHINESE_PUNCTUATION.search(t)]
    assert bad == []
    english = ET.parse(ROOT / "resources" / "i18n" / "fxk3sync_en.ts").getroot()
    shown = [m.findtext("translation") or "" for m in english.iter("message")]
    assert [t for t in shown if CHINESE_PUNCTUATION.search(t)] == []


def test_headers_are_not_cut_in_english_and_the_search_hints_fit_the_page(qtbot, window, demo_ctx, zh):
    customers, orders = window.pages["customers"], window.pages["orders"]
    assert "金蝶单号" not in customers.search.placeholderText() and "客户" in customers.search.placeholderText()
    assert "订单" in orders.search.placeholderText()
    window.language_requested.connect(zh.install)
    window.language_actions["en"].trigger()
    maps = window.pages["mappings"]
    window.go("mappings")
    qtbot.waitUntil(lambda: maps.model.headerData(COL_SOURCE, Qt.Orientation.Horizontal) == "Fxiaoke field (source)",
                    timeout=5000)
    qtbot.wait(20)
    header = maps.table.horizontalHeader()
    for col in range(maps.model.columnCount()):
        text = maps.model.headerData(col, Qt.Orientation.Horizontal)
        need = header.fontMetrics().horizontalAdvance(text) + 12
        assert header.sectionSize(col) >= need, (text, header.sectionSize(col))
    assert "Kingdee bill" not in customers.search.placeholderText()
    assert customers.search.placeholderText().startswith("Search customer")
    wait_idle(qtbot, demo_ctx)
    zh.install("zh_CN")


def test_history_says_newest_first_and_shows_new_runs_after_refresh(qtbot, window, demo_ctx):
    journal = Journal(demo_ctx.db, demo_ctx.repo.profile_id(demo_ctx.profile_name))
    for _ in range(40):
        journal.finish_run(journal.start_run("orders"), "done", {"created": 1})
    window.go("history")
    page = window.pages["history"]
    qtbot.waitUntil(lambda: page.runs_model.rowCount() == 40, timeout=10000)
    header = page.runs_view.horizontalHeader()
    assert header.sortIndicatorSection() == 0 and header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    ids = [page.runs_proxy.source_rows([r])[0].id for r in range(page.runs_proxy.rowCount())]
    assert ids == sorted(ids, reverse=True)  # what the arrow says
    # the clerk looks at an old run far down, then a new run is made (a scheduled task) and they press Refresh
    page.runs_view.selectRow(35)
    page.runs_view.scrollToBottom()
    assert page.runs_view.rowAt(0) > 0  # the newest rows are above the view
    newest = journal.start_run("orders")
    journal.finish_run(newest, "done", {"created": 1})
    click(qtbot, page.refresh_button)
    qtbot.waitUntil(lambda: page.runs_model.rowCount() == 41, timeout=10000)
    assert page.selected_run().id == newest
    top = page.runs_view.visualRect(page.runs_proxy.index(0, 0))
    assert page.runs_proxy.source_rows([0])[0].id == newest and page.runs_view.viewport().rect().contains(top)
    # a refresh without new runs keeps what the clerk selected
    page.runs_view.selectRow(10)
    chosen = page.selected_run().id
    click(qtbot, page.refresh_button)
    wait_idle(qtbot, demo_ctx)
    assert page.selected_run().id == chosen
    # sorting by another column is kept over a refresh, and the arrow still tells the truth
    page.runs_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    click(qtbot, page.refresh_button)
    wait_idle(qtbot, demo_ctx)
    ids = [page.runs_proxy.source_rows([r])[0].id for r in range(page.runs_proxy.rowCount())]
    assert ids == sorted(ids) and header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder


def test_no_openapi_package_turns_the_fxiaoke_light_red(qtbot, window, demo_ctx):
    load_page(qtbot, window, "customers", days=400)
    assert window.fx_state.state == "ok" and "已连接" in window.fx_state.label()
    demo_ctx.sandbox.fx_app.admin("knobs", {"openapi_package": False})  # 30003 on every business call
    page = window.pages["customers"]
    click(qtbot, page.load_button)
    qtbot.waitUntil(lambda: window.message_bar.isVisible() and window.message_bar.level == "error", timeout=20000)
    assert window.fx_state.state == "refused" and "已连接" not in window.fx_state.label()
    assert "#dc2626" in window.fx_state.dot.styleSheet()
    assert "OpenAPI" in window.fx_state.toolTip() and "OpenAPI" in window.quota_label.text()
    # a token call still succeeds: that alone does not make it green again, a business call that goes through does
    demo_ctx.sandbox.fx_app.admin("knobs", {"openapi_package": True})
    click(qtbot, page.load_button)
    qtbot.waitUntil(lambda: page.loaded and window.fx_state.state == "ok", timeout=20000)
    assert "已连接" in window.fx_state.label()
    wait_idle(qtbot, demo_ctx)


@pytest.fixture
def utc_clock(monkeypatch):
    """This PC's clock in UTC (a server, or a laptop set to London), 8 hours behind Asia/Shanghai."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_order_date_is_shown_in_the_zone_fdate_is_sent_in(qtbot, window, demo_ctx, utc_clock):
    # 20:00 UTC two days ago is 04:00 the next morning in Shanghai: K3Cloud gets the Shanghai day
    moment = datetime.now(UTC).replace(hour=20, minute=0, second=0, microsecond=0) - timedelta(days=2)
    fx = demo_ctx.sandbox.fx_app
    account = fx.admin("records", {"api_name": "AccountObj"})["records"][0]
    order = fx.admin("add_records", {"api_name": "SalesOrderObj", "records": [
        {"name": "20991231-TZ0001", "account_id": account["_id"], "account_id__r": account["name"],
         "order_time": int(moment.timestamp() * 1000), "order_amount": "10.00", "order_status": "7",
         "life_status": "normal"}]})["ids"][0]
    product = fx.admin("records", {"api_name": "ProductObj"})["records"][0]
    fx.admin("add_records", {"api_name": "SalesOrderProductObj", "records": [
        {"name": "20991231-TZ0001-1", "order_id": order, "order_id__r": "20991231-TZ0001",
         "product_id": product["_id"], "product_id__r": product["name"], "quantity": "1", "sales_price": "10.00",
         "subtotal": "10.00", "life_status": "normal"}]})
    page = load_page(qtbot, window, "orders", days=10)
    row = proxy_row_of(page.proxy, lambda r: r.source_id == order)
    assert row >= 0
    shown = page.proxy.index(row, page.model.column_of("date")).data()
    assert shown == (moment + timedelta(hours=8)).strftime("%Y-%m-%d") != moment.strftime("%Y-%m-%d")
    select_rows(page.table, [row])
    with qtbot.waitSignal(page.sync_finished, timeout=30000) as blocker:
        click(qtbot, page.sync_button)
    assert [i.status for i in blocker.args[0].items] == ["created"]
    sent = next(r for r in demo_ctx.sandbox.k3_app.admin("records", {"form_id": "SAL_SaleOrder"})["records"]
                if r.get("FBillNo") == "20991231-TZ0001")
    assert str(sent["FDate"]).startswith(shown)
    # the date filter counts days the same way: the order is on the day it shows
    day = QDate.fromString(shown, "yyyy-MM-dd")
    page.date_from.setDate(day)
    page.date_to.setDate(day)
    assert proxy_row_of(page.proxy, lambda r: r.source_id == order) >= 0
    wait_idle(qtbot, demo_ctx)


def test_newest_first_is_drawn_with_the_arrow_windows_users_read_as_descending(qtbot, qapp):
    """QHeaderView asks for SortUp when descending and Fusion draws it as ▲ (Windows and Excel: ascending)."""
    from PySide6.QtWidgets import QStyleFactory, QTableWidget

    from gui.widgets.style import AppStyle

    def header_image(make_style, order):
        table = QTableWidget(2, 2)
        qtbot.addWidget(table)
        style = make_style()
        style.setParent(table)  # lives as long as the table
        table.horizontalHeader().setStyle(style)
        table.setHorizontalHeaderLabels(["Run", "Flow"])
        table.horizontalHeader().setSortIndicatorShown(True)
        table.horizontalHeader().setSortIndicator(0, order)
        table.resize(240, 120)
        table.show()
        return table.horizontalHeader().grab().toImage()

    ours, fusion = AppStyle, lambda: QStyleFactory.create("Fusion")
    newest_first = header_image(ours, Qt.SortOrder.DescendingOrder)
    assert newest_first == header_image(fusion, Qt.SortOrder.AscendingOrder)  # Fusion's ▼
    assert newest_first != header_image(fusion, Qt.SortOrder.DescendingOrder)  # Fusion's ▲
    assert header_image(ours, Qt.SortOrder.AscendingOrder) == header_image(fusion, Qt.SortOrder.DescendingOrder)


def test_the_date_zone_comes_from_the_mapping_rule_that_sends_the_date():
    from core.mapping import load_default
    from gui.models.records import DISPLAY_TZ, date_time_zone

    mapping = load_default("orders")
    assert date_time_zone(mapping, "orders") == "Asia/Shanghai" == DISPLAY_TZ
    rule = next(r for r in mapping.rules if r.target == "FDate")
    rule.args = {**rule.args, "tz": "+07:00"}
    assert date_time_zone(mapping, "orders") == "+07:00"
    rule.args = {**rule.args, "tz": "Mars/Olympus"}  # invalid: validation names it; the table still shows a date
    assert date_time_zone(mapping, "orders") == DISPLAY_TZ
    assert date_time_zone(None, "customers") == DISPLAY_TZ
