"""The value types the application service returns to both faces: table rows, sync states, history rows.

Plain data only (no Qt, no database rows): the GUI's models show them, the CLI prints them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.errors import EMPTY, ErrorInfo, Text
from core.sync.model import ItemResult, Progress, RunSummary, SyncRequest
from core.sync.ship_status import ShipStatusMapping

__all__ = [
    "CHANGED", "FAILED", "HALF_DONE", "HELD", "NEW", "PARTIAL", "SYNCED", "DeliveryReport", "FieldChoice", "InboxGroup",
    "InboxRecord", "ItemResult", "ItemRow", "LineRow", "ProductEstimate", "ProductRow", "Progress", "RateWait",
    "RecordRow", "RunRow", "RunSummary", "ShipLine", "ShipStatusMapping", "SyncInfo", "SyncRequest", "apply_state",
    "apply_states",
]

# The sync state of a record as both faces show it.
NEW, SYNCED, FAILED, CHANGED, PARTIAL, HELD = "new", "synced", "failed", "changed", "partial", "held"
#: Journal states of a document that exists but has not reached the profile's last stage.
HALF_DONE = ("saved", "submitted")


@dataclass(slots=True)
class RecordRow:
    """One Fxiaoke customer or order as a table shows it (no raw record: 100k rows must stay small)."""

    source_id: str
    number: str
    name: str
    customer: str = ""
    amount: float | None = None
    date_ms: int | None = None
    modified_ms: int | None = None
    extra: str = ""
    state: str = NEW
    k3_number: str = ""
    k3_state: str = ""
    error: ErrorInfo | None = None
    customer_id: str = ""
    delivery: str = ""  # Fxiaoke logistics_status of an order: 1 not shipped, 2 partly, 3 shipped, 4 received
    diff: list[dict[str, str]] | None = None  # what differed from K3Cloud at its last sync (updated or held)

    def search_text(self) -> str:
        return f"{self.number}\n{self.name}\n{self.customer}\n{self.k3_number}\n{self.extra}".lower()


@dataclass
class SyncInfo:
    """The sync state of one record, read from the link table and the journal."""

    k3_number: str = ""
    k3_state: str = ""
    linked_modified_ms: int | None = None
    error: ErrorInfo | None = None
    failed: bool = False
    half_done: bool = False
    held: bool = False  # waiting for a person (or another PC); the error says why
    note: ErrorInfo | None = None  # on a document that is fine: something to look at (amounts differ from Fxiaoke)
    #: What the newest sync found different from K3Cloud (``[{"field", "k3", "new"}]``): the update it made, or
    #: the change it holds for a person; None when it found nothing or did not compare.
    diff: list[dict[str, str]] | None = None


def apply_state(row: RecordRow, info: SyncInfo | None) -> None:
    """Sets the row's state from what the journal knows about its record."""
    if info is None:
        row.state, row.k3_number, row.k3_state, row.error, row.diff = NEW, "", "", None, None
        return
    row.k3_number, row.k3_state = info.k3_number, info.k3_state
    row.error = info.error if info.failed or info.held else info.note
    row.diff = info.diff
    if info.failed:
        row.state = FAILED
    elif info.held:
        row.state = HELD
    elif info.k3_number:
        changed = info.linked_modified_ms is not None and row.modified_ms is not None \
            and row.modified_ms > info.linked_modified_ms
        row.state = CHANGED if changed else (PARTIAL if info.half_done or info.k3_state in HALF_DONE else SYNCED)
    else:
        row.state = NEW


def apply_states(rows: list[RecordRow], states: dict[str, SyncInfo]) -> None:
    for row in rows:
        apply_state(row, states.get(row.source_id))


@dataclass(slots=True)
class LineRow:
    """One line of an order exactly as the sync sends it (entry order, voided lines left out)."""

    product: str
    product_code: str
    quantity: float | None
    price: float | None
    subtotal: float | None
    unit: str = ""


@dataclass(slots=True)
class RunRow:
    """One sync run of the History page."""

    id: int
    flow: str
    started_at: datetime | None
    finished_at: datetime | None
    status: str
    counts: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False
    host: str = ""  # the PC that ran it
    #: What stopped the run (a refused login, no API quota, another sync holding the profile ...), or None.
    error: ErrorInfo | None = None
    os_user: str = ""  # and the OS (Windows) user


