"""Deliveries: audited out-stock bills update the Fxiaoke order and message its owner once, never twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from core.sandbox import start_sandbox
from core.store import Database, DeliveryNotice
from core.sync.engine import SyncRequest
from tests.helpers_sync import add_profile, fx_records, live_orders, profile_for, text_of, workspace


@pytest.fixture
def sb():
    with start_sandbox(seed=9, demo_sizes={"orders": 20, "customers": 10, "products": 8}) as s:
        yield s


@pytest.fixture
def engine(sb, home: Path):
    db = Database(home / "fxk3sync.db")
    profile, secrets = profile_for(sb)
    add_profile(db, profile)
    with workspace(db, profile, secrets) as eng:
        yield eng
    db.close()


def messages(sb) -> list[dict]:
    return sb.fx_app.admin("messages", {})["messages"]


def synced_and_shipped(sb, engine, n: int) -> list[dict]:
    orders = live_orders(sb, 8)
    assert engine.sync(SyncRequest("orders", ids=[o["_id"] for o in orders])).failed == 0
    shipped = sb.k3_app.admin("ship", {"bill_nos": [o["name"] for o in orders[:n]]})
    assert len(shipped["bill_nos"]) == n
    return orders[:n]


def test_shipment_updates_the_order_and_messages_its_owner_once(sb, engine):
    shipped = synced_and_shipped(sb, engine, 3)
    summary = engine.sync(SyncRequest("deliveries"))
    assert (summary.updated, summary.failed) == (3, 0)
    assert {fx_id for i in summary.items for fx_id in i.fx_ids} == {o["_id"] for o in shipped}
    # the shipment bill is the source record of this flow: the same id on every run
    assert all(i.k3_number.startswith("XSCKD") and i.source_id == i.k3_number for i in summary.items)
    by_id = {r["_id"]: r for r in fx_records(sb, "SalesOrderObj")}
    assert [by_id[o["_id"]]["logistics_status"] for o in shipped] == ["3", "3", "3"]
    msgs = messages(sb)
    assert len(msgs) == 3
    for o in shipped:
        mine = [m for m in msgs if o["name"] in m["content"]]
        assert len(mine) == 1 and mine[0]["toUser"] == o["owner"]
        assert "已发货" in mine[0]["content"] and "has shipped" in mine[0]["content"]
    again = engine.sync(SyncRequest("deliveries"))
    assert (again.updated, again.skipped) == (0, 3)
    assert len(messages(sb)) == 3
    again = engine.sync(SyncRequest("deliveries", since=datetime.now(UTC) - timedelta(days=2)))
    assert again.updated == 0 and len(messages(sb)) == 3


def test_a_refused_message_is_sent_by_the_next_run(sb, engine):
    order = synced_and_shipped(sb, engine, 1)[0]
    owner = order["owner"]
    sb.fx_app.crm.objects["SalesOrderObj"][order["_id"]]["owner"] = ["FSUID_LEFT_THE_COMPANY"]  # -> 11016 refused
    failed = engine.sync(SyncRequest("deliveries"))
    assert failed.failed == 1 and "11016" in text_of(failed.items[0].error) and messages(sb) == []
    with engine.db.session() as s:
        assert s.query(DeliveryNotice).count() == 0  # surely not sent: not claimed
    sb.fx_app.crm.objects["SalesOrderObj"][order["_id"]]["owner"] = owner
    ok = engine.sync(SyncRequest("deliveries"))
    assert ok.updated == 1 and [m["toUser"] for m in messages(sb)] == [owner]


def test_a_message_whose_send_outcome_is_unknown_is_never_sent_again(sb, engine):
    order = synced_and_shipped(sb, engine, 1)[0]
    sb.fx_app.crm.objects["SalesOrderObj"][order["_id"]]["logistics_status"] = "3"  # no status write needed
    engine.fx.token()
    sb.fx_server.set_faults(ambiguous_writes=1)  # the message lands, its answer is dropped
    first = engine.sync(SyncRequest("deliveries"))
    assert first.failed == 1 and first.items[0].error.side == "fxiaoke"
    assert len(messages(sb)) == 1
    second = engine.sync(SyncRequest("deliveries"))
    assert second.skipped == 1 and len(messages(sb)) == 1
    with engine.db.session() as s:
        assert s.query(DeliveryNotice).count() == 1


def test_dry_run_deliveries_change_nothing(sb, engine):
    shipped = synced_and_shipped(sb, engine, 2)
    summary = engine.sync(SyncRequest("deliveries", dry_run=True))
    assert summary.updated == 2
    assert messages(sb) == []
    by_id = {r["_id"]: r for r in fx_records(sb, "SalesOrderObj")}
    assert [by_id[o["_id"]]["logistics_status"] for o in shipped] == ["1", "1"]


def test_two_out_stocks_of_one_order_message_once_each_and_a_k3_only_order_is_left_alone(sb, engine):
    import json as _json

    (order,) = synced_and_shipped(sb, engine, 1)
    sb.k3_app.admin("ship", {"bill_nos": [order["name"]]})  # a second, partial shipment of the same order
    package = _json.loads(engine.preview("orders", live_orders(sb, 8)[-1]["_id"]))
    package["Model"]["FBillNo"] = "K3-ONLY-1"  # typed in K3Cloud, never in Fxiaoke
    assert engine.k3.save("SAL_SaleOrder", package["Model"], idem_key="K3-ONLY-1").ok
    sb.k3_app.admin("ship", {"bill_nos": ["K3-ONLY-1"]})
    run = engine.sync(SyncRequest("deliveries"))
    ours = [i for i in run.items if order["_id"] in i.fx_ids]
    assert [i.status for i in ours] == ["updated", "updated"] and len({i.k3_number for i in ours}) == 2
    other = [i for i in run.items if not i.fx_ids]
    assert [i.status for i in other] == ["skipped"] and other[0].error is None
    assert len(messages(sb)) == 2 and all(m["toUser"] == order["owner"] for m in messages(sb))
    again = engine.sync(SyncRequest("deliveries"))
    assert again.updated == 0 and len(messages(sb)) == 2


def test_lower_bound_is_since_else_the_watermark_less_an_overlap_else_30_days(engine):
    from core.sync.shipments import WATERMARK, since_text

    shanghai = timezone(timedelta(hours=8))
    assert since_text(engine.journal, datetime(2026, 11, 1, tzinfo=shanghai)) == "2026-11-01 00:00:00"
    start = datetime.fromisoformat(since_text(engine.journal, None)).replace(tzinfo=shanghai)
    assert abs((datetime.now(UTC) - start) - timedelta(days=30)) < timedelta(minutes=1)
    engine.journal.set_watermark(WATERMARK, "2026-11-20T10:00:00")
    assert since_text(engine.journal, None) == "2026-11-20 09:55:00"  # same-second approvals are read again
