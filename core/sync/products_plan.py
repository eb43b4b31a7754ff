"""Products, read and planned: K3Cloud materials, the Fxiaoke products that carry their numbers, what to write.

K3Cloud is the master of materials (cli-contract). An audited (FDocumentStatus 'C'), not forbidden (FForbidStatus
'A') BD_MATERIAL (reference §8.5) becomes a Fxiaoke ProductObj found by ``product_code`` = FNumber: ``name`` <-
FName, ``specification`` <- FSpecification, ``unit`` <- the ProductObj ``unit`` option whose label is the base unit's
name (FBaseUnitId.FName; select values are option ids, reference §4.2, so the label is matched through the describe).
A product is created when none carries the number, updated (only the fields that differ) when one does, and never
deleted. Fxiaoke does not enforce unique product codes: two live products with one code are held for a person
(``duplicate_product_code``, naming both) rather than guessing which one orders use. A field the describe marks
required that K3Cloud has nothing for gets a neutral value on create only (``CREATE_DEFAULTS``: the standard price
``price`` "0.00", which sales keep in Fxiaoke's price books; it is never overwritten).

Fxiaoke allows 100 calls per 20 s per endpoint (reference §6 [c3]); every create or update is one call, so a large
first run takes minutes: ``estimate_seconds`` says how long before it starts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from core.errors import ErrorInfo, Text
from core.fxiaoke.client import FxiaokeClient
from core.fxiaoke.pacing import DEFAULT_CALLS, DEFAULT_WINDOW_S
from core.k3cloud.client import K3CloudClient
from core.k3cloud.query import chunked, in_filter, quote_value

MATERIAL_FORM = "BD_MATERIAL"
PRODUCT_OBJECT = "ProductObj"
K3_KEYS = ["FMATERIALID", "FNumber", "FName", "FSpecification", "FBaseUnitId.FName", "FModifyDate",
           "FUseOrgId.FNumber"]
PRODUCT_FIELDS = ["_id", "name", "product_code", "specification", "unit", "life_status", "last_modified_time"]
#: Values for fields the tenant requires on create that K3Cloud has nothing for (see the module docstring).
CREATE_DEFAULTS = {"price": "0.00"}
IN_CHUNK = 100
#: Seconds a create or update takes when nothing waits (an estimate; the reference suggests >= 0.2 s apart, §7).
CALL_SECONDS = 0.2


@dataclass
class Material:
    """One BD_MATERIAL, as the sync reads it."""

    id: str
    number: str
    name: str
    spec: str
    unit: str  # the base unit's name, e.g. 个
    modified: str  # FModifyDate, K3Cloud's local time


@dataclass
class Plan:
    """What to do for one material: ``create``, ``update``, ``skip`` or ``hold`` (``error`` says why)."""

    material: Material
    action: str
    product_id: str | None = None
    data: dict[str, Any] = field(default_factory=dict)  # the fields to send
    error: ErrorInfo | None = None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def read_materials(k3: K3CloudClient, org: str, *, since: str | None = None,
                   numbers: list[str] | None = None) -> list[Material]:
    """Audited, not forbidden materials (modified at or after ``since``, or with these numbers), one per number
    (the row of organisation ``org`` when the material is allocated to several), oldest change first."""
    base = "FDocumentStatus='C' AND FForbidStatus='A'"
    filters = []
    if numbers is not None:
        filters = [f"{base} AND {in_filter('FNumber', part)}" for part in chunked(list(dict.fromkeys(numbers)), 200)]
    else:
        filters = [f"{base} AND FModifyDate>={quote_value(since)}" if since else base]
    rows: dict[str, dict[str, Any]] = {}
    for flt in filters:
        for row in k3.query_all(MATERIAL_FORM, K3_KEYS, filter=flt, order="FModifyDate ASC, FNumber ASC"):
            number = _text(row.get("FNumber"))
            if number and (number not in rows or _text(row.get("FUseOrgId.FNumber")) == org):
                rows[number] = row
    out = [Material(_text(r.get("FMATERIALID")), n, _text(r.get("FName")), _text(r.get("FSpecification")),
                    _text(r.get("FBaseUnitId.FName")), _text(r.get("FModifyDate"))) for n, r in rows.items()]
    return sorted(out, key=lambda m: (m.modified, m.number))


def fx_products(fx: FxiaokeClient, codes: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Live (not voided) Fxiaoke products by product_code, for these codes."""
    out: dict[str, list[dict[str, Any]]] = {}
    for part in chunked(list(dict.fromkeys(codes)), IN_CHUNK):
        for rec in fx.query(PRODUCT_OBJECT, filters=[("product_code", "IN", part)], fields=PRODUCT_FIELDS):
            if rec.get("life_status") == "invalid" or rec.get("is_deleted") is True:
                continue
            out.setdefault(_text(rec.get("product_code")), []).append(rec)
    for rows in out.values():
        rows.sort(key=lambda r: str(r.get("_id")))
    return out


