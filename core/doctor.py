"""The credential doctor: both sides' checks, run side by side, for the GUI and ``fxk3sync check``."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Iterable

from core.doctor_types import DoctorReport, Step
from core.errors import Fxk3Error, Text
from core.fxiaoke.doctor import check_fxiaoke
from core.http import Sink

__all__ = ["DoctorReport", "Step", "run_doctor"]


def _k3_check() -> Callable[..., list[Step]]:
    try:
        from core.k3cloud.doctor import check_k3cloud
    except ModuleNotFoundError as exc:
        if exc.name != "core.k3cloud.doctor":
            raise
        return _k3_unavailable
    return check_k3cloud


def _k3_unavailable(profile: Any, secrets: Any, *, sinks: Iterable[Sink] = ()) -> list[Step]:
    return [Step("k3cloud", "reachable", False, Text("此版本不含金蝶云星空检查。", "This build has no K3Cloud check."))]


def _guarded(side: str, fn: Callable[[], list[Step]]) -> list[Step]:
    try:
        return fn()
    except Fxk3Error as exc:  # a check should report, not raise; keep whatever it says
        msg = Text(f"{exc.message.zh} {exc.advice.zh}".strip(), f"{exc.message.en} {exc.advice.en}".strip())
        return [Step(side, "reachable", False, msg, exc.field, exc.code)]


def run_doctor(profile: Any, secrets: Any, *, sinks: Iterable[Sink] = ()) -> DoctorReport:
    """Checks Fxiaoke and K3Cloud at the same time; each side stops at its first failure."""
    sinks = list(sinks)
    check_k3 = _k3_check()
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="doctor") as pool:
        fx = pool.submit(_guarded, "fxiaoke", lambda: check_fxiaoke(profile, secrets, sinks=sinks))
        k3 = pool.submit(_guarded, "k3cloud", lambda: check_k3(profile, secrets, sinks=sinks))
        return DoctorReport(fxiaoke=fx.result(), k3cloud=k3.result())
