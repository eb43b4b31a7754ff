"""The simulated K3Cloud forms: field keys, names, types and base-data lookups, and QueryBusinessInfo.

Keys follow reference §8 (tags there). Additions and their sources:
- BD_MATERIAL/BD_Customer carry ``FMASTERID`` (the id shared by the rows of one record allocated to several
  organisations) and ``FForbidStatus`` (§8.1, §8.5); ``FTaxRateId`` on the material is a real reference to
  BD_TaxRate, whose rate field is ``FTaxRate`` [sandbox choice: the key of the rate on BD_TaxRate].
- SAL_RETURNSTOCK (销售退货单): customer ``FRetcustId``, bill type ``XSTHD01_SYS``, ``SubHeadEntity``
  and ``FEntity`` with ``FMaterialId``/``FRealQty``/``FEntryTaxRate``/``FReturnType`` (G:564827661 PHP payload,
  G:48571838635, G:35183976111, G:3507787881 [C 4]); entry link ``FOrderNo`` (G:263880444) plus ``FSrcBillNo``/
  ``FSrcType``/``FSOEntryId`` [sandbox choice, as on SAL_OUTSTOCK §8.4].
- AR_RECEIVEBILL (收款单): §8.6 head and entry keys; the entry keys ``FRECEIVEITEMTYPE``, ``FRECEIVEITEM``,
  ``FSaleOrderID``, ``FSALEORDERNO``, ``FORDERENTRYID``, ``FPOSTDATE``, ``FCOMMENT`` come from NODE's template
  (``src/defaultData/receiveBillSave.js``), which also marks the required fields. The head totals
  ``FRECAMOUNTFOR``/``FREALRECAMOUNTFOR`` are a [sandbox choice].
- SAL_DELIVERYNOTICE entries also carry ``FSOEntryId`` (the order line) [sandbox choice, as on SAL_OUTSTOCK].
- Query-only progress fields on sales order lines: ``FStockOutQty``, ``FDeliQty`` (ERP §8.2) and ``FReturnQty``
  [sandbox choice].
"""

from __future__ import annotations

from core.sandbox.k3cloud_fields import (
    ASSIST,
    BASE,
    BOOL,
    COMBO,
    CURRENCY,
    CUSTOMER,
    DATE,
    DATETIME,
    DECIMAL,
    DELIVERY_NOTICE,
    FIELD_TYPE_NAMES,
    INT,
    MATERIAL,
    ORG,
    OUT_STOCK,
    RAW,
    RECEIVE_BILL,
    RETURN_STOCK,
    SALE_ORDER,
    TAX_RATE,
    TEXT,
    UNIT,
    Entity,
    FieldDef,
    FormDef,
    bill_head,
    cur,
    cust,
    fld,
    mat,
    org,
    status_fields,
    unit,
)

__all__ = [
    "ASSIST", "BASE", "BOOL", "COMBO", "CURRENCY", "CUSTOMER", "DATE", "DATETIME", "DECIMAL", "DELIVERY_NOTICE",
    "FORMS", "INT", "MATERIAL", "ORG", "OUT_STOCK", "RAW", "RECEIVE_BILL", "RETURN_STOCK", "SALE_ORDER", "TAX_RATE",
    "TEXT", "UNIT", "Entity", "FieldDef", "FormDef", "business_info", "find_form",
]


