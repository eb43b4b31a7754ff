"""The simulated Fxiaoke OpenAPI gateway (legacy body-parameter style): tokens, directory, CRM objects, messages."""

from __future__ import annotations

import copy
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from typing import Any

from core.sandbox.base import Request, Response
from core.sandbox.fxiaoke_crm import CrmStore, FxError
from core.sandbox.fxiaoke_desk import SalesDesk
from core.sandbox.fxiaoke_schema import FIELD_SETS

TOKEN_TTL = 7200
TOKEN_RENEW_AFTER = 6600
_DIRECTORY_FIELDS = ("openUserId", "name", "mobile", "email", "status", "departmentIds", "mainDepartmentIds", "isStop")

_MESSAGES = {
    10001: ("the parameter appId is missing", "缺少参数appId"),
    10006: ("the parameter appSecret is missing or illegal", "缺少参数或参数不合法"),
    10012: ("the parameter permanentCode is missing", "缺少参数permanentCode"),
    10014: ("the parameter corpId is missing", "缺少参数corpId"),
    10015: ("the parameter toUser is missing", "缺少参数toUser"),
    11016: ("the parameter toUser is illegal", "toUser参数不合法"),
    12003: ("unsupported message type", "不支持的消息类型"),
    12004: ("the post body is empty", "POST请求体为空"),
    12005: ("the text content is empty", "文本消息内容为空"),
    14001: ("call limit exceeded", "接口调用超过限制"),
    20006: ("appId or appSecret is error", "appId或appSecret错误"),
    20012: ("the currentOpenUserId is missing or illegal", "currentOpenUserId参数不合法或员工不存在"),
    20015: ("the permanentCode is error", "永久授权码错误"),
    20016: ("the cropId,cropAccessToken or authorization is error", "corpAccessToken不存在或者已经过期"),
    20017: ("corpAccessToken为必填项，不能为空", "corpAccessToken为必填项，不能为空"),
    30002: ("the daily call quota is exhausted", "当日接口调用次数已用完，次日0点重置"),
    30003: ("客户没有购买openapi配额，需要提open api订单进行购买",
            "客户没有购买openapi配额，需要提open api订单进行购买"),
    30027: ("the employee does not exist", "员工不存在"),
}


@dataclass
class FxKnobs:
    """Behaviour switches tests and the demo may flip (admin action "knobs")."""

    rate_limit_calls: int = 100
    rate_limit_window_s: float = 20.0
    rate_limit_on: bool = True
    token_calls_per_minute: int = 10
    token_expire_after_calls: int | None = None
    openapi_package: bool = True
    daily_quota: int | None = None


