"""Save/BatchSave semantics: create or update, entries by FEntryID, base-data references, required fields, numbers.

- New vs update: ``FID`` (bills) or the form's key (``FCUSTID``, ``FMATERIALID``...) > 0 updates that record
  (§5 [C 3]); entries with a known ``FEntryID`` are updated, entries without one are added, and with
  ``IsDeleteEntry`` true (the documented default, §5) entries not sent are deleted.
- A document under review (B) or audited (C) cannot be saved: MsgCode 11 [sandbox choice of text; issue 11].
- ``IsVerifyBaseDataField`` (§5, default false; issue 13): false lets a reference that does not resolve through —
  missing, forbidden, not audited, or not allocated to the document's organisation (k3cloud_basedata) — as an
  EMPTY field; an entry row whose key reference (the material) is empty is a blank row and is silently DROPPED,
  so the save succeeds with fewer rows (issue 13 "can be silently dropped"; the blank-row mechanism is a
  [sandbox choice]). A required head field left empty then fails the required check. True refuses each such
  reference with 「字段"物料编码"的值"MAT-9"在系统中不存在」, MsgCode 9 (§4: 9 = 指定字段/值不存在), the same text
  whatever the reason. Knobs (k3cloud_knobs): ``always_verify_base_data`` verifies whatever the flag says and
  ``check_base_data_state`` off makes existence enough; both DEFAULT to that first-wave behaviour until the
  product is safe against the real one.
- Required fields: 「字段"客户"是必填项」, MsgCode 11; an entry with ``min_rows`` left empty (all rows dropped or
  none sent) is refused with MsgCode 11 [sandbox choice of text]. ``ValidateFlag`` false skips both.
- Duplicate numbers: §9.7 message, MsgCode 11, unless the ``unique_numbers`` knob is off (issue 17: sites relax
  the rule), then a second document with the same FBillNo/FNumber is accepted.
- Unknown and server-owned keys are dropped silently (§5, KM); the payload's key order is kept (§5 field order).
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from core.sandbox import k3cloud_amounts as amounts
from core.sandbox.k3cloud_basedata import DEFAULT_TAX_RATES, propagate, usable
from core.sandbox.k3cloud_forms import (
    BASE,
    CURRENCY,
    CUSTOMER,
    MATERIAL,
    ORG,
    RECEIVE_BILL,
    SALE_ORDER,
    TAX_RATE,
    UNIT,
    Entity,
    FieldDef,
    FormDef,
    find_form,
)
from core.sandbox.k3cloud_store import (
    DUPLICATE,
    NOT_IN_SYSTEM,
    REQUIRED,
    RowError,
    SaveOptions,
    Store,
    ref_of,
)

_STATE_NAMES = {"B": "审核中", "C": "已审核"}


def save_model(store: Store, form: FormDef, model: object, opts: SaveOptions,
               dindex: int) -> tuple[list[RowError], dict | None]:
    """Create or update one record; returns (errors, record). Nothing changes when there are errors."""
    if not isinstance(model, dict):
        return [RowError("Model", "data 数据包中的参数 Model 的格式不正确，应为对象", dindex, 8)], None
    wanted = {k.lower() for k in opts.need_update_fields if isinstance(k, str)}
    pk_value = next((v for k, v in model.items() if k.lower() in (form.pk.lower(), "fid")
                     and (form.is_bill or k.lower() == form.pk.lower())), 0)
    try:
        pk = int(pk_value or 0)
    except (TypeError, ValueError):
        return [RowError(form.pk, f'字段"{form.pk}"的值"{pk_value}"不是有效的内码', dindex, 8)], None
    existing = store.records[form.form_id].get(pk) if pk > 0 else None
    if pk > 0 and existing is None:
        return [RowError(form.pk, f"内码为{pk}的{form.name}不存在，或者已被删除", dindex, 10)], None
    if existing is not None and existing["FDocumentStatus"] in _STATE_NAMES:
        state = _STATE_NAMES[existing["FDocumentStatus"]]
        return [RowError(None, f"{form.name}[{existing[form.number_key]}]的数据状态为{state}，不允许修改",
                         dindex, 11)], None

    def keep(key: str) -> bool:
        return existing is None or not wanted or key.lower() in wanted

    head, subs, dropped, errors = _convert_model(store, form, model, existing, wanted, keep, dindex)
    if not errors and opts.resolve_refs:
        errors = _resolve_refs(store, form, head, subs, existing, opts, dindex)
    if errors:
        return errors, None
    number = head.get(form.number_key)
    if opts.validate:
        errors = _required(form, head, subs, existing, opts, dindex)
    clash = [r for r in store.all_by_number(form.form_id, number)
             if existing is None or (r is not existing and r.get("FMASTERID", -1) != existing.get("FMASTERID"))]
    if number and clash and opts.unique_numbers:
        errors.append(RowError(form.number_key, DUPLICATE.format(number=number), dindex, 11))
    if errors:
        return errors, None
    return [], _apply(store, form, existing, head, subs, opts, list(model), dropped)


def _convert_model(store: Store, form: FormDef, model: dict, existing: dict | None, wanted: set[str],
                   keep: Callable[[str], bool], dindex: int) -> tuple[dict, dict, list[str], list[RowError]]:
    head: dict = {}
    subs: dict = {}
    dropped: list[str] = []
    errors: list[RowError] = []
    for key, value in model.items():
        if key.lower() in (form.pk.lower(), "fid"):
            continue
        if form.head_field(key) is not None:
            part, drop, errs = _convert_group(store, form.head_field, {key: value}, keep)
            head.update(part)
            dropped.extend(drop)
            errors.extend(errs)
            continue
        ent = form.sub(key)
        if ent is None or existing is not None and wanted and not (
                ent.key.lower() in wanted or any(f.key.lower() in wanted for f in ent.fields)):
            dropped.append(key)
        elif not ent.fields or (ent.many and ent is not form.entry):
            subs[ent.key] = copy.deepcopy(value)  # entry lists the sandbox stores but does not type
        elif ent.many:
            if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
                errors.append(RowError(ent.key, f'单据体"{ent.name}"的格式不正确，应为数组', dindex, 8))
                continue
            rows = []
            for row in value:
                entry_id = next((row[k] for k in row if k.lower() == "fentryid"), 0)
                part, _, errs = _convert_group(store, ent.field, row, _keep_in(ent, keep))
                part["FEntryID"], part["_order"] = entry_id, list(row)
                rows.append(part)
                errors.extend(errs)
            subs[ent.key] = rows
        else:
            if not isinstance(value, dict):
                errors.append(RowError(ent.key, f'"{ent.name}"的格式不正确，应为对象', dindex, 8))
                continue
            part, _, errs = _convert_group(store, ent.field, value, _keep_in(ent, keep))
            subs[ent.key] = {**part, "_order": list(value)}
            errors.extend(errs)
    for e in errors:
        e.dindex = dindex
    return head, subs, dropped, errors


def _keep_in(ent: Entity, keep: Callable[[str], bool]) -> Callable[[str], bool]:
    """NeedUpDateFields may name an entity's field or the entity itself."""
    return lambda key: keep(key) or keep(ent.key)


