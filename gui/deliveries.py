"""The deliveries run for the GUI: the since-date of the page and the order delivery states it sets."""

from __future__ import annotations

from datetime import date, datetime, time

from core.views import DeliveryReport as DeliveryResult
from gui.backend import run_deliveries

__all__ = ["KEEP", "SHIPPED", "STATE_CODES", "DeliveryResult", "run_deliveries", "since_of"]

#: How far an order shipped (core.sync.ship_status) -> the Orders page's delivery column code (logistics_status).
STATE_CODES = {"shipped": "3", "partly": "2", "none": "1"}
SHIPPED = "3"
KEEP = ("4",)  # received: set by a person, never changed by a deliveries run


def since_of(day: date | None) -> datetime | None:
    """The start of ``day`` on this computer's clock, time-zone aware (core converts it to K3Cloud's time)."""
    return None if day is None else datetime.combine(day, time.min).astimezone()
