"""The K3Cloud WebAPI client: logins, sessions, saves, workflow operations and queries, with typed results."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from core.errors import BadResponseError, Text
from core.k3cloud.query import MAX_QUERY_ROWS, PageGuard, as_dicts, as_rows, chunked, in_filter, primary_key, query_data
from core.k3cloud.results import (
    OpResult,
    RowResult,
    SaveResult,
    Status,
    get_ci,
    maybe_json,
    rows_from_status,
    status_error,
    status_of,
)
from core.k3cloud.session import K3Session

FORM = "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService."
WRITE_OPS = {"Submit": Text("提交", "Submit"), "Audit": Text("审核", "Audit"), "UnAudit": Text("反审核", "Unaudit"),
             "Delete": Text("删除", "Delete"), "CancelAssign": Text("撤销", "Cancel submission")}


def _bool(value: bool) -> str:
    return "true" if value else "false"


class K3CloudClient(K3Session):
    """One K3Cloud account: saves, workflow operations and queries with typed results.

    Args:
        profile: the ``core.profiles.Profile`` (URL, data center, user, lcid, login mode, org, TLS, timeouts).
        secrets: the ``core.profiles.ProfileSecrets`` (password or app secret).
        sinks: receivers of every (redacted) exchange record.
        http: an existing ``HttpClient`` to use instead of a new one (its sinks and redactor are kept).
    """

    def __enter__(self) -> K3CloudClient:
        return self

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
        if row.unconfirmed and _s(get_ci(res_obj, "Id")) not in (None, "0"):
            # Save names its record in Result.Id/Number too (reference §4): that confirms it.
            row.ok, row.unconfirmed, row.errors = True, False, []
            result.ok = all(r.ok for r in result.rows)
        if row.ok and row.id is None:
            row.id = _s(get_ci(res_obj, "Id"))
            row.number = row.number or _s(get_ci(res_obj, "Number"))
        return result

    def batch_save(self, form_id: str, models: list[dict], *, idem_keys: list[str],
                   need_update_fields: list[str] | None = None, need_return_fields: list[str] | None = None,
                   is_delete_entry: bool = True, verify_base_data: bool = False,
                   options: dict[str, Any] | None = None) -> SaveResult:
        """BatchSave; ``rows[i]`` is the outcome of ``models[i]`` (by DIndex). ``options``: the mapping's data-package
        keys (``IsVerifyBaseDataField``, ``IsDeleteEntry`` ...), sent exactly as the preview shows them."""
        if len(idem_keys) != len(models):
            raise ValueError("one idempotency key per model")
        data = self._save_data(models, need_update_fields, need_return_fields, is_delete_entry, verify_base_data,
                               options)
        obj = self._form_call("BatchSave", form_id, data, write=True, keys=list(idem_keys),
                              action=Text("批量保存", "Batch save"))
        return self._save_result(obj, len(models), form_id, "BatchSave")

    @staticmethod
    def _save_data(model: Any, update: list[str] | None, ret: list[str] | None, delete_entry: bool,
                   verify: bool, options: dict[str, Any] | None = None) -> dict:
        data: dict[str, Any] = {"NeedUpDateFields": list(update or []), "NeedReturnFields": list(ret or []),
                                "IsDeleteEntry": _bool(delete_entry), "IsVerifyBaseDataField": _bool(verify)}
        for key, value in (options or {}).items():
            if key != "Model":
                data[key] = _bool(value) if isinstance(value, bool) else value
        # Model goes last: the server applies keys in order and the payload's own order must stay as mapped.
        data["Model"] = model
        return data

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
                Text(f"金蝶 {op} {form_id} 的答复缺少 ResponseStatus。",
                     f"K3Cloud {op} {form_id} answered without a ResponseStatus."),
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

    def cancel_assign(self, form_id: str, *, numbers: list[str] | None = None,
                      ids: list[Any] | None = None) -> OpResult:
        """CancelAssign (撤销): a submitted (B) document back to created (A), so it can be saved again (§6.2)."""
        return self._operation("CancelAssign", form_id, numbers, ids)

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
        obj = self._query_call("ExecuteBillQuery", form_id, field_keys, filter, order, start, limit)
        return as_rows(obj, field_keys, form_id)

    def query_all(self, form_id: str, field_keys: list[str], *, filter: str = "", order: str = "",
                  page_size: int = 2000, max_rows: int = MAX_QUERY_ROWS) -> Iterator[dict]:
        """Every matching row as a dict keyed by field key, paging by StartRow until a short page.

        A page seen before (StartRow ignored) or more than ``max_rows`` rows end it with a ``PagingError``: K3Cloud
        gives no total, so the cap is what stops a server sending fresh pages without end.
        """
        start = 0
        guard = PageGuard(form_id, max_rows)
        while True:
            rows = self.query(form_id, field_keys, filter=filter, order=order, start=start, limit=page_size)
            guard.check(rows, start)
            for row in rows:
                yield dict(zip(field_keys, row, strict=True))  # guard.check verified each row's width
            if len(rows) < page_size:
                return
            start += len(rows)

    def bill_query(self, form_id: str, field_keys: list[str], *, filter: str = "", order: str = "", start: int = 0,
                   limit: int = 2000) -> list[dict]:
        """BillQuery: rows as dicts keyed by field key (the error arrives as a bare object)."""
        obj = self._query_call("BillQuery", form_id, field_keys, filter, order, start, limit)
        return as_dicts(obj, field_keys, form_id)

    def _query_call(self, op: str, form_id: str, field_keys: list[str], filter: str, order: str, start: int,
                    limit: int) -> Any:
        """One ExecuteBillQuery/BillQuery page; an error in any of its shapes is raised, explained."""
        data = query_data(form_id, field_keys, filter=filter, order=order, start=start, limit=limit)
        obj = self.call(FORM + op, {"data": json.dumps(data, ensure_ascii=False)}, action=Text("查询", "Query"),
                        form_id=form_id)
        status = status_of(obj)
        if status is not None and not status.is_success:
            raise status_error(status, Text("查询", "Query"), form_id, raw=json.dumps(obj, ensure_ascii=False)[:2000])
        return obj

    def existing_numbers(self, form_id: str, key_field: str, numbers: list[str], *, chunk: int = 200,
                         id_field: str | None = None, status_field: str = "FDocumentStatus") -> dict[str, dict]:
        """Which of ``numbers`` exist: number -> {"id", "number", "status"} (batched IN queries)."""
        wanted = list(dict.fromkeys(str(n) for n in numbers if n not in (None, "")))
        pk = id_field or primary_key(form_id)
        found: dict[str, dict] = {}
        for part in chunked(wanted, chunk):
            rows = self.query(form_id, [pk, key_field, status_field], filter=in_filter(key_field, part),
                              limit=max(len(part) * 4, 100))
            asked = set(part)
            for rid, number, status in rows:
                key = str(number)
                if key in asked and key not in found:  # a row for a number not asked for answers nothing
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


__all__ = ["K3CloudClient", "K3Session", "SaveResult", "OpResult", "RowResult"]
