"""SQLAlchemy 2 typed models of the store, SQLite or PostgreSQL (current schema; see migrations.py for older ones)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeEngine

from core.store import who


def utcnow() -> datetime:
    """Now, timezone-aware UTC."""
    return datetime.now(UTC)


def varchar(length: int) -> TypeEngine[str]:
    """``VARCHAR(length)`` on SQLite (which never enforces it), unbounded ``VARCHAR`` on PostgreSQL.

    The columns hold values the servers choose (ids, numbers, trace ids, error codes): PostgreSQL would refuse one
    that is longer than declared where SQLite stores it, so one hostile or unusual answer would stop a run on a team
    store that passes on a PC. The length stays as documentation and in SQLite's DDL (unchanged since v1).
    """
    return String(length).with_variant(String(), "postgresql")


#: 64-bit on PostgreSQL (epoch milliseconds overflow its 32-bit INTEGER in 1970 + 24 days); SQLite's INTEGER is
#: already 64-bit and its DDL stays "INTEGER" (a BIGINT primary key would not alias the rowid there).
BigInt: TypeEngine[int] = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """Stored as naive UTC (SQLite text / PostgreSQL ``timestamp without time zone``), returned as aware UTC.

    Naive on PostgreSQL too: a ``timestamptz`` column would read a naive value in the session's TimeZone, which
    differs per PC; here every value is converted to UTC before it is bound.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; use datetime.now(timezone.utc)")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


def _profile_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), nullable=False)


class Profile(Base):
    """A company setup; ``settings_json`` holds the non-secret ``core.profiles.Profile`` fields."""

    __tablename__ = "profiles"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(varchar(64), unique=True, nullable=False)
    settings_json: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)


