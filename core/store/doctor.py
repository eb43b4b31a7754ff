"""The data store's check, like the connection doctor's: reachable -> login -> schema -> lock, nothing changed.

A company database is reached (TCP, or the socket folder), logged in to, its schema version read (empty: FxK3 Sync
creates its tables; older: an upgrade that needs a backup first; newer or someone else's tables: refused) and one
advisory lock taken and given back, which is what a sync needs of it. This PC's file is checked for a writable
folder and its schema version. Nothing is created, migrated or written; every failure says what to do in both
languages (``core/store/errors.describe``).
"""

from __future__ import annotations

import hashlib
import socket
from collections.abc import Callable
from functools import partial
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from core import paths
from core.doctor_types import Step, StepRunner
from core.errors import ConfigError, Fxk3Error, Text
from core.store import pg_schema, sqlite_schema
from core.store.choice import server_url
from core.store.database import PG_CONNECT_ARGS
from core.store.errors import AUTH, PERMISSION, UNREACHABLE, Where, describe, from_exception
from core.store.migrations import LATEST, newer_error

SIDE = "store"
#: The advisory lock the check takes and gives back at once (no profile's lock: a running sync keeps its own).
CHECK_LOCK_KEY = int.from_bytes(hashlib.sha256(b"fxk3sync:store-check").digest()[:8], "big", signed=True)
CONNECT_SECONDS = 10


def check_store(url: str | None, password: str | None = None, *, home: Path | None = None) -> list[Step]:
    """Checks a store without changing it; stops at the first failure.

    Args:
        url: a company database URL without password (``postgresql://user@host/db``), or None for this PC's file.
        password: the database password (from the form or the keyring); never shown or logged.
        home: the home folder whose file is checked (default the current one).
    """
    if url is None:
        return _check_file((home or paths.home_dir()) / "fxk3sync.db")
    run = StepRunner(SIDE, "db_url")
    try:
        target = make_url(server_url(url))
    except ConfigError as exc:
        run.failed("reachable", exc, "db_url")
        return run.steps
    where = _where(target)
    if not run.step("reachable", lambda: _reach(target, where), field_of=_form_field):
        return run.steps
    engine = create_engine(target.set(password=password) if password else target, poolclass=NullPool,
                           connect_args={**PG_CONNECT_ARGS, "connect_timeout": CONNECT_SECONDS})
    try:
        checks: tuple[tuple[str, Callable[[Engine, Where], Text]], ...] = (
            ("login", _login), ("schema", _schema), ("lock", _lock))
        for name, check in checks:
            if not run.step(name, partial(check, engine, where), field_of=_form_field):
                break
    finally:
        engine.dispose()
    return run.steps


def _form_field(exc: Fxk3Error) -> str:
    """The data store form's field a failure points at: the password for a refused login, else the URL."""
    return "db_password" if exc.code == AUTH else "db_url"


def _where(url: URL) -> Where:
    label = URL.create("postgresql", username=url.username, host=url.host, port=url.port, database=url.database,
                       query=url.query).render_as_string(hide_password=False)
    return Where(label=label, user=url.username, database=url.database)


def _reach(url: URL, where: Where) -> Text:
    """TCP to host:port, or the server's socket in the folder given as ``?host=/dir`` (no host: the default one)."""
    socket_dir = url.query.get("host")
    if isinstance(socket_dir, tuple):
        socket_dir = socket_dir[0]
    port = url.port or 5432
    if url.host:
        try:
            with socket.create_connection((url.host, port), timeout=CONNECT_SECONDS):
                pass
        except OSError as exc:
            raise _unreachable(where, f"{url.host}:{port}: {exc.strerror or type(exc).__name__}") from exc
        return Text(f"服务器 {url.host}:{port} 可以连通。", f"The server {url.host}:{port} answers.")
    folder = Path(socket_dir or "/var/run/postgresql")
    sock = folder / f".s.PGSQL.{port}"
    if not sock.exists():
        raise _unreachable(where, f"{sock}: no server socket")
    return Text(f"服务器（本机套接字 {sock}）可以连通。", f"The server (local socket {sock}) answers.")