def unit_options(describe: dict[str, dict[str, Any]]) -> dict[str, str]:
    """The ProductObj ``unit`` options: label -> option value."""
    options = (describe.get("unit") or {}).get("options") or []
    return {_text(o.get("label")): _text(o.get("value")) for o in options if isinstance(o, dict)}


def create_defaults(describe: dict[str, dict[str, Any]]) -> dict[str, str]:
    return {k: v for k, v in CREATE_DEFAULTS.items() if (describe.get(k) or {}).get("is_required")}


def _unit_error(m: Material, labels: list[str]) -> ErrorInfo:
    shown = "、".join(labels) or "-"
    return ErrorInfo("unit_not_in_fxiaoke", "fxiaoke",
                     Text(f"物料 {m.number} 的基本单位“{m.unit}”在纷享销客产品的“单位”字段中没有对应选项"
                          f"（现有：{shown}）。",
                          f"The base unit '{m.unit}' of material {m.number} is not an option of the Fxiaoke product "
                          f"field 'unit' (options: {', '.join(labels) or '-'})."),
                     Text("请纷享销客管理员为产品的“单位”字段添加该选项，然后再同步产品。",
                          "Ask the Fxiaoke administrator to add this option to the product field 'unit', then sync "
                          "the products again."), {"unit": m.unit, "material": m.number})


def _duplicate_error(m: Material, rows: list[dict[str, Any]]) -> ErrorInfo:
    ids = [str(r.get("_id")) for r in rows]
    names = "、".join(f"{r.get('name') or ''}（{r.get('_id')}）" for r in rows)
    names_en = ", ".join(f"{r.get('name') or ''} ({r.get('_id')})" for r in rows)
    return ErrorInfo("duplicate_product_code", "fxiaoke",
                     Text(f"纷享销客中有 {len(rows)} 个产品的产品编码都是 {m.number}：{names}。"
                          "不知道应更新哪一个，已跳过。",
                          f"{len(rows)} Fxiaoke products have the product code {m.number}: {names_en}. It is not "
                          "clear which one to update, so it was left alone."),
                     Text("请在纷享销客中作废多余的产品（保留订单使用的那个），然后再同步产品。",
                          "Void the extra products in Fxiaoke (keep the one orders use), then sync the products "
                          "again."), {"product_code": m.number, "ids": ids})


def plan(materials: list[Material], products: dict[str, list[dict[str, Any]]],
         describe: dict[str, dict[str, Any]]) -> list[Plan]:
    """One plan per material, in the materials' order."""
    units = unit_options(describe)
    defaults = create_defaults(describe)
    out: list[Plan] = []
    for m in materials:
        rows = products.get(m.number, [])
        if len(rows) > 1:
            out.append(Plan(m, "hold", error=_duplicate_error(m, rows)))
            continue
        unit = units.get(m.unit) if m.unit else None
        if m.unit and unit is None:
            out.append(Plan(m, "hold", rows[0].get("_id") if rows else None, error=_unit_error(m, list(units))))
            continue
        wanted = {"name": m.name, "product_code": m.number, "specification": m.spec}
        if unit is not None:
            wanted["unit"] = unit
        if not rows:
            out.append(Plan(m, "create", data={**wanted, **defaults}))
            continue
        have = rows[0]
        changes = {k: v for k, v in wanted.items() if _text(have.get(k)) != v}
        out.append(Plan(m, "update" if changes else "skip", str(have.get("_id")), changes))
    return out


def estimate_seconds(creates: int, updates: int) -> float:
    """How long the writes take under Fxiaoke's limit (creates and updates are separate endpoints)."""
    busiest = max(creates, updates)
    if busiest == 0:
        return 0.0
    windows = math.ceil(busiest / DEFAULT_CALLS)
    return (windows - 1) * DEFAULT_WINDOW_S + (creates + updates) * CALL_SECONDS


def estimate_text(creates: int, updates: int) -> Text:
    """'N products to create, M to update: about X minutes (Fxiaoke allows 100 calls per 20 s)'."""
    seconds = estimate_seconds(creates, updates)
    minutes = max(1, math.ceil(seconds / 60))
    return Text(f"将在纷享销客中新建 {creates} 个、更新 {updates} 个产品，预计约 {minutes} 分钟"
                f"（纷享销客每个接口每 20 秒最多 {DEFAULT_CALLS} 次调用）。中途停止也不要紧，下次同步会接着做。",
                f"{creates} products to create and {updates} to update in Fxiaoke: about {minutes} minute"
                f"{'s' if minutes != 1 else ''} (Fxiaoke allows {DEFAULT_CALLS} calls per 20 s per endpoint). If it "
                "stops part-way, the next sync carries on.")


def needs_notice(creates: int, updates: int) -> bool:
    """A run large enough to wait for Fxiaoke's limit: the faces say how long it takes before it starts."""
    return max(creates, updates) > DEFAULT_CALLS
