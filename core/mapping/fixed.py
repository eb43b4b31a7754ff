"""A mapping's fixed values: what its template gives every document (bill type XSDD01_SYS, currency PRE001, tax
rate 13 ...), as a list to show and edit, and the mapping with one of them changed.

A fixed value lives in ``Mapping.template`` as a non-null scalar; a path is written like a rule's target
(``FBillTypeID.FNumber``, ``FSaleOrderEntry[].FEntryTaxRate``). A value a rule writes is not fixed (the rule
overwrites it), so it is left out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from core.errors import MappingError, Text
from core.mapping.model import Mapping

Scalar = str | int | float | bool

#: Values a form's documents may be given that the default template leaves to K3Cloud (None: K3Cloud decides),
#: with the field they must come after: an order line's tax rate is taken from its material (FTaxRateId) unless a
#: fixed rate is given, and a rate sent before the material would be overwritten by the material's (issue 13).
OPTIONAL: dict[str, list[tuple[str, str]]] = {
    "SAL_SaleOrder": [("FSaleOrderEntry[].FEntryTaxRate", "FMaterialId")],
}


@dataclass(frozen=True)
class FixedValue:
    """One fixed value: its target path and the value every document gets (None: K3Cloud's own, e.g. the tax
    rate of the line's material)."""

    path: str
    value: Scalar | None


def fixed_values(mapping: Mapping) -> list[FixedValue]:
    """The template's fixed values in payload order (entry rows' values after ``Entry[].``)."""
    ruled = {r.target for r in mapping.rules}
    out: list[FixedValue] = []

    def walk(node: Any, prefix: str) -> None:
        for key, value in node.items():
            path = prefix + key
            if isinstance(value, dict):
                walk(value, path + ".")
            elif isinstance(value, list):
                if value and isinstance(value[0], dict):
                    walk(value[0], path + "[].")
            elif value is not None and path not in ruled:
                out.append(FixedValue(path, value))

    walk(mapping.template, "")
    have = {v.path for v in out}
    out += [FixedValue(path, None) for path, _after in OPTIONAL.get(mapping.form_id, [])
            if path not in have and path not in ruled]
    return out


def parse_like(old: Scalar | None, text: str) -> Scalar | None:
    """``text`` as a value of the same kind as ``old`` (a tax rate stays a number); MappingError if it is not one.
    An optional value (``old`` None, or a number) may be cleared: empty text gives None (K3Cloud decides)."""
    text = text.strip()
    if old is None or (not text and isinstance(old, (int, float)) and not isinstance(old, bool)):
        if not text:
            return None
        old = 0
    if isinstance(old, bool):
        if text.lower() in ("true", "false"):
            return text.lower() == "true"
        raise _bad(text, Text("true 或 false", "true or false"))
    if isinstance(old, (int, float)):
        try:
            number = json.loads(text)
        except ValueError:
            number = None
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            raise _bad(text, Text("数字", "a number"))
        return number
    if not text:
        raise _bad(text, Text("非空的文本", "a text that is not empty"))
    return text


def with_fixed_value(mapping: Mapping, path: str, value: Scalar | None) -> Mapping:
    """A copy of ``mapping`` whose template gives ``value`` at ``path`` (a fixed value's path, or one of
    ``OPTIONAL``); None takes an optional value out again (K3Cloud decides)."""
    data = json.loads(mapping.to_json())  # a deep copy: the mapping given stays as it is
    node: Any = data["template"]
    parts = path.split(".")
    for part in parts[:-1]:
        node = node[part[:-2]][0] if part.endswith("[]") else node[part]
    optional = dict(OPTIONAL.get(mapping.form_id, []))
    if not isinstance(node, dict) or (parts[-1] not in node and path not in optional):
        raise MappingError(Text(f"模板中没有固定值 {path}", f"The template has no fixed value {path}"), field=path)
    if value is None and path in optional:
        node.pop(parts[-1], None)
    elif parts[-1] in node:
        node[parts[-1]] = value
    else:  # placed right after the field it must follow, keeping the payload's order
        items = list(node.items())
        at = next((i + 1 for i, (k, _v) in enumerate(items) if k == optional[path]), len(items))
        items.insert(at, (parts[-1], value))
        node.clear()
        node.update(items)
    return Mapping.from_dict(data)


def _bad(text: str, wanted: Text) -> MappingError:
    return MappingError(Text(f"“{text}”不是有效的值，应为{wanted.zh}。",
                             f"'{text}' is not a valid value: expected {wanted.en}."),
                        Text("请改正这个固定值。", "Correct this fixed value."), field="template")
