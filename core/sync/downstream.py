"""Downstream bills: which K3Cloud documents were made from ours (an out-stock, a delivery notice, a return).

A sales order with a downstream bill must not be un-audited, changed or deleted by the sync: K3Cloud refuses
UnAudit and Delete then, and a person makes a change order (变更单) instead. The links are the entry fields that
carry the source order's number: ``FSoorDerno`` (订单单号) and ``FSrcBillNo`` (源单编号) on SAL_OUTSTOCK
(reference k3cloud-webapi.md §8.4, [C 5]); ``FSrcBillNo`` and the order number ``FOrderNo`` on SAL_DELIVERYNOTICE
and SAL_RETURNSTOCK (cli-contract.md: "link to the order by the entry's source bill number FSrcBillNo / order
number"). Forms with no entry here have no downstream check (base data, e.g. customers).
"""

from __future__ import annotations

from collections.abc import Iterable

from core.k3cloud.client import K3CloudClient
from core.k3cloud.query import in_filter

#: source form -> [(downstream form, entry fields naming the source document's number)]
LINKS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "SAL_SaleOrder": [("SAL_OUTSTOCK", ("FSoorDerno", "FSrcBillNo")),
                      ("SAL_DELIVERYNOTICE", ("FSrcBillNo", "FOrderNo")),
                      ("SAL_RETURNSTOCK", ("FSrcBillNo", "FOrderNo"))],
}
CHUNK = 100


def checked(form_id: str) -> bool:
    """Whether documents of ``form_id`` can have downstream bills the sync must look for."""
    return form_id in LINKS


def find(k3: K3CloudClient, form_id: str, numbers: Iterable[str]) -> dict[str, list[str]]:
    """number -> the downstream bills naming it (``SAL_OUTSTOCK XSCKD000001``), for the numbers that have any."""
    wanted = list(dict.fromkeys(str(n) for n in numbers if n))
    found: dict[str, list[str]] = {}
    if not wanted:
        return found
    folded = {n.casefold(): n for n in wanted}
    for target, fields in LINKS.get(form_id, []):
        for start in range(0, len(wanted), CHUNK):
            part = wanted[start:start + CHUNK]
            flt = " OR ".join(f"({in_filter(f, part)})" for f in fields)
            for row in k3.query_all(target, ["FBillNo", *fields], filter=flt):
                for f in fields:
                    number = folded.get(str(row.get(f) or "").casefold())
                    bill = f"{target} {row.get('FBillNo')}"
                    if number is not None and bill not in found.setdefault(number, []):
                        found[number].append(bill)
    return {n: bills for n, bills in found.items() if bills}
