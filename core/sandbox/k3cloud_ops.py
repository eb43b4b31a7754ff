"""The workflow operations (Submit/Audit/UnAudit/CancelAssign/Delete), View and NeedReturnData.

- Several Numbers/Ids: results and ``DIndex`` follow the documents' internal ids, not the order sent; a number
  or id that names nothing is skipped silently and ``IsSuccess`` stays true (issue 13). ``Ids`` is a comma
  string; sent as a JSON list only its first id counts (§6.2, KM issue #8).
- Audit fills ``SuccessMessages`` with 「单据编号为“X”的销售订单，审核成功！」 per document (issue 13; exact text a
  [sandbox choice]); auditing an audited document answers 「…：单据已经审核！」 with MsgCode 11 (issue 13).
- State rules (§8.7 statuses): Submit from Z/A/D to B; Audit from B to C; CancelAssign (撤销, §6.2) from B to
  A; UnAudit from C to D; Delete only of Z/A/D. UnAudit and Delete are refused while a downstream bill names
  the document (k3cloud_links; issue 11). Refusals are MsgCode 11 [sandbox choice of code and text].
"""

from __future__ import annotations

from collections.abc import Iterable

from core.sandbox.k3cloud_forms import ASSIST, BASE, FieldDef, FormDef, find_form
from core.sandbox.k3cloud_links import (
    PROGRESS,
    downstream,
    orders_named_by,
    refresh_progress,
)
from core.sandbox.k3cloud_store import RowError, Store

_OP_NAMES = {"submit": "提交", "audit": "审核", "unaudit": "反审核", "delete": "删除", "cancelassign": "撤销"}
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


def resolve_targets(store: Store, form: FormDef, refs: list[tuple[str, object]]) -> list[dict]:
    """The documents named, each once, in internal-id order; numbers and ids that name nothing are skipped."""
    found: dict[int, dict] = {}
    for kind, value in refs:
        recs = [store.by_id(form.form_id, value)] if kind == "id" else store.all_by_number(form.form_id, value)
        found.update({r["_id"]: r for r in recs if r is not None})
    return [found[i] for i in sorted(found)]


def run_operation(store: Store, form: FormDef, op: str, refs: list[tuple[str, object]],
                  refused: Iterable[str] = ()) -> tuple[list[dict], list[RowError], list[dict]]:
    """Apply ``op`` to each target: (SuccessEntitys, errors, SuccessMessages); one failure does not stop the rest.

    Results follow the documents' internal ids, not the order sent, and DIndex counts in that order; a number or
    id that names nothing is skipped without an error (issue 13). ``refused``: numbers a site rule refuses
    (the ``refuse_ops`` knob: a credit-limit check, a workflow that wants another approver).
    """
    refused = set(refused)
    ok: list[dict] = []
    errors: list[RowError] = []
    messages: list[dict] = []
    now = store.now()
    touched: set[str] = set()
    for dindex, rec in enumerate(resolve_targets(store, form, refs)):
        number = rec[form.number_key]
        refuse, code = _refusal(store, form, op, rec)
        if not refuse and number in refused:
            refuse, code = f"{form.name}“{number}”未通过信用额度检查，不允许{_OP_NAMES.get(op, op)}", 11
        if refuse:
            errors.append(RowError(None, refuse, dindex, code))
            continue
        if op == "submit":
            rec["FDocumentStatus"] = "B"
        elif op == "audit":
            rec["FDocumentStatus"], rec["FApproveDate"] = "C", now
            messages.append({"FieldName": None, "Message": f"单据编号为“{number}”的{form.name}，审核成功！",
                             "DIndex": dindex})
        elif op == "unaudit":
            rec["FDocumentStatus"], rec["FApproveDate"] = "D", None
        elif op == "cancelassign":
            rec["FDocumentStatus"] = "A"
        elif op == "delete":
            store.remove(form, rec)
        if op != "delete":
            rec["FModifyDate"] = now
        if form.form_id in PROGRESS:
            touched |= orders_named_by(rec)
        ok.append({"Id": rec["_id"], "Number": number, "DIndex": dindex})
    refresh_progress(store, touched)
    return ok, errors, messages


def _refusal(store: Store, form: FormDef, op: str, rec: dict) -> tuple[str | None, int]:
    """(message, MsgCode) when ``op`` is not allowed on ``rec`` in its state, else (None, 0)."""
    number = rec[form.number_key]
    status = rec["FDocumentStatus"]
    state = _STATUS_NAMES.get(status, status)
    who = f"{form.name}“{number}”"
    if op == "submit" and status not in ("Z", "A", "D"):
        return f"{who}的数据状态为{state}，只有暂存、创建或重新审核的数据才能提交", 11
    if op == "audit" and status == "C":
        return f"{who}：单据已经审核！", 11
    if op == "audit" and status != "B":
        return f"{who}的数据状态为{state}，只有审核中的数据才能审核", 11
    if op == "cancelassign" and status != "B":
        return f"{who}的数据状态为{state}，只有审核中的数据才能撤销", 11
    if op == "unaudit" and status != "C":
        return f"{who}的数据状态为{state}，只有已审核的数据才能反审核", 11
    if op == "delete" and status not in ("Z", "A", "D"):
        return f"{who}的数据状态为{state}，不能删除", 11
    if op in ("unaudit", "delete") and form.is_bill:
        links = downstream(store, form, rec)
        if links:
            names = "、".join(f"{find_form(fid).name}{no}" for fid, no in links)  # type: ignore[union-attr]
            verb = "反审核" if op == "unaudit" else "删除"
            return f"{who}已经生成下游单据（{names}），不允许{verb}", 11
    return None, 0


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
    form = find_form(f.lookup)
    target = store.by_number(form.form_id, number) if form is not None else None
    if form is None or target is None:
        return None
    return {"Id": target["_id"], "Number": target[form.number_key], "Name": _names(target.get("FName"))}


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
            for row, target in zip(rows, lists, strict=True):
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
