"""K3Cloud's shipping bills and returns, and how far each sales order line shipped by them.

A shipping bill is an audited (FDocumentStatus 'C') bill of the profile's shipment form: SAL_OUTSTOCK
(销售出库单, quantity ``FRealQty``, order number on its entry ``FSoorDerno``, reference §8.4 [C 5]) or
SAL_DELIVERYNOTICE (发货通知单, quantity ``FQty`` §8.3; the order by the entry's order number ``FOrderNo`` or its
source bill number ``FSrcBillNo`` when the source type ``FSrcType`` is the sales order: cli-contract). An audited
SAL_RETURNSTOCK (销售退货单, ``FRealQty``, order number ``FOrderNo``; k3cloud_forms' sources G:263880444,
G:564827661) lowers what shipped. Bill entries are
matched to order lines by ``FSOEntryId`` (the order line's entry id, §8.4) and else by material. Keys a tenant lacks
(``FOrderNo``, ``FSrcType``, ``FSOEntryId`` are not on every form everywhere) are dropped from the query once K3Cloud
names them as missing, and matching falls back to what is left.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from core.errors import K3CloudError, Text
from core.k3cloud.client import K3CloudClient
from core.k3cloud.query import chunked, in_filter, quote_value

ORDER_FORM = "SAL_SaleOrder"
OUT_STOCK, DELIVERY_NOTICE, RETURN_STOCK = "SAL_OUTSTOCK", "SAL_DELIVERYNOTICE", "SAL_RETURNSTOCK"
IN_CHUNK = 100


@dataclass(frozen=True)
class BillForm:
    """How one K3Cloud form carries a shipment: its quantity, material and order-number keys, and its name."""

    form_id: str
    qty_key: str
    material_key: str
    order_keys: tuple[str, ...]  # entry keys holding the order's FBillNo itself
    name: Text
    returns: bool = False


FORMS = {
    OUT_STOCK: BillForm(OUT_STOCK, "FRealQty", "FMaterialID", ("FSoorDerno",), Text("销售出库单", "out-stock bill")),
    DELIVERY_NOTICE: BillForm(DELIVERY_NOTICE, "FQty", "FMaterialID", ("FOrderNo",),
                              Text("发货通知单", "delivery notice")),
    RETURN_STOCK: BillForm(RETURN_STOCK, "FRealQty", "FMaterialId", ("FOrderNo",), Text("销售退货单", "sales return"),
                           returns=True),
}
#: Entry keys that are not on every tenant's form: dropped from a query when K3Cloud says they do not exist.
OPTIONAL_KEYS = ("FOrderNo", "FSrcType", "FSOEntryId")


@dataclass
class Entry:
    order: str  # the sales order's FBillNo
    material: str
    qty: Decimal
    so_entry_id: str = ""


@dataclass
class Bill:
    """One audited shipping bill or return, with its entries that name a sales order."""

    form: BillForm
    fid: str | None
    number: str
    approved: str
    entries: list[Entry] = field(default_factory=list)

    @property
    def orders(self) -> list[str]:
        return list(dict.fromkeys(e.order for e in self.entries))

    @property
    def sort_key(self) -> tuple[str, int, str]:
        return (self.approved, 1 if self.form.returns else 0, self.number)


@dataclass
class LineProgress:
    """One sales order line: ordered, shipped and returned so far (and by the bill a message is about)."""

    seq: int
    entry_id: str
    material: str
    name: str
    ordered: Decimal
    shipped: Decimal = Decimal(0)
    returned: Decimal = Decimal(0)
    this_bill: Decimal = Decimal(0)

    @property
    def net(self) -> Decimal:
        return self.shipped - self.returned


def _dec(value: Any) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except ArithmeticError:
        return Decimal(0)


def _text(value: Any) -> str:
    return "" if value in (None, "", 0) else str(value).strip()


class BillReader:
    """Reads shipping bills, returns and order lines through one K3Cloud client (remembering missing keys)."""

    def __init__(self, k3: K3CloudClient) -> None:
        self.k3 = k3
        self.missing: set[str] = set()

    def _query(self, form_id: str, keys: list[str], flt: str, order: str = "") -> list[dict[str, Any]]:
        while True:
            wanted = [k for k in dict.fromkeys(keys) if k not in self.missing]
            try:
                return list(self.k3.query_all(form_id, wanted, filter=flt, order=order))
            except K3CloudError as exc:
                text = str(exc)
                gone = next((k for k in OPTIONAL_KEYS if k in wanted and k in text), None)
                if gone is None:
                    raise
                self.missing.add(gone)  # the tenant's form has no such key: ask again without it

    def bills(self, form: BillForm, flt: str) -> list[Bill]:
        """Audited bills of ``form`` matching ``flt`` (an extra condition), grouped, oldest approval first."""
        keys = ["FID", "FBillNo", "FApproveDate", *form.order_keys, "FSrcBillNo", "FSrcType", "FSOEntryId",
                f"{form.material_key}.FNumber", form.qty_key]
        rows = self._query(form.form_id, keys, f"FDocumentStatus='C' AND ({flt})", "FApproveDate ASC")
        out: dict[str, Bill] = {}
        for row in rows:
            number = _text(row.get("FBillNo"))
            if not number:
                continue
            bill = out.setdefault(number, Bill(form, _text(row.get("FID")) or None, number,
                                               str(row.get("FApproveDate") or "")))
            order = next((_text(row.get(k)) for k in form.order_keys if _text(row.get(k))), "")
            if not order and _text(row.get("FSrcType")) in ("", ORDER_FORM):  # sourced from the order itself
                order = _text(row.get("FSrcBillNo"))
            if order:
                bill.entries.append(Entry(order, _text(row.get(f"{form.material_key}.FNumber")),
                                          _dec(row.get(form.qty_key)), _text(row.get("FSOEntryId"))))
        return sorted(out.values(), key=lambda b: b.sort_key)

    def approved_since(self, form: BillForm, since: str) -> list[Bill]:
        return self.bills(form, f"FApproveDate>={quote_value(since)}")

    def naming(self, form: BillForm, orders: Iterable[str]) -> list[Bill]:
        """Every audited bill of ``form`` whose entries name one of these orders."""
        out: list[Bill] = []
        for part in chunked(list(dict.fromkeys(orders)), IN_CHUNK):
            conds = [in_filter(k, part) for k in form.order_keys if k not in self.missing]
            conds.append(in_filter("FSrcBillNo", part))
            out += [b for b in self.bills(form, " OR ".join(conds)) if set(b.orders) & set(part)]
        seen: dict[str, Bill] = {b.number: b for b in out}
        return sorted(seen.values(), key=lambda b: b.sort_key)

    def order_lines(self, orders: Iterable[str]) -> dict[str, list[LineProgress]]:
        """The lines of these sales orders (by FBillNo), in entry order."""
        keys = ["FBillNo", "FSaleOrderEntry_FEntryID", "FSaleOrderEntry_FSeq", "FMaterialId.FNumber",
                "FMaterialId.FName", "FQty"]
        out: dict[str, list[LineProgress]] = {}
        for part in chunked(list(dict.fromkeys(orders)), IN_CHUNK):
            for row in self._query(ORDER_FORM, keys, in_filter("FBillNo", part)):
                lines = out.setdefault(_text(row.get("FBillNo")), [])
                seq = int(_dec(row.get("FSaleOrderEntry_FSeq")) or len(lines) + 1)
                lines.append(LineProgress(seq, _text(row.get("FSaleOrderEntry_FEntryID")),
                                          _text(row.get("FMaterialId.FNumber")), _text(row.get("FMaterialId.FName")),
                                          _dec(row.get("FQty"))))
        for lines in out.values():
            lines.sort(key=lambda ln: ln.seq)
        return out


def progress(lines: list[LineProgress], bills: list[Bill], order: str, upto: Bill | None = None
             ) -> list[LineProgress]:
    """Fresh copies of ``lines`` with what ``bills`` (those up to ``upto`` in approval order) shipped and returned;
    ``this_bill`` is ``upto``'s own quantity on each line."""
    out = [LineProgress(ln.seq, ln.entry_id, ln.material, ln.name, ln.ordered) for ln in lines]
    for bill in bills:
        if upto is not None and bill.sort_key > upto.sort_key:
            continue
        for e in bill.entries:
            if e.order.casefold() != order.casefold():
                continue
            line = _line_for(out, e)
            if line is None:
                continue
            if bill.form.returns:
                line.returned += e.qty
            else:
                line.shipped += e.qty
            if upto is not None and bill.number == upto.number and bill.form == upto.form:
                line.this_bill += e.qty
    return out


def _line_for(lines: list[LineProgress], entry: Entry) -> LineProgress | None:
    if entry.so_entry_id:
        hit = next((ln for ln in lines if ln.entry_id == entry.so_entry_id), None)
        if hit is not None:
            return hit
    return next((ln for ln in lines if ln.material and ln.material == entry.material), None)


def state_of(lines: list[LineProgress], shipped_any: bool) -> str:
    """shipped (every line in full), partly (something), none; without known lines: by what the bills say."""
    if not lines:
        return "shipped" if shipped_any else "none"
    if all(ln.net >= ln.ordered for ln in lines):
        return "shipped"
    return "partly" if any(ln.net > 0 for ln in lines) else "none"
