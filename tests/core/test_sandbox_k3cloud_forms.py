"""K3Cloud simulator over real HTTP: Save/BatchSave/View/Submit/Audit/UnAudit/Delete, errors, body styles, state."""

from __future__ import annotations

import json
import threading

import pytest
import requests

from tests.helpers_k3sandbox import FORM, K3, k3, logged_in, order_model, status  # noqa: F401 - fixtures

DUP = "违反字段唯一性要求：编码唯一。[{}]在当前系统中已经被使用。"


def _customer(number: str | None = "C-NEW-1", name: str = "新客户") -> dict:
    model = {"FCUSTID": 0, "FCreateOrgId": {"FNumber": "100"}, "FUseOrgId": {"FNumber": "100"}, "FName": name,
             "FTRADINGCURRID": {"FNumber": "PRE001"}, "FIsTrade": "true"}
    if number is not None:
        model["FNumber"] = number
    return model


def test_save_customer_returns_id_number_and_status_a(logged_in: K3):
    k3 = logged_in
    body = k3.save("BD_Customer", _customer())
    rs = status(body)
    assert rs["IsSuccess"] is True and rs["MsgCode"] == 0 and rs["Errors"] == []
    cid = body["Result"]["Id"]
    assert rs["SuccessEntitys"] == [{"Id": cid, "Number": "C-NEW-1", "DIndex": 0}]
    assert body["Result"]["Number"] == "C-NEW-1" and body["Result"]["NeedReturnData"] == [{}]
    assert k3.query("BD_Customer", "FCUSTID,FDocumentStatus,FTRADINGCURRID.FNumber",
                    "FNumber='C-NEW-1'") == [[cid, "A", "PRE001"]]


@pytest.mark.parametrize("style", ["object", "string", "positional", "FORMID-upper"])
def test_save_body_styles(logged_in: K3, style):
    k3 = logged_in
    data = {"Model": order_model(bill_no="XSDD-STYLE")}
    body = {"object": {"formid": "SAL_SaleOrder", "data": data},
            "string": {"formid": "SAL_SaleOrder", "data": json.dumps(data, ensure_ascii=False)},
            "positional": {"parameters": ["SAL_SaleOrder", json.dumps(data, ensure_ascii=False)]},
            "FORMID-upper": {"FormId": "sal_saleorder", "Data": data}}[style]
    rs = status(k3.post(FORM + "Save", body).json())
    assert rs["IsSuccess"] is True and rs["SuccessEntitys"][0]["Number"] == "XSDD-STYLE"


def test_form_urlencoded_query_body(logged_in: K3):
    k3 = logged_in
    data = json.dumps({"FormId": "BD_UNIT", "FieldKeys": "FNumber,FName", "OrderString": "FNumber"})
    r = k3.http.post(k3.root + FORM + "ExecuteBillQuery.common.kdsvc", data={"data": data}, timeout=5)
    assert r.json() == [["Box", "箱"], ["Pcs", "个"]]


def test_require_string_data_knob(logged_in: K3):
    k3 = logged_in
    k3.admin("knobs", {"require_string_data": True})
    rs = status(k3.save("BD_Customer", _customer()))
    assert rs["IsSuccess"] is False and rs["MsgCode"] == 8
    body = k3.call("Save", "BD_Customer", json.dumps({"Model": _customer()}))
    assert status(body)["IsSuccess"] is True


def test_auto_numbers_for_bills_and_base_data(logged_in: K3):
    k3 = logged_in
    assert k3.save("SAL_SaleOrder", order_model())["Result"]["Number"] == "XSDD000001"
    assert k3.save("SAL_SaleOrder", order_model())["Result"]["Number"] == "XSDD000002"
    number = k3.save("BD_Customer", _customer(None))["Result"]["Number"]
    assert number.startswith("CUST") and number != "CUST-0007"


