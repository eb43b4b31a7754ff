"""After Save: read back what K3Cloud stored and compare it with what was sent and with the Fxiaoke record.

- Lines: with ``IsVerifyBaseDataField`` false K3Cloud may drop an order line whose material does not resolve
  (unknown, forbidden, not allocated) and still answer "saved" (reference k3cloud-webapi.md §5; issue 13). The line
  count, materials and quantities stored are compared with the payload: a dropped or changed line makes the item
  ``failed`` (code ``lines_dropped``), never created, and the document is not submitted or audited.
- Amounts (the compass row "amount reconciliation"): K3Cloud computes 价税合计 and line amounts itself (price x
  quantity, tax by rate, rounded to the currency's precision). They are compared with the Fxiaoke order amount and
  line subtotals the mapping's ``checks`` name; a difference of one cent or more is flagged on the item (code
  ``amount_drift``) with both figures and the likely cause. The document itself is fine: it goes on.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from core.errors import ErrorInfo, Text
from core.k3cloud.client import K3CloudClient
from core.mapping import Mapping
from core.mapping.refs import REF_KINDS
from core.sync import k3state
from core.sync.k3state import K3Doc
from core.sync.slots import Slot

CENT = Decimal("0.01")


def decimal(value: Any) -> Decimal | None:
    """A number from either side (Fxiaoke sends strings, K3Cloud numbers) as a Decimal, or None."""
    if value in (None, "") or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _material_key(row: dict[str, Any]) -> str | None:
    for key, value in row.items():
        if isinstance(value, dict) and REF_KINDS.get(key.lower(), ("",))[0] == "material":
            return key
    return None


def _entries(slot: Slot, entry: str) -> list[dict[str, Any]]:
    rows = slot.work.payload.model.get(entry) if slot.work.payload is not None else None
    return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []


def _number_of(ref: Any) -> str | None:
    if isinstance(ref, dict):
        for key, value in ref.items():
            if key.lower() == "fnumber" and value not in (None, ""):
                return str(value)
    return None


def _read(k3: K3CloudClient, mapping: Mapping, slots: list[Slot]) -> tuple[dict[str, K3Doc], str | None]:
    """What K3Cloud stored for these documents (k3state.read: one query per chunk), and the entries' material key."""
    entry = mapping.entry_key
    sample = next((r for s in slots if entry for r in _entries(s, entry)), None)
    material = _material_key(sample) if sample else None
    checks = mapping.checks
    head = [checks["total"]["k3"]] if checks.get("total") else []
    entries: list[str] = []
    if entry and material:
        entries = [f"{material}.FNumber", "FQty"] + ([checks["line_amount"]["k3"]] if checks.get("line_amount") else [])
    if not head and not entries:
        return {}, material
    docs = k3state.read(k3, mapping.form_id, mapping.key_field, [s.number for s in slots], head=head,
                        entry_key=entry if entries else None, entries=entries)
    return docs, material


def verify(k3: K3CloudClient, mapping: Mapping, slots: list[Slot]) -> None:
    """Reads back the slots' documents: one whose lines K3Cloud did not keep as sent gets the error
    ``lines_dropped`` (it goes no further); one whose amounts drift from Fxiaoke's gets the note ``amount_drift``."""
    if not slots or not mapping.entry_key and not mapping.checks:
        return
    docs, material = _read(k3, mapping, slots)
    for s in slots:
        doc = docs.get(s.number)
        if doc is None:
            continue
        dropped = _line_problems(s, mapping, doc, material)
        if dropped:
            s.error = _dropped_error(s, dropped)
            continue
        s.note = _amount_drift(s, mapping, doc) or s.note


def _line_problems(s: Slot, mapping: Mapping, doc: K3Doc, material: str | None) -> list[str]:
    """Each sent line K3Cloud did not store as sent (material and quantity), in the clerk's words."""
    sent = _entries(s, mapping.entry_key) if mapping.entry_key else []
    if not sent or material is None:
        return []
    stored = [(_str(e.values.get(f"{material}.FNumber")), decimal(e.values.get("FQty"))) for e in doc.entries]
    out: list[str] = []
    for i, row in enumerate(sent, start=1):
        number, qty = _number_of(row.get(material)), decimal(row.get("FQty"))
        hit = next((ln for ln in stored if ln[0] == number and (qty is None or ln[1] == qty)), None)
        if hit is None:
            out.append(f"{i}: {number or '?'} × {qty if qty is not None else '?'}")
        else:
            stored.remove(hit)
    return out


