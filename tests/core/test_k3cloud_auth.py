"""K3Cloud auth pieces without a server: SDK header golden test, DecodeAppSecret, login answers, code catalogue."""

from __future__ import annotations

import types
from urllib.parse import urlsplit

import pytest
from k3cloud_webapi_sdk.core import webapi_client
from k3cloud_webapi_sdk.main import K3CloudApiSdk
from k3cloud_webapi_sdk.util import encode_util

from core.errors import ConfigError, K3CloudAuthError
from core.k3cloud import auth, codes

APP_ID = "204399_72epSbtEQMC92Vwt2d3LRa9LRqSc1tqJ"
APP_SECRET = "3b6e1f3c0e6f4b8c9d2a7e5f1c0b9a88"
FIXED = 1_764_331_200


def _sdk(url: str, user: str, lcid: int, org: int | str) -> K3CloudApiSdk:
    sdk = K3CloudApiSdk(url)
    sdk.InitConfig("6512abc0f1e2d3", user, APP_ID, APP_SECRET, url, lcid=lcid, org_num=org)
    return sdk


@pytest.mark.parametrize("user,lcid,org,sid", [
    ("administrator", 2052, 0, None),
    ("张三", 1033, 100, "8c5a0f6e-1d2b-4c3a-9e8f-7a6b5c4d3e2f"),
])
def test_signed_headers_equal_the_official_sdk_for_a_fixed_time(monkeypatch, user, lcid, org, sid):
    url = "http://127.0.0.1:8123/K3Cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc"
    sdk = _sdk("http://127.0.0.1:8123/K3Cloud/", user, lcid, org)
    if sid:
        sdk.cookiesStore.SID = sid
    # Freeze the SDK's clock through its module attribute; the SDK's own files stay untouched.
    monkeypatch.setattr(webapi_client, "time", types.SimpleNamespace(time=lambda: FIXED + 0.75))
    expected = sdk.BuildHeader(url)

    ours = auth.signed_headers(urlsplit(url).path, acct_id="6512abc0f1e2d3", user=user, app_id=APP_ID,
                               app_secret=APP_SECRET, lcid=lcid, org_num=org, timestamp=FIXED, sid=sid)

    assert ours == expected
    assert list(ours) == list(expected)  # same order as well


def test_decode_app_secret_matches_the_sdk_and_rejects_malformed_input():
    encoded = APP_ID.split("_")[1]
    assert auth.decode_app_secret(encoded) == encode_util.DecodeAppSecret(encoded)
    assert auth.decode_app_secret(encoded) != ""
    for bad in ("short", encoded[:-1] + "=", encoded[:-1] + "-", encoded + "AAAA"):
        assert auth.decode_app_secret(bad) == encode_util.DecodeAppSecret(bad) == ""


def test_check_signed_config_names_the_app_id_field():
    with pytest.raises(ConfigError) as err:
        auth.check_signed_config("no-underscore", APP_SECRET)
    assert err.value.field == "k3_app_id"
    with pytest.raises(ConfigError) as err:
        auth.check_signed_config(APP_ID, "")
    assert err.value.field == "k3_app_secret"


def test_login_answer_shapes():
    ok = {"Message": None, "LoginResultType": 1, "Context": {"SessionId": "ctx-sid"}, "KDSVCSessionId": "body-sid"}
    assert auth.parse_login(ok, {}, mode="password").session_id == "body-sid"
    as_string = {"LoginResultType": "1", "Context": {"SessionId": "ctx-sid"}}
    assert auth.parse_login(as_string, {}, mode="password").session_id == "ctx-sid"
    wrapped = {"Result": {"LoginResultType": 1}}
    assert auth.parse_login(wrapped, {"kdservice-sessionid": "cookie-sid"}, mode="password").session_id == "cookie-sid"
    double_encoded = '{"LoginResultType":1,"KDSVCSessionId":"s2"}'
    assert auth.parse_login(double_encoded, {}, mode="appsecret").session_id == "s2"


