"""BatchSave size: time per order against how many rows one timeout leaves unknown, under the sandbox's latency model.

K3Cloud's cost of a BatchSave is modelled as a fixed cost per call plus a cost per row (sandbox knobs
``save_latency_ms_per_call`` / ``save_latency_ms_per_row``), on top of the network's round trip. Bigger batches
spread the fixed cost, but a timeout on a batch is an unknown outcome for every row in it (each must then be
confirmed by number), and Kingdee's own advice is at most 20 records per BatchSave (reference k3cloud-webapi.md
§5, peers-and-user-pains.md). This prints, for each size, the time per order of a save-only run, its ratio to the
best size, and the rows one timeout puts in doubt. The product's default (``Profile.batch_size``) is Kingdee's 20:
what it costs against the fastest size of this model is printed, so the choice stays a measured one.

    python benchmarks/batch_size.py [--orders 200] [--call-ms 150] [--row-ms 12] [--latency-ms 20]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from isolation import isolate  # noqa: E402 - benchmarks/isolation.py, beside this script

SIZES = (1, 5, 10, 20, 50, 100)



def run(size: int, args: argparse.Namespace) -> float:
    """Seconds per order of a save-only sync of every demo order with BatchSave chunks of ``size``."""
    from core.sandbox import start_sandbox
    from core.store import Database
    from core.sync.model import SyncRequest
    from tests.helpers_sync import profile_for, workspace

    sizes = {"orders": args.orders, "customers": 60, "products": 40, "under_review": 0, "ineffective": 0,
             "missing_material": 0}
    with start_sandbox(seed=3, demo_sizes=sizes) as sb:
        sb.fx_app.admin("knobs", {"rate_limit_on": False, "token_calls_per_minute": 1_000_000})
        db = Database(Path(os.environ["FXK3SYNC_HOME"]) / f"batch-{size}.db")
        with workspace(db, *profile_for(sb, name=f"b{size}", batch_size=size, submit=False, audit=False,
                                        read_timeout=120.0)) as ws:
            ws.sync(SyncRequest("customers", all=True))  # untimed: the orders are what is measured
            for server in (sb.fx_server, sb.k3_server):
                server.set_faults(latency_ms=args.latency_ms)
            sb.k3_app.admin("knobs", {"save_latency_ms_per_call": args.call_ms,
                                      "save_latency_ms_per_row": args.row_ms})
            started = time.perf_counter()
            summary = ws.sync(SyncRequest("orders", all=True))
            wall = time.perf_counter() - started
        db.close()
    done = summary.counts_of("orders")["created"]
    return wall / max(done, 1)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--orders", type=int, default=200)
    p.add_argument("--call-ms", type=float, default=150.0, help="K3Cloud's fixed cost of one BatchSave")
    p.add_argument("--row-ms", type=float, default=12.0, help="K3Cloud's cost of one row of a BatchSave")
    p.add_argument("--latency-ms", type=float, default=20.0, help="network round trip on both sides")
    args = p.parse_args(argv)
    isolate()
    per_order = {size: run(size, args) for size in SIZES}
    best = min(per_order.values())
    print(f"{args.orders} orders, save only; K3Cloud {args.call_ms:g} ms per BatchSave + {args.row_ms:g} ms per row, "
          f"{args.latency_ms:g} ms network")
    print(f"{'batch':>6} {'ms/order':>9} {'vs best':>8} {'rows unknown after one timeout':>32}")
    for size, t in per_order.items():
        print(f"{size:>6} {t * 1000:>9.1f} {t / best:>7.2f}x {size:>32}")
    fastest = min(per_order, key=lambda s: per_order[s])
    print(f"default 20 (Kingdee's advice): {per_order[20] / best:.2f}x the time of the fastest size here ({fastest}), "
          f"and one timeout leaves 20 rows to confirm by number instead of {fastest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
