"""``search_query_info`` of the simulated Fxiaoke: filters (AND-ed), orders, paging limits, field projection."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from core.sandbox.fxiaoke_schema import fields_of

MAX_LIMIT = 100
MAX_OFFSET = 10_000
DEFAULT_LIMIT = 20
_NUMERIC_TYPES = frozenset({"number", "currency", "percentile", "date", "date_time"})
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


class QueryError(ValueError):
    """A bad query; ``code`` is the Fxiaoke errorCode to answer with."""

    def __init__(self, message: str, code: int = 32000) -> None:
        super().__init__(message)
        self.code = code


def _numeric(v: Any) -> Decimal | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return Decimal(str(v))
    if isinstance(v, str) and _NUMBER.fullmatch(v.strip()):
        return Decimal(v.strip())
    return None


def _as_list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else [] if v is None else [v]


def _empty(v: Any) -> bool:
    return v is None or v == "" or v == []


class _Field:
    """Comparison rules of one field: numbers and times compare as numbers, everything else as text."""

    def __init__(self, ftype: str) -> None:
        self.numeric = ftype in _NUMERIC_TYPES

    def key(self, v: Any) -> Any:
        if self.numeric:
            return _numeric(v)
        return None if v is None else str(v).lower() if isinstance(v, bool) else str(v)

    def keys(self, values: Any) -> list[Any]:
        """Comparable keys of a value or a list of values (owner, created_by ...), nulls left out."""
        return [k for k in (self.key(x) for x in _as_list(values)) if k is not None]


def _predicate(op: str, fld: _Field, values: list[Any]) -> Callable[[Any], bool]:
    want = fld.keys(values)
    first = want[0] if want else None
    try:
        among: set[Any] | list[Any] = set(want)  # a set: an IN over hundreds of ids stays fast on a large object
    except TypeError:
        among = want

    def one(test: Callable[[Any, Any], bool]) -> Callable[[Any], bool]:
        return lambda rv: first is not None and any(test(h, first) for h in fld.keys(rv))

    def many(test: Callable[[list[Any]], bool]) -> Callable[[Any], bool]:
        return lambda rv: test(fld.keys(rv))

    def text(test: Callable[[str, str], bool]) -> Callable[[Any], bool]:
        return lambda rv: any(test(str(h), str(values[0])) for h in _as_list(rv) if h is not None)

    def between(have: list[Any]) -> bool:
        return len(want) == 2 and any(want[0] <= h <= want[1] for h in have)

    table: dict[str, Callable[[Any], bool]] = {
        "EQ": one(lambda h, w: h == w),
        "N": lambda rv: not one(lambda h, w: h == w)(rv),
        "GT": one(lambda h, w: h > w),
        "GTE": one(lambda h, w: h >= w),
        "LT": one(lambda h, w: h < w),
        "LTE": one(lambda h, w: h <= w),
        "IN": many(lambda have: any(h in among for h in have)),
        "NIN": many(lambda have: not any(h in among for h in have)),
        "HASANYOF": many(lambda have: any(h in among for h in have)),
        "NHASANYOF": many(lambda have: not any(h in among for h in have)),
        "CONTAINS": many(lambda have: bool(want) and all(w in have for w in want)),
        "LIKE": text(lambda h, w: w in h),
        "NLIKE": lambda rv: not text(lambda h, w: w in h)(rv),
        "STARTWITH": text(lambda h, w: h.startswith(w)),
        "ENDWITH": text(lambda h, w: h.endswith(w)),
        "IS": _empty,
        "ISN": lambda rv: not _empty(rv),
        "BETWEEN": many(between),
        "NBETWEEN": many(lambda have: len(want) == 2 and not between(have)),
    }
    try:
        return table[op]
    except KeyError:
        raise QueryError(f"不支持的操作符 operator {op!r}") from None


_NEEDS = {"BETWEEN": 2, "NBETWEEN": 2}


def _int(v: Any, name: str, default: int) -> int:
    if v is None:
        return default
    if isinstance(v, bool) or not isinstance(v, int):
        raise QueryError(f"参数错误: {name} 必须是整数 / {name} must be an integer")
    return v


def run_query(api_name: str, records: Iterable[dict[str, Any]], sqi: Any) -> tuple[list[dict[str, Any]], int, int, int]:
    """Filter, sort and page ``records``; returns (page, total matched, offset, limit). Raises ``QueryError``."""
    if sqi is None:
        sqi = {}
    if not isinstance(sqi, dict):
        raise QueryError("参数错误: search_query_info 必须是对象 / search_query_info must be an object")
    schema = fields_of(api_name)
    limit = _int(sqi.get("limit"), "limit", DEFAULT_LIMIT)
    offset = _int(sqi.get("offset"), "offset", 0)
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"参数错误: limit 取值范围 1-{MAX_LIMIT} / limit must be 1..{MAX_LIMIT}")
    if offset < 0 or offset % limit:
        raise QueryError("参数错误: offset 必须是 limit 的整数倍 / offset must be a multiple of limit")
    if offset > MAX_OFFSET:
        raise QueryError("offset out of range 10000", 10013)

    preds: list[tuple[str, Callable[[Any], bool]]] = []
    filters = sqi.get("filters") or []
    if not isinstance(filters, list):
        raise QueryError("参数错误: filters 必须是数组 / filters must be a list")
    for f in filters:
        if not (isinstance(f, dict) and isinstance(f.get("field_name"), str) and isinstance(f.get("operator"), str)):
            raise QueryError("参数错误: filter 需要 field_name, operator, field_values / bad filter")
        name, op, values = f["field_name"], f["operator"], f.get("field_values")
        if name not in schema:
            raise QueryError(f"字段 {name} 不存在 / field {name} does not exist")
        if not isinstance(values, list):
            raise QueryError(f"参数错误: {name} 的 field_values 必须是数组 / field_values must be a list")
        if op not in ("IS", "ISN") and len(values) < _NEEDS.get(op, 1):
            raise QueryError(f"参数错误: {op} 需要 {_NEEDS.get(op, 1)} 个值 / {op} needs more field_values")
        preds.append((name, _predicate(op, _Field(schema[name]["type"]), values)))

    rows = [r for r in records if all(p(r.get(name)) for name, p in preds)]

    orders = sqi.get("orders") or [{"fieldName": "create_time", "isAsc": False}]
    if not isinstance(orders, list):
        raise QueryError("参数错误: orders 必须是数组 / orders must be a list")
    rows.sort(key=lambda r: str(r.get("_id")))
    for o in reversed(orders):
        if not isinstance(o, dict) or o.get("fieldName") not in schema or not isinstance(o.get("isAsc", True), bool):
            raise QueryError(f"参数错误: orders 项无效 / bad order {o!r}")
        fld = _Field(schema[o["fieldName"]]["type"])

        def sort_key(r: dict[str, Any], name: str = o["fieldName"], fld: _Field = fld) -> tuple[int, Any]:
            k = fld.key(r.get(name) if not isinstance(r.get(name), list) else (r.get(name) or [None])[0])
            return (0, 0) if k is None else (1, k)

        rows.sort(key=sort_key, reverse=not o.get("isAsc", True))

    projection = sqi.get("fieldProjection")
    page = rows[offset:offset + limit]
    if projection:
        if not isinstance(projection, list) or not all(isinstance(p, str) and p in schema for p in projection):
            raise QueryError("参数错误: fieldProjection 含有不存在的字段 / fieldProjection names an unknown field")
        keep = set(projection) | {"_id"}
        page = [{k: v for k, v in r.items() if k in keep} for r in page]
    return page, len(rows), offset, limit
