"""The simulated K3Cloud WebAPI (site root ``/K3Cloud/``): logins, sessions, DynamicFormService, admin actions.

Behaviour follows reference/k3cloud-webapi.md; each module says which rule comes from where (k3cloud_auth
logins, k3cloud_wire envelopes, k3cloud_save Save semantics, k3cloud_basedata base-data state, k3cloud_amounts,
k3cloud_ops workflow, k3cloud_links downstream bills, k3cloud_query queries, k3cloud_admin admin actions).
Where the reference is silent the sandbox picks one reading and says so: a wrong acctId on *any* login answers
HTTP 500 「Fail to verify thirty passport」 (observed for signed headers, §2.5/§9.5); BatchSave reports per row (a
failing model does not block the others); ``Limit`` above 10 000 is truncated to 10 000; ``Limit`` 0 means no
limit; View answers ORM property names (§10.13 is open).

The official SDK's asynchronous mode (§2.6) is answered by k3cloud_services.AsyncTasks; so are ExcuteOperation
(Forbid/Enable) and Allocate/CancelAllocate. Services not emulated (they answer MsgCode 4 「沙箱未实现服务」): Push,
GroupSave, GroupDelete, QueryGroupInfo, FlexSave, SendMsg, Disassembly, WorkflowAudit, SwitchOrg, GetSysReportData,
AttachmentUpload, AttachmentDownLoad, and ExcuteOperation other than Forbid/Enable.

Latency knobs ``save_latency_ms_per_call`` + ``save_latency_ms_per_row`` × rows delay every Save/BatchSave/Draft
answer (outside the app lock, so concurrent calls overlap as on a real server) [sandbox choice: a linear model
so batch sizes can be measured; the reference has no numbers, §9.8].
"""

from __future__ import annotations

import copy
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import asdict

from core.sandbox import k3cloud_admin
from core.sandbox.base import Request, Response
from core.sandbox.k3cloud_auth import (
    BAD_PASSPORT,
    LCIDS,
    LOGIN_RESULT_TYPES,
    PASSWORD_EXPIRED,
    SESSION_LOST,
    WORKING_TYPES,
    WRONG_APP,
    WRONG_PASSWORD,
    Identity,
    Sessions,
    check_signed,
    is_signed,
    login_failed,
    login_ok,
    make_app_credentials,
    new_sid,
    session_cookies,
)
from core.sandbox.k3cloud_forms import FormDef, business_info, find_form
from core.sandbox.k3cloud_knobs import K3Knobs
from core.sandbox.k3cloud_ops import (
    find_for_view,
    need_return_data,
    run_operation,
    target_refs,
    view_record,
)
from core.sandbox.k3cloud_query import QueryError, parse_params, run_query
from core.sandbox.k3cloud_save import save_model, seed
from core.sandbox.k3cloud_services import AsyncTasks, allocate, execute_operation
from core.sandbox.k3cloud_store import RowError, SaveOptions, Store, as_bool
from core.sandbox.k3cloud_wire import Args, BadCall, fail, parse_body, status, wrap

__all__ = ["K3CloudApp", "K3Knobs", "make_app_credentials"]

log = logging.getLogger("fxk3sync.sandbox.k3cloud")

SITE, SUFFIX = "/k3cloud/", ".common.kdsvc"
AUTH = "kingdee.bos.webapi.servicesstub.authservice."
FORM = "kingdee.bos.webapi.servicesstub.dynamicformservice."
DATA_CENTERS = "kingdee.bos.servicefacade.servicesstub.account.accountservice.getdatacenterlist"
OPERATIONS = {"submit", "audit", "unaudit", "delete", "cancelassign"}
SAVES = {"save", "batchsave", "draft"}
WRITES = SAVES | OPERATIONS | {"excuteoperation", "executeoperation", "allocate", "cancelallocate"}
QUERIES = {"executebillquery", "billquery", "querybusinessinfo"}  # take only ``data`` (no formid)


