"""K3Cloud simulator over real HTTP: every login style, cookies, signed headers, session expiry, logout."""

from __future__ import annotations

import dataclasses
import json

import pytest
import requests

from core.sandbox.k3cloud_app import make_app_credentials
from core.sandbox.k3cloud_auth import LOGIN_RESULT_TYPES, decode_app_secret
from tests.helpers_k3sandbox import (  # noqa: F401 - fixtures
    ACCT,
    AUTH,
    DATA_CENTERS,
    FORM,
    K3,
    LOST,
    PASSWORD,
    USER,
    k3,
    logged_in,
    signed_headers,
)

QUERY = {"FormId": "BD_MATERIAL", "FieldKeys": "FNumber", "FilterString": "FNumber='MAT-0001'"}


def _query_ok(k3: K3, **kw) -> bool:
    body = k3.call("ExecuteBillQuery", None, QUERY, **kw)
    return body == [["MAT-0001"]]


def test_make_app_credentials_is_deterministic_and_in_sdk_form():
    app_id, secret = make_app_credentials(5)
    assert (app_id, secret) == make_app_credentials(5) != make_app_credentials(6)
    client_id, encoded = app_id.split("_")
    assert client_id.isdigit() and len(encoded) == 32 and len(secret) == 32
    int(secret, 16)
    assert len(decode_app_secret(encoded)) == 32


@pytest.mark.parametrize("body", [
    {"parameters": [ACCT, USER, PASSWORD, 2052]},
    {"acctID": ACCT, "username": USER, "password": PASSWORD, "lcid": 2052},
    {"ACCTID": ACCT, "UserName": USER, "PassWord": PASSWORD, "LCID": "2052"},
    {"format": 1, "useragent": "ApiClient", "rid": 17, "v": "1.0", "timestamp": "2026-01-01",
     "parameters": json.dumps([ACCT, USER, PASSWORD, 2052])},
], ids=["positional", "named", "named-any-case", "legacy-wrapper"])
def test_validate_user_body_styles_log_in_and_the_session_works(k3: K3, body):
    r = k3.post(AUTH + "ValidateUser", body)
    login = r.json()
    assert r.status_code == 200 and login["LoginResultType"] == 1 and login["IsSuccessByAPI"] is True
    assert login["KDSVCSessionId"] == login["Context"]["SessionId"] == r.cookies["kdservice-sessionid"]
    assert "ASP.NET_SessionId" in r.cookies
    assert _query_ok(k3)


def test_legacy_wrapper_with_unicode_escaped_user_name(k3: K3):
    k3.app.ident = dataclasses.replace(k3.app.ident, username="接口用户")
    inner = json.dumps([ACCT, "接口用户", PASSWORD, 2052])  # ensure_ascii: \uXXXX escapes, as the old Java demo
    raw = json.dumps({"format": 1, "useragent": "ApiClient", "rid": 3, "parameters": inner}).encode("ascii")
    assert b"\\\\u63a5" in raw
    assert k3.post(AUTH + "ValidateUser", raw=raw).json()["LoginResultType"] == 1


def test_wrong_password_is_type_minus_one_and_still_sets_cookies(k3: K3):
    r = k3.post(AUTH + "ValidateUser", {"parameters": [ACCT, USER, "nope", 2052]})
    body = r.json()
    assert r.status_code == 200 and body["LoginResultType"] == -1 and body["Message"] == "用户名或密码错误"
    assert body["KDSVCSessionId"] is None and body["IsSuccessByAPI"] is False
    assert {"kdservice-sessionid", "ASP.NET_SessionId"} <= set(r.cookies.keys())
    assert k3.call("ExecuteBillQuery", None, QUERY) == [[LOST]]  # the cookie is an empty shell


def test_wrong_user_and_bad_lcid_are_refused(k3: K3):
    for params in ([ACCT, "someone", PASSWORD, 2052], [ACCT, USER, PASSWORD, 9999]):
        assert k3.post(AUTH + "ValidateUser", {"parameters": params}).json()["LoginResultType"] == -1


def test_wrong_acct_id_answers_http_500_passport_text(k3: K3):
    r = k3.post(AUTH + "ValidateUser", {"parameters": ["no-such-dc", USER, PASSWORD, 2052]})
    assert r.status_code == 500 and r.text == "Fail to verify thirty passport"
    r = k3.post(AUTH + "LoginByAppSecret", {"parameters": ["no-such-dc", USER, k3.app_id, k3.app_secret, 2052]})
    assert r.status_code == 500


@pytest.mark.parametrize("style", ["positional", "named"])
def test_login_by_app_secret(k3: K3, style):
    args = [ACCT, USER, k3.app_id, k3.app_secret, 2052]
    body = {"parameters": args} if style == "positional" else dict(
        zip(["acctid", "username", "appid", "appsecret", "lcid"], args, strict=True))
    login = k3.post(AUTH + "LoginByAppSecret", body).json()
    assert login["LoginResultType"] == 1 and login["KDSVCSessionId"]
    assert _query_ok(k3)


