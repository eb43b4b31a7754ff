"""Base data with state: audit and forbid status, allocation to organisations, and the admin actions that change them.

- A reference is usable only when the record is audited (``FDocumentStatus`` C), not forbidden (``FForbidStatus``
  A) and, for materials and customers, allocated to the document's organisation. Anything else counts as "does
  not exist": the real server's base-data lookup filters such rows out, so its message cannot tell why (issue 13:
  "a disabled record counts as non-existent"; peers [K3][K6][O8] on audit and allocation).
- Allocation (分配, reference §6.4, peers [K6]): real K3 keeps one row per use organisation with its own internal
  id and a shared master id. The sandbox does the same: allocating MAT-1 to org 101 adds a second BD_MATERIAL row
  (``FUseOrgId`` 101, own ``FMATERIALID``, same ``FMASTERID`` and ``FNumber``), so a query by number returns one
  row per organisation. Edits saved on the creating organisation's row are copied to the allocated rows
  [sandbox choice: every field is "controlled" by the creating organisation]. Units, currencies, tax rates and
  organisations are shared by every organisation (公共资料) and are never allocated [sandbox choice].
- ``FModifyDate`` moves on every change, including forbid/enable, status changes, allocation and renames.
"""

from __future__ import annotations

import copy

from core.sandbox.k3cloud_forms import MATERIAL, ORG, FormDef, find_form
from core.sandbox.k3cloud_store import Store, ref_of

#: Seeded tax rates [sandbox choice: numbers and rates; the reference names ``FTaxRateId`` only (§8.5)].
DEFAULT_TAX_RATES = [
    {"FNumber": "SL01_SYS", "FName": "13%增值税", "FTaxRate": 13},
    {"FNumber": "SL02_SYS", "FName": "9%增值税", "FTaxRate": 9},
    {"FNumber": "SL03_SYS", "FName": "6%增值税", "FTaxRate": 6},
    {"FNumber": "SL04_SYS", "FName": "零税率", "FTaxRate": 0},
]
MISSING, FORBIDDEN, UNAUDITED, UNALLOCATED = "missing", "forbidden", "unaudited", "unallocated"


def use_org(rec: dict) -> str | None:
    return ref_of(rec.get("FUseOrgId")) or ref_of(rec.get("FCreateOrgId"))


def usable(store: Store, form_id: str, number: str, org: str | None,
           check_state: bool = True) -> tuple[dict | None, str]:
    """(the record a reference resolves to, "") or (None, why not: missing/unallocated/forbidden/unaudited)."""
    recs = store.all_by_number(form_id, number)
    if not recs:
        return None, MISSING
    if not check_state:
        return recs[0], ""
    form = find_form(form_id)
    if form is not None and form.allocatable and org is not None:
        recs = [r for r in recs if use_org(r) == org]
        if not recs:
            return None, UNALLOCATED
    rec = recs[0]
    if rec.get("FForbidStatus") == "B":
        return None, FORBIDDEN
    if rec.get("FDocumentStatus") != "C":
        return None, UNAUDITED
    return rec, ""


def rows_of(store: Store, form: FormDef, number: str, org: str | None) -> list[dict]:
    """The rows of one base record: all its organisations, or only ``org``'s; ValueError when there is none."""
    recs = store.all_by_number(form.form_id, number)
    if org is not None:
        recs = [r for r in recs if use_org(r) == str(org)]
    if not recs:
        where = f" in organisation {org}" if org is not None else ""
        raise ValueError(f"no {form.form_id} with number {number!r}{where}")
    return recs


def base_form(form_id: object) -> FormDef:
    form = find_form(form_id if form_id is not None else MATERIAL)
    if form is None or form.is_bill:
        raise ValueError(f"{form_id!r} is not a base-data form")
    return form


