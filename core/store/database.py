"""The store: the embedded SQLite file (default) or a shared PostgreSQL database (team mode), migrated on open.

SQLite: WAL, foreign keys and a busy timeout on every connection. PostgreSQL (``postgresql+psycopg://`` URLs, the
psycopg 3 driver): pre-pinged pooled connections with TCP keepalives. Failures of the storage itself come out of
``session()`` as ``StoreError`` (see ``core/store/errors.py``); constraint violations stay ``IntegrityError``.
"""

from __future__ import annotations

import re
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core import paths
from core.errors import ConfigError, Text
from core.store import sqlite_schema
from core.store.errors import StoreError, Where, from_exception
from core.store.version import BUSY_TIMEOUT_MS, LATEST

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Engine
    from sqlalchemy.orm import Session, sessionmaker

# SQLAlchemy is imported where an engine or a URL is made, not with this module: an up-to-date SQLite store is opened
# and its profile read through the standard library, so a CLI run's first request need not wait for the ORM (start-up
# speed, benchmarks/cli_startup.py).

SQLITE, POSTGRESQL = "sqlite", "postgresql"
#: libpq keepalives: a client whose server vanished (or the reverse) finds out in about a minute, not two hours.
PG_CONNECT_ARGS = {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3,
                   "connect_timeout": 15, "application_name": "fxk3sync"}


