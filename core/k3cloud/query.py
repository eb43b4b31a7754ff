"""ExecuteBillQuery/BillQuery helpers: request data, filter quoting, primary keys, and checking the result shape."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from core.errors import BadResponseError, PagingError, Text
from core.http import TRY_LATER
from core.k3cloud.results import get_ci

#: Internal-id (primary key) field per form; bills use FID. Some base data has no FID column at all.
PRIMARY_KEYS: dict[str, str] = {
    "bd_customer": "FCUSTID",
    "bd_material": "FMATERIALID",
    "bd_unit": "FUNITID",
    "org_organizations": "FORGID",
    "bd_currency": "FCURRENCYID",
    "bd_supplier": "FSUPPLIERID",
    "bd_stock": "FSTOCKID",
    "bd_empinfo": "FID",
    "bd_department": "FDEPTID",
}

MAX_LIMIT = 10000


def primary_key(form_id: str) -> str:
    """The internal-id field of a form (FID unless the form is known to use another)."""
    return PRIMARY_KEYS.get(form_id.lower(), "FID")


def number_key(form_id: str) -> str:
    """The number field of a form: FNumber for base data (``BD_``/``ORG_``), FBillNo for bills."""
    return "FNumber" if form_id.upper().startswith(("BD_", "ORG_")) else "FBillNo"


def quote_value(value: Any) -> str:
    """A filter literal: single quotes doubled so a customer's name cannot break the filter."""
    return "'" + str(value).replace("'", "''") + "'"


def in_filter(field_key: str, values: Iterable[Any]) -> str:
    """``FNumber IN ('a','b')``."""
    return f"{field_key} IN ({','.join(quote_value(v) for v in values)})"


def and_filters(*parts: str) -> str:
    """Joins non-empty filter strings with AND, each in parentheses."""
    parts = tuple(p for p in parts if p and p.strip())
    if len(parts) <= 1:
        return parts[0] if parts else ""
    return " AND ".join(f"({p})" for p in parts)


def query_data(form_id: str, field_keys: list[str], *, filter: str = "", order: str = "", start: int = 0,
               limit: int = 2000) -> dict[str, Any]:
    """The ``data`` of ExecuteBillQuery/BillQuery.

    ``TopRowCount`` is sent as StartRow + Limit: right whether the server reads it as an absolute end row or as a
    maximum row count.
    """
    if not field_keys:
        raise ValueError("field_keys must not be empty")
    limit = max(1, min(int(limit), MAX_LIMIT))
    return {
        "FormId": form_id,
        "FieldKeys": ",".join(field_keys),
        "FilterString": filter or "",
        "OrderString": order or "",
        "TopRowCount": int(start) + limit,
        "StartRow": int(start),
        "Limit": limit,
        "SubSystemId": "",
    }


def shape_error(form_id: str, endpoint: str, got: Any) -> BadResponseError:
    kind = type(got).__name__
    return BadResponseError(
        Text(f"金蝶查询 {form_id} 返回的数据格式不对（期望表格，收到 {kind}）。",
             f"K3Cloud query of {form_id} returned data of the wrong shape (expected rows, got {kind})."),
        Text("稍后重试；如果一直出现，请把日志导出给技术支持。",
             "Try again later; if it keeps happening, export the log for support."),
        side="k3cloud", raw=str(got)[:2000], sent=False,
    )


#: Values a query cell may hold; a list or object in a cell is no ExecuteBillQuery answer.
_CELL_TYPES = (str, int, float, bool, type(None))


def _row_error(form_id: str, what: Text, got: Any) -> BadResponseError:
    return BadResponseError(
        Text(f"金蝶查询 {form_id} 返回的数据格式不对：{what.zh}。",
             f"K3Cloud query of {form_id} returned data of the wrong shape: {what.en}."),
        TRY_LATER,
        side="k3cloud", raw=str(got)[:2000], sent=False,
    )


