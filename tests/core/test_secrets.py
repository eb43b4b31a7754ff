"""core.secrets: keyring round-trip, backend names, and clear errors instead of any plaintext fallback."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import keyring
import keyring.errors
import pytest
from keyring.backends import chainer, fail

from core.errors import SecretStoreError
from core.secrets import MAX_SECRET_CHARS, SECRET_KEYS, SERVICE, MemorySecretStore, SecretStore, default_store
from tests.keyring_backends import MemoryKeyring


def test_round_trip_uses_service_and_profile_key_user(memory_keyring: MemoryKeyring) -> None:
    store = default_store()
    store.set("acme", "k3-password", "pa55-w0rd")
    assert store.get("acme", "k3-password") == "pa55-w0rd"
    assert memory_keyring.store == {(SERVICE, "acme:k3-password"): "pa55-w0rd"}
    assert store.get("acme", "fx-app-secret") is None


def test_delete_missing_is_fine_and_delete_removes(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore()
    store.delete("acme", "k3-password")
    store.set("acme", "k3-password", "x")
    store.delete("acme", "k3-password")
    assert store.get("acme", "k3-password") is None
    assert memory_keyring.store == {}


def test_delete_profile_removes_keys_and_cached_tokens_only_of_that_profile(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore()
    for key in SECRET_KEYS:
        store.set("acme", key, f"v-{key}")
    token = json.dumps({"token": "T", "corpId": "C", "issued_at": 1, "expires_in": 7200})
    store.set("acme", "fx-token", token)
    store.set("acme", "token:custom", "session-123")  # a key not known in advance: tracked in an index entry
    store.set("other", "k3-password", "keep")
    assert json.loads(store.get("acme", "fx-token") or "") ["token"] == "T"
    store.delete_profile("acme")
    assert memory_keyring.store == {(SERVICE, "other:k3-password"): "keep"}


def test_too_long_secret_rejected_before_the_keyring(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore()
    store.set("acme", "fx-permanent-code", "a" * MAX_SECRET_CHARS)
    with pytest.raises(SecretStoreError) as err:
        store.set("acme", "k3-app-secret", "b" * (MAX_SECRET_CHARS + 1))
    assert "1280" in err.value.user_message and "k3-app-secret" in err.value.user_message
    assert "b" * 50 not in err.value.user_message
    assert (SERVICE, "acme:k3-app-secret") not in memory_keyring.store


def test_no_backend_error_names_the_backend_and_what_to_do() -> None:
    keyring.set_keyring(fail.Keyring())
    store = default_store()
    for call in (lambda: store.set("acme", "k3-password", "secret-value"), lambda: store.get("acme", "k3-password"),
                 store.check):
        with pytest.raises(SecretStoreError) as err:
            call()
        text = err.value.user_message
        assert "没有可用的系统密钥环" in text and "No usable OS keyring" in text
        assert "no keyring backend" in text
        assert "Windows Credential Manager" in text  # the advice says what would work
        assert "secret-value" not in text


class _EmptyChainer(chainer.ChainerBackend):
    backends: list = []  # what keyring's chainer holds when no viable backend exists


def test_chainer_without_backends_is_no_backend() -> None:
    store = SecretStore(_EmptyChainer())
    with pytest.raises(SecretStoreError, match="No usable OS keyring"):
        store.set("acme", "k3-password", "x")


class _Locked(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("locked")

    set_password = get_password  # type: ignore[assignment]


class _Broken(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("refused")


def test_locked_keychain_says_unlock() -> None:
    store = SecretStore(_Locked())
    with pytest.raises(SecretStoreError) as err:
        store.get("acme", "k3-password")
    assert "已锁定" in err.value.user_message and "locked" in err.value.user_message
    assert "Unlock" in err.value.user_message


def test_any_keyring_error_becomes_secret_store_error_without_the_value() -> None:
    store = SecretStore(_Broken())
    with pytest.raises(SecretStoreError) as err:
        store.set("acme", "k3-password", "do-not-show")
    assert "k3-password" in err.value.user_message and "PasswordSetError" in err.value.user_message
    assert "do-not-show" not in str(err.value)


def test_backend_names() -> None:
    assert SecretStore(fail.Keyring()).backend_name() == "no keyring backend"
    from keyring.backends import SecretService, Windows, macOS

    assert SecretStore(Windows.WinVaultKeyring()).backend_name() == "Windows Credential Manager"
    assert SecretStore(macOS.Keyring()).backend_name() == "macOS Keychain"
    assert SecretStore(SecretService.Keyring()).backend_name() == "Secret Service"


def test_memory_store_never_touches_keyring(memory_keyring: MemoryKeyring) -> None:
    keyring.set_keyring(fail.Keyring())  # would raise if the memory store went to keyring
    store = MemorySecretStore()
    store.set("demo", "k3-password", "demo-pw")
    store.set("demo", "fx-token", "{}")
    assert store.get("demo", "k3-password") == "demo-pw"
    store.check()
    store.delete_profile("demo")
    assert store.get("demo", "k3-password") is None and store.get("demo", "fx-token") is None
    assert "demo" in store.backend_name()
    assert memory_keyring.store == {}


def test_only_core_secrets_imports_keyring() -> None:
    core = Path(__file__).resolve().parents[2] / "core"
    importers = set()
    for path in core.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "keyring" or n.startswith("keyring.") for n in names):
                importers.add(path.relative_to(core.parent).as_posix())
    assert importers == {"core/secrets.py"}


def test_empty_value_is_refused() -> None:
    with pytest.raises(SecretStoreError, match="empty"):
        SecretStore().set("acme", "k3-password", "")
