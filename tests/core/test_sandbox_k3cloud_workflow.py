"""K3Cloud simulator over real HTTP: multi-number operations, real envelopes, a document's life, numbering knobs."""

from __future__ import annotations

import time

from tests.helpers_k3sandbox import K3, k3, logged_in, order_model, status  # noqa: F401 - fixtures

SO = "SAL_SaleOrder"


def _orders(k3: K3, *numbers: str) -> list[int]:
    return [k3.save(SO, order_model(bill_no=n, lines=2))["Result"]["Id"] for n in numbers]


def _doc_status(k3: K3, number: str) -> str:
    return k3.query(SO, "FDocumentStatus", f"FBillNo='{number}'")[0][0]


def test_results_follow_internal_ids_not_the_order_sent(logged_in: K3):
    k3 = logged_in
    ids = _orders(k3, "N-1", "N-2", "N-3")
    rs = status(k3.call("Submit", SO, {"Numbers": ["N-3", "N-1", "N-2"]}))
    assert rs["IsSuccess"] is True
    assert [(e["Number"], e["Id"], e["DIndex"]) for e in rs["SuccessEntitys"]] == [
        ("N-1", ids[0], 0), ("N-2", ids[1], 1), ("N-3", ids[2], 2)]


def test_errors_carry_the_dindex_of_the_id_order(logged_in: K3):
    k3 = logged_in
    _orders(k3, "E-1", "E-2", "E-3")
    k3.call("Submit", SO, {"Numbers": ["E-1", "E-2", "E-3"]})
    k3.call("Audit", SO, {"Numbers": ["E-2"]})
    rs = status(k3.call("Audit", SO, {"Numbers": ["E-3", "E-2", "E-1"]}))
    assert rs["IsSuccess"] is False and rs["MsgCode"] == 11 and rs["ErrorCode"] == 500
    assert [(e["Number"], e["DIndex"]) for e in rs["SuccessEntitys"]] == [("E-1", 0), ("E-3", 2)]
    assert rs["Errors"] == [{"FieldName": None, "Message": "销售订单“E-2”：单据已经审核！", "DIndex": 1}]


def test_a_number_that_names_nothing_is_skipped_and_success_stays_true(logged_in: K3):
    k3 = logged_in
    _orders(k3, "M-1", "M-2")
    rs = status(k3.call("Submit", SO, {"Numbers": ["M-2", "NOPE", "M-1"]}))
    assert rs["IsSuccess"] is True and rs["Errors"] == []
    assert [(e["Number"], e["DIndex"]) for e in rs["SuccessEntitys"]] == [("M-1", 0), ("M-2", 1)]
    rs = status(k3.call("Delete", SO, {"Numbers": ["GHOST"]}))
    assert rs["IsSuccess"] is True and rs["SuccessEntitys"] == [] and rs["Errors"] == []


def test_audit_fills_success_messages_and_a_success_has_no_error_code(logged_in: K3):
    k3 = logged_in
    _orders(k3, "A-1", "A-2")
    k3.call("Submit", SO, {"Numbers": ["A-1", "A-2"]})
    rs = status(k3.call("Audit", SO, {"Numbers": ["A-2", "A-1"]}))
    assert "ErrorCode" not in rs and rs["IsSuccess"] is True and rs["MsgCode"] == 0
    assert rs["SuccessMessages"] == [
        {"FieldName": None, "Message": "单据编号为“A-1”的销售订单，审核成功！", "DIndex": 0},
        {"FieldName": None, "Message": "单据编号为“A-2”的销售订单，审核成功！", "DIndex": 1}]
    assert "ErrorCode" not in status(k3.save(SO, order_model()))


def test_a_failed_save_answers_need_return_data_with_one_empty_object(logged_in: K3):
    body = logged_in.save(SO, order_model("CUST-404"), IsVerifyBaseDataField="true")
    assert body["Result"]["NeedReturnData"] == [{}] and body["Result"]["Id"] == ""
    assert status(body)["ErrorCode"] == 500


