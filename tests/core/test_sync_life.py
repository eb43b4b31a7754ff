"""A record's whole life over the sandbox (real HTTP): edits update the same document, voids delete it, approval gates
it, incremental runs read only what changed; every path is decided by what K3Cloud holds, read back."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from core.sandbox import start_sandbox
from core.store import Exchange, SyncItem
from core.sync.engine import SyncRequest
from core.workspace import Workspace
from tests.helpers_sync import (
    add_profile,
    fx_records,
    is_write,
    k3_records,
    live_orders,
    of,
    profile_for,
    text_of,
    workspace,
)

SIZES = {"orders": 12, "customers": 6, "products": 8}


@pytest.fixture
def sb():
    with start_sandbox(seed=31, demo_sizes=SIZES) as s:
        yield s


def make(sb, db, **overrides) -> Workspace:
    profile, secrets = profile_for(sb, **overrides)
    add_profile(db, profile)
    return workspace(db, profile, secrets)


def k3_order(sb, number: str) -> list[dict]:
    return [r for r in k3_records(sb, "SAL_SaleOrder") if r["FBillNo"] == number]


def lines_of(sb, order_name: str) -> list[dict]:
    """The order's live lines in the order the sync sends them."""
    oid = next(o["_id"] for o in fx_records(sb, "SalesOrderObj") if o["name"] == order_name)
    rows = [ln for ln in fx_records(sb, "SalesOrderProductObj")
            if ln.get("order_id") == oid and ln.get("life_status") != "invalid"]
    return sorted(rows, key=lambda ln: (ln.get("create_time") or 0, str(ln.get("name") or ""), ln["_id"]))


def run_exchanges(db, run_id: int) -> list[tuple[str, str]]:
    with db.session() as s:
        return [(e.side, e.endpoint) for e in s.scalars(select(Exchange).where(Exchange.run_id == run_id))]


@pytest.mark.parametrize("stages, status", [
    ({"submit": False, "audit": False}, "A"),   # created: Save with FID and FEntryIDs
    ({"audit": False}, "B"),                    # submitted: CancelAssign (撤销) first, submitted again after
    ({"reaudit": True}, "C"),                   # audited, re-audit allowed, nothing downstream: UnAudit first
])
def test_an_edited_quantity_reaches_the_same_document(sb, db, stages, status):
    order = live_orders(sb)[0]
    with make(sb, db, **stages) as ws:
        assert of(ws.sync(SyncRequest("orders", ids=[order["_id"]]))).created == 1
        before = k3_order(sb, order["name"])[0]
        assert before["FDocumentStatus"] == status
        lines = lines_of(sb, order["name"])
        first = lines[0]
        sb.fx_app.desk.edit_order(order["name"], lines=[{"_id": first["_id"], "quantity": "321"}])
        run = ws.sync(SyncRequest("orders", ids=[order["_id"]]))
        again = ws.sync(SyncRequest("orders", ids=[order["_id"]]))
    item = run.items[0]
    assert (item.status, item.k3_number, item.k3_id) == ("updated", order["name"], str(before["_id"]))
    assert {"field": "FSaleOrderEntry[1].FQty", "k3": str(int(float(first["quantity"]))), "new": "321"} in item.diff
    docs = k3_order(sb, order["name"])
    assert len(docs) == 1 and docs[0]["_id"] == before["_id"]  # still one document, same FBillNo, same FID
    entries = docs[0]["FSaleOrderEntry"]
    assert [e["FEntryID"] for e in entries] == [e["FEntryID"] for e in before["FSaleOrderEntry"]]  # rows kept
    assert entries[0]["FQty"] == 321.0 and docs[0]["FDocumentStatus"] == status  # back at the stage it had
    assert [e["FQty"] for e in entries[1:]] == [e["FQty"] for e in before["FSaleOrderEntry"][1:]]
    assert (again.items[0].status, again.items[0].diff) == ("skipped", None)


