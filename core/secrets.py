"""Secrets in the OS keyring (service ``fxk3sync``, user ``<profile>:<key>``); the only module importing keyring."""

from __future__ import annotations

import json
import threading
from typing import TYPE_CHECKING

from core.errors import ConfigError, SecretStoreError, Text

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

# keyring (and the backend discovery through package metadata it brings) is imported when a secret is first read or
# written, not with this module: a window or a command that needs no secret does not pay for it (start-up speed).

SERVICE = "fxk3sync"
SECRET_KEYS = ("fx-app-secret", "fx-permanent-code", "k3-password", "k3-app-secret")
#: Cached session material the clients keep between runs; always removed with the profile.
TOKEN_KEYS = ("fx-token", "k3-session", "k3-token")
#: Windows Credential Manager stores at most 2560 bytes of UTF-16, i.e. 1280 characters.
MAX_SECRET_CHARS = 1280
# Keyring cannot enumerate entries, so any other key a profile stores is remembered in this entry.
_INDEX_KEY = "_keys"

_FRIENDLY_NAMES = {
    "WinVaultKeyring": "Windows Credential Manager",
    "keyring.backends.Windows": "Windows Credential Manager",
    "keyring.backends.macOS": "macOS Keychain",
    "keyring.backends.SecretService": "Secret Service",
    "keyring.backends.libsecret": "Secret Service (libsecret)",
    "keyring.backends.kwallet": "KDE KWallet",
    "keyring.backends.fail": "no keyring backend",
    "keyring.backends.null": "null keyring (stores nothing)",
}


def _friendly(backend: KeyringBackend) -> str:
    from keyring.backends import chainer  # start-up speed: see the note at the top

    cls = type(backend)
    if cls.__name__ in _FRIENDLY_NAMES:
        return _FRIENDLY_NAMES[cls.__name__]
    if cls.__module__ in _FRIENDLY_NAMES:
        return _FRIENDLY_NAMES[cls.__module__]
    if isinstance(backend, chainer.ChainerBackend):
        inner = getattr(backend, "backends", [])
        return _friendly(inner[0]) if inner else "no keyring backend"
    return getattr(backend, "name", "") or cls.__name__


def _error_name(exc: BaseException) -> str:
    """``pywintypes.error`` rather than ``error``: the module tells which layer failed."""
    cls = type(exc)
    module = cls.__module__
    return cls.__name__ if module in ("builtins", "keyring.errors") else f"{module}.{cls.__name__}"


def _unusable(backend: KeyringBackend) -> bool:
    from keyring.backends import chainer, fail  # start-up speed: see the note at the top

    if isinstance(backend, fail.Keyring) or type(backend).__module__ == "keyring.backends.null":
        return True
    return isinstance(backend, chainer.ChainerBackend) and not backend.backends


_NO_BACKEND_ADVICE = Text(
    "请在 Windows 凭据管理器、macOS 钥匙串或 Linux Secret Service（如 GNOME Keyring、KWallet）可用的桌面会话中运行；"
    "FxK3 Sync 不会把密码明文保存到磁盘。演示模式不需要密钥环。",
    "Run it in a desktop session where Windows Credential Manager, the macOS Keychain or a Linux Secret Service "
    "(GNOME Keyring, KWallet) is available; FxK3 Sync never stores secrets in plain text. Demo mode needs no keyring.",
)


def not_stored(key: str, label: Text) -> ConfigError:
    """The error for a secret the profile needs but the keyring does not hold; ``field`` is e.g. ``k3_password``."""
    return ConfigError(
        Text(f"没有保存{label.zh}（{key}），无法登录。", f"No {label.en} ({key}) is stored, so no login is possible."),
        Text(f"请在“连接”页填写，或运行：fxk3sync secret set 配置名 {key}（值从标准输入读取）。",
             f"Enter it on the Connection page, or run: fxk3sync secret set NAME {key} (the value is read from "
             f"standard input)."),
        field=key.replace("-", "_"),
    )


def too_long(value: str) -> bool:
    """Whether ``value`` is over what the Windows credential store keeps (counted in UTF-16 units, as Windows does)."""
    return len(value.encode("utf-16-le")) // 2 > MAX_SECRET_CHARS


