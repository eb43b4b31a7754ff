"""Change detection's rules on plain values: canonical values, entry matching, the diff, the update model, the hash."""

from __future__ import annotations

from core.diffs import diff_text, field_label
from core.mapping import MappedPayload
from core.mapping.defaults import load_default
from core.sync.changes import canon, diff, expected_hash, query_key, spec_of, state_hash, update_model
from core.sync.k3state import K3Doc, K3Entry

ORDERS = spec_of(load_default("orders"))


def order_payload(*rows: tuple[str, float, float]) -> MappedPayload:
    model = {"FBillNo": "SO-1", "FBillTypeID": {"FNumber": "XSDD01_SYS"}, "FDate": "2026-05-01",
             "FSaleOrgId": {"FNumber": "100"}, "FCustId": {"FNumber": "CUST-1"},
             "FSaleOrderFinance": {"FSettleCurrId": {"FNumber": "PRE001"}},
             "FSaleOrderEntry": [{"FMaterialId": {"FNumber": m}, "FQty": q, "FTaxPrice": p, "FEntryTaxRate": 13}
                                 for m, q, p in rows]}
    return MappedPayload("fx1", "SO-1", model)


def order_doc(*rows: tuple[int, str, float, float], status: str = "A") -> K3Doc:
    head = {"FDate": "2026-05-01T00:00:00", "FSaleOrgId.FNumber": "100", "FCustId.FNumber": "CUST-1"}
    return K3Doc("100001", "SO-1", status, head, [
        K3Entry(eid, n, {"FMaterialId.FNumber": m, "FQty": q, "FTaxPrice": p})
        for n, (eid, m, q, p) in enumerate(rows, start=1)])


def test_values_compare_as_decimals_days_and_numbers_of_base_data() -> None:
    assert canon("10.00") == canon(10.0) == canon(10) == "10"
    assert canon(12.5) == canon("12.500000") == "12.5"
    assert canon("2026-05-01") == canon("2026-05-01T00:00:00") == "2026-05-01"
    assert canon({"FNumber": "MAT-1"}) == canon("MAT-1") == "MAT-1"
    assert canon(None) == canon("") == ""
    assert canon("0571-8888") == "0571-8888" and canon("007") == "007"  # codes keep their leading zeros
    assert canon(True) == canon("TRUE") == "true"


def test_only_rule_fields_are_compared_and_read_back_by_query_key() -> None:
    assert [c.key for c in ORDERS.head] == ["FDate", "FSaleOrgId.FNumber", "FCustId.FNumber"]
    assert [c.key for c in ORDERS.entries] == ["FMaterialId.FNumber", "FQty", "FTaxPrice"]
    assert ORDERS.pk == "FID" and ORDERS.material is not None and ORDERS.material.key == "FMaterialId.FNumber"
    assert query_key(("FSaleOrderFinance", "FSettleCurrId", "FNumber")) == "FSettleCurrId.FNumber"
    assert query_key(("FSaleOrderFinance", "FExchangeRate")) == "FExchangeRate"
    assert query_key(("FSalerId", "FStaffNumber")) is None  # a reference by another key is not read back


def test_equal_is_empty_and_each_difference_is_named() -> None:
    doc = order_doc((11, "MAT-1", 10.0, 5.0), (12, "MAT-2", 1.0, 2.0))
    assert diff(ORDERS, order_payload(("MAT-1", 10, 5), ("MAT-2", 1, 2)), doc) == []
    changes = diff(ORDERS, order_payload(("MAT-1", 12, 5), ("MAT-3", 1, 2)), doc)
    assert changes == [{"field": "FSaleOrderEntry[1].FQty", "k3": "10", "new": "12"},
                       {"field": "FSaleOrderEntry[2]", "k3": "", "new": "MAT-3, 1, 2"},
                       {"field": "FSaleOrderEntry[-2]", "k3": "MAT-2, 1, 2", "new": ""}]
    assert field_label(changes[0]["field"]).zh == "第 1 行 数量" and field_label(changes[2]["field"]).en == \
        "K3Cloud line 2 (removed)"
    assert diff_text(changes[:1]).en == "Line 1 quantity: 10 -> 12"


def test_rows_match_by_material_then_sequence_and_keep_their_entry_ids() -> None:
    doc = order_doc((11, "MAT-1", 1.0, 5.0), (12, "MAT-2", 2.0, 5.0), (13, "MAT-1", 3.0, 5.0))
    payload = order_payload(("MAT-2", 2, 5), ("MAT-1", 1, 5), ("MAT-1", 4, 5))
    assert [d["field"] for d in diff(ORDERS, payload, doc)] == ["FSaleOrderEntry[3].FQty"]
    model = update_model(ORDERS, payload, doc)
    assert list(model)[0] == "FID" and model["FID"] == 100001
    assert [r.get("FEntryID") for r in model["FSaleOrderEntry"]] == [12, 11, 13]
    assert model["FSaleOrderEntry"][0]["FMaterialId"] == {"FNumber": "MAT-2"}  # the payload's fields kept


def test_the_hash_of_the_update_equals_the_read_back_once_it_landed() -> None:
    doc = order_doc((11, "MAT-1", 1.0, 5.0), (12, "MAT-2", 2.0, 5.0))
    payload = order_payload(("MAT-1", 7, 5), ("MAT-3", 1, 9))
    want = expected_hash(ORDERS, payload, doc)
    assert state_hash(ORDERS, doc) != want
    landed = order_doc((11, "MAT-1", 7.0, 5.0), (14, "MAT-3", 1.0, 9.0))
    assert state_hash(ORDERS, landed) == want
    twice = order_doc((11, "MAT-1", 7.0, 5.0), (14, "MAT-3", 1.0, 9.0), (15, "MAT-3", 1.0, 9.0))
    assert state_hash(ORDERS, twice) != want  # a line added twice is not what was sent


def test_text_left_out_of_the_payload_is_cleared_in_k3cloud() -> None:
    customers = spec_of(load_default("customers"))
    payload = MappedPayload("a1", "CUST-1", {"FNumber": "CUST-1", "FName": "甲公司", "FShortName": "甲公司",
                                             "FCreateOrgId": {"FNumber": "100"}, "FUseOrgId": {"FNumber": "100"},
                                             "FCUSTID": 0})
    doc = K3Doc("7", "CUST-1", "C", {"FName": "甲公司", "FShortName": "甲公司", "FTEL": "021-1", "FADDRESS": "",
                                     "FCreateOrgId.FNumber": "100", "FUseOrgId.FNumber": "100"})
    assert diff(customers, payload, doc) == [{"field": "FTEL", "k3": "021-1", "new": ""}]
    model = update_model(customers, payload, doc)
    assert model["FCUSTID"] == 7 and model["FTEL"] == "" and "FADDRESS" not in model
