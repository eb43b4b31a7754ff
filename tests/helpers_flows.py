"""Test helpers for the payments, shipments and products flows: K3Cloud materials made over the real API."""

from __future__ import annotations

from typing import Any

from core.k3cloud.client import K3CloudClient


def add_materials(k3: K3CloudClient, numbers: list[str], *, unit: str = "Pcs", org: str = "100",
                  audit: bool = True) -> None:
    """Save (and submit + audit) one BD_MATERIAL per number through the K3Cloud client, 50 per BatchSave."""
    for start in range(0, len(numbers), 50):
        part = numbers[start:start + 50]
        models = [{"FCreateOrgId": {"FNumber": org}, "FUseOrgId": {"FNumber": org}, "FNumber": n,
                   "FName": f"新物料 {n}", "FSpecification": f"规格 {n}",
                   "SubHeadEntity": {"FBaseUnitId": {"FNumber": unit}}} for n in part]
        assert k3.batch_save("BD_MATERIAL", models, idem_keys=part).ok
        if audit:
            assert k3.submit("BD_MATERIAL", numbers=part).ok
            assert k3.audit("BD_MATERIAL", numbers=part).ok


def add_unit(k3: K3CloudClient, number: str, name: str) -> None:
    model: dict[str, Any] = {"FNumber": number, "FName": name}
    assert k3.save("BD_UNIT", model, idem_key=number).ok
    assert k3.submit("BD_UNIT", numbers=[number]).ok and k3.audit("BD_UNIT", numbers=[number]).ok


def products_by_code(records: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        if r.get("life_status") != "invalid":
            out.setdefault(str(r.get("product_code")), []).append(r)
    return out
