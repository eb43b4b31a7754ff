"""The application service: pre-flight before any write, the lines an order is sent with, and its preview."""

from __future__ import annotations

import json

import pytest

from core.sandbox import start_sandbox
from core.sync.model import SyncRequest
from tests.helpers_sync import exchange_endpoints, fx_records, is_write, k3_records, of, profile_for, workspace

SIZES = {"orders": 12, "customers": 8, "products": 10}


@pytest.fixture
def sb():
    with start_sandbox(seed=11, demo_sizes=SIZES) as s:
        yield s


def new_customer(sb, number: str) -> str:
    return sb.fx_app.admin("add_records", {"api_name": "AccountObj", "records": [
        {"name": f"新客户{number}", "account_no": number, "tel": "021-5555"}]})["ids"][0]


def add_order(sb, name: str, account: str, lines: list[dict]) -> str:
    admin = sb.fx_app.admin
    oid = admin("add_records", {"api_name": "SalesOrderObj", "records": [
        {"name": name, "account_id": account, "order_time": 1790000000000, "life_status": "normal"}]})["ids"][0]
    admin("add_records", {"api_name": "SalesOrderProductObj", "records": [{"order_id": oid, **ln} for ln in lines]})
    return oid


def missing_product(sb, code: str = "MAT-9999") -> str:
    return sb.fx_app.admin("add_records", {"api_name": "ProductObj", "records": [
        {"name": "未建物料的产品", "product_code": code, "unit": "1", "price": "10.00"}]})["ids"][0]


def test_an_order_failing_preflight_leaves_k3_without_its_new_customer_and_writes_nothing(sb, db, home):
    good = fx_records(sb, "ProductObj")[0]["_id"]
    account = new_customer(sb, "CUST-NEW-9")
    oid = add_order(sb, "PF-1", account, [{"product_id": good, "quantity": "1", "sales_price": "9"},
                                          {"product_id": missing_product(sb), "quantity": "1", "sales_price": "5"}])
    with workspace(db, *profile_for(sb)) as ws:
        run = ws.sync(SyncRequest("orders", ids=[oid]))
    (item,) = run.items
    assert item.status == "failed" and item.error is not None and item.error.code == "missing_base_data"
    assert "MAT-9999" in item.error.message.zh and "MAT-9999" in item.error.message.en
    assert "CUST-NEW-9" not in {r.get("FNumber") for r in k3_records(sb, "BD_Customer")}
    assert [e for e in exchange_endpoints(home) if is_write(e[1])] == []  # a run whose orders all fail writes nothing


def test_only_the_customers_of_orders_that_pass_preflight_are_pushed(sb, db):
    good = fx_records(sb, "ProductObj")[0]["_id"]
    bad_acct, ok_acct = new_customer(sb, "CUST-BAD-1"), new_customer(sb, "CUST-OK-1")
    bad = add_order(sb, "PF-BAD", bad_acct, [{"product_id": missing_product(sb), "quantity": "1", "sales_price": "5"}])
    ok = add_order(sb, "PF-OK", ok_acct, [{"product_id": good, "quantity": "2", "sales_price": "9"}])
    with workspace(db, *profile_for(sb)) as ws:
        run = ws.sync(SyncRequest("orders", ids=[bad, ok]))
    assert {(i.source_id, i.status) for i in run.items if i.flow == "orders"} == {(bad, "failed"), (ok, "created")}
    assert [(i.source_number, i.status) for i in run.items if i.flow == "customers"] == [("CUST-OK-1", "created")]
    numbers = {r.get("FNumber") for r in k3_records(sb, "BD_Customer")}
    assert "CUST-OK-1" in numbers and "CUST-BAD-1" not in numbers


