"""K3Cloud simulator over real HTTP: ExecuteBillQuery / BillQuery keys, filters, ordering, paging and errors."""

from __future__ import annotations

import json

import pytest

from tests.helpers_k3sandbox import FORM, K3, k3, logged_in, order_model, status  # noqa: F401 - fixtures


@pytest.fixture
def orders(logged_in: K3) -> K3:
    """Three orders: O-1 (1 line, audited), O-2 (2 lines, customer O'Brien), O-3 (3 lines, dated later)."""
    k3 = logged_in
    assert status(k3.save("BD_Customer", {"FNumber": "C-OB", "FName": "O'Brien 贸易"},
                          IsAutoSubmitAndAudit="true"))["IsSuccess"]
    k3.save("SAL_SaleOrder", order_model(bill_no="O-1", lines=1), IsAutoSubmitAndAudit="true")
    k3.save("SAL_SaleOrder", order_model("C-OB", bill_no="O-2", lines=2))
    k3.save("SAL_SaleOrder", order_model(bill_no="O-3", lines=3, FDate="2026-06-01 08:30:00"))
    return k3


def _nos(rows: list) -> list:
    return [r[0] for r in rows]


def test_header_keys_give_one_row_per_bill(orders: K3):
    rows = orders.query("SAL_SaleOrder", "FBillNo,FDocumentStatus,FDate,FCustId.FNumber,FCustId.FName,FCustId")
    assert _nos(rows) == ["O-1", "O-2", "O-3"]
    assert rows[0][1:5] == ["C", "2026-05-15T00:00:00", "CUST-0007", "上海老客户有限公司"]
    assert rows[2][2] == "2026-06-01T08:30:00"
    assert isinstance(rows[0][5], int) and rows[0][5] > 0


def test_entry_keys_give_one_row_per_entry(orders: K3):
    rows = orders.query("SAL_SaleOrder",
                        "FBillNo,FSaleOrderEntry_FEntryId,FMaterialId.FNumber,FMaterialId.FSpecification,"
                        "FQty,FAllAmount,FSettleCurrId.FNumber", "FBillNo='O-2'")
    assert [(r[0], r[2], r[3], r[4], r[5], r[6]) for r in rows] == [
        ("O-2", "MAT-0001", "规格1", 10.0, 1130.0, "PRE001"), ("O-2", "MAT-0002", "规格2", 20.0, 2260.0, "PRE001")]
    assert rows[0][1] != rows[1][1]
    assert len(orders.query("SAL_SaleOrder", "FID,FMaterialId.FNumber")) == 6


def test_bill_query_returns_dicts_keyed_as_asked(orders: K3):
    body = orders.call("BillQuery", None, {"FormId": "SAL_SaleOrder", "FieldKeys": "FBillNo,FCustId.FNumber",
                                           "FilterString": "FBillNo='O-1'"})
    assert body == [{"FBillNo": "O-1", "FCustId.FNumber": "CUST-0007"}]


@pytest.mark.parametrize("filt,expected", [
    ("FBillNo='O-2'", ["O-2"]),
    ("FBillNo<>'O-2'", ["O-1", "O-3"]),
    ("FBillNo != 'O-2'", ["O-1", "O-3"]),
    ("FDate>'2026-05-15'", ["O-3"]),
    ("FDate>='2026-05-15'", ["O-1", "O-2", "O-3"]),
    ("FDate<'2026-06-01'", ["O-1", "O-2"]),
    ("FDate<='2026-06-01 08:30:00'", ["O-1", "O-2", "O-3"]),
    ("FBillNo IN ('O-1','O-3','X')", ["O-1", "O-3"]),
    ("FBillNo NOT IN ('O-1')", ["O-2", "O-3"]),
    ("FBillNo LIKE 'O-%'", ["O-1", "O-2", "O-3"]),
    ("FCustId.FName LIKE '%贸易'", ["O-2"]),
    ("FCustId.FName = 'O''Brien 贸易'", ["O-2"]),
    ("FDocumentStatus='C' OR FBillNo='O-3'", ["O-1", "O-3"]),
    ("(FDocumentStatus='A' OR FBillNo='O-1') AND FCustId.FNumber='CUST-0007'", ["O-1", "O-3"]),
    ("NOT FDocumentStatus='A'", ["O-1"]),
    ("FApproveDate IS NULL", ["O-2", "O-3"]),
    ("FApproveDate IS NOT NULL", ["O-1"]),
    ("fbillno = 'o-1'", ["O-1"]),
    ("", ["O-1", "O-2", "O-3"]),
])
def test_filter_operators(orders: K3, filt, expected):
    assert _nos(orders.query("SAL_SaleOrder", "FBillNo", filt)) == expected


def test_numeric_filters_on_entry_fields(orders: K3):
    rows = orders.query("SAL_SaleOrder", "FBillNo,FQty", "FQty >= 20 AND FQty < 30")
    assert rows == [["O-2", 20.0], ["O-3", 20.0]]


def test_order_string(orders: K3):
    rows = orders.query("SAL_SaleOrder", "FBillNo,FQty", "FBillNo IN ('O-2','O-3')",
                        OrderString="FQty DESC, FBillNo ASC")
    assert rows == [["O-3", 30.0], ["O-2", 20.0], ["O-3", 20.0], ["O-2", 10.0], ["O-3", 10.0]]
    assert _nos(orders.query("SAL_SaleOrder", "FBillNo", "", OrderString="FDate DESC")) == ["O-3", "O-1", "O-2"]


