"""Form metadata of the simulated K3Cloud forms: field keys, names, types and base-data lookups."""

from __future__ import annotations

from dataclasses import dataclass, field

# Field types. "base" fields reference a simulated form (validated); "assist" fields reference base data the
# sandbox does not simulate (bill types, tax rates, staff...): stored as {"FNumber": x}, never validated.
TEXT, INT, DECIMAL, DATE, DATETIME, BOOL, COMBO, BASE, ASSIST, RAW = (
    "text", "int", "decimal", "date", "datetime", "bool", "combo", "base", "assist", "raw")

# QueryBusinessInfo FieldType-like names (the real server answers .NET type names).
FIELD_TYPE_NAMES = {
    TEXT: "TextField", INT: "IntegerField", DECIMAL: "DecimalField", DATE: "DateField",
    DATETIME: "DateTimeField", BOOL: "CheckBoxField", COMBO: "ComboField", BASE: "BaseDataField",
    ASSIST: "BaseDataField", RAW: "EntryEntity",
}

CUSTOMER, MATERIAL, UNIT, ORG, CURRENCY = "BD_Customer", "BD_MATERIAL", "BD_UNIT", "ORG_Organizations", "BD_Currency"
SALE_ORDER, DELIVERY_NOTICE, OUT_STOCK = "SAL_SaleOrder", "SAL_DELIVERYNOTICE", "SAL_OUTSTOCK"


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


def _ci_get(index: dict, key: str):
    return index.get(key.lower()) if isinstance(key, str) else None


def _f(key: str, name: str, type_: str = TEXT, lookup: str | None = None, **kw) -> FieldDef:
    return FieldDef(key, name, type_, lookup, **kw)


def _status_fields() -> list[FieldDef]:
    return [
        _f("FDocumentStatus", "数据状态", COMBO, readonly=True),
        _f("FForbidStatus", "禁用状态", COMBO, readonly=True),
        _f("FCreateDate", "创建日期", DATETIME, readonly=True),
        _f("FModifyDate", "最后修改日期", DATETIME, readonly=True),
        _f("FApproveDate", "审核日期", DATETIME, readonly=True),
    ]


def _bill_head() -> list[FieldDef]:
    return [
        _f("FBillNo", "单据编号"),
        _f("FBillTypeID", "单据类型", ASSIST),
        _f("FDate", "日期", DATE),
    ] + [f for f in _status_fields() if f.key != "FForbidStatus"]


def _org(key: str, name: str, **kw) -> FieldDef:
    return _f(key, name, BASE, ORG, **kw)


def _cust(key: str, name: str, **kw) -> FieldDef:
    return _f(key, name, BASE, CUSTOMER, **kw)


def _cur(key: str, name: str) -> FieldDef:
    return _f(key, name, BASE, CURRENCY)


def _unit(key: str, name: str) -> FieldDef:
    return _f(key, name, BASE, UNIT)


def _mat(key: str) -> FieldDef:
    return _f(key, "物料编码", BASE, MATERIAL, required=True)


