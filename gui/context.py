"""The GUI's session: database, secret store, profile repo, task runner, exchange bus and shared state signals."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from core.profiles import Profile, ProfileRepo, ProfileSecrets
from core.secrets import SecretStore
from core.store.database import Database
from gui.tasks import TaskRunner

if TYPE_CHECKING:
    from core.store.exchange_log import ExchangeLogWriter
    from core.workspace import Workspace

# Start-up speed (benchmarks/gui_startup.py): the workspace (HTTP clients, the sync engine) and the exchange log
# (SQLAlchemy's ORM) are imported when first used, in a worker, not before the window shows.

log = logging.getLogger("fxk3sync.gui")

#: Fxiaoke codes that say something about the company's API quota.
QUOTA_CODES = {"30002": "daily", "30003": "none", "30004": "rate", "14001": "rate"}
AUTH_CODES = {"fxiaoke": {"10006", "20006", "20015", "20016", "11002", "11013"}, "k3cloud": set()}


class ExchangeBus(QObject):
    """A thread-safe sink: HTTP clients call it from worker threads, ``received`` fires in the GUI thread.

    ``observed`` also names the profile the exchange was made for (see ``for_profile``).
    """

    received = Signal(object)
    observed = Signal(str, object)  # profile name, record

    def __call__(self, record: Any) -> None:
        self.received.emit(record)

    def for_profile(self, name: str) -> Callable[[Any], None]:
        """A sink that tags each record with ``name``: late answers of a previous profile must not colour the new one."""

        def sink(record: Any) -> None:
            self.received.emit(record)
            self.observed.emit(name, record)

        return sink


@dataclass
class SideState:
    """What the status bar shows for one side: ``unknown``, ``checking``, ``ok``, ``error`` or ``refused`` (logged in,
    but business calls are refused for want of API quota)."""

    state: str = "unknown"
    detail: str = ""


class AppContext(QObject):
    """Everything pages share. Create one per window; ``close()`` stops workers, the sandbox and the database.

    Args:
        db: the local database.
        secrets: keyring store, or a ``MemorySecretStore`` in demo mode.
        demo: whether this is the demo (in-process sandbox).
        sandbox: the running sandbox in demo mode (stopped by ``close``).
    """

    profile_changed = Signal(str)
    profiles_changed = Signal()
    side_changed = Signal(str, object)  # side, SideState
    quota_changed = Signal(str)  # "", "ok", "daily", "none", "rate"
    synced = Signal(str)  # flow: records were written (pages refresh their sync states, history reloads)
    mapping_saved = Signal(str)
    #: A known failure to show (message bar + log pane), or an unexpected one (crash dialog); main window routes it.
    error = Signal(object)

    def __init__(self, db: Database, secrets: SecretStore, *, demo: bool = False, sandbox: Any = None,
                 on_close: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.db = db
        self.secrets = secrets
        self.repo = ProfileRepo(db, secrets)
        self.demo = demo
        self.sandbox = sandbox
        self.bus = ExchangeBus(self)
        self.tasks = TaskRunner(self)
        self.profile_name = ""
        self.sides = {"fxiaoke": SideState(), "k3cloud": SideState()}
        self.quota = ""
        self._on_close = on_close
        self._closed = False
        self.bus.observed.connect(self._observe)

    @cached_property
    def log_writer(self) -> ExchangeLogWriter:
        from core.store.exchange_log import ExchangeLogWriter  # start-up speed: see the note at the top

        return ExchangeLogWriter(self.db)

    # -- profiles -----------------------------------------------------------------------------
    def profile(self) -> Profile | None:
        if not self.profile_name:
            return None
        try:
            return self.repo.get(self.profile_name)
        except Exception:  # noqa: BLE001 - removed meanwhile
            return None

    def profile_names(self) -> list[str]:
        return [p.name for p in self.repo.list()]

    def profile_secrets(self, name: str | None = None) -> ProfileSecrets:
        return self.repo.secrets_for(name or self.profile_name)

    def set_profile(self, name: str) -> None:
        if name == self.profile_name:
            return
        self.profile_name = name
        for side in self.sides:
            self.set_side(side, SideState())
        self.set_quota("")
        self.profile_changed.emit(name)

    def report(self, exc: BaseException) -> None:
        """Route an error from a page's ``on_error`` to the window (cancelled work never gets here)."""
        self.error.emit(exc)

    # -- exchanges and state --------------------------------------------------------------------
    def sinks(self, name: str | None = None) -> list[Callable[[Any], None]]:
        """Where HTTP clients of profile ``name`` (default: the current one) send exchange records: the log pane and
        the status bar (via the bus) and the database."""
        return [self.bus.for_profile(self.profile_name if name is None else name), self._log_exchange]

    def _log_exchange(self, record: Any) -> None:
        self.log_writer(record)

    def workspace(self, name: str) -> Workspace:
        """The application service for profile ``name`` (opened in a worker; it stores exchanges itself and sends
        them to the log pane and the status bar through the bus)."""
        from core.workspace import Workspace  # start-up speed: see the note at the top

        return Workspace(self.db, self.secrets, name, sinks=[self.bus.for_profile(name)])

    def set_side(self, side: str, state: SideState) -> None:
        self.sides[side] = state
        self.side_changed.emit(side, state)

    def set_quota(self, quota: str) -> None:
        if quota != self.quota:
            self.quota = quota
            self.quota_changed.emit(quota)

    def _observe(self, profile: str, record: Any) -> None:
        side = getattr(record, "side", "")
        if side not in self.sides or profile != self.profile_name:
            return
        code = str(getattr(record, "code", "") or "")
        status = getattr(record, "status", None)
        quota = QUOTA_CODES.get(code, "") if side == "fxiaoke" else ""
        business_ok = code == "0" and str(getattr(record, "endpoint", "")).startswith("cgi/crm/")
        if side == "fxiaoke":
            # before the light: its tooltip names the quota problem
            if quota:
                self.set_quota(quota)
            elif business_ok:
                self.set_quota("ok")  # a business call went through: the quota is fine (again)
        if status is None:
            self.set_side(side, SideState("error", str(getattr(record, "error", "") or "")))
        elif status >= 500:  # a gateway's error page or a crashed server: reachable, but not working
            self.set_side(side, SideState("error", f"HTTP {status}"))
        elif (code in AUTH_CODES.get(side, ()) and code != "20016") or (
                code.startswith("LoginResultType") and code != "LoginResultType 1"):
            self.set_side(side, SideState("error", code))
        elif quota in ("daily", "none"):
            # logged in, but every business call is refused: not "connected" next to a red quota warning
            self.set_side(side, SideState("refused", code))
        elif self.sides[side].state == "refused" and not business_ok:
            pass  # a token call still works; only a business call that goes through clears the quota problem
        elif self.sides[side].state != "ok" or self.sides[side].detail:
            self.set_side(side, SideState("ok"))

    # -- lifecycle ------------------------------------------------------------------------------
    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.tasks.shutdown()
        if self.sandbox is not None:
            try:
                self.sandbox.stop()
            except Exception:  # noqa: BLE001 - shutting down anyway
                log.exception("stopping the sandbox failed")
        self.db.close()
        if self._on_close is not None:
            self._on_close()
