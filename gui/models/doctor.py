"""Credential-doctor steps of one side as a table: step, result message, the setting to fix."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QColor

from gui.i18n import pick, translate
from gui.icons import icon
from gui.models.base import Column, RowTableModel

STEP_NAMES = {
    "reachable": QT_TRANSLATE_NOOP("DoctorSteps", "Server reachable, TLS"),
    "token": QT_TRANSLATE_NOOP("DoctorSteps", "Access token (appId, appSecret, permanentCode)"),
    "operator": QT_TRANSLATE_NOOP("DoctorSteps", "Operator (openUserId / admin mobile)"),
    "query": QT_TRANSLATE_NOOP("DoctorSteps", "One-row query (permissions, API quota)"),
    "datacenter": QT_TRANSLATE_NOOP("DoctorSteps", "Data center in GetDataCenterList"),
    "login": QT_TRANSLATE_NOOP("DoctorSteps", "Login (user, password or app secret, language)"),
    "permission": QT_TRANSLATE_NOOP("DoctorSteps", "One-row customer query (permissions)"),
    "org": QT_TRANSLATE_NOOP("DoctorSteps", "Organisation exists"),
}

#: The data store's check (side "store", core/store/doctor.py).
STORE_STEP_NAMES = {
    "reachable": QT_TRANSLATE_NOOP("DoctorSteps", "Database server reachable / data folder writable"),
    "login": QT_TRANSLATE_NOOP("DoctorSteps", "Database login (user, password, database)"),
    "schema": QT_TRANSLATE_NOOP("DoctorSteps", "FxK3 Sync tables (schema version)"),
    "lock": QT_TRANSLATE_NOOP("DoctorSteps", "Sync lock (advisory lock)"),
}


def step_name(step: Any) -> str:
    source = (STORE_STEP_NAMES if step.side == "store" else STEP_NAMES).get(step.name)
    return translate("DoctorSteps", source) if source else step.name


def field_label(field: str | None) -> str:
    """A Profile/ProfileSecrets attribute as the form labels it."""
    if not field:
        return ""
    from gui.pages.connection_fields import FIELD_LABELS

    source = FIELD_LABELS.get(field)
    return translate("ConnectionFields", source) if source else field


def _message(step: Any) -> str:
    text = pick(step.message)
    if step.code and not step.ok and str(step.code) not in text:  # "错误 10006：…" needs no "[10006]" before it
        text = f"[{step.code}] {text}"
    return text


COLUMNS: list[Column[Any]] = [
    Column("step", QT_TRANSLATE_NOOP("DoctorColumns", "Check"), step_name,
           decoration=lambda s: icon("ok" if s.ok else "fail")),
    Column("message", QT_TRANSLATE_NOOP("DoctorColumns", "Result"), _message, tooltip=_message,
           foreground=lambda s: QColor("#15803d" if s.ok else "#b91c1c")),
    Column("field", QT_TRANSLATE_NOOP("DoctorColumns", "Setting to fix"), lambda s: field_label(s.field)),
    Column("elapsed", QT_TRANSLATE_NOOP("DoctorColumns", "Time"), lambda s: f"{s.elapsed_ms:,.0f} ms",
           sort_key=lambda s: s.elapsed_ms, right=True),
]


class DoctorModel(RowTableModel[Any]):
    """The ``core.doctor_types.Step`` list of one side."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__("DoctorColumns", COLUMNS, parent)
