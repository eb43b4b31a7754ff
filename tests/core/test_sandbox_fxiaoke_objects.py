"""Payments, products and the shipment fields of the Fxiaoke simulator over HTTP, and the per-endpoint write limit."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from tests.helpers_fxsandbox import Clock, fx_sim

ORDER, PAYMENT, PRODUCT, ACCOUNT = "SalesOrderObj", "PaymentObj", "ProductObj", "AccountObj"
DESCRIBE = "cgi/crm/v2/object/describe"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fx(clock: Clock):
    with fx_sim(clock, payments=60) as f:
        yield f


def fields_of(fx, api: str) -> dict:
    res = fx.call(DESCRIBE, apiName=api)
    assert res["errorCode"] == 0, res
    return res["data"]["describe"]["fields"]


def test_payment_describe_has_the_documented_fields(fx):
    f = fields_of(fx, PAYMENT)
    types = {k: (f[k]["type"], f[k]["is_required"]) for k in
             ("name", "payment_amount", "payment_time", "account_id", "order_id", "payment_term", "life_status")}
    assert types == {"name": ("text", True), "payment_amount": ("currency", True), "payment_time": ("date", True),
                     "account_id": ("object_reference", True), "order_id": ("object_reference", False),
                     "payment_term": ("select_one", False), "life_status": ("select_one", False)}
    assert {"label": "电汇", "value": "3"} in f["payment_term"]["options"]
    assert PAYMENT in {o["describeApiName"] for o in fx.call("cgi/crm/v2/object/list")["data"]["objects"]}


def test_demo_payments_look_like_the_official_example_and_follow_their_orders(fx):
    pays = []
    for offset in (0, 100):
        pays += fx.query(PAYMENT, limit=100, offset=offset)["data"]["dataList"]
    assert len(pays) == 60
    orders = {o["_id"]: o for o in fx.demo.objects[ORDER]}
    accounts = {a["_id"]: a for a in fx.demo.objects[ACCOUNT]}
    for p in pays:
        assert re.fullmatch(r"\d{8}-\d{6}", p["name"]) and re.fullmatch(r"\d+\.\d\d", p["payment_amount"])
        assert isinstance(p["payment_time"], int) and p["payment_time"] <= p["create_time"]
        assert p["account_id__r"] == accounts[p["account_id"]]["name"] and p["owner"]
        if "order_id" in p:
            order = orders[p["order_id"]]
            assert p["order_id__r"] == order["name"] and p["account_id"] == order["account_id"]
            assert order["life_status"] == "normal"
            assert Decimal(p["payment_amount"]) <= Decimal(order["order_amount"])
            assert p["payment_time"] >= order["order_time"]
    assert any("order_id" not in p for p in pays)  # advance payments with no order
    statuses = {p["life_status"] for p in pays}
    assert {"normal", "under_review", "invalid"} <= statuses
    by_number = sorted(pays, key=lambda p: p["name"][-6:])
    assert [p["name"][-6:] for p in by_number] == [f"{i:06d}" for i in range(1, 61)]
    created = [p["create_time"] for p in by_number]
    assert created == sorted(created)  # numbered in the order they were entered


def test_a_payment_created_through_the_api(fx, clock):
    acct = fx.demo.objects[ACCOUNT][0]
    order = next(o for o in fx.demo.objects[ORDER] if o["life_status"] == "normal")
    body = {"dataObjectApiName": PAYMENT, "account_id": acct["_id"], "payment_amount": 1, "payment_time":
            1_789_000_000_000, "payment_term": "3"}
    first = fx.create(body)
    second = fx.create({**body, "order_id": order["_id"], "account_id": order["account_id"],
                        "payment_amount": "120.50"}, triggerApprovalFlow=False)
    assert first["errorCode"] == second["errorCode"] == 0, (first, second)
    a, b = fx.get(PAYMENT, first["dataId"])["data"], fx.get(PAYMENT, second["dataId"])["data"]
    assert a["life_status"] == "under_review" and b["life_status"] == "normal"  # the tenant's approval flow
    assert a["payment_amount"] == "1" and b["payment_amount"] == "120.50"  # kept as a string
    day = datetime.fromtimestamp(clock.now, timezone(timedelta(hours=8))).strftime("%Y%m%d")
    assert (a["name"], b["name"]) == (f"{day}-000061", f"{day}-000062")  # auto numbers after the 60 demo ones
    assert b["order_id__r"] == order["name"] and "order_id" not in a
    for bad in ({"payment_amount": None}, {"payment_amount": "abc"}, {"payment_time": "2026-09-17"},
                {"order_id": "0" * 24}, {"payment_term": "电汇"}):
        assert fx.create({**body, **bad})["errorCode"] == 32000, bad


def test_products_are_created_and_updated_with_their_required_fields_and_codes_may_repeat(fx, clock):
    f = fields_of(fx, PRODUCT)
    assert [k for k in ("name", "product_code", "unit", "price") if f[k]["is_required"]] == \
        ["name", "product_code", "unit", "price"]
    assert {"label": "台", "value": "2"} in f["unit"]["options"] and f["specification"]["type"] == "text"
    body = {"dataObjectApiName": PRODUCT, "name": "隔膜泵", "product_code": "MAT-7001", "unit": "2",
            "specification": "QBY-40", "price": "3200.00", "product_status": "1", "category": "泵"}
    first = fx.create(body)
    twin = fx.create({**body, "name": "隔膜泵(重复)"})  # the tenant does not make product_code unique
    assert first["errorCode"] == twin["errorCode"] == 0
    same = fx.rows(PRODUCT, ("product_code", "EQ", ["MAT-7001"]))
    assert sorted(p["name"] for p in same) == ["隔膜泵", "隔膜泵(重复)"]
    clock.now += 1
    upd = fx.update({"dataObjectApiName": PRODUCT, "_id": first["dataId"], "name": "气动隔膜泵", "price": "3350.00"})
    assert upd["errorCode"] == 0
    got = fx.get(PRODUCT, first["dataId"])["data"]
    assert (got["name"], got["price"], got["unit"], got["version"]) == ("气动隔膜泵", "3350.00", "2", "2")
    for bad in ({"unit": None}, {"unit": "台"}, {"price": "free"}, {"product_code": ""}, {"product_status": "3"}):
        assert fx.create({**body, **bad})["errorCode"] == 32000, bad


def test_renaming_a_product_renames_it_on_order_lines(fx):
    line = fx.demo.objects["SalesOrderProductObj"][0]
    assert fx.update({"dataObjectApiName": PRODUCT, "_id": line["product_id"], "name": "新名称"})["errorCode"] == 0
    assert fx.get("SalesOrderProductObj", line["_id"])["data"]["product_id__r"] == "新名称"


@pytest.mark.parametrize("path", ["create", "update"])
def test_create_and_update_each_allow_exactly_100_calls_in_20_s(fx, clock, path):
    acct = fx.demo.objects[ACCOUNT][0]

    def call() -> int:
        if path == "create":
            return fx.create({"dataObjectApiName": ACCOUNT, "name": "限流测试"})["errorCode"]
        return fx.update({"dataObjectApiName": ACCOUNT, "_id": acct["_id"], "remark": "x"})["errorCode"]

    codes = []
    for _ in range(100):
        codes.append(call())
        clock.now += 0.19  # 100 calls spread over 18.8 s
    assert codes == [0] * 100
    assert call() == 14001  # the 101st within 20 s of the first
    assert fx.query(ACCOUNT, limit=1)["errorCode"] == 0  # other endpoints keep their own budget
    clock.now = clock.now - 100 * 0.19 + 20  # exactly 20 s after the first call: it has left the window
    assert call() == 0
    assert call() == 14001  # only one slot came free


def test_order_describe_offers_two_shipment_fields_and_both_take_only_their_options(fx):
    f = fields_of(fx, ORDER)
    logistics = {o["label"]: o["value"] for o in f["logistics_status"]["options"]}
    custom = {o["label"]: o["value"] for o in f["field_ship_state__c"]["options"]}
    assert {"部分发货", "已发货"} <= set(logistics) and {"未发货", "部分发货", "已发货"} <= set(custom)
    assert f["field_ship_state__c"]["define_type"] == "custom" and f["field_ship_state__c"]["type"] == "select_one"
    assert all(not re.fullmatch(r"[\u4e00-\u9fff]+", v) for v in custom.values())  # opaque values, not labels
    order = next(o for o in fx.demo.objects[ORDER] if o["life_status"] == "normal")
    ok = fx.update({"dataObjectApiName": ORDER, "_id": order["_id"], "field_ship_state__c": custom["部分发货"],
                    "logistics_status": logistics["部分发货"], "field_k3_no__c": "XSDD000123"})
    assert ok["errorCode"] == 0
    got = fx.get(ORDER, order["_id"])["data"]
    assert (got["field_ship_state__c"], got["field_k3_no__c"]) == (custom["部分发货"], "XSDD000123")
    assert fx.update({"dataObjectApiName": ORDER, "_id": order["_id"], "field_ship_state__c": "已发货"})["errorCode"] \
        == 32000  # a label is not an option value
