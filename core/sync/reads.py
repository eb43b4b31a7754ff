"""The engine's look-up of what K3Cloud holds for a list of numbers (dedupe, confirm, reconcile, pre-flight).

The client batches the ``IN`` queries itself; unreadable answers to reads (an HTML page, ``response_error:`` text,
truncated JSON) are asked again by the shared HTTP layer, so nothing here chunks or retries.
"""

from __future__ import annotations

from typing import Any

from core.k3cloud.client import K3CloudClient


def numbers(k3: K3CloudClient, form_id: str, key_field: str, wanted: list[str]) -> dict[str, dict[str, Any]]:
    """What K3Cloud has for these numbers: number -> {"id", "number", "status"}."""
    keys = list(dict.fromkeys(n for n in wanted if n))
    return k3.existing_numbers(form_id, key_field, keys) if keys else {}
