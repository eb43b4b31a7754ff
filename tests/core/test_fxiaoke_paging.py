"""Paged queries over real HTTP: 250 rows, 12,000 rows (keyset past 10,000), ties, get_many, count, filters."""

from __future__ import annotations

import pytest

from core.fxiaoke.query import MAX_OFFSET
from tests.helpers_fxiaoke import fx_sandbox

BIG = 12_000


@pytest.fixture(scope="module")
def big_env():
    with fx_sandbox(customers=5, orders=5) as env:
        env.app.admin("add_records", {"api_name": "AccountObj", "records": [
            {"account_no": f"BULK-{i:05d}", "tel": str(i)} for i in range(BIG)]})
        yield env


def _offsets_and_keysets(env) -> tuple[list[int], list[list[dict]]]:
    reqs = [env.request(r)["data"]["search_query_info"] for r in env.calls_to("data/query")]
    return [q["offset"] for q in reqs], [q["filters"] for q in reqs]


def test_paging_across_250_records_returns_each_once():
    with fx_sandbox(customers=250) as env, env.client() as fx:
        rows = list(fx.query("AccountObj"))
        ids = [r["_id"] for r in rows]
        assert len(ids) == 250 and set(ids) == {r["_id"] for r in env.app.crm.all("AccountObj")}
        assert ids == sorted(ids)  # stable order: _id ascending
        offsets, _ = _offsets_and_keysets(env)
        assert offsets == [0, 100, 200]


def test_paging_across_12000_records_switches_to_keyset_past_10000(big_env):
    env = big_env
    env.records.clear()
    with env.client() as fx:
        rows = list(fx.query("AccountObj", fields=["account_no"]))
    ids = [r["_id"] for r in rows]
    expected = {r["_id"] for r in env.app.crm.all("AccountObj")}
    assert len(ids) == len(set(ids)) == len(expected) == BIG + 5
    assert set(ids) == expected and ids == sorted(ids)
    offsets, filters = _offsets_and_keysets(env)
    assert max(offsets) < MAX_OFFSET
    keyset = [f for f in filters if any(x["field_name"] == "_id" and x["operator"] == "GT" for x in f)]
    assert keyset and len(offsets) == (BIG + 5) // 100 + 1
    assert all(r.code == "0" for r in env.records)


def test_incremental_query_over_12000_rows_with_equal_times_has_no_gaps(big_env):
    env = big_env
    env.records.clear()
    with env.client() as fx:
        rows = list(fx.modified_since("AccountObj", 0, fields=["account_no", "last_modified_time"]))
    ids = [r["_id"] for r in rows]
    assert len(ids) == len(set(ids)) == BIG + 5
    times = [r["last_modified_time"] for r in rows]
    assert times == sorted(times)  # oldest change first
    _, filters = _offsets_and_keysets(env)
    assert any(any(x["field_name"] == "last_modified_time" and x["operator"] == "EQ" for x in f) for f in filters)


def test_limit_stops_early_and_descending_order_is_kept():
    with fx_sandbox(customers=40) as env, env.client() as fx:
        rows = list(fx.query("AccountObj", orders=["-account_no"], limit=15, page_size=10))
        nos = [r["account_no"] for r in rows]
        assert len(nos) == 15 and nos == sorted(nos, reverse=True)
        assert len(env.calls_to("data/query")) == 2
        assert list(fx.query("AccountObj", limit=0)) == [] and len(env.calls_to("data/query")) == 2  # no call


def test_filters_and_count_agree():
    with fx_sandbox(customers=60) as env, env.client() as fx:
        flt = [("account_no", "IN", ["CUST-0001", "CUST-0002", "CUST-0003"])]
        assert fx.count("AccountObj", flt) == 3
        assert {r["account_no"] for r in fx.query("AccountObj", filters=flt)} == {"CUST-0001", "CUST-0002", "CUST-0003"}
        assert fx.count("AccountObj") == 60


def test_get_many_batches_in_queries_and_keeps_the_order_asked():
    with fx_sandbox(customers=250) as env, env.client() as fx:
        ids = [r["_id"] for r in env.app.crm.all("AccountObj")][::-1] + ["000000000000000000000000"]
        rows = fx.get_many("AccountObj", ids, fields=["name"])
        assert [r["_id"] for r in rows] == ids[:-1]
        queries = env.calls_to("data/query")
        assert len(queries) == 3
        assert all(len(env.request(q)["data"]["search_query_info"]["filters"][0]["field_values"]) <= 100
                   for q in queries)
