"""The credential doctor over real HTTP: each step, the first failure names the setting; both sides combined."""

from __future__ import annotations

from core.clients import ClientFactory
from core.commands.output import check_json
from core.doctor import run_doctor
from core.doctor_types import StepRunner
from core.errors import Text
from core.fxiaoke.doctor import check_fxiaoke
from core.profiles import Profile, ProfileSecrets
from core.sandbox import start_sandbox
from core.secrets import MemorySecretStore
from tests.helpers_core import tls_files
from tests.helpers_fxiaoke import APP_SECRET, PERMANENT_CODE, admin_mobile, fx_sandbox
from tests.helpers_sync import add_profile


def _names(steps) -> list[tuple[str, bool]]:
    return [(s.name, s.ok) for s in steps]


def test_all_fxiaoke_steps_pass_with_good_settings():
    with fx_sandbox() as env:
        steps = check_fxiaoke(env.profile, env.secrets, sinks=[env.records.append])
    assert _names(steps) == [("reachable", True), ("token", True), ("operator", True), ("query", True)]
    assert all(s.side == "fxiaoke" and s.elapsed_ms >= 0 for s in steps)
    assert [r.endpoint for r in env.records] == ["cgi/corpAccessToken/get/V2", "cgi/user/get", "cgi/crm/v2/data/query"]


def test_the_doctor_always_fetches_a_token_even_when_one_is_cached():
    with fx_sandbox() as env:
        check_fxiaoke(env.profile, env.secrets)
        check_fxiaoke(env.profile, env.secrets)
        assert env.token_calls() == 2


def test_wrong_app_secret_stops_at_token_and_names_it():
    with fx_sandbox() as env:
        steps = check_fxiaoke(env.profile, ProfileSecrets(fx_app_secret="nope-nope", fx_permanent_code=PERMANENT_CODE))
    assert _names(steps) == [("reachable", True), ("token", False)]
    assert steps[-1].field == "fx_app_secret" and steps[-1].code == "10006"
    assert "appSecret" in steps[-1].message.en
    # The server's own words are quoted and the advice starts a new sentence, in both languages.
    zh, en = steps[-1].message.zh, steps[-1].message.en
    assert "服务器原文：“" in zh and "”。请核对" in zh
    assert 'The server said: "' in en and '". Check the Fxiaoke appSecret' in en


def test_wrong_permanent_code_and_app_id_name_their_fields():
    with fx_sandbox() as env:
        bad_code = check_fxiaoke(env.profile, ProfileSecrets(fx_app_secret=APP_SECRET, fx_permanent_code="XXXXXXXX"))
        env.profile.fx_app_id = "FSAID_wrong"
        bad_app = check_fxiaoke(env.profile, env.secrets)
    assert (bad_code[-1].field, bad_code[-1].code) == ("fx_permanent_code", "20015")
    assert (bad_app[-1].field, bad_app[-1].code) == ("fx_app_id", "20006")


def test_missing_secret_is_reported_as_the_token_step():
    with fx_sandbox() as env:
        steps = check_fxiaoke(env.profile, ProfileSecrets(fx_permanent_code=PERMANENT_CODE))
    assert _names(steps) == [("token", False)] and steps[0].field == "fx_app_secret"
    assert "fxk3sync secret set 配置名 fx-app-secret" in steps[0].message.zh  # the command that fixes it


def test_unknown_operator_id_fails_the_operator_step():
    with fx_sandbox(fx_open_user_id="FSUID_" + "0" * 32) as env:
        steps = check_fxiaoke(env.profile, env.secrets)
    assert _names(steps)[-1] == ("operator", False) and steps[-1].field == "fx_open_user_id"
    assert steps[-1].code == "30027"


def test_operator_by_mobile_passes_and_a_wrong_mobile_names_it():
    with fx_sandbox(fx_open_user_id=None, fx_admin_mobile="13900000000") as env:
        bad = check_fxiaoke(env.profile, env.secrets)
        env.profile.fx_admin_mobile = admin_mobile(env)
        good = check_fxiaoke(env.profile, env.secrets)
    assert _names(bad)[-1] == ("operator", False) and bad[-1].field == "fx_admin_mobile"
    assert all(ok for _, ok in _names(good)) and len(good) == 4


