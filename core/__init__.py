"""FxK3 Sync core: everything that is not Qt."""

from __future__ import annotations

__version__ = "0.1.0"