class SecretStore:
    """Secrets of profiles in the OS keyring.

    Args:
        backend: a keyring backend; by default the one keyring picks at call time.
    """

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend

    # -- public API -------------------------------------------------------------------------
    def get(self, profile: str, key: str) -> str | None:
        """The stored value, or None when nothing is stored under that key."""
        return self._call("get", profile, key)

    def set(self, profile: str, key: str, value: str) -> None:
        """Store ``value``; too long for the Windows credential store -> SecretStoreError."""
        if not isinstance(value, str) or not value:
            raise SecretStoreError(
                Text("密钥 {key} 的值为空。", "The value of secret {key} is empty.").format(key=key), field=key
            )
        if too_long(value):
            raise SecretStoreError(
                Text(
                    "密钥 {key} 太长（{n} 个字符），系统密钥环最多保存 {max} 个字符。",
                    "Secret {key} is too long ({n} characters); the OS keyring keeps at most {max}.",
                ).format(key=key, n=len(value), max=MAX_SECRET_CHARS),
                Text("请检查是否粘贴了多余内容。", "Check that nothing extra was pasted."),
                field=key,
            )
        self._call("set", profile, key, value)
        if key not in SECRET_KEYS and key not in TOKEN_KEYS:
            self._remember(profile, key)

    def delete(self, profile: str, key: str) -> None:
        """Remove one secret; a missing one is fine."""
        self._call("delete", profile, key)

    def delete_profile(self, profile: str) -> None:
        """Remove every secret and cached token of ``profile``."""
        extra = self._tracked(profile)
        for key in (*SECRET_KEYS, *TOKEN_KEYS, *extra):
            self.delete(profile, key)
        self.delete(profile, _INDEX_KEY)

    def backend_name(self) -> str:
        """Where secrets go, in words a user recognises (e.g. "Windows Credential Manager")."""
        return _friendly(self._keyring())

    def check(self) -> None:
        """Raise SecretStoreError now if there is no usable keyring backend."""
        backend = self._keyring()
        if _unusable(backend):
            raise self._no_backend(backend)

    # -- internals --------------------------------------------------------------------------
    def _keyring(self) -> KeyringBackend:
        if self._backend is not None:
            return self._backend
        try:
            import keyring  # start-up speed: see the note at the top

            return keyring.get_keyring()
        except Exception as exc:  # noqa: BLE001 - a broken keyring configuration or backend that fails to load
            raise SecretStoreError(
                Text("无法加载系统密钥环（{err}）。", "The OS keyring could not be loaded ({err}).").format(
                    err=type(exc).__name__),
                _NO_BACKEND_ADVICE, raw=type(exc).__name__,
            ) from exc

    def _no_backend(self, backend: KeyringBackend) -> SecretStoreError:
        return SecretStoreError(
            Text(
                "没有可用的系统密钥环（当前：{name}），无法保存或读取密码。",
                "No usable OS keyring is available (backend: {name}); secrets cannot be stored or read.",
            ).format(name=_friendly(backend)),
            _NO_BACKEND_ADVICE,
        )

    def _call(self, op: str, profile: str, key: str, value: str | None = None) -> str | None:
        if not profile or not key:
            raise SecretStoreError(Text("配置名称和密钥名称不能为空。", "Profile and secret names must not be empty."))
        backend = self._keyring()
        if _unusable(backend):
            raise self._no_backend(backend)
        import keyring.errors  # loaded with the backend already (start-up speed: see the note at the top)

        user = f"{profile}:{key}"
        try:
            if op == "get":
                return backend.get_password(SERVICE, user)
            if op == "set":
                backend.set_password(SERVICE, user, value or "")
                return None
            try:
                backend.delete_password(SERVICE, user)
            except keyring.errors.PasswordDeleteError:
                pass  # nothing stored: the wanted end state already holds
            return None
        except keyring.errors.KeyringLocked as exc:
            raise SecretStoreError(
                Text("系统密钥环（{name}）已锁定。",
                     "The OS keyring ({name}) is locked.").format(name=_friendly(backend)),
                Text("请先解锁密钥环（登录钥匙串），然后重试。", "Unlock it (log in to the keychain), then try again."),
                raw=type(exc).__name__,
            ) from exc
        except keyring.errors.NoKeyringError as exc:
            raise self._no_backend(backend) from exc
        except keyring.errors.KeyringError as exc:
            raise self._backend_failed(backend, key, exc) from exc
        except Exception as exc:  # noqa: BLE001 - any backend failure: pywintypes.error, a corrupt keyring file ...
            raise self._backend_failed(backend, key, exc) from exc

    def _backend_failed(self, backend: KeyringBackend, key: str, exc: BaseException) -> SecretStoreError:
        # Only the error's type is shown: a backend's text may quote what it was handed (a value, a file's content).
        return SecretStoreError(
            Text(
                "系统密钥环（{name}）处理密钥 {key} 时出错：{err}",
                "The OS keyring ({name}) failed on secret {key}: {err}",
            ).format(name=_friendly(backend), key=key, err=_error_name(exc)),
            Text("请检查密钥环是否可用（Windows：凭据管理器；其他系统：钥匙串或 Secret Service），然后重试。",
                 "Check that the keyring is available (Windows: Credential Manager; elsewhere: the keychain or Secret "
                 "Service), then try again."),
            raw=_error_name(exc),
        )

    def _tracked(self, profile: str) -> list[str]:
        raw = self._call("get", profile, _INDEX_KEY)
        try:
            keys = json.loads(raw) if raw else []
        except ValueError:
            return []
        return [k for k in keys if isinstance(k, str)] if isinstance(keys, list) else []

    def _remember(self, profile: str, key: str) -> None:
        keys = self._tracked(profile)
        if key not in keys:
            self._call("set", profile, _INDEX_KEY, json.dumps(sorted({*keys, key})))


class MemorySecretStore(SecretStore):
    """Demo mode: secrets in a dict for the life of the process, never the keyring."""

    def __init__(self) -> None:
        super().__init__()
        self._data: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def backend_name(self) -> str:
        return "memory (demo mode) / 内存（演示模式）"

    def check(self) -> None:
        return None

    def _call(self, op: str, profile: str, key: str, value: str | None = None) -> str | None:
        if not profile or not key:
            raise SecretStoreError(Text("配置名称和密钥名称不能为空。", "Profile and secret names must not be empty."))
        with self._lock:
            if op == "get":
                return self._data.get((profile, key))
            if op == "set":
                self._data[(profile, key)] = value or ""
            else:
                self._data.pop((profile, key), None)
        return None


def default_store() -> SecretStore:
    """The keyring-backed store (the backend is resolved on each call, so tests can swap it)."""
    return SecretStore()
