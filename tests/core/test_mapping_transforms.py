"""Each transform of a mapping rule, the default/required handling and the errors that name the row."""

from __future__ import annotations

import pytest

from core.errors import MappingError
from core.mapping import transforms
from core.mapping.apply import apply
from core.mapping.model import FieldRule, Mapping
from core.mapping.transforms import DictLookups
from tests.helpers_mapping import ACCOUNT, LINES, ORDER, PRODUCTS, SETTINGS, lookups


def one(rule: FieldRule, record: dict | None = None, *, lk: DictLookups | None = None, settings=None):
    """Map ``record`` with a single rule (plus the key field) and return the mapped value of FX."""
    mapping = Mapping(flow="customers", source_object="AccountObj", form_id="BD_Customer", key_field="FNumber",
                      template={"FNumber": "K"}, rules=[rule])
    mapping.validate()
    model = apply(mapping, record if record is not None else ACCOUNT, lookups=lk or lookups(),
                  settings=SETTINGS if settings is None else settings).model
    return model.get("FX")


def test_copy_keeps_the_value_and_reads_dotted_paths():
    assert one(FieldRule("FX", "tel")) == "021-55550101"
    assert one(FieldRule("FX", "owner.0")) == "1000"
    assert one(FieldRule("FX", "missing_field")) is None


def test_copy_refuses_a_list_or_object_where_one_value_belongs():
    # A server answer with a list or an object in a text field must fail the record, not land in FName as-is.
    with pytest.raises(MappingError) as err:
        one(FieldRule("FX", "owner"))
    assert "a list, not a single value" in err.value.message.en and "列表" in err.value.message.zh
    assert err.value.field == "FX"


def test_const_value_is_copied_per_record():
    rule = FieldRule("FX", transform="const", args={"value": {"FNumber": "KHLB001_SYS"}})
    first = one(rule)
    first["FNumber"] = "changed"
    assert one(rule) == {"FNumber": "KHLB001_SYS"}
    assert rule.args["value"] == {"FNumber": "KHLB001_SYS"}


def test_map_translates_option_values():
    rule = FieldRule("FX", "account_type", "map", {"values": {"1": "KHLB001_SYS", "2": "KHLB002_SYS"}})
    assert one(rule) == "KHLB001_SYS"
    assert one(rule, {**ACCOUNT, "account_type": "9"}) is None
    rule.default = "KHLB009_SYS"
    assert one(rule, {**ACCOUNT, "account_type": "9"}) == "KHLB009_SYS"


def test_map_strict_fails_on_an_unmapped_option_naming_row_target_source_and_record():
    rule = FieldRule("FX", "account_type", "map", {"values": {"2": "B"}, "strict": True})
    with pytest.raises(MappingError) as info:
        one(rule)
    err = info.value
    assert err.row == 1 and err.field == "FX" and err.side == "mapping" and err.code == "MAPPING_TRANSFORM"
    text = err.user_message
    assert "'1'" in text and "account_type" in text and ACCOUNT["_id"] in text and ACCOUNT["name"] in text
    assert "映射第 1 行" in text and "Mapping row 1" in text


@pytest.mark.parametrize(("value", "tz", "expected"), [
    (1736872200000, "Asia/Shanghai", "2025-01-15"),  # 16:30 UTC the day before
    (1736872200000, "UTC", "2025-01-14"),
    ("1736872200000", "Asia/Shanghai", "2025-01-15"),
    (1736872200000.0, "+08:00", "2025-01-15"),
    ("2025-03-01", "Asia/Shanghai", "2025-03-01"),
    ("2025-01-14T16:30:00Z", "Asia/Shanghai", "2025-01-15"),
])
def test_date_turns_milliseconds_into_a_local_date(value, tz, expected):
    assert one(FieldRule("FX", "t", "date", {"tz": tz}), {**ACCOUNT, "t": value}) == expected


def test_date_format_and_bad_value():
    rule = FieldRule("FX", "t", "date", {"format": "%Y-%m-%d %H:%M:%S"})
    assert one(rule, {**ACCOUNT, "t": 1736872200000}) == "2025-01-15 00:30:00"
    with pytest.raises(MappingError, match="not a date"):
        one(rule, {**ACCOUNT, "t": "next tuesday"})


def test_date_works_without_the_tz_database_for_china(monkeypatch: pytest.MonkeyPatch):
    def missing(name: str):
        raise transforms.ZoneInfoNotFoundError(name)

    monkeypatch.setattr(transforms, "ZoneInfo", missing)
    assert one(FieldRule("FX", "t", "date", {}), {**ACCOUNT, "t": 1736872200000}) == "2025-01-15"


@pytest.mark.parametrize(("value", "args", "expected"), [
    ("1,234.565", {"scale": 2}, 1234.57),
    ("1234.565", {"scale": 2, "rounding": "ROUND_DOWN"}, 1234.56),
    ("2.5", {"scale": 2, "as": "str"}, "2.50"),
    ("2.5", {"as": "int"}, 3),
    ("-2.5", {"as": "int", "rounding": "ROUND_HALF_EVEN"}, -2),
    (7, {}, 7.0),
    ("0", {"scale": 2}, 0.0),
])
def test_number_parses_fxiaoke_strings_and_rounds(value, args, expected):
    result = one(FieldRule("FX", "n", "number", args), {**ACCOUNT, "n": value})
    assert result == expected and type(result) is type(expected)


