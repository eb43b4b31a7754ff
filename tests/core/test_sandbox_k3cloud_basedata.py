"""K3Cloud simulator over real HTTP: base data with state (audit, forbid, allocation) and IsVerifyBaseDataField."""

from __future__ import annotations

import pytest
import requests

from core.sandbox.k3cloud_app import K3Knobs
from core.sandbox.sandbox import start_sandbox
from tests.helpers_k3sandbox import AUTH, FORM, K3, k3, logged_in, order_model, status  # noqa: F401 - fixtures

MISSING = '字段"{}"的值"{}"在系统中不存在'


def _lines(k3: K3, bill_no: str) -> list:
    return k3.query("SAL_SaleOrder", "FSaleOrderEntry_FSeq,FMaterialId.FNumber,FQty", f"FBillNo='{bill_no}'")


def _bad_material(k3: K3, case: str) -> str:
    """Make MAT-0002 unusable for org 100 in one of the ways the real server treats as "does not exist"."""
    if case == "unknown":
        return "MAT-9"
    if case == "forbidden":
        k3.admin("forbid", {"number": "MAT-0002"})
    elif case == "unaudited":
        k3.admin("unaudit", {"number": "MAT-0002"})
    elif case == "unallocated":  # created by org 101, audited, used only there
        model = {"FNumber": "MAT-101", "FName": "分公司物料", "FCreateOrgId": {"FNumber": "101"},
                 "FUseOrgId": {"FNumber": "101"}, "SubHeadEntity": {"FBaseUnitId": {"FNumber": "Pcs"}}}
        assert status(k3.save("BD_MATERIAL", model, IsAutoSubmitAndAudit="true"))["IsSuccess"] is True
        return "MAT-101"
    return "MAT-0002"


CASES = ["unknown", "forbidden", "unaudited", "unallocated"]


@pytest.mark.parametrize("case", CASES)
def test_verify_false_silently_drops_the_line_whose_material_does_not_resolve(logged_in: K3, case):
    k3 = logged_in
    bad = _bad_material(k3, case)
    model = order_model(bill_no="DROP-1", lines=3)
    model["FSaleOrderEntry"][1]["FMaterialId"] = {"FNumber": bad}
    body = k3.save("SAL_SaleOrder", model)  # IsVerifyBaseDataField not sent: false, the documented default
    assert status(body)["IsSuccess"] is True and body["Result"]["Number"] == "DROP-1"
    assert _lines(k3, "DROP-1") == [[1, "MAT-0001", 10.0], [2, "MAT-0003", 30.0]]


@pytest.mark.parametrize("case", CASES)
def test_verify_true_refuses_the_reference_with_the_real_message(logged_in: K3, case):
    k3 = logged_in
    bad = _bad_material(k3, case)
    model = order_model(bill_no="VER-1", lines=2)
    model["FSaleOrderEntry"][1]["FMaterialId"] = {"FNumber": bad}
    rs = status(k3.save("SAL_SaleOrder", model, IsVerifyBaseDataField="true"))
    assert rs["IsSuccess"] is False and rs["MsgCode"] == 9 and rs["ErrorCode"] == 500
    assert rs["Errors"] == [{"FieldName": "FMaterialId", "Message": MISSING.format("物料编码", bad), "DIndex": 0}]
    assert k3.admin("count", {"form_id": "SAL_SaleOrder"})["count"] == 0


def test_verify_false_on_a_required_head_field_fails_the_required_check(logged_in: K3):
    k3 = logged_in
    k3.admin("set_status", {"form_id": "BD_Customer", "number": "CUST-0007", "status": "A"})
    rs = status(k3.save("SAL_SaleOrder", order_model()))
    assert rs["IsSuccess"] is False and rs["MsgCode"] == 11
    assert rs["Errors"] == [{"FieldName": "FCustId", "Message": '字段"客户"是必填项', "DIndex": 0}]


