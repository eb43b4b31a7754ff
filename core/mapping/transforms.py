"""The value transforms a mapping rule can apply: copy, const, map, date, number, concat, lookup, profile."""

from __future__ import annotations

import decimal
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Protocol, runtime_checkable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.errors import Text

TRANSFORMS = ("copy", "const", "map", "date", "number", "concat", "lookup", "profile")
#: Transforms that read the rule's ``source`` field (the others take their input from ``args``).
NEEDS_SOURCE = frozenset({"copy", "map", "date", "number", "lookup"})
ROUNDINGS = frozenset(n for n in dir(decimal) if n.startswith("ROUND_"))
NUMBER_AS = ("float", "str", "int")
LOOKUP_VIA = ("link", "field")

_SOURCE_RE = re.compile(r"^\^?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# China has had no daylight saving since 1991: a fixed offset is exact for these zones, and it keeps dates right
# on Windows builds that ship without the IANA database (zoneinfo needs the tzdata package there).
_FIXED_ZONES = {
    "Asia/Shanghai": 8, "Asia/Chongqing": 8, "Asia/Harbin": 8, "PRC": 8, "Asia/Hong_Kong": 8, "Asia/Macau": 8,
    "Asia/Taipei": 8, "Asia/Singapore": 8, "UTC": 0, "Etc/UTC": 0,
}
_OFFSET_RE = re.compile(r"^(?:UTC)?([+-])(\d{2}):?(\d{2})$")


class TransformError(Exception):
    """A value cannot be transformed; the caller adds the rule row, target and record."""

    def __init__(self, reason: Text) -> None:
        self.reason = reason
        super().__init__(str(reason))


@runtime_checkable
class Lookups(Protocol):
    """What a mapping needs from the outside world; the sync engine implements it."""

    def record(self, api_name: str, record_id: str) -> dict | None:
        """A referenced Fxiaoke record, or None when there is no such record."""

    def k3_number(self, api_name: str, record_id: str) -> str | None:
        """The K3Cloud number the link table holds for a Fxiaoke record, or None."""


class DictLookups:
    """Lookups backed by plain dicts, for tests and previews.

    Args:
        records: ``{api_name: {record_id: record}}``, or ``{api_name: [record, ...]}`` keyed by ``_id``.
        links: ``{api_name: {record_id: k3_number}}``.
    """

    def __init__(self, records: dict[str, Any] | None = None, links: dict[str, dict[str, str]] | None = None) -> None:
        self.records: dict[str, dict[str, dict]] = {}
        for api_name, rows in (records or {}).items():
            if isinstance(rows, dict):
                self.records[api_name] = dict(rows)
            else:
                self.records[api_name] = {r["_id"]: r for r in rows}
        self.links = {k: dict(v) for k, v in (links or {}).items()}

    def record(self, api_name: str, record_id: str) -> dict | None:
        return self.records.get(api_name, {}).get(record_id)

    def k3_number(self, api_name: str, record_id: str) -> str | None:
        return self.links.get(api_name, {}).get(record_id)


@dataclass
class Context:
    """Where a rule reads from: the master record, the current detail line (for ``[]`` targets) and the outside."""

    record: dict
    lookups: Lookups
    settings: dict = field(default_factory=dict)
    line: dict | None = None

    def read(self, source: str) -> Any:
        """A source field: of the line for ``[]`` rules (``^field`` reads the master record), dotted paths allowed."""
        if source.startswith("^"):
            obj: Any = self.record
            source = source[1:]
        else:
            obj = self.line if self.line is not None else self.record
        for part in source.split("."):
            if isinstance(obj, dict):
                obj = obj.get(part)
            elif isinstance(obj, list) and part.isdigit() and int(part) < len(obj):
                obj = obj[int(part)]
            else:
                return None
        return obj


def is_empty(value: Any) -> bool:
    """None, a blank string or an empty list/dict: what a rule's default replaces."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict, tuple)):
        return not value
    return False


def valid_source(source: str) -> bool:
    return bool(_SOURCE_RE.match(source))


def resolve_tz(name: str) -> tzinfo:
    """An IANA zone name or a ``+08:00`` offset; China's zones work without the tz database."""
    m = _OFFSET_RE.match(name or "")
    if m:
        sign = 1 if m.group(1) == "+" else -1
        return timezone(sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3))))
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        if name in _FIXED_ZONES:
            return timezone(timedelta(hours=_FIXED_ZONES[name]))
        raise TransformError(Text(f"未知的时区 {name!r}", f"unknown time zone {name!r}")) from exc


