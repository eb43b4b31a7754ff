"""View, the workflow operations (Submit/Audit/UnAudit/Delete), NeedReturnData and the "ship" admin action."""

from __future__ import annotations

from core.sandbox.k3cloud_forms import (
    ASSIST, BASE, OUT_STOCK, SALE_ORDER, FieldDef, FormDef, find_form,
)
from core.sandbox.k3cloud_store import RowError, SaveOptions, Store

_STATUS_NAMES = {"Z": "暂存", "A": "创建", "B": "审核中", "C": "已审核", "D": "重新审核"}


def target_refs(data: dict) -> list[tuple[str, object]]:
    """(kind, value) pairs from ``Ids`` (comma string) or ``Numbers`` (list); Ids win when both are given.

    ``Ids`` sent as a JSON list is read like the real server reads it: only the first id counts (KM issue #8).
    """
    keys = {k.lower(): v for k, v in data.items()}
    ids = keys.get("ids")
    if isinstance(ids, list):
        ids = str(ids[0]) if ids else ""
    if isinstance(ids, (int, float)) and not isinstance(ids, bool):
        ids = str(int(ids))
    if isinstance(ids, str) and ids.strip():
        return [("id", p.strip()) for p in ids.split(",") if p.strip()]
    numbers = keys.get("numbers")
    if isinstance(numbers, str):
        numbers = [p for p in numbers.split(",") if p.strip()]
    if isinstance(numbers, list):
        return [("number", str(n).strip()) for n in numbers if str(n).strip()]
    return []


def run_operation(store: Store, form: FormDef, op: str, refs: list[tuple[str, object]]) -> tuple[list[dict], list[RowError]]:
    """Apply ``op`` (submit, audit, unaudit, delete) to each target; one row's failure does not stop the others."""
    ok: list[dict] = []
    errors: list[RowError] = []
    now = store.now()
    for dindex, (kind, value) in enumerate(refs):
        rec = store.by_id(form.form_id, value) if kind == "id" else store.by_number(form.form_id, value)
        if rec is None:
            what = "内码" if kind == "id" else "编码"
            errors.append(RowError(None, f"{what}为“{value}”的{form.name}不存在，或者已被删除", dindex, 10))
            continue
        number = rec[form.number_key]
        status = rec["FDocumentStatus"]
        state = _STATUS_NAMES.get(status, status)
        refuse = None
        if op == "submit":
            if status not in ("Z", "A", "D"):
                refuse = f"{form.name}“{number}”的数据状态为{state}，只有暂存、创建或重新审核的数据才能提交"
            else:
                rec["FDocumentStatus"] = "B"
        elif op == "audit":
            if status != "B":
                refuse = f"{form.name}“{number}”的数据状态为{state}，只有审核中的数据才能审核"
            else:
                rec["FDocumentStatus"], rec["FApproveDate"] = "C", now
        elif op == "unaudit":
            if status != "C":
                refuse = f"{form.name}“{number}”的数据状态为{state}，只有已审核的数据才能反审核"
            else:
                rec["FDocumentStatus"], rec["FApproveDate"] = "D", None
        elif op == "delete":
            if status in ("B", "C"):
                refuse = f"{form.name}“{number}”的数据状态为{state}，不能删除"
            else:
                store.remove(form, rec)
        if refuse:
            errors.append(RowError(None, refuse, dindex, 11))
            continue
        if op != "delete":
            rec["FModifyDate"] = now
        ok.append({"Id": rec["_id"], "Number": number, "DIndex": dindex})
    return ok, errors


# --- View -----------------------------------------------------------------------------------------------------

def prop_name(key: str) -> str:
    """ORM property name of a field key: without the leading F (FSaleOrderEntry -> SaleOrderEntry)."""
    return key[1:] if key[:1] == "F" else key


def _names(value: str | None) -> list[dict]:
    return [{"Key": 2052, "Value": value}] if value is not None else []


def _view_ref(store: Store, f: FieldDef, value: object) -> object:
    number = value.get("FNumber") if isinstance(value, dict) else None
    if number is None:
        return None
    if f.type == ASSIST:
        return {"Id": 0, "Number": number}
    target = store.by_number(f.lookup, number)
    if target is None:
        return None
    return {"Id": target["_id"], "Number": target[find_form(f.lookup).number_key], "Name": _names(target.get("FName"))}


def _view_fields(store: Store, fields: list[FieldDef], data: dict, multilang_name: bool) -> dict:
    out: dict = {}
    for f in fields:
        value = data.get(f.key)
        if f.type in (BASE, ASSIST):
            value = _view_ref(store, f, value)
        elif f.key == "FName" and multilang_name:
            value = _names(value)
        out[prop_name(f.key)] = value
    return out


