"""Thread glue from the pages to the application service (``core.workspace``); no logic of its own.

A page binds the profile when the user acts (``connector``), then a worker opens that profile's ``Workspace``, makes
one service call, and closes it. Task progress and cancel are handed through; the values come back as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from core.doctor_types import DoctorReport, Step
from core.errors import ConfigError, ErrorInfo
from core.mapping.model import Mapping
from core.profiles import Profile
from core.secrets import SecretStore
from core.store.choice import (
    StoreChoice,
    env_override,
    get_password,
    load_choice,
    save_choice,
    server_url,
    set_password,
)
from core.store.doctor import check_store
from core.views import (
    DeliveryReport,
    FieldChoice,
    InboxGroup,
    ItemRow,
    LineRow,
    ProductEstimate,
    ProductRow,
    RateWait,
    RecordRow,
    RunRow,
    RunSummary,
    ShipLine,
    ShipStatusMapping,
    SyncInfo,
    SyncRequest,
    apply_state,
    apply_states,
)
from gui.i18n import current_language
from gui.tasks import TaskContext

if TYPE_CHECKING:
    from core.workspace import Workspace

# Start-up speed (benchmarks/gui_startup.py): the workspace brings the HTTP clients (requests); the glue runs in
# workers, after the window is shown, and gets it from ``ctx.workspace`` or imports it where it is used.

__all__ = ["DeliveryReport", "FieldChoice", "RateWait", "StoreChoice", "SyncInfo", "apply_state", "apply_states",
           "connector", "env_override", "error_message"]

Opener = Callable[[], "Workspace"]


def connector(ctx: Any, name: str | None = None) -> Opener:
    """Binds the profile now, in the GUI thread: a queued task works on *that* profile later, even if the user
    switched profiles meanwhile (a sync must never run against the newly chosen ERP)."""
    name = name or ctx.profile_name
    return lambda: ctx.workspace(name)


def error_message(error: ErrorInfo | None) -> str:
    """An item's error in the UI language (message and advice)."""
    return "" if error is None else error.text(current_language())


def run_doctor(open_ws: Opener) -> DoctorReport:
    with open_ws() as ws:
        return ws.doctor()


def data_centers(profile: Profile, sinks: list[Any]) -> list[dict[str, Any]]:
    """The data centres of the K3Cloud site in the form (not saved yet): only the URL and CA bundle are needed."""
    from core.workspace import data_centers_of  # start-up speed: see the note at the top

    return data_centers_of(profile, sinks)


def load_records(open_ws: Opener, kind: str, date_from_ms: int | None, date_to_ms: int | None,
                 task: TaskContext) -> list[RecordRow]:
    with open_ws() as ws:
        return ws.records(kind, date_from_ms, date_to_ms, cancel=task.cancel_event, on_count=task.progress)


def sync_states(open_ws: Opener, kind: str, source_ids: list[str]) -> dict[str, SyncInfo]:
    with open_ws() as ws:
        return ws.record_states(kind, source_ids)


def order_lines(open_ws: Opener, order_id: str) -> list[LineRow]:
    with open_ws() as ws:
        return ws.order_lines(order_id)


def preview(open_ws: Opener, flow: str, source_id: str, mapping: Mapping | None = None) -> str:
    with open_ws() as ws:
        return ws.preview(flow, source_id, mapping)


def run_sync(open_ws: Opener, flow: str, ids: list[str], task: TaskContext) -> RunSummary:
    with open_ws() as ws:
        return ws.sync(SyncRequest(flow, ids=list(ids)), cancel=task.cancel_event, on_progress=task.progress)


def retry(open_ws: Opener, item_ids: list[int], task: TaskContext | None = None) -> RunSummary:
    with open_ws() as ws:
        return ws.retry(item_ids, cancel=task.cancel_event if task else None,
                        on_progress=task.progress if task else None)


def mark_resolved(open_ws: Opener, item_ids: list[int], task: TaskContext | None = None) -> None:
    with open_ws() as ws:
        ws.mark_resolved(item_ids)


def run_deliveries(open_ws: Opener, since: datetime | None, task: TaskContext) -> DeliveryReport:
    with open_ws() as ws:
        return ws.deliveries(since, cancel=task.cancel_event, on_progress=task.progress)


