"""This PC's data store: the saved choice (file or company PostgreSQL, password in the keyring only) and its check."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from core.errors import ConfigError, Fxk3Error
from core.secrets import SecretStore
from core.store import Database
from core.store.choice import (
    SECRET_ACCOUNT,
    StoreChoice,
    current_target,
    get_password,
    load_choice,
    open_database,
    password_key,
    save_choice,
    server_url,
    set_password,
)
from core.store.doctor import CHECK_LOCK_KEY, check_store
from core.store.migrations import LATEST
from core.workspace import Workspace
from tests.helpers_cli import cli
from tests.helpers_pg import execute, libpq

SECRET = "pw-Never-On-Disk-7"


def _plain(url: str) -> str:
    """The test server's URL as a user would type it (postgresql://, no driver)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _texts(steps) -> str:
    return " ".join(s.message.zh + s.message.en for s in steps)


def test_the_default_is_this_pcs_file_and_a_saved_url_is_used_without_its_password(home: Path):
    assert load_choice() == StoreChoice() and current_target() is None
    save_choice(StoreChoice("postgresql://clerk@db.example.com:5433/fxk3sync"))
    assert load_choice().url == "postgresql+psycopg://clerk@db.example.com:5433/fxk3sync"
    assert json.loads((home / "store.json").read_text(encoding="utf-8")) == {
        "url": "postgresql+psycopg://clerk@db.example.com:5433/fxk3sync"}
    save_choice(StoreChoice())
    assert load_choice().url is None


@pytest.mark.parametrize("url,words", [
    ("postgresql://clerk:" + SECRET + "@db/fxk3sync", "password field"),
    ("mysql://clerk@db/fxk3sync", "only PostgreSQL"),
    ("postgresql://db/fxk3sync", "user name"),
    ("not a url", "not a valid URL"),
])
def test_a_bad_url_is_refused_naming_why_and_never_echoing_a_password(home: Path, url, words):
    with pytest.raises(ConfigError) as err:
        save_choice(StoreChoice(url))
    assert words in err.value.message.en and err.value.message.zh and err.value.field == "db_url"
    assert SECRET not in err.value.user_message
    assert not (home / "store.json").exists()


def test_a_damaged_choice_file_falls_back_to_the_file_store(home: Path):
    (home / "store.json").write_text("{not json", encoding="utf-8")
    assert load_choice() == StoreChoice()


def test_the_password_lives_in_the_keyring_per_server_and_user(home: Path, memory_keyring):
    secrets = SecretStore()
    url = server_url("postgresql://clerk@db.example.com/fxk3sync")
    set_password(secrets, url, SECRET)
    assert get_password(secrets, url) == SECRET
    assert secrets.get(SECRET_ACCOUNT, password_key(url)) == SECRET
    assert get_password(secrets, server_url("postgresql://boss@db.example.com/fxk3sync")) is None
    save_choice(StoreChoice(url))
    assert SECRET not in (home / "store.json").read_text(encoding="utf-8")
    set_password(secrets, url, "")
    assert get_password(secrets, url) is None


def test_this_pcs_file_checks_writable_and_its_schema(home: Path):
    steps = check_store(None)
    assert [(s.name, s.ok) for s in steps] == [("reachable", True), ("schema", True)]
    assert "created on first use" in steps[1].message.en and "第一次使用" in steps[1].message.zh
    Database(home / "fxk3sync.db").close()
    assert f"up to date (version {LATEST})" in check_store(None)[1].message.en


