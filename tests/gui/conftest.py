"""pytest-qt fixtures of the GUI tests (they live in tests/helpers_gui.py)."""

from __future__ import annotations

from tests.helpers_gui import demo_ctx, no_leaks, prompts, window, zh  # noqa: F401