def test_login_by_app_secret_with_wrong_secret(k3: K3):
    login = k3.post(AUTH + "LoginByAppSecret", {"parameters": [ACCT, USER, k3.app_id, "0" * 32, 2052]}).json()
    assert login["LoginResultType"] == -1 and "应用" in login["Message"]


def test_session_from_header_only(k3: K3):
    sid = k3.login()["KDSVCSessionId"]
    with requests.Session() as fresh:
        assert _query_ok(k3, session=fresh, headers={"kdservice-sessionid": sid})
        assert _query_ok(k3, session=fresh, headers={"Cookie": f"Theme=standard;kdservice-sessionid={sid}"})
        assert k3.call("ExecuteBillQuery", None, QUERY, session=fresh) == [[LOST]]


def test_no_session_gives_msgcode_1_exactly_and_nested_for_execute_bill_query(k3: K3):
    assert k3.call("ExecuteBillQuery", None, QUERY) == [[LOST]]
    assert k3.call("Save", "BD_Customer", {"Model": {"FName": "x"}}) == LOST
    assert k3.call("BillQuery", None, QUERY) == LOST
    assert k3.admin("count", {"form_id": "BD_Customer"})["count"] == 1


def test_session_expires_after_idle_time(logged_in: K3):
    k3 = logged_in
    k3.admin("knobs", {"session_idle_seconds": 60})
    k3.clock.advance(59)
    assert _query_ok(k3)
    k3.clock.advance(59)  # idle time counts from the last call
    assert _query_ok(k3)
    k3.clock.advance(61)
    assert k3.call("ExecuteBillQuery", None, QUERY) == [[LOST]]


def test_session_expires_after_n_calls(logged_in: K3):
    k3 = logged_in
    k3.admin("knobs", {"session_expire_after_calls": 3})
    assert [_query_ok(k3) for _ in range(3)] == [True, True, True]
    assert k3.call("ExecuteBillQuery", None, QUERY) == [[LOST]]
    k3.login()
    assert _query_ok(k3)


def test_expire_sessions_admin_and_logout(logged_in: K3):
    k3 = logged_in
    assert k3.admin("expire_sessions")["expired"] == 1
    assert k3.call("ExecuteBillQuery", None, QUERY) == [[LOST]]
    k3.login()
    assert k3.post(AUTH + "Logout", {}).json() is True
    assert k3.call("ExecuteBillQuery", None, QUERY) == [[LOST]]


def test_get_data_center_list_needs_no_login(k3: K3):
    centres = k3.post(DATA_CENTERS, {}).json()
    assert centres == [{"Id": ACCT, "Number": ACCT, "Name": "测试账套", "DatabaseType": 3}]


def test_path_and_service_names_are_case_insensitive(k3: K3):
    url = k3.server.url + "k3cloud/" + (AUTH + "ValidateUser").lower() + ".common.kdsvc"
    r = k3.http.post(url, json={"parameters": [ACCT, USER, PASSWORD, 2052]}, timeout=5)
    assert r.json()["LoginResultType"] == 1
    assert k3.http.post(k3.server.url + "Other/x.common.kdsvc", timeout=5).status_code == 404


# --- signed headers (reference §2.6) ------------------------------------------------------------------------


def _signed(k3: K3, session: requests.Session, **kw) -> requests.Response:
    path = "/K3Cloud/" + FORM + "ExecuteBillQuery.common.kdsvc"
    return k3.post(FORM + "ExecuteBillQuery", {"data": QUERY}, session=session,
                   headers=signed_headers(path, k3.app_id, k3.app_secret, **kw))


def test_signed_headers_authenticate_without_login_and_issue_a_session(k3: K3):
    with requests.Session() as s:
        r = _signed(k3, s)
        assert r.json() == [["MAT-0001"]]
        sid = r.cookies["kdservice-sessionid"]
        r2 = _signed(k3, s)
        assert r2.json() == [["MAT-0001"]] and "kdservice-sessionid" not in r2.cookies  # the session is reused
        assert k3.app.sessions.get(sid, 1e9, None) is not None


def test_signed_mode_reissues_an_expired_session_silently(k3: K3):
    with requests.Session() as s:
        first = _signed(k3, s).cookies["kdservice-sessionid"]
        k3.admin("expire_sessions")
        r = _signed(k3, s)
        assert r.json() == [["MAT-0001"]] and r.cookies["kdservice-sessionid"] != first
        s.cookies.set("kdservice-sessionid", "invalid-sid")
        assert _signed(k3, s).json() == [["MAT-0001"]]


@pytest.mark.parametrize("bad", [{"user": "other"}, {"lcid": 9999}, {"secret": "0" * 32}, {"app_id": "x"}])
def test_bad_signed_credentials_give_msgcode_1_and_an_empty_shell_cookie(k3: K3, bad):
    path = "/K3Cloud/" + FORM + "ExecuteBillQuery.common.kdsvc"
    app_id, secret = k3.app_id, bad.pop("secret", k3.app_secret)
    if bad.pop("app_id", None):
        app_id = make_app_credentials(99)[0]
    with requests.Session() as s:
        r = k3.post(FORM + "ExecuteBillQuery", {"data": QUERY}, session=s,
                    headers=signed_headers(path, app_id, secret, **bad))
        assert r.status_code == 200 and r.json() == [[LOST]]
        assert "kdservice-sessionid" in r.cookies
        assert k3.app.sessions.get(r.cookies["kdservice-sessionid"], 1e9, None) is None


