"""Entry module of core.mapping: turn one Fxiaoke record (and its lines) into an ordered K3Cloud Save payload."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.errors import MappingError, Text
from core.mapping.model import FieldRule, Mapping, parse_target
from core.mapping.refs import REF_KINDS, BaseRef, find_refs, register_ref
from core.mapping.transforms import APPLY, Context, DictLookups, Lookups, TransformError, is_empty

__all__ = [
    "BaseRef", "DictLookups", "FieldRule", "Lookups", "MappedPayload", "Mapping", "MappingError", "REF_KINDS",
    "apply", "register_ref",
]

_SKIP = object()


@dataclass
class MappedPayload:
    """The result of mapping one record: the K3Cloud ``Model`` (field order as written) and what it references.

    ``refs`` lists every base-data number to check before saving; ``lines`` are the source detail lines, in the
    order of the entry rows (row ``i`` of the entry array came from ``lines[i]``).
    """

    source_id: str
    idem_key: str
    model: dict
    refs: list[BaseRef] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)
    form_id: str = ""
    key_field: str = ""

    def data_package(self, mapping: Mapping) -> dict:
        """The ``data`` of a K3Cloud Save call: the mapping's options, then ``Model``."""
        package = {k: _clone(v) for k, v in mapping.options.items()}
        package["Model"] = self.model
        return package


def _clone(value: Any) -> Any:
    """Copy JSON-like data (much cheaper than deepcopy for the payload-sized trees mapped per record)."""
    if isinstance(value, dict):
        return {k: _clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clone(v) for v in value]
    return value


