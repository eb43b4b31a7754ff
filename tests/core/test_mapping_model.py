"""Mapping JSON round-trips; validation names the bad row (1-based) and field; base-data ref table is extendable."""

from __future__ import annotations

import json

import pytest

from core.errors import MappingError
from core.mapping import refs
from core.mapping.apply import apply
from core.mapping.defaults import FLOWS, load_default
from core.mapping.model import FieldRule, Mapping
from tests.helpers_mapping import ACCOUNT, SETTINGS, lookups


@pytest.mark.parametrize("flow", FLOWS)
def test_round_trip_json_is_lossless(flow):
    mapping = load_default(flow)
    text = mapping.to_json()
    again = Mapping.from_json(text)
    assert again == mapping
    assert again.to_json() == text
    assert json.loads(text)["schema_version"] == 1
    assert list(json.loads(text)["template"]) == list(mapping.template)


def _orders_dict() -> dict:
    return json.loads(load_default("orders").to_json())


def _bad_rule(index: int, **changes) -> dict:
    data = _orders_dict()
    data["rules"][index - 1].update(changes)
    return data


@pytest.mark.parametrize(("row", "changes", "needle"), [
    (3, {"transform": "uppercase"}, "unknown transform 'uppercase'"),
    (1, {"source": "name+account_no"}, "use the concat transform"),
    (2, {"source": None}, "needs a source field"),
    (4, {"args": {"object": "AccountObj", "via": "telepathy"}}, "via must be link or field"),
    (6, {"args": {"scale": "two"}}, "scale must be an integer"),
    (6, {"args": {"rounding": "ROUND_NICELY"}}, "unknown rounding"),
    (2, {"args": {"tz": "Mars/Olympus"}}, "unknown time zone"),
    (3, {"args": {}}, "profile needs args.setting"),
    (5, {"target": "FSaleOrderEntry[]"}, "needs a field after it"),
    (5, {"target": "FOtherEntry[].FQty"}, "entry array must be FSaleOrderEntry"),
    (5, {"target": "FSaleOrderEntry.FQty"}, "FSaleOrderEntry[].Field"),
    (7, {"target": "FSaleOrderEntry[].FQty"}, "same target as row 6"),
    (2, {"target": "FBillNo.FNumber"}, "conflicts with target FBillNo of row 1"),
    (1, {"target": "F Bill"}, "invalid target path"),
    (1, {"required": "yes"}, "required must be true or false"),
    (1, {"colour": "red"}, "unknown keys ['colour']"),
])
def test_validation_names_the_bad_row(row, changes, needle):
    with pytest.raises(MappingError) as info:
        Mapping.from_json(json.dumps(_bad_rule(row, **changes)))
    err = info.value
    assert err.row == row, err.user_message
    assert needle in err.user_message
    assert f"映射第 {row} 行" in err.user_message and f"Mapping row {row}" in err.user_message


def test_const_and_map_and_concat_need_their_args():
    for rule, needle in [
        (FieldRule("FX", transform="const"), "const needs args.value"),
        (FieldRule("FX", "a", "map", {"value": {}}), "map needs args.values"),
        (FieldRule("FX", transform="concat", args={"sources": []}), "concat needs args.sources"),
        (FieldRule("FX", transform="concat", args={"sources": ["a+b"]}), "invalid source fields"),
    ]:
        mapping = Mapping(flow="customers", source_object="AccountObj", form_id="BD_Customer", key_field="FNumber",
                          template={"FNumber": "K"}, rules=[FieldRule("FName", "name"), rule])
        with pytest.raises(MappingError) as info:
            mapping.validate()
        assert info.value.row == 2 and info.value.field == "FX" and needle in info.value.user_message


def test_bad_json_and_bad_top_level():
    with pytest.raises(MappingError, match=r"not valid JSON \(at 1:"):
        Mapping.from_json("{not json")
    with pytest.raises(MappingError, match="top level must be a JSON object"):
        Mapping.from_json("[]")
    data = _orders_dict()
    data["schema_version"] = 2
    with pytest.raises(MappingError, match="unsupported mapping schema_version 2") as info:
        Mapping.from_json(json.dumps(data))
    assert info.value.row is None and info.value.field == "schema_version"
    del data["schema_version"]
    assert Mapping.from_json(json.dumps(data)).schema_version == 1


@pytest.mark.parametrize(("changes", "field"), [
    ({"form_id": ""}, "form_id"),
    ({"key_field": "FNoSuchKey"}, "key_field"),
    ({"entry_key": None}, None),
    ({"template": []}, "template"),
    ({"options": {"Model": {}}}, "options"),
    ({"template": {"FSaleOrderEntry": {"FQty": 1}}}, "template"),
    ({"detail_link_field": None}, "detail_link_field"),
])
def test_mapping_level_errors_name_the_setting(changes, field):
    data = _orders_dict()
    data.update(changes)
    with pytest.raises(MappingError) as info:
        Mapping.from_json(json.dumps(data))
    if field is None:  # the entry rules are what breaks: named by row
        assert info.value.row == 5 and "entry_key" in info.value.user_message
    else:
        assert info.value.field == field


def test_mapping_is_keyword_only():
    with pytest.raises(TypeError):
        Mapping(1, "orders", "SalesOrderObj")  # type: ignore[misc]


def test_has_lines():
    assert load_default("orders").has_lines and not load_default("customers").has_lines


def test_ref_table_is_extendable_and_case_insensitive(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(refs, "REF_KINDS", dict(refs.REF_KINDS))
    mapping = load_default("customers")
    mapping.template["FCustTypeId"] = {"FNUMBER": "KHLB001_SYS"}
    mapping.template["FCOUNTRY"] = {"FNumber": "China"}
    assert "FCustTypeId" not in [r.path for r in apply(mapping, ACCOUNT, lookups=lookups(), settings=SETTINGS).refs]
    refs.register_ref("FCUSTTYPEID", "custtype", "BOS_ASSISTANTDATA_DETAIL")
    found = apply(mapping, ACCOUNT, lookups=lookups(), settings=SETTINGS).refs
    assert refs.BaseRef("custtype", "BOS_ASSISTANTDATA_DETAIL", "KHLB001_SYS", "FCustTypeId") in found
