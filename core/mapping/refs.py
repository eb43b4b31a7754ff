"""Base-data references a payload makes (``{"FNumber": x}`` under a known key), for the pre-flight check."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

#: Payload key (case-insensitive) -> (kind, K3Cloud form id of the base data it references). Extend with
#: ``register_ref``; keys not listed (FCOUNTRY, FBillTypeID ...) are not checked before saving.
REF_KINDS: dict[str, tuple[str, str]] = {}


def register_ref(key: str, kind: str, form_id: str) -> None:
    """Teach the pre-flight that payload key ``key`` references base data ``form_id`` by number."""
    REF_KINDS[key.lower()] = (kind, form_id)


for _key in ("FCustId", "FCustomerID", "FCONTACTUNIT", "FPAYUNIT"):  # receipts: contact/pay unit of type customer
    register_ref(_key, "customer", "BD_Customer")
for _key in ("FMaterialId",):
    register_ref(_key, "material", "BD_MATERIAL")
for _key in ("FUnitID", "FPriceUnitId", "FBaseUnitId"):
    register_ref(_key, "unit", "BD_UNIT")
for _key in ("FSaleOrgId", "FCreateOrgId", "FUseOrgId", "FStockOrgId", "FSettleOrgIds", "FSettleOrgId",
             "FSupplyOrgId", "FDeliveryOrgID", "FPAYORGID"):
    register_ref(_key, "org", "ORG_Organizations")
for _key in ("FSettleCurrId", "FTRADINGCURRID", "FLocalCurrId", "FCURRENCYID", "FSETTLECUR"):
    register_ref(_key, "currency", "BD_Currency")


@dataclass(frozen=True)
class BaseRef:
    """One base-data number a payload references, e.g. material ``MAT001`` at ``FSaleOrderEntry[0].FMaterialId``."""

    kind: str
    form_id: str
    number: str
    path: str


def _number_of(ref: dict) -> Any:
    for key, value in ref.items():
        if key.lower() == "fnumber":
            return value
    return None


def _walk(obj: Any, path: str) -> Iterator[BaseRef]:
    if isinstance(obj, dict):
        for key, value in obj.items():
            sub = f"{path}.{key}" if path else key
            known = REF_KINDS.get(key.lower())
            if known and isinstance(value, dict):
                number = _number_of(value)
                if number is not None and str(number).strip():
                    yield BaseRef(known[0], known[1], str(number), sub)
                    continue
            yield from _walk(value, sub)
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from _walk(item, f"{path}[{i}]")


def find_refs(model: dict) -> list[BaseRef]:
    """Every known base-data reference of ``model``, in payload order (entry rows indexed from 0)."""
    return list(_walk(model, ""))
