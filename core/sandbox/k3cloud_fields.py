"""Metadata types of the simulated K3Cloud forms: field types, fields, entities, forms and their constructors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Field types. "base" fields reference a simulated form (resolved, state-checked); "assist" fields reference base
# data the sandbox does not simulate (bill types, staff, settlement types...): stored as {"FNumber": x}, never checked.
TEXT, INT, DECIMAL, DATE, DATETIME, BOOL, COMBO, BASE, ASSIST, RAW = (
    "text", "int", "decimal", "date", "datetime", "bool", "combo", "base", "assist", "raw")

# QueryBusinessInfo FieldType-like names (the real server answers .NET type names).
FIELD_TYPE_NAMES = {
    TEXT: "TextField", INT: "IntegerField", DECIMAL: "DecimalField", DATE: "DateField",
    DATETIME: "DateTimeField", BOOL: "CheckBoxField", COMBO: "ComboField", BASE: "BaseDataField",
    ASSIST: "BaseDataField", RAW: "EntryEntity",
}

CUSTOMER, MATERIAL, UNIT, ORG, CURRENCY, TAX_RATE = (
    "BD_Customer", "BD_MATERIAL", "BD_UNIT", "ORG_Organizations", "BD_Currency", "BD_TaxRate")
SALE_ORDER, DELIVERY_NOTICE, OUT_STOCK, RETURN_STOCK, RECEIVE_BILL = (
    "SAL_SaleOrder", "SAL_DELIVERYNOTICE", "SAL_OUTSTOCK", "SAL_RETURNSTOCK", "AR_RECEIVEBILL")


@dataclass(frozen=True)
class FieldDef:
    key: str
    name: str
    type: str = TEXT
    lookup: str | None = None          # simulated form id for BASE fields
    required: bool = False
    readonly: bool = False             # set by the server (status, dates, computed amounts)


@dataclass
class Entity:
    """A sub-header object (``many=False``) or an entry list (``many=True``)."""

    key: str
    name: str
    fields: list[FieldDef]
    many: bool = False
    key_field: str | None = None       # an entry row whose key reference does not resolve is an empty row: dropped
    min_rows: int = 0                  # a document needs at least this many rows of this entry

    def field(self, key: str) -> FieldDef | None:
        return _ci_get(self._index, key)

    def __post_init__(self) -> None:
        self._index = {f.key.lower(): f for f in self.fields}


@dataclass
class FormDef:
    form_id: str
    name: str
    pk: str                       # FID for bills, FCUSTID/FMATERIALID/... for base data
    number_key: str               # FNumber or FBillNo
    head: list[FieldDef]
    subs: list[Entity] = field(default_factory=list)      # sub-header objects and entry lists
    bill_prefix: str = ""         # auto numbering: "XSDD" -> XSDD000001; base data -> "<prefix>000001"
    has_fid_column: bool = True   # BD_Currency has none (「列名 'FID' 无效」)
    allocatable: bool = False     # base data kept as one row per use organisation (分配), sharing FMASTERID
    org_keys: tuple[str, ...] = ()  # head fields naming the document's organisation, first set one wins

    def __post_init__(self) -> None:
        self._head = {f.key.lower(): f for f in self.head}
        self._subs = {e.key.lower(): e for e in self.subs}

    @property
    def is_bill(self) -> bool:
        return self.number_key == "FBillNo"

    def head_field(self, key: str) -> FieldDef | None:
        return _ci_get(self._head, key)

    def sub(self, key: str) -> Entity | None:
        return _ci_get(self._subs, key)

    @property
    def entry(self) -> Entity | None:
        """The one queryable entry list (the first ``many`` entity with typed fields)."""
        return next((e for e in self.subs if e.many and e.fields), None)

    def flat_field(self, key: str) -> tuple[Entity | None, FieldDef] | None:
        """Resolve a query-level key: header and sub-header fields are one namespace, entry fields too."""
        f = self.head_field(key)
        if f is not None:
            return None, f
        for ent in self.subs:
            f = ent.field(key)
            if f is not None:
                return ent, f
        return None


def _ci_get(index: dict, key: object) -> Any:
    return index.get(key.lower()) if isinstance(key, str) else None


def fld(key: str, name: str, type_: str = TEXT, lookup: str | None = None, *, required: bool = False,
        readonly: bool = False) -> FieldDef:
    return FieldDef(key, name, type_, lookup, required, readonly)


def status_fields(*, forbid: bool) -> list[FieldDef]:
    """The audit-trail fields every form carries (reference §8.7); base data also has FForbidStatus."""
    out = [fld("FDocumentStatus", "数据状态", COMBO, readonly=True)]
    if forbid:
        out.append(fld("FForbidStatus", "禁用状态", COMBO, readonly=True))
    return out + [
        fld("FCreateDate", "创建日期", DATETIME, readonly=True),
        fld("FModifyDate", "最后修改日期", DATETIME, readonly=True),
        fld("FApproveDate", "审核日期", DATETIME, readonly=True),
    ]


def bill_head(date_key: str = "FDate", *, strict: bool = False) -> list[FieldDef]:
    return [fld("FBillNo", "单据编号"), fld("FBillTypeID", "单据类型", ASSIST, required=strict),
            fld(date_key, "日期", DATE, required=strict)] + status_fields(forbid=False)


def org(key: str, name: str, **kw: bool) -> FieldDef:
    return fld(key, name, BASE, ORG, **kw)


def cust(key: str, name: str, **kw: bool) -> FieldDef:
    return fld(key, name, BASE, CUSTOMER, **kw)


def cur(key: str, name: str, **kw: bool) -> FieldDef:
    return fld(key, name, BASE, CURRENCY, **kw)


def unit(key: str, name: str) -> FieldDef:
    return fld(key, name, BASE, UNIT)


def mat(key: str, *, required: bool = True) -> FieldDef:
    return fld(key, "物料编码", BASE, MATERIAL, required=required)
