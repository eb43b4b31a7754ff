"""``StoreError``: the database itself failed (full, damaged, read-only, unreachable), told apart and explained."""

from __future__ import annotations

import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import Fxk3Error, Text

if TYPE_CHECKING:
    from sqlalchemy.exc import SQLAlchemyError

# Kinds (``StoreError.kind``, also its ``code``).
DISK_FULL = "disk_full"
CORRUPT = "corrupt"
READ_ONLY = "read_only"
IO_ERROR = "io_error"
BUSY = "busy"
UNREACHABLE = "unreachable"
AUTH = "auth"
NO_DATABASE = "no_database"
PERMISSION = "permission"
BAD_VALUE = "bad_value"
BACKUP_REQUIRED = "backup_required"

# SQLite primary result codes (https://www.sqlite.org/rescode.html); Python 3.11 gives ``sqlite_errorcode``.
_SQLITE_KINDS = {13: DISK_FULL, 11: CORRUPT, 26: CORRUPT, 8: READ_ONLY, 10: IO_ERROR, 5: BUSY, 6: BUSY,
                 14: READ_ONLY, 3: READ_ONLY}
# PostgreSQL SQLSTATE classes and codes (https://www.postgresql.org/docs/current/errcodes-appendix.html).
_PG_CODES = {"53100": DISK_FULL, "25006": READ_ONLY, "42501": PERMISSION, "3D000": NO_DATABASE, "XX001": CORRUPT,
             "XX002": CORRUPT, "58030": IO_ERROR, "57P01": UNREACHABLE, "57P02": UNREACHABLE, "57P03": UNREACHABLE,
             "55P03": BUSY, "40P01": BUSY}
_PG_CLASSES = {"08": UNREACHABLE, "28": AUTH, "53": DISK_FULL, "22": BAD_VALUE}
# libpq reports a refused connection without a SQLSTATE: only the server's text tells the cause, and only while
# the server speaks English (lc_messages); any other refusal is reported as "cannot reach", its text included.
_PG_AUTH_TEXTS = ("password authentication failed", "no pg_hba.conf entry", "authentication failed")


@dataclass(frozen=True)
class Where:
    """What the message names: the SQLite file (and the backups beside it) or the server URL without password."""

    label: str
    path: Path | None = None
    user: str | None = None
    database: str | None = None

    @property
    def shared(self) -> bool:
        return self.path is None


class StoreError(Fxk3Error):
    """The store could not be used; ``kind`` (= ``code``) is one of this module's kinds; side "local".

    Raised by ``Database`` and ``Database.session()`` for failures of the storage (disk full, I/O, damaged file,
    read-only folder, server unreachable), never for a constraint violation: ``IntegrityError`` stays as it is.
    Whatever was committed before stays committed: the caller reports it and the next run goes on from the journal.
    """

    side = "local"

    def __init__(self, message: Text, advice: Text | None = None, *, kind: str, where: Where | None = None,
                 **kw: Any) -> None:
        self.kind = kind
        self.where = where
        kw.setdefault("code", kind)
        kw.setdefault("field", "database")
        kw.setdefault("retryable", kind in (BUSY, UNREACHABLE, DISK_FULL, IO_ERROR))
        super().__init__(message, advice, **kw)


def backups_beside(path: Path) -> list[Path]:
    """The copies the migrations made beside ``path`` (``<name>.bak-v<n>-<time>``), newest first."""
    try:
        found = [p for p in path.parent.glob(path.name + ".bak-v*") if p.is_file()]
    except OSError:
        return []
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name), reverse=True)


def _sa_error(exc: BaseException, name: str) -> bool:
    """Whether ``exc`` is SQLAlchemy's exception class ``name``; no import: without SQLAlchemy loaded (the CLI's
    way to its first request, kept short for start-up speed) there can be no such exception."""
    module = sys.modules.get("sqlalchemy.exc")
    return module is not None and isinstance(exc, getattr(module, name))


def _orig(exc: BaseException) -> BaseException:
    """The driver's own exception inside SQLAlchemy's wrapper (``DBAPIError.orig``), else ``exc``."""
    return exc.orig if _sa_error(exc, "DBAPIError") else exc  # type: ignore[attr-defined]


