"""The mapping model: ordered field rules from one Fxiaoke object (and its lines) to one K3Cloud form payload."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from core.errors import MappingError, Text
from core.jsonsafe import MAX_JSON_DEPTH, JsonTooDeep, loads_checked
from core.mapping.transforms import NEEDS_SOURCE, TRANSFORMS, check_args, valid_source

SCHEMA_VERSION = 1
_SEGMENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_RULE_KEYS = ("target", "source", "transform", "args", "default", "required")


@dataclass(frozen=True)
class Target:
    """A parsed target path: ``entry`` is the entry array (``FSaleOrderEntry``) for ``[]`` targets."""

    entry: str | None
    path: tuple[str, ...]


@lru_cache(maxsize=4096)
def parse_target(target: str) -> Target:
    """``FName``, ``FCustId.FNumber``, ``FSaleOrderEntry[].FQty``; raises ValueError with the reason."""
    if not isinstance(target, str) or not target:
        raise ValueError("empty target")
    segments = target.split(".")
    entry = None
    if segments[0].endswith("[]"):
        entry = segments[0][:-2]
        segments = segments[1:]
        if not segments:
            raise ValueError("a [] target needs a field after it, e.g. FSaleOrderEntry[].FQty")
    for seg in ([entry] if entry is not None else []) + segments:
        if not _SEGMENT_RE.match(seg):
            raise ValueError(f"bad segment {seg!r}")
    return Target(entry, tuple(segments))


@dataclass
class FieldRule:
    """One row of a mapping: where a value goes, where it comes from and how it is turned into a K3 value."""

    target: str
    source: str | None = None
    transform: str = "copy"
    args: dict = field(default_factory=dict)
    default: Any = None
    required: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in _RULE_KEYS}


def _row_error(row: int, target: Any, reason: Text) -> MappingError:
    return MappingError(
        Text(f"映射第 {row} 行（{target}）：{reason.zh}", f"Mapping row {row} ({target}): {reason.en}"),
        Text("请在映射中修改这一行。", "Fix this row of the mapping."),
        row=row, field=target if isinstance(target, str) else None,
    )


def _mapping_error(reason: Text, field_name: str | None = None) -> MappingError:
    return MappingError(
        Text(f"映射无效：{reason.zh}", f"Invalid mapping: {reason.en}"),
        Text("请检查映射设置。", "Check the mapping settings."), field=field_name,
    )


@dataclass(kw_only=True)
class Mapping:
    """How one Fxiaoke object becomes one K3Cloud Save payload.

    ``template`` holds the fixed fields in payload order (the "most complete payload"); a ``null`` value only
    reserves the position for a rule to fill, and the template of ``entry_key`` may be a one-element list holding
    the fixed fields of every entry row. Rules then write in order; keys not in the template are appended.
    With ``entry_key`` but no ``detail_object`` the entry has exactly one row, mapped from the record itself (a
    payment's single receipt row).
    """

    schema_version: int = SCHEMA_VERSION
    flow: str
    source_object: str
    detail_object: str | None = None
    detail_link_field: str | None = None
    form_id: str
    key_field: str
    entry_key: str | None = None
    template: dict = field(default_factory=dict)
    rules: list[FieldRule] = field(default_factory=list)
    options: dict = field(default_factory=dict)
    #: What the read-back after Save compares with the Fxiaoke record: ``{"total": {"k3": "FBillAllAmount",
    #: "source": "order_amount"}, "line_amount": {"k3": "FAllAmount", "source": "subtotal"}}`` (either optional).
    checks: dict = field(default_factory=dict)

    # -- serialisation ---------------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version, "flow": self.flow, "source_object": self.source_object,
            "detail_object": self.detail_object, "detail_link_field": self.detail_link_field,
            "form_id": self.form_id, "key_field": self.key_field, "entry_key": self.entry_key,
            "template": self.template, "rules": [r.to_dict() for r in self.rules], "options": self.options,
            **({"checks": self.checks} if self.checks else {}),
        }

    def to_json(self) -> str:
        """Readable, versioned JSON (the export file and the database body)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    @classmethod
    def from_dict(cls, data: Any) -> Mapping:
        """Build and validate; MappingError names the bad rule row (1-based)."""
        if not isinstance(data, dict):
            raise _mapping_error(Text("顶层必须是 JSON 对象", "the top level must be a JSON object"))
        version = data.get("schema_version", SCHEMA_VERSION)
        if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= SCHEMA_VERSION:
            raise _mapping_error(Text(
                f"不支持的映射格式版本 {version!r}（本程序支持 1–{SCHEMA_VERSION}）",
                f"unsupported mapping schema_version {version!r} (this program reads 1-{SCHEMA_VERSION})",
            ), "schema_version")
        raw_rules = data.get("rules", [])
        if not isinstance(raw_rules, list):
            raise _mapping_error(Text("rules 必须是列表", "rules must be a list"), "rules")
        rules = []
        for i, raw in enumerate(raw_rules, start=1):
            if not isinstance(raw, dict):
                raise _row_error(i, None, Text("规则必须是 JSON 对象", "a rule must be a JSON object"))
            unknown = sorted(set(raw) - set(_RULE_KEYS))
            if unknown:
                raise _row_error(i, raw.get("target"), Text(f"未知的键 {unknown}", f"unknown keys {unknown}"))
            if "target" not in raw:
                raise _row_error(i, None, Text("缺少 target", "target is missing"))
            rule = FieldRule(
                target=raw["target"], source=raw.get("source"), transform=raw.get("transform", "copy"),
                args=raw.get("args") or {}, default=raw.get("default"),
                required=raw.get("required", False),
            )
            rules.append(rule)
        known = {"schema_version", "flow", "source_object", "detail_object", "detail_link_field", "form_id",
                 "key_field", "entry_key", "template", "rules", "options", "checks"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise _mapping_error(Text(f"未知的键 {unknown}", f"unknown keys {unknown}"))
        mapping = cls(
            flow=str(data.get("flow") or ""), source_object=str(data.get("source_object") or ""),
            form_id=str(data.get("form_id") or ""), key_field=str(data.get("key_field") or ""),
            detail_object=data.get("detail_object"),
            detail_link_field=data.get("detail_link_field"), entry_key=data.get("entry_key"),
            template=data.get("template", {}), rules=rules, options=data.get("options", {}),
            checks=data.get("checks") or {}, schema_version=SCHEMA_VERSION,
        )
        mapping.validate()
        return mapping

    @classmethod
    def from_json(cls, text: str) -> Mapping:
        """Parse the versioned JSON; bad JSON or a bad rule -> MappingError (``row`` = 1-based rule row)."""
        try:
            data = loads_checked(text)
        except JsonTooDeep as exc:
            raise _mapping_error(Text(f"JSON 嵌套超过 {MAX_JSON_DEPTH} 层，不是映射文件", f"the JSON nests deeper "
                                      f"than {MAX_JSON_DEPTH} levels; it is no mapping file")) from exc
        except (json.JSONDecodeError, TypeError) as exc:
            where = f"{exc.lineno}:{exc.colno}" if isinstance(exc, json.JSONDecodeError) else "?"
            raise _mapping_error(Text(f"不是有效的 JSON（位置 {where}）", f"not valid JSON (at {where})")) from exc
        return cls.from_dict(data)

    def copy(self) -> Mapping:
        return Mapping.from_dict(json.loads(self.to_json()))

    # -- validation ------------------------------------------------------------------------------------------

    def validate(self) -> None:
        """Raise MappingError naming the first bad setting or rule row (1-based)."""
        for name in ("flow", "source_object", "form_id", "key_field"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise _mapping_error(Text(f"{name} 必须是非空字符串", f"{name} must be a non-empty string"), name)
        for name in ("detail_object", "detail_link_field", "entry_key"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise _mapping_error(Text(f"{name} 必须是字符串或 null", f"{name} must be a string or null"), name)
        if self.detail_object and not self.detail_link_field:
            raise _mapping_error(Text(
                "设置了 detail_object 时需要 detail_link_field（明细上指向主记录的字段，如 order_id）",
                "detail_object needs detail_link_field (the line field holding the master id, e.g. order_id)",
            ), "detail_link_field")
        if not isinstance(self.template, dict):
            raise _mapping_error(Text("template 必须是 JSON 对象", "template must be a JSON object"), "template")
        if not isinstance(self.options, dict):
            raise _mapping_error(Text("options 必须是 JSON 对象", "options must be a JSON object"), "options")
        if "Model" in self.options:
            raise _mapping_error(Text("options 不能包含 Model", "options must not contain Model"), "options")
        _validate_checks(self.checks)
        if self.entry_key is not None:
            if not _SEGMENT_RE.match(self.entry_key):
                raise _mapping_error(Text("entry_key 不是有效的字段名", "entry_key is not a valid field key"),
                                     "entry_key")
            entry_tpl = self.template.get(self.entry_key)
            if entry_tpl is not None and not (
                isinstance(entry_tpl, list) and len(entry_tpl) <= 1 and all(isinstance(r, dict) for r in entry_tpl)
            ):
                raise _mapping_error(Text(
                    f"template.{self.entry_key} 必须是 null 或只含一行模板的列表",
                    f"template.{self.entry_key} must be null or a list holding one row template",
                ), "template")
        seen: dict[str, int] = {}
        for i, rule in enumerate(self.rules, start=1):
            self._validate_rule(i, rule, seen)
        if self.key_field not in seen and self._template_value(self.key_field) is None:
            raise _mapping_error(Text(
                f"没有规则写入幂等键字段 {self.key_field}",
                f"no rule writes the idempotency key field {self.key_field}",
            ), "key_field")

    def _template_value(self, dotted: str) -> Any:
        obj: Any = self.template
        for part in dotted.split("."):
            obj = obj.get(part) if isinstance(obj, dict) else None
        return obj

    def _validate_rule(self, row: int, rule: FieldRule, seen: dict[str, int]) -> None:
        if not isinstance(rule.target, str):
            raise _row_error(row, rule.target, Text("target 必须是字符串", "target must be a string"))
        try:
            target = parse_target(rule.target)
        except ValueError as exc:
            raise _row_error(row, rule.target, Text(f"目标路径无效：{exc}", f"invalid target path: {exc}")) from None
        if target.entry is not None:
            if self.entry_key is None:
                raise _row_error(row, rule.target, Text(
                    "[] 目标需要映射设置 entry_key", "a [] target needs the mapping's entry_key"))
            if target.entry != self.entry_key:
                raise _row_error(row, rule.target, Text(
                    f"明细数组应为 {self.entry_key}", f"the entry array must be {self.entry_key}"))
        elif self.entry_key is not None and target.path[0] == self.entry_key:
            raise _row_error(row, rule.target, Text(
                f"写入明细字段请用 {self.entry_key}[].字段", f"write entry fields as {self.entry_key}[].Field"))
        if rule.transform not in TRANSFORMS:
            raise _row_error(row, rule.target, Text(
                f"未知的转换 {rule.transform!r}（可用：{', '.join(TRANSFORMS)}）",
                f"unknown transform {rule.transform!r} (known: {', '.join(TRANSFORMS)})",
            ))
        if rule.source is not None and not isinstance(rule.source, str):
            raise _row_error(row, rule.target, Text("source 必须是字符串", "source must be a string"))
        if rule.source and "+" in rule.source:
            raise _row_error(row, rule.target, Text(
                f"来源 {rule.source!r} 不能用 + 拼接，请用 concat 转换",
                f"source {rule.source!r} cannot join fields with '+': use the concat transform",
            ))
        if rule.source and not valid_source(rule.source):
            raise _row_error(row, rule.target, Text(
                f"来源字段名无效：{rule.source!r}", f"invalid source field: {rule.source!r}"))
        if rule.transform in NEEDS_SOURCE and not rule.source:
            raise _row_error(row, rule.target, Text(
                f"{rule.transform} 转换需要来源字段 source", f"the {rule.transform} transform needs a source field"))
        reason = check_args(rule.transform, rule.args)
        if reason is not None:
            raise _row_error(row, rule.target, reason)
        if not isinstance(rule.required, bool):
            raise _row_error(row, rule.target, Text("required 必须是 true/false", "required must be true or false"))
        key = rule.target
        if key in seen:
            raise _row_error(row, rule.target, Text(
                f"与第 {seen[key]} 行的目标重复", f"same target as row {seen[key]}"))
        for other, other_row in seen.items():
            if other.startswith(key + ".") or key.startswith(other + "."):
                raise _row_error(row, rule.target, Text(
                    f"与第 {other_row} 行的目标 {other} 冲突", f"conflicts with target {other} of row {other_row}"))
        seen[key] = row

    @property
    def has_lines(self) -> bool:
        """True when some rule writes entry rows, i.e. the records' detail lines are needed."""
        return any(parse_target(r.target).entry is not None for r in self.rules)


def _validate_checks(checks: Any) -> None:
    """``checks`` maps ``total``/``line_amount`` to ``{"k3": K3Cloud field key, "source": Fxiaoke field}``."""
    ok = isinstance(checks, dict) and all(
        name in ("total", "line_amount") and isinstance(spec, dict) and set(spec) == {"k3", "source"}
        and all(isinstance(v, str) and v for v in spec.values()) for name, spec in checks.items())
    if not ok:
        raise _mapping_error(Text('checks 应为 {"total"|"line_amount": {"k3": 金蝶字段, "source": 纷享销客字段}}',
                                  'checks must be {"total"|"line_amount": {"k3": K3 field, "source": Fxiaoke field}}'),
                             "checks")
