"""Amounts as K3Cloud computes them: sales order lines and totals, receipt totals.

Sales order line (``FSaleOrderEntry``), with rate r = ``FEntryTaxRate``/100 and the currency's precision
(``FAMOUNTDIGITS``, ``FPRICEDIGITS`` of BD_Currency; 2 and 6 when unset, as for PRE001) [I from K3's 含税/不含税
pricing; rounding half away from zero is a sandbox choice]:
- price includes tax (``FSaleOrderFinance.FIsIncludedTax`` true, the default): ``FAllAmount`` = round(FTaxPrice ×
  FQty), ``FTaxAmount`` = round(FAllAmount × r / (1+r)), ``FAmount`` = FAllAmount − FTaxAmount,
  ``FPrice`` = round(FTaxPrice / (1+r), 6);
- price excludes tax (false): ``FAmount`` = round(FPrice × FQty), ``FTaxAmount`` = round(FAmount × r),
  ``FAllAmount`` = FAmount + FTaxAmount, ``FTaxPrice`` = round(FPrice × (1+r), 6).
Header totals in ``FSaleOrderFinance``: ``FBillAllAmount`` (价税合计), ``FBillAmount``, ``FBillTaxAmount``.

Field order (reference §5 "field order matters", peers [K1]: "totals sent before unit price are recomputed
(108.47 → 108.48, 含税单价 → 0)"). The values of one sent row are applied in the order they were sent, each
triggering what the K3 form does when that field changes:
- ``FMaterialId`` sets the row's tax rate to the material's (``FTaxRateId``), so a rate sent BEFORE the material
  is overwritten; ``FQty``/``FTaxPrice``/``FPrice``/``FEntryTaxRate`` recompute the other price and the amounts;
- a total (``FAllAmount`` or ``FAmount``) sent AFTER price and quantity is kept and the unit prices are derived
  from it; a total sent BEFORE them is recomputed by the later price/quantity (the 108.47 → 108.48 case); with no
  quantity yet, a total zeroes both unit prices (含税单价 → 0).
- The FIN sub-header sent AFTER the entry array with a settlement currency re-prices the lines sent in that
  payload to 0 (KM, §5: "the FIN sub-header had to come before the ENTRY array, otherwise the tax-inclusive
  price became 0"); knob ``fin_after_entry_resets_prices``.
Receipts (AR_RECEIVEBILL): ``FRECAMOUNTFOR_E`` defaults to ``FRECTOTALAMOUNTFOR``, ``FPOSTDATE`` to ``FDATE``;
head ``FRECAMOUNTFOR``/``FREALRECAMOUNTFOR`` are their sums [sandbox choice].
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from core.sandbox.k3cloud_forms import CURRENCY, MATERIAL, TAX_RATE
from core.sandbox.k3cloud_store import Store, ref_of

TRIGGERS = {"FMaterialId", "FQty", "FTaxPrice", "FPrice", "FEntryTaxRate", "FAllAmount", "FAmount"}


def _d(value: object) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def _round(value: Decimal, digits: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def material_rate(store: Store, material: object) -> Decimal | None:
    rec = store.by_number(MATERIAL, ref_of(material))
    rate_ref = ((rec or {}).get("SubHeadEntity") or {}).get("FTaxRateId")
    rate = store.by_number(TAX_RATE, ref_of(rate_ref))
    return _d(rate.get("FTaxRate")) if rate is not None else None


class _Line:
    """One line's pricing state while its sent values are applied in order."""

    def __init__(self, row: dict, included: bool, price_digits: int) -> None:
        self.included, self.pd = included, price_digits
        self.qty = _d(row.get("FQty"))
        self.rate = _d(row.get("FEntryTaxRate"))
        self.tax_price = _d(row.get("FTaxPrice"))
        self.price = _d(row.get("FPrice"))
        self.all_fixed: Decimal | None = None
        self.amount_fixed: Decimal | None = None

    def _from_tax_price(self) -> None:
        self.price = _round(self.tax_price / (1 + self.rate / 100), self.pd)

    def _from_price(self) -> None:
        self.tax_price = _round(self.price * (1 + self.rate / 100), self.pd)

    def apply(self, key: str, value: object, store: Store) -> None:
        if key == "FMaterialId":
            rate = material_rate(store, value)
            if rate is None:
                return
            key, value = "FEntryTaxRate", rate
        if key not in ("FAllAmount", "FAmount"):
            self.all_fixed = self.amount_fixed = None
        v = _d(value)
        if key == "FQty":
            self.qty = v
        elif key == "FTaxPrice":
            self.tax_price = v
            self._from_tax_price()
        elif key == "FPrice":
            self.price = v
            self._from_price()
        elif key == "FEntryTaxRate":
            self.rate = v
            if self.included:
                self._from_tax_price()
            else:
                self._from_price()
        elif key == "FAllAmount":
            self.all_fixed, self.amount_fixed = v, None
            self.tax_price = _round(v / self.qty, self.pd) if self.qty else Decimal(0)
            self._from_tax_price()
        elif key == "FAmount":
            self.amount_fixed, self.all_fixed = v, None
            self.price = _round(v / self.qty, self.pd) if self.qty else Decimal(0)
            self._from_price()

    def zero_prices(self) -> None:
        self.tax_price = self.price = Decimal(0)
        self.all_fixed = self.amount_fixed = None

    def amounts(self, ad: int) -> tuple[Decimal, Decimal, Decimal]:
        """(FAmount, FTaxAmount, FAllAmount)."""
        r = self.rate / 100
        if self.amount_fixed is None and (self.all_fixed is not None or self.included):
            total = _round(self.all_fixed if self.all_fixed is not None else self.tax_price * self.qty, ad)
            tax = _round(total * r / (1 + r), ad)
            return total - tax, tax, total
        amount = _round(self.amount_fixed if self.amount_fixed is not None else self.price * self.qty, ad)
        tax = _round(amount * r, ad)
        return amount, tax, amount + tax


