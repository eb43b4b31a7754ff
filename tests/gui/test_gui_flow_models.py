"""The new flows' table models pass qtmodeltester: payments, products (through their proxy), shipment lines."""

from __future__ import annotations

from PySide6.QtCore import Qt

from core.errors import ErrorInfo, Text
from core.views import CHANGED, HELD, NEW, SYNCED, ProductRow, RecordRow, ShipLine
from gui.models.products import ProductFilter, ProductsModel, ProductsProxy
from gui.models.records import RecordFilter, RecordsModel, RecordsProxy
from gui.models.ship_lines import EditLine, ShipLinesModel


def _products() -> list[ProductRow]:
    return [
        ProductRow("MAT-0003", "止回阀", "DN50", "个", "2026-12-01T10:00:00", "p3", SYNCED),
        ProductRow("MAT-0001", "不锈钢球阀", "DN15", "个", "2026-12-02T10:00:00", "", NEW),
        ProductRow("MAT-0002", "铜质闸阀", "DN20", "箱", "2026-12-03T10:00:00", "", HELD,
                   ErrorInfo("unit_not_in_fxiaoke", "fxiaoke", Text("单位“箱”没有对应选项", "no option 箱"))),
        ProductRow("MAT-0004", "安全阀", "DN25", "个", "2026-12-04T10:00:00", "p4", CHANGED),
    ]


def test_products_model_and_proxy(qtmodeltester, zh):
    model = ProductsModel()
    model.set_rows(_products())
    qtmodeltester.check(model)
    proxy = ProductsProxy()
    proxy.setSourceModel(model)
    proxy.set_filter(ProductFilter(state=HELD))
    assert proxy.rowCount() == 1 and "箱" in proxy.index(0, model.column_of("state")).data()
    qtmodeltester.check(proxy)
    proxy.set_filter(ProductFilter(text="闸阀"))
    assert [r.number for r in proxy.source_rows([0])] == ["MAT-0002"]
    proxy.set_filter(ProductFilter())
    proxy.sort(model.column_of("number"), Qt.SortOrder.AscendingOrder)
    assert [proxy.source_rows([i])[0].number for i in range(4)] == ["MAT-0001", "MAT-0002", "MAT-0003", "MAT-0004"]
    qtmodeltester.check(proxy)
    assert proxy.index(0, model.column_of("modified")).data() == "2026-12-02 10:00"


def test_payments_model_shows_the_order_and_the_receipt(qtmodeltester, zh):
    model = RecordsModel("payments")
    model.set_rows([
        RecordRow("p1", "20261201-000001", "20261201-000001", "上海某某", 1234.5, 1_796_000_000_000, 1,
                  extra="20261127-000123", state=SYNCED, k3_number="20261201-000001", k3_state="audited"),
        RecordRow("p2", "20261202-000002", "20261202-000002", "杭州某某", 99.0, 1_796_100_000_000, 1,
                  extra="20261127-000124", state=HELD,
                  error=ErrorInfo("order_not_synced", "k3cloud", Text("订单还没有同步到金蝶", "order not in K3Cloud"))),
    ])
    qtmodeltester.check(model)
    assert model.index(0, model.column_of("extra")).data() == "20261127-000123"
    assert model.index(0, model.column_of("amount")).data() == "1,234.50"
    proxy = RecordsProxy()
    proxy.setSourceModel(model)
    proxy.set_filter(RecordFilter(state=HELD))
    assert proxy.rowCount() == 1 and "订单还没有同步到金蝶" in proxy.index(0, model.column_of("state")).data()
    qtmodeltester.check(proxy)


def test_ship_lines_model_edits_only_the_quantity_within_the_ordered(qtmodeltester):
    model = ShipLinesModel()
    model.set_rows([EditLine(ShipLine(1, "MAT-0001", "球阀", 10, 4, 1), 7.0),
                    EditLine(ShipLine(2, "MAT-0002", "闸阀", 5, 0, 0), 5.0)])
    qtmodeltester.check(model)
    qty = model.qty_column
    assert model.index(0, model.column_of("shipped")).data() == "3"  # net of the return
    assert model.flags(model.index(0, qty)) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(model.index(0, qty), 11)  # more than ordered
    assert not model.setData(model.index(0, 0), 3)
    assert model.setData(model.index(1, qty), 0)
    assert model.quantities() == {"1": 7.0}


def test_a_new_page_is_remembered_by_its_key_and_an_old_index_still_opens_its_page(qtbot, demo_ctx, tmp_path,
                                                                                   prompts, no_leaks):
    from gui.main_window import MainWindow
    from gui.settings import LAST_PAGE, LAST_PAGE_KEY, UiSettings

    ini = str(tmp_path / "gui.ini")
    first = MainWindow(demo_ctx, UiSettings(ini))
    qtbot.addWidget(first)
    first.go("products")
    first.detach()
    first.close()
    assert UiSettings(ini).get(LAST_PAGE_KEY) == "products" and UiSettings(ini).get(LAST_PAGE) == 0
    second = MainWindow(demo_ctx, UiSettings(ini))
    qtbot.addWidget(second)
    assert second.current_page() == "products"
    second.detach()
    second.close()
    old = UiSettings(str(tmp_path / "old.ini"))
    old.set(LAST_PAGE, 4)  # an older version's History (the fifth of its pages)
    old.sync()
    third = MainWindow(demo_ctx, UiSettings(str(tmp_path / "old.ini")))
    qtbot.addWidget(third)
    assert third.current_page() == "history"
    qtbot.waitUntil(lambda: not demo_ctx.tasks.busy, timeout=20000)
    third.detach()
