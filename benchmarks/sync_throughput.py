"""Sync throughput: our engine against the naive way, 1,000 orders (1-6 lines), 20 ms latency per request, both sides.

Run: python benchmarks/sync_throughput.py [--orders 1000] [--latency-ms 20] [--naive-sample 40]

The naive way is what a first integration script does (and what the seed's prototype did): for every order a new
Fxiaoke token, read the order's lines, customer and products one call at a time, a new K3Cloud login, one Save,
sequentially, with plain ``requests`` and no connection reuse. It is measured on a sample of orders in a second
sandbox with the same data and latency, and extrapolated linearly to the full count (it is per-order work; the
output says so). Our engine syncs all orders (BatchSave in chunks, one token, one login, keep-alive, batched reads).
Both sides Save only (no Submit/Audit, no write-back) so the work compared is the same; a second engine run with
Submit + Audit is printed for information. The Fxiaoke simulator's rate limits are lifted for both (the naive way
would otherwise be throttled into minutes). CPU time per order is the engine thread's own CPU time.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

GOAL = 20.0
K3_STUB = "Kingdee.BOS.WebApi.ServicesStub."


def _isolate() -> None:
    """A temp home and an in-memory keyring: the benchmark never touches the user's data or keychain."""
    os.environ["FXK3SYNC_HOME"] = tempfile.mkdtemp(prefix="fxk3-bench-")
    import keyring

    from tests.keyring_backends import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())


def _prepare(sb: Any, latency_ms: float) -> None:
    sb.fx_app.admin("knobs", {"rate_limit_on": False, "token_calls_per_minute": 1_000_000})
    sb.fx_server.set_faults(latency_ms=latency_ms)
    sb.k3_server.set_faults(latency_ms=latency_ms)


def _engine(sb: Any, name: str, **settings: Any) -> Any:
    from core.store import Database
    from tests.helpers_sync import profile_for, workspace

    db = Database(Path(os.environ["FXK3SYNC_HOME"]) / f"{name}.db")
    profile, secrets = profile_for(sb, name=name, read_timeout=60.0, **settings)
    return workspace(db, profile, secrets), db


def run_engine(sb: Any, name: str, **settings: Any) -> tuple[float, float, Any]:
    from core.sync.engine import SyncRequest

    engine, db = _engine(sb, name, **settings)
    try:
        wall0, cpu0 = time.perf_counter(), time.thread_time()
        summary = engine.sync(SyncRequest("orders", all=True))
        wall, cpu = time.perf_counter() - wall0, time.thread_time() - cpu0
    finally:
        engine.close()
        db.close()
    return wall, cpu, summary


def _fx(creds: dict[str, Any], path: str, body: dict[str, Any], token: tuple[str, str] | None = None) -> dict:
    if token:
        body = {"corpAccessToken": token[0], "corpId": token[1], "currentOpenUserId": creds["open_user_id"], **body}
    r = requests.post(creds["url"] + path, json=body, timeout=30)
    data = r.json()
    if data.get("errorCode") != 0:
        raise RuntimeError(f"Fxiaoke {path}: {data}")
    return data


def naive_order(creds: dict[str, Any], order: dict[str, Any]) -> bool:
    """One order the naive way; True when K3Cloud saved it."""
    fx, k3 = creds["fxiaoke"], creds["k3cloud"]
    tok = _fx(fx, "cgi/corpAccessToken/get/V2", {"appId": fx["app_id"], "appSecret": fx["app_secret"],
                                                  "permanentCode": fx["permanent_code"]})
    token = (tok["corpAccessToken"], tok["corpId"])

    def query(api: str, field: str, op: str, values: list[Any]) -> list[dict[str, Any]]:
        info = {"limit": 100, "offset": 0, "filters": [{"field_name": field, "operator": op, "field_values": values}]}
        return _fx(fx, "cgi/crm/v2/data/query", {"data": {"dataObjectApiName": api, "search_query_info": info}},
                   token)["data"]["dataList"]

    lines = query("SalesOrderProductObj", "order_id", "EQ", [order["_id"]])
    customer = query("AccountObj", "_id", "EQ", [order["account_id"]])[0]
    entries = []
    for line in lines:
        product = query("ProductObj", "_id", "EQ", [line["product_id"]])[0]
        entries.append({"FMaterialId": {"FNumber": product["product_code"]}, "FQty": float(line["quantity"]),
                        "FTaxPrice": float(line["sales_price"]), "FEntryTaxRate": 13})
    session = requests.post(k3["url"] + K3_STUB + "AuthService.ValidateUser.common.kdsvc", timeout=30, json={
        "acctID": k3["acct_id"], "username": k3["username"], "password": k3["password"], "lcid": k3["lcid"]})
    day = time.strftime("%Y-%m-%d", time.localtime(order["order_time"] / 1000))
    model = {"FBillNo": order["name"], "FBillTypeID": {"FNumber": "XSDD01_SYS"}, "FDate": day,
             "FSaleOrgId": {"FNumber": k3["org"]}, "FCustId": {"FNumber": customer["account_no"]},
             "FSaleOrderFinance": {"FSettleCurrId": {"FNumber": "PRE001"}}, "FSaleOrderEntry": entries}
    r = requests.post(k3["url"] + K3_STUB + "DynamicFormService.Save.common.kdsvc", cookies=session.cookies,
                      timeout=30, json={"formid": "SAL_SaleOrder", "data": json.dumps({"Model": model},
                                                                                        ensure_ascii=False)})
    status = r.json()["Result"]["ResponseStatus"]
    return bool(status.get("IsSuccess"))


