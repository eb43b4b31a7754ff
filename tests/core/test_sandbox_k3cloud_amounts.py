"""K3Cloud simulator over real HTTP: sales order amounts as K3Cloud computes them, field order, precision."""

from __future__ import annotations

import pytest

from tests.helpers_k3sandbox import K3, k3, logged_in, order_model, status  # noqa: F401 - fixtures

SO = "SAL_SaleOrder"
LINE = "FQty,FTaxPrice,FPrice,FEntryTaxRate,FAllAmount,FAmount,FTaxAmount"
HEAD = "FBillAllAmount,FBillAmount,FBillTaxAmount"


def _save(k3: K3, lines: list[dict], no: str = "AMT-1", **head) -> list:
    model = order_model(bill_no=no, **head)
    model["FSaleOrderEntry"] = [{"FMaterialId": {"FNumber": f"MAT-{i:04d}"}, **line} for i, line in enumerate(lines, 1)]
    rs = status(k3.save(SO, model))
    assert rs["IsSuccess"] is True, rs
    return k3.query(SO, LINE, f"FBillNo='{no}'")


def test_price_includes_tax_by_default(logged_in: K3):
    k3 = logged_in
    rows = _save(k3, [{"FQty": 10, "FTaxPrice": 113, "FEntryTaxRate": 13},
                      {"FQty": 3, "FTaxPrice": 99.99, "FEntryTaxRate": 13}])
    assert rows == [[10.0, 113.0, 100.0, 13.0, 1130.0, 1000.0, 130.0],
                    [3.0, 99.99, 88.486726, 13.0, 299.97, 265.46, 34.51]]
    assert k3.query(SO, HEAD, "FBillNo='AMT-1'") == [[1429.97, 1265.46, 164.51]]


def test_price_excluding_tax_drives_when_is_included_tax_is_false(logged_in: K3):
    k3 = logged_in
    fin = {"FSettleCurrId": {"FNumber": "PRE001"}, "FIsIncludedTax": False}
    rows = _save(k3, [{"FQty": 3, "FPrice": 33.33, "FEntryTaxRate": 13}], FSaleOrderFinance=fin)
    assert rows == [[3.0, 37.6629, 33.33, 13.0, 112.99, 99.99, 13.0]]


def test_the_tax_rate_comes_from_the_material_and_overrides_a_rate_sent_before_it(logged_in: K3):
    k3 = logged_in
    k3.admin("edit", {"number": "MAT-0001", "fields": {"FTaxRateId": {"FNumber": "SL02_SYS"}}})
    model = order_model(bill_no="RATE-1")
    model["FSaleOrderEntry"] = [
        {"FMaterialId": {"FNumber": "MAT-0001"}, "FQty": 1, "FTaxPrice": 109},                       # 9 % from MAT
        {"FEntryTaxRate": 13, "FMaterialId": {"FNumber": "MAT-0001"}, "FQty": 1, "FTaxPrice": 109},  # overwritten
        {"FMaterialId": {"FNumber": "MAT-0001"}, "FEntryTaxRate": 13, "FQty": 1, "FTaxPrice": 113}]  # kept
    assert status(k3.save(SO, model))["IsSuccess"] is True
    assert k3.query(SO, "FEntryTaxRate,FPrice", "FBillNo='RATE-1'") == [[9.0, 100.0], [9.0, 100.0], [13.0, 100.0]]


@pytest.mark.parametrize("line,expected", [
    ({"FQty": 3, "FTaxPrice": 36.16, "FAllAmount": 108.47}, [3.0, 36.156667, 108.47]),   # total last: kept
    ({"FAllAmount": 108.47, "FQty": 3, "FTaxPrice": 36.16}, [3.0, 36.16, 108.48]),       # total first: recomputed
    ({"FAllAmount": 108.47, "FQty": 3}, [3.0, 0.0, 0.0]),                                # no quantity yet: price 0
], ids=["total-after-price", "total-before-price", "total-before-quantity"])
def test_field_order_decides_the_line_total_k1(logged_in: K3, line, expected):
    k3 = logged_in
    rows = _save(k3, [{"FEntryTaxRate": 13, **line}])
    assert [rows[0][0], rows[0][1], rows[0][4]] == expected


def test_fin_sub_header_after_the_entries_zeroes_the_prices_unless_the_knob_is_off(logged_in: K3):
    k3 = logged_in
    model = order_model(bill_no="FIN-1")
    fin = model.pop("FSaleOrderFinance")
    model["FSaleOrderFinance"] = fin  # now after FSaleOrderEntry
    assert status(k3.save(SO, model))["IsSuccess"] is True
    assert k3.query(SO, "FTaxPrice,FAllAmount,FBillAllAmount", "FBillNo='FIN-1'") == [[0.0, 0.0, 0.0]]
    k3.admin("knobs", {"fin_after_entry_resets_prices": False})
    model["FBillNo"] = "FIN-2"
    assert status(k3.save(SO, model))["IsSuccess"] is True
    assert k3.query(SO, "FTaxPrice,FAllAmount", "FBillNo='FIN-2'") == [[113.0, 1130.0]]


def test_amounts_round_to_the_currency_precision(logged_in: K3):
    k3 = logged_in
    yen = {"FNumber": "JPY", "FName": "日元", "FAMOUNTDIGITS": 0, "FPRICEDIGITS": 2}
    assert status(k3.save("BD_Currency", yen, IsAutoSubmitAndAudit="true"))["IsSuccess"] is True
    fin = {"FSettleCurrId": {"FNumber": "JPY"}}
    rows = _save(k3, [{"FQty": 3, "FTaxPrice": 33.33, "FEntryTaxRate": 13}], FSaleOrderFinance=fin)
    assert rows == [[3.0, 33.33, 29.5, 13.0, 100.0, 88.0, 12.0]]


def test_an_update_recomputes_from_the_stored_price_and_view_shows_the_amounts(logged_in: K3):
    k3 = logged_in
    fid = k3.save(SO, order_model(bill_no="UPD-1", lines=2))["Result"]["Id"]
    entry = k3.query(SO, "FSaleOrderEntry_FEntryID", "FBillNo='UPD-1'")[0][0]
    upd = {"FID": fid, "FSaleOrderEntry": [{"FEntryID": entry, "FQty": 1}]}
    assert status(k3.save(SO, upd, IsDeleteEntry="false"))["IsSuccess"] is True
    assert k3.query(SO, "FQty,FAllAmount,FBillAllAmount", "FBillNo='UPD-1'") == [
        [1.0, 113.0, 113.0 + 2260.0], [20.0, 2260.0, 113.0 + 2260.0]]
    view = k3.call("View", SO, {"Number": "UPD-1"})["Result"]["Result"]
    assert [e["AllAmount"] for e in view["SaleOrderEntry"]] == [113.0, 2260.0]
    assert view["SaleOrderFinance"][0]["BillAllAmount"] == 2373.0
    assert view["SaleOrderEntry"][0]["TaxAmount"] == 13.0
