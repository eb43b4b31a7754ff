"""A PostgreSQL session advisory lock on its own connection: the server frees it when that connection dies.

A crashed or killed process closes its socket and the server releases the lock at once; a PC that loses power or
its network is noticed by TCP keepalives (set here on the server side of this session: about 60 s). The holder
writes who it is to ``sync_locks`` for the "busy" message of the others; the lock itself is only the advisory lock.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import SQLAlchemyError

from core.store import who
from core.store.database import Database
from core.store.models import LockHolder, utcnow

#: Server-side keepalives of the lock's session (all settable by any user): idle 30 s, then 3 probes 10 s apart.
_SESSION_SETTINGS = (("tcp_keepalives_idle", "30"), ("tcp_keepalives_interval", "10"),
                     ("tcp_keepalives_count", "3"), ("idle_in_transaction_session_timeout", "0"))
_HOLDER_SQL = text("""
SELECT l.pid AS backend_pid, h.host, h.os_user, h.pid, h.since, a.application_name
FROM pg_catalog.pg_locks l
LEFT JOIN sync_locks h ON h.name = :name AND h.backend_pid = l.pid
LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
  AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
  AND l.classid::bigint = :hi AND l.objid::bigint = :lo
""")


def lock_key(name: str) -> int:
    """The signed 64-bit advisory lock key of a lock name (first 8 bytes of its SHA-256)."""
    return int.from_bytes(hashlib.sha256(("fxk3sync:profile:" + name).encode("utf-8")).digest()[:8], "big",
                          signed=True)


@dataclass(frozen=True)
class Holder:
    """Who holds the lock, as far as the server and the holder's own row say."""

    host: str | None
    os_user: str | None
    pid: int | None
    since: datetime | None
    backend_pid: int
    application_name: str | None = None


class AdvisoryLock:
    """One named lock on a shared store (PostgreSQL).

    Args:
        db: the store (``db.shared`` must be true).
        name: the lock's name (the profile name).
    """

    def __init__(self, db: Database, name: str) -> None:
        self.db, self.name = db, name
        self.key = lock_key(name)
        self._conn: Connection | None = None
        self.held = False

    def _connect(self) -> Connection:
        conn = self.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        version = int(conn.exec_driver_sql("SHOW server_version_num").scalar() or 0)
        settings = _SESSION_SETTINGS + ((("idle_session_timeout", "0"),) if version >= 140000 else ())
        for setting, value in settings:
            conn.execute(text("SELECT set_config(:n, :v, false)"), {"n": setting, "v": value})
        app = f"fxk3sync lock {self.name} @{who.host_name()} pid {os.getpid()}"[:63]
        conn.execute(text("SELECT set_config('application_name', :v, false)"), {"v": app})
        return conn

    def try_acquire(self) -> bool:
        """Takes the lock if free; True when this object now holds it. Raises StoreError if the server fails."""
        if self.held:
            return True
        try:
            if self._conn is None:
                self._conn = self._connect()
            got = bool(self._conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}).scalar())
            if got:
                self.held = True
                backend = int(self._conn.exec_driver_sql("SELECT pg_backend_pid()").scalar() or 0)
                row = {"name": self.name, "host": who.host_name(), "os_user": who.os_user(), "pid": os.getpid(),
                       "backend_pid": backend, "since": utcnow()}
                self._conn.execute(insert(LockHolder).values(**row).on_conflict_do_update(
                    index_elements=["name"], set_={k: v for k, v in row.items() if k != "name"}))
            return got
        except SQLAlchemyError as exc:
            self._drop()
            known = self.db.store_error(exc)
            raise (known or exc) from exc

    def holder(self) -> Holder | None:
        """The current holder (another process, or this one), or None when nobody holds it."""
        try:
            with self.db.engine.connect() as conn:
                row = conn.execute(_HOLDER_SQL, {"name": self.name, "hi": (self.key >> 32) & 0xFFFFFFFF,
                                                 "lo": self.key & 0xFFFFFFFF}).first()
        except SQLAlchemyError:
            return None  # only for the busy message: "?" is better than hiding the busy error behind another
        if row is None:
            return None
        since = row.since
        return Holder(row.host, row.os_user, row.pid, since if since is None else since.replace(tzinfo=utcnow().tzinfo),
                      row.backend_pid, row.application_name)

    def still_held(self) -> bool:
        """Asks the server whether this session still holds the lock (False when the connection broke)."""
        if not self.held or self._conn is None:
            return False
        try:
            mine = self._conn.execute(text(
                "SELECT count(*) FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 "
                "AND pid = pg_backend_pid() AND classid::bigint = :hi AND objid::bigint = :lo"),
                {"hi": (self.key >> 32) & 0xFFFFFFFF, "lo": self.key & 0xFFFFFFFF}).scalar()
            return bool(mine)
        except SQLAlchemyError:
            return False

    def release(self) -> None:
        """Frees the lock (best effort) and closes its connection, which frees it in any case."""
        conn = self._conn
        if conn is not None and self.held:
            try:
                conn.execute(delete(LockHolder).where(LockHolder.name == self.name,
                                                      LockHolder.backend_pid == text("pg_backend_pid()")))
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
            except SQLAlchemyError:
                pass  # the connection is gone: the server has already freed the lock
        self._drop()

    def _drop(self) -> None:
        conn, self._conn, self.held = self._conn, None, False
        if conn is not None:
            # Never back into the pool: a connection that held a session lock (or its settings) is closed for good.
            try:
                conn.invalidate()
            finally:
                conn.close()
