"""Reads made by the engine, tried again when an answer came back unreadable (reads change nothing, so it is safe)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from core.errors import BadResponseError

T = TypeVar("T")
ATTEMPTS = 3
PAUSE = 0.3


def read(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)``; a ``BadResponseError`` (HTML page, ``response_error:`` text, truncated body, which the
    HTTP layer does not retry when it came with HTTP 200) is tried again up to ``ATTEMPTS`` times in all.
    Iterators must be consumed inside ``fn`` (wrap them in ``list``) so a retry starts the read over."""
    for attempt in range(ATTEMPTS):
        try:
            return fn(*args, **kwargs)
        except BadResponseError:
            if attempt == ATTEMPTS - 1:
                raise
            time.sleep(PAUSE * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover


def rows(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> list[Any]:
    """``list(fn(...))`` under ``read``: a paged query read again from its first page after a bad answer."""
    return read(lambda: list(fn(*args, **kwargs)))