def test_verify_false_on_an_optional_field_leaves_it_empty(logged_in: K3):
    k3 = logged_in
    model = order_model(bill_no="OPT-1", FReceiveId={"FNumber": "NO-SUCH-CUSTOMER"})
    model["FSaleOrderEntry"][0]["FUnitID"] = {"FNumber": "KG"}
    assert status(k3.save("SAL_SaleOrder", model))["IsSuccess"] is True
    assert k3.query("SAL_SaleOrder", "FReceiveId.FNumber,FUnitID.FNumber,FMaterialId.FNumber",
                    "FBillNo='OPT-1'") == [[None, None, "MAT-0001"]]


def test_an_order_whose_every_line_is_dropped_is_refused(logged_in: K3):
    k3 = logged_in
    model = order_model(lines=2)
    for line in model["FSaleOrderEntry"]:
        line["FMaterialId"] = {"FNumber": "MAT-404"}
    rs = status(k3.save("SAL_SaleOrder", model))
    assert rs["IsSuccess"] is False and rs["MsgCode"] == 11 and rs["Errors"][0]["FieldName"] == "FSaleOrderEntry"


def test_knob_always_verify_restores_refusal_whatever_the_flag(logged_in: K3):
    k3 = logged_in
    k3.admin("knobs", {"always_verify_base_data": True})
    model = order_model(lines=2)
    model["FSaleOrderEntry"][1]["FMaterialId"] = {"FNumber": "MAT-9"}
    rs = status(k3.save("SAL_SaleOrder", model, IsVerifyBaseDataField="false"))
    assert rs["MsgCode"] == 9 and rs["Errors"][0]["Message"] == MISSING.format("物料编码", "MAT-9")


def test_knob_check_base_data_state_off_accepts_forbidden_records(logged_in: K3):
    k3 = logged_in
    k3.admin("forbid", {"number": "MAT-0001"})
    k3.admin("knobs", {"check_base_data_state": False})
    assert status(k3.save("SAL_SaleOrder", order_model(), IsVerifyBaseDataField="true"))["IsSuccess"] is True


def test_base_data_state_is_queryable_and_admin_actions_change_it(logged_in: K3):
    k3 = logged_in
    keys = "FNumber,FDocumentStatus,FForbidStatus,FUseOrgId.FNumber,FCreateOrgId.FNumber"
    assert k3.query("BD_MATERIAL", keys, "FNumber='MAT-0001'") == [["MAT-0001", "C", "A", "100", "100"]]
    assert k3.query("BD_Customer", keys, "") == [["CUST-0007", "C", "A", "100", "100"]]
    k3.admin("forbid", {"number": "MAT-0001"})
    k3.admin("unaudit", {"form_id": "BD_Customer", "number": "CUST-0007"})
    assert k3.query("BD_MATERIAL", "FForbidStatus", "FNumber='MAT-0001'") == [["B"]]
    assert k3.query("BD_Customer", "FDocumentStatus", "") == [["D"]]
    k3.admin("enable", {"number": "MAT-0001"})
    assert k3.query("BD_MATERIAL", "FNumber", "FForbidStatus='B'") == []


def test_allocation_is_one_row_per_use_org_with_a_shared_master_id(logged_in: K3):
    k3 = logged_in
    out = k3.admin("allocate", {"number": "MAT-0003", "org": "101"})
    rows = k3.query("BD_MATERIAL", "FMATERIALID,FMASTERID,FUseOrgId.FNumber,FCreateOrgId.FNumber,FName",
                    "FNumber='MAT-0003'", OrderString="FMATERIALID")
    master = rows[0][0]
    assert rows == [[master, master, "100", "100", "物料3"], [out["id"], master, "101", "100", "物料3"]]
    assert k3.query("BD_MATERIAL", "FNumber", "FUseOrgId.FNumber='101'") == [["MAT-0003"]]
    k3.admin("forbid", {"number": "MAT-0003", "org": "101"})
    assert k3.query("BD_MATERIAL", "FUseOrgId.FNumber,FForbidStatus", "FNumber='MAT-0003'",
                    OrderString="FMATERIALID") == [["100", "A"], ["101", "B"]]
    assert k3.admin("unallocate", {"number": "MAT-0003", "org": "101"}) == {"removed": 1}
    assert len(k3.query("BD_MATERIAL", "FNumber", "FNumber='MAT-0003'")) == 1