def _base_data() -> list[FormDef]:
    master = fld("FMASTERID", "主数据内码", INT, readonly=True)
    customer = FormDef(CUSTOMER, "客户", "FCUSTID", "FNumber", bill_prefix="CUST", allocatable=True, head=[
        fld("FNumber", "编码"), fld("FName", "客户名称", required=True), fld("FShortName", "简称"),
        org("FCreateOrgId", "创建组织"), org("FUseOrgId", "使用组织"), fld("FCOUNTRY", "国家", ASSIST),
        fld("FADDRESS", "通讯地址"), fld("FTEL", "联系电话"), fld("FINVOICETITLE", "发票抬头"),
        fld("FCustTypeId", "客户类别", ASSIST), fld("FGroup", "客户分组", ASSIST),
        cur("FTRADINGCURRID", "结算币别"), fld("FSETTLETYPEID", "结算方式", ASSIST),
        fld("FRECCONDITIONID", "收款条件", ASSIST), fld("FInvoiceType", "发票类型", COMBO),
        fld("FTaxType", "税分类", ASSIST), fld("FTaxRate", "默认税率", ASSIST), fld("FPriority", "客户优先级", INT),
        fld("FIsTrade", "是否交易客户", BOOL), fld("FISCREDITCHECK", "启用信用管理", BOOL),
        fld("FIsGroup", "集团客户", BOOL), fld("FIsDefPayer", "默认付款方", BOOL), master,
    ] + status_fields(forbid=True), subs=[
        Entity("FT_BD_CUSTOMEREXT", "商务信息", [
            fld("FEnableSL", "启用商联在线", BOOL), fld("FSettleId", "结算方", ASSIST),
            fld("FChargeId", "付款方", ASSIST), fld("FALLOWJOINZHJ", "允许对接智慧订货", BOOL)]),
        Entity("FT_BD_CUSTBANK", "银行信息", [], many=True),
        Entity("FT_BD_CUSTCONTACT", "联系人", [], many=True),
        Entity("FT_BD_CUSTLOCATION", "地址信息", [], many=True),
    ])
    material = FormDef(MATERIAL, "物料", "FMATERIALID", "FNumber", bill_prefix="MAT", allocatable=True, head=[
        fld("FNumber", "编码"), fld("FName", "名称", required=True), fld("FSpecification", "规格型号"),
        org("FCreateOrgId", "创建组织"), org("FUseOrgId", "使用组织"), fld("FMaterialGroup", "物料分组", ASSIST),
        master,
    ] + status_fields(forbid=True), subs=[
        Entity("SubHeadEntity", "基本", [
            fld("FErpClsID", "物料属性", COMBO), fld("FCategoryID", "存货类别", ASSIST),
            unit("FBaseUnitId", "基本单位"), fld("FTaxRateId", "默认税率", BASE, TAX_RATE),
            fld("FIsPurchase", "允许采购", BOOL), fld("FIsInventory", "允许库存", BOOL),
            fld("FIsSale", "允许销售", BOOL)]),
    ])
    units = FormDef(UNIT, "计量单位", "FUNITID", "FNumber", bill_prefix="UNIT", head=[
        fld("FNumber", "编码"), fld("FName", "名称", required=True), fld("FUnitGroupId", "所属组别", ASSIST),
        fld("FPrecision", "精度", INT),
    ] + status_fields(forbid=True))
    orgs = FormDef(ORG, "组织机构", "FORGID", "FNumber", bill_prefix="ORG", head=[
        fld("FNumber", "编码"), fld("FName", "名称", required=True), fld("FDescription", "描述"),
    ] + status_fields(forbid=True))
    currency = FormDef(CURRENCY, "币别", "FCURRENCYID", "FNumber", bill_prefix="PRE", has_fid_column=False, head=[
        fld("FNumber", "编码"), fld("FName", "名称", required=True), fld("FCODE", "货币代码"),
        fld("FPRICEDIGITS", "单价精度", INT), fld("FAMOUNTDIGITS", "金额精度", INT),
    ] + status_fields(forbid=True))
    tax_rate = FormDef(TAX_RATE, "税率", "FID", "FNumber", bill_prefix="SL", head=[
        fld("FNumber", "编码"), fld("FName", "名称", required=True), fld("FTaxRate", "税率%", DECIMAL),
    ] + status_fields(forbid=True))
    return [customer, material, units, orgs, currency, tax_rate]


