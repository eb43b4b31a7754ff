"""Requests per second the sandbox serves on loopback for a 1-row query on each side (goal: 1000/s each).

Run: python benchmarks/sandbox_rps.py [--seconds 3] [--threads 4]. Zero latency knobs, the Fxiaoke per-endpoint
rate limit switched off; each client thread keeps its own keep-alive session. Prints numbers and the ratio to the goal.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.sandbox import start_sandbox  # noqa: E402

GOAL = 1000.0
VALIDATE_USER = "Kingdee.BOS.WebApi.ServicesStub.AuthService.ValidateUser.common.kdsvc"
BILL_QUERY = "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.ExecuteBillQuery.common.kdsvc"


def _fx_call(creds: dict[str, Any]) -> Callable[[requests.Session], None]:
    with requests.Session() as s:
        t = s.post(creds["url"] + "cgi/corpAccessToken/get/V2", timeout=10, json={
            "appId": creds["app_id"], "appSecret": creds["app_secret"],
            "permanentCode": creds["permanent_code"]}).json()
    body = {"corpAccessToken": t["corpAccessToken"], "corpId": t["corpId"], "currentOpenUserId": creds["open_user_id"],
            "data": {"dataObjectApiName": "AccountObj", "search_query_info": {"limit": 1, "offset": 0}}}

    def call(s: requests.Session) -> None:
        r = s.post(creds["url"] + "cgi/crm/v2/data/query", json=body, timeout=10).json()
        if r["errorCode"] != 0 or len(r["data"]["dataList"]) != 1:
            raise RuntimeError(f"unexpected answer {r}")

    return call


def _k3_call(creds: dict[str, Any]) -> Callable[[requests.Session], None]:
    login = [creds["acct_id"], creds["username"], creds["password"], creds["lcid"]]
    query = {"data": {"FormId": "BD_MATERIAL", "FieldKeys": "FNumber,FName", "FilterString": "", "Limit": 1}}
    local = threading.local()

    def call(s: requests.Session) -> None:
        if getattr(local, "session", None) is not s:  # one login per client session (its cookie jar holds the SID)
            r = s.post(creds["url"] + VALIDATE_USER, json={"parameters": login}, timeout=10).json()
            if r.get("LoginResultType") != 1:
                raise RuntimeError(f"login failed {r}")
            local.session = s
        rows = s.post(creds["url"] + BILL_QUERY, json=query, timeout=10).json()
        if not (isinstance(rows, list) and len(rows) == 1 and isinstance(rows[0], list)):
            raise RuntimeError(f"unexpected answer {rows}")

    return call


def measure(call: Callable[[requests.Session], None], seconds: float, threads: int) -> tuple[int, float]:
    counts = [0] * threads
    errors: list[BaseException] = []
    deadline = time.perf_counter() + seconds

    def worker(i: int) -> None:
        with requests.Session() as s:
            try:
                call(s)  # warm-up: connection and login
                while time.perf_counter() < deadline:
                    call(s)
                    counts[i] += 1
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

    start = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    if errors:
        raise errors[0]
    return sum(counts), time.perf_counter() - start


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--seconds", type=float, default=3.0)
    p.add_argument("--threads", type=int, default=4)
    args = p.parse_args()
    with start_sandbox(1, demo_sizes={"customers": 50, "orders": 100}) as sb:
        sb.fx_app.admin("knobs", {"rate_limit_on": False})
        creds = sb.credentials()
        sides = (("fxiaoke", _fx_call(creds["fxiaoke"])), ("k3cloud", _k3_call(creds["k3cloud"])))
        print(f"sandbox 1-row query throughput, {args.threads} client threads, {args.seconds:g} s per side")
        worst = float("inf")
        for name, call in sides:
            n, secs = measure(call, args.seconds, args.threads)
            rps = n / secs
            worst = min(worst, rps / GOAL)
            print(f"  {name:8} {n:6d} requests in {secs:5.2f} s = {rps:7.0f} req/s   ratio to goal {rps / GOAL:4.2f}")
    print(f"worst ratio to the {GOAL:.0f} req/s goal: {worst:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
