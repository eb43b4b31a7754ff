"""The clerk's command line (issue 16): profile set/show with one spelling, the inbox, list with a header in number
order, deliveries saying how many messages went out, the 30003 check verdict, the secret prompt without echo."""

from __future__ import annotations

import json
import os
import select
import sys
import time
from pathlib import Path

import pytest

from core.sandbox import start_sandbox
from tests.helpers_cli import cli
from tests.helpers_sync import PROFILE, ROOT, cli_add_profile, fx_records, live_orders, sync_json

ADD = ["profile", "add", "华东", "--fx-app-id", "FSAID_131", "--fx-admin-mobile", "13800000000",
       "--k3-url", "https://erp.example.com/K3Cloud/", "--k3-acct-id", "5f0c1e", "--k3-user", "api"]


@pytest.fixture
def sb():
    with start_sandbox(seed=16, demo_sizes={"orders": 30, "customers": 12, "products": 10}) as s:
        s.fx_app.admin("knobs", {"token_calls_per_minute": 1000})
        yield s


@pytest.fixture
def env(sb, cli_env):
    env = {**cli_env, "PYTHONIOENCODING": "utf-8"}
    cli_add_profile(env, sb)
    return env


def _ring(env: dict[str, str]) -> dict[str, str]:
    path = Path(env["FXK3SYNC_TEST_KEYRING_FILE"])
    return json.loads(path.read_text("utf-8")) if path.exists() else {}


def test_profile_set_changes_only_what_is_given_and_keeps_the_secrets(cli_env):
    env = {**cli_env, "PYTHONIOENCODING": "utf-8"}
    assert cli(env, *ADD).returncode == 0
    assert cli(env, "secret", "set", "华东", "k3-password", stdin="pw-1\n").returncode == 0
    before = json.loads(cli(env, "profile", "show", "华东", "--json").stdout)
    res = cli(env, "profile", "set", "华东", "--k3-org", "101", "--k3_user", "api2", "--writeback", "true")
    assert res.returncode == 0, res.stderr
    assert "--k3-org" in res.stdout and "--k3-user" in res.stdout
    after = json.loads(cli(env, "profile", "show", "华东", "--json").stdout)
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {"k3_org", "k3_user", "writeback"}
    assert (after["k3_org"], after["k3_user"], after["writeback"]) == ("101", "api2", True)
    assert _ring(env) == {"fxk3sync\x00华东:k3-password": "pw-1"}, "secrets kept"
    assert after["secrets"] == {"fx-app-secret": False, "fx-permanent-code": False, "k3-password": True,
                                "k3-app-secret": False}
    # the other operator setting replaces the first (exactly one of them holds)
    assert cli(env, "profile", "set", "华东", "--fx-open-user-id", "FSUID_9").returncode == 0
    who = json.loads(cli(env, "profile", "show", "华东", "--json").stdout)
    assert (who["fx_open_user_id"], who["fx_admin_mobile"]) == ("FSUID_9", None)
    bad = cli(env, "profile", "set", "华东", "--k3-url", "https://erp.example.com/")
    assert bad.returncode == 2 and "/K3Cloud/" in bad.stderr
    assert json.loads(cli(env, "profile", "show", "华东", "--json").stdout)["k3_url"].endswith("/K3Cloud/")
    assert cli(env, "profile", "set", "华东").returncode == 2  # nothing to change is a usage error


