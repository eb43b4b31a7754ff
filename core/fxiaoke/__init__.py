"""Fxiaoke OpenAPI client; start with ``core.fxiaoke.client``."""

from core.fxiaoke.client import FxiaokeClient, RatePolicy
from core.fxiaoke.codes import FxiaokeNotFoundError, FxiaokeParamError, explain
from core.fxiaoke.pacing import Pacer, PacingConfig
from core.fxiaoke.tokens import TokenCache

__all__ = [
    "FxiaokeClient", "FxiaokeNotFoundError", "FxiaokeParamError", "Pacer", "PacingConfig", "RatePolicy", "TokenCache",
    "explain",
]
