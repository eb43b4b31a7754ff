"""``fxk3sync sandbox`` as a user runs it: one JSON line, both servers answer, Ctrl+C stops it cleanly."""

from __future__ import annotations

import json
import selectors
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
VALIDATE_USER = "Kingdee.BOS.WebApi.ServicesStub.AuthService.ValidateUser.common.kdsvc"


def _start(cli_env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "core.cli", "sandbox", *args], cwd=ROOT, env=cli_env, text=True,
        encoding="utf-8", stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def _first_line(proc: subprocess.Popen[str], timeout: float = 30) -> str:
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)  # type: ignore[arg-type]
        if not sel.select(timeout):
            proc.kill()
            pytest.fail(f"the sandbox printed nothing within {timeout}s; stderr: {proc.communicate()[1]}")
    return proc.stdout.readline()  # type: ignore[union-attr]


def _finish(proc: subprocess.Popen[str], sig: int = signal.SIGINT) -> tuple[int, str, str]:
    proc.send_signal(sig)
    try:
        out, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail("the sandbox did not stop on a signal; stderr: " + err)
    return proc.returncode, out, err


def _fx_token(s: requests.Session, fx: dict) -> dict:
    body = {"appId": fx["app_id"], "appSecret": fx["app_secret"], "permanentCode": fx["permanent_code"]}
    return s.post(fx["url"] + "cgi/corpAccessToken/get/V2", json=body, timeout=10).json()


@pytest.mark.posix
def test_sandbox_prints_one_json_line_serves_both_sides_and_stops_on_ctrl_c(cli_env):
    proc = _start(cli_env, "--fx-port", "0", "--k3-port", "0", "--seed", "3")
    try:
        line = _first_line(proc)
        info = json.loads(line)
        assert set(info) == {"fxiaoke", "k3cloud"}
        fx, k3 = info["fxiaoke"], info["k3cloud"]
        assert set(fx) == {"url", "app_id", "app_secret", "permanent_code", "open_user_id", "admin_mobile"}
        assert set(k3) == {"url", "acct_id", "username", "password", "app_id", "app_secret", "lcid", "org"}
        assert fx["open_user_id"].startswith("FSUID_") and k3["url"].endswith("/K3Cloud/")
        assert k3["lcid"] == 2052 and k3["org"] == "100" and "_" in k3["app_id"]
        with requests.Session() as s:
            token = _fx_token(s, fx)
            assert token["errorCode"] == 0 and token["corpAccessToken"]
            emp = s.post(fx["url"] + "cgi/user/getByMobile", timeout=10, json={
                "corpAccessToken": token["corpAccessToken"], "corpId": token["corpId"], "mobile": fx["admin_mobile"]})
            assert emp.json()["empList"][0]["openUserId"] == fx["open_user_id"]
            login = s.post(k3["url"] + VALIDATE_USER, timeout=10,
                           json={"parameters": [k3["acct_id"], k3["username"], k3["password"], k3["lcid"]]})
            assert login.json()["LoginResultType"] == 1
    finally:
        code, rest, err = _finish(proc)
    assert code == 0, err
    assert rest == ""  # exactly one line on stdout; the rest went to stderr
    assert "sandbox running" in err and "Traceback" not in err


@pytest.mark.posix
def test_state_file_keeps_records_across_runs(cli_env, tmp_path):
    state = tmp_path / "sandbox.json"
    proc = _start(cli_env, "--seed", "4", "--state", str(state))
    try:
        fx = json.loads(_first_line(proc))["fxiaoke"]
        with requests.Session() as s:
            t = _fx_token(s, fx)
            created = s.post(fx["url"] + "cgi/crm/v2/data/create", timeout=10, json={
                "corpAccessToken": t["corpAccessToken"], "corpId": t["corpId"], "currentOpenUserId": fx["open_user_id"],
                "data": {"object_data": {"dataObjectApiName": "AccountObj", "name": "留存客户有限公司"}}}).json()
            assert created["errorCode"] == 0
    finally:
        code, _, err = _finish(proc, signal.SIGTERM)
    assert code == 0, err
    assert json.loads(state.read_text("utf-8"))["seed"] == 4

    proc = _start(cli_env, "--seed", "4", "--state", str(state))
    try:
        fx = json.loads(_first_line(proc))["fxiaoke"]
        records = requests.post(fx["url"] + "__sandbox__/admin/records", json={"api_name": "AccountObj"},
                                timeout=10).json()["records"]
        assert created["dataId"] in {r["_id"] for r in records}
    finally:
        assert _finish(proc)[0] == 0


def test_a_port_in_use_is_a_usage_error_not_a_traceback(cli_env):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        res = subprocess.run([sys.executable, "-m", "core.cli", "sandbox", "--fx-port", port], cwd=ROOT,
                             env=cli_env, capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert res.returncode == 2 and res.stdout == ""
    assert "--fx-port" in res.stderr and "Traceback" not in res.stderr
