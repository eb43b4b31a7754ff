"""The engine's look-up of what K3Cloud holds for a list of numbers (dedupe, confirm, reconcile, pre-flight).

The client batches the ``IN`` queries itself; unreadable answers to reads (an HTML page, ``response_error:`` text,
truncated JSON) are asked again by the shared HTTP layer, so nothing here chunks or retries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.k3cloud.client import K3CloudClient
from core.k3cloud.query import in_filter


def numbers(k3: K3CloudClient, form_id: str, key_field: str, wanted: list[str]) -> dict[str, dict[str, Any]]:
    """What K3Cloud has for these numbers: number -> {"id", "number", "status"}."""
    keys = list(dict.fromkeys(n for n in wanted if n))
    return k3.existing_numbers(form_id, key_field, keys) if keys else {}


@dataclass(frozen=True)
class BaseState:
    """One row of a base record as K3Cloud keeps it: one row per organisation it is allocated to (分配)."""

    number: str
    status: str  # FDocumentStatus: C = audited
    forbid: str  # FForbidStatus: A = usable, B = forbidden (禁用)
    use_org: str  # FUseOrgId.FNumber


#: What a base record's state is read from (reference k3cloud-webapi.md §8.1, §8.5, §8.7).
STATE_FIELDS = ["FNumber", "FDocumentStatus", "FForbidStatus", "FUseOrgId.FNumber"]


def base_states(k3: K3CloudClient, form_id: str, wanted: list[str], chunk: int = 200) -> dict[str, list[BaseState]]:
    """Every row K3Cloud has for these numbers (one per organisation the record is allocated to)."""
    keys = list(dict.fromkeys(n for n in wanted if n))
    out: dict[str, list[BaseState]] = {}
    for i in range(0, len(keys), chunk):
        part = keys[i:i + chunk]
        rows = k3.query(form_id, STATE_FIELDS, filter=in_filter("FNumber", part), limit=max(100, len(part) * 20))
        for number, status, forbid, org in rows:
            out.setdefault(str(number), []).append(BaseState(str(number), str(status or ""), str(forbid or ""),
                                                             str(org or "")))
    return out
