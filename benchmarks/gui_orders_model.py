"""The orders table with 100,000 rows: load into the model (goal <= 0.5 s) and the process size (goal <= 200 MB).

Run: python benchmarks/gui_orders_model.py [--rows 100000]. Offscreen. The rows come as Fxiaoke query pages of 100
dicts (like ``FxiaokeClient.query``; making them stands in for the network and is not timed), become table
rows with their sync state, go into the model + filter proxy, and a QTableView paints the first screen. Prints each
step, the total against the goal, and the peak RSS.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

GOAL_S = 0.5
GOAL_MB = 200.0
DAY_MS = 86_400_000


def fake_pages(n: int, seed: int = 7) -> Iterator[list[dict[str, Any]]]:
    """Pages of SalesOrderObj rows as the OpenAPI returns them (amounts as strings, times in ms)."""
    rnd = random.Random(seed)
    now = 1_795_800_000_000
    customers = [(f"{rnd.getrandbits(96):024x}", f"客户{i:04d}有限公司") for i in range(500)]
    page: list[dict[str, Any]] = []
    for i in range(n):
        cid, cname = customers[i % len(customers)]
        t = now - rnd.randrange(365) * DAY_MS
        page.append({"_id": f"{i:024x}", "name": f"2026{i:08d}", "account_id": cid, "account_id__r": cname,
                     "order_amount": f"{rnd.uniform(100, 500000):.2f}", "order_time": t, "last_modified_time": t,
                     "life_status": "normal"})
        if len(page) == 100:
            yield page
            page = []
    if page:
        yield page


def rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rows", type=int, default=100_000)
    args = p.parse_args(argv)
    from PySide6.QtWidgets import QApplication, QTableView

    from core.records import record_row
    from gui import backend
    from gui.models.records import RecordFilter, RecordsModel, RecordsProxy

    app = QApplication.instance() or QApplication([])
    base = rss_mb()
    states = {f"{i:024x}": backend.SyncInfo(k3_number=f"XSDD{i:06d}", k3_state="audited",
                                            linked_modified_ms=0) for i in range(0, args.rows, 3)}
    tg = time.perf_counter()
    rows: list[Any] = []
    convert = convert_cpu = 0.0
    for page in fake_pages(args.rows):  # the pages stand in for the network: only the conversion is timed
        tc, cc = time.perf_counter(), time.process_time()
        rows.extend([record_row("orders", rec) for rec in page])
        convert += time.perf_counter() - tc
        convert_cpu += time.process_time() - cc
    t1, c1 = time.perf_counter(), time.process_time()
    t0 = t1 - convert
    rows.sort(key=lambda r: (r.date_ms or 0, r.number), reverse=True)
    backend.apply_states(rows, states)
    t2 = time.perf_counter()
    model = RecordsModel("orders")
    proxy = RecordsProxy()
    proxy.setSourceModel(model)
    model.set_rows(rows)
    flt = RecordFilter(date_from_ms=1_795_800_000_000 - 30 * DAY_MS, date_to_ms=1_795_800_000_000)
    proxy.set_filter(flt)
    shown = proxy.rowCount()
    t3, c3 = time.perf_counter(), time.process_time()
    view = QTableView()
    view.setModel(proxy)
    view.resize(1200, 700)
    view.show()
    app.processEvents()
    t4 = time.perf_counter()
    proxy.set_filter(RecordFilter())
    all_rows = proxy.rowCount()
    t5 = time.perf_counter()
    model.sort(model.column_of("amount"))
    t6 = time.perf_counter()
    load = t3 - t0
    load_cpu = convert_cpu + c3 - c1  # the CPU seconds of the same steps (this process does nothing else meanwhile)
    busy = os.getloadavg()[0] > (os.cpu_count() or 1)
    print(f"rows: {args.rows:,}; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"  (making the fake query pages, not timed: {t1 - tg - convert:.3f} s)")
    print(f"  records -> rows        {t1 - t0:6.3f} s")
    print(f"  sort + sync states     {t2 - t1:6.3f} s")
    print(f"  model + filtered proxy {t3 - t2:6.3f} s  ({shown:,} rows in the last 30 days)")
    print(f"  load total             {load:6.3f} s  (CPU {load_cpu:.3f} s)  goal <= {GOAL_S:.1f} s  ratio wall "
          f"{load / GOAL_S:.2f}, CPU {load_cpu / GOAL_S:.2f}")
    print(f"  first paint            {t4 - t3:6.3f} s")
    print(f"  clear the filter       {t5 - t4:6.3f} s  ({all_rows:,} rows)")
    print(f"  sort by amount         {t6 - t5:6.3f} s")
    peak = max(peak_mb(), rss_mb())
    print(f"process: {rss_mb():.0f} MB now, {peak:.0f} MB peak (Qt + Python before loading: {base:.0f} MB); "
          f"goal <= {GOAL_MB:.0f} MB  ratio {peak / GOAL_MB:.2f}")
    view.close()
    # Busier than its cores, the wall clock mostly measures the wait for a core: then the verdict is on CPU time.
    print(f"verdict on {'CPU time (the machine is busier than its cores)' if busy else 'wall time'}")
    ok = (load_cpu if busy else load) <= GOAL_S and peak <= GOAL_MB
    print("OK" if ok else "GOAL MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