def test_profile_show_prints_every_setting_in_the_cli_spelling_which_set_takes_back(cli_env):
    env = {**cli_env, "PYTHONIOENCODING": "utf-8"}
    assert cli(env, *ADD).returncode == 0
    assert cli(env, "secret", "set", "华东", "k3-password", stdin="S3cret-x\n").returncode == 0
    shown = cli(env, "profile", "show", "华东")
    assert shown.returncode == 0, shown.stderr
    assert "S3cret-x" not in shown.stdout and "S3cret-x" not in cli(env, "profile", "show", "华东", "--json").stdout
    lines = {ln.split()[0]: ln.split(None, 1)[1] for ln in shown.stdout.splitlines() if ln.startswith("  --")}
    assert lines["--k3-acct-id"] == "5f0c1e" and lines["--k3-org"] == "100" and lines["--submit"] == "true"
    assert lines["--fx-open-user-id"] == '""' and lines["--k3-lcid"] == "2052"
    assert {"--batch-size", "--read-timeout", "--writeback", "--ca-bundle", "--k3-auth"} <= set(lines)
    assert "k3-password" in shown.stdout and "已保存 stored" in shown.stdout
    # every printed line goes back into profile set unchanged
    args = [part for flag, value in lines.items() for part in (flag, json.loads(value) if value.startswith('"')
                                                                 else value)]
    again = cli(env, "profile", "set", "华东", *args)
    assert again.returncode == 0, again.stderr
    assert cli(env, "profile", "show", "华东").stdout == shown.stdout
    listed = cli(env, "profile", "list")
    assert "https://open.fxiaoke.com" in listed.stdout and "https://erp.example.com/K3Cloud/" in listed.stdout


def test_secret_hint_suggests_the_prompt_not_echo(cli_env):
    env = {**cli_env, "PYTHONIOENCODING": "utf-8"}
    assert cli(env, *ADD).returncode == 0
    res = cli(env, "secret", "set", "华东", "k3-password", stdin="")
    assert res.returncode == 2 and "echo VALUE |" not in res.stderr and "echo 值 |" not in res.stderr
    assert "fxk3sync secret set NAME k3-password" in res.stderr and "does not show what you type" in res.stderr


@pytest.mark.posix
def test_secret_set_in_a_terminal_prompts_without_echo(cli_env):
    import pty

    env = {**cli_env, "PYTHONIOENCODING": "utf-8"}
    assert cli(env, *ADD).returncode == 0
    pid, fd = pty.fork()
    if pid == 0:  # the child: the CLI with the pseudo-terminal as its controlling terminal
        os.chdir(ROOT)
        os.execve(sys.executable, [sys.executable, "-m", "core.cli", "secret", "set", "华东", "k3-password"], env)
    seen = b""

    def read_until(marker: bytes, timeout: float = 30) -> None:
        nonlocal seen
        end = time.monotonic() + timeout
        while marker not in seen and time.monotonic() < end:
            if select.select([fd], [], [], 0.2)[0]:
                try:
                    seen += os.read(fd, 4096)
                except OSError:
                    return

    read_until(b"k3-password: ")
    assert b"k3-password: " in seen, seen
    os.write(fd, b"typed-S3cret\n")
    read_until(b"stored in")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, seen
    assert b"typed-S3cret" not in seen, "the terminal must not echo the secret"
    assert _ring(env) == {"fxk3sync\x00华东:k3-password": "typed-S3cret"}


