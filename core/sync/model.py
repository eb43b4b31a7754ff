"""Value objects of the sync engine: the request, per-record results, progress events and the run summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

FLOWS = ("customers", "orders", "deliveries")
STATUSES = ("created", "updated", "skipped", "failed")
PHASES = ("select", "map", "preflight", "dedupe", "write", "confirm", "writeback", "done")
#: Journal states in order of progress; a later one never goes back to an earlier one.
STAGES = ("saved", "submitted", "audited")
#: K3Cloud FDocumentStatus -> our stage (Z draft and A created are both "saved" for us).
STATUS_STAGE = {"Z": "saved", "A": "saved", "B": "submitted", "C": "audited", "D": "submitted"}


@dataclass
class SyncRequest:
    """What to sync: ``ids``, ``all``, records modified ``since`` a time, or (none given) since the stored watermark."""

    flow: str
    ids: list[str] | None = None
    all: bool = False
    since: datetime | None = None
    dry_run: bool = False


@dataclass
class ItemResult:
    """The outcome for one source record.

    ``status`` is created / updated / skipped / failed; ``stage`` how far the K3Cloud document got (saved, submitted,
    audited) or None; ``error`` the contract's error object ({"side", "code", "message"}) or None.
    """

    source_id: str
    status: str
    k3_id: str | None = None
    k3_number: str | None = None
    error: dict[str, Any] | None = None
    stage: str | None = None
    item_id: int | None = None  # the journal row (SyncItem.id), for retry / finish / mark_resolved

    def to_json(self) -> dict[str, Any]:
        return {"source_id": self.source_id, "status": self.status, "k3_id": self.k3_id,
                "k3_number": self.k3_number, "error": self.error}


@dataclass
class Progress:
    """One progress event: the phase, how many of ``total`` are done, counts per status, the item just settled."""

    phase: str
    done: int
    total: int
    counts: dict[str, int]
    item: ItemResult | None = None


@dataclass
class RunSummary:
    """What a run did; ``to_json()`` is exactly the CLI contract's ``sync --json`` object."""

    run_id: int | None
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    items: list[ItemResult] = field(default_factory=list)
    cancelled: bool = False
    dry_run: bool = False
    previews: dict[str, Any] = field(default_factory=dict)  # source_id -> payload (dry runs)
    #: The connection/auth/quota error (``core.errors.Fxk3Error``) that stopped the run after it began writing.
    aborted: Any = None
    #: Something reached K3Cloud or was found there in this run (any flow): CLI exit 1, not 3, when ``aborted``.
    wrote: bool = False

    @classmethod
    def of(cls, run_id: int | None, items: list[ItemResult], *, cancelled: bool = False,
           dry_run: bool = False) -> RunSummary:
        counts = count(items)
        return cls(run_id, counts["created"], counts["updated"], counts["skipped"], counts["failed"], list(items),
                   cancelled, dry_run)

    def to_json(self) -> dict[str, Any]:
        return {"created": self.created, "updated": self.updated, "skipped": self.skipped, "failed": self.failed,
                "items": [i.to_json() for i in self.items]}

    @property
    def has_problems(self) -> bool:
        """Some record failed or was left half-done (CLI exit code 1)."""
        return self.failed > 0 or any(i.error for i in self.items)


def count(items: list[ItemResult]) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for i in items:
        counts[i.status] = counts.get(i.status, 0) + 1
    return counts


def stage_rank(stage: str | None) -> int:
    return STAGES.index(stage) + 1 if stage in STAGES else 0