def _sale_order() -> FormDef:
    return FormDef(SALE_ORDER, "销售订单", "FID", "FBillNo", bill_prefix="XSDD", org_keys=("FSaleOrgId",),
                   head=bill_head() + [
        org("FSaleOrgId", "销售组织", required=True), cust("FCustId", "客户", required=True),
        fld("FSalerId", "销售员", ASSIST), fld("FSaleDeptId", "销售部门", ASSIST),
        fld("FSaleGroupId", "销售组", ASSIST),
        cust("FReceiveId", "收货方"), cust("FSettleId", "结算方"), cust("FChargeId", "付款方"),
        fld("FHeadDeliveryWay", "交货方式", ASSIST), fld("FNote", "备注"),
    ], subs=[
        Entity("FSaleOrderFinance", "财务信息", [
            cur("FSettleCurrId", "结算币别"), fld("FExchangeTypeId", "汇率类型", ASSIST),
            fld("FExchangeRate", "汇率", DECIMAL), fld("FIsIncludedTax", "是否含税", BOOL),
            fld("FIsPriceExcludeTax", "价外税", BOOL), fld("FRecConditionId", "收款条件", ASSIST),
            fld("FSettleModeId", "结算方式", ASSIST), cur("FLocalCurrId", "本位币"),
            fld("FBillAmount", "税额前金额", DECIMAL, readonly=True),
            fld("FBillTaxAmount", "税额", DECIMAL, readonly=True),
            fld("FBillAllAmount", "价税合计", DECIMAL, readonly=True)]),
        Entity("FSaleOrderEntry", "订单明细", [
            fld("FRowType", "产品类型", COMBO), mat("FMaterialId"), unit("FUnitID", "销售单位"),
            fld("FQty", "销售数量", DECIMAL), unit("FPriceUnitId", "计价单位"), fld("FPrice", "单价", DECIMAL),
            fld("FTaxPrice", "含税单价", DECIMAL), fld("FEntryTaxRate", "税率%", DECIMAL),
            fld("FIsFree", "是否赠品", BOOL), fld("FDeliveryDate", "要货日期", DATE),
            org("FStockOrgId", "库存组织"), org("FSettleOrgIds", "结算组织"), org("FSupplyOrgId", "供应组织"),
            fld("FOwnerTypeId", "货主类型", COMBO), fld("FOwnerId", "货主", ASSIST),
            fld("FReserveType", "预留类型", COMBO), fld("FEntryNote", "备注"),
            fld("FAmount", "金额", DECIMAL), fld("FAllAmount", "价税合计", DECIMAL),
            fld("FTaxAmount", "税额", DECIMAL, readonly=True),
            fld("FStockOutQty", "累计出库数量", DECIMAL, readonly=True),
            fld("FDeliQty", "累计发货通知数量", DECIMAL, readonly=True),
            fld("FReturnQty", "累计退货数量", DECIMAL, readonly=True),
            fld("FOrderEntryPlan", "交货计划", RAW)], many=True, key_field="FMaterialId", min_rows=1),
        Entity("FSaleOrderPlan", "收款计划", [], many=True),
        Entity("FSalOrderTrace", "物流跟踪", [], many=True),
        Entity("FSaleOrderClause", "订单条款", [], many=True),
    ])


def _link_fields() -> list[FieldDef]:
    return [fld("FSrcBillNo", "源单编号"), fld("FSrcType", "源单类型"), fld("FSOEntryId", "销售订单EntryId", INT)]


