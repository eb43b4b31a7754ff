"""The sync engine against the sandbox over loopback HTTP: exactly once under faults, pre-flight, customers first."""

from __future__ import annotations

import json
import threading
from collections import Counter

import pytest

from core.errors import SyncBusyError
from core.sandbox import start_sandbox
from core.store import Database, Exchange, SyncItem, SyncRun
from core.sync.engine import SyncRequest
from core.sync.lock import ProfileLock
from core.workspace import Workspace
from tests.helpers_sync import (
    add_profile,
    exchange_endpoints,
    fx_records,
    is_write,
    k3_number_counts,
    k3_records,
    live_orders,
    of,
    profile_for,
    workspace,
)

SIZES = {"orders": 60, "customers": 25, "products": 15}


@pytest.fixture
def sb():
    with start_sandbox(seed=5, demo_sizes=SIZES) as s:
        yield s


def make_engine(sb, db, **overrides) -> Workspace:
    profile, secrets = profile_for(sb, **overrides)
    add_profile(db, profile)
    return workspace(db, profile, secrets)


def assert_each_once(sb, names) -> None:
    counts = k3_number_counts(sb, "SAL_SaleOrder", "FBillNo")
    assert {n: counts[n] for n in names} == {n: 1 for n in names}
    assert all(c == 1 for c in counts.values()), [n for n, c in counts.items() if c > 1]


def add_bad_order(sb) -> tuple[str, str]:
    """An order with one good line and one line whose product code K3Cloud has no material for."""
    admin = sb.fx_app.admin
    good_product = fx_records(sb, "ProductObj")[0]
    account = fx_records(sb, "AccountObj")[0]
    pid = admin("add_records", {"api_name": "ProductObj", "records": [
        {"name": "未建物料的产品", "product_code": "MAT-9999", "unit": "1", "price": "10.00"}]})["ids"][0]
    oid = admin("add_records", {"api_name": "SalesOrderObj", "records": [
        {"name": "BAD-ORDER-1", "account_id": account["_id"], "order_time": 1790000000000, "life_status": "normal",
         "logistics_status": "1"}]})["ids"][0]
    admin("add_records", {"api_name": "SalesOrderProductObj", "records": [
        {"order_id": oid, "product_id": good_product["_id"], "quantity": "2", "sales_price": "10.00"},
        {"order_id": oid, "product_id": pid, "quantity": "1", "sales_price": "5.00"}]})
    return oid, "BAD-ORDER-1"


def test_first_run_creates_each_order_once_and_audits_second_run_creates_nothing(sb, db):
    orders = live_orders(sb)
    with make_engine(sb, db) as eng:
        first = eng.sync(SyncRequest("orders", all=True))
        assert (of(first).created, of(first).failed) == (len(orders), 0)
        assert {i.stage for i in first.items} == {"audited"}
        assert_each_once(sb, [o["name"] for o in orders])
        assert Counter(r["FDocumentStatus"] for r in k3_records(sb, "SAL_SaleOrder")) == {"C": len(orders)}
        before = len(k3_records(sb, "SAL_SaleOrder")), len(k3_records(sb, "BD_Customer"))
        second = eng.sync(SyncRequest("orders", all=True))
    assert (second.created, second.updated, second.skipped, second.failed) == (0, 0, len(orders), 0)
    assert {i.flow for i in second.items} == {"orders"}  # nothing to push first: no customer items
    assert (len(k3_records(sb, "SAL_SaleOrder")), len(k3_records(sb, "BD_Customer"))) == before


def test_customers_missing_in_k3_are_pushed_first_once(sb, db):
    orders = live_orders(sb, 20)
    accounts = {a["_id"]: a for a in fx_records(sb, "AccountObj")}
    wanted = {accounts[o["account_id"]]["account_no"] for o in orders}
    present = set(k3_number_counts(sb, "BD_Customer", "FNumber"))
    with make_engine(sb, db) as eng:
        summary = eng.sync(SyncRequest("orders", ids=[o["_id"] for o in orders]))
    assert of(summary).created == len(orders)
    assert of(summary, "customers").created == len(wanted - present) > 0  # pushed first, reported as items
    customers = k3_number_counts(sb, "BD_Customer", "FNumber")
    assert all(customers[n] == 1 for n in wanted)
    by_no = {r["FBillNo"]: r for r in k3_records(sb, "SAL_SaleOrder")}
    for o in orders:
        cust = by_no[o["name"]]["FCustId"]
        number = cust.get("FNumber") if isinstance(cust, dict) else cust
        assert number == accounts[o["account_id"]]["account_no"]