def _build_forms() -> list[FormDef]:
    customer = FormDef(CUSTOMER, "客户", "FCUSTID", "FNumber", bill_prefix="CUST", head=[
        _f("FNumber", "编码"), _f("FName", "客户名称", required=True), _f("FShortName", "简称"),
        _org("FCreateOrgId", "创建组织"), _org("FUseOrgId", "使用组织"), _f("FCOUNTRY", "国家", ASSIST),
        _f("FADDRESS", "通讯地址"), _f("FTEL", "联系电话"), _f("FINVOICETITLE", "发票抬头"),
        _f("FCustTypeId", "客户类别", ASSIST), _f("FGroup", "客户分组", ASSIST),
        _cur("FTRADINGCURRID", "结算币别"), _f("FSETTLETYPEID", "结算方式", ASSIST),
        _f("FRECCONDITIONID", "收款条件", ASSIST), _f("FInvoiceType", "发票类型", COMBO),
        _f("FTaxType", "税分类", ASSIST), _f("FTaxRate", "默认税率", ASSIST), _f("FPriority", "客户优先级", INT),
        _f("FIsTrade", "是否交易客户", BOOL), _f("FISCREDITCHECK", "启用信用管理", BOOL),
        _f("FIsGroup", "集团客户", BOOL), _f("FIsDefPayer", "默认付款方", BOOL),
    ] + _status_fields(), subs=[
        Entity("FT_BD_CUSTOMEREXT", "商务信息", [
            _f("FEnableSL", "启用商联在线", BOOL), _f("FSettleId", "结算方", ASSIST),
            _f("FChargeId", "付款方", ASSIST), _f("FALLOWJOINZHJ", "允许对接智慧订货", BOOL)]),
        Entity("FT_BD_CUSTBANK", "银行信息", [], many=True),
        Entity("FT_BD_CUSTCONTACT", "联系人", [], many=True),
        Entity("FT_BD_CUSTLOCATION", "地址信息", [], many=True),
    ])
    material = FormDef(MATERIAL, "物料", "FMATERIALID", "FNumber", bill_prefix="MAT", head=[
        _f("FNumber", "编码"), _f("FName", "名称", required=True), _f("FSpecification", "规格型号"),
        _org("FCreateOrgId", "创建组织"), _org("FUseOrgId", "使用组织"), _f("FMaterialGroup", "物料分组", ASSIST),
    ] + _status_fields(), subs=[
        Entity("SubHeadEntity", "基本", [
            _f("FErpClsID", "物料属性", COMBO), _f("FCategoryID", "存货类别", ASSIST),
            _unit("FBaseUnitId", "基本单位"), _f("FTaxRateId", "默认税率", ASSIST),
            _f("FIsPurchase", "允许采购", BOOL), _f("FIsInventory", "允许库存", BOOL), _f("FIsSale", "允许销售", BOOL)]),
    ])
    unit = FormDef(UNIT, "计量单位", "FUNITID", "FNumber", bill_prefix="UNIT", head=[
        _f("FNumber", "编码"), _f("FName", "名称", required=True), _f("FUnitGroupId", "所属组别", ASSIST),
        _f("FPrecision", "精度", INT),
    ] + _status_fields())
    org = FormDef(ORG, "组织机构", "FORGID", "FNumber", bill_prefix="ORG", head=[
        _f("FNumber", "编码"), _f("FName", "名称", required=True), _f("FDescription", "描述"),
    ] + _status_fields())
    currency = FormDef(CURRENCY, "币别", "FCURRENCYID", "FNumber", bill_prefix="PRE", has_fid_column=False, head=[
        _f("FNumber", "编码"), _f("FName", "名称", required=True), _f("FCODE", "货币代码"),
        _f("FPRICEDIGITS", "单价精度", INT), _f("FAMOUNTDIGITS", "金额精度", INT),
    ] + _status_fields())
    sale_order = FormDef(SALE_ORDER, "销售订单", "FID", "FBillNo", bill_prefix="XSDD", head=_bill_head() + [
        _org("FSaleOrgId", "销售组织", required=True), _cust("FCustId", "客户", required=True),
        _f("FSalerId", "销售员", ASSIST), _f("FSaleDeptId", "销售部门", ASSIST), _f("FSaleGroupId", "销售组", ASSIST),
        _cust("FReceiveId", "收货方"), _cust("FSettleId", "结算方"), _cust("FChargeId", "付款方"),
        _f("FHeadDeliveryWay", "交货方式", ASSIST), _f("FNote", "备注"),
    ], subs=[
        Entity("FSaleOrderFinance", "财务信息", [
            _cur("FSettleCurrId", "结算币别"), _f("FExchangeTypeId", "汇率类型", ASSIST),
            _f("FExchangeRate", "汇率", DECIMAL), _f("FIsIncludedTax", "是否含税", BOOL),
            _f("FIsPriceExcludeTax", "价外税", BOOL), _f("FRecConditionId", "收款条件", ASSIST),
            _f("FSettleModeId", "结算方式", ASSIST), _cur("FLocalCurrId", "本位币"),
            _f("FBillAmount", "税额前金额", DECIMAL, readonly=True),
            _f("FBillAllAmount", "价税合计", DECIMAL, readonly=True)]),
        Entity("FSaleOrderEntry", "订单明细", [
            _f("FRowType", "产品类型", COMBO), _mat("FMaterialId"), _unit("FUnitID", "销售单位"),
            _f("FQty", "销售数量", DECIMAL), _unit("FPriceUnitId", "计价单位"), _f("FPrice", "单价", DECIMAL),
            _f("FTaxPrice", "含税单价", DECIMAL), _f("FEntryTaxRate", "税率%", DECIMAL),
            _f("FIsFree", "是否赠品", BOOL), _f("FDeliveryDate", "要货日期", DATE),
            _org("FStockOrgId", "库存组织"), _org("FSettleOrgIds", "结算组织"), _org("FSupplyOrgId", "供应组织"),
            _f("FOwnerTypeId", "货主类型", COMBO), _f("FOwnerId", "货主", ASSIST),
            _f("FReserveType", "预留类型", COMBO), _f("FEntryNote", "备注"),
            _f("FAmount", "金额", DECIMAL, readonly=True), _f("FAllAmount", "价税合计", DECIMAL, readonly=True),
            _f("FStockOutQty", "累计出库数量", DECIMAL, readonly=True),
            _f("FOrderEntryPlan", "交货计划", RAW)], many=True),
        Entity("FSaleOrderPlan", "收款计划", [], many=True),
        Entity("FSalOrderTrace", "物流跟踪", [], many=True),
        Entity("FSaleOrderClause", "订单条款", [], many=True),
    ])
    notice = FormDef(DELIVERY_NOTICE, "发货通知单", "FID", "FBillNo", bill_prefix="FHTZD", head=_bill_head() + [
        _org("FSaleOrgId", "销售组织", required=True), _cust("FCustomerID", "客户", required=True),
        _org("FDeliveryOrgID", "发货组织"), _f("FSaleDeptID", "销售部门", ASSIST), _f("FSalesManID", "销售员", ASSIST),
        _cust("FReceiverID", "收货方"), _cust("FSettleID", "结算方"), _cust("FPayerID", "付款方"),
        _f("FHeadLocId", "交货地点", ASSIST), _f("FOwnerTypeIdHead", "货主类型", COMBO),
        _f("FOwnerIdHead", "货主", ASSIST), _f("FNote", "备注"),
    ], subs=[
        Entity("SubHeadEntity", "财务信息", [
            _org("FSettleOrgID", "结算组织"), _cur("FSettleCurrID", "结算币别"), _cur("FLocalCurrID", "本位币"),
            _f("FExchangeTypeID", "汇率类型", ASSIST), _f("FExchangeRate", "汇率", DECIMAL)]),
        Entity("FEntity", "明细信息", [
            _mat("FMaterialID"), _unit("FUnitID", "销售单位"), _f("FQty", "销售数量", DECIMAL),
            _f("FDeliveryDate", "要货日期", DATE), _f("FStockID", "出货仓库", ASSIST),
            _f("FTaxPrice", "含税单价", DECIMAL), _f("FSrcBillNo", "源单编号"), _f("FSrcType", "源单类型"),
            _f("FOrderNo", "订单单号")], many=True),
    ])
    out_stock = FormDef(OUT_STOCK, "销售出库单", "FID", "FBillNo", bill_prefix="XSCKD", head=_bill_head() + [
        _org("FSaleOrgId", "销售组织", required=True), _cust("FCustomerID", "客户", required=True),
        _org("FStockOrgId", "发货组织"), _f("FDeliveryDeptID", "发货部门", ASSIST), _f("FStockerID", "仓管员", ASSIST),
        _cust("FReceiverID", "收货方"), _cust("FSettleID", "结算方"), _cust("FPayerID", "付款方"),
        _f("FOwnerTypeIdHead", "货主类型", COMBO), _f("FOwnerIdHead", "货主", ASSIST), _f("FNote", "备注"),
    ], subs=[
        Entity("SubHeadEntity", "财务信息", [
            _cur("FSettleCurrID", "结算币别"), _org("FSettleOrgID", "结算组织"),
            _f("FExchangeTypeID", "汇率类型", ASSIST), _cur("FLocalCurrID", "本位币"),
            _f("FIsIncludedTax", "是否含税", BOOL), _f("FIsPriceExcludeTax", "价外税", BOOL)]),
        Entity("FEntity", "明细信息", [
            _mat("FMaterialID"), _unit("FUnitID", "库存单位"), _f("FRealQty", "实发数量", DECIMAL),
            _f("FStockID", "仓库", ASSIST), _f("FStockLocId", "仓位", RAW), _f("FLot", "批号", ASSIST),
            _f("FStockStatusID", "库存状态", ASSIST), _f("FPrice", "单价", DECIMAL),
            _f("FTaxPrice", "含税单价", DECIMAL), _f("FEntryTaxRate", "税率%", DECIMAL),
            _f("FOwnerTypeID", "货主类型", COMBO), _f("FOwnerID", "货主", ASSIST), _f("FEntrynote", "备注"),
            _f("FSoorDerno", "订单单号"), _f("FSrcBillNo", "源单编号"), _f("FSrcType", "源单类型"),
            _f("FSOEntryId", "销售订单EntryId", INT)], many=True),
    ])
    return [customer, material, unit, org, currency, sale_order, notice, out_stock]


