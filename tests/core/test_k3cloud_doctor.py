"""The K3Cloud credential doctor over real HTTP: all steps pass, and each step fails naming the right setting."""

from __future__ import annotations

import json
import socket

import pytest

from core.http import HttpClient, RetryPolicy
from core.k3cloud.doctor import check_k3cloud
from core.sandbox import start_sandbox
from tests.helpers_core import tls_files
from tests.helpers_k3cloud import CannedServer, Recorder, k3_profile

STEPS = ["reachable", "datacenter", "login", "permission", "org"]


@pytest.fixture
def sb():
    with start_sandbox(seed=2, demo_sizes={"customers": 10, "orders": 3, "products": 10}) as sandbox:
        yield sandbox


def run(creds: dict, mode: str = "password", recorder: Recorder | None = None, **changes):
    profile, secrets = k3_profile(creds, mode, **changes)
    http = HttpClient("k3cloud", profile.k3_url, ca_bundle=profile.ca_bundle,
                      retry=RetryPolicy(attempts=2, base=0.01, cap=0.02), sinks=[recorder] if recorder else [])
    return check_k3cloud(profile, secrets, http=http)


def failed(steps):
    assert not steps[-1].ok, [s.to_dict() for s in steps]
    assert all(s.ok for s in steps[:-1])
    return steps[-1]


@pytest.mark.parametrize("mode", ["password", "appsecret", "signed"])
def test_all_steps_pass_in_every_mode(sb, mode):
    rec = Recorder()
    steps = run(sb.credentials()["k3cloud"], mode, rec)
    assert [s.name for s in steps] == STEPS
    assert all(s.ok and s.side == "k3cloud" and s.field is None for s in steps)
    assert all(s.message.zh and s.message.en for s in steps)
    assert sb.credentials()["k3cloud"]["app_secret"] not in rec.dump()


@pytest.mark.parametrize("mode,changes,step,field", [
    ("password", {"k3_acct_id": "000000000000000000000000"}, "datacenter", "k3_acct_id"),
    ("password", {"k3_password": "nope"}, "login", "k3_password"),
    ("password", {"k3_lcid": 9999}, "login", "k3_lcid"),
    ("appsecret", {"k3_app_secret": "f" * 32}, "login", "k3_app_secret"),
    ("signed", {"k3_app_secret": "f" * 32}, "login", "k3_app_secret"),
    ("signed", {"k3_app_id": "not-an-sdk-app-id"}, "login", "k3_app_id"),
    ("password", {"k3_org": "999"}, "org", "k3_org"),
])
def test_each_step_fails_with_the_setting_to_fix(sb, mode, changes, step, field):
    steps = run(sb.credentials()["k3cloud"], mode, **changes)
    bad = failed(steps)
    assert (bad.name, bad.field) == (step, field)
    assert bad.message.zh and bad.message.en


def test_wrong_data_center_lists_the_valid_ones(sb):
    creds = sb.credentials()["k3cloud"]
    bad = failed(run(creds, k3_acct_id="nosuch"))
    assert creds["acct_id"] in bad.message.zh and "演示账套" in bad.message.en


def test_wrong_org_lists_existing_orgs(sb):
    bad = failed(run(sb.credentials()["k3cloud"], k3_org="999"))
    assert "100" in bad.message.en


def test_unreachable_server_and_wrong_path(sb):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    creds = sb.credentials()["k3cloud"]
    bad = failed(run({**creds, "url": f"http://127.0.0.1:{port}/K3Cloud/"}))
    assert (bad.name, bad.field) == ("reachable", "k3_url")
    bad = failed(run({**creds, "url": creds["url"].replace("/K3Cloud/", "/Wrong/")}))
    assert (bad.name, bad.field, bad.code) == ("reachable", "k3_url", "404")
    assert "/K3Cloud/" in bad.message.zh and "/K3Cloud/" in bad.message.en


def test_a_server_failure_names_no_setting(sb):
    sb.k3_server.set_faults(response_error_rate=1.0)
    bad = failed(run(sb.credentials()["k3cloud"]))
    assert (bad.name, bad.field, bad.code) == ("reachable", None, None)
    assert "服务器内部错误" in bad.message.zh and "Try again later" in bad.message.en


def test_a_refused_login_quotes_the_server_and_says_what_to_fix(sb):
    bad = failed(run(sb.credentials()["k3cloud"], k3_password="wrong-password"))
    assert (bad.name, bad.field, bad.code) == ("login", "k3_password", "LoginResultType -1")
    assert "“用户名或密码错误”。请核对" in bad.message.zh
    assert "secret set NAME k3-password" in bad.message.en