def run_naive(sb: Any, sample: int) -> tuple[float, int, int]:
    """(seconds for the sample, orders tried, orders saved)."""
    from tests.helpers_sync import live_orders

    creds = sb.credentials()
    orders = live_orders(sb)[:sample]
    saved = 0
    start = time.perf_counter()
    for order in orders:
        saved += naive_order(creds, order)
    return time.perf_counter() - start, len(orders), saved


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--orders", type=int, default=1000)
    ap.add_argument("--latency-ms", type=float, default=20.0)
    ap.add_argument("--naive-sample", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    _isolate()
    from core.sandbox import start_sandbox
    from tests.helpers_sync import k3_number_counts

    # no orders under review or with a missing material: the figure is about syncing, not about refusals
    sizes = {"orders": args.orders, "customers": 300, "products": 80, "under_review": 0, "ineffective": 0,
             "missing_material": 0}
    with start_sandbox(seed=args.seed, demo_sizes=sizes) as sb:
        _prepare(sb, args.latency_ms)
        wall, cpu, summary = run_engine(sb, "bench-save", submit=False, audit=False)
        synced = summary.counts_of("orders")["created"] + summary.counts_of("orders")["skipped"]
        dups = sum(1 for c in k3_number_counts(sb, "SAL_SaleOrder", "FBillNo").values() if c > 1)
    with start_sandbox(seed=args.seed, demo_sizes=sizes) as sb:
        _prepare(sb, args.latency_ms)
        wall_full, _, full = run_engine(sb, "bench-audit", submit=True, audit=True)
    with start_sandbox(seed=args.seed, demo_sizes=sizes) as sb:
        # Customers the naive script would need are put in K3Cloud first, untimed (it has no customer push).
        engine, db = _engine(sb, "bench-naive-prep")
        try:
            from core.sync.engine import SyncRequest

            engine.sync(SyncRequest("customers", all=True))
        finally:
            engine.close()
            db.close()
        _prepare(sb, args.latency_ms)
        naive_s, tried, saved = run_naive(sb, args.naive_sample)
    per_order_naive = naive_s / max(tried, 1)
    naive_total = per_order_naive * synced
    ratio = naive_total / wall if wall else float("inf")
    print(f"orders: {synced} synced of {args.orders} in the demo (voided ones are never synced; {summary.failed} "
          f"failed, {dups} duplicates), latency {args.latency_ms:g} ms per request on both sandboxes")
    print(f"engine (BatchSave, save only):        {wall:8.2f} s  ({synced / wall:7.1f} orders/s)")
    print(f"engine (save + submit + audit):       {wall_full:8.2f} s  ({full.created} created, {full.failed} failed)")
    print(f"naive (token+login+Save per order):   {naive_total:8.2f} s  extrapolated from {tried} orders measured "
          f"in {naive_s:.2f} s ({per_order_naive * 1000:.0f} ms/order, {saved}/{tried} saved)")
    print(f"ratio naive / engine: {ratio:.1f}x  (goal >= {GOAL:g}x: {'met' if ratio >= GOAL else 'NOT met'})")
    print(f"engine CPU time: {cpu:.2f} s = {cpu / max(synced, 1) * 1000:.2f} ms per order")
    return 0 if ratio >= GOAL and not dups else 1


if __name__ == "__main__":
    sys.exit(main())