class Mapping(Base):
    """One saved version of a flow's field mapping."""

    __tablename__ = "mappings"
    __table_args__ = (UniqueConstraint("profile_id", "flow", "version", name="uq_mappings_profile_flow_version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = _profile_fk()
    flow: Mapped[str] = mapped_column(varchar(16), nullable=False)  # customers | orders | deliveries
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    body_json: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class Link(Base):
    """A Fxiaoke record (object + ``_id``) and the K3Cloud bill it became."""

    __tablename__ = "links"
    __table_args__ = (UniqueConstraint("profile_id", "object", "source_id", name="uq_links_profile_object_source"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = _profile_fk()
    object: Mapped[str] = mapped_column(varchar(64), nullable=False)  # Fxiaoke apiName
    source_id: Mapped[str] = mapped_column(varchar(64), nullable=False)
    k3_form: Mapped[str] = mapped_column(varchar(64), nullable=False)
    k3_id: Mapped[str | None] = mapped_column(varchar(64))
    k3_number: Mapped[str | None] = mapped_column(varchar(128))
    state: Mapped[str] = mapped_column(varchar(16), nullable=False, default="saved")  # saved | submitted | audited
    source_modified_ms: Mapped[int | None] = mapped_column(BigInt)
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class SyncRun(Base):
    """One sync run (GUI button press or CLI invocation)."""

    __tablename__ = "sync_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = _profile_fk()
    flow: Mapped[str] = mapped_column(varchar(16), nullable=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(varchar(16), nullable=False, default="running")  # running|done|failed|cancelled
    dry_run: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    counts_json: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
    host: Mapped[str | None] = mapped_column(varchar(255), default=who.host_name)
    pid: Mapped[int | None] = mapped_column(BigInt)
    #: The OS (Windows) user who ran it (v3); with ``host`` it says which PC of a team ran the run.
    os_user: Mapped[str | None] = mapped_column(varchar(255), default=who.os_user)
    #: Why the run stopped (v4): the ``ErrorInfo`` JSON of the error that ended it, or None.
    error_json: Mapped[str | None] = mapped_column(Text)


class SyncItem(Base):
    """The journal row of one record in a run; written 'pending' before anything is sent."""

    __tablename__ = "sync_items"
    __table_args__ = (
        Index("ix_sync_items_profile_flow_idem", "profile_id", "flow", "idem_key"),
        Index("ix_sync_items_profile_state", "profile_id", "state"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("sync_runs.id", ondelete="CASCADE"), nullable=False)
    profile_id: Mapped[int] = _profile_fk()
    flow: Mapped[str] = mapped_column(varchar(16), nullable=False)
    source_id: Mapped[str] = mapped_column(varchar(64), nullable=False)
    idem_key: Mapped[str] = mapped_column(varchar(128), nullable=False)
    # pending | writing | saved | submitted | audited | skipped | failed | held | resolved
    state: Mapped[str] = mapped_column(varchar(16), nullable=False, default="pending")
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    k3_id: Mapped[str | None] = mapped_column(varchar(64))
    k3_number: Mapped[str | None] = mapped_column(varchar(128))
    error_json: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)
    #: v4: what the item does to the K3Cloud document: None/"create" | "update" | "void"; journaled with the
    #: hash of the payload before an update is sent, so an unknown outcome is settled by reading K3Cloud back.
    action: Mapped[str | None] = mapped_column(varchar(16))
    payload_hash: Mapped[str | None] = mapped_column(varchar(64))
    #: v4: the field-by-field difference found (JSON list of {"field", "k3", "new"}) of an update or a hold.
    diff_json: Mapped[str | None] = mapped_column(Text)


class Exchange(Base):
    """One redacted HTTP exchange with Fxiaoke or K3Cloud."""

    __tablename__ = "exchanges"
    __table_args__ = (Index("ix_exchanges_at", "at"), Index("ix_exchanges_side", "side"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    side: Mapped[str] = mapped_column(varchar(16), nullable=False)
    method: Mapped[str] = mapped_column(varchar(8), nullable=False, default="POST")
    endpoint: Mapped[str] = mapped_column(varchar(255), nullable=False, default="")
    url: Mapped[str] = mapped_column(Text, nullable=False, default="")
    status: Mapped[int | None] = mapped_column(Integer)
    code: Mapped[str | None] = mapped_column(varchar(64))
    trace_id: Mapped[str | None] = mapped_column(varchar(128))
    elapsed_ms: Mapped[float] = mapped_column(Float, nullable=False, default=0.0)
    request_text: Mapped[str | None] = mapped_column(Text)
    response_text: Mapped[str | None] = mapped_column(Text)
    error_text: Mapped[str | None] = mapped_column(Text)
    run_id: Mapped[int | None] = mapped_column(Integer)  # no FK: the log outlives pruned runs


class Watermark(Base):
    """Where an incremental sync got to (e.g. the last K3Cloud audit time seen)."""

    __tablename__ = "watermarks"
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(varchar(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)


class OperatorCache(Base):
    """Fxiaoke openUserId looked up by e.g. the admin mobile."""

    __tablename__ = "operator_cache"
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(varchar(64), primary_key=True)
    open_user_id: Mapped[str] = mapped_column(varchar(128), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)


class DeliveryNotice(Base):
    """A K3Cloud out-stock bill already reported back to Fxiaoke (status update + message)."""

    __tablename__ = "delivery_notices"
    __table_args__ = (UniqueConstraint("profile_id", "outstock_number", name="uq_delivery_notices_profile_number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = _profile_fk()
    outstock_number: Mapped[str] = mapped_column(varchar(128), nullable=False)
    order_source_id: Mapped[str | None] = mapped_column(varchar(64))
    message_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SyncClaim(Base):
    """Which run may write a record (by its idempotency key): claimed in the database before any write (v3).

    A claim is held while its run is 'running'; a finished, failed or interrupted run's claim is taken over by the
    next run that claims the key (see ``core/store/claims.py``). Unique per (profile, flow, key), so of two PCs
    sharing one store only one can hold it.
    """

    __tablename__ = "sync_claims"
    __table_args__ = (
        UniqueConstraint("profile_id", "flow", "idem_key", name="uq_sync_claims_profile_flow_key"),
        Index("ix_sync_claims_run", "run_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = _profile_fk()
    flow: Mapped[str] = mapped_column(varchar(16), nullable=False)
    idem_key: Mapped[str] = mapped_column(varchar(128), nullable=False)
    run_id: Mapped[int] = mapped_column(ForeignKey("sync_runs.id", ondelete="CASCADE"), nullable=False)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class LockHolder(Base):
    """Who holds (or last held) a profile's sync lock on a shared store, for the "busy" message (v3).

    Informative only: the lock itself is a PostgreSQL advisory lock (``core/sync/lock.py``); this row is written by
    the holder right after it got the lock. ``backend_pid`` is the holder's server process, to tell a live row from
    a stale one in ``pg_locks``.
    """

    __tablename__ = "sync_locks"
    name: Mapped[str] = mapped_column(varchar(128), primary_key=True)
    host: Mapped[str] = mapped_column(varchar(255), nullable=False)
    os_user: Mapped[str] = mapped_column(varchar(255), nullable=False)
    pid: Mapped[int] = mapped_column(BigInt, nullable=False)
    backend_pid: Mapped[int | None] = mapped_column(BigInt)
    since: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
