"""K3Cloud simulator over real HTTP: receipts (AR_RECEIVEBILL), delivery notices, returns, partial shipments."""

from __future__ import annotations

import pytest

from tests.helpers_k3sandbox import K3, k3, logged_in, order_model, status  # noqa: F401 - fixtures

SO = "SAL_SaleOrder"
PROGRESS = "FSaleOrderEntry_FSeq,FQty,FStockOutQty,FDeliQty,FReturnQty"


def _receipt(number: str = "PAY-1", amount: object = "1130.00", order: str | None = "R-1", **changes) -> dict:
    entry = {"FSETTLETYPEID": {"FNumber": "JSFS04_SYS"}, "FPURPOSEID": {"FNumber": "SFKYT01_SYS"},
             "FRECTOTALAMOUNTFOR": amount}
    if order:
        entry.update(FRECEIVEITEMTYPE="1", FRECEIVEITEM=order, FSALEORDERNO=order)
    model = {"FBillNo": number, "FBillTypeID": {"FNumber": "SKDLX01_SYS"}, "FDATE": "2026-05-20",
             "FCONTACTUNITTYPE": "BD_Customer", "FCONTACTUNIT": {"FNumber": "CUST-0007"},
             "FPAYUNITTYPE": "BD_Customer", "FPAYUNIT": {"FNumber": "CUST-0007"},
             "FCURRENCYID": {"FNumber": "PRE001"}, "FSETTLECUR": {"FNumber": "PRE001"},
             "FPAYORGID": {"FNumber": "100"}, "FSETTLEORGID": {"FNumber": "100"}, "FSALEORGID": {"FNumber": "100"},
             "FRECEIVEBILLENTRY": [entry]}
    model.update(changes)
    return model


def test_receipt_save_query_submit_audit(logged_in: K3):
    k3 = logged_in
    k3.save(SO, order_model(bill_no="R-1"))
    body = k3.save("AR_RECEIVEBILL", _receipt())
    assert status(body)["IsSuccess"] is True and body["Result"]["Number"] == "PAY-1"
    keys = ("FBillNo,FDocumentStatus,FDATE,FCONTACTUNIT.FNumber,FPAYUNIT.FName,FCURRENCYID.FNumber,"
            "FRECEIVEITEMTYPE,FRECEIVEITEM,FSALEORDERNO,FRECTOTALAMOUNTFOR,FRECAMOUNTFOR_E,FRECAMOUNTFOR,"
            "FSETTLETYPEID.FNumber,FPURPOSEID.FNumber,FPOSTDATE")
    assert k3.query("AR_RECEIVEBILL", keys, "FSALEORDERNO='R-1'") == [[
        "PAY-1", "A", "2026-05-20T00:00:00", "CUST-0007", "上海老客户有限公司", "PRE001", "1", "R-1", "R-1",
        1130.0, 1130.0, 1130.0, "JSFS04_SYS", "SFKYT01_SYS", "2026-05-20T00:00:00"]]
    assert status(k3.call("Submit", "AR_RECEIVEBILL", {"Numbers": ["PAY-1"]}))["IsSuccess"] is True
    rs = status(k3.call("Audit", "AR_RECEIVEBILL", {"Numbers": ["PAY-1"]}))
    assert rs["SuccessMessages"][0]["Message"] == "单据编号为“PAY-1”的收款单，审核成功！"
    row = k3.query("AR_RECEIVEBILL", "FDocumentStatus,FApproveDate,FModifyDate", "FBillNo='PAY-1'")[0]
    assert row[0] == "C" and row[1] is not None and row[1] == row[2]
    assert status(k3.save("AR_RECEIVEBILL", _receipt()))["MsgCode"] == 11  # FBillNo is unique


@pytest.mark.parametrize("drop,field", [
    ("FBillTypeID", "FBillTypeID"), ("FDATE", "FDATE"), ("FCONTACTUNITTYPE", "FCONTACTUNITTYPE"),
    ("FCONTACTUNIT", "FCONTACTUNIT"), ("FPAYUNITTYPE", "FPAYUNITTYPE"), ("FPAYUNIT", "FPAYUNIT"),
    ("FCURRENCYID", "FCURRENCYID"), ("FSETTLECUR", "FSETTLECUR"), ("FPAYORGID", "FPAYORGID"),
])
def test_receipt_required_head_fields(logged_in: K3, drop, field):
    model = _receipt(order=None)
    del model[drop]
    rs = status(logged_in.save("AR_RECEIVEBILL", model))
    assert rs["IsSuccess"] is False and rs["MsgCode"] == 11 and [e["FieldName"] for e in rs["Errors"]] == [field]