def _convert_group(store: Store, fields_of: Callable[[str], FieldDef | None], data: dict,
                   keep: Callable[[str], bool]) -> tuple[dict, list[str], list[RowError]]:
    """Convert one object's values; unknown and server-owned keys are dropped silently, as the server does."""
    out: dict = {}
    dropped: list[str] = []
    errors: list[RowError] = []
    for key, value in data.items():
        f = fields_of(key)
        if f is None or f.readonly or not keep(f.key):
            dropped.append(key)
            continue
        stored, err = store.convert(f, value)
        if err:
            errors.append(err)
        else:
            out[f.key] = stored
    return out, dropped, errors


def _doc_org(store: Store, form: FormDef, head: dict, existing: dict | None) -> str | None:
    for key in form.org_keys:
        number = ref_of(head.get(key)) or ref_of((existing or {}).get(key))
        if number is not None and usable(store, ORG, number, None)[0] is not None:
            return number
    return None


def _resolve_refs(store: Store, form: FormDef, head: dict, subs: dict, existing: dict | None, opts: SaveOptions,
                  dindex: int) -> list[RowError]:
    """Resolve every base-data reference; unresolved ones are errors (verify) or emptied/dropped (no verify)."""
    org = _doc_org(store, form, head, existing)
    errors: list[RowError] = []

    def fails(f: FieldDef, value: object) -> bool:
        number = ref_of(value)
        if f.type != BASE or number is None or f.lookup is None:
            return False
        target = find_form(f.lookup)
        rec, _why = usable(store, f.lookup, number, org if target is not None and target.allocatable else None,
                           opts.check_state)
        if rec is None and opts.verify_base_data:
            errors.append(RowError(f.key, NOT_IN_SYSTEM.format(name=f.name, value=number), dindex, 9))
        return rec is None

    def clean(fields_of: Callable[[str], FieldDef | None], values: dict) -> set[str]:
        bad = {k for k, v in values.items() if (f := fields_of(k)) is not None and fails(f, v)}
        for k in bad:
            values[k] = None
        return bad

    clean(form.head_field, head)
    for ent in form.subs:
        value = subs.get(ent.key)
        if not ent.fields or value is None:
            continue
        if not ent.many:
            clean(ent.field, value)
            continue
        kept = []
        for row in value:
            bad = clean(ent.field, row)
            if ent.key_field is None or ent.key_field not in bad:
                kept.append(row)
        subs[ent.key] = kept
    return errors


