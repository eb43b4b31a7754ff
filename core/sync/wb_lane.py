"""The write-back as its own lane: K3Cloud numbers queue in the journal and go to Fxiaoke at its pace, in a thread.

A record is synced when K3Cloud has it; writing its K3Cloud number back into Fxiaoke is bounded by Fxiaoke's limit
of 100 calls per 20 s per endpoint (reference fxiaoke-openapi.md; ``core.fxiaoke.pacing`` keeps to it), so it must
not hold up the K3Cloud work. The queue is kept in the journal (a watermark row per Fxiaoke object, JSON
``{source id: number}``) before the first update is sent: a run that ends first (cancelled, stopped by an error, the
PC switched off) leaves the rest queued and the next run of the flow drains it first. Updates are idempotent (they
set the number the record should have), so one sent twice after a crash does no harm.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Generator, Sequence
from typing import Any

from core.errors import Fxk3Error
from core.fxiaoke import pacing
from core.fxiaoke.client import FxiaokeClient
from core.sync.journal import Journal
from core.sync.model import Progress
from core.sync.slots import AUTH_ERRORS, Slot
from core.sync.writeback import WRITEBACK_FIELDS

log = logging.getLogger("fxk3sync.sync")

#: Seconds between two progress reports while the run waits for the lane to drain.
REPORT_EVERY_S = 0.25
#: Updates in flight at once: Fxiaoke answers in 100-300 ms, so one at a time could not use 5 calls per second; the
#: shared pacer keeps both within the limit.
LANE_IN_FLIGHT = 2
#: Updates done between two saves of the queue (a crash repeats at most this many harmless updates).
SAVE_EVERY = 20


def queue_name(source_object: str) -> str:
    """The journal watermark that holds the write-backs still to do for ``source_object``."""
    return f"writeback.{source_object}"


class WritebackLane:
    """Write-backs of one Fxiaoke object, queued in the journal and sent by one thread at Fxiaoke's pace.

    Args:
        fx: the Fxiaoke client (thread-safe: the pacer and the token cache lock themselves).
        journal: where the queue is kept.
        source_object: the Fxiaoke object (AccountObj, SalesOrderObj) whose records get the number.
        cancel: the run's cancel; the lane stops between updates and keeps the rest queued.
    """

    def __init__(self, fx: FxiaokeClient, journal: Journal, source_object: str,
                 cancel: threading.Event | None = None) -> None:
        self.fx, self.journal, self.object = fx, journal, source_object
        self.field = WRITEBACK_FIELDS.get(source_object)
        self.cancel = cancel
        self._cond = threading.Condition()
        self._queue: dict[str, str] = _load(journal.watermark(queue_name(source_object)))
        self._unsaved = 0
        self._closing = False
        self._stopped = False
        self._threads: list[threading.Thread] = []
        self._busy: set[str] = set()  # source ids being updated now
        self._skip: set[str] = set()  # failed in this run: tried again by the next run
        self._reported: tuple[int, int] | None = None
        #: Updates done and planned in this run (planned = left from earlier runs + queued in this one).
        self.done = 0
        self.total = len(self._queue)
        self.failed = 0
        #: A fatal error (Fxiaoke refused the credentials): the lane stopped, the run must end with it.
        self.error: BaseException | None = None
        # The thread's waits for the rate limit reach the run's listener (``pacing.report_waits`` is per thread).
        self._listener = pacing.current_listener()

    @property
    def enabled(self) -> bool:
        return self.field is not None

    def start(self) -> None:
        """Starts draining what earlier runs left queued (if anything)."""
        if self.enabled and self._queue:
            self._ensure_thread()

    def add(self, slots: Sequence[Slot]) -> None:
        """Queues the numbers of these slots' documents (journaled before any is sent) unless the record has it."""
        field = self.field
        if field is None:
            return
        todo = {s.work.source_id: s.number for s in slots
                if s.number and s.work.record.get(field) != s.number}
        if not todo:
            return
        with self._cond:
            fresh = [sid for sid in todo if sid not in self._queue]
            self._queue.update(todo)
            self.total += len(fresh)
            self._save_locked()
            self._cond.notify_all()
        self._ensure_thread()

    def progress(self) -> Progress | None:
        """A progress event of the lane when its count changed since the last one (None otherwise)."""
        with self._cond:
            now = (self.done, self.total)
        if now == self._reported or not now[1]:
            return None
        self._reported = now
        return Progress("writeback", now[0], now[1], {}, None, lane="fxiaoke")

    def finish(self) -> Generator[Progress, None, None]:
        """Waits until the queue is drained, the run is cancelled or the lane failed, reporting progress; what is
        left stays queued for the next run. Raises the lane's fatal error, if any."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        for thread in self._threads:
            while thread.is_alive():
                thread.join(REPORT_EVERY_S)
                event = self.progress()
                if event is not None:
                    yield event
        event = self.progress()
        if event is not None:
            yield event
        with self._cond:
            self._save_locked()
        if self.error is not None:
            raise self.error

    # -- the thread ---------------------------------------------------------------------------------------------
    def _ensure_thread(self) -> None:
        with self._cond:
            if not self._threads:
                self._threads = [threading.Thread(target=self._run, name=f"fxk3-writeback-{self.object}-{i}",
                                                  daemon=True) for i in range(LANE_IN_FLIGHT)]
                for thread in self._threads:
                    thread.start()

    def _run(self) -> None:
        if self._listener is not None:
            with pacing.report_waits(self._listener):
                self._drain()
        else:
            self._drain()

    def _drain(self) -> None:
        try:
            self._drain_queue()
        except BaseException as exc:  # noqa: BLE001 - a store or programming error: the run must hear of it
            self.error = exc

    def _drain_queue(self) -> None:
        while True:
            with self._cond:
                while True:
                    if self._stopped or self.error is not None or (self.cancel is not None and self.cancel.is_set()):
                        return
                    todo = next((sid for sid in self._queue if sid not in self._skip and sid not in self._busy),
                                None)
                    if todo is not None:
                        break
                    if self._closing and not self._busy:
                        return
                    self._cond.wait(REPORT_EVERY_S)
                number = self._queue[todo]
                self._busy.add(todo)
            try:
                self.fx.update(self.object, todo, {str(self.field): number})
            except AUTH_ERRORS as exc:
                self.error = exc
                return
            except Fxk3Error as exc:
                log.warning("write-back of %s %s failed (%s); the next run tries again", self.object, todo, exc.code)
                with self._cond:
                    self._skip.add(todo)
                    self._busy.discard(todo)
                    self.failed += 1
                    self._cond.notify_all()
                continue
            with self._cond:
                self._busy.discard(todo)
                self._cond.notify_all()
                if self._queue.get(todo) == number:
                    del self._queue[todo]
                self.done += 1
                self._unsaved += 1
                if self._unsaved >= SAVE_EVERY:
                    self._save_locked()

    def stop(self) -> None:
        """The run ends without draining (a fatal error elsewhere): the update in flight finishes, the rest stays
        queued. Never raises."""
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        for thread in self._threads:
            thread.join()
        try:
            with self._cond:
                self._save_locked()
        except Exception:  # noqa: BLE001 - the run already ends with an error; the next run re-queues what it sees
            log.exception("the write-back queue could not be saved")

    def _save_locked(self) -> None:
        """Writes the queue to the journal (called with the lock held, so saves never overtake each other)."""
        self.journal.set_watermark(queue_name(self.object), json.dumps(self._queue, ensure_ascii=False))
        self._unsaved = 0


def _load(text: str | None) -> dict[str, str]:
    try:
        data: Any = json.loads(text) if text else {}
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str) and v}
