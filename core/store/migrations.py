"""Schema versions: the ordered upgrade steps (for SQLite and PostgreSQL), fresh creation, and their messages.

SQLite keeps the version in ``PRAGMA user_version`` (``sqlite_schema.py``), PostgreSQL in the table
``fxk3sync_schema`` (``pg_schema.py``). A step is frozen once released: it carries its own SQL or table definitions,
never the live models, so that the schema it produces does not change when the models do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, MetaData, String, Table, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.schema import CreateIndex, CreateTable

from core.errors import ConfigError, Text
from core.store.errors import StoreError, Where
from core.store.models import Base, BigInt, varchar
from core.store.version import BUSY_TIMEOUT_MS, LATEST  # noqa: F401 - BUSY_TIMEOUT_MS: re-exported

#: Runs one SQL statement (``sqlite3.Cursor.execute`` or ``Connection.exec_driver_sql``).
Run = Callable[[str], object]


def _v2_sqlite(run: Run, dialect: Dialect) -> None:
    """v1 -> v2: source modification time on links, delivery notices, the journal's per-state index."""
    run("ALTER TABLE links ADD COLUMN source_modified_ms INTEGER")
    run(
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
    run("CREATE INDEX ix_sync_items_profile_state ON sync_items (profile_id, state)")


def _v3_tables() -> tuple[Table, Table]:
    """The tables added in v3 as they were then (stubs of the tables they reference, for the foreign keys)."""
    md = MetaData()
    Table("profiles", md, Column("id", Integer, primary_key=True))
    Table("sync_runs", md, Column("id", Integer, primary_key=True))
    claims = Table(
        "sync_claims", md,
        Column("id", Integer, primary_key=True),
        Column("profile_id", Integer, ForeignKey("profiles.id", ondelete="CASCADE"), nullable=False),
        Column("flow", varchar(16), nullable=False),
        Column("idem_key", varchar(128), nullable=False),
        Column("run_id", Integer, ForeignKey("sync_runs.id", ondelete="CASCADE"), nullable=False),
        Column("claimed_at", DateTime, nullable=False),
        UniqueConstraint("profile_id", "flow", "idem_key", name="uq_sync_claims_profile_flow_key"),
        Index("ix_sync_claims_run", "run_id"),
    )
    locks = Table(
        "sync_locks", md,
        Column("name", varchar(128), primary_key=True),
        Column("host", varchar(255), nullable=False),
        Column("os_user", varchar(255), nullable=False),
        Column("pid", BigInt, nullable=False),
        Column("backend_pid", BigInt),
        Column("since", DateTime, nullable=False),
    )
    return claims, locks


def _v3(run: Run, dialect: Dialect) -> None:
    """v2 -> v3 (team mode): who ran each run (OS user), claims of records before writing, lock holders."""
    user_type = String(255).compile(dialect=dialect) if dialect.name == "sqlite" else "VARCHAR"
    run(f"ALTER TABLE sync_runs ADD COLUMN os_user {user_type}")
    for table in _v3_tables():
        run(str(CreateTable(table).compile(dialect=dialect)))
        for index in sorted(table.indexes, key=lambda i: i.name or ""):
            run(str(CreateIndex(index).compile(dialect=dialect)))


def _v4(run: Run, dialect: Dialect) -> None:
    """v3 -> v4 (a record's whole life): each journal item says what it does to the K3Cloud document (create,
    update, void), the hash of the payload an update sends, and the difference it found."""
    short = String(16).compile(dialect=dialect) if dialect.name == "sqlite" else "VARCHAR"
    digest = String(64).compile(dialect=dialect) if dialect.name == "sqlite" else "VARCHAR"
    run(f"ALTER TABLE sync_items ADD COLUMN action {short}")
    run(f"ALTER TABLE sync_items ADD COLUMN payload_hash {digest}")
    run("ALTER TABLE sync_items ADD COLUMN diff_json TEXT")


def _v5(run: Run, dialect: Dialect) -> None:
    """v4 -> v5: why a run stopped (its error as ``ErrorInfo`` JSON), for the history of a failed scheduled run."""
    run("ALTER TABLE sync_runs ADD COLUMN error_json TEXT")


@dataclass(frozen=True)
class Step:
    """One upgrade step; ``postgresql`` is None for steps older than PostgreSQL support (``PG_FIRST``)."""

    sqlite: Callable[[Run, Dialect], None]
    postgresql: Callable[[Run, Dialect], None] | None


#: MIGRATIONS[n] takes a database from version n-1 to n. Append only; never edit a released step.
MIGRATIONS: dict[int, Step] = {2: Step(_v2_sqlite, None), 3: Step(_v3, _v3), 4: Step(_v4, _v4), 5: Step(_v5, _v5)}
if max(MIGRATIONS) != LATEST:  # a new step without its version in core/store/version.py (or the reverse)
    raise RuntimeError(f"core.store.version.LATEST is {LATEST} but the last migration is {max(MIGRATIONS)}")
#: The first version a PostgreSQL store can have: older versions only ever existed as SQLite files.
PG_FIRST = min(n - 1 for n, step in MIGRATIONS.items() if step.postgresql is not None)


def create_latest(run: Run, dialect: Dialect) -> None:
    """Creates every table and index of the current models (a new, empty store)."""
    for table in Base.metadata.sorted_tables:
        run(str(CreateTable(table).compile(dialect=dialect)))
        for index in sorted(table.indexes, key=lambda i: i.name or ""):
            run(str(CreateIndex(index).compile(dialect=dialect)))


def _elsewhere(where: Where) -> Text:
    return (Text("或使用 --db 指定其他数据库。", "or use --db for another database.") if where.shared
            else Text("或使用 --home 指定其他数据文件夹。", "or use --home for another data folder."))


def newer_error(where: Where, version: int) -> ConfigError:
    other = _elsewhere(where)
    return ConfigError(
        Text(
            "数据库 {path} 由更新版本的 FxK3 Sync 写入（结构版本 {v}，本程序支持到 {latest}），未做任何修改。",
            "The database {path} was written by a newer FxK3 Sync (schema version {v}; this one knows up to "
            "{latest}); nothing was changed.",
        ).format(path=where.label, v=version, latest=LATEST),
        Text("请升级 FxK3 Sync，" + other.zh, "Upgrade FxK3 Sync, " + other.en),
        field="database",
    )


def foreign_error(where: Where, why: str) -> ConfigError:
    if where.shared:
        advice = Text("FxK3 Sync 需要一个属于它自己的空数据库："
                      "请管理员新建一个（CREATE DATABASE fxk3sync OWNER 用户名;），或使用 --db 指定其他数据库。",
                      "FxK3 Sync needs an empty database of its own: ask the administrator for a new one (CREATE "
                      "DATABASE fxk3sync OWNER username;), or use --db for another database.")
    else:
        advice = Text("请使用 --home 指定其他数据文件夹。", "Use --home to choose another data folder.")
    return ConfigError(
        Text(
            "{path} 不是 FxK3 Sync 的数据库（{why}），未做任何修改。",
            "{path} is not an FxK3 Sync database ({why}); nothing was changed.",
        ).format(path=where.label, why=why),
        advice,
        field="database",
    )


def failed_error(where: Where, version: int, backup: str | None, exc: BaseException) -> ConfigError:
    return ConfigError(
        Text(
            "无法把数据库 {path} 从结构版本 {v} 升级到 {latest}（{err}），数据库保持原样。",
            "The database {path} could not be upgraded from schema version {v} to {latest} ({err}); it was left "
            "as it was.",
        ).format(path=where.label, v=version, latest=LATEST, err=" ".join(str(exc).split())[:300]),
        Text("升级前的备份：{b}。请联系技术支持。", "A copy made before the upgrade: {b}. Please contact support.")
        .format(b=backup or "-"),
        field="database",
    )


def upgrade_failed(where: Where, version: int, backup: str | None, exc: BaseException,
                   store_error: StoreError | None) -> Exception:
    """A step failed and was rolled back: a full disk or read-only folder says so; anything else asks for support."""
    if store_error is not None:
        note = Text("升级已撤销，数据库保持原样（结构版本 {v}）。",
                    "The upgrade was rolled back; the database was left at "
                    "schema version {v}.").format(v=version)
        return StoreError(Text(store_error.message.zh + note.zh, store_error.message.en + " " + note.en),
                          store_error.advice, kind=store_error.kind, where=where)
    return failed_error(where, version, backup, exc)
