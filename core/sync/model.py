"""Value objects of the sync engine: the request, per-record results, progress events and the run summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.errors import ErrorInfo

FLOWS = ("customers", "orders", "deliveries", "payments", "products")
#: Flows of Fxiaoke records written to K3Cloud by the generic writer (select -> map -> pre-flight -> write).
RECORD_FLOWS = ("customers", "orders", "payments")
#: Flows whose journal items ``SyncEngine.retry`` sends again (the inbox offers retry for exactly these).
RETRY_FLOWS = (*RECORD_FLOWS, "products")
#: Error codes that hold a record for a person (status ``held``, journal ``held``) instead of failing it; incremental
#: runs try it again (e.g. once the payment's order is in K3Cloud).
HELD_CODES = frozenset({"order_not_synced"})
#: An item's outcome, as the CLI contract names it.
STATUSES = ("created", "updated", "voided", "skipped", "held", "failed")
#: "plan" (products): total = the writes planned, counts = {"created": creates, "updated": updates}, before any write.
PHASES = ("select", "plan", "map", "preflight", "dedupe", "write", "confirm", "writeback", "done")
#: Journal states in order of progress; a later one never goes back to an earlier one.
STAGES = ("saved", "submitted", "audited")
#: K3Cloud FDocumentStatus -> our stage (Z draft, A created and D re-audit are all "saved" for us: a document at D
#: was un-audited and must be submitted again before it can be audited, reference §8.7).
STATUS_STAGE = {"Z": "saved", "A": "saved", "B": "submitted", "C": "audited", "D": "saved"}


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

    ``status`` is one of ``STATUSES``; ``stage`` how far the K3Cloud document got (saved, submitted, audited) or
    None; ``error`` why it failed or is held (or what did not finish), else None; ``flow`` the flow it belongs to
    (an order run reports the customers it pushed first as ``customers`` items); ``source_number`` the record's own
    number (order name, customer number) when known; ``diff`` the field-by-field difference from what K3Cloud held
    (``[{"field", "k3", "new"}]``) of an updated item or of one held because of it, else None.
    """

    source_id: str
    status: str
    k3_id: str | None = None
    k3_number: str | None = None
    error: ErrorInfo | None = None
    stage: str | None = None
    item_id: int | None = None  # the journal row (SyncItem.id), for retry / mark_resolved
    flow: str = ""
    source_number: str | None = None
    fx_ids: tuple[str, ...] = ()  # Fxiaoke records this item wrote to (a shipment: the orders it marked)
    diff: list[dict[str, str]] | None = None


@dataclass
class Progress:
    """One progress event: the phase, how many of ``total`` are done, counts per status, the item just settled."""

    phase: str
    done: int
    total: int
    counts: dict[str, int]
    item: ItemResult | None = None
    #: "k3cloud": the run's records; "fxiaoke": the write-back lane, counting its own updates (done of total).
    lane: str = "k3cloud"


@dataclass
class RunSummary:
    """What a run did; ``to_json()`` is exactly the CLI contract's ``sync --json`` object."""

    run_id: int | None
    items: list[ItemResult] = field(default_factory=list)
    cancelled: bool = False
    dry_run: bool = False
    previews: dict[str, Any] = field(default_factory=dict)  # source_id -> payload (dry runs)
    #: The connection/auth/quota error that stopped the run after it began writing.
    aborted: ErrorInfo | None = None
    #: Something reached K3Cloud or was found there in this run (any flow): CLI exit 1, not 3, when ``aborted``.
    wrote: bool = False

    @classmethod
    def of(cls, run_id: int | None, items: list[ItemResult], *, cancelled: bool = False,
           dry_run: bool = False) -> RunSummary:
        return cls(run_id, list(items), cancelled, dry_run)

    @property
    def counts(self) -> dict[str, int]:
        """Items per status, every flow of the run (an order run's customers too)."""
        return count(self.items)

    def counts_of(self, flow: str) -> dict[str, int]:
        """Items per status of one flow (e.g. the orders of an order run, without the customers it pushed)."""
        return count([i for i in self.items if i.flow == flow])

    @property
    def created(self) -> int:
        return self.counts["created"]

    @property
    def updated(self) -> int:
        return self.counts["updated"]

    @property
    def voided(self) -> int:
        return self.counts["voided"]

    @property
    def skipped(self) -> int:
        return self.counts["skipped"]

    @property
    def held(self) -> int:
        return self.counts["held"]

    @property
    def failed(self) -> int:
        return self.counts["failed"]

    @property
    def has_problems(self) -> bool:
        """Some record failed (CLI exit code 1). A document left half-done counts as failed; held records are
        reported, not failed; a created record whose write-back to Fxiaoke is still to do carries a note only."""
        return self.failed > 0


def is_held(error: ErrorInfo | None) -> bool:
    """Whether an item with this error waits for a person (held) rather than failed."""
    return error is not None and error.code in HELD_CODES


def count(items: list[ItemResult]) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for i in items:
        counts[i.status] = counts.get(i.status, 0) + 1
    return counts


def stage_rank(stage: str | None) -> int:
    return STAGES.index(stage) + 1 if stage in STAGES else 0
