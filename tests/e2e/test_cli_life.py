"""``fxk3sync sync`` over a record's whole life, end to end (the CLI in a subprocess, the sandbox over real HTTP):
incremental by default, edits updating the same document, audited documents held with the diff, voids, approval,
and a process killed in the middle of an update."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from core.sandbox import start_sandbox
from tests.helpers_sync import (
    ITEM_KEYS,
    PROFILE,
    ROOT,
    cli,
    cli_add_profile,
    exchange_endpoints,
    flow_view,
    fx_records,
    is_write,
    k3_records,
    live_orders,
    sync_json,
    update_profile,
)

SIZES = {"orders": 20, "customers": 8, "products": 8}


@pytest.fixture
def sb():
    with start_sandbox(seed=41, demo_sizes=SIZES) as s:
        yield s


@pytest.fixture
def env(sb, cli_env):
    cli_add_profile(cli_env, sb)
    return cli_env


def k3_order(sb, number: str) -> list[dict]:
    return [r for r in k3_records(sb, "SAL_SaleOrder") if r["FBillNo"] == number]


def first_line(sb, order: dict) -> dict:
    rows = [ln for ln in fx_records(sb, "SalesOrderProductObj") if ln.get("order_id") == order["_id"]]
    return min(rows, key=lambda ln: (ln.get("create_time") or 0, str(ln.get("name") or ""), ln["_id"]))


def by_source(out: dict) -> dict[str, dict]:
    return {i["source_id"]: i for i in out["items"]}


def test_no_selector_is_incremental_and_an_idle_run_writes_nothing(sb, env):
    home = Path(env["FXK3SYNC_HOME"])
    code, out, err = sync_json(env, PROFILE, "orders")  # the scheduled task: no --ids, --all or --since
    assert code == 0, err
    assert flow_view(out)["created"] == len(live_orders(sb))
    before = len(exchange_endpoints(home))
    code, out, err = sync_json(env, PROFILE, "orders")
    assert code == 0, err
    assert out["items"] == [] and all(out[k] == 0 for k in ("created", "updated", "voided", "skipped", "failed"))
    calls = exchange_endpoints(home)[before:]
    assert not [ep for _side, ep in calls if is_write(ep)]
    assert len([c for c in calls if c[0] == "fxiaoke"]) <= 2 and not [c for c in calls if c[0] == "k3cloud"], calls


def test_an_edited_quantity_reaches_k3cloud_in_the_same_document(sb, env):
    update_profile(Path(env["FXK3SYNC_HOME"]), PROFILE, reaudit=True)
    order = live_orders(sb)[2]
    assert sync_json(env, PROFILE, "orders")[0] == 0
    before = k3_order(sb, order["name"])[0]
    sb.fx_app.desk.edit_order(order["name"], lines=[{"_id": first_line(sb, order)["_id"], "quantity": "250"}])
    code, out, err = sync_json(env, PROFILE, "orders")
    assert code == 0, err
    item = by_source(out)[order["_id"]]
    assert set(item) == ITEM_KEYS
    assert (item["status"], item["k3_number"]) == ("updated", order["name"])
    assert {"field": "FSaleOrderEntry[1].FQty", "k3": str(int(before["FSaleOrderEntry"][0]["FQty"])),
            "new": "250"} in item["diff"]
    docs = k3_order(sb, order["name"])
    assert len(docs) == 1 and docs[0]["_id"] == before["_id"] and docs[0]["FDocumentStatus"] == "C"
    assert docs[0]["FSaleOrderEntry"][0]["FQty"] == 250.0
    r = cli(env, "sync", PROFILE, "orders", "--ids", order["name"])  # by its number; human output
    assert r.returncode == 0 and "无变化 skipped" in r.stdout


def test_an_audited_order_with_an_out_stock_is_held_with_the_diff(sb, env):
    update_profile(Path(env["FXK3SYNC_HOME"]), PROFILE, reaudit=True)
    order = live_orders(sb)[0]
    assert sync_json(env, PROFILE, "orders", "--ids", order["_id"])[0] == 0
    sb.k3_app.ship([order["name"]])
    sb.fx_app.desk.edit_order(order["name"], lines=[{"_id": first_line(sb, order)["_id"], "quantity": "3"}])
    before = k3_order(sb, order["name"])[0]
    code, out, err = sync_json(env, PROFILE, "orders", "--ids", order["name"])
    assert code == 0, err  # held is reported, not failed
    item = out["items"][0]
    assert (out["held"], item["status"], item["error"]["code"]) == (1, "held", "k3_audited")
    assert item["diff"][0]["field"] == "FSaleOrderEntry[1].FQty" and item["diff"][0]["new"] == "3"
    assert "变更单" in item["error"]["message"] and "SAL_OUTSTOCK" in item["error"]["message"]
    assert k3_order(sb, order["name"])[0]["FSaleOrderEntry"] == before["FSaleOrderEntry"]


def test_a_voided_unaudited_order_is_deleted_in_k3cloud(sb, env):
    update_profile(Path(env["FXK3SYNC_HOME"]), PROFILE, audit=False)
    orders = live_orders(sb)[:2]
    assert sync_json(env, PROFILE, "orders")[0] == 0
    sb.fx_app.desk.void_order(orders[0]["name"])
    code, out, err = sync_json(env, PROFILE, "orders")
    assert code == 0, err
    assert out["voided"] == 1 and by_source(out)[orders[0]["_id"]]["status"] == "voided"
    assert not k3_order(sb, orders[0]["name"]) and len(k3_order(sb, orders[1]["name"])) == 1


def test_an_order_under_review_is_held_and_goes_through_once_approved(sb, env):
    account = fx_records(sb, "AccountObj")[0]["_id"]
    product = fx_records(sb, "ProductObj")[0]["_id"]
    oid = sb.fx_app.admin("add_records", {"api_name": "SalesOrderObj", "records": [
        {"name": "SO-REVIEW", "account_id": account, "order_time": 1790000000000,
         "life_status": "under_review"}]})["ids"][0]
    sb.fx_app.admin("add_records", {"api_name": "SalesOrderProductObj", "records": [
        {"order_id": oid, "product_id": product, "quantity": "1", "sales_price": "9"}]})
    code, out, err = sync_json(env, PROFILE, "orders")
    assert code == 0, err
    item = by_source(out)[oid]
    assert (item["status"], item["error"]["code"]) == ("held", "not_approved")
    assert "审核中" in item["error"]["message"] and "under review" in item["error"]["message"]
    assert not k3_order(sb, "SO-REVIEW")
    sb.fx_app.desk.approve_order("SO-REVIEW")
    code, out, err = sync_json(env, PROFILE, "orders")
    assert code == 0, err
    assert by_source(out)[oid]["status"] == "created" and len(k3_order(sb, "SO-REVIEW")) == 1


@pytest.mark.posix
def test_sigkill_right_after_an_update_is_sent_then_a_rerun_updates_once(sb, env, proxy):
    home = Path(env["FXK3SYNC_HOME"])
    update_profile(home, PROFILE, reaudit=True, k3_url=proxy.url)
    order = live_orders(sb)[1]
    assert sync_json(env, PROFILE, "orders", "--ids", order["_id"])[0] == 0
    before = k3_order(sb, order["name"])[0]
    sb.fx_app.desk.edit_order(order["name"], lines=[{"_id": first_line(sb, order)["_id"], "quantity": "77"}],
                              add_lines=[{"product_code": "MAT-0004", "quantity": "5"}])
    cmd = [sys.executable, "-m", "core.cli", "sync", PROFILE, "orders", "--ids", order["_id"], "--json"]
    victim: list[int] = []
    # the update's Save reaches K3Cloud, then the process dies before it reads the answer
    proxy.after["batchsave"] = lambda: (os.kill(victim[0], signal.SIGKILL), proxy.after.pop("batchsave"))
    proc = subprocess.Popen(cmd, env=env, cwd=str(ROOT), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    victim.append(proc.pid)
    proc.wait(60)
    assert proc.returncode == -signal.SIGKILL
    landed = k3_order(sb, order["name"])[0]
    assert landed["FDocumentStatus"] == "D" and landed["FSaleOrderEntry"][0]["FQty"] == 77.0  # un-audited, saved
    sent: list[str] = []
    for op in ("batchsave", "save", "unaudit", "cancelassign", "delete"):
        proxy.after[op] = lambda op=op: sent.append(op)
    code, out, err = sync_json(env, PROFILE, "orders", "--ids", order["_id"])
    assert code == 0, err
    assert out["items"][0]["status"] == "updated" and out["failed"] == 0
    assert sent == []  # the rerun read the document back and found the update there: nothing sent again
    docs = k3_order(sb, order["name"])
    assert len(docs) == 1 and docs[0]["_id"] == before["_id"] and docs[0]["FBillNo"] == order["name"]
    assert docs[0]["FDocumentStatus"] == "C"  # taken back to audited by the rerun
    entries = docs[0]["FSaleOrderEntry"]
    assert len(entries) == len(before["FSaleOrderEntry"]) + 1  # the new line once, never twice
    assert [e["FEntryID"] for e in entries[:-1]] == [e["FEntryID"] for e in before["FSaleOrderEntry"]]
    assert entries[0]["FQty"] == 77.0 and entries[-1]["FQty"] == 5.0