def test_missing_material_fails_only_its_order_with_the_number(sb, db):
    oid, name = add_bad_order(sb)
    orders = live_orders(sb, 10)
    with make_engine(sb, db) as eng:
        summary = eng.sync(SyncRequest("orders", ids=[oid] + [o["_id"] for o in orders if o["_id"] != oid]))
    bad = [i for i in summary.items if i.source_id == oid][0]
    assert bad.status == "failed"
    assert "物料 MAT-9999 在金蝶中不存在" in bad.error.message.zh
    assert "material MAT-9999 does not exist in K3Cloud" in bad.error.message.en
    assert bad.error.side == "k3cloud" and bad.error.details["missing"][0]["number"] == "MAT-9999"
    assert of(summary).created == len([o for o in orders if o["_id"] != oid]) and summary.failed == 1
    assert name not in k3_number_counts(sb, "SAL_SaleOrder", "FBillNo")


def test_ambiguous_batch_save_is_confirmed_by_key_and_never_resent(sb, db, home):
    orders = live_orders(sb, 12)
    with make_engine(sb, db, batch_size=5) as eng:
        accounts = list(dict.fromkeys(o["account_id"] for o in orders))
        assert eng.sync(SyncRequest("customers", ids=accounts)).failed == 0
        sb.k3_server.set_faults(ambiguous_writes=1)  # the first order BatchSave lands, its answer is dropped
        summary = eng.sync(SyncRequest("orders", ids=[o["_id"] for o in orders]))
    assert summary.failed == 0 and summary.created == len(orders)
    assert_each_once(sb, [o["name"] for o in orders])
    with db.session() as s:
        saves = [e for e in s.query(Exchange).all() if e.endpoint.endswith("BatchSave.common.kdsvc")
                 and "SAL_SaleOrder" in (e.request_text or "")]
    assert len(saves) == 3  # 12 orders in chunks of 5: nothing was sent twice
    assert sum(1 for e in saves if e.status is None) == 1  # the dropped one


def test_500s_resets_and_unreadable_answers_on_both_sides_end_with_every_record_once(sb, db):
    orders = live_orders(sb, 40)
    names = [o["name"] for o in orders]
    with make_engine(sb, db, batch_size=8) as eng:
        for server in (sb.fx_server, sb.k3_server):
            server.set_faults(error_500_rate=0.05, reset_rate=0.05, html_error_rate=0.03, response_error_rate=0.03,
                              seed=7)
        results = eng.sync(SyncRequest("orders", ids=[o["_id"] for o in orders]))
        for server in (sb.fx_server, sb.k3_server):
            server.set_faults(error_500_rate=0, reset_rate=0, html_error_rate=0, response_error_rate=0)
        again = eng.sync(SyncRequest("orders", ids=[o["_id"] for o in orders]))  # settles anything left open
    r, a = of(results), of(again)
    assert r.created + r.skipped + r.failed == len(orders)
    assert again.failed == 0
    assert a.created + a.skipped + a.updated == len(orders)
    assert_each_once(sb, names)


def test_session_and_token_expiring_often_change_nothing(sb, db):
    orders = live_orders(sb, 30)
    sb.k3_app.admin("knobs", {"session_expire_after_calls": 25})
    sb.fx_app.admin("knobs", {"token_expire_after_calls": 30})
    with make_engine(sb, db, batch_size=3) as eng:
        summary = eng.sync(SyncRequest("orders", ids=[o["_id"] for o in orders]))
    assert summary.failed == 0 and of(summary).created == len(orders)
    assert_each_once(sb, [o["name"] for o in orders])


