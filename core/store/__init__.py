"""The local SQLite database (entry module: ``core/store/database.py``)."""

from __future__ import annotations

from core.store.database import Database
from core.store.exchange_log import ExchangeLogWriter
from core.store.models import (
    DeliveryNotice,
    Exchange,
    Link,
    Mapping,
    OperatorCache,
    Profile,
    SyncItem,
    SyncRun,
    Watermark,
    utcnow,
)

__all__ = [
    "Database", "ExchangeLogWriter", "DeliveryNotice", "Exchange", "Link", "Mapping", "OperatorCache", "Profile",
    "SyncItem", "SyncRun", "Watermark", "utcnow",
]
