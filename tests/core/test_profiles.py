"""core.profiles: validation naming the field, the repo on SQLite + keyring, JSON export/import without secrets."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from core.errors import ConfigError
from core.profiles import Profile, ProfileRepo, ProfileSecrets, open_repo
from core.secrets import SERVICE, MemorySecretStore, SecretStore
from core.store import Database, Link
from tests.helpers_core import tls_files
from tests.keyring_backends import MemoryKeyring

SECRETS = {
    "fx-app-secret": "FXSECRET-4f1e9a7c2b",
    "fx-permanent-code": "PERMCODE-77aa31c0de",
    "k3-password": "K3PASS-密码-9f8e7d",
    "k3-app-secret": "K3APPSECRET-0c1d2e3f",
}


def good(**kw) -> Profile:
    base = Profile(name="华东公司-正式", fx_app_id="FSAID_131", fx_open_user_id="FSUID_1",
                   k3_url="https://erp.example.com/K3Cloud/", k3_acct_id="5f0c1e", k3_user="api")
    return replace(base, **kw)


@pytest.fixture
def repo(home: Path):
    r = open_repo()
    yield r
    r.db.close()


def test_add_list_get_update_remove(repo: ProfileRepo) -> None:
    repo.add(good())
    repo.add(good(name="test-tenant", fx_open_user_id=None, fx_admin_mobile="13800000000", k3_lcid=1033))
    assert [p.name for p in repo.list()] == ["test-tenant", "华东公司-正式"]
    assert repo.get("test-tenant") == good(name="test-tenant", fx_open_user_id=None, fx_admin_mobile="13800000000",
                                           k3_lcid=1033)
    repo.update(good(batch_size=20, audit=False))
    assert repo.get("华东公司-正式").batch_size == 20 and repo.get("华东公司-正式").audit is False
    assert isinstance(repo.profile_id("华东公司-正式"), int)
    repo.remove("test-tenant")
    assert [p.name for p in repo.list()] == ["华东公司-正式"]


def test_duplicate_and_missing_names(repo: ProfileRepo) -> None:
    repo.add(good())
    with pytest.raises(ConfigError) as dup:
        repo.add(good())
    assert dup.value.field == "name" and "already exists" in dup.value.user_message
    for call in (repo.get, repo.remove, repo.secrets_for, repo.profile_id, lambda n: repo.update(good(name=n))):
        with pytest.raises(ConfigError) as missing:
            call("nobody")
        assert "nobody" in missing.value.user_message and "没有名为" in missing.value.user_message


def _all_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_secrets_round_trip_through_keyring_and_never_touch_the_home_folder(
    repo: ProfileRepo, home: Path, memory_keyring: MemoryKeyring
) -> None:
    repo.add(good())
    for key, value in SECRETS.items():
        repo.set_secret("华东公司-正式", key, value)
    assert repo.secrets_for("华东公司-正式") == ProfileSecrets(
        fx_app_secret=SECRETS["fx-app-secret"], fx_permanent_code=SECRETS["fx-permanent-code"],
        k3_password=SECRETS["k3-password"], k3_app_secret=SECRETS["k3-app-secret"])
    assert memory_keyring.store[(SERVICE, "华东公司-正式:k3-password")] == SECRETS["k3-password"]
    exported = repo.export_json("华东公司-正式")
    (home / "exports").mkdir(exist_ok=True)
    (home / "exports" / "profile.json").write_text(exported, "utf-8")
    repo.update(good(read_timeout=30.0))  # more writes while open: WAL and SHM files exist now
    files = _all_bytes(home)
    assert any(name.endswith("-wal") for name in files), "scan includes the WAL file"
    repo.db.close()
    files.update(_all_bytes(home))
    for value in SECRETS.values():
        for encoded in {value.encode("utf-8"), value.encode("utf-16-le")}:
            leaks = [name for name, data in files.items() if encoded in data]
            assert leaks == [], f"secret found in {leaks}"
    assert repr(repo.secrets_for("华东公司-正式")).count("FXSECRET") == 0


def test_remove_deletes_secrets_tokens_and_rows(repo: ProfileRepo, memory_keyring: MemoryKeyring) -> None:
    repo.add(good())
    repo.add(good(name="keep"))
    for key, value in SECRETS.items():
        repo.set_secret("华东公司-正式", key, value)
    repo.secrets.set("华东公司-正式", "fx-token", json.dumps({"token": "t", "corpId": "c"}))
    repo.set_secret("keep", "k3-password", "other")
    with repo.db.session() as s:
        s.add(Link(profile_id=repo.profile_id("华东公司-正式"), object="AccountObj", source_id="a1",
                   k3_form="BD_Customer"))
    repo.remove("华东公司-正式")
    assert memory_keyring.store == {(SERVICE, "keep:k3-password"): "other"}
    with repo.db.session() as s:
        assert s.scalars(select(Link)).all() == []


def test_set_secret_checks_key_and_profile(repo: ProfileRepo) -> None:
    repo.add(good())
    with pytest.raises(ConfigError) as err:
        repo.set_secret("华东公司-正式", "k3-passwd", "x")
    assert err.value.field == "key" and "k3-password" in err.value.user_message
    with pytest.raises(ConfigError):
        repo.set_secret("ghost", "k3-password", "x")


_CA_MISSING = "/nonexistent/ca.pem"
INVALID = [
    ("name", dict(name="")),
    ("name", dict(name="a/b")),
    ("name", dict(name="bad:name")),
    ("name", dict(name=" padded")),
    ("name", dict(name="nul")),
    ("name", dict(name="x" * 65)),
    ("fx_url", dict(fx_url="ftp://open.fxiaoke.com")),
    ("fx_app_id", dict(fx_app_id="")),
    ("fx_open_user_id", dict(fx_open_user_id=None, fx_admin_mobile=None)),
    ("fx_admin_mobile", dict(fx_admin_mobile="13800000000")),
    ("fx_admin_mobile", dict(fx_open_user_id=None, fx_admin_mobile="138-0000")),
    ("k3_url", dict(k3_url="erp.example.com/K3Cloud/")),
    ("k3_url", dict(k3_url="https://erp.example.com/")),
    ("k3_acct_id", dict(k3_acct_id="")),
    ("k3_user", dict(k3_user=" ")),
    ("k3_lcid", dict(k3_lcid=1028)),
    ("k3_auth", dict(k3_auth="token")),
    ("k3_app_id", dict(k3_auth="appsecret")),
    ("k3_app_id", dict(k3_auth="signed", k3_app_id="")),
    ("k3_org", dict(k3_org="")),
    ("ca_bundle", dict(ca_bundle=_CA_MISSING)),
    ("connect_timeout", dict(connect_timeout=0)),
    ("read_timeout", dict(read_timeout=-1.0)),
    ("batch_size", dict(batch_size=0)),
    ("batch_size", dict(batch_size=501)),
    ("submit", dict(submit="yes")),
    ("approval_gate", dict(approval_gate="false")),  # a string from an imported file is not a switch
    ("reaudit", dict(reaudit=1)),
    ("fx_url", dict(fx_url="https://user:pw@open.fxiaoke.com")),  # a password in a URL would be stored in SQLite
    ("k3_url", dict(k3_url="https://admin@erp.example.com/K3Cloud/")),
    ("k3_url", dict(k3_url="https://erp.example.com:port/K3Cloud/")),
    ("fx_app_id", dict(fx_app_id=131)),  # wrong types from an imported JSON file
    ("k3_url", dict(k3_url=None)),
    ("k3_app_id", dict(k3_auth="appsecret", k3_app_id=["x"])),
    ("name", dict(name=7)),
]


@pytest.mark.parametrize("field,changes", INVALID, ids=[f"{f}-{i}" for i, (f, _) in enumerate(INVALID)])
def test_invalid_field_is_named(field: str, changes: dict, repo: ProfileRepo) -> None:
    with pytest.raises(ConfigError) as err:
        good(**changes).validate()
    assert err.value.field == field
    assert f"'{field}'" in err.value.user_message and f"“{field}”" in err.value.user_message  # en and zh
    with pytest.raises(ConfigError):
        repo.add(good(**changes))
    assert repo.list() == []


def test_valid_variants(tmp_path: Path) -> None:
    ca = tls_files(tmp_path).ca
    for p in (good(), good(k3_url="http://10.0.0.5/k3cloud/"), good(k3_auth="signed", k3_app_id="123_abc"),
              good(fx_open_user_id=None, fx_admin_mobile="13800000000"), good(ca_bundle=str(ca), k3_lcid=3076),
              good(batch_size=500, connect_timeout=0.5)):
        p.validate()


def test_the_life_options_default_to_the_safe_side_and_are_stored(repo: ProfileRepo) -> None:
    p = good()
    assert (p.approval_gate, p.reaudit) == (True, False)  # only approved records; never un-audit by default
    repo.add(good(approval_gate=False, reaudit=True))
    stored = repo.get(p.name)
    assert (stored.approval_gate, stored.reaudit) == (False, True)
    assert {"approval_gate": False, "reaudit": True}.items() <= stored.to_dict().items()


def test_from_dict_rejects_unknown_keys_and_round_trips() -> None:
    assert Profile.from_dict(good().to_dict()) == good()
    with pytest.raises(ConfigError) as err:
        Profile.from_dict({**good().to_dict(), "k3_password": "x"})
    assert err.value.field == "k3_password"
    with pytest.raises(ConfigError, match="name"):
        Profile.from_dict({"fx_app_id": "x"})


def test_export_has_no_secrets_and_import_round_trips(repo: ProfileRepo) -> None:
    repo.add(good())
    for key, value in SECRETS.items():
        repo.set_secret("华东公司-正式", key, value)
    text = repo.export_json("华东公司-正式")
    assert not any(v in text for v in SECRETS.values())
    assert set(json.loads(text)) == set(good().to_dict())
    copy = repo.import_json(text, name="copy")
    assert copy == good(name="copy") == repo.get("copy")
    assert repo.secrets_for("copy") == ProfileSecrets()


@pytest.mark.parametrize("text", [
    "{not json", "", "[1, 2]", '"just a string"', '{"name": "x", "unknown": 1}',
    json.dumps({**good(name="bad").to_dict(), "k3_lcid": 9999}),
    json.dumps({**good().to_dict()}),  # duplicate of the existing profile
    json.dumps({**good(name="typed").to_dict(), "k3_url": 5, "fx_app_id": None}),
    json.dumps({**good(name="creds").to_dict(), "k3_url": "https://u:p@erp.example.com/K3Cloud/"}),
])
def test_bad_import_changes_nothing(text: str, repo: ProfileRepo) -> None:
    repo.add(good())
    before = repo.list()
    with repo.db.engine.connect() as c:
        rows_before = c.exec_driver_sql("SELECT id, name, settings_json, updated_at FROM profiles").all()
    with pytest.raises(ConfigError):
        repo.import_json(text)
    assert repo.list() == before
    with repo.db.engine.connect() as c:
        assert c.exec_driver_sql("SELECT id, name, settings_json, updated_at FROM profiles").all() == rows_before


def test_demo_store_keeps_secrets_out_of_the_keyring(home: Path, memory_keyring: MemoryKeyring) -> None:
    demo = MemorySecretStore()
    repo = open_repo(demo_store=demo)
    try:
        repo.add(good(name="demo", demo=True))
        repo.set_secret("demo", "k3-password", "demo-pw")
        assert repo.secrets_for("demo").k3_password == "demo-pw"
        assert memory_keyring.store == {}
    finally:
        repo.db.close()


def test_repo_on_an_explicit_database(tmp_path: Path) -> None:
    db = Database(tmp_path / "other.db")
    try:
        repo = ProfileRepo(db, SecretStore())
        repo.add(good())
        assert repo.get("华东公司-正式") == good()
    finally:
        db.close()