@pytest.mark.parametrize("form,model,field,number", [
    ("BD_Customer", _customer("CUST-0007"), "FNumber", "CUST-0007"),
    ("SAL_SaleOrder", order_model(bill_no="XSDD-DUP"), "FBillNo", "XSDD-DUP"),
])
def test_duplicate_number_is_msgcode_11_with_the_real_message(logged_in: K3, form, model, field, number):
    k3 = logged_in
    if form == "SAL_SaleOrder":
        assert status(k3.save(form, model))["IsSuccess"] is True
    body = k3.save(form, model)
    rs = status(body)
    assert rs["IsSuccess"] is False and rs["ErrorCode"] == 500 and rs["MsgCode"] == 11
    assert rs["Errors"] == [{"FieldName": field, "Message": DUP.format(number), "DIndex": 0}]
    assert body["Result"]["Id"] == "" and rs["SuccessEntitys"] == []


@pytest.mark.parametrize("path,value,field,name", [
    (("FCustId",), "CUST-9", "FCustId", "客户"),
    (("FSaleOrgId",), "999", "FSaleOrgId", "销售组织"),
    (("FSaleOrderFinance", "FSettleCurrId"), "USD", "FSettleCurrId", "结算币别"),
    (("FSaleOrderEntry", 0, "FMaterialId"), "MAT-9", "FMaterialId", "物料编码"),
    (("FSaleOrderEntry", 0, "FUnitID"), "KG", "FUnitID", "销售单位"),
])
def test_unknown_base_data_number_names_the_field(logged_in: K3, path, value, field, name):
    k3 = logged_in
    model = order_model()
    target = model
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = {"FNUMBER": value}
    rs = status(k3.save("SAL_SaleOrder", model, IsVerifyBaseDataField=True))
    assert rs["IsSuccess"] is False and rs["MsgCode"] == 9
    assert rs["Errors"] == [{"FieldName": field, "Message": f'字段"{name}"的值"{value}"在系统中不存在', "DIndex": 0}]
    assert k3.admin("count", {"form_id": "SAL_SaleOrder"})["count"] == 0


def test_customer_unknown_org_and_currency(logged_in: K3):
    k3 = logged_in
    model = _customer()
    model["FUseOrgId"] = {"FNumber": "777"}
    model["FTRADINGCURRID"] = {"FNumber": "JPY"}
    errors = status(k3.save("BD_Customer", model, IsVerifyBaseDataField="true"))["Errors"]
    assert [e["FieldName"] for e in errors] == ["FUseOrgId", "FTRADINGCURRID"]


def test_required_fields_and_validate_flag(logged_in: K3):
    k3 = logged_in
    rs = status(k3.save("BD_Customer", {"FNumber": "C-NONAME"}))
    assert rs["MsgCode"] == 11 and rs["Errors"][0]["FieldName"] == "FName"
    assert status(k3.save("BD_Customer", {"FNumber": "C-NONAME"}, ValidateFlag="false"))["IsSuccess"] is True


def test_unknown_keys_are_dropped_and_field_order_is_kept(logged_in: K3):
    k3 = logged_in
    model = {"FNumber": "C-ORDER", "FNoSuchField": 1, "FName": "顺序客户", "F_PAEZ_Custom": "x",
             "FTRADINGCURRID": {"FNumber": "PRE001"}, "FDocumentStatus": "C"}
    assert status(k3.save("BD_Customer", model, IsVerifyBaseDataField="true"))["IsSuccess"] is True
    rec = next(r for r in k3.admin("records", {"form_id": "BD_Customer"})["records"] if r["FNumber"] == "C-ORDER")
    assert rec["_order"] == list(model)
    assert rec["_dropped"] == ["FNoSuchField", "F_PAEZ_Custom", "FDocumentStatus"]
    assert "FNoSuchField" not in rec and rec["FDocumentStatus"] == "A"


def test_sub_header_and_entry_field_order_is_kept(logged_in: K3):
    k3 = logged_in
    model = order_model()
    model["FSaleOrderFinance"] = {"FExchangeRate": 1, "FSettleCurrId": {"FNumber": "PRE001"}}
    model["FSaleOrderEntry"] = [{"FTaxPrice": 113, "FQty": 2, "FMaterialId": {"FNumber": "MAT-0001"}}]
    assert status(k3.save("SAL_SaleOrder", model))["IsSuccess"] is True
    rec = k3.admin("records", {"form_id": "SAL_SaleOrder"})["records"][0]
    assert rec["_order"] == list(model)
    assert rec["FSaleOrderFinance"]["_order"] == ["FExchangeRate", "FSettleCurrId"]
    assert rec["FSaleOrderEntry"][0]["_order"] == ["FTaxPrice", "FQty", "FMaterialId"]


