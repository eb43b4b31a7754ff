"""The shared PostgreSQL store's schema: version in ``fxk3sync_schema``, upgrades only after a confirmed backup.

A server's database cannot be copied beside itself the way the SQLite file is, so the backup-first rule becomes:
an upgrade runs only when ``FXK3SYNC_DB_BACKUP`` names a ``pg_dump`` of this database made in the last 24 hours, or
``FXK3SYNC_DB_MIGRATE_WITHOUT_BACKUP=1`` says the company backs it up another way. Creating a new store in an
empty database needs neither. Every upgrade runs in one transaction (PostgreSQL's DDL is transactional) under a
session-level advisory lock, so two PCs starting at once upgrade it once.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from core import __version__
from core.errors import Text
from core.store import pgdump, who
from core.store.errors import BACKUP_REQUIRED, StoreError, Where, from_exception
from core.store.migrations import (
    LATEST,
    MIGRATIONS,
    PG_FIRST,
    create_latest,
    foreign_error,
    newer_error,
    upgrade_failed,
)
from core.store.models import utcnow

VERSION_TABLE = "fxk3sync_schema"
BACKUP_ENV = "FXK3SYNC_DB_BACKUP"
NO_BACKUP_ENV = "FXK3SYNC_DB_MIGRATE_WITHOUT_BACKUP"
MAX_BACKUP_AGE_HOURS = 24.0
#: Key of the advisory lock held while creating or upgrading the schema.
MIGRATE_LOCK_KEY = int.from_bytes(hashlib.sha256(b"fxk3sync:migrate").digest()[:8], "big", signed=True)

_CREATE_VERSION_TABLE = f"""CREATE TABLE {VERSION_TABLE} (
	version INTEGER NOT NULL,
	applied_at TIMESTAMP WITHOUT TIME ZONE NOT NULL,
	host VARCHAR NOT NULL,
	os_user VARCHAR NOT NULL,
	program VARCHAR NOT NULL,
	backup TEXT,
	PRIMARY KEY (version)
)"""


def read_version(conn: Connection, where: Where) -> int | None:
    """The store's schema version; None for an empty database; ConfigError when it holds someone else's tables."""
    if conn.exec_driver_sql(f"SELECT to_regclass('{VERSION_TABLE}') IS NOT NULL").scalar():
        return conn.exec_driver_sql(f"SELECT max(version) FROM {VERSION_TABLE}").scalar()
    others = conn.exec_driver_sql(
        "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    ).scalars().all()
    if others:
        shown = ", ".join(others[:5]) + (", …" if len(others) > 5 else "")
        raise foreign_error(where, f"{len(others)} other table(s): {shown}")
    return None


def dump_command(where: Where, version: int) -> str:
    """The pg_dump command line that backs up this store (no password in it: libpq asks or reads PGPASSWORD)."""
    return f'pg_dump --format=custom --file=fxk3sync-v{version}.dump "{where.label}"'


def backup_required(where: Where, version: int, why: str | None = None) -> StoreError:
    """The refusal to upgrade without a confirmed backup, with the exact commands to get one."""
    cmd = dump_command(where, version)
    msg = Text("共享数据库 {w} 需要从结构版本 {v} 升级到 {latest}。"
               "FxK3 Sync 不会在没有确认备份的情况下修改服务器上的数据库，未做任何修改。",
               "The shared database {w} needs an upgrade from schema version {v} to {latest}. FxK3 Sync "
               "does not change a server's database without a confirmed backup; nothing was changed.")
    if why:
        msg = Text(msg.zh + "给出的备份不能用：{why}。", msg.en + " The backup given cannot be used: {why}.")
    advice = Text(
        "请先备份：{cmd}；然后把环境变量 {env} 设为该文件（Windows：set {env}=fxk3sync-v{v}.dump，Linux：export "
        "{env}=fxk3sync-v{v}.dump），再运行一次（备份须在 {h} 小时内做成）。"
        "已用其他方式备份时，可设置 {no}=1 跳过此检查。升级时请让其他电脑暂停同步。",
        "Back it up first: {cmd}; then set the environment variable {env} to that file (Windows: set "
        "{env}=fxk3sync-v{v}.dump, Linux: export {env}=fxk3sync-v{v}.dump) and run again (the dump must be less "
        "than {h} hours old). If the database is backed up another way, set {no}=1 to skip this check. Pause the "
        "syncs on the other PCs while it upgrades.")
    fill = {"w": where.label, "v": version, "latest": LATEST, "why": why or "", "cmd": cmd, "env": BACKUP_ENV,
            "no": NO_BACKUP_ENV, "h": int(MAX_BACKUP_AGE_HOURS)}
    return StoreError(msg.format(**fill), advice.format(**fill), kind=BACKUP_REQUIRED, where=where)


def confirm_backup(where: Where, version: int, backup: Path | str | None, without_backup: bool | None) -> str:
    """A note of the confirmed backup for the version table; StoreError(backup_required) when there is none.

    Args:
        backup: the dump file (default ``$FXK3SYNC_DB_BACKUP``).
        without_backup: skip the check (default ``$FXK3SYNC_DB_MIGRATE_WITHOUT_BACKUP`` is 1/true/yes).
    """
    if without_backup is None:
        without_backup = os.environ.get(NO_BACKUP_ENV, "").strip().lower() in ("1", "true", "yes")
    if backup is None:
        backup = os.environ.get(BACKUP_ENV, "").strip() or None
    if backup is None:
        if without_backup:
            return f"none ({NO_BACKUP_ENV}=1)"
        raise backup_required(where, version)
    path = Path(backup).expanduser()
    try:
        info = pgdump.inspect(path)
    except FileNotFoundError:
        raise backup_required(where, version, f"{path}: no such file") from None
    except (OSError, ValueError) as exc:
        raise backup_required(where, version, f"{path}: {exc}") from exc
    if info.database is not None and where.database is not None and info.database != where.database:
        raise backup_required(where, version, f"{path} is a dump of database {info.database}, not {where.database}")
    if info.age_hours() > MAX_BACKUP_AGE_HOURS:
        raise backup_required(where, version, f"{path} was made {info.age_hours():.0f} hours ago")
    return f"{info.format} dump {path.resolve()} ({info.made.isoformat(timespec='seconds')})"


def _record(conn: Connection, version: int, note: str | None) -> None:
    conn.exec_driver_sql(
        f"INSERT INTO {VERSION_TABLE} (version, applied_at, host, os_user, program, backup) "
        "VALUES (%(v)s, %(at)s, %(host)s, %(user)s, %(program)s, %(backup)s)",
        {"v": version, "at": utcnow().replace(tzinfo=None), "host": who.host_name(), "user": who.os_user(),
         "program": f"fxk3sync {__version__}", "backup": note},
    )


def migrate(engine: Engine, where: Where, *, backup: Path | str | None = None,
            without_backup: bool | None = None) -> str | None:
    """Bring the store to LATEST: create it in an empty database, or upgrade it after a confirmed backup.

    Returns:
        The note of the backup relied on for an upgrade, or None when none was needed.

    Raises:
        ConfigError: the store is newer than this program, or the database holds someone else's tables.
        StoreError: an upgrade without a confirmed backup (kind backup_required), or the server failed.
    """
    try:
        with engine.connect() as conn:
            found = read_version(conn, where)
    except DBAPIError as exc:
        known = from_exception(exc, where)
        raise (known or exc) from exc
    if found is not None and found > LATEST:
        raise newer_error(where, found)
    if found == LATEST:
        return None
    note = confirm_backup(where, found, backup, without_backup) if found is not None else None
    try:
        with engine.connect() as conn:
            # A session-level lock taken BEFORE the transaction: a transaction that starts after the wait sees the
            # tables another PC has just created (one started before it could keep stale catalog caches).
            conn.exec_driver_sql(f"SELECT pg_advisory_lock({MIGRATE_LOCK_KEY})")
            conn.commit()
            try:
                with conn.begin():
                    _migrate_locked(conn, where, note)
            finally:
                conn.exec_driver_sql(f"SELECT pg_advisory_unlock({MIGRATE_LOCK_KEY})")
                conn.commit()
    except DBAPIError as exc:  # the transaction was rolled back
        known = from_exception(exc, where)
        if found is None:
            raise (known or exc) from exc
        raise upgrade_failed(where, found, note, exc.orig or exc, known) from exc
    return note


def _migrate_locked(conn: Connection, where: Where, note: str | None) -> None:
    version = read_version(conn, where)  # again under the lock: another PC may have done it meanwhile
    if version is not None and version > LATEST:
        raise newer_error(where, version)
    if version == LATEST:
        return
    run = conn.exec_driver_sql
    if version is None:
        create_latest(run, conn.dialect)
        run(_CREATE_VERSION_TABLE)
        _record(conn, LATEST, None)
        return
    if version < PG_FIRST:
        raise upgrade_failed(where, version, note, RuntimeError(f"no PostgreSQL upgrade from {version}"), None)
    for step in range(version + 1, LATEST + 1):
        upgrade = MIGRATIONS[step].postgresql
        assert upgrade is not None  # every step from PG_FIRST on has one (tests check it)
        upgrade(run, conn.dialect)
    _record(conn, LATEST, note)
