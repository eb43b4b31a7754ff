"""``fxk3sync sync`` stopped mid-run by refused credentials or a dropped network: it still reports what it did."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from core.sandbox import start_sandbox
from core.store import Database, SyncItem, SyncRun
from tests.helpers_sync import (
    PROFILE,
    cli,
    cli_add_profile,
    flow_view,
    ids_of,
    k3_number_counts,
    k3_records,
    live_orders,
    sync_json,
    update_profile,
)

SIZES = {"orders": 30, "customers": 12, "products": 10}
STOPPED = {"stopped_not_sent", "stopped_unconfirmed", "stopped_unfinished"}


@pytest.fixture
def sb():
    with start_sandbox(seed=5, demo_sizes=SIZES) as s:
        yield s


@pytest.fixture
def env(sb, cli_env):
    cli_add_profile(cli_env, sb)
    return cli_env


def assert_exactly_once(sb, orders: list[dict]) -> None:
    counts = k3_number_counts(sb, "SAL_SaleOrder", "FBillNo")
    assert {o["name"]: counts[o["name"]] for o in orders} == {o["name"]: 1 for o in orders}
    assert len(k3_records(sb, "SAL_SaleOrder")) == len(orders)


def journal(home: Path) -> tuple[list[str], dict[str, str]]:
    """(status of each run, last journal state per order source id)."""
    db = Database(home / "fxk3sync.db")
    try:
        with db.session() as s:
            runs = [r.status for r in s.query(SyncRun).order_by(SyncRun.id)]
            states = {i.source_id: i.state for i in s.query(SyncItem).filter(SyncItem.flow == "orders")
                      .order_by(SyncItem.id)}
        return runs, states
    finally:
        db.close()


def push_customers(env, orders: list[dict]) -> None:
    code, _, err = sync_json(env, PROFILE, "customers", "--ids", ",".join({o["account_id"] for o in orders}))
    assert code == 0, err


@pytest.mark.parametrize("audit", [True, False], ids=["submit-audit", "save-only"])
def test_k3_password_changed_after_the_first_chunk_exit_1_with_the_summary_then_a_rerun_finishes_each_once(
        sb, env, proxy, audit):
    orders = live_orders(sb, 20)
    home = Path(env["FXK3SYNC_HOME"])
    push_customers(env, orders)
    update_profile(home, PROFILE, batch_size=5, k3_url=proxy.url, submit=audit, audit=audit)
    ident = sb.k3_app.ident

    def revoke() -> None:  # the administrator changes the integration user's password while the run writes
        proxy.after.pop("batchsave")
        sb.k3_app.ident = dataclasses.replace(ident, password="changed-by-admin")
        sb.k3_app.admin("expire_sessions", {})

    proxy.after["batchsave"] = revoke
    code, out, err = sync_json(env, PROFILE, "orders", "--ids", ids_of(orders))
    assert code == 1, err[-2000:]
    assert out["created"] == 5 and out["failed"] == 15 and out["updated"] == out["skipped"] == 0
    assert sorted(i["source_id"] for i in out["items"]) == sorted(o["_id"] for o in orders)
    assert len(k3_records(sb, "SAL_SaleOrder")) == 5
    stopped = [i for i in out["items"] if i["error"] and i["error"]["code"] in STOPPED]
    assert stopped and all("同步" in i["error"]["message"] and "the sync stopped" in i["error"]["message"].lower()
                           for i in stopped)
    codes = {i["error"]["code"] for i in out["items"] if i["status"] == "failed"}
    # The first call after the password change meets the refusal: the read-back of the first chunk (what K3Cloud
    # stored is read back after every Save), so no later chunk is sent at all, in either mode.
    assert codes == {"stopped_not_sent"}
    assert "用户名或密码" in err or "password" in err.lower()
    runs, states = journal(home)
    assert runs[-1] == "failed"
    assert "pending" not in states.values() and "writing" not in states.values()

    sb.k3_app.ident = ident
    code, again, err = sync_json(env, PROFILE, "orders", "--ids", ids_of(orders))
    assert code == 0, err[-2000:]
    assert again["failed"] == 0 and again["created"] + out["created"] == len(orders)
    assert again["updated"] == (5 if audit else 0)  # the first chunk, saved but not audited, is finished now
    assert_exactly_once(sb, orders)
    assert journal(home)[0][-1] == "done"


def test_network_dropped_after_the_customers_were_pushed_exit_1_orders_not_sent_then_rerun_once(sb, env, proxy):
    orders = live_orders(sb, 8)
    home = Path(env["FXK3SYNC_HOME"])
    update_profile(home, PROFILE, k3_url=proxy.url, connect_timeout=1.0, read_timeout=2.0)

    def drop() -> None:
        proxy.after.pop("batchsave")
        proxy.down = True

    proxy.after["batchsave"] = drop  # the customers' BatchSave lands; then the network is gone
    r = cli(env, "sync", PROFILE, "orders", "--ids", ids_of(orders), "--json")
    assert r.returncode == 1, r.stderr[-2000:]  # customers were written: not "nothing was written" (3)
    whole = json.loads(r.stdout)
    out = flow_view(whole)
    assert (out["created"], out["failed"]) == (0, len(orders))
    assert whole["error"] is not None and whole["error"]["side"] == "k3cloud"  # what stopped the run
    # The customer's document was saved but not submitted/audited: it is reported (its number and the stage it
    # reached), and the orders that need it wait for it; the other orders were never sent.
    (customer,) = flow_view(whole, "customers")["items"]
    assert customer["status"] == "failed" and customer["k3_number"]
    assert "单据已保存到金蝶" in customer["error"]["message"]
    codes = {i["error"]["code"] for i in out["items"]}
    assert codes <= {"stopped_not_sent", "customer_failed", None} and "stopped_not_sent" in codes
    assert all("没有发送到金蝶" in i["error"]["message"] and "was not written to K3Cloud" in i["error"]["message"]
               for i in out["items"] if i["error"]["code"] == "stopped_not_sent")
    assert r.stderr.strip()
    customers = len(k3_records(sb, "BD_Customer"))
    assert customers > 0 and len(k3_records(sb, "SAL_SaleOrder")) == 0

    proxy.down = False
    code, again, err = sync_json(env, PROFILE, "orders", "--ids", ids_of(orders))
    assert code == 0, err[-2000:]
    assert flow_view(again)["created"] == len(orders)
    assert [i["status"] for i in flow_view(again, "customers")["items"]] == ["updated"]  # finished, not created
    assert_exactly_once(sb, orders)
    assert len(k3_records(sb, "BD_Customer")) == customers


def test_wrong_password_before_any_write_exit_3_error_only(sb, env):
    orders = live_orders(sb, 3)
    held = len(k3_records(sb, "SAL_SaleOrder")), len(k3_records(sb, "BD_Customer"))
    sb.k3_app.ident = dataclasses.replace(sb.k3_app.ident, password="not-what-the-profile-has")
    r = cli(env, "sync", PROFILE, "orders", "--ids", ids_of(orders), "--json")
    assert r.returncode == 3, r.stderr[-2000:]
    out = json.loads(r.stdout)  # --json: the contract's object whatever the exit code; nothing in it was written
    assert out["items"] == [] and out["error"]["side"] == "k3cloud" and "password" in out["error"]["message"]
    assert "K3Cloud" in r.stderr
    assert (len(k3_records(sb, "SAL_SaleOrder")), len(k3_records(sb, "BD_Customer"))) == held
    assert journal(Path(env["FXK3SYNC_HOME"]))[0] == ["failed"]
