"""The credential doctor: both sides' checks, run side by side, for the GUI and ``fxk3sync check``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from core.clients import ClientFactory
from core.doctor_types import DoctorReport, Step, explained, unexpected
from core.errors import Fxk3Error
from core.fxiaoke.doctor import check_fxiaoke
from core.k3cloud.doctor import check_k3cloud

__all__ = ["DoctorReport", "Step", "run_doctor"]

log = logging.getLogger("fxk3sync.doctor")


def _guarded(side: str, fn: Callable[[], list[Step]]) -> list[Step]:
    try:
        return fn()
    except Fxk3Error as exc:  # a check should report, not raise; keep whatever it says
        return [Step(side, "reachable", False, explained(exc), exc.field, exc.code)]
    except Exception as exc:  # a bug or an answer nobody foresaw: report it on this side, keep the other side's result
        log.exception("credential check of %s failed unexpectedly", side)
        return [Step(side, "reachable", False, unexpected(exc))]


def run_doctor(factory: ClientFactory) -> DoctorReport:
    """Checks Fxiaoke and K3Cloud at the same time, with clients from ``factory``; each side stops at its first
    failure."""
    profile = factory.profile
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="doctor") as pool:
        fx = pool.submit(_guarded, "fxiaoke", lambda: check_fxiaoke(profile, build=factory.fx))
        k3 = pool.submit(_guarded, "k3cloud", lambda: check_k3cloud(profile, build=factory.k3))
        return DoctorReport(fxiaoke=fx.result(), k3cloud=k3.result())