def test_receipt_required_entry_fields_and_rows(logged_in: K3):
    k3 = logged_in
    model = _receipt(order=None)
    del model["FRECEIVEBILLENTRY"][0]["FPURPOSEID"]
    rs = status(k3.save("AR_RECEIVEBILL", model))
    assert [e["FieldName"] for e in rs["Errors"]] == ["FPURPOSEID"]
    rs = status(k3.save("AR_RECEIVEBILL", _receipt(order=None, FRECEIVEBILLENTRY=[])))
    assert [e["FieldName"] for e in rs["Errors"]] == ["FRECEIVEBILLENTRY"]


def test_delivery_notice_and_return_stock_save_with_their_keys(logged_in: K3):
    k3 = logged_in
    notice = {"FBillTypeID": {"FNUMBER": "FHTZD01_SYS"}, "FSaleOrgId": {"FNumber": "100"},
              "FCustomerID": {"FNumber": "CUST-0007"},
              "FEntity": [{"FMaterialID": {"FNumber": "MAT-0001"}, "FQty": 4, "FSrcBillNo": "SO-X",
                           "FOrderNo": "SO-X"}]}
    assert status(k3.save("SAL_DELIVERYNOTICE", notice))["IsSuccess"] is True
    ret = {"FBillTypeID": {"FNUMBER": "XSTHD01_SYS"}, "FSaleOrgId": {"FNumber": "100"},
           "FRetcustId": {"FNumber": "CUST-0007"}, "SubHeadEntity": {"FSettleCurrId": {"FNumber": "PRE001"}},
           "FEntity": [{"FMaterialId": {"FNumber": "MAT-0001"}, "FRealQty": 1, "FOrderNo": "SO-X"}]}
    body = k3.save("SAL_RETURNSTOCK", ret)
    assert status(body)["IsSuccess"] is True and body["Result"]["Number"] == "XSTHD000001"
    assert k3.query("SAL_RETURNSTOCK", "FRetcustId.FNumber,FMaterialId.FNumber,FRealQty,FOrderNo", "") == [
        ["CUST-0007", "MAT-0001", 1.0, "SO-X"]]
    rs = status(k3.save("SAL_RETURNSTOCK", {**ret, "FRetcustId": None}))
    assert [e["FieldName"] for e in rs["Errors"]] == ["FRetcustId"]


@pytest.mark.parametrize("form,qty_key,link_key,progress", [
    ("SAL_OUTSTOCK", "FRealQty", "FSoorDerno", "FStockOutQty"),
    ("SAL_DELIVERYNOTICE", "FQty", "FOrderNo", "FDeliQty"),
])
def test_partial_shipment_over_two_bills_then_a_return(logged_in: K3, form, qty_key, link_key, progress):
    k3 = logged_in
    k3.save(SO, order_model(bill_no="P-1", lines=2))  # line 1: 10, line 2: 20
    first = k3.admin("ship", {"bill_nos": ["P-1"], "form_id": form, "lines": {"P-1": {"1": 4, "2": 20}}})
    assert first["orders"] == ["P-1"] and first["form_id"] == form
    rows = k3.query(form, f"FBillNo,FDocumentStatus,FMaterialID.FNumber,{qty_key},{link_key},FSrcBillNo,FSrcType",
                    f"{link_key}='P-1'")
    assert [r[1:] for r in rows] == [["C", "MAT-0001", 4.0, "P-1", "P-1", "SAL_SaleOrder"],
                                     ["C", "MAT-0002", 20.0, "P-1", "P-1", "SAL_SaleOrder"]]
    line = k3.query(SO, f"FSaleOrderEntry_FSeq,{progress}", "FBillNo='P-1'")
    assert line == [[1, 4.0], [2, 20.0]]
    second = k3.admin("ship", {"bill_nos": ["P-1"], "form_id": form, "remaining": True})  # what is still open
    assert k3.query(form, qty_key, f"FBillNo='{second['bill_nos'][0]}'") == [[6.0]]
    assert k3.query(SO, progress, "FBillNo='P-1'") == [[10.0], [20.0]]
    assert k3.admin("ship", {"bill_nos": ["P-1"], "form_id": form, "remaining": True})["bill_nos"] == []
    if form == "SAL_OUTSTOCK":
        ret = k3.admin("return", {"bill_no": "P-1", "lines": {"2": 5}})
        assert k3.query("SAL_RETURNSTOCK", "FDocumentStatus,FOrderNo,FSrcBillNo,FSrcType,FRealQty",
                        f"FBillNo='{ret['bill_no']}'") == [["C", "P-1", first["bill_nos"][0], "SAL_OUTSTOCK", 5.0]]
        assert k3.query(SO, PROGRESS, "FBillNo='P-1'") == [[1, 10.0, 10.0, 0.0, 0.0], [2, 20.0, 20.0, 0.0, 5.0]]
        again = k3.admin("ship", {"bill_nos": ["P-1"], "remaining": True})
        assert k3.query("SAL_OUTSTOCK", "FMaterialID.FNumber,FRealQty", f"FBillNo='{again['bill_nos'][0]}'") == [
            ["MAT-0002", 5.0]]


