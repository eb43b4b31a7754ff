"""Field mappings: Fxiaoke records -> ordered K3Cloud payloads (entry module: ``core.mapping.apply``)."""

from __future__ import annotations

from core.mapping.apply import BaseRef, MappedPayload, apply
from core.mapping.defaults import load_default
from core.mapping.model import FieldRule, Mapping
from core.mapping.preview import preview
from core.mapping.refs import REF_KINDS, register_ref
from core.mapping.transforms import DictLookups, Lookups

__all__ = [
    "BaseRef", "DictLookups", "FieldRule", "Lookups", "MappedPayload", "Mapping", "REF_KINDS", "apply",
    "load_default", "preview", "register_ref",
]
