"""The K3Cloud WebAPI client: logins, sessions, saves, workflow operations and queries, with typed results."""

from __future__ import annotations

import json
import threading
import time
from typing import Any, Iterable, Iterator
from urllib.parse import urlsplit

from core.errors import (
    BadResponseError,
    K3CloudAuthError,
    K3CloudError,
    OutcomeUnknownError,
    Text,
    TransportError,
)
from core.http import HttpClient, HttpResult, Redactor, Sink, Timeouts
from core.k3cloud import auth
from core.k3cloud.query import as_dicts, as_rows, chunked, in_filter, primary_key, query_data
from core.k3cloud.results import (
    OpResult,
    RowResult,
    SaveResult,
    Status,
    get_ci,
    maybe_json,
    msg_code_of,
    rows_from_status,
    status_error,
    status_of,
)

FORM = "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService."
WRITE_OPS = {"Submit": Text("提交", "Submit"), "Audit": Text("审核", "Audit"), "UnAudit": Text("反审核", "Unaudit"),
             "Delete": Text("删除", "Delete")}


def _svc(name: str) -> str:
    return name + ".common.kdsvc"


def _bool(value: bool) -> str:
    return "true" if value else "false"


class K3CloudClient:
    """One K3Cloud account on one HTTP session.

    Args:
        profile: the ``core.profiles.Profile`` (URL, data center, user, lcid, login mode, org, TLS, timeouts).
        secrets: the ``core.profiles.ProfileSecrets`` (password or app secret).
        sinks: receivers of every (redacted) exchange record.
        http: an existing ``HttpClient`` to use instead of a new one (its sinks and redactor are kept).
    """

    def __init__(self, profile: Any, secrets: Any, *, sinks: Iterable[Sink] = (), http: HttpClient | None = None) -> None:
        self.profile = profile
        self._password = secrets.k3_password or ""
        self._app_secret = secrets.k3_app_secret or ""
        self.mode = (profile.k3_auth or "password").lower()
        if self.mode not in auth.MODES:
            raise ValueError(f"unknown K3Cloud login mode {profile.k3_auth!r}")
        self._owns_http = http is None
        if http is None:
            http = HttpClient("k3cloud", profile.k3_url, ca_bundle=profile.ca_bundle or None, sinks=sinks,
                              timeouts=Timeouts(profile.connect_timeout or 10.0, profile.read_timeout or 60.0),
                              redactor=Redactor())
        else:
            http.sinks.extend(sinks)
        self.http = http
        for value in (self._password, self._app_secret, auth.split_app_id(profile.k3_app_id or "")[1]):
            self.http.redactor.add(value)
        self._sid: str | None = None
        self._logged_in = False
        self._generation = 0  # bumped by each login, so concurrent MsgCode 1 answers log in only once
        self._lock = threading.RLock()

    # -- lifecycle ------------------------------------------------------------------------------------------------

    def __enter__(self) -> K3CloudClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owns_http:
            self.http.close()

    @property
    def logged_in(self) -> bool:
        return self._logged_in

    def login(self) -> None:
        """Logs in (password: ValidateUser; appsecret: LoginByAppSecret); signed mode checks the identity by a probe.

        Raises:
            K3CloudAuthError: credentials refused (``field`` names the setting to fix).
            ConfigError: an app id that cannot be used to sign.
            TransportError: the server could not be reached.
        """
        with self._lock:
            self._login_locked()
            if self.mode == "signed":
                try:
                    self.query("ORG_Organizations", ["FNumber"], limit=1)
                except K3CloudAuthError:
                    self._logged_in = False
                    raise
                except K3CloudError:
                    pass  # a business answer means the signed identity was accepted

    def _login_locked(self) -> None:
        self._logged_in = False
        self._sid = None
        self.http.session.cookies.clear()
        p = self.profile
        if self.mode == "signed":
            auth.check_signed_config(p.k3_app_id or "", self._app_secret)
        else:
            service, body = auth.login_body(self.mode, acct_id=p.k3_acct_id, user=p.k3_user, password=self._password,
                                            app_id=p.k3_app_id or "", app_secret=self._app_secret, lcid=p.k3_lcid)
            res = self.http.post(_svc(service), body, codes=msg_code_of)
            obj = self._json(res, service)
            outcome = auth.parse_login(obj, res.cookies, mode=self.mode)
            self._set_sid(outcome.session_id)
        self._generation += 1
        self._logged_in = True

    def logout(self) -> None:
        """Ends the session (AuthService.Logout); errors are ignored, the local session is dropped either way."""
        with self._lock:
            if self._logged_in and self.mode != "signed":
                try:
                    self.http.post(_svc(auth.LOGOUT), {}, headers=self._headers(auth.LOGOUT), codes=msg_code_of)
                except TransportError:
                    pass
            self._logged_in = False
            self._sid = None
            self.http.session.cookies.clear()

    def data_centers(self) -> list[dict]:
        """GetDataCenterList (no authentication): ``[{"Id", "Name", "Number", ...}]``."""
        res = self.http.post(_svc(auth.DATA_CENTERS), {}, codes=msg_code_of)
        obj = maybe_json(self._json(res, auth.DATA_CENTERS))
        if isinstance(obj, dict):
            obj = maybe_json(get_ci(obj, "Result", get_ci(obj, "Data")))
        if not isinstance(obj, list):
            raise BadResponseError(Text("金蝶数据中心列表的格式不对。", "The K3Cloud data center list has the wrong shape."),
                                   Text("请检查金蝶地址是否正确（以 /K3Cloud/ 结尾）。",
                                        "Check the K3Cloud URL (it ends in /K3Cloud/)."),
                                   side="k3cloud", field="k3_url", raw=res.text[:2000])
        return [d for d in obj if isinstance(d, dict)]

    # -- transport ------------------------------------------------------------------------------------------------

    def _set_sid(self, sid: str | None) -> None:
        if not sid:
            return
        self._sid = sid
        self.http.redactor.add(sid)
        host = urlsplit(self.http.base_url).hostname or ""
        if self.http.session.cookies.get(auth.SESSION_COOKIE) != sid:
            self.http.session.cookies.set(auth.SESSION_COOKIE, sid, domain=host, path="/")

    def _headers(self, service: str) -> dict[str, str]:
        if self.mode != "signed":
            return {auth.SESSION_COOKIE: self._sid} if self._sid else {}
        p = self.profile
        return auth.signed_headers(urlsplit(self.http.url_for(_svc(service))).path, acct_id=p.k3_acct_id,
                                   user=p.k3_user, app_id=p.k3_app_id or "", app_secret=self._app_secret,
                                   lcid=p.k3_lcid, org_num=p.k3_org or 0, timestamp=int(time.time()), sid=self._sid)

    def _json(self, res: HttpResult, service: str) -> Any:
        """The body as JSON; a non-200 text answer becomes a typed error (wrong data center in signed mode)."""
        if res.status != 200 and not res.text.strip().startswith(("{", "[")):
            text = res.text.strip()
            if "thirty passport" in text.lower():
                raise K3CloudAuthError(
                    Text("金蝶不认识这个数据中心 ID（Fail to verify thirty passport）。",
                         "K3Cloud does not know this data center id (Fail to verify thirty passport)."),
                    Text("请核对配置里的数据中心 ID（账套 ID）。", "Check the data center id in the profile."),
                    field="k3_acct_id", code=res.status, raw=text[:2000], exchange=res.exchange)
            if text[:1] != "<" and text and not text.lower().startswith("response_error:"):
                raise BadResponseError(
                    Text(f"金蝶返回 HTTP {res.status}：{text[:300]}", f"K3Cloud answered HTTP {res.status}: {text[:300]}"),
                    Text("请检查金蝶地址；稍后重试，如果一直出现，请联系金蝶管理员。",
                         "Check the K3Cloud URL; try again later and ask the K3Cloud administrator if it persists."),
                    side="k3cloud", code=res.status, raw=text[:2000], exchange=res.exchange)
        return maybe_json(res.json())

    def _send(self, service: str, body: dict, *, write: bool, keys: list[str], action: Text, form_id: str) -> Any:
        try:
            res = self.http.post(_svc(service), body, write=write, headers=self._headers(service), codes=msg_code_of)
        except TransportError as exc:
            if write and exc.sent:
                raise self._unknown(action, form_id, keys, exc) from exc
            raise
        sid = res.cookies.get(auth.SESSION_COOKIE)
        if sid and sid != self._sid:
            self._set_sid(sid)
        try:
            return self._json(res, service)
        except BadResponseError as exc:
            if write:
                raise self._unknown(action, form_id, keys, exc) from exc
            raise

    def _unknown(self, action: Text, form_id: str, keys: list[str], cause: Exception) -> OutcomeUnknownError:
        shown = ", ".join(keys[:5]) + (" …" if len(keys) > 5 else "")
        return OutcomeUnknownError(
            Text(f"金蝶{action.zh} {form_id} 的结果不确定：请求已发出，但没有收到明确答复（{shown}）。",
                 f"The outcome of K3Cloud {action.en.lower()} {form_id} is unknown: the request was sent but no clear "
                 f"answer came back ({shown})."),
            Text("不要直接重发：先按单号在金蝶中查询是否已经保存，再决定下一步（同步会自动这样做）。",
                 "Do not just send it again: first look the number up in K3Cloud, then decide (the sync does this "
                 "by itself)."),
            idem_keys=keys, side="k3cloud", exchange=getattr(cause, "exchange", None), raw=getattr(cause, "raw", None),
        )

    def _ensure_login(self) -> int:
        with self._lock:
            if not self._logged_in:
                self._login_locked()
            return self._generation

    def _relogin(self, generation: int) -> None:
        with self._lock:
            if self._generation == generation:
                self._login_locked()

    def call(self, service: str, body: dict, *, write: bool = False, idem_keys: list[str] | None = None,
             action: Text = Text("调用", "Call"), form_id: str = "") -> Any:
        """Posts one form-service call with the session; MsgCode 1 logs in again and retries a read once.

        A write that meets MsgCode 1, a dropped connection or an unreadable answer raises ``OutcomeUnknownError``
        carrying ``idem_keys``; it is never sent twice here.
        """
        keys = list(idem_keys or [])
        generation = self._ensure_login()
        obj = self._send(service, body, write=write, keys=keys, action=action, form_id=form_id)
        status = status_of(obj)
        if status is None or not status.session_lost:
            return obj
        if self.mode == "signed":
            raise auth.signed_auth_error(raw=json.dumps(obj, ensure_ascii=False)[:2000], errors=status.errors)
        if write:
            try:
                self._relogin(generation)
            except Exception as exc:  # the write's fate is what the caller must learn first
                raise self._unknown(action, form_id, keys, exc) from exc
            raise self._unknown(action, form_id, keys, K3CloudError(Text("会话丢失", "session lost"), msg_code=1))
        self._relogin(generation)
        obj = self._send(service, body, write=False, keys=keys, action=action, form_id=form_id)
        status = status_of(obj)
        if status is not None and status.session_lost:
            raise status_error(status, action, form_id, auth=True, field_name="k3_user")
        return obj

    def _form_call(self, op: str, form_id: str, data: dict, *, write: bool, keys: list[str], action: Text,
                   top: dict | None = None) -> Any:
        body = {"formid": form_id, **(top or {}), "data": json.dumps(data, ensure_ascii=False)}
        return self.call(FORM + op, body, write=write, idem_keys=keys, action=action, form_id=form_id)

    # -- writes ---------------------------------------------------------------------------------------------------

    def save(self, form_id: str, model: dict, *, idem_key: str, need_update_fields: list[str] | None = None,
             need_return_fields: list[str] | None = None, is_delete_entry: bool = True,
             verify_base_data: bool = False) -> SaveResult:
        """Save (create, or update when the model carries its internal id); business errors come back in the result."""
        data = self._save_data(model, need_update_fields, need_return_fields, is_delete_entry, verify_base_data)
        obj = self._form_call("Save", form_id, data, write=True, keys=[idem_key], action=Text("保存", "Save"))
        result = self._save_result(obj, 1, form_id, "Save")
        row = result.rows[0]
        res_obj, _ = _result_obj(obj)
        if row.ok and row.id is None:
            row.id = _s(get_ci(res_obj, "Id"))
            row.number = row.number or _s(get_ci(res_obj, "Number"))
        return result

    def batch_save(self, form_id: str, models: list[dict], *, idem_keys: list[str],
                   need_update_fields: list[str] | None = None, need_return_fields: list[str] | None = None,
                   is_delete_entry: bool = True, verify_base_data: bool = False) -> SaveResult:
        """BatchSave; ``rows[i]`` is the outcome of ``models[i]`` (by DIndex)."""
        if len(idem_keys) != len(models):
            raise ValueError("one idempotency key per model")
        data = self._save_data(models, need_update_fields, need_return_fields, is_delete_entry, verify_base_data)
        obj = self._form_call("BatchSave", form_id, data, write=True, keys=list(idem_keys),
                              action=Text("批量保存", "Batch save"))
        return self._save_result(obj, len(models), form_id, "BatchSave")

    @staticmethod
    def _save_data(model: Any, update: list[str] | None, ret: list[str] | None, delete_entry: bool,
                   verify: bool) -> dict:
        # Model goes last: the server applies keys in order and the payload's own order must stay as mapped.
        return {"NeedUpDateFields": list(update or []), "NeedReturnFields": list(ret or []),
                "IsDeleteEntry": _bool(delete_entry), "IsVerifyBaseDataField": _bool(verify), "Model": model}

    def _save_result(self, obj: Any, count: int, form_id: str, op: str) -> SaveResult:
        status = self._status_or_raise(obj, form_id, op)
        rows = rows_from_status(status, count)
        res_obj, _ = _result_obj(obj)
        need = maybe_json(get_ci(res_obj, "NeedReturnData")) or []
        return SaveResult(all(r.ok for r in rows), rows, None if status.is_success else status.msg_code,
                          need if isinstance(need, list) else [need])

    def _status_or_raise(self, obj: Any, form_id: str, op: str) -> Status:
        status = status_of(obj)
        if status is None:
            raise BadResponseError(
                Text(f"金蝶 {op} {form_id} 的答复缺少 ResponseStatus。", f"K3Cloud {op} {form_id} answered without a ResponseStatus."),
                Text("请把日志导出给技术支持。", "Export the log for support."), side="k3cloud",
                raw=json.dumps(obj, ensure_ascii=False)[:2000])
        return status

    def _operation(self, op: str, form_id: str, numbers: list[str] | None, ids: list[Any] | None,
                   extra: dict | None = None) -> OpResult:
        if not numbers and not ids:
            raise ValueError("give numbers or ids")
        keys = [str(x) for x in (numbers or ids or [])]
        # Ids as a comma string: a list is silently cut to its first id by some servers.
        data = {"CreateOrgId": 0, "Numbers": list(numbers or []), "Ids": ",".join(str(i) for i in (ids or [])),
                "NetworkCtrl": "", **(extra or {})}
        obj = self._form_call(op, form_id, data, write=True, keys=keys, action=WRITE_OPS[op])
        status = self._status_or_raise(obj, form_id, op)
        rows = rows_from_status(status, len(keys))
        for r in rows:
            if r.ok and r.number is None and numbers:
                r.number = numbers[r.dindex]
        return OpResult(all(r.ok for r in rows), rows, None if status.is_success else status.msg_code)

    def submit(self, form_id: str, *, numbers: list[str] | None = None, ids: list[Any] | None = None) -> OpResult:
        return self._operation("Submit", form_id, numbers, ids)

    def audit(self, form_id: str, *, numbers: list[str] | None = None, ids: list[Any] | None = None) -> OpResult:
        return self._operation("Audit", form_id, numbers, ids)

    def unaudit(self, form_id: str, *, numbers: list[str] | None = None, ids: list[Any] | None = None) -> OpResult:
        return self._operation("UnAudit", form_id, numbers, ids)

    def delete(self, form_id: str, *, numbers: list[str] | None = None, ids: list[Any] | None = None) -> OpResult:
        return self._operation("Delete", form_id, numbers, ids)

    # -- reads ----------------------------------------------------------------------------------------------------

    def view(self, form_id: str, *, number: str | None = None, id: Any = None) -> dict | None:
        """One record (View), or None when it does not exist."""
        if not number and id in (None, ""):
            raise ValueError("give number or id")
        data = {"CreateOrgId": 0, "Number": number or "", "Id": "" if id is None else str(id), "IsSortBySeq": "false"}
        obj = self._form_call("View", form_id, data, write=False, keys=[], action=Text("查看", "View"))
        res_obj, _ = _result_obj(obj)
        status = status_of(obj)
        record = maybe_json(get_ci(res_obj, "Result")) if isinstance(res_obj, dict) else None
        if status is not None and not status.is_success:
            text = " ".join(e.message for e in status.errors)
            if status.msg_code in (None, 0, 10) and ("不存在" in text or "not exist" in text.lower()
                                                     or status.msg_code == 10):
                return None
            raise status_error(status, Text("查看", "View"), form_id)
        return record if isinstance(record, dict) and record else None

    def query(self, form_id: str, field_keys: list[str], *, filter: str = "", order: str = "", start: int = 0,
              limit: int = 2000) -> list[list]:
        """ExecuteBillQuery: rows as lists in ``field_keys`` order."""
        data = query_data(form_id, field_keys, filter=filter, order=order, start=start, limit=limit)
        obj = self.call(FORM + "ExecuteBillQuery", {"data": json.dumps(data, ensure_ascii=False)},
                        action=Text("查询", "Query"), form_id=form_id)
        self._raise_status(obj, form_id)
        return as_rows(obj, field_keys, form_id)

    def query_all(self, form_id: str, field_keys: list[str], *, filter: str = "", order: str = "",
                  page_size: int = 2000) -> Iterator[dict]:
        """Every matching row as a dict keyed by field key, paging by StartRow until a short page."""
        start = 0
        while True:
            rows = self.query(form_id, field_keys, filter=filter, order=order, start=start, limit=page_size)
            for row in rows:
                yield dict(zip(field_keys, row))
            if len(rows) < page_size:
                return
            start += len(rows)

    def bill_query(self, form_id: str, field_keys: list[str], *, filter: str = "", order: str = "", start: int = 0,
                   limit: int = 2000) -> list[dict]:
        """BillQuery: rows as dicts keyed by field key (the error arrives as a bare object)."""
        data = query_data(form_id, field_keys, filter=filter, order=order, start=start, limit=limit)
        obj = self.call(FORM + "BillQuery", {"data": json.dumps(data, ensure_ascii=False)},
                        action=Text("查询", "Query"), form_id=form_id)
        self._raise_status(obj, form_id)
        return as_dicts(obj, field_keys, form_id)

    def _raise_status(self, obj: Any, form_id: str) -> None:
        status = status_of(obj)
        if status is not None and not status.is_success:
            raise status_error(status, Text("查询", "Query"), form_id, raw=json.dumps(obj, ensure_ascii=False)[:2000])

    def existing_numbers(self, form_id: str, key_field: str, numbers: list[str], *, chunk: int = 200,
                         id_field: str | None = None, status_field: str = "FDocumentStatus") -> dict[str, dict]:
        """Which of ``numbers`` exist: number -> {"id", "number", "status"} (batched IN queries)."""
        wanted = list(dict.fromkeys(str(n) for n in numbers if n not in (None, "")))
        pk = id_field or primary_key(form_id)
        found: dict[str, dict] = {}
        for part in chunked(wanted, chunk):
            rows = self.query(form_id, [pk, key_field, status_field], filter=in_filter(key_field, part),
                              limit=max(len(part) * 4, 100))
            for rid, number, status in rows:
                key = str(number)
                if key not in found:
                    found[key] = {"id": _s(rid), "number": key, "status": status}
        return found

    def query_business_info(self, form_id: str) -> dict:
        """QueryBusinessInfo: the form's metadata (``NeedReturnData`` with ``Entrys[].Fields[]``)."""
        obj = self.call(FORM + "QueryBusinessInfo", {"data": json.dumps({"FormId": form_id}, ensure_ascii=False)},
                        action=Text("读取表单信息", "Read form info"), form_id=form_id)
        status = status_of(obj)
        if status is not None and not status.is_success:
            raise status_error(status, Text("读取表单信息", "Read form info"), form_id)
        res_obj, _ = _result_obj(obj)
        info = maybe_json(get_ci(res_obj, "NeedReturnData")) if isinstance(res_obj, dict) else None
        if isinstance(info, dict):
            return info
        return res_obj if isinstance(res_obj, dict) else {}


def _result_obj(obj: Any) -> tuple[dict, Any]:
    obj = maybe_json(obj)
    if isinstance(obj, dict):
        res = maybe_json(get_ci(obj, "Result"))
        if isinstance(res, dict):
            return res, obj
        return obj, obj
    return {}, obj


def _s(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


__all__ = ["K3CloudClient", "SaveResult", "OpResult", "RowResult"]