def test_a_cookie_alone_is_not_a_login():
    with pytest.raises(K3CloudAuthError) as err:
        auth.parse_login({"LoginResultType": -1, "Message": "用户名或密码错误"}, {"kdservice-sessionid": "x"},
                         mode="password")
    assert "用户名或密码错误" in err.value.message.zh
    assert err.value.field == "k3_password"


@pytest.mark.parametrize("mode,result_type,message,field", [
    ("password", 0, None, "k3_password"),
    ("password", -1, "用户不存在", "k3_user"),
    ("password", -1, "数据中心不存在", "k3_acct_id"),
    ("appsecret", -1, "应用ID不正确", "k3_app_id"),
    ("appsecret", -1, "应用密钥错误", "k3_app_secret"),
    ("appsecret", -1, "Invalid lcid", "k3_lcid"),
    ("appsecret", -1, None, "k3_app_secret"),
    ("password", -5, None, "k3_user"),
])
def test_login_failure_names_the_setting_to_fix(mode, result_type, message, field):
    with pytest.raises(K3CloudAuthError) as err:
        auth.parse_login({"LoginResultType": result_type, "Message": message}, {}, mode=mode)
    assert err.value.field == field
    assert err.value.code == f"LoginResultType {result_type}"


def test_code_catalogue_covers_0_to_15_and_login_results():
    for code in range(16):
        meaning, advice = codes.explain(code)
        assert meaning.zh and meaning.en and advice.zh and advice.en
    assert "编码" in codes.explain(11)[1].zh or "number" in codes.explain(11)[1].en
    assert codes.is_retryable(13) and codes.is_retryable(14) and not codes.is_retryable(11)
    assert "app secret" in codes.explain(1)[1].en
    assert "99" in codes.explain(99)[0].en
    for rt in (1, 0, -1, -2, -3, -4, -5, -6, -7):
        assert codes.explain_login(rt)[0].zh


def test_a_deal_with_form_login_with_a_session_is_logged_in_with_a_warning():
    outcome = auth.parse_login({"LoginResultType": -5, "MessageCode": "CheckPasswordPolicy", "KDSVCSessionId": "s5",
                                "Context": {"SessionId": "s5"}}, {}, mode="password")
    assert outcome.session_id == "s5" and outcome.warning is not None
    assert "-5" in outcome.warning.zh and "-5" in outcome.warning.en
    assert auth.parse_login({"LoginResultType": 1, "KDSVCSessionId": "s1"}, {}, mode="password").warning is None


def test_a_deal_with_form_answer_without_a_session_in_its_body_is_refused():
    with pytest.raises(K3CloudAuthError) as err:  # a Set-Cookie alone proves nothing
        auth.parse_login({"LoginResultType": -5}, {"kdservice-sessionid": "x"}, mode="password")
    assert err.value.code == "LoginResultType -5"


EXPIRED = "您的密码已过期，请修改密码后重新登录"


@pytest.mark.parametrize("answer,expired", [
    ({"LoginResultType": -3, "Message": None}, True),
    ({"LoginResultType": -1, "MessageCode": "CheckPasswordPolicy", "Message": EXPIRED}, True),
    ({"LoginResultType": -1, "MessageCode": "CheckPasswordPolicy", "Message": "用户名或密码错误"}, False),
    ({"LoginResultType": 0, "MessageCode": "CheckPasswordPolicy", "Message": None}, False),
    ({"LoginResultType": -1, "MessageCode": None, "Message": "登录失败"}, False),
])
def test_a_password_policy_refusal_says_the_password_expired(answer, expired):
    with pytest.raises(K3CloudAuthError) as err:
        auth.parse_login(answer, {}, mode="password")
    assert ("密码已过期" in err.value.message.zh) is expired
    assert ("password has expired" in err.value.message.en) is expired
    if expired:
        assert err.value.field == "k3_password" and "k3-password" in err.value.advice.en
