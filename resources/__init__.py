"""Packaged resources: icons/, i18n/, app.qss and app.ico beside this module (frozen-app aware)."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_dir() -> Path:
    """The folder holding ``icons/``, ``i18n/`` and ``app.qss``; inside a PyInstaller bundle it is under _MEIPASS."""
    frozen_base = getattr(sys, "_MEIPASS", None)
    if frozen_base:
        return Path(frozen_base) / "resources"
    return Path(__file__).resolve().parent


def resource_path(*parts: str) -> Path:
    """The path of one resource file, e.g. ``resource_path("icons", "app.png")``."""
    return resource_dir().joinpath(*parts)
