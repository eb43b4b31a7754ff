"""Payments: Fxiaoke PaymentObj -> K3Cloud AR_RECEIVEBILL on the exactly-once engine, over the sandbox's HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.sandbox import start_sandbox
from core.store import Database
from core.sync.engine import SyncRequest
from tests.helpers_sync import add_profile, fx_records, k3_number_counts, k3_records, of, profile_for, workspace


@pytest.fixture
def sb():
    with start_sandbox(seed=9, demo_sizes={"orders": 30, "customers": 10, "products": 8}) as s:
        yield s


@pytest.fixture
def ws(sb, home: Path):
    db = Database(home / "fxk3sync.db")
    profile, secrets = profile_for(sb)
    add_profile(db, profile)
    with workspace(db, profile, secrets) as w:
        yield w
    db.close()


def live_payments(sb) -> list[dict]:
    return sorted((p for p in fx_records(sb, "PaymentObj") if p.get("life_status") == "normal"),
                  key=lambda p: p["name"])


def test_payments_become_receipts_once_naming_their_orders_and_customers_go_first(sb, ws):
    payments = live_payments(sb)
    with_order = [p for p in payments if p.get("order_id")]
    without = [p for p in payments if not p.get("order_id")]
    assert with_order and without
    orders = sorted({p["order_id"] for p in with_order})
    assert ws.sync(SyncRequest("orders", ids=orders)).failed == 0

    summary = ws.sync(SyncRequest("payments", ids=[p["_id"] for p in payments]))
    assert of(summary, "payments").created == len(payments) and summary.failed == 0
    receipts = {r["FBillNo"]: r for r in k3_records(sb, "AR_RECEIVEBILL")}
    assert set(receipts) == {p["name"] for p in payments}
    by_order = {o["_id"]: o for o in fx_records(sb, "SalesOrderObj")}
    for p in with_order:
        entry = receipts[p["name"]]["FRECEIVEBILLENTRY"][0]
        order_no = by_order[p["order_id"]]["name"]
        assert (entry["FRECEIVEITEMTYPE"], entry["FRECEIVEITEM"], entry["FSALEORDERNO"]) == ("1", order_no, order_no)
        assert entry["FRECTOTALAMOUNTFOR"] == float(p["payment_amount"])
        assert receipts[p["name"]]["FDocumentStatus"] == "C"  # saved, submitted, audited like an order
    for p in without:
        entry = receipts[p["name"]]["FRECEIVEBILLENTRY"][0]
        assert not entry.get("FRECEIVEITEMTYPE") and not entry.get("FSALEORDERNO")
    accounts = {a["_id"]: a["account_no"] for a in fx_records(sb, "AccountObj")}
    for p in payments:
        assert receipts[p["name"]]["FCONTACTUNIT"]["FNumber"] == accounts[p["account_id"]]
    # the payments' customers that K3Cloud lacked were pushed first, once each
    assert {i.source_id for i in summary.items if i.flow == "customers"} <= {p["account_id"] for p in payments}
    assert max(k3_number_counts(sb, "BD_Customer", "FNumber").values()) == 1

    again = ws.sync(SyncRequest("payments", ids=[p["_id"] for p in payments]))
    assert of(again, "payments").skipped == len(payments) and again.created == 0
    assert max(k3_number_counts(sb, "AR_RECEIVEBILL", "FBillNo").values()) == 1


def test_a_payment_whose_order_is_not_in_k3cloud_is_held_naming_it_then_goes_once_the_order_is_synced(sb, ws):
    payment = next(p for p in live_payments(sb) if p.get("order_id"))
    order = next(o for o in fx_records(sb, "SalesOrderObj") if o["_id"] == payment["order_id"])
    summary = ws.sync(SyncRequest("payments", ids=[payment["_id"]]))
    item = next(i for i in summary.items if i.flow == "payments")
    assert item.status == "held" and item.error.code == "order_not_synced"
    assert order["name"] in item.error.text("zh") and order["name"] in item.error.text("en")
    assert summary.failed == 0 and not summary.has_problems
    assert k3_records(sb, "AR_RECEIVEBILL") == []
    assert [i for i in summary.items if i.flow == "customers"] == []  # nothing written for a held payment
    assert ws.record_states("payments", [payment["_id"]])[payment["_id"]].held

    assert ws.sync(SyncRequest("orders", ids=[order["_id"]])).failed == 0
    later = ws.sync(SyncRequest("payments"))  # incremental: the held payment is tried again
    assert {i.source_id: i.status for i in later.items if i.flow == "payments"}[payment["_id"]] == "created"
    assert [r["FBillNo"] for r in k3_records(sb, "AR_RECEIVEBILL")].count(payment["name"]) == 1


def test_dry_run_and_preview_show_the_receipt_and_the_hold_without_writing(sb, ws):
    payment = next(p for p in live_payments(sb) if p.get("order_id"))
    dry = ws.sync(SyncRequest("payments", ids=[payment["_id"]], dry_run=True))
    assert [i.status for i in dry.items if i.flow == "payments"] == ["held"]
    preview = ws.preview("payments", payment["_id"])
    assert '"FRECEIVEBILLENTRY"' in preview and payment["name"] in preview and '"SKDLX01_SYS"' in preview
    assert k3_records(sb, "AR_RECEIVEBILL") == [] and k3_records(sb, "SAL_SaleOrder") == []


def test_receipt_numbers_come_from_the_profile_settings(sb, home: Path):
    db = Database(home / "other.db")
    profile, secrets = profile_for(sb, receipt_bill_type="SKDLX02_SYS", receipt_purpose="SFKYT02_SYS")
    add_profile(db, profile)
    payment = next(p for p in live_payments(sb) if not p.get("order_id"))
    with workspace(db, profile, secrets) as w:
        assert w.sync(SyncRequest("payments", ids=[payment["_id"]])).failed == 0
    db.close()
    receipt = k3_records(sb, "AR_RECEIVEBILL")[0]
    assert receipt["FBillTypeID"]["FNumber"] == "SKDLX02_SYS"
    assert receipt["FRECEIVEBILLENTRY"][0]["FPURPOSEID"]["FNumber"] == "SFKYT02_SYS"
    assert receipt["FRECEIVEBILLENTRY"][0]["FSETTLETYPEID"]["FNumber"] == "JSFS04_SYS"
