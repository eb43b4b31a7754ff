"""Value types of the credential doctor, shared by the Fxiaoke and K3Cloud checks."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from core.errors import BadResponseError, Fxk3Error, Text, TlsError, TransportError

log = logging.getLogger("fxk3sync.doctor")


@dataclass
class Step:
    """One check of the doctor, e.g. ``fxiaoke``/``token``; ``field`` names the setting to fix when it failed.

    Args:
        side: ``fxiaoke`` or ``k3cloud``.
        name: ``reachable``, ``token``, ``operator``, ``query``, ``datacenter``, ``login``, ``permission``, ``org``.
        ok: whether the check passed.
        message: what was found, bilingual.
        field: the Profile / ProfileSecrets field to fix (``fx_app_id``, ``k3_password`` ...), or None.
        code: the remote error code, if any.
        elapsed_ms: how long the check took.
    """

    side: str
    name: str
    ok: bool
    message: Text
    field: str | None = None
    code: str | None = None
    elapsed_ms: float = 0.0


@dataclass
class DoctorReport:
    """The steps run on each side; each list stops at its first failure."""

    fxiaoke: list[Step] = field(default_factory=list)
    k3cloud: list[Step] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return side_ok(self.fxiaoke) and side_ok(self.k3cloud)

    def steps(self, side: str) -> list[Step]:
        return self.fxiaoke if side == "fxiaoke" else self.k3cloud

    def verdict(self, side: str) -> Step | None:
        """The step that says how a side is: its first failure, else its last check (None: nothing ran)."""
        steps = self.steps(side)
        return next((s for s in steps if not s.ok), steps[-1] if steps else None)


def side_ok(steps: list[Step]) -> bool:
    """A side is fine when it ran at least one step and none failed."""
    return bool(steps) and all(s.ok for s in steps)


def explained(exc: Fxk3Error) -> Text:
    """An error's message and advice as one text per language, the message closed as a sentence."""
    return Text(exc.text("zh"), exc.text("en"))


def transport_field(exc: TransportError, url_field: str) -> str | None:
    """The setting a transport failure points at: the CA bundle, the URL, or none when the server itself failed."""
    if isinstance(exc, TlsError):
        return "ca_bundle"
    if isinstance(exc, BadResponseError):
        return exc.field  # a web page or a 404 names the URL; a server error (5xx, response_error) names nothing
    return url_field


class StepRunner:
    """Runs the checks of one side in order, timing each and turning the first failure into a failed ``Step``.

    Args:
        side: ``fxiaoke`` or ``k3cloud``.
        url_field: the setting holding that side's server address (``fx_url`` / ``k3_url``).
    """

    def __init__(self, side: str, url_field: str) -> None:
        self.side = side
        self.url_field = url_field
        self.steps: list[Step] = []

    def passed(self, name: str, message: Text, elapsed_ms: float = 0.0) -> None:
        self.steps.append(Step(self.side, name, True, message, None, None, elapsed_ms))

    def failed(self, name: str, exc: Fxk3Error, field: str | None, elapsed_ms: float = 0.0) -> None:
        """Records ``exc`` as the failure of step ``name``; a transport error names its own setting."""
        if isinstance(exc, TransportError):
            field = transport_field(exc, self.url_field)
        self.steps.append(Step(self.side, name, False, explained(exc), field, exc.code, elapsed_ms))

    def step(self, name: str, fn: Callable[[], Text], *, field: str | None = None,
             field_of: Callable[[Fxk3Error], str | None] | None = None) -> bool:
        """Runs ``fn``; on an ``Fxk3Error`` the step fails naming ``field_of(exc)``, else ``exc.field``,
        else ``field``."""
        started = time.perf_counter()
        try:
            msg = fn()
        except Fxk3Error as exc:
            chosen = (field_of(exc) if field_of else None) or exc.field or field
            self.failed(name, exc, chosen, (time.perf_counter() - started) * 1000)
            return False
        except Exception as exc:  # an answer nobody foresaw must fail this step, not the whole check
            log.exception("credential check %s/%s failed unexpectedly", self.side, name)
            self.steps.append(Step(self.side, name, False, unexpected(exc), None, None,
                                   (time.perf_counter() - started) * 1000))
            return False
        self.passed(name, msg, (time.perf_counter() - started) * 1000)
        return True


def with_warning(steps: list[Step], warning: Text | None) -> list[Step]:
    """``steps`` with ``warning`` (e.g. plain http:// to a public host) added to the first step's message, whether
    that step passed or failed: the doctor reports it either way, without failing the check for it."""
    if warning is not None and steps:
        first = steps[0]
        first.message = Text(f"{first.message.zh} {warning.zh}", f"{first.message.en} {warning.en}")
    return steps


def unexpected(exc: BaseException) -> Text:
    """The step message for an error that is not ours (only its type: its text may quote anything)."""
    return Text(f"检查时发生意外错误（{type(exc).__name__}）。请导出日志发给技术支持。",
                f"The check failed unexpectedly ({type(exc).__name__}). Export the log and send it to support.")
