"""The PySide6 6.12 refcount bug on SignalInstance.emit/disconnect is neutralised once gui is imported."""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QObject, Signal

import gui  # noqa: F401 - applies the work-around
from gui import qtcompat


class _Emitter(QObject):
    changed = Signal(str)


def _receiver(_text: str) -> None:
    return None


def test_emit_and_disconnect_keep_the_refcount_of_true(qapp):
    emitter = _Emitter()
    gc.collect()
    before = sys.getrefcount(True)
    for _ in range(5000):
        emitter.changed.emit("x")
        emitter.changed.connect(_receiver)
        emitter.changed.disconnect(_receiver)
    gc.collect()
    # without the work-around this drops by 10,000 and the interpreter aborts later
    assert abs(sys.getrefcount(True) - before) < 100
    assert qtcompat.apply() == qtcompat.PATCHED
