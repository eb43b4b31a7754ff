"""The deliveries run for the GUI (worker side, no widgets): K3Cloud out-stocks -> Fxiaoke order status + messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select

from core.store import DeliveryNotice
from gui.backend import Conn, error_message
from gui.tasks import TaskContext

#: Fxiaoke SalesOrderObj.logistics_status values (what core.sync.deliveries writes is "3").
SHIPPED = "3"
KEEP = ("3", "4")


@dataclass
class DeliveryResult:
    """A deliveries run as the page reports it: the engine's ``RunSummary`` and the messages it sent."""

    summary: Any
    messages_sent: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (out-stock number, reason in the UI language)

    @property
    def updated_orders(self) -> list[str]:
        """Source ids of the Fxiaoke orders marked as shipped by this run."""
        return [i.source_id for i in self.summary.items if i.status == "updated"]


def since_of(day: date | None) -> datetime | None:
    """The start of ``day`` on this computer's clock, time-zone aware (core converts it to K3Cloud's time)."""
    return None if day is None else datetime.combine(day, time.min).astimezone()


def run_deliveries(conn: Conn, since: datetime | None, task: TaskContext) -> DeliveryResult:
    """Runs the ``deliveries`` flow (since ``since``, else the stored watermark); progress events go to ``task``."""
    import json

    from core.sync.model import SyncRequest

    with conn.engine() as engine:
        gen = engine.run(SyncRequest("deliveries", since=since), cancel=task.cancel_event)
        while True:
            try:
                event = next(gen)
            except StopIteration as stop:
                summary = stop.value
                break
            task.progress(event)
    failures = [(i.k3_number or i.source_id, error_message(json.dumps(i.error, ensure_ascii=False)) or "?")
                for i in summary.items if i.status == "failed"]
    numbers = [i.k3_number for i in summary.items if i.status == "updated" and i.k3_number]
    return DeliveryResult(summary, messages_sent(conn, numbers), failures)


def messages_sent(conn: Conn, numbers: list[str]) -> int:
    """How many of these out-stock bills have their owner message recorded as sent."""
    if not numbers:
        return 0
    sent = 0
    with conn.db.session() as s:
        for i in range(0, len(numbers), 500):
            q = select(DeliveryNotice.id).where(DeliveryNotice.profile_id == conn.profile_id,
                                                DeliveryNotice.outstock_number.in_(numbers[i:i + 500]),
                                                DeliveryNotice.message_sent_at.is_not(None))
            sent += len(s.scalars(q).all())
    return sent
