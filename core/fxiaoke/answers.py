"""Reading Fxiaoke answers: the envelope, query pages and the token answer, each checked before use.

A hostile or broken answer (wrong types, missing keys, an HTTP error status without an envelope) becomes a typed
``BadResponseError`` that says what was wrong, never a crash further on.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from core.errors import BadResponseError, Text
from core.fxiaoke.tokens import LIFETIME_S
from core.http import TRY_LATER, HttpResult, http_status_error, not_found_error


def codes_of(text: str) -> tuple[str | None, str | None]:
    """(errorCode, traceId) of a response body, for the exchange record."""
    data = json.loads(text)
    if not isinstance(data, dict):
        return None, None
    code, trace = data.get("errorCode"), data.get("traceId")
    return scalar_text(code), scalar_text(trace)


def read_envelope(result: HttpResult, write: bool) -> dict[str, Any]:
    """The answer's envelope; an HTTP error status without one is explained by the status."""
    raw = (result.exchange.response_body if result.exchange else "")[:2000]  # redacted, unlike result.text
    if result.status == 404:
        raise not_found_error(result)
    try:
        data = result.json()
    except BadResponseError as exc:
        if result.status >= 400:
            raise http_status_error(result, sent=write) from None
        exc.sent, exc.raw = write, raw
        raise
    if not isinstance(data, dict) or "errorCode" not in data:
        if result.status >= 400:
            raise http_status_error(result, sent=write)
        raise BadResponseError(
            Text(f"纷享销客返回了无法识别的数据（HTTP {result.status}，{result.endpoint}）。",
                 f"Fxiaoke returned an answer without an error code (HTTP {result.status}, {result.endpoint})."),
            TRY_LATER,
            side="fxiaoke", code=result.status, sent=write, exchange=result.exchange, raw=raw,
        )
    if result.status >= 400 and to_int(data.get("errorCode")) == 0:  # "success" with an error status: believe neither
        raise http_status_error(result, sent=write)
    return data


def shape_error(what: Text, envelope: Any) -> BadResponseError:
    return BadResponseError(
        what, TRY_LATER,
        side="fxiaoke", raw=json.dumps(envelope, ensure_ascii=False, default=str)[:2000],
    )


def rows_of(envelope: dict[str, Any], api_name: str) -> list[dict[str, Any]]:
    """``data.dataList`` of a query answer, each record with its ``_id``; any other shape is a ``BadResponseError``,
    never a crash further on."""
    data = envelope.get("data")
    rows = data.get("dataList", _MISSING) if isinstance(data, dict) else _MISSING
    if rows is None or (rows is _MISSING and isinstance(data, dict) and _PAGE_KEYS & data.keys()):
        rows = []  # null, or left out of an otherwise well-formed page (nulls are omitted unless includeNull)
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise shape_error(Text(f"纷享销客查询 {api_name} 的答复格式不对（data.dataList 不是记录列表）。",
                                f"The Fxiaoke query of {api_name} answered in the wrong shape (data.dataList is not a "
                                f"list of records)."), envelope)
    for n, row in enumerate(rows):
        rid = row.get("_id")
        if not isinstance(rid, str) or not rid.strip():
            raise shape_error(Text(f"纷享销客查询 {api_name} 的答复里第 {n + 1} 条记录没有有效的 _id。",
                                    f"Record {n + 1} of the Fxiaoke answer to the query of {api_name} has no "
                                    f"valid _id."),
                               envelope)
    return rows


def page_meta(envelope: dict[str, Any], key: str, api_name: str) -> int | None:
    """``data.total`` / ``data.offset`` of a query answer: a whole number >= 0, None when absent."""
    data = envelope.get("data")
    value = data.get(key) if isinstance(data, dict) else None
    if value is None or value == "":
        return None
    number = to_int(value) if not isinstance(value, (bool, float)) else (int(value) if isinstance(value, float)
                                                                      and value.is_integer() else None)
    if number is None or number < 0:
        raise shape_error(Text(f"纷享销客查询 {api_name} 的答复里 data.{key} 不是非负整数（{clip(value, 60)}）。",
                                f"The Fxiaoke answer to the query of {api_name} has a data.{key} that is not a whole "
                                f"number >= 0 ({clip(value, 60)})."), envelope)
    return number


_MISSING = object()
_PAGE_KEYS = frozenset({"total", "offset", "limit"})
#: A token is printable text without spaces; anything else is not what the token endpoint hands out.
TOKEN_TEXT = re.compile(r"^[\x21-\x7e]{1,2048}$")


def bad_token_answer(key: str, what: Text) -> BadResponseError:
    return BadResponseError(
        Text(f"纷享销客返回的令牌答复中 {key} {what.zh}。", f"In the Fxiaoke token answer, {key} {what.en}."),
        Text("稍后重试；如果一直出现，请核对纷享销客地址（fx_url）并把日志导出给技术支持。",
             "Try again later; if it keeps happening, check the Fxiaoke URL (fx_url) and export the log for support."),
        side="fxiaoke", raw=None,
    )


def expires_in(value: Any) -> float:
    """``expiresIn`` in seconds (a number or numeric text); absent means the documented 7200 s."""
    if value is None or value == "":
        return LIFETIME_S
    number: float | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,12}(\.\d+)?\s*", value):
        number = float(value)
    if number is None or not math.isfinite(number):
        raise bad_token_answer("expiresIn", Text(f"不是秒数（{clip(value, 60)}）", f"is not a number of seconds "
                                                                                     f"({clip(value, 60)})"))
    return number


def scalar_text(value: Any) -> str | None:
    """A code or id as short text; lists, objects and empty values are no code."""
    if value is None or value == "" or isinstance(value, (dict, list)):
        return None
    return str(value)[:200]


def clip(value: Any, limit: int = 500) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[:limit] + "…"


def to_int(code: Any) -> int | None:
    try:
        return int(code)
    except (TypeError, ValueError, OverflowError):
        return None