def test_added_and_removed_lines_leave_no_extra_row(sb, db):
    order = next(o for o in live_orders(sb) if len(lines_of(sb, o["name"])) >= 2)
    with make(sb, db, submit=False, audit=False) as ws:
        ws.sync(SyncRequest("orders", ids=[order["_id"]]))
        lines = lines_of(sb, order["name"])
        sb.fx_app.desk.edit_order(order["name"], remove_lines=[lines[0]["_id"]],
                                  add_lines=[{"product_code": "MAT-0003", "quantity": "4"}])
        run = ws.sync(SyncRequest("orders", ids=[order["_id"]]))
    assert run.items[0].status == "updated"
    fields = [d["field"] for d in run.items[0].diff]
    assert any(f.startswith("FSaleOrderEntry[-") for f in fields)  # a line removed ...
    assert any(f == f"FSaleOrderEntry[{len(lines)}]" for f in fields)  # ... and one added at the end
    entries = k3_order(sb, order["name"])[0]["FSaleOrderEntry"]
    want = sorted((ln["product_id"], float(ln["quantity"])) for ln in lines_of(sb, order["name"]))
    codes = {p["_id"]: p["product_code"] for p in fx_records(sb, "ProductObj")}
    assert sorted((e["FMaterialId"]["FNumber"], e["FQty"]) for e in entries) == sorted(
        (codes[p], q) for p, q in want)


def test_an_audited_order_is_held_with_the_diff_and_left_untouched(sb, db):
    orders = live_orders(sb)[:2]
    with make(sb, db, reaudit=True) as ws:
        ws.sync(SyncRequest("orders", ids=[o["_id"] for o in orders]))
        sb.k3_app.ship([orders[0]["name"]])  # an out-stock names the first order: it may not be un-audited
        for o in orders:
            sb.fx_app.desk.edit_order(o["name"], lines=[{"_id": lines_of(sb, o["name"])[0]["_id"], "quantity": "99"}])
        before = k3_order(sb, orders[0]["name"])[0]
        run = ws.sync(SyncRequest("orders", ids=[o["_id"] for o in orders]))
    by_id = {i.source_id: i for i in run.items}
    held = by_id[orders[0]["_id"]]
    assert held.status == "held" and held.error.code == "k3_audited"
    assert held.error.details["diff"] == held.diff and held.diff[0]["new"] == "99"
    assert any(b.startswith("SAL_OUTSTOCK ") for b in held.error.details["downstream"])
    assert "已审核" in text_of(held.error) and "变更单" in text_of(held.error) and "change order" in text_of(held.error)
    assert k3_order(sb, orders[0]["name"])[0]["FSaleOrderEntry"] == before["FSaleOrderEntry"]
    assert k3_order(sb, orders[0]["name"])[0]["FDocumentStatus"] == "C"
    assert by_id[orders[1]["_id"]].status == "updated"  # nothing downstream of the other: re-audited
    unaudits = [ep for _side, ep in run_exchanges(db, run.run_id) if ep.endswith(".UnAudit.common.kdsvc")]
    assert len(unaudits) == 1  # only the order nothing was made from
    with db.session() as s:
        item = s.get(SyncItem, held.item_id)
        assert item.state == "held" and json.loads(item.diff_json) == held.diff


def test_without_reaudit_an_audited_document_is_held_and_nothing_is_sent(sb, db):
    order = live_orders(sb)[0]
    with make(sb, db) as ws:
        ws.sync(SyncRequest("orders", ids=[order["_id"]]))
        sb.fx_app.desk.edit_order(order["name"], lines=[{"_id": lines_of(sb, order["name"])[0]["_id"],
                                                          "sales_price": "1.50"}])
        run = ws.sync(SyncRequest("orders", ids=[order["_id"]]))
    item = run.items[0]
    assert (item.status, item.error.code) == ("held", "k3_audited") and "reaudit" in text_of(item.error)
    assert item.diff[0]["field"] == "FSaleOrderEntry[1].FTaxPrice" and item.diff[0]["new"] == "1.5"
    assert not [ep for side, ep in run_exchanges(db, run.run_id) if side == "k3cloud" and is_write(ep)]


