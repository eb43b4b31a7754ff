"""The simulated Fxiaoke tenant's object descriptions: api names, labels, field types, select options."""

from __future__ import annotations

from typing import Any

# (api_name, label, type, is_required, options) per field; options are (value, label) pairs.
_SYSTEM = [
    ("_id", "ID", "text", False, None),
    ("name", "名称", "text", True, None),
    ("owner", "负责人", "employee", True, None),
    ("owner_department", "负责人主属部门", "text", False, None),
    ("created_by", "创建人", "employee", False, None),
    ("create_time", "创建时间", "date_time", False, None),
    ("last_modified_by", "最后修改人", "employee", False, None),
    ("last_modified_time", "最后修改时间", "date_time", False, None),
    ("life_status", "生命状态", "select_one", False,
     [("ineffective", "未生效"), ("under_review", "审核中"), ("normal", "正常"), ("in_change", "变更中"),
      ("invalid", "作废")]),
    ("lock_status", "锁定状态", "select_one", False, [("0", "未锁定"), ("1", "锁定")]),
    ("record_type", "业务类型", "record_type", False, [("default__c", "预设业务类型")]),
    ("is_deleted", "是否删除", "true_or_false", False, None),
    ("version", "版本", "number", False, None),
    ("object_describe_api_name", "对象", "text", False, None),
]

UNITS = [("1", "个"), ("2", "台"), ("3", "米"), ("4", "套"), ("5", "千克")]
LOGISTICS_STATUS = [("1", "待发货"), ("2", "部分发货"), ("3", "已发货"), ("4", "已收货")]
ORDER_STATUS = [("6", "确认中"), ("7", "已确认"), ("10", "已发货"), ("11", "已收货")]
#: The demo tenant's own shipment field on SalesOrderObj: option values are opaque ids, as the tenant generated them
#: (values like "7e8T541Vr" and "other" [c4: reference §4.2]); the ids themselves are a sandbox choice.
SHIP_STATE = [("n4Ke7Qx2d", "未发货"), ("Wb3s9LpaT", "部分发货"), ("c8Rz1mHv0", "已发货"), ("other", "其他")]
#: PaymentObj.payment_term (回款方式): the field is real [s: W2], its options are a sandbox choice.
PAYMENT_TERMS = [("1", "支票"), ("2", "现金"), ("3", "电汇"), ("4", "银行承兑汇票"), ("5", "网上转账"),
                 ("other", "其他")]

