"""Work-around for a PySide6 6.12 bug, applied when ``gui`` is imported: ``SignalInstance.emit()`` and
``.disconnect()`` return ``True`` without taking a reference, so every call from Python drops one reference to
``True``; after a few thousand emits CPython aborts with "bool_dealloc: deallocating True or False".

The bug is detected with a probe (so a fixed PySide6 is left alone) and compensated by taking the missing
reference after each call.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None
PROBES = 256
#: Which SignalInstance methods were patched (empty on a PySide6 without the bug).
PATCHED: list[str] = []


class _Probe(QObject):
    ping = Signal()


def _drops_true(call: Callable[[], Any]) -> bool:
    """Run ``call`` PROBES times; True (and the lost references given back) when each call lost one."""
    before = sys.getrefcount(True)
    for _ in range(PROBES):
        call()
    dropped = before - sys.getrefcount(True)
    if dropped >= PROBES * 3 // 4:  # other threads may touch True meanwhile: allow some slack
        for _ in range(dropped):
            _incref(True)
        return True
    return False


def _patch(name: str) -> None:
    original = getattr(SignalInstance, name)

    def patched(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = original(self, *args, **kwargs)
        if result is True or result is False:
            _incref(result)  # the reference PySide6 forgot to take
        return result

    patched.__name__ = name
    patched.__doc__ = original.__doc__
    setattr(SignalInstance, name, patched)
    PATCHED.append(name)


def apply() -> list[str]:
    """Detect and patch once; returns the patched method names."""
    if PATCHED:
        return PATCHED
    probe = _Probe()
    if _drops_true(probe.ping.emit):
        _patch("emit")

    def reconnect() -> None:
        probe.ping.connect(_noop)
        probe.ping.disconnect(_noop)

    if _drops_true(reconnect):
        _patch("disconnect")
    probe.deleteLater()
    return PATCHED


def _noop() -> None:
    return None
