"""Payments (Fxiaoke 回款 PaymentObj -> K3Cloud 收款单 AR_RECEIVEBILL) on the generic engine: the payment's order.

A payment runs the same path as an order (select -> map -> customers first -> pre-flight -> journal -> write ->
confirm -> stages -> link); this module adds the one thing a receipt needs besides its customer: a payment that
names an order may only go once that order is in K3Cloud, since the receipt's entry names it (``FRECEIVEITEMTYPE``
"1" = sales-order receipt, ``FRECEIVEITEM``/``FSALEORDERNO`` = the order's FBillNo: reference §8.6 keys plus
G:15452046600, which sends FRECEIVEITEMTYPE "1" with FRECEIVEITEM = the order's FBillNo, and a public Java model
(index 31002048539) whose comment reads "1.销售订单收款"). Otherwise the payment is ``held`` with code
``order_not_synced`` naming the order, and incremental runs try it again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.k3cloud.client import K3CloudClient
from core.mapping import Mapping
from core.sync import messages, reads
from core.sync.plan import Prefetch, Work, lookup_source

#: Fxiaoke objects whose K3Cloud documents another record's payload may name, and the flow that writes them.
DOCUMENT_FLOWS = {"SalesOrderObj": "orders"}


def _first(value: Any) -> str | None:
    value = value[0] if isinstance(value, list) and value else value
    return value if isinstance(value, str) and value else None


def _number_field(mapping: Mapping, api: str) -> str | None:
    """The referenced record's field the mapping falls back to for its K3Cloud number (e.g. the order's name)."""
    for rule in mapping.rules:
        if rule.transform == "lookup" and rule.args.get("object") == api and rule.args.get("field"):
            return str(rule.args["field"])
    return None


def hold_unsynced_documents(k3: K3CloudClient, works: list[Work], pre: Prefetch, mapping: Mapping,
                            mapping_for: Callable[[str], Mapping]) -> int:
    """Holds every mapped work that names a document (an order) K3Cloud does not have; returns how many."""
    held = 0
    for api, flow in DOCUMENT_FLOWS.items():
        source = lookup_source(mapping, api)
        if source is None:
            continue
        field = _number_field(mapping, api)
        wanted: dict[str, tuple[str, str]] = {}  # work source id -> (referenced record's name, K3 number)
        for w in works:
            ref = _first(w.record.get(source)) if w.error is None else None
            if ref is None:
                continue
            record = pre.lookups.record(api, ref) or {}
            number = pre.lookups.k3_number(api, ref) or (record.get(field) if field else None)
            if number:
                wanted[w.source_id] = (str(record.get("name") or ref), str(number))
        if not wanted:
            continue
        doc = mapping_for(flow)
        found = reads.numbers(k3, doc.form_id, doc.key_field, [n for _, n in wanted.values()])
        for w in works:
            if w.source_id in wanted and wanted[w.source_id][1] not in found:
                name, number = wanted[w.source_id]
                w.error = messages.order_not_synced(w.record, name, number)
                held += 1
    return held
