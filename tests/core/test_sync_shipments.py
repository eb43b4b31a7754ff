"""Shipments from either K3Cloud form: partial shipments summed per order line, returns, the mapped status field."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import Fxk3Error
from core.sandbox import start_sandbox
from core.store import Database
from core.sync.engine import SyncRequest
from core.sync.ship_status import ShipStatusMapping
from tests.helpers_sync import add_profile, fx_records, k3_records, live_orders, profile_for, workspace


@pytest.fixture
def sb():
    with start_sandbox(seed=9, demo_sizes={"orders": 20, "customers": 10, "products": 8}) as s:
        yield s


def _ws(sb, home: Path, **settings):
    db = Database(home / "fxk3sync.db")
    profile, secrets = profile_for(sb, **settings)
    add_profile(db, profile)
    return db, workspace(db, profile, secrets)


@pytest.fixture
def notices(sb, home: Path):
    """A workspace whose profile counts delivery notices (SAL_DELIVERYNOTICE) as shipped."""
    db, ws = _ws(sb, home, k3_shipment_form="SAL_DELIVERYNOTICE")
    with ws:
        yield ws
    db.close()


@pytest.fixture
def outstocks(sb, home: Path):
    db, ws = _ws(sb, home)
    with ws:
        yield ws
    db.close()


def messages(sb) -> list[dict]:
    return sb.fx_app.admin("messages", {})["messages"]


def order_of(sb, order_id: str) -> dict:
    return next(o for o in fx_records(sb, "SalesOrderObj") if o["_id"] == order_id)


def synced_order(sb, ws, min_lines: int = 2) -> tuple[dict, list[dict]]:
    """A synced order with at least ``min_lines`` lines and its K3Cloud lines (FSeq, FQty)."""
    orders = live_orders(sb, 12)
    assert ws.sync(SyncRequest("orders", ids=[o["_id"] for o in orders])).failed == 0
    k3 = {r["FBillNo"]: r for r in k3_records(sb, "SAL_SaleOrder")}
    order = next(o for o in orders if o["name"] in k3 and len(k3[o["name"]]["FSaleOrderEntry"]) >= min_lines
                 and all(ln["FQty"] >= 2 for ln in k3[o["name"]]["FSaleOrderEntry"]))
    return order, k3[order["name"]]["FSaleOrderEntry"]


def test_two_delivery_notices_end_shipped_with_two_messages_and_a_return_makes_it_partly_shipped(sb, notices):
    order, lines = synced_order(sb, notices)
    first = {str(ln["FSeq"]): int(ln["FQty"]) // 2 for ln in lines}
    shipped = sb.k3_app.admin("ship", {"bill_nos": [order["name"]], "form_id": "SAL_DELIVERYNOTICE",
                                       "lines": {order["name"]: first}})
    (notice1,) = shipped["bill_nos"]
    report = notices.deliveries()
    assert [(i.k3_number, i.status) for i in report.summary.items] == [(notice1, "updated")]
    assert report.order_states == {order["_id"]: "partly"} and report.messages_sent == 1
    assert order_of(sb, order["_id"])["logistics_status"] == "2"
    (msg,) = messages(sb)
    assert msg["toUser"] == order["owner"] and "部分发货" in msg["content"] and "partly shipped" in msg["content"]
    assert notice1 in msg["content"] and "发货通知单" in msg["content"]
    seq1 = {**lines[0], "FQty": int(lines[0]["FQty"])}
    material = seq1["FMaterialId"]["FNumber"]
    assert f"{material}" in msg["content"]
    assert f"本次发货 {first['1']}，累计已发 {first['1']} / {seq1['FQty']}" in msg["content"]

    sb.k3_app.admin("ship", {"bill_nos": [order["name"]], "form_id": "SAL_DELIVERYNOTICE", "remaining": True})
    report = notices.deliveries()
    assert [i.status for i in report.summary.items if i.k3_number != notice1] == ["updated"]
    assert report.order_states[order["_id"]] == "shipped"
    assert order_of(sb, order["_id"])["logistics_status"] == "3"
    assert len(messages(sb)) == 2 and "已发货" in messages(sb)[1]["content"]
    assert f"累计已发 {seq1['FQty']} / {seq1['FQty']}" in messages(sb)[1]["content"]

    returned = sb.k3_app.admin("return", {"bill_no": order["name"], "lines": {"1": 1}})
    report = notices.deliveries()
    assert report.order_states[order["_id"]] == "partly"
    assert order_of(sb, order["_id"])["logistics_status"] == "2"
    back = messages(sb)[2]["content"]
    assert len(messages(sb)) == 3 and returned["bill_no"] in back and "销售退货单" in back and "本次退回 1" in back
    assert f"累计已发 {seq1['FQty'] - 1} / {seq1['FQty']}" in back

    again = notices.deliveries()
    assert again.summary.updated == 0 and len(messages(sb)) == 3


def test_the_profile_form_decides_which_bills_mean_shipped(sb, outstocks):
    order, _ = synced_order(sb, outstocks, min_lines=1)
    sb.k3_app.admin("ship", {"bill_nos": [order["name"]], "form_id": "SAL_DELIVERYNOTICE"})
    report = outstocks.deliveries()
    assert report.summary.items == [] and messages(sb) == []  # a notice is not a shipment for this profile
    assert order_of(sb, order["_id"])["logistics_status"] == "1"
    sb.k3_app.admin("ship", {"bill_nos": [order["name"]]})  # an out-stock of everything
    report = outstocks.deliveries()
    assert report.order_states == {order["_id"]: "shipped"}
    assert order_of(sb, order["_id"])["logistics_status"] == "3"


def test_a_mapped_field_missing_from_the_describe_is_named_and_nothing_is_written(sb, outstocks):
    order, _ = synced_order(sb, outstocks, min_lines=1)
    sb.k3_app.admin("ship", {"bill_nos": [order["name"]]})
    with pytest.raises(Fxk3Error) as caught:
        outstocks.save_ship_status(ShipStatusMapping(field="field_no_such__c"))
    assert "field_no_such__c" in caught.value.user_message
    from core.sync import ship_status

    ship_status.save(outstocks.db, outstocks.profile_id, ShipStatusMapping(field="field_no_such__c"))
    report = outstocks.deliveries()
    (item,) = report.summary.items
    assert item.status == "failed" and item.error.code == "ship_field_missing"
    assert "field_no_such__c" in item.error.text("zh") and "field_no_such__c" in item.error.text("en")
    assert messages(sb) == [] and order_of(sb, order["_id"])["logistics_status"] == "1"

    # the tenant's own field with opaque option ids, picked from the describe
    version = outstocks.save_ship_status(ShipStatusMapping("field_ship_state__c", "c8Rz1mHv0", "Wb3s9LpaT",
                                                           "n4Ke7Qx2d"))
    assert version == 2 and outstocks.ship_status().field == "field_ship_state__c"
    report = outstocks.deliveries()  # the failed bill held the watermark back: read again and reported now
    assert [i.status for i in report.summary.items] == ["updated"]
    assert order_of(sb, order["_id"])["field_ship_state__c"] == "c8Rz1mHv0"
    assert len(messages(sb)) == 1


def test_a_value_a_person_set_is_left_alone(sb, outstocks):
    order, _ = synced_order(sb, outstocks, min_lines=1)
    sb.fx_app.crm.objects["SalesOrderObj"][order["_id"]]["logistics_status"] = "4"  # 已收货, set by a person
    sb.k3_app.admin("ship", {"bill_nos": [order["name"]]})
    report = outstocks.deliveries()
    assert [i.status for i in report.summary.items] == ["updated"] and len(messages(sb)) == 1
    assert order_of(sb, order["_id"])["logistics_status"] == "4"


def test_a_tenant_without_the_order_number_key_on_its_notices_is_matched_by_the_source_bill(sb, home: Path):
    """K3Cloud answers MsgCode 9 for a query key its form lacks (reference §9.9): the key is dropped, and the notice
    is matched to its order by FSrcBillNo (source type SAL_SaleOrder) instead."""
    from tests.helpers_sync import K3Proxy, refusal

    proxy = K3Proxy(sb)
    asked: list[str] = []

    def no_order_no(form_id, data):
        keys = data.get("FieldKeys") or ""
        if data.get("FormId") == "SAL_DELIVERYNOTICE" and "FOrderNo" in keys:
            asked.append(keys)
            return refusal([("FOrderNo", "元数据中标识为 FOrderNo 的字段不存在", None)], 9)
        return data

    proxy.hooks["executebillquery"] = no_order_no
    try:
        db, ws = _ws(sb, home, k3_shipment_form="SAL_DELIVERYNOTICE", k3_url=proxy.url)
        with ws:
            order, lines = synced_order(sb, ws)
            sb.k3_app.admin("ship", {"bill_nos": [order["name"]], "form_id": "SAL_DELIVERYNOTICE",
                                     "lines": {order["name"]: {"1": 1}}})
            report = ws.deliveries()
            assert [i.status for i in report.summary.items] == ["updated"]
            assert report.order_states == {order["_id"]: "partly"}
            assert asked  # the key was asked for once, refused, and left out after that
        db.close()
    finally:
        proxy.close()
    assert order_of(sb, order["_id"])["logistics_status"] == "2" and len(messages(sb)) == 1
