"""What an exchange's code means (from the catalogues), and the redacted evidence bundle (zip) for a support ticket."""

from __future__ import annotations

import json
import platform
import re
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core import __version__
from core.errors import Text
from core.fxiaoke import codes as fx_codes
from core.http import REDACTED
from core.k3cloud import codes as k3_codes

_LOGIN = re.compile(r"^LoginResultType\s+(-?\d+)$")


def explain(record: Any) -> tuple[Text, Text] | None:
    """(meaning, advice) of the record's error code from the Fxiaoke / K3Cloud catalogue; None when it is fine."""
    code = str(getattr(record, "code", "") or "")
    side = getattr(record, "side", "")
    if side == "fxiaoke" and code and code != "0":
        return fx_codes.explain(code)
    if side == "k3cloud" and code:
        m = _LOGIN.match(code)
        if m:
            return None if m.group(1) == "1" else k3_codes.explain_login(int(m.group(1)))
        try:
            return k3_codes.explain(int(code))
        except ValueError:
            return None
    return None


def _scrub(text: str, secrets: Iterable[str]) -> str:
    # Defence in depth: the HTTP layer already redacted; mask the profile's known secret values once more.
    for value in sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True):
        text = text.replace(value, REDACTED)
    return text


def _body(text: str | None) -> Any:
    if not text:
        return ""
    try:
        return json.loads(text)
    except ValueError:
        return text


def record_dict(record: Any) -> dict[str, Any]:
    """A JSON-able view of one exchange, with the code's explanation."""
    at = getattr(record, "at", None)
    out = {
        "at": at.isoformat() if isinstance(at, datetime) else str(at or ""),
        "side": record.side, "method": getattr(record, "method", "POST"), "endpoint": record.endpoint,
        "url": record.url, "status": record.status, "code": record.code, "trace_id": getattr(record, "trace_id", None),
        "elapsed_ms": round(float(record.elapsed_ms or 0), 1), "error": getattr(record, "error", None),
        "request_headers": dict(getattr(record, "request_headers", {}) or {}),
        "request": _body(record.request_body), "response": _body(record.response_body),
    }
    exp = explain(record)
    if exp is not None:
        out["explanation"] = {"meaning": {"zh": exp[0].zh, "en": exp[0].en},
                              "advice": {"zh": exp[1].zh, "en": exp[1].en}}
    return out


def export_bundle(records: list[Any], path: str | Path, *, profile: str = "", secrets: Iterable[str] = ()) -> Path:
    """Write ``path`` (zip): one JSON file per exchange plus a manifest; known secret values are masked again."""
    path = Path(path)
    if path.suffix.lower() != ".zip":
        path = path.with_suffix(".zip")
    secrets = list(secrets)
    manifest = {
        "product": "FxK3 Sync", "version": __version__, "created": datetime.now(UTC).isoformat(),
        "platform": platform.platform(), "python": platform.python_version(), "profile": profile,
        "exchanges": len(records),
        "note": "Secrets were removed before recording (shown as ***). 密钥已在记录前脱敏（显示为 ***）。",
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", _scrub(json.dumps(manifest, ensure_ascii=False, indent=2), secrets))
        for i, rec in enumerate(records, start=1):
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", str(rec.endpoint)).strip("_")[-60:] or "call"
            text = json.dumps(record_dict(rec), ensure_ascii=False, indent=2)
            zf.writestr(f"{i:04d}_{rec.side}_{name}.json", _scrub(text, secrets))
    return path
