"""Before Qt starts on Linux: would its on-screen (xcb) platform plugin load? Qt aborts the process when it cannot,
so we ask first and say which system libraries are missing, before anything is written to the data folder."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QLibraryInfo

_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)
_SONAME = re.compile(r"^(lib.+?)\.so\.(\d+)")


def xcb_plugin() -> Path:
    """Qt's xcb platform plugin of the installed PySide6 (QtCore itself needs no display libraries)."""
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms" / "libqxcb.so"


def missing_libraries(binary: Path) -> list[str]:
    """The shared libraries ``binary`` needs that the dynamic loader cannot find (``ldd``'s "not found")."""
    ldd = shutil.which("ldd")
    if ldd is None or not binary.is_file():
        return []
    try:
        out = subprocess.run([ldd, str(binary)], capture_output=True, text=True, timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted(set(_NOT_FOUND.findall(out)))


def debian_package(soname: str) -> str:
    """The Debian/Ubuntu package that usually ships ``soname`` (Debian's naming rule: libfoo.so.1 -> libfoo1,
    libfoo-x11.so.0 -> libfoo-x11-0)."""
    m = _SONAME.match(soname)
    if not m:
        return soname
    base, version = m.group(1).lower(), m.group(2)
    return f"{base}-{version}" if base[-1].isdigit() else f"{base}{version}"


def wants_xcb(environ: Mapping[str, str]) -> bool:
    """Whether Qt would start on X11: Linux, no other platform asked for, no Wayland session."""
    if not sys.platform.startswith("linux"):
        return False
    platform = environ.get("QT_QPA_PLATFORM", "").strip()
    if platform:
        return platform.split(":")[0].split(";")[0] == "xcb"
    return not (environ.get("WAYLAND_DISPLAY") and environ.get("XDG_SESSION_TYPE") == "wayland")


def platform_problem(environ: Mapping[str, str] | None = None, plugin: Path | None = None) -> str | None:
    """A bilingual explanation when the desktop window cannot open here, else None."""
    env = os.environ if environ is None else environ
    if not wants_xcb(env):
        return None
    missing = missing_libraries(plugin or xcb_plugin())
    if missing:
        packages = " ".join(dict.fromkeys(debian_package(name) for name in missing))
        names = ", ".join(missing)
        return (f"无法打开窗口：缺少 Qt 屏幕显示（xcb）所需的系统库：{names}。\n"
                f"请安装后重试（Debian/Ubuntu）：sudo apt-get install {packages}\n"
                f"The window cannot open: the system libraries Qt's on-screen (xcb) plugin needs are missing: "
                f"{names}.\nInstall them and start again (Debian/Ubuntu): sudo apt-get install {packages}")
    if not env.get("DISPLAY"):
        return ("无法打开窗口：没有图形显示（未设置 DISPLAY）。请在桌面会话中启动；无显示器的测试可用 --smoke。\n"
                "The window cannot open: there is no display (DISPLAY is not set). Start it in a desktop session; "
                "for a test without a screen use --smoke.")
    return None
