"""The official Kingdee Python SDK (kingdee-cdp-webapi-sdk 8.2.0, unmodified) against the K3Cloud simulator.

The SDK signs every request with X-Api-* / X-Kd-* headers and never calls a login service (reference §2.6), so
these tests prove the simulator verifies the signature exactly as the SDK computes it. The SDK posts with
``verify=False`` and silences urllib3's InsecureRequestWarning module-wide; over plain http:// it emits no
warning at all, so no ``filterwarnings`` mark is needed.
"""

from __future__ import annotations

import json

import pytest
from k3cloud_webapi_sdk.main import K3CloudApiSdk

from core.sandbox.sandbox import start_sandbox
from tests.helpers_k3sandbox import ACCT, K3, USER, k3  # noqa: F401 - fixtures


def _sdk(k3: K3, *, acct: str = ACCT, user: str = USER, secret: str | None = None) -> K3CloudApiSdk:
    sdk = K3CloudApiSdk(k3.root)
    sdk.InitConfig(acct, user, k3.app_id, secret or k3.app_secret, k3.root, lcid=2052, org_num=100)
    return sdk


def test_sdk_save_view_and_query_a_customer_with_signed_headers(k3: K3):
    sdk = _sdk(k3)
    model = {"FCUSTID": 0, "FCreateOrgId": {"FNumber": "100"}, "FUseOrgId": {"FNumber": "100"},
             "FNumber": "SDK-C001", "FName": "SDK 测试客户", "FTRADINGCURRID": {"FNumber": "PRE001"},
             "FIsTrade": True, "FT_BD_CUSTOMEREXT": {"FEnableSL": False}}
    saved = json.loads(sdk.Save("BD_Customer", {"Model": model}))
    assert saved["Result"]["ResponseStatus"]["IsSuccess"] is True
    cust_id = saved["Result"]["Id"]
    assert sdk.cookiesStore.SID  # the server issued a session on the first signed call

    viewed = json.loads(sdk.View("BD_Customer", {"CreateOrgId": 0, "Number": "SDK-C001", "Id": ""}))
    record = viewed["Result"]["Result"]
    assert record["Id"] == cust_id and record["Number"] == "SDK-C001"
    assert record["Name"] == [{"Key": 2052, "Value": "SDK 测试客户"}]
    assert record["TRADINGCURRID"]["Number"] == "PRE001"

    rows = json.loads(sdk.ExecuteBillQuery({
        "FormId": "BD_Customer", "FieldKeys": "FCUSTID,FNumber,FName,FDocumentStatus",
        "FilterString": "FNumber='SDK-C001'", "OrderString": "", "TopRowCount": 0, "StartRow": 0, "Limit": 2000}))
    assert rows == [[cust_id, "SDK-C001", "SDK 测试客户", "A"]]
    assert k3.admin("sessions")["count"] == 1  # one session, reused by the SDK's cookie/header on later calls


def test_sdk_other_calls_bill_query_workflow_and_metadata(k3: K3):
    sdk = _sdk(k3)
    sdk.Save("BD_Customer", {"Model": {"FNumber": "SDK-C002", "FName": "二号客户"}})
    assert json.loads(sdk.Submit("BD_Customer", {"Numbers": ["SDK-C002"]}))["Result"]["ResponseStatus"]["IsSuccess"]
    assert json.loads(sdk.Audit("BD_Customer", {"Numbers": ["SDK-C002"]}))["Result"]["ResponseStatus"]["IsSuccess"]
    rows = json.loads(sdk.BillQuery({"FormId": "BD_Customer", "FieldKeys": "FNumber,FDocumentStatus",
                                     "FilterString": "FNumber='SDK-C002'"}))
    assert rows == [{"FNumber": "SDK-C002", "FDocumentStatus": "C"}]
    info = json.loads(sdk.QueryBusinessInfo({"FormId": "BD_Customer"}))
    assert info["Result"]["NeedReturnData"]["Entrys"][0]["Key"] == "FBillHead"
    centres = json.loads(sdk.GetDataCenters())
    assert centres[0]["Id"] == ACCT


def test_sdk_with_a_wrong_secret_gets_msgcode_1(k3: K3):
    sdk = _sdk(k3, secret="0" * 32)
    body = json.loads(sdk.ExecuteBillQuery({"FormId": "BD_Customer", "FieldKeys": "FNumber"}))
    assert body[0][0]["Result"]["ResponseStatus"]["MsgCode"] == 1
    assert k3.admin("sessions")["count"] == 0


