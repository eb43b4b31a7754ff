"""The fault trials run short in every test run; ``python -m pytest tests/chaos --chaos-long`` (or the environment
variable ``FXK3SYNC_CHAOS_LONG=1``) runs them at full size. After them, no file they let the product write holds a
secret, token or session id."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.helpers_secrets import scan


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--chaos-long", action="store_true", default=False,
                     help="run the fault trials of tests/chaos at full size (minutes)")


@pytest.fixture(scope="session")
def chaos_long(request: pytest.FixtureRequest) -> bool:
    try:
        flag = bool(request.config.getoption("--chaos-long"))
    except ValueError:  # the option is registered only when tests/chaos is named on the command line
        flag = False
    return flag or os.environ.get("FXK3SYNC_CHAOS_LONG") == "1"


@pytest.fixture(scope="session", autouse=True)
def _no_secret_on_disk_after_the_trials() -> Iterator[None]:
    yield
    files, secrets, found = scan()
    assert found == [], f"{len(found)} secrets found in {files} files: {found[:10]}"
