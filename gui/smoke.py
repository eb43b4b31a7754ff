"""``fxk3sync-gui --smoke``: offscreen, demo sandbox, load the orders page, sync three orders, exit 0 or explain."""

from __future__ import annotations

import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

TIMEOUT_S = 90.0


class SmokeFailure(Exception):
    pass


def _wait(app: Any, what: str, pred: Callable[[], bool], errors: list[str], timeout: float = TIMEOUT_S) -> None:
    from PySide6.QtCore import QEventLoop

    deadline = time.monotonic() + timeout
    while not pred():
        if errors:
            raise SmokeFailure(f"{what}: {errors[0]}")
        if time.monotonic() > deadline:
            raise SmokeFailure(f"{what}: timed out after {timeout:.0f} s")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)


def run_smoke(lang: str | None = None) -> int:
    """Returns the process exit code; prints one line on success, the error on failure."""
    from gui.app import make_application, setup_logging

    started = time.perf_counter()
    window = None
    ctx = None
    try:
        setup_logging()
        app = make_application(sys.argv[:1])
        from gui import messages
        from gui.demo import start_demo
        from gui.i18n import Translators
        from gui.main_window import MainWindow
        from gui.models.records import SYNCED
        from gui.settings import UiSettings

        errors: list[str] = []
        messages.set_interceptor(lambda p: errors.append(f"{p.kind}: {p.text}\n{p.details}".strip())
                                 if p.kind in ("error", "crash", "warning") else None)
        Translators().install(lang or "zh_CN")
        ctx = start_demo(demo_sizes={"orders": 40, "customers": 20})

        def collect(exc: BaseException) -> None:
            errors.append("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))

        ui = UiSettings(str(Path(tempfile.mkdtemp(prefix="fxk3sync-smoke-")) / "gui.ini"))
        window = MainWindow(ctx, ui)
        ctx.error.disconnect(window.handle_error)
        ctx.error.connect(collect)
        ctx.tasks.error_handler = collect
        window.show()
        _wait(app, "profiles", lambda: bool(ctx.profile_name), errors)
        window.go("orders")
        page = window.pages["orders"]
        page.date_from.setDate(page.date_from.date().addDays(-400))
        page.load()
        _wait(app, "load orders", lambda: page.loaded, errors)
        if page.proxy.rowCount() < 3:
            raise SmokeFailure(f"load orders: only {page.proxy.rowCount()} orders shown")
        page.table.selectRow(0)
        for row in (1, 2):
            index = page.proxy.index(row, 0)
            page.table.selectionModel().select(index, page.table.selectionModel().SelectionFlag.Select
                                               | page.table.selectionModel().SelectionFlag.Rows)
        rows = page.selected_rows()
        if len(rows) != 3:
            raise SmokeFailure(f"select: {len(rows)} orders selected instead of 3")
        summaries: list[Any] = []
        page.sync_finished.connect(summaries.append)
        page.sync_selected()
        _wait(app, "sync three orders", lambda: bool(summaries), errors)
        failed = [i for i in summaries[0].items if i.status == "failed"]
        if failed:
            raise SmokeFailure(f"sync: {len(failed)} failed: {failed[0].error}")
        numbers = [r.k3_number for r in rows]
        if not all(numbers) or any(r.state != SYNCED for r in rows):
            raise SmokeFailure(f"sync: K3 numbers missing: {numbers} states {[r.state for r in rows]}")
        print(f"smoke ok: synced {', '.join(r.number for r in rows)} -> {', '.join(numbers)} "
              f"in {time.perf_counter() - started:.1f} s")
        return 0
    except Exception as exc:  # noqa: BLE001 - the smoke test reports everything
        print(f"smoke FAILED: {exc}", file=sys.stderr)
        if not isinstance(exc, SmokeFailure):
            traceback.print_exc()
        return 1
    finally:
        if window is not None:
            window.close()
        elif ctx is not None:
            ctx.close()
