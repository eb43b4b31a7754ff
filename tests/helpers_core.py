"""Test helpers shared by the core client and sandbox tests: a fake clock and trustme certificate files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import trustme


class FakeClock:
    """Epoch seconds that only move when a test says so; shared by a simulator and the code under test."""

    def __init__(self, start: float = 1_790_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass(frozen=True)
class TlsFiles:
    """A server certificate (with its chain), its key and the CA that signed it, as PEM files."""

    cert: str
    key: str
    ca: str

    @property
    def server(self) -> tuple[str, str]:
        """The ``tls=(certfile, keyfile)`` argument of ``SandboxServer`` / ``start_sandbox``."""
        return self.cert, self.key


def tls_files(folder: Path, name: str = "tls", host: str = "127.0.0.1") -> TlsFiles:
    """A fresh private CA and a certificate it issued for ``host``, written under ``folder``."""
    ca = trustme.CA()
    issued = ca.issue_cert(host)
    files = TlsFiles(str(folder / f"{name}-cert.pem"), str(folder / f"{name}-key.pem"), str(folder / f"{name}-ca.pem"))
    issued.private_key_and_cert_chain_pem.write_to_path(files.cert)
    issued.private_key_pem.write_to_path(files.key)
    ca.cert_pem.write_to_path(files.ca)
    return files
