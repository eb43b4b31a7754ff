"""The write-back lane: records are synced when K3Cloud has them, the K3Cloud numbers go to Fxiaoke in their own lane
at its pace, queued in the journal, and a run that ends first leaves the rest for the next run (issue 15)."""

from __future__ import annotations

import json
import threading

import pytest

from core.fxiaoke.pacing import PacingConfig, shared_pacer
from core.sandbox import start_sandbox
from core.sync.engine import SyncRequest
from core.sync.model import Progress
from core.sync.wb_lane import queue_name
from core.views import RateWait
from tests.helpers_sync import add_profile, fx_records, live_orders, of, profile_for, workspace

SIZES = {"orders": 40, "customers": 10, "products": 8, "under_review": 0, "ineffective": 0, "missing_material": 0}


@pytest.fixture
def sb():
    with start_sandbox(seed=8, demo_sizes=SIZES) as s:
        yield s


def written_back(sb, orders) -> list[str]:
    by_id = {r["_id"]: r for r in fx_records(sb, "SalesOrderObj")}
    return [o["_id"] for o in orders if by_id[o["_id"]].get("field_k3_no__c") == o["name"]]


def test_a_run_that_ends_first_leaves_the_write_backs_queued_and_the_next_run_drains_them(sb, db):
    orders = live_orders(sb, 30)
    ids = [o["_id"] for o in orders]
    profile, secrets = profile_for(sb, batch_size=5, writeback=True)
    add_profile(db, profile)
    with workspace(db, profile, secrets) as ws:
        ws.sync(SyncRequest("customers", all=True))
        sb.fx_server.set_faults(latency_ms=60)  # each update takes a while: the lane is still busy at the end
        cancel = threading.Event()
        lane: list[Progress] = []

        def on_progress(p) -> None:
            if isinstance(p, Progress) and p.lane == "fxiaoke":
                lane.append(p)
                if p.done >= 8:
                    cancel.set()  # the K3Cloud work is done; the clerk closes the window while numbers go back

        first = ws.sync(SyncRequest("orders", ids=ids), cancel=cancel, on_progress=on_progress)
        assert of(first).created == 30 and {i.stage for i in first.items if i.flow == "orders"} == {"audited"}
        done = written_back(sb, orders)
        assert 8 <= len(done) < 30, "synced when K3Cloud had them; the write-back was cut short"
        assert lane[-1].total == 25, "the first chunk's 5 went back in line; the lane counted the other 25"
        assert all(a.done <= b.done for a, b in zip(lane, lane[1:], strict=False))
        queued = json.loads(ws.journal.watermark(queue_name("SalesOrderObj")))
        assert set(queued) == set(ids) - set(done), "the rest is queued in the journal"
        assert all(queued[o["_id"]] == o["name"] for o in orders if o["_id"] in queued)

        sb.fx_server.set_faults(latency_ms=0)
        second = ws.sync(SyncRequest("orders", ids=ids[:1]))  # any run of the flow drains the queue
    assert of(second).skipped == 1
    assert written_back(sb, orders) == ids
    assert json.loads(ws.journal.watermark(queue_name("SalesOrderObj"))) == {}


def test_the_lane_waits_on_fxiaokes_limit_without_a_rate_limit_error_and_says_how_long(sb, db):
    orders = live_orders(sb, 40)
    # Fxiaoke's limit scaled down (12 calls per 1.5 s) on both sides: the sandbox enforces it, the client keeps to it.
    sb.fx_app.admin("knobs", {"rate_limit_calls": 12, "rate_limit_window_s": 1.5})
    profile, secrets = profile_for(sb, batch_size=5, writeback=True)
    shared_pacer(profile.fx_url, profile.fx_app_id, PacingConfig(calls=12, window_s=1.5))
    add_profile(db, profile)
    events: list[object] = []
    with workspace(db, profile, secrets) as ws:
        ws.sync(SyncRequest("customers", all=True))
        run = ws.sync(SyncRequest("orders", ids=[o["_id"] for o in orders]), on_progress=events.append)
    assert of(run).created == 40 and run.failed == 0
    assert written_back(sb, orders) == [o["_id"] for o in orders]
    waits = [e for e in events if isinstance(e, RateWait)]
    assert waits and all(w.calls == 12 and w.window_s == 1.5 and 0 < w.seconds <= 1.6 for w in waits)
    lane = [e for e in events if isinstance(e, Progress) and e.lane == "fxiaoke"]
    assert lane[-1].done == lane[-1].total == 35
