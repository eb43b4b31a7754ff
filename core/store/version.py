"""The store's schema version and busy timeout, apart from the migrations so that opening an up-to-date store needs
no SQLAlchemy (start-up speed: the CLI reads its profile before the ORM is imported)."""

from __future__ import annotations

#: The schema version this program writes; ``migrations.MIGRATIONS`` must end at it (checked when it is imported).
LATEST = 5
BUSY_TIMEOUT_MS = 10_000
