"""core.store.exchange_log: redacted exchange records land in the exchanges table, capped and pruned."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import func, select

from core.http import ExchangeRecord
from core.store import Database, Exchange, ExchangeLogWriter
from core.store.exchange_log import MAX_BODY_BYTES


def _record(at: datetime | None = None, **kw) -> ExchangeRecord:
    base = dict(at=at or datetime.now(UTC), side="k3cloud", method="POST", endpoint="Save",
                url="https://erp.example.com/K3Cloud/"
                    "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc",
                status=200, elapsed_ms=182.5, request_body='{"formid":"BD_Customer"}',
                response_body='{"Result":{"ResponseStatus":{"IsSuccess":true}}}', code="0", trace_id=None, error=None)
    base.update(kw)
    return ExchangeRecord(**base)


def test_writer_stores_every_field(store: Database) -> None:
    at = datetime(2026, 11, 28, 2, 3, 4, tzinfo=UTC)
    ExchangeLogWriter(store, run_id=7)(_record(at, side="fxiaoke", endpoint="cgi/crm/v2/data/query", status=None,
                                            code="20016", trace_id="E-123", error="token expired 令牌过期"))
    with store.session() as s:
        row = s.scalar(select(Exchange))
        assert row is not None
        assert (row.at, row.side, row.method, row.endpoint) == (at, "fxiaoke", "POST", "cgi/crm/v2/data/query")
        assert (row.status, row.code, row.trace_id, row.elapsed_ms, row.run_id) == (None, "20016", "E-123", 182.5, 7)
        assert row.request_text == '{"formid":"BD_Customer"}'
        assert row.response_text.startswith('{"Result"')
        assert row.error_text == "token expired 令牌过期"


def test_bodies_are_truncated_to_one_megabyte(store: Database) -> None:
    big = "数" * MAX_BODY_BYTES  # 3 bytes per character in UTF-8
    ExchangeLogWriter(store)(_record(request_body=big, response_body="x" * (MAX_BODY_BYTES + 10)))
    with store.session() as s:
        row = s.scalar(select(Exchange))
        assert row is not None and row.run_id is None
        assert "[truncated" in row.request_text and "已截断" in row.request_text
        assert len(row.request_text.split("\n…[truncated")[0].encode("utf-8")) <= MAX_BODY_BYTES
        assert row.response_text.startswith("x" * 1000) and "truncated 10 bytes" in row.response_text


def test_prune_by_age_then_by_row_count(store: Database) -> None:
    now = datetime.now(UTC)
    writer = ExchangeLogWriter(store)
    for days in (40, 35):
        writer(_record(now - timedelta(days=days), endpoint=f"old-{days}"))
    for i in range(5):
        writer(_record(now - timedelta(minutes=10 - i), endpoint=f"new-{i}"))
    assert writer.prune(max_age_days=30, max_rows=200_000) == 2
    assert writer.prune(max_age_days=30, max_rows=3) == 2
    with store.session() as s:
        kept = s.scalars(select(Exchange.endpoint).order_by(Exchange.id)).all()
        assert kept == ["new-2", "new-3", "new-4"]
    assert writer.prune(max_age_days=30, max_rows=3) == 0
    assert writer.prune(max_age_days=30, max_rows=0) == 3
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Exchange)) == 0
