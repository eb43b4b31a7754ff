"""Simulated Fxiaoke and K3Cloud servers on loopback with a seeded demo company (entry module: sandbox.py)."""

from __future__ import annotations

from core.sandbox.sandbox import Sandbox, demo_credentials, start_sandbox

__all__ = ["Sandbox", "demo_credentials", "start_sandbox"]
