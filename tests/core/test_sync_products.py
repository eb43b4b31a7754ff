"""Products: audited K3Cloud materials upserted into Fxiaoke ProductObj by product code, incremental, resumable."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from core.sandbox import start_sandbox
from core.store import Database
from core.sync.engine import SyncRequest
from core.sync.products import WATERMARK
from core.sync.products_plan import estimate_seconds, estimate_text, needs_notice
from tests.helpers_core import FakeClock
from tests.helpers_flows import add_materials, add_unit, products_by_code
from tests.helpers_sync import add_profile, fx_records, k3_records, profile_for, workspace


@pytest.fixture
def sb():
    with start_sandbox(seed=5, demo_sizes={"orders": 10, "customers": 5, "products": 8}) as s:
        yield s


@pytest.fixture
def ws(sb, home: Path):
    db = Database(home / "fxk3sync.db")
    profile, secrets = profile_for(sb)
    add_profile(db, profile)
    with workspace(db, profile, secrets) as w:
        yield w
    db.close()


def products(sb) -> dict[str, list[dict]]:
    return products_by_code(fx_records(sb, "ProductObj"))


def test_materials_are_created_or_updated_by_code_and_a_second_run_writes_nothing(sb, ws):
    new = [f"NEW-{i:03d}" for i in range(12)]
    add_materials(ws.k3, new)
    add_materials(ws.k3, ["DRAFT-1"], audit=False)  # not audited: not a product yet
    sb.k3_app.admin("forbid", {"number": "MAT-0002"})  # forbidden: left alone
    summary = ws.sync(SyncRequest("products"))
    by = {i.source_id: i for i in summary.items}
    assert [by[n].status for n in new] == ["created"] * 12
    assert "DRAFT-1" not in by and "MAT-0002" not in by
    assert summary.counts["updated"] == 7  # the demo products carry the spec in their names: K3Cloud's name wins
    have = products(sb)
    assert all(len(have[n]) == 1 for n in new + ["MAT-0001"])
    made = have["NEW-003"][0]
    assert (made["name"], made["specification"], made["unit"]) == ("新物料 NEW-003", "规格 NEW-003", "1")  # 个
    assert made["price"] == "0.00"  # required by the tenant, not in K3Cloud: a neutral value on create only
    material = next(r for r in k3_records(sb, "BD_MATERIAL") if r["FNumber"] == "MAT-0001")
    assert have["MAT-0001"][0]["name"] == material["FName"]
    assert by["NEW-003"].fx_ids == (made["_id"],)

    again = ws.sync(SyncRequest("products"))
    assert again.counts["created"] == again.counts["updated"] == 0 and again.counts["skipped"] == len(again.items)
    assert {k: len(v) for k, v in products(sb).items()} == {k: len(v) for k, v in have.items()}


def test_a_renamed_material_is_updated_by_the_next_incremental_run(home: Path):
    clock = FakeClock(time.time())
    with start_sandbox(seed=5, demo_sizes={"orders": 10, "customers": 5, "products": 8}, clock=clock) as sb:
        db = Database(home / "clocked.db")
        profile, secrets = profile_for(sb)
        with workspace(db, profile, secrets) as ws:
            clock.advance(3600)
            sb.k3_app.admin("rename", {"number": "MAT-0002", "specification": "DN15"})
            assert ws.sync(SyncRequest("products")).failed == 0  # the first run: every material
            clock.advance(3600)  # an hour later a clerk renames another material in K3Cloud
            sb.k3_app.admin("rename", {"number": "MAT-0004", "name": "改名后的物料", "specification": "DN999"})
            run = ws.sync(SyncRequest("products"))
            # only what changed since the watermark (the last change, read again by the overlap, is equal now)
            assert [(i.source_id, i.status) for i in run.items] == [("MAT-0002", "skipped"), ("MAT-0004", "updated")]
            p = products(sb)["MAT-0004"][0]
            assert (p["name"], p["specification"]) == ("改名后的物料", "DN999")
            assert ws.sync(SyncRequest("products")).counts["updated"] == 0
        db.close()


def test_duplicate_codes_and_unknown_units_are_held_naming_what_to_fix(sb, ws):
    first = products(sb)["MAT-0005"][0]
    sb.fx_app.admin("add_records", {"api_name": "ProductObj", "records": [
        {"name": "重复的产品", "product_code": "MAT-0005", "unit": "1", "price": "1.00"}]})
    add_unit(ws.k3, "Box", "箱")
    add_materials(ws.k3, ["BOXED-1"], unit="Box")
    summary = ws.sync(SyncRequest("products"))
    by = {i.source_id: i for i in summary.items}
    dup = by["MAT-0005"]
    assert dup.status == "held" and dup.error.code == "duplicate_product_code"
    assert first["_id"] in dup.error.text("zh") and "MAT-0005" in dup.error.text("en")
    assert len(dup.error.details["ids"]) == 2
    boxed = by["BOXED-1"]
    assert boxed.status == "held" and boxed.error.code == "unit_not_in_fxiaoke" and "箱" in boxed.error.text("en")
    assert "BOXED-1" not in products(sb) and not summary.has_problems
    # both stay open: the next incremental run looks at them again, even with nothing new since the watermark
    ws.journal.set_watermark(WATERMARK, "2099-01-01T00:00:00")
    again = ws.sync(SyncRequest("products"))
    assert sorted(i.source_id for i in again.items) == ["BOXED-1", "MAT-0005"]


def test_a_run_stopped_part_way_carries_on_next_time_without_duplicates(sb, ws):
    numbers = [f"RES-{i:03d}" for i in range(40)]
    add_materials(ws.k3, numbers)
    cancel = threading.Event()
    seen: list[str] = []

    def progress(event) -> None:
        if event.item is not None:
            seen.append(event.item.source_id)
            if len(seen) == 25:
                cancel.set()

    first = ws.sync(SyncRequest("products"), cancel=cancel, on_progress=progress)
    assert first.cancelled and 0 < len(first.items) < 48
    done = {i.source_id for i in first.items}
    assert not set(numbers) <= done
    rest = ws.sync(SyncRequest("products"))
    assert {i.source_id for i in rest.items if i.status == "created"} == set(numbers) - done
    have = products(sb)
    assert all(len(have[n]) == 1 for n in numbers)


def test_the_estimate_follows_fxiaokes_limit_and_a_dry_run_writes_nothing(sb, ws):
    assert estimate_seconds(0, 0) == 0 and not needs_notice(100, 100) and needs_notice(101, 0)
    assert estimate_seconds(250, 0) == pytest.approx(2 * 20 + 250 * 0.2)  # three windows of 100 creates
    assert estimate_seconds(150, 150) == pytest.approx(20 + 300 * 0.2)  # creates and updates are two endpoints
    assert "约 2 分钟" in estimate_text(250, 0).zh and "about 2 minutes" in estimate_text(250, 0).en
    add_materials(ws.k3, ["DRY-1"])
    before = fx_records(sb, "ProductObj")
    plans = []
    dry = ws.sync(SyncRequest("products", dry_run=True), on_progress=lambda e: plans.append(e) if e.phase == "plan"
                  else None)
    assert {i.source_id: i.status for i in dry.items}["DRY-1"] == "created"
    assert plans and plans[0].counts == {"created": 1, "updated": 8} and plans[0].total == 9
    assert fx_records(sb, "ProductObj") == before and ws.journal.watermark(WATERMARK) is None
