"""The shipped default mappings produce exactly the contract's payloads, field order included; preview is pure."""

from __future__ import annotations

import copy
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import MappingError
from core.mapping import apply, load_default, preview
from core.mapping.refs import BaseRef
from tests.helpers_mapping import ACCOUNT, LINES, ORDER, SETTINGS, lookups

EXPECTED_CUSTOMER = """{
  "IsDeleteEntry": true,
  "IsVerifyBaseDataField": true,
  "Model": {
    "FNumber": "CUST0001",
    "FName": "上海示例贸易有限公司",
    "FShortName": "上海示例贸易有限公司",
    "FTEL": "021-55550101",
    "FADDRESS": "上海市浦东新区张江路 1 号",
    "FCreateOrgId": {
      "FNumber": "100"
    },
    "FUseOrgId": {
      "FNumber": "100"
    },
    "FCOUNTRY": {
      "FNumber": "China"
    },
    "FTRADINGCURRID": {
      "FNumber": "PRE001"
    },
    "FCUSTID": 0
  }
}"""

EXPECTED_ORDER_MODEL = (
    '{"FBillNo": "20250115-000123", "FBillTypeID": {"FNumber": "XSDD01_SYS"}, "FDate": "2025-01-15", '
    '"FSaleOrgId": {"FNumber": "100"}, "FCustId": {"FNumber": "CUST0001"}, '
    '"FSaleOrderFinance": {"FSettleCurrId": {"FNumber": "PRE001"}, "FIsIncludedTax": true}, '
    '"FSaleOrderEntry": ['
    '{"FMaterialId": {"FNumber": "MAT001"}, "FQty": 2.0, "FTaxPrice": 113.0}, '
    '{"FMaterialId": {"FNumber": "MAT002"}, "FQty": 3.5, "FTaxPrice": 10.0}]}'
)
# No FEntryTaxRate: K3Cloud takes each line's rate from its material (FTaxRateId); the prices sent include tax
# (FIsIncludedTax true, stated before the entries as K3Cloud needs it).


def test_default_customer_payload_is_exact_including_key_order():
    mapping = load_default("customers")
    text = preview(mapping, ACCOUNT, lookups=lookups(), settings=SETTINGS)
    assert text == EXPECTED_CUSTOMER
    payload = apply(mapping, ACCOUNT, lookups=lookups(), settings=SETTINGS)
    assert (payload.source_id, payload.idem_key) == (ACCOUNT["_id"], "CUST0001")
    assert (mapping.form_id, mapping.key_field, mapping.source_object) == ("BD_Customer", "FNumber", "AccountObj")


def test_default_customer_without_optional_fields_drops_them_and_keeps_order():
    record = {k: v for k, v in ACCOUNT.items() if k not in ("tel", "address")}
    model = apply(load_default("customers"), record, lookups=lookups(), settings={"k3_org": "200"}).model
    assert list(model) == ["FNumber", "FName", "FShortName", "FCreateOrgId", "FUseOrgId", "FCOUNTRY",
                           "FTRADINGCURRID", "FCUSTID"]
    assert model["FUseOrgId"] == {"FNumber": "200"}


def test_default_order_payload_is_exact_with_two_lines_and_finance_before_entries():
    mapping = load_default("orders")
    payload = apply(mapping, ORDER, lines=LINES, lookups=lookups(), settings=SETTINGS)
    assert json.dumps(payload.model, ensure_ascii=False) == EXPECTED_ORDER_MODEL
    keys = list(payload.model)
    assert keys.index("FSaleOrderFinance") < keys.index("FSaleOrderEntry")
    assert payload.idem_key == "20250115-000123"
    assert payload.lines == LINES
    package = payload.data_package(mapping)
    assert list(package) == ["IsDeleteEntry", "IsVerifyBaseDataField", "Model"]
    assert package["Model"] is payload.model
    assert (mapping.form_id, mapping.key_field, mapping.entry_key) == ("SAL_SaleOrder", "FBillNo", "FSaleOrderEntry")
    assert (mapping.detail_object, mapping.detail_link_field) == ("SalesOrderProductObj", "order_id")


