"""K3Cloud client against raw answers over real HTTP: every malformed body kind and every envelope variant."""

from __future__ import annotations

import json

import pytest

from core.errors import BadResponseError, ConnectError, K3CloudAuthError, K3CloudError, OutcomeUnknownError
from core.http import HttpClient, RetryPolicy
from core.k3cloud.client import K3CloudClient
from tests.helpers_k3cloud import CannedServer, Recorder, k3_profile

CREDS = {"acct_id": "66a1b2c3d4e5f6", "username": "api_user", "password": "S3cret-pass!", "lcid": 2052,
         "app_id": "204399_72epSbtEQMC92Vwt2d3LRa9LRqSc1tqJ", "app_secret": "3b6e1f3c0e6f4b8c9d2a7e5f1c0b9a88",
         "org": "100"}
HTML_500 = "<!DOCTYPE html><html><head><title>500 - 服务器错误。</title></head><body>IIS</body></html>"
NESTED_ERROR = [[{"Result": {"ResponseStatus": {
    "ErrorCode": 500, "IsSuccess": "false", "MsgCode": "9",
    "Errors": [{"FieldName": "FNoSuchKey", "Message": "元数据中标识为 FNoSuchKey 的字段不存在", "DIndex": 0}],
    "SuccessEntitys": [], "SuccessMessages": []}}}]]
MALFORMED = {
    "empty": ("", 200),
    "html page": (HTML_500, 500),
    "response_error": ("response_error: 对象引用未设置到对象的实例。", 200),
    "truncated json": ('{"Result":{"ResponseStatus":{"IsSuccess":true,"Errors":[', 200),
    "plain text 500": ("Internal Server Error", 500),
}


@pytest.fixture
def server():
    with CannedServer() as srv:
        yield srv


def _client(server: CannedServer, mode: str = "password", recorder: Recorder | None = None) -> K3CloudClient:
    profile, secrets = k3_profile({**CREDS, "url": server.url}, mode)
    http = HttpClient("k3cloud", profile.k3_url, retry=RetryPolicy(attempts=2, base=0.01, cap=0.02),
                      sinks=[recorder] if recorder else [])
    return K3CloudClient(profile, secrets, http=http)


def _saves(server: CannedServer) -> int:
    return sum(1 for p in server.paths if ".Save." in p)


@pytest.mark.parametrize("kind", sorted(MALFORMED))
def test_a_read_with_a_malformed_body_raises_bad_response(server, kind):
    body, status = MALFORMED[kind]
    server.answer("ExecuteBillQuery", body, status)
    with _client(server) as client, pytest.raises(BadResponseError) as err:
        client.query("BD_Customer", ["FNumber"])
    assert err.value.side == "k3cloud"
    assert err.value.message.zh and err.value.message.en
    if kind == "html page":
        assert "网页" in err.value.message.zh
    if kind == "response_error":
        assert "对象引用未设置" in err.value.message.zh


@pytest.mark.parametrize("kind", sorted(MALFORMED))
def test_a_write_with_a_malformed_body_is_outcome_unknown_and_sent_once(server, kind):
    body, status = MALFORMED[kind]
    server.answer(".Save.", body, status)
    with _client(server) as client, pytest.raises(OutcomeUnknownError) as err:
        client.save("BD_Customer", {"FNumber": "CUST-9001", "FName": "测试"}, idem_key="CUST-9001")
    assert err.value.idem_keys == ["CUST-9001"]
    assert _saves(server) == 1


def test_a_connection_dropped_mid_answer(server):
    server.answer("ExecuteBillQuery", json.dumps([["CUST-0001"]] * 50), truncate=True)
    server.answer(".Save.", '{"Result":{"ResponseStatus":{"IsSuccess":true}}}' * 20, truncate=True)
    with _client(server) as client:
        with pytest.raises(ConnectError):
            client.query("BD_Customer", ["FNumber"])
        with pytest.raises(OutcomeUnknownError) as err:
            client.save("BD_Customer", {"FNumber": "CUST-9002"}, idem_key="CUST-9002")
    assert err.value.idem_keys == ["CUST-9002"]
    assert _saves(server) == 1


