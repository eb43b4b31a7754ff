"""Sync throughput: our engine against the seed's way, 1,000 orders (1-6 lines), 20 ms latency per request, both sides.

Run: python benchmarks/sync_throughput.py [--orders 1000] [--latency-ms 20] [--naive-sample 40] [--scale 10]

Prints, measured in one run (issue 15):
- ours / the seed's way: the seed's way (what a first integration script does, and what the seed's prototype did:
  for every order a new Fxiaoke token, its lines, customer and products read one call at a time, a new K3Cloud
  login, one Save, sequentially, plain ``requests`` without connection reuse) is measured on a sample of orders and
  extrapolated linearly (it is per-order work; the output says so). Both sides Save only, so the work compared is
  the same; the shipped profile (Save + Submit + Audit) is printed against it too.
- ours / the round-trip bound of our call plan: requests x latency / requests in flight, where Fxiaoke reads go one
  at a time and K3Cloud requests ``k3_in_flight`` at a time (requests counted by both simulators).
- linearity: time per order at ``orders x scale`` against ``orders`` (``--scale 1`` skips it).
- journal statements per 1,000 orders and per chunk (a SQLAlchemy ``before_cursor_execute`` counter).
The orders' customers are put in K3Cloud first, untimed, for every side (the seed's way has no customer push). The
Fxiaoke simulator's rate limits are lifted (the seed's way would otherwise be throttled into minutes, and the
limit's own bound is measured by benchmarks/writeback_lane.py and benchmarks/list_orders.py). CPU time is the
engine thread's own.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from isolation import isolate  # noqa: E402 - benchmarks/isolation.py, beside this script

GOAL = 50.0
BOUND_GOAL = 1.5
LINEAR_GOAL = 1.2
K3_STUB = "Kingdee.BOS.WebApi.ServicesStub."



def _prepare(sb: Any, latency_ms: float) -> None:
    sb.fx_app.admin("knobs", {"rate_limit_on": False, "token_calls_per_minute": 1_000_000})
    sb.fx_server.set_faults(latency_ms=latency_ms)
    sb.k3_server.set_faults(latency_ms=latency_ms)


def _engine(sb: Any, name: str, sinks: Any = (), **settings: Any) -> Any:
    from core.profiles import Profile
    from core.store import Database
    from tests.helpers_sync import profile_for, workspace

    db = Database(Path(os.environ["FXK3SYNC_HOME"]) / f"{name}.db")
    if not hasattr(Profile, "k3_in_flight"):
        settings.pop("k3_in_flight", None)  # the code before issue 15 (for a before/after run of this script)
    profile, secrets = profile_for(sb, name=name, read_timeout=60.0, **settings)
    return workspace(db, profile, secrets, sinks=sinks), db


@dataclass
class Measured:
    wall: float
    cpu: float
    summary: Any
    fx_requests: int
    k3_requests: int
    statements: int
    trips: dict[str, float]  # side -> seconds of round trips measured by the client (exchange records)
    slowest: list[tuple[str, float]]  # endpoint -> seconds, the three that took longest in all
    dups: int = 0


def push_customers(sb: Any) -> None:
    """The customers every order needs, saved and audited in K3Cloud before anything is timed."""
    from core.sync.engine import SyncRequest

    engine, db = _engine(sb, "bench-prep")
    try:
        engine.sync(SyncRequest("customers", all=True))
    finally:
        engine.close()
        db.close()


def run_engine(sb: Any, name: str, **settings: Any) -> Measured:
    from sqlalchemy import event

    from core.sync.engine import SyncRequest

    records: list[Any] = []
    engine, db = _engine(sb, name, sinks=[records.append], **settings)
    statements = [0]

    def count(*_args: Any) -> None:
        statements[0] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    fx0, k30 = sb.fx_server.requests_served, sb.k3_server.requests_served
    try:
        wall0, cpu0 = time.perf_counter(), time.thread_time()
        summary = engine.sync(SyncRequest("orders", all=True))
        wall, cpu = time.perf_counter() - wall0, time.thread_time() - cpu0
    finally:
        engine.close()
        db.close()
    trips: dict[str, float] = {}
    per_endpoint: dict[str, float] = {}
    for r in records:
        trips[r.side] = trips.get(r.side, 0.0) + r.elapsed_ms / 1000
        key = f"{r.side}:{r.endpoint.rsplit('.', 3)[-3] if r.endpoint.endswith('kdsvc') else r.endpoint}"
        per_endpoint[key] = per_endpoint.get(key, 0.0) + r.elapsed_ms / 1000
    slowest = sorted(per_endpoint.items(), key=lambda kv: -kv[1])[:3]
    return Measured(wall, cpu, summary, sb.fx_server.requests_served - fx0, sb.k3_server.requests_served - k30,
                    statements[0], trips, slowest)


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


def _sizes(orders: int) -> dict[str, int]:
    # no orders under review or with a missing material: the figure is about syncing, not about refusals
    return {"orders": orders, "customers": 300, "products": 80, "under_review": 0, "ineffective": 0,
            "missing_material": 0}


def measure(args: argparse.Namespace, orders: int, name: str, **settings: Any) -> Measured:
    from core.sandbox import start_sandbox

    with start_sandbox(seed=args.seed, demo_sizes=_sizes(orders)) as sb:
        _prepare(sb, 0)
        push_customers(sb)
        _prepare(sb, args.latency_ms)
        m = run_engine(sb, name, **settings)
        from tests.helpers_sync import k3_number_counts

        m.dups = sum(1 for c in k3_number_counts(sb, "SAL_SaleOrder", "FBillNo").values() if c > 1)
        return m


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--orders", type=int, default=1000)
    ap.add_argument("--latency-ms", type=float, default=20.0)
    ap.add_argument("--naive-sample", type=int, default=40)
    ap.add_argument("--scale", type=int, default=10, help="linearity: also run orders x scale (1: skip)")
    ap.add_argument("--in-flight", type=int, default=3, help="the profile's k3_in_flight (default: the shipped 3)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    isolate()
    from core.sandbox import start_sandbox

    lat = args.latency_ms / 1000
    save = measure(args, args.orders, "bench-save", submit=False, audit=False, k3_in_flight=args.in_flight)
    full = measure(args, args.orders, "bench-audit", k3_in_flight=args.in_flight)
    with start_sandbox(seed=args.seed, demo_sizes=_sizes(args.orders)) as sb:
        _prepare(sb, 0)
        push_customers(sb)
        _prepare(sb, args.latency_ms)
        naive_s, tried, saved = run_naive(sb, args.naive_sample)
    synced = save.summary.counts_of("orders")["created"]
    per_order_naive = naive_s / max(tried, 1)
    naive_total = per_order_naive * synced
    print(f"orders: {synced} synced of {args.orders} in the demo ({save.summary.failed} failed, {save.dups} "
          f"duplicates); latency {args.latency_ms:g} ms per request on both simulators; k3_in_flight "
          f"{args.in_flight}; load average {os.getloadavg()[0]:.2f} at the end")
    print(f"seed's way (token+login+Save per order): {naive_total:8.2f} s extrapolated from {tried} orders in "
          f"{naive_s:.2f} s ({per_order_naive * 1000:.0f} ms/order, {saved}/{tried} saved)")
    failed = False
    for label, m in (("save only", save), ("save+submit+audit", full)):
        bound = m.fx_requests * lat + m.k3_requests * lat / args.in_flight
        ratio = naive_total / m.wall
        over = m.wall / bound if bound else float("inf")
        print(f"ours, {label:<18} {m.wall:8.2f} s  {m.fx_requests} Fxiaoke + {m.k3_requests} K3Cloud requests, "
              f"{m.summary.failed} failed, {m.dups} duplicates")
        print(f"    vs the seed's way: {ratio:6.1f}x  (goal >= {GOAL:g}x: {'met' if ratio >= GOAL else 'NOT met'})")
        print(f"    vs the round-trip bound {bound:.2f} s: {over:5.2f}x  (goal <= {BOUND_GOAL:g}x: "
              f"{'met' if over <= BOUND_GOAL else 'NOT met'})")
        measured = m.trips.get("fxiaoke", 0.0) + m.trips.get("k3cloud", 0.0) / args.in_flight
        print(f"    vs the bound of the round trips as measured (the simulators' own work included: Fxiaoke "
              f"{m.trips.get('fxiaoke', 0.0):.2f} s + K3Cloud {m.trips.get('k3cloud', 0.0):.2f} s / {args.in_flight}"
              f" = {measured:.2f} s): {m.wall / measured:5.2f}x; longest: "
              + ", ".join(f"{k} {v:.2f} s" for k, v in m.slowest))
        chunks = max(1, -(-synced // 20))
        print(f"    journal: {m.statements} statements = {m.statements * 1000 / max(synced, 1):.0f} per 1,000 orders"
              f" = {m.statements / chunks:.1f} per chunk of 20; engine CPU {m.cpu:.2f} s = "
              f"{m.cpu / max(synced, 1) * 1000:.2f} ms per order")
        failed = failed or bool(m.dups) or ratio < GOAL
    if args.scale > 1:
        big = measure(args, args.orders * args.scale, "bench-big", k3_in_flight=args.in_flight)
        n_big = big.summary.counts_of("orders")["created"]
        per_small, per_big = full.wall / max(full.summary.counts_of("orders")["created"], 1), big.wall / max(n_big, 1)
        lin = per_big / per_small
        print(f"linearity (save+submit+audit): {n_big} orders in {big.wall:.2f} s = {per_big * 1000:.2f} ms/order "
              f"against {per_small * 1000:.2f} ms/order at {args.orders}: {lin:.2f}x  (goal <= {LINEAR_GOAL:g}x: "
              f"{'met' if lin <= LINEAR_GOAL else 'NOT met'}); {big.statements} statements, {big.summary.failed} "
              f"failed, {big.dups} duplicates")
        failed = failed or bool(big.dups)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
