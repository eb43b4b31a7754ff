"""The simulated K3Cloud WebAPI (site root ``/K3Cloud/``): logins, sessions, DynamicFormService, admin actions.

Behaviour follows reference/k3cloud-webapi.md. Where the reference is silent the sandbox picks one reading and says
so here: a wrong acctId on *any* login answers HTTP 500 「Fail to verify thirty passport」 (observed for signed
headers, §2.5/§9.5); BatchSave reports per row (a failing model does not block the others); ``Limit`` above
10 000 is truncated to 10 000; ``Limit`` 0 means no limit; View answers ORM property names (§10.13 is open).
"""

from __future__ import annotations

import copy
import json
import logging
import threading
import time
from dataclasses import asdict, dataclass, fields
from typing import Callable
from urllib.parse import parse_qs

from core.sandbox.base import Request, Response
from core.sandbox.k3cloud_auth import (
    BAD_PASSPORT, LCIDS, SESSION_LOST, WRONG_APP, WRONG_PASSWORD, Identity, Sessions, check_signed, is_signed,
    login_failed, login_ok, make_app_credentials, new_sid, session_cookies,
)
from core.sandbox.k3cloud_forms import FormDef, business_info, find_form
from core.sandbox.k3cloud_ops import find_for_view, need_return_data, run_operation, ship, target_refs, view_record
from core.sandbox.k3cloud_query import QueryError, parse_params, run_query
from core.sandbox.k3cloud_store import RowError, SaveOptions, Store, as_bool

__all__ = ["K3CloudApp", "K3Knobs", "make_app_credentials"]

log = logging.getLogger("fxk3sync.sandbox.k3cloud")

SITE, SUFFIX = "/k3cloud/", ".common.kdsvc"
AUTH = "kingdee.bos.webapi.servicesstub.authservice."
FORM = "kingdee.bos.webapi.servicesstub.dynamicformservice."
DATA_CENTERS = "kingdee.bos.servicefacade.servicesstub.account.accountservice.getdatacenterlist"
WRITES = {"save", "batchsave", "submit", "audit", "unaudit", "delete", "draft"}
OPERATIONS = {"submit", "audit", "unaudit", "delete"}
QUERIES = {"executebillquery", "billquery", "querybusinessinfo"}  # take only ``data`` (no formid)


@dataclass
class K3Knobs:
    """Run-time knobs of the K3Cloud simulator (admin action "knobs")."""

    session_expire_after_calls: int | None = None
    session_idle_seconds: float = 1800
    require_string_data: bool = False  # some servers only accept ``data`` as a JSON string (§3)
    signature_check: bool = True       # also verify X-Api-Signature, not only X-Kd-Signature (§10.3 is open)