def set_state(store: Store, form_id: object, number: str, org: str | None, *, forbid: str | None = None,
              status: str | None = None) -> list[int]:
    """Set ``FForbidStatus`` (A/B) and/or ``FDocumentStatus`` on the record's rows; returns the row ids."""
    form = base_form(form_id)
    if status is not None and status not in ("Z", "A", "B", "C", "D"):
        raise ValueError(f"unknown FDocumentStatus {status!r}")
    now = store.now()
    out = []
    for rec in rows_of(store, form, number, org):
        if forbid is not None:
            rec["FForbidStatus"] = forbid
        if status is not None:
            rec["FDocumentStatus"] = status
            rec["FApproveDate"] = now if status == "C" else None
        rec["FModifyDate"] = now
        out.append(rec["_id"])
    return out


def allocate(store: Store, form_id: object, number: str, org: str, *, audited: bool = True) -> dict:
    """Allocate a material or customer to ``org``: a new row sharing the master's FMASTERID (idempotent)."""
    form = base_form(form_id)
    if not form.allocatable:
        raise ValueError(f"{form.form_id} is shared by every organisation and is not allocated")
    if store.by_number(ORG, org) is None:
        raise ValueError(f"no organisation {org!r}")
    master = rows_of(store, form, number, None)[0]
    existing = [r for r in store.all_by_number(form.form_id, number) if use_org(r) == str(org)]
    if existing:
        return existing[0]
    now = store.now()
    rec = copy.deepcopy(master)
    master.setdefault("FMASTERID", master["_id"])  # records from a first-wave state file have none
    rec.update({"_id": store.new_id(), "FUseOrgId": {"FNumber": str(org)}, "FMASTERID": master["FMASTERID"],
                "FDocumentStatus": "C" if audited else "A", "FForbidStatus": "A", "FCreateDate": now,
                "FModifyDate": now, "FApproveDate": now if audited else None})
    return store.insert(form, rec)


def unallocate(store: Store, form_id: object, number: str, org: str) -> int:
    """Remove the row of ``org`` (cancel allocation); the creating organisation's row cannot be removed."""
    form = base_form(form_id)
    removed = 0
    for rec in rows_of(store, form, number, org):
        if rec.get("FMASTERID", rec["_id"]) == rec["_id"]:
            raise ValueError(f"{number} was created in organisation {org}; that row cannot be unallocated")
        store.remove(form, rec)
        removed += 1
    return removed


def edit(store: Store, form_id: object, number: str, changes: dict) -> list[int]:
    """Change head or sub-header values of every row of a base record (e.g. rename a material)."""
    form = base_form(form_id)
    rows = rows_of(store, form, number, None)
    now = store.now()
    for key in changes:
        found = form.flat_field(key)
        if found is None or (found[0] is not None and found[0].many) or found[1].key == form.number_key:
            raise ValueError(f"{form.form_id} has no editable field {key!r}")
    for rec in rows:
        for key, value in changes.items():
            found = form.flat_field(key)
            assert found is not None  # checked above
            ent, f = found
            stored, err = store.convert(f, value)
            if err is not None:
                raise ValueError(err.message)
            if ent is None:
                rec[f.key] = stored
            else:
                rec.setdefault(ent.key, {})[f.key] = stored
        rec["FModifyDate"] = now
    return [r["_id"] for r in rows]


def propagate(store: Store, form: FormDef, master: dict, old_number: object, head: dict, subs: dict) -> None:
    """Copy values saved on the creating organisation's row to its allocated rows."""
    if not form.allocatable or master.get("FMASTERID") != master["_id"]:
        return
    keep = {"FUseOrgId", "FDocumentStatus", "FForbidStatus", "FApproveDate", "FCreateDate"}
    for rec in store.all_by_number(form.form_id, old_number):
        if rec is master or rec.get("FMASTERID") != master["_id"]:
            continue
        store.unindex(form, rec)
        rec.update({k: copy.deepcopy(v) for k, v in head.items() if k not in keep})
        for key, value in subs.items():
            if isinstance(value, dict):
                rec[key] = {**(rec.get(key) or {}), **copy.deepcopy(value)}
        rec["FModifyDate"] = master["FModifyDate"]
        store.index(form, rec)
