"""Query building and paging: offset pages up to 10,000 rows, then keyset (``GT`` on the sort key) beyond."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from core.errors import ConfigError, PagingError, Text
from core.http import TRY_LATER

MAX_PAGE = 100
#: The gateway refuses ``offset`` beyond 10,000 (10013); past that we page by key.
MAX_OFFSET = 10_000
OPERATORS = frozenset({
    "EQ", "N", "GT", "GTE", "LT", "LTE", "LIKE", "NLIKE", "IS", "ISN", "IN", "NIN", "BETWEEN", "NBETWEEN",
    "STARTWITH", "ENDWITH", "CONTAINS", "HASANYOF", "NHASANYOF",
})



@dataclass
class Page:
    """One page of a query: its rows, the server's total (when asked for) and the offset it says it answered."""

    rows: list[dict[str, Any]]
    total: int | None = None
    offset: int | None = None


#: fetch(search_query_info, count_total) -> the page (or just its rows)
FetchPage = Callable[[dict[str, Any], bool], "Page | list[dict[str, Any]]"]
FilterLike = dict[str, Any] | Sequence[Any]
OrderLike = dict[str, Any] | Sequence[Any] | str


def make_filter(field: str, operator: str, values: Any) -> dict[str, Any]:
    """``{"field_name", "operator", "field_values": [...]}``; a scalar value becomes a one-element list."""
    op = operator.upper()
    if op not in OPERATORS:
        raise ConfigError(Text(f"不支持的筛选运算符 {operator}。", f"Unsupported filter operator {operator}."),
                          field="filters")
    vals = list(values) if isinstance(values, (list, tuple, set, frozenset)) else [values]
    return {"field_name": field, "operator": op, "field_values": vals}


def normalize_filters(filters: Iterable[FilterLike] | None) -> list[dict[str, Any]]:
    """Accepts Fxiaoke filter dicts or ``(field, operator, value(s))`` tuples."""
    out = []
    for f in filters or ():
        if isinstance(f, dict):
            out.append(make_filter(f["field_name"], f["operator"], f.get("field_values", [])))
        else:
            field, op, values = f
            out.append(make_filter(field, op, values))
    return out


def normalize_orders(orders: Iterable[OrderLike] | None) -> list[dict[str, Any]]:
    """Accepts ``{"fieldName", "isAsc"}``, ``(field, is_asc)`` or ``"field"`` / ``"-field"`` (descending)."""
    out = []
    for o in orders or ():
        if isinstance(o, dict):
            out.append({"fieldName": o["fieldName"], "isAsc": bool(o.get("isAsc", True))})
        elif isinstance(o, str):
            out.append({"fieldName": o.lstrip("-"), "isAsc": not o.startswith("-")})
        else:
            field, asc = o  # type: ignore[str-unpack]  # a (field, is_asc) pair
            out.append({"fieldName": field, "isAsc": bool(asc)})
    return out


def search_query_info(
    *, filters: list[dict[str, Any]], orders: list[dict[str, Any]], fields: list[str] | None, limit: int, offset: int,
) -> dict[str, Any]:
    info: dict[str, Any] = {"limit": limit, "offset": offset, "filters": filters, "orders": orders}
    if fields:
        info["fieldProjection"] = fields
    return info


