"""Attacks on exactly-once: renumbering K3, whole-batch refusals, lost sessions, refused audits, odd source records."""

from __future__ import annotations

from collections import Counter

import pytest

from core.sandbox import start_sandbox
from core.store import SyncItem
from core.sync.engine import SyncRequest
from core.sync.journal import NewItem
from core.workspace import Workspace
from tests.helpers_sync import (
    add_profile,
    fx_records,
    k3_records,
    live_orders,
    of,
    profile_for,
    refusal,
    text_of,
    workspace,
)


@pytest.fixture
def sb():
    with start_sandbox(seed=9, demo_sizes={"orders": 24, "customers": 12, "products": 10}) as s:
        yield s


def engine_via(sb, db, proxy, **overrides) -> Workspace:
    profile, secrets = profile_for(sb, k3_url=proxy.url, **overrides)
    add_profile(db, profile)
    return workspace(db, profile, secrets)


def order_counts(sb) -> Counter:
    return Counter(str(r["FBillNo"]) for r in k3_records(sb, "SAL_SaleOrder"))


def renumbering(proxy) -> None:
    """K3Cloud's numbering rule ignores the FBillNo we send and gives its own."""
    seq = iter(range(1, 10_000))

    def hook(form_id, data):
        if form_id == "SAL_SaleOrder":
            for model in data["Model"]:
                model["FBillNo"] = f"SO{next(seq):06d}"
        return data

    proxy.hooks["batchsave"] = hook


def test_renumbered_orders_are_linked_by_k3s_number_and_never_created_again(sb, db, proxy):
    orders = live_orders(sb, 8)
    renumbering(proxy)
    with engine_via(sb, db, proxy) as eng:
        first = eng.sync(SyncRequest("orders", ids=[o["_id"] for o in orders]))
        assert (of(first).created, of(first).failed) == (8, 0)
        assert all(i.k3_number.startswith("SO") for i in first.items if i.flow == "orders")
        second = eng.sync(SyncRequest("orders", ids=[o["_id"] for o in orders]))
    assert (of(second).skipped, of(second).created) == (8, 0)
    assert len(k3_records(sb, "SAL_SaleOrder")) == 8


def test_an_unknown_write_on_a_renumbering_k3_is_never_sent_again_and_explained(sb, db, proxy):
    orders = live_orders(sb, 6)
    renumbering(proxy)
    with engine_via(sb, db, proxy, batch_size=3) as eng:
        eng.sync(SyncRequest("orders", ids=[orders[0]["_id"]]))  # K3Cloud shows it renumbers
        sb.k3_server.set_faults(ambiguous_writes=1)  # the next order BatchSave lands, its answer is lost
        run = eng.sync(SyncRequest("orders", ids=[o["_id"] for o in orders[1:4]]))
        assert len(k3_records(sb, "SAL_SaleOrder")) == 4  # one copy each, nothing re-sent
        assert {i.error.code for i in run.items} == {"outcome_unverified"}
        msg = text_of(run.items[0].error)
        assert "无法按单号核对" in msg and "标为“已处理”" in msg and "编码规则" in msg
        assert "cannot be checked by number" in msg and "mark it resolved" in msg
        again = eng.sync(SyncRequest("orders", ids=[o["_id"] for o in orders[1:4]]))
        assert {i.error.code for i in again.items} == {"outcome_unverified"}
        assert len(k3_records(sb, "SAL_SaleOrder")) == 4
        eng.mark_resolved([i.item_id for i in again.items])  # a person checked K3Cloud
        with db.session() as s:
            assert {s.get(SyncItem, i.item_id).state for i in again.items} == {"resolved"}


def test_reconcile_on_a_renumbering_k3_does_not_call_a_sent_item_absent(sb, db, proxy):
    orders = live_orders(sb, 2)
    renumbering(proxy)
    with engine_via(sb, db, proxy) as eng:
        eng.sync(SyncRequest("orders", ids=[orders[0]["_id"]]))
        run = eng.journal.start_run("orders")
        (item,) = eng.journal.add_items(run, "orders", [NewItem(orders[1]["_id"], orders[1]["name"])])
        # killed while the BatchSave was on the wire
        eng.journal.mark_writing(run, "orders", [(item, orders[1]["name"])])
        eng.reconcile()
        with db.session() as s:
            assert '"outcome_unverified"' in s.get(SyncItem, item).error_json
        later = eng.sync(SyncRequest("orders", ids=[orders[1]["_id"]]))
    assert later.items[0].error.code == "outcome_unverified" and len(k3_records(sb, "SAL_SaleOrder")) == 1


