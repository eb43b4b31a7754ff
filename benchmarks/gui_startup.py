"""From process start to the main window shown (goal < 2 s), beside a bare ``import PySide6.QtWidgets`` for scale.

Run: python benchmarks/gui_startup.py [--runs 3]. Each run is a fresh process (offscreen, temp data folder); the
app prints a line once the window is shown and its first event loop turn ran, and the clock stops when that line
arrives. Also measured: ``--demo``, which starts both simulators in-process first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_S = 2.0


def _timed(cmd: list[str], marker: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(marker):
            elapsed = time.perf_counter() - started
            break
    else:
        proc.wait()
        raise RuntimeError(f"{cmd} ended without {marker!r}: {proc.stderr.read() if proc.stderr else ''}")
    proc.communicate(timeout=60)
    return elapsed


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args(argv)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", FXK3SYNC_EXIT_AFTER_SHOW="1",
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring", PYTHONPATH=str(ROOT))
    bare, app, demo = [], [], []
    for _ in range(args.runs):
        bare.append(_timed([sys.executable, "-c", "import PySide6.QtWidgets; print('imported', flush=True)"],
                           "imported", env))
        env["FXK3SYNC_HOME"] = tempfile.mkdtemp(prefix="fxk3sync-startup-")
        app.append(_timed([sys.executable, "-m", "gui.app", "--lang", "zh"], "shown", env))
        demo.append(_timed([sys.executable, "-m", "gui.app", "--demo", "--lang", "zh"], "shown", env))
    b, a, d = statistics.median(bare), statistics.median(app), statistics.median(demo)
    print(f"runs: {args.runs} (median of fresh processes)")
    print(f"  bare `import PySide6.QtWidgets`   {b:6.2f} s")
    print(f"  fxk3sync-gui: main window shown   {a:6.2f} s  ({a / b:.1f}x the bare import)  goal < {GOAL_S:.0f} s "
          f"ratio {a / GOAL_S:.2f}")
    print(f"  fxk3sync-gui --demo (2 simulators) {d:6.2f} s  ({d / b:.1f}x the bare import)")
    ok = a < GOAL_S
    print("OK" if ok else "GOAL MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
