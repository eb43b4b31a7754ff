"""Honest progress of a sync run: the phase, "n / N", time left, and a second line for Fxiaoke's write-back lane.

The first line is the run's K3Cloud work (select, map, pre-flight, write, submit/audit), counted in records settled.
The second line is the Fxiaoke lane: the write-back of K3Cloud numbers, and the waits for Fxiaoke's rate limit
(100 calls per 20 s) that make a long run slow; it shows only while there is something to say. When the engine gives
the write-back its own count (``Progress.phase == "writeback"`` with its own done/total, planned with the speed work)
the second bar counts it; until then it says what is going on without a number.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QProgressBar, QPushButton, QWidget

from core.views import Progress, RateWait
from gui.i18n import is_language_change, translate
from gui.icons import icon

CTX = "RunProgress"
#: What each phase of a run is called (the K3Cloud line).
PHASES = {
    "select": QT_TRANSLATE_NOOP("RunProgress", "Reading records from Fxiaoke"),
    "map": QT_TRANSLATE_NOOP("RunProgress", "Mapping fields"),
    "preflight": QT_TRANSLATE_NOOP("RunProgress", "Pre-flight: checking base data in K3Cloud"),
    "dedupe": QT_TRANSLATE_NOOP("RunProgress", "Looking for documents already in K3Cloud"),
    "write": QT_TRANSLATE_NOOP("RunProgress", "Writing to K3Cloud"),
    "confirm": QT_TRANSLATE_NOOP("RunProgress", "Submitting and auditing in K3Cloud"),
    "writeback": QT_TRANSLATE_NOOP("RunProgress", "Writing K3Cloud numbers back to Fxiaoke"),
    "done": QT_TRANSLATE_NOOP("RunProgress", "Done"),
}
#: Seconds of work and records settled before a time-left estimate means anything.
ESTIMATE_AFTER_S, ESTIMATE_AFTER_N = 3.0, 1


def time_left_text(seconds: float) -> str:
    """"about 2 min left" / "about 40 s left" / "less than 10 s left"."""
    if seconds < 10:
        return translate("RunProgress", "less than 10 s left")
    if seconds < 90:
        return translate("RunProgress", "about {n} s left").format(n=int(round(seconds / 5.0) * 5))
    return translate("RunProgress", "about {n} min left").format(n=int(round(seconds / 60.0)))


class RunProgress(QWidget):
    """Two lines (K3Cloud; Fxiaoke write-back), each a text and a bar, and one Cancel; hidden when idle.

    ``start(title, total)`` when the run begins, ``event(progress_or_wait)`` for each event of the run (the
    engine's ``Progress`` or the service's ``RateWait``), ``finish()`` at the end. Texts are made from the state in
    the current language, so a language switch mid-run re-makes them.

    Args:
        phases: phase -> untranslated text in context ``RunProgress`` (a page may name its phases differently).
        unit: untranslated "{done} / {total} …" text in context ``RunProgress``; open_unit: "{done} … done" for a
            run whose total is not known; writeback_line: the "writeback" phase is the K3Cloud numbers going back to
            Fxiaoke (the second line says so); a deliveries run's "writeback" is its own main work.
        clock: seconds, monotonic (tests pass their own to check the time left).
        flow: count only the records of this flow (an orders page: not the customers an order run pushes first),
            out of the total given to ``start``; without it the run's own count of every item.
    """

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, phases: dict[str, str] | None = None,
                 unit: str = QT_TRANSLATE_NOOP("RunProgress", "{done} / {total} records"),
                 open_unit: str = QT_TRANSLATE_NOOP("RunProgress", "{done} records done"),
                 writeback_line: bool = True, clock: Callable[[], float] = time.monotonic,
                 flow: str = "") -> None:
        super().__init__(parent)
        self._clock = clock
        self.flow = flow
        self._settled: set[str] = set()
        self.writeback_line = writeback_line
        self.phases = dict(PHASES, **(phases or {}))
        self.unit, self.open_unit = unit, open_unit
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(2)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.fx_label = QLabel()
        self.fx_label.setObjectName("WaitText")
        self.fx_bar = QProgressBar()
        for bar in (self.bar, self.fx_bar):
            bar.setMaximumWidth(320)
            bar.setTextVisible(True)
        self.cancel = QPushButton(icon("cancel"), "")
        self.cancel.clicked.connect(self.cancel_requested)
        grid.addWidget(self.label, 0, 0)
        grid.addWidget(self.bar, 0, 1)
        grid.addWidget(self.cancel, 0, 2)
        grid.addWidget(self.fx_label, 1, 0)
        grid.addWidget(self.fx_bar, 1, 1)
        grid.setColumnStretch(0, 1)
        self._title: str | Callable[[], str] = ""
        self.phase = ""
        self.done = self.total = 0
        self.fx_done: int | None = None
        self.fx_total: int | None = None
        self.wait: RateWait | None = None
        self._wait_until = 0.0
        self._started = 0.0
        self._wait_timer = QTimer(self)
        self._wait_timer.setSingleShot(True)
        self._wait_timer.timeout.connect(self._wait_over)
        self._tick = QTimer(self)  # the time left and a wait's seconds count down between events
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.retranslate)
        self.retranslate()
        self.hide()

    # -- state ------------------------------------------------------------------------------------------
    def start(self, title: str | Callable[[], str], total: int = 0) -> None:
        """A run begins: ``title`` (a text or a function making it) until its first phase is known."""
        self._title = title
        self.phase, self.done, self.total = "", 0, total
        self._settled = set()
        self.fx_done = self.fx_total = None
        self.wait = None
        self._started = self._clock()
        self.cancel.setEnabled(True)
        self._tick.start()
        self.retranslate()
        self.show()

    def event_received(self, event: Progress | RateWait | Any) -> None:
        """One event of the run (``Progress`` or ``RateWait``)."""
        now = self._clock()
        if isinstance(event, RateWait):
            self.wait = event
            self._wait_until = now + event.seconds
            self._wait_timer.start(int(event.seconds * 1000) + 250)
        elif isinstance(event, Progress):
            if event.phase == "writeback" and getattr(event, "lane", "") == "fxiaoke":
                self.fx_done, self.fx_total = event.done, event.total  # the write-back's own lane (speed work)
            else:
                self.phase = event.phase
                item = event.item
                if not self.flow:
                    self.done, self.total = event.done, max(event.total, event.done)
                elif item is not None and item.flow == self.flow:
                    self._settled.add(item.source_id)
                    self.done = len(self._settled)
                    self.total = max(self.total, self.done)
            if self.wait is not None and now >= self._wait_until:
                self.wait = None
        self.retranslate()

    def finish(self) -> None:
        self._tick.stop()
        self._wait_timer.stop()
        self.wait = None
        self.hide()

    def _wait_over(self) -> None:
        self.wait = None
        self.retranslate()

    # -- texts ------------------------------------------------------------------------------------------
    def time_left(self) -> float | None:
        """Seconds left at the rate records settled since the run began, or None while there is too little to go on
        (the rate includes reading and mapping, so the first estimates err on the long side)."""
        if not self.total or self.done >= self.total or self.done < ESTIMATE_AFTER_N:
            return None
        elapsed = self._clock() - self._started
        if elapsed < ESTIMATE_AFTER_S:
            return None
        return (self.total - self.done) * elapsed / self.done

    def k3_text(self) -> str:
        if not self.phase:
            return self._title() if callable(self._title) else self._title
        parts = [translate("RunProgress", self.phases.get(self.phase, self.phase)) + "…"]
        if self.total:
            parts.append(translate("RunProgress", self.unit).format(done=self.done, total=self.total))
        elif self.done:  # a run that cannot know its total up front (deliveries)
            parts.append(translate("RunProgress", self.open_unit).format(done=self.done))
        left = self.time_left()
        if left is not None:
            parts.append(time_left_text(left))
        return translate("RunProgress", " · ").join(parts)

    def fx_text(self) -> str:
        """The Fxiaoke line: waiting on its limit, or writing back, or nothing."""
        if self.wait is not None:
            left = max(0.0, self._wait_until - self._clock())
            text = translate("RunProgress", "Waiting on Fxiaoke's limit of {calls} calls per {window} s (about {n} s)…")
            return text.format(calls=self.wait.calls, window=f"{self.wait.window_s:g}", n=max(1, int(round(left))))
        if self.writeback_line and (self.phase == "writeback" or self.fx_total is not None):
            text = translate("RunProgress", "Writing K3Cloud numbers back to Fxiaoke…")
            if self.fx_total:
                text += " " + translate("RunProgress", self.unit).format(done=self.fx_done or 0, total=self.fx_total)
            return text
        return ""

    def retranslate(self) -> None:
        self.cancel.setText(translate("Progress", "Cancel"))
        self.label.setText(self.k3_text())
        _set_bar(self.bar, self.done, self.total)
        fx = self.fx_text()
        self.fx_label.setText(fx)
        self.fx_label.setVisible(bool(fx))
        self.fx_bar.setVisible(bool(fx))
        _set_bar(self.fx_bar, self.fx_done or 0, self.fx_total or 0)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if is_language_change(event):
            self.retranslate()
        super().changeEvent(event)


def _set_bar(bar: QProgressBar, done: int, total: int) -> None:
    """A count when the total is known, else Qt's busy indicator."""
    if total > 0:
        bar.setRange(0, total)
        bar.setValue(min(done, total))
    else:
        bar.setRange(0, 0)
