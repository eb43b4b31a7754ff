"""packaging/trim_icu.py: the bundle's ICU data, cut to root/English/Chinese, still collates and decodes Chinese."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "packaging"))

import trim_icu  # noqa: E402

_PROBE = """
from PySide6.QtCore import QCollator, QLocale, QStringDecoder
zh, en = QCollator(QLocale("zh_CN")), QCollator(QLocale("en_US"))
print(zh.compare("李四", "张三"), en.compare("apple", "Banana"), QStringDecoder("GB18030").isValid(),
      QStringDecoder("GBK").isValid(), QLocale("en_US").toUpper("straße"))
"""


def _icu_lib() -> Path | None:
    import PySide6

    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    return found[0] if found else None


def _probe(lib_dir: Path | None) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if lib_dir is not None:  # before the wheel's own RUNPATH ($ORIGIN): this library is the one loaded
        env["LD_LIBRARY_PATH"] = str(lib_dir)
    return subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, env=env, timeout=60)


@pytest.mark.skipif(trim_icu.tools() is None or _icu_lib() is None,
                    reason="needs Linux, icupkg (icu-devtools), readelf and cc, and PySide6's bundled ICU")
def test_trimmed_icu_is_a_third_of_the_size_and_answers_as_the_full_one(tmp_path):
    full = _icu_lib()
    assert full is not None
    small = trim_icu.trim(full, tmp_path / "icu")
    assert small is not None and small.name == full.name
    assert small.stat().st_size < full.stat().st_size / 3
    want, got = _probe(None), _probe(small.parent)
    assert want.returncode == 0 and got.returncode == 0, got.stderr
    assert "Could not create collator" not in got.stderr
    assert got.stdout == want.stdout
    assert got.stdout.split() == ["-1", "-1", "True", "True", "STRASSE"]


def test_removals_keep_root_english_chinese_and_shared_data():
    items = ["coll/zh.res", "coll/fr.res", "coll/root.res", "coll/res_index.res", "coll/ucadata.icu", "fr_CA.res",
             "en_GB.res", "zh_Hant_TW.res", "pool.res", "zoneinfo64.res", "translit/Hani_Latn.res", "gb18030.cnv",
             "ibm-1390_P110-2003.cnv", "brkitr/cjdict.dict", "brkitr/thaidict.dict", "uprops.icu"]
    assert trim_icu.removals(items) == ["coll/fr.res", "fr_CA.res", "translit/Hani_Latn.res",
                                        "ibm-1390_P110-2003.cnv", "brkitr/thaidict.dict"]
