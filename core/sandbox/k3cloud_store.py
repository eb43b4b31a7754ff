"""Records of the simulated K3Cloud forms: storage, number index, ids, value conversion and state snapshots.

A number may name several records of one form: an allocated base record has one row per use organisation
(sharing ``FMASTERID``), and with the ``unique_numbers`` knob off two bills may share a FBillNo. The index keeps
every id per number, lowest (oldest) first.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from core.sandbox.k3cloud_forms import (
    ASSIST,
    BASE,
    BOOL,
    COMBO,
    DATE,
    DATETIME,
    DECIMAL,
    FORMS,
    INT,
    RAW,
    TEXT,
    FieldDef,
    FormDef,
    find_form,
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
    verify_base_data: bool = False        # IsVerifyBaseDataField (documented default false, §5)
    check_state: bool = True              # knob: a reference must be audited, enabled and allocated
    unique_numbers: bool = True           # knob: the site enforces unique FBillNo/FNumber
    fin_after_entry_resets_prices: bool = True  # knob: §5 KM note on the FIN sub-header's position
    resolve_refs: bool = True             # False: admin tools (ship) store references as given


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


def ref_of(value: object) -> str | None:
    """The number a stored reference ``{"FNumber": x}`` holds."""
    if isinstance(value, dict):
        return next((str(v) for k, v in value.items() if k.lower() == "fnumber" and v is not None), None)
    return None


class Store:
    """All records, keyed by form; the caller (``K3CloudApp``) holds the lock."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.default_org = "100"  # the organisation new base data is created in when the payload names none
        self._reset()

    def _reset(self) -> None:
        self.records: dict[str, dict[int, dict]] = {f.form_id: {} for f in FORMS.values()}
        self.numbers: dict[str, dict[str, list[int]]] = {f.form_id: {} for f in FORMS.values()}
        self.next_id = 100001
        self.next_entry_id = 100001
        self.seq: dict[str, int] = {f.form_id: 0 for f in FORMS.values()}

    # --- time, ids, lookups ---------------------------------------------------------------------------------

    def now(self) -> str:
        return datetime.fromtimestamp(self.clock(), CHINA).strftime("%Y-%m-%dT%H:%M:%S")

    def today(self) -> str:
        return self.now()[:10] + "T00:00:00"

    def all_by_number(self, form_id: str, number: object) -> list[dict]:
        """Every record carrying ``number`` (case-insensitive), oldest first."""
        if number is None:
            return []
        recs = self.records[form_id]
        return [recs[i] for i in self.numbers[form_id].get(str(number).casefold(), ())]

    def by_number(self, form_id: str, number: object) -> dict | None:
        """The oldest record carrying ``number``: for base data the row of its creating organisation."""
        found = self.all_by_number(form_id, number)
        return found[0] if found else None

    def by_id(self, form_id: str, rid: object) -> dict | None:
        try:
            return self.records[form_id].get(int(str(rid).strip()))
        except ValueError:
            return None

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def new_entry_id(self) -> int:
        self.next_entry_id += 1
        return self.next_entry_id - 1

    def auto_number(self, form: FormDef) -> str:
        while True:
            self.seq[form.form_id] += 1
            number = f"{form.bill_prefix}{self.seq[form.form_id]:06d}"
            if self.by_number(form.form_id, number) is None:
                return number

    def insert(self, form: FormDef, rec: dict) -> dict:
        self.records[form.form_id][rec["_id"]] = rec
        self.index(form, rec)
        return rec

    def index(self, form: FormDef, rec: dict) -> None:
        ids = self.numbers[form.form_id].setdefault(str(rec[form.number_key]).casefold(), [])
        if rec["_id"] not in ids:
            ids.append(rec["_id"])
            ids.sort()

    def unindex(self, form: FormDef, rec: dict) -> None:
        key = str(rec[form.number_key]).casefold()
        ids = self.numbers[form.form_id].get(key, [])
        if rec["_id"] in ids:
            ids.remove(rec["_id"])
        if not ids:
            self.numbers[form.form_id].pop(key, None)

    def remove(self, form: FormDef, rec: dict) -> None:
        del self.records[form.form_id][rec["_id"]]
        self.unindex(form, rec)

    # --- state ----------------------------------------------------------------------------------------------

    def snapshot(self) -> dict:
        return {"records": {fid: list(recs.values()) for fid, recs in self.records.items()},
                "next_id": self.next_id, "next_entry_id": self.next_entry_id, "seq": dict(self.seq)}

    def restore(self, state: dict) -> None:
        self._reset()
        for fid, recs in state["records"].items():
            form = find_form(fid)
            if form is None:
                continue
            for rec in recs:
                self.insert(form, copy.deepcopy(rec))
        self.next_id, self.next_entry_id = int(state["next_id"]), int(state["next_entry_id"])
        self.seq.update({k: int(v) for k, v in state["seq"].items()})

    # --- value conversion -----------------------------------------------------------------------------------

    def convert(self, f: FieldDef, value: object) -> tuple[object, RowError | None]:
        """The stored form of a payload value, or the field error the server would answer.

        References are stored as ``{"FNumber": x}`` without looking them up: whether they resolve is decided
        later, with the document's organisation and ``IsVerifyBaseDataField`` (k3cloud_save).
        """
        bad = RowError(f.key, f'字段"{f.name}"的值"{value}"格式不正确', msg_code=8)
        if f.type in (BASE, ASSIST):
            ok, number = ref_number(value)
            if not ok:
                if f.type == ASSIST and isinstance(value, dict):
                    return dict(value), None  # {"FStaffNumber": ...}, {"FUserID": ...}: other reference keys
                return None, RowError(f.key, NOT_IN_SYSTEM.format(name=f.name, value=value), msg_code=9)
            return ({"FNumber": number} if number is not None else None), None
        if value is None or f.type == RAW:
            return value, None
        if f.type in (TEXT, COMBO):
            if isinstance(value, (dict, list)):
                return None, bad
            return ("true" if value else "false") if isinstance(value, bool) else str(value), None
        if f.type == BOOL:
            if isinstance(value, (bool, int)) or (isinstance(value, str)
                                                  and value.lower() in ("true", "false", "1", "0")):
                return as_bool(value, False), None
            return None, bad
        if f.type in (INT, DECIMAL):
            if isinstance(value, (bool, dict, list)):
                return None, bad
            try:
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
