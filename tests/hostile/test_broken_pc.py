"""A broken PC: a keyring that fails in any way, a corrupt keyring file, non-UTF-8 bytes on stdin, a bad CA bundle,
plain http:// to a public host, a deeply nested mapping file, a full disk mid-sync."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core import profiles
from core.clients import ClientFactory
from core.doctor import run_doctor
from core.errors import MappingError, SecretStoreError
from core.mapping.repo import MappingRepo
from core.profiles import Profile, ProfileRepo, ProfileSecrets
from core.sandbox import start_sandbox
from core.secrets import MemorySecretStore, SecretStore
from core.store import Database
from tests.helpers_cli import ROOT, add_sandbox_profile, cli
from tests.helpers_core import tls_files
from tests.helpers_secrets import register_home, watch
from tests.helpers_sync import add_profile
from tests.keyring_backends import BrokenKeyring

ADD = ["profile", "add", "demo", "--fx-app-id", "FSAID_131", "--fx-open-user-id", "FSUID_1",
       "--k3-url", "https://erp.example.com/K3Cloud/", "--k3-acct-id", "5f0c1e", "--k3-user", "api"]


@pytest.fixture(scope="module")
def sb():
    with start_sandbox(seed=31, demo_sizes={"customers": 10, "orders": 12, "products": 6}) as s:
        s.fx_app.admin("knobs", {"token_calls_per_minute": 100_000})
        watch(s)
        yield s


@pytest.fixture
def env(cli_env: dict[str, str], home: Path) -> dict[str, str]:
    register_home(home)
    return {**cli_env, "PYTHONIOENCODING": "utf-8"}


def _ring(env: dict[str, str]) -> Path:
    return Path(env["FXK3SYNC_TEST_KEYRING_FILE"])


def _clean(res: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in res.stderr, res.stderr[-3000:]
    return res.stdout + res.stderr


# -- keyring -------------------------------------------------------------------------------------------------------

def test_any_exception_from_a_keyring_backend_is_a_secret_store_error_naming_it() -> None:
    store = SecretStore(BrokenKeyring())
    for call in (lambda: store.get("p", "k3-password"), lambda: store.set("p", "k3-password", "pw"),
                 lambda: store.delete("p", "k3-password")):
        with pytest.raises(SecretStoreError) as err:
            call()
        assert "BrokenKeyring" in err.value.message.en and "pywintypes.error" in err.value.message.en
        assert "密钥环" in err.value.message.zh and "1312" not in err.value.user_message  # the type only


@pytest.mark.parametrize("command", [["check", "demo"], ["list", "demo", "customers"],
                                     ["sync", "demo", "customers", "--all", "--json"]])
def test_a_failing_keyring_backend_exits_2_naming_it(sb, env, command) -> None:
    add_sandbox_profile(env, sb, "demo")
    res = cli({**env, "PYTHON_KEYRING_BACKEND": "tests.keyring_backends.BrokenKeyring"}, *command)
    out = _clean(res)
    assert res.returncode == 2, out
    assert "BrokenKeyring" in out and "pywintypes.error" in out and "密钥环" in out


def test_a_corrupt_keyring_file_exits_2_naming_the_backend(sb, env) -> None:
    add_sandbox_profile(env, sb, "demo")
    _ring(env).write_bytes(b'{"fxk3sync\\u0000demo:fx-app-secret": "abc", trunc')
    for command in (["check", "demo"], ["list", "demo", "orders"]):
        res = cli(env, *command)
        out = _clean(res)
        assert res.returncode == 2 and "FileKeyring" in out and "JSONDecodeError" in out, out


def test_non_utf8_bytes_on_secret_set_stdin_are_refused_clearly(env) -> None:
    assert cli(env, *ADD).returncode == 0
    before = _ring(env).read_bytes() if _ring(env).exists() else b""
    res = subprocess.run([sys.executable, "-m", "core.cli", "secret", "set", "demo", "k3-password"], env=env,
                         input=b"pa\xffss\xfe\n", capture_output=True, cwd=ROOT, timeout=60)
    err = res.stderr.decode("utf-8")
    assert res.returncode == 2 and "Traceback" not in err
    assert "not valid UTF-8" in err and "0xff" in err and "UTF-8 文本" in err and "chcp 65001" in err
    assert (_ring(env).read_bytes() if _ring(env).exists() else b"") == before  # nothing stored
    ok = subprocess.run([sys.executable, "-m", "core.cli", "secret", "set", "demo", "k3-password"], env=env,
                        input="\ufeff密码-ok\r\n".encode("utf-8"), capture_output=True, cwd=ROOT, timeout=60)
    assert ok.returncode == 0 and json.loads(_ring(env).read_text("utf-8"))["fxk3sync\x00demo:k3-password"] == "密码-ok"


# -- CA bundle -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("content", [b"", b"not a certificate\n", b"-----BEGIN PRIVATE KEY-----\nMIIB\n-----END "
                                                                    b"PRIVATE KEY-----\n"])
def test_a_garbage_empty_or_key_only_ca_bundle_is_refused_when_set(env, tmp_path, content) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(content)
    res = cli(env, *ADD, "--ca-bundle", str(bundle))
    out = _clean(res)
    assert res.returncode == 2 and "ca_bundle" in out and "no usable certificate" in out and "证书" in out
    assert json.loads(cli(env, "profile", "list", "--json").stdout) == []


def test_a_ca_bundle_gone_bad_later_names_the_setting(sb, env, tmp_path) -> None:
    add_sandbox_profile(env, sb, "demo")
    bundle = Path(tls_files(tmp_path).ca)
    db = Database(Path(env["FXK3SYNC_HOME"]) / "fxk3sync.db")
    try:
        repo = ProfileRepo(db, MemorySecretStore())
        profile = repo.get("demo")
        profile.ca_bundle = str(bundle)
        repo.update(profile)
    finally:
        db.close()
    assert cli(env, "list", "demo", "customers").returncode == 0
    bundle.write_text("garbage", "utf-8")  # replaced by something else since
    listed = cli(env, "list", "demo", "customers")
    assert listed.returncode == 2 and "ca_bundle" in _clean(listed) and "no usable certificate" in listed.stderr
    checked = cli(env, "check", "demo")
    assert checked.returncode == 3 and "ca_bundle" in _clean(checked)


# -- plain http:// to a public host --------------------------------------------------------------------------------

@pytest.mark.parametrize("url, warned", [
    ("http://open.fxiaoke.com", True), ("http://8.8.8.8/", True), ("http://erp.example.com/K3Cloud/", True),
    ("https://open.fxiaoke.com", False), ("http://127.0.0.1:8080/", False), ("http://localhost/", False),
    ("http://[::1]:81/", False), ("http://10.1.2.3/K3Cloud/", False), ("http://172.20.0.5/", False),
    ("http://192.168.1.10/K3Cloud/", False), ("http://k3server/K3Cloud/", False), ("http://erp.corp/", False),
    ("http://erp.local/", False), ("http://169.254.1.1/", False),
])
def test_plain_http_to_a_public_host_is_warned_and_private_ones_stay_quiet(url, warned) -> None:
    for field in ("fx_url", "k3_url"):
        got = profiles.warnings(Profile(name="p", **{field: url}))
        assert bool(got) is warned, (field, url, got)
        if warned:
            assert field in got[0].en and "unencrypted" in got[0].en and "明文" in got[0].zh


def test_profile_add_prints_the_http_warning_in_both_languages(env) -> None:
    public = [a.replace("https://erp.example.com", "http://erp.example.com") for a in ADD]
    res = cli(env, *public, "--fx-url", "http://open.fxiaoke.com")
    assert res.returncode == 0, res.stderr
    assert "Warning: setting 'fx_url' uses plain http://" in res.stderr and "'k3_url'" in res.stderr
    assert "警告：设置项“fx_url”" in res.stderr
    quiet = cli(env, *[a.replace("https://erp.example.com", "http://192.168.1.10").replace("demo", "lan")
                       for a in ADD], "--fx-url", "http://127.0.0.1:9000")
    assert quiet.returncode == 0 and "Warning" not in quiet.stderr and "警告" not in quiet.stderr


def test_the_doctor_reports_the_http_warning(sb, db) -> None:
    c = sb.credentials()
    profile = Profile(name="p", fx_url="http://open.fxiaoke.invalid", fx_app_id=c["fxiaoke"]["app_id"],
                      fx_open_user_id="FSUID_1", k3_url=c["k3cloud"]["url"], k3_acct_id=c["k3cloud"]["acct_id"],
                      k3_user=c["k3cloud"]["username"], connect_timeout=2.0, read_timeout=5.0)
    store = MemorySecretStore()
    pid = add_profile(db, profile)
    secrets = ProfileSecrets("s" * 8, "p" * 8, c["k3cloud"]["password"])
    report = run_doctor(ClientFactory(profile, secrets, store, db, pid))
    assert "uses plain http:// to the public host open.fxiaoke.invalid" in report.fxiaoke[0].message.en
    assert "明文" in report.fxiaoke[0].message.zh
    assert all("http://" not in s.message.en or "Warning" not in s.message.en for s in report.k3cloud)  # loopback


# -- a mapping file nested without end -----------------------------------------------------------------------------

def test_a_deeply_nested_mapping_file_is_refused_not_a_crash(db, tmp_path) -> None:
    pid = ProfileRepo(db, MemorySecretStore())
    pid.add(Profile(name="p", fx_app_id="FSAID_1", fx_open_user_id="FSUID_1", k3_url="https://e.example.com/K3Cloud/",
                    k3_acct_id="a", k3_user="u"))
    for depth in (100_000, 200):
        path = tmp_path / f"deep-{depth}.json"
        path.write_text('{"flow": "orders", "template": ' + "[" * depth + "]" * depth + "}", "utf-8")
        with pytest.raises(MappingError) as err:
            MappingRepo(db).import_file(pid.profile_id("p"), "orders", path)
        assert "nests deeper than 64" in err.value.message.en and "嵌套" in err.value.message.zh


# -- a full disk mid-sync ------------------------------------------------------------------------------------------

# Files may grow to the given size, then writes fail with EFBIG (SQLite: "database or disk is full"); then the CLI
# runs exactly as ``python -m core.cli`` does.
_FULL_DISK = ("import resource, runpy, signal, sys; limit = int(sys.argv.pop(1)); "
              "signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
              "resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)); "
              "runpy.run_module('core.cli', run_name='__main__', alter_sys=True)")


@pytest.mark.skipif(os.name != "posix", reason="RLIMIT_FSIZE stands in for a full disk")
def test_a_full_disk_mid_sync_is_a_local_error_and_the_rerun_is_exactly_once(sb, env) -> None:
    from tests.helpers_sync import ids_of, k3_number_counts, live_orders

    add_sandbox_profile(env, sb, "demo")
    orders = live_orders(sb, 6)
    db_file = Path(env["FXK3SYNC_HOME"]) / "fxk3sync.db"
    limit = db_file.stat().st_size + 48 * 1024  # the database may grow 48 KB, then every write fails as on a full disk
    res = subprocess.run([sys.executable, "-c", _FULL_DISK, str(limit), "sync", "demo", "orders", "--ids",
                          ids_of(orders), "--json"], env=env, capture_output=True, text=True, cwd=ROOT, timeout=120)
    # 2: the disk filled before the first write (this PC's store failed, like a locked keyring); 1: after it.
    assert res.returncode in (1, 2) and "Traceback" not in res.stderr, res.stderr[-2000:]
    assert "disk" in res.stderr and "磁盘" in res.stderr
    again = cli(env, "sync", "demo", "orders", "--ids", ids_of(orders), "--json")
    assert again.returncode == 0, again.stderr[-2000:]
    counts = k3_number_counts(sb, "SAL_SaleOrder", "FBillNo")
    assert all(counts[o["name"]] == 1 for o in orders)
