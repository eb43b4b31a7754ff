"""Less common DynamicFormService calls: the SDK's asynchronous mode, ExcuteOperation Forbid/Enable, Allocate.

- Asynchronous "QUERY" mode (§2.6, the official SDK's ``BatchSaveQuery``): see ``AsyncTasks``.
- ``ExcuteOperation`` / ``ExecuteOperation`` (§6.5; both spellings answered, §10.5 is open) with ``opNumber``
  Forbid or Enable on base data, by ``Numbers`` or ``Ids``; results in internal-id order as for the other
  operations. Other op numbers answer MsgCode 4 「沙箱未实现操作」.
- ``Allocate`` / ``CancelAllocate`` (§6.4): ``{"PkIds":"<ids, comma string>","TOrgIds":"<org ids or numbers>",
  "IsAutoSubmitAndAudit":"false"}``; an allocated row is audited only when IsAutoSubmitAndAudit is true
  (k3cloud_basedata).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from core.sandbox import k3cloud_basedata as basedata
from core.sandbox.base import Response
from core.sandbox.k3cloud_forms import ORG, FormDef
from core.sandbox.k3cloud_ops import resolve_targets, target_refs
from core.sandbox.k3cloud_store import RowError, Store, as_bool
from core.sandbox.k3cloud_wire import Args, BadCall, status, wrap


@dataclass
class _Task:
    result: object
    polls_left: int


class AsyncTasks:
    """Tasks begun with ``"beginmethod":"BeginQueryImpl"``.

    The call runs at once; its answer is ``{"Status":1,"TaskId":…,"Result":null}`` (Running) for the first
    ``polls`` answers, then ``{"Status":2,"TaskId":…,"Result":<the call's synchronous answer>}`` (Complete) from
    ``QueryAsyncResult`` with ``{"queryInfo":"{\\"TaskId\\":…,\\"Cancelled\\":false}"}`` (§2.6: 0 Pending,
    1 Running, 2 Complete) [sandbox choice: Result is the whole synchronous body, which is what the SDK hands its
    caller for the synchronous call]. An unknown or cancelled task completes with a MsgCode 10 envelope.
    """

    def __init__(self) -> None:
        self._tasks: dict[str, _Task] = {}

    def begin(self, resp: Response, polls: int) -> Response:
        task_id = uuid.uuid4().hex
        task = _Task(json.loads(resp.body.decode("utf-8")), max(0, int(polls)))
        self._tasks[task_id] = task
        return self._answer(task_id, task)

    def poll(self, args: Args) -> Response:
        info = args.get("queryinfo", 0)
        if isinstance(info, str):
            try:
                info = json.loads(info)
            except ValueError as exc:
                raise BadCall(8, f"参数 queryInfo 不是有效的 JSON：{exc}", "queryInfo") from exc
        if not isinstance(info, dict):
            raise BadCall(8, "参数 queryInfo 的值不能为空", "queryInfo")
        task_id = str(next((v for k, v in info.items() if k.lower() == "taskid"), ""))
        task = self._tasks.get(task_id)
        if task is None or as_bool(next((v for k, v in info.items() if k.lower() == "cancelled"), False), False):
            self._tasks.pop(task_id, None)
            gone = status([RowError(None, f"任务“{task_id}”不存在或已取消", 0, 10)], [])
            return Response.json({"Status": 2, "TaskId": task_id, "Result": {"Result": {"ResponseStatus": gone}}})
        return self._answer(task_id, task)

    def _answer(self, task_id: str, task: _Task) -> Response:
        if task.polls_left > 0:
            task.polls_left -= 1
            return Response.json({"Status": 1, "TaskId": task_id, "Result": None})
        self._tasks.pop(task_id, None)
        return Response.json({"Status": 2, "TaskId": task_id, "Result": task.result})

    def clear(self) -> None:
        self._tasks.clear()


def execute_operation(store: Store, form: FormDef, op_number: str, data: dict) -> Response:
    """ExcuteOperation Forbid/Enable of base data."""
    if op_number.lower() not in ("forbid", "enable") or form.is_bill:
        raise BadCall(4, f"沙箱未实现操作 {op_number}（{form.form_id}）")
    refs = target_refs(data)
    if not refs:
        raise BadCall(8, "data 数据包中的参数 Numbers 和 Ids 不能同时为空", "Numbers")
    ok = []
    for dindex, rec in enumerate(resolve_targets(store, form, refs)):
        basedata.set_state(store, form.form_id, rec[form.number_key], basedata.use_org(rec),
                           forbid="B" if op_number.lower() == "forbid" else "A")
        ok.append({"Id": rec["_id"], "Number": rec[form.number_key], "DIndex": dindex})
    return wrap("excuteoperation", {"ResponseStatus": status([], ok)})


def allocate(store: Store, op: str, form: FormDef, data: dict) -> Response:
    """Allocate / CancelAllocate each ``PkIds`` record to each of ``TOrgIds``."""
    keys = {k.lower(): v for k, v in data.items()}
    pks = [p.strip() for p in str(keys.get("pkids") or "").split(",") if p.strip()]
    orgs = [p.strip() for p in str(keys.get("torgids") or "").split(",") if p.strip()]
    if not pks or not orgs:
        raise BadCall(8, "data 数据包中的参数 PkIds 和 TOrgIds 不能为空", "PkIds")
    ok, errors = [], []
    for dindex, pk in enumerate(pks):
        rec = store.by_id(form.form_id, pk)
        try:
            if rec is None:
                raise ValueError(f"内码为{pk}的{form.name}不存在")
            for org in orgs:
                org_rec = store.by_id(ORG, org) or store.by_number(ORG, org)
                org_no = str(org_rec["FNumber"]) if org_rec else org
                if op == "allocate":
                    basedata.allocate(store, form.form_id, rec[form.number_key], org_no,
                                      audited=as_bool(keys.get("isautosubmitandaudit"), False))
                else:
                    basedata.unallocate(store, form.form_id, rec[form.number_key], org_no)
            ok.append({"Id": rec["_id"], "Number": rec[form.number_key], "DIndex": dindex})
        except ValueError as exc:
            errors.append(RowError(None, str(exc), dindex, 11))
    return wrap(op, {"ResponseStatus": status(errors, ok)})
