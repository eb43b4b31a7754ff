"""The records of the simulated Fxiaoke tenant and the CRUD rules of ``cgi/crm/v2/data/*``.

A record's life (reference §3.1, §3.7, §4.2; open question 13 answered here as a sandbox choice):

* create: ``version`` "1", ``create_time`` = ``last_modified_time`` = now (ms); SalesOrderObj and PaymentObj start
  ``under_review`` unless ``triggerApprovalFlow`` is false (the flag defaults to true [c3: P3, G3, G10]; that the
  demo tenant has approval flows on both objects is a sandbox choice).
* update / invalid / recover: ``version`` + 1 and ``last_modified_time`` moves (never backwards, +1 ms at least).
* a detail row (SalesOrderProductObj) created, updated, invalidated, recovered or deleted moves its order's
  ``last_modified_time`` and ``version`` too: editing lines is an edit of the order on a real tenant's form
  [sandbox choice]; a line's quantity or price change also recomputes its ``subtotal`` and the order's
  ``order_amount`` (formula fields on a real tenant) [sandbox choice].
* invalid (作废): the row stays, ``life_status`` "invalid"; queries still return it unless they filter
  ``life_status`` (a client polling ``last_modified_time`` sees the void: G8 had to filter ``life_status`` to leave
  voided rows out [s: G8]) [sandbox choice for open question 13]. Invalidating an order invalidates its lines.
* recover: only invalidated rows; they get back the ``life_status`` they had before, their lines too.
* delete: only invalidated rows ("删除之前请先作废数据" [c3: G2, G3, G10]); the rows are gone: queries leave them
  out and get answers "not found" (code 301, as G8 reads it [s: G8]); a client cannot see a hard delete except by
  missing it [sandbox choice for open question 13]. Deleting an order deletes its lines.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from core.sandbox.fxiaoke_query import QueryError, run_query
from core.sandbox.fxiaoke_schema import DETAILS, FIELD_SETS, OPTION_VALUES, READ_ONLY, display_name, fields_of

_LOOKUPS = {"account_id": "AccountObj", "product_id": "ProductObj", "order_id": "SalesOrderObj"}
#: Objects whose name is an auto number "YYYYMMDD-NNNNNN" (W2's PaymentObj "20200817-000023" [s: W2]).
_DATED_NAMES = ("SalesOrderObj", "PaymentObj")
#: Objects the demo tenant runs an approval flow on when a record is created through the API [sandbox choice].
_APPROVAL = ("SalesOrderObj", "PaymentObj")
_CENT = Decimal("0.01")
_NUMERIC = frozenset({"number", "currency", "percentile"})
_SHANGHAI = timezone(timedelta(hours=8))


class FxError(Exception):
    """A business error the gateway answers with HTTP 200 and ``errorCode != 0``."""

    def __init__(self, code: int, message: str, description: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.description = code, message, description or message


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        return None


def line_subtotal(line: dict[str, Any]) -> str | None:
    """quantity × sales_price to the cent, as the tenant's formula field computes ``subtotal``."""
    qty, price = _decimal(line.get("quantity")), _decimal(line.get("sales_price"))
    if qty is None or price is None:
        return None
    return str((qty * price).quantize(_CENT))


def _param(msg: str) -> FxError:
    return FxError(32000, f"参数错误: {msg}")


def _not_found(api: str, data_id: Any) -> FxError:
    return FxError(301, f"数据不存在或已被删除 / {api} {data_id} does not exist", "数据不存在或已被删除")