def test_paging_start_row_limit_and_top_row_count(logged_in: K3):
    k3 = logged_in
    models = [order_model(bill_no=f"P-{i:03d}") for i in range(25)]
    assert status(k3.call("BatchSave", "SAL_SaleOrder", {"Model": models}))["IsSuccess"]
    pages, start = [], 0
    while True:
        page = k3.query("SAL_SaleOrder", "FBillNo", "", OrderString="FBillNo", StartRow=start, Limit=10,
                        TopRowCount=start + 10)
        pages.append(len(page))
        start += len(page)
        if len(page) < 10:
            break
        assert _nos(page)[0] == f"P-{start - 10:03d}"
    assert pages == [10, 10, 5]
    assert len(k3.query("SAL_SaleOrder", "FBillNo", "", StartRow=5, Limit=10, TopRowCount=8)) == 3
    assert len(k3.query("SAL_SaleOrder", "FBillNo", "", TopRowCount=4)) == 4
    assert len(k3.query("SAL_SaleOrder", "FBillNo", "", Limit=0)) == 25
    assert k3.query("SAL_SaleOrder", "FBillNo", "", StartRow=30, Limit=10) == []


def test_limit_is_capped_at_10000(logged_in: K3):
    k3 = logged_in
    assert len(k3.query("BD_MATERIAL", "FNumber", "", Limit=50000)) == 5


def test_base_data_forms_are_queryable(logged_in: K3):
    k3 = logged_in
    assert k3.query("BD_MATERIAL", "FMATERIALID,FNumber,FName,FBaseUnitId.FNumber,FDocumentStatus",
                    "FNumber='MAT-0003'")[0][1:] == ["MAT-0003", "物料3", "Pcs", "C"]
    assert k3.query("ORG_Organizations", "FNumber,FName", "", OrderString="FNumber") == [
        ["100", "总公司"], ["101", "华东分公司"]]
    assert k3.query("BD_Currency", "FCURRENCYID,FNumber,FName", "")[0][1:] == ["PRE001", "人民币"]


@pytest.mark.parametrize("data,code,message", [
    ({"FormId": "SAL_SaleOrder", "FieldKeys": "FBillNo,FNoSuchField"}, 9, "元数据中标识为 FNoSuchField 的字段不存在"),
    ({"FormId": "SAL_SaleOrder", "FieldKeys": "FCustId.FNope"}, 9, "元数据中标识为 FCustId.FNope 的字段不存在"),
    ({"FormId": "SAL_DELIVERYNOTICE", "FieldKeys": "FCustId"}, 9, "元数据中标识为 FCustId 的字段不存在"),
    ({"FormId": "SAL_SaleOrder", "FieldKeys": ""}, 8, "data 数据包中的参数 FieldKeys 的值不能为空"),
    ({"FormId": "SAL_SaleOrder"}, 8, "data 数据包中的参数 FieldKeys 的值不能为空"),
    ({"FormId": "NO_SUCH_FORM", "FieldKeys": "FID"}, 4, "标识为“NO_SUCH_FORM”的业务对象不存在，或者被删除"),
    ({"FormId": "BD_Currency", "FieldKeys": "FID,FNumber"}, 4, "列名 'FID' 无效。"),
    ({"FormId": "BD_Currency", "FieldKeys": "FNumber", "OrderString": "FID"}, 4, "列名 'FID' 无效。"),
    ({"FormId": "SAL_SaleOrder", "FieldKeys": "FBillNo", "FilterString": "FBillNo = "}, 4, None),
    ({"FormId": "SAL_SaleOrder", "FieldKeys": "FBillNo", "FilterString": "FBillNo = 'x"}, 4, None),
    ({"FormId": "SAL_SaleOrder", "FieldKeys": "FBillNo", "FilterString": "(FBillNo = 'x'"}, 4, None),
    ({"FormId": "SAL_SaleOrder", "FieldKeys": "FBillNo", "FilterString": "FNope = 1"}, 9, None),
    ({"FormId": "SAL_SaleOrder", "FieldKeys": "FBillNo", "StartRow": "abc"}, 8, None),
    ({"FieldKeys": "FBillNo"}, 5, None),
])
def test_query_errors_are_nested_for_execute_bill_query_and_bare_for_bill_query(logged_in: K3, data, code, message):
    nested = logged_in.call("ExecuteBillQuery", None, data)
    assert isinstance(nested, list) and isinstance(nested[0], list)
    rs = status(nested)
    assert rs["IsSuccess"] is False and rs["ErrorCode"] == 500 and rs["MsgCode"] == code
    if message:
        assert rs["Errors"][0]["Message"] == message
    if code == 4 and message is None:
        assert rs["Errors"][0]["Message"].startswith("GetRealExpress error")
    bare = logged_in.call("BillQuery", None, data)
    assert isinstance(bare, dict) and status(bare)["MsgCode"] == code


def test_query_bodies_in_every_style(logged_in: K3):
    data = {"FormId": "BD_UNIT", "FieldKeys": "FNumber", "FilterString": "FNumber='Box'"}
    for body in ({"data": data}, {"data": json.dumps(data)}, {"parameters": [json.dumps(data)]},
                 {"Data": data}):
        assert logged_in.post(FORM + "ExecuteBillQuery", body).json() == [["Box"]]