def _check_cells(form_id: str, n: int, row: list[Any], field_keys: list[str], obj: Any) -> list[Any]:
    if len(row) != len(field_keys):
        raise _row_error(form_id, Text(f"第 {n + 1} 行有 {len(row)} 个值，应为 {len(field_keys)} 个",
                                       f"row {n + 1} has {len(row)} values for {len(field_keys)} fields"), obj)
    for key, cell in zip(field_keys, row, strict=True):
        if not isinstance(cell, _CELL_TYPES):
            raise _row_error(form_id, Text(f"第 {n + 1} 行的 {key} 不是单个值（{type(cell).__name__}）",
                                           f"{key} of row {n + 1} is not a single value ({type(cell).__name__})"), obj)
    return row


def as_rows(obj: Any, field_keys: list[str], form_id: str) -> list[list[Any]]:
    """ExecuteBillQuery rows as lists in field-key order, one value per field; rows that came as objects are
    re-ordered. A row of the wrong width or a cell holding a list or object is a ``BadResponseError``."""
    if not isinstance(obj, list):
        raise shape_error(form_id, "ExecuteBillQuery", obj)
    rows: list[list[Any]] = []
    for n, row in enumerate(obj):
        if isinstance(row, list):
            rows.append(_check_cells(form_id, n, row, field_keys, obj))
        elif isinstance(row, dict):
            rows.append(_check_cells(form_id, n, [get_ci(row, k) for k in field_keys], field_keys, obj))
        else:
            raise shape_error(form_id, "ExecuteBillQuery", obj)
    return rows


def as_dicts(obj: Any, field_keys: list[str], form_id: str) -> list[dict[str, Any]]:
    """BillQuery rows as dicts keyed by field key; rows that came as lists are zipped with the keys."""
    if not isinstance(obj, list):
        raise shape_error(form_id, "BillQuery", obj)
    out: list[dict[str, Any]] = []
    for n, row in enumerate(obj):
        if isinstance(row, dict):
            out.append({k: get_ci(row, k) for k in field_keys} if field_keys else dict(row))
        elif isinstance(row, list) and field_keys:
            out.append(dict(zip(field_keys, _check_cells(form_id, n, row, field_keys, obj), strict=True)))
        else:
            raise shape_error(form_id, "BillQuery", obj)
        if field_keys:
            _check_cells(form_id, n, list(out[-1].values()), field_keys, obj)
    return out


#: Rows one paged query may return in all; far above any real period's shipments, low enough to bound memory.
MAX_QUERY_ROWS = 100_000


class PageGuard:
    """Stops ExecuteBillQuery paging that does not advance: the same page again (StartRow ignored), or more rows
    than ``max_rows``, end it with a ``PagingError`` instead of reading forever."""

    def __init__(self, form_id: str, max_rows: int = MAX_QUERY_ROWS) -> None:
        self.form_id = form_id
        self.max_rows = max_rows
        self.rows = 0
        self._seen: set[int] = set()

    def check(self, rows: list[list[Any]], start: int) -> None:
        if not rows:
            return
        mark = hash(json.dumps(rows, ensure_ascii=False, default=str))
        if mark in self._seen:
            raise self._stuck(Text(f"从第 {start} 行起请求，却收到了已读过的同一页",
                                   f"asked from row {start}, it sent a page already read"))
        self._seen.add(mark)
        self.rows += len(rows)
        if self.rows > self.max_rows:
            raise self._stuck(Text(f"已超过 {self.max_rows} 行仍有下一页", f"more than {self.max_rows} rows and still "
                                                                    f"more pages"))

    def _stuck(self, what: Text) -> PagingError:
        return PagingError(
            Text(f"金蝶分页查询 {self.form_id} 没有进展：{what.zh}；为避免无休止地读取，已停止。",
                 f"The K3Cloud paged query of {self.form_id} does not advance: {what.en}; reading stopped so that it "
                 f"cannot go on forever."),
            Text("稍后重试；如果一直出现，请缩小查询范围或把日志导出给技术支持。",
                 "Try again later; if it keeps happening, narrow the period or export the log for support."),
            side="k3cloud", retryable=False,
        )


def chunked(items: list[Any], size: int) -> Iterator[list[Any]]:
    size = max(1, int(size))
    for i in range(0, len(items), size):
        yield items[i : i + size]