def test_sdk_with_a_wrong_acct_id_raises_the_passport_error(k3: K3):
    sdk = _sdk(k3, acct="no-such-data-centre")
    with pytest.raises(RuntimeError, match="Fail to verify thirty passport"):
        sdk.ExecuteBillQuery({"FormId": "BD_Customer", "FieldKeys": "FNumber"})


def test_sdk_survives_session_expiry_silently(k3: K3):
    sdk = _sdk(k3)
    query = {"FormId": "BD_MATERIAL", "FieldKeys": "FNumber", "FilterString": "FNumber='MAT-0002'"}
    assert json.loads(sdk.ExecuteBillQuery(query)) == [["MAT-0002"]]
    first = sdk.cookiesStore.SID
    k3.admin("expire_sessions")
    assert json.loads(sdk.ExecuteBillQuery(query)) == [["MAT-0002"]]
    assert sdk.cookiesStore.SID != first


def test_sdk_against_the_demo_sandbox_credentials():
    with start_sandbox(4, demo_sizes={"customers": 12, "orders": 3, "products": 6}) as sb:
        creds = sb.credentials()["k3cloud"]
        sdk = K3CloudApiSdk(creds["url"])
        sdk.InitConfig(creds["acct_id"], creds["username"], creds["app_id"], creds["app_secret"], creds["url"],
                       lcid=creds["lcid"])
        rows = json.loads(sdk.ExecuteBillQuery({"FormId": "BD_MATERIAL", "FieldKeys": "FNumber",
                                                "OrderString": "FNumber", "Limit": 2}))
        assert rows == [["MAT-0001"], ["MAT-0002"]]


def test_sdk_batch_save_query_runs_the_async_protocol(k3: K3):
    """BatchSaveQuery adds beginmethod/querymethod, gets Status 1 (Running) and polls QueryAsyncResult (§2.6)."""
    sdk = _sdk(k3)
    models = [{"FNumber": f"ASYNC-{i}", "FName": f"异步客户{i}"} for i in range(3)] + [{"FNumber": "ASYNC-0"}]
    body = json.loads(sdk.BatchSaveQuery("BD_Customer", {"Model": models}))
    rs = body["Result"]["ResponseStatus"]
    assert [e["Number"] for e in rs["SuccessEntitys"]] == ["ASYNC-0", "ASYNC-1", "ASYNC-2"]
    assert rs["IsSuccess"] is False and rs["Errors"][0]["DIndex"] == 3
    assert k3.admin("count", {"form_id": "BD_Customer"})["count"] == 4  # 3 new + the seeded one


def test_sdk_batch_save_query_completes_at_once_when_no_polls_are_asked(k3: K3):
    k3.admin("knobs", {"async_polls": 0})
    body = json.loads(_sdk(k3).BatchSaveQuery("BD_Customer", {"Model": [{"FNumber": "NOW-1", "FName": "即时"}]}))
    assert body["Result"]["ResponseStatus"]["IsSuccess"] is True


def test_sdk_cancel_assign_allocate_and_forbid(k3: K3):
    sdk = _sdk(k3)
    sdk.Save("BD_Customer", {"Model": {"FNumber": "SDK-C3", "FName": "三号客户"}})
    sdk.Submit("BD_Customer", {"Numbers": ["SDK-C3"]})
    assert json.loads(sdk.CancelAssign("BD_Customer", {"Numbers": ["SDK-C3"]}))["Result"]["ResponseStatus"]["IsSuccess"]
    pk = json.loads(sdk.ExecuteBillQuery({"FormId": "BD_MATERIAL", "FieldKeys": "FMATERIALID",
                                          "FilterString": "FNumber='MAT-0001'"}))[0][0]
    assert json.loads(sdk.Allocate("BD_MATERIAL", {"PkIds": str(pk), "TOrgIds": "101"}))["Result"]["ResponseStatus"][
        "IsSuccess"]
    op = json.loads(sdk.ExcuteOperation("BD_MATERIAL", "Forbid", {"Numbers": ["MAT-0002"]}))
    assert op["Result"]["ResponseStatus"]["SuccessEntitys"][0]["Number"] == "MAT-0002"
    rows = json.loads(sdk.ExecuteBillQuery({"FormId": "BD_MATERIAL",
                                            "FieldKeys": "FNumber,FUseOrgId.FNumber,FForbidStatus",
                                            "FilterString": "FNumber IN ('MAT-0001','MAT-0002')",
                                            "OrderString": "FMATERIALID"}))
    assert rows == [["MAT-0001", "100", "A"], ["MAT-0002", "100", "B"], ["MAT-0001", "101", "A"]]
