"""The clerk's day in core: a failed run keeps why it stopped (with its exchanges), the inbox groups what needs a
person by cause and one retry clears a group once the cause is fixed, and a run reports its waits for Fxiaoke."""

from __future__ import annotations

import pytest

from core.errors import ErrorInfo, FxiaokeQuotaError, SyncBusyError, Text
from core.fxiaoke.pacing import PacingConfig, shared_pacer
from core.sandbox import start_sandbox
from core.sync.journal import Journal, NewItem
from core.sync.lock import ProfileLock
from core.sync.model import Progress, SyncRequest
from core.views import RateWait
from tests.helpers_sync import fx_records, k3_records, profile_for, workspace

SIZES = {"orders": 8, "customers": 6, "products": 8}


@pytest.fixture
def sb():
    with start_sandbox(seed=16, demo_sizes=SIZES) as s:
        yield s


def _order(sb, name: str, product: str, account: str | None = None) -> str:
    admin = sb.fx_app.admin
    account = account or fx_records(sb, "AccountObj")[0]["_id"]
    oid = admin("add_records", {"api_name": "SalesOrderObj", "records": [
        {"name": name, "account_id": account, "order_time": 1790000000000, "life_status": "normal"}]})["ids"][0]
    admin("add_records", {"api_name": "SalesOrderProductObj", "records": [
        {"order_id": oid, "product_id": product, "quantity": "1", "sales_price": "9"}]})
    return oid


def _product(sb, code: str) -> str:
    return sb.fx_app.admin("add_records", {"api_name": "ProductObj", "records": [
        {"name": f"产品{code}", "product_code": code, "unit": "1", "price": "9"}]})["ids"][0]


def test_a_run_stopped_by_30003_keeps_its_reason_and_its_exchanges(sb, store):
    sb.fx_app.admin("knobs", {"openapi_package": False})
    with workspace(store, *profile_for(sb)) as ws:
        with pytest.raises(FxiaokeQuotaError):
            ws.sync(SyncRequest("orders", all=True))
        (run,) = ws.history()
        assert run.status == "failed" and run.error is not None
        assert run.error.code == "30003" and run.error.side == "fxiaoke"
        assert run.error.message.zh and run.error.message.en and run.error.message.zh != run.error.message.en
        assert run.error.advice.zh and run.error.advice.en
        calls = ws.run_exchanges(run.id)
    assert calls and calls[-1].code == "30003" and calls[-1].side == "fxiaoke"


def test_a_run_refused_because_another_sync_holds_the_profile_says_so(sb, store):
    profile, secrets = profile_for(sb)
    with workspace(store, profile, secrets) as ws:
        holder = ProfileLock(profile.name, wait=0, db=store).acquire()
        try:
            with pytest.raises(SyncBusyError):
                ws.sync(SyncRequest("orders", all=True))
        finally:
            holder.release()
        (run,) = ws.history()
        assert run.status == "failed" and run.error is not None and run.finished_at is not None
        assert "already syncing" in run.error.message.en and "正在同步中" in run.error.message.zh
        assert "scheduled task" in run.error.advice.en
        # a later run that goes through is recorded without a reason
        ws.sync(SyncRequest("orders", ids=[fx_records(sb, "SalesOrderObj")[0]["_id"]]))
        newest = ws.history()[0]
        assert newest.status == "done" and newest.error is None


def test_the_inbox_groups_by_missing_material_and_one_retry_clears_the_group_once_fixed(sb, db):
    good = fx_records(sb, "ProductObj")[0]["_id"]
    mat9, mat8 = _product(sb, "MAT-9"), _product(sb, "MAT-8")
    nine = [_order(sb, f"IB-9-{n}", mat9) for n in range(3)]
    eight = _order(sb, "IB-8-1", mat8)
    ok = _order(sb, "IB-OK-1", good)
    with workspace(db, *profile_for(sb)) as ws:
        run = ws.sync(SyncRequest("orders", ids=[*nine, eight, ok]))
        assert sorted(i.status for i in run.items if i.flow == "orders") == ["created"] + ["failed"] * 4
        groups = ws.inbox()
        assert [g.title.zh for g in groups] == ["物料 MAT-9 在金蝶中不存在：3 张订单",
                                                "物料 MAT-8 在金蝶中不存在：1 张订单"]
        assert [g.title.en for g in groups] == ["Material MAT-9 does not exist in K3Cloud: 3 orders",
                                                "Material MAT-8 does not exist in K3Cloud: 1 order"]
        first = groups[0]
        assert sorted(r.number for r in first.records) == ["IB-9-0", "IB-9-1", "IB-9-2"]
        assert {r.source_id for r in first.records} == set(nine) and first.can_retry
        assert first.advice.zh and first.advice.en and first.code == "missing_base_data"
        # the implementer points the product at a material K3Cloud has, then retries the group once
        material = k3_records(sb, "BD_MATERIAL")[0]["FNumber"]
        ws.fx.update("ProductObj", mat9, {"product_code": material})
        again = ws.retry(first.item_ids)
        assert sorted(i.status for i in again.items if i.flow == "orders") == ["created"] * 3
        assert [g.title.en for g in ws.inbox()] == ["Material MAT-8 does not exist in K3Cloud: 1 order"]
    numbers = [r["FBillNo"] for r in k3_records(sb, "SAL_SaleOrder")]
    assert all(numbers.count(n) == 1 for n in ("IB-9-0", "IB-9-1", "IB-9-2", "IB-OK-1"))