def test_an_order_of_org_101_needs_the_material_allocated_to_101(logged_in: K3):
    k3 = logged_in
    k3.admin("allocate", {"form_id": "BD_Customer", "number": "CUST-0007", "org": "101"})
    model = order_model(bill_no="ORG-101", lines=2, FSaleOrgId={"FNumber": "101"})
    rs = status(k3.save("SAL_SaleOrder", model, IsVerifyBaseDataField="true"))
    assert rs["MsgCode"] == 9 and {e["Message"] for e in rs["Errors"]} == {
        MISSING.format("物料编码", "MAT-0001"), MISSING.format("物料编码", "MAT-0002")}
    k3.admin("allocate", {"number": "MAT-0001", "org": "101"})
    assert status(k3.save("SAL_SaleOrder", model))["IsSuccess"] is True
    assert _lines(k3, "ORG-101") == [[1, "MAT-0001", 10.0]]  # MAT-0002 is still not allocated: dropped


def test_unallocating_the_creating_org_is_refused(k3: K3):
    r = k3.http.post(k3.server.url + "__sandbox__/admin/unallocate", json={"number": "MAT-0001", "org": "100"})
    assert r.status_code == 400 and "cannot be unallocated" in r.json()["error"]


def test_material_tax_rate_spec_unit_and_rename_move_the_modify_date(logged_in: K3):
    k3 = logged_in
    keys = "FNumber,FName,FSpecification,FBaseUnitId.FNumber,FTaxRateId.FNumber,FTaxRateId.FTaxRate,FModifyDate"
    row = k3.query("BD_MATERIAL", keys, "FNumber='MAT-0002'")[0]
    assert row[:6] == ["MAT-0002", "物料2", "规格2", "Pcs", "SL01_SYS", 13.0]
    k3.clock.advance(60)
    k3.admin("rename", {"number": "MAT-0002", "name": "物料二号", "specification": "DN50"})
    renamed = k3.query("BD_MATERIAL", keys, "FNumber='MAT-0002'")[0]
    assert renamed[1:3] == ["物料二号", "DN50"] and renamed[6] > row[6]
    assert k3.query("BD_MATERIAL", "FNumber", f"FModifyDate>'{row[6]}'") == [["MAT-0002"]]
    assert k3.query("BD_TaxRate", "FNumber,FTaxRate", "", OrderString="FNumber")[:3] == [
        ["SL01_SYS", 13.0], ["SL02_SYS", 9.0], ["SL03_SYS", 6.0]]


def test_edits_on_the_creating_org_reach_the_allocated_rows(logged_in: K3):
    k3 = logged_in
    k3.admin("allocate", {"form_id": "BD_Customer", "number": "CUST-0007", "org": "101"})
    cid = k3.query("BD_Customer", "FCUSTID", "FUseOrgId.FNumber='100'")[0][0]
    assert status(k3.save("BD_Customer", {"FCUSTID": cid, "FName": "上海老客户（改名）"}))["IsSuccess"] is False
    k3.admin("set_status", {"form_id": "BD_Customer", "number": "CUST-0007", "status": "D", "org": "100"})
    assert status(k3.save("BD_Customer", {"FCUSTID": cid, "FName": "上海老客户（改名）"}))["IsSuccess"] is True
    assert k3.query("BD_Customer", "FUseOrgId.FNumber,FName,FDocumentStatus", "", OrderString="FCUSTID") == [
        ["100", "上海老客户（改名）", "D"], ["101", "上海老客户（改名）", "C"]]


def test_python_helpers_match_the_admin_actions(logged_in: K3):
    k3 = logged_in
    k3.app.forbid("MAT-0004")
    k3.app.set_status("CUST-0007", "A", form_id="BD_Customer")
    k3.app.allocate("MAT-0005", "101")
    k3.app.rename("MAT-0005", "五号物料")
    assert k3.query("BD_MATERIAL", "FNumber,FForbidStatus,FName,FUseOrgId.FNumber",
                    "FNumber IN ('MAT-0004','MAT-0005')", OrderString="FMATERIALID") == [
        ["MAT-0004", "B", "物料4", "100"], ["MAT-0005", "A", "五号物料", "100"], ["MAT-0005", "A", "五号物料", "101"]]
    assert k3.query("BD_Customer", "FDocumentStatus", "") == [["A"]]


