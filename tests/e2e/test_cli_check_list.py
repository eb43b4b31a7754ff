"""`fxk3sync check` and `fxk3sync list` as subprocesses against the sandbox, exit codes per the CLI contract."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from core.sandbox import start_sandbox
from tests.helpers_cli import add_sandbox_profile, cli

NAME = "华东-沙箱"


@pytest.fixture(scope="module")
def sandbox():
    with start_sandbox(seed=4, demo_sizes={"customers": 130, "orders": 230, "products": 12}) as sb:
        # every test starts with an empty keyring file, so each fetches a token; lift the 10/min token limit
        sb.fx_app.admin("knobs", {"token_calls_per_minute": 1000})
        yield sb


@pytest.fixture
def env(cli_env: dict[str, str], sandbox) -> dict[str, str]:
    """A profile for the sandbox with every secret stored through the CLI."""
    env = {**cli_env, "PYTHONIOENCODING": "utf-8"}
    add_sandbox_profile(env, sandbox, NAME)
    return env


def _exchanges(home: Path) -> list[tuple[str, str]]:
    con = sqlite3.connect(home / "fxk3sync.db")
    try:
        return con.execute("SELECT endpoint, request_text FROM exchanges WHERE side = 'fxiaoke' ORDER BY id").fetchall()
    finally:
        con.close()


def test_check_json_reports_both_sides_ok_and_exits_0(env, sandbox, home):
    res = cli(env, "check", NAME, "--json")
    assert res.returncode == 0, res.stdout + res.stderr
    out = json.loads(res.stdout)
    assert set(out) == {"fxiaoke", "k3cloud"}
    for side in out.values():
        assert set(side) == {"ok", "code", "message"} and side["ok"] is True
    secrets = [v for side in sandbox.credentials().values() for k, v in side.items()
               if k in ("app_secret", "permanent_code", "password")]
    for _endpoint, body in _exchanges(home):
        assert not any(s in (body or "") for s in secrets)


def test_check_human_output_marks_each_step(env):
    res = cli(env, "check", NAME)
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.count("✓") >= 8 and "✗" not in res.stdout
    for step in ("reachable", "token", "operator", "query", "login"):
        assert step in res.stdout


def test_check_with_a_wrong_secret_exits_3_and_names_the_setting(env):
    assert cli(env, "secret", "set", NAME, "fx-app-secret", stdin="not-the-secret\n").returncode == 0
    res = cli(env, "check", NAME, "--json")
    assert res.returncode == 3
    out = json.loads(res.stdout)
    assert out["fxiaoke"]["ok"] is False and out["fxiaoke"]["code"] == "10006" and out["k3cloud"]["ok"] is True
    human = cli(env, "check", NAME)
    assert human.returncode == 3 and "✗" in human.stdout and "fx_app_secret" in human.stdout


def test_check_of_an_unknown_profile_is_a_usage_error(env):
    res = cli(env, "check", "no-such-profile")
    assert res.returncode == 2 and "no-such-profile" in res.stderr


def test_list_customers_without_limit_prints_every_record(env, sandbox):
    res = cli(env, "list", NAME, "customers", "--json")
    assert res.returncode == 0, res.stderr
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    expected = {r["_id"] for r in sandbox.fx_app.crm.all("AccountObj")}
    assert len(rows) == len(expected) == 130 and {r["_id"] for r in rows} == expected


def test_list_orders_without_lines_asks_only_for_orders(env, sandbox, home):
    res = cli(env, "list", NAME, "orders", "--json")
    assert res.returncode == 0, res.stderr
    orders = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(orders) == 230 and not any("lines" in o for o in orders)
    assert not [e for e, b in _exchanges(home) if "SalesOrderProductObj" in b]  # lines only with --lines


def test_list_orders_with_lines_fetches_them_in_batches(env, sandbox, home):
    res = cli(env, "list", NAME, "orders", "--lines", "--json")
    assert res.returncode == 0, res.stderr
    orders = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(orders) == 230
    lines_by_order: dict[str, set[str]] = {}
    for line in sandbox.fx_app.crm.all("SalesOrderProductObj"):
        lines_by_order.setdefault(line["order_id"], set()).add(line["_id"])
    for o in orders:
        assert {line["_id"] for line in o["lines"]} == lines_by_order.get(o["_id"], set())
    line_queries = [b for e, b in _exchanges(home) if e.endswith("data/query") and "SalesOrderProductObj" in b]
    assert 3 <= len(line_queries) < 40  # three batches of orders, a few pages each, never one call per order
    assert all('"IN"' in b for b in line_queries)


def test_list_with_limit_and_human_output(env):
    res = cli(env, "list", NAME, "orders", "--limit", "5", "--json")
    assert res.returncode == 0, res.stderr
    assert len(res.stdout.splitlines()) == 5
    human = cli(env, "list", NAME, "customers", "--limit", "3")
    assert human.returncode == 0 and len(human.stdout.splitlines()) == 1 + 3 and "CUST-" in human.stdout  # + header
    assert "共 3 条 / 3 records" in human.stderr
    orders = cli(env, "list", NAME, "orders", "--limit", "2")
    assert orders.returncode == 0 and len(orders.stdout.splitlines()) == 1 + 2
    assert all("公司" in line.split("\t")[1] for line in orders.stdout.splitlines()[1:])  # the customer's name
    assert cli(env, "list", NAME, "orders", "--limit", "0", "--json").stdout == ""


def test_list_runs_reuse_the_operator_and_the_token_between_processes(env, home, sandbox):
    before = sandbox.fx_app.admin("token_calls", {})["count"]
    for _ in range(3):
        assert cli(env, "list", NAME, "customers", "--limit", "1").returncode == 0
    endpoints = [e for e, _ in _exchanges(home)]
    assert endpoints.count("cgi/user/getByMobile") == 1
    assert endpoints.count("cgi/corpAccessToken/get/V2") == 1
    assert sandbox.fx_app.admin("token_calls", {})["count"] == before + 1


def test_list_when_fxiaoke_is_unreachable_exits_3(cli_env):
    env = {**cli_env, "PYTHONIOENCODING": "utf-8"}
    moved = cli(env, "profile", "add", "gone", "--fx-url", "http://127.0.0.1:9/", "--fx-app-id", "FSAID_x",
                "--fx-open-user-id", "FSUID_x", "--k3-url", "http://127.0.0.1:9/K3Cloud/", "--k3-acct-id", "1",
                "--k3-user", "u")
    assert moved.returncode == 0, moved.stderr
    for key in ("fx-app-secret", "fx-permanent-code"):
        assert cli(env, "secret", "set", "gone", key, stdin="whatever-123\n").returncode == 0
    res = cli(env, "list", "gone", "customers")
    assert res.returncode == 3 and "refused" in res.stderr
