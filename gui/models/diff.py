"""What the newest sync of the selected record found different from K3Cloud, field by field."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

from core.diffs import field_label
from gui.i18n import current_language
from gui.models.base import Column, RowTableModel

#: One difference: {"field", "k3", "new"} (core.diffs); "" is an empty value.
DiffRow = dict[str, str]


def _label(row: DiffRow) -> str:
    return field_label(str(row.get("field") or "")).pick(current_language())


def _value(text: str | None) -> str:
    return text if text else "—"


COLUMNS: list[Column[DiffRow]] = [
    Column("field", QT_TRANSLATE_NOOP("DiffColumns", "Field"), _label, tooltip=lambda r: str(r.get("field") or "")),
    Column("k3", QT_TRANSLATE_NOOP("DiffColumns", "In K3Cloud"), lambda r: _value(r.get("k3"))),
    Column("new", QT_TRANSLATE_NOOP("DiffColumns", "From Fxiaoke"), lambda r: _value(r.get("new"))),
]


class DiffModel(RowTableModel[DiffRow]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__("DiffColumns", COLUMNS, parent)