def test_the_nested_execute_bill_query_error_with_string_codes(server):
    server.answer("ExecuteBillQuery", json.dumps(NESTED_ERROR, ensure_ascii=False))
    with _client(server) as client, pytest.raises(K3CloudError) as err:
        client.query("BD_Customer", ["FNoSuchKey"])
    assert err.value.msg_code == 9
    assert err.value.errors[0].field == "FNoSuchKey"
    assert "FNoSuchKey" in err.value.message.zh


def test_the_bill_query_bare_object_error(server):
    bare = {"Result": {"ResponseStatus": {"IsSuccess": False, "MsgCode": 4, "ErrorCode": 500,
                                          "Errors": [{"FieldName": None, "Message": "GetRealExpress error",
                                                      "DIndex": 0}]}}}
    server.answer(".BillQuery.", json.dumps(bare))
    with _client(server) as client, pytest.raises(K3CloudError) as err:
        client.bill_query("SAL_SaleOrder", ["FBillNo"], filter="FBillNo = = 'x'")
    assert err.value.msg_code == 4


def test_row_shapes_are_tolerated(server):
    server.answer("ExecuteBillQuery", json.dumps([{"FNumber": "C1", "FName": "甲"}, {"fnumber": "C2", "FName": "乙"}]))
    server.answer(".BillQuery.", json.dumps([["C1", "甲"]]))
    with _client(server) as client:
        assert client.query("BD_Customer", ["FNumber", "FName"]) == [["C1", "甲"], ["C2", "乙"]]
        assert client.bill_query("BD_Customer", ["FNumber", "FName"]) == [{"FNumber": "C1", "FName": "甲"}]


def test_login_answer_variants_and_session_sent_as_cookie_and_header(server):
    server.answer("AuthService.ValidateUser", json.dumps({"Result": {"LoginResultType": "1",
                                                                      "KDSVCSessionId": "sid-wrapped-42"}}))
    rec = Recorder()
    with _client(server, recorder=rec) as client:
        client.query("BD_Customer", ["FNumber"])
        assert client.logged_in
        assert client.http.session.cookies.get("kdservice-sessionid") == "sid-wrapped-42"
    query = rec.endpoints("ExecuteBillQuery")[0]
    assert query.request_headers.get("kdservice-sessionid") == "***"
    assert "sid-wrapped-42" not in rec.dump()
    assert CREDS["password"] not in rec.dump()


def test_string_success_flags_and_save_ids(server):
    ok = {"Result": {"ResponseStatus": {"IsSuccess": "true", "MsgCode": "0", "Errors": [],
                                        "SuccessEntitys": [{"Id": 100321, "Number": "CUST-9003", "DIndex": "0"}]},
                     "Id": 100321, "Number": "CUST-9003", "NeedReturnData": [{"FNumber": "CUST-9003"}]}}
    server.answer(".Save.", json.dumps(ok))
    with _client(server) as client:
        result = client.save("BD_Customer", {"FNumber": "CUST-9003"}, idem_key="CUST-9003")
    assert result.ok and result.msg_code is None
    assert (result.rows[0].id, result.rows[0].number) == ("100321", "CUST-9003")
    assert result.need_return_data == [{"FNumber": "CUST-9003"}]


def test_signed_mode_wrong_data_center_and_bad_credentials(server):
    server.answer("ExecuteBillQuery", "Fail to verify thirty passport", 500, content_type="text/plain")
    with _client(server, "signed") as client, pytest.raises(K3CloudAuthError) as err:
        client.query("BD_Customer", ["FNumber"])
    assert err.value.field == "k3_acct_id"
    lost = {"Result": {"ResponseStatus": {"ErrorCode": 500, "IsSuccess": False, "MsgCode": 1,
                                          "Errors": [{"FieldName": None, "Message": "会话信息已丢失，请重新登录",
                                                      "DIndex": 0}]}}}
    server.answer("ExecuteBillQuery", json.dumps([[lost]], ensure_ascii=False))
    with _client(server, "signed") as client, pytest.raises(K3CloudAuthError) as err:
        client.query("BD_Customer", ["FNumber"])
    assert err.value.msg_code == 1
    assert "app secret" in err.value.message.en


def test_login_refused_even_with_a_cookie(server):
    server.answer("AuthService.ValidateUser", json.dumps({"LoginResultType": 0, "Message": "用户名或密码错误",
                                                           "KDSVCSessionId": None}))
    with _client(server) as client, pytest.raises(K3CloudAuthError) as err:
        client.login()
    assert err.value.field == "k3_password"
    assert not client.logged_in
