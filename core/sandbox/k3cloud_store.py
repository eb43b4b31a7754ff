"""Records of the simulated K3Cloud forms and the Save/BatchSave semantics (create, partial update, entries)."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable

from core.sandbox.k3cloud_forms import (
    ASSIST, BASE, BOOL, COMBO, CUSTOMER, CURRENCY, DATE, DATETIME, DECIMAL, FORMS, INT, MATERIAL, ORG, RAW,
    SALE_ORDER, TEXT, UNIT, FieldDef, FormDef, find_form,
)

CHINA = timezone(timedelta(hours=8))
DUPLICATE = "违反字段唯一性要求：编码唯一。[{number}]在当前系统中已经被使用。"
NOT_IN_SYSTEM = '字段"{name}"的值"{value}"在系统中不存在'
REQUIRED = '字段"{name}"是必填项'


@dataclass
class RowError:
    """One ``Errors[]`` item plus the MsgCode it implies."""

    field: str | None
    message: str
    dindex: int = 0
    msg_code: int = 11

    def as_json(self) -> dict:
        return {"FieldName": self.field, "Message": self.message, "DIndex": self.dindex}


@dataclass
class SaveOptions:
    need_update_fields: list[str] = field(default_factory=list)
    need_return_fields: list[str] = field(default_factory=list)
    is_delete_entry: bool = True
    validate: bool = True                 # ValidateFlag
    auto_submit_audit: bool = False       # IsAutoSubmitAndAudit


def as_bool(value: object, default: bool) -> bool:
    """Booleans arrive as JSON booleans or as the strings "true"/"false" (official samples)."""
    if value is None or value == "":
        return default
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def norm_datetime(value: object) -> str | None:
    """A K3 date/datetime as ``YYYY-MM-DDTHH:MM:SS``; None when it cannot be read."""
    if not isinstance(value, str):
        return None
    s = value.strip().replace("/", "-")
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?", s)
    if not m:
        return None
    y, mo, d, h, mi, sec = (int(g) if g else 0 for g in m.groups())
    try:
        return datetime(y, mo, d, h, mi, sec).strftime("%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return None


def ref_number(value: object) -> tuple[bool, str | None]:
    """(well-formed, number) of a base-data reference: ``{"FNumber": x}`` (any key case) or a bare value."""
    if value is None:
        return True, None
    if isinstance(value, dict):
        for k, v in value.items():
            if k.lower() == "fnumber":
                return True, (None if v in (None, "") else str(v))
        return False, None
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return True, (str(value) if value != "" else None)
    return False, None


class Store:
    """All records, keyed by form; the caller (``K3CloudApp``) holds the lock."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.records: dict[str, dict[int, dict]] = {f.form_id: {} for f in FORMS.values()}
        self.numbers: dict[str, dict[str, int]] = {f.form_id: {} for f in FORMS.values()}
        self.next_id = 100001
        self.next_entry_id = 100001
        self.seq: dict[str, int] = {f.form_id: 0 for f in FORMS.values()}

    # --- time, ids, lookups ---------------------------------------------------------------------------------

    def now(self) -> str:
        return datetime.fromtimestamp(self.clock(), CHINA).strftime("%Y-%m-%dT%H:%M:%S")

    def today(self) -> str:
        return self.now()[:10] + "T00:00:00"

    def by_number(self, form_id: str, number: object) -> dict | None:
        if number is None:
            return None
        rid = self.numbers[form_id].get(str(number).casefold())
        return self.records[form_id].get(rid) if rid is not None else None

    def by_id(self, form_id: str, rid: object) -> dict | None:
        try:
            return self.records[form_id].get(int(str(rid).strip()))
        except ValueError:
            return None

    def _new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def _new_entry_id(self) -> int:
        self.next_entry_id += 1
        return self.next_entry_id - 1

    def _auto_number(self, form: FormDef) -> str:
        while True:
            self.seq[form.form_id] += 1
            number = f"{form.bill_prefix}{self.seq[form.form_id]:06d}"
            if self.by_number(form.form_id, number) is None:
                return number

    def insert(self, form: FormDef, rec: dict) -> dict:
        self.records[form.form_id][rec["_id"]] = rec
        self.numbers[form.form_id][str(rec[form.number_key]).casefold()] = rec["_id"]
        return rec

    def remove(self, form: FormDef, rec: dict) -> None:
        del self.records[form.form_id][rec["_id"]]
        self.numbers[form.form_id].pop(str(rec[form.number_key]).casefold(), None)

    # --- seed data and state --------------------------------------------------------------------------------

    def seed(self, *, orgs: list[dict], currencies: list[dict], units: list[dict], materials: list[dict],
             customers: list[dict]) -> None:
        """Existing base data, already audited (status C), as the constructor of ``K3CloudApp`` takes it."""
        def plain(form_id: str, row: dict, extra: dict | None = None) -> None:
            form = FORMS[form_id.lower()]
            model = {k: v for k, v in row.items() if k != "FBaseUnitId"}
            model.update(extra or {})
            errors, rec = self.save_model(form, model, SaveOptions(auto_submit_audit=True, validate=False), 0)
            if errors:
                raise ValueError(f"bad seed row for {form_id}: {[e.message for e in errors]}")

        for row in orgs:
            plain(ORG, row)
        for row in currencies:
            plain(CURRENCY, row)
        for row in units:
            plain(UNIT, row)
        for row in materials:
            unit = row.get("FBaseUnitId")
            plain(MATERIAL, row, {"SubHeadEntity": {"FErpClsID": "1", "FBaseUnitId": unit, "FIsSale": True}})
        for row in customers:
            plain(CUSTOMER, row)

    def snapshot(self) -> dict:
        return {"records": {fid: list(recs.values()) for fid, recs in self.records.items()},
                "next_id": self.next_id, "next_entry_id": self.next_entry_id, "seq": dict(self.seq)}

    def restore(self, state: dict) -> None:
        self.__init__(self.clock)
        for fid, recs in state["records"].items():
            form = find_form(fid)
            for rec in recs:
                self.insert(form, copy.deepcopy(rec))
        self.next_id, self.next_entry_id = int(state["next_id"]), int(state["next_entry_id"])
        self.seq.update({k: int(v) for k, v in state["seq"].items()})

    # --- value conversion -----------------------------------------------------------------------------------

    def convert(self, f: FieldDef, value: object) -> tuple[object, RowError | None]:
        """The stored form of a payload value, or the field error the server would answer."""
        bad = RowError(f.key, f'字段"{f.name}"的值"{value}"格式不正确', msg_code=8)
        if f.type in (BASE, ASSIST):
            ok, number = ref_number(value)
            if not ok:
                if f.type == ASSIST and isinstance(value, dict):
                    return dict(value), None  # {"FStaffNumber": ...}, {"FUserID": ...}: other reference keys
                return None, RowError(f.key, NOT_IN_SYSTEM.format(name=f.name, value=value), msg_code=9)
            if number is None:
                return None, None
            if f.type == BASE and self.by_number(f.lookup, number) is None:
                return None, RowError(f.key, NOT_IN_SYSTEM.format(name=f.name, value=number), msg_code=9)
            return {"FNumber": number}, None
        if value is None or f.type == RAW:
            return value, None
        if f.type in (TEXT, COMBO):
            if isinstance(value, (dict, list)):
                return None, bad
            return ("true" if value else "false") if isinstance(value, bool) else str(value), None
        if f.type == BOOL:
            if isinstance(value, (bool, int)) or (isinstance(value, str) and value.lower() in ("true", "false", "1", "0")):
                return as_bool(value, False), None
            return None, bad
        if f.type in (INT, DECIMAL):
            try:
                if isinstance(value, bool) or isinstance(value, (dict, list)):
                    raise ValueError
                num = float(str(value).strip()) if value != "" else 0.0
            except ValueError:
                return None, bad
            if f.type == INT:
                return (int(num), None) if num == int(num) else (None, bad)
            return num, None
        if f.type in (DATE, DATETIME):
            if value == "":
                return None, None
            norm = norm_datetime(value)
            return (norm, None) if norm else (None, bad)
        return value, None

    def _convert_group(self, fields_of: Callable[[str], FieldDef | None], data: dict,
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
            stored, err = self.convert(f, value)
            if err:
                errors.append(err)
            else:
                out[f.key] = stored
        return out, dropped, errors

    # --- Save -------------------------------------------------------------------------------------------------

    def save_model(self, form: FormDef, model: object, opts: SaveOptions,
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
        existing = self.records[form.form_id].get(pk) if pk > 0 else None
        if pk > 0 and existing is None:
            return [RowError(form.pk, f"内码为{pk}的{form.name}不存在，或者已被删除", dindex, 10)], None
        if existing is not None and existing["FDocumentStatus"] in ("B", "C"):
            state = "审核中" if existing["FDocumentStatus"] == "B" else "已审核"
            return [RowError(None, f"{form.name}[{existing[form.number_key]}]的数据状态为{state}，不允许修改",
                             dindex, 11)], None

        def keep(key: str) -> bool:
            return existing is None or not wanted or key.lower() in wanted

        head: dict = {}
        subs: dict = {}
        dropped: list[str] = []
        errors: list[RowError] = []
        for key, value in model.items():
            low = key.lower()
            if low in (form.pk.lower(), "fid"):
                continue
            if form.head_field(key) is not None:
                part, drop, errs = self._convert_group(form.head_field, {key: value}, keep)
                head.update(part)
                dropped.extend(drop)
                errors.extend(errs)
                continue
            ent = form.sub(key)
            if ent is None:
                dropped.append(key)
            elif existing is not None and wanted and not (
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
                    part, _, errs = self._convert_group(ent.field, row, lambda k, e=ent: keep(k) or keep(e.key))
                    part["FEntryID"], part["_order"] = entry_id, list(row)
                    rows.append(part)
                    errors.extend(errs)
                subs[ent.key] = rows
            else:
                if not isinstance(value, dict):
                    errors.append(RowError(ent.key, f'"{ent.name}"的格式不正确，应为对象', dindex, 8))
                    continue
                part, _, errs = self._convert_group(ent.field, value, lambda k, e=ent: keep(k) or keep(e.key))
                subs[ent.key] = {**part, "_order": list(value)}
                errors.extend(errs)
        for e in errors:
            e.dindex = dindex
        if errors:
            return errors, None
        number = head.get(form.number_key)
        if opts.validate:
            errors = self._required(form, head, subs, existing, dindex)
        clash = self.by_number(form.form_id, number) if number else None
        if clash is not None and clash is not existing:
            errors.append(RowError(form.number_key, DUPLICATE.format(number=number), dindex, 11))
        if errors:
            return errors, None
        rec = self._apply(form, existing, head, subs, opts, list(model), dropped)
        return [], rec

    def _required(self, form: FormDef, head: dict, subs: dict, existing: dict | None,
                  dindex: int) -> list[RowError]:
        errors = []
        for f in form.head:
            present = f.key in head
            if f.required and ((existing is None and head.get(f.key) in (None, "")) or (present and head[f.key] in (None, ""))):
                errors.append(RowError(f.key, REQUIRED.format(name=f.name), dindex, 11))
        ent = form.entry
        for row in subs.get(ent.key, []) if ent else []:
            for f in ent.fields:
                if f.required and row.get(f.key) in (None, "") and not row.get("FEntryID"):
                    errors.append(RowError(f.key, REQUIRED.format(name=f.name), dindex, 11))
        return errors

    def _apply(self, form: FormDef, existing: dict | None, head: dict, subs: dict, opts: SaveOptions,
               order: list[str], dropped: list[str]) -> dict:
        now = self.now()
        if existing is None:
            rec = {"_id": self._new_id(), "_order": order, "_dropped": dropped, form.number_key: None}
            if form.is_bill:
                rec["FDate"] = self.today()
            rec.update(head)
            rec[form.number_key] = rec[form.number_key] or self._auto_number(form)
            rec.update({"FDocumentStatus": "A", "FCreateDate": now, "FApproveDate": None})
            if not form.is_bill:
                rec["FForbidStatus"] = "A"
        else:
            rec = existing
            if not head.get(form.number_key):
                head.pop(form.number_key, None)
            self.numbers[form.form_id].pop(str(rec[form.number_key]).casefold(), None)
            rec.update(head)
            rec["_order"], rec["_dropped"] = order, dropped
        for ent in form.subs:
            if ent.key not in subs:
                continue
            if ent is form.entry:
                rec[ent.key] = self._merge_entries(rec.get(ent.key, []), subs[ent.key], opts.is_delete_entry)
            elif not ent.many:
                rec[ent.key] = {**(rec.get(ent.key) or {}), **subs[ent.key]}
            else:
                rec[ent.key] = subs[ent.key]
        rec["FModifyDate"] = now
        if opts.auto_submit_audit:
            rec["FDocumentStatus"], rec["FApproveDate"] = "C", now
        if form.form_id == SALE_ORDER:
            _sale_order_amounts(rec)
        return self.insert(form, rec)

    def _merge_entries(self, old: list[dict], new: list[dict], delete_missing: bool) -> list[dict]:
        updates: dict[int, dict] = {}
        added: list[dict] = []
        known = {e["FEntryID"] for e in old}
        for row in new:
            try:
                eid = int(row.get("FEntryID") or 0)
            except (TypeError, ValueError):
                eid = 0
            values = {k: v for k, v in row.items() if k != "FEntryID"}
            if eid in known:
                updates[eid] = values
            else:
                added.append({"FEntryID": self._new_entry_id(), **values})
        out = [{**e, **updates[e["FEntryID"]]} if e["FEntryID"] in updates else e
               for e in old if e["FEntryID"] in updates or not delete_missing] + added
        for seq, e in enumerate(out, 1):
            e["FSeq"] = seq
        return out


def _sale_order_amounts(rec: dict) -> None:
    total = total_tax = 0.0
    for e in rec.get("FSaleOrderEntry", []):
        qty = e.get("FQty") or 0.0
        rate = (e.get("FEntryTaxRate") or 0.0) / 100
        tax_price = e.get("FTaxPrice")
        price = e.get("FPrice")
        if tax_price is None and price is not None:
            tax_price = price * (1 + rate)
        if price is None and tax_price is not None:
            price = tax_price / (1 + rate)
        e["FAmount"] = round(qty * (price or 0.0), 2)
        e["FAllAmount"] = round(qty * (tax_price or 0.0), 2)
        e.setdefault("FStockOutQty", 0.0)
        total += e["FAmount"]
        total_tax += e["FAllAmount"]
    fin = rec.setdefault("FSaleOrderFinance", {})
    fin["FBillAmount"], fin["FBillAllAmount"] = round(total, 2), round(total_tax, 2)

