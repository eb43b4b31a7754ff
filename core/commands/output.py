"""The CLI's printer: values of the application service as the contract's JSON and as bilingual text lines.

This is the one place where a bilingual text becomes a single ``"中文 | English"`` string (cli-contract.md).
"""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from core.doctor_types import DoctorReport
from core.errors import ErrorInfo, Text
from core.sync.model import ItemResult, RunSummary

SIDES = ("fxiaoke", "k3cloud")


def one_line(text: Text) -> str:
    """Both languages on one line (one of them when they are the same)."""
    return text.zh if text.zh == text.en or not text.en else f"{text.zh} | {text.en}"


def error_line(info: ErrorInfo) -> str:
    """An error in both languages, message and advice, on one line."""
    return one_line(Text(info.text("zh"), info.text("en")))


def error_json(info: ErrorInfo | None) -> dict[str, Any] | None:
    """The contract's ``error`` object: ``{"side", "code", "message"}``."""
    if info is None:
        return None
    return {"side": info.side, "code": info.code, "message": error_line(info)}


def item_json(item: ItemResult) -> dict[str, Any]:
    """One item of the contract's ``items``, plus ``flow`` and ``diff`` (``[{"field", "k3", "new"}]`` of an updated
    item or one held because of the difference, else null)."""
    return {"source_id": item.source_id, "source_number": item.source_number, "flow": item.flow,
            "status": item.status, "k3_id": item.k3_id, "k3_number": item.k3_number, "error": error_json(item.error),
            "diff": [dict(d) for d in item.diff] if item.diff else None}


def summary_json(summary: RunSummary) -> dict[str, Any]:
    """Exactly the contract's ``sync --json`` object."""
    counts = summary.counts
    return {"dry_run": summary.dry_run, "created": counts["created"], "updated": counts["updated"],
            "voided": counts["voided"], "skipped": counts["skipped"], "held": counts["held"],
            "failed": counts["failed"], "error": error_json(summary.aborted),
            "items": [item_json(i) for i in summary.items]}


def check_json(report: DoctorReport) -> dict[str, Any]:
    """The contract's ``check --json`` object: ``{"fxiaoke": {"ok", "code", "message"}, "k3cloud": {...}}``."""
    out: dict[str, Any] = {}
    for side in SIDES:
        step = report.verdict(side)
        if step is None:
            out[side] = {"ok": False, "code": None, "message": one_line(Text("未检查", "not checked"))}
        else:
            out[side] = {"ok": step.ok, "code": step.code, "message": one_line(step.message)}
    return out


def print_json(obj: Any, out: TextIO | None = None) -> None:
    print(json.dumps(obj, ensure_ascii=False), file=out or sys.stdout)


def safe_stdout() -> TextIO:
    """stdout that cannot crash on a character the console cannot show (a GBK console, say)."""
    out = sys.stdout
    reconfigure = getattr(out, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="replace")
    return out