def test_need_return_fields_are_echoed(logged_in: K3):
    k3 = logged_in
    body = k3.save("SAL_SaleOrder", order_model(lines=2),
                   NeedReturnFields=["FBillNo", "FID", "FSaleOrderEntry.FEntryID", "FBillAllAmount"])
    data = body["Result"]["NeedReturnData"][0]
    assert data["FBillNo"] == body["Result"]["Number"] and data["FID"] == body["Result"]["Id"]
    assert len(data["FSaleOrderEntry"]) == 2 and all(e["FEntryID"] > 0 for e in data["FSaleOrderEntry"])
    assert data["FBillAllAmount"] == 113 * 10 + 113 * 20


def test_update_with_need_update_fields_is_partial(logged_in: K3):
    k3 = logged_in
    saved = k3.save("SAL_SaleOrder", order_model(lines=2, FNote="原备注"))["Result"]
    rows = k3.query("SAL_SaleOrder", "FSaleOrderEntry_FEntryId,FQty", f"FID={saved['Id']}")
    upd = {"FID": saved["Id"], "FNote": "新备注", "FCustId": {"FNumber": "CUST-9"},  # not listed: ignored
           "FSaleOrderEntry": [{"FEntryID": rows[0][0], "FQty": 99}]}
    body = k3.save("SAL_SaleOrder", upd, NeedUpDateFields=["FNote", "FQty"], IsDeleteEntry="false")
    assert status(body)["IsSuccess"] is True and body["Result"]["Id"] == saved["Id"]
    assert k3.query("SAL_SaleOrder", "FNote,FCustId.FNumber,FQty", f"FID={saved['Id']}") == [
        ["新备注", "CUST-0007", 99.0], ["新备注", "CUST-0007", 20.0]]


def test_update_entries_is_delete_entry_true_drops_missing_lines(logged_in: K3):
    k3 = logged_in
    saved = k3.save("SAL_SaleOrder", order_model(lines=3))["Result"]
    first = k3.query("SAL_SaleOrder", "FSaleOrderEntry_FEntryId", f"FID={saved['Id']}")[0][0]
    upd = {"FID": saved["Id"], "FSaleOrderEntry": [
        {"FEntryID": first, "FQty": 5}, {"FMaterialId": {"FNumber": "MAT-0005"}, "FQty": 1}]}
    assert status(k3.save("SAL_SaleOrder", upd))["IsSuccess"] is True
    rows = k3.query("SAL_SaleOrder", "FSaleOrderEntry_FEntryId,FSaleOrderEntry_FSeq,FMaterialId.FNumber,FQty",
                    f"FID={saved['Id']}")
    assert [r[1:] for r in rows] == [[1, "MAT-0001", 5.0], [2, "MAT-0005", 1.0]] and rows[0][0] == first


def test_update_of_unknown_id_and_of_audited_record_fail(logged_in: K3):
    k3 = logged_in
    assert status(k3.save("SAL_SaleOrder", {"FID": 424242, "FNote": "x"}))["MsgCode"] == 10
    saved = k3.save("SAL_SaleOrder", order_model(), IsAutoSubmitAndAudit="true")["Result"]
    rs = status(k3.save("SAL_SaleOrder", {"FID": saved["Id"], "FNote": "x"}))
    assert rs["IsSuccess"] is False and "已审核" in rs["Errors"][0]["Message"]


