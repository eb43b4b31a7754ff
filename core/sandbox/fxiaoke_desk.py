"""The simulated tenant's people at work: a salesperson editing orders and customers, an approver, a cashier.

Each action changes records the way the Fxiaoke web form would, so ``last_modified_time`` and ``version`` move exactly
as for an API edit (see ``fxiaoke_crm``); they are the sandbox's admin actions (``POST /__sandbox__/admin/<action>``,
or ``FxiaokeApp.desk`` from Python). Records are named by ``_id`` or by their business number: an order's or a
payment's ``name``, a customer's ``account_no`` (or its name). Bad input raises ``ValueError``; a record that does not
exist raises ``KeyError``; nothing is changed unless the whole action is valid.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from core.sandbox.fxiaoke_crm import CrmStore, FxError, line_subtotal
from core.sandbox.fxiaoke_schema import READ_ONLY

ORDER, LINE, ACCOUNT = "SalesOrderObj", "SalesOrderProductObj", "AccountObj"
PAYMENT, PRODUCT = "PaymentObj", "ProductObj"
LIFE_STATUSES = ("ineffective", "under_review", "normal", "invalid")
_LINE_FIELDS = frozenset({"quantity", "sales_price", "product_price", "discount", "unit"})


class SalesDesk:
    """Admin actions that play the tenant's users; every method takes the app's lock and returns the new records."""

    def __init__(self, crm: CrmStore, lock: threading.RLock, approver: Callable[[], str]) -> None:
        self.crm, self.lock, self.approver = crm, lock, approver

    # --- look-ups -------------------------------------------------------------------------------------------------

    def find(self, api: str, key: Any) -> dict[str, Any]:
        """A live (not deleted) record of ``api`` by ``_id``, ``name`` or, for customers, ``account_no``."""
        if not isinstance(key, str) or not key:
            raise ValueError(f"{api}: name the record by its _id or number")
        rows = self.crm.objects[api]
        if key in rows:
            return rows[key]
        for row in rows.values():
            if row.get("name") == key or (api == ACCOUNT and row.get("account_no") == key):
                return row
        raise KeyError(f"{api} {key}")

    @staticmethod
    def _editor(row: dict[str, Any]) -> str:
        return (row.get("owner") or [""])[0]  # the salesperson who owns the record edits it

    def _values(self, api: str, fields: Any) -> dict[str, Any]:
        if fields is None:
            return {}
        if not isinstance(fields, dict):
            raise TypeError(f"{api}: fields must be an object")
        fixed = sorted(set(fields) & (READ_ONLY | {"owner"}))
        if fixed:
            raise ValueError(f"{api}: {fixed} cannot be edited here (use approve_order, void_order, "
                             "set_payment_state)")
        try:
            return self.crm.clean(api, fields, creating=False)
        except FxError as exc:
            raise ValueError(exc.message) from None

    @staticmethod
    def _copy(row: dict[str, Any]) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, list) else v) for k, v in row.items()}

    # --- orders -----------------------------------------------------------------------------------------------------

    def edit_order(self, order: str, *, fields: dict[str, Any] | None = None,
                   lines: list[dict[str, Any]] | None = None, add_lines: list[dict[str, Any]] | None = None,
                   remove_lines: list[str] | None = None) -> dict[str, Any]:
        """One save of the order form: head ``fields``, ``lines`` [{"_id", "quantity", "sales_price", ...}] changed,
        ``add_lines`` [{"product_id" or "product_code", "quantity"[, "sales_price"]}], ``remove_lines`` [_id].

        The order's version moves once; each changed or new line gets its own version; removed lines are gone
        (a line deleted on the form is deleted, not voided [sandbox choice]); ``order_amount`` is recomputed.
        """
        with self.lock:
            row = self.find(ORDER, order)
            if row.get("life_status") == "invalid":
                raise ValueError(f"order {row['name']} is voided (作废) and cannot be edited")
            user = self._editor(row)
            head = self._values(ORDER, fields)
            mine = {ln["_id"]: ln for _a, ln in self.crm.details_of(ORDER, row["_id"])}
            changes = []
            for change in lines or []:
                line_id = change.get("_id") if isinstance(change, dict) else None
                if line_id not in mine:
                    raise KeyError(f"{LINE} {line_id} of order {row['name']}")
                extra = sorted(set(change) - _LINE_FIELDS - {"_id"})
                if extra:
                    raise ValueError(f"line fields {extra} cannot be edited (allowed: {sorted(_LINE_FIELDS)})")
                changes.append((mine[line_id], self._values(LINE, {k: v for k, v in change.items() if k != "_id"})))
            new_lines = [self._new_line(row, spec) for spec in add_lines or []]
            gone = list(dict.fromkeys(remove_lines or []))
            for line_id in gone:
                if line_id not in mine:
                    raise KeyError(f"{LINE} {line_id} of order {row['name']}")
            if not (head or changes or new_lines or gone):
                raise ValueError("nothing to change: give fields, lines, add_lines or remove_lines")
            for line, values in changes:
                self._apply_line(line, values, user)
            for line in new_lines:
                self.crm.objects[LINE][line["_id"]] = line
            for line_id in gone:
                self.crm.objects[LINE].pop(line_id, None)
            row.update(head)
            if "name" in head:
                self.crm.refresh_names(ORDER, row)
            self.crm.recompute(row)
            self.crm.touch(row, user)
            return self._order_view(row)

    def _new_line(self, order: dict[str, Any], spec: Any) -> dict[str, Any]:
        if not isinstance(spec, dict):
            raise TypeError("add_lines items must be objects")
        spec = dict(spec)
        if "product_code" in spec:
            code = spec.pop("product_code")
            product = next((p for p in self.crm.objects[PRODUCT].values() if p.get("product_code") == code), None)
            if product is None:
                raise KeyError(f"{PRODUCT} with product_code {code}")
            spec["product_id"] = product["_id"]
        product = self.crm.objects[PRODUCT].get(spec.get("product_id") or "")
        if product is None:
            raise KeyError(f"{PRODUCT} {spec.get('product_id')}")
        spec.setdefault("sales_price", product.get("price"))
        spec.setdefault("product_price", product.get("price"))
        spec.setdefault("unit", product.get("unit"))
        values = self._values(LINE, spec)
        values["owner"] = list(order["owner"])
        try:
            return self.crm.new(LINE, {**values, "order_id": order["_id"], "order_id__r": order["name"]},
                                self._editor(order))
        except FxError as exc:
            raise ValueError(exc.message) from None

    def _apply_line(self, line: dict[str, Any], values: dict[str, Any], user: str) -> None:
        line.update(values)
        if {"quantity", "sales_price"} & set(values):
            line["subtotal"] = line_subtotal(line)
        self.crm.touch(line, user)

    def _order_view(self, row: dict[str, Any]) -> dict[str, Any]:
        lines = sorted((ln for _a, ln in self.crm.details_of(ORDER, row["_id"])), key=lambda r: r["create_time"])
        return {"order": self._copy(row), "lines": [self._copy(ln) for ln in lines]}

    def approve_order(self, order: str) -> dict[str, Any]:
        """The approver passes the order's approval: under_review (or ineffective) -> normal."""
        return self._approve(ORDER, order, "normal")

    def reject_order(self, order: str) -> dict[str, Any]:
        """The approver turns the order down: under_review -> ineffective (未生效)."""
        return self._approve(ORDER, order, "ineffective")

    def _approve(self, api: str, key: str, to: str) -> dict[str, Any]:
        with self.lock:
            row = self.find(api, key)
            allowed = ("under_review", "ineffective") if to == "normal" else ("under_review",)
            if row.get("life_status") not in allowed:
                raise ValueError(f"{row['name']} is {row.get('life_status')}, not {' or '.join(allowed)}")
            row["life_status"] = to
            self.crm.touch(row, self.approver())
            return self._order_view(row) if api == ORDER else {"record": self._copy(row)}

    def void_order(self, order: str) -> dict[str, Any]:
        """The salesperson voids (作废) the order: it and its lines become invalid, as through data/invalid."""
        with self.lock:
            row = self.find(ORDER, order)
            self.crm.invalid(ORDER, row["_id"], self._editor(row), True)
            return self._order_view(row)

    # --- customers and payments -------------------------------------------------------------------------------------

    def edit_customer(self, customer: str, fields: dict[str, Any]) -> dict[str, Any]:
        """The salesperson edits a customer (name, tel, address...); orders and payments show the new name."""
        with self.lock:
            row = self.find(ACCOUNT, customer)
            values = self._values(ACCOUNT, fields)
            if not values:
                raise ValueError("nothing to change: give fields")
            try:
                self.crm.edit(ACCOUNT, row, values, self._editor(row))
            except FxError as exc:
                raise ValueError(exc.message) from None
            return {"record": self._copy(row)}

    def set_payment_state(self, payment: str, life_status: str, fields: dict[str, Any] | None = None
                          ) -> dict[str, Any]:
        """The cashier or approver moves a payment to ``life_status`` (and may correct ``fields`` on the way)."""
        with self.lock:
            row = self.find(PAYMENT, payment)
            if life_status not in LIFE_STATUSES:
                raise ValueError(f"life_status must be one of {LIFE_STATUSES}")
            values = self._values(PAYMENT, fields)
            user = self.approver()
            if life_status == "invalid":
                if values:
                    raise ValueError("a payment is voided as it is: no fields with life_status invalid")
                self.crm.invalid(PAYMENT, row["_id"], user, True)
                return {"record": self._copy(row)}
            if row.get("life_status") == "invalid":
                self.crm.voided.pop(row["_id"], None)
            row.update(values)
            row["life_status"] = life_status
            self.crm.touch(row, user)
            return {"record": self._copy(row)}