@dataclass(slots=True)
class ItemRow:
    """One record of a run: its journal state, K3Cloud number and the reason it failed or is held."""

    id: int
    run_id: int
    flow: str
    source_id: str
    idem_key: str
    state: str
    attempts: int = 0
    k3_id: str = ""
    k3_number: str = ""
    error: ErrorInfo | None = None
    updated_at: datetime | None = None
    action: str = ""  # what the item did to the K3Cloud document: "" (create), "update" or "void"
    diff: list[dict[str, str]] | None = None  # what differed from K3Cloud (an update, or a hold because of it)


@dataclass
class FieldChoice:
    """A field a mapping picker offers: its key, a label to show beside it, select options if any."""

    key: str
    label: str
    options: list[dict[str, Any]] | None = None


@dataclass
class DeliveryReport:
    """A deliveries run as a face reports it: the run's summary and how many owner messages went out."""

    summary: RunSummary
    messages_sent: int = 0
    #: Fxiaoke order _id -> how far it shipped now: "shipped", "partly" or "none" (orders the run looked at).
    order_states: dict[str, str] = field(default_factory=dict)

    @property
    def updated_orders(self) -> list[str]:
        """The Fxiaoke orders this run reported a shipment or return of."""
        return [fx_id for i in self.summary.items if i.status == "updated" for fx_id in i.fx_ids]

    @property
    def failures(self) -> list[tuple[str, ErrorInfo | None]]:
        """(shipment number, why) of each shipment that could not be reported."""
        return [(i.k3_number or i.source_id, i.error) for i in self.summary.items if i.status == "failed"]


@dataclass(slots=True)
class ProductRow:
    """One K3Cloud material as the Products page shows it, with its Fxiaoke product's state.

    ``state``: NEW (no product carries its number), SYNCED (equal), CHANGED (the product differs: the next sync
    updates it), HELD (needs a person: ``error`` says why) or FAILED (the last sync of it failed).
    """

    number: str
    name: str
    spec: str = ""
    unit: str = ""
    modified: str = ""
    fx_id: str = ""
    state: str = NEW
    error: ErrorInfo | None = None

    def search_text(self) -> str:
        return f"{self.number}\n{self.name}\n{self.spec}".lower()


@dataclass
class ProductEstimate:
    """What a products sync would write and how long Fxiaoke's rate limit makes it take (nothing written)."""

    creates: int
    updates: int
    held: int
    seconds: float
    text: Text
    large: bool  # long enough to wait for the rate limit


@dataclass(slots=True)
class ShipLine:
    """One line of a K3Cloud sales order: ordered, shipped (by the profile's shipment form) and returned so far."""

    seq: int
    material: str
    name: str
    ordered: float
    shipped: float
    returned: float

    @property
    def open(self) -> float:
        return max(0.0, self.ordered - self.shipped + self.returned)

    @property
    def net(self) -> float:
        return self.shipped - self.returned


@dataclass(frozen=True)
class RateWait:
    """A run now waits ``seconds`` for Fxiaoke's limit of ``calls`` calls per ``window_s`` seconds (sent to a face's
    progress callback between the run's ``Progress`` events; the run goes on by itself)."""

    seconds: float
    calls: int
    window_s: float
    side: str = "fxiaoke"


@dataclass(slots=True)
class InboxRecord:
    """One record that needs a person: its newest journal row, its number and why."""

    item_id: int
    flow: str
    source_id: str
    number: str
    state: str
    error: ErrorInfo | None = None
    k3_number: str = ""
    run_id: int = 0
    updated_at: datetime | None = None
    failures: int = 1  # runs in a row in which it failed


@dataclass
class InboxGroup:
    """Records held or failed for one cause a person must fix, e.g. 物料 MAT-9 在金蝶中不存在：14 张订单.

    ``key`` identifies the cause (stable across reloads); ``title`` names the thing and how many records wait on it;
    ``advice`` says what to do; ``can_retry``: the records can be sent again once the cause is fixed.
    """

    key: str
    code: str | None
    side: str
    title: Text
    advice: Text = EMPTY
    records: list[InboxRecord] = field(default_factory=list)
    can_retry: bool = True

    @property
    def item_ids(self) -> list[int]:
        return [r.item_id for r in self.records]

    @property
    def count(self) -> int:
        return len(self.records)