def test_batch_save_reports_per_row(logged_in: K3):
    k3 = logged_in
    models = [order_model(bill_no="B-1"), order_model("CUST-404", bill_no="B-2"), order_model(bill_no="B-1"),
              order_model(bill_no="B-4")]
    body = k3.call("BatchSave", "SAL_SaleOrder", {"Model": models, "NeedReturnFields": ["FBillNo"]})
    rs = status(body)
    assert rs["IsSuccess"] is False and rs["ErrorCode"] == 500
    assert [(e["Number"], e["DIndex"]) for e in rs["SuccessEntitys"]] == [("B-1", 0), ("B-4", 3)]
    assert [(e["FieldName"], e["DIndex"]) for e in rs["Errors"]] == [("FCustId", 1), ("FBillNo", 2)]
    assert body["Result"]["NeedReturnData"] == [{"FBillNo": "B-1"}, {"FBillNo": "B-4"}]
    assert "Id" not in body["Result"]


def test_workflow_submit_audit_unaudit_delete(logged_in: K3):
    k3 = logged_in
    ids = [k3.save("SAL_SaleOrder", order_model(bill_no=f"W-{i}"))["Result"]["Id"] for i in range(3)]

    def doc_status() -> list:
        return [r[0] for r in k3.query("SAL_SaleOrder", "FDocumentStatus", "", OrderString="FID")]

    rs = status(k3.call("Audit", "SAL_SaleOrder", {"Numbers": ["W-0"]}))
    assert rs["IsSuccess"] is False and rs["MsgCode"] == 11 and doc_status() == ["A", "A", "A"]
    rs = status(k3.call("Submit", "SAL_SaleOrder", {"Numbers": ["W-0", "W-1"]}))
    assert [e["Number"] for e in rs["SuccessEntitys"]] == ["W-0", "W-1"] and doc_status() == ["B", "B", "A"]
    rs = status(k3.call("Audit", "SAL_SaleOrder", {"Ids": f"{ids[0]},{ids[1]}"}))
    assert rs["IsSuccess"] is True and doc_status() == ["C", "C", "A"]
    assert k3.query("SAL_SaleOrder", "FApproveDate", "FBillNo='W-0'")[0][0].startswith("2026-")
    assert status(k3.call("Delete", "SAL_SaleOrder", {"Numbers": ["W-0"]}))["IsSuccess"] is False
    assert status(k3.call("UnAudit", "SAL_SaleOrder", {"Numbers": ["W-0"]}))["IsSuccess"] is True
    assert doc_status() == ["D", "C", "A"]
    rs = status(k3.call("Delete", "SAL_SaleOrder", {"Numbers": ["W-2", "NOPE", "W-0"]}))
    assert [e["Number"] for e in rs["SuccessEntitys"]] == ["W-0", "W-2"]  # internal-id order, NOPE skipped
    assert rs["IsSuccess"] is True and rs["Errors"] == []
    assert doc_status() == ["C"]


def test_ids_as_a_json_list_only_processes_the_first(logged_in: K3):
    k3 = logged_in
    ids = [k3.save("SAL_SaleOrder", order_model())["Result"]["Id"] for _ in range(2)]
    rs = status(k3.call("Submit", "SAL_SaleOrder", {"Ids": ids}))
    assert rs["IsSuccess"] is True and [e["Id"] for e in rs["SuccessEntitys"]] == [ids[0]]


def test_operations_need_numbers_or_ids(logged_in: K3):
    rs = status(logged_in.call("Submit", "SAL_SaleOrder", {"Numbers": []}))
    assert rs["IsSuccess"] is False and rs["MsgCode"] == 8


def test_view_by_number_and_id(logged_in: K3):
    k3 = logged_in
    saved = k3.save("SAL_SaleOrder", order_model(lines=2, bill_no="V-1"))["Result"]
    by_no = k3.call("View", "SAL_SaleOrder", {"CreateOrgId": 0, "Number": "V-1", "IsSortBySeq": "false"})
    by_id = k3.call("View", "SAL_SaleOrder", {"Id": str(saved["Id"])})
    assert by_no == by_id and status(by_no)["IsSuccess"] is True
    rec = by_no["Result"]["Result"]
    assert rec["Id"] == saved["Id"] and rec["BillNo"] == "V-1" and rec["DocumentStatus"] == "A"
    assert rec["CustId"]["Number"] == "CUST-0007"
    assert rec["CustId"]["Name"] == [{"Key": 2052, "Value": "上海老客户有限公司"}]
    assert [e["MaterialId"]["Number"] for e in rec["SaleOrderEntry"]] == ["MAT-0001", "MAT-0002"]
    rs = status(k3.call("View", "SAL_SaleOrder", {"Number": "V-404"}))
    assert rs["IsSuccess"] is False and rs["MsgCode"] == 10


