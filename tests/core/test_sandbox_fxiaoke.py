"""The Fxiaoke simulator over real loopback HTTP: token rules, limits, paging, filters, CRUD, errors, messages."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
import requests

from core.sandbox.base import SandboxServer
from core.sandbox.demo_data import build_demo
from core.sandbox.sandbox import demo_credentials, make_fxiaoke_app
from tests.helpers_fxsandbox import QUERY, Clock, Fx


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sim(clock: Clock):
    demo = build_demo(5, customers=12, orders=20, products=8, employees=3, now_ms=int(clock.now * 1000))
    creds = demo_credentials(5)
    app = make_fxiaoke_app(demo, creds, clock)
    with SandboxServer(app) as srv, requests.Session() as s:
        fx = Fx(srv, creds, demo.admin["openUserId"], s)
        fx.demo, fx.app = demo, app
        yield fx


@pytest.fixture
def fx(sim: Fx) -> Fx:
    sim.login()
    return sim


def test_token_is_reused_for_6600_s_then_renewed_and_the_old_one_lives_until_7200_s(sim, clock):
    first = sim.get_token()
    assert first["errorCode"] == 0 and first["expiresIn"] == 7200 and first["corpId"].startswith("FSCID_")
    clock.now += 6000
    again = sim.get_token()
    assert again["corpAccessToken"] == first["corpAccessToken"] and again["expiresIn"] == 1200
    clock.now += 700  # 6700 s after issue: renewal window
    renewed = sim.get_token()
    assert renewed["corpAccessToken"] != first["corpAccessToken"] and renewed["expiresIn"] == 7200
    sim.token = {"corpAccessToken": first["corpAccessToken"], "corpId": first["corpId"]}
    assert sim.query(limit=1)["errorCode"] == 0  # old token still valid
    clock.now += 600  # 7300 s: the old one has expired, the new one has not
    assert sim.query(limit=1)["errorCode"] == 20016
    sim.token["corpAccessToken"] = renewed["corpAccessToken"]
    assert sim.query(limit=1)["errorCode"] == 0


def test_token_credential_errors(sim):
    assert sim.get_token(appId="FSAID_nope")["errorCode"] == 20006
    assert sim.get_token(appSecret="wrong")["errorCode"] == 10006
    assert sim.get_token(appSecret="")["errorCode"] == 10006
    assert sim.get_token(permanentCode="WRONG")["errorCode"] == 20015
    bad = sim.get_token(appSecret="wrong")
    assert bad["traceId"].startswith("E-O.sandbox.") and bad["errorMessage"] and bad["errorDescription"]
    assert "corpAccessToken" not in bad


def test_token_endpoint_allows_ten_calls_a_minute(sim, clock):
    codes = [sim.get_token()["errorCode"] for _ in range(11)]
    assert codes == [0] * 10 + [14001]
    clock.now += 61
    assert sim.get_token()["errorCode"] == 0
    assert sim.admin("token_calls")["count"] == 12


def test_business_call_auth_errors(fx):
    good = dict(fx.token)
    fx.token = {"corpId": good["corpId"]}
    assert fx.query(limit=1)["errorCode"] == 20017
    fx.token = {"corpAccessToken": "FAKE", "corpId": good["corpId"]}
    assert fx.query(limit=1)["errorCode"] == 20016
    fx.token = {"corpAccessToken": good["corpAccessToken"], "corpId": "FSCID_OTHER"}
    assert fx.query(limit=1)["errorCode"] == 20016
    fx.token = good
    fx.user = ""
    assert fx.query(limit=1)["errorCode"] == 20012
    fx.user = "FSUID_0000"
    assert fx.query(limit=1)["errorCode"] == 20012


def test_per_endpoint_rate_limit(fx, clock):
    fx.admin("knobs", {"rate_limit_calls": 3, "rate_limit_window_s": 20})
    assert [fx.query(limit=1)["errorCode"] for _ in range(4)] == [0, 0, 0, 14001]
    some_id = fx.app.crm.all("AccountObj")[0]["_id"]
    got = fx.call("cgi/crm/v2/data/get", {"dataObjectApiName": "AccountObj", "objectDataId": some_id})
    assert got["errorCode"] == 0  # another endpoint has its own budget
    clock.now += 20
    assert fx.query(limit=1)["errorCode"] == 0


def test_token_expire_after_calls_package_and_daily_quota_knobs(fx):
    fx.admin("knobs", {"token_expire_after_calls": 2})
    assert [fx.query(limit=1)["errorCode"] for _ in range(3)] == [0, 0, 20016]
    dead = fx.token["corpAccessToken"]
    fx.login()
    assert fx.token["corpAccessToken"] != dead and fx.query(limit=1)["errorCode"] == 0
    fx.admin("knobs", {"token_expire_after_calls": None, "openapi_package": False})
    fx.login()
    assert fx.query(limit=1)["errorCode"] == 30003
    fx.admin("knobs", {"openapi_package": True, "daily_quota": 1})
    codes = [fx.query(limit=1)["errorCode"] for _ in range(2)]
    assert codes[-1] == 30002


def test_paging_250_rows_with_total_and_projection(fx):
    fx.admin("add_records", {"api_name": "AccountObj", "records": [{"name": f"分页{i}"} for i in range(238)]})
    seen: list[str] = []
    for offset in (0, 100, 200):
        page = fx.query(limit=100, offset=offset, orders=[{"fieldName": "_id", "isAsc": True}],
                        fieldProjection=["name"])["data"]
        assert page["total"] == 250 and page["offset"] == offset and page["limit"] == 100
        assert all(set(r) == {"_id", "name"} for r in page["dataList"])
        seen += [r["_id"] for r in page["dataList"]]
    assert len(seen) == len(set(seen)) == 250 and seen == sorted(seen)
    no_total = fx.call(QUERY, {"dataObjectApiName": "AccountObj", "find_explicit_total_num": False,
                               "search_query_info": {"limit": 10, "offset": 0}})
    assert no_total["data"]["total"] == 0 and len(no_total["data"]["dataList"]) == 10


def test_paging_limits(fx):
    assert fx.query(limit=101)["errorCode"] == 32000
    assert fx.query(limit=0)["errorCode"] == 32000
    assert fx.query(limit=100, offset=50)["errorCode"] == 32000
    assert fx.query(limit=100, offset=10_000)["errorCode"] == 0
    over = fx.query(limit=100, offset=10_100)
    assert over["errorCode"] == 10013 and over["errorMessage"] == "offset out of range 10000"
    assert fx.query(limit="10")["errorCode"] == 32000


def test_keyset_paging_past_10000_rows(fx):
    fx.admin("knobs", {"rate_limit_on": False})
    fx.admin("add_records", {"api_name": "AccountObj", "records": [{"name": f"k{i}"} for i in range(12_000)]})
    total = 12_000 + len(fx.demo.objects["AccountObj"])
    seen, last, calls = 0, None, 0
    while True:
        filters = [{"field_name": "_id", "operator": "GT", "field_values": [last]}] if last else []
        page = fx.query(limit=100, offset=0, filters=filters, orders=[{"fieldName": "_id", "isAsc": True}],
                        fieldProjection=["_id"])["data"]["dataList"]
        calls += 1
        seen += len(page)
        if len(page) < 100:
            break
        last = page[-1]["_id"]
    assert seen == total and calls == total // 100 + 1


@pytest.fixture
def probe(fx):
    """Four accounts with known values; every filter below is AND-ed with the account_no prefix."""
    other = fx.demo.employees[1]["openUserId"]
    rows = [
        {"name": "甲公司", "account_no": "P-1", "create_time": 1000, "tel": "021-1", "owner": [fx.user]},
        {"name": "乙公司", "account_no": "P-2", "create_time": 2000, "tel": None, "owner": [fx.user, other]},
        {"name": "丙工厂", "account_no": "P-3", "create_time": 3000, "tel": "0571-3", "owner": [other]},
        {"name": "丁工厂", "account_no": "P-4", "create_time": 4000, "tel": "", "owner": [other]},
    ]
    fx.admin("add_records", {"api_name": "AccountObj", "records": rows})

    def names(op: str, field: str, values: list[Any]) -> list[str]:
        filters = [{"field_name": "account_no", "operator": "STARTWITH", "field_values": ["P-"]},
                   {"field_name": field, "operator": op, "field_values": values}]
        res = fx.query(limit=100, filters=filters, orders=[{"fieldName": "account_no", "isAsc": True}])
        assert res["errorCode"] == 0, res
        return [r["name"] for r in res["data"]["dataList"]]

    return names


@pytest.mark.parametrize("op, field, values, expected", [
    ("EQ", "account_no", ["P-2"], ["乙公司"]),
    ("N", "account_no", ["P-2"], ["甲公司", "丙工厂", "丁工厂"]),
    ("GT", "create_time", [2000], ["丙工厂", "丁工厂"]),
    ("GTE", "create_time", [2000], ["乙公司", "丙工厂", "丁工厂"]),
    ("LT", "create_time", [2000], ["甲公司"]),
    ("LTE", "create_time", ["2000"], ["甲公司", "乙公司"]),
    ("IN", "account_no", ["P-1", "P-4", "X"], ["甲公司", "丁工厂"]),
    ("NIN", "account_no", ["P-1", "P-4"], ["乙公司", "丙工厂"]),
    ("LIKE", "name", ["工厂"], ["丙工厂", "丁工厂"]),
    ("NLIKE", "name", ["工厂"], ["甲公司", "乙公司"]),
    ("STARTWITH", "name", ["丙"], ["丙工厂"]),
    ("ENDWITH", "name", ["公司"], ["甲公司", "乙公司"]),
    ("BETWEEN", "create_time", [2000, 3000], ["乙公司", "丙工厂"]),
    ("NBETWEEN", "create_time", [2000, 3000], ["甲公司", "丁工厂"]),
    ("IS", "tel", [], ["乙公司", "丁工厂"]),
    ("ISN", "tel", [], ["甲公司", "丙工厂"]),
])
def test_filter_operators(probe, op, field, values, expected):
    assert probe(op, field, values) == expected


def test_owner_list_filters_and_operator_permissions(fx, probe):
    other = fx.demo.employees[1]["openUserId"]
    assert probe("EQ", "owner", [other]) == ["乙公司", "丙工厂", "丁工厂"]
    assert probe("CONTAINS", "owner", [fx.user, other]) == ["乙公司"]
    fx.user = other  # a sales rep, not an admin: sees only the records they own
    mine = fx.query(limit=100, filters=[{"field_name": "account_no", "operator": "STARTWITH", "field_values": ["P-"]}])
    assert sorted(r["name"] for r in mine["data"]["dataList"]) == ["丁工厂", "丙工厂", "乙公司"]


def test_orders_and_include_null(fx, probe):
    res = fx.query(limit=100, filters=[{"field_name": "account_no", "operator": "STARTWITH", "field_values": ["P-"]}],
                   orders=[{"fieldName": "create_time", "isAsc": False}])
    rows = res["data"]["dataList"]
    assert [r["account_no"] for r in rows] == ["P-4", "P-3", "P-2", "P-1"]
    assert "tel" not in rows[2]  # null fields are left out unless includeNull
    with_null = fx.call(QUERY, {"dataObjectApiName": "AccountObj", "search_query_info": {
        "limit": 10, "filters": [{"field_name": "account_no", "operator": "EQ", "field_values": ["P-2"]}]}},
        includeNull=True)
    assert with_null["data"]["dataList"][0]["tel"] is None


@pytest.mark.parametrize("body, code", [
    (b"", 12004),
    (b"{not json", 32000),
    (b"[1, 2]", 32000),
])
def test_malformed_bodies_get_the_error_envelope(sim, body, code):
    r = sim.raw(QUERY, data=body)
    assert r["errorCode"] == code and r["traceId"]


@pytest.mark.parametrize("data", [
    None,
    {"search_query_info": {"limit": 1}},
    {"dataObjectApiName": "NoSuchObj", "search_query_info": {"limit": 1}},
    {"dataObjectApiName": "object_abcde__c", "search_query_info": {"limit": 1}},
    {"dataObjectApiName": "AccountObj", "search_query_info": "limit=1"},
    {"dataObjectApiName": "AccountObj", "search_query_info": {"filters": [{"field_name": "nope", "operator": "EQ",
                                                                             "field_values": [1]}]}},
    {"dataObjectApiName": "AccountObj", "search_query_info": {"filters": [{"field_name": "name", "operator": "NEQ",
                                                                             "field_values": ["a"]}]}},
    {"dataObjectApiName": "AccountObj", "search_query_info": {"filters": [{"field_name": "name", "operator": "EQ",
                                                                             "field_values": "a"}]}},
    {"dataObjectApiName": "AccountObj", "search_query_info": {"orders": [{"fieldName": "name", "isAsc": "true"}]}},
    {"dataObjectApiName": "AccountObj", "search_query_info": {"fieldProjection": ["name", "nope"]}},
])
def test_bad_query_parameters_are_32000(fx, data):
    r = fx.call(QUERY, data)
    assert r["errorCode"] == 32000, r


def test_routes_must_match_the_object_kind(fx):
    preset_on_custom = fx.call("cgi/crm/custom/v2/data/query",
                               {"dataObjectApiName": "AccountObj", "search_query_info": {"limit": 1}})
    custom_on_preset = fx.call(QUERY, {"dataObjectApiName": "object_ab12c__c", "search_query_info": {"limit": 1}})
    assert preset_on_custom["errorCode"] == custom_on_preset["errorCode"] == 32000
    assert "cgi/crm/v2" in preset_on_custom["errorMessage"]
    assert "cgi/crm/custom/v2" in custom_on_preset["errorMessage"]


def test_create_get_update_invalid(fx, clock):
    created = fx.call("cgi/crm/v2/data/create", {"object_data": {
        "dataObjectApiName": "AccountObj", "name": "新建客户有限公司", "tel": "021-5550000", "account_level": "A"}})
    assert created["errorCode"] == 0 and len(created["dataId"]) == 24
    get = {"dataObjectApiName": "AccountObj", "objectDataId": created["dataId"]}
    rec = fx.call("cgi/crm/v2/data/get", get)["data"]
    assert rec["name"] == "新建客户有限公司" and rec["owner"] == [fx.user] and rec["life_status"] == "normal"
    assert rec["account_no"].startswith("CUST-") and rec["version"] == "1"
    clock.now += 5
    upd = fx.call("cgi/crm/v2/data/update", {"object_data": {
        "_id": created["dataId"], "dataObjectApiName": "AccountObj", "tel": "021-5551111"}})
    assert upd["errorCode"] == 0
    after = fx.call("cgi/crm/v2/data/get", get)["data"]
    assert after["tel"] == "021-5551111" and after["name"] == rec["name"]  # PATCH: the rest is kept
    assert after["version"] == "2" and after["last_modified_time"] > rec["last_modified_time"]
    owner = fx.call("cgi/crm/v2/data/update", {"object_data": {
        "_id": created["dataId"], "dataObjectApiName": "AccountObj", "owner": [fx.user]}})
    assert owner["errorCode"] == 32000
    inv = fx.call("cgi/crm/v2/data/invalid", {"dataObjectApiName": "AccountObj", "object_data_id": created["dataId"]})
    assert inv["errorCode"] == 0
    gone = fx.call("cgi/crm/v2/data/get", get)["data"]
    assert gone["life_status"] == "invalid" and gone["version"] == "3"
    again = fx.call("cgi/crm/v2/data/update", {"object_data": {
        "_id": created["dataId"], "dataObjectApiName": "AccountObj", "tel": "1"}})
    assert again["errorCode"] == 32000
    missing = fx.call("cgi/crm/v2/data/get", {"dataObjectApiName": "AccountObj", "objectDataId": "0" * 24})
    assert missing["errorCode"] != 0


def test_create_order_with_details_and_approval_flag(fx):
    acct = fx.demo.objects["AccountObj"][0]
    prod = fx.demo.objects["ProductObj"][0]
    line = {"product_id": prod["_id"], "quantity": "2", "sales_price": "10.50"}
    body = {"object_data": {"dataObjectApiName": "SalesOrderObj", "account_id": acct["_id"],
                            "order_time": 1_790_000_000_000}, "details": {"SalesOrderProductObj": [line, line]}}
    first = fx.call("cgi/crm/v2/data/create", body)
    second = fx.call("cgi/crm/v2/data/create", body, triggerApprovalFlow=False)
    assert first["errorCode"] == second["errorCode"] == 0
    orders = {r["_id"]: r for r in fx.app.crm.all("SalesOrderObj")}
    assert orders[first["dataId"]]["life_status"] == "under_review"
    assert orders[second["dataId"]]["life_status"] == "normal"
    assert orders[second["dataId"]]["account_id__r"] == acct["name"]
    lines = fx.query("SalesOrderProductObj", limit=10, filters=[
        {"field_name": "order_id", "operator": "EQ", "field_values": [second["dataId"]]}])["data"]["dataList"]
    assert len(lines) == 2 and {ln["quantity"] for ln in lines} == {"2"} and lines[0]["product_id__r"] == prod["name"]


@pytest.mark.parametrize("object_data, details", [
    ({"dataObjectApiName": "AccountObj"}, None),  # name is required
    ({"dataObjectApiName": "AccountObj", "name": "x", "account_level": "Z"}, None),  # not an option
    ({"dataObjectApiName": "AccountObj", "name": "x", "nope__c": 1}, None),
    ({"dataObjectApiName": "SalesOrderObj", "account_id": "0" * 24, "order_time": 1}, None),  # no such account
    ({"dataObjectApiName": "SalesOrderObj", "order_time": "2026-11-01"}, None),
    ({"name": "x"}, None),  # dataObjectApiName belongs inside object_data
    ({"dataObjectApiName": "AccountObj", "name": "x"}, {"ContactObj": [{}]}),  # not a detail of AccountObj
])
def test_create_rejects_what_the_tenant_would(fx, object_data, details):
    data: dict[str, Any] = {"object_data": object_data}
    if details is not None:
        data["details"] = details
    before = len(fx.app.crm.all("AccountObj")), len(fx.app.crm.all("SalesOrderObj"))
    assert fx.call("cgi/crm/v2/data/create", data)["errorCode"] == 32000
    assert (len(fx.app.crm.all("AccountObj")), len(fx.app.crm.all("SalesOrderObj"))) == before


def test_describe_and_object_list(fx):
    top = fx.call("cgi/crm/v2/object/describe", apiName="SalesOrderObj", includeDetail=True)
    nested = fx.call("cgi/crm/v2/object/describe", {"apiName": "SalesOrderObj"})
    assert top["data"] == nested["data"]
    f = top["data"]["describe"]["fields"]
    assert f["account_id"]["is_required"] is True and f["order_amount"]["type"] == "currency"
    assert {"label": "已发货", "value": "3"} in f["logistics_status"]["options"]
    assert set(f["name"]) >= {"api_name", "label", "type", "is_required"}
    assert fx.call("cgi/crm/v2/object/describe", apiName="Nope")["errorCode"] == 32000
    objects = fx.call("cgi/crm/v2/object/list")["data"]["objects"]
    assert {"AccountObj", "SalesOrderObj", "SalesOrderProductObj"} <= {o["describeApiName"] for o in objects}


def test_directory(fx):
    admin = fx.demo.admin
    emp = fx.call("cgi/user/getByMobile", mobile=admin["mobile"])
    assert emp["empList"][0]["openUserId"] == admin["openUserId"]
    assert fx.call("cgi/user/getByMobile", mobile="10000000000")["empList"] == []
    assert fx.call("cgi/user/get", openUserId=admin["openUserId"])["name"] == admin["name"]
    assert fx.call("cgi/user/get", openUserId="FSUID_X")["errorCode"] == 30027


def test_messages_are_recorded_and_checked(fx):
    rep = fx.demo.employees[1]["openUserId"]
    ok = fx.raw("cgi/message/send", {**fx.token, "toUser": [rep], "msgType": "text", "text": {"content": "已发货"}})
    assert ok["errorCode"] == 0
    msgs = fx.admin("messages")["messages"]
    assert len(msgs) == 1 and msgs[0]["toUser"] == [rep] and msgs[0]["content"] == "已发货"
    bad = [
        ({"msgType": "text", "text": {"content": "x"}}, 10015),
        ({"toUser": ["FSUID_NOPE"], "msgType": "text", "text": {"content": "x"}}, 11016),
        ({"toUser": [rep] * 501, "msgType": "text", "text": {"content": "x"}}, 11016),
        ({"toUser": [rep], "msgType": "video", "text": {"content": "x"}}, 12003),
        ({"toUser": [rep], "msgType": "text", "text": {"content": "  "}}, 12005),
    ]
    for body, code in bad:
        assert fx.raw("cgi/message/send", {**fx.token, **body})["errorCode"] == code
    assert len(fx.admin("messages")["messages"]) == 1


def test_snapshot_restore_round_trip(fx):
    fx.call("cgi/crm/v2/data/create", {"object_data": {"dataObjectApiName": "AccountObj", "name": "存档客户"}})
    state = fx.app.snapshot()
    clone = make_fxiaoke_app(build_demo(6, customers=1, orders=0, products=1), fx.creds)
    clone.restore(state)
    assert any(r["name"] == "存档客户" for r in clone.crm.all("AccountObj"))
    assert clone.snapshot() == state


def test_not_post_and_unknown_paths(fx):
    assert fx.s.get(fx.url + QUERY, timeout=5).status_code == 405
    assert fx.s.post(fx.url + "cgi/nope", json={}, timeout=5).status_code == 404


def test_demo_data_is_seeded_consistent_and_shared_with_k3():
    a = build_demo(7, customers=30, orders=40, products=12, k3_existing_customers=4, now_ms=1_790_000_000_000)
    b = build_demo(7, customers=30, orders=40, products=12, k3_existing_customers=4, now_ms=1_790_000_000_000)
    assert a == b and a != build_demo(8, customers=30, orders=40, products=12, now_ms=1_790_000_000_000)
    objs = a.objects
    assert a.admin["isAdmin"] and a.admin["openUserId"].startswith("FSUID_") and len(a.admin["openUserId"]) == 38
    products = {p["_id"]: p for p in objs["ProductObj"]}
    assert [m["FNumber"] for m in a.k3_materials] == [p["product_code"] for p in objs["ProductObj"]]
    assert {m["FBaseUnitId"] for m in a.k3_materials} <= {u["FNumber"] for u in a.k3_units}
    assert [c["FNumber"] for c in a.k3_customers] == [f"CUST-{i:04d}" for i in range(1, 5)]
    assert a.k3_orgs == [{"FNumber": "100", "FName": "华东总公司"}] and a.k3_currencies[0]["FNumber"] == "PRE001"
    accounts = {r["_id"] for r in objs["AccountObj"]}
    for order in objs["SalesOrderObj"]:
        lines = [ln for ln in objs["SalesOrderProductObj"] if ln["order_id"] == order["_id"]]
        assert 1 <= len(lines) <= 6 and order["account_id"] in accounts
        assert sum(Decimal(ln["subtotal"]) for ln in lines) == Decimal(order["order_amount"])
        assert all(ln["product_id"] in products and isinstance(ln["quantity"], str) for ln in lines)
        assert len(order["_id"]) == 24 and order["name"][8] == "-" and isinstance(order["order_time"], int)


def test_the_default_demo_company_has_the_promised_sizes():
    demo = build_demo(3)
    objs = demo.objects
    assert (len(objs["AccountObj"]), len(objs["ProductObj"]), len(demo.employees)) == (300, 80 + 2, 5)
    status = Counter(o["life_status"] for o in objs["SalesOrderObj"])
    assert len(objs["SalesOrderObj"]) == 1000 + 29 and (status["under_review"], status["ineffective"]) == (20, 5)
    assert 0 < status["invalid"] < 40 and len(objs["PaymentObj"]) == 300
    lines: dict[str, int] = {}
    for line in objs["SalesOrderProductObj"]:
        lines[line["order_id"]] = lines.get(line["order_id"], 0) + 1
    assert len(lines) == 1029 and set(lines.values()) == {1, 2, 3, 4, 5, 6}
    assert all(p["product_code"] for p in objs["ProductObj"])
    materials = {m["FNumber"] for m in demo.k3_materials}
    assert len(materials) == 80 and materials < {p["product_code"] for p in objs["ProductObj"]}
    unknown = {p["_id"] for p in objs["ProductObj"] if p["product_code"] not in materials}
    live = {o["_id"] for o in objs["SalesOrderObj"] if o["life_status"] == "normal"}
    assert len({ln["order_id"] for ln in objs["SalesOrderProductObj"] if ln["product_id"] in unknown} & live) == 4
    existing = {c["FNumber"] for c in demo.k3_customers}
    assert 0 < len(existing) < 300 and existing <= {a["account_no"] for a in objs["AccountObj"]}  # so dedupe shows
    assert all(any(ch > "\u4e00" for ch in a["name"]) for a in objs["AccountObj"])  # Chinese names