def test_an_unreachable_server_is_explained_in_both_languages(home: Path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    (step,) = check_store(f"postgresql://clerk@127.0.0.1:{port}/fxk3sync", SECRET)
    assert (step.name, step.ok, step.field, step.code) == ("reachable", False, "db_url", "unreachable")
    assert "无法连接数据库服务器" in step.message.zh and "Cannot reach the database server" in step.message.en
    assert "pg_hba.conf" in step.message.en and SECRET not in _texts([step])


def test_a_url_holding_a_password_fails_the_check_without_showing_it(home: Path):
    (step,) = check_store("postgresql://clerk:" + SECRET + "@127.0.0.1/fxk3sync")
    assert (step.name, step.ok, step.field) == ("reachable", False, "db_url") and SECRET not in _texts([step])


def test_an_empty_company_database_passes_every_step_and_nothing_is_created(pg_url: str):
    steps = check_store(_plain(pg_url), SECRET)
    assert [(s.name, s.ok) for s in steps] == [("reachable", True), ("login", True), ("schema", True),
                                               ("lock", True)], [s.message.en for s in steps]
    assert "empty" in steps[2].message.en and "建表" in steps[2].message.zh
    assert "advisory" in steps[3].message.en and SECRET not in _texts(steps)
    assert execute(pg_url, "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public'") == [(0,)]


def test_a_current_store_is_up_to_date_and_an_old_one_needs_a_backup_first(pg_url: str):
    Database(pg_url).close()
    steps = check_store(_plain(pg_url))
    assert all(s.ok for s in steps) and f"version {LATEST}" in steps[2].message.en
    execute(pg_url, f"UPDATE fxk3sync_schema SET version = {LATEST - 1} WHERE version = {LATEST}")
    bad = check_store(_plain(pg_url))[-1]
    assert (bad.name, bad.ok, bad.code) == ("schema", False, "backup_required")
    assert "pg_dump" in bad.message.en and "备份" in bad.message.zh
    execute(pg_url, f"UPDATE fxk3sync_schema SET version = {LATEST + 5} WHERE version = {LATEST - 1}")
    newer = check_store(_plain(pg_url))[-1]
    assert (newer.name, newer.ok) == ("schema", False) and "newer FxK3 Sync" in newer.message.en


@pytest.mark.parametrize("change,code,words,field", [
    ({"username": "nosuchrole"}, "auth", "refused user nosuchrole", "db_password"),
    ({"database": "nosuchdb"}, "no_database", "CREATE DATABASE nosuchdb", "db_url"),
])
def test_a_refused_login_names_the_setting_and_what_to_do(pg_url: str, change, code, words, field):
    url = make_url(_plain(pg_url)).set(**change).render_as_string(hide_password=False)
    steps = check_store(url, SECRET)
    bad = steps[-1]
    assert [s.name for s in steps] == ["reachable", "login"] and not bad.ok and bad.code == code
    assert words in bad.message.en and bad.message.zh and bad.field == field
    assert SECRET not in _texts(steps)


def test_someone_elses_tables_are_refused(pg_url: str):
    execute(pg_url, "CREATE TABLE invoices (id int)")
    bad = check_store(_plain(pg_url))[-1]
    assert (bad.name, bad.ok) == ("schema", False) and "invoices" in bad.message.en


def test_the_lock_step_works_while_another_pc_checks(pg_url: str):
    with psycopg.connect(libpq(pg_url), autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s)", (CHECK_LOCK_KEY,))
        lock = check_store(_plain(pg_url))[-1]
    assert (lock.name, lock.ok) == ("lock", True) and "Another PC" in lock.message.en


def test_the_saved_company_database_is_opened_with_the_keyrings_password(home: Path, pg_url: str, memory_keyring):
    secrets = SecretStore()
    url = server_url(_plain(pg_url))
    save_choice(StoreChoice(url))
    set_password(secrets, url, SECRET)
    with open_database(secrets) as db:
        assert db.shared and db.engine.url.password == SECRET and SECRET not in db.url
    assert not (home / "fxk3sync.db").exists()


def test_the_cli_uses_the_saved_company_database(home: Path, pg_url: str, cli_env: dict[str, str]):
    save_choice(StoreChoice(_plain(pg_url)))
    r = cli(cli_env, "profile", "add", "team", "--fx-url", "https://open.fxiaoke.com", "--fx-app-id", "FSAID_1",
            "--fx-open-user-id", "FSUID_1", "--k3-url", "https://erp.example.com/K3Cloud/", "--k3-acct-id", "a1",
            "--k3-user", "u1")
    assert r.returncode == 0, r.stderr
    assert execute(pg_url, "SELECT name FROM profiles") == [("team",)]
    assert not (home / "fxk3sync.db").exists()
    with pytest.raises(ConfigError):  # the workspace opens the same store: the profile is there, its secrets not
        with Workspace.open("nosuch"):
            pass


def test_a_saved_company_database_that_is_gone_says_how_to_go_back_to_this_pcs_file(home: Path, memory_keyring):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    save_choice(StoreChoice(f"postgresql://clerk@127.0.0.1:{port}/fxk3sync"))
    with pytest.raises(Fxk3Error) as err:
        open_database(SecretStore())
    assert str(home / "store.json") in err.value.advice.zh and "delete" in err.value.advice.en
    assert str(home / "store.json") in str(err.value)
