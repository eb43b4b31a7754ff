"""The Fxiaoke client over real HTTP: CRUD with details, describe, messages, operator, routes, errors, secrets."""

from __future__ import annotations

import json

import pytest

from core.errors import BadResponseError, ConfigError, FxiaokeAuthError, FxiaokeQuotaError, RequestTimeoutError
from core.fxiaoke.client import FxiaokeClient
from core.fxiaoke.codes import FxiaokeNotFoundError, FxiaokeParamError
from core.profiles import ProfileSecrets
from tests.helpers_fxiaoke import APP_SECRET, PERMANENT_CODE, admin_mobile, fx_sandbox
from tests.helpers_k3cloud import CannedServer


def test_create_order_with_lines_get_update_invalidate():
    with fx_sandbox() as env, env.client() as fx:
        account = next(fx.query("AccountObj", limit=1))
        product = next(fx.query("ProductObj", limit=1))
        order_id = fx.create("SalesOrderObj", {"account_id": account["_id"], "order_time": 1_780_000_000_000},
                             details={"SalesOrderProductObj": [
                                 {"product_id": product["_id"], "quantity": "2", "sales_price": "10.00"},
                                 {"product_id": product["_id"], "quantity": "1", "sales_price": "5.50"}]})
        order = fx.get("SalesOrderObj", order_id)
        assert order["account_id"] == account["_id"] and order["life_status"] == "normal"  # no approval flow
        lines = list(fx.query("SalesOrderProductObj", filters=[("order_id", "EQ", order_id)]))
        assert sorted(line["quantity"] for line in lines) == ["1", "2"]
        fx.update("SalesOrderObj", order_id, {"logistics_status": "3"})
        after = fx.get("SalesOrderObj", order_id)
        assert after["logistics_status"] == "3" and after["account_id"] == account["_id"]  # others kept
        fx.invalidate("SalesOrderObj", order_id)
        assert fx.get("SalesOrderObj", order_id)["life_status"] == "invalid"
        create = env.request(env.calls_to("data/create")[0])
        assert create["triggerApprovalFlow"] is False
        assert create["data"]["object_data"]["dataObjectApiName"] == "SalesOrderObj"


def test_get_of_an_unknown_record_is_not_found():
    with fx_sandbox() as env, env.client() as fx:
        with pytest.raises(FxiaokeNotFoundError) as err:
            fx.get("AccountObj", "0" * 24)
        assert err.value.code == "301" and "record not found" in err.value.message.en


def test_custom_objects_use_the_custom_routes():
    with fx_sandbox() as env, env.client() as fx:
        with pytest.raises(FxiaokeParamError):
            list(fx.query("object_ab12C__c"))
        assert env.records[-1].endpoint == "cgi/crm/custom/v2/data/query"


def test_describe_is_cached_and_list_objects_works():
    with fx_sandbox() as env, env.client() as fx:
        fields = fx.describe("AccountObj")
        assert fields["name"]["is_required"] is True and fields["name"]["label"]
        assert fx.describe("AccountObj") is fields
        assert len(env.calls_to("object/describe")) == 1
        assert "SalesOrderObj" in {o["describeApiName"] for o in fx.list_objects()}


def test_send_text_reaches_the_recipients():
    with fx_sandbox() as env, env.client() as fx:
        owner = env.profile.fx_open_user_id
        fx.send_text([owner, owner], "订单 20261127-000123 已发货")
        msgs = env.app.admin("messages", {})["messages"]
        assert msgs[-1]["toUser"] == [owner] and msgs[-1]["content"] == "订单 20261127-000123 已发货"
        assert "currentOpenUserId" not in env.request(env.calls_to("message/send")[0])


def test_operator_is_resolved_once_by_mobile_and_cached():
    store: dict[str, str] = {}

    def cache(key, resolve):
        if key not in store:
            store[key] = resolve()
        return store[key]

    with fx_sandbox(fx_open_user_id=None, fx_admin_mobile="") as env:
        env.profile.fx_admin_mobile = admin_mobile(env)
        admin_id = next(e for e in env.app.employees.values() if e.get("isAdmin"))["openUserId"]
        for _ in range(2):
            with env.client(operator_cache=cache) as fx:
                assert fx.operator_id() == admin_id
                list(fx.query("AccountObj", limit=1))
        assert len(env.calls_to("user/getByMobile")) == 1
        assert store == {f"mobile:{env.profile.fx_admin_mobile}": admin_id}
        assert env.request(env.calls_to("data/query")[-1])["currentOpenUserId"] == admin_id


def test_unknown_mobile_names_the_setting():
    with fx_sandbox(fx_open_user_id=None, fx_admin_mobile="13900000000") as env, env.client() as fx:
        with pytest.raises(FxiaokeAuthError) as err:
            fx.operator_id()
        assert err.value.field == "fx_admin_mobile" and "13900000000" in err.value.message.zh


def test_missing_secrets_are_config_errors_naming_the_field():
    with fx_sandbox() as env:
        with pytest.raises(ConfigError) as err:
            FxiaokeClient(env.profile, ProfileSecrets(fx_app_secret=APP_SECRET))
        assert err.value.field == "fx_permanent_code"


