"""Client-side pacing: keeps each Fxiaoke endpoint under N calls per window, across threads."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

log = logging.getLogger("fxk3sync.fxiaoke")

#: ``listener(seconds, calls, window_s)``: a call of this thread now waits ``seconds`` for a limit of ``calls`` calls
#: per ``window_s`` seconds (the faces say "waiting on Fxiaoke's limit"). Called in the waiting thread, possibly
#: while the pacer's lock is held: it must return at once and never call Fxiaoke.
WaitListener = Callable[[float, int, float], None]
_listeners = threading.local()


@contextmanager
def report_waits(listener: WaitListener) -> Iterator[None]:
    """While inside, every wait of THIS thread for Fxiaoke's rate limits is reported to ``listener`` (the one sync
    of a worker thread hears its own waits, not those of a list being loaded in another thread)."""
    previous = getattr(_listeners, "listener", None)
    _listeners.listener = listener
    try:
        yield
    finally:
        _listeners.listener = previous


def current_listener() -> WaitListener | None:
    """This thread's wait listener, so work handed to another thread can report its waits to the same place."""
    return getattr(_listeners, "listener", None)


def waiting(seconds: float, calls: int, window_s: float) -> None:
    """Tells this thread's listener (if any) that it is about to wait; a failing listener never stops the call."""
    listener = getattr(_listeners, "listener", None)
    if listener is None or seconds <= 0:
        return
    try:
        listener(seconds, calls, window_s)
    except Exception:  # noqa: BLE001 - progress reporting must not break a sync
        log.exception("the rate-limit wait listener failed")

#: Fxiaoke allows 100 calls per 20 s per interface; the token endpoint 10 per minute.
DEFAULT_CALLS = 100
DEFAULT_WINDOW_S = 20.0
TOKEN_CALLS = 10
TOKEN_WINDOW_S = 60.0
TOKEN_PATH = "cgi/corpAccessToken/get/V2"


@dataclass
class PacingConfig:
    """The limits the pacer keeps to; ``margin_s`` is added to the window to absorb clock and network skew."""

    calls: int = DEFAULT_CALLS
    window_s: float = DEFAULT_WINDOW_S
    token_calls: int = TOKEN_CALLS
    token_window_s: float = TOKEN_WINDOW_S
    margin_s: float = 0.05


class _Window:
    """Times of the calls of one endpoint: finished calls as end times, running calls counted as 'now'."""

    def __init__(self, calls: int, window_s: float) -> None:
        self.calls = calls
        self.window_s = window_s
        self.done: deque[float] = deque()
        self.running = 0


class Pacer:
    """Blocks a caller until one more call to an endpoint keeps it under the limit.

    A call counts from the moment it is admitted until ``window`` after its answer arrived: the server stamps a call
    somewhere between sending and answering, so counting from the answer never undercounts.
    """

    def __init__(self, config: PacingConfig | None = None, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.config = config or PacingConfig()
        self._clock = clock
        self._cond = threading.Condition()
        self._windows: dict[str, _Window] = {}
        #: total seconds callers spent waiting (for tests and the log pane)
        self.waited_s = 0.0

    def _window(self, endpoint: str) -> _Window:
        w = self._windows.get(endpoint)
        if w is None:
            c = self.config
            w = (_Window(c.token_calls, c.token_window_s) if endpoint.strip("/") == TOKEN_PATH
                 else _Window(c.calls, c.window_s))
            self._windows[endpoint] = w
        return w

    def acquire(self, endpoint: str) -> None:
        """Waits until a call to ``endpoint`` may start and counts it as running; pair with ``release``."""
        with self._cond:
            w = self._window(endpoint)
            while True:
                now = self._clock()
                span = w.window_s + self.config.margin_s
                while w.done and w.done[0] <= now - span:
                    w.done.popleft()
                if len(w.done) + w.running < w.calls:
                    w.running += 1
                    return
                if w.done:
                    wait = w.done[0] + span - now
                    waiting(wait, w.calls, w.window_s)
                else:  # only running calls fill the window: wait for one to finish
                    wait = None
                started = self._clock()
                self._cond.wait(timeout=wait)
                self.waited_s += self._clock() - started

    def release(self, endpoint: str) -> None:
        """Marks a call admitted by ``acquire`` as answered (or failed)."""
        with self._cond:
            w = self._window(endpoint)
            w.running = max(0, w.running - 1)
            w.done.append(self._clock())
            self._cond.notify_all()

    @contextmanager
    def call(self, endpoint: str) -> Iterator[None]:
        """``with pacer.call(path): send()``."""
        self.acquire(endpoint)
        try:
            yield
        finally:
            self.release(endpoint)


_SHARED: dict[tuple[str, str], Pacer] = {}
_SHARED_LOCK = threading.Lock()


def shared_pacer(base_url: str, app_id: str, config: PacingConfig | None = None) -> Pacer:
    """The one pacer of a Fxiaoke app in this process, so several clients of one profile share the limits."""
    key = (base_url.rstrip("/"), app_id)
    with _SHARED_LOCK:
        p = _SHARED.get(key)
        if p is None or (config is not None and p.config != config):
            p = _SHARED[key] = Pacer(config)
        return p