def test_material_form_id_in_either_casing(logged_in: K3):
    k3 = logged_in
    a = k3.call("View", "BD_MATERIAL", {"Number": "MAT-0001"})["Result"]["Result"]
    b = k3.call("View", "BD_Material", {"Number": "MAT-0001"})["Result"]["Result"]
    assert a == b and a["Name"] == [{"Key": 2052, "Value": "物料1"}]
    assert a["SubHeadEntity"][0]["BaseUnitId"]["Number"] == "Pcs"


def test_unknown_form_is_msgcode_4(logged_in: K3):
    rs = status(logged_in.save("NO_SUCH_FORM", {"FName": "x"}))
    assert rs["MsgCode"] == 4 and rs["Errors"][0]["Message"] == "标识为“NO_SUCH_FORM”的业务对象不存在，或者被删除"


@pytest.mark.parametrize("raw,code", [
    (b"{not json", 4),
    (b'{"formid": "BD_Customer"}', 8),
    (b'{"formid": "BD_Customer", "data": "{broken"}', 8),
    (b'{"formid": "BD_Customer", "data": 42}', 8),
    (b'{"formid": "BD_Customer", "data": {"Model": "text"}}', 8),
    (b'{"formid": "BD_Customer", "data": {"Model": {"FName": {"a": 1}}}}', 8),
    (b'{"formid": "BD_Customer", "data": {"Model": {"FName": "x", "FPriority": "high"}}}', 8),
    (b'{"data": {"Model": {}}}', 5),
    (b'{"parameters": 12}', 8),
    (b"\xff\xfe", 4),
])
def test_bad_bodies_get_the_error_envelope(logged_in: K3, raw, code):
    r = logged_in.post(FORM + "Save", raw=raw)
    assert r.status_code == 200 and "Traceback" not in r.text
    rs = status(r.json())
    assert rs["IsSuccess"] is False and rs["ErrorCode"] == 500 and rs["MsgCode"] == code


def test_unimplemented_service_is_an_envelope_not_a_crash(logged_in: K3):
    rs = status(logged_in.call("Push", "SAL_SaleOrder", {"Numbers": ["x"]}))
    assert rs["IsSuccess"] is False and rs["MsgCode"] == 4


def test_query_business_info(logged_in: K3):
    body = logged_in.call("QueryBusinessInfo", None, {"FormId": "SAL_SaleOrder"})
    entrys = body["Result"]["NeedReturnData"]["Entrys"]
    head = next(e for e in entrys if e["Key"] == "FBillHead")
    cust = next(f for f in head["Fields"] if f["Key"] == "FCustId")
    assert cust["Name"] == [{"Key": 2052, "Value": "客户"}] and cust["LookUpObjectFormId"] == "BD_Customer"
    entry = next(e for e in entrys if e["Key"] == "FSaleOrderEntry")
    assert any(f["Key"] == "FMaterialId" and f["FieldType"] == "BaseDataField" for f in entry["Fields"])


def test_concurrent_saves_of_one_number_let_exactly_one_win(logged_in: K3):
    k3 = logged_in
    results: list[dict] = []
    barrier = threading.Barrier(6)

    def worker() -> None:
        barrier.wait()
        results.append(status(k3.save("BD_Customer", _customer("C-RACE"))))

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r["IsSuccess"] for r in results) == [False] * 5 + [True]
    assert {r["MsgCode"] for r in results if not r["IsSuccess"]} == {11}
    assert k3.query("BD_Customer", "FNumber", "FNumber='C-RACE'") == [["C-RACE"]]