class K3CloudApp:
    """The K3Cloud simulator; see the module docstring and core/sandbox's architecture notes."""

    name = "k3cloud"

    def __init__(self, *, acct_id: str, acct_name: str, username: str, password: str, app_id: str,
                 app_secret: str, lcid: int = 2052, materials: list[dict], units: list[dict], orgs: list[dict],
                 currencies: list[dict], customers: list[dict], tax_rates: list[dict] | None = None,
                 clock: Callable[[], float] = time.time, session_idle_seconds: float = 1800) -> None:
        self.ident = Identity(acct_id, acct_name, username, password, app_id, app_secret, lcid)
        self.knobs = K3Knobs(session_idle_seconds=session_idle_seconds)
        self.clock = clock
        self.store = Store(clock)
        seed(self.store, orgs=orgs, currencies=currencies, units=units, materials=materials, customers=customers,
             tax_rates=tax_rates)
        self.sessions = Sessions(clock)
        self._tasks = AsyncTasks()
        self._lock = threading.RLock()

    # --- App protocol -----------------------------------------------------------------------------------------

    def handle(self, req: Request) -> Response:
        low = req.path.lower()
        if not (low.startswith(SITE) and low.endswith(SUFFIX)):
            return Response.text("404 - 找不到文件或目录。", 404)
        service = low[len(SITE):-len(SUFFIX)]
        delay = 0.0
        try:
            with self._lock:
                if service == DATA_CENTERS:
                    return Response.json([{"Id": self.ident.acct_id, "Number": self.ident.acct_id,
                                           "Name": self.ident.acct_name, "DatabaseType": 3}])
                if service.startswith(AUTH):
                    return self._auth_call(req, service[len(AUTH):])
                if not service.startswith(FORM):
                    return Response.text("404 - 找不到文件或目录。", 404)
                resp, rows = self._form_call(req, service[len(FORM):])
                if rows:
                    k = self.knobs
                    delay = (k.save_latency_ms_per_call + k.save_latency_ms_per_row * rows) / 1000
        except Exception:
            log.exception("k3cloud sandbox: unhandled error on %s", req.path)
            return fail("", [RowError(None, "服务器内部错误，请查看服务器日志", 0, 4)])
        if delay > 0:
            time.sleep(delay)
        return resp

    def is_write(self, req: Request) -> bool:
        low = req.path.lower()
        return low.startswith(SITE + FORM) and low.endswith(SUFFIX) and \
            low[len(SITE + FORM):-len(SUFFIX)] in WRITES

    def admin(self, action: str, payload: dict) -> dict:
        with self._lock:
            return k3cloud_admin.run(self, action, payload)

    def snapshot(self) -> dict:
        with self._lock:
            return copy.deepcopy({"store": self.store.snapshot(), "knobs": asdict(self.knobs)})

    def restore(self, state: dict) -> None:
        with self._lock:
            self.store.restore(copy.deepcopy(state["store"]))
            self.knobs = K3Knobs(**state.get("knobs", {}))
            self.sessions.expire_all()
            self._tasks.clear()

    # --- Python helpers for tests and the demo (each is the admin action of the same name) ----------------------

    def forbid(self, number: str, form_id: str = "BD_MATERIAL", org: str | None = None) -> dict:
        return self.admin("forbid", {"form_id": form_id, "number": number, "org": org})

    def enable(self, number: str, form_id: str = "BD_MATERIAL", org: str | None = None) -> dict:
        return self.admin("enable", {"form_id": form_id, "number": number, "org": org})

    def set_status(self, number: str, status: str, form_id: str = "BD_MATERIAL", org: str | None = None) -> dict:
        return self.admin("set_status", {"form_id": form_id, "number": number, "status": status, "org": org})

    def allocate(self, number: str, org: str, form_id: str = "BD_MATERIAL", audited: bool = True) -> dict:
        return self.admin("allocate", {"form_id": form_id, "number": number, "org": org, "audited": audited})

    def unallocate(self, number: str, org: str, form_id: str = "BD_MATERIAL") -> dict:
        return self.admin("unallocate", {"form_id": form_id, "number": number, "org": org})

    def rename(self, number: str, name: str, specification: str | None = None) -> dict:
        payload = {"number": number, "name": name}
        if specification is not None:
            payload["specification"] = specification
        return self.admin("rename", payload)

    def ship(self, bill_nos: list[str] | None = None, *, count: int | None = None, form_id: str = "SAL_OUTSTOCK",
             lines: dict | None = None, remaining: bool = False) -> dict:
        return self.admin("ship", {"bill_nos": bill_nos, "count": count, "form_id": form_id, "lines": lines,
                                   "remaining": remaining})

    def record_return(self, bill_no: str, lines: dict | None = None) -> dict:
        return self.admin("return", {"bill_no": bill_no, "lines": lines})

    # --- logins -------------------------------------------------------------------------------------------------

    def _auth_call(self, req: Request, method: str) -> Response:
        if method == "logout":
            for sid in (req.headers.get("kdservice-sessionid"), req.cookies.get("kdservice-sessionid")):
                self.sessions.drop(sid)
            return Response.json(True)
        if method not in ("validateuser", "loginbyappsecret"):
            return Response.json(login_failed(f"沙箱未实现登录服务 AuthService.{method}"))
        try:
            args = parse_body(req)
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
            lcid = int(str(raw_lcid)) if raw_lcid not in (None, "") else 2052
        except (TypeError, ValueError):
            return Response.json(login_failed(f"参数 lcid 的值“{raw_lcid}”不是有效的语言代码"))
        if str(acct) != ident.acct_id:
            return Response.text(BAD_PASSPORT, 500)
        if user != ident.username or not secret_ok or lcid not in LCIDS:
            return Response.json(login_failed(refused, lcid), headers=session_cookies(new_sid()))
        k = self.knobs
        if k.password_expired:
            return Response.json(login_failed(PASSWORD_EXPIRED, lcid, -3, "CheckPasswordPolicy"),
                                 headers=session_cookies(new_sid()))
        if k.login_result_type not in WORKING_TYPES:
            message = LOGIN_RESULT_TYPES.get(k.login_result_type, ("", "登录失败"))[1] or "登录失败"
            return Response.json(login_failed(message, lcid, k.login_result_type), headers=session_cookies(new_sid()))
        session = self.sessions.create(ident.username, lcid)
        return Response.json(login_ok(ident, session, k.login_result_type), headers=session_cookies(session.sid))

    def _authenticate(self, req: Request, op: str) -> tuple[list[tuple[str, str]], Response | None]:
        """(Set-Cookie headers, refusal). Signed-header calls re-issue a missing or dead session silently."""
        k = self.knobs
        for sid in (req.headers.get("kdservice-sessionid"), req.cookies.get("kdservice-sessionid")):
            session = self.sessions.get(sid, k.session_idle_seconds, k.session_expire_after_calls)
            if session is not None:
                self.sessions.touch(session)
                return [], None
        lost = wrap(op, {"ResponseStatus": status([RowError(None, SESSION_LOST, 0, 1)], [])})  # exactly §2.5
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

    def _form_call(self, req: Request, op: str) -> tuple[Response, int]:
        """(answer, rows saved for the latency model)."""
        cookies, refusal = self._authenticate(req, op)
        if refusal is not None:
            refusal.headers.extend(cookies)
            return refusal, 0
        rows = 0
        try:
            args = parse_body(req)
        except BadCall as exc:
            return fail(op, [RowError(exc.field, exc.message, 0, exc.msg_code)]), 0
        try:
            if op == "queryasyncresult":
                resp = self._tasks.poll(args)
            elif op in QUERIES:
                resp = self._query(op, self._data(args, 0))
            elif op in OPERATIONS or op in SAVES or op == "view":
                form = self._form(args.get("formid", 0))
                data = self._data(args, 1)
                resp = self._form_op(op, form, data)
                if op in SAVES:
                    models = next((v for k, v in data.items() if k.lower() == "model"), None)
                    rows = len(models) if isinstance(models, list) else 1
            elif op in ("excuteoperation", "executeoperation"):
                form = self._form(args.get("formid", 0))
                resp = execute_operation(self.store, form, str(args.get("opnumber", 1) or ""), self._data(args, 2))
            elif op in ("allocate", "cancelallocate"):
                resp = allocate(self.store, op, self._form(args.get("formid", 0)), self._data(args, 1))
            else:
                raise BadCall(4, f"沙箱未实现服务 DynamicFormService.{op}")
        except (BadCall, QueryError) as exc:
            resp = fail(op, [RowError(exc.field, exc.message, 0, exc.msg_code)])
        if str(args.named.get("beginmethod") or "").lower() == "beginqueryimpl":
            resp = self._tasks.begin(resp, self.knobs.async_polls)
        resp.headers.extend(cookies)
        return resp, rows

    def _data(self, args: Args, index: int) -> dict:
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
            return Response.json({"Result": {"ResponseStatus": status([], []), "NeedReturnData": business_info(form)}})
        params = parse_params(data)
        rows = run_query(self.store, params)
        if op == "billquery":
            return Response.json([dict(zip(params.field_keys, row, strict=True)) for row in rows])
        return Response.json(rows)

    def _form_op(self, op: str, form: FormDef, data: dict) -> Response:
        keys = {k.lower(): v for k, v in data.items()}
        if op in OPERATIONS:
            refs = target_refs(data)
            if not refs:
                raise BadCall(8, "data 数据包中的参数 Numbers 和 Ids 不能同时为空", "Numbers")
            done, failed, messages = run_operation(self.store, form, op, refs,
                                                   refused=self.knobs.refuse_ops.get(op, ()))
            return wrap(op, {"ResponseStatus": status(failed, done, messages)})
        if op == "view":
            if keys.get("id") in (None, "", 0, "0") and keys.get("number") in (None, ""):
                raise BadCall(8, "data 数据包中的参数 Number 和 Id 不能同时为空", "Number")
            rec = find_for_view(self.store, form, data)
            if rec is None:
                what = keys.get("number") or keys.get("id")
                raise BadCall(10, f"{form.name}“{what}”不存在，或者已被删除")
            return wrap(op, {"ResponseStatus": status([], []), "Result": view_record(self.store, form, rec)})
        opts = self._save_options(keys, draft=op == "draft")
        models = keys.get("model")
        if models is None:
            raise BadCall(8, "data 数据包中的参数 Model 的值不能为空", "Model")
        if op in ("save", "draft"):
            if isinstance(models, list):
                raise BadCall(8, "data 数据包中的参数 Model 的格式不正确，Save 只接受一个对象", "Model")
            errors, rec = save_model(self.store, form, models, opts, 0)
            if errors or rec is None:
                return fail("save", errors)
            if op == "draft" and rec["FDocumentStatus"] == "A":
                rec["FDocumentStatus"] = "Z"
            number = rec[form.number_key]
            return wrap(op, {"ResponseStatus": status([], [{"Id": rec["_id"], "Number": number, "DIndex": 0}]),
                             "Id": rec["_id"], "Number": number,
                             "NeedReturnData": [need_return_data(form, rec, opts.need_return_fields)]})
        if not isinstance(models, list):
            raise BadCall(8, "data 数据包中的参数 Model 的格式不正确，BatchSave 需要对象数组", "Model")
        ok: list[dict] = []
        errors = []
        returned: list[dict] = []
        for dindex, model in enumerate(models):
            errs, saved = save_model(self.store, form, model, opts, dindex)
            if errs or saved is None:
                errors.extend(errs)
                continue
            ok.append({"Id": saved["_id"], "Number": saved[form.number_key], "DIndex": dindex})
            returned.append(need_return_data(form, saved, opts.need_return_fields))
        return wrap(op, {"ResponseStatus": status(errors, ok), "NeedReturnData": returned})

    def _save_options(self, keys: dict, *, draft: bool) -> SaveOptions:
        def str_list(name: str) -> list[str]:
            value = keys.get(name.lower())
            if value in (None, ""):
                return []
            if isinstance(value, str):
                return [p.strip() for p in value.split(",") if p.strip()]
            if not isinstance(value, list):
                raise BadCall(8, f"data 数据包中的参数 {name} 的格式不正确，应为数组", name)
            return [str(v) for v in value]

        k = self.knobs
        return SaveOptions(
            need_update_fields=str_list("NeedUpDateFields"), need_return_fields=str_list("NeedReturnFields"),
            is_delete_entry=as_bool(keys.get("isdeleteentry"), True),
            validate=not draft and as_bool(keys.get("validateflag"), True),
            auto_submit_audit=not draft and as_bool(keys.get("isautosubmitandaudit"), False),
            verify_base_data=k.always_verify_base_data or as_bool(keys.get("isverifybasedatafield"), False),
            check_state=k.check_base_data_state, unique_numbers=k.unique_numbers,
            fin_after_entry_resets_prices=k.fin_after_entry_resets_prices,
        )