def test_save_with_fid_updates_lines_by_entry_id_adds_and_deletes(logged_in: K3):
    k3 = logged_in
    fid = k3.save(SO, order_model(bill_no="U-1", lines=3))["Result"]["Id"]
    rows = k3.query(SO, "FSaleOrderEntry_FEntryID,FSaleOrderEntry_FSeq,FMaterialId.FNumber,FQty", "FBillNo='U-1'")
    upd = order_model(bill_no="U-1", lines=0, FID=fid)
    upd["FSaleOrderEntry"] = [{"FEntryID": rows[2][0], "FMaterialId": {"FNumber": "MAT-0003"}, "FQty": 7},
                              {"FMaterialId": {"FNumber": "MAT-0005"}, "FQty": 1, "FTaxPrice": 50}]
    body = k3.save(SO, upd)  # IsDeleteEntry not sent: true, the documented default
    assert status(body)["IsSuccess"] is True and body["Result"]["Id"] == fid
    after = k3.query(SO, "FSaleOrderEntry_FEntryID,FSaleOrderEntry_FSeq,FMaterialId.FNumber,FQty,FPrice",
                     "FBillNo='U-1'")
    assert after[0][:4] == [rows[2][0], 1, "MAT-0003", 7.0] and after[1][1:4] == [2, "MAT-0005", 1.0]
    assert after[1][0] not in {r[0] for r in rows} and len(after) == 2
    assert k3.admin("count", {"form_id": SO})["count"] == 1


def test_is_delete_entry_false_keeps_the_lines_not_sent(logged_in: K3):
    k3 = logged_in
    fid = k3.save(SO, order_model(bill_no="K-1", lines=2))["Result"]["Id"]
    upd = {"FID": fid, "FSaleOrderEntry": [{"FMaterialId": {"FNumber": "MAT-0004"}, "FQty": 4}]}
    assert status(k3.save(SO, upd, IsDeleteEntry="false"))["IsSuccess"] is True
    assert [r[0] for r in k3.query(SO, "FMaterialId.FNumber", "FBillNo='K-1'")] == ["MAT-0001", "MAT-0002", "MAT-0004"]


def test_customer_update_by_fcustid(logged_in: K3):
    k3 = logged_in
    cid = k3.save("BD_Customer", {"FNumber": "C-UPD", "FName": "旧名"})["Result"]["Id"]
    body = k3.save("BD_Customer", {"FCUSTID": cid, "FName": "新名", "FTEL": "021-1"})
    assert status(body)["IsSuccess"] is True and body["Result"]["Number"] == "C-UPD"
    assert k3.query("BD_Customer", "FCUSTID,FName,FTEL", "FNumber='C-UPD'") == [[cid, "新名", "021-1"]]


def test_submitted_and_audited_documents_refuse_save_and_cancel_assign_reopens(logged_in: K3):
    k3 = logged_in
    fid = _orders(k3, "L-1")[0]
    k3.call("Submit", SO, {"Numbers": ["L-1"]})
    rs = status(k3.save(SO, {"FID": fid, "FNote": "改"}))
    assert rs["IsSuccess"] is False and rs["MsgCode"] == 11 and "审核中" in rs["Errors"][0]["Message"]
    rs = status(k3.call("CancelAssign", SO, {"Numbers": ["L-1"]}))
    assert rs["IsSuccess"] is True and _doc_status(k3, "L-1") == "A"
    assert status(k3.call("CancelAssign", SO, {"Numbers": ["L-1"]}))["MsgCode"] == 11  # only B can be cancelled
    assert status(k3.save(SO, {"FID": fid, "FNote": "改"}))["IsSuccess"] is True
    k3.call("Submit", SO, {"Numbers": ["L-1"]})
    k3.call("Audit", SO, {"Numbers": ["L-1"]})
    assert "已审核" in status(k3.save(SO, {"FID": fid, "FNote": "再改"}))["Errors"][0]["Message"]
    assert status(k3.call("UnAudit", SO, {"Numbers": ["L-1"]}))["IsSuccess"] is True
    assert _doc_status(k3, "L-1") == "D"
    assert status(k3.save(SO, {"FID": fid, "FNote": "再改"}))["IsSuccess"] is True