def test_order_customer_number_comes_from_the_link_table_first():
    payload = apply(load_default("orders"), ORDER, lines=LINES, lookups=lookups(linked_customer="K3-C-77"),
                    settings=SETTINGS)
    assert payload.model["FCustId"] == {"FNumber": "K3-C-77"}


def test_order_refs_list_every_base_data_number_with_its_path():
    payload = apply(load_default("orders"), ORDER, lines=LINES, lookups=lookups(), settings=SETTINGS)
    assert payload.refs == [
        BaseRef("org", "ORG_Organizations", "100", "FSaleOrgId"),
        BaseRef("customer", "BD_Customer", "CUST0001", "FCustId"),
        BaseRef("currency", "BD_Currency", "PRE001", "FSaleOrderFinance.FSettleCurrId"),
        BaseRef("material", "BD_MATERIAL", "MAT001", "FSaleOrderEntry[0].FMaterialId"),
        BaseRef("material", "BD_MATERIAL", "MAT002", "FSaleOrderEntry[1].FMaterialId"),
    ]
    customer = apply(load_default("customers"), ACCOUNT, lookups=lookups(), settings=SETTINGS)
    assert [(r.kind, r.path) for r in customer.refs] == [
        ("org", "FCreateOrgId"), ("org", "FUseOrgId"), ("currency", "FTRADINGCURRID")]


def test_order_with_unknown_product_names_row_line_and_product():
    lines = copy.deepcopy(LINES)
    lines[1]["product_id"] = "ffffffffffffffffffffffff"
    with pytest.raises(MappingError) as info:
        apply(load_default("orders"), ORDER, lines=lines, lookups=lookups(), settings=SETTINGS)
    err = info.value
    assert err.row == 5 and err.field == "FSaleOrderEntry[].FMaterialId.FNumber"
    assert "ffffffffffffffffffffffff" in err.user_message and "line 2" in err.user_message
    assert ORDER["_id"] in err.user_message and "第 2 条明细" in err.user_message


def test_order_without_lines_is_a_mapping_error():
    with pytest.raises(MappingError) as info:
        apply(load_default("orders"), ORDER, lines=[], lookups=lookups(), settings=SETTINGS)
    err = info.value
    assert err.row == 5 and err.code == "MAPPING_NO_LINES"
    assert "没有任何明细行（产品）" in err.user_message and "请在纷享销客中为它添加产品明细" in err.user_message
    assert "has no lines (products)" in err.text("en") and "Add its product lines in Fxiaoke" in err.text("en")
    assert ORDER["name"] in err.user_message


def test_missing_profile_org_is_named():
    with pytest.raises(MappingError) as info:
        apply(load_default("customers"), ACCOUNT, lookups=lookups(), settings={})
    assert info.value.row == 6 and "profile:k3_org" in info.value.user_message


def test_unknown_flow_has_no_default():
    with pytest.raises(MappingError):
        load_default("invoices")


def test_preview_sends_nothing_and_changes_nothing(monkeypatch: pytest.MonkeyPatch):
    def no_network(*args, **kwargs):
        raise AssertionError("preview touched the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    mapping = load_default("orders")
    before = (mapping.to_json(), copy.deepcopy(ORDER), copy.deepcopy(LINES))
    first = preview(mapping, ORDER, lines=LINES, lookups=lookups(), settings=SETTINGS)
    second = preview(mapping, ORDER, lines=LINES, lookups=lookups(), settings=SETTINGS)
    assert first == second
    assert json.loads(first)["Model"]["FSaleOrderEntry"][1]["FQty"] == 3.5
    assert (mapping.to_json(), ORDER, LINES) == before


def test_mapping_package_imports_no_http_code():
    code = (
        "import sys, core.mapping, core.mapping.preview, core.mapping.apply\n"
        "bad = [m for m in ('requests', 'urllib3', 'http.client', 'core.http') if m in sys.modules]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    root = Path(__file__).resolve().parents[2]
    res = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
