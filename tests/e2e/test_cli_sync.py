"""``fxk3sync sync`` end to end: the CLI in a subprocess against the sandbox over real HTTP, counting what K3 holds.

The fault trials (SIGKILL, two processes, a flaky network) live in tests/chaos."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.sandbox import start_sandbox
from core.sync.lock import ProfileLock
from tests.helpers_sync import (
    ITEM_KEYS,
    PROFILE,
    ROOT,
    SUMMARY_KEYS,
    cli,
    cli_add_profile,
    env_with_home,
    exchange_endpoints,
    flow_view,
    fx_records,
    ids_of,
    is_write,
    k3_number_counts,
    k3_records,
    live_orders,
    sync_json,
)

SIZES = {"orders": 220, "customers": 40, "products": 20}


@pytest.fixture
def sb():
    with start_sandbox(seed=11, demo_sizes=SIZES) as s:
        yield s


@pytest.fixture
def env(sb, cli_env):
    cli_add_profile(cli_env, sb)
    return cli_env


def assert_exactly_once(sb, orders: list[dict]) -> None:
    counts = k3_number_counts(sb, "SAL_SaleOrder", "FBillNo")
    missing = [o["name"] for o in orders if counts[o["name"]] == 0]
    dups = [n for n, c in counts.items() if c > 1]
    assert not missing and not dups, (missing[:5], dups[:5])


def test_json_output_is_the_contract_and_a_second_run_creates_nothing(sb, env):
    orders = live_orders(sb, 50)
    code, out, err = sync_json(env, PROFILE, "orders", "--ids", ids_of(orders))
    assert code == 0, err
    assert set(out) == SUMMARY_KEYS and out["dry_run"] is False and out["error"] is None
    assert all(set(i) == ITEM_KEYS for i in out["items"])
    out = flow_view(out)
    assert (out["created"], out["failed"]) == (50, 0)
    assert all(i["status"] == "created" and i["error"] is None for i in out["items"])
    assert {i["source_number"] for i in out["items"]} == {o["name"] for o in orders}
    assert {i["k3_number"] for i in out["items"]} == {o["name"] for o in orders}
    assert_exactly_once(sb, orders)
    held = len(k3_records(sb, "SAL_SaleOrder")), len(k3_records(sb, "BD_Customer"))
    code, out, err = sync_json(env, PROFILE, "orders", "--ids", ids_of(orders))
    assert code == 0, err
    assert (out["created"], out["skipped"]) == (0, 50)
    assert (len(k3_records(sb, "SAL_SaleOrder")), len(k3_records(sb, "BD_Customer"))) == held


def test_sessions_and_tokens_expiring_often_change_nothing(sb, env):
    orders = live_orders(sb, 60)
    sb.k3_app.admin("knobs", {"session_expire_after_calls": 25})
    sb.fx_app.admin("knobs", {"token_expire_after_calls": 30})
    update = ["--ids", ids_of(orders)]
    from tests.helpers_sync import update_profile

    update_profile(Path(env["FXK3SYNC_HOME"]), PROFILE, batch_size=5)
    code, out, err = sync_json(env, PROFILE, "orders", *update)
    assert code == 0, err
    assert (flow_view(out)["created"], out["failed"]) == (60, 0)
    assert_exactly_once(sb, orders)


def test_an_ambiguous_write_leaves_exactly_one_document(sb, env):
    orders = live_orders(sb, 30)
    code, _, err = sync_json(env, PROFILE, "customers", "--ids", ",".join({o["account_id"] for o in orders}))
    assert code == 0, err
    sb.k3_server.set_faults(ambiguous_writes=1)  # the order BatchSave lands on the server, the answer is lost
    code, out, err = sync_json(env, PROFILE, "orders", "--ids", ids_of(orders))
    assert code == 0, err
    assert flow_view(out)["created"] == 30 and out["failed"] == 0
    assert_exactly_once(sb, orders)
    saves = [e for e in exchange_endpoints(Path(env["FXK3SYNC_HOME"])) if e[1].endswith("BatchSave.common.kdsvc")]
    assert len(saves) == 3  # one customers batch, two order batches of 20: the ambiguous one was not sent again


def test_a_second_sync_of_the_same_profile_on_this_machine_is_refused(sb, env):
    with ProfileLock(PROFILE, wait=0.1):
        r = cli(env, "sync", PROFILE, "orders", "--ids", live_orders(sb, 1)[0]["_id"], "--json")
    assert r.returncode == 2
    assert "正在同步" in r.stderr and "already syncing" in r.stderr
    out = json.loads(r.stdout)  # --json: the contract's object whatever the exit code, saying why
    assert out["items"] == [] and out["error"]["code"] == "busy" and "already syncing" in out["error"]["message"]
    assert len(k3_records(sb, "SAL_SaleOrder")) == 0


def test_a_missing_material_fails_only_its_order_with_the_number(sb, env):
    admin = sb.fx_app.admin
    orders = live_orders(sb, 6)
    pid = admin("add_records", {"api_name": "ProductObj", "records": [
        {"name": "停产阀门", "product_code": "MAT-9", "unit": "1", "price": "9.00"}]})["ids"][0]
    oid = admin("add_records", {"api_name": "SalesOrderObj", "records": [
        {"name": "ORDER-WITH-MAT-9", "account_id": orders[0]["account_id"], "order_time": 1790000000000,
         "owner": orders[0]["owner"]}]})["ids"][0]
    admin("add_records", {"api_name": "SalesOrderProductObj", "records": [
        {"order_id": oid, "product_id": pid, "quantity": "3", "sales_price": "9.00"}]})
    code, out, err = sync_json(env, PROFILE, "orders", "--ids", oid + "," + ids_of(orders))
    assert code == 1, err
    bad = [i for i in out["items"] if i["source_id"] == oid][0]
    assert bad["status"] == "failed" and bad["error"]["side"] == "k3cloud"
    assert "物料 MAT-9 在金蝶中不存在" in bad["error"]["message"]
    assert "material MAT-9 does not exist in K3Cloud" in bad["error"]["message"]
    assert (flow_view(out)["created"], out["failed"]) == (6, 1)
    assert "ORDER-WITH-MAT-9" not in k3_number_counts(sb, "SAL_SaleOrder", "FBillNo")


def test_dry_run_sends_no_write_and_shows_the_payloads(sb, env):
    orders = live_orders(sb, 5)
    before = json.dumps(fx_records(sb, "SalesOrderObj"), sort_keys=True)
    r = cli(env, "sync", PROFILE, "orders", "--ids", ids_of(orders), "--dry-run")
    assert r.returncode == 0, r.stderr
    assert all(o["name"] in r.stdout for o in orders)
    assert '"FBillNo"' in r.stdout and '"FSaleOrderEntry"' in r.stdout
    code, out, _ = sync_json(env, PROFILE, "orders", "--ids", ids_of(orders), "--dry-run")
    assert code == 0 and set(out) == SUMMARY_KEYS and out["dry_run"] is True
    assert {i["status"] for i in flow_view(out)["items"]} == {"created"}  # would be created
    assert "将创建 would create" in r.stdout
    assert len(k3_records(sb, "SAL_SaleOrder")) == 0
    assert json.dumps(fx_records(sb, "SalesOrderObj"), sort_keys=True) == before
    exchanges = exchange_endpoints(Path(env["FXK3SYNC_HOME"]))
    assert exchanges and not [e for e in exchanges if is_write(e[1])]


def test_deliveries_update_the_order_and_message_once(sb, env):
    orders = live_orders(sb, 10)
    code, _, err = sync_json(env, PROFILE, "orders", "--ids", ids_of(orders))
    assert code == 0, err
    shipped = orders[:4]
    sb.k3_app.admin("ship", {"bill_nos": [o["name"] for o in shipped]})
    code, out, err = sync_json(env, PROFILE, "deliveries")
    assert code == 0, err
    assert (out["updated"], out["failed"]) == (4, 0)
    assert {i["source_id"] for i in out["items"]} == {i["k3_number"] for i in out["items"]}  # the shipment bills
    by_id = {r["_id"]: r for r in fx_records(sb, "SalesOrderObj")}
    assert all(by_id[o["_id"]]["logistics_status"] == "3" for o in shipped)
    assert all(by_id[o["_id"]]["logistics_status"] == "1" for o in orders[4:])
    msgs = sb.fx_app.admin("messages", {})["messages"]
    assert sorted(m["toUser"][0] for m in msgs) == sorted(o["owner"][0] for o in shipped)
    code, out, err = sync_json(env, PROFILE, "deliveries", "--since", "2020-01-01")
    assert code == 0 and out["updated"] == 0 and out["skipped"] == 4
    assert len(sb.fx_app.admin("messages", {})["messages"]) == 4


def test_bad_since_and_unreachable_server_give_the_contract_exit_codes(sb, env):
    r = cli(env, "sync", PROFILE, "orders", "--since", "yesterday")
    assert r.returncode == 2 and "--since" in r.stderr
    r = cli(env, "sync", "no-such-profile", "orders", "--all")
    assert r.returncode == 2
    from tests.helpers_sync import update_profile

    update_profile(Path(env["FXK3SYNC_HOME"]), PROFILE, k3_url="http://127.0.0.1:9/K3Cloud/", connect_timeout=1.0)
    r = cli(env, "sync", PROFILE, "orders", "--ids", live_orders(sb, 2)[0]["_id"], "--json")
    assert r.returncode == 3, r.stderr
    out = json.loads(r.stdout)  # --json: one object whatever the exit code
    assert out["items"] == [] and out["error"]["side"] == "k3cloud" and "K3Cloud" in r.stderr
    assert len(k3_records(sb, "SAL_SaleOrder")) == 0
    shutil.rmtree(Path(env["FXK3SYNC_HOME"]) / "locks", ignore_errors=True)


def test_unknown_ids_fail_each_by_name_and_the_rest_go_through(sb, env):
    order = live_orders(sb, 1)[0]
    code, out, err = sync_json(env, PROFILE, "orders", "--ids", f"{order['_id']},nope-1,{'f' * 24}")
    assert code == 1, err
    assert set(out) == SUMMARY_KEYS
    assert (flow_view(out)["created"], out["failed"]) == (1, 2)
    bad = {i["source_id"]: i for i in out["items"] if i["status"] == "failed"}
    assert set(bad) == {"nope-1", "f" * 24}
    for sid, item in bad.items():
        assert set(item) == ITEM_KEYS and item["error"]["side"] == "fxiaoke" and item["error"]["code"] == "not_found"
        assert f"纷享销客中找不到订单 {sid}" in item["error"]["message"]
        assert f"Fxiaoke has no order {sid}" in item["error"]["message"]
    assert k3_number_counts(sb, "SAL_SaleOrder", "FBillNo") == {order["name"]: 1}


@pytest.mark.posix
def test_ctrl_c_stops_after_the_current_chunk_exit_1_and_a_rerun_finishes_each_once(sb, env):
    from tests.helpers_sync import update_profile

    orders = live_orders(sb, 60)
    update_profile(Path(env["FXK3SYNC_HOME"]), PROFILE, batch_size=5)
    sb.k3_server.set_faults(latency_ms=40)
    cmd = [sys.executable, "-m", "core.cli", "sync", PROFILE, "orders", "--ids", ids_of(orders), "--json"]
    proc = subprocess.Popen(cmd, env=env, cwd=str(ROOT), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while len(k3_records(sb, "SAL_SaleOrder")) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)  # wait until the first chunk has landed, then press Ctrl-C once
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, err[-2000:]  # the contract's "not everything went through"
    summary = flow_view(json.loads(out))
    assert 0 < summary["created"] < len(orders)
    sb.k3_server.set_faults(latency_ms=0)
    code, again, err = sync_json(env, PROFILE, "orders", "--ids", ids_of(orders))
    assert code == 0, err[-2000:]
    assert flow_view(again)["created"] + summary["created"] == len(orders)
    assert_exactly_once(sb, orders)
