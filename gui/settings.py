"""UI state and preferences, declared once with type and default, stored in an INI file in the data folder."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from core import paths


@dataclass(frozen=True)
class Setting:
    """One key with its type and default."""

    key: str
    type: type
    default: Any


LANGUAGE = Setting("prefs/language", str, "")  # "" = not chosen: gui.i18n.DEFAULT_LANGUAGE
LAST_PAGE = Setting("state/last_page", int, 0)  # index in LEGACY_PAGES (what older versions read)
LAST_PAGE_KEY = Setting("state/last_page_key", str, "")
#: The pages of the first wave, in their order: ``LAST_PAGE`` indexes these so an older version still reads it.
LEGACY_PAGES = ("connections", "customers", "orders", "mappings", "history")
LAST_PROFILE = Setting("state/last_profile", str, "")
GEOMETRY = Setting("state/geometry", QByteArray, QByteArray())
WINDOW_STATE = Setting("state/window_state", QByteArray, QByteArray())
LOG_VISIBLE = Setting("state/log_visible", bool, True)
ERRORS_ONLY = Setting("state/log_errors_only", bool, False)


class UiSettings:
    """Typed access to the INI file ``<data folder>/gui.ini`` (tests get a temp data folder, so a temp file)."""

    def __init__(self, path: str | None = None) -> None:
        self._qs = QSettings(path or str(paths.home_dir() / "gui.ini"), QSettings.Format.IniFormat)

    def get(self, setting: Setting) -> Any:
        value = self._qs.value(setting.key, setting.default)
        if value is None:
            return setting.default
        if setting.type is bool:
            return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")
        if setting.type is QByteArray:
            return value if isinstance(value, QByteArray) else QByteArray()
        try:
            return setting.type(value)
        except (TypeError, ValueError):
            return setting.default

    def set(self, setting: Setting, value: Any) -> None:
        self._qs.setValue(setting.key, value)

    def sync(self) -> None:
        self._qs.sync()

    @property
    def path(self) -> str:
        return self._qs.fileName()
