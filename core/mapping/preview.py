"""Preview: the exact JSON a Save would send for one record, computed locally; nothing is sent."""

from __future__ import annotations

import json

from core.mapping.apply import apply
from core.mapping.model import Mapping
from core.mapping.transforms import Lookups


def preview(
    mapping: Mapping, record: dict, *, lines: list[dict] | None = None, lookups: Lookups | None = None,
    settings: dict | None = None,
) -> str:
    """The Save ``data`` package for ``record`` as indented JSON (Chinese kept readable); raises MappingError."""
    payload = apply(mapping, record, lines=lines, lookups=lookups, settings=settings)
    return json.dumps(payload.data_package(mapping), indent=2, ensure_ascii=False)
