"""`fxk3sync profile add|list|remove` and `secret set` as subprocesses, exit codes per the CLI contract."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.helpers_cli import cli

ADD = ["profile", "add", "华东公司-正式", "--fx-app-id", "FSAID_131", "--fx-admin-mobile", "13800000000",
       "--k3-url", "https://erp.example.com/K3Cloud/", "--k3-acct-id", "5f0c1e", "--k3-user", "api"]
SECRET = "S3cr3t-密码-from-stdin"


def _ring(env: dict[str, str]) -> dict[str, str]:
    path = Path(env["FXK3SYNC_TEST_KEYRING_FILE"])
    return json.loads(path.read_text("utf-8")) if path.exists() else {}


def test_add_list_secret_remove(cli_env: dict[str, str], home: Path) -> None:
    env = {**cli_env, "PYTHONIOENCODING": "utf-8"}
    added = cli(env, *ADD)
    assert added.returncode == 0, added.stderr
    assert "华东公司-正式" in added.stdout

    listed = cli(env, "profile", "list", "--json")
    assert listed.returncode == 0
    profiles = json.loads(listed.stdout)
    assert [p["name"] for p in profiles] == ["华东公司-正式"]
    assert profiles[0]["k3_url"] == "https://erp.example.com/K3Cloud/" and profiles[0]["k3_lcid"] == 2052
    assert profiles[0]["fx_admin_mobile"] == "13800000000" and profiles[0]["k3_org"] == "100"

    table = cli(env, "profile", "list")
    assert table.returncode == 0 and "华东公司-正式" in table.stdout and "erp.example.com" in table.stdout

    stored = cli(env, "secret", "set", "华东公司-正式", "k3-password", stdin=SECRET + "\n")
    assert stored.returncode == 0, stored.stderr
    assert SECRET not in stored.stdout + stored.stderr, "never echoed"
    assert "FileKeyring" in stored.stderr, "says which backend stored it"
    assert _ring(env) == {"fxk3sync\x00华东公司-正式:k3-password": SECRET}, "trailing newline stripped"
    for p in home.rglob("*"):
        if p.is_file():
            assert SECRET.encode("utf-8") not in p.read_bytes(), p

    removed = cli(env, "profile", "remove", "华东公司-正式")
    assert removed.returncode == 0, removed.stderr
    assert _ring(env) == {}, "secrets removed with the profile"
    assert json.loads(cli(env, "profile", "list", "--json").stdout) == []


def test_config_errors_exit_2_with_the_message(cli_env: dict[str, str]) -> None:
    env = {**cli_env, "PYTHONIOENCODING": "utf-8"}
    bad_url = [a if a != "https://erp.example.com/K3Cloud/" else "https://erp.example.com/" for a in ADD]
    res = cli(env, *bad_url)
    assert res.returncode == 2
    assert "k3_url" in res.stderr and "/K3Cloud/" in res.stderr
    res = cli(env, *ADD[:-2], "--k3-user", "api", "--k3-lcid", "1028")
    assert res.returncode == 2 and "k3_lcid" in res.stderr
    assert cli(env, *ADD).returncode == 0
    dup = cli(env, *ADD)
    assert dup.returncode == 2 and "already exists" in dup.stderr
    assert cli(env, "profile", "remove", "ghost").returncode == 2
    assert cli(env, "secret", "set", "ghost", "k3-password", stdin="x").returncode == 2
    empty = cli(env, "secret", "set", "华东公司-正式", "k3-password", stdin="")
    assert empty.returncode == 2 and "standard input" in empty.stderr
    assert cli(env, "secret", "set", "华东公司-正式", "not-a-key", stdin="x").returncode == 2  # argparse choices


def test_a_secret_too_long_for_the_keyring_is_a_usage_error_and_is_not_stored(cli_env: dict[str, str]) -> None:
    env = {**cli_env, "PYTHONIOENCODING": "utf-8"}
    assert cli(env, *ADD).returncode == 0
    pasted = "k" * 1281
    res = cli(env, "secret", "set", "华东公司-正式", "k3-password", stdin=pasted + "\n")
    assert res.returncode == 2 and "too long" in res.stderr and "太长" in res.stderr
    assert pasted not in res.stdout + res.stderr and _ring(env) == {}
    assert cli(env, "secret", "set", "华东公司-正式", "k3-password", stdin="k" * 1280).returncode == 0


def test_secret_value_is_never_taken_from_argv(cli_env: dict[str, str]) -> None:
    assert cli(cli_env, *ADD).returncode == 0
    res = cli(cli_env, "secret", "set", "华东公司-正式", "k3-password", SECRET, stdin="")
    assert res.returncode == 2
    assert _ring(cli_env) == {}


def test_no_keyring_backend_is_a_configuration_error_exit_2_and_says_so(cli_env: dict[str, str]) -> None:
    assert cli(cli_env, *ADD).returncode == 0
    env = {**cli_env, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", "PYTHONIOENCODING": "utf-8"}
    res = cli(env, "secret", "set", "华东公司-正式", "k3-password", stdin=SECRET)
    assert res.returncode == 2
    assert "No usable OS keyring" in res.stderr and "没有可用的系统密钥环" in res.stderr
    assert SECRET not in res.stderr + res.stdout
    assert not any(SECRET.encode() in p.read_bytes() for p in Path(env["FXK3SYNC_HOME"]).rglob("*") if p.is_file())


def test_home_option_overrides_env(cli_env: dict[str, str], tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    res = cli(cli_env, "--home", str(other), *ADD)
    assert res.returncode == 0, res.stderr
    assert (other / "fxk3sync.db").is_file()
    assert json.loads(cli(cli_env, "profile", "list", "--json").stdout) == []
    assert os.path.exists(cli_env["FXK3SYNC_HOME"])


def test_version_and_usage_errors_follow_the_contract(cli_env: dict[str, str], tmp_path: Path) -> None:
    from core import __version__

    version = cli(cli_env, "--version")
    assert (version.returncode, version.stdout.strip(), version.stderr) == (0, f"fxk3sync {__version__}", "")
    for args in ([], ["profile"], ["list", "x", "suppliers"], ["list", "x", "orders", "--limit", "many"], ["check"],
                 ["sandbox", "--fx-port", "http"]):
        res = cli(cli_env, *args)
        assert res.returncode == 2 and res.stdout == "" and "usage" in res.stderr.lower(), (args, res)
    other = tmp_path / "other-home"
    res = cli(cli_env, "--home", str(other), "check", "nobody")  # --home reaches every command, not just profile
    assert res.returncode == 2 and "nobody" in res.stderr and (other / "fxk3sync.db").is_file()