def test_voids_delete_unaudited_documents_and_hold_audited_ones(sb, db):
    orders = live_orders(sb)[:3]
    with make(sb, db, audit=False) as ws:  # documents stay submitted (B)
        ws.sync(SyncRequest("orders", ids=[o["_id"] for o in orders]))
        assert ws.k3.audit("SAL_SaleOrder", numbers=[orders[2]["name"]]).ok  # someone audited this one in K3Cloud
        for o in orders:
            sb.fx_app.desk.void_order(o["name"])
        run = ws.sync(SyncRequest("orders"))  # incremental: the voids moved last_modified_time
        again = ws.sync(SyncRequest("orders", ids=[o["_id"] for o in orders]))
    by_id = {i.source_id: i for i in run.items}
    assert [by_id[o["_id"]].status for o in orders] == ["voided", "voided", "held"]
    assert by_id[orders[2]["_id"]].error.code == "k3_in_use" and "已作废" in text_of(by_id[orders[2]["_id"]].error)
    assert [len(k3_order(sb, o["name"])) for o in orders] == [0, 0, 1]
    # asked again: the deleted ones are gone (a note, nothing sent), the audited one is still held
    assert [i.status for i in sorted(again.items, key=lambda i: [o["_id"] for o in orders].index(i.source_id))] == [
        "skipped", "skipped", "held"]


def test_a_void_of_an_order_with_an_out_stock_is_held(sb, db):
    order = live_orders(sb)[0]
    with make(sb, db, audit=False) as ws:
        ws.sync(SyncRequest("orders", ids=[order["_id"]]))
        sb.k3_app.ship([order["name"]])
        sb.fx_app.desk.void_order(order["name"])
        run = ws.sync(SyncRequest("orders", ids=[order["_id"]]))
    item = run.items[0]
    assert (item.status, item.error.code) == ("held", "k3_in_use")
    assert any(b.startswith("SAL_OUTSTOCK") for b in item.error.details["downstream"])
    assert len(k3_order(sb, order["name"])) == 1


def test_an_order_deleted_in_fxiaoke_is_found_by_all_and_by_ids(sb, db):
    orders = live_orders(sb)[:2]
    with make(sb, db, submit=False, audit=False) as ws:
        ws.sync(SyncRequest("orders"))
        for o in orders:
            sb.fx_app.desk.void_order(o["name"])
        with sb.fx_app.lock:
            sb.fx_app.crm.delete("SalesOrderObj", [o["_id"] for o in orders], sb.fx_app._admin_id(), True)
        idle = ws.sync(SyncRequest("orders"))  # the watermark query cannot see a record that no longer exists
        by_all = ws.sync(SyncRequest("orders", all=True))
        by_ids = ws.sync(SyncRequest("orders", ids=[orders[1]["_id"]]))
    assert idle.items == []
    assert sorted((i.source_id, i.status) for i in by_all.items if i.status != "skipped") == sorted(
        [(orders[0]["_id"], "voided"), (orders[1]["_id"], "voided")])
    assert [len(k3_order(sb, o["name"])) for o in orders] == [0, 0]
    assert [(i.status, i.error.code) for i in by_ids.items] == [("skipped", "voided")]  # known: deleted, done


