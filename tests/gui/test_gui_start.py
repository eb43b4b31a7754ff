"""Starting the app: Chinese unless the user chose, and a box without a usable display says why and writes nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gui.platform_check import debian_package, missing_libraries, platform_problem, wants_xcb, xcb_plugin

ROOT = Path(__file__).resolve().parents[2]

LANGUAGE_CHILD = r"""
import sys
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication
from gui.i18n import Translators, translate
app = QApplication(["x"])
chosen = sys.argv[1] or None
print(QLocale.system().name(), Translators().install(chosen), translate("MainWindow", "Orders"))
"""


@pytest.mark.parametrize("locale, chosen, expected", [
    ("C.UTF-8", "", "zh_CN 订单"),  # a server, a container, a fresh Linux: no choice was made
    ("POSIX", "", "zh_CN 订单"),
    ("en_US.UTF-8", "", "zh_CN 订单"),  # the machine's language is not the user's choice either
    ("C.UTF-8", "en", "en Orders"),  # --lang en, or 设置 → 语言 → English (stored in gui.ini)
    ("en_US.UTF-8", "zh", "zh_CN 订单"),
])
def test_chinese_is_the_default_unless_the_user_chose(cli_env, locale, chosen, expected):
    env = {k: v for k, v in cli_env.items() if not k.startswith(("LC_", "LANG"))}
    env.update(LC_ALL=locale, LANG=locale)
    res = subprocess.run([sys.executable, "-c", LANGUAGE_CHILD, chosen], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=60, check=False)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split(maxsplit=1)[1].strip() == expected, res.stdout


def test_a_start_without_a_display_says_so_and_creates_no_folders(cli_env, tmp_path):
    home = tmp_path / "home"  # stands for the real home: FXK3SYNC_HOME is not set, so the app would use it
    home.mkdir()
    env = {k: v for k, v in cli_env.items() if k not in ("FXK3SYNC_HOME", "DISPLAY", "WAYLAND_DISPLAY",
                                                          "QT_QPA_PLATFORM", "XDG_DATA_HOME")}
    env.update(HOME=str(home))
    res = subprocess.run([sys.executable, "-m", "gui.app"], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=60, check=False)
    assert res.returncode == 2, res.stdout + res.stderr
    missing = missing_libraries(xcb_plugin())  # .ci/run installs only what offscreen Qt needs
    if missing:
        assert all(name in res.stderr for name in missing) and "apt-get install" in res.stderr, res.stderr
    else:
        assert "DISPLAY" in res.stderr and "--smoke" in res.stderr and "没有图形显示" in res.stderr
    assert list(home.iterdir()) == []  # no data folder, no log folder, nothing


def test_which_platform_qt_would_use():
    if not sys.platform.startswith("linux"):
        assert not wants_xcb({})
        return
    assert wants_xcb({}) and wants_xcb({"QT_QPA_PLATFORM": "xcb"})
    assert not wants_xcb({"QT_QPA_PLATFORM": "offscreen"})
    assert not wants_xcb({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"})
    assert platform_problem({"QT_QPA_PLATFORM": "offscreen"}) is None


def test_debian_package_names_of_the_xcb_libraries():
    assert [debian_package(n) for n in (
        "libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-image.so.0",
        "libxcb-render-util.so.0", "libxcb-xkb.so.1", "libxkbcommon-x11.so.0", "libxcb-shape.so.0")] == [
        "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0", "libxcb-render-util0", "libxcb-xkb1",
        "libxkbcommon-x11-0", "libxcb-shape0"]


@pytest.mark.skipif(not (sys.platform.startswith("linux") and shutil.which("cc") and shutil.which("ldd")),
                    reason="needs Linux with a C compiler and ldd")
def test_missing_libraries_are_named(tmp_path):
    """A real plugin-like shared object linked against a library that is then removed, as on a box without xcb."""
    (tmp_path / "dep.c").write_text("int fxk3_dep(void) { return 1; }\n")
    (tmp_path / "plugin.c").write_text("int fxk3_dep(void);\nint fxk3_plugin(void) { return fxk3_dep(); }\n")
    subprocess.run(["cc", "-shared", "-fPIC", "-Wl,-soname,libxcb-fxk3test.so.0", "-o",
                    str(tmp_path / "libxcb-fxk3test.so.0"), str(tmp_path / "dep.c")], check=True)
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(tmp_path / "libqfake.so"), str(tmp_path / "plugin.c"),
                    str(tmp_path / "libxcb-fxk3test.so.0")], check=True)
    os.remove(tmp_path / "libxcb-fxk3test.so.0")
    plugin = tmp_path / "libqfake.so"
    assert missing_libraries(plugin) == ["libxcb-fxk3test.so.0"]
    text = platform_problem({"DISPLAY": ":0"}, plugin)
    assert text is not None and "libxcb-fxk3test.so.0" in text and "apt-get install libxcb-fxk3test0" in text
    assert "缺少" in text and "missing" in text
    assert platform_problem({"DISPLAY": ":0"}, tmp_path / "none.so") is None  # nothing to check: let Qt try
