"""ICU's data library (``libicudata.so.NN``, 31 MB in the PySide6 Linux wheel) cut to what a Chinese/English app uses.

Qt on Linux links ICU for collation, case mapping and legacy text codecs; the data library holds every locale of
CLDR. ``trim`` keeps the root, English and Chinese locales of every category, the Chinese codecs (GB18030, GBK, Big5,
GB2312) and the Chinese/Japanese word dictionary, and drops the other locales, the other codecs, the transliterators
and the South-East Asian word dictionaries (about 32 MB -> 9 MB). The data is taken out of the library (its one
symbol ``icudtNN_dat``), cut with ICU's own ``icupkg`` (which refuses a package whose kept items miss something they
depend on: those items are kept too), and linked again into a library of the same name. ICU's package format and
``icupkg -r``: https://unicode-org.github.io/icu/userguide/icu_data/ ("ICU Data" / "Customizing ICU's Data Library").

Without ``icupkg``, ``readelf`` or a C compiler on the build machine, ``trim`` returns None and the full library is
bundled. Windows builds need none of this: Qt uses the system's ICU there.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

#: Locales kept in every category (the languages of the app's interface).
KEEP_LOCALES = re.compile(r"^(root|en|zh)(_|\.)")
#: A locale's resource bundle (``fr.res``, ``zh_Hant_HK.res``), unlike shared data (``pool.res``, ``zoneinfo64.res``).
LOCALE_ITEM = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]+)*\.res$")
SHARED_ITEMS = {"res_index.res"}
KEEP_CODECS = {"gb18030.cnv", "windows-936-2000.cnv", "windows-950-2000.cnv", "ibm-1383_P110-1999.cnv"}
DROP_DIRS = ("translit/",)
DROP_DICTS = {"brkitr/burmesedict.dict", "brkitr/khmerdict.dict", "brkitr/laodict.dict", "brkitr/thaidict.dict"}
_STUB = """    .section .rodata
    .globl {sym}
    .type {sym}, @object
    .balign 16
{sym}:
    .incbin "{data}"
    .size {sym}, . - {sym}
    .section .note.GNU-stack,"",@progbits
"""


def tools() -> dict[str, str] | None:
    """The programs ``trim`` needs, or None when one is missing (or not on Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    found = {name: shutil.which(name) for name in ("icupkg", "readelf", "cc")}
    return None if None in found.values() else {k: str(v) for k, v in found.items()}


def removals(items: list[str]) -> list[str]:
    """The package items to drop (see the module docstring)."""
    out = []
    for item in items:
        base = item.rsplit("/", 1)[-1]
        if item.startswith(DROP_DIRS) or item in DROP_DICTS:
            out.append(item)
        elif base.endswith(".cnv") and base not in KEEP_CODECS:
            out.append(item)
        elif LOCALE_ITEM.match(base) and base not in SHARED_ITEMS and not KEEP_LOCALES.match(base):
            out.append(item)
    return out


def _symbol_data(lib: Path, readelf: str) -> tuple[str, bytes]:
    """(symbol name, bytes) of the ``icudtNN_dat`` symbol in ``lib``."""
    syms = subprocess.run([readelf, "--dyn-syms", "-W", str(lib)], capture_output=True, text=True, check=True).stdout
    m = re.search(r"\s([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+OBJECT\s+GLOBAL\s+DEFAULT\s+\d+\s+(icudt\d+_dat)\b", syms)
    if m is None:
        raise ValueError(f"no icudtNN_dat symbol in {lib}")
    addr, size, name = int(m.group(1), 16), int(m.group(2), 0), m.group(3)
    secs = subprocess.run([readelf, "-S", "-W", str(lib)], capture_output=True, text=True, check=True).stdout
    for line in secs.splitlines():
        s = re.match(r"\s*\[\s*\d+\]\s+\S+\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)", line)
        if s and int(s.group(1), 16) <= addr < int(s.group(1), 16) + int(s.group(3), 16):
            offset = int(s.group(2), 16) + addr - int(s.group(1), 16)
            with open(lib, "rb") as fh:
                fh.seek(offset)
                return name, fh.read(size)
    raise ValueError(f"the symbol {name} lies in no section of {lib}")


def trim(lib: Path, work: Path) -> Path | None:
    """A trimmed copy of ICU data library ``lib`` (same file name, in ``work``), or None without the tools."""
    found = tools()
    if found is None:
        return None
    work.mkdir(parents=True, exist_ok=True)
    symbol, data = _symbol_data(lib, found["readelf"])
    # icupkg names the items after the package file: it must be icudtNNl.dat, as ICU looks them up by that prefix.
    pkg = work / (symbol.removesuffix("_dat") + "l.dat")
    pkg.write_bytes(data)
    listed = subprocess.run([found["icupkg"], "-l", str(pkg)], capture_output=True, text=True, check=True).stdout
    drop = removals(listed.split())
    out_dir = work / "out"
    out_dir.mkdir(exist_ok=True)
    out = out_dir / pkg.name
    for _ in range(10):  # an item we keep may need one we meant to drop: keep that one too, and try again
        (work / "remove.txt").write_text("\n".join(drop) + "\n", "utf-8")
        r = subprocess.run([found["icupkg"], "-r", "remove.txt", str(pkg), str(out)], capture_output=True,
                           text=True, cwd=work)  # icupkg reads the list from the current folder
        needed = set(re.findall(r"depends on missing item (\S+)", r.stdout + r.stderr))
        if not needed and r.returncode == 0 and out.exists():
            break
        if not needed:
            raise RuntimeError(f"icupkg failed: {r.stderr or r.stdout}")
        drop = [item for item in drop if item not in needed]
    else:
        raise RuntimeError("icupkg: the kept items' dependencies did not settle")
    stub = work / "icudata.S"
    stub.write_text(_STUB.format(sym=symbol, data=out.as_posix()), "utf-8")
    target = work / lib.name
    subprocess.run([found["cc"], "-shared", "-nostdlib", f"-Wl,-soname,{lib.name}", "-o", str(target), str(stub)],
                   check=True, capture_output=True)
    return target