def _dropped_error(s: Slot, lines: list[str]) -> ErrorInfo:
    shown = "；".join(lines)
    return ErrorInfo(
        "lines_dropped", "k3cloud",
        Text(f"金蝶保存了单据 {s.number}，但没有保存全部明细行（缺少：{shown}）。单据没有提交或审核。",
             f"K3Cloud saved document {s.number} but not all of its lines (missing: {shown.replace('；', '; ')}). "
             "It was not submitted or audited."),
        Text("通常是物料在金蝶中不存在、已禁用或未分配到组织，且映射的 IsVerifyBaseDataField 为 false。请在金蝶中"
             "补齐物料后把映射的 IsVerifyBaseDataField 设为 true，然后处理这张单据（修改或删除）并重新同步。",
             "Usually a material that does not exist, is forbidden or is not allocated, with IsVerifyBaseDataField "
             "false in the mapping. Fix the material in K3Cloud, set IsVerifyBaseDataField to true in the mapping, "
             "then fix or delete this document in K3Cloud and sync again."),
        {"missing_lines": lines, "number": s.number})


def _amount_drift(s: Slot, mapping: Mapping, doc: K3Doc) -> ErrorInfo | None:
    checks = mapping.checks
    record = s.work.record
    lines: list[dict[str, str]] = []
    total = checks.get("total")
    fx_total = decimal(record.get(total["source"])) if total else None
    k3_total = decimal(doc.head.get(total["k3"])) if total else None
    if total and fx_total is not None and k3_total is not None and abs(k3_total - fx_total) >= CENT:
        lines.append({"what": "total", "k3": _money(k3_total), "fxiaoke": _money(fx_total)})
    line_amount = checks.get("line_amount")
    source_lines = s.work.payload.lines if s.work.payload is not None else []
    if line_amount and len(source_lines) == len(doc.entries):
        for i, (src, entry) in enumerate(zip(source_lines, doc.entries, strict=True), start=1):
            fx, k3 = decimal(src.get(line_amount["source"])), decimal(entry.values.get(line_amount["k3"]))
            if fx is not None and k3 is not None and abs(k3 - fx) >= CENT:
                lines.append({"what": f"line {i}", "k3": _money(k3), "fxiaoke": _money(fx)})
    if not lines:
        return None
    head = lines[0]
    where_zh = "价税合计" if head["what"] == "total" else f"第 {head['what'][5:]} 行金额"
    where_en = "the total incl. tax (价税合计)" if head["what"] == "total" else f"the amount of {head['what']}"
    diff = abs(Decimal(head["k3"]) - Decimal(head["fxiaoke"]))
    return ErrorInfo(
        "amount_drift", "k3cloud",
        Text(f"金蝶单据 {s.number} 的{where_zh} {head['k3']} 与纷享销客的 {head['fxiaoke']} 相差 {diff}。",
             f"In K3Cloud document {s.number}, {where_en} is {head['k3']} but Fxiaoke says {head['fxiaoke']} "
             f"(a difference of {diff})."),
        Text("金蝶按 单价×数量 和税率重新计算金额并四舍五入到分；常见原因：纷享销客的订单金额含折扣或运费、单价是否含税"
             "的设置不一致、税率不同（金蝶取物料的税率）。请财务核对这张单据，必要时在金蝶中调整。",
             "K3Cloud computes amounts from unit price x quantity and the tax rate, rounded to the cent. Common "
             "causes: a discount or freight in the Fxiaoke amount, prices incl./excl. tax set differently, a "
             "different tax rate (K3Cloud takes the material's). Have finance check this document and adjust it "
             "in K3Cloud if needed."),
        {"amounts": lines, "number": s.number})


def _money(value: Decimal) -> str:
    """At least cents: 30.0 -> 30.00 (K3Cloud answers numbers, Fxiaoke strings)."""
    return str(value.quantize(CENT)) if value == value.quantize(CENT) else str(value)


def _str(value: Any) -> str | None:
    return None if value in (None, "") else str(value)
