"""The store: the SQLite file or a shared PostgreSQL database (entry module: ``core/store/database.py``).

The names below are loaded on first use (PEP 562): ``from core.store import Database`` does not import the ORM
models, so opening an up-to-date SQLite store costs no SQLAlchemy import (start-up speed, benchmarks/cli_startup.py).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_WHERE = {
    "Database": "core.store.database", "StoreError": "core.store.errors",
    "ExchangeLogWriter": "core.store.exchange_log",
    **{name: "core.store.models" for name in (
        "DeliveryNotice", "Exchange", "Link", "LockHolder", "Mapping", "OperatorCache", "Profile", "SyncClaim",
        "SyncItem", "SyncRun", "Watermark", "utcnow")},
}

__all__ = [
    "Database", "ExchangeLogWriter", "DeliveryNotice", "Exchange", "Link", "LockHolder", "Mapping", "OperatorCache",
    "Profile", "StoreError", "SyncClaim", "SyncItem", "SyncRun", "Watermark", "utcnow",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'core.store' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value
