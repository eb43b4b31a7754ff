"""Typed K3Cloud results and tolerant parsing of the Result/ResponseStatus envelope in all its variants."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from core.errors import K3CloudAuthError, K3CloudError, RowError, Text
from core.k3cloud import codes


@dataclass
class RowResult:
    """The outcome of one record of a save or operation, matched by its DIndex."""

    dindex: int
    ok: bool
    id: str | None = None
    number: str | None = None
    errors: list[RowError] = field(default_factory=list)
    #: K3Cloud said the call succeeded but did not name this record among the saved ones: ``ok`` is False, and
    #: whether it landed must be confirmed by its key (ExecuteBillQuery) before it is reported or sent again.
    unconfirmed: bool = False


@dataclass
class SaveResult:
    """Save/BatchSave outcome: one row per model sent, in order."""

    ok: bool
    rows: list[RowResult]
    msg_code: int | None = None
    need_return_data: list = field(default_factory=list)

    def raise_for_error(self, form_id: str = "") -> None:
        """Raises a ``K3CloudError`` describing the failed rows, if any."""
        if not self.ok:
            raise rows_error(self.rows, self.msg_code, Text("保存", "Save"), form_id)


@dataclass
class OpResult:
    """Submit/Audit/UnAudit/Delete outcome: one row per number or id sent."""

    ok: bool
    rows: list[RowResult]
    msg_code: int | None = None

    def raise_for_error(self, form_id: str = "") -> None:
        if not self.ok:
            raise rows_error(self.rows, self.msg_code, Text("操作", "Operation"), form_id)


@dataclass
class Status:
    """A normalised ResponseStatus (IsSuccess bool or string, MsgCode number or string)."""

    is_success: bool
    msg_code: int | None
    errors: list[RowError]
    successes: list[dict[str, Any]]
    error_code: str | None = None

    @property
    def session_lost(self) -> bool:
        return not self.is_success and self.msg_code == 1


def get_ci(obj: Any, key: str, default: Any = None) -> Any:
    """``obj[key]`` ignoring key case (servers and proxies disagree on casing)."""
    if not isinstance(obj, dict):
        return default
    if key in obj:
        return obj[key]
    low = key.lower()
    for k, v in obj.items():
        if isinstance(k, str) and k.lower() == low:
            return v
    return default


def to_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def to_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def _str_or_none(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return str(value)


def maybe_json(obj: Any) -> Any:
    """Decodes a JSON document that arrived as a JSON string (double-encoded responses)."""
    if isinstance(obj, str) and obj.strip()[:1] in ("{", "["):
        try:
            return json.loads(obj)
        except ValueError:
            return obj
    return obj


def find_status(obj: Any) -> tuple[dict | None, dict | None]:
    """(Result object, ResponseStatus) from any known envelope, else (None, None).

    Shapes: ``{"Result":{"ResponseStatus":…}}``, a bare ``{"ResponseStatus":…}``, and the ExecuteBillQuery error
    nested in lists ``[[{"Result":{"ResponseStatus":…}}]]``.
    """
    obj = maybe_json(obj)
    while isinstance(obj, list) and len(obj) == 1 and isinstance(obj[0], (list, dict)):
        obj = obj[0]
    if not isinstance(obj, dict):
        return None, None
    result = maybe_json(get_ci(obj, "Result"))
    if isinstance(result, dict):
        rs = get_ci(result, "ResponseStatus")
        if isinstance(rs, dict):
            return result, rs
    rs = get_ci(obj, "ResponseStatus")
    if isinstance(rs, dict):
        return obj, rs
    return None, None


def parse_status(rs: dict) -> Status:
    """Normalises one ResponseStatus."""
    errors = [
        RowError(_str_or_none(get_ci(e, "FieldName")), str(get_ci(e, "Message") or ""),
                 to_int(get_ci(e, "DIndex")) or 0)
        for e in (get_ci(rs, "Errors") or []) if isinstance(e, dict)
    ]
    successes = [s for s in (get_ci(rs, "SuccessEntitys") or []) if isinstance(s, dict)]
    msg_code = to_int(get_ci(rs, "MsgCode"))
    is_success = to_bool(get_ci(rs, "IsSuccess"))
    return Status(is_success, msg_code, errors, successes, _str_or_none(get_ci(rs, "ErrorCode")))


def status_of(obj: Any) -> Status | None:
    """The normalised status of a response body, or None when it carries none (plain data)."""
    _, rs = find_status(obj)
    return parse_status(rs) if rs is not None else None


def msg_code_of(text: str) -> tuple[str | None, str | None]:
    """(MsgCode or LoginResultType, None) pulled from a raw body for the exchange record; never raises."""
    try:
        obj = json.loads(text)
    except ValueError:
        return None, None
    status = status_of(obj)
    if status is not None:
        return (None if status.is_success
                else str(status.msg_code if status.msg_code is not None else "")) or None, None
    if isinstance(obj, dict) and get_ci(obj, "LoginResultType") is not None:
        result_type = to_int(get_ci(obj, "LoginResultType"))
        return (None if result_type == 1 else f"LoginResultType {result_type}"), None
    return None, None


def rows_from_status(status: Status, count: int) -> list[RowResult]:
    """One RowResult per record sent, matched by DIndex; rows neither saved nor blamed get the call-level errors."""
    rows = [RowResult(i, False) for i in range(count)]
    for s in status.successes:
        i = to_int(get_ci(s, "DIndex")) or 0
        if 0 <= i < count:
            rows[i].ok = True
            rows[i].id = _str_or_none(get_ci(s, "Id"))
            rows[i].number = _str_or_none(get_ci(s, "Number"))
    orphans: list[RowError] = []
    for e in status.errors:
        if 0 <= e.dindex < count:
            rows[e.dindex].errors.append(e)
            rows[e.dindex].ok = False
        else:
            orphans.append(e)
    for r in rows:
        if not r.ok and not r.errors:
            if status.is_success and not status.errors:
                # "IsSuccess" without this row among SuccessEntitys proves nothing was saved for it, nor that it was.
                r.unconfirmed = True
                r.errors = [RowError(None, UNCONFIRMED_MESSAGE, r.dindex)]
            else:
                r.errors = list(orphans) or [RowError(None, _not_saved_message(status), r.dindex)]
    return rows


UNCONFIRMED_MESSAGE = ("金蝶答复成功，但没有列出这条记录（SuccessEntitys 为空），是否已保存需按单号核对。"
                       " / K3Cloud answered success but did not list this record (no SuccessEntitys); whether it was "
                       "saved must be checked by its number.")


def _not_saved_message(status: Status) -> str:
    if status.errors:
        return "本行未保存：同一批次的其他行有错误。 / Not saved: another row of the batch failed."
    meaning, _ = codes.explain(status.msg_code)
    return f"{meaning.zh} / {meaning.en}"


def describe_errors(errors: list[RowError], limit: int = 5) -> str:
    """Server error rows as one line, e.g. ``FBillNo: 违反字段唯一性要求… (row 2)``."""
    parts = []
    for e in errors[:limit]:
        where = f"{e.field}: " if e.field else ""
        parts.append(f"{where}{e.message}")
    if len(errors) > limit:
        parts.append(f"… (+{len(errors) - limit})")
    return "; ".join(parts)


def status_error(status: Status, action: Text, form_id: str = "", *, auth: bool = False, field_name: str | None = None,
                 raw: str | None = None) -> K3CloudError:
    """A ``K3CloudError`` (or ``K3CloudAuthError``) for a failed call, explained with the MsgCode catalogue."""
    entry = codes.info(status.msg_code)
    detail = describe_errors(status.errors)
    target = f" {form_id}" if form_id else ""
    msg = Text(
        f"金蝶{action.zh}{target}失败：{entry.meaning.zh}" + (f"（{detail}）" if detail else ""),
        f"K3Cloud {action.en.lower()}{target} failed: {entry.meaning.en}" + (f" ({detail})" if detail else ""),
    )
    cls = K3CloudAuthError if auth else K3CloudError
    return cls(msg, entry.advice, msg_code=status.msg_code, errors=status.errors, retryable=entry.retryable,
               field=field_name or (entry.field if auth or status.msg_code in (2, 15) else None), raw=raw)


def rows_error(rows: list[RowResult], msg_code: int | None, action: Text, form_id: str) -> K3CloudError:
    errors = [e for r in rows if not r.ok for e in r.errors]
    return status_error(Status(False, msg_code, errors, []), action, form_id)
