"""Admin actions of the K3Cloud simulator (``POST /__sandbox__/admin/<action>`` with a JSON payload).

    knobs            {knob: value, ...}                      set K3Knobs; answers all knobs
    count / records  {"form_id"}                             how many / every stored record of a form
    sessions / expire_sessions                               live session count / drop every session
    ship             {"bill_nos"? | "count"?, "form_id"?, "lines"?, "remaining"?}   audited shipping bills
    return           {"bill_no", "lines"?: {seq: qty}}        an audited SAL_RETURNSTOCK (k3cloud_ship)
    forbid / enable  {"form_id"?, "number", "org"?}          FForbidStatus B / A (every organisation's row, or one)
    set_status       {"form_id"?, "number", "status", "org"?}  FDocumentStatus (unaudit: "D", not audited: "A")
    unaudit          {"form_id"?, "number", "org"?}          set_status D
    allocate         {"form_id"?, "number", "org", "audited"?: true}   a row for another use organisation
    unallocate       {"form_id"?, "number", "org"}           remove that organisation's row
    edit             {"form_id"?, "number", "fields": {key: value}}    e.g. rename or re-specify a material
    rename           {"number", "name"?, "specification"?}   edit of a BD_MATERIAL's FName/FSpecification

``form_id`` defaults to BD_MATERIAL for the base-data actions. Bad payloads raise ValueError (HTTP 400).
"""

from __future__ import annotations

import copy
from dataclasses import asdict, fields
from typing import Protocol

from core.sandbox import k3cloud_basedata as basedata
from core.sandbox.k3cloud_auth import Sessions
from core.sandbox.k3cloud_forms import OUT_STOCK, find_form
from core.sandbox.k3cloud_knobs import K3Knobs
from core.sandbox.k3cloud_ship import record_return, ship
from core.sandbox.k3cloud_store import Store


class AdminTarget(Protocol):
    store: Store
    sessions: Sessions
    knobs: K3Knobs


def _text(payload: dict, key: str) -> str:
    value = payload.get(key)
    if value in (None, "") or isinstance(value, (dict, list, bool)):
        raise ValueError(f"{key} is required")
    return str(value)


def _org(payload: dict) -> str | None:
    org = payload.get("org")
    return None if org in (None, "") else str(org)


def run(app: AdminTarget, action: str, payload: dict) -> dict:
    """One admin action; the caller holds the app lock. KeyError for an unknown action."""
    store = app.store
    if action == "knobs":
        known = {f.name for f in fields(app.knobs)}
        unknown = sorted(set(payload) - known)
        if unknown:
            raise ValueError(f"unknown k3cloud knobs {unknown}; known: {sorted(known)}")
        for k, v in payload.items():
            setattr(app.knobs, k, v)
        return asdict(app.knobs)
    if action == "ship":
        nos = payload.get("bill_nos")
        if nos is not None and not isinstance(nos, list):
            raise ValueError("bill_nos must be a list")
        return ship(store, nos, payload.get("count"), str(payload.get("form_id") or OUT_STOCK), payload.get("lines"),
                    bool(payload.get("remaining", False)))
    if action == "return":
        lines = payload.get("lines")
        if lines is not None and not isinstance(lines, dict):
            raise ValueError("lines must map a line seq to a quantity")
        return record_return(store, _text(payload, "bill_no"), lines)
    if action in ("count", "records"):
        form = find_form(payload.get("form_id"))
        if form is None:
            raise ValueError(f"unknown form_id {payload.get('form_id')!r}")
        recs = sorted(store.records[form.form_id].values(), key=lambda r: r["_id"])
        if action == "count":
            return {"form_id": form.form_id, "count": len(recs)}
        return {"form_id": form.form_id, "records": copy.deepcopy(recs)}
    if action == "expire_sessions":
        return {"expired": app.sessions.expire_all()}
    if action == "sessions":
        return {"count": len(app.sessions)}
    return _base_data_action(store, action, payload)


def _base_data_action(store: Store, action: str, payload: dict) -> dict:
    form_id = payload.get("form_id")
    if action in ("forbid", "enable"):
        ids = basedata.set_state(store, form_id, _text(payload, "number"), _org(payload),
                                 forbid="B" if action == "forbid" else "A")
        return {"ids": ids}
    if action in ("set_status", "unaudit"):
        status = "D" if action == "unaudit" else _text(payload, "status")
        return {"ids": basedata.set_state(store, form_id, _text(payload, "number"), _org(payload), status=status)}
    if action == "allocate":
        rec = basedata.allocate(store, form_id, _text(payload, "number"), _text(payload, "org"),
                                audited=bool(payload.get("audited", True)))
        return {"id": rec["_id"], "master_id": rec["FMASTERID"]}
    if action == "unallocate":
        return {"removed": basedata.unallocate(store, form_id, _text(payload, "number"), _text(payload, "org"))}
    if action in ("edit", "rename"):
        changes: object
        if action == "rename":
            changes = {k: payload[p] for k, p in (("FName", "name"), ("FSpecification", "specification"))
                       if p in payload}
        else:
            changes = payload.get("fields")
        if not isinstance(changes, dict) or not changes:
            raise ValueError("nothing to change: give fields {key: value} (rename: name and/or specification)")
        return {"ids": basedata.edit(store, form_id, _text(payload, "number"), changes)}
    raise KeyError(action)
