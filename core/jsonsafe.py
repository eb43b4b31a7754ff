"""JSON parsing that cannot be made to crash: nesting is bounded and ``RecursionError`` never escapes."""

from __future__ import annotations

import json
from typing import Any

#: Nesting deeper than this is no answer of either service nor a mapping file (theirs nest < 10 levels).
MAX_JSON_DEPTH = 64


class JsonTooDeep(ValueError):
    """JSON nested deeper than ``MAX_JSON_DEPTH``."""


def json_depth_ok(obj: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether ``obj`` nests at most ``limit`` levels (checked without recursion)."""
    stack = [(obj, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth > limit:
                return False
            stack.extend((v, depth + 1) for v in (value.values() if isinstance(value, dict) else value))
    return True


def loads_checked(text: str) -> Any:
    """``json.loads`` that raises ``ValueError`` (``JsonTooDeep`` for nesting) and never ``RecursionError``."""
    try:
        obj = json.loads(text)
    except RecursionError:
        raise JsonTooDeep("nested too deeply") from None
    if not json_depth_ok(obj):
        raise JsonTooDeep("nested too deeply")
    return obj


def loads_bounded(text: str) -> Any:
    """The parsed JSON, or None when it is not (bounded) JSON; for best-effort uses like redaction."""
    try:
        return loads_checked(text)
    except ValueError:
        return None
