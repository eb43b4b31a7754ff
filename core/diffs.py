"""How a field-by-field difference from K3Cloud is named to a clerk (both faces and the sync's messages).

A difference is a list of ``{"field", "k3", "new"}``: ``field`` a payload path (``FQty``, ``FCustId.FNumber``) or an
entry row's (``FSaleOrderEntry[2].FQty``; ``FSaleOrderEntry[3]`` a row added; ``FSaleOrderEntry[-4]`` K3Cloud's row
4 removed), ``k3`` what K3Cloud holds and ``new`` what the sync sends, as compared (``""`` = empty).
"""

from __future__ import annotations

import re

from core.errors import Text

Diff = list[dict[str, str]]

#: How a compared field is named to a clerk (the key when it is not listed).
FIELD_NAMES: dict[str, Text] = {
    "fqty": Text("数量", "Quantity"), "ftaxprice": Text("含税单价", "Price incl. tax"),
    "fprice": Text("单价", "Unit price"), "fmaterialid": Text("物料", "Material"),
    "fcustid": Text("客户", "Customer"), "fdate": Text("日期", "Date"), "fname": Text("名称", "Name"),
    "fshortname": Text("简称", "Short name"), "ftel": Text("电话", "Phone"), "faddress": Text("地址", "Address"),
    "fsaleorgid": Text("销售组织", "Sales organisation"), "fentrytaxrate": Text("税率", "Tax rate"),
    "fnote": Text("备注", "Note"), "fcreateorgid": Text("创建组织", "Creating organisation"),
    "fuseorgid": Text("使用组织", "Using organisation"), "fsettlecurrid": Text("结算币别", "Settlement currency"),
}
_ROW = re.compile(r"^(\w+)\[(-?)(\d+|\?)\](?:\.(.+))?$")


def field_label(name: str) -> Text:
    """A diff entry's field in the clerk's words: ``FSaleOrderEntry[2].FQty`` -> 第 2 行 数量 / Line 2 quantity."""
    row = _ROW.match(name)
    rest = row.group(4) if row else name
    leaf = FIELD_NAMES.get(rest.split(".")[0].lower()) if rest else None
    label = leaf or Text(rest or "", rest or "")
    if row is None:
        return label
    n, gone = row.group(3), row.group(2) == "-"
    if not rest:
        return Text(f"金蝶第 {n} 行（删除）", f"K3Cloud line {n} (removed)") if gone else \
            Text(f"第 {n} 行（新增）", f"Line {n} (new)")
    return Text(f"第 {n} 行 {label.zh}", f"Line {n} {label.en.lower()}")


def diff_text(changes: Diff, limit: int = 5) -> Text:
    """The first few differences on one line: 第 1 行 数量：10 → 12."""
    parts = [(field_label(d["field"]), d.get("k3") or "—", d.get("new") or "—") for d in changes[:limit]]
    more = len(changes) - limit
    zh = "；".join(f"{lab.zh}：{old} → {new}" for lab, old, new in parts) + (f"；另有 {more} 处" if more > 0 else "")
    en = "; ".join(f"{lab.en}: {old} -> {new}" for lab, old, new in parts) + (f"; {more} more" if more > 0 else "")
    return Text(zh, en)