def test_two_machines_racing_on_the_same_orders_create_each_once(sb, home, tmp_path):
    orders = live_orders(sb, 50)
    ids = [o["_id"] for o in orders]
    out: dict[str, object] = {}

    def machine(tag: str) -> None:
        # A second PC: its own data folder and database, the same company servers.
        d = Database(tmp_path / tag / "fxk3sync.db")
        try:
            profile, secrets = profile_for(sb, name=f"pc-{tag}", batch_size=10)
            add_profile(d, profile)
            with workspace(d, profile, secrets) as eng:
                out[tag] = eng.sync(SyncRequest("orders", ids=ids))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            out[tag] = exc
        finally:
            d.close()

    threads = [threading.Thread(target=machine, args=(t,)) for t in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    a, b = out["a"], out["b"]
    assert not isinstance(a, BaseException) and not isinstance(b, BaseException), (a, b)
    assert a.failed == 0 and b.failed == 0
    assert of(a).created + of(b).created == len(orders)
    assert_each_once(sb, [o["name"] for o in orders])


def test_dry_run_sends_no_write_and_previews_payloads(sb, db, home):
    orders = live_orders(sb, 8)
    before_k3 = (len(k3_records(sb, "SAL_SaleOrder")), len(k3_records(sb, "BD_Customer")))
    before_fx = json.dumps(fx_records(sb, "SalesOrderObj"), sort_keys=True)
    with make_engine(sb, db, writeback=True) as eng:
        summary = eng.sync(SyncRequest("orders", ids=[o["_id"] for o in orders], dry_run=True))
    assert summary.dry_run and of(summary).created == len(orders)
    customers = {i.source_id for i in summary.items if i.flow == "customers"}
    assert customers and all(i.status == "created" for i in summary.items if i.flow == "customers")
    assert set(summary.previews) == {o["_id"] for o in orders} | customers
    package = summary.previews[orders[0]["_id"]]
    assert package["Model"]["FBillNo"] == orders[0]["name"]
    assert (len(k3_records(sb, "SAL_SaleOrder")), len(k3_records(sb, "BD_Customer"))) == before_k3
    assert json.dumps(fx_records(sb, "SalesOrderObj"), sort_keys=True) == before_fx
    writes = [e for e in exchange_endpoints(home) if is_write(e[1])]
    assert writes == []
    with db.session() as s:
        assert s.query(SyncItem).count() == 0


def test_cancel_between_chunks_then_rerun_completes(sb, db):
    orders = live_orders(sb, 30)
    cancel = threading.Event()

    def on_progress(p) -> None:
        if p.item is not None and p.item.flow == "orders" and p.item.status == "created":
            cancel.set()

    with make_engine(sb, db, batch_size=5) as eng:
        first = eng.sync(SyncRequest("orders", ids=[o["_id"] for o in orders]), cancel=cancel, on_progress=on_progress)
        assert first.cancelled and of(first).created == 5
        with db.session() as s:
            assert s.query(SyncItem).filter(SyncItem.state.in_(("pending", "writing"))).count() == 0
            assert s.query(SyncRun).filter(SyncRun.id == first.run_id).one().status == "cancelled"
        second = eng.sync(SyncRequest("orders", ids=[o["_id"] for o in orders]))
    assert (of(second).skipped, of(second).created) == (5, len(orders) - 5)
    assert_each_once(sb, [o["name"] for o in orders])


def test_failed_item_can_be_retried_alone_and_resolved(sb, db):
    oid, _ = add_bad_order(sb)
    with make_engine(sb, db) as eng:
        first = eng.sync(SyncRequest("orders", ids=[oid]))
        bad = first.items[0]
        assert bad.status == "failed" and bad.item_id
        again = eng.retry([bad.item_id])
        assert [i.source_id for i in again.items] == [oid] and again.items[0].status == "failed"
        eng.mark_resolved([again.items[0].item_id])
        with db.session() as s:
            assert s.get(SyncItem, again.items[0].item_id).state == "resolved"


def test_reconcile_settles_interrupted_items_by_key(sb, db):
    orders = live_orders(sb, 3)
    with make_engine(sb, db) as eng:
        eng.sync(SyncRequest("orders", ids=[orders[0]["_id"]]))
        run = eng.journal.start_run("orders")
        from core.sync.journal import NewItem

        landed, lost = eng.journal.add_items(run, "orders", [NewItem(orders[0]["_id"], orders[0]["name"]),
                                                             NewItem(orders[1]["_id"], orders[1]["name"])])
        assert eng.journal.mark_writing(run, "orders", [(landed, orders[0]["name"]), (lost, orders[1]["name"])]) \
            == {landed, lost}
        assert eng.reconcile() == 2
        with db.session() as s:
            assert s.get(SyncItem, landed).state == "audited"
            assert s.get(SyncItem, lost).state == "failed"
            assert json.loads(s.get(SyncItem, lost).error_json)["code"] == "interrupted"
            assert s.get(SyncRun, run).status == "interrupted"


def test_second_sync_of_the_same_profile_is_refused_while_one_runs(sb, db):
    with make_engine(sb, db) as eng:
        holder = ProfileLock(eng.profile.name, wait=0.1).acquire()
        try:
            eng_lock_wait = ProfileLock(eng.profile.name, wait=0.2)
            with pytest.raises(SyncBusyError) as info:
                eng_lock_wait.acquire()
            assert "正在同步" in info.value.user_message and "already syncing" in info.value.user_message
            gen = eng.run(SyncRequest("orders", ids=["x"]))
            with pytest.raises(SyncBusyError):
                next(gen)
        finally:
            holder.release()
        summary = eng.sync(SyncRequest("orders", ids=[live_orders(sb, 1)[0]["_id"]]))
    assert of(summary).created == 1


def test_watermark_run_picks_up_only_changed_records_and_open_failures(sb, db):
    orders = live_orders(sb)
    with make_engine(sb, db) as eng:
        first = eng.sync(SyncRequest("orders"))  # no watermark yet: everything
        assert of(first).created == len(orders)
        mark = int(eng.journal.watermark("orders.last_modified_ms"))
        assert mark == max(o["last_modified_time"] for o in orders)
        oid, _ = add_bad_order(sb)
        second = eng.sync(SyncRequest("orders"))
        ids = {i.source_id for i in second.items if i.flow == "orders"}
        assert oid in ids and len(ids) < len(orders)
        third = eng.sync(SyncRequest("orders"))  # the failed order is offered again
        assert oid in {i.source_id for i in third.items if i.status == "failed"}


def test_writeback_puts_the_k3_number_on_the_fxiaoke_order(sb, db):
    orders = live_orders(sb, 3)
    with make_engine(sb, db, writeback=True) as eng:
        eng.sync(SyncRequest("orders", ids=[o["_id"] for o in orders]))
    by_id = {r["_id"]: r for r in fx_records(sb, "SalesOrderObj")}
    assert [by_id[o["_id"]].get("field_k3_no__c") for o in orders] == [o["name"] for o in orders]


def test_preview_is_the_exact_package_and_sends_nothing(sb, db, home):
    order = live_orders(sb, 1)[0]
    with make_engine(sb, db) as eng:
        text = eng.preview("orders", order["_id"])
    package = json.loads(text)
    assert list(package)[-1] == "Model"
    assert list(package["Model"])[:3] == ["FBillNo", "FBillTypeID", "FDate"]
    assert package["Model"]["FBillNo"] == order["name"]
    assert not [e for e in exchange_endpoints(home) if is_write(e[1])]


def test_two_records_with_one_k3_number_never_become_one_document_silently(sb, db):
    admin = sb.fx_app.admin
    order = live_orders(sb, 1)[0]
    lines = [ln for ln in fx_records(sb, "SalesOrderProductObj") if ln["order_id"] == order["_id"]]
    twin = admin("add_records", {"api_name": "SalesOrderObj", "records": [
        {k: v for k, v in order.items() if k not in ("_id", "create_time", "last_modified_time")}]})["ids"][0]
    admin("add_records", {"api_name": "SalesOrderProductObj", "records": [
        {"order_id": twin, "product_id": ln["product_id"], "quantity": ln["quantity"],
         "sales_price": ln["sales_price"]} for ln in lines]})
    with make_engine(sb, db) as eng:
        first = eng.sync(SyncRequest("orders", ids=[order["_id"], twin]))
        later = eng.sync(SyncRequest("orders", ids=[twin]))
    by_source = {i.source_id: i for i in first.items}
    assert by_source[order["_id"]].status == "created"
    assert by_source[twin].status == "failed" and by_source[twin].error.code == "duplicate_key"
    assert later.items[0].status == "failed" and later.items[0].error.code == "duplicate_key"
    assert k3_number_counts(sb, "SAL_SaleOrder", "FBillNo")[order["name"]] == 1


def test_journal_rows_are_committed_before_the_save_reaches_k3(sb, db, home):
    """Seen from another connection while the BatchSave is on the wire: every row of the chunk is 'writing'."""

    orders = live_orders(sb, 7)
    seen: list[list[str]] = []

    def observer(record) -> None:
        if record.endpoint.endswith("BatchSave.common.kdsvc") and "SAL_SaleOrder" in record.request_body:
            other = Database(home / "fxk3sync.db")  # a separate connection: sees only committed rows
            try:
                with other.session() as s:
                    seen.append(sorted(r.state for r in s.query(SyncItem).filter(SyncItem.flow == "orders")))
            finally:
                other.close()

    profile, secrets = profile_for(sb, batch_size=4)
    add_profile(db, profile)
    with workspace(db, profile, secrets, sinks=[observer]) as eng:
        summary = eng.sync(SyncRequest("orders", ids=[o["_id"] for o in orders]))
    assert of(summary).created == 7
    assert seen == [["pending"] * 3 + ["writing"] * 4, ["audited"] * 4 + ["writing"] * 3]