def test_unauditing_a_shipping_bill_takes_its_quantity_back(logged_in: K3):
    k3 = logged_in
    k3.save(SO, order_model(bill_no="Q-1"))
    out = k3.admin("ship", {"bill_nos": ["Q-1"]})["bill_nos"][0]
    assert k3.query(SO, "FStockOutQty", "FBillNo='Q-1'") == [[10.0]]
    assert status(k3.call("UnAudit", "SAL_OUTSTOCK", {"Numbers": [out]}))["IsSuccess"] is True
    assert k3.query(SO, "FStockOutQty", "FBillNo='Q-1'") == [[0.0]]
    k3.call("Submit", "SAL_OUTSTOCK", {"Numbers": [out]})
    k3.call("Audit", "SAL_OUTSTOCK", {"Numbers": [out]})
    assert k3.query(SO, "FStockOutQty", "FBillNo='Q-1'") == [[10.0]]


def test_audited_bills_are_found_by_approve_and_modify_date(logged_in: K3):
    k3 = logged_in
    k3.save(SO, order_model(bill_no="T-1"))
    k3.save(SO, order_model(bill_no="T-2"))
    early = k3.admin("ship", {"bill_nos": ["T-1"], "form_id": "SAL_DELIVERYNOTICE"})["bill_nos"][0]
    mark = k3.query("SAL_DELIVERYNOTICE", "FApproveDate", f"FBillNo='{early}'")[0][0]
    k3.clock.advance(120)
    late = k3.admin("ship", {"bill_nos": ["T-2"], "form_id": "SAL_DELIVERYNOTICE"})["bill_nos"][0]
    for form in ("SAL_DELIVERYNOTICE",):
        assert k3.query(form, "FBillNo", f"FDocumentStatus='C' AND FApproveDate>'{mark}'") == [[late]]
        assert k3.query(form, "FBillNo", f"FModifyDate>'{mark}'") == [[late]]
    for form in ("SAL_SaleOrder", "SAL_OUTSTOCK", "SAL_RETURNSTOCK", "AR_RECEIVEBILL", "BD_MATERIAL", "BD_Customer"):
        assert isinstance(k3.query(form, "FDocumentStatus,FApproveDate,FModifyDate", ""), list)


def test_ship_without_lines_ships_full_quantities_and_count_picks_unshipped_orders(logged_in: K3):
    k3 = logged_in
    for no in ("F-1", "F-2", "F-3"):
        k3.save(SO, order_model(bill_no=no, lines=2))
    k3.app.ship(["F-2"], lines={"F-2": {"1": 1}})
    assert k3.app.ship(count=5)["orders"] == ["F-1", "F-3"]  # F-2 already has an out-stock
    assert k3.app.ship(count=5, remaining=True)["orders"] == ["F-2"]  # only F-2 has something open
    assert k3.query(SO, "FStockOutQty", "FBillNo='F-2'") == [[10.0], [20.0]]
    k3.app.ship(["F-1"])  # the default repeats the full quantities, like the first wave's tool
    assert k3.query(SO, "FStockOutQty", "FBillNo='F-1'") == [[20.0], [40.0]]


def test_ship_admin_errors(k3: K3):
    for payload in ({"form_id": "SAL_RETURNSTOCK", "count": 1}, {"bill_nos": "S-1"}, {"lines": [1]}):
        r = k3.http.post(k3.server.url + "__sandbox__/admin/ship", json=payload, timeout=5)
        assert r.status_code == 400, r.text
    r = k3.http.post(k3.server.url + "__sandbox__/admin/return", json={"bill_no": "NOPE"}, timeout=5)
    assert r.status_code == 400