def test_a_batch_refused_as_a_whole_is_sent_again_row_by_row(sb, db, proxy):
    orders = live_orders(sb, 5)
    with engine_via(sb, db, proxy, batch_size=5) as eng:
        eng.sync(SyncRequest("customers", ids=list({o["account_id"] for o in orders})))

        def once(form_id, data):
            proxy.hooks.pop("batchsave")
            return refusal([(None, "服务器繁忙，请稍后再试", None)], 4)  # no DIndex: the whole batch

        proxy.hooks["batchsave"] = once
        run = eng.sync(SyncRequest("orders", ids=[o["_id"] for o in orders]))
    assert (of(run).created, of(run).failed) == (5, 0)
    assert order_counts(sb) == Counter(o["name"] for o in orders)


def test_a_row_refused_for_its_own_fault_fails_alone_with_the_servers_words(sb, db, proxy):
    orders = live_orders(sb, 4)
    with engine_via(sb, db, proxy, batch_size=4) as eng:
        eng.sync(SyncRequest("customers", ids=list({o["account_id"] for o in orders})))

        def hook(form_id, data):
            if len(data["Model"]) > 1:  # the batch: row 2 is blamed, the others are "not saved" with it
                return refusal([("FDate", "字段“日期”的值不合法", 2)], 11)
            if data["Model"][0]["FBillNo"] == orders[2]["name"]:
                return refusal([("FDate", "字段“日期”的值不合法", 0)], 11)
            return data

        proxy.hooks["batchsave"] = hook
        run = eng.sync(SyncRequest("orders", ids=[o["_id"] for o in orders]))
    by_id = {i.source_id: i for i in run.items}
    assert (of(run).created, of(run).failed) == (3, 1)
    assert "字段“日期”的值不合法" in text_of(by_id[orders[2]["_id"]].error)
    assert orders[2]["name"] not in order_counts(sb)


def test_a_session_lost_between_save_and_submit_finishes_every_document_once(sb, db, proxy):
    orders = live_orders(sb, 6)
    with engine_via(sb, db, proxy, batch_size=3) as eng:
        proxy.after["batchsave"] = lambda: sb.k3_app.admin("expire_sessions", {})
        run = eng.sync(SyncRequest("orders", ids=[o["_id"] for o in orders]))
    assert (of(run).created, of(run).failed) == (6, 0) and {i.stage for i in run.items} == {"audited"}
    assert not any(i.error for i in run.items)
    assert order_counts(sb) == Counter(o["name"] for o in orders)


def test_submit_done_audit_refused_stays_submitted_explained_and_finish_completes_it(sb, db, proxy):
    orders = live_orders(sb, 3)
    with engine_via(sb, db, proxy) as eng:
        proxy.hooks["audit"] = lambda form_id, data: refusal(
            [(None, f"单据{n}审核失败：审批流未结束", i) for i, n in enumerate(data["Numbers"])], 11) \
            if form_id == "SAL_SaleOrder" else data
        first = eng.sync(SyncRequest("orders", ids=[o["_id"] for o in orders]))
        # Saved and submitted, but not audited as the profile asks: the record's sync did not finish (failed, so
        # the count and the exit code agree), and the document keeps the stage it reached.
        assert {(i.status, i.stage) for i in first.items if i.flow == "orders"} == {("failed", "submitted")}
        first = type(first)(first.run_id, [i for i in first.items if i.flow == "orders"])
        msg = text_of(first.items[0].error)
        assert "单据已保存到金蝶，但审核没有完成" in msg and "审批流未结束" in msg and "不会重复创建" in msg
        assert "Saved in K3Cloud, but the audit did not finish" in msg and "creates nothing twice" in msg
        assert {r["FDocumentStatus"] for r in k3_records(sb, "SAL_SaleOrder")} == {"B"}
        proxy.hooks.pop("audit")
        second = eng.retry([i.item_id for i in first.items])
        assert {(i.status, i.stage) for i in second.items} == {("updated", "audited")}
        third = eng.sync(SyncRequest("orders", ids=[o["_id"] for o in orders]))
    assert {i.status for i in third.items} == {"skipped"}
    assert {r["FDocumentStatus"] for r in k3_records(sb, "SAL_SaleOrder")} == {"C"}
    assert order_counts(sb) == Counter(o["name"] for o in orders)


