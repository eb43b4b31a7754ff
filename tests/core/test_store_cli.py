"""The CLI's store options: ``--db URL`` / ``FXK3SYNC_DB`` (team mode: profiles shared, secrets per PC) and the
global ``--home``/``--db`` accepted after the subcommand too (issue 16)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers_cli import cli

ADD = ["profile", "add", "acme", "--fx-app-id", "FSAID_1", "--fx-open-user-id", "FSUID_1",
       "--k3-url", "https://erp.example.com/K3Cloud/", "--k3-acct-id", "5f0c", "--k3-user", "clerk"]


def _names(out: str) -> list[str]:
    return [p["name"] for p in json.loads(out)]


def test_home_is_accepted_after_the_subcommand(cli_env: dict[str, str], home: Path, tmp_path: Path) -> None:
    other = tmp_path / "after"
    added = cli(cli_env, *ADD, "--home", str(other))
    assert added.returncode == 0, added.stderr
    assert (other / "fxk3sync.db").exists() and not (home / "fxk3sync.db").exists()
    listed = cli(cli_env, "profile", "list", "--json", "--home", str(other))
    assert listed.returncode == 0 and _names(listed.stdout) == ["acme"]
    # Given before AND after: the one after the subcommand wins; before alone still works.
    both = cli(cli_env, "--home", str(home), "profile", "list", "--json", "--home", str(other))
    assert _names(both.stdout) == ["acme"]
    before = cli(cli_env, "--home", str(other), "profile", "list", "--json")
    assert _names(before.stdout) == ["acme"]


def test_two_pcs_share_profiles_through_db_but_keep_their_own_secrets(cli_env: dict[str, str], pg_url: str,
                                                                      tmp_path: Path) -> None:
    pc_a = dict(cli_env, FXK3SYNC_HOME=str(tmp_path / "pc-a"), FXK3SYNC_TEST_KEYRING_FILE=str(tmp_path / "ring-a"))
    pc_b = dict(cli_env, FXK3SYNC_HOME=str(tmp_path / "pc-b"), FXK3SYNC_TEST_KEYRING_FILE=str(tmp_path / "ring-b"))
    added = cli(pc_a, "--db", pg_url, *ADD)
    assert added.returncode == 0, added.stderr
    assert cli(pc_a, "secret", "set", "acme", "k3-password", "--db", pg_url, stdin="pa55\n").returncode == 0
    listed = cli(dict(pc_b, FXK3SYNC_DB=pg_url), "profile", "list", "--json")  # the env form, on the other PC
    assert listed.returncode == 0 and _names(listed.stdout) == ["acme"], listed.stderr
    assert not (tmp_path / "pc-b" / "fxk3sync.db").exists(), "nothing local on a team PC"
    assert "pa55" in (tmp_path / "ring-a").read_text("utf-8")
    assert not (tmp_path / "ring-b").exists() or "pa55" not in (tmp_path / "ring-b").read_text("utf-8")
    local = cli(pc_b, "profile", "list", "--json")  # without --db: this PC's own (empty) file
    assert local.returncode == 0 and _names(local.stdout) == []


def test_an_unusable_db_url_is_a_usage_error_without_traceback_or_password(cli_env: dict[str, str]) -> None:
    for url in ("mysql://clerk:Secret-Pw-3@erp/fxk3sync", "postgresql+psycopg://clerk:Secret-Pw-3@127.0.0.1:9/x"):
        out = cli(cli_env, "profile", "list", "--db", url)
        assert out.returncode == 2, out.stderr
        assert "Traceback" not in out.stderr and "Secret-Pw-3" not in out.stderr + out.stdout
        assert "数据库" in out.stderr and "database" in out.stderr
