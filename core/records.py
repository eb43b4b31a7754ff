"""Fxiaoke records for the faces: which fields a list needs, orders with their lines, records as table rows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from core.fxiaoke.client import FxiaokeClient
from core.views import RecordRow

#: Fxiaoke object of each kind of record the faces list.
OBJECTS = {"orders": "SalesOrderObj", "customers": "AccountObj", "payments": "PaymentObj"}
LINE_OBJECT = "SalesOrderProductObj"
#: The date a table shows and filters on, per kind.
DATE_FIELD = {"orders": "order_time", "customers": "create_time", "payments": "payment_time"}
#: The fields a table needs (a projection keeps 100k-row loads small).
FIELDS = {
    "orders": ["_id", "name", "account_id", "account_id__r", "order_amount", "order_time", "last_modified_time",
               "life_status", "logistics_status"],
    "customers": ["_id", "name", "account_no", "tel", "create_time", "last_modified_time", "life_status"],
    "payments": ["_id", "name", "account_id", "account_id__r", "order_id", "order_id__r", "payment_amount",
                 "payment_time", "last_modified_time", "life_status"],
}
#: Orders per batch whose lines are fetched together with ``order_id IN``. Only the last page of lines of a batch is
#: partly filled, so bigger batches fill the pages: at 3-4 lines per order, 500 orders are ~18 pages of 100 lines with
#: one partial, against 4 with one partial for 100 orders (issue 15: 1,001 line queries instead of ~902 for 20,000
#: orders). The reference names no limit on the values of ``IN`` (fxiaoke-openapi.md §3.5); 500 ids are ~13 KB.
LINE_BATCH = 500


def orders_with_lines(fx: FxiaokeClient, *, limit: int | None = None, filters: Any = None,
                      orders: Any = None) -> Iterator[dict[str, Any]]:
    """Orders, each with its SalesOrderProductObj rows under ``lines``; lines fetched per batch of orders."""
    batch: list[dict[str, Any]] = []
    for order in fx.query(OBJECTS["orders"], filters=filters, orders=orders, limit=limit):
        batch.append(order)
        if len(batch) >= LINE_BATCH:
            yield from _attach_lines(fx, batch)
            batch = []
    if batch:
        yield from _attach_lines(fx, batch)


def _attach_lines(fx: FxiaokeClient, orders: list[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    by_order: dict[str, list[dict[str, Any]]] = {str(o["_id"]): [] for o in orders}
    for line in fx.query(LINE_OBJECT, filters=[("order_id", "IN", list(by_order))]):
        by_order.setdefault(str(line.get("order_id")), []).append(line)
    for o in orders:
        yield {**o, "lines": by_order.get(str(o["_id"]), [])}


def _num(value: Any) -> float | None:
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None


def _int(value: Any) -> int | None:
    try:
        return None if value in (None, "") else int(value)
    except (TypeError, ValueError):
        return None


def record_row(kind: str, rec: dict[str, Any]) -> RecordRow:
    """A table row from a Fxiaoke record (orders: SalesOrderObj; customers: AccountObj; payments: PaymentObj, its
    order's name in ``extra``)."""
    if kind == "payments":
        return RecordRow(
            source_id=str(rec.get("_id") or ""), number=str(rec.get("name") or ""), name=str(rec.get("name") or ""),
            customer=str(rec.get("account_id__r") or rec.get("account_id") or ""),
            amount=_num(rec.get("payment_amount")), date_ms=_int(rec.get("payment_time")),
            modified_ms=_int(rec.get("last_modified_time")), customer_id=str(rec.get("account_id") or ""),
            extra=str(rec.get("order_id__r") or rec.get("order_id") or ""),
        )
    if kind == "orders":  # the hot path of a 100,000-row table (benchmarks/gui_orders_model.py): each field read once
        get = rec.get
        name, customer_id = str(get("name") or ""), str(get("account_id") or "")
        return RecordRow(
            source_id=str(get("_id") or ""), number=name, name=name,
            customer=str(get("account_id__r") or customer_id), amount=_num(get("order_amount")),
            date_ms=_int(get("order_time")), modified_ms=_int(get("last_modified_time")), customer_id=customer_id,
            delivery=str(get("logistics_status") or ""),
        )
    return RecordRow(
        source_id=str(rec.get("_id") or ""), number=str(rec.get("account_no") or ""), name=str(rec.get("name") or ""),
        date_ms=_int(rec.get("create_time")), modified_ms=_int(rec.get("last_modified_time")),
        extra=str(rec.get("tel") or ""),
    )


def number(value: Any) -> float | None:
    """A Fxiaoke number (sent as a string) as a float for display, or None."""
    return _num(value)