def test_an_order_renamed_in_fxiaoke_after_its_sync_is_not_created_again(sb, db, proxy):
    order = live_orders(sb, 1)[0]
    with engine_via(sb, db, proxy) as eng:
        eng.sync(SyncRequest("orders", ids=[order["_id"]]))
        eng.fx.update("SalesOrderObj", order["_id"], {"name": order["name"] + "-改"})
        again = eng.sync(SyncRequest("orders", ids=[order["_id"]]))
    assert again.items[0].status == "skipped" and again.items[0].k3_number == order["name"]
    assert len(k3_records(sb, "SAL_SaleOrder")) == 1


def test_odd_orders_fail_alone_in_words_a_clerk_reads(sb, db, proxy):
    admin = sb.fx_app.admin
    good = live_orders(sb, 2)
    nameless = admin("add_records", {"api_name": "AccountObj", "records": [{"name": "无编号客户"}]})["ids"][0]
    no_lines, bad_customer, voided = admin("add_records", {"api_name": "SalesOrderObj", "records": [
        {"name": "NO-LINES", "account_id": good[0]["account_id"], "order_time": 1790000000000},
        {"name": "BAD-CUST", "account_id": nameless, "order_time": 1790000000000},
        {"name": "VOIDED", "account_id": good[0]["account_id"], "order_time": 1790000000000,
         "life_status": "invalid"}]})["ids"]
    product = fx_records(sb, "ProductObj")[0]["_id"]
    admin("add_records", {"api_name": "SalesOrderProductObj", "records": [
        {"order_id": oid, "product_id": product, "quantity": "1", "sales_price": "1"}
        for oid in (bad_customer, voided)]})
    with engine_via(sb, db, proxy) as eng:
        run = eng.sync(SyncRequest("orders", ids=[no_lines, bad_customer, voided, "0" * 24] + [o["_id"] for o in good]))
    by_id = {i.source_id: i for i in run.items}
    assert (of(run).created, of(run).failed, of(run).skipped) == (2, 3, 1)
    assert by_id[voided].status == "skipped"  # voided before it was ever synced: nothing to do, said so
    assert "没有任何明细行" in text_of(by_id[no_lines].error) and "has no lines" in text_of(by_id[no_lines].error)
    cust = text_of(by_id[bad_customer].error)
    assert "订单的客户「无编号客户」未能同步到金蝶" in cust and "The order's customer '无编号客户'" in cust
    assert "已作废" in text_of(by_id[voided].error) and "is voided" in text_of(by_id[voided].error)
    assert by_id["0" * 24].error.code == "not_found" and "找不到订单" in text_of(by_id["0" * 24].error)
    assert set(order_counts(sb)) == {o["name"] for o in good}


def test_two_orders_of_one_new_customer_push_it_once(sb, db, proxy):
    admin = sb.fx_app.admin
    acct = admin("add_records", {"api_name": "AccountObj", "records": [
        {"name": "新客户", "account_no": "CUST-NEW-1"}]})["ids"][0]
    product = fx_records(sb, "ProductObj")[0]["_id"]
    oids = admin("add_records", {"api_name": "SalesOrderObj", "records": [
        {"name": f"TWO-{i}", "account_id": acct, "order_time": 1790000000000} for i in (1, 2)]})["ids"]
    admin("add_records", {"api_name": "SalesOrderProductObj", "records": [
        {"order_id": oid, "product_id": product, "quantity": "1", "sales_price": "1"} for oid in oids]})
    with engine_via(sb, db, proxy) as eng:
        run = eng.sync(SyncRequest("orders", ids=oids))
    assert of(run).created == 2 and of(run, "customers").created == 1
    assert Counter(r["FNumber"] for r in k3_records(sb, "BD_Customer"))["CUST-NEW-1"] == 1
