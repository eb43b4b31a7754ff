"""The write pipeline: a bounded number of K3Cloud requests in flight, Submit/Audit over many numbers, exactly-once
and cancel unchanged (issue 15)."""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from core.sandbox import start_sandbox
from core.store import SyncItem
from core.sync.engine import SyncRequest
from core.workspace import Workspace
from tests.helpers_sync import (
    add_profile,
    k3_number_counts,
    k3_records,
    live_orders,
    of,
    profile_for,
    text_of,
    workspace,
)


@pytest.fixture
def sb():
    with start_sandbox(seed=5, demo_sizes={"orders": 70, "customers": 12, "products": 10, "under_review": 0,
                                           "ineffective": 0, "missing_material": 0}) as s:
        yield s


def engine(sb, db, **overrides) -> Workspace:
    profile, secrets = profile_for(sb, batch_size=5, **overrides)
    add_profile(db, profile)
    return workspace(db, profile, secrets)


def each_once(sb, names: list[str]) -> None:
    counts = k3_number_counts(sb, "SAL_SaleOrder", "FBillNo")
    assert {n: counts[n] for n in names} == {n: 1 for n in names}
    assert all(c == 1 for c in counts.values())


def push_customers(sb, db) -> None:
    """The orders' customers are put in K3Cloud first, so the runs under test write orders only."""
    with engine(sb, db, name="prep") as eng:
        eng.sync(SyncRequest("customers", all=True))


@pytest.mark.parametrize("bound", [1, 3])
def test_k3cloud_requests_in_flight_reach_the_profiles_bound_and_never_pass_it(sb, db, bound):
    orders = live_orders(sb, 50)
    push_customers(sb, db)
    sb.k3_server.set_faults(latency_ms=40)
    sb.k3_server.reset_peak()
    with engine(sb, db, k3_in_flight=bound) as eng:
        run = eng.sync(SyncRequest("orders", ids=[o["_id"] for o in orders]))
    assert (of(run).created, of(run).failed) == (50, 0)
    assert {i.stage for i in run.items} == {"audited"}
    assert sb.k3_server.reset_peak() == bound, "the sandbox saw exactly the bound at once"
    each_once(sb, [o["name"] for o in orders])


def test_submit_and_audit_take_many_numbers_per_call_and_a_refusal_stays_with_its_document(sb, db, proxy):
    orders = live_orders(sb, 50)
    push_customers(sb, db)
    refused = orders[27]["name"]  # in the middle of the second (pipelined) stage batch
    sb.k3_app.admin("knobs", {"refuse_ops": {"audit": [refused]}})
    calls: Counter[str] = Counter()
    sizes: list[int] = []

    def counting(op: str):
        def hook(form_id, data):
            calls[op] += 1
            sizes.append(len(data.get("Numbers") or []))
            return data
        return hook

    proxy.hooks["submit"], proxy.hooks["audit"] = counting("submit"), counting("audit")
    profile, secrets = profile_for(sb, batch_size=5, k3_url=proxy.url)
    add_profile(db, profile)
    with workspace(db, profile, secrets) as eng:
        run = eng.sync(SyncRequest("orders", ids=[o["_id"] for o in orders]))
        # the first chunk goes alone (5 documents), the other 45 in one Submit and one Audit
        assert calls == {"submit": 2, "audit": 2} and max(sizes) == 45
        bad = [i for i in run.items if i.k3_number == refused]
        assert len(bad) == 1 and (bad[0].status, bad[0].stage) == ("failed", "submitted")
        assert "audit" in text_of(bad[0].error).lower()
        assert (of(run).created, of(run).failed) == (49, 1)
        assert {i.stage for i in run.items if i.k3_number != refused} == {"audited"}
        sb.k3_app.admin("knobs", {"refuse_ops": {}})
        again = eng.sync(SyncRequest("orders", ids=[o["_id"] for o in orders]))
    assert [(i.status, i.stage) for i in again.items if i.k3_number == refused] == [("updated", "audited")]
    assert of(again).skipped == 49
    statuses = {str(r["FBillNo"]): r["FDocumentStatus"] for r in k3_records(sb, "SAL_SaleOrder")}
    assert {statuses[o["name"]] for o in orders} == {"C"}
    each_once(sb, [o["name"] for o in orders])


def test_a_cancel_while_chunks_are_in_flight_sends_nothing_more_and_a_rerun_completes_each_once(sb, db):
    orders = live_orders(sb, 60)
    push_customers(sb, db)
    sb.k3_server.set_faults(latency_ms=30)
    cancel = threading.Event()
    seen: list[str] = []

    def on_progress(p) -> None:
        seen.append(p.phase)
        if p.phase == "write" and p.item is None and seen.count("write") >= 3:
            cancel.set()  # during the pipeline: the first chunk went alone, then a chunk of the window answered

    with engine(sb, db, k3_in_flight=3) as eng:
        first = eng.sync(SyncRequest("orders", ids=[o["_id"] for o in orders]), cancel=cancel,
                         on_progress=on_progress)
        assert first.cancelled
        created = of(first).created
        assert 5 < created < 60, "what was in flight finished; nothing more was sent"
        assert {i.stage for i in first.items if i.status == "created"} == {"audited"}, "landed ones were finished"
        assert len(k3_records(sb, "SAL_SaleOrder")) == created
        with db.session() as s:
            assert s.query(SyncItem).filter(SyncItem.state.in_(("pending", "writing"))).count() == 0
        second = eng.sync(SyncRequest("orders", ids=[o["_id"] for o in orders]))
    assert (of(second).skipped, of(second).created, of(second).failed) == (created, 60 - created, 0)
    each_once(sb, [o["name"] for o in orders])
