"""The "ship" and "return" admin actions: audited shipping bills and returns linked to sales orders, as K3 users make.

``ship`` creates, per chosen order, one audited SAL_OUTSTOCK (default) or SAL_DELIVERYNOTICE whose entries name the
order the way each form does (out-stock: ``FSoorDerno`` + ``FSrcBillNo``; notice: ``FOrderNo`` + ``FSrcBillNo``;
both ``FSrcType`` SAL_SaleOrder and ``FSOEntryId``, reference §8.3/§8.4). By default every line ships its full
quantity (the first-wave behaviour product tests rely on; ``count`` picks orders no bill of that form names yet);
``remaining: true`` ships only what is still open on each line (and ``count`` picks orders with something open);
``lines`` ships part: ``{"S-1": {"1": 4, "2": 0}}`` maps an order number to line sequence (FSeq) -> quantity,
lines not named are not shipped. ``return`` records an audited SAL_RETURNSTOCK
(``FOrderNo`` = the order, ``FSrcBillNo`` = the last audited out-stock of the line, else the order) for the given
quantities, or for everything shipped and not yet returned. Both refresh the order lines' progress fields
(k3cloud_links).
"""

from __future__ import annotations

from core.sandbox.k3cloud_forms import (
    DELIVERY_NOTICE,
    OUT_STOCK,
    RETURN_STOCK,
    SALE_ORDER,
    find_form,
)
from core.sandbox.k3cloud_links import PROGRESS, orders_named_by, refresh_progress
from core.sandbox.k3cloud_save import save_model
from core.sandbox.k3cloud_store import SaveOptions, Store

_OPTS = SaveOptions(auto_submit_audit=True, validate=False, resolve_refs=False)  # a test tool: never drops lines
_BILL_TYPES = {OUT_STOCK: "XSCKD01_SYS", DELIVERY_NOTICE: "FHTZD01_SYS", RETURN_STOCK: "XSTHD01_SYS"}


def _open_qty(line: dict, form_id: str) -> float:
    done = float(line.get(PROGRESS[form_id][2]) or 0) - float(line.get("FReturnQty") or 0)
    return max(0.0, float(line.get("FQty") or 0) - done)


def _wanted(order: dict, form_id: str, lines: dict | None, remaining: bool) -> list[tuple[dict, float]]:
    out = []
    for line in order.get("FSaleOrderEntry") or []:
        if lines is None:
            qty = _open_qty(line, form_id) if remaining else float(line.get("FQty") or 0)
        else:
            qty = float(lines.get(str(line.get("FSeq")), 0) or 0)
        if qty > 0:
            out.append((line, qty))
    return out


def _entry(form_id: str, order: dict, line: dict, qty: float) -> dict:
    entry = {"FMaterialID": line.get("FMaterialId"), "FUnitID": line.get("FUnitID"),
             "FPrice": line.get("FPrice"), "FTaxPrice": line.get("FTaxPrice"),
             "FEntryTaxRate": line.get("FEntryTaxRate"),
             "FSrcBillNo": order["FBillNo"], "FSrcType": SALE_ORDER, "FSOEntryId": line.get("FEntryID")}
    if form_id == OUT_STOCK:
        entry.update(FRealQty=qty, FSoorDerno=order["FBillNo"])
    else:
        entry.update(FQty=qty, FOrderNo=order["FBillNo"])
    return entry


def _save(store: Store, form_id: str, model: dict, what: str) -> str:
    form = find_form(form_id)
    assert form is not None
    errors, rec = save_model(store, form, model, _OPTS, 0)
    if errors or rec is None:
        raise ValueError(f"cannot {what}: {[e.message for e in errors]}")
    return str(rec["FBillNo"])