def test_signed_wrong_acct_id_is_http_500(k3: K3):
    with requests.Session() as s:
        r = _signed(k3, s, acct="no-such-dc")
        assert r.status_code == 500 and r.text == "Fail to verify thirty passport"


def test_tampered_api_signature_is_refused_unless_the_knob_is_off(k3: K3):
    path = "/K3Cloud/" + FORM + "ExecuteBillQuery.common.kdsvc"
    headers = signed_headers(path, k3.app_id, k3.app_secret)
    headers["X-Api-Signature"] = headers["X-Api-Signature"][:-4] + "AAAA"
    with requests.Session() as s:
        assert k3.post(FORM + "ExecuteBillQuery", {"data": QUERY}, session=s, headers=headers).json() == [[LOST]]
    k3.admin("knobs", {"signature_check": False})
    with requests.Session() as s:
        assert k3.post(FORM + "ExecuteBillQuery", {"data": QUERY}, session=s,
                       headers=headers).json() == [["MAT-0001"]]


def test_signed_session_still_counts_calls_and_is_reissued(k3: K3):
    k3.admin("knobs", {"session_expire_after_calls": 2})
    with requests.Session() as s:
        sids = [_signed(k3, s).cookies.get("kdservice-sessionid") for _ in range(4)]
    assert sids[0] and sids[1] is None and sids[2] and sids[2] != sids[0]


def test_login_response_shape(k3: K3):
    login = k3.login()
    for key in ("Message", "MessageCode", "LoginResultType", "Context", "KDSVCSessionId", "FormId",
                "RedirectFormParam", "FormInputObject", "ErrorStackTrace", "Lcid", "AccessToken", "CustomParam",
                "KdAccessResult", "IsSuccessByAPI"):
        assert key in login
    assert login["Context"]["UserName"] == USER and login["Lcid"] == 0  # as the real answer (G:51913959763)


def test_malformed_login_bodies_get_a_login_answer(k3: K3):
    for raw in (b"{not json", b'{"parameters": 5}', b'{"parameters": "[broken"}'):
        r = k3.post(AUTH + "ValidateUser", raw=raw)
        assert r.status_code == 200 and r.json()["LoginResultType"] == -1
    assert k3.post(AUTH + "ValidateUser", {}).status_code == 500  # no acctId: the wrong-data-centre answer


def test_a_real_success_carries_check_password_policy_lcid_0_and_a_user_token(k3: K3):
    login = k3.login()
    assert login["MessageCode"] == "CheckPasswordPolicy" and login["Lcid"] == 0 and login["Message"] is None
    ctx = login["Context"]
    assert ctx["UserToken"] and ctx["UserToken"] != login["KDSVCSessionId"] and ctx["UserLocale"] == "zh-CN"


@pytest.mark.parametrize("result_type", [-5, -2])
def test_deal_with_form_login_answers_minus_5_with_a_working_session(k3: K3, result_type):
    k3.admin("knobs", {"login_result_type": result_type})
    r = k3.post(AUTH + "ValidateUser", {"parameters": [ACCT, USER, PASSWORD, 2052]})
    body = r.json()
    assert body["LoginResultType"] == result_type and body["KDSVCSessionId"] == r.cookies["kdservice-sessionid"]
    assert _query_ok(k3)


@pytest.mark.parametrize("result_type,name", [(0, "PWError"), (-3, "PWInvalid_Required"), (-4, "Wanning"),
                                              (-6, "EntryCloudUnBind"), (-7, "Activation")])
def test_other_login_result_types_refuse_without_a_session(k3: K3, result_type, name):
    assert LOGIN_RESULT_TYPES[result_type][0] == name
    k3.admin("knobs", {"login_result_type": result_type})
    body = k3.post(AUTH + "ValidateUser", {"parameters": [ACCT, USER, PASSWORD, 2052]}).json()
    assert body["LoginResultType"] == result_type and body["KDSVCSessionId"] is None and body["Message"]
    assert k3.call("ExecuteBillQuery", None, QUERY) == [[LOST]]


def test_expired_password_is_a_failed_login_carrying_check_password_policy(k3: K3):
    k3.admin("knobs", {"password_expired": True})
    for service, params in (("ValidateUser", [ACCT, USER, PASSWORD, 2052]),
                            ("LoginByAppSecret", [ACCT, USER, k3.app_id, k3.app_secret, 2052])):
        body = k3.post(AUTH + service, {"parameters": params}).json()
        assert body["LoginResultType"] == -3 and body["MessageCode"] == "CheckPasswordPolicy"
        assert body["IsSuccessByAPI"] is False and "过期" in body["Message"]
    assert k3.call("ExecuteBillQuery", None, QUERY) == [[LOST]]
    wrong = k3.post(AUTH + "ValidateUser", {"parameters": [ACCT, USER, "nope", 2052]}).json()
    assert wrong["LoginResultType"] == -1  # a wrong password is still a wrong password
