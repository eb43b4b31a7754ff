"""Every table model passes pytest-qt's qtmodeltester (with rows, through its proxy, after sorting and filtering)."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt

from core.doctor_types import Step
from core.errors import ErrorInfo, Text
from core.http import ExchangeRecord
from core.mapping import load_default
from gui.models.doctor import DoctorModel
from gui.models.exchanges import ExchangeModel, ExchangeProxy
from gui.models.history import ItemRow, ItemsModel, ItemsProxy, RunRow, RunsModel
from gui.models.lines import LineRow, LinesModel
from gui.models.mapping import COL_ARGS, COL_REQUIRED, COL_SOURCE, MappingRulesModel
from gui.models.records import FAILED, NEW, SYNCED, RecordFilter, RecordRow, RecordsModel, RecordsProxy
from gui.widgets.value_map import ValueMapModel

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def _records() -> list[RecordRow]:
    return [
        RecordRow("a1", "20261127-000123", "20261127-000123", "上海某某", 12300.0, 1_795_800_000_000, 1, state=NEW),
        RecordRow("a2", "20261127-000124", "20261127-000124", "杭州某某", 8450.0, 1_795_700_000_000, 1,
                  state=SYNCED, k3_number="XSDD00931", k3_state="audited"),
        RecordRow("a3", "20261126-000118", "20261126-000118", "南京某某", 2100.0, 1_795_600_000_000, 1,
                  state=FAILED,
                  error=ErrorInfo("missing_base_data", "k3cloud", Text("物料 MAT-9 不存在", "MAT-9 missing"))),
    ]


def test_records_model_and_proxy(qtmodeltester, zh):
    model = RecordsModel("orders")
    model.set_rows(_records())
    qtmodeltester.check(model)
    proxy = RecordsProxy()
    proxy.setSourceModel(model)
    proxy.set_filter(RecordFilter(state=SYNCED))
    assert proxy.rowCount() == 1
    qtmodeltester.check(proxy)
    proxy.set_filter(RecordFilter(text="南京"))
    assert proxy.source_rows([0])[0].source_id == "a3"
    proxy.set_filter(RecordFilter())
    proxy.sort(model.column_of("amount"), Qt.SortOrder.AscendingOrder)
    assert [r.amount for r in model.rows()] == [2100.0, 8450.0, 12300.0]
    assert model.find("a1") == 2
    qtmodeltester.check(proxy)
    assert model.index(0, model.column_of("state")).data().startswith("失败")
    assert RecordsModel("customers").columnCount() == 6


def _exchange(side: str, code: str | None, status: int | None = 200, endpoint: str = "cgi/crm/v2/data/query"):
    return ExchangeRecord(NOW, side, "POST", endpoint, "http://x/" + endpoint, status, 12.5, "{}", "{}", code)


def test_exchange_model_bounded_and_filtered(qtmodeltester):
    model = ExchangeModel(max_rows=3)
    for rec in (_exchange("fxiaoke", "0"), _exchange("fxiaoke", "30003"), _exchange("k3cloud", None),
                _exchange("k3cloud", None, None,
                          "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc")):
        model.add(rec)
    assert model.rowCount() == 3  # the oldest fell off
    assert model.index(2, 2).data() == "DynamicFormService.Save"
    qtmodeltester.check(model)
    proxy = ExchangeProxy()
    proxy.setSourceModel(model)
    proxy.update(errors_only=True)
    assert proxy.rowCount() == 2
    proxy.update(side="fxiaoke")
    assert proxy.rowCount() == 1
    qtmodeltester.check(proxy)
    proxy.update(side="", errors_only=False, text="save")
    assert proxy.rowCount() == 1


def test_doctor_lines_history_models(qtmodeltester, zh):
    doctor = DoctorModel()
    doctor.set_rows([Step("fxiaoke", "reachable", True, Text("已连接", "reached")),
                     Step("fxiaoke", "token", False, Text("appSecret 错误", "wrong appSecret"), "fx_app_secret",
                          "10006")])
    qtmodeltester.check(doctor)
    assert doctor.index(1, 2).data() == "appSecret"
    assert "10006" in doctor.index(1, 1).data()
    lines = LinesModel()
    lines.set_rows([LineRow("电磁阀 80V", "MAT-0054", 50.0, 2117.86, 105893.0)])
    qtmodeltester.check(lines)
    runs = RunsModel()
    runs.set_rows([RunRow(1, "orders", NOW, NOW, "done", {"created": 3, "failed": 1})])
    qtmodeltester.check(runs)
    assert runs.index(0, 4).data() == "部分失败"
    items = ItemsModel()
    items.set_rows([ItemRow(1, 1, "orders", "s1", "20261127-000123", "audited", 1, "1", "20261127-000123"),
                    ItemRow(2, 1, "orders", "s2", "BAD", "failed", 0,
                            error=ErrorInfo(None, "k3cloud", Text("物料 MAT-9999 不存在", "no MAT-9999")))])
    qtmodeltester.check(items)
    proxy = ItemsProxy()
    proxy.setSourceModel(items)
    proxy.set_problems_only(True)
    assert proxy.rowCount() == 1
    qtmodeltester.check(proxy)


def test_mapping_and_value_map_models(qtmodeltester, zh):
    model = MappingRulesModel()
    model.set_rules(load_default("orders").rules)
    qtmodeltester.check(model)
    assert model.setData(model.index(0, COL_SOURCE), "name")
    assert not model.setData(model.index(0, COL_ARGS), "{not json")
    assert model.setData(model.index(0, COL_REQUIRED), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.rules()[0].required is False
    assert model.move_rule(0, 1) == 1
    model.mark_bad(1)
    qtmodeltester.check(model)
    values = ValueMapModel()
    values.set_map({"1": "KH01"}, [{"value": "1", "label": "普通客户"}, {"value": "2", "label": "VIP"}])
    qtmodeltester.check(values)
    assert values.setData(values.index(1, 2), "KH02")
    assert values.values() == {"1": "KH01", "2": "KH02"}