def test_inbox_lists_what_needs_a_person_grouped_and_exits_0(sb, env):
    empty = cli(env, "inbox", PROFILE)
    assert empty.returncode == 0 and "Nothing needs attention" in empty.stdout
    pid = sb.fx_app.admin("add_records", {"api_name": "ProductObj", "records": [
        {"name": "停产阀门", "product_code": "MAT-9", "unit": "1", "price": "9.00"}]})["ids"][0]
    orders = live_orders(sb, 2)
    bad = []
    for n in range(2):
        oid = sb.fx_app.admin("add_records", {"api_name": "SalesOrderObj", "records": [
            {"name": f"INBOX-{n}", "account_id": orders[0]["account_id"], "order_time": 1790000000000,
             "life_status": "normal"}]})["ids"][0]
        sb.fx_app.admin("add_records", {"api_name": "SalesOrderProductObj", "records": [
            {"order_id": oid, "product_id": pid, "quantity": "1", "sales_price": "9"}]})
        bad.append(oid)
    code, _out, err = sync_json(env, PROFILE, "orders", "--ids", ",".join(bad + [o["_id"] for o in orders]))
    assert code == 1, err
    text = cli(env, "inbox", PROFILE)
    assert text.returncode == 0, text.stderr
    assert "物料 MAT-9 在金蝶中不存在：2 张订单" in text.stdout
    assert "Material MAT-9 does not exist in K3Cloud: 2 orders" in text.stdout
    assert "INBOX-0" in text.stdout and "INBOX-1" in text.stdout
    assert f"fxk3sync sync {PROFILE} orders --ids " in text.stdout
    res = cli(env, "inbox", PROFILE, "--json")
    assert res.returncode == 0
    data = json.loads(res.stdout)
    assert data["count"] == 2 and len(data["groups"]) == 1
    (group,) = data["groups"]
    assert group["cause"] == "missing_base_data" and group["count"] == 2 and group["can_retry"] is True
    assert "物料 MAT-9 在金蝶中不存在" in group["title"] and "does not exist in K3Cloud" in group["title"]
    assert sorted(r["number"] for r in group["records"]) == ["INBOX-0", "INBOX-1"]
    assert {r["source_id"] for r in group["records"]} == set(bad) and len(group["item_ids"]) == 2
    assert all(r["error"]["code"] == "missing_base_data" for r in group["records"])


def test_list_prints_a_header_and_sorts_by_the_number(sb, env):
    res = cli(env, "list", PROFILE, "orders")
    assert res.returncode == 0, res.stderr
    rows = res.stdout.splitlines()
    assert rows[0].split("\t")[0] == "订单编号 Number" and "Fxiaoke _id" in rows[0]
    numbers = [r.split("\t")[0] for r in rows[1:]]
    assert numbers == sorted(numbers) and len(numbers) == len(fx_records(sb, "SalesOrderObj"))
    ids = [r.split("\t")[-1] for r in rows[1:]]
    assert ids != sorted(ids), "the demo's _ids are not in number order: the sort is by number"
    customers = cli(env, "list", PROFILE, "customers").stdout.splitlines()
    assert customers[0].startswith("客户编号 Number")
    assert [r.split("\t")[0] for r in customers[1:]] == sorted(r.split("\t")[0] for r in customers[1:])


def test_sync_text_names_the_stage_in_both_languages_and_no_selector_runs_incrementally(sb, env):
    order = live_orders(sb, 1)[0]
    res = cli(env, "sync", PROFILE, "orders", "--ids", order["_id"])
    assert res.returncode == 0, res.stderr
    assert "[已审核 audited]" in res.stdout
    none = cli(env, "sync", PROFILE, "orders", "--json")  # the contract: no selector = incremental, not an error
    assert none.returncode in (0, 1), none.stderr
    assert order["_id"] not in {i["source_id"] for i in json.loads(none.stdout)["items"]}  # synced and unchanged


def test_deliveries_say_how_many_messages_were_sent(sb, env):
    orders = live_orders(sb, 3)
    code, _out, err = sync_json(env, PROFILE, "orders", "--ids", ",".join(o["_id"] for o in orders))
    assert code == 0, err
    sb.k3_app.admin("ship", {"bill_nos": [o["name"] for o in orders[:2]]})
    res = cli(env, "sync", PROFILE, "deliveries")
    assert res.returncode == 0, res.stderr
    assert "已向订单负责人发送 2 条发货消息" in res.stdout and "2 shipment messages sent" in res.stdout


def test_check_refused_for_want_of_an_openapi_package_does_not_point_at_a_setting(sb, env):
    sb.fx_app.admin("knobs", {"openapi_package": False})
    res = cli(env, "check", PROFILE)
    assert res.returncode == 3, res.stdout + res.stderr
    assert "30003" in res.stdout
    assert "fix the setting named above" not in res.stdout and "setting to fix" not in res.stdout
    assert "do what the message above says" in res.stdout
