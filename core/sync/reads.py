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


QUERY_CHUNK = 200


def numbers(k3: Any, form_id: str, key_field: str, wanted: list[str]) -> dict[str, dict[str, Any]]:
    """What K3Cloud has for these numbers (``existing_numbers`` in batched queries, each read under ``read``)."""
    found: dict[str, dict[str, Any]] = {}
    keys = list(dict.fromkeys(n for n in wanted if n))
    for i in range(0, len(keys), QUERY_CHUNK):
        found.update(read(k3.existing_numbers, form_id, key_field, keys[i:i + QUERY_CHUNK]))
    return found