def _prune(value: Any) -> Any:
    """Drop ``None`` (unfilled template slots) and the objects left empty by that, keeping key order."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if v is None:
                continue
            v = _prune(v)
            if isinstance(v, dict) and not v:
                continue
            out[k] = v
        return out
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def _put(obj: dict, path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        nxt = obj.get(key)
        if not isinstance(nxt, dict):
            nxt = {}
            obj[key] = nxt  # an existing key keeps its position in the payload
        obj = nxt
    obj[path[-1]] = value


def _get(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        obj = obj.get(part) if isinstance(obj, dict) else None
    return obj


def _describe_source(rule: FieldRule) -> str:
    if rule.source:
        return rule.source
    if rule.transform == "concat":
        return "concat(" + ", ".join(rule.args.get("sources", [])) + ")"
    if rule.transform == "profile":
        return f"profile:{rule.args.get('setting')}"
    return rule.transform


def _record_text(mapping: Mapping, record: dict, line_no: int | None, line: dict | None) -> Text:
    rid = record.get("_id") or "?"
    name = record.get("name")
    zh = f"{mapping.source_object} {rid}" + (f"「{name}」" if name else "")
    en = f"{mapping.source_object} {rid}" + (f" ({name})" if name else "")
    if line_no is not None:
        lid = (line or {}).get("_id")
        zh += f" 的第 {line_no + 1} 条明细" + (f" {lid}" if lid else "")
        en += f", line {line_no + 1}" + (f" {lid}" if lid else "")
    return Text(zh, en)


def _rule_error(
    mapping: Mapping, row: int, rule: FieldRule, ctx: Context, line_no: int | None, reason: Text, code: str,
) -> MappingError:
    rec = _record_text(mapping, ctx.record, line_no, ctx.line)
    src = _describe_source(rule)
    return MappingError(
        Text(f"映射第 {row} 行（{rule.target} ← {src}）：{reason.zh}。记录：{rec.zh}",
             f"Mapping row {row} ({rule.target} <- {src}): {reason.en}. Record: {rec.en}"),
        Text("请在纷享销客补全该字段，或在映射中为这一行设置默认值/值映射。",
             "Fill in the field in Fxiaoke, or give this mapping row a default or a value map entry."),
        row=row, field=rule.target, code=code,
    )


def _evaluate(mapping: Mapping, row: int, rule: FieldRule, ctx: Context, line_no: int | None) -> Any:
    raw = ctx.read(rule.source) if rule.source else None
    try:
        value = APPLY[rule.transform](raw, rule.args, ctx)
    except TransformError as exc:
        raise _rule_error(mapping, row, rule, ctx, line_no, exc.reason, "MAPPING_TRANSFORM") from None
    if rule.transform == "const" and rule.source and is_empty(raw):
        value = None  # a constant with a source field is written only while that field is filled
    if is_empty(value) and rule.default is not None:
        value = rule.default
    if is_empty(value):
        if rule.required:
            shown = "" if is_empty(raw) else f"（来源值 {raw!r}）"
            shown_en = "" if is_empty(raw) else f" (source value {raw!r})"
            raise _rule_error(mapping, row, rule, ctx, line_no, Text(
                f"必填值为空{shown}", f"required value is empty{shown_en}"), "MAPPING_REQUIRED")
        return _SKIP
    return _clone(value)


def apply(
    mapping: Mapping, record: dict, *, lines: list[dict] | None = None, lookups: Lookups | None = None,
    settings: dict | None = None,
) -> MappedPayload:
    """Map one record; raises MappingError naming the rule row, target, source field and record.

    Args:
        mapping: a validated mapping.
        record: the Fxiaoke master record (plain dict as the OpenAPI returns it).
        lines: its detail lines (e.g. SalesOrderProductObj rows), one entry row each.
        lookups: referenced records and the link table (the engine's, or ``DictLookups``).
        settings: the profile's non-secret settings, e.g. ``{"k3_org": "100"}``.
    """
    lookups = lookups if lookups is not None else DictLookups()
    settings = settings or {}
    lines = list(lines or [])
    if mapping.entry_key and not mapping.detail_object:
        lines = [record]  # one entry row, mapped from the record itself
    ctx = Context(record, lookups, settings)
    model = _clone(mapping.template)
    entry_key = mapping.entry_key
    row_template: dict | None = None
    if entry_key and isinstance(model.get(entry_key), list):
        row_template = model[entry_key][0] if model[entry_key] else {}
    rows: list[dict] | None = None
    for row, rule in enumerate(mapping.rules, start=1):
        target = parse_target(rule.target)
        if target.entry is None:
            value = _evaluate(mapping, row, rule, ctx, None)
            if value is not _SKIP:
                _put(model, target.path, value)
            continue
        if rows is None:
            if not lines and rule.required:
                rec = _record_text(mapping, record, None, None)
                raise MappingError(
                    Text(f"{rec.zh} 没有任何明细行（产品），不能生成金蝶单据。",
                         f"{rec.en} has no lines (products), so no K3Cloud document can be made from it."),
                    Text("请在纷享销客中为它添加产品明细，然后重试。", "Add its product lines in Fxiaoke, then retry."),
                    row=row, field=rule.target, code="MAPPING_NO_LINES")
            rows = [_clone(row_template or {}) for _ in lines]
            model[target.entry] = rows
        for n, line in enumerate(lines):
            lctx = Context(record, lookups, settings, line)
            value = _evaluate(mapping, row, rule, lctx, n)
            if value is not _SKIP:
                _put(rows[n], target.path, value)
    if rows is None and row_template is not None and entry_key:
        model[entry_key] = [_clone(row_template) for _ in lines]
    model = _prune(model)
    key = _get(model, mapping.key_field)
    if is_empty(key) or isinstance(key, (dict, list)):
        rec = _record_text(mapping, record, None, None)
        raise MappingError(
            Text(f"幂等键 {mapping.key_field} 为空。记录：{rec.zh}",
                 f"The idempotency key {mapping.key_field} is empty. "
                 f"Record: {rec.en}"),
            Text("请检查映射中写入该字段的规则。", "Check the mapping row that writes this field."),
            field=mapping.key_field, code="MAPPING_KEY",
        )
    return MappedPayload(
        source_id=str(record.get("_id") or ""), idem_key=str(key), model=model, refs=find_refs(model),
        lines=lines, form_id=mapping.form_id, key_field=mapping.key_field,
    )