def test_unaudit_and_delete_are_refused_while_a_downstream_bill_names_the_order(logged_in: K3):
    k3 = logged_in
    _orders(k3, "D-1", "D-2")
    k3.call("Submit", SO, {"Numbers": ["D-1", "D-2"]})
    k3.call("Audit", SO, {"Numbers": ["D-1", "D-2"]})
    notice = k3.admin("ship", {"bill_nos": ["D-1"], "form_id": "SAL_DELIVERYNOTICE"})["bill_nos"][0]
    rs = status(k3.call("UnAudit", SO, {"Numbers": ["D-1", "D-2"]}))
    assert rs["MsgCode"] == 11 and [e["Number"] for e in rs["SuccessEntitys"]] == ["D-2"]
    assert rs["Errors"][0]["Message"] == f"销售订单“D-1”已经生成下游单据（发货通知单{notice}），不允许反审核"
    assert status(k3.call("Delete", SO, {"Numbers": ["D-2"]}))["IsSuccess"] is True
    k3.call("UnAudit", "SAL_DELIVERYNOTICE", {"Numbers": [notice]})
    k3.call("Delete", "SAL_DELIVERYNOTICE", {"Numbers": [notice]})
    assert status(k3.call("UnAudit", SO, {"Numbers": ["D-1"]}))["IsSuccess"] is True


def test_delete_only_for_draft_created_or_reaudit(logged_in: K3):
    k3 = logged_in
    _orders(k3, "X-1")
    k3.call("Submit", SO, {"Numbers": ["X-1"]})
    assert status(k3.call("Delete", SO, {"Numbers": ["X-1"]}))["MsgCode"] == 11
    draft = k3.call("Draft", SO, {"Model": order_model(bill_no="X-2")})
    assert status(draft)["IsSuccess"] is True and _doc_status(k3, "X-2") == "Z"
    assert status(k3.call("Delete", SO, {"Numbers": ["X-2"]}))["IsSuccess"] is True


def test_unique_numbers_knob_off_accepts_a_second_document_with_the_same_number(logged_in: K3):
    k3 = logged_in
    k3.admin("knobs", {"unique_numbers": False})
    first = k3.save(SO, order_model(bill_no="DUP-1"))["Result"]["Id"]
    second = k3.save(SO, order_model(bill_no="DUP-1"))["Result"]["Id"]
    assert first != second and k3.query(SO, "FID", "FBillNo='DUP-1'", OrderString="FID") == [[first], [second]]
    rs = status(k3.call("Submit", SO, {"Numbers": ["DUP-1"]}))
    assert [e["Id"] for e in rs["SuccessEntitys"]] == [first, second]
    k3.admin("knobs", {"unique_numbers": True})
    assert status(k3.save(SO, order_model(bill_no="DUP-1")))["MsgCode"] == 11


def test_save_latency_is_a_cost_per_call_plus_a_cost_per_row(logged_in: K3):
    k3 = logged_in
    knobs = k3.admin("knobs", {"save_latency_ms_per_call": 150, "save_latency_ms_per_row": 40})
    assert (knobs["save_latency_ms_per_call"], knobs["save_latency_ms_per_row"]) == (150, 40)
    for rows in (1, 5):
        started = time.monotonic()
        body = k3.call("BatchSave", SO, {"Model": [order_model() for _ in range(rows)]})
        assert status(body)["IsSuccess"] is True
        assert time.monotonic() - started >= 0.150 + rows * 0.040
