"""Links between bills: which downstream bills name a document, and the sales order's shipped/returned quantities.

- A downstream bill is any SAL_DELIVERYNOTICE / SAL_OUTSTOCK / SAL_RETURNSTOCK whose entry names the document:
  ``FSrcBillNo`` (§8.4 [C 5]) for any source, and for a sales order also ``FSoorDerno`` (out-stock, §8.4) or
  ``FOrderNo`` (delivery notice, return). Whatever its status, it blocks UnAudit and Delete of the source
  (issue 11; the real server keeps the link in ``<entry>_Link`` rows, so the link's existence is what counts
  [sandbox choice]).
- Auditing or unauditing a shipping bill rewrites the order lines' progress, like K3's write-back (KM: "auditing an
  out-stock updates the cumulative out-stock quantity"): ``FStockOutQty`` = audited out-stock quantities,
  ``FDeliQty`` = audited delivery-notice quantities, ``FReturnQty`` = audited returns (ERP §8.2 lists FDeliQty and
  FStockOutQty; FReturnQty is a [sandbox choice]). Lines are matched by ``FSOEntryId``, else by material.
"""

from __future__ import annotations

from core.sandbox.k3cloud_forms import (
    DELIVERY_NOTICE,
    OUT_STOCK,
    RETURN_STOCK,
    SALE_ORDER,
    FormDef,
)
from core.sandbox.k3cloud_store import Store, ref_of

DOWNSTREAM = (DELIVERY_NOTICE, OUT_STOCK, RETURN_STOCK)
#: form -> (entry key, quantity key, order line field it counts into)
PROGRESS = {OUT_STOCK: ("FEntity", "FRealQty", "FStockOutQty"),
            DELIVERY_NOTICE: ("FEntity", "FQty", "FDeliQty"),
            RETURN_STOCK: ("FEntity", "FRealQty", "FReturnQty")}


def order_numbers_of(entry: dict) -> set[str]:
    """The sales order numbers a shipping-bill entry names."""
    return {str(entry[k]).casefold() for k in ("FSoorDerno", "FOrderNo", "FSrcBillNo") if entry.get(k)}


def downstream(store: Store, form: FormDef, rec: dict) -> list[tuple[str, str]]:
    """(form id, bill number) of every bill whose entries name ``rec``."""
    number = str(rec[form.number_key]).casefold()
    keys = ("FSrcBillNo", "FSoorDerno", "FOrderNo") if form.form_id == SALE_ORDER else ("FSrcBillNo",)
    found = []
    for form_id in DOWNSTREAM:
        if form_id == form.form_id:
            continue
        for bill in store.records[form_id].values():
            if any(str(e.get(k) or "").casefold() == number for e in bill.get("FEntity") or [] for k in keys):
                found.append((form_id, bill["FBillNo"]))
    return found


def refresh_progress(store: Store, order_numbers: set[str]) -> None:
    """Recompute FStockOutQty/FDeliQty/FReturnQty of the named orders from every audited shipping bill."""
    wanted = {str(n).casefold() for n in order_numbers}
    if not wanted:
        return
    found: dict[str, list[tuple[str, float, dict]]] = {}  # order number -> (target field, quantity, entry)
    for form_id, (entry_key, qty_key, target) in PROGRESS.items():
        for bill in store.records[form_id].values():
            if bill.get("FDocumentStatus") != "C":
                continue
            for entry in bill.get(entry_key) or []:
                for number in order_numbers_of(entry) & wanted:
                    found.setdefault(number, []).append((target, float(entry.get(qty_key) or 0), entry))
    for number in wanted:
        for order in store.all_by_number(SALE_ORDER, number):
            lines = order.get("FSaleOrderEntry") or []
            for line in lines:
                for _, _, target in PROGRESS.values():
                    line[target] = 0.0
            for target, qty, entry in found.get(number, []):
                line = _line_for(lines, entry)
                if line is not None:
                    line[target] = float(line.get(target) or 0) + qty


def _line_for(lines: list[dict], entry: dict) -> dict | None:
    by_id = next((ln for ln in lines if entry.get("FSOEntryId") and ln.get("FEntryID") == entry["FSOEntryId"]), None)
    if by_id is not None:
        return by_id
    material = ref_of(entry.get("FMaterialID") or entry.get("FMaterialId"))
    return next((ln for ln in lines if ref_of(ln.get("FMaterialId")) == material), None)


def orders_named_by(bill: dict) -> set[str]:
    return {n for e in bill.get("FEntity") or [] for n in order_numbers_of(e)}