@pytest.mark.parametrize("secrets, code, field", [
    (ProfileSecrets(fx_app_secret="wrong-secret-123", fx_permanent_code=PERMANENT_CODE), "10006", "fx_app_secret"),
    (ProfileSecrets(fx_app_secret=APP_SECRET, fx_permanent_code="WRONGCODE123"), "20015", "fx_permanent_code"),
])
def test_wrong_credentials_are_auth_errors_naming_the_field(secrets, code, field):
    with fx_sandbox() as env, env.client(secrets=secrets) as fx:
        with pytest.raises(FxiaokeAuthError) as err:
            fx.token()
        assert err.value.code == code and err.value.field == field and err.value.advice.zh
        assert len(env.calls_to("corpAccessToken")) == 1


def test_30003_no_openapi_package_is_explained_and_not_retried():
    with fx_sandbox() as env, env.client() as fx:
        env.knobs(openapi_package=False)
        with pytest.raises(FxiaokeQuotaError) as err:
            list(fx.query("AccountObj", limit=1))
        e = err.value
        assert e.code == "30003" and not e.retryable and e.trace_id
        assert "客户经理" in e.advice.zh and "account manager" in e.advice.en and "OpenAPI" in e.message.en
        assert len(env.calls_to("data/query")) == 1


def test_30002_daily_quota_is_not_retried():
    with fx_sandbox() as env, env.client() as fx:
        env.knobs(daily_quota=1)
        list(fx.query("AccountObj", limit=1))
        with pytest.raises(FxiaokeQuotaError) as err:
            fx.count("AccountObj")
        assert err.value.code == "30002" and "tomorrow" in err.value.advice.en
        assert len(env.calls_to("data/query")) == 2


@pytest.mark.parametrize("knob, words, status", [
    ("html_error_rate", "web page", "502"), ("response_error_rate", "server error", None),
    ("error_500_rate", "HTTP 500", "500"),
])
def test_malformed_bodies_become_bad_response_errors(knob, words, status):
    with fx_sandbox() as env, env.client() as fx:
        fx.token()
        fx.http.retry.base = 0.001
        env.server.set_faults(**{knob: 1.0})
        with pytest.raises(BadResponseError) as err:
            list(fx.query("AccountObj", limit=1))
        assert words in err.value.message.en and err.value.exchange is env.records[-1]
        if status:
            assert err.value.code == status
        # reads are asked again, whether the bad answer came with a 5xx or with HTTP 200
        assert len(env.calls_to("data/query")) == fx.http.retry.attempts
        env.server.set_faults(**{knob: 0.0})
        with pytest.raises(BadResponseError) as err:
            env.server.set_faults(**{knob: 1.0})
            fx.create("AccountObj", {"name": "宁波某某有限公司"})
        assert err.value.sent is True and len(env.calls_to("data/create")) == 1  # a write is sent once
        env.server.set_faults(**{knob: 0.0})


def test_exchange_log_holds_every_call_and_no_secret():
    with fx_sandbox(customers=120) as env, env.client() as fx:
        first_token, _ = fx.token()
        env.app.tokens.clear()  # a 20016 and a refresh on the way
        list(fx.query("AccountObj"))
        new_id = fx.create("AccountObj", {"name": "合肥某某有限公司"})
        fx.update("AccountObj", new_id, {"tel": "0551-1234567"})
        fx.send_text([env.profile.fx_open_user_id], "hello")
        with env.client(secrets=ProfileSecrets(fx_app_secret=APP_SECRET, fx_permanent_code="WRONGCODE123")) as bad:
            with pytest.raises(FxiaokeAuthError):
                bad.token()
        served = env.server.requests_served
    issued = {first_token, *env.app.tokens}
    assert len(issued) == 2
    assert len(env.records) == served
    endpoints = [r.endpoint for r in env.records]
    assert endpoints.count("cgi/corpAccessToken/get/V2") == 3 and "cgi/message/send" in endpoints
    for r in env.records:
        blob = json.dumps([r.request_body, r.response_body, r.request_headers, r.url, r.error], ensure_ascii=False)
        for secret in (APP_SECRET, PERMANENT_CODE, *issued):
            assert secret not in blob


def test_timeouts_come_from_the_profile_with_10_and_60_s_defaults():
    with fx_sandbox() as env:
        with env.client() as fx:
            assert (fx.http.timeouts.connect, fx.http.timeouts.read) == (10.0, 60.0)
        env.profile.read_timeout = 0.2
        env.server.set_faults(latency_ms=500)
        try:
            with env.client() as fx, pytest.raises(RequestTimeoutError) as err:
                fx.token()
        finally:
            env.server.set_faults(latency_ms=0)
    assert "0.2 s" in err.value.message.en


@pytest.mark.parametrize("data", [[{"_id": "a"}], {"dataList": {"_id": "a"}}, {"dataList": ["a", "b"]}, "rows"])
def test_a_query_answer_of_the_wrong_shape_is_a_bad_response_not_a_crash(data):
    with CannedServer() as srv, fx_sandbox() as env:
        srv.answer("corpAccessToken", json.dumps({"errorCode": 0, "corpAccessToken": "T0K3N-0001", "corpId": "C1",
                                                  "expiresIn": 7200}))
        srv.answer("data/query", json.dumps({"errorCode": 0, "data": data}))
        env.profile.fx_url = srv.url
        with env.client() as fx, pytest.raises(BadResponseError) as err:
            list(fx.query("AccountObj"))
    assert "AccountObj" in err.value.message.zh and "dataList" in err.value.message.en
