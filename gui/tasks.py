"""The one background-task runner: a single-worker lane for DB writes and syncs, a parallel lane for reads.

Shape of Anki's TaskManager: ``run(fn, on_done, on_error, on_progress)``. ``fn`` runs in a worker thread and
gets a ``TaskContext`` (cancel flag, progress); it must never touch widgets. Callbacks run in the GUI thread.
Cancelled work is silent: no callback fires after ``Task.cancel()``.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger("fxk3sync.gui.tasks")

NET = "net"  # parallel, read-only HTTP
DB = "db"  # one at a time: database writes and sync runs

_ids = itertools.count(1)


class Cancelled(Exception):
    """Raised inside a task by ``TaskContext.check()`` once the task was cancelled."""


class TaskContext:
    """What a task function receives: the cancel flag and a progress reporter."""

    def __init__(self, task: Task, emit_progress: Callable[[Any], None]) -> None:
        self._task = task
        self._emit = emit_progress

    @property
    def cancel_event(self) -> threading.Event:
        return self._task.cancel_event

    @property
    def cancelled(self) -> bool:
        return self._task.cancel_event.is_set()

    def check(self) -> None:
        """Raise ``Cancelled`` if the user cancelled; call it between records or pages."""
        if self._task.cancel_event.is_set():
            raise Cancelled()

    def progress(self, payload: Any) -> None:
        """Send ``payload`` to the task's ``on_progress`` (in the GUI thread)."""
        self._emit(payload)


@dataclass(eq=False)
class Task:
    """A handle on submitted work."""

    name: str
    lane: str
    id: int = field(default_factory=lambda: next(_ids))
    cancel_event: threading.Event = field(default_factory=threading.Event)
    finished: bool = False

    def cancel(self) -> None:
        self.cancel_event.set()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()


class _Runnable(QRunnable):
    def __init__(self, job: Callable[[], None]) -> None:
        super().__init__()
        self._job = job
        self.setAutoDelete(True)

    def run(self) -> None:
        self._job()


@dataclass
class _Callbacks:
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    on_progress: Callable[[Any], None] | None
    owner: QObject | None


class TaskRunner(QObject):
    """Runs closures off the GUI thread and brings results back to it.

    Args:
        parent: the owning QObject (the main window or the app shell).
        net_threads: size of the parallel lane.
    """

    _deliver = Signal(object)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, net_threads: int = 4) -> None:
        super().__init__(parent)
        self._pools = {DB: QThreadPool(self), NET: QThreadPool(self)}
        self._pools[DB].setMaxThreadCount(1)
        self._pools[NET].setMaxThreadCount(max(1, net_threads))
        self._active: dict[int, Task] = {}
        self._by_name: dict[str, Task] = {}
        #: Called in the GUI thread for a failed task that has no ``on_error``.
        self.error_handler: Callable[[BaseException], None] | None = None
        self._deliver.connect(self._on_deliver)

    # -- public API -------------------------------------------------------------------------
    def run(
        self,
        fn: Callable[[TaskContext], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[Any], None] | None = None,
        *,
        lane: str = NET,
        name: str = "",
        owner: QObject | None = None,
        replace: bool = False,
    ) -> Task:
        """Run ``fn(ctx)`` in ``lane``; ``replace=True`` cancels a running task of the same ``name`` first.

        Callbacks are dropped if ``owner`` (a widget) was deleted meanwhile.
        """
        if lane not in self._pools:
            raise ValueError(f"unknown lane {lane!r}")
        task = Task(name=name or getattr(fn, "__name__", "task"), lane=lane)
        if replace and task.name in self._by_name:
            self._by_name[task.name].cancel()
        cbs = _Callbacks(on_done, on_error, on_progress, owner)
        was_busy = bool(self._active)
        self._active[task.id] = task
        self._by_name[task.name] = task
        ctx = TaskContext(task, lambda payload: self._deliver.emit(lambda: self._progress(task, cbs, payload)))

        def job() -> None:
            try:
                ctx.check()
                result = fn(ctx)
            except BaseException as exc:  # noqa: BLE001 - delivered to the GUI thread
                self._deliver.emit(lambda err=exc: self._finish(task, cbs, None, err))
            else:
                self._deliver.emit(lambda res=result: self._finish(task, cbs, res, None))

        self._pools[lane].start(_Runnable(job))
        if not was_busy:
            self.busy_changed.emit(True)
        return task

    @property
    def busy(self) -> bool:
        return bool(self._active)

    def active(self) -> list[Task]:
        return list(self._active.values())

    def is_running(self, name: str) -> bool:
        task = self._by_name.get(name)
        return task is not None and not task.finished and not task.cancelled

    def cancel(self, name: str) -> None:
        task = self._by_name.get(name)
        if task is not None:
            task.cancel()

    def cancel_all(self) -> None:
        for task in list(self._active.values()):
            task.cancel()

    def shutdown(self, timeout_ms: int = 10000) -> bool:
        """Cancel everything and wait for the workers (window closing, test teardown)."""
        self.cancel_all()
        ok = all(pool.waitForDone(timeout_ms) for pool in self._pools.values())
        self._active.clear()
        self._by_name.clear()
        return ok

    # -- GUI-thread side --------------------------------------------------------------------
    @Slot(object)
    def _on_deliver(self, closure: Callable[[], None]) -> None:
        closure()

    @staticmethod
    def _owner_gone(cbs: _Callbacks) -> bool:
        return cbs.owner is not None and not shiboken6.isValid(cbs.owner)

    def _progress(self, task: Task, cbs: _Callbacks, payload: Any) -> None:
        if task.cancelled or task.finished or cbs.on_progress is None or self._owner_gone(cbs):
            return
        cbs.on_progress(payload)

    def _finish(self, task: Task, cbs: _Callbacks, result: Any, exc: BaseException | None) -> None:
        task.finished = True
        self._active.pop(task.id, None)
        if self._by_name.get(task.name) is task:
            del self._by_name[task.name]
        try:
            if task.cancelled or isinstance(exc, Cancelled) or self._owner_gone(cbs):
                return  # cancelled work is silent
            if exc is None:
                if cbs.on_done is not None:
                    cbs.on_done(result)
            elif cbs.on_error is not None:
                cbs.on_error(exc)
            elif self.error_handler is not None:
                self.error_handler(exc)
            else:
                log.error("task %s failed", task.name, exc_info=exc)
        finally:
            if not self._active:
                self.busy_changed.emit(False)
