"""``fxk3sync sync NAME deliveries|products`` end to end: partial shipments over delivery notices and a return;
200 materials upserted into ProductObj with the time it takes on stderr, a renamed material updated next run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.sandbox import start_sandbox
from core.store import Database
from tests.helpers_flows import add_materials, products_by_code
from tests.helpers_sync import (
    PROFILE,
    cli,
    cli_add_profile,
    fx_records,
    k3_records,
    live_orders,
    profile_for,
    sync_json,
    workspace,
)


@pytest.fixture
def sb():
    with start_sandbox(seed=14, demo_sizes={"orders": 20, "customers": 10, "products": 8}) as s:
        yield s


def k3_client_of(sb, tmp_path: Path):
    db = Database(tmp_path / "helper.db")
    profile, secrets = profile_for(sb, name="helper")
    return db, workspace(db, profile, secrets)


def test_profile_add_takes_the_shipment_form_and_two_notices_then_a_return_report_each_once(sb, cli_env):
    c = sb.credentials()
    bad = cli(cli_env, "profile", "add", "x", "--fx-app-id", "a", "--fx-open-user-id", "u", "--k3-url",
              c["k3cloud"]["url"], "--k3-acct-id", "1", "--k3-user", "u", "--k3-shipment-form", "SAL_SALEORDER")
    assert bad.returncode == 2 and "SAL_DELIVERYNOTICE" in bad.stderr
    cli_add_profile(cli_env, sb)
    r = cli(cli_env, "profile", "remove", PROFILE)
    assert r.returncode == 0
    fx, k3 = c["fxiaoke"], c["k3cloud"]
    r = cli(cli_env, "profile", "add", PROFILE, "--fx-url", fx["url"], "--fx-app-id", fx["app_id"],
            "--fx-open-user-id", fx["open_user_id"], "--k3-url", k3["url"], "--k3-acct-id", k3["acct_id"],
            "--k3-user", k3["username"], "--k3-shipment-form", "SAL_DELIVERYNOTICE")
    assert r.returncode == 0, r.stderr
    for key, value in (("fx-app-secret", fx["app_secret"]), ("fx-permanent-code", fx["permanent_code"]),
                       ("k3-password", k3["password"])):
        assert cli(cli_env, "secret", "set", PROFILE, key, stdin=value + "\n").returncode == 0
    listed = cli(cli_env, "profile", "list", "--json")
    assert '"k3_shipment_form": "SAL_DELIVERYNOTICE"' in listed.stdout

    orders = live_orders(sb, 6)
    code, out, err = sync_json(cli_env, PROFILE, "orders", "--ids", ",".join(o["_id"] for o in orders))
    assert code == 0, err
    k3 = {r["FBillNo"]: r for r in k3_records(sb, "SAL_SaleOrder")}
    order = next(o for o in orders if all(ln["FQty"] >= 2 for ln in k3[o["name"]]["FSaleOrderEntry"]))
    half = {str(ln["FSeq"]): int(ln["FQty"]) // 2 for ln in k3[order["name"]]["FSaleOrderEntry"]}
    sb.k3_app.admin("ship", {"bill_nos": [order["name"]], "form_id": "SAL_DELIVERYNOTICE",
                             "lines": {order["name"]: half}})
    sb.k3_app.admin("ship", {"bill_nos": [order["name"]], "form_id": "SAL_OUTSTOCK"})  # not this profile's form

    def status() -> str:
        return next(o for o in fx_records(sb, "SalesOrderObj") if o["_id"] == order["_id"])["logistics_status"]

    code, out, err = sync_json(cli_env, PROFILE, "deliveries")
    assert code == 0, err
    assert [(i["status"], i["k3_number"][:5]) for i in out["items"]] == [("updated", "FHTZD")]
    assert status() == "2"
    sb.k3_app.admin("ship", {"bill_nos": [order["name"]], "form_id": "SAL_DELIVERYNOTICE", "remaining": True})
    code, out, err = sync_json(cli_env, PROFILE, "deliveries")
    assert code == 0 and out["updated"] == 1 and status() == "3"
    msgs = sb.fx_app.admin("messages", {})["messages"]
    assert len(msgs) == 2 and "部分发货" in msgs[0]["content"] and "has shipped" in msgs[1]["content"]
    sb.k3_app.admin("return", {"bill_no": order["name"], "lines": {"1": 1}})
    code, out, err = sync_json(cli_env, PROFILE, "deliveries")
    assert code == 0 and out["updated"] == 1 and status() == "2"
    assert len(sb.fx_app.admin("messages", {})["messages"]) == 3
    code, out, err = sync_json(cli_env, PROFILE, "deliveries", "--since", "2020-01-01")
    assert code == 0 and out["updated"] == 0 and len(sb.fx_app.admin("messages", {})["messages"]) == 3


@pytest.mark.slow
def test_200_materials_are_upserted_with_the_time_on_stderr_and_a_rename_is_updated_next_run(sb, cli_env, tmp_path):
    db, helper = k3_client_of(sb, tmp_path)
    with helper:
        add_materials(helper.k3, [f"BULK-{i:04d}" for i in range(200)])
    db.close()
    cli_add_profile(cli_env, sb)
    r = cli(cli_env, "sync", PROFILE, "products", "--ids", "BULK-0001")
    assert r.returncode == 2 and "--all" in r.stderr
    r = cli(cli_env, "sync", PROFILE, "products", "--json", timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "预计约" in r.stderr and "200 products to create" in r.stderr  # said before the first write
    out = json.loads(r.stdout)
    assert out["created"] == 200 and out["updated"] == 8 and out["failed"] == 0
    have = products_by_code(fx_records(sb, "ProductObj"))
    assert all(len(have[f"BULK-{i:04d}"]) == 1 for i in range(200))

    sb.k3_app.admin("rename", {"number": "BULK-0150", "name": "改名的物料"})
    r = cli(cli_env, "sync", PROFILE, "products", "--json", timeout=300)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert [(i["source_id"], i["status"]) for i in out["items"] if i["status"] != "skipped"] == [
        ("BULK-0150", "updated")]
    assert "预计约" not in r.stderr
    assert products_by_code(fx_records(sb, "ProductObj"))["BULK-0150"][0]["name"] == "改名的物料"