def sale_order(store: Store, rec: dict, fin_resets: bool) -> None:
    """Recompute the lines sent in this save (in their sent order) and the order's totals."""
    fin = rec.setdefault("FSaleOrderFinance", {})
    included = fin.get("FIsIncludedTax")
    included = True if included is None else bool(included)
    currency = store.by_number(CURRENCY, ref_of(fin.get("FSettleCurrId"))) or {}
    ad, pd = (int(currency[k]) if currency.get(k) is not None else default
              for k, default in (("FAMOUNTDIGITS", 2), ("FPRICEDIGITS", 6)))
    order = [k.lower() for k in rec.get("_order", [])]
    fin_after = ("fsaleorderfinance" in order and "fsaleorderentry" in order
                 and order.index("fsaleorderfinance") > order.index("fsaleorderentry")
                 and any(k.lower() == "fsettlecurrid" for k in fin.get("_order", [])))
    totals = [Decimal(0)] * 3
    for row in rec.get("FSaleOrderEntry", []):
        sent = row.pop("_sent", None)
        prev = row.pop("_prev", None)
        if sent is not None:
            line = _Line(prev or {}, included, pd)
            for key, value in sent.items():
                if key in TRIGGERS:
                    line.apply(key, value, store)
            if fin_resets and fin_after:
                line.zero_prices()
            amount, tax, total = line.amounts(ad)
            row.update(FQty=float(line.qty), FEntryTaxRate=float(line.rate), FPrice=float(line.price),
                       FTaxPrice=float(line.tax_price), FAmount=float(amount), FTaxAmount=float(tax),
                       FAllAmount=float(total))
            for key in ("FStockOutQty", "FDeliQty", "FReturnQty"):
                row.setdefault(key, 0.0)
        for i, key in enumerate(("FAmount", "FTaxAmount", "FAllAmount")):
            totals[i] += _d(row.get(key))
    fin["FBillAmount"], fin["FBillTaxAmount"], fin["FBillAllAmount"] = (float(_round(t, ad)) for t in totals)


def receive_bill(rec: dict) -> None:
    rows = rec.get("FRECEIVEBILLENTRY") or []
    forget_sent(rows)
    total = real = Decimal(0)
    for row in rows:
        if row.get("FRECAMOUNTFOR_E") is None:
            row["FRECAMOUNTFOR_E"] = row.get("FRECTOTALAMOUNTFOR")
        if row.get("FPOSTDATE") is None:
            row["FPOSTDATE"] = rec.get("FDATE") or rec.get("FDate")
        total += _round(_d(row.get("FRECTOTALAMOUNTFOR")), 2)
        real += _round(_d(row.get("FRECAMOUNTFOR_E")), 2)
    rec["FRECAMOUNTFOR"], rec["FREALRECAMOUNTFOR"] = float(total), float(real)
    rec.setdefault("FCancelStatus", "A")


def forget_sent(rows: list[dict] | None) -> None:
    for row in rows or []:
        row.pop("_sent", None)
        row.pop("_prev", None)