def test_transient_failures_wait_for_the_next_run_unless_they_keep_failing(sb, db):
    with workspace(db, *profile_for(sb)) as ws:
        journal = Journal(db, ws.profile_id)
        lost = ErrorInfo("timeout", "k3cloud", Text("金蝶没有应答", "K3Cloud did not answer"), retryable=True)
        other_pc = ErrorInfo("claimed_elsewhere", "local", Text("另一台电脑", "another PC"), details={"host": "PC-7"},
                             retryable=True)

        def one_run(*items: NewItem) -> None:
            run_id = journal.start_run("orders")
            journal.add_items(run_id, "orders", list(items))
            journal.finish_run(run_id, "done", {})

        for _ in range(2):
            one_run(NewItem("fx-1", "SO-1", "failed", lost), NewItem("fx-2", "SO-2", "held", other_pc))
        assert [g.key for g in ws.inbox()] == ["claimed_elsewhere:PC-7"], "held needs a person; a timeout waits"
        one_run(NewItem("fx-1", "SO-1", "failed", lost))
        groups = {g.key: g for g in ws.inbox()}
        assert set(groups) == {"claimed_elsewhere:PC-7", "keeps_failing:k3cloud:timeout"}
        keeps = groups["keeps_failing:k3cloud:timeout"]
        assert keeps.records[0].failures == 3 and "3" in keeps.title.en and "K3Cloud" in keeps.title.en
        assert groups["claimed_elsewhere:PC-7"].title.zh == "正由另一台电脑（PC-7）同步：1 张订单"


def test_an_order_whose_customer_cannot_be_synced_is_grouped_under_that_customer(sb, db):
    good = fx_records(sb, "ProductObj")[0]["_id"]
    account = sb.fx_app.admin("add_records", {"api_name": "AccountObj", "records": [
        {"name": "没有编号的客户", "tel": "021-1"}]})["ids"][0]  # no account_no: the customer cannot be mapped
    orders = [_order(sb, f"IB-C-{n}", good, account) for n in range(2)]
    with workspace(db, *profile_for(sb)) as ws:
        ws.sync(SyncRequest("orders", ids=orders))
        groups = ws.inbox()
    titles = [g.title.zh for g in groups]
    assert "客户「没有编号的客户」未能同步到金蝶：2 张订单" in titles, titles


def test_a_run_reports_its_waits_for_the_fxiaoke_rate_limit(sb, db):
    profile, secrets = profile_for(sb)
    shared_pacer(profile.fx_url, profile.fx_app_id, PacingConfig(calls=2, window_s=0.4, margin_s=0.0))
    ids = [o["_id"] for o in fx_records(sb, "SalesOrderObj") if o.get("life_status") == "normal"][:3]
    events: list[Progress | RateWait] = []
    with workspace(db, profile, secrets) as ws:
        ws.sync(SyncRequest("orders", ids=ids), on_progress=events.append)
    waits = [e for e in events if isinstance(e, RateWait)]
    assert waits and all(w.calls == 2 and w.window_s == 0.4 and 0 < w.seconds <= 0.4 for w in waits)
    assert any(isinstance(e, Progress) and e.phase == "done" for e in events)


def test_a_failed_payment_is_in_the_inbox_and_its_retry_sends_it_once_the_cause_is_fixed(sb, db):
    template = next(p for p in fx_records(sb, "PaymentObj") if p.get("life_status") == "normal")
    account = sb.fx_app.admin("add_records", {"api_name": "AccountObj", "records": [
        {"name": "收款无编号客户", "tel": "021-2"}]})["ids"][0]  # no account_no: the payment's customer cannot go
    fields = {k: template[k] for k in ("payment_amount", "payment_time", "life_status", "owner")}
    payment = sb.fx_app.admin("add_records", {"api_name": "PaymentObj", "records": [
        {**fields, "name": "PAY-IB-1", "account_id": account}]})["ids"][0]
    with workspace(db, *profile_for(sb)) as ws:
        run = ws.sync(SyncRequest("payments", ids=[payment]))
        assert [i.status for i in run.items if i.flow == "payments"] == ["failed"]
        (group,) = ws.inbox()
        assert [(r.flow, r.source_id, r.state) for r in group.records] == [("payments", payment, "failed")]
        assert group.title.zh == "客户「收款无编号客户」未能同步到金蝶：1 张收款单" and group.can_retry
        ws.fx.update("AccountObj", account, {"account_no": "C-PAY-IB-1"})
        again = ws.retry(group.item_ids)
        assert [i.status for i in again.items if i.flow == "payments"] == ["created"]
        assert ws.inbox() == []
    assert [r["FBillNo"] for r in k3_records(sb, "AR_RECEIVEBILL")].count("PAY-IB-1") == 1
