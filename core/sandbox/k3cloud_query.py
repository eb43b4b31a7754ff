"""ExecuteBillQuery / BillQuery: field-key resolution (dotted paths, entry rows), filtering, ordering, paging."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.sandbox.k3cloud_filter import (
    FilterSyntaxError,
    evaluate,
    fields_of,
    parse_filter,
)
from core.sandbox.k3cloud_forms import ASSIST, BASE, RAW, Entity, FormDef, find_form
from core.sandbox.k3cloud_store import Store

MAX_LIMIT = 10000
Getter = Callable[[dict, "dict | None"], object]


class QueryError(Exception):
    """A query the server refuses: ``msg_code`` and the server's message."""

    def __init__(self, msg_code: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.msg_code = msg_code
        self.message = message
        self.field = field


@dataclass
class Resolved:
    get: Getter
    entity: Entity | None   # the entry list the key lives in (rows expand per entry)


def _field_missing(key: str) -> QueryError:
    return QueryError(9, f"元数据中标识为 {key} 的字段不存在", key)


class Resolver:
    """Turns query field keys of one form into getters over (record, entry)."""

    def __init__(self, store: Store, form: FormDef) -> None:
        self.store = store
        self.form = form

    def resolve(self, key: str) -> Resolved:
        key = key.strip()
        form = self.form
        low = key.lower()
        if low == "fid" and not form.has_fid_column:
            raise QueryError(4, "列名 'FID' 无效。", key)
        if "." in key:
            head, _, attr = key.partition(".")
            base = self.resolve(head)
            target, f_type = self._lookup_of(head)
            if target is None:
                if f_type == ASSIST and attr.lower() == "fnumber":
                    return Resolved(_or_none(base.get), base.entity)
                if f_type == ASSIST and attr.lower() == "fname":
                    return Resolved(_nothing, base.entity)
                raise _field_missing(key)
            try:
                inner = Resolver(self.store, target).resolve(attr)
            except QueryError as exc:
                raise _field_missing(key) from exc
            if inner.entity is not None:
                raise _field_missing(key)
            ref = self._ref_getter(head)
            return Resolved(_through_getter(self.store, target, ref, inner.get), base.entity)
        if low in (form.pk.lower(), "fid"):
            return Resolved(lambda r, e: r["_id"], None)
        for ent in form.subs:
            if ent.many and ent.fields and low in (f"{ent.key.lower()}_fentryid", f"{ent.key.lower()}_fseq"):
                return Resolved(_entry_value("FEntryID" if low.endswith("_fentryid") else "FSeq"), ent)
        if low == "fentryid" and form.entry is not None:
            return Resolved(lambda r, e: e.get("FEntryID") if e else None, form.entry)
        found = form.flat_field(key)
        if found is None or found[1].type == RAW:
            raise _field_missing(key)
        owner, f = found
        raw = _field_value(owner, f.key)
        entity = owner if owner is not None and owner.many else None
        if f.type == BASE:
            return Resolved(_ref_id_getter(self.store, f.lookup or "", raw), entity)
        if f.type == ASSIST:
            return Resolved(_assist_getter(raw), entity)
        return Resolved(raw, entity)

    def _lookup_of(self, key: str) -> tuple[FormDef | None, str | None]:
        found = self.form.flat_field(key)
        if found is None:
            raise _field_missing(key)
        f = found[1]
        if f.type == BASE:
            return find_form(f.lookup), BASE
        if f.type == ASSIST:
            return None, ASSIST
        raise _field_missing(key)

    def _ref_getter(self, key: str) -> Getter:
        found = self.form.flat_field(key)
        if found is None:
            raise _field_missing(key)
        return _field_value(found[0], found[1].key)


def _assist_number(value: object) -> str | None:
    if isinstance(value, dict):
        return next((str(v) for k, v in value.items() if k.lower() == "fnumber"), None)
    return None


def _ref_id(store: Store, form_id: str, ref: object) -> int:
    target = store.by_number(form_id, _assist_number(ref))
    return target["_id"] if target else 0


def _or_none(get: Getter) -> Getter:
    return lambda r, e: get(r, e) or None


def _nothing(r: dict, e: dict | None) -> object:
    return None


def _entry_value(attr: str) -> Getter:
    return lambda r, e: e.get(attr) if e else None


def _field_value(ent: Entity | None, key: str) -> Getter:
    """The raw value of field ``key``: in the entry row (an entry list), the sub-object ``ent``, or the head."""
    if ent is not None and ent.many:
        return lambda r, e: e.get(key) if e else None
    if ent is not None:
        sub = ent.key
        return lambda r, e: (r.get(sub) or {}).get(key)
    return lambda r, e: r.get(key)


def _through_getter(store: Store, target: FormDef, ref: Getter, get: Getter) -> Getter:
    return lambda r, e: _through(store, target, ref(r, e), get)


def _ref_id_getter(store: Store, lookup: str, raw: Getter) -> Getter:
    return lambda r, e: _ref_id(store, lookup, raw(r, e))


def _assist_getter(raw: Getter) -> Getter:
    return lambda r, e: _assist_number(raw(r, e)) or ""


def _row_reader(cols: dict[str, Resolved], rec: dict, entry: dict | None) -> Callable[[str], object]:
    return lambda k: cols[k].get(rec, entry)


def _row_sort_key(get: Getter) -> Callable[[tuple[dict, dict | None]], tuple]:
    return lambda row: _sort_key(get(*row))


def _through(store: Store, target: FormDef, ref: object, get: Getter) -> object:
    rec = store.by_number(target.form_id, _assist_number(ref))
    return get(rec, None) if rec is not None else None


@dataclass
class QueryParams:
    form: FormDef
    field_keys: list[str]
    filter_text: str
    order_text: str
    start_row: int
    limit: int
    top_row_count: int


def parse_params(data: dict) -> QueryParams:
    """Read the ``data`` package of a query; raises ``QueryError`` with the server's codes."""
    keys = {k.lower(): v for k, v in data.items()}
    form_id = keys.get("formid")
    if form_id in (None, ""):
        raise QueryError(5, "data 数据包中的参数 FormId 的值不能为空", "FormId")
    form = find_form(form_id)
    if form is None:
        raise QueryError(4, f"标识为“{form_id}”的业务对象不存在，或者被删除")
    raw_keys = keys.get("fieldkeys")
    if isinstance(raw_keys, list):
        raw_keys = ",".join(str(k) for k in raw_keys)
    if not isinstance(raw_keys, str) or not raw_keys.strip():
        raise QueryError(8, "data 数据包中的参数 FieldKeys 的值不能为空", "FieldKeys")
    filt = keys.get("filterstring") or ""
    order = keys.get("orderstring") or ""
    if not isinstance(filt, str):
        raise QueryError(8, "data 数据包中的参数 FilterString 的格式不正确，应为字符串", "FilterString")
    if not isinstance(order, str):
        raise QueryError(8, "data 数据包中的参数 OrderString 的格式不正确，应为字符串", "OrderString")

    def integer(name: str) -> int:
        value = keys.get(name.lower())
        if value in (None, ""):
            return 0
        bad = QueryError(8, f"data 数据包中的参数 {name} 的值不是有效的整数", name)
        if isinstance(value, bool):
            raise bad
        try:
            return int(str(value).strip())
        except ValueError as exc:
            raise bad from exc

    return QueryParams(form, [k.strip() for k in raw_keys.split(",")], filt, order,
                       max(0, integer("StartRow")), integer("Limit"), integer("TopRowCount"))


def run_query(store: Store, params: QueryParams) -> list[list]:
    """Rows (values in FieldKeys order) after filter, order and paging."""
    resolver = Resolver(store, params.form)
    if any(not k for k in params.field_keys):
        raise _field_missing("")
    columns = [resolver.resolve(k) for k in params.field_keys]
    try:
        tree = parse_filter(params.filter_text)
    except FilterSyntaxError as exc:
        raise QueryError(4, f"GetRealExpress error: 过滤条件“{params.filter_text}”不正确：{exc}") from exc
    filter_cols = {k: resolver.resolve(k) for k in fields_of(tree)}
    orders = []
    for part in (p.strip() for p in params.order_text.split(",")):
        if not part:
            continue
        bits = part.split()
        if len(bits) > 2 or (len(bits) == 2 and bits[1].lower() not in ("asc", "desc")):
            raise QueryError(4, f"GetRealExpress error: 排序条件“{params.order_text}”不正确")
        orders.append((resolver.resolve(bits[0]), len(bits) == 2 and bits[1].lower() == "desc"))
    used = columns + list(filter_cols.values()) + [o[0] for o in orders]
    entity = next((c.entity for c in used if c.entity is not None), None)
    if entity is not None and any(c.entity not in (None, entity) for c in used):
        raise QueryError(4, "不支持同时查询多个单据体的字段")

    rows: list[tuple[dict, dict | None]] = []
    for rec in sorted(store.records[params.form.form_id].values(), key=lambda r: r["_id"]):
        entries = rec.get(entity.key) or [None] if entity is not None else [None]
        for entry in entries:
            if tree is None or evaluate(tree, _row_reader(filter_cols, rec, entry)):
                rows.append((rec, entry))
    for col, desc in reversed(orders):
        rows.sort(key=_row_sort_key(col.get), reverse=desc)
    limit = params.limit if params.limit > 0 else MAX_LIMIT if params.limit < 0 else 0
    limit = min(limit, MAX_LIMIT)
    end = params.start_row + limit if limit else len(rows)
    if params.top_row_count > 0:
        end = min(end, params.top_row_count)
    return [[c.get(rec, entry) for c in columns] for rec, entry in rows[params.start_row:end]]


def _sort_key(value: object) -> tuple:
    if value is None:
        return (0, 0, "")
    if isinstance(value, (int, float)):
        return (1, float(value), "")
    return (2, 0, str(value).casefold())
