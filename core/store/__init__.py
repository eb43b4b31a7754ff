"""The store: the SQLite file or a shared PostgreSQL database (entry module: ``core/store/database.py``)."""

from __future__ import annotations

from core.store.database import Database
from core.store.errors import StoreError
from core.store.exchange_log import ExchangeLogWriter
from core.store.models import (
    DeliveryNotice,
    Exchange,
    Link,
    LockHolder,
    Mapping,
    OperatorCache,
    Profile,
    SyncClaim,
    SyncItem,
    SyncRun,
    Watermark,
    utcnow,
)

__all__ = [
    "Database", "ExchangeLogWriter", "DeliveryNotice", "Exchange", "Link", "LockHolder", "Mapping", "OperatorCache",
    "Profile", "StoreError", "SyncClaim", "SyncItem", "SyncRun", "Watermark", "utcnow",
]