def test_a_customer_failing_preflight_blocks_its_orders_before_anything_is_written(sb, db, home):
    good = fx_records(sb, "ProductObj")[0]["_id"]
    account = new_customer(sb, "CUST-ORG-1")
    oid = add_order(sb, "PF-ORG", account, [{"product_id": good, "quantity": "1", "sales_price": "9"}])
    with workspace(db, *profile_for(sb, k3_org="999")) as ws:  # an organisation K3Cloud does not have
        run = ws.sync(SyncRequest("orders", ids=[oid]))
    (item,) = run.items
    assert item.status == "failed" and "新客户CUST-ORG-1" in item.error.message.zh
    assert "999" in item.error.message.zh and "999" in item.error.message.en
    assert [e for e in exchange_endpoints(home) if is_write(e[1])] == []


def test_order_lines_and_preview_are_exactly_what_the_sync_sends(sb, db):
    products = [p for p in fx_records(sb, "ProductObj")][:3]
    account = fx_records(sb, "AccountObj")[0]["_id"]
    oid = add_order(sb, "LINES-1", account, [])
    admin = sb.fx_app.admin
    # created out of order (later create_time first) and one line voided: neither may show up as sent
    times = [1790000300000, 1790000100000, 1790000200000]
    admin("add_records", {"api_name": "SalesOrderProductObj", "records": [
        {"order_id": oid, "product_id": p["_id"], "quantity": str(i + 1), "sales_price": "10", "create_time": t,
         "life_status": "invalid" if i == 1 else "normal"}
        for i, (p, t) in enumerate(zip(products, times, strict=True))]})
    with workspace(db, *profile_for(sb)) as ws:
        lines = ws.order_lines(oid)
        preview = json.loads(ws.preview("orders", oid))
        run = ws.sync(SyncRequest("orders", ids=[oid]))
    assert of(run).created == 1
    sent = next(r for r in k3_records(sb, "SAL_SaleOrder") if r["FBillNo"] == "LINES-1")["FSaleOrderEntry"]
    codes = [p["product_code"] for p in products]
    assert [ln.product_code for ln in lines] == [codes[2], codes[0]]  # by create time, the voided one left out
    assert [ln.quantity for ln in lines] == [3.0, 1.0]
    entries = preview["Model"]["FSaleOrderEntry"]
    assert [e["FMaterialId"]["FNumber"] for e in entries] == [ln.product_code for ln in lines]
    stored = [(e.get("FMaterialId") or {}).get("FNumber") for e in sent]
    assert stored == [ln.product_code for ln in lines] and [float(e["FQty"]) for e in sent] == [3.0, 1.0]


def test_a_record_another_running_run_claimed_is_held_and_never_sent(sb, db, home):
    from core.store.claims import claim

    order = fx_records(sb, "SalesOrderObj")[0]
    with workspace(db, *profile_for(sb)) as ws:
        ws.sync(SyncRequest("customers", ids=[order["account_id"]]))
        claims: list[set[str]] = []
        other: list[int] = []

        def another_pc(p) -> None:
            # Our run lost the shared lock (its server session dropped) and another PC's run took the record
            # after our run had mapped it: the claim in the database is what keeps the two apart.
            if p.phase == "dedupe" and not other:
                other.append(ws.journal.start_run("orders"))
                claims.append(claim(db, ws.profile_id, "orders", [order["name"]], other[0]))

        run = ws.sync(SyncRequest("orders", ids=[order["_id"]]), on_progress=another_pc)
        assert claims == [{order["name"]}]
        (item,) = run.items
        assert item.status == "held" and item.error is not None and item.error.code == "claimed_elsewhere"
        assert order["name"] not in {r.get("FBillNo") for r in k3_records(sb, "SAL_SaleOrder")}
        assert not [e for e in exchange_endpoints(home) if is_write(e[1]) and "SAL_SaleOrder" in e[1]]
        ws.journal.finish_run(other[0], "done", {})  # that PC finished (without writing it): the next run takes over
        again = ws.sync(SyncRequest("orders", ids=[order["_id"]]))
    assert [i.status for i in again.items] == ["created"]
    assert [r.get("FBillNo") for r in k3_records(sb, "SAL_SaleOrder")].count(order["name"]) == 1
