"""K3Cloud client against the sandbox over real HTTP: logins, sessions, writes, outcome-unknown, queries."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from core.errors import BadResponseError, K3CloudAuthError, K3CloudError, OutcomeUnknownError, RequestTimeoutError
from core.http import HttpClient, RetryPolicy, Timeouts
from core.k3cloud.client import K3CloudClient
from core.profiles import Profile
from core.sandbox import start_sandbox
from tests.helpers_k3cloud import Recorder, k3_profile

MODES = ("password", "appsecret", "signed")


@pytest.fixture
def sb():
    with start_sandbox(seed=1, demo_sizes={"customers": 20, "orders": 5, "products": 30}) as sandbox:
        yield sandbox


def make_client(sb, mode: str = "password", recorder: Recorder | None = None, **changes) -> K3CloudClient:
    profile, secrets = k3_profile(sb.credentials()["k3cloud"], mode, **changes)
    http = HttpClient("k3cloud", profile.k3_url, retry=RetryPolicy(attempts=2, base=0.01, cap=0.02),
                      timeouts=Timeouts(profile.connect_timeout, profile.read_timeout),
                      sinks=[recorder] if recorder else [])
    return K3CloudClient(profile, secrets, http=http)


def customer(number: str, name: str = "测试客户", **extra) -> dict:
    return {"FCUSTID": 0, "FCreateOrgId": {"FNumber": "100"}, "FUseOrgId": {"FNumber": "100"}, "FNumber": number,
            "FName": name, **extra}


def count(sb, form_id: str, number: str, key: str = "FNumber") -> int:
    records = sb.k3_app.admin("records", {"form_id": form_id})["records"]
    return sum(1 for r in records if r.get(key) == number)


@pytest.mark.parametrize("mode", MODES)
def test_every_login_mode_reads_and_keeps_secrets_out_of_the_log(sb, mode):
    rec = Recorder()
    creds = sb.credentials()["k3cloud"]
    with make_client(sb, mode, rec) as client:
        client.login()
        assert client.logged_in
        rows = client.query("BD_Customer", ["FNumber", "FName"], order="FNumber", limit=3)
    assert [r[0] for r in rows] == ["CUST-0001", "CUST-0002", "CUST-0003"]
    login_calls = rec.endpoints("AuthService")
    assert len(login_calls) == (0 if mode == "signed" else 1)
    if mode == "signed":
        assert rec.records[-1].request_headers["X-Kd-Signature"] == "***"
    log = rec.dump()
    for secret in (creds["password"], creds["app_secret"], creds["app_id"].split("_")[1]):
        assert secret not in log
    if mode != "signed":
        assert client._sid and client._sid not in log


@pytest.mark.parametrize("mode,changes,field", [
    ("password", {"k3_password": "wrong-password"}, "k3_password"),
    ("appsecret", {"k3_app_secret": "0" * 32}, "k3_app_secret"),
    ("signed", {"k3_app_secret": "0" * 32}, "k3_app_secret"),
    ("password", {"k3_acct_id": "nosuchacct"}, "k3_acct_id"),
    ("signed", {"k3_acct_id": "nosuchacct"}, "k3_acct_id"),
])
def test_refused_logins_name_the_setting(sb, mode, changes, field):
    with make_client(sb, mode, **changes) as client, pytest.raises(K3CloudAuthError) as err:
        client.login()
    assert err.value.field == field
    assert not client.logged_in
    assert err.value.message.zh and err.value.advice.en


def test_session_expiry_mid_run_is_transparent_for_reads(sb):
    sb.k3_app.admin("knobs", {"session_expire_after_calls": 3})
    rec = Recorder()
    with make_client(sb, recorder=rec) as client:
        seen = [client.query("BD_MATERIAL", ["FNumber"], order="FNumber", start=i, limit=1)[0][0] for i in range(10)]
    assert seen == [f"MAT-{i:04d}" for i in range(1, 11)]
    logins = rec.endpoints("ValidateUser")
    assert len(logins) == 1 + 3  # the first login, then one per session that died after 3 calls
    assert len(rec.endpoints("ExecuteBillQuery")) == 10 + 3  # each lost call retried exactly once


def test_a_write_after_the_session_died_is_outcome_unknown_and_not_resent(sb):
    with make_client(sb) as client:
        client.login()
        sb.k3_app.admin("expire_sessions", {})
        with pytest.raises(OutcomeUnknownError) as err:
            client.save("BD_Customer", customer("CUST-T100"), idem_key="CUST-T100")
        assert err.value.idem_keys == ["CUST-T100"]
        assert count(sb, "BD_Customer", "CUST-T100") == 0  # it was refused, and not sent again
        assert client.save("BD_Customer", customer("CUST-T100"), idem_key="CUST-T100").ok  # logged in again


def test_an_ambiguous_write_raises_with_the_key_and_lands_once(sb):
    sb.k3_server.set_faults(ambiguous_writes=1)
    with make_client(sb) as client:
        with pytest.raises(OutcomeUnknownError) as err:
            client.save("BD_Customer", customer("CUST-T200"), idem_key="CUST-T200")
        assert err.value.idem_keys == ["CUST-T200"]
        found = client.existing_numbers("BD_Customer", "FNumber", ["CUST-T200", "CUST-NOPE"])
    assert list(found) == ["CUST-T200"] and found["CUST-T200"]["status"] == "A" and found["CUST-T200"]["id"]
    assert count(sb, "BD_Customer", "CUST-T200") == 1


def test_an_ambiguous_batch_save_carries_every_key(sb):
    sb.k3_server.set_faults(ambiguous_writes=1)
    with make_client(sb) as client, pytest.raises(OutcomeUnknownError) as err:
        client.batch_save("BD_Customer", [customer("CUST-T301"), customer("CUST-T302")],
                          idem_keys=["CUST-T301", "CUST-T302"])
    assert err.value.idem_keys == ["CUST-T301", "CUST-T302"]


def test_batch_save_reports_each_row_by_dindex(sb):
    models = [customer("CUST-T401"), customer("CUST-T402", FTRADINGCURRID={"FNumber": "NOPE"}), customer("CUST-T403")]
    with make_client(sb) as client:
        result = client.batch_save("BD_Customer", models, idem_keys=["CUST-T401", "CUST-T402", "CUST-T403"],
                                   verify_base_data=True)
    assert not result.ok
    assert [r.ok for r in result.rows] == [True, False, True]
    assert [r.dindex for r in result.rows] == [0, 1, 2]
    assert result.rows[0].number == "CUST-T401" and result.rows[2].number == "CUST-T403"
    assert result.rows[0].id and result.rows[2].id and result.rows[0].id != result.rows[2].id
    bad = result.rows[1]
    assert bad.errors and bad.errors[0].field == "FTRADINGCURRID" and bad.errors[0].dindex == 1
    assert count(sb, "BD_Customer", "CUST-T402") == 0
    assert count(sb, "BD_Customer", "CUST-T403") == 1


def test_duplicate_number_is_msg_code_11(sb):
    with make_client(sb) as client:
        result = client.save("BD_Customer", customer("CUST-0001"), idem_key="CUST-0001")
        assert not result.ok and result.msg_code == 11
        assert result.rows[0].errors[0].field == "FNumber"
        assert "CUST-0001" in result.rows[0].errors[0].message
        with pytest.raises(K3CloudError) as err:
            result.raise_for_error("BD_Customer")
    assert err.value.msg_code == 11
    assert "编码" in err.value.advice.zh


def test_save_submit_audit_view_and_delete(sb):
    with make_client(sb, "appsecret") as client:
        saved = client.save("BD_Customer", customer("CUST-T500", "上海测试有限公司"), idem_key="CUST-T500",
                            need_return_fields=["FNumber", "FName"])
        assert saved.ok and saved.rows[0].id and saved.need_return_data
        assert client.submit("BD_Customer", numbers=["CUST-T500"]).ok
        audit = client.audit("BD_Customer", ids=[saved.rows[0].id])
        assert audit.ok and audit.rows[0].number == "CUST-T500"
        record = client.view("BD_Customer", number="CUST-T500")
        assert record is not None and "上海测试有限公司" in str(record)
        assert client.view("BD_Customer", number="CUST-NOPE") is None
        refused = client.delete("BD_Customer", numbers=["CUST-T500", "CUST-NOPE"])
        assert not refused.ok and [r.ok for r in refused.rows] == [False, False]
        assert refused.rows[1].errors[0].dindex == 1
        assert client.unaudit("BD_Customer", numbers=["CUST-T500"]).ok
        assert client.delete("BD_Customer", numbers=["CUST-T500"]).ok
        assert client.view("BD_Customer", id=saved.rows[0].id) is None


def test_query_paging_sees_every_row_once(sb):
    rec = Recorder()
    with make_client(sb, recorder=rec) as client:
        rows = list(client.query_all("BD_MATERIAL", ["FNumber", "FName"], order="FNumber", page_size=7))
    numbers = [r["FNumber"] for r in rows]
    assert numbers == [f"MAT-{i:04d}" for i in range(1, 31)]
    assert set(rows[0]) == {"FNumber", "FName"}
    assert len(rec.endpoints("ExecuteBillQuery")) == 5  # 7+7+7+7+2


def test_query_errors_arrive_nested_and_are_explained(sb):
    with make_client(sb) as client:
        with pytest.raises(K3CloudError) as err:
            client.query("BD_Customer", ["FNumber", "FNoSuchField"])
        assert err.value.msg_code == 9 and "FNoSuchField" in err.value.message.zh
        with pytest.raises(K3CloudError) as err:
            client.bill_query("BD_Customer", ["FNoSuchField"])
        assert err.value.msg_code == 9
        rows = client.bill_query("BD_Customer", ["FNumber", "FName"], filter="FNumber = 'CUST-0002'")
        assert rows and rows[0]["FNumber"] == "CUST-0002"


def test_existing_numbers_chunks_and_quotes(sb):
    rec = Recorder()
    wanted = [f"CUST-{i:04d}" for i in range(1, 16)] + ["O'Brien"]
    with make_client(sb, recorder=rec) as client:
        found = client.existing_numbers("BD_Customer", "FNumber", wanted, chunk=4)
    assert sorted(found) == [f"CUST-{i:04d}" for i in range(1, 11)]
    assert all(v["status"] == "C" and v["id"] for v in found.values())
    assert len(rec.endpoints("ExecuteBillQuery")) == 4


def test_data_centers_and_business_info(sb):
    creds = sb.credentials()["k3cloud"]
    with make_client(sb) as client:
        centers = client.data_centers()
        assert not client.logged_in  # no login needed
        info = client.query_business_info("SAL_SaleOrder")
    assert [c["Id"] for c in centers] == [creds["acct_id"]]
    assert "FBillNo" in str(info)


@pytest.mark.parametrize("fault", ["html_error_rate", "response_error_rate", "error_500_rate"])
def test_malformed_sandbox_answers(sb, fault):
    with make_client(sb) as client:
        client.login()
        sb.k3_server.set_faults(**{fault: 1.0})
        with pytest.raises(BadResponseError):
            client.query("BD_Customer", ["FNumber"])
        with pytest.raises(OutcomeUnknownError) as err:
            client.save("BD_Customer", customer("CUST-T600"), idem_key="CUST-T600")
        assert err.value.idem_keys == ["CUST-T600"]


def test_a_write_that_times_out_is_outcome_unknown_and_lands_once(sb):
    with make_client(sb, read_timeout=0.3) as client:
        client.login()
        sb.k3_server.set_faults(latency_ms=600)
        with pytest.raises(OutcomeUnknownError) as err:
            client.save("BD_Customer", customer("CUST-T700"), idem_key="CUST-T700")
        sb.k3_server.set_faults(latency_ms=0)
        assert err.value.idem_keys == ["CUST-T700"]
        found = {}
        for _ in range(50):  # the server finishes the write after the client gave up
            found = client.existing_numbers("BD_Customer", "FNumber", ["CUST-T700"])
            if found:
                break
            time.sleep(0.05)
    assert list(found) == ["CUST-T700"]
    assert count(sb, "BD_Customer", "CUST-T700") == 1


def test_logout_ends_the_session_and_the_next_call_logs_in_again(sb):
    with make_client(sb) as client:
        client.login()
        assert sb.k3_app.admin("sessions", {})["count"] == 1
        client.logout()
        assert not client.logged_in
        assert sb.k3_app.admin("sessions", {})["count"] == 0
        assert client.query("BD_Customer", ["FNumber"], limit=1)
        assert client.logged_in


def test_exchange_records_carry_the_msg_code(sb):
    rec = Recorder()
    with make_client(sb, recorder=rec) as client:
        client.save("BD_Customer", customer("CUST-0002"), idem_key="CUST-0002")
    save = rec.endpoints("DynamicFormService.Save")[-1]
    assert save.code == "11"
    assert rec.endpoints("ValidateUser")[0].code is None


def test_timeouts_come_from_the_profile_with_10_and_60_s_defaults(sb):
    profile, secrets = k3_profile(sb.credentials()["k3cloud"])
    defaults = replace(profile, connect_timeout=Profile.connect_timeout, read_timeout=Profile.read_timeout)
    with K3CloudClient(defaults, secrets) as client:
        assert (client.http.timeouts.connect, client.http.timeouts.read) == (10.0, 60.0)
    sb.k3_server.set_faults(latency_ms=500)
    try:
        with K3CloudClient(replace(profile, read_timeout=0.2), secrets) as client, \
                pytest.raises(RequestTimeoutError) as err:
            client.login()
    finally:
        sb.k3_server.set_faults(latency_ms=0)
    assert "0.2 s" in err.value.message.en
