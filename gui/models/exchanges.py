"""The log pane's model: redacted API exchanges, newest last, bounded; filter by side, errors only, text."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QColor

from gui.i18n import translate
from gui.models.base import Column, RowFilterProxy, RowTableModel

MAX_ROWS = 5000
OK_CODES = {"", "0", "None"}


def is_error(rec: Any) -> bool:
    """A transport failure, an HTTP error, or a business error code."""
    status = getattr(rec, "status", None)
    if getattr(rec, "error", None) or status is None or status >= 400:
        return True
    code = str(getattr(rec, "code", "") or "")
    return code not in OK_CODES and code != "LoginResultType 1"


def side_label(side: str) -> str:
    return {"fxiaoke": translate("Sides", "Fxiaoke"), "k3cloud": translate("Sides", "K3Cloud")}.get(side, side)


def _time(rec: Any) -> str:
    at = getattr(rec, "at", None)
    try:
        return at.astimezone().strftime("%H:%M:%S")
    except (AttributeError, ValueError):
        return ""


def short_endpoint(endpoint: str) -> str:
    """``Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc`` -> ``DynamicFormService.Save``."""
    if endpoint.endswith(".common.kdsvc"):
        parts = endpoint[: -len(".common.kdsvc")].split(".")
        return ".".join(parts[-2:])
    return endpoint


def _code(rec: Any) -> str:
    code = getattr(rec, "code", None)
    return "" if code is None else str(code)


def _color(rec: Any) -> QColor | None:
    return QColor("#b91c1c") if is_error(rec) else None


COLUMNS: list[Column[Any]] = [
    Column("time", QT_TRANSLATE_NOOP("LogColumns", "Time"), _time, sort_key=lambda r: r.at.timestamp()),
    Column("side", QT_TRANSLATE_NOOP("LogColumns", "Side"), lambda r: side_label(r.side)),
    Column("endpoint", QT_TRANSLATE_NOOP("LogColumns", "Endpoint"), lambda r: short_endpoint(r.endpoint),
           tooltip=lambda r: r.url, foreground=_color),
    Column("status", QT_TRANSLATE_NOOP("LogColumns", "HTTP"), lambda r: "—" if r.status is None else str(r.status),
           sort_key=lambda r: r.status or 0, right=True, foreground=_color),
    Column("code", QT_TRANSLATE_NOOP("LogColumns", "Code"), _code, foreground=_color,
           tooltip=lambda r: r.error or ""),
    Column("elapsed", QT_TRANSLATE_NOOP("LogColumns", "Elapsed"), lambda r: f"{r.elapsed_ms:,.0f} ms",
           sort_key=lambda r: r.elapsed_ms, right=True),
]


class ExchangeModel(RowTableModel[Any]):
    """Keeps at most ``MAX_ROWS`` exchanges (the database keeps them all)."""

    def __init__(self, parent: Any = None, max_rows: int = MAX_ROWS) -> None:
        super().__init__("LogColumns", COLUMNS, parent)
        self.max_rows = max_rows

    def add(self, record: Any) -> None:
        overflow = len(self.rows()) + 1 - self.max_rows
        if overflow > 0:
            self.remove_first(overflow)
        self.append_rows([record])

    def clear(self) -> None:
        self.set_rows([])


class ExchangeProxy(RowFilterProxy):
    """Side (``""`` = both), errors only, free text over endpoint, code, url and error."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.side = ""
        self.errors_only = False
        self.text = ""

    def update(self, *, side: str | None = None, errors_only: bool | None = None, text: str | None = None) -> None:
        if side is not None:
            self.side = side
        if errors_only is not None:
            self.errors_only = errors_only
        if text is not None:
            self.text = text.strip().lower()
        side_, errors, needle = self.side, self.errors_only, self.text
        if not (side_ or errors or needle):
            self.set_predicate(None)
            return

        def accept(rec: Any) -> bool:
            if side_ and rec.side != side_:
                return False
            if errors and not is_error(rec):
                return False
            if needle:
                hay = f"{rec.endpoint} {rec.code or ''} {rec.url} {rec.error or ''} {rec.trace_id or ''}".lower()
                return needle in hay
            return True

        self.set_predicate(accept)
