"""The default mappings shipped with the product (JSON files beside this module), what a new profile gets."""

from __future__ import annotations

from pathlib import Path

from core.errors import MappingError, Text
from core.mapping.model import Mapping

DEFAULTS_DIR = Path(__file__).resolve().parent / "defaults"
FLOWS = ("customers", "orders", "payments")


def default_path(flow: str) -> Path:
    return DEFAULTS_DIR / f"{flow}.json"


def load_default(flow: str) -> Mapping:
    """The shipped default mapping of ``flow`` (one of ``FLOWS``); MappingError for another flow."""
    path = default_path(flow)
    if flow not in FLOWS or not path.is_file():
        raise MappingError(
            Text(f"没有流程 {flow!r} 的默认映射", f"there is no default mapping for flow {flow!r}"),
            Text(f"可用：{', '.join(FLOWS)}", f"known flows: {', '.join(FLOWS)}"), field="flow",
        )
    return Mapping.from_json(path.read_text("utf-8"))