def _on_connect(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    try:
        cur.execute("PRAGMA journal_mode=WAL")
        cur.fetchall()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # NORMAL is durable across application crashes in WAL mode; only an OS crash may lose the last commit.
        cur.execute("PRAGMA synchronous=NORMAL")
    finally:
        cur.close()


def _bad_url(value: str, why: Text) -> ConfigError:
    shown = re.sub(r"(//[^:/@]*):[^@/]*@", r"\1:***@", value)  # never show a password given in the URL
    return ConfigError(
        Text("数据库地址“{v}”无法使用：{z}。", "The database URL '{v}' cannot be used: {e}.").format(
            v=shown, z=why.zh, e=why.en),
        Text("例如 postgresql+psycopg://用户名@服务器/fxk3sync，或不设置 --db / FXK3SYNC_DB 以使用本机的数据文件。",
             "E.g. postgresql+psycopg://user@server/fxk3sync, or leave --db / FXK3SYNC_DB unset to use this PC's "
             "data file."),
        field="db",
    )


def _parse(target: Path | str | None) -> tuple[URL | None, Path | None]:
    """(server URL, None) or (None, SQLite path) for what the caller or ``paths.db_url()`` gives."""
    if target is None:
        target = paths.db_url() or paths.db_path()
    if isinstance(target, Path) or "://" not in target:
        return None, Path(target)
    from sqlalchemy.engine import make_url  # a server URL (start-up speed: see the note at the top)
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(target)
    except ArgumentError as exc:
        raise _bad_url(target, Text("格式不对", "it is not a valid URL")) from exc
    if url.get_backend_name() == SQLITE:
        if not url.database or url.database == ":memory:":
            raise _bad_url(target, Text("需要一个文件路径", "it needs a file path"))
        return None, Path(url.database)
    if url.get_backend_name() != POSTGRESQL or url.get_driver_name() not in ("psycopg", "postgresql"):
        raise _bad_url(target, Text("只支持 PostgreSQL（驱动 psycopg）",
                                    "only PostgreSQL (driver psycopg) is supported"))
    return url.set(drivername="postgresql+psycopg"), None


class Database:
    """The store, brought to the current schema when opened.

    Args:
        target: a SQLite file path, or a SQLAlchemy URL (``postgresql+psycopg://user@host/db`` or ``sqlite:///path``);
            default ``paths.db_url()`` (``--db`` / ``FXK3SYNC_DB``) else the file ``paths.db_path()``.
        password: the server password, when it is kept out of the URL (e.g. read from the keyring).
        backup: PostgreSQL only: the ``pg_dump`` file that confirms the backup before an upgrade
            (default ``$FXK3SYNC_DB_BACKUP``); see ``pg_schema.confirm_backup``.
        migrate_without_backup: PostgreSQL only: upgrade without that file
            (default ``$FXK3SYNC_DB_MIGRATE_WITHOUT_BACKUP``).

    Raises:
        ConfigError: a bad URL; a store written by a newer FxK3 Sync, or not ours (left untouched).
        StoreError: a read-only folder, a damaged file, an unreachable server, an upgrade without backup.
    """

    schema_version = LATEST

    def __init__(self, target: Path | str | None = None, *, password: str | None = None,
                 backup: Path | str | None = None, migrate_without_backup: bool | None = None) -> None:
        url, path = _parse(target)
        #: The SQLite file, or None for a server.
        self.path: Path | None = path
        #: The copy made before an SQLite upgrade on this open, if any.
        self.backup_path: Path | None = None
        #: PostgreSQL: the note of the backup an upgrade on this open relied on, if any.
        self.backup_note: str | None = None
        self._engine: Engine | None = None
        if path is not None:
            self.backend = SQLITE
            self.where = sqlite_schema.where(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            self.backup_path = sqlite_schema.migrate(path)
        else:
            assert url is not None
            from sqlalchemy import create_engine  # start-up speed: see the note at the top
            from sqlalchemy.engine import URL

            from core.store import pg_schema

            self.backend = POSTGRESQL
            if password is not None:
                url = url.set(password=password)
            # The label is a libpq URI without the password (URL.set ignores None, so it is built anew): it goes into
            # messages and into the pg_dump command a message suggests.
            label = URL.create("postgresql", username=url.username, host=url.host, port=url.port,
                               database=url.database, query=url.query).render_as_string(hide_password=False)
            self.where = Where(label=label, user=url.username, database=url.database)
            self._engine = create_engine(url, pool_pre_ping=True, connect_args=dict(PG_CONNECT_ARGS))
            try:
                self.backup_note = pg_schema.migrate(self._engine, self.where, backup=backup,
                                                     without_backup=migrate_without_backup)
            except BaseException:
                self._engine.dispose()
                raise

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, made on first use (SQLite: WAL, foreign keys, busy timeout on every connection)."""
        if self._engine is None:
            from sqlalchemy import create_engine, event  # start-up speed: see the note at the top

            assert self.path is not None
            self._engine = create_engine(
                f"sqlite:///{self.path}",
                connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
            )
            event.listen(self._engine, "connect", _on_connect)
        return self._engine

    @cached_property
    def _sessions(self) -> sessionmaker[Session]:
        from sqlalchemy.orm import sessionmaker  # start-up speed: see the note at the top

        return sessionmaker(bind=self.engine, expire_on_commit=False)

    def read(self, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        """The rows of one plain SELECT (``:name`` parameters, SQL both databases take). Until the engine exists, a
        SQLite store is read through the standard library's driver: no ORM import before a CLI's first request.

        Raises:
            StoreError: the storage failed (damaged, unreadable, server gone).
        """
        if self._engine is None and self.path is not None:
            try:
                conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
                try:
                    return [tuple(r) for r in conn.execute(sql, params).fetchall()]
                finally:
                    conn.close()
            except sqlite3.Error as exc:
                known = from_exception(exc, self.where)
                if known is not None:
                    raise known from exc
                raise
        from sqlalchemy import text

        with self.session() as s:
            return [tuple(r) for r in s.execute(text(sql), params)]

    @property
    def shared(self) -> bool:
        """True for a server store several PCs share (team mode)."""
        return self.backend == POSTGRESQL

    @property
    def url(self) -> str:
        """Where the store is, for messages and logs: the file path, or the server URL without password."""
        return self.where.label

    def store_error(self, exc: BaseException) -> StoreError | None:
        """The ``StoreError`` a driver error means here, or None when it is not a failure of the store."""
        sa_exc = sys.modules.get("sqlalchemy.exc")  # not loaded: no SQLAlchemy error can exist (start-up speed)
        if sa_exc is None or not isinstance(exc, sa_exc.SQLAlchemyError):
            return None
        return from_exception(exc, self.where)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block ends normally and rolls back on an exception.

        Raises:
            StoreError: the storage failed (full, damaged, read-only, server gone); nothing of the block is kept.
        """
        from sqlalchemy.exc import SQLAlchemyError  # loaded with the session maker already (start-up speed)

        s = self._sessions()
        try:
            yield s
            s.commit()
        except BaseException as exc:
            try:
                s.rollback()
            except SQLAlchemyError:
                pass  # a dead connection cannot roll back; the server or SQLite discards the transaction anyway
            known = self.store_error(exc)
            if known is not None:
                raise known from exc
            raise
        finally:
            s.close()

    def close(self) -> None:
        """Close every pooled connection (the WAL is checkpointed when the last one closes)."""
        if self._engine is not None:
            self._engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Database({self.url!r})"