def load_runs(open_ws: Opener) -> list[RunRow]:
    with open_ws() as ws:
        return ws.history()


def load_items(open_ws: Opener, run_id: int) -> list[ItemRow]:
    with open_ws() as ws:
        return ws.run_items(run_id)


def run_exchanges(open_ws: Opener, run_id: int) -> list[Any]:
    """The API calls of one run (``ExchangeRecord`` values, as the log pane shows them)."""
    with open_ws() as ws:
        return ws.run_exchanges(run_id)


def load_inbox(open_ws: Opener) -> list[InboxGroup]:
    with open_ws() as ws:
        return ws.inbox()


def load_mapping(open_ws: Opener, flow: str) -> tuple[Mapping, int]:
    with open_ws() as ws:
        return ws.mapping(flow)


def save_mapping(open_ws: Opener, flow: str, mapping: Mapping) -> int:
    with open_ws() as ws:
        return ws.save_mapping(flow, mapping)


def reset_mapping(open_ws: Opener, flow: str) -> int:
    with open_ws() as ws:
        return ws.reset_mapping(flow)


def import_mapping(open_ws: Opener, flow: str, path: str) -> int:
    with open_ws() as ws:
        return ws.import_mapping(flow, path)


def mapping_choices(open_ws: Opener, mapping: Mapping) -> tuple[dict[str, list[FieldChoice]], list[FieldChoice],
                                                                  list[tuple[str, str]]]:
    """The field pickers (Fxiaoke describe, K3Cloud form info) and a few records to preview against."""
    objects = [mapping.source_object] + ([mapping.detail_object] if mapping.detail_object else [])
    with open_ws() as ws:
        return (ws.fx_fields(objects), ws.k3_fields(mapping.form_id, mapping.entry_key, current_language()),
                ws.sample_ids(mapping.source_object))


def load_products(open_ws: Opener, task: TaskContext | None = None) -> list[ProductRow]:
    with open_ws() as ws:
        return ws.product_rows()


def plan_products(open_ws: Opener, numbers: list[str] | None) -> ProductEstimate:
    with open_ws() as ws:
        return ws.plan_products(SyncRequest("products", ids=numbers))


def run_products(open_ws: Opener, numbers: list[str] | None, task: TaskContext) -> RunSummary:
    with open_ws() as ws:
        return ws.sync(SyncRequest("products", ids=numbers), cancel=task.cancel_event, on_progress=task.progress)


def shipment_lines(open_ws: Opener, order_id: str) -> tuple[str, list[ShipLine]]:
    with open_ws() as ws:
        return ws.shipment_lines(order_id)


def load_ship_status(open_ws: Opener) -> ShipStatusMapping:
    with open_ws() as ws:
        return ws.ship_status()


def save_ship_status(open_ws: Opener, mapping: ShipStatusMapping) -> int:
    with open_ws() as ws:
        return ws.save_ship_status(mapping)


def order_fields(open_ws: Opener) -> list[FieldChoice]:
    """The sales order's single-choice fields (with their options) from Fxiaoke's describe."""
    with open_ws() as ws:
        return [f for f in ws.fx_fields(["SalesOrderObj"])["SalesOrderObj"] if f.options]


# -- this PC's data store (not a profile's: profiles live inside it) --------------------------------------------------
def data_store_choice(secrets: SecretStore) -> tuple[StoreChoice, bool]:
    """The saved data store choice, and whether the keyring holds its password (False for the file)."""
    choice = load_choice()
    return choice, bool(choice.url and get_password(secrets, choice.url))


def check_data_store(url: str | None, password: str, secrets: SecretStore) -> list[Step]:
    """Checks a data store without changing it; an empty password field means the one the keyring holds."""
    if url and not password:
        try:
            password = get_password(secrets, server_url(url)) or ""
        except ConfigError:
            pass  # the check itself reports the URL
    return check_store(url, password or None)


def save_data_store(url: str | None, password: str, secrets: SecretStore) -> StoreChoice:
    """Saves the choice (URL checked, never with a password); a typed password goes to the keyring only."""
    choice = StoreChoice(server_url(url) if url else None)
    if choice.url and password:
        set_password(secrets, choice.url, password)
    save_choice(choice)
    return choice