def _required(form: FormDef, head: dict, subs: dict, existing: dict | None, opts: SaveOptions,
              dindex: int) -> list[RowError]:
    errors = []
    for f in form.head:
        present = f.key in head
        if f.required and ((existing is None and head.get(f.key) in (None, "")) or
                           (present and head[f.key] in (None, ""))):
            errors.append(RowError(f.key, REQUIRED.format(name=f.name), dindex, 11))
    for ent in form.subs:
        if not ent.many or not ent.fields:
            continue
        rows = subs.get(ent.key)
        for row in rows or []:
            for f in ent.fields:
                if f.required and row.get(f.key) in (None, "") and (not row.get("FEntryID") or f.key in row):
                    errors.append(RowError(f.key, REQUIRED.format(name=f.name), dindex, 11))
        if ent.min_rows and _row_count(ent, rows, existing, opts) < ent.min_rows:
            errors.append(RowError(ent.key, f'单据体"{ent.name}"至少需要录入{ent.min_rows}行数据', dindex, 11))
    return errors


def _row_count(ent: Entity, rows: list[dict] | None, existing: dict | None, opts: SaveOptions) -> int:
    old = (existing or {}).get(ent.key) or []
    if rows is None:
        return len(old)
    known = {e["FEntryID"] for e in old}
    updated = sum(1 for r in rows if _entry_id(r) in known)
    kept = updated if opts.is_delete_entry else len(old)
    return kept + sum(1 for r in rows if _entry_id(r) not in known)


def _entry_id(row: dict) -> int:
    try:
        return int(row.get("FEntryID") or 0)
    except (TypeError, ValueError):
        return 0