def test_an_order_under_review_is_held_then_goes_through_once_approved(sb, db):
    account = fx_records(sb, "AccountObj")[0]["_id"]
    product = fx_records(sb, "ProductObj")[0]["_id"]
    ids = sb.fx_app.admin("add_records", {"api_name": "SalesOrderObj", "records": [
        {"name": f"REVIEW-{n}", "account_id": account, "order_time": 1790000000000, "life_status": status}
        for n, status in ((1, "under_review"), (2, "ineffective"))]})["ids"]
    sb.fx_app.admin("add_records", {"api_name": "SalesOrderProductObj", "records": [
        {"order_id": oid, "product_id": product, "quantity": "2", "sales_price": "3"} for oid in ids]})
    with make(sb, db) as ws:
        first = ws.sync(SyncRequest("orders"))
        held = {i.source_id: i for i in first.items if i.status == "held"}
        sb.fx_app.desk.approve_order("REVIEW-1")
        second = ws.sync(SyncRequest("orders"))
    assert set(held) == set(ids) and {i.error.code for i in held.values()} == {"not_approved"}
    assert "审核中" in text_of(held[ids[0]].error) and "under review" in text_of(held[ids[0]].error)
    assert "未生效" in text_of(held[ids[1]].error)
    assert not k3_order(sb, "REVIEW-2")
    assert [(i.source_id, i.status) for i in second.items if i.source_id == ids[0]] == [(ids[0], "created")]
    assert len(k3_order(sb, "REVIEW-1")) == 1 and not k3_order(sb, "REVIEW-2")


def test_the_gate_off_syncs_orders_in_approval(sb, db):
    account = fx_records(sb, "AccountObj")[0]["_id"]
    product = fx_records(sb, "ProductObj")[0]["_id"]
    oid = sb.fx_app.admin("add_records", {"api_name": "SalesOrderObj", "records": [
        {"name": "REVIEW-9", "account_id": account, "order_time": 1790000000000,
         "life_status": "under_review"}]})["ids"][0]
    sb.fx_app.admin("add_records", {"api_name": "SalesOrderProductObj", "records": [
        {"order_id": oid, "product_id": product, "quantity": "2", "sales_price": "3"}]})
    with make(sb, db, approval_gate=False) as ws:
        run = ws.sync(SyncRequest("orders", ids=["REVIEW-9"]))  # by number
    assert [(i.source_id, i.status) for i in run.items] == [(oid, "created")]


def test_a_second_incremental_run_with_nothing_changed_writes_nothing_and_asks_little(sb, db):
    with make(sb, db) as ws:
        first = ws.sync(SyncRequest("orders"))
        assert of(first).created == len(live_orders(sb))
        second = ws.sync(SyncRequest("orders"))
        third = ws.sync(SyncRequest("orders"))
    for run in (second, third):
        calls = run_exchanges(db, run.run_id)
        assert run.items == []
        assert not [ep for _side, ep in calls if is_write(ep)]
        assert len([c for c in calls if c[0] == "fxiaoke"]) <= 2, calls  # the watermark query (and a token)
        assert len([c for c in calls if c[0] == "k3cloud"]) == 0, calls


def test_an_edit_is_picked_up_by_the_incremental_run(sb, db):
    order = live_orders(sb)[3]
    with make(sb, db, submit=False, audit=False) as ws:
        ws.sync(SyncRequest("orders"))
        sb.fx_app.desk.edit_order(order["name"], lines=[{"_id": lines_of(sb, order["name"])[0]["_id"],
                                                          "quantity": "55"}])
        run = ws.sync(SyncRequest("orders"))
        idle = ws.sync(SyncRequest("orders"))
    assert [(i.source_id, i.status) for i in run.items] == [(order["_id"], "updated")]
    assert k3_order(sb, order["name"])[0]["FSaleOrderEntry"][0]["FQty"] == 55.0
    assert idle.items == []  # synced at that version: the overlap does not compare it again


def test_ids_take_numbers_and_ids_mixed(sb, db):
    orders = live_orders(sb)[:3]
    with make(sb, db) as ws:
        run = ws.sync(SyncRequest("orders", ids=[orders[0]["name"], orders[1]["_id"], orders[2]["name"], "NO-SUCH"]))
        customers = fx_records(sb, "AccountObj")[:2]
        cust = ws.sync(SyncRequest("customers", ids=[customers[0]["account_no"], customers[1]["_id"]]))
    assert {i.source_id for i in run.items if i.status == "created"} == {o["_id"] for o in orders}
    assert [i.error.code for i in run.items if i.status == "failed"] == ["not_found"]
    assert {i.source_id for i in cust.items} == {c["_id"] for c in customers}


