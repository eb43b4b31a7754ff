"""A Fxiaoke record's life as the sync sees it: approved (synced), in approval (held), voided or deleted (voids).

Fxiaoke's ``life_status`` (reference fxiaoke-openapi.md §4.2): ``normal`` once approved, ``under_review`` (审核中)
and ``ineffective`` (未生效, approval turned down) before, ``invalid`` once voided (作废); ``in_change`` (变更中) is
a record whose change is in approval. Objects with approval flows (orders, payments) are synced only when
``normal`` while the profile's ``approval_gate`` is on; the others are held ``not_approved``. Approval moves a
record's ``last_modified_time`` (it is a new version), so an incremental run sees it by itself: held
``not_approved`` records are not re-read by every run (``WAITS_FOR_FXIAOKE``).
"""

from __future__ import annotations

from typing import Any

from core.profiles import Profile
from core.sync import messages
from core.sync.plan import Work

APPROVED, VOIDED = "normal", "invalid"
#: Fxiaoke objects whose records go through an approval flow before they count; a void of one of them (or its
#: deletion) also deletes its K3Cloud document (cli-contract.md: "a Fxiaoke order or payment that is voided").
GATED_OBJECTS = frozenset({"SalesOrderObj", "PaymentObj"})
#: Hold codes a change in Fxiaoke clears, which the watermark query sees: not re-read by every incremental run.
WAITS_FOR_FXIAOKE = (messages.NOT_APPROVED,)


def is_voided(record: dict[str, Any]) -> bool:
    return record.get("life_status") == VOIDED or record.get("is_deleted") is True


def gated(api: str, profile: Profile) -> bool:
    """Whether records of ``api`` must be approved before they are synced (the profile may turn it off)."""
    return profile.approval_gate and api in GATED_OBJECTS


def voids_reach_k3(api: str) -> bool:
    """Whether voiding (or deleting) a record of ``api`` deletes its K3Cloud document (orders, payments); a voided
    customer stays in K3Cloud, where other documents use it."""
    return api in GATED_OBJECTS


def approved(record: dict[str, Any]) -> bool:
    return record.get("life_status") in (APPROVED, None, "")


def gate(records: list[dict[str, Any]], api: str, profile: Profile) -> tuple[list[dict[str, Any]], list[Work]]:
    """(records that may be synced, held works of those still in approval); voided records are not judged here."""
    if not gated(api, profile):
        return records, []
    passing: list[dict[str, Any]] = []
    held: list[Work] = []
    for rec in records:
        if approved(rec) or is_voided(rec):
            passing.append(rec)
        else:
            held.append(Work(str(rec.get("_id") or ""), rec, error=messages.not_approved(api, rec), api=api,
                             hold=True))
    return passing, held


def waiting_codes(api: str, profile: Profile) -> tuple[str, ...]:
    """Hold codes of records an incremental run need not re-read (see module docstring)."""
    return WAITS_FOR_FXIAOKE if gated(api, profile) else ()
