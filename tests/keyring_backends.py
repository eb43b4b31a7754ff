"""Test-only keyring backends: in memory, and a JSON file for CLI subprocesses (never the real keychain)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend


class MemoryKeyring(KeyringBackend):
    """Keeps passwords in a dict for the life of the process."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if self.store.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


class FileKeyring(KeyringBackend):
    """Shares secrets between test processes through $FXK3SYNC_TEST_KEYRING_FILE (a tmp file outside the home)."""

    priority = 1  # type: ignore[assignment]

    def _path(self) -> Path:
        return Path(os.environ["FXK3SYNC_TEST_KEYRING_FILE"])

    def _load(self) -> dict[str, str]:
        p = self._path()
        return json.loads(p.read_text("utf-8")) if p.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\x00{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}\x00{username}"] = password
        self._save(data)

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        data = self._load()
        if data.pop(f"{service}\x00{username}", None) is None:
            raise PasswordDeleteError(username)
        self._save(data)

    def _save(self, data: dict[str, str]) -> None:
        # Atomic replace: a CLI process killed with SIGKILL mid-write must not leave a torn file behind.
        tmp = self._path().with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), "utf-8")
        os.replace(tmp, self._path())


class CredentialError(Exception):
    """Shaped like pywin32's ``pywintypes.error``: (winerror, funcname, strerror), derived from Exception only."""


CredentialError.__module__, CredentialError.__name__, CredentialError.__qualname__ = "pywintypes", "error", "error"


class BrokenKeyring(KeyringBackend):
    """A keyring whose every call fails the way Windows Credential Manager does for anything but "not found"."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise CredentialError(1312, "CredRead", "A specified logon session does not exist.")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise CredentialError(1312, "CredWrite", "A specified logon session does not exist.")

    def delete_password(self, service: str, username: str) -> None:
        raise CredentialError(1312, "CredDelete", "A specified logon session does not exist.")
