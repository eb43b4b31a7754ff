"""FxK3 Sync desktop app (PySide6)."""