def _apply(store: Store, form: FormDef, existing: dict | None, head: dict, subs: dict, opts: SaveOptions,
           order: list[str], dropped: list[str]) -> dict:
    now = store.now()
    old_number = None
    rec: dict
    if existing is None:
        rid = store.new_id()
        rec = {"_id": rid, "_order": order, "_dropped": dropped, form.number_key: None}
        date = form.head_field("FDate")
        if form.is_bill and date is not None:
            rec[date.key] = store.today()
        if form.allocatable:
            rec["FCreateOrgId"] = {"FNumber": store.default_org}
        rec.update({k: v for k, v in head.items() if v is not None or k not in rec})
        rec[form.number_key] = rec[form.number_key] or store.auto_number(form)
        rec.update({"FDocumentStatus": "A", "FCreateDate": now, "FApproveDate": None})
        if not form.is_bill:
            rec["FForbidStatus"] = "A"
        if form.allocatable:
            rec["FMASTERID"] = rid
            rec["FUseOrgId"] = rec.get("FUseOrgId") or rec["FCreateOrgId"]
    else:
        rec = existing
        old_number = rec[form.number_key]
        if not head.get(form.number_key):
            head.pop(form.number_key, None)
        store.unindex(form, rec)
        rec.update(head)
        rec["_order"], rec["_dropped"] = order, dropped
    for ent in form.subs:
        if ent.key not in subs:
            continue
        if ent is form.entry:
            rec[ent.key] = _merge_entries(store, rec.get(ent.key, []), subs[ent.key], opts.is_delete_entry)
        elif not ent.many:
            rec[ent.key] = {**(rec.get(ent.key) or {}), **subs[ent.key]}
        else:
            rec[ent.key] = subs[ent.key]
    rec["FModifyDate"] = now
    if opts.auto_submit_audit:
        rec["FDocumentStatus"], rec["FApproveDate"] = "C", now
    if form.form_id == SALE_ORDER:
        amounts.sale_order(store, rec, opts.fin_after_entry_resets_prices)
    elif form.form_id == RECEIVE_BILL:
        amounts.receive_bill(rec)
    else:
        amounts.forget_sent(rec.get(form.entry.key) if form.entry else None)
    store.insert(form, rec)
    if existing is not None:
        propagate(store, form, rec, old_number, head, subs)
    return rec


def _merge_entries(store: Store, old: list[dict], new: list[dict], delete_missing: bool) -> list[dict]:
    """Rows sent carry ``_prev`` (the row before this save, {} when new) and ``_sent`` for the amount engine."""
    updates: dict[int, dict] = {}
    added: list[dict] = []
    known = {e["FEntryID"] for e in old}
    for row in new:
        eid = _entry_id(row)
        values = {k: v for k, v in row.items() if k != "FEntryID"}
        if eid in known:
            updates[eid] = values
        else:
            added.append({"FEntryID": store.new_entry_id(), **values, "_prev": {}, "_sent": values})
    out = [{**e, **updates[e["FEntryID"]], "_prev": e, "_sent": updates[e["FEntryID"]]}
           if e["FEntryID"] in updates else e
           for e in old if e["FEntryID"] in updates or not delete_missing] + added
    for seq, e in enumerate(out, 1):
        e["FSeq"] = seq
    return out


def seed(store: Store, *, orgs: list[dict], currencies: list[dict], units: list[dict], materials: list[dict],
         customers: list[dict], tax_rates: list[dict] | None = None) -> None:
    """Existing base data, audited (C) and enabled, created in and used by the first organisation."""
    if orgs:
        store.default_org = str(orgs[0]["FNumber"])
    opts = SaveOptions(auto_submit_audit=True, validate=False, verify_base_data=True)

    def plain(form_id: str, row: dict, extra: dict | None = None) -> None:
        form = find_form(form_id)
        assert form is not None
        model = {k: v for k, v in row.items() if k not in ("FBaseUnitId", "FTaxRateId")}
        model.update(extra or {})
        errors, _ = save_model(store, form, model, opts, 0)
        if errors:
            raise ValueError(f"bad seed row for {form_id}: {[e.message for e in errors]}")

    for form_id, rows in ((ORG, orgs), (CURRENCY, currencies), (UNIT, units),
                          (TAX_RATE, DEFAULT_TAX_RATES if tax_rates is None else tax_rates)):
        for row in rows:
            plain(form_id, row)
    for row in materials:
        plain(MATERIAL, row, {"SubHeadEntity": {"FErpClsID": "1", "FBaseUnitId": row.get("FBaseUnitId"),
                                                "FTaxRateId": row.get("FTaxRateId", "SL01_SYS"), "FIsSale": True}})
    for row in customers:
        plain(CUSTOMER, row)