def test_self_signed_https_needs_the_ca_bundle(tmp_path):
    tls = tls_files(tmp_path)
    with start_sandbox(seed=3, tls=tls.server, demo_sizes={"customers": 5, "orders": 1, "products": 5}) as sb:
        creds = sb.credentials()["k3cloud"]
        assert creds["url"].startswith("https://")
        bad = failed(run(creds))
        assert (bad.name, bad.field) == ("reachable", "ca_bundle")
        steps = run(creds, ca_bundle=tls.ca)
        assert [s.ok for s in steps] == [True] * 5
        assert "TLS" in steps[0].message.en
        profile, secrets = k3_profile(creds, ca_bundle=tls.ca)  # the client's own HTTP set-up honours it too
        assert [s.ok for s in check_k3cloud(profile, secrets)] == [True] * 5


def test_missing_permission_points_at_the_user():
    denied = {"Result": {"ResponseStatus": {"IsSuccess": False, "MsgCode": 2, "ErrorCode": 500, "Errors": [
        {"FieldName": None, "Message": "没有客户的查看权限", "DIndex": 0}]}}}
    with CannedServer() as srv:
        srv.answer("GetDataCenterList", json.dumps([{"Id": "acct1", "Name": "测试账套"}]))
        srv.answer("ExecuteBillQuery", json.dumps([[denied]], ensure_ascii=False))
        creds = {"url": srv.url, "acct_id": "acct1", "username": "api", "password": "pw-123456", "app_id": "",
                 "app_secret": "", "lcid": 2052, "org": "100"}
        bad = failed(run(creds))
    assert (bad.name, bad.field, bad.code) == ("permission", "k3_user", "2")
    assert "没有客户的查看权限" in bad.message.zh


def test_default_client_path_reports_to_the_sinks(sb):
    rec = Recorder()
    profile, secrets = k3_profile(sb.credentials()["k3cloud"], "appsecret")
    steps = check_k3cloud(profile, secrets, sinks=[rec])
    assert [s.ok for s in steps] == [True] * 5
    assert [r.endpoint.split(".")[-3] for r in rec.records][:2] == ["GetDataCenterList", "LoginByAppSecret"]
    assert all(r.status == 200 for r in rec.records)


@pytest.mark.parametrize("mode, missing, field", [("password", "k3_password", "k3_password"),
                                                  ("appsecret", "k3_app_secret", "k3_app_secret"),
                                                  ("signed", "k3_app_secret", "k3_app_secret")])
def test_a_secret_not_stored_is_named_and_nothing_is_sent_without_it(sb, mode, missing, field):
    rec = Recorder()
    bad = failed(run(sb.credentials()["k3cloud"], mode, recorder=rec, **{missing: None}))
    assert (bad.name, bad.field) == ("login", field)
    assert f"secret set NAME {field.replace('_', '-')}" in bad.message.en
    assert [r.endpoint for r in rec.records if "GetDataCenterList" not in r.endpoint] == []  # no login attempt


@pytest.mark.parametrize("result_type", [-5, -2])
def test_a_login_k3cloud_qualifies_works_and_the_login_step_says_why(sb, caplog, result_type):
    """LoginResultType -5 (DealWithForm, a Kingdee tutorial treats it as allowed) and -2 keep a working session."""
    sb.k3_app.admin("knobs", {"login_result_type": result_type})
    with caplog.at_level("WARNING", logger="fxk3sync.k3cloud"):
        steps = run(sb.credentials()["k3cloud"])
    assert [s.name for s in steps] == STEPS and all(s.ok for s in steps), [s.to_dict() for s in steps]
    login = steps[2]
    assert f"LoginResultType {result_type}" in login.message.zh and f"LoginResultType {result_type}" in login.message.en
    assert login.message.zh.startswith("以 ") and "Logged in as" in login.message.en
    assert any(f"LoginResultType {result_type}" in r.getMessage() for r in caplog.records)


def test_a_plain_login_carries_no_warning(sb):
    login = run(sb.credentials()["k3cloud"])[2]
    assert login.ok and "LoginResultType" not in login.message.en


@pytest.mark.parametrize("mode,field", [("password", "k3_password"), ("appsecret", "k3_user")])
def test_an_expired_password_says_to_change_it_in_k3cloud_then_in_the_profile(sb, mode, field):
    sb.k3_app.admin("knobs", {"password_expired": True})
    bad = failed(run(sb.credentials()["k3cloud"], mode))
    assert (bad.name, bad.field, bad.code) == ("login", field, "LoginResultType -3")
    assert "密码已过期" in bad.message.zh and "password has expired" in bad.message.en
    assert "金蝶网页端修改密码" in bad.message.zh and "change the password" in bad.message.en
    if mode == "password":
        assert "k3_password" in bad.message.zh and "secret set NAME k3-password" in bad.message.en