def kind_of(exc: BaseException) -> str | None:
    """The kind of a driver error (wrapped by SQLAlchemy or not); None for errors that are not the store's fault."""
    orig = _orig(exc)
    if isinstance(orig, sqlite3.Error):
        code = getattr(orig, "sqlite_errorcode", None)
        return None if code is None else _SQLITE_KINDS.get(code & 0xFF)
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate:
        return _PG_CODES.get(sqlstate) or _PG_CLASSES.get(sqlstate[:2])
    if type(orig).__module__.startswith("psycopg"):
        if _sa_error(exc, "DataError") or type(orig).__name__ == "DataError":
            return BAD_VALUE
        if type(orig).__name__ == "OperationalError":
            text = str(orig)
            if 'database "' in text and "does not exist" in text:
                return NO_DATABASE
            if any(t in text for t in _PG_AUTH_TEXTS) or ('role "' in text and "does not exist" in text):
                return AUTH
            return UNREACHABLE
    return None


def from_exception(exc: SQLAlchemyError | sqlite3.Error, where: Where) -> StoreError | None:
    """The ``StoreError`` for ``exc``, or None when it is not a failure of the store itself."""
    kind = kind_of(exc)
    if kind is None:
        return None
    orig = _orig(exc)
    detail = " ".join(str(orig).split())[:300]
    return describe(kind, where, detail)


def describe(kind: str, where: Where, detail: str = "") -> StoreError:
    """The bilingual message and advice for one kind of failure at ``where``."""
    w, d = where.label, detail or "-"
    if kind == DISK_FULL:
        msg = Text("磁盘已满，无法写入数据库 {w}（{d}）。已提交的记录都保留着。",
                   "The disk is full: the database {w} cannot be written ({d}). Everything committed so far is kept.")
        advice = (Text("请让数据库服务器管理员释放磁盘空间，然后重新同步；已发送的记录会先向金蝶核对，不会重复写入。",
                       "Ask the database server's administrator to free disk space, then sync again; records already "
                       "sent are checked with K3Cloud first, nothing is written twice.") if where.shared else
                  Text("请释放该磁盘的空间后重新同步；已发送的记录会先向金蝶核对，不会重复写入。",
                       "Free space on that disk, then sync again; records already sent are checked with K3Cloud "
                       "first, nothing is written twice."))
    elif kind == CORRUPT:
        return corrupt_error(where, detail)
    elif kind == READ_ONLY:
        if where.shared:
            msg = Text("数据库服务器 {w} 只允许读取（{d}），例如这是一台只读的备用服务器。",
                       "The database server {w} only allows reading ({d}), e.g. it is a read-only standby.")
            advice = Text("请改用主服务器的地址（--db 或 FXK3SYNC_DB）。",
                          "Use the primary server's URL (--db or FXK3SYNC_DB).")
        else:
            return read_only_error(where, detail)
    elif kind == IO_ERROR:
        msg = Text("读写数据库 {w} 时出现磁盘错误（{d}）。",
                   "A disk error occurred reading or writing the database {w} ({d}).")
        advice = Text("请检查磁盘（空间、是否拔出、网络盘是否断开）后重试；已提交的记录都保留着。",
                      "Check the disk (space, unplugged, a network drive gone) and try again; everything committed "
                      "so far is kept.")
    elif kind == BUSY:
        msg = Text("数据库 {w} 长时间被其他程序占用（{d}）。",
                   "The database {w} stayed locked by another program ({d}).")
        advice = Text("请关闭正在使用它的其他程序（另一个 FxK3 Sync 窗口、备份或同步盘工具）后重试。",
                      "Close the other program using it (another FxK3 Sync window, a backup or cloud-drive tool) and "
                      "try again.")
    elif kind == UNREACHABLE:
        msg = Text("无法连接数据库服务器 {w}（{d}）。", "Cannot reach the database server {w} ({d}).")
        advice = Text("请检查 --db / FXK3SYNC_DB 的地址、服务器是否在运行、本机能否连到它（防火墙、pg_hba.conf）。",
                      "Check the URL given with --db / FXK3SYNC_DB, that the server is running and that this PC may "
                      "connect to it (firewall, pg_hba.conf).")
    elif kind == AUTH:
        msg = Text("数据库服务器 {w} 拒绝了用户 {u} 的登录（{d}）。", "The database server {w} refused user {u} ({d}).")
        advice = Text("请检查用户名和密码，并让管理员在 pg_hba.conf 中允许本机。",
                      "Check the user name and password, and ask the administrator to allow this PC in pg_hba.conf.")
    elif kind == NO_DATABASE:
        msg = Text("数据库服务器上没有数据库 {db}（{w}）。", "The database server has no database {db} ({w}).")
        advice = Text("请管理员先创建：CREATE DATABASE {db} OWNER {u};", "Ask the administrator to create it first: "
                      "CREATE DATABASE {db} OWNER {u};")
    elif kind == PERMISSION:
        msg = Text("数据库用户 {u} 没有足够的权限（{d}）。", "The database user {u} lacks a permission ({d}).")
        advice = Text("请使用数据库的所有者账号，或请管理员授权：GRANT ALL ON SCHEMA public TO {u};",
                      "Use the database's owner, or ask the administrator: GRANT ALL ON SCHEMA public TO {u};")
    else:  # BAD_VALUE
        msg = Text("有一个值无法存入数据库 {w}（{d}）。", "A value could not be stored in the database {w} ({d}).")
        advice = Text("请把日志发给技术支持；已提交的记录都保留着。",
                      "Please send the log to support; everything committed so far is kept.")
    fill = {"w": w, "d": d, "u": where.user or "?", "db": where.database or "?"}
    return StoreError(msg.format(**fill), advice.format(**fill), kind=kind, where=where)


