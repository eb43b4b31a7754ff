"""Value types of the credential doctor, shared by the Fxiaoke and K3Cloud checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.errors import Text


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "side": self.side, "name": self.name, "ok": self.ok, "field": self.field, "code": self.code,
            "message": _joined(self.message), "elapsed_ms": round(self.elapsed_ms, 1),
        }


@dataclass
class DoctorReport:
    """The steps run on each side; each list stops at its first failure."""

    fxiaoke: list[Step] = field(default_factory=list)
    k3cloud: list[Step] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return side_ok(self.fxiaoke) and side_ok(self.k3cloud)

    def summary(self, side: str) -> dict[str, Any]:
        """``{"ok", "code", "message"}`` for one side, as ``fxk3sync check --json`` prints it."""
        steps = self.fxiaoke if side == "fxiaoke" else self.k3cloud
        failed = next((s for s in steps if not s.ok), None)
        if failed is not None:
            return {"ok": False, "code": failed.code, "message": _joined(failed.message)}
        if not steps:
            return {"ok": False, "code": None, "message": "未检查 | not checked"}
        return {"ok": True, "code": None, "message": _joined(steps[-1].message)}

    def to_dict(self) -> dict[str, Any]:
        return {"fxiaoke": self.summary("fxiaoke"), "k3cloud": self.summary("k3cloud")}


def side_ok(steps: list[Step]) -> bool:
    """A side is fine when it ran at least one step and none failed."""
    return bool(steps) and all(s.ok for s in steps)


def _joined(t: Text) -> str:
    return t.zh if t.zh == t.en else f"{t.zh} | {t.en}"
