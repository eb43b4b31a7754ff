"""A record's life in the Fxiaoke simulator over HTTP: versions, lines moving their order, invalid/recover/delete."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
import requests

from core.sandbox.demo_data import build_demo
from core.sandbox.sandbox import make_fxiaoke_app
from tests.helpers_fxsandbox import CRM, Clock, Fx, fx_sim

ORDER, LINE = "SalesOrderObj", "SalesOrderProductObj"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fx(clock: Clock):
    with fx_sim(clock, under_review=3, ineffective=2, missing_material=2, payments=10) as f:
        yield f


def live_order(fx: Fx, n: int = 0) -> dict[str, Any]:
    rows = fx.rows(ORDER, ("life_status", "EQ", ["normal"]), orders=[{"fieldName": "_id", "isAsc": True}])
    return rows[n]


def lines_of(fx: Fx, order_id: str) -> list[dict[str, Any]]:
    return fx.rows(LINE, ("order_id", "EQ", [order_id]), orders=[{"fieldName": "_id", "isAsc": True}])


def amount(fx: Fx, order_id: str) -> Decimal:
    return Decimal(fx.get(ORDER, order_id)["data"]["order_amount"])


def test_the_demo_has_orders_in_every_life_status_and_queries_return_voided_ones(fx):
    rows = fx.rows(ORDER)
    statuses = Counter(r["life_status"] for r in rows)
    assert len(rows) == 20 + 3 + 2 + 2  # base orders, in approval, turned down, naming an unknown product
    assert statuses["under_review"] == 3 and statuses["ineffective"] == 2 and statuses["normal"] >= 20
    assert statuses["invalid"] == sum(1 for o in fx.demo.objects[ORDER] if o["life_status"] == "invalid") > 0
    assert len(fx.rows(ORDER, ("life_status", "N", ["invalid"]))) == len(rows) - statuses["invalid"]
    rejected = fx.rows(ORDER, ("life_status", "EQ", ["ineffective"]))
    assert all(r["version"] == "2" and r["last_modified_time"] > r["create_time"] for r in rejected)


def test_an_update_of_a_line_is_an_edit_of_its_order(fx, clock):
    order = live_order(fx)
    line = lines_of(fx, order["_id"])[0]
    clock.now += 60
    res = fx.update({"dataObjectApiName": LINE, "_id": line["_id"], "quantity": "7"})
    assert res["errorCode"] == 0, res
    after_line = fx.get(LINE, line["_id"])["data"]
    after = fx.get(ORDER, order["_id"])["data"]
    assert after_line["version"] == str(int(line["version"]) + 1)
    assert after_line["subtotal"] == str((Decimal(line["sales_price"]) * 7).quantize(Decimal("0.01")))
    assert after["version"] == str(int(order["version"]) + 1)
    assert after["last_modified_time"] == after_line["last_modified_time"] == int(clock.now * 1000)
    assert Decimal(after["order_amount"]) == sum(Decimal(ln["subtotal"]) for ln in lines_of(fx, order["_id"]))
    assert after["name"] == order["name"] and after["account_id"] == order["account_id"]  # PATCH: the rest stays


def test_a_line_created_on_its_own_joins_its_order_and_moves_it(fx, clock):
    order = live_order(fx, 1)
    before = amount(fx, order["_id"])
    product = fx.demo.objects["ProductObj"][0]
    clock.now += 5
    res = fx.create({"dataObjectApiName": LINE, "order_id": order["_id"], "product_id": product["_id"],
                     "quantity": "3", "sales_price": "10.00"})
    assert res["errorCode"] == 0, res
    new = fx.get(LINE, res["dataId"])["data"]
    assert new["order_id__r"] == order["name"] and new["subtotal"] == "30.00" and new["version"] == "1"
    after = fx.get(ORDER, order["_id"])["data"]
    assert amount(fx, order["_id"]) == before + 30
    assert after["version"] == str(int(order["version"]) + 1) and after["last_modified_time"] == int(clock.now * 1000)


def test_an_order_created_with_lines_gets_subtotals_and_its_amount(fx):
    acct = fx.demo.objects["AccountObj"][0]
    prod = fx.demo.objects["ProductObj"][0]
    res = fx.create({"dataObjectApiName": ORDER, "account_id": acct["_id"], "order_time": 1_790_000_000_000},
                    {LINE: [{"product_id": prod["_id"], "quantity": "2", "sales_price": "10.50"},
                            {"product_id": prod["_id"], "quantity": "1", "sales_price": "4.00"}]})
    assert res["errorCode"] == 0, res
    assert sorted(ln["subtotal"] for ln in lines_of(fx, res["dataId"])) == ["21.00", "4.00"]
    assert fx.get(ORDER, res["dataId"])["data"]["order_amount"] == "25.00"


def test_invalidating_an_order_voids_its_lines_and_recover_restores_the_status_it_had(fx, clock):
    order = fx.rows(ORDER, ("life_status", "EQ", ["under_review"]))[0]
    n_lines = len(lines_of(fx, order["_id"]))
    clock.now += 10
    assert fx.invalid(ORDER, order["_id"])["errorCode"] == 0
    voided = fx.get(ORDER, order["_id"])["data"]
    assert voided["life_status"] == "invalid" and voided["version"] == str(int(order["version"]) + 1)
    assert voided["last_modified_time"] == int(clock.now * 1000)
    assert {ln["life_status"] for ln in lines_of(fx, order["_id"])} == {"invalid"}
    assert fx.rows(ORDER, ("_id", "EQ", [order["_id"]]))[0]["life_status"] == "invalid"  # still queryable
    assert fx.rows(ORDER, ("_id", "EQ", [order["_id"]]), ("life_status", "N", ["invalid"])) == []
    assert fx.invalid(ORDER, order["_id"])["errorCode"] == 0  # again: nothing changes
    assert fx.get(ORDER, order["_id"])["data"]["version"] == voided["version"]
    edit = fx.update({"dataObjectApiName": ORDER, "_id": order["_id"], "remark": "x"})
    assert edit["errorCode"] == 32000
    clone = make_fxiaoke_app(build_demo(6, customers=1, orders=0, products=1), fx.creds)
    clone.restore(fx.app.snapshot())  # a restart with --state remembers what the order was before its void
    clone.crm.recover(ORDER, [order["_id"]], fx.user, True)
    assert clone.crm.objects[ORDER][order["_id"]]["life_status"] == "under_review"
    clock.now += 10
    assert fx.recover(ORDER, [order["_id"]])["errorCode"] == 0
    back = fx.get(ORDER, order["_id"])["data"]
    assert back["life_status"] == "under_review" and back["version"] == str(int(voided["version"]) + 1)
    assert back["last_modified_time"] == int(clock.now * 1000)
    lines = lines_of(fx, order["_id"])
    assert len(lines) == n_lines and {ln["life_status"] for ln in lines} == {"normal"}
    assert fx.recover(ORDER, [order["_id"]])["errorCode"] == 32000  # not invalid any more


def test_a_line_voided_on_its_own_stays_voided_when_its_order_comes_back(fx):
    order = next(o for o in fx.rows(ORDER, ("life_status", "EQ", ["normal"]))
                 if len(lines_of(fx, o["_id"])) >= 2)
    first, second = lines_of(fx, order["_id"])[:2]
    before = amount(fx, order["_id"])
    assert fx.invalid(LINE, first["_id"])["errorCode"] == 0
    assert amount(fx, order["_id"]) == before - Decimal(first["subtotal"])
    assert fx.get(ORDER, order["_id"])["data"]["version"] == str(int(order["version"]) + 1)
    assert fx.invalid(ORDER, order["_id"])["errorCode"] == 0
    refused = fx.recover(LINE, [second["_id"]])
    assert refused["errorCode"] == 32000 and "master" in refused["errorMessage"]
    assert fx.recover(ORDER, [order["_id"]])["errorCode"] == 0
    status = {ln["_id"]: ln["life_status"] for ln in lines_of(fx, order["_id"])}
    assert status[first["_id"]] == "invalid" and status[second["_id"]] == "normal"


def test_delete_takes_only_invalidated_rows_all_or_none_and_then_they_are_gone(fx):
    a, b = live_order(fx, 0), live_order(fx, 1)
    line_ids = [ln["_id"] for ln in lines_of(fx, a["_id"])]
    assert fx.invalid(ORDER, a["_id"])["errorCode"] == 0
    refused = fx.delete(ORDER, [a["_id"], b["_id"]])
    assert refused["errorCode"] == 32000 and "作废" in refused["errorMessage"] and b["_id"] in refused["errorMessage"]
    assert fx.get(ORDER, a["_id"])["errorCode"] == 0  # nothing was deleted
    assert fx.delete(ORDER, [a["_id"]])["errorCode"] == 0
    gone = fx.get(ORDER, a["_id"])
    assert gone["errorCode"] == 301 and "data" not in gone
    assert fx.rows(ORDER, ("_id", "EQ", [a["_id"]])) == []
    assert fx.rows(LINE, ("_id", "IN", line_ids)) == []
    assert fx.recover(ORDER, [a["_id"]])["errorCode"] == 301
    assert fx.delete(ORDER, [a["_id"]])["errorCode"] == 301


@pytest.mark.parametrize("ids", [None, [], "abc", [1, 2]])
def test_bad_id_lists_are_32000(fx, ids):
    assert fx.delete(ORDER, ids)["errorCode"] == 32000
    assert fx.recover(ORDER, ids)["errorCode"] == 32000


def test_a_sales_rep_may_not_void_or_delete_what_they_do_not_own(fx):
    order = live_order(fx)
    other = next(e["openUserId"] for e in fx.demo.employees[1:] if e["openUserId"] not in order["owner"])
    fx.user = other
    assert fx.invalid(ORDER, order["_id"])["errorCode"] == 32000
    fx.user = fx.demo.admin["openUserId"]
    assert fx.get(ORDER, order["_id"])["data"]["life_status"] == "normal"


def test_delete_and_recover_are_writes_for_the_ambiguous_fault(fx, clock):
    order = live_order(fx)
    assert fx.invalid(ORDER, order["_id"])["errorCode"] == 0
    fx.s.post(fx.url + "__sandbox__/faults", json={"ambiguous_writes": 1}, timeout=5)
    body = {**fx.token, "currentOpenUserId": fx.user, "data": {"dataObjectApiName": ORDER, "idList": [order["_id"]]}}
    with pytest.raises(requests.ConnectionError):
        fx.s.post(fx.url + CRM + "recover", json=body, timeout=5)
    assert fx.get(ORDER, order["_id"])["data"]["life_status"] == "normal"  # done, though never answered