def corrupt_error(where: Where, detail: str = "") -> StoreError:
    """The file is damaged: keep it, name the newest backup the migrations made and how to put it back."""
    msg = Text("数据库 {w} 已损坏（{d}）。文件保持原样，未做任何修改。",
               "The database {w} is damaged ({d}). The file was kept as it is; nothing was changed.")
    backups = backups_beside(where.path) if where.path is not None else []
    if where.path is not None and backups:
        advice = Text(
            "可以恢复升级前自动做的备份 {b}：关闭 FxK3 Sync，把 {f} 改名为 {f}.damaged，再把备份复制为 {f}。"
            "备份之后同步过的记录，下次同步时会按单号在金蝶中找到，不会重复写入。",
            "You can restore the copy made before the last upgrade, {b}: close FxK3 Sync, rename {f} to {f}.damaged, "
            "then copy the backup to {f}. Records synced after that copy are found in K3Cloud by number on the next "
            "sync, not written twice.").format(b=backups[0], f=where.path.name)
    elif where.path is not None:
        advice = Text("旁边没有升级前的备份。请保留该文件并联系技术支持；"
                      "也可以用 --home 指定一个新的数据文件夹重新开始。",
                      "There is no pre-upgrade backup beside it. Keep the file and contact support; or start again "
                      "in a new data folder with --home.")
    else:
        advice = Text("请数据库管理员检查服务器并从备份恢复。",
                      "Ask the database administrator to check the server and "
                      "restore it from a backup.")
    return StoreError(msg.format(w=where.label, d=detail or "-"), advice, kind=CORRUPT, where=where)


def read_only_error(where: Where, detail: str = "") -> StoreError:
    """The data folder or the file cannot be written: the file is fine, the PC's permissions are not."""
    path = where.path
    folder = path.parent if path is not None else where.label
    msg = Text("数据文件夹 {f} 是只读的（{d}），FxK3 Sync 无法写入其中的数据库 {p}。"
               "数据库文件本身没有问题，未做任何修改。",
               "The data folder {f} is read-only ({d}): FxK3 Sync cannot write its database {p} there. The "
               "database file itself is fine and was not changed.").format(f=folder, d=detail or "-", p=where.label)
    advice = Text("请给当前 Windows 用户该文件夹（及其中文件）的写入权限（属性 → 安全），"
                  "或把它移出只读的磁盘、网络共享；也可以用 --home 或 FXK3SYNC_HOME 指定一个可写的文件夹。",
                  "Give your Windows user write permission to the folder and its files (Properties → Security), "
                  "or move it off the read-only drive or share; or choose a writable folder with --home or "
                  "FXK3SYNC_HOME.")
    return StoreError(msg, advice, kind=READ_ONLY, where=where)
