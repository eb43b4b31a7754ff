"""FxK3 Sync desktop app (PySide6); importing it first applies the PySide6 work-arounds of ``gui.qtcompat``."""

from gui import qtcompat as _qtcompat

_qtcompat.apply()
