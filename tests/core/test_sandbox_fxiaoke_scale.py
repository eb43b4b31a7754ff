"""The demo company's shape and scale, and incremental reading by ``last_modified_time`` over HTTP."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
import requests

from core.sandbox import start_sandbox
from core.sandbox.demo_data import _hex, build_demo, scaled_sizes
from core.sandbox.fxiaoke_demo import UNMATCHED_PRODUCTS
from tests.helpers_fxsandbox import QUERY, Clock, Fx, fx_sim

ORDER, LINE = "SalesOrderObj", "SalesOrderProductObj"
NO_STORY = {"under_review": 0, "ineffective": 0, "missing_material": 0, "payments": 0}


@pytest.mark.parametrize("seed", range(40))
def test_fast_hex_ids_are_exactly_what_random_choice_gave(seed):
    fast, slow = random.Random(seed), random.Random(seed)
    for n in (1, 5, 24, 32):
        assert _hex(fast, n) == "".join(slow.choice("0123456789abcdef") for _ in range(n))
    assert fast.random() == slow.random()  # and the generator is left in the same state


def test_the_story_only_appends_to_the_base_company():
    sizes = {"customers": 60, "orders": 1000, "products": 12, "now_ms": 1_790_000_000_000}
    base, full = build_demo(4, **sizes, **NO_STORY), build_demo(4, **sizes)
    for api, rows in base.objects.items():
        assert full.objects[api][:len(rows)] == rows, api
    assert full.k3_materials == base.k3_materials and full.k3_customers == base.k3_customers
    added = {api: full.objects[api][len(base.objects.get(api, [])):] for api in full.objects}
    statuses = sorted(o["life_status"] for o in added[ORDER])
    assert statuses == ["ineffective"] * 5 + ["normal"] * 4 + ["under_review"] * 20
    assert [p["product_code"] for p in added["ProductObj"]] == [c for c, *_ in UNMATCHED_PRODUCTS]
    assert len(added["PaymentObj"]) == 300
    names = [o["name"] for o in added[ORDER]]
    assert [n[-6:] for n in names] == [f"{i:06d}" for i in range(1001, 1030)]  # the numbers go on
    assert min(o["create_time"] for o in added[ORDER]) >= sizes["now_ms"] - 3 * 86_400_000
    materials = {m["FNumber"] for m in full.k3_materials}
    products = {p["_id"]: p for p in full.objects["ProductObj"]}
    lines = [ln for ln in added[LINE] if products[ln["product_id"]]["product_code"] not in materials]
    unmatched_orders = {ln["order_id"] for ln in lines}
    assert len(unmatched_orders) == 4
    assert all(o["life_status"] == "normal" for o in added[ORDER] if o["_id"] in unmatched_orders)
    for order in added[ORDER]:
        mine = [ln for ln in added[LINE] if ln["order_id"] == order["_id"]]
        assert mine and sum(Decimal(ln["subtotal"]) for ln in mine) == Decimal(order["order_amount"])


def test_a_small_company_gets_only_the_orders_it_asks_for_but_still_payments():
    demo = build_demo(2, customers=10, orders=230, products=5, now_ms=1_790_000_000_000)
    assert len(demo.objects[ORDER]) == 230 and len(demo.objects["ProductObj"]) == 5
    assert len(demo.objects["PaymentObj"]) == 69
    custom = build_demo(2, customers=10, orders=230, products=5, now_ms=1_790_000_000_000, under_review=3)
    assert len(custom.objects[ORDER]) == 233


def test_scaled_sizes_keep_the_default_proportions():
    assert scaled_sizes(1000) == {"orders": 1000, "customers": 300, "products": 80}
    assert scaled_sizes(10_000) == {"orders": 10_000, "customers": 3000, "products": 80}


def test_a_10000_order_sandbox_serves_every_order_with_its_lines():
    """The size the benchmarks use (start-up time: benchmarks/sandbox_start.py)."""
    with start_sandbox(3, demo_sizes=scaled_sizes(10_000)) as sb, requests.Session() as s:
        fx = Fx(sb.fx_server, sb.creds, sb.demo.admin["openUserId"], s)
        fx.login()
        total = fx.query(ORDER, limit=1)["data"]["total"]
        assert total == 10_000 + 200 + 50 + 40
        lines = fx.query(LINE, limit=1)["data"]["total"]
        assert lines == len(sb.demo.objects[LINE]) > 30_000
        assert fx.query("AccountObj", limit=1)["data"]["total"] == 3000
        assert fx.query("PaymentObj", limit=1)["data"]["total"] == 3000


# --- incremental reading ---------------------------------------------------------------------------------------------


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fx(clock: Clock):
    with fx_sim(clock, orders=40, customers=15) as f:
        yield f


def changed_since(fx: Fx, op: str, values: list[int], limit: int = 100) -> list[dict]:
    """Every order matching ``last_modified_time <op> values``, paged by offset, oldest change first then _id."""
    out, offset = [], 0
    while True:
        page = fx.query(ORDER, limit=limit, offset=offset, filters=[
            {"field_name": "last_modified_time", "operator": op, "field_values": values}],
            orders=[{"fieldName": "last_modified_time", "isAsc": True}, {"fieldName": "_id", "isAsc": True}],
            fieldProjection=["_id", "name", "last_modified_time", "life_status", "version"])
        assert page["errorCode"] == 0, page
        rows = page["data"]["dataList"]
        out += rows
        if len(rows) < limit:
            return out
        offset += limit


def test_polling_by_last_modified_time_sees_edits_voids_and_approvals_but_not_deletes(fx, clock):
    base = max(o["last_modified_time"] for o in fx.rows(ORDER))
    assert changed_since(fx, "GT", [base]) == []
    orders = sorted(fx.demo.objects[ORDER], key=lambda o: o["_id"])
    live = [o for o in orders if o["life_status"] == "normal"]
    a, b, c, d = live[:4]
    clock.now += 10
    line = next(ln for ln in fx.demo.objects[LINE] if ln["order_id"] == a["_id"])
    fx.admin("edit_order", {"order": a["_id"], "lines": [{"_id": line["_id"], "quantity": "2"}]})
    t1 = int(clock.now * 1000)
    clock.now += 10
    fx.admin("void_order", {"order": b["_id"]})
    fx.admin("edit_customer", {"customer": c["account_id"], "fields": {"tel": "021-1"}})  # not an order edit
    clock.now += 10
    fx.invalid(ORDER, d["_id"])
    fx.delete(ORDER, [d["_id"]])
    t3 = int(clock.now * 1000)
    seen = changed_since(fx, "GT", [base])
    assert [(r["_id"], r["life_status"]) for r in seen] == [(a["_id"], "normal"), (b["_id"], "invalid")]
    assert seen[0]["last_modified_time"] == t1 and seen[0]["version"] == str(int(a["version"]) + 1)
    assert [r["_id"] for r in changed_since(fx, "GTE", [t1])] == [a["_id"], b["_id"]]
    assert [r["_id"] for r in changed_since(fx, "GT", [t1])] == [b["_id"]]
    assert [r["_id"] for r in changed_since(fx, "BETWEEN", [t1, t1])] == [a["_id"]]  # both ends included
    assert changed_since(fx, "GT", [t3]) == []  # nothing changed since the last poll


def test_offset_and_keyset_paging_of_a_changed_set_agree(fx, clock):
    start = int(clock.now * 1000)
    for o in sorted(fx.demo.objects[ORDER], key=lambda o: o["name"]):
        if o["life_status"] != "invalid":
            fx.admin("edit_order", {"order": o["_id"], "fields": {"remark": "批量修改"}})  # all in the same ms
    by_offset = changed_since(fx, "GTE", [start], limit=7)
    assert len(by_offset) == sum(1 for o in fx.demo.objects[ORDER] if o["life_status"] != "invalid")
    times = [(r["last_modified_time"], r["_id"]) for r in by_offset]
    assert times == sorted(times) and len({r["_id"] for r in by_offset}) == len(by_offset)
    keyset, last = [], None
    while True:
        filters = [{"field_name": "last_modified_time", "operator": "GTE", "field_values": [start]}]
        if last:
            filters.append({"field_name": "_id", "operator": "GT", "field_values": [last]})
        page = fx.call(QUERY, {"dataObjectApiName": ORDER, "find_explicit_total_num": False, "search_query_info": {
            "limit": 7, "offset": 0, "filters": filters, "orders": [{"fieldName": "_id", "isAsc": True}]}})
        rows = page["data"]["dataList"]
        assert page["data"]["total"] == 0
        keyset += rows
        if len(rows) < 7:
            break
        last = rows[-1]["_id"]
    assert [r["_id"] for r in keyset] == sorted(r["_id"] for r in by_offset)
