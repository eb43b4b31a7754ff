"""The exchange log: a sink storing redacted ``core.http.ExchangeRecord``s, and its pruning."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import SQLAlchemyError

from core.store.database import Database
from core.store.errors import StoreError
from core.store.models import Exchange

log = logging.getLogger("fxk3sync.store")

MAX_BODY_BYTES = 1024 * 1024
_TRUNCATED = "\n…[truncated {n} bytes / 已截断 {n} 字节]"


def _nul_free(value: str) -> str:
    # PostgreSQL text cannot hold NUL; a server may send one. Shown escaped, the same on both backends.
    return value.replace("\x00", "\\u0000")


def _short(value: Any) -> str | None:
    return None if value is None else _nul_free(str(value))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    elif not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False, default=str)
    value = _nul_free(value)
    raw = value.encode("utf-8")
    if len(raw) <= MAX_BODY_BYTES:
        return value
    return raw[:MAX_BODY_BYTES].decode("utf-8", errors="ignore") + _TRUNCATED.format(n=len(raw) - MAX_BODY_BYTES)


def _when(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, UTC)
    return datetime.now(UTC)


def to_row(record: Any, run_id: int | None = None) -> Exchange:
    """An ``Exchange`` row from anything shaped like ``core.http.ExchangeRecord`` (duck-typed)."""
    get = record.get if isinstance(record, dict) else lambda k, d=None: getattr(record, k, d)
    status = get("status")
    code = get("code")
    error = get("error")
    return Exchange(
        at=_when(get("at")),
        side=_nul_free(str(get("side") or "")),
        method=_nul_free(str(get("method") or "POST")),
        endpoint=_nul_free(str(get("endpoint") or "")),
        url=_nul_free(str(get("url") or "")),
        status=int(status) if status is not None else None,
        code=_short(code),
        trace_id=_short(get("trace_id")),
        elapsed_ms=float(get("elapsed_ms") or 0.0),
        request_text=_text(get("request_body")),
        response_text=_text(get("response_body")),
        error_text=None if error is None else _text(error if isinstance(error, (str, bytes)) else str(error)),
        run_id=run_id if run_id is not None else get("run_id"),
    )


class ExchangeLogWriter:
    """A sink for ``HttpClient(sinks=[...])``: one row per exchange, bodies capped at 1 MB.

    Args:
        db: the database to write to.
        run_id: the sync run the exchanges belong to, if any.
    """

    def __init__(self, db: Database, run_id: int | None = None) -> None:
        self.db = db
        self.run_id = run_id

    def __call__(self, record: Any) -> None:
        # A failing log write (even a full disk: StoreError) must never turn a landed K3Cloud write into an error;
        # it is logged instead, and the journal's own next write reports the full disk.
        try:
            with self.db.session() as s:
                s.add(to_row(record, self.run_id))
        except (SQLAlchemyError, StoreError) as exc:  # the reason, not a traceback: the CLI prints no traceback
            log.warning("could not store an exchange record / 无法保存接口记录: %s", exc)

    def prune(self, max_age_days: float = 30, max_rows: int = 200_000) -> int:
        """Delete exchanges older than ``max_age_days`` and the oldest beyond ``max_rows``; returns how many."""
        return prune(self.db, max_age_days=max_age_days, max_rows=max_rows)


def read_exchanges(db: Database, *, run_id: int | None = None, between: tuple[datetime, datetime] | None = None,
                   limit: int = 5000) -> list[Exchange]:
    """Stored exchanges, oldest first: those of run ``run_id``, or the untagged ones made ``between`` two times."""
    stmt = select(Exchange)
    if run_id is not None:
        stmt = stmt.where(Exchange.run_id == run_id)
    if between is not None:
        stmt = stmt.where(Exchange.run_id.is_(None), Exchange.at >= between[0], Exchange.at <= between[1])
    with db.session() as s:
        rows = list(s.scalars(stmt.order_by(Exchange.id.desc()).limit(limit)))
    rows.reverse()
    return rows


def _count(result: object) -> int:
    """Rows a DELETE touched (``CursorResult.rowcount``; typed loosely by SQLAlchemy's ``execute``)."""
    return int(getattr(result, "rowcount", 0) or 0)


def prune(db: Database, *, max_age_days: float = 30, max_rows: int = 200_000) -> int:
    """Delete old exchanges and keep at most ``max_rows``; returns the number removed."""
    cutoff = datetime.now(UTC) - timedelta(days=max_age_days)
    with db.session() as s:
        removed = _count(s.execute(delete(Exchange).where(Exchange.at < cutoff)))
        total = s.scalar(select(func.count()).select_from(Exchange)) or 0
        if total > max_rows:
            # ids grow with insertion time, so the ids past the newest max_rows are the oldest rows.
            stmt = delete(Exchange)
            if max_rows > 0:
                newest = select(Exchange.id).order_by(Exchange.id.desc()).offset(max_rows - 1).limit(1)
                stmt = stmt.where(Exchange.id < s.scalar(newest))
            removed += _count(s.execute(stmt))
    return removed
