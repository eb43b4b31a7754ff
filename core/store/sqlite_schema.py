"""The SQLite file's schema: version in ``PRAGMA user_version``, a backup copy before any upgrade, one transaction.

Before touching the file it is told apart: missing or empty (created), not SQLite at all or someone else's (refused,
untouched), damaged (``StoreError`` kind corrupt, naming the backup to restore), in a folder this user cannot write
(``StoreError`` kind read_only: the file is fine).
"""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

from core.store.errors import CORRUPT, Where, corrupt_error, from_exception, read_only_error
from core.store.version import BUSY_TIMEOUT_MS, LATEST

MAGIC = b"SQLite format 3\x00"


def where(path: Path) -> Where:
    return Where(label=str(path), path=path)


def check_writable(path: Path) -> None:
    """StoreError(read_only) when this user cannot create files in the folder or write the file.

    SQLite needs both: the ``-wal``/``-shm`` files beside the database, and the file itself. Trying is the only
    test that holds everywhere (ACLs on Windows, read-only mounts, root on Linux ignoring mode bits).
    """
    try:
        with tempfile.TemporaryFile(dir=path.parent, prefix=".fxk3-write-test-"):
            pass
    except OSError as exc:
        raise read_only_error(where(path), exc.strerror or type(exc).__name__) from exc
    if path.exists():
        try:
            with open(path, "r+b"):
                pass
        except OSError as exc:
            raise read_only_error(where(path), exc.strerror or type(exc).__name__) from exc


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN IMMEDIATE ourselves so DDL is atomic and writers are serialised.
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return conn


def _header(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(len(MAGIC))


def read_version(path: Path) -> int | None:
    """The file's schema version without changing it; None when there is no file (or an empty one)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    if _header(path) != MAGIC:
        raise _migrations().foreign_error(where(path), "no SQLite header")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            # Parses the schema: a damaged first page or schema table shows here, not in the middle of a sync.
            tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        known = from_exception(exc, where(path))
        if known is not None:
            raise (corrupt_error(where(path), _detail(exc)) if known.kind == CORRUPT else known) from exc
        raise _migrations().foreign_error(where(path), type(exc).__name__ + ": " + str(exc)) from exc
    if version == 0 and tables:
        raise _migrations().foreign_error(where(path), "user_version 0")
    return version or None


def _migrations() -> ModuleType:
    """The migrations module (SQLAlchemy's schema tools): imported only to create, upgrade or refuse a file, never to
    open an up-to-date one (start-up speed)."""
    from core.store import migrations

    return migrations


def _detail(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


def backup(path: Path, version: int) -> Path:
    """A consistent copy ``<name>.bak-v<version>-<timestamp>`` beside the file (SQLite backup API, WAL-safe)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.bak-v{version}-{stamp}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.bak-v{version}-{stamp}-{n}")
        n += 1
    src = sqlite3.connect(path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    except sqlite3.Error as exc:
        dst.close()
        target.unlink(missing_ok=True)  # half a copy is no backup
        known = from_exception(exc, where(path))
        raise (known or exc) from exc
    finally:
        dst.close()
        src.close()
    return target


def migrate(path: Path) -> Path | None:
    """Bring ``path`` to LATEST: create it fresh, or back it up and run the missing steps in order.

    Returns:
        The backup file made before upgrading, or None when none was needed.

    Raises:
        ConfigError: the file is newer than this program, or not an FxK3 Sync database (nothing changed).
        StoreError: the folder is read-only, the file is damaged, the disk is full (nothing changed).
    """
    check_writable(path)
    found = read_version(path)
    if found == LATEST:
        return None
    from sqlalchemy.dialects import sqlite as sqlite_dialect  # only to create or upgrade (start-up speed)

    m = _migrations()
    if found is not None and found > LATEST:
        raise m.newer_error(where(path), found)
    made = backup(path, found) if found is not None else None
    conn = _connect(path)
    dialect = sqlite_dialect.dialect()
    try:
        cur = conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            # Re-read under the write lock: another process may have migrated meanwhile.
            version = cur.execute("PRAGMA user_version").fetchone()[0]
            if version > LATEST:
                raise m.newer_error(where(path), version)
            if version == 0:
                m.create_latest(cur.execute, dialect)
            for step in range(version + 1, LATEST + 1) if version else ():
                m.MIGRATIONS[step].sqlite(cur.execute, dialect)
            cur.execute(f"PRAGMA user_version={LATEST}")
            cur.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                try:
                    cur.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # closing the connection rolls back too; the first error is the one to report
            if isinstance(exc, sqlite3.DatabaseError):
                raise m.upgrade_failed(where(path), found or 0, str(made) if made else None, exc,
                                     from_exception(exc, where(path))) from exc
            raise
    finally:
        conn.close()
    return made

