"""The engine's batched look-up of what K3Cloud holds for a list of numbers (dedupe, confirm, reconcile, pre-flight).

Unreadable answers to reads (an HTML page, ``response_error:`` text, truncated JSON) are asked again by the shared
HTTP layer (``core.http.HttpClient.post``), so nothing here retries.
"""

from __future__ import annotations

from typing import Any

QUERY_CHUNK = 200


def numbers(k3: Any, form_id: str, key_field: str, wanted: list[str]) -> dict[str, dict[str, Any]]:
    """What K3Cloud has for these numbers: ``existing_numbers`` in batches of ``QUERY_CHUNK``."""
    found: dict[str, dict[str, Any]] = {}
    keys = list(dict.fromkeys(n for n in wanted if n))
    for i in range(0, len(keys), QUERY_CHUNK):
        found.update(k3.existing_numbers(form_id, key_field, keys[i:i + QUERY_CHUNK]))
    return found
