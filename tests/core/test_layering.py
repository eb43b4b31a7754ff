"""core never imports Qt or gui; gui may import core."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "core"


def _imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            roots.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_core_module_imports_qt_or_gui():
    offenders = {
        str(p.relative_to(CORE.parent)): sorted(_imported_roots(p) & {"PySide6", "PyQt5", "PyQt6", "gui", "shiboken6"})
        for p in CORE.rglob("*.py")
    }
    offenders = {k: v for k, v in offenders.items() if v}
    assert list(CORE.rglob("*.py")), "core has no modules?"
    assert offenders == {}


def test_importing_all_of_core_loads_no_qt():
    code = (
        "import importlib, pkgutil, sys, core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'core.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = [n for n in sys.modules if n.startswith(('PySide6', 'shiboken6', 'gui'))]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    res = subprocess.run([sys.executable, "-c", code], cwd=CORE.parent, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


#: Parameter names whose type is one of our own classes: ``Any`` there hides what a function takes (issue 10).
_TYPED_PARAMS = {"profile": "Profile", "secrets": "ProfileSecrets", "fx": "FxiaokeClient", "k3": "K3CloudClient",
                 "client": "a client class", "db": "Database", "journal": "Journal", "mapping": "Mapping"}


def test_no_core_function_takes_a_profile_secrets_or_client_as_any():
    offenders = []
    for path in CORE.rglob("*.py"):
        if "sandbox" in path.parts:  # the sandbox is an independent reading of the protocols: none of our types
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for arg in node.args.args + node.args.kwonlyargs:
                    if arg.arg in _TYPED_PARAMS and isinstance(arg.annotation, ast.Name) and arg.annotation.id == "Any":
                        offenders.append(f"{path.relative_to(CORE.parent)}:{node.lineno} {node.name}({arg.arg}: Any)")
    assert offenders == []