class CrmStore:
    """api name -> {_id -> record}; every method raises ``FxError`` for what the real tenant would refuse."""

    def __init__(self, objects: dict[str, list[dict[str, Any]]], now_ms: Callable[[], int]) -> None:
        self.objects: dict[str, dict[str, dict[str, Any]]] = {api: {} for api in FIELD_SETS}
        for api, rows in objects.items():
            self.objects.setdefault(api, {}).update({r["_id"]: dict(r) for r in rows})
        self.now_ms = now_ms
        #: _id of an invalidated row -> {"life_status": what it was, "with": the master _id it was voided with}
        self.voided: dict[str, dict[str, Any]] = {}

    # --- reads --------------------------------------------------------------------------------------------------

    def api_name(self, api: Any, custom: bool) -> str:
        if not isinstance(api, str) or not api:
            raise _param("dataObjectApiName 不能为空 / dataObjectApiName is required")
        if api.endswith("__c") != custom:
            route = "cgi/crm/custom/v2" if api.endswith("__c") else "cgi/crm/v2"
            raise _param(f"对象 {api} 须使用 {route} 接口 / object {api} belongs on the {route} routes")
        if api not in self.objects:
            raise _param(f"对象 {api} 不存在 / object {api} does not exist")
        return api

    def _visible(self, api: str, user: str, admin: bool) -> list[dict[str, Any]]:
        rows = (r for r in self.objects[api].values() if not r.get("is_deleted"))
        return list(rows) if admin else [r for r in rows if user in (r.get("owner") or [])]

    def query(self, api: str, sqi: Any, user: str, admin: bool) -> tuple[list[dict[str, Any]], int, int, int]:
        try:
            return run_query(api, self._visible(api, user, admin), sqi)
        except QueryError as exc:
            raise FxError(exc.code, str(exc)) from None

    def _row(self, api: str, data_id: Any, user: str, admin: bool) -> dict[str, Any]:
        if not isinstance(data_id, str) or not data_id:
            raise _param("数据ID不能为空 / the record id is required")
        row = self.objects[api].get(data_id)
        if row is None or row.get("is_deleted"):
            raise _not_found(api, data_id)
        if not admin and user not in (row.get("owner") or []):
            raise FxError(32000, "无此操作的数据权限 / the operator may not see this record")
        return row

    def get(self, api: str, data_id: Any, user: str, admin: bool) -> dict[str, Any]:
        return self._row(api, data_id, user, admin)

    def all(self, api: str) -> list[dict[str, Any]]:
        return list(self.objects[api].values())

    def object_list(self) -> list[dict[str, Any]]:
        return [{"describeApiName": api, "describeDisplayName": display_name(api), "defineType": "package",
                 "isActive": True} for api in FIELD_SETS]

    def describe(self, api: str) -> dict[str, Any]:
        return {"api_name": api, "display_name": display_name(api), "define_type": "package", "is_active": True,
                "fields": fields_of(api)}

    # --- writes -------------------------------------------------------------------------------------------------

    def clean(self, api: str, values: dict[str, Any], *, creating: bool) -> dict[str, Any]:
        """Check names, select options, numbers and lookups; returns the values to store."""
        schema = fields_of(api)
        out: dict[str, Any] = {}
        for name, value in values.items():
            if name == "dataObjectApiName" or name.endswith("__r") or (creating and name in READ_ONLY):
                continue
            if name not in schema:
                raise _param(f"字段 {name} 不存在 / field {name} does not exist on {api}")
            if name in READ_ONLY:
                continue  # PATCH keeps system fields as they are
            ftype = schema[name]["type"]
            if value is None:
                out[name] = None
                continue
            if (api, name) in OPTION_VALUES and value not in OPTION_VALUES[api, name]:
                raise _param(f"{name} 的选项值 {value!r} 无效 / {value!r} is not an option of {name}")
            if ftype in _NUMERIC:
                if _decimal(value) is None:
                    raise _param(f"{name} 必须是数字 / {name} must be a number")
                value = str(value)  # Fxiaoke keeps numbers and amounts as strings
            elif ftype in ("date", "date_time") and (isinstance(value, bool) or not isinstance(value, int)):
                raise _param(f"{name} 必须是毫秒时间戳 / {name} must be epoch milliseconds")
            elif ftype == "employee" and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise _param(f"{name} 必须是员工ID数组 / {name} must be a list of openUserIds")
            elif name in _LOOKUPS:
                target = self.objects[_LOOKUPS[name]].get(value) if isinstance(value, str) else None
                if target is None or target.get("is_deleted"):
                    raise _param(f"{name} 引用的数据 {value!r} 不存在 / {name} points at no {_LOOKUPS[name]}")
                out[name + "__r"] = target.get("name")
            out[name] = value
        return out

    def _system(self, api: str, user: str, owner: list[str]) -> dict[str, Any]:
        now = self.now_ms()
        return {"_id": secrets.token_hex(12), "owner": owner, "created_by": [user], "create_time": now,
                "last_modified_by": [user], "last_modified_time": now, "life_status": "normal", "lock_status": "0",
                "record_type": "default__c", "is_deleted": False, "version": "1", "object_describe_api_name": api}

    def new(self, api: str, values: dict[str, Any], user: str) -> dict[str, Any]:
        """A new record of ``api`` from cleaned ``values`` (not stored yet); required fields are checked."""
        row = self._system(api, user, values.pop("owner", None) or [user])
        row.update(values)
        if not row.get("name") and api in (*_DATED_NAMES, "SalesOrderProductObj"):
            row["name"] = self._auto_name(api)  # auto-numbered on the tenant
        if api in DETAILS and row.get("subtotal") is None:  # a formula field on a real tenant [sandbox choice]
            row["subtotal"] = line_subtotal(row)
        if api == "AccountObj" and not row.get("account_no"):
            row["account_no"] = f"CUST-{len(self.objects[api]) + 1:04d}"
        missing = [f["api_name"] for f in fields_of(api).values()
                   if f["is_required"] and row.get(f["api_name"]) in (None, "", [])]
        if missing:
            raise _param(f"必填字段未填写 / required fields missing: {', '.join(missing)}")
        return row

    def _auto_name(self, api: str) -> str:
        if api in _DATED_NAMES:
            day = datetime.fromtimestamp(self.now_ms() / 1000, _SHANGHAI)
            return f"{day:%Y%m%d}-{len(self.objects[api]) + 1:06d}"
        return f"{display_name(api)}-{len(self.objects[api]) + 1}"

    def create(self, data: dict[str, Any], user: str, *, custom: bool, triggerApprovalFlow: Any = True) -> str:
        obj = data.get("object_data")
        if not isinstance(obj, dict):
            raise _param("object_data 不能为空且必须是对象 / object_data is required")
        api = self.api_name(obj.get("dataObjectApiName"), custom)
        master = self.new(api, self.clean(api, obj, creating=True), user)
        if api in _APPROVAL and triggerApprovalFlow is not False:
            master["life_status"] = "under_review"  # the tenant's approval flow starts unless told not to
        details = data.get("details") or {}
        if not isinstance(details, dict):
            raise _param("details 必须是以从对象apiName为键的对象 / details must map detail api names to lists")
        rows: list[tuple[str, dict[str, Any]]] = []
        for detail_api, lines in details.items():
            if DETAILS.get(detail_api, (None,))[0] != api or not isinstance(lines, list):
                raise _param(f"{detail_api} 不是 {api} 的从对象 / {detail_api} is not a detail of {api}")
            link = DETAILS[detail_api][1]
            for line in lines:
                if not isinstance(line, dict):
                    raise _param("从对象数据必须是对象 / detail rows must be objects")
                values = self.clean(detail_api, {k: v for k, v in line.items() if k != link}, creating=True)
                values.setdefault("owner", master["owner"])
                row = self.new(detail_api, {**values, link: master["_id"], link + "__r": master["name"]}, user)
                rows.append((detail_api, row))
        parent = self.master_of(api, master)
        if parent is not None and parent.get("life_status") == "invalid":
            raise FxError(32000, "主对象已作废，不能新建明细 / the master record is invalidated")
        self.objects[api][master["_id"]] = master
        for detail_api, row in rows:
            self.objects[detail_api][row["_id"]] = row
        if rows and api == "SalesOrderObj" and master.get("order_amount") is None:
            self.recompute(master)
        if parent is not None:  # a line added on its own: the order was edited
            self.recompute(parent)
            self.touch(parent, user)
        return master["_id"]

    def update(self, data: dict[str, Any], user: str, *, admin: bool, custom: bool) -> None:
        obj = data.get("object_data")
        if not isinstance(obj, dict):
            raise _param("object_data 不能为空且必须是对象 / object_data is required")
        api = self.api_name(obj.get("dataObjectApiName"), custom)
        row = self._row(api, obj.get("_id"), user, admin)
        if "owner" in obj:
            raise _param("负责人不能通过编辑接口修改，请使用更换负责人接口 / change the owner with changeOwner")
        self.edit(api, row, self.clean(api, obj, creating=False), user)

    def edit(self, api: str, row: dict[str, Any], values: dict[str, Any], user: str) -> None:
        """Apply cleaned ``values`` to ``row`` as one edit: its master (if a detail) and lookups follow."""
        if row.get("life_status") == "invalid":
            raise FxError(32000, "数据已作废，不能编辑 / the record is invalidated and cannot be edited")
        if row.get("lock_status") == "1":
            raise FxError(32000, "数据已锁定，不能编辑 / the record is locked")
        renamed = "name" in values and values["name"] != row.get("name")
        priced = api in DETAILS and "subtotal" not in values and ({"quantity", "sales_price"} & set(values))
        row.update(values)
        if priced:
            row["subtotal"] = line_subtotal(row)
        self.touch(row, user)
        if renamed:
            self.refresh_names(api, row)
        parent = self.master_of(api, row)
        if parent is not None:
            self.recompute(parent)
            self.touch(parent, user)

    def invalid(self, api: str, data_id: Any, user: str, admin: bool) -> None:
        row = self._row(api, data_id, user, admin)
        if row.get("life_status") == "invalid":
            return  # already voided: nothing changes (idempotent, so a client may retry an unanswered call)
        self._void(api, row, user, None)
        for detail_api, line in self.details_of(api, row["_id"]):
            if line.get("life_status") != "invalid":
                self._void(detail_api, line, user, row["_id"])
        parent = self.master_of(api, row)
        if parent is not None:
            self.recompute(parent)
            self.touch(parent, user)

    def _void(self, api: str, row: dict[str, Any], user: str, master_id: str | None) -> None:
        self.voided[row["_id"]] = {"life_status": row.get("life_status") or "normal", "with": master_id}
        row["life_status"] = "invalid"
        self.touch(row, user)

    def _id_list(self, api: str, ids: Any, user: str, admin: bool) -> list[dict[str, Any]]:
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
            raise _param("idList 必须是非空的数据ID数组 / idList must be a non-empty list of record ids")
        rows = [self._row(api, i, user, admin) for i in dict.fromkeys(ids)]
        return rows

    def delete(self, api: str, ids: Any, user: str, admin: bool) -> None:
        """Remove invalidated rows for good (all or none); their detail rows go with them."""
        rows = self._id_list(api, ids, user, admin)
        live = [r["_id"] for r in rows if r.get("life_status") != "invalid"]
        if live:
            raise FxError(32000, f"删除之前请先作废数据 / invalidate before deleting: {', '.join(live)}")
        for row in rows:
            for detail_api, line in self.details_of(api, row["_id"]):
                self._drop(detail_api, line["_id"])
            self._drop(api, row["_id"])
            parent = self.master_of(api, row)
            if parent is not None:
                self.recompute(parent)
                self.touch(parent, user)

    def _drop(self, api: str, data_id: str) -> None:
        self.objects[api].pop(data_id, None)
        self.voided.pop(data_id, None)

    def recover(self, api: str, ids: Any, user: str, admin: bool) -> None:
        """Bring invalidated rows back (all or none) with the life status they had, and their lines voided with them."""
        rows = self._id_list(api, ids, user, admin)
        live = [r["_id"] for r in rows if r.get("life_status") != "invalid"]
        if live:
            raise FxError(32000, f"数据未作废，无需恢复 / not invalidated: {', '.join(live)}")
        for row in rows:
            parent = self.master_of(api, row)
            if parent is not None and parent.get("life_status") == "invalid":
                raise FxError(32000, "主对象已作废，请先恢复主对象 / recover the master record first")
        for row in rows:
            self._unvoid(row, user)
            for _detail_api, line in self.details_of(api, row["_id"]):
                if self.voided.get(line["_id"], {}).get("with") == row["_id"]:
                    self._unvoid(line, user)
            parent = self.master_of(api, row)
            if parent is not None:
                self.recompute(parent)
                self.touch(parent, user)

    def _unvoid(self, row: dict[str, Any], user: str) -> None:
        row["life_status"] = self.voided.pop(row["_id"], {}).get("life_status", "normal")
        self.touch(row, user)

    # --- helpers shared with the salesperson's desk (fxiaoke_desk) ------------------------------------------------

    def touch(self, row: dict[str, Any], user: str) -> None:
        """One more version of ``row``, modified now by ``user``."""
        row["last_modified_time"] = max(self.now_ms(), int(row.get("last_modified_time") or 0) + 1)
        row["last_modified_by"] = [user]
        row["version"] = str(int(row.get("version") or 0) + 1)

    def details_of(self, api: str, master_id: str) -> list[tuple[str, dict[str, Any]]]:
        """(detail api, row) of every detail row of one master record."""
        return [(d, r) for d, (m, link) in DETAILS.items() if m == api
                for r in self.objects[d].values() if r.get(link) == master_id]

    def master_of(self, api: str, row: dict[str, Any]) -> dict[str, Any] | None:
        """The master record of a detail row (None for a master, or when it is gone)."""
        if api not in DETAILS:
            return None
        master_api, link = DETAILS[api]
        return self.objects[master_api].get(row.get(link) or "")

    def recompute(self, order: dict[str, Any]) -> None:
        """``order_amount`` = the sum of the live lines' subtotals (a formula field on a real tenant)."""
        lines = [r for _a, r in self.details_of("SalesOrderObj", order["_id"]) if r.get("life_status") != "invalid"]
        total = sum((_decimal(r.get("subtotal")) or Decimal(0) for r in lines), Decimal(0))
        order["order_amount"] = str(total.quantize(_CENT))

    def refresh_names(self, api: str, row: dict[str, Any]) -> None:
        """``<lookup>__r`` of the rows that point at ``row``: a real tenant derives them when it answers."""
        for field, target in _LOOKUPS.items():
            if target != api:
                continue
            for rows in self.objects.values():
                for other in rows.values():
                    if other.get(field) == row["_id"]:
                        other[field + "__r"] = row.get("name")

    def add_records(self, api: str, records: list[dict[str, Any]], user: str) -> list[str]:
        """Admin bulk insert: system fields are filled in, nothing else is checked (fast test set-up)."""
        if api not in self.objects:
            raise KeyError(api)
        ids = []
        for rec in records:
            row = self._system(api, user, [user])
            row.update(rec)
            row.setdefault("name", f"{display_name(api)}-{len(self.objects[api]) + 1}")
            self.objects[api][row["_id"]] = row
            ids.append(row["_id"])
        return ids