def _single(value: Any) -> Any:
    """``value`` when it is one value; a list or object from the server where one value belongs fails the record
    (it would otherwise be written into a K3Cloud text field as-is)."""
    if isinstance(value, (dict, list, tuple)) and not is_empty(value):
        kind = Text("对象", "an object") if isinstance(value, dict) else Text("列表", "a list")
        raise TransformError(Text(f"来源值是{kind.zh}，不是单个值",
                                  f"the source value is {kind.en}, not a single value"))
    return value


def _copy(value: Any, args: dict, ctx: Context) -> Any:
    return _single(value)


def _const(value: Any, args: dict, ctx: Context) -> Any:
    return args.get("value")


def _option_key(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _map(value: Any, args: dict, ctx: Context) -> Any:
    if is_empty(value):
        return None
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    values = args.get("values") or {}
    key = _option_key(value)
    if key in values:
        return values[key]
    if args.get("strict", False):
        known = ", ".join(sorted(values)) or "-"
        raise TransformError(Text(
            f"选项值 {key!r} 没有对应的金蝶值（已配置：{known}）",
            f"option value {key!r} has no K3Cloud value in the value map (mapped: {known})",
        ))
    return None


def _to_datetime(value: Any, tz: tzinfo) -> datetime:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        return (_EPOCH + timedelta(milliseconds=value)).astimezone(tz)
    if isinstance(value, Decimal):
        return (_EPOCH + timedelta(milliseconds=int(value))).astimezone(tz)
    if isinstance(value, datetime):
        return value.astimezone(tz) if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=tz)
    text = str(value).strip()
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return (_EPOCH + timedelta(milliseconds=int(Decimal(text)))).astimezone(tz)
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed.astimezone(tz) if parsed.tzinfo else parsed.replace(tzinfo=tz)


def _date(value: Any, args: dict, ctx: Context) -> Any:
    if is_empty(value):
        return None
    tz = resolve_tz(args.get("tz", "Asia/Shanghai"))
    try:
        moment = _to_datetime(value, tz)
    except (ValueError, TypeError, OverflowError) as exc:
        raise TransformError(Text(
            f"{value!r} 不是日期（应为毫秒时间戳或 ISO 日期）",
            f"{value!r} is not a date (expected milliseconds since 1970 or an ISO date)",
        )) from exc
    return moment.strftime(args.get("format", "%Y-%m-%d"))


def to_decimal(value: Any) -> Decimal:
    """A Fxiaoke number (often a string such as ``"1,234.50"``) as a Decimal; raises TransformError."""
    if isinstance(value, bool):
        raise TransformError(Text(f"{value!r} 不是数字", f"{value!r} is not a number"))
    try:
        number = Decimal(value) if isinstance(value, (int, Decimal)) else Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError) as exc:
        raise TransformError(Text(f"{value!r} 不是数字", f"{value!r} is not a number")) from exc
    if not number.is_finite():
        raise TransformError(Text(f"{value!r} 不是有限的数字", f"{value!r} is not a finite number"))
    return number


def _number(value: Any, args: dict, ctx: Context) -> Any:
    if is_empty(value):
        return None
    number = to_decimal(value)
    rounding = args.get("rounding", ROUND_HALF_UP)
    scale = args.get("scale")
    as_ = args.get("as", "float")
    if as_ == "int":
        scale = 0
    if scale is not None:
        number = number.quantize(Decimal(1).scaleb(-int(scale)), rounding=rounding)
    if as_ == "int":
        return int(number)
    if as_ == "str":
        return format(number, "f")
    return float(number)


def _concat(value: Any, args: dict, ctx: Context) -> Any:
    parts = []
    for src in args.get("sources", []):
        part = _single(ctx.read(src))
        if not is_empty(part):
            parts.append(str(part).strip() if isinstance(part, str) else str(part))
    return str(args.get("sep", "")).join(parts) or None


