"""A run stopped by refused credentials after it began writing returns a summary (engine API, as the GUI uses it)."""

from __future__ import annotations

import pytest

from core.sandbox import start_sandbox
from core.store import SyncRun
from core.sync.engine import SyncRequest
from tests.helpers_sync import K3Proxy, add_profile, fx_records, k3_number_counts, live_orders, profile_for, workspace

SIZES = {"orders": 20, "customers": 10, "products": 8}


@pytest.fixture
def sb():
    with start_sandbox(seed=5, demo_sizes=SIZES) as s:
        yield s


def test_fxiaoke_secret_revoked_during_write_back_ends_the_run_with_a_summary_and_retry_finishes_each_once(sb, db):
    proxy = K3Proxy(sb)
    try:
        profile, secrets = profile_for(sb, k3_url=proxy.url, batch_size=4, writeback=True)
        add_profile(db, profile)
        orders = live_orders(sb, 12)
        with workspace(db, profile, secrets) as engine:
            pushed = engine.sync(SyncRequest("customers", ids=list({o["account_id"] for o in orders})))
            assert pushed.failed == 0 and pushed.aborted is None
            secret = sb.fx_app.app_secret

            def revoke() -> None:  # the Fxiaoke app secret is reset while the first order chunk is written
                proxy.after.pop("batchsave")
                sb.fx_app.app_secret = "reset-by-admin"
                sb.fx_app.tokens = {}

            proxy.after["batchsave"] = revoke
            events = []
            summary = engine.sync(SyncRequest("orders", ids=[o["_id"] for o in orders]), on_progress=events.append)
            assert summary.aborted is not None and summary.aborted.side == "fxiaoke" and summary.wrote
            assert (summary.created, summary.failed) == (4, 8)
            assert {i.error.code for i in summary.items if i.status == "failed"} == {"stopped_not_sent"}
            assert all(i.stage == "audited" and i.error.code == "stopped_unfinished"
                       for i in summary.items if i.status == "created")
            assert events[-1].phase == "done" and events[-1].done == events[-1].total == 12
            with db.session() as s:
                assert s.get(SyncRun, summary.run_id).status == "failed"

            sb.fx_app.app_secret = secret
            again = engine.retry([i.item_id for i in summary.items])
        assert again.aborted is None and again.failed == 0
        assert (again.created, again.skipped) == (8, 4)
        counts = k3_number_counts(sb, "SAL_SaleOrder", "FBillNo")
        assert {o["name"]: counts[o["name"]] for o in orders} == {o["name"]: 1 for o in orders}
        by_id = {r["_id"]: r for r in fx_records(sb, "SalesOrderObj")}
        assert all(by_id[o["_id"]].get("field_k3_no__c") == o["name"] for o in orders)  # write-back caught up
    finally:
        proxy.close()