#: The unreachable advice as the data store form puts it (core/store/errors names --db, the CLI's way to set it).
_UNREACHABLE_ADVICE = Text("请检查数据库地址（服务器名和端口）、服务器是否在运行，"
                           "以及本机能否连到它（防火墙、pg_hba.conf）。",
                           "Check the database URL (server name and port), that the server is running and that this "
                           "PC may connect to it (firewall, pg_hba.conf).")


def _unreachable(where: Where, detail: str) -> Fxk3Error:
    err = describe(UNREACHABLE, where, detail)
    err.advice = _UNREACHABLE_ADVICE
    err.args = (err.user_message,)
    return err


def _fail(exc: SQLAlchemyError, where: Where) -> Fxk3Error | SQLAlchemyError:
    known = from_exception(exc, where)
    if known is not None and known.code == UNREACHABLE:
        return _unreachable(where, " ".join(str(getattr(exc, "orig", None) or exc).split())[:300])
    return known or exc


def _login(engine: Engine, where: Where) -> Text:
    try:
        with engine.connect() as conn:
            version = str(conn.exec_driver_sql("SHOW server_version").scalar() or "?")
    except SQLAlchemyError as exc:
        raise _fail(exc, where) from exc
    return Text(f"以用户 {where.user} 登录数据库 {where.database} 成功（PostgreSQL {version}）。",
                f"Logged in to database {where.database} as {where.user} (PostgreSQL {version}).")


def _schema(engine: Engine, where: Where) -> Text:
    try:
        with engine.connect() as conn:
            found = pg_schema.read_version(conn, where)
            can_create = bool(conn.exec_driver_sql(
                "SELECT has_schema_privilege(current_user, current_schema(), 'CREATE')").scalar())
    except SQLAlchemyError as exc:
        raise _fail(exc, where) from exc
    if found is None:
        if not can_create:
            raise describe(PERMISSION, where, "no CREATE privilege on the schema")
        return Text(f"数据库是空的：第一次使用时 FxK3 Sync 会在里面建表（结构版本 {LATEST}）。",
                    f"The database is empty: FxK3 Sync creates its tables there on first use (schema version "
                    f"{LATEST}).")
    if found > LATEST:
        raise newer_error(where, found)
    if found < LATEST:
        raise pg_schema.backup_required(where, found)
    return Text(f"FxK3 Sync 的数据结构是最新的（版本 {found}）。",
                f"FxK3 Sync's schema is up to date (version {found}).")


def _lock(engine: Engine, where: Where) -> Text:
    try:
        with engine.connect() as conn:
            got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": CHECK_LOCK_KEY}).scalar())
            if got:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": CHECK_LOCK_KEY})
            conn.commit()
    except SQLAlchemyError as exc:
        raise _fail(exc, where) from exc
    if not got:  # another PC's check holds it this very moment: the server grants such locks, so that is fine too
        return Text("另一台电脑正在检查同一个数据库；同步锁（advisory lock）可以使用。",
                    "Another PC is checking the same database right now; sync locks (advisory locks) work.")
    return Text("可以取得同步锁（advisory lock）：几台电脑不会同时写同一个配置。",
                "Sync locks (advisory locks) work: two PCs never write the same profile at once.")


def _check_file(path: Path) -> list[Step]:
    run = StepRunner(SIDE, "db_url")
    where = sqlite_schema.where(path)

    def reachable() -> Text:
        path.parent.mkdir(parents=True, exist_ok=True)
        sqlite_schema.check_writable(path)
        return Text(f"本机数据文件 {path} 可以写入。", f"This PC's data file {path} can be written.")

    def schema() -> Text:
        found = sqlite_schema.read_version(path)
        if found is None:
            return Text("还没有数据文件：第一次使用时会创建。",
                        "There is no data file yet: it is created on first use.")
        if found > LATEST:
            raise newer_error(where, found)
        if found < LATEST:
            return Text(f"数据文件是结构版本 {found}：下次打开时会先自动备份，再升级到 {LATEST}。",
                        f"The data file has schema version {found}: the next start backs it up by itself, then "
                        f"upgrades it to {LATEST}.")
        return Text(f"数据结构是最新的（版本 {found}）。", f"The schema is up to date (version {found}).")

    if run.step("reachable", reachable, field_of=_form_field):
        run.step("schema", schema, field_of=_form_field)
    return run.steps