def _shipping_bills() -> list[FormDef]:
    notice = FormDef(DELIVERY_NOTICE, "发货通知单", "FID", "FBillNo", bill_prefix="FHTZD", org_keys=("FSaleOrgId",),
                     head=bill_head() + [
        org("FSaleOrgId", "销售组织", required=True), cust("FCustomerID", "客户", required=True),
        org("FDeliveryOrgID", "发货组织"), fld("FSaleDeptID", "销售部门", ASSIST), fld("FSalesManID", "销售员", ASSIST),
        cust("FReceiverID", "收货方"), cust("FSettleID", "结算方"), cust("FPayerID", "付款方"),
        fld("FHeadLocId", "交货地点", ASSIST), fld("FOwnerTypeIdHead", "货主类型", COMBO),
        fld("FOwnerIdHead", "货主", ASSIST), fld("FNote", "备注"),
    ], subs=[
        Entity("SubHeadEntity", "财务信息", [
            org("FSettleOrgID", "结算组织"), cur("FSettleCurrID", "结算币别"), cur("FLocalCurrID", "本位币"),
            fld("FExchangeTypeID", "汇率类型", ASSIST), fld("FExchangeRate", "汇率", DECIMAL)]),
        Entity("FEntity", "明细信息", [
            mat("FMaterialID"), unit("FUnitID", "销售单位"), fld("FQty", "销售数量", DECIMAL),
            fld("FDeliveryDate", "要货日期", DATE), fld("FStockID", "出货仓库", ASSIST),
            fld("FPrice", "单价", DECIMAL), fld("FTaxPrice", "含税单价", DECIMAL),
            fld("FEntryTaxRate", "税率%", DECIMAL),
            fld("FOrderNo", "订单单号")] + _link_fields(), many=True, key_field="FMaterialID", min_rows=1),
    ])
    out_stock = FormDef(OUT_STOCK, "销售出库单", "FID", "FBillNo", bill_prefix="XSCKD", org_keys=("FSaleOrgId",),
                        head=bill_head() + [
        org("FSaleOrgId", "销售组织", required=True), cust("FCustomerID", "客户", required=True),
        org("FStockOrgId", "发货组织"), fld("FDeliveryDeptID", "发货部门", ASSIST), fld("FStockerID", "仓管员", ASSIST),
        cust("FReceiverID", "收货方"), cust("FSettleID", "结算方"), cust("FPayerID", "付款方"),
        fld("FOwnerTypeIdHead", "货主类型", COMBO), fld("FOwnerIdHead", "货主", ASSIST), fld("FNote", "备注"),
    ], subs=[
        Entity("SubHeadEntity", "财务信息", [
            cur("FSettleCurrID", "结算币别"), org("FSettleOrgID", "结算组织"),
            fld("FExchangeTypeID", "汇率类型", ASSIST), cur("FLocalCurrID", "本位币"),
            fld("FIsIncludedTax", "是否含税", BOOL), fld("FIsPriceExcludeTax", "价外税", BOOL)]),
        Entity("FEntity", "明细信息", [
            mat("FMaterialID"), unit("FUnitID", "库存单位"), fld("FRealQty", "实发数量", DECIMAL),
            fld("FStockID", "仓库", ASSIST), fld("FStockLocId", "仓位", RAW), fld("FLot", "批号", ASSIST),
            fld("FStockStatusID", "库存状态", ASSIST), fld("FPrice", "单价", DECIMAL),
            fld("FTaxPrice", "含税单价", DECIMAL), fld("FEntryTaxRate", "税率%", DECIMAL),
            fld("FOwnerTypeID", "货主类型", COMBO), fld("FOwnerID", "货主", ASSIST), fld("FEntrynote", "备注"),
            fld("FSoorDerno", "订单单号")] + _link_fields(), many=True, key_field="FMaterialID", min_rows=1),
    ])
    return_stock = FormDef(RETURN_STOCK, "销售退货单", "FID", "FBillNo", bill_prefix="XSTHD", org_keys=("FSaleOrgId",),
                           head=bill_head() + [
        org("FSaleOrgId", "销售组织", required=True), cust("FRetcustId", "退货客户", required=True),
        org("FStockOrgId", "库存组织"), fld("FSaledeptid", "销售部门", ASSIST), fld("FSalesManId", "销售员", ASSIST),
        fld("FReturnReason", "退货原因", ASSIST), cust("FReceiveCustId", "收货方"), cust("FSettleCustId", "结算方"),
        cust("FPayCustId", "付款方"), fld("FOwnerTypeIdHead", "货主类型", COMBO), fld("FHeadNote", "备注"),
    ], subs=[
        Entity("SubHeadEntity", "财务信息", [
            cur("FSettleCurrId", "结算币别"), org("FSettleOrgId", "结算组织"), cur("FLocalCurrId", "本位币"),
            fld("FExchangeTypeId", "汇率类型", ASSIST), fld("FExchangeRate", "汇率", DECIMAL)]),
        Entity("FEntity", "明细信息", [
            fld("FRowType", "产品类型", COMBO), mat("FMaterialId"), unit("FUnitID", "库存单位"),
            fld("FRealQty", "实退数量", DECIMAL), fld("FStockID", "仓库", ASSIST),
            fld("FStockStatusID", "库存状态", ASSIST),
            fld("FReturnType", "退货类型", ASSIST), fld("FIsFree", "是否赠品", BOOL), fld("FPrice", "单价", DECIMAL),
            fld("FTaxPrice", "含税单价", DECIMAL), fld("FEntryTaxRate", "税率%", DECIMAL),
            fld("FOwnerTypeId", "货主类型", COMBO), fld("FOwnerId", "货主", ASSIST),
            fld("FDeliveryDate", "交货日期", DATE),
            fld("FOrderNo", "订单单号"), fld("FNote", "备注")] + _link_fields(),
            many=True, key_field="FMaterialId", min_rows=1),
    ])
    return [notice, out_stock, return_stock]


