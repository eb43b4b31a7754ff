"""待处理 Needs attention: the groups of records that wait on one cause, and the records of a group."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QColor

from core.views import InboxGroup, InboxRecord
from gui.i18n import current_language, pick, translate
from gui.models.base import Column, RowFilterProxy, RowTableModel
from gui.models.history import ITEM_COLORS, ITEM_STATE, flow_name

SIDES = {"fxiaoke": QT_TRANSLATE_NOOP("InboxColumns", "Fxiaoke"),
         "k3cloud": QT_TRANSLATE_NOOP("InboxColumns", "K3Cloud"),
         "mapping": QT_TRANSLATE_NOOP("InboxColumns", "Mapping"), "local": QT_TRANSLATE_NOOP("InboxColumns", "This PC")}


def _when(value: datetime | None) -> str:
    return value.astimezone().strftime("%m-%d %H:%M") if value else ""


def _side(group: InboxGroup) -> str:
    source = SIDES.get(group.side)
    return translate("InboxColumns", source) if source else group.side


def _flows(group: InboxGroup) -> str:
    return translate("InboxColumns", ", ").join(flow_name(f) for f in sorted({r.flow for r in group.records}))


GROUP_COLUMNS: list[Column[InboxGroup]] = [
    Column("title", QT_TRANSLATE_NOOP("InboxColumns", "Cause"), lambda g: pick(g.title),
           tooltip=lambda g: pick(g.title) + ("\n" + pick(g.advice) if pick(g.advice) else ""),
           foreground=lambda g: QColor("#b91c1c") if g.side in ("k3cloud", "mapping") else None),
    Column("count", QT_TRANSLATE_NOOP("InboxColumns", "Records"), lambda g: str(g.count), sort_key=lambda g: g.count,
           right=True),
    Column("flows", QT_TRANSLATE_NOOP("InboxColumns", "Kind"), _flows),
    Column("side", QT_TRANSLATE_NOOP("InboxColumns", "Where to fix"), _side),
    Column("advice", QT_TRANSLATE_NOOP("InboxColumns", "What to do"), lambda g: pick(g.advice).splitlines()[0]
           if pick(g.advice) else "", tooltip=lambda g: pick(g.advice)),
]


def _state(record: InboxRecord) -> str:
    source = ITEM_STATE.get(record.state)
    return translate("ItemState", source) if source else record.state


def _reason(record: InboxRecord) -> str:
    return record.error.text(current_language()) if record.error is not None else ""


RECORD_COLUMNS: list[Column[InboxRecord]] = [
    Column("number", QT_TRANSLATE_NOOP("InboxColumns", "Number"), lambda r: r.number),
    Column("flow", QT_TRANSLATE_NOOP("InboxColumns", "Kind"), lambda r: flow_name(r.flow)),
    Column("state", QT_TRANSLATE_NOOP("InboxColumns", "State"), _state,
           foreground=lambda r: QColor(ITEM_COLORS[r.state]) if r.state in ITEM_COLORS else None),
    Column("reason", QT_TRANSLATE_NOOP("InboxColumns", "Reason"), lambda r: _reason(r).splitlines()[0]
           if _reason(r) else "", tooltip=lambda r: _reason(r) + (
               "\n" + translate("InboxColumns", "Failed in {n} runs in a row.").format(n=r.failures)
               if r.failures > 1 else "")),
    Column("when", QT_TRANSLATE_NOOP("InboxColumns", "Last tried"), lambda r: _when(r.updated_at),
           sort_key=lambda r: r.updated_at.timestamp() if r.updated_at else 0),
    Column("source", QT_TRANSLATE_NOOP("InboxColumns", "Fxiaoke ID"), lambda r: r.source_id),
]


class InboxGroupsModel(RowTableModel[InboxGroup]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__("InboxColumns", GROUP_COLUMNS, parent)

    def record_count(self) -> int:
        """Records that need a person (one in two groups counts once)."""
        return len({(r.flow, r.source_id) for g in self.rows() for r in g.records})


class InboxRecordsModel(RowTableModel[InboxRecord]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__("InboxColumns", RECORD_COLUMNS, parent)


class InboxProxy(RowFilterProxy):
    """Filters groups (or records) by a search text over their words in both languages and their numbers."""

    def set_text(self, text: str) -> None:
        needle = text.strip().lower()
        self.set_predicate((lambda row: needle in _haystack(row)) if needle else None)


def _haystack(row: Any) -> str:
    if isinstance(row, InboxGroup):
        words = [row.title.zh, row.title.en, row.advice.zh, row.advice.en]
        words += [r.number for r in row.records] + [r.source_id for r in row.records]
    else:
        words = [row.number, row.source_id, row.flow, _reason(row)]
    return "\n".join(words).lower()
