"""pytest-qt fixtures of the GUI tests (they live in tests/helpers_gui.py), and the offscreen log noise to ignore."""

from __future__ import annotations

import pytest

from tests.helpers_gui import demo_ctx, no_leaks, prompts, window, zh  # noqa: F401

#: The offscreen platform plugin says this for every dialog shown; it is not our warning (see style-anchors §4.3).
OFFSCREEN_NOISE = r"^This plugin does not support propagateSizeHints\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/gui/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))