def _receive_bill() -> FormDef:
    return FormDef(RECEIVE_BILL, "收款单", "FID", "FBillNo", bill_prefix="SKD", org_keys=("FSETTLEORGID", "FPAYORGID"),
                   head=bill_head("FDATE", strict=True) + [
        fld("FCONTACTUNITTYPE", "往来单位类型", COMBO, required=True), cust("FCONTACTUNIT", "往来单位", required=True),
        fld("FPAYUNITTYPE", "付款单位类型", COMBO, required=True), cust("FPAYUNIT", "付款单位", required=True),
        cur("FCURRENCYID", "币别", required=True), cur("FSETTLECUR", "结算币别", required=True),
        org("FPAYORGID", "收款组织", required=True), org("FSETTLEORGID", "结算组织"), org("FSALEORGID", "销售组织"),
        fld("FSALEDEPTID", "销售部门", ASSIST), fld("FSALEGROUPID", "销售组", ASSIST),
        fld("FSALEERID", "销售员", ASSIST),
        fld("FBUSINESSTYPE", "业务类型", COMBO), fld("FEXCHANGERATE", "汇率", DECIMAL),
        fld("FSETTLERATE", "结算汇率", DECIMAL), fld("FISINIT", "期初收款单", BOOL), fld("FREMARK", "备注"),
        fld("FCancelStatus", "作废状态", COMBO, readonly=True),
        fld("FRECAMOUNTFOR", "应收金额", DECIMAL, readonly=True),
        fld("FREALRECAMOUNTFOR", "实收金额", DECIMAL, readonly=True),
    ], subs=[
        Entity("FRECEIVEBILLENTRY", "收款明细", [
            fld("FSETTLETYPEID", "结算方式", ASSIST, required=True),
            fld("FPURPOSEID", "收款用途", ASSIST, required=True),
            fld("FRECEIVEITEMTYPE", "预收项目类型", COMBO), fld("FRECEIVEITEM", "预收项目"),
            fld("FSaleOrderID", "销售订单内码", INT), fld("FSALEORDERNO", "销售订单号"),
            fld("FORDERENTRYID", "销售订单明细内码", INT), mat("FMATERIALID", required=False),
            fld("FRECTOTALAMOUNTFOR", "应收金额", DECIMAL), fld("FRECAMOUNTFOR_E", "收款金额", DECIMAL),
            fld("FACCOUNTID", "我方银行账号", ASSIST), fld("FOPPOSITEBANKACCOUNT", "对方银行账号"),
            fld("FOPPOSITECCOUNTNAME", "对方账户名称"), fld("FSETTLENO", "结算号"), fld("FCOMMENT", "备注"),
            fld("FPOSTDATE", "登账日期", DATE)], many=True, min_rows=1),
    ])


FORMS: dict[str, FormDef] = {
    f.form_id.lower(): f for f in _base_data() + [_sale_order()] + _shipping_bills() + [_receive_bill()]}


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