def iterate(
    fetch: FetchPage, *, filters: Iterable[FilterLike] | None = None, orders: Iterable[OrderLike] | None = None,
    fields: Sequence[str] | None = None, page_size: int = MAX_PAGE, limit: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Every row matching ``filters`` in a stable order, each once.

    The order is the caller's first sort key (default ``_id``) with ``_id`` as the tie-breaker. Offset paging
    covers the first 10,000 rows; then paging continues by key: the rest of the last key value's group by
    ``_id GT``, then ``key GT last value`` (``LT`` when descending) from offset 0 again.
    """
    if limit is not None and limit <= 0:
        return
    size = max(1, min(int(page_size), MAX_PAGE))
    base = normalize_filters(filters)
    ords = normalize_orders(orders) or [{"fieldName": "_id", "isAsc": True}]
    key, asc = ords[0]["fieldName"], ords[0]["isAsc"]
    extra = [o["fieldName"] for o in ords[1:] if o["fieldName"] != "_id"]
    if not any(o["fieldName"] == "_id" for o in ords):
        ords.append({"fieldName": "_id", "isAsc": True})
    proj = list(fields) if fields else None
    if proj is not None:
        proj += [f for f in (key, "_id") if f not in proj]
    budget = [limit if limit is not None else -1]
    seen: set[str] = set()
    progress = _Progress(size)

    def emit(rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for row in rows:
            rid = row.get("_id")
            if rid is not None:
                if rid in seen:
                    continue
                seen.add(rid)
            if budget[0] == 0:
                return
            budget[0] -= 1
            yield row

    def pages(flt: list[dict[str, Any]], order: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        """Offset pages while the offset stays under 10,000; the caller re-seeks after the last one."""
        offset = 0
        while True:
            info = search_query_info(filters=flt, orders=order, fields=proj, limit=size, offset=offset)
            page = fetch(info, progress.first)
            rows = progress.check(page if isinstance(page, Page) else Page(page), offset, seen, flt)
            yield rows
            if len(rows) < size:
                return
            offset += size
            if offset + size > MAX_OFFSET:
                raise _Reseek(rows[-1])

    def by_id(flt: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        bound: list[dict[str, Any]] = []
        while True:
            try:
                for rows in pages(flt + bound, [{"fieldName": "_id", "isAsc": True}]):
                    yield from emit(rows)
                    if budget[0] == 0:
                        return
                return
            except _Reseek as r:
                bound = [make_filter("_id", "GT", r.row["_id"])]

    if key == "_id" and asc:
        yield from by_id(base)
        return
    bound: list[dict[str, Any]] = []
    while True:
        try:
            for rows in pages(base + bound, ords):
                yield from emit(rows)
                if budget[0] == 0:
                    return
            return
        except _Reseek as r:
            if extra or r.row.get(key) is None:
                raise ConfigError(
                    Text("结果超过 10000 行，且排序方式不支持继续翻页；请缩小筛选范围。",
                         "More than 10,000 rows in an order that cannot be paged further; narrow the filters."),
                    field="orders",
                ) from None
            value = r.row[key]
            if key == "_id":  # descending by _id
                bound = [make_filter("_id", "LT", value)]
                continue
            yield from by_id(base + bound + [make_filter(key, "EQ", value), make_filter("_id", "GT", r.row["_id"])])
            if budget[0] == 0:
                return
            bound = [make_filter(key, "GT" if asc else "LT", value)]


class _Progress:
    """Stops a paged query whose server does not advance, so no server can keep a list or sync reading forever.

    A page is refused when the server says it answered another offset than asked, when a full page holds no row not
    seen before (the same page again), when rows break the key bound of a re-seek (a filter ignored), or when the
    rows outnumber the total the first page announced (plus a page of slack for rows added meanwhile).
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.first = True
        self.total: int | None = None
        self.rows = 0

    def check(self, page: Page, offset: int, seen: set[str], flt: list[dict[str, Any]]) -> list[dict[str, Any]]:
        rows = page.rows
        if self.first:
            self.first = False
            self.total = page.total if page.total else None  # 0: the server did not count
        if page.offset is not None and page.offset < offset:  # an echo at or past the asked offset is fine
            raise _stuck(Text(f"请求第 {offset} 行起的数据，服务器却答复了第 {page.offset} 行起的",
                              f"asked for rows from {offset}, the server answered rows from {page.offset}"))
        fresh = [r for r in rows if r.get("_id") is None or r.get("_id") not in seen]
        if len(rows) >= self.size and not fresh:
            raise _stuck(Text("服务器再次返回了已读过的同一页", "the server sent a page already read"))
        for f in flt:
            if f["field_name"] == "_id" and f["operator"] in ("GT", "LT") and f["field_values"]:
                bound = str(f["field_values"][0])
                bad = [r["_id"] for r in rows if isinstance(r.get("_id"), str)
                       and not (r["_id"] > bound if f["operator"] == "GT" else r["_id"] < bound)]
                if bad:
                    raise _stuck(Text(f"服务器忽略了 _id 条件（返回了 {bad[0]}）",
                                      f"the server ignored the _id condition (it returned {bad[0]})"))
        self.rows += len(fresh)
        if self.total is not None and self.rows > self.total + self.size:
            raise _stuck(Text(f"服务器说共有 {self.total} 行，却已经发来 {self.rows} 行",
                              f"the server announced {self.total} rows but has sent {self.rows}"))
        return rows


def _stuck(what: Text) -> PagingError:
    return PagingError(
        Text(f"纷享销客分页查询没有进展：{what.zh}；为避免无休止地读取，已停止。",
             f"The Fxiaoke paged query does not advance: {what.en}; reading stopped so that it cannot go on forever."),
        TRY_LATER,
        side="fxiaoke", retryable=False,
    )


class _Reseek(Exception):
    def __init__(self, row: dict[str, Any]) -> None:
        super().__init__("reseek")
        self.row = row
