"""After the hostile suite: no file it let the product write holds a secret, token or session id."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers_secrets import scan


@pytest.fixture(scope="session", autouse=True)
def _no_secret_on_disk_after_the_suites() -> Iterator[None]:
    yield
    files, secrets, found = scan()
    assert found == [], f"{len(found)} secrets found in {files} files: {found[:10]}"
