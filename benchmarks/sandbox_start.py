"""How long the sandbox takes to start with a big demo company (goal: 10,000 orders with lines in <= 5 s).

Run: python benchmarks/sandbox_start.py [--orders 10000] [--seed 1]. Times ``start_sandbox`` (build the demo company
from the seed, load both simulators, open the ports) for the default demo and for ``scaled_sizes(--orders)``, each
until the first Fxiaoke query has answered, and prints both, the time per 1,000 orders and the ratio to the goal.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.sandbox import start_sandbox
from core.sandbox.demo_data import scaled_sizes

GOAL_S = 5.0


def _time_start(seed: int, sizes: dict[str, int] | None) -> tuple[float, int]:
    """Seconds from the call until a first query is answered, and the number of orders served."""
    t0 = time.perf_counter()
    with start_sandbox(seed, demo_sizes=sizes) as sb, requests.Session() as s:
        fx = sb.credentials()["fxiaoke"]
        tok = s.post(fx["url"] + "cgi/corpAccessToken/get/V2", timeout=30, json={
            "appId": fx["app_id"], "appSecret": fx["app_secret"], "permanentCode": fx["permanent_code"]}).json()
        res = s.post(fx["url"] + "cgi/crm/v2/data/query", timeout=30, json={
            "corpAccessToken": tok["corpAccessToken"], "corpId": tok["corpId"], "currentOpenUserId": fx["open_user_id"],
            "data": {"dataObjectApiName": "SalesOrderObj", "search_query_info": {"limit": 1}}}).json()
        elapsed = time.perf_counter() - t0
        return elapsed, int(res["data"]["total"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--orders", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    default_s, default_n = _time_start(args.seed, None)
    big_s, big_n = _time_start(args.seed, scaled_sizes(args.orders))
    print(f"default demo:  {default_s:6.2f} s to the first answer ({default_n} orders)")
    print(f"scaled demo:   {big_s:6.2f} s to the first answer ({big_n} orders, {scaled_sizes(args.orders)})")
    print(f"per 1,000 orders: {big_s / big_n * 1000:.3f} s; scaled / default: {big_s / default_s:.1f}x")
    print(f"ratio to the goal ({GOAL_S:g} s): {big_s / GOAL_S:.2f} ({'met' if big_s <= GOAL_S else 'NOT met'})")
    return 0 if big_s <= GOAL_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