class BadCall(Exception):
    """A call the server answers with a ResponseStatus error."""

    def __init__(self, msg_code: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.msg_code, self.message, self.field = msg_code, message, field


class _Args:
    """Top-level parameters of a call: named (keys case-insensitive) or positional (``parameters``)."""

    def __init__(self, named: dict, positional: list | None) -> None:
        self.named = {str(k).lower(): v for k, v in named.items()}
        self.positional = positional

    def get(self, name: str, index: int) -> object:
        if self.positional is not None:
            return self.positional[index] if index < len(self.positional) else None
        return self.named.get(name)


def _parse_body(req: Request) -> _Args:
    """All body styles clients use (§2.1, §3): JSON named, positional list, legacy wrapper, form-urlencoded."""
    try:
        text = req.body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadCall(4, f"请求内容不是有效的 UTF-8 文本：{exc.reason}") from exc
    if not text.strip():
        return _Args({}, None)
    if "x-www-form-urlencoded" in req.headers.get("content-type", "") or text.lstrip()[:1] not in "{[":
        return _Args({k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()}, None)
    try:
        body = json.loads(text)
    except ValueError as exc:
        raise BadCall(4, f"请求的 JSON 数据格式不正确：{exc}") from exc
    if isinstance(body, list):
        return _Args({}, body)
    args = _Args(body, None)
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


def _status(errors: list[RowError], success: list[dict]) -> dict:
    ok = not errors
    return {"ErrorCode": 0 if ok else 500, "IsSuccess": ok, "Errors": [e.as_json() for e in errors],
            "SuccessEntitys": success, "SuccessMessages": [], "MsgCode": 0 if ok else errors[0].msg_code}


def _wrap(op: str, result: dict) -> Response:
    """Errors of ExecuteBillQuery arrive nested in a list of lists (§2.5); everything else is one object."""
    body = {"Result": result}
    return Response.json([[body]] if op == "executebillquery" else body)


def _fail(op: str, errors: list[RowError]) -> Response:
    result = {"ResponseStatus": _status(errors, [])}
    if op == "save":
        result.update(Id="", Number="", NeedReturnData=[])
    elif op == "batchsave":
        result["NeedReturnData"] = []
    return _wrap(op, result)


class K3CloudApp:
    """The K3Cloud simulator; see the module docstring and core/sandbox's architecture notes."""

    name = "k3cloud"

    def __init__(self, *, acct_id: str, acct_name: str, username: str, password: str, app_id: str,
                 app_secret: str, lcid: int = 2052, materials: list[dict], units: list[dict], orgs: list[dict],
                 currencies: list[dict], customers: list[dict], clock: Callable[[], float] = time.time,
                 session_idle_seconds: float = 1800) -> None:
        self.ident = Identity(acct_id, acct_name, username, password, app_id, app_secret, lcid)
        self.knobs = K3Knobs(session_idle_seconds=session_idle_seconds)
        self.clock = clock
        self.store = Store(clock)
        self.store.seed(orgs=orgs, currencies=currencies, units=units, materials=materials, customers=customers)
        self.sessions = Sessions(clock)
        self._lock = threading.RLock()

    # --- App protocol -----------------------------------------------------------------------------------------

    def handle(self, req: Request) -> Response:
        low = req.path.lower()
        if not (low.startswith(SITE) and low.endswith(SUFFIX)):
            return Response.text("404 - 找不到文件或目录。", 404)
        service = low[len(SITE):-len(SUFFIX)]
        try:
            with self._lock:
                if service == DATA_CENTERS:
                    return Response.json([{"Id": self.ident.acct_id, "Number": self.ident.acct_id,
                                           "Name": self.ident.acct_name, "DatabaseType": 3}])
                if service.startswith(AUTH):
                    return self._auth_call(req, service[len(AUTH):])
                if service.startswith(FORM):
                    return self._form_call(req, service[len(FORM):])
        except Exception:  # noqa: BLE001 - the service's own error envelope, never a stack trace
            log.exception("k3cloud sandbox: unhandled error on %s", req.path)
            return _fail("", [RowError(None, "服务器内部错误，请查看服务器日志", 0, 4)])
        return Response.text("404 - 找不到文件或目录。", 404)

    def is_write(self, req: Request) -> bool:
        low = req.path.lower()
        return low.startswith(SITE + FORM) and low.endswith(SUFFIX) and \
            low[len(SITE + FORM):-len(SUFFIX)] in WRITES

    def admin(self, action: str, payload: dict) -> dict:
        with self._lock:
            if action == "knobs":
                known = {f.name for f in fields(K3Knobs)}
                unknown = sorted(set(payload) - known)
                if unknown:
                    raise ValueError(f"unknown k3cloud knobs {unknown}; known: {sorted(known)}")
                for k, v in payload.items():
                    setattr(self.knobs, k, v)
                return asdict(self.knobs)
            if action == "ship":
                nos = payload.get("bill_nos")
                if nos is not None and not isinstance(nos, list):
                    raise ValueError("bill_nos must be a list")
                return ship(self.store, nos, payload.get("count"))
            if action in ("count", "records"):
                form = find_form(payload.get("form_id"))
                if form is None:
                    raise ValueError(f"unknown form_id {payload.get('form_id')!r}")
                recs = sorted(self.store.records[form.form_id].values(), key=lambda r: r["_id"])
                if action == "count":
                    return {"form_id": form.form_id, "count": len(recs)}
                return {"form_id": form.form_id, "records": copy.deepcopy(recs)}
            if action == "expire_sessions":
                return {"expired": self.sessions.expire_all()}
            if action == "sessions":
                return {"count": len(self.sessions)}
        raise KeyError(action)

    def snapshot(self) -> dict:
        with self._lock:
            return copy.deepcopy({"store": self.store.snapshot(), "knobs": asdict(self.knobs)})

    def restore(self, state: dict) -> None:
        with self._lock:
            self.store.restore(copy.deepcopy(state["store"]))
            self.knobs = K3Knobs(**state.get("knobs", {}))
            self.sessions.expire_all()

    # --- logins -------------------------------------------------------------------------------------------------

    def _auth_call(self, req: Request, method: str) -> Response:
        if method == "logout":
            for sid in (req.headers.get("kdservice-sessionid"), req.cookies.get("kdservice-sessionid")):
                self.sessions.drop(sid)
            return Response.json(True)
        if method not in ("validateuser", "loginbyappsecret"):
            return Response.json(login_failed(f"沙箱未实现登录服务 AuthService.{method}"))
        try:
            args = _parse_body(req)
        except BadCall as exc:
            return Response.json(login_failed(exc.message))
        ident = self.ident
        acct, user = args.get("acctid", 0), args.get("username", 1)
        if method == "validateuser":
            secret_ok = args.get("password", 2) == ident.password
            raw_lcid, refused = args.get("lcid", 3), WRONG_PASSWORD
        else:
            secret_ok = args.get("appid", 2) == ident.app_id and args.get("appsecret", 3) == ident.app_secret
            raw_lcid, refused = args.get("lcid", 4), WRONG_APP
        try:
            lcid = int(raw_lcid) if raw_lcid not in (None, "") else 2052
        except (TypeError, ValueError):
            return Response.json(login_failed(f"参数 lcid 的值“{raw_lcid}”不是有效的语言代码"))
        if str(acct) != ident.acct_id:
            return Response.text(BAD_PASSPORT, 500)
        if user != ident.username or not secret_ok or lcid not in LCIDS:
            return Response.json(login_failed(refused, lcid), headers=session_cookies(new_sid()))
        session = self.sessions.create(ident.username, lcid)
        return Response.json(login_ok(ident, session), headers=session_cookies(session.sid))

    def _authenticate(self, req: Request, op: str) -> tuple[list[tuple[str, str]], Response | None]:
        """(Set-Cookie headers, refusal). Signed-header calls re-issue a missing or dead session silently."""
        k = self.knobs
        for sid in (req.headers.get("kdservice-sessionid"), req.cookies.get("kdservice-sessionid")):
            session = self.sessions.get(sid, k.session_idle_seconds, k.session_expire_after_calls)
            if session is not None:
                self.sessions.touch(session)
                return [], None
        lost = _wrap(op, {"ResponseStatus": _status([RowError(None, SESSION_LOST, 0, 1)], [])})  # exactly §2.5
        if not is_signed(req.headers):
            return [], lost
        outcome, lcid = check_signed(req.method, req.path, req.headers, self.ident, k.signature_check)
        if outcome == "acct":
            return [], Response.text(BAD_PASSPORT, 500)
        if outcome == "bad":
            return session_cookies(new_sid()), lost  # the real server hands out an empty-shell SID here too
        session = self.sessions.create(self.ident.username, lcid)
        self.sessions.touch(session)
        return session_cookies(session.sid), None

    # --- DynamicFormService ------------------------------------------------------------------------------------

    def _form_call(self, req: Request, op: str) -> Response:
        cookies, refusal = self._authenticate(req, op)
        if refusal is not None:
            refusal.headers.extend(cookies)
            return refusal
        try:
            args = _parse_body(req)
            if op in QUERIES:
                resp = self._query(op, self._data(args, 0))
            elif op in OPERATIONS or op in ("save", "batchsave", "view"):
                form = self._form(args.get("formid", 0))
                resp = self._form_op(op, form, self._data(args, 1))
            else:
                raise BadCall(4, f"沙箱未实现服务 DynamicFormService.{op}")
        except (BadCall, QueryError) as exc:
            resp = _fail(op, [RowError(exc.field, exc.message, 0, exc.msg_code)])
        resp.headers.extend(cookies)
        return resp

    def _data(self, args: _Args, index: int) -> dict:
        raw = args.get("data", index)
        if raw is None or raw == "":
            raise BadCall(8, "参数 data 的值不能为空", "data")
        if isinstance(raw, str):
            try:
                raw = json.loads(raw)
            except ValueError as exc:
                raise BadCall(8, f"data 数据包不是有效的 JSON：{exc}", "data") from exc
        elif self.knobs.require_string_data:
            raise BadCall(8, "data 数据包的格式不正确，应为 JSON 字符串", "data")
        if not isinstance(raw, dict):
            raise BadCall(8, "data 数据包的格式不正确，应为 JSON 对象", "data")
        return raw

    @staticmethod
    def _form(form_id: object) -> FormDef:
        if form_id is None or form_id == "":
            raise BadCall(5, "参数 formid 的值不能为空，请指定业务对象标识", "formid")
        form = find_form(form_id)
        if form is None:
            raise BadCall(4, f"标识为“{form_id}”的业务对象不存在，或者被删除")
        return form

    def _query(self, op: str, data: dict) -> Response:
        if op == "querybusinessinfo":
            form = self._form(next((v for k, v in data.items() if k.lower() == "formid"), None))
            return Response.json({"Result": {"ResponseStatus": _status([], []), "NeedReturnData": business_info(form)}})
        params = parse_params(data)
        rows = run_query(self.store, params)
        if op == "billquery":
            return Response.json([dict(zip(params.field_keys, row)) for row in rows])
        return Response.json(rows)

    def _form_op(self, op: str, form: FormDef, data: dict) -> Response:
        keys = {k.lower(): v for k, v in data.items()}
        if op in OPERATIONS:
            refs = target_refs(data)
            if not refs:
                raise BadCall(8, "data 数据包中的参数 Numbers 和 Ids 不能同时为空", "Numbers")
            ok, errors = run_operation(self.store, form, op, refs)
            result = {"ResponseStatus": _status(errors, ok)}
            return _wrap(op, result)
        if op == "view":
            if keys.get("id") in (None, "", 0, "0") and keys.get("number") in (None, ""):
                raise BadCall(8, "data 数据包中的参数 Number 和 Id 不能同时为空", "Number")
            rec = find_for_view(self.store, form, data)
            if rec is None:
                what = keys.get("number") or keys.get("id")
                raise BadCall(10, f"{form.name}“{what}”不存在，或者已被删除")
            return _wrap(op, {"ResponseStatus": _status([], []), "Result": view_record(self.store, form, rec)})
        opts = self._save_options(keys)
        models = keys.get("model")
        if models is None:
            raise BadCall(8, "data 数据包中的参数 Model 的值不能为空", "Model")
        if op == "save":
            if isinstance(models, list):
                raise BadCall(8, "data 数据包中的参数 Model 的格式不正确，Save 只接受一个对象", "Model")
            errors, rec = self.store.save_model(form, models, opts, 0)
            if errors:
                return _fail(op, errors)
            number = rec[form.number_key]
            return _wrap(op, {"ResponseStatus": _status([], [{"Id": rec["_id"], "Number": number, "DIndex": 0}]),
                              "Id": rec["_id"], "Number": number,
                              "NeedReturnData": [need_return_data(form, rec, opts.need_return_fields)]})
        if not isinstance(models, list):
            raise BadCall(8, "data 数据包中的参数 Model 的格式不正确，BatchSave 需要对象数组", "Model")
        ok: list[dict] = []
        errors: list[RowError] = []
        returned: list[dict] = []
        for dindex, model in enumerate(models):
            errs, rec = self.store.save_model(form, model, opts, dindex)
            if errs:
                errors.extend(errs)
                continue
            ok.append({"Id": rec["_id"], "Number": rec[form.number_key], "DIndex": dindex})
            returned.append(need_return_data(form, rec, opts.need_return_fields))
        return _wrap(op, {"ResponseStatus": _status(errors, ok), "NeedReturnData": returned})

    @staticmethod
    def _save_options(keys: dict) -> SaveOptions:
        def str_list(name: str) -> list[str]:
            value = keys.get(name.lower())
            if value in (None, ""):
                return []
            if isinstance(value, str):
                return [p.strip() for p in value.split(",") if p.strip()]
            if not isinstance(value, list):
                raise BadCall(8, f"data 数据包中的参数 {name} 的格式不正确，应为数组", name)
            return [str(v) for v in value]

        return SaveOptions(
            need_update_fields=str_list("NeedUpDateFields"), need_return_fields=str_list("NeedReturnFields"),
            is_delete_entry=as_bool(keys.get("isdeleteentry"), True),
            validate=as_bool(keys.get("validateflag"), True),
            auto_submit_audit=as_bool(keys.get("isautosubmitandaudit"), False),
        )