def test_ship_creates_audited_out_stock_bills_linked_to_orders(logged_in: K3):
    k3 = logged_in
    for i in range(3):
        k3.save("SAL_SaleOrder", order_model(bill_no=f"S-{i}", lines=2))
    shipped = k3.admin("ship", {"bill_nos": ["S-1", "S-404"]})
    assert shipped["orders"] == ["S-1"] and shipped["missing"] == ["S-404"] and len(shipped["bill_nos"]) == 1
    more = k3.admin("ship", {"count": 5})
    assert more["orders"] == ["S-0", "S-2"]
    rows = k3.query("SAL_OUTSTOCK", "FBillNo,FDocumentStatus,FSoorDerno,FSrcBillNo,FSrcType,FMaterialID.FNumber,"
                    "FRealQty,FCustomerID.FNumber", "FSoorDerno='S-1'")
    assert [r[0] for r in rows] == shipped["bill_nos"] * 2
    assert rows[0][1:] == ["C", "S-1", "S-1", "SAL_SaleOrder", "MAT-0001", 10.0, "CUST-0007"]
    assert k3.query("SAL_OUTSTOCK", "FApproveDate", "")[0][0] is not None
    assert k3.admin("count", {"form_id": "SAL_OUTSTOCK"})["count"] == 3


def test_snapshot_restore_round_trip(logged_in: K3):
    k3 = logged_in
    k3.save("SAL_SaleOrder", order_model(bill_no="SNAP-1"))
    state = json.loads(json.dumps(k3.app.snapshot()))
    k3.save("SAL_SaleOrder", order_model(bill_no="SNAP-2"))
    k3.app.restore(state)
    k3.login()
    assert k3.query("SAL_SaleOrder", "FBillNo", "") == [["SNAP-1"]]
    assert k3.save("SAL_SaleOrder", order_model())["Result"]["Number"] == "XSDD000001"
    assert status(k3.save("SAL_SaleOrder", order_model(bill_no="SNAP-1")))["MsgCode"] == 11


def test_admin_errors(k3: K3):
    r = k3.http.post(k3.server.url + "__sandbox__/admin/nope", json={}, timeout=5)
    assert r.status_code == 404
    r = k3.http.post(k3.server.url + "__sandbox__/admin/knobs", json={"bogus": 1}, timeout=5)
    assert r.status_code == 400
    assert k3.admin("knobs", {"session_idle_seconds": 5})["session_idle_seconds"] == 5


def test_model_keys_are_case_insensitive(logged_in: K3):
    k3 = logged_in
    body = k3.save("BD_Customer", {"FNUMBER": "C-CASE", "fname": "大小写客户", "ftradingcurrid": {"fnumber": "PRE001"}})
    assert status(body)["IsSuccess"] is True
    assert k3.query("BD_Customer", "FName,FTRADINGCURRID.FNumber", "FNumber='C-CASE'") == [["大小写客户", "PRE001"]]


def test_delivery_notice_save_and_query(logged_in: K3):
    k3 = logged_in
    model = {"FBillTypeID": {"FNUMBER": "FHTZD01_SYS"}, "FDate": "2026-05-20", "FSaleOrgId": {"FNumber": "100"},
             "FCustomerID": {"FNumber": "CUST-0007"}, "SubHeadEntity": {"FSettleCurrID": {"FNumber": "PRE001"}},
             "FEntity": [{"FMaterialID": {"FNumber": "MAT-0003"}, "FUnitID": {"FNumber": "Box"}, "FQty": 4}]}
    body = k3.save("SAL_DELIVERYNOTICE", model)
    assert status(body)["IsSuccess"] is True and body["Result"]["Number"] == "FHTZD000001"
    assert k3.query("SAL_DELIVERYNOTICE", "FBillNo,FCustomerID.FNumber,FMaterialID.FNumber,FUnitID.FNumber,FQty",
                    "") == [["FHTZD000001", "CUST-0007", "MAT-0003", "Box", 4.0]]


def test_ambiguous_write_fault_commits_then_drops_the_connection(logged_in: K3):
    k3 = logged_in
    k3.server.set_faults(ambiguous_writes=1)
    with pytest.raises(requests.ConnectionError):
        k3.save("BD_Customer", _customer("C-AMBIG"))
    assert k3.query("BD_Customer", "FNumber", "FNumber='C-AMBIG'") == [["C-AMBIG"]]
    assert status(k3.save("BD_Customer", _customer("C-AMBIG")))["MsgCode"] == 11