class FxiaokeApp:
    """Fxiaoke as a client sees it at https://open.fxiaoke.com, for one company with one self-built app.

    Args:
        app_id, app_secret, permanent_code: the app's credentials.
        corp_id: the company id handed out with each token.
        employees: directory entries (``openUserId``, ``name``, ``mobile``, ...); ``isAdmin`` ones see every record.
        objects: api name -> records (see ``core.sandbox.demo_data``).
        clock: seconds since the epoch; tests pass a fake one to age tokens.

    Admin actions (``POST /__sandbox__/admin/<action>`` with a JSON object, or ``app.admin(action, payload)``):
    ``knobs``, ``messages``, ``records`` {api_name}, ``add_records`` {api_name, records}, ``token_calls``, and the
    tenant's people at work (``fxiaoke_desk``; also ``app.desk.<action>(...)`` from Python): ``edit_order`` {order,
    fields, lines, add_lines, remove_lines}, ``approve_order`` {order}, ``reject_order`` {order}, ``void_order``
    {order}, ``edit_customer`` {customer, fields}, ``set_payment_state`` {payment, life_status, fields}.
    """

    name = "fxiaoke"

    def __init__(
        self, *, app_id: str, app_secret: str, permanent_code: str, corp_id: str, employees: list[dict[str, Any]],
        objects: dict[str, list[dict[str, Any]]], clock: Callable[[], float] = time.time,
    ) -> None:
        self.app_id, self.app_secret, self.permanent_code, self.corp_id = app_id, app_secret, permanent_code, corp_id
        self.clock = clock
        self.knobs = FxKnobs()
        self.lock = threading.RLock()
        self.employees = {e["openUserId"]: dict(e) for e in employees}
        self.crm = CrmStore(objects, self._now_ms)
        self.desk = SalesDesk(self.crm, self.lock, self._admin_id)
        self.messages: list[dict[str, Any]] = []
        self.tokens: dict[str, dict[str, Any]] = {}  # token -> {"issued": s, "calls": n}
        self.token_calls = 0
        self._token_times: deque[float] = deque()
        self._rate: dict[str, deque[float]] = {}
        #: Calls refused with 14001 (over the rate limit) since the start: a client that paces itself has none.
        self.rate_limited = 0
        self._daily: tuple[int, int] = (0, 0)  # (day number, calls)
        self._trace = 0

    # --- App protocol -------------------------------------------------------------------------------------------

    def handle(self, req: Request) -> Response:
        if req.method != "POST":
            return Response.text("Method Not Allowed", 405)
        route = _ROUTES.get(req.path.rstrip("/"))
        if route is None:
            return Response.json({"errorCode": 404, "errorMessage": "not found", "errorDescription": "接口不存在"}, 404)
        with self.lock:
            try:
                body = self._body(req)
                return self._reply(route(self, req.path, body))
            except FxError as exc:
                return self._reply({"errorCode": exc.code, "errorMessage": exc.message,
                                    "errorDescription": exc.description})

    def is_write(self, req: Request) -> bool:
        return req.path.rstrip("/").rsplit("/", 1)[-1] in ("create", "update", "invalid", "delete", "recover", "send")

    def admin(self, action: str, payload: dict) -> dict:
        with self.lock:
            if action == "knobs":
                known = {f.name for f in fields(FxKnobs)}
                for k, v in payload.items():
                    if k not in known:
                        raise KeyError(k)
                    setattr(self.knobs, k, v)
                return asdict(self.knobs)
            if action == "messages":
                return {"messages": copy.deepcopy(self.messages)}
            if action == "records":
                return {"records": copy.deepcopy(self.crm.all(payload["api_name"]))}
            if action == "add_records":
                ids = self.crm.add_records(payload["api_name"], payload["records"], self._admin_id())
                return {"added": len(ids), "ids": ids}
            if action == "token_calls":
                return {"count": self.token_calls}
            if action == "rate_limited":
                return {"count": self.rate_limited}
            desk = _DESK_ACTIONS.get(action)
            if desk is not None:
                try:
                    return desk(self.desk, **payload)
                except FxError as exc:
                    raise ValueError(exc.message) from None
        raise KeyError(action)

    def snapshot(self) -> dict:
        with self.lock:
            return copy.deepcopy({"objects": self.crm.objects, "voided": self.crm.voided,
                                  "messages": self.messages, "tokens": self.tokens,
                                  "employees": list(self.employees.values()), "knobs": asdict(self.knobs)})

    def restore(self, state: dict) -> None:
        with self.lock:
            self.crm.objects = copy.deepcopy(state["objects"])
            self.crm.voided = copy.deepcopy(state.get("voided", {}))
            self.messages = copy.deepcopy(state.get("messages", []))
            self.tokens = copy.deepcopy(state.get("tokens", {}))
            self.employees = {e["openUserId"]: dict(e) for e in state.get("employees", self.employees.values())}
            self.knobs = FxKnobs(**state.get("knobs", {}))

    # --- envelope -----------------------------------------------------------------------------------------------

    def _now_ms(self) -> int:
        return int(self.clock() * 1000)

    def _reply(self, payload: dict[str, Any]) -> Response:
        self._trace += 1
        out = {"errorCode": 0, "errorMessage": "OK", "errorDescription": "success"}
        out.update(payload)
        out["traceId"] = f"E-O.sandbox.{self._trace}-{secrets.token_hex(8)}"
        return Response.json(out)

    @staticmethod
    def _body(req: Request) -> dict[str, Any]:
        if not req.body.strip():
            raise fx_error(12004)
        try:
            body = req.json()
        except ValueError:
            raise FxError(32000, "参数错误: 请求体不是合法的JSON / the body is not valid JSON") from None
        if not isinstance(body, dict):
            raise FxError(32000, "参数错误: 请求体必须是JSON对象 / the body must be a JSON object")
        return body

    def _admin_id(self) -> str:
        return next((e["openUserId"] for e in self.employees.values() if e.get("isAdmin")), next(iter(self.employees)))

    # --- token ----------------------------------------------------------------------------------------------

    def _token(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        now = self.clock()
        self.token_calls += 1
        while self._token_times and now - self._token_times[0] >= 60:
            self._token_times.popleft()
        self._token_times.append(now)
        if len(self._token_times) > self.knobs.token_calls_per_minute:
            raise fx_error(14001, f"token: at most {self.knobs.token_calls_per_minute} calls per minute")
        app_id, secret, code = body.get("appId"), body.get("appSecret"), body.get("permanentCode")
        if not app_id:
            raise fx_error(10001)
        if not secret or not isinstance(secret, str):
            raise fx_error(10006)
        if app_id != self.app_id:
            raise fx_error(20006)
        if secret != self.app_secret:
            raise fx_error(10006)
        if not code:
            raise fx_error(10012)
        if code != self.permanent_code:
            raise fx_error(20015)
        live = [(t, v) for t, v in self.tokens.items() if now - v["issued"] < TOKEN_TTL]
        self.tokens = dict(live)
        newest = max(live, key=lambda tv: tv[1]["issued"], default=None)
        if newest is None or now - newest[1]["issued"] >= TOKEN_RENEW_AFTER:
            token = secrets.token_hex(16).upper()
            self.tokens[token] = {"issued": now, "calls": 0}
            newest = (token, self.tokens[token])
        token, info = newest
        return {"corpAccessToken": token, "corpId": self.corp_id, "expiresIn": int(TOKEN_TTL - (now - info["issued"]))}

    # --- checks every business call goes through -----------------------------------------------------------------

    def _authorize(self, path: str, body: dict[str, Any], *, operator: bool) -> str | None:
        token = body.get("corpAccessToken")
        if not token:
            raise fx_error(20017)
        now = self.clock()
        info = self.tokens.get(token) if isinstance(token, str) else None
        if info is None or now - info["issued"] >= TOKEN_TTL:
            raise fx_error(20016)
        limit = self.knobs.token_expire_after_calls
        if limit is not None and info["calls"] >= limit:
            del self.tokens[token]  # dead for good: the next token request issues a new one
            raise fx_error(20016)
        if not body.get("corpId"):
            raise fx_error(10014)
        if body["corpId"] != self.corp_id:
            raise fx_error(20016)
        info["calls"] += 1
        if not self.knobs.openapi_package:
            raise fx_error(30003)
        day = int(now // 86400)
        calls = self._daily[1] + 1 if self._daily[0] == day else 1
        self._daily = (day, calls)
        if self.knobs.daily_quota is not None and calls > self.knobs.daily_quota:
            raise fx_error(30002)
        if self.knobs.rate_limit_on:
            window = self._rate.setdefault(path, deque())
            while window and now - window[0] >= self.knobs.rate_limit_window_s:
                window.popleft()
            if len(window) >= self.knobs.rate_limit_calls:
                self.rate_limited += 1
                raise fx_error(14001, f"{path}: at most {self.knobs.rate_limit_calls} calls per "
                                      f"{self.knobs.rate_limit_window_s:g} s")
            window.append(now)
        if not operator:
            return None
        user = body.get("currentOpenUserId")
        if not isinstance(user, str) or not user:
            raise fx_error(20012, "currentOpenUserId is required")
        emp = self.employees.get(user)
        if emp is None or emp.get("isStop"):
            raise fx_error(20012, f"currentOpenUserId {user} is not an employee of this company")
        return user

    def _data(self, body: dict[str, Any]) -> dict[str, Any]:
        data = body.get("data")
        if not isinstance(data, dict):
            raise FxError(32000, "参数错误: data 不能为空且必须是对象 / data is required and must be an object")
        return data

    # --- routes -------------------------------------------------------------------------------------------------

    def _get_by_mobile(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        self._authorize(path, body, operator=False)
        mobile = body.get("mobile")
        if not isinstance(mobile, str) or not mobile:
            raise FxError(32000, "参数错误: mobile 不能为空 / mobile is required")
        return {"empList": [self._public(e) for e in self.employees.values() if e.get("mobile") == mobile]}

    def _user_get(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        self._authorize(path, body, operator=False)
        emp = self.employees.get(body.get("openUserId") or "")
        if emp is None:
            raise fx_error(30027)
        return self._public(emp)

    @staticmethod
    def _public(emp: dict[str, Any]) -> dict[str, Any]:
        return {k: copy.deepcopy(emp[k]) for k in _DIRECTORY_FIELDS if k in emp}

    def _crm(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        user = self._authorize(path, body, operator=True)
        assert user is not None
        custom = "/custom/" in path
        action = path.rstrip("/").rsplit("/", 1)[-1]
        data = self._data(body)
        admin = bool(self.employees[user].get("isAdmin"))
        if action == "create":
            flags = {"triggerApprovalFlow": body.get("triggerApprovalFlow", True)}
            return {"dataId": self.crm.create(data, user, custom=custom, **flags)}
        if action == "update":
            self.crm.update(data, user, admin=admin, custom=custom)
            return {}
        api = self.crm.api_name(data.get("dataObjectApiName"), custom)
        if action == "query":
            page, total, offset, limit = self.crm.query(api, data.get("search_query_info"), user, admin)
            if data.get("find_explicit_total_num") is False:
                total = 0
            rows = [self._strip(r, body.get("includeNull") is True) for r in page]
            return {"data": {"dataList": rows, "total": total, "offset": offset, "limit": limit}}
        if action == "get":
            return {"data": self._strip(self.crm.get(api, data.get("objectDataId"), user, admin), True)}
        if action == "delete":
            self.crm.delete(api, data.get("idList"), user, admin)
        elif action == "recover":
            self.crm.recover(api, data.get("idList"), user, admin)
        else:  # invalid
            self.crm.invalid(api, data.get("object_data_id"), user, admin)
        return {}

    @staticmethod
    def _strip(record: dict[str, Any], include_null: bool) -> dict[str, Any]:
        return {k: copy.deepcopy(v) for k, v in record.items() if include_null or v is not None}

    def _object_list(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        self._authorize(path, body, operator=True)
        return {"data": {"objects": self.crm.object_list()}}

    def _describe(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        self._authorize(path, body, operator=True)
        data = body.get("data")
        api = body.get("apiName") or (data.get("apiName") if isinstance(data, dict) else None)
        if api not in FIELD_SETS:
            raise FxError(32000, f"参数错误: 对象 {api} 不存在 / object {api} does not exist")
        return {"data": {"describe": self.crm.describe(api)}}

    def _send_message(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        self._authorize(path, body, operator=False)
        to = body.get("toUser")
        if to is None or to == []:
            raise fx_error(10015)
        if not isinstance(to, list) or len(to) > 500 or any(u not in self.employees for u in to):
            raise fx_error(11016, "toUser must be a list of at most 500 openUserIds of this company")
        if body.get("msgType") != "text":
            raise fx_error(12003, f"msgType {body.get('msgType')!r} (the sandbox supports text)")
        text = body.get("text")
        content = text.get("content") if isinstance(text, dict) else None
        if not isinstance(content, str) or not content.strip():
            raise fx_error(12005)
        self.messages.append({"toUser": list(to), "msgType": "text", "content": content, "time": self._now_ms()})
        return {}



def fx_error(code: int, detail: str = "") -> FxError:
    """The gateway's error for ``code``, with an optional detail appended."""
    message, description = _MESSAGES[code]
    if detail:
        message, description = f"{message}: {detail}", f"{description}: {detail}"
    return FxError(code, message, description)


_ROUTES: dict[str, Callable[[FxiaokeApp, str, dict[str, Any]], dict[str, Any]]] = {
    "/cgi/corpAccessToken/get/V2": FxiaokeApp._token,
    "/cgi/user/getByMobile": FxiaokeApp._get_by_mobile,
    "/cgi/user/get": FxiaokeApp._user_get,
    "/cgi/crm/v2/object/list": FxiaokeApp._object_list,
    "/cgi/crm/v2/object/describe": FxiaokeApp._describe,
    "/cgi/message/send": FxiaokeApp._send_message,
    **{f"/cgi/crm/{kind}v2/data/{op}": FxiaokeApp._crm for kind in ("", "custom/")
       for op in ("query", "get", "create", "update", "invalid", "delete", "recover")},
}

#: ``POST /__sandbox__/admin/<action>`` of the salesperson's desk; the JSON payload gives the keyword arguments.
_DESK_ACTIONS: dict[str, Callable[..., dict[str, Any]]] = {
    "edit_order": SalesDesk.edit_order,
    "approve_order": SalesDesk.approve_order,
    "reject_order": SalesDesk.reject_order,
    "void_order": SalesDesk.void_order,
    "edit_customer": SalesDesk.edit_customer,
    "set_payment_state": SalesDesk.set_payment_state,
}