def test_admin_base_data_errors(k3: K3):
    for action, payload in (("forbid", {"number": "NOPE"}), ("allocate", {"number": "MAT-0001", "org": "777"}),
                            ("set_status", {"number": "MAT-0001", "status": "X"}),
                            ("rename", {"number": "MAT-0001"}), ("allocate", {"form_id": "BD_UNIT", "number": "Pcs",
                                                                              "org": "101"})):
        r = k3.http.post(k3.server.url + f"__sandbox__/admin/{action}", json=payload, timeout=5)
        assert r.status_code == 400, (action, r.text)


def test_forbid_and_enable_through_excute_operation(logged_in: K3):
    k3 = logged_in
    body = k3.post("Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.ExcuteOperation",
                   {"formid": "BD_MATERIAL", "opNumber": "Forbid",
                    "data": {"Numbers": ["MAT-0003", "MAT-0001"]}}).json()
    assert [e["Number"] for e in status(body)["SuccessEntitys"]] == ["MAT-0001", "MAT-0003"]
    assert k3.query("BD_MATERIAL", "FNumber", "FForbidStatus='B'", OrderString="FNumber") == [
        ["MAT-0001"], ["MAT-0003"]]


def test_allocate_service_by_pk_ids(logged_in: K3):
    k3 = logged_in
    pk = k3.query("BD_MATERIAL", "FMATERIALID", "FNumber='MAT-0002'")[0][0]
    rs = status(k3.call("Allocate", "BD_MATERIAL",
                        {"PkIds": str(pk), "TOrgIds": "101", "IsAutoSubmitAndAudit": "false"}))
    assert rs["IsSuccess"] is True
    assert k3.query("BD_MATERIAL", "FUseOrgId.FNumber,FDocumentStatus", "FNumber='MAT-0002'",
                    OrderString="FMATERIALID") == [["100", "C"], ["101", "A"]]  # allocated, not yet audited there
    assert status(k3.call("CancelAllocate", "BD_MATERIAL", {"PkIds": str(pk), "TOrgIds": "101"}))["IsSuccess"]
    assert len(k3.query("BD_MATERIAL", "FNumber", "FNumber='MAT-0002'")) == 1


def test_demo_materials_are_usable_by_org_100_and_some_are_taxed_at_9_and_6_percent():
    with start_sandbox(3, demo_sizes={"customers": 5, "orders": 2, "products": 24}) as sb, requests.Session() as http:
        creds = sb.credentials()["k3cloud"]
        login = [creds["acct_id"], creds["username"], creds["password"], creds["lcid"]]
        assert http.post(creds["url"] + AUTH + "ValidateUser.common.kdsvc", json={"parameters": login},
                         timeout=10).json()["LoginResultType"] == 1
        query = {"FormId": "BD_MATERIAL", "FieldKeys": "FNumber,FDocumentStatus,FForbidStatus,FUseOrgId.FNumber,"
                 "FTaxRateId.FNumber,FTaxRateId.FTaxRate", "OrderString": "FNumber"}
        rows = http.post(creds["url"] + FORM + "ExecuteBillQuery.common.kdsvc", json={"data": query}, timeout=10).json()
        assert len(rows) == 24 and {tuple(r[1:4]) for r in rows} == {("C", "A", "100")}
        assert {r[0]: r[5] for r in rows if r[5] != 13.0} == {
            "MAT-0008": 9.0, "MAT-0012": 6.0, "MAT-0016": 9.0, "MAT-0024": 6.0}


def test_shipped_defaults_are_the_real_services_base_data_rules():
    """The product pre-flights state and reads back lines, so the sandbox is as dangerous as K3Cloud by default."""
    knobs = K3Knobs()
    assert (knobs.always_verify_base_data, knobs.check_base_data_state) == (False, True)
    assert (knobs.unique_numbers, knobs.fin_after_entry_resets_prices, knobs.login_result_type) == (True, True, 1)
