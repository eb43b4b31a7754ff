"""A fresh PostgreSQL database per test on the server named by FXK3SYNC_TEST_PG_URL (scripts/pg_test_server.sh).

Without that variable the PostgreSQL variants are skipped, except in CI (``CI`` set) or with FXK3SYNC_REQUIRE_PG=1,
where a missing server fails them: CI must really run them.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

PG_URL_ENV = "FXK3SYNC_TEST_PG_URL"
REQUIRE_ENV = "FXK3SYNC_REQUIRE_PG"


def pg_required() -> bool:
    """True in CI or when FXK3SYNC_REQUIRE_PG=1: a missing PostgreSQL then fails instead of skipping."""
    def on(name: str) -> bool:
        return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")

    return on("CI") or on(REQUIRE_ENV)


def server_url() -> str:
    """The admin URL of the test server; skips (or fails, see ``pg_required``) when there is none."""
    url = os.environ.get(PG_URL_ENV, "").strip()
    if not url:
        reason = (f"{PG_URL_ENV} is not set: start a server with `eval \"$(bash scripts/pg_test_server.sh start)\"` "
                  "to run the PostgreSQL variants")
        if pg_required():
            pytest.fail(reason + f" (required here: CI or {REQUIRE_ENV}=1)")
        pytest.skip(reason)
    return url


def libpq(url: str) -> str:
    """The libpq URI (no SQLAlchemy driver suffix) of a SQLAlchemy URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def create_database() -> str:
    """A new empty database on the test server; returns its SQLAlchemy URL."""
    admin = server_url()
    name = "fxk3_t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(libpq(admin), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return make_url(admin).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    name = make_url(url).database
    with psycopg.connect(libpq(server_url()), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def execute(url: str, *statements: str) -> list[tuple]:
    """Runs SQL on the database of ``url`` (autocommit); the rows of the last statement."""
    rows: list[tuple] = []
    with psycopg.connect(libpq(url), autocommit=True) as conn:
        for sql in statements:
            cur = conn.execute(sql)
            rows = cur.fetchall() if cur.description else []
    return rows


def pg_bin(tool: str) -> Path:
    """A PostgreSQL client program (pg_dump ...) of the test server's version."""
    folder = os.environ.get("FXK3SYNC_TEST_PG_BIN", "")
    found = Path(folder) / tool if folder else None
    if found is None or not found.exists():
        which = shutil.which(tool)
        if which is None:
            pytest.skip(f"{tool} not found (set FXK3SYNC_TEST_PG_BIN)")
        found = Path(which)
    return found