def test_no_openapi_package_fails_the_query_step_with_the_advice():
    with fx_sandbox() as env:
        env.knobs(openapi_package=False)
        steps = check_fxiaoke(env.profile, env.secrets)
    last = steps[-1]
    assert last.name in ("operator", "query") and not last.ok and last.code == "30003"
    assert "OpenAPI" in last.message.en and "客户经理" in last.message.zh and last.field is None


def test_unreachable_server_fails_reachable_naming_the_url():
    with fx_sandbox() as env:
        url = env.url
    profile = Profile(name="gone", fx_url=url, fx_app_id="FSAID_x", fx_open_user_id="FSUID_x")
    steps = check_fxiaoke(profile, ProfileSecrets(fx_app_secret="s" * 8, fx_permanent_code="p" * 8))
    assert _names(steps) == [("reachable", False)] and steps[0].field == "fx_url"


def test_a_wrong_path_in_the_url_is_reported_as_the_url_not_the_secret():
    with fx_sandbox() as env:
        env.profile.fx_url = env.url + "openapi/"
        steps = check_fxiaoke(env.profile, env.secrets)
    assert _names(steps) == [("reachable", False)]
    assert (steps[0].field, steps[0].code) == ("fx_url", "404") and "https://open.fxiaoke.com" in steps[0].message.zh


def test_a_check_that_meets_an_unforeseen_error_fails_that_step_only():
    run = StepRunner("fxiaoke", "fx_url")
    assert run.step("token", lambda: Text("好", "fine"))
    assert not run.step("operator", lambda: {}["openUserId"])
    assert [(s.name, s.ok) for s in run.steps] == [("token", True), ("operator", False)]
    assert "KeyError" in run.steps[-1].message.en and "技术支持" in run.steps[-1].message.zh


def test_untrusted_certificate_names_the_ca_bundle(tmp_path):
    tls = tls_files(tmp_path)
    with fx_sandbox(tls=tls.server) as env:
        refused = check_fxiaoke(env.profile, env.secrets)
        env.profile.ca_bundle = tls.ca
        accepted = check_fxiaoke(env.profile, env.secrets)
    assert _names(refused) == [("reachable", False)] and refused[0].field == "ca_bundle"
    assert all(ok for _, ok in _names(accepted)) and "TLS" in accepted[0].message.en


def _sandbox_profile(sb, **over) -> tuple[Profile, ProfileSecrets]:
    c = sb.credentials()
    fx, k3 = c["fxiaoke"], c["k3cloud"]
    profile = Profile(name="doc", fx_url=fx["url"], fx_app_id=fx["app_id"], fx_open_user_id=fx["open_user_id"],
                      k3_url=k3["url"], k3_acct_id=k3["acct_id"], k3_user=k3["username"], k3_lcid=k3["lcid"],
                      k3_org=k3["org"])
    secrets = ProfileSecrets(fx_app_secret=fx["app_secret"], fx_permanent_code=fx["permanent_code"],
                             k3_password=over.pop("k3_password", k3["password"]))
    return profile, secrets


def test_run_doctor_checks_both_sides(db):
    with start_sandbox(seed=2, demo_sizes={"customers": 5, "orders": 3}) as sb:
        profile, secrets = _sandbox_profile(sb)
        pid = add_profile(db, profile)
        good = run_doctor(ClientFactory(profile, secrets, MemorySecretStore(), db, pid))
        profile2, bad_secrets = _sandbox_profile(sb, k3_password="wrong-password")
        bad = run_doctor(ClientFactory(profile2, bad_secrets, MemorySecretStore(), db, pid))
    assert good.ok and check_json(good)["fxiaoke"]["ok"] and check_json(good)["k3cloud"]["ok"]
    assert [s.name for s in good.fxiaoke] == ["reachable", "token", "operator", "query"]
    assert not bad.ok and check_json(bad)["fxiaoke"]["ok"] and not check_json(bad)["k3cloud"]["ok"]
    assert bad.k3cloud[-1].field == "k3_password"