def ship(store: Store, bill_nos: list[str] | None, count: int | None, form_id: str = OUT_STOCK,
         lines: dict | None = None, remaining: bool = False) -> dict:
    """Create one audited shipping bill per chosen order (see the module docstring)."""
    if form_id not in (OUT_STOCK, DELIVERY_NOTICE):
        raise ValueError(f"form must be {OUT_STOCK} or {DELIVERY_NOTICE}, not {form_id!r}")
    if lines is not None and not isinstance(lines, dict):
        raise ValueError("lines must map an order number to {line seq: quantity}")
    if bill_nos is not None:
        chosen = [store.by_number(SALE_ORDER, no) for no in bill_nos]
        missing = [no for no, rec in zip(bill_nos, chosen, strict=True) if rec is None]
        orders = [rec for rec in chosen if rec is not None]
    else:
        named = {n for bill in store.records[form_id].values() for n in orders_named_by(bill)}

        def pending(r: dict) -> bool:
            return bool(_wanted(r, form_id, None, True)) if remaining else str(r["FBillNo"]).casefold() not in named

        orders = sorted((r for r in store.records[SALE_ORDER].values() if pending(r)), key=lambda r: r["_id"])
        orders, missing = orders[: max(0, int(count or 0))], []
    created, shipped = [], []
    for order in orders:
        wanted = _wanted(order, form_id, (lines or {}).get(order["FBillNo"]), remaining)
        if not wanted:
            continue
        fin = order.get("FSaleOrderFinance") or {}
        model = {"FBillTypeID": {"FNumber": _BILL_TYPES[form_id]}, "FDate": store.now(),
                 "FSaleOrgId": order.get("FSaleOrgId"), "FCustomerID": order.get("FCustId"),
                 "FStockOrgId" if form_id == OUT_STOCK else "FDeliveryOrgID": order.get("FSaleOrgId"),
                 "SubHeadEntity": {"FSettleCurrID": fin.get("FSettleCurrId"), "FSettleOrgID": order.get("FSaleOrgId")},
                 "FEntity": [_entry(form_id, order, line, qty) for line, qty in wanted]}
        created.append(_save(store, form_id, model, f"ship {order['FBillNo']}"))
        shipped.append(order["FBillNo"])
    refresh_progress(store, {str(no) for no in shipped})
    return {"bill_nos": created, "orders": shipped, "missing": missing, "form_id": form_id}


def record_return(store: Store, bill_no: str, lines: dict | None = None) -> dict:
    """An audited SAL_RETURNSTOCK for order ``bill_no``: ``lines`` {seq: qty}, default all shipped, not returned."""
    order = store.by_number(SALE_ORDER, bill_no)
    if order is None:
        raise ValueError(f"no sales order {bill_no!r}")
    entries = []
    for line in order.get("FSaleOrderEntry") or []:
        out_qty = float(line.get("FStockOutQty") or 0) - float(line.get("FReturnQty") or 0)
        qty = out_qty if lines is None else float(lines.get(str(line.get("FSeq")), 0) or 0)
        if qty <= 0:
            continue
        source = _last_out_stock(store, order["FBillNo"], line.get("FEntryID"))
        entries.append({"FMaterialId": line.get("FMaterialId"), "FUnitID": line.get("FUnitID"), "FRealQty": qty,
                        "FPrice": line.get("FPrice"), "FTaxPrice": line.get("FTaxPrice"),
                        "FEntryTaxRate": line.get("FEntryTaxRate"), "FOrderNo": order["FBillNo"],
                        "FSrcBillNo": source or order["FBillNo"], "FSrcType": OUT_STOCK if source else SALE_ORDER,
                        "FSOEntryId": line.get("FEntryID")})
    if not entries:
        raise ValueError(f"nothing to return on {bill_no}: give lines {{seq: qty}} or ship it first")
    fin = order.get("FSaleOrderFinance") or {}
    model = {"FBillTypeID": {"FNumber": _BILL_TYPES[RETURN_STOCK]}, "FDate": store.now(),
             "FSaleOrgId": order.get("FSaleOrgId"), "FRetcustId": order.get("FCustId"),
             "FStockOrgId": order.get("FSaleOrgId"),
             "SubHeadEntity": {"FSettleCurrId": fin.get("FSettleCurrId"), "FSettleOrgId": order.get("FSaleOrgId")},
             "FEntity": entries}
    number = _save(store, RETURN_STOCK, model, f"return {bill_no}")
    refresh_progress(store, {order["FBillNo"]})
    return {"bill_no": number, "order": order["FBillNo"]}


def _last_out_stock(store: Store, order_no: str, entry_id: object) -> str | None:
    found = None
    for bill in sorted(store.records[OUT_STOCK].values(), key=lambda r: r["_id"]):
        if bill.get("FDocumentStatus") == "C" and any(
                e.get("FSoorDerno") == order_no and e.get("FSOEntryId") == entry_id for e in bill.get("FEntity") or []):
            found = bill["FBillNo"]
    return found