def _lookup(value: Any, args: dict, ctx: Context) -> Any:
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if is_empty(value):
        return None
    api_name = args["object"]
    ref_id = str(_single(value))
    if args.get("via", "link") == "link":
        number = ctx.lookups.k3_number(api_name, ref_id)
        if not is_empty(number):
            return number
        if not args.get("field"):
            return None
    ref = ctx.lookups.record(api_name, ref_id)
    if ref is None:
        raise TransformError(Text(
            f"引用的 {api_name} 记录 {ref_id} 不存在", f"the referenced {api_name} record {ref_id} was not found",
        ))
    return _single(ref.get(args["field"]))


def _profile(value: Any, args: dict, ctx: Context) -> Any:
    return ctx.settings.get(args["setting"])


APPLY: dict[str, Callable[[Any, dict, Context], Any]] = {
    "copy": _copy, "const": _const, "map": _map, "date": _date, "number": _number,
    "concat": _concat, "lookup": _lookup, "profile": _profile,
}


def check_args(transform: str, args: Any) -> Text | None:
    """Why ``args`` do not fit ``transform`` (bilingual), or None when they do."""
    if not isinstance(args, dict):
        return Text("args 必须是 JSON 对象", "args must be a JSON object")
    if transform == "const" and "value" not in args:
        return Text("const 需要 args.value", "const needs args.value")
    if transform == "map":
        if not isinstance(args.get("values"), dict):
            return Text("map 需要 args.values（选项值 → 金蝶值）", "map needs args.values (option value -> K3 value)")
        if not isinstance(args.get("strict", False), bool):
            return Text("map 的 args.strict 必须是 true/false", "map args.strict must be true or false")
    if transform == "date":
        try:
            resolve_tz(args.get("tz", "Asia/Shanghai"))
        except TransformError as exc:
            return exc.reason
        fmt = args.get("format", "%Y-%m-%d")
        if not isinstance(fmt, str) or not fmt:
            return Text("date 的 args.format 必须是非空字符串", "date args.format must be a non-empty string")
    if transform == "number":
        scale = args.get("scale")
        if scale is not None and (not isinstance(scale, int) or isinstance(scale, bool) or not 0 <= scale <= 10):
            return Text("number 的 args.scale 必须是 0 到 10 的整数",
                        "number args.scale must be an integer from 0 to 10")
        if args.get("rounding", ROUND_HALF_UP) not in ROUNDINGS:
            return Text(f"未知的舍入方式 {args.get('rounding')!r}", f"unknown rounding {args.get('rounding')!r}")
        if args.get("as", "float") not in NUMBER_AS:
            return Text("number 的 args.as 必须是 float、str 或 int", "number args.as must be float, str or int")
    if transform == "concat":
        sources = args.get("sources")
        if not isinstance(sources, list) or not sources:
            return Text("concat 需要 args.sources（字段列表）", "concat needs args.sources (a list of fields)")
        bad = [s for s in sources if not isinstance(s, str) or not valid_source(s)]
        if bad:
            return Text(f"concat 的来源字段无效：{bad!r}", f"concat has invalid source fields: {bad!r}")
        if not isinstance(args.get("sep", ""), str):
            return Text("concat 的 args.sep 必须是字符串", "concat args.sep must be a string")
    if transform == "lookup":
        if not isinstance(args.get("object"), str) or not args.get("object"):
            return Text("lookup 需要 args.object（纷享对象 apiName）", "lookup needs args.object (a Fxiaoke apiName)")
        via = args.get("via", "link")
        if via not in LOOKUP_VIA:
            return Text("lookup 的 args.via 必须是 link 或 field", "lookup args.via must be link or field")
        if via == "field" and not args.get("field"):
            return Text("lookup via field 需要 args.field", "lookup via field needs args.field")
    if transform == "profile" and not (isinstance(args.get("setting"), str) and args.get("setting")):
        return Text("profile 需要 args.setting（如 k3_org）", "profile needs args.setting (e.g. k3_org)")
    return None
