"""Schema versions in ``PRAGMA user_version``: fresh creation, ordered upgrades, backup copy first."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.schema import CreateIndex, CreateTable

from core.errors import ConfigError, Text
from core.store.models import Base

BUSY_TIMEOUT_MS = 10_000


def _v2(cur: sqlite3.Cursor) -> None:
    """v1 -> v2: source modification time on links, delivery notices, the journal's per-state index."""
    cur.execute("ALTER TABLE links ADD COLUMN source_modified_ms INTEGER")
    cur.execute(
        """CREATE TABLE delivery_notices (
	id INTEGER NOT NULL,
	profile_id INTEGER NOT NULL,
	outstock_number VARCHAR(128) NOT NULL,
	order_source_id VARCHAR(64),
	message_sent_at DATETIME,
	status_updated_at DATETIME,
	PRIMARY KEY (id),
	CONSTRAINT uq_delivery_notices_profile_number UNIQUE (profile_id, outstock_number),
	FOREIGN KEY(profile_id) REFERENCES profiles (id) ON DELETE CASCADE
)"""
    )
    cur.execute("CREATE INDEX ix_sync_items_profile_state ON sync_items (profile_id, state)")


#: MIGRATIONS[n] takes a database from version n-1 to n. Append only; never edit a released step.
MIGRATIONS: dict[int, Callable[[sqlite3.Cursor], None]] = {2: _v2}
LATEST = max(MIGRATIONS)


def _newer_error(path: Path, version: int) -> ConfigError:
    return ConfigError(
        Text(
            "数据库 {path} 由更新版本的 FxK3 Sync 写入（结构版本 {v}，本程序支持到 {latest}），未做任何修改。",
            "The database {path} was written by a newer FxK3 Sync (schema version {v}; this one knows up to "
            "{latest}); nothing was changed.",
        ).format(path=path, v=version, latest=LATEST),
        Text("请升级 FxK3 Sync，或使用 --home 指定其他数据文件夹。", "Upgrade FxK3 Sync, or use --home for another data folder."),
        field="database",
    )


def _foreign_error(path: Path, why: str) -> ConfigError:
    return ConfigError(
        Text(
            "{path} 不是 FxK3 Sync 的数据库（{why}），未做任何修改。",
            "{path} is not an FxK3 Sync database ({why}); nothing was changed.",
        ).format(path=path, why=why),
        Text("请使用 --home 指定其他数据文件夹。", "Use --home to choose another data folder."),
        field="database",
    )


def _failed_error(path: Path, version: int, made: Path | None, exc: BaseException) -> ConfigError:
    return ConfigError(
        Text(
            "无法把数据库 {path} 从结构版本 {v} 升级到 {latest}（{err}），数据库保持原样。",
            "The database {path} could not be upgraded from schema version {v} to {latest} ({err}); it was left "
            "as it was.",
        ).format(path=path, v=version, latest=LATEST, err=exc),
        Text("升级前的备份：{b}。请联系技术支持。", "A copy made before the upgrade: {b}. Please contact support.")
        .format(b=made or "-"),
        field="database",
    )


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN IMMEDIATE ourselves so DDL is atomic and writers are serialised.
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return conn


def read_version(path: Path) -> int | None:
    """The file's schema version without changing it; None when there is no file (or an empty one)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise _foreign_error(path, type(exc).__name__ + ": " + str(exc)) from exc
    if version == 0 and tables:
        raise _foreign_error(path, "user_version 0")
    return version or None


def backup(path: Path, version: int) -> Path:
    """A consistent copy ``<name>.bak-v<version>-<timestamp>`` beside the file (SQLite backup API, WAL-safe)."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.bak-v{version}-{stamp}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.bak-v{version}-{stamp}-{n}")
        n += 1
    src = sqlite3.connect(path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def _create_latest(cur: sqlite3.Cursor) -> None:
    dialect = sqlite_dialect.dialect()
    for table in Base.metadata.sorted_tables:
        cur.execute(str(CreateTable(table).compile(dialect=dialect)))
        for index in sorted(table.indexes, key=lambda i: i.name or ""):
            cur.execute(str(CreateIndex(index).compile(dialect=dialect)))


def migrate(path: Path) -> Path | None:
    """Bring ``path`` to LATEST: create it fresh, or back it up and run the missing steps in order.

    Returns:
        The backup file made before upgrading, or None when none was needed.

    Raises:
        ConfigError: the file is newer than this program, or not an FxK3 Sync database (nothing changed).
    """
    found = read_version(path)
    if found is not None and found > LATEST:
        raise _newer_error(path, found)
    if found == LATEST:
        return None
    made = backup(path, found) if found is not None else None
    conn = _connect(path)
    try:
        cur = conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            # Re-read under the write lock: another process may have migrated meanwhile.
            version = cur.execute("PRAGMA user_version").fetchone()[0]
            if version > LATEST:
                raise _newer_error(path, version)
            if version == 0:
                _create_latest(cur)
            for step in range(version + 1, LATEST + 1) if version else ():
                MIGRATIONS[step](cur)
            cur.execute(f"PRAGMA user_version={LATEST}")
            cur.execute("COMMIT")
        except BaseException as exc:
            cur.execute("ROLLBACK")
            if isinstance(exc, sqlite3.DatabaseError):
                raise _failed_error(path, found or 0, made, exc) from exc
            raise
    finally:
        conn.close()
    return made
