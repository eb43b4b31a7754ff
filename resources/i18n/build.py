"""Dev tool: refresh the .ts sources from gui/ with pyside6-lupdate, then build the .qm files with pyside6-lrelease.

Run from anywhere: ``python resources/i18n/build.py`` (``--no-update`` only compiles). Commit .ts and .qm.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LANGS = ("zh_CN", "en")


def _tool(name: str) -> str:
    found = shutil.which(f"pyside6-{name}")
    if found:
        return found
    import PySide6

    return str(Path(PySide6.__file__).parent / name)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--no-update", action="store_true", help="only compile the .ts files")
    args = p.parse_args(argv)
    sources = sorted(str(f.relative_to(ROOT)) for f in (ROOT / "gui").rglob("*.py"))
    for lang in LANGS:
        ts = HERE / f"fxk3sync_{lang}.ts"
        if not args.no_update:
            cmd = [_tool("lupdate"), "-no-obsolete", "-locations", "none", "-source-language", "en",
                   "-target-language", lang, *sources, "-ts", str(ts)]
            subprocess.run(cmd, check=True, cwd=ROOT)
        subprocess.run([_tool("lrelease"), "-silent", str(ts), "-qm", str(HERE / f"fxk3sync_{lang}.qm")],
                       check=True, cwd=ROOT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
