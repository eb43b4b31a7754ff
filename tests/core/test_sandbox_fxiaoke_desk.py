"""The simulator's admin actions playing the tenant's people (edit, approve, void, pay), seen by a client over HTTP."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.helpers_fxsandbox import Clock, Fx, fx_sim

ORDER, LINE, ACCOUNT, PAYMENT = "SalesOrderObj", "SalesOrderProductObj", "AccountObj", "PaymentObj"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fx(clock: Clock):
    with fx_sim(clock, under_review=2, ineffective=1, missing_material=0, payments=30) as f:
        yield f


def lines_of(fx: Fx, order_id: str) -> list[dict[str, Any]]:
    return fx.rows(LINE, ("order_id", "EQ", [order_id]), orders=[{"fieldName": "create_time", "isAsc": True}])


def an_order(fx: Fx, status: str = "normal", min_lines: int = 2) -> dict[str, Any]:
    return next(o for o in fx.rows(ORDER, ("life_status", "EQ", [status]), orders=[{"fieldName": "_id", "isAsc": True}])
                if len(lines_of(fx, o["_id"])) >= min_lines)


def test_edit_order_is_one_save_of_the_form_head_lines_added_and_removed(fx, clock):
    order = an_order(fx)
    first, second = lines_of(fx, order["_id"])[:2]
    clock.now += 30
    res = fx.admin("edit_order", {
        "order": order["name"], "fields": {"remark": "客户要求改数量", "delivery_date": 1_791_000_000_000},
        "lines": [{"_id": first["_id"], "quantity": "9", "sales_price": "12.50"}],
        "add_lines": [{"product_code": "MAT-0002", "quantity": "4"}],
        "remove_lines": [second["_id"]]})
    now_ms = int(clock.now * 1000)
    after = fx.get(ORDER, order["_id"])["data"]
    assert res["order"]["_id"] == order["_id"] and res["order"]["version"] == after["version"]
    assert after["version"] == str(int(order["version"]) + 1) and after["last_modified_time"] == now_ms
    assert after["remark"] == "客户要求改数量" and after["delivery_date"] == 1_791_000_000_000
    assert after["last_modified_by"] == order["owner"]  # the salesperson made the edit
    lines = {ln["_id"]: ln for ln in lines_of(fx, order["_id"])}
    assert second["_id"] not in lines and fx.get(LINE, second["_id"])["errorCode"] == 301  # removed: gone
    changed = lines[first["_id"]]
    assert (changed["quantity"], changed["sales_price"], changed["subtotal"]) == ("9", "12.50", "112.50")
    assert changed["version"] == str(int(first["version"]) + 1) and changed["last_modified_time"] == now_ms
    added = [ln for ln in lines.values() if ln["create_time"] == now_ms]
    product = next(p for p in fx.demo.objects["ProductObj"] if p["product_code"] == "MAT-0002")
    assert len(added) == 1 and added[0]["product_id"] == product["_id"] and added[0]["sales_price"] == product["price"]
    assert added[0]["order_id__r"] == order["name"] and added[0]["owner"] == order["owner"]
    assert Decimal(after["order_amount"]) == sum(Decimal(ln["subtotal"]) for ln in lines.values())
    assert {ln["_id"] for ln in res["lines"]} == set(lines)


def test_edit_order_changes_nothing_when_any_part_is_wrong(fx):
    order = an_order(fx)
    line = lines_of(fx, order["_id"])[0]
    bad = [
        ({"lines": [{"_id": line["_id"], "quantity": "2"}], "remove_lines": ["0" * 24]}, 404),
        ({"fields": {"remark": "x"}, "add_lines": [{"product_code": "NOPE", "quantity": "1"}]}, 404),
        ({"fields": {"life_status": "normal"}}, 400),
        ({"fields": {"order_status": "not-an-option"}}, 400),
        ({"lines": [{"_id": line["_id"], "product_id": "x"}]}, 400),
        ({"lines": [{"_id": line["_id"], "quantity": "many"}]}, 400),
        ({}, 400),
        ({"fields": {"remark": "x"}, "colour": "red"}, 400),
    ]
    for extra, status in bad:
        code, body = fx.admin_status("edit_order", {"order": order["_id"], **extra})
        assert code == status and body["error"], (extra, body)
    assert fx.get(ORDER, order["_id"])["data"]["version"] == order["version"]
    assert fx.get(LINE, line["_id"])["data"]["version"] == line["version"]
    assert fx.admin_status("edit_order", {"order": "20990101-999999", "fields": {"remark": "x"}})[0] == 404


def test_approve_and_reject(fx, clock):
    waiting = fx.rows(ORDER, ("life_status", "EQ", ["under_review"]))
    clock.now += 3
    approved = fx.admin("approve_order", {"order": waiting[0]["name"]})["order"]
    got = fx.get(ORDER, waiting[0]["_id"])["data"]
    assert got["life_status"] == approved["life_status"] == "normal"
    assert got["version"] == str(int(waiting[0]["version"]) + 1) and got["last_modified_time"] == int(clock.now * 1000)
    assert got["last_modified_by"] == [fx.demo.admin["openUserId"]]  # the approver
    assert fx.admin_status("approve_order", {"order": waiting[0]["_id"]})[0] == 400  # already approved
    assert fx.admin("reject_order", {"order": waiting[1]["_id"]})["order"]["life_status"] == "ineffective"
    assert fx.admin_status("reject_order", {"order": waiting[1]["_id"]})[0] == 400
    assert fx.admin("approve_order", {"order": waiting[1]["_id"]})["order"]["life_status"] == "normal"


def test_void_order_voids_it_with_its_lines_and_it_can_no_longer_be_edited(fx, clock):
    order = an_order(fx)
    clock.now += 1
    res = fx.admin("void_order", {"order": order["_id"]})
    assert res["order"]["life_status"] == "invalid" and {ln["life_status"] for ln in res["lines"]} == {"invalid"}
    got = fx.get(ORDER, order["_id"])["data"]
    assert got["life_status"] == "invalid" and got["version"] == str(int(order["version"]) + 1)
    assert fx.admin_status("edit_order", {"order": order["_id"], "fields": {"remark": "x"}})[0] == 400
    assert fx.recover(ORDER, [order["_id"]])["errorCode"] == 0  # a client may bring it back through the API


def test_edit_customer_renames_it_everywhere_it_is_shown_without_editing_those_records(fx, clock):
    acct = next(a for a in fx.demo.objects[ACCOUNT] if fx.rows(ORDER, ("account_id", "EQ", [a["_id"]])))
    orders = fx.rows(ORDER, ("account_id", "EQ", [acct["_id"]]))
    clock.now += 7
    res = fx.admin("edit_customer", {"customer": acct["account_no"], "fields": {
        "name": "改名后贸易有限公司", "tel": "021-66668888", "address": "上海市浦东新区世纪大道100号"}})
    got = fx.get(ACCOUNT, acct["_id"])["data"]
    assert res["record"]["name"] == got["name"] == "改名后贸易有限公司" and got["tel"] == "021-66668888"
    assert got["version"] == str(int(acct["version"]) + 1) and got["last_modified_time"] == int(clock.now * 1000)
    again = {o["_id"]: o for o in fx.rows(ORDER, ("account_id", "EQ", [acct["_id"]]))}
    for o in orders:
        assert again[o["_id"]]["account_id__r"] == "改名后贸易有限公司"
        assert again[o["_id"]]["version"] == o["version"]  # a lookup's display name is not an edit of the order
    assert all(c["account_id__r"] == "改名后贸易有限公司"
               for c in fx.rows("ContactObj", ("account_id", "EQ", [acct["_id"]])))
    assert fx.admin_status("edit_customer", {"customer": acct["_id"], "fields": {"account_level": "Z"}})[0] == 400
    assert fx.admin_status("edit_customer", {"customer": "CUST-9999", "fields": {"tel": "1"}})[0] == 404


def test_set_payment_state_moves_a_payment_through_approval_void_and_back(fx, clock):
    pay = fx.rows(PAYMENT, ("life_status", "EQ", ["normal"]), orders=[{"fieldName": "_id", "isAsc": True}])[0]
    steps = [("under_review", None), ("normal", {"payment_amount": "88.80"}), ("invalid", None), ("normal", None)]
    version = int(pay["version"])
    for status, fields in steps:
        clock.now += 1
        res = fx.admin("set_payment_state", {"payment": pay["name"], "life_status": status, "fields": fields})
        version += 1
        got = fx.get(PAYMENT, pay["_id"])["data"]
        assert res["record"]["life_status"] == got["life_status"] == status
        assert got["version"] == str(version) and got["last_modified_time"] == int(clock.now * 1000)
    assert got["payment_amount"] == "88.80"
    assert fx.admin_status("set_payment_state", {"payment": pay["_id"], "life_status": "paid"})[0] == 400
    assert fx.admin_status("set_payment_state", {"payment": "nope", "life_status": "normal"})[0] == 404


def test_the_desk_is_also_a_python_helper_on_the_app(fx, clock):
    order = an_order(fx)
    line = lines_of(fx, order["_id"])[0]
    clock.now += 2
    fx.app.desk.edit_order(order["_id"], lines=[{"_id": line["_id"], "quantity": "1"}])
    assert fx.get(LINE, line["_id"])["data"]["quantity"] == "1"
    assert fx.get(ORDER, order["_id"])["data"]["last_modified_time"] == int(clock.now * 1000)
    with pytest.raises(KeyError):
        fx.app.desk.approve_order("no-such-order")
