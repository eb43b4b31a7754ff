"""Icons from resources/icons (SVG, crisp at any DPI), cached by name."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from resources import resource_path


@cache
def icon(name: str) -> QIcon:
    """``icon("sync")`` -> resources/icons/sync.svg; the app icon is ``icon("app")``."""
    if name == "app":
        ico = QIcon(str(resource_path("icons", "app.svg")))
        ico.addFile(str(resource_path("icons", "app.png")))
        return ico
    return QIcon(str(resource_path("icons", f"{name}.svg")))
