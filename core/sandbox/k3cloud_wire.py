"""The K3Cloud wire format: request body styles and the ResponseStatus envelope.

- Bodies (§2.1, §3): JSON with named keys (any case), a positional ``parameters`` list, the legacy wrapper whose
  ``parameters`` is a JSON string, or form-urlencoded ``data=``.
- Envelope (§4): ``{"Result":{"ResponseStatus":{…},…}}``; ExecuteBillQuery nests errors in a list of lists (§2.5).
  A real SUCCESS has no ``ErrorCode`` key, a failure has ``ErrorCode: 500`` (§4: "ErrorCode as 500 when the call
  failed"; issue 13: "a real success has no ErrorCode"). A failed Save answers ``Id:""``, ``Number:""`` and
  ``NeedReturnData:[{}]`` (issue 13); a failed BatchSave answers ``NeedReturnData:[]`` [sandbox choice].
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from core.sandbox.base import Request, Response
from core.sandbox.k3cloud_store import RowError


class BadCall(Exception):
    """A call the server answers with a ResponseStatus error."""

    def __init__(self, msg_code: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.msg_code, self.message, self.field = msg_code, message, field


class Args:
    """Top-level parameters of a call: named (keys case-insensitive) or positional (``parameters``)."""

    def __init__(self, named: dict, positional: list | None) -> None:
        self.named = {str(k).lower(): v for k, v in named.items()}
        self.positional = positional

    def get(self, name: str, index: int) -> object:
        if self.positional is not None:
            return self.positional[index] if index < len(self.positional) else None
        return self.named.get(name)


def parse_body(req: Request) -> Args:
    """All body styles clients use (§2.1, §3): JSON named, positional list, legacy wrapper, form-urlencoded."""
    try:
        text = req.body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadCall(4, f"请求内容不是有效的 UTF-8 文本：{exc.reason}") from exc
    if not text.strip():
        return Args({}, None)
    if "x-www-form-urlencoded" in req.headers.get("content-type", "") or text.lstrip()[:1] not in "{[":
        return Args({k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()}, None)
    try:
        body = json.loads(text)
    except ValueError as exc:
        raise BadCall(4, f"请求的 JSON 数据格式不正确：{exc}") from exc
    if isinstance(body, list):
        return Args({}, body)
    args = Args(body, None)
    params = args.named.get("parameters")
    if isinstance(params, str):  # legacy wrapper: the parameters array as a JSON string
        try:
            params = json.loads(params)
        except ValueError as exc:
            raise BadCall(4, f"参数 parameters 不是有效的 JSON 数组：{exc}") from exc
    if params is not None:
        if not isinstance(params, list):
            raise BadCall(8, "参数 parameters 的格式不正确，应为数组")
        args.positional = params
    return args


def status(errors: list[RowError], success: list[dict], messages: list[dict] | None = None) -> dict:
    """A ResponseStatus; ``ErrorCode`` only on failure."""
    if errors:
        return {"ErrorCode": 500, "IsSuccess": False, "Errors": [e.as_json() for e in errors],
                "SuccessEntitys": success, "SuccessMessages": messages or [], "MsgCode": errors[0].msg_code}
    return {"IsSuccess": True, "Errors": [], "SuccessEntitys": success, "SuccessMessages": messages or [],
            "MsgCode": 0}


def wrap(op: str, result: dict) -> Response:
    """Errors of ExecuteBillQuery arrive nested in a list of lists (§2.5); everything else is one object."""
    body = {"Result": result}
    return Response.json([[body]] if op == "executebillquery" else body)


def fail(op: str, errors: list[RowError]) -> Response:
    result: dict = {"ResponseStatus": status(errors, [])}
    if op == "save":
        result.update(Id="", Number="", NeedReturnData=[{}])
    elif op == "batchsave":
        result["NeedReturnData"] = []
    return wrap(op, result)
