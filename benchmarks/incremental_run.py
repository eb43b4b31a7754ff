"""Incremental run: an idle scheduled run (nothing changed) against an ``--all`` run, 10,000 orders, 20 ms latency.

Run: python benchmarks/incremental_run.py [--orders 10000] [--latency-ms 20]

The demo company is scaled (``core.sandbox.demo_data.scaled_sizes``) with its whole story: orders under review and
turned down (held ``not_approved``), orders naming a product K3Cloud has no material for (failed, so tried again by
every incremental run). Untimed setup: a first incremental run syncs everything (it reads everything: there is no
watermark yet). Then, measured in one go: a second incremental run with nothing changed (what a task started every
few minutes does all day), and an ``--all`` run over the same data (reads every record and compares every document
with K3Cloud). Calls are the exchanges each run recorded (both sides, token and login included); the ratio is
``--all`` / incremental.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from isolation import isolate  # noqa: E402 - benchmarks/isolation.py, beside this script


def _calls(db: Any, run_id: int | None) -> Counter:
    from sqlalchemy import select

    from core.store import Exchange

    with db.session() as s:
        return Counter(e.side for e in s.scalars(select(Exchange).where(Exchange.run_id == run_id)))


def _timed(ws: Any, db: Any, request: Any) -> tuple[float, Counter, Any]:
    start = time.perf_counter()
    summary = ws.sync(request)
    return time.perf_counter() - start, _calls(db, summary.run_id), summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--orders", type=int, default=10_000)
    ap.add_argument("--latency-ms", type=float, default=20.0)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    isolate()
    from core.sandbox import start_sandbox
    from core.sandbox.demo_data import scaled_sizes
    from core.store import Database
    from core.sync.engine import SyncRequest
    from tests.helpers_sync import profile_for, workspace

    with start_sandbox(seed=args.seed, demo_sizes=scaled_sizes(args.orders)) as sb:
        sb.fx_app.admin("knobs", {"rate_limit_on": False, "token_calls_per_minute": 1_000_000})
        db = Database(Path(os.environ["FXK3SYNC_HOME"]) / "bench.db")
        profile, secrets = profile_for(sb, name="bench", read_timeout=120.0, batch_size=200, submit=False,
                                       audit=False)
        with workspace(db, profile, secrets) as ws:
            setup_start = time.perf_counter()
            first = ws.sync(SyncRequest("orders"))
            setup = time.perf_counter() - setup_start
            sb.fx_server.set_faults(latency_ms=args.latency_ms)
            sb.k3_server.set_faults(latency_ms=args.latency_ms)
            idle_s, idle_calls, idle = _timed(ws, db, SyncRequest("orders"))
            all_s, all_calls, full = _timed(ws, db, SyncRequest("orders", all=True))
        db.close()
    c = first.counts_of("orders")
    print(f"orders: {args.orders} in the demo; first run (setup, no latency, {setup:.1f} s): {c['created']} created, "
          f"{c['held']} held (not approved), {c['failed']} failed (missing material)")
    for label, secs, calls, summary in (("idle incremental run", idle_s, idle_calls, idle),
                                        ("--all run", all_s, all_calls, full)):
        k = summary.counts_of("orders")
        writes = summary.created + summary.updated + summary.voided
        print(f"{label:<22} {secs:8.2f} s  {sum(calls.values()):6d} calls (Fxiaoke {calls['fxiaoke']}, K3Cloud "
              f"{calls['k3cloud']})  items: {k['skipped']} skipped, {k['held']} held, {k['failed']} failed, "
              f"{writes} written")
    idle_total = max(sum(idle_calls.values()), 1)
    print(f"ratio --all / incremental: {sum(all_calls.values()) / idle_total:.0f}x calls, "
          f"{all_s / max(idle_s, 1e-9):.0f}x time  (latency {args.latency_ms:g} ms per request on both sandboxes)")
    return 0 if not (idle.created or idle.updated or idle.voided) else 1


if __name__ == "__main__":
    sys.exit(main())