@pytest.mark.parametrize("value", ["abc", True, "NaN"])
def test_number_rejects_non_numbers(value):
    with pytest.raises(MappingError) as info:
        one(FieldRule("FX", "n", "number", {}), {**ACCOUNT, "n": value})
    assert info.value.row == 1 and "number" in info.value.user_message


def test_concat_joins_non_empty_sources():
    rule = FieldRule("FX", transform="concat", args={"sources": ["name", "tel", "nothing"], "sep": " / "})
    assert one(rule) == "上海示例贸易有限公司 / 021-55550101"
    assert one(FieldRule("FX", transform="concat", args={"sources": ["nothing"]})) is None


def test_lookup_via_link_then_field_and_via_field():
    rule = FieldRule("FX", "account_id", "lookup", {"object": "AccountObj", "via": "link", "field": "account_no"})
    assert one(rule, ORDER) == "CUST0001"
    assert one(rule, ORDER, lk=lookups(linked_customer="C-LINKED")) == "C-LINKED"
    link_only = FieldRule("FX", "account_id", "lookup", {"object": "AccountObj", "via": "link"})
    assert one(link_only, ORDER) is None
    via_field = FieldRule("FX", "account_id", "lookup", {"object": "AccountObj", "via": "field", "field": "tel"})
    assert one(via_field, ORDER, lk=lookups(linked_customer="C-LINKED")) == "021-55550101"


def test_lookup_of_a_missing_record_names_it():
    rule = FieldRule("FX", "account_id", "lookup", {"object": "AccountObj", "via": "field", "field": "account_no"})
    with pytest.raises(MappingError, match="AccountObj record nope was not found"):
        one(rule, {**ORDER, "account_id": "nope"})


def test_profile_reads_the_profile_settings():
    assert one(FieldRule("FX", transform="profile", args={"setting": "k3_org"}), settings={"k3_org": "300"}) == "300"


def test_default_fills_empty_values_and_required_names_the_row():
    assert one(FieldRule("FX", "tel", default="n/a"), {**ACCOUNT, "tel": "  "}) == "n/a"
    with pytest.raises(MappingError) as info:
        one(FieldRule("FX", "tel", required=True), {**ACCOUNT, "tel": ""})
    err = info.value
    assert err.row == 1 and err.code == "MAPPING_REQUIRED"
    assert "FX <- tel" in err.user_message and "FX ← tel" in err.user_message and ACCOUNT["_id"] in err.user_message


def test_line_rules_read_the_line_and_caret_reads_the_master():
    mapping = Mapping(
        flow="orders", source_object="SalesOrderObj", detail_object="SalesOrderProductObj",
        detail_link_field="order_id", form_id="SAL_SaleOrder", key_field="FBillNo", entry_key="FSaleOrderEntry", rules=[
            FieldRule("FBillNo", "name", required=True),
            FieldRule("FSaleOrderEntry[].FNote", "_id"),
            FieldRule("FSaleOrderEntry[].FDeliveryDate", "^order_time", "date"),
            FieldRule("FSaleOrderEntry[].FRowType", transform="const", args={"value": "Standard"}),
        ])
    mapping.validate()
    model = apply(mapping, ORDER, lines=LINES, lookups=DictLookups({"ProductObj": PRODUCTS})).model
    assert model["FSaleOrderEntry"] == [
        {"FNote": LINES[0]["_id"], "FDeliveryDate": "2025-01-15", "FRowType": "Standard"},
        {"FNote": LINES[1]["_id"], "FDeliveryDate": "2025-01-15", "FRowType": "Standard"},
    ]
    assert list(model) == ["FBillNo", "FSaleOrderEntry"]


def test_rule_overwrites_a_template_value_in_place_and_empty_keeps_it():
    mapping = Mapping(flow="customers", source_object="AccountObj", form_id="BD_Customer", key_field="FNumber",
                      template={"FCOUNTRY": {"FNumber": "China"}, "FNumber": None},
                      rules=[FieldRule("FNumber", "account_no"), FieldRule("FCOUNTRY.FNumber", "country")])
    assert list(apply(mapping, {**ACCOUNT, "country": "US"}).model.items()) == [
        ("FCOUNTRY", {"FNumber": "US"}), ("FNumber", "CUST0001")]
    assert apply(mapping, ACCOUNT).model["FCOUNTRY"] == {"FNumber": "China"}


def test_empty_idempotency_key_is_an_error():
    mapping = Mapping(flow="customers", source_object="AccountObj", form_id="BD_Customer", key_field="FNumber",
                      rules=[FieldRule("FNumber", "account_no")])
    with pytest.raises(MappingError) as info:
        apply(mapping, {**ACCOUNT, "account_no": ""})
    assert info.value.field == "FNumber" and "idempotency key" in info.value.user_message