_OBJECTS: dict[str, tuple[str, list[tuple[str, str, str, bool, Any]]]] = {
    "AccountObj": ("客户", [
        ("account_no", "客户编号", "auto_number", False, None),
        ("account_type", "客户类型", "select_one", False, [("1", "企业客户"), ("2", "个人客户")]),
        ("account_level", "客户级别", "select_one", False, [("A", "重要客户"), ("B", "普通客户"), ("C", "潜在客户")]),
        ("tel", "电话", "phone_number", False, None),
        ("email", "邮件", "email", False, None),
        ("province", "省", "text", False, None),
        ("city", "市", "text", False, None),
        ("address", "详细地址", "text", False, None),
        ("remark", "备注", "long_text", False, None),
        ("field_k3_no__c", "金蝶客户编码", "text", False, None),
    ]),
    "ContactObj": ("联系人", [
        ("account_id", "客户名称", "object_reference", True, None),
        ("account_id__r", "客户名称", "text", False, None),
        ("mobile", "手机", "phone_number", False, None),
        ("tel", "电话", "phone_number", False, None),
        ("job_title", "职务", "text", False, None),
        ("email", "邮件", "email", False, None),
    ]),
    # product_code is what orders are matched to K3Cloud materials by (the product's mapping); the reference says
    # nothing about its uniqueness, and the tenant does not enforce it [sandbox choice]: a client upserting products
    # by product_code must look up and dedupe by itself. Required fields and the unit options: [sandbox choice].
    "ProductObj": ("产品", [
        ("product_code", "产品编码", "text", True, None),
        ("specification", "规格", "text", False, None),
        ("unit", "单位", "select_one", True, UNITS),
        ("price", "标准价格", "currency", True, None),
        ("product_status", "上下架", "select_one", False, [("1", "已上架"), ("2", "已下架")]),
        ("category", "产品分类", "text", False, None),
    ]),
    "SalesOrderObj": ("销售订单", [
        ("account_id", "客户名称", "object_reference", True, None),
        ("account_id__r", "客户名称", "text", False, None),
        ("order_time", "下单日期", "date", True, None),
        ("order_amount", "销售订单金额(元)", "currency", False, None),
        ("order_status", "状态", "select_one", False, ORDER_STATUS),
        ("logistics_status", "发货状态", "select_one", False, LOGISTICS_STATUS),
        ("delivery_date", "交货日期", "date", False, None),
        ("delivered_amount_sum", "已发货金额", "currency", False, None),
        ("ship_to_add", "收货地址", "text", False, None),
        ("remark", "备注", "long_text", False, None),
        ("field_k3_no__c", "金蝶单号", "text", False, None),
        ("field_ship_state__c", "发货进度", "select_one", False, SHIP_STATE),
    ]),
    "SalesOrderProductObj": ("订单产品", [
        ("order_id", "销售订单", "master_detail", True, None),
        ("order_id__r", "销售订单", "text", False, None),
        ("product_id", "产品名称", "object_reference", True, None),
        ("product_id__r", "产品名称", "text", False, None),
        ("quantity", "数量", "number", True, None),
        ("product_price", "价格(元)", "currency", False, None),
        ("sales_price", "销售单价(元)", "currency", True, None),
        ("discount", "折扣", "percentile", False, None),
        ("subtotal", "小计", "currency", False, None),
        ("unit", "单位", "select_one", False, UNITS),
    ]),
    # 回款: field names and value formats from the official docs' real example [s: W2]: name "20200817-000023",
    # payment_amount "1.00" (a string), payment_time ms, account_id(__r), order_id (optional), payment_term.
    "PaymentObj": ("回款", [
        ("account_id", "客户名称", "object_reference", True, None),
        ("account_id__r", "客户名称", "text", False, None),
        ("order_id", "销售订单", "object_reference", False, None),
        ("order_id__r", "销售订单", "text", False, None),
        ("payment_amount", "本次回款金额(元)", "currency", True, None),
        ("payment_time", "回款日期", "date", True, None),
        ("payment_term", "回款方式", "select_one", False, PAYMENT_TERMS),
        ("remark", "备注", "long_text", False, None),
        ("field_k3_no__c", "金蝶收款单号", "text", False, None),
    ]),
}

#: Detail objects and the field that points at their master.
DETAILS = {"SalesOrderProductObj": ("SalesOrderObj", "order_id")}
#: Fields a client may not set (computed or system owned); update silently keeps them.
READ_ONLY = frozenset({"_id", "created_by", "create_time", "last_modified_by", "last_modified_time", "is_deleted",
                       "version", "object_describe_api_name", "lock_status", "life_status"})


def object_names() -> list[str]:
    return list(_OBJECTS)


def display_name(api_name: str) -> str:
    return _OBJECTS[api_name][0]


def fields_of(api_name: str) -> dict[str, dict[str, Any]]:
    """``describe.fields`` of one object: api_name -> {api_name, label, type, is_required[, options]}."""
    out: dict[str, dict[str, Any]] = {}
    for name, label, ftype, required, options in _SYSTEM + _OBJECTS[api_name][1]:
        f: dict[str, Any] = {"api_name": name, "label": label, "type": ftype, "is_required": required,
                             "define_type": "custom" if name.endswith("__c") else "package", "is_active": True}
        if options is not None:
            f["options"] = [{"label": lab, "value": val} for val, lab in options]
        out[name] = f
    return out


FIELD_SETS: dict[str, frozenset[str]] = {name: frozenset(fields_of(name)) for name in _OBJECTS}
OPTION_VALUES: dict[tuple[str, str], frozenset[str]] = {
    (obj, f["api_name"]): frozenset(o["value"] for o in f["options"])
    for obj in _OBJECTS for f in fields_of(obj).values() if "options" in f
}
