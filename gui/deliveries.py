"""The deliveries run for the GUI: the since-date of the page and the order delivery states it sets."""

from __future__ import annotations

from datetime import date, datetime, time

from core.views import DeliveryReport as DeliveryResult
from gui.backend import run_deliveries

__all__ = ["KEEP", "SHIPPED", "DeliveryResult", "run_deliveries", "since_of"]

#: Fxiaoke SalesOrderObj.logistics_status values (what core.sync.deliveries writes is "3").
SHIPPED = "3"
KEEP = ("3", "4")


def since_of(day: date | None) -> datetime | None:
    """The start of ``day`` on this computer's clock, time-zone aware (core converts it to K3Cloud's time)."""
    return None if day is None else datetime.combine(day, time.min).astimezone()