def test_an_ambiguous_update_is_settled_by_reading_back(sb, db):
    order = live_orders(sb)[0]
    with make(sb, db, submit=False, audit=False) as ws:
        ws.sync(SyncRequest("orders", ids=[order["_id"]]))
        sb.fx_app.desk.edit_order(order["name"], add_lines=[{"product_code": "MAT-0002", "quantity": "7"}])
        sb.k3_server.set_faults(ambiguous_writes=1)  # the update's BatchSave lands, its answer is lost
        run = ws.sync(SyncRequest("orders", ids=[order["_id"]]))
        again = ws.sync(SyncRequest("orders", ids=[order["_id"]]))
    assert run.items[0].status == "updated" and run.items[0].error is None
    saves = [ep for side, ep in run_exchanges(db, run.run_id) if ep.endswith("BatchSave.common.kdsvc")]
    assert len(saves) == 1  # never sent again: read back and found equal to what was sent
    entries = k3_order(sb, order["name"])[0]["FSaleOrderEntry"]
    assert len(entries) == len(lines_of(sb, order["name"]))  # the new line is there once
    assert again.items[0].status == "skipped"
    with db.session() as s:
        item = s.get(SyncItem, run.items[0].item_id)
        assert (item.action, item.state, len(item.payload_hash or "")) == ("update", "saved", 64)


def test_a_customer_edit_follows_the_same_path(sb, db):
    account = fx_records(sb, "AccountObj")[0]
    with make(sb, db, reaudit=True) as ws:
        ws.sync(SyncRequest("customers", ids=[account["_id"]]))
        sb.fx_app.desk.edit_customer(account["account_no"], {"tel": "021-99998888", "address": "上海市新地址 1 号"})
        run = ws.sync(SyncRequest("customers", ids=[account["_id"]]))
    item = run.items[0]
    assert item.status == "updated"
    assert {d["field"] for d in item.diff} == {"FTEL", "FADDRESS"}
    rows = [r for r in k3_records(sb, "BD_Customer") if r["FNumber"] == account["account_no"]]
    assert len(rows) == 1 and rows[0]["FTEL"] == "021-99998888" and rows[0]["FDocumentStatus"] == "C"


def test_a_dry_run_says_what_would_change_and_writes_nothing(sb, db):
    order = live_orders(sb)[0]
    with make(sb, db, submit=False, audit=False) as ws:
        ws.sync(SyncRequest("orders", ids=[order["_id"]]))
        sb.fx_app.desk.edit_order(order["name"], lines=[{"_id": lines_of(sb, order["name"])[0]["_id"],
                                                          "quantity": "8"}])
        before = k3_order(sb, order["name"])[0]
        dry = ws.sync(SyncRequest("orders", ids=[order["_id"]], dry_run=True))
    assert dry.items[0].status == "updated" and dry.items[0].diff[0]["new"] == "8"
    model = dry.previews[order["_id"]]["Model"]
    assert model["FID"] == before["_id"] and model["FSaleOrderEntry"][0]["FEntryID"] == \
        before["FSaleOrderEntry"][0]["FEntryID"]
    assert k3_order(sb, order["name"])[0]["FSaleOrderEntry"] == before["FSaleOrderEntry"]
    assert not [ep for side, ep in run_exchanges(db, dry.run_id) if is_write(ep)]


def test_a_voided_customer_stays_in_k3cloud(sb, db):
    account = fx_records(sb, "AccountObj")[1]
    with make(sb, db, submit=False, audit=False) as ws:
        ws.sync(SyncRequest("customers", ids=[account["_id"]]))
        ws.fx.invalidate("AccountObj", account["_id"])
        incremental = ws.sync(SyncRequest("customers"))
        asked = ws.sync(SyncRequest("customers", ids=[account["account_no"]]))
    assert [i for i in incremental.items if i.source_id == account["_id"]] == []
    assert [(i.status, i.error.code) for i in asked.items] == [("skipped", "voided")]
    assert "保持不变" in text_of(asked.items[0].error)
    assert [r["FNumber"] for r in k3_records(sb, "BD_Customer")].count(account["account_no"]) == 1
