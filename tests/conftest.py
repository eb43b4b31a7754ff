"""Shared test set-up: offscreen Qt, an in-memory keyring, a temp data folder; never the real ones."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import keyring
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.keyring_backends import MemoryKeyring  # noqa: E402


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``@pytest.mark.posix`` tests send POSIX signals or use POSIX-only modules: skipped on Windows."""
    if os.name == "posix":
        return
    skip = pytest.mark.skip(reason="uses POSIX signals or modules (SIGKILL, SIGINT, fcntl)")
    for item in items:
        if "posix" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Every test gets its own home folder and an empty in-memory keyring."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("FXK3SYNC_HOME", str(home))
    monkeypatch.delenv("FXK3SYNC_DB", raising=False)  # a developer's team store never leaks into a test
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def home() -> Path:
    """The temp data folder of this test (FXK3SYNC_HOME)."""
    return Path(os.environ["FXK3SYNC_HOME"])


@pytest.fixture
def memory_keyring(_isolated: MemoryKeyring) -> MemoryKeyring:
    """The in-memory keyring backend installed for this test."""
    return _isolated


@pytest.fixture
def cli_env(tmp_path_factory: pytest.TempPathFactory, home: Path) -> dict[str, str]:
    """Environment for `python -m core.cli` subprocesses: same home, a file keyring outside it, offscreen Qt."""
    ring = tmp_path_factory.mktemp("ring") / "keyring.json"
    env = dict(os.environ)
    env.update(
        FXK3SYNC_HOME=str(home),
        PYTHON_KEYRING_BACKEND="tests.keyring_backends.FileKeyring",
        FXK3SYNC_TEST_KEYRING_FILE=str(ring),
        PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
        QT_QPA_PLATFORM="offscreen",
    )
    return env


@pytest.fixture
def db(home: Path):
    """The product database (``core.store.Database``) in this test's home folder, closed afterwards."""
    from core.store import Database

    database = Database(home / "fxk3sync.db")
    yield database
    database.close()


@pytest.fixture
def proxy(sb):
    """A test-only K3Cloud proxy (tests/helpers_sync.K3Proxy) in front of the module's ``sb`` sandbox."""
    from tests.helpers_sync import K3Proxy

    p = K3Proxy(sb)
    yield p
    p.close()


@pytest.fixture
def pg_url():
    """The SQLAlchemy URL of a new empty PostgreSQL database, dropped afterwards (tests/helpers_pg.py)."""
    from tests.helpers_pg import create_database, drop_database

    url = create_database()
    yield url
    drop_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, home: Path) -> str:
    """Where a store test's database is, once per backend: the SQLite file in home, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(home / "fxk3sync.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(store_url: str):
    """``core.store.Database`` on each backend (see ``store_url``), closed afterwards."""
    from core.store import Database

    database = Database(store_url)
    yield database
    database.close()
