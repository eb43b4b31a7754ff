"""Issue 13: the product against a K3Cloud as dangerous as the real one (base-data state, dropped lines, results out
of order, amounts K3Cloud computes itself)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.mapping import load_default
from core.sandbox import start_sandbox
from core.sync.model import SyncRequest
from tests.helpers_sync import K3Proxy, fx_records, k3_records, of, profile_for, text_of, workspace

SIZES = {"orders": 12, "customers": 6, "products": 10}


@pytest.fixture
def sb():
    with start_sandbox(seed=13, demo_sizes=SIZES) as s:
        yield s


def order_using(sb, *codes: str, qty: str = "2", price: str = "10.00", amount: str | None = None) -> str:
    """A new approved Fxiaoke order named ``FID-<first code>-<qty>`` with one line per product code."""
    admin = sb.fx_app.admin
    products = {p.get("product_code"): p for p in fx_records(sb, "ProductObj")}
    account = fx_records(sb, "AccountObj")[0]["_id"]
    total = amount or str(Decimal(qty) * Decimal(price) * len(codes))
    oid = admin("add_records", {"api_name": "SalesOrderObj", "records": [
        {"name": f"FID-{codes[0]}-{qty}", "account_id": account, "order_time": 1790000000000,
         "life_status": "normal", "order_amount": total}]})["ids"][0]
    admin("add_records", {"api_name": "SalesOrderProductObj", "records": [
        {"order_id": oid, "product_id": products[code]["_id"], "quantity": qty, "sales_price": price,
         "subtotal": str(Decimal(qty) * Decimal(price)), "create_time": 1790000000000 + i}
        for i, code in enumerate(codes)]})
    return oid


def material(sb, i: int = 0) -> str:
    return sorted(p["product_code"] for p in fx_records(sb, "ProductObj") if p.get("product_code"))[i]


def sync_one(sb, db, oid: str, **profile):
    with workspace(db, *profile_for(sb, **profile)) as ws:
        ws.sync(SyncRequest("customers", all=True))  # customers in K3Cloud first: the order is the subject
        run = ws.sync(SyncRequest("orders", ids=[oid]))
    return next(i for i in run.items if i.flow == "orders")


@pytest.mark.parametrize("action, words_zh, words_en", [
    ("forbid", "已禁用", "is forbidden"),
    ("unaudit", "未审核", "is not audited"),
    ("", "未分配到组织 200", "is not allocated to organisation 200"),
])
def test_a_material_k3_cannot_use_fails_preflight_by_name(sb, db, home, action, words_zh, words_en):
    code = material(sb)
    oid = order_using(sb, code)
    org = "100"
    if action:
        sb.k3_app.admin(action, {"form_id": "BD_MATERIAL", "number": code})
    else:  # a second organisation the material was never allocated to (分配)
        org = "200"
        with workspace(db, *profile_for(sb)) as ws:
            assert ws.k3.save("ORG_Organizations", {"FNumber": "200", "FName": "华南分公司"}, idem_key="200").ok
    item = sync_one(sb, db, oid, k3_org=org)
    assert item.status == "failed" and item.error is not None and item.error.side == "k3cloud"
    assert f"物料 {code} " in item.error.message.zh and words_zh in item.error.message.zh
    assert words_en in item.error.message.en
    assert code in {m["number"] for m in item.error.details["missing"] if m["kind"] == "material"}
    assert f"FID-{code}-2" not in {r.get("FBillNo") for r in k3_records(sb, "SAL_SaleOrder")}


def test_an_unaudited_customer_fails_preflight_by_name(sb, db):
    oid = order_using(sb, material(sb))
    account = fx_records(sb, "AccountObj")[0]
    with workspace(db, *profile_for(sb)) as ws:
        ws.sync(SyncRequest("customers", ids=[account["_id"]]))
        sb.k3_app.admin("unaudit", {"form_id": "BD_Customer", "number": account["account_no"]})
        run = ws.sync(SyncRequest("orders", ids=[oid]))
    (item,) = run.items
    assert item.status == "failed" and f"客户 {account['account_no']} 在金蝶中未审核" in item.error.message.zh


def test_a_line_k3_drops_with_verification_off_is_caught_by_the_read_back_and_reported_failed(sb, db):
    keep, code = material(sb, 1), material(sb)
    oid = order_using(sb, code, keep)
    profile, secrets = profile_for(sb)
    proxy = K3Proxy(sb)
    try:
        profile.k3_url = proxy.url
        with workspace(db, profile, secrets) as ws:
            ws.sync(SyncRequest("customers", all=True))
            mapping = load_default("orders")
            mapping.options["IsVerifyBaseDataField"] = False  # what the first wave sent
            ws.save_mapping("orders", mapping)

            def forbid_then_forward(form_id, data):  # the material is forbidden after the pre-flight looked at it
                proxy.hooks.pop("batchsave")
                sb.k3_app.admin("forbid", {"form_id": "BD_MATERIAL", "number": code})
                return data

            proxy.hooks["batchsave"] = forbid_then_forward
            first = ws.sync(SyncRequest("orders", ids=[oid]))
            sb.k3_app.admin("enable", {"form_id": "BD_MATERIAL", "number": code})  # the material is fixed
            again = ws.sync(SyncRequest("orders", ids=[oid]))
    finally:
        proxy.close()
    (item,) = first.items
    assert item.status == "failed" and item.error.code == "lines_dropped" and code in text_of(item.error)
    stored = next(r for r in k3_records(sb, "SAL_SaleOrder") if r["FBillNo"] == f"FID-{code}-2")
    assert stored["FDocumentStatus"] in ("Z", "A")  # saved without its line: never submitted or audited
    # the saved-without-a-line document is never submitted or finished by itself: a person fixes it first
    assert again.items[0].status == "failed" and again.items[0].error.code == "lines_dropped"
    assert [r["FBillNo"] for r in k3_records(sb, "SAL_SaleOrder")].count(f"FID-{code}-2") == 1


def test_operation_results_answered_in_k3s_internal_order_land_on_the_right_orders(sb, db):
    codes = [material(sb, i) for i in range(3)]
    oids = [order_using(sb, c, qty=str(i + 1)) for i, c in enumerate(codes)]
    profile, secrets = profile_for(sb, submit=False, audit=False)
    proxy = K3Proxy(sb)
    try:
        profile.k3_url = proxy.url
        with workspace(db, profile, secrets) as ws:
            ws.sync(SyncRequest("customers", all=True))
            # saved in the order 3, 2, 1: K3Cloud's internal ids run the other way to the order we send them
            for oid in reversed(oids):
                assert of(ws.sync(SyncRequest("orders", ids=[oid]))).created == 1
        profile.submit = profile.audit = True
        late = f"FID-{codes[0]}-1"

        def skip_one(form_id, data):  # the first order is left out of Submit, so its Audit is refused by K3Cloud
            proxy.hooks.pop("submit")
            return {**data, "Numbers": [n for n in data["Numbers"] if n != late]}

        proxy.hooks["submit"] = skip_one
        with workspace(db, profile, secrets) as ws:
            run = ws.sync(SyncRequest("orders", ids=oids))
    finally:
        proxy.close()
    by_number = {i.source_number: i for i in run.items}
    assert by_number[late].status == "failed" and by_number[late].stage != "audited"
    assert {by_number[f"FID-{c}-{i + 1}"].status for i, c in enumerate(codes[1:], start=1)} == {"updated"}
    status = {r["FBillNo"]: r["FDocumentStatus"] for r in k3_records(sb, "SAL_SaleOrder")}
    assert status[late] != "C" and {status[f"FID-{c}-{i + 1}"] for i, c in enumerate(codes[1:], start=1)} == {"C"}


def test_a_cent_of_drift_between_fxiaokes_amount_and_k3s_total_is_flagged_with_both_figures(sb, db):
    code = material(sb)
    oid = order_using(sb, code, qty="3", price="10.00", amount="30.01")
    item = sync_one(sb, db, oid)
    assert item.status == "created" and item.stage == "audited"  # the document is fine and goes on
    assert item.error is not None and item.error.code == "amount_drift"
    assert "30.00" in item.error.message.zh and "30.01" in item.error.message.zh and "0.01" in item.error.message.en
    assert item.error.details["amounts"][0] == {"what": "total", "k3": "30.00", "fxiaoke": "30.01"}


def test_no_drift_no_note_and_each_line_takes_its_materials_tax_rate(sb, db):
    code = material(sb)
    sb.k3_app.admin("edit",
                    {"form_id": "BD_MATERIAL", "number": code, "fields": {"FTaxRateId": {"FNumber": "SL02_SYS"}}})
    item = sync_one(sb, db, order_using(sb, code, qty="3", price="10.90"))
    assert item.status == "created" and item.error is None
    stored = next(r for r in k3_records(sb, "SAL_SaleOrder") if r["FBillNo"] == f"FID-{code}-3")
    (line,) = stored["FSaleOrderEntry"]
    assert Decimal(str(line["FEntryTaxRate"])) == 9 and Decimal(str(line["FAllAmount"])) == Decimal("32.70")


def test_the_order_row_says_its_amounts_differ(sb, db):
    oid = order_using(sb, material(sb), qty="3", price="10.00", amount="30.01")
    sync_one(sb, db, oid)
    with workspace(db, *profile_for(sb)) as ws:
        (row,) = [r for r in ws.records("orders") if r.source_id == oid]
    assert row.state == "synced" and row.error is not None and row.error.code == "amount_drift"