def view_record(store: Store, form: FormDef, rec: dict) -> dict:
    """The ``Result.Result`` object of View: ORM property names (key without the leading F), refs as objects.

    The reference leaves the View key casing open (§10.13); real servers answer property names, so we do too.
    """
    out = {"Id": rec["_id"]}
    out.update(_view_fields(store, form.head, rec, not form.is_bill))
    for ent in form.subs:
        value = rec.get(ent.key)
        prop = prop_name(ent.key)
        if not ent.fields:
            out[prop] = value or []
        elif ent.many:
            out[prop] = [{"Id": e["FEntryID"], "Seq": e.get("FSeq"), **_view_fields(store, ent.fields, e, False)}
                         for e in value or []]
        else:
            out[prop] = [{"Id": rec["_id"], **_view_fields(store, ent.fields, value or {}, False)}]
    return out


def find_for_view(store: Store, form: FormDef, data: dict) -> dict | None:
    keys = {k.lower(): v for k, v in data.items()}
    rid, number = keys.get("id"), keys.get("number")
    if rid not in (None, "", 0, "0"):
        return store.by_id(form.form_id, rid)
    if number not in (None, ""):
        return store.by_number(form.form_id, number)
    return None


# --- NeedReturnData --------------------------------------------------------------------------------------------

def need_return_data(form: FormDef, rec: dict, keys: list[str]) -> dict:
    """Echo the requested fields of a saved record: ``"FKey"`` or ``"Entity.FKey"`` (a list per entry)."""
    out: dict = {}
    for key in keys:
        if not isinstance(key, str) or not key.strip():
            continue
        key = key.strip()
        head, _, attr = key.partition(".")
        ent = form.sub(head) if attr else None
        if ent is not None and ent.many:
            rows = rec.get(ent.key) or []
            lists = out.setdefault(ent.key, [{} for _ in rows])
            for row, target in zip(rows, lists):
                target[attr] = _echo(row, attr, "FEntryID")
            continue
        if key.lower() in (form.pk.lower(), "fid"):
            out[key] = rec["_id"]
            continue
        found = form.flat_field(key)
        if found is None:
            continue
        ent, f = found
        if ent is None:
            out[f.key] = rec.get(f.key)
        elif not ent.many:
            out[f.key] = (rec.get(ent.key) or {}).get(f.key)
    return out


def _echo(row: dict, attr: str, id_key: str) -> object:
    if attr.lower() == id_key.lower():
        return row.get(id_key)
    return next((v for k, v in row.items() if k.lower() == attr.lower()), None)


# --- ship (admin) ---------------------------------------------------------------------------------------------

def ship(store: Store, bill_nos: list[str] | None, count: int | None) -> dict:
    """Create an audited SAL_OUTSTOCK for each chosen sales order; entries point back with FSoorDerno/FSrcBillNo."""
    out_form = find_form(OUT_STOCK)
    shipped = {e.get("FSoorDerno") for r in store.records[OUT_STOCK].values() for e in r.get("FEntity", [])}
    if bill_nos is not None:
        chosen = [store.by_number(SALE_ORDER, no) for no in bill_nos]
        missing = [no for no, rec in zip(bill_nos, chosen) if rec is None]
        chosen = [rec for rec in chosen if rec is not None]
    else:
        pending = sorted((r for r in store.records[SALE_ORDER].values() if r["FBillNo"] not in shipped),
                         key=lambda r: r["_id"])
        chosen, missing = pending[: max(0, int(count or 0))], []
    created = []
    for order in chosen:
        fin = order.get("FSaleOrderFinance") or {}
        entries = [{
            "FMaterialID": e.get("FMaterialId"), "FUnitID": e.get("FUnitID"), "FRealQty": e.get("FQty"),
            "FPrice": e.get("FPrice"), "FTaxPrice": e.get("FTaxPrice"), "FEntryTaxRate": e.get("FEntryTaxRate"),
            "FSoorDerno": order["FBillNo"], "FSrcBillNo": order["FBillNo"], "FSrcType": SALE_ORDER,
            "FSOEntryId": e.get("FEntryID"),
        } for e in order.get("FSaleOrderEntry", [])]
        model = {
            "FBillTypeID": {"FNumber": "XSCKD01_SYS"}, "FDate": store.now(),
            "FSaleOrgId": order.get("FSaleOrgId"), "FCustomerID": order.get("FCustId"),
            "FStockOrgId": order.get("FSaleOrgId"),
            "SubHeadEntity": {"FSettleCurrID": fin.get("FSettleCurrId"), "FSettleOrgID": order.get("FSaleOrgId")},
            "FEntity": entries,
        }
        errors, rec = store.save_model(out_form, model, SaveOptions(auto_submit_audit=True, validate=False), 0)
        if errors:
            raise ValueError(f"cannot ship {order['FBillNo']}: {[e.message for e in errors]}")
        for e in order.get("FSaleOrderEntry", []):
            e["FStockOutQty"] = e.get("FQty") or 0.0
        created.append(rec["FBillNo"])
    return {"bill_nos": created, "orders": [o["FBillNo"] for o in chosen], "missing": missing}