FORMS: dict[str, FormDef] = {f.form_id.lower(): f for f in _build_forms()}


def find_form(form_id: object) -> FormDef | None:
    """The form for a FormId, case-insensitively (BD_MATERIAL and BD_Material are one form)."""
    return FORMS.get(form_id.lower()) if isinstance(form_id, str) else None


def business_info(form: FormDef) -> dict:
    """The ``NeedReturnData`` of QueryBusinessInfo: the form's entities and their fields."""

    def fields(defs: list[FieldDef]) -> list[dict]:
        return [{
            "Key": f.key, "FieldName": f.key.upper().removeprefix("F"), "PropertyName": f.key.removeprefix("F"),
            "Name": [{"Key": 2052, "Value": f.name}], "FieldType": FIELD_TYPE_NAMES[f.type],
            "LookUpObjectFormId": f.lookup or "", "MustInput": f.required, "IsReadOnly": f.readonly,
        } for f in defs]

    entrys = [{"Key": "FBillHead", "ParentKey": "", "Name": [{"Key": 2052, "Value": form.name}],
               "EntityType": "HeadEntity", "Fields": fields(form.head)}]
    for ent in form.subs:
        entrys.append({"Key": ent.key, "ParentKey": "FBillHead", "Name": [{"Key": 2052, "Value": ent.name}],
                       "EntityType": "EntryEntity" if ent.many else "SubHeadEntity", "Fields": fields(ent.fields)})
    return {"Id": form.form_id, "Name": [{"Key": 2052, "Value": form.name}], "PkFieldName": form.pk,
            "BillNoField": form.number_key, "Entrys": entrys}
